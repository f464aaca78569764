/* ccon/audience_csv.h - seed 002's audience CSV (set /audiences/v2/{id}/file),
 * read one way by ccond (which adds it) and by the console (which previews
 * it before sending it).
 *
 * The file goes through the importer (csv_import.h): a column named
 * "recipient" (any letter case; the first one) holds the phone number, a
 * column "#contextvariables#" (any letter case) the context variables (a
 * JSON object per row, plain in a quoted cell or backslash-escaped as the
 * seed shows), every other column is a message parameter of its name.
 *
 * Each row the importer takes becomes a struct ccon_audience (recipient in
 * E.164, messageParams, contextVariables) and, with a message, is checked
 * with ccon_audience_check. Refused rows carry their line, their column
 * (when the fault is in one) and a path in seed 002's words: "recipient"
 * for the phone, "messageParams.NAME" for a parameter.
 */
#ifndef CCON_AUDIENCE_CSV_H
#define CCON_AUDIENCE_CSV_H

#include <ccon/codec_campaign.h>
#include <ccon/csv_import.h>
#include <ccon/error.h>
#include <ccon/layout.h>

#include <stddef.h>

#define CCON_AUDIENCE_CSV_RECIPIENT "recipient"
#define CCON_AUDIENCE_CSV_CONTEXT "#contextvariables#"

/* One good row. The callback may keep audience (it then zeroes it); the
 * reader frees what is left. context_json is borrowed. */
struct ccon_audience_csv_row {
	struct ccon_audience audience;
	const char *context_json;        /* the cell's JSON object, or NULL */
	long line;                       /* where the row starts */
};

/* Return 0 to go on; anything else stops the read (-1, CCON_E_IO). */
typedef int (*ccon_audience_csv_row_fn)(void *ctx, struct ccon_audience_csv_row *row);

/* What a read saw. */
struct ccon_audience_csv_info {
	char **columns;                  /* the header, owned; NULL when unread */
	size_t n_columns;
	size_t data_rows;                /* rows after the header, empty lines not counted */
};

/* The layout of the file from its header: CCON_E_CSV_HEADER at line 1 (and
 * the column) when a column cannot name a parameter or none is "recipient". */
int ccon_audience_csv_layout(const char *const *columns, size_t n, struct ccon_layout *out,
                             struct ccon_error *err);

/* Reads text[0..len): the header, the layout, then every row. msg NULL
 * checks no row against a message. on_error gets each refused row (and
 * file-level errors such as a repeated column); either callback may be
 * NULL; info may be NULL (else free it with ccon_audience_csv_info_free).
 * -1 with err when the header cannot be read or gives no layout
 * (CCON_E_CSV_EMPTY, CCON_E_CSV_HEADER, line 1), when out of memory, or
 * when a callback stopped the read. */
int ccon_audience_csv_read(const char *text, size_t len, const struct ccon_campaign_message *msg,
                           ccon_audience_csv_row_fn on_row, ccon_csv_error_fn on_error, void *ctx,
                           struct ccon_audience_csv_info *info, struct ccon_error *err);
void ccon_audience_csv_info_free(struct ccon_audience_csv_info *info);

#endif
