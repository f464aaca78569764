/* app.h - the console: its one event loop, the pane stack and the chrome.
 *
 * One loop turn: wait (ccon_client_wait, with the keyboard and the signal
 * pipe as extra descriptors and a timeout from ccon_model_next_ms and the
 * next age tick), move transfers on (ccon_client_run), start due polls
 * (ccon_model_tick), handle signals and keys, tell the panes what changed
 * (ccon_model_changes), then draw what is dirty, once. */
#ifndef CCON_TUI_APP_H
#define CCON_TUI_APP_H

#include "keys.h"
#include "pane.h"
#include "statusbar.h"

#include <ccon/client.h>
#include <ccon/model.h>

#include <stdbool.h>
#include <stdint.h>

#define APP_MAX_PANES 8
/* How long one turn of the loop gives each pane's background work: keys
 * wait at most this long behind it. */
#define APP_WORK_SLICE_MS 8

struct app_config {
	const char *profile;         /* shown in the status bar: "embedded" or a name */
	const char *url;
	const char *token;           /* copied by the client */
	const char *ca_file;         /* TLS roots; NULL: the system's */
	int64_t app_id;              /* 0: unknown */
	long campaigns_every_ms;     /* 0: the model's default */
	long focus_every_ms;
	const char *stderr_log;      /* stderr while the screen is up; NULL: leave */
	bool mouse;                  /* mouse reports: click selects, wheel scrolls */
	const char *open_file;       /* a CSV file to preview at once; NULL none */
	/* Starts a server that takes a while (the embedded engine) and sets
	 * url, token and app_id; NULL: the server is there already. With
	 * open_file it runs after the preview's first frame, else before the
	 * screen starts. */
	int (*start_server)(void *ctx, struct app_config *cfg, struct ccon_error *err);
	void *server_ctx;
};

/* What of the chrome must be drawn again. */
enum {
	APP_DIRTY_TITLE = 1u << 0,
	APP_DIRTY_STATUS = 1u << 1,
	APP_DIRTY_PROMPT = 1u << 2,
	APP_DIRTY_HELP = 1u << 3,
	APP_DIRTY_CLEAR = 1u << 4,   /* clear the screen first (resize, ^L) */
};

/* A yes/no question on the bottom line (app_confirm). */
typedef void (*app_confirm_cb)(void *ctx, bool yes);

struct app_question {
	bool active;
	char text[256];
	app_confirm_cb cb;
	void *ctx;
};

struct app {
	const struct app_config *cfg;
	struct ccon_client *client;
	struct ccon_model *model;
	struct keymap keys;
	struct pane *panes[APP_MAX_PANES];
	size_t n_panes;
	unsigned dirty;
	bool quit;
	bool help;
	int help_top;
	struct prompt prompt;
	struct app_question question;
	char message[256];
	bool message_error;          /* the message is an error (its own colour) */
	bool hint_shown;             /* the command line's completion hint is up */
	int64_t waiting_since_ms;
	unsigned last_in_flight;
	int64_t last_ok_ms;
};

/* Runs the console until it is asked to quit: 0, or -1 with err. With
 * cfg->open_file, the preview's first rows are on the screen before the
 * server starts and before the client exists: nothing that waits on the
 * network or the engine comes first. */
int app_run(struct app_config *cfg, struct ccon_error *err);

/* The pane on top. */
struct pane *app_top(struct app *app);
/* Puts p on top (NULL: out of memory, reported as a message). */
void app_push(struct app *app, struct pane *p);
/* Closes the pane on top; the last one quits. */
void app_pop(struct app *app);
/* Asks a yes/no question on the bottom line: y or Y answers yes, any
 * other key no; cb then gets the answer. The text is the console's own
 * (sanitise what came from outside before putting it in). */
void app_confirm(struct app *app, app_confirm_cb cb, void *ctx, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Opens the bottom line's prompt (statusbar.h's prompt_open on the app's
 * prompt) and has it drawn on the next frame. */
void app_prompt(struct app *app, const char *label, const char *text, prompt_cb changed,
                prompt_cb done, void *ctx);
/* A line for the bottom of the screen (the console's own text). */
/* Whether what the panes show from the server may be out of date: the
 * connection is retrying, down or refused, or an answer has been awaited
 * for STATUSBAR_STALL_MS or more. The panes mark their ages "stale". */
bool app_stale(const struct app *app, int64_t now_ms);
void app_message(struct app *app, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The same for an error (drawn in the theme's error colour). */
void app_error(struct app *app, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
