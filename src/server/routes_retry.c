/* routes_retry.c - POST .../campaigns/{id}/retry-failed (placeholder). */
#include "config.h"

#include "routes.h"

#include "retry.h"

void api_campaign_retry_failed(struct api_call *c)
{
	api_reply_errorf(c, 501, CCON_E_NOT_IMPLEMENTED, "not implemented yet");
}
