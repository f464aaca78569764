/* engine.h - the running server's shared state, for route handlers. */
#ifndef CCOND_ENGINE_H
#define CCOND_ENGINE_H

#include "clock.h"
#include "dispatcher.h"
#include "store.h"

#include <stdint.h>

struct engine {
	struct store *store;
	struct http_server *http;
	struct engine_clock clock;
	struct dispatcher *dispatcher;
	const struct driver_ops *driver;   /* the channel driver dispatch uses */
};

/* The engine's clock (microseconds since the epoch, UTC). */
int64_t engine_now_us(struct engine *eng);

#endif
