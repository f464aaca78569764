/* ccon/send_draft.h - the send being composed in the wizard: what kind of
 * send, which campaign, the audience, when, how it is sliced; the checks
 * run on every keystroke; the exact requests the review shows and the
 * dispatch sends; the decoders of the send and slots answers; and the slot
 * timeline the wizard draws. Pure: no I/O, no clock (the SERVER's now is
 * passed in), no curses. The flow (send_flow.h) does the network.
 *
 * Strings in the draft are owned (malloc'ed, NULL when absent) and set with
 * ccon_draft_str_set; the embedded codec structs (roster, layout,
 * transactional request, WhatsApp message, full campaign) are edited with
 * their own modules' functions or directly. ccon_send_draft_free frees all.
 *
 * Decisions where the seeds are silent:
 * - delay exists only for seed 000/001 sends (the only seeds that have it);
 *   on a transactional or envelope send it is refused at "delay"; a single
 *   WhatsApp message (seed 004) has no timing at all: scheduleAt and delay
 *   are refused there.
 * - scheduleAt may be typed as ISO 8601 with Z or an offset, or as local
 *   time "YYYY-MM-DD HH:MM[:SS]" (a space, not 'T'), read in the machine's
 *   time zone (TZ) and sent as UTC. A local time that does not exist (the
 *   spring-forward gap) is refused; an ambiguous one (fall back) takes the
 *   earlier instant and the reading says so.
 * - Transactional scheduleDate and the envelope's `scheduled` are written
 *   from the same resolved instant, as ISO 8601 UTC.
 * - Idempotency keys: ccon_roster_batch_key(send_id, i, n) for every kind
 *   (n = 1 for single-request kinds), so a draft keeps its keys across
 *   retries and a second dispatch; editing the audience after a failed
 *   dispatch gives the server another body under the same key, which it
 *   refuses (422 conflict) rather than sending twice.
 */
#ifndef CCON_SEND_DRAFT_H
#define CCON_SEND_DRAFT_H

#include <ccon/audience.h>
#include <ccon/codec_campaign.h>
#include <ccon/codec_campaign_def.h>
#include <ccon/codec_error.h>
#include <ccon/codec_transactional.h>
#include <ccon/codec_whatsapp.h>
#include <ccon/datetime.h>
#include <ccon/error.h>
#include <ccon/layout.h>
#include <ccon/slots.h>
#include <ccon/sms.h>
#include <ccon/strbuf.h>
#include <ccon/template.h>
#include <ccon/timing.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- kinds */

enum ccon_send_kind {
	CCON_SEND_KIND_JSON = 0,       /* seed 000: campaign from JSON contacts (the roster) */
	CCON_SEND_KIND_CSV,            /* seed 001: campaign from a CSV file + layout */
	CCON_SEND_KIND_TRANSACTIONAL,  /* seed 003: transactional SMS */
	CCON_SEND_KIND_ENVELOPE,       /* seed 002: set /campaign/full, Individual or Batch */
	CCON_SEND_KIND_WHATSAPP,       /* seed 004: one WhatsApp message */
	CCON_SEND_KIND__COUNT
};

/* "json", "csv", "transactional", "envelope", "whatsapp" (for commands and
 * logs); NULL out of range. */
const char *ccon_send_kind_id(enum ccon_send_kind k);
/* The name the wizard lists ("Campaign from JSON contacts") and a one-line
 * description; NULL out of range. */
const char *ccon_send_kind_name(enum ccon_send_kind k);
const char *ccon_send_kind_description(enum ccon_send_kind k);
/* Accepts the id; -1 when unknown. */
int ccon_send_kind_parse(const char *s, enum ccon_send_kind *out);
/* Whether the kind sends to an existing REST campaign (json, csv,
 * transactional), whether it has a slot plan (json, csv, transactional,
 * envelope: they become tasks) and whether it allows a delay (json, csv). */
bool ccon_send_kind_needs_campaign(enum ccon_send_kind k);
bool ccon_send_kind_has_timing(enum ccon_send_kind k);
bool ccon_send_kind_has_delay(enum ccon_send_kind k);

/* ---- the draft */

#define CCON_SEND_ID_SIZE 33   /* 32 hex digits + NUL */

struct ccon_send_campaign {
	int64_t id;                     /* 0: none chosen */
	char *name;                     /* as the server gave it (sanitise to draw) */
	char *channel;                  /* "whatsapp" | "sms" | "rcs" */
	char *template_body;            /* NULL when the definition has none */
	struct ccon_template_vars vars; /* what every recipient must supply */
};

struct ccon_send_draft {
	enum ccon_send_kind kind;
	int64_t app_id;
	struct ccon_send_campaign campaign;

	/* json */
	struct ccon_roster roster;
	/* csv */
	char *csv_path;
	struct ccon_layout layout;
	bool has_layout;

	/* timing, as typed ("" or NULL: absent); both may be typed at once and
	 * are then refused (timing.h's exclusive rule) */
	char *schedule_at;
	char *delay;
	enum ccon_slicing slicing;

	char send_id[CCON_SEND_ID_SIZE];

	/* transactional: campaign_id and schedule_date are filled from the
	 * draft when requests are built; the rest is edited here */
	struct ccon_transactional_request tx;
	/* envelope: campaign.scheduled is filled from the timing when requests
	 * are built; type Individual uses audiences[0] */
	struct ccon_full_campaign envelope;
	/* whatsapp */
	struct ccon_whatsapp_message wa;
};

/* An empty draft of that kind for app_id with a fresh random send id
 * (getentropy; falls back to time and address bits). Slicing defaults to
 * fragmentedSlots, the envelope to Batch / WhatsApp, nlsMode auto. */
void ccon_send_draft_init(struct ccon_send_draft *d, enum ccon_send_kind kind, int64_t app_id);
void ccon_send_draft_free(struct ccon_send_draft *d);
/* Changes the kind; everything typed is kept (switching back loses nothing). */
void ccon_send_draft_set_kind(struct ccon_send_draft *d, enum ccon_send_kind kind);
/* Replaces the send id (32 hex digits, or any 1..32 printable characters
 * for tests); a new id means new idempotency keys: a new send. -1 when
 * the id is empty or too long. */
int ccon_send_draft_set_send_id(struct ccon_send_draft *d, const char *id);
/* A new random send id (after a finished dispatch, to send again). */
void ccon_send_draft_renew_send_id(struct ccon_send_draft *d);

/* The REST channel ("whatsapp", "sms") whose slots the kind uses, given the
 * campaign's channel when it has one; the envelope's is its channelType
 * ("whatsapp" or "rcs"). */
const char *ccon_send_draft_slot_channel(const struct ccon_send_draft *d);

/* *slot = copy of text (NULL or "" -> NULL). 0, or -1 when out of memory
 * (*slot unchanged). */
int ccon_draft_str_set(char **slot, const char *text);

/* Takes the campaign from a GET .../campaigns/{id} answer: id, name,
 * channel, templateBody, variables. 0, or -1 (out of memory, or a template
 * body that does not parse: err at "templateBody"). */
int ccon_send_draft_set_campaign(struct ccon_send_draft *d,
                                 const struct ccon_rest_campaign_info *ci, struct ccon_error *err);
/* Sets the CSV layout (copied through encode/decode; NULL clears it). */
int ccon_send_draft_set_layout(struct ccon_send_draft *d, const struct ccon_layout *layout,
                               struct ccon_error *err);

/* Transactional contacts: appends an empty one (*index gets its index),
 * removes one. -1 when out of memory / no such contact. */
int ccon_send_draft_tx_add(struct ccon_send_draft *d, size_t *index);
int ccon_send_draft_tx_remove(struct ccon_send_draft *d, size_t i);
/* Envelope audiences: the same. */
int ccon_send_draft_env_add(struct ccon_send_draft *d, const char *recipient, size_t *index);
int ccon_send_draft_env_remove(struct ccon_send_draft *d, size_t i);

/* ---- timing, for every keystroke */

#define CCON_SEND_READING_MAX 200

struct ccon_send_timing {
	bool ok;                        /* false: err says where and why */
	enum ccon_timing_form form;
	int64_t send_us;                /* the resolved send time (now when form NOW) */
	int64_t limit_us;               /* now + 3 months */
	bool local_input;               /* scheduleAt was typed as local time */
	char utc[CCON_DATETIME_FORMAT_MAX];   /* send time, ISO 8601 UTC: what is sent
	                                       * as scheduleAt / scheduleDate */
	char local[64];                 /* "2026-12-01 10:00:00 CET (+01:00)" */
	/* For people: "now"; "30 min 50.5 s, at 18:05:12 UTC" (a delay; the date
	 * is added when the day is not now's); "2026-12-01 10:00:00 CET (+01:00)
	 * = 2026-12-01 09:00:00 UTC, in 2 days 3 h" (a schedule). */
	char reading[CCON_SEND_READING_MAX];
	struct ccon_error err;          /* path "scheduleAt" or "delay", column 1-based */
};

/* Checks the draft's timing against the server's now (timing.h's rules,
 * plus the kind's: delay only for json/csv, none for whatsapp). Returns 0
 * when ok, else -1 with out->err (also copied to err when not NULL). */
int ccon_send_draft_check_timing(const struct ccon_send_draft *d, int64_t now_us,
                                 struct ccon_send_timing *out, struct ccon_error *err);

/* The local-time form alone: "YYYY-MM-DD HH:MM[:SS]" in the machine's TZ to
 * an instant. Errors CCON_E_DATETIME_SYNTAX / _RANGE with the column; a
 * time in a DST gap is CCON_E_DATETIME_RANGE. *ambiguous (may be NULL) is
 * set for a time that occurs twice. */
int ccon_local_time_parse(const char *s, int64_t *out_us, bool *ambiguous,
                          struct ccon_error *err);

/* ---- whole-draft and per-kind checks */

/* Everything dispatch needs, in the wizard's step order: campaign chosen
 * (kinds that need one; json/csv need a whatsapp campaign, transactional an
 * sms one), audience (roster check; csv path + layout whose customFields
 * cover the campaign's variables; transactional contacts; envelope
 * audiences), the kind's codec validation (WhatsApp limits, transactional
 * contacts, envelope rules) and the timing. 0, or -1 with the first fault;
 * paths are the request's ("contacts[3].contactCode", "text",
 * "audiences[0].messageParams.1", "scheduleAt"), the campaign step's is
 * "campaignId", the file's "file". */
int ccon_send_draft_check(const struct ccon_send_draft *d, int64_t now_us, struct ccon_error *err);

/* Just the kind's fields (no campaign, no timing): what the WhatsApp and
 * transactional forms show in place while typing. */
int ccon_send_draft_check_fields(const struct ccon_send_draft *d, struct ccon_error *err);

/* Transactional live display: the campaign's templateBody rendered with
 * contact i's customFields (a missing variable is left as "{{name}}" and
 * reported in *missing, may be NULL) into text (may be NULL), and its SMS
 * encoding and segments under the draft's nlsMode. -1 only for no template
 * body (CCON_E_JSON_REQUIRED at "templateBody"), invalid UTF-8 or out of
 * memory. */
int ccon_send_draft_sms(const struct ccon_send_draft *d, size_t i, struct ccon_strbuf *text,
                        size_t *missing, struct ccon_sms_info *info, struct ccon_error *err);

/* Number of recipients the draft holds (csv: 0, unknown until the file is
 * read). */
size_t ccon_send_draft_recipients(const struct ccon_send_draft *d);

/* ---- the requests */

struct ccon_send_req {
	const char *method;             /* "POST" (static) */
	char *path;                     /* "/v1/applications/1/campaigns/3/send[?dryRun=true]";
	                                 * envelope: the command uri "/campaign/full" */
	char *content_type;             /* "application/json", "multipart/form-data;
	                                 * boundary=...", envelope: the resource type */
	char *body;                     /* JSON text; csv: the multipart up to and
	                                 * including the file part's headers */
	size_t len;
	char *tail;                     /* csv: what follows the file's bytes; else NULL */
	size_t tail_len;
	char *file_path;                /* csv: the file whose bytes go between body
	                                 * and tail; else NULL */
	char *display;                  /* what the review shows: pretty JSON, or the
	                                 * multipart as text with the file part as
	                                 * "<the bytes of NAME>" (NAME as sent) */
	char key[CCON_ROSTER_KEY_SIZE]; /* Idempotency-Key */
	size_t recipients;              /* contacts in this request (csv: 0) */
	bool command;                   /* envelope: send with ccon_client_command
	                                 * ("set", path as uri, content_type as type,
	                                 * body as resource) */
};

struct ccon_send_reqs {
	struct ccon_send_req *items;
	size_t count;
};

/* Builds every request of the draft (it must pass ccon_send_draft_check at
 * now_us: the timing is resolved there and written in UTC). dry_run adds
 * ?dryRun=true to REST paths (the envelope has no dry run: -1 with
 * CCON_E_INVALID_ARGUMENT). JSON rosters over 100 become several requests
 * (ccon_roster_batch_build). 0, or -1 with err; *out is then empty. */
int ccon_send_draft_requests(const struct ccon_send_draft *d, int64_t now_us, bool dry_run,
                             struct ccon_send_reqs *out, struct ccon_error *err);
void ccon_send_reqs_free(struct ccon_send_reqs *r);

/* ---- answers */

struct ccon_send_answer {
	bool has_task_id;               /* false on a dry run (taskId null) */
	int64_t task_id;
	int64_t campaign_id;
	char *status;                   /* "scheduled", "running", "canceled", ... */
	bool has_send_at;
	int64_t send_at_us;
	char *timing;                   /* "now" | "schedule" | "delay", NULL when absent */
	bool dry_run;
	int64_t accepted, rejected, duplicates, disabled;
	bool has_slicing;
	enum ccon_slicing condition;
	bool activated;
	int64_t slot_length_us;
	int64_t slot_capacity;
	struct ccon_slot_share *plan;   /* time order */
	size_t n_plan;
	char *cancel_code;              /* NULL unless the plan was canceled */
	char *cancel_reason;
	struct ccon_error_list errors;  /* rejected rows (csv, transactional) */
};

/* Decodes a 200/202 send answer (all kinds that make a task). On failure
 * *out is left empty, err names the field. */
int ccon_send_answer_parse(const char *text, size_t len, struct ccon_send_answer *out,
                           struct ccon_error *err);
void ccon_send_answer_free(struct ccon_send_answer *a);

struct ccon_slots_row {
	int64_t start_us;
	int64_t capacity;
	int64_t reserved;               /* every place planned there, sent or not */
	int64_t sent;
	int64_t free;
};

struct ccon_slots_view {
	char *channel;
	int64_t length_us;
	int64_t capacity;
	struct ccon_slots_row *rows;    /* consecutive slots, time order */
	size_t count;
};

/* Decodes GET .../slots. Rows must be consecutive slots of length_us. */
int ccon_slots_view_parse(const char *text, size_t len, struct ccon_slots_view *out,
                          struct ccon_error *err);
void ccon_slots_view_free(struct ccon_slots_view *v);

/* ---- the timeline */

struct ccon_timeline_row {
	int64_t start_us;
	int64_t capacity;
	int64_t others;                 /* reserved by other sends */
	int64_t mine;                   /* this send's share (all its requests) */
	int64_t free;                   /* capacity - others - mine, never below 0 */
	bool start;                     /* the slot holding the send time */
	bool activated;                 /* slicing activates here: the start slot of a
	                                 * request whose audience did not fit */
};

struct ccon_timeline_batch {
	int64_t audience;               /* recipients planned (accepted) */
	bool activated;
	bool canceled;
	char cancel_code[40];
	char cancel_reason[CCON_ERROR_MESSAGE_MAX];
	struct ccon_slot_share *shares;
	size_t n_shares;
};

struct ccon_timeline {
	struct ccon_timeline_row *rows; /* the 48 h window from the send's start slot */
	size_t count;
	int64_t send_us;
	int64_t length_us;
	int64_t capacity;
	enum ccon_slicing condition;
	bool activated;                 /* any request activated slicing */
	bool canceled;                  /* any request canceled */
	char cancel_reason[CCON_ERROR_MESSAGE_MAX];  /* the first canceled one's */
	struct ccon_timeline_batch *batches;         /* one per request */
	size_t n_batches;
	int64_t placed;                 /* recipients with a slot */
	int64_t audience;               /* recipients of all requests */
	/* The local planner over the slots view gives the server's plan for the
	 * first request: false means the view is stale (read the slots again). */
	bool agrees;
};

/* Merges the slots view and the dry-run answers (one per request, in
 * dispatch order) into the rows the wizard draws. Request 0 takes the
 * server's plan; request i > 0 is planned with ccon_slot_plan_compute over
 * the view plus the shares of requests 0..i-1, exactly as ccond will when
 * the requests arrive one after another. The view must cover the window
 * (else its missing slots count as free). 0, or -1 (no answer, an answer
 * without slicing, out of memory). */
int ccon_timeline_build(const struct ccon_slots_view *slots, const struct ccon_send_answer *dry,
                        size_t n_dry, struct ccon_timeline *out, struct ccon_error *err);
void ccon_timeline_free(struct ccon_timeline *t);

#endif
