/* routes_send_csv.c - placeholder: answers 501 until implemented. */
#include "config.h"

#include "routes.h"

void api_send_csv_chunk(struct api_call *c, const char *data, size_t len)
{
	(void)c;
	(void)data;
	(void)len;
}

void api_send_csv(struct api_call *c)
{
	api_reply_errorf(c, 501, CCON_E_NOT_IMPLEMENTED, "not implemented yet");
}

