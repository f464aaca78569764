/* POST /v1/admin/clock - moves the manual clock (ccond --clock manual):
 *   {"advance":"PT1H"}               by an ISO 8601 duration, calendar-correct
 *   {"set":"2026-12-01T09:00:00Z"}   to an instant (never backwards)
 * runs everything that became due on the way (dispatcher.h: sends at their
 * slots, retries, statuses from the channel, tasks done), and answers
 * {"now":"...Z","clock":"manual"}. Any application's key may
 * move it: the clock is the server's, and only test servers have one. */
#include "config.h"

#include "clock.h"
#include "dispatcher.h"
#include "engine.h"
#include "routes.h"
#include "send_common.h"

#include <ccon/datetime.h>
#include <ccon/duration.h>
#include <ccon/json_util.h>

static int target_time(const cJSON *j, int64_t now, int64_t *out,
                       struct ccon_error *err)
{
	struct ccon_json_path path;
	struct ccon_duration d;
	const char *advance = NULL, *set = NULL;

	ccon_json_path_init(&path, NULL);
	if (ccon_json_get_string(j, "advance", CCON_JSON_OPTIONAL, &path, &advance, err) < 0 ||
	    ccon_json_get_string(j, "set", CCON_JSON_OPTIONAL, &path, &set, err) < 0)
		return -1;
	if (!advance == !set) {
		ccon_error_set(err, CCON_E_JSON_REQUIRED, "give either 'advance' (a duration) or "
		               "'set' (a date-time)");
		return -1;
	}
	if (set) {
		if (ccon_datetime_parse(set, out, err) < 0) {
			ccon_error_at_path(err, "set");
			return -1;
		}
		return 0;
	}
	if (ccon_duration_parse(advance, &d, err) < 0 || ccon_duration_apply(now, &d, out, err) < 0) {
		ccon_error_at_path(err, "advance");
		return -1;
	}
	return 0;
}

void api_admin_clock(struct api_call *c)
{
	char when[CCON_DATETIME_FORMAT_MAX];
	struct engine_clock *clk = &c->eng->clock;
	struct ccon_error err;
	cJSON *j = NULL, *body;
	int64_t t;

	ccon_error_clear(&err);
	if (!api_json_body(c))
		return;
	if (clk->mode != CLOCK_MANUAL) {
		api_reply_errorf(c, 409, CCON_E_CONFLICT,
		                 "the clock is real: start ccond with --clock manual to move it");
		return;
	}
	if (ccon_json_parse(c->req->body.buf, c->req->body.len, &j, &err) < 0 ||
	    target_time(j, clock_now(clk), &t, &err) < 0) {
		api_reply_error(c, api_status_for(&err), &err);
		cJSON_Delete(j);
		return;
	}
	if (clock_set(clk, c->db, t, &err) < 0) {
		if (err.code == CCON_E_JSON_RANGE)
			ccon_error_at_path(&err, "set");
		api_reply_error(c, api_status_for(&err), &err);
		cJSON_Delete(j);
		return;
	}
	cJSON_Delete(j);
	/* everything that fell due is done before the answer */
	if (dispatcher_run_due(c->eng->dispatcher, c->db, t, &err) < 0) {
		api_reply_error(c, 500, &err);
		return;
	}
	ccon_datetime_format(clock_now(clk), when, sizeof(when), NULL);
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "now", when);
	cJSON_AddStringToObject(body, "clock", "manual");
	api_reply_json(c, 200, body);
}
