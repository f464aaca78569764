/* Placeholder: the dispatch_plans suite. */
#include "config.h"

#include "harness.h"
#include "suites.h"

Suite *ccon_it_suite_dispatch_plans(void)
{
	Suite *s = suite_create("dispatch_plans");

	return s;
}
