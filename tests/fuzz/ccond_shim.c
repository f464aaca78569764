/* ccond_shim.c - src/server/http.c and libmicrohttpd's post processor for
 * the in-process fuzz harness of ccond (see ccond_shim.h). Only fuzz_ccond
 * is built with it. */
#include "config.h"

#include "ccond_shim.h"

#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ----------------------------------------------------------- http.h */

static struct http_app the_app;
static bool have_app;

struct http_server {
	int unused;
};

const struct http_app *shim_http_app(void)
{
	return have_app ? &the_app : NULL;
}

const char *http_query(const struct http_request *req, const char *key)
{
	const struct MHD_Connection *c = req->conn;

	for (size_t i = 0; c && i < c->n_query; i++)
		if (strcmp(c->query_keys[i], key) == 0)
			return c->query_values[i];
	return NULL;
}

const char *http_header(const struct http_request *req, const char *name)
{
	const struct MHD_Connection *c = req->conn;

	for (size_t i = 0; c && i < c->n_headers; i++)
		if (strcasecmp(c->header_names[i], name) == 0)
			return c->header_values[i];
	return NULL;
}

int http_start(const struct http_config *cfg, const struct http_app *app,
               struct http_server **out, struct ccon_error *err)
{
	(void)cfg;
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	the_app = *app;
	have_app = true;
	return 0;
}

uint16_t http_port(const struct http_server *srv)
{
	(void)srv;
	return 0;
}

void http_stop(struct http_server *srv, unsigned grace_ms)
{
	(void)grace_ms;
	free(srv);
	have_app = false;
}

void http_set_access_log(struct access_log *log)
{
	(void)log;
}

static int hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

void shim_url_decode(char *s, bool plus)
{
	char *o = s;

	for (; *s; s++) {
		if (*s == '%' && hex(s[1]) >= 0 && hex(s[2]) >= 0) {
			*o++ = (char)(hex(s[1]) * 16 + hex(s[2]));
			s += 2;
		} else if (*s == '+' && plus) {
			*o++ = ' ';
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
}

/* ------------------------------------------ the multipart post processor */

enum pp_state { PP_PREAMBLE, PP_AFTER_BOUNDARY, PP_HEADERS, PP_DATA, PP_DONE, PP_ERROR };

struct MHD_PostProcessor {
	MHD_PostDataIterator iter;
	void *cls;
	char *boundary;            /* "--" and the boundary */
	size_t blen;
	char *buf;                 /* bytes received and not yet used */
	size_t len, cap;
	enum pp_state state;
	char *name, *filename, *type, *encoding;
	uint64_t off;              /* in the current part */
	bool called;               /* the iterator saw the current part */
};

static const char *header_value(struct MHD_Connection *c, const char *name)
{
	for (size_t i = 0; c && i < c->n_headers; i++)
		if (strcasecmp(c->header_names[i], name) == 0)
			return c->header_values[i];
	return NULL;
}

/* As libmicrohttpd 0.9.75: the boundary is everything after "boundary="
 * (enclosing quotes dropped), and twice it must fit the buffer. */
struct MHD_PostProcessor *MHD_create_post_processor(struct MHD_Connection *connection,
                                                    size_t buffer_size,
                                                    MHD_PostDataIterator iter, void *iter_cls)
{
	const char *type = header_value(connection, "Content-Type"), *b;
	struct MHD_PostProcessor *pp;
	size_t blen;

	if (!type || strncasecmp(type, "multipart/form-data", 19) != 0)
		return NULL;
	b = strstr(type + 19, "boundary=");
	if (!b)
		return NULL;
	b += 9;
	blen = strlen(b);
	if (blen == 0 || blen * 2 + 2 > buffer_size)
		return NULL;
	if (blen >= 2 && b[0] == '"' && b[blen - 1] == '"') {
		b++;
		blen -= 2;
	}
	pp = calloc(1, sizeof(*pp));
	if (!pp)
		return NULL;
	pp->boundary = malloc(blen + 3);
	if (!pp->boundary) {
		free(pp);
		return NULL;
	}
	memcpy(pp->boundary, "--", 2);
	memcpy(pp->boundary + 2, b, blen);
	pp->boundary[blen + 2] = '\0';
	pp->blen = blen + 2;
	pp->iter = iter;
	pp->cls = iter_cls;
	return pp;
}

static const char *find(const char *hay, size_t n, const char *needle, size_t m)
{
	return m <= n ? memmem(hay, n, needle, m) : NULL;
}

static char *dup_param(const char *line, size_t len, const char *key)
{
	size_t k = strlen(key);

	for (size_t i = 0; i + k < len; i++) {
		if (strncasecmp(line + i, key, k) != 0 || (i > 0 && line[i - 1] != ' ' &&
		                                           line[i - 1] != ';'))
			continue;
		i += k;
		if (line[i] == '"') {
			const char *end = memchr(line + i + 1, '"', len - i - 1);

			return end ? strndup(line + i + 1, (size_t)(end - line - i - 1)) : NULL;
		}
		size_t e = i;

		while (e < len && line[e] != ';' && line[e] != ' ')
			e++;
		return strndup(line + i, e - i);
	}
	return NULL;
}

static void part_reset(struct MHD_PostProcessor *pp)
{
	free(pp->name);
	free(pp->filename);
	free(pp->type);
	free(pp->encoding);
	pp->name = pp->filename = pp->type = pp->encoding = NULL;
	pp->off = 0;
	pp->called = false;
}

/* The part's header lines in buf[0..n) (without the empty line). */
static void part_headers(struct MHD_PostProcessor *pp, const char *h, size_t n)
{
	while (n > 0) {
		const char *nl = memchr(h, '\n', n);
		size_t l = nl ? (size_t)(nl - h) : n;
		size_t ll = l && h[l - 1] == '\r' ? l - 1 : l;

		if (ll > 20 && strncasecmp(h, "Content-Disposition:", 20) == 0) {
			free(pp->name);
			free(pp->filename);
			pp->name = dup_param(h, ll, "name=");
			pp->filename = dup_param(h, ll, "filename=");
		} else if (ll > 13 && strncasecmp(h, "Content-Type:", 13) == 0) {
			free(pp->type);
			pp->type = strndup(h + 13 + strspn(h + 13, " "), ll - 13 - strspn(h + 13, " "));
		} else if (ll > 26 && strncasecmp(h, "Content-Transfer-Encoding:", 26) == 0) {
			free(pp->encoding);
			pp->encoding = strndup(h + 26 + strspn(h + 26, " "),
			                       ll - 26 - strspn(h + 26, " "));
		}
		h += nl ? l + 1 : l;
		n -= nl ? l + 1 : l;
	}
}

static bool emit(struct MHD_PostProcessor *pp, const char *data, size_t size)
{
	enum MHD_Result r;

	if (size == 0 && pp->called)
		return true;
	r = pp->iter(pp->cls, MHD_POSTDATA_KIND, pp->name ? pp->name : "", pp->filename, pp->type,
	             pp->encoding, data, pp->off, size);
	pp->called = true;
	pp->off += size;
	return r == MHD_YES;
}

/* Runs the parser over what is buffered; false on an error. */
static bool step(struct MHD_PostProcessor *pp)
{
	size_t pos = 0;
	const char *hit;

	for (;;) {
		const char *p = pp->buf + pos;
		size_t n = pp->len - pos;

		switch (pp->state) {
		case PP_PREAMBLE:
			hit = find(p, n, pp->boundary, pp->blen);
			if (!hit) {
				if (n > pp->blen)
					pos += n - pp->blen;
				goto out;
			}
			pos += (size_t)(hit - p) + pp->blen;
			pp->state = PP_AFTER_BOUNDARY;
			break;
		case PP_AFTER_BOUNDARY:
			if (n < 2)
				goto out;
			if (p[0] == '-' && p[1] == '-') {
				pp->state = PP_DONE;
				goto out;
			}
			if (p[0] == '\r' && p[1] == '\n')
				pos += 2;
			else if (p[0] == '\n')
				pos += 1;
			else
				return false;
			part_reset(pp);
			pp->state = PP_HEADERS;
			break;
		case PP_HEADERS:
			if (n >= 2 && ((p[0] == '\r' && p[1] == '\n'))) {
				pos += 2;   /* no headers at all */
				pp->state = PP_DATA;
				break;
			}
			hit = find(p, n, "\r\n\r\n", 4);
			if (!hit) {
				if (n > 16384)
					return false;
				goto out;
			}
			part_headers(pp, p, (size_t)(hit - p));
			pos += (size_t)(hit - p) + 4;
			pp->state = PP_DATA;
			break;
		case PP_DATA: {
			/* the data ends at CRLF and the boundary */
			const char *end = NULL;

			for (const char *q = p; (q = find(q, n - (size_t)(q - p), "\r\n", 2)); q++)
				if (n - (size_t)(q - p) < 2 + pp->blen ||
				    memcmp(q + 2, pp->boundary, pp->blen) == 0) {
					end = q;
					break;
				}
			if (end && n - (size_t)(end - p) >= 2 + pp->blen) {
				if (!emit(pp, p, (size_t)(end - p)))
					return false;
				pos += (size_t)(end - p) + 2 + pp->blen;
				pp->state = PP_AFTER_BOUNDARY;
				break;
			}
			/* hold back what may start the delimiter */
			{
				size_t safe = end ? (size_t)(end - p) : n;

				if (safe > 0 && !emit(pp, p, safe))
					return false;
				pos += safe;
			}
			goto out;
		}
		case PP_DONE:
			pos = pp->len;   /* the epilogue is ignored */
			goto out;
		case PP_ERROR:
			return false;
		}
	}
out:
	memmove(pp->buf, pp->buf + pos, pp->len - pos);
	pp->len -= pos;
	return true;
}

enum MHD_Result MHD_post_process(struct MHD_PostProcessor *pp, const char *post_data,
                                 size_t post_data_len)
{
	if (pp->state == PP_ERROR)
		return MHD_NO;
	if (pp->len + post_data_len > pp->cap) {
		size_t cap = (pp->len + post_data_len) * 2 + 64;
		char *b = realloc(pp->buf, cap);

		if (!b)
			return MHD_NO;
		pp->buf = b;
		pp->cap = cap;
	}
	memcpy(pp->buf + pp->len, post_data, post_data_len);
	pp->len += post_data_len;
	if (!step(pp)) {
		pp->state = PP_ERROR;
		return MHD_NO;
	}
	return MHD_YES;
}

enum MHD_Result MHD_destroy_post_processor(struct MHD_PostProcessor *pp)
{
	enum MHD_Result r;

	if (!pp)
		return MHD_YES;
	r = pp->state == PP_DONE || (pp->state == PP_PREAMBLE && pp->len == 0) ? MHD_YES : MHD_NO;
	part_reset(pp);
	free(pp->boundary);
	free(pp->buf);
	free(pp);
	return r;
}
