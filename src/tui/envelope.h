/* envelope.h - the envelope campaign editor's parts: the pane and its keys
 * (pane_envelope.c), its model (envelope_model.c: names and fields, the
 * checks, the table's columns and counts) and its drawing
 * (envelope_draw.c). Private to those three files. */
#ifndef CCON_TUI_ENVELOPE_H
#define CCON_TUI_ENVELOPE_H

#include "pane.h"

#include "app.h"

#include <ccon/phone.h>
#include <ccon/send_draft.h>
#include <ccon/strbuf.h>

#include <stdbool.h>
#include <stddef.h>

#define NONE ((size_t)-1)
#define COL_RECIPIENT 0
#define COL_PARAMS 1          /* message parameter columns from here, then contextVariables */
#define FORM_LINES 7          /* the campaign part's lines (two columns) */
#define W_MARK 2
#define W_NUM 4
#define W_RECIPIENT 16
#define W_E164 16
#define W_PARAM 14
#define W_CONTEXT_MIN 18
#define NOTE_SIZE 512

enum part { PART_CAMPAIGN, PART_AUDIENCES };

enum field {
	F_NAME, F_TYPE, F_CHANNEL, F_TEMPLATE, F_CONTENT, F_LANGUAGE, F_PARAMS,
	F_FLOW, F_STATE, F_MASTER, F_SOURCE, F_TAGS, F__COUNT
};

/* The request's name of each field and where the codec's errors about it
 * point (the channel is also "message.channelType"). */
struct field_info {
	const char *name;
	const char *path;
};
extern const struct field_info field_info[F__COUNT];

enum edit_kind {
	EDIT_NONE, EDIT_TEXT, EDIT_LIST, EDIT_RECIPIENT, EDIT_PARAM, EDIT_CONTEXT, EDIT_PARAM_ADD
};

struct edit {
	enum edit_kind kind;
	enum field field;            /* EDIT_TEXT, EDIT_LIST */
	size_t row;
	bool new_row;                /* the row was added for this edit: Esc removes it */
	char *name;                  /* EDIT_PARAM: the parameter */
	char *orig;                  /* the text before the edit */
	size_t at;                   /* EDIT_PARAM: its index in the row; EDIT_PARAM_ADD: in
	                              * message.params; NONE before the first key */
	bool existed;                /* EDIT_PARAM: the row had the parameter before */
	struct ccon_fields ctx_orig; /* EDIT_CONTEXT: the row's variables before */
	struct ccon_error err;       /* the text's own fault as typed */
};

struct envelope {
	struct pane pane;
	struct ccon_send_draft *d;
	enum part part;
	enum field field;            /* the campaign part's cursor */
	size_t sel, top, col;        /* the table's cursor */
	size_t first_param;          /* the first parameter column drawn */
	char **cols;                 /* parameter columns: message.params, then extras */
	size_t n_cols;
	/* from recompute(): the first fault of the whole resource, the counts */
	struct ccon_error check;
	size_t valid, invalid, duplicates;
	size_t *dup_of;              /* per row, the earlier row with its number, or NONE */
	struct edit edit;
	char label[200];
	bool pasting;
	struct ccon_strbuf paste;
	char note[NOTE_SIZE];        /* the last paste's report */
};

static inline struct ccon_full_campaign *fc(const struct envelope *ev)
{
	return &ev->d->envelope;
}

static inline bool individual(const struct envelope *ev)
{
	return fc(ev)->campaign.type == CCON_CAMPAIGN_INDIVIDUAL;
}

static inline void env_oom(struct envelope *ev)
{
	app_error(ev->pane.app, "out of memory");
}

/* ---- envelope_model.c: names and fields */

void env_free_names(char **names, size_t n);
/* The index of name in names, or NONE. */
size_t env_name_index(char *const *names, size_t n, const char *name);
int env_fields_copy(const struct ccon_fields *from, struct ccon_fields *to);
/* "a, b, c" (blanks around items dropped; an empty text is no item, an
 * empty item stays so the codec names it). */
int env_list_parse(const char *s, char ***out, size_t *n);
void env_list_text(char *const *v, size_t n, struct ccon_strbuf *sb);

/* ---- envelope_model.c: checks */

void env_audience_path(const struct envelope *ev, size_t i, char *buf, size_t size);
/* The recipient as ccond reads it (phone.h): the E.164 form or why not. */
int env_recipient_check(const struct envelope *ev, size_t i, char e164[CCON_E164_BUFSIZE],
                        struct ccon_error *err);
/* Row i: the recipient, then the codec's audience check. */
int env_row_check(const struct envelope *ev, size_t i, struct ccon_error *err);
/* One cell: the codec's audience check over the row's value of name alone
 * (and over name as the only parameter when the message takes it). */
int env_cell_check(const struct envelope *ev, size_t i, const char *name,
                   struct ccon_error *err);
bool env_path_under(const char *path, const char *prefix);
/* The field the resource's first fault is about, or F__COUNT. */
enum field env_fault_field(const struct envelope *ev);

/* ---- envelope_model.c: the table */

bool env_col_is_context(const struct envelope *ev);
/* The parameter under the cursor's column. */
const char *env_col_name(const struct envelope *ev);
bool env_is_param(const struct envelope *ev, const char *name);
/* The earlier row with row i's number, or NONE. */
size_t env_dup_of(const struct envelope *ev, size_t i);
/* After every change: columns, the whole check, counts, cursor in range. */
void env_recompute(struct envelope *ev);

/* ---- envelope_draw.c */

void envelope_draw(struct pane *p, WINDOW *w, struct rect a);

#endif
