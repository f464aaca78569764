/* ccon/csv_preview.h - the model of the console's CSV import preview.
 *
 * A preview opens a CSV file lazily: ccon_csv_preview_open reads only the
 * first block (CCON_CSV_CHUNK bytes), detects the format from it and indexes
 * the records it holds. The rest of the file is indexed in steps the caller
 * runs between frames (ccon_csv_preview_index_step): no thread, no global
 * state. The index holds where each record starts (byte offset and physical
 * line); a record is a CSV record, so a quoted field may span lines. Reading
 * a row parses only that row's bytes (libcsv, strict, as the importer).
 * Empty lines are skipped, as the importer skips them. A quoted field never
 * closed, or longer than CCON_CSV_MAX_FIELD_DEFAULT bytes, ends its record
 * at the end of the line where it opened, and the next line starts a new
 * record: the importer's own recovery, so row lines agree with its errors.
 * The index costs 24 bytes a record (about 24 MB for a million rows).
 *
 * Detection, from the first block: a UTF-8 BOM is skipped; LF, CRLF or bare
 * CR line ends (from the first line end); the delimiter (',', ';' or TAB:
 * the one that splits the first records into the same number (> 1) of
 * fields, the most frequent in the first record otherwise, ',' on a tie);
 * the header (the first record is a header when its fields are all
 * non-empty, distinct and hold no digit, and the second record has a field
 * with a digit). Both can be overridden at open.
 *
 * Bytes that are not UTF-8 are found while indexing: the first one is kept
 * as an error (CCON_E_CSV_UTF8, its physical line and 1-based field number,
 * the byte offset and value in the message, never the raw bytes); reading a
 * row with such a field fails with the same kind of error.
 *
 * Validation runs libccon's importer (csv_import.h) over the whole file in
 * steps, with the preview's delimiter, so its counts and errors are exactly
 * the importer's. A file without a header gets a synthetic one (column1,
 * column2, ...) and the error lines are those of the file. A contact whose
 * canonical contactCode was already seen is a duplicate.
 */
#ifndef CCON_CSV_PREVIEW_H
#define CCON_CSV_PREVIEW_H

#include <ccon/csv_import.h>
#include <ccon/error.h>
#include <ccon/layout.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ccon_csv_header_mode {
	CCON_CSV_HEADER_DETECT = 0,
	CCON_CSV_HEADER_YES,
	CCON_CSV_HEADER_NO,
};

struct ccon_csv_preview_options {
	char delimiter;                    /* ',', ';', '\t'; 0 detects */
	enum ccon_csv_header_mode header;
};

struct ccon_csv_preview;

/* Opens path and reads its first block. opts may be NULL (detect all). */
int ccon_csv_preview_open(const char *path, const struct ccon_csv_preview_options *opts,
                          struct ccon_csv_preview **out, struct ccon_error *err);
void ccon_csv_preview_close(struct ccon_csv_preview *p);

/* Indexes up to max_bytes more of the file (a step larger than the rest of
 * the file reads only the rest). 1 when the index is complete, 0 when there
 * is more to do, -1 on a read error or out of memory. Even a step over the
 * whole rest may return 0 (a record cut by an unclosed quote is read again
 * from its start): call it until it returns 1. */
int ccon_csv_preview_index_step(struct ccon_csv_preview *p, size_t max_bytes,
                                struct ccon_error *err);
bool ccon_csv_preview_indexed(const struct ccon_csv_preview *p);

char ccon_csv_preview_delimiter(const struct ccon_csv_preview *p);
bool ccon_csv_preview_has_header(const struct ccon_csv_preview *p);
bool ccon_csv_preview_had_bom(const struct ccon_csv_preview *p);
uint64_t ccon_csv_preview_file_size(const struct ccon_csv_preview *p);
/* Bytes read from the file so far, by the index and the row reads. */
uint64_t ccon_csv_preview_bytes_read(const struct ccon_csv_preview *p);
uint64_t ccon_csv_preview_bytes_indexed(const struct ccon_csv_preview *p);
/* Data rows indexed so far (the header is not a row). */
size_t ccon_csv_preview_rows_known(const struct ccon_csv_preview *p);
/* The first non-UTF-8 byte seen, or NULL. */
const struct ccon_error *ccon_csv_preview_encoding_error(const struct ccon_csv_preview *p);

/* One row, borrowed until the next read on the preview. */
struct ccon_csv_row {
	long line;                 /* physical line where it starts, 1-based */
	size_t n_fields;
	const char *const *fields; /* NUL-terminated; unquoted ones trimmed */
	const size_t *lens;
};

/* The header's fields (n_fields 0 without a header). */
int ccon_csv_preview_header(struct ccon_csv_preview *p, struct ccon_csv_row *out,
                            struct ccon_error *err);
/* Data row `row` (0-based), indexing further when it is not known yet.
 * CCON_E_INVALID_ARGUMENT past the last row; CCON_E_CSV_QUOTE or
 * CCON_E_CSV_UTF8 (with line and column) when the row is malformed. */
int ccon_csv_preview_row(struct ccon_csv_preview *p, size_t row, struct ccon_csv_row *out,
                         struct ccon_error *err);
/* The data row starting at physical line `line` or the last one before it
 * (the error list's "jump to"). -1 when the line is before the first row. */
long ccon_csv_preview_row_at_line(const struct ccon_csv_preview *p, long line);

/* Validation in steps. */
struct ccon_csv_validation;

struct ccon_csv_progress {
	uint64_t bytes_done;
	uint64_t total_bytes;
	size_t rows_done;
	size_t valid;       /* contacts emitted, duplicates excepted */
	size_t invalid;     /* rows with at least one error */
	size_t duplicates;  /* contacts whose contactCode came before */
	size_t errors;      /* all errors reported, kept or not */
	double elapsed;     /* seconds since the start */
	double rows_per_s;
	double eta;         /* seconds left, -1 when unknown */
	bool done;
	bool cancelled;
};

#define CCON_CSV_VALIDATION_KEEP_ERRORS 10000

/* The layout and the preview must outlive the validation. */
int ccon_csv_validation_new(struct ccon_csv_preview *p, const struct ccon_layout *layout,
                            struct ccon_csv_validation **out, struct ccon_error *err);
/* Feeds up to max_bytes more to the importer. 1 when done (or cancelled),
 * 0 when there is more, -1 on a read error or out of memory. */
int ccon_csv_validation_step(struct ccon_csv_validation *v, size_t max_bytes,
                             struct ccon_error *err);
void ccon_csv_validation_cancel(struct ccon_csv_validation *v);
void ccon_csv_validation_progress(const struct ccon_csv_validation *v,
                                  struct ccon_csv_progress *out);
/* The first CCON_CSV_VALIDATION_KEEP_ERRORS errors, in file order. */
const struct ccon_error *ccon_csv_validation_errors(const struct ccon_csv_validation *v,
                                                    size_t *n);
void ccon_csv_validation_free(struct ccon_csv_validation *v);

#endif
