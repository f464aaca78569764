/* campaigns.h - campaigns in the store: the definition a send uses
 * (channel, template, flow redirection). REST campaigns, seed 002 full and
 * v2 campaigns are all rows here (origin says which). */
#ifndef CCOND_CAMPAIGNS_H
#define CCOND_CAMPAIGNS_H

#include <ccon/error.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
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

/* Inserts c (app_id, name, channel required; created_us set by the caller;
 * campaign_type NULL is "Batch", origin NULL "rest") and sets c->id. */
int campaigns_insert(sqlite3 *db, struct campaign *c, struct ccon_error *err);
/* The application's campaign: 1 found, 0 no such campaign (or another
 * application's), -1 error. */
int campaigns_get(sqlite3 *db, int64_t app_id, int64_t id, struct campaign *out,
                  struct ccon_error *err);
/* CCON_E_NOT_FOUND when there is no such campaign. */
int campaigns_set_dispatched(sqlite3 *db, int64_t id, struct ccon_error *err);
void campaign_free(struct campaign *c);

#define CAMPAIGNS_TAKE_MAX 1000

/* One page (take 1..CAMPAIGNS_TAKE_MAX) of the application's campaigns,
 * newest first: items[0..*n)
 * (free with campaigns_list_free), *total all of the application's. */
int campaigns_list(sqlite3 *db, int64_t app_id, int64_t skip, int64_t take,
                   struct campaign **items, size_t *n, int64_t *total, struct ccon_error *err);
void campaigns_list_free(struct campaign *items, size_t n);

/* The REST representation (GET /v1/applications/{appId}/campaigns/{id}):
 * codec_campaign_def.h's answer form. NULL when out of memory. */
cJSON *campaign_to_json(const struct campaign *c);

/* The variables a send must supply: the names in template_params when set
 * (REST templateParams, seed 002 messageParams), else template_body's (none
 * when it has a syntax error, which only a seed 002 body can have): a
 * NULL-terminated heap array of heap strings, freed by
 * campaign_variables_free; NULL only when out of memory. */
char **campaign_variables(const struct campaign *c);
void campaign_variables_free(char **vars);

#endif
