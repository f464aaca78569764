/* Seed 000 send bodies, seed 001 CSV form fields and the API error body. */
#include "config.h"

#include <ccon/codec_error.h>
#include <ccon/codec_send.h>
#include <ccon/codec_transactional.h>
#include <ccon/codec_whatsapp.h>
#include <ccon/strbuf.h>

#include "suites.h"
#include "testutil.h"

static int parse_send(const char *text, struct ccon_send_request *req, struct ccon_error *err)
{
	ccon_error_clear(err);
	return ccon_send_request_parse(text, strlen(text), req, err);
}

/* Equal field by field, custom fields in order. */
static void assert_same_contacts(const struct ccon_contact *a, const struct ccon_contact *b)
{
	ck_assert_str_eq(a->contact_code, b->contact_code);
	ck_assert_str_eq(a->channel_type, b->channel_type);
	ck_assert_uint_eq(a->custom_fields.count, b->custom_fields.count);
	for (size_t i = 0; i < a->custom_fields.count; i++) {
		ck_assert_str_eq(a->custom_fields.items[i].name, b->custom_fields.items[i].name);
		ck_assert_str_eq(a->custom_fields.items[i].value, b->custom_fields.items[i].value);
	}
}

static void assert_same_opt(const char *a, const char *b)
{
	if (!a || !b)
		ck_assert_ptr_eq(a, b);
	else
		ck_assert_str_eq(a, b);
}

static void assert_same_send(const struct ccon_send_request *a, const struct ccon_send_request *b)
{
	ck_assert_uint_eq(a->n_contacts, b->n_contacts);
	for (size_t i = 0; i < a->n_contacts; i++)
		assert_same_contacts(&a->contacts[i], &b->contacts[i]);
	assert_same_opt(a->schedule_at, b->schedule_at);
	assert_same_opt(a->delay, b->delay);
	ck_assert_int_eq(a->slicing, b->slicing);
}

/* encode -> text -> decode gives an equal request */
static void round_trip_send(const struct ccon_send_request *req)
{
	struct ccon_send_request back;
	struct ccon_error err;
	cJSON *json;
	char *text;

	ck_assert_int_eq(ccon_send_request_encode(req, &json), 0);
	text = cJSON_PrintUnformatted(json);
	cJSON_Delete(json);
	ck_assert_ptr_nonnull(text);
	ck_assert_msg(parse_send(text, &back, &err) == 0, "%s: %s", text, err.message);
	assert_same_send(req, &back);
	ccon_send_request_free(&back);
	cJSON_free(text);
}

START_TEST(send_seed_example)
{
	struct ccon_send_request req;
	struct ccon_error err;
	char *text = test_read_data("codec_rest_send_example.json", NULL);

	ck_assert_int_eq(parse_send(text, &req, &err), 0);
	ck_assert_uint_eq(req.n_contacts, 2);
	ck_assert_str_eq(req.contacts[0].contact_code, "34666777888");
	ck_assert_str_eq(req.contacts[0].channel_type, "cloud_api");
	ck_assert_uint_eq(req.contacts[0].custom_fields.count, 3);
	ck_assert_str_eq(ccon_fields_get(&req.contacts[0].custom_fields, "name"), "John");
	ck_assert_str_eq(ccon_fields_get(&req.contacts[0].custom_fields, "ticketId"), "5123");
	/* a number keeps its JSON text */
	ck_assert_str_eq(ccon_fields_get(&req.contacts[0].custom_fields, "age"), "30");
	ck_assert_str_eq(req.contacts[1].contact_code, "34666555666");
	ck_assert_uint_eq(req.contacts[1].custom_fields.count, 0);
	ck_assert_str_eq(req.schedule_at, "2025-10-01T12:15:00Z");
	ck_assert_ptr_null(req.delay);
	ck_assert_int_eq(req.slicing, CCON_SLICING_IMMEDIATE_CONSECUTIVE);
	round_trip_send(&req);
	ccon_send_request_free(&req);
	free(text);
}
END_TEST

START_TEST(send_defaults)
{
	struct ccon_send_request req;
	struct ccon_error err;

	ck_assert_int_eq(parse_send("{\"contacts\":[{\"contactCode\":\"34666777888\","
	                            "\"channelType\":\"cloud_api\"}]}", &req, &err), 0);
	ck_assert_ptr_null(req.schedule_at);
	ck_assert_ptr_null(req.delay);
	ck_assert_int_eq(req.slicing, CCON_SLICING_FRAGMENTED);
	round_trip_send(&req);
	ccon_send_request_free(&req);
}
END_TEST

/* Whether both may be given is timing.h's rule; the codec carries both. */
START_TEST(send_schedule_and_delay_carried)
{
	struct ccon_send_request req;
	struct ccon_error err;

	ck_assert_int_eq(parse_send("{\"contacts\":[{\"contactCode\":\"34666777888\","
	                            "\"channelType\":\"cloud_api\"}],"
	                            "\"scheduleAt\":\"2025-10-01T12:15:00Z\",\"delay\":\"PT30M50.5S\"}",
	                            &req, &err), 0);
	ck_assert_str_eq(req.schedule_at, "2025-10-01T12:15:00Z");
	ck_assert_str_eq(req.delay, "PT30M50.5S");
	round_trip_send(&req);
	ccon_send_request_free(&req);
}
END_TEST

static const char *const slicing_names[] = {
	"fragmentedSlots", "immediateConsecutiveSlots", "deferredConsecutiveSlots",
};

START_TEST(send_slicing_values)
{
	struct ccon_send_request req;
	struct ccon_error err;
	char body[256];

	snprintf(body, sizeof(body), "{\"contacts\":[{\"contactCode\":\"34666777888\","
	         "\"channelType\":\"cloud_api\"}],\"slicingCondition\":\"%s\"}", slicing_names[_i]);
	ck_assert_int_eq(parse_send(body, &req, &err), 0);
	ck_assert_int_eq(req.slicing, (enum ccon_slicing)_i);
	round_trip_send(&req);
	ccon_send_request_free(&req);
}
END_TEST

START_TEST(send_unknown_fields_ignored)
{
	struct ccon_send_request req;
	struct ccon_error err;

	ck_assert_int_eq(parse_send("{\"contacts\":[{\"contactCode\":\"34666777888\","
	                            "\"channelType\":\"cloud_api\",\"nickname\":[1,2]}],"
	                            "\"priority\":{\"level\":3},\"sendType\":\"x\"}", &req, &err), 0);
	ck_assert_uint_eq(req.n_contacts, 1);
	ck_assert_uint_eq(req.contacts[0].custom_fields.count, 0);
	ccon_send_request_free(&req);
}
END_TEST

/* n contacts, each valid */
static char *contacts_body(size_t n)
{
	struct ccon_strbuf sb = CCON_STRBUF_INIT;

	ccon_strbuf_puts(&sb, "{\"contacts\":[");
	for (size_t i = 0; i < n; i++)
		ccon_strbuf_printf(&sb, "%s{\"contactCode\":\"34666%06zu\",\"channelType\":\"cloud_api\"}",
		                   i ? "," : "", i);
	ccon_strbuf_puts(&sb, "]}");
	return ccon_strbuf_detach(&sb);
}

START_TEST(send_count_bounds)
{
	struct ccon_send_request req;
	struct ccon_error err;
	char *body;

	body = contacts_body(100);
	ck_assert_int_eq(parse_send(body, &req, &err), 0);
	ck_assert_uint_eq(req.n_contacts, 100);
	ccon_send_request_free(&req);
	free(body);

	body = contacts_body(101);
	ck_assert_int_eq(parse_send(body, &req, &err), -1);
	ck_assert_errc(err, CCON_E_CONTACTS_COUNT);
	ck_assert_str_eq(err.path, "contacts");
	ck_assert_ptr_null(req.contacts);
	ck_assert_uint_eq(req.n_contacts, 0);
	free(body);
}
END_TEST

struct bad_body {
	const char *body;
	enum ccon_errc code;
	const char *path;
};

#define C0 "{\"contactCode\":\"34666777888\",\"channelType\":\"cloud_api\"}"

static const struct bad_body send_bad[] = {
	{ "{}", CCON_E_JSON_REQUIRED, "contacts" },
	{ "{\"contacts\":null}", CCON_E_JSON_REQUIRED, "contacts" },
	{ "{\"contacts\":{}}", CCON_E_JSON_TYPE, "contacts" },
	{ "{\"contacts\":[]}", CCON_E_CONTACTS_COUNT, "contacts" },
	{ "[" C0 "]", CCON_E_JSON_TYPE, "" },
	{ "{\"contacts\":[" C0 ",\"34666555666\"]}", CCON_E_JSON_TYPE, "contacts[1]" },
	{ "{\"contacts\":[{\"channelType\":\"cloud_api\"}]}", CCON_E_JSON_REQUIRED,
	  "contacts[0].contactCode" },
	{ "{\"contacts\":[{\"contactCode\":34666777888,\"channelType\":\"cloud_api\"}]}",
	  CCON_E_JSON_TYPE, "contacts[0].contactCode" },
	{ "{\"contacts\":[" C0 ",{\"contactCode\":\"34666555666\"}]}", CCON_E_JSON_REQUIRED,
	  "contacts[1].channelType" },
	{ "{\"contacts\":[{\"contactCode\":\"34666777888\",\"channelType\":\"sms\"}]}",
	  CCON_E_CHANNEL_TYPE, "contacts[0].channelType" },
	{ "{\"contacts\":[{\"contactCode\":\"\",\"channelType\":\"cloud_api\"}]}",
	  CCON_E_CONTACT_CODE_EMPTY, "contacts[0].contactCode" },
	{ "{\"contacts\":[" C0 "," C0 "," C0 ",{\"contactCode\":\"34666777888\","
	  "\"channelType\":\"cloud_api\",\"customFields\":{\"age-x\":\"30\"}}]}",
	  CCON_E_CUSTOM_FIELD_NAME, "contacts[3].customFields.age-x" },
	{ "{\"contacts\":[{\"contactCode\":\"34666777888\",\"channelType\":\"cloud_api\","
	  "\"customFields\":{\"age\":{\"years\":30}}}]}", CCON_E_JSON_TYPE,
	  "contacts[0].customFields.age" },
	{ "{\"contacts\":[{\"contactCode\":\"34666777888\",\"channelType\":\"cloud_api\","
	  "\"customFields\":[\"age\"]}]}", CCON_E_JSON_TYPE, "contacts[0].customFields" },
	{ "{\"contacts\":[" C0 "],\"slicingCondition\":\"sometimes\"}", CCON_E_SLICING_UNKNOWN,
	  "slicingCondition" },
	{ "{\"contacts\":[" C0 "],\"slicingCondition\":\"FragmentedSlots \"}",
	  CCON_E_SLICING_UNKNOWN, "slicingCondition" },
	{ "{\"contacts\":[" C0 "],\"slicingCondition\":1}", CCON_E_JSON_TYPE, "slicingCondition" },
	{ "{\"contacts\":[" C0 "],\"scheduleAt\":20251001}", CCON_E_JSON_TYPE, "scheduleAt" },
	{ "{\"contacts\":[" C0 "],\"delay\":true}", CCON_E_JSON_TYPE, "delay" },
};

START_TEST(send_errors)
{
	const struct bad_body *b = &send_bad[_i];
	struct ccon_send_request req;
	struct ccon_error err;

	ck_assert_msg(parse_send(b->body, &req, &err) == -1, "accepted %s", b->body);
	ck_assert_errc(err, b->code);
	ck_assert_str_eq(err.path, b->path);
	ck_assert_ptr_null(req.contacts);
	ck_assert_uint_eq(req.n_contacts, 0);
}
END_TEST

START_TEST(send_syntax_error)
{
	struct ccon_send_request req;
	struct ccon_error err;
	char *text = test_read_data("codec_rest_send_syntax.json", NULL);

	ck_assert_int_eq(parse_send(text, &req, &err), -1);
	ck_assert_errc(err, CCON_E_JSON_SYNTAX);
	ck_assert_int_eq(err.line, 4);
	ck_assert_int_eq(err.column, 3);
	free(text);
}
END_TEST

/* ---------------------------------------------------------------- CSV form */

static void add_field(struct ccon_fields *f, const char *name, const char *value)
{
	ck_assert_int_eq(ccon_fields_add(f, name, value, strlen(value)), 0);
}

START_TEST(form_fields)
{
	struct ccon_fields f = CCON_FIELDS_INIT, again = CCON_FIELDS_INIT;
	struct ccon_send_form form, back;
	struct ccon_error err;

	add_field(&f, "layout", "{\"contact\":{\"contactCode\":\"{{contactCode}}\"}}");
	add_field(&f, "scheduleAt", "2025-10-01T12:15:00Z");
	add_field(&f, "delay", "P2W");
	add_field(&f, "slicingCondition", "deferredConsecutiveSlots");
	add_field(&f, "comment", "ignored");
	ck_assert_int_eq(ccon_send_form_decode(&f, &form, &err), 0);
	ck_assert_str_eq(form.schedule_at, "2025-10-01T12:15:00Z");
	ck_assert_str_eq(form.delay, "P2W");
	ck_assert_int_eq(form.slicing, CCON_SLICING_DEFERRED_CONSECUTIVE);

	ck_assert_int_eq(ccon_send_form_encode(&form, &again), 0);
	ck_assert_uint_eq(again.count, 3);
	ck_assert_int_eq(ccon_send_form_decode(&again, &back, &err), 0);
	ck_assert_str_eq(back.schedule_at, form.schedule_at);
	ck_assert_str_eq(back.delay, form.delay);
	ck_assert_int_eq(back.slicing, form.slicing);
	ccon_send_form_free(&form);
	ccon_send_form_free(&back);
	ccon_fields_free(&f);
	ccon_fields_free(&again);
}
END_TEST

START_TEST(form_empty_is_absent)
{
	struct ccon_fields f = CCON_FIELDS_INIT;
	struct ccon_send_form form;
	struct ccon_error err;

	add_field(&f, "scheduleAt", "");
	add_field(&f, "delay", "PT15M");
	add_field(&f, "slicingCondition", "");
	ck_assert_int_eq(ccon_send_form_decode(&f, &form, &err), 0);
	ck_assert_ptr_null(form.schedule_at);
	ck_assert_str_eq(form.delay, "PT15M");
	ck_assert_int_eq(form.slicing, CCON_SLICING_FRAGMENTED);
	ccon_send_form_free(&form);
	ccon_fields_free(&f);
}
END_TEST

START_TEST(form_errors)
{
	struct ccon_fields f = CCON_FIELDS_INIT, g = CCON_FIELDS_INIT;
	struct ccon_send_form form;
	struct ccon_error err;

	add_field(&f, "delay", "PT15M");
	add_field(&f, "delay", "PT20S");
	ck_assert_int_eq(ccon_send_form_decode(&f, &form, &err), -1);
	ck_assert_errc(err, CCON_E_JSON_VALUE);
	ck_assert_str_eq(err.path, "delay");
	ck_assert_ptr_null(form.delay);

	add_field(&g, "slicingCondition", "fastest");
	ck_assert_int_eq(ccon_send_form_decode(&g, &form, &err), -1);
	ck_assert_errc(err, CCON_E_SLICING_UNKNOWN);
	ck_assert_str_eq(err.path, "slicingCondition");
	ccon_fields_free(&f);
	ccon_fields_free(&g);
}
END_TEST

/* ---------------------------------------------------------------- error body */

static struct ccon_error make_error(enum ccon_errc code, const char *path, long line, long column,
                                    const char *message)
{
	struct ccon_error e;

	ccon_error_clear(&e);
	ccon_error_set(&e, code, "%s", message);
	ccon_error_at_path(&e, path);
	ccon_error_at_line(&e, line, column);
	return e;
}

static void assert_same_error(const struct ccon_error *a, const struct ccon_error *b)
{
	ck_assert_int_eq(a->code, b->code);
	ck_assert_str_eq(a->path, b->path);
	ck_assert_int_eq(a->line, b->line);
	ck_assert_int_eq(a->column, b->column);
	ck_assert_str_eq(a->message, b->message);
}

START_TEST(error_encode_fields)
{
	struct ccon_error e = make_error(CCON_E_CUSTOM_FIELD_NAME, "contacts[3].customFields.a-b", 0, 0,
	                                 "use letters, digits and _");
	cJSON *json;

	ck_assert_int_eq(ccon_error_encode(&e, &json), 0);
	ck_assert_str_eq(cJSON_GetObjectItem(json, "code")->valuestring, "invalid_custom_field_name");
	ck_assert_str_eq(cJSON_GetObjectItem(json, "message")->valuestring, e.message);
	ck_assert_str_eq(cJSON_GetObjectItem(json, "path")->valuestring, e.path);
	ck_assert_ptr_null(cJSON_GetObjectItem(json, "line"));
	ck_assert_ptr_null(cJSON_GetObjectItem(json, "column"));
	cJSON_Delete(json);

	e = make_error(CCON_E_CSV_QUOTE, "", 12, 3, "unbalanced quote");
	ck_assert_int_eq(ccon_error_encode(&e, &json), 0);
	ck_assert_ptr_null(cJSON_GetObjectItem(json, "path"));
	ck_assert_int_eq(cJSON_GetObjectItem(json, "line")->valueint, 12);
	ck_assert_int_eq(cJSON_GetObjectItem(json, "column")->valueint, 3);
	cJSON_Delete(json);
}
END_TEST

START_TEST(error_round_trip)
{
	const struct ccon_error cases[] = {
		make_error(CCON_E_JSON_LENGTH, "text", 0, 4070, "longer than 4069 characters"),
		make_error(CCON_E_CSV_FIELD_COUNT, "", 7, 2, "3 fields, the header has 5"),
		make_error(CCON_E_CONTACTS_COUNT, "contacts", 0, 0, "101 contacts, at most 100"),
		make_error(CCON_E_NOMEM, "", 0, 0, "out of memory"),
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ccon_api_error back;
		struct ccon_error err;
		cJSON *json;
		char *text;

		ck_assert_int_eq(ccon_error_encode(&cases[i], &json), 0);
		text = cJSON_Print(json);
		cJSON_Delete(json);
		ck_assert_int_eq(ccon_api_error_parse(text, strlen(text), &back, &err), 0);
		assert_same_error(&cases[i], &back.error);
		ck_assert_str_eq(back.code, ccon_errc_name(cases[i].code));
		cJSON_free(text);
	}
}
END_TEST

START_TEST(error_unknown_code_kept)
{
	const char *body = "{\"code\":\"quota_exceeded\",\"message\":\"monthly quota reached\","
	                   "\"retryAfter\":3600}";
	struct ccon_api_error back;
	struct ccon_error err;

	ck_assert_int_eq(ccon_api_error_parse(body, strlen(body), &back, &err), 0);
	ck_assert_errc(back.error, CCON_E_REMOTE_UNKNOWN);
	ck_assert_str_eq(back.code, "quota_exceeded");
	ck_assert_str_eq(back.error.message, "monthly quota reached");
	ck_assert_str_eq(back.error.path, "");
}
END_TEST

/* A message longer than struct ccon_error holds is cut between characters
 * and marked. */
START_TEST(error_long_message_marked)
{
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	struct ccon_api_error back;
	struct ccon_error err;
	size_t len;

	ccon_strbuf_puts(&sb, "{\"code\":\"invalid_value\",\"message\":\"");
	for (int i = 0; i < 200; i++)
		ccon_strbuf_puts(&sb, "\xc3\xb1"); /* n with tilde, 2 bytes */
	ccon_strbuf_puts(&sb, "\"}");
	ck_assert_int_eq(ccon_api_error_parse(sb.buf, sb.len, &back, &err), 0);
	len = strlen(back.error.message);
	ck_assert_uint_lt(len, sizeof(back.error.message));
	ck_assert_str_eq(back.error.message + len - 3, "...");
	ck_assert_uint_eq((len - 3) % 2, 0);
	ck_assert_int_eq(memcmp(back.error.message, "\xc3\xb1\xc3\xb1", 4), 0);
	ccon_strbuf_free(&sb);
}
END_TEST

static const struct bad_body error_bad[] = {
	{ "{\"message\":\"m\"}", CCON_E_JSON_REQUIRED, "code" },
	{ "{\"code\":\"invalid_value\"}", CCON_E_JSON_REQUIRED, "message" },
	{ "{\"code\":7,\"message\":\"m\"}", CCON_E_JSON_TYPE, "code" },
	{ "{\"code\":\"\",\"message\":\"m\"}", CCON_E_JSON_LENGTH, "code" },
	{ "{\"code\":\"a_code_of_sixty_four_bytes_is_too_long_for_a_stable_error_code__\","
	  "\"message\":\"m\"}", CCON_E_JSON_LENGTH, "code" },
	{ "{\"code\":\"invalid_value\",\"message\":\"m\",\"path\":[\"a\"]}", CCON_E_JSON_TYPE, "path" },
	{ "{\"code\":\"csv_quote\",\"message\":\"m\",\"line\":0}", CCON_E_JSON_RANGE, "line" },
	{ "{\"code\":\"csv_quote\",\"message\":\"m\",\"column\":1.5}", CCON_E_JSON_TYPE, "column" },
	{ "\"invalid_value\"", CCON_E_JSON_TYPE, "" },
};

START_TEST(error_decode_errors)
{
	const struct bad_body *b = &error_bad[_i];
	struct ccon_api_error back;
	struct ccon_error err;

	ccon_error_clear(&err);
	ck_assert_msg(ccon_api_error_parse(b->body, strlen(b->body), &back, &err) == -1,
	              "accepted %s", b->body);
	ck_assert_errc(err, b->code);
	ck_assert_str_eq(err.path, b->path);
}
END_TEST

START_TEST(error_list_capped_and_counted)
{
	struct ccon_error head = make_error(CCON_E_CSV_FIELD_COUNT, "", 0, 0, "the CSV has errors");
	struct ccon_error_list l, back;
	struct ccon_error err;
	cJSON *json;
	char *text;

	ccon_error_list_init(&l, &head);
	for (long i = 0; i < CCON_ERROR_LIST_MAX + 5; i++) {
		struct ccon_error e = make_error(CCON_E_CSV_FIELD_COUNT, "", i + 2, 1, "wrong field count");

		ck_assert_int_eq(ccon_error_list_add(&l, &e), 0);
	}
	ck_assert_uint_eq(l.count, CCON_ERROR_LIST_MAX);
	ck_assert_uint_eq(l.truncated, 5);
	ck_assert_uint_eq(ccon_error_list_total(&l), CCON_ERROR_LIST_MAX + 5);

	ck_assert_int_eq(ccon_error_list_encode(&l, &json), 0);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(json, "errors")), CCON_ERROR_LIST_MAX);
	ck_assert_int_eq(cJSON_GetObjectItem(json, "truncated")->valueint, 5);
	text = cJSON_PrintUnformatted(json);
	cJSON_Delete(json);

	ck_assert_int_eq(ccon_error_list_parse(text, strlen(text), &back, &err), 0);
	assert_same_error(&l.head.error, &back.head.error);
	ck_assert_uint_eq(back.count, l.count);
	ck_assert_uint_eq(back.truncated, 5);
	for (size_t i = 0; i < back.count; i++)
		assert_same_error(&l.items[i].error, &back.items[i].error);
	ck_assert_int_eq(back.items[99].error.line, 101);
	cJSON_free(text);
	ccon_error_list_free(&l);
	ccon_error_list_free(&back);
}
END_TEST

START_TEST(error_list_no_truncated_key_when_complete)
{
	struct ccon_error head = make_error(CCON_E_LAYOUT_INVALID, "", 0, 0, "bad layout");
	struct ccon_error e = make_error(CCON_E_JSON_REQUIRED, "contact.contactCode", 0, 0, "missing");
	struct ccon_error_list l;
	cJSON *json;

	ccon_error_list_init(&l, &head);
	ck_assert_int_eq(ccon_error_list_add(&l, &e), 0);
	ck_assert_int_eq(ccon_error_list_encode(&l, &json), 0);
	ck_assert_ptr_null(cJSON_GetObjectItem(json, "truncated"));
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(json, "errors")), 1);
	cJSON_Delete(json);
	ccon_error_list_free(&l);
}
END_TEST

/* A foreign server sending more than the cap: the rest are counted. */
START_TEST(error_list_decode_over_cap)
{
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	struct ccon_error_list back;
	struct ccon_error err;

	ccon_strbuf_puts(&sb, "{\"code\":\"csv_field_count\",\"message\":\"m\",\"truncated\":7,"
	                      "\"errors\":[");
	for (int i = 0; i < 150; i++)
		ccon_strbuf_printf(&sb, "%s{\"code\":\"csv_field_count\",\"message\":\"m\",\"line\":%d}",
		                   i ? "," : "", i + 1);
	ccon_strbuf_puts(&sb, "]}");
	ck_assert_int_eq(ccon_error_list_parse(sb.buf, sb.len, &back, &err), 0);
	ck_assert_uint_eq(back.count, CCON_ERROR_LIST_MAX);
	ck_assert_uint_eq(back.truncated, 50 + 7);
	ck_assert_uint_eq(ccon_error_list_total(&back), 157);
	ccon_error_list_free(&back);
	ccon_strbuf_free(&sb);
}
END_TEST

START_TEST(error_list_decode_errors)
{
	const char *single = "{\"code\":\"invalid_json\",\"message\":\"m\",\"line\":2,\"column\":9}";
	const char *bad_item = "{\"code\":\"csv_field_count\",\"message\":\"m\",\"errors\":["
	                       "{\"code\":\"csv_quote\",\"message\":\"m\"},{\"message\":\"m\"}]}";
	const char *bad_truncated = "{\"code\":\"c\",\"message\":\"m\",\"truncated\":-1}";
	struct ccon_error_list back;
	struct ccon_error err;

	ck_assert_int_eq(ccon_error_list_parse(single, strlen(single), &back, &err), 0);
	ck_assert_uint_eq(back.count, 0);
	ck_assert_errc(back.head.error, CCON_E_JSON_SYNTAX);
	ck_assert_int_eq(back.head.error.column, 9);
	ccon_error_list_free(&back);

	ck_assert_int_eq(ccon_error_list_parse(bad_item, strlen(bad_item), &back, &err), -1);
	ck_assert_errc(err, CCON_E_JSON_REQUIRED);
	ck_assert_str_eq(err.path, "errors[1].code");
	ck_assert_ptr_null(back.items);

	ck_assert_int_eq(ccon_error_list_parse(bad_truncated, strlen(bad_truncated), &back, &err), -1);
	ck_assert_errc(err, CCON_E_JSON_RANGE);
	ck_assert_str_eq(err.path, "truncated");
}
END_TEST

START_TEST(error_syntax)
{
	const char *body = "{\"code\": \"x\",\n \"message\": 'single'}";
	struct ccon_api_error back;
	struct ccon_error err;

	ck_assert_int_eq(ccon_api_error_parse(body, strlen(body), &back, &err), -1);
	ck_assert_errc(err, CCON_E_JSON_SYNTAX);
	ck_assert_int_eq(err.line, 2);
	ck_assert_int_eq(err.column, 13);
}
END_TEST

/* err may be NULL: every decoder still fails cleanly on every kind of error. */
START_TEST(decoders_accept_null_err)
{
	static const char *const bodies[] = {
		"{", "[]", "{}", "{\"contacts\":[{}]}", "{\"campaignId\":1,\"contacts\":[{}]}",
		"{\"campaignId\":1,\"contacts\":[{\"externalCode\":\"a\",\"customFields\":{\"a-b\":1}}]}",
		"{\"from\":\"+34911234567\",\"to\":\"+34666777888\",\"text\":\"t\",\"image\":\"x\"}",
		"{\"code\":\"\",\"message\":\"m\"}",
	};

	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		const char *b = bodies[i];
		size_t n = strlen(b);
		struct ccon_send_request send;
		struct ccon_transactional_request tx;
		struct ccon_whatsapp_message wa;
		struct ccon_whatsapp_answer ans;
		struct ccon_api_error api;
		struct ccon_error_list list;

		ck_assert_int_eq(ccon_send_request_parse(b, n, &send, NULL), -1);
		ck_assert_int_eq(ccon_transactional_request_parse(b, n, &tx, NULL), -1);
		ck_assert_int_eq(ccon_whatsapp_message_parse(b, n, &wa, NULL), -1);
		ck_assert_int_eq(ccon_whatsapp_answer_parse(b, n, &ans, NULL), -1);
		ck_assert_int_eq(ccon_api_error_parse(b, n, &api, NULL), -1);
		ck_assert_int_eq(ccon_error_list_parse(b, n, &list, NULL), -1);
	}
}
END_TEST

Suite *ccon_suite_codec_send(void)
{
	Suite *s = suite_create("codec_send");
	TCase *tc = tcase_create("send");
	TCase *form = tcase_create("csv_form");
	TCase *error = tcase_create("error_body");

	tcase_add_test(tc, send_seed_example);
	tcase_add_test(tc, send_defaults);
	tcase_add_test(tc, send_schedule_and_delay_carried);
	tcase_add_loop_test(tc, send_slicing_values, 0, 3);
	tcase_add_test(tc, send_unknown_fields_ignored);
	tcase_add_test(tc, send_count_bounds);
	tcase_add_loop_test(tc, send_errors, 0, (int)(sizeof(send_bad) / sizeof(send_bad[0])));
	tcase_add_test(tc, send_syntax_error);
	suite_add_tcase(s, tc);

	tcase_add_test(form, form_fields);
	tcase_add_test(form, form_empty_is_absent);
	tcase_add_test(form, form_errors);
	suite_add_tcase(s, form);

	tcase_add_test(error, error_encode_fields);
	tcase_add_test(error, error_round_trip);
	tcase_add_test(error, error_unknown_code_kept);
	tcase_add_test(error, error_long_message_marked);
	tcase_add_loop_test(error, error_decode_errors, 0,
	                    (int)(sizeof(error_bad) / sizeof(error_bad[0])));
	tcase_add_test(error, error_list_capped_and_counted);
	tcase_add_test(error, error_list_no_truncated_key_when_complete);
	tcase_add_test(error, error_list_decode_over_cap);
	tcase_add_test(error, error_list_decode_errors);
	tcase_add_test(error, error_syntax);
	tcase_add_test(error, decoders_accept_null_err);
	suite_add_tcase(s, error);
	return s;
}
