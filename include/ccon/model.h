/* ccon/model.h - what the console's panes read, kept fresh by polling
 * through a ccon_client. No curses, no drawing: panes read the model, the
 * model reports what changed (ccon_model_changes) and the console redraws
 * once per loop turn.
 *
 * Polling (all through seed 002's /commands):
 * - the campaign list, `get /campaigns/summaries` every campaigns_every_ms,
 *   paged ($take 100) until `total` is reached, so tens of thousands of
 *   campaigns arrive without one huge answer; rows are matched by id, and
 *   only rows whose content changed are marked changed;
 * - the focused campaign (ccon_model_focus), every focus_every_ms: its
 *   summary (`get /campaigns/{id}/summaries`), its failures grouped by
 *   reason (`get /campaigns/{id}/failures`, ccond's extension) and the
 *   audience pages the pane asked for (`get /audiences/{id}?$skip&$take`,
 *   optionally `&status=...&reasonCode=...`).
 * A poll never starts while the previous one of the same kind is in flight.
 * A failed poll keeps the data it had (the panes keep showing it, with its
 * age) and the error is in ccon_model_status().
 *
 * The campaign view: sort (any column, either direction) and an
 * incremental filter (case-insensitive substring of name, channel, status
 * or id) over the rows, recomputed when rows or settings change. The
 * selection is by campaign id, so the cursor stays on its campaign across
 * refreshes, sorts and filters (or on the nearest row when it vanished).
 */
#ifndef CCON_MODEL_H
#define CCON_MODEL_H

#include <ccon/client.h>
#include <ccon/codec_reports.h>
#include <ccon/error.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ccon_model;

struct ccon_model_config {
	long campaigns_every_ms;     /* 0: 5000 */
	long focus_every_ms;         /* 0: 2000 */
	unsigned audience_page;      /* rows a page; 0: 100 */
	unsigned audience_pages_kept;/* pages cached; 0: 20 */
};

/* What changed since the last call (bit set). */
enum {
	CCON_MODEL_CAMPAIGNS = 1u << 0,  /* rows, their view, or the selection */
	CCON_MODEL_FOCUS = 1u << 1,      /* the focused campaign's summary or failures */
	CCON_MODEL_AUDIENCE = 1u << 2,   /* audience rows arrived */
	CCON_MODEL_STATUS = 1u << 3,     /* connection, poll ages, last error */
};

enum ccon_campaign_column {
	CCON_COL_NAME, CCON_COL_CHANNEL, CCON_COL_STATUS, CCON_COL_SEND_DATE,
	CCON_COL_AUDIENCE, CCON_COL_RECEIVED, CCON_COL_READ, CCON_COL_FAILED,
	CCON_COL_FAILURE_RATE, CCON_COL_CREATED, CCON_COL_COUNT
};

struct ccon_model_status {
	struct ccon_conn_info conn;
	int64_t campaigns_polled_ms;     /* monotonic ms of the last good list poll; 0 never */
	int64_t focus_polled_ms;
	char last_error[200];            /* the latest poll failure, sanitised; "" */
};

int ccon_model_new(struct ccon_client *client, const struct ccon_model_config *cfg,
                   struct ccon_model **out, struct ccon_error *err);
void ccon_model_free(struct ccon_model *m);

/* Starts the polls that are due at now_ms (monotonic); call every loop turn. */
void ccon_model_tick(struct ccon_model *m, int64_t now_ms);
/* Milliseconds until a tick has work (for the loop's wait); >= 0. */
long ccon_model_next_ms(const struct ccon_model *m, int64_t now_ms);
/* Polls everything now (the refresh key). */
void ccon_model_refresh(struct ccon_model *m);
/* CCON_MODEL_* bits changed since the last call; clears them. */
unsigned ccon_model_changes(struct ccon_model *m);
void ccon_model_status(const struct ccon_model *m, struct ccon_model_status *out);

/* --- the campaign list, through its view --- */
size_t ccon_model_rows(const struct ccon_model *m);        /* after the filter */
size_t ccon_model_rows_total(const struct ccon_model *m);  /* before it */
/* Row i of the view (0..rows-1); NULL when out of range. */
const struct ccon_campaign_summary *ccon_model_row(const struct ccon_model *m, size_t i);
/* Whether row i changed in the last list poll (for a highlight): new rows
 * and rows whose content differs from the previous list. It holds until
 * the next list arrives (reading it clears nothing, so the pane can draw
 * after ccon_model_changes). */
bool ccon_model_row_changed(const struct ccon_model *m, size_t i);
/* failed / (audience size) in [0, 1]; 0 for an empty audience. */
double ccon_campaign_failure_rate(const struct ccon_campaign_summary *s);
void ccon_model_sort(struct ccon_model *m, enum ccon_campaign_column col, bool descending);
void ccon_model_sort_get(const struct ccon_model *m, enum ccon_campaign_column *col,
                         bool *descending);
/* NULL or "" clears it. */
void ccon_model_filter(struct ccon_model *m, const char *text);
const char *ccon_model_filter_get(const struct ccon_model *m);
/* The selection: a view row (clamped), or -1 with no rows. */
void ccon_model_select(struct ccon_model *m, long row);
long ccon_model_selected(const struct ccon_model *m);
/* The selected campaign's id, or NULL. */
const char *ccon_model_selected_id(const struct ccon_model *m);
/* The view row of a campaign id, or -1. */
long ccon_model_find(const struct ccon_model *m, const char *campaign_id);

/* --- the focused campaign --- */
/* Polls this campaign (NULL: none). Drops the cached audience, its filter
 * and the wanted rows, and cancels the old focus's requests (no stale
 * answer lands); the same id again changes nothing. */
void ccon_model_focus(struct ccon_model *m, const char *campaign_id);
const char *ccon_model_focus_id(const struct ccon_model *m);
/* Its summary, or NULL before the first answer. */
const struct ccon_campaign_summary *ccon_model_focus_summary(const struct ccon_model *m);
/* Its failure groups, by count (largest first). */
const struct ccon_failure_group *ccon_model_failures(const struct ccon_model *m, size_t *n);
/* Narrows the audience to a status and/or a reason code (NULL / has_code
 * false: any). Drops the cached audience. */
void ccon_model_audience_filter(struct ccon_model *m, const char *status, bool has_code,
                                int64_t reason_code);
/* The rows the pane shows: pages covering [first, first + n) are fetched
 * (and a page either side), others may be evicted. */
void ccon_model_audience_want(struct ccon_model *m, int64_t first, size_t n);
/* The audience size under the filter; -1 before the first answer. */
int64_t ccon_model_audience_total(const struct ccon_model *m);
/* Row i, or NULL while its page is not here (draw a placeholder). */
const struct ccon_audience_item *ccon_model_audience_row(const struct ccon_model *m, int64_t i);
/* The raw text of the last answer about the focused campaign. */
const char *ccon_model_last_raw(const struct ccon_model *m, size_t *len);

/* --- actions --- */
typedef void (*ccon_model_done)(void *ctx, const struct ccon_error *err);
/* delete /campaigns/{id} (cancels a scheduled campaign); done is called
 * with err->code OK or the reason; the list is polled again after. */
int ccon_model_cancel_campaign(struct ccon_model *m, const char *campaign_id,
                               ccon_model_done done, void *ctx, struct ccon_error *err);

/* --- the export of the focused campaign's report (model_export.c) ---
 * Writes the summary, the failure groups and EVERY recipient row of the
 * campaign (the unfiltered audience: every attempt, whatever the pane's
 * filter) to path, as CSV or JSON (export.h's tables, or its report
 * object). Nothing blocks: the summary, the failures and then the audience
 * pages ($take CCON_CMD_TAKE_MAX, one request at a time) are read through
 * the model's client, and each page is written as it arrives, to a
 * temporary file next to path ("path.XXXXXX", mode 0600) that is renamed
 * to path at the end. Any failure (a read, a write, the rename) removes the
 * temporary file, leaves path as it was, and reaches done. done is called
 * once, from ccon_client_run, unless the export is freed first; it may
 * free the export. The export must be freed before the model. */
enum ccon_export_format { CCON_EXPORT_CSV, CCON_EXPORT_JSON };

struct ccon_model_export;

struct ccon_export_progress {
	int64_t rows;               /* recipient rows written */
	int64_t total;              /* the rows the server counts; -1 before the first page */
	bool finished;              /* done was called */
	bool failed;                /* ... with an error */
};

/* CCON_EXPORT_JSON when path ends in ".json" (any letter case), else CSV. */
enum ccon_export_format ccon_export_format_of(const char *path);
/* Starts the export of the focused campaign: 0 with *out, or -1 with err
 * (no focus, an empty path, the temporary file not created). */
int ccon_model_export(struct ccon_model *m, const char *path, enum ccon_export_format format,
                      ccon_model_done done, void *ctx, struct ccon_model_export **out,
                      struct ccon_error *err);
void ccon_model_export_progress(const struct ccon_model_export *x,
                                struct ccon_export_progress *out);
/* The path it writes (as given). */
const char *ccon_model_export_path(const struct ccon_model_export *x);
/* Frees it; one still running is stopped: its request canceled, its
 * temporary file removed, done not called. NULL is ignored. */
void ccon_model_export_free(struct ccon_model_export *x);

#endif
