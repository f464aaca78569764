/* ccond - the reference campaign server: a thin main around the engine. */
#include "config.h"

#include "access_log.h"
#include "ccond.h"
#include "http.h"

#include <ccon/ccon.h>

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
	fprintf(out,
	        "usage: ccond --data-dir DIR [--listen HOST:PORT] [OPTION]...\n"
	        "       ccond --data-dir DIR --create-app NAME\n"
	        "       ccond --data-dir DIR --demo\n"
	        "The reference campaign server of ccon.\n"
	        "\n"
	        "  -d, --data-dir DIR       where the database lives (created 0700)\n"
	        "  -l, --listen HOST:PORT   address to serve on (default 127.0.0.1:8480;\n"
	        "                           port 0 picks a free one; IPv6 as [::1]:PORT)\n"
	        "      --threads N          HTTP worker threads (default 4)\n"
	        "      --max-body BYTES     largest JSON body accepted (default 16777216)\n"
	        "      --clock real|manual  manual: time moves only by POST /v1/admin/clock\n"
	        "      --config FILE        slot settings (default DIR/ccond.conf if present)\n"
	        "      --access-log FILE    a line per request answered (- for stderr)\n"
	        "      --create-app NAME    create an application, print its id and key, exit\n"
	        "      --demo               create the demo application once (campaigns on\n"
	        "                           every channel, sends in every state), print its\n"
	        "                           id and a new key, exit\n"
	        "  -h, --help               show this help and exit\n"
	        "  -V, --version            show the version and exit\n"
	        "\n"
	        "See ccond(8).\n");
}

/* "127.0.0.1:8480", "[::1]:0" or ":8480" (loopback). */
static int parse_listen(const char *s, char *host, size_t host_size, uint16_t *port)
{
	const char *colon;
	char *end;
	unsigned long p;
	size_t n;

	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (!close || close[1] != ':')
			return -1;
		n = (size_t)(close - s - 1);
		if (n >= host_size)
			return -1;
		memcpy(host, s + 1, n);
		host[n] = '\0';
		colon = close + 1;
	} else {
		colon = strrchr(s, ':');
		if (!colon)
			return -1;
		n = (size_t)(colon - s);
		if (n >= host_size)
			return -1;
		memcpy(host, s, n);
		host[n] = '\0';
		if (n == 0)
			snprintf(host, host_size, "127.0.0.1");
	}
	errno = 0;
	p = strtoul(colon + 1, &end, 10);
	if (errno || *end || end == colon + 1 || p > 65535)
		return -1;
	*port = (uint16_t)p;
	return 0;
}

static int parse_size(const char *s, size_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || end == s || v == 0 || v > SIZE_MAX)
		return -1;
	*out = (size_t)v;
	return 0;
}

int main(int argc, char **argv)
{
	enum { OPT_THREADS = 256, OPT_MAX_BODY, OPT_CREATE_APP, OPT_DEMO, OPT_CLOCK, OPT_CONFIG,
	       OPT_ACCESS_LOG };
	static const struct option opts[] = {
		{ "data-dir", required_argument, NULL, 'd' },
		{ "listen", required_argument, NULL, 'l' },
		{ "threads", required_argument, NULL, OPT_THREADS },
		{ "max-body", required_argument, NULL, OPT_MAX_BODY },
		{ "create-app", required_argument, NULL, OPT_CREATE_APP },
		{ "demo", no_argument, NULL, OPT_DEMO },
		{ "clock", required_argument, NULL, OPT_CLOCK },
		{ "config", required_argument, NULL, OPT_CONFIG },
		{ "access-log", required_argument, NULL, OPT_ACCESS_LOG },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct ccond_config cfg = { NULL, "127.0.0.1", 8480, 4, 16u << 20, 0, NULL };
	const char *create_app = NULL, *access_log_path = NULL;
	struct access_log *log = NULL;
	char host[64] = "127.0.0.1", key[CCOND_KEY_SIZE];
	struct ccon_error err;
	struct ccond *d;
	sigset_t stop_set;
	size_t threads;
	int64_t app_id;
	bool demo = false, created;
	int c, sig;

	while ((c = getopt_long(argc, argv, "d:l:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			cfg.data_dir = optarg;
			break;
		case 'l':
			if (parse_listen(optarg, host, sizeof(host), &cfg.port) < 0) {
				fprintf(stderr, "ccond: --listen wants HOST:PORT, got '%s'\n", optarg);
				return 2;
			}
			cfg.listen_host = host;
			break;
		case OPT_THREADS:
			if (parse_size(optarg, &threads) < 0 || threads > 256) {
				fprintf(stderr, "ccond: --threads wants 1..256, got '%s'\n", optarg);
				return 2;
			}
			cfg.threads = (unsigned)threads;
			break;
		case OPT_MAX_BODY:
			if (parse_size(optarg, &cfg.max_body) < 0) {
				fprintf(stderr, "ccond: --max-body wants a byte count, got '%s'\n", optarg);
				return 2;
			}
			break;
		case OPT_CREATE_APP:
			create_app = optarg;
			break;
		case OPT_CLOCK:
			if (strcmp(optarg, "real") != 0 && strcmp(optarg, "manual") != 0) {
				fprintf(stderr, "ccond: --clock wants real or manual, got '%s'\n", optarg);
				return 2;
			}
			cfg.manual_clock = strcmp(optarg, "manual") == 0;
			break;
		case OPT_DEMO:
			demo = true;
			break;
		case OPT_CONFIG:
			cfg.config_file = optarg;
			break;
		case OPT_ACCESS_LOG:
			if (!*optarg) {
				fprintf(stderr, "ccond: --access-log wants a file or -\n");
				return 2;
			}
			access_log_path = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("ccond %s\n", ccon_version());
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc || !cfg.data_dir) {
		if (optind < argc)
			fprintf(stderr, "ccond: unexpected argument '%s'\n", argv[optind]);
		else
			fprintf(stderr, "ccond: --data-dir is required\n");
		usage(stderr);
		return 2;
	}
	if (create_app && demo) {
		fprintf(stderr, "ccond: --create-app and --demo exclude each other\n");
		return 2;
	}
	ccon_error_clear(&err);
	if (demo) {
		if (ccond_demo(cfg.data_dir, &app_id, key, &created, &err) < 0) {
			fprintf(stderr, "ccond: %s\n", err.message);
			return 1;
		}
		if (!created)
			fprintf(stderr, "ccond: the demo application exists already: nothing added, "
			                "its key replaced (the previous one no longer works)\n");
		printf("{\"appId\":%" PRId64 ",\"apiKey\":\"%s\"}\n", app_id, key);
		return 0;
	}
	if (create_app) {
		if (ccond_create_app(cfg.data_dir, create_app, &app_id, key, &err) < 0) {
			fprintf(stderr, "ccond: %s\n", err.message);
			return 1;
		}
		printf("{\"appId\":%" PRId64 ",\"apiKey\":\"%s\"}\n", app_id, key);
		return 0;
	}

	/* Block the stop signals in every thread; this one waits for them. */
	sigemptyset(&stop_set);
	sigaddset(&stop_set, SIGINT);
	sigaddset(&stop_set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop_set, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (access_log_path && access_log_open(access_log_path, &log, &err) < 0) {
		fprintf(stderr, "ccond: %s\n", err.message);
		return 1;
	}
	http_set_access_log(log);
	if (ccond_start(&cfg, &d, &err) < 0) {
		fprintf(stderr, "ccond: %s\n", err.message);
		access_log_close(log);
		return 1;
	}
	if (strchr(cfg.listen_host, ':'))
		printf("ccond listening on http://[%s]:%u\n", cfg.listen_host, (unsigned)ccond_port(d));
	else
		printf("ccond listening on http://%s:%u\n", cfg.listen_host, (unsigned)ccond_port(d));
	fflush(stdout);
	sigwait(&stop_set, &sig);
	fprintf(stderr, "ccond: %s, stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
	ccond_stop(d);
	http_set_access_log(NULL);
	access_log_close(log);
	return 0;
}
