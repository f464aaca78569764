/* The server as a process: start, health, routing errors, auth, restart. */
#include "config.h"

#include "harness.h"
#include "suites.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

START_TEST(health_answers_without_a_key)
{
	struct server s;
	struct reply r;

	server_start(&s, NULL);
	http_call(&s, "GET", "/v1/health", NULL, NULL, NULL, 0, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(reply_str(&r, "status"), "ok");
	ck_assert_ptr_nonnull(reply_str(&r, "version"));
	reply_free(&r);
	server_destroy(&s);
}
END_TEST

START_TEST(unknown_routes_and_methods_are_json_errors)
{
	struct server s;
	struct reply r;

	server_start(&s, NULL);
	http_call(&s, "GET", "/v1/nothing/here", NULL, NULL, NULL, 0, NULL, &r);
	ck_assert_int_eq(r.status, 404);
	ck_assert_str_eq(reply_str(&r, "code"), "not_found");
	ck_assert_ptr_nonnull(strstr(reply_str(&r, "message"), "/v1/nothing/here"));
	reply_free(&r);
	http_call(&s, "DELETE", "/v1/health", NULL, NULL, NULL, 0, NULL, &r);
	ck_assert_int_eq(r.status, 405);
	ck_assert_str_eq(reply_str(&r, "code"), "method_not_allowed");
	reply_free(&r);
	server_destroy(&s);
}
END_TEST

START_TEST(data_dir_is_private_and_survives_restart)
{
	struct server s;
	struct stat st;
	struct reply r;
	char key[64];
	int64_t id1, id2;

	server_start(&s, NULL);
	ck_assert_int_eq(stat(s.data_dir, &st), 0);
	server_create_app(&s, "first", &id1, key, sizeof(key));
	ck_assert_int_ge(id1, 1);
	ck_assert_int_eq(strncmp(key, "ccon_", 5), 0);
	server_restart(&s);
	server_create_app(&s, "second", &id2, key, sizeof(key));
	ck_assert_int_eq(id2, id1 + 1);
	http_call(&s, "GET", "/v1/health", NULL, NULL, NULL, 0, NULL, &r);
	ck_assert_int_eq(r.status, 200);
	reply_free(&r);
	server_destroy(&s);
}
END_TEST

static int pragma_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	int v = -1;

	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

START_TEST(store_is_wal_versioned_and_refuses_a_newer_schema)
{
	struct server s;
	char path[300], cmd[700], out[512] = "";
	sqlite3 *db;
	sqlite3_stmt *st;
	FILE *p;
	int status;

	server_start(&s, NULL);
	server_stop(&s);
	snprintf(path, sizeof(path), "%s/ccond.db", s.data_dir);
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_ge(pragma_int(db, "PRAGMA user_version"), 1);
	ck_assert_int_eq(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_str_eq((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	ck_assert_int_eq(sqlite3_exec(db, "PRAGMA user_version = 999", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	snprintf(cmd, sizeof(cmd), "'%s' --data-dir '%s' --listen 127.0.0.1:0 2>&1",
	         getenv("CCOND_BIN"), s.data_dir);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(fgets(out, sizeof(out), p));
	status = pclose(p);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 1, "status %d: %s", status, out);
	ck_assert_msg(strstr(out, "schema version 999") != NULL, "%s", out);
	server_destroy(&s);
}
END_TEST

static void clock_call(struct server *s, const char *auth, const char *body, struct reply *r)
{
	http_call(s, "POST", "/v1/admin/clock", auth, NULL, body, strlen(body), NULL, r);
}

START_TEST(manual_clock_moves_only_when_told)
{
	static const char *const manual[] = { "--clock", "manual", NULL };
	const char *campaign = "{\"name\":\"c\",\"channel\":\"whatsapp\",\"templateName\":\"t\"}";
	const char *send = "{\"contacts\":[{\"contactCode\":\"34666000001\","
	                   "\"channelType\":\"cloud_api\"}],\"delay\":\"PT30M50.5S\"}";
	char auth[96], key[64], path[128];
	struct server s;
	struct reply r;
	int64_t app;

	server_start(&s, manual);
	server_create_app(&s, "clock", &app, key, sizeof(key));
	snprintf(auth, sizeof(auth), "Bearer %s", key);
	clock_call(&s, NULL, "{\"advance\":\"PT1S\"}", &r);
	ck_assert_int_eq(r.status, 401);
	reply_free(&r);
	clock_call(&s, auth, "{\"set\":\"2027-01-31T10:00:00Z\"}", &r);
	ck_assert_msg(r.status == 200, "%s", r.body);
	ck_assert_str_eq(reply_str(&r, "now"), "2027-01-31T10:00:00Z");
	reply_free(&r);
	clock_call(&s, auth, "{\"advance\":\"P1M\"}", &r);
	ck_assert_str_eq(reply_str(&r, "now"), "2027-02-28T10:00:00Z");
	reply_free(&r);
	clock_call(&s, auth, "{\"set\":\"2027-02-01T00:00:00Z\"}", &r);
	ck_assert_int_eq(r.status, 400);
	ck_assert_str_eq(reply_str(&r, "code"), "out_of_range");
	ck_assert_str_eq(reply_str(&r, "path"), "set");
	reply_free(&r);
	clock_call(&s, auth, "{\"advance\":\"P1W2D\"}", &r);
	ck_assert_int_eq(r.status, 400);
	ck_assert_str_eq(reply_str(&r, "path"), "advance");
	reply_free(&r);
	clock_call(&s, auth, "{}", &r);
	ck_assert_int_eq(r.status, 400);
	ck_assert_str_eq(reply_str(&r, "code"), "missing_field");
	reply_free(&r);
	/* the manual time survives a restart, and sends read it */
	server_restart(&s);
	clock_call(&s, auth, "{\"advance\":\"PT0S\"}", &r);
	ck_assert_str_eq(reply_str(&r, "now"), "2027-02-28T10:00:00Z");
	reply_free(&r);
	snprintf(path, sizeof(path), "/v1/applications/%lld/campaigns", (long long)app);
	http_call(&s, "POST", path, auth, NULL, campaign, strlen(campaign), NULL, &r);
	ck_assert_msg(r.status == 201, "%s", r.body);
	reply_free(&r);
	snprintf(path, sizeof(path), "/v1/applications/%lld/campaigns/1/send", (long long)app);
	http_call(&s, "POST", path, auth, NULL, send, strlen(send), NULL, &r);
	ck_assert_msg(r.status == 202, "%s", r.body);
	ck_assert_str_eq(reply_str(&r, "sendAt"), "2027-02-28T10:30:50.500Z");
	reply_free(&r);
	server_destroy(&s);
}
END_TEST

START_TEST(real_clock_cannot_be_moved)
{
	char auth[96], key[64];
	struct server s;
	struct reply r;
	int64_t app;

	server_start(&s, NULL);
	server_create_app(&s, "clock", &app, key, sizeof(key));
	snprintf(auth, sizeof(auth), "Bearer %s", key);
	clock_call(&s, auth, "{\"advance\":\"PT1H\"}", &r);
	ck_assert_int_eq(r.status, 409);
	ck_assert_str_eq(reply_str(&r, "code"), "conflict");
	ck_assert_ptr_nonnull(strstr(reply_str(&r, "message"), "--clock manual"));
	reply_free(&r);
	server_destroy(&s);
}
END_TEST

Suite *ccon_it_suite_server(void)
{
	Suite *s = suite_create("server");
	TCase *tc = tcase_create("process");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, health_answers_without_a_key);
	tcase_add_test(tc, unknown_routes_and_methods_are_json_errors);
	tcase_add_test(tc, data_dir_is_private_and_survives_restart);
	tcase_add_test(tc, store_is_wal_versioned_and_refuses_a_newer_schema);
	tcase_add_test(tc, manual_clock_moves_only_when_told);
	tcase_add_test(tc, real_clock_cannot_be_moved);
	suite_add_tcase(s, tc);
	return s;
}
