/* The campaign view of the model (model_view.c), without a server: sorting
 * by every column both ways with stable ties, the incremental filter, the
 * selection across sorts, filters and new lists, and 50,000 rows. */
#include "config.h"

#include "suites.h"
#include "testutil.h"

#include "../../src/core/model_internal.h"

#include <ccon/datetime.h>

#include <stdint.h>
#include <stdio.h>
#include <time.h>

struct spec {
	const char *id, *name, *channel, *status, *send_date, *created;
	int64_t total, received, read, failed;   /* total < 0: no counts */
};

static char *dup_or_null(const char *s)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	ck_assert_ptr_nonnull(d);
	return d;
}

static struct ccon_campaign_summary *make_rows(const struct spec *sp, size_t n)
{
	struct ccon_campaign_summary *rows = calloc(n ? n : 1, sizeof(*rows));

	ck_assert_ptr_nonnull(rows);
	for (size_t i = 0; i < n; i++) {
		rows[i].id = dup_or_null(sp[i].id);
		rows[i].name = dup_or_null(sp[i].name);
		rows[i].channel_type = dup_or_null(sp[i].channel);
		rows[i].status = dup_or_null(sp[i].status);
		rows[i].send_date = dup_or_null(sp[i].send_date);
		rows[i].created = dup_or_null(sp[i].created);
		if (sp[i].total >= 0) {
			rows[i].has_counts = true;
			rows[i].counts.total = sp[i].total;
			rows[i].counts.received = sp[i].received;
			rows[i].counts.read = sp[i].read;
			rows[i].counts.failed = sp[i].failed;
		}
	}
	return rows;
}

static void free_rows(struct ccon_campaign_summary *rows, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ccon_campaign_summary_free(&rows[i]);
	free(rows);
}

/* Ties in every column, a missing value in most, letters in both cases. */
static const struct spec sample[] = {
	{ "1", "beta", "whatsapp", "done", "2027-01-04T09:00:00Z", "2027-01-01T00:00:00Z",
	  10, 5, 2, 3 },
	{ "2", "Alpha", "sms", "running", "2027-01-04T10:00:00+02:00", "2027-01-02T00:00:00Z",
	  10, 5, 0, 0 },
	{ "3", "alpha", "whatsapp", "scheduled", NULL, "2027-01-01T00:00:00Z", 4, 0, 0, 4 },
	{ "4", NULL, "rcs", "done", "2027-01-04T09:00:00Z", NULL, -1, 0, 0, 0 },
	{ "5", "gamma", "sms", "done", "not a date", "2027-01-03T00:00:00Z", 0, 0, 0, 0 },
	{ "6", "Beta", "whatsapp", "new", "2027-01-05T00:00:00Z", "2027-01-02T00:00:00Z",
	  20, 5, 9, 6 },
	{ "7", "delta", NULL, "canceled", "2027-01-04T09:00:00Z", "2027-01-03T00:00:00Z",
	  4, 1, 1, 2 },
};
#define N_SAMPLE (sizeof(sample) / sizeof(sample[0]))

static void view_of(struct ccon_view *v, struct ccon_campaign_summary **rows,
                    const struct spec *sp, size_t n)
{
	*rows = make_rows(sp, n);
	ccon_view_init(v);
	ck_assert_int_eq(ccon_view_set_rows(v, *rows, n), 0);
}

static const char *id_at(const struct ccon_view *v, size_t i)
{
	size_t r = ccon_view_row_index(v, i);

	ck_assert_uint_ne(r, (size_t)-1);
	return v->rows[r].id;
}

/* The view's ids joined by spaces. */
static const char *ids(const struct ccon_view *v)
{
	static char buf[4096];
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < v->n; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s", i ? " " : "",
		                        id_at(v, i));
	return buf;
}

static int fold_cmp(const char *a, const char *b)
{
	a = a ? a : "";
	b = b ? b : "";
	return strcasecmp(a, b);
}

static int64_t date_of(const char *s)
{
	struct ccon_error err;
	int64_t us;

	if (!s || ccon_datetime_parse(s, &us, &err))
		return INT64_MIN;
	return us;
}

static double num_of(const struct ccon_campaign_summary *s, enum ccon_campaign_column col)
{
	if (!s->has_counts)
		return -1;
	switch (col) {
	case CCON_COL_AUDIENCE:
		return (double)s->counts.total;
	case CCON_COL_RECEIVED:
		return (double)s->counts.received;
	case CCON_COL_READ:
		return (double)s->counts.read;
	case CCON_COL_FAILED:
		return (double)s->counts.failed;
	default:
		return ccon_campaign_failure_rate(s);
	}
}

/* The reference order of two rows on a column, written independently of
 * the view's own comparison. */
static int ref_cmp(const struct ccon_campaign_summary *a, const struct ccon_campaign_summary *b,
                   enum ccon_campaign_column col)
{
	int64_t x, y;
	double p, q;

	switch (col) {
	case CCON_COL_NAME:
		return fold_cmp(a->name, b->name);
	case CCON_COL_CHANNEL:
		return fold_cmp(a->channel_type, b->channel_type);
	case CCON_COL_STATUS:
		return fold_cmp(a->status, b->status);
	case CCON_COL_SEND_DATE:
	case CCON_COL_CREATED:
		x = date_of(col == CCON_COL_CREATED ? a->created : a->send_date);
		y = date_of(col == CCON_COL_CREATED ? b->created : b->send_date);
		return (x > y) - (x < y);
	default:
		p = num_of(a, col);
		q = num_of(b, col);
		return (p > q) - (p < q);
	}
}

/* Sorted on col in the direction asked, ties in the rows' order. */
static void assert_sorted(const struct ccon_view *v, enum ccon_campaign_column col, bool desc)
{
	for (size_t i = 1; i < v->n; i++) {
		size_t ra = ccon_view_row_index(v, i - 1), rb = ccon_view_row_index(v, i);
		int c = ref_cmp(&v->rows[ra], &v->rows[rb], col);

		if (desc)
			c = -c;
		ck_assert_msg(c < 0 || (c == 0 && ra < rb),
		              "column %d %s: rows %zu then %zu out of order", (int)col,
		              desc ? "down" : "up", ra, rb);
	}
}

START_TEST(failure_rate)
{
	struct ccon_campaign_summary s;

	memset(&s, 0, sizeof(s));
	ck_assert(ccon_campaign_failure_rate(NULL) == 0.0);
	ck_assert(ccon_campaign_failure_rate(&s) == 0.0);
	s.has_counts = true;
	ck_assert(ccon_campaign_failure_rate(&s) == 0.0);   /* empty audience */
	s.counts.total = 8;
	s.counts.failed = 2;
	ck_assert(ccon_campaign_failure_rate(&s) == 0.25);
	s.counts.failed = 9;   /* a server's inconsistent counts stay in [0, 1] */
	ck_assert(ccon_campaign_failure_rate(&s) == 1.0);
}
END_TEST

START_TEST(sort_every_column)
{
	struct ccon_campaign_summary *rows;
	struct ccon_view v;

	view_of(&v, &rows, sample, N_SAMPLE);
	for (int col = 0; col < CCON_COL_COUNT; col++) {
		for (int desc = 0; desc < 2; desc++) {
			ccon_view_sort(&v, (enum ccon_campaign_column)col, desc);
			ck_assert_uint_eq(v.n, N_SAMPLE);
			assert_sorted(&v, (enum ccon_campaign_column)col, desc);
		}
	}
	ccon_view_free(&v);
	free_rows(rows, N_SAMPLE);
}
END_TEST

/* Exact orders: no letter case in names, a missing name first, ties in
 * the rows' order in both directions. */
START_TEST(sort_exact)
{
	struct ccon_campaign_summary *rows;
	struct ccon_view v;
	enum ccon_campaign_column col;
	bool desc;

	view_of(&v, &rows, sample, N_SAMPLE);
	col = v.col;
	desc = v.desc;
	ck_assert_int_eq(col, CCON_COL_CREATED);   /* newest first by default */
	ck_assert(desc);
	ck_assert_str_eq(ids(&v), "5 7 2 6 1 3 4");
	ccon_view_sort(&v, CCON_COL_NAME, false);
	ck_assert_str_eq(ids(&v), "4 2 3 1 6 7 5");
	ccon_view_sort(&v, CCON_COL_NAME, true);
	ck_assert_str_eq(ids(&v), "5 7 1 6 2 3 4");
	/* 10:00+02:00 is 08:00Z, before 09:00Z; unreadable and missing first */
	ccon_view_sort(&v, CCON_COL_SEND_DATE, false);
	ck_assert_str_eq(ids(&v), "3 5 2 1 4 7 6");
	ccon_view_sort(&v, CCON_COL_SEND_DATE, true);
	ck_assert_str_eq(ids(&v), "6 1 4 7 2 3 5");
	ccon_view_sort(&v, CCON_COL_FAILURE_RATE, true);
	ck_assert_str_eq(ids(&v), "3 7 1 6 2 5 4");
	ccon_view_sort(&v, CCON_COL_AUDIENCE, false);
	ck_assert_str_eq(ids(&v), "4 5 3 7 1 2 6");
	ccon_view_sort(&v, CCON_COL_CHANNEL, false);
	ck_assert_str_eq(ids(&v), "7 4 2 5 1 3 6");
	/* out of range: by name */
	ccon_view_sort(&v, CCON_COL_COUNT, false);
	ck_assert_int_eq(v.col, CCON_COL_NAME);
	ccon_view_free(&v);
	free_rows(rows, N_SAMPLE);
}
END_TEST

START_TEST(filter_fields)
{
	struct ccon_campaign_summary *rows;
	struct ccon_view v;

	view_of(&v, &rows, sample, N_SAMPLE);
	ccon_view_sort(&v, CCON_COL_NAME, false);
	ck_assert_int_eq(ccon_view_filter(&v, "ALP"), 0);     /* name, no case */
	ck_assert_str_eq(ids(&v), "2 3");
	ck_assert_str_eq(v.filter_text, "ALP");
	ck_assert_int_eq(ccon_view_filter(&v, "SmS"), 0);     /* channel */
	ck_assert_str_eq(ids(&v), "2 5");
	ck_assert_int_eq(ccon_view_filter(&v, "cancel"), 0);  /* status */
	ck_assert_str_eq(ids(&v), "7");
	ck_assert_int_eq(ccon_view_filter(&v, "6"), 0);       /* id */
	ck_assert_str_eq(ids(&v), "6");
	ck_assert_int_eq(ccon_view_filter(&v, "zzz"), 0);
	ck_assert_uint_eq(v.n, 0);
	ck_assert_int_eq(v.sel, -1);
	ck_assert_int_eq(ccon_view_filter(&v, ""), 0);
	ck_assert_ptr_null(v.filter_text);
	ck_assert_uint_eq(v.n, N_SAMPLE);
	ck_assert_int_eq(ccon_view_filter(&v, "ALP"), 0);
	ck_assert_int_eq(ccon_view_filter(&v, NULL), 0);
	ck_assert_uint_eq(v.n, N_SAMPLE);
	ccon_view_free(&v);
	free_rows(rows, N_SAMPLE);
}
END_TEST

/* Typed one letter at a time, then erased: each step the same as the
 * filter set at once on a fresh view. */
START_TEST(filter_incremental)
{
	static const char *const steps[] = { "a", "al", "alp", "alph", "alpha", "alphax", "alpha",
	                                     "alp", "e", "et", "eta", "beta", "t", "" };
	struct ccon_campaign_summary *rows;
	struct ccon_view v, fresh;

	view_of(&v, &rows, sample, N_SAMPLE);
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		char want[4096];

		ccon_view_init(&fresh);
		ck_assert_int_eq(ccon_view_filter(&fresh, steps[i]), 0);
		ck_assert_int_eq(ccon_view_set_rows(&fresh, rows, N_SAMPLE), 0);
		snprintf(want, sizeof(want), "%s", ids(&fresh));
		ck_assert_int_eq(ccon_view_filter(&v, steps[i]), 0);
		ck_assert_msg(strcmp(ids(&v), want) == 0, "filter \"%s\": %s, want %s", steps[i],
		              ids(&v), want);
		ccon_view_free(&fresh);
	}
	ccon_view_free(&v);
	free_rows(rows, N_SAMPLE);
}
END_TEST

/* Bytes that are not text match as bytes, and never crash. */
START_TEST(filter_odd_bytes)
{
	static const struct spec odd[] = {
		{ "a", "caf\xc3\xa9 \x1b[2J", "sms", "done", NULL, NULL, -1, 0, 0, 0 },
		{ "b", "bad \xff\xfe utf8", "sms", "done", NULL, NULL, -1, 0, 0, 0 },
		{ "c", "\x07" "bell", "sms", "done", NULL, NULL, -1, 0, 0, 0 },
		{ NULL, NULL, NULL, NULL, NULL, NULL, -1, 0, 0, 0 },
	};
	struct ccon_campaign_summary *rows;
	struct ccon_view v;

	view_of(&v, &rows, odd, 4);
	ck_assert_int_eq(ccon_view_filter(&v, "\xc3\xa9"), 0);
	ck_assert_str_eq(ids(&v), "a");
	ck_assert_int_eq(ccon_view_filter(&v, "\xc3\x89"), 0);   /* no case outside ASCII */
	ck_assert_uint_eq(v.n, 0);
	ck_assert_int_eq(ccon_view_filter(&v, "\x1b[2j"), 0);
	ck_assert_str_eq(ids(&v), "a");
	ck_assert_int_eq(ccon_view_filter(&v, "\xff"), 0);
	ck_assert_str_eq(ids(&v), "b");
	ck_assert_int_eq(ccon_view_filter(&v, "\x07"), 0);
	ck_assert_str_eq(ids(&v), "c");
	ck_assert_int_eq(ccon_view_filter(&v, NULL), 0);
	ck_assert_uint_eq(v.n, 4);
	for (int col = 0; col < CCON_COL_COUNT; col++)
		ccon_view_sort(&v, (enum ccon_campaign_column)col, col % 2);
	/* the row without an id can be selected, by its row number */
	ccon_view_sort(&v, CCON_COL_NAME, false);
	ccon_view_select(&v, 0);
	ck_assert_ptr_null(v.rows[ccon_view_row_index(&v, 0)].id);
	ck_assert_ptr_null(v.sel_id);
	ck_assert_int_eq(v.sel, 0);
	ck_assert_int_eq(ccon_view_find(&v, NULL), -1);
	ccon_view_free(&v);
	free_rows(rows, 4);
}
END_TEST

START_TEST(empty_and_clamps)
{
	struct ccon_view v;
	struct ccon_campaign_summary *rows;

	ccon_view_init(&v);
	ck_assert_int_eq(v.sel, -1);
	ccon_view_select(&v, 3);
	ck_assert_int_eq(v.sel, -1);
	ccon_view_sort(&v, CCON_COL_NAME, true);
	ck_assert_int_eq(ccon_view_filter(&v, "x"), 0);
	ck_assert_int_eq(ccon_view_set_rows(&v, NULL, 0), 0);
	ck_assert_uint_eq(v.n, 0);
	ck_assert_int_eq(v.sel, -1);
	ck_assert_uint_eq(ccon_view_row_index(&v, 0), (size_t)-1);
	ck_assert_int_eq(ccon_view_find(&v, "1"), -1);
	ck_assert_int_eq(ccon_view_filter(&v, NULL), 0);

	rows = make_rows(sample, N_SAMPLE);
	ck_assert_int_eq(ccon_view_set_rows(&v, rows, N_SAMPLE), 0);
	ck_assert_int_eq(v.sel, 0);   /* the first list selects its first row */
	ccon_view_select(&v, 100);
	ck_assert_int_eq(v.sel, (long)N_SAMPLE - 1);
	ccon_view_select(&v, -5);
	ck_assert_int_eq(v.sel, 0);
	ck_assert_str_eq(v.sel_id, id_at(&v, 0));
	ck_assert_uint_eq(ccon_view_row_index(&v, N_SAMPLE), (size_t)-1);
	ck_assert_int_eq(ccon_view_find(&v, "nope"), -1);
	/* an empty list drops the selection */
	ck_assert_int_eq(ccon_view_set_rows(&v, NULL, 0), 0);
	ck_assert_int_eq(v.sel, -1);
	ck_assert_ptr_null(v.sel_id);
	ccon_view_free(&v);
	free_rows(rows, N_SAMPLE);
}
END_TEST

START_TEST(selection_survives_sort_and_filter)
{
	struct ccon_campaign_summary *rows;
	struct ccon_view v;

	view_of(&v, &rows, sample, N_SAMPLE);
	ccon_view_select(&v, ccon_view_find(&v, "6"));
	ck_assert_str_eq(v.sel_id, "6");
	for (int col = 0; col < CCON_COL_COUNT; col++) {
		for (int desc = 0; desc < 2; desc++) {
			ccon_view_sort(&v, (enum ccon_campaign_column)col, desc);
			ck_assert_str_eq(id_at(&v, (size_t)v.sel), "6");
		}
	}
	ck_assert_int_eq(ccon_view_filter(&v, "et"), 0);   /* beta, Beta */
	ck_assert_str_eq(id_at(&v, (size_t)v.sel), "6");
	ck_assert_int_eq(ccon_view_filter(&v, NULL), 0);
	ck_assert_str_eq(id_at(&v, (size_t)v.sel), "6");
	ccon_view_free(&v);
	free_rows(rows, N_SAMPLE);
}
END_TEST

/* Filtered out: the nearest row of the view before that still shows,
 * the one after first. */
START_TEST(selection_filtered_out)
{
	struct ccon_campaign_summary *rows;
	struct ccon_view v;

	view_of(&v, &rows, sample, N_SAMPLE);
	ccon_view_sort(&v, CCON_COL_NAME, false);   /* 4 2 3 1 6 7 5 */
	ccon_view_select(&v, ccon_view_find(&v, "1"));
	ck_assert_int_eq(ccon_view_filter(&v, "done"), 0);   /* 4 1 5 */
	ck_assert_str_eq(v.sel_id, "1");
	ck_assert_int_eq(ccon_view_filter(&v, "done5"), 0);
	ck_assert_int_eq(ccon_view_filter(&v, NULL), 0);
	ccon_view_select(&v, ccon_view_find(&v, "3"));
	ck_assert_int_eq(ccon_view_filter(&v, "a"), 0);  /* every one but id 4 */
	ck_assert_str_eq(v.sel_id, "3");
	ck_assert_int_eq(ccon_view_filter(&v, "s"), 0);  /* rcs, sms, whatsapp: 4 2 3 1 6 5 */
	ck_assert_str_eq(ids(&v), "4 2 3 1 6 5");
	ck_assert_str_eq(v.sel_id, "3");
	ck_assert_int_eq(ccon_view_filter(&v, "sm"), 0);  /* 2 5: after 3, 1 went; before it, 2 */
	ck_assert_str_eq(v.sel_id, "2");
	ck_assert_str_eq(id_at(&v, (size_t)v.sel), "2");
	ccon_view_select(&v, 1);
	ck_assert_int_eq(ccon_view_filter(&v, "2"), 0);   /* id 2 only: 5 goes, 2 is nearest */
	ck_assert_str_eq(v.sel_id, "2");
	ccon_view_free(&v);
	free_rows(rows, N_SAMPLE);
}
END_TEST

/* A new poll: other content, another order, rows gone and new. */
START_TEST(selection_survives_refresh)
{
	static const struct spec next[] = {
		{ "9", "omega", "sms", "new", NULL, "2027-02-01T00:00:00Z", 1, 0, 0, 0 },
		{ "6", "Beta renamed", "whatsapp", "running", NULL, "2027-01-02T00:00:00Z",
		  20, 9, 9, 2 },
		{ "2", "Alpha", "sms", "done", NULL, "2027-01-02T00:00:00Z", 10, 9, 1, 0 },
		{ "1", "beta", "whatsapp", "done", NULL, "2027-01-01T00:00:00Z", 10, 5, 2, 3 },
		{ "5", "gamma", "sms", "done", NULL, "2027-01-03T00:00:00Z", 0, 0, 0, 0 },
	};
	struct ccon_campaign_summary *rows, *rows2;
	struct ccon_view v;

	view_of(&v, &rows, sample, N_SAMPLE);
	ccon_view_sort(&v, CCON_COL_NAME, false);   /* 4 2 3 1 6 7 5 */
	ck_assert_int_eq(ccon_view_filter(&v, "a"), 0);   /* 2 3 1 6 7 5 */
	ccon_view_select(&v, ccon_view_find(&v, "6"));
	rows2 = make_rows(next, 5);
	ck_assert_int_eq(ccon_view_set_rows(&v, rows2, 5), 0);
	free_rows(rows, N_SAMPLE);
	/* name order, filter kept: 2 1 6 5 9 */
	ck_assert_str_eq(ids(&v), "2 1 6 5 9");
	ck_assert_str_eq(v.sel_id, "6");
	ck_assert_int_eq(v.sel, 2);
	ck_assert_str_eq(v.rows[ccon_view_row_index(&v, 2)].name, "Beta renamed");

	/* 6 vanishes: the next row of the old view (5) */
	rows = make_rows(next, 2);   /* 9, 6 */
	rows[1].id[0] = '8';
	ck_assert_int_eq(ccon_view_set_rows(&v, rows, 2), 0);
	free_rows(rows2, 5);
	ck_assert_str_eq(ids(&v), "8 9");
	/* old view 2 1 6 5 9: after 6 is 5 (gone), before it 1 (gone), then 9 */
	ck_assert_str_eq(v.sel_id, "9");
	ck_assert_int_eq(v.sel, 1);

	/* everything gone: the same row number, clamped */
	rows2 = make_rows(sample, 3);
	ck_assert_int_eq(ccon_view_set_rows(&v, rows2, 3), 0);
	free_rows(rows, 2);
	ck_assert_str_eq(ids(&v), "2 3 1");
	ck_assert_int_eq(v.sel, 1);
	ck_assert_str_eq(v.sel_id, "3");
	ccon_view_free(&v);
	free_rows(rows2, 3);
}
END_TEST

/* Repeated ids: the first row answers to the id. */
START_TEST(repeated_ids)
{
	static const struct spec rep[] = {
		{ "x", "one", "sms", "done", NULL, NULL, 1, 0, 0, 0 },
		{ "x", "two", "sms", "done", NULL, NULL, 2, 0, 0, 0 },
	};
	struct ccon_campaign_summary *rows;
	struct ccon_view v;

	view_of(&v, &rows, rep, 2);
	ccon_view_sort(&v, CCON_COL_AUDIENCE, true);
	ck_assert_int_eq(ccon_view_find(&v, "x"), 1);
	ck_assert_uint_eq(ccon_view_lookup(&v, "x"), 0);
	ccon_view_free(&v);
	free_rows(rows, 2);
}
END_TEST

/* A list that moved between two pages repeats a row: the later copy goes. */
START_TEST(dedupe_repeats)
{
	static const struct spec rep[] = {
		{ "3", "c", NULL, NULL, NULL, NULL, -1, 0, 0, 0 },
		{ "2", "b", NULL, NULL, NULL, NULL, -1, 0, 0, 0 },
		{ "2", "b again", NULL, NULL, NULL, NULL, -1, 0, 0, 0 },
		{ NULL, "no id", NULL, NULL, NULL, NULL, -1, 0, 0, 0 },
		{ "1", "a", NULL, NULL, NULL, NULL, -1, 0, 0, 0 },
		{ NULL, "no id either", NULL, NULL, NULL, NULL, -1, 0, 0, 0 },
		{ "3", "c again", NULL, NULL, NULL, NULL, -1, 0, 0, 0 },
	};
	struct ccon_campaign_summary *rows = make_rows(rep, 7);
	size_t n = ccon_view_dedupe(rows, 7);

	ck_assert_uint_eq(n, 5);
	ck_assert_str_eq(rows[0].name, "c");
	ck_assert_str_eq(rows[1].name, "b");
	ck_assert_str_eq(rows[2].name, "no id");
	ck_assert_str_eq(rows[3].name, "a");
	ck_assert_str_eq(rows[4].name, "no id either");
	free_rows(rows, n);
	ck_assert_uint_eq(ccon_view_dedupe(NULL, 0), 0);
}
END_TEST

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

#define BIG 50000

START_TEST(fifty_thousand_rows)
{
	static const char *const status[] = { "new", "scheduled", "running", "done", "canceled" };
	static const char *const channel[] = { "whatsapp", "sms", "rcs" };
	struct ccon_campaign_summary *rows = calloc(BIG, sizeof(*rows));
	struct ccon_view v;
	double t0, load, sort_worst = 0, filter_worst = 0;
	char buf[64];
	uint32_t seed = 12345;

	ck_assert_ptr_nonnull(rows);
	for (size_t i = 0; i < BIG; i++) {
		seed = seed * 1103515245u + 12345u;
		snprintf(buf, sizeof(buf), "%zu", i + 1);
		rows[i].id = strdup(buf);
		snprintf(buf, sizeof(buf), "Campaign %u promo", (seed >> 8) % 100000);
		rows[i].name = strdup(buf);
		rows[i].channel_type = strdup(channel[seed % 3]);
		rows[i].status = strdup(status[(seed >> 4) % 5]);
		snprintf(buf, sizeof(buf), "2027-%02u-%02uT%02u:%02u:00Z", 1 + (seed >> 3) % 12,
		         1 + (seed >> 7) % 28, (seed >> 11) % 24, (seed >> 13) % 60);
		rows[i].send_date = strdup(buf);
		rows[i].created = strdup(buf);
		rows[i].has_counts = true;
		rows[i].counts.total = (seed >> 5) % 20000;
		rows[i].counts.failed = rows[i].counts.total / (1 + seed % 7);
		rows[i].counts.received = rows[i].counts.total / 2;
		rows[i].counts.read = rows[i].counts.total / 3;
	}
	ccon_view_init(&v);
	t0 = now_ms();
	ck_assert_int_eq(ccon_view_set_rows(&v, rows, BIG), 0);
	load = now_ms() - t0;
	ccon_view_select(&v, 25000);
	for (int col = 0; col < CCON_COL_COUNT; col++) {
		for (int desc = 0; desc < 2; desc++) {
			double d;

			t0 = now_ms();
			ccon_view_sort(&v, (enum ccon_campaign_column)col, desc);
			d = now_ms() - t0;
			sort_worst = d > sort_worst ? d : sort_worst;
			assert_sorted(&v, (enum ccon_campaign_column)col, desc);
		}
	}
	/* typing "promo 12" a letter at a time, then clearing */
	for (size_t k = 1; k <= 9; k++) {
		double d;

		snprintf(buf, sizeof(buf), "%.*s", (int)k, "Promo 123");
		t0 = now_ms();
		ck_assert_int_eq(ccon_view_filter(&v, buf), 0);
		d = now_ms() - t0;
		filter_worst = d > filter_worst ? d : filter_worst;
	}
	for (int k = 0; k < 2; k++) {
		double d;

		t0 = now_ms();
		ck_assert_int_eq(ccon_view_filter(&v, k ? NULL : "whatsapp"), 0);
		d = now_ms() - t0;
		filter_worst = d > filter_worst ? d : filter_worst;
	}
	ck_assert_uint_eq(v.n, BIG);
	fprintf(stderr, "model_view: %d rows: load+sort %.1f ms, worst sort %.1f ms, "
	        "worst filter step %.1f ms\n", BIG, load, sort_worst, filter_worst);
	/* generous: about 20 times what a sanitizer build takes */
	ck_assert_msg(sort_worst < 500 && filter_worst < 500, "too slow: %.1f / %.1f ms",
	              sort_worst, filter_worst);
	ccon_view_free(&v);
	free_rows(rows, BIG);
}
END_TEST

Suite *ccon_suite_model_view(void)
{
	Suite *s = suite_create("model_view");
	TCase *tc = tcase_create("view");

	tcase_add_test(tc, failure_rate);
	tcase_add_test(tc, sort_every_column);
	tcase_add_test(tc, sort_exact);
	tcase_add_test(tc, filter_fields);
	tcase_add_test(tc, filter_incremental);
	tcase_add_test(tc, filter_odd_bytes);
	tcase_add_test(tc, empty_and_clamps);
	tcase_add_test(tc, selection_survives_sort_and_filter);
	tcase_add_test(tc, selection_filtered_out);
	tcase_add_test(tc, selection_survives_refresh);
	tcase_add_test(tc, repeated_ids);
	tcase_add_test(tc, dedupe_repeats);
	suite_add_tcase(s, tc);
	tc = tcase_create("big");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, fifty_thousand_rows);
	suite_add_tcase(s, tc);
	return s;
}
