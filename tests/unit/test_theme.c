/* Placeholder: the theme suite. */
#include "config.h"

#include "suites.h"

Suite *ccon_suite_theme(void)
{
	return suite_create("theme");
}
