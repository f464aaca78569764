#include "config.h"

#include "suites.h"

Suite *ccon_suite_codec_campaign_def(void)
{
	return suite_create("codec_campaign_def");
}
