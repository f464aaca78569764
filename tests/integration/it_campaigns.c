/* it_campaigns.c - placeholder suite until its tests are written. */
#include "config.h"

#include "harness.h"
#include "suites.h"

Suite *ccon_it_suite_campaigns(void)
{
	return suite_create("campaigns");
}
