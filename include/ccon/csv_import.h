/* ccon/csv_import.h - streaming import of a seed 001 CSV audience.
 *
 * The importer turns a CSV file into contacts through a layout (layout.h),
 * one contact at a time, without ever holding the file: feed it chunks as
 * they arrive (an HTTP upload, a file read in 64 KiB blocks) and it calls
 * back with each contact and each error. Memory stays bounded by the longest
 * row (each field at most max_field bytes) whatever the file's size.
 *
 * The file: UTF-8 (an initial BOM is skipped), LF, CRLF or bare-CR line ends
 * (decided from the first line end), RFC 4180 quoting (fields in double
 * quotes may hold delimiters and line ends; a quote inside is written twice),
 * strict: a quote inside an unquoted field or text after a closing quote is
 * an error. Unquoted fields lose their leading and trailing blanks. The first
 * non-empty line is the header: the column names the layout's "{{column}}"
 * placeholders refer to. Empty lines are skipped (and counted). The
 * delimiter is ',', ';' or TAB: given, or detected from the header line (the
 * most frequent of the three outside quotes; ',' when none is, or on a tie).
 *
 * A column named "#contextvariables#" (seed 002; any letter case) holds a
 * JSON object per row, handed over as text after checking it. Two spellings
 * are accepted: plain JSON in a CSV-quoted cell ("{""cpf"":""1""}", what
 * spreadsheets write), and the seed's backslash-escaped form ({\"cpf\":\"1\"},
 * what pasting the seed's example into a spreadsheet produces), recognised
 * unambiguously because JSON text cannot start with {\ . The escaped form is
 * unescaped as a JSON string would be. An empty cell means no context
 * variables.
 *
 * Errors never stop the scan; each is reported through the error callback
 * with a line (1-based physical line; for row checks the line where the row
 * starts, for quote errors the line of the offending quote) and a column
 * (1-based field number, 0 when the error is not about one field), and for
 * layout values the layout path ("customFields.age"):
 *   CCON_E_CSV_QUOTE          stray quote, text after a closing quote, or a
 *                             quoted field never closed: reported where it
 *                             opened, and the scan resumes at the next line
 *                             after that one, so no later row is lost;
 *   CCON_E_CSV_FIELD_TOO_LONG a field over max_field bytes (a quoted field
 *                             spanning lines resumes as above);
 *   CCON_E_CSV_FIELD_COUNT    a row with more or fewer fields than the header;
 *   CCON_E_CSV_UTF8           a field that is not UTF-8, or holds a NUL byte
 *                             (byte offset and value in the message, never
 *                             the raw bytes);
 *   CCON_E_CSV_HEADER         a repeated column name (the first one is used),
 *                             or a header line over max(max_field, 64 KiB)
 *                             (fatal); a quote error or an over-long field in
 *                             the header is fatal too;
 *   CCON_E_LAYOUT_NO_COLUMN   layout placeholders with no column, once, at
 *                             line 1 (see ccon_layout_bind); rows are still
 *                             scanned and every value that can be computed is
 *                             checked, but no contact is emitted;
 *   CCON_E_CSV_EMPTY          no header at all (fatal);
 *   CCON_E_CSV_CONTEXT_VARIABLES  a #contextvariables# cell that is not a
 *                             JSON object (JSON position in the message);
 *   and the contact checks: CCON_E_CONTACT_CODE_EMPTY/_INVALID and the
 *   CCON_E_PHONE_* kinds for contactCode, CCON_E_CHANNEL_TYPE,
 *   CCON_E_CUSTOM_FIELD_VALUE (over CCON_CUSTOM_FIELD_VALUE_MAX bytes).
 * A row with any error emits no contact.
 */
#ifndef CCON_CSV_IMPORT_H
#define CCON_CSV_IMPORT_H

#include <ccon/contact.h>
#include <ccon/error.h>
#include <ccon/layout.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define CCON_CSV_MAX_FIELD_DEFAULT 65536
#define CCON_CSV_MAX_COLUMNS 4096
#define CCON_CSV_CHUNK 65536 /* read size of the FILE and path helpers */

struct ccon_csv_custom_field {
	const char *name;
	const char *value;  /* NUL-terminated */
	size_t len;
};

/* One contact, borrowed: every pointer is valid during the callback only. */
struct ccon_csv_contact {
	long line;                        /* where the row starts */
	const char *contact_code;         /* canonical ("+34666777888") */
	enum ccon_channel_type channel;
	const char *channel_type;         /* its name ("cloud_api") */
	const struct ccon_csv_custom_field *custom_fields;  /* layout order */
	size_t n_custom_fields;
	const char *context_variables;    /* a JSON object's text, or NULL */
	size_t context_variables_len;
};

/* Callbacks return 0 to go on; anything else stops the import (feed and
 * finish then return -1 with CCON_E_IO "stopped by the callback"). */
typedef int (*ccon_csv_contact_fn)(void *ctx, const struct ccon_csv_contact *contact);
typedef int (*ccon_csv_error_fn)(void *ctx, const struct ccon_error *err);

struct ccon_csv_options {
	char delimiter;    /* ',', ';' or '\t'; 0 detects it */
	size_t max_field;  /* bytes; 0 means CCON_CSV_MAX_FIELD_DEFAULT */
};

struct ccon_csv_stats {
	long lines;         /* physical lines seen */
	size_t rows;        /* data rows (not the header, not empty lines) */
	size_t contacts;    /* contacts emitted */
	size_t error_rows;  /* rows with at least one error */
	size_t errors;      /* errors reported, file-level ones included */
	char delimiter;     /* the one in use (0 before the header is read) */
	size_t columns;     /* header columns */
};

struct ccon_csv_import;

/* The layout must outlive the importer. opts may be NULL (defaults). Either
 * callback may be NULL. */
int ccon_csv_import_new(const struct ccon_layout *layout, const struct ccon_csv_options *opts,
                        ccon_csv_contact_fn on_contact, ccon_csv_error_fn on_error, void *ctx,
                        struct ccon_csv_import **out, struct ccon_error *err);
/* Feeds the next len bytes (any split, even inside a UTF-8 sequence or a
 * CRLF). -1 only when out of memory or stopped by a callback; file errors go
 * to the error callback. */
int ccon_csv_import_feed(struct ccon_csv_import *imp, const void *buf, size_t len,
                         struct ccon_error *err);
/* Ends the input (a last line without a line end is a row). -1 when out of
 * memory, stopped, or nothing could be imported: CCON_E_CSV_EMPTY,
 * CCON_E_CSV_HEADER (fatal kinds) or CCON_E_LAYOUT_NO_COLUMN, the same error
 * that went to the callback. */
int ccon_csv_import_finish(struct ccon_csv_import *imp, struct ccon_error *err);
void ccon_csv_import_stats(const struct ccon_csv_import *imp, struct ccon_csv_stats *out);
/* The header's column names (NULL and 0 before it is read). */
const char *const *ccon_csv_import_columns(const struct ccon_csv_import *imp, size_t *n);
void ccon_csv_import_free(struct ccon_csv_import *imp);

/* Conveniences: a whole stream read in CCON_CSV_CHUNK blocks. stats may be
 * NULL. A read error is CCON_E_IO. Return as ccon_csv_import_finish. */
int ccon_csv_import_stream(FILE *f, const struct ccon_layout *layout,
                           const struct ccon_csv_options *opts, ccon_csv_contact_fn on_contact,
                           ccon_csv_error_fn on_error, void *ctx, struct ccon_csv_stats *stats,
                           struct ccon_error *err);
int ccon_csv_import_path(const char *path, const struct ccon_layout *layout,
                         const struct ccon_csv_options *opts, ccon_csv_contact_fn on_contact,
                         ccon_csv_error_fn on_error, void *ctx, struct ccon_csv_stats *stats,
                         struct ccon_error *err);

#endif
