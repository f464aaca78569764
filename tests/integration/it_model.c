/* Placeholder: the model suite. */
#include "config.h"

#include "harness.h"
#include "suites.h"

Suite *ccon_it_suite_model(void)
{
	return suite_create("model");
}
