/* cmd_campaigns.c - `ccon campaigns`: the campaign list, as the console's
 * Campaigns pane reads it (seed 002's get /campaigns/summaries, every page). */
#include "config.h"

#include "cmd.h"
#include "table.h"

#include <ccon/codec_reports.h>
#include <ccon/model.h>

#include <stdio.h>
#include <stdlib.h>

struct pages {
	struct cli *cli;
	struct ccon_summary_list *pages;
	size_t n, cap;
	int64_t total;
};

static int on_page(void *ctx, const cJSON *resource, int64_t *total, size_t *count)
{
	struct pages *p = ctx;
	struct ccon_summary_list l;
	struct ccon_error err = {0};

	if (ccon_summary_list_decode(resource, &l, &err) < 0) {
		cli_error(p->cli, CLI_EXIT_SERVER, 0, "the campaign list", &err);
		return -1;
	}
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 8;
		struct ccon_summary_list *n = realloc(p->pages, cap * sizeof(*n));

		if (!n) {
			ccon_summary_list_free(&l);
			ccon_error_set(&err, CCON_E_NOMEM, "out of memory");
			cli_error(p->cli, CLI_EXIT_FAIL, 0, NULL, &err);
			return -1;
		}
		p->pages = n;
		p->cap = cap;
	}
	p->pages[p->n++] = l;
	p->total = *total = l.total;
	*count = l.count;
	return 0;
}

static const char *str(const char *s)
{
	return s ? s : "";
}

static int print_json(struct pages *p)
{
	cJSON *doc = cJSON_CreateObject(), *items = cJSON_AddArrayToObject(doc, "items");
	int64_t rows = 0;

	if (!doc || !items)
		goto nomem;
	for (size_t i = 0; i < p->n; i++)
		for (size_t j = 0; j < p->pages[i].count; j++, rows++) {
			cJSON *o;

			if (ccon_campaign_summary_encode(&p->pages[i].items[j], &o) < 0)
				goto nomem;
			cJSON_AddItemToArray(items, o);
		}
	if (!cJSON_AddNumberToObject(doc, "total", (double)rows))
		goto nomem;
	return cli_print_json(doc);
nomem:
	cJSON_Delete(doc);
	fprintf(stderr, "ccon campaigns: out of memory\n");
	return CLI_EXIT_FAIL;
}

static int add_row(struct cli_table *t, const struct ccon_campaign_summary *s)
{
	char audience[24] = "", received[24] = "", read[24] = "", failed[24] = "", rate[16] = "";
	const char *cells[10];

	if (s->has_counts) {
		snprintf(audience, sizeof(audience), "%lld", (long long)s->counts.total);
		snprintf(received, sizeof(received), "%lld", (long long)s->counts.received);
		snprintf(read, sizeof(read), "%lld", (long long)s->counts.read);
		snprintf(failed, sizeof(failed), "%lld", (long long)s->counts.failed);
		snprintf(rate, sizeof(rate), "%.1f%%", 100.0 * ccon_campaign_failure_rate(s));
	}
	cells[0] = str(s->id);
	cells[1] = str(s->name);
	cells[2] = str(s->channel_type);
	cells[3] = str(s->status);
	cells[4] = str(s->send_date);
	cells[5] = audience;
	cells[6] = received;
	cells[7] = read;
	cells[8] = failed;
	cells[9] = rate;
	return cli_table_add(t, cells);
}

static int print_table(struct cli *cli, struct pages *p)
{
	static const char *const heads[] = { "ID", "NAME", "CHANNEL", "STATUS", "SEND DATE",
		                             "AUDIENCE", "RECEIVED", "READ", "FAILED", "FAILED%" };
	static const bool right[] = { true, false, false, false, false, true, true, true, true,
		                      true };
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	struct cli_table t;
	int rc = 0;

	cli_table_init(&t, 10, heads, right);
	for (size_t i = 0; i < p->n && rc == 0; i++)
		for (size_t j = 0; j < p->pages[i].count && rc == 0; j++)
			rc = add_row(&t, &p->pages[i].items[j]);
	if (rc == 0)
		rc = cli_table_render(&t, cli->width, cli->color, &sb);
	rc = rc == 0 ? cli_print_text(&sb) : CLI_EXIT_FAIL;
	ccon_strbuf_free(&sb);
	cli_table_free(&t);
	return rc;
}

int sub_campaigns(struct cli *cli)
{
	struct pages p = { .cli = cli };
	int rc = cli_pages(cli, "/campaigns/summaries", on_page, &p);

	if (rc == 0)
		rc = cli->a.json ? print_json(&p) : print_table(cli, &p);
	for (size_t i = 0; i < p.n; i++)
		ccon_summary_list_free(&p.pages[i]);
	free(p.pages);
	return rc;
}
