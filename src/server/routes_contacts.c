/* An application's contacts (ccond's own routes):
 *   GET /v1/applications/{appId}/contacts?phone=E164&externalCode=X&$skip=&$take=
 *   PUT /v1/applications/{appId}/contacts/{contactId}   {"disabled": true|false}
 * Disabled contacts are dropped from seed 002/003 sends. */
#include "config.h"

#include "contacts.h"
#include "routes.h"
#include "send_common.h"

#include <ccon/codec_command.h>
#include <ccon/json_util.h>
#include <ccon/phone.h>

#include <stdlib.h>
#include <string.h>

void api_contacts_list(struct api_call *c)
{
	char e164[CCON_E164_BUFSIZE];
	const char *phone = http_query(c->req, "phone");
	struct ccon_paging pg;
	struct ccon_error err;
	cJSON *list;

	ccon_error_clear(&err);
	if (!api_own_app(c))
		return;
	if (ccon_paging_parse(http_query(c->req, "$skip"), http_query(c->req, "$take"), &pg,
	                      &err) < 0) {
		api_reply_error(c, 400, &err);
		return;
	}
	if (phone) {
		if (ccon_phone_normalize(phone, strlen(phone), e164, &err) < 0) {
			ccon_error_at_path(&err, "phone");
			api_reply_error(c, 400, &err);
			return;
		}
		phone = e164;
	}
	if (contacts_list_json(c->db, c->app_id, phone, http_query(c->req, "externalCode"),
	                       pg.skip, pg.take, &list, &err) < 0) {
		api_reply_error(c, 500, &err);
		return;
	}
	api_reply_json(c, 200, list);
}

void api_contact_update(struct api_call *c)
{
	struct ccon_json_path path;
	struct ccon_error err;
	bool disabled = false, present = false;
	cJSON *j = NULL, *body;
	int64_t id = api_param_id(c, 1);

	ccon_error_clear(&err);
	ccon_json_path_init(&path, NULL);
	if (!api_own_app(c) || !api_json_body(c))
		return;
	if (ccon_json_parse(c->req->body.buf, c->req->body.len, &j, &err) < 0 ||
	    ccon_json_get_bool(j, "disabled", CCON_JSON_REQUIRED, &path, &disabled, &present,
	                       &err) < 0) {
		api_reply_error(c, 400, &err);
		goto out;
	}
	if (!id || contacts_set_disabled(c->db, c->app_id, id, disabled, &err) < 0) {
		if (!id || err.code == CCON_E_NOT_FOUND) {
			ccon_error_clear(&err);
			ccon_error_set(&err, CCON_E_NOT_FOUND, "no contact %s in this application",
			               c->params[1]);
			ccon_error_at_path(&err, "contactId");
			api_reply_error(c, 404, &err);
		} else {
			api_reply_error(c, 500, &err);
		}
		goto out;
	}
	body = cJSON_CreateObject();
	cJSON_AddNumberToObject(body, "id", (double)id);
	cJSON_AddBoolToObject(body, "disabled", disabled);
	api_reply_json(c, 200, body);
out:
	cJSON_Delete(j);
}
