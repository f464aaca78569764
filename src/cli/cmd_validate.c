/* cmd_validate.c - `ccon validate FILE.csv --layout L.json`: the CSV
 * preview's validation (libccon's importer, exactly the server's checks)
 * over the whole file, offline; the errors with line and column, and the
 * valid / invalid / duplicate counts. On a terminal, a progress bar with
 * rows/s on stderr. */
#include "config.h"

#include "cmd.h"

#include <ccon/csv_preview.h>
#include <ccon/layout.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define STEP_BYTES ((size_t)4 << 20)
#define BAR_CELLS 30
#define BAR_EVERY_MS 100

/* The whole file (a layout is small), NUL-terminated. 0, or 2 (said). */
static int read_small(struct cli *cli, const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	char buf[4096];
	size_t n;

	if (!f)
		return cli_usage_error(cli, "%s: %s", path, strerror(errno));
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0 && sb.len < (1u << 20))
		ccon_strbuf_append(&sb, buf, n);
	fclose(f);
	*out = ccon_strbuf_detach(&sb);
	*len = *out ? strlen(*out) : 0;
	if (!*out)
		*out = strdup("");
	return *out ? 0 : CLI_EXIT_FAIL;
}

int cli_load_layout(struct cli *cli, const char *path, struct ccon_layout *out)
{
	struct ccon_error err = {0};
	char *text = NULL, what[4200];
	size_t len = 0;
	int rc;

	if ((rc = read_small(cli, path, &text, &len)) != 0)
		return rc;
	rc = ccon_layout_parse(text, len, out, &err);
	free(text);
	if (rc < 0) {
		snprintf(what, sizeof(what), "the layout %s", path);
		return cli_error(cli, CLI_EXIT_INVALID, 0, what, &err);
	}
	return 0;
}

static void bar(const struct ccon_csv_progress *p)
{
	double share = p->total_bytes ? (double)p->bytes_done / (double)p->total_bytes : 1.0;
	int cells = (int)(share * BAR_CELLS);

	fprintf(stderr, "\r[%.*s%*s] %3d%%  %zu rows  %.0f rows/s ", cells,
	        "##############################", BAR_CELLS - cells, "", (int)(share * 100),
	        p->rows_done, p->rows_per_s);
	if (p->eta >= 0)
		fprintf(stderr, " %.0f s left ", p->eta);
	fprintf(stderr, "\033[K");
}

static int64_t now_ms(void)
{
	return ccon_monotonic_ms();
}

static int run(struct cli *cli, struct ccon_csv_validation *v, struct ccon_csv_progress *p)
{
	bool show = cli->a.progress || (!cli->a.no_progress && isatty(STDERR_FILENO));
	int64_t last = 0;
	struct ccon_error err = {0};
	int rc;

	while ((rc = ccon_csv_validation_step(v, STEP_BYTES, &err)) == 0) {
		if (show && now_ms() - last >= BAR_EVERY_MS) {
			ccon_csv_validation_progress(v, p);
			bar(p);
			last = now_ms();
		}
	}
	if (show)
		fprintf(stderr, "\r\033[K");
	ccon_csv_validation_progress(v, p);
	if (rc < 0)
		return cli_error(cli, cli_exit_for_error(&err) == CLI_EXIT_NETWORK ? CLI_EXIT_FAIL
		                 : cli_exit_for_error(&err), 0, cli->a.args[0], &err);
	return 0;
}

static int print_text(struct cli *cli, const struct ccon_csv_progress *p,
                      const struct ccon_error *errs, size_t n)
{
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	char where[CCON_ERROR_MESSAGE_MAX + CCON_ERROR_PATH_MAX + 64];
	int rc;

	for (size_t i = 0; i < n; i++) {
		ccon_error_format(&errs[i], where, sizeof(where));
		cli_put_safe(&sb, cli->a.args[0]);
		ccon_strbuf_puts(&sb, ": ");
		cli_put_safe(&sb, where);
		ccon_strbuf_printf(&sb, " (%s)\n", ccon_errc_name(errs[i].code));
	}
	if (p->errors > n)
		ccon_strbuf_printf(&sb, "... and %zu more errors\n", p->errors - n);
	ccon_strbuf_printf(&sb, "%zu rows: %zu valid, %zu invalid, %zu duplicates; %zu errors "
	                   "(%.2f s, %.0f rows/s)\n", p->rows_done, p->valid, p->invalid,
	                   p->duplicates, p->errors, p->elapsed, p->rows_per_s);
	rc = sb.buf ? cli_print_text(&sb) : CLI_EXIT_FAIL;
	ccon_strbuf_free(&sb);
	return rc;
}

static int print_json(struct cli *cli, const struct ccon_csv_progress *p, char delimiter,
                      const struct ccon_error *errs, size_t n)
{
	cJSON *doc = cJSON_CreateObject(), *list = cJSON_AddArrayToObject(doc, "errors");
	char d[2] = { delimiter, '\0' };

	if (!doc || !list) {
		cJSON_Delete(doc);
		return CLI_EXIT_FAIL;
	}
	cJSON_AddStringToObject(doc, "file", cli->a.args[0]);
	cJSON_AddStringToObject(doc, "delimiter", d);
	cJSON_AddNumberToObject(doc, "rows", (double)p->rows_done);
	cJSON_AddNumberToObject(doc, "valid", (double)p->valid);
	cJSON_AddNumberToObject(doc, "invalid", (double)p->invalid);
	cJSON_AddNumberToObject(doc, "duplicates", (double)p->duplicates);
	cJSON_AddNumberToObject(doc, "errorsTotal", (double)p->errors);
	cJSON_AddNumberToObject(doc, "seconds", p->elapsed);
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(list, cli_error_json(&errs[i]));
	return cli_print_json(doc);
}

int sub_validate(struct cli *cli)
{
	struct ccon_csv_preview_options po = { 0, CCON_CSV_HEADER_YES };
	struct ccon_layout layout = { 0 };
	struct ccon_csv_preview *pv = NULL;
	struct ccon_csv_validation *v = NULL;
	struct ccon_csv_progress p = { 0 };
	const struct ccon_error *errs;
	struct ccon_error err = {0};
	size_t n = 0;
	int rc;

	if (!cli->a.layout)
		return cli_usage_error(cli, "--layout L.json is required");
	if (access(cli->a.args[0], R_OK) < 0)
		return cli_usage_error(cli, "%s: %s", cli->a.args[0], strerror(errno));
	if ((rc = cli_load_layout(cli, cli->a.layout, &layout)) != 0)
		return rc;
	if (ccon_csv_preview_open(cli->a.args[0], &po, &pv, &err) < 0 ||
	    ccon_csv_validation_new(pv, &layout, &v, &err) < 0)
		rc = cli_error(cli, cli_exit_for_error(&err) == CLI_EXIT_NETWORK ? CLI_EXIT_FAIL
		               : cli_exit_for_error(&err), 0, cli->a.args[0], &err);
	if (rc == 0)
		rc = run(cli, v, &p);
	if (rc == 0) {
		errs = ccon_csv_validation_errors(v, &n);
		rc = cli->a.json ? print_json(cli, &p, ccon_csv_preview_delimiter(pv), errs, n)
		                 : print_text(cli, &p, errs, n);
		if (rc == 0 && (p.invalid || p.errors)) {
			fprintf(stderr, "ccon validate: %zu invalid rows, %zu errors\n", p.invalid,
			        p.errors);
			rc = CLI_EXIT_INVALID;
		}
	}
	ccon_csv_validation_free(v);
	ccon_csv_preview_close(pv);
	ccon_layout_free(&layout);
	return rc;
}
