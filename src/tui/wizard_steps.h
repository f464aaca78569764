/* wizard_steps.h - the send wizard's state, shared by pane_wizard.c (keys,
 * actions, the flow's answers) and wizard_steps.c (what each step draws).
 *
 * Steps: kind → campaign → audience → timing → slicing → review → result.
 * The draft (send_draft.h) holds every choice; the flow (send_flow.h) does
 * the network; the wizard only reads them and draws. */
#ifndef CCON_TUI_WIZARD_STEPS_H
#define CCON_TUI_WIZARD_STEPS_H

#include "pane.h"

#include <ccon/send_draft.h>
#include <ccon/send_flow.h>

#include <curses.h>
#include <stdbool.h>
#include <stdint.h>

enum wizard_step {
	STEP_KIND,
	STEP_CAMPAIGN,
	STEP_AUDIENCE,
	STEP_TIMING,
	STEP_SLICING,
	STEP_REVIEW,
	STEP_RESULT,
	STEP__COUNT
};

/* The timing step's lines. */
enum timing_line { TIMING_NOW, TIMING_SCHEDULE, TIMING_DELAY, TIMING__COUNT };

/* The kinds the wizard composes, in its list's order; the list has one
 * more line after them: seed 002's dynamic audiences, which opens its own
 * pane (pane_dynamic_open). */
#define WIZARD_KINDS 5
#define WIZARD_KIND_LINES (WIZARD_KINDS + 1)
extern const enum ccon_send_kind wizard_kinds[WIZARD_KINDS];

struct wizard {
	struct pane pane;
	struct ccon_send_draft draft;
	struct ccon_send_flow *flow;
	enum wizard_step step;
	long cursor[STEP__COUNT];    /* the line under the cursor, per step */
	long scroll;                 /* review: the first line; slicing: timeline top */
	int64_t want_campaign;       /* a campaign asked for before the list came */
	char *undo;                  /* the field's text before the open edit */
	enum timing_line editing;
	bool dry_run_wanted;         /* the slicing step needs a fresh dry run */
	bool csv_taken;              /* the CSV preview handed its file: close it */
	bool report_opened;          /* the result opened the report once */
	/* the audience step's figures, counted again only after a change
	 * (draft_dirty_reset), not on every draw */
	struct audience_summary {
		bool known;
		struct ccon_roster_stats st;
		size_t batches;
		struct ccon_error check;     /* ccon_roster_check's */
		size_t *missing;             /* rows lacking each variable; NULL: none */
	} audience;
	struct ccon_send_reqs review;
	struct ccon_error review_err;  /* CCON_E_OK when review holds the requests */
	/* the envelope's slicing step: it has no dry run, so its plan is made
	 * here by ccond's planner over the slots read for its channel */
	struct ccon_timeline env_plan;
	bool env_plan_known;
	struct ccon_error env_plan_err;  /* why there is no plan (CCON_E_OK: reading) */
};

extern const char *const wizard_step_names[STEP__COUNT];

/* The server's now if known, else this machine's (*server false). */
int64_t wizard_now(const struct wizard *w, bool *server);

/* Whether step s means anything for the draft's kind: the campaign step
 * only for kinds that send to an existing campaign, timing for all but the
 * single WhatsApp message, slicing for kinds that become tasks. Tab and
 * S-Tab skip the others; 1-7 still show them, saying why they are empty. */
bool wizard_step_applies(const struct wizard *w, enum wizard_step s);

/* Whether the operator picks the slicing condition (seeds 000/001 have
 * slicingCondition; seed 003 and the envelope have none: ccond plans them
 * with its default, fragmentedSlots). */
bool wizard_slicing_chosen(const struct wizard *w);

/* The body of the current step inside area. */
void wizard_draw_step(struct wizard *w, WINDOW *win, struct rect area);
/* The lines the step's list has (for the cursor). */
long wizard_step_lines(const struct wizard *w);

#endif
