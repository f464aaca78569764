/* ccon - the campaign console: options and the configuration file
 * (ccon.conf(5)), all checked before the screen starts; then the embedded
 * engine or a remote server, then the console's loop. */
#include "config.h"

#include "app.h"
#include "colors.h"
#include "connection.h"
#include "../cli/cli.h"
#include "keys.h"
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
	struct conn_options conn;
	const char *theme;
	long refresh_ms;
	const char *open_file;       /* `ccon FILE.csv` */
};

static void usage(FILE *out)
{
	fprintf(out,
	        "usage: ccon [OPTION]... [FILE.csv]\n"
	        "       ccon [OPTION]... SUBCOMMAND [ARG]... (ccon help: the subcommands)\n"
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
			o->conn.profile = optarg;
			break;
		case OPT_URL:
			o->conn.url = optarg;
			break;
		case OPT_TOKEN_ENV:
			o->conn.token_env = optarg;
			break;
		case OPT_APP:
			if (conn_parse_long("--app", optarg, 1, LONG_MAX, &v) < 0)
				return 2;
			o->conn.app_id = v;
			break;
		case OPT_NO_DEMO:
			o->conn.no_demo = true;
			break;
		case OPT_REFRESH:
			if (conn_parse_long("--refresh", optarg, 1, 3600, &v) < 0)
				return 2;
			o->refresh_ms = v * 1000;
			break;
		case OPT_CONFIG:
			o->conn.config = optarg;
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
	if (o->conn.url && conn_check_url(o->conn.url) < 0)
		return 2;
	if ((o->conn.token_env || o->conn.app_id) && !o->conn.url && !o->conn.profile) {
		fprintf(stderr, "ccon: --token-env and --app go with --url or --profile\n");
		return 2;
	}
	return 0;
}

static int run_remote(const struct connection *c, struct app_config *cfg)
{
	struct ccon_error err;

	cfg->profile = c->profile_name;
	cfg->url = c->url;
	cfg->token = c->token;
	cfg->app_id = c->app_id;
	cfg->ca_file = c->ca_file;
	if (app_run(cfg, &err) < 0) {
		fprintf(stderr, "ccon: %s\n", err.message);
		return 1;
	}
	return 0;
}

struct engine {
	struct connection *c;
	bool demo;
};

/* app_config's start_server for the embedded engine (ours, or that of
 * another console on the same data directory: connection.h). */
static int start_engine(void *ctx, struct app_config *cfg, struct ccon_error *err)
{
	struct engine *en = ctx;

	if (conn_engine(en->c, en->demo, CONN_OWNER_CONSOLE, err) < 0)
		return -1;
	cfg->url = en->c->url;
	cfg->token = en->c->token;
	cfg->app_id = en->c->app_id;
	return 0;
}

static int run_embedded(const struct options *o, struct connection *c, struct app_config *cfg)
{
	struct engine en = { .c = c, .demo = !o->conn.no_demo };
	struct ccon_error err;
	int rc;

	if (conn_engine_prepare(c, &err) < 0) {
		fprintf(stderr, "ccon: the embedded engine: %s\n", err.message);
		return 1;
	}
	cfg->profile = c->profile_name;
	cfg->stderr_log = c->engine.log_path;
	cfg->start_server = start_engine;
	/* cppcheck-suppress autoVariables ; app_run is done with it before en goes */
	cfg->server_ctx = &en;
	rc = app_run(cfg, &err);
	cfg->server_ctx = NULL;
	if (rc < 0) {
		fprintf(stderr, "ccon: %s\n", err.message);
		return 1;
	}
	return 0;
}

/* Everything that can be wrong before the screen starts: the
 * configuration file, its key bindings, the theme, the profile and its
 * token. 0, or the exit status with the reason on stderr. */
static int prepare(const struct options *o, struct connection *c)
{
	struct ccon_error err;
	int rc;

	if ((rc = conn_open(&o->conn, c)) != 0)
		return rc;
	if (keys_configure(c->settings.bindings, c->settings.n_bindings, c->config_path, &err) < 0 ||
	    colors_load(o->theme ? o->theme : c->settings.theme, &err) < 0) {
		fprintf(stderr, "ccon: %s\n", err.message);
		return 2;
	}
	if ((rc = conn_remote(&o->conn, c)) != 0)
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
	struct connection c;
	struct ccon_error err;
	int rc, sub;

	setlocale(LC_ALL, "");
	sub = cli_subcommand_at(argc, argv);
	if (sub > 0)
		return cli_main(argc, argv, sub);
	rc = parse_options(argc, argv, &o);
	if (rc)
		return rc == 1 ? 0 : rc;
	rc = prepare(&o, &c);
	/* before the engine starts its threads */
	if (rc == 0 && term_signals_init(&err) < 0) {
		fprintf(stderr, "ccon: %s\n", err.message);
		rc = 1;
	}
	if (rc == 0) {
		cfg.campaigns_every_ms = o.refresh_ms ? o.refresh_ms : c.settings.poll_campaigns_ms;
		cfg.focus_every_ms = c.settings.poll_report_ms;
		cfg.mouse = c.settings.mouse;
		cfg.open_file = o.open_file;
		rc = c.remote ? run_remote(&c, &cfg) : run_embedded(&o, &c, &cfg);
	}
	conn_free(&c);
	return rc;
}
