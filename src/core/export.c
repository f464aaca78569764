#include "config.h"

#include <ccon/export.h>

#include <string.h>

#define JSON_FLUSH_AT ((size_t)64 << 10)

/* ---- sinks */

void ccon_export_sink_file(struct ccon_export_sink *s, FILE *f)
{
	s->file = f;
	s->sb = NULL;
	s->failed = false;
}

void ccon_export_sink_strbuf(struct ccon_export_sink *s, struct ccon_strbuf *sb)
{
	s->file = NULL;
	s->sb = sb;
	s->failed = false;
}

int ccon_export_sink_write(struct ccon_export_sink *s, const char *p, size_t n)
{
	if (s->failed)
		return -1;
	if (n == 0)
		return 0;
	if (s->file)
		s->failed = fwrite(p, 1, n, s->file) != n;
	else
		s->failed = ccon_strbuf_append(s->sb, p, n) < 0;
	return s->failed ? -1 : 0;
}

/* ---- CSV */

void ccon_csv_init(struct ccon_csv_writer *w, struct ccon_export_sink *sink)
{
	w->sink = sink;
	w->row_open = false;
}

/* [+-]?[0-9]+(\.[0-9]+)? */
static bool is_number(const char *s, size_t n)
{
	size_t i = 0, digits = 0;

	if (i < n && (s[i] == '+' || s[i] == '-'))
		i++;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++, digits++;
	if (digits == 0)
		return false;
	if (i < n && s[i] == '.') {
		size_t frac = ++i;

		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == frac)
			return false;
	}
	return i == n;
}

bool ccon_csv_is_formula(const char *s, size_t n)
{
	/* fullwidth = + - @ : EF BC 9D, EF BC 8B, EF BC 8D, EF BC A0 */
	bool fullwidth = n >= 3 && (unsigned char)s[0] == 0xef && (unsigned char)s[1] == 0xbc &&
	                 ((unsigned char)s[2] == 0x9d || (unsigned char)s[2] == 0x8b ||
	                  (unsigned char)s[2] == 0x8d || (unsigned char)s[2] == 0xa0);

	if (n == 0)
		return false;
	if (fullwidth)
		return true;
	if (!strchr("=+-@\t\r", s[0]) || s[0] == '\0')
		return false;
	return !is_number(s, n);
}

static bool needs_quotes(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
			return true;
	return false;
}

int ccon_csv_cell_n(struct ccon_csv_writer *w, const char *s, size_t n)
{
	struct ccon_export_sink *k = w->sink;
	bool quote = needs_quotes(s, n);
	size_t i = 0;

	if (w->row_open && ccon_export_sink_write(k, ",", 1) < 0)
		return -1;
	w->row_open = true;
	if ((quote && ccon_export_sink_write(k, "\"", 1) < 0) ||
	    (ccon_csv_is_formula(s, n) && ccon_export_sink_write(k, "'", 1) < 0))
		return -1;
	if (!quote)
		return ccon_export_sink_write(k, s, n);
	while (i < n) {
		const char *q = memchr(s + i, '"', n - i);
		size_t run = q ? (size_t)(q - s) + 1 - i : n - i;

		/* each '"' is written twice: once with its run, once alone */
		if (ccon_export_sink_write(k, s + i, run) < 0 ||
		    (q && ccon_export_sink_write(k, "\"", 1) < 0))
			return -1;
		i += run;
	}
	return ccon_export_sink_write(k, "\"", 1);
}

int ccon_csv_cell(struct ccon_csv_writer *w, const char *s)
{
	return ccon_csv_cell_n(w, s ? s : "", s ? strlen(s) : 0);
}

int ccon_csv_cell_int(struct ccon_csv_writer *w, int64_t v)
{
	char buf[20];

	return ccon_csv_cell_n(w, buf, ccon_json_format_int64(v, buf));
}

int ccon_csv_end_row(struct ccon_csv_writer *w)
{
	w->row_open = false;
	return ccon_export_sink_write(w->sink, "\r\n", 2);
}

static int header(struct ccon_csv_writer *w, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ccon_csv_cell(w, names[i]) < 0)
			return -1;
	return ccon_csv_end_row(w);
}

int ccon_export_csv_summary_header(struct ccon_csv_writer *w)
{
	static const char *const names[] = {
		"campaignId", "name", "channelType", "status", "sendDate", "total", "pending",
		"processed", "received", "read", "failed", "canceled",
	};

	return header(w, names, sizeof(names) / sizeof(names[0]));
}

int ccon_export_csv_summary(struct ccon_csv_writer *w, const struct ccon_campaign_summary *s)
{
	const struct ccon_recipient_counts *c = &s->counts;
	const int64_t counts[] = {
		c->total, c->pending, c->processed, c->received, c->read, c->failed, c->canceled,
	};

	if (ccon_csv_cell(w, s->id) < 0 || ccon_csv_cell(w, s->name) < 0 ||
	    ccon_csv_cell(w, s->channel_type) < 0 || ccon_csv_cell(w, s->status) < 0 ||
	    ccon_csv_cell(w, s->send_date) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
		if ((s->has_counts ? ccon_csv_cell_int(w, counts[i]) : ccon_csv_cell(w, NULL)) < 0)
			return -1;
	return ccon_csv_end_row(w);
}

int ccon_export_csv_failures_header(struct ccon_csv_writer *w)
{
	static const char *const names[] = { "reasonCode", "reasonDescription", "count" };

	return header(w, names, sizeof(names) / sizeof(names[0]));
}

int ccon_export_csv_failure(struct ccon_csv_writer *w, const struct ccon_failure_group *g)
{
	if ((g->has_code ? ccon_csv_cell_int(w, g->reason_code) : ccon_csv_cell(w, NULL)) < 0 ||
	    ccon_csv_cell(w, g->reason_description) < 0 || ccon_csv_cell_int(w, g->count) < 0)
		return -1;
	return ccon_csv_end_row(w);
}

static const char *const audience_names[] = {
	"recipient", "status", "processed", "received", "read", "failed", "reasonCode",
	"reasonDescription",
};

int ccon_export_csv_audience_header(struct ccon_csv_writer *w)
{
	return header(w, audience_names, sizeof(audience_names) / sizeof(audience_names[0]));
}

int ccon_export_csv_audience(struct ccon_csv_writer *w, const struct ccon_audience_item *it)
{
	if (ccon_csv_cell(w, it->recipient) < 0 || ccon_csv_cell(w, it->status) < 0 ||
	    ccon_csv_cell(w, it->processed) < 0 || ccon_csv_cell(w, it->received) < 0 ||
	    ccon_csv_cell(w, it->read) < 0 || ccon_csv_cell(w, it->failed) < 0 ||
	    (it->has_reason_code ? ccon_csv_cell_int(w, it->reason_code)
	                         : ccon_csv_cell(w, NULL)) < 0 ||
	    ccon_csv_cell(w, it->reason_description) < 0)
		return -1;
	return ccon_csv_end_row(w);
}

/* ---- JSON */

static int json_flush(struct ccon_export_json *j)
{
	if (ccon_jw_failed(&j->w) ||
	    ccon_export_sink_write(j->sink, j->buf.buf ? j->buf.buf : "", j->buf.len) < 0)
		return -1;
	ccon_strbuf_reset(&j->buf);
	return 0;
}

static void json_init(struct ccon_export_json *j, struct ccon_export_sink *sink, bool report)
{
	j->sink = sink;
	ccon_strbuf_init(&j->buf);
	ccon_jw_init(&j->w, &j->buf);
	j->report = report;
}

int ccon_export_json_audience_begin(struct ccon_export_json *j, struct ccon_export_sink *sink)
{
	json_init(j, sink, false);
	return ccon_jw_begin_array(&j->w);
}

int ccon_export_json_report_begin(struct ccon_export_json *j, struct ccon_export_sink *sink,
                                  const struct ccon_campaign_summary *summary,
                                  const struct ccon_failure_group *failures, size_t n_failures)
{
	struct ccon_failure_group_list list = {
		(int64_t)n_failures, (struct ccon_failure_group *)failures, n_failures,
	};

	json_init(j, sink, true);
	ccon_jw_begin_object(&j->w);
	ccon_jw_key(&j->w, "summary");
	if (summary)
		ccon_campaign_summary_write(summary, &j->w);
	else
		ccon_jw_null(&j->w);
	ccon_jw_key(&j->w, "failures");
	ccon_failure_group_list_write(&list, &j->w);
	ccon_jw_key(&j->w, "audience");
	ccon_jw_begin_array(&j->w);
	return json_flush(j);
}

int ccon_export_json_audience(struct ccon_export_json *j, const struct ccon_audience_item *it)
{
	const char *strings[] = {
		it->recipient, it->status, it->processed, it->received, it->read, it->failed,
	};
	struct ccon_json_writer *w = &j->w;

	ccon_jw_begin_object(w);
	for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++) {
		ccon_jw_key(w, audience_names[i]);
		ccon_jw_string(w, strings[i]);
	}
	ccon_jw_key(w, "reasonCode");
	if (it->has_reason_code)
		ccon_jw_int(w, it->reason_code);
	else
		ccon_jw_null(w);
	ccon_jw_key(w, "reasonDescription");
	ccon_jw_string(w, it->reason_description);
	if (ccon_jw_end_object(w) < 0)
		return -1;
	return j->buf.len >= JSON_FLUSH_AT ? json_flush(j) : 0;
}

int ccon_export_json_end(struct ccon_export_json *j)
{
	int rc;

	ccon_jw_end_array(&j->w);
	if (j->report)
		ccon_jw_end_object(&j->w);
	rc = ccon_jw_failed(&j->w) ? -1 : ccon_strbuf_putc(&j->buf, '\n');
	if (rc == 0)
		rc = json_flush(j);
	if (rc == 0 && j->sink->file && fflush(j->sink->file) != 0)
		j->sink->failed = true, rc = -1;
	ccon_strbuf_free(&j->buf);
	return rc;
}

void ccon_export_json_abort(struct ccon_export_json *j)
{
	ccon_strbuf_free(&j->buf);
}
