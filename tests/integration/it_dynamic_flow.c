/* placeholder: being written (issue 6). */
#include "config.h"

#include "harness.h"
#include "suites.h"

Suite *ccon_it_suite_dynamic_flow(void)
{
	return suite_create("dynamic_flow");
}
