/* statusbar.h - the two bottom lines: the status bar (profile or
 * "embedded", server, connection state, last poll age, last error) and,
 * under it, the line for messages and the one-line prompt (the `/`
 * filter). */
#ifndef CCON_TUI_STATUSBAR_H
#define CCON_TUI_STATUSBAR_H

#include <ccon/keyspec.h>
#include <ccon/model.h>

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct statusbar_info {
	const char *profile;         /* "embedded" or the profile's name */
	const char *url;
	struct ccon_model_status st;
	int64_t now_ms;
	int64_t waiting_since_ms;    /* a request without an answer since; 0 none */
};

/* How long a request may go unanswered before the bar calls the server
 * stalled. */
#define STATUSBAR_STALL_MS 1000

void statusbar_draw(WINDOW *w, int y, int width, const struct statusbar_info *info);

struct prompt;
typedef void (*prompt_cb)(void *ctx, const char *text);

struct prompt {
	bool active;
	const char *label;           /* "/" */
	char text[16384];            /* a WhatsApp text (4,069 characters) fits */
	size_t len;
	prompt_cb changed;           /* after every edit */
	prompt_cb done;              /* Enter: text; Esc: NULL */
	void *ctx;
};

void prompt_open(struct prompt *p, const char *label, const char *text, prompt_cb changed,
                 prompt_cb done, void *ctx);
/* One key for the open prompt; returns true when it took the key. */
bool prompt_key(struct prompt *p, struct ccon_key key);
/* The bottom line: the prompt when open, else msg (may be NULL). */
void prompt_draw(WINDOW *w, int y, int width, const struct prompt *p, const char *msg);

#endif
