/* ccon/slots.h - slot capacity and the slicing planner (DESIGN §2.2).
 *
 * Time is cut into slots of a fixed length aligned on the Unix epoch; each
 * slot carries at most `capacity` messages. ccond and the console's preview
 * both call ccon_slot_plan_compute: one function, one plan.
 *
 * The exact rules (the seeds leave the numbers open; these are ours):
 *
 * Slots. The slot containing instant t starts at floor(t / length) * length,
 * with a true floor, so t = -1 µs lies in the slot [-length, 0). A slot's
 * free capacity is capacity - used, where used comes from the usage array
 * (0 outside it); used above capacity counts as full (free 0, never
 * negative).
 *
 * The 48 h window. It begins with the slot containing start_us (the "start
 * slot", even when start_us is in the middle of it) and holds every
 * following slot whose START is before start_us + 48 h. A slot starting
 * exactly at start_us + 48 h is out; one starting 1 µs earlier is in. So an
 * aligned start has 48 h / length slots (192 of 15 min) and a start in the
 * middle of a slot has one more (193): the start slot is only partly usable
 * in time but counts whole, and the last slot may run past the 48 h.
 *
 * Activation. If the audience fits in the free capacity of the start slot,
 * the whole audience goes there (slicing = false), whatever the condition.
 * Otherwise slicing is active (slicing = true, even when the plan is then
 * canceled) and the condition decides:
 *
 *  - fragmentedSlots: slots are filled in time order from the start slot,
 *    each up to its free capacity, skipping full slots (gaps allowed).
 *  - immediateConsecutiveSlots: only the run of consecutive slots with free
 *    capacity > 0 that begins at the start slot; a full start slot means an
 *    empty run. If a full slot stops the run before the audience is
 *    placed, the plan is canceled (SLOTS_NOT_CONSECUTIVE) and the reason
 *    names that slot. (A run that reaches the window's end short of the
 *    audience spans the whole window, so the window lacks capacity: see
 *    the precedence below.)
 *  - deferredConsecutiveSlots: the run of consecutive slots with free
 *    capacity > 0 with the earliest first slot, anywhere in the window, whose
 *    total free capacity holds the whole audience. That is always the first
 *    maximal run (bounded by full slots or the window's edges) that is big
 *    enough: any big-enough part of a run makes the whole run big enough and
 *    the whole run starts no later. If the start slot's run holds the
 *    audience, the plan equals immediateConsecutiveSlots'. None ->
 *    canceled (SLOTS_NOT_CONSECUTIVE), the reason giving the largest run.
 *
 * In every condition the chosen slots are filled greedily in time order:
 * every share but the last takes its slot's whole free capacity, and only
 * slots that receive messages appear in the plan (count > 0).
 *
 * Cancel precedence. When even the whole window's free capacity is below the
 * audience, the plan is canceled with SLOTS_NO_CAPACITY under every
 * condition (no other condition could place it either), with a reason like
 * "48 h from 2026-12-01T09:00:00Z hold 3,200 free places for 5,000
 * recipients".
 * A plan either places every recipient or is canceled: never truncated.
 *
 * Configuration (checked, CCON_E_SLOTS_INVALID): length_us >= 1 s (at most
 * 172,801 slots per window, which keeps a plan bounded in time and memory;
 * the limit is the reason for the floor), capacity > 0, audience > 0, the
 * start slot and start_us + 48 h representable in int64 µs, usage.origin_us
 * a slot boundary, usage.used non-NULL when usage.count > 0 and every
 * usage.used[i] >= 0. cfg NULL means the defaults (15 min, 1,000); usage
 * NULL or empty means every slot is free.
 *
 * Instants in reasons are written by ccon_datetime_format (UTC ISO 8601,
 * "2026-12-01T09:00:00Z", ".250" or ".250001" when there is a fraction);
 * those outside the years 1..9999 get the same shape with a signed year
 * ("+294247-01-08T04:00:54.775807Z"). Numbers have thousands separators and
 * nouns agree ("1 recipient", "3,200 free places"). The function is pure,
 * deterministic and O(window slots + usage.count).
 */
#ifndef CCON_SLOTS_H
#define CCON_SLOTS_H

#include <ccon/error.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ccon_slicing {
	CCON_SLICING_FRAGMENTED = 0,          /* "fragmentedSlots" (the default) */
	CCON_SLICING_IMMEDIATE_CONSECUTIVE,   /* "immediateConsecutiveSlots" */
	CCON_SLICING_DEFERRED_CONSECUTIVE,    /* "deferredConsecutiveSlots" */
	CCON_SLICING__COUNT
};

/* Exact, case-sensitive seed names. NULL or "" -> the default; an unknown
 * name -> CCON_E_SLICING_UNKNOWN naming the allowed values. */
int ccon_slicing_parse(const char *s, enum ccon_slicing *out, struct ccon_error *err);
/* The seed name; NULL for a value out of range. */
const char *ccon_slicing_name(enum ccon_slicing s);

#define CCON_USEC_PER_SEC INT64_C(1000000)
#define CCON_SLOT_WINDOW_US (INT64_C(48) * 3600 * CCON_USEC_PER_SEC)
#define CCON_SLOT_DEFAULT_LENGTH_US (INT64_C(15) * 60 * CCON_USEC_PER_SEC)
#define CCON_SLOT_DEFAULT_CAPACITY 1000
#define CCON_SLOT_MIN_LENGTH_US CCON_USEC_PER_SEC

struct ccon_slot_config {
	int64_t length_us;   /* >= CCON_SLOT_MIN_LENGTH_US */
	int64_t capacity;    /* messages per slot, > 0 */
};

#define CCON_SLOT_CONFIG_DEFAULT \
	((struct ccon_slot_config){ CCON_SLOT_DEFAULT_LENGTH_US, CCON_SLOT_DEFAULT_CAPACITY })

/* What slots already hold (sent or reserved by other sends): used[i] belongs
 * to the slot starting at origin_us + i * length_us (origin_us is a slot
 * boundary). Slots outside the array hold nothing. */
struct ccon_slot_usage {
	int64_t origin_us;
	const int64_t *used;
	size_t count;
};

struct ccon_slot_share {
	int64_t slot_start_us;
	int64_t count;          /* messages of this send in that slot, > 0 */
};

struct ccon_slot_plan {
	bool slicing;           /* the audience did not fit the start slot */
	bool canceled;          /* no placement: cancel_code and cancel_reason say why */
	enum ccon_errc cancel_code;     /* CCON_E_OK unless canceled */
	char cancel_reason[CCON_ERROR_MESSAGE_MAX];
	struct ccon_slot_share *shares; /* time order, counts sum to the
	                                 * audience; NULL when canceled */
	size_t n_shares;
	int64_t window_start_us;        /* the start slot (for timelines) */
	size_t window_slots;            /* slots in the 48 h window */
};

/* Start of the slot that contains t_us (a true floor, right for t < 0).
 * cfg NULL means the defaults, as everywhere here. Needs length_us > 0
 * (else returns t_us); returns INT64_MIN when that start is below the int64
 * range (t_us within one slot of INT64_MIN). */
int64_t ccon_slot_start(const struct ccon_slot_config *cfg, int64_t t_us);

/* Free capacity of the slot containing t_us, the planner's rule, for
 * drawing a timeline. An invalid cfg or usage
 * array (misaligned origin, no array) gives 0; a negative count is read as
 * 0 (the planner refuses it instead). */
int64_t ccon_slot_free(const struct ccon_slot_config *cfg, const struct ccon_slot_usage *usage,
                       int64_t t_us);

/* Plans `audience` (> 0) messages starting at start_us. Returns 0 with the
 * plan filled (a cancel is a result, not an error); -1 only for an invalid
 * configuration (CCON_E_SLOTS_INVALID, path "length_us", "capacity",
 * "audience", "start_us", "usage.origin_us" or "usage.used[i]"), an unknown
 * condition or plan NULL (CCON_E_INVALID_ARGUMENT) or out of memory; the
 * plan is then empty (safe to free). */
int ccon_slot_plan_compute(const struct ccon_slot_config *cfg, const struct ccon_slot_usage *usage,
                           int64_t start_us, int64_t audience, enum ccon_slicing cond,
                           struct ccon_slot_plan *plan, struct ccon_error *err);
void ccon_slot_plan_free(struct ccon_slot_plan *plan);

#endif
