/* ccon/codec_campaign.h - the resources that create a seed 002 campaign.
 *
 * In ccon's one data model (DESIGN §2) a seed-002 campaign is a campaign
 * with exactly one send task; these are the bodies that build it.
 *
 * set /campaign/full (application/vnd.iris.activecampaign.full-campaign+json)
 *   campaign   object, required
 *     name               string, required, not empty
 *     campaignType       "Individual" | "Batch", required, any letter case
 *                        (the answer spells it "BATCH")
 *     flowId, stateId, masterstate, sourceApplication, scheduled   strings
 *                        (scheduled is kept as text: datetime.h checks it)
 *     channelType        "WhatsApp" | "GoogleRcs", any case, default WhatsApp
 *     tags               array of strings
 *   audience   object, Individual only (required there)
 *   audiences  array of 1 or more, Batch only (required there)
 *     recipient          string, required, not empty (the phone number is
 *                        checked by phone.h where it is used: the seed's
 *                        own examples hold placeholders like "{{phonenumber1}}")
 *     messageParams      object of scalars; numbers and booleans are kept as
 *                        their JSON text and always written back as strings
 *     contextVariables   object; scalars kept as text as above, objects and
 *                        arrays as compact JSON text, written back as JSON
 *                        (Blip keeps context variables as text, complex ones
 *                        as JSON)
 *   message    object, required
 *     messageTemplate    string, required for WhatsApp
 *     messageContent     string, required for GoogleRcs
 *     messageTemplateLanguage  string
 *     messageParams      array of parameter names (strings, not empty, no
 *                        duplicates)
 *     channelType        as campaign.channelType; when both are given they
 *                        must agree
 * Rules the seed states, checked here:
 *   - every name in message.messageParams must be a key of every audience's
 *     messageParams ("the number of parameters must match the template"):
 *     a missing one is CCON_E_JSON_REQUIRED at
 *     `audiences[3].messageParams.1`. Extra keys are allowed: the seed stores
 *     them in the contact's extras.
 *   - "Total characters: 250" is read as per value: each messageParams value
 *     is at most 250 characters (Unicode code points), CCON_E_JSON_LENGTH at
 *     its path otherwise. (A total over all values would forbid the seed's
 *     own carousel example, two URLs and two names near 200 characters.)
 *   - The seed's first example puts `message` inside `audience` (a slip: a
 *     `}` is missing). When resource.message is absent, audience.message is
 *     accepted in its place and message_in_audience says so; the encoder
 *     always writes resource.message.
 *
 * set /campaign/v2 (campaign-dynamic): campaign and message as above; an
 *   `audience` or `audiences` field is refused (they go to /audiences/v2).
 *
 * set /audiences/v2/{id}: the seed shows no body. Accepted: a bare array of
 *   audiences, {"audiences": [...]} or a LIME collection {"items": [...]};
 *   written as {"audiences": [...]}. At least one audience.
 *
 * set /dispatch/v2: {"campaignId": "..."} (required, not empty); the seed
 *   shows no body either.
 *
 * The campaign answer (application/vnd.iris.activecampaign.campaign+json):
 *   id (required), name, campaignType, flowId, stateId, masterState,
 *   channelType, sourceApplication, status, created, scheduled, failedReason:
 *   all strings kept as given (a console must show statuses it does not
 *   know); ccond writes campaignType upper case as the seed shows.
 *
 * Decoders take the resource node; error paths start there
 * ("audiences[3].messageParams.1"): ccon_cmd_resource_error_path() adds
 * "resource" for an envelope. On failure *out is left empty. Encoders
 * return 0, or -1 when out of memory.
 */
#ifndef CCON_CODEC_CAMPAIGN_H
#define CCON_CODEC_CAMPAIGN_H

#include <ccon/error.h>
#include <ccon/field.h>

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#define CCON_MESSAGE_PARAM_MAX_CHARS 250

enum ccon_campaign_type { CCON_CAMPAIGN_INDIVIDUAL, CCON_CAMPAIGN_BATCH };
enum ccon_channel { CCON_CHANNEL_WHATSAPP, CCON_CHANNEL_GOOGLE_RCS };

/* "Individual"/"Batch", "WhatsApp"/"GoogleRcs". */
const char *ccon_campaign_type_name(enum ccon_campaign_type t);
const char *ccon_channel_name(enum ccon_channel c);
/* Case-insensitive; -1 when unknown. */
int ccon_campaign_type_parse(const char *s, enum ccon_campaign_type *out);
int ccon_channel_parse(const char *s, enum ccon_channel *out);

struct ccon_campaign_def {
	char *name;
	enum ccon_campaign_type type;
	char *flow_id;                  /* NULL when absent, as every char * below */
	char *state_id;
	char *master_state;
	enum ccon_channel channel;
	bool has_channel;               /* channelType was given */
	char *source_application;
	char **tags;
	size_t n_tags;
	char *scheduled;
};

struct ccon_audience {
	char *recipient;
	struct ccon_fields message_params;
	struct ccon_fields context_variables;
};

struct ccon_campaign_message {
	char *message_template;
	char *message_content;
	char *template_language;
	char **params;                  /* parameter names */
	size_t n_params;
	enum ccon_channel channel;      /* the campaign's when not given */
	bool has_channel;
};

struct ccon_full_campaign {
	struct ccon_campaign_def campaign;
	struct ccon_audience *audiences;  /* one for Individual */
	size_t n_audiences;
	struct ccon_campaign_message message;
	bool message_in_audience;       /* read from audience.message (seed slip) */
};

/* set /campaign/full */
int ccon_full_campaign_decode(const cJSON *resource, struct ccon_full_campaign *out,
                              struct ccon_error *err);
int ccon_full_campaign_encode(const struct ccon_full_campaign *fc, cJSON **out);
void ccon_full_campaign_free(struct ccon_full_campaign *fc);

/* set /campaign/v2: campaign and message, no audience. */
struct ccon_dynamic_campaign {
	struct ccon_campaign_def campaign;
	struct ccon_campaign_message message;
};

int ccon_dynamic_campaign_decode(const cJSON *resource, struct ccon_dynamic_campaign *out,
                                 struct ccon_error *err);
int ccon_dynamic_campaign_encode(const struct ccon_dynamic_campaign *dc, cJSON **out);
void ccon_dynamic_campaign_free(struct ccon_dynamic_campaign *dc);

/* set /audiences/v2/{id} */
struct ccon_audience_list {
	struct ccon_audience *items;
	size_t count;
};

int ccon_audience_list_decode(const cJSON *resource, struct ccon_audience_list *out,
                              struct ccon_error *err);
int ccon_audience_list_encode(const struct ccon_audience_list *al, cJSON **out);
void ccon_audience_list_free(struct ccon_audience_list *al);

/* Checks one audience against the message: every parameter name present,
 * every value within CCON_MESSAGE_PARAM_MAX_CHARS. path names the audience
 * ("audiences[3]"); errors extend it. ccond calls this for each audience
 * added to a /campaign/v2 campaign. */
int ccon_audience_check(const struct ccon_campaign_message *msg, const struct ccon_audience *a,
                        const char *path, struct ccon_error *err);
void ccon_audience_free(struct ccon_audience *a);

/* set /dispatch/v2 */
struct ccon_dispatch {
	char *campaign_id;
};

int ccon_dispatch_decode(const cJSON *resource, struct ccon_dispatch *out,
                         struct ccon_error *err);
int ccon_dispatch_encode(const struct ccon_dispatch *d, cJSON **out);
void ccon_dispatch_free(struct ccon_dispatch *d);

/* The campaign answer. */
struct ccon_campaign_info {
	char *id;
	char *name;
	char *campaign_type;
	char *flow_id;
	char *state_id;
	char *master_state;
	char *channel_type;
	char *source_application;
	char *status;
	char *created;
	char *scheduled;
	char *failed_reason;
};

int ccon_campaign_info_decode(const cJSON *resource, struct ccon_campaign_info *out,
                              struct ccon_error *err);
int ccon_campaign_info_encode(const struct ccon_campaign_info *ci, cJSON **out);
void ccon_campaign_info_free(struct ccon_campaign_info *ci);

#endif
