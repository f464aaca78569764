/* routes.h - every route handler of ccond (the table is in routes.c). */
#ifndef CCOND_ROUTES_H
#define CCOND_ROUTES_H

#include "api.h"

/* routes_admin.c: the manual clock */
void api_admin_clock(struct api_call *c);
/* routes_health.c */
void api_health(struct api_call *c);
/* routes_campaigns.c: REST campaigns */
void api_campaign_create(struct api_call *c);
void api_campaign_list(struct api_call *c);
void api_campaign_get(struct api_call *c);
/* routes_contacts.c: an application's contacts */
void api_contacts_list(struct api_call *c);
void api_contact_update(struct api_call *c);
/* routes_send.c: seed 000 */
void api_send_json(struct api_call *c);
/* routes_send_csv.c: seed 001 (multipart, streamed) */
void api_send_csv_chunk(struct api_call *c, const char *data, size_t len);
void api_send_csv(struct api_call *c);
/* routes_transactional.c: seed 003 */
void api_send_transactional(struct api_call *c);
/* routes_whatsapp.c: seed 004 */
void api_whatsapp_message(struct api_call *c);
/* routes_retry.c: re-send of a campaign's failed recipients */
void api_campaign_retry_failed(struct api_call *c);
/* routes_slots.c: ccond's slot extension */
void api_slots_get(struct api_call *c);
void api_slots_set_config(struct api_call *c);
/* routes_commands.c: seed 002's command envelope */
void api_commands(struct api_call *c);

#endif
