#include "config.h"

#include "suites.h"

#include <check.h>

Suite *ccon_it_suite_faultproxy(void)
{
	return suite_create("faultproxy");
}
