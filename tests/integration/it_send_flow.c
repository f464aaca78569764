#include "config.h"

#include "suites.h"

#include <check.h>

Suite *ccon_it_suite_send_flow(void)
{
	return suite_create("send_flow");
}
