/* routes_transactional.c - placeholder: answers 501 until implemented. */
#include "config.h"

#include "routes.h"

void api_send_transactional(struct api_call *c)
{
	api_reply_errorf(c, 501, CCON_E_NOT_IMPLEMENTED, "not implemented yet");
}

