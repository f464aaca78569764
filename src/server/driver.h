/* driver.h - a channel driver: what hands a rendered message to WhatsApp,
 * SMS or RCS, and what it says happened.
 *
 * The dispatcher records a send key on the recipient in a committed
 * transaction before it calls send(), and calls send() again with the SAME
 * key after a restart that finds the recipient still in flight. A driver
 * must therefore treat the key as an idempotency key: a key it has seen
 * answers the outcome it gave the first time and sends nothing again.
 *
 * Calls come in batches: batch_begin, send for each message, batch_end
 * (which makes what the driver took durable). A batch that fails half-way
 * is abandoned with batch_end(ok false); the recipients stay in flight and
 * go again with their keys. */
#ifndef CCOND_DRIVER_H
#define CCOND_DRIVER_H

#include <ccon/error.h>

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

struct outgoing {
	int64_t recipient_id;
	const char *send_key;      /* unique per recipient and attempt */
	const char *channel;       /* "whatsapp" | "sms" | "rcs" */
	const char *recipient;     /* E.164 phone or group id */
	const char *text;          /* rendered message; NULL when it could not be rendered */
	const char *render_error;  /* why not (e.g. "missing variables: name"), else NULL */
	int segments;              /* SMS segments (seed 003 encoding); 1 elsewhere */
	int attempt;               /* 1 for the first */
	int64_t now_us;            /* the ccond clock */
};

enum driver_event_kind { DRIVER_EVENT_RECEIVED, DRIVER_EVENT_READ, DRIVER_EVENT_FAILED };

#define DRIVER_TEXT_MAX 160
#define DRIVER_MAX_EVENTS 4

struct driver_event {
	enum driver_event_kind kind;
	int64_t at_us;
	int code;                          /* FAILED only */
	char description[DRIVER_TEXT_MAX];
};

enum driver_outcome { DRIVER_ACCEPTED, DRIVER_FAILED };

struct send_result {
	enum driver_outcome outcome;
	int64_t at_us;                     /* when the channel took or refused it */
	int code;                          /* FAILED: the channel's reason code */
	char description[DRIVER_TEXT_MAX];
	bool retryable;                    /* FAILED: worth trying again later */
	unsigned n_events;                 /* ACCEPTED: statuses still to come */
	struct driver_event events[DRIVER_MAX_EVENTS];
};

struct driver_ops {
	const char *name;
	int (*batch_begin)(void *self, sqlite3 *db, struct ccon_error *err);
	/* -1 only when the driver could not answer at all (the message stays
	 * in flight); a refusal is a result. */
	int (*send)(void *self, sqlite3 *db, const struct outgoing *msg, struct send_result *res,
	            struct ccon_error *err);
	int (*batch_end)(void *self, sqlite3 *db, bool ok, struct ccon_error *err);
	/* A final failure with this code is worth sending again later (a
	 * retry-failed re-sends only these by default): rate limits, transient
	 * delivery failures; not opt-outs, unknown numbers or bad templates. */
	bool (*retry_worthy)(const char *channel, int code);
};

/* The built-in simulator (ccond(8), "THE SIM DRIVER"): outcomes from the
 * recipient's number, a ledger table of every message it took. */
extern const struct driver_ops driver_sim;

#endif
