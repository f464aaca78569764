/* The route table: every endpoint ccond answers. */
#include "config.h"

#include "routes.h"

#define APP "/v1/applications/{appId}"

const struct api_route api_routes[] = {
	{ "GET", "/v1/health", API_AUTH_NONE, api_health, NULL },
	{ "POST", "/v1/admin/clock", API_AUTH_BEARER, api_admin_clock, NULL },
	{ "POST", APP "/campaigns", API_AUTH_BEARER, api_campaign_create, NULL },
	{ "GET", APP "/campaigns", API_AUTH_BEARER, api_campaign_list, NULL },
	{ "GET", APP "/campaigns/{campaignId}", API_AUTH_BEARER, api_campaign_get, NULL },
	{ "POST", APP "/campaigns/{campaignId}/send", API_AUTH_BEARER, api_send_json, NULL },
	{ "POST", APP "/campaigns/{campaignId}/send/csv", API_AUTH_BEARER, api_send_csv,
	  api_send_csv_chunk },
	{ "POST", APP "/campaigns/{campaignId}/retry-failed", API_AUTH_BEARER,
	  api_campaign_retry_failed, NULL },
	{ "GET", APP "/contacts", API_AUTH_BEARER, api_contacts_list, NULL },
	{ "PUT", APP "/contacts/{contactId}", API_AUTH_BEARER, api_contact_update, NULL },
	{ "GET", APP "/slots", API_AUTH_BEARER, api_slots_get, NULL },
	{ "PUT", APP "/slots/config", API_AUTH_BEARER, api_slots_set_config, NULL },
	{ "POST", "/v1/campaigns/transactional/send", API_AUTH_BEARER, api_send_transactional,
	  NULL },
	{ "POST", "/v1/whatsapp/messages", API_AUTH_BEARER, api_whatsapp_message, NULL },
	{ "POST", "/commands", API_AUTH_KEY, api_commands, NULL },
};

const size_t api_n_routes = sizeof(api_routes) / sizeof(api_routes[0]);
