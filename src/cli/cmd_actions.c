/* cmd_actions.c - `ccon cancel ID` (seed 002's delete /campaigns/{id}, as
 * the console's cancel) and `ccon retry-failed ID` (ccond's
 * POST .../campaigns/{id}/retry-failed). */
#include "config.h"

#include "cmd.h"

#include <ccon/json_util.h>
#include <ccon/sanitize.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

static int id_arg(struct cli *cli, int64_t *id)
{
	if (cli_parse_id(cli->a.args[0], id) < 0)
		return cli_usage_error(cli, "ID is a campaign id, a whole number from 1");
	return 0;
}

int sub_cancel(struct cli *cli)
{
	struct ccon_command_answer ans;
	char uri[64];
	int64_t id;
	int rc;

	if ((rc = id_arg(cli, &id)) != 0)
		return rc;
	snprintf(uri, sizeof(uri), "/campaigns/%lld", (long long)id);
	rc = cli_command(cli, "delete", uri, &ans);
	if (rc == 0 && cli->a.json) {
		cJSON *doc = cJSON_CreateObject();

		cJSON_AddNumberToObject(doc, "campaignId", (double)id);
		cJSON_AddBoolToObject(doc, "canceled", 1);
		rc = cli_print_json(doc);
	} else if (rc == 0) {
		printf("campaign %lld canceled\n", (long long)id);
	}
	ccon_command_answer_free(&ans);
	return rc;
}

/* A fresh key: "ccon-retry-" and 32 hex digits. */
static void new_key(char *buf, size_t size)
{
	unsigned char r[16];

	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r)) {
		struct timespec ts;
		uint64_t a, b;

		clock_gettime(CLOCK_REALTIME, &ts);
		a = (uint64_t)ts.tv_sec ^ ((uint64_t)getpid() << 32);
		b = (uint64_t)ts.tv_nsec;
		memcpy(r, &a, sizeof(a));
		memcpy(r + 8, &b, sizeof(b));
	}
	snprintf(buf, size, "ccon-retry-");
	for (size_t i = 0; i < sizeof(r); i++)
		snprintf(buf + strlen(buf), size - strlen(buf), "%02x", r[i]);
}

static int64_t num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : 0;
}

static void say_retry(struct cli *cli, const cJSON *doc, const char *key)
{
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	const cJSON *skipped = cJSON_GetObjectItemCaseSensitive(doc, "skipped");
	const cJSON *status = cJSON_GetObjectItemCaseSensitive(doc, "status");
	const cJSON *at = cJSON_GetObjectItemCaseSensitive(doc, "sendAt");

	ccon_strbuf_printf(&sb, "%s%lld recipients of campaign %lld again", cli->a.dry_run ?
	                   "dry run: would send " : "sending ", (long long)num(doc, "recipients"),
	                   (long long)num(doc, "campaignId"));
	if (num(doc, "taskId"))
		ccon_strbuf_printf(&sb, " as task %lld", (long long)num(doc, "taskId"));
	if (num(doc, "retryOf"))
		ccon_strbuf_printf(&sb, " (a retry of task %lld)", (long long)num(doc, "retryOf"));
	if (cJSON_IsString(status)) {
		ccon_strbuf_puts(&sb, ", ");
		cli_put_safe(&sb, status->valuestring);
	}
	if (cJSON_IsString(at)) {
		ccon_strbuf_puts(&sb, " at ");
		cli_put_safe(&sb, at->valuestring);
	}
	ccon_strbuf_printf(&sb, "\nskipped, not worth a retry: %lld\nIdempotency-Key: ",
	                   (long long)num(skipped, "notRetryable"));
	cli_put_safe(&sb, key);
	ccon_strbuf_putc(&sb, '\n');
	cli_print_text(&sb);
	ccon_strbuf_free(&sb);
}

int sub_retry_failed(struct cli *cli)
{
	struct ccon_request rq = { .method = "POST", .auth = CCON_AUTH_BEARER };
	struct cli_answer ans;
	struct ccon_error err = {0};
	char path[160], key[64];
	cJSON *doc = NULL;
	int64_t id;
	int rc;

	if ((rc = id_arg(cli, &id)) != 0)
		return rc;
	if (!cli->conn.app_id)
		return cli_usage_error(cli, "the application is unknown: give --app ID or a profile "
		                       "with app");
	if (cli->a.idempotency_key)
		snprintf(key, sizeof(key), "%s", cli->a.idempotency_key);
	else
		new_key(key, sizeof(key));
	if (cli->a.idempotency_key && (strlen(cli->a.idempotency_key) >= sizeof(key) ||
	                               ccon_sanitize_needed(key, strlen(key), 0) ||
	                               strchr(key, ' ')))
		return cli_usage_error(cli, "--idempotency-key wants 1 to 63 printable characters "
		                       "without spaces");
	snprintf(path, sizeof(path), "/v1/applications/%lld/campaigns/%lld/retry-failed%s%s",
	         (long long)cli->conn.app_id, (long long)id, cli->a.all ? "?all=true" : "",
	         cli->a.dry_run ? cli->a.all ? "&dryRun=true" : "?dryRun=true" : "");
	rq.path = path;
	rq.idempotency_key = key;
	rc = cli_call(cli, &rq, &ans);
	if (rc == 0 && ccon_json_parse(ans.body ? ans.body : "", ans.len, &doc, &err) < 0)
		rc = cli_error(cli, CLI_EXIT_SERVER, ans.status, "the server's answer", &err);
	if (rc == 0 && cli->a.json) {
		cJSON_AddStringToObject(doc, "idempotencyKey", key);
		rc = cli_print_json(doc);
		doc = NULL;
	} else if (rc == 0) {
		say_retry(cli, doc, key);
	}
	cJSON_Delete(doc);
	cli_answer_free(&ans);
	return rc;
}
