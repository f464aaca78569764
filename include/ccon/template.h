/* ccon/template.h - {{variable}} templates: message bodies and layouts.
 *
 * A placeholder is "{{" name "}}" with optional blanks (space, tab, CR, LF)
 * inside the braces; the name is everything between them, trimmed, and must
 * be non-empty and contain no '{' or '}'. Any other character is part of the
 * name: seed 002's "context.variableName", "variableName@companyId", "first
 * name" and "ticket-id" are plain names. A lone "{" or "}", and "}}" with no
 * "{{" before it, are literal text. "{{" without a closing "}}", "{{}}",
 * "{{  }}" and a brace inside a name ("{{{x}}}") are syntax errors. There is
 * no escape for a literal "{{".
 *
 * Positions in errors (err->column) are 1-based characters (UTF-8 code
 * points, an invalid byte counting one) of the whole template.
 */
#ifndef CCON_TEMPLATE_H
#define CCON_TEMPLATE_H

#include <ccon/error.h>
#include <ccon/strbuf.h>

#include <stdbool.h>
#include <stddef.h>

enum ccon_template_token_kind { CCON_TEMPLATE_TEXT, CCON_TEMPLATE_VARIABLE, CCON_TEMPLATE_END };

struct ccon_template_token {
	enum ccon_template_token_kind kind;
	const char *start; /* text, or the variable name (trimmed); END: NULL */
	size_t len;
	size_t offset;     /* 0-based byte offset of the token (a variable's "{{") */
};

/* Tokeniser: call with *pos = 0, then repeatedly until kind END. -1 with
 * CCON_E_TEMPLATE_SYNTAX (err->column = 1-based position of the "{{"). */
int ccon_template_next(const char *tmpl, size_t *pos, struct ccon_template_token *tok,
                       struct ccon_error *err);

/* Variable names in order of first appearance, without duplicates (names
 * compare byte for byte). On error out is left empty. */
struct ccon_template_vars {
	char **names;
	size_t count;
};

int ccon_template_variables(const char *tmpl, struct ccon_template_vars *out,
                            struct ccon_error *err);
void ccon_template_vars_free(struct ccon_template_vars *vars);
bool ccon_template_vars_has(const struct ccon_template_vars *vars, const char *name, size_t len);

/* Returns the value of a variable, or NULL when it has none. */
typedef const char *(*ccon_template_lookup_fn)(void *ctx, const char *name, size_t len);

/* Appends the rendered template to out (values are inserted as they are).
 * Every variable without a value is reported at once, each name once:
 * CCON_E_TEMPLATE_MISSING_VARIABLE, message "missing variables: name,
 * ticketId" (a list too long for the message ends "... and N more"),
 * err->column at the first one. On any error out is left as it was. A NULL
 * lookup has no values. */
int ccon_template_render(const char *tmpl, ccon_template_lookup_fn lookup, void *ctx,
                         struct ccon_strbuf *out, struct ccon_error *err);

/* Compares the fields a recipient carries with what the template uses:
 * missing = template variables with no field (in template order), unknown =
 * fields the template does not use (in field order, each once); each
 * appended to its buffer as "a, b" (either buffer may be NULL; NULL entries
 * of fields are skipped). Returns the number of missing variables (unknown
 * ones are a warning, not a failure). */
size_t ccon_template_compare(const struct ccon_template_vars *vars, const char *const *fields,
                             size_t n_fields, struct ccon_strbuf *missing,
                             struct ccon_strbuf *unknown);

#endif
