/* ccon/keyspec.h - key specs of the key bindings (ccon.conf(5), KEYS):
 * text <-> an abstract key, no curses constants (the console maps curses'
 * keys to struct ccon_key).
 *
 *   spec  = [mods] char | [mods] "<" name ">" | "<" [mods] name ">"
 *   mods  = one or more of "C-" (Control), "M-" (Meta/Alt), "S-" (Shift,
 *           named keys only: <S-Tab>, S-<Up>)
 *   char  = one printable character (UTF-8), case-sensitive: "j", "G", "?"
 *   name  = Enter Esc Tab Space Backspace Del Ins Up Down Left Right
 *           PgUp PgDn Home End F1 .. F12, and lt for "<"; any letter
 *           case; also Return, Escape, BS, Delete, Insert, PageUp and
 *           PageDown
 *
 * Examples: j  G  C-d  <C-d>  M-x  C-M-x  <Enter>  <Esc>  <PgDn>  <F1>
 * <Space>  S-<Tab>  <S-Tab>  M-<Up>.
 *
 * Control goes with the keys a terminal can send with it: C-a .. C-z (the
 * letter's case does not matter), C-@ C-[ C-\ C-] C-^ C-_, C-<Space>, and
 * any named key. A terminal sends the same byte for C-i and Tab, C-m and
 * Enter, C-[ and Esc, C-@ and C-<Space>: those are read as <Tab>, <Enter>,
 * <Esc> and C-@ so that one binding cannot hide another. "<Space>" is the
 * space character. Errors (CCON_E_KEYSPEC) carry the column (1-based,
 * characters) where the spec goes wrong.
 */
#ifndef CCON_KEYSPEC_H
#define CCON_KEYSPEC_H

#include <ccon/error.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Named keys: codes above every Unicode code point. */
enum ccon_key_name {
	CCON_KEY_NONE = 0,
	CCON_KEY_NAMED = 0x110000,
	CCON_KEY_ENTER = CCON_KEY_NAMED,
	CCON_KEY_ESC,
	CCON_KEY_TAB,
	CCON_KEY_BACKSPACE,
	CCON_KEY_DEL,
	CCON_KEY_INS,
	CCON_KEY_UP,
	CCON_KEY_DOWN,
	CCON_KEY_LEFT,
	CCON_KEY_RIGHT,
	CCON_KEY_PGUP,
	CCON_KEY_PGDN,
	CCON_KEY_HOME,
	CCON_KEY_END,
	CCON_KEY_F1,                /* CCON_KEY_F1 + n - 1 is Fn, n = 1..12 */
	CCON_KEY_F12 = CCON_KEY_F1 + 11,
};

enum {
	CCON_MOD_CTRL = 1u << 0,
	CCON_MOD_META = 1u << 1,
	CCON_MOD_SHIFT = 1u << 2,   /* only with named keys */
};

/* A key: a character's code point (its case kept; with CCON_MOD_CTRL the
 * lower-case letter or one of @ [ \ ] ^ _) or a CCON_KEY_* name, and
 * modifiers. Two keys are the same key when both fields are equal. */
struct ccon_key {
	uint32_t code;
	unsigned mods;
};

int ccon_keyspec_parse(const char *spec, size_t len, struct ccon_key *out,
                       struct ccon_error *err);

/* The spec of a key as people read it (and as ccon_keyspec_parse reads it
 * back): "j", "C-d", "M-x", "<Enter>", "<C-Up>", "<S-Tab>", "<F5>",
 * "<Space>", "<". Returns the length it needs, as snprintf. */
size_t ccon_keyspec_format(struct ccon_key key, char *buf, size_t size);

bool ccon_key_eq(struct ccon_key a, struct ccon_key b);

#endif
