/* Placeholder: the export suite. */
#include "config.h"

#include "suites.h"

Suite *ccon_suite_export(void)
{
	return suite_create("export");
}
