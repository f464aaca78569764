/* libFuzzer target: the console's lazy CSV preview (csv_preview.h) over
 * arbitrary bytes - format detection (BOM, line ends, delimiter, header),
 * the index built in steps, rows read on demand, and the validation that
 * runs the importer in steps.
 *
 * Byte 0: bits 0-1 the delimiter (detect , ; TAB), bits 2-3 the header
 * (detect, yes, no, detect), bit 4 repeats the data past the first block
 * (CCON_CSV_CHUNK) so that records straddle the block boundary, bits 5-7
 * the index step (4^n bytes). The rest is the file, written to a memfd.
 * FUZZ_CSV_PREVIEW_NO_REPEAT set in the environment turns bit 4 off: each
 * repeated input is an 80 KB file, 30 times slower, so long runs use it.
 * Invariants:
 *   - open never fails on any bytes; the delimiter is , ; or TAB (the one
 *     asked for); the BOM is seen exactly when the file starts with one;
 *   - indexing in steps ends, bytes indexed are the file's, the rows known
 *     only grow, and stepping never changes what open indexed whole;
 *   - every row reads or fails with csv_unbalanced_quote / csv_invalid_utf8
 *     at a line of the file; rows start on strictly increasing lines within
 *     the file, ccon_csv_preview_row_at_line finds each one again, the row
 *     past the last is invalid_argument;
 *   - a field's length is at least its strlen (a NUL byte may be inside);
 *   - validation in steps ends, and with a header its counts are those of
 *     libccon's importer fed the whole file with the same delimiter: rows,
 *     rows in error, contacts (valid + duplicates); every error line is a
 *     line of the file.
 */
#include "config.h"

#include <ccon/csv_import.h>
#include <ccon/csv_preview.h>
#include <ccon/layout.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char layout_json[] =
	"{\"contact\":{\"contactCode\":\"{{contactCode}}\",\"channelType\":\"cloud_api\"},"
	"\"customFields\":{\"name\":\"{{name}}\"}}";

static int memfd = -1;
static char path[64];
static struct ccon_layout layout = CCON_LAYOUT_INIT;

static void fail(const char *what, const char *detail)
{
	fprintf(stderr, "csv preview: %s (%s)\n", what, detail ? detail : "");
	abort();
}

static void setup(void)
{
	struct ccon_error err = { 0 };

	memfd = memfd_create("fuzz_csv_preview", MFD_CLOEXEC);
	if (memfd < 0)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", memfd);
	if (ccon_layout_parse(layout_json, strlen(layout_json), &layout, &err) < 0)
		fail("the fixed layout", err.message);
}

static long count_lines(const char *s, size_t len)
{
	long n = 1;

	for (size_t i = 0; i < len; i++)
		if (s[i] == '\n' || (s[i] == '\r' && (i + 1 == len || s[i + 1] != '\n')))
			n++;
	return n;
}

struct counts {
	long max_line;
};

static int on_contact(void *ctx, const struct ccon_csv_contact *c)
{
	(void)ctx;
	(void)c;
	return 0;
}

static int on_error(void *ctx, const struct ccon_error *e)
{
	(void)ctx;
	(void)e;
	return 0;
}

static void importer_stats(const char *file, size_t len, char delim, struct ccon_csv_stats *st)
{
	struct ccon_csv_options o = { delim, 0 };
	struct ccon_csv_import *imp;
	struct ccon_error err = { 0 };

	memset(st, 0, sizeof(*st));
	if (ccon_csv_import_new(&layout, &o, on_contact, on_error, NULL, &imp, &err) < 0)
		fail("importer", err.message);
	if (ccon_csv_import_feed(imp, file, len, &err) == 0)
		ccon_csv_import_finish(imp, &err);
	ccon_csv_import_stats(imp, st);
	ccon_csv_import_free(imp);
}

static void check_rows(struct ccon_csv_preview *p, long lines)
{
	struct ccon_csv_row row;
	struct ccon_error err = { 0 };
	size_t n = ccon_csv_preview_rows_known(p);
	long last = 0;

	for (size_t r = 0; r < n; r++) {
		/* the start, the end, and every row near the first block's end */
		if (n > 64 && r >= 32 && r + 32 < n && (r % 97) != 0)
			continue;
		if (ccon_csv_preview_row(p, r, &row, &err) < 0) {
			if ((err.code != CCON_E_CSV_QUOTE && err.code != CCON_E_CSV_UTF8) ||
			    err.line < 1 || err.line > lines)
				fail("a row fails with a bad error", err.message);
			continue;
		}
		if (row.line <= last || row.line > lines)
			fail("row lines do not increase within the file", NULL);
		last = row.line;
		if (ccon_csv_preview_row_at_line(p, row.line) != (long)r)
			fail("row_at_line does not find the row again", NULL);
		for (size_t f = 0; f < row.n_fields; f++)
			if (!row.fields[f] || row.lens[f] < strlen(row.fields[f]))
				fail("a field shorter than its length", NULL);
	}
	if (ccon_csv_preview_row(p, n, &row, &err) == 0 || err.code != CCON_E_INVALID_ARGUMENT)
		fail("the row past the last reads", err.message);
}

static void check_validation(struct ccon_csv_preview *p, const char *file, size_t len,
                             long lines, size_t step)
{
	struct ccon_csv_validation *v;
	struct ccon_csv_progress pr;
	struct ccon_csv_stats st;
	struct ccon_error err = { 0 };
	const struct ccon_error *errs;
	size_t n_errs;
	int rc;

	if (ccon_csv_validation_new(p, &layout, &v, &err) < 0)
		fail("validation_new", err.message);
	for (int i = 0; (rc = ccon_csv_validation_step(v, step, &err)) == 0; i++)
		if (i > 1000000)
			fail("validation does not end", NULL);
	if (rc < 0)
		fail("validation step", err.message);
	ccon_csv_validation_progress(v, &pr);
	if (!pr.done)
		fail("validation ended not done", NULL);
	errs = ccon_csv_validation_errors(v, &n_errs);
	for (size_t i = 0; i < n_errs; i++)
		if (errs[i].line < 0 || errs[i].line > lines)
			fail("a validation error outside the file", errs[i].message);
	if (ccon_csv_preview_has_header(p)) {
		importer_stats(file, len, ccon_csv_preview_delimiter(p), &st);
		if (pr.rows_done != st.rows || pr.invalid != st.error_rows ||
		    pr.valid + pr.duplicates != st.contacts) {
			fprintf(stderr, "preview rows %zu invalid %zu valid %zu dups %zu; importer rows "
			        "%zu error rows %zu contacts %zu\n", pr.rows_done, pr.invalid, pr.valid,
			        pr.duplicates, st.rows, st.error_rows, st.contacts);
			fail("validation counts differ from the importer's", NULL);
		}
	}
	ccon_csv_validation_free(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char delims[] = { 0, ',', ';', '\t' };
	static const enum ccon_csv_header_mode headers[] = {
		CCON_CSV_HEADER_DETECT, CCON_CSV_HEADER_YES, CCON_CSV_HEADER_NO, CCON_CSV_HEADER_DETECT,
	};
	struct ccon_csv_preview_options o;
	struct ccon_csv_preview *p, *whole;
	struct ccon_error err = { 0 };
	char *file;
	size_t len, step, known = 0;
	long lines;
	int rc, guard = 0;

	if (size < 1 || size > 70000)
		return 0;
	if (memfd < 0)
		setup();
	len = size - 1;
	if ((data[0] & 0x10) && len > 0 && !getenv("FUZZ_CSV_PREVIEW_NO_REPEAT"))
		len = CCON_CSV_CHUNK + CCON_CSV_CHUNK / 4 + len;
	file = malloc(len + 1);
	if (!file)
		return 0;
	for (size_t i = 0; i < len; i += size - 1)
		memcpy(file + i, data + 1, len - i < size - 1 ? len - i : size - 1);
	if (ftruncate(memfd, 0) != 0 || pwrite(memfd, file, len, 0) != (ssize_t)len)
		abort();
	lines = count_lines(file, len);
	step = (size_t)1 << (2 * ((data[0] >> 5) & 7));
	o.delimiter = delims[data[0] & 3];
	o.header = headers[(data[0] >> 2) & 3];
	if (ccon_csv_preview_open(path, &o, &p, &err) < 0)
		fail("open", err.message);
	if (ccon_csv_preview_open(path, &o, &whole, &err) < 0)
		fail("open", err.message);
	if ((o.delimiter && ccon_csv_preview_delimiter(p) != o.delimiter) ||
	    !strchr(",;\t", ccon_csv_preview_delimiter(p)) || !ccon_csv_preview_delimiter(p))
		fail("a bad delimiter", NULL);
	if (ccon_csv_preview_had_bom(p) != (len >= 3 && memcmp(file, "\xef\xbb\xbf", 3) == 0))
		fail("the BOM", NULL);
	while ((rc = ccon_csv_preview_index_step(p, step, &err)) == 0) {
		if (ccon_csv_preview_rows_known(p) < known || ++guard > 10000000)
			fail("indexing goes back or does not end", NULL);
		known = ccon_csv_preview_rows_known(p);
	}
	if (rc < 0)
		fail("index step", err.message);
	/* a step may stop early (a quote left open goes back to its line) */
	for (guard = 0; (rc = ccon_csv_preview_index_step(whole, len + 1, &err)) == 0;)
		if (++guard > 1000)
			fail("indexing whole does not end", NULL);
	if (rc < 0)
		fail("index step (whole)", err.message);
	if (!ccon_csv_preview_indexed(p) ||
	    ccon_csv_preview_rows_known(p) != ccon_csv_preview_rows_known(whole) ||
	    ccon_csv_preview_bytes_indexed(p) != ccon_csv_preview_bytes_indexed(whole) ||
	    ccon_csv_preview_bytes_indexed(p) > len) {
		fprintf(stderr, "steps of %zu: indexed %d rows %zu bytes %llu; whole: rows %zu bytes "
		        "%llu; file %zu\n", step, ccon_csv_preview_indexed(p),
		        ccon_csv_preview_rows_known(p),
		        (unsigned long long)ccon_csv_preview_bytes_indexed(p),
		        ccon_csv_preview_rows_known(whole),
		        (unsigned long long)ccon_csv_preview_bytes_indexed(whole), len);
		fail("indexing in steps differs from indexing whole", NULL);
	}
	if ((ccon_csv_preview_encoding_error(p) == NULL) !=
	    (ccon_csv_preview_encoding_error(whole) == NULL))
		fail("the encoding error depends on the steps", NULL);
	check_rows(p, lines);
	check_validation(whole, file, len, lines, step < 64 ? 4096 : step);
	ccon_csv_preview_close(p);
	ccon_csv_preview_close(whole);
	free(file);
	return 0;
}
