/* Placeholder: the client suite. */
#include "config.h"

#include "harness.h"
#include "suites.h"

Suite *ccon_it_suite_client(void)
{
	return suite_create("client");
}
