/* ccon - the campaign console: options, then the embedded engine or a
 * remote server, then the console's loop. */
#include "config.h"

#include "app.h"
#include "embedded.h"
#include "term.h"

#include <ccon/ccon.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct options {
	const char *url;
	const char *token_env;
	const char *profile;
	int64_t app_id;
	bool no_demo;
	long refresh_ms;
};

static void usage(FILE *out)
{
	fprintf(out,
	        "usage: ccon [OPTION]...\n"
	        "The campaign console for WhatsApp, SMS and RCS sends.\n"
	        "Without --url or --profile, it runs its own engine with its data in\n"
	        "$XDG_DATA_HOME/ccon (demo campaigns on the first run).\n"
	        "\n"
	        "  -p, --profile NAME   the server of a profile in the configuration file\n"
	        "      --url URL        the server's base URL (http:// or https://)\n"
	        "      --token-env VAR  read the server's API key from environment variable VAR\n"
	        "      --app ID         the application id (for sends on the REST routes)\n"
	        "      --no-demo        the embedded engine starts without demo data\n"
	        "      --refresh SECS   poll the campaign list every SECS seconds (default 5)\n"
	        "  -h, --help           show this help and exit\n"
	        "  -V, --version        show the version and exit\n"
	        "\n"
	        "See ccon(1).\n");
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

enum { OPT_URL = 256, OPT_TOKEN_ENV, OPT_APP, OPT_NO_DEMO, OPT_REFRESH };

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
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "ccon: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	if (o->url && strncmp(o->url, "http://", 7) != 0 && strncmp(o->url, "https://", 8) != 0) {
		fprintf(stderr, "ccon: --url wants an http:// or https:// URL\n");
		return 2;
	}
	if ((o->token_env || o->app_id) && !o->url && !o->profile) {
		fprintf(stderr, "ccon: --token-env and --app go with --url\n");
		return 2;
	}
	return 0;
}

/* The token for --url: from --token-env's variable. 0, or 2 on an error. */
static int remote_token(const struct options *o, const char **token)
{
	*token = NULL;
	if (o->profile) {
		/* TODO(settings.h): read the profile from $XDG_CONFIG_HOME/ccon/config */
		fprintf(stderr, "ccon: profiles need the configuration file, which this build "
		                "does not read yet; use --url and --token-env\n");
		return 2;
	}
	if (o->token_env) {
		*token = getenv(o->token_env);
		if (!*token || !**token) {
			fprintf(stderr, "ccon: --token-env: the environment variable %s is not set\n",
			        o->token_env);
			return 2;
		}
	}
	return 0;
}

static int run_remote(const struct options *o, const char *token, struct app_config *cfg)
{
	struct ccon_error err;

	cfg->profile = "remote";
	cfg->url = o->url;
	cfg->token = token;
	cfg->app_id = o->app_id;
	if (app_run(cfg, &err) < 0) {
		fprintf(stderr, "ccon: %s\n", err.message);
		return 1;
	}
	return 0;
}

static int run_embedded(const struct options *o, struct app_config *cfg)
{
	struct embedded e;
	struct ccon_error err;
	int rc = 0;

	if (embedded_start(&e, !o->no_demo, &err) < 0) {
		fprintf(stderr, "ccon: the embedded engine: %s\n", err.message);
		return 1;
	}
	cfg->profile = "embedded";
	cfg->url = e.url;
	cfg->token = e.key;
	cfg->app_id = e.app_id;
	cfg->stderr_log = e.log_path;
	if (app_run(cfg, &err) < 0) {
		fprintf(stderr, "ccon: %s\n", err.message);
		rc = 1;
	}
	embedded_stop(&e);
	return rc;
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	struct app_config cfg = { 0 };
	struct ccon_error err;
	const char *token = NULL;
	int rc;

	setlocale(LC_ALL, "");
	rc = parse_options(argc, argv, &o);
	if (rc)
		return rc == 1 ? 0 : rc;
	if ((o.url || o.profile) && (rc = remote_token(&o, &token)) != 0)
		return rc;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "ccon: the console needs a terminal (stdin and stdout)\n");
		return 2;
	}
	/* before the engine starts its threads */
	if (term_signals_init(&err) < 0) {
		fprintf(stderr, "ccon: %s\n", err.message);
		return 1;
	}
	cfg.campaigns_every_ms = o.refresh_ms;
	return o.url || o.profile ? run_remote(&o, token, &cfg) : run_embedded(&o, &cfg);
}
