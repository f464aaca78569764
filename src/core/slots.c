#include "config.h"

#include <ccon/slots.h>

#include <ccon/datetime.h>

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const slicing_names[CCON_SLICING__COUNT] = {
	[CCON_SLICING_FRAGMENTED] = "fragmentedSlots",
	[CCON_SLICING_IMMEDIATE_CONSECUTIVE] = "immediateConsecutiveSlots",
	[CCON_SLICING_DEFERRED_CONSECUTIVE] = "deferredConsecutiveSlots",
};

const char *ccon_slicing_name(enum ccon_slicing s)
{
	if ((unsigned)s >= CCON_SLICING__COUNT)
		return NULL;
	return slicing_names[s];
}

/* Echo the input only when it is short printable ASCII, so the message is
 * never cut mid-character and carries no control bytes. */
static bool echoable(const char *s)
{
	size_t n = 0;

	for (; s[n]; n++)
		if (n >= 48 || s[n] < 0x20 || s[n] > 0x7e || s[n] == '"' || s[n] == '\\')
			return false;
	return true;
}

int ccon_slicing_parse(const char *s, enum ccon_slicing *out, struct ccon_error *err)
{
	int i;

	if (!s || !*s) {
		*out = CCON_SLICING_FRAGMENTED;
		return 0;
	}
	for (i = 0; i < CCON_SLICING__COUNT; i++) {
		if (strcmp(s, slicing_names[i]) == 0) {
			*out = (enum ccon_slicing)i;
			return 0;
		}
	}
	if (echoable(s))
		return ccon_error_set(err, CCON_E_SLICING_UNKNOWN,
		                      "unknown slicing condition \"%s\": allowed are %s, %s and %s", s,
		                      slicing_names[0], slicing_names[1], slicing_names[2]);
	return ccon_error_set(err, CCON_E_SLICING_UNKNOWN,
	                      "unknown slicing condition: allowed are %s, %s and %s", slicing_names[0],
	                      slicing_names[1], slicing_names[2]);
}

static const struct ccon_slot_config slot_defaults = CCON_SLOT_CONFIG_DEFAULT;

/* floor(t / len) for len > 0. */
static int64_t floor_div(int64_t t, int64_t len)
{
	int64_t q = t / len;

	if (t % len < 0)
		q--;
	return q;
}

/* The slot start of index q, or false when it is out of the int64 range. */
static bool index_start(int64_t q, int64_t len, int64_t *start)
{
	return !__builtin_mul_overflow(q, len, start);
}

int64_t ccon_slot_start(const struct ccon_slot_config *cfg, int64_t t_us)
{
	int64_t start;

	if (!cfg)
		cfg = &slot_defaults;
	if (cfg->length_us <= 0)
		return t_us;
	if (!index_start(floor_div(t_us, cfg->length_us), cfg->length_us, &start))
		return INT64_MIN;
	return start;
}

/* The window, with the usage array mapped onto window slot numbers. */
struct window {
	int64_t len, cap;
	int64_t start_us;       /* the instant asked for */
	int64_t slot0;          /* start of the start slot */
	size_t n;               /* slots in the window */
	const int64_t *used;    /* NULL when the usage misses the window */
	size_t count;
	int64_t uoff;           /* usage index of window slot 0, in (-n, count) */
};

static int64_t slot_free(const struct window *w, size_t k)
{
	int64_t i, used = 0;

	if (w->used) {
		i = w->uoff + (int64_t)k;
		if (i >= 0 && (uint64_t)i < w->count)
			used = w->used[i];
	}
	if (used < 0) /* only ccon_slot_free sees unchecked usage */
		used = 0;
	return used >= w->cap ? 0 : w->cap - used;
}

static int64_t slot_at(const struct window *w, size_t k)
{
	return w->slot0 + (int64_t)k * w->len;
}

static int invalid(struct ccon_error *err, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int invalid(struct ccon_error *err, const char *path, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ccon_error_vset(err, CCON_E_SLOTS_INVALID, fmt, ap);
	va_end(ap);
	ccon_error_at_path(err, path);
	return -1;
}

static int check_usage(const struct ccon_slot_usage *u, int64_t len, struct ccon_error *err)
{
	char path[48];
	size_t i;

	if (u->count == 0)
		return 0;
	if (!u->used)
		return invalid(err, "usage.used", "the usage has %zu slots but no array", u->count);
	if (u->origin_us % len != 0)
		return invalid(err, "usage.origin_us",
		               "the usage origin %" PRId64 " µs is not a slot boundary (a multiple of %" PRId64 " µs)",
		               u->origin_us, len);
	for (i = 0; i < u->count; i++) {
		if (u->used[i] < 0) {
			snprintf(path, sizeof(path), "usage.used[%zu]", i);
			return invalid(err, path, "a slot cannot hold %" PRId64 " messages (negative)",
			               u->used[i]);
		}
	}
	return 0;
}

/* Maps the usage onto the window; no overlap (or a distance beyond int64,
 * which no array in memory can span) leaves w->used NULL. */
static void map_usage(struct window *w, const struct ccon_slot_usage *u)
{
	int64_t off;

	w->used = NULL;
	if (!u || u->count == 0)
		return;
	if (__builtin_sub_overflow(floor_div(w->slot0, w->len), u->origin_us / w->len, &off))
		return;
	if (off >= 0 && (uint64_t)off >= u->count)
		return;
	if (off < 0 && (uint64_t)-(off + 1) >= w->n - 1)
		return;
	w->used = u->used;
	w->count = u->count;
	w->uoff = off;
}

static int make_window(struct window *w, const struct ccon_slot_config *cfg,
                       const struct ccon_slot_usage *usage, int64_t start_us, int64_t audience,
                       struct ccon_error *err)
{
	int64_t end;
	uint64_t span;

	if (cfg->length_us < CCON_SLOT_MIN_LENGTH_US)
		return invalid(err, "length_us",
		               "a slot must last at least 1 s (%" PRId64 " µs given)", cfg->length_us);
	if (cfg->capacity <= 0)
		return invalid(err, "capacity",
		               "a slot must hold at least 1 message (%" PRId64 " given)", cfg->capacity);
	if (audience <= 0)
		return invalid(err, "audience",
		               "there must be at least 1 recipient (%" PRId64 " given)", audience);
	w->len = cfg->length_us;
	w->cap = cfg->capacity;
	w->start_us = start_us;
	if (!index_start(floor_div(start_us, w->len), w->len, &w->slot0) ||
	    __builtin_add_overflow(start_us, CCON_SLOT_WINDOW_US, &end))
		return invalid(err, "start_us",
		               "the start %" PRId64 " µs and its 48 h window are out of the time range",
		               start_us);
	/* slots k >= 0 with slot0 + k * len < start_us + 48 h: k * len < 48 h + d,
	 * d = start_us - slot0 in [0, len); both terms < 2^63, so unsigned fits */
	span = (uint64_t)CCON_SLOT_WINDOW_US + (uint64_t)(start_us - w->slot0);
	w->n = (size_t)((span - 1) / (uint64_t)w->len + 1);
	if (usage && check_usage(usage, w->len, err) < 0)
		return -1;
	map_usage(w, usage);
	return 0;
}

/* Fills free capacity greedily from window slot `first`, skipping full
 * slots; writes the shares when out is not NULL. Returns the share count. */
static size_t fill(const struct window *w, size_t first, int64_t audience,
                   struct ccon_slot_share *out)
{
	int64_t left = audience, f;
	size_t k, n = 0;

	for (k = first; k < w->n && left > 0; k++) {
		f = slot_free(w, k);
		if (f == 0)
			continue;
		if (f > left)
			f = left;
		if (out) {
			out[n].slot_start_us = slot_at(w, k);
			out[n].count = f;
		}
		n++;
		left -= f;
	}
	return n;
}

/* Room for any int64 instant, with margin for what the compiler cannot
 * prove about the fields. */
#define INSTANT_MAX 64

/* The shared ISO 8601 form ("2026-12-01T09:00:00Z"); instants outside the
 * years 1..9999 it refuses get the same shape with a signed year. */
static void format_instant(char *buf, size_t size, int64_t t)
{
	struct ccon_civil c;

	if (ccon_datetime_format(t, buf, size, NULL) >= 0)
		return;
	ccon_civil_from_us(t, &c);
	snprintf(buf, size, "%+05d-%02d-%02dT%02d:%02d:%02d.%06dZ", c.year, c.month, c.day, c.hour,
	         c.minute, c.second, c.microsecond);
}

/* 5000, "recipient" -> "5,000 recipients"; 1 -> "1 recipient"; noun NULL
 * gives the number alone. */
static void format_count(char *buf, size_t size, int64_t v, const char *noun)
{
	char digits[24];
	size_t n, i, o = 0;

	n = (size_t)snprintf(digits, sizeof(digits), "%" PRId64, v);
	for (i = 0; i < n && o + 1 < size; i++) {
		buf[o++] = digits[i];
		if (digits[i] != '-' && (n - i - 1) % 3 == 0 && i + 1 < n && o + 1 < size)
			buf[o++] = ',';
	}
	buf[o] = '\0';
	if (noun)
		snprintf(buf + o, size - o, " %s%s", noun, v == 1 ? "" : "s");
}

struct texts {
	char start[INSTANT_MAX], aud[48];
};

static void cancel(struct ccon_slot_plan *plan, enum ccon_errc code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void cancel(struct ccon_slot_plan *plan, enum ccon_errc code, const char *fmt, ...)
{
	va_list ap;

	plan->canceled = true;
	plan->cancel_code = code;
	va_start(ap, fmt);
	vsnprintf(plan->cancel_reason, sizeof(plan->cancel_reason), fmt, ap);
	va_end(ap);
}

/* Immediate: the run from the start slot. Returns true when it holds the
 * audience, else cancels saying where the run broke. */
static bool immediate_run(const struct window *w, int64_t audience, const struct texts *t,
                          struct ccon_slot_plan *plan)
{
	int64_t left = audience;
	char held[48], at[INSTANT_MAX];
	size_t k;

	for (k = 0; k < w->n && left > 0; k++) {
		int64_t f = slot_free(w, k);

		if (f == 0)
			break;
		left -= f < left ? f : left;
	}
	if (left == 0)
		return true;
	if (k == 0) {
		format_instant(at, sizeof(at), w->slot0);
		cancel(plan, CCON_E_SLOTS_NOT_CONSECUTIVE,
		       "the start slot %s is full: no consecutive slots from the start for %s",
		       at, t->aud);
		return false;
	}
	/* k < n: a run reaching the window's end short of the audience means
	 * the whole window lacks capacity, canceled before we get here */
	format_count(held, sizeof(held), audience - left, "free place");
	format_instant(at, sizeof(at), slot_at(w, k));
	cancel(plan, CCON_E_SLOTS_NOT_CONSECUTIVE,
	       "consecutive slots from %s hold %s for %s: the slot at %s is full",
	       t->start, held, t->aud, at);
	return false;
}

/* Deferred: the first maximal run of free slots that holds the audience.
 * Sums are capped at the audience, so they never overflow and, when no run
 * is big enough, are exact. */
static bool deferred_run(const struct window *w, int64_t audience, const struct texts *t,
                         struct ccon_slot_plan *plan, size_t *first)
{
	int64_t sum = 0, best = 0, f;
	size_t k, run = 0, best_run = 0;
	char held[48], at[INSTANT_MAX];

	for (k = 0; k < w->n; k++) {
		f = slot_free(w, k);
		if (f == 0) {
			sum = 0;
			continue;
		}
		if (sum == 0)
			run = k;
		sum += f < audience - sum ? f : audience - sum;
		if (sum == audience) {
			*first = run;
			return true;
		}
		if (sum > best) {
			best = sum;
			best_run = run;
		}
	}
	format_count(held, sizeof(held), best, NULL);
	format_instant(at, sizeof(at), slot_at(w, best_run));
	cancel(plan, CCON_E_SLOTS_NOT_CONSECUTIVE,
	       "no run of consecutive free slots in the 48 h from %s holds %s; the largest holds %s (from %s)",
	       t->start, t->aud, held, at);
	return false;
}

static int place(const struct window *w, size_t first, int64_t audience,
                 struct ccon_slot_plan *plan, struct ccon_error *err)
{
	size_t n = fill(w, first, audience, NULL);

	/* n >= 1: only an audience (>= 1) that the window holds gets here */
	/* NOLINTNEXTLINE(clang-analyzer-optin.portability.UnixAPI) */
	plan->shares = calloc(n, sizeof(*plan->shares));
	if (!plan->shares)
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory for a plan of %zu slots", n);
	plan->n_shares = fill(w, first, audience, plan->shares);
	return 0;
}

int ccon_slot_plan_compute(const struct ccon_slot_config *cfg, const struct ccon_slot_usage *usage,
                           int64_t start_us, int64_t audience, enum ccon_slicing cond,
                           struct ccon_slot_plan *plan, struct ccon_error *err)
{
	struct window w = { 0 };
	struct texts t;
	char total_s[48];
	int64_t total = 0, f;
	size_t k, first = 0;

	if (!plan)
		return ccon_error_set(err, CCON_E_INVALID_ARGUMENT, "no plan to fill");
	memset(plan, 0, sizeof(*plan));
	if ((unsigned)cond >= CCON_SLICING__COUNT)
		return ccon_error_set(err, CCON_E_INVALID_ARGUMENT, "slicing condition %d is unknown",
		                      (int)cond);
	if (make_window(&w, cfg ? cfg : &slot_defaults, usage, start_us, audience, err) < 0)
		return -1;
	plan->window_start_us = w.slot0;
	plan->window_slots = w.n;
	if (slot_free(&w, 0) < audience) {
		plan->slicing = true;
		format_instant(t.start, sizeof(t.start), start_us);
		format_count(t.aud, sizeof(t.aud), audience, "recipient");
		for (k = 0; k < w.n && total < audience; k++) {
			f = slot_free(&w, k);
			total += f < audience - total ? f : audience - total;
		}
		if (total < audience) {
			format_count(total_s, sizeof(total_s), total, "free place");
			cancel(plan, CCON_E_SLOTS_NO_CAPACITY, "48 h from %s hold %s for %s", t.start,
			       total_s, t.aud);
			return 0;
		}
		if (cond == CCON_SLICING_IMMEDIATE_CONSECUTIVE && !immediate_run(&w, audience, &t, plan))
			return 0;
		if (cond == CCON_SLICING_DEFERRED_CONSECUTIVE &&
		    !deferred_run(&w, audience, &t, plan, &first))
			return 0;
	}
	return place(&w, first, audience, plan, err);
}

void ccon_slot_plan_free(struct ccon_slot_plan *plan)
{
	if (!plan)
		return;
	free(plan->shares);
	plan->shares = NULL;
	plan->n_shares = 0;
}

int64_t ccon_slot_free(const struct ccon_slot_config *cfg, const struct ccon_slot_usage *usage,
                       int64_t t_us)
{
	struct window w = { 0 };

	if (!cfg)
		cfg = &slot_defaults;
	if (cfg->length_us < CCON_SLOT_MIN_LENGTH_US || cfg->capacity <= 0)
		return 0;
	if (usage && usage->count && (!usage->used || usage->origin_us % cfg->length_us))
		return 0;
	w.len = cfg->length_us;
	w.cap = cfg->capacity;
	w.start_us = t_us;
	if (!index_start(floor_div(t_us, w.len), w.len, &w.slot0))
		return 0;
	w.n = 1;
	map_usage(&w, usage);
	return slot_free(&w, 0);
}
