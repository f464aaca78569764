/* send_timeline.c - send_draft.h's slot timeline: the slots view and the
 * dry-run answers merged into what the wizard draws. */
#include "config.h"

#include <ccon/send_draft.h>

#include <ccon/json_util.h>

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int nomem(struct ccon_error *err)
{
	return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
}

void ccon_timeline_free(struct ccon_timeline *t)
{
	if (!t)
		return;
	for (size_t i = 0; t->batches && i < t->n_batches; i++)
		free(t->batches[i].shares);
	free(t->batches);
	free(t->rows);
	memset(t, 0, sizeof(*t));
}

/* Others' use per window slot from the view; false when the view's slots
 * are not the answer's (another length or misaligned: a stale view). */
static bool usage_from_view(const struct ccon_slots_view *v, int64_t origin, int64_t length,
                            int64_t *used, size_t count)
{
	bool ok = !v || v->length_us == length;

	for (size_t i = 0; v && i < v->count; i++) {
		int64_t off = v->rows[i].start_us - origin;

		if (off % length != 0) {
			ok = false;
			continue;
		}
		if (off >= 0 && (size_t)(off / length) < count)
			used[off / length] = v->rows[i].reserved;
	}
	return ok;
}

static bool shares_equal(const struct ccon_slot_plan *p, const struct ccon_send_answer *a)
{
	if (p->canceled != (a->cancel_code != NULL) || p->slicing != a->activated ||
	    p->n_shares != a->n_plan)
		return false;
	if (p->canceled && strcmp(ccon_errc_name(p->cancel_code), a->cancel_code) != 0)
		return false;
	for (size_t i = 0; i < p->n_shares; i++)
		if (p->shares[i].slot_start_us != a->plan[i].slot_start_us ||
		    p->shares[i].count != a->plan[i].count)
			return false;
	return true;
}

static int batch_from_answer(struct ccon_timeline_batch *b, const struct ccon_send_answer *a)
{
	b->audience = a->accepted;
	b->activated = a->activated;
	b->canceled = a->cancel_code != NULL;
	snprintf(b->cancel_code, sizeof(b->cancel_code), "%s", a->cancel_code ? a->cancel_code : "");
	snprintf(b->cancel_reason, sizeof(b->cancel_reason), "%s",
	         a->cancel_reason ? a->cancel_reason : "");
	if (a->n_plan && !(b->shares = malloc(a->n_plan * sizeof(*b->shares))))
		return -1;
	if (a->n_plan)
		memcpy(b->shares, a->plan, a->n_plan * sizeof(*b->shares));
	b->n_shares = a->n_plan;
	return 0;
}

static void batch_from_plan(struct ccon_timeline_batch *b, struct ccon_slot_plan *p, int64_t n)
{
	b->audience = n;
	b->activated = p->slicing;
	b->canceled = p->canceled;
	snprintf(b->cancel_code, sizeof(b->cancel_code), "%s",
	         p->canceled ? ccon_errc_name(p->cancel_code) : "");
	snprintf(b->cancel_reason, sizeof(b->cancel_reason), "%s", p->canceled ? p->cancel_reason : "");
	b->shares = p->shares;
	b->n_shares = p->n_shares;
	p->shares = NULL;
	p->n_shares = 0;
}

static void add_shares(const struct ccon_timeline_batch *b, int64_t origin, int64_t length,
                       int64_t *mine, size_t count)
{
	for (size_t k = 0; k < b->n_shares; k++) {
		int64_t off = b->shares[k].slot_start_us - origin;

		if (off >= 0 && off % length == 0 && (size_t)(off / length) < count)
			mine[off / length] += b->shares[k].count;
	}
}

/* Plans request i > 0 as ccond will: over others' use plus the shares of
 * the requests before it. */
static int plan_next(const struct ccon_slot_config *cfg, int64_t origin, const int64_t *others,
                     const int64_t *mine, size_t count, const struct ccon_send_answer *a,
                     struct ccon_timeline_batch *b, struct ccon_error *err)
{
	int64_t *used = malloc((count ? count : 1) * sizeof(*used));
	struct ccon_slot_usage u = { origin, used, count };
	struct ccon_slot_plan p;
	int rc;

	if (!used)
		return nomem(err);
	for (size_t k = 0; k < count; k++)
		used[k] = others[k] + mine[k];
	memset(&p, 0, sizeof(p));
	rc = ccon_slot_plan_compute(cfg, &u, a->send_at_us, a->accepted, a->condition, &p, err);
	if (rc == 0)
		batch_from_plan(b, &p, a->accepted);
	ccon_slot_plan_free(&p);
	free(used);
	return rc;
}

static void rows_fill(struct ccon_timeline *t, const int64_t *others, const int64_t *mine,
                      int64_t origin)
{
	for (size_t k = 0; k < t->count; k++) {
		struct ccon_timeline_row *r = &t->rows[k];
		int64_t left = t->capacity - others[k] - mine[k];

		r->start_us = origin + (int64_t)k * t->length_us;
		r->capacity = t->capacity;
		r->others = others[k];
		r->mine = mine[k];
		r->free = left > 0 ? left : 0;
		r->start = k == 0;
		r->activated = k == 0 && t->activated;
	}
}

static int timeline_check_input(const struct ccon_send_answer *dry, size_t n_dry,
                                struct ccon_error *err)
{
	if (!n_dry) {
		ccon_error_set(err, CCON_E_INVALID_ARGUMENT, "no dry-run answer to draw");
		return -1;
	}
	for (size_t i = 0; i < n_dry; i++) {
		if (!dry[i].has_slicing || !dry[i].has_send_at) {
			ccon_error_set(err, CCON_E_JSON_REQUIRED, "dry-run answer %zu has no slot plan", i + 1);
			ccon_error_at_path(err, "slicing");
			return -1;
		}
	}
	return 0;
}

int ccon_timeline_build(const struct ccon_slots_view *slots, const struct ccon_send_answer *dry,
                        size_t n_dry, struct ccon_timeline *out, struct ccon_error *err)
{
	struct ccon_slot_config cfg;
	struct ccon_slot_usage u;
	struct ccon_slot_plan p0;
	int64_t *others = NULL, *mine = NULL, origin;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	memset(&p0, 0, sizeof(p0));
	if (timeline_check_input(dry, n_dry, err) < 0)
		return -1;
	cfg.length_us = dry[0].slot_length_us;
	cfg.capacity = dry[0].slot_capacity;
	out->send_us = dry[0].send_at_us;
	out->length_us = cfg.length_us;
	out->capacity = cfg.capacity;
	out->condition = dry[0].condition;
	/* the window as the planner sees it (its start and slot count) */
	if (ccon_slot_plan_compute(&cfg, NULL, out->send_us, 1, out->condition, &p0, err) < 0)
		return -1;
	origin = p0.window_start_us;
	out->count = p0.window_slots;
	ccon_slot_plan_free(&p0);
	if (!(out->rows = calloc(out->count, sizeof(*out->rows))) ||
	    !(others = calloc(out->count, sizeof(*others))) ||
	    !(mine = calloc(out->count, sizeof(*mine))) ||
	    !(out->batches = calloc(n_dry, sizeof(*out->batches)))) {
		nomem(err);
		goto out;
	}
	out->agrees = usage_from_view(slots, origin, cfg.length_us, others, out->count);
	/* request 0: the server's plan; the local one only says whether they agree */
	u = (struct ccon_slot_usage){ origin, others, out->count };
	memset(&p0, 0, sizeof(p0));
	if (dry[0].accepted > 0 &&
	    ccon_slot_plan_compute(&cfg, &u, out->send_us, dry[0].accepted, out->condition, &p0,
	                           err) < 0)
		goto out;
	if (dry[0].accepted > 0 && !shares_equal(&p0, &dry[0]))
		out->agrees = false;
	ccon_slot_plan_free(&p0);
	if (batch_from_answer(&out->batches[0], &dry[0]) < 0) {
		nomem(err);
		goto out;
	}
	out->n_batches = 1;
	add_shares(&out->batches[0], origin, cfg.length_us, mine, out->count);
	for (size_t i = 1; i < n_dry; i++) {
		if (dry[i].accepted > 0 &&
		    plan_next(&cfg, origin, others, mine, out->count, &dry[i], &out->batches[i], err) < 0)
			goto out;
		out->n_batches++;
		add_shares(&out->batches[i], origin, cfg.length_us, mine, out->count);
	}
	for (size_t i = 0; i < out->n_batches; i++) {
		const struct ccon_timeline_batch *b = &out->batches[i];

		out->audience += b->audience;
		out->activated |= b->activated;
		if (b->canceled && !out->canceled)
			snprintf(out->cancel_reason, sizeof(out->cancel_reason), "%s", b->cancel_reason);
		out->canceled |= b->canceled;
		for (size_t k = 0; !b->canceled && k < b->n_shares; k++)
			out->placed += b->shares[k].count;
	}
	rows_fill(out, others, mine, origin);
	rc = 0;
out:
	free(others);
	free(mine);
	if (rc < 0)
		ccon_timeline_free(out);
	return rc;
}
