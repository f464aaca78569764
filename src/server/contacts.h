/* contacts.h - an application's contacts (seed 002 and 003): found by
 * phone (E.164) or external code, created when a send carries enough data,
 * with extras (seed 002 messageParams) and context variables. */
#ifndef CCOND_CONTACTS_H
#define CCOND_CONTACTS_H

#include <ccon/error.h>
#include <ccon/field.h>
#include <ccon/phone.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

struct contact_ref {
	int64_t id;
	bool disabled;
	bool created;                    /* made by this call */
	char phone[CCON_E164_BUFSIZE];   /* the contact's phone ("" when none) */
};

/* Finds the contact with this phone or, failing that, this external code;
 * when there is none and `phone` is given, creates it (with the external
 * code too). Either argument may be NULL. 1 found or created, 0 unknown
 * and not creatable (external code only), -1 error. */
int contacts_resolve(sqlite3 *db, int64_t app_id, const char *phone, const char *external_code,
                     int64_t now_us, struct contact_ref *out, struct ccon_error *err);

/* Merges fields into the contact's extras (a JSON object; later values win). */
int contacts_merge_extras(sqlite3 *db, int64_t contact_id, const struct ccon_fields *extras,
                          struct ccon_error *err);
/* Merges a JSON object's members into the contact's context variables. */
int contacts_merge_context(sqlite3 *db, int64_t contact_id, const char *json_object,
                           struct ccon_error *err);
int contacts_set_disabled(sqlite3 *db, int64_t app_id, int64_t contact_id, bool disabled,
                          struct ccon_error *err);

/* The contacts REST view: {"total":N,"items":[{id, phone, externalCode,
 * disabled, extras, context, created}]}, filtered by phone and/or external
 * code when given, oldest first. */
int contacts_list_json(sqlite3 *db, int64_t app_id, const char *phone, const char *external_code,
                       int64_t skip, int64_t take, cJSON **out, struct ccon_error *err);

#endif
