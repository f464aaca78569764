/* cmdline.c - the bottom line's editor on readline's callback interface
 * (one line at a time, readline being one global state), its histories,
 * and the `:` commands. */
#include "config.h"

#include "cmdline.h"

#include "app.h"
#include "draw.h"
#include "keys.h"

#include <ccon/sanitize.h>
#include <ccon/utf8.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <readline/history.h>
#include <readline/readline.h>

struct cmdline_matches {
	char **v;
	size_t n, cap;
	bool failed;
};

struct history {
	HISTORY_STATE st;
	int added;                   /* lines added in this run */
	char path[PATH_MAX];         /* "": not kept */
};

static const char *const history_files[CMDLINE_KINDS] = { "history", "filter-history" };

static struct {
	bool ready, active, ended, cancelling, dirty;
	enum cmdline_kind kind;
	const struct cmdline_ops *ops;
	void *ctx;
	char label[16];
	unsigned char feed[16];      /* the bytes of the key readline reads */
	size_t feed_len, feed_pos;
	char *result;                /* what the line handler got */
	char *last;                  /* the line at the last changed callback */
	char hint[512];
	struct cmdline_matches matches;
	size_t match_next;
	struct history hist[CMDLINE_KINDS];
	FILE *null;
} cl;

/* ------------------------------------------------------------ readline's I/O */

static int feed_getc(FILE *f)
{
	(void)f;
	if (cl.feed_pos < cl.feed_len)
		return cl.feed[cl.feed_pos++];
	/* readline wants more than the key held: never invent input (EOF
	 * would accept a non-empty line); C-g aborts what it waits for */
	return 7;
}

static int feed_available(void)
{
	return cl.feed_pos < cl.feed_len;
}

static void redisplay(void)
{
	cl.dirty = true;
}

static void prep_term(int meta)
{
	(void)meta;
}

static void deprep_term(void)
{
}

static void line_handler(char *line)
{
	/* no new prompt after this line: the console opens the next one */
	rl_callback_handler_remove();
	cl.ended = true;
	cl.result = line;
}

/* ------------------------------------------------------------ completion */

void cmdline_match(struct cmdline_matches *m, const char *line)
{
	char *s;

	if (m->failed)
		return;
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 32;
		char **v = realloc(m->v, cap * sizeof(*v));

		if (!v) {
			m->failed = true;
			return;
		}
		m->v = v;
		m->cap = cap;
	}
	if (!(s = strdup(line))) {
		m->failed = true;
		return;
	}
	m->v[m->n++] = s;
}

static void matches_clear(struct cmdline_matches *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->v[i]);
	m->n = 0;
	m->failed = false;
}

static char *next_match(const char *text, int state)
{
	(void)text;
	if (state == 0)
		cl.match_next = 0;
	if (cl.match_next < cl.matches.n)
		return strdup(cl.matches.v[cl.match_next++]);
	return NULL;
}

static char *no_word_breaks(void)
{
	/* the whole line is the word: candidates are whole lines, so a
	 * campaign name with spaces completes as one */
	static char none[] = "";

	return none;
}

static char **attempt_completion(const char *text, int start, int end)
{
	char **r;

	(void)start;
	(void)end;
	rl_attempted_completion_over = 1;
	if (!cl.ops || !cl.ops->complete)
		return NULL;
	matches_clear(&cl.matches);
	cl.ops->complete(cl.ctx, text, &cl.matches);
	r = rl_completion_matches(text, next_match);
	/* a space after a command name, none after a name or a path */
	rl_completion_suppress_append = !(cl.matches.n == 1 && !strchr(cl.matches.v[0], ' '));
	rl_filename_completion_desired = 0;
	return r;
}

/* Tab twice: the candidates in the hint line, without the command name
 * they share. */
static void show_matches(char **m, int n, int max)
{
	size_t len;

	(void)max;
	len = (size_t)snprintf(cl.hint, sizeof(cl.hint), "%d matches:", n);
	for (int i = 1; i <= n && len < sizeof(cl.hint); i++) {
		const char *s = m[i], *sp = strchr(s, ' ');

		if (sp)
			s = sp + strspn(sp, " ");
		len += (size_t)snprintf(cl.hint + len, sizeof(cl.hint) - len, "  %s", s);
	}
	cl.dirty = true;
}

/* ------------------------------------------------------------ histories */

static void history_use(enum cmdline_kind kind)
{
	history_set_history_state(&cl.hist[kind].st);
	stifle_history(CMDLINE_HISTORY_MAX);
}

static void history_keep(enum cmdline_kind kind)
{
	HISTORY_STATE *s = history_get_history_state();

	if (s) {
		cl.hist[kind].st = *s;
		free(s);
	}
}

static void history_add(const char *line)
{
	HIST_ENTRY *last = history_length > 0 ? history_get(history_base + history_length - 1) : NULL;

	/* the file holds one line an entry */
	if (!*line || strpbrk(line, "\r\n") || (last && strcmp(last->line, line) == 0))
		return;
	add_history(line);
	cl.hist[cl.kind].added++;
}

void cmdline_init(const char *state_dir)
{
	rl_readline_name = "ccon";
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_change_environment = 0;
	rl_prep_term_function = prep_term;
	rl_deprep_term_function = deprep_term;
	rl_getc_function = feed_getc;
	rl_input_available_hook = feed_available;
	rl_redisplay_function = redisplay;
	rl_attempted_completion_function = attempt_completion;
	rl_completion_display_matches_hook = show_matches;
	rl_completion_word_break_hook = no_word_breaks;
	cl.null = fopen("/dev/null", "w");
	if (cl.null)
		rl_outstream = cl.null;
	rl_initialize();
	rl_variable_bind("bell-style", "none");
	rl_variable_bind("enable-bracketed-paste", "off");
	rl_variable_bind("completion-ignore-case", "on");
	/* an edited line of the history is put back when the line ends */
	rl_variable_bind("revert-all-at-newline", "on");
	rl_bind_keyseq_if_unbound("\033[3~", rl_delete);
	for (int k = 0; k < CMDLINE_KINDS; k++) {
		struct history *h = &cl.hist[k];

		memset(&h->st, 0, sizeof(h->st));
		history_use((enum cmdline_kind)k);
		if (state_dir && (size_t)snprintf(h->path, sizeof(h->path), "%s/%s", state_dir,
		                                  history_files[k]) < sizeof(h->path))
			read_history(h->path);
		else
			h->path[0] = '\0';
		history_keep((enum cmdline_kind)k);
	}
	cl.ready = true;
}

int cmdline_save(struct ccon_error *err)
{
	int rc = 0;

	for (int k = 0; cl.ready && k < CMDLINE_KINDS; k++) {
		struct history *h = &cl.hist[k];
		int e;

		if (!h->path[0] || h->added == 0)
			continue;
		history_use((enum cmdline_kind)k);
		/* appended, so that two consoles keep the lines of both */
		e = append_history(h->added < history_length ? h->added : history_length, h->path);
		if (e == ENOENT)
			e = write_history(h->path);
		if (e == 0)
			e = history_truncate_file(h->path, CMDLINE_HISTORY_MAX);
		if (e && rc == 0)
			rc = ccon_error_set(err, CCON_E_IO, "%s: %s", h->path, strerror(e));
		h->added = 0;
		history_keep((enum cmdline_kind)k);
	}
	return rc;
}

void cmdline_free(void)
{
	if (!cl.ready)
		return;
	if (cl.active)
		rl_callback_handler_remove();
	cl.active = false;
	for (int k = 0; k < CMDLINE_KINDS; k++) {
		history_use((enum cmdline_kind)k);
		clear_history();
		free(cl.hist[k].st.entries);
		memset(&cl.hist[k].st, 0, sizeof(cl.hist[k].st));
	}
	history_set_history_state(&cl.hist[0].st);
	matches_clear(&cl.matches);
	free(cl.matches.v);
	free(cl.last);
	free(cl.result);
	if (cl.null) {
		rl_outstream = stdout;
		fclose(cl.null);
	}
	memset(&cl, 0, sizeof(cl));
}

/* ------------------------------------------------------------ the line */

void cmdline_open(enum cmdline_kind kind, const char *label, const char *text,
                  const struct cmdline_ops *ops, void *ctx)
{
	if (!cl.ready || cl.active)
		return;
	history_use(kind);
	cl.kind = kind;
	cl.ops = ops;
	cl.ctx = ctx;
	cl.active = true;
	cl.ended = false;
	cl.cancelling = false;
	cl.hint[0] = '\0';
	snprintf(cl.label, sizeof(cl.label), "%s", label);
	rl_callback_handler_install(cl.label, line_handler);
	if (text && *text)
		rl_insert_text(text);
	free(cl.last);
	cl.last = strdup(rl_line_buffer);
	cl.dirty = true;
}

bool cmdline_active(void)
{
	return cl.active;
}

static size_t put_utf8(unsigned char *b, uint32_t cp)
{
	return ccon_utf8_encode(cp, (char *)b);
}

/* The bytes a terminal sends for key, as readline's default bindings know
 * them (the arrows, Home, End and Delete as xterm sends them); 0: none. */
static size_t key_bytes(struct ccon_key key, unsigned char *b)
{
	static const struct {
		uint32_t code;
		const char *seq;
	} named[] = {
		{ CCON_KEY_ENTER, "\r" }, { CCON_KEY_TAB, "\t" }, { CCON_KEY_BACKSPACE, "\177" },
		{ CCON_KEY_UP, "\033[A" }, { CCON_KEY_DOWN, "\033[B" }, { CCON_KEY_RIGHT, "\033[C" },
		{ CCON_KEY_LEFT, "\033[D" }, { CCON_KEY_HOME, "\033[H" }, { CCON_KEY_END, "\033[F" },
		{ CCON_KEY_DEL, "\033[3~" },
	};
	size_t n = 0;

	if (key.mods & CCON_MOD_META)
		b[n++] = 033;
	if (key.mods & CCON_MOD_CTRL) {
		uint32_t c = key.code;

		if (c >= 'a' && c <= 'z')
			c -= 'a' - 'A';
		if (c < '@' || c > '_')
			return 0;
		b[n++] = (unsigned char)(c - '@');
		return n;
	}
	if (key.mods & CCON_MOD_SHIFT)
		return 0;
	if (key.code < CCON_KEY_NAMED)
		return key.code >= 0x20 && key.code != 0x7f ? n + put_utf8(b + n, key.code) : 0;
	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		if (named[i].code == key.code) {
			memcpy(b + n, named[i].seq, strlen(named[i].seq));
			return n + strlen(named[i].seq);
		}
	return 0;
}

/* Reads the bytes in feed while the line is open. */
static void feed_readline(void)
{
	while (cl.feed_pos < cl.feed_len && !cl.ended)
		rl_callback_read_char();
	cl.feed_len = cl.feed_pos = 0;
}

/* Ends the line as Enter would (so readline puts back edited history
 * lines and leaves any search), keeping nothing. */
static void cancel(void)
{
	cl.cancelling = true;
	rl_callback_sigcleanup();
	/* twice: a first Enter may be taken by a quoted insert */
	for (int i = 0; i < 2 && !cl.ended; i++) {
		cl.feed[0] = '\r';
		cl.feed_len = 1;
		cl.feed_pos = 0;
		feed_readline();
	}
	if (!cl.ended) {
		rl_callback_handler_remove();
		cl.ended = true;
	}
}

static void finish(void)
{
	const struct cmdline_ops *ops = cl.ops;
	void *ctx = cl.ctx;
	char *line = cl.result;

	cl.result = NULL;
	if (cl.cancelling) {
		free(line);
		line = NULL;
	}
	if (line)
		history_add(line);
	history_keep(cl.kind);
	cl.active = cl.ended = cl.cancelling = false;
	cl.ops = NULL;
	cl.ctx = NULL;
	free(cl.last);
	cl.last = NULL;
	cl.dirty = true;
	if (ops && ops->done)
		ops->done(ctx, line);
	free(line);
}

static void tell_changed(void)
{
	if (!cl.ops || !cl.ops->changed || (cl.last && strcmp(cl.last, rl_line_buffer) == 0))
		return;
	free(cl.last);
	cl.last = strdup(rl_line_buffer);
	cl.ops->changed(cl.ctx, rl_line_buffer);
}

void cmdline_key(struct ccon_key key)
{
	if (!cl.active)
		return;
	if (cl.hint[0]) {
		cl.hint[0] = '\0';
		cl.dirty = true;
	}
	if (key_is(key, CCON_KEY_ESC) || (key.code == 'g' && key.mods == CCON_MOD_CTRL)) {
		cancel();
	} else {
		cl.feed_len = key_bytes(key, cl.feed);
		cl.feed_pos = 0;
		feed_readline();
	}
	if (cl.ended)
		finish();
	else
		tell_changed();
}

bool cmdline_changed(void)
{
	bool d = cl.dirty;

	cl.dirty = false;
	return d;
}

const char *cmdline_hint(void)
{
	return cl.active ? cl.hint : "";
}

/* The width of s[0..len) on screen. */
static int width_of(const char *s, size_t len)
{
	size_t w = ccon_text_width(s, len);

	return w > INT_MAX / 2 ? INT_MAX / 2 : (int)w;
}

void cmdline_draw(WINDOW *w, int y, int width)
{
	const char *prompt = rl_display_prompt ? rl_display_prompt : cl.label;
	const char *text = rl_line_buffer ? rl_line_buffer : "";
	size_t point = rl_point > 0 ? (size_t)rl_point : 0, start = 0, clen;
	char cur[8] = " ";
	int x, room;

	if (!cl.active) {
		draw_fill(w, y, 0, width, A_NORMAL);
		return;
	}
	if (point > strlen(text))
		point = strlen(text);
	x = draw_width(prompt);
	if (x > width / 2)
		x = width / 2;
	draw_text(w, y, 0, width, prompt, A_BOLD, DRAW_LEFT);
	room = width - x - 2;
	if (room < 1)
		return;
	/* the cursor stays in sight: the start of a long line scrolls away */
	while (start < point && width_of(text + start, point - start) > room) {
		start++;
		while (start < point && ((unsigned char)text[start] & 0xc0) == 0x80)
			start++;
	}
	draw_text(w, y, x, width - x, text + start, A_NORMAL, DRAW_LEFT);
	clen = 0;
	if (text[point]) {
		clen = 1;
		while (text[point + clen] && ((unsigned char)text[point + clen] & 0xc0) == 0x80)
			clen++;
		if (clen < sizeof(cur)) {
			memcpy(cur, text + point, clen);
			cur[clen] = '\0';
		}
	}
	x += width_of(text + start, point - start);
	if (x < width)
		draw_text(w, y, x, clen ? width_of(cur, strlen(cur)) : 1, cur, A_REVERSE, DRAW_LEFT);
}

/* ------------------------------------------------------------ the commands */

enum arg_kind { ARG_NONE, ARG_CAMPAIGN, ARG_COLUMN, ARG_FILE };

struct command {
	struct cmdline_command pub;
	enum arg_kind arg;
	void (*run)(struct app *app, const char *args);
};

static void cmd_quit(struct app *app, const char *args)
{
	(void)args;
	app->quit = true;
}

static void cmd_help(struct app *app, const char *args)
{
	(void)args;
	app->help = true;
	app->help_top = 0;
	app->dirty |= APP_DIRTY_HELP;
}

static void cmd_refresh(struct app *app, const char *args)
{
	(void)args;
	ccon_model_refresh(app->model);
	app_message(app, "refreshing");
}

static void cmd_open(struct app *app, const char *args);
static void cmd_send(struct app *app, const char *args);

/* sort, filter: the Campaigns pane; export: the Report pane; cancel: the
 * campaign list, the report and the wizard's result */
static const struct command commands[] = {
	{ { "quit", "q", NULL, "Quit the console", NULL }, ARG_NONE, cmd_quit },
	{ { "help", NULL, NULL, "Show the keys and the commands", NULL }, ARG_NONE, cmd_help },
	{ { "refresh", NULL, NULL, "Poll the server now", NULL }, ARG_NONE, cmd_refresh },
	{ { "open", NULL, "NAME-OR-ID|FILE", "Open a campaign's report, or a CSV file's preview", NULL },
	  ARG_CAMPAIGN, cmd_open },
	{ { "send", NULL, "[NAME-OR-ID]", "Compose a send (the send wizard)", NULL }, ARG_CAMPAIGN,
	  cmd_send },
	{ { "sort", NULL, "COLUMN [asc|desc]", "Sort the campaign list", "Campaigns" },
	  ARG_COLUMN, NULL },
	{ { "filter", NULL, "[TEXT]", "Filter the campaign list (no text: clear)", "Campaigns" },
	  ARG_NONE, NULL },
	{ { "export", NULL, "FILE", "Export the report (FILE.csv or FILE.json)", "Report" },
	  ARG_FILE, NULL },
	{ { "save-layout", NULL, "FILE", "Save the layout mapping as JSON", "CSV preview" }, ARG_FILE,
	  NULL },
	{ { "load-layout", NULL, "FILE", "Load a layout JSON into the mapping", "CSV preview" },
	  ARG_FILE, NULL },
	{ { "delimiter", NULL, ", | ; | tab | detect", "Read the file with another delimiter",
	    "CSV preview" }, ARG_NONE, NULL },
	{ { "header", NULL, "yes | no | detect", "Whether the first row is a header", "CSV preview" },
	  ARG_NONE, NULL },
	{ { "cancel", NULL, NULL, "Cancel the scheduled campaign (asks first)", NULL }, ARG_NONE,
	  NULL },
};
#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static const char *const sort_words[] = {
	"name", "channel", "status", "send-date", "audience", "received", "read", "failed",
	"failure-rate", "created",
};
static const char *const dir_words[] = { "asc", "desc" };

const struct cmdline_command *cmdline_commands(size_t *n)
{
	static struct cmdline_command pub[N_COMMANDS];

	for (size_t i = 0; i < N_COMMANDS; i++)
		pub[i] = commands[i].pub;
	*n = N_COMMANDS;
	return pub;
}

static const struct command *command_find(const char *name, size_t len)
{
	for (size_t i = 0; i < N_COMMANDS; i++) {
		const struct cmdline_command *c = &commands[i].pub;

		if ((strlen(c->name) == len && strncasecmp(c->name, name, len) == 0) ||
		    (c->alias && strlen(c->alias) == len && strncasecmp(c->alias, name, len) == 0))
			return &commands[i];
	}
	return NULL;
}

/* Calls fn on every campaign of the list, the filter's hidden ones too;
 * stops when fn returns false. */
static void each_campaign(struct ccon_model *m,
                          bool (*fn)(void *ctx, const struct ccon_campaign_summary *s), void *ctx)
{
	const char *f = ccon_model_filter_get(m);
	char *saved = f && *f ? strdup(f) : NULL;

	if (saved)
		ccon_model_filter(m, NULL);
	for (size_t i = 0; i < ccon_model_rows(m); i++) {
		const struct ccon_campaign_summary *s = ccon_model_row(m, i);

		if (s && !fn(ctx, s))
			break;
	}
	if (saved) {
		ccon_model_filter(m, saved);
		free(saved);
	}
}

struct campaign_completion {
	const char *prefix;          /* "open " */
	size_t prefix_len;
	const char *arg;
	struct cmdline_matches *out;
	char buf[1024];
};

static bool complete_campaign(void *ctx, const struct ccon_campaign_summary *s)
{
	struct campaign_completion *cc = ctx;
	size_t n = strlen(cc->arg);
	const char *name = s->name && *s->name ? s->name : s->id;

	if (name && strncasecmp(name, cc->arg, n) == 0) {
		snprintf(cc->buf, sizeof(cc->buf), "%.*s%s", (int)cc->prefix_len, cc->prefix, name);
		cmdline_match(cc->out, cc->buf);
	} else if (n && s->id && strncmp(s->id, cc->arg, n) == 0) {
		snprintf(cc->buf, sizeof(cc->buf), "%.*s%s", (int)cc->prefix_len, cc->prefix, s->id);
		cmdline_match(cc->out, cc->buf);
	}
	return !cc->out->failed;
}

static void complete_words(const char *prefix, size_t prefix_len, const char *arg,
                           const char *const *words, size_t n, struct cmdline_matches *out)
{
	char buf[256];

	for (size_t i = 0; i < n; i++)
		if (strncasecmp(words[i], arg, strlen(arg)) == 0) {
			snprintf(buf, sizeof(buf), "%.*s%s", (int)prefix_len, prefix, words[i]);
			cmdline_match(out, buf);
		}
}

static void complete_file(const char *prefix, size_t prefix_len, const char *arg,
                          struct cmdline_matches *out)
{
	char buf[PATH_MAX + 64];
	char *f;

	for (int state = 0; (f = rl_filename_completion_function(arg, state)); state++) {
		struct stat st;
		char *path = tilde_expand(f);

		snprintf(buf, sizeof(buf), "%.*s%s%s", (int)prefix_len, prefix, f,
		         path && stat(path, &st) == 0 && S_ISDIR(st.st_mode) ? "/" : "");
		cmdline_match(out, buf);
		free(path);
		free(f);
	}
}

static void complete_command(void *ctx, const char *line, struct cmdline_matches *out)
{
	struct app *app = ctx;
	size_t name_len = strcspn(line, " ");
	const struct command *c;
	const char *arg;

	if (!line[name_len]) {
		for (size_t i = 0; i < N_COMMANDS; i++)
			if (strncasecmp(commands[i].pub.name, line, name_len) == 0)
				cmdline_match(out, commands[i].pub.name);
		return;
	}
	if (!(c = command_find(line, name_len)))
		return;
	arg = line + name_len + strspn(line + name_len, " ");
	switch (c->arg) {
	case ARG_CAMPAIGN: {
		struct campaign_completion cc = { line, (size_t)(arg - line), arg, out, "" };

		each_campaign(app->model, complete_campaign, &cc);
		if (strcmp(c->pub.name, "open") == 0 && strpbrk(arg, "/.~"))
			complete_file(line, (size_t)(arg - line), arg, out);
		break;
	}
	case ARG_COLUMN: {
		const char *sp = strrchr(arg, ' ');

		if (!sp)
			complete_words(line, (size_t)(arg - line), arg, sort_words,
			               sizeof(sort_words) / sizeof(sort_words[0]), out);
		else
			complete_words(line, (size_t)(sp + 1 - line), sp + 1, dir_words, 2, out);
		break;
	}
	case ARG_FILE:
		complete_file(line, (size_t)(arg - line), arg, out);
		break;
	case ARG_NONE:
		break;
	}
}

/* ------------------------------------------------------------ :open */

struct campaign_search {
	const char *arg;
	char id[256];                /* the one found */
	int exact, prefix;           /* names equal to arg; names arg begins */
	char prefix_id[256];
	bool by_id;
};

static bool search_campaign(void *ctx, const struct ccon_campaign_summary *s)
{
	struct campaign_search *cs = ctx;

	if (!s->id)
		return true;
	if (strcmp(s->id, cs->arg) == 0) {
		snprintf(cs->id, sizeof(cs->id), "%s", s->id);
		cs->by_id = true;
		return false;
	}
	if (!s->name)
		return true;
	if (strcasecmp(s->name, cs->arg) == 0 && cs->exact++ == 0)
		snprintf(cs->id, sizeof(cs->id), "%s", s->id);
	else if (strncasecmp(s->name, cs->arg, strlen(cs->arg)) == 0 && cs->prefix++ == 0)
		snprintf(cs->prefix_id, sizeof(cs->prefix_id), "%s", s->id);
	return true;
}

/* The id of the campaign args names (an id, a whole name, or the start
 * of one name), or false with the reason shown. */
static bool find_campaign(struct app *app, const char *args, char *id, size_t size)
{
	struct campaign_search cs;

	memset(&cs, 0, sizeof(cs));
	cs.arg = args;
	each_campaign(app->model, search_campaign, &cs);
	if (cs.by_id || cs.exact == 1) {
		snprintf(id, size, "%s", cs.id);
	} else if (cs.exact > 1) {
		app_error(app, "%d campaigns are called '%s': name one by its id", cs.exact, args);
		return false;
	} else if (cs.prefix == 1) {
		snprintf(id, size, "%s", cs.prefix_id);
	} else if (cs.prefix > 1) {
		app_error(app, "%d campaigns begin with '%s': Tab lists them", cs.prefix, args);
		return false;
	} else {
		app_error(app, "no campaign '%s'", args);
		return false;
	}
	return true;
}

void cmdline_path(const char *args, char *buf, size_t size)
{
	const char *home = getenv("HOME");
	size_t n;

	while (*args == ' ' || *args == '\t')
		args++;
	if (args[0] == '~' && args[1] == '/' && home && *home)
		snprintf(buf, size, "%s%s", home, args + 1);
	else
		snprintf(buf, size, "%s", args);
	n = strlen(buf);
	while (n && (buf[n - 1] == ' ' || buf[n - 1] == '\t'))
		buf[--n] = '\0';
}

/* :open takes a file when args names one that exists, or looks like a
 * path to a CSV file; anything else is a campaign. */
static bool names_file(const char *args)
{
	struct stat st;
	size_t n = strlen(args);

	if (stat(args, &st) == 0)
		return S_ISREG(st.st_mode) || S_ISFIFO(st.st_mode);
	return strchr(args, '/') || (n > 4 && (strcasecmp(args + n - 4, ".csv") == 0 ||
	                                       strcasecmp(args + n - 4, ".tsv") == 0));
}

static void cmd_open(struct app *app, const char *args)
{
	char id[256], path[4096];
	long row;

	if (!*args) {
		app_error(app, "usage: :open NAME-OR-ID or :open FILE.csv (Tab completes)");
		return;
	}
	cmdline_path(args, path, sizeof(path));
	if (names_file(path)) {
		struct pane *p = pane_csv_open(app, path, NULL, NULL, NULL, NULL);

		if (p)
			app_push(app, p);
		return;
	}
	if (!find_campaign(app, args, id, sizeof(id)))
		return;
	while (app->n_panes > 1)
		app_pop(app);
	if ((row = ccon_model_find(app->model, id)) >= 0)
		ccon_model_select(app->model, row);
	app_push(app, pane_report_open(app, id));
}

static void cmd_send(struct app *app, const char *args)
{
	char id[256];
	struct pane *p;

	if (*args && !find_campaign(app, args, id, sizeof(id)))
		return;
	if ((p = pane_wizard_open(app, *args ? id : NULL, NULL, NULL)))
		app_push(app, p);
}

/* ------------------------------------------------------------ running */

void cmdline_run(struct app *app, const char *line)
{
	char name[32], args[1024], msg[256];
	const struct command *c;
	size_t len, n;

	line += strspn(line, " :");
	len = strcspn(line, " ");
	if (len == 0)
		return;
	c = command_find(line, len);
	snprintf(name, sizeof(name), "%.*s", (int)len, line);
	if (c)
		snprintf(name, sizeof(name), "%s", c->pub.name);
	line += len;
	line += strspn(line, " ");
	n = strlen(line);
	while (n && line[n - 1] == ' ')
		n--;
	if (n >= sizeof(args)) {
		app_error(app, ":%s: the line is too long", name);
		return;
	}
	memcpy(args, line, n);
	args[n] = '\0';
	/* the pane on top first, then those below it */
	for (size_t i = app->n_panes; i-- > 0;) {
		struct pane *p = app->panes[i];

		msg[0] = '\0';
		if (p->ops->command && p->ops->command(p, name, args, msg, sizeof(msg))) {
			if (msg[0])
				app_message(app, "%s", msg);
			return;
		}
	}
	if (c && c->run)
		c->run(app, args);
	else if (c)
		app_error(app, ":%s works in the %s pane", name, c->pub.pane);
	else
		app_error(app, "unknown command ':%s' (:help lists the commands)", name);
}

static void command_done(void *ctx, const char *text)
{
	struct app *app = ctx;

	app->dirty |= APP_DIRTY_PROMPT;
	if (text)
		cmdline_run(app, text);
}

void cmdline_command_open(struct app *app)
{
	static const struct cmdline_ops ops = {
		.changed = NULL,
		.done = command_done,
		.complete = complete_command,
	};

	cmdline_open(CMDLINE_COMMAND, ":", "", &ops, app);
	app->dirty |= APP_DIRTY_PROMPT;
}
