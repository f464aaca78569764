#include "config.h"

#include <ccon/csv_import.h>

#include <ccon/json_util.h>
#include <ccon/strbuf.h>
#include <ccon/utf8.h>

#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/*
 * How it works: the input is cut at line ends (memchr) and fed to libcsv one
 * physical line at a time, so the importer always knows the line it is on;
 * libcsv's public pstate says after each line whether a record is still open
 * (a quoted field holding a line end). While a quoted field stays open across
 * lines, the raw lines after the one where it opened are kept: if it turns
 * out never to close (end of input, or the field outgrows max_field), they
 * are replayed so the rows they hold are not lost. Long lines are fed in
 * pieces of at most PIECE bytes so no field can grow past max_field + PIECE
 * before it is caught.
 */

/* libcsv.c's parser states; only ROW_NOT_BEGUN (0) is documented, FIELD_BEGUN
 * with quoted set means "inside a quoted field". */
#define PSTATE_ROW_NOT_BEGUN 0
#define PSTATE_FIELD_BEGUN 2

#define PIECE 65536

/* plain_row's byte classes */
enum { CLS_TEXT, CLS_DELIM, CLS_LIBCSV, CLS_HIGH };
#define HEADER_MAX 65536 /* the header line's limit when max_field is smaller */
#define CONTEXT_COLUMN "#contextvariables#"
#define SHOWN_MAX 40

enum phase { PHASE_HEADER, PHASE_RUNNING, PHASE_DEAD };

enum plan_kind { PLAN_EMPTY, PLAN_FIXED, PLAN_COLUMN, PLAN_MIX };

/* How one layout value is computed from a row. */
struct plan {
	const struct ccon_layout_value *v;
	enum plan_kind kind;
	bool bound;               /* every variable has a column */
	size_t column;            /* PLAN_COLUMN: the column */
	size_t fixed_len;         /* PLAN_FIXED: strlen(v->tmpl) */
	long err_column;          /* 1-based column for errors, 0 when fixed */
	char path[CCON_ERROR_PATH_MAX];
	struct ccon_strbuf scratch; /* PLAN_MIX rendering */
};

struct ccon_csv_import {
	const struct ccon_layout *layout;
	ccon_csv_contact_fn on_contact;
	ccon_csv_error_fn on_error;
	void *ctx;

	struct csv_parser p;
	char delim;
	bool delim_given;
	size_t max_field;
	enum phase phase;
	char eol;                 /* '\n' (LF and CRLF files) or '\r' (bare CR) */
	bool eol_known, bom_done;
	struct ccon_strbuf head;  /* input held until the header line is complete */

	long line;                /* physical line of the next byte fed */
	size_t line_bytes;        /* bytes of it fed so far */
	bool line_start;
	bool skip_line;           /* drop input up to the end of this line */
	long rec_line;            /* line where the current record starts */

	/* the current record's fields, NUL-terminated, in rowbuf */
	struct ccon_strbuf rowbuf;
	size_t *offs, *lens;
	size_t fcap, nfields;
	long too_long_col;        /* first field of the record over max_field */

	/* the header and the layout bound to it */
	bool have_header;
	char **columns;
	size_t ncols;
	size_t ctx_col;           /* SIZE_MAX when there is none */
	bool bound;
	size_t *part_cols;
	struct plan code, channel, *custom;
	enum ccon_channel_type fixed_channel;
	char last_channel[32];    /* the last channelType cell that parsed, and to what; */
	                          /* "" at first, which no cell matches (len > 0) */
	enum ccon_channel_type last_channel_type;
	signed char cc_len[1000]; /* ccon_phone_country_code_len by first 3 digits; -1 unknown */
	bool *bad_col;            /* columns with invalid UTF-8 in this row */
	bool nul_in_line;         /* a NUL byte was fed since the record's first line
	                           * began: check the fields for one */
	bool any_bad;
	bool row_utf8;            /* plain_row found the whole row UTF-8 */
	unsigned char cls[256];   /* plain_row's byte classes (CLS_*) */
	struct ccon_csv_custom_field *view_fields;
	struct ccon_strbuf ctxbuf;

	/* a quoted field open across lines */
	bool recording;
	long quote_line, quote_col;
	size_t quote_nfields;
	struct ccon_strbuf rec, rep;  /* raw lines after the opening one; replay source */
	size_t rep_pos;
	bool recover;

	bool row_err;
	bool failed;              /* out of memory or stopped by a callback */
	struct ccon_error fail;
	struct ccon_error fatal;  /* first error that makes the whole import void */
	struct ccon_csv_stats st;
};

static void stop(struct ccon_csv_import *imp, enum ccon_errc code, const char *msg)
{
	if (imp->failed)
		return;
	imp->failed = true;
	ccon_error_clear(&imp->fail);
	ccon_error_set(&imp->fail, code, "%s", msg);
}

static void nomem(struct ccon_csv_import *imp)
{
	stop(imp, CCON_E_NOMEM, "out of memory");
}

static void deliver(struct ccon_csv_import *imp, const struct ccon_error *e, bool fatal)
{
	imp->st.errors++;
	imp->row_err = true;
	if (fatal && imp->fatal.code == CCON_E_OK)
		imp->fatal = *e;
	if (imp->on_error && !imp->failed && imp->on_error(imp->ctx, e) != 0)
		stop(imp, CCON_E_IO, "import stopped by the error callback");
}

static void report(struct ccon_csv_import *imp, enum ccon_errc code, long line, long column,
                   const char *path, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void report(struct ccon_csv_import *imp, enum ccon_errc code, long line, long column,
                   const char *path, const char *fmt, ...)
{
	struct ccon_error e;
	va_list ap;

	ccon_error_clear(&e);
	va_start(ap, fmt);
	ccon_error_vset(&e, code, fmt, ap);
	va_end(ap);
	ccon_error_at_line(&e, line, column);
	ccon_error_at_path(&e, path);
	deliver(imp, &e, false);
}

/* A printable excerpt of a (valid UTF-8) value for messages. */
static const char *shown(const char *s, size_t len, char *buf, size_t size)
{
	size_t o = 0;

	for (size_t i = 0; i < len && o + 4 < size; i++) {
		unsigned char c = (unsigned char)s[i];

		if (i >= SHOWN_MAX && (c & 0xC0) != 0x80) {
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		buf[o++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	buf[o] = '\0';
	return buf;
}

/* ---------------------------------------------------------------- libcsv callbacks */

static int grow_fields(struct ccon_csv_import *imp, size_t need)
{
	size_t cap = imp->fcap ? imp->fcap : 16;
	size_t *o, *l;

	while (cap < need)
		cap *= 2;
	o = realloc(imp->offs, cap * sizeof(*o));
	if (o)
		imp->offs = o;
	l = realloc(imp->lens, cap * sizeof(*l));
	if (l)
		imp->lens = l;
	if (!o || !l)
		return -1;
	imp->fcap = cap;
	return 0;
}

/* Stores a field of the row; `room`: the bytes that can be read at s. */
static void store_field(struct ccon_csv_import *imp, const char *s, size_t len, size_t room)
{
	struct ccon_strbuf *rb = &imp->rowbuf;
	size_t i = imp->nfields++;

	if (len > imp->max_field) {
		if (!imp->too_long_col)
			imp->too_long_col = (long)i + 1;
		len = 0; /* keep the count, not the bytes */
	}
	if (i >= imp->fcap) {
		/* data rows keep the header's count (extra fields are only
		 * counted); the header grows up to CCON_CSV_MAX_COLUMNS */
		if (imp->have_header || i >= CCON_CSV_MAX_COLUMNS)
			return;
		if (grow_fields(imp, i + 1) < 0) {
			nomem(imp);
			return;
		}
	}
	if (rb->len + len + 1 > rb->cap && ccon_strbuf_reserve(rb, len + 1) < 0) {
		nomem(imp);
		return;
	}
	imp->offs[i] = rb->len;
	imp->lens[i] = len;
	/* most fields are short: one fixed 16-byte copy beats a memcpy call */
	if (len < 16 && room >= 16 && rb->len + 16 <= rb->cap)
		memcpy(rb->buf + rb->len, s, 16);
	else
		memcpy(rb->buf + rb->len, s, len);
	rb->buf[rb->len + len] = '\0';
	rb->len += len + 1;
}

static void on_field(void *s, size_t len, void *data)
{
	struct ccon_csv_import *imp = data;

	/* s is libcsv's entry buffer, entry_size bytes long (at least the
	 * 4096 of csv_set_blk_size once a byte is parsed) */
	store_field(imp, s, len, imp->p.entry_size);
}

static void header_row(struct ccon_csv_import *imp);
static void data_row(struct ccon_csv_import *imp);

static void on_row(int c, void *data)
{
	struct ccon_csv_import *imp = data;

	(void)c;
	if (imp->too_long_col && !imp->failed && imp->phase == PHASE_RUNNING) {
		struct ccon_error e;

		ccon_error_clear(&e);
		ccon_error_set(&e, CCON_E_CSV_FIELD_TOO_LONG, "field longer than %zu bytes",
		               imp->max_field);
		ccon_error_at_line(&e, imp->rec_line, imp->too_long_col);
		if (imp->have_header) {
			imp->st.rows++;
			imp->st.error_rows++;
			deliver(imp, &e, false);
		} else {
			deliver(imp, &e, true);
			imp->phase = PHASE_DEAD;
		}
	} else if (!imp->failed && imp->phase == PHASE_RUNNING) {
		if (imp->have_header)
			data_row(imp);
		else
			header_row(imp);
	}
	imp->nfields = 0;
	imp->too_long_col = 0;
	imp->rowbuf.len = 0;
	imp->row_utf8 = false;
}

/* ---------------------------------------------------------------- the header */

static void plan_value(struct ccon_csv_import *imp, struct plan *pl,
                       const struct ccon_layout_value *v)
{
	const struct ccon_layout *l = imp->layout;

	pl->v = v;
	pl->bound = true;
	pl->err_column = 0;
	ccon_layout_value_path(l, v, pl->path, sizeof(pl->path));
	for (size_t i = v->first; i < v->first + v->count; i++) {
		if (!l->parts[i].variable)
			continue;
		if (imp->part_cols[i] == CCON_LAYOUT_LITERAL)
			pl->bound = false;
		else if (pl->err_column == 0)
			pl->err_column = (long)imp->part_cols[i] + 1;
	}
	if (v->count == 0)
		pl->kind = PLAN_EMPTY;
	else if (ccon_layout_value_fixed(l, v))
		pl->kind = PLAN_FIXED, pl->fixed_len = strlen(v->tmpl);
	else if (v->count == 1) {
		pl->kind = PLAN_COLUMN;
		pl->column = imp->part_cols[v->first];
	} else
		pl->kind = PLAN_MIX;
}

static int setup_plans(struct ccon_csv_import *imp)
{
	const struct ccon_layout *l = imp->layout;

	plan_value(imp, &imp->code, &l->contact_code);
	plan_value(imp, &imp->channel, &l->channel_type);
	if (imp->channel.kind == PLAN_FIXED &&
	    ccon_channel_type_parse(l->channel_type.tmpl, &imp->fixed_channel, NULL) < 0)
		imp->channel.bound = false; /* ccon_layout_decode rejects this already */
	if (l->n_custom_fields) {
		imp->custom = calloc(l->n_custom_fields, sizeof(*imp->custom));
		imp->view_fields = calloc(l->n_custom_fields, sizeof(*imp->view_fields));
		if (!imp->custom || !imp->view_fields)
			return -1;
	}
	for (size_t i = 0; i < l->n_custom_fields; i++) {
		plan_value(imp, &imp->custom[i], &l->custom_fields[i].value);
		imp->view_fields[i].name = l->custom_fields[i].name;
	}
	return 0;
}

static void header_row(struct ccon_csv_import *imp)
{
	size_t n = imp->nfields, bad;
	struct ccon_error e;

	imp->have_header = true;
	imp->ctx_col = SIZE_MAX;
	if (n > CCON_CSV_MAX_COLUMNS) {
		ccon_error_clear(&e);
		ccon_error_set(&e, CCON_E_CSV_HEADER, "the header has %zu columns; at most %d are allowed",
		               n, CCON_CSV_MAX_COLUMNS);
		ccon_error_at_line(&e, imp->rec_line, CCON_CSV_MAX_COLUMNS + 1);
		deliver(imp, &e, true);
		imp->phase = PHASE_DEAD;
		return;
	}
	imp->columns = calloc(n ? n : 1, sizeof(*imp->columns));
	imp->bad_col = calloc(n ? n : 1, sizeof(*imp->bad_col));
	imp->part_cols = calloc(imp->layout->n_parts ? imp->layout->n_parts : 1, sizeof(size_t));
	if (!imp->columns || !imp->bad_col || !imp->part_cols)
		goto oom;
	imp->ncols = n;
	imp->st.columns = n;
	for (size_t i = 0; i < n; i++) {
		const char *name = imp->rowbuf.buf + imp->offs[i];

		imp->columns[i] = strdup(name);
		if (!imp->columns[i])
			goto oom;
		if (strlen(name) != imp->lens[i])
			report(imp, CCON_E_CSV_UTF8, imp->rec_line, (long)i + 1, "",
			       "NUL byte in the column name (is this a binary file?)");
		else if (!ccon_utf8_valid(name, imp->lens[i], &bad))
			report(imp, CCON_E_CSV_UTF8, imp->rec_line, (long)i + 1, "",
			       "column name is not valid UTF-8 at byte %zu (0x%02X); save the file as "
			       "UTF-8", bad + 1, (unsigned)(unsigned char)name[bad]);
		for (size_t j = 0; j < i; j++) {
			if (strcmp(imp->columns[j], name) == 0) {
				char buf[64];

				report(imp, CCON_E_CSV_HEADER, imp->rec_line, (long)i + 1, "",
				       "column \"%s\" repeats column %zu; the first one is used",
				       shown(name, imp->lens[i], buf, sizeof(buf)), j + 1);
				break;
			}
		}
		if (imp->ctx_col == SIZE_MAX && strcasecmp(name, CONTEXT_COLUMN) == 0)
			imp->ctx_col = i;
	}
	ccon_error_clear(&e);
	if (ccon_layout_bind(imp->layout, (const char *const *)imp->columns, n, imp->part_cols,
	                     &e) < 0) {
		if (e.code == CCON_E_NOMEM)
			goto oom;
		ccon_error_at_line(&e, imp->rec_line, 0);
		deliver(imp, &e, true);
	} else {
		imp->bound = true;
	}
	if (setup_plans(imp) < 0 || (n > imp->fcap && grow_fields(imp, n) < 0))
		goto oom;
	imp->fcap = n; /* data rows store at most the header's count */
	imp->row_err = false;
	return;
oom:
	nomem(imp);
}

/* ---------------------------------------------------------------- data rows */

static bool all_ascii(const char *s, size_t len)
{
	uint64_t acc = 0, w;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		memcpy(&w, s + i, 8);
		acc |= w;
	}
	if (i < len && len >= 8) {
		memcpy(&w, s + len - 8, 8); /* the last 8 bytes, overlapping */
		acc |= w;
	} else {
		for (; i < len; i++)
			acc |= (unsigned char)s[i];
	}
	return (acc & UINT64_C(0x8080808080808080)) == 0;
}

/* true when the 8 bytes at s are all ASCII digits */
static inline bool digits8(const char *s)
{
	uint64_t w;

	memcpy(&w, s, 8);
	/* a byte b is a digit when b - '0' does not borrow and b + ('\x7f' - '9')
	 * does not reach 0x80, nor does b itself */
	return (((w - UINT64_C(0x3030303030303030)) | (w + UINT64_C(0x4646464646464646)) | w) &
	        UINT64_C(0x8080808080808080)) == 0;
}

static void check_utf8(struct ccon_csv_import *imp)
{
	size_t bad;

	if (imp->any_bad)
		memset(imp->bad_col, 0, imp->ncols * sizeof(*imp->bad_col));
	imp->any_bad = false;
	/* fields are NUL-separated in rowbuf: one pass checks them all */
	if (!imp->nul_in_line && (imp->row_utf8 || all_ascii(imp->rowbuf.buf, imp->rowbuf.len) ||
	                          ccon_utf8_valid(imp->rowbuf.buf, imp->rowbuf.len, NULL)))
		return;
	for (size_t i = 0; i < imp->ncols; i++) {
		const char *f = imp->rowbuf.buf + imp->offs[i];
		const char *nul = imp->nul_in_line ? memchr(f, '\0', imp->lens[i]) : NULL;

		if (nul) {
			/* valid UTF-8, but C strings would silently cut the value */
			imp->bad_col[i] = imp->any_bad = true;
			report(imp, CCON_E_CSV_UTF8, imp->rec_line, (long)i + 1, "",
			       "NUL byte at byte %zu of the field (is this a binary file?)",
			       (size_t)(nul - f) + 1);
			continue;
		}
		if (ccon_utf8_valid(f, imp->lens[i], &bad))
			continue;
		imp->bad_col[i] = imp->any_bad = true;
		report(imp, CCON_E_CSV_UTF8, imp->rec_line, (long)i + 1, "",
		       "not valid UTF-8 at byte %zu of the field (0x%02X); is the file Latin-1? Save "
		       "it as UTF-8", bad + 1, (unsigned)(unsigned char)f[bad]);
	}
}

/* A value mixing text and columns, rendered into the plan's scratch. */
static bool resolve_mix(struct ccon_csv_import *imp, struct plan *pl, const char **s,
                        size_t *len)
{
	const struct ccon_layout *l = imp->layout;
	const struct ccon_layout_value *v = pl->v;

	ccon_strbuf_reset(&pl->scratch);
	for (size_t i = v->first; i < v->first + v->count; i++) {
		const struct ccon_layout_part *p = &l->parts[i];
		size_t c = imp->part_cols[i];
		int rc;

		if (!p->variable) {
			rc = ccon_strbuf_append(&pl->scratch, p->text, p->len);
		} else {
			if (imp->any_bad && imp->bad_col[c])
				return false;
			rc = ccon_strbuf_append(&pl->scratch, imp->rowbuf.buf + imp->offs[c],
			                        imp->lens[c]);
		}
		if (rc < 0) {
			nomem(imp);
			return false;
		}
	}
	*s = ccon_strbuf_cstr(&pl->scratch);
	*len = pl->scratch.len;
	return true;
}

/* The value of a layout value for this row, NUL-terminated; false when it
 * cannot be computed (a missing column, or a column with invalid UTF-8).
 * Inline: it runs for every value of every row. */
static inline bool resolve(struct ccon_csv_import *imp, struct plan *pl, const char **s,
                           size_t *len)
{
	if (pl->kind == PLAN_COLUMN && pl->bound) {
		if (imp->any_bad && imp->bad_col[pl->column])
			return false;
		*s = imp->rowbuf.buf + imp->offs[pl->column];
		*len = imp->lens[pl->column];
		return true;
	}
	if (!pl->bound)
		return false;
	if (pl->kind == PLAN_MIX)
		return resolve_mix(imp, pl, s, len);
	*s = pl->kind == PLAN_FIXED ? pl->v->tmpl : "";
	*len = pl->kind == PLAN_FIXED ? pl->fixed_len : 0;
	return true;
}

/* The common case of a large file, "34666777888": a cloud_api contactCode of
 * only digits, not starting with 0, is by phone.h's rules the digits of an
 * international number, valid when 7..15 long with an assigned country code,
 * and then its E.164 form is "+" and the digits. Anything else (or a false
 * here) goes through ccon_contact_code_normalize, which also words the error.
 * The country code lookup is memoised: it depends on 3 digits only. */
static bool digits_fast_path(struct ccon_csv_import *imp, const char *s, size_t len,
                             enum ccon_channel_type ch, char out[CCON_E164_BUFSIZE])
{
	unsigned key;
	signed char *cc;

	if (ch != CCON_CHANNEL_CLOUD_API || len < CCON_E164_MIN_DIGITS ||
	    len > CCON_E164_MAX_DIGITS || s[0] == '0')
		return false;
	/* 8 <= len <= 15 here in practice: two overlapping words cover it */
	if (len >= 8) {
		if (!digits8(s) || !digits8(s + len - 8))
			return false;
	} else {
		for (size_t i = 0; i < len; i++)
			if (s[i] < '0' || s[i] > '9')
				return false;
	}
	key = (unsigned)(s[0] - '0') * 100 + (unsigned)(s[1] - '0') * 10 + (unsigned)(s[2] - '0');
	cc = &imp->cc_len[key];
	if (*cc < 0)
		*cc = (signed char)ccon_phone_country_code_len(s);
	if (*cc == 0)
		return false;
	out[0] = '+';
	memcpy(out + 1, s, len + 1);
	return true;
}

static void value_error(struct ccon_csv_import *imp, const struct plan *pl, const char *s,
                        size_t len, const struct ccon_error *why)
{
	char buf[SHOWN_MAX * 4 + 8];

	if (len)
		report(imp, why->code, imp->rec_line, pl->err_column, pl->path, "\"%s\": %s",
		       shown(s, len, buf, sizeof(buf)), why->message);
	else
		report(imp, why->code, imp->rec_line, pl->err_column, pl->path, "%s", why->message);
}

/* Checks a #contextvariables# cell; *json gets the JSON text (NULL when empty). */
static bool check_context(struct ccon_csv_import *imp, const char *s, size_t len,
                          const char **json, size_t *json_len)
{
	struct ccon_error e;
	cJSON *root = NULL;
	bool escaped;
	long col = (long)imp->ctx_col + 1;

	*json = NULL;
	*json_len = 0;
	while (len && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len == 0)
		return true;
	escaped = len >= 3 && memcmp(s, "{\\\"", 3) == 0;
	ccon_strbuf_reset(&imp->ctxbuf);
	ccon_error_clear(&e);
	if (escaped) {
		/* read the cell as the body of a JSON string, then parse that */
		if (ccon_strbuf_putc(&imp->ctxbuf, '"') < 0 ||
		    ccon_strbuf_append(&imp->ctxbuf, s, len) < 0 ||
		    ccon_strbuf_putc(&imp->ctxbuf, '"') < 0) {
			nomem(imp);
			return false;
		}
		if (ccon_json_parse(imp->ctxbuf.buf, imp->ctxbuf.len, &root, &e) < 0 ||
		    !cJSON_IsString(root)) {
			cJSON_Delete(root);
			report(imp, CCON_E_CSV_CONTEXT_VARIABLES, imp->rec_line, col, "",
			       "#contextvariables# starts like backslash-escaped JSON ({\\\") but is not "
			       "a well-formed escaped string");
			return false;
		}
		ccon_strbuf_reset(&imp->ctxbuf);
		if (ccon_strbuf_puts(&imp->ctxbuf, root->valuestring) < 0) {
			cJSON_Delete(root);
			nomem(imp);
			return false;
		}
		cJSON_Delete(root);
		root = NULL;
	} else if (ccon_strbuf_append(&imp->ctxbuf, s, len) < 0) {
		nomem(imp);
		return false;
	}
	if (ccon_json_parse(imp->ctxbuf.buf, imp->ctxbuf.len, &root, &e) < 0) {
		report(imp, CCON_E_CSV_CONTEXT_VARIABLES, imp->rec_line, col, "",
		       "#contextvariables# is not valid JSON%s: %s at line %ld, character %ld of the "
		       "%s", escaped ? " (after unescaping)" : "", e.message, e.line, e.column,
		       escaped ? "unescaped text" : "cell");
		return false;
	}
	if (!cJSON_IsObject(root)) {
		report(imp, CCON_E_CSV_CONTEXT_VARIABLES, imp->rec_line, col, "",
		       "#contextvariables# must be a JSON object, not %s", ccon_json_type_name(root));
		cJSON_Delete(root);
		return false;
	}
	cJSON_Delete(root);
	*json = imp->ctxbuf.buf;
	*json_len = imp->ctxbuf.len;
	return true;
}

static void data_row(struct ccon_csv_import *imp)
{
	const struct ccon_layout *l = imp->layout;
	struct ccon_csv_contact c;
	struct ccon_error e;
	char code[CCON_E164_BUFSIZE];
	const char *s;
	size_t len;
	bool have_channel = false;

	memset(&c, 0, sizeof(c));
	imp->st.rows++;
	imp->row_err = false;
	if (imp->nfields != imp->ncols) {
		report(imp, CCON_E_CSV_FIELD_COUNT, imp->rec_line,
		       (long)(imp->nfields < imp->ncols ? imp->nfields + 1 : imp->ncols + 1), "",
		       "the row has %zu field%s but the header has %zu", imp->nfields,
		       imp->nfields == 1 ? "" : "s", imp->ncols);
		imp->st.error_rows++;
		return;
	}
	check_utf8(imp);

	if (resolve(imp, &imp->channel, &s, &len)) {
		if (imp->channel.kind == PLAN_FIXED) {
			c.channel = imp->fixed_channel;
			have_channel = true;
		} else if (len > 0 && len < sizeof(imp->last_channel) &&
		           memcmp(s, imp->last_channel, len + 1) == 0) {
			c.channel = imp->last_channel_type;
			have_channel = true;
		} else if (ccon_channel_type_parse(s, &c.channel, &e) == 0) {
			have_channel = true;
			if (len < sizeof(imp->last_channel)) {
				memcpy(imp->last_channel, s, len + 1);
				imp->last_channel_type = c.channel;
			}
		} else {
			report(imp, e.code, imp->rec_line, imp->channel.err_column, imp->channel.path,
			       "%s", e.message);
		}
	}
	if (have_channel && resolve(imp, &imp->code, &s, &len) &&
	    !digits_fast_path(imp, s, len, c.channel, code) &&
	    ccon_contact_code_normalize(s, len, c.channel, code, &e) < 0)
		value_error(imp, &imp->code, s, len, &e);

	for (size_t i = 0; i < l->n_custom_fields; i++) {
		struct plan *pl = &imp->custom[i];

		if (!resolve(imp, pl, &s, &len))
			continue;
		if (len > CCON_CUSTOM_FIELD_VALUE_MAX)
			report(imp, CCON_E_CUSTOM_FIELD_VALUE, imp->rec_line, pl->err_column, pl->path,
			       "the value is %zu bytes long; at most %d are allowed", len,
			       CCON_CUSTOM_FIELD_VALUE_MAX);
		imp->view_fields[i].value = s;
		imp->view_fields[i].len = len;
	}
	c.context_variables = NULL;
	c.context_variables_len = 0;
	if (imp->ctx_col != SIZE_MAX && !(imp->any_bad && imp->bad_col[imp->ctx_col]))
		check_context(imp, imp->rowbuf.buf + imp->offs[imp->ctx_col],
		              imp->lens[imp->ctx_col], &c.context_variables,
		              &c.context_variables_len);

	if (imp->row_err || imp->any_bad) {
		imp->st.error_rows++;
		return;
	}
	if (!imp->bound || imp->failed)
		return;
	c.line = imp->rec_line;
	c.contact_code = code;
	c.channel_type = ccon_channel_type_name(c.channel);
	c.custom_fields = imp->view_fields;
	c.n_custom_fields = l->n_custom_fields;
	imp->st.contacts++;
	if (imp->on_contact && imp->on_contact(imp->ctx, &c) != 0)
		stop(imp, CCON_E_IO, "import stopped by the contact callback");
}

/* ---------------------------------------------------------------- lines */

static void reset_parser(struct ccon_csv_import *imp)
{
	csv_fini(&imp->p, NULL, NULL, NULL);
	imp->nfields = 0;
	imp->too_long_col = 0;
	imp->rowbuf.len = 0;
}

/* The record being read is dropped after an error in it. */
static void drop_record(struct ccon_csv_import *imp, const struct ccon_error *e)
{
	reset_parser(imp);
	imp->recording = false;
	if (imp->have_header) {
		imp->st.rows++;
		imp->st.error_rows++;
		deliver(imp, e, false);
	} else {
		deliver(imp, e, true); /* no header, nothing to import */
		imp->phase = PHASE_DEAD;
	}
}

static void drop_with(struct ccon_csv_import *imp, enum ccon_errc code, long line, long col,
                      const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void drop_with(struct ccon_csv_import *imp, enum ccon_errc code, long line, long col,
                      const char *fmt, ...)
{
	struct ccon_error e;
	va_list ap;

	ccon_error_clear(&e);
	va_start(ap, fmt);
	ccon_error_vset(&e, code, fmt, ap);
	va_end(ap);
	ccon_error_at_line(&e, line, col);
	drop_record(imp, &e);
}

/* A quoted field opened at quote_line never closes: drop the record and
 * go back to the line after the opening one (the driver replays rec). */
static void recover_quote(struct ccon_csv_import *imp, enum ccon_errc code, const char *why)
{
	long line = imp->quote_line, col = imp->quote_col;

	drop_with(imp, code, line, col, "%s; reading resumes at line %ld", why, line + 1);
	imp->line = line + 1;
	imp->line_bytes = 0;
	imp->line_start = true;
	imp->skip_line = false;
	imp->recover = true;
}

static void end_line(struct ccon_csv_import *imp)
{
	bool in_quote = imp->p.pstate == PSTATE_FIELD_BEGUN && imp->p.quoted;

	imp->line++;
	imp->line_bytes = 0;
	imp->line_start = true;
	if (!in_quote) {
		if (imp->recording)
			ccon_strbuf_reset(&imp->rec);
		imp->recording = false;
	} else if (!imp->recording || imp->quote_nfields != imp->nfields) {
		imp->recording = true;
		imp->quote_line = imp->line - 1;
		imp->quote_col = (long)imp->nfields + 1;
		imp->quote_nfields = imp->nfields;
		ccon_strbuf_reset(&imp->rec);
	}
}

static inline bool is_blank(const struct ccon_csv_import *imp, char c)
{
	return (c == ' ' || c == '\t') && c != imp->delim;
}

/* The fields stored by a plain_row that gave up. */
static void drop_fields(struct ccon_csv_import *imp)
{
	imp->nfields = 0;
	imp->too_long_col = 0;
	imp->rowbuf.len = 0;
}

/* The common line without libcsv: a whole line (its end at s[n - 1]) read
 * at a row's start, with no quote and no other line-end byte in it. Parsed
 * as libcsv does: fields split at the delimiter, each without its leading
 * and trailing blanks; a line of blanks is no row. The same pass checks
 * the line's UTF-8 (a valid line: valid fields, as no sequence holds an
 * ASCII byte). false: libcsv's turn. */
static bool plain_row(struct ccon_csv_import *imp, const char *s, size_t n)
{
	const char *end = s + n - 1, *p = s, *f = s;
	bool utf8 = true;

	if (end > s && imp->eol == '\n' && end[-1] == '\r')
		end--;
	while (p < end && is_blank(imp, *p))
		p++;
	if (p == end)
		return true;
	for (;;) {
		const char *a = f, *b;

		while (p < end && imp->cls[(unsigned char)*p] == CLS_TEXT)
			p++;
		if (p < end && imp->cls[(unsigned char)*p] == CLS_HIGH) {
			uint32_t cp;
			size_t k = ccon_utf8_decode(p, (size_t)(end - p), &cp);

			utf8 = utf8 && k > 0;
			p += k ? k : 1;
			continue;
		}
		if (p < end && imp->cls[(unsigned char)*p] == CLS_LIBCSV) {
			drop_fields(imp);
			return false;
		}
		/* the delimiter or the end */
		for (b = p; a < b && is_blank(imp, *a); a++)
			;
		while (b > a && is_blank(imp, b[-1]))
			b--;
		store_field(imp, a, (size_t)(b - a), (size_t)(s + n - a));
		if (p == end)
			break;
		f = ++p;
	}
	imp->row_utf8 = utf8;
	on_row(imp->eol, imp);
	return true;
}

/* The classes once the delimiter and the line end are known. */
static void set_classes(struct ccon_csv_import *imp)
{
	memset(imp->cls, CLS_TEXT, 0x80);
	memset(imp->cls + 0x80, CLS_HIGH, 0x80);
	imp->cls['"'] = CLS_LIBCSV;
	imp->cls[imp->eol == '\n' ? '\r' : '\n'] = CLS_LIBCSV;
	imp->cls[(unsigned char)imp->delim] = CLS_DELIM;
}

/* Feeds s[0..n), a piece of one physical line; eol says it ends the line. */
static void feed_piece(struct ccon_csv_import *imp, const char *s, size_t n, bool eol)
{
	size_t done;
	bool checkpoint;

	if (imp->skip_line) {
		if (eol) {
			imp->skip_line = false;
			end_line(imp);
		}
		return;
	}
	if (imp->line_start) {
		imp->line_start = false;
		if (imp->p.pstate == PSTATE_ROW_NOT_BEGUN) {
			imp->rec_line = imp->line;
			imp->nul_in_line = false;
		}
	}
	if (!imp->nul_in_line && memchr(s, '\0', n))
		imp->nul_in_line = true;
	if (imp->recording && ccon_strbuf_append(&imp->rec, s, n) < 0) {
		nomem(imp);
		return;
	}
	if (eol && imp->line_bytes == 0 && imp->p.pstate == PSTATE_ROW_NOT_BEGUN &&
	    !imp->recording && plain_row(imp, s, n))
		done = n;
	else
		done = csv_parse(&imp->p, s, n, on_field, on_row, imp);
	if (imp->failed || imp->phase != PHASE_RUNNING)
		return;
	/* sizes are checked at line ends and every PIECE bytes into a line,
	 * never where a chunk happens to end: any split gives one result */
	imp->line_bytes += n;
	checkpoint = eol || imp->line_bytes % PIECE == 0;
	if (done < n) {
		if (csv_error(&imp->p) != CSV_EPARSE) {
			nomem(imp);
			return;
		}
		if (imp->recording && imp->quote_nfields == imp->nfields) {
			char why[160];

			snprintf(why, sizeof(why),
			         "quoted field opened here ends on line %ld with text after its "
			         "closing quote: is a closing quote missing?", imp->line);
			recover_quote(imp, CCON_E_CSV_QUOTE, why);
			return;
		}
		drop_with(imp, CCON_E_CSV_QUOTE, imp->line, (long)imp->nfields + 1, "%s",
		          imp->p.quoted ? "text after the closing quote of a quoted field (a quote "
		                          "inside a quoted field is written twice: \"\")"
		                        : "quote inside an unquoted field (quote the whole field and "
		                          "write the quote twice: \"\")");
		imp->skip_line = !eol;
	} else if (checkpoint && (imp->p.entry_pos > imp->max_field ||
	                          (imp->recording && imp->rec.len > 2 * imp->max_field))) {
		if (imp->recording) {
			char why[160];

			snprintf(why, sizeof(why),
			         "quoted field longer than %zu bytes: is its closing quote missing?",
			         imp->max_field);
			recover_quote(imp, CCON_E_CSV_FIELD_TOO_LONG, why);
			return;
		}
		drop_with(imp, CCON_E_CSV_FIELD_TOO_LONG, imp->rec_line,
		          imp->too_long_col ? imp->too_long_col : (long)imp->nfields + 1,
		          "field longer than %zu bytes", imp->max_field);
		imp->skip_line = !eol;
	}
	if (eol && !imp->skip_line)
		end_line(imp);
}

static size_t next_piece(const struct ccon_csv_import *imp, const char *s, size_t n, bool *eol)
{
	size_t room = PIECE - imp->line_bytes % PIECE;
	size_t lim = n < room ? n : room;
	const char *e = memchr(s, imp->eol, lim);

	*eol = e != NULL;
	return e ? (size_t)(e - s) + 1 : lim;
}

/* Replays the kept lines of an unclosed quoted field, and again if a field
 * in them does the same. */
static void replay(struct ccon_csv_import *imp)
{
	struct ccon_strbuf tmp;
	bool eol;

	while (imp->recover && !imp->failed) {
		imp->recover = false;
		/* what is left to replay: the new kept lines, then the rest of
		 * the previous replay */
		if (imp->rep_pos < imp->rep.len &&
		    ccon_strbuf_append(&imp->rec, imp->rep.buf + imp->rep_pos,
		                       imp->rep.len - imp->rep_pos) < 0) {
			nomem(imp);
			break;
		}
		tmp = imp->rep;
		imp->rep = imp->rec;
		imp->rec = tmp;
		ccon_strbuf_reset(&imp->rec);
		imp->rep_pos = 0;
		while (imp->rep_pos < imp->rep.len && !imp->recover && !imp->failed &&
		       imp->phase == PHASE_RUNNING) {
			size_t k = next_piece(imp, imp->rep.buf + imp->rep_pos,
			                      imp->rep.len - imp->rep_pos, &eol);

			feed_piece(imp, imp->rep.buf + imp->rep_pos, k, eol);
			imp->rep_pos += k;
		}
	}
	ccon_strbuf_reset(&imp->rep);
	imp->rep_pos = 0;
}

static void run(struct ccon_csv_import *imp, const char *s, size_t n)
{
	bool eol;

	while (n && !imp->failed && imp->phase == PHASE_RUNNING) {
		size_t k = next_piece(imp, s, n, &eol);

		feed_piece(imp, s, k, eol);
		if (imp->recover)
			replay(imp);
		s += k;
		n -= k;
	}
}

/* ---------------------------------------------------------------- the header line */

static bool blank_line(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return false;
	return true;
}

static char detect_delimiter(const char *s, size_t n)
{
	size_t comma = 0, semi = 0, tab = 0;
	bool quoted = false;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (s[i] == ',')
			comma++;
		else if (s[i] == ';')
			semi++;
		else if (s[i] == '\t')
			tab++;
	}
	if (semi > comma && semi > tab)
		return ';';
	if (tab > comma && tab > semi)
		return '\t';
	return ',';
}

static void start(struct ccon_csv_import *imp, const char *hdr, size_t hdr_len)
{
	struct ccon_strbuf h = imp->head;

	if (!imp->delim_given)
		imp->delim = detect_delimiter(hdr, hdr_len);
	csv_set_delim(&imp->p, (unsigned char)imp->delim);
	set_classes(imp);
	imp->st.delimiter = imp->delim;
	imp->phase = PHASE_RUNNING;
	ccon_strbuf_init(&imp->head);
	run(imp, h.buf, h.len);
	ccon_strbuf_free(&h);
}

/* Looks at what is held; starts the scan once the first non-empty line is
 * complete (or the input ends). */
static void try_header(struct ccon_csv_import *imp, bool final)
{
	struct ccon_strbuf *h = &imp->head;
	size_t head_max = imp->max_field > HEADER_MAX ? imp->max_field : HEADER_MAX;
	size_t pos = 0;

	if (h->len == 0)
		return;
	if (!imp->bom_done) {
		if (h->len < 3 && !final && memcmp(h->buf, "\xEF\xBB\xBF", h->len) == 0)
			return;
		imp->bom_done = true;
		if (h->len >= 3 && memcmp(h->buf, "\xEF\xBB\xBF", 3) == 0) {
			memmove(h->buf, h->buf + 3, h->len - 2);
			h->len -= 3;
		}
	}
	if (!imp->eol_known) {
		char *lf = memchr(h->buf, '\n', h->len), *cr = memchr(h->buf, '\r', h->len);

		if (cr && (!lf || cr < lf)) {
			if (cr + 1 == h->buf + h->len && !final)
				return;
			imp->eol = (cr + 1 < h->buf + h->len && cr[1] == '\n') ? '\n' : '\r';
			imp->eol_known = true;
		} else if (lf) {
			imp->eol = '\n';
			imp->eol_known = true;
		}
	}
	while (imp->eol_known && pos < h->len) {
		char *e = memchr(h->buf + pos, imp->eol, h->len - pos);

		if (!e)
			break;
		if (!blank_line(h->buf + pos, (size_t)(e - h->buf) - pos)) {
			if ((size_t)(e - h->buf) - pos > head_max)
				break;
			start(imp, h->buf + pos, (size_t)(e - h->buf) - pos);
			return;
		}
		pos = (size_t)(e - h->buf) + 1;
	}
	if (final && h->len - pos <= head_max) {
		if (!blank_line(h->buf + pos, h->len - pos))
			start(imp, h->buf + pos, h->len - pos);
		return;
	}
	if (h->len - pos > head_max) {
		struct ccon_error e;

		ccon_error_clear(&e);
		ccon_error_set(&e, CCON_E_CSV_HEADER,
		               "the header line is longer than %zu bytes (is this a CSV file?)",
		               head_max);
		ccon_error_at_line(&e, 1, 0);
		deliver(imp, &e, true);
		imp->phase = PHASE_DEAD;
		ccon_strbuf_free(h);
	}
}

/* ---------------------------------------------------------------- public API */

int ccon_csv_import_new(const struct ccon_layout *layout, const struct ccon_csv_options *opts,
                        ccon_csv_contact_fn on_contact, ccon_csv_error_fn on_error, void *ctx,
                        struct ccon_csv_import **out, struct ccon_error *err)
{
	struct ccon_csv_import *imp;
	char d = opts ? opts->delimiter : 0;

	*out = NULL;
	if (!layout || (d != 0 && d != ',' && d != ';' && d != '\t')) {
		ccon_error_set(err, CCON_E_INVALID_ARGUMENT,
		               layout ? "the delimiter must be ',', ';' or a tab" : "no layout");
		return -1;
	}
	imp = calloc(1, sizeof(*imp));
	if (imp && csv_init(&imp->p, CSV_STRICT | CSV_APPEND_NULL) != 0) {
		free(imp);
		imp = NULL;
	}
	if (!imp) {
		ccon_error_set(err, CCON_E_NOMEM, "out of memory");
		return -1;
	}
	csv_set_blk_size(&imp->p, 4096);
	imp->layout = layout;
	imp->on_contact = on_contact;
	imp->on_error = on_error;
	imp->ctx = ctx;
	imp->delim = d ? d : ',';
	imp->delim_given = d != 0;
	imp->max_field = opts && opts->max_field ? opts->max_field : CCON_CSV_MAX_FIELD_DEFAULT;
	imp->eol = '\n';
	imp->line = 1;
	imp->line_start = true;
	imp->rec_line = 1;
	imp->ctx_col = SIZE_MAX;
	memset(imp->cc_len, -1, sizeof(imp->cc_len));
	*out = imp;
	return 0;
}

static int status(struct ccon_csv_import *imp, struct ccon_error *err)
{
	if (!imp->failed)
		return 0;
	if (err)
		*err = imp->fail;
	return -1;
}

int ccon_csv_import_feed(struct ccon_csv_import *imp, const void *buf, size_t len,
                         struct ccon_error *err)
{
	const char *s = buf;

	while (len && !imp->failed && imp->phase == PHASE_HEADER) {
		size_t k = len < PIECE ? len : PIECE;

		if (ccon_strbuf_append(&imp->head, s, k) < 0) {
			nomem(imp);
			break;
		}
		s += k;
		len -= k;
		try_header(imp, false);
	}
	if (len && imp->phase == PHASE_RUNNING)
		run(imp, s, len);
	return status(imp, err);
}

int ccon_csv_import_finish(struct ccon_csv_import *imp, struct ccon_error *err)
{
	if (imp->phase == PHASE_HEADER && !imp->failed)
		try_header(imp, true);
	while (imp->phase == PHASE_RUNNING && !imp->failed) {
		if (imp->p.pstate == PSTATE_FIELD_BEGUN && imp->p.quoted) {
			if (imp->recording) {
				recover_quote(imp, CCON_E_CSV_QUOTE,
				              "quoted field opened here is never closed");
				replay(imp);
				continue;
			}
			drop_with(imp, CCON_E_CSV_QUOTE, imp->line, (long)imp->nfields + 1,
			          "quoted field opened here is never closed");
		} else if (!imp->skip_line) {
			csv_fini(&imp->p, on_field, on_row, imp);
		}
		break;
	}
	if (!imp->have_header && imp->phase != PHASE_DEAD && !imp->failed) {
		struct ccon_error e;

		ccon_error_clear(&e);
		ccon_error_set(&e, CCON_E_CSV_EMPTY,
		               "the file is empty: it needs a header line and one row per contact");
		deliver(imp, &e, true);
	}
	imp->phase = PHASE_DEAD;
	if (imp->failed)
		return status(imp, err);
	if (imp->fatal.code != CCON_E_OK) {
		if (err)
			*err = imp->fatal;
		return -1;
	}
	return 0;
}

void ccon_csv_import_stats(const struct ccon_csv_import *imp, struct ccon_csv_stats *out)
{
	*out = imp->st;
	out->lines = imp->line_start ? imp->line - 1 : imp->line;
}

const char *const *ccon_csv_import_columns(const struct ccon_csv_import *imp, size_t *n)
{
	*n = imp->have_header ? imp->ncols : 0;
	return imp->have_header ? (const char *const *)imp->columns : NULL;
}

void ccon_csv_import_free(struct ccon_csv_import *imp)
{
	if (!imp)
		return;
	csv_free(&imp->p);
	ccon_strbuf_free(&imp->head);
	ccon_strbuf_free(&imp->rowbuf);
	ccon_strbuf_free(&imp->rec);
	ccon_strbuf_free(&imp->rep);
	ccon_strbuf_free(&imp->ctxbuf);
	ccon_strbuf_free(&imp->code.scratch);
	ccon_strbuf_free(&imp->channel.scratch);
	for (size_t i = 0; imp->custom && i < imp->layout->n_custom_fields; i++)
		ccon_strbuf_free(&imp->custom[i].scratch);
	free(imp->custom);
	free(imp->view_fields);
	for (size_t i = 0; imp->columns && i < imp->ncols; i++)
		free(imp->columns[i]);
	free(imp->columns);
	free(imp->bad_col);
	free(imp->part_cols);
	free(imp->offs);
	free(imp->lens);
	free(imp);
}

int ccon_csv_import_stream(FILE *f, const struct ccon_layout *layout,
                           const struct ccon_csv_options *opts, ccon_csv_contact_fn on_contact,
                           ccon_csv_error_fn on_error, void *ctx, struct ccon_csv_stats *stats,
                           struct ccon_error *err)
{
	struct ccon_csv_import *imp;
	char *buf;
	size_t n;
	int rc = -1, e = 0;

	if (ccon_csv_import_new(layout, opts, on_contact, on_error, ctx, &imp, err) < 0)
		return -1;
	buf = malloc(CCON_CSV_CHUNK);
	if (!buf) {
		ccon_error_set(err, CCON_E_NOMEM, "out of memory");
		goto out;
	}
	for (;;) {
		errno = 0;
		n = fread(buf, 1, CCON_CSV_CHUNK, f);
		e = errno;
		if (n > 0 && ccon_csv_import_feed(imp, buf, n, err) < 0)
			goto out;
		if (n == CCON_CSV_CHUNK)
			continue;
		if (!ferror(f) || e != EINTR)
			break;
		clearerr(f);   /* a signal interrupted the read: read on */
	}
	if (ferror(f)) {
		ccon_error_set(err, CCON_E_IO, "cannot read the CSV file: %s", strerror(e ? e : EIO));
		goto out;
	}
	rc = ccon_csv_import_finish(imp, err);
out:
	if (stats)
		ccon_csv_import_stats(imp, stats);
	free(buf);
	ccon_csv_import_free(imp);
	return rc;
}

int ccon_csv_import_path(const char *path, const struct ccon_layout *layout,
                         const struct ccon_csv_options *opts, ccon_csv_contact_fn on_contact,
                         ccon_csv_error_fn on_error, void *ctx, struct ccon_csv_stats *stats,
                         struct ccon_error *err)
{
	FILE *f = fopen(path, "rb");
	int rc;

	if (!f) {
		if (stats)
			memset(stats, 0, sizeof(*stats));
		return ccon_error_set(err, CCON_E_IO, "cannot open %s: %s", path, strerror(errno));
	}
	rc = ccon_csv_import_stream(f, layout, opts, on_contact, on_error, ctx, stats, err);
	fclose(f);
	return rc;
}
