/* libFuzzer target: the console's own files and settings - the
 * configuration file (settings.h), the theme file and colours (theme.h) and
 * key specs (keyspec.h).
 *
 * Byte 0 picks the mode (modulo 4), the rest is the text.
 *   0 configuration file: on success every poll period is within 100 ms ..
 *     1 h, every profile has a url and a distinct name, and the settings
 *     written back as a file (by this target) parse to the same settings;
 *     on failure the code is config_syntax, the line and column are inside
 *     the text, and the message repeats no token value of the text.
 *   1 theme file: on success every attribute is a known one, and the theme
 *     written back as a file parses to the same theme; on failure the code
 *     is theme_syntax with a line and column inside the text.
 *   2 one colour: on success "colorN"/"#rrggbb"/"default" of it parses back
 *     to it, and ccon_color_fit gives an index below the colours asked for
 *     (or DEFAULT, or RGB at 24 bits); on failure a column inside the text.
 *   3 key spec: on success the formatted spec parses back to the same key
 *     (the formatter's length as snprintf); on failure keyspec with a
 *     column inside the text.
 */
#include "config.h"

#include <ccon/keyspec.h>
#include <ccon/settings.h>
#include <ccon/strbuf.h>
#include <ccon/theme.h>
#include <ccon/utf8.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const char *text)
{
	fprintf(stderr, "%s\n  input: %s\n", what, text);
	abort();
}

/* Lines of the text as the parsers count them (a last line without a
 * newline counts; one past the end is allowed for end-of-file errors). */
static long count_lines(const char *s, size_t len)
{
	long n = 1;

	for (size_t i = 0; i < len; i++)
		if (s[i] == '\n')
			n++;
	return n;
}

static void check_position(const struct ccon_error *err, const char *s, size_t len)
{
	if (err->line < 1 || err->line > count_lines(s, len) || err->column < 1 ||
	    err->column > (long)len + 1)
		fail("error position outside the text", err->message);
}

/* -------------------------------------------------------------- settings */

static bool str_eq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static void put(struct ccon_strbuf *sb, const char *key, const char *value)
{
	if (value)
		ccon_strbuf_printf(sb, "%s = %s\n", key, value);
}

static void settings_write(const struct ccon_settings *s, struct ccon_strbuf *sb)
{
	char spec[64];

	ccon_strbuf_printf(sb, "poll_campaigns = %ldms\npoll_report = %ldms\n",
	                   s->poll_campaigns_ms, s->poll_report_ms);
	put(sb, "theme", s->theme);
	put(sb, "mouse", s->mouse ? "on" : "off");
	put(sb, "profile", s->profile);
	for (size_t i = 0; i < s->n_profiles; i++) {
		const struct ccon_profile *p = &s->profiles[i];

		ccon_strbuf_printf(sb, "[profile %s]\n", p->name);
		put(sb, "url", p->url);
		put(sb, "app", p->app);
		put(sb, "token", p->token);
		put(sb, "token_env", p->token_env);
		put(sb, "token_command", p->token_command);
		put(sb, "ca_file", p->ca_file);
	}
	if (s->n_bindings)
		ccon_strbuf_puts(sb, "[keys]\n");
	for (size_t i = 0; i < s->n_bindings; i++) {
		ccon_keyspec_format(s->bindings[i].key, spec, sizeof(spec));
		ccon_strbuf_printf(sb, "bind %s %s\n", spec, s->bindings[i].action);
	}
}

static bool settings_same(const struct ccon_settings *a, const struct ccon_settings *b)
{
	if (a->poll_campaigns_ms != b->poll_campaigns_ms || a->poll_report_ms != b->poll_report_ms ||
	    !str_eq(a->theme, b->theme) || a->mouse != b->mouse || !str_eq(a->profile, b->profile) ||
	    a->n_profiles != b->n_profiles || a->n_bindings != b->n_bindings)
		return false;
	for (size_t i = 0; i < a->n_profiles; i++) {
		const struct ccon_profile *p = &a->profiles[i], *q = &b->profiles[i];

		if (!str_eq(p->name, q->name) || !str_eq(p->url, q->url) || !str_eq(p->app, q->app) ||
		    !str_eq(p->token, q->token) || !str_eq(p->token_env, q->token_env) ||
		    !str_eq(p->token_command, q->token_command) || !str_eq(p->ca_file, q->ca_file))
			return false;
	}
	for (size_t i = 0; i < a->n_bindings; i++)
		if (!ccon_key_eq(a->bindings[i].key, b->bindings[i].key) ||
		    !str_eq(a->bindings[i].action, b->bindings[i].action))
			return false;
	return true;
}

/* No message may repeat the value of a token line (it is a secret). Only
 * values holding "s3cr3t" (as the corpus' do) are looked for: a short or
 * common value could be a word of a message by chance. */
static void check_no_token(const char *msg, const char *s, size_t len)
{
	const char *p = s, *end = s + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *e = nl ? nl : end;
		const char *v;
		char tok[256];
		size_t n;

		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		if (e - p > 5 && memcmp(p, "token", 5) == 0 && (v = memchr(p, '=', (size_t)(e - p)))) {
			for (v++; v < e && (*v == ' ' || *v == '\t'); v++)
				;
			n = (size_t)(e - v);
			while (n && (v[n - 1] == ' ' || v[n - 1] == '\t' || v[n - 1] == '\r'))
				n--;
			if (n < sizeof(tok) && !memchr(v, '\0', n)) {
				memcpy(tok, v, n);
				tok[n] = '\0';
				if (strstr(tok, "s3cr3t") && strstr(msg, tok))
					fail("an error message repeats a token", msg);
			}
		}
		p = nl ? nl + 1 : end;
	}
}

static void fuzz_settings(const char *s, size_t len)
{
	struct ccon_settings a, b;
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	struct ccon_error err = { 0 };

	if (ccon_settings_parse(s, len, &a, &err) < 0) {
		if (err.code == CCON_E_NOMEM)
			return;
		if (err.code != CCON_E_CONFIG_SYNTAX)
			fail("settings: an error that is not config_syntax", err.message);
		check_position(&err, s, len);
		check_no_token(err.message, s, len);
		return;
	}
	if (a.poll_campaigns_ms < 100 || a.poll_campaigns_ms > 3600000 || a.poll_report_ms < 100 ||
	    a.poll_report_ms > 3600000)
		fail("settings: a poll period out of range", s);
	for (size_t i = 0; i < a.n_profiles; i++) {
		if (!a.profiles[i].url || !a.profiles[i].name)
			fail("settings: a profile without url or name", s);
		for (size_t j = 0; j < i; j++)
			if (strcmp(a.profiles[i].name, a.profiles[j].name) == 0)
				fail("settings: two profiles of one name", s);
	}
	settings_write(&a, &sb);
	if (ccon_settings_parse(ccon_strbuf_cstr(&sb), sb.len, &b, &err) < 0) {
		fprintf(stderr, "written back:\n%s\nerror %ld:%ld %s\n", ccon_strbuf_cstr(&sb), err.line,
		        err.column, err.message);
		fail("settings: the written settings do not parse", s);
	}
	if (!settings_same(&a, &b)) {
		fprintf(stderr, "written back:\n%s\n", ccon_strbuf_cstr(&sb));
		fail("settings: the written settings parse to others", s);
	}
	ccon_settings_free(&a);
	ccon_settings_free(&b);
	ccon_strbuf_free(&sb);
}

/* ----------------------------------------------------------------- theme */

static void color_write(struct ccon_color c, char *buf, size_t size)
{
	switch (c.kind) {
	case CCON_COLOR_DEFAULT:
		snprintf(buf, size, "default");
		break;
	case CCON_COLOR_INDEX:
		snprintf(buf, size, "color%u", (unsigned)c.index);
		break;
	case CCON_COLOR_RGB:
		snprintf(buf, size, "#%02x%02x%02x", c.r, c.g, c.b);
		break;
	default:
		abort();
	}
}

static void theme_write(const struct ccon_theme *t, struct ccon_strbuf *sb)
{
	static const char *const attrs[] = { "bold", "underline", "reverse", "dim", "italic",
		                             "blink" };
	char fg[16], bg[16];

	for (int a = 0; a < CCON_AREA__COUNT; a++) {
		color_write(t->area[a].fg, fg, sizeof(fg));
		color_write(t->area[a].bg, bg, sizeof(bg));
		ccon_strbuf_printf(sb, "color %s %s %s", ccon_theme_area_name(a), fg, bg);
		for (unsigned i = 0; i < 6; i++)
			if (t->area[a].attrs & (1u << i))
				ccon_strbuf_printf(sb, " %s", attrs[i]);
		ccon_strbuf_puts(sb, "\n");
	}
}

static bool theme_same(const struct ccon_theme *a, const struct ccon_theme *b)
{
	for (int i = 0; i < CCON_AREA__COUNT; i++)
		if (!ccon_color_eq(a->area[i].fg, b->area[i].fg) ||
		    !ccon_color_eq(a->area[i].bg, b->area[i].bg) || a->area[i].attrs != b->area[i].attrs)
			return false;
	return true;
}

static void fuzz_theme(const char *s, size_t len)
{
	struct ccon_theme a, b;
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	struct ccon_error err = { 0 };

	if (ccon_theme_parse(s, len, &a, &err) < 0) {
		if (err.code != CCON_E_THEME_SYNTAX)
			fail("theme: an error that is not theme_syntax", err.message);
		check_position(&err, s, len);
		return;
	}
	for (int i = 0; i < CCON_AREA__COUNT; i++)
		if (a.area[i].attrs & ~0x3fu)
			fail("theme: an unknown attribute bit", s);
	theme_write(&a, &sb);
	if (ccon_theme_parse(ccon_strbuf_cstr(&sb), sb.len, &b, &err) < 0 || !theme_same(&a, &b)) {
		fprintf(stderr, "written back:\n%s\n", ccon_strbuf_cstr(&sb));
		fail("theme: the written theme differs", s);
	}
	ccon_strbuf_free(&sb);
}

/* ---------------------------------------------------------------- colour */

static void fuzz_color(const char *s, size_t len)
{
	static const long depths[] = { 0, 2, 8, 16, 88, 256, 16777216 };
	struct ccon_color c, back, fit;
	struct ccon_error err = { 0 };
	char text[16];

	if (ccon_color_parse(s, len, &c, &err) < 0) {
		if (err.code != CCON_E_THEME_SYNTAX || err.column < 1 || err.column > (long)len + 1)
			fail("colour: a bad error", err.message);
		return;
	}
	color_write(c, text, sizeof(text));
	if (ccon_color_parse(text, strlen(text), &back, &err) < 0 || !ccon_color_eq(c, back))
		fail("colour: its text parses to another colour", text);
	for (size_t i = 0; i < sizeof(depths) / sizeof(depths[0]); i++) {
		fit = ccon_color_fit(c, depths[i]);
		if (fit.kind == CCON_COLOR_DEFAULT)
			continue;
		if (depths[i] < 8 || (fit.kind == CCON_COLOR_RGB && depths[i] < 16777216) ||
		    (fit.kind == CCON_COLOR_INDEX && fit.index >= depths[i]) ||
		    (c.kind == CCON_COLOR_DEFAULT))
			fail("colour: a fit the terminal cannot show", text);
	}
}

/* --------------------------------------------------------------- key spec */

static void fuzz_keyspec(const char *s, size_t len)
{
	struct ccon_key k, back;
	struct ccon_error err = { 0 };
	char buf[64], small[4];
	size_t n;

	if (ccon_keyspec_parse(s, len, &k, &err) < 0) {
		if (err.code != CCON_E_KEYSPEC || err.column < 1 ||
		    err.column > (long)ccon_utf8_length(s, len) + 1)
			fail("keyspec: a bad error", err.message);
		return;
	}
	n = ccon_keyspec_format(k, buf, sizeof(buf));
	if (n == 0 || n >= sizeof(buf) || strlen(buf) != n)
		fail("keyspec: a bad format length", buf);
	if (ccon_keyspec_format(k, small, sizeof(small)) != n || strlen(small) >= sizeof(small))
		fail("keyspec: a small buffer overflows or changes the length", buf);
	if (ccon_keyspec_parse(buf, n, &back, &err) < 0 || !ccon_key_eq(k, back))
		fail("keyspec: the formatted spec reads as another key", buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if (size < 1 || size > 65536)
		return 0;
	/* a NUL-terminated copy: messages and fail() print it */
	s = malloc(size);
	if (!s)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	switch (data[0] % 4) {
	case 0:
		fuzz_settings(s, size - 1);
		break;
	case 1:
		fuzz_theme(s, size - 1);
		break;
	case 2:
		fuzz_color(s, size - 1);
		break;
	default:
		fuzz_keyspec(s, size - 1);
		break;
	}
	free(s);
	return 0;
}
