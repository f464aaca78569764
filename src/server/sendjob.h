/* sendjob.h - the one way a send becomes a task with recipients. Every send
 * route (JSON, CSV, transactional, single WhatsApp message, seed 002
 * campaigns) fills a job, adds its recipients, and commits it:
 *
 *   sendjob_init(&job, ...);            route-specific checks come before
 *   sendjob_add(&job, &recipient) ...   duplicates (same recipient) dropped,
 *                                       counted; spooled, so a million
 *                                       recipients never sit in memory
 *   sendjob_commit(&job, db, ...)       one transaction: idempotency check,
 *                                       contacts (seed 002/003 rules), the
 *                                       task, recipients, the slot plan from
 *                                       the store's slot use, the answer
 *   sendjob_free(&job)
 *
 * A dry run does all of it and rolls back: the answer is the same, nothing
 * is created. A plan that cannot be placed is a task stored `canceled` with
 * the planner's reason (answered 202 like any other: the send was accepted
 * and its outcome is known). The answer (HTTP 202, or 200 for a dry run):
 *   {"taskId":N, "campaignId":N, "status":"scheduled"|"canceled"|"draft",
 *    "sendAt":"...Z", "timing":"now"|"schedule"|"delay", "dryRun":bool,
 *    "recipients":{"accepted":N,"rejected":N,"duplicates":N,"disabled":N},
 *    "slicing":{"condition":"fragmentedSlots","activated":bool,
 *               "slotLengthSeconds":N,"slotCapacity":N,
 *               "plan":[{"slotStart":"...Z","count":N},...],
 *               "cancelCode":"...","cancelReason":"..."},
 *    "errors":[...]}            (rows refused on the way, e.g. CSV lines)
 */
#ifndef CCOND_SENDJOB_H
#define CCOND_SENDJOB_H

#include "campaigns.h"

#include <ccon/codec_error.h>
#include <ccon/error.h>
#include <ccon/field.h>
#include <ccon/slots.h>
#include <ccon/strbuf.h>
#include <ccon/timing.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct sendjob_recipient {
	const char *recipient;          /* E.164 phone, or a group id (recipient_type "group") */
	const char *recipient_type;     /* "phone" (default) | "group" */
	const char *channel_type;       /* "cloud_api", "WhatsApp", "GoogleRcs", "sms", ... */
	const char *external_code;      /* seed 003: used to find or create the contact */
	const struct ccon_fields *params;   /* customFields / messageParams */
	const struct ccon_fields *extras;   /* saved into the contact's extras (seed 002) */
	const char *context_json;       /* context variables (JSON object text) or NULL */
	const char *external_reference; /* seed 003 */
	bool resolve_contact;           /* find/create the contact; disabled ones are dropped */
	/* Where the recipient came from, for errors found at commit time:
	 * a field path ("contacts[3]") and/or a CSV line. */
	const char *path;
	long line;
};

struct sendjob {
	/* set by sendjob_init */
	int64_t app_id;
	const struct campaign *campaign;   /* NULL: the campaign is made by before_commit */
	const char *kind;                  /* "json" "csv" "transactional" "whatsapp" "full" "v2" */
	struct ccon_timing timing;
	enum ccon_slicing slicing;
	bool dry_run;
	bool draft;                        /* v2: stored without a plan until dispatched */
	int64_t now_us;
	char *options_json;                /* kind-specific options kept with the task */
	/* Called inside the transaction before anything is written (e.g. to
	 * insert the campaign of a /campaign/full command and set campaign_id). */
	int (*before_commit)(void *ctx, sqlite3 *db, struct sendjob *job, struct ccon_error *err);
	void *before_ctx;
	int64_t campaign_id;               /* from campaign, or set by before_commit */
	const char *channel;               /* the campaign's channel, for the slots */

	/* results */
	int64_t task_id;
	int64_t accepted, rejected, duplicates, disabled;
	struct ccon_slot_config slot_config;
	struct ccon_slot_plan plan;
	struct ccon_error_list errors;     /* refused rows, reported in the answer */

	/* private */
	struct sendjob_spool *spool;
};

void sendjob_init(struct sendjob *job, int64_t app_id, const struct campaign *campaign,
                  const char *kind, int64_t now_us);
/* 1 added, 0 a duplicate (dropped and counted), -1 error (out of memory, spool I/O). */
int sendjob_add(struct sendjob *job, const struct sendjob_recipient *r, struct ccon_error *err);
/* Counts a refused row and keeps its error for the answer. */
void sendjob_reject(struct sendjob *job, const struct ccon_error *row_error);

/* Writes everything in one transaction and answers. idem_key may be NULL.
 * On success *status is 202 (200 for a dry run, or the first answer's status
 * when replayed) and *answer the JSON text (heap). -1: err says why (the
 * caller answers 4xx/5xx: CCON_E_CONFLICT means the key was used for
 * another request, 422). */
int sendjob_commit(struct sendjob *job, sqlite3 *db, const char *idem_key,
                   const char *request_hash, unsigned *status, char **answer,
                   struct ccon_error *err);

/* v2: adds the job's recipients to an existing draft task (its campaign must
 * not be dispatched), in one transaction. */
int sendjob_append(struct sendjob *job, sqlite3 *db, int64_t task_id, unsigned *status,
                   char **answer, struct ccon_error *err);
/* v2: plans and schedules a draft task. */
int sendjob_dispatch(sqlite3 *db, int64_t app_id, int64_t task_id,
                     const struct ccon_timing *timing, enum ccon_slicing slicing,
                     int64_t now_us, unsigned *status, char **answer, struct ccon_error *err);

void sendjob_free(struct sendjob *job);

#endif
