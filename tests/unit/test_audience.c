/* The audience editor's model: edits, paste, template variables, dispatch. */
#include "config.h"

#include <ccon/audience.h>
#include <ccon/codec_send.h>

#include "suites.h"
#include "testutil.h"

static void add_n(struct ccon_roster *a, size_t n)
{
	char code[32];

	for (size_t i = 0; i < n; i++) {
		snprintf(code, sizeof(code), "+3466%07zu", i);
		ck_assert_int_eq(ccon_roster_add(a, code, NULL, NULL), 0);
	}
}

START_TEST(test_add_normalises)
{
	struct ccon_roster a = CCON_ROSTER_INIT;
	size_t i = 99;

	ck_assert_int_eq(ccon_roster_add(&a, "0034 666-777-888", NULL, &i), 0);
	ck_assert_uint_eq(i, 0);
	ck_assert_str_eq(a.rows[0].normalized, "+34666777888");
	ck_assert_str_eq(a.rows[0].contact.contact_code, "0034 666-777-888");
	ck_assert_str_eq(a.rows[0].contact.channel_type, "cloud_api");
	ck_assert(ccon_roster_row_valid(&a.rows[0]));
	ck_assert_errc(a.rows[0].code_error, CCON_E_OK);
	ccon_roster_free(&a);
	ck_assert_uint_eq(a.count, 0);
}
END_TEST

START_TEST(test_invalid_fields_marked)
{
	struct ccon_roster a = CCON_ROSTER_INIT;

	ck_assert_int_eq(ccon_roster_add(&a, "0612345678", "sms", NULL), 0);
	ck_assert(!ccon_roster_row_valid(&a.rows[0]));
	ck_assert_errc(a.rows[0].code_error, CCON_E_PHONE_NO_COUNTRY_CODE);
	ck_assert_str_eq(a.rows[0].code_error.path, "contactCode");
	ck_assert_errc(a.rows[0].channel_error, CCON_E_CHANNEL_TYPE);
	ck_assert_str_eq(a.rows[0].channel_error.path, "channelType");
	/* the row's error is the first in ccon_contact_validate's order */
	ck_assert_errc(a.rows[0].error, CCON_E_CHANNEL_TYPE);
	ck_assert_str_eq(a.rows[0].normalized, "");

	ck_assert_int_eq(ccon_roster_set_channel(&a, 0, "cloud_api"), 0);
	ck_assert_errc(a.rows[0].channel_error, CCON_E_OK);
	ck_assert_errc(a.rows[0].error, CCON_E_PHONE_NO_COUNTRY_CODE);
	ck_assert_int_eq(ccon_roster_set_code(&a, 0, "+34 612 345 678"), 0);
	ck_assert(ccon_roster_row_valid(&a.rows[0]));
	ck_assert_str_eq(a.rows[0].normalized, "+34612345678");

	ck_assert_int_eq(ccon_roster_set_code(&a, 0, ""), 0);
	ck_assert_errc(a.rows[0].code_error, CCON_E_CONTACT_CODE_EMPTY);
	ck_assert_int_eq(ccon_roster_set_code(&a, 0, "+34\x01" "666777888"), 0);
	ck_assert(!ccon_roster_row_valid(&a.rows[0]));
	ck_assert_int_eq(ccon_roster_set_code(&a, 1, "+34666777888"), -1);
	ccon_roster_free(&a);
}
END_TEST

START_TEST(test_custom_fields)
{
	struct ccon_roster a = CCON_ROSTER_INIT;
	struct ccon_roster_row *r;

	ck_assert_int_eq(ccon_roster_add(&a, "+34666777888", NULL, NULL), 0);
	ck_assert_int_eq(ccon_roster_field_add(&a, 0, "name", "Ana"), 0);
	ck_assert_int_eq(ccon_roster_field_add(&a, 0, "bad name", "x"), 0);
	ck_assert_int_eq(ccon_roster_field_add(&a, 0, "name", "Eva"), 0);
	ck_assert_int_eq(ccon_roster_field_add(&a, 0, "code", "\xff"), 0);
	r = &a.rows[0];
	ck_assert_errc(r->field_errors[0], CCON_E_OK);
	ck_assert_errc(r->field_errors[1], CCON_E_CUSTOM_FIELD_NAME);
	ck_assert_str_eq(r->field_errors[1].path, "customFields.bad name");
	ck_assert_errc(r->field_errors[2], CCON_E_CUSTOM_FIELD_NAME);
	ck_assert_str_eq(r->field_errors[2].path, "customFields.name");
	ck_assert_errc(r->field_errors[3], CCON_E_CUSTOM_FIELD_VALUE);
	ck_assert_errc(r->code_error, CCON_E_OK);
	ck_assert_errc(r->error, CCON_E_CUSTOM_FIELD_NAME);
	ck_assert_str_eq(r->error.path, "customFields.bad name");

	ck_assert_int_eq(ccon_roster_field_set(&a, 0, 1, "surname", NULL), 0);
	ck_assert_errc(a.rows[0].field_errors[1], CCON_E_OK);
	ck_assert_str_eq(a.rows[0].contact.custom_fields.items[1].value, "x");
	ck_assert_int_eq(ccon_roster_field_remove(&a, 0, 2), 0);
	ck_assert_int_eq(ccon_roster_field_set(&a, 0, 2, NULL, "ok"), 0);
	ck_assert_uint_eq(a.rows[0].contact.custom_fields.count, 3);
	ck_assert(ccon_roster_row_valid(&a.rows[0]));
	ck_assert_int_eq(ccon_roster_field_set(&a, 0, 3, "x", "y"), -1);
	ck_assert_int_eq(ccon_roster_field_remove(&a, 0, 3), -1);
	ccon_roster_free(&a);
}
END_TEST

START_TEST(test_duplicate_and_remove)
{
	struct ccon_roster a = CCON_ROSTER_INIT;

	add_n(&a, 3);
	ck_assert_int_eq(ccon_roster_field_add(&a, 1, "name", "Ana"), 0);
	ck_assert_int_eq(ccon_roster_duplicate(&a, 1), 0);
	ck_assert_uint_eq(a.count, 4);
	ck_assert_str_eq(a.rows[2].normalized, a.rows[1].normalized);
	ck_assert_str_eq(a.rows[2].contact.custom_fields.items[0].value, "Ana");
	ck_assert_uint_eq(ccon_roster_duplicate_of(&a, 2), 1);
	ck_assert_uint_eq(ccon_roster_duplicate_of(&a, 1), CCON_ROSTER_NONE);
	/* the copy is its own: editing it leaves the original */
	ck_assert_int_eq(ccon_roster_set_code(&a, 2, "+34699000000"), 0);
	ck_assert_str_eq(a.rows[1].normalized, "+34660000001");
	ck_assert_uint_eq(ccon_roster_duplicate_of(&a, 2), CCON_ROSTER_NONE);
	ck_assert_int_eq(ccon_roster_duplicate(&a, 4), -1);

	ccon_roster_remove(&a, 0);
	ck_assert_uint_eq(a.count, 3);
	ck_assert_str_eq(a.rows[0].normalized, "+34660000001");
	ccon_roster_remove(&a, 7);
	ck_assert_uint_eq(a.count, 3);
	ck_assert_uint_eq(ccon_roster_find(&a, "+34699000000"), 1);
	ck_assert_uint_eq(ccon_roster_find(&a, ""), CCON_ROSTER_NONE);
	ccon_roster_free(&a);
}
END_TEST

START_TEST(test_paste_separators)
{
	struct ccon_roster a = CCON_ROSTER_INIT;
	struct ccon_roster_paste p;
	const char *text = "+34 666 777 001\n+34666777002, 0034666777003;+34666777004\t"
	                   "\r\n\n+34666777005";

	ck_assert_int_eq(ccon_roster_paste(&a, text, strlen(text), NULL, &p), 0);
	ck_assert_uint_eq(p.added, 5);
	ck_assert_uint_eq(p.duplicates, 0);
	ck_assert_uint_eq(p.invalid, 0);
	ck_assert_uint_eq(a.count, 5);
	ck_assert_str_eq(a.rows[0].normalized, "+34666777001");
	ck_assert_str_eq(a.rows[2].normalized, "+34666777003");
	ck_assert_str_eq(a.rows[4].normalized, "+34666777005");
	ccon_roster_paste_free(&p);

	/* no strong separator: blanks separate */
	text = "  34666777006 34666777007  ";
	ck_assert_int_eq(ccon_roster_paste(&a, text, strlen(text), NULL, &p), 0);
	ck_assert_uint_eq(p.added, 2);
	ck_assert_str_eq(a.rows[6].normalized, "+34666777007");
	ccon_roster_paste_free(&p);

	/* empty and separators only */
	ck_assert_int_eq(ccon_roster_paste(&a, "", 0, NULL, &p), 0);
	ck_assert_uint_eq(p.added + p.duplicates + p.invalid, 0);
	ccon_roster_paste_free(&p);
	ck_assert_int_eq(ccon_roster_paste(&a, ",;\n \n", 5, NULL, &p), 0);
	ck_assert_uint_eq(p.added, 0);
	ck_assert_uint_eq(a.count, 7);
	ccon_roster_paste_free(&p);
	ccon_roster_free(&a);
}
END_TEST

START_TEST(test_paste_duplicates_invalid)
{
	struct ccon_roster a = CCON_ROSTER_INIT;
	struct ccon_roster_paste p;
	const char *text = "+34666777888\n"
	                   "0034 666 777 001, +34666777001\n"
	                   "hello, 0612345678\n"
	                   "  +34 666-777-888";

	ck_assert_int_eq(ccon_roster_add(&a, "34666777888", NULL, NULL), 0);
	ck_assert_int_eq(ccon_roster_paste(&a, text, strlen(text), NULL, &p), 0);
	ck_assert_uint_eq(p.added, 3);
	ck_assert_uint_eq(p.duplicates, 3);
	ck_assert_uint_eq(p.invalid, 2);
	ck_assert_uint_eq(a.count, 4);

	/* duplicate of an existing row */
	ck_assert_uint_eq(p.duplicate_items[0].position, 1);
	ck_assert_int_eq(p.duplicate_items[0].line, 1);
	ck_assert_int_eq(p.duplicate_items[0].column, 1);
	ck_assert_uint_eq(p.duplicate_items[0].row, 0);
	/* duplicate within the paste */
	ck_assert_uint_eq(p.duplicate_items[1].position, 3);
	ck_assert_int_eq(p.duplicate_items[1].line, 2);
	ck_assert_int_eq(p.duplicate_items[1].column, 19);
	ck_assert_uint_eq(p.duplicate_items[1].row, 1);
	ck_assert_uint_eq(p.duplicate_items[2].position, 6);
	ck_assert_int_eq(p.duplicate_items[2].line, 4);
	ck_assert_int_eq(p.duplicate_items[2].column, 3);
	ck_assert_uint_eq(p.duplicate_items[2].row, 0);

	ck_assert_uint_eq(p.invalid_items[0].position, 4);
	ck_assert_int_eq(p.invalid_items[0].line, 3);
	ck_assert_int_eq(p.invalid_items[0].column, 1);
	ck_assert_errc(p.invalid_items[0].error, CCON_E_PHONE_CHARACTERS);
	ck_assert_uint_eq(p.invalid_items[0].row, 2);
	ck_assert_int_eq(p.invalid_items[1].column, 8);
	ck_assert_errc(p.invalid_items[1].error, CCON_E_PHONE_NO_COUNTRY_CODE);
	ck_assert(!ccon_roster_row_valid(&a.rows[3]));
	ccon_roster_paste_free(&p);

	/* the same paste again adds nothing valid twice */
	ck_assert_int_eq(ccon_roster_paste(&a, text, strlen(text), NULL, &p), 0);
	ck_assert_uint_eq(p.duplicates, 4);
	ck_assert_uint_eq(p.invalid, 2);
	ccon_roster_paste_free(&p);
	ccon_roster_free(&a);
}
END_TEST

START_TEST(test_paste_bytes)
{
	struct ccon_roster a = CCON_ROSTER_INIT;
	struct ccon_roster_paste p;
	/* "é" is one character: the next item starts at column 4 */
	const char text[] = "\xc3\xa9,+34666777001\n+34\x01" "666777002;\xff\xfe;+34666777003\n";

	ck_assert_int_eq(ccon_roster_paste(&a, text, sizeof(text) - 1, NULL, &p), 0);
	ck_assert_uint_eq(p.added, 5);
	ck_assert_uint_eq(p.invalid, 3);
	ck_assert_int_eq(p.invalid_items[0].column, 1);
	ck_assert_int_eq(p.invalid_items[1].line, 2);
	ck_assert_int_eq(p.invalid_items[1].column, 1);
	ck_assert_int_eq(p.invalid_items[2].line, 2);
	ck_assert_int_eq(p.invalid_items[2].column, 15);
	ck_assert_str_eq(a.rows[1].normalized, "+34666777001");
	ck_assert_str_eq(a.rows[4].normalized, "+34666777003");
	ccon_roster_paste_free(&p);
	/* an invalid row is no number: pasting the same text is invalid again, not a duplicate */
	ck_assert_int_eq(ccon_roster_paste(&a, "\xff\xfe", 2, NULL, &p), 0);
	ck_assert_uint_eq(p.duplicates, 0);
	ck_assert_uint_eq(p.invalid, 1);
	ccon_roster_paste_free(&p);
	ccon_roster_free(&a);
}
END_TEST

START_TEST(test_paste_large)
{
	struct ccon_roster a = CCON_ROSTER_INIT;
	struct ccon_roster_paste p;
	struct ccon_strbuf sb;
	struct ccon_error err;

	ccon_strbuf_init(&sb);
	for (size_t i = 0; i < 20000; i++)
		ccon_strbuf_printf(&sb, "+3466%07zu\n", i % 10000);
	add_n(&a, 10);
	ck_assert_int_eq(ccon_roster_paste(&a, ccon_strbuf_cstr(&sb), sb.len, NULL, &p), 0);
	ck_assert_uint_eq(p.added, 9990);
	ck_assert_uint_eq(p.duplicates, 10010);
	ck_assert_uint_eq(p.duplicate_items[0].row, 0);
	ck_assert_uint_eq(p.duplicate_items[10].position, 10001);
	ck_assert_uint_eq(p.duplicate_items[10].row, 0);
	ck_assert_uint_eq(a.count, 10000);
	ck_assert_int_eq(ccon_roster_check(&a, &err), 0);
	ck_assert_uint_eq(ccon_roster_batch_count(&a), 100);
	ccon_roster_paste_free(&p);
	ccon_strbuf_free(&sb);
	ccon_roster_free(&a);
}
END_TEST

START_TEST(test_missing_variables)
{
	struct ccon_roster a = CCON_ROSTER_INIT;
	struct ccon_template_vars vars;
	struct ccon_strbuf sb;
	struct ccon_error err;
	size_t counts[2];

	ck_assert_int_eq(ccon_template_variables("Hi {{name}}, ticket {{ticket}}", &vars, &err), 0);
	add_n(&a, 3);
	ck_assert_int_eq(ccon_roster_field_add(&a, 0, "name", "Ana"), 0);
	ck_assert_int_eq(ccon_roster_field_add(&a, 0, "ticket", "7"), 0);
	ck_assert_int_eq(ccon_roster_field_add(&a, 1, "ticket", "8"), 0);
	ck_assert_int_eq(ccon_roster_field_add(&a, 1, "extra", "8"), 0);

	ccon_strbuf_init(&sb);
	ck_assert_uint_eq(ccon_roster_row_missing(&a, 0, &vars, &sb), 0);
	ck_assert_uint_eq(ccon_roster_row_missing(&a, 1, &vars, &sb), 1);
	ck_assert_str_eq(ccon_strbuf_cstr(&sb), "name");
	ccon_strbuf_reset(&sb);
	ck_assert_uint_eq(ccon_roster_row_missing(&a, 2, &vars, &sb), 2);
	ck_assert_str_eq(ccon_strbuf_cstr(&sb), "name, ticket");
	ccon_strbuf_free(&sb);

	ck_assert_uint_eq(ccon_roster_missing_counts(&a, &vars, counts), 2);
	ck_assert_uint_eq(counts[0], 2);
	ck_assert_uint_eq(counts[1], 1);
	ccon_template_vars_free(&vars);

	/* no variables: nothing lacks */
	memset(&vars, 0, sizeof(vars));
	ck_assert_uint_eq(ccon_roster_missing_counts(&a, &vars, counts), 0);
	ck_assert_uint_eq(ccon_roster_row_missing(&a, 2, &vars, NULL), 0);
	ccon_roster_free(&a);
}
END_TEST

START_TEST(test_check)
{
	struct ccon_roster a = CCON_ROSTER_INIT;
	struct ccon_error err;

	ck_assert_int_eq(ccon_roster_check(&a, &err), -1);
	ck_assert_errc(err, CCON_E_CONTACTS_COUNT);
	add_n(&a, 3);
	ck_assert_int_eq(ccon_roster_check(&a, &err), 0);
	ck_assert_int_eq(ccon_roster_set_code(&a, 2, "12"), 0);
	ck_assert_int_eq(ccon_roster_check(&a, &err), -1);
	ck_assert_str_eq(err.path, "contacts[2].contactCode");
	ck_assert_int_eq(ccon_roster_set_code(&a, 2, "+34 660 000 001"), 0);
	ck_assert_int_eq(ccon_roster_check(&a, &err), -1);
	ck_assert_errc(err, CCON_E_AUDIENCE_DUPLICATE);
	ck_assert_str_eq(err.path, "contacts[2].contactCode");
	ck_assert_ptr_nonnull(strstr(err.message, "contacts[1]"));
	ccon_roster_free(&a);
}
END_TEST

/* Decodes a built body back with the server's decoder. */
static size_t body_contacts(cJSON *body, const char *first_code)
{
	struct ccon_send_request req;
	struct ccon_error err;
	size_t n;

	ck_assert_msg(ccon_send_request_decode(body, &req, &err) == 0, "%s: %s", err.path,
	              err.message);
	n = req.n_contacts;
	if (first_code)
		ck_assert_str_eq(req.contacts[0].contact_code, first_code);
	ck_assert_int_eq(req.slicing, CCON_SLICING_IMMEDIATE_CONSECUTIVE);
	ccon_send_request_free(&req);
	return n;
}

START_TEST(test_split_1000)
{
	struct ccon_roster a = CCON_ROSTER_INIT;
	struct ccon_roster_send s = { "send-1", NULL, "PT1H", CCON_SLICING_IMMEDIATE_CONSECUTIVE };
	char keys[10][CCON_ROSTER_KEY_SIZE], again[CCON_ROSTER_KEY_SIZE], code[32];
	struct ccon_error err;
	cJSON *body;

	add_n(&a, 1000);
	ck_assert_uint_eq(ccon_roster_batch_count(&a), 10);
	for (size_t b = 0; b < 10; b++) {
		ck_assert_int_eq(ccon_roster_batch_build(&a, &s, b, &body, keys[b], &err), 0);
		snprintf(code, sizeof(code), "+3466%07zu", b * 100);
		ck_assert_uint_eq(body_contacts(body, code), 100);
		ck_assert_str_eq(cJSON_GetObjectItem(body, "delay")->valuestring, "PT1H");
		cJSON_Delete(body);
		for (size_t c = 0; c < b; c++)
			ck_assert_str_ne(keys[b], keys[c]);
		ck_assert_uint_lt(strlen(keys[b]), 255);
	}
	/* a retry reuses the keys */
	ck_assert_int_eq(ccon_roster_batch_build(&a, &s, 3, &body, again, &err), 0);
	cJSON_Delete(body);
	ck_assert_str_eq(again, keys[3]);
	ccon_roster_batch_key("send-1", 3, 10, again);
	ck_assert_str_eq(again, keys[3]);
	ccon_roster_batch_key("send-2", 3, 10, again);
	ck_assert_str_ne(again, keys[3]);
	ck_assert_int_eq(ccon_roster_batch_build(&a, &s, 10, &body, again, &err), -1);
	ck_assert_errc(err, CCON_E_INVALID_ARGUMENT);
	ck_assert_ptr_null(body);
	ccon_roster_free(&a);
}
END_TEST

START_TEST(test_split_101_and_small)
{
	struct ccon_roster a = CCON_ROSTER_INIT;
	struct ccon_roster_send s = { "x", NULL, NULL, CCON_SLICING_IMMEDIATE_CONSECUTIVE };
	char key[CCON_ROSTER_KEY_SIZE];
	struct ccon_error err;
	cJSON *body;

	ck_assert_uint_eq(ccon_roster_batch_count(&a), 0);
	ck_assert_int_eq(ccon_roster_batch_build(&a, &s, 0, &body, key, &err), -1);
	ck_assert_errc(err, CCON_E_CONTACTS_COUNT);

	add_n(&a, 1);
	ck_assert_int_eq(ccon_roster_batch_build(&a, &s, 0, &body, key, &err), 0);
	ck_assert_uint_eq(body_contacts(body, "+34660000000"), 1);
	cJSON_Delete(body);

	add_n(&a, 100); /* 1 + 100 numbers, one of them twice */
	ck_assert_int_eq(ccon_roster_batch_build(&a, &s, 0, &body, key, &err), -1);
	ck_assert_errc(err, CCON_E_AUDIENCE_DUPLICATE);
	ck_assert_int_eq(ccon_roster_set_code(&a, 0, "+34 699 999 999"), 0);
	ck_assert_uint_eq(ccon_roster_batch_count(&a), 2);
	ck_assert_int_eq(ccon_roster_batch_build(&a, &s, 0, &body, key, &err), 0);
	ck_assert_uint_eq(body_contacts(body, "+34699999999"), 51);
	cJSON_Delete(body);
	ck_assert_int_eq(ccon_roster_batch_build(&a, &s, 1, &body, key, &err), 0);
	ck_assert_uint_eq(body_contacts(body, NULL), 50);
	cJSON_Delete(body);
	ccon_roster_free(&a);
}
END_TEST

/* A field's error comes from contact.h's single-field check: a bad
 * contactCode does not hide it, and a fixed name clears it. */
START_TEST(test_field_errors_beside_bad_code)
{
	struct ccon_roster a = CCON_ROSTER_INIT;
	struct ccon_roster_row *r;

	ck_assert_int_eq(ccon_roster_add(&a, "06", "telegram", NULL), 0);
	ck_assert_int_eq(ccon_roster_field_add(&a, 0, "first-name", "Ana"), 0);
	ck_assert_int_eq(ccon_roster_field_add(&a, 0, "city", "\xc3"), 0);
	r = &a.rows[0];
	ck_assert_errc(r->error, CCON_E_CHANNEL_TYPE);
	ck_assert_errc(r->field_errors[0], CCON_E_CUSTOM_FIELD_NAME);
	ck_assert_str_eq(r->field_errors[0].path, "customFields.first-name");
	ck_assert_errc(r->field_errors[1], CCON_E_CUSTOM_FIELD_VALUE);
	ck_assert_str_eq(r->field_errors[1].path, "customFields.city");
	ck_assert_int_eq(ccon_roster_field_set(&a, 0, 0, "first_name", NULL), 0);
	r = &a.rows[0];
	ck_assert_errc(r->field_errors[0], CCON_E_OK);
	ck_assert_str_eq(r->field_errors[0].path, "");
	ck_assert_str_eq(r->field_errors[0].message, "");
	ck_assert_uint_eq(ccon_roster_field_index(&a, 0, "city"), 1);
	ck_assert_uint_eq(ccon_roster_field_index(&a, 0, "first-name"), CCON_ROSTER_NONE);
	ck_assert_uint_eq(ccon_roster_field_index(&a, 1, "city"), CCON_ROSTER_NONE);
	ck_assert_uint_eq(ccon_roster_field_index(&a, 0, NULL), CCON_ROSTER_NONE);
	ccon_roster_free(&a);
}
END_TEST

START_TEST(test_stats_and_lacking)
{
	struct ccon_roster a = CCON_ROSTER_INIT;
	struct ccon_roster_stats st;
	size_t rows[2] = { 99, 99 };

	ck_assert_int_eq(ccon_roster_stats(&a, &st), 0);
	ck_assert_uint_eq(st.rows + st.valid + st.invalid + st.duplicates, 0);
	ck_assert_uint_eq(ccon_roster_lacking(&a, "name", NULL, 0), 0);
	ck_assert_int_eq(ccon_roster_add(&a, "+34 666 777 888", NULL, NULL), 0);
	ck_assert_int_eq(ccon_roster_add(&a, "0034666777888", NULL, NULL), 0);
	ck_assert_int_eq(ccon_roster_add(&a, "34666777888", NULL, NULL), 0);
	ck_assert_int_eq(ccon_roster_add(&a, "0666", NULL, NULL), 0);
	ck_assert_int_eq(ccon_roster_add(&a, "0666", NULL, NULL), 0);
	ck_assert_int_eq(ccon_roster_add(&a, "+44 20 7946 0958", NULL, NULL), 0);
	ck_assert_int_eq(ccon_roster_stats(&a, &st), 0);
	ck_assert_uint_eq(st.rows, 6);
	ck_assert_uint_eq(st.valid, 4);
	ck_assert_uint_eq(st.invalid, 2);
	/* the same invalid text twice is not a duplicate number */
	ck_assert_uint_eq(st.duplicates, 2);

	ck_assert_int_eq(ccon_roster_field_add(&a, 1, "name", "Eva"), 0);
	ck_assert_int_eq(ccon_roster_field_add(&a, 4, "name", ""), 0);
	ck_assert_uint_eq(ccon_roster_lacking(&a, "name", rows, 2), 4);
	ck_assert_uint_eq(rows[0], 0);
	ck_assert_uint_eq(rows[1], 2);
	ck_assert_uint_eq(ccon_roster_lacking(&a, "age", NULL, 0), 6);
	ccon_roster_free(&a);
}
END_TEST

/* The one-pass map equals ccon_roster_duplicate_of row by row: repeats of
 * a number (also repeats of a repeat) point at its first row; invalid rows
 * and first occurrences at none. */
START_TEST(test_duplicates_map)
{
	struct ccon_roster a = CCON_ROSTER_INIT;
	static const char *const codes[] = {
		"+34660000001", "+34660000002", "34660000001", "bad", "+34 660 000 001",
		"+34660000002", "+34660000003", "bad",
	};
	size_t dup_of[8];

	for (size_t i = 0; i < 8; i++)
		ck_assert_int_eq(ccon_roster_add(&a, codes[i], NULL, NULL), 0);
	ck_assert_int_eq(ccon_roster_duplicates(&a, dup_of), 0);
	for (size_t i = 0; i < 8; i++)
		ck_assert_uint_eq(dup_of[i], ccon_roster_duplicate_of(&a, i));
	ck_assert_uint_eq(dup_of[2], 0);
	ck_assert_uint_eq(dup_of[4], 0);
	ck_assert_uint_eq(dup_of[5], 1);
	ck_assert_uint_eq(dup_of[3], CCON_ROSTER_NONE);
	ck_assert_uint_eq(dup_of[6], CCON_ROSTER_NONE);
	ccon_roster_free(&a);
}
END_TEST

Suite *ccon_suite_audience(void)
{
	Suite *s = suite_create("audience");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_add_normalises);
	tcase_add_test(tc, test_invalid_fields_marked);
	tcase_add_test(tc, test_custom_fields);
	tcase_add_test(tc, test_duplicate_and_remove);
	tcase_add_test(tc, test_duplicates_map);
	tcase_add_test(tc, test_paste_separators);
	tcase_add_test(tc, test_paste_duplicates_invalid);
	tcase_add_test(tc, test_paste_bytes);
	tcase_add_test(tc, test_paste_large);
	tcase_add_test(tc, test_missing_variables);
	tcase_add_test(tc, test_check);
	tcase_add_test(tc, test_split_1000);
	tcase_add_test(tc, test_split_101_and_small);
	tcase_add_test(tc, test_field_errors_beside_bad_code);
	tcase_add_test(tc, test_stats_and_lacking);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	return s;
}
