/* ccon - the campaign console. For now: options, and the first screen. */
#include "config.h"

#include <ccon/ccon.h>

#include <curses.h>
#include <getopt.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t stop_requested;

static void on_stop_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void usage(FILE *out)
{
	fprintf(out,
	        "usage: ccon [OPTION]...\n"
	        "The campaign console for WhatsApp, SMS and RCS sends.\n"
	        "\n"
	        "  -h, --help       show this help and exit\n"
	        "  -V, --version    show the version and exit\n"
	        "\n"
	        "See ccon(1).\n");
}

static void draw_first_screen(bool color)
{
	int rows, cols;

	getmaxyx(stdscr, rows, cols);
	erase();
	if (color)
		attron(COLOR_PAIR(1));
	attron(A_BOLD);
	mvhline(0, 0, ' ', cols);
	mvprintw(0, 1, "ccon %s", ccon_version());
	attroff(A_BOLD);
	mvprintw(0, cols > 40 ? cols - 28 : 1, "campaign console");
	if (color)
		attroff(COLOR_PAIR(1));
	mvprintw(2, 2, "Campaigns");
	mvprintw(4, 4, "No campaign server is connected yet.");
	mvprintw(5, 4, "The campaign list, reports and the send wizard come in the next releases.");
	if (color)
		attron(COLOR_PAIR(1));
	mvhline(rows - 1, 0, ' ', cols);
	mvprintw(rows - 1, 1, "q quit");
	if (color)
		attroff(COLOR_PAIR(1));
	refresh();
}

static int run_console(void)
{
	const char *no_color = getenv("NO_COLOR");
	bool color;
	int ch;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "ccon: the console needs a terminal (stdin and stdout)\n");
		return 2;
	}
	initscr();
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	curs_set(0);
	color = has_colors() && !(no_color && *no_color);
	if (color) {
		start_color();
		use_default_colors();
		init_pair(1, COLOR_BLACK, COLOR_CYAN);
	}
	timeout(250);
	draw_first_screen(color);
	while (!stop_requested) {
		ch = getch();
		if (ch == 'q')
			break;
		if (ch == KEY_RESIZE || ch == 12 /* ^L */)
			draw_first_screen(color);
	}
	endwin();
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct sigaction sa;
	int c;

	setlocale(LC_ALL, "");
	while ((c = getopt_long(argc, argv, "hV", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("ccon %s\n", ccon_version());
			return 0;
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
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	return run_console();
}
