/* Placeholder: the csv_preview suite. */
#include "config.h"

#include "suites.h"

Suite *ccon_suite_csv_preview(void)
{
	return suite_create("csv_preview");
}
