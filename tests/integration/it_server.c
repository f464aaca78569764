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
#include <unistd.h>

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

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

/* GET .../slots?channel=CH: "LENGTH_SECONDS/CAPACITY". */
static void slot_setting(struct server *s, int64_t app, const char *auth, const char *channel,
                         char *out, size_t size)
{
	char path[128];
	struct reply r;

	snprintf(path, sizeof(path), "/v1/applications/%lld/slots?channel=%s", (long long)app,
	         channel);
	http_call(s, "GET", path, auth, NULL, NULL, 0, NULL, &r);
	ck_assert_msg(r.status == 200, "%s", r.body);
	snprintf(out, size, "%g/%g",
	         cJSON_GetObjectItem(r.json, "slotLengthSeconds")->valuedouble,
	         cJSON_GetObjectItem(r.json, "capacity")->valuedouble);
	reply_free(&r);
}

START_TEST(config_file_sets_slots_and_the_api_wins)
{
	struct server s;
	char conf[300], text[320], auth[96], key[64], got[32];
	const char *args[] = { "--config", conf, NULL };
	const char *put = "{\"channel\":\"whatsapp\",\"slotLengthSeconds\":300,\"capacity\":3}";
	int64_t app, other;
	struct reply r;

	snprintf(conf, sizeof(conf), "/tmp/ccond-conf-%d.conf", (int)getpid());
	write_file(conf, "# slots\n[slots]\nwhatsapp = 600 5   # every app\nSMS=120 9\n\n"
	                 "[slots 1]\nsms = 60 7\n");
	server_start(&s, args);
	server_create_app(&s, "one", &app, key, sizeof(key));
	ck_assert_int_eq(app, 1);
	snprintf(auth, sizeof(auth), "Bearer %s", key);
	slot_setting(&s, app, auth, "whatsapp", got, sizeof(got));
	ck_assert_str_eq(got, "600/5");
	slot_setting(&s, app, auth, "sms", got, sizeof(got));
	ck_assert_str_eq(got, "60/7");              /* the application's own line */
	slot_setting(&s, app, auth, "rcs", got, sizeof(got));
	ck_assert_str_eq(got, "900/1000");          /* the built-in defaults */
	http_call(&s, "PUT", "/v1/applications/1/slots/config", auth, NULL, put, strlen(put), NULL,
	          &r);
	ck_assert_msg(r.status == 200, "%s", r.body);
	reply_free(&r);
	slot_setting(&s, app, auth, "whatsapp", got, sizeof(got));
	ck_assert_str_eq(got, "300/3");
	server_create_app(&s, "two", &other, key, sizeof(key));
	snprintf(auth, sizeof(auth), "Bearer %s", key);
	slot_setting(&s, other, auth, "sms", got, sizeof(got));
	ck_assert_str_eq(got, "120/9");
	/* the file is read again at each start, DATA_DIR/ccond.conf by default */
	server_stop(&s);
	snprintf(text, sizeof(text), "%s/ccond.conf", s.data_dir);
	write_file(text, "[slots 2]\nsms = 30 2\n");
	server_restart_with(&s, NULL);
	slot_setting(&s, other, auth, "sms", got, sizeof(got));
	ck_assert_str_eq(got, "30/2");
	slot_setting(&s, other, auth, "whatsapp", got, sizeof(got));
	ck_assert_str_eq(got, "900/1000");
	server_destroy(&s);
	unlink(conf);
}
END_TEST

START_TEST(a_bad_config_file_stops_ccond_with_line_and_column)
{
	static const struct { const char *text, *where, *what; } cases[] = {
		{ "whatsapp = 60 5\n", ":1:1:", "before any section" },
		{ "[slots]\n\nfax = 60 5\n", ":3:1:", "unknown channel 'fax'" },
		{ "[slots]\nsms = 0 5\n", ":2:7:", "1 to 86400" },
		{ "[slots]\n  sms = 60 many\n", ":2:12:", "capacity" },
		{ "[slot]\n", ":1:2:", "unknown section" },
		{ "[slots x]\n", ":1:8:", "application id" },
	};
	char conf[300], dir[300], cmd[900], out[512];

	snprintf(conf, sizeof(conf), "/tmp/ccond-badconf-%d.conf", (int)getpid());
	snprintf(dir, sizeof(dir), "/tmp/ccond-badconf-%d.d", (int)getpid());
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		FILE *p;
		int status;

		write_file(conf, cases[i].text);
		snprintf(cmd, sizeof(cmd), "'%s' --data-dir '%s' --config '%s' --listen 127.0.0.1:0 2>&1",
		         getenv("CCOND_BIN"), dir, conf);
		p = popen(cmd, "r");
		ck_assert_ptr_nonnull(p);
		out[0] = '\0';
		ck_assert_ptr_nonnull(fgets(out, sizeof(out), p));
		status = pclose(p);
		ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 1, "status %d: %s", status,
		              out);
		ck_assert_msg(strstr(out, conf) && strstr(out, cases[i].where) &&
		              strstr(out, cases[i].what), "case %zu: %s", i, out);
	}
	/* --config names a file that must exist */
	unlink(conf);
	{
		FILE *p;
		int status;

		p = popen(cmd, "r");
		ck_assert_ptr_nonnull(fgets(out, sizeof(out), p));
		status = pclose(p);
		ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 1, "%s", out);
		ck_assert_msg(strstr(out, "No such file") != NULL, "%s", out);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

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
	tcase_add_test(tc, config_file_sets_slots_and_the_api_wins);
	tcase_add_test(tc, a_bad_config_file_stops_ccond_with_line_and_column);
	suite_add_tcase(s, tc);
	return s;
}
