/* paste.h - the text of an editor's paste mode (the audience, envelope and
 * dynamic audience editors): while a paste is on, the pane grabs every key
 * and hands it here. Ctrl-D keeps the text, Esc drops it, Backspace takes a
 * character back, Enter and Tab are separators; other keys with modifiers
 * or named keys are ignored. */
#ifndef CCON_TUI_PASTE_H
#define CCON_TUI_PASTE_H

#include <ccon/keyspec.h>
#include <ccon/strbuf.h>

enum paste_edit {
	PASTE_TYPED,                 /* the text changed */
	PASTE_IGNORED,               /* a key that is not text */
	PASTE_KEEP,                  /* Ctrl-D: take the text */
	PASTE_DROP,                  /* Esc: drop it */
	PASTE_OOM,                   /* the character did not fit in memory */
};

enum paste_edit paste_edit(struct ccon_strbuf *text, struct ccon_key key);

#endif
