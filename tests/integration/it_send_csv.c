/* it_send_csv.c - placeholder suite until its tests are written. */
#include "config.h"

#include "harness.h"
#include "suites.h"

Suite *ccon_it_suite_send_csv(void)
{
	return suite_create("send_csv");
}
