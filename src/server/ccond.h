/* ccond.h - the campaign server's engine as a library: the ccond binary is
 * a thin main around it, and the console embeds it in-process. */
#ifndef CCOND_CCOND_H
#define CCOND_CCOND_H

#include <ccon/error.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ccond_config {
	const char *data_dir;     /* required; created 0700 when missing */
	const char *listen_host;  /* IP literal; default 127.0.0.1 */
	uint16_t port;            /* 0 picks a free port */
	unsigned threads;         /* HTTP worker threads; default 4 */
	size_t max_body;          /* largest buffered (JSON) body; default 16 MiB */
	int manual_clock;         /* 1: time moves only by POST /v1/admin/clock */
	const char *config_file;  /* NULL: DATA_DIR/ccond.conf when it exists */
};

struct ccond;

int ccond_start(const struct ccond_config *cfg, struct ccond **out, struct ccon_error *err);
uint16_t ccond_port(const struct ccond *d);
/* Stops accepting, answers the requests in flight, closes the store. */
void ccond_stop(struct ccond *d);

/* Offline administration on a data directory (no server running needed). */
#define CCOND_KEY_SIZE 48
int ccond_create_app(const char *data_dir, const char *name, int64_t *app_id,
                     char key[CCOND_KEY_SIZE], struct ccon_error *err);
/* Creates the demo application with its campaigns and sends (*created
 * true); when it exists already, replaces its key instead (*created false:
 * nothing is added, the old key stops working). key receives the key to use. */
int ccond_demo(const char *data_dir, int64_t *app_id, char key[CCOND_KEY_SIZE], bool *created,
               struct ccon_error *err);
/* The console's own application in its embedded store, with a new key
 * (the store keeps only a key's hash): with demo, the demo application
 * (ccond_demo: its data on a first run); without, an application called
 * CCOND_LOCAL_APP_NAME, created when missing, nothing else added. */
#define CCOND_LOCAL_APP_NAME "local"
int ccond_local_app(const char *data_dir, bool demo, int64_t *app_id, char key[CCOND_KEY_SIZE],
                    struct ccon_error *err);

#endif
