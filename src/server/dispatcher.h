/* dispatcher.h - what makes a stored send happen: scheduled tasks start
 * when their send time comes (their slot plan re-checked), recipients are
 * handed to the channel driver slot by slot, and the statuses the channel
 * reports later (received, read, failed) are applied when they fall due.
 *
 * Every state change is a transaction. A recipient is claimed (a send key
 * recorded, still `pending`) and committed before the driver sees it; a
 * restart that finds a claimed recipient hands it over again with the same
 * key, which the driver answers from its own record: nobody gets a message
 * twice, and nobody is lost.
 *
 * On the real clock a thread runs it, sleeping until the next due instant
 * (at most 1 s) or a wake-up. On the manual clock there is no thread: the
 * clock route runs it up to the new time, stepping through each instant at
 * which something falls due, so that every timestamp is the one the real
 * clock would have given. */
#ifndef CCOND_DISPATCHER_H
#define CCOND_DISPATCHER_H

#include "driver.h"

#include <ccon/error.h>

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

struct engine;
struct dispatcher;

#define DISPATCH_BATCH 1000
#define DISPATCH_MAX_ATTEMPTS 5
#define DISPATCH_BACKOFF_US (INT64_C(30) * 1000000)   /* doubled after each attempt */

/* With `thread`, a background thread dispatches on the engine's clock. */
int dispatcher_start(struct engine *eng, const struct driver_ops *ops, void *driver_self,
                     bool thread, struct dispatcher **out, struct ccon_error *err);
/* Joins the thread (a batch in progress is finished first). */
void dispatcher_stop(struct dispatcher *d);
/* Something may be due now (a send was committed). NULL is ignored. */
void dispatcher_wake(struct dispatcher *d);

/* Runs everything due up to now_us, on db (a connection not in a
 * transaction). Runs are serialized. */
int dispatcher_run_due(struct dispatcher *d, sqlite3 *db, int64_t now_us, struct ccon_error *err);

#endif
