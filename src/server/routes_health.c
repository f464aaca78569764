#include "config.h"

#include "routes.h"

#include "clock.h"
#include "engine.h"

#include <ccon/ccon.h>
#include <ccon/datetime.h>

/* The engine clock's now goes with the health answer: on the manual clock
 * it differs from the machine's, and clients check send times against it. */
void api_health(struct api_call *c)
{
	char when[CCON_DATETIME_FORMAT_MAX];
	cJSON *body = cJSON_CreateObject();

	if (body) {
		cJSON_AddStringToObject(body, "status", "ok");
		cJSON_AddStringToObject(body, "version", ccon_version());
		if (ccon_datetime_format(c->now_us, when, sizeof(when), NULL) >= 0)
			cJSON_AddStringToObject(body, "time", when);
		cJSON_AddStringToObject(body, "clock", clock_mode_name(c->eng->clock.mode));
	}
	api_reply_json(c, 200, body);
}
