/* ccon/utf8.h - UTF-8 validation and decoding (RFC 3629: no overlong forms,
 * no surrogates, nothing above U+10FFFF). */
#ifndef CCON_UTF8_H
#define CCON_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* true when s[0..len) is valid UTF-8; otherwise false and, when bad is not
 * NULL, *bad is the byte offset of the first invalid sequence. */
bool ccon_utf8_valid(const char *s, size_t len, size_t *bad);

/* Decodes one code point at s (at most len bytes). Returns the number of
 * bytes it takes (1..4), or 0 when the sequence is invalid or truncated. */
size_t ccon_utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Writes code point cp (at most U+10FFFF, not a surrogate) as UTF-8 in
 * out; returns its length (1..4), or 0 for a value that is no character. */
size_t ccon_utf8_encode(uint32_t cp, char out[4]);

/* Number of code points in a valid UTF-8 string; invalid bytes count one each. */
size_t ccon_utf8_length(const char *s, size_t len);

#endif
