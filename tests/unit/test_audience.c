/* Placeholder: the audience suite. */
#include "config.h"

#include "suites.h"

Suite *ccon_suite_audience(void)
{
	return suite_create("audience");
}
