#include "config.h"

#include "server_conf.h"

#include "store.h"

#include <ccon/codec_campaign_def.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((format(printf, 4, 5)))
static int at(struct ccon_error *err, size_t line, size_t col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ccon_error_vset(err, CCON_E_SLOTS_INVALID, fmt, ap);
	va_end(ap);
	ccon_error_at_line(err, (long)line, (long)col);
	return -1;
}

static const char *skip_space(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/* A whole number in [lo, hi] at *p; moves *p past it. */
static int number(const char **p, const char *end, long long lo, long long hi, long long *out)
{
	char buf[24];
	size_t n = 0;
	char *stop;

	while (*p + n < end && (*p)[n] >= '0' && (*p)[n] <= '9' && n < sizeof(buf) - 1)
		n++;
	if (n == 0 || (*p + n < end && (*p)[n] >= '0' && (*p)[n] <= '9'))
		return -1;
	memcpy(buf, *p, n);
	buf[n] = '\0';
	errno = 0;
	*out = strtoll(buf, &stop, 10);
	if (errno || *out < lo || *out > hi)
		return -1;
	*p += n;
	return 0;
}

/* "[slots]" or "[slots ID]" */
static int section(const char *p, const char *end, size_t line, int64_t *app_id,
                   struct ccon_error *err)
{
	const char *start = p;
	long long id = 0;

	p = skip_space(p + 1, end);
	if ((size_t)(end - p) < 5 || memcmp(p, "slots", 5) != 0)
		return at(err, line, (size_t)(p - start) + 1, "%s", "unknown section: only [slots] "
		          "and [slots APP_ID] exist");
	p = skip_space(p + 5, end);
	if (p < end && *p != ']') {
		const char *num = p;

		if (number(&p, end, 1, INT64_MAX, &id) < 0)
			return at(err, line, (size_t)(num - start) + 1, "%s",
			          "an application id is a whole number above 0");
		p = skip_space(p, end);
	}
	if (p >= end || *p != ']' || skip_space(p + 1, end) != end)
		return at(err, line, (size_t)(p - start) + 1, "%s", "a section ends with ']'");
	*app_id = id;
	return 0;
}

static int push(struct server_conf *conf, const struct server_conf_slot *s,
                struct ccon_error *err)
{
	struct server_conf_slot *n;

	for (size_t i = 0; i < conf->n_slots; i++)
		if (conf->slots[i].app_id == s->app_id && strcmp(conf->slots[i].channel, s->channel) == 0) {
			conf->slots[i] = *s;   /* the last line wins, as in most config files */
			return 0;
		}
	n = realloc(conf->slots, (conf->n_slots + 1) * sizeof(*n));
	if (!n)
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	conf->slots = n;
	conf->slots[conf->n_slots++] = *s;
	return 0;
}

/* "CHANNEL = LENGTH CAPACITY" */
static int entry(const char *p, const char *end, size_t line, int64_t app_id,
                 struct server_conf *conf, struct ccon_error *err)
{
	const char *start = p, *name = p;
	struct server_conf_slot s = { .app_id = app_id };
	enum ccon_rest_channel ch;
	char word[16];
	long long length, capacity;
	size_t n;

	while (p < end && *p != '=' && *p != ' ' && *p != '\t')
		p++;
	n = (size_t)(p - name);
	if (n == 0 || n >= sizeof(word))
		return at(err, line, 1, "%s", "expected CHANNEL = LENGTH_SECONDS CAPACITY");
	memcpy(word, name, n);
	word[n] = '\0';
	if (ccon_rest_channel_parse(word, &ch) < 0)
		return at(err, line, 1, "unknown channel '%s' (whatsapp, sms or rcs)", word);
	snprintf(s.channel, sizeof(s.channel), "%s", ccon_rest_channel_name(ch));
	p = skip_space(p, end);
	if (p >= end || *p != '=')
		return at(err, line, (size_t)(p - start) + 1, "%s", "expected '=' after the channel");
	p = skip_space(p + 1, end);
	if (number(&p, end, 1, SLOT_LENGTH_MAX_S, &length) < 0)
		return at(err, line, (size_t)(p - start) + 1, "%s", "a slot lasts a whole number of "
		          "seconds, 1 to 86400");
	if (p >= end || (*p != ' ' && *p != '\t'))
		return at(err, line, (size_t)(p - start) + 1, "%s", "expected the capacity after the "
		          "slot length");
	p = skip_space(p, end);
	if (number(&p, end, 1, SLOT_CAPACITY_MAX, &capacity) < 0)
		return at(err, line, (size_t)(p - start) + 1, "%s", "capacity is a whole number of "
		          "messages, 1 to 1000000000");
	if (skip_space(p, end) != end)
		return at(err, line, (size_t)(p - start) + 1, "%s", "unexpected text after the capacity");
	s.cfg.length_us = length * INT64_C(1000000);
	s.cfg.capacity = capacity;
	return push(conf, &s, err);
}

int server_conf_parse(const char *text, size_t len, struct server_conf *out,
                      struct ccon_error *err)
{
	const char *p = text, *end = text + len;
	int64_t app_id = -1;       /* -1: before any section */
	size_t line = 0;

	memset(out, 0, sizeof(*out));
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p)), *stop, *s;
		int rc = 0;

		eol = eol ? eol : end;
		line++;
		stop = memchr(p, '#', (size_t)(eol - p));
		stop = stop ? stop : eol;
		while (stop > p && (stop[-1] == ' ' || stop[-1] == '\t' || stop[-1] == '\r'))
			stop--;
		s = skip_space(p, stop);
		if (s < stop && *s == '[')
			rc = section(s, stop, line, &app_id, err);
		else if (s < stop && app_id < 0)
			rc = at(err, line, (size_t)(s - p) + 1, "%s", "a setting before any section "
			        "(start with [slots])");
		else if (s < stop)
			rc = entry(s, stop, line, app_id, out, err);
		if (rc < 0) {
			if (s > p && err->column)
				err->column += (long)(s - p);
			server_conf_free(out);
			return -1;
		}
		p = eol < end ? eol + 1 : end;
	}
	return 0;
}

int server_conf_load(const char *path, bool required, struct server_conf *out,
                     struct ccon_error *err)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!f) {
		if (errno == ENOENT && !required)
			return 0;
		return ccon_error_set(err, CCON_E_IO, "%s: %s", path, strerror(errno));
	}
	do {
		if (len + 4096 > cap) {
			char *b = realloc(buf, cap = cap ? 2 * cap : 8192);

			if (!b) {
				free(buf);
				fclose(f);
				return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
			}
			buf = b;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0 && len < (size_t)1 << 20);
	rc = ferror(f) ? ccon_error_set(err, CCON_E_IO, "%s: read error", path) : 0;
	fclose(f);
	if (rc == 0 && len >= (size_t)1 << 20)
		rc = ccon_error_set(err, CCON_E_IO, "%s: larger than 1 MiB", path);
	if (rc == 0 && server_conf_parse(buf, len, out, err) < 0) {
		char msg[CCON_ERROR_MESSAGE_MAX];

		snprintf(msg, sizeof(msg), "%s", err->message);
		ccon_error_set(err, err->code, "%s:%ld:%ld: %s", path, err->line, err->column, msg);
		rc = -1;
	}
	free(buf);
	return rc;
}

int server_conf_apply(sqlite3 *db, const struct server_conf *conf, struct ccon_error *err)
{
	sqlite3_stmt *st;
	int rc = SQLITE_DONE;

	if (store_begin(db, err) < 0)
		return -1;
	if (sqlite3_exec(db, "DELETE FROM slot_defaults", NULL, NULL, NULL) != SQLITE_OK ||
	    store_prepare(db, "INSERT INTO slot_defaults(app_id, channel, length_us, capacity) "
	                      "VALUES (?1, ?2, ?3, ?4)", &st) != SQLITE_OK) {
		store_fail(db, err, "storing the configuration file's slots");
		store_rollback(db);
		return -1;
	}
	for (size_t i = 0; i < conf->n_slots && rc == SQLITE_DONE; i++) {
		sqlite3_bind_int64(st, 1, conf->slots[i].app_id);
		sqlite3_bind_text(st, 2, conf->slots[i].channel, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, conf->slots[i].cfg.length_us);
		sqlite3_bind_int64(st, 4, conf->slots[i].cfg.capacity);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
	}
	store_done(st);
	if (rc != SQLITE_DONE) {
		store_fail(db, err, "storing the configuration file's slots");
		store_rollback(db);
		return -1;
	}
	return store_commit(db, err);
}

void server_conf_free(struct server_conf *conf)
{
	free(conf->slots);
	conf->slots = NULL;
	conf->n_slots = 0;
}
