#include "config.h"

#include "suites.h"

#include <check.h>

Suite *ccon_suite_send_draft(void)
{
	return suite_create("send_draft");
}
