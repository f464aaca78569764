/* it_send.c - placeholder suite until its tests are written. */
#include "config.h"

#include "harness.h"
#include "suites.h"

Suite *ccon_it_suite_send(void)
{
	return suite_create("send");
}
