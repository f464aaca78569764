/* ccon - the campaign console: options and the configuration file
 * (ccon.conf(5)), all checked before the screen starts; then the embedded
 * engine or a remote server, then the console's loop. */
#include "config.h"

#include "app.h"
#include "colors.h"
#include "embedded.h"
#include "keys.h"
#include "term.h"

#include <ccon/ccon.h>
#include <ccon/sanitize.h>
#include <ccon/settings.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

struct options {
	const char *url;
	const char *token_env;
	const char *profile;
	const char *config;
	const char *theme;
	int64_t app_id;
	bool no_demo;
	long refresh_ms;
	const char *open_file;       /* `ccon FILE.csv` */
};

static void usage(FILE *out)
{
	fprintf(out,
	        "usage: ccon [OPTION]... [FILE.csv]\n"
	        "The campaign console for WhatsApp, SMS and RCS sends.\n"
	        "Without --url or a profile, it runs its own engine with its data in\n"
	        "$XDG_DATA_HOME/ccon (demo campaigns on the first run).\n"
	        "With FILE.csv, it opens that file's import preview at once.\n"
	        "\n"
	        "  -p, --profile NAME   the server of a profile in the configuration file\n"
	        "      --url URL        the server's base URL (http:// or https://)\n"
	        "      --token-env VAR  read the server's API key from environment variable VAR\n"
	        "      --app ID         the application id (for sends on the REST routes)\n"
	        "      --config FILE    the configuration file (default\n"
	        "                       $XDG_CONFIG_HOME/ccon/config)\n"
	        "      --theme NAME     a theme by name, or the path of a .theme file\n"
	        "      --no-demo        the embedded engine starts without demo data\n"
	        "      --refresh SECS   poll the campaign list every SECS seconds (default 5)\n"
	        "  -h, --help           show this help and exit\n"
	        "  -V, --version        show the version and exit\n"
	        "\n"
	        "See ccon(1) and ccon.conf(5).\n");
}

static int parse_long(const char *opt, const char *s, long min, long max, long *out)
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

enum {
	OPT_URL = 256, OPT_TOKEN_ENV, OPT_APP, OPT_NO_DEMO, OPT_REFRESH, OPT_CONFIG, OPT_THEME,
};

/* 0 to run, 1 when done (help, version), 2 on a usage error. */
static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "profile", required_argument, NULL, 'p' },
		{ "url", required_argument, NULL, OPT_URL },
		{ "token-env", required_argument, NULL, OPT_TOKEN_ENV },
		{ "app", required_argument, NULL, OPT_APP },
		{ "no-demo", no_argument, NULL, OPT_NO_DEMO },
		{ "refresh", required_argument, NULL, OPT_REFRESH },
		{ "config", required_argument, NULL, OPT_CONFIG },
		{ "theme", required_argument, NULL, OPT_THEME },
		{ NULL, 0, NULL, 0 },
	};
	long v;
	int c;

	while ((c = getopt_long(argc, argv, "hVp:", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			return 1;
		case 'V':
			printf("ccon %s\n", ccon_version());
			return 1;
		case 'p':
			o->profile = optarg;
			break;
		case OPT_URL:
			o->url = optarg;
			break;
		case OPT_TOKEN_ENV:
			o->token_env = optarg;
			break;
		case OPT_APP:
			if (parse_long("--app", optarg, 1, LONG_MAX, &v) < 0)
				return 2;
			o->app_id = v;
			break;
		case OPT_NO_DEMO:
			o->no_demo = true;
			break;
		case OPT_REFRESH:
			if (parse_long("--refresh", optarg, 1, 3600, &v) < 0)
				return 2;
			o->refresh_ms = v * 1000;
			break;
		case OPT_CONFIG:
			o->config = optarg;
			break;
		case OPT_THEME:
			o->theme = optarg;
			break;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc)
		o->open_file = argv[optind++];
	if (optind < argc) {
		fprintf(stderr, "ccon: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	if (o->open_file && access(o->open_file, R_OK) < 0) {
		fprintf(stderr, "ccon: %s: %s\n", o->open_file, strerror(errno));
		return 2;
	}
	if (o->url && strncmp(o->url, "http://", 7) != 0 && strncmp(o->url, "https://", 8) != 0) {
		fprintf(stderr, "ccon: --url wants an http:// or https:// URL\n");
		return 2;
	}
	if ((o->token_env || o->app_id) && !o->url && !o->profile) {
		fprintf(stderr, "ccon: --token-env and --app go with --url or --profile\n");
		return 2;
	}
	return 0;
}

/* The configuration file: --config's (which must exist) or the XDG one (a
 * missing one gives the defaults). 0, or 2 with the reason on stderr. */
static int load_settings(const struct options *o, char *path, size_t size,
                         struct ccon_settings *s)
{
	struct ccon_error err;

	if (o->config) {
		if (access(o->config, R_OK) < 0) {
			fprintf(stderr, "ccon: --config: %s: %s\n", o->config, strerror(errno));
			return 2;
		}
		snprintf(path, size, "%s", o->config);
	} else if (ccon_xdg_config_file(path, size, &err) < 0) {
		fprintf(stderr, "ccon: the configuration file: %s\n", err.message);
		return 2;
	}
	if (ccon_settings_load(path, s, &err) < 0) {
		fprintf(stderr, "ccon: %s\n", err.message);
		return 2;
	}
	return 0;
}

/* The remote server: the profile (-p, else the file's default profile
 * unless --url is given) under what the command line gives. */
struct remote {
	const struct ccon_profile *profile;
	const char *url;
	int64_t app_id;
	char *token;                 /* heap; wiped and freed by remote_free */
};

static bool remote_wanted(const struct options *o, const struct ccon_settings *s)
{
	return o->url || o->profile || s->profile;
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

static int remote_setup(const struct options *o, const struct ccon_settings *s,
                        const char *path, struct remote *r)
{
	const char *name = o->profile ? o->profile : o->url ? NULL : s->profile;
	struct ccon_error err;

	memset(r, 0, sizeof(*r));
	if (name && !(r->profile = ccon_settings_find_profile(s, name))) {
		char safe[128];

		ccon_sanitize(name, strlen(name), 0, safe, sizeof(safe));
		fprintf(stderr, "ccon: no profile '%s' in %s\n", safe, path);
		return 2;
	}
	r->url = o->url ? o->url : r->profile->url;
	r->app_id = o->app_id;
	if (!r->app_id && r->profile && r->profile->app && parse_app(r->profile, path, &r->app_id) < 0)
		return 2;
	/* --url alone may go without a token (a server without auth) */
	if (!r->profile && !o->token_env)
		return 0;
	if (ccon_settings_token(r->profile, o->token_env, &r->token, &err) < 0) {
		fprintf(stderr, "ccon: %s\n", err.message);
		return 2;
	}
	/* no core dump, no ptrace by other processes of the user, and a
	 * /proc/PID/ that only root reads, while the token is in memory */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	wipe_token_env(o->token_env, r->token);
	if (r->profile)
		wipe_token_env(r->profile->token_env, r->token);
	return 0;
}

static void remote_free(struct remote *r)
{
	if (r->token) {
		explicit_bzero(r->token, strlen(r->token));
		free(r->token);
		r->token = NULL;
		/* no secret left: dumpable again, which the exit-time leak
		 * checker of sanitizer builds needs (it stops the process's
		 * threads through ptrace, and spins when it may not) */
		prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
	}
}

static int run_remote(const struct remote *r, struct app_config *cfg)
{
	struct ccon_error err;

	cfg->profile = r->profile ? r->profile->name : "remote";
	cfg->url = r->url;
	cfg->token = r->token;
	cfg->app_id = r->app_id;
	cfg->ca_file = r->profile ? r->profile->ca_file : NULL;
	if (app_run(cfg, &err) < 0) {
		fprintf(stderr, "ccon: %s\n", err.message);
		return 1;
	}
	return 0;
}

struct engine {
	struct embedded e;
	bool demo;
};

/* app_config's start_server for the embedded engine. */
static int start_engine(void *ctx, struct app_config *cfg, struct ccon_error *err)
{
	struct engine *en = ctx;
	char why[sizeof(err->message)];

	if (embedded_run(&en->e, en->demo, err) < 0) {
		snprintf(why, sizeof(why), "%s", err->message);
		return ccon_error_set(err, err->code, "the embedded engine: %s", why);
	}
	cfg->url = en->e.url;
	cfg->token = en->e.key;
	cfg->app_id = en->e.app_id;
	return 0;
}

static int run_embedded(const struct options *o, struct app_config *cfg)
{
	struct engine en = { .demo = !o->no_demo };
	struct ccon_error err;
	int rc = 0;

	if (embedded_prepare(&en.e, &err) < 0) {
		fprintf(stderr, "ccon: the embedded engine: %s\n", err.message);
		return 1;
	}
	cfg->profile = "embedded";
	cfg->stderr_log = en.e.log_path;
	cfg->start_server = start_engine;
	cfg->server_ctx = &en;
	if (app_run(cfg, &err) < 0) {
		fprintf(stderr, "ccon: %s\n", err.message);
		rc = 1;
	}
	embedded_stop(&en.e);
	return rc;
}

/* Everything that can be wrong before the screen starts: the
 * configuration file, its key bindings, the theme, the profile and its
 * token. 0, or the exit status with the reason on stderr. */
static int prepare(const struct options *o, char *path, size_t size, struct ccon_settings *s,
                   struct remote *r)
{
	struct ccon_error err;
	int rc;

	if ((rc = load_settings(o, path, size, s)) != 0)
		return rc;
	if (keys_configure(s->bindings, s->n_bindings, path, &err) < 0 ||
	    colors_load(o->theme ? o->theme : s->theme, &err) < 0) {
		fprintf(stderr, "ccon: %s\n", err.message);
		return 2;
	}
	memset(r, 0, sizeof(*r));
	if (remote_wanted(o, s) && (rc = remote_setup(o, s, path, r)) != 0)
		return rc;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "ccon: the console needs a terminal (stdin and stdout)\n");
		return 2;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	struct app_config cfg = { 0 };
	struct ccon_settings settings;
	struct remote remote;
	struct ccon_error err;
	char path[4096];
	int rc;

	setlocale(LC_ALL, "");
	rc = parse_options(argc, argv, &o);
	if (rc)
		return rc == 1 ? 0 : rc;
	memset(&settings, 0, sizeof(settings));
	memset(&remote, 0, sizeof(remote));
	rc = prepare(&o, path, sizeof(path), &settings, &remote);
	/* before the engine starts its threads */
	if (rc == 0 && term_signals_init(&err) < 0) {
		fprintf(stderr, "ccon: %s\n", err.message);
		rc = 1;
	}
	if (rc == 0) {
		cfg.campaigns_every_ms = o.refresh_ms ? o.refresh_ms : settings.poll_campaigns_ms;
		cfg.focus_every_ms = settings.poll_report_ms;
		cfg.mouse = settings.mouse;
		cfg.open_file = o.open_file;
		rc = remote_wanted(&o, &settings) ? run_remote(&remote, &cfg)
		                                  : run_embedded(&o, &cfg);
	}
	remote_free(&remote);
	ccon_settings_free(&settings);
	return rc;
}
