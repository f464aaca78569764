/* ccon/layout.h - the layout of a seed 001 CSV send.
 *
 * A layout says how a CSV row becomes a contact:
 *
 *   {
 *     "contact": { "contactCode": "{{contactCode}}", "channelType": "cloud_api" },
 *     "customFields": { "name": "Mr {{nombre}}", "discount": "10%" }
 *   }
 *
 * contact.contactCode and contact.channelType are required; customFields is
 * optional. Every value is a template (template.h): fixed text, a
 * "{{column}}" placeholder naming a CSV header column, or a mix. Scalar
 * numbers and booleans are taken as their JSON text ("discount": 10 is "10").
 * Custom field names must satisfy ccon_custom_field_name_valid and appear
 * once. Other top-level fields (sendType, messageContent, ...) and other
 * fields inside "contact" are tolerated and dropped. Errors name the field
 * path ("contact.contactCode", "customFields.age") and, for a template
 * syntax error, the 1-based character position in err->column.
 *
 * A layout is flattened into parts: each value is a run of parts, each part
 * literal text or a column name. ccon_layout_bind maps the column names to
 * the indexes of a CSV header.
 */
#ifndef CCON_LAYOUT_H
#define CCON_LAYOUT_H

#include <ccon/error.h>

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ccon_layout_part {
	bool variable;  /* true: text is a column name; false: literal text */
	char *text;     /* NUL-terminated */
	size_t len;
};

struct ccon_layout_value {
	char *tmpl;     /* the template as written */
	size_t first;   /* its parts are layout->parts[first .. first + count) */
	size_t count;   /* 0 for an empty template */
};

struct ccon_layout_field {
	char *name;
	struct ccon_layout_value value;
};

struct ccon_layout {
	struct ccon_layout_value contact_code;
	struct ccon_layout_value channel_type;
	struct ccon_layout_field *custom_fields;  /* in the order of the JSON */
	size_t n_custom_fields;
	struct ccon_layout_part *parts;
	size_t n_parts;
};

#define CCON_LAYOUT_INIT { { NULL, 0, 0 }, { NULL, 0, 0 }, NULL, 0, NULL, 0 }

/* Decodes a layout object. On failure *out is left empty (nothing to free). */
int ccon_layout_decode(const cJSON *json, struct ccon_layout *out, struct ccon_error *err);
/* The same from text; a syntax error is CCON_E_JSON_SYNTAX with line and column. */
int ccon_layout_parse(const char *text, size_t len, struct ccon_layout *out,
                      struct ccon_error *err);
/* Builds the layout's JSON (contact, then customFields when there are any),
 * templates as written. 0, or -1 when out of memory. */
int ccon_layout_encode(const struct ccon_layout *layout, cJSON **out);
void ccon_layout_free(struct ccon_layout *layout);

/* Builds a layout in code (the console's layout editor): templates are
 * checked and compiled exactly as ccon_layout_decode does. custom_names and
 * custom_values have n_custom entries. */
int ccon_layout_build(const char *contact_code, const char *channel_type,
                      const char *const *custom_names, const char *const *custom_values,
                      size_t n_custom, struct ccon_layout *out, struct ccon_error *err);

/* The field path of a value of the layout: "contact.contactCode",
 * "contact.channelType" or "customFields.<name>". Returns buf. */
const char *ccon_layout_value_path(const struct ccon_layout *layout,
                                   const struct ccon_layout_value *value, char *buf, size_t size);

#define CCON_LAYOUT_LITERAL SIZE_MAX

/* Binds the layout to a CSV header of n_columns names (the first column of a
 * name wins when the header repeats it). part_columns has layout->n_parts
 * entries and gets the 0-based column of every variable part and
 * CCON_LAYOUT_LITERAL for literal parts. When variables name columns the
 * header lacks, their part_columns entries are CCON_LAYOUT_LITERAL too and
 * the result is -1 with CCON_E_LAYOUT_NO_COLUMN: err->path is the layout path
 * of the first such variable, the message names every missing variable with
 * its path and lists the header's columns. */
int ccon_layout_bind(const struct ccon_layout *layout, const char *const *columns,
                     size_t n_columns, size_t *part_columns, struct ccon_error *err);

/* true when every part of the value is literal (or the value is empty). */
bool ccon_layout_value_fixed(const struct ccon_layout *layout,
                             const struct ccon_layout_value *value);

#endif
