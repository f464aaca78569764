/* clock.h - ccond's one clock. Everything time-related in the server reads
 * it: the real clock (default), or a manual one that moves only when told
 * (POST /v1/admin/clock), so tests of schedules, delays, slot plans and
 * read receipts run in milliseconds. The manual time is kept in the store
 * and survives a restart. */
#ifndef CCOND_CLOCK_H
#define CCOND_CLOCK_H

#include <ccon/error.h>

#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>

enum clock_mode { CLOCK_REAL = 0, CLOCK_MANUAL };

struct engine_clock {
	enum clock_mode mode;
	pthread_mutex_t lock;
	int64_t manual_us;
};

/* "real" or "manual"; -1 for anything else. */
int clock_mode_parse(const char *s, enum clock_mode *out);
const char *clock_mode_name(enum clock_mode mode);

/* The system's wall clock. */
int64_t clock_real_us(void);

/* A manual clock starts where the store left it, or at the real time. */
int clock_open(struct engine_clock *c, enum clock_mode mode, sqlite3 *db, struct ccon_error *err);
void clock_close(struct engine_clock *c);

int64_t clock_now(struct engine_clock *c);

/* Manual clocks only, forward only; the new time is saved in the store. */
int clock_set(struct engine_clock *c, sqlite3 *db, int64_t t_us, struct ccon_error *err);

#endif
