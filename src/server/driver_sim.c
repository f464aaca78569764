/* driver_sim.c - the built-in channel simulator. Outcomes are a function of
 * the channel, the recipient's last two digits (d), the attempt and whether
 * the message could be rendered; latencies come from a hash of the number,
 * on the ccond clock. The table is in ccond(8), "THE SIM DRIVER".
 *
 * The ledger (sim_ledger) is what the simulated channel received: one row
 * per send key, written in the batch's own transaction. A key seen before
 * answers its first outcome again, computed from the first time it was
 * taken, and writes nothing. */
#include "config.h"

#include "driver.h"

#include "store.h"

#include <stdio.h>
#include <string.h>

#define SEC INT64_C(1000000)

static uint32_t fnv1a(const char *s)
{
	uint32_t h = 2166136261u;

	for (; s && *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* The number's last two digits, or -1. */
static int last_digits(const char *r)
{
	size_t n = r ? strlen(r) : 0;

	if (n < 2 || r[n - 1] < '0' || r[n - 1] > '9' || r[n - 2] < '0' || r[n - 2] > '9')
		return -1;
	return (r[n - 2] - '0') * 10 + (r[n - 1] - '0');
}

static void fail(struct send_result *res, int code, const char *desc, bool retryable)
{
	res->outcome = DRIVER_FAILED;
	res->code = code;
	res->retryable = retryable;
	snprintf(res->description, sizeof(res->description), "%s", desc);
}

static void event(struct send_result *res, enum driver_event_kind kind, int64_t at, int code,
                  const char *desc)
{
	struct driver_event *e = &res->events[res->n_events++];

	e->kind = kind;
	e->at_us = at;
	e->code = code;
	snprintf(e->description, sizeof(e->description), "%s", desc ? desc : "");
}

enum {
	SIM_WORTHY_AT_SEND = 1u << 0,
	SIM_WORTHY_AT_SEND2 = 1u << 1,
	SIM_WORTHY_RATE = 1u << 2,
	SIM_WORTHY_AFTER1 = 1u << 3,
	SIM_WORTHY_AFTER2 = 1u << 4,
};

struct channel_codes {
	const char *channel;
	int render;             /* the message could not be rendered */
	const char *render_desc;
	int at_send;            /* d = 13 */
	const char *at_send_desc;
	int at_send2;           /* d = 50 (0: none) */
	const char *at_send2_desc;
	int rate;               /* d = 29, first two attempts */
	const char *rate_desc;
	int after1;             /* d = 47, 2 s after processed */
	const char *after1_desc;
	int after2;             /* d = 49, 3 s after processed (0: none) */
	const char *after2_desc;
	bool reads;             /* the channel reports read */
	unsigned worthy;        /* SIM_WORTHY_* of the codes worth a retry-failed */
};

static const struct channel_codes codes[] = {
	{ "whatsapp", 132000, "Number of parameters does not match the expected number of params",
	  131026, "Message undeliverable", 131050, "User stopped marketing messages",
	  130429, "Rate limit hit", 131047, "Re-engagement message", 131049,
	  "Meta chose not to deliver", true,
	  SIM_WORTHY_AT_SEND | SIM_WORTHY_RATE | SIM_WORTHY_AFTER2 },
	{ "sms", 30100, "Template variables have no value",
	  30003, "Unreachable destination handset", 30005, "Unknown destination handset",
	  20429, "Too many requests", 30007, "Message filtered by carrier", 30008,
	  "Unknown delivery error", false,
	  SIM_WORTHY_AT_SEND | SIM_WORTHY_RATE | SIM_WORTHY_AFTER2 },
	{ "rcs", 41100, "Template variables have no value",
	  41001, "Device not RCS-capable", 41050, "User blocked the sender",
	  41429, "Rate limit exceeded", 41002, "Message expired before delivery", 0, NULL, true,
	  SIM_WORTHY_RATE | SIM_WORTHY_AFTER1 },
};

static const struct channel_codes *codes_for(const char *channel)
{
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (channel && strcmp(codes[i].channel, channel) == 0)
			return &codes[i];
	return &codes[0];
}

/* The outcome of msg taken at at_us: a pure function. */
static void decide(const struct outgoing *msg, int64_t at_us, struct send_result *res)
{
	const struct channel_codes *c = codes_for(msg->channel);
	int d = last_digits(msg->recipient);
	uint32_t h = fnv1a(msg->recipient);
	int64_t received = at_us + SEC + (int64_t)(h % 4000) * 1000;
	int64_t read = received + 60 * SEC + (int64_t)((h >> 12) % 1740) * SEC;

	memset(res, 0, sizeof(*res));
	res->outcome = DRIVER_ACCEPTED;
	res->at_us = at_us;
	if (!msg->text) {
		fail(res, c->render, c->render_desc, false);
		return;
	}
	if (d == 13) {
		fail(res, c->at_send, c->at_send_desc, false);
	} else if (d == 50 && c->at_send2) {
		fail(res, c->at_send2, c->at_send2_desc, false);
	} else if (d == 29 && msg->attempt <= 2) {
		fail(res, c->rate, c->rate_desc, true);
	} else if (d == 47) {
		event(res, DRIVER_EVENT_FAILED, at_us + 2 * SEC, c->after1, c->after1_desc);
	} else if (d == 49 && c->after2) {
		event(res, DRIVER_EVENT_FAILED, at_us + 3 * SEC, c->after2, c->after2_desc);
	} else {
		event(res, DRIVER_EVENT_RECEIVED, received, 0, NULL);
		if (c->reads && !(d >= 60 && d <= 79))
			event(res, DRIVER_EVENT_READ, read, 0, NULL);
	}
}

static int sim_begin(void *self, sqlite3 *db, struct ccon_error *err)
{
	(void)self;
	return store_begin(db, err);
}

static int sim_end(void *self, sqlite3 *db, bool ok, struct ccon_error *err)
{
	(void)self;
	if (!ok) {
		store_rollback(db);
		return 0;
	}
	return store_commit(db, err);
}

/* The first time the key was taken: 1 (*at_us set), 0 never, -1 error. */
static int ledger_seen(sqlite3 *db, const char *key, int64_t *at_us, struct ccon_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (store_prepare(db, "SELECT at_us FROM sim_ledger WHERE send_key = ?1", &st) != SQLITE_OK)
		return store_fail(db, err, "reading the sim ledger");
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*at_us = sqlite3_column_int64(st, 0);
	store_done(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : store_fail(db, err, "reading the sim ledger");
}

static int ledger_add(sqlite3 *db, const struct outgoing *msg, const struct send_result *res,
                      struct ccon_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (store_prepare(db, "INSERT OR IGNORE INTO sim_ledger(send_key, recipient_id, attempt, "
	                      "channel, recipient, text, segments, outcome, code, description, "
	                      "retryable, at_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
	                      "?11, ?12)", &st) != SQLITE_OK)
		return store_fail(db, err, "writing the sim ledger");
	sqlite3_bind_text(st, 1, msg->send_key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, msg->recipient_id);
	sqlite3_bind_int(st, 3, msg->attempt);
	sqlite3_bind_text(st, 4, msg->channel, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, msg->recipient, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, msg->text ? msg->text : msg->render_error, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 7, msg->segments);
	sqlite3_bind_text(st, 8, res->outcome == DRIVER_ACCEPTED ? "accepted" : "failed", -1,
	                  SQLITE_STATIC);
	if (res->outcome == DRIVER_FAILED) {
		sqlite3_bind_int(st, 9, res->code);
		sqlite3_bind_text(st, 10, res->description, -1, SQLITE_STATIC);
	}
	sqlite3_bind_int(st, 11, res->retryable);
	sqlite3_bind_int64(st, 12, res->at_us);
	rc = sqlite3_step(st);
	store_done(st);
	return rc == SQLITE_DONE ? 0 : store_fail(db, err, "writing the sim ledger");
}

static int sim_send(void *self, sqlite3 *db, const struct outgoing *msg, struct send_result *res,
                    struct ccon_error *err)
{
	int64_t at = msg->now_us;

	(void)self;
	/* a key seldom comes twice: record first, look back only when the
	 * ledger already had it, and answer what it answered then */
	decide(msg, at, res);
	if (ledger_add(db, msg, res, err) < 0)
		return -1;
	if (sqlite3_changes(db) > 0)
		return 0;
	if (ledger_seen(db, msg->send_key, &at, err) < 0)
		return -1;
	decide(msg, at, res);
	return 0;
}

/* The retry-failed classification of the code table (ccond(8)). */
static bool sim_retry_worthy(const char *channel, int code)
{
	const struct channel_codes *c = codes_for(channel);

	if (code == 0)
		return false;
	return (code == c->at_send && (c->worthy & SIM_WORTHY_AT_SEND)) ||
	       (code == c->at_send2 && (c->worthy & SIM_WORTHY_AT_SEND2)) ||
	       (code == c->rate && (c->worthy & SIM_WORTHY_RATE)) ||
	       (code == c->after1 && (c->worthy & SIM_WORTHY_AFTER1)) ||
	       (code == c->after2 && (c->worthy & SIM_WORTHY_AFTER2));
}

const struct driver_ops driver_sim = {
	.name = "sim",
	.batch_begin = sim_begin,
	.send = sim_send,
	.batch_end = sim_end,
	.retry_worthy = sim_retry_worthy,
};
