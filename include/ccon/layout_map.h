/* ccon/layout_map.h - the layout mapping the console's CSV preview edits.
 *
 * A mapping holds, for each value of a seed 001 layout (layout.h), what the
 * operator chose for it, against the columns of one CSV header:
 *
 *   slot 0  contact.contactCode    a column, or a fixed value
 *   slot 1  contact.channelType    a column, or a fixed channel ("cloud_api")
 *   slot 2+ customFields.<name>    a column, or a fixed value, one per field
 *
 * A value is one of: unset, "column X" (the layout's "{{X}}"), "fixed V"
 * (literal text) or "template T" (text mixing literal text and placeholders
 * as loaded from a layout file, "+34{{phone}}", kept as written so a load
 * and a save give it back unchanged). Values are never a second layout
 * codec: ccon_layout_map_build makes a struct ccon_layout with layout.h's
 * builder, the JSON comes from ccon_layout_encode, a load goes through
 * ccon_layout_parse, and a row is resolved through ccon_layout_bind and the
 * importer's rules (csv_import.h): channelType checked first, then the
 * contactCode for that channel, then each custom field's length.
 *
 * A new mapping guesses: contactCode maps the column named "contactCode"
 * (any letter case) when there is one; channelType maps a "channelType"
 * column, else is fixed to "cloud_api"; each campaign template variable
 * becomes a custom field mapped to the column of its name when there is one
 * (else unset). Extra custom fields can be added and any removed.
 */
#ifndef CCON_LAYOUT_MAP_H
#define CCON_LAYOUT_MAP_H

#include <ccon/contact.h>
#include <ccon/error.h>
#include <ccon/layout.h>
#include <ccon/strbuf.h>
#include <ccon/template.h>

#include <stdbool.h>
#include <stddef.h>

enum ccon_map_kind {
	CCON_MAP_UNSET = 0,
	CCON_MAP_COLUMN,     /* text: a column name */
	CCON_MAP_FIXED,      /* text: literal text (no placeholder) */
	CCON_MAP_TEMPLATE,   /* text: a template as written */
};

enum { CCON_MAP_CONTACT_CODE = 0, CCON_MAP_CHANNEL_TYPE = 1, CCON_MAP_FIRST_CUSTOM = 2 };

struct ccon_map_value {
	enum ccon_map_kind kind;
	char *text;          /* NULL when unset */
};

struct ccon_layout_map;

/* columns: the CSV header (n_columns may be 0); vars: the campaign's
 * template variables, NULL or empty when none or unknown. Both copied. */
int ccon_layout_map_new(const char *const *columns, size_t n_columns,
                        const struct ccon_template_vars *vars, struct ccon_layout_map **out,
                        struct ccon_error *err);
void ccon_layout_map_free(struct ccon_layout_map *m);

/* The header again (the preview's delimiter or header mode changed):
 * values keep naming their columns. */
int ccon_layout_map_set_columns(struct ccon_layout_map *m, const char *const *columns,
                                size_t n_columns, struct ccon_error *err);
const char *const *ccon_layout_map_columns(const struct ccon_layout_map *m, size_t *n);
/* The index of a column name in the header (the first of a repeated name),
 * or (size_t)-1. */
size_t ccon_layout_map_column_index(const struct ccon_layout_map *m, const char *name);

/* 2 + the number of custom fields. */
size_t ccon_layout_map_slots(const struct ccon_layout_map *m);
const struct ccon_map_value *ccon_layout_map_value(const struct ccon_layout_map *m, size_t slot);
/* "contactCode", "channelType" or the custom field's name. */
const char *ccon_layout_map_name(const struct ccon_layout_map *m, size_t slot);
/* The layout path: "contact.contactCode", "customFields.age". Returns buf. */
const char *ccon_layout_map_path(const struct ccon_layout_map *m, size_t slot, char *buf,
                                 size_t size);
/* true when the custom field came from a campaign template variable. */
bool ccon_layout_map_is_variable(const struct ccon_layout_map *m, size_t slot);

/* Maps the slot to a column of the header by index. */
int ccon_layout_map_set_column(struct ccon_layout_map *m, size_t slot, size_t column,
                               struct ccon_error *err);
/* Sets the slot from text as typed: "{{x}}" alone is column x, text without
 * placeholders a fixed value, a mix a template. What ccon_layout_map_check
 * refuses is refused (nothing changes). */
int ccon_layout_map_set_text(struct ccon_layout_map *m, size_t slot, const char *text,
                             struct ccon_error *err);
/* A fixed value, taken literally: text holding "{{" is refused, since the
 * layout would read it as a placeholder. */
int ccon_layout_map_set_fixed(struct ccon_layout_map *m, size_t slot, const char *text,
                              struct ccon_error *err);
void ccon_layout_map_unset(struct ccon_layout_map *m, size_t slot);
/* Checks text for the slot as it is typed, without changing anything:
 * template syntax (CCON_E_TEMPLATE_SYNTAX with err->column), empty text for
 * contactCode/channelType (CCON_E_LAYOUT_INVALID), a fixed channelType that
 * is no channel (CCON_E_CHANNEL_TYPE), a fixed custom value over
 * CCON_CUSTOM_FIELD_VALUE_MAX bytes or not UTF-8 (CCON_E_CUSTOM_FIELD_VALUE).
 * err->path is the slot's layout path. */
int ccon_layout_map_check(const struct ccon_layout_map *m, size_t slot, const char *text,
                          struct ccon_error *err);

/* The campaign's template variables, known later than the header (the
 * preview opened before the campaign was chosen, or another campaign
 * chosen): each variable without a custom field of its name gets one, at
 * the end, guessed as ccon_layout_map_new does (the column of its name, any
 * letter case, else unset); fields already there keep their values, and a
 * variable that cannot name a custom field is only reported by
 * ccon_layout_map_missing_vars. vars NULL or empty: no variables. Copied.
 * On error nothing changes. */
int ccon_layout_map_set_vars(struct ccon_layout_map *m, const struct ccon_template_vars *vars,
                             struct ccon_error *err);
/* The slot of the custom field named name, or (size_t)-1. */
size_t ccon_layout_map_field(const struct ccon_layout_map *m, const char *name);

/* Adds an unset custom field at the end; its slot in *slot (may be NULL).
 * A bad or repeated name is CCON_E_CUSTOM_FIELD_NAME. */
int ccon_layout_map_add_field(struct ccon_layout_map *m, const char *name, size_t *slot,
                              struct ccon_error *err);
/* Removes custom field slot (>= CCON_MAP_FIRST_CUSTOM). */
int ccon_layout_map_remove_field(struct ccon_layout_map *m, size_t slot, struct ccon_error *err);

/* The campaign variables no custom field is named after, "a, b" (empty
 * when none). Returns how many. */
size_t ccon_layout_map_missing_vars(const struct ccon_layout_map *m, struct ccon_strbuf *out);

/* The layout of the mapping. An unset slot is CCON_E_LAYOUT_INVALID at its
 * path ("customFields.age: choose a column or a fixed value"). */
int ccon_layout_map_build(const struct ccon_layout_map *m, struct ccon_layout *out,
                          struct ccon_error *err);
/* Its JSON text, pretty-printed (pretty) or compact; the caller frees. */
int ccon_layout_map_json(const struct ccon_layout_map *m, bool pretty, char **out,
                         struct ccon_error *err);

/* Replaces every slot with those of a layout (the campaign variables are
 * kept for ccon_layout_map_missing_vars). On error nothing changes. */
int ccon_layout_map_load(struct ccon_layout_map *m, const struct ccon_layout *layout,
                         struct ccon_error *err);
int ccon_layout_map_load_text(struct ccon_layout_map *m, const char *text, size_t len,
                              struct ccon_error *err);

/* Layout files (JSON, at most 1 MiB): the save writes a temporary file
 * next to path and renames it; CCON_E_IO names the path and the reason. */
int ccon_layout_map_save_file(const struct ccon_layout_map *m, const char *path,
                              struct ccon_error *err);
int ccon_layout_map_load_file(struct ccon_layout_map *m, const char *path,
                              struct ccon_error *err);

/* One CSV row through the mapping. */
struct ccon_map_resolved {
	char *value;              /* the slot's value for the row; NULL when it
	                           * could not be computed */
	size_t len;
	struct ccon_error err;    /* CCON_E_OK when the value is good */
};

struct ccon_map_row {
	struct ccon_map_resolved *slots;   /* ccon_layout_map_slots entries */
	size_t n_slots;
	size_t n_errors;                   /* slots with an error, plus row_err */
	struct ccon_error row_err;         /* about the whole row (field count) */
	char contact_code[CCON_E164_BUFSIZE];  /* canonical; "" when invalid */
};

#define CCON_MAP_ROW_INIT { NULL, 0, 0, { 0 }, "" }

/* Resolves a row of n_fields fields (as csv_preview.h reads them; line is
 * the row's line for the errors). -1 only when out of memory; row problems
 * are in out (the caller frees it with ccon_map_row_free, even on -1). A
 * #contextvariables# cell is no slot's: the preview's validation checks it,
 * as the importer does. */
int ccon_layout_map_resolve(const struct ccon_layout_map *m, const char *const *fields,
                            const size_t *lens, size_t n_fields, long line,
                            struct ccon_map_row *out, struct ccon_error *err);
void ccon_map_row_free(struct ccon_map_row *row);

#endif
