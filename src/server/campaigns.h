/* campaigns.h - campaigns in the store: the definition a send uses
 * (channel, template, flow redirection). REST campaigns, seed 002 full and
 * v2 campaigns are all rows here (origin says which). */
#ifndef CCOND_CAMPAIGNS_H
#define CCOND_CAMPAIGNS_H

#include <ccon/error.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

struct campaign {
	int64_t id;
	int64_t app_id;
	char *name;
	char *channel;            /* "whatsapp" | "sms" | "rcs" */
	char *campaign_type;      /* "Individual" | "Batch" */
	char *template_name;      /* WhatsApp template name (seed 002 messageTemplate) */
	char *template_body;      /* text with {{variables}} (RCS messageContent, SMS text) */
	char *template_params;    /* JSON array of parameter names, or NULL */
	char *language;
	char *flow_id, *state_id, *master_state;
	char *source_application, *campaign_sender;
	char *tags;               /* JSON array text, or NULL */
	char *origin;             /* "rest" | "full" | "v2" */
	bool dispatched;          /* a v2 campaign after /dispatch/v2 */
	int64_t created_us;
};

/* Inserts c (app_id, name, channel required; created_us set by the caller)
 * and sets c->id. */
int campaigns_insert(sqlite3 *db, struct campaign *c, struct ccon_error *err);
/* The application's campaign: 1 found, 0 no such campaign (or another
 * application's), -1 error. */
int campaigns_get(sqlite3 *db, int64_t app_id, int64_t id, struct campaign *out,
                  struct ccon_error *err);
int campaigns_set_dispatched(sqlite3 *db, int64_t id, struct ccon_error *err);
void campaign_free(struct campaign *c);

/* The REST representation (GET /v1/applications/{appId}/campaigns/{id}). */
cJSON *campaign_to_json(const struct campaign *c);

/* The variables the campaign's template uses (from template_body, or the
 * names in template_params): a NULL-terminated heap array of heap strings,
 * each freed by campaign_variables_free. */
char **campaign_variables(const struct campaign *c);
void campaign_variables_free(char **vars);

#endif
