#include "config.h"

#include <ccon/codec_whatsapp.h>
#include <ccon/json_util.h>
#include <ccon/utf8.h>

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int nomem(struct ccon_error *err)
{
	return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
}

/* ------------------------------------------------------------- `to` */

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* "<7..15 digits>-<10 digits>": the creator's phone and the creation time. */
static bool legacy_group_id(const char *s)
{
	const char *dash = strchr(s, '-');
	size_t head, tail;

	if (!dash)
		return false;
	head = (size_t)(dash - s);
	tail = strlen(dash + 1);
	return head >= CCON_E164_MIN_DIGITS && head <= CCON_E164_MAX_DIGITS && tail == 10 &&
	       all_digits(s, head) && all_digits(dash + 1, tail);
}

static int check_group_id(const char *s, struct ccon_error *err)
{
	size_t len = strlen(s);
	const char *at = strchr(s, '@');

	if (len > CCON_WHATSAPP_GROUP_ID_MAX)
		return ccon_error_set(err, CCON_E_JSON_LENGTH,
		                      "a group id is at most %d bytes, this one has %zu",
		                      CCON_WHATSAPP_GROUP_ID_MAX, len);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x21 || c > 0x7E) {
			ccon_error_at_column(err, (long)i + 1);
			return ccon_error_set(err, CCON_E_JSON_VALUE,
			                      "a group id has only printable ASCII without spaces");
		}
	}
	if (at && (at == s || at[1] == '\0' || strchr(at + 1, '@')))
		return ccon_error_set(err, CCON_E_JSON_VALUE,
		                      "a group id has one \"@\" with text on both sides");
	return 0;
}

int ccon_whatsapp_to_classify(const char *to, enum ccon_whatsapp_to_kind *kind,
                              char e164[CCON_E164_BUFSIZE], struct ccon_error *err)
{
	e164[0] = '\0';
	if (strchr(to, '@') || legacy_group_id(to)) {
		*kind = CCON_WHATSAPP_TO_GROUP;
		return check_group_id(to, err);
	}
	*kind = CCON_WHATSAPP_TO_PHONE;
	return ccon_phone_normalize(to, strlen(to), e164, err);
}

/* ------------------------------------------------------------- fields */

static int fail_at(struct ccon_error *err, const char *key, enum ccon_errc code, long column,
                   const char *message)
{
	ccon_error_set(err, code, "%s", message);
	ccon_error_at_path(err, key);
	ccon_error_at_column(err, column);
	return -1;
}

/* Valid UTF-8 of at most max characters (0: no limit). */
static int check_chars(const char *s, const char *key, size_t max, struct ccon_error *err)
{
	size_t len = strlen(s), bad, chars;

	if (!ccon_utf8_valid(s, len, &bad))
		return fail_at(err, key, CCON_E_JSON_VALUE, (long)ccon_utf8_length(s, bad) + 1,
		                "not valid UTF-8");
	chars = ccon_utf8_length(s, len);
	if (max > 0 && chars > max) {
		ccon_error_set(err, CCON_E_JSON_LENGTH, "%zu characters long, at most %zu allowed",
		               chars, max);
		ccon_error_at_path(err, key);
		ccon_error_at_column(err, (long)max + 1);
		return -1;
	}
	return 0;
}

static int check_url(const char *s, const char *key, struct ccon_error *err)
{
	size_t len = strlen(s), scheme;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		/* everything before i is ASCII, so i + 1 is the character position */
		if (c > 0x7E)
			return fail_at(err, key, CCON_E_JSON_VALUE, (long)i + 1,
			               "a URL is ASCII only: percent-encode other characters");
		if (c < 0x21)
			return fail_at(err, key, CCON_E_JSON_VALUE, (long)i + 1,
			               "a URL has no spaces or control characters");
	}
	if (len > CCON_WHATSAPP_URL_MAX) {
		ccon_error_set(err, CCON_E_JSON_LENGTH, "%zu bytes long, at most %d allowed", len,
		               CCON_WHATSAPP_URL_MAX);
		ccon_error_at_path(err, key);
		return -1;
	}
	if (strncasecmp(s, "https://", 8) == 0)
		scheme = 8;
	else if (strncasecmp(s, "http://", 7) == 0)
		scheme = 7;
	else
		return fail_at(err, key, CCON_E_JSON_VALUE, 0,
		               "a URL starts with http:// or https://");
	if (s[scheme] == '\0' || strchr("/?#", s[scheme]))
		return fail_at(err, key, CCON_E_JSON_VALUE, (long)scheme + 1,
		               "the URL has no host");
	return 0;
}

enum field_kind { TEXT, URL };

struct string_field {
	const char *key;
	size_t offset;          /* of the char * in struct ccon_whatsapp_message */
	enum field_kind kind;
	size_t max;             /* characters, 0 for no limit */
	bool required;
};

#define MEMBER(m) offsetof(struct ccon_whatsapp_message, m)

static const struct string_field string_fields[] = {
	{ "from", MEMBER(from), TEXT, 0, true },
	{ "to", MEMBER(to), TEXT, 0, true },
	{ "text", MEMBER(text), TEXT, CCON_WHATSAPP_TEXT_MAX, true },
	{ "image", MEMBER(image), URL, 0, false },
	{ "video", MEMBER(video), URL, 0, false },
	{ "document", MEMBER(document), URL, 0, false },
	{ "documentFilename", MEMBER(document_filename), TEXT, CCON_WHATSAPP_FILENAME_MAX, false },
	{ "caption", MEMBER(caption), TEXT, CCON_WHATSAPP_CAPTION_MAX, false },
	{ "audio", MEMBER(audio), URL, 0, false },
	{ "sticker", MEMBER(sticker), URL, 0, false },
	{ "locationName", MEMBER(location_name), TEXT, CCON_WHATSAPP_LOCATION_TEXT_MAX, false },
	{ "locationAddress", MEMBER(location_address), TEXT, CCON_WHATSAPP_LOCATION_TEXT_MAX, false },
};

#define N_STRING_FIELDS (sizeof(string_fields) / sizeof(string_fields[0]))

static char **member(struct ccon_whatsapp_message *m, const struct string_field *f)
{
	return (char **)((char *)m + f->offset);
}

static char *const *cmember(const struct ccon_whatsapp_message *m, const struct string_field *f)
{
	return (char *const *)((const char *)m + f->offset);
}

void ccon_whatsapp_message_free(struct ccon_whatsapp_message *msg)
{
	if (!msg)
		return;
	for (size_t i = 0; i < N_STRING_FIELDS; i++)
		free(*member(msg, &string_fields[i]));
	free(msg->template_json);
	memset(msg, 0, sizeof(*msg));
}

static int decode_strings(const cJSON *json, struct ccon_json_path *path,
                          struct ccon_whatsapp_message *out, struct ccon_error *err)
{
	for (size_t i = 0; i < N_STRING_FIELDS; i++) {
		const struct string_field *f = &string_fields[i];
		const char *s;
		int rc;

		if (ccon_json_get_string(json, f->key, f->required ? CCON_JSON_REQUIRED
		                                                   : CCON_JSON_OPTIONAL,
		                         path, &s, err) < 0)
			return -1;
		if (!s)
			continue;
		rc = f->kind == URL ? check_url(s, f->key, err) : check_chars(s, f->key, f->max, err);
		if (rc < 0)
			return -1;
		*member(out, f) = strdup(s);
		if (!*member(out, f))
			return nomem(err);
	}
	if (out->text[0] == '\0')
		return fail_at(err, "text", CCON_E_JSON_LENGTH, 0, "the text is empty");
	return 0;
}

static int decode_coordinate(const cJSON *json, const char *key, struct ccon_json_path *path,
                             double *out, bool *have, struct ccon_error *err)
{
	if (ccon_json_get_number(json, key, CCON_JSON_OPTIONAL, path, out, have, err) < 0)
		return -1;
	if (*have && !(fabs(*out) <= CCON_WHATSAPP_COORDINATE_MAX)) {
		ccon_error_set(err, CCON_E_JSON_RANGE, "%.17g is outside -180..180", *out);
		ccon_error_at_path(err, key);
		return -1;
	}
	return 0;
}

/* Fields the channel would drop silently are errors. */
static int check_dependencies(const struct ccon_whatsapp_message *m, bool have_lon,
                              bool have_lat, struct ccon_error *err)
{
	if (have_lon && !have_lat)
		return fail_at(err, "latitude", CCON_E_JSON_REQUIRED, 0,
		               "a location needs latitude with longitude");
	if (have_lat && !have_lon)
		return fail_at(err, "longitude", CCON_E_JSON_REQUIRED, 0,
		               "a location needs longitude with latitude");
	if (m->document_filename && !m->document)
		return fail_at(err, "documentFilename", CCON_E_JSON_VALUE, 0,
		               "a document file name needs a document");
	if (m->caption && !m->image && !m->video && !m->document)
		return fail_at(err, "caption", CCON_E_JSON_VALUE, 0,
		               "a caption needs an image, a video or a document");
	if (m->location_address && !m->location_name)
		return fail_at(err, "locationAddress", CCON_E_JSON_VALUE, 0,
		               "an address is only shown with a locationName");
	if (m->location_name && !m->has_location)
		return fail_at(err, "locationName", CCON_E_JSON_VALUE, 0,
		               "a location name needs longitude and latitude");
	return 0;
}

int ccon_whatsapp_message_decode(const cJSON *json, struct ccon_whatsapp_message *out,
                                 struct ccon_error *err)
{
	struct ccon_json_path path;
	const cJSON *tmpl;
	char from_e164[CCON_E164_BUFSIZE];
	bool have_lon, have_lat;

	memset(out, 0, sizeof(*out));
	ccon_json_path_init(&path, "");
	if (ccon_json_expect(json, cJSON_Object, &path, err) < 0 ||
	    decode_strings(json, &path, out, err) < 0 ||
	    decode_coordinate(json, "longitude", &path, &out->longitude, &have_lon, err) < 0 ||
	    decode_coordinate(json, "latitude", &path, &out->latitude, &have_lat, err) < 0 ||
	    ccon_json_get_object(json, "template", CCON_JSON_OPTIONAL, &path, &tmpl, err) < 0)
		goto fail;
	out->has_location = have_lon && have_lat;
	if (check_dependencies(out, have_lon, have_lat, err) < 0)
		goto fail;
	if (ccon_phone_normalize(out->from, strlen(out->from), from_e164, err) < 0) {
		ccon_error_at_path(err, "from");
		goto fail;
	}
	if (ccon_whatsapp_to_classify(out->to, &out->to_kind, out->to_e164, err) < 0) {
		ccon_error_at_path(err, "to");
		goto fail;
	}
	if (tmpl) {
		out->template_json = cJSON_PrintUnformatted(tmpl);
		if (!out->template_json) {
			nomem(err);
			goto fail;
		}
	}
	return 0;
fail:
	ccon_whatsapp_message_free(out);
	return -1;
}

int ccon_whatsapp_message_parse(const char *text, size_t len, struct ccon_whatsapp_message *out,
                                struct ccon_error *err)
{
	cJSON *json;
	int rc;

	memset(out, 0, sizeof(*out));
	if (ccon_json_parse(text, len, &json, err) < 0)
		return -1;
	rc = ccon_whatsapp_message_decode(json, out, err);
	cJSON_Delete(json);
	return rc;
}

int ccon_whatsapp_message_encode(const struct ccon_whatsapp_message *msg, cJSON **out)
{
	cJSON *json = cJSON_CreateObject(), *tmpl;

	*out = NULL;
	if (!json)
		return -1;
	for (size_t i = 0; i < N_STRING_FIELDS; i++)
		if (ccon_json_add_string_opt(json, string_fields[i].key,
		                             *cmember(msg, &string_fields[i])) < 0)
			goto fail;
	if (msg->has_location && (!cJSON_AddNumberToObject(json, "longitude", msg->longitude) ||
	                          !cJSON_AddNumberToObject(json, "latitude", msg->latitude)))
		goto fail;
	if (msg->template_json) {
		tmpl = cJSON_Parse(msg->template_json);
		if (!tmpl || !cJSON_IsObject(tmpl) || !cJSON_AddItemToObject(json, "template", tmpl)) {
			cJSON_Delete(tmpl);
			goto fail;
		}
	}
	*out = json;
	return 0;
fail:
	cJSON_Delete(json);
	return -1;
}

/* ------------------------------------------------------------- answer */

void ccon_whatsapp_answer_free(struct ccon_whatsapp_answer *ans)
{
	if (!ans)
		return;
	free(ans->tracking_id);
	free(ans->created_at);
	memset(ans, 0, sizeof(*ans));
}

int ccon_whatsapp_answer_decode(const cJSON *json, struct ccon_whatsapp_answer *out,
                                struct ccon_error *err)
{
	struct ccon_json_path path;
	const char *tracking_id, *created_at;
	bool ok = true;

	memset(out, 0, sizeof(*out));
	ccon_json_path_init(&path, "");
	if (ccon_json_expect(json, cJSON_Object, &path, err) < 0 ||
	    ccon_json_get_string(json, "trackingId", CCON_JSON_REQUIRED, &path, &tracking_id, err) < 0 ||
	    ccon_json_get_string(json, "createdAt", CCON_JSON_REQUIRED, &path, &created_at, err) < 0)
		return -1;
	out->tracking_id = ccon_json_strdup(tracking_id, &ok);
	out->created_at = ccon_json_strdup(created_at, &ok);
	if (!ok) {
		ccon_whatsapp_answer_free(out);
		return nomem(err);
	}
	return 0;
}

int ccon_whatsapp_answer_parse(const char *text, size_t len, struct ccon_whatsapp_answer *out,
                               struct ccon_error *err)
{
	cJSON *json;
	int rc;

	memset(out, 0, sizeof(*out));
	if (ccon_json_parse(text, len, &json, err) < 0)
		return -1;
	rc = ccon_whatsapp_answer_decode(json, out, err);
	cJSON_Delete(json);
	return rc;
}

int ccon_whatsapp_answer_encode(const struct ccon_whatsapp_answer *ans, cJSON **out)
{
	cJSON *json = cJSON_CreateObject();

	*out = NULL;
	if (!json || ccon_json_add_string_opt(json, "trackingId", ans->tracking_id) < 0 ||
	    ccon_json_add_string_opt(json, "createdAt", ans->created_at) < 0) {
		cJSON_Delete(json);
		return -1;
	}
	*out = json;
	return 0;
}
