#include "config.h"

#include <ccon/client.h>
#include <ccon/codec_command.h>
#include <ccon/codec_error.h>
#include <ccon/json_util.h>
#include <ccon/strbuf.h>
#include <ccon/utf8.h>

#include <curl/curl.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#if LIBCURL_VERSION_NUM < 0x074400
#error "libcurl 7.68 or later is needed (curl_multi_wakeup)"
#endif

#define DEF_CONNECT_TIMEOUT_MS 3000
#define DEF_TIMEOUT_MS 15000
#define DEF_MAX_RETRIES 3
#define DEF_BACKOFF_MS 250
#define DEF_BACKOFF_MAX_MS 10000
#define ANSWER_MAX (64L << 20) /* bytes; a bigger answer is refused */
#define COMMAND_TO "postmaster@activecampaign.msging.net"
#define REDACTED "[token]"
#define TOKEN_MAX 400          /* characters; header lines are built in 512 */

enum req_state { REQ_RUNNING, REQ_WAITING, REQ_DONE };

struct req {
	struct req *prev, *next;
	struct ccon_client *c;
	int64_t id;
	enum req_state state;
	char *method, *path, *url, *body, *content_type, *idem_key;
	size_t len;
	enum ccon_client_auth auth;
	bool retry;
	/* a body streamed from a file: body, the file's file_size bytes, tail */
	char *file_path, *tail;
	size_t tail_len;
	uint64_t file_size;
	FILE *fp;                  /* open during an attempt that reached the file */
	uint64_t sent;             /* bytes of the whole body handed to libcurl */
	char file_fault[160];      /* why the file could not be sent as announced */
	ccon_client_cb cb;
	void *ctx;
	/* the attempt under way */
	CURL *easy;
	struct curl_slist *headers;
	bool too_large;
	char errbuf[CURL_ERROR_SIZE];
	/* the last attempt's outcome */
	struct ccon_strbuf answer;
	char *answer_type;
	long status;
	struct ccon_error err;
	unsigned attempts;
	int64_t queued_us, due_ms, done_us;
};

struct ccon_client {
	CURLM *multi;
	char *base_url;
	char *token;               /* NULL: no auth; wiped on free */
	char *ca_file;
	bool loopback;             /* the server is this machine: never a proxy */
	long connect_timeout_ms, timeout_ms, backoff_ms, backoff_max_ms;
	unsigned max_retries;
	struct req *head, *tail;   /* every request in flight, oldest first */
	int64_t next_id;
	uint64_t rng;              /* back-off jitter (xorshift64) */
	struct ccon_conn_info conn;
};

static int64_t monotonic_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t ccon_monotonic_ms(void)
{
	return monotonic_us() / 1000;
}

const char *ccon_conn_state_name(enum ccon_conn_state s)
{
	switch (s) {
	case CCON_CONN_IDLE: return "idle";
	case CCON_CONN_OK: return "ok";
	case CCON_CONN_RETRYING: return "retrying";
	case CCON_CONN_DOWN: return "down";
	case CCON_CONN_AUTH: return "unauthorized";
	}
	return "unknown";
}

/* ------------------------------------------------------------ messages */

/* Replaces every occurrence of the token in s (a string in size bytes). */
static void redact(const struct ccon_client *c, char *s, size_t size)
{
	size_t tlen = c->token ? strlen(c->token) : 0;
	struct ccon_strbuf out = CCON_STRBUF_INIT;
	const char *from = s, *hit;
	int rc = 0;

	if (!tlen || !strstr(s, c->token))
		return;
	while (rc == 0 && (hit = strstr(from, c->token)) != NULL) {
		rc = ccon_strbuf_append(&out, from, (size_t)(hit - from));
		if (rc == 0)
			rc = ccon_strbuf_puts(&out, REDACTED);
		from = hit + tlen;
	}
	if (rc == 0)
		rc = ccon_strbuf_puts(&out, from);
	if (rc == 0)
		snprintf(s, size, "%s", ccon_strbuf_cstr(&out));
	else
		snprintf(s, size, "%s", "(message withheld: out of memory)");
	if (out.buf)
		explicit_bzero(out.buf, out.cap);
	ccon_strbuf_free(&out);
}

static bool control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0x061C || cp == 0x200E ||
	       cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/* Copies src as one line of printable text: control characters (C0, DEL,
 * C1, bidi controls) and invalid UTF-8 become '?', a cut falls on a
 * character boundary. */
static void clean_copy(char *dst, size_t size, const char *src)
{
	size_t i = 0, o = 0, len = strlen(src);

	while (i < len) {
		uint32_t cp = 0;
		size_t n = ccon_utf8_decode(src + i, len - i, &cp);

		if (n == 0 || control(cp)) {
			if (o + 2 > size)
				break;
			dst[o++] = '?';
			i += n ? n : 1;
			continue;
		}
		if (o + n + 1 > size)
			break;
		memcpy(dst + o, src + i, n);
		o += n;
		i += n;
	}
	dst[o] = '\0';
}

static void note_error(struct ccon_client *c, const struct ccon_error *e)
{
	char line[CCON_ERROR_PATH_MAX + CCON_ERROR_MESSAGE_MAX + 64];

	ccon_error_format(e, line, sizeof(line));
	redact(c, line, sizeof(line));
	clean_copy(c->conn.last_error, sizeof(c->conn.last_error), line);
	c->conn.last_error_ms = ccon_monotonic_ms();
}

/* The conn state after an attempt (header: OK below 500 but 401/403...). */
static void note_attempt(struct ccon_client *c, const struct req *q, bool retrying)
{
	if (q->err.code != CCON_E_OK)
		note_error(c, &q->err);
	if (retrying)
		c->conn.state = CCON_CONN_RETRYING;
	else if (q->status == 401 || q->status == 403)
		c->conn.state = CCON_CONN_AUTH;
	else if (q->status == 0 || q->status >= 500)
		c->conn.state = CCON_CONN_DOWN;
	else
		c->conn.state = CCON_CONN_OK;
	if (q->status > 0 && q->status < 500 && q->status != 401 && q->status != 403)
		c->conn.last_ok_ms = ccon_monotonic_ms();
}

/* ------------------------------------------------------------ requests */

static void req_unlink(struct ccon_client *c, struct req *q)
{
	if (q->prev)
		q->prev->next = q->next;
	else
		c->head = q->next;
	if (q->next)
		q->next->prev = q->prev;
	else
		c->tail = q->prev;
	q->prev = q->next = NULL;
}

static void wipe_headers(struct curl_slist *h)
{
	for (struct curl_slist *l = h; l; l = l->next)
		explicit_bzero(l->data, strlen(l->data));
	curl_slist_free_all(h);
}

static void attempt_drop(struct req *q)
{
	if (q->fp) {
		fclose(q->fp);
		q->fp = NULL;
	}
	if (q->easy) {
		curl_multi_remove_handle(q->c->multi, q->easy);
		curl_easy_cleanup(q->easy);
		q->easy = NULL;
	}
	wipe_headers(q->headers);
	q->headers = NULL;
}

static void req_free(struct req *q)
{
	attempt_drop(q);
	free(q->method);
	free(q->path);
	free(q->url);
	free(q->body);
	free(q->file_path);
	free(q->tail);
	free(q->content_type);
	free(q->idem_key);
	free(q->answer_type);
	ccon_strbuf_free(&q->answer);
	free(q);
}

static struct req *req_find(const struct ccon_client *c, int64_t id)
{
	for (struct req *q = c->head; q; q = q->next)
		if (q->id == id)
			return q;
	return NULL;
}

static size_t on_data(char *data, size_t size, size_t nmemb, void *ud)
{
	struct req *q = ud;
	size_t n = size * nmemb;

	if (q->answer.len + n > (size_t)ANSWER_MAX) {
		q->too_large = true;
		return 0;
	}
	return ccon_strbuf_append(&q->answer, data, n) < 0 ? 0 : n;
}

/* Appends the line prefix + value (both short: checked when queued). */
static int add_header(struct curl_slist **h, const char *prefix, const char *value)
{
	char line[512];
	struct curl_slist *n;

	snprintf(line, sizeof(line), "%s%s", prefix, value);
	n = curl_slist_append(*h, line);
	explicit_bzero(line, sizeof(line));
	if (!n)
		return -1;
	*h = n;
	return 0;
}

static int set_headers(struct req *q)
{
	const char *token = q->c->token;

	if (add_header(&q->headers, "Accept: ", "application/json") < 0 ||
	    add_header(&q->headers, "Expect:", "") < 0)
		return -1;
	if (q->body && add_header(&q->headers, "Content-Type: ",
	                          q->content_type ? q->content_type : "application/json") < 0)
		return -1;
	if (q->idem_key && add_header(&q->headers, "Idempotency-Key: ", q->idem_key) < 0)
		return -1;
	/* a raw header only for Key: safe because no redirect is ever followed */
	if (token && q->auth == CCON_AUTH_KEY &&
	    add_header(&q->headers, "Authorization: Key ", token) < 0)
		return -1;
	return 0;
}

static uint64_t body_size(const struct req *q)
{
	return q->len + q->file_size + q->tail_len;
}

/* Opens the file at offset off of its bytes: 0, or -1 with file_fault. */
static int file_at(struct req *q, uint64_t off)
{
	if (!q->fp && !(q->fp = fopen(q->file_path, "rb"))) {
		snprintf(q->file_fault, sizeof(q->file_fault), "cannot open the file: %s",
		         strerror(errno));
		return -1;
	}
	if (fseeko(q->fp, (off_t)off, SEEK_SET) != 0) {
		snprintf(q->file_fault, sizeof(q->file_fault), "cannot read the file: %s",
		         strerror(errno));
		return -1;
	}
	return 0;
}

/* libcurl asks for the next bytes of a streamed body. */
static size_t on_read(char *buf, size_t size, size_t nitems, void *ud)
{
	struct req *q = ud;
	size_t room = size * nitems, n = 0;
	uint64_t file_end = q->len + q->file_size;

	while (n < room && q->sent < body_size(q)) {
		size_t k;

		if (q->sent < q->len) {
			k = q->len - (size_t)q->sent;
			k = k < room - n ? k : room - n;
			memcpy(buf + n, q->body + q->sent, k);
		} else if (q->sent < file_end) {
			uint64_t left = file_end - q->sent;

			if (!q->fp && file_at(q, q->sent - q->len) < 0)
				return CURL_READFUNC_ABORT;
			k = left < room - n ? (size_t)left : room - n;
			k = fread(buf + n, 1, k, q->fp);
			if (k == 0) {
				snprintf(q->file_fault, sizeof(q->file_fault), "%s",
				         ferror(q->fp) ? "cannot read the file"
				                       : "the file was cut while it was sent");
				return CURL_READFUNC_ABORT;
			}
		} else {
			k = (size_t)(body_size(q) - q->sent);
			k = k < room - n ? k : room - n;
			memcpy(buf + n, q->tail + (q->sent - file_end), k);
		}
		n += k;
		q->sent += k;
	}
	/* the announced size is sent: a file that grew meanwhile is a fault */
	if (q->sent == body_size(q) && q->fp && q->file_size && fgetc(q->fp) != EOF) {
		snprintf(q->file_fault, sizeof(q->file_fault), "the file grew while it was sent");
		return CURL_READFUNC_ABORT;
	}
	return n;
}

/* libcurl rewinds a streamed body (a resend on a new connection). */
static int on_seek(void *ud, curl_off_t offset, int origin)
{
	struct req *q = ud;

	if (origin != SEEK_SET || offset < 0 || (uint64_t)offset > body_size(q))
		return CURL_SEEKFUNC_CANTSEEK;
	q->sent = (uint64_t)offset;
	if (q->sent > q->len && q->sent < q->len + q->file_size &&
	    file_at(q, q->sent - q->len) < 0)
		return CURL_SEEKFUNC_FAIL;
	if (q->fp && q->sent <= q->len) {
		fclose(q->fp);
		q->fp = NULL;
	}
	return CURL_SEEKFUNC_OK;
}

static CURLcode set_stream(CURL *e, struct req *q)
{
	CURLcode rc = curl_easy_setopt(e, CURLOPT_POST, 1L);

	if (rc == CURLE_OK)
		rc = curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_size(q));
	if (rc == CURLE_OK)
		rc = curl_easy_setopt(e, CURLOPT_READFUNCTION, on_read);
	if (rc == CURLE_OK)
		rc = curl_easy_setopt(e, CURLOPT_READDATA, (void *)q);
	if (rc == CURLE_OK)
		rc = curl_easy_setopt(e, CURLOPT_SEEKFUNCTION, on_seek);
	if (rc == CURLE_OK)
		rc = curl_easy_setopt(e, CURLOPT_SEEKDATA, (void *)q);
	if (rc == CURLE_OK)
		rc = curl_easy_setopt(e, CURLOPT_TIMEOUT_MS,
		                      q->c->timeout_ms + (long)((q->file_size >> 20) * 1000));
	return rc;
}

static CURLcode set_method(CURL *e, struct req *q)
{
	CURLcode rc = CURLE_OK;

	if (q->file_path)
		return set_stream(e, q);
	if (strcmp(q->method, "GET") == 0)
		rc = curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
	else if (strcmp(q->method, "HEAD") == 0)
		rc = curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
	else if (strcmp(q->method, "POST") == 0)
		rc = curl_easy_setopt(e, CURLOPT_POST, 1L);
	else
		rc = curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, q->method);
	if (rc == CURLE_OK && strcmp(q->method, "GET") != 0 && strcmp(q->method, "HEAD") != 0 &&
	    (q->body || strcmp(q->method, "POST") == 0)) {
		rc = curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)q->len);
		if (rc == CURLE_OK)
			rc = curl_easy_setopt(e, CURLOPT_POSTFIELDS, q->body ? q->body : "");
	}
	return rc;
}

static CURLcode set_security(CURL *e, const struct ccon_client *c, const struct req *q)
{
	CURLcode rc;

	rc = curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
#if LIBCURL_VERSION_NUM >= 0x075500
	if (rc == CURLE_OK)
		rc = curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	if (rc == CURLE_OK)
		rc = curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
	if (rc == CURLE_OK)
		rc = curl_easy_setopt(e, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
	if (rc == CURLE_OK)
		rc = curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS,
		                      (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	if (rc == CURLE_OK)
		rc = curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	if (rc == CURLE_OK)
		rc = curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	if (rc == CURLE_OK && c->ca_file)
		rc = curl_easy_setopt(e, CURLOPT_CAINFO, c->ca_file);
	/* "" overrides http_proxy and the like: the embedded engine's requests
	 * (and its token) stay on this machine */
	if (rc == CURLE_OK && c->loopback)
		rc = curl_easy_setopt(e, CURLOPT_PROXY, "");
	if (rc == CURLE_OK && c->token && q->auth == CCON_AUTH_BEARER) {
		rc = curl_easy_setopt(e, CURLOPT_HTTPAUTH, (long)CURLAUTH_BEARER);
		if (rc == CURLE_OK)
			rc = curl_easy_setopt(e, CURLOPT_XOAUTH2_BEARER, c->token);
	}
	return rc;
}

/* Whether sending q twice is harmless (the header's retry rules). */
static bool repeatable(const struct req *q)
{
	return q->retry || q->idem_key || strcmp(q->method, "GET") == 0 ||
	       strcmp(q->method, "HEAD") == 0;
}

static CURLcode set_options(CURL *e, struct req *q)
{
	const struct ccon_client *c = q->c;
	CURLcode rc;

	rc = curl_easy_setopt(e, CURLOPT_URL, q->url);
	if (rc == CURLE_OK)
		rc = curl_easy_setopt(e, CURLOPT_PRIVATE, (void *)q);
	if (rc == CURLE_OK)
		rc = curl_easy_setopt(e, CURLOPT_ERRORBUFFER, q->errbuf);
	if (rc == CURLE_OK)
		rc = curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	if (rc == CURLE_OK)
		rc = curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, c->connect_timeout_ms);
	if (rc == CURLE_OK)
		rc = curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, c->timeout_ms);
	if (rc == CURLE_OK)
		rc = curl_easy_setopt(e, CURLOPT_USERAGENT, PACKAGE_NAME "/" PACKAGE_VERSION);
	if (rc == CURLE_OK)
		rc = curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	if (rc == CURLE_OK)
		rc = curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_data);
	if (rc == CURLE_OK)
		rc = curl_easy_setopt(e, CURLOPT_WRITEDATA, (void *)q);
	if (rc == CURLE_OK)
		rc = curl_easy_setopt(e, CURLOPT_HTTPHEADER, q->headers);
	if (rc == CURLE_OK)
		rc = set_security(e, c, q);
	if (rc == CURLE_OK)
		rc = set_method(e, q);
	/* libcurl sends a request again by itself when a reused connection
	 * closes before any answer byte (the "lost answer" case): harmless
	 * for what may be repeated, a double send for the rest, which gets a
	 * connection of its own. */
	if (rc == CURLE_OK && !repeatable(q))
		rc = curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
	return rc;
}

/* Starts one attempt: 0, or -1 with q->err set. */
static int attempt_start(struct req *q)
{
	CURLcode rc;

	ccon_strbuf_reset(&q->answer);
	free(q->answer_type);
	q->answer_type = NULL;
	q->status = 0;
	q->too_large = false;
	q->sent = 0;
	q->file_fault[0] = '\0';
	q->errbuf[0] = '\0';
	ccon_error_clear(&q->err);
	q->easy = curl_easy_init();
	if (!q->easy || set_headers(q) < 0) {
		attempt_drop(q);
		return ccon_error_set(&q->err, CCON_E_NOMEM, "out of memory");
	}
	rc = set_options(q->easy, q);
	if (rc != CURLE_OK) {
		attempt_drop(q);
		return ccon_error_set(&q->err, rc == CURLE_OUT_OF_MEMORY ? CCON_E_NOMEM : CCON_E_IO,
		                      "%s %s: %s", q->method, q->path, curl_easy_strerror(rc));
	}
	if (curl_multi_add_handle(q->c->multi, q->easy) != CURLM_OK) {
		curl_easy_cleanup(q->easy);
		q->easy = NULL;
		attempt_drop(q);
		return ccon_error_set(&q->err, CCON_E_NOMEM, "out of memory");
	}
	q->attempts++;
	q->state = REQ_RUNNING;
	return 0;
}

/* ------------------------------------------------------------- outcomes */

static bool transient(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return true;
	default:
		return false;
	}
}

static void transport_error(struct req *q, CURLcode rc)
{
	const char *why = q->errbuf[0] ? q->errbuf : curl_easy_strerror(rc);

	if (q->file_fault[0])
		ccon_error_set(&q->err, CCON_E_IO, "%s %s: %s: %s", q->method, q->path,
		               q->file_path, q->file_fault);
	else if (q->too_large)
		ccon_error_set(&q->err, CCON_E_TOO_LARGE, "%s %s: the answer is larger than %ld MiB",
		               q->method, q->path, ANSWER_MAX >> 20);
	else
		ccon_error_set(&q->err, rc == CURLE_OUT_OF_MEMORY ? CCON_E_NOMEM : CCON_E_IO,
		               "%s %s: %s", q->method, q->path, why);
}

/* An HTTP error status: the API's error body, else a code for the status. */
static void http_error(struct req *q)
{
	struct ccon_api_error api;
	struct ccon_error ignored;
	enum ccon_errc code;

	if (ccon_api_error_parse(ccon_strbuf_cstr(&q->answer), q->answer.len, &api, &ignored) == 0) {
		q->err = api.error;
		return;
	}
	if (q->status == 401 || q->status == 403)
		code = CCON_E_AUTH;
	else if (q->status == 404)
		code = CCON_E_NOT_FOUND;
	else if (q->status == 429 || q->status >= 500)
		code = CCON_E_IO;
	else
		code = CCON_E_REMOTE_UNKNOWN;
	ccon_error_set(&q->err, code, "%s %s: the server answered HTTP %ld", q->method, q->path,
	               q->status);
}

/* A 429 or 5xx answer to a request that may be retried: its message
 * starts with the status and the Retry-After the server asked for, so
 * that the status bar shows why it waits ("HTTP 429, Retry-After 4s:
 * slow down"). */
static void note_http_status(struct req *q, long long retry_after_s)
{
	char head[64], msg[sizeof(q->err.message)];
	size_t room, len;

	if (strstr(q->err.message, "the server answered HTTP")) {
		/* the status is in the message already */
		if (retry_after_s <= 0)
			return;
		snprintf(head, sizeof(head), ", Retry-After %llds", retry_after_s);
		len = strlen(q->err.message);
		if (strlen(head) < sizeof(q->err.message) - len)
			memcpy(q->err.message + len, head, strlen(head) + 1);
		return;
	}
	if (retry_after_s > 0)
		snprintf(head, sizeof(head), "HTTP %ld, Retry-After %llds: ", q->status, retry_after_s);
	else
		snprintf(head, sizeof(head), "HTTP %ld: ", q->status);
	room = sizeof(msg) - strlen(head) - 1;
	snprintf(msg, sizeof(msg), "%s%.*s", head, (int)room, q->err.message);
	memcpy(q->err.message, msg, sizeof(msg));
}

static uint64_t next_random(struct ccon_client *c)
{
	c->rng ^= c->rng << 13;
	c->rng ^= c->rng >> 7;
	c->rng ^= c->rng << 17;
	return c->rng;
}

/* The wait before retry number n (1-based): backoff_ms doubled each time,
 * plus up to a quarter at random, at least Retry-After; all capped. */
static long backoff(struct ccon_client *c, unsigned n, long retry_after_ms)
{
	long d = c->backoff_ms;

	for (unsigned i = 1; i < n && d < c->backoff_max_ms; i++)
		d *= 2;
	if (d > c->backoff_max_ms)
		d = c->backoff_max_ms;
	d += (long)(next_random(c) % (uint64_t)(d / 4 + 1));
	if (retry_after_ms > d)
		d = retry_after_ms;
	return d > c->backoff_max_ms ? c->backoff_max_ms : d;
}

static void attempt_end(struct req *q, CURLcode rc)
{
	struct ccon_client *c = q->c;
	curl_off_t retry_after = 0;
	const char *type = NULL;
	bool worth_retry;

	if (rc == CURLE_OK) {
		curl_easy_getinfo(q->easy, CURLINFO_RESPONSE_CODE, &q->status);
		curl_easy_getinfo(q->easy, CURLINFO_CONTENT_TYPE, &type);
		curl_easy_getinfo(q->easy, CURLINFO_RETRY_AFTER, &retry_after);
		if (type)
			q->answer_type = strdup(type);
	}
	attempt_drop(q);
	if (rc != CURLE_OK) {
		transport_error(q, rc);
		worth_retry = transient(rc) && !q->file_fault[0];
	} else if (q->status >= 400) {
		http_error(q);
		worth_retry = q->status == 429 || q->status >= 500;
		if (worth_retry && (q->retry || q->idem_key))
			note_http_status(q, (long long)retry_after);
	} else {
		worth_retry = false;
	}
	redact(c, q->err.message, sizeof(q->err.message));
	redact(c, q->err.path, sizeof(q->err.path));
	if (worth_retry && (q->retry || q->idem_key) && q->attempts <= c->max_retries) {
		long ra = retry_after > 0 && retry_after < LONG_MAX / 1000 ? (long)retry_after * 1000
		                                                           : 0;

		q->state = REQ_WAITING;
		q->due_ms = ccon_monotonic_ms() + backoff(c, q->attempts, ra);
		note_attempt(c, q, true);
		return;
	}
	q->state = REQ_DONE;
	q->done_us = monotonic_us();
	note_attempt(c, q, false);
}

static void finish_now(struct req *q)
{
	q->state = REQ_DONE;
	q->done_us = monotonic_us();
	note_attempt(q->c, q, false);
}

/* ---------------------------------------------------------------- life */

static bool loopback_host(const char *host)
{
	return strcasecmp(host, "localhost") == 0 || strncmp(host, "127.", 4) == 0 ||
	       strcmp(host, "[::1]") == 0 || strcmp(host, "::1") == 0;
}

static int check_base_url(const char *url, bool *loopback, struct ccon_error *err)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *user = NULL, *pass = NULL, *query = NULL;
	int rc = -1;

	if (!u)
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
		ccon_error_set(err, CCON_E_INVALID_ARGUMENT, "the server URL is not a URL");
	else if (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0)
		ccon_error_set(err, CCON_E_INVALID_ARGUMENT, "the server URL must be http or https");
	else if (curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK ||
	         curl_url_get(u, CURLUPART_PASSWORD, &pass, 0) == CURLUE_OK)
		ccon_error_set(err, CCON_E_INVALID_ARGUMENT,
		               "the server URL must not hold credentials (use the token)");
	else if (curl_url_get(u, CURLUPART_QUERY, &query, 0) == CURLUE_OK)
		ccon_error_set(err, CCON_E_INVALID_ARGUMENT, "the server URL must not have a query");
	else
		rc = 0;
	if (rc < 0)
		ccon_error_at_path(err, "url");
	else
		*loopback = loopback_host(host);
	curl_free(scheme);
	curl_free(host);
	if (user)
		explicit_bzero(user, strlen(user));
	if (pass)
		explicit_bzero(pass, strlen(pass));
	curl_free(user);
	curl_free(pass);
	curl_free(query);
	curl_url_cleanup(u);
	return rc;
}

static bool printable(const char *s, bool space_ok)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x21 || (unsigned char)*s == 0x7F)
			if (!(space_ok && *s == ' '))
				return false;
	return true;
}

static long or_default(long v, long def)
{
	return v > 0 ? v : def;
}

static int copy_config(struct ccon_client *c, const struct ccon_client_config *cfg,
                       struct ccon_error *err)
{
	size_t len;

	if (!cfg->base_url || !*cfg->base_url)
		return ccon_error_set(err, CCON_E_INVALID_ARGUMENT, "no server URL");
	if (check_base_url(cfg->base_url, &c->loopback, err) < 0)
		return -1;
	if (cfg->token && (!*cfg->token || strlen(cfg->token) > TOKEN_MAX ||
	                   !printable(cfg->token, false)))
		return ccon_error_set(err, CCON_E_INVALID_ARGUMENT,
		                      "the token must be 1 to %d characters without spaces or controls",
		                      TOKEN_MAX);
	c->base_url = strdup(cfg->base_url);
	c->token = cfg->token ? strdup(cfg->token) : NULL;
	c->ca_file = cfg->ca_file ? strdup(cfg->ca_file) : NULL;
	if (!c->base_url || (cfg->token && !c->token) || (cfg->ca_file && !c->ca_file))
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	len = strlen(c->base_url);
	while (len > 0 && c->base_url[len - 1] == '/')
		c->base_url[--len] = '\0';
	c->connect_timeout_ms = or_default(cfg->connect_timeout_ms, DEF_CONNECT_TIMEOUT_MS);
	c->timeout_ms = or_default(cfg->timeout_ms, DEF_TIMEOUT_MS);
	c->max_retries = cfg->max_retries ? cfg->max_retries : DEF_MAX_RETRIES;
	c->backoff_ms = or_default(cfg->backoff_ms, DEF_BACKOFF_MS);
	c->backoff_max_ms = or_default(cfg->backoff_max_ms, DEF_BACKOFF_MAX_MS);
	if (c->backoff_max_ms < c->backoff_ms)
		c->backoff_max_ms = c->backoff_ms;
	return 0;
}

int ccon_client_new(const struct ccon_client_config *cfg, struct ccon_client **out,
                    struct ccon_error *err)
{
	struct ccon_client *c;

	*out = NULL;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return ccon_error_set(err, CCON_E_IO, "libcurl could not start");
	c = calloc(1, sizeof(*c));
	if (!c) {
		curl_global_cleanup();
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	}
	c->next_id = 1;
	c->rng = (uint64_t)monotonic_us() ^ (uint64_t)(uintptr_t)c ^ 0x9E3779B97F4A7C15ULL;
	if (copy_config(c, cfg, err) < 0) {
		ccon_client_free(c);
		return -1;
	}
	c->multi = curl_multi_init();
	if (!c->multi) {
		ccon_client_free(c);
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	}
	*out = c;
	return 0;
}

void ccon_client_free(struct ccon_client *c)
{
	if (!c)
		return;
	for (struct req *q = c->head, *next; q; q = next) {
		next = q->next;
		req_free(q);
	}
	c->head = c->tail = NULL;
	if (c->multi)
		curl_multi_cleanup(c->multi);
	if (c->token) {
		explicit_bzero(c->token, strlen(c->token));
		free(c->token);
	}
	free(c->base_url);
	free(c->ca_file);
	free(c);
	curl_global_cleanup();
}

/* -------------------------------------------------------------- sending */

static int check_request(const struct ccon_request *rq, struct ccon_error *err)
{
	const char *m = rq->method;
	size_t klen = rq->idempotency_key ? strlen(rq->idempotency_key) : 1;

	if (!m || !*m || strspn(m, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != strlen(m))
		return ccon_error_set(err, CCON_E_INVALID_ARGUMENT, "the method must be upper case");
	if (!rq->path || rq->path[0] != '/' || !printable(rq->path, false))
		return ccon_error_set(err, CCON_E_INVALID_ARGUMENT,
		                      "the path must start with / and have no spaces or controls");
	if (rq->content_type && (strlen(rq->content_type) > 200 ||
	                         !printable(rq->content_type, true)))
		return ccon_error_set(err, CCON_E_INVALID_ARGUMENT, "bad content type");
	if (klen < 1 || klen > 255 || (rq->idempotency_key && !printable(rq->idempotency_key, true)))
		return ccon_error_set(err, CCON_E_INVALID_ARGUMENT,
		                      "an idempotency key is 1 to 255 printable characters");
	if (rq->body && rq->len > (size_t)ANSWER_MAX)
		return ccon_error_set(err, CCON_E_TOO_LARGE, "the body is larger than %ld MiB",
		                      ANSWER_MAX >> 20);
	if (rq->file_path && (strcmp(m, "POST") != 0 || (rq->tail_len && !rq->tail)))
		return ccon_error_set(err, CCON_E_INVALID_ARGUMENT,
		                      "a body from a file is POSTed, its tail given");
	return 0;
}

/* The streamed file's size, taken once: what the request announces. */
static int file_size(const char *path, uint64_t *out, struct ccon_error *err)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return ccon_error_set(err, CCON_E_IO, "%s: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return ccon_error_set(err, CCON_E_IO, "%s: not a regular file", path);
	*out = (uint64_t)st.st_size;
	return 0;
}

static char *dup_or_null(const char *s, bool *failed)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		*failed = true;
	return d;
}

static struct req *req_new(struct ccon_client *c, const struct ccon_request *rq)
{
	struct req *q = calloc(1, sizeof(*q));
	bool failed = false;
	size_t ulen;

	if (!q)
		return NULL;
	q->c = c;
	ccon_strbuf_init(&q->answer);
	q->method = dup_or_null(rq->method, &failed);
	q->path = dup_or_null(rq->path, &failed);
	q->content_type = dup_or_null(rq->content_type, &failed);
	q->idem_key = dup_or_null(rq->idempotency_key, &failed);
	ulen = strlen(c->base_url) + strlen(rq->path) + 1;
	q->url = malloc(ulen);
	if (q->url)
		snprintf(q->url, ulen, "%s%s", c->base_url, rq->path);
	if (rq->body) {
		q->body = malloc(rq->len + 1);
		if (q->body) {
			memcpy(q->body, rq->body, rq->len);
			q->body[rq->len] = '\0';
		}
	}
	q->len = rq->body ? rq->len : 0;
	q->file_path = dup_or_null(rq->file_path, &failed);
	if (rq->file_path && rq->tail_len) {
		q->tail = malloc(rq->tail_len);
		if (q->tail)
			memcpy(q->tail, rq->tail, rq->tail_len);
		else
			failed = true;
		q->tail_len = rq->tail_len;
	}
	if (failed || !q->url || (rq->body && !q->body)) {
		req_free(q);
		return NULL;
	}
	q->auth = rq->auth;
	q->retry = rq->retry;
	return q;
}

int64_t ccon_client_send(struct ccon_client *c, const struct ccon_request *rq, ccon_client_cb cb,
                         void *ctx, struct ccon_error *err)
{
	struct req *q;

	if (check_request(rq, err) < 0)
		return -1;
	q = req_new(c, rq);
	if (!q)
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	if (q->file_path && file_size(q->file_path, &q->file_size, err) < 0) {
		req_free(q);
		return -1;
	}
	q->cb = cb;
	q->ctx = ctx;
	q->queued_us = monotonic_us();
	if (attempt_start(q) < 0) {
		if (err)
			*err = q->err;
		req_free(q);
		return -1;
	}
	q->id = c->next_id++;
	q->prev = c->tail;
	if (c->tail)
		c->tail->next = q;
	else
		c->head = q;
	c->tail = q;
	return q->id;
}

int64_t ccon_client_command(struct ccon_client *c, const char *method, const char *uri,
                            const char *type, const char *resource_json,
                            const char *idempotency_key, ccon_client_cb cb, void *ctx,
                            struct ccon_error *err)
{
	struct ccon_command cmd = { 0 };
	struct ccon_request rq = { 0 };
	char id[32];
	cJSON *json = NULL;
	char *text = NULL;
	int64_t rc = -1;

	if (!method || ccon_cmd_method_parse(method, &cmd.method) < 0) {
		ccon_error_set(err, CCON_E_INVALID_ARGUMENT, "the command method is not get, set or delete");
		ccon_error_at_path(err, "method");
		return -1;
	}
	if (!uri || uri[0] != '/') {
		ccon_error_set(err, CCON_E_INVALID_ARGUMENT, "the command uri must start with /");
		ccon_error_at_path(err, "uri");
		return -1;
	}
	if (resource_json && ccon_json_parse(resource_json, strlen(resource_json), &cmd.resource,
	                                     err) < 0) {
		ccon_error_prefix_path(err, "resource");
		return -1;
	}
	snprintf(id, sizeof(id), "ccon-%lld", (long long)c->next_id);
	cmd.id = id;
	cmd.to = (char *)COMMAND_TO;
	cmd.uri = (char *)uri;
	cmd.type = (char *)type;
	if (ccon_command_encode(&cmd, &json) < 0 || !(text = cJSON_PrintUnformatted(json))) {
		ccon_error_set(err, CCON_E_NOMEM, "out of memory");
		goto out;
	}
	rq.method = "POST";
	rq.path = "/commands";
	rq.body = text;
	rq.len = strlen(text);
	rq.idempotency_key = idempotency_key;
	rq.auth = CCON_AUTH_KEY;
	rq.retry = cmd.method == CCON_CMD_GET;
	rc = ccon_client_send(c, &rq, cb, ctx, err);
out:
	cJSON_free(text);
	cJSON_Delete(json);
	cJSON_Delete(cmd.resource);
	return rc;
}

void ccon_client_cancel(struct ccon_client *c, int64_t id)
{
	struct req *q = req_find(c, id);

	if (!q)
		return;
	req_unlink(c, q);
	req_free(q);
}

/* ------------------------------------------------------------- the loop */

/* Milliseconds until the earliest retry falls due; 0 when a request is
 * already done and waits for its callback; -1 when none waits. */
static long next_due(const struct ccon_client *c, int64_t now)
{
	long best = -1;

	for (const struct req *q = c->head; q; q = q->next) {
		long d;

		if (q->state == REQ_DONE)
			return 0;
		if (q->state != REQ_WAITING)
			continue;
		d = q->due_ms <= now ? 0 : (long)(q->due_ms - now > INT_MAX ? INT_MAX : q->due_ms - now);
		if (best < 0 || d < best)
			best = d;
	}
	return best;
}

static long earliest(long a, long b)
{
	if (a < 0)
		return b;
	if (b < 0)
		return a;
	return a < b ? a : b;
}

static short to_curl_events(short ev)
{
	return (short)(((ev & POLLIN) ? CURL_WAIT_POLLIN : 0) |
	               ((ev & POLLPRI) ? CURL_WAIT_POLLPRI : 0) |
	               ((ev & POLLOUT) ? CURL_WAIT_POLLOUT : 0));
}

static short from_curl_events(short ev)
{
	return (short)(((ev & CURL_WAIT_POLLIN) ? POLLIN : 0) |
	               ((ev & CURL_WAIT_POLLPRI) ? POLLPRI : 0) |
	               ((ev & CURL_WAIT_POLLOUT) ? POLLOUT : 0));
}

/* libcurl reports only in, pri and out for extra descriptors: a hang-up or
 * an error (a closed terminal) would wake every wait and never show, so
 * the caller would spin. Those bits come from one poll that does not wait. */
static void add_hangups(struct pollfd *extra, unsigned n)
{
	struct pollfd probe[16];

	for (unsigned i = 0; i < n; i += 16) {
		unsigned k = n - i < 16 ? n - i : 16;

		/* cppcheck-suppress knownConditionTrueFalse ; i < n, so k >= 1 */
		for (unsigned j = 0; j < k; j++) {
			probe[j].fd = extra[i + j].fd;
			probe[j].events = extra[i + j].events;
			probe[j].revents = 0;
		}
		if (poll(probe, k, 0) <= 0)
			continue;
		/* cppcheck-suppress knownConditionTrueFalse ; k >= 1 */
		for (unsigned j = 0; j < k; j++)
			extra[i + j].revents |= (short)(probe[j].revents & (POLLHUP | POLLERR | POLLNVAL));
	}
}

int ccon_client_wait(struct ccon_client *c, struct pollfd *extra, unsigned n_extra,
                     int timeout_ms, struct ccon_error *err)
{
	struct curl_waitfd small[8], *w = small;
	long curl_ms = -1, t;
	CURLMcode mc;

	if (curl_multi_timeout(c->multi, &curl_ms) != CURLM_OK)
		curl_ms = 0;
	t = earliest(timeout_ms < 0 ? -1 : timeout_ms, curl_ms);
	t = earliest(t, next_due(c, ccon_monotonic_ms()));
	if (t < 0 || t > INT_MAX)
		t = INT_MAX;
	if (n_extra > 8 && !(w = calloc(n_extra, sizeof(*w))))
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	for (unsigned i = 0; i < n_extra; i++) {
		w[i].fd = extra[i].fd;
		w[i].events = to_curl_events(extra[i].events);
		w[i].revents = 0;
	}
	mc = curl_multi_poll(c->multi, w, n_extra, (int)t, NULL);
	for (unsigned i = 0; i < n_extra; i++)
		extra[i].revents = from_curl_events(w[i].revents);
	if (w != small)
		free(w);
	if (mc != CURLM_OK)
		return ccon_error_set(err, CCON_E_IO, "waiting for the network: %s",
		                      curl_multi_strerror(mc));
	add_hangups(extra, n_extra);
	return 0;
}

void ccon_client_wakeup(struct ccon_client *c)
{
	curl_multi_wakeup(c->multi);
}

static void collect(struct ccon_client *c)
{
	CURLMsg *m;
	int left;

	while ((m = curl_multi_info_read(c->multi, &left)) != NULL) {
		char *q = NULL;

		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &q);
		if (q)
			attempt_end((struct req *)(void *)q, m->data.result);
	}
}

/* Starts the retries that fell due; how many started. */
static unsigned start_due(struct ccon_client *c)
{
	int64_t now = ccon_monotonic_ms();
	unsigned n = 0;

	for (struct req *q = c->head; q; q = q->next) {
		if (q->state != REQ_WAITING || q->due_ms > now)
			continue;
		if (attempt_start(q) < 0)
			finish_now(q);
		else
			n++;
	}
	return n;
}

static void deliver(struct ccon_client *c)
{
	for (;;) {
		struct ccon_response r = { 0 };
		struct req *q = c->head;

		while (q && q->state != REQ_DONE)
			q = q->next;
		if (!q)
			return;
		/* unlinked first: a callback may cancel, send or run freely */
		req_unlink(c, q);
		r.id = q->id;
		r.status = q->status;
		r.body = ccon_strbuf_cstr(&q->answer);
		r.len = q->answer.len;
		r.content_type = q->answer_type;
		r.attempts = q->attempts;
		r.elapsed_ms = (double)(q->done_us - q->queued_us) / 1000.0;
		r.err = q->err;
		if (q->cb)
			q->cb(q->ctx, &r);
		req_free(q);
	}
}

unsigned ccon_client_run(struct ccon_client *c)
{
	int running;
	unsigned n = 0;

	do {
		curl_multi_perform(c->multi, &running);
		collect(c);
	} while (start_due(c) > 0);
	deliver(c);
	for (const struct req *q = c->head; q; q = q->next)
		n++;
	return n;
}

void ccon_client_conn(const struct ccon_client *c, struct ccon_conn_info *out)
{
	*out = c->conn;
	out->in_flight = 0;
	for (const struct req *q = c->head; q; q = q->next)
		out->in_flight++;
}
