/* keys.h - the request table and the key map: which key asks for which
 * request. Keys are libccon's abstract keys (keyspec.h); keys_from_curses
 * turns what curses read into one. */
#ifndef CCON_TUI_KEYS_H
#define CCON_TUI_KEYS_H

#include "requests.h"

#include <ccon/error.h>
#include <ccon/keyspec.h>
#include <ccon/settings.h>

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

struct binding {
	struct ccon_key key;
	enum request req;
};

struct keymap {
	struct binding *b;
	size_t n, cap;
};

/* The [keys] bindings of the configuration file (path, for messages),
 * before the screen starts: an action that is no request's name is an
 * error, "PATH:LINE:COLUMN: unknown action 'x'". The bindings are kept
 * (not copied: they must outlive the console) for keymap_init. */
int keys_configure(const struct ccon_binding_spec *b, size_t n, const char *path,
                   struct ccon_error *err);
/* The default bindings of requests.h, then those of keys_configure over
 * them (a key bound there loses its default request). */
int keymap_init(struct keymap *km, struct ccon_error *err);
void keymap_free(struct keymap *km);
/* Binds key to req (replacing its binding); REQ_NONE unbinds. */
int keymap_bind(struct keymap *km, struct ccon_key key, enum request req, struct ccon_error *err);
enum request keymap_lookup(const struct keymap *km, struct ccon_key key);
/* The keys bound to req, as people write them ("j, <Down>"), in buf. */
size_t keymap_describe(const struct keymap *km, enum request req, char *buf, size_t size);

/* What wget_wch returned (rc OK or KEY_CODE_YES, and the character or key
 * code) as a key; false for what is no key (KEY_RESIZE, unknown codes). */
bool keys_from_curses(int rc, wint_t wch, struct ccon_key *out);

static inline bool key_is(struct ccon_key k, uint32_t code)
{
	return k.code == code && k.mods == 0;
}

#endif
