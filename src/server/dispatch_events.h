/* dispatch_events.h - the statuses channels report later (received, read,
 * failed; delivery_events.h) applied when they fall due, with the times
 * the channel gave. Statuses only move forward, read implies received, and
 * a failure after `processed` is final. Each recipient whose last status
 * came is taken off its task's tasks.events_left. */
#ifndef CCOND_DISPATCH_EVENTS_H
#define CCOND_DISPATCH_EVENTS_H

#include <ccon/error.h>

#include <sqlite3.h>
#include <stdint.h>

/* Applies every status due by now_us, a batch of recipients a transaction. */
int dispatch_events_apply(sqlite3 *db, int64_t now_us, struct ccon_error *err);
/* When the next status falls due; INT64_MAX when none is waiting. */
int dispatch_events_next(sqlite3 *db, int64_t *out_us, struct ccon_error *err);

#endif
