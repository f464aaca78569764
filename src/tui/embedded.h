/* embedded.h - the ccond engine in-process: the console's zero set-up
 * mode. Its store is $XDG_DATA_HOME/ccon (or ~/.local/share/ccon), created
 * 0700; it listens on 127.0.0.1 on a free port, and the console talks HTTP
 * to it like to any server. */
#ifndef CCON_TUI_EMBEDDED_H
#define CCON_TUI_EMBEDDED_H

#include <ccon/error.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ccond;

struct embedded {
	struct ccond *engine;
	char data_dir[4096];
	char url[64];            /* "http://127.0.0.1:PORT" */
	char log_path[4200];     /* where stderr goes while the screen is up */
	int64_t app_id;
	char key[64];            /* the local application's key; wiped by embedded_stop */
};

/* The data directory: $XDG_DATA_HOME/ccon, else $HOME/.local/share/ccon. */
int embedded_data_dir(char *buf, size_t size, struct ccon_error *err);
/* Creates the data directory (and missing parents, 0700), the local
 * application (demo: the demo data on a first run) and starts the engine. */
int embedded_start(struct embedded *e, bool demo, struct ccon_error *err);
/* embedded_start in two steps: the data directory and the log path (at
 * once, cheap), then the local application and the engine (after the
 * first frame of `ccon FILE.csv`: the first run writes the demo data). */
int embedded_prepare(struct embedded *e, struct ccon_error *err);
int embedded_run(struct embedded *e, bool demo, struct ccon_error *err);
void embedded_stop(struct embedded *e);

#endif
