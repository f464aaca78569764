/* server_conf.h - ccond's configuration file (ccond(8), FILES): slot
 * length and capacity per channel, for every application or one.
 *
 *   # comment
 *   [slots]              every application
 *   whatsapp = 900 1000  slot length in seconds, capacity in messages
 *   [slots 12]           application 12 only
 *   sms = 60 100
 *
 * Channels in any letter case; blank lines and # comments anywhere. The
 * file is read at start-up; a slot configuration set through the API
 * (PUT .../slots/config) wins over it. */
#ifndef CCOND_SERVER_CONF_H
#define CCOND_SERVER_CONF_H

#include <ccon/error.h>
#include <ccon/slots.h>

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SLOT_LENGTH_MAX_S 86400
#define SLOT_CAPACITY_MAX 1000000000

struct server_conf_slot {
	int64_t app_id;                 /* 0: every application */
	char channel[16];               /* canonical: whatsapp, sms, rcs */
	struct ccon_slot_config cfg;
};

struct server_conf {
	struct server_conf_slot *slots;
	size_t n_slots;
};

/* Parses the text; errors carry the line and column. */
int server_conf_parse(const char *text, size_t len, struct server_conf *out,
                      struct ccon_error *err);
/* Reads path; a missing file is an empty configuration when !required. */
int server_conf_load(const char *path, bool required, struct server_conf *out,
                     struct ccon_error *err);
/* Replaces the store's slot defaults with the file's, in one transaction. */
int server_conf_apply(sqlite3 *db, const struct server_conf *conf, struct ccon_error *err);
void server_conf_free(struct server_conf *conf);

#endif
