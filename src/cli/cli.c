/* cli.c - the subcommands' table, their options and the dispatch. */
#include "config.h"

#include "cli.h"

#include "cmd.h"

#include <ccon/ccon.h>

#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <unistd.h>

struct subcommand {
	const char *name;
	const char *usage;           /* after "ccon [OPTION]... NAME " */
	const char *what;
	unsigned mask;               /* the S_ bit of its own options */
	int min_args, max_args;
	bool server;                 /* talks to a server (else: local only) */
	int (*run)(struct cli *cli);
};

enum {
	S_CAMPAIGNS = 1u << 0, S_REPORT = 1u << 1, S_AUDIENCE = 1u << 2, S_SEND = 1u << 3,
	S_VALIDATE = 1u << 4, S_CANCEL = 1u << 5, S_RETRY = 1u << 6, S_HELP = 1u << 7,
	S_SERVER = S_CAMPAIGNS | S_REPORT | S_AUDIENCE | S_SEND | S_CANCEL | S_RETRY,
	S_ALL = 0xff,
};

static int sub_help(struct cli *cli);

static const struct subcommand subcommands[] = {
	{ "campaigns", "", "the campaign list (every page)", S_CAMPAIGNS, 0, 0, true,
	  sub_campaigns },
	{ "report", "ID", "one campaign: counts by status, failures by reason", S_REPORT, 1, 1,
	  true, sub_report },
	{ "audience", "ID [--status STATUS]", "a campaign's recipients (every page)", S_AUDIENCE,
	  1, 1, true, sub_audience },
	{ "send", "--campaign ID (CONTACTS.json | --csv FILE --layout L.json) [--schedule-at T | "
	  "--delay D] [--slicing S] [--dry-run] [--idempotency-key KEY]",
	  "send a campaign to JSON contacts or a CSV file", S_SEND, 0, 1, true, sub_send },
	{ "validate", "FILE.csv --layout L.json", "check a CSV file with a layout, offline",
	  S_VALIDATE, 1, 1, false, sub_validate },
	{ "cancel", "ID", "cancel a scheduled campaign", S_CANCEL, 1, 1, true, sub_cancel },
	{ "retry-failed", "ID [--all] [--dry-run] [--idempotency-key KEY]",
	  "send a campaign's failed recipients again", S_RETRY, 1, 1, true, sub_retry_failed },
	{ "help", "", "this list", S_HELP, 0, 0, false, sub_help },
};
#define N_SUBCOMMANDS (sizeof(subcommands) / sizeof(subcommands[0]))

enum {
	O_URL = 256, O_TOKEN_ENV, O_APP, O_CONFIG, O_NO_DEMO, O_JSON, O_TIMEOUT, O_RETRIES,
	O_STATUS, O_CSV, O_LAYOUT, O_CAMPAIGN, O_SCHEDULE_AT, O_DELAY, O_SLICING, O_DRY_RUN,
	O_KEY, O_ALL, O_PROGRESS, O_NO_PROGRESS,
};

struct opt {
	struct option o;
	unsigned mask;               /* the subcommands that take it */
};

static const struct opt opts[] = {
	{ { "profile", required_argument, NULL, 'p' }, S_SERVER },
	{ { "url", required_argument, NULL, O_URL }, S_SERVER },
	{ { "token-env", required_argument, NULL, O_TOKEN_ENV }, S_SERVER },
	{ { "app", required_argument, NULL, O_APP }, S_SERVER },
	{ { "config", required_argument, NULL, O_CONFIG }, S_ALL },
	{ { "no-demo", no_argument, NULL, O_NO_DEMO }, S_SERVER },
	{ { "timeout", required_argument, NULL, O_TIMEOUT }, S_SERVER },
	{ { "retries", required_argument, NULL, O_RETRIES }, S_SERVER },
	{ { "json", no_argument, NULL, O_JSON }, S_ALL & ~S_HELP },
	{ { "status", required_argument, NULL, O_STATUS }, S_AUDIENCE },
	{ { "csv", required_argument, NULL, O_CSV }, S_SEND },
	{ { "layout", required_argument, NULL, O_LAYOUT }, S_SEND | S_VALIDATE },
	{ { "campaign", required_argument, NULL, O_CAMPAIGN }, S_SEND },
	{ { "schedule-at", required_argument, NULL, O_SCHEDULE_AT }, S_SEND },
	{ { "delay", required_argument, NULL, O_DELAY }, S_SEND },
	{ { "slicing", required_argument, NULL, O_SLICING }, S_SEND },
	{ { "dry-run", no_argument, NULL, O_DRY_RUN }, S_SEND | S_RETRY },
	{ { "idempotency-key", required_argument, NULL, O_KEY }, S_SEND | S_RETRY },
	{ { "all", no_argument, NULL, O_ALL }, S_RETRY },
	{ { "progress", no_argument, NULL, O_PROGRESS }, S_VALIDATE },
	{ { "no-progress", no_argument, NULL, O_NO_PROGRESS }, S_VALIDATE },
	{ { "help", no_argument, NULL, 'h' }, S_ALL },
};
#define N_OPTS (sizeof(opts) / sizeof(opts[0]))

/* The console's options that take a value (to step over it). */
static bool console_takes_value(const char *arg)
{
	static const char *const with[] = { "--url", "--token-env", "--app", "--config",
		                                "--theme", "--refresh", "--profile", "-p" };

	for (size_t i = 0; i < sizeof(with) / sizeof(with[0]); i++)
		if (strcmp(arg, with[i]) == 0)
			return true;
	return false;
}

static const struct subcommand *find(const char *name)
{
	for (size_t i = 0; i < N_SUBCOMMANDS; i++)
		if (strcmp(subcommands[i].name, name) == 0)
			return &subcommands[i];
	return NULL;
}

static bool looks_like_file(const char *s)
{
	size_t n = strlen(s);

	return strchr(s, '/') || (n >= 4 && strcasecmp(s + n - 4, ".csv") == 0);
}

int cli_subcommand_at(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--") == 0)
			return 0;
		if (a[0] == '-' && a[1]) {
			/* -pNAME and --opt=value hold their value */
			if (console_takes_value(a))
				i++;
			continue;
		}
		return !looks_like_file(a) && find(a) ? i : 0;
	}
	return 0;
}

static void usage_line(FILE *f, const struct subcommand *s)
{
	fprintf(f, "usage: ccon [OPTION]... %s%s%s\n", s->name, s->usage[0] ? " " : "", s->usage);
}

static int sub_help(struct cli *cli)
{
	(void)cli;
	printf("usage: ccon [OPTION]... SUBCOMMAND [ARG]...\n"
	       "The scriptable face of the campaign console (see ccon(1), SUBCOMMANDS).\n\n");
	for (size_t i = 0; i < N_SUBCOMMANDS; i++)
		printf("  %-13s %s\n", subcommands[i].name, subcommands[i].what);
	printf("\nOptions of every subcommand that talks to a server:\n"
	       "  -p, --profile NAME, --url URL, --token-env VAR, --app ID, --config FILE,\n"
	       "  --no-demo (as for the console), --timeout SECS (a request's, default 15),\n"
	       "  --retries N (after a failure without an answer, 429 or 5xx; default 3)\n"
	       "  --json    one JSON document on standard output\n"
	       "Exit status: 0 ok, 1 failure, 2 usage, 3 invalid input, 4 auth,\n"
	       "5 the server refused, 6 network.\n");
	return 0;
}

int cli_usage_error(struct cli *cli, const char *fmt, ...)
{
	const struct subcommand *s = find(cli->name);
	va_list ap;

	fprintf(stderr, "ccon %s: ", cli->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (s)
		usage_line(stderr, s);
	return CLI_EXIT_USAGE;
}

/* One option's value into the arguments. 0, or 2 (said). */
static int take(struct cli *cli, int c, const char *v)
{
	struct cli_args *a = &cli->a;
	long n;

	switch (c) {
	case 'p': cli->conn_opts.profile = v; break;
	case O_URL:
		if (conn_check_url(v) < 0)
			return CLI_EXIT_USAGE;
		cli->conn_opts.url = v;
		break;
	case O_TOKEN_ENV: cli->conn_opts.token_env = v; break;
	case O_APP:
		if (conn_parse_long("--app", v, 1, LONG_MAX, &n) < 0)
			return CLI_EXIT_USAGE;
		cli->conn_opts.app_id = n;
		break;
	case O_CONFIG: cli->conn_opts.config = v; break;
	case O_NO_DEMO: cli->conn_opts.no_demo = true; break;
	case O_TIMEOUT:
		if (conn_parse_long("--timeout", v, 1, 3600, &a->timeout_s) < 0)
			return CLI_EXIT_USAGE;
		break;
	case O_RETRIES:
		if (conn_parse_long("--retries", v, 1, 20, &a->retries) < 0)
			return CLI_EXIT_USAGE;
		break;
	case O_JSON: a->json = true; break;
	case O_STATUS: a->status = v; break;
	case O_CSV: a->csv = v; break;
	case O_LAYOUT: a->layout = v; break;
	case O_CAMPAIGN:
		if (cli_parse_id(v, &a->campaign) < 0)
			return cli_usage_error(cli, "--campaign wants a campaign id (a whole number from 1)");
		break;
	case O_SCHEDULE_AT: a->schedule_at = v; break;
	case O_DELAY: a->delay = v; break;
	case O_SLICING: a->slicing = v; break;
	case O_DRY_RUN: a->dry_run = true; break;
	case O_KEY: a->idempotency_key = v; break;
	case O_ALL: a->all = true; break;
	case O_PROGRESS: a->progress = true; break;
	case O_NO_PROGRESS: a->no_progress = true; break;
	}
	return 0;
}

static int parse(struct cli *cli, const struct subcommand *s, int argc, char **argv)
{
	struct option all[N_OPTS + 1];
	int c, rc;

	for (size_t i = 0; i < N_OPTS; i++)
		all[i] = opts[i].o;
	all[N_OPTS] = (struct option){ 0 };
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":hp:", all, NULL)) != -1) {
		const struct opt *o = NULL;

		for (size_t i = 0; i < N_OPTS; i++)
			if (opts[i].o.val == c)
				o = &opts[i];
		if (c == '?')
			return cli_usage_error(cli, "unknown option '%s'", argv[optind - 1]);
		if (c == ':')
			return cli_usage_error(cli, "'%s' wants a value", argv[optind - 1]);
		if (c == 'h') {
			usage_line(stdout, s);
			return -1;
		}
		if (o && !(o->mask & s->mask))
			return cli_usage_error(cli, "'%s' is not an option of %s", argv[optind - 1],
			                       s->name);
		if ((rc = take(cli, c, optarg)) != 0)
			return rc;
	}
	for (; optind < argc; optind++) {
		if (cli->a.n_args == s->max_args)
			return cli_usage_error(cli, "unexpected argument '%s'", argv[optind]);
		cli->a.args[cli->a.n_args++] = argv[optind];
	}
	if (cli->a.n_args < s->min_args)
		return cli_usage_error(cli, "missing %s", s->usage);
	if ((cli->conn_opts.token_env || cli->conn_opts.app_id) && !cli->conn_opts.url &&
	    !cli->conn_opts.profile)
		return cli_usage_error(cli, "--token-env and --app go with --url or --profile");
	return 0;
}

static size_t terminal_width(void)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 0;
}

int cli_main(int argc, char **argv, int sub)
{
	const struct subcommand *s = find(argv[sub]);
	const char *no_color = getenv("NO_COLOR");
	char **rest = calloc((size_t)argc, sizeof(*rest));
	struct cli cli = { 0 };
	int n = 0, rc;

	if (!rest) {
		fprintf(stderr, "ccon: out of memory\n");
		return CLI_EXIT_FAIL;
	}
	/* argv without the subcommand word: options may come before or after it */
	for (int i = 0; i < argc; i++)
		if (i != sub)
			rest[n++] = argv[i];
	cli.name = s->name;
	cli.width = isatty(STDOUT_FILENO) ? terminal_width() : 0;
	cli.color = isatty(STDOUT_FILENO) && !(no_color && *no_color);
	rc = parse(&cli, s, n, rest);
	if (rc == 0 && s->server)
		rc = cli_connect(&cli);
	if (rc == 0)
		rc = s->run(&cli);
	cli_disconnect(&cli);
	free(rest);
	return rc < 0 ? 0 : rc;
}
