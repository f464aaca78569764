#include "config.h"

#include <ccon/template.h>

#include <ccon/utf8.h>

#include <stdlib.h>
#include <string.h>

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int syntax_error(const char *tmpl, const char *open, const char *why,
                        struct ccon_error *err)
{
	size_t pos = ccon_utf8_length(tmpl, (size_t)(open - tmpl)) + 1;

	ccon_error_at_column(err, (long)pos);
	ccon_error_set(err, CCON_E_TEMPLATE_SYNTAX, "the placeholder \"{{\" at character %zu %s", pos,
	               why);
	return -1;
}

int ccon_template_next(const char *tmpl, size_t *pos, struct ccon_template_token *tok,
                       struct ccon_error *err)
{
	const char *p = tmpl + *pos, *open, *close, *name, *end;

	tok->offset = *pos;
	if (!*p) {
		tok->kind = CCON_TEMPLATE_END;
		tok->start = NULL;
		tok->len = 0;
		return 0;
	}
	open = strstr(p, "{{");
	if (open != p) {
		tok->kind = CCON_TEMPLATE_TEXT;
		tok->start = p;
		tok->len = open ? (size_t)(open - p) : strlen(p);
		*pos += tok->len;
		return 0;
	}
	close = strstr(open + 2, "}}");
	if (!close)
		return syntax_error(tmpl, open, "has no closing \"}}\"", err);
	name = open + 2;
	end = close;
	while (name < end && is_blank(*name))
		name++;
	while (end > name && is_blank(end[-1]))
		end--;
	if (name == end)
		return syntax_error(tmpl, open, "has no variable name", err);
	if (memchr(name, '{', (size_t)(end - name)) || memchr(name, '}', (size_t)(end - name)))
		return syntax_error(tmpl, open,
		                    "has a brace inside its name (is a \"}}\" missing?)", err);
	tok->kind = CCON_TEMPLATE_VARIABLE;
	tok->start = name;
	tok->len = (size_t)(end - name);
	*pos = (size_t)(close + 2 - tmpl);
	return 0;
}

bool ccon_template_vars_has(const struct ccon_template_vars *vars, const char *name, size_t len)
{
	for (size_t i = 0; i < vars->count; i++)
		if (strlen(vars->names[i]) == len && memcmp(vars->names[i], name, len) == 0)
			return true;
	return false;
}

/* Adds name[0..len) unless present. 0, or -1 out of memory. */
static int vars_add(struct ccon_template_vars *vars, const char *name, size_t len)
{
	char **names, *copy;

	if (ccon_template_vars_has(vars, name, len))
		return 0;
	copy = malloc(len + 1);
	if (!copy)
		return -1;
	memcpy(copy, name, len);
	copy[len] = '\0';
	names = realloc(vars->names, (vars->count + 1) * sizeof(*names));
	if (!names) {
		free(copy);
		return -1;
	}
	names[vars->count++] = copy;
	vars->names = names;
	return 0;
}

void ccon_template_vars_free(struct ccon_template_vars *vars)
{
	if (!vars)
		return;
	for (size_t i = 0; i < vars->count; i++)
		free(vars->names[i]);
	free(vars->names);
	vars->names = NULL;
	vars->count = 0;
}

int ccon_template_variables(const char *tmpl, struct ccon_template_vars *out,
                            struct ccon_error *err)
{
	struct ccon_template_token tok;
	size_t pos = 0;

	out->names = NULL;
	out->count = 0;
	for (;;) {
		if (ccon_template_next(tmpl, &pos, &tok, err) < 0)
			goto fail;
		if (tok.kind == CCON_TEMPLATE_END)
			return 0;
		if (tok.kind == CCON_TEMPLATE_VARIABLE && vars_add(out, tok.start, tok.len) < 0) {
			ccon_error_set(err, CCON_E_NOMEM, "out of memory");
			goto fail;
		}
	}
fail:
	ccon_template_vars_free(out);
	return -1;
}

/* "missing variables: a, b" within the message size, "... and N more" when
 * the names do not all fit. */
static int missing_error(const struct ccon_template_vars *missing, long column,
                         struct ccon_error *err)
{
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	/* room for ", ... and 99999 more" and the NUL */
	const size_t room = CCON_ERROR_MESSAGE_MAX - 24;
	size_t shown = 0;
	int ok;

	ok = ccon_strbuf_puts(&sb, missing->count == 1 ? "missing variable: " :
	                                                 "missing variables: ") == 0;
	for (; ok && shown < missing->count; shown++) {
		size_t len = strlen(missing->names[shown]);

		if (sb.len + 2 + len > room)
			break;
		ok = ccon_strbuf_printf(&sb, "%s%s", shown ? ", " : "", missing->names[shown]) == 0;
	}
	if (ok && shown < missing->count)
		ok = ccon_strbuf_printf(&sb, "%s... and %zu more", shown ? ", " : "",
		                        missing->count - shown) == 0;
	ccon_error_at_column(err, column);
	if (!ok)
		ccon_error_set(err, CCON_E_TEMPLATE_MISSING_VARIABLE, "%zu missing variables",
		               missing->count);
	else
		ccon_error_set(err, CCON_E_TEMPLATE_MISSING_VARIABLE, "%s", sb.buf);
	ccon_strbuf_free(&sb);
	return -1;
}

int ccon_template_render(const char *tmpl, ccon_template_lookup_fn lookup, void *ctx,
                         struct ccon_strbuf *out, struct ccon_error *err)
{
	struct ccon_template_vars missing = { NULL, 0 };
	struct ccon_template_token tok;
	size_t pos = 0, old_len = out->len;
	long first_missing = 0;
	int rc = 0;

	for (;;) {
		const char *value = NULL;

		if (ccon_template_next(tmpl, &pos, &tok, err) < 0) {
			rc = -1;
			break;
		}
		if (tok.kind == CCON_TEMPLATE_END)
			break;
		if (tok.kind == CCON_TEMPLATE_TEXT) {
			if (ccon_strbuf_append(out, tok.start, tok.len) < 0)
				goto nomem;
			continue;
		}
		if (lookup)
			value = lookup(ctx, tok.start, tok.len);
		if (value) {
			if (ccon_strbuf_puts(out, value) < 0)
				goto nomem;
			continue;
		}
		if (!first_missing)
			first_missing = (long)ccon_utf8_length(tmpl, tok.offset) + 1;
		if (vars_add(&missing, tok.start, tok.len) < 0)
			goto nomem;
	}
	if (rc == 0 && missing.count)
		rc = missing_error(&missing, first_missing, err);
	goto done;
nomem:
	rc = ccon_error_set(err, CCON_E_NOMEM, "out of memory");
done:
	ccon_template_vars_free(&missing);
	if (rc < 0)
		ccon_strbuf_truncate(out, old_len);
	return rc;
}

static bool field_listed(const char *const *fields, size_t n, const char *name, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (fields[i] && strlen(fields[i]) == len && memcmp(fields[i], name, len) == 0)
			return true;
	return false;
}

static void list_append(struct ccon_strbuf *sb, size_t *listed, const char *name)
{
	if (sb) {
		if (*listed)
			ccon_strbuf_puts(sb, ", ");
		ccon_strbuf_puts(sb, name);
	}
	(*listed)++;
}

size_t ccon_template_compare(const struct ccon_template_vars *vars, const char *const *fields,
                             size_t n_fields, struct ccon_strbuf *missing,
                             struct ccon_strbuf *unknown)
{
	size_t n_missing = 0, n_unknown = 0;

	for (size_t i = 0; i < vars->count; i++)
		if (!field_listed(fields, n_fields, vars->names[i], strlen(vars->names[i])))
			list_append(missing, &n_missing, vars->names[i]);
	for (size_t i = 0; i < n_fields; i++) {
		size_t len;

		if (!fields[i])
			continue;
		len = strlen(fields[i]);
		if (!ccon_template_vars_has(vars, fields[i], len) &&
		    !field_listed(fields, i, fields[i], len))
			list_append(unknown, &n_unknown, fields[i]);
	}
	return n_missing;
}
