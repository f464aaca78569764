/* The server as a process: start, health, routing errors, auth, restart. */
#include "config.h"

#include "harness.h"
#include "suites.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <regex.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

START_TEST(health_answers_without_a_key)
{
	struct server s;
	struct reply r;

	server_start(&s, NULL);
	http_call(&s, "GET", "/v1/health", NULL, NULL, NULL, 0, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(reply_str(&r, "status"), "ok");
	ck_assert_ptr_nonnull(reply_str(&r, "version"));
	reply_free(&r);
	server_destroy(&s);
}
END_TEST

START_TEST(unknown_routes_and_methods_are_json_errors)
{
	struct server s;
	struct reply r;

	server_start(&s, NULL);
	http_call(&s, "GET", "/v1/nothing/here", NULL, NULL, NULL, 0, NULL, &r);
	ck_assert_int_eq(r.status, 404);
	ck_assert_str_eq(reply_str(&r, "code"), "not_found");
	ck_assert_ptr_nonnull(strstr(reply_str(&r, "message"), "/v1/nothing/here"));
	reply_free(&r);
	http_call(&s, "DELETE", "/v1/health", NULL, NULL, NULL, 0, NULL, &r);
	ck_assert_int_eq(r.status, 405);
	ck_assert_str_eq(reply_str(&r, "code"), "method_not_allowed");
	reply_free(&r);
	server_destroy(&s);
}
END_TEST

START_TEST(data_dir_is_private_and_survives_restart)
{
	struct server s;
	struct stat st;
	struct reply r;
	char key[64];
	int64_t id1, id2;

	server_start(&s, NULL);
	ck_assert_int_eq(stat(s.data_dir, &st), 0);
	server_create_app(&s, "first", &id1, key, sizeof(key));
	ck_assert_int_ge(id1, 1);
	ck_assert_int_eq(strncmp(key, "ccon_", 5), 0);
	server_restart(&s);
	server_create_app(&s, "second", &id2, key, sizeof(key));
	ck_assert_int_eq(id2, id1 + 1);
	http_call(&s, "GET", "/v1/health", NULL, NULL, NULL, 0, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	reply_free(&r);
	server_destroy(&s);
}
END_TEST

static int pragma_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	int v = -1;

	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

START_TEST(store_is_wal_versioned_and_refuses_a_newer_schema)
{
	struct server s;
	char path[300], cmd[700], out[512] = "";
	sqlite3 *db;
	sqlite3_stmt *st;
	FILE *p;
	int status;

	server_start(&s, NULL);
	server_stop(&s);
	snprintf(path, sizeof(path), "%s/ccond.db", s.data_dir);
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_ge(pragma_int(db, "PRAGMA user_version"), 1);
	ck_assert_int_eq(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_str_eq((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	ck_assert_int_eq(sqlite3_exec(db, "PRAGMA user_version = 999", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	snprintf(cmd, sizeof(cmd), "'%s' --data-dir '%s' --listen 127.0.0.1:0 2>&1",
	         getenv("CCOND_BIN"), s.data_dir);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(fgets(out, sizeof(out), p));
	status = pclose(p);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 1, "status %d: %s", status, out);
	ck_assert_msg(strstr(out, "schema version 999") != NULL, "%s", out);
	server_destroy(&s);
}
END_TEST

static void clock_call(struct server *s, const char *auth, const char *body, struct reply *r)
{
	http_call(s, "POST", "/v1/admin/clock", auth, NULL, body, strlen(body), NULL, r);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

/* GET .../slots?channel=CH: "LENGTH_SECONDS/CAPACITY". */
static void slot_setting(struct server *s, int64_t app, const char *auth, const char *channel,
                         char *out, size_t size)
{
	char path[128];
	struct reply r;

	snprintf(path, sizeof(path), "/v1/applications/%lld/slots?channel=%s", (long long)app,
	         channel);
	http_call(s, "GET", path, auth, NULL, NULL, 0, NULL, &r);
	ck_assert_msg(r.status == 200, "%s", r.body);
	snprintf(out, size, "%g/%g",
	         cJSON_GetObjectItem(r.json, "slotLengthSeconds")->valuedouble,
	         cJSON_GetObjectItem(r.json, "capacity")->valuedouble);
	reply_free(&r);
}

START_TEST(config_file_sets_slots_and_the_api_wins)
{
	struct server s;
	char conf[300], text[320], auth[96], key[64], got[32];
	const char *args[] = { "--config", conf, NULL };
	const char *put = "{\"channel\":\"whatsapp\",\"slotLengthSeconds\":300,\"capacity\":3}";
	int64_t app, other;
	struct reply r;

	snprintf(conf, sizeof(conf), "/tmp/ccond-conf-%d.conf", (int)getpid());
	write_file(conf, "# slots\n[slots]\nwhatsapp = 600 5   # every app\nSMS=120 9\n\n"
	                 "[slots 1]\nsms = 60 7\n");
	server_start(&s, args);
	server_create_app(&s, "one", &app, key, sizeof(key));
	ck_assert_int_eq(app, 1);
	snprintf(auth, sizeof(auth), "Bearer %s", key);
	slot_setting(&s, app, auth, "whatsapp", got, sizeof(got));
	ck_assert_str_eq(got, "600/5");
	slot_setting(&s, app, auth, "sms", got, sizeof(got));
	ck_assert_str_eq(got, "60/7");              /* the application's own line */
	slot_setting(&s, app, auth, "rcs", got, sizeof(got));
	ck_assert_str_eq(got, "900/1000");          /* the built-in defaults */
	http_call(&s, "PUT", "/v1/applications/1/slots/config", auth, NULL, put, strlen(put), NULL,
	          &r);
	ck_assert_msg(r.status == 200, "%s", r.body);
	reply_free(&r);
	slot_setting(&s, app, auth, "whatsapp", got, sizeof(got));
	ck_assert_str_eq(got, "300/3");
	server_create_app(&s, "two", &other, key, sizeof(key));
	snprintf(auth, sizeof(auth), "Bearer %s", key);
	slot_setting(&s, other, auth, "sms", got, sizeof(got));
	ck_assert_str_eq(got, "120/9");
	/* the file is read again at each start, DATA_DIR/ccond.conf by default */
	server_stop(&s);
	snprintf(text, sizeof(text), "%s/ccond.conf", s.data_dir);
	write_file(text, "[slots 2]\nsms = 30 2\n");
	server_restart_with(&s, NULL);
	slot_setting(&s, other, auth, "sms", got, sizeof(got));
	ck_assert_str_eq(got, "30/2");
	slot_setting(&s, other, auth, "whatsapp", got, sizeof(got));
	ck_assert_str_eq(got, "900/1000");
	server_destroy(&s);
	unlink(conf);
}
END_TEST

START_TEST(a_bad_config_file_stops_ccond_with_line_and_column)
{
	static const struct { const char *text, *where, *what; } cases[] = {
		{ "whatsapp = 60 5\n", ":1:1:", "before any section" },
		{ "[slots]\n\nfax = 60 5\n", ":3:1:", "unknown channel 'fax'" },
		{ "[slots]\nsms = 0 5\n", ":2:7:", "1 to 86400" },
		{ "[slots]\n  sms = 60 many\n", ":2:12:", "capacity" },
		{ "[slot]\n", ":1:2:", "unknown section" },
		{ "[slots x]\n", ":1:8:", "application id" },
	};
	char conf[300], dir[300], cmd[900], out[512];

	snprintf(conf, sizeof(conf), "/tmp/ccond-badconf-%d.conf", (int)getpid());
	snprintf(dir, sizeof(dir), "/tmp/ccond-badconf-%d.d", (int)getpid());
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		FILE *p;
		int status;

		write_file(conf, cases[i].text);
		snprintf(cmd, sizeof(cmd), "'%s' --data-dir '%s' --config '%s' --listen 127.0.0.1:0 2>&1",
		         getenv("CCOND_BIN"), dir, conf);
		p = popen(cmd, "r");
		ck_assert_ptr_nonnull(p);
		out[0] = '\0';
		ck_assert_ptr_nonnull(fgets(out, sizeof(out), p));
		status = pclose(p);
		ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 1, "status %d: %s", status,
		              out);
		ck_assert_msg(strstr(out, conf) && strstr(out, cases[i].where) &&
		              strstr(out, cases[i].what), "case %zu: %s", i, out);
	}
	/* --config names a file that must exist */
	unlink(conf);
	{
		FILE *p;
		int status;

		p = popen(cmd, "r");
		ck_assert_ptr_nonnull(fgets(out, sizeof(out), p));
		status = pclose(p);
		ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 1, "%s", out);
		ck_assert_msg(strstr(out, "No such file") != NULL, "%s", out);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

START_TEST(manual_clock_moves_only_when_told)
{
	static const char *const manual[] = { "--clock", "manual", NULL };
	const char *campaign = "{\"name\":\"c\",\"channel\":\"whatsapp\",\"templateName\":\"t\"}";
	const char *send = "{\"contacts\":[{\"contactCode\":\"34666000001\","
	                   "\"channelType\":\"cloud_api\"}],\"delay\":\"PT30M50.5S\"}";
	char auth[96], key[64], path[128];
	struct server s;
	struct reply r;
	int64_t app;

	server_start(&s, manual);
	server_create_app(&s, "clock", &app, key, sizeof(key));
	snprintf(auth, sizeof(auth), "Bearer %s", key);
	clock_call(&s, NULL, "{\"advance\":\"PT1S\"}", &r);
	ck_assert_int_eq(r.status, 401);
	reply_free(&r);
	clock_call(&s, auth, "{\"set\":\"2027-01-31T10:00:00Z\"}", &r);
	ck_assert_msg(r.status == 200, "%s", r.body);
	ck_assert_str_eq(reply_str(&r, "now"), "2027-01-31T10:00:00Z");
	reply_free(&r);
	clock_call(&s, auth, "{\"advance\":\"P1M\"}", &r);
	ck_assert_str_eq(reply_str(&r, "now"), "2027-02-28T10:00:00Z");
	reply_free(&r);
	clock_call(&s, auth, "{\"set\":\"2027-02-01T00:00:00Z\"}", &r);
	ck_assert_int_eq(r.status, 400);
	ck_assert_str_eq(reply_str(&r, "code"), "out_of_range");
	ck_assert_str_eq(reply_str(&r, "path"), "set");
	reply_free(&r);
	clock_call(&s, auth, "{\"advance\":\"P1W2D\"}", &r);
	ck_assert_int_eq(r.status, 400);
	ck_assert_str_eq(reply_str(&r, "path"), "advance");
	reply_free(&r);
	clock_call(&s, auth, "{}", &r);
	ck_assert_int_eq(r.status, 400);
	ck_assert_str_eq(reply_str(&r, "code"), "missing_field");
	reply_free(&r);
	/* the manual time survives a restart, and sends read it */
	server_restart(&s);
	clock_call(&s, auth, "{\"advance\":\"PT0S\"}", &r);
	ck_assert_str_eq(reply_str(&r, "now"), "2027-02-28T10:00:00Z");
	reply_free(&r);
	snprintf(path, sizeof(path), "/v1/applications/%lld/campaigns", (long long)app);
	http_call(&s, "POST", path, auth, NULL, campaign, strlen(campaign), NULL, &r);
	ck_assert_msg(r.status == 201, "%s", r.body);
	reply_free(&r);
	snprintf(path, sizeof(path), "/v1/applications/%lld/campaigns/1/send", (long long)app);
	http_call(&s, "POST", path, auth, NULL, send, strlen(send), NULL, &r);
	ck_assert_msg(r.status == 202, "%s", r.body);
	ck_assert_str_eq(reply_str(&r, "sendAt"), "2027-02-28T10:30:50.500Z");
	reply_free(&r);
	server_destroy(&s);
}
END_TEST

START_TEST(real_clock_cannot_be_moved)
{
	char auth[96], key[64];
	struct server s;
	struct reply r;
	int64_t app;

	server_start(&s, NULL);
	server_create_app(&s, "clock", &app, key, sizeof(key));
	snprintf(auth, sizeof(auth), "Bearer %s", key);
	clock_call(&s, auth, "{\"advance\":\"PT1H\"}", &r);
	ck_assert_int_eq(r.status, 409);
	ck_assert_str_eq(reply_str(&r, "code"), "conflict");
	ck_assert_ptr_nonnull(strstr(reply_str(&r, "message"), "--clock manual"));
	reply_free(&r);
	server_destroy(&s);
}
END_TEST

/* ------------------------------------------------------- --access-log */

#define LOG_LINE "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z " \
                 "[A-Z]+ /[!-~]* ([0-9]{3}|-) [0-9]+ [0-9]+\\.[0-9]{3}ms( incomplete)?$"

struct logged {
	char dir[64];
	char path[128];
	const char *args[6];
};

static void logged_init(struct logged *l, const char *threads)
{
	snprintf(l->dir, sizeof(l->dir), "/tmp/ccon-it-log-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(l->dir));
	snprintf(l->path, sizeof(l->path), "%s/access.log", l->dir);
	l->args[0] = "--access-log";
	l->args[1] = l->path;
	l->args[2] = threads ? "--threads" : NULL;
	l->args[3] = threads;
	l->args[4] = NULL;
}

static void logged_free(struct logged *l)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", l->dir);
	ck_assert_int_eq(system(cmd), 0);
}

static char *read_all(const char *path, size_t *len)
{
	char *text = read_file(path, len);

	ck_assert_msg(text != NULL, "cannot read %s", path);
	return text;
}

static int count_lines(const char *path)
{
	char *all = read_all(path, NULL);
	int n = 0;

	for (const char *p = all; *p; p++)
		n += *p == '\n';
	free(all);
	return n;
}

/* Lines are written once the answer is sent: wait (up to 3 s) for n. */
static int wait_for_lines(const char *path, int n)
{
	struct timespec pause = { 0, 10 * 1000 * 1000 };
	int got = 0;

	for (int i = 0; i < 300 && (got = count_lines(path)) < n; i++)
		nanosleep(&pause, NULL);
	return got;
}

/* Every line of the file has the documented shape; how many do. */
static int well_formed_lines(const char *path)
{
	char *all = read_all(path, NULL), *save = NULL;
	regex_t re;
	int n = 0;

	ck_assert_int_eq(regcomp(&re, LOG_LINE, REG_EXTENDED | REG_NOSUB), 0);
	for (char *l = strtok_r(all, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		ck_assert_msg(regexec(&re, l, 0, NULL, 0) == 0, "malformed line: %s", l);
		n++;
	}
	regfree(&re);
	free(all);
	return n;
}

START_TEST(access_log_has_a_line_per_request_and_never_a_key)
{
	struct logged l;
	struct server s;
	struct reply r;
	char key[64], auth[96], path[256], want[300];
	char *all;
	int64_t app;
	size_t health_len;

	logged_init(&l, NULL);
	server_start(&s, l.args);
	server_create_app(&s, "log", &app, key, sizeof(key));
	snprintf(auth, sizeof(auth), "Bearer %s", key);
	http_call(&s, "GET", "/v1/health", NULL, NULL, NULL, 0, NULL, &r);
	health_len = r.len;
	reply_free(&r);
	ck_assert_int_eq(wait_for_lines(l.path, 1), 1);
	/* the key in the header, in the query (where no client should put
	 * it) and in the body: none of them reaches the log */
	snprintf(path, sizeof(path), "/v1/applications/%lld/campaigns?apiKey=%s&x=1", (long long)app,
	         key);
	snprintf(want, sizeof(want), "{\"name\":\"%s\",\"channel\":\"sms\",\"templateBody\":\"hi\"}",
	         key);
	http_call(&s, "POST", path, auth, NULL, want, strlen(want), NULL, &r);
	ck_assert_int_eq(r.status, 201);
	reply_free(&r);
	snprintf(path, sizeof(path), "/v1/applications/%lld/campaigns", (long long)app);
	http_call(&s, "GET", path, "Bearer wrong-key", NULL, NULL, 0, NULL, &r);
	ck_assert_int_eq(r.status, 401);
	reply_free(&r);
	ck_assert_int_eq(wait_for_lines(l.path, 3), 3);
	ck_assert_int_eq(well_formed_lines(l.path), 3);
	all = read_all(l.path, NULL);
	ck_assert_ptr_null(strstr(all, key));
	ck_assert_ptr_null(strstr(all, "wrong-key"));
	ck_assert_ptr_null(strstr(all, "Bearer"));
	snprintf(want, sizeof(want), " GET /v1/health 200 %zu ", health_len);
	ck_assert_msg(strstr(all, want) != NULL, "no '%s' in:\n%s", want, all);
	snprintf(want, sizeof(want), " POST /v1/applications/%lld/campaigns?apiKey=[redacted]&x=1 201 ",
	         (long long)app);
	ck_assert_msg(strstr(all, want) != NULL, "no '%s' in:\n%s", want, all);
	snprintf(want, sizeof(want), " GET /v1/applications/%lld/campaigns 401 ", (long long)app);
	ck_assert_msg(strstr(all, want) != NULL, "no '%s' in:\n%s", want, all);
	free(all);
	server_destroy(&s);
	logged_free(&l);
}
END_TEST

START_TEST(access_log_is_appended_and_empty_without_requests)
{
	struct logged l;
	struct server s;
	struct reply r;
	char *all;
	FILE *f;

	logged_init(&l, NULL);
	server_start(&s, l.args);
	server_stop(&s);
	ck_assert_int_eq(count_lines(l.path), 0); /* created, nothing in it */
	{
		struct stat st;

		ck_assert_int_eq(stat(l.path, &st), 0);
		ck_assert_int_eq(st.st_mode & 0777, 0600);
	}
	f = fopen(l.path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("a line from before\n", f);
	fclose(f);
	server_restart(&s);
	http_call(&s, "GET", "/v1/health?second=1", NULL, NULL, NULL, 0, NULL, &r);
	reply_free(&r);
	ck_assert_int_eq(wait_for_lines(l.path, 2), 2);
	all = read_all(l.path, NULL);
	ck_assert_int_eq(strncmp(all, "a line from before\n", 19), 0);
	ck_assert_ptr_nonnull(strstr(all + 19, " GET /v1/health?second=1 200 "));
	free(all);
	server_destroy(&s);
	logged_free(&l);
}
END_TEST

/* A request line with raw bytes no client library would send. */
static void raw_request(unsigned port, const char *bytes, size_t len)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	char answer[256];

	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(write(fd, bytes, len), (ssize_t)len);
	ck_assert_int_gt(read(fd, answer, sizeof(answer)), 0);
	close(fd);
}

START_TEST(access_log_has_no_control_bytes)
{
	static const char req[] = "GET /v1/\x1b[2J\x07\x7f\xc2\x9b\xe2\x80\xae%0a\\x?q=\x1b]52;c;x\x07"
	                          " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
	struct logged l;
	struct server s;
	size_t len;
	char *all;

	logged_init(&l, NULL);
	server_start(&s, l.args);
	raw_request(s.port, req, sizeof(req) - 1);
	ck_assert_int_eq(wait_for_lines(l.path, 1), 1);
	ck_assert_int_eq(well_formed_lines(l.path), 1);
	all = read_all(l.path, &len);
	for (size_t i = 0; i < len; i++)
		ck_assert_msg((all[i] >= 0x20 && all[i] < 0x7f) || (all[i] == '\n' && i == len - 1),
		              "byte 0x%02x at %zu in %s", (unsigned char)all[i], i, all);
	ck_assert_msg(strstr(all, " GET /v1/\\x1B[2J\\x07\\x7F\\xC2\\x9B\\xE2\\x80\\xAE%0a\\x5Cx?"
	                          "q=\\x1B]52;c;x\\x07 404 ") != NULL, "%s", all);
	free(all);
	server_destroy(&s);
	logged_free(&l);
}
END_TEST

START_TEST(access_log_lines_stay_whole_across_threads)
{
	enum { N = 32 };
	struct logged l;
	struct server s;
	pid_t kids[N];
	char path[640];               /* lines of 200 to 510 padding bytes */

	logged_init(&l, "4");
	server_start(&s, l.args);
	for (int i = 0; i < N; i++) {
		snprintf(path, sizeof(path), "/v1/health?n=%d&pad=%0*d", i, 200 + i * 10, i);
		kids[i] = http_fire(&s, "GET", path, NULL, NULL, 0);
	}
	for (int i = 0; i < N; i++)
		ck_assert_int_eq(http_fire_wait(kids[i], false), 200);
	ck_assert_int_eq(wait_for_lines(l.path, N), N);
	ck_assert_int_eq(well_formed_lines(l.path), N);
	server_destroy(&s);
	logged_free(&l);
}
END_TEST

START_TEST(access_log_refuses_a_file_it_cannot_open)
{
	char cmd[512];
	const char *bin = getenv("CCOND_BIN");
	char dir[64] = "/tmp/ccon-it-log-XXXXXX";
	int rc;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "'%s' --data-dir '%s' --listen 127.0.0.1:0 "
	         "--access-log '%s/no/such/dir/log' >/dev/null 2>&1", bin, dir, dir);
	rc = system(cmd);
	ck_assert_int_eq(WEXITSTATUS(rc), 1);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

Suite *ccon_it_suite_server(void)
{
	Suite *s = suite_create("server");
	TCase *tc = tcase_create("process");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, health_answers_without_a_key);
	tcase_add_test(tc, unknown_routes_and_methods_are_json_errors);
	tcase_add_test(tc, data_dir_is_private_and_survives_restart);
	tcase_add_test(tc, store_is_wal_versioned_and_refuses_a_newer_schema);
	tcase_add_test(tc, manual_clock_moves_only_when_told);
	tcase_add_test(tc, real_clock_cannot_be_moved);
	tcase_add_test(tc, config_file_sets_slots_and_the_api_wins);
	tcase_add_test(tc, a_bad_config_file_stops_ccond_with_line_and_column);
	tcase_add_test(tc, access_log_has_a_line_per_request_and_never_a_key);
	tcase_add_test(tc, access_log_is_appended_and_empty_without_requests);
	tcase_add_test(tc, access_log_has_no_control_bytes);
	tcase_add_test(tc, access_log_lines_stay_whole_across_threads);
	tcase_add_test(tc, access_log_refuses_a_file_it_cannot_open);
	suite_add_tcase(s, tc);
	return s;
}
