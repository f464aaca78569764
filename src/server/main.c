/* ccond - the reference campaign server. For now: options only. */
#include "config.h"

#include <ccon/ccon.h>

#include <getopt.h>
#include <stdio.h>

static void usage(FILE *out)
{
	fprintf(out,
	        "usage: ccond [OPTION]...\n"
	        "The reference campaign server of ccon.\n"
	        "\n"
	        "  -h, --help       show this help and exit\n"
	        "  -V, --version    show the version and exit\n"
	        "\n"
	        "See ccond(8).\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "hV", opts, NULL)) != -1) {
		switch (c) {
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
	usage(stderr);
	return 2;
}
