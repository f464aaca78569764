/* pane.h - a pane is a table of operations over the model (tig's view
 * ops): it draws from the model, handles requests, and is told what in
 * the model changed so it can mark what to draw again. Panes never do I/O.
 * Adding a pane is one file and one table. */
#ifndef CCON_TUI_PANE_H
#define CCON_TUI_PANE_H

#include "requests.h"

#include <ccon/keyspec.h>

#include <curses.h>
#include <stdbool.h>

struct app;
struct pane;

struct rect {
	int y, x, h, w;
};

/* What of a pane must be drawn again. */
enum {
	PANE_DIRTY_HEAD = 1u << 0,   /* its heading line (counts, sort, ages) */
	PANE_DIRTY_BODY = 1u << 1,   /* everything below */
	PANE_DIRTY_ALL = PANE_DIRTY_HEAD | PANE_DIRTY_BODY,
};

struct pane_ops {
	const char *name;
	/* the model's CCON_MODEL_* bits that changed: set p->dirty */
	void (*changed)(struct pane *p, unsigned changes);
	/* draws the parts p->dirty names inside area */
	void (*draw)(struct pane *p, WINDOW *w, struct rect area);
	/* true when the pane handled the request */
	bool (*request)(struct pane *p, enum request req);
	/* a key no request is bound to (printable text): true when taken */
	bool (*key)(struct pane *p, struct ccon_key key);
	/* a `:` command (name, then the rest of the line): true when taken;
	 * msg (may stay empty) is shown in the bottom line. NULL: none */
	bool (*command)(struct pane *p, const char *name, const char *args, char *msg, size_t msg_size);
	/* background work (indexing, validating a file): runs a slice of at
	 * most about budget_ms and marks what to draw, at most ~10 times a
	 * second; true while more remains (the loop then does not sleep).
	 * Called for every pane of the stack, top or not. NULL: none */
	bool (*work)(struct pane *p, long budget_ms);
	/* frees the pane */
	void (*close)(struct pane *p);
};

struct pane {
	const struct pane_ops *ops;
	struct app *app;
	unsigned dirty;
	bool grab_keys;              /* every key goes to ops->key first (a paste) */
	int rows;                    /* body rows at the last draw (for paging) */
};

struct ccon_layout;
struct ccon_roster;
struct ccon_template_vars;
struct ccon_send_draft;

struct pane *pane_campaigns_open(struct app *app);
struct pane *pane_report_open(struct app *app, const char *campaign_id);

/* The audience editor over a roster its caller owns and keeps alive while
 * the pane is open (the wizard's draft). vars: the campaign's template
 * variables, or NULL when unknown. */
struct pane *pane_audience_open(struct app *app, struct ccon_roster *roster,
                                const struct ccon_template_vars *vars);

/* What the CSV preview hands back when the operator picks the file and its
 * layout for a send ("use"). The layout is borrowed during the call. */
typedef void (*pane_csv_use_cb)(void *ctx, const char *path, const struct ccon_layout *layout);
/* The CSV import preview of path. vars (may be NULL): the campaign's
 * template variables, each offered as a custom field; layout (may be NULL):
 * the mapping to start from (the wizard's, when the file is opened again).
 * use NULL: the preview stands alone (`ccon FILE.csv`, `:open FILE`) and
 * "use" opens the send wizard with it. */
struct pane *pane_csv_open(struct app *app, const char *path, const struct ccon_template_vars *vars,
                           const struct ccon_layout *layout, pane_csv_use_cb use, void *ctx);

/* The audience steps of the wizard's other kinds, each over the wizard's
 * draft (kept alive while the pane is open): the transactional SMS's
 * contacts and options (d->tx), the single WhatsApp message (d->wa), the
 * command-envelope campaign with its audiences (d->envelope). */
struct pane *pane_tx_open(struct app *app, struct ccon_send_draft *d);
struct pane *pane_whatsapp_open(struct app *app, struct ccon_send_draft *d);
struct pane *pane_envelope_open(struct app *app, struct ccon_send_draft *d);

/* Seed 002's dynamic audiences (Beta): campaign_id NULL creates a
 * /campaign/v2 campaign first; then audiences are added in rounds and the
 * campaign ends with /dispatch/v2. */
struct pane *pane_dynamic_open(struct app *app, const char *campaign_id);

/* The send wizard. campaign_id NULL: its first step asks which campaign;
 * csv_path/layout (may be NULL) preset a CSV send. A seed 002 campaign id
 * (not a number) opens pane_dynamic_open instead. */
struct pane *pane_wizard_open(struct app *app, const char *campaign_id, const char *csv_path,
                              const struct ccon_layout *layout);

#endif
