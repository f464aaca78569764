#include "config.h"

#include <ccon/settings.h>

#include <sys/stat.h>
#include <unistd.h>

#include "suites.h"
#include "testutil.h"

#define SECRET "s3cr3t-T0KEN-value"

static void parse_ok(const char *text, struct ccon_settings *s)
{
	struct ccon_error err = { 0 };

	ck_assert_msg(ccon_settings_parse(text, strlen(text), s, &err) == 0,
	              "line %ld column %ld: %s", err.line, err.column, err.message);
}

static void bad_n(const char *text, size_t len, long line, long column, const char *needle)
{
	struct ccon_settings s;
	struct ccon_error err = { 0 };

	ck_assert_msg(ccon_settings_parse(text, len, &s, &err) == -1, "parsed: %s", text);
	ck_assert_errc(err, CCON_E_CONFIG_SYNTAX);
	ck_assert_msg(err.line == line && err.column == column,
	              "%s: line %ld column %ld, want %ld %ld (%s)", text, err.line, err.column, line,
	              column, err.message);
	ck_assert_msg(strstr(err.message, needle) != NULL, "\"%s\" lacks \"%s\"", err.message, needle);
	ck_assert_msg(strstr(err.message, "s3cr3t") == NULL, "the token in \"%s\"", err.message);
	ck_assert_ptr_null(s.profiles);
	ck_assert_ptr_null(s.theme);
}

static void bad(const char *text, long line, long column, const char *needle)
{
	bad_n(text, strlen(text), line, column, needle);
}

START_TEST(defaults)
{
	struct ccon_settings s;

	parse_ok("", &s);
	ck_assert_int_eq(s.poll_campaigns_ms, 5000);
	ck_assert_int_eq(s.poll_report_ms, 2000);
	ck_assert_str_eq(s.theme, "default");
	ck_assert(!s.mouse);
	ck_assert_ptr_null(s.profile);
	ck_assert_uint_eq(s.n_profiles, 0);
	ck_assert_uint_eq(s.n_bindings, 0);
	ccon_settings_free(&s);
	parse_ok("# only comments\n; and these\n\n   \n\t# indented\n", &s);
	ck_assert_int_eq(s.poll_campaigns_ms, 5000);
	ccon_settings_free(&s);
}
END_TEST

START_TEST(a_whole_file)
{
	struct ccon_settings s;
	const struct ccon_profile *p;
	const char *text =
		"# ccon\n"
		"poll_campaigns = 10s\n"
		"  poll_report=500ms  \r\n"
		"theme = /home/me/my #1.theme\n"
		"mouse = on\n"
		"profile = prod\n"
		"\n"
		"[profile prod]\n"
		"url = https://campaigns.example.com/api\n"
		"app = 12\n"
		"token_env = CCON_PROD_TOKEN\n"
		"token_command = pass show ccon/prod | head -1\n"
		"ca_file = /etc/ssl/ca.pem\n"
		"[ profile  staging ]\n"
		"url = http://127.0.0.1:8080\n"
		"token = " SECRET "\n"
		"[keys]\n"
		"bind j cursor-down\n"
		"  bind\t<C-d>   page-down  \n"
		"bind \xc3\xb1 help\n"
		"bind C-i next-pane\n";

	parse_ok(text, &s);
	ck_assert_int_eq(s.poll_campaigns_ms, 10000);
	ck_assert_int_eq(s.poll_report_ms, 500);
	ck_assert_str_eq(s.theme, "/home/me/my #1.theme");
	ck_assert(s.mouse);
	ck_assert_str_eq(s.profile, "prod");
	ck_assert_uint_eq(s.n_profiles, 2);
	p = ccon_settings_find_profile(&s, "prod");
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(p->url, "https://campaigns.example.com/api");
	ck_assert_str_eq(p->app, "12");
	ck_assert_str_eq(p->token_env, "CCON_PROD_TOKEN");
	ck_assert_str_eq(p->token_command, "pass show ccon/prod | head -1");
	ck_assert_str_eq(p->ca_file, "/etc/ssl/ca.pem");
	ck_assert_ptr_null(p->token);
	ck_assert_int_eq(p->line, 8);
	p = ccon_settings_find_profile(&s, "staging");
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(p->token, SECRET);
	ck_assert_int_eq(p->token_line, 16);
	ck_assert_ptr_null(ccon_settings_find_profile(&s, "nope"));
	ck_assert_ptr_null(ccon_settings_find_profile(&s, NULL));
	ck_assert_uint_eq(s.n_bindings, 4);
	ck_assert_str_eq(s.bindings[0].keyspec, "j");
	ck_assert_str_eq(s.bindings[0].action, "cursor-down");
	ck_assert(s.bindings[0].key.code == 'j' && s.bindings[0].key.mods == 0);
	ck_assert_int_eq(s.bindings[0].line, 18);
	ck_assert_str_eq(s.bindings[1].keyspec, "<C-d>");
	ck_assert_str_eq(s.bindings[1].action, "page-down");
	ck_assert(s.bindings[1].key.code == 'd' && s.bindings[1].key.mods == CCON_MOD_CTRL);
	ck_assert_int_eq(s.bindings[1].key_column, 8);
	ck_assert_int_eq(s.bindings[1].action_column, 16);
	ck_assert_int_eq(s.bindings[2].key.code, 0xf1);
	ck_assert_int_eq(s.bindings[2].action_column, 8);   /* characters, not bytes */
	ck_assert_int_eq(s.bindings[3].key.code, CCON_KEY_TAB);
	ccon_settings_free(&s);
}
END_TEST

START_TEST(values)
{
	struct ccon_settings s;

	parse_ok("poll_campaigns = 5\npoll_report = 1m\nmouse = OFF\n", &s);
	ck_assert_int_eq(s.poll_campaigns_ms, 5000);
	ck_assert_int_eq(s.poll_report_ms, 60000);
	ck_assert(!s.mouse);
	ccon_settings_free(&s);
	parse_ok("poll_campaigns = 100ms\npoll_report = 3600s\nmouse = yes\n", &s);
	ck_assert_int_eq(s.poll_campaigns_ms, 100);
	ck_assert_int_eq(s.poll_report_ms, 3600000);
	ck_assert(s.mouse);
	ccon_settings_free(&s);
	bad("poll_campaigns = 99ms", 1, 18, "100ms to 1 hour");
	bad("poll_campaigns = 61m", 1, 18, "100ms to 1 hour");
	bad("poll_campaigns = 99999999999999999999s", 1, 18, "100ms to 1 hour");
	bad("poll_campaigns = 5 s", 1, 19, "unit is ms, s or m");
	bad("poll_report = 2h", 1, 16, "unit is ms, s or m");
	bad("poll_report = fast", 1, 15, "whole number");
	bad("poll_report = -1s", 1, 15, "whole number");
	bad("mouse = maybe", 1, 9, "on or off");
	bad("theme =", 1, 8, "a value follows");
	bad("theme =   ", 1, 8, "a value follows");
	bad("[profile p]\nurl = ftp://x", 2, 7, "https://");
	bad("[profile p]\nurl = https://", 2, 7, "https://");
	bad("[profile p]\nurl = https://a b", 2, 16, "no spaces");
	bad("[profile p]\nurl = https://a\ntoken_env = 9LIVES", 3, 13, "environment variable");
	bad("[profile p]\nurl = https://a\ntoken_env = MY-TOKEN", 3, 15, "environment variable");
}
END_TEST

START_TEST(structure_errors)
{
	bad("poll_campaigns 5s", 1, 16, "expected KEY = VALUE");
	bad("= 5s", 1, 1, "expected KEY = VALUE");
	bad("pol_campaigns = 5s", 1, 1, "unknown key (before any section");
	bad("url = https://a", 1, 1, "url belongs in a [profile NAME] section");
	bad("[profile p]\nurl = https://a\ntheme = x", 3, 1,
	    "theme is a global setting: it goes before any section");
	bad("[profile p]\nurl = https://a\ninsecure = true", 3, 1, "unknown key (in a profile");
	/* a token pasted alone on a line is no key, and is not repeated */
	bad("[profile p]\nurl = https://a\ns3cr3tdGVzdA==", 3, 1, "unknown key (in a profile");
	bad("[profile p]\nurl = https://a\nURL = https://b", 3, 1, "unknown key");
	bad("theme = a\ntheme = b", 2, 1, "theme given twice (first on line 1)");
	bad("[profile p]\nurl = https://a\n[profile q]\nurl = https://b\nurl = https://c", 5, 1,
	    "given twice (first on line 4)");
	bad("[profile p]\nurl = https://a\n[profile p]\nurl = https://b", 3, 10,
	    "a second profile of this name (the first is on line 1)");
	bad("\n\n[profile p]\napp = 1\n[keys]", 3, 1, "a profile needs a url");
	bad("[profile p]\napp = 1", 1, 1, "a profile needs a url");
	bad("[profile]", 1, 9, "needs a name");
	bad("[profile a/b]", 1, 11, "letters, digits");
	bad("[profiles x]", 1, 2, "unknown section");
	bad("[keys", 1, 6, "ends with ']'");
	bad("[keys]\n[keys]", 2, 2, "a second [keys]");
	bad("[keys]\nbind j", 2, 7, "expected bind KEY ACTION");
	bad("[keys]\nbind", 2, 1, "expected bind KEY ACTION");
	bad("[keys]\nmap j down", 2, 1, "expected bind KEY ACTION");
	bad("[keys]\nbind j down now", 2, 13, "text after the action");
	bad("[keys]\nbind <Foo> down", 2, 7, "key: unknown key name");
	bad("[keys]\n bind C-C-d down", 2, 9, "key: a modifier given twice");
	bad("[keys]\nbind \xc3\xb1x down", 2, 7, "key: a key is one character");
	bad("[keys]\nkey = value", 2, 1, "expected bind");
}
END_TEST

START_TEST(bad_text)
{
	bad("theme = a\xff", 1, 10, "not valid UTF-8");
	bad("theme = \xc3\xa9\xc3", 1, 10, "not valid UTF-8");
	bad("theme = a\x1b[2J", 1, 10, "control character");
	bad("[profile p]\nurl = https://a\ntoken = s3cr3t\x07", 3, 15, "control character");
	bad_n("theme = a\0b", 11, 1, 10, "control character");
	bad("theme = \x7f", 1, 9, "control character");
}
END_TEST

START_TEST(huge_lines)
{
	size_t n = 200000;
	char *text = malloc(n + 64);
	struct ccon_settings s;

	strcpy(text, "theme = ");
	memset(text + 8, 'x', n);
	strcpy(text + 8 + n, "\nmouse = on\n");
	parse_ok(text, &s);
	ck_assert_uint_eq(strlen(s.theme), n);
	ck_assert(s.mouse);
	ccon_settings_free(&s);
	memset(text, ' ', n);
	strcpy(text + n, "bogus = 1");
	bad(text, 1, (long)n + 1, "unknown key");
	free(text);
}
END_TEST

/* ---- the file */

struct tmp {
	char dir[64];
	char path[128];
};

static void tmp_file(struct tmp *t, const char *text, mode_t mode)
{
	FILE *f;

	snprintf(t->dir, sizeof(t->dir), "/tmp/ccon-settings-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(t->dir));
	snprintf(t->path, sizeof(t->path), "%s/config", t->dir);
	f = fopen(t->path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	ck_assert_int_eq(chmod(t->path, mode), 0);
}

static void tmp_clean(struct tmp *t)
{
	unlink(t->path);
	rmdir(t->dir);
}

static const char with_token[] =
	"theme = light\n[profile ops]\nurl = https://x.example\ntoken = " SECRET "\n";

START_TEST(load_missing_file_gives_defaults)
{
	struct ccon_settings s;
	struct ccon_error err = { 0 };

	ck_assert_int_eq(ccon_settings_load("/nonexistent/ccon/config", &s, &err), 0);
	ck_assert_str_eq(s.theme, "default");
	ccon_settings_free(&s);
}
END_TEST

START_TEST(load_refuses_a_readable_token)
{
	static const mode_t modes[] = { 0644, 0640, 0604, 0620, 0602, 0660 };

	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		struct tmp t;
		struct ccon_settings s;
		struct ccon_error err = { 0 };
		char fix[200], mode[16];

		tmp_file(&t, with_token, modes[i]);
		ck_assert_int_eq(ccon_settings_load(t.path, &s, &err), -1);
		ck_assert_errc(err, CCON_E_CONFIG_PERMISSIONS);
		snprintf(fix, sizeof(fix), "fix: chmod 600 %s", t.path);
		snprintf(mode, sizeof(mode), "mode %04o", (unsigned)modes[i]);
		ck_assert_msg(strstr(err.message, fix) != NULL, "%s", err.message);
		ck_assert_msg(strstr(err.message, mode) != NULL, "%s", err.message);
		ck_assert_msg(strstr(err.message, "group or others") != NULL, "%s", err.message);
		ck_assert_ptr_null(strstr(err.message, "s3cr3t"));
		ck_assert_int_eq(err.line, 4);
		ck_assert_ptr_null(s.profiles);
		/* the fix works */
		ck_assert_int_eq(chmod(t.path, 0600), 0);
		ck_assert_int_eq(ccon_settings_load(t.path, &s, &err), 0);
		ck_assert_str_eq(s.profiles[0].token, SECRET);
		ccon_settings_free(&s);
		tmp_clean(&t);
	}
}
END_TEST

START_TEST(load_accepts_private_or_tokenless_files)
{
	struct tmp t;
	struct ccon_settings s;
	struct ccon_error err = { 0 };

	tmp_file(&t, with_token, 0400);
	ck_assert_int_eq(ccon_settings_load(t.path, &s, &err), 0);
	ccon_settings_free(&s);
	ck_assert_int_eq(chmod(t.path, 0700), 0);
	ck_assert_int_eq(ccon_settings_load(t.path, &s, &err), 0);
	ccon_settings_free(&s);
	tmp_clean(&t);
	/* no token: any mode will do */
	tmp_file(&t, "theme = mono\n[profile a]\nurl = https://a\ntoken_env = T\n", 0644);
	ck_assert_int_eq(ccon_settings_load(t.path, &s, &err), 0);
	ck_assert_str_eq(s.theme, "mono");
	ccon_settings_free(&s);
	tmp_clean(&t);
}
END_TEST

START_TEST(load_names_the_file_in_errors)
{
	struct tmp t;
	struct ccon_settings s;
	struct ccon_error err = { 0 };
	char want[200];

	tmp_file(&t, "theme = a\n\nmause = on\n", 0600);
	ck_assert_int_eq(ccon_settings_load(t.path, &s, &err), -1);
	ck_assert_errc(err, CCON_E_CONFIG_SYNTAX);
	snprintf(want, sizeof(want), "%s:3:1: unknown key", t.path);
	ck_assert_msg(strncmp(err.message, want, strlen(want)) == 0, "%s", err.message);
	ck_assert(err.line == 3 && err.column == 1);
	tmp_clean(&t);
	/* a directory is not a configuration file */
	ck_assert_int_eq(ccon_settings_load("/tmp", &s, &err), -1);
	ck_assert_errc(err, CCON_E_IO);
}
END_TEST

START_TEST(load_quotes_odd_paths_in_the_fix)
{
	char dir[] = "/tmp/ccon settings 'q'-XXXXXX", path[128];
	struct ccon_settings s;
	struct ccon_error err = { 0 };
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/config", dir);
	f = fopen(path, "w");
	fputs(with_token, f);
	fclose(f);
	chmod(path, 0644);
	ck_assert_int_eq(ccon_settings_load(path, &s, &err), -1);
	ck_assert_msg(strstr(err.message, "chmod 600 '/tmp/ccon settings '\\''q'\\''-") != NULL,
	              "%s", err.message);
	unlink(path);
	rmdir(dir);
}
END_TEST

/* ---- tokens */

static struct ccon_profile profile(const char *token, const char *env, const char *command)
{
	struct ccon_profile p = { 0 };

	p.name = (char *)"test";
	p.url = (char *)"https://x";
	p.token = (char *)token;
	p.token_env = (char *)env;
	p.token_command = (char *)command;
	return p;
}

static void token_ok(const struct ccon_profile *p, const char *override, const char *want)
{
	char *tok = NULL;
	struct ccon_error err = { 0 };

	ck_assert_msg(ccon_settings_token(p, override, &tok, &err) == 0, "%s", err.message);
	ck_assert_str_eq(tok, want);
	free(tok);
}

static void token_bad(const struct ccon_profile *p, const char *override, const char *needle)
{
	char *tok = (char *)"x";
	struct ccon_error err = { 0 };

	ck_assert_int_eq(ccon_settings_token(p, override, &tok, &err), -1);
	ck_assert_errc(err, CCON_E_TOKEN);
	ck_assert_ptr_null(tok);
	ck_assert_msg(strstr(err.message, needle) != NULL, "\"%s\" lacks \"%s\"", err.message,
	              needle);
	ck_assert_msg(strstr(err.message, "s3cr3t") == NULL, "the token in \"%s\"", err.message);
	ck_assert_msg(strstr(err.message, "T0KEN") == NULL, "output in \"%s\"", err.message);
}

START_TEST(token_sources_in_order)
{
	struct ccon_profile p;

	setenv("CCON_TEST_TOKEN", "from-env", 1);
	setenv("CCON_TEST_OTHER", "from-override", 1);
	unsetenv("CCON_TEST_UNSET");
	setenv("CCON_TEST_EMPTY", "", 1);
	p = profile("from-file", "CCON_TEST_TOKEN", "echo from-command");
	token_ok(&p, NULL, "from-file");
	token_ok(&p, "CCON_TEST_OTHER", "from-override");
	token_ok(NULL, "CCON_TEST_OTHER", "from-override");
	p = profile(NULL, "CCON_TEST_TOKEN", "echo from-command");
	token_ok(&p, NULL, "from-env");
	p = profile(NULL, "CCON_TEST_UNSET", "echo from-command");
	token_ok(&p, NULL, "from-command");
	p = profile(NULL, "CCON_TEST_EMPTY", "echo from-command");
	token_ok(&p, NULL, "from-command");
	p = profile(NULL, NULL, "echo from-command");
	token_ok(&p, NULL, "from-command");
	p = profile(NULL, "CCON_TEST_UNSET", NULL);
	token_bad(&p, NULL, "CCON_TEST_UNSET (token_env of profile test) is not set");
	token_bad(&p, "CCON_TEST_EMPTY", "CCON_TEST_EMPTY (--token-env) is not set or empty");
	p = profile(NULL, NULL, NULL);
	token_bad(&p, NULL, "profile test has no token source");
	token_bad(NULL, NULL, "no token");
}
END_TEST

START_TEST(token_command_output)
{
	struct ccon_profile p;

	p = profile(NULL, NULL, "printf '" SECRET "\\r\\nsecond line\\n'");
	token_ok(&p, NULL, SECRET);
	p = profile(NULL, NULL, "printf 'no-newline'");
	token_ok(&p, NULL, "no-newline");
	p = profile(NULL, NULL, "echo ok; exit 0");
	token_ok(&p, NULL, "ok");
	/* stdin is /dev/null, not the terminal */
	p = profile(NULL, NULL, "cat; echo after-stdin");
	token_ok(&p, NULL, "after-stdin");
}
END_TEST

START_TEST(token_command_failures)
{
	struct ccon_profile p;

	p = profile(NULL, NULL, "echo " SECRET "; exit 3");
	token_bad(&p, NULL, "token_command failed (exit status 3)");
	p = profile(NULL, NULL, "echo " SECRET "; kill -9 $$");
	token_bad(&p, NULL, "killed by signal 9");
	p = profile(NULL, NULL, "true");
	token_bad(&p, NULL, "printed no token");
	p = profile(NULL, NULL, "echo; echo " SECRET);
	token_bad(&p, NULL, "printed no token");
	p = profile(NULL, NULL, "/nonexistent/helper " SECRET " 2>/dev/null");
	token_bad(&p, NULL, "exit status 127");
	p = profile(NULL, NULL, "echo 's3cr3t T0KEN'");
	token_bad(&p, NULL, "a character a bearer token cannot");
	p = profile(NULL, NULL, "printf 's3cr3t\\033[2JT0KEN\\n'");
	token_bad(&p, NULL, "a character a bearer token cannot");
	p = profile(NULL, NULL, "head -c 70000 /dev/zero | tr '\\0' T; echo; echo s3cr3t");
	token_bad(&p, NULL, "more than 64 KiB");
	p = profile("s3cr3t\xc3\xa9T0KEN", NULL, NULL);
	token_bad(&p, NULL, "the token from the config file holds a character");
	setenv("CCON_TEST_TOKEN", "s3cr3t T0KEN", 1);
	token_bad(NULL, "CCON_TEST_TOKEN", "--token-env CCON_TEST_TOKEN holds a character");
}
END_TEST

/* ---- XDG */

START_TEST(xdg_paths)
{
	char base[] = "/tmp/ccon-xdg-XXXXXX", buf[256], want[256];
	struct ccon_error err = { 0 };
	struct stat st;

	ck_assert_ptr_nonnull(mkdtemp(base));
	setenv("HOME", base, 1);
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("XDG_DATA_HOME");
	setenv("XDG_STATE_HOME", "relative/ignored", 1);
	ck_assert_int_eq(ccon_xdg_config_file(buf, sizeof(buf), &err), 0);
	snprintf(want, sizeof(want), "%s/.config/ccon/config", base);
	ck_assert_str_eq(buf, want);
	ck_assert_int_eq(stat(want, &st), -1);          /* nothing created */
	ck_assert_int_eq(ccon_xdg_data_dir(buf, sizeof(buf), &err), 0);
	snprintf(want, sizeof(want), "%s/.local/share/ccon", base);
	ck_assert_str_eq(buf, want);
	ck_assert_int_eq(stat(buf, &st), 0);
	ck_assert(S_ISDIR(st.st_mode) && (st.st_mode & 0777) == 0700);
	snprintf(want, sizeof(want), "%s/.local", base);
	ck_assert_int_eq(stat(want, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0700);
	ck_assert_int_eq(ccon_xdg_state_dir(buf, sizeof(buf), &err), 0);
	snprintf(want, sizeof(want), "%s/.local/state/ccon", base);
	ck_assert_str_eq(buf, want);
	/* again: it exists */
	ck_assert_int_eq(ccon_xdg_state_dir(buf, sizeof(buf), &err), 0);
	snprintf(want, sizeof(want), "%s/data", base);
	setenv("XDG_DATA_HOME", want, 1);
	setenv("XDG_CONFIG_HOME", want, 1);
	ck_assert_int_eq(ccon_xdg_data_dir(buf, sizeof(buf), &err), 0);
	strcat(want, "/ccon");
	ck_assert_str_eq(buf, want);
	ck_assert_int_eq(ccon_xdg_config_file(buf, sizeof(buf), &err), 0);
	strcat(want, "/config");
	ck_assert_str_eq(buf, want);
	/* too small a buffer, a file in the way */
	ck_assert_int_eq(ccon_xdg_data_dir(buf, 8, &err), -1);
	ck_assert_errc(err, CCON_E_IO);
	snprintf(want, sizeof(want), "%s/blocked", base);
	fclose(fopen(want, "w"));
	setenv("XDG_STATE_HOME", want, 1);
	ck_assert_int_eq(ccon_xdg_state_dir(buf, sizeof(buf), &err), -1);
	ck_assert_errc(err, CCON_E_IO);
	unsetenv("XDG_STATE_HOME");
	unsetenv("XDG_DATA_HOME");
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("HOME");
	ck_assert_int_eq(ccon_xdg_config_file(buf, sizeof(buf), &err), -1);
	ck_assert_ptr_nonnull(strstr(err.message, "HOME"));
	snprintf(want, sizeof(want), "rm -rf '%s'", base);
	ck_assert_int_eq(system(want), 0);
}
END_TEST

Suite *ccon_suite_settings(void)
{
	Suite *s = suite_create("settings");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, defaults);
	tcase_add_test(tc, a_whole_file);
	tcase_add_test(tc, values);
	tcase_add_test(tc, structure_errors);
	tcase_add_test(tc, bad_text);
	tcase_add_test(tc, huge_lines);
	suite_add_tcase(s, tc);
	tc = tcase_create("file");
	tcase_add_test(tc, load_missing_file_gives_defaults);
	tcase_add_test(tc, load_refuses_a_readable_token);
	tcase_add_test(tc, load_accepts_private_or_tokenless_files);
	tcase_add_test(tc, load_names_the_file_in_errors);
	tcase_add_test(tc, load_quotes_odd_paths_in_the_fix);
	suite_add_tcase(s, tc);
	tc = tcase_create("token");
	tcase_add_test(tc, token_sources_in_order);
	tcase_add_test(tc, token_command_output);
	tcase_add_test(tc, token_command_failures);
	suite_add_tcase(s, tc);
	tc = tcase_create("xdg");
	tcase_add_test(tc, xdg_paths);
	suite_add_tcase(s, tc);
	return s;
}
