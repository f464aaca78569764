/* ccon/codec_send.h - the body of a seed 000 send and the text fields of a
 * seed 001 CSV send.
 *
 * JSON send (POST .../campaigns/{campaignId}/send):
 *   contacts          array of 1..100 objects, required
 *     contactCode     string, required (checked by ccon_contact_validate)
 *     channelType     string, required ("cloud_api")
 *     customFields    object of scalars, names [A-Za-z0-9_]+
 *   scheduleAt        string, ISO 8601 date-time (kept as text: timing.h checks it)
 *   delay             string, ISO 8601 duration (kept as text: timing.h checks it,
 *                     and that it is not given together with scheduleAt)
 *   slicingCondition  fragmentedSlots (default) | immediateConsecutiveSlots |
 *                     deferredConsecutiveSlots
 * Unknown fields are ignored; JSON null counts as absent. Errors name the full
 * field path: "contacts[3].customFields.age", "contacts[0].contactCode".
 *
 * CSV send (POST .../send/csv, multipart): besides `layout` and `file`, the
 * text fields scheduleAt, delay and slicingCondition, shared here by the
 * server (which reads them) and the console (which writes them).
 */
#ifndef CCON_CODEC_SEND_H
#define CCON_CODEC_SEND_H

#include <ccon/contact.h>
#include <ccon/error.h>
#include <ccon/field.h>
#include <ccon/slots.h>

#include <cjson/cJSON.h>
#include <stddef.h>

struct ccon_send_request {
	struct ccon_contact *contacts;  /* n_contacts owned contacts, as given */
	size_t n_contacts;
	char *schedule_at;              /* NULL when absent */
	char *delay;                    /* NULL when absent */
	enum ccon_slicing slicing;      /* CCON_SLICING_FRAGMENTED when absent */
};

/* Decodes and validates a send body. On failure *out is left empty (nothing
 * to free) and err says where and why. */
int ccon_send_request_decode(const cJSON *json, struct ccon_send_request *out,
                             struct ccon_error *err);
/* The same from text; a syntax error is CCON_E_JSON_SYNTAX with line and column. */
int ccon_send_request_parse(const char *text, size_t len, struct ccon_send_request *out,
                            struct ccon_error *err);
/* Builds the JSON body (slicingCondition always written, customFields values
 * as strings). 0, or -1 when out of memory. */
int ccon_send_request_encode(const struct ccon_send_request *req, cJSON **out);
void ccon_send_request_free(struct ccon_send_request *req);

/* The text fields of a CSV send other than layout and file. */
struct ccon_send_form {
	char *schedule_at;              /* NULL when absent */
	char *delay;                    /* NULL when absent */
	enum ccon_slicing slicing;
};

/* Decodes the multipart text fields (name/value pairs in arrival order).
 * Names match exactly; other names (layout, file, anything unknown) are
 * ignored. An empty value counts as absent, as a browser sends an empty
 * input. A field given twice is CCON_E_JSON_VALUE at its name: which one was
 * meant is unknowable. On failure *out is left empty. */
int ccon_send_form_decode(const struct ccon_fields *fields, struct ccon_send_form *out,
                          struct ccon_error *err);
/* Appends the fields to send (absent ones skipped, slicingCondition always).
 * 0, or -1 when out of memory. */
int ccon_send_form_encode(const struct ccon_send_form *form, struct ccon_fields *out);
void ccon_send_form_free(struct ccon_send_form *form);

#endif
