#include "config.h"

#include "routes.h"

#include <ccon/ccon.h>

void api_health(struct api_call *c)
{
	cJSON *body = cJSON_CreateObject();

	if (body) {
		cJSON_AddStringToObject(body, "status", "ok");
		cJSON_AddStringToObject(body, "version", ccon_version());
	}
	api_reply_json(c, 200, body);
}
