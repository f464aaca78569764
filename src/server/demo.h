/* demo.h - the demo application (`ccond --demo`, the console's first run):
 * twelve campaigns on WhatsApp, SMS and RCS (REST, seed 002 full and v2),
 * with sends in every task state and recipients in every delivery status,
 * times relative to now. The same data every time: no randomness but a
 * fixed-seed hash of each recipient's position.
 *
 * Created once: when an application called DEMO_APP_NAME exists, nothing
 * is added and its key is replaced instead (the store keeps only a key's
 * hash, so the old key cannot be shown again; it stops working). */
#ifndef CCOND_DEMO_H
#define CCOND_DEMO_H

#include "apps.h"

#include <ccon/error.h>

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#define DEMO_APP_NAME "ccon demo"

/* Creates the demo application and its data (*created true), or gives the
 * existing one a new key (*created false); key receives the key to use.
 * One transaction: an error leaves the store as it was. */
int demo_create(sqlite3 *db, int64_t now_us, int64_t *app_id, char key[APP_KEY_SIZE],
                bool *created, struct ccon_error *err);

#endif
