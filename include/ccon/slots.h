/* ccon/slots.h - slot capacity and the slicing planner (DESIGN §2.2).
 *
 * Time is cut into slots of a fixed length aligned on the Unix epoch; each
 * slot carries at most `capacity` messages. ccond and the console's preview
 * both call ccon_slot_plan_compute: one function, one plan.
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

/* NULL or "" -> the default; an unknown name -> CCON_E_SLICING_UNKNOWN
 * naming the allowed values. */
int ccon_slicing_parse(const char *s, enum ccon_slicing *out, struct ccon_error *err);
const char *ccon_slicing_name(enum ccon_slicing s);

#define CCON_USEC_PER_SEC INT64_C(1000000)
#define CCON_SLOT_WINDOW_US (INT64_C(48) * 3600 * CCON_USEC_PER_SEC)
#define CCON_SLOT_DEFAULT_LENGTH_US (INT64_C(15) * 60 * CCON_USEC_PER_SEC)
#define CCON_SLOT_DEFAULT_CAPACITY 1000

struct ccon_slot_config {
	int64_t length_us;   /* > 0 */
	int64_t capacity;    /* messages per slot, > 0 */
};

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
	enum ccon_errc cancel_code;
	char cancel_reason[CCON_ERROR_MESSAGE_MAX];
	struct ccon_slot_share *shares; /* time order; NULL when canceled */
	size_t n_shares;
};

/* Start of the slot that contains t_us. */
int64_t ccon_slot_start(const struct ccon_slot_config *cfg, int64_t t_us);

/* Plans `audience` (> 0) messages starting at start_us. Returns 0 with the
 * plan filled (a cancel is a result, not an error); -1 only for an invalid
 * configuration (CCON_E_SLOTS_INVALID) or out of memory. */
int ccon_slot_plan_compute(const struct ccon_slot_config *cfg, const struct ccon_slot_usage *usage,
                           int64_t start_us, int64_t audience, enum ccon_slicing cond,
                           struct ccon_slot_plan *plan, struct ccon_error *err);
void ccon_slot_plan_free(struct ccon_slot_plan *plan);

#endif
