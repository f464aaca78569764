/* ccon/codec_reports.h - the answers the console reads from seed 002's
 * campaign-level reads: summaries, audience, messages and report.
 *
 * ccond encodes them (the answer's resource), the console decodes them. In
 * ccon's data model a campaign may have been sent several times: these reads
 * aggregate all its send tasks and each item may carry its `taskId` (ccon's
 * own field; absent for a single send is fine).
 *
 * List answers (type application/vnd.lime.collection+json) are
 *   {"total": N, "itemType": "...", "items": [...]}
 * total is the number of items over all pages (optional when decoding: the
 * page's item count then), items one page of them ($skip/$take in the uri,
 * see codec_command.h). itemType is written, and ignored when read.
 *
 * A campaign summary (GET /campaigns/{id}/summaries, and each item of
 * GET /campaigns/summaries):
 *   id, name, messageTemplate, campaignType, channelType, sendDate, flowId,
 *   stateId, status, created, sourceApplication, campaignSender,
 *   failedReason                           strings (date-times as text)
 *   counts          ccon's own: {"total", "pending", "processed", "received",
 *                   "read", "failed", "canceled"}, whole numbers >= 0, the
 *                   recipients of the campaign in each delivery status
 *   statusAudience  the seed's "processing status of the audience", kept
 *                   small for a list: [{"status": "received", "count": 12},
 *                   ...], one entry per status that has recipients.
 *                   Recipient by recipient is in the report and the audience.
 * An audience item (GET /audiences/{id}):
 *   campaignId, taskId, retryOf, recipient, recipientType, channelType,
 *   status, audienceStatus, validatedAccount, reasonDescription   strings
 *   processed, received, read, failed   date-times of each step (strings)
 *   messageParams   object of scalars (kept as text)
 *   reasonCode      integer (WhatsApp-style: 131026)
 * A message item (GET /messages/{id}):
 *   taskId, retryOf, channelType, messageTemplate, messageContent,
 *   messageTemplateLanguage    strings
 *   messageParams   array of the parameter names (as in the message entity)
 * The report (GET /campaigns/{id}/reports), one object:
 *   id, name, messageTemplate, masterState, flowId, stateId, stateName,
 *   attendanceRedirect, campaignSender, sendDate     strings
 *   total           ccon's own: the number of recipients over all pages
 *   statusAudience  one page of [{recipientIdentity, status, reasonCode,
 *                   reasonDescription, processed, received, read, failed,
 *                   numberStatus, taskId, retryOf}]
 * retryOf (ccon's own) is on the items of a send task that re-sends another
 * task's failed recipients (retry-failed): that task's id.
 * A failure group (GET /campaigns/{id}/failures, ccon's own; a list of them,
 * largest first):
 *   reasonCode         integer, absent for the failures that have no code
 *   reasonDescription  string
 *   count              whole number >= 0, the failed recipients with that code
 *
 * Unknown fields are ignored, JSON null counts as absent, wrong types are
 * errors naming the path from the resource ("items[3].messageParams.1");
 * counts and totals must be >= 0 (CCON_E_JSON_RANGE). Decoding is one pass
 * per item. On failure *out is left empty. Encoders return 0, or -1 when out
 * of memory.
 *
 * The _write functions write the same JSON text as the _encode ones would
 * print (cJSON_PrintUnformatted), streamed through a json_writer with no
 * tree: ccond's answers. They return 0, or -1 when the writer failed.
 */
#ifndef CCON_CODEC_REPORTS_H
#define CCON_CODEC_REPORTS_H

#include <ccon/error.h>
#include <ccon/field.h>
#include <ccon/json_writer.h>

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CCON_COLLECTION_TYPE "application/vnd.lime.collection+json"
#define CCON_SUMMARY_TYPE "application/vnd.iris.activecampaign.campaign-summary+json"
#define CCON_AUDIENCE_ITEM_TYPE "application/vnd.iris.activecampaign.audience-summary+json"
#define CCON_MESSAGE_ITEM_TYPE "application/vnd.iris.activecampaign.message+json"
#define CCON_REPORT_TYPE "application/vnd.iris.activecampaign.report+json"
#define CCON_FAILURE_GROUP_TYPE "application/vnd.iris.activecampaign.failure-group+json"

struct ccon_recipient_counts {
	int64_t total;
	int64_t pending;
	int64_t processed;
	int64_t received;
	int64_t read;
	int64_t failed;
	int64_t canceled;
};

struct ccon_status_count {
	char *status;
	int64_t count;
};

struct ccon_campaign_summary {
	char *id;                   /* NULL when absent, as every char * here */
	char *name;
	char *message_template;
	char *campaign_type;
	char *channel_type;
	char *send_date;
	char *flow_id;
	char *state_id;
	char *status;
	char *created;
	char *source_application;
	char *campaign_sender;
	char *failed_reason;
	bool has_counts;
	struct ccon_recipient_counts counts;
	struct ccon_status_count *status_audience;
	size_t n_status_audience;
};

struct ccon_summary_list {
	int64_t total;
	struct ccon_campaign_summary *items;
	size_t count;
};

struct ccon_audience_item {
	char *campaign_id;
	char *task_id;
	char *retry_of;             /* the task a retry re-sends (retry-failed) */
	char *recipient;
	char *recipient_type;
	char *channel_type;
	struct ccon_fields message_params;
	char *status;
	char *audience_status;
	char *validated_account;
	char *processed;
	char *received;
	char *read;
	char *failed;
	bool has_reason_code;
	int64_t reason_code;
	char *reason_description;
};

struct ccon_audience_page {
	int64_t total;
	struct ccon_audience_item *items;
	size_t count;
};

struct ccon_message_item {
	char *task_id;
	char *retry_of;
	char *channel_type;
	char *message_template;
	char *message_content;
	char *template_language;
	char **params;
	size_t n_params;
};

struct ccon_message_page {
	int64_t total;
	struct ccon_message_item *items;
	size_t count;
};

struct ccon_status_audience {
	char *recipient_identity;
	char *status;
	bool has_reason_code;
	int64_t reason_code;
	char *reason_description;
	char *processed;
	char *received;
	char *read;
	char *failed;
	char *number_status;
	char *task_id;
	char *retry_of;
};

struct ccon_campaign_report {
	char *id;
	char *name;
	char *message_template;
	char *master_state;
	char *flow_id;
	char *state_id;
	char *state_name;
	char *attendance_redirect;
	char *campaign_sender;
	char *send_date;
	bool has_total;
	int64_t total;
	struct ccon_status_audience *status_audience;
	size_t n_status_audience;
};

/* The console's model keeps these as they are decoded (model.h). */
struct ccon_failure_group {
	bool has_code;
	int64_t reason_code;
	char *reason_description;
	int64_t count;
};

struct ccon_failure_group_list {
	int64_t total;              /* the number of groups */
	struct ccon_failure_group *items;
	size_t count;
};

int ccon_campaign_summary_decode(const cJSON *resource, struct ccon_campaign_summary *out,
                                 struct ccon_error *err);
int ccon_campaign_summary_encode(const struct ccon_campaign_summary *s, cJSON **out);
int ccon_campaign_summary_write(const struct ccon_campaign_summary *s,
                                struct ccon_json_writer *w);
void ccon_campaign_summary_free(struct ccon_campaign_summary *s);

int ccon_summary_list_decode(const cJSON *resource, struct ccon_summary_list *out,
                             struct ccon_error *err);
int ccon_summary_list_encode(const struct ccon_summary_list *l, cJSON **out);
int ccon_summary_list_write(const struct ccon_summary_list *l,
                                struct ccon_json_writer *w);
void ccon_summary_list_free(struct ccon_summary_list *l);

int ccon_audience_page_decode(const cJSON *resource, struct ccon_audience_page *out,
                              struct ccon_error *err);
int ccon_audience_page_encode(const struct ccon_audience_page *p, cJSON **out);
int ccon_audience_page_write(const struct ccon_audience_page *p,
                                struct ccon_json_writer *w);
void ccon_audience_page_free(struct ccon_audience_page *p);

int ccon_message_page_decode(const cJSON *resource, struct ccon_message_page *out,
                             struct ccon_error *err);
int ccon_message_page_encode(const struct ccon_message_page *p, cJSON **out);
int ccon_message_page_write(const struct ccon_message_page *p,
                                struct ccon_json_writer *w);
void ccon_message_page_free(struct ccon_message_page *p);

int ccon_campaign_report_decode(const cJSON *resource, struct ccon_campaign_report *out,
                                struct ccon_error *err);
int ccon_campaign_report_encode(const struct ccon_campaign_report *r, cJSON **out);
int ccon_campaign_report_write(const struct ccon_campaign_report *r,
                                struct ccon_json_writer *w);
void ccon_campaign_report_free(struct ccon_campaign_report *r);

int ccon_failure_group_list_decode(const cJSON *resource, struct ccon_failure_group_list *out,
                                   struct ccon_error *err);
int ccon_failure_group_list_encode(const struct ccon_failure_group_list *l, cJSON **out);
int ccon_failure_group_list_write(const struct ccon_failure_group_list *l,
                                  struct ccon_json_writer *w);
void ccon_failure_group_list_free(struct ccon_failure_group_list *l);

#endif
