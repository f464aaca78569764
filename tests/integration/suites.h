/* Every integration suite; each it_NAME.c defines ccon_it_suite_NAME(). */
#ifndef CCON_IT_SUITES_H
#define CCON_IT_SUITES_H

#include <check.h>

#define CCON_IT_SUITES(X) \
	X(server) \
	X(campaigns) \
	X(send) \
	X(send_csv) \
	X(transactional) \
	X(commands) \
	X(demo) \
	X(dispatch) \
	X(dispatch_plans) \
	X(retry) \
	X(crash) \
	X(failures) \
	X(client) \
	X(model) \
	X(send_flow) \
	X(dynamic_flow) \
	X(faultproxy)

#define CCON_DECLARE_SUITE(name) Suite *ccon_it_suite_##name(void);
CCON_IT_SUITES(CCON_DECLARE_SUITE)
#undef CCON_DECLARE_SUITE

#endif
