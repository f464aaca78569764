#include "config.h"

#include <ccon/keyspec.h>

#include <ccon/sanitize.h>
#include <ccon/utf8.h>

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const struct {
	const char *name;
	uint32_t code;
} names[] = {
	/* the first name of a code is the one written back */
	{ "Enter", CCON_KEY_ENTER }, { "Esc", CCON_KEY_ESC }, { "Tab", CCON_KEY_TAB },
	{ "Backspace", CCON_KEY_BACKSPACE }, { "Del", CCON_KEY_DEL }, { "Ins", CCON_KEY_INS },
	{ "Up", CCON_KEY_UP }, { "Down", CCON_KEY_DOWN }, { "Left", CCON_KEY_LEFT },
	{ "Right", CCON_KEY_RIGHT }, { "PgUp", CCON_KEY_PGUP }, { "PgDn", CCON_KEY_PGDN },
	{ "Home", CCON_KEY_HOME }, { "End", CCON_KEY_END }, { "Space", ' ' }, { "lt", '<' },
	{ "Return", CCON_KEY_ENTER }, { "Escape", CCON_KEY_ESC }, { "BS", CCON_KEY_BACKSPACE },
	{ "Delete", CCON_KEY_DEL }, { "Insert", CCON_KEY_INS }, { "PageUp", CCON_KEY_PGUP },
	{ "PageDown", CCON_KEY_PGDN },
};

/* at is a byte offset in spec; the column counts characters. */
static int fail(struct ccon_error *err, const char *spec, size_t at, const char *msg)
{
	ccon_error_at_column(err, (long)ccon_utf8_length(spec, at) + 1);
	return ccon_error_set(err, CCON_E_KEYSPEC, "%s", msg);
}

/* "C-", "M-", "S-" at spec[*i..len), as long as a key follows. */
static int modifiers(const char *spec, size_t len, size_t *i, unsigned *mods,
                     size_t *shift_at, struct ccon_error *err)
{
	while (len - *i >= 3 && spec[*i + 1] == '-') {
		unsigned m;

		switch (spec[*i]) {
		case 'C': m = CCON_MOD_CTRL; break;
		case 'M': m = CCON_MOD_META; break;
		case 'S': m = CCON_MOD_SHIFT; *shift_at = *i; break;
		default: return 0;
		}
		if (*mods & m)
			return fail(err, spec, *i, "a modifier given twice");
		*mods |= m;
		*i += 2;
	}
	if (len - *i == 2 && spec[*i + 1] == '-' && strchr("CMS", spec[*i]))
		return fail(err, spec, *i + 2, "a key follows the modifier");
	return 0;
}

static int named(const char *spec, size_t at, size_t n, uint32_t *code, struct ccon_error *err)
{
	const char *name = spec + at;

	if ((n == 2 || n == 3) && (name[0] == 'F' || name[0] == 'f') && name[1] >= '1' &&
	    name[1] <= '9') {
		unsigned f = (unsigned)(name[1] - '0');

		if (n == 3 && name[2] >= '0' && name[2] <= '9')
			f = f * 10 + (unsigned)(name[2] - '0');
		if ((n == 2 || (name[2] >= '0' && name[2] <= '9')) && f <= 12) {
			*code = CCON_KEY_F1 + f - 1;
			return 0;
		}
		return fail(err, spec, at, "function keys are F1 to F12");
	}
	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++)
		if (strlen(names[k].name) == n && strncasecmp(names[k].name, name, n) == 0) {
			*code = names[k].code;
			return 0;
		}
	return fail(err, spec, at, "unknown key name (Enter, Esc, Tab, Space, Backspace, Del, Ins, "
	            "Up, Down, Left, Right, PgUp, PgDn, Home, End, F1-F12, lt)");
}

/* Control with a character: what a terminal can send. */
static int control(struct ccon_key *k, const char *spec, size_t at, struct ccon_error *err)
{
	uint32_t c = k->code;

	if (c >= 'A' && c <= 'Z')
		c += 'a' - 'A';
	if (c == ' ')
		c = '@';
	if (!((c >= 'a' && c <= 'z') || (c && strchr("@[\\]^_", (int)c))))
		return fail(err, spec, at,
		            "C- goes with a letter, @ [ \\ ] ^ _, <Space> or a named key");
	k->code = c;
	if (c == 'i' || c == 'm' || c == '[') {
		k->code = c == 'i' ? CCON_KEY_TAB : c == 'm' ? CCON_KEY_ENTER : CCON_KEY_ESC;
		k->mods &= ~(unsigned)CCON_MOD_CTRL;
	}
	return 0;
}

int ccon_keyspec_parse(const char *spec, size_t len, struct ccon_key *out,
                       struct ccon_error *err)
{
	struct ccon_key k = { 0, 0 };
	size_t i = 0, shift_at = 0, key_at;

	if (len == 0)
		return fail(err, spec, 0, "an empty key");
	if (modifiers(spec, len, &i, &k.mods, &shift_at, err) < 0)
		return -1;
	key_at = i;
	if (spec[i] == '<' && len - i > 1) {
		if (spec[len - 1] != '>')
			return fail(err, spec, len, "a key name ends with '>'");
		i++;
		if (modifiers(spec, len - 1, &i, &k.mods, &shift_at, err) < 0)
			return -1;
		key_at = i;
		/* "<C-d>": one character inside the brackets */
		if ((i + 1 == len || ccon_utf8_decode(spec + i, len - 1 - i, &k.code) != len - 1 - i) &&
		    named(spec, i, len - 1 - i, &k.code, err) < 0)
			return -1;
		if (k.code < CCON_KEY_NAMED && ccon_cp_width(k.code) < 0)
			return fail(err, spec, i,
			            "a control character: write its name (<Esc>, <Tab>) or C-x");
	} else {
		size_t n = ccon_utf8_decode(spec + i, len - i, &k.code);

		if (n == 0)
			return fail(err, spec, i, "not valid UTF-8");
		if (ccon_cp_width(k.code) < 0)
			return fail(err, spec, i,
			            "a control character: write its name (<Esc>, <Tab>) or C-x");
		if (i + n != len)
			return fail(err, spec, i + n, "a key is one character or a <name>; "
			            "modifiers are C-, M- and S-");
	}
	if ((k.mods & CCON_MOD_SHIFT) && k.code < CCON_KEY_NAMED)
		return fail(err, spec, shift_at,
		            "S- goes with named keys (write G, not S-g)");
	if ((k.mods & CCON_MOD_CTRL) && k.code < CCON_KEY_NAMED && control(&k, spec, key_at, err) < 0)
		return -1;
	*out = k;
	return 0;
}

static size_t put(char *buf, size_t size, size_t at, const char *s, size_t n)
{
	if (at < size)
		memcpy(buf + at, s, at + n < size ? n : size - at - 1);
	return at + n;
}

size_t ccon_keyspec_format(struct ccon_key key, char *buf, size_t size)
{
	const char *name = NULL;
	size_t o = 0;
	char ch[4];
	size_t chn = 0;

	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]) && !name; k++)
		if (names[k].code == key.code && key.code != '<')
			name = names[k].name;
	if (key.code >= CCON_KEY_F1 && key.code <= CCON_KEY_F12) {
		chn = (size_t)snprintf(ch, sizeof(ch), "F%u", key.code - CCON_KEY_F1 + 1);
		name = ch;
	} else if (!name) {
		chn = ccon_utf8_encode(key.code, ch);
	}
	if (name)
		o = put(buf, size, o, "<", 1);
	if (key.mods & CCON_MOD_CTRL)
		o = put(buf, size, o, "C-", 2);
	if (key.mods & CCON_MOD_META)
		o = put(buf, size, o, "M-", 2);
	if (key.mods & CCON_MOD_SHIFT)
		o = put(buf, size, o, "S-", 2);
	if (name) {
		o = put(buf, size, o, name, name == ch ? chn : strlen(name));
		o = put(buf, size, o, ">", 1);
	} else {
		o = put(buf, size, o, ch, chn);
	}
	if (size)
		buf[o < size ? o : size - 1] = '\0';
	return o;
}

bool ccon_key_eq(struct ccon_key a, struct ccon_key b)
{
	return a.code == b.code && a.mods == b.mods;
}
