/* reads.c - summaries, audience, messages, report and failure groups of
 * campaigns, from the store into libccon's codec_reports structs. */
#include "config.h"

#include "reads.h"

#include "store.h"

#include <ccon/datetime.h>
#include <ccon/json_util.h>
#include <ccon/strbuf.h>

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ST_PENDING, ST_PROCESSED, ST_RECEIVED, ST_READ, ST_FAILED, ST_CANCELED, ST__COUNT };

static const char *const recipient_statuses[ST__COUNT] = {
	"pending", "processed", "received", "read", "failed", "canceled",
};

/* Task statuses, in the order that decides a campaign's status. */
enum { TS_RUNNING, TS_SCHEDULED, TS_DRAFT, TS_DONE, TS_CANCELED, TS__COUNT };

static const char *const task_statuses[TS__COUNT] = {
	"running", "scheduled", "draft", "done", "canceled",
};

/* What a campaign's tasks and recipients add up to (in a scope). */
struct agg {
	int64_t campaign_id;
	unsigned task_flags;          /* bit per TS_* */
	int64_t send_at_us;           /* 0: none */
	char *failed_reason;
	int64_t counts[ST__COUNT];
};

static int status_index(const char *const *names, int n, const unsigned char *s)
{
	for (int i = 0; s && i < n; i++)
		if (strcmp(names[i], (const char *)s) == 0)
			return i;
	return -1;
}

static const char *derived_status(unsigned flags)
{
	if (!flags)
		return "new";
	for (int i = 0; i < TS__COUNT; i++)
		if (flags & (1u << i))
			return task_statuses[i];
	return "done";  /* only statuses this build does not know */
}

const char *reads_channel_name(const char *channel)
{
	if (!channel)
		return NULL;
	if (strcmp(channel, "whatsapp") == 0)
		return "WhatsApp";
	if (strcmp(channel, "rcs") == 0)
		return "GoogleRcs";
	return channel;
}

/* ------------------------------------------------------------ helpers */

static int nomem(struct ccon_error *err)
{
	return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
}

static char *col_dup(sqlite3_stmt *st, int i, bool *ok)
{
	return ccon_json_strdup((const char *)sqlite3_column_text(st, i), ok);
}

static char *time_dup(int64_t us, bool *ok)
{
	char buf[CCON_DATETIME_FORMAT_MAX];

	if (ccon_datetime_format_fast(us, buf) < 0)
		return NULL;
	return ccon_json_strdup(buf, ok);
}

static char *col_time(sqlite3_stmt *st, int i, bool *ok)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return NULL;
	return time_dup(sqlite3_column_int64(st, i), ok);
}

/* A stored reason code ("131026") as a number; false when it is not one. */
static bool reason_number(sqlite3_stmt *st, int i, int64_t *out)
{
	const char *s = (const char *)sqlite3_column_text(st, i);
	char *end;
	long long v;

	if (!s || !*s)
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

static int prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st, struct ccon_error *err)
{
	if (store_prepare(db, sql, st) != SQLITE_OK) {
		store_fail(db, err, "reading campaigns");
		return -1;
	}
	return 0;
}

static int step_fail(sqlite3 *db, sqlite3_stmt *st, struct ccon_error *err)
{
	store_fail(db, err, "reading campaigns");
	store_done(st);
	return -1;
}

/* 1 when the campaign is the application's and the task (if any) the
 * campaign's; 0 otherwise. */
static int scope_check(sqlite3 *db, const struct reads_scope *s, struct ccon_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (prepare(db,
	            "SELECT 1 FROM campaigns c WHERE c.id = ?1 AND c.app_id = ?2 AND "
	            "(?3 = 0 OR EXISTS (SELECT 1 FROM tasks t WHERE t.id = ?3 AND "
	            "t.campaign_id = c.id))",
	            &st, err) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, s->campaign_id);
	sqlite3_bind_int64(st, 2, s->app_id);
	sqlite3_bind_int64(st, 3, s->task_id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return step_fail(db, st, err);
	store_done(st);
	return rc == SQLITE_ROW;
}

static int64_t count_rows(sqlite3 *db, const char *sql, int64_t a, int64_t b,
                          struct ccon_error *err)
{
	sqlite3_stmt *st;
	int64_t n;

	if (prepare(db, sql, &st, err) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, a);
	if (sqlite3_bind_parameter_count(st) >= 2)
		sqlite3_bind_int64(st, 2, b);
	if (sqlite3_step(st) != SQLITE_ROW)
		return step_fail(db, st, err);
	n = sqlite3_column_int64(st, 0);
	store_done(st);
	return n;
}

/* ---------------------------------------------------------- aggregates */

/* aggs[] is ordered by campaign id, descending (the page's order). */
static struct agg *agg_find(struct agg *aggs, size_t n, int64_t id)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (aggs[mid].campaign_id == id)
			return &aggs[mid];
		if (aggs[mid].campaign_id > id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static void aggs_free(struct agg *aggs, size_t n)
{
	for (size_t i = 0; aggs && i < n; i++)
		free(aggs[i].failed_reason);
	free(aggs);
}

/* The ids as a JSON array, for json_each(): one query for the whole page. */
static int id_list(const struct agg *aggs, size_t n, struct ccon_strbuf *sb)
{
	if (ccon_strbuf_putc(sb, '[') < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (ccon_strbuf_printf(sb, "%s%lld", i ? "," : "", (long long)aggs[i].campaign_id) < 0)
			return -1;
	return ccon_strbuf_putc(sb, ']');
}

static int agg_tasks(sqlite3 *db, const char *ids, int64_t task_id, struct agg *aggs, size_t n,
                     struct ccon_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (prepare(db,
	            ids ? "SELECT campaign_id, status, send_at_us, cancel_reason FROM tasks "
	                  "WHERE campaign_id IN (SELECT value FROM json_each(?1)) "
	                  "AND (?2 = 0 OR id = ?2) ORDER BY campaign_id, id"
	                : "SELECT campaign_id, status, send_at_us, cancel_reason FROM tasks "
	                  "WHERE campaign_id BETWEEN ?3 AND ?4 "
	                  "AND (?2 = 0 OR id = ?2) ORDER BY campaign_id, id",
	            &st, err) < 0)
		return -1;
	if (ids) {
		sqlite3_bind_text(st, 1, ids, -1, SQLITE_STATIC);
	} else {
		sqlite3_bind_int64(st, 3, aggs[n - 1].campaign_id);
		sqlite3_bind_int64(st, 4, aggs[0].campaign_id);
	}
	sqlite3_bind_int64(st, 2, task_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct agg *a = agg_find(aggs, n, sqlite3_column_int64(st, 0));
		int ts = status_index(task_statuses, TS__COUNT, sqlite3_column_text(st, 1));
		int64_t at = sqlite3_column_int64(st, 2);
		bool ok = true;

		if (!a)
			continue;
		if (ts >= 0)
			a->task_flags |= 1u << ts;
		else
			a->task_flags |= 1u << TS__COUNT;
		if (ts != TS_DRAFT && (!a->send_at_us || at < a->send_at_us))
			a->send_at_us = at;
		if (ts == TS_CANCELED && sqlite3_column_type(st, 3) != SQLITE_NULL) {
			free(a->failed_reason);
			a->failed_reason = col_dup(st, 3, &ok);
			if (!ok) {
				store_done(st);
				return nomem(err);
			}
		}
	}
	if (rc != SQLITE_DONE)
		return step_fail(db, st, err);
	store_done(st);
	return 0;
}

/* Campaign-wide, each recipient's latest attempt only (a row superseded by
 * a retry-failed is `retried`): the counts add up to the audience size. A
 * task's own counts take its rows as they are. */
static int agg_counts(sqlite3 *db, const char *ids, int64_t task_id, struct agg *aggs, size_t n,
                      struct ccon_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (prepare(db,
	            task_id ? "SELECT campaign_id, status, COUNT(*) FROM recipients "
	                      "WHERE task_id = ?2 GROUP BY campaign_id, status"
	            : ids   ? "SELECT campaign_id, status, COUNT(*) FROM recipients "
	                      "WHERE campaign_id IN (SELECT value FROM json_each(?1)) "
	                      "AND retried = 0 GROUP BY campaign_id, status"
	                    : "SELECT campaign_id, status, COUNT(*) FROM recipients "
	                      "WHERE campaign_id BETWEEN ?3 AND ?4 AND retried = 0 "
	                      "GROUP BY campaign_id, status",
	            &st, err) < 0)
		return -1;
	if (task_id) {
		sqlite3_bind_int64(st, 2, task_id);
	} else if (ids) {
		sqlite3_bind_text(st, 1, ids, -1, SQLITE_STATIC);
	} else {
		sqlite3_bind_int64(st, 3, aggs[n - 1].campaign_id);
		sqlite3_bind_int64(st, 4, aggs[0].campaign_id);
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct agg *a = agg_find(aggs, n, sqlite3_column_int64(st, 0));
		int rs = status_index(recipient_statuses, ST__COUNT, sqlite3_column_text(st, 1));

		if (a && rs >= 0)
			a->counts[rs] += sqlite3_column_int64(st, 2);
	}
	if (rc != SQLITE_DONE)
		return step_fail(db, st, err);
	store_done(st);
	return 0;
}

static int aggregate(sqlite3 *db, int64_t task_id, struct agg *aggs, size_t n,
                     struct ccon_error *err)
{
	struct ccon_strbuf ids = CCON_STRBUF_INIT;
	int rc;

	if (!n)
		return 0;
	/* A page of consecutive ids (the usual one: newest first, unfiltered)
	 * is one index range, cheaper than a seek per id through json_each;
	 * rows of campaigns outside the page are skipped by agg_find. */
	if (aggs[0].campaign_id - aggs[n - 1].campaign_id > (int64_t)(2 * n) &&
	    id_list(aggs, n, &ids) < 0)
		return nomem(err);
	rc = agg_tasks(db, ids.buf, task_id, aggs, n, err);
	if (rc == 0)
		rc = agg_counts(db, ids.buf, task_id, aggs, n, err);
	ccon_strbuf_free(&ids);
	return rc;
}

/* -------------------------------------------------------------- arena */

struct reads_arena_block {
	struct reads_arena_block *next;
	size_t used, size;
	_Alignas(max_align_t) char data[];
};

void reads_arena_free(struct reads_arena *a)
{
	while (a->head) {
		struct reads_arena_block *b = a->head;

		a->head = b->next;
		free(b);
	}
}

/* n bytes aligned for any struct, from the arena's blocks (8 KiB, or n). */
static void *arena_alloc(struct reads_arena *a, size_t n)
{
	struct reads_arena_block *b = a->head;
	size_t at = b ? (b->used + 15) & ~(size_t)15 : 0;

	if (!b || at + n > b->size) {
		size_t size = n > 8192 ? n : 8192;

		b = malloc(sizeof(*b) + size);
		if (!b)
			return NULL;
		b->next = a->head;
		b->size = size;
		a->head = b;
		at = 0;
	}
	b->used = at + n;
	return b->data + at;
}

/* A copy of s[0..n) in the arena, or on the heap without one; NULL stays
 * NULL, *ok false when out of memory. */
static char *adup(struct reads_arena *a, const char *s, size_t n, bool *ok)
{
	char *d;

	if (!s)
		return NULL;
	d = a ? arena_alloc(a, n + 1) : malloc(n + 1);
	if (!d) {
		*ok = false;
		return NULL;
	}
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

static char *adup_col(struct reads_arena *a, sqlite3_stmt *st, int i, bool *ok)
{
	const char *s = (const char *)sqlite3_column_text(st, i);

	return adup(a, s, s ? (size_t)sqlite3_column_bytes(st, i) : 0, ok);
}

static char *adup_str(struct reads_arena *a, const char *s, bool *ok)
{
	return adup(a, s, s ? strlen(s) : 0, ok);
}

static char *adup_time(struct reads_arena *a, int64_t us, bool *ok)
{
	char buf[CCON_DATETIME_FORMAT_MAX];
	int n = ccon_datetime_format_fast(us, buf);

	return n < 0 ? NULL : adup(a, buf, (size_t)n, ok);
}

/* ---------------------------------------------------------- summaries */

#define SUMMARY_COLS                                                                         \
	"id, name, template_name, campaign_type, channel, flow_id, state_id, created_us, "   \
	"source_application, campaign_sender"

/* The row's fields; strings in ar (or on the heap when ar is NULL). */
static int summary_fill(sqlite3_stmt *st, struct ccon_campaign_summary *s, struct reads_arena *ar)
{
	bool ok = true;

	memset(s, 0, sizeof(*s));
	s->id = adup_col(ar, st, 0, &ok);
	s->name = adup_col(ar, st, 1, &ok);
	s->message_template = adup_col(ar, st, 2, &ok);
	s->campaign_type = adup_col(ar, st, 3, &ok);
	for (char *p = s->campaign_type; p && *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	s->channel_type = adup_str(
		ar, reads_channel_name((const char *)sqlite3_column_text(st, 4)), &ok);
	s->flow_id = adup_col(ar, st, 5, &ok);
	s->state_id = adup_col(ar, st, 6, &ok);
	if (sqlite3_column_type(st, 7) != SQLITE_NULL)
		s->created = adup_time(ar, sqlite3_column_int64(st, 7), &ok);
	s->source_application = adup_col(ar, st, 8, &ok);
	s->campaign_sender = adup_col(ar, st, 9, &ok);
	return ok ? 0 : -1;
}

/* The aggregates into s. With an arena, the status names are the static
 * ones (the arena's summaries are never given to a codec's _free). */
static int summary_finish(struct ccon_campaign_summary *s, struct agg *a, struct reads_arena *ar)
{
	bool ok = true;
	size_t n = 0;

	s->status = adup_str(ar, derived_status(a->task_flags), &ok);
	if (a->send_at_us)
		s->send_date = adup_time(ar, a->send_at_us, &ok);
	if (ar) {
		s->failed_reason = adup_str(ar, a->failed_reason, &ok);
	} else {
		s->failed_reason = a->failed_reason;
		a->failed_reason = NULL;
	}
	s->has_counts = true;
	s->counts.pending = a->counts[ST_PENDING];
	s->counts.processed = a->counts[ST_PROCESSED];
	s->counts.received = a->counts[ST_RECEIVED];
	s->counts.read = a->counts[ST_READ];
	s->counts.failed = a->counts[ST_FAILED];
	s->counts.canceled = a->counts[ST_CANCELED];
	for (int i = 0; i < ST__COUNT; i++) {
		s->counts.total += a->counts[i];
		n += a->counts[i] > 0;
	}
	if (n) {
		s->status_audience = ar ? arena_alloc(ar, n * sizeof(*s->status_audience))
		                        : calloc(n, sizeof(*s->status_audience));
		if (!s->status_audience)
			return -1;
		for (int i = 0; i < ST__COUNT; i++) {
			struct ccon_status_count *sc = &s->status_audience[s->n_status_audience++];

			if (!a->counts[i]) {
				s->n_status_audience--;
				continue;
			}
			sc->status = ar ? (char *)recipient_statuses[i]
			                : ccon_json_strdup(recipient_statuses[i], &ok);
			sc->count = a->counts[i];
		}
	}
	return ok ? 0 : -1;
}

/* Only the filters given, so that an unfiltered count reads the
 * campaigns_app index alone; parameters keep their numbers. */
static int summary_sql(const char *head, const struct reads_summary_filter *f, const char *tail,
                       struct ccon_strbuf *sb)
{
	if (ccon_strbuf_puts(sb, head) < 0 || ccon_strbuf_puts(sb, " WHERE app_id = ?1") < 0 ||
	    (f->source_application && ccon_strbuf_puts(sb, " AND source_application = ?2") < 0) ||
	    (f->campaign_sender && ccon_strbuf_puts(sb, " AND campaign_sender = ?3") < 0) ||
	    (f->has_created &&
	     ccon_strbuf_puts(sb, " AND created_us >= ?4 AND created_us < ?5") < 0) ||
	    ccon_strbuf_puts(sb, tail) < 0)
		return -1;
	return 0;
}

static int prepare_summary(sqlite3 *db, const char *head, const struct reads_summary_filter *f,
                           const char *tail, sqlite3_stmt **st, struct ccon_error *err)
{
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	int rc;

	if (summary_sql(head, f, tail, &sb) < 0) {
		ccon_strbuf_free(&sb);
		return nomem(err);
	}
	rc = prepare(db, sb.buf, st, err);
	ccon_strbuf_free(&sb);
	return rc;
}

static void bind_filter(sqlite3_stmt *st, int64_t app_id, const struct reads_summary_filter *f)
{
	sqlite3_bind_int64(st, 1, app_id);
	if (f->source_application)
		sqlite3_bind_text(st, 2, f->source_application, -1, SQLITE_STATIC);
	if (f->campaign_sender)
		sqlite3_bind_text(st, 3, f->campaign_sender, -1, SQLITE_STATIC);
	if (f->has_created) {
		sqlite3_bind_int64(st, 4, f->created_from_us);
		sqlite3_bind_int64(st, 5, f->created_to_us);
	}
}

/* The memo key of a count: NULL and "" told apart; false (no memo) when a
 * filter text is too long or holds the separator. */
static bool total_key(int64_t app_id, const struct reads_summary_filter *f, char *key,
                      size_t size)
{
	const char *src = f->source_application, *snd = f->campaign_sender;
	int n;

	if ((src && strchr(src, '\x1f')) || (snd && strchr(snd, '\x1f')))
		return false;
	n = snprintf(key, size, "summaries_total\x1f%lld\x1f%c%s\x1f%c%s\x1f%d\x1f%lld\x1f%lld",
	             (long long)app_id, src ? 's' : 'n', src ? src : "", snd ? 's' : 'n',
	             snd ? snd : "", f->has_created, (long long)f->created_from_us,
	             (long long)f->created_to_us);
	return n > 0 && (size_t)n < size;
}

/* COUNT(*) walks every matching index entry (3.6M instructions for 10,000
 * campaigns): remembered on the connection while the database is unchanged. */
static int64_t summaries_total(sqlite3 *db, int64_t app_id, const struct reads_summary_filter *f,
                               struct ccon_error *err)
{
	sqlite3_stmt *st;
	char key[160];
	bool memo = total_key(app_id, f, key, sizeof(key));
	int64_t n;

	if (memo && store_memo_get(db, key, &n))
		return n;
	if (prepare_summary(db, "SELECT COUNT(*) FROM campaigns", f, "", &st, err) < 0)
		return -1;
	bind_filter(st, app_id, f);
	if (sqlite3_step(st) != SQLITE_ROW)
		return step_fail(db, st, err);
	n = sqlite3_column_int64(st, 0);
	store_done(st);
	if (memo)
		store_memo_put(db, key, n);
	return n;
}

static int summaries_page(sqlite3 *db, int64_t app_id, const struct reads_summary_filter *f,
                          struct ccon_summary_list *out, struct reads_arena *ar,
                          struct ccon_error *err)
{
	sqlite3_stmt *st;
	int rc = SQLITE_DONE;   /* a take of 0 steps nothing */

	if (prepare_summary(db, "SELECT " SUMMARY_COLS " FROM campaigns", f,
	                    " ORDER BY id DESC LIMIT ?6 OFFSET ?7", &st, err) < 0)
		return -1;
	bind_filter(st, app_id, f);
	sqlite3_bind_int64(st, 6, f->take);
	sqlite3_bind_int64(st, 7, f->skip);
	out->items = calloc((size_t)f->take, sizeof(*out->items));
	if (!out->items) {
		store_done(st);
		return nomem(err);
	}
	while (out->count < (size_t)f->take && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (summary_fill(st, &out->items[out->count++], ar) < 0) {
			store_done(st);
			return nomem(err);
		}
	}
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return step_fail(db, st, err);
	store_done(st);
	return 0;
}

static int summaries_finish(sqlite3 *db, int64_t task_id, struct ccon_campaign_summary *items,
                            size_t n, struct reads_arena *ar, struct ccon_error *err)
{
	struct agg *aggs = calloc(n ? n : 1, sizeof(*aggs));
	int rc = 0;

	if (!aggs)
		return nomem(err);
	for (size_t i = 0; i < n; i++)
		aggs[i].campaign_id = strtoll(items[i].id, NULL, 10);
	if (aggregate(db, task_id, aggs, n, err) < 0)
		rc = -1;
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (summary_finish(&items[i], &aggs[i], ar) < 0)
			rc = nomem(err);
	aggs_free(aggs, n);
	return rc;
}

/* BEGIN and COMMIT from the statement cache: sqlite3_exec compiles them
 * again on every call (a tenth of a summaries request). */
static int run_cached(sqlite3 *db, const char *sql, struct ccon_error *err)
{
	sqlite3_stmt *st;

	if (prepare(db, sql, &st, err) < 0)
		return -1;
	if (sqlite3_step(st) != SQLITE_DONE)
		return step_fail(db, st, err);
	store_done(st);
	return 0;
}

/* One read transaction for the page, its total and its aggregates: one
 * snapshot (the total matches the page), and the memo's version is the
 * snapshot's once the page query has read. */
void reads_summaries_free(struct ccon_summary_list *l, struct reads_arena *ar)
{
	free(l->items);
	memset(l, 0, sizeof(*l));
	reads_arena_free(ar);
}

int reads_summaries(sqlite3 *db, int64_t app_id, const struct reads_summary_filter *f,
                    struct ccon_summary_list *out, struct reads_arena *ar,
                    struct ccon_error *err)
{
	bool own_tx = sqlite3_get_autocommit(db);

	memset(out, 0, sizeof(*out));
	ar->head = NULL;
	if (own_tx && run_cached(db, "BEGIN", err) < 0)
		return -1;
	if (summaries_page(db, app_id, f, out, ar, err) < 0 ||
	    (out->total = summaries_total(db, app_id, f, err)) < 0 ||
	    summaries_finish(db, 0, out->items, out->count, ar, err) < 0 ||
	    (own_tx && run_cached(db, "COMMIT", err) < 0)) {
		if (own_tx && !sqlite3_get_autocommit(db))
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		reads_summaries_free(out, ar);
		return -1;
	}
	return 1;
}

int reads_summary(sqlite3 *db, const struct reads_scope *s, struct ccon_campaign_summary *out,
                  struct ccon_error *err)
{
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = scope_check(db, s, err);
	if (rc <= 0)
		return rc;
	if (prepare(db, "SELECT " SUMMARY_COLS " FROM campaigns WHERE id = ?1", &st, err) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, s->campaign_id);
	if (sqlite3_step(st) != SQLITE_ROW)
		return step_fail(db, st, err);
	rc = summary_fill(st, out, NULL);
	store_done(st);
	if (rc < 0 || summaries_finish(db, s->task_id, out, 1, NULL, err) < 0) {
		if (rc < 0)
			nomem(err);
		ccon_campaign_summary_free(out);
		return -1;
	}
	return 1;
}

int reads_campaign_state(sqlite3 *db, const struct reads_scope *s, struct reads_state *out,
                         struct ccon_error *err)
{
	struct agg a;
	struct ccon_strbuf ids = CCON_STRBUF_INIT;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&a, 0, sizeof(a));
	a.campaign_id = s->campaign_id;
	if (id_list(&a, 1, &ids) < 0)
		return nomem(err);
	rc = agg_tasks(db, ids.buf, s->task_id, &a, 1, err);
	ccon_strbuf_free(&ids);
	if (rc < 0) {
		free(a.failed_reason);
		return -1;
	}
	snprintf(out->status, sizeof(out->status), "%s", derived_status(a.task_flags));
	out->failed_reason = a.failed_reason;
	out->send_at_us = a.send_at_us;
	return 1;
}

void reads_state_free(struct reads_state *st)
{
	free(st->failed_reason);
	st->failed_reason = NULL;
}

/* ---------------------------------------------------------- filters */

/* A filtered read selects over r (joined to its task t when join), with
 * ?1 the campaign, ?2 the task, ?3 the status, ?4 the reason code:
 * campaign-wide the live rows (each recipient's latest attempt) in that
 * status, through recipients_campaign_live; for a task, its live rows the
 * same way and, when failed rows are asked for, its rows superseded by a
 * retry (all failed), found through the retry rows that point at them.
 * So no filtered read walks rows of another status, whatever the size of
 * the campaign. The + keeps task_id off recipients_task, which would walk
 * every row of the task. */

/* The status the filter selects (a code implies failed); NULL when it can
 * match nothing (a code with another status). */
static const char *filter_status(const struct reads_filter *f)
{
	if (!f->has_reason_code)
		return f->status;
	return !f->status || strcmp(f->status, "failed") == 0 ? "failed" : NULL;
}

static bool filtered(const struct reads_filter *f)
{
	return f->status || f->has_reason_code;
}

static int filter_select(const struct reads_scope *s, const struct reads_filter *f,
                         const char *status, const char *cols, bool join,
                         struct ccon_strbuf *sb)
{
	const char *t_join = join ? " CROSS JOIN tasks t ON t.id = r.task_id" : "";
	const char *code = f->has_reason_code ? " AND r.reason_code = ?4" : "";

	if (ccon_strbuf_printf(sb, "SELECT %s FROM recipients r%s WHERE r.campaign_id = ?1 AND "
	                       "r.retried = 0 AND r.status = ?3%s%s", cols, t_join,
	                       s->task_id ? " AND +r.task_id = ?2" : "", code) < 0)
		return -1;
	if (!s->task_id || strcmp(status, "failed") != 0)
		return 0;
	return ccon_strbuf_printf(sb, " UNION ALL SELECT %s FROM tasks u CROSS JOIN recipients n "
	                          "ON n.task_id = u.id CROSS JOIN recipients r ON r.id = "
	                          "n.retry_of%s WHERE u.campaign_id = ?1 AND u.retry_of IS NOT "
	                          "NULL AND +r.task_id = ?2%s", cols, t_join, code);
}

/* head, the filter's select of cols, tail; bound. */
static int filter_prepare(sqlite3 *db, const struct reads_scope *s, const struct reads_filter *f,
                          const char *head, const char *cols, bool join, const char *tail,
                          sqlite3_stmt **st, struct ccon_error *err)
{
	const char *status = filter_status(f);
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	char code[24];
	int rc;

	if (ccon_strbuf_puts(&sb, head) < 0 || filter_select(s, f, status, cols, join, &sb) < 0 ||
	    ccon_strbuf_puts(&sb, tail) < 0) {
		ccon_strbuf_free(&sb);
		return nomem(err);
	}
	rc = prepare(db, sb.buf, st, err);
	ccon_strbuf_free(&sb);
	if (rc < 0)
		return -1;
	sqlite3_bind_int64(*st, 1, s->campaign_id);
	if (s->task_id)
		sqlite3_bind_int64(*st, 2, s->task_id);
	/* TRANSIENT (copies: the caller steps), so a bind can fail for memory */
	rc = sqlite3_bind_text(*st, 3, status, -1, SQLITE_TRANSIENT);
	if (rc == SQLITE_OK && f->has_reason_code) {
		snprintf(code, sizeof(code), "%lld", (long long)f->reason_code);
		rc = sqlite3_bind_text(*st, 4, code, -1, SQLITE_TRANSIENT);
	}
	if (rc != SQLITE_OK) {
		store_done(*st);
		*st = NULL;
		return nomem(err);
	}
	return 0;
}

static int64_t filtered_total(sqlite3 *db, const struct reads_scope *s,
                              const struct reads_filter *f, struct ccon_error *err)
{
	sqlite3_stmt *st;
	int64_t n;

	if (!filter_status(f))
		return 0;
	if (filter_prepare(db, s, f, "SELECT COUNT(*) FROM (", "1", false, ")", &st, err) < 0)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW)
		return step_fail(db, st, err);
	n = sqlite3_column_int64(st, 0);
	store_done(st);
	return n;
}

/* ---------------------------------------------------------- recipients */

static int64_t recipients_total(sqlite3 *db, const struct reads_scope *s,
                                const struct reads_filter *f, struct ccon_error *err)
{
	if (filtered(f))
		return filtered_total(db, s, f, err);
	if (s->task_id)
		return count_rows(db, "SELECT COUNT(*) FROM recipients WHERE task_id = ?1",
		                  s->task_id, 0, err);
	return count_rows(db, "SELECT COUNT(*) FROM recipients WHERE campaign_id = ?1",
	                  s->campaign_id, 0, err);
}

#define RECIPIENT_COLS                                                                       \
	"r.id, r.task_id, r.recipient, r.recipient_type, r.channel_type, r.params, r.status, "  \
	"r.processed_us, r.received_us, r.read_us, r.failed_us, r.reason_code, "               \
	"r.reason_description, t.status, t.retry_of"

/* The page's statement; *st NULL when the filter matches nothing. */
static int page_prepare(sqlite3 *db, const struct reads_scope *s, const struct reads_filter *f,
                        sqlite3_stmt **st, struct ccon_error *err)
{
	*st = NULL;
	if (filtered(f)) {
		if (!filter_status(f))
			return 0;
		if (filter_prepare(db, s, f, "", RECIPIENT_COLS, true,
		                   " ORDER BY 1 LIMIT ?5 OFFSET ?6", st, err) < 0)
			return -1;
		sqlite3_bind_int64(*st, 5, s->take);
		sqlite3_bind_int64(*st, 6, s->skip);
		return 0;
	}
	if (prepare(db,
	            s->task_id ? "SELECT " RECIPIENT_COLS " FROM recipients r JOIN tasks t ON "
	                         "t.id = r.task_id WHERE r.task_id = ?1 ORDER BY r.id "
	                         "LIMIT ?2 OFFSET ?3"
	                       : "SELECT " RECIPIENT_COLS " FROM recipients r JOIN tasks t ON "
	                         "t.id = r.task_id WHERE r.campaign_id = ?1 ORDER BY r.id "
	                         "LIMIT ?2 OFFSET ?3",
	            st, err) < 0)
		return -1;
	sqlite3_bind_int64(*st, 1, s->task_id ? s->task_id : s->campaign_id);
	sqlite3_bind_int64(*st, 2, s->take);
	sqlite3_bind_int64(*st, 3, s->skip);
	return 0;
}

/* The recipients of the scope's page, one row at a time to fill(). */
static int recipients_each(sqlite3 *db, const struct reads_scope *s,
                           const struct reads_filter *f,
                           int (*fill)(void *ctx, sqlite3_stmt *st), void *ctx,
                           struct ccon_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (page_prepare(db, s, f, &st, err) < 0)
		return -1;
	if (!st)
		return 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (fill(ctx, st) < 0) {
			store_done(st);
			return nomem(err);
		}
	}
	if (rc != SQLITE_DONE)
		return step_fail(db, st, err);
	store_done(st);
	return 0;
}

/* The stored params (a JSON object) as fields. */
static int params_fields(const unsigned char *text, struct ccon_fields *out)
{
	struct ccon_json_path path;
	struct ccon_error err;
	cJSON *wrap, *params;
	int rc;

	if (!text || !*text)
		return 0;
	params = cJSON_Parse((const char *)text);
	if (!params || !cJSON_IsObject(params)) {
		cJSON_Delete(params);
		return 0;  /* nothing readable to show */
	}
	wrap = cJSON_CreateObject();
	if (!wrap || !cJSON_AddItemToObject(wrap, "p", params)) {
		cJSON_Delete(wrap);
		cJSON_Delete(params);
		return -1;
	}
	ccon_json_path_init(&path, "");
	ccon_error_clear(&err);
	rc = ccon_json_get_fields(wrap, "p", CCON_JSON_OPTIONAL, &path, true, out, &err);
	cJSON_Delete(wrap);
	return rc < 0 && err.code == CCON_E_NOMEM ? -1 : 0;
}

static char *id_text(sqlite3_stmt *st, int i, bool *ok)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%lld", (long long)sqlite3_column_int64(st, i));
	return ccon_json_strdup(buf, ok);
}

struct audience_ctx {
	struct ccon_audience_page *page;
	char campaign_id[24];
};

static int audience_fill(void *ctx, sqlite3_stmt *st)
{
	struct audience_ctx *ac = ctx;
	struct ccon_audience_item *it = &ac->page->items[ac->page->count++];
	bool ok = true;

	it->campaign_id = ccon_json_strdup(ac->campaign_id, &ok);
	it->task_id = id_text(st, 1, &ok);
	it->recipient = col_dup(st, 2, &ok);
	it->recipient_type = col_dup(st, 3, &ok);
	it->channel_type = col_dup(st, 4, &ok);
	if (params_fields(sqlite3_column_text(st, 5), &it->message_params) < 0)
		ok = false;
	it->status = col_dup(st, 6, &ok);
	it->audience_status = col_dup(st, 13, &ok);
	/* Numbers that failed preprocessing never become recipients. */
	it->validated_account = col_dup(st, 2, &ok);
	it->processed = col_time(st, 7, &ok);
	it->received = col_time(st, 8, &ok);
	it->read = col_time(st, 9, &ok);
	it->failed = col_time(st, 10, &ok);
	it->has_reason_code = reason_number(st, 11, &it->reason_code);
	it->reason_description = col_dup(st, 12, &ok);
	if (sqlite3_column_type(st, 14) != SQLITE_NULL)
		it->retry_of = id_text(st, 14, &ok);
	return ok ? 0 : -1;
}

static const struct reads_filter no_filter;

int reads_audience(sqlite3 *db, const struct reads_scope *s, const struct reads_filter *f,
                   struct ccon_audience_page *out, struct ccon_error *err)
{
	struct audience_ctx ac = { out, "" };
	int rc;

	memset(out, 0, sizeof(*out));
	rc = scope_check(db, s, err);
	if (rc <= 0)
		return rc;
	snprintf(ac.campaign_id, sizeof(ac.campaign_id), "%lld", (long long)s->campaign_id);
	if (!f)
		f = &no_filter;
	out->total = recipients_total(db, s, f, err);
	if (out->total < 0)
		return -1;
	out->items = calloc((size_t)s->take, sizeof(*out->items));
	if (!out->items)
		return nomem(err);
	if (recipients_each(db, s, f, audience_fill, &ac, err) < 0) {
		ccon_audience_page_free(out);
		return -1;
	}
	return 1;
}

/* ---------------------------------------------------------- messages */

/* A stored JSON array of names as a heap array. */
static int names_array(const unsigned char *text, char ***out, size_t *n)
{
	cJSON *arr, *it;
	size_t i = 0;
	bool ok = true;

	*out = NULL;
	*n = 0;
	if (!text)
		return 0;
	arr = cJSON_Parse((const char *)text);
	if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) == 0) {
		cJSON_Delete(arr);
		return 0;
	}
	*out = calloc((size_t)cJSON_GetArraySize(arr), sizeof(**out));
	if (!*out) {
		cJSON_Delete(arr);
		return -1;
	}
	cJSON_ArrayForEach(it, arr)
		if (cJSON_IsString(it))
			(*out)[i++] = ccon_json_strdup(it->valuestring, &ok);
	*n = i;
	cJSON_Delete(arr);
	return ok ? 0 : -1;
}

int reads_messages(sqlite3 *db, const struct reads_scope *s, struct ccon_message_page *out,
                   struct ccon_error *err)
{
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = scope_check(db, s, err);
	if (rc <= 0)
		return rc;
	out->total = count_rows(db, "SELECT COUNT(*) FROM tasks WHERE campaign_id = ?1 AND "
	                            "(?2 = 0 OR id = ?2)",
	                        s->campaign_id, s->task_id, err);
	if (out->total < 0)
		return -1;
	if (prepare(db,
	            "SELECT t.id, c.channel, c.template_name, c.template_body, c.language, "
	            "c.template_params, t.retry_of FROM tasks t JOIN campaigns c ON "
	            "c.id = t.campaign_id WHERE t.campaign_id = ?1 AND (?2 = 0 OR t.id = ?2) "
	            "ORDER BY t.id LIMIT ?3 OFFSET ?4",
	            &st, err) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, s->campaign_id);
	sqlite3_bind_int64(st, 2, s->task_id);
	sqlite3_bind_int64(st, 3, s->take);
	sqlite3_bind_int64(st, 4, s->skip);
	out->items = calloc((size_t)s->take, sizeof(*out->items));
	if (!out->items) {
		store_done(st);
		return nomem(err);
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct ccon_message_item *m = &out->items[out->count++];
		bool ok = true;

		m->task_id = id_text(st, 0, &ok);
		m->channel_type = ccon_json_strdup(
			reads_channel_name((const char *)sqlite3_column_text(st, 1)), &ok);
		m->message_template = col_dup(st, 2, &ok);
		m->message_content = col_dup(st, 3, &ok);
		m->template_language = col_dup(st, 4, &ok);
		if (sqlite3_column_type(st, 6) != SQLITE_NULL)
			m->retry_of = id_text(st, 6, &ok);
		if (names_array(sqlite3_column_text(st, 5), &m->params, &m->n_params) < 0 || !ok) {
			store_done(st);
			ccon_message_page_free(out);
			return nomem(err);
		}
	}
	if (rc != SQLITE_DONE) {
		step_fail(db, st, err);
		ccon_message_page_free(out);
		return -1;
	}
	store_done(st);
	return 1;
}

/* ---------------------------------------------------------- report */

static int report_fill(void *ctx, sqlite3_stmt *st)
{
	struct ccon_campaign_report *r = ctx;
	struct ccon_status_audience *a = &r->status_audience[r->n_status_audience++];
	bool ok = true;

	a->recipient_identity = col_dup(st, 2, &ok);
	a->status = col_dup(st, 6, &ok);
	a->has_reason_code = reason_number(st, 11, &a->reason_code);
	a->reason_description = col_dup(st, 12, &ok);
	a->processed = col_time(st, 7, &ok);
	a->received = col_time(st, 8, &ok);
	a->read = col_time(st, 9, &ok);
	a->failed = col_time(st, 10, &ok);
	a->number_status = ccon_json_strdup("valid", &ok);
	a->task_id = id_text(st, 1, &ok);
	if (sqlite3_column_type(st, 14) != SQLITE_NULL)
		a->retry_of = id_text(st, 14, &ok);
	return ok ? 0 : -1;
}

static int report_head(sqlite3 *db, const struct reads_scope *s, struct ccon_campaign_report *r,
                       struct ccon_error *err)
{
	struct reads_state state;
	sqlite3_stmt *st;
	bool ok = true;

	if (prepare(db,
	            "SELECT id, name, template_name, master_state, flow_id, state_id, "
	            "campaign_sender FROM campaigns WHERE id = ?1",
	            &st, err) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, s->campaign_id);
	if (sqlite3_step(st) != SQLITE_ROW)
		return step_fail(db, st, err);
	r->id = id_text(st, 0, &ok);
	r->name = col_dup(st, 1, &ok);
	r->message_template = col_dup(st, 2, &ok);
	r->master_state = col_dup(st, 3, &ok);
	r->flow_id = col_dup(st, 4, &ok);
	r->state_id = col_dup(st, 5, &ok);
	r->campaign_sender = col_dup(st, 6, &ok);
	store_done(st);
	if (!ok)
		return nomem(err);
	if (reads_campaign_state(db, s, &state, err) < 0)
		return -1;
	if (state.send_at_us)
		r->send_date = time_dup(state.send_at_us, &ok);
	reads_state_free(&state);
	return ok ? 0 : nomem(err);
}

int reads_report(sqlite3 *db, const struct reads_scope *s, const struct reads_filter *f,
                 struct ccon_campaign_report *out, struct ccon_error *err)
{
	int rc;

	memset(out, 0, sizeof(*out));
	rc = scope_check(db, s, err);
	if (rc <= 0)
		return rc;
	if (report_head(db, s, out, err) < 0)
		goto fail;
	if (!f)
		f = &no_filter;
	out->total = recipients_total(db, s, f, err);
	if (out->total < 0)
		goto fail;
	out->has_total = true;
	out->status_audience = calloc((size_t)s->take, sizeof(*out->status_audience));
	if (!out->status_audience) {
		nomem(err);
		goto fail;
	}
	if (recipients_each(db, s, f, report_fill, out, err) < 0)
		goto fail;
	return 1;
fail:
	ccon_campaign_report_free(out);
	return -1;
}

/* ---------------------------------------------------------- failures */

/* One (code, description) pair per code: the code's most frequent
 * description with its frequency, and the code's total. */
#define FAILURE_GROUPS_HEAD                                                                  \
	"SELECT code, descr, total, n FROM (SELECT code, descr, n, SUM(n) OVER (PARTITION BY "  \
	"code) AS total, ROW_NUMBER() OVER (PARTITION BY code ORDER BY n DESC, descr) AS rk "   \
	"FROM (SELECT code, descr, COUNT(*) AS n FROM ("
#define FAILURE_GROUPS_TAIL ") GROUP BY code, descr)) WHERE rk = 1"

struct failure_row {
	struct ccon_failure_group g;
	int64_t top;                  /* how many rows have g's description */
};

static int desc_cmp(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

/* By code (no code last), then the best description first. */
static int by_code(const void *pa, const void *pb)
{
	const struct failure_row *a = pa, *b = pb;

	if (a->g.has_code != b->g.has_code)
		return a->g.has_code ? -1 : 1;
	if (a->g.has_code && a->g.reason_code != b->g.reason_code)
		return a->g.reason_code < b->g.reason_code ? -1 : 1;
	if (a->top != b->top)
		return a->top > b->top ? -1 : 1;
	return desc_cmp(a->g.reason_description, b->g.reason_description);
}

static bool same_code(const struct failure_row *a, const struct failure_row *b)
{
	return a->g.has_code == b->g.has_code &&
	       (!a->g.has_code || a->g.reason_code == b->g.reason_code);
}

/* Largest first, then by code, no code last. */
static int by_count(const void *pa, const void *pb)
{
	const struct failure_row *a = pa, *b = pb;

	if (a->g.count != b->g.count)
		return a->g.count > b->g.count ? -1 : 1;
	return by_code(pa, pb);
}

static void rows_free(struct failure_row *rows, size_t n)
{
	for (size_t i = 0; rows && i < n; i++)
		free(rows[i].g.reason_description);
	free(rows);
}

/* Every group of the scope into *rows (one per stored code text). */
static int failure_rows(sqlite3 *db, const struct reads_scope *s, struct failure_row **rows,
                        size_t *n, struct ccon_error *err)
{
	static const struct reads_filter failed = { "failed", false, 0 };
	size_t cap = 0;
	sqlite3_stmt *st;
	int rc;

	*rows = NULL;
	*n = 0;
	if (filter_prepare(db, s, &failed, FAILURE_GROUPS_HEAD,
	                   "r.reason_code AS code, r.reason_description AS descr", false,
	                   FAILURE_GROUPS_TAIL, &st, err) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct failure_row *r;
		bool ok = true;

		if (*n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct failure_row *more = realloc(*rows, ncap * sizeof(**rows));

			if (!more)
				break;
			*rows = more;
			cap = ncap;
		}
		r = &(*rows)[(*n)++];
		memset(r, 0, sizeof(*r));
		r->g.has_code = reason_number(st, 0, &r->g.reason_code);
		r->g.reason_description = col_dup(st, 1, &ok);
		r->g.count = sqlite3_column_int64(st, 2);
		r->top = sqlite3_column_int64(st, 3);
		if (!ok)
			break;
	}
	if (rc == SQLITE_ROW) {
		store_done(st);
		return nomem(err);
	}
	if (rc != SQLITE_DONE)
		return step_fail(db, st, err);
	store_done(st);
	return 0;
}

/* Codes stored as different texts may be one number, and every text that
 * is not a number is "no code": one group each, the description of the
 * most frequent pair. */
static size_t merge_codes(struct failure_row *rows, size_t n)
{
	size_t out = 0;

	if (n > 1)
		qsort(rows, n, sizeof(*rows), by_code);
	for (size_t i = 0; i < n; i++) {
		if (out && same_code(&rows[out - 1], &rows[i])) {
			rows[out - 1].g.count += rows[i].g.count;
			free(rows[i].g.reason_description);
			continue;
		}
		rows[out++] = rows[i];
	}
	return out;
}

int reads_failures(sqlite3 *db, const struct reads_scope *s, struct ccon_failure_group_list *out,
                   struct ccon_error *err)
{
	struct failure_row *rows;
	size_t n, first, take;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = scope_check(db, s, err);
	if (rc <= 0)
		return rc;
	if (failure_rows(db, s, &rows, &n, err) < 0) {
		rows_free(rows, n);
		return -1;
	}
	n = merge_codes(rows, n);
	if (n > 1)
		qsort(rows, n, sizeof(*rows), by_count);
	out->total = (int64_t)n;
	first = s->skip < (int64_t)n ? (size_t)s->skip : n;
	take = n - first < (size_t)s->take ? n - first : (size_t)s->take;
	out->items = calloc(take ? take : 1, sizeof(*out->items));
	if (!out->items) {
		rows_free(rows, n);
		return nomem(err);
	}
	for (size_t i = 0; i < n; i++) {
		if (i >= first && i < first + take)
			out->items[out->count++] = rows[i].g;
		else
			free(rows[i].g.reason_description);
	}
	free(rows);
	return 1;
}
