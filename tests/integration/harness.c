#include "config.h"

#include "harness.h"

#include <check.h>
#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *ccond_bin(void)
{
	const char *bin = getenv("CCOND_BIN");

	ck_assert_msg(bin && *bin, "CCOND_BIN must name the ccond binary");
	return bin;
}

static const char *const *saved_args;

pid_t spawn_until_line(const char *const *argv, const char *stderr_path, char *line,
                       size_t size)
{
	int pipefd[2];
	pid_t pid;
	FILE *in;

	ck_assert_int_eq(pipe(pipefd), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		if (stderr_path && !freopen(stderr_path, "a", stderr))
			_exit(126);
		dup2(pipefd[1], STDOUT_FILENO);
		close(pipefd[0]);
		close(pipefd[1]);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(pipefd[1]);
	in = fdopen(pipefd[0], "r");
	ck_assert_ptr_nonnull(in);
	line[0] = '\0';
	if (!fgets(line, (int)size, in))
		ck_abort_msg("%s did not start (no first line)", argv[0]);
	fclose(in);
	return pid;
}

static void spawn(struct server *s, const char *const *extra)
{
	const char *argv[32];
	char line[256];
	int n = 0;

	argv[n++] = ccond_bin();
	argv[n++] = "--data-dir";
	argv[n++] = s->data_dir;
	argv[n++] = "--listen";
	argv[n++] = "127.0.0.1:0";
	for (int i = 0; extra && extra[i] && n < 30; i++)
		argv[n++] = extra[i];
	argv[n] = NULL;
	s->pid = spawn_until_line(argv, NULL, line, sizeof(line));
	ck_assert_msg(sscanf(line, "ccond listening on http://127.0.0.1:%u", &s->port) == 1,
	              "unexpected first line from ccond: %s", line);
	snprintf(s->base_url, sizeof(s->base_url), "http://127.0.0.1:%u", s->port);
}

/* Whether every thread of pid is stopped (state T in /proc). */
static bool all_stopped(pid_t pid)
{
	char dir[64], path[400], buf[512];
	struct dirent *e;
	bool stopped = true;
	DIR *d;

	snprintf(dir, sizeof(dir), "/proc/%d/task", (int)pid);
	if (!(d = opendir(dir)))
		return false;
	while (stopped && (e = readdir(d))) {
		FILE *fp;
		const char *state;

		if (e->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%.256s/stat", dir, e->d_name) >=
		    sizeof(path))
			continue;
		if (!(fp = fopen(path, "r")))
			continue; /* a thread that ended */
		if (fgets(buf, sizeof(buf), fp) && (state = strrchr(buf, ')')))
			stopped = state[1] == ' ' && state[2] == 'T';
		fclose(fp);
	}
	closedir(d);
	return stopped;
}

void server_freeze(const struct server *s)
{
	ck_assert_int_eq(kill(s->pid, SIGSTOP), 0);
	for (int i = 0; i < 500 && !all_stopped(s->pid); i++)
		usleep(2000);
	ck_assert_msg(all_stopped(s->pid), "ccond (pid %d) did not stop", (int)s->pid);
}

void server_thaw(const struct server *s)
{
	ck_assert_int_eq(kill(s->pid, SIGCONT), 0);
}

void server_start(struct server *s, const char *const *extra_args)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->data_dir, sizeof(s->data_dir), "/tmp/ccon-it-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(s->data_dir));
	saved_args = extra_args;
	spawn(s, extra_args);
}

void server_stop(struct server *s)
{
	int status = 0;

	if (s->pid <= 0)
		return;
	kill(s->pid, SIGTERM);
	ck_assert_int_eq(waitpid(s->pid, &status, 0), s->pid);
	s->pid = 0;
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	              "ccond did not stop cleanly (status %d)", status);
}

void server_kill(struct server *s)
{
	int status = 0;

	if (s->pid <= 0)
		return;
	kill(s->pid, SIGKILL);
	ck_assert_int_eq(waitpid(s->pid, &status, 0), s->pid);
	s->pid = 0;
	ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
	              "ccond ended on its own before kill -9 (status %d)", status);
}

void server_restart_with(struct server *s, const char *const *extra_args)
{
	server_stop(s);
	saved_args = extra_args;
	spawn(s, saved_args);
}

void server_restart(struct server *s)
{
	server_stop(s);
	spawn(s, saved_args);
}

void server_destroy(struct server *s)
{
	char cmd[300];

	server_stop(s);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", s->data_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", s->data_dir);
}

void server_create_app(const struct server *s, const char *name, int64_t *id, char *key,
                       size_t key_size)
{
	char cmd[512], out[256];
	FILE *p;
	cJSON *j;

	snprintf(cmd, sizeof(cmd), "'%s' --data-dir '%s' --create-app '%s'", ccond_bin(),
	         s->data_dir, name);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(fgets(out, sizeof(out), p));
	ck_assert_int_eq(pclose(p), 0);
	j = cJSON_Parse(out);
	ck_assert_msg(j != NULL, "--create-app printed: %s", out);
	*id = (int64_t)cJSON_GetObjectItem(j, "appId")->valuedouble;
	snprintf(key, key_size, "%s", cJSON_GetObjectItem(j, "apiKey")->valuestring);
	cJSON_Delete(j);
}

static size_t collect(char *data, size_t size, size_t n, void *userp)
{
	struct reply *r = userp;
	char *p = realloc(r->body, r->len + size * n + 1);

	if (!p)
		return 0;
	memcpy(p + r->len, data, size * n);
	r->body = p;
	r->len += size * n;
	r->body[r->len] = '\0';
	return size * n;
}

void http_call(const struct server *s, const char *method, const char *path, const char *auth,
               const char *content_type, const char *body, size_t body_len,
               const char *extra_header, struct reply *r)
{
	struct curl_slist *headers = NULL;
	char url[1024], line[512];
	CURL *c = curl_easy_init();
	CURLcode rc;

	memset(r, 0, sizeof(*r));
	ck_assert_ptr_nonnull(c);
	snprintf(url, sizeof(url), "%s%s", s->base_url, path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	if (auth) {
		snprintf(line, sizeof(line), "Authorization: %s", auth);
		headers = curl_slist_append(headers, line);
	}
	if (body) {
		snprintf(line, sizeof(line), "Content-Type: %s",
		         content_type ? content_type : "application/json");
		headers = curl_slist_append(headers, line);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
	}
	if (extra_header)
		headers = curl_slist_append(headers, extra_header);
	headers = curl_slist_append(headers, "Expect:");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	rc = curl_easy_perform(c);
	ck_assert_msg(rc == CURLE_OK, "%s %s: %s", method, path, curl_easy_strerror(rc));
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
	curl_slist_free_all(headers);
	curl_easy_cleanup(c);
	if (!r->body) {
		r->body = calloc(1, 1);
		ck_assert_ptr_nonnull(r->body);
	}
	r->json = cJSON_ParseWithLength(r->body, r->len);
}

static size_t discard(char *data, size_t size, size_t n, void *userp)
{
	(void)data;
	(void)userp;
	return size * n;
}

/* In the child: no check assertion may fail here (it would be reported as
 * the test's), so it only exits with the status class. */
static void fire_child(const struct server *s, const char *method, const char *path,
                       const char *auth, const char *body, size_t body_len)
{
	struct curl_slist *headers = NULL;
	char url[1024], line[512];
	CURL *c = curl_easy_init();
	long status = 0;

	if (!c)
		_exit(0);
	snprintf(url, sizeof(url), "%s%s", s->base_url, path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 120L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	if (auth) {
		snprintf(line, sizeof(line), "Authorization: %s", auth);
		headers = curl_slist_append(headers, line);
	}
	if (body) {
		headers = curl_slist_append(headers, "Content-Type: application/json");
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
	}
	headers = curl_slist_append(headers, "Expect:");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	_exit(status >= 100 && status < 600 ? (int)(status / 100) : 0);
}

pid_t http_fire(const struct server *s, const char *method, const char *path, const char *auth,
                const char *body, size_t body_len)
{
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		fire_child(s, method, path, auth, body, body_len);
	return pid;
}

long http_fire_wait(pid_t pid, bool nohang)
{
	int status = 0;
	pid_t got = waitpid(pid, &status, nohang ? WNOHANG : 0);

	if (got == 0)
		return -1;
	ck_assert_int_eq(got, pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) * 100L : 0;
}

void reply_free(struct reply *r)
{
	cJSON_Delete(r->json);
	free(r->body);
	memset(r, 0, sizeof(*r));
}

const char *reply_str(const struct reply *r, const char *key)
{
	const cJSON *item = r->json ? cJSON_GetObjectItemCaseSensitive(r->json, key) : NULL;

	return cJSON_IsString(item) ? item->valuestring : NULL;
}

char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0, got;

	if (!f)
		return NULL;
	do {
		if (n + 4096 + 1 > cap) {
			cap = (n + 4096 + 1) * 2;
			buf = realloc(buf, cap);
			ck_assert_ptr_nonnull(buf);
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
	} while (got > 0);
	ck_assert_msg(!ferror(f), "reading %s failed", path);
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

void server_clock(const struct server *s, const char *bearer, const char *body)
{
	struct reply r;

	http_call(s, "POST", "/v1/admin/clock", bearer, NULL, body, strlen(body), NULL, &r);
	ck_assert_msg(r.status == 200, "clock: %ld %s", r.status, r.body);
	reply_free(&r);
}

void server_clock_advance(const struct server *s, const char *bearer, const char *duration)
{
	char body[64];

	snprintf(body, sizeof(body), "{\"advance\":\"%s\"}", duration);
	server_clock(s, bearer, body);
}

sqlite3 *server_db(const struct server *s, int flags)
{
	char path[300];
	sqlite3 *db;

	snprintf(path, sizeof(path), "%s/ccond.db", s->data_dir);
	ck_assert_int_eq(sqlite3_open_v2(path, &db, flags, NULL), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	return db;
}

int64_t server_db_int(const struct server *s, const char *sql)
{
	sqlite3 *db = server_db(s, SQLITE_OPEN_READONLY);
	sqlite3_stmt *st;
	int64_t v = -1;

	ck_assert_msg(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK, "%s: %s", sql,
	              sqlite3_errmsg(db));
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

int64_t server_db_intf(const struct server *s, const char *fmt, ...)
{
	char sql[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	ck_assert_msg(n >= 0 && (size_t)n < sizeof(sql), "SQL too long: %s", fmt);
	return server_db_int(s, sql);
}
