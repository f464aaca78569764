/* ccon/settings.h - the console's configuration file (ccon.conf(5)):
 * $XDG_CONFIG_HOME/ccon/config, by default ~/.config/ccon/config.
 *
 *   # comment (whole lines only: a value may hold '#')
 *   poll_campaigns = 5s        the campaign list's poll period
 *   poll_report = 2s           the focused campaign's poll period
 *   theme = default            a theme name or a path to a .theme file
 *   mouse = on                 on/off, yes/no, true/false, 1/0
 *   profile = prod             the profile used when -p is not given
 *
 *   [profile prod]
 *   url = https://campaigns.example.com
 *   app = 12
 *   token_env = CCON_PROD_TOKEN
 *   token_command = pass show ccon/prod
 *   token = ...                (refused unless the file is chmod 600)
 *   ca_file = /etc/ssl/private-ca.pem
 *
 *   [keys]
 *   bind j cursor-down
 *   bind <C-d> page-down
 *
 * Lines are KEY = VALUE (spaces around '=' and at both ends are dropped)
 * or, under [keys], `bind KEYSPEC ACTION`. Durations are a whole number
 * and a unit, ms, s or m ("500ms", "5s", "1m"; a bare number is seconds),
 * from 100 ms to 1 hour. Unknown keys and sections, a key given twice in
 * a section, two profiles of one name, and a profile without url are
 * errors (CCON_E_CONFIG_SYNTAX) with the line and column; nothing in a
 * message repeats a value from the file (it may be a token). Key specs are
 * checked here (keyspec.h); action names by the console, which knows its
 * requests (hence each binding's line and columns).
 */
#ifndef CCON_SETTINGS_H
#define CCON_SETTINGS_H

#include <ccon/error.h>
#include <ccon/keyspec.h>

#include <stdbool.h>
#include <stddef.h>

struct ccon_profile {
	char *name;
	char *url;
	char *app;
	char *token;              /* NULL unless the file holds one */
	char *token_env;
	char *token_command;
	char *ca_file;
	long line;                /* of its [profile NAME] line */
	long token_line;          /* of its token line, 0 when none */
};

struct ccon_binding_spec {
	struct ccon_key key;
	char *keyspec;            /* as written */
	char *action;             /* as written; the console checks it */
	long line, key_column, action_column;
};

struct ccon_settings {
	long poll_campaigns_ms;   /* default 5000 */
	long poll_report_ms;      /* default 2000 */
	char *theme;              /* default "default" */
	bool mouse;               /* default false */
	char *profile;            /* the default profile's name, or NULL */
	struct ccon_profile *profiles;
	size_t n_profiles;
	struct ccon_binding_spec *bindings;  /* in file order */
	size_t n_bindings;
};

#define CCON_POLL_CAMPAIGNS_MS 5000
#define CCON_POLL_REPORT_MS 2000

/* The defaults (no file). */
int ccon_settings_init(struct ccon_settings *s);
void ccon_settings_free(struct ccon_settings *s);

/* Parses the text of a configuration file into *out (defaults first).
 * On failure *out is empty and err has the line and column. */
int ccon_settings_parse(const char *text, size_t len, struct ccon_settings *out,
                        struct ccon_error *err);

/* Reads path (at most 1 MiB). A missing file gives the defaults. A file
 * with a token that group or others may read or write is refused
 * (CCON_E_CONFIG_PERMISSIONS): the message says why and gives the fix,
 * `chmod 600 PATH`. Parse errors start with "PATH:LINE:COLUMN: ". */
int ccon_settings_load(const char *path, struct ccon_settings *out, struct ccon_error *err);

/* The profile called name, or NULL. */
const struct ccon_profile *ccon_settings_find_profile(const struct ccon_settings *s,
                                                      const char *name);

/* The bearer token, in this order: env_override (a --token-env given on
 * the command line: the token is that variable's value, nothing else is
 * tried); the profile's token; the variable named by its token_env; the
 * first line of what its token_command writes to stdout (run with
 * /bin/sh -c, stdin /dev/null, stderr the console's, at most 64 KiB read;
 * the trailing newline and CR dropped). An unset or empty variable passes
 * to the next source; a command that fails, is killed or prints nothing
 * is an error, and so is having no source. profile may be NULL. *out is
 * a heap string the caller frees (and should clear). No message ever
 * holds the token or the command's output. Errors: CCON_E_TOKEN. */
int ccon_settings_token(const struct ccon_profile *profile, const char *env_override,
                        char **out, struct ccon_error *err);

/* XDG paths: $XDG_CONFIG_HOME/ccon/config, $XDG_DATA_HOME/ccon and
 * $XDG_STATE_HOME/ccon, each variable replaced by ~/.config, ~/.local/share
 * and ~/.local/state when unset, empty or not absolute (the XDG rule). The
 * directories are created 0700 when missing (their parents too), and an
 * existing one is left as it is. Each returns 0 with the path in buf, or -1
 * (no HOME, too long, mkdir failed). */
int ccon_xdg_config_file(char *buf, size_t size, struct ccon_error *err);
int ccon_xdg_data_dir(char *buf, size_t size, struct ccon_error *err);
int ccon_xdg_state_dir(char *buf, size_t size, struct ccon_error *err);

#endif
