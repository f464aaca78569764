/* ccon/field.h - owned name/value pairs (customFields, messageParams,
 * contextVariables, CSV layout fields). */
#ifndef CCON_FIELD_H
#define CCON_FIELD_H

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

/* Appends copies of name and value[0..value_len). 0 or -1 on ENOMEM. */
int ccon_fields_add(struct ccon_fields *f, const char *name, const char *value, size_t value_len);
/* The value of the first field with that name, or NULL. */
const char *ccon_fields_get(const struct ccon_fields *f, const char *name);
void ccon_fields_free(struct ccon_fields *f);

#endif
