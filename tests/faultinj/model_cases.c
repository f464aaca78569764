/* model_cases.c - more library cases of the fault injection test (the
 * driver is main.c; cases.c has the first ones):
 *   - the CSV preview (csv_preview.h) over a small file that still needs
 *     more than its first block: open, index in steps, the header and
 *     every row (a quoted field over two lines, a row libcsv refuses),
 *     rows by line, validation in steps (a bad phone, a duplicate), with
 *     the header detected and with it off (a synthetic header), under
 *     allocation and pread faults: EIO is a clean error, EINTR and short
 *     reads are survived (read_at loops);
 *   - ccond's campaign_to_json (GET .../campaigns/{id}), a campaign with
 *     templateParams and tags;
 *   - the model side of the audience pane's recompute (pane_audience.c:
 *     ccon_roster_stats, ccon_roster_duplicates, ccon_roster_lacking over a
 *     pasted roster); the pane itself is curses and is not run here.
 * Each case's text is everything it produced, to compare a run that
 * "succeeds" under a fault with the run without one. */
#include "config.h"

#include "faultinj.h"

#include "../../src/server/campaigns.h"

#include <ccon/audience.h>
#include <ccon/csv_preview.h>
#include <ccon/layout.h>
#include <ccon/strbuf.h>

#include <cjson/cJSON.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct plan preview_plans[] = {
	{ FI_ALLOC, FI_FAIL, false, false },
	{ FI_READ, FI_FAIL, false, false },
	{ FI_READ, FI_SHORT, true, false },
	{ FI_READ, FI_EINTR, true, false },
};

static const struct plan alloc_plans[] = {
	{ FI_ALLOC, FI_FAIL, false, false },
};

/* ------------------------------------------------------------ the inputs */

/* A header, a quoted field over two lines, a doubled quote, a bad phone,
 * a duplicate, a row with a stray quote (libcsv refuses it), and in the
 * middle PAD empty lines (skipped by both the index and the importer) so
 * that the rows after them are past the first block. */
#define PAD 70000
static const char head_text[] =
	"phone,name,note\n"
	"34666000001,Ann,plain\n"
	"34666000002,Bob,\"two\nlines, a comma\"\n"
	"12,Bad,short phone\n";
static const char tail_text[] =
	"34666000004,Dee,\"say \"\"hi\"\"\"\n"
	"34666000002,Dup,again\n"
	"34666000006,Fay,bro\"ken\n"
	"34666000005,Eve,last\n";

static const char preview_layout[] =
	"{\"contact\":{\"contactCode\":\"{{phone}}\",\"channelType\":\"cloud_api\"},"
	"\"customFields\":{\"name\":\"{{name}}\",\"note\":\"{{note}}\"}}";

static char *preview_path;

static int write_preview_file(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	char *pad = malloc(PAD);
	int rc = 0;

	if (fd < 0 || !pad) {
		if (fd >= 0)
			close(fd);
		free(pad);
		return -1;
	}
	memset(pad, '\n', PAD);
	if (write(fd, head_text, strlen(head_text)) != (ssize_t)strlen(head_text) ||
	    write(fd, pad, PAD) != PAD ||
	    write(fd, tail_text, strlen(tail_text)) != (ssize_t)strlen(tail_text))
		rc = -1;
	free(pad);
	if (close(fd) < 0)
		rc = -1;
	return rc;
}

/* ------------------------------------------------------------- outcomes */

static void put_text(struct outcome *o, struct ccon_strbuf *sb)
{
	fi_pause();
	o->text = strdup(ccon_strbuf_cstr(sb));
	ccon_strbuf_free(sb);
	if (!o->text)
		abort();
	fi_resume();
}

/* A fault (the run ends in a clean error) rather than something about the
 * data (written into the text). */
static bool is_fault(const struct ccon_error *e)
{
	return e->code == CCON_E_NOMEM || e->code == CCON_E_IO;
}

static void put_row(struct ccon_strbuf *sb, const char *what, const struct ccon_csv_row *r)
{
	fi_pause();
	ccon_strbuf_printf(sb, "%s line %ld, %zu fields:", what, r->line, r->n_fields);
	for (size_t f = 0; f < r->n_fields; f++) {
		ccon_strbuf_puts(sb, " [");
		ccon_strbuf_append(sb, r->fields[f], r->lens[f]);
		ccon_strbuf_putc(sb, ']');
	}
	ccon_strbuf_putc(sb, '\n');
	fi_resume();
}

static void put_error(struct ccon_strbuf *sb, const char *what, const struct ccon_error *e)
{
	fi_pause();
	ccon_strbuf_printf(sb, "%s: %s %ld:%ld %s %s\n", what, ccon_errc_name(e->code), e->line,
	                   e->column, e->path, e->message);
	fi_resume();
}

/* ------------------------------------------------------------ CSV preview */

static int preview_rows(struct ccon_csv_preview *p, struct ccon_strbuf *sb,
                        struct ccon_error *err)
{
	struct ccon_csv_row r;
	size_t n = ccon_csv_preview_rows_known(p);
	char what[32];

	if (ccon_csv_preview_header(p, &r, err) < 0)
		return -1;
	put_row(sb, "header", &r);
	/* one past the last: CCON_E_INVALID_ARGUMENT */
	for (size_t i = 0; i <= n; i++) {
		struct ccon_error e;

		ccon_error_clear(&e);
		snprintf(what, sizeof(what), "row %zu", i);
		if (ccon_csv_preview_row(p, i, &r, &e) == 0) {
			put_row(sb, what, &r);
		} else if (is_fault(&e)) {
			*err = e;
			return -1;
		} else {
			put_error(sb, what, &e);
		}
	}
	fi_pause();
	for (long line = 1; line <= PAD + 12; line += line < 8 ? 1 : PAD)
		ccon_strbuf_printf(sb, "line %ld: row %ld\n", line, ccon_csv_preview_row_at_line(p, line));
	fi_resume();
	return 0;
}

static int preview_validate(struct ccon_csv_preview *p, struct ccon_strbuf *sb,
                            struct ccon_error *err)
{
	struct ccon_csv_validation *v = NULL;
	struct ccon_csv_progress pr;
	const struct ccon_error *errs;
	struct ccon_layout layout;
	int rc, steps = 0;
	size_t n;

	if (ccon_layout_parse(preview_layout, strlen(preview_layout), &layout, err) < 0)
		return -1;
	rc = ccon_csv_validation_new(p, &layout, &v, err);
	while (rc == 0) {
		rc = ccon_csv_validation_step(v, 16384, err);
		steps++;
	}
	if (rc > 0) {
		ccon_csv_validation_progress(v, &pr);
		errs = ccon_csv_validation_errors(v, &n);
		fi_pause();
		ccon_strbuf_printf(sb, "validation: %d steps, bytes %llu/%llu rows %zu valid %zu "
		                   "invalid %zu duplicates %zu errors %zu done %d cancelled %d\n",
		                   steps, (unsigned long long)pr.bytes_done,
		                   (unsigned long long)pr.total_bytes, pr.rows_done, pr.valid,
		                   pr.invalid, pr.duplicates, pr.errors, pr.done, pr.cancelled);
		fi_resume();
		for (size_t i = 0; i < n; i++)
			put_error(sb, "validation error", &errs[i]);
	}
	ccon_csv_validation_free(v);
	ccon_layout_free(&layout);
	return rc < 0 ? -1 : 0;
}

/* arg: the options to open with (NULL detects the header) */
static void run_preview(const void *arg, struct outcome *o)
{
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	struct ccon_csv_preview *p = NULL;
	const struct ccon_error *enc;
	int rc, steps = 0;

	o->rc = ccon_csv_preview_open(preview_path, arg, &p, &o->err);
	if (o->rc < 0)
		return;
	fi_pause();
	ccon_strbuf_printf(&sb, "open: delimiter %c header %d bom %d size %llu read %llu "
	                   "indexed %llu rows %zu\n", ccon_csv_preview_delimiter(p),
	                   ccon_csv_preview_has_header(p), ccon_csv_preview_had_bom(p),
	                   (unsigned long long)ccon_csv_preview_file_size(p),
	                   (unsigned long long)ccon_csv_preview_bytes_read(p),
	                   (unsigned long long)ccon_csv_preview_bytes_indexed(p),
	                   ccon_csv_preview_rows_known(p));
	fi_resume();
	do {
		rc = ccon_csv_preview_index_step(p, 4096, &o->err);
		steps++;
	} while (rc == 0);
	if (rc < 0)
		goto fail;
	enc = ccon_csv_preview_encoding_error(p);
	fi_pause();
	ccon_strbuf_printf(&sb, "indexed in %d steps: %d, read %llu rows %zu encoding error %s\n",
	                   steps, ccon_csv_preview_indexed(p),
	                   (unsigned long long)ccon_csv_preview_bytes_read(p),
	                   ccon_csv_preview_rows_known(p), enc ? enc->message : "none");
	fi_resume();
	if (preview_rows(p, &sb, &o->err) < 0 || preview_validate(p, &sb, &o->err) < 0)
		goto fail;
	ccon_csv_preview_close(p);
	o->rc = 0;
	put_text(o, &sb);
	return;
fail:
	o->rc = -1;
	ccon_csv_preview_close(p);
	fi_pause();
	ccon_strbuf_free(&sb);
	fi_resume();
}

/* ------------------------------------------------------ campaign_to_json */

static void run_campaign_json(const void *arg, struct outcome *o)
{
	struct campaign c = { 0 };
	cJSON *j;

	(void)arg;
	c.id = 7;
	c.app_id = 1;
	c.name = (char *)"Promo \"spring\"";
	c.channel = (char *)"whatsapp";
	c.campaign_type = (char *)"Batch";
	c.template_name = (char *)"promo_v1";
	c.template_params = (char *)"[\"name\",\"ticketId\",\"when\"]";
	c.language = (char *)"es";
	c.flow_id = (char *)"flow-1";
	c.state_id = (char *)"state-2";
	c.master_state = (char *)"master";
	c.source_application = (char *)"crm";
	c.campaign_sender = (char *)"+34600000000";
	c.tags = (char *)"[\"spring\",\"vip\"]";
	c.origin = (char *)"rest";
	c.created_us = INT64_C(1767225600000000);
	j = campaign_to_json(&c);
	if (!j) {
		o->rc = ccon_error_set(&o->err, CCON_E_NOMEM, "campaign_to_json: out of memory");
		return;
	}
	o->rc = 0;
	fi_put_json(o, j);
}

/* ------------------------------------------ the audience pane's recompute */

static const char roster_paste[] =
	"+34 666 000 001\n34666000002;34666000003\n"
	"12345\n34666000002\n0034666000004,+34666000005\n";

static void run_roster(const void *arg, struct outcome *o)
{
	static const char *const names[] = { "name", "ticketId" };
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	struct ccon_roster r = CCON_ROSTER_INIT;
	struct ccon_roster_paste paste;
	struct ccon_roster_stats st;
	size_t *dups = NULL, rows[4];

	(void)arg;
	/* the roster as the pane has it: pasted, then a field on two rows */
	fi_pause();
	if (ccon_roster_paste(&r, roster_paste, strlen(roster_paste), NULL, &paste) < 0 ||
	    ccon_roster_field_add(&r, 0, "name", "Ann") < 0 ||
	    ccon_roster_field_add(&r, 2, "name", "Cid") < 0 ||
	    ccon_roster_field_add(&r, 2, "ticketId", "3") < 0)
		abort();
	ccon_roster_paste_free(&paste);
	fi_resume();
	/* recompute's model calls */
	o->rc = -1;
	if (ccon_roster_stats(&r, &st) < 0) {
		ccon_error_set(&o->err, CCON_E_NOMEM, "roster stats: out of memory");
		goto out;
	}
	dups = malloc((r.count + 1) * sizeof(*dups));
	if (!dups) {
		ccon_error_set(&o->err, CCON_E_NOMEM, "duplicate map: out of memory");
		goto out;
	}
	if (ccon_roster_duplicates(&r, dups) < 0) {
		ccon_error_set(&o->err, CCON_E_NOMEM, "roster duplicates: out of memory");
		goto out;
	}
	o->rc = 0;
	fi_pause();
	ccon_strbuf_printf(&sb, "rows %zu valid %zu invalid %zu duplicates %zu\n", st.rows,
	                   st.valid, st.invalid, st.duplicates);
	for (size_t i = 0; i < r.count; i++)
		ccon_strbuf_printf(&sb, "row %zu %s dup_of %zd\n", i, r.rows[i].normalized,
		                   dups[i] == CCON_ROSTER_NONE ? (ssize_t)-1 : (ssize_t)dups[i]);
	fi_resume();
	for (size_t v = 0; v < 2; v++) {
		size_t n = ccon_roster_lacking(&r, names[v], rows, 4);

		fi_pause();
		ccon_strbuf_printf(&sb, "lacking %s: %zu:", names[v], n);
		for (size_t i = 0; i < n && i < 4; i++)
			ccon_strbuf_printf(&sb, " %zu", rows[i]);
		ccon_strbuf_putc(&sb, '\n');
		fi_resume();
	}
	put_text(o, &sb);
out:
	free(dups);
	fi_pause();
	ccon_roster_free(&r);
	fi_resume();
}

/* ------------------------------------------------------------ the table */

size_t model_cases(struct lib_case *c)
{
	static const struct ccon_csv_preview_options no_header = { 0, CCON_CSV_HEADER_NO };
	size_t k = 0;

	preview_path = fi_strdup_printf("%s/faultinj-preview.csv", fi_scratch);
	if (write_preview_file(preview_path) < 0) {
		fprintf(stderr, "faultinj: cannot write %s\n", preview_path);
		free(preview_path);
		preview_path = NULL;
		return 0;
	}
	c[k++] = (struct lib_case){ "CSV preview (index, rows, validation in steps)", run_preview,
		                    NULL, preview_plans,
		                    sizeof(preview_plans) / sizeof(preview_plans[0]) };
	c[k++] = (struct lib_case){ "CSV preview, header off (validation's synthetic header)",
		                    run_preview, &no_header, preview_plans,
		                    sizeof(preview_plans) / sizeof(preview_plans[0]) };
	c[k++] = (struct lib_case){ "ccond campaign_to_json", run_campaign_json, NULL, alloc_plans,
		                    1 };
	c[k++] = (struct lib_case){ "audience recompute (roster stats, duplicates, lacking)",
		                    run_roster, NULL, alloc_plans, 1 };
	return k;
}

void model_cases_free(void)
{
	if (preview_path)
		unlink(preview_path);
	free(preview_path);
	preview_path = NULL;
}
