/* The ccond integration-test runner (CK_RUN_SUITE=name runs one suite). */
#include "config.h"

#include "suites.h"

#include <curl/curl.h>
#include <stdlib.h>

int main(void)
{
	SRunner *sr = srunner_create(NULL);
	int failed;

	curl_global_init(CURL_GLOBAL_DEFAULT);
#define CCON_ADD_SUITE(name) srunner_add_suite(sr, ccon_it_suite_##name());
	CCON_IT_SUITES(CCON_ADD_SUITE)
#undef CCON_ADD_SUITE
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	curl_global_cleanup();
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
