/* ccon/codec_transactional.h - the body of a seed 003 transactional send
 * (POST /v1/campaigns/transactional/send).
 *
 * The seed shows descriptions only; these are the JSON names we use:
 *   campaignId        integer >= 1, required
 *   scheduleDate      string, ISO 8601 date-time (kept as text: timing.h checks it)
 *   contactType       deprecated: "phone" (default) | "externalCode"; how a
 *                     contact's contactValue is read when the contact has no
 *                     contactType of its own
 *   flash             boolean, default false
 *   nlsMode           "auto" (default) | "standard" | "spanish"
 *   contacts          array of >= 1 objects, required (no upper bound in the
 *                     seed; the server's body size limit bounds it)
 *     contactType       deprecated, as above, for this contact
 *     contactValue      deprecated: a phone or an external code per contactType
 *     externalCode      string, 1..CCON_CONTACT_CODE_MAX bytes
 *     phoneNumber       string
 *     countryCode       string or null, the calling code without "+"
 *     e164              string, E.164; takes precedence over phoneNumber/countryCode
 *     customFields      object of scalars, names [A-Za-z0-9_]+ (the same rule as
 *                       seed 000: the same template engine fills them), each
 *                       name once
 *     externalReference string or null
 *     originData        object, kept as compact JSON text
 *   sendTypeOverride  "list" (default: transactional) | "all" (massive)
 *
 * Who a contact is (ccon_transactional_contact_target): when it has an
 * e164, phoneNumber or externalCode (non-empty), contactType and
 * contactValue are ignored, as the seed says; the phone comes from
 * ccon_phone_compose and the externalCode is kept beside it (it then only
 * serves to create the contact). Otherwise contactValue is read as a phone
 * (an international number) or an external code. A contact with neither a
 * phone nor an external code is CCON_E_JSON_REQUIRED at "contacts[i]".
 * Decoding applies this to every contact, so a decoded request has a target
 * for each. Unknown fields are ignored; JSON null counts as absent.
 */
#ifndef CCON_CODEC_TRANSACTIONAL_H
#define CCON_CODEC_TRANSACTIONAL_H

#include <ccon/error.h>
#include <ccon/field.h>
#include <ccon/phone.h>

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ccon_tx_contact_type {
	CCON_TX_CONTACT_TYPE_UNSET = 0,     /* absent (not encoded) */
	CCON_TX_CONTACT_TYPE_PHONE,         /* "phone" */
	CCON_TX_CONTACT_TYPE_EXTERNAL_CODE, /* "externalCode" */
};

enum ccon_nls_mode {
	CCON_NLS_AUTO = 0,   /* "auto" */
	CCON_NLS_STANDARD,   /* "standard" */
	CCON_NLS_SPANISH,    /* "spanish" */
};

enum ccon_send_type {
	CCON_SEND_TYPE_LIST = 0, /* "list": transactional campaign */
	CCON_SEND_TYPE_ALL,      /* "all": massive campaign */
};

struct ccon_transactional_contact {
	enum ccon_tx_contact_type contact_type;  /* deprecated */
	char *contact_value;                     /* deprecated */
	char *external_code;
	char *phone_number;
	char *country_code;
	char *e164;
	struct ccon_fields custom_fields;
	char *external_reference;
	char *origin_data;                       /* JSON object text */
};

struct ccon_transactional_request {
	int64_t campaign_id;
	char *schedule_date;                     /* NULL when absent */
	enum ccon_tx_contact_type contact_type;  /* deprecated; UNSET reads as phone */
	bool flash;
	enum ccon_nls_mode nls_mode;
	enum ccon_send_type send_type;
	struct ccon_transactional_contact *contacts;
	size_t n_contacts;
};

/* Seed names of the enums; NULL for UNSET or out of range. */
const char *ccon_tx_contact_type_name(enum ccon_tx_contact_type t);
const char *ccon_nls_mode_name(enum ccon_nls_mode m);
const char *ccon_send_type_name(enum ccon_send_type t);

/* Decodes and validates. On failure *out is left empty and err names the
 * field path ("contacts[2].e164", "nlsMode"). */
int ccon_transactional_request_decode(const cJSON *json, struct ccon_transactional_request *out,
                                      struct ccon_error *err);
int ccon_transactional_request_parse(const char *text, size_t len,
                                     struct ccon_transactional_request *out,
                                     struct ccon_error *err);
/* Builds the body: flash, nlsMode and sendTypeOverride always written,
 * deprecated fields only when set, customFields values as strings. 0, or -1
 * when out of memory or when an origin_data is not a JSON object's text. */
int ccon_transactional_request_encode(const struct ccon_transactional_request *req, cJSON **out);
void ccon_transactional_request_free(struct ccon_transactional_request *req);
/* One contact's strings and fields (the contact is left empty). */
void ccon_transactional_contact_free(struct ccon_transactional_contact *c);

/* Where a contact's messages go. */
struct ccon_tx_target {
	bool has_phone;
	char e164[CCON_E164_BUFSIZE];   /* "" when !has_phone */
	const char *external_code;      /* borrowed from the contact; NULL when none */
};

/* Resolves contact `index` of a request whose top-level contactType is
 * request_type. Phone errors come from ccon_phone_compose with the path
 * "contacts[<index>].e164" (or .countryCode, .phoneNumber, .contactValue). */
int ccon_transactional_contact_target(const struct ccon_transactional_contact *c,
                                      enum ccon_tx_contact_type request_type, size_t index,
                                      struct ccon_tx_target *out, struct ccon_error *err);

#endif
