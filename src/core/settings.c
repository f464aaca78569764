#include "config.h"

#include <ccon/settings.h>

#include <ccon/utf8.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define FILE_MAX ((size_t)1 << 20)
#define TOKEN_OUTPUT_MAX ((size_t)64 << 10)

enum section { SEC_GLOBAL, SEC_PROFILE, SEC_KEYS };

enum key {
	K_POLL_CAMPAIGNS, K_POLL_REPORT, K_THEME, K_MOUSE, K_PROFILE,
	K_URL, K_APP, K_TOKEN, K_TOKEN_ENV, K_TOKEN_COMMAND, K_CA_FILE, K__COUNT
};

static const struct {
	const char *name;
	enum section sec;
} keys[K__COUNT] = {
	[K_POLL_CAMPAIGNS] = { "poll_campaigns", SEC_GLOBAL },
	[K_POLL_REPORT] = { "poll_report", SEC_GLOBAL },
	[K_THEME] = { "theme", SEC_GLOBAL },
	[K_MOUSE] = { "mouse", SEC_GLOBAL },
	[K_PROFILE] = { "profile", SEC_GLOBAL },
	[K_URL] = { "url", SEC_PROFILE },
	[K_APP] = { "app", SEC_PROFILE },
	[K_TOKEN] = { "token", SEC_PROFILE },
	[K_TOKEN_ENV] = { "token_env", SEC_PROFILE },
	[K_TOKEN_COMMAND] = { "token_command", SEC_PROFILE },
	[K_CA_FILE] = { "ca_file", SEC_PROFILE },
};

struct parser {
	const char *line;          /* the current line, without its newline */
	const char *end;
	long no;
	enum section sec;
	struct ccon_profile *profile;  /* under [profile NAME] */
	long seen[K__COUNT];       /* line of each key in this section, 0 */
	bool keys_seen;
	struct ccon_settings *s;
	struct ccon_error *err;
};

/* ---- helpers */

__attribute__((format(printf, 3, 4)))
static int fail_at(struct parser *ps, const char *at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ccon_error_vset(ps->err, CCON_E_CONFIG_SYNTAX, fmt, ap);
	va_end(ap);
	/* columns count characters */
	ccon_error_at_line(ps->err, ps->no, (long)ccon_utf8_length(ps->line, (size_t)(at - ps->line)) + 1);
	return -1;
}

static int nomem(struct ccon_error *err)
{
	ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	return -1;
}

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

static const char *skip_blank(const char *p, const char *end)
{
	while (p < end && blank(*p))
		p++;
	return p;
}

static const char *trim_end(const char *p, const char *end)
{
	while (end > p && blank(end[-1]))
		end--;
	return end;
}

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == '.';
}

static char *dup_range(const char *p, const char *end)
{
	return strndup(p, (size_t)(end - p));
}

/* ---- defaults */

int ccon_settings_init(struct ccon_settings *s)
{
	memset(s, 0, sizeof(*s));
	s->poll_campaigns_ms = CCON_POLL_CAMPAIGNS_MS;
	s->poll_report_ms = CCON_POLL_REPORT_MS;
	s->theme = strdup("default");
	return s->theme ? 0 : -1;
}

static void free_secret(char *s)
{
	if (s) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

void ccon_settings_free(struct ccon_settings *s)
{
	free(s->theme);
	free(s->profile);
	for (size_t i = 0; i < s->n_profiles; i++) {
		struct ccon_profile *p = &s->profiles[i];

		free(p->name);
		free(p->url);
		free(p->app);
		free_secret(p->token);
		free(p->token_env);
		free(p->token_command);
		free(p->ca_file);
	}
	free(s->profiles);
	for (size_t i = 0; i < s->n_bindings; i++) {
		free(s->bindings[i].keyspec);
		free(s->bindings[i].action);
	}
	free(s->bindings);
	memset(s, 0, sizeof(*s));
}

const struct ccon_profile *ccon_settings_find_profile(const struct ccon_settings *s,
                                                      const char *name)
{
	for (size_t i = 0; name && i < s->n_profiles; i++)
		if (strcmp(s->profiles[i].name, name) == 0)
			return &s->profiles[i];
	return NULL;
}

/* ---- values */

/* "500ms", "5s", "1m", "5" (seconds): 100 ms .. 1 h */
static int duration_value(struct parser *ps, const char *v, const char *end, long *out)
{
	long long n = 0;
	const char *p = v;
	long unit = 1000;

	for (; p < end && *p >= '0' && *p <= '9'; p++)
		if (n <= 3600000)
			n = n * 10 + (*p - '0');   /* larger is out of range anyway */
	if (p == v)
		return fail_at(ps, v, "a duration is a whole number and ms, s or m (5s, 500ms)");
	if (end - p == 2 && memcmp(p, "ms", 2) == 0)
		unit = 1;
	else if (end - p == 1 && *p == 'm')
		unit = 60000;
	else if (!(p == end || (end - p == 1 && *p == 's')))
		return fail_at(ps, p, "a duration's unit is ms, s or m");
	if (n * unit < 100 || n * unit > 3600000)
		return fail_at(ps, v, "a poll period is from 100ms to 1 hour (60m)");
	*out = (long)(n * unit);
	return 0;
}

static int bool_value(struct parser *ps, const char *v, const char *end, bool *out)
{
	static const char *const yes[] = { "on", "yes", "true", "1" };
	static const char *const no[] = { "off", "no", "false", "0" };
	size_t n = (size_t)(end - v);

	for (size_t i = 0; i < 4; i++) {
		if (strlen(yes[i]) == n && strncasecmp(yes[i], v, n) == 0) {
			*out = true;
			return 0;
		}
		if (strlen(no[i]) == n && strncasecmp(no[i], v, n) == 0) {
			*out = false;
			return 0;
		}
	}
	return fail_at(ps, v, "expected on or off (yes/no, true/false, 1/0)");
}

static int string_value(struct parser *ps, const char *v, const char *end, char **out)
{
	char *s = dup_range(v, end);

	if (!s)
		return nomem(ps->err);
	if (*out)
		free_secret(*out);
	*out = s;
	return 0;
}

static int env_name_value(struct parser *ps, const char *v, const char *end, char **out)
{
	for (const char *p = v; p < end; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p == '_' ||
		      (p > v && *p >= '0' && *p <= '9')))
			return fail_at(ps, p, "an environment variable's name is letters, digits "
			               "and _, not starting with a digit");
	return string_value(ps, v, end, out);
}

static int url_value(struct parser *ps, const char *v, const char *end, char **out)
{
	size_t n = (size_t)(end - v);

	if (!((n > 7 && strncasecmp(v, "http://", 7) == 0) ||
	      (n > 8 && strncasecmp(v, "https://", 8) == 0)))
		return fail_at(ps, v, "url starts with https:// (or http://) and a host");
	for (const char *p = v; p < end; p++)
		if (blank(*p))
			return fail_at(ps, p, "a url has no spaces");
	return string_value(ps, v, end, out);
}

static int set_value(struct parser *ps, enum key k, const char *v, const char *end)
{
	struct ccon_settings *s = ps->s;
	struct ccon_profile *p = ps->profile;

	switch (k) {
	case K_POLL_CAMPAIGNS: return duration_value(ps, v, end, &s->poll_campaigns_ms);
	case K_POLL_REPORT: return duration_value(ps, v, end, &s->poll_report_ms);
	case K_THEME: return string_value(ps, v, end, &s->theme);
	case K_MOUSE: return bool_value(ps, v, end, &s->mouse);
	case K_PROFILE: return string_value(ps, v, end, &s->profile);
	case K_URL: return url_value(ps, v, end, &p->url);
	case K_APP: return string_value(ps, v, end, &p->app);
	case K_TOKEN:
		p->token_line = ps->no;
		return string_value(ps, v, end, &p->token);
	case K_TOKEN_ENV: return env_name_value(ps, v, end, &p->token_env);
	case K_TOKEN_COMMAND: return string_value(ps, v, end, &p->token_command);
	case K_CA_FILE: return string_value(ps, v, end, &p->ca_file);
	case K__COUNT: break;
	}
	return 0;
}

/* ---- lines */

static int end_section(struct parser *ps)
{
	if (ps->profile && !ps->profile->url) {
		long no = ps->no;
		int rc;

		ps->no = ps->profile->line;
		rc = fail_at(ps, ps->line, "a profile needs a url");
		ccon_error_at_line(ps->err, ps->profile->line, 1);
		ps->no = no;
		return rc;
	}
	ps->profile = NULL;
	memset(ps->seen, 0, sizeof(ps->seen));
	return 0;
}

static int new_profile(struct parser *ps, const char *name, const char *end)
{
	struct ccon_settings *s = ps->s;
	struct ccon_profile *p;

	for (size_t i = 0; i < s->n_profiles; i++)
		if (strlen(s->profiles[i].name) == (size_t)(end - name) &&
		    memcmp(s->profiles[i].name, name, (size_t)(end - name)) == 0)
			return fail_at(ps, name, "a second profile of this name (the first is on line %ld)",
			               s->profiles[i].line);
	p = realloc(s->profiles, (s->n_profiles + 1) * sizeof(*p));
	if (!p)
		return nomem(ps->err);
	s->profiles = p;
	p = &s->profiles[s->n_profiles];
	memset(p, 0, sizeof(*p));
	p->name = dup_range(name, end);
	if (!p->name)
		return nomem(ps->err);
	p->line = ps->no;
	s->n_profiles++;
	ps->profile = p;
	ps->sec = SEC_PROFILE;
	return 0;
}

/* "[profile NAME]" or "[keys]" */
static int section_line(struct parser *ps, const char *p, const char *end)
{
	const char *w, *close = end - 1;

	if (*close != ']')
		return fail_at(ps, end, "a section line ends with ']'");
	if (end_section(ps) < 0)
		return -1;
	p = skip_blank(p + 1, close);
	for (w = p; w < close && !blank(*w); w++)
		;
	if (w - p == 4 && memcmp(p, "keys", 4) == 0 && skip_blank(w, close) == close) {
		if (ps->keys_seen)
			return fail_at(ps, p, "a second [keys] section");
		ps->keys_seen = true;
		ps->sec = SEC_KEYS;
		return 0;
	}
	if (w - p == 7 && memcmp(p, "profile", 7) == 0) {
		const char *name = skip_blank(w, close), *name_end = trim_end(name, close);

		if (name == name_end)
			return fail_at(ps, name, "a profile needs a name: [profile NAME]");
		for (const char *c = name; c < name_end; c++)
			if (!name_char(*c))
				return fail_at(ps, c, "a profile's name is letters, digits and _ - .");
		return new_profile(ps, name, name_end);
	}
	return fail_at(ps, p, "unknown section (there are [profile NAME] and [keys])");
}

/* "bind KEYSPEC ACTION" */
static int bind_line(struct parser *ps, const char *p, const char *end)
{
	struct ccon_settings *s = ps->s;
	struct ccon_binding_spec *b;
	struct ccon_error kerr = { 0 };
	const char *spec, *spec_end, *action, *action_end;
	struct ccon_key key;

	if (end - p < 5 || memcmp(p, "bind", 4) != 0 || !blank(p[4]))
		return fail_at(ps, p, "expected bind KEY ACTION in [keys]");
	spec = skip_blank(p + 4, end);
	for (spec_end = spec; spec_end < end && !blank(*spec_end); spec_end++)
		;
	action = skip_blank(spec_end, end);
	for (action_end = action; action_end < end && !blank(*action_end); action_end++)
		;
	if (spec == spec_end || action == action_end)
		return fail_at(ps, action, "expected bind KEY ACTION");
	if (skip_blank(action_end, end) != end)
		return fail_at(ps, skip_blank(action_end, end), "text after the action");
	if (ccon_keyspec_parse(spec, (size_t)(spec_end - spec), &key, &kerr) < 0) {
		const char *at = spec;

		for (long c = 1; c < kerr.column && at < spec_end; c++) {
			uint32_t cp;
			size_t k = ccon_utf8_decode(at, (size_t)(spec_end - at), &cp);

			at += k ? k : 1;
		}
		return fail_at(ps, at, "key: %s", kerr.message);
	}
	b = realloc(s->bindings, (s->n_bindings + 1) * sizeof(*b));
	if (!b)
		return nomem(ps->err);
	s->bindings = b;
	b = &s->bindings[s->n_bindings];
	b->key = key;
	b->keyspec = dup_range(spec, spec_end);
	b->action = dup_range(action, action_end);
	b->line = ps->no;
	b->key_column = (long)ccon_utf8_length(ps->line, (size_t)(spec - ps->line)) + 1;
	b->action_column = (long)ccon_utf8_length(ps->line, (size_t)(action - ps->line)) + 1;
	s->n_bindings++;
	if (!b->keyspec || !b->action)
		return nomem(ps->err);
	return 0;
}

/* "KEY = VALUE" */
static int key_line(struct parser *ps, const char *p, const char *end)
{
	const char *k_end = p, *v;
	int k;

	while (k_end < end && name_char(*k_end))
		k_end++;
	v = skip_blank(k_end, end);
	if (k_end == p || v == end || *v != '=')
		return fail_at(ps, k_end == p ? p : v, "expected KEY = VALUE");
	for (k = 0; k < K__COUNT; k++)
		if (strlen(keys[k].name) == (size_t)(k_end - p) && memcmp(keys[k].name, p, (size_t)(k_end - p)) == 0)
			break;
	if (k < K__COUNT && keys[k].sec != ps->sec)
		return fail_at(ps, p, keys[k].sec == SEC_GLOBAL ?
		               "%s is a global setting: it goes before any section" :
		               "%s belongs in a [profile NAME] section", keys[k].name);
	/* an unknown key is not repeated: it may be a pasted token ("dGVzdA==") */
	if (k == K__COUNT)
		return fail_at(ps, p, ps->sec == SEC_GLOBAL ?
		               "unknown key (before any section: poll_campaigns, poll_report, theme, "
		               "mouse, profile)" :
		               "unknown key (in a profile: url, app, token, token_env, token_command, "
		               "ca_file)");
	if (ps->seen[k])
		return fail_at(ps, p, "%s given twice (first on line %ld)", keys[k].name, ps->seen[k]);
	ps->seen[k] = ps->no;
	v = skip_blank(v + 1, end);
	if (v == end)
		return fail_at(ps, v, "a value follows '='");
	return set_value(ps, (enum key)k, v, end);
}

/* Invalid UTF-8 and control characters (but TAB) are errors. */
static int check_text(struct parser *ps)
{
	size_t bad;

	if (!ccon_utf8_valid(ps->line, (size_t)(ps->end - ps->line), &bad))
		return fail_at(ps, ps->line + bad, "not valid UTF-8");
	for (const char *c = ps->line; c < ps->end; c++)
		if (((unsigned char)*c < 0x20 && *c != '\t') || *c == 0x7f)
			return fail_at(ps, c, "a control character");
	return 0;
}

static int parse_line(struct parser *ps)
{
	const char *p = skip_blank(ps->line, ps->end), *end = trim_end(p, ps->end);

	if (check_text(ps) < 0)
		return -1;
	if (p == end || *p == '#' || *p == ';')
		return 0;
	if (*p == '[')
		return section_line(ps, p, end);
	if (ps->sec == SEC_KEYS)
		return bind_line(ps, p, end);
	return key_line(ps, p, end);
}

int ccon_settings_parse(const char *text, size_t len, struct ccon_settings *out,
                        struct ccon_error *err)
{
	struct parser ps = { .s = out, .err = err, .sec = SEC_GLOBAL };
	const char *p = text, *end = text + len;
	int rc = 0;

	if (ccon_settings_init(out) < 0)
		return nomem(err);
	while (p < end && rc == 0) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		ps.line = p;
		ps.end = nl ? nl : end;
		if (ps.end > p && ps.end[-1] == '\r')
			ps.end--;
		ps.no++;
		rc = parse_line(&ps);
		p = nl ? nl + 1 : end;
	}
	if (rc == 0)
		rc = end_section(&ps);
	if (rc < 0)
		ccon_settings_free(out);
	return rc;
}

/* ---- the file */

/* PATH as a shell word: as is when it is plain, else in single quotes. */
static void shell_word(const char *path, char *buf, size_t size)
{
	size_t o = 0;
	bool plain = *path != '\0';

	for (const char *c = path; *c; c++)
		if (!name_char(*c) && *c != '/' && *c != '~' && *c != '+' && *c != ',')
			plain = false;
	if (plain) {
		snprintf(buf, size, "%s", path);
		return;
	}
	buf[o++] = '\'';
	for (const char *c = path; *c && o + 6 < size; c++) {
		if (*c == '\'') {
			memcpy(buf + o, "'\\''", 4);
			o += 4;
		} else {
			buf[o++] = *c;
		}
	}
	buf[o++] = '\'';
	buf[o] = '\0';
}

static int check_mode(const char *path, const struct stat *st, const struct ccon_settings *s,
                      struct ccon_error *err)
{
	char word[PATH_MAX + 64];

	if (!(st->st_mode & (S_IRGRP | S_IWGRP | S_IROTH | S_IWOTH)))
		return 0;
	for (size_t i = 0; i < s->n_profiles; i++) {
		if (!s->profiles[i].token)
			continue;
		shell_word(path, word, sizeof(word));
		ccon_error_set(err, CCON_E_CONFIG_PERMISSIONS,
		               "refusing a token in a file that group or others may read or write "
		               "(mode %04o, token on line %ld, profile %s); fix: chmod 600 %s",
		               (unsigned)(st->st_mode & 07777), s->profiles[i].token_line,
		               s->profiles[i].name, word);
		ccon_error_at_line(err, s->profiles[i].token_line, 1);
		return -1;
	}
	return 0;
}

static int read_fd(int fd, const char *path, char **buf, size_t *len, struct ccon_error *err)
{
	size_t cap = 8192;
	char *b = malloc(cap);

	*len = 0;
	if (!b)
		return nomem(err);
	for (;;) {
		ssize_t n;

		if (*len == cap) {
			char *nb = cap > FILE_MAX ? NULL : realloc(b, cap *= 2);

			if (!nb) {
				free(b);
				if (cap > FILE_MAX) {
					ccon_error_set(err, CCON_E_IO, "%s: larger than 1 MiB", path);
					return -1;
				}
				return nomem(err);
			}
			b = nb;
		}
		n = read(fd, b + *len, cap - *len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			free(b);
			ccon_error_set(err, CCON_E_IO, "%s: %s", path, strerror(e));
			return -1;
		}
		if (n == 0)
			break;
		*len += (size_t)n;
	}
	if (*len > FILE_MAX) {
		free(b);
		ccon_error_set(err, CCON_E_IO, "%s: larger than 1 MiB", path);
		return -1;
	}
	*buf = b;
	return 0;
}

int ccon_settings_load(const char *path, struct ccon_settings *out, struct ccon_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	struct stat st;
	char *buf = NULL;
	size_t len;
	int rc;

	if (fd < 0 && errno == ENOENT)
		return ccon_settings_init(out) < 0 ? nomem(err) : 0;
	if (fd < 0)
		return ccon_error_set(err, CCON_E_IO, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return ccon_error_set(err, CCON_E_IO, "%s: not a regular file", path);
	}
	rc = read_fd(fd, path, &buf, &len, err);
	close(fd);
	if (rc < 0)
		return -1;
	rc = ccon_settings_parse(buf, len, out, err);
	explicit_bzero(buf, len);
	free(buf);
	if (rc < 0) {
		char msg[CCON_ERROR_MESSAGE_MAX];

		if (err) {
			snprintf(msg, sizeof(msg), "%s", err->message);
			ccon_error_set(err, err->code, "%s:%ld:%ld: %s", path, err->line, err->column, msg);
		}
		return -1;
	}
	if (check_mode(path, &st, out, err) < 0) {
		ccon_settings_free(out);
		return -1;
	}
	return 0;
}

/* ---- tokens */

__attribute__((format(printf, 2, 3)))
static int token_fail(struct ccon_error *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ccon_error_vset(err, CCON_E_TOKEN, fmt, ap);
	va_end(ap);
	return -1;
}

/* A bearer token is visible ASCII (RFC 6750's b64token and then some). */
static int accept_token(const char *t, size_t n, const char *from, char **out,
                        struct ccon_error *err)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)t[i] <= 0x20 || (unsigned char)t[i] >= 0x7f)
			return token_fail(err, "the token from %s holds a character a bearer token "
			                  "cannot (a space, a control or a non-ASCII character)", from);
	*out = strndup(t, n);
	return *out ? 0 : nomem(err);
}

static void child(const char *command, int out_fd)
{
	int null = open("/dev/null", O_RDONLY);

	if (null < 0 || dup2(null, 0) < 0 || dup2(out_fd, 1) < 0)
		_exit(127);
	execl("/bin/sh", "sh", "-c", command, (char *)NULL);
	_exit(127);
}

/* Reads everything the command writes (keeping the first 64 KiB). */
static size_t drain(int fd, char *buf, size_t size, bool *overflow)
{
	size_t len = 0;
	char sink[4096];

	*overflow = false;
	for (;;) {
		ssize_t n = len < size ? read(fd, buf + len, size - len) : read(fd, sink, sizeof(sink));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (len < size)
			len += (size_t)n;
		else
			*overflow = true;
	}
	explicit_bzero(sink, sizeof(sink));
	return len;
}

static int run_token_command(const char *command, char **out, struct ccon_error *err)
{
	int fds[2], status;
	char *buf = malloc(TOKEN_OUTPUT_MAX);
	size_t len, n;
	bool overflow;
	pid_t pid;
	int rc;

	if (!buf)
		return nomem(err);
	if (pipe2(fds, O_CLOEXEC) < 0) {
		free(buf);
		return token_fail(err, "token_command: pipe: %s", strerror(errno));
	}
	pid = fork();
	if (pid < 0) {
		int e = errno;

		close(fds[0]);
		close(fds[1]);
		free(buf);
		return token_fail(err, "token_command: fork: %s", strerror(e));
	}
	if (pid == 0)
		child(command, fds[1]);
	close(fds[1]);
	len = drain(fds[0], buf, TOKEN_OUTPUT_MAX, &overflow);
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	n = 0;
	while (n < len && buf[n] != '\n')
		n++;
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	if (WIFSIGNALED(status))
		rc = token_fail(err, "token_command was killed by signal %d", WTERMSIG(status));
	else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		rc = token_fail(err, "token_command failed (exit status %d)", WEXITSTATUS(status));
	else if (overflow)
		rc = token_fail(err, "token_command wrote more than 64 KiB");
	else if (n == 0)
		rc = token_fail(err, "token_command printed no token (its first line is empty)");
	else
		rc = accept_token(buf, n, "token_command", out, err);
	explicit_bzero(buf, len);
	free(buf);
	return rc;
}

static int token_from_env(const char *name, const char *what, char **out,
                          struct ccon_error *err)
{
	const char *v = getenv(name);
	char from[96];

	if (!v || !*v)
		return 1;
	snprintf(from, sizeof(from), "%s %.60s", what, name);
	return accept_token(v, strlen(v), from, out, err);
}

int ccon_settings_token(const struct ccon_profile *profile, const char *env_override,
                        char **out, struct ccon_error *err)
{
	int rc;

	*out = NULL;
	if (env_override) {
		rc = token_from_env(env_override, "--token-env", out, err);
		if (rc > 0)
			return token_fail(err, "the environment variable %.60s (--token-env) is not set "
			                  "or empty", env_override);
		return rc;
	}
	if (!profile)
		return token_fail(err, "no token: give --token-env VAR or a profile (-p NAME) "
		                  "with token_env, token_command or token");
	if (profile->token)
		return accept_token(profile->token, strlen(profile->token), "the config file", out,
		                    err);
	if (profile->token_env) {
		rc = token_from_env(profile->token_env, "token_env", out, err);
		if (rc <= 0)
			return rc;
		if (!profile->token_command)
			return token_fail(err, "the environment variable %.60s (token_env of profile "
			                  "%.40s) is not set or empty", profile->token_env,
			                  profile->name);
	}
	if (profile->token_command)
		return run_token_command(profile->token_command, out, err);
	return token_fail(err, "profile %.40s has no token source (token_env, token_command or "
	                  "token)", profile->name);
}

/* ---- XDG paths */

static int xdg_base(const char *var, const char *fallback, char *buf, size_t size,
                    struct ccon_error *err)
{
	const char *v = getenv(var), *home;
	int n;

	if (v && v[0] == '/') {
		n = snprintf(buf, size, "%s/ccon", v);
	} else {
		home = getenv("HOME");
		if (!home || home[0] != '/')
			return ccon_error_set(err, CCON_E_IO, "neither %s nor HOME is set to an "
			                      "absolute path", var);
		n = snprintf(buf, size, "%s/%s/ccon", home, fallback);
	}
	if (n < 0 || (size_t)n >= size)
		return ccon_error_set(err, CCON_E_IO, "the %s path is too long", var);
	return 0;
}

/* mkdir -p with mode 0700 for what it creates. */
static int make_dirs(char *path, struct ccon_error *err)
{
	for (char *c = path + 1;; c++) {
		if (*c != '/' && *c != '\0')
			continue;
		char keep = *c;

		*c = '\0';
		if (mkdir(path, 0700) < 0 && errno != EEXIST) {
			int e = errno;

			ccon_error_set(err, CCON_E_IO, "%s: %s", path, strerror(e));
			*c = keep;
			return -1;
		}
		*c = keep;
		if (keep == '\0')
			break;
	}
	return 0;
}

static int xdg_dir(const char *var, const char *fallback, char *buf, size_t size,
                   struct ccon_error *err)
{
	struct stat st;

	if (xdg_base(var, fallback, buf, size, err) < 0 || make_dirs(buf, err) < 0)
		return -1;
	if (stat(buf, &st) < 0 || !S_ISDIR(st.st_mode))
		return ccon_error_set(err, CCON_E_IO, "%s: not a directory", buf);
	return 0;
}

int ccon_xdg_config_file(char *buf, size_t size, struct ccon_error *err)
{
	size_t n;

	if (xdg_base("XDG_CONFIG_HOME", ".config", buf, size, err) < 0)
		return -1;
	n = strlen(buf);
	if (n + sizeof("/config") > size)
		return ccon_error_set(err, CCON_E_IO, "the XDG_CONFIG_HOME path is too long");
	memcpy(buf + n, "/config", sizeof("/config"));
	return 0;
}

int ccon_xdg_data_dir(char *buf, size_t size, struct ccon_error *err)
{
	return xdg_dir("XDG_DATA_HOME", ".local/share", buf, size, err);
}

int ccon_xdg_state_dir(char *buf, size_t size, struct ccon_error *err)
{
	return xdg_dir("XDG_STATE_HOME", ".local/state", buf, size, err);
}
