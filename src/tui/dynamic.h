/* dynamic.h - the dynamic audiences pane's parts: the pane, its model and
 * keys (pane_dynamic.c) and its drawing (dynamic_draw.c). Private to those
 * two files. */
#ifndef CCON_TUI_DYNAMIC_H
#define CCON_TUI_DYNAMIC_H

#include "pane.h"

#include "app.h"

#include <ccon/dynamic_flow.h>
#include <ccon/phone.h>
#include <ccon/strbuf.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define W_NUM 5
#define W_RECIPIENT 20
#define W_E164 18
#define W_PARAM 16
#define ROUNDS_SHOWN 3
#define PAGE_TAKE 20

enum mode { MODE_FORM, MODE_LOADING, MODE_ROUNDS, MODE_REFUSED };
enum form_field { F_NAME, F_CHANNEL, F_TEMPLATE, F_PARAMS, F_CREATE };

extern const char *const form_labels[4];

struct row {
	struct ccon_audience a;          /* recipient, messageParams, parsed context */
	char *context;                   /* the contextVariables as typed (JSON) */
	char e164[CCON_E164_BUFSIZE];
	struct ccon_error err;           /* the row's first problem */
};

enum edit_kind { EDIT_NONE, EDIT_FORM, EDIT_CELL, EDIT_COLUMN, EDIT_CSV };

struct dyn {
	struct pane pane;
	struct ccon_dynamic_flow *flow;
	enum mode mode;
	char refusal[400];
	/* the form */
	char *form[4];
	size_t form_sel;
	struct ccon_error form_err;
	/* the round being composed */
	struct row *rows;
	size_t n_rows, sel, top, col;
	char **cols;                     /* messageParams columns */
	size_t n_cols;
	/* the edit on the prompt */
	enum edit_kind edit;
	size_t edit_row, edit_col;
	char *orig;
	bool existed, new_row;
	char label[160];
	bool pasting;
	struct ccon_strbuf paste;
	bool csv_shown;
	int64_t skip;                    /* the server's page asked for */
	size_t rounds_seen;
	bool dispatch_asked;
};

static inline struct dyn *as_dyn(struct pane *p)
{
	return (struct dyn *)p;
}

static inline void oom(struct dyn *d)
{
	app_error(d->pane.app, "out of memory");
}

static inline const struct ccon_dyn_campaign *camp(const struct dyn *d)
{
	return ccon_dynamic_flow_campaign(d->flow);
}

/* ---- pane_dynamic.c */

size_t dyn_invalid_rows(struct dyn *d);
/* The table's columns: recipient, one per parameter, contextVariables. */
size_t dyn_n_columns(const struct dyn *d);
bool dyn_col_is_context(const struct dyn *d, size_t col);
const char *dyn_form_value(const struct dyn *d, int f);

/* ---- dynamic_draw.c */

const char *dyn_cell_text(const struct dyn *d, const struct row *r, size_t col);
const char *dyn_col_title(const struct dyn *d, size_t col);
void dyn_draw(struct pane *p, WINDOW *w, struct rect a);

#endif
