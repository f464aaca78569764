#include "config.h"

#include <ccon/json_writer.h>

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------- building blocks */

static const char digit_pairs[201] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

size_t ccon_json_format_int64(int64_t v, char buf[20])
{
	char tmp[20];
	char *p = tmp + sizeof(tmp);
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	size_t n;

	while (u >= 100) {
		unsigned d = (unsigned)(u % 100) * 2;

		u /= 100;
		*--p = digit_pairs[d + 1];
		*--p = digit_pairs[d];
	}
	if (u >= 10) {
		*--p = digit_pairs[u * 2 + 1];
		*--p = digit_pairs[u * 2];
	} else {
		*--p = (char)('0' + u);
	}
	if (v < 0)
		*--p = '-';
	n = (size_t)(tmp + sizeof(tmp) - p);
	memcpy(buf, p, n);
	return n;
}

/* Bytes that go out as they are: printable ASCII but " and \. */
static const unsigned char plain[256] = {
#define R4(x) x, x, x, x
#define R16(x) R4(x), R4(x), R4(x), R4(x)
	R16(0), R16(0),                                  /* 0x00-0x1f */
	1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,  /* 0x20-0x2f: '"' */
	R16(1), R16(1),                                  /* 0x30-0x4f */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,  /* 0x50-0x5f: '\\' */
	R16(1), R16(1),                                  /* 0x60-0x7f */
	R16(0), R16(0), R16(0), R16(0),                  /* 0x80-0xbf */
	R16(0), R16(0), R16(0), R16(0),                  /* 0xc0-0xff */
#undef R16
#undef R4
};

/* Length of the valid UTF-8 sequence at s (lead byte >= 0x80), or 0. */
static size_t utf8_seq(const unsigned char *s, size_t left)
{
	unsigned char c = s[0];
	size_t n;
	unsigned char lo = 0x80, hi = 0xbf;

	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	if (n > left)
		return 0;
	/* the second byte's range rules out overlongs, surrogates, > U+10FFFF */
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

/* Room for n more bytes and the NUL, without a call when there is. */
static inline int room(struct ccon_strbuf *sb, size_t n)
{
	return sb->cap - sb->len > n ? 0 : ccon_strbuf_reserve(sb, n);
}

/* Worst case of a quoted string of n bytes: 6 per byte (\u00xx), quotes;
 * 0 when n is too large to say. */
static size_t quoted_max(size_t n)
{
	return n > (SIZE_MAX - 16) / 6 ? 0 : n * 6 + 2;
}

/* Writes s[0..n) quoted and escaped at o (room made); returns the end. */
static char *esc(char *o, const unsigned char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i = 0;

	*o++ = '"';
	while (i < n) {
		/* eight plain bytes at a time: none below 0x20, none '"' or '\\',
		 * none with the high bit (the usual ASCII text) */
		while (i + 8 <= n) {
			uint64_t x, q, b;

			memcpy(&x, s + i, 8);
			q = x ^ UINT64_C(0x2222222222222222);
			b = x ^ UINT64_C(0x5c5c5c5c5c5c5c5c);
			if (((x - UINT64_C(0x2020202020202020)) | x |
			     ((q - UINT64_C(0x0101010101010101)) & ~q) |
			     ((b - UINT64_C(0x0101010101010101)) & ~b)) &
			    UINT64_C(0x8080808080808080))
				break;
			memcpy(o, &x, 8);
			o += 8;
			i += 8;
		}
		/* then byte by byte up to the next byte that is not plain */
		while (i < n && plain[s[i]])
			*o++ = (char)s[i++];
		if (i == n)
			break;
		unsigned char c = s[i];

		if (c >= 0x80) {
			size_t k = utf8_seq(s + i, n - i);

			if (k) {
				memcpy(o, s + i, k);
				o += k;
				i += k;
			} else {   /* U+FFFD */
				*o++ = '\xef';
				*o++ = '\xbf';
				*o++ = '\xbd';
				i++;
			}
			continue;
		}
		*o++ = '\\';
		switch (c) {
		case '"': *o++ = '"'; break;
		case '\\': *o++ = '\\'; break;
		case '\b': *o++ = 'b'; break;
		case '\f': *o++ = 'f'; break;
		case '\n': *o++ = 'n'; break;
		case '\r': *o++ = 'r'; break;
		case '\t': *o++ = 't'; break;
		default:
			*o++ = 'u';
			*o++ = '0';
			*o++ = '0';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
			break;
		}
		i++;
	}
	*o++ = '"';
	return o;
}

int ccon_json_append_string(struct ccon_strbuf *sb, const char *str, size_t n)
{
	size_t max = quoted_max(n);
	char *o;

	if (!max || room(sb, max) < 0)
		return -1;
	o = esc(sb->buf + sb->len, (const unsigned char *)str, n);
	*o = '\0';
	sb->len = (size_t)(o - sb->buf);
	return 0;
}

/* cJSON's rule: %.15g when it reads back (within its tolerance), else %.17g. */
static size_t format_double(double d, char buf[32])
{
	int n = snprintf(buf, 32, "%1.15g", d);
	double back = strtod(buf, NULL);
	double max = fabs(back) > fabs(d) ? fabs(back) : fabs(d);

	if (!(fabs(back - d) <= max * DBL_EPSILON))
		n = snprintf(buf, 32, "%1.17g", d);
	return (size_t)n;
}

/* ----------------------------------------------------------- the writer */

void ccon_jw_init(struct ccon_json_writer *w, struct ccon_strbuf *sb)
{
	memset(w, 0, sizeof(*w));
	w->sb = sb;
}

bool ccon_jw_failed(const struct ccon_json_writer *w)
{
	return w->failed;
}

static int fail(struct ccon_json_writer *w)
{
	w->failed = true;
	return -1;
}

static bool in_object(const struct ccon_json_writer *w)
{
	return w->depth > 0 && (w->is_object >> (w->depth - 1) & 1);
}

/* Before a value: the comma in an array, the key's check in an object. */
static int before_value(struct ccon_json_writer *w)
{
	uint64_t bit;

	if (w->failed)
		return -1;
	if (w->depth == 0)
		return w->done ? fail(w) : 0;
	bit = (uint64_t)1 << (w->depth - 1);
	if (w->is_object & bit) {
		if (!w->want_value)
			return fail(w);
		w->want_value = false;
		return 0;
	}
	if (w->has_item & bit) {
		if (room(w->sb, 1) < 0)
			return fail(w);
		w->sb->buf[w->sb->len++] = ',';
		w->sb->buf[w->sb->len] = '\0';
	}
	w->has_item |= bit;
	return 0;
}

static int after_value(struct ccon_json_writer *w, int rc)
{
	if (rc < 0)
		return fail(w);
	if (w->depth == 0)
		w->done = true;
	return 0;
}

static int put(struct ccon_json_writer *w, const char *s, size_t n)
{
	struct ccon_strbuf *sb = w->sb;

	if (before_value(w) < 0)
		return -1;
	if (room(sb, n) < 0)
		return fail(w);
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
	return after_value(w, 0);
}

static int put1(struct ccon_json_writer *w, char c)
{
	struct ccon_strbuf *sb = w->sb;

	if (room(sb, 1) < 0)
		return -1;
	sb->buf[sb->len++] = c;
	sb->buf[sb->len] = '\0';
	return 0;
}

static int begin(struct ccon_json_writer *w, char open, bool object)
{
	uint64_t bit;

	if (before_value(w) < 0)
		return -1;
	if (w->depth >= CCON_JW_MAX_DEPTH)
		return fail(w);
	if (put1(w, open) < 0)
		return fail(w);
	bit = (uint64_t)1 << w->depth;
	w->depth++;
	w->has_item &= ~bit;
	if (object)
		w->is_object |= bit;
	else
		w->is_object &= ~bit;
	return 0;
}

static int end(struct ccon_json_writer *w, char close, bool object)
{
	if (w->failed)
		return -1;
	if (w->depth == 0 || in_object(w) != object || w->want_value)
		return fail(w);
	w->depth--;
	return after_value(w, put1(w, close));
}

int ccon_jw_begin_object(struct ccon_json_writer *w)
{
	return begin(w, '{', true);
}

int ccon_jw_end_object(struct ccon_json_writer *w)
{
	return end(w, '}', true);
}

int ccon_jw_begin_array(struct ccon_json_writer *w)
{
	return begin(w, '[', false);
}

int ccon_jw_end_array(struct ccon_json_writer *w)
{
	return end(w, ']', false);
}

/* The comma, the key quoted and the colon in one go; escape false copies
 * the key as it is (the caller's constant keys). */
static int key(struct ccon_json_writer *w, const char *k, size_t n, bool escape)
{
	struct ccon_strbuf *sb = w->sb;
	uint64_t bit;
	size_t max;
	char *o;

	if (w->failed)
		return -1;
	if (!k || !in_object(w) || w->want_value)
		return fail(w);
	max = quoted_max(n);
	if (!max || room(sb, max + 2) < 0)
		return fail(w);
	bit = (uint64_t)1 << (w->depth - 1);
	o = sb->buf + sb->len;
	if (w->has_item & bit)
		*o++ = ',';
	w->has_item |= bit;
	if (escape) {
		o = esc(o, (const unsigned char *)k, n);
	} else {
		*o++ = '"';
		memcpy(o, k, n);
		o += n;
		*o++ = '"';
	}
	*o++ = ':';
	*o = '\0';
	sb->len = (size_t)(o - sb->buf);
	w->want_value = true;
	return 0;
}

int ccon_jw_key(struct ccon_json_writer *w, const char *k)
{
	return key(w, k, k ? strlen(k) : 0, true);
}

int ccon_jw_key_plain(struct ccon_json_writer *w, const char *k, size_t n)
{
	return key(w, k, n, false);
}

int ccon_jw_string_n(struct ccon_json_writer *w, const char *s, size_t n)
{
	if (before_value(w) < 0)
		return -1;
	return after_value(w, ccon_json_append_string(w->sb, s, n));
}

int ccon_jw_string(struct ccon_json_writer *w, const char *s)
{
	return s ? ccon_jw_string_n(w, s, strlen(s)) : ccon_jw_null(w);
}

int ccon_jw_int(struct ccon_json_writer *w, int64_t v)
{
	char buf[20];

	return put(w, buf, ccon_json_format_int64(v, buf));
}

int ccon_jw_double(struct ccon_json_writer *w, double v)
{
	char buf[32];

	if (isnan(v) || isinf(v))
		return ccon_jw_null(w);
	/* 2^63 itself is not an int64_t: the bound is exclusive */
	if (v == floor(v) && v >= -9223372036854775808.0 && v < 9223372036854775808.0)
		return ccon_jw_int(w, (int64_t)v);
	return put(w, buf, format_double(v, buf));
}

int ccon_jw_bool(struct ccon_json_writer *w, bool v)
{
	return v ? put(w, "true", 4) : put(w, "false", 5);
}

int ccon_jw_null(struct ccon_json_writer *w)
{
	return put(w, "null", 4);
}

int ccon_jw_raw(struct ccon_json_writer *w, const char *json, size_t n)
{
	return put(w, json, n);
}

/* Numbers as cJSON prints them: %1.15g first, so whole numbers below 1e15
 * are their digits (written here without printf), -0 stays "-0". */
static int cjson_number(struct ccon_json_writer *w, const cJSON *node)
{
	char buf[32];
	double d = node->valuedouble;

	if (isnan(d) || isinf(d))
		return ccon_jw_null(w);
	if (d == floor(d) && fabs(d) < 1e15 && !(d == 0 && signbit(d)))
		return ccon_jw_int(w, (int64_t)d);
	return put(w, buf, format_double(d, buf));
}

int ccon_jw_cjson(struct ccon_json_writer *w, const cJSON *node)
{
	const cJSON *child;

	if (!node)
		return ccon_jw_null(w);
	switch (node->type & 0xff) {
	case cJSON_False:
		return ccon_jw_bool(w, false);
	case cJSON_True:
		return ccon_jw_bool(w, true);
	case cJSON_NULL:
		return ccon_jw_null(w);
	case cJSON_Number:
		return cjson_number(w, node);
	case cJSON_String:
		return ccon_jw_string(w, node->valuestring ? node->valuestring : "");
	case cJSON_Raw:
		if (!node->valuestring)
			return ccon_jw_raw(w, "", 0);
		return ccon_jw_raw(w, node->valuestring, strlen(node->valuestring));
	case cJSON_Array:
		ccon_jw_begin_array(w);
		cJSON_ArrayForEach(child, node)
			ccon_jw_cjson(w, child);
		return ccon_jw_end_array(w);
	case cJSON_Object:
		ccon_jw_begin_object(w);
		cJSON_ArrayForEach(child, node) {
			ccon_jw_key(w, child->string ? child->string : "");
			ccon_jw_cjson(w, child);
		}
		return ccon_jw_end_object(w);
	default:
		return fail(w);
	}
}

int ccon_jw_kv_string(struct ccon_json_writer *w, const char *key, const char *s)
{
	if (ccon_jw_key(w, key) < 0)
		return -1;
	return ccon_jw_string(w, s);
}

int ccon_jw_kv_int(struct ccon_json_writer *w, const char *key, int64_t v)
{
	if (ccon_jw_key(w, key) < 0)
		return -1;
	return ccon_jw_int(w, v);
}
