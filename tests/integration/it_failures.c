/* Placeholder: the failures suite. */
#include "config.h"

#include "harness.h"
#include "suites.h"

Suite *ccon_it_suite_failures(void)
{
	return suite_create("failures");
}
