/* Placeholder: the settings suite. */
#include "config.h"

#include "suites.h"

Suite *ccon_suite_settings(void)
{
	return suite_create("settings");
}
