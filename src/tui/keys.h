/* keys.h - keys and the key map: which key asks for which request.
 *
 * A key is an int: a character's code point (control keys as their control
 * code, Enter as '\n'), or KEY_FN(code) for a curses function key. */
#ifndef CCON_TUI_KEYS_H
#define CCON_TUI_KEYS_H

#include "requests.h"

#include <ccon/error.h>

#include <stddef.h>

#define KEY_FN(code) (0x200000 | (code))
#define KEY_IS_FN(key) (((key) & 0x200000) != 0)
#define KEY_CTRL(c) ((c) & 0x1f)
#define KEY_ESC 27

struct binding {
	int key;
	enum request req;
};

struct keymap {
	struct binding *b;
	size_t n, cap;
};

/* The default bindings of requests.h. */
int keymap_init(struct keymap *km, struct ccon_error *err);
void keymap_free(struct keymap *km);
/* Binds key to req (replacing its binding); REQ_NONE unbinds. */
int keymap_bind(struct keymap *km, int key, enum request req, struct ccon_error *err);
enum request keymap_lookup(const struct keymap *km, int key);
/* The keys bound to req, as people write them ("j, <Down>"), in buf. */
size_t keymap_describe(const struct keymap *km, enum request req, char *buf, size_t size);

/* One key spec: "j", "<Down>", "<C-l>", "<Enter>"; 0 or -1 with err. */
int keyspec_parse(const char *spec, size_t len, int *key, struct ccon_error *err);
/* Its name as key_parse reads it. */
size_t keyspec_name(int key, char *buf, size_t size);

#endif
