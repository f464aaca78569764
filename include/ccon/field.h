/* ccon/field.h - owned name/value pairs (customFields, messageParams,
 * contextVariables, CSV layout fields). */
#ifndef CCON_FIELD_H
#define CCON_FIELD_H

#include <ccon/error.h>
#include <ccon/strbuf.h>

#include <stddef.h>

struct ccon_field {
	char *name;
	char *value;
};

struct ccon_fields {
	struct ccon_field *items;
	size_t count;
	size_t cap;
};

#define CCON_FIELDS_INIT { NULL, 0, 0 }
#define CCON_FIELDS_NONE ((size_t)-1)

/* Appends copies of name and value[0..value_len). 0 or -1 on ENOMEM. */
int ccon_fields_add(struct ccon_fields *f, const char *name, const char *value, size_t value_len);
/* The value of the first field with that name, or NULL. */
const char *ccon_fields_get(const struct ccon_fields *f, const char *name);
void ccon_fields_free(struct ccon_fields *f);
/* The index of the first field with that name, or CCON_FIELDS_NONE. */
size_t ccon_fields_index(const struct ccon_fields *f, const char *name);
/* Field i's value becomes a copy of value. 0, or -1 on ENOMEM (unchanged). */
int ccon_fields_replace(struct ccon_fields *f, size_t i, const char *value);
/* Removes field i; the others keep their order. */
void ccon_fields_remove(struct ccon_fields *f, size_t i);
/* The first field with that name gets value (added at the end when there is
 * none); value NULL removes it. 0 or -1 on ENOMEM. */
int ccon_fields_set(struct ccon_fields *f, const char *name, const char *value);

/* Fields typed on one line, as the console takes contextVariables:
 * "cpf=123; plan=gold; ctx={"a":1}". Pairs are split at ';' with blanks
 * around names and values dropped; a value that starts with { or [ runs to
 * the end of its JSON (so it may hold ';') and is kept as JSON text, as the
 * codec keeps complex variables. Blank text is no field. A name is given
 * once (nor may it be in out already). Fields are appended to out; on -1,
 * CCON_E_JSON_VALUE with err->column the character (1-based) where it went
 * wrong, or CCON_E_NOMEM; out may then hold the fields before it. */
int ccon_fields_parse_pairs(const char *text, struct ccon_fields *out, struct ccon_error *err);
/* The reverse: "name=value; name=value" appended to sb. 0 or -1 on ENOMEM. */
int ccon_fields_format_pairs(const struct ccon_fields *f, struct ccon_strbuf *sb);

#endif
