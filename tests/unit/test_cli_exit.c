/* The subcommands' exit statuses (src/cli/exit.c). */
#include "config.h"

#include "../../src/cli/exit.h"

#include "suites.h"
#include "testutil.h"

static struct ccon_error e_of(enum ccon_errc code)
{
	struct ccon_error e;

	ccon_error_clear(&e);
	if (code)
		ccon_error_set(&e, code, "x");
	return e;
}

START_TEST(test_by_status)
{
	struct ccon_error io = e_of(CCON_E_IO), none = e_of(CCON_E_OK);
	struct ccon_error nf = e_of(CCON_E_NOT_FOUND), bad = e_of(CCON_E_PHONE_TOO_SHORT);
	struct ccon_error conflict = e_of(CCON_E_CONFLICT);

	ck_assert_int_eq(cli_exit_for_status(0, &io), CLI_EXIT_NETWORK);
	ck_assert_int_eq(cli_exit_for_status(200, &none), CLI_EXIT_OK);
	ck_assert_int_eq(cli_exit_for_status(202, &none), CLI_EXIT_OK);
	ck_assert_int_eq(cli_exit_for_status(401, &none), CLI_EXIT_AUTH);
	ck_assert_int_eq(cli_exit_for_status(403, &none), CLI_EXIT_AUTH);
	ck_assert_int_eq(cli_exit_for_status(404, &nf), CLI_EXIT_SERVER);
	ck_assert_int_eq(cli_exit_for_status(400, &bad), CLI_EXIT_INVALID);
	ck_assert_int_eq(cli_exit_for_status(422, &bad), CLI_EXIT_INVALID);
	/* a reused Idempotency-Key with another body: the server's refusal */
	ck_assert_int_eq(cli_exit_for_status(422, &conflict), CLI_EXIT_SERVER);
	ck_assert_int_eq(cli_exit_for_status(409, &conflict), CLI_EXIT_SERVER);
	ck_assert_int_eq(cli_exit_for_status(429, &none), CLI_EXIT_SERVER);
	ck_assert_int_eq(cli_exit_for_status(500, &none), CLI_EXIT_SERVER);
	ck_assert_int_eq(cli_exit_for_status(503, &none), CLI_EXIT_SERVER);
}
END_TEST

START_TEST(test_by_error)
{
	static const struct { enum ccon_errc code; int want; } cases[] = {
		{ CCON_E_OK, CLI_EXIT_OK },
		{ CCON_E_NOMEM, CLI_EXIT_FAIL },
		{ CCON_E_IO, CLI_EXIT_NETWORK },
		{ CCON_E_AUTH, CLI_EXIT_AUTH },
		{ CCON_E_TOKEN, CLI_EXIT_USAGE },
		{ CCON_E_CONFIG_SYNTAX, CLI_EXIT_USAGE },
		{ CCON_E_NOT_FOUND, CLI_EXIT_SERVER },
		{ CCON_E_NOTHING_TO_RETRY, CLI_EXIT_SERVER },
		{ CCON_E_SLOTS_NO_CAPACITY, CLI_EXIT_SERVER },
		{ CCON_E_REMOTE_UNKNOWN, CLI_EXIT_SERVER },
		{ CCON_E_CSV_QUOTE, CLI_EXIT_INVALID },
		{ CCON_E_PHONE_TOO_SHORT, CLI_EXIT_INVALID },
		{ CCON_E_TIMING_PAST, CLI_EXIT_INVALID },
		{ CCON_E_DURATION_SYNTAX, CLI_EXIT_INVALID },
		{ CCON_E_JSON_SYNTAX, CLI_EXIT_INVALID },
		{ CCON_E_AUDIENCE_DUPLICATE, CLI_EXIT_INVALID },
		{ CCON_E_TEMPLATE_MISSING_VARIABLE, CLI_EXIT_INVALID },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ccon_error e = e_of(cases[i].code);

		ck_assert_msg(cli_exit_for_error(&e) == cases[i].want, "%s: %d, want %d",
		              ccon_errc_name(cases[i].code), cli_exit_for_error(&e), cases[i].want);
	}
	/* every code maps to one of the documented statuses */
	for (int c = 0; c < CCON_E__COUNT; c++) {
		struct ccon_error e = e_of((enum ccon_errc)c);
		int x = cli_exit_for_error(&e);

		ck_assert_int_ge(x, 0);
		ck_assert_int_le(x, CLI_EXIT_NETWORK);
	}
}
END_TEST

START_TEST(test_names)
{
	ck_assert_str_eq(cli_exit_name(CLI_EXIT_OK), "ok");
	ck_assert_str_eq(cli_exit_name(CLI_EXIT_USAGE), "usage");
	ck_assert_str_eq(cli_exit_name(CLI_EXIT_INVALID), "invalid");
	ck_assert_str_eq(cli_exit_name(CLI_EXIT_AUTH), "auth");
	ck_assert_str_eq(cli_exit_name(CLI_EXIT_SERVER), "server");
	ck_assert_str_eq(cli_exit_name(CLI_EXIT_NETWORK), "network");
	ck_assert_str_eq(cli_exit_name(CLI_EXIT_FAIL), "failure");
	ck_assert_str_eq(cli_exit_name(99), "failure");
}
END_TEST

Suite *ccon_suite_cli_exit(void)
{
	Suite *s = suite_create("cli_exit");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_by_status);
	tcase_add_test(tc, test_by_error);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);
	return s;
}
