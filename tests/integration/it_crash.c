/* Placeholder: the crash suite. */
#include "config.h"

#include "harness.h"
#include "suites.h"

Suite *ccon_it_suite_crash(void)
{
	Suite *s = suite_create("crash");

	return s;
}
