/* libFuzzer harness for the CSV importer (src/core/csv_import.c) and the
 * layout parser (src/core/layout.c).
 *
 * Input: byte 0 picks the mode and options, byte 1 the chunk sizes, the rest
 * is the data.
 *   mode 0 (byte 0 even): a fixed layout (seed 001 example 1 plus a mixed
 *          template) and the data as the CSV;
 *   mode 1 (byte 0 odd):  the data up to the first NUL is a layout JSON, the
 *          rest the CSV; a layout that parses must survive encode + parse.
 * Invariants, checked with abort():
 *   - every error and contact line is within the input's lines, every column
 *     within its fields;
 *   - contacts + rows with errors <= rows;
 *   - each contact code is "+" and 7..15 digits;
 *   - feeding the CSV whole and in fuzzer-chosen chunks gives the same
 *     contacts, errors, messages and counters.
 */
#include <ccon/csv_import.h>
#include <ccon/json_util.h>
#include <ccon/layout.h>
#include <ccon/strbuf.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char fixed_layout[] =
	"{\"contact\":{\"contactCode\":\"{{contactCode}}\",\"channelType\":\"{{channelType}}\"},"
	"\"customFields\":{\"name\":\"Mr {{nombre}}\",\"ticketId\":\"{{ticket_id}}\","
	"\"age\":\"{{edad}}\",\"fixed\":\"10%\"}}";

struct result {
	struct ccon_strbuf log;
	long max_line, max_column;
	int bad;
};

static void check_pos(struct result *r, long line, long column)
{
	if (line < 0 || line > r->max_line || column < 0 || column > r->max_column) {
		fprintf(stderr, "position %ld:%ld out of range (%ld lines, %ld columns)\n", line,
		        column, r->max_line, r->max_column);
		abort();
	}
}

static int on_contact(void *ctx, const struct ccon_csv_contact *c)
{
	struct result *r = ctx;
	size_t n = strlen(c->contact_code);

	check_pos(r, c->line, 0);
	if (c->line < 1 || n < 8 || n > 16 || c->contact_code[0] != '+' ||
	    strspn(c->contact_code + 1, "0123456789") != n - 1) {
		fprintf(stderr, "bad contact code \"%s\" at line %ld\n", c->contact_code, c->line);
		abort();
	}
	ccon_strbuf_printf(&r->log, "C%ld %s %s", c->line, c->contact_code, c->channel_type);
	for (size_t i = 0; i < c->n_custom_fields; i++) {
		if (strlen(c->custom_fields[i].value) != c->custom_fields[i].len)
			abort();
		ccon_strbuf_printf(&r->log, " %s=", c->custom_fields[i].name);
		ccon_strbuf_append(&r->log, c->custom_fields[i].value, c->custom_fields[i].len);
	}
	if (c->context_variables)
		ccon_strbuf_append(&r->log, c->context_variables, c->context_variables_len);
	ccon_strbuf_putc(&r->log, '\n');
	return 0;
}

static int on_error(void *ctx, const struct ccon_error *e)
{
	struct result *r = ctx;

	check_pos(r, e->line, e->column);
	ccon_strbuf_printf(&r->log, "E%ld:%ld %s %s %s\n", e->line, e->column,
	                   ccon_errc_name(e->code), e->path, e->message);
	return 0;
}

static int run(const struct ccon_layout *layout, const struct ccon_csv_options *opts,
               const uint8_t *csv, size_t len, unsigned chunk_seed, struct result *r,
               struct ccon_csv_stats *st)
{
	struct ccon_csv_import *imp;
	struct ccon_error err;
	size_t off = 0;
	int rc = 0;

	if (ccon_csv_import_new(layout, opts, on_contact, on_error, r, &imp, &err) < 0)
		abort();
	while (off < len && rc == 0) {
		size_t n = len - off;

		if (chunk_seed) {
			/* chunk sizes 1..chunk_seed, varying along the input */
			size_t k = 1 + (off * 31 + chunk_seed) % chunk_seed;

			n = n < k ? n : k;
		}
		rc = ccon_csv_import_feed(imp, csv + off, n, &err);
		off += n;
	}
	if (rc == 0)
		rc = ccon_csv_import_finish(imp, &err);
	ccon_csv_import_stats(imp, st);
	ccon_csv_import_free(imp);
	if (st->contacts + st->error_rows > st->rows) {
		fprintf(stderr, "contacts %zu + error rows %zu > rows %zu\n", st->contacts,
		        st->error_rows, st->rows);
		abort();
	}
	if (rc < 0 && err.code == CCON_E_NOMEM)
		abort();
	return rc;
}

static void check_layout_round_trip(const struct ccon_layout *l)
{
	struct ccon_strbuf a = CCON_STRBUF_INIT, b = CCON_STRBUF_INIT;
	struct ccon_layout l2;
	struct ccon_error err;
	cJSON *json;

	if (ccon_layout_encode(l, &json) < 0 || ccon_json_print(json, &a) < 0)
		abort();
	cJSON_Delete(json);
	if (ccon_layout_parse(a.buf, a.len, &l2, &err) < 0) {
		fprintf(stderr, "encoded layout does not parse: %s\n%s\n", err.message, a.buf);
		abort();
	}
	if (ccon_layout_encode(&l2, &json) < 0 || ccon_json_print(json, &b) < 0)
		abort();
	cJSON_Delete(json);
	if (strcmp(a.buf, b.buf) != 0)
		abort();
	ccon_layout_free(&l2);
	ccon_strbuf_free(&a);
	ccon_strbuf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char delims[] = { 0, ',', ';', '\t' };
	static const size_t max_fields[] = { 0, 8, 64, 1024 };
	struct ccon_csv_options opts;
	struct ccon_layout layout;
	struct ccon_error err;
	struct result whole, chunked;
	struct ccon_csv_stats st1, st2;
	const uint8_t *csv;
	size_t csv_len, seps = 0;
	int rc1, rc2;

	if (size < 2)
		return 0;
	opts.delimiter = delims[(data[0] >> 1) & 3];
	opts.max_field = max_fields[(data[0] >> 3) & 3];
	if (data[0] & 1) {
		const uint8_t *nul = memchr(data + 2, 0, size - 2);
		size_t llen = nul ? (size_t)(nul - (data + 2)) : size - 2;

		if (ccon_layout_parse((const char *)data + 2, llen, &layout, &err) < 0)
			return 0;
		check_layout_round_trip(&layout);
		csv = nul ? nul + 1 : data + size;
		csv_len = (size_t)(data + size - csv);
	} else {
		if (ccon_layout_parse(fixed_layout, strlen(fixed_layout), &layout, &err) < 0)
			abort();
		csv = data + 2;
		csv_len = size - 2;
	}

	memset(&whole, 0, sizeof(whole));
	whole.max_line = 1;
	for (size_t i = 0; i < csv_len; i++) {
		if (csv[i] == '\n' || csv[i] == '\r')
			whole.max_line++;
		if (csv[i] == ',' || csv[i] == ';' || csv[i] == '\t')
			seps++;
	}
	whole.max_column = (long)seps + 2;
	chunked = whole;

	rc1 = run(&layout, &opts, csv, csv_len, 0, &whole, &st1);
	rc2 = run(&layout, &opts, csv, csv_len, data[1] ? data[1] : 1, &chunked, &st2);
	if (rc1 != rc2 || st1.rows != st2.rows || st1.contacts != st2.contacts ||
	    st1.errors != st2.errors || st1.error_rows != st2.error_rows ||
	    st1.lines != st2.lines || st1.delimiter != st2.delimiter ||
	    strcmp(ccon_strbuf_cstr(&whole.log), ccon_strbuf_cstr(&chunked.log)) != 0) {
		fprintf(stderr, "whole and chunked (seed %u) differ:\n--- whole\n%s--- chunked\n%s",
		        data[1], ccon_strbuf_cstr(&whole.log), ccon_strbuf_cstr(&chunked.log));
		abort();
	}
	ccon_strbuf_free(&whole.log);
	ccon_strbuf_free(&chunked.log);
	ccon_layout_free(&layout);
	return 0;
}
