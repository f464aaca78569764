/* Placeholder: the keyspec suite. */
#include "config.h"

#include "suites.h"

Suite *ccon_suite_keyspec(void)
{
	return suite_create("keyspec");
}
