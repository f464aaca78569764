/* ccon/sanitize.h - the one sanitiser every outside string (from a server,
 * a file, the environment) passes before it is drawn or logged, and the
 * display-width helpers for laying it out in columns.
 *
 * Input: any bytes. Output: valid UTF-8 that a terminal shows as text and
 * never interprets. What does not pass, and what stands in for it (chosen
 * so that support staff see that something was there, and what):
 *
 *   C0 controls U+0000-U+001F and DEL   caret notation, as `cat -v` and
 *                                       curses write them: ESC "^[", BEL
 *                                       "^G", CR "^M", LF "^J", TAB "^I",
 *                                       NUL "^@", DEL "^?"
 *   C1 controls U+0080-U+009F           "<U+0085>" (the code point, 4 hex
 *   bidi and invisible format controls  digits, upper case): U+061C,
 *                                       U+200E, U+200F, U+2028, U+2029,
 *                                       U+202A-U+202E, U+2066-U+2069,
 *                                       U+FEFF, U+FFF9-U+FFFB
 *   invalid UTF-8 (overlong, surrogate, U+FFFD, one for each byte that
 *   above U+10FFFF, truncated, stray     does not start a valid sequence
 *   continuation byte)
 *
 * With CCON_SANITIZE_MULTILINE (the raw JSON view), LF and TAB pass and a
 * CR right before an LF is dropped; every other control is replaced as
 * above. An escape sequence (CSI "ESC [ 2 J", OSC "ESC ] 52 ; c ; ... BEL",
 * DCS, ...) thus loses its ESC (and its BEL or ST terminator's controls)
 * and what is left is plain visible text: "^[[2J", "^[]52;c;aGk=^G".
 * Everything else passes unchanged (printable ASCII, and every other code
 * point, combining marks and emoji included).
 *
 * Widths are terminal cells, computed by ccon's own table over code points
 * (not wcwidth(3), so they do not depend on the locale): the table is that
 * of glibc 2.36's wcwidth in C.UTF-8 (Unicode 14) for assigned characters:
 * East Asian Wide and Fullwidth characters and emoji 2, combining marks
 * and zero-width format characters 0, others 1; unassigned code points 1,
 * except in planes 2 and 3 (CJK) where they are 2. The replacement
 * notations count as the ASCII they are made of. Widths are of single-line
 * text.
 *
 * Nothing here allocates except ccon_sanitize_append (which grows the
 * caller's strbuf), so drawing tens of thousands of cells a frame costs no
 * allocation.
 */
#ifndef CCON_SANITIZE_H
#define CCON_SANITIZE_H

#include <ccon/strbuf.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	CCON_SANITIZE_MULTILINE = 1u << 0,  /* LF and TAB pass (see above) */
};

enum {
	CCON_FIT_RIGHT = 1u << 0,           /* pad on the left (numbers) */
};

/* The bytes the sanitised form of len input bytes can take, at most (a
 * C1 control's 2 bytes become 8), plus the NUL. */
#define CCON_SANITIZE_SIZE(len) (4 * (len) + 1)
/* A buffer that always holds ccon_text_fit's complete result. */
#define CCON_FIT_SIZE(len, cells) (4 * (len) + (cells) + 4)

/* Writes the sanitised text of s[0..len) to out (size bytes, always NUL-
 * terminated when size > 0, never cut inside a character or a notation).
 * Returns the length the whole result has, as snprintf does: the output
 * was complete when the result is < size. s may be NULL when len is 0. */
size_t ccon_sanitize(const char *s, size_t len, unsigned flags, char *out, size_t size);

/* Appends the sanitised text to sb: 0, or -1 when out of memory. */
int ccon_sanitize_append(struct ccon_strbuf *sb, const char *s, size_t len, unsigned flags);

/* Whether ccon_sanitize would change anything (so a caller may draw s
 * itself when it would not). */
bool ccon_sanitize_needed(const char *s, size_t len, unsigned flags);

/* Cells of one code point that passes the sanitiser: 0, 1 or 2; -1 for a
 * code point the sanitiser replaces (controls, bidi and format controls). */
int ccon_cp_width(uint32_t cp);

/* Cells the sanitised, single-line form of s[0..len) takes. */
size_t ccon_text_width(const char *s, size_t len);

/* Sanitises s[0..len) (single-line) and fits it to exactly `cells` cells:
 * text that is too wide is cut at a character boundary (a wide glyph is
 * never split, combining marks stay with their base) and ends in "…"
 * (U+2026, one cell); narrower text is padded with spaces on the right
 * (on the left with CCON_FIT_RIGHT). The result goes to out (NUL-
 * terminated); the return is its length in bytes. A buffer of
 * CCON_FIT_SIZE(len, cells) bytes always holds it whole; a smaller one
 * (but at least cells + 4 bytes) cuts the text earlier, still with "…"
 * and still exactly `cells` cells wide. */
size_t ccon_text_fit(const char *s, size_t len, size_t cells, unsigned flags, char *out,
                     size_t size);

#endif
