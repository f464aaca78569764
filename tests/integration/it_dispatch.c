/* it_dispatch.c - placeholder suite until its tests are written. */
#include "config.h"

#include "harness.h"
#include "suites.h"

Suite *ccon_it_suite_dispatch(void)
{
	return suite_create("dispatch");
}
