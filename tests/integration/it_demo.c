/* it_demo.c - placeholder suite until its tests are written. */
#include "config.h"

#include "harness.h"
#include "suites.h"

Suite *ccon_it_suite_demo(void)
{
	return suite_create("demo");
}
