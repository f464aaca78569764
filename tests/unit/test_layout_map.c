#include "config.h"

#include "suites.h"

#include <check.h>

Suite *ccon_suite_layout_map(void)
{
	return suite_create("layout_map");
}
