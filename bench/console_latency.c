/* console_latency - keystroke-to-screen latency of a program running in a
 * tmux pane, measured through tmux's control mode: a key is sent with
 * `send-keys`, and the time runs until tmux reports the pane's next output
 * (%output). Used by bench/console_latency.sh.
 *
 *   console_latency keys SOCKET TARGET SAMPLES KEY...
 *       sends the keys in turn, SAMPLES times in all; prints the p50, p90,
 *       p99 and max latency in ms (a key that draws nothing within 2 s
 *       counts as 2000 ms: a frozen screen is not left out).
 *   console_latency start SOCKET TARGET MARKER COMMAND
 *       respawns the pane with COMMAND and prints the ms until MARKER
 *       appears in what it draws.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TIMEOUT_MS 2000
#define MAX_SAMPLES 100000

struct control {
	pid_t pid;
	int to, from;            /* tmux's stdin, stdout */
	char buf[1 << 16];
	size_t len;
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int control_open(struct control *c, const char *sock, const char *target)
{
	int in[2], out[2];

	if (pipe(in) < 0 || pipe(out) < 0)
		return -1;
	c->pid = fork();
	if (c->pid < 0)
		return -1;
	if (c->pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[1]);
		close(out[0]);
		execlp("tmux", "tmux", "-S", sock, "-C", "attach", "-t", target, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	c->to = in[1];
	c->from = out[0];
	c->len = 0;
	return 0;
}

static int next_line(struct control *c, char *line, size_t size, double deadline);

/* Detaches, reads to tmux's end of output, and reaps it (killing it when it
 * lingers). */
static void control_close(struct control *c)
{
	char line[1 << 16];
	double deadline = now_ms() + 1000;

	if (write(c->to, "detach\n", 7) < 0)
		perror("console_latency: detach");
	while (next_line(c, line, sizeof(line), deadline) == 1)
		;
	close(c->to);
	close(c->from);
	if (waitpid(c->pid, NULL, WNOHANG) == 0) {
		kill(c->pid, SIGTERM);
		waitpid(c->pid, NULL, 0);
	}
}

/* The next whole line from tmux into line (NUL-terminated), waiting until
 * deadline; 1 with a line, 0 at the deadline, -1 at the end. */
static int next_line(struct control *c, char *line, size_t size, double deadline)
{
	for (;;) {
		char *nl = memchr(c->buf, '\n', c->len);
		struct pollfd p = { c->from, POLLIN, 0 };
		double left;
		ssize_t n;

		if (nl) {
			size_t n_line = (size_t)(nl - c->buf);
			size_t keep = n_line < size - 1 ? n_line : size - 1;

			memcpy(line, c->buf, keep);
			line[keep] = '\0';
			memmove(c->buf, nl + 1, c->len - n_line - 1);
			c->len -= n_line + 1;
			return 1;
		}
		if (c->len == sizeof(c->buf))
			c->len = 0;      /* a line longer than the buffer: dropped */
		left = deadline - now_ms();
		if (left <= 0)
			return 0;
		if (poll(&p, 1, (int)left + 1) <= 0)
			continue;
		n = read(c->from, c->buf + c->len, sizeof(c->buf) - c->len);
		if (n <= 0)
			return -1;
		c->len += (size_t)n;
	}
}

/* Reads and drops output until nothing comes for quiet_ms. */
static void drain(struct control *c, double quiet_ms)
{
	char line[1 << 16];

	while (next_line(c, line, sizeof(line), now_ms() + quiet_ms) == 1)
		;
}

static int send_command(struct control *c, const char *cmd)
{
	size_t len = strlen(cmd);

	return write(c->to, cmd, len) == (ssize_t)len ? 0 : -1;
}

/* ms until the pane's next %output (TIMEOUT_MS when none). */
static double wait_output(struct control *c, double t0)
{
	char line[1 << 16];

	while (next_line(c, line, sizeof(line), t0 + TIMEOUT_MS) == 1)
		if (strncmp(line, "%output ", 8) == 0)
			return now_ms() - t0;
	return TIMEOUT_MS;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double pct(const double *v, int n, double p)
{
	int i = (int)(p / 100.0 * (n - 1) + 0.5);

	return v[i < n ? i : n - 1];
}

static int keys(const char *sock, const char *target, int samples, char **key, int n_keys)
{
	struct control c;
	double *lat = calloc((size_t)samples, sizeof(*lat));
	char cmd[256];

	if (!lat || control_open(&c, sock, target) < 0)
		return 1;
	drain(&c, 300);
	for (int i = 0; i < samples; i++) {
		double t0;

		snprintf(cmd, sizeof(cmd), "send-keys -t %s %s\n", target, key[i % n_keys]);
		t0 = now_ms();
		if (send_command(&c, cmd) < 0)
			return 1;
		lat[i] = wait_output(&c, t0);
		drain(&c, 15);
	}
	control_close(&c);
	qsort(lat, (size_t)samples, sizeof(*lat), cmp_double);
	printf("samples=%d p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f\n", samples,
	       pct(lat, samples, 50), pct(lat, samples, 90), pct(lat, samples, 99),
	       lat[samples - 1]);
	free(lat);
	return 0;
}

/* Whether the %output line, its octal escapes decoded, holds marker. */
static int output_has(const char *line, const char *marker, char *seen, size_t size,
                      size_t *len)
{
	const char *p = strchr(line + 8, ' ');

	if (!p)
		return 0;
	for (p++; *p; p++) {
		char ch = *p;

		if (*p == '\\' && p[1] && p[2] && p[3]) {
			ch = (char)((p[1] - '0') * 64 + (p[2] - '0') * 8 + (p[3] - '0'));
			p += 3;
		}
		if (*len + 1 >= size) {
			memmove(seen, seen + size / 2, *len - size / 2);
			*len -= size / 2;
		}
		seen[(*len)++] = ch;
	}
	seen[*len] = '\0';
	return strstr(seen, marker) != NULL;
}

static int start(const char *sock, const char *target, const char *marker, const char *command)
{
	static char seen[1 << 17];
	char line[1 << 16], cmd[4096];
	struct control c;
	size_t len = 0;
	double t0;

	if (control_open(&c, sock, target) < 0)
		return 1;
	drain(&c, 300);
	snprintf(cmd, sizeof(cmd), "respawn-pane -k -t %s \"%s\"\n", target, command);
	t0 = now_ms();
	if (send_command(&c, cmd) < 0)
		return 1;
	while (next_line(&c, line, sizeof(line), t0 + 10000) == 1) {
		if (strncmp(line, "%output ", 8) == 0 &&
		    output_has(line, marker, seen, sizeof(seen), &len)) {
			printf("first_screen_ms=%.1f\n", now_ms() - t0);
			control_close(&c);
			return 0;
		}
	}
	control_close(&c);
	fprintf(stderr, "console_latency: '%s' never appeared\n", marker);
	return 1;
}

int main(int argc, char **argv)
{
	signal(SIGPIPE, SIG_IGN);
	if (argc >= 6 && strcmp(argv[1], "keys") == 0) {
		int n = atoi(argv[4]);

		if (n < 1 || n > MAX_SAMPLES)
			return 2;
		return keys(argv[2], argv[3], n, argv + 5, argc - 5);
	}
	if (argc == 6 && strcmp(argv[1], "start") == 0)
		return start(argv[2], argv[3], argv[4], argv[5]);
	fprintf(stderr, "usage: console_latency keys SOCKET TARGET SAMPLES KEY...\n"
	                "       console_latency start SOCKET TARGET MARKER COMMAND\n");
	return 2;
}
