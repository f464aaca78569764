#include "config.h"

#include <ccon/strbuf.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ccon_strbuf_init(struct ccon_strbuf *sb)
{
	sb->buf = NULL;
	sb->len = 0;
	sb->cap = 0;
}

void ccon_strbuf_free(struct ccon_strbuf *sb)
{
	free(sb->buf);
	ccon_strbuf_init(sb);
}

void ccon_strbuf_reset(struct ccon_strbuf *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

int ccon_strbuf_reserve(struct ccon_strbuf *sb, size_t extra)
{
	size_t need, cap;
	char *p;

	if (extra > SIZE_MAX - sb->len - 1)
		return -1;
	need = sb->len + extra + 1;
	if (need <= sb->cap && sb->buf)
		return 0;
	cap = sb->cap ? sb->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	p = realloc(sb->buf, cap);
	if (!p)
		return -1;
	sb->buf = p;
	sb->cap = cap;
	return 0;
}

int ccon_strbuf_append(struct ccon_strbuf *sb, const char *s, size_t n)
{
	if (ccon_strbuf_reserve(sb, n) < 0)
		return -1;
	if (n)
		memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
	return 0;
}

int ccon_strbuf_puts(struct ccon_strbuf *sb, const char *s)
{
	return ccon_strbuf_append(sb, s, strlen(s));
}

int ccon_strbuf_putc(struct ccon_strbuf *sb, char c)
{
	return ccon_strbuf_append(sb, &c, 1);
}

int ccon_strbuf_printf(struct ccon_strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || ccon_strbuf_reserve(sb, (size_t)n) < 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
	return 0;
}

void ccon_strbuf_truncate(struct ccon_strbuf *sb, size_t new_len)
{
	if (new_len < sb->len) {
		sb->len = new_len;
		sb->buf[new_len] = '\0';
	}
}

const char *ccon_strbuf_cstr(const struct ccon_strbuf *sb)
{
	return sb->buf ? sb->buf : "";
}

char *ccon_strbuf_detach(struct ccon_strbuf *sb)
{
	char *s;

	if (!sb->buf && ccon_strbuf_reserve(sb, 0) < 0)
		return NULL;
	if (!sb->len)
		sb->buf[0] = '\0';
	s = sb->buf;
	ccon_strbuf_init(sb);
	return s;
}
