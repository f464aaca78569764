/* model_internal.h - what model.c, model_view.c and model_focus.c share.
 *
 * The campaign view (model_view.c) is pure logic over an array of rows it
 * does not own: sort, filter and a selection kept by campaign id. The model
 * owns the rows and hands each new list to ccon_view_set_rows; the unit
 * tests drive the view directly, without a server.
 */
#ifndef CCON_MODEL_INTERNAL_H
#define CCON_MODEL_INTERNAL_H

#include <ccon/client.h>
#include <ccon/codec_reports.h>
#include <ccon/model.h>
#include <ccon/strbuf.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------ the view */

/* A row's sort key, compared as (hi, lo) unsigned, then the text after
 * its first 16 bytes: most comparisons never leave this array. */
struct ccon_view_key {
	uint64_t hi, lo;
	const char *rest;           /* text columns: the text, when longer than 16 */
	size_t row;
};

struct ccon_view {
	const struct ccon_campaign_summary *rows;  /* not owned */
	size_t n_rows;
	size_t *order;              /* every row, sorted (ties: the rows' order) */
	size_t *idx;                /* the rows that pass the filter, sorted */
	size_t *idx_old;            /* the previous idx while the selection moves */
	size_t n;                   /* rows in idx */
	long *pos;                  /* row -> its position in idx, -1 when filtered out */
	struct ccon_view_key *keys; /* the rows' keys, sorted */
	struct ccon_view_key *tmp;  /* the merge sort's buffer */
	size_t *slots;              /* id hash: row + 1, 0 when empty */
	size_t n_slots;             /* a power of two, or 0 */
	enum ccon_campaign_column col;
	bool desc;
	char *filter;               /* ASCII letters lower-cased; NULL: none */
	char *filter_text;          /* as given; NULL: none */
	char *sel_id;               /* the selected campaign's id; NULL: none */
	long sel;                   /* its view row, -1 with no rows */
};

void ccon_view_init(struct ccon_view *v);
void ccon_view_free(struct ccon_view *v);
/* Takes a new list of rows (not copied: they must live until the next
 * call). The previous rows must still be valid during the call: when the
 * selected campaign is gone, the selection moves to its nearest neighbour
 * in the previous view that is still there. 0, or -1 when out of memory
 * (the view is then unchanged and still reads the previous rows). */
int ccon_view_set_rows(struct ccon_view *v, const struct ccon_campaign_summary *rows, size_t n);
void ccon_view_sort(struct ccon_view *v, enum ccon_campaign_column col, bool descending);
/* NULL or "" clears it. 0, or -1 when out of memory (the filter is then
 * unchanged). */
int ccon_view_filter(struct ccon_view *v, const char *text);
void ccon_view_select(struct ccon_view *v, long row);
long ccon_view_find(const struct ccon_view *v, const char *campaign_id);
/* The row index (into rows) of view row i, or (size_t)-1 when out of range. */
size_t ccon_view_row_index(const struct ccon_view *v, size_t i);
/* The row of a campaign id (into rows), or (size_t)-1. */
size_t ccon_view_lookup(const struct ccon_view *v, const char *campaign_id);
/* Frees the rows whose id an earlier row has (a list that moved between
 * two pages repeats one) and closes the gaps; the rows left. */
size_t ccon_view_dedupe(struct ccon_campaign_summary *rows, size_t n);

/* ------------------------------------------------- the focused campaign */

struct ccon_model;

/* One cached audience page; the slots are allocated once, so a request's
 * context pointer stays valid. */
struct ccon_model_page {
	struct ccon_model *m;
	bool used;
	bool loaded;
	bool failed;                /* its last answer was an error: asked again
	                             * by the next focus poll, not at every want */
	int64_t index;              /* page number: rows index * page .. + page */
	int64_t req;                /* the request in flight, 0: none */
	struct ccon_audience_page page;
};

struct ccon_model_focus {
	char *id;                   /* NULL: no focus */
	struct ccon_campaign_summary summary;
	bool has_summary;
	struct ccon_failure_group_list failures;
	char *aud_status;           /* the audience filter; NULL: any */
	bool aud_has_code;
	int64_t aud_code;
	int64_t aud_total;          /* -1 before the first answer */
	struct ccon_model_page *pages;  /* audience_pages_kept slots */
	int64_t want_first;
	size_t want_n;
	int64_t summary_req;        /* requests in flight, 0: none */
	int64_t failures_req;
	int64_t due_ms;             /* the next focus poll; 0: at once */
	struct ccon_strbuf raw;     /* the last answer's text */
	unsigned page_requests;     /* audience pages asked for since the focus */
};

/* ------------------------------------------------------------ the model */

enum ccon_model_poll { CCON_POLL_LIST, CCON_POLL_FOCUS, CCON_POLL__COUNT };

struct ccon_model_action;

struct ccon_model {
	struct ccon_client *client;
	struct ccon_model_config cfg;
	unsigned changes;

	/* the campaign list */
	struct ccon_campaign_summary *rows;
	size_t n_rows;
	bool *changed;              /* row -> changed in the last list poll */
	bool any_changed;
	struct ccon_view view;
	int64_t list_req;           /* 0: none in flight */
	int64_t list_due_ms;        /* 0: at once */
	bool list_again;            /* poll again as soon as this one ends */
	struct ccon_campaign_summary *acc;  /* the pages of the poll in flight */
	size_t n_acc, cap_acc;
	int64_t list_started_ms;

	struct ccon_model_focus focus;

	/* status */
	int64_t polled_ms[CCON_POLL__COUNT];
	char errors[CCON_POLL__COUNT][200];
	int64_t error_ms[CCON_POLL__COUNT];
	unsigned long polls_ended[CCON_POLL__COUNT];  /* well or not: two may end in one ms */
	enum ccon_conn_state conn_seen;

	struct ccon_model_action *actions;  /* actions in flight */
};

/* model.c, for model_focus.c */
/* Reads a /commands answer: its resource (NULL when absent; owned by
 * *json, free that with cJSON_Delete) or -1 with err (a failed transfer, an
 * envelope that does not decode, a failure status, or no resource when
 * need_resource). */
int ccon_model_answer(const struct ccon_response *r, bool need_resource, cJSON **json,
                      const cJSON **resource, struct ccon_error *err);
/* Records a failed poll of kind (sanitised, with what it was) or a good one
 * (err NULL). */
void ccon_model_poll_result(struct ccon_model *m, enum ccon_model_poll kind,
                            const char *what, const struct ccon_error *err);
/* Sends `get uri`; the request id, or 0 when it could not be queued (the
 * error is recorded for kind). */
int64_t ccon_model_get(struct ccon_model *m, enum ccon_model_poll kind, const char *uri,
                       ccon_client_cb cb, void *ctx);

/* model_focus.c, for model.c */
int ccon_model_focus_init(struct ccon_model *m);
void ccon_model_focus_free(struct ccon_model *m);
void ccon_model_focus_tick(struct ccon_model *m, int64_t now_ms);
/* The focus poll is due now (refresh, after an action). */
void ccon_model_focus_due(struct ccon_model *m);

#endif
