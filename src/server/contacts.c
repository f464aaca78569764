#include "config.h"

#include "contacts.h"
#include "store.h"

#include <ccon/datetime.h>

#include <cjson/cJSON.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 1 found (out filled), 0 none, -1 error. */
static int find_by(sqlite3 *db, const char *sql, int64_t app_id, const char *value,
                   struct contact_ref *out, struct ccon_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (store_prepare(db, sql, &st) != SQLITE_OK)
		return store_fail(db, err, "finding a contact");
	sqlite3_bind_int64(st, 1, app_id);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const unsigned char *phone = sqlite3_column_text(st, 2);

		out->id = sqlite3_column_int64(st, 0);
		out->disabled = sqlite3_column_int(st, 1) != 0;
		snprintf(out->phone, sizeof(out->phone), "%s", phone ? (const char *)phone : "");
	}
	store_done(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : store_fail(db, err, "finding a contact");
}

/* A contact known by its code learns the phone a send gives it. */
static int set_phone(sqlite3 *db, struct contact_ref *ref, const char *phone,
                     struct ccon_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (store_prepare(db, "UPDATE contacts SET phone = ?2 WHERE id = ?1", &st) !=
	    SQLITE_OK)
		return store_fail(db, err, "updating a contact");
	sqlite3_bind_int64(st, 1, ref->id);
	sqlite3_bind_text(st, 2, phone, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	store_done(st);
	if (rc != SQLITE_DONE)
		return store_fail(db, err, "updating a contact");
	snprintf(ref->phone, sizeof(ref->phone), "%s", phone);
	return 0;
}

static int create(sqlite3 *db, int64_t app_id, const char *phone, const char *external_code,
                  int64_t now_us, struct contact_ref *out, struct ccon_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (store_prepare(db, "INSERT INTO contacts(app_id, external_code, phone, created_us) "
	                           "VALUES (?1, ?2, ?3, ?4)", &st) != SQLITE_OK)
		return store_fail(db, err, "creating a contact");
	sqlite3_bind_int64(st, 1, app_id);
	sqlite3_bind_text(st, 2, external_code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, phone, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, now_us);
	rc = sqlite3_step(st);
	store_done(st);
	if (rc != SQLITE_DONE)
		return store_fail(db, err, "creating a contact");
	out->id = sqlite3_last_insert_rowid(db);
	out->created = true;
	snprintf(out->phone, sizeof(out->phone), "%s", phone);
	return 1;
}

int contacts_resolve(sqlite3 *db, int64_t app_id, const char *phone, const char *external_code,
                     int64_t now_us, struct contact_ref *out, struct ccon_error *err)
{
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (phone && !*phone)
		phone = NULL;
	if (external_code && !*external_code)
		external_code = NULL;
	if (phone)
		rc = find_by(db, "SELECT id, disabled, phone FROM contacts "
		                 "WHERE app_id = ?1 AND phone = ?2", app_id, phone, out, err);
	if (rc == 0 && external_code) {
		rc = find_by(db, "SELECT id, disabled, phone FROM contacts "
		                 "WHERE app_id = ?1 AND external_code = ?2", app_id, external_code, out,
		             err);
		/* no other contact has this phone: the lookup above found none */
		if (rc == 1 && phone && !out->phone[0] && set_phone(db, out, phone, err) < 0)
			return -1;
	}
	if (rc != 0 || !phone)
		return rc;
	return create(db, app_id, phone, external_code, now_us, out, err);
}

/* Reads a JSON object column of one contact: 1 (*out the object, {} when
 * the stored text is not one), 0 no such contact, -1 error. */
static int read_object(sqlite3 *db, const char *sql, int64_t contact_id, cJSON **out,
                       struct ccon_error *err)
{
	sqlite3_stmt *st;
	int rc;

	*out = NULL;
	if (store_prepare(db, sql, &st) != SQLITE_OK)
		return store_fail(db, err, "reading a contact");
	sqlite3_bind_int64(st, 1, contact_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*out = cJSON_Parse((const char *)sqlite3_column_text(st, 0));
		if (!cJSON_IsObject(*out)) {
			cJSON_Delete(*out);
			*out = cJSON_CreateObject();
		}
	}
	store_done(st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return store_fail(db, err, "reading a contact");
	return *out ? 1 : ccon_error_set(err, CCON_E_NOMEM, "out of memory");
}

static int write_object(sqlite3 *db, const char *sql, int64_t contact_id, const cJSON *obj,
                        struct ccon_error *err)
{
	char *text = cJSON_PrintUnformatted(obj);
	sqlite3_stmt *st;
	int rc;

	if (!text)
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	if (store_prepare(db, sql, &st) != SQLITE_OK) {
		cJSON_free(text);
		return store_fail(db, err, "updating a contact");
	}
	sqlite3_bind_int64(st, 1, contact_id);
	sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	store_done(st);
	cJSON_free(text);
	return rc == SQLITE_DONE ? 0 : store_fail(db, err, "updating a contact");
}

/* Sets key to item (owned) in obj, replacing a member of the same name. */
static bool put(cJSON *obj, const char *key, cJSON *item)
{
	if (!item)
		return false;
	if (cJSON_GetObjectItemCaseSensitive(obj, key))
		return cJSON_ReplaceItemInObjectCaseSensitive(obj, key, item);
	if (cJSON_AddItemToObject(obj, key, item))
		return true;
	cJSON_Delete(item);
	return false;
}

/* Top-level members of what replace the same members of the column. */
enum column { EXTRAS, CONTEXT };

static int merge(sqlite3 *db, int64_t contact_id, enum column col, const struct ccon_fields *f,
                 const cJSON *members, struct ccon_error *err)
{
	static const char *const reads[] = { "SELECT extras FROM contacts WHERE id = ?1",
	                                     "SELECT context FROM contacts WHERE id = ?1" };
	static const char *const writes[] = { "UPDATE contacts SET extras = ?2 WHERE id = ?1",
	                                      "UPDATE contacts SET context = ?2 WHERE id = ?1" };
	const cJSON *m;
	cJSON *obj;
	bool ok = true;
	int rc = read_object(db, reads[col], contact_id, &obj, err);

	if (rc <= 0)
		return rc < 0 ? -1 : ccon_error_set(err, CCON_E_NOT_FOUND, "no contact %lld",
		                                    (long long)contact_id);
	for (size_t i = 0; f && ok && i < f->count; i++)
		if (f->items[i].name && f->items[i].value)
			ok = put(obj, f->items[i].name, cJSON_CreateString(f->items[i].value));
	cJSON_ArrayForEach(m, members) {
		if (!ok)
			break;
		ok = put(obj, m->string, cJSON_Duplicate(m, true));
	}
	rc = ok ? write_object(db, writes[col], contact_id, obj, err)
	        : ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	cJSON_Delete(obj);
	return rc;
}

int contacts_merge_extras(sqlite3 *db, int64_t contact_id, const struct ccon_fields *extras,
                          struct ccon_error *err)
{
	if (!extras || extras->count == 0)
		return 0;
	return merge(db, contact_id, EXTRAS, extras, NULL, err);
}

int contacts_merge_context(sqlite3 *db, int64_t contact_id, const char *json_object,
                           struct ccon_error *err)
{
	cJSON *members;
	int rc;

	if (!json_object)
		return 0;
	members = cJSON_Parse(json_object);
	if (!cJSON_IsObject(members)) {
		cJSON_Delete(members);
		return ccon_error_set(err, CCON_E_JSON_TYPE, "context variables are a JSON object");
	}
	rc = cJSON_GetArraySize(members) ? merge(db, contact_id, CONTEXT, NULL, members, err) : 0;
	cJSON_Delete(members);
	return rc;
}

int contacts_set_disabled(sqlite3 *db, int64_t app_id, int64_t contact_id, bool disabled,
                          struct ccon_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (store_prepare(db, "UPDATE contacts SET disabled = ?3 WHERE id = ?1 AND app_id = ?2",
	                  &st) != SQLITE_OK)
		return store_fail(db, err, "updating a contact");
	sqlite3_bind_int64(st, 1, contact_id);
	sqlite3_bind_int64(st, 2, app_id);
	sqlite3_bind_int(st, 3, disabled ? 1 : 0);
	rc = sqlite3_step(st);
	store_done(st);
	if (rc != SQLITE_DONE)
		return store_fail(db, err, "updating a contact");
	if (sqlite3_changes(db) != 1)
		return ccon_error_set(err, CCON_E_NOT_FOUND, "no contact %lld in this application",
		                      (long long)contact_id);
	return 0;
}

static cJSON *parsed_or_empty(const unsigned char *text)
{
	cJSON *j = text ? cJSON_Parse((const char *)text) : NULL;

	return j ? j : cJSON_CreateObject();
}

int contacts_list_json(sqlite3 *db, int64_t app_id, const char *phone, const char *external_code,
                       int64_t skip, int64_t take, cJSON **out, struct ccon_error *err)
{
	static const char *const where =
		" FROM contacts WHERE app_id = ?1 AND (?2 IS NULL OR phone = ?2) "
		"AND (?3 IS NULL OR external_code = ?3)";
	char sql[512], when[CCON_DATETIME_FORMAT_MAX];
	sqlite3_stmt *st;
	cJSON *list, *items;
	int rc;

	*out = NULL;
	list = cJSON_CreateObject();
	items = list ? cJSON_AddArrayToObject(list, "items") : NULL;
	if (!items) {
		cJSON_Delete(list);
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	}
	snprintf(sql, sizeof(sql), "SELECT count(*)%s", where);
	if (store_prepare(db, sql, &st) != SQLITE_OK)
		goto fail;
	sqlite3_bind_int64(st, 1, app_id);
	sqlite3_bind_text(st, 2, phone, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, external_code, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		cJSON_AddNumberToObject(list, "total", (double)sqlite3_column_int64(st, 0));
	store_done(st);
	snprintf(sql, sizeof(sql), "SELECT id, phone, external_code, disabled, extras, context, "
	         "created_us%s ORDER BY id LIMIT ?5 OFFSET ?4", where);
	if (store_prepare(db, sql, &st) != SQLITE_OK)
		goto fail;
	sqlite3_bind_int64(st, 1, app_id);
	sqlite3_bind_text(st, 2, phone, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, external_code, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, skip);
	sqlite3_bind_int64(st, 5, take);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		cJSON *o = cJSON_CreateObject();
		const unsigned char *p = sqlite3_column_text(st, 1), *x = sqlite3_column_text(st, 2);

		if (!o)
			break;
		cJSON_AddNumberToObject(o, "id", (double)sqlite3_column_int64(st, 0));
		if (p)
			cJSON_AddStringToObject(o, "phone", (const char *)p);
		else
			cJSON_AddNullToObject(o, "phone");
		if (x)
			cJSON_AddStringToObject(o, "externalCode", (const char *)x);
		else
			cJSON_AddNullToObject(o, "externalCode");
		cJSON_AddBoolToObject(o, "disabled", sqlite3_column_int(st, 3) != 0);
		cJSON_AddItemToObject(o, "extras", parsed_or_empty(sqlite3_column_text(st, 4)));
		cJSON_AddItemToObject(o, "context", parsed_or_empty(sqlite3_column_text(st, 5)));
		ccon_datetime_format_fast(sqlite3_column_int64(st, 6), when);
		cJSON_AddStringToObject(o, "created", when);
		cJSON_AddItemToArray(items, o);
	}
	store_done(st);
	if (rc != SQLITE_DONE)
		goto fail;
	*out = list;
	return 0;
fail:
	cJSON_Delete(list);
	return store_fail(db, err, "listing contacts");
}
