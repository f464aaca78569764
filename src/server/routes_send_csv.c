/* routes_send_csv.c - seed 001: POST .../campaigns/{campaignId}/send/csv.
 *
 * The body is multipart/form-data (layout, file, scheduleAt, delay,
 * slicingCondition), taken apart by libmicrohttpd's post processor as it
 * arrives. The file part goes straight into libccon's streaming importer and
 * every contact into the send job's spool, so memory stays bounded by the
 * longest row whatever the file's size. A file that comes before its layout
 * is spooled to an unlinked temporary file in the data directory and
 * imported when the body is complete.
 *
 * Policy for bad rows: the good rows are sent, the bad ones are reported
 * (line, column, reason; capped, with the count of the rest) in the 202
 * answer; a file with no valid row at all, a layout that does not parse or
 * names columns the file lacks, or a file without a header is refused whole
 * (400) and creates nothing.
 */
#include "config.h"

#include "routes.h"

#include "campaigns.h"
#include "engine.h"
#include "send_common.h"
#include "sendjob.h"
#include "store.h"

#include <ccon/codec_error.h>
#include <ccon/codec_send.h>
#include <ccon/csv_import.h>
#include <ccon/layout.h>
#include <ccon/sha256.h>
#include <ccon/timing.h>

#include <errno.h>
#include <limits.h>
#include <microhttpd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define PP_BUFFER (64 * 1024)
#define LAYOUT_MAX (64 * 1024)   /* a layout is a few hundred bytes */
#define TEXT_MAX 1024            /* scheduleAt, delay, slicingCondition */
#define FIELDS_MAX 32            /* form parts in one request */
#define NAME_MAX_LEN 64

enum part_kind { PART_NONE, PART_LAYOUT, PART_FILE, PART_TEXT, PART_OTHER };

/* One form part's fingerprint, for the Idempotency-Key: the parts are
 * hashed by name and content, sorted by name, so the same form sent again
 * with a new multipart boundary (every client makes a fresh one) is the
 * same request. */
struct part_digest {
	char name[NAME_MAX_LEN];       /* the sort key (sha covers the whole name) */
	unsigned char sha[CCON_SHA256_SIZE];
};

struct csv_send {
	unsigned fail_status;          /* the refusal, once there is one */
	struct ccon_error fail;

	struct campaign camp;
	bool have_camp;
	char **vars;                   /* the template's variables */
	size_t *var_field;             /* var i -> layout custom field index */
	long *var_column;              /* var i -> CSV column (1-based) or 0 */
	size_t n_vars;
	bool var_columns_known;
	struct sendjob job;
	bool have_job;
	char data_dir[PATH_MAX];

	struct MHD_PostProcessor *pp;
	char *cur_name;                /* the part being read (heap) */
	enum part_kind cur_kind;
	bool in_part;
	uint64_t cur_len;
	struct ccon_sha256 cur_sha;
	struct ccon_strbuf cur_val;
	struct part_digest digests[FIELDS_MAX];
	size_t n_digests;

	struct ccon_strbuf layout_text;
	struct ccon_layout layout;
	bool layout_seen, layout_ok;
	bool file_seen, file_ended;
	FILE *spool;                   /* the file part while the layout is unknown */
	struct ccon_csv_import *imp;
	struct ccon_fields text;       /* the other form fields, in arrival order */

	size_t added;                  /* recipients handed to the job */
	size_t bad_rows;               /* rows refused (importer's and ours) */
	long last_bad_line;
	struct ccon_error_list errors; /* every reported error, for a 400 */
	struct ccon_fields params;
	struct ccon_strbuf context;
};

/* ------------------------------------------------------------------ state */

static void csv_send_free(void *p)
{
	struct csv_send *st = p;

	if (!st)
		return;
	if (st->pp)
		MHD_destroy_post_processor(st->pp);
	ccon_csv_import_free(st->imp);
	if (st->spool)
		fclose(st->spool);
	if (st->have_job)
		sendjob_free(&st->job);
	campaign_variables_free(st->vars);
	free(st->var_field);
	free(st->var_column);
	if (st->have_camp)
		campaign_free(&st->camp);
	ccon_layout_free(&st->layout);
	ccon_strbuf_free(&st->layout_text);
	ccon_strbuf_free(&st->cur_val);
	free(st->cur_name);
	ccon_strbuf_free(&st->context);
	ccon_fields_free(&st->text);
	ccon_fields_free(&st->params);
	ccon_error_list_free(&st->errors);
	free(st);
}

/* The first refusal wins; everything after it is ignored. */
static int refuse(struct csv_send *st, unsigned status, const struct ccon_error *e)
{
	if (st->fail_status)
		return -1;
	st->fail_status = status;
	st->fail = *e;
	return -1;
}

static int refusef(struct csv_send *st, unsigned status, enum ccon_errc code, const char *path,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int refusef(struct csv_send *st, unsigned status, enum ccon_errc code, const char *path,
                   const char *fmt, ...)
{
	struct ccon_error e;
	va_list ap;

	ccon_error_clear(&e);
	va_start(ap, fmt);
	ccon_error_vset(&e, code, fmt, ap);
	va_end(ap);
	if (path)
		ccon_error_at_path(&e, path);
	return refuse(st, status, &e);
}

static int nomem(struct csv_send *st)
{
	return refusef(st, 500, CCON_E_NOMEM, NULL, "out of memory");
}

static bool is_multipart(const char *ct)
{
	static const char want[] = "multipart/form-data";
	size_t n = sizeof(want) - 1;

	return ct && strncasecmp(ct, want, n) == 0 &&
	       (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ' || ct[n] == '\t');
}

/* The data directory, from the store's database file (data_dir/ccond.db). */
static void find_data_dir(struct csv_send *st, sqlite3 *db)
{
	const char *file = sqlite3_db_filename(db, "main");
	const char *slash = file ? strrchr(file, '/') : NULL;

	if (!slash || (size_t)(slash - file) >= sizeof(st->data_dir)) {
		snprintf(st->data_dir, sizeof(st->data_dir), "%s", "/tmp");
		return;
	}
	memcpy(st->data_dir, file, (size_t)(slash - file));
	st->data_dir[slash - file] = '\0';
}

/* The campaign, loaded on the first chunk with a connection borrowed for
 * just that (or with the request's own, when the body is empty): the variables are needed to check each row as it streams by,
 * and an unknown campaign is refused before the upload is read. */
static int load_campaign(struct api_call *c, struct csv_send *st)
{
	sqlite3 *db = c->db;
	int64_t app = api_param_id(c, 0), id = api_param_id(c, 1);
	struct ccon_error e;
	int found;

	if (app == 0 || app != c->app_id)
		return refusef(st, 404, CCON_E_NOT_FOUND, NULL, "no such application");
	if (id == 0)
		return refusef(st, 404, CCON_E_NOT_FOUND, "campaignId",
		               "no campaign %s in this application", c->params[1]);
	ccon_error_clear(&e);
	if (!c->db)
		db = store_acquire(c->eng->store);
	find_data_dir(st, db);
	found = campaigns_get(db, c->app_id, id, &st->camp, &e);
	if (!c->db)
		store_release(c->eng->store, db);
	if (found < 0)
		return refuse(st, 500, &e);
	if (found == 0)
		return refusef(st, 404, CCON_E_NOT_FOUND, "campaignId",
		               "no campaign %s in this application", c->params[1]);
	st->have_camp = true;
	if (strcmp(st->camp.channel, "whatsapp") != 0)
		return refusef(st, 400, CCON_E_CHANNEL_TYPE, "campaignId",
		               "campaign %lld sends on %s: CSV sends (channelType cloud_api) need a "
		               "WhatsApp campaign", (long long)st->camp.id, st->camp.channel);
	st->vars = campaign_variables(&st->camp);
	if (!st->vars)
		return nomem(st);
	while (st->vars[st->n_vars])
		st->n_vars++;
	sendjob_init(&st->job, c->app_id, &st->camp, "csv", c->now_us);
	st->have_job = true;
	return 0;
}

static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *filename, const char *content_type,
                               const char *transfer_encoding, const char *data, uint64_t off,
                               size_t size);

static int setup(struct api_call *c)
{
	struct csv_send *st = calloc(1, sizeof(*st));
	struct ccon_error none;

	if (!st)
		return -1;
	c->state = st;
	c->state_free = csv_send_free;
	st->last_bad_line = -1;
	ccon_error_clear(&none);
	ccon_error_list_init(&st->errors, &none);
	if (!is_multipart(c->req->content_type))
		return refusef(st, 415, CCON_E_CONTENT_TYPE, NULL,
		               "a CSV send is multipart/form-data (fields layout and file), not %s",
		               c->req->content_type ? c->req->content_type : "a body without a type");
	if (load_campaign(c, st) < 0)
		return -1;
	st->pp = MHD_create_post_processor(c->req->conn, PP_BUFFER, on_part, st);
	if (!st->pp)
		return refusef(st, 415, CCON_E_CONTENT_TYPE, NULL,
		               "multipart/form-data needs a boundary parameter");
	return 0;
}

/* ----------------------------------------------------------------- layout */

/* Every template variable must be one of the layout's custom fields. */
static int check_layout_variables(struct csv_send *st)
{
	const struct ccon_layout *l = &st->layout;

	st->var_field = calloc(st->n_vars + 1, sizeof(*st->var_field));
	st->var_column = calloc(st->n_vars + 1, sizeof(*st->var_column));
	if (!st->var_field || !st->var_column)
		return nomem(st);
	for (size_t v = 0; v < st->n_vars; v++) {
		size_t i;

		for (i = 0; i < l->n_custom_fields; i++)
			if (strcmp(l->custom_fields[i].name, st->vars[v]) == 0)
				break;
		if (i == l->n_custom_fields)
			return refusef(st, 400, CCON_E_TEMPLATE_MISSING_VARIABLE, "layout.customFields",
			               "the campaign's template uses {{%s}} but the layout's "
			               "customFields has no \"%s\"",
			               st->vars[v], st->vars[v]);
		st->var_field[v] = i;
	}
	return 0;
}

static int parse_layout(struct csv_send *st)
{
	struct ccon_error e;

	ccon_error_clear(&e);
	if (ccon_layout_parse(ccon_strbuf_cstr(&st->layout_text), st->layout_text.len, &st->layout,
	                      &e) < 0) {
		if (e.code == CCON_E_NOMEM)
			return nomem(st);
		/* the path says it is inside the layout field; line and column
		 * of a syntax error count inside the field's text */
		if (e.path[0])
			ccon_error_prefix_path(&e, "layout");
		else
			ccon_error_at_path(&e, "layout");
		return refuse(st, 400, &e);
	}
	st->layout_ok = true;
	ccon_strbuf_free(&st->layout_text);
	return check_layout_variables(st);
}

/* -------------------------------------------------------------- importing */

static void add_error(struct csv_send *st, const struct ccon_error *e, bool new_row)
{
	if (ccon_error_list_add(&st->errors, e) < 0)
		nomem(st);
	if (new_row)
		sendjob_reject(&st->job, e);
	else if (ccon_error_list_add(&st->job.errors, e) < 0)
		nomem(st);
}

static bool file_level(const struct ccon_csv_import *imp, const struct ccon_error *e)
{
	struct ccon_csv_stats s;

	if (e->code == CCON_E_CSV_HEADER || e->code == CCON_E_LAYOUT_NO_COLUMN ||
	    e->code == CCON_E_CSV_EMPTY)
		return true;
	ccon_csv_import_stats(imp, &s);
	return e->code == CCON_E_CSV_UTF8 && s.rows == 0; /* a column name */
}

static int on_import_error(void *ctx, const struct ccon_error *e)
{
	struct csv_send *st = ctx;
	bool row;

	if (e->code == CCON_E_LAYOUT_NO_COLUMN) {
		struct ccon_error le = *e;

		ccon_error_prefix_path(&le, "layout");
		refuse(st, 400, &le);
		return 1;
	}
	row = !file_level(st->imp, e);
	/* one row can have several errors: it is one rejected row */
	add_error(st, e, row && e->line != st->last_bad_line);
	if (row && e->line != st->last_bad_line) {
		st->bad_rows++;
		st->last_bad_line = e->line;
	}
	return st->fail_status ? 1 : 0;
}

/* The CSV column a variable's value comes from, when it is one column. */
static void find_var_columns(struct csv_send *st)
{
	const struct ccon_layout *l = &st->layout;
	const char *const *cols;
	size_t n;

	st->var_columns_known = true;
	cols = ccon_csv_import_columns(st->imp, &n);
	for (size_t v = 0; v < st->n_vars; v++) {
		const struct ccon_layout_value *val = &l->custom_fields[st->var_field[v]].value;

		st->var_column[v] = 0;
		if (val->count != 1 || !l->parts[val->first].variable)
			continue;
		for (size_t i = 0; i < n; i++) {
			if (strcmp(cols[i], l->parts[val->first].text) == 0) {
				st->var_column[v] = (long)i + 1;
				break;
			}
		}
	}
}

/* A template variable whose value is empty is a row error. */
static bool row_variables_ok(struct csv_send *st, const struct ccon_csv_contact *ct)
{
	bool ok = true;

	for (size_t v = 0; v < st->n_vars; v++) {
		const struct ccon_csv_custom_field *f = &ct->custom_fields[st->var_field[v]];
		struct ccon_error e;
		char path[CCON_ERROR_PATH_MAX];

		if (f->len > 0)
			continue;
		if (!st->var_columns_known)
			find_var_columns(st);
		ccon_error_clear(&e);
		ccon_error_set(&e, CCON_E_TEMPLATE_MISSING_VARIABLE,
		               "the campaign's template uses {{%s}} and this row's value is empty",
		               f->name);
		snprintf(path, sizeof(path), "customFields.%s", f->name);
		ccon_error_at_path(&e, path);
		ccon_error_at_line(&e, ct->line, st->var_column[v]);
		add_error(st, &e, ok);
		ok = false;
	}
	if (!ok)
		st->bad_rows++;
	return ok;
}

static void fields_clear(struct ccon_fields *f)
{
	for (size_t i = 0; i < f->count; i++) {
		free(f->items[i].name);
		free(f->items[i].value);
	}
	f->count = 0;
}

static int on_import_contact(void *ctx, const struct ccon_csv_contact *ct)
{
	struct csv_send *st = ctx;
	struct sendjob_recipient r;
	struct ccon_error e;
	int rc;

	if (!row_variables_ok(st, ct))
		return st->fail_status ? 1 : 0;
	fields_clear(&st->params);
	for (size_t i = 0; i < ct->n_custom_fields; i++)
		if (ccon_fields_add(&st->params, ct->custom_fields[i].name, ct->custom_fields[i].value,
		                    ct->custom_fields[i].len) < 0)
			return nomem(st), 1;
	memset(&r, 0, sizeof(r));
	r.recipient = ct->contact_code;
	r.recipient_type = "phone";
	r.channel_type = ct->channel_type;
	r.params = &st->params;
	r.line = ct->line;
	if (ct->context_variables) {
		ccon_strbuf_reset(&st->context);
		if (ccon_strbuf_append(&st->context, ct->context_variables,
		                       ct->context_variables_len) < 0)
			return nomem(st), 1;
		r.context_json = ccon_strbuf_cstr(&st->context);
	}
	ccon_error_clear(&e);
	rc = sendjob_add(&st->job, &r, &e);
	if (rc < 0)
		return refuse(st, 500, &e), 1;
	if (rc > 0)
		st->added++;
	return 0;
}

static int start_import(struct csv_send *st)
{
	struct ccon_error e;

	ccon_error_clear(&e);
	if (ccon_csv_import_new(&st->layout, NULL, on_import_contact, on_import_error, st, &st->imp,
	                        &e) < 0)
		return refuse(st, 500, &e);
	return 0;
}

static int import_bytes(struct csv_send *st, const char *data, size_t len)
{
	struct ccon_error e;

	ccon_error_clear(&e);
	if (ccon_csv_import_feed(st->imp, data, len, &e) < 0)
		return refuse(st, e.code == CCON_E_NOMEM ? 500 : 400, &e);
	return 0;
}

static int open_spool(struct csv_send *st)
{
	char path[PATH_MAX + 32];
	int fd;

	snprintf(path, sizeof(path), "%s/csv-upload-XXXXXX", st->data_dir);
	fd = mkstemp(path);
	if (fd < 0)
		return refusef(st, 500, CCON_E_IO, NULL, "cannot hold the upload: %s",
		               strerror(errno));
	unlink(path); /* gone with the request, even after a crash */
	st->spool = fdopen(fd, "w+b");
	if (!st->spool) {
		close(fd);
		return nomem(st);
	}
	return 0;
}

static int import_spool(struct csv_send *st)
{
	char *buf;
	size_t n;
	int e = 0;

	if (fflush(st->spool) != 0 || fseek(st->spool, 0, SEEK_SET) != 0)
		return refusef(st, 500, CCON_E_IO, NULL, "cannot read the held upload: %s",
		               strerror(errno));
	buf = malloc(CCON_CSV_CHUNK);
	if (!buf)
		return nomem(st);
	while (!st->fail_status) {
		errno = 0;
		n = fread(buf, 1, CCON_CSV_CHUNK, st->spool);
		e = errno;
		if (n > 0)
			import_bytes(st, buf, n);
		if (n == CCON_CSV_CHUNK)
			continue;
		if (!ferror(st->spool) || e != EINTR)
			break;
		clearerr(st->spool);   /* a signal interrupted the read: read on */
	}
	free(buf);
	if (!st->fail_status && ferror(st->spool))
		refusef(st, 500, CCON_E_IO, NULL, "cannot read the held upload: %s", strerror(e));
	fclose(st->spool);
	st->spool = NULL;
	return st->fail_status ? -1 : 0;
}

/* ------------------------------------------------------------------ parts */

static int begin_part(struct csv_send *st, const char *key)
{
	free(st->cur_name);
	st->cur_name = strdup(key);
	if (!st->cur_name)
		return nomem(st);
	st->in_part = true;
	st->cur_len = 0;
	ccon_sha256_init(&st->cur_sha);
	ccon_sha256_update(&st->cur_sha, key, strlen(key) + 1); /* the whole name */
	ccon_strbuf_reset(&st->cur_val);
	if (st->n_digests == FIELDS_MAX)
		return refusef(st, 400, CCON_E_JSON_VALUE, NULL,
		               "the form has more than %d fields", FIELDS_MAX);
	if (strcmp(key, "layout") == 0) {
		if (st->layout_seen)
			return refusef(st, 400, CCON_E_JSON_VALUE, "layout",
			               "the layout field is given twice");
		st->layout_seen = true;
		st->cur_kind = PART_LAYOUT;
	} else if (strcmp(key, "file") == 0) {
		if (st->file_seen)
			return refusef(st, 400, CCON_E_JSON_VALUE, "file",
			               "the file field is given twice: send one CSV file");
		st->file_seen = true;
		st->cur_kind = PART_FILE;
		if (st->layout_ok)
			return start_import(st);
		return open_spool(st);
	} else if (strcmp(key, "scheduleAt") == 0 || strcmp(key, "delay") == 0 ||
	           strcmp(key, "slicingCondition") == 0) {
		st->cur_kind = PART_TEXT;
	} else {
		st->cur_kind = PART_OTHER;
	}
	return 0;
}

static int end_part(struct csv_send *st)
{
	struct part_digest *d = &st->digests[st->n_digests++];

	st->in_part = false;
	snprintf(d->name, sizeof(d->name), "%s", st->cur_name);
	ccon_sha256_final(&st->cur_sha, d->sha);
	switch (st->cur_kind) {
	case PART_LAYOUT:
		return parse_layout(st);
	case PART_TEXT:
		if (ccon_fields_add(&st->text, st->cur_name, ccon_strbuf_cstr(&st->cur_val),
		                    st->cur_val.len) < 0)
			return nomem(st);
		return 0;
	case PART_FILE:
		st->file_ended = true;
		return 0;
	default:
		return 0;
	}
}

static int part_data(struct csv_send *st, const char *data, size_t size)
{
	ccon_sha256_update(&st->cur_sha, data, size);
	st->cur_len += size;
	switch (st->cur_kind) {
	case PART_LAYOUT:
		if (st->layout_text.len + size > LAYOUT_MAX)
			return refusef(st, 400, CCON_E_JSON_LENGTH, "layout",
			               "the layout is longer than %d bytes", LAYOUT_MAX);
		if (ccon_strbuf_append(&st->layout_text, data, size) < 0)
			return nomem(st);
		return 0;
	case PART_TEXT:
		if (st->cur_val.len + size > TEXT_MAX)
			return refusef(st, 400, CCON_E_JSON_LENGTH, st->cur_name,
			               "%s is longer than %d bytes", st->cur_name, TEXT_MAX);
		if (ccon_strbuf_append(&st->cur_val, data, size) < 0)
			return nomem(st);
		return 0;
	case PART_FILE:
		if (st->imp)
			return import_bytes(st, data, size);
		if (st->spool && fwrite(data, 1, size, st->spool) != size)
			return refusef(st, 500, CCON_E_IO, NULL, "cannot hold the upload: %s",
			               strerror(errno));
		return 0;
	default:
		return 0;
	}
}

/* The post processor calls this with each part's data in pieces (off is
 * the offset inside the part): a new name, or offset 0 after data, starts
 * the next part. */
static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *filename, const char *content_type,
                               const char *transfer_encoding, const char *data, uint64_t off,
                               size_t size)
{
	struct csv_send *st = cls;

	(void)kind;
	(void)filename;
	(void)content_type;
	(void)transfer_encoding;
	if (st->fail_status)
		return MHD_NO;
	if (!key)
		key = "";
	if (!st->in_part || strcmp(key, st->cur_name) != 0 || (off == 0 && st->cur_len > 0)) {
		if (st->in_part && end_part(st) < 0)
			return MHD_NO;
		if (begin_part(st, key) < 0)
			return MHD_NO;
	}
	if (size && part_data(st, data, size) < 0)
		return MHD_NO;
	return MHD_YES;
}

void api_send_csv_chunk(struct api_call *c, const char *data, size_t len)
{
	struct csv_send *st = c->state;

	if (!st) {
		if (setup(c) < 0 && !c->state)
			return;
		st = c->state;
	}
	if (st->fail_status || !st->pp)
		return;
	if (MHD_post_process(st->pp, data, len) != MHD_YES && !st->fail_status)
		refusef(st, 400, CCON_E_JSON_VALUE, NULL,
		        "the multipart/form-data body is malformed");
}

/* --------------------------------------------------------------- the end */

static int by_name(const void *a, const void *b)
{
	const struct part_digest *x = a, *y = b;
	int n = strcmp(x->name, y->name);

	return n ? n : memcmp(x->sha, y->sha, sizeof(x->sha));
}

/* Method, path, dryRun and the parts' digests in name order. */
static void request_hash(struct api_call *c, struct csv_send *st, bool dry_run,
                         char hex[CCON_SHA256_HEX_SIZE])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char sum[CCON_SHA256_SIZE];
	struct ccon_sha256 h;

	qsort(st->digests, st->n_digests, sizeof(st->digests[0]), by_name);
	ccon_sha256_init(&h);
	ccon_sha256_update(&h, "POST\n", 5);
	ccon_sha256_update(&h, c->req->path, strlen(c->req->path) + 1);
	ccon_sha256_update(&h, dry_run ? "dryRun=1" : "dryRun=0", 9);
	for (size_t i = 0; i < st->n_digests; i++) {
		ccon_sha256_update(&h, st->digests[i].name, strlen(st->digests[i].name) + 1);
		ccon_sha256_update(&h, st->digests[i].sha, sizeof(st->digests[i].sha));
	}
	ccon_sha256_final(&h, sum);
	for (size_t i = 0; i < CCON_SHA256_SIZE; i++) {
		hex[2 * i] = digits[sum[i] >> 4];
		hex[2 * i + 1] = digits[sum[i] & 15];
	}
	hex[2 * CCON_SHA256_SIZE] = '\0';
}

/* Everything that can be checked once the body is in, before the file is
 * imported when it was held back. */
static int check_request(struct api_call *c, struct csv_send *st, struct ccon_send_form *form,
                         bool *dry_run)
{
	struct ccon_error e;

	if (st->pp && st->n_digests + st->in_part > 0) {
		enum MHD_Result done = MHD_destroy_post_processor(st->pp);

		st->pp = NULL;
		if (st->in_part && end_part(st) < 0)
			return -1;
		if (done != MHD_YES)
			return refusef(st, 400, CCON_E_JSON_VALUE, NULL,
			               "the multipart/form-data body is cut short or malformed");
	}
	if (!st->layout_seen)
		return refusef(st, 400, CCON_E_JSON_REQUIRED, "layout",
		               "the form has no layout field (the JSON that maps CSV columns to "
		               "contacts)");
	if (!st->file_seen)
		return refusef(st, 400, CCON_E_JSON_REQUIRED, "file",
		               "the form has no file field (the CSV of contacts)");
	ccon_error_clear(&e);
	if (ccon_send_form_decode(&st->text, form, &e) < 0)
		return refuse(st, 400, &e);
	if (ccon_timing_resolve(c->now_us, form->schedule_at, form->delay, &st->job.timing, &e) < 0)
		return refuse(st, 400, &e);
	st->job.slicing = form->slicing;
	*dry_run = api_query_true(c, "dryRun");
	return 0;
}

static int finish_import(struct csv_send *st)
{
	struct ccon_error e;

	if (st->spool) {
		if (start_import(st) < 0 || import_spool(st) < 0)
			return -1;
	}
	ccon_error_clear(&e);
	if (ccon_csv_import_finish(st->imp, &e) < 0 && !st->fail_status) {
		if (e.code == CCON_E_LAYOUT_NO_COLUMN)
			ccon_error_prefix_path(&e, "layout");
		return refuse(st, e.code == CCON_E_NOMEM || e.code == CCON_E_IO ? 500 : 400, &e);
	}
	if (st->fail_status)
		return -1;
	if (st->added == 0 && st->bad_rows == 0)
		return refusef(st, 400, CCON_E_CSV_EMPTY, "file",
		               "the file has a header but no rows: one row per contact is needed");
	return 0;
}

static void reply_fail(struct api_call *c, struct csv_send *st)
{
	api_reply_error(c, st->fail_status, &st->fail);
}

/* No valid row: the errors, as a list. */
static void reply_no_rows(struct api_call *c, struct csv_send *st)
{
	struct ccon_error head;
	cJSON *body = NULL;
	char one[200];

	ccon_error_clear(&head);
	ccon_error_format(&st->errors.items[0].error, one, sizeof(one));
	ccon_error_set(&head, st->errors.items[0].error.code,
	               "no row of the file can be sent (%zu row%s refused); the first problem: %s",
	               st->bad_rows, st->bad_rows == 1 ? "" : "s", one);
	ccon_api_error_from(&st->errors.head, &head);
	if (ccon_error_list_encode(&st->errors, &body) < 0)
		body = NULL;
	api_reply_json(c, 400, body);
}

static void commit(struct api_call *c, struct csv_send *st, bool dry_run)
{
	char hash[CCON_SHA256_HEX_SIZE];

	st->job.dry_run = dry_run;
	request_hash(c, st, dry_run, hash);
	send_commit_hashed(c, &st->job, hash);
}

void api_send_csv(struct api_call *c)
{
	struct ccon_send_form form;
	struct csv_send *st = c->state;
	bool dry_run = false;

	if (!st && setup(c) < 0 && !c->state) {
		api_reply_errorf(c, 500, CCON_E_NOMEM, "out of memory");
		return;
	}
	st = c->state;
	memset(&form, 0, sizeof(form));
	if (st->fail_status || check_request(c, st, &form, &dry_run) < 0 ||
	    finish_import(st) < 0) {
		ccon_send_form_free(&form);
		reply_fail(c, st);
		return;
	}
	ccon_send_form_free(&form);
	if (st->added == 0 && st->errors.count > 0) {
		reply_no_rows(c, st);
		return;
	}
	commit(c, st, dry_run);
}
