#include "config.h"

#include "access_log.h"

#include <ccon/strbuf.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define URI_MAX 4096               /* logged bytes of a URI; more is cut */

struct access_log {
	pthread_mutex_t lock;
	FILE *out;
	bool own;                      /* opened here: closed here */
};

int access_log_open(const char *path, struct access_log **out, struct ccon_error *err)
{
	struct access_log *log = calloc(1, sizeof(*log));
	int fd;

	if (!log)
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	if (strcmp(path, "-") == 0) {
		log->out = stderr;
	} else {
		fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
		if (fd < 0 || !(log->out = fdopen(fd, "a"))) {
			int e = errno;

			if (fd >= 0)
				close(fd);
			free(log);
			return ccon_error_set(err, CCON_E_IO, "access log %s: %s", path, strerror(e));
		}
		log->own = true;
	}
	pthread_mutex_init(&log->lock, NULL);
	*out = log;
	return 0;
}

void access_log_close(struct access_log *log)
{
	if (!log)
		return;
	if (log->own)
		fclose(log->out);
	else
		fflush(log->out);
	pthread_mutex_destroy(&log->lock);
	free(log);
}

static void put_escaped(struct ccon_strbuf *sb, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x21 || c > 0x7E || c == '\\')
			ccon_strbuf_printf(sb, "\\x%02X", c);
		else
			ccon_strbuf_putc(sb, (char)c);
	}
}

static int hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Whether a (percent-encoded) query parameter name speaks of a secret. */
static bool secret_name(const char *name, size_t n)
{
	static const char *const words[] = { "key", "token", "secret", "password", "auth" };
	char low[64];
	size_t o = 0;

	for (size_t i = 0; i < n && o + 1 < sizeof(low); i++) {
		char c = name[i];

		if (c == '%' && i + 2 < n && hex(name[i + 1]) >= 0 && hex(name[i + 2]) >= 0) {
			c = (char)(hex(name[i + 1]) * 16 + hex(name[i + 2]));
			i += 2;
		}
		low[o++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
	}
	low[o] = '\0';
	for (size_t w = 0; w < sizeof(words) / sizeof(words[0]); w++)
		if (strstr(low, words[w]))
			return true;
	return false;
}

static void put_query(struct ccon_strbuf *sb, const char *q, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t end = i, eq;

		while (end < n && q[end] != '&')
			end++;
		for (eq = i; eq < end && q[eq] != '='; eq++)
			;
		put_escaped(sb, q + i, eq - i);
		if (eq < end) {
			ccon_strbuf_putc(sb, '=');
			if (secret_name(q + i, eq - i))
				ccon_strbuf_puts(sb, "[redacted]");
			else
				put_escaped(sb, q + eq + 1, end - eq - 1);
		}
		if (end < n)
			ccon_strbuf_putc(sb, '&');
		i = end + 1;
	}
}

static void put_uri(struct ccon_strbuf *sb, const char *uri)
{
	size_t n = strlen(uri), cut = n > URI_MAX ? URI_MAX : n;
	const char *qm = memchr(uri, '?', cut);

	if (!qm) {
		put_escaped(sb, uri, cut);
	} else {
		put_escaped(sb, uri, (size_t)(qm - uri) + 1);
		put_query(sb, qm + 1, cut - (size_t)(qm - uri) - 1);
	}
	if (cut < n)
		ccon_strbuf_puts(sb, "[cut]");
}

static void put_time(struct ccon_strbuf *sb, int64_t unix_us)
{
	time_t secs = (time_t)(unix_us / 1000000);
	struct tm tm;
	char stamp[32];

	if (!gmtime_r(&secs, &tm) || !strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm)) {
		ccon_strbuf_puts(sb, "-");
		return;
	}
	ccon_strbuf_printf(sb, "%s.%03dZ", stamp, (int)(unix_us / 1000 % 1000));
}

static void build(struct ccon_strbuf *sb, const struct access_log_entry *e)
{
	int64_t d = e->duration_us < 0 ? 0 : e->duration_us;

	put_time(sb, e->start_unix_us);
	ccon_strbuf_putc(sb, ' ');
	if (e->method)
		put_escaped(sb, e->method, strnlen(e->method, 32));
	else
		ccon_strbuf_putc(sb, '-');
	ccon_strbuf_putc(sb, ' ');
	if (e->uri)
		put_uri(sb, e->uri);
	else
		ccon_strbuf_putc(sb, '-');
	if (e->status)
		ccon_strbuf_printf(sb, " %u", e->status);
	else
		ccon_strbuf_puts(sb, " -");
	ccon_strbuf_printf(sb, " %" PRIu64 " %" PRId64 ".%03dms%s", e->bytes, d / 1000,
	                   (int)(d % 1000), e->incomplete ? " incomplete" : "");
}

void access_log_write(struct access_log *log, const struct access_log_entry *e)
{
	struct ccon_strbuf sb = CCON_STRBUF_INIT;

	if (!log)
		return;
	build(&sb, e);
	if (ccon_strbuf_putc(&sb, '\n') == 0) {
		pthread_mutex_lock(&log->lock);
		fwrite(sb.buf, 1, sb.len, log->out);
		fflush(log->out);
		pthread_mutex_unlock(&log->lock);
	}
	ccon_strbuf_free(&sb);
}
