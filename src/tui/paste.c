/* paste.c - the text of an editor's paste mode. */
#include "config.h"

#include "paste.h"

#include "keys.h"

#include <ccon/utf8.h>

enum paste_edit paste_edit(struct ccon_strbuf *text, struct ccon_key key)
{
	uint32_t cp = key.code;
	size_t n = text->len;
	char buf[4];

	if (key.code == 'd' && key.mods == CCON_MOD_CTRL)
		return PASTE_KEEP;
	if (key_is(key, CCON_KEY_ESC))
		return PASTE_DROP;
	if (key_is(key, CCON_KEY_BACKSPACE)) {
		while (n && ((unsigned char)text->buf[n - 1] & 0xc0) == 0x80)
			n--;
		ccon_strbuf_truncate(text, n ? n - 1 : 0);
		return PASTE_TYPED;
	}
	if (key_is(key, CCON_KEY_ENTER))
		cp = '\n';
	else if (key_is(key, CCON_KEY_TAB))
		cp = '\t';
	else if (key.mods || cp >= CCON_KEY_NAMED || cp < 0x20)
		return PASTE_IGNORED;
	return ccon_strbuf_append(text, buf, ccon_utf8_encode(cp, buf)) < 0 ? PASTE_OOM : PASTE_TYPED;
}
