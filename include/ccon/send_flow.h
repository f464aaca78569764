/* ccon/send_flow.h - the send wizard's network side, over struct
 * ccon_client. Operations queue requests and return at once; the answers
 * land from ccon_client_run() and are kept here with a bitmask of what
 * changed (ccon_send_flow_changes, like ccon_model_changes). The wizard
 * pane polls the state and never does I/O itself. No curses.
 *
 * An operation started while the same one is in flight replaces it (the
 * older request is canceled and its answer never lands), except dispatch:
 * a dispatch in flight refuses another (CCON_E_INVALID_ARGUMENT, "a
 * dispatch is running").
 *
 * Dispatch sends every request of the draft (send_draft.h) with its
 * Idempotency-Key, one after the other (request i+1 is queued when i has
 * answered). A network failure is retried by the client with the same key;
 * when it finally gives up, the flow stops in CCON_FLOW_FAILED and says at
 * which request. Calling dispatch again with the same draft resends from
 * the first request with the SAME keys: what the server already took is
 * answered again from its idempotency store and nothing is doubled.
 * A refusal (4xx) also stops the dispatch, with the server's error.
 *
 * The server's now: ccon_send_flow_read_time reads GET /v1/health ("time",
 * "clock"); ccon_send_flow_server_now then gives that time, advanced by the
 * monotonic time since the answer when the server's clock is real (a
 * manual clock stands still until told).
 */
#ifndef CCON_SEND_FLOW_H
#define CCON_SEND_FLOW_H

#include <ccon/client.h>
#include <ccon/codec_campaign_def.h>
#include <ccon/codec_whatsapp.h>
#include <ccon/error.h>
#include <ccon/send_draft.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ccon_send_flow;

enum {
	CCON_FLOW_CAMPAIGNS = 1u << 0,   /* the campaign list arrived (or failed) */
	CCON_FLOW_CAMPAIGN = 1u << 1,    /* one campaign's definition arrived (or failed) */
	CCON_FLOW_TIME = 1u << 2,        /* the server's now arrived (or failed) */
	CCON_FLOW_SLOTS = 1u << 3,       /* the slots view arrived (or failed) */
	CCON_FLOW_DRY_RUN = 1u << 4,     /* dry-run answers / timeline changed */
	CCON_FLOW_DISPATCH = 1u << 5,    /* dispatch progressed, finished or failed */
};

enum ccon_flow_state {
	CCON_FLOW_IDLE = 0,              /* never started */
	CCON_FLOW_RUNNING,               /* requests in flight */
	CCON_FLOW_DONE,                  /* every answer in */
	CCON_FLOW_FAILED,                /* stopped: see the op's error */
};

const char *ccon_flow_state_name(enum ccon_flow_state s);

/* The client is borrowed (it must outlive the flow); app_id >= 1. */
int ccon_send_flow_new(struct ccon_client *client, int64_t app_id, struct ccon_send_flow **out,
                       struct ccon_error *err);
/* Cancels whatever is in flight (no callback will touch the flow). NULL ok. */
void ccon_send_flow_free(struct ccon_send_flow *f);

/* CCON_FLOW_* bits changed since the last call; clears them. */
unsigned ccon_send_flow_changes(struct ccon_send_flow *f);
/* Requests of this flow in flight. */
unsigned ccon_send_flow_in_flight(const struct ccon_send_flow *f);

/* ---- campaigns */

/* GET /v1/applications/{appId}/campaigns ($take 100, newest first). */
int ccon_send_flow_list_campaigns(struct ccon_send_flow *f, struct ccon_error *err);
/* The list (valid until the next list answer); state and error of the op. */
const struct ccon_rest_campaign_info *ccon_send_flow_campaigns(const struct ccon_send_flow *f,
                                                              size_t *count);
enum ccon_flow_state ccon_send_flow_campaigns_state(const struct ccon_send_flow *f,
                                                    struct ccon_error *err);

/* GET /v1/applications/{appId}/campaigns/{id}. */
int ccon_send_flow_load_campaign(struct ccon_send_flow *f, int64_t campaign_id,
                                 struct ccon_error *err);
/* NULL until it arrived; ccon_send_draft_set_campaign takes it. */
const struct ccon_rest_campaign_info *ccon_send_flow_campaign(const struct ccon_send_flow *f);
enum ccon_flow_state ccon_send_flow_campaign_state(const struct ccon_send_flow *f,
                                                   struct ccon_error *err);

/* ---- the server's now */

int ccon_send_flow_read_time(struct ccon_send_flow *f, struct ccon_error *err);
/* false until a health answer with "time" arrived. */
bool ccon_send_flow_server_now(const struct ccon_send_flow *f, int64_t *now_us);
/* Whether the server said "clock":"manual". */
bool ccon_send_flow_clock_manual(const struct ccon_send_flow *f);

/* ---- slots */

/* GET /v1/applications/{appId}/slots?channel=CH&from=FROM (48 h). from_us
 * 0: the server's now. */
int ccon_send_flow_read_slots(struct ccon_send_flow *f, const char *channel, int64_t from_us,
                              struct ccon_error *err);
const struct ccon_slots_view *ccon_send_flow_slots(const struct ccon_send_flow *f);
enum ccon_flow_state ccon_send_flow_slots_state(const struct ccon_send_flow *f,
                                                struct ccon_error *err);

/* ---- dry run */

/* Checks the draft (ccon_send_draft_check at the server's now, which must
 * be known: read_time first), sends every request with ?dryRun=true, then
 * reads the slots of the draft's channel from the first answer's sendAt
 * and builds the timeline. A draft that fails its check makes no request
 * (-1 with the draft's error). Kinds without a dry run (envelope,
 * whatsapp): -1 CCON_E_INVALID_ARGUMENT. The requests are built at the
 * call: later edits of the draft do not change a dry run in flight. */
int ccon_send_flow_dry_run(struct ccon_send_flow *f, const struct ccon_send_draft *d,
                           struct ccon_error *err);
enum ccon_flow_state ccon_send_flow_dry_run_state(const struct ccon_send_flow *f,
                                                  struct ccon_error *err);
const struct ccon_send_answer *ccon_send_flow_dry_answers(const struct ccon_send_flow *f,
                                                          size_t *count);
/* NULL until the answers and the slots are in. */
const struct ccon_timeline *ccon_send_flow_timeline(const struct ccon_send_flow *f);

/* ---- dispatch */

/* Checks the draft as dry_run does (no request when it fails), then sends
 * its requests one after another (see the top). */
int ccon_send_flow_dispatch(struct ccon_send_flow *f, const struct ccon_send_draft *d,
                            struct ccon_error *err);

struct ccon_send_dispatch {
	enum ccon_flow_state state;
	size_t total;                   /* requests */
	size_t done;                    /* answered and accepted */
	size_t failed_at;               /* FAILED: the request that stopped it */
	unsigned attempts;              /* of the last answered request */
	struct ccon_error err;          /* FAILED: why (the server's error or
	                                 * CCON_E_IO for a network give-up) */
	/* What the dispatch created, for the report pane: */
	int64_t campaign_id;            /* REST kinds; 0 for the envelope */
	int64_t *task_ids;              /* one per accepted request (REST kinds) */
	size_t n_task_ids;
	const struct ccon_send_answer *answers;   /* REST kinds, `done` of them */
	char *envelope_campaign_id;     /* envelope: the created campaign's id */
	char *envelope_status;          /* envelope: its status ("new", "scheduled") */
	struct ccon_whatsapp_answer whatsapp;     /* whatsapp: trackingId, createdAt */
};

/* Borrowed; valid until the next dispatch call or the flow's end. */
const struct ccon_send_dispatch *ccon_send_flow_dispatch_result(const struct ccon_send_flow *f);

#endif
