/* Every unit-test suite of libccon; each test_NAME.c defines ccon_suite_NAME(). */
#ifndef CCON_TEST_SUITES_H
#define CCON_TEST_SUITES_H

#include <check.h>

#define CCON_TEST_SUITES(X) \
	X(strbuf) \
	X(utf8) \
	X(sha256) \
	X(json_util) \
	X(json_writer) \
	X(datetime) \
	X(duration) \
	X(timing) \
	X(slots) \
	X(phone) \
	X(contact) \
	X(template) \
	X(sms) \
	X(layout) \
	X(csv_import) \
	X(codec_send) \
	X(codec_transactional) \
	X(codec_whatsapp) \
	X(codec_command) \
	X(codec_reports) \
	X(codec_campaign_def) \
	X(settings) \
	X(sanitize) \
	X(theme) \
	X(keyspec) \
	X(export) \
	X(model_view) \
	X(csv_preview) \
	X(audience) \
	X(layout_map) \
	X(send_draft) \
	X(field) \
	X(audience_csv) \
	X(cli_table) \
	X(cli_exit)

#define CCON_DECLARE_SUITE(name) Suite *ccon_suite_##name(void);
CCON_TEST_SUITES(CCON_DECLARE_SUITE)
#undef CCON_DECLARE_SUITE

#endif
