/* REST campaign definitions (ccond's POST /v1/applications/{appId}/campaigns)
 * and their answers. */
#include "config.h"

#include <ccon/codec_campaign_def.h>
#include <ccon/datetime.h>

#include "suites.h"
#include "testutil.h"

#define WA_HEAD "{\"name\":\"n\",\"channel\":\"whatsapp\",\"templateName\":\"t\""
#define SMS_HEAD "{\"name\":\"n\",\"channel\":\"sms\",\"templateBody\":\"Hi {{name}}\""

static int parse_def(const char *text, struct ccon_rest_campaign *c, struct ccon_error *err)
{
	ccon_error_clear(err);
	return ccon_rest_campaign_parse(text, strlen(text), c, err);
}

static void assert_same_opt(const char *a, const char *b)
{
	if (!a || !b)
		ck_assert_ptr_eq(a, b);
	else
		ck_assert_str_eq(a, b);
}

static void assert_same_list(char *const *a, size_t na, char *const *b, size_t nb)
{
	ck_assert_uint_eq(na, nb);
	for (size_t i = 0; i < na; i++)
		ck_assert_str_eq(a[i], b[i]);
}

static void assert_same_def(const struct ccon_rest_campaign *a, const struct ccon_rest_campaign *b)
{
	assert_same_opt(a->name, b->name);
	assert_same_opt(a->channel, b->channel);
	ck_assert_int_eq(a->type, b->type);
	assert_same_opt(a->template_name, b->template_name);
	assert_same_opt(a->template_body, b->template_body);
	ck_assert_int_eq(a->has_template_params, b->has_template_params);
	assert_same_list(a->template_params, a->n_template_params, b->template_params,
	                 b->n_template_params);
	assert_same_opt(a->language, b->language);
	assert_same_opt(a->flow_id, b->flow_id);
	assert_same_opt(a->state_id, b->state_id);
	assert_same_opt(a->master_state, b->master_state);
	assert_same_opt(a->source_application, b->source_application);
	assert_same_opt(a->campaign_sender, b->campaign_sender);
	assert_same_list(a->tags, a->n_tags, b->tags, b->n_tags);
}

static void round_trip(const struct ccon_rest_campaign *c)
{
	struct ccon_rest_campaign back;
	struct ccon_error err;
	cJSON *json;
	char *text;

	ck_assert_int_eq(ccon_rest_campaign_encode(c, &json), 0);
	text = cJSON_PrintUnformatted(json);
	cJSON_Delete(json);
	ck_assert_ptr_nonnull(text);
	ck_assert_msg(parse_def(text, &back, &err) == 0, "%s: %s: %s", text, err.path, err.message);
	assert_same_def(c, &back);
	ccon_rest_campaign_free(&back);
	cJSON_free(text);
}

/* Asserts that text is refused with code at path (and column when >= 0). */
static void refused(const char *text, enum ccon_errc code, const char *path, long column)
{
	struct ccon_rest_campaign c;
	struct ccon_error err;

	ck_assert_msg(parse_def(text, &c, &err) < 0, "accepted: %s", text);
	ck_assert_msg(err.code == code, "%s: expected %s, got %s (%s at %s)", text,
	              ccon_errc_name(code), ccon_errc_name(err.code), err.message, err.path);
	ck_assert_msg(strcmp(err.path, path) == 0, "%s: path \"%s\", expected \"%s\"", text, err.path,
	              path);
	if (column >= 0)
		ck_assert_msg(err.column == column, "%s: column %ld, expected %ld", text, err.column,
		              column);
	ck_assert_ptr_null(c.name);
	ck_assert_ptr_null(c.channel);
	ck_assert_ptr_null(c.tags);
}

static void accepted(const char *text)
{
	struct ccon_rest_campaign c;
	struct ccon_error err;

	ck_assert_msg(parse_def(text, &c, &err) == 0, "%s: %s: %s", text, err.path, err.message);
	round_trip(&c);
	ccon_rest_campaign_free(&c);
}

/* A JSON string of n copies of the UTF-8 character ch. */
static char *repeat(const char *ch, size_t n)
{
	size_t len = strlen(ch);
	char *s = malloc(n * len + 1);

	ck_assert_ptr_nonnull(s);
	for (size_t i = 0; i < n; i++)
		memcpy(s + i * len, ch, len);
	s[n * len] = '\0';
	return s;
}

static char *with_field(const char *head, const char *key, const char *value)
{
	size_t size = strlen(head) + strlen(key) + strlen(value) + 16;
	char *s = malloc(size);

	ck_assert_ptr_nonnull(s);
	snprintf(s, size, "%s,\"%s\":\"%s\"}", head, key, value);
	return s;
}

START_TEST(full_whatsapp_definition)
{
	struct ccon_rest_campaign c;
	struct ccon_error err;

	ck_assert_int_eq(parse_def("{\"name\":\"Black Friday \xc3\xb1\",\"channel\":\"WhatsApp\","
	                           "\"campaignType\":\"individual\",\"templateName\":\"bf_2025\","
	                           "\"templateBody\":\"Hola {{name}}, {{discount}}% off, {{name}}!\","
	                           "\"language\":\"pt_BR\",\"flowId\":\"f-1\",\"stateId\":\"s-1\","
	                           "\"masterState\":\"m@msging.net\",\"sourceApplication\":\"crm\","
	                           "\"campaignSender\":\"ana\",\"tags\":[\"promo\",\"q4\"],"
	                           "\"unknown\":1}", &c, &err), 0);
	ck_assert_str_eq(c.name, "Black Friday \xc3\xb1");
	ck_assert_str_eq(c.channel, "whatsapp");
	ck_assert_int_eq(c.type, CCON_CAMPAIGN_INDIVIDUAL);
	ck_assert_str_eq(c.template_name, "bf_2025");
	ck_assert_str_eq(c.template_body, "Hola {{name}}, {{discount}}% off, {{name}}!");
	ck_assert(!c.has_template_params);
	ck_assert_str_eq(c.language, "pt_BR");
	ck_assert_str_eq(c.flow_id, "f-1");
	ck_assert_str_eq(c.state_id, "s-1");
	ck_assert_str_eq(c.master_state, "m@msging.net");
	ck_assert_str_eq(c.source_application, "crm");
	ck_assert_str_eq(c.campaign_sender, "ana");
	ck_assert_uint_eq(c.n_tags, 2);
	ck_assert_str_eq(c.tags[0], "promo");
	ck_assert_str_eq(c.tags[1], "q4");
	round_trip(&c);
	ccon_rest_campaign_free(&c);
}
END_TEST

START_TEST(minimal_definitions_take_defaults)
{
	struct ccon_rest_campaign c;
	struct ccon_error err;
	cJSON *json;
	char *text;

	ck_assert_int_eq(parse_def("{\"name\":\"n\",\"channel\":\"SMS\",\"templateBody\":\"Hi\","
	                           "\"language\":null,\"tags\":null}", &c, &err), 0);
	ck_assert_str_eq(c.channel, "sms");
	ck_assert_int_eq(c.type, CCON_CAMPAIGN_BATCH);
	ck_assert_ptr_null(c.template_name);
	ck_assert_ptr_null(c.language);
	ck_assert_uint_eq(c.n_tags, 0);
	ck_assert_int_eq(ccon_rest_campaign_encode(&c, &json), 0);
	text = cJSON_PrintUnformatted(json);
	ck_assert_str_eq(text, "{\"name\":\"n\",\"channel\":\"sms\",\"campaignType\":\"Batch\","
	                       "\"templateBody\":\"Hi\",\"tags\":[]}");
	cJSON_free(text);
	cJSON_Delete(json);
	ccon_rest_campaign_free(&c);
	accepted("{\"name\":\"n\",\"channel\":\"rcs\",\"templateBody\":\"Line 1\\nLine\\t2\"}");
	accepted(WA_HEAD "}");
	accepted(WA_HEAD ",\"templateParams\":[]}");
	accepted(WA_HEAD ",\"templateParams\":[\"name\",\"ticket_id\",\"2\"]}");
	/* json_util's keys are case-insensitive (seed 002 spells masterstate) */
	accepted(WA_HEAD ",\"masterstate\":\"m\",\"CampaignType\":\"BATCH\"}");
}
END_TEST

START_TEST(name_rules)
{
	char *s, *body;

	refused("{\"channel\":\"sms\",\"templateBody\":\"x\"}", CCON_E_JSON_REQUIRED, "name", 0);
	refused("{\"name\":7,\"channel\":\"sms\",\"templateBody\":\"x\"}", CCON_E_JSON_TYPE, "name", -1);
	refused("{\"name\":\"\",\"channel\":\"sms\",\"templateBody\":\"x\"}", CCON_E_JSON_LENGTH,
	        "name", 0);
	refused("{\"name\":\"   \",\"channel\":\"sms\",\"templateBody\":\"x\"}", CCON_E_JSON_LENGTH,
	        "name", 0);
	refused("{\"name\":\"a\\u0007b\",\"channel\":\"sms\",\"templateBody\":\"x\"}",
	        CCON_E_JSON_VALUE, "name", 2);
	refused("{\"name\":\"\xc3\xb1\xff\",\"channel\":\"sms\",\"templateBody\":\"x\"}",
	        CCON_E_JSON_VALUE, "name", 2);
	/* 200 two-byte characters fit, 201 do not */
	s = repeat("\xc3\xb1", 200);
	body = with_field("{\"channel\":\"sms\",\"templateBody\":\"x\"", "name", s);
	accepted(body);
	free(body);
	free(s);
	s = repeat("\xc3\xb1", 201);
	body = with_field("{\"channel\":\"sms\",\"templateBody\":\"x\"", "name", s);
	refused(body, CCON_E_JSON_LENGTH, "name", 201);
	free(body);
	free(s);
}
END_TEST

START_TEST(channel_and_type_rules)
{
	refused("{\"name\":\"n\",\"templateBody\":\"x\"}", CCON_E_JSON_REQUIRED, "channel", 0);
	refused("{\"name\":\"n\",\"channel\":\"email\",\"templateBody\":\"x\"}", CCON_E_JSON_VALUE,
	        "channel", 0);
	refused("{\"name\":\"n\",\"channel\":\"cloud_api\",\"templateBody\":\"x\"}", CCON_E_JSON_VALUE,
	        "channel", 0);
	refused("{\"name\":\"n\",\"channel\":1,\"templateBody\":\"x\"}", CCON_E_JSON_TYPE, "channel",
	        -1);
	refused(SMS_HEAD ",\"campaignType\":\"Massive\"}", CCON_E_JSON_VALUE, "campaignType", 0);
	refused(SMS_HEAD ",\"campaignType\":true}", CCON_E_JSON_TYPE, "campaignType", -1);
	refused("[]", CCON_E_JSON_TYPE, "", -1);
	refused("{\"name\":\"n\",", CCON_E_JSON_SYNTAX, "", -1);
}
END_TEST

START_TEST(channel_template_rules)
{
	refused("{\"name\":\"n\",\"channel\":\"whatsapp\"}", CCON_E_JSON_REQUIRED, "templateName", 0);
	refused("{\"name\":\"n\",\"channel\":\"whatsapp\",\"templateBody\":\"Hi\"}",
	        CCON_E_JSON_REQUIRED, "templateName", 0);
	refused("{\"name\":\"n\",\"channel\":\"sms\"}", CCON_E_JSON_REQUIRED, "templateBody", 0);
	refused("{\"name\":\"n\",\"channel\":\"rcs\",\"templateParams\":[\"a\"]}",
	        CCON_E_JSON_REQUIRED, "templateBody", 0);
	refused(SMS_HEAD ",\"templateName\":\"t\"}", CCON_E_JSON_VALUE, "templateName", 0);
	refused(WA_HEAD ",\"templateBody\":\"{{a}}\",\"templateParams\":[\"a\"]}", CCON_E_JSON_VALUE,
	        "templateParams", 0);
}
END_TEST

START_TEST(template_name_rules)
{
	char *s, *body;

	refused("{\"name\":\"n\",\"channel\":\"whatsapp\",\"templateName\":\"Order\"}",
	        CCON_E_JSON_VALUE, "templateName", 1);
	refused("{\"name\":\"n\",\"channel\":\"whatsapp\",\"templateName\":\"order-update\"}",
	        CCON_E_JSON_VALUE, "templateName", 6);
	refused("{\"name\":\"n\",\"channel\":\"whatsapp\",\"templateName\":\"\"}", CCON_E_JSON_LENGTH,
	        "templateName", 0);
	refused("{\"name\":\"n\",\"channel\":\"whatsapp\",\"templateName\":[]}", CCON_E_JSON_TYPE,
	        "templateName", -1);
	s = repeat("a", 512);
	body = with_field("{\"name\":\"n\",\"channel\":\"whatsapp\"", "templateName", s);
	accepted(body);
	free(body);
	free(s);
	s = repeat("a", 513);
	body = with_field("{\"name\":\"n\",\"channel\":\"whatsapp\"", "templateName", s);
	refused(body, CCON_E_JSON_LENGTH, "templateName", 513);
	free(body);
	free(s);
}
END_TEST

START_TEST(template_body_rules)
{
	char *s, *body;

	refused("{\"name\":\"n\",\"channel\":\"sms\",\"templateBody\":\"Hello {{name\"}",
	        CCON_E_TEMPLATE_SYNTAX, "templateBody", 7);
	/* positions are characters: "Olá " is 4 */
	refused("{\"name\":\"n\",\"channel\":\"sms\",\"templateBody\":\"Ol\xc3\xa1 {{}}\"}",
	        CCON_E_TEMPLATE_SYNTAX, "templateBody", 5);
	refused("{\"name\":\"n\",\"channel\":\"rcs\",\"templateBody\":\"{{a}} {{{b}}}\"}",
	        CCON_E_TEMPLATE_SYNTAX, "templateBody", 7);
	refused("{\"name\":\"n\",\"channel\":\"sms\",\"templateBody\":\"Hi {{first name}}\"}",
	        CCON_E_CUSTOM_FIELD_NAME, "templateBody", 4);
	refused(WA_HEAD ",\"templateBody\":\"{{ok}} {{context.var}}\"}", CCON_E_CUSTOM_FIELD_NAME,
	        "templateBody", 8);
	refused("{\"name\":\"n\",\"channel\":\"sms\",\"templateBody\":\"\"}", CCON_E_JSON_LENGTH,
	        "templateBody", 0);
	refused("{\"name\":\"n\",\"channel\":\"sms\",\"templateBody\":\"a\\u0001b\"}",
	        CCON_E_JSON_VALUE, "templateBody", 2);
	accepted("{\"name\":\"n\",\"channel\":\"sms\",\"templateBody\":\"{ a } }} {{ name }}\"}");
	s = repeat("x", 4096);
	body = with_field("{\"name\":\"n\",\"channel\":\"sms\"", "templateBody", s);
	accepted(body);
	free(body);
	free(s);
	s = repeat("x", 4097);
	body = with_field("{\"name\":\"n\",\"channel\":\"sms\"", "templateBody", s);
	refused(body, CCON_E_JSON_LENGTH, "templateBody", 4097);
	free(body);
	free(s);
}
END_TEST

START_TEST(template_params_rules)
{
	struct ccon_strbuf sb = CCON_STRBUF_INIT;

	refused(WA_HEAD ",\"templateParams\":\"name\"}", CCON_E_JSON_TYPE, "templateParams", -1);
	refused(WA_HEAD ",\"templateParams\":[\"a\",3]}", CCON_E_JSON_TYPE, "templateParams[1]", -1);
	refused(WA_HEAD ",\"templateParams\":[\"first name\"]}", CCON_E_CUSTOM_FIELD_NAME,
	        "templateParams[0]", 0);
	refused(WA_HEAD ",\"templateParams\":[\"\"]}", CCON_E_CUSTOM_FIELD_NAME,
	        "templateParams[0]", 0);
	refused(WA_HEAD ",\"templateParams\":[\"a\",\"b\",\"a\"]}", CCON_E_JSON_VALUE,
	        "templateParams[2]", 0);
	ccon_strbuf_puts(&sb, WA_HEAD ",\"templateParams\":[");
	for (int i = 0; i < 101; i++)
		ccon_strbuf_printf(&sb, "%s\"p%d\"", i ? "," : "", i);
	ccon_strbuf_puts(&sb, "]}");
	refused(ccon_strbuf_cstr(&sb), CCON_E_JSON_LENGTH, "templateParams", 0);
	ccon_strbuf_free(&sb);
}
END_TEST

START_TEST(tag_rules)
{
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	char *s;

	for (int n = 20; n <= 21; n++) {
		ccon_strbuf_reset(&sb);
		ccon_strbuf_puts(&sb, SMS_HEAD ",\"tags\":[");
		for (int i = 0; i < n; i++)
			ccon_strbuf_printf(&sb, "%s\"t%d\"", i ? "," : "", i);
		ccon_strbuf_puts(&sb, "]}");
		if (n == 20)
			accepted(ccon_strbuf_cstr(&sb));
		else
			refused(ccon_strbuf_cstr(&sb), CCON_E_JSON_LENGTH, "tags", 0);
	}
	refused(SMS_HEAD ",\"tags\":[\"a\",\"\"]}", CCON_E_JSON_LENGTH, "tags[1]", 0);
	refused(SMS_HEAD ",\"tags\":[\"a\",\"a\"]}", CCON_E_JSON_VALUE, "tags[1]", 0);
	refused(SMS_HEAD ",\"tags\":[1]}", CCON_E_JSON_TYPE, "tags[0]", -1);
	refused(SMS_HEAD ",\"tags\":\"a\"}", CCON_E_JSON_TYPE, "tags", -1);
	refused(SMS_HEAD ",\"tags\":[\"a\\nb\"]}", CCON_E_JSON_VALUE, "tags[0]", 2);
	s = repeat("\xc3\xa9", 64);
	ccon_strbuf_reset(&sb);
	ccon_strbuf_printf(&sb, SMS_HEAD ",\"tags\":[\"%s\"]}", s);
	accepted(ccon_strbuf_cstr(&sb));
	ccon_strbuf_reset(&sb);
	ccon_strbuf_printf(&sb, SMS_HEAD ",\"tags\":[\"x\",\"%s\xc3\xa9\"]}", s);
	refused(ccon_strbuf_cstr(&sb), CCON_E_JSON_LENGTH, "tags[1]", 65);
	free(s);
	ccon_strbuf_free(&sb);
}
END_TEST

START_TEST(language_rules)
{
	static const char *const good[] = { "en", "pt_BR", "fil", "es_419", "zh_HK" };
	static const char *const bad[] = { "pt-BR", "PT_br", "p", "pt_BRA", "pt_", "english",
	                                   "pt_B", "es_41", "_BR" };
	char *body;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		body = with_field(WA_HEAD, "language", good[i]);
		accepted(body);
		free(body);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		body = with_field(WA_HEAD, "language", bad[i]);
		refused(body, CCON_E_JSON_VALUE, "language", 0);
		free(body);
	}
	refused(WA_HEAD ",\"language\":\"\"}", CCON_E_JSON_LENGTH, "language", 0);
}
END_TEST

START_TEST(plain_string_rules)
{
	static const char *const keys[] = { "flowId", "stateId", "masterState", "sourceApplication",
	                                    "campaignSender" };
	char *s = repeat("z", 256), *long_s = repeat("z", 257), *body;
	struct ccon_strbuf sb = CCON_STRBUF_INIT;

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		body = with_field(SMS_HEAD, keys[i], s);
		accepted(body);
		free(body);
		body = with_field(SMS_HEAD, keys[i], long_s);
		refused(body, CCON_E_JSON_LENGTH, keys[i], 257);
		free(body);
		body = with_field(SMS_HEAD, keys[i], "");
		refused(body, CCON_E_JSON_LENGTH, keys[i], 0);
		free(body);
		ccon_strbuf_reset(&sb);
		ccon_strbuf_printf(&sb, SMS_HEAD ",\"%s\":12}", keys[i]);
		refused(ccon_strbuf_cstr(&sb), CCON_E_JSON_TYPE, keys[i], -1);
	}
	ccon_strbuf_free(&sb);
	free(s);
	free(long_s);
}
END_TEST

static void assert_vars(const char *text, const char *want)
{
	struct ccon_rest_campaign c;
	struct ccon_template_vars vars;
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	struct ccon_error err;

	ck_assert_msg(parse_def(text, &c, &err) == 0, "%s: %s", text, err.message);
	ck_assert_int_eq(ccon_rest_campaign_variables(&c, &vars, &err), 0);
	for (size_t i = 0; i < vars.count; i++)
		ccon_strbuf_printf(&sb, "%s%s", i ? "," : "", vars.names[i]);
	ck_assert_str_eq(ccon_strbuf_cstr(&sb), want);
	ccon_template_vars_free(&vars);
	ccon_strbuf_free(&sb);
	ccon_rest_campaign_free(&c);
}

START_TEST(variables_from_body_or_params)
{
	assert_vars("{\"name\":\"n\",\"channel\":\"sms\",\"templateBody\":\"{{b}} {{a}} {{ b }}\"}",
	            "b,a");
	assert_vars(WA_HEAD ",\"templateParams\":[\"x\",\"y\"]}", "x,y");
	assert_vars(WA_HEAD "}", "");
	assert_vars(WA_HEAD ",\"templateBody\":\"no variables\"}", "");
}
END_TEST

START_TEST(answer_round_trip)
{
	struct ccon_rest_campaign_info ci, back;
	struct ccon_error err;
	cJSON *json, *vars;
	char *text;

	memset(&ci, 0, sizeof(ci));
	ck_assert_int_eq(parse_def(WA_HEAD ",\"templateBody\":\"{{a}} and {{b}}\",\"tags\":[\"x\"]}",
	                           &ci.def, &err), 0);
	ci.id = 42;
	ci.created_us = INT64_C(1759320900) * CCON_US_PER_SECOND + 250000;
	ci.origin = strdup("rest");
	ck_assert_int_eq(ccon_rest_campaign_info_encode(&ci, &json), 0);
	ck_assert_int_eq(cJSON_GetObjectItem(json, "id")->valueint, 42);
	ck_assert_str_eq(cJSON_GetObjectItem(json, "created")->valuestring, "2025-10-01T12:15:00.250Z");
	vars = cJSON_GetObjectItem(json, "variables");
	ck_assert_int_eq(cJSON_GetArraySize(vars), 2);
	ck_assert_str_eq(cJSON_GetArrayItem(vars, 1)->valuestring, "b");
	text = cJSON_PrintUnformatted(json);
	cJSON_Delete(json);
	ck_assert_int_eq(ccon_rest_campaign_info_parse(text, strlen(text), &back, &err), 0);
	ck_assert_int_eq(back.id, 42);
	ck_assert_int_eq(back.created_us, ci.created_us);
	ck_assert_str_eq(back.origin, "rest");
	assert_same_def(&ci.def, &back.def);
	cJSON_free(text);
	ccon_rest_campaign_info_free(&back);
	ccon_rest_campaign_info_free(&ci);
}
END_TEST

START_TEST(answer_decoding_is_lenient_but_typed)
{
	struct ccon_rest_campaign_info ci;
	struct ccon_error err;
	const char *ok = "{\"id\":3,\"name\":\"seed\",\"channel\":\"GoogleRcs\","
	                 "\"campaignType\":\"BATCH\",\"templateName\":\"{{messageTemplate}}\","
	                 "\"origin\":\"full\",\"created\":\"2025-10-01T12:00:00Z\"}";
	static const struct {
		const char *text;
		enum ccon_errc code;
		const char *path;
	} bad[] = {
		{ "{\"name\":\"n\",\"channel\":\"sms\",\"created\":\"2025-10-01T12:00:00Z\"}",
		  CCON_E_JSON_REQUIRED, "id" },
		{ "{\"id\":0,\"name\":\"n\",\"channel\":\"sms\",\"created\":\"2025-10-01T12:00:00Z\"}",
		  CCON_E_JSON_RANGE, "id" },
		{ "{\"id\":1,\"name\":\"n\",\"channel\":\"sms\"}", CCON_E_JSON_REQUIRED, "created" },
		{ "{\"id\":1,\"name\":\"n\",\"channel\":\"sms\",\"created\":\"2025-10-01\"}",
		  CCON_E_DATETIME_SYNTAX, "created" },
		{ "{\"id\":1,\"channel\":\"sms\",\"created\":\"2025-10-01T12:00:00Z\"}",
		  CCON_E_JSON_REQUIRED, "name" },
		{ "{\"id\":1,\"name\":\"n\",\"channel\":\"sms\",\"created\":\"2025-10-01T12:00:00Z\","
		  "\"tags\":[1]}", CCON_E_JSON_TYPE, "tags[0]" },
	};

	ck_assert_int_eq(ccon_rest_campaign_info_parse(ok, strlen(ok), &ci, &err), 0);
	ck_assert_str_eq(ci.def.channel, "GoogleRcs");
	ck_assert_str_eq(ci.def.template_name, "{{messageTemplate}}");
	ck_assert_int_eq(ci.def.type, CCON_CAMPAIGN_BATCH);
	ck_assert_str_eq(ci.origin, "full");
	ccon_rest_campaign_info_free(&ci);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ccon_error_clear(&err);
		ck_assert_int_lt(ccon_rest_campaign_info_parse(bad[i].text, strlen(bad[i].text), &ci,
		                                               &err), 0);
		ck_assert_errc(err, bad[i].code);
		ck_assert_str_eq(err.path, bad[i].path);
		ck_assert_ptr_null(ci.def.name);
		ck_assert_ptr_null(ci.origin);
	}
}
END_TEST

START_TEST(null_error_and_channel_names)
{
	struct ccon_rest_campaign c;
	struct ccon_rest_campaign_info ci;
	enum ccon_rest_channel ch;
	const char *bad = "{\"name\":\"n\",\"channel\":\"sms\",\"templateBody\":\"{{\"}";

	ck_assert_int_lt(ccon_rest_campaign_parse(bad, strlen(bad), &c, NULL), 0);
	ck_assert_int_lt(ccon_rest_campaign_info_parse(bad, strlen(bad), &ci, NULL), 0);
	ck_assert_int_lt(ccon_rest_campaign_parse("{", 1, &c, NULL), 0);
	ck_assert_int_eq(ccon_rest_channel_parse("RCS", &ch), 0);
	ck_assert_int_eq(ch, CCON_REST_RCS);
	ck_assert_str_eq(ccon_rest_channel_name(ch), "rcs");
	ck_assert_int_lt(ccon_rest_channel_parse("whats app", &ch), 0);
	ck_assert_ptr_null(ccon_rest_channel_name((enum ccon_rest_channel)7));
}
END_TEST

Suite *ccon_suite_codec_campaign_def(void)
{
	Suite *s = suite_create("codec_campaign_def");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, full_whatsapp_definition);
	tcase_add_test(tc, minimal_definitions_take_defaults);
	tcase_add_test(tc, name_rules);
	tcase_add_test(tc, channel_and_type_rules);
	tcase_add_test(tc, channel_template_rules);
	tcase_add_test(tc, template_name_rules);
	tcase_add_test(tc, template_body_rules);
	tcase_add_test(tc, template_params_rules);
	tcase_add_test(tc, tag_rules);
	tcase_add_test(tc, language_rules);
	tcase_add_test(tc, plain_string_rules);
	tcase_add_test(tc, variables_from_body_or_params);
	tcase_add_test(tc, answer_round_trip);
	tcase_add_test(tc, answer_decoding_is_lenient_but_typed);
	tcase_add_test(tc, null_error_and_channel_names);
	suite_add_tcase(s, tc);
	return s;
}
