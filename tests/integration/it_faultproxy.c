/* The fault proxy (tests/tools/faultproxy) in front of the real ccond:
 * every action has the effect it promises, seen by a client and in
 * ccond's --access-log; rules from a control file are replaced on SIGHUP;
 * and libccon's client, posting a seed 000 send whose answer the proxy
 * drops, retries with the same Idempotency-Key and ccond holds the send
 * once (without a key it is not sent again, not even by libcurl's own
 * retry on a reused connection). */
#include "config.h"

#include "harness.h"
#include "suites.h"

#include <ccon/client.h>

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---------------------------------------------------------------- proxy */

struct proxy {
	pid_t pid;
	char url[64];
	char log[300];                 /* its stderr */
};

static const char *proxy_bin(void)
{
	static char path[4096];
	const char *bin = getenv("FAULTPROXY_BIN"), *ccond = getenv("CCOND_BIN");
	char copy[4096];

	if (bin && *bin)
		return bin;
	ck_assert_msg(ccond && *ccond, "FAULTPROXY_BIN or CCOND_BIN must be set");
	snprintf(copy, sizeof(copy), "%s", ccond);
	snprintf(path, sizeof(path), "%s/tests/tools/faultproxy", dirname(copy));
	return path;
}

/* Starts the proxy in front of upstream_port; rules NULL-terminated. */
static void proxy_start(struct proxy *p, const char *dir, unsigned upstream_port,
                        const char *control, const char *const *rules)
{
	const char *argv[40];
	char upstream[32], line[256];
	int n = 0;

	memset(p, 0, sizeof(*p));
	snprintf(upstream, sizeof(upstream), "127.0.0.1:%u", upstream_port);
	snprintf(p->log, sizeof(p->log), "%s/faultproxy.log", dir);
	argv[n++] = proxy_bin();
	argv[n++] = "--upstream";
	argv[n++] = upstream;
	if (control) {
		argv[n++] = "--control";
		argv[n++] = control;
	}
	for (int i = 0; rules && rules[i] && n < 36; i++) {
		argv[n++] = "--rule";
		argv[n++] = rules[i];
	}
	argv[n] = NULL;
	p->pid = spawn_until_line(argv, p->log, line, sizeof(line));
	ck_assert_msg(strncmp(line, "faultproxy listening on http://127.0.0.1:", 41) == 0,
	              "unexpected first line from faultproxy: %s", line);
	line[strcspn(line, "\n")] = '\0';
	ck_assert_int_lt(strlen(line), 41 + 8);
	memcpy(p->url, line + 24, strlen(line + 24) + 1); /* after "faultproxy listening on " */
}

static void proxy_stop(struct proxy *p)
{
	int status = 0;

	if (p->pid <= 0)
		return;
	kill(p->pid, SIGTERM);
	ck_assert_int_eq(waitpid(p->pid, &status, 0), p->pid);
	p->pid = 0;
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	              "faultproxy did not stop cleanly (status %d)", status);
}

/* The file's text; "" while it does not exist yet. */
static char *slurp(const char *path)
{
	char *text = read_file(path, NULL);

	if (!text)
		text = calloc(1, 1);
	ck_assert_ptr_nonnull(text);
	return text;
}

/* Lines of a file holding every one of the words (NULL-terminated). */
static int lines_with(const char *path, const char *const *words)
{
	char *all = slurp(path), *save = NULL;
	int n = 0;

	for (char *l = strtok_r(all, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		bool ok = true;

		for (int i = 0; words[i] && ok; i++)
			ok = strstr(l, words[i]) != NULL;
		n += ok;
	}
	free(all);
	return n;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Waits (up to 3 s) until the file has want lines with the words; the count. */
static int wait_lines(const char *path, const char *const *words, int want)
{
	int n = 0;

	for (int i = 0; i < 300 && (n = lines_with(path, words)) < want; i++)
		sleep_ms(10);
	return n;
}

/* ------------------------------------------------------------- fixture */

struct fixture {
	struct server s;
	struct proxy p;
	struct server via;             /* the proxy, for http_call */
	char dir[64];
	char access_log[128];
	int64_t app;
	char key[64], bearer[96], key_auth[96];
	int64_t campaign;
	char send_path[160];
	unsigned sentinels;
};

static void setup(struct fixture *f)
{
	struct reply r;
	char path[96];
	const char *body = "{\"name\":\"promo\",\"channel\":\"whatsapp\",\"templateName\":\"promo_v1\","
	                   "\"templateBody\":\"Hi {{name}}\"}";

	memset(f, 0, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/ccon-fp-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(f->dir));
	snprintf(f->access_log, sizeof(f->access_log), "%s/access.log", f->dir);
	{
		const char *args[] = { "--clock", "manual", "--access-log", f->access_log, NULL };

		server_start(&f->s, args);
	}
	server_create_app(&f->s, "fp", &f->app, f->key, sizeof(f->key));
	snprintf(f->bearer, sizeof(f->bearer), "Bearer %s", f->key);
	snprintf(f->key_auth, sizeof(f->key_auth), "Key %s", f->key);
	snprintf(path, sizeof(path), "/v1/applications/%lld/campaigns", (long long)f->app);
	http_call(&f->s, "POST", path, f->bearer, NULL, body, strlen(body), NULL, &r);
	ck_assert_msg(r.status == 201, "campaign: %ld %s", r.status, r.body);
	f->campaign = (int64_t)cJSON_GetObjectItem(r.json, "id")->valuedouble;
	reply_free(&r);
	snprintf(f->send_path, sizeof(f->send_path), "/v1/applications/%lld/campaigns/%lld/send",
	         (long long)f->app, (long long)f->campaign);
}

static void start_proxy(struct fixture *f, const char *control, const char *const *rules)
{
	proxy_start(&f->p, f->dir, f->s.port, control, rules);
	f->via = f->s;
	f->via.pid = 0;
	snprintf(f->via.base_url, sizeof(f->via.base_url), "%s", f->p.url);
}

static void teardown(struct fixture *f)
{
	char cmd[128];

	proxy_stop(&f->p);
	server_destroy(&f->s);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* A request straight to ccond, then waits for its line in the access log:
 * every request answered before it has its line by then too (or never). */
static void sentinel(struct fixture *f)
{
	char path[64];
	struct reply r;
	const char *words[] = { path, NULL };

	snprintf(path, sizeof(path), "/v1/health?sentinel=%u", ++f->sentinels);
	http_call(&f->s, "GET", path, NULL, NULL, NULL, 0, NULL, &r);
	reply_free(&r);
	ck_assert_int_eq(wait_lines(f->access_log, words, 1), 1);
	sleep_ms(50); /* lines of other MHD threads finishing at the same moment */
}

/* How many requests ccond logged for exactly this method and target (and
 * status, unless NULL). */
static int ccond_saw(struct fixture *f, const char *method, const char *path, const char *status)
{
	char m[32], p[200], st[16];
	const char *words[] = { m, p, status ? st : NULL, NULL };

	snprintf(m, sizeof(m), " %s ", method);
	snprintf(p, sizeof(p), " %s ", path);
	snprintf(st, sizeof(st), " %s ", status ? status : "");
	sentinel(f);
	return lines_with(f->access_log, words);
}

static int proxy_said(struct fixture *f, const char *what)
{
	const char *words[] = { what, NULL };

	return lines_with(f->p.log, words);
}

/* ------------------------------------------------------ raw HTTP calls */

struct raw {
	CURLcode rc;
	long status;
	char body[8192];
	size_t len;
	char retry_after[32];
	double seconds;
};

static size_t raw_body(char *data, size_t size, size_t n, void *ud)
{
	struct raw *r = ud;
	size_t k = size * n, room = sizeof(r->body) - 1 - r->len;

	memcpy(r->body + r->len, data, k < room ? k : room);
	r->len += k < room ? k : room;
	r->body[r->len] = '\0';
	return size * n;
}

static size_t raw_header(char *data, size_t size, size_t n, void *ud)
{
	struct raw *r = ud;

	if (size * n > 13 && strncasecmp(data, "Retry-After: ", 13) == 0)
		snprintf(r->retry_after, sizeof(r->retry_after), "%.*s", (int)strcspn(data + 13, "\r\n"),
		         data + 13);
	return size * n;
}

/* One request through a (reusable) easy handle; body NULL: none. */
static void raw_call(CURL *c, const char *base, const char *method, const char *path,
                     const char *auth, const char *body, long timeout_ms, struct raw *r)
{
	struct curl_slist *h = NULL;
	char url[512], line[200];

	memset(r, 0, sizeof(*r));
	snprintf(url, sizeof(url), "%s%s", base, path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, raw_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, raw_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	if (auth) {
		snprintf(line, sizeof(line), "Authorization: %s", auth);
		h = curl_slist_append(h, line);
	}
	if (body) {
		h = curl_slist_append(h, "Content-Type: application/json");
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body));
	} else {
		curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	}
	h = curl_slist_append(h, "Expect:");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	r->rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
	curl_easy_getinfo(c, CURLINFO_TOTAL_TIME, &r->seconds);
	curl_slist_free_all(h);
}

static void raw_once(const char *base, const char *method, const char *path, const char *auth,
                     const char *body, long timeout_ms, struct raw *r)
{
	CURL *c = curl_easy_init();

	ck_assert_ptr_nonnull(c);
	raw_call(c, base, method, path, auth, body, timeout_ms, r);
	curl_easy_cleanup(c);
}

static const char *three_contacts(void)
{
	return "{\"contacts\":["
	       "{\"contactCode\":\"34666000101\",\"channelType\":\"cloud_api\",\"customFields\":{\"name\":\"A\"}},"
	       "{\"contactCode\":\"34666000102\",\"channelType\":\"cloud_api\",\"customFields\":{\"name\":\"B\"}},"
	       "{\"contactCode\":\"34666000103\",\"channelType\":\"cloud_api\",\"customFields\":{\"name\":\"C\"}}]}";
}

/* The campaign's audience as ccond holds it (seed 002 get /audiences/{id}):
 * its total counts every attempt of every recipient. */
static int audience_total(struct fixture *f)
{
	char body[512];
	struct reply r;
	const cJSON *res, *total;
	int n;

	snprintf(body, sizeof(body),
	         "{\"id\":\"a1\",\"to\":\"postmaster@activecampaign.msging.net\",\"method\":\"get\","
	         "\"uri\":\"/audiences/%lld\"}", (long long)f->campaign);
	http_call(&f->s, "POST", "/commands", f->key_auth, NULL, body, strlen(body), NULL, &r);
	ck_assert_msg(r.status == 200 && strcmp(reply_str(&r, "status"), "success") == 0, "%s", r.body);
	res = cJSON_GetObjectItem(r.json, "resource");
	total = cJSON_GetObjectItem(res, "total");
	ck_assert(cJSON_IsNumber(total));
	n = total->valueint;
	reply_free(&r);
	return n;
}

/* ------------------------------------------------------------- actions */

START_TEST(pass_relays_with_keep_alive_and_chunked_bodies)
{
	struct fixture f;
	struct raw r;
	struct reply rep;
	CURL *c = curl_easy_init();
	struct curl_slist *h = NULL;
	long reused = 0;

	setup(&f);
	start_proxy(&f, NULL, NULL);
	raw_call(c, f.p.url, "GET", "/v1/health", NULL, NULL, 5000, &r);
	ck_assert_int_eq(r.rc, CURLE_OK);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "\"status\":\"ok\""));
	raw_call(c, f.p.url, "GET", "/v1/health?again=1", NULL, NULL, 5000, &r);
	ck_assert_int_eq(r.rc, CURLE_OK);
	curl_easy_getinfo(c, CURLINFO_NUM_CONNECTS, &reused);
	ck_assert_int_eq(reused, 0); /* the second went on the same connection */
	curl_easy_cleanup(c);
	/* a chunked request body is framed and relayed whole */
	h = curl_slist_append(h, "Transfer-Encoding: chunked");
	h = curl_slist_append(h, "Expect:");
	c = curl_easy_init();
	{
		char url[256];

		snprintf(url, sizeof(url), "%s%s", f.p.url, f.send_path);
		curl_easy_setopt(c, CURLOPT_URL, url);
	}
	memset(&r, 0, sizeof(r));
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, three_contacts());
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, raw_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &r);
	{
		char line[200];

		snprintf(line, sizeof(line), "Authorization: %s", f.bearer);
		h = curl_slist_append(h, line);
		h = curl_slist_append(h, "Content-Type: application/json");
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	ck_assert_int_eq(curl_easy_perform(c), CURLE_OK);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
	ck_assert_msg(r.status == 202, "%ld %s", r.status, r.body);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	ck_assert_int_eq(audience_total(&f), 3);
	ck_assert_int_eq(ccond_saw(&f, "GET", "/v1/health", "200"), 1);
	ck_assert_int_eq(ccond_saw(&f, "GET", "/v1/health?again=1", "200"), 1);
	ck_assert_int_eq(ccond_saw(&f, "POST", f.send_path, "202"), 1);
	ck_assert_int_eq(proxy_said(&f, "-> pass"), 3);
	/* the proxy never prints a header: the key stays out of its log */
	{
		char *log = slurp(f.p.log);

		ck_assert_ptr_null(strstr(log, f.key));
		free(log);
	}
	/* http_call through the proxy: a plain request works as direct */
	http_call(&f.via, "GET", "/v1/health", NULL, NULL, NULL, 0, NULL, &rep);
	ck_assert_int_eq(rep.status, 200);
	reply_free(&rep);
	teardown(&f);
}
END_TEST

START_TEST(status_answers_without_forwarding)
{
	struct fixture f;
	const char *rules[] = { "GET /v1/health status=503 x1", "* /v1/applications/ status=429 retry-after=7",
		                NULL };
	struct raw r;

	setup(&f);
	start_proxy(&f, NULL, rules);
	raw_once(f.p.url, "GET", "/v1/health?probe=1", NULL, NULL, 5000, &r);
	ck_assert_int_eq(r.rc, CURLE_OK);
	ck_assert_int_eq(r.status, 503);
	ck_assert_msg(strstr(r.body, "\"code\":\"unavailable\"") != NULL, "%s", r.body);
	raw_once(f.p.url, "GET", "/v1/health?probe=2", NULL, NULL, 5000, &r);
	ck_assert_int_eq(r.status, 200); /* x1: only the first */
	raw_once(f.p.url, "POST", f.send_path, f.bearer, three_contacts(), 5000, &r);
	ck_assert_int_eq(r.status, 429);
	ck_assert_str_eq(r.retry_after, "7");
	ck_assert_msg(strstr(r.body, "\"code\":\"rate_limited\"") != NULL, "%s", r.body);
	ck_assert_int_eq(ccond_saw(&f, "GET", "/v1/health?probe=1", NULL), 0);
	ck_assert_int_eq(ccond_saw(&f, "GET", "/v1/health?probe=2", "200"), 1);
	ck_assert_int_eq(ccond_saw(&f, "POST", f.send_path, NULL), 0);
	ck_assert_int_eq(audience_total(&f), 0);
	ck_assert_int_eq(proxy_said(&f, "-> status"), 2);
	teardown(&f);
}
END_TEST

START_TEST(drop_request_never_reaches_ccond)
{
	struct fixture f;
	const char *rules[] = { "POST /v1/applications/ drop-request", NULL };
	struct raw r;

	setup(&f);
	start_proxy(&f, NULL, rules);
	raw_once(f.p.url, "POST", f.send_path, f.bearer, three_contacts(), 5000, &r);
	ck_assert_int_eq(r.rc, CURLE_GOT_NOTHING);
	ck_assert_int_eq(ccond_saw(&f, "POST", f.send_path, NULL), 0);
	ck_assert_int_eq(audience_total(&f), 0);
	ck_assert_int_eq(proxy_said(&f, "-> drop-request"), 1);
	teardown(&f);
}
END_TEST

START_TEST(drop_response_lets_ccond_answer_but_loses_it)
{
	struct fixture f;
	const char *rules[] = { "POST /v1/applications/ drop-response", NULL };
	struct raw r;

	setup(&f);
	start_proxy(&f, NULL, rules);
	raw_once(f.p.url, "POST", f.send_path, f.bearer, three_contacts(), 5000, &r);
	ck_assert_int_eq(r.rc, CURLE_GOT_NOTHING);
	ck_assert_int_eq(r.len, 0);
	ck_assert_int_eq(ccond_saw(&f, "POST", f.send_path, "202"), 1);
	ck_assert_int_eq(audience_total(&f), 3);
	ck_assert_int_eq(proxy_said(&f, ": dropped"), 1);
	teardown(&f);
}
END_TEST

START_TEST(delay_holds_the_answer)
{
	struct fixture f;
	const char *rules[] = { "GET /v1/health?slow delay=400", NULL };
	struct raw r;

	setup(&f);
	start_proxy(&f, NULL, rules);
	raw_once(f.p.url, "GET", "/v1/health?fast", NULL, NULL, 5000, &r);
	ck_assert_int_eq(r.rc, CURLE_OK);
	ck_assert_msg(r.seconds < 0.3, "a request without a rule took %.3f s", r.seconds);
	raw_once(f.p.url, "GET", "/v1/health?slow", NULL, NULL, 5000, &r);
	ck_assert_int_eq(r.rc, CURLE_OK);
	ck_assert_int_eq(r.status, 200);
	ck_assert_msg(r.seconds >= 0.4 && r.seconds < 2.0, "delay=400 took %.3f s", r.seconds);
	ck_assert_int_eq(ccond_saw(&f, "GET", "/v1/health?slow", "200"), 1);
	teardown(&f);
}
END_TEST

START_TEST(stall_never_answers_nor_forwards)
{
	struct fixture f;
	const char *rules[] = { "GET /v1/health?stall stall", NULL };
	struct raw r;

	setup(&f);
	start_proxy(&f, NULL, rules);
	raw_once(f.p.url, "GET", "/v1/health?stall", NULL, NULL, 500, &r);
	ck_assert_int_eq(r.rc, CURLE_OPERATION_TIMEDOUT);
	ck_assert_msg(r.seconds >= 0.45, "gave up after %.3f s", r.seconds);
	ck_assert_int_eq(ccond_saw(&f, "GET", "/v1/health?stall", NULL), 0);
	/* others still pass while one connection stalls */
	raw_once(f.p.url, "GET", "/v1/health?other", NULL, NULL, 5000, &r);
	ck_assert_int_eq(r.status, 200);
	teardown(&f);
}
END_TEST

START_TEST(truncate_and_cut_body_close_mid_answer)
{
	struct fixture f;
	const char *rules[] = { "GET /v1/health?t truncate=5", "GET /v1/health?c cut-body", NULL };
	struct raw whole, r;

	setup(&f);
	start_proxy(&f, NULL, rules);
	raw_once(f.s.base_url, "GET", "/v1/health?t", NULL, NULL, 5000, &whole);
	ck_assert_int_eq(whole.rc, CURLE_OK);
	ck_assert_int_gt(whole.len, 10);
	raw_once(f.p.url, "GET", "/v1/health?t", NULL, NULL, 5000, &r);
	ck_assert_int_eq(r.rc, CURLE_PARTIAL_FILE);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(r.len, 5);
	ck_assert_int_eq(memcmp(r.body, whole.body, 5), 0);
	raw_once(f.p.url, "GET", "/v1/health?c", NULL, NULL, 5000, &r);
	ck_assert_int_eq(r.rc, CURLE_PARTIAL_FILE);
	ck_assert_int_eq(r.len, whole.len / 2);
	ck_assert_int_eq(memcmp(r.body, whole.body, r.len), 0);
	ck_assert_int_eq(proxy_said(&f, ": truncated"), 1);
	ck_assert_int_eq(proxy_said(&f, ": cut"), 1);
	teardown(&f);
}
END_TEST

/* Replaces the control file at once (a rename): the proxy's poller never
 * sees it half-written. */
static void write_control(const char *path, const char *text)
{
	char tmp[160];
	FILE *cf;

	snprintf(tmp, sizeof(tmp), "%s.new", path);
	cf = fopen(tmp, "w");
	ck_assert_ptr_nonnull(cf);
	fputs(text, cf);
	ck_assert_int_eq(fclose(cf), 0);
	ck_assert_int_eq(rename(tmp, path), 0);
}

static long status_of(const char *base, const char *path)
{
	struct raw r;

	raw_once(base, "GET", path, NULL, NULL, 5000, &r);
	ck_assert_int_eq(r.rc, CURLE_OK);
	return r.status;
}

START_TEST(control_file_replaced_on_sighup)
{
	struct fixture f;
	char control[128];
	long st = 0;

	setup(&f);
	snprintf(control, sizeof(control), "%s/rules", f.dir);
	start_proxy(&f, control, NULL); /* missing: no rules from it */
	ck_assert_int_eq(status_of(f.p.url, "/v1/health"), 200);
	write_control(control, "# one rule\n\nGET /v1/health status=500 x1\n");
	kill(f.p.pid, SIGHUP);
	ck_assert_int_eq(status_of(f.p.url, "/v1/health"), 500);
	ck_assert_int_eq(status_of(f.p.url, "/v1/health"), 200);
	write_control(control, "GET /v1/health?k status=418\n");
	kill(f.p.pid, SIGHUP);
	ck_assert_int_eq(status_of(f.p.url, "/v1/health?k"), 418);
	/* a file with an error keeps the rules in force and says where */
	write_control(control, "GET /v1/health?k status=502\nGET /v1/health explode\n");
	kill(f.p.pid, SIGHUP);
	ck_assert_int_eq(status_of(f.p.url, "/v1/health?k"), 418);
	ck_assert_int_ge(proxy_said(&f, "rules:2: unknown action 'explode'; rules kept"), 1);
	/* without a signal, a change is seen within about a second */
	write_control(control, "GET /v1/health status=503\n");
	for (int i = 0; i < 30 && (st = status_of(f.p.url, "/v1/health")) != 503; i++)
		sleep_ms(100);
	ck_assert_int_eq(st, 503);
	teardown(&f);
}
END_TEST

START_TEST(bad_rules_are_refused)
{
	const char *bad[] = { "GET /x", "get /x pass", "GET x pass", "GET /x status=99",
		              "GET /x delay", "GET /x stall=3", "GET /x pass x0", "GET /x delay=-1",
		              "GET /x pass retry-after=3", "GET /x teleport" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char cmd[512];

		snprintf(cmd, sizeof(cmd), "'%s' --upstream 127.0.0.1:9 --rule '%s' 2>/dev/null",
		         proxy_bin(), bad[i]);
		ck_assert_msg(WEXITSTATUS(system(cmd)) == 2, "rule '%s' was taken", bad[i]);
	}
}
END_TEST

/* A port on 127.0.0.1 where nothing listens (bound, then closed). */
static unsigned dead_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	close(fd);
	return ntohs(a.sin_port);
}

START_TEST(unreachable_upstream_is_502)
{
	struct proxy p;
	char dir[64] = "/tmp/ccon-fp-XXXXXX", cmd[100];
	struct raw r;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	proxy_start(&p, dir, dead_port(), NULL, NULL);
	raw_once(p.url, "GET", "/v1/health", NULL, NULL, 5000, &r);
	ck_assert_int_eq(r.rc, CURLE_OK);
	ck_assert_int_eq(r.status, 502);
	proxy_stop(&p);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

/* ------------------------------------------------- libccon's client */

struct got {
	int calls;
	long status;
	unsigned attempts;
	struct ccon_error err;
};

static void on_done(void *ctx, const struct ccon_response *r)
{
	struct got *g = ctx;

	g->calls++;
	g->status = r->status;
	g->attempts = r->attempts;
	g->err = r->err;
}

static void pump(struct ccon_client *c, struct got *g, int64_t limit_ms)
{
	int64_t end = ccon_monotonic_ms() + limit_ms;
	struct ccon_error err;

	while (g->calls == 0 && ccon_monotonic_ms() < end) {
		ck_assert_int_eq(ccon_client_wait(c, NULL, 0, 50, &err), 0);
		ccon_client_run(c);
	}
	ck_assert_msg(g->calls == 1, "no answer within %lld ms", (long long)limit_ms);
}

static struct ccon_client *client_via(struct fixture *f)
{
	struct ccon_client_config cfg = { 0 };
	struct ccon_client *c;
	struct ccon_error err;

	cfg.base_url = f->p.url;
	cfg.token = f->key;
	cfg.max_retries = 3;
	cfg.backoff_ms = 50;
	cfg.backoff_max_ms = 200;
	cfg.timeout_ms = 5000;
	ck_assert_msg(ccon_client_new(&cfg, &c, &err) == 0, "%s", err.message);
	return c;
}

static void client_send(struct fixture *f, struct ccon_client *c, const char *idem_key,
                        struct got *g)
{
	struct ccon_request rq = { 0 };
	struct ccon_error err;

	rq.method = "POST";
	rq.path = f->send_path;
	rq.body = three_contacts();
	rq.len = strlen(rq.body);
	rq.idempotency_key = idem_key;
	rq.auth = CCON_AUTH_BEARER;
	memset(g, 0, sizeof(*g));
	ck_assert_msg(ccon_client_send(c, &rq, on_done, g, &err) > 0, "%s", err.message);
	pump(c, g, 10000);
}

/* A GET first, so the send goes on a connection libcurl reuses. */
static void warm_up(struct fixture *f, struct ccon_client *c)
{
	struct ccon_request rq = { .method = "GET", .path = "/v1/health", .retry = true };
	struct ccon_error err;
	struct got g = { 0 };

	(void)f;
	ck_assert(ccon_client_send(c, &rq, on_done, &g, &err) > 0);
	pump(c, &g, 5000);
	ck_assert_int_eq(g.status, 200);
}

/* warm: on a connection libcurl reuses, where it may send the request
 * again by itself (attempts 1: harmless with a key); fresh: the client's
 * own retry (attempts 2). Either way ccond holds the send once. */
static void lost_answer_is_retried_once(const char *action, bool warm)
{
	struct fixture f;
	char rule[256];
	const char *rules[] = { rule, NULL };
	struct ccon_client *c;
	struct got g;

	setup(&f);
	snprintf(rule, sizeof(rule), "POST %s %s x1", f.send_path, action);
	start_proxy(&f, NULL, rules);
	c = client_via(&f);
	if (warm)
		warm_up(&f, c);
	client_send(&f, c, "send-lost-answer-1", &g);
	ck_assert_msg(g.status == 202, "%ld: %s", g.status, g.err.message);
	ck_assert_int_eq(g.err.code, CCON_E_OK);
	if (warm)
		ck_assert_uint_le(g.attempts, 2);
	else
		ck_assert_uint_eq(g.attempts, 2);
	/* ccond answered both; the second from the idempotency store */
	ck_assert_int_eq(ccond_saw(&f, "POST", f.send_path, "202"), 2);
	ck_assert_int_eq(audience_total(&f), 3);
	ccon_client_free(c);
	teardown(&f);
}

START_TEST(client_retries_a_dropped_answer_with_the_same_key)
{
	lost_answer_is_retried_once("drop-response", false);
	lost_answer_is_retried_once("drop-response", true);
}
END_TEST

START_TEST(client_retries_a_truncated_answer_with_the_same_key)
{
	lost_answer_is_retried_once("truncate=10", false);
}
END_TEST

START_TEST(client_retries_5xx_with_the_same_key)
{
	struct fixture f;
	char rule[256];
	const char *rules[] = { rule, NULL };
	struct ccon_client *c;
	struct got g;

	setup(&f);
	snprintf(rule, sizeof(rule), "POST %s status=503 x2", f.send_path);
	start_proxy(&f, NULL, rules);
	c = client_via(&f);
	client_send(&f, c, "send-503-1", &g);
	ck_assert_msg(g.status == 202, "%ld: %s", g.status, g.err.message);
	ck_assert_uint_eq(g.attempts, 3);
	ck_assert_int_eq(ccond_saw(&f, "POST", f.send_path, "202"), 1);
	ck_assert_int_eq(audience_total(&f), 3);
	ccon_client_free(c);
	teardown(&f);
}
END_TEST

START_TEST(client_without_key_never_sends_twice)
{
	struct fixture f;
	char rule[256];
	const char *rules[] = { rule, NULL };
	struct ccon_client *c;
	struct got g;

	setup(&f);
	snprintf(rule, sizeof(rule), "POST %s drop-response x1", f.send_path);
	start_proxy(&f, NULL, rules);
	c = client_via(&f);
	warm_up(&f, c);
	client_send(&f, c, NULL, &g);
	ck_assert_int_eq(g.status, 0);
	ck_assert_int_eq(g.err.code, CCON_E_IO);
	ck_assert_uint_eq(g.attempts, 1);
	ck_assert_int_eq(ccond_saw(&f, "POST", f.send_path, NULL), 1);
	ck_assert_int_eq(audience_total(&f), 3);
	ck_assert_int_eq(proxy_said(&f, "POST /v1/applications/"), 1);
	ccon_client_free(c);
	teardown(&f);
}
END_TEST

Suite *ccon_it_suite_faultproxy(void)
{
	Suite *s = suite_create("faultproxy");
	TCase *tc = tcase_create("actions");
	TCase *cl = tcase_create("client");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, pass_relays_with_keep_alive_and_chunked_bodies);
	tcase_add_test(tc, status_answers_without_forwarding);
	tcase_add_test(tc, drop_request_never_reaches_ccond);
	tcase_add_test(tc, drop_response_lets_ccond_answer_but_loses_it);
	tcase_add_test(tc, delay_holds_the_answer);
	tcase_add_test(tc, stall_never_answers_nor_forwards);
	tcase_add_test(tc, truncate_and_cut_body_close_mid_answer);
	tcase_add_test(tc, control_file_replaced_on_sighup);
	tcase_add_test(tc, bad_rules_are_refused);
	tcase_add_test(tc, unreachable_upstream_is_502);
	suite_add_tcase(s, tc);
	tcase_set_timeout(cl, 60);
	tcase_add_test(cl, client_retries_a_dropped_answer_with_the_same_key);
	tcase_add_test(cl, client_retries_a_truncated_answer_with_the_same_key);
	tcase_add_test(cl, client_retries_5xx_with_the_same_key);
	tcase_add_test(cl, client_without_key_never_sends_twice);
	suite_add_tcase(s, cl);
	return s;
}
