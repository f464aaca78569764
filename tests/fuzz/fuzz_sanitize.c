/* libFuzzer target: the sanitiser and the width helpers (sanitize.h), the
 * last gate before the terminal.
 *
 * Byte 0: bit 0 CCON_SANITIZE_MULTILINE, bit 1 CCON_FIT_RIGHT, the rest
 * (>> 2) the cells to fit to; the other bytes are the text.
 * Invariants, for any bytes:
 *   - the output is valid UTF-8 holding no C0 control (but LF and TAB with
 *     MULTILINE), no DEL, no C1 control, no bidi override or isolate
 *     (U+202A-U+202E, U+2066-U+2069) nor any other code point the header
 *     lists; its length is the return, within CCON_SANITIZE_SIZE;
 *   - a smaller buffer gets a NUL-terminated prefix of the whole output
 *     that is still valid UTF-8 and the same return;
 *   - ccon_sanitize_needed says whether the output differs from the input,
 *     ccon_sanitize_append appends the same bytes, and the output is
 *     already clean (sanitising it again changes nothing);
 *   - ccon_text_width of the text is that of its output, the sum of
 *     ccon_cp_width over the output's code points (none of them -1);
 *   - ccon_text_fit gives exactly `cells` cells (never more than it was
 *     given), clean output, its length as the return, the whole sanitised
 *     text padded when it fits (nothing at all for zero cells), and exactly `cells` cells again with the
 *     smallest buffer the header allows (cells + 4 bytes).
 */
#include "config.h"

#include <ccon/sanitize.h>
#include <ccon/strbuf.h>
#include <ccon/utf8.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const char *s, size_t len)
{
	fprintf(stderr, "%s; input (%zu bytes):", what, len);
	for (size_t i = 0; i < len && i < 200; i++)
		fprintf(stderr, " %02x", (unsigned char)s[i]);
	fputc('\n', stderr);
	abort();
}

static bool forbidden(uint32_t cp, unsigned flags)
{
	if (cp < 0x20)
		return !((flags & CCON_SANITIZE_MULTILINE) && (cp == '\n' || cp == '\t'));
	return cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) || cp == 0x061c || cp == 0x200e ||
	       cp == 0x200f || cp == 0x2028 || cp == 0x2029 || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff || (cp >= 0xfff9 && cp <= 0xfffb);
}

/* Valid UTF-8 with no forbidden code point; *width gets the sum of the
 * code points' widths (single-line). */
static void check_clean(const char *out, size_t n, unsigned flags, size_t *width,
                        const char *in, size_t in_len)
{
	size_t i = 0, k;
	uint32_t cp;
	int w;

	*width = 0;
	while (i < n) {
		k = ccon_utf8_decode(out + i, n - i, &cp);
		if (k == 0)
			fail("the output is not valid UTF-8", in, in_len);
		if (forbidden(cp, flags))
			fail("the output holds a control or bidi code point", in, in_len);
		w = ccon_cp_width(cp);
		if (w < 0 && !(flags & CCON_SANITIZE_MULTILINE))
			fail("the output holds a code point of width -1", in, in_len);
		*width += w > 0 ? (size_t)w : 0;
		i += k;
	}
}

static void check_sanitize(const char *s, size_t len, unsigned flags)
{
	size_t size = CCON_SANITIZE_SIZE(len), n, m, width;
	char *out = malloc(size), *again = malloc(size), small[16];
	struct ccon_strbuf sb = CCON_STRBUF_INIT;

	if (!out || !again)
		abort();
	n = ccon_sanitize(s, len, flags, out, size);
	if (n >= size || strlen(out) != n)
		fail("the return is not the output's length", s, len);
	check_clean(out, n, flags, &width, s, len);
	if (ccon_sanitize_needed(s, len, flags) != (n != len || memcmp(out, s, len) != 0))
		fail("ccon_sanitize_needed disagrees with the output", s, len);
	if (ccon_sanitize_append(&sb, s, len, flags) < 0 || sb.len != n || memcmp(sb.buf, out, n))
		fail("ccon_sanitize_append appends something else", s, len);
	if (ccon_sanitize(out, n, flags, again, size) != n || memcmp(again, out, n) != 0)
		fail("the output is not clean: sanitising it changes it", s, len);
	for (size_t cut = 0; cut <= sizeof(small) && cut <= n + 1; cut += 3) {
		memset(small, 'x', sizeof(small));
		if (ccon_sanitize(s, len, flags, small, cut) != n)
			fail("a small buffer changes the return", s, len);
		if (cut == 0)
			continue;
		m = strnlen(small, cut);
		if (m >= cut || memcmp(small, out, m) != 0 || !ccon_utf8_valid(small, m, NULL))
			fail("a small buffer gets no clean prefix of the output", s, len);
	}
	if (!(flags & CCON_SANITIZE_MULTILINE) && ccon_text_width(s, len) != width)
		fail("ccon_text_width is not the width of the sanitised text", s, len);
	ccon_strbuf_free(&sb);
	free(out);
	free(again);
}

static void check_fit(const char *s, size_t len, size_t cells, unsigned flags)
{
	size_t size = CCON_FIT_SIZE(len, cells), n, width, clean_len;
	char *out = malloc(size), *clean = malloc(CCON_SANITIZE_SIZE(len));

	if (!out || !clean)
		abort();
	clean_len = ccon_sanitize(s, len, 0, clean, CCON_SANITIZE_SIZE(len));
	n = ccon_text_fit(s, len, cells, flags, out, size);
	if (n >= size || strlen(out) != n)
		fail("text_fit: the return is not the output's length", s, len);
	check_clean(out, n, 0, &width, s, len);
	if (width != cells || ccon_text_width(out, n) != cells)
		fail("text_fit: not exactly the cells it was given", s, len);
	/* zero cells draw nothing, not even a zero-width mark */
	if (cells == 0 && n != 0)
		fail("text_fit: output for zero cells", s, len);
	if (cells > 0 && ccon_text_width(s, len) <= cells) {
		size_t pad = cells - ccon_text_width(s, len);
		size_t at = (flags & CCON_FIT_RIGHT) ? pad : 0;

		if (n != clean_len + pad || memcmp(out + at, clean, clean_len) != 0)
			fail("text_fit: a text that fits is not kept whole", s, len);
	}
	free(out);
	/* the smallest buffer the header allows */
	size = cells + 4;
	out = malloc(size);
	if (!out)
		abort();
	n = ccon_text_fit(s, len, cells, flags, out, size);
	if (n >= size || strlen(out) != n)
		fail("text_fit (small buffer): the return is not the output's length", s, len);
	check_clean(out, n, 0, &width, s, len);
	if (width != cells)
		fail("text_fit (small buffer): not exactly the cells it was given", s, len);
	free(out);
	free(clean);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data + 1;
	unsigned flags;
	size_t cells;

	if (size < 1 || size > 16384)
		return 0;
	flags = data[0] & 1u;
	cells = data[0] >> 2;
	check_sanitize(s, size - 1, flags);
	check_fit(s, size - 1, cells, (data[0] & 2u) ? CCON_FIT_RIGHT : 0);
	return 0;
}
