#include "config.h"

#include <ccon/layout.h>

#include <ccon/json_util.h>
#include <ccon/strbuf.h>

#include "suites.h"
#include "testutil.h"

static void parse_data(const char *name, struct ccon_layout *l)
{
	struct ccon_error err;
	size_t len;
	char *text = test_read_data(name, &len);

	ccon_error_clear(&err);
	ck_assert_msg(ccon_layout_parse(text, len, l, &err) == 0, "%s: %s", name, err.message);
	free(text);
}

static int parse_str(const char *text, struct ccon_layout *l, struct ccon_error *err)
{
	ccon_error_clear(err);
	return ccon_layout_parse(text, strlen(text), l, err);
}

/* "contactCode|channelType|name=tmpl;..." with variables shown as <col> */
static void describe(const struct ccon_layout *l, const struct ccon_layout_value *v,
                     struct ccon_strbuf *sb)
{
	for (size_t i = v->first; i < v->first + v->count; i++)
		ccon_strbuf_printf(sb, l->parts[i].variable ? "<%s>" : "%s", l->parts[i].text);
}

static char *layout_text(const struct ccon_layout *l)
{
	struct ccon_strbuf sb = CCON_STRBUF_INIT;

	describe(l, &l->contact_code, &sb);
	ccon_strbuf_putc(&sb, '|');
	describe(l, &l->channel_type, &sb);
	for (size_t i = 0; i < l->n_custom_fields; i++) {
		ccon_strbuf_printf(&sb, "|%s=", l->custom_fields[i].name);
		describe(l, &l->custom_fields[i].value, &sb);
	}
	return ccon_strbuf_detach(&sb);
}

START_TEST(seed_examples)
{
	static const struct {
		const char *file, *want;
	} cases[] = {
		{ "layout_seed_example1.json",
		  "<contactCode>|<channelType>|name=<nombre>|ticketId=<ticket_id>|age=<edad>" },
		{ "layout_seed_example2.json", "<contactCode>|cloud_api" },
		{ "layout_seed_example3.json",
		  "<phoneNumber>|<channel>|name=<nombre_cliente>|age=<edad_cliente>" },
		{ "layout_seed_example4.json",
		  "<contactCode>|<channelType>|name=Dear client|discount=10%" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ccon_layout l;
		char *got;

		parse_data(cases[i].file, &l);
		got = layout_text(&l);
		ck_assert_str_eq(got, cases[i].want);
		free(got);
		ccon_layout_free(&l);
	}
}
END_TEST

START_TEST(mixed_template)
{
	struct ccon_layout l;
	struct ccon_error err;
	char *got;

	ck_assert_int_eq(parse_str("{\"contact\":{\"contactCode\":\"+{{cc}} {{num}}\","
	                           "\"channelType\":\"cloud_api\"},"
	                           "\"customFields\":{\"greeting\":\"Mr {{ name }}!\"}}",
	                           &l, &err), 0);
	got = layout_text(&l);
	ck_assert_str_eq(got, "+<cc> <num>|cloud_api|greeting=Mr <name>!");
	ck_assert(!ccon_layout_value_fixed(&l, &l.custom_fields[0].value));
	ck_assert(ccon_layout_value_fixed(&l, &l.channel_type));
	free(got);
	ccon_layout_free(&l);
}
END_TEST

START_TEST(unknown_fields_tolerated)
{
	struct ccon_layout l;
	struct ccon_error err;

	ck_assert_int_eq(parse_str("{\"sendType\":\"x\",\"messageContent\":{\"a\":1},"
	                           "\"contact\":{\"contactCode\":\"{{c}}\",\"channelType\":"
	                           "\"cloud_api\",\"other\":1}}", &l, &err), 0);
	ck_assert_uint_eq(l.n_custom_fields, 0);
	ccon_layout_free(&l);
}
END_TEST

START_TEST(number_custom_value)
{
	struct ccon_layout l;
	struct ccon_error err;

	ck_assert_int_eq(parse_str("{\"contact\":{\"contactCode\":\"{{c}}\",\"channelType\":"
	                           "\"cloud_api\"},\"customFields\":{\"discount\":10}}", &l, &err), 0);
	ck_assert_str_eq(l.custom_fields[0].value.tmpl, "10");
	ccon_layout_free(&l);
}
END_TEST

START_TEST(errors_with_paths)
{
	static const struct {
		const char *json;
		enum ccon_errc code;
		const char *path;
	} cases[] = {
		{ "{\"contact\":{\"channelType\":\"cloud_api\"}}", CCON_E_JSON_REQUIRED,
		  "contact.contactCode" },
		{ "{\"contact\":{\"contactCode\":\"{{c}}\"}}", CCON_E_JSON_REQUIRED,
		  "contact.channelType" },
		{ "{\"customFields\":{}}", CCON_E_JSON_REQUIRED, "contact" },
		{ "{\"contact\":{\"contactCode\":5,\"channelType\":\"cloud_api\"}}", CCON_E_JSON_TYPE,
		  "contact.contactCode" },
		{ "{\"contact\":{\"contactCode\":\"\",\"channelType\":\"cloud_api\"}}",
		  CCON_E_LAYOUT_INVALID, "contact.contactCode" },
		{ "{\"contact\":{\"contactCode\":\"{{c}}\",\"channelType\":\"sms\"}}",
		  CCON_E_CHANNEL_TYPE, "contact.channelType" },
		{ "{\"contact\":{\"contactCode\":\"{{c\",\"channelType\":\"cloud_api\"}}",
		  CCON_E_TEMPLATE_SYNTAX, "contact.contactCode" },
		{ "{\"contact\":{\"contactCode\":\"{{c}}\",\"channelType\":\"cloud_api\"},"
		  "\"customFields\":{\"age\":\"{{edad\"}}", CCON_E_TEMPLATE_SYNTAX, "customFields.age" },
		{ "{\"contact\":{\"contactCode\":\"{{c}}\",\"channelType\":\"cloud_api\"},"
		  "\"customFields\":{\"bad-name\":\"x\"}}", CCON_E_CUSTOM_FIELD_NAME,
		  "customFields.bad-name" },
		{ "{\"contact\":{\"contactCode\":\"{{c}}\",\"channelType\":\"cloud_api\"},"
		  "\"customFields\":{\"age\":\"1\",\"age\":\"2\"}}", CCON_E_CUSTOM_FIELD_NAME,
		  "customFields.age" },
		{ "{\"contact\":{\"contactCode\":\"{{c}}\",\"channelType\":\"cloud_api\"},"
		  "\"customFields\":{\"age\":{\"x\":1}}}", CCON_E_JSON_TYPE, "customFields.age" },
		{ "[]", CCON_E_JSON_TYPE, "" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ccon_layout l;
		struct ccon_error err;

		ck_assert_msg(parse_str(cases[i].json, &l, &err) == -1, "case %zu accepted", i);
		ck_assert_errc(err, cases[i].code);
		ck_assert_str_eq(err.path, cases[i].path);
		ck_assert_ptr_null(l.parts);
	}
}
END_TEST

START_TEST(template_error_column)
{
	struct ccon_layout l;
	struct ccon_error err;

	ck_assert_int_eq(parse_str("{\"contact\":{\"contactCode\":\"{{c}}\",\"channelType\":"
	                           "\"cloud_api\"},\"customFields\":{\"a\":\"Mr {{x\"}}",
	                           &l, &err), -1);
	ck_assert_errc(err, CCON_E_TEMPLATE_SYNTAX);
	ck_assert_int_eq(err.column, 4);
}
END_TEST

START_TEST(syntax_error_line)
{
	struct ccon_layout l;
	struct ccon_error err;

	ck_assert_int_eq(parse_str("{\n \"contact\": {,\n}", &l, &err), -1);
	ck_assert_errc(err, CCON_E_JSON_SYNTAX);
	ck_assert_int_eq(err.line, 2);
}
END_TEST

START_TEST(round_trip)
{
	for (int i = 1; i <= 4; i++) {
		struct ccon_layout a, b;
		struct ccon_strbuf sb = CCON_STRBUF_INIT;
		struct ccon_error err;
		char name[64], *ta, *tb, *first;
		cJSON *json;

		snprintf(name, sizeof(name), "layout_seed_example%d.json", i);
		parse_data(name, &a);
		ck_assert_int_eq(ccon_layout_encode(&a, &json), 0);
		ck_assert_int_eq(ccon_json_print(json, &sb), 0);
		cJSON_Delete(json);
		first = strdup(sb.buf);
		ck_assert_int_eq(parse_str(sb.buf, &b, &err), 0);
		ta = layout_text(&a);
		tb = layout_text(&b);
		ck_assert_str_eq(ta, tb);
		ck_assert_int_eq(ccon_layout_encode(&b, &json), 0);
		ccon_strbuf_reset(&sb);
		ccon_json_print(json, &sb);
		cJSON_Delete(json);
		/* the text is stable too: encode(parse(encode(x))) == encode(x) */
		ck_assert_str_eq(sb.buf, first);
		free(first);
		free(ta);
		free(tb);
		ccon_strbuf_free(&sb);
		ccon_layout_free(&a);
		ccon_layout_free(&b);
	}
}
END_TEST

START_TEST(encode_keeps_templates)
{
	struct ccon_layout l;
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	cJSON *json;

	parse_data("layout_seed_example4.json", &l);
	ck_assert_int_eq(ccon_layout_encode(&l, &json), 0);
	ccon_json_print(json, &sb);
	ck_assert_str_eq(sb.buf, "{\"contact\":{\"contactCode\":\"{{contactCode}}\",\"channelType\":"
	                         "\"{{channelType}}\"},\"customFields\":{\"name\":\"Dear client\","
	                         "\"discount\":\"10%\"}}");
	cJSON_Delete(json);
	ccon_strbuf_free(&sb);
	ccon_layout_free(&l);
}
END_TEST

START_TEST(build_in_code)
{
	const char *names[] = { "name" }, *values[] = { "{{n}}" };
	const char *bad_names[] = { "a b" };
	struct ccon_layout l;
	struct ccon_error err;

	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_layout_build("{{c}}", "cloud_api", names, values, 1, &l, &err), 0);
	ck_assert_uint_eq(l.n_parts, 3);
	ccon_layout_free(&l);
	ck_assert_int_eq(ccon_layout_build("{{c}}", "cloud_api", bad_names, values, 1, &l, &err),
	                 -1);
	ck_assert_errc(err, CCON_E_CUSTOM_FIELD_NAME);
}
END_TEST

START_TEST(bind_columns)
{
	const char *cols[] = { "contactCode", "channelType", "nombre", "ticket_id", "edad" };
	struct ccon_layout l;
	struct ccon_error err;
	size_t pc[16];

	parse_data("layout_seed_example1.json", &l);
	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_layout_bind(&l, cols, 5, pc, &err), 0);
	ck_assert_uint_eq(pc[l.contact_code.first], 0);
	ck_assert_uint_eq(pc[l.channel_type.first], 1);
	ck_assert_uint_eq(pc[l.custom_fields[0].value.first], 2);
	ck_assert_uint_eq(pc[l.custom_fields[2].value.first], 4);
	ccon_layout_free(&l);
}
END_TEST

START_TEST(bind_literal_parts)
{
	const char *cols[] = { "contactCode", "channelType" };
	struct ccon_layout l;
	struct ccon_error err;
	size_t pc[16];

	parse_data("layout_seed_example4.json", &l);
	ck_assert_int_eq(ccon_layout_bind(&l, cols, 2, pc, &err), 0);
	ck_assert_uint_eq(pc[l.custom_fields[1].value.first], CCON_LAYOUT_LITERAL);
	ccon_layout_free(&l);
}
END_TEST

START_TEST(bind_missing_column)
{
	const char *cols[] = { "contactCode", "channelType", "nombre" };
	struct ccon_layout l;
	struct ccon_error err;
	size_t pc[16];

	parse_data("layout_seed_example1.json", &l);
	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_layout_bind(&l, cols, 3, pc, &err), -1);
	ck_assert_errc(err, CCON_E_LAYOUT_NO_COLUMN);
	ck_assert_str_eq(err.path, "customFields.ticketId");
	ck_assert_ptr_nonnull(strstr(err.message, "\"ticket_id\" (customFields.ticketId)"));
	ck_assert_ptr_nonnull(strstr(err.message, "\"edad\" (customFields.age)"));
	ck_assert_ptr_nonnull(strstr(err.message, "contactCode, channelType, nombre"));
	ck_assert_uint_eq(pc[l.custom_fields[1].value.first], CCON_LAYOUT_LITERAL);
	ck_assert_uint_eq(pc[l.custom_fields[0].value.first], 2);
	ccon_layout_free(&l);
}
END_TEST

START_TEST(bind_first_of_repeated)
{
	const char *cols[] = { "a", "contactCode", "contactCode" };
	struct ccon_layout l;
	struct ccon_error err;
	size_t pc[4];

	parse_data("layout_seed_example2.json", &l);
	ck_assert_int_eq(ccon_layout_bind(&l, cols, 3, pc, &err), 0);
	ck_assert_uint_eq(pc[l.contact_code.first], 1);
	ccon_layout_free(&l);
}
END_TEST

Suite *ccon_suite_layout(void)
{
	Suite *s = suite_create("layout");
	TCase *tc = tcase_create("layout");

	tcase_add_test(tc, seed_examples);
	tcase_add_test(tc, mixed_template);
	tcase_add_test(tc, unknown_fields_tolerated);
	tcase_add_test(tc, number_custom_value);
	tcase_add_test(tc, errors_with_paths);
	tcase_add_test(tc, template_error_column);
	tcase_add_test(tc, syntax_error_line);
	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, encode_keeps_templates);
	tcase_add_test(tc, build_in_code);
	tcase_add_test(tc, bind_columns);
	tcase_add_test(tc, bind_literal_parts);
	tcase_add_test(tc, bind_missing_column);
	tcase_add_test(tc, bind_first_of_repeated);
	suite_add_tcase(s, tc);
	return s;
}
