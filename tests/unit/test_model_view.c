/* Placeholder: the model_view suite. */
#include "config.h"

#include "suites.h"

Suite *ccon_suite_model_view(void)
{
	return suite_create("model_view");
}
