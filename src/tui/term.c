/* term.c - curses set-up and restore, and signals through a self-pipe. */
#include "config.h"

#include "term.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
/* NOLINTNEXTLINE(readability-duplicate-include): ncurses' terminfo header, not ours */
#include <term.h>
#include <termios.h>
#include <unistd.h>

static int sig_pipe[2] = { -1, -1 };
static struct termios saved_tio;
static bool have_tio;
static bool curses_on;
static int saved_stderr = -1;
/* what the crash handler writes: leave the alternate screen, show the
 * cursor, plain attributes; filled from terminfo when curses starts */
static char reset_seq[128] = "\033[?1049l\033[?25h\033[0m\r\n";
static size_t reset_len;

static void on_signal(int sig)
{
	int saved = errno;
	unsigned char c = (unsigned char)sig;

	if (sig_pipe[1] >= 0 && write(sig_pipe[1], &c, 1) < 0) {
		/* a full pipe already holds a wake-up */
	}
	errno = saved;
}

static void on_crash(int sig)
{
	static const char msg[] = "ccon: crashed; the terminal was restored\n";

	if (curses_on) {
		if (have_tio)
			tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
		if (write(STDOUT_FILENO, reset_seq, reset_len) < 0) {
			/* nothing left to try */
		}
		if (write(saved_stderr >= 0 ? saved_stderr : STDERR_FILENO, msg, sizeof(msg) - 1) < 0) {
		}
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

int term_signals_init(struct ccon_error *err)
{
	static const int polite[] = { SIGWINCH, SIGTERM, SIGHUP, SIGINT };
	static const int crash[] = { SIGSEGV, SIGABRT, SIGBUS, SIGFPE };
	struct sigaction sa;

	if (pipe2(sig_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		return ccon_error_set(err, CCON_E_IO, "signal pipe: %s", strerror(errno));
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	for (size_t i = 0; i < sizeof(polite) / sizeof(polite[0]); i++)
		sigaction(polite[i], &sa, NULL);
	sa.sa_handler = on_crash;
	sa.sa_flags = SA_RESETHAND;
	for (size_t i = 0; i < sizeof(crash) / sizeof(crash[0]); i++)
		sigaction(crash[i], &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sa.sa_flags = 0;
	sigaction(SIGPIPE, &sa, NULL);
	reset_len = strlen(reset_seq);
	return 0;
}

int term_signal_fd(void)
{
	return sig_pipe[0];
}

unsigned term_signals(void)
{
	unsigned char buf[64];
	unsigned bits = 0;
	ssize_t n;

	while ((n = read(sig_pipe[0], buf, sizeof(buf))) > 0)
		for (ssize_t i = 0; i < n; i++)
			bits |= buf[i] == SIGWINCH ? TERM_SIG_RESIZE : TERM_SIG_STOP;
	return bits;
}

/* The crash handler's reset sequence from the terminal's own description. */
static void build_reset_seq(void)
{
	const char *caps[] = { "rmcup", "cnorm", "sgr0" };
	size_t len = 0;

	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		const char *s = tigetstr(caps[i]);
		size_t n;

		/* NOLINTNEXTLINE(performance-no-int-to-ptr): tigetstr's "not a string" value */
		if (!s || s == (char *)-1)
			continue;
		n = strlen(s);
		if (len + n + 3 > sizeof(reset_seq))
			return;
		memcpy(reset_seq + len, s, n);
		len += n;
	}
	if (len == 0)
		return;
	memcpy(reset_seq + len, "\r\n", 3);
	reset_len = len + 2;
}

static int redirect_stderr(const char *path, struct ccon_error *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);

	if (fd < 0)
		return ccon_error_set(err, CCON_E_IO, "%s: %s", path, strerror(errno));
	fflush(stderr);
	saved_stderr = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	if (saved_stderr < 0 || dup2(fd, STDERR_FILENO) < 0) {
		close(fd);
		return ccon_error_set(err, CCON_E_IO, "stderr: %s", strerror(errno));
	}
	close(fd);
	return 0;
}

/* COLORTERM=truecolor (or 24bit) says the terminal takes 24-bit colours,
 * but ncurses sends them only with a direct-colour description: for
 * TERM=xterm-256color (or xterm), that is xterm-direct when the terminfo
 * database has it. NULL: TERM as it is. */
static const char *direct_term(char *buf, size_t size)
{
	const char *ct = getenv("COLORTERM"), *term = getenv("TERM");
	size_t stem;
	int errret;

	if (!ct || (strcmp(ct, "truecolor") != 0 && strcmp(ct, "24bit") != 0) || !term || !*term)
		return NULL;
	if (strstr(term, "-direct"))
		return NULL;
	stem = strcspn(term, "-");
	if (stem == 0 || (size_t)snprintf(buf, size, "%.*s-direct", (int)stem, term) >= size)
		return NULL;
	/* the description must exist, and only its existence is asked here */
	if (setupterm(buf, STDOUT_FILENO, &errret) != OK)
		return NULL;
	del_curterm(cur_term);
	return buf;
}

static bool start_curses(void)
{
	char name[64];
	const char *direct = direct_term(name, sizeof(name));

	if (direct && newterm(direct, stdout, stdin))
		return true;
	return newterm(NULL, stdout, stdin) != NULL;
}

int term_start(const char *stderr_log, struct ccon_error *err)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return ccon_error_set(err, CCON_E_IO, "the console needs a terminal (stdin and stdout)");
	have_tio = tcgetattr(STDIN_FILENO, &saved_tio) == 0;
	if (stderr_log && redirect_stderr(stderr_log, err) < 0)
		return -1;
	if (!start_curses()) {
		term_stop();
		return ccon_error_set(err, CCON_E_IO, "cannot start curses on this terminal");
	}
	curses_on = true;
	build_reset_seq();
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	/* what tmux and screen send for Home and End, which xterm's terminfo
	 * does not list: else curses hands over Esc [ 1 ~ as four keys */
	define_key("\033[1~", KEY_HOME);
	define_key("\033[4~", KEY_END);
	define_key("\033[7~", KEY_HOME);
	define_key("\033[8~", KEY_END);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	leaveok(stdscr, TRUE);
	return 0;
}

void term_stop(void)
{
	if (curses_on) {
		endwin();
		curses_on = false;
	}
	if (saved_stderr >= 0) {
		fflush(stderr);
		dup2(saved_stderr, STDERR_FILENO);
		close(saved_stderr);
		saved_stderr = -1;
	}
}

void term_resize(void)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
}

bool term_colors(void)
{
	return curses_on && has_colors();
}
