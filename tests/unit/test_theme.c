#include "config.h"

#include <ccon/theme.h>

#include <sys/stat.h>
#include <unistd.h>

#include "suites.h"
#include "testutil.h"

#ifndef CCON_THEME_DIR
#define CCON_THEME_DIR CCON_TEST_DATA "/../../themes"
#endif

static struct ccon_color color_ok(const char *s)
{
	struct ccon_color c;
	struct ccon_error err = { 0 };

	ck_assert_msg(ccon_color_parse(s, strlen(s), &c, &err) == 0, "%s: %s", s, err.message);
	return c;
}

static void expect_index(const char *s, int index)
{
	struct ccon_color c = color_ok(s);

	ck_assert_msg(c.kind == CCON_COLOR_INDEX && c.index == index, "%s: kind %d index %d", s,
	              c.kind, c.index);
}

static void bad_color(const char *s, long column)
{
	struct ccon_color c;
	struct ccon_error err = { 0 };

	ck_assert_msg(ccon_color_parse(s, strlen(s), &c, &err) == -1, "%s parsed", s);
	ck_assert_errc(err, CCON_E_THEME_SYNTAX);
	ck_assert_msg(err.column == column, "%s: column %ld, want %ld (%s)", s, err.column, column,
	              err.message);
}

START_TEST(every_colour_form)
{
	struct ccon_color c;

	ck_assert_int_eq(color_ok("default").kind, CCON_COLOR_DEFAULT);
	ck_assert_int_eq(color_ok("Default").kind, CCON_COLOR_DEFAULT);
	expect_index("black", 0);
	expect_index("red", 1);
	expect_index("green", 2);
	expect_index("yellow", 3);
	expect_index("blue", 4);
	expect_index("magenta", 5);
	expect_index("cyan", 6);
	expect_index("WHITE", 7);
	expect_index("color0", 0);
	expect_index("color9", 9);
	expect_index("color244", 244);
	expect_index("color255", 255);
	expect_index("Color007", 7);
	c = color_ok("#ff8700");
	ck_assert(c.kind == CCON_COLOR_RGB && c.r == 0xff && c.g == 0x87 && c.b == 0);
	c = color_ok("#0A0b0C");
	ck_assert(c.kind == CCON_COLOR_RGB && c.r == 10 && c.g == 11 && c.b == 12);
}
END_TEST

START_TEST(bad_colours)
{
	bad_color("", 1);
	bad_color("purple", 1);
	bad_color("color", 6);
	bad_color("color256", 6);
	bad_color("color1000", 6);
	bad_color("color12x", 8);
	bad_color("color-1", 1);
	bad_color("#12345", 7);
	bad_color("#1234567", 8);
	bad_color("#12g456", 4);
	bad_color("#", 2);
}
END_TEST

static struct ccon_color idx(int i)
{
	return (struct ccon_color){ CCON_COLOR_INDEX, (uint8_t)i, 0, 0, 0 };
}

static struct ccon_color rgb(int r, int g, int b)
{
	return (struct ccon_color){ CCON_COLOR_RGB, 0, (uint8_t)r, (uint8_t)g, (uint8_t)b };
}

static void expect_fit(struct ccon_color c, long colors, int want_index)
{
	struct ccon_color f = ccon_color_fit(c, colors);

	ck_assert_msg(f.kind == CCON_COLOR_INDEX && f.index == want_index,
	              "%d/%d,%d,%d in %ld colours: kind %d index %d, want %d", c.index, c.r, c.g,
	              c.b, colors, f.kind, f.index, want_index);
}

START_TEST(fit_to_the_terminal)
{
	struct ccon_color def = { CCON_COLOR_DEFAULT, 0, 0, 0, 0 }, f;

	/* default and no colours at all */
	ck_assert_int_eq(ccon_color_fit(def, 256).kind, CCON_COLOR_DEFAULT);
	ck_assert_int_eq(ccon_color_fit(idx(1), 2).kind, CCON_COLOR_DEFAULT);
	ck_assert_int_eq(ccon_color_fit(rgb(1, 2, 3), 0).kind, CCON_COLOR_DEFAULT);
	/* 24-bit terminals take RGB as is */
	f = ccon_color_fit(rgb(1, 2, 3), 16777216);
	ck_assert(ccon_color_eq(f, rgb(1, 2, 3)));
	expect_fit(idx(200), 16777216, 200);
	/* an index the terminal has stays */
	expect_fit(idx(3), 8, 3);
	expect_fit(idx(12), 16, 12);
	expect_fit(idx(244), 256, 244);
	/* 256 colours: exact cube and grey entries, nearest otherwise */
	expect_fit(rgb(0xff, 0x87, 0x00), 256, 208);
	expect_fit(rgb(0x00, 0x5f, 0x87), 256, 24);
	expect_fit(rgb(0, 0, 0), 256, 16);
	expect_fit(rgb(255, 255, 255), 256, 231);
	expect_fit(rgb(128, 128, 128), 256, 244);
	expect_fit(rgb(0x30, 0x30, 0x30), 256, 236);
	expect_fit(rgb(0xee, 0xee, 0xee), 256, 255);
	expect_fit(rgb(0xfe, 0x01, 0x02), 256, 196);
	/* 16 and 8 colours: the nearest of xterm's base colours */
	expect_fit(rgb(255, 0, 0), 16, 9);
	expect_fit(rgb(255, 0, 0), 8, 1);
	expect_fit(rgb(10, 10, 10), 8, 0);
	expect_fit(rgb(250, 250, 250), 8, 7);
	expect_fit(rgb(250, 250, 250), 16, 15);
	expect_fit(rgb(0xff, 0x87, 0x00), 8, 3);
	expect_fit(idx(244), 16, 8);
	expect_fit(idx(244), 8, 7);
	expect_fit(idx(196), 8, 1);
	expect_fit(idx(21), 16, 4);
	expect_fit(idx(9), 8, 1);
	expect_fit(rgb(200, 200, 200), 16, 7);
	expect_fit(rgb(40, 40, 40), 16, 0);
	expect_fit(rgb(0x87, 0x87, 0x00), 8, 3);
	/* 88-colour terminals get the 16 base colours */
	expect_fit(idx(100), 88, 3);
}
END_TEST

START_TEST(palette)
{
	uint8_t r, g, b;

	ccon_color_index_rgb(1, &r, &g, &b);
	ck_assert(r == 205 && g == 0 && b == 0);
	ccon_color_index_rgb(16, &r, &g, &b);
	ck_assert(r == 0 && g == 0 && b == 0);
	ccon_color_index_rgb(208, &r, &g, &b);
	ck_assert(r == 255 && g == 135 && b == 0);
	ccon_color_index_rgb(231, &r, &g, &b);
	ck_assert(r == 255 && g == 255 && b == 255);
	ccon_color_index_rgb(232, &r, &g, &b);
	ck_assert(r == 8 && g == 8 && b == 8);
	ccon_color_index_rgb(255, &r, &g, &b);
	ck_assert(r == 238 && g == 238 && b == 238);
	/* every index of a 256-colour cube or ramp maps to itself */
	for (int i = 16; i < 256; i++) {
		ccon_color_index_rgb((uint8_t)i, &r, &g, &b);
		expect_fit(rgb(r, g, b), 256, i);
	}
}
END_TEST

/* ---- theme files */

static void parse_ok(const char *text, struct ccon_theme *t)
{
	struct ccon_error err = { 0 };

	ck_assert_msg(ccon_theme_parse(text, strlen(text), t, &err) == 0, "%s: line %ld col %ld: %s",
	              text, err.line, err.column, err.message);
}

static void bad_theme_n(const char *text, size_t len, long line, long column,
                        const char *needle)
{
	struct ccon_theme t;
	struct ccon_error err = { 0 };

	ck_assert_msg(ccon_theme_parse(text, len, &t, &err) == -1, "%s parsed", text);
	ck_assert_errc(err, CCON_E_THEME_SYNTAX);
	ck_assert_msg(err.line == line && err.column == column,
	              "%s: line %ld column %ld, want %ld %ld (%s)", text, err.line, err.column, line,
	              column, err.message);
	ck_assert_msg(strstr(err.message, needle) != NULL, "%s: \"%s\" lacks \"%s\"", text,
	              err.message, needle);
}

static void bad_theme(const char *text, long line, long column, const char *needle)
{
	bad_theme_n(text, strlen(text), line, column, needle);
}

START_TEST(lines_and_fallbacks)
{
	struct ccon_theme t;
	const struct ccon_style *s;

	parse_ok("# a theme\n\n   \t\ncolor title black cyan bold\r\n"
	         "  color   status-ok\tgreen default\n"
	         "COLOR cursor #102030 color17 reverse UNDERLINE bold dim italic blink\n"
	         "color title red default\n", &t);
	s = &t.area[CCON_AREA_TITLE];
	ck_assert(ccon_color_eq(s->fg, idx(1)) && s->bg.kind == CCON_COLOR_DEFAULT && s->attrs == 0);
	s = &t.area[CCON_AREA_CURSOR];
	ck_assert(ccon_color_eq(s->fg, rgb(0x10, 0x20, 0x30)) && ccon_color_eq(s->bg, idx(17)));
	ck_assert_uint_eq(s->attrs, CCON_ATTR_REVERSE | CCON_ATTR_UNDERLINE | CCON_ATTR_BOLD |
	                  CCON_ATTR_DIM | CCON_ATTR_ITALIC | CCON_ATTR_BLINK);
	/* fallbacks: status-bar from title, selection from cursor, done from status-ok */
	ck_assert(memcmp(&t.area[CCON_AREA_STATUS_BAR], &t.area[CCON_AREA_TITLE], sizeof(*s)) == 0);
	ck_assert(memcmp(&t.area[CCON_AREA_SELECTION], &t.area[CCON_AREA_CURSOR], sizeof(*s)) == 0);
	ck_assert(memcmp(&t.area[CCON_AREA_CAMPAIGN_DONE], &t.area[CCON_AREA_STATUS_OK],
	                 sizeof(*s)) == 0);
	ck_assert(memcmp(&t.area[CCON_AREA_BAR_READ], &t.area[CCON_AREA_STATUS_OK], sizeof(*s)) == 0);
	s = &t.area[CCON_AREA_HEADING];
	ck_assert(s->fg.kind == CCON_COLOR_DEFAULT && s->bg.kind == CCON_COLOR_DEFAULT && !s->attrs);
	ck_assert(ccon_theme_has_color(&t));
	parse_ok("", &t);
	ck_assert(!ccon_theme_has_color(&t));
	parse_ok("color normal default default bold\n", &t);
	ck_assert_uint_eq(t.area[CCON_AREA_BAR_FAILED].attrs, CCON_ATTR_BOLD);
}
END_TEST

START_TEST(bad_lines_name_line_and_column)
{
	bad_theme("colour title red blue", 1, 1, "expected color AREA");
	bad_theme("\n  color tilte red blue", 2, 9, "unknown area");
	bad_theme("color title rouge blue", 1, 13, "foreground colour: unknown colour");
	bad_theme("color title red #12x456", 1, 20, "background colour: #rrggbb");
	bad_theme("color title red color300", 1, 22, "background colour: colorN");
	bad_theme("color title red", 1, 16, "expected the background colour");
	bad_theme("color title", 1, 12, "expected the foreground colour");
	bad_theme("color", 1, 1, "expected color AREA");
	bad_theme("color   ", 1, 9, "expected an area");
	bad_theme("color title red blue bold blinking", 1, 27, "unknown attribute");
	bad_theme("color title red blue # a comment", 1, 22, "unknown attribute");
	bad_theme_n("# ok\ncolor title red\0 blue", 26, 2, 16, "NUL");
}
END_TEST

START_TEST(areas_and_statuses)
{
	for (int i = 0; i < CCON_AREA__COUNT; i++) {
		const char *name = ccon_theme_area_name((enum ccon_theme_area)i);

		ck_assert_ptr_nonnull(name);
		ck_assert_int_eq(ccon_theme_area_by_name(name, strlen(name)), i);
	}
	ck_assert_ptr_null(ccon_theme_area_name(CCON_AREA__COUNT));
	ck_assert_int_eq(ccon_theme_area_by_name("title2", 6), CCON_AREA__COUNT);
	ck_assert_int_eq(ccon_theme_area_by_name("titl", 4), CCON_AREA__COUNT);
	ck_assert_int_eq(ccon_theme_status_area("scheduled"), CCON_AREA_CAMPAIGN_SCHEDULED);
	ck_assert_int_eq(ccon_theme_status_area("canceled"), CCON_AREA_CAMPAIGN_CANCELED);
	ck_assert_int_eq(ccon_theme_status_area("read"), CCON_AREA_STATUS_OK);
	ck_assert_int_eq(ccon_theme_status_area("failed"), CCON_AREA_STATUS_FAIL);
	ck_assert_int_eq(ccon_theme_status_area("pending"), CCON_AREA_DIM);
	ck_assert_int_eq(ccon_theme_status_area("weird"), CCON_AREA_NORMAL);
	ck_assert_int_eq(ccon_theme_status_area(NULL), CCON_AREA_NORMAL);
	ck_assert_int_eq(ccon_theme_bar_area("read"), CCON_AREA_BAR_READ);
	ck_assert_int_eq(ccon_theme_bar_area("canceled"), CCON_AREA_BAR_CANCELED);
	ck_assert_int_eq(ccon_theme_bar_area("done"), CCON_AREA_NORMAL);
}
END_TEST

static char *read_theme(const char *name, size_t *len)
{
	char path[1024];
	FILE *f;
	char *buf = malloc(1 << 16);

	snprintf(path, sizeof(path), "%s/%s.theme", CCON_THEME_DIR, name);
	f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	*len = fread(buf, 1, (1 << 16) - 1, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

START_TEST(shipped_themes)
{
	static const char *const names[] = { "default", "light", "high-contrast", "mono" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char path[1024];
		size_t len;
		char *text = read_theme(names[i], &len);
		struct ccon_theme t;
		struct ccon_error err = { 0 };
		bool given[CCON_AREA__COUNT] = { false };

		snprintf(path, sizeof(path), "%s/%s.theme", CCON_THEME_DIR, names[i]);
		ck_assert_msg(ccon_theme_load(path, &t, &err) == 0, "%s", err.message);
		ck_assert(ccon_theme_has_color(&t) == (strcmp(names[i], "mono") != 0));
		/* every shipped theme names every area */
		for (const char *p = text; (p = strstr(p, "\ncolor ")); p++) {
			const char *a = p + 7;

			while (*a == ' ')
				a++;
			given[ccon_theme_area_by_name(a, strcspn(a, " "))] = true;
		}
		for (int a = 0; a < CCON_AREA__COUNT; a++)
			ck_assert_msg(given[a], "%s lacks %s", names[i],
			              ccon_theme_area_name((enum ccon_theme_area)a));
		free(text);
	}
}
END_TEST

START_TEST(built_in_default_is_the_file)
{
	size_t len;
	char *text = read_theme("default", &len);
	struct ccon_theme a, b;

	ck_assert_str_eq(ccon_theme_default_text(), text);
	ccon_theme_default(&a);
	parse_ok(text, &b);
	ck_assert(memcmp(&a, &b, sizeof(a)) == 0);
	ck_assert(ccon_color_eq(a.area[CCON_AREA_TITLE].bg, idx(6)));
	free(text);
}
END_TEST

START_TEST(load_errors_name_the_file)
{
	char dir[] = "/tmp/ccon-theme-XXXXXX", path[64];
	struct ccon_theme t;
	struct ccon_error err = { 0 };
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/x.theme", dir);
	ck_assert_int_eq(ccon_theme_load(path, &t, &err), -1);
	ck_assert_errc(err, CCON_E_IO);
	ck_assert_ptr_nonnull(strstr(err.message, path));
	f = fopen(path, "w");
	fputs("color title red blue\ncolor nope red blue\n", f);
	fclose(f);
	ck_assert_int_eq(ccon_theme_load(path, &t, &err), -1);
	ck_assert_errc(err, CCON_E_THEME_SYNTAX);
	ck_assert(err.line == 2 && err.column == 7);
	ck_assert_ptr_nonnull(strstr(err.message, ":2:7: unknown area"));
	unlink(path);
	rmdir(dir);
}
END_TEST

Suite *ccon_suite_theme(void)
{
	Suite *s = suite_create("theme");
	TCase *tc = tcase_create("colour");

	tcase_add_test(tc, every_colour_form);
	tcase_add_test(tc, bad_colours);
	tcase_add_test(tc, fit_to_the_terminal);
	tcase_add_test(tc, palette);
	suite_add_tcase(s, tc);
	tc = tcase_create("theme");
	tcase_add_test(tc, lines_and_fallbacks);
	tcase_add_test(tc, bad_lines_name_line_and_column);
	tcase_add_test(tc, areas_and_statuses);
	tcase_add_test(tc, shipped_themes);
	tcase_add_test(tc, built_in_default_is_the_file);
	tcase_add_test(tc, load_errors_name_the_file);
	suite_add_tcase(s, tc);
	return s;
}
