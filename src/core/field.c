#include "config.h"

#include <ccon/field.h>

#include <stdlib.h>
#include <string.h>

int ccon_fields_add(struct ccon_fields *f, const char *name, const char *value, size_t value_len)
{
	struct ccon_field *items;
	char *n, *v;

	if (f->count == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 4;

		items = realloc(f->items, cap * sizeof(*items));
		if (!items)
			return -1;
		f->items = items;
		f->cap = cap;
	}
	n = strdup(name);
	v = malloc(value_len + 1);
	if (!n || !v) {
		free(n);
		free(v);
		return -1;
	}
	memcpy(v, value, value_len);
	v[value_len] = '\0';
	f->items[f->count].name = n;
	f->items[f->count].value = v;
	f->count++;
	return 0;
}

const char *ccon_fields_get(const struct ccon_fields *f, const char *name)
{
	for (size_t i = 0; i < f->count; i++)
		if (strcmp(f->items[i].name, name) == 0)
			return f->items[i].value;
	return NULL;
}

void ccon_fields_free(struct ccon_fields *f)
{
	for (size_t i = 0; i < f->count; i++) {
		free(f->items[i].name);
		free(f->items[i].value);
	}
	free(f->items);
	f->items = NULL;
	f->count = f->cap = 0;
}
