/* embedded.c - the ccond engine in-process. */
#include "config.h"

#include "embedded.h"

#include "../server/ccond.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int embedded_data_dir(char *buf, size_t size, struct ccon_error *err)
{
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	int n;

	/* XDG: a relative path is invalid and is ignored */
	if (xdg && xdg[0] == '/')
		n = snprintf(buf, size, "%s/ccon", xdg);
	else if (home && home[0] == '/')
		n = snprintf(buf, size, "%s/.local/share/ccon", home);
	else
		return ccon_error_set(err, CCON_E_INVALID_ARGUMENT,
		                      "neither XDG_DATA_HOME nor HOME is an absolute path");
	if (n < 0 || (size_t)n >= size)
		return ccon_error_set(err, CCON_E_INVALID_ARGUMENT, "the data directory path is too long");
	return 0;
}

/* mkdir -p with 0700 for what it creates; the last one must be ours. */
static int make_dirs(char *path, struct ccon_error *err)
{
	struct stat st;

	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) < 0 && errno != EEXIST) {
			ccon_error_set(err, CCON_E_IO, "%s: %s", path, strerror(errno));
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return ccon_error_set(err, CCON_E_IO, "%s: %s", path, strerror(errno));
	if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
		return ccon_error_set(err, CCON_E_IO, "%s: not a directory", path);
	return 0;
}

int embedded_prepare(struct embedded *e, struct ccon_error *err)
{
	memset(e, 0, sizeof(*e));
	if (embedded_data_dir(e->data_dir, sizeof(e->data_dir), err) < 0 ||
	    make_dirs(e->data_dir, err) < 0)
		return -1;
	snprintf(e->log_path, sizeof(e->log_path), "%s/ccon.log", e->data_dir);
	return 0;
}

int embedded_run(struct embedded *e, bool demo, struct ccon_error *err)
{
	struct ccond_config cfg = { 0 };
	char key[CCOND_KEY_SIZE];

	if (ccond_local_app(e->data_dir, demo, &e->app_id, key, err) < 0)
		return -1;
	memcpy(e->key, key, sizeof(key));
	explicit_bzero(key, sizeof(key));
	cfg.data_dir = e->data_dir;
	cfg.listen_host = "127.0.0.1";
	cfg.port = 0;
	cfg.threads = 2;
	if (ccond_start(&cfg, &e->engine, err) < 0) {
		explicit_bzero(e->key, sizeof(e->key));
		return -1;
	}
	snprintf(e->url, sizeof(e->url), "http://127.0.0.1:%u", (unsigned)ccond_port(e->engine));
	return 0;
}

int embedded_start(struct embedded *e, bool demo, struct ccon_error *err)
{
	if (embedded_prepare(e, err) < 0)
		return -1;
	return embedded_run(e, demo, err);
}

void embedded_stop(struct embedded *e)
{
	if (e->engine)
		ccond_stop(e->engine);
	e->engine = NULL;
	explicit_bzero(e->key, sizeof(e->key));
}
