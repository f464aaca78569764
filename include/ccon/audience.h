/* ccon/audience.h - the audience editor's model: the seed 000 contacts of a
 * JSON send, edited row by row, pasted in bulk, checked against the
 * campaign's template variables and split into sends on dispatch.
 *
 * Every edit validates what it changed at once with contact.h's checks, and
 * keeps an error per field for the screen to mark (CCON_E_OK when the field
 * is fine) and the row's first error in ccon_contact_validate's order. Only
 * running out of memory makes an edit fail: an invalid value is kept as
 * typed, so the operator can fix it in place.
 *
 * The list is a "roster" (struct ccon_roster, ccon_roster_*): struct
 * ccon_audience is taken by codec_campaign.h's seed 002 audiences.
 */
#ifndef CCON_ROSTER_H
#define CCON_ROSTER_H

#include <ccon/contact.h>
#include <ccon/error.h>
#include <ccon/slots.h>
#include <ccon/strbuf.h>
#include <ccon/template.h>

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#define CCON_ROSTER_NONE ((size_t)-1)

struct ccon_roster_row {
	struct ccon_contact contact;        /* as typed */
	char normalized[CCON_E164_BUFSIZE]; /* the E.164 contactCode to show; "" if invalid */
	struct ccon_error code_error;       /* path "contactCode" */
	struct ccon_error channel_error;    /* path "channelType" */
	struct ccon_error *field_errors;    /* one per custom field, path "customFields.NAME" */
	struct ccon_error error;            /* the row's first error (ccon_contact_validate) */
};

struct ccon_roster {
	struct ccon_roster_row *rows;
	size_t count;
	size_t cap;
};

#define CCON_ROSTER_INIT { NULL, 0, 0 }

void ccon_roster_free(struct ccon_roster *a);

/* Appends a row (channel NULL means "cloud_api"); *index (may be NULL) gets
 * its index. 0, or -1 when out of memory (nothing added). */
int ccon_roster_add(struct ccon_roster *a, const char *code, const char *channel,
                      size_t *index);
/* Inserts a copy of row i right after it. -1: out of memory or no row i. */
int ccon_roster_duplicate(struct ccon_roster *a, size_t i);
/* Removes row i (later rows move up); an index past the end does nothing. */
void ccon_roster_remove(struct ccon_roster *a, size_t i);

/* Edits of row i; each revalidates the row. -1: out of memory or no such
 * row or field (the row is then unchanged). */
int ccon_roster_set_code(struct ccon_roster *a, size_t i, const char *code);
int ccon_roster_set_channel(struct ccon_roster *a, size_t i, const char *channel);
int ccon_roster_field_add(struct ccon_roster *a, size_t i, const char *name,
                            const char *value);
/* Sets the name and value of custom field f of row i (NULL keeps that part). */
int ccon_roster_field_set(struct ccon_roster *a, size_t i, size_t f, const char *name,
                            const char *value);
int ccon_roster_field_remove(struct ccon_roster *a, size_t i, size_t f);

static inline bool ccon_roster_row_valid(const struct ccon_roster_row *r)
{
	return r->error.code == CCON_E_OK;
}

/* The index of row i's first custom field called name, or CCON_ROSTER_NONE
 * (also when there is no row i). */
size_t ccon_roster_field_index(const struct ccon_roster *a, size_t i, const char *name);

/* The counts an editor shows over its table. */
struct ccon_roster_stats {
	size_t rows;
	size_t valid;
	size_t invalid;
	size_t duplicates;   /* valid rows whose number an earlier valid row has */
};

/* 0, or -1 when out of memory (duplicates are then not counted: 0). */
int ccon_roster_stats(const struct ccon_roster *a, struct ccon_roster_stats *st);
/* ccon_roster_duplicate_of for every row in one linear pass (what an editor
 * marks on screen): dup_of has a->count entries. 0, or -1 when out of
 * memory (dup_of is then all CCON_ROSTER_NONE). */
int ccon_roster_duplicates(const struct ccon_roster *a, size_t *dup_of);

/* The first row before i with the same normalised contactCode, or
 * CCON_ROSTER_NONE (also when row i is invalid). Such a row would be sent
 * twice if the two fell in different batches, so dispatch refuses it. */
size_t ccon_roster_duplicate_of(const struct ccon_roster *a, size_t i);
/* The first valid row whose normalised contactCode is e164, or CCON_ROSTER_NONE. */
size_t ccon_roster_find(const struct ccon_roster *a, const char *e164);

/* Pasting many numbers at once. Separators are newlines, commas, semicolons
 * and tabs; when the text has none of them, blanks separate instead (so
 * "+34 666 777 888" on its own line stays one number, and "34666777888
 * 34666777889" are two). Empty items are skipped. Each item becomes a row
 * (channel NULL means "cloud_api") unless its number is already in the
 * audience or earlier in the paste: that is a duplicate, not added. Invalid
 * items are added as marked rows so they can be fixed in place. */
struct ccon_roster_paste_item {
	size_t position;   /* 1-based number of the item in the paste */
	long line;         /* 1-based line of the item in the text */
	long column;       /* 1-based character of the item in its line */
	size_t row;        /* invalid: the row added; duplicate: the row it repeats */
	struct ccon_error error; /* invalid: why (path "contactCode") */
};

struct ccon_roster_paste {
	size_t added;      /* rows added, valid or not */
	size_t duplicates;
	size_t invalid;    /* among the added */
	struct ccon_roster_paste_item *duplicate_items; /* duplicates of them */
	struct ccon_roster_paste_item *invalid_items;   /* invalid of them */
};

/* 0, or -1 when out of memory (rows added so far stay; *out is still filled
 * with them and must be freed). */
int ccon_roster_paste(struct ccon_roster *a, const char *text, size_t len,
                        const char *channel, struct ccon_roster_paste *out);
void ccon_roster_paste_free(struct ccon_roster_paste *p);

/* The campaign's template variables row i lacks, appended to missing as
 * "a, b" (may be NULL); returns their number. */
size_t ccon_roster_row_missing(const struct ccon_roster *a, size_t i,
                                 const struct ccon_template_vars *vars,
                                 struct ccon_strbuf *missing);
/* For each variable v, counts[v] = the rows that lack it; returns the number
 * of rows that lack at least one. */
size_t ccon_roster_missing_counts(const struct ccon_roster *a,
                                    const struct ccon_template_vars *vars, size_t *counts);

/* The rows that have no custom field called name: the first max of them
 * (0-based, in order) go to rows (may be NULL when max is 0); returns how
 * many rows lack it in all. */
size_t ccon_roster_lacking(const struct ccon_roster *a, const char *name, size_t *rows,
                           size_t max);

/* Dispatch. The whole audience must be 1 or more valid rows with no
 * duplicate numbers; else -1 with the first fault: CCON_E_CONTACTS_COUNT
 * for none, the row's error with path "contacts[i]..." (i the row index), or
 * CCON_E_AUDIENCE_DUPLICATE at "contacts[i].contactCode". */
int ccon_roster_check(const struct ccon_roster *a, struct ccon_error *err);

struct ccon_roster_send {
	const char *send_id;            /* identifies this dispatch; keeps keys stable */
	const char *schedule_at;        /* NULL when absent */
	const char *delay;              /* NULL when absent */
	enum ccon_slicing slicing;
};

#define CCON_ROSTER_KEY_SIZE 96

/* Number of requests the audience needs (ccon_batch_count: at most
 * CCON_CONTACTS_PER_SEND_MAX each, as even as possible). */
size_t ccon_roster_batch_count(const struct ccon_roster *a);

/* The Idempotency-Key of batch `index`: "ccon-" + the SHA-256 hex of the
 * send id and the batch index and count, then "-" index. The same inputs
 * always give the same key, so a retry reuses it; printable ASCII, under
 * 255 bytes. */
void ccon_roster_batch_key(const char *send_id, size_t index, size_t n_batches,
                             char key[CCON_ROSTER_KEY_SIZE]);

/* The JSON body of batch `index` (ccon_send_request_encode, contactCode in
 * its E.164 form) and its key. -1 with err: the audience fails
 * ccon_roster_check, the index is past the last batch
 * (CCON_E_INVALID_ARGUMENT), or out of memory. */
int ccon_roster_batch_build(const struct ccon_roster *a, const struct ccon_roster_send *s,
                              size_t index, cJSON **body, char key[CCON_ROSTER_KEY_SIZE],
                              struct ccon_error *err);

#endif
