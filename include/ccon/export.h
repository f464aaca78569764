/* ccon/export.h - the report export (`:export FILE`): CSV and JSON
 * written as they go, row by row, to a FILE * or a strbuf (no whole-report
 * buffer).
 *
 * CSV is RFC 4180: cells separated by ',', rows end in CRLF, a cell with
 * ',', '"', CR or LF is quoted with its '"' doubled. Strings are written
 * as they are (they are data: no sanitising, no UTF-8 repair), but a cell
 * a spreadsheet would run as a formula is neutralised with a leading
 * apostrophe (inside the quotes when it is quoted): a cell that begins
 * with '=', '+', '-', '@', TAB or CR, or with their fullwidth forms
 * U+FF1D, U+FF0B, U+FF0D, U+FF20 - unless the whole cell is a number:
 * an optional '+' or '-', digits, and optionally '.' and digits. So the
 * E.164 number "+34666000001" and "-12.5" stay as they are, while
 * "+34 666", "-1+1", "=SUM(A1)" and "@cmd" become "'+34 666", "'-1+1",
 * "'=SUM(A1)" and "'@cmd".
 *
 * The tables (a header row, then one row per call):
 *   summary    campaignId,name,channelType,status,sendDate,total,pending,
 *              processed,received,read,failed,canceled
 *   failures   reasonCode,reasonDescription,count    (no code: empty cell)
 *   audience   recipient,status,processed,received,read,failed,reasonCode,
 *              reasonDescription
 * A NULL string is an empty cell; counts are whole numbers.
 *
 * JSON: either an array of audience items (ccon_export_json_audience_begin)
 * or one report object (ccon_export_json_report_begin)
 *   {"summary": S, "failures": F, "audience": [items...]}
 * where S is the campaign summary and F the failure-group list as the API
 * answers them (codec_reports.h), and each audience item is an object of
 * the audience table's columns under the same names; absent strings and
 * codes are null. Strings go through json_writer.h (escaped; invalid UTF-8
 * replaced so the file is valid JSON). The text is flushed to the sink
 * every 64 KiB and at the end.
 *
 * Every call returns 0, or -1 when writing failed (out of memory, or the
 * FILE's error: errno tells which); the first failure sticks.
 */
#ifndef CCON_EXPORT_H
#define CCON_EXPORT_H

#include <ccon/codec_reports.h>
#include <ccon/json_writer.h>
#include <ccon/strbuf.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct ccon_export_sink {
	FILE *file;                 /* one of file and sb */
	struct ccon_strbuf *sb;
	bool failed;
};

void ccon_export_sink_file(struct ccon_export_sink *s, FILE *f);
void ccon_export_sink_strbuf(struct ccon_export_sink *s, struct ccon_strbuf *sb);
int ccon_export_sink_write(struct ccon_export_sink *s, const char *p, size_t n);

/* ---- CSV */

struct ccon_csv_writer {
	struct ccon_export_sink *sink;
	bool row_open;              /* a cell was written in this row */
};

void ccon_csv_init(struct ccon_csv_writer *w, struct ccon_export_sink *sink);
/* Whether a cell's text would be neutralised (the rule above). */
bool ccon_csv_is_formula(const char *s, size_t n);
int ccon_csv_cell(struct ccon_csv_writer *w, const char *s);     /* NULL: empty */
int ccon_csv_cell_n(struct ccon_csv_writer *w, const char *s, size_t n);
int ccon_csv_cell_int(struct ccon_csv_writer *w, int64_t v);
int ccon_csv_end_row(struct ccon_csv_writer *w);

int ccon_export_csv_summary_header(struct ccon_csv_writer *w);
int ccon_export_csv_summary(struct ccon_csv_writer *w, const struct ccon_campaign_summary *s);
int ccon_export_csv_failures_header(struct ccon_csv_writer *w);
int ccon_export_csv_failure(struct ccon_csv_writer *w, const struct ccon_failure_group *g);
int ccon_export_csv_audience_header(struct ccon_csv_writer *w);
int ccon_export_csv_audience(struct ccon_csv_writer *w, const struct ccon_audience_item *it);

/* ---- JSON */

struct ccon_export_json {
	struct ccon_export_sink *sink;
	struct ccon_strbuf buf;     /* text not yet flushed */
	struct ccon_json_writer w;
	bool report;                /* the object form */
};

int ccon_export_json_audience_begin(struct ccon_export_json *j, struct ccon_export_sink *sink);
/* summary may be NULL (null is written); failures[0..n_failures). */
int ccon_export_json_report_begin(struct ccon_export_json *j, struct ccon_export_sink *sink,
                                  const struct ccon_campaign_summary *summary,
                                  const struct ccon_failure_group *failures, size_t n_failures);
int ccon_export_json_audience(struct ccon_export_json *j, const struct ccon_audience_item *it);
/* Closes the array (and object), writes a newline, flushes and frees. */
int ccon_export_json_end(struct ccon_export_json *j);
/* Frees without finishing (after a failure). */
void ccon_export_json_abort(struct ccon_export_json *j);

#endif
