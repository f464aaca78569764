#include "config.h"

#include <ccon/csv_import.h>
#include <ccon/csv_preview.h>

#include <unistd.h>

#include "suites.h"
#include "testutil.h"

#define LAYOUT "{\"contact\":{\"contactCode\":\"{{contactCode}}\",\"channelType\":\"cloud_api\"}}"
#define LAYOUT_NOHEAD "{\"contact\":{\"contactCode\":\"{{column1}}\",\"channelType\":\"cloud_api\"}}"

/* A temp file holding len bytes of text; the caller unlinks path. */
static void write_temp(char *path, const char *text, size_t len)
{
	int fd;

	strcpy(path, "/tmp/ccon-csvprev-XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
	close(fd);
}

static struct ccon_csv_preview *open_text(char *path, const char *text,
                                          const struct ccon_csv_preview_options *o)
{
	struct ccon_csv_preview *p;
	struct ccon_error err;

	write_temp(path, text, strlen(text));
	ccon_error_clear(&err);
	ck_assert_msg(ccon_csv_preview_open(path, o, &p, &err) == 0, "%s", err.message);
	return p;
}

static void row_is(struct ccon_csv_preview *p, size_t row, long line, size_t n, const char *f0,
                   const char *f1)
{
	struct ccon_csv_row r;
	struct ccon_error err;

	ccon_error_clear(&err);
	ck_assert_msg(ccon_csv_preview_row(p, row, &r, &err) == 0, "row %zu: %s", row, err.message);
	ck_assert_int_eq(r.line, line);
	ck_assert_uint_eq(r.n_fields, n);
	ck_assert_str_eq(r.fields[0], f0);
	if (f1)
		ck_assert_str_eq(r.fields[1], f1);
}

struct collected {
	struct ccon_error e[64];
	size_t n;
};

static int collect(void *ctx, const struct ccon_error *e)
{
	struct collected *c = ctx;

	if (c->n < 64)
		c->e[c->n++] = *e;
	return 0;
}

static void validate_all(struct ccon_csv_preview *p, const char *layout_text, size_t step,
                         struct ccon_csv_progress *pr, const struct ccon_error **errs, size_t *n,
                         struct ccon_csv_validation **vout)
{
	struct ccon_layout layout = CCON_LAYOUT_INIT;
	struct ccon_csv_validation *v;
	struct ccon_error err;
	int r;

	ck_assert_int_eq(ccon_layout_parse(layout_text, strlen(layout_text), &layout, &err), 0);
	ck_assert_msg(ccon_csv_validation_new(p, &layout, &v, &err) == 0, "%s", err.message);
	while ((r = ccon_csv_validation_step(v, step, &err)) == 0)
		;
	ck_assert_int_eq(r, 1);
	ccon_csv_validation_progress(v, pr);
	*errs = ccon_csv_validation_errors(v, n);
	*vout = v;
	ccon_layout_free(&layout);
}

/* Row i of the generated files: some quoted with delimiters, quotes and
 * line ends inside. */
static void gen_row(size_t i, char *code, size_t cs, char *name, size_t ns)
{
	snprintf(code, cs, "+346%08zu", 60000000 + i);
	if (i % 7 == 3)
		snprintf(name, ns, "Name %zu\nsecond \"line\", too", i);
	else
		snprintf(name, ns, "Name %zu", i);
}

static char *gen_file(size_t rows, const char *eol, size_t *len)
{
	size_t cap = 64 + rows * 64, n = 0, i;
	char *buf = malloc(cap);
	char code[32], name[96];

	ck_assert_ptr_nonnull(buf);
	n += (size_t)snprintf(buf + n, cap - n, "contactCode,name%s", eol);
	for (i = 0; i < rows; i++) {
		gen_row(i, code, sizeof(code), name, sizeof(name));
		if (strchr(name, '\n'))
			n += (size_t)snprintf(buf + n, cap - n, "%s,\"Name %zu%ssecond \"\"line\"\", too\"%s",
			                      code, i, eol, eol);
		else
			n += (size_t)snprintf(buf + n, cap - n, "%s,%s%s", code, name, eol);
	}
	*len = n;
	return buf;
}

START_TEST(first_screen_after_small_read)
{
	char path[64], code[32], name[96];
	size_t len, i;
	char *text = gen_file(200000, "\n", &len);
	struct ccon_csv_preview *p;
	struct ccon_error err;
	struct ccon_csv_row r;

	write_temp(path, text, len);
	free(text);
	ck_assert_int_eq(ccon_csv_preview_open(path, NULL, &p, &err), 0);
	ck_assert(!ccon_csv_preview_indexed(p));
	ck_assert_uint_ge(ccon_csv_preview_rows_known(p), 51);
	for (i = 0; i <= 50; i++) {
		gen_row(i, code, sizeof(code), name, sizeof(name));
		ck_assert_int_eq(ccon_csv_preview_row(p, i, &r, &err), 0);
		ck_assert_str_eq(r.fields[0], code);
		ck_assert_str_eq(r.fields[1], name);
	}
	ck_assert_uint_gt(ccon_csv_preview_file_size(p), 5000000);
	ck_assert_uint_le(ccon_csv_preview_bytes_read(p), 2 * CCON_CSV_CHUNK);
	ccon_csv_preview_close(p);
	unlink(path);
}
END_TEST

static void random_access(const char *eol)
{
	static const size_t rows[] = { 4999, 0, 3, 2500, 17, 4998, 1000 };
	char path[64], code[32], name[96];
	size_t len, i, k;
	char *text = gen_file(5000, eol, &len);
	struct ccon_csv_preview *p;
	struct ccon_error err;
	struct ccon_csv_row r;
	long line;

	write_temp(path, text, len);
	free(text);
	ck_assert_int_eq(ccon_csv_preview_open(path, NULL, &p, &err), 0);
	for (k = 0; k < sizeof(rows) / sizeof(rows[0]); k++) {
		i = rows[k];
		gen_row(i, code, sizeof(code), name, sizeof(name));
		if (strcmp(eol, "\r\n") == 0 && strchr(name, '\n')) {
			/* a quoted line end is kept as written */
			snprintf(name, sizeof(name), "Name %zu\r\nsecond \"line\", too", i);
		}
		ck_assert_msg(ccon_csv_preview_row(p, i, &r, &err) == 0, "%s", err.message);
		ck_assert_str_eq(r.fields[0], code);
		ck_assert_str_eq(r.fields[1], name);
		/* line: 1 header + every row before takes one line, two when multi-line */
		line = 2 + (long)i + (long)((i + 3) / 7);
		ck_assert_int_eq(r.line, line);
		ck_assert_int_eq(ccon_csv_preview_row_at_line(p, line), (long)i);
	}
	while (ccon_csv_preview_index_step(p, 100000, &err) == 0)
		;
	ck_assert_uint_eq(ccon_csv_preview_rows_known(p), 5000);
	ck_assert_int_eq(ccon_csv_preview_row(p, 5000, &r, &err), -1);
	ck_assert_errc(err, CCON_E_INVALID_ARGUMENT);
	ck_assert_ptr_null(ccon_csv_preview_encoding_error(p));
	ccon_csv_preview_close(p);
	unlink(path);
}

START_TEST(random_access_lf)
{
	random_access("\n");
}
END_TEST

START_TEST(random_access_crlf)
{
	random_access("\r\n");
}
END_TEST

START_TEST(quoted_multiline)
{
	char path[64];
	struct ccon_csv_preview *p = open_text(path, "a,b\n\"x\ny\",2\n\n3,\"4,\"\"5\"\"\"\n", NULL);

	ck_assert(ccon_csv_preview_indexed(p));
	ck_assert_uint_eq(ccon_csv_preview_rows_known(p), 2);
	row_is(p, 0, 2, 2, "x\ny", "2");
	row_is(p, 1, 5, 2, "3", "4,\"5\"");
	ck_assert_int_eq(ccon_csv_preview_row_at_line(p, 3), 0);
	ck_assert_int_eq(ccon_csv_preview_row_at_line(p, 1), -1);
	ccon_csv_preview_close(p);
	unlink(path);
}
END_TEST

/* "Index the rest" as one huge step reads the rest, not max_bytes (fuzz
 * finding: SIZE_MAX / 2 made a buffer of that size). */
START_TEST(huge_step_reads_the_rest)
{
	char path[64];
	size_t rows = 20000, calls = 0;
	struct ccon_strbuf sb;
	struct ccon_csv_preview *p;
	struct ccon_error err;
	int rc;

	ccon_strbuf_init(&sb);
	ck_assert_int_eq(ccon_strbuf_puts(&sb, "contactCode,name\n"), 0);
	for (size_t i = 0; i < rows; i++)
		ck_assert_int_eq(ccon_strbuf_printf(&sb, "+3466677%04zu,row %zu\n", i % 10000, i), 0);
	ck_assert_uint_gt(sb.len, 2 * CCON_CSV_CHUNK);
	p = open_text(path, ccon_strbuf_cstr(&sb), NULL);
	ck_assert(!ccon_csv_preview_indexed(p));
	while ((rc = ccon_csv_preview_index_step(p, SIZE_MAX / 2, &err)) == 0)
		ck_assert_uint_lt(++calls, 4);
	ck_assert_msg(rc == 1, "%s", err.message);
	ck_assert_uint_eq(ccon_csv_preview_rows_known(p), rows);
	row_is(p, rows - 1, (long)rows + 1, 2, "+34666779999", "row 19999");
	ccon_csv_preview_close(p);
	ccon_strbuf_free(&sb);
	unlink(path);
}
END_TEST

/* A quote never closed breaks its line only, as in the importer. */
START_TEST(unclosed_quote)
{
	char path[64];
	struct ccon_csv_preview *p =
		open_text(path, "contactCode,b\n+34666777888,\"open\n+34666777889,3\n4,5", NULL);
	struct ccon_layout layout = CCON_LAYOUT_INIT;
	struct collected want = { .n = 0 };
	struct ccon_csv_validation *v;
	struct ccon_csv_progress pr;
	const struct ccon_error *errs;
	struct ccon_csv_row r;
	struct ccon_error err;
	size_t n;

	while (ccon_csv_preview_index_step(p, 4096, &err) == 0)
		;
	ck_assert_uint_eq(ccon_csv_preview_rows_known(p), 3);
	ck_assert_int_eq(ccon_csv_preview_row(p, 0, &r, &err), -1);
	ck_assert_errc(err, CCON_E_CSV_QUOTE);
	ck_assert_int_eq(err.line, 2);
	row_is(p, 1, 3, 2, "+34666777889", "3");
	row_is(p, 2, 4, 2, "4", "5");
	ck_assert_int_eq(ccon_layout_parse(LAYOUT, strlen(LAYOUT), &layout, &err), 0);
	ccon_csv_import_path(path, &layout, NULL, NULL, collect, &want, NULL, &err);
	validate_all(p, LAYOUT, 5, &pr, &errs, &n, &v);
	ck_assert_uint_eq(n, want.n);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(errs[0].line, want.e[0].line);
	ck_assert_int_eq(errs[0].line, 2);
	ck_assert_int_eq(errs[1].line, 4);
	ck_assert_uint_eq(pr.valid, 1);
	ccon_csv_validation_free(v);
	ccon_layout_free(&layout);
	ccon_csv_preview_close(p);
	unlink(path);
}
END_TEST

/* A quoted field over the importer's limit breaks its line only too. */
START_TEST(long_quote_bounded)
{
	char path[64];
	size_t n = 3 * CCON_CSV_MAX_FIELD_DEFAULT, i;
	char *text = malloc(n + 64);
	struct ccon_csv_preview *p;
	struct ccon_error err;

	ck_assert_ptr_nonnull(text);
	i = (size_t)sprintf(text, "a,b\n1,\"x\n");
	for (; i < n; i += 4)
		memcpy(text + i, "2,3\n", 4);
	memcpy(text + i, "\"\n", 2); /* closes the quote, 3 field limits later */
	write_temp(path, text, i + 2);
	free(text);
	ck_assert_int_eq(ccon_csv_preview_open(path, NULL, &p, &err), 0);
	row_is(p, 1, 3, 2, "2", "3");
	while (ccon_csv_preview_index_step(p, 1 << 20, &err) == 0)
		;
	ck_assert_uint_eq(ccon_csv_preview_rows_known(p), 1 + (i - 9) / 4 + 1);
	ccon_csv_preview_close(p);
	unlink(path);
}
END_TEST

START_TEST(bom_and_header)
{
	char path[64];
	struct ccon_csv_preview *p =
		open_text(path, "\xEF\xBB\xBFname,phone\nAna,+34666777888\n", NULL);
	struct ccon_csv_row r;
	struct ccon_error err;

	ck_assert(ccon_csv_preview_had_bom(p));
	ck_assert(ccon_csv_preview_has_header(p));
	ck_assert_int_eq(ccon_csv_preview_header(p, &r, &err), 0);
	ck_assert_uint_eq(r.n_fields, 2);
	ck_assert_str_eq(r.fields[0], "name");
	row_is(p, 0, 2, 2, "Ana", "+34666777888");
	ck_assert_uint_eq(ccon_csv_preview_rows_known(p), 1);
	ccon_csv_preview_close(p);
	unlink(path);
}
END_TEST

START_TEST(crlf_semicolon)
{
	char path[64];
	struct ccon_csv_preview *p =
		open_text(path, "name;phone\r\nAna;1,5\r\n\"x\r\ny\";2\r\n", NULL);

	ck_assert_int_eq(ccon_csv_preview_delimiter(p), ';');
	ck_assert_uint_eq(ccon_csv_preview_rows_known(p), 2);
	row_is(p, 0, 2, 2, "Ana", "1,5");
	row_is(p, 1, 3, 2, "x\r\ny", "2");
	ccon_csv_preview_close(p);
	unlink(path);
}
END_TEST

START_TEST(bare_cr)
{
	char path[64];
	struct ccon_csv_preview *p = open_text(path, "name,phone\rAna,1\rBea,2", NULL);

	ck_assert_uint_eq(ccon_csv_preview_rows_known(p), 2);
	row_is(p, 1, 3, 2, "Bea", "2");
	ccon_csv_preview_close(p);
	unlink(path);
}
END_TEST

START_TEST(tab_detected)
{
	char path[64];
	struct ccon_csv_preview *p =
		open_text(path, "name\tphone\tnote\nAna\t1\ta, b; c\nBea\t2\tx;y\n", NULL);

	ck_assert_int_eq(ccon_csv_preview_delimiter(p), '\t');
	row_is(p, 0, 2, 3, "Ana", "1");
	ccon_csv_preview_close(p);
	unlink(path);
}
END_TEST

START_TEST(delimiter_override)
{
	char path[64];
	struct ccon_csv_preview_options o = { ';', CCON_CSV_HEADER_DETECT };
	struct ccon_csv_preview *p = open_text(path, "a,b\n1,2\n", &o);

	ck_assert_int_eq(ccon_csv_preview_delimiter(p), ';');
	row_is(p, 0, 2, 1, "1,2", NULL);
	ccon_csv_preview_close(p);
	unlink(path);
}
END_TEST

START_TEST(header_detection)
{
	char path[64];
	const char *text = "+34666777888,Ana\n+34666777889,Bea\n";
	struct ccon_csv_preview_options o = { 0, CCON_CSV_HEADER_YES };
	struct ccon_csv_preview *p = open_text(path, text, NULL);

	ck_assert(!ccon_csv_preview_has_header(p));
	ck_assert_uint_eq(ccon_csv_preview_rows_known(p), 2);
	row_is(p, 0, 1, 2, "+34666777888", "Ana");
	ccon_csv_preview_close(p);
	unlink(path);

	p = open_text(path, text, &o);
	ck_assert(ccon_csv_preview_has_header(p));
	ck_assert_uint_eq(ccon_csv_preview_rows_known(p), 1);
	ccon_csv_preview_close(p);
	unlink(path);

	/* names repeated: not a header */
	p = open_text(path, "a,a\n1,2\n", NULL);
	ck_assert(!ccon_csv_preview_has_header(p));
	ccon_csv_preview_close(p);
	unlink(path);
}
END_TEST

START_TEST(non_utf8_reported)
{
	char path[64];
	struct ccon_csv_preview *p = open_text(path, "name,phone\nAna,1\nB\xe9" "a,2\n", NULL);
	const struct ccon_error *e = ccon_csv_preview_encoding_error(p);
	struct ccon_csv_row r;
	struct ccon_error err;

	ck_assert_ptr_nonnull(e);
	ck_assert_errc(*e, CCON_E_CSV_UTF8);
	ck_assert_int_eq(e->line, 3);
	ck_assert_int_eq(e->column, 1);
	ck_assert_ptr_null(strchr(e->message, '\xe9'));
	row_is(p, 0, 2, 2, "Ana", "1");
	ck_assert_int_eq(ccon_csv_preview_row(p, 1, &r, &err), -1);
	ck_assert_errc(err, CCON_E_CSV_UTF8);
	ck_assert_int_eq(err.line, 3);
	ck_assert_int_eq(err.column, 1);
	ccon_csv_preview_close(p);
	unlink(path);
}
END_TEST

/* Small index steps cut UTF-8 sequences at block ends: none is an error. */
START_TEST(utf8_across_blocks)
{
	char path[64];
	size_t cap = 40 * 60000, n = 0, i;
	char *text = malloc(cap);
	struct ccon_csv_preview *p;
	struct ccon_error err;
	int r;

	ck_assert_ptr_nonnull(text);
	n += (size_t)snprintf(text, cap, "contactCode,name\n");
	for (i = 0; i < 60000; i++)
		n += (size_t)snprintf(text + n, cap - n, "+346%08zu,Jos\xc3\xa9 \xe2\x82\xac%zu\n",
		                      60000000 + i, i);
	write_temp(path, text, n);
	free(text);
	ck_assert_int_eq(ccon_csv_preview_open(path, NULL, &p, &err), 0);
	while ((r = ccon_csv_preview_index_step(p, 4096, &err)) == 0)
		;
	ck_assert_int_eq(r, 1);
	ck_assert_ptr_null(ccon_csv_preview_encoding_error(p));
	ck_assert_uint_eq(ccon_csv_preview_rows_known(p), 60000);
	ccon_csv_preview_close(p);
	unlink(path);
}
END_TEST

START_TEST(empty_file)
{
	char path[64];
	struct ccon_csv_preview *p = open_text(path, "", NULL);
	struct ccon_csv_row r;
	struct ccon_error err;

	ck_assert(ccon_csv_preview_indexed(p));
	ck_assert_uint_eq(ccon_csv_preview_rows_known(p), 0);
	ck_assert_int_eq(ccon_csv_preview_row(p, 0, &r, &err), -1);
	ck_assert_errc(err, CCON_E_INVALID_ARGUMENT);
	ccon_csv_preview_close(p);
	unlink(path);
}
END_TEST

static const char BROKEN[] =
	"contactCode,name\n"
	"+34666777888,Ana\n"
	"12,Bea\n"
	"+34666777889,\"Ca\nrla\"\n"
	"+34666777888,Ana again\n"
	"+34666777890\n"
	"+34666777891,Eva,extra\n"
	"\n"
	"+34666777892,\"x\"y\n"
	"+34666777893,Fin\n"
	"+34666777894,B\xe9" "a\n";

START_TEST(validation_matches_importer)
{
	char path[64];
	struct ccon_csv_preview *p = open_text(path, BROKEN, NULL);
	struct ccon_layout layout = CCON_LAYOUT_INIT;
	struct ccon_csv_validation *v;
	struct ccon_csv_progress pr;
	struct ccon_csv_stats st;
	struct collected want = { .n = 0 };
	const struct ccon_error *errs;
	struct ccon_error err;
	size_t n, i;

	ck_assert_int_eq(ccon_layout_parse(LAYOUT, strlen(LAYOUT), &layout, &err), 0);
	ccon_csv_import_path(path, &layout, NULL, NULL, collect, &want, &st, &err);
	validate_all(p, LAYOUT, 7, &pr, &errs, &n, &v);
	ck_assert_uint_ge(want.n, 4);
	ck_assert_uint_eq(n, want.n);
	for (i = 0; i < n; i++) {
		ck_assert_int_eq(errs[i].code, want.e[i].code);
		ck_assert_int_eq(errs[i].line, want.e[i].line);
		ck_assert_int_eq(errs[i].column, want.e[i].column);
		ck_assert_str_eq(errs[i].message, want.e[i].message);
	}
	/* the lines of the broken rows, as written above */
	ck_assert_int_eq(errs[0].line, 3);
	ck_assert_errc(errs[n - 1], CCON_E_CSV_UTF8);
	ck_assert_int_eq(errs[n - 1].line, 12);
	ck_assert_int_eq(errs[n - 1].column, 2);
	ck_assert(pr.done && !pr.cancelled);
	ck_assert_uint_eq(pr.rows_done, st.rows);
	ck_assert_uint_eq(pr.invalid, st.error_rows);
	ck_assert_uint_eq(pr.duplicates, 1);
	ck_assert_uint_eq(pr.valid + pr.duplicates, st.contacts);
	ck_assert_uint_eq(pr.bytes_done, pr.total_bytes);
	ck_assert(pr.eta == 0);
	ccon_csv_validation_free(v);
	ccon_layout_free(&layout);
	ccon_csv_preview_close(p);
	unlink(path);
}
END_TEST

/* Two BOMs: the importer takes off one, and the second is part of the
 * first column's name; validation used to start after the preview's BOM,
 * so the importer took the second for the first and found the column.
 * Found by fuzz_csv_preview. */
START_TEST(validation_second_bom_is_data)
{
	static const char text[] = "\xEF\xBB\xBF\xEF\xBB\xBF" "contactCode,name\n34666777888,Ann\n";
	char path[64];
	struct ccon_csv_preview *p = open_text(path, text, NULL);
	struct ccon_layout layout = CCON_LAYOUT_INIT;
	struct ccon_csv_validation *v;
	struct ccon_csv_progress pr;
	struct ccon_csv_stats st;
	struct collected want = { .n = 0 };
	const struct ccon_error *errs;
	struct ccon_error err;
	size_t n;

	ck_assert_int_eq(ccon_layout_parse(LAYOUT, strlen(LAYOUT), &layout, &err), 0);
	ccon_csv_import_path(path, &layout, NULL, NULL, collect, &want, &st, &err);
	validate_all(p, LAYOUT, 1 << 16, &pr, &errs, &n, &v);
	ck_assert_uint_eq(want.n, 1);
	ck_assert_errc(want.e[0], CCON_E_LAYOUT_NO_COLUMN);
	ck_assert_uint_eq(n, 1);
	ck_assert_errc(errs[0], CCON_E_LAYOUT_NO_COLUMN);
	ck_assert_int_eq(errs[0].line, 1);
	ck_assert_uint_eq(pr.valid, st.contacts);
	ck_assert_uint_eq(pr.valid, 0);
	ccon_csv_validation_free(v);
	ccon_layout_free(&layout);
	ccon_csv_preview_close(p);
	unlink(path);
}
END_TEST

START_TEST(validation_without_header)
{
	char path[64];
	struct ccon_csv_preview *p =
		open_text(path, "+34666777888,Ana\n12,Bea\n\n+34666777889,x,y\n", NULL);
	struct ccon_csv_validation *v;
	struct ccon_csv_progress pr;
	const struct ccon_error *errs;
	size_t n;

	ck_assert(!ccon_csv_preview_has_header(p));
	validate_all(p, LAYOUT_NOHEAD, 1 << 20, &pr, &errs, &n, &v);
	ck_assert_uint_eq(pr.rows_done, 3);
	ck_assert_uint_eq(pr.valid, 1);
	ck_assert_uint_eq(pr.invalid, 2);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(errs[0].line, 2);
	ck_assert_int_eq(errs[1].line, 4);
	ck_assert_errc(errs[1], CCON_E_CSV_FIELD_COUNT);
	ccon_csv_validation_free(v);
	ccon_csv_preview_close(p);
	unlink(path);
}
END_TEST

START_TEST(validation_cancel)
{
	char path[64];
	size_t len;
	char *text = gen_file(100000, "\n", &len);
	struct ccon_csv_preview *p;
	struct ccon_layout layout = CCON_LAYOUT_INIT;
	struct ccon_csv_validation *v;
	struct ccon_csv_progress pr;
	struct ccon_error err;

	write_temp(path, text, len);
	free(text);
	ck_assert_int_eq(ccon_csv_preview_open(path, NULL, &p, &err), 0);
	ck_assert_int_eq(ccon_layout_parse(LAYOUT, strlen(LAYOUT), &layout, &err), 0);
	ck_assert_int_eq(ccon_csv_validation_new(p, &layout, &v, &err), 0);
	ck_assert_int_eq(ccon_csv_validation_step(v, CCON_CSV_CHUNK, &err), 0);
	ccon_csv_validation_progress(v, &pr);
	ck_assert(!pr.done);
	ck_assert_uint_gt(pr.rows_done, 100);
	ck_assert_uint_eq(pr.valid, pr.rows_done);
	ck_assert(pr.rows_per_s > 0);
	ck_assert(pr.eta > 0);
	ck_assert_uint_eq(pr.bytes_done, CCON_CSV_CHUNK);
	ccon_csv_validation_cancel(v);
	ck_assert_int_eq(ccon_csv_validation_step(v, CCON_CSV_CHUNK, &err), 1);
	ccon_csv_validation_progress(v, &pr);
	ck_assert(pr.done && pr.cancelled);
	ck_assert_uint_lt(pr.bytes_done, pr.total_bytes / 10);
	ccon_csv_validation_free(v);
	ccon_layout_free(&layout);
	ccon_csv_preview_close(p);
	unlink(path);
}
END_TEST

/* Every code twice, the second time in reverse order, past many growths of
 * the set (its first table holds 512): each second one is a duplicate, no
 * first one is; codes that are prefixes of others stay distinct. */
START_TEST(validation_duplicates_many)
{
	char path[64];
	size_t rows = 6000, cap = 64 + 2 * rows * 24, len = 0;
	char *text = malloc(cap);
	struct ccon_csv_preview *p;
	struct ccon_csv_validation *v;
	struct ccon_csv_progress pr;
	const struct ccon_error *errs;
	struct ccon_error err;
	size_t n;

	ck_assert_ptr_nonnull(text);
	len += (size_t)snprintf(text + len, cap - len, "contactCode,n\n");
	for (size_t i = 0; i < 2 * rows; i++) {
		size_t k = i < rows ? i : 2 * rows - 1 - i;

		/* +346660000 + k: 10 to 13 digits, "+3466600001" a prefix of "+34666000010" */
		len += (size_t)snprintf(text + len, cap - len, "+346660000%zu,%zu\n", k, i);
	}
	write_temp(path, text, len);
	free(text);
	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_csv_preview_open(path, NULL, &p, &err), 0);
	validate_all(p, LAYOUT, 1 << 16, &pr, &errs, &n, &v);
	ck_assert_uint_eq(n, 0);
	ck_assert_uint_eq(pr.rows_done, 2 * rows);
	ck_assert_uint_eq(pr.valid, rows);
	ck_assert_uint_eq(pr.duplicates, rows);
	ccon_csv_validation_free(v);
	ccon_csv_preview_close(p);
	unlink(path);
}
END_TEST

/* The scanner's run over plain text stops at what matters: blanks before
 * a quoted field keep it quoted (its delimiter and line end are data), a
 * quote inside plain text is not an opening one. */
START_TEST(blanks_before_quote)
{
	char path[64];
	struct ccon_csv_preview *p =
		open_text(path, "a,b\nx1,  \"q,\nr\"\nx2,ab\"c\ny3,\t\"\"\n", NULL);
	struct ccon_csv_row r;
	struct ccon_error err;

	ck_assert_int_eq(ccon_csv_preview_index_step(p, 1 << 16, &err), 1);
	ck_assert_uint_eq(ccon_csv_preview_rows_known(p), 3);
	row_is(p, 0, 2, 2, "x1", "q,\nr");
	ck_assert_int_eq(ccon_csv_preview_row(p, 1, &r, &err), -1);
	ck_assert_errc(err, CCON_E_CSV_QUOTE);
	ck_assert_int_eq(err.line, 4);
	row_is(p, 2, 5, 2, "y3", "");
	ccon_csv_preview_close(p);
	unlink(path);
}
END_TEST

/* Plain lines (whole lines at a time), empty and CR-only lines, quoted
 * fields over two lines and a byte that is not UTF-8, over many blocks:
 * every record starts on the line it was written on. */
START_TEST(mixed_lines_over_blocks)
{
	char path[64];
	size_t cap = 3000 * 48, len = 0, n_rows = 0, i;
	char *text = malloc(cap);
	long *lines = malloc(3000 * sizeof(*lines)), line = 2, bad_line = 0;
	struct ccon_csv_preview *p;
	const struct ccon_error *enc;
	struct ccon_csv_row r;
	struct ccon_error err;
	int rc;

	ck_assert(text && lines);
	len += (size_t)snprintf(text + len, cap - len, "name,phone,city\n");
	for (i = 0; i < 2500; i++) {
		if (i % 50 == 7) {
			len += (size_t)snprintf(text + len, cap - len, "\n");
			line++;
			continue;
		}
		if (i % 50 == 9) {
			len += (size_t)snprintf(text + len, cap - len, "\r\r\n");
			line++;
			continue;
		}
		lines[n_rows++] = line;
		if (i % 50 == 11) {
			len += (size_t)snprintf(text + len, cap - len, "N%zu,\"1\n2\",x\n", i);
			line += 2;
		} else if (i == 1999) {
			bad_line = line;
			len += (size_t)snprintf(text + len, cap - len, "N%zu,%zu,M\xe1laga\n", i,
			                        i);
			line++;
		} else {
			len += (size_t)snprintf(text + len, cap - len, "N%zu,%zu,M\xc3\xa1laga\n", i,
			                        i);
			line++;
		}
	}
	write_temp(path, text, len);
	free(text);
	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_csv_preview_open(path, NULL, &p, &err), 0);
	while ((rc = ccon_csv_preview_index_step(p, 4096, &err)) == 0)
		;
	ck_assert_int_eq(rc, 1);
	ck_assert_uint_eq(ccon_csv_preview_rows_known(p), n_rows);
	for (i = 0; i < n_rows; i++) {
		if (ccon_csv_preview_row(p, i, &r, &err) < 0) {
			ck_assert_errc(err, CCON_E_CSV_UTF8);
			r.line = err.line;
		}
		ck_assert_int_eq(r.line, lines[i]);
	}
	enc = ccon_csv_preview_encoding_error(p);
	ck_assert_ptr_nonnull(enc);
	ck_assert_int_eq(enc->line, bad_line);
	ck_assert_int_eq(enc->column, 3);
	ccon_csv_preview_close(p);
	free(lines);
	unlink(path);
}
END_TEST

Suite *ccon_suite_csv_preview(void)
{
	Suite *s = suite_create("csv_preview");
	TCase *tc = tcase_create("csv_preview");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, first_screen_after_small_read);
	tcase_add_test(tc, random_access_lf);
	tcase_add_test(tc, random_access_crlf);
	tcase_add_test(tc, quoted_multiline);
	tcase_add_test(tc, unclosed_quote);
	tcase_add_test(tc, huge_step_reads_the_rest);
	tcase_add_test(tc, long_quote_bounded);
	tcase_add_test(tc, bom_and_header);
	tcase_add_test(tc, crlf_semicolon);
	tcase_add_test(tc, bare_cr);
	tcase_add_test(tc, tab_detected);
	tcase_add_test(tc, delimiter_override);
	tcase_add_test(tc, header_detection);
	tcase_add_test(tc, non_utf8_reported);
	tcase_add_test(tc, utf8_across_blocks);
	tcase_add_test(tc, empty_file);
	tcase_add_test(tc, validation_matches_importer);
	tcase_add_test(tc, validation_second_bom_is_data);
	tcase_add_test(tc, validation_without_header);
	tcase_add_test(tc, validation_cancel);
	tcase_add_test(tc, validation_duplicates_many);
	tcase_add_test(tc, blanks_before_quote);
	tcase_add_test(tc, mixed_lines_over_blocks);
	suite_add_tcase(s, tc);
	return s;
}
