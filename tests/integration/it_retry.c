/* Placeholder: the retry suite. */
#include "config.h"

#include "harness.h"
#include "suites.h"

Suite *ccon_it_suite_retry(void)
{
	Suite *s = suite_create("retry");

	return s;
}
