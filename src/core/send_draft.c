#include "config.h"

#include <ccon/send_draft.h>

#include <ccon/codec_send.h>
#include <ccon/contact.h>
#include <ccon/duration.h>
#include <ccon/field.h>
#include <ccon/json_util.h>

#include <cjson/cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

/* ---- kinds */

static const struct {
	const char *id, *name, *description;
} kinds[CCON_SEND_KIND__COUNT] = {
	[CCON_SEND_KIND_JSON] = { "json", "Campaign from JSON contacts",
	                          "contacts typed or pasted in the audience editor (seed 000)" },
	[CCON_SEND_KIND_CSV] = { "csv", "Campaign from CSV",
	                         "a CSV file and a layout mapping its columns (seed 001)" },
	[CCON_SEND_KIND_TRANSACTIONAL] = { "transactional", "Transactional SMS",
	                                   "an SMS campaign to phone numbers or external codes (seed 003)" },
	[CCON_SEND_KIND_ENVELOPE] = { "envelope", "Command-envelope campaign",
	                              "a new Individual or Batch campaign with its audience, "
	                              "set /campaign/full (seed 002)" },
	[CCON_SEND_KIND_WHATSAPP] = { "whatsapp", "Single WhatsApp message",
	                              "one message to one phone or group, sent now (seed 004)" },
};

static bool kind_ok(enum ccon_send_kind k)
{
	return (unsigned)k < CCON_SEND_KIND__COUNT;
}

const char *ccon_send_kind_id(enum ccon_send_kind k)
{
	return kind_ok(k) ? kinds[k].id : NULL;
}

const char *ccon_send_kind_name(enum ccon_send_kind k)
{
	return kind_ok(k) ? kinds[k].name : NULL;
}

const char *ccon_send_kind_description(enum ccon_send_kind k)
{
	return kind_ok(k) ? kinds[k].description : NULL;
}

int ccon_send_kind_parse(const char *s, enum ccon_send_kind *out)
{
	for (int k = 0; s && k < CCON_SEND_KIND__COUNT; k++) {
		if (strcmp(s, kinds[k].id) == 0) {
			*out = (enum ccon_send_kind)k;
			return 0;
		}
	}
	return -1;
}

bool ccon_send_kind_needs_campaign(enum ccon_send_kind k)
{
	return k == CCON_SEND_KIND_JSON || k == CCON_SEND_KIND_CSV ||
	       k == CCON_SEND_KIND_TRANSACTIONAL;
}

bool ccon_send_kind_has_timing(enum ccon_send_kind k)
{
	return kind_ok(k) && k != CCON_SEND_KIND_WHATSAPP;
}

bool ccon_send_kind_has_delay(enum ccon_send_kind k)
{
	return k == CCON_SEND_KIND_JSON || k == CCON_SEND_KIND_CSV;
}

const char *ccon_send_draft_slot_channel(const struct ccon_send_draft *d)
{
	switch (d->kind) {
	case CCON_SEND_KIND_TRANSACTIONAL:
		return "sms";
	case CCON_SEND_KIND_ENVELOPE:
		return d->envelope.campaign.channel == CCON_CHANNEL_GOOGLE_RCS ? "rcs" : "whatsapp";
	default:
		return "whatsapp";
	}
}

/* ---- the draft */

int ccon_draft_str_set(char **slot, const char *text)
{
	char *copy = NULL;

	if (text && *text && !(copy = strdup(text)))
		return -1;
	free(*slot);
	*slot = copy;
	return 0;
}

static void random_id(char id[CCON_SEND_ID_SIZE])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char raw[16];

	if (getentropy(raw, sizeof(raw)) != 0) {
		/* no entropy source: time and addresses still differ per draft */
		struct timespec ts;
		uint64_t v;

		clock_gettime(CLOCK_REALTIME, &ts);
		v = (uint64_t)ts.tv_sec * 1000000007u ^ (uint64_t)ts.tv_nsec ^ (uint64_t)(uintptr_t)id;
		for (size_t i = 0; i < sizeof(raw); i++) {
			v = v * 6364136223846793005u + 1442695040888963407u;
			raw[i] = (unsigned char)(v >> 56);
		}
	}
	for (size_t i = 0; i < sizeof(raw); i++) {
		id[2 * i] = hex[raw[i] >> 4];
		id[2 * i + 1] = hex[raw[i] & 15];
	}
	id[32] = '\0';
}

void ccon_send_draft_init(struct ccon_send_draft *d, enum ccon_send_kind kind, int64_t app_id)
{
	memset(d, 0, sizeof(*d));
	d->kind = kind;
	d->app_id = app_id;
	d->slicing = CCON_SLICING_FRAGMENTED;
	d->envelope.campaign.type = CCON_CAMPAIGN_BATCH;
	d->envelope.campaign.channel = CCON_CHANNEL_WHATSAPP;
	d->envelope.message.channel = CCON_CHANNEL_WHATSAPP;
	d->tx.nls_mode = CCON_NLS_AUTO;
	d->tx.send_type = CCON_SEND_TYPE_LIST;
	random_id(d->send_id);
}

static void campaign_clear(struct ccon_send_campaign *c)
{
	free(c->name);
	free(c->channel);
	free(c->template_body);
	ccon_template_vars_free(&c->vars);
	memset(c, 0, sizeof(*c));
}

void ccon_send_draft_free(struct ccon_send_draft *d)
{
	if (!d)
		return;
	campaign_clear(&d->campaign);
	ccon_roster_free(&d->roster);
	free(d->csv_path);
	if (d->has_layout)
		ccon_layout_free(&d->layout);
	free(d->schedule_at);
	free(d->delay);
	ccon_transactional_request_free(&d->tx);
	ccon_full_campaign_free(&d->envelope);
	ccon_whatsapp_message_free(&d->wa);
	memset(d, 0, sizeof(*d));
}

void ccon_send_draft_set_kind(struct ccon_send_draft *d, enum ccon_send_kind kind)
{
	d->kind = kind;
}

int ccon_send_draft_set_send_id(struct ccon_send_draft *d, const char *id)
{
	size_t n = id ? strlen(id) : 0;

	if (n == 0 || n >= CCON_SEND_ID_SIZE)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (id[i] < 0x21 || id[i] > 0x7e)
			return -1;
	memcpy(d->send_id, id, n + 1);
	return 0;
}

void ccon_send_draft_renew_send_id(struct ccon_send_draft *d)
{
	random_id(d->send_id);
}

int ccon_send_draft_set_campaign(struct ccon_send_draft *d,
                                 const struct ccon_rest_campaign_info *ci, struct ccon_error *err)
{
	struct ccon_send_campaign c = { 0 };

	c.id = ci->id;
	if (ccon_draft_str_set(&c.name, ci->def.name) < 0 ||
	    ccon_draft_str_set(&c.channel, ci->def.channel) < 0 ||
	    ccon_draft_str_set(&c.template_body, ci->def.template_body) < 0) {
		campaign_clear(&c);
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	}
	if (ccon_rest_campaign_variables(&ci->def, &c.vars, err) < 0) {
		campaign_clear(&c);
		return -1;
	}
	campaign_clear(&d->campaign);
	d->campaign = c;
	return 0;
}

int ccon_send_draft_set_layout(struct ccon_send_draft *d, const struct ccon_layout *layout,
                               struct ccon_error *err)
{
	struct ccon_layout copy = CCON_LAYOUT_INIT;
	cJSON *j = NULL;

	if (layout) {
		if (ccon_layout_encode(layout, &j) < 0)
			return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
		if (ccon_layout_decode(j, &copy, err) < 0) {
			cJSON_Delete(j);
			return -1;
		}
		cJSON_Delete(j);
	}
	if (d->has_layout)
		ccon_layout_free(&d->layout);
	d->layout = copy;
	d->has_layout = layout != NULL;
	return 0;
}

int ccon_send_draft_tx_add(struct ccon_send_draft *d, size_t *index)
{
	struct ccon_transactional_contact *c;

	c = realloc(d->tx.contacts, (d->tx.n_contacts + 1) * sizeof(*c));
	if (!c)
		return -1;
	d->tx.contacts = c;
	memset(&c[d->tx.n_contacts], 0, sizeof(*c));
	if (index)
		*index = d->tx.n_contacts;
	d->tx.n_contacts++;
	return 0;
}

int ccon_send_draft_tx_remove(struct ccon_send_draft *d, size_t i)
{
	if (i >= d->tx.n_contacts)
		return -1;
	ccon_transactional_contact_free(&d->tx.contacts[i]);
	memmove(&d->tx.contacts[i], &d->tx.contacts[i + 1],
	        (d->tx.n_contacts - i - 1) * sizeof(*d->tx.contacts));
	d->tx.n_contacts--;
	return 0;
}

int ccon_send_draft_env_add(struct ccon_send_draft *d, const char *recipient, size_t *index)
{
	struct ccon_audience *a;
	char *r = NULL;

	if (ccon_draft_str_set(&r, recipient) < 0)
		return -1;
	a = realloc(d->envelope.audiences, (d->envelope.n_audiences + 1) * sizeof(*a));
	if (!a) {
		free(r);
		return -1;
	}
	d->envelope.audiences = a;
	memset(&a[d->envelope.n_audiences], 0, sizeof(*a));
	a[d->envelope.n_audiences].recipient = r;
	if (index)
		*index = d->envelope.n_audiences;
	d->envelope.n_audiences++;
	return 0;
}

int ccon_send_draft_env_remove(struct ccon_send_draft *d, size_t i)
{
	if (i >= d->envelope.n_audiences)
		return -1;
	ccon_audience_free(&d->envelope.audiences[i]);
	memmove(&d->envelope.audiences[i], &d->envelope.audiences[i + 1],
	        (d->envelope.n_audiences - i - 1) * sizeof(*d->envelope.audiences));
	d->envelope.n_audiences--;
	return 0;
}

size_t ccon_send_draft_recipients(const struct ccon_send_draft *d)
{
	switch (d->kind) {
	case CCON_SEND_KIND_JSON:
		return d->roster.count;
	case CCON_SEND_KIND_TRANSACTIONAL:
		return d->tx.n_contacts;
	case CCON_SEND_KIND_ENVELOPE:
		return d->envelope.n_audiences;
	case CCON_SEND_KIND_WHATSAPP:
		return 1;
	default:
		return 0;
	}
}

/* ---- timing */

static bool text_given(const char *s)
{
	return s && *s;
}

static const char local_pattern[] = "DDDD-DD-DD DD:DD:DD";

/* The shape of "YYYY-MM-DD HH:MM[:SS]", character by character. */
static int local_shape(const char *s, size_t n, struct ccon_error *err)
{
	for (size_t i = 0; i < n && i < 19; i++) {
		char p = local_pattern[i];
		bool ok = p == 'D' ? (s[i] >= '0' && s[i] <= '9') : s[i] == p;

		if (!ok) {
			ccon_error_set(err, CCON_E_DATETIME_SYNTAX, "a local time is YYYY-MM-DD HH:MM[:SS]: "
			               "%s is expected here", p == 'D' ? "a digit" : p == ' ' ?
			               "a space (or 'T' and a zone for ISO 8601)" : p == '-' ? "'-'" : "':'");
			ccon_error_at_column(err, (long)i + 1);
			return -1;
		}
	}
	if (n == 16 || n == 19)
		return 0;
	ccon_error_set(err, CCON_E_DATETIME_SYNTAX, "a local time is YYYY-MM-DD HH:MM[:SS]: %s",
	               n < 19 ? "it ends too early" : "unexpected text after it");
	ccon_error_at_column(err, n < 19 ? (long)n + 1 : 20);
	return -1;
}

static int num(const char *s, size_t at, size_t n)
{
	int v = 0;

	for (size_t i = at; i < at + n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

static int range(bool ok, long column, struct ccon_error *err, const char *what, int v)
{
	if (ok)
		return 0;
	ccon_error_set(err, CCON_E_DATETIME_RANGE, "%s %d does not exist", what, v);
	ccon_error_at_column(err, column);
	return -1;
}

/* mktime for one guess of DST; true when the instant reads back as tm. */
static bool local_candidate(const struct tm *want, int isdst, time_t *out)
{
	struct tm tm = *want, back;
	time_t t;

	tm.tm_isdst = isdst;
	t = mktime(&tm);
	if (!localtime_r(&t, &back))
		return false;
	*out = t;
	return back.tm_year == want->tm_year && back.tm_mon == want->tm_mon &&
	       back.tm_mday == want->tm_mday && back.tm_hour == want->tm_hour &&
	       back.tm_min == want->tm_min && back.tm_sec == want->tm_sec;
}

int ccon_local_time_parse(const char *s, int64_t *out_us, bool *ambiguous,
                          struct ccon_error *err)
{
	size_t n = s ? strlen(s) : 0;
	int y, mo, d, h, mi, sec = 0;
	struct tm tm;
	time_t t0, t1;
	bool ok0, ok1;

	if (ambiguous)
		*ambiguous = false;
	if (local_shape(s, n, err) < 0)
		return -1;
	y = num(s, 0, 4);
	mo = num(s, 5, 2);
	d = num(s, 8, 2);
	h = num(s, 11, 2);
	mi = num(s, 14, 2);
	if (n == 19)
		sec = num(s, 17, 2);
	if (range(y >= 1, 1, err, "year", y) < 0 || range(mo >= 1 && mo <= 12, 6, err, "month", mo) < 0 ||
	    range(d >= 1 && d <= ccon_days_in_month(y, mo), 9, err, "day", d) < 0 ||
	    range(h <= 23, 12, err, "hour", h) < 0 || range(mi <= 59, 15, err, "minute", mi) < 0 ||
	    range(sec <= 59, 18, err, "second", sec) < 0)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	ok0 = local_candidate(&tm, 0, &t0);
	ok1 = local_candidate(&tm, 1, &t1);
	if (!ok0 && !ok1) {
		ccon_error_set(err, CCON_E_DATETIME_RANGE, "%s does not exist in the local time zone "
		               "(the clocks skip it)", s);
		ccon_error_at_column(err, 12);
		return -1;
	}
	if (ok0 && ok1 && t0 != t1 && ambiguous)
		*ambiguous = true;
	if (!ok0 || (ok1 && t1 < t0))
		t0 = t1;
	*out_us = (int64_t)t0 * CCON_US_PER_SECOND;
	return 0;
}

/* "2026-12-01 09:00:00.5" (UTC, fraction as datetime.h writes it). */
static void utc_text(int64_t t_us, char *buf, size_t size)
{
	char iso[CCON_DATETIME_FORMAT_MAX];
	size_t n;

	if (ccon_datetime_format(t_us, iso, sizeof(iso), NULL) < 0) {
		snprintf(buf, size, "?");
		return;
	}
	n = strlen(iso);
	iso[10] = ' ';
	if (n && iso[n - 1] == 'Z')
		iso[n - 1] = '\0';
	snprintf(buf, size, "%s", iso);
}

static void local_text(int64_t t_us, char *buf, size_t size)
{
	time_t t = (time_t)(t_us / CCON_US_PER_SECOND - (t_us % CCON_US_PER_SECOND < 0));
	char z[8], zone[16];
	struct tm tm;

	if (!localtime_r(&t, &tm) || !strftime(z, sizeof(z), "%z", &tm) ||
	    !strftime(zone, sizeof(zone), "%Z", &tm)) {
		snprintf(buf, size, "?");
		return;
	}
	snprintf(buf, size, "%04d-%02d-%02d %02d:%02d:%02d %s (%.3s:%.2s)", tm.tm_year + 1900,
	         tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, zone, z, z + 3);
}

/* A minute or more is read to the second: "in 10 h 33 min 54 s". */
static void human_span(int64_t us, char *buf, size_t size)
{
	struct ccon_duration d;

	if (us >= 60 * CCON_US_PER_SECOND)
		us = (us + CCON_US_PER_SECOND / 2) / CCON_US_PER_SECOND * CCON_US_PER_SECOND;
	d = (struct ccon_duration){ 0, 0, us / CCON_US_PER_DAY, us % CCON_US_PER_DAY };
	if (ccon_duration_format_human(&d, buf, size, NULL) < 0)
		snprintf(buf, size, "?");
}

static int timing_fail(struct ccon_send_timing *out, struct ccon_error *err,
                       enum ccon_errc code, const char *path, const char *msg)
{
	ccon_error_set(&out->err, code, "%s", msg);
	ccon_error_at_path(&out->err, path);
	if (err)
		*err = out->err;
	return -1;
}

static void reading_delay(struct ccon_send_timing *out, const char *delay, int64_t now_us)
{
	struct ccon_duration dur;
	char human[CCON_DURATION_FORMAT_MAX], at[CCON_DATETIME_FORMAT_MAX + 8];

	if (ccon_duration_parse(delay, &dur, NULL) < 0 ||
	    ccon_duration_format_human(&dur, human, sizeof(human), NULL) < 0)
		snprintf(human, sizeof(human), "%s", delay);
	utc_text(out->send_us, at, sizeof(at));
	if (out->send_us / CCON_US_PER_DAY == now_us / CCON_US_PER_DAY && strlen(at) > 11)
		snprintf(out->reading, sizeof(out->reading), "%.120s, at %.40s UTC", human, at + 11);
	else
		snprintf(out->reading, sizeof(out->reading), "%.120s, at %.40s UTC", human, at);
}

static void reading_schedule(struct ccon_send_timing *out, int64_t now_us, bool ambiguous)
{
	char utc[CCON_DATETIME_FORMAT_MAX + 8], span[CCON_DURATION_FORMAT_MAX];

	utc_text(out->send_us, utc, sizeof(utc));
	human_span(out->send_us - now_us, span, sizeof(span));
	snprintf(out->reading, sizeof(out->reading), "%.63s = %.39s UTC, in %.40s%s", out->local, utc,
	         span, ambiguous ? " (occurs twice: the earlier)" : "");
}

int ccon_send_draft_check_timing(const struct ccon_send_draft *d, int64_t now_us,
                                 struct ccon_send_timing *out, struct ccon_error *err)
{
	const char *sched = text_given(d->schedule_at) ? d->schedule_at : NULL;
	const char *delay = text_given(d->delay) ? d->delay : NULL;
	char iso[CCON_DATETIME_FORMAT_MAX];
	struct ccon_timing t;
	bool ambiguous = false;

	memset(out, 0, sizeof(*out));
	ccon_error_clear(&out->err);
	if (!ccon_send_kind_has_timing(d->kind) && (sched || delay))
		return timing_fail(out, err, CCON_E_JSON_VALUE, sched ? "scheduleAt" : "delay",
		                   "a single WhatsApp message is sent now: it takes no scheduleAt "
		                   "nor delay");
	if (delay && !sched && !ccon_send_kind_has_delay(d->kind))
		return timing_fail(out, err, CCON_E_JSON_VALUE, "delay",
		                   "this kind of send has no delay: give scheduleAt instead");
	/* local time: "YYYY-MM-DD HH:MM[:SS]" (a space where ISO has 'T') */
	if (sched && strlen(sched) > 10 && sched[10] == ' ') {
		int64_t local_us;

		if (ccon_local_time_parse(sched, &local_us, &ambiguous, &out->err) < 0) {
			ccon_error_at_path(&out->err, "scheduleAt");
			if (err)
				*err = out->err;
			return -1;
		}
		if (ccon_datetime_format(local_us, iso, sizeof(iso), &out->err) < 0) {
			ccon_error_at_path(&out->err, "scheduleAt");
			if (err)
				*err = out->err;
			return -1;
		}
		out->local_input = true;
		sched = iso;
	}
	if (ccon_timing_resolve(now_us, sched, delay, &t, &out->err) < 0) {
		if (err)
			*err = out->err;
		return -1;
	}
	out->ok = true;
	out->form = t.form;
	out->send_us = t.send_us;
	out->limit_us = t.limit_us;
	ccon_datetime_format(t.send_us, out->utc, sizeof(out->utc), NULL);
	local_text(t.send_us, out->local, sizeof(out->local));
	if (t.form == CCON_TIMING_NOW)
		snprintf(out->reading, sizeof(out->reading), "now");
	else if (t.form == CCON_TIMING_DELAY)
		reading_delay(out, delay, now_us);
	else
		reading_schedule(out, now_us, ambiguous);
	return 0;
}

/* ---- checks */

static int nomem(struct ccon_error *err)
{
	return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
}

static int check_campaign(const struct ccon_send_draft *d, struct ccon_error *err)
{
	const char *want = d->kind == CCON_SEND_KIND_TRANSACTIONAL ? "sms" : "whatsapp";

	if (!ccon_send_kind_needs_campaign(d->kind))
		return 0;
	if (d->campaign.id <= 0) {
		ccon_error_set(err, CCON_E_JSON_REQUIRED, "choose the campaign to send");
		ccon_error_at_path(err, "campaignId");
		return -1;
	}
	if (!d->campaign.channel || strcmp(d->campaign.channel, want) != 0) {
		ccon_error_set(err, CCON_E_JSON_VALUE, "campaign %" PRId64 " is a%s %s campaign: a %s "
		               "needs a%s %s campaign", d->campaign.id,
		               d->campaign.channel && d->campaign.channel[0] == 's' ? "n" : "",
		               d->campaign.channel ? d->campaign.channel : "channel-less",
		               kinds[d->kind].name, want[0] == 's' ? "n" : "",
		               want[0] == 's' ? "SMS" : "WhatsApp");
		ccon_error_at_path(err, "campaignId");
		return -1;
	}
	return 0;
}

static int missing_fail(struct ccon_error *err, const char *path, const struct ccon_strbuf *names)
{
	ccon_error_set(err, CCON_E_TEMPLATE_MISSING_VARIABLE, "missing variables: %s",
	               ccon_strbuf_cstr(names));
	ccon_error_at_path(err, path);
	return -1;
}

static int check_json(const struct ccon_send_draft *d, struct ccon_error *err)
{
	struct ccon_strbuf missing;
	char path[48];
	int rc = 0;

	if (ccon_roster_check(&d->roster, err) < 0)
		return -1;
	ccon_strbuf_init(&missing);
	for (size_t i = 0; i < d->roster.count && rc == 0; i++) {
		ccon_strbuf_reset(&missing);
		if (ccon_roster_row_missing(&d->roster, i, &d->campaign.vars, &missing) > 0) {
			snprintf(path, sizeof(path), "contacts[%zu].customFields", i);
			rc = missing_fail(err, path, &missing);
		}
	}
	ccon_strbuf_free(&missing);
	return rc;
}

static int check_csv(const struct ccon_send_draft *d, struct ccon_error *err)
{
	const char **names;
	struct ccon_strbuf missing;
	int rc = 0;

	if (!text_given(d->csv_path)) {
		ccon_error_set(err, CCON_E_JSON_REQUIRED, "choose the CSV file to send");
		ccon_error_at_path(err, "file");
		return -1;
	}
	if (!d->has_layout) {
		ccon_error_set(err, CCON_E_JSON_REQUIRED, "build or load the layout of the CSV file");
		ccon_error_at_path(err, "layout");
		return -1;
	}
	names = calloc(d->layout.n_custom_fields + 1, sizeof(*names));
	if (!names)
		return nomem(err);
	for (size_t i = 0; i < d->layout.n_custom_fields; i++)
		names[i] = d->layout.custom_fields[i].name;
	ccon_strbuf_init(&missing);
	if (ccon_template_compare(&d->campaign.vars, names, d->layout.n_custom_fields, &missing,
	                          NULL) > 0)
		rc = missing_fail(err, "layout.customFields", &missing);
	ccon_strbuf_free(&missing);
	free(names);
	return rc;
}

/* The codecs' own validation: encode what the form holds, decode it back. */
static int check_tx(const struct ccon_send_draft *d, int64_t campaign_id, struct ccon_error *err)
{
	struct ccon_transactional_request r = d->tx, back;
	struct ccon_strbuf missing;
	cJSON *j = NULL;
	int rc;

	r.campaign_id = campaign_id;
	r.schedule_date = NULL;
	if (ccon_transactional_request_encode(&r, &j) < 0) {
		for (size_t i = 0; i < r.n_contacts; i++) {
			cJSON *o = NULL;

			if (r.contacts[i].origin_data && !(o = cJSON_Parse(r.contacts[i].origin_data))) {
				char path[48];

				snprintf(path, sizeof(path), "contacts[%zu].originData", i);
				ccon_error_set(err, CCON_E_JSON_VALUE, "originData must be a JSON object");
				ccon_error_at_path(err, path);
				return -1;
			}
			cJSON_Delete(o);
		}
		return nomem(err);
	}
	rc = ccon_transactional_request_decode(j, &back, err);
	cJSON_Delete(j);
	if (rc < 0)
		return -1;
	ccon_transactional_request_free(&back);
	ccon_strbuf_init(&missing);
	for (size_t i = 0; i < r.n_contacts && rc == 0; i++) {
		const struct ccon_fields *f = &r.contacts[i].custom_fields;
		const char **names = calloc(f->count + 1, sizeof(*names));
		char path[48];

		if (!names) {
			rc = nomem(err);
			break;
		}
		for (size_t k = 0; k < f->count; k++)
			names[k] = f->items[k].name;
		ccon_strbuf_reset(&missing);
		if (ccon_template_compare(&d->campaign.vars, names, f->count, &missing, NULL) > 0) {
			snprintf(path, sizeof(path), "contacts[%zu].customFields", i);
			rc = missing_fail(err, path, &missing);
		}
		free(names);
	}
	ccon_strbuf_free(&missing);
	return rc;
}

static int check_envelope(const struct ccon_send_draft *d, struct ccon_error *err)
{
	struct ccon_full_campaign fc = d->envelope, back;
	cJSON *j = NULL;
	int rc;

	/* the encoder writes an Individual campaign's first audience only */
	if (fc.campaign.type == CCON_CAMPAIGN_INDIVIDUAL && fc.n_audiences > 1) {
		ccon_error_set(err, CCON_E_JSON_VALUE, "an Individual campaign takes exactly one "
		               "audience (%zu given): a list needs campaignType Batch", fc.n_audiences);
		ccon_error_at_path(err, "audiences");
		return -1;
	}
	fc.campaign.scheduled = NULL;
	if (ccon_full_campaign_encode(&fc, &j) < 0)
		return nomem(err);
	rc = ccon_full_campaign_decode(j, &back, err);
	cJSON_Delete(j);
	if (rc < 0)
		return -1;
	ccon_full_campaign_free(&back);
	return 0;
}

static int check_whatsapp(const struct ccon_send_draft *d, struct ccon_error *err)
{
	struct ccon_whatsapp_message back;
	cJSON *j = NULL;
	int rc;

	if (ccon_whatsapp_message_encode(&d->wa, &j) < 0) {
		if (d->wa.template_json) {
			ccon_error_set(err, CCON_E_JSON_VALUE, "template must be a JSON object");
			ccon_error_at_path(err, "template");
			return -1;
		}
		return nomem(err);
	}
	rc = ccon_whatsapp_message_decode(j, &back, err);
	cJSON_Delete(j);
	if (rc < 0)
		return -1;
	ccon_whatsapp_message_free(&back);
	return 0;
}

int ccon_send_draft_check_fields(const struct ccon_send_draft *d, struct ccon_error *err)
{
	switch (d->kind) {
	case CCON_SEND_KIND_JSON:
		return check_json(d, err);
	case CCON_SEND_KIND_CSV:
		return check_csv(d, err);
	case CCON_SEND_KIND_TRANSACTIONAL:
		return check_tx(d, d->campaign.id > 0 ? d->campaign.id : 1, err);
	case CCON_SEND_KIND_ENVELOPE:
		return check_envelope(d, err);
	case CCON_SEND_KIND_WHATSAPP:
		return check_whatsapp(d, err);
	default:
		ccon_error_set(err, CCON_E_INVALID_ARGUMENT, "unknown kind of send");
		return -1;
	}
}

int ccon_send_draft_check(const struct ccon_send_draft *d, int64_t now_us, struct ccon_error *err)
{
	struct ccon_send_timing t;

	if (!kind_ok(d->kind)) {
		ccon_error_set(err, CCON_E_INVALID_ARGUMENT, "unknown kind of send");
		return -1;
	}
	if (check_campaign(d, err) < 0 || ccon_send_draft_check_fields(d, err) < 0)
		return -1;
	return ccon_send_draft_check_timing(d, now_us, &t, err);
}

/* ---- SMS live display */

struct sms_ctx {
	const struct ccon_fields *fields;
	char **holders;     /* "{{name}}" for missing variables, freed after rendering */
	size_t n_holders;
	bool nomem;
};

static const char *sms_lookup(void *p, const char *name, size_t len)
{
	struct sms_ctx *c = p;
	char **h, *text;

	for (size_t i = 0; c->fields && i < c->fields->count; i++)
		if (strlen(c->fields->items[i].name) == len &&
		    memcmp(c->fields->items[i].name, name, len) == 0)
			return c->fields->items[i].value;
	for (size_t i = 0; i < c->n_holders; i++)
		if (strlen(c->holders[i]) == len + 4 && memcmp(c->holders[i] + 2, name, len) == 0)
			return c->holders[i];
	h = realloc(c->holders, (c->n_holders + 1) * sizeof(*h));
	text = malloc(len + 5);
	if (!h || !text) {
		if (h)
			c->holders = h;
		free(text);
		c->nomem = true;
		return "";
	}
	c->holders = h;
	snprintf(text, len + 5, "{{%.*s}}", (int)len, name);
	c->holders[c->n_holders++] = text;
	return text;
}

int ccon_send_draft_sms(const struct ccon_send_draft *d, size_t i, struct ccon_strbuf *text,
                        size_t *missing, struct ccon_sms_info *info, struct ccon_error *err)
{
	struct sms_ctx c = { 0 };
	struct ccon_strbuf out;
	int rc;

	if (missing)
		*missing = 0;
	if (!d->campaign.template_body) {
		ccon_error_set(err, CCON_E_JSON_REQUIRED, "the campaign has no message text");
		ccon_error_at_path(err, "templateBody");
		return -1;
	}
	if (i < d->tx.n_contacts)
		c.fields = &d->tx.contacts[i].custom_fields;
	ccon_strbuf_init(&out);
	rc = ccon_template_render(d->campaign.template_body, sms_lookup, &c, &out, err);
	if (rc == 0 && c.nomem)
		rc = nomem(err);
	if (rc == 0)
		rc = ccon_sms_analyze(ccon_strbuf_cstr(&out), out.len, d->tx.nls_mode, info, err);
	if (rc == 0 && text && ccon_strbuf_append(text, ccon_strbuf_cstr(&out), out.len) < 0)
		rc = nomem(err);
	if (missing)
		*missing = c.n_holders;
	for (size_t k = 0; k < c.n_holders; k++)
		free(c.holders[k]);
	free(c.holders);
	ccon_strbuf_free(&out);
	return rc;
}

/* ---- requests */

void ccon_send_reqs_free(struct ccon_send_reqs *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->count; i++) {
		struct ccon_send_req *q = &r->items[i];

		free(q->path);
		free(q->content_type);
		free(q->body);
		free(q->tail);
		free(q->file_path);
		free(q->display);
	}
	free(r->items);
	r->items = NULL;
	r->count = 0;
}

static struct ccon_send_req *req_new(struct ccon_send_reqs *r)
{
	struct ccon_send_req *q = realloc(r->items, (r->count + 1) * sizeof(*q));

	if (!q)
		return NULL;
	r->items = q;
	q = &r->items[r->count++];
	memset(q, 0, sizeof(*q));
	q->method = "POST";
	return q;
}

static char *printfdup(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *printfdup(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !(s = malloc((size_t)n + 1)))
		return NULL;
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

/* Body (compact) and display (indented) of a JSON request; takes j. */
static int req_json(struct ccon_send_req *q, cJSON *j, const char *content_type)
{
	char *body = j ? cJSON_PrintUnformatted(j) : NULL;
	char *display = j ? cJSON_Print(j) : NULL;
	int rc = -1;

	if (body && display) {
		q->body = strdup(body);
		q->display = strdup(display);
		q->len = q->body ? strlen(q->body) : 0;
		q->content_type = strdup(content_type);
		rc = q->body && q->display && q->content_type ? 0 : -1;
	}
	cJSON_free(body);
	cJSON_free(display);
	cJSON_Delete(j);
	return rc;
}

static const char *dry_suffix(bool dry_run)
{
	return dry_run ? "?dryRun=true" : "";
}

static int reqs_json(const struct ccon_send_draft *d, const struct ccon_send_timing *t,
                     bool dry_run, struct ccon_send_reqs *out, struct ccon_error *err)
{
	struct ccon_roster_send s = { d->send_id, NULL, NULL, d->slicing };
	size_t n = ccon_roster_batch_count(&d->roster);

	if (t->form == CCON_TIMING_SCHEDULE)
		s.schedule_at = t->utc;
	else if (t->form == CCON_TIMING_DELAY)
		s.delay = d->delay;
	for (size_t i = 0; i < n; i++) {
		struct ccon_send_req *q = req_new(out);
		size_t first, count;
		cJSON *body = NULL;

		if (!q)
			return nomem(err);
		if (ccon_roster_batch_build(&d->roster, &s, i, &body, q->key, err) < 0)
			return -1;
		ccon_batch_range(d->roster.count, CCON_CONTACTS_PER_SEND_MAX, i, &first, &count);
		q->recipients = count;
		q->path = printfdup("/v1/applications/%" PRId64 "/campaigns/%" PRId64 "/send%s",
		                    d->app_id, d->campaign.id, dry_suffix(dry_run));
		if (!q->path || req_json(q, body, "application/json") < 0)
			return nomem(err);
	}
	return 0;
}

/* A file name safe inside a quoted Content-Disposition parameter. */
static void safe_filename(const char *path, char *buf, size_t size)
{
	const char *base = strrchr(path, '/');
	size_t k = 0;

	base = base ? base + 1 : path;
	for (; *base && k + 1 < size; base++) {
		unsigned char c = (unsigned char)*base;

		buf[k++] = (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') ? '_' : (char)c;
	}
	buf[k] = '\0';
	if (!k)
		snprintf(buf, size, "contacts.csv");
}

static int part_text(struct ccon_strbuf *sb, const char *boundary, const char *name,
                     const char *type, const char *value)
{
	return ccon_strbuf_printf(sb, "--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n%s%s%s"
	                          "\r\n%s\r\n", boundary, name, type ? "Content-Type: " : "",
	                          type ? type : "", type ? "\r\n" : "", value);
}

static int reqs_csv(const struct ccon_send_draft *d, const struct ccon_send_timing *t,
                    bool dry_run, struct ccon_send_reqs *out, struct ccon_error *err)
{
	struct ccon_send_form form = { NULL, NULL, d->slicing };
	struct ccon_fields fields = CCON_FIELDS_INIT;
	struct ccon_send_req *q = req_new(out);
	struct ccon_strbuf sb, disp;
	char boundary[64], fname[128], *layout = NULL;
	cJSON *lj = NULL;
	int rc = -1;

	if (!q)
		return nomem(err);
	ccon_strbuf_init(&sb);
	ccon_strbuf_init(&disp);
	if (t->form == CCON_TIMING_SCHEDULE)
		form.schedule_at = (char *)t->utc;
	else if (t->form == CCON_TIMING_DELAY)
		form.delay = d->delay;
	snprintf(boundary, sizeof(boundary), "ccon-%s", d->send_id);
	safe_filename(d->csv_path, fname, sizeof(fname));
	ccon_roster_batch_key(d->send_id, 0, 1, q->key);
	if (ccon_layout_encode(&d->layout, &lj) < 0 || !(layout = cJSON_PrintUnformatted(lj)) ||
	    ccon_send_form_encode(&form, &fields) < 0 ||
	    part_text(&sb, boundary, "layout", "application/json", layout) < 0)
		goto out;
	for (size_t i = 0; i < fields.count; i++)
		if (part_text(&sb, boundary, fields.items[i].name, NULL, fields.items[i].value) < 0)
			goto out;
	if (ccon_strbuf_printf(&sb, "--%s\r\nContent-Disposition: form-data; name=\"file\"; "
	                       "filename=\"%s\"\r\nContent-Type: text/csv\r\n\r\n", boundary, fname) < 0 ||
	    ccon_strbuf_append(&disp, ccon_strbuf_cstr(&sb), sb.len) < 0 ||
	    ccon_strbuf_printf(&disp, "<the bytes of %s>\r\n--%s--\r\n", fname, boundary) < 0)
		goto out;
	q->tail = printfdup("\r\n--%s--\r\n", boundary);
	q->tail_len = q->tail ? strlen(q->tail) : 0;
	q->path = printfdup("/v1/applications/%" PRId64 "/campaigns/%" PRId64 "/send/csv%s",
	                    d->app_id, d->campaign.id, dry_suffix(dry_run));
	q->content_type = printfdup("multipart/form-data; boundary=%s", boundary);
	q->file_path = strdup(d->csv_path);
	q->len = sb.len;
	q->body = ccon_strbuf_detach(&sb);
	q->display = ccon_strbuf_detach(&disp);
	if (q->tail && q->path && q->content_type && q->file_path && q->body && q->display)
		rc = 0;
out:
	if (rc < 0)
		nomem(err);
	cJSON_free(layout);
	cJSON_Delete(lj);
	ccon_fields_free(&fields);
	ccon_strbuf_free(&sb);
	ccon_strbuf_free(&disp);
	return rc;
}

static int reqs_tx(const struct ccon_send_draft *d, const struct ccon_send_timing *t,
                   bool dry_run, struct ccon_send_reqs *out, struct ccon_error *err)
{
	struct ccon_transactional_request r = d->tx;
	struct ccon_send_req *q = req_new(out);
	cJSON *j = NULL;

	if (!q)
		return nomem(err);
	r.campaign_id = d->campaign.id;
	r.schedule_date = t->form == CCON_TIMING_SCHEDULE ? (char *)t->utc : NULL;
	ccon_roster_batch_key(d->send_id, 0, 1, q->key);
	q->recipients = d->tx.n_contacts;
	q->path = printfdup("/v1/campaigns/transactional/send%s", dry_suffix(dry_run));
	if (!q->path || ccon_transactional_request_encode(&r, &j) < 0 ||
	    req_json(q, j, "application/json") < 0)
		return nomem(err);
	return 0;
}

static int reqs_envelope(const struct ccon_send_draft *d, const struct ccon_send_timing *t,
                         struct ccon_send_reqs *out, struct ccon_error *err)
{
	struct ccon_full_campaign fc = d->envelope;
	struct ccon_send_req *q = req_new(out);
	cJSON *j = NULL;

	if (!q)
		return nomem(err);
	fc.campaign.scheduled = t->form == CCON_TIMING_SCHEDULE ? (char *)t->utc : NULL;
	ccon_roster_batch_key(d->send_id, 0, 1, q->key);
	q->command = true;
	q->recipients = d->envelope.n_audiences;
	q->path = strdup("/campaign/full");
	if (!q->path || ccon_full_campaign_encode(&fc, &j) < 0 ||
	    req_json(q, j, "application/vnd.iris.activecampaign.full-campaign+json") < 0)
		return nomem(err);
	return 0;
}

static int reqs_whatsapp(const struct ccon_send_draft *d, bool dry_run,
                         struct ccon_send_reqs *out, struct ccon_error *err)
{
	struct ccon_send_req *q = req_new(out);
	cJSON *j = NULL;

	if (!q)
		return nomem(err);
	ccon_roster_batch_key(d->send_id, 0, 1, q->key);
	q->recipients = 1;
	q->path = printfdup("/v1/whatsapp/messages%s", dry_suffix(dry_run));
	if (!q->path || ccon_whatsapp_message_encode(&d->wa, &j) < 0 ||
	    req_json(q, j, "application/json") < 0)
		return nomem(err);
	return 0;
}

int ccon_send_draft_requests(const struct ccon_send_draft *d, int64_t now_us, bool dry_run,
                             struct ccon_send_reqs *out, struct ccon_error *err)
{
	struct ccon_send_timing t;
	int rc;

	out->items = NULL;
	out->count = 0;
	if (dry_run && d->kind == CCON_SEND_KIND_ENVELOPE) {
		ccon_error_set(err, CCON_E_INVALID_ARGUMENT, "seed 002 commands have no dry run");
		return -1;
	}
	if (ccon_send_draft_check(d, now_us, err) < 0 ||
	    ccon_send_draft_check_timing(d, now_us, &t, err) < 0)
		return -1;
	switch (d->kind) {
	case CCON_SEND_KIND_JSON:
		rc = reqs_json(d, &t, dry_run, out, err);
		break;
	case CCON_SEND_KIND_CSV:
		rc = reqs_csv(d, &t, dry_run, out, err);
		break;
	case CCON_SEND_KIND_TRANSACTIONAL:
		rc = reqs_tx(d, &t, dry_run, out, err);
		break;
	case CCON_SEND_KIND_ENVELOPE:
		rc = reqs_envelope(d, &t, out, err);
		break;
	default:
		rc = reqs_whatsapp(d, dry_run, out, err);
		break;
	}
	if (rc < 0)
		ccon_send_reqs_free(out);
	return rc;
}
