/* keys.c - the request table and the key map. */
#include "config.h"

#include "keys.h"

#include <ccon/sanitize.h>

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct request_info requests[] = {
#define REQ_TABLE_GROUP(title) { REQ_NONE, NULL, title, NULL },
#define REQ_TABLE(name, keys, bind, help) { REQ_##name, keys, bind, help },
	REQ_INFO(REQ_TABLE_GROUP, REQ_TABLE)
#undef REQ_TABLE_GROUP
#undef REQ_TABLE
};

/* the configuration file's bindings, checked by keys_configure */
static const struct ccon_binding_spec *user_bindings;
static size_t n_user_bindings;

const struct request_info *request_table(size_t *n)
{
	*n = sizeof(requests) / sizeof(requests[0]);
	return requests;
}

enum request request_by_name(const char *name)
{
	for (size_t i = 0; i < sizeof(requests) / sizeof(requests[0]); i++)
		if (requests[i].req != REQ_NONE && strcmp(requests[i].name, name) == 0)
			return requests[i].req;
	return REQ_NONE;
}

bool keys_from_curses(int rc, wint_t wch, struct ccon_key *out)
{
	static const struct {
		int code;
		uint32_t key;
		unsigned mods;
	} fn[] = {
		{ KEY_UP, CCON_KEY_UP, 0 }, { KEY_DOWN, CCON_KEY_DOWN, 0 },
		{ KEY_LEFT, CCON_KEY_LEFT, 0 }, { KEY_RIGHT, CCON_KEY_RIGHT, 0 },
		{ KEY_PPAGE, CCON_KEY_PGUP, 0 }, { KEY_NPAGE, CCON_KEY_PGDN, 0 },
		{ KEY_HOME, CCON_KEY_HOME, 0 }, { KEY_END, CCON_KEY_END, 0 },
		{ KEY_ENTER, CCON_KEY_ENTER, 0 }, { KEY_BACKSPACE, CCON_KEY_BACKSPACE, 0 },
		{ KEY_DC, CCON_KEY_DEL, 0 }, { KEY_IC, CCON_KEY_INS, 0 },
		{ KEY_BTAB, CCON_KEY_TAB, CCON_MOD_SHIFT }, { KEY_SR, CCON_KEY_UP, CCON_MOD_SHIFT },
		{ KEY_SF, CCON_KEY_DOWN, CCON_MOD_SHIFT },
	};

	out->mods = 0;
	if (rc == KEY_CODE_YES) {
		if ((int)wch >= KEY_F(1) && (int)wch <= KEY_F(12)) {
			out->code = CCON_KEY_F1 + (uint32_t)((int)wch - KEY_F(1));
			return true;
		}
		for (size_t i = 0; i < sizeof(fn) / sizeof(fn[0]); i++)
			if (fn[i].code == (int)wch) {
				out->code = fn[i].key;
				out->mods = fn[i].mods;
				return true;
			}
		return false;
	}
	switch (wch) {
	case '\r':
	case '\n':
		out->code = CCON_KEY_ENTER;
		return true;
	case '\t':
		out->code = CCON_KEY_TAB;
		return true;
	case 27:
		out->code = CCON_KEY_ESC;
		return true;
	case 8:
	case 127:
		out->code = CCON_KEY_BACKSPACE;
		return true;
	default:
		break;
	}
	if (wch < 0x20) {
		/* C-a .. C-z, C-@ C-\ C-] C-^ C-_ */
		out->code = wch >= 1 && wch <= 26 ? 'a' + wch - 1 : '@' + wch;
		out->mods = CCON_MOD_CTRL;
		return true;
	}
	if (wch > 0x10ffff)
		return false;
	out->code = (uint32_t)wch;
	return true;
}

int keymap_bind(struct keymap *km, struct ccon_key key, enum request req, struct ccon_error *err)
{
	for (size_t i = 0; i < km->n; i++)
		if (ccon_key_eq(km->b[i].key, key)) {
			if (req == REQ_NONE)
				km->b[i] = km->b[--km->n];
			else
				km->b[i].req = req;
			return 0;
		}
	if (req == REQ_NONE)
		return 0;
	if (km->n == km->cap) {
		size_t cap = km->cap ? km->cap * 2 : 64;
		struct binding *b = realloc(km->b, cap * sizeof(*b));

		if (!b)
			return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
		km->b = b;
		km->cap = cap;
	}
	km->b[km->n].key = key;
	km->b[km->n].req = req;
	km->n++;
	return 0;
}

int keys_configure(const struct ccon_binding_spec *b, size_t n, const char *path,
                   struct ccon_error *err)
{
	for (size_t i = 0; i < n; i++) {
		char name[64];

		if (request_by_name(b[i].action) != REQ_NONE)
			continue;
		ccon_sanitize(b[i].action, strlen(b[i].action), 0, name, sizeof(name));
		ccon_error_set(err, CCON_E_CONFIG_SYNTAX,
		               "%s:%ld:%ld: unknown action '%s' (the ? help and ccon(1) list them)",
		               path, b[i].line, b[i].action_column, name);
		ccon_error_at_line(err, b[i].line, b[i].action_column);
		return -1;
	}
	user_bindings = b;
	n_user_bindings = n;
	return 0;
}

static int bind_user(struct keymap *km, struct ccon_error *err)
{
	for (size_t i = 0; i < n_user_bindings; i++) {
		const struct ccon_binding_spec *b = &user_bindings[i];

		if (keymap_bind(km, b->key, request_by_name(b->action), err) < 0)
			return -1;
	}
	return 0;
}

int keymap_init(struct keymap *km, struct ccon_error *err)
{
	memset(km, 0, sizeof(*km));
	for (size_t i = 0; i < sizeof(requests) / sizeof(requests[0]); i++) {
		const char *s = requests[i].keys;

		while (s && *s) {
			size_t len = strcspn(s, " ");
			struct ccon_key key;

			if (len && (ccon_keyspec_parse(s, len, &key, err) < 0 ||
			            keymap_bind(km, key, requests[i].req, err) < 0)) {
				keymap_free(km);
				return -1;
			}
			s += len;
			s += strspn(s, " ");
		}
	}
	if (bind_user(km, err) < 0) {
		keymap_free(km);
		return -1;
	}
	return 0;
}

void keymap_free(struct keymap *km)
{
	free(km->b);
	memset(km, 0, sizeof(*km));
}

enum request keymap_lookup(const struct keymap *km, struct ccon_key key)
{
	for (size_t i = 0; i < km->n; i++)
		if (ccon_key_eq(km->b[i].key, key))
			return km->b[i].req;
	return REQ_NONE;
}

size_t keymap_describe(const struct keymap *km, enum request req, char *buf, size_t size)
{
	size_t len = 0;

	if (size)
		buf[0] = '\0';
	for (size_t i = 0; i < km->n && len + 1 < size; i++) {
		char name[32];

		if (km->b[i].req != req)
			continue;
		ccon_keyspec_format(km->b[i].key, name, sizeof(name));
		len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? ", " : "", name);
	}
	return len < size ? len : size - 1;
}
