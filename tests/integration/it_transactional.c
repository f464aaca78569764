/* it_transactional.c - placeholder suite until its tests are written. */
#include "config.h"

#include "harness.h"
#include "suites.h"

Suite *ccon_it_suite_transactional(void)
{
	return suite_create("transactional");
}
