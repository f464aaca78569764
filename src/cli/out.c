/* out.c - what the subcommands print: JSON for programs, text and errors
 * for people, and nothing from outside unsanitised. */
#include "config.h"

#include "cmd.h"
#include "jsonesc.h"

#include <ccon/sanitize.h>

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_put_safe(struct ccon_strbuf *sb, const char *s)
{
	return ccon_sanitize_append(sb, s ? s : "", s ? strlen(s) : 0, 0);
}

cJSON *cli_error_json(const struct ccon_error *err)
{
	cJSON *o = cJSON_CreateObject();

	if (!o || !cJSON_AddStringToObject(o, "code", ccon_errc_name(err->code)) ||
	    !cJSON_AddStringToObject(o, "message", err->message) ||
	    (err->path[0] && !cJSON_AddStringToObject(o, "path", err->path)) ||
	    (err->line && !cJSON_AddNumberToObject(o, "line", (double)err->line)) ||
	    (err->column && !cJSON_AddNumberToObject(o, "column", (double)err->column))) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

int cli_error(struct cli *cli, int code, long status, const char *what,
              const struct ccon_error *err)
{
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	char where[CCON_ERROR_MESSAGE_MAX + CCON_ERROR_PATH_MAX + 64];

	ccon_error_format(err, where, sizeof(where));
	ccon_strbuf_printf(&sb, "ccon %s: ", cli->name);
	if (what)
		ccon_strbuf_printf(&sb, "%s: ", what);
	if (status >= 400)
		ccon_strbuf_printf(&sb, "the server answered %ld: ", status);
	cli_put_safe(&sb, where);
	fprintf(stderr, "%s\n", sb.buf ? sb.buf : "ccon: out of memory");
	ccon_strbuf_free(&sb);
	if (cli->a.json) {
		cJSON *doc = cJSON_CreateObject(), *e = cli_error_json(err);

		if (doc && e) {
			cJSON_AddStringToObject(e, "exit", cli_exit_name(code));
			if (status)
				cJSON_AddNumberToObject(e, "status", (double)status);
			cJSON_AddItemToObject(doc, "error", e);
			cli_print_json(doc);
		} else {
			cJSON_Delete(doc);
			cJSON_Delete(e);
		}
	}
	return code;
}

int cli_print_json(cJSON *doc)
{
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	char *text = cJSON_Print(doc);
	int rc = 1;

	cJSON_Delete(doc);
	if (text && cli_json_escape(text, strlen(text), &sb) == 0 && ccon_strbuf_putc(&sb, '\n') == 0)
		rc = cli_print_text(&sb);
	cJSON_free(text);
	ccon_strbuf_free(&sb);
	if (rc)
		fprintf(stderr, "ccon: out of memory or standard output failed\n");
	return rc;
}

int cli_print_text(const struct ccon_strbuf *sb)
{
	if (sb->len && fwrite(sb->buf, 1, sb->len, stdout) != sb->len)
		return 1;
	return fflush(stdout) == 0 ? 0 : 1;
}

int cli_parse_id(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (!s || *s < '0' || *s > '9')
		return -1;
	v = strtoll(s, &end, 10);
	if (*end || v < 1 || v == LLONG_MAX)
		return -1;
	*out = v;
	return 0;
}
