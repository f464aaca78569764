/* audience_csv.c - seed 002's audience CSV: header, layout, rows. */
#include "config.h"

#include <ccon/audience_csv.h>

#include <ccon/contact.h>
#include <ccon/json_util.h>

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int nomem(struct ccon_error *err)
{
	return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
}

int ccon_audience_csv_layout(const char *const *columns, size_t n, struct ccon_layout *out,
                             struct ccon_error *err)
{
	const char **names = calloc(n ? n : 1, sizeof(char *));
	char **values = calloc(n ? n : 1, sizeof(char *));
	char code[CCON_CUSTOM_FIELD_NAME_MAX + 8] = "";
	size_t k = 0;
	int rc = -1;

	if (!names || !values) {
		nomem(err);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		if (strcasecmp(columns[i], CCON_AUDIENCE_CSV_RECIPIENT) == 0 && !code[0]) {
			snprintf(code, sizeof(code), "{{%s}}", columns[i]);
			continue;
		}
		if (strcasecmp(columns[i], CCON_AUDIENCE_CSV_CONTEXT) == 0)
			continue;
		if (!ccon_custom_field_name_valid(columns[i], strlen(columns[i]))) {
			ccon_error_set(err, CCON_E_CSV_HEADER, "column \"%.40s\" cannot name a message "
			               "parameter: use letters, digits and _ (or name it "
			               CCON_AUDIENCE_CSV_RECIPIENT " or " CCON_AUDIENCE_CSV_CONTEXT ")",
			               columns[i]);
			ccon_error_at_line(err, 1, (long)i + 1);
			goto out;
		}
		names[k] = columns[i];
		if (!(values[k] = malloc(strlen(columns[i]) + 5))) {
			nomem(err);
			goto out;
		}
		sprintf(values[k++], "{{%s}}", columns[i]);
	}
	if (!code[0]) {
		ccon_error_set(err, CCON_E_CSV_HEADER, "the CSV needs a column named \""
		               CCON_AUDIENCE_CSV_RECIPIENT "\" holding each phone number");
		ccon_error_at_line(err, 1, 0);
		goto out;
	}
	rc = ccon_layout_build(code, "cloud_api", names, (const char *const *)values, k, out, err);
out:
	for (size_t i = 0; values && i < k; i++)
		free(values[i]);
	free(values);
	free(names);
	return rc;
}

void ccon_audience_csv_info_free(struct ccon_audience_csv_info *info)
{
	if (!info)
		return;
	for (size_t i = 0; i < info->n_columns; i++)
		free(info->columns[i]);
	free(info->columns);
	memset(info, 0, sizeof(*info));
}

/* The header's columns, through a probe layout (the real one needs them). */
static int read_columns(const char *text, size_t len, struct ccon_audience_csv_info *info,
                        struct ccon_error *err)
{
	struct ccon_layout probe = CCON_LAYOUT_INIT;
	struct ccon_csv_import *imp = NULL;
	const char *const *cols = NULL;
	size_t off = 0, n = 0;
	int rc = -1;

	if (ccon_layout_build("+15550000000", "cloud_api", NULL, NULL, 0, &probe, err) < 0 ||
	    ccon_csv_import_new(&probe, NULL, NULL, NULL, NULL, &imp, err) < 0)
		goto out;
	while (!cols && off < len) {
		size_t step = len - off < 4096 ? len - off : 4096;

		if (ccon_csv_import_feed(imp, text + off, step, err) < 0)
			goto out;
		off += step;
		cols = ccon_csv_import_columns(imp, &n);
	}
	/* a header that cannot be read says why (empty, a quote, its length) */
	if (!cols && ccon_csv_import_finish(imp, err) < 0)
		goto out;
	if (!cols)
		cols = ccon_csv_import_columns(imp, &n);
	if (!cols || !n) {
		ccon_error_set(err, CCON_E_CSV_EMPTY, "the CSV has no header line");
		ccon_error_at_line(err, 1, 0);
		goto out;
	}
	if (!(info->columns = calloc(n, sizeof(char *)))) {
		nomem(err);
		goto out;
	}
	for (; info->n_columns < n; info->n_columns++)
		if (!(info->columns[info->n_columns] = strdup(cols[info->n_columns]))) {
			nomem(err);
			goto out;
		}
	rc = 0;
out:
	ccon_csv_import_free(imp);
	ccon_layout_free(&probe);
	return rc;
}

struct run {
	const struct ccon_campaign_message *msg;
	const struct ccon_audience_csv_info *info;
	ccon_audience_csv_row_fn on_row;
	ccon_csv_error_fn on_error;
	void *ctx;
	bool oom;
	bool stopped;                    /* a caller's callback said stop */
};

/* Importer paths in seed 002's words (as ccond reports them). */
static void error_path(struct ccon_error *e)
{
	char buf[CCON_ERROR_PATH_MAX];

	if (strcmp(e->path, "contact.contactCode") == 0) {
		snprintf(e->path, sizeof(e->path), CCON_AUDIENCE_CSV_RECIPIENT);
	} else if (strncmp(e->path, "customFields.", 13) == 0) {
		snprintf(buf, sizeof(buf), "messageParams.%s", e->path + 13);
		snprintf(e->path, sizeof(e->path), "%s", buf);
	}
}

static int on_error(void *ctx, const struct ccon_error *err)
{
	struct run *run = ctx;
	struct ccon_error e = *err;

	error_path(&e);
	if (run->on_error && run->on_error(run->ctx, &e) != 0)
		run->stopped = true;
	return run->stopped ? -1 : 0;
}

static long column_of(const struct ccon_audience_csv_info *info, const char *name)
{
	for (size_t i = 0; i < info->n_columns; i++)
		if (strcmp(info->columns[i], name) == 0)
			return (long)i + 1;
	return 0;
}

static int parse_context(const char *json, size_t len, struct ccon_audience *a,
                         struct ccon_error *e)
{
	struct ccon_json_path jp;
	cJSON *j = NULL;
	int rc;

	ccon_json_path_init(&jp, CCON_AUDIENCE_CSV_CONTEXT);
	if (ccon_json_parse(json, len, &j, e) < 0)
		return -1;
	rc = ccon_json_get_fields(j, NULL, CCON_JSON_OPTIONAL, &jp, true, &a->context_variables, e);
	cJSON_Delete(j);
	return rc;
}

/* The contact as an audience; -1 with e when refused (NOMEM included). */
static int audience_of(const struct run *run, const struct ccon_csv_contact *ct,
                       struct ccon_audience_csv_row *row, struct ccon_error *e)
{
	struct ccon_audience *a = &row->audience;

	if (!(a->recipient = strdup(ct->contact_code)))
		return nomem(e);
	for (size_t i = 0; i < ct->n_custom_fields; i++)
		if (ccon_fields_add(&a->message_params, ct->custom_fields[i].name,
		                    ct->custom_fields[i].value, ct->custom_fields[i].len) < 0)
			return nomem(e);
	if (ct->context_variables) {
		if (!(row->context_json = strndup(ct->context_variables, ct->context_variables_len)))
			return nomem(e);
		if (parse_context(ct->context_variables, ct->context_variables_len, a, e) < 0)
			return -1;
	}
	return run->msg ? ccon_audience_check(run->msg, a, "", e) : 0;
}

static int on_contact(void *ctx, const struct ccon_csv_contact *ct)
{
	struct run *run = ctx;
	struct ccon_audience_csv_row row;
	struct ccon_error e;
	int rc;

	memset(&row, 0, sizeof(row));
	row.line = ct->line;
	ccon_error_clear(&e);
	if (audience_of(run, ct, &row, &e) < 0) {
		const char *dot = strchr(e.path, '.');

		if (e.code == CCON_E_NOMEM) {
			run->oom = true;
			rc = -1;
		} else {
			ccon_error_at_line(&e, ct->line, dot ? column_of(run->info, dot + 1) : 0);
			rc = on_error(run, &e);
		}
	} else if (run->on_row && run->on_row(run->ctx, &row) != 0) {
		run->stopped = true;
		rc = -1;
	} else {
		rc = 0;
	}
	ccon_audience_free(&row.audience);
	free((char *)row.context_json);
	return rc;
}

int ccon_audience_csv_read(const char *text, size_t len, const struct ccon_campaign_message *msg,
                           ccon_audience_csv_row_fn on_row, ccon_csv_error_fn on_err, void *ctx,
                           struct ccon_audience_csv_info *info, struct ccon_error *err)
{
	struct ccon_audience_csv_info own = { NULL, 0, 0 }, *in = info ? info : &own;
	struct ccon_layout layout = CCON_LAYOUT_INIT;
	struct ccon_csv_import *imp = NULL;
	struct ccon_csv_stats st;
	struct run run = { msg, in, on_row, on_err, ctx, false, false };
	int rc = -1;

	memset(in, 0, sizeof(*in));
	if (read_columns(text, len, in, err) < 0 ||
	    ccon_audience_csv_layout((const char *const *)in->columns, in->n_columns, &layout,
	                             err) < 0 ||
	    ccon_csv_import_new(&layout, NULL, on_contact, on_error, &run, &imp, err) < 0)
		goto out;
	/* finish's own refusals (nothing imported) went to on_error already */
	if (ccon_csv_import_feed(imp, text, len, err) < 0 || ccon_csv_import_finish(imp, err) < 0)
		rc = run.oom || run.stopped || err->code == CCON_E_NOMEM ? -1 : 0;
	else
		rc = 0;
	ccon_csv_import_stats(imp, &st);
	in->data_rows = st.rows;
	if (run.oom)
		nomem(err);
out:
	ccon_csv_import_free(imp);
	ccon_layout_free(&layout);
	ccon_audience_csv_info_free(&own);
	return rc;
}
