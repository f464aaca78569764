#include "config.h"

#include "suites.h"

Suite *ccon_suite_json_writer(void)
{
	return suite_create("json_writer");
}
