/* ccon/strbuf.h - a growable, always NUL-terminated byte string. */
#ifndef CCON_STRBUF_H
#define CCON_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

struct ccon_strbuf {
	char *buf;    /* NULL until the first append */
	size_t len;   /* bytes used, not counting the NUL */
	size_t cap;   /* bytes allocated */
};

#define CCON_STRBUF_INIT { NULL, 0, 0 }

void ccon_strbuf_init(struct ccon_strbuf *sb);
void ccon_strbuf_free(struct ccon_strbuf *sb);
/* Keeps the allocation, empties the string. */
void ccon_strbuf_reset(struct ccon_strbuf *sb);
/* Makes room for `extra` more bytes plus the NUL. 0 or -1 on ENOMEM. */
int ccon_strbuf_reserve(struct ccon_strbuf *sb, size_t extra);
int ccon_strbuf_append(struct ccon_strbuf *sb, const char *s, size_t n);
int ccon_strbuf_puts(struct ccon_strbuf *sb, const char *s);
int ccon_strbuf_putc(struct ccon_strbuf *sb, char c);
int ccon_strbuf_printf(struct ccon_strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Drops bytes from the end so len == new_len (no-op when longer). */
void ccon_strbuf_truncate(struct ccon_strbuf *sb, size_t new_len);
/* The string, "" when empty; valid until the next change. */
const char *ccon_strbuf_cstr(const struct ccon_strbuf *sb);
/* Hands the heap string to the caller (never NULL unless out of memory). */
char *ccon_strbuf_detach(struct ccon_strbuf *sb);

#endif
