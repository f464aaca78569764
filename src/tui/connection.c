/* connection.c - the configuration, the remote server's profile and token,
 * or the embedded engine: shared by the console and the subcommands. */
#include "config.h"

#include "connection.h"

#include "engine_share.h"

#include <ccon/sanitize.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

int conn_parse_long(const char *opt, const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max) {
		fprintf(stderr, "ccon: %s wants a whole number from %ld to %ld\n", opt, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

int conn_check_url(const char *url)
{
	if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) {
		fprintf(stderr, "ccon: --url wants an http:// or https:// URL\n");
		return -1;
	}
	return 0;
}

/* The configuration file: --config's (which must exist) or the XDG one (a
 * missing one gives the defaults). 0, or 2 with the reason on stderr. */
static int load_settings(const struct conn_options *o, struct connection *c)
{
	struct ccon_error err;

	if (o->config) {
		if (access(o->config, R_OK) < 0) {
			fprintf(stderr, "ccon: --config: %s: %s\n", o->config, strerror(errno));
			return 2;
		}
		snprintf(c->config_path, sizeof(c->config_path), "%s", o->config);
	} else if (ccon_xdg_config_file(c->config_path, sizeof(c->config_path), &err) < 0) {
		fprintf(stderr, "ccon: the configuration file: %s\n", err.message);
		return 2;
	}
	if (ccon_settings_load(c->config_path, &c->settings, &err) < 0) {
		fprintf(stderr, "ccon: %s\n", err.message);
		return 2;
	}
	return 0;
}

static int parse_app(const struct ccon_profile *p, const char *path, int64_t *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(p->app, &end, 10);
	if (errno || end == p->app || *end || v < 1) {
		fprintf(stderr, "ccon: %s: profile %s (line %ld): app is an application id, "
		        "a whole number from 1\n", path, p->name, p->line);
		return -1;
	}
	*out = v;
	return 0;
}

/* Empties a variable the token came from, so that neither a child nor
 * /proc/PID/environ holds it any longer. */
static void wipe_token_env(const char *var, const char *token)
{
	char *v = var ? getenv(var) : NULL;

	if (v && strcmp(v, token) == 0) {
		explicit_bzero(v, strlen(v));
		unsetenv(var);
	}
}

/* The profile (-p, else the file's default profile unless --url is given)
 * under what the command line gives. */
static int remote_setup(const struct conn_options *o, struct connection *c)
{
	const struct ccon_settings *s = &c->settings;
	const char *name = o->profile ? o->profile : o->url ? NULL : s->profile;
	const struct ccon_profile *p = NULL;
	struct ccon_error err;

	if (name && !(p = ccon_settings_find_profile(s, name))) {
		char safe[128];

		ccon_sanitize(name, strlen(name), 0, safe, sizeof(safe));
		fprintf(stderr, "ccon: no profile '%s' in %s\n", safe, c->config_path);
		return 2;
	}
	if (o->url) {
		c->url = o->url;
	} else if (p) {
		c->url = p->url;
	} else {   /* conn_open: remote is --url, -p or a default profile */
		fprintf(stderr, "ccon: no server: give --url or a profile\n");
		return 2;
	}
	c->profile_name = p ? p->name : "remote";
	c->ca_file = p ? p->ca_file : NULL;
	c->app_id = o->app_id;
	if (!c->app_id && p && p->app && parse_app(p, c->config_path, &c->app_id) < 0)
		return 2;
	/* --url alone may go without a token (a server without auth) */
	if (!p && !o->token_env)
		return 0;
	if (ccon_settings_token(p, o->token_env, &c->token, &err) < 0) {
		fprintf(stderr, "ccon: %s\n", err.message);
		return 2;
	}
	/* no core dump, no ptrace by other processes of the user, and a
	 * /proc/PID/ that only root reads, while the token is in memory */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	wipe_token_env(o->token_env, c->token);
	if (p)
		wipe_token_env(p->token_env, c->token);
	return 0;
}

int conn_open(const struct conn_options *o, struct connection *c)
{
	int rc;

	memset(c, 0, sizeof(*c));
	c->lock_fd = -1;
	if ((rc = load_settings(o, c)) != 0)
		return rc;
	c->remote = o->url || o->profile || c->settings.profile;
	c->profile_name = c->remote ? "remote" : "embedded";
	return 0;
}

int conn_remote(const struct conn_options *o, struct connection *c)
{
	return c->remote ? remote_setup(o, c) : 0;
}

int conn_engine_prepare(struct connection *c, struct ccon_error *err)
{
	if (c->engine_prepared)
		return 0;
	if (embedded_prepare(&c->engine, err) < 0)
		return -1;
	c->engine_prepared = true;
	return 0;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static int start_ours(struct connection *c, bool demo, enum conn_owner owner,
                      struct ccon_error *err)
{
	struct engine_info in = { 0 };
	char why[sizeof(err->message)];

	if (embedded_run(&c->engine, demo, err) < 0)
		goto fail;
	c->engine_ours = true;
	snprintf(in.url, sizeof(in.url), "%s", c->engine.url);
	snprintf(in.key, sizeof(in.key), "%s", c->engine.key);
	snprintf(in.owner, sizeof(in.owner), "%s", owner == CONN_OWNER_CLI ? "cli" : "console");
	in.app_id = c->engine.app_id;
	in.pid = (long)getpid();
	if (engine_info_write(c->engine.data_dir, &in, err) < 0) {
		explicit_bzero(in.key, sizeof(in.key));
		goto fail;
	}
	explicit_bzero(in.key, sizeof(in.key));
	c->url = c->engine.url;
	c->token = c->engine.key;
	c->app_id = c->engine.app_id;
	return 0;
fail:
	snprintf(why, sizeof(why), "%s", err->message);
	return ccon_error_set(err, err->code, "the embedded engine: %s", why);
}

static int attach(struct connection *c, const struct engine_info *in)
{
	snprintf(c->attached_url, sizeof(c->attached_url), "%s", in->url);
	snprintf(c->attached_key, sizeof(c->attached_key), "%s", in->key);
	c->url = c->attached_url;
	c->token = c->attached_key;
	c->app_id = in->app_id;
	return 0;
}

/* How long a waiter gives the engine's holder: to write its file (it may
 * be starting), or, for a console, to finish its one command. */
#define FILE_WAIT_MS 10000
#define CLI_WAIT_MS 60000

int conn_engine(struct connection *c, bool demo, enum conn_owner owner, struct ccon_error *err)
{
	struct engine_info in;
	int64_t waited = 0;
	bool said = false;
	int got;

	if (conn_engine_prepare(c, err) < 0)
		return -1;
	for (;;) {
		got = engine_lock_try(c->engine.data_dir, &c->lock_fd, err);
		if (got < 0)
			return -1;
		if (got == 1)
			return start_ours(c, demo, owner, err);
		if (engine_info_read(c->engine.data_dir, &in, err) == 0) {
			if (owner == CONN_OWNER_CLI || strcmp(in.owner, "console") == 0) {
				attach(c, &in);
				explicit_bzero(in.key, sizeof(in.key));
				return 0;
			}
			explicit_bzero(in.key, sizeof(in.key));
			if (!said)
				fprintf(stderr, "ccon: waiting for a ccon command (pid %ld) to finish "
				        "with %s\n", in.pid, c->engine.data_dir);
			said = true;
			if (waited >= CLI_WAIT_MS)
				return ccon_error_set(err, CCON_E_CONFLICT, "the embedded engine: a ccon "
				                      "command (pid %ld) still holds %s", in.pid,
				                      c->engine.data_dir);
		} else if (err->code != CCON_E_NOT_FOUND) {
			return -1;
		} else if (waited >= FILE_WAIT_MS) {
			return ccon_error_set(err, CCON_E_CONFLICT, "the embedded engine: another "
			                      "ccon holds %s/engine.lock but wrote no engine file",
			                      c->engine.data_dir);
		}
		sleep_ms(50);
		waited += 50;
	}
}

void conn_free(struct connection *c)
{
	if (c->engine_ours)
		embedded_stop(&c->engine);
	if (c->engine_prepared)
		engine_unlock(c->engine.data_dir, c->lock_fd);
	c->lock_fd = -1;
	explicit_bzero(c->attached_key, sizeof(c->attached_key));
	if (c->remote && c->token) {
		explicit_bzero(c->token, strlen(c->token));
		free(c->token);
		/* no secret left: dumpable again, which the exit-time leak
		 * checker of sanitizer builds needs (it stops the process's
		 * threads through ptrace, and spins when it may not) */
		prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
	}
	c->token = NULL;
	ccon_settings_free(&c->settings);
}
