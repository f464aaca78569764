/* ccon/codec_whatsapp.h - the body of a seed 004 WhatsApp message
 * (POST /v1/whatsapp/messages) and its answer.
 *
 * The seed shows descriptions only; these are the JSON names we use:
 *   from              string, required: the WABA phone (checked as a phone)
 *   to                string, required: a phone or a group id (see below)
 *   text              string, required, 1..4069 characters
 *   image             URL
 *   video             URL
 *   document          URL
 *   documentFilename  string, at most 512 characters; needs document
 *   caption           string, at most 512 characters; needs image, video or
 *                     document
 *   audio             URL
 *   sticker           URL
 *   longitude         number, -180..180
 *   latitude          number, -180..180 (the seed says +/-180 for both)
 *   locationName      string, at most 256 characters; needs the coordinates
 *   locationAddress   string, at most 256 characters; needs locationName
 *   template          object, kept as compact JSON text
 * Answer: trackingId (string), createdAt (string, ISO 8601 date-time, kept
 * as text). Unknown fields are ignored; JSON null counts as absent.
 *
 * Characters are Unicode code points of valid UTF-8 (ccon_utf8_length), not
 * bytes: "ñ" is one character. A too long field is CCON_E_JSON_LENGTH with
 * err->column at the first character past the limit.
 *
 * URLs (all five media fields; the seed says so for image, video and
 * sticker and we apply it to all): "http://" or "https://" (any case), a
 * non-empty host, only printable ASCII without spaces (0x21..0x7E; non-ASCII
 * must be percent-encoded), at most CCON_WHATSAPP_URL_MAX bytes. A bad
 * character is CCON_E_JSON_VALUE with err->column at its character position.
 *
 * `to`: a group id is either a WhatsApp JID, which holds an "@"
 * ("120363025246125486@g.us"), or the legacy "<creator phone>-<10-digit
 * Unix time>" form ("34666777888-1496072349"); group ids are printable ASCII
 * without spaces, at most CCON_WHATSAPP_GROUP_ID_MAX bytes. Anything else is
 * a phone number in international format ("+34...", "0034..." or the digits
 * starting with the country code) checked by ccon_phone_normalize.
 *
 * Fields that the channel would drop without a word (a caption with no
 * media, a documentFilename with no document, an address with no name, a
 * name with no coordinates, one coordinate alone) are errors, not warnings:
 * CCON_E_JSON_VALUE at the dropped field, or CCON_E_JSON_REQUIRED at the
 * missing coordinate.
 */
#ifndef CCON_CODEC_WHATSAPP_H
#define CCON_CODEC_WHATSAPP_H

#include <ccon/error.h>
#include <ccon/phone.h>

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#define CCON_WHATSAPP_TEXT_MAX 4069          /* characters */
#define CCON_WHATSAPP_CAPTION_MAX 512        /* characters */
#define CCON_WHATSAPP_FILENAME_MAX 512       /* characters */
#define CCON_WHATSAPP_LOCATION_TEXT_MAX 256  /* characters, name and address */
#define CCON_WHATSAPP_COORDINATE_MAX 180.0
#define CCON_WHATSAPP_URL_MAX 2048           /* bytes */
#define CCON_WHATSAPP_GROUP_ID_MAX 128       /* bytes */

enum ccon_whatsapp_to_kind {
	CCON_WHATSAPP_TO_PHONE = 0,
	CCON_WHATSAPP_TO_GROUP,
};

struct ccon_whatsapp_message {
	char *from;
	char *to;                       /* as given */
	char *text;
	char *image, *video, *document, *audio, *sticker;   /* URLs, NULL when absent */
	char *document_filename;
	char *caption;
	bool has_location;              /* longitude and latitude given */
	double longitude, latitude;
	char *location_name;
	char *location_address;
	char *template_json;            /* JSON object text, NULL when absent */
	/* set by decoding from `to` */
	enum ccon_whatsapp_to_kind to_kind;
	char to_e164[CCON_E164_BUFSIZE];  /* the phone, "" for a group */
};

/* Tells a phone from a group id and checks it (errors without a path);
 * e164 gets the normalised phone, "" for a group. */
int ccon_whatsapp_to_classify(const char *to, enum ccon_whatsapp_to_kind *kind,
                              char e164[CCON_E164_BUFSIZE], struct ccon_error *err);

/* Decodes and validates. On failure *out is left empty. */
int ccon_whatsapp_message_decode(const cJSON *json, struct ccon_whatsapp_message *out,
                                 struct ccon_error *err);
int ccon_whatsapp_message_parse(const char *text, size_t len, struct ccon_whatsapp_message *out,
                                struct ccon_error *err);
/* 0, or -1 when out of memory or when template_json is not a JSON object's text. */
int ccon_whatsapp_message_encode(const struct ccon_whatsapp_message *msg, cJSON **out);
void ccon_whatsapp_message_free(struct ccon_whatsapp_message *msg);

struct ccon_whatsapp_answer {
	char *tracking_id;
	char *created_at;
};

/* Both fields required. On failure *out is left empty. */
int ccon_whatsapp_answer_decode(const cJSON *json, struct ccon_whatsapp_answer *out,
                                struct ccon_error *err);
int ccon_whatsapp_answer_parse(const char *text, size_t len, struct ccon_whatsapp_answer *out,
                               struct ccon_error *err);
int ccon_whatsapp_answer_encode(const struct ccon_whatsapp_answer *ans, cJSON **out);
void ccon_whatsapp_answer_free(struct ccon_whatsapp_answer *ans);

#endif
