#include "config.h"

#include <ccon/slots.h>

#include "suites.h"
#include "testutil.h"

#include <inttypes.h>
#include <time.h>

#define MIN_US (60 * CCON_USEC_PER_SEC)
#define L CCON_SLOT_DEFAULT_LENGTH_US
#define CAP CCON_SLOT_DEFAULT_CAPACITY
/* 2026-12-01T09:00:00Z, a 15-minute boundary */
#define T0 (INT64_C(1796115600) * CCON_USEC_PER_SEC)
#define H48 CCON_SLOT_WINDOW_US

static const struct ccon_slot_config def = { L, CAP };

/* Free capacity of the slot at s, computed here from the usage, independently
 * of the library. */
static int64_t free_at(const struct ccon_slot_config *cfg, const struct ccon_slot_usage *u,
                       int64_t s)
{
	int64_t used = 0, i;

	if (u && u->count && !__builtin_sub_overflow(s / cfg->length_us,
	                                              u->origin_us / cfg->length_us, &i) &&
	    i >= 0 && i < (int64_t)u->count)
		used = u->used[i];
	return used >= cfg->capacity ? 0 : cfg->capacity - used;
}

/* Every placed plan: shares in time order, aligned, inside the window,
 * positive, within free capacity, summing to the audience. Plain C checks
 * (one ck_assert per share would dominate the run time). */
static void check_placed(const struct ccon_slot_config *cfg, const struct ccon_slot_usage *u,
                         int64_t start, int64_t audience, const struct ccon_slot_plan *p)
{
	int64_t sum = 0;
	size_t i;

	if (!cfg)
		cfg = &def;
	ck_assert_msg(!p->canceled, "canceled: %s", p->cancel_reason);
	ck_assert_int_eq(p->cancel_code, CCON_E_OK);
	ck_assert_ptr_nonnull(p->shares);
	ck_assert_uint_gt(p->n_shares, 0);
	for (i = 0; i < p->n_shares; i++) {
		const struct ccon_slot_share *sh = &p->shares[i];
		bool ok = sh->count > 0 && sh->count <= free_at(cfg, u, sh->slot_start_us) &&
		          sh->slot_start_us % cfg->length_us == 0 &&
		          sh->slot_start_us > start - cfg->length_us &&
		          sh->slot_start_us - start < H48 &&
		          (i == 0 || sh->slot_start_us > p->shares[i - 1].slot_start_us);

		if (!ok)
			ck_abort_msg("share %zu (%" PRId64 " at %" PRId64 ") breaks the rules", i,
			             sh->count, sh->slot_start_us);
		sum += sh->count;
	}
	ck_assert_int_eq(sum, audience);
}

static void plan_ok(const struct ccon_slot_config *cfg, const struct ccon_slot_usage *u,
                    int64_t start, int64_t audience, enum ccon_slicing cond,
                    struct ccon_slot_plan *p)
{
	struct ccon_error err = { 0 };

	ck_assert_msg(ccon_slot_plan_compute(cfg, u, start, audience, cond, p, &err) == 0, "%s",
	              err.message);
	check_placed(cfg, u, start, audience, p);
}

static void plan_canceled(const struct ccon_slot_config *cfg, const struct ccon_slot_usage *u,
                          int64_t start, int64_t audience, enum ccon_slicing cond,
                          enum ccon_errc code, struct ccon_slot_plan *p)
{
	struct ccon_error err = { 0 };

	ck_assert_msg(ccon_slot_plan_compute(cfg, u, start, audience, cond, p, &err) == 0, "%s",
	              err.message);
	ck_assert(p->canceled);
	ck_assert(p->slicing);
	ck_assert_msg(p->cancel_code == code, "want %s, got %s: %s", ccon_errc_name(code),
	              ccon_errc_name(p->cancel_code), p->cancel_reason);
	ck_assert_ptr_null(p->shares);
	ck_assert_uint_eq(p->n_shares, 0);
	ck_assert_str_ne(p->cancel_reason, "");
}

static void assert_share(const struct ccon_slot_plan *p, size_t i, int64_t start, int64_t count)
{
	ck_assert_uint_gt(p->n_shares, i);
	ck_assert_int_eq(p->shares[i].slot_start_us, start);
	ck_assert_int_eq(p->shares[i].count, count);
}

static void assert_contains(const char *s, const char *want)
{
	ck_assert_msg(strstr(s, want) != NULL, "\"%s\" does not contain \"%s\"", s, want);
}

START_TEST(fits_exactly_in_start_slot)
{
	int64_t used[] = { 300 };
	struct ccon_slot_usage u = { T0, used, 1 };
	struct ccon_slot_plan p;
	int c;

	for (c = 0; c < CCON_SLICING__COUNT; c++) {
		plan_ok(&def, NULL, T0, CAP, (enum ccon_slicing)c, &p);
		ck_assert(!p.slicing);
		ck_assert_uint_eq(p.n_shares, 1);
		assert_share(&p, 0, T0, CAP);
		ccon_slot_plan_free(&p);

		plan_ok(&def, &u, T0 + 5 * MIN_US, CAP - 300, (enum ccon_slicing)c, &p);
		ck_assert(!p.slicing);
		ck_assert_uint_eq(p.n_shares, 1);
		assert_share(&p, 0, T0, CAP - 300);
		ccon_slot_plan_free(&p);
	}
}
END_TEST

START_TEST(one_more_than_fits_activates_slicing)
{
	struct ccon_slot_plan p;
	int c;

	for (c = 0; c < CCON_SLICING__COUNT; c++) {
		plan_ok(&def, NULL, T0, CAP + 1, (enum ccon_slicing)c, &p);
		ck_assert(p.slicing);
		ck_assert_uint_eq(p.n_shares, 2);
		assert_share(&p, 0, T0, CAP);
		assert_share(&p, 1, T0 + L, 1);
		ccon_slot_plan_free(&p);
	}
}
END_TEST

START_TEST(exact_fit_across_slots)
{
	int64_t used[] = { 250, 0, 500 };
	struct ccon_slot_usage u = { T0, used, 3 };
	struct ccon_slot_plan p;

	plan_ok(&def, NULL, T0, 3 * CAP, CCON_SLICING_FRAGMENTED, &p);
	ck_assert_uint_eq(p.n_shares, 3);
	assert_share(&p, 2, T0 + 2 * L, CAP);
	ccon_slot_plan_free(&p);

	plan_ok(&def, &u, T0, 3 * CAP - 750, CCON_SLICING_IMMEDIATE_CONSECUTIVE, &p);
	ck_assert_uint_eq(p.n_shares, 3);
	assert_share(&p, 0, T0, CAP - 250);
	assert_share(&p, 1, T0 + L, CAP);
	assert_share(&p, 2, T0 + 2 * L, CAP - 500);
	ccon_slot_plan_free(&p);
}
END_TEST

START_TEST(start_in_middle_of_slot)
{
	struct ccon_slot_plan p;

	plan_ok(&def, NULL, T0 + 7 * MIN_US, CAP + 10, CCON_SLICING_FRAGMENTED, &p);
	ck_assert_int_eq(p.window_start_us, T0);
	ck_assert_uint_eq(p.window_slots, 193);
	assert_share(&p, 0, T0, CAP);
	assert_share(&p, 1, T0 + L, 10);
	ccon_slot_plan_free(&p);

	plan_ok(&def, NULL, T0, 1, CCON_SLICING_FRAGMENTED, &p);
	ck_assert_int_eq(p.window_start_us, T0);
	ck_assert_uint_eq(p.window_slots, 192);
	ccon_slot_plan_free(&p);
}
END_TEST

START_TEST(zero_free_in_start_slot)
{
	int64_t used[] = { CAP };
	struct ccon_slot_usage u = { T0, used, 1 };
	struct ccon_slot_plan p;

	plan_ok(&def, &u, T0, 10, CCON_SLICING_FRAGMENTED, &p);
	ck_assert(p.slicing);
	ck_assert_uint_eq(p.n_shares, 1);
	assert_share(&p, 0, T0 + L, 10);
	ccon_slot_plan_free(&p);

	plan_ok(&def, &u, T0, 10, CCON_SLICING_DEFERRED_CONSECUTIVE, &p);
	assert_share(&p, 0, T0 + L, 10);
	ccon_slot_plan_free(&p);

	plan_canceled(&def, &u, T0, 10, CCON_SLICING_IMMEDIATE_CONSECUTIVE,
	              CCON_E_SLOTS_NOT_CONSECUTIVE, &p);
	assert_contains(p.cancel_reason, "start slot 2026-12-01T09:00:00Z is full");
	ccon_slot_plan_free(&p);
}
END_TEST

START_TEST(used_above_capacity_is_full)
{
	int64_t used[] = { 5 * CAP, CAP - 1, INT64_MAX };
	struct ccon_slot_usage u = { T0, used, 3 };
	struct ccon_slot_plan p;

	ck_assert_int_eq(ccon_slot_free(&def, &u, T0), 0);
	ck_assert_int_eq(ccon_slot_free(&def, &u, T0 + L + 3), 1);
	ck_assert_int_eq(ccon_slot_free(&def, &u, T0 + 2 * L), 0);
	ck_assert_int_eq(ccon_slot_free(&def, &u, T0 + 3 * L), CAP);
	ck_assert_int_eq(ccon_slot_free(&def, &u, T0 - 1), CAP);
	/* unchecked input: a negative count is no count, never extra room */
	used[1] = -7;
	ck_assert_int_eq(ccon_slot_free(&def, &u, T0 + L), CAP);
	used[1] = CAP - 1;
	/* invalid configurations have no room */
	ck_assert_int_eq(ccon_slot_free(&(struct ccon_slot_config){ 999999, CAP }, &u, T0 + L), 0);
	ck_assert_int_eq(ccon_slot_free(&(struct ccon_slot_config){ L, 0 }, &u, T0 + L), 0);
	/* NULL means the defaults */
	ck_assert_int_eq(ccon_slot_free(NULL, &u, T0 + L), 1);
	ck_assert_int_eq(ccon_slot_start(NULL, T0 + 7 * MIN_US), T0);

	plan_ok(&def, &u, T0, 2, CCON_SLICING_FRAGMENTED, &p);
	ck_assert(p.slicing);
	assert_share(&p, 0, T0 + L, 1);
	assert_share(&p, 1, T0 + 3 * L, 1);
	ccon_slot_plan_free(&p);
}
END_TEST

START_TEST(window_edge)
{
	struct ccon_slot_plan p;
	int64_t n = H48 / L;

	/* aligned: the slot at T0 + 48 h starts exactly at the end, out */
	plan_ok(&def, NULL, T0, n * CAP, CCON_SLICING_FRAGMENTED, &p);
	ck_assert_uint_eq(p.window_slots, (size_t)n);
	assert_share(&p, p.n_shares - 1, T0 + H48 - L, CAP);
	ccon_slot_plan_free(&p);
	plan_canceled(&def, NULL, T0, n * CAP + 1, CCON_SLICING_FRAGMENTED,
	              CCON_E_SLOTS_NO_CAPACITY, &p);
	ccon_slot_plan_free(&p);

	/* 1 µs later: the slot at T0 + 48 h starts 1 µs before the end, in */
	plan_ok(&def, NULL, T0 + 1, (n + 1) * CAP, CCON_SLICING_FRAGMENTED, &p);
	ck_assert_uint_eq(p.window_slots, (size_t)n + 1);
	assert_share(&p, p.n_shares - 1, T0 + H48, CAP);
	ccon_slot_plan_free(&p);
	plan_canceled(&def, NULL, T0 + 1, (n + 1) * CAP + 1, CCON_SLICING_FRAGMENTED,
	              CCON_E_SLOTS_NO_CAPACITY, &p);
	ccon_slot_plan_free(&p);

	/* the last instant of the start slot still gives n + 1 slots */
	plan_ok(&def, NULL, T0 + L - 1, (n + 1) * CAP, CCON_SLICING_IMMEDIATE_CONSECUTIVE, &p);
	ck_assert_uint_eq(p.window_slots, (size_t)n + 1);
	ccon_slot_plan_free(&p);
}
END_TEST

START_TEST(fragmented_skips_full_slots)
{
	int64_t used[] = { 0, CAP, CAP, 0 };
	struct ccon_slot_usage u = { T0, used, 4 };
	struct ccon_slot_plan p;

	plan_ok(&def, &u, T0, 2500, CCON_SLICING_FRAGMENTED, &p);
	ck_assert_uint_eq(p.n_shares, 3);
	assert_share(&p, 0, T0, CAP);
	assert_share(&p, 1, T0 + 3 * L, CAP);
	assert_share(&p, 2, T0 + 4 * L, 500);
	ccon_slot_plan_free(&p);
}
END_TEST

START_TEST(immediate_canceled_by_full_slot)
{
	int64_t used[] = { 0, 0, CAP };
	struct ccon_slot_usage u = { T0, used, 3 };
	struct ccon_slot_plan p;

	plan_canceled(&def, &u, T0, 2500, CCON_SLICING_IMMEDIATE_CONSECUTIVE,
	              CCON_E_SLOTS_NOT_CONSECUTIVE, &p);
	ck_assert_str_eq(p.cancel_reason,
	                 "consecutive slots from 2026-12-01T09:00:00Z hold 2,000 free places for 2,500 "
	                 "recipients: the slot at 2026-12-01T09:30:00Z is full");
	ccon_slot_plan_free(&p);

	/* the same send fits fragmented, so the cancel is the condition's */
	plan_ok(&def, &u, T0, 2500, CCON_SLICING_FRAGMENTED, &p);
	ccon_slot_plan_free(&p);
}
END_TEST

START_TEST(immediate_run_to_window_end)
{
	static int64_t used[192];
	struct ccon_slot_usage u = { T0, used, 192 };
	struct ccon_slot_plan p;
	size_t i;

	/* every slot of the aligned window has 10 free places: 1,920 */
	for (i = 0; i < 192; i++)
		used[i] = CAP - 10;
	plan_ok(&def, &u, T0, 1920, CCON_SLICING_IMMEDIATE_CONSECUTIVE, &p);
	ck_assert_uint_eq(p.n_shares, 192);
	assert_share(&p, 191, T0 + H48 - L, 10);
	ccon_slot_plan_free(&p);
	/* a run that reaches the window's end short of the audience means the
	 * whole window lacks capacity */
	plan_canceled(&def, &u, T0, 1921, CCON_SLICING_IMMEDIATE_CONSECUTIVE,
	              CCON_E_SLOTS_NO_CAPACITY, &p);
	ccon_slot_plan_free(&p);
	/* a mid-slot start adds the slot at T0 + 48 h (outside the usage: free) */
	plan_ok(&def, &u, T0 + 1, 1921, CCON_SLICING_IMMEDIATE_CONSECUTIVE, &p);
	ck_assert_uint_eq(p.n_shares, 193);
	assert_share(&p, 192, T0 + H48, 1);
	ccon_slot_plan_free(&p);
}
END_TEST

START_TEST(immediate_succeeds_on_long_run)
{
	int64_t used[] = { 200, 300, 0, CAP };
	struct ccon_slot_usage u = { T0, used, 4 };
	struct ccon_slot_plan p;

	plan_ok(&def, &u, T0, 2000, CCON_SLICING_IMMEDIATE_CONSECUTIVE, &p);
	ck_assert(p.slicing);
	ck_assert_uint_eq(p.n_shares, 3);
	assert_share(&p, 0, T0, 800);
	assert_share(&p, 1, T0 + L, 700);
	assert_share(&p, 2, T0 + 2 * L, 500);
	ccon_slot_plan_free(&p);
}
END_TEST

START_TEST(deferred_skips_short_run)
{
	int64_t used[] = { 0, CAP, 0, 0, CAP, 0, 0, 0, CAP };
	struct ccon_slot_usage u = { T0, used, 9 };
	struct ccon_slot_plan p;

	plan_ok(&def, &u, T0, 2500, CCON_SLICING_DEFERRED_CONSECUTIVE, &p);
	ck_assert_uint_eq(p.n_shares, 3);
	assert_share(&p, 0, T0 + 5 * L, CAP);
	assert_share(&p, 1, T0 + 6 * L, CAP);
	assert_share(&p, 2, T0 + 7 * L, 500);
	ccon_slot_plan_free(&p);

	/* 2,000 fits the run at slots 2-3, which is earlier */
	plan_ok(&def, &u, T0, 2000, CCON_SLICING_DEFERRED_CONSECUTIVE, &p);
	ck_assert_uint_eq(p.n_shares, 2);
	assert_share(&p, 0, T0 + 2 * L, CAP);
	assert_share(&p, 1, T0 + 3 * L, CAP);
	ccon_slot_plan_free(&p);

	/* the same usage: immediate cancels, fragmented fills the gaps */
	plan_canceled(&def, &u, T0, 2500, CCON_SLICING_IMMEDIATE_CONSECUTIVE,
	              CCON_E_SLOTS_NOT_CONSECUTIVE, &p);
	assert_contains(p.cancel_reason, "the slot at 2026-12-01T09:15:00Z is full");
	ccon_slot_plan_free(&p);
	plan_ok(&def, &u, T0, 2500, CCON_SLICING_FRAGMENTED, &p);
	assert_share(&p, 1, T0 + 2 * L, CAP);
	assert_share(&p, 2, T0 + 3 * L, 500);
	ccon_slot_plan_free(&p);
}
END_TEST

START_TEST(deferred_equals_immediate_when_start_run_holds)
{
	int64_t used[] = { 900, 900, 900, CAP };
	struct ccon_slot_usage u = { T0, used, 4 };
	struct ccon_slot_plan a, b;

	plan_ok(&def, &u, T0, 250, CCON_SLICING_DEFERRED_CONSECUTIVE, &a);
	plan_ok(&def, &u, T0, 250, CCON_SLICING_IMMEDIATE_CONSECUTIVE, &b);
	ck_assert_uint_eq(a.n_shares, 3);
	ck_assert_uint_eq(a.n_shares, b.n_shares);
	ck_assert_mem_eq(a.shares, b.shares, a.n_shares * sizeof(*a.shares));
	assert_share(&a, 0, T0, 100);
	ccon_slot_plan_free(&a);
	ccon_slot_plan_free(&b);
}
END_TEST

START_TEST(deferred_canceled)
{
	static int64_t used[192];
	struct ccon_slot_usage u = { T0, used, 192 };
	struct ccon_slot_plan p;
	size_t i;

	for (i = 0; i < 192; i++)
		used[i] = i % 2 ? CAP : 0;
	/* odd slots full: runs of one slot, all as large; the earliest is named */
	plan_canceled(&def, &u, T0, 1001, CCON_SLICING_DEFERRED_CONSECUTIVE,
	              CCON_E_SLOTS_NOT_CONSECUTIVE, &p);
	assert_contains(p.cancel_reason, "the largest holds 1,000 (from 2026-12-01T09:00:00Z)");
	ccon_slot_plan_free(&p);

	/* now slots 10-12 make one run of 3,000 */
	used[11] = 0;
	plan_canceled(&def, &u, T0, 3001, CCON_SLICING_DEFERRED_CONSECUTIVE,
	              CCON_E_SLOTS_NOT_CONSECUTIVE, &p);
	ck_assert_str_eq(p.cancel_reason,
	                 "no run of consecutive free slots in the 48 h from 2026-12-01T09:00:00Z holds "
	                 "3,001 recipients; the largest holds 3,000 (from 2026-12-01T11:30:00Z)");
	ccon_slot_plan_free(&p);

	plan_ok(&def, &u, T0, 3000, CCON_SLICING_DEFERRED_CONSECUTIVE, &p);
	assert_share(&p, 0, T0 + 10 * L, CAP);
	ck_assert_uint_eq(p.n_shares, 3);
	ccon_slot_plan_free(&p);

	plan_ok(&def, &u, T0, 3001, CCON_SLICING_FRAGMENTED, &p);
	ccon_slot_plan_free(&p);
}
END_TEST

START_TEST(window_lacks_capacity)
{
	static int64_t used[192];
	struct ccon_slot_usage u = { T0, used, 192 };
	struct ccon_slot_plan p;
	size_t i;
	int c;

	for (i = 0; i < 192; i++)
		used[i] = CAP - 10;
	/* precedence: every condition says the window lacks capacity */
	for (c = 0; c < CCON_SLICING__COUNT; c++) {
		plan_canceled(&def, &u, T0, 5000, (enum ccon_slicing)c, CCON_E_SLOTS_NO_CAPACITY, &p);
		ck_assert_str_eq(p.cancel_reason,
		                 "48 h from 2026-12-01T09:00:00Z hold 1,920 free places for 5,000 recipients");
		ccon_slot_plan_free(&p);
	}
	plan_ok(&def, &u, T0, 1920, CCON_SLICING_FRAGMENTED, &p);
	ck_assert_uint_eq(p.n_shares, 192);
	ccon_slot_plan_free(&p);
}
END_TEST

START_TEST(usage_before_after_and_empty)
{
	int64_t before[] = { CAP, CAP, CAP, CAP, 0 };
	int64_t after[] = { CAP };
	struct ccon_slot_usage ub = { T0 - 3 * L, before, 5 };
	struct ccon_slot_usage ua = { T0 + 2 * L, after, 1 };
	struct ccon_slot_usage ue = { T0, NULL, 0 };
	struct ccon_slot_usage far = { -L * (INT64_MAX / L), before, 5 };
	struct ccon_slot_plan p, q;

	/* before[3] is the start slot */
	plan_ok(&def, &ub, T0, 10, CCON_SLICING_FRAGMENTED, &p);
	assert_share(&p, 0, T0 + L, 10);
	ccon_slot_plan_free(&p);

	plan_ok(&def, &ua, T0, 2500, CCON_SLICING_FRAGMENTED, &p);
	assert_share(&p, 0, T0, CAP);
	assert_share(&p, 1, T0 + L, CAP);
	assert_share(&p, 2, T0 + 3 * L, 500);
	ccon_slot_plan_free(&p);

	plan_ok(&def, &ue, T0, 2500, CCON_SLICING_FRAGMENTED, &p);
	plan_ok(&def, NULL, T0, 2500, CCON_SLICING_FRAGMENTED, &q);
	ck_assert_uint_eq(p.n_shares, 3);
	ck_assert_uint_eq(p.n_shares, q.n_shares);
	ck_assert_mem_eq(p.shares, q.shares, p.n_shares * sizeof(*p.shares));
	ccon_slot_plan_free(&q);

	/* a usage far in the past touches nothing */
	plan_ok(&def, &far, T0, 2500, CCON_SLICING_FRAGMENTED, &q);
	ck_assert_mem_eq(p.shares, q.shares, p.n_shares * sizeof(*p.shares));
	ccon_slot_plan_free(&p);
	ccon_slot_plan_free(&q);

	/* a usage whose first slot is the window's last one */
	ua.origin_us = T0 + H48 - L;
	plan_canceled(&def, &ua, T0, 191 * CAP + 1, CCON_SLICING_FRAGMENTED,
	              CCON_E_SLOTS_NO_CAPACITY, &p);
	ccon_slot_plan_free(&p);
	plan_ok(&def, &ua, T0, 191 * CAP, CCON_SLICING_FRAGMENTED, &p);
	assert_share(&p, 190, T0 + H48 - 2 * L, CAP);
	ccon_slot_plan_free(&p);

	/* a usage ending right before the start slot touches nothing either */
	ub.origin_us = T0 - 5 * L;
	plan_ok(&def, &ub, T0, 1000, CCON_SLICING_FRAGMENTED, &p);
	ck_assert(!p.slicing);
	ccon_slot_plan_free(&p);
}
END_TEST

START_TEST(negative_times)
{
	struct ccon_slot_plan p;
	int64_t used[] = { CAP };
	struct ccon_slot_usage u = { -L, used, 1 };

	ck_assert_int_eq(ccon_slot_start(&def, -1), -L);
	ck_assert_int_eq(ccon_slot_start(&def, -L), -L);
	ck_assert_int_eq(ccon_slot_start(&def, -L - 1), -2 * L);
	ck_assert_int_eq(ccon_slot_start(&def, 0), 0);
	ck_assert_int_eq(ccon_slot_start(&def, L - 1), 0);
	ck_assert_int_eq(ccon_slot_start(&def, T0 + 7 * MIN_US), T0);

	plan_canceled(&def, &u, -1, 5, CCON_SLICING_IMMEDIATE_CONSECUTIVE,
	              CCON_E_SLOTS_NOT_CONSECUTIVE, &p);
	ck_assert_int_eq(p.window_start_us, -L);
	assert_contains(p.cancel_reason, "1969-12-31T23:45:00Z");
	ccon_slot_plan_free(&p);
}
END_TEST

START_TEST(reason_instants_are_exact)
{
	int64_t used[] = { CAP };
	struct ccon_slot_usage u = { T0, used, 1 };
	struct ccon_slot_plan p;

	plan_canceled(&def, &u, T0 + 5 * CCON_USEC_PER_SEC + 250000, 1,
	              CCON_SLICING_IMMEDIATE_CONSECUTIVE, CCON_E_SLOTS_NOT_CONSECUTIVE, &p);
	assert_contains(p.cancel_reason, "2026-12-01T09:00:00Z is full");
	ccon_slot_plan_free(&p);

	plan_canceled(&def, NULL, T0 + 5 * CCON_USEC_PER_SEC + 250000, 200 * CAP,
	              CCON_SLICING_FRAGMENTED, CCON_E_SLOTS_NO_CAPACITY, &p);
	assert_contains(p.cancel_reason, "48 h from 2026-12-01T09:00:05.250Z hold 193,000 free");
	ccon_slot_plan_free(&p);

	/* singular nouns */
	plan_canceled(&def, &u, T0, 1, CCON_SLICING_IMMEDIATE_CONSECUTIVE,
	              CCON_E_SLOTS_NOT_CONSECUTIVE, &p);
	assert_contains(p.cancel_reason, "for 1 recipient");
	ck_assert_ptr_null(strstr(p.cancel_reason, "1 recipients"));
	ccon_slot_plan_free(&p);
	used[0] = CAP - 1;
	plan_canceled(&def, &u, T0, 193 * CAP, CCON_SLICING_FRAGMENTED, CCON_E_SLOTS_NO_CAPACITY,
	              &p);
	assert_contains(p.cancel_reason, "hold 191,001 free places for 193,000 recipients");
	ccon_slot_plan_free(&p);

	/* beyond the year 9999: a signed year, the same shape */
	plan_canceled(&def, NULL, INT64_MAX - H48, 200 * CAP, CCON_SLICING_FRAGMENTED,
	              CCON_E_SLOTS_NO_CAPACITY, &p);
	assert_contains(p.cancel_reason, "48 h from +294247-01-08T04:00:54.775807Z hold");
	ccon_slot_plan_free(&p);

	/* leap day, seconds without fraction */
	plan_canceled(&def, NULL, INT64_C(951782405) * CCON_USEC_PER_SEC, 200 * CAP,
	              CCON_SLICING_FRAGMENTED, CCON_E_SLOTS_NO_CAPACITY, &p);
	assert_contains(p.cancel_reason, "from 2000-02-29T00:00:05Z hold");
	ccon_slot_plan_free(&p);
}
END_TEST

START_TEST(huge_numbers_do_not_overflow)
{
	struct ccon_slot_config big = { L, INT64_MAX };
	int64_t used[] = { INT64_MAX - 1 };
	struct ccon_slot_usage u = { T0, used, 1 };
	struct ccon_slot_plan p;
	int c;

	plan_ok(&big, NULL, T0, INT64_MAX, CCON_SLICING_FRAGMENTED, &p);
	ck_assert(!p.slicing);
	ccon_slot_plan_free(&p);
	for (c = 0; c < CCON_SLICING__COUNT; c++) {
		plan_ok(&big, &u, T0, INT64_MAX, (enum ccon_slicing)c, &p);
		ck_assert(p.slicing);
		assert_share(&p, 0, T0, 1);
		assert_share(&p, 1, T0 + L, INT64_MAX - 1);
		ccon_slot_plan_free(&p);
	}
	plan_canceled(&def, NULL, T0, INT64_MAX, CCON_SLICING_DEFERRED_CONSECUTIVE,
	              CCON_E_SLOTS_NO_CAPACITY, &p);
	assert_contains(p.cancel_reason, "for 9,223,372,036,854,775,807 recipients");
	ccon_slot_plan_free(&p);
}
END_TEST

START_TEST(deterministic)
{
	static int64_t used[400];
	struct ccon_slot_usage u = { T0 - 50 * L, used, 400 };
	struct ccon_slot_plan a, b;
	int64_t audience;
	uint32_t x = 12345;
	size_t i;
	int c, placed = 0, canceled = 0;

	for (i = 0; i < 400; i++) {
		x = x * 1103515245u + 12345u;
		used[i] = (int64_t)((x >> 8) % 1300);
	}
	for (c = 0; c < CCON_SLICING__COUNT; c++) {
		for (audience = 500; audience <= 64000; audience *= 2) {
			ck_assert_int_eq(ccon_slot_plan_compute(&def, &u, T0 + 3, audience,
			                                        (enum ccon_slicing)c, &a, NULL), 0);
			ck_assert_int_eq(ccon_slot_plan_compute(&def, &u, T0 + 3, audience,
			                                        (enum ccon_slicing)c, &b, NULL), 0);
			ck_assert(a.slicing == b.slicing);
			ck_assert(a.canceled == b.canceled);
			ck_assert_int_eq(a.cancel_code, b.cancel_code);
			ck_assert_str_eq(a.cancel_reason, b.cancel_reason);
			ck_assert_uint_eq(a.n_shares, b.n_shares);
			if (a.n_shares)
				ck_assert_mem_eq(a.shares, b.shares, a.n_shares * sizeof(*a.shares));
			if (a.canceled) {
				canceled++;
			} else {
				check_placed(&def, &u, T0 + 3, audience, &a);
				placed++;
			}
			ccon_slot_plan_free(&a);
			ccon_slot_plan_free(&b);
		}
	}
	/* the inputs exercise both outcomes */
	ck_assert_int_gt(placed, 0);
	ck_assert_int_gt(canceled, 0);
}
END_TEST

START_TEST(one_second_slots_are_fast)
{
	struct ccon_slot_config sec = { CCON_USEC_PER_SEC, 1 };
	struct ccon_slot_plan p;
	clock_t t, spent = 0;
	int c;

	for (c = 0; c < CCON_SLICING__COUNT; c++) {
		t = clock();
		ck_assert_int_eq(ccon_slot_plan_compute(&sec, NULL, T0 + 500000, 172801,
		                                        (enum ccon_slicing)c, &p, NULL), 0);
		spent += clock() - t;
		check_placed(&sec, NULL, T0 + 500000, 172801, &p);
		ck_assert_uint_eq(p.window_slots, 172801);
		ck_assert_uint_eq(p.n_shares, 172801);
		assert_share(&p, 172800, T0 + H48, 1);
		ccon_slot_plan_free(&p);
		t = clock();
		ck_assert_int_eq(ccon_slot_plan_compute(&sec, NULL, T0 + 500000, 172802,
		                                        (enum ccon_slicing)c, &p, NULL), 0);
		spent += clock() - t;
		ck_assert_int_eq(p.cancel_code, CCON_E_SLOTS_NO_CAPACITY);
		ccon_slot_plan_free(&p);
	}
	/* 1-minute slots: 2,881 from a mid-slot start */
	sec.length_us = MIN_US;
	plan_ok(&sec, NULL, T0 + 1, 2881, CCON_SLICING_FRAGMENTED, &p);
	ck_assert_uint_eq(p.window_slots, 2881);
	ccon_slot_plan_free(&p);
	/* six plans of 172,801 slots; O(slots) takes milliseconds even under
	 * sanitizers, a quadratic planner would take minutes */
	ck_assert_msg(spent < CLOCKS_PER_SEC, "took %.2f s", (double)spent / CLOCKS_PER_SEC);
}
END_TEST

static void expect_invalid(const struct ccon_slot_config *cfg, const struct ccon_slot_usage *u,
                           int64_t start, int64_t audience, const char *path)
{
	struct ccon_error err = { 0 };
	struct ccon_slot_plan p;

	p.shares = (void *)&p; /* garbage that must be reset */
	p.n_shares = 7;
	ck_assert_int_eq(ccon_slot_plan_compute(cfg, u, start, audience, CCON_SLICING_FRAGMENTED,
	                                        &p, &err), -1);
	ck_assert_errc(err, CCON_E_SLOTS_INVALID);
	ck_assert_str_eq(err.path, path);
	ck_assert_str_ne(err.message, "");
	ck_assert_ptr_null(p.shares);
	ck_assert_uint_eq(p.n_shares, 0);
	ccon_slot_plan_free(&p);
}

START_TEST(invalid_configs)
{
	struct ccon_slot_config c0 = { 0, CAP }, cneg = { -L, CAP }, cshort = { 999999, CAP };
	struct ccon_slot_config k0 = { L, 0 }, kneg = { L, -1 };
	int64_t used[] = { 1, -1 };
	struct ccon_slot_usage misaligned = { T0 + 1, used, 1 };
	struct ccon_slot_usage noarray = { T0, NULL, 3 };
	struct ccon_slot_usage negative = { T0, used, 2 };
	struct ccon_error err = { 0 };
	struct ccon_slot_plan p;

	expect_invalid(&c0, NULL, T0, 1, "length_us");
	expect_invalid(&cneg, NULL, T0, 1, "length_us");
	expect_invalid(&cshort, NULL, T0, 1, "length_us");
	expect_invalid(&k0, NULL, T0, 1, "capacity");
	expect_invalid(&kneg, NULL, T0, 1, "capacity");
	expect_invalid(&def, NULL, T0, 0, "audience");
	expect_invalid(&def, NULL, T0, -5, "audience");
	expect_invalid(&def, NULL, INT64_MAX - H48 + 1, 1, "start_us");
	expect_invalid(&def, NULL, INT64_MIN, 1, "start_us");
	expect_invalid(&def, &misaligned, T0, 1, "usage.origin_us");
	expect_invalid(&def, &noarray, T0, 1, "usage.used");
	expect_invalid(&def, &negative, T0, 1, "usage.used[1]");

	/* the limits themselves are valid */
	cshort.length_us = CCON_SLOT_MIN_LENGTH_US;
	plan_ok(&cshort, NULL, INT64_MAX - H48, 1, CCON_SLICING_FRAGMENTED, &p);
	ccon_slot_plan_free(&p);
	plan_ok(&cshort, NULL, INT64_MIN + CCON_SLOT_MIN_LENGTH_US, 1, CCON_SLICING_FRAGMENTED, &p);
	ccon_slot_plan_free(&p);

	ck_assert_int_eq(ccon_slot_plan_compute(&def, NULL, T0, 1, CCON_SLICING__COUNT, &p, &err),
	                 -1);
	ck_assert_errc(err, CCON_E_INVALID_ARGUMENT);
	ck_assert_int_eq(ccon_slot_plan_compute(&def, NULL, T0, 1, CCON_SLICING_FRAGMENTED, NULL,
	                                        NULL), -1);

	/* cfg NULL means the defaults */
	plan_ok(NULL, NULL, T0, CAP + 1, CCON_SLICING_FRAGMENTED, &p);
	ck_assert_uint_eq(p.window_slots, 192);
	assert_share(&p, 1, T0 + L, 1);
	ccon_slot_plan_free(&p);
}
END_TEST

START_TEST(slicing_names)
{
	static const char *const names[] = { "fragmentedSlots", "immediateConsecutiveSlots",
	                                     "deferredConsecutiveSlots" };
	struct ccon_error err = { 0 };
	enum ccon_slicing s = CCON_SLICING_DEFERRED_CONSECUTIVE;
	int i;

	for (i = 0; i < CCON_SLICING__COUNT; i++) {
		ck_assert_str_eq(ccon_slicing_name((enum ccon_slicing)i), names[i]);
		ck_assert_int_eq(ccon_slicing_parse(names[i], &s, &err), 0);
		ck_assert_int_eq(s, i);
	}
	ck_assert_ptr_null(ccon_slicing_name(CCON_SLICING__COUNT));

	s = CCON_SLICING_DEFERRED_CONSECUTIVE;
	ck_assert_int_eq(ccon_slicing_parse(NULL, &s, &err), 0);
	ck_assert_int_eq(s, CCON_SLICING_FRAGMENTED);
	s = CCON_SLICING_DEFERRED_CONSECUTIVE;
	ck_assert_int_eq(ccon_slicing_parse("", &s, &err), 0);
	ck_assert_int_eq(s, CCON_SLICING_FRAGMENTED);

	ck_assert_int_eq(ccon_slicing_parse("FragmentedSlots", &s, &err), -1);
	ck_assert_errc(err, CCON_E_SLICING_UNKNOWN);
	assert_contains(err.message, "\"FragmentedSlots\"");
	for (i = 0; i < CCON_SLICING__COUNT; i++)
		assert_contains(err.message, names[i]);

	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_slicing_parse("fragmentedSlots ", &s, &err), -1);
	ck_assert_errc(err, CCON_E_SLICING_UNKNOWN);
	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_slicing_parse("bad\x1b[2J", &s, &err), -1);
	ck_assert_errc(err, CCON_E_SLICING_UNKNOWN);
	ck_assert_ptr_null(strchr(err.message, '\x1b'));
	assert_contains(err.message, names[2]);
}
END_TEST

Suite *ccon_suite_slots(void)
{
	Suite *s = suite_create("slots");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, fits_exactly_in_start_slot);
	tcase_add_test(tc, one_more_than_fits_activates_slicing);
	tcase_add_test(tc, exact_fit_across_slots);
	tcase_add_test(tc, start_in_middle_of_slot);
	tcase_add_test(tc, zero_free_in_start_slot);
	tcase_add_test(tc, used_above_capacity_is_full);
	tcase_add_test(tc, window_edge);
	tcase_add_test(tc, fragmented_skips_full_slots);
	tcase_add_test(tc, immediate_canceled_by_full_slot);
	tcase_add_test(tc, immediate_run_to_window_end);
	tcase_add_test(tc, immediate_succeeds_on_long_run);
	tcase_add_test(tc, deferred_skips_short_run);
	tcase_add_test(tc, deferred_equals_immediate_when_start_run_holds);
	tcase_add_test(tc, deferred_canceled);
	tcase_add_test(tc, window_lacks_capacity);
	tcase_add_test(tc, usage_before_after_and_empty);
	tcase_add_test(tc, negative_times);
	tcase_add_test(tc, reason_instants_are_exact);
	tcase_add_test(tc, huge_numbers_do_not_overflow);
	tcase_add_test(tc, deterministic);
	tcase_add_test(tc, one_second_slots_are_fast);
	tcase_add_test(tc, invalid_configs);
	tcase_add_test(tc, slicing_names);
	suite_add_tcase(s, tc);
	return s;
}
