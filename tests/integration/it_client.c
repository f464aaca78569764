/* The console's API client against the real ccond (health, REST with a
 * bearer, /commands with Key, 401, API error bodies, a stalled server) and
 * against a tiny loopback HTTP server of the test's own for what ccond
 * never answers (503/429 with Retry-After, a token echoed back): retries,
 * back-off, idempotency keys, the connection state, the event loop's wait
 * (extra descriptors, wakeup, no spinning), cancel and free. */
#include "config.h"

#include "harness.h"
#include "suites.h"

#include <ccon/client.h>
#include <ccon/codec_command.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TOKEN "SECRET-TOKEN-4711-zz"

/* --------------------------------------------------------------- helpers */

struct got {
	int calls;
	long status;
	unsigned attempts;
	double elapsed_ms;
	struct ccon_error err;
	char body[4096];
	char content_type[128];
};

static void on_done(void *ctx, const struct ccon_response *r)
{
	struct got *g = ctx;

	g->calls++;
	g->status = r->status;
	g->attempts = r->attempts;
	g->elapsed_ms = r->elapsed_ms;
	g->err = r->err;
	snprintf(g->body, sizeof(g->body), "%s", r->body);
	snprintf(g->content_type, sizeof(g->content_type), "%s",
	         r->content_type ? r->content_type : "");
	ck_assert_uint_eq(strlen(r->body), r->len);
}

static double cpu_ms(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000.0 +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000.0;
}

/* Runs the loop until g has its answer or limit_ms passed; how many turns. */
static unsigned pump(struct ccon_client *c, struct got *g, int64_t limit_ms)
{
	int64_t end = ccon_monotonic_ms() + limit_ms;
	struct ccon_error err;
	unsigned turns = 0;

	while ((!g || g->calls == 0) && ccon_monotonic_ms() < end) {
		int64_t left = end - ccon_monotonic_ms();

		ck_assert_int_eq(ccon_client_wait(c, NULL, 0, left > 0 ? (int)left : 0, &err), 0);
		ccon_client_run(c);
		turns++;
	}
	return turns;
}

static struct ccon_client *client_for(const char *url, const char *token, long timeout_ms,
                                      unsigned retries, long backoff_ms)
{
	struct ccon_client_config cfg = { 0 };
	struct ccon_client *c;
	struct ccon_error err;

	cfg.base_url = url;
	cfg.token = token;
	cfg.timeout_ms = timeout_ms;
	cfg.connect_timeout_ms = timeout_ms;
	cfg.max_retries = retries;
	cfg.backoff_ms = backoff_ms;
	ck_assert_msg(ccon_client_new(&cfg, &c, &err) == 0, "client: %s", err.message);
	return c;
}

static int64_t get(struct ccon_client *c, const char *path, enum ccon_client_auth auth,
                   struct got *g)
{
	struct ccon_request rq = { .method = "GET", .path = path, .auth = auth, .retry = true };
	struct ccon_error err;
	int64_t id = ccon_client_send(c, &rq, on_done, g, &err);

	ck_assert_msg(id > 0, "send: %s", err.message);
	return id;
}

static enum ccon_conn_state conn_state(const struct ccon_client *c)
{
	struct ccon_conn_info ci;

	ccon_client_conn(c, &ci);
	return ci.state;
}

static void wait_retrying(struct ccon_client *c)
{
	int64_t end = ccon_monotonic_ms() + 3000;

	while (conn_state(c) != CCON_CONN_RETRYING && ccon_monotonic_ms() < end)
		pump(c, NULL, 20);
	ck_assert_int_eq(conn_state(c), CCON_CONN_RETRYING);
}

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

/* ------------------------------------------- a loopback server of our own */

struct canned {
	const char *head;            /* "503 Busy\r\nRetry-After: 1" */
	const char *body;
};

#define MAX_SEEN 8

struct responder {
	int fd;
	unsigned port;
	char url[64];
	pthread_t thread;
	atomic_bool stop;
	const struct canned *answers;
	size_t n_answers;
	unsigned batch;              /* answer only once this many wait (0: 1) */
	atomic_bool hold;            /* and not before this is false again */
	atomic_uint answered;
	char seen[MAX_SEEN][2048];   /* each request's head and body */
	atomic_int n_seen;
};

static size_t read_request(int fd, char *buf, size_t size)
{
	size_t used = 0, need = 0;
	char *end;

	while (used + 1 < size) {
		ssize_t n = read(fd, buf + used, size - 1 - used);

		if (n <= 0)
			break;
		used += (size_t)n;
		buf[used] = '\0';
		end = strstr(buf, "\r\n\r\n");
		if (end && !need) {
			const char *cl = strcasestr(buf, "Content-Length:");

			need = (size_t)(end - buf) + 4 + (cl ? strtoul(cl + 15, NULL, 10) : 0);
		}
		if (need && used >= need)
			break;
	}
	buf[used] = '\0';
	return used;
}

static void reply_canned(struct responder *rs, int fd, unsigned nth)
{
	const struct canned *a = &rs->answers[nth < rs->n_answers ? nth : rs->n_answers - 1];
	char out[4096];
	int n;

	n = snprintf(out, sizeof(out), "HTTP/1.1 %s\r\nContent-Length: %zu\r\n"
	             "Connection: close\r\n\r\n%s", a->head, strlen(a->body), a->body);
	if (write(fd, out, (size_t)n) < 0)
		perror("responder");
	close(fd);
}

/* Answers the pending connections in the order of their request lines. */
static void flush_pending(struct responder *rs, int *fds, const char **reqs, unsigned n,
                          unsigned *answered)
{
	for (unsigned i = 0; i < n; i++)
		for (unsigned j = i + 1; j < n; j++)
			if (strcmp(reqs[j], reqs[i]) < 0) {
				const char *r = reqs[i];
				int fd = fds[i];

				reqs[i] = reqs[j];
				fds[i] = fds[j];
				reqs[j] = r;
				fds[j] = fd;
			}
	for (unsigned i = 0; i < n; i++)
		reply_canned(rs, fds[i], (*answered)++);
}

static void *responder_main(void *arg)
{
	struct responder *rs = arg;
	unsigned batch = rs->batch ? rs->batch : 1, pending = 0, answered = 0;
	int fds[MAX_SEEN];
	const char *reqs[MAX_SEEN];
	char scratch[2048];

	while (!atomic_load(&rs->stop)) {
		struct pollfd p = { .fd = rs->fd, .events = POLLIN };
		int fd, i;

		if (pending && (pending == batch || pending == MAX_SEEN) && !atomic_load(&rs->hold)) {
			flush_pending(rs, fds, reqs, pending, &answered);
			atomic_store(&rs->answered, answered);
			pending = 0;
		}
		if (pending == MAX_SEEN || poll(&p, 1, 10) <= 0)
			continue;
		fd = accept(rs->fd, NULL, NULL);
		if (fd < 0)
			continue;
		i = atomic_load(&rs->n_seen);
		reqs[pending] = i < MAX_SEEN ? rs->seen[i] : scratch;
		read_request(fd, (char *)reqs[pending], sizeof(scratch));
		atomic_store(&rs->n_seen, i + 1);
		fds[pending++] = fd;
	}
	for (unsigned k = 0; k < pending; k++)
		close(fds[k]);
	return NULL;
}

static void responder_start_batch(struct responder *rs, const struct canned *answers, size_t n,
                                  unsigned batch)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);

	memset(rs, 0, sizeof(*rs));
	rs->batch = batch;
	rs->answers = answers;
	rs->n_answers = n;
	rs->fd = socket(AF_INET, SOCK_STREAM, 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(rs->fd, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(listen(rs->fd, 8), 0);
	ck_assert_int_eq(getsockname(rs->fd, (struct sockaddr *)&a, &len), 0);
	rs->port = ntohs(a.sin_port);
	snprintf(rs->url, sizeof(rs->url), "http://127.0.0.1:%u", rs->port);
	ck_assert_int_eq(pthread_create(&rs->thread, NULL, responder_main, rs), 0);
}

static void responder_start(struct responder *rs, const struct canned *answers, size_t n)
{
	responder_start_batch(rs, answers, n, 0);
}

static void responder_stop(struct responder *rs)
{
	atomic_store(&rs->stop, true);
	pthread_join(rs->thread, NULL);
	close(rs->fd);
}

/* ---------------------------------------------------------- with ccond */

struct fixture {
	struct server s;
	int64_t app;
	char key[64];
	char bearer[96];
	char campaigns[96];          /* /v1/applications/{app}/campaigns */
};

static void setup(struct fixture *f)
{
	server_start(&f->s, NULL);
	server_create_app(&f->s, "client", &f->app, f->key, sizeof(f->key));
	snprintf(f->bearer, sizeof(f->bearer), "Bearer %s", f->key);
	snprintf(f->campaigns, sizeof(f->campaigns), "/v1/applications/%lld/campaigns",
	         (long long)f->app);
}

START_TEST(health_bearer_and_commands)
{
	struct fixture f;
	struct ccon_client *c;
	struct ccon_conn_info ci;
	struct got g = { 0 }, g2 = { 0 }, g3 = { 0 };
	struct ccon_command_answer ans;
	struct ccon_error err;

	setup(&f);
	c = client_for(f.s.base_url, f.key, 0, 0, 0);
	ccon_client_conn(c, &ci);
	ck_assert_int_eq(ci.state, CCON_CONN_IDLE);
	get(c, "/v1/health", CCON_AUTH_NONE, &g);
	ccon_client_conn(c, &ci);
	ck_assert_uint_eq(ci.in_flight, 1);
	pump(c, &g, 5000);
	ck_assert_int_eq(g.calls, 1);
	ck_assert_int_eq(g.status, 200);
	ck_assert_int_eq(g.err.code, CCON_E_OK);
	ck_assert_uint_eq(g.attempts, 1);
	ck_assert_msg(strstr(g.body, "\"status\":\"ok\""), "%s", g.body);
	ck_assert_msg(strncmp(g.content_type, "application/json", 16) == 0, "%s", g.content_type);
	ccon_client_conn(c, &ci);
	ck_assert_int_eq(ci.state, CCON_CONN_OK);
	ck_assert_int_gt(ci.last_ok_ms, 0);
	ck_assert_uint_eq(ci.in_flight, 0);
	ck_assert_str_eq(ccon_conn_state_name(ci.state), "ok");

	/* REST with the bearer option */
	get(c, f.campaigns, CCON_AUTH_BEARER, &g2);
	pump(c, &g2, 5000);
	ck_assert_msg(g2.status == 200, "%ld %s", g2.status, g2.body);
	ck_assert_msg(strstr(g2.body, "\"total\":0"), "%s", g2.body);

	/* the seed 002 envelope with Key */
	ck_assert_int_gt(ccon_client_command(c, "get", "/campaigns/summaries", NULL, NULL, NULL,
	                                     on_done, &g3, &err), 0);
	pump(c, &g3, 5000);
	ck_assert_msg(g3.status == 200, "%ld %s", g3.status, g3.body);
	ck_assert_int_eq(g3.err.code, CCON_E_OK);
	ck_assert_int_eq(ccon_command_answer_parse(g3.body, strlen(g3.body), &ans, &err), 0);
	ck_assert_int_eq(ans.status, CCON_CMD_SUCCESS);
	ck_assert_ptr_nonnull(ans.resource);
	ck_assert_ptr_nonnull(ans.id);
	ck_assert_msg(strncmp(ans.id, "ccon-", 5) == 0, "%s", ans.id);
	ccon_command_answer_free(&ans);

	/* a failure inside a 200 is the caller's business: err stays OK */
	memset(&g3, 0, sizeof(g3));
	ck_assert_int_gt(ccon_client_command(c, "get", "/campaigns/999999/summaries", NULL, NULL,
	                                     NULL, on_done, &g3, &err), 0);
	pump(c, &g3, 5000);
	ck_assert_int_eq(g3.status, 200);
	ck_assert_int_eq(g3.err.code, CCON_E_OK);
	ck_assert_msg(strstr(g3.body, "\"failure\""), "%s", g3.body);

	/* a resource that is not JSON is refused before anything is sent */
	ck_assert_int_eq(ccon_client_command(c, "set", "/campaign/full", NULL, "{\"a\":", NULL,
	                                     on_done, &g3, &err), -1);
	ck_assert_int_eq(err.code, CCON_E_JSON_SYNTAX);
	ck_assert_str_eq(err.path, "resource");
	ccon_client_free(c);
	server_destroy(&f.s);
}
END_TEST

START_TEST(wrong_token_is_auth)
{
	struct fixture f;
	struct ccon_client *c;
	struct ccon_conn_info ci;
	struct got g = { 0 }, g2 = { 0 };
	struct ccon_error err;

	setup(&f);
	c = client_for(f.s.base_url, TOKEN, 0, 0, 0);
	get(c, f.campaigns, CCON_AUTH_BEARER, &g);
	pump(c, &g, 5000);
	ck_assert_int_eq(g.status, 401);
	ck_assert_uint_eq(g.attempts, 1);
	ck_assert_int_eq(g.err.code, CCON_E_AUTH);
	ck_assert_ptr_null(strstr(g.err.message, TOKEN));
	ccon_client_conn(c, &ci);
	ck_assert_int_eq(ci.state, CCON_CONN_AUTH);
	ck_assert_int_gt(ci.last_error_ms, 0);
	ck_assert_msg(ci.last_error[0], "no last error");
	ck_assert_ptr_null(strstr(ci.last_error, TOKEN));

	ck_assert_int_gt(ccon_client_command(c, "get", "/campaigns/summaries", NULL, NULL, NULL,
	                                     on_done, &g2, &err), 0);
	pump(c, &g2, 5000);
	ck_assert_int_eq(g2.status, 401);
	ck_assert_int_eq(g2.err.code, CCON_E_AUTH);
	ck_assert_int_eq(conn_state(c), CCON_CONN_AUTH);
	ccon_client_free(c);
	server_destroy(&f.s);
}
END_TEST

START_TEST(api_error_decoded)
{
	static const char campaign[] = "{\"name\":\"c\",\"channel\":\"whatsapp\","
	                               "\"templateName\":\"t\",\"templateBody\":\"hi\"}";
	static const char send[] = "{\"contacts\":[{\"contactCode\":\"+5511999990000\","
	                           "\"channelType\":\"cloud_api\"}],\"delay\":\"PT5X\"}";
	struct fixture f;
	struct ccon_client *c;
	struct reply r;
	struct got g = { 0 };
	struct ccon_request rq = { .method = "POST", .body = send, .len = sizeof(send) - 1,
	                           .auth = CCON_AUTH_BEARER };
	struct ccon_error err;
	char path[160];

	setup(&f);
	http_call(&f.s, "POST", f.campaigns, f.bearer, NULL, campaign, sizeof(campaign) - 1, NULL,
	          &r);
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	snprintf(path, sizeof(path), "%s/%lld/send", f.campaigns,
	         (long long)cJSON_GetObjectItem(r.json, "id")->valuedouble);
	reply_free(&r);

	c = client_for(f.s.base_url, f.key, 0, 0, 0);
	rq.path = path;
	ck_assert_int_gt(ccon_client_send(c, &rq, on_done, &g, &err), 0);
	pump(c, &g, 5000);
	ck_assert_msg(g.status == 400, "%ld %s", g.status, g.body);
	ck_assert_msg(g.err.code == CCON_E_DURATION_SYNTAX, "%s: %s", ccon_errc_name(g.err.code),
	              g.body);
	ck_assert_str_eq(g.err.path, "delay");
	ck_assert_msg(g.err.message[0], "no message");
	/* the server answered: the connection is fine */
	ck_assert_int_eq(conn_state(c), CCON_CONN_OK);
	ccon_client_free(c);
	server_destroy(&f.s);
}
END_TEST

/* ccond stopped: requests time out and the state goes DOWN, then back. */
START_TEST(stalled_server_goes_down_and_back)
{
	struct fixture f;
	struct ccon_client *c;
	struct got g = { 0 }, g2 = { 0 };
	struct ccon_error err;
	int64_t t0;
	double cpu;

	setup(&f);
	c = client_for(f.s.base_url, f.key, 300, 1, 50);
	server_freeze(&f.s);
	get(c, "/v1/health", CCON_AUTH_NONE, &g);
	cpu = cpu_ms();
	/* a far limit: the wait ends on libcurl's timeout or the retry's */
	t0 = ccon_monotonic_ms();
	while (g.calls == 0 && ccon_monotonic_ms() - t0 < 5000) {
		int64_t w = ccon_monotonic_ms();

		ck_assert_int_eq(ccon_client_wait(c, NULL, 0, 3000, &err), 0);
		w = ccon_monotonic_ms() - w;
		ck_assert_msg(w < 500, "one wait took %lld ms", (long long)w);
		ccon_client_run(c);
	}
	cpu = cpu_ms() - cpu;
	server_thaw(&f.s);
	ck_assert_int_eq(g.calls, 1);
	ck_assert_int_eq(g.status, 0);
	ck_assert_int_eq(g.err.code, CCON_E_IO);
	ck_assert_uint_eq(g.attempts, 2);
	ck_assert_msg(g.elapsed_ms >= 600 && g.elapsed_ms < 2000, "%.0f ms", g.elapsed_ms);
	ck_assert_msg(strstr(g.err.message, "GET /v1/health"), "%s", g.err.message);
	ck_assert_int_eq(conn_state(c), CCON_CONN_DOWN);
	/* waiting on a stalled transfer sleeps */
	ck_assert_msg(cpu < 60, "%.1f ms of CPU while waiting", cpu);

	get(c, "/v1/health", CCON_AUTH_NONE, &g2);
	pump(c, &g2, 5000);
	ck_assert_int_eq(g2.status, 200);
	ck_assert_int_eq(conn_state(c), CCON_CONN_OK);
	ccon_client_free(c);
	server_destroy(&f.s);
}
END_TEST

struct cancel_ctx {
	struct ccon_client *c;
	int64_t other;
	int calls;
};

static void cancel_from_cb(void *ctx, const struct ccon_response *r)
{
	struct cancel_ctx *cc = ctx;

	(void)r;
	cc->calls++;
	ccon_client_cancel(cc->c, cc->other);
}

START_TEST(cancel_never_calls_back)
{
	struct fixture f;
	static const struct canned ok[] = { { "200 OK", "{}" } };
	struct ccon_client *c, *dead, *other;
	struct responder rs;
	struct ccon_conn_info ci;
	struct got g = { 0 }, gb = { 0 }, gd = { 0 };
	struct cancel_ctx cc = { 0 };
	struct ccon_request rq = { .method = "GET", .path = "/v1/health", .auth = CCON_AUTH_NONE };
	struct ccon_error err;
	char url[64];
	int64_t id;

	setup(&f);
	c = client_for(f.s.base_url, f.key, 0, 0, 0);
	/* in flight */
	id = get(c, "/v1/health", CCON_AUTH_NONE, &g);
	ccon_client_run(c);
	ccon_client_cancel(c, id);
	ccon_client_cancel(c, id);      /* twice: ignored */
	ccon_client_cancel(c, 12345);   /* unknown: ignored */
	pump(c, NULL, 300);
	ck_assert_int_eq(g.calls, 0);
	ccon_client_conn(c, &ci);
	ck_assert_uint_eq(ci.in_flight, 0);

	/* from another request's callback, both finished in the same turn: /b
	 * is done but not yet called back when /a's callback cancels it */
	responder_start_batch(&rs, ok, 1, 2);
	atomic_store(&rs.hold, true);
	other = client_for(rs.url, NULL, 2000, 0, 0);
	cc.c = other;
	rq.path = "/a";
	ck_assert_int_gt(ccon_client_send(other, &rq, cancel_from_cb, &cc, &err), 0);
	cc.other = get(other, "/b", CCON_AUTH_NONE, &gb);
	for (int i = 0; i < 100 && atomic_load(&rs.n_seen) < 2; i++)
		pump(other, NULL, 10);
	/* both answers land before the one turn that reads them */
	atomic_store(&rs.hold, false);
	for (int i = 0; i < 100 && atomic_load(&rs.answered) < 2; i++)
		nanosleep(&(struct timespec){ 0, 10000000L }, NULL);
	nanosleep(&(struct timespec){ 0, 50000000L }, NULL);
	ck_assert_uint_eq(ccon_client_run(other), 0);
	responder_stop(&rs);
	ck_assert_int_eq(atomic_load(&rs.n_seen), 2);
	ck_assert_int_eq(cc.calls, 1);
	ck_assert_int_eq(gb.calls, 0);
	ccon_client_conn(other, &ci);
	ck_assert_uint_eq(ci.in_flight, 0);
	ccon_client_free(other);

	/* waiting for a retry */
	snprintf(url, sizeof(url), "http://127.0.0.1:%u", dead_port());
	dead = client_for(url, NULL, 500, 1, 150);
	id = get(dead, "/v1/health", CCON_AUTH_NONE, &gd);
	wait_retrying(dead);
	ccon_client_cancel(dead, id);
	pump(dead, NULL, 500);
	ck_assert_int_eq(gd.calls, 0);
	ccon_client_free(dead);
	ccon_client_free(c);
	server_destroy(&f.s);
}
END_TEST

static void must_not_call(void *ctx, const struct ccon_response *r)
{
	(void)ctx;
	ck_abort_msg("called back after free: request %lld", (long long)r->id);
}

START_TEST(free_with_requests_in_flight)
{
	struct fixture f;
	struct ccon_client *c, *dead;
	struct ccon_request rq = { .method = "GET", .path = "/v1/health", .retry = true };
	struct ccon_conn_info ci;
	struct ccon_error err;
	char url[64];

	setup(&f);
	c = client_for(f.s.base_url, f.key, 0, 0, 0);
	server_freeze(&f.s);
	for (int i = 0; i < 3; i++)
		ck_assert_int_gt(ccon_client_send(c, &rq, must_not_call, NULL, &err), 0);
	ck_assert_int_gt(ccon_client_command(c, "get", "/campaigns/summaries", NULL, NULL, NULL,
	                                     must_not_call, NULL, &err), 0);
	pump(c, NULL, 100);
	ccon_client_conn(c, &ci);
	ck_assert_uint_eq(ci.in_flight, 4);
	ccon_client_free(c);
	server_thaw(&f.s);

	snprintf(url, sizeof(url), "http://127.0.0.1:%u", dead_port());
	dead = client_for(url, TOKEN, 500, 5, 200);
	ck_assert_int_gt(ccon_client_send(dead, &rq, must_not_call, NULL, &err), 0);
	wait_retrying(dead);
	ccon_client_free(dead);
	ccon_client_free(NULL);
	server_destroy(&f.s);
}
END_TEST

/* ------------------------------------------------- without ccond */

/* Nothing listens: every attempt is refused, after the back-offs. */
START_TEST(refused_retries_then_down)
{
	struct ccon_client *c;
	struct ccon_conn_info ci;
	struct got g = { 0 };
	char url[64];
	bool saw_retrying = false;
	struct ccon_error err;
	double cpu;
	unsigned turns = 0;
	int64_t end, id, t0;

	snprintf(url, sizeof(url), "http://127.0.0.1:%u/", dead_port());
	c = client_for(url, TOKEN, 1000, 2, 100);
	get(c, "/v1/health", CCON_AUTH_BEARER, &g);
	cpu = cpu_ms();
	end = ccon_monotonic_ms() + 5000;
	while (g.calls == 0 && ccon_monotonic_ms() < end) {
		turns += pump(c, &g, 10);
		saw_retrying |= conn_state(c) == CCON_CONN_RETRYING;
	}
	cpu = cpu_ms() - cpu;
	ck_assert_int_eq(g.calls, 1);
	ck_assert_uint_eq(g.attempts, 3);

	ck_assert_int_eq(g.status, 0);
	ck_assert_int_eq(g.err.code, CCON_E_IO);
	/* back-offs 100 then 200 ms, each plus up to a quarter */
	ck_assert_msg(g.elapsed_ms >= 300 && g.elapsed_ms < 1000, "%.0f ms", g.elapsed_ms);
	ck_assert(saw_retrying);
	ccon_client_conn(c, &ci);
	ck_assert_int_eq(ci.state, CCON_CONN_DOWN);
	ck_assert_int_eq(ci.last_ok_ms, 0);
	ck_assert_msg(ci.last_error[0], "no last error");
	ck_assert_ptr_null(strstr(ci.last_error, TOKEN));
	ck_assert_ptr_null(strstr(g.err.message, TOKEN));
	/* the retry timer is slept on, not polled (10 ms turns: about 40) */
	ck_assert_msg(cpu < 50, "%.1f ms of CPU over %u turns", cpu, turns);

	/* one wait with a far limit ends when the retry falls due (100-125 ms) */
	memset(&g, 0, sizeof(g));
	id = get(c, "/v1/health", CCON_AUTH_BEARER, &g);
	wait_retrying(c);
	t0 = ccon_monotonic_ms();
	ck_assert_int_eq(ccon_client_wait(c, NULL, 0, 5000, &err), 0);
	t0 = ccon_monotonic_ms() - t0;
	ck_assert_msg(t0 >= 40 && t0 < 400, "waited %lld ms for the retry", (long long)t0);
	ccon_client_cancel(c, id);
	ccon_client_free(c);
}
END_TEST

static bool has_header(const char *req, const char *line)
{
	return strcasestr(req, line) != NULL;
}

START_TEST(retry_after_and_idempotency_key)
{
	static const struct canned answers[] = {
		{ "503 Service Unavailable\r\nRetry-After: 1", "{\"code\":\"store_error\","
		  "\"message\":\"busy\"}" },
		{ "429 Too Many Requests", "slow down" },
		{ "200 OK\r\nContent-Type: application/json", "{\"ok\":true}" },
	};
	static const char body[] = "{\"n\":1}";
	struct responder rs;
	struct ccon_client *c;
	struct got g = { 0 };
	struct ccon_request rq = { .method = "POST", .path = "/v1/things", .body = body,
	                           .len = sizeof(body) - 1, .idempotency_key = "idem-42",
	                           .auth = CCON_AUTH_BEARER };
	struct ccon_error err;
	bool saw_retrying = false;
	int64_t end;

	responder_start(&rs, answers, 3);
	c = client_for(rs.url, TOKEN, 2000, 3, 30);
	ck_assert_int_gt(ccon_client_send(c, &rq, on_done, &g, &err), 0);
	end = ccon_monotonic_ms() + 5000;
	while (g.calls == 0 && ccon_monotonic_ms() < end) {
		pump(c, &g, 20);
		saw_retrying |= conn_state(c) == CCON_CONN_RETRYING;
	}
	responder_stop(&rs);
	ck_assert_int_eq(g.calls, 1);
	ck_assert_msg(g.status == 200, "%ld %s", g.status, g.body);
	ck_assert_uint_eq(g.attempts, 3);
	ck_assert_int_eq(g.err.code, CCON_E_OK);
	ck_assert_str_eq(g.body, "{\"ok\":true}");
	/* Retry-After: 1 then a back-off of 60 (30 doubled) */
	ck_assert_msg(g.elapsed_ms >= 1060 && g.elapsed_ms < 2500, "%.0f ms", g.elapsed_ms);
	ck_assert(saw_retrying);
	ck_assert_int_eq(conn_state(c), CCON_CONN_OK);
	ck_assert_int_eq(atomic_load(&rs.n_seen), 3);
	for (int i = 0; i < 3; i++) {
		ck_assert_msg(strncmp(rs.seen[i], "POST /v1/things ", 16) == 0, "%s", rs.seen[i]);
		ck_assert_msg(has_header(rs.seen[i], "\r\nIdempotency-Key: idem-42\r\n"), "%s",
		              rs.seen[i]);
		ck_assert_msg(has_header(rs.seen[i], "\r\nAuthorization: Bearer " TOKEN "\r\n"), "%s",
		              rs.seen[i]);
		ck_assert_msg(strstr(rs.seen[i], "\r\n\r\n{\"n\":1}"), "%s", rs.seen[i]);
	}
	ccon_client_free(c);
}
END_TEST

/* Writes text to a scratch file; its path in path. */
static void scratch_file(char *path, size_t size, const char *text)
{
	FILE *fp;
	int fd;

	snprintf(path, size, "/tmp/ccon-it-client-XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	fp = fdopen(fd, "w");
	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	ck_assert_int_eq(fclose(fp), 0);
}

START_TEST(file_body_streamed_and_resent_whole)
{
	static const struct canned answers[] = {
		{ "503 Service Unavailable", "{\"code\":\"store_error\",\"message\":\"busy\"}" },
		{ "200 OK\r\nContent-Type: application/json", "{\"ok\":true}" },
	};
	static const char head[] = "--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n";
	static const char tail[] = "\r\n--b--\r\n";
	char path[64], file[1200], want[1400];
	struct responder rs;
	struct ccon_client *c;
	struct got g = { 0 };
	struct ccon_request rq = { .method = "POST", .path = "/v1/up", .body = head,
	                           .len = sizeof(head) - 1, .idempotency_key = "idem-file",
	                           .content_type = "multipart/form-data; boundary=b",
	                           .file_path = path, .tail = tail, .tail_len = sizeof(tail) - 1,
	                           .auth = CCON_AUTH_BEARER };
	struct ccon_error err;

	for (size_t i = 0; i + 1 < sizeof(file); i++)
		file[i] = i % 61 == 60 ? '\n' : (char)('a' + i % 26);
	file[sizeof(file) - 1] = '\0';
	scratch_file(path, sizeof(path), file);
	snprintf(want, sizeof(want), "Content-Length: %zu\r\n",
	         sizeof(head) - 1 + strlen(file) + sizeof(tail) - 1);
	responder_start(&rs, answers, 2);
	c = client_for(rs.url, TOKEN, 2000, 3, 20);
	ck_assert_int_gt(ccon_client_send(c, &rq, on_done, &g, &err), 0);
	pump(c, &g, 5000);
	responder_stop(&rs);
	ck_assert_int_eq(g.calls, 1);
	ck_assert_msg(g.status == 200, "%ld %s", g.status, g.err.message);
	ck_assert_uint_eq(g.attempts, 2);
	ck_assert_int_eq(atomic_load(&rs.n_seen), 2);
	for (int i = 0; i < 2; i++) {
		const char *body = strstr(rs.seen[i], "\r\n\r\n");

		ck_assert_msg(has_header(rs.seen[i], want), "%s", rs.seen[i]);
		ck_assert_ptr_nonnull(body);
		body += 4;
		ck_assert_int_eq(strncmp(body, head, sizeof(head) - 1), 0);
		ck_assert_int_eq(strncmp(body + sizeof(head) - 1, file, strlen(file)), 0);
		ck_assert_str_eq(body + sizeof(head) - 1 + strlen(file), tail);
	}
	ccon_client_free(c);
	unlink(path);
}
END_TEST

/* The file changes between queueing and sending: the request fails with
 * the reason and is not retried, whatever the server would say. */
static void file_changed_case(bool grow)
{
	static const struct canned answers[] = { { "503 Service Unavailable", "{}" } };
	char path[64], big[4000];
	struct responder rs;
	struct ccon_client *c;
	struct got g = { 0 };
	struct ccon_request rq = { .method = "POST", .path = "/v1/up", .body = "h", .len = 1,
	                           .idempotency_key = "idem-cut", .file_path = path,
	                           .auth = CCON_AUTH_BEARER };
	struct ccon_error err;
	FILE *fp;

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	scratch_file(path, sizeof(path), big);
	responder_start(&rs, answers, 1);
	c = client_for(rs.url, TOKEN, 2000, 3, 20);
	ck_assert_int_gt(ccon_client_send(c, &rq, on_done, &g, &err), 0);
	if (grow) {
		ck_assert_ptr_nonnull(fp = fopen(path, "a"));
		fputs("more", fp);
		fclose(fp);
	} else {
		ck_assert_int_eq(truncate(path, 100), 0);
	}
	pump(c, &g, 5000);
	responder_stop(&rs);
	ck_assert_int_eq(g.calls, 1);
	ck_assert_int_eq(g.err.code, CCON_E_IO);
	ck_assert_msg(strstr(g.err.message, grow ? "the file grew while it was sent"
	                                         : "the file was cut while it was sent"),
	              "%s", g.err.message);
	ck_assert_msg(strstr(g.err.message, path), "%s", g.err.message);
	ck_assert_uint_eq(g.attempts, 1);
	ccon_client_free(c);
	unlink(path);
}

START_TEST(file_body_cut_fails_unretried)
{
	file_changed_case(false);
}
END_TEST

START_TEST(file_body_grown_fails_unretried)
{
	file_changed_case(true);
}
END_TEST

START_TEST(file_body_refused_before_queueing)
{
	struct ccon_client *c = client_for("http://127.0.0.1:9", TOKEN, 500, 0, 10);
	struct ccon_request rq = { .method = "POST", .path = "/v1/up",
	                           .file_path = "/nonexistent/ccon.csv",
	                           .auth = CCON_AUTH_BEARER };
	struct ccon_error err;

	ck_assert_int_eq(ccon_client_send(c, &rq, on_done, NULL, &err), -1);
	ck_assert_int_eq(err.code, CCON_E_IO);
	ck_assert_msg(strstr(err.message, "/nonexistent/ccon.csv"), "%s", err.message);
	rq.file_path = "/tmp";
	ck_assert_int_eq(ccon_client_send(c, &rq, on_done, NULL, &err), -1);
	ck_assert_msg(strstr(err.message, "not a regular file"), "%s", err.message);
	rq.method = "GET";
	ck_assert_int_eq(ccon_client_send(c, &rq, on_done, NULL, &err), -1);
	ck_assert_int_eq(err.code, CCON_E_INVALID_ARGUMENT);
	ccon_client_free(c);
}
END_TEST

START_TEST(post_without_key_not_retried)
{
	static const struct canned answers[] = {
		{ "503 Service Unavailable\r\nRetry-After: 1\r\nContent-Type: application/json",
		  "{\"code\":\"store_error\",\"message\":\"the disk is full\"}" },
		{ "200 OK", "{}" },
	};
	struct responder rs;
	struct ccon_client *c;
	struct got g = { 0 };
	struct ccon_request rq = { .method = "POST", .path = "/v1/things", .body = "{}", .len = 2,
	                           .auth = CCON_AUTH_BEARER };
	struct ccon_error err;

	responder_start(&rs, answers, 2);
	c = client_for(rs.url, TOKEN, 2000, 3, 30);
	ck_assert_int_gt(ccon_client_send(c, &rq, on_done, &g, &err), 0);
	pump(c, &g, 3000);
	pump(c, NULL, 200);
	responder_stop(&rs);
	ck_assert_int_eq(g.calls, 1);
	ck_assert_int_eq(g.status, 503);
	ck_assert_uint_eq(g.attempts, 1);
	ck_assert_int_eq(atomic_load(&rs.n_seen), 1);
	ck_assert_int_eq(g.err.code, CCON_E_STORE);
	ck_assert_str_eq(g.err.message, "the disk is full");
	ck_assert_int_eq(conn_state(c), CCON_CONN_DOWN);
	ccon_client_free(c);
}
END_TEST

/* A keep-alive server of our own: answers every request "200 {}" on the
 * same connection, except request number drop_at (1-based, over all
 * connections), after which it closes that connection without a word. */
struct keepalive {
	int fd;
	char url[64];
	pthread_t thread;
	atomic_bool stop;
	atomic_uint drop_at;
	atomic_uint seen;
};

static void *keepalive_main(void *arg)
{
	struct keepalive *ka = arg;
	struct pollfd p[5];
	unsigned n = 1;
	char req[2048];

	p[0] = (struct pollfd){ .fd = ka->fd, .events = POLLIN };
	while (!atomic_load(&ka->stop)) {
		if (poll(p, n, 10) <= 0)
			continue;
		for (unsigned i = n; i-- > 1;) {
			static const char ok[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}";
			unsigned nth;

			if (!(p[i].revents & (POLLIN | POLLHUP)))
				continue;
			if (read_request(p[i].fd, req, sizeof(req)) == 0) {
				close(p[i].fd);
				p[i] = p[--n];
				continue;
			}
			nth = atomic_fetch_add(&ka->seen, 1) + 1;
			if (nth == atomic_load(&ka->drop_at) || write(p[i].fd, ok, sizeof(ok) - 1) < 0) {
				close(p[i].fd);
				p[i] = p[--n];
			}
		}
		if ((p[0].revents & POLLIN) && n < 5) {
			int fd = accept(ka->fd, NULL, NULL);

			if (fd >= 0)
				p[n++] = (struct pollfd){ .fd = fd, .events = POLLIN };
		}
	}
	while (n > 1)
		close(p[--n].fd);
	return NULL;
}

static void keepalive_start(struct keepalive *ka, unsigned drop_at)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);

	memset(ka, 0, sizeof(*ka));
	atomic_store(&ka->drop_at, drop_at);
	ka->fd = socket(AF_INET, SOCK_STREAM, 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(ka->fd, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(listen(ka->fd, 8), 0);
	ck_assert_int_eq(getsockname(ka->fd, (struct sockaddr *)&a, &len), 0);
	snprintf(ka->url, sizeof(ka->url), "http://127.0.0.1:%u", ntohs(a.sin_port));
	ck_assert_int_eq(pthread_create(&ka->thread, NULL, keepalive_main, ka), 0);
}

static void keepalive_stop(struct keepalive *ka)
{
	atomic_store(&ka->stop, true);
	pthread_join(ka->thread, NULL);
	close(ka->fd);
}

/* libcurl sends a request again by itself when a reused connection closes
 * before any answer byte: a POST that may not be repeated must not ride a
 * reused connection, or that silent retry doubles it. */
START_TEST(post_without_key_never_resent_by_libcurl)
{
	struct keepalive ka;
	struct ccon_client *c;
	struct got g = { 0 };
	struct ccon_request rq = { .method = "POST", .path = "/v1/things", .body = "{}", .len = 2,
	                           .auth = CCON_AUTH_BEARER };
	struct ccon_error err;

	keepalive_start(&ka, 2);
	c = client_for(ka.url, TOKEN, 2000, 3, 30);
	get(c, "/v1/health", CCON_AUTH_BEARER, &g);
	pump(c, &g, 3000);
	ck_assert_int_eq(g.status, 200);
	memset(&g, 0, sizeof(g));
	ck_assert_int_gt(ccon_client_send(c, &rq, on_done, &g, &err), 0);
	pump(c, &g, 3000);
	pump(c, NULL, 200);
	ck_assert_int_eq(g.calls, 1);
	ck_assert_int_eq(g.status, 0);
	ck_assert_int_eq(g.err.code, CCON_E_IO);
	ck_assert_uint_eq(g.attempts, 1);
	ck_assert_uint_eq(atomic_load(&ka.seen), 2);
	/* with a key it may be sent again (by libcurl or by the client) */
	rq.idempotency_key = "k-1";
	atomic_store(&ka.drop_at, 3);
	memset(&g, 0, sizeof(g));
	ck_assert_int_gt(ccon_client_send(c, &rq, on_done, &g, &err), 0);
	pump(c, &g, 3000);
	ck_assert_int_eq(g.status, 200);
	ck_assert_uint_eq(atomic_load(&ka.seen), 4);
	keepalive_stop(&ka);
	ccon_client_free(c);
}
END_TEST

START_TEST(token_never_in_messages)
{
	static const struct canned answers[] = {
		{ "400 Bad Request", "{\"code\":\"invalid_value\",\"message\":\"key " TOKEN
		  " is\\u001b[2J bad\",\"path\":\"x." TOKEN "\"}" },
		{ "400 Bad Request", "{\"code\":\"no_such_code\",\"message\":\"m\"}" },
	};
	struct responder rs;
	struct ccon_client *c;
	struct ccon_conn_info ci;
	struct got g = { 0 }, g2 = { 0 };
	struct ccon_error err;

	responder_start(&rs, answers, 2);
	c = client_for(rs.url, TOKEN, 2000, 0, 0);
	ck_assert_int_gt(ccon_client_command(c, "get", "/campaigns/summaries", NULL, NULL, NULL,
	                                     on_done, &g, &err), 0);
	pump(c, &g, 3000);
	get(c, "/v1/x", CCON_AUTH_BEARER, &g2);
	pump(c, &g2, 3000);
	responder_stop(&rs);
	ck_assert_int_eq(g.status, 400);
	ck_assert_uint_eq(g.attempts, 1);
	ck_assert_int_eq(g.err.code, CCON_E_JSON_VALUE);
	ck_assert_ptr_null(strstr(g.err.message, TOKEN));
	ck_assert_ptr_null(strstr(g.err.path, TOKEN));
	ck_assert_msg(strstr(g.err.message, "key [token] is"), "%s", g.err.message);
	ck_assert_msg(has_header(rs.seen[0], "\r\nAuthorization: Key " TOKEN "\r\n"), "%s",
	              rs.seen[0]);
	/* a code this build does not know */
	ck_assert_int_eq(g2.err.code, CCON_E_REMOTE_UNKNOWN);
	ccon_client_conn(c, &ci);
	ck_assert_ptr_null(strstr(ci.last_error, TOKEN));
	ck_assert_int_eq(ci.state, CCON_CONN_OK);
	ccon_client_free(c);
}
END_TEST

START_TEST(last_error_is_clean_text)
{
	static const struct canned answers[] = {
		{ "404 Not Found", "{\"code\":\"not_found\",\"message\":\"no \\u001b]52;c;aGk=\\u0007"
		  "campaign \\u009b31m \\u202eevil\"}" },
	};
	struct responder rs;
	struct ccon_client *c;
	struct ccon_conn_info ci;
	struct got g = { 0 };

	responder_start(&rs, answers, 1);
	c = client_for(rs.url, NULL, 2000, 0, 0);
	get(c, "/v1/x", CCON_AUTH_NONE, &g);
	pump(c, &g, 3000);
	responder_stop(&rs);
	ck_assert_int_eq(g.err.code, CCON_E_NOT_FOUND);
	ccon_client_conn(c, &ci);
	for (const char *p = ci.last_error; *p; p++)
		ck_assert_msg((unsigned char)*p >= 0x20 && *p != 0x7F, "control in %s", ci.last_error);
	ck_assert_ptr_null(strstr(ci.last_error, "\xC2\x9B"));
	ck_assert_ptr_null(strstr(ci.last_error, "\xE2\x80\xAE"));
	ck_assert_msg(strstr(ci.last_error, "?evil"), "%s", ci.last_error);
	ck_assert_msg(strstr(ci.last_error, "campaign"), "%s", ci.last_error);
	ccon_client_free(c);
}
END_TEST

START_TEST(config_refused)
{
	struct ccon_client_config cfg = { 0 };
	struct ccon_client *c = (struct ccon_client *)1;
	struct ccon_error err;
	struct ccon_request rq = { .method = "GET", .path = "no-slash" };
	static const char *const bad[] = {
		"ftp://127.0.0.1/", "http://user:pw@127.0.0.1/", "127.0.0.1:80", "",
		"http://127.0.0.1/?a=1",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cfg.base_url = bad[i];
		ck_assert_msg(ccon_client_new(&cfg, &c, &err) == -1, "%s accepted", bad[i]);
		ck_assert_ptr_null(c);
		ck_assert_int_eq(err.code, CCON_E_INVALID_ARGUMENT);
		ck_assert_ptr_null(strstr(err.message, "pw"));
	}
	cfg.base_url = "http://127.0.0.1:1";
	cfg.token = "a\r\nX-Evil: 1";
	ck_assert_int_eq(ccon_client_new(&cfg, &c, &err), -1);
	ck_assert_ptr_null(strstr(err.message, "Evil"));
	cfg.token = NULL;
	ck_assert_int_eq(ccon_client_new(&cfg, &c, &err), 0);
	ck_assert_int_eq(ccon_client_send(c, &rq, on_done, NULL, &err), -1);
	ck_assert_int_eq(err.code, CCON_E_INVALID_ARGUMENT);
	rq.path = "/a b";
	ck_assert_int_eq(ccon_client_send(c, &rq, on_done, NULL, &err), -1);
	rq.path = "/ok";
	rq.method = "get";
	ck_assert_int_eq(ccon_client_send(c, &rq, on_done, NULL, &err), -1);
	rq.method = "GET";
	rq.idempotency_key = "a\nb";
	ck_assert_int_eq(ccon_client_send(c, &rq, on_done, NULL, &err), -1);
	ck_assert_int_eq(ccon_client_command(c, "merge", "/x", NULL, NULL, NULL, on_done, NULL,
	                                     &err), -1);
	ck_assert_str_eq(err.path, "method");
	ccon_client_free(c);
}
END_TEST

/* ------------------------------------------------------- the loop's wait */

struct later {
	int fd;                      /* write one byte to it, or -1 */
	struct ccon_client *c;       /* else wake it up */
	int delay_ms;
};

static void *do_later(void *arg)
{
	struct later *l = arg;
	struct timespec ts = { 0, (long)l->delay_ms * 1000000L };

	nanosleep(&ts, NULL);
	if (l->fd >= 0) {
		if (write(l->fd, "x", 1) != 1)
			perror("write");
	} else {
		ccon_client_wakeup(l->c);
	}
	return NULL;
}

START_TEST(wait_returns_on_extra_fd)
{
	struct ccon_client *c = client_for("http://127.0.0.1:1", NULL, 0, 0, 0);
	struct later l = { .delay_ms = 100 };
	struct ccon_error err;
	struct pollfd fds[2];
	pthread_t t;
	int p[2], q[2];
	int64_t t0;

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(pipe(q), 0);
	l.fd = p[1];
	fds[0] = (struct pollfd){ .fd = q[0], .events = POLLIN };
	fds[1] = (struct pollfd){ .fd = p[0], .events = POLLIN };
	t0 = ccon_monotonic_ms();
	ck_assert_int_eq(pthread_create(&t, NULL, do_later, &l), 0);
	ck_assert_int_eq(ccon_client_wait(c, fds, 2, 5000, &err), 0);
	pthread_join(t, NULL);
	ck_assert_int_ge(ccon_monotonic_ms() - t0, 90);
	ck_assert_int_lt(ccon_monotonic_ms() - t0, 2000);
	ck_assert(fds[1].revents & POLLIN);
	ck_assert_int_eq(fds[0].revents, 0);

	/* a hang-up shows (libcurl alone would not tell it) */
	close(q[1]);
	t0 = ccon_monotonic_ms();
	ck_assert_int_eq(ccon_client_wait(c, fds, 1, 5000, &err), 0);
	ck_assert_int_lt(ccon_monotonic_ms() - t0, 1000);
	ck_assert(fds[0].revents & POLLHUP);
	close(p[0]);
	close(p[1]);
	close(q[0]);
	ccon_client_free(c);
}
END_TEST

START_TEST(wait_returns_on_wakeup)
{
	struct ccon_client *c = client_for("http://127.0.0.1:1", NULL, 0, 0, 0);
	struct later l = { .fd = -1, .c = c, .delay_ms = 100 };
	struct ccon_error err;
	pthread_t t;
	int64_t t0 = ccon_monotonic_ms();

	ck_assert_int_eq(pthread_create(&t, NULL, do_later, &l), 0);
	ck_assert_int_eq(ccon_client_wait(c, NULL, 0, -1, &err), 0);
	pthread_join(t, NULL);
	ck_assert_int_ge(ccon_monotonic_ms() - t0, 90);
	ck_assert_int_lt(ccon_monotonic_ms() - t0, 2000);
	/* a wakeup before the wait is not lost */
	ccon_client_wakeup(c);
	t0 = ccon_monotonic_ms();
	ck_assert_int_eq(ccon_client_wait(c, NULL, 0, 5000, &err), 0);
	ck_assert_int_lt(ccon_monotonic_ms() - t0, 1000);
	ccon_client_free(c);
}
END_TEST

START_TEST(idle_wait_sleeps)
{
	struct ccon_client *c = client_for("http://127.0.0.1:1", NULL, 0, 0, 0);
	int64_t t0 = ccon_monotonic_ms(), waited;
	double cpu = cpu_ms();
	unsigned turns = pump(c, NULL, 300);

	waited = ccon_monotonic_ms() - t0;
	cpu = cpu_ms() - cpu;
	ck_assert_int_ge(waited, 300);
	ck_assert_msg(turns <= 3, "%u turns", turns);
	ck_assert_msg(cpu < 20, "%.1f ms of CPU in a 300 ms wait", cpu);
	ck_assert_uint_eq(ccon_client_run(c), 0);
	ccon_client_free(c);
}
END_TEST

/* ---------------------------------------------------------------- TLS */

static pid_t tls_server(const char *dir, unsigned port)
{
	char cert[256], key[256], accept_on[64];
	pid_t pid;

	snprintf(cert, sizeof(cert), "%s/cert.pem", dir);
	snprintf(key, sizeof(key), "%s/key.pem", dir);
	snprintf(accept_on, sizeof(accept_on), "127.0.0.1:%u", port);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
		execlp("openssl", "openssl", "s_server", "-quiet", "-accept", accept_on, "-cert",
		       cert, "-key", key, "-www", (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 300; i++) {
		struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
		int fd = socket(AF_INET, SOCK_STREAM, 0), ok;

		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		ok = connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0;
		close(fd);
		if (ok)
			return pid;
		nanosleep(&(struct timespec){ 0, 10000000L }, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	ck_abort_msg("openssl s_server did not start");
	return -1;
}

/* Peers are verified: a self-signed server is refused (and not retried)
 * until its certificate is given as ca_file. */
START_TEST(tls_peer_verified)
{
	char dir[] = "/tmp/ccon-tls-XXXXXX", cmd[512], url[64], cert[256];
	struct ccon_client_config cfg = { 0 };
	struct ccon_client *c;
	struct ccon_error err;
	struct got g = { 0 }, g2 = { 0 };
	unsigned port;
	pid_t pid;

	if (system("openssl version >/dev/null 2>&1") != 0) {
		fprintf(stderr, "client: tls_peer_verified skipped: no openssl command\n");
		return;
	}
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 "
	         "-nodes -days 1 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 "
	         "-keyout %s/key.pem -out %s/cert.pem >/dev/null 2>&1", dir, dir);
	ck_assert_int_eq(system(cmd), 0);
	port = dead_port();
	pid = tls_server(dir, port);
	snprintf(url, sizeof(url), "https://127.0.0.1:%u", port);
	snprintf(cert, sizeof(cert), "%s/cert.pem", dir);

	c = client_for(url, TOKEN, 3000, 2, 50);
	get(c, "/", CCON_AUTH_BEARER, &g);
	pump(c, &g, 5000);
	ck_assert_int_eq(g.calls, 1);
	ck_assert_int_eq(g.status, 0);
	ck_assert_uint_eq(g.attempts, 1);
	ck_assert_int_eq(g.err.code, CCON_E_IO);
	ck_assert_msg(strstr(g.err.message, "certificate"), "%s", g.err.message);
	ck_assert_int_eq(conn_state(c), CCON_CONN_DOWN);
	ccon_client_free(c);

	cfg.base_url = url;
	cfg.ca_file = cert;
	ck_assert_int_eq(ccon_client_new(&cfg, &c, &err), 0);
	get(c, "/", CCON_AUTH_NONE, &g2);
	pump(c, &g2, 5000);
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
	ck_assert_msg(g2.status == 200, "%ld %s", g2.status, g2.err.message);
	ck_assert_int_eq(conn_state(c), CCON_CONN_OK);
	ccon_client_free(c);
}
END_TEST

Suite *ccon_it_suite_client(void)
{
	Suite *s = suite_create("client");
	TCase *tc = tcase_create("client");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, health_bearer_and_commands);
	tcase_add_test(tc, wrong_token_is_auth);
	tcase_add_test(tc, api_error_decoded);
	tcase_add_test(tc, stalled_server_goes_down_and_back);
	tcase_add_test(tc, cancel_never_calls_back);
	tcase_add_test(tc, free_with_requests_in_flight);
	tcase_add_test(tc, refused_retries_then_down);
	tcase_add_test(tc, retry_after_and_idempotency_key);
	tcase_add_test(tc, post_without_key_not_retried);
	tcase_add_test(tc, file_body_streamed_and_resent_whole);
	tcase_add_test(tc, file_body_cut_fails_unretried);
	tcase_add_test(tc, file_body_grown_fails_unretried);
	tcase_add_test(tc, file_body_refused_before_queueing);
	tcase_add_test(tc, post_without_key_never_resent_by_libcurl);
	tcase_add_test(tc, token_never_in_messages);
	tcase_add_test(tc, last_error_is_clean_text);
	tcase_add_test(tc, config_refused);
	tcase_add_test(tc, wait_returns_on_extra_fd);
	tcase_add_test(tc, wait_returns_on_wakeup);
	tcase_add_test(tc, idle_wait_sleeps);
	tcase_add_test(tc, tls_peer_verified);
	suite_add_tcase(s, tc);
	return s;
}
