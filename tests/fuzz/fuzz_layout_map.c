/* libFuzzer target: the CSV preview's layout mapping (layout_map.h) - a
 * layout file loaded as text, text typed into a slot, and rows resolved
 * through the mapping.
 *
 * Input: byte 0 picks the slot typed into (bits 0-2) and whether the file
 * is loaded before the typing (bit 3); the rest splits at NUL bytes into a
 * layout text, a header, a row (fields separated by ','), and the text
 * typed. Invariants:
 *   - load_text and set_text succeed or fail with nothing changed, and
 *     set_text refuses exactly what ccon_layout_map_check refuses; errors
 *     carry a message;
 *   - a mapping that builds gives JSON that loads back to the same JSON;
 *   - resolving never fails but for memory; n_errors counts the slots in
 *     error and the row error; a slot has a value or an error, and every
 *     error is at the row's line;
 *   - a mapping that builds resolves a row as libccon's importer reads the
 *     same header and row as CSV: valid exactly when the importer makes a
 *     contact, with its contact code and custom field values, else the
 *     importer's error code is one of the mapping's (unless the importer
 *     refused the header: the mapping shows that on each slot instead; a
 *     #contextvariables# cell is not the mapping's to check).
 */
#include "config.h"

#include <ccon/csv_import.h>
#include <ccon/layout_map.h>
#include <ccon/strbuf.h>
#include <ccon/utf8.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_FIELDS 16

struct fields {
	char *v[MAX_FIELDS];
	size_t len[MAX_FIELDS];
	size_t n;
	bool utf8;
};

static void fail(const char *what, const char *detail)
{
	fprintf(stderr, "layout map: %s (%s)\n", what, detail ? detail : "");
	abort();
}

/* The next NUL-terminated part of [*p, end), or the rest. */
static const char *part(const char **p, const char *end, size_t *len)
{
	const char *s = *p, *nul = memchr(s, '\0', (size_t)(end - s));

	*len = nul ? (size_t)(nul - s) : (size_t)(end - s);
	*p = nul ? nul + 1 : end;
	return s;
}

static void split(const char *s, size_t len, struct fields *f)
{
	size_t start = 0;

	f->n = 0;
	f->utf8 = ccon_utf8_valid(s, len, NULL);
	for (size_t i = 0; i <= len && f->n < MAX_FIELDS; i++)
		if (i == len || s[i] == ',') {
			f->v[f->n] = strndup(s + start, i - start);
			if (!f->v[f->n])
				abort();
			f->len[f->n++] = i - start;
			start = i + 1;
		}
}

static void fields_free(struct fields *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->v[i]);
}

/* Every slot's name, kind and text: what "nothing changed" compares. */
static void snapshot(const struct ccon_layout_map *m, struct ccon_strbuf *sb)
{
	ccon_strbuf_reset(sb);
	for (size_t i = 0; i < ccon_layout_map_slots(m); i++) {
		const struct ccon_map_value *v = ccon_layout_map_value(m, i);

		ccon_strbuf_printf(sb, "%s=%d:", ccon_layout_map_name(m, i), (int)v->kind);
		if (v->text)
			ccon_strbuf_append(sb, v->text, strlen(v->text));
		ccon_strbuf_putc(sb, '\n');
	}
}

static void check_error(const struct ccon_error *e, const char *what)
{
	if (e->code == CCON_E_OK || !e->message[0])
		fail(what, "an error without a code or a message");
	if (e->code == CCON_E_NOMEM)
		fail(what, "out of memory");
}

static void check_round_trip(const struct ccon_layout_map *m, const struct fields *header)
{
	struct ccon_layout_map *m2;
	struct ccon_error err = { 0 };
	char *a = NULL, *b = NULL;

	if (ccon_layout_map_json(m, false, &a, &err) < 0)
		return;
	if (ccon_layout_map_new((const char *const *)header->v, header->n, NULL, &m2, &err) < 0)
		fail("new", err.message);
	if (ccon_layout_map_load_text(m2, a, strlen(a), &err) < 0) {
		fprintf(stderr, "%s\n", a);
		fail("the mapping's JSON does not load", err.message);
	}
	if (ccon_layout_map_json(m2, false, &b, &err) < 0 || strcmp(a, b) != 0) {
		fprintf(stderr, "%s\n%s\n", a, b ? b : "");
		fail("the mapping's JSON loads back differently", err.message);
	}
	free(a);
	free(b);
	ccon_layout_map_free(m2);
}

struct imported {
	size_t contacts;
	char code[CCON_E164_BUFSIZE];
	struct ccon_strbuf fields;   /* name=value\n, layout order */
	enum ccon_errc codes[8];
	size_t n_codes;
	struct ccon_error first;
};

static int on_contact(void *ctx, const struct ccon_csv_contact *c)
{
	struct imported *r = ctx;

	r->contacts++;
	snprintf(r->code, sizeof(r->code), "%s", c->contact_code);
	for (size_t i = 0; i < c->n_custom_fields; i++) {
		ccon_strbuf_printf(&r->fields, "%s=", c->custom_fields[i].name);
		ccon_strbuf_append(&r->fields, c->custom_fields[i].value, c->custom_fields[i].len);
		ccon_strbuf_putc(&r->fields, '\n');
	}
	return 0;
}

static int on_error(void *ctx, const struct ccon_error *e)
{
	struct imported *r = ctx;

	if (!r->n_codes)
		r->first = *e;
	if (r->n_codes < sizeof(r->codes) / sizeof(r->codes[0]))
		r->codes[r->n_codes++] = e->code;
	return 0;
}

static void csv_line(struct ccon_strbuf *sb, const struct fields *f)
{
	for (size_t i = 0; i < f->n; i++) {
		if (i)
			ccon_strbuf_putc(sb, ',');
		ccon_strbuf_putc(sb, '"');
		for (size_t j = 0; j < f->len[i]; j++) {
			if (f->v[i][j] == '"')
				ccon_strbuf_putc(sb, '"');
			ccon_strbuf_putc(sb, f->v[i][j]);
		}
		ccon_strbuf_putc(sb, '"');
	}
	ccon_strbuf_putc(sb, '\n');
}

static void dump(const struct ccon_map_row *row, const struct imported *r,
                 const struct ccon_strbuf *csv)
{
	fprintf(stderr, "%s", csv->buf);
	if (row->row_err.code)
		fprintf(stderr, "mapping: row: %s\n", row->row_err.message);
	for (size_t i = 0; i < row->n_slots; i++)
		if (row->slots[i].err.code)
			fprintf(stderr, "mapping: slot %zu: %s %s\n", i,
			        ccon_errc_name(row->slots[i].err.code), row->slots[i].err.message);
	fprintf(stderr, "importer: %zu contacts, %zu errors, first: %ld:%ld %s %s\n", r->contacts,
	        r->n_codes, r->first.line, r->first.column,
	        r->n_codes ? ccon_errc_name(r->first.code) : "", r->first.message);
}

static bool has_code(const struct ccon_map_row *row, enum ccon_errc code)
{
	if (row->row_err.code == code)
		return true;
	for (size_t i = 0; i < row->n_slots; i++)
		if (row->slots[i].err.code == code)
			return true;
	return false;
}

static void compare_with_importer(const struct ccon_layout_map *m, const struct fields *header,
                                  const struct fields *row_fields,
                                  const struct ccon_map_row *row)
{
	struct ccon_csv_options o = { ',', 0 };
	struct ccon_strbuf csv = CCON_STRBUF_INIT, mine = CCON_STRBUF_INIT;
	struct imported r = { 0 };
	struct ccon_csv_import *imp;
	struct ccon_layout l;
	struct ccon_error err = { 0 };

	if (ccon_layout_map_build(m, &l, &err) < 0)
		return;
	csv_line(&csv, header);
	csv_line(&csv, row_fields);
	if (ccon_csv_import_new(&l, &o, on_contact, on_error, &r, &imp, &err) < 0)
		fail("importer", err.message);
	if (ccon_csv_import_feed(imp, csv.buf, csv.len, &err) == 0)
		ccon_csv_import_finish(imp, &err);
	ccon_csv_import_free(imp);
	ccon_layout_free(&l);
	if (r.n_codes && r.first.line == 1)
		goto done;   /* a header the layout cannot bind: the importer stops there */
	if (r.n_codes == 1 && r.codes[0] == CCON_E_CSV_CONTEXT_VARIABLES)
		goto done;   /* the #contextvariables# cell is the validation's, not the mapping's */
	if ((row->n_errors == 0) != (r.contacts == 1 && r.n_codes == 0)) {
		dump(row, &r, &csv);
		fail("the mapping and the importer disagree on a row", NULL);
	}
	if (row->n_errors == 0) {
		if (strcmp(row->contact_code, r.code) != 0)
			fail("another contact code", r.code);
		for (size_t i = CCON_MAP_FIRST_CUSTOM; i < row->n_slots; i++) {
			ccon_strbuf_printf(&mine, "%s=", ccon_layout_map_name(m, i));
			ccon_strbuf_append(&mine, row->slots[i].value, row->slots[i].len);
			ccon_strbuf_putc(&mine, '\n');
		}
		if (mine.len != r.fields.len || (mine.len && memcmp(mine.buf, r.fields.buf, mine.len)))
			fail("other custom field values", NULL);
	} else if (r.n_codes && !has_code(row, r.codes[0])) {
		dump(row, &r, &csv);
		fail("the importer's error is not the mapping's", ccon_errc_name(r.codes[0]));
	}
done:
	ccon_strbuf_free(&csv);
	ccon_strbuf_free(&mine);
	ccon_strbuf_free(&r.fields);
}

static void check_resolve(const struct ccon_layout_map *m, const struct fields *header,
                          const struct fields *row_fields)
{
	struct ccon_map_row row = CCON_MAP_ROW_INIT;
	struct ccon_error err = { 0 };
	size_t errors = 0;

	if (ccon_layout_map_resolve(m, (const char *const *)row_fields->v, row_fields->len,
	                            row_fields->n, 2, &row, &err) < 0)
		fail("resolve", err.message);
	if (row.row_err.code != CCON_E_OK) {
		errors++;
		if (row.row_err.line != 2)
			fail("the row error is not at the row's line", row.row_err.message);
	}
	if (row.n_slots != ccon_layout_map_slots(m))
		fail("resolve gives another number of slots", NULL);
	for (size_t i = 0; i < row.n_slots; i++) {
		if (row.slots[i].err.code == CCON_E_OK)
			continue;
		errors++;
		check_error(&row.slots[i].err, "a slot's error");
		if (row.slots[i].err.line != 2)
			fail("a slot's error is not at the row's line", row.slots[i].err.message);
	}
	if (errors != row.n_errors)
		fail("n_errors does not count the errors", NULL);
	if (row.n_errors == 0) {
		for (size_t i = 0; i < row.n_slots; i++)
			if (!row.slots[i].value || strlen(row.slots[i].value) > row.slots[i].len)
				fail("a good slot without its value", NULL);
		if (row.contact_code[0] != '+')
			fail("a good row without a contact code", row.contact_code);
	}
	if (header->utf8 && row_fields->utf8)
		compare_with_importer(m, header, row_fields, &row);
	ccon_map_row_free(&row);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data + 1, *end = (const char *)data + size;
	const char *layout_text, *header_text, *row_text, *typed;
	size_t layout_len, header_len, row_len, typed_len, slot;
	struct fields header, row_fields;
	struct ccon_strbuf before = CCON_STRBUF_INIT, after = CCON_STRBUF_INIT;
	struct ccon_layout_map *m;
	struct ccon_error err = { 0 }, check_err = { 0 };
	char *typed_z;
	int checked, set;

	if (size < 1 || size > 20000)
		return 0;
	layout_text = part(&p, end, &layout_len);
	header_text = part(&p, end, &header_len);
	row_text = part(&p, end, &row_len);
	typed = part(&p, end, &typed_len);
	split(header_text, header_len, &header);
	split(row_text, row_len, &row_fields);
	if (ccon_layout_map_new((const char *const *)header.v, header.n, NULL, &m, &err) < 0) {
		check_error(&err, "new");
		goto out_fields;
	}

	if (data[0] & 8) {
		snapshot(m, &before);
		if (ccon_layout_map_load_text(m, layout_text, layout_len, &err) < 0) {
			check_error(&err, "load_text");
			snapshot(m, &after);
			if (strcmp(before.buf, after.buf) != 0)
				fail("a failed load changed the mapping", err.message);
		}
	}

	slot = (size_t)(data[0] & 7) % ccon_layout_map_slots(m);
	if (!(typed_z = strndup(typed, typed_len)))
		abort();
	snapshot(m, &before);
	checked = ccon_layout_map_check(m, slot, typed_z, &check_err);
	set = ccon_layout_map_set_text(m, slot, typed_z, &err);
	if (checked != set)
		fail("set_text and check disagree", set < 0 ? err.message : check_err.message);
	if (set < 0) {
		check_error(&err, "set_text");
		snapshot(m, &after);
		if (strcmp(before.buf, after.buf) != 0)
			fail("a refused text changed the mapping", err.message);
	}
	free(typed_z);

	check_round_trip(m, &header);
	check_resolve(m, &header, &row_fields);
	ccon_layout_map_free(m);
out_fields:
	ccon_strbuf_free(&before);
	ccon_strbuf_free(&after);
	fields_free(&header);
	fields_free(&row_fields);
	return 0;
}
