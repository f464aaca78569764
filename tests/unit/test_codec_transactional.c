/* Seed 003 transactional send bodies. */
#include "config.h"

#include <ccon/codec_transactional.h>
#include <ccon/contact.h>
#include <ccon/strbuf.h>

#include "suites.h"
#include "testutil.h"

static int parse_tx(const char *text, struct ccon_transactional_request *req,
                    struct ccon_error *err)
{
	ccon_error_clear(err);
	return ccon_transactional_request_parse(text, strlen(text), req, err);
}

static void assert_same_opt(const char *a, const char *b)
{
	if (!a || !b)
		ck_assert_ptr_eq(a, b);
	else
		ck_assert_str_eq(a, b);
}

static void assert_same_contact(const struct ccon_transactional_contact *a,
                                const struct ccon_transactional_contact *b)
{
	ck_assert_int_eq(a->contact_type, b->contact_type);
	assert_same_opt(a->contact_value, b->contact_value);
	assert_same_opt(a->external_code, b->external_code);
	assert_same_opt(a->phone_number, b->phone_number);
	assert_same_opt(a->country_code, b->country_code);
	assert_same_opt(a->e164, b->e164);
	ck_assert_uint_eq(a->custom_fields.count, b->custom_fields.count);
	for (size_t i = 0; i < a->custom_fields.count; i++) {
		ck_assert_str_eq(a->custom_fields.items[i].name, b->custom_fields.items[i].name);
		ck_assert_str_eq(a->custom_fields.items[i].value, b->custom_fields.items[i].value);
	}
	assert_same_opt(a->external_reference, b->external_reference);
	assert_same_opt(a->origin_data, b->origin_data);
}

static void assert_same_tx(const struct ccon_transactional_request *a,
                           const struct ccon_transactional_request *b)
{
	ck_assert_int_eq(a->campaign_id, b->campaign_id);
	assert_same_opt(a->schedule_date, b->schedule_date);
	ck_assert_int_eq(a->contact_type, b->contact_type);
	ck_assert_int_eq(a->flash, b->flash);
	ck_assert_int_eq(a->nls_mode, b->nls_mode);
	ck_assert_int_eq(a->send_type, b->send_type);
	ck_assert_uint_eq(a->n_contacts, b->n_contacts);
	for (size_t i = 0; i < a->n_contacts; i++)
		assert_same_contact(&a->contacts[i], &b->contacts[i]);
}

static void round_trip_tx(const struct ccon_transactional_request *req)
{
	struct ccon_transactional_request back;
	struct ccon_error err;
	cJSON *json;
	char *text;

	ck_assert_int_eq(ccon_transactional_request_encode(req, &json), 0);
	text = cJSON_PrintUnformatted(json);
	cJSON_Delete(json);
	ck_assert_ptr_nonnull(text);
	ck_assert_msg(parse_tx(text, &back, &err) == 0, "%s: %s: %s", text, err.path, err.message);
	assert_same_tx(req, &back);
	ccon_transactional_request_free(&back);
	cJSON_free(text);
}

static void target_of(const struct ccon_transactional_request *req, size_t i,
                      struct ccon_tx_target *t)
{
	struct ccon_error err;

	ck_assert_msg(ccon_transactional_contact_target(&req->contacts[i], req->contact_type, i, t,
	                                                &err) == 0, "%s", err.message);
}

START_TEST(tx_seed_example)
{
	struct ccon_transactional_request req;
	struct ccon_tx_target t;
	struct ccon_error err;
	char *text = test_read_data("codec_rest_transactional_example.json", NULL);
	const struct ccon_transactional_contact *c;

	ck_assert_msg(parse_tx(text, &req, &err) == 0, "%s: %s", err.path, err.message);
	ck_assert_int_eq(req.campaign_id, 4521);
	ck_assert_str_eq(req.schedule_date, "2025-10-01T12:15:00Z");
	ck_assert_int_eq(req.contact_type, CCON_TX_CONTACT_TYPE_UNSET);
	ck_assert(req.flash);
	ck_assert_int_eq(req.nls_mode, CCON_NLS_SPANISH);
	ck_assert_int_eq(req.send_type, CCON_SEND_TYPE_ALL);
	ck_assert_uint_eq(req.n_contacts, 4);

	c = &req.contacts[0];
	ck_assert_str_eq(c->phone_number, "612 345 678");
	ck_assert_str_eq(c->country_code, "34");
	ck_assert_str_eq(ccon_fields_get(&c->custom_fields, "name"), "Ana");
	ck_assert_str_eq(ccon_fields_get(&c->custom_fields, "amount"), "12.5");
	ck_assert_str_eq(c->external_reference, "order-1");
	ck_assert_str_eq(c->origin_data, "{\"crm\":\"acme\",\"ids\":[1,2]}");
	target_of(&req, 0, &t);
	ck_assert(t.has_phone);
	ck_assert_str_eq(t.e164, "+34612345678");
	ck_assert_ptr_null(t.external_code);

	c = &req.contacts[1];
	ck_assert_str_eq(c->external_code, "CUST-0042");
	ck_assert_ptr_null(c->external_reference);
	target_of(&req, 1, &t);
	ck_assert(!t.has_phone);
	ck_assert_str_eq(t.e164, "");
	ck_assert_str_eq(t.external_code, "CUST-0042");

	/* e164 wins even over an invalid phoneNumber; externalCode rides along */
	c = &req.contacts[2];
	ck_assert_ptr_null(c->country_code);
	target_of(&req, 2, &t);
	ck_assert(t.has_phone);
	ck_assert_str_eq(t.e164, "+34666777888");
	ck_assert_str_eq(t.external_code, "CUST-7");

	c = &req.contacts[3];
	ck_assert_int_eq(c->contact_type, CCON_TX_CONTACT_TYPE_PHONE);
	ck_assert_str_eq(c->contact_value, "+34 666 555 666");
	target_of(&req, 3, &t);
	ck_assert_str_eq(t.e164, "+34666555666");

	round_trip_tx(&req);
	ccon_transactional_request_free(&req);
	free(text);
}
END_TEST

START_TEST(tx_defaults)
{
	struct ccon_transactional_request req;
	struct ccon_error err;
	cJSON *json;

	ck_assert_int_eq(parse_tx("{\"campaignId\":7,\"contacts\":[{\"e164\":\"+34666777888\"}]}",
	                          &req, &err), 0);
	ck_assert_ptr_null(req.schedule_date);
	ck_assert_int_eq(req.contact_type, CCON_TX_CONTACT_TYPE_UNSET);
	ck_assert(!req.flash);
	ck_assert_int_eq(req.nls_mode, CCON_NLS_AUTO);
	ck_assert_int_eq(req.send_type, CCON_SEND_TYPE_LIST);
	ck_assert_uint_eq(req.contacts[0].custom_fields.count, 0);
	ck_assert_ptr_null(req.contacts[0].origin_data);

	/* deprecated fields stay out of what we send */
	ck_assert_int_eq(ccon_transactional_request_encode(&req, &json), 0);
	ck_assert_ptr_null(cJSON_GetObjectItem(json, "contactType"));
	ck_assert_ptr_null(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(json, "contacts"),
	                                                          0), "contactType"));
	ck_assert_str_eq(cJSON_GetObjectItem(json, "nlsMode")->valuestring, "auto");
	ck_assert_str_eq(cJSON_GetObjectItem(json, "sendTypeOverride")->valuestring, "list");
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(json, "flash")));
	cJSON_Delete(json);
	round_trip_tx(&req);
	ccon_transactional_request_free(&req);
}
END_TEST

START_TEST(tx_enum_values)
{
	static const char *const nls[] = { "auto", "standard", "spanish" };
	static const char *const send[] = { "list", "all" };
	struct ccon_transactional_request req;
	struct ccon_error err;
	char body[256];

	for (int i = 0; i < 3; i++) {
		snprintf(body, sizeof(body), "{\"campaignId\":1,\"nlsMode\":\"%s\",\"sendTypeOverride\":"
		         "\"%s\",\"contacts\":[{\"externalCode\":\"a\"}]}", nls[i], send[i % 2]);
		ck_assert_int_eq(parse_tx(body, &req, &err), 0);
		ck_assert_int_eq(req.nls_mode, (enum ccon_nls_mode)i);
		ck_assert_int_eq(req.send_type, (enum ccon_send_type)(i % 2));
		ck_assert_str_eq(ccon_nls_mode_name(req.nls_mode), nls[i]);
		ck_assert_str_eq(ccon_send_type_name(req.send_type), send[i % 2]);
		round_trip_tx(&req);
		ccon_transactional_request_free(&req);
	}
}
END_TEST

/* contactValue is read by the contact's contactType, else the request's,
 * else as a phone; any new field makes both ignored. */
START_TEST(tx_deprecated_contact_value)
{
	struct ccon_transactional_request req;
	struct ccon_tx_target t;
	struct ccon_error err;

	ck_assert_int_eq(parse_tx("{\"campaignId\":1,\"contactType\":\"externalCode\",\"contacts\":["
	                          "{\"contactValue\":\"C-1\"},"
	                          "{\"contactType\":\"phone\",\"contactValue\":\"0034666777888\"},"
	                          "{\"contactType\":\"externalCode\",\"contactValue\":\"C-9\","
	                          "\"phoneNumber\":\"+34 666 555 666\"}]}", &req, &err), 0);
	ck_assert_int_eq(req.contact_type, CCON_TX_CONTACT_TYPE_EXTERNAL_CODE);
	target_of(&req, 0, &t);
	ck_assert(!t.has_phone);
	ck_assert_str_eq(t.external_code, "C-1");
	target_of(&req, 1, &t);
	ck_assert(t.has_phone);
	ck_assert_str_eq(t.e164, "+34666777888");
	ck_assert_ptr_null(t.external_code);
	target_of(&req, 2, &t);
	ck_assert(t.has_phone);
	ck_assert_str_eq(t.e164, "+34666555666");
	ck_assert_ptr_null(t.external_code);
	round_trip_tx(&req);
	ccon_transactional_request_free(&req);
}
END_TEST

START_TEST(tx_unknown_fields_ignored)
{
	struct ccon_transactional_request req;
	struct ccon_error err;

	ck_assert_int_eq(parse_tx("{\"campaignId\":1,\"priority\":\"high\",\"contacts\":["
	                          "{\"externalCode\":\"a\",\"email\":{\"x\":1}}],\"v\":[1]}",
	                          &req, &err), 0);
	ck_assert_uint_eq(req.n_contacts, 1);
	ccon_transactional_request_free(&req);
}
END_TEST

struct bad_body {
	const char *body;
	enum ccon_errc code;
	const char *path;
};

#define ONE(c) "{\"campaignId\":1,\"contacts\":[" c "]}"
#define OK_CONTACT "{\"externalCode\":\"a\"}"

static const struct bad_body tx_bad[] = {
	{ "{\"contacts\":[" OK_CONTACT "]}", CCON_E_JSON_REQUIRED, "campaignId" },
	{ "{\"campaignId\":\"12\",\"contacts\":[" OK_CONTACT "]}", CCON_E_JSON_TYPE, "campaignId" },
	{ "{\"campaignId\":1.5,\"contacts\":[" OK_CONTACT "]}", CCON_E_JSON_TYPE, "campaignId" },
	{ "{\"campaignId\":0,\"contacts\":[" OK_CONTACT "]}", CCON_E_JSON_RANGE, "campaignId" },
	{ "{\"campaignId\":1}", CCON_E_JSON_REQUIRED, "contacts" },
	{ "{\"campaignId\":1,\"contacts\":[]}", CCON_E_CONTACTS_COUNT, "contacts" },
	{ "{\"campaignId\":1,\"contacts\":" OK_CONTACT "}", CCON_E_JSON_TYPE, "contacts" },
	{ "[1]", CCON_E_JSON_TYPE, "" },
	{ ONE(OK_CONTACT ",{}"), CCON_E_JSON_REQUIRED, "contacts[1]" },
	{ ONE("{\"externalCode\":\"\",\"phoneNumber\":\"  \",\"countryCode\":\"34\"}"),
	  CCON_E_JSON_REQUIRED, "contacts[0]" },
	{ ONE(OK_CONTACT ",\"a\""), CCON_E_JSON_TYPE, "contacts[1]" },
	{ ONE(OK_CONTACT "," OK_CONTACT ",{\"e164\":\"+34 abc\"}"), CCON_E_PHONE_CHARACTERS,
	  "contacts[2].e164" },
	{ ONE("{\"phoneNumber\":\"612345678\"}"), CCON_E_PHONE_NO_COUNTRY_CODE,
	  "contacts[0].phoneNumber" },
	{ ONE("{\"contactValue\":\"34-abc\"}"), CCON_E_PHONE_CHARACTERS, "contacts[0].contactValue" },
	{ ONE("{\"contactType\":\"email\",\"externalCode\":\"a\"}"), CCON_E_JSON_VALUE,
	  "contacts[0].contactType" },
	{ "{\"campaignId\":1,\"contactType\":\"Phone\",\"contacts\":[" OK_CONTACT "]}",
	  CCON_E_JSON_VALUE, "contactType" },
	{ "{\"campaignId\":1,\"nlsMode\":\"turkish\",\"contacts\":[" OK_CONTACT "]}",
	  CCON_E_JSON_VALUE, "nlsMode" },
	{ "{\"campaignId\":1,\"sendTypeOverride\":\"some\",\"contacts\":[" OK_CONTACT "]}",
	  CCON_E_JSON_VALUE, "sendTypeOverride" },
	{ "{\"campaignId\":1,\"flash\":\"yes\",\"contacts\":[" OK_CONTACT "]}", CCON_E_JSON_TYPE,
	  "flash" },
	{ "{\"campaignId\":1,\"scheduleDate\":20251001,\"contacts\":[" OK_CONTACT "]}",
	  CCON_E_JSON_TYPE, "scheduleDate" },
	{ ONE(OK_CONTACT "," OK_CONTACT "," OK_CONTACT ",{\"externalCode\":\"a\","
	      "\"customFields\":{\"first-name\":\"x\"}}"), CCON_E_CUSTOM_FIELD_NAME,
	  "contacts[3].customFields.first-name" },
	{ ONE("{\"externalCode\":\"a\",\"customFields\":{\"name\":\"x\",\"name\":\"y\"}}"),
	  CCON_E_CUSTOM_FIELD_NAME, "contacts[0].customFields.name" },
	{ ONE("{\"externalCode\":\"a\",\"customFields\":{\"age\":[30]}}"), CCON_E_JSON_TYPE,
	  "contacts[0].customFields.age" },
	{ ONE("{\"externalCode\":\"a\",\"customFields\":{\"age\":\"\xff\"}}"),
	  CCON_E_CUSTOM_FIELD_VALUE, "contacts[0].customFields.age" },
	{ ONE("{\"externalCode\":\"a\",\"originData\":\"crm\"}"), CCON_E_JSON_TYPE,
	  "contacts[0].originData" },
	{ ONE("{\"externalCode\":\"a\",\"externalReference\":5}"), CCON_E_JSON_TYPE,
	  "contacts[0].externalReference" },
	{ ONE("{\"phoneNumber\":\"612345678\",\"countryCode\":34}"), CCON_E_JSON_TYPE,
	  "contacts[0].countryCode" },
	{ ONE("{\"externalCode\":\"a\xc3\"}"), CCON_E_JSON_VALUE, "contacts[0].externalCode" },
};

START_TEST(tx_errors)
{
	const struct bad_body *b = &tx_bad[_i];
	struct ccon_transactional_request req;
	struct ccon_error err;

	ck_assert_msg(parse_tx(b->body, &req, &err) == -1, "accepted %s", b->body);
	ck_assert_errc(err, b->code);
	ck_assert_str_eq(err.path, b->path);
	ck_assert_ptr_null(req.contacts);
	ck_assert_uint_eq(req.n_contacts, 0);
}
END_TEST

START_TEST(tx_external_code_length)
{
	struct ccon_transactional_request req;
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	struct ccon_error err;

	ccon_strbuf_puts(&sb, "{\"campaignId\":1,\"contacts\":[{\"externalCode\":\"");
	for (int i = 0; i < CCON_CONTACT_CODE_MAX; i++)
		ccon_strbuf_putc(&sb, 'x');
	ccon_strbuf_puts(&sb, "\"}]}");
	ck_assert_int_eq(parse_tx(sb.buf, &req, &err), 0);
	ck_assert_uint_eq(strlen(req.contacts[0].external_code), CCON_CONTACT_CODE_MAX);
	ccon_transactional_request_free(&req);

	ccon_strbuf_reset(&sb);
	ccon_strbuf_puts(&sb, "{\"campaignId\":1,\"contacts\":[{\"externalCode\":\"");
	for (int i = 0; i <= CCON_CONTACT_CODE_MAX; i++)
		ccon_strbuf_putc(&sb, 'x');
	ccon_strbuf_puts(&sb, "\"}]}");
	ck_assert_int_eq(parse_tx(sb.buf, &req, &err), -1);
	ck_assert_errc(err, CCON_E_JSON_LENGTH);
	ck_assert_str_eq(err.path, "contacts[0].externalCode");
	ccon_strbuf_free(&sb);
}
END_TEST

START_TEST(tx_target_needs_someone)
{
	struct ccon_transactional_contact c;
	struct ccon_tx_target t;
	struct ccon_error err;

	memset(&c, 0, sizeof(c));
	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_transactional_contact_target(&c, CCON_TX_CONTACT_TYPE_UNSET, 12, &t,
	                                                   &err), -1);
	ck_assert_errc(err, CCON_E_JSON_REQUIRED);
	ck_assert_str_eq(err.path, "contacts[12]");
	ck_assert(!t.has_phone);
}
END_TEST

START_TEST(tx_syntax_error)
{
	struct ccon_transactional_request req;
	struct ccon_error err;
	char *text = test_read_data("codec_rest_transactional_syntax.json", NULL);

	ck_assert_int_eq(parse_tx(text, &req, &err), -1);
	ck_assert_errc(err, CCON_E_JSON_SYNTAX);
	ck_assert_int_eq(err.line, 3);
	ck_assert_int_eq(err.column, 12);
	free(text);
}
END_TEST

Suite *ccon_suite_codec_transactional(void)
{
	Suite *s = suite_create("codec_transactional");
	TCase *tc = tcase_create("transactional");

	tcase_add_test(tc, tx_seed_example);
	tcase_add_test(tc, tx_defaults);
	tcase_add_test(tc, tx_enum_values);
	tcase_add_test(tc, tx_deprecated_contact_value);
	tcase_add_test(tc, tx_unknown_fields_ignored);
	tcase_add_loop_test(tc, tx_errors, 0, (int)(sizeof(tx_bad) / sizeof(tx_bad[0])));
	tcase_add_test(tc, tx_external_code_length);
	tcase_add_test(tc, tx_target_needs_someone);
	tcase_add_test(tc, tx_syntax_error);
	suite_add_tcase(s, tc);
	return s;
}
