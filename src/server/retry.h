/* retry.h - re-sending a campaign's failed recipients (retry-failed).
 *
 * The failed recipients of a campaign are its rows in status `failed` that
 * no later attempt superseded (retried = 0). By default only those whose
 * reason the channel driver calls worth a retry are taken; `all` takes
 * every failure. In one transaction:
 *   - one new task, kind "retry", send time now, fragmentedSlots, whose
 *     retry_of is the newest task the taken rows belong to;
 *   - one new pending row per taken row (same recipient, contact, channel
 *     type, params, context and reference), its retry_of naming that row;
 *   - the taken rows marked retried (superseded: campaign-wide counts take
 *     each recipient's latest attempt).
 * The new rows get their slots when the task starts (the dispatcher plans
 * unplaced recipients with libccon's planner, like any re-checked plan);
 * the planner is asked here first, so that a retry that could not be placed
 * is refused instead of created canceled.
 *
 * Refusals (nothing written):
 *   CCON_E_NOTHING_TO_RETRY        no failed recipient to take
 *   CCON_E_CAMPAIGN_NOT_FINISHED   a taken row's task is still scheduled or
 *                                  running (its other recipients pending)
 *   the planner's cancel code      the 48 h cannot hold them
 *   CCON_E_CONFLICT                the Idempotency-Key of another request
 *
 * The answer (HTTP 202, or 200 for a dry run, which writes nothing):
 *   {"campaignId":N, "taskId":N|null, "retryOf":N, "status":"scheduled",
 *    "sendAt":"...Z", "dryRun":bool, "all":bool, "recipients":N,
 *    "skipped":{"notRetryable":N},
 *    "slicing":{"condition":"fragmentedSlots","activated":bool}}
 */
#ifndef CCOND_RETRY_H
#define CCOND_RETRY_H

#include <ccon/error.h>

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

struct retry_request {
	int64_t app_id;
	int64_t campaign_id;          /* the application's (checked by the caller) */
	const char *channel;          /* the campaign's: "whatsapp" | "sms" | "rcs" */
	bool all;                     /* every failure, not only those worth it */
	bool dry_run;
	int64_t now_us;
	/* the driver's classification (struct driver_ops.retry_worthy) */
	bool (*worthy)(const char *channel, int code);
	const char *idem_key;         /* NULL: none */
	const char *request_hash;     /* with idem_key */
};

/* 0 with *status and *answer (heap JSON text) set, or -1 with err set
 * (its code says which refusal; store errors are CCON_E_IO). */
int retry_failed(sqlite3 *db, const struct retry_request *rq, unsigned *status, char **answer,
                 struct ccon_error *err);

#endif
