/* slot_store.h - per application and channel: slot length and capacity
 * (defaults 15 min and 1,000), and how many messages each slot already
 * holds, for libccon's planner. */
#ifndef CCOND_SLOT_STORE_H
#define CCOND_SLOT_STORE_H

#include <ccon/error.h>
#include <ccon/slots.h>

#include <sqlite3.h>
#include <stdint.h>

/* The configuration in force (the defaults when none is stored). */
int slot_store_config(sqlite3 *db, int64_t app_id, const char *channel,
                      struct ccon_slot_config *out, struct ccon_error *err);
int slot_store_set_config(sqlite3 *db, int64_t app_id, const char *channel,
                          const struct ccon_slot_config *cfg, struct ccon_error *err);

/* Use of the slots from the one containing from_us for `window_us`: fills a
 * heap array (free with slot_store_usage_free). */
int slot_store_usage(sqlite3 *db, int64_t app_id, const char *channel,
                     const struct ccon_slot_config *cfg, int64_t from_us, int64_t window_us,
                     struct ccon_slot_usage *out, struct ccon_error *err);
void slot_store_usage_free(struct ccon_slot_usage *usage);

/* Adds (or, with a negative sign, gives back) a plan's shares. */
int slot_store_reserve(sqlite3 *db, int64_t app_id, const char *channel,
                       const struct ccon_slot_plan *plan, int sign, struct ccon_error *err);

/* Sets each of the application's slot_use.sent to what its recipients
 * say (for data written other than through the dispatcher: the demo). */
int slot_store_recount_sent(sqlite3 *db, int64_t app_id, struct ccon_error *err);

#endif
