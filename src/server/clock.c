#include "config.h"

#include "clock.h"
#include "store.h"

#include <ccon/datetime.h>

#include <string.h>
#include <time.h>

#define CLOCK_STATE_KEY "manual_clock_us"

int clock_mode_parse(const char *s, enum clock_mode *out)
{
	if (s && strcmp(s, "real") == 0)
		*out = CLOCK_REAL;
	else if (s && strcmp(s, "manual") == 0)
		*out = CLOCK_MANUAL;
	else
		return -1;
	return 0;
}

const char *clock_mode_name(enum clock_mode mode)
{
	return mode == CLOCK_MANUAL ? "manual" : "real";
}

int64_t clock_real_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int clock_open(struct engine_clock *c, enum clock_mode mode, sqlite3 *db, struct ccon_error *err)
{
	sqlite3_stmt *st;
	int rc;

	c->mode = mode;
	c->manual_us = clock_real_us();
	pthread_mutex_init(&c->lock, NULL);
	if (mode != CLOCK_MANUAL)
		return 0;
	if (sqlite3_prepare_v2(db, "SELECT value FROM engine_state WHERE key = ?1", -1, &st,
	                       NULL) != SQLITE_OK)
		return store_fail(db, err, "reading the manual clock");
	sqlite3_bind_text(st, 1, CLOCK_STATE_KEY, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		c->manual_us = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_fail(db, err, "reading the manual clock");
}

void clock_close(struct engine_clock *c)
{
	pthread_mutex_destroy(&c->lock);
}

int64_t clock_now(struct engine_clock *c)
{
	int64_t t;

	if (c->mode == CLOCK_REAL)
		return clock_real_us();
	pthread_mutex_lock(&c->lock);
	t = c->manual_us;
	pthread_mutex_unlock(&c->lock);
	return t;
}

int clock_set(struct engine_clock *c, sqlite3 *db, int64_t t_us, struct ccon_error *err)
{
	char now[CCON_DATETIME_FORMAT_MAX];
	sqlite3_stmt *st;
	int rc;

	if (c->mode != CLOCK_MANUAL)
		return ccon_error_set(err, CCON_E_CONFLICT,
		                      "the clock is real: start ccond with --clock manual to move it");
	pthread_mutex_lock(&c->lock);
	if (t_us < c->manual_us) {
		ccon_datetime_format(c->manual_us, now, sizeof(now), NULL);
		pthread_mutex_unlock(&c->lock);
		return ccon_error_set(err, CCON_E_JSON_RANGE,
		                      "the clock only moves forward (it is %s)", now);
	}
	if (sqlite3_prepare_v2(db, "INSERT INTO engine_state(key, value) VALUES (?1, ?2) "
	                           "ON CONFLICT(key) DO UPDATE SET value = excluded.value", -1, &st,
	                       NULL) != SQLITE_OK) {
		pthread_mutex_unlock(&c->lock);
		return store_fail(db, err, "saving the manual clock");
	}
	sqlite3_bind_text(st, 1, CLOCK_STATE_KEY, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, t_us);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		c->manual_us = t_us;
	pthread_mutex_unlock(&c->lock);
	return rc == SQLITE_DONE ? 0 : store_fail(db, err, "saving the manual clock");
}
