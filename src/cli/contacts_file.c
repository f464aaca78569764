/* contacts_file.c - a JSON contacts file into the audience editor's roster
 * (audience.h), so a send from a file is checked and batched exactly as
 * one typed in the console. The file is a seed 000 body ({"contacts":
 * [...]}, its other fields ignored: timing comes from the options) or the
 * array alone; each contact {contactCode, channelType (default cloud_api),
 * customFields {name: scalar}}. */
#include "config.h"

#include "contacts_file.h"

#include <ccon/json_util.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int scalar_text(const cJSON *v, char *buf, size_t size, const char **out)
{
	if (cJSON_IsString(v))
		*out = v->valuestring;
	else if (cJSON_IsBool(v))
		*out = cJSON_IsTrue(v) ? "true" : "false";
	else if (cJSON_IsNumber(v)) {
		char *p = cJSON_PrintUnformatted(v);

		if (!p)
			return -1;
		snprintf(buf, size, "%s", p);
		cJSON_free(p);
		*out = buf;
	} else
		return -1;
	return 0;
}

static int type_error(struct ccon_error *err, const char *path, const char *want,
                      const cJSON *got)
{
	ccon_error_set(err, CCON_E_JSON_TYPE, "wants %s, not %s", want, ccon_json_type_name(got));
	ccon_error_at_path(err, path);
	return -1;
}

static int add_fields(struct ccon_roster *r, size_t row, const cJSON *fields, size_t i,
                      struct ccon_error *err)
{
	const cJSON *f;
	char path[CCON_ERROR_PATH_MAX], num[64];

	cJSON_ArrayForEach(f, fields) {
		const char *value;

		if (scalar_text(f, num, sizeof(num), &value) < 0) {
			snprintf(path, sizeof(path), "contacts[%zu].customFields.%s", i, f->string);
			return type_error(err, path, "a string, number or boolean", f);
		}
		if (ccon_roster_field_add(r, row, f->string, value) < 0)
			return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	}
	return 0;
}

static int add_contact(struct ccon_roster *r, const cJSON *c, size_t i, struct ccon_error *err)
{
	const cJSON *code = cJSON_GetObjectItemCaseSensitive(c, "contactCode");
	const cJSON *ch = cJSON_GetObjectItemCaseSensitive(c, "channelType");
	const cJSON *fields = cJSON_GetObjectItemCaseSensitive(c, "customFields");
	char path[CCON_ERROR_PATH_MAX];
	size_t row;

	snprintf(path, sizeof(path), "contacts[%zu]", i);
	if (!cJSON_IsObject(c))
		return type_error(err, path, "an object", c);
	snprintf(path, sizeof(path), "contacts[%zu].contactCode", i);
	if (!cJSON_IsString(code))
		return code ? type_error(err, path, "a string", code)
		            : (ccon_error_at_path(err, path),
		               ccon_error_set(err, CCON_E_JSON_REQUIRED, "is required"));
	snprintf(path, sizeof(path), "contacts[%zu].channelType", i);
	if (ch && !cJSON_IsNull(ch) && !cJSON_IsString(ch))
		return type_error(err, path, "a string", ch);
	snprintf(path, sizeof(path), "contacts[%zu].customFields", i);
	if (fields && !cJSON_IsNull(fields) && !cJSON_IsObject(fields))
		return type_error(err, path, "an object", fields);
	if (ccon_roster_add(r, code->valuestring, cJSON_GetStringValue(ch), &row) < 0)
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	return cJSON_IsObject(fields) ? add_fields(r, row, fields, i, err) : 0;
}

int cli_contacts_parse(const char *text, size_t len, struct ccon_roster *out,
                       struct ccon_error *err)
{
	const cJSON *list, *c;
	cJSON *doc;
	size_t i = 0;
	int rc = 0;

	ccon_error_clear(err);
	if (ccon_json_parse(text, len, &doc, err) < 0)
		return -1;
	list = cJSON_IsArray(doc) ? doc : cJSON_GetObjectItemCaseSensitive(doc, "contacts");
	if (!cJSON_IsArray(list)) {
		rc = type_error(err, cJSON_IsObject(doc) ? "contacts" : "",
		                "an array of contacts (or {\"contacts\": [...]})", list ? list : doc);
		if (!list && cJSON_IsObject(doc)) {
			ccon_error_set(err, CCON_E_JSON_REQUIRED, "is required");
		}
	}
	if (rc == 0)
		cJSON_ArrayForEach(c, list) {
			if ((rc = add_contact(out, c, i++, err)) < 0)
				break;
		}
	cJSON_Delete(doc);
	return rc;
}
