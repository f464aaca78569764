/* ccon/contact.h - seed 000 contacts: contactCode, channelType, customFields,
 * the 1..100 rule of a JSON send and the batching helper. */
#ifndef CCON_CONTACT_H
#define CCON_CONTACT_H

#include <ccon/error.h>
#include <ccon/field.h>
#include <ccon/phone.h>

#include <stdbool.h>
#include <stddef.h>

#define CCON_CONTACTS_PER_SEND_MAX 100
#define CCON_CONTACT_CODE_MAX 256       /* bytes */
#define CCON_CUSTOM_FIELD_NAME_MAX 64   /* bytes */
#define CCON_CUSTOM_FIELD_VALUE_MAX 1024 /* bytes */

enum ccon_channel_type {
	CCON_CHANNEL_CLOUD_API = 0, /* "cloud_api": WhatsApp Cloud API, the only one seed 000 allows */
	CCON_CHANNEL__COUNT
};

/* "cloud_api" -> CCON_CHANNEL_CLOUD_API; anything else CCON_E_CHANNEL_TYPE
 * with the allowed values in the message. */
int ccon_channel_type_parse(const char *s, enum ccon_channel_type *out, struct ccon_error *err);
const char *ccon_channel_type_name(enum ccon_channel_type ch);

/* [A-Za-z0-9_]+, at most CCON_CUSTOM_FIELD_NAME_MAX bytes. */
bool ccon_custom_field_name_valid(const char *name, size_t len);

/* Checks a contactCode for a channel and writes its canonical form: for
 * cloud_api the E.164 number ("+34666777888"). Errors:
 * CCON_E_CONTACT_CODE_EMPTY (empty or only blanks),
 * CCON_E_CONTACT_CODE_INVALID (longer than CCON_CONTACT_CODE_MAX bytes, or a
 * control character or invalid UTF-8 at err->column, a 1-based character
 * position) or the phone error kinds of ccon_phone_normalize. */
int ccon_contact_code_normalize(const char *code, size_t len, enum ccon_channel_type ch,
                                char out[CCON_E164_BUFSIZE], struct ccon_error *err);

/* An owned contact of a JSON send. */
struct ccon_contact {
	char *contact_code;
	char *channel_type;          /* as given; validated by ccon_contact_validate */
	struct ccon_fields custom_fields;
};

void ccon_contact_free(struct ccon_contact *c);

/* Validates one contact, in this order: channelType (missing or unknown:
 * CCON_E_CHANNEL_TYPE), contactCode (as ccon_contact_code_normalize; missing
 * is CCON_E_CONTACT_CODE_EMPTY), then each custom field: a bad or repeated
 * name is CCON_E_CUSTOM_FIELD_NAME, a value longer than
 * CCON_CUSTOM_FIELD_VALUE_MAX bytes or not valid UTF-8 is
 * CCON_E_CUSTOM_FIELD_VALUE. err->path is relative ("contactCode",
 * "channelType", "customFields.age"; control characters of a bad name are
 * shown as '?'). When normalized is not NULL it gets the canonical
 * contactCode ("" on error). */
int ccon_contact_validate(const struct ccon_contact *c, char normalized[CCON_E164_BUFSIZE],
                          struct ccon_error *err);

/* Checks custom field `index` of f by itself, with the rules, codes,
 * messages and paths of ccon_contact_validate: its name (a bad one, or the
 * name of an earlier field of f, is CCON_E_CUSTOM_FIELD_NAME), then its value
 * (CCON_E_CUSTOM_FIELD_VALUE). An index past the end is
 * CCON_E_INVALID_ARGUMENT. */
int ccon_custom_field_check(const struct ccon_fields *f, size_t index, struct ccon_error *err);

/* 1..CCON_CONTACTS_PER_SEND_MAX, else CCON_E_CONTACTS_COUNT at path
 * "contacts" with the count (and the number of sends needed) in the message. */
int ccon_contacts_count_check(size_t n, struct ccon_error *err);

/* Splitting any number of contacts into valid sends of at most `max`
 * (0 means CCON_CONTACTS_PER_SEND_MAX): batch i covers [*first, *first+*count).
 * Batches are as even as possible (250 -> 84, 83, 83; 101 -> 51, 50) so no
 * send is tiny; the larger ones come first. 0 contacts make 0 batches; an
 * index past the last batch gives *first = n, *count = 0. */
size_t ccon_batch_count(size_t n, size_t max);
void ccon_batch_range(size_t n, size_t max, size_t index, size_t *first, size_t *count);

#endif
