/* libFuzzer target: ccond's HTTP request handlers, in process.
 *
 * The engine is started once on a scratch data directory holding the demo
 * application (ccond --demo: campaigns on every channel, sends in every
 * state), with the manual clock, and built with ccond_shim.c instead of
 * http.c: each input is one request handed to the engine's struct
 * http_app the way http.c does (begin, the body buffered or streamed in
 * chunks, end). Every 20,000 inputs the store is started again from the
 * pristine copy, so that no input sees a store thousands of inputs old.
 *
 * Input: an HTTP/1.1-like text.
 *   METHOD TARGET\n           TARGET is the path and query, %-escapes decoded
 *   Name: value\n ...         headers, up to an empty line
 *   \n
 *   body                      the rest
 * "$KEY" in the target or a header value stands for the demo application's
 * real key and "$APP" for its id. Without an Authorization header the
 * request gets the right one ("Key $KEY" for /commands, else "Bearer
 * $KEY"); "Authorization: -" sends none. "X-Fuzz-Chunk: N" cuts the body
 * into chunks of N bytes (default: one chunk).
 *
 * Invariants: the answer is a status of ccond(8) (200, 201, 202, 400, 401,
 * 404, 405, 409, 413, 415, 422; 500 is documented for a store failure,
 * which this run never has, so any 500 is a finding); its body is strict
 * JSON; an error answer (4xx) is ccond's error object (it decodes with
 * ccon_api_error_decode, code and message present); an answer of POST
 * /commands never reports reason.code 500; and the store passes PRAGMA
 * integrity_check and foreign_key_check every 500 inputs.
 *
 * FUZZ_CCOND_VERBOSE=1 in the environment prints every answer (to see what
 * a corpus file reaches).
 */
#include "config.h"

#include "ccond_shim.h"

#include "../../src/server/ccond.h"

#include <ccon/codec_error.h>
#include <ccon/json_util.h>
#include <ccon/strbuf.h>

#include <dirent.h>
#include <inttypes.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_BODY 16384          /* the engine's buffered-body limit here */
#define MAX_HEADERS 32
#define MAX_QUERY 32
#define CHECK_EVERY 500
#define RESET_EVERY 20000

static char pristine[64], work[64], key[CCOND_KEY_SIZE], app_id[24];
static struct ccond *server;
static unsigned long runs;
static bool verbose;           /* FUZZ_CCOND_VERBOSE set: every answer on stderr */

static void die(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_ccond: %s: %s\n", what, detail ? detail : "");
	abort();
}

/* ------------------------------------------------------------ the store */

static void copy_file(const char *from, const char *to)
{
	char buf[65536];
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	size_t n;

	if (!in || !out)
		die("copy", from);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			die("copy", to);
	fclose(in);
	if (fclose(out) != 0)
		die("copy", to);
}

/* Empties dir (flat: ccond keeps its files at the top) and, with from,
 * copies from's files into it. */
static void refill(const char *dir, const char *from)
{
	char a[512], b[512];
	struct dirent *e;
	DIR *d = opendir(dir);

	if (!d)
		die("opendir", dir);
	while ((e = readdir(d)))
		if (e->d_name[0] != '.') {
			snprintf(a, sizeof(a), "%s/%s", dir, e->d_name);
			if (unlink(a) != 0)
				die("unlink (a directory in the data dir?)", a);
		}
	closedir(d);
	if (!from)
		return;
	d = opendir(from);
	if (!d)
		die("opendir", from);
	while ((e = readdir(d)))
		if (e->d_name[0] != '.') {
			snprintf(a, sizeof(a), "%s/%s", from, e->d_name);
			snprintf(b, sizeof(b), "%s/%s", dir, e->d_name);
			copy_file(a, b);
		}
	closedir(d);
}

static void start(void)
{
	struct ccond_config cfg = { 0 };
	struct ccon_error err = { 0 };

	refill(work, pristine);
	cfg.data_dir = work;
	cfg.threads = 1;
	cfg.max_body = MAX_BODY;
	cfg.manual_clock = 1;
	if (ccond_start(&cfg, &server, &err) < 0)
		die("ccond_start", err.message);
	if (!shim_http_app())
		die("ccond_start", "no http_app");
}

static void cleanup(void)
{
	ccond_stop(server);
	refill(work, NULL);
	refill(pristine, NULL);
	rmdir(work);
	rmdir(pristine);
}

static int row_cb(void *ctx, int n, char **vals, char **names)
{
	(void)names;
	if (strcmp((const char *)ctx, "integrity_check") == 0 && n == 1 && vals[0] &&
	    strcmp(vals[0], "ok") == 0)
		return 0;
	die("the store is inconsistent", vals[0]);
	return 0;
}

static void check_store(void)
{
	char path[512], *msg = NULL;
	sqlite3 *db;

	snprintf(path, sizeof(path), "%s/ccond.db", work);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		die("open the store", sqlite3_errmsg(db));
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_exec(db, "PRAGMA integrity_check", row_cb, "integrity_check", &msg) !=
	    SQLITE_OK ||
	    sqlite3_exec(db, "PRAGMA foreign_key_check", row_cb, "foreign_key_check", &msg) !=
	    SQLITE_OK)
		die("check the store", msg);
	sqlite3_close(db);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct ccon_error err = { 0 };
	const char *tmp = getenv("TMPDIR");
	int64_t id;
	bool created;

	(void)argc;
	(void)argv;
	verbose = getenv("FUZZ_CCOND_VERBOSE") != NULL;
	snprintf(pristine, sizeof(pristine), "%s/fuzz_ccond.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	snprintf(work, sizeof(work), "%s/fuzz_ccond.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(pristine) || !mkdtemp(work))
		die("mkdtemp", pristine);
	if (ccond_demo(pristine, &id, key, &created, &err) < 0)
		die("ccond_demo", err.message);
	snprintf(app_id, sizeof(app_id), "%" PRId64, id);
	start();
	atexit(cleanup);
	return 0;
}

/* ------------------------------------------------------------ a request */

struct request {
	char *text;                         /* the input, NUL-terminated, cut up */
	char *method, *target;
	const char *names[MAX_HEADERS + 1], *values[MAX_HEADERS + 1];
	size_t n_headers;
	const char *qk[MAX_QUERY], *qv[MAX_QUERY];
	size_t n_query;
	const char *body;
	size_t body_len, chunk;
	struct ccon_strbuf strings;         /* expanded values, kept to the end */
	char *owned[MAX_HEADERS + 4];
	size_t n_owned;
};

/* s with $KEY and $APP replaced (a heap copy the request owns). */
static const char *expand(struct request *r, const char *s)
{
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	char *out;

	if (!strchr(s, '$'))
		return s;
	while (*s) {
		if (strncmp(s, "$KEY", 4) == 0) {
			ccon_strbuf_puts(&sb, key);
			s += 4;
		} else if (strncmp(s, "$APP", 4) == 0) {
			ccon_strbuf_puts(&sb, app_id);
			s += 4;
		} else {
			ccon_strbuf_putc(&sb, *s++);
		}
	}
	out = ccon_strbuf_detach(&sb);
	if (!out)
		abort();
	r->owned[r->n_owned++] = out;
	return out;
}

static void parse_query(struct request *r, char *q)
{
	while (q && *q && r->n_query < MAX_QUERY) {
		char *amp = strchr(q, '&'), *eq;

		if (amp)
			*amp = '\0';
		eq = strchr(q, '=');
		if (eq)
			*eq = '\0';
		shim_url_decode(q, true);
		if (eq)
			shim_url_decode(eq + 1, true);
		if (*q) {
			r->qk[r->n_query] = q;
			r->qv[r->n_query++] = eq ? eq + 1 : NULL;
		}
		q = amp ? amp + 1 : NULL;
	}
}

/* Cuts the input up; false when it is no request at all. */
static bool parse(struct request *r, const uint8_t *data, size_t size)
{
	char *p, *nl, *sp, *q;
	const char *target;
	bool auth = false;

	memset(r, 0, sizeof(*r));
	r->text = malloc(size + 1);
	if (!r->text)
		return false;
	memcpy(r->text, data, size);
	r->text[size] = '\0';
	nl = memchr(r->text, '\n', size);
	if (!nl)
		return false;
	*nl = '\0';
	sp = strchr(r->text, ' ');
	if (!sp || sp == r->text)
		return false;
	*sp = '\0';
	r->method = r->text;
	target = expand(r, sp + 1);
	r->target = strdup(target);
	if (!r->target)
		abort();
	r->owned[r->n_owned++] = r->target;
	q = strchr(r->target, '?');
	if (q)
		*q++ = '\0';
	parse_query(r, q);
	shim_url_decode(r->target, false);
	p = nl + 1;
	r->chunk = 0;
	while (p < r->text + size) {
		char *colon;

		nl = memchr(p, '\n', (size_t)(r->text + size - p));
		if (!nl)
			nl = r->text + size;
		*nl = '\0';
		if (nl > p && nl[-1] == '\r')
			nl[-1] = '\0';
		if (!*p) {
			p = nl + 1;
			break;
		}
		colon = strchr(p, ':');
		if (colon && r->n_headers < MAX_HEADERS) {
			const char *v = colon + 1 + strspn(colon + 1, " \t");

			*colon = '\0';
			if (strcasecmp(p, "X-Fuzz-Chunk") == 0) {
				r->chunk = strtoul(v, NULL, 10) % 65536;
			} else {
				if (strcasecmp(p, "Authorization") == 0)
					auth = true;
				if (!(strcasecmp(p, "Authorization") == 0 && strcmp(v, "-") == 0)) {
					r->names[r->n_headers] = p;
					r->values[r->n_headers++] = expand(r, v);
				}
			}
		}
		p = nl + 1;
	}
	if (!auth) {
		char *v = malloc(strlen(key) + 8);

		if (!v)
			abort();
		sprintf(v, "%s %s", strcmp(r->target, "/commands") == 0 ? "Key" : "Bearer", key);
		r->owned[r->n_owned++] = v;
		r->names[r->n_headers] = "Authorization";
		r->values[r->n_headers++] = v;
	}
	if (p < r->text + size) {
		r->body = p;
		r->body_len = (size_t)(r->text + size - p);
	}
	return true;
}

static void request_free(struct request *r)
{
	for (size_t i = 0; i < r->n_owned; i++)
		free(r->owned[i]);
	free(r->text);
}

/* ------------------------------------------------------------ the answer */

static bool status_known(unsigned s)
{
	static const unsigned ok[] = { 200, 201, 202, 400, 401, 404, 405, 409, 413, 415, 422 };

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (s == ok[i])
			return true;
	return false;
}

static void check_answer(const struct request *r, unsigned status, const struct ccon_strbuf *body)
{
	struct ccon_api_error ae;
	struct ccon_error err = { 0 };
	char what[300];
	cJSON *j = NULL;

	snprintf(what, sizeof(what), "%s %.200s -> %u: %.60s", r->method, r->target, status,
	         body->len ? body->buf : "");
	if (!status_known(status)) {
		fprintf(stderr, "body: %s\n", body->len ? body->buf : "");
		die("an answer ccond(8) does not document", what);
	}
	if (ccon_json_parse(body->len ? body->buf : "", body->len, &j, &err) < 0) {
		fprintf(stderr, "body: %s\n", body->len ? body->buf : "");
		die("the body is not JSON", what);
	}
	if (status >= 400 && (ccon_api_error_decode(j, &ae, &err) < 0 || !ae.code[0] ||
	                      !ae.error.message[0])) {
		fprintf(stderr, "body: %s\n", body->buf);
		die("an error answer is not ccond's error object", what);
	}
	if (strcmp(r->target, "/commands") == 0 && status == 200) {
		const cJSON *reason = cJSON_GetObjectItemCaseSensitive(j, "reason");
		const cJSON *code = cJSON_GetObjectItemCaseSensitive(reason, "code");

		if (cJSON_IsNumber(code) && code->valuedouble >= 500) {
			fprintf(stderr, "body: %s\n", body->buf);
			die("a command failed with reason.code 500", what);
		}
	}
	cJSON_Delete(j);
}

static void run(struct request *r)
{
	const struct http_app *app = shim_http_app();
	struct MHD_Connection conn = {
		r->names, r->values, r->n_headers, r->qk, r->qv, r->n_query,
	};
	struct http_request *req = calloc(1, sizeof(*req));
	struct http_response resp;

	if (!req)
		abort();
	req->conn = &conn;
	req->method = r->method;
	req->path = r->target;
	req->content_type = http_header(req, "Content-Type");
	req->authorization = http_header(req, "Authorization");
	req->idempotency_key = http_header(req, "Idempotency-Key");
	req->begun = true;
	app->begin(app->ctx, req);
	for (size_t at = 0; at < r->body_len;) {
		size_t n = r->chunk ? r->chunk : r->body_len;

		if (n > r->body_len - at)
			n = r->body_len - at;
		http_request_chunk(app, req, r->body + at, n, MAX_BODY);
		at += n;
	}
	resp.status = 500;
	resp.content_type = NULL;
	ccon_strbuf_init(&resp.body);
	app->end(app->ctx, req, &resp);
	if (verbose)
		fprintf(stderr, "%s %s -> %u %s\n", r->method, r->target, resp.status,
		        resp.body.len ? resp.body.buf : "");
	check_answer(r, resp.status ? resp.status : 500, &resp.body);
	ccon_strbuf_free(&resp.body);
	if (req->route_state_free)
		req->route_state_free(req->route_state);
	ccon_strbuf_free(&req->body);
	free(req);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct request r;

	if (size > 65536)
		return 0;
	if (parse(&r, data, size))
		run(&r);
	request_free(&r);
	if (++runs % CHECK_EVERY == 0)
		check_store();
	if (runs % RESET_EVERY == 0) {
		ccond_stop(server);
		start();
	}
	return 0;
}
