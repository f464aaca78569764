/* cmd_report.c - `ccon report ID` and `ccon audience ID`: what the
 * console's Report pane shows, from the same seed 002 reads and codecs. */
#include "config.h"

#include "cmd.h"
#include "table.h"

#include <ccon/codec_reports.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *str(const char *s)
{
	return s ? s : "";
}

static int nomem(struct cli *cli)
{
	struct ccon_error e = {0};

	ccon_error_set(&e, CCON_E_NOMEM, "out of memory");
	return cli_error(cli, CLI_EXIT_FAIL, 0, NULL, &e);
}

/* The campaign id argument, checked (it goes into a uri). */
static int campaign_arg(struct cli *cli, int64_t *id)
{
	if (cli_parse_id(cli->a.args[0], id) < 0)
		return cli_usage_error(cli, "ID is a campaign id, a whole number from 1");
	return 0;
}

/* ---------------------------------------------------------------- report */

struct failures {
	struct cli *cli;
	cJSON *items;                /* encoded groups, in order */
	struct cli_table t;
};

static int on_failures(void *ctx, const cJSON *resource, int64_t *total, size_t *count)
{
	struct failures *f = ctx;
	struct ccon_failure_group_list l;
	struct ccon_error err = {0};
	int rc = 0;

	if (ccon_failure_group_list_decode(resource, &l, &err) < 0) {
		cli_error(f->cli, CLI_EXIT_SERVER, 0, "the failures", &err);
		return -1;
	}
	for (size_t i = 0; i < l.count && rc == 0; i++) {
		const struct ccon_failure_group *g = &l.items[i];
		char code[24] = "", n[24];
		const char *cells[3] = { code, n, str(g->reason_description) };

		if (g->has_code)
			snprintf(code, sizeof(code), "%lld", (long long)g->reason_code);
		snprintf(n, sizeof(n), "%lld", (long long)g->count);
		rc = cli_table_add(&f->t, cells);
	}
	if (rc == 0) {
		cJSON *enc;

		if (ccon_failure_group_list_encode(&l, &enc) < 0) {
			rc = -1;
		} else {
			cJSON *items = cJSON_GetObjectItemCaseSensitive(enc, "items"), *it;

			while (items && (it = cJSON_DetachItemFromArray(items, 0)))
				cJSON_AddItemToArray(f->items, it);
			cJSON_Delete(enc);
		}
	}
	*total = l.total;
	*count = l.count;
	ccon_failure_group_list_free(&l);
	if (rc < 0)
		nomem(f->cli);
	return rc;
}

static void count_row(struct cli_table *t, const char *name, int64_t n, int64_t total)
{
	char count[24], share[16];
	const char *cells[3] = { name, count, share };

	snprintf(count, sizeof(count), "%lld", (long long)n);
	snprintf(share, sizeof(share), "%.1f%%", total > 0 ? 100.0 * (double)n / (double)total : 0.0);
	cli_table_add(t, cells);
}

static int report_text(struct cli *cli, const struct ccon_campaign_summary *s,
                       struct failures *f)
{
	static const char *const heads[] = { "STATUS", "COUNT", "SHARE" };
	static const bool right[] = { false, true, true };
	const struct ccon_recipient_counts *c = &s->counts;
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	struct cli_table t;
	int rc;

	ccon_strbuf_puts(&sb, "campaign ");
	cli_put_safe(&sb, s->id);
	ccon_strbuf_puts(&sb, "  ");
	cli_put_safe(&sb, s->name);
	ccon_strbuf_puts(&sb, "\nchannel ");
	cli_put_safe(&sb, s->channel_type);
	ccon_strbuf_puts(&sb, "  status ");
	cli_put_safe(&sb, s->status);
	ccon_strbuf_puts(&sb, "  send date ");
	cli_put_safe(&sb, s->send_date ? s->send_date : "-");
	if (s->failed_reason) {
		ccon_strbuf_puts(&sb, "\nfailed: ");
		cli_put_safe(&sb, s->failed_reason);
	}
	ccon_strbuf_puts(&sb, "\n\n");
	cli_table_init(&t, 3, heads, right);
	count_row(&t, "pending", c->pending, c->total);
	count_row(&t, "processed", c->processed, c->total);
	count_row(&t, "received", c->received, c->total);
	count_row(&t, "read", c->read, c->total);
	count_row(&t, "failed", c->failed, c->total);
	count_row(&t, "canceled", c->canceled, c->total);
	count_row(&t, "total", c->total, c->total);
	rc = cli_table_render(&t, cli->width, cli->color, &sb);
	cli_table_free(&t);
	if (rc == 0 && f->t.rows) {
		ccon_strbuf_puts(&sb, "\n");
		rc = cli_table_render(&f->t, cli->width, cli->color, &sb);
	}
	rc = rc == 0 && sb.buf ? cli_print_text(&sb) : nomem(cli);
	ccon_strbuf_free(&sb);
	return rc;
}

static int report_json(struct cli *cli, const struct ccon_campaign_summary *s,
                       struct failures *f)
{
	cJSON *doc = cJSON_CreateObject(), *campaign;

	if (!doc || ccon_campaign_summary_encode(s, &campaign) < 0) {
		cJSON_Delete(doc);
		return nomem(cli);
	}
	cJSON_AddItemToObject(doc, "campaign", campaign);
	cJSON_AddItemToObject(doc, "failures", f->items);
	f->items = NULL;
	return cli_print_json(doc);
}

int sub_report(struct cli *cli)
{
	static const char *const heads[] = { "REASON CODE", "FAILED", "DESCRIPTION" };
	static const bool right[] = { true, true, false };
	struct failures f = { .cli = cli };
	struct ccon_campaign_summary s = { 0 };
	struct ccon_command_answer ans;
	struct ccon_error err = {0};
	char uri[96];
	int64_t id;
	int rc;

	if ((rc = campaign_arg(cli, &id)) != 0)
		return rc;
	snprintf(uri, sizeof(uri), "/campaigns/%lld/summaries", (long long)id);
	rc = cli_command(cli, "get", uri, &ans);
	if (rc == 0 && ccon_campaign_summary_decode(ans.resource, &s, &err) < 0)
		rc = cli_error(cli, CLI_EXIT_SERVER, 0, "the campaign's summary", &err);
	ccon_command_answer_free(&ans);
	if (rc)
		return rc;
	cli_table_init(&f.t, 3, heads, right);
	f.items = cJSON_CreateArray();
	snprintf(uri, sizeof(uri), "/campaigns/%lld/failures", (long long)id);
	rc = f.items ? cli_pages(cli, uri, on_failures, &f) : nomem(cli);
	if (rc == 0)
		rc = cli->a.json ? report_json(cli, &s, &f) : report_text(cli, &s, &f);
	cJSON_Delete(f.items);
	cli_table_free(&f.t);
	ccon_campaign_summary_free(&s);
	return rc;
}

/* ---------------------------------------------------------------- audience */

struct audience {
	struct cli *cli;
	cJSON *items;
	struct cli_table t;
	int64_t total;
};

/* The latest step's date-time of a recipient. */
static const char *last_step(const struct ccon_audience_item *it)
{
	return it->failed ? it->failed : it->read ? it->read : it->received ? it->received
	                                                                     : str(it->processed);
}

static int on_audience(void *ctx, const cJSON *resource, int64_t *total, size_t *count)
{
	struct audience *a = ctx;
	struct ccon_audience_page p;
	struct ccon_error err = {0};
	cJSON *enc = NULL;
	int rc = 0;

	if (ccon_audience_page_decode(resource, &p, &err) < 0) {
		cli_error(a->cli, CLI_EXIT_SERVER, 0, "the audience", &err);
		return -1;
	}
	for (size_t i = 0; i < p.count && rc == 0; i++) {
		const struct ccon_audience_item *it = &p.items[i];
		char code[24] = "";
		const char *cells[6] = { str(it->recipient), str(it->status), str(it->task_id), code,
			                 str(it->reason_description), last_step(it) };

		if (it->has_reason_code)
			snprintf(code, sizeof(code), "%lld", (long long)it->reason_code);
		rc = cli_table_add(&a->t, cells);
	}
	if (rc == 0 && ccon_audience_page_encode(&p, &enc) == 0) {
		cJSON *items = cJSON_GetObjectItemCaseSensitive(enc, "items"), *it;

		while (items && (it = cJSON_DetachItemFromArray(items, 0)))
			cJSON_AddItemToArray(a->items, it);
	} else {
		rc = -1;
	}
	cJSON_Delete(enc);
	a->total = *total = p.total;
	*count = p.count;
	ccon_audience_page_free(&p);
	if (rc < 0)
		nomem(a->cli);
	return rc;
}

int sub_audience(struct cli *cli)
{
	static const char *const heads[] = { "RECIPIENT", "STATUS", "TASK", "CODE", "REASON",
		                             "LAST STEP" };
	static const bool right[] = { false, false, true, true, false, false };
	struct audience a = { .cli = cli };
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	char uri[128];
	int64_t id;
	int rc;

	if ((rc = campaign_arg(cli, &id)) != 0)
		return rc;
	if (cli->a.status && !ccon_cmd_recipient_status_valid(cli->a.status))
		return cli_usage_error(cli, "--status is one of pending, processed, received, read, "
		                       "failed, canceled");
	snprintf(uri, sizeof(uri), "/audiences/%lld%s%s", (long long)id,
	         cli->a.status ? "?status=" : "", cli->a.status ? cli->a.status : "");
	cli_table_init(&a.t, 6, heads, right);
	a.items = cJSON_CreateArray();
	rc = a.items ? cli_pages(cli, uri, on_audience, &a) : nomem(cli);
	if (rc == 0 && cli->a.json) {
		cJSON *doc = cJSON_CreateObject();

		if (doc && cJSON_AddNumberToObject(doc, "total", (double)cJSON_GetArraySize(a.items))) {
			cJSON_AddItemToObject(doc, "items", a.items);
			a.items = NULL;
			rc = cli_print_json(doc);
		} else {
			cJSON_Delete(doc);
			rc = nomem(cli);
		}
	} else if (rc == 0) {
		rc = cli_table_render(&a.t, cli->width, cli->color, &sb) == 0 ? cli_print_text(&sb)
		                                                               : nomem(cli);
	}
	ccon_strbuf_free(&sb);
	cJSON_Delete(a.items);
	cli_table_free(&a.t);
	return rc;
}
