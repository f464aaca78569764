/* ccon/codec_command.h - the command envelope of seed 002 (POST /commands)
 * and the routes its `uri` names.
 *
 * Request:
 *   id        string, required (the client's command id, echoed back)
 *   from      string, optional
 *   to        string, optional ("postmaster@activecampaign.msging.net")
 *   method    "get" | "set" | "delete", required, any letter case. The seed
 *             uses only these three; other LIME methods (merge, observe,
 *             subscribe) are refused with CCON_E_JSON_VALUE at `method`
 *             rather than guessed at.
 *   uri       string, required (see ccon_cmd_uri_parse)
 *   type      string, optional (the resource's media type)
 *   resource  object or array, optional; kept as a cJSON tree for the
 *             resource decoders (codec_campaign.h, codec_reports.h)
 * Answer: id, from, to, method, type, resource as above but only status is
 *   required (uri is not echoed: the seed's answer carries it in metadata
 *   "#command.uri"), and
 *   status    "success" | "failure", required
 *   reason    {code: integer, description: string}, with failure
 *   metadata  object, optional, kept as is (traceparent, #command.uri)
 * Unknown fields are ignored and JSON null counts as absent. Errors name the
 * field path (`method`, `reason.code`); a resource decoder's errors are
 * prefixed with `resource` by ccon_cmd_resource_error_path().
 */
#ifndef CCON_CODEC_COMMAND_H
#define CCON_CODEC_COMMAND_H

#include <ccon/error.h>
#include <ccon/field.h>
#include <ccon/json_writer.h>
#include <ccon/strbuf.h>

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ccon_cmd_method { CCON_CMD_GET, CCON_CMD_SET, CCON_CMD_DELETE };

enum ccon_cmd_status { CCON_CMD_SUCCESS, CCON_CMD_FAILURE };

struct ccon_command {
	char *id;
	char *from;                    /* NULL when absent */
	char *to;                      /* NULL when absent */
	enum ccon_cmd_method method;
	char *uri;
	char *type;                    /* NULL when absent */
	cJSON *resource;               /* owned; NULL when absent */
};

struct ccon_command_answer {
	char *id;                      /* NULL when absent (a command too broken to
	                                * read has no id to echo) */
	char *from;                    /* NULL when absent */
	char *to;                      /* NULL when absent */
	bool has_method;               /* the same: method may be absent */
	enum ccon_cmd_method method;
	enum ccon_cmd_status status;
	char *type;                    /* NULL when absent */
	cJSON *resource;               /* owned; NULL when absent */
	bool has_reason;
	int64_t reason_code;
	char *reason_description;      /* NULL when absent */
	cJSON *metadata;               /* owned object; NULL when absent */
};

/* "get", "set", "delete"; "success", "failure". */
const char *ccon_cmd_method_name(enum ccon_cmd_method m);
const char *ccon_cmd_status_name(enum ccon_cmd_status s);
/* Case-insensitive; -1 when unknown. */
int ccon_cmd_method_parse(const char *s, enum ccon_cmd_method *out);

/* Decoders: on failure *out is left empty (nothing to free). _parse reads
 * text strictly: a syntax error is CCON_E_JSON_SYNTAX with line and column. */
int ccon_command_decode(const cJSON *json, struct ccon_command *out, struct ccon_error *err);
int ccon_command_parse(const char *text, size_t len, struct ccon_command *out,
                       struct ccon_error *err);
/* 0, or -1 when out of memory. */
int ccon_command_encode(const struct ccon_command *cmd, cJSON **out);
void ccon_command_free(struct ccon_command *cmd);

int ccon_command_answer_decode(const cJSON *json, struct ccon_command_answer *out,
                               struct ccon_error *err);
int ccon_command_answer_parse(const char *text, size_t len, struct ccon_command_answer *out,
                              struct ccon_error *err);
int ccon_command_answer_encode(const struct ccon_command_answer *ans, cJSON **out);
void ccon_command_answer_free(struct ccon_command_answer *ans);

/* The answer streamed through a writer, the same text as _encode printed
 * (cJSON_PrintUnformatted) but for invalid UTF-8 (json_writer.h): no tree,
 * no copy of the resource. _write_begin writes the envelope up to the
 * resource (its key included when has_resource; ans->resource is not
 * read): the caller then writes the resource value itself, and
 * _write_end writes reason and metadata and closes the envelope.
 * _write does all three with ans->resource. 0, or -1 when the writer
 * failed. */
int ccon_command_answer_write_begin(const struct ccon_command_answer *ans, bool has_resource,
                                    struct ccon_json_writer *w);
int ccon_command_answer_write_end(const struct ccon_command_answer *ans,
                                  struct ccon_json_writer *w);
int ccon_command_answer_write(const struct ccon_command_answer *ans, struct ccon_json_writer *w);

/* Fills ans as the answer to cmd (id, from = cmd->to, to = cmd->from,
 * method), status success; takes ownership of resource (may be NULL) and
 * copies type. 0, or -1 when out of memory (resource is freed then). */
int ccon_command_answer_success(const struct ccon_command *cmd, const char *type,
                                cJSON *resource, struct ccon_command_answer *ans);
/* The same with status failure and reason {code, description}. */
int ccon_command_answer_failure(const struct ccon_command *cmd, int64_t code,
                                const char *description, struct ccon_command_answer *ans);

/* Prefixes err's path with "resource" (after a resource decoder failed on
 * the resource of an envelope): "audiences[3].recipient" becomes
 * "resource.audiences[3].recipient". */
void ccon_cmd_resource_error_path(struct ccon_error *err);

/* ------------------------------------------------------------- routes */

/* The routes of DESIGN §2.1; {id} is a campaign id. */
enum ccon_cmd_route {
	CCON_ROUTE_CAMPAIGN_FULL,      /* set    /campaign/full */
	CCON_ROUTE_CAMPAIGN_V2,        /* set    /campaign/v2 */
	CCON_ROUTE_AUDIENCES_V2,       /* set    /audiences/v2/{id} */
	CCON_ROUTE_AUDIENCES_V2_FILE,  /* set    /audiences/v2/{id}/file */
	CCON_ROUTE_DISPATCH_V2,        /* set    /dispatch/v2 */
	CCON_ROUTE_SUMMARIES,          /* get    /campaigns/summaries */
	CCON_ROUTE_SUMMARY,            /* get    /campaigns/{id}/summaries */
	CCON_ROUTE_REPORT,             /* get    /campaigns/{id}/reports */
	CCON_ROUTE_CAMPAIGN,           /* delete /campaigns/{id} */
	CCON_ROUTE_AUDIENCE,           /* get    /audiences/{id} */
	CCON_ROUTE_MESSAGES,           /* get    /messages/{id} */
	CCON_ROUTE_FAILURES,           /* get    /campaigns/{id}/failures (ccon's own:
	                                * failures grouped by reason, codec_reports.h) */
	CCON_ROUTE__COUNT
};

/* Paging: 0 <= $skip <= CCON_CMD_SKIP_MAX (default 0), 1 <= $take <=
 * CCON_CMD_TAKE_MAX (default CCON_CMD_TAKE_DEFAULT). The limit keeps one
 * answer page small enough to parse within a frame (DESIGN §5). */
#define CCON_CMD_TAKE_DEFAULT 50
#define CCON_CMD_TAKE_MAX 100
#define CCON_CMD_SKIP_MAX INT64_C(999999999999)
/* reasonCode: a whole number from 0 to this. */
#define CCON_CMD_REASON_CODE_MAX INT64_C(999999999999)

struct ccon_paging {
	int64_t skip;
	int64_t take;
};

/* Reads $skip and $take from their texts (NULL when absent: the default),
 * as /commands uris and the REST list routes take them: decimal digits
 * only. Anything else (empty, a sign, a space) is CCON_E_JSON_VALUE, a
 * number out of range CCON_E_JSON_RANGE; the path is "$skip" or "$take".
 * *out is set only on success. */
int ccon_paging_parse(const char *skip, const char *take, struct ccon_paging *out,
                      struct ccon_error *err);

struct ccon_cmd_uri {
	enum ccon_cmd_route route;
	char *campaign_id;             /* percent-decoded; NULL for routes without one */
	/* Query parameters, percent-decoded ('+' is a space), names matched
	 * case-insensitively. A name given twice is an error. */
	char *source_application;      /* sourceApplication, NULL when absent */
	char *campaign_sender;         /* campaignSender */
	char *created;                 /* created (date text; datetime.h checks it) */
	char *task_id;                 /* taskId: ccon's own, narrows a campaign-level
	                                * read to one send task */
	/* ccon's own filters of the recipient reads (/audiences/{id},
	 * /campaigns/{id}/reports): */
	char *status;                  /* status: one delivery status, lower case
	                                * (ccon_cmd_recipient_status_valid), NULL */
	bool has_reason_code;          /* reasonCode: a whole number (digits only,
	                                * 0..CCON_CMD_REASON_CODE_MAX) */
	int64_t reason_code;
	int64_t skip;                  /* $skip */
	int64_t take;                  /* $take */
	bool has_skip, has_take;
	struct ccon_fields others;     /* every other parameter, in order */
};

/* Splits uri into its route, campaign id and filters. Accepts the path with
 * or without a query, one optional trailing '/', path segments matched
 * case-insensitively. An unknown route is CCON_E_JSON_VALUE naming the path;
 * a bad $skip/$take, status, reasonCode or percent escape is
 * CCON_E_JSON_VALUE / CCON_E_JSON_RANGE with the parameter's name as path
 * ("status": one of the six statuses, any letter case, no list). On failure
 * *out is left empty. */
int ccon_cmd_uri_parse(const char *uri, struct ccon_cmd_uri *out, struct ccon_error *err);
/* Builds the uri back, percent-encoding ids and values (parameters in the
 * order sourceApplication, campaignSender, created, taskId, status,
 * reasonCode, $skip, $take, others; NULL strings and has_* false are left
 * out): the console builds its uris this way. Appends to sb; 0, or -1 when
 * out of memory. */
int ccon_cmd_uri_format(const struct ccon_cmd_uri *u, struct ccon_strbuf *sb);
void ccon_cmd_uri_free(struct ccon_cmd_uri *u);

/* true for the six delivery statuses of a recipient, lower case: pending,
 * processed, received, read, failed, canceled. */
bool ccon_cmd_recipient_status_valid(const char *s);

/* The route's path pattern ("/campaigns/{id}/summaries"). */
const char *ccon_cmd_route_pattern(enum ccon_cmd_route r);
/* The one method each route takes (the table above). */
enum ccon_cmd_method ccon_cmd_route_method(enum ccon_cmd_route r);
/* true when the route needs a campaign id in its path. */
bool ccon_cmd_route_has_id(enum ccon_cmd_route r);

#endif
