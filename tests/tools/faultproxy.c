/* faultproxy - a TCP proxy for tests that breaks chosen HTTP/1.1 exchanges.
 *
 *   faultproxy --upstream HOST:PORT [--listen 127.0.0.1:0] [--rule RULE]...
 *              [--control FILE]
 *
 * Once it listens it prints "faultproxy listening on http://HOST:PORT" on
 * standard output (flushed). One thread, poll(2). It frames HTTP/1.1
 * requests (Content-Length or chunked bodies, keep-alive, pipelining) and
 * answers (Content-Length, chunked, until close; 1xx skipped) so that a
 * rule applies to ONE request; bytes are relayed unchanged otherwise. Each
 * client connection gets its own upstream connection, opened when its
 * first request is forwarded.
 *
 * RULE is "METHOD PATH-PREFIX ACTION[=ARG] [retry-after=S] [xN]": METHOD
 * or * for any; the prefix is matched against the request target, query
 * included; xN limits the rule to the first N requests it matches (by
 * default it takes every one). The first rule that matches decides; no
 * rule: pass. ACTIONs:
 *   pass            relay the request and its answer
 *   drop-request    close the client connection without forwarding
 *   drop-response   forward, let the upstream answer whole, then close the
 *                   client connection without sending it (the lost answer)
 *   delay=MS        forward, hold the answer MS milliseconds, send it
 *   stall           never forward nor answer; the connection stays open
 *   status=CODE     answer CODE (200..599) itself, a small JSON error body,
 *                   without forwarding; retry-after=S adds Retry-After: S
 *   truncate=N      forward; send the answer's head and the first N bytes
 *                   of its body (as received: chunk lines count), close
 *   cut-body        forward; send the head and half the body, close (an
 *                   empty body: half the head)
 *
 * --control FILE holds more rules, one a line (# comments, blank lines).
 * They follow the --rule ones and are replaced, hit counts reset, when
 * the file is re-read: at once on SIGHUP (a request sent after the signal
 * sees the new rules) and when its size, time or inode changes (checked
 * every second). A file with an error keeps the old rules and says where.
 * A missing file means no rules from it.
 *
 * Standard error gets one line per request as it is decided, and one as
 * its answer goes (or does not): "#N METHOD TARGET -> ACTION" and
 * "#N answer STATUS, BYTES bytes: sent|dropped|...". Targets are printed
 * with every byte outside printable ASCII as \xHH; headers never are (a
 * token stays out of the log). SIGTERM and SIGINT stop it (exit 0). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MESSAGE_MAX ((size_t)256 << 20) /* a bigger request or answer closes */
#define TARGET_LOG 1024                 /* bytes of a target shown */
#define RULES_MAX 64
#define SESSIONS_MAX 512

/* ---------------------------------------------------------------- utils */

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void say(const char *fmt, ...)
{
	va_list ap;

	fputs("faultproxy: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
}

/* s (n bytes) as printable ASCII: anything else as \xHH. */
static void printable(char *out, size_t size, const char *s, size_t n)
{
	size_t o = 0;

	for (size_t i = 0; i < n && o + 5 < size; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c > 0x7E || c == '\\')
			o += (size_t)snprintf(out + o, size - o, "\\x%02X", c);
		else
			out[o++] = (char)c;
	}
	out[o] = '\0';
}

struct buf {
	char *p;
	size_t len, cap;
	size_t off;                  /* bytes already consumed or sent */
};

static int buf_add(struct buf *b, const char *data, size_t n)
{
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		char *p;

		while (cap < b->len + n)
			cap *= 2;
		p = realloc(b->p, cap);
		if (!p)
			return -1;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
	return 0;
}

/* Drops the first n bytes. */
static void buf_drop(struct buf *b, size_t n)
{
	if (n >= b->len) {
		b->len = 0;
	} else {
		memmove(b->p, b->p + n, b->len - n);
		b->len -= n;
	}
	b->off = 0;
}

static void buf_free(struct buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

/* ---------------------------------------------------------------- rules */

enum action {
	ACT_PASS,
	ACT_DROP_REQUEST,
	ACT_DROP_RESPONSE,
	ACT_DELAY,
	ACT_STALL,
	ACT_STATUS,
	ACT_TRUNCATE,
	ACT_CUT_BODY,
};

static const struct {
	const char *name;
	enum action act;
	bool arg;
} actions[] = {
	{ "pass", ACT_PASS, false },
	{ "drop-request", ACT_DROP_REQUEST, false },
	{ "drop-response", ACT_DROP_RESPONSE, false },
	{ "delay", ACT_DELAY, true },
	{ "stall", ACT_STALL, false },
	{ "status", ACT_STATUS, true },
	{ "truncate", ACT_TRUNCATE, true },
	{ "cut-body", ACT_CUT_BODY, false },
};

struct rule {
	char method[24];
	char prefix[512];
	enum action act;
	long arg;
	long retry_after;            /* seconds; -1: none */
	long limit;                  /* 0: every request */
	long hits;
	char text[600];              /* as written, for the log */
};

struct rules {
	struct rule v[RULES_MAX];
	size_t n;
};

static int number(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int parse_action(const char *tok, struct rule *r, char *why, size_t why_size)
{
	const char *eq = strchr(tok, '=');
	size_t n = eq ? (size_t)(eq - tok) : strlen(tok);

	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++) {
		if (strlen(actions[i].name) != n || strncmp(actions[i].name, tok, n) != 0)
			continue;
		r->act = actions[i].act;
		if (actions[i].arg != (eq != NULL)) {
			snprintf(why, why_size, "'%s' %s", actions[i].name,
			         actions[i].arg ? "needs =VALUE" : "takes no value");
			return -1;
		}
		if (!eq)
			return 0;
		if (r->act == ACT_STATUS ? number(eq + 1, 200, 599, &r->arg)
		                         : number(eq + 1, 0, INT_MAX, &r->arg)) {
			snprintf(why, why_size, "bad value in '%s'%s", tok,
			         r->act == ACT_STATUS ? " (a status is 200..599)" : "");
			return -1;
		}
		return 0;
	}
	snprintf(why, why_size, "unknown action '%s'", tok);
	return -1;
}

static int parse_option(const char *tok, struct rule *r, char *why, size_t why_size)
{
	if (tok[0] == 'x' && number(tok + 1, 1, LONG_MAX, &r->limit) == 0)
		return 0;
	if (strncmp(tok, "retry-after=", 12) == 0 && r->act == ACT_STATUS &&
	    number(tok + 12, 0, INT_MAX, &r->retry_after) == 0)
		return 0;
	snprintf(why, why_size, "'%s' is neither xN nor retry-after=S (after status=CODE)", tok);
	return -1;
}

/* "METHOD PATH-PREFIX ACTION[=ARG] [retry-after=S] [xN]" */
static int parse_rule(const char *line, struct rule *r, char *why, size_t why_size)
{
	char copy[600], *save = NULL, *tok[6];
	int n = 0;

	memset(r, 0, sizeof(*r));
	r->retry_after = -1;
	if (strlen(line) >= sizeof(copy)) {
		snprintf(why, why_size, "the rule is too long");
		return -1;
	}
	snprintf(copy, sizeof(copy), "%s", line);
	for (char *t = strtok_r(copy, " \t\r\n", &save); t; t = strtok_r(NULL, " \t\r\n", &save)) {
		if (n == 5) {
			snprintf(why, why_size, "too many words");
			return -1;
		}
		tok[n++] = t;
	}
	if (n < 3) {
		snprintf(why, why_size, "want METHOD PATH-PREFIX ACTION[=ARG] [retry-after=S] [xN]");
		return -1;
	}
	if (strlen(tok[0]) >= sizeof(r->method) ||
	    (strcmp(tok[0], "*") != 0 && strspn(tok[0], "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != strlen(tok[0]))) {
		snprintf(why, why_size, "the method is * or upper case letters, not '%s'", tok[0]);
		return -1;
	}
	if (tok[1][0] != '/' || strlen(tok[1]) >= sizeof(r->prefix)) {
		snprintf(why, why_size, "the path prefix starts with /, not '%s'", tok[1]);
		return -1;
	}
	snprintf(r->method, sizeof(r->method), "%s", tok[0]);
	snprintf(r->prefix, sizeof(r->prefix), "%s", tok[1]);
	if (parse_action(tok[2], r, why, why_size) < 0)
		return -1;
	for (int i = 3; i < n; i++)
		if (parse_option(tok[i], r, why, why_size) < 0)
			return -1;
	snprintf(r->text, sizeof(r->text), "%s", line);
	r->text[strcspn(r->text, "\r\n")] = '\0';
	return 0;
}

struct control {
	const char *path;            /* NULL: none */
	struct stat seen;            /* of the version loaded */
	bool exists;
	size_t first;                /* rules[first..] came from the file */
};

/* Replaces the file's rules; keeps them all when the file has an error. */
static void control_load(struct control *ctl, struct rules *rs)
{
	struct rules next = *rs;
	char line[1024], why[200];
	unsigned lineno = 0;
	FILE *f = fopen(ctl->path, "r");

	next.n = ctl->first;
	if (!f) {
		ctl->exists = false;
		rs->n = ctl->first;
		say("control %s: %s: no rules from it", ctl->path, strerror(errno));
		return;
	}
	ctl->exists = fstat(fileno(f), &ctl->seen) == 0;
	while (fgets(line, sizeof(line), f)) {
		const char *s = line + strspn(line, " \t");

		lineno++;
		if (*s == '#' || *s == '\n' || *s == '\r' || *s == '\0')
			continue;
		if (next.n == RULES_MAX) {
			say("control %s:%u: more than %d rules; rules kept", ctl->path, lineno, RULES_MAX);
			fclose(f);
			return;
		}
		if (parse_rule(s, &next.v[next.n], why, sizeof(why)) < 0) {
			say("control %s:%u: %s; rules kept", ctl->path, lineno, why);
			fclose(f);
			return;
		}
		next.n++;
	}
	fclose(f);
	*rs = next;
	say("control %s: %zu rules loaded", ctl->path, rs->n - ctl->first);
}

static bool control_changed(const struct control *ctl)
{
	struct stat st;

	if (stat(ctl->path, &st) < 0)
		return ctl->exists;
	return !ctl->exists || st.st_ino != ctl->seen.st_ino || st.st_size != ctl->seen.st_size ||
	       st.st_mtim.tv_sec != ctl->seen.st_mtim.tv_sec ||
	       st.st_mtim.tv_nsec != ctl->seen.st_mtim.tv_nsec;
}

/* The rule for a request, its hit counted; NULL: pass. */
static struct rule *rule_for(struct rules *rs, const char *method, const char *target)
{
	for (size_t i = 0; i < rs->n; i++) {
		struct rule *r = &rs->v[i];

		if (strcmp(r->method, "*") != 0 && strcmp(r->method, method) != 0)
			continue;
		if (strncmp(target, r->prefix, strlen(r->prefix)) != 0)
			continue;
		if (r->limit && r->hits >= r->limit)
			continue;
		r->hits++;
		return r;
	}
	return NULL;
}

/* ----------------------------------------------------------- HTTP framing */

enum body_kind { BODY_NONE, BODY_LENGTH, BODY_CHUNKED, BODY_UNTIL_CLOSE };

struct msg {
	size_t head_len;             /* through the blank line */
	size_t total;                /* head and body, once complete */
	enum body_kind body;
	unsigned long long length;
	bool close;                  /* the connection ends after this message */
	bool expect_continue;
	unsigned status;             /* answers */
	char method[24];             /* requests */
	char target[4096];
};

static const char *find(const char *p, size_t len, const char *what)
{
	size_t n = strlen(what);

	for (size_t i = 0; i + n <= len; i++)
		if (memcmp(p + i, what, n) == 0)
			return p + i;
	return NULL;
}

/* A header's value (trimmed) in value, when the line is that header. */
static bool header_is(const char *line, size_t len, const char *name, char *value, size_t size)
{
	size_t n = strlen(name), v;

	if (len <= n || strncasecmp(line, name, n) != 0 || line[n] != ':')
		return false;
	line += n + 1;
	len -= n + 1;
	while (len && (*line == ' ' || *line == '\t'))
		line++, len--;
	while (len && (line[len - 1] == ' ' || line[len - 1] == '\t'))
		len--;
	v = len < size - 1 ? len : size - 1;
	memcpy(value, line, v);
	value[v] = '\0';
	return true;
}

static int parse_headers(const char *p, const char *end, struct msg *m, bool http10)
{
	char value[128];
	bool keep_alive = false;

	while (p < end) {
		const char *eol = find(p, (size_t)(end - p), "\r\n");
		size_t len = eol ? (size_t)(eol - p) : (size_t)(end - p);
		char *stop;

		if (header_is(p, len, "Content-Length", value, sizeof(value))) {
			errno = 0;
			m->length = strtoull(value, &stop, 10);
			if (errno || stop == value || *stop)
				return -1;
			if (m->body != BODY_CHUNKED)
				m->body = BODY_LENGTH;
		} else if (header_is(p, len, "Transfer-Encoding", value, sizeof(value))) {
			if (strcasestr(value, "chunked"))
				m->body = BODY_CHUNKED;
		} else if (header_is(p, len, "Connection", value, sizeof(value))) {
			if (strcasestr(value, "close"))
				m->close = true;
			if (strcasestr(value, "keep-alive"))
				keep_alive = true;
		} else if (header_is(p, len, "Expect", value, sizeof(value))) {
			m->expect_continue = strcasecmp(value, "100-continue") == 0;
		}
		p += len + 2;
	}
	if (http10 && !keep_alive)
		m->close = true;
	return 0;
}

/* The head of a request or an answer: 0 incomplete, 1 parsed, -1 bad. */
static int parse_head(const char *p, size_t len, bool answer, const char *req_method,
                      struct msg *m)
{
	const char *end = find(p, len, "\r\n\r\n"), *eol, *sp1, *sp2;
	size_t line_len;

	memset(m, 0, sizeof(*m));
	if (!end)
		return len > 65536 ? -1 : 0;
	m->head_len = (size_t)(end - p) + 4;
	eol = find(p, m->head_len, "\r\n");
	line_len = (size_t)(eol - p);
	sp1 = memchr(p, ' ', line_len);
	if (!sp1)
		return -1;
	sp2 = memchr(sp1 + 1, ' ', line_len - (size_t)(sp1 + 1 - p));
	if (answer) {
		if (line_len < 12 || strncmp(p, "HTTP/1.", 7) != 0)
			return -1;
		m->status = (unsigned)strtoul(sp1 + 1, NULL, 10);
		if (m->status < 100 || m->status > 999)
			return -1;
	} else {
		size_t ml = (size_t)(sp1 - p), tl;

		if (!sp2 || ml >= sizeof(m->method))
			return -1;
		memcpy(m->method, p, ml);
		m->method[ml] = '\0';
		tl = (size_t)(sp2 - sp1 - 1);
		if (tl >= sizeof(m->target))
			tl = sizeof(m->target) - 1;
		memcpy(m->target, sp1 + 1, tl);
		m->target[tl] = '\0';
	}
	if (parse_headers(eol + 2, end + 2, m,
	                  answer ? strncmp(p, "HTTP/1.0", 8) == 0
	                         : (sp2 && strncmp(sp2 + 1, "HTTP/1.0", 8) == 0)) < 0)
		return -1;
	if (answer && (m->status < 200 || m->status == 204 || m->status == 304 ||
	               (req_method && strcmp(req_method, "HEAD") == 0)))
		m->body = BODY_NONE;
	else if (answer && m->body == BODY_NONE)
		m->body = BODY_UNTIL_CLOSE;
	if (m->body == BODY_UNTIL_CLOSE)
		m->close = true;
	return 1;
}

/* The length of a chunked body at p: 0 incomplete, -1 bad. */
static long long chunked_len(const char *p, size_t len)
{
	size_t pos = 0;

	for (;;) {
		const char *eol = find(p + pos, len - pos, "\r\n");
		unsigned long long size;
		char *stop;

		if (!eol)
			return len - pos > 1024 ? -1 : 0;
		errno = 0;
		size = strtoull(p + pos, &stop, 16);
		if (errno || stop == p + pos || (stop != eol && *stop != ';' && *stop != ' '))
			return -1;
		pos = (size_t)(eol - p) + 2;
		if (size == 0) {
			const char *trailers_end;

			if (len - pos >= 2 && memcmp(p + pos, "\r\n", 2) == 0)
				return (long long)pos + 2;
			trailers_end = find(p + pos, len - pos, "\r\n\r\n");
			return trailers_end ? (long long)(trailers_end - p) + 4 : 0;
		}
		if (size > MESSAGE_MAX || len - pos < size + 2)
			return 0;
		pos += size + 2;
	}
}

/* Whether the message whose head is parsed is whole in len bytes (eof:
 * the peer closed); sets m->total. -1: bad framing. */
static int complete(const char *p, size_t len, bool eof, struct msg *m)
{
	long long n;

	switch (m->body) {
	case BODY_NONE:
		m->total = m->head_len;
		return 1;
	case BODY_LENGTH:
		if (m->length > MESSAGE_MAX)
			return -1;
		m->total = m->head_len + (size_t)m->length;
		return len >= m->total;
	case BODY_CHUNKED:
		n = chunked_len(p + m->head_len, len - m->head_len);
		if (n < 0)
			return -1;
		m->total = m->head_len + (size_t)n;
		return n > 0;
	case BODY_UNTIL_CLOSE:
		m->total = len;
		return eof;
	}
	return -1;
}

/* --------------------------------------------------------------- sessions */

enum phase {
	P_REQUEST,                   /* reading the client's next request */
	P_CONNECT,                   /* connecting to the upstream */
	P_FORWARD,                   /* sending it, reading the answer */
	P_HOLD,                      /* delay: the answer waits for due_ms */
	P_REPLY,                     /* sending to the client */
	P_STALL,                     /* never answering */
};

struct session {
	int cfd, ufd;
	enum phase phase;
	unsigned id;                 /* of the current request */
	struct buf cin, uin, cout;   /* from the client, from the upstream, to the client */
	struct msg req;
	const char *req_method;      /* req.method, for framing the answer */
	size_t uout_sent;            /* bytes of the request sent upstream */
	bool sent_continue;
	enum action act;
	long arg;
	bool close_after;            /* close the client once cout is sent */
	int64_t due_ms;
};

struct proxy {
	int lfd;
	struct sockaddr_storage upstream;
	socklen_t upstream_len;
	struct rules rules;
	struct control ctl;
	struct session *s[SESSIONS_MAX];
	size_t n;
	unsigned next_id;
};

static void session_close(struct proxy *px, size_t i)
{
	struct session *s = px->s[i];

	close(s->cfd);
	if (s->ufd >= 0)
		close(s->ufd);
	buf_free(&s->cin);
	buf_free(&s->uin);
	buf_free(&s->cout);
	free(s);
	px->s[i] = px->s[--px->n];
}

static void upstream_close(struct session *s)
{
	if (s->ufd >= 0)
		close(s->ufd);
	s->ufd = -1;
	buf_free(&s->uin);
}

static const char *reason(long code)
{
	switch (code) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 404: return "Not Found";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 504: return "Gateway Timeout";
	default: return "Fault";
	}
}

/* An answer of the proxy's own, in cout. */
static void answer_own(struct session *s, long code, long retry_after, const char *why)
{
	char body[256], head[512], ra[48] = "";
	int bl, hl;

	bl = snprintf(body, sizeof(body), "{\"code\":\"%s\",\"message\":\"faultproxy: %s\"}",
	              code == 429 ? "rate_limited" : code >= 500 ? "unavailable" : "fault", why);
	if (retry_after >= 0)
		snprintf(ra, sizeof(ra), "Retry-After: %ld\r\n", retry_after);
	hl = snprintf(head, sizeof(head),
	              "HTTP/1.1 %ld %s\r\nContent-Type: application/json\r\n"
	              "Content-Length: %d\r\n%s%s\r\n",
	              code, reason(code), bl, ra, s->req.close ? "Connection: close\r\n" : "");
	buf_free(&s->cout);
	if (buf_add(&s->cout, head, (size_t)hl) < 0 || buf_add(&s->cout, body, (size_t)bl) < 0)
		s->close_after = true;
	s->close_after = s->close_after || s->req.close;
	s->phase = P_REPLY;
}

static const char *action_name(enum action a)
{
	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		if (actions[i].act == a)
			return actions[i].name;
	return "?";
}

static int upstream_connect(struct proxy *px, struct session *s)
{
	s->ufd = socket(px->upstream.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->ufd < 0)
		return -1;
	if (connect(s->ufd, (struct sockaddr *)&px->upstream, px->upstream_len) < 0 &&
	    errno != EINPROGRESS) {
		upstream_close(s);
		return -1;
	}
	s->uout_sent = 0;
	s->phase = P_CONNECT;
	return 0;
}

/* A whole request is in cin: decide what happens to it. */
static void request_decide(struct proxy *px, struct session *s)
{
	char shown[TARGET_LOG * 4 + 8], why[64];
	struct rule *r = rule_for(&px->rules, s->req.method, s->req.target);

	s->id = ++px->next_id;
	s->act = r ? r->act : ACT_PASS;
	s->arg = r ? r->arg : 0;
	s->req_method = s->req.method;
	s->close_after = false;
	printable(shown, sizeof(shown), s->req.target, strnlen(s->req.target, TARGET_LOG));
	if (r) {
		if (r->limit)
			snprintf(why, sizeof(why), "hit %ld of %ld", r->hits, r->limit);
		else
			snprintf(why, sizeof(why), "hit %ld", r->hits);
		say("#%u %s %s -> %s (rule \"%s\", %s)", s->id, s->req.method, shown,
		    action_name(s->act), r->text, why);
	} else
		say("#%u %s %s -> pass", s->id, s->req.method, shown);
	switch (s->act) {
	case ACT_DROP_REQUEST:
		s->phase = P_REPLY;
		s->close_after = true;
		buf_free(&s->cout);
		return;
	case ACT_STALL:
		s->phase = P_STALL;
		return;
	case ACT_STATUS:
		snprintf(why, sizeof(why), "injected HTTP %ld", s->arg);
		answer_own(s, s->arg, r->retry_after, why);
		return;
	default:
		break;
	}
	buf_free(&s->uin);
	if (s->ufd >= 0) {
		s->uout_sent = 0;
		s->phase = P_FORWARD;
	} else if (upstream_connect(px, s) < 0) {
		say("#%u upstream unreachable: %s", s->id, strerror(errno));
		answer_own(s, 502, -1, "the upstream is unreachable");
	}
}

/* The upstream's whole answer (ans, head parsed) under the action. */
static void answer_apply(struct session *s, const struct msg *ans)
{
	size_t body = ans->total - ans->head_len, keep = ans->total;
	const char *fate = "sent";

	switch (s->act) {
	case ACT_DROP_RESPONSE:
		keep = 0;
		fate = "dropped";
		s->close_after = true;
		break;
	case ACT_TRUNCATE:
		keep = ans->head_len + ((size_t)s->arg < body ? (size_t)s->arg : body);
		fate = "truncated";
		s->close_after = true;
		break;
	case ACT_CUT_BODY:
		keep = body >= 2 ? ans->head_len + body / 2 : ans->head_len / 2;
		fate = "cut";
		s->close_after = true;
		break;
	case ACT_DELAY:
		s->due_ms = now_ms() + s->arg;
		fate = "held";
		break;
	default:
		break;
	}
	if (keep < ans->total)
		say("#%u answer %u, %zu body bytes: %s (%zu of %zu bytes sent)", s->id, ans->status,
		    body, fate, keep, ans->total);
	else
		say("#%u answer %u, %zu body bytes: %s", s->id, ans->status, body, fate);
	buf_free(&s->cout);
	if (keep && buf_add(&s->cout, s->uin.p, keep) < 0)
		s->close_after = true;
	s->close_after = s->close_after || ans->close || s->req.close;
	s->phase = s->act == ACT_DELAY ? P_HOLD : P_REPLY;
	if (ans->close)
		upstream_close(s);
	else
		buf_drop(&s->uin, ans->total);
}

/* ------------------------------------------------------------------- I/O */

/* Reads what is there into b: bytes read, 0 at EOF, -1 error, -2 nothing. */
static ssize_t read_into(int fd, struct buf *b)
{
	char chunk[65536];
	ssize_t n = read(fd, chunk, sizeof(chunk));

	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? -2 : -1;
	if (n > 0 && (b->len + (size_t)n > MESSAGE_MAX + 65536 || buf_add(b, chunk, (size_t)n) < 0))
		return -1;
	return n;
}

/* Sends p[*sent..len) to fd: 0 when all went, 1 when more is left, -1 error. */
static int write_from(int fd, const char *p, size_t len, size_t *sent)
{
	while (*sent < len) {
		ssize_t n = send(fd, p + *sent, len - *sent, MSG_NOSIGNAL);

		if (n < 0)
			return errno == EAGAIN || errno == EINTR ? 1 : -1;
		*sent += (size_t)n;
	}
	return 0;
}

/* Client input in P_REQUEST: frames the next request. 0 ok, -1 close. */
static int client_request(struct proxy *px, struct session *s)
{
	int rc = parse_head(s->cin.p, s->cin.len, false, NULL, &s->req);

	if (rc == 0)
		return 0;
	if (rc < 0 || s->req.body == BODY_UNTIL_CLOSE) {
		say("a request that is not HTTP/1.1: closing");
		return -1;
	}
	if (s->req.expect_continue && !s->sent_continue) {
		static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";

		s->sent_continue = true;
		if (send(s->cfd, cont, sizeof(cont) - 1, MSG_NOSIGNAL) < 0)
			return -1;
	}
	rc = complete(s->cin.p, s->cin.len, false, &s->req);
	if (rc < 0) {
		say("a request body that does not frame: closing");
		return -1;
	}
	if (rc == 1)
		request_decide(px, s);
	return 0;
}

/* Upstream input in P_FORWARD: 0 ok (maybe the answer is whole), -1 the
 * upstream failed before the answer was whole (the client is closed). */
static int upstream_answer(struct session *s, bool eof)
{
	struct msg ans;
	int rc;

	for (;;) {
		rc = parse_head(s->uin.p, s->uin.len, true, s->req_method, &ans);
		if (rc <= 0)
			break;
		if (ans.status >= 200)
			break;
		buf_drop(&s->uin, ans.head_len); /* 1xx: not the answer */
	}
	if (rc == 0)
		return eof ? -1 : 0;
	if (rc < 0)
		return -1;
	rc = complete(s->uin.p, s->uin.len, eof, &ans);
	if (rc < 0 || (rc == 0 && eof))
		return -1;
	if (rc == 1)
		answer_apply(s, &ans);
	return 0;
}

/* The request is done (answered or not): the next one in cin, if any. */
static int reply_done(struct proxy *px, struct session *s)
{
	buf_drop(&s->cin, s->req.total);
	buf_free(&s->cout);
	s->sent_continue = false;
	s->phase = P_REQUEST;
	memset(&s->req, 0, sizeof(s->req));
	return s->cin.len ? client_request(px, s) : 0;
}

/* One session's events; -1: close it. */
static int session_step(struct proxy *px, struct session *s, short cev, short uev)
{
	ssize_t n;
	int rc;

	if (cev & (POLLIN | POLLHUP | POLLERR)) {
		n = read_into(s->cfd, &s->cin);
		if (n == 0 || n == -1)
			return -1; /* the client left: whatever was under way goes */
		if (n > 0 && s->phase == P_REQUEST && client_request(px, s) < 0)
			return -1;
	}
	if (s->phase == P_CONNECT && (uev & (POLLOUT | POLLERR | POLLHUP))) {
		int err = 0;
		socklen_t len = sizeof(err);

		if (getsockopt(s->ufd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 || err) {
			say("#%u upstream unreachable: %s", s->id, strerror(err ? err : errno));
			upstream_close(s);
			answer_own(s, 502, -1, "the upstream is unreachable");
		} else {
			s->phase = P_FORWARD;
			uev = POLLOUT;
		}
	}
	if (s->phase == P_FORWARD && (uev & POLLOUT)) {
		rc = write_from(s->ufd, s->cin.p, s->req.total, &s->uout_sent);
		if (rc < 0) {
			say("#%u the upstream closed before taking the request", s->id);
			return -1;
		}
	}
	if (s->ufd >= 0 && (uev & (POLLIN | POLLHUP | POLLERR))) {
		n = read_into(s->ufd, &s->uin);
		if (s->phase == P_FORWARD && n != -2) {
			if (upstream_answer(s, n <= 0) < 0) {
				say("#%u the upstream broke off its answer: closing the client", s->id);
				return -1;
			}
		} else if (n == 0 || n == -1 || n > 0) {
			upstream_close(s); /* closed or chattering while idle */
		}
	}
	if (s->phase == P_HOLD && now_ms() >= s->due_ms)
		s->phase = P_REPLY;
	if (s->phase == P_REPLY) {
		rc = write_from(s->cfd, s->cout.p, s->cout.len, &s->cout.off);
		if (rc < 0)
			return -1;
		if (rc == 0) {
			if (s->close_after)
				return -1;
			return reply_done(px, s);
		}
	}
	return 0;
}

/* ------------------------------------------------------------ the loop */

static volatile sig_atomic_t got_hup, got_stop;
static int wake_pipe[2] = { -1, -1 };

static void on_signal(int sig)
{
	int saved = errno;

	if (sig == SIGHUP)
		got_hup = 1;
	else
		got_stop = 1;
	if (write(wake_pipe[1], "x", 1) < 0) {
		/* full: a wake-up is pending anyway */
	}
	errno = saved;
}

static void accept_all(struct proxy *px)
{
	for (;;) {
		int fd = accept4(px->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct session *s;

		if (fd < 0)
			return;
		if (px->n == SESSIONS_MAX || !(s = calloc(1, sizeof(*s)))) {
			say("too many connections: one refused");
			close(fd);
			continue;
		}
		s->cfd = fd;
		s->ufd = -1;
		px->s[px->n++] = s;
	}
}

static short client_events(const struct session *s)
{
	return (short)(POLLIN | (s->phase == P_REPLY ? POLLOUT : 0));
}

static short upstream_events(const struct session *s)
{
	if (s->ufd < 0)
		return 0;
	if (s->phase == P_CONNECT)
		return POLLOUT;
	if (s->phase == P_FORWARD && s->uout_sent < s->req.total)
		return POLLIN | POLLOUT;
	return POLLIN;
}

static int poll_timeout(const struct proxy *px)
{
	int64_t t = px->ctl.path ? 1000 : -1, now = now_ms();

	for (size_t i = 0; i < px->n; i++) {
		int64_t left;

		if (px->s[i]->phase == P_REPLY && px->s[i]->cout.len == 0)
			return 0; /* drop-request: nothing to send, close now */
		if (px->s[i]->phase != P_HOLD)
			continue;
		left = px->s[i]->due_ms > now ? px->s[i]->due_ms - now : 0;
		if (t < 0 || left < t)
			t = left;
	}
	return (int)t;
}

static void run(struct proxy *px)
{
	struct pollfd fds[2 + 2 * SESSIONS_MAX];
	int64_t next_check = now_ms() + 1000;

	while (!got_stop) {
		size_t nfds = 0;

		fds[nfds++] = (struct pollfd){ .fd = px->lfd, .events = POLLIN };
		fds[nfds++] = (struct pollfd){ .fd = wake_pipe[0], .events = POLLIN };
		for (size_t i = 0; i < px->n; i++) {
			fds[nfds++] = (struct pollfd){ .fd = px->s[i]->cfd, .events = client_events(px->s[i]) };
			fds[nfds++] = (struct pollfd){ .fd = px->s[i]->ufd, .events = upstream_events(px->s[i]) };
		}
		if (poll(fds, nfds, poll_timeout(px)) < 0 && errno != EINTR) {
			say("poll: %s", strerror(errno));
			return;
		}
		if (fds[1].revents & POLLIN) {
			char drain[64];

			while (read(wake_pipe[0], drain, sizeof(drain)) > 0)
				;
		}
		/* before any request: one sent after a SIGHUP sees the new rules */
		if (got_hup && px->ctl.path) {
			got_hup = 0;
			control_load(&px->ctl, &px->rules);
		} else if (px->ctl.path && now_ms() >= next_check) {
			next_check = now_ms() + 1000;
			if (control_changed(&px->ctl))
				control_load(&px->ctl, &px->rules);
		}
		/* sessions from the last end: closing one moves the last into its place */
		for (size_t i = px->n; i-- > 0;) {
			short cev = fds[2 + 2 * i].revents, uev = fds[3 + 2 * i].revents;

			if (session_step(px, px->s[i], cev, uev) < 0)
				session_close(px, i);
		}
		if (fds[0].revents & POLLIN)
			accept_all(px);
	}
}

/* ------------------------------------------------------------- startup */

/* "HOST:PORT" ("[::1]:PORT" for IPv6) to an address. */
static int resolve(const char *spec, bool passive, struct sockaddr_storage *ss, socklen_t *len)
{
	struct addrinfo hints = { 0 }, *ai;
	char host[256];
	const char *port;
	size_t n;

	if (spec[0] == '[') {
		const char *close = strchr(spec, ']');

		if (!close || close[1] != ':')
			return -1;
		n = (size_t)(close - spec - 1);
		port = close + 2;
		spec++;
	} else {
		const char *colon = strrchr(spec, ':');

		if (!colon)
			return -1;
		n = (size_t)(colon - spec);
		port = colon + 1;
	}
	if (n == 0 || n >= sizeof(host) || !*port)
		return -1;
	memcpy(host, spec, n);
	host[n] = '\0';
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV | (passive ? AI_PASSIVE | AI_NUMERICHOST : 0);
	if (getaddrinfo(host, port, &hints, &ai) != 0)
		return -1;
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*len = ai->ai_addrlen;
	freeaddrinfo(ai);
	return 0;
}

static int listen_on(const char *spec, struct proxy *px)
{
	struct sockaddr_storage ss;
	socklen_t len;
	char host[64];
	int one = 1;

	if (resolve(spec, true, &ss, &len) < 0) {
		say("--listen wants HOST:PORT (an IP address), got '%s'", spec);
		return -1;
	}
	px->lfd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (px->lfd < 0 || setsockopt(px->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(px->lfd, (struct sockaddr *)&ss, len) < 0 || listen(px->lfd, 128) < 0 ||
	    getsockname(px->lfd, (struct sockaddr *)&ss, &len) < 0 ||
	    getnameinfo((struct sockaddr *)&ss, len, host, sizeof(host), NULL, 0, NI_NUMERICHOST)) {
		say("cannot listen on %s: %s", spec, strerror(errno));
		return -1;
	}
	printf(ss.ss_family == AF_INET6 ? "faultproxy listening on http://[%s]:%u\n"
	                                : "faultproxy listening on http://%s:%u\n",
	       host,
	       (unsigned)ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
	                                                : ((struct sockaddr_in *)&ss)->sin_port));
	fflush(stdout);
	return 0;
}

static void usage(FILE *out)
{
	fprintf(out,
	        "usage: faultproxy --upstream HOST:PORT [--listen 127.0.0.1:0] [--rule RULE]...\n"
	        "                  [--control FILE]\n"
	        "RULE: METHOD PATH-PREFIX ACTION[=ARG] [retry-after=S] [xN]\n"
	        "ACTION: pass, drop-request, drop-response, delay=MS, stall, status=CODE,\n"
	        "        truncate=N, cut-body. See the head of tests/tools/faultproxy.c.\n");
}

static int setup_signals(void)
{
	struct sigaction sa = { 0 };

	if (pipe(wake_pipe) < 0 || fcntl(wake_pipe[0], F_SETFL, O_NONBLOCK) < 0 ||
	    fcntl(wake_pipe[1], F_SETFL, O_NONBLOCK) < 0)
		return -1;
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

int main(int argc, char **argv)
{
	static struct proxy px;
	const char *listen_spec = "127.0.0.1:0", *upstream = NULL;
	char why[200];

	px.lfd = -1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout);
			return 0;
		}
		if (!v) {
			usage(stderr);
			return 2;
		}
		i++;
		if (strcmp(a, "--upstream") == 0) {
			upstream = v;
		} else if (strcmp(a, "--listen") == 0) {
			listen_spec = v;
		} else if (strcmp(a, "--control") == 0) {
			px.ctl.path = v;
		} else if (strcmp(a, "--rule") == 0) {
			if (px.rules.n == RULES_MAX ||
			    parse_rule(v, &px.rules.v[px.rules.n], why, sizeof(why)) < 0) {
				say("--rule '%s': %s", v, px.rules.n == RULES_MAX ? "too many" : why);
				return 2;
			}
			px.rules.n++;
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (!upstream || resolve(upstream, false, &px.upstream, &px.upstream_len) < 0) {
		say("--upstream HOST:PORT is required%s%s", upstream ? ", got " : "",
		    upstream ? upstream : "");
		return 2;
	}
	px.ctl.first = px.rules.n;
	if (px.ctl.path)
		control_load(&px.ctl, &px.rules);
	if (setup_signals() < 0 || listen_on(listen_spec, &px) < 0)
		return 1;
	run(&px);
	while (px.n)
		session_close(&px, px.n - 1);
	close(px.lfd);
	say("stopped");
	return 0;
}
