/* cmd_send.c - `ccon send`: the console's send wizard without a screen.
 * The draft (send_draft.h) is built as the wizard builds it, checked with
 * its rules at the server's now, and sent by the wizard's flow
 * (send_flow.h): the same requests, the same Idempotency-Keys. */
#include "config.h"

#include "cmd.h"
#include "contacts_file.h"

#include <ccon/datetime.h>
#include <ccon/send_draft.h>
#include <ccon/send_flow.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void flow_wait(struct cli *cli, struct ccon_send_flow *f)
{
	struct ccon_error err = {0};

	while (ccon_send_flow_in_flight(f) > 0) {
		ccon_client_wait(cli->client, NULL, 0, 1000, &err);
		ccon_client_run(cli->client);
	}
}

static int read_file(struct cli *cli, const char *path, struct ccon_strbuf *sb)
{
	FILE *f = fopen(path, "rb");
	char buf[65536];
	size_t n;

	if (!f)
		return cli_usage_error(cli, "%s: %s", path, strerror(errno));
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		if (ccon_strbuf_append(sb, buf, n) < 0) {
			fclose(f);
			return CLI_EXIT_FAIL;
		}
	fclose(f);
	return ccon_strbuf_putc(sb, '\0') < 0 ? CLI_EXIT_FAIL : 0;
}

/* The audience, before any request: a contacts file or a CSV and layout. */
static int audience(struct cli *cli, struct ccon_send_draft *d)
{
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	struct ccon_layout layout = { 0 };
	struct ccon_error err = {0};
	int rc;

	if (cli->a.csv) {
		if (access(cli->a.csv, R_OK) < 0)
			return cli_usage_error(cli, "%s: %s", cli->a.csv, strerror(errno));
		if ((rc = cli_load_layout(cli, cli->a.layout, &layout)) != 0)
			return rc;
		if (ccon_draft_str_set(&d->csv_path, cli->a.csv) < 0 ||
		    ccon_send_draft_set_layout(d, &layout, &err) < 0)
			rc = cli_error(cli, cli_exit_for_error(&err), 0, cli->a.layout, &err);
		ccon_layout_free(&layout);
		return rc;
	}
	if ((rc = read_file(cli, cli->a.args[0], &sb)) == 0 &&
	    (cli_contacts_parse(sb.buf, sb.len - 1, &d->roster, &err) < 0 ||
	     ccon_roster_check(&d->roster, &err) < 0))
		rc = cli_error(cli, cli_exit_for_error(&err), 0, cli->a.args[0], &err);
	ccon_strbuf_free(&sb);
	return rc;
}

static int options(struct cli *cli, struct ccon_send_draft *d)
{
	struct ccon_error err = {0};

	if (!cli->a.campaign)
		return cli_usage_error(cli, "--campaign ID is required");
	if (!cli->a.csv == !cli->a.n_args)
		return cli_usage_error(cli, "give CONTACTS.json or --csv FILE (one of them)");
	if (!cli->a.csv != !cli->a.layout)
		return cli_usage_error(cli, "--csv and --layout go together");
	if (!cli->conn.app_id)
		return cli_usage_error(cli, "the application is unknown: give --app ID or a profile "
		                       "with app");
	ccon_send_draft_init(d, cli->a.csv ? CCON_SEND_KIND_CSV : CCON_SEND_KIND_JSON,
	                     cli->conn.app_id);
	if (cli->a.idempotency_key && ccon_send_draft_set_send_id(d, cli->a.idempotency_key) < 0)
		return cli_usage_error(cli, "--idempotency-key wants 1 to 32 printable characters");
	if (cli->a.slicing && ccon_slicing_parse(cli->a.slicing, &d->slicing, &err) < 0) {
		ccon_error_at_path(&err, "slicingCondition");
		return cli_error(cli, CLI_EXIT_INVALID, 0, "--slicing", &err);
	}
	if (ccon_draft_str_set(&d->schedule_at, cli->a.schedule_at) < 0 ||
	    ccon_draft_str_set(&d->delay, cli->a.delay) < 0)
		return CLI_EXIT_FAIL;
	return 0;
}

/* The campaign's definition and the server's now, then the wizard's check. */
static int prepare(struct cli *cli, struct ccon_send_flow *f, struct ccon_send_draft *d,
                   int64_t *now)
{
	const struct ccon_rest_campaign_info *ci;
	struct ccon_error err = {0};

	if (ccon_send_flow_load_campaign(f, cli->a.campaign, &err) < 0 ||
	    ccon_send_flow_read_time(f, &err) < 0)
		return cli_error(cli, cli_exit_for_error(&err), 0, NULL, &err);
	flow_wait(cli, f);
	if (ccon_send_flow_campaign_state(f, &err) == CCON_FLOW_FAILED)
		return cli_error(cli, cli_exit_for_error(&err), 0, "the campaign", &err);
	if (!ccon_send_flow_server_now(f, now)) {
		ccon_error_set(&err, CCON_E_IO, "the server's time did not arrive");
		return cli_error(cli, CLI_EXIT_NETWORK, 0, NULL, &err);
	}
	ci = ccon_send_flow_campaign(f);
	if (!ci || ccon_send_draft_set_campaign(d, ci, &err) < 0)
		return cli_error(cli, CLI_EXIT_SERVER, 0, "the campaign", &err);
	if (ccon_send_draft_check(d, *now, &err) < 0)
		return cli_error(cli, cli_exit_for_error(&err), 0, NULL, &err);
	return 0;
}

static cJSON *answer_json(const struct ccon_send_answer *a, const char *key)
{
	cJSON *o = cJSON_CreateObject(), *plan;
	char t[CCON_DATETIME_FORMAT_MAX];

	if (!o)
		return NULL;
	if (a->has_task_id)
		cJSON_AddNumberToObject(o, "taskId", (double)a->task_id);
	else
		cJSON_AddNullToObject(o, "taskId");
	cJSON_AddNumberToObject(o, "campaignId", (double)a->campaign_id);
	cJSON_AddStringToObject(o, "status", a->status ? a->status : "");
	if (a->has_send_at && ccon_datetime_format_fast(a->send_at_us, t) > 0)
		cJSON_AddStringToObject(o, "sendAt", t);
	cJSON_AddNumberToObject(o, "accepted", (double)a->accepted);
	cJSON_AddNumberToObject(o, "rejected", (double)a->rejected);
	cJSON_AddNumberToObject(o, "duplicates", (double)a->duplicates);
	if (a->has_slicing) {
		cJSON_AddStringToObject(o, "slicingCondition", ccon_slicing_name(a->condition));
		cJSON_AddBoolToObject(o, "slicingActivated", a->activated);
	}
	plan = cJSON_AddArrayToObject(o, "plan");
	for (size_t i = 0; plan && i < a->n_plan; i++) {
		cJSON *s = cJSON_CreateObject();

		if (ccon_datetime_format_fast(a->plan[i].slot_start_us, t) > 0)
			cJSON_AddStringToObject(s, "slot", t);
		cJSON_AddNumberToObject(s, "count", (double)a->plan[i].count);
		cJSON_AddItemToArray(plan, s);
	}
	if (a->cancel_reason)
		cJSON_AddStringToObject(o, "canceled", a->cancel_reason);
	if (key)
		cJSON_AddStringToObject(o, "idempotencyKey", key);
	if (a->rejected && a->errors.count) {
		cJSON *errs = cJSON_AddArrayToObject(o, "errors");

		for (size_t i = 0; errs && i < a->errors.count; i++)
			cJSON_AddItemToArray(errs, cli_error_json(&a->errors.items[i].error));
	}
	return o;
}

static void answer_text(struct ccon_strbuf *sb, size_t i, const struct ccon_send_answer *a,
                        const char *key)
{
	char t[CCON_DATETIME_FORMAT_MAX] = "-", where[512];

	if (a->has_send_at)
		ccon_datetime_format_fast(a->send_at_us, t);
	ccon_strbuf_printf(sb, "request %zu: ", i + 1);
	if (a->has_task_id)
		ccon_strbuf_printf(sb, "task %lld, ", (long long)a->task_id);
	cli_put_safe(sb, a->status);
	ccon_strbuf_printf(sb, ", send at %s; %lld accepted, %lld rejected, %lld duplicates",
	                   t, (long long)a->accepted, (long long)a->rejected,
	                   (long long)a->duplicates);
	if (a->has_slicing)
		ccon_strbuf_printf(sb, "; %s%s", ccon_slicing_name(a->condition),
		                   a->activated ? ", slicing activated" : "");
	if (key)
		ccon_strbuf_printf(sb, "; Idempotency-Key %s", key);
	ccon_strbuf_putc(sb, '\n');
	for (size_t p = 0; p < a->n_plan; p++) {
		ccon_datetime_format_fast(a->plan[p].slot_start_us, t);
		ccon_strbuf_printf(sb, "  slot %s: %lld\n", t, (long long)a->plan[p].count);
	}
	if (a->cancel_reason) {
		ccon_strbuf_puts(sb, "  canceled: ");
		cli_put_safe(sb, a->cancel_reason);
		ccon_strbuf_putc(sb, '\n');
	}
	for (size_t e = 0; e < a->errors.count; e++) {
		ccon_error_format(&a->errors.items[e].error, where, sizeof(where));
		ccon_strbuf_puts(sb, "  rejected: ");
		cli_put_safe(sb, where);
		ccon_strbuf_putc(sb, '\n');
	}
}

static int print_answers(struct cli *cli, const struct ccon_send_answer *as, size_t n,
                         const struct ccon_send_reqs *reqs, bool dry, const char *send_id)
{
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	int rc;

	if (cli->a.json) {
		cJSON *doc = cJSON_CreateObject(), *list = cJSON_AddArrayToObject(doc, "answers");

		cJSON_AddBoolToObject(doc, "dryRun", dry);
		cJSON_AddStringToObject(doc, "sendId", send_id);
		for (size_t i = 0; list && i < n; i++)
			cJSON_AddItemToArray(list, answer_json(&as[i], reqs && i < reqs->count
			                                                ? reqs->items[i].key : NULL));
		return cli_print_json(doc);
	}
	ccon_strbuf_printf(&sb, "%s %zu request%s (send id %s)\n",
	                   dry ? "dry run:" : "sent:", n, n == 1 ? "" : "s", send_id);
	for (size_t i = 0; i < n; i++)
		answer_text(&sb, i, &as[i], reqs && i < reqs->count ? reqs->items[i].key : NULL);
	rc = cli_print_text(&sb);
	ccon_strbuf_free(&sb);
	return rc;
}

static int dry_run(struct cli *cli, struct ccon_send_flow *f, struct ccon_send_draft *d)
{
	const struct ccon_send_answer *as;
	struct ccon_error err = {0};
	size_t n;

	if (ccon_send_flow_dry_run(f, d, &err) < 0)
		return cli_error(cli, cli_exit_for_error(&err), 0, NULL, &err);
	flow_wait(cli, f);
	if (ccon_send_flow_dry_run_state(f, &err) == CCON_FLOW_FAILED)
		return cli_error(cli, cli_exit_for_error(&err), 0, "the dry run", &err);
	as = ccon_send_flow_dry_answers(f, &n);
	return print_answers(cli, as, n, NULL, true, d->send_id);
}

static int dispatch(struct cli *cli, struct ccon_send_flow *f, struct ccon_send_draft *d,
                    int64_t now)
{
	const struct ccon_send_dispatch *r;
	struct ccon_send_reqs reqs = { 0 };
	struct ccon_error err = {0};
	int rc;

	if (ccon_send_draft_requests(d, now, false, &reqs, &err) < 0 ||
	    ccon_send_flow_dispatch(f, d, &err) < 0) {
		ccon_send_reqs_free(&reqs);
		return cli_error(cli, cli_exit_for_error(&err), 0, NULL, &err);
	}
	flow_wait(cli, f);
	r = ccon_send_flow_dispatch_result(f);
	if (r->state == CCON_FLOW_FAILED) {
		char what[128];

		snprintf(what, sizeof(what), "request %zu of %zu", r->failed_at + 1, r->total);
		rc = cli_error(cli, cli_exit_for_error(&r->err), 0, what, &r->err);
		if (r->done && !cli->a.json)
			print_answers(cli, r->answers, r->done, &reqs, false, d->send_id);
		if (rc == CLI_EXIT_NETWORK || rc == CLI_EXIT_SERVER)
			fprintf(stderr, "ccon send: the same command with --idempotency-key %s sends "
			        "nothing twice\n", d->send_id);
	} else {
		rc = print_answers(cli, r->answers, r->done, &reqs, false, d->send_id);
	}
	ccon_send_reqs_free(&reqs);
	return rc;
}

int sub_send(struct cli *cli)
{
	struct ccon_send_draft d;
	struct ccon_send_flow *f = NULL;
	struct ccon_error err = {0};
	int64_t now = 0;
	int rc;

	memset(&d, 0, sizeof(d));
	if ((rc = options(cli, &d)) != 0 || (rc = audience(cli, &d)) != 0)
		goto out;
	if (ccon_send_flow_new(cli->client, cli->conn.app_id, &f, &err) < 0) {
		rc = cli_error(cli, CLI_EXIT_FAIL, 0, NULL, &err);
		goto out;
	}
	if ((rc = prepare(cli, f, &d, &now)) == 0)
		rc = cli->a.dry_run ? dry_run(cli, f, &d) : dispatch(cli, f, &d, now);
out:
	ccon_send_flow_free(f);
	ccon_send_draft_free(&d);
	return rc;
}
