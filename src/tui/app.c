/* app.c - the console's one event loop, the pane stack and the chrome. */
#include "config.h"

#include "app.h"

#include "cmdline.h"
#include "colors.h"
#include "draw.h"
#include "help.h"
#include "mouse.h"
#include "term.h"

#include <ccon/ccon.h>
#include <ccon/settings.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct pane *app_top(struct app *app)
{
	return app->n_panes ? app->panes[app->n_panes - 1] : NULL;
}

static void mark_all(struct app *app)
{
	app->dirty |= APP_DIRTY_TITLE | APP_DIRTY_STATUS | APP_DIRTY_PROMPT | APP_DIRTY_HELP;
	if (app_top(app))
		app_top(app)->dirty = PANE_DIRTY_ALL;
}

void app_message(struct app *app, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(app->message, sizeof(app->message), fmt, ap);
	va_end(ap);
	app->message_error = false;
	app->dirty |= APP_DIRTY_PROMPT;
}

void app_prompt(struct app *app, const char *label, const char *text, prompt_cb changed,
                prompt_cb done, void *ctx)
{
	prompt_open(&app->prompt, label, text, changed, done, ctx);
	app->dirty |= APP_DIRTY_PROMPT;
}

void app_confirm(struct app *app, app_confirm_cb cb, void *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(app->question.text, sizeof(app->question.text), fmt, ap);
	va_end(ap);
	app->question.cb = cb;
	app->question.ctx = ctx;
	app->question.active = true;
	app->dirty |= APP_DIRTY_PROMPT;
}

void app_error(struct app *app, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(app->message, sizeof(app->message), fmt, ap);
	va_end(ap);
	app->message_error = true;
	app->dirty |= APP_DIRTY_PROMPT;
}

void app_push(struct app *app, struct pane *p)
{
	if (!p) {
		app_message(app, "out of memory");
		return;
	}
	if (app->n_panes == APP_MAX_PANES) {
		p->ops->close(p);
		app_message(app, "too many panes open");
		return;
	}
	app->panes[app->n_panes++] = p;
	mark_all(app);
}

void app_pop(struct app *app)
{
	struct pane *p;

	if (app->n_panes <= 1) {
		app->quit = true;
		return;
	}
	p = app->panes[--app->n_panes];
	p->ops->close(p);
	mark_all(app);
}

/* ------------------------------------------------------------ drawing */

static void draw_title(struct app *app, int cols)
{
	attr_t a = colors_attr(AREA_TITLE);
	char path[128] = "";
	size_t len = 0;

	for (size_t i = 0; i < app->n_panes && len < sizeof(path); i++)
		len += (size_t)snprintf(path + len, sizeof(path) - len, "%s%s", i ? " > " : "",
		                        app->panes[i]->ops->name);
	draw_fill(stdscr, 0, 0, cols, a);
	draw_textf(stdscr, 0, 1, cols - 17, a, DRAW_LEFT, "ccon %s  %s", ccon_version(), path);
	draw_text(stdscr, 0, cols - 16, 15, "? help  q quit", a, DRAW_RIGHT);
}

/* Before the client exists (the preview's first frame): what is not
 * known yet says so. */
static void draw_status_starting(struct app *app, int y, int cols)
{
	attr_t a = colors_attr(AREA_STATUS_BAR);

	draw_fill(stdscr, y, 0, cols, a);
	if (app->cfg->url)
		draw_textf(stdscr, y, 1, cols - 2, a, DRAW_LEFT,
		           "%s | %s | connecting... | not polled yet", app->cfg->profile, app->cfg->url);
	else
		draw_textf(stdscr, y, 1, cols - 2, a, DRAW_LEFT,
		           "%s | starting the engine... | not polled yet", app->cfg->profile);
}

static void draw_status(struct app *app, int y, int cols, int64_t now)
{
	struct statusbar_info info;

	if (!app->model) {
		draw_status_starting(app, y, cols);
		return;
	}

	memset(&info, 0, sizeof(info));
	info.profile = app->cfg->profile;
	info.url = app->cfg->url;
	info.now_ms = now;
	info.waiting_since_ms = app->waiting_since_ms;
	ccon_model_status(app->model, &info.st);
	statusbar_draw(stdscr, y, cols, &info);
}

/* The bottom line: the open line, else the message. */
static void draw_prompt(struct app *app, int y, int cols)
{
	if (cmdline_active())
		cmdline_draw(stdscr, y, cols);
	else if (app->question.active)
		draw_text(stdscr, y, 0, cols, app->question.text, A_BOLD, DRAW_LEFT);
	else if (app->prompt.active || !app->message_error)
		prompt_draw(stdscr, y, cols, &app->prompt, app->message);
	else
		draw_text(stdscr, y, 0, cols, app->message, colors_attr(AREA_ERROR), DRAW_LEFT);
}

/* The line's changes; the completion hint covers the pane's last line
 * while it shows, so the pane draws that line again after it. */
static void cmdline_dirty(struct app *app, struct pane *top)
{
	bool hint = cmdline_hint()[0] != '\0';

	if (!cmdline_changed())
		return;
	app->dirty |= APP_DIRTY_PROMPT;
	if (top && (hint || app->hint_shown))
		top->dirty |= PANE_DIRTY_BODY;
	app->hint_shown = hint;
}

static void draw(struct app *app, int64_t now)
{
	struct pane *top = app_top(app);
	int rows = LINES, cols = COLS;
	bool drawn = false;

	cmdline_dirty(app, top);

	if (app->dirty & APP_DIRTY_CLEAR) {
		clearok(curscr, TRUE);
		erase();
		mark_all(app);
		app->dirty &= ~APP_DIRTY_CLEAR;
	}
	if (rows < 6 || cols < 30) {
		if (!app->dirty && !(top && top->dirty))
			return;
		erase();
		draw_text(stdscr, 0, 0, cols, "terminal too small", A_BOLD, DRAW_LEFT);
		app->dirty = 0;
		if (top)
			top->dirty = 0;
		refresh();
		return;
	}
	if (app->dirty & APP_DIRTY_TITLE) {
		draw_title(app, cols);
		drawn = true;
	}
	if (top && top->dirty) {
		struct rect area = { 1, 0, rows - 3, cols };

		top->ops->draw(top, stdscr, area);
		top->dirty = 0;
		drawn = true;
	}
	if (app->dirty & APP_DIRTY_STATUS) {
		draw_status(app, rows - 2, cols, now);
		drawn = true;
	}
	if (app->dirty & APP_DIRTY_PROMPT) {
		draw_prompt(app, rows - 1, cols);
		drawn = true;
	}
	if (app->hint_shown && drawn)
		draw_text(stdscr, rows - 3, 0, cols, cmdline_hint(), colors_attr(AREA_FILTER),
		          DRAW_LEFT);
	if (app->help && (drawn || (app->dirty & APP_DIRTY_HELP))) {
		struct rect area = { 1, 0, rows - 3, cols };

		help_draw(stdscr, area, &app->keys, &app->help_top);
		drawn = true;
	}
	app->dirty = 0;
	if (drawn)
		refresh();
}

/* ------------------------------------------------------------ input */

static void app_request(struct app *app, enum request req)
{
	switch (req) {
	case REQ_QUIT:
		app->quit = true;
		break;
	case REQ_VIEW_CLOSE:
		app_pop(app);
		break;
	case REQ_BACK:
		if (app->n_panes > 1)
			app_pop(app);
		break;
	case REQ_HELP:
		app->help = true;
		app->help_top = 0;
		app->dirty |= APP_DIRTY_HELP;
		break;
	case REQ_REDRAW:
		app->dirty |= APP_DIRTY_CLEAR;
		break;
	case REQ_REFRESH:
		ccon_model_refresh(app->model);
		app_message(app, "refreshing");
		break;
	case REQ_COMMAND:
		cmdline_command_open(app);
		break;
	default:
		break;
	}
}

static void help_request(struct app *app, enum request req)
{
	switch (req) {
	case REQ_QUIT:
		app->quit = true;
		return;
	case REQ_MOVE_DOWN:
		app->help_top++;
		break;
	case REQ_MOVE_UP:
		app->help_top--;
		break;
	case REQ_PAGE_DOWN:
		app->help_top += LINES / 2;
		break;
	case REQ_PAGE_UP:
		app->help_top -= LINES / 2;
		break;
	case REQ_MOVE_FIRST:
		app->help_top = 0;
		break;
	case REQ_MOVE_LAST:
		app->help_top = 1 << 20; /* help_draw clamps it */
		break;
	default:
		app->help = false;
		mark_all(app);
		app->dirty |= APP_DIRTY_CLEAR;
		return;
	}
	if (app->help_top < 0)
		app->help_top = 0;
	app->dirty |= APP_DIRTY_HELP;
}

static void handle_key(struct app *app, struct ccon_key key)
{
	struct pane *top = app_top(app);
	enum request req;

	if (app->message[0]) {
		app->message[0] = '\0';
		app->dirty |= APP_DIRTY_PROMPT;
	}
	if (app->question.active) {
		struct app_question q = app->question;

		app->question.active = false;
		app->dirty |= APP_DIRTY_PROMPT;
		q.cb(q.ctx, key_is(key, 'y') || key_is(key, 'Y'));
		return;
	}
	if (app->prompt.active) {
		prompt_key(&app->prompt, key);
		app->dirty |= APP_DIRTY_PROMPT;
		return;
	}
	if (cmdline_active()) {
		cmdline_key(key);
		return;
	}
	if (top && top->grab_keys && top->ops->key) {
		top->ops->key(top, key);
		return;
	}
	req = keymap_lookup(&app->keys, key);
	if (app->help) {
		help_request(app, req);
		return;
	}
	if (req != REQ_NONE && top && top->ops->request(top, req))
		return;
	if (req == REQ_NONE) {
		if (top && top->ops->key && top->ops->key(top, key))
			return;
		if (!key_is(key, CCON_KEY_ESC))
			app_message(app, "no action on this key; ? shows the keys");
		return;
	}
	app_request(app, req);
}

static void handle_mouse(struct app *app)
{
	struct pane *top = app_top(app);
	struct mouse_event ev;
	enum request req;

	if (!mouse_read(&ev) || !top || cmdline_active() || app->prompt.active)
		return;
	if (app->message[0]) {
		app->message[0] = '\0';
		app->dirty |= APP_DIRTY_PROMPT;
	}
	if (ev.kind == MOUSE_CLICK) {
		if (app->help)
			help_request(app, REQ_HELP);
		/* TODO(pane.h): a mouse op for every pane; the list is the bottom one */
		else if (top == app->panes[0])
			pane_campaigns_click(top, &ev);
		return;
	}
	req = ev.kind == MOUSE_WHEEL_UP ? REQ_MOVE_UP : REQ_MOVE_DOWN;
	for (int i = 0; i < MOUSE_WHEEL_ROWS; i++) {
		if (app->help)
			help_request(app, req);
		else
			top->ops->request(top, req);
	}
}

static void read_keys(struct app *app)
{
	struct ccon_key key;
	wint_t wch;
	int rc;

	while (!app->quit && (rc = wget_wch(stdscr, &wch)) != ERR) {
		if (rc == KEY_CODE_YES && wch == KEY_RESIZE) {
			app->dirty |= APP_DIRTY_CLEAR;
			continue;
		}
		if (rc == KEY_CODE_YES && wch == KEY_MOUSE) {
			handle_mouse(app);
			continue;
		}
		if (keys_from_curses(rc, wch, &key))
			handle_key(app, key);
	}
}

static void handle_signals(struct app *app)
{
	unsigned sigs = term_signals();

	if (sigs & TERM_SIG_STOP)
		app->quit = true;
	if (sigs & TERM_SIG_RESIZE) {
		term_resize();
		app->dirty |= APP_DIRTY_CLEAR;
	}
}

/* ------------------------------------------------------------ the loop */

bool app_stale(const struct app *app, int64_t now_ms)
{
	struct ccon_model_status st;

	if (!app->model)
		return false;
	ccon_model_status(app->model, &st);
	return st.conn.state == CCON_CONN_RETRYING || st.conn.state == CCON_CONN_DOWN ||
	       st.conn.state == CCON_CONN_AUTH ||
	       (app->waiting_since_ms && now_ms - app->waiting_since_ms >= STATUSBAR_STALL_MS);
}

/* Notes when a request went unanswered, for the status bar's "stalled". */
static void track_waiting(struct app *app, int64_t now)
{
	struct ccon_model_status st;
	bool was_stalled, stalled;

	ccon_model_status(app->model, &st);
	was_stalled = app->waiting_since_ms && now - app->waiting_since_ms >= STATUSBAR_STALL_MS;
	if (st.conn.in_flight == 0)
		app->waiting_since_ms = 0;
	else if (!app->waiting_since_ms || st.conn.last_ok_ms != app->last_ok_ms)
		app->waiting_since_ms = now;
	app->last_ok_ms = st.conn.last_ok_ms;
	stalled = app->waiting_since_ms && now - app->waiting_since_ms >= STATUSBAR_STALL_MS;
	if (stalled != was_stalled)
		app->dirty |= APP_DIRTY_STATUS;
}

static void notify_panes(struct app *app, unsigned changes)
{
	struct pane *top = app_top(app);

	if (!changes)
		return;
	if (changes & CCON_MODEL_STATUS)
		app->dirty |= APP_DIRTY_STATUS;
	if (top)
		top->ops->changed(top, changes);
}

/* A slice of every pane's background work: true while some remains. */
static bool run_work(struct app *app)
{
	bool more = false;

	for (size_t i = 0; i < app->n_panes; i++) {
		struct pane *p = app->panes[i];

		if (p->ops->work && p->ops->work(p, APP_WORK_SLICE_MS))
			more = true;
	}
	return more;
}

static int loop(struct app *app, struct ccon_error *err)
{
	int64_t next_tick = 0;
	bool busy = false;

	while (!app->quit) {
		struct pollfd fds[2] = {
			{ .fd = STDIN_FILENO, .events = POLLIN },
			{ .fd = term_signal_fd(), .events = POLLIN },
		};
		int64_t now = ccon_monotonic_ms();
		long timeout;

		if (now >= next_tick) {
			/* ages on screen move on; faster while a request waits */
			app->dirty |= APP_DIRTY_STATUS;
			if (app_top(app))
				app_top(app)->dirty |= PANE_DIRTY_HEAD;
			next_tick = now + (app->waiting_since_ms ? 250 : 1000);
		}
		ccon_model_tick(app->model, now);
		notify_panes(app, ccon_model_changes(app->model));
		track_waiting(app, now);
		draw(app, now);
		timeout = ccon_model_next_ms(app->model, ccon_monotonic_ms());
		if (timeout > next_tick - now)
			timeout = (long)(next_tick - now);
		if (timeout < 0 || busy)
			timeout = 0;
		if (ccon_client_wait(app->client, fds, 2, (int)timeout, err) < 0)
			return -1;
		ccon_client_run(app->client);
		if (fds[1].revents)
			handle_signals(app);
		if (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL))
			app->quit = true; /* the terminal went away */
		else if (fds[0].revents)
			read_keys(app);
		busy = run_work(app);
	}
	return 0;
}

/* The histories of the command line, in $XDG_STATE_HOME/ccon: without
 * one (no HOME), the console runs and keeps none. */
static void start_cmdline(struct app *app)
{
	char dir[4096];
	struct ccon_error e;

	if (ccon_xdg_state_dir(dir, sizeof(dir), &e) < 0) {
		cmdline_init(NULL);
		app_error(app, "no command history kept: %s", e.message);
		return;
	}
	cmdline_init(dir);
}

static void stop_cmdline(void)
{
	struct ccon_error e;

	if (cmdline_save(&e) < 0)
		fprintf(stderr, "ccon: the command history: %s\n", e.message);
	cmdline_free();
}

/* The preview of cfg->open_file alone on the screen, drawn at once: its
 * first rows come from the file's first block. */
static void first_frame(struct app *app)
{
	struct pane *csv = pane_csv_open(app, app->cfg->open_file, NULL, NULL, NULL, NULL);

	if (csv)
		app_push(app, csv);
	app->dirty |= APP_DIRTY_CLEAR;
	draw(app, ccon_monotonic_ms());
}

/* The campaign list goes under what is open: it is the bottom pane. */
static void push_campaigns(struct app *app)
{
	struct pane *list = pane_campaigns_open(app);

	if (!list) {
		app_message(app, "out of memory");
		return;
	}
	if (app->n_panes == APP_MAX_PANES) {
		list->ops->close(list);
		return;
	}
	/* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
	memmove(app->panes + 1, app->panes, app->n_panes * sizeof(*app->panes));
	app->panes[0] = list;
	app->n_panes++;
	mark_all(app);
}

static int start_server(struct app_config *cfg, struct ccon_error *err)
{
	return cfg->start_server ? cfg->start_server(cfg->server_ctx, cfg, err) : 0;
}

int app_run(struct app_config *cfg, struct ccon_error *err)
{
	struct ccon_client_config cc = { 0 };
	struct ccon_model_config mc = { 0 };
	struct app app;
	int rc = -1;

	memset(&app, 0, sizeof(app));
	app.cfg = cfg;
	if (keymap_init(&app.keys, err) < 0)
		return -1;
	/* without a file, the list needs the server: it starts before the
	 * screen, so its errors are plain lines on the terminal */
	if (!cfg->open_file && start_server(cfg, err) < 0)
		goto out;
	/* readline reads the terminal's description before curses does */
	start_cmdline(&app);
	if (term_start(cfg->stderr_log, err) < 0)
		goto out;
	colors_init(term_colors());
	mouse_enable(cfg->mouse);
	if (cfg->open_file) {
		first_frame(&app);
		if (start_server(cfg, err) < 0)
			goto stop;
	}
	cc.base_url = cfg->url;
	cc.token = cfg->token;
	cc.ca_file = cfg->ca_file;
	/* a stalled server shows within seconds, not after libcurl's minutes */
	cc.timeout_ms = 10000;
	mc.campaigns_every_ms = cfg->campaigns_every_ms;
	mc.focus_every_ms = cfg->focus_every_ms;
	if (ccon_client_new(&cc, &app.client, err) < 0 ||
	    ccon_model_new(app.client, &mc, &app.model, err) < 0)
		goto stop;
	push_campaigns(&app);
	if (!cfg->open_file)
		app.dirty |= APP_DIRTY_CLEAR;
	rc = app.n_panes ? loop(&app, err) : ccon_error_set(err, CCON_E_NOMEM, "out of memory");
stop:
	while (app.n_panes) {
		struct pane *p = app.panes[--app.n_panes];

		p->ops->close(p);
	}
	term_stop();
out:
	stop_cmdline();
	ccon_model_free(app.model);
	ccon_client_free(app.client);
	keymap_free(&app.keys);
	return rc;
}
