/* ccon/json_writer.h - a streaming JSON writer: values appended to a
 * struct ccon_strbuf as they are given, no tree.
 *
 * The writer places the commas and checks the nesting (a stack of up to
 * CCON_JW_MAX_DEPTH open containers). Inside an object each value follows
 * a ccon_jw_key(); inside an array values follow each other; at the top
 * level one value is written.
 *
 * Strings are escaped as cJSON_PrintUnformatted escapes them (", \, the
 * short escapes \b \f \n \r \t and \u00xx, lower-case hex, for the other
 * control characters; everything else as is), except that invalid UTF-8
 * (stray continuation bytes, overlong forms, surrogates, code points above
 * U+10FFFF, truncated sequences) is replaced by U+FFFD, byte by byte, so
 * the output is always valid JSON. Integers are written exactly (no
 * printf); doubles as integers when they are whole numbers within int64,
 * else with the fewest of %.15g / %.17g that reads back (cJSON's rule);
 * NaN and infinities as null.
 *
 * Every call returns 0, or -1 when out of memory or misused (a value where
 * a key is due, a key outside an object, an unbalanced end, too deep). The
 * first failure sticks: later calls do nothing and return -1, and
 * ccon_jw_failed() tells it at the end, so a long run of calls can be
 * checked once.
 */
#ifndef CCON_JSON_WRITER_H
#define CCON_JSON_WRITER_H

#include <ccon/strbuf.h>

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CCON_JW_MAX_DEPTH 64

struct ccon_json_writer {
	struct ccon_strbuf *sb;       /* borrowed; appended to */
	int depth;                    /* open containers */
	uint64_t is_object;           /* bit d: container at depth d+1 is an object */
	uint64_t has_item;            /* bit d: it already holds an item */
	bool want_value;              /* a key was written, its value is due */
	bool done;                    /* the top-level value is complete */
	bool failed;
};

/* Starts writing at the end of sb (whatever sb already holds is kept). */
void ccon_jw_init(struct ccon_json_writer *w, struct ccon_strbuf *sb);
bool ccon_jw_failed(const struct ccon_json_writer *w);

int ccon_jw_begin_object(struct ccon_json_writer *w);
int ccon_jw_end_object(struct ccon_json_writer *w);
int ccon_jw_begin_array(struct ccon_json_writer *w);
int ccon_jw_end_array(struct ccon_json_writer *w);

int ccon_jw_key(struct ccon_json_writer *w, const char *key);
/* A key of n bytes written as it is, for the caller's own constant keys:
 * it must need no escaping (printable ASCII, no '"' or '\\'). */
int ccon_jw_key_plain(struct ccon_json_writer *w, const char *key, size_t n);
/* s NULL writes null. */
int ccon_jw_string(struct ccon_json_writer *w, const char *s);
int ccon_jw_string_n(struct ccon_json_writer *w, const char *s, size_t n);
int ccon_jw_int(struct ccon_json_writer *w, int64_t v);
int ccon_jw_double(struct ccon_json_writer *w, double v);
int ccon_jw_bool(struct ccon_json_writer *w, bool v);
int ccon_jw_null(struct ccon_json_writer *w);
/* One complete JSON value, already encoded (not checked). */
int ccon_jw_raw(struct ccon_json_writer *w, const char *json, size_t n);
/* A cJSON tree, written as cJSON_PrintUnformatted prints it (but for
 * invalid UTF-8, replaced as above); NULL writes null. */
int ccon_jw_cjson(struct ccon_json_writer *w, const cJSON *node);

/* key + value in one call. */
int ccon_jw_kv_string(struct ccon_json_writer *w, const char *key, const char *s);
int ccon_jw_kv_int(struct ccon_json_writer *w, const char *key, int64_t v);

/* Building blocks, usable without a writer. The decimal text of v in buf
 * (no NUL); returns its length (at most 20). */
size_t ccon_json_format_int64(int64_t v, char buf[20]);
/* s[0..n) as a quoted, escaped JSON string appended to sb; 0 or -1. */
int ccon_json_append_string(struct ccon_strbuf *sb, const char *s, size_t n);

#endif
