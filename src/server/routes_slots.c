/* ccond's slot extension:
 *   GET /v1/applications/{appId}/slots?channel=whatsapp&from=ISO&to=ISO
 *     capacity, reserved (planned by scheduled sends) and sent per slot,
 *     from the slot containing `from` (default now) to `to` (default
 *     from + 48 h; at most 7 days);
 *   PUT /v1/applications/{appId}/slots/config
 *     {"channel":"whatsapp","slotLengthSeconds":900,"capacity":1000}. */
#include "config.h"

#include "routes.h"
#include "send_common.h"
#include "server_conf.h"
#include "slot_store.h"
#include "store.h"

#include <ccon/codec_campaign_def.h>
#include <ccon/datetime.h>
#include <ccon/json_util.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS_MAX_RANGE_US (INT64_C(7) * CCON_US_PER_DAY)

/* The channel named by `raw` ("whatsapp", "sms" or "rcs", any case) in its
 * canonical spelling; answers 400 at path and returns NULL otherwise. */
static const char *slot_channel(struct api_call *c, const char *raw, const char *path)
{
	enum ccon_rest_channel ch;
	struct ccon_error err;

	if (raw && ccon_rest_channel_parse(raw, &ch) == 0)
		return ccon_rest_channel_name(ch);
	ccon_error_clear(&err);
	ccon_error_set(&err, CCON_E_JSON_VALUE, "channel must be whatsapp, sms or rcs (got '%.40s')",
	               raw ? raw : "");
	ccon_error_at_path(&err, path);
	api_reply_error(c, 400, &err);
	return NULL;
}

static bool query_time(struct api_call *c, const char *key, int64_t fallback, int64_t *out)
{
	const char *v = http_query(c->req, key);
	struct ccon_error err;

	*out = fallback;
	if (!v || !*v)
		return true;
	ccon_error_clear(&err);
	if (ccon_datetime_parse(v, out, &err) == 0)
		return true;
	ccon_error_at_path(&err, key);
	api_reply_error(c, 400, &err);
	return false;
}

/* Recipients already handed to the channel, per slot (the dispatcher
 * counts them in slot_use.sent). */
static int sent_per_slot(sqlite3 *db, int64_t app_id, const char *channel, int64_t from,
                         int64_t to, const struct ccon_slot_config *cfg, int64_t *sent,
                         size_t count, struct ccon_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT slot_start_us, sent FROM slot_use WHERE app_id = ?1 "
	                           "AND channel = ?2 AND slot_start_us >= ?3 AND slot_start_us < ?4",
	                       -1, &st, NULL) != SQLITE_OK)
		return store_fail(db, err, "reading slot use");
	sqlite3_bind_int64(st, 1, app_id);
	sqlite3_bind_text(st, 2, channel, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, from);
	sqlite3_bind_int64(st, 4, to);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t i = (sqlite3_column_int64(st, 0) - from) / cfg->length_us;

		if (i >= 0 && (size_t)i < count)
			sent[i] = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_fail(db, err, "reading slot use");
}

void api_slots_get(struct api_call *c)
{
	const char *channel;
	struct ccon_slot_config cfg;
	struct ccon_slot_usage usage = { 0 };
	char when[CCON_DATETIME_FORMAT_MAX];
	struct ccon_error err;
	int64_t from, to, *sent = NULL;
	cJSON *body, *arr;

	ccon_error_clear(&err);
	if (!api_own_app(c))
		return;
	channel = http_query(c->req, "channel");
	channel = slot_channel(c, channel ? channel : "whatsapp", "channel");
	if (!channel)
		return;
	if (!query_time(c, "from", c->now_us, &from) ||
	    !query_time(c, "to", from + CCON_SLOT_WINDOW_US, &to))
		return;
	if (to <= from || to - from > SLOTS_MAX_RANGE_US) {
		ccon_error_set(&err, CCON_E_JSON_RANGE, "'to' must come after 'from', at most 7 days later");
		ccon_error_at_path(&err, "to");
		api_reply_error(c, 400, &err);
		return;
	}
	if (slot_store_config(c->db, c->app_id, channel, &cfg, &err) < 0 ||
	    slot_store_usage(c->db, c->app_id, channel, &cfg, from, to - from, &usage, &err) < 0 ||
	    !(sent = calloc(usage.count ? usage.count : 1, sizeof(*sent))) ||
	    sent_per_slot(c->db, c->app_id, channel, usage.origin_us,
	                  usage.origin_us + (int64_t)usage.count * cfg.length_us, &cfg, sent,
	                  usage.count, &err) < 0) {
		if (!err.code)
			ccon_error_set(&err, CCON_E_NOMEM, "out of memory");
		api_reply_error(c, 500, &err);
		goto out;
	}
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "channel", channel);
	cJSON_AddNumberToObject(body, "slotLengthSeconds", (double)cfg.length_us / 1e6);
	cJSON_AddNumberToObject(body, "capacity", (double)cfg.capacity);
	arr = cJSON_AddArrayToObject(body, "slots");
	for (size_t i = 0; arr && i < usage.count; i++) {
		cJSON *o = cJSON_CreateObject();
		int64_t reserved = usage.used[i];

		ccon_datetime_format(usage.origin_us + (int64_t)i * cfg.length_us, when, sizeof(when), NULL);
		cJSON_AddStringToObject(o, "start", when);
		cJSON_AddNumberToObject(o, "capacity", (double)cfg.capacity);
		cJSON_AddNumberToObject(o, "reserved", (double)reserved);
		cJSON_AddNumberToObject(o, "sent", (double)sent[i]);
		cJSON_AddNumberToObject(o, "free", (double)(reserved >= cfg.capacity ? 0 : cfg.capacity - reserved));
		cJSON_AddItemToArray(arr, o);
	}
	api_reply_json(c, 200, body);
out:
	free(sent);
	slot_store_usage_free(&usage);
}

void api_slots_set_config(struct api_call *c)
{
	struct ccon_json_path path;
	struct ccon_slot_config cfg;
	struct ccon_error err;
	const char *channel = NULL;
	double length_s = 0, capacity = 0;
	cJSON *j = NULL, *body;

	ccon_error_clear(&err);
	ccon_json_path_init(&path, NULL);
	if (!api_own_app(c) || !api_json_body(c))
		return;
	if (ccon_json_parse(c->req->body.buf, c->req->body.len, &j, &err) < 0 ||
	    ccon_json_get_string(j, "channel", CCON_JSON_REQUIRED, &path, &channel, &err) < 0 ||
	    ccon_json_get_number(j, "slotLengthSeconds", CCON_JSON_REQUIRED, &path, &length_s, NULL,
	                         &err) < 0 ||
	    ccon_json_get_number(j, "capacity", CCON_JSON_REQUIRED, &path, &capacity, NULL, &err) < 0) {
		api_reply_error(c, 400, &err);
		goto out;
	}
	if (!(channel = slot_channel(c, channel, "channel")))
		goto out;
	if (length_s < 1 || length_s > SLOT_LENGTH_MAX_S || length_s != floor(length_s)) {
		ccon_error_set(&err, CCON_E_JSON_RANGE, "a slot lasts a whole number of seconds, "
		               "1 to %d", SLOT_LENGTH_MAX_S);
		ccon_error_at_path(&err, "slotLengthSeconds");
		api_reply_error(c, 400, &err);
		goto out;
	}
	if (capacity < 1 || capacity > SLOT_CAPACITY_MAX || capacity != floor(capacity)) {
		ccon_error_set(&err, CCON_E_JSON_RANGE, "capacity is a whole number of messages, "
		               "1 to 1000000000");
		ccon_error_at_path(&err, "capacity");
		api_reply_error(c, 400, &err);
		goto out;
	}
	cfg.length_us = (int64_t)length_s * CCON_US_PER_SECOND;
	cfg.capacity = (int64_t)capacity;
	if (slot_store_set_config(c->db, c->app_id, channel, &cfg, &err) < 0) {
		api_reply_error(c, 500, &err);
		goto out;
	}
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "channel", channel);
	cJSON_AddNumberToObject(body, "slotLengthSeconds", length_s);
	cJSON_AddNumberToObject(body, "capacity", capacity);
	api_reply_json(c, 200, body);
out:
	cJSON_Delete(j);
}
