/* ccon/json_util.h - typed access to cJSON trees with field-path errors.
 *
 * Every getter looks a key up in an object (case-insensitively: the seed
 * documents spell the same field `masterstate` and `MasterState`), treats
 * JSON null as absent, and on a wrong type or a missing required field fills
 * the error with the full path: `contacts[3].customFields.age`.
 */
#ifndef CCON_JSON_UTIL_H
#define CCON_JSON_UTIL_H

#include <ccon/error.h>
#include <ccon/field.h>
#include <ccon/strbuf.h>

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ccon_json_path {
	char buf[CCON_ERROR_PATH_MAX];
	size_t len;
};

void ccon_json_path_init(struct ccon_json_path *p, const char *root);
/* Push returns the previous length, to hand back to pop. */
size_t ccon_json_path_push_key(struct ccon_json_path *p, const char *key);
size_t ccon_json_path_push_index(struct ccon_json_path *p, size_t index);
void ccon_json_path_pop(struct ccon_json_path *p, size_t old_len);

enum ccon_json_need { CCON_JSON_OPTIONAL = 0, CCON_JSON_REQUIRED = 1 };

/* "string", "number", "boolean", "object", "array", "null" */
const char *ccon_json_type_name(const cJSON *node);

/* Parses text[0..len) strictly (RFC 8259). On a syntax error fills err with
 * CCON_E_JSON_SYNTAX and the 1-based line and column of the offending byte. */
int ccon_json_parse(const char *text, size_t len, cJSON **out, struct ccon_error *err);

/* Getters: 0 on success (when the field is absent and optional, *out is
 * NULL/unchanged and *present, where given, is false), -1 with err filled. */
int ccon_json_get_string(const cJSON *obj, const char *key, enum ccon_json_need need,
                         struct ccon_json_path *path, const char **out, struct ccon_error *err);
int ccon_json_get_bool(const cJSON *obj, const char *key, enum ccon_json_need need,
                       struct ccon_json_path *path, bool *out, bool *present, struct ccon_error *err);
int ccon_json_get_number(const cJSON *obj, const char *key, enum ccon_json_need need,
                         struct ccon_json_path *path, double *out, bool *present,
                         struct ccon_error *err);
/* An integral number with |v| <= 2^53 (exactly representable in a double). */
int ccon_json_get_int64(const cJSON *obj, const char *key, enum ccon_json_need need,
                        struct ccon_json_path *path, int64_t *out, bool *present,
                        struct ccon_error *err);
int ccon_json_get_object(const cJSON *obj, const char *key, enum ccon_json_need need,
                         struct ccon_json_path *path, const cJSON **out, struct ccon_error *err);
int ccon_json_get_array(const cJSON *obj, const char *key, enum ccon_json_need need,
                        struct ccon_json_path *path, const cJSON **out, struct ccon_error *err);

/* Decodes an object of scalars into fields: strings as they are, numbers and
 * booleans in their JSON text ("30", "true"); with allow_nested, objects and
 * arrays are kept as compact JSON text, otherwise they are CCON_E_JSON_TYPE
 * at path.key.name. Fields are appended to *out. A NULL key decodes obj
 * itself (which must then be an object). */
int ccon_json_get_fields(const cJSON *obj, const char *key, enum ccon_json_need need,
                         struct ccon_json_path *path, bool allow_nested,
                         struct ccon_fields *out, struct ccon_error *err);

/* Checks that node is of the type; err names path and both types. */
int ccon_json_expect(const cJSON *node, int cjson_type, struct ccon_json_path *path,
                     struct ccon_error *err);

/* Heap copy of a string or NULL; *ok becomes false on ENOMEM (untouched otherwise). */
char *ccon_json_strdup(const char *s, bool *ok);

/* Adds key:value only when value is not NULL. 0 or -1 on ENOMEM. */
int ccon_json_add_string_opt(cJSON *obj, const char *key, const char *value);

/* Serialises without whitespace into sb (appended). 0 or -1 on ENOMEM. */
int ccon_json_print(const cJSON *node, struct ccon_strbuf *sb);

#endif
