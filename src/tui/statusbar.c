/* statusbar.c - the status bar and the prompt line. */
#include "config.h"

#include "statusbar.h"

#include "colors.h"
#include "draw.h"
#include "keys.h"

#include <ccon/utf8.h>

#include <stdio.h>
#include <string.h>

static const char *state_text(const struct statusbar_info *in, char *buf, size_t size)
{
	int64_t waited = in->waiting_since_ms ? in->now_ms - in->waiting_since_ms : 0;
	char age[16];

	/* late answers on a connection that was fine; retries say so themselves */
	if (waited >= STATUSBAR_STALL_MS &&
	    (in->st.conn.state == CCON_CONN_OK || in->st.conn.state == CCON_CONN_IDLE)) {
		draw_age(waited, age, sizeof(age));
		snprintf(buf, size, "no answer for %s", age);
		return buf;
	}
	switch (in->st.conn.state) {
	case CCON_CONN_IDLE:
		return "connecting";
	case CCON_CONN_OK:
		return "connected";
	case CCON_CONN_RETRYING:
		return "retrying";
	case CCON_CONN_DOWN:
		return "server down";
	case CCON_CONN_AUTH:
		return "not authorised";
	}
	return "?";
}

void statusbar_draw(WINDOW *w, int y, int width, const struct statusbar_info *in)
{
	attr_t a = colors_attr(AREA_STATUS_BAR);
	char state[48], age[16], polled[48];
	const char *error = in->st.last_error[0] ? in->st.last_error : in->st.conn.last_error;
	char line[512];

	if (in->st.campaigns_polled_ms) {
		draw_age(in->now_ms - in->st.campaigns_polled_ms, age, sizeof(age));
		snprintf(polled, sizeof(polled), "polled %s ago", age);
	} else {
		snprintf(polled, sizeof(polled), "not polled yet");
	}
	snprintf(line, sizeof(line), "%s | %s | %s | %s%s%s", in->profile, in->url,
	         state_text(in, state, sizeof(state)), polled, error[0] ? " | error: " : "", error);
	draw_fill(w, y, 0, width, a);
	draw_text(w, y, 1, width - 2, line, a, DRAW_LEFT);
}

/* ------------------------------------------------------------ the prompt */

void prompt_open(struct prompt *p, const char *label, const char *text, prompt_cb changed,
                 prompt_cb done, void *ctx)
{
	p->active = true;
	p->label = label;
	snprintf(p->text, sizeof(p->text), "%s", text ? text : "");
	p->len = strlen(p->text);
	p->changed = changed;
	p->done = done;
	p->ctx = ctx;
}

static void put_utf8(struct prompt *p, uint32_t cp)
{
	char buf[4];
	size_t n = ccon_utf8_encode(cp, buf);

	if (!n)
		return;
	if (p->len + n >= sizeof(p->text)) {
		beep(); /* full: the key is refused where it is seen, not dropped unseen */
		return;
	}
	memcpy(p->text + p->len, buf, n);
	p->len += n;
	p->text[p->len] = '\0';
}

static void finish(struct prompt *p, bool keep)
{
	p->active = false;
	if (!keep) {
		p->len = 0;
		p->text[0] = '\0';
	}
	if (p->done)
		p->done(p->ctx, keep ? p->text : NULL);
}

bool prompt_key(struct prompt *p, struct ccon_key key)
{
	if (!p->active)
		return false;
	if (key_is(key, CCON_KEY_ESC)) {
		finish(p, false);
		return true;
	}
	if (key_is(key, CCON_KEY_ENTER)) {
		finish(p, true);
		return true;
	}
	if (key_is(key, CCON_KEY_BACKSPACE) || (key.code == 'h' && key.mods == CCON_MOD_CTRL)) {
		while (p->len > 0 && ((unsigned char)p->text[p->len - 1] & 0xc0) == 0x80)
			p->len--;
		if (p->len > 0)
			p->len--;
		p->text[p->len] = '\0';
	} else if (key.code == 'u' && key.mods == CCON_MOD_CTRL) {
		p->len = 0;
		p->text[0] = '\0';
	} else if (key.mods == 0 && key.code >= 0x20 && key.code != 0x7f && key.code < CCON_KEY_NAMED) {
		put_utf8(p, key.code);
	} else {
		return true; /* the prompt keeps every key while it is open */
	}
	if (p->changed)
		p->changed(p->ctx, p->text);
	return true;
}

void prompt_draw(WINDOW *w, int y, int width, const struct prompt *p, const char *msg)
{
	const char *text;
	int x, room;

	if (!p->active) {
		draw_text(w, y, 0, width, msg, A_NORMAL, DRAW_LEFT);
		return;
	}
	x = draw_text(w, y, 0, width, p->label, A_BOLD, DRAW_LEFT);
	room = width - x - 1;
	/* the end of a long text stays in sight */
	text = p->text;
	while (*text && draw_width(text) > room) {
		text++;
		while (((unsigned char)*text & 0xc0) == 0x80)
			text++;
	}
	x += draw_text(w, y, x, room, text, A_NORMAL, DRAW_LEFT);
	draw_fill(w, y, x, 1, A_REVERSE);
}
