/* Placeholder: the sanitize suite. */
#include "config.h"

#include "suites.h"

Suite *ccon_suite_sanitize(void)
{
	return suite_create("sanitize");
}
