#include "config.h"

#include <ccon/json_relaxed.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* What the last significant token was, to tell a key from a value. */
enum last_tok { T_NONE, T_OPEN, T_COMMA, T_COLON, T_KEY, T_VALUE, T_OTHER };

struct opener {
	char kind;      /* '{' or '[' */
	size_t offset;
};

struct scan {
	const char *in;
	size_t len;
	char *out;                   /* same length as in */
	struct opener *stack;
	size_t depth, cap;
	enum last_tok last;
	size_t last_end;             /* offset just after the last significant token */
	size_t comma_at;             /* offset of the last comma (when last == T_COMMA) */
	bool comma_after_value;      /* that comma follows a value: droppable */
	struct ccon_json_relaxed_notes *notes;
};

static void position(const char *text, size_t off, long *line, long *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

static void note_fix(struct scan *s, size_t off)
{
	if (s->notes->first_line == 0)
		position(s->in, off, &s->notes->first_line, &s->notes->first_column);
}

static int syntax_at(const char *text, size_t off, struct ccon_error *err, const char *what)
{
	long line, col;

	position(text, off, &line, &col);
	ccon_error_set(err, CCON_E_JSON_SYNTAX, "%s", what);
	ccon_error_at_line(err, line, col);
	return -1;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_scalar_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       c == '-' || c == '+' || c == '.';
}

/* Blanks a comment starting at i (s->in[i] == '/'); returns the offset after
 * it, or 0 when it is no comment, or (size_t)-1 when unterminated. */
static size_t skip_comment(struct scan *s, size_t i)
{
	size_t j;

	if (i + 1 >= s->len || (s->in[i + 1] != '/' && s->in[i + 1] != '*'))
		return 0;
	if (s->in[i + 1] == '/') {
		for (j = i; j < s->len && s->in[j] != '\n'; j++)
			s->out[j] = ' ';
		s->notes->comments++;
		return j;
	}
	for (j = i + 2; j + 1 < s->len; j++)
		if (s->in[j] == '*' && s->in[j + 1] == '/')
			break;
	if (j + 1 >= s->len)
		return (size_t)-1;
	for (size_t k = i; k < j + 2; k++)
		if (s->out[k] != '\n')
			s->out[k] = ' ';
	s->notes->comments++;
	return j + 2;
}

/* Skips a string starting at the quote at i; returns the offset after the
 * closing quote, or len when it never closes (the parser reports that). */
static size_t skip_string(const struct scan *s, size_t i)
{
	for (size_t j = i + 1; j < s->len; j++) {
		if (s->in[j] == '\\')
			j++;
		else if (s->in[j] == '"')
			return j + 1;
	}
	return s->len;
}

static int push(struct scan *s, char kind, size_t off)
{
	if (s->depth == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct opener *st = realloc(s->stack, cap * sizeof(*st));

		if (!st)
			return -1;
		s->stack = st;
		s->cap = cap;
	}
	s->stack[s->depth].kind = kind;
	s->stack[s->depth].offset = off;
	s->depth++;
	return 0;
}

static void string_token(struct scan *s, size_t i)
{
	bool in_object = s->depth && s->stack[s->depth - 1].kind == '{';

	if (in_object && s->last == T_VALUE && s->last_end < i) {
		/* a value, then whitespace, then the next key: the comma is missing */
		s->out[s->last_end] = ',';
		s->notes->inserted_commas++;
		note_fix(s, s->last_end);
		s->last = T_COMMA;
	}
	if (in_object && (s->last == T_OPEN || s->last == T_COMMA))
		s->last = T_KEY;
	else
		s->last = T_VALUE;
}

static int scan_text(struct scan *s, struct ccon_error *err)
{
	size_t i = 0, next;

	if (s->len >= 3 && memcmp(s->in, "\xEF\xBB\xBF", 3) == 0) {
		memset(s->out, ' ', 3);
		i = 3;
	}
	while (i < s->len) {
		char c = s->in[i];

		if (is_space(c)) {
			i++;
			continue;
		}
		if (c == '/') {
			next = skip_comment(s, i);
			if (next == (size_t)-1)
				return syntax_at(s->in, i, err, "comment is never closed with */");
			if (next) {
				i = next;
				continue;
			}
		}
		if (c == '"') {
			next = skip_string(s, i);
			string_token(s, i);
			i = next;
		} else if (c == '{' || c == '[') {
			if (push(s, c, i) < 0)
				return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
			s->last = T_OPEN;
			i++;
		} else if (c == '}' || c == ']') {
			if (s->last == T_COMMA && s->comma_after_value) {
				s->out[s->comma_at] = ' ';
				s->notes->trailing_commas++;
				note_fix(s, s->comma_at);
			}
			if (s->depth && s->stack[s->depth - 1].kind == (c == '}' ? '{' : '['))
				s->depth--;
			s->last = T_VALUE;
			i++;
		} else if (c == ',') {
			s->comma_after_value = s->last == T_VALUE;
			s->last = T_COMMA;
			s->comma_at = i;
			i++;
		} else if (c == ':') {
			s->last = T_COLON;
			i++;
		} else if (is_scalar_char(c)) {
			while (i < s->len && is_scalar_char(s->in[i]))
				i++;
			s->last = T_VALUE;
		} else {
			s->last = T_OTHER;
			i++;
		}
		s->last_end = i;
	}
	return 0;
}

static int close_open(struct scan *s, unsigned flags, struct ccon_strbuf *out,
                      struct ccon_error *err)
{
	const struct opener *o;
	long line, col;

	if (!s->depth)
		return 0;
	o = &s->stack[s->depth - 1];
	if (!(flags & CCON_JSON_RELAXED_CLOSE_OPEN)) {
		position(s->in, o->offset, &line, &col);
		syntax_at(s->in, s->len, err, "");
		ccon_error_set(err, CCON_E_JSON_SYNTAX,
		               "the text ends with %zu container%s still open; the innermost %s "
		               "was opened at line %ld, column %ld",
		               s->depth, s->depth == 1 ? "" : "s",
		               o->kind == '{' ? "object" : "array", line, col);
		return -1;
	}
	if (s->last == T_COMMA && s->comma_after_value) {
		out->buf[out->len - s->len + s->comma_at] = ' ';
		s->notes->trailing_commas++;
		note_fix(s, s->comma_at);
	}
	note_fix(s, s->len);
	while (s->depth) {
		s->depth--;
		if (ccon_strbuf_putc(out, s->stack[s->depth].kind == '{' ? '}' : ']') < 0)
			return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
		s->notes->closed_at_end++;
	}
	return 0;
}

int ccon_json_relaxed_to_strict(const char *text, size_t len, unsigned flags,
                                struct ccon_strbuf *out, struct ccon_json_relaxed_notes *notes,
                                struct ccon_error *err)
{
	struct ccon_json_relaxed_notes dummy;
	struct scan s;
	size_t start = out->len;
	int rc;

	memset(&s, 0, sizeof(s));
	if (!notes)
		notes = &dummy;
	memset(notes, 0, sizeof(*notes));
	if (ccon_strbuf_append(out, text, len) < 0)
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	s.in = text;
	s.len = len;
	s.out = out->buf + start;
	s.notes = notes;
	s.last = T_NONE;
	rc = scan_text(&s, err);
	if (rc == 0)
		rc = close_open(&s, flags, out, err);
	free(s.stack);
	if (rc < 0)
		ccon_strbuf_truncate(out, start);
	return rc;
}

int ccon_json_relaxed_parse(const char *text, size_t len, unsigned flags, cJSON **out,
                            struct ccon_json_relaxed_notes *notes, struct ccon_error *err)
{
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	const char *end = NULL;
	size_t off;

	*out = NULL;
	if (ccon_json_relaxed_to_strict(text, len, flags, &sb, notes, err) < 0) {
		ccon_strbuf_free(&sb);
		return -1;
	}
	*out = cJSON_ParseWithLengthOpts(ccon_strbuf_cstr(&sb), sb.len, &end, false);
	off = end ? (size_t)(end - ccon_strbuf_cstr(&sb)) : sb.len;
	if (*out) {
		while (off < sb.len && is_space(sb.buf[off]))
			off++;
		if (off >= sb.len) {
			ccon_strbuf_free(&sb);
			return 0;
		}
		cJSON_Delete(*out);
		*out = NULL;
	}
	while (off < sb.len && is_space(sb.buf[off]))
		off++;
	ccon_strbuf_free(&sb);
	if (off >= len)
		return syntax_at(text, len, err, "JSON ends too early");
	return syntax_at(text, off, err, "JSON syntax error");
}
