/* model_export.c - the export of the focused campaign's report: its
 * summary, its failure groups, then every audience page in turn, each
 * written as it arrives to a temporary file that becomes the file only
 * when everything was written. One request at a time, never blocking. */
#include "config.h"

#include <ccon/model.h>

#include "model_internal.h"

#include <ccon/codec_command.h>
#include <ccon/export.h>
#include <ccon/strbuf.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

enum export_step { STEP_SUMMARY, STEP_FAILURES, STEP_AUDIENCE, STEP_DONE };

struct ccon_model_export {
	struct ccon_model *m;
	struct ccon_client *client;
	char *campaign_id;
	char *path;
	char *tmp;                  /* the temporary file; NULL once renamed or removed */
	FILE *file;
	enum ccon_export_format format;
	enum export_step step;
	int64_t req;                /* the request in flight, 0: none */
	struct ccon_campaign_summary summary;
	bool has_summary;
	struct ccon_failure_group_list failures;
	struct ccon_export_sink sink;
	struct ccon_csv_writer csv;
	struct ccon_export_json json;
	bool json_open;
	bool head_written;          /* the summary and failures are in the file */
	int64_t rows, total;
	bool finished, failed;
	ccon_model_done done;
	void *ctx;
};

enum ccon_export_format ccon_export_format_of(const char *path)
{
	size_t n = path ? strlen(path) : 0;

	return n >= 5 && strcasecmp(path + n - 5, ".json") == 0 ? CCON_EXPORT_JSON
	                                                         : CCON_EXPORT_CSV;
}

/* Closes and removes the temporary file (after a failure, or when freed). */
static void discard(struct ccon_model_export *x)
{
	if (x->json_open) {
		ccon_export_json_abort(&x->json);
		x->json_open = false;
	}
	if (x->file) {
		fclose(x->file);
		x->file = NULL;
	}
	if (x->tmp) {
		unlink(x->tmp);
		free(x->tmp);
		x->tmp = NULL;
	}
}

static void finish(struct ccon_model_export *x, const struct ccon_error *err)
{
	struct ccon_error ok;

	x->step = STEP_DONE;
	x->finished = true;
	if (err && err->code != CCON_E_OK) {
		x->failed = true;
		discard(x);
	}
	if (!err) {
		ccon_error_clear(&ok);
		err = &ok;
	}
	/* the last thing done with x: done may free it */
	if (x->done)
		x->done(x->ctx, err);
}

static void fail_io(struct ccon_model_export *x, const char *what)
{
	struct ccon_error err;

	ccon_error_clear(&err);
	ccon_error_set(&err, CCON_E_IO, "%s: %s: %s", x->path, what,
	               errno ? strerror(errno) : "write failed");
	finish(x, &err);
}

/* A read failed: what it was, and why. */
static void fail_read(struct ccon_model_export *x, const char *what, struct ccon_error *err)
{
	struct ccon_error e;
	char why[CCON_ERROR_MESSAGE_MAX + CCON_ERROR_PATH_MAX + 8];

	ccon_error_format(err, why, sizeof(why));
	ccon_error_clear(&e);
	ccon_error_set(&e, err->code == CCON_E_OK ? CCON_E_IO : err->code, "%s: reading the %s: %s",
	               x->path, what, why);
	finish(x, &e);
}

static void step(struct ccon_model_export *x);

/* Reads a /commands answer's resource with decode; -1 after fail_read. */
typedef int (*decode_fn)(const cJSON *res, void *out, struct ccon_error *err);

static int answer(struct ccon_model_export *x, const struct ccon_response *r, const char *what,
                  decode_fn decode, void *out)
{
	struct ccon_error err;
	const cJSON *res;
	cJSON *json;

	ccon_error_clear(&err);
	if (ccon_model_answer(r, true, &json, &res, &err)) {
		fail_read(x, what, &err);
		return -1;
	}
	if (decode(res, out, &err)) {
		ccon_cmd_resource_error_path(&err);
		cJSON_Delete(json);
		fail_read(x, what, &err);
		return -1;
	}
	cJSON_Delete(json);
	return 0;
}

static int decode_summary(const cJSON *res, void *out, struct ccon_error *err)
{
	return ccon_campaign_summary_decode(res, out, err);
}

static int decode_failures(const cJSON *res, void *out, struct ccon_error *err)
{
	return ccon_failure_group_list_decode(res, out, err);
}

static int decode_page(const cJSON *res, void *out, struct ccon_error *err)
{
	return ccon_audience_page_decode(res, out, err);
}

static void summary_cb(void *ctx, const struct ccon_response *r)
{
	struct ccon_model_export *x = ctx;

	x->req = 0;
	if (answer(x, r, "campaign summary", decode_summary, &x->summary))
		return;
	x->has_summary = true;
	x->step = STEP_FAILURES;
	step(x);
}

static void failures_cb(void *ctx, const struct ccon_response *r)
{
	struct ccon_model_export *x = ctx;
	struct ccon_failure_group_list l;
	struct ccon_failure_group *items;
	bool more;

	x->req = 0;
	if (answer(x, r, "failures", decode_failures, &l))
		return;
	items = realloc(x->failures.items,
	                (x->failures.count + l.count + 1) * sizeof(*x->failures.items));
	if (!items) {
		ccon_failure_group_list_free(&l);
		errno = ENOMEM;
		fail_io(x, "out of memory");
		return;
	}
	if (l.count)
		memcpy(items + x->failures.count, l.items, l.count * sizeof(*l.items));
	x->failures.items = items;
	x->failures.count += l.count;
	x->failures.total = l.total;
	more = l.count > 0 && (int64_t)x->failures.count < l.total;
	free(l.items);   /* the groups moved; their strings now belong to x */
	if (!more)
		x->step = STEP_AUDIENCE;
	step(x);
}

/* The summary and the failures are here: the file's first part. */
static int write_head(struct ccon_model_export *x)
{
	struct ccon_csv_writer *w = &x->csv;

	if (x->format == CCON_EXPORT_JSON) {
		x->json_open = true;
		return ccon_export_json_report_begin(&x->json, &x->sink, &x->summary,
		                                     x->failures.items, x->failures.count);
	}
	/* three tables, an empty line between them */
	if (ccon_export_csv_summary_header(w) || ccon_export_csv_summary(w, &x->summary) ||
	    ccon_export_sink_write(&x->sink, "\r\n", 2) || ccon_export_csv_failures_header(w))
		return -1;
	for (size_t i = 0; i < x->failures.count; i++)
		if (ccon_export_csv_failure(w, &x->failures.items[i]))
			return -1;
	if (ccon_export_sink_write(&x->sink, "\r\n", 2))
		return -1;
	return ccon_export_csv_audience_header(w);
}

/* Everything is written: flush, close, rename. */
static void write_end(struct ccon_model_export *x)
{
	int rc = 0;

	errno = 0;
	if (x->format == CCON_EXPORT_JSON) {
		x->json_open = false;
		rc = ccon_export_json_end(&x->json);
	}
	if (rc || fflush(x->file) != 0 || fsync(fileno(x->file)) != 0) {
		fail_io(x, "writing");
		return;
	}
	rc = fclose(x->file);
	x->file = NULL;
	if (rc != 0) {
		fail_io(x, "writing");
		return;
	}
	if (rename(x->tmp, x->path) != 0) {
		fail_io(x, "renaming the temporary file");
		return;
	}
	free(x->tmp);
	x->tmp = NULL;
	finish(x, NULL);
}

static void page_cb(void *ctx, const struct ccon_response *r)
{
	struct ccon_model_export *x = ctx;
	struct ccon_audience_page page;
	size_t count;
	int rc = 0;

	x->req = 0;
	if (answer(x, r, "audience", decode_page, &page))
		return;
	errno = 0;
	for (size_t i = 0; i < page.count && rc == 0; i++)
		rc = x->format == CCON_EXPORT_JSON ? ccon_export_json_audience(&x->json, &page.items[i])
		                                   : ccon_export_csv_audience(&x->csv, &page.items[i]);
	count = page.count;
	x->rows += (int64_t)count;
	x->total = page.total;
	ccon_audience_page_free(&page);
	if (rc) {
		fail_io(x, "writing");
		return;
	}
	/* an empty page ends it too: rows may vanish while it runs */
	if (count == 0 || x->rows >= x->total) {
		write_end(x);
		return;
	}
	step(x);
}

static int64_t get(struct ccon_model_export *x, enum ccon_cmd_route route, int64_t skip,
                   bool paged, ccon_client_cb cb, struct ccon_error *err)
{
	struct ccon_cmd_uri u;
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	int64_t id;

	memset(&u, 0, sizeof(u));
	u.route = route;
	u.campaign_id = x->campaign_id;
	u.has_skip = paged && skip > 0;
	u.skip = skip;
	u.has_take = paged;
	u.take = CCON_CMD_TAKE_MAX;
	if (ccon_cmd_uri_format(&u, &sb)) {
		ccon_strbuf_free(&sb);
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	}
	id = ccon_client_command(x->client, "get", ccon_strbuf_cstr(&sb), NULL, NULL, NULL, cb, x,
	                         err);
	ccon_strbuf_free(&sb);
	return id;
}

/* Sends the next read. */
static void step(struct ccon_model_export *x)
{
	struct ccon_error err;

	ccon_error_clear(&err);
	switch (x->step) {
	case STEP_SUMMARY:
		x->req = get(x, CCON_ROUTE_SUMMARY, 0, false, summary_cb, &err);
		break;
	case STEP_FAILURES:
		x->req = get(x, CCON_ROUTE_FAILURES, (int64_t)x->failures.count, true, failures_cb,
		             &err);
		break;
	case STEP_AUDIENCE:
		if (!x->head_written) {
			errno = 0;
			if (write_head(x)) {
				fail_io(x, "writing");
				return;
			}
			x->head_written = true;
		}
		x->req = get(x, CCON_ROUTE_AUDIENCE, x->rows, true, page_cb, &err);
		break;
	case STEP_DONE:
		return;
	}
	if (x->req <= 0) {
		x->req = 0;
		fail_read(x, "campaign", &err);
	}
}

/* ------------------------------------------------------------ the API */

static void export_free(struct ccon_model_export *x)
{
	if (x->req)
		ccon_client_cancel(x->client, x->req);
	discard(x);
	ccon_campaign_summary_free(&x->summary);
	ccon_failure_group_list_free(&x->failures);
	free(x->campaign_id);
	free(x->path);
	free(x);
}

void ccon_model_export_free(struct ccon_model_export *x)
{
	if (x)
		export_free(x);
}

static int open_tmp(struct ccon_model_export *x, struct ccon_error *err)
{
	size_t n = strlen(x->path);
	int fd;

	x->tmp = malloc(n + 8);
	if (!x->tmp)
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	memcpy(x->tmp, x->path, n);
	memcpy(x->tmp + n, ".XXXXXX", 8);
	fd = mkstemp(x->tmp);
	if (fd < 0) {
		ccon_error_set(err, CCON_E_IO, "%s: cannot create it: %s", x->path, strerror(errno));
		free(x->tmp);
		x->tmp = NULL;
		return -1;
	}
	x->file = fdopen(fd, "w");
	if (!x->file) {
		ccon_error_set(err, CCON_E_IO, "%s: %s", x->path, strerror(errno));
		close(fd);
		discard(x);
		return -1;
	}
	ccon_export_sink_file(&x->sink, x->file);
	ccon_csv_init(&x->csv, &x->sink);
	return 0;
}

int ccon_model_export(struct ccon_model *m, const char *path, enum ccon_export_format format,
                      ccon_model_done done, void *ctx, struct ccon_model_export **out,
                      struct ccon_error *err)
{
	struct ccon_model_export *x;

	*out = NULL;
	if (!m->focus.id)
		return ccon_error_set(err, CCON_E_INVALID_ARGUMENT, "no campaign to export");
	if (!path || !*path)
		return ccon_error_set(err, CCON_E_INVALID_ARGUMENT, "export: no file name");
	x = calloc(1, sizeof(*x));
	if (!x || !(x->campaign_id = strdup(m->focus.id)) || !(x->path = strdup(path))) {
		if (x)
			export_free(x);
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	}
	x->m = m;
	x->client = m->client;
	x->format = format;
	x->total = -1;
	x->done = done;
	x->ctx = ctx;
	if (open_tmp(x, err)) {
		export_free(x);
		return -1;
	}
	x->step = STEP_SUMMARY;
	x->req = get(x, CCON_ROUTE_SUMMARY, 0, false, summary_cb, err);
	if (x->req <= 0) {
		x->req = 0;
		export_free(x);
		return -1;
	}
	*out = x;
	return 0;
}

void ccon_model_export_progress(const struct ccon_model_export *x,
                                struct ccon_export_progress *out)
{
	memset(out, 0, sizeof(*out));
	out->total = -1;
	if (!x)
		return;
	out->rows = x->rows;
	out->total = x->rows ? x->total : -1;
	out->finished = x->finished;
	out->failed = x->failed;
}

const char *ccon_model_export_path(const struct ccon_model_export *x)
{
	return x ? x->path : NULL;
}
