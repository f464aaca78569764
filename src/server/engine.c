#include "config.h"

#include "apps.h"
#include "ccond.h"
#include "demo.h"
#include "dispatcher.h"
#include "driver.h"
#include "engine.h"
#include "http.h"
#include "router.h"
#include "server_conf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

struct ccond {
	struct engine eng;
};

/* Per request, from begin() to the answer. */
struct pending {
	struct api_call call;
	enum router_match match;
	unsigned auth_status;      /* 0 when authenticated (or not needed) */
	char auth_message[96];
};

int64_t engine_now_us(struct engine *eng)
{
	return eng ? clock_now(&eng->clock) : clock_real_us();
}

static void pending_free(void *p)
{
	struct pending *pd = p;

	if (pd && pd->call.state_free)
		pd->call.state_free(pd->call.state);
	free(pd);
}

/* The key from "Bearer KEY" or "Key KEY" (scheme case-insensitive). */
static const char *credential(const char *header, const char *scheme)
{
	size_t n = strlen(scheme);

	if (!header || strncasecmp(header, scheme, n) != 0 || header[n] != ' ')
		return NULL;
	header += n;
	while (*header == ' ')
		header++;
	return *header ? header : NULL;
}

static void authenticate(struct engine *eng, struct pending *pd)
{
	const struct api_route *r = pd->call.route;
	const char *scheme = r->auth == API_AUTH_KEY ? "Key" : "Bearer";
	const char *key = credential(pd->call.req->authorization, scheme);
	struct ccon_error err;
	sqlite3 *db;
	int found;

	if (r->auth == API_AUTH_NONE)
		return;
	if (!key) {
		pd->auth_status = 401;
		snprintf(pd->auth_message, sizeof(pd->auth_message),
		         "this route needs the header 'Authorization: %s <api key>'", scheme);
		return;
	}
	ccon_error_clear(&err);
	db = store_acquire(eng->store);
	found = apps_find_by_key(db, key, &pd->call.app_id, &err);
	store_release(eng->store, db);
	if (found < 0) {
		pd->auth_status = 500;
		snprintf(pd->auth_message, sizeof(pd->auth_message), "cannot check the key");
	} else if (found == 0) {
		pd->auth_status = 401;
		snprintf(pd->auth_message, sizeof(pd->auth_message), "unknown api key");
	}
}

static void on_begin(void *ctx, struct http_request *req)
{
	struct engine *eng = ctx;
	struct pending *pd = calloc(1, sizeof(*pd));

	if (!pd)
		return;
	pd->call.eng = eng;
	pd->call.req = req;
	req->route_state = pd;
	req->route_state_free = pending_free;
	pd->match = router_find(req->method, req->path, &pd->call);
	if (pd->match != ROUTER_FOUND)
		return;
	authenticate(eng, pd);
	if (pd->auth_status == 0 && pd->call.route->chunk) {
		pd->call.now_us = engine_now_us(eng);
		req->stream = true;
	}
}

static void on_body(void *ctx, struct http_request *req, const char *data, size_t len)
{
	struct pending *pd = req->route_state;

	(void)ctx;
	if (pd && pd->call.route && pd->call.route->chunk)
		pd->call.route->chunk(&pd->call, data, len);
}

static void on_end(void *ctx, struct http_request *req, struct http_response *resp)
{
	struct engine *eng = ctx;
	struct pending *pd = req->route_state;
	struct api_call *c;

	if (!pd) {
		resp->status = 500;
		ccon_strbuf_puts(&resp->body, "{\"code\":\"out_of_memory\",\"message\":\"out of memory\"}");
		return;
	}
	c = &pd->call;
	c->resp = resp;
	if (pd->match == ROUTER_NO_PATH) {
		api_reply_errorf(c, 404, CCON_E_NOT_FOUND, "no such route: %s %s", req->method,
		                 req->path);
		return;
	}
	if (pd->match == ROUTER_NO_METHOD) {
		api_reply_errorf(c, 405, CCON_E_METHOD, "%s is not allowed on %s", req->method,
		                 req->path);
		return;
	}
	if (pd->auth_status) {
		api_reply_errorf(c, pd->auth_status, CCON_E_AUTH, "%s", pd->auth_message);
		return;
	}
	if (req->body_too_large) {
		api_reply_errorf(c, 413, CCON_E_TOO_LARGE, "the body is larger than this server takes");
		return;
	}
	if (req->body_nomem) {
		api_reply_errorf(c, 500, CCON_E_NOMEM, "out of memory while reading the body");
		return;
	}
	if (!req->stream)
		c->now_us = engine_now_us(eng);
	c->db = store_acquire(eng->store);
	c->route->handle(c);
	store_release(eng->store, c->db);
	c->db = NULL;
	/* Anything that wrote may have made work due now (sends of every kind,
	 * seed 002 dispatches): a wake-up is cheap, a missed one costs a second. */
	if (strcmp(req->method, "GET") != 0 && resp->status < 300)
		dispatcher_wake(eng->dispatcher);
}

/* The configuration file's slots into the store (replacing the last start's). */
static int load_config(const struct ccond_config *cfg, sqlite3 *db, struct ccon_error *err)
{
	struct server_conf conf;
	char path[4096];
	int rc;

	if (cfg->config_file)
		snprintf(path, sizeof(path), "%s", cfg->config_file);
	else
		snprintf(path, sizeof(path), "%s/ccond.conf", cfg->data_dir);
	if (server_conf_load(path, cfg->config_file != NULL, &conf, err) < 0)
		return -1;
	rc = server_conf_apply(db, &conf, err);
	server_conf_free(&conf);
	return rc;
}

int ccond_start(const struct ccond_config *cfg, struct ccond **out, struct ccon_error *err)
{
	struct http_config hc = { cfg->listen_host, cfg->port, cfg->threads, cfg->max_body };
	struct http_app app;
	struct ccond *d;
	unsigned threads = cfg->threads ? cfg->threads : 4;

	if (!cfg->data_dir || !*cfg->data_dir)
		return ccon_error_set(err, CCON_E_INVALID_ARGUMENT, "a data directory is required");
	d = calloc(1, sizeof(*d));
	if (!d)
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	if (store_open(cfg->data_dir, threads + 1, &d->eng.store, err) < 0) {
		free(d);
		return -1;
	}
	{
		sqlite3 *db = store_acquire(d->eng.store);
		int rc = load_config(cfg, db, err);

		if (rc == 0)
			rc = clock_open(&d->eng.clock, cfg->manual_clock ? CLOCK_MANUAL : CLOCK_REAL, db,
			                err);

		store_release(d->eng.store, db);
		if (rc < 0) {
			clock_close(&d->eng.clock);
			store_close(d->eng.store);
			free(d);
			return -1;
		}
	}
	app.ctx = &d->eng;
	app.begin = on_begin;
	app.body = on_body;
	app.end = on_end;
	d->eng.driver = &driver_sim;
	if (dispatcher_start(&d->eng, d->eng.driver, NULL, !cfg->manual_clock, &d->eng.dispatcher,
	                     err) < 0) {
		clock_close(&d->eng.clock);
		store_close(d->eng.store);
		free(d);
		return -1;
	}
	if (http_start(&hc, &app, &d->eng.http, err) < 0) {
		dispatcher_stop(d->eng.dispatcher);
		clock_close(&d->eng.clock);
		store_close(d->eng.store);
		free(d);
		return -1;
	}
	*out = d;
	return 0;
}

uint16_t ccond_port(const struct ccond *d)
{
	return http_port(d->eng.http);
}

void ccond_stop(struct ccond *d)
{
	if (!d)
		return;
	http_stop(d->eng.http, 5000);
	dispatcher_stop(d->eng.dispatcher);
	clock_close(&d->eng.clock);
	store_close(d->eng.store);
	free(d);
}

int ccond_create_app(const char *data_dir, const char *name, int64_t *app_id,
                     char key[CCOND_KEY_SIZE], struct ccon_error *err)
{
	struct store *st;
	sqlite3 *db;
	int rc;

	if (!name || !*name)
		return ccon_error_set(err, CCON_E_INVALID_ARGUMENT, "an application needs a name");
	if (store_open(data_dir, 1, &st, err) < 0)
		return -1;
	db = store_acquire(st);
	rc = apps_create(db, name, engine_now_us(NULL), app_id, key, err);
	store_release(st, db);
	store_close(st);
	return rc;
}

int ccond_demo(const char *data_dir, int64_t *app_id, char key[CCOND_KEY_SIZE], bool *created,
               struct ccon_error *err)
{
	struct store *st;
	sqlite3 *db;
	int rc;

	if (store_open(data_dir, 1, &st, err) < 0)
		return -1;
	db = store_acquire(st);
	rc = demo_create(db, engine_now_us(NULL), app_id, key, created, err);
	store_release(st, db);
	store_close(st);
	return rc;
}
