/* keys.c - the request table and the key map. */
#include "config.h"

#include "keys.h"

#include <ccon/utf8.h>

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

static const struct {
	const char *name;
	int key;
} named_keys[] = {
	{ "Enter", '\n' }, { "Esc", KEY_ESC }, { "Tab", '\t' }, { "Space", ' ' },
	{ "BS", KEY_FN(KEY_BACKSPACE) }, { "Del", KEY_FN(KEY_DC) }, { "Ins", KEY_FN(KEY_IC) },
	{ "Up", KEY_FN(KEY_UP) }, { "Down", KEY_FN(KEY_DOWN) }, { "Left", KEY_FN(KEY_LEFT) },
	{ "Right", KEY_FN(KEY_RIGHT) }, { "PgUp", KEY_FN(KEY_PPAGE) },
	{ "PgDn", KEY_FN(KEY_NPAGE) }, { "Home", KEY_FN(KEY_HOME) }, { "End", KEY_FN(KEY_END) },
	{ "lt", '<' },
};

int keyspec_parse(const char *spec, size_t len, int *key, struct ccon_error *err)
{
	uint32_t cp;

	if (len == 0)
		return ccon_error_set(err, CCON_E_INVALID_ARGUMENT, "empty key");
	if (spec[0] != '<' || len == 1) {
		if (ccon_utf8_decode(spec, len, &cp) != len || cp < 0x20 || cp == 0x7f)
			return ccon_error_set(err, CCON_E_INVALID_ARGUMENT,
			                      "a key is one character or a <name>");
		*key = (int)cp;
		return 0;
	}
	if (spec[len - 1] != '>')
		return ccon_error_set(err, CCON_E_INVALID_ARGUMENT, "a key name ends with '>'");
	spec++;
	len -= 2;
	if (len == 3 && (spec[0] == 'C' || spec[0] == 'c') && spec[1] == '-' &&
	    ((spec[2] >= 'a' && spec[2] <= 'z') || (spec[2] >= 'A' && spec[2] <= 'Z'))) {
		*key = KEY_CTRL(spec[2]);
		return 0;
	}
	if ((len == 2 || len == 3) && spec[0] == 'F' && spec[1] >= '1' && spec[1] <= '9') {
		int n = len == 2 ? spec[1] - '0' : (spec[1] - '0') * 10 + spec[2] - '0';

		if (len == 2 || (spec[2] >= '0' && spec[2] <= '9' && n <= 12)) {
			*key = KEY_FN(KEY_F(n));
			return 0;
		}
	}
	for (size_t i = 0; i < sizeof(named_keys) / sizeof(named_keys[0]); i++)
		if (strlen(named_keys[i].name) == len && strncasecmp(named_keys[i].name, spec, len) == 0) {
			*key = named_keys[i].key;
			return 0;
		}
	return ccon_error_set(err, CCON_E_INVALID_ARGUMENT, "unknown key name <%.*s>",
	                      (int)(len > 20 ? 20 : len), spec);
}

size_t keyspec_name(int key, char *buf, size_t size)
{
	for (size_t i = 0; i < sizeof(named_keys) / sizeof(named_keys[0]); i++)
		if (named_keys[i].key == key && key != '<')
			return (size_t)snprintf(buf, size, "<%s>", named_keys[i].name);
	if (KEY_IS_FN(key)) {
		int code = key & ~0x200000;

		if (code >= KEY_F(1) && code <= KEY_F(12))
			return (size_t)snprintf(buf, size, "<F%d>", code - KEY_F0);
		return (size_t)snprintf(buf, size, "<key %d>", code);
	}
	if (key > 0 && key < 0x20)
		return (size_t)snprintf(buf, size, "<C-%c>", key + 'a' - 1);
	if (key == '<')
		return (size_t)snprintf(buf, size, "<lt>");
	if (key < 0x80)
		return (size_t)snprintf(buf, size, "%c", key);
	return (size_t)snprintf(buf, size, "U+%04X", (unsigned)key);
}

int keymap_bind(struct keymap *km, int key, enum request req, struct ccon_error *err)
{
	for (size_t i = 0; i < km->n; i++)
		if (km->b[i].key == key) {
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

int keymap_init(struct keymap *km, struct ccon_error *err)
{
	memset(km, 0, sizeof(*km));
	for (size_t i = 0; i < sizeof(requests) / sizeof(requests[0]); i++) {
		const char *s = requests[i].keys;

		while (s && *s) {
			size_t len = strcspn(s, " ");
			int key;

			if (len && (keyspec_parse(s, len, &key, err) < 0 ||
			            keymap_bind(km, key, requests[i].req, err) < 0)) {
				keymap_free(km);
				return -1;
			}
			s += len;
			s += strspn(s, " ");
		}
	}
	/* what terminals send for Enter and Backspace besides the above */
	if (keymap_bind(km, '\r', REQ_ENTER, err) < 0 ||
	    keymap_bind(km, KEY_FN(KEY_ENTER), REQ_ENTER, err) < 0) {
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

enum request keymap_lookup(const struct keymap *km, int key)
{
	for (size_t i = 0; i < km->n; i++)
		if (km->b[i].key == key)
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

		if (km->b[i].req != req || km->b[i].key == '\r' || km->b[i].key == KEY_FN(KEY_ENTER))
			continue;
		keyspec_name(km->b[i].key, name, sizeof(name));
		len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? ", " : "", name);
	}
	return len < size ? len : size - 1;
}
