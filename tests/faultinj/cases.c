/* cases.c - the library cases of the fault injection test: CSV import
 * (ccon_csv_import_path over a small file with errors, its layout parsed
 * too), every JSON decoder on one seed example each (the fuzz corpus of
 * fuzz_json_decoders: parse, decode, encode, print), the relaxed JSON
 * reader, the configuration file (ccon_settings_load) and a theme file
 * (ccon_theme_load). Each case's text is what it produced, written out in
 * full, so that a run that "succeeds" under a fault can be compared with
 * the run without one. */
#include "config.h"

#include "faultinj.h"
#include "../json_codecs.h"

#include <ccon/csv_import.h>
#include <ccon/json_relaxed.h>
#include <ccon/json_util.h>
#include <ccon/keyspec.h>
#include <ccon/layout.h>
#include <ccon/settings.h>
#include <ccon/strbuf.h>
#include <ccon/theme.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct plan csv_plans[] = {
	{ FI_ALLOC, FI_FAIL, false, false },
	{ FI_READ, FI_FAIL, false, false },
	{ FI_READ, FI_SHORT, false, false },
	{ FI_READ, FI_EINTR, true, false },
};

static const struct plan json_plans[] = {
	{ FI_ALLOC, FI_FAIL, false, false },
};

/* settings.c reads with read(): a short read is handled, EINTR retried */
static const struct plan settings_plans[] = {
	{ FI_ALLOC, FI_FAIL, false, false },
	{ FI_READ, FI_FAIL, false, false },
	{ FI_READ, FI_SHORT, true, false },
	{ FI_READ, FI_EINTR, true, false },
};

static const struct plan theme_plans[] = {
	{ FI_ALLOC, FI_FAIL, false, false },
	{ FI_READ, FI_FAIL, false, false },
	{ FI_READ, FI_SHORT, false, false },
	{ FI_READ, FI_EINTR, true, false },
};

/* ------------------------------------------------------------ the inputs */

/* Seed 001's example 1 with rows that fail: a bad phone, a missing
 * column, an unknown channel, a quoted field with the delimiter, an empty
 * line, a row too long. */
static const char csv_text[] =
	"contactCode,channelType,nombre,ticket_id,edad\n"
	"34666777888,cloud_api,John,5123,30\n"
	"34666555666,cloud_api,\"Jane, Doe\",5528,25\n"
	"12,cloud_api,Bad,1,1\n"
	"34666111222,cloud_api,Alice\n"
	"\n"
	"34666111223,pigeon,Carl,4125,28\n"
	"34666111224,cloud_api,Dora,4126,29,extra\n"
	"+34 666 111 225,cloud_api,\"Eve \"\"E\"\"\",4127,31\r\n";

static const char layout_text[] =
	"{\"contact\":{\"contactCode\":\"{{contactCode}}\",\"channelType\":\"{{channelType}}\"},"
	"\"customFields\":{\"name\":\"{{nombre}}\",\"ticketId\":\"{{ticket_id}}\","
	"\"age\":\"{{edad}}\",\"fixed\":\"10%\"}}";

static const char settings_text[] =
	"# ccon's configuration, as ccon.conf(5) shows it\n"
	"poll_campaigns = 3s\n"
	"poll_report = 500ms\n"
	"theme = light\n"
	"mouse = on\n"
	"profile = prod\n"
	"\n"
	"[profile prod]\n"
	"url = https://campaigns.example.com\n"
	"app = 42\n"
	"token_env = CCON_PROD_TOKEN\n"
	"\n"
	"[profile local]\n"
	"url = http://127.0.0.1:8080\n"
	"token = s3cr3t-local-token\n"
	"ca_file = /etc/ssl/certs/local.pem\n"
	"\n"
	"[keys]\n"
	"bind C-r refresh\n"
	"bind <F5> refresh\n"
	"bind M-x command\n";

static char *csv_path, *settings_path, *theme_path;

static int write_file(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	size_t len = strlen(text);

	if (fd < 0)
		return -1;
	if (write(fd, text, len) != (ssize_t)len) {
		close(fd);
		return -1;
	}
	return close(fd);
}

/* ------------------------------------------------------------- outcomes */

static void put_text(struct outcome *o, struct ccon_strbuf *sb)
{
	fi_pause();
	o->text = strdup(ccon_strbuf_cstr(sb));
	ccon_strbuf_free(sb);
	if (!o->text)
		abort();
	fi_resume();
}

/* ------------------------------------------------------------- CSV import */

static int on_contact(void *ctx, const struct ccon_csv_contact *c)
{
	struct ccon_strbuf *sb = ctx;

	fi_pause();
	ccon_strbuf_printf(sb, "C%ld %s %s", c->line, c->contact_code, c->channel_type);
	for (size_t i = 0; i < c->n_custom_fields; i++) {
		ccon_strbuf_printf(sb, " %s=", c->custom_fields[i].name);
		ccon_strbuf_append(sb, c->custom_fields[i].value, c->custom_fields[i].len);
	}
	ccon_strbuf_putc(sb, '\n');
	fi_resume();
	return 0;
}

static int on_error(void *ctx, const struct ccon_error *e)
{
	struct ccon_strbuf *sb = ctx;

	fi_pause();
	ccon_strbuf_printf(sb, "E%ld:%ld %s %s %s\n", e->line, e->column, ccon_errc_name(e->code),
	                   e->path, e->message);
	fi_resume();
	return 0;
}

static void run_csv(const void *arg, struct outcome *o)
{
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	struct ccon_layout layout;
	struct ccon_csv_stats st;

	(void)arg;
	o->rc = ccon_layout_parse(layout_text, strlen(layout_text), &layout, &o->err);
	if (o->rc < 0)
		return;
	o->rc = ccon_csv_import_path(csv_path, &layout, NULL, on_contact, on_error, &sb, &st,
	                             &o->err);
	ccon_layout_free(&layout);
	fi_pause();
	ccon_strbuf_printf(&sb, "lines %ld rows %zu contacts %zu error rows %zu errors %zu "
	                   "delimiter %c columns %zu\n", st.lines, st.rows, st.contacts,
	                   st.error_rows, st.errors, st.delimiter ? st.delimiter : '0', st.columns);
	fi_resume();
	put_text(o, &sb);
}

/* ----------------------------------------------------------- JSON decoders */

typedef int (*round_fn)(const cJSON *json, cJSON **out, struct ccon_error *err);

#define ROUND(id, name, type, decode, encode, release) \
	static int rt_##id(const cJSON *json, cJSON **out, struct ccon_error *err) \
	{ \
		struct type v; \
		int rc; \
		if (decode(json, &v, err) < 0) \
			return -1; \
		rc = encode(&v, out); \
		release(&v); \
		if (rc < 0) \
			return ccon_error_set(err, CCON_E_NOMEM, "encode: out of memory"); \
		return 0; \
	}
CCON_JSON_CODECS(ROUND)
#undef ROUND

/* In fuzz_json_decoders' order: a corpus file's first byte picks it. */
#define ENTRY(id, name, type, decode, encode, release) { rt_##id, name },
static const struct {
	round_fn fn;
	const char *name;
} rounds[] = { CCON_JSON_CODECS(ENTRY) };
#undef ENTRY

#define N_ROUNDS (sizeof(rounds) / sizeof(rounds[0]))
#define MODE_RELAXED N_ROUNDS
#define N_MODES (N_ROUNDS + 2)

struct json_input {
	size_t mode;
	char *text;
	size_t len;
};

static void run_json(const void *arg, struct outcome *o)
{
	const struct json_input *in = arg;
	cJSON *json = NULL, *enc = NULL;

	if (in->mode == MODE_RELAXED)
		o->rc = ccon_json_relaxed_parse(in->text, in->len, CCON_JSON_RELAXED_CLOSE_OPEN, &enc,
		                                NULL, &o->err);
	else if ((o->rc = ccon_json_parse(in->text, in->len, &json, &o->err)) == 0)
		o->rc = rounds[in->mode].fn(json, &enc, &o->err);
	cJSON_Delete(json);
	if (o->rc < 0)
		return;
	fi_put_json(o, enc);
}

/* ---------------------------------------------------- settings and theme */

static void put(struct ccon_strbuf *sb, const char *key, const char *value)
{
	if (value)
		ccon_strbuf_printf(sb, "%s = %s\n", key, value);
}

static void run_settings(const void *arg, struct outcome *o)
{
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	struct ccon_settings s;
	char spec[64];

	(void)arg;
	o->rc = ccon_settings_load(settings_path, &s, &o->err);
	if (o->rc < 0)
		return;
	fi_pause();
	ccon_strbuf_printf(&sb, "poll_campaigns = %ldms\npoll_report = %ldms\n",
	                   s.poll_campaigns_ms, s.poll_report_ms);
	put(&sb, "theme", s.theme);
	put(&sb, "mouse", s.mouse ? "on" : "off");
	put(&sb, "profile", s.profile);
	for (size_t i = 0; i < s.n_profiles; i++) {
		const struct ccon_profile *p = &s.profiles[i];

		ccon_strbuf_printf(&sb, "[profile %s] line %ld token line %ld\n", p->name, p->line,
		                   p->token_line);
		put(&sb, "url", p->url);
		put(&sb, "app", p->app);
		put(&sb, "token", p->token);
		put(&sb, "token_env", p->token_env);
		put(&sb, "token_command", p->token_command);
		put(&sb, "ca_file", p->ca_file);
	}
	for (size_t i = 0; i < s.n_bindings; i++) {
		ccon_keyspec_format(s.bindings[i].key, spec, sizeof(spec));
		ccon_strbuf_printf(&sb, "bind %s (%s) %s at %ld:%ld:%ld\n", spec,
		                   s.bindings[i].keyspec, s.bindings[i].action, s.bindings[i].line,
		                   s.bindings[i].key_column, s.bindings[i].action_column);
	}
	fi_resume();
	ccon_settings_free(&s);
	put_text(o, &sb);
}

static void run_theme(const void *arg, struct outcome *o)
{
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	struct ccon_theme t;

	(void)arg;
	o->rc = ccon_theme_load(theme_path, &t, &o->err);
	if (o->rc < 0)
		return;
	fi_pause();
	for (int a = 0; a < CCON_AREA__COUNT; a++) {
		const struct ccon_style *s = &t.area[a];

		ccon_strbuf_printf(&sb, "%s %d/%u/%u,%u,%u %d/%u/%u,%u,%u %x\n",
		                   ccon_theme_area_name((enum ccon_theme_area)a), (int)s->fg.kind, s->fg.index, s->fg.r, s->fg.g,
		                   s->fg.b, (int)s->bg.kind, s->bg.index, s->bg.r, s->bg.g, s->bg.b,
		                   s->attrs);
	}
	fi_resume();
	put_text(o, &sb);
}

/* ------------------------------------------------------------ the table */

static char *read_whole(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *b = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (b = malloc((size_t)n + 1)) && fread(b, 1, (size_t)n, f) == (size_t)n) {
		b[n] = '\0';
		*len = (size_t)n;
	} else {
		free(b);
		b = NULL;
	}
	fclose(f);
	return b;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct lib_case *lib_cases(size_t *n)
{
	struct lib_case *c = calloc(N_MODES + 4 + MODEL_CASES, sizeof(*c));
	bool seen[N_MODES] = { false };
	char path[1024], *names[256];
	size_t k = 0, n_names = 0;
	struct dirent *e;
	DIR *d;

	csv_path = fi_strdup_printf("%s/faultinj.csv", fi_scratch);
	settings_path = fi_strdup_printf("%s/faultinj.conf", fi_scratch);
	theme_path = fi_strdup_printf("%s/default.theme", fi_themes_dir);
	if (!c || write_file(csv_path, csv_text, 0644) < 0 ||
	    write_file(settings_path, settings_text, 0600) < 0) {
		fprintf(stderr, "faultinj: cannot write the inputs in %s\n", fi_scratch);
		free(c);
		return NULL;
	}
	c[k++] = (struct lib_case){ "CSV import (seed 001 example 1, rows with errors)", run_csv,
		                    NULL, csv_plans, sizeof(csv_plans) / sizeof(csv_plans[0]) };
	c[k++] = (struct lib_case){ "configuration file", run_settings, NULL, settings_plans,
		                    sizeof(settings_plans) / sizeof(settings_plans[0]) };
	c[k++] = (struct lib_case){ "theme file (themes/default.theme)", run_theme, NULL,
		                    theme_plans, sizeof(theme_plans) / sizeof(theme_plans[0]) };
	if (model_cases(&c[k]) != MODEL_CASES) {
		lib_cases_free(c, k);
		return NULL;
	}
	k += MODEL_CASES;

	/* one corpus file per decoder, the first by name */
	snprintf(path, sizeof(path), "%s/fuzz_json_decoders", fi_corpus_dir);
	d = opendir(path);
	if (!d) {
		fprintf(stderr, "faultinj: cannot open %s\n", path);
		lib_cases_free(c, k);
		return NULL;
	}
	while ((e = readdir(d)) && n_names < 256)
		if (e->d_name[0] != '.')
			names[n_names++] = strdup(e->d_name);
	closedir(d);
	qsort(names, n_names, sizeof(names[0]), by_name);
	for (size_t i = 0; i < n_names; i++) {
		struct json_input *in;
		size_t len;
		char *raw;

		snprintf(path, sizeof(path), "%s/fuzz_json_decoders/%s", fi_corpus_dir, names[i]);
		raw = read_whole(path, &len);
		if (raw && len > 1 && !seen[(unsigned char)raw[0] % N_MODES] &&
		    (unsigned char)raw[0] % N_MODES <= MODE_RELAXED && (in = calloc(1, sizeof(*in)))) {
			in->mode = (unsigned char)raw[0] % N_MODES;
			seen[in->mode] = true;
			in->len = len - 1;
			in->text = malloc(len);
			memcpy(in->text, raw + 1, len);
			c[k].run = run_json;
			c[k].arg = in;
			c[k].plans = json_plans;
			c[k].n_plans = 1;
			snprintf(c[k].name, sizeof(c[k].name), "JSON %s (corpus %s)",
			         in->mode == MODE_RELAXED ? "relaxed reader" : rounds[in->mode].name,
			         names[i]);
			k++;
		}
		free(raw);
		free(names[i]);
	}
	*n = k;
	return c;
}

void lib_cases_free(struct lib_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (c[i].run == run_json) {
			struct json_input *in = (struct json_input *)c[i].arg;

			free(in->text);
			free(in);
		}
	free(c);
	model_cases_free();
	if (csv_path)
		unlink(csv_path);
	if (settings_path)
		unlink(settings_path);
	free(csv_path);
	free(settings_path);
	free(theme_path);
}
