/* connection.h - what the console and the subcommands (src/cli) share
 * before their first request: the configuration file, the profile and its
 * token, or the embedded engine on the data directory.
 *
 * The embedded engine and a second ccon on the same store: two engines on
 * one store could both send a recipient (the dispatcher takes the rows an
 * engine left in flight as its own crash's and sends them again), and each
 * start gives the local application a new key (the other's stops working).
 * So one process at a time runs the engine: the one that holds an exclusive
 * flock(2) on DATA/engine.lock. While it runs, it keeps DATA/engine (mode
 * 0600: url, app, key, owner, pid; removed at its stop). Another ccon finds
 * the lock taken and talks to that engine through the file instead of
 * starting its own. A console that finds a subcommand's engine there waits
 * for it to end (a subcommand holds it for one command) and then starts
 * its own.
 */
#ifndef CCON_TUI_CONNECTION_H
#define CCON_TUI_CONNECTION_H

#include "embedded.h"

#include <ccon/error.h>
#include <ccon/settings.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The global options (ccon(1)); NULL / 0 when not given. */
struct conn_options {
	const char *url;
	const char *token_env;
	const char *profile;
	const char *config;
	int64_t app_id;
	bool no_demo;
};

enum conn_owner { CONN_OWNER_CONSOLE, CONN_OWNER_CLI };

struct connection {
	struct ccon_settings settings;
	char config_path[4096];
	bool remote;                 /* a server (--url, -p, a default profile) */
	const char *profile_name;    /* "embedded", the profile's, or "remote" */
	const char *url;             /* remote: as given; embedded: after conn_engine */
	const char *ca_file;
	int64_t app_id;              /* 0: unknown */
	char *token;                 /* remote: heap, wiped; embedded: the engine's key */
	/* the embedded engine */
	struct embedded engine;
	bool engine_ours;            /* started here (else attached to another's) */
	bool engine_prepared;
	int lock_fd;                 /* -1 unless this process holds the lock */
	char attached_url[64];
	char attached_key[64];
};

/* Parses a --url, --app value. -1 with the reason on stderr. */
int conn_check_url(const char *url);
int conn_parse_long(const char *opt, const char *s, long min, long max, long *out);

/* The configuration file (and whether a remote server is wanted). 0, or
 * the exit status (2) with the reason on stderr. Call conn_free whatever
 * it returns. */
int conn_open(const struct conn_options *o, struct connection *c);
/* The remote server's profile and token, when one is wanted (after
 * conn_open and whatever else the caller checks in the file first). 0, or
 * 2 with the reason on stderr. */
int conn_remote(const struct conn_options *o, struct connection *c);
/* The data directory of the embedded engine (cheap; done by conn_engine
 * too). 0, or -1 with err. */
int conn_engine_prepare(struct connection *c, struct ccon_error *err);
/* The embedded engine: started here when no other process runs it on the
 * data directory, else the running one (see the top). Sets url, token,
 * app_id. 0, or -1 with err. */
int conn_engine(struct connection *c, bool demo, enum conn_owner owner,
                struct ccon_error *err);
/* Stops the engine when it is ours, wipes the token, frees the settings. */
void conn_free(struct connection *c);

#endif
