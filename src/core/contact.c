#include "config.h"

#include <ccon/contact.h>

#include <ccon/utf8.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const channel_names[CCON_CHANNEL__COUNT] = {
	[CCON_CHANNEL_CLOUD_API] = "cloud_api",
};

/* "cloud_api" or "cloud_api, ..." for messages. */
static void allowed_channels(char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; i < CCON_CHANNEL__COUNT && used < size; i++) {
		int n = snprintf(buf + used, size - used, "%s%s", i ? ", " : "", channel_names[i]);

		if (n < 0)
			break;
		used += (size_t)n;
	}
}

/* A user string fit for a message or path: at most `max` characters, control
 * characters and invalid bytes as '?', "..." when cut. */
static void printable(const char *s, size_t len, size_t max, char *buf, size_t size)
{
	size_t i = 0, o = 0, shown = 0;

	while (i < len && shown < max && o + 8 < size) {
		uint32_t cp;
		size_t n = ccon_utf8_decode(s + i, len - i, &cp);

		if (n == 0 || cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) {
			buf[o++] = '?';
			i += n ? n : 1;
		} else {
			memcpy(buf + o, s + i, n);
			o += n;
			i += n;
		}
		shown++;
	}
	if (i < len && o + 4 <= size) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
}

int ccon_channel_type_parse(const char *s, enum ccon_channel_type *out, struct ccon_error *err)
{
	char allowed[128], shown[64];

	for (int i = 0; s && i < CCON_CHANNEL__COUNT; i++) {
		if (strcmp(s, channel_names[i]) == 0) {
			*out = (enum ccon_channel_type)i;
			return 0;
		}
	}
	allowed_channels(allowed, sizeof(allowed));
	if (!s) {
		ccon_error_set(err, CCON_E_CHANNEL_TYPE, "channelType is missing; allowed values: %s",
		               allowed);
		return -1;
	}
	printable(s, strlen(s), 32, shown, sizeof(shown));
	ccon_error_set(err, CCON_E_CHANNEL_TYPE, "unknown channelType \"%s\"; allowed values: %s",
	               shown, allowed);
	return -1;
}

const char *ccon_channel_type_name(enum ccon_channel_type ch)
{
	if ((unsigned)ch >= CCON_CHANNEL__COUNT)
		return "unknown";
	return channel_names[ch];
}

static bool name_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

bool ccon_custom_field_name_valid(const char *name, size_t len)
{
	if (!name || len == 0 || len > CCON_CUSTOM_FIELD_NAME_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!name_char(name[i]))
			return false;
	return true;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

int ccon_contact_code_normalize(const char *code, size_t len, enum ccon_channel_type ch,
                                char out[CCON_E164_BUFSIZE], struct ccon_error *err)
{
	size_t i = 0, pos = 1;

	out[0] = '\0';
	if (!code)
		len = 0;
	while (i < len && is_blank(code[i]))
		i++;
	if (i == len)
		return ccon_error_set(err, CCON_E_CONTACT_CODE_EMPTY, "contactCode is empty");
	if (len > CCON_CONTACT_CODE_MAX)
		return ccon_error_set(err, CCON_E_CONTACT_CODE_INVALID,
		                      "contactCode is %zu bytes long; at most %d are allowed", len,
		                      CCON_CONTACT_CODE_MAX);
	for (i = 0; i < len; pos++) {
		uint32_t cp;
		size_t n = ccon_utf8_decode(code + i, len - i, &cp);

		if (n == 0) {
			ccon_error_at_column(err, (long)pos);
			return ccon_error_set(err, CCON_E_CONTACT_CODE_INVALID,
			                      "contactCode is not valid UTF-8 at character %zu", pos);
		}
		if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) {
			ccon_error_at_column(err, (long)pos);
			return ccon_error_set(err, CCON_E_CONTACT_CODE_INVALID,
			                      "contactCode has control character U+%04X at character %zu",
			                      (unsigned)cp, pos);
		}
		i += n;
	}
	switch (ch) {
	case CCON_CHANNEL_CLOUD_API:
		return ccon_phone_normalize(code, len, out, err);
	case CCON_CHANNEL__COUNT:
		break;
	}
	return ccon_error_set(err, CCON_E_CHANNEL_TYPE, "unknown channel type %d", (int)ch);
}

void ccon_contact_free(struct ccon_contact *c)
{
	if (!c)
		return;
	free(c->contact_code);
	free(c->channel_type);
	c->contact_code = NULL;
	c->channel_type = NULL;
	ccon_fields_free(&c->custom_fields);
}

static void field_path(struct ccon_error *err, const char *name)
{
	char shown[CCON_ERROR_PATH_MAX - sizeof("customFields.")], path[CCON_ERROR_PATH_MAX];

	printable(name, strlen(name), CCON_CUSTOM_FIELD_NAME_MAX, shown, sizeof(shown));
	snprintf(path, sizeof(path), "customFields.%s", shown);
	ccon_error_at_path(err, path);
}

static int name_error(struct ccon_error *err, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int name_error(struct ccon_error *err, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (name[0])
		field_path(err, name);
	else
		ccon_error_at_path(err, "customFields");
	va_start(ap, fmt);
	ccon_error_vset(err, CCON_E_CUSTOM_FIELD_NAME, fmt, ap);
	va_end(ap);
	return -1;
}

static int check_field_name(const struct ccon_fields *f, size_t index, struct ccon_error *err)
{
	const char *name = f->items[index].name;
	size_t len = strlen(name), pos = 1;

	if (len == 0)
		return name_error(err, name, "a custom field name is empty; use letters, digits and "
		                             "underscores");
	if (len > CCON_CUSTOM_FIELD_NAME_MAX)
		return name_error(err, name,
		                  "the custom field name is %zu bytes long; at most %d are allowed",
		                  len, CCON_CUSTOM_FIELD_NAME_MAX);
	for (size_t i = 0; i < len; pos++) {
		uint32_t cp;
		size_t n = ccon_utf8_decode(name + i, len - i, &cp);
		char what[32];

		if (n == 1 && name_char(name[i])) {
			i++;
			continue;
		}
		if (n == 1 && cp >= 0x20 && cp < 0x7f)
			snprintf(what, sizeof(what), "'%c'", name[i]);
		else if (n)
			snprintf(what, sizeof(what), "U+%04X", (unsigned)cp);
		else
			snprintf(what, sizeof(what), "byte 0x%02X", (unsigned char)name[i]);
		return name_error(err, name,
		                  "the custom field name has %s at character %zu; use letters, "
		                  "digits and underscores",
		                  what, pos);
	}
	for (size_t j = 0; j < index; j++)
		if (strcmp(f->items[j].name, name) == 0)
			return name_error(err, name, "the custom field appears more than once");
	return 0;
}

static int check_field_value(const struct ccon_field *field, struct ccon_error *err)
{
	size_t len = strlen(field->value), bad;

	if (len > CCON_CUSTOM_FIELD_VALUE_MAX) {
		field_path(err, field->name);
		return ccon_error_set(err, CCON_E_CUSTOM_FIELD_VALUE,
		                      "the value is %zu bytes long; at most %d are allowed", len,
		                      CCON_CUSTOM_FIELD_VALUE_MAX);
	}
	if (!ccon_utf8_valid(field->value, len, &bad)) {
		field_path(err, field->name);
		return ccon_error_set(err, CCON_E_CUSTOM_FIELD_VALUE,
		                      "the value is not valid UTF-8 at character %zu",
		                      ccon_utf8_length(field->value, bad) + 1);
	}
	return 0;
}

int ccon_custom_field_check(const struct ccon_fields *f, size_t index, struct ccon_error *err)
{
	if (!f || index >= f->count)
		return ccon_error_set(err, CCON_E_INVALID_ARGUMENT,
		                      "custom field %zu does not exist; the contact has %zu", index,
		                      f ? f->count : 0);
	if (check_field_name(f, index, err) < 0)
		return -1;
	return check_field_value(&f->items[index], err);
}

int ccon_contact_validate(const struct ccon_contact *c, char normalized[CCON_E164_BUFSIZE],
                          struct ccon_error *err)
{
	char local[CCON_E164_BUFSIZE];
	char *out = normalized ? normalized : local;
	enum ccon_channel_type ch;

	out[0] = '\0';
	if (ccon_channel_type_parse(c->channel_type, &ch, err) < 0) {
		ccon_error_at_path(err, "channelType");
		return -1;
	}
	if (ccon_contact_code_normalize(c->contact_code,
	                                c->contact_code ? strlen(c->contact_code) : 0, ch, out,
	                                err) < 0) {
		ccon_error_at_path(err, "contactCode");
		return -1;
	}
	for (size_t i = 0; i < c->custom_fields.count; i++) {
		if (ccon_custom_field_check(&c->custom_fields, i, err) < 0) {
			out[0] = '\0';
			return -1;
		}
	}
	return 0;
}

size_t ccon_batch_count(size_t n, size_t max)
{
	if (max == 0)
		max = CCON_CONTACTS_PER_SEND_MAX;
	return n / max + (n % max != 0);
}

int ccon_contacts_count_check(size_t n, struct ccon_error *err)
{
	if (n >= 1 && n <= CCON_CONTACTS_PER_SEND_MAX)
		return 0;
	ccon_error_at_path(err, "contacts");
	if (n == 0)
		return ccon_error_set(err, CCON_E_CONTACTS_COUNT,
		                      "contacts has 0 contacts; a send needs 1 to %d",
		                      CCON_CONTACTS_PER_SEND_MAX);
	return ccon_error_set(err, CCON_E_CONTACTS_COUNT,
	                      "contacts has %zu contacts; a send takes at most %d (split them "
	                      "into %zu sends)",
	                      n, CCON_CONTACTS_PER_SEND_MAX, ccon_batch_count(n, 0));
}

void ccon_batch_range(size_t n, size_t max, size_t index, size_t *first, size_t *count)
{
	size_t k = ccon_batch_count(n, max), base, extra;

	if (index >= k) {
		*first = n;
		*count = 0;
		return;
	}
	base = n / k;
	extra = n % k; /* the first `extra` batches take one more */
	*first = index * base + (index < extra ? index : extra);
	*count = base + (index < extra);
}
