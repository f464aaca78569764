/* ccon/codec_campaign_def.h - the REST campaign definition (ccond's own
 * POST /v1/applications/{appId}/campaigns body) and its answer.
 *
 * The body (JSON names; unknown fields are ignored, null counts as absent):
 *   name               string, required, 1..200 characters, not only blanks
 *   channel            "whatsapp" | "sms" | "rcs", required, any letter case
 *                      (kept lower case)
 *   campaignType       "Individual" | "Batch", any case, default Batch
 *   templateName       the WhatsApp template: required for whatsapp, refused
 *                      for sms and rcs (the channel would drop it); Meta's
 *                      rule: lower-case letters, digits and '_', 1..512
 *   templateBody       text with {{variables}} (template.h), 1..4096
 *                      characters: required for sms and rcs; optional for
 *                      whatsapp, where it documents the template's text and
 *                      names its variables
 *   templateParams     array of variable names for a template whose body is
 *                      not given (at most 100, no duplicates, may be empty);
 *                      refused together with templateBody, whose variables
 *                      are then the parameters
 *   language           "pt_BR", "en", "es_419": 2 or 3 lower-case letters,
 *                      then optionally '_' and 2 upper-case letters or 3
 *                      digits (WhatsApp's template language codes)
 *   flowId, stateId, masterState, sourceApplication, campaignSender
 *                      strings, 1..256 characters
 *   tags               array of at most 20 strings, each 1..64 characters,
 *                      no duplicates
 *
 * Variable names, in templateBody and templateParams, are what a send's
 * customFields can carry: [A-Za-z0-9_]+ of at most 64 bytes (contact.h).
 * Every text is valid UTF-8 without control characters (templateBody may
 * hold tabs and line breaks); characters are Unicode code points.
 *
 * Errors carry the field path ("templateParams[2]", "tags[20]") and, within
 * a string, the 1-based character position in err->column:
 *   missing_field      name, channel, templateName (whatsapp), templateBody
 *                      (sms, rcs)
 *   wrong_type         any field of the wrong JSON type
 *   invalid_length     an empty or too long string, too many tags or params
 *   invalid_value      an unknown channel or campaignType, a bad character,
 *                      a bad language, a duplicate, templateName on sms/rcs,
 *                      templateParams with templateBody
 *   template_syntax    templateBody (column at the offending "{{")
 *   invalid_custom_field_name   a variable name a send could not supply
 *                      (templateBody: column at its "{{")
 *
 * The answer (one campaign as ccond shows it): id (integer >= 1), the
 * fields above (campaignType and tags always written, tags possibly []),
 * "variables" (what a send must supply: the body's variables in order of
 * first appearance, else templateParams, else []; derived, ignored when
 * decoding), "origin" ("rest", or "full"/"v2" for seed 002 campaigns) and
 * "created" (ISO 8601, UTC). Decoding an answer checks types and the
 * required fields (id, name, channel, created) only: a server shows seed
 * 002 campaigns and channels that the body rules would refuse.
 *
 * On failure *out is left empty. Encoders return 0, or -1 when out of
 * memory.
 */
#ifndef CCON_CODEC_CAMPAIGN_DEF_H
#define CCON_CODEC_CAMPAIGN_DEF_H

#include <ccon/codec_campaign.h>
#include <ccon/error.h>
#include <ccon/template.h>

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CCON_REST_CAMPAIGN_NAME_MAX 200           /* characters */
#define CCON_REST_CAMPAIGN_TEMPLATE_NAME_MAX 512  /* characters */
#define CCON_REST_CAMPAIGN_BODY_MAX 4096          /* characters */
#define CCON_REST_CAMPAIGN_PARAMS_MAX 100
#define CCON_REST_CAMPAIGN_TEXT_MAX 256           /* characters, flowId etc. */
#define CCON_REST_CAMPAIGN_TAGS_MAX 20
#define CCON_REST_CAMPAIGN_TAG_MAX 64             /* characters */

enum ccon_rest_channel { CCON_REST_WHATSAPP, CCON_REST_SMS, CCON_REST_RCS };

/* "whatsapp", "sms", "rcs"; NULL when out of range. */
const char *ccon_rest_channel_name(enum ccon_rest_channel ch);
/* Case-insensitive; -1 when unknown. */
int ccon_rest_channel_parse(const char *s, enum ccon_rest_channel *out);

struct ccon_rest_campaign {
	char *name;
	char *channel;                  /* "whatsapp" | "sms" | "rcs" (an answer
	                                 * may carry another) */
	enum ccon_campaign_type type;   /* codec_campaign.h's */
	char *template_name;            /* NULL when absent, as every char * below */
	char *template_body;
	char **template_params;
	size_t n_template_params;
	bool has_template_params;       /* given, maybe empty */
	char *language;
	char *flow_id;
	char *state_id;
	char *master_state;
	char *source_application;
	char *campaign_sender;
	char **tags;
	size_t n_tags;
};

int ccon_rest_campaign_decode(const cJSON *json, struct ccon_rest_campaign *out,
                              struct ccon_error *err);
int ccon_rest_campaign_parse(const char *text, size_t len, struct ccon_rest_campaign *out,
                             struct ccon_error *err);
int ccon_rest_campaign_encode(const struct ccon_rest_campaign *c, cJSON **out);
void ccon_rest_campaign_free(struct ccon_rest_campaign *c);

/* The variables a send must supply: templateBody's, else templateParams
 * (in their order), else none. Fails only on a body with a syntax error
 * (template_syntax, path templateBody) or out of memory. */
int ccon_rest_campaign_variables(const struct ccon_rest_campaign *c,
                                 struct ccon_template_vars *out, struct ccon_error *err);

struct ccon_rest_campaign_info {
	int64_t id;
	struct ccon_rest_campaign def;
	char *origin;                   /* NULL when absent */
	int64_t created_us;
};

int ccon_rest_campaign_info_decode(const cJSON *json, struct ccon_rest_campaign_info *out,
                                   struct ccon_error *err);
int ccon_rest_campaign_info_parse(const char *text, size_t len,
                                  struct ccon_rest_campaign_info *out, struct ccon_error *err);
/* "variables" is derived from the definition (left out when the body does
 * not parse, which only a stored seed 002 campaign can do). -1 also when
 * created_us is outside datetime.h's range. */
int ccon_rest_campaign_info_encode(const struct ccon_rest_campaign_info *ci, cJSON **out);
void ccon_rest_campaign_info_free(struct ccon_rest_campaign_info *ci);

#endif
