/* Seed 004 WhatsApp message bodies and answers. */
#include "config.h"

#include <ccon/codec_whatsapp.h>
#include <ccon/strbuf.h>

#include "suites.h"
#include "testutil.h"

static int parse_wa(const char *text, struct ccon_whatsapp_message *msg, struct ccon_error *err)
{
	ccon_error_clear(err);
	return ccon_whatsapp_message_parse(text, strlen(text), msg, err);
}

static void assert_same_opt(const char *a, const char *b)
{
	if (!a || !b)
		ck_assert_ptr_eq(a, b);
	else
		ck_assert_str_eq(a, b);
}

static void assert_same_wa(const struct ccon_whatsapp_message *a,
                           const struct ccon_whatsapp_message *b)
{
	assert_same_opt(a->from, b->from);
	assert_same_opt(a->to, b->to);
	assert_same_opt(a->text, b->text);
	assert_same_opt(a->image, b->image);
	assert_same_opt(a->video, b->video);
	assert_same_opt(a->document, b->document);
	assert_same_opt(a->document_filename, b->document_filename);
	assert_same_opt(a->caption, b->caption);
	assert_same_opt(a->audio, b->audio);
	assert_same_opt(a->sticker, b->sticker);
	ck_assert_int_eq(a->has_location, b->has_location);
	if (a->has_location) {
		ck_assert(a->longitude == b->longitude);
		ck_assert(a->latitude == b->latitude);
	}
	assert_same_opt(a->location_name, b->location_name);
	assert_same_opt(a->location_address, b->location_address);
	assert_same_opt(a->template_json, b->template_json);
	ck_assert_int_eq(a->to_kind, b->to_kind);
	ck_assert_str_eq(a->to_e164, b->to_e164);
}

static void round_trip_wa(const struct ccon_whatsapp_message *msg)
{
	struct ccon_whatsapp_message back;
	struct ccon_error err;
	cJSON *json;
	char *text;

	ck_assert_int_eq(ccon_whatsapp_message_encode(msg, &json), 0);
	text = cJSON_PrintUnformatted(json);
	cJSON_Delete(json);
	ck_assert_ptr_nonnull(text);
	ck_assert_msg(parse_wa(text, &back, &err) == 0, "%s: %s: %s", text, err.path, err.message);
	assert_same_wa(msg, &back);
	ccon_whatsapp_message_free(&back);
	cJSON_free(text);
}

START_TEST(wa_seed_example)
{
	struct ccon_whatsapp_message msg;
	struct ccon_error err;
	char *text = test_read_data("codec_rest_whatsapp_example.json", NULL);

	ck_assert_msg(parse_wa(text, &msg, &err) == 0, "%s: %s", err.path, err.message);
	ck_assert_str_eq(msg.from, "+34 911 234 567");
	ck_assert_str_eq(msg.to, "0034666777888");
	ck_assert_int_eq(msg.to_kind, CCON_WHATSAPP_TO_PHONE);
	ck_assert_str_eq(msg.to_e164, "+34666777888");
	ck_assert_str_eq(msg.text, "\xc2\xa1Hola Ana! Tu pedido est\xc3\xa1 en camino \xf0\x9f\x9a\x9a");
	ck_assert_str_eq(msg.image, "https://cdn.example.com/orders/4521/map.png?size=large&v=2");
	ck_assert_str_eq(msg.caption, "Ruta de reparto");
	ck_assert_ptr_null(msg.video);
	ck_assert_ptr_null(msg.document);
	ck_assert_ptr_null(msg.audio);
	ck_assert_ptr_null(msg.sticker);
	ck_assert(msg.has_location);
	ck_assert(msg.longitude == -3.70379);
	ck_assert(msg.latitude == 40.416775);
	ck_assert_str_eq(msg.location_name, "Almac\xc3\xa9n Central");
	ck_assert_str_eq(msg.location_address, "Calle Mayor 1, 28013 Madrid");
	ck_assert_str_eq(msg.template_json,
	                 "{\"name\":\"order_update\",\"language\":{\"code\":\"es\"},\"components\":[]}");
	round_trip_wa(&msg);
	ccon_whatsapp_message_free(&msg);
	free(text);
}
END_TEST

START_TEST(wa_other_media)
{
	struct ccon_whatsapp_message msg;
	struct ccon_error err;

	ck_assert_int_eq(parse_wa("{\"from\":\"+34911234567\",\"to\":\"+34666777888\",\"text\":\"t\","
	                          "\"document\":\"http://files.example.com/invoice.pdf\","
	                          "\"documentFilename\":\"Factura 2025-10.pdf\",\"caption\":\"c\","
	                          "\"video\":\"HTTPS://V.EXAMPLE.COM/a.mp4\","
	                          "\"audio\":\"https://a.example.com/a.ogg\","
	                          "\"sticker\":\"https://s.example.com/s.webp\"}", &msg, &err), 0);
	ck_assert_str_eq(msg.document, "http://files.example.com/invoice.pdf");
	ck_assert_str_eq(msg.document_filename, "Factura 2025-10.pdf");
	ck_assert_str_eq(msg.video, "HTTPS://V.EXAMPLE.COM/a.mp4");
	ck_assert_str_eq(msg.audio, "https://a.example.com/a.ogg");
	ck_assert_str_eq(msg.sticker, "https://s.example.com/s.webp");
	ck_assert(!msg.has_location);
	ck_assert_ptr_null(msg.template_json);
	round_trip_wa(&msg);
	ccon_whatsapp_message_free(&msg);
}
END_TEST

struct to_case {
	const char *to;
	enum ccon_whatsapp_to_kind kind;
	const char *e164;
};

static const struct to_case to_good[] = {
	{ "+34666777888", CCON_WHATSAPP_TO_PHONE, "+34666777888" },
	{ "0034 666 777 888", CCON_WHATSAPP_TO_PHONE, "+34666777888" },
	{ "34666777888", CCON_WHATSAPP_TO_PHONE, "+34666777888" },
	{ "120363025246125486@g.us", CCON_WHATSAPP_TO_GROUP, "" },
	{ "34666777888-1496072349", CCON_WHATSAPP_TO_GROUP, "" },
};

START_TEST(wa_to_kinds)
{
	const struct to_case *c = &to_good[_i];
	struct ccon_whatsapp_message msg;
	struct ccon_error err;
	char body[256];

	snprintf(body, sizeof(body), "{\"from\":\"+34911234567\",\"to\":\"%s\",\"text\":\"t\"}", c->to);
	ck_assert_msg(parse_wa(body, &msg, &err) == 0, "%s: %s", c->to, err.message);
	ck_assert_int_eq(msg.to_kind, c->kind);
	ck_assert_str_eq(msg.to_e164, c->e164);
	ck_assert_str_eq(msg.to, c->to);
	round_trip_wa(&msg);
	ccon_whatsapp_message_free(&msg);
}
END_TEST

/* body with `text` made of n copies of unit */
static char *text_body(const char *field, const char *unit, size_t n, const char *extra)
{
	struct ccon_strbuf sb = CCON_STRBUF_INIT;

	ccon_strbuf_printf(&sb, "{\"from\":\"+34911234567\",\"to\":\"+34666777888\",%s\"%s\":\"",
	                   extra, field);
	for (size_t i = 0; i < n; i++)
		ccon_strbuf_puts(&sb, unit);
	ccon_strbuf_puts(&sb, "\"");
	if (strcmp(field, "text") != 0)
		ccon_strbuf_puts(&sb, ",\"text\":\"t\"");
	ccon_strbuf_puts(&sb, "}");
	return ccon_strbuf_detach(&sb);
}

struct limit_case {
	const char *field;
	size_t max;
	const char *extra;      /* what the field needs beside it */
};

static const struct limit_case limits[] = {
	{ "text", CCON_WHATSAPP_TEXT_MAX, "" },
	{ "caption", CCON_WHATSAPP_CAPTION_MAX, "\"image\":\"https://e.com/a.png\"," },
	{ "documentFilename", CCON_WHATSAPP_FILENAME_MAX, "\"document\":\"https://e.com/a.pdf\"," },
	{ "locationName", CCON_WHATSAPP_LOCATION_TEXT_MAX, "\"longitude\":1,\"latitude\":2," },
	{ "locationAddress", CCON_WHATSAPP_LOCATION_TEXT_MAX,
	  "\"longitude\":1,\"latitude\":2,\"locationName\":\"n\"," },
};

/* Limits count code points: max two-byte (or four-byte) characters pass,
 * max + 1 ASCII ones do not, with the column at the first one too many. */
START_TEST(wa_length_limits)
{
	const struct limit_case *l = &limits[_i];
	struct ccon_whatsapp_message msg;
	struct ccon_error err;
	char *body;

	body = text_body(l->field, "\xc3\xb1", l->max, l->extra);
	ck_assert_msg(parse_wa(body, &msg, &err) == 0, "%s: %s", l->field, err.message);
	ccon_whatsapp_message_free(&msg);
	free(body);

	body = text_body(l->field, "\xf0\x9f\x9a\x9a", l->max, l->extra);
	ck_assert_int_eq(parse_wa(body, &msg, &err), 0);
	ccon_whatsapp_message_free(&msg);
	free(body);

	body = text_body(l->field, "a", l->max + 1, l->extra);
	ck_assert_int_eq(parse_wa(body, &msg, &err), -1);
	ck_assert_errc(err, CCON_E_JSON_LENGTH);
	ck_assert_str_eq(err.path, l->field);
	ck_assert_int_eq(err.column, (long)l->max + 1);
	free(body);
}
END_TEST

START_TEST(wa_coordinates)
{
	struct ccon_whatsapp_message msg;
	struct ccon_error err;

	ck_assert_int_eq(parse_wa("{\"from\":\"+34911234567\",\"to\":\"+34666777888\",\"text\":\"t\","
	                          "\"longitude\":-180,\"latitude\":180}", &msg, &err), 0);
	ck_assert(msg.has_location);
	ck_assert(msg.longitude == -180.0);
	ck_assert(msg.latitude == 180.0);
	round_trip_wa(&msg);
	ccon_whatsapp_message_free(&msg);
}
END_TEST

struct bad_body {
	const char *body;
	enum ccon_errc code;
	const char *path;
	long column;    /* -1: not checked */
};

#define WA(extra) "{\"from\":\"+34911234567\",\"to\":\"+34666777888\",\"text\":\"t\"" extra "}"

static const struct bad_body wa_bad[] = {
	{ "{\"to\":\"+34666777888\",\"text\":\"t\"}", CCON_E_JSON_REQUIRED, "from", -1 },
	{ "{\"from\":\"+34911234567\",\"text\":\"t\"}", CCON_E_JSON_REQUIRED, "to", -1 },
	{ "{\"from\":\"+34911234567\",\"to\":\"+34666777888\"}", CCON_E_JSON_REQUIRED, "text", -1 },
	{ "{\"from\":\"+34911234567\",\"to\":\"+34666777888\",\"text\":\"\"}", CCON_E_JSON_LENGTH,
	  "text", -1 },
	{ "{\"from\":\"+34911234567\",\"to\":\"+34666777888\",\"text\":12}", CCON_E_JSON_TYPE, "text",
	  -1 },
	{ "{\"from\":\"+34911234567\",\"to\":\"+34666777888\",\"text\":\"ab\xe2\x82\"}",
	  CCON_E_JSON_VALUE, "text", 3 },
	{ "{\"from\":\"+34 91x\",\"to\":\"+34666777888\",\"text\":\"t\"}", CCON_E_PHONE_CHARACTERS,
	  "from", -1 },
	{ "{\"from\":\"+34911234567\",\"to\":\"maria\",\"text\":\"t\"}", CCON_E_PHONE_CHARACTERS, "to",
	  -1 },
	{ "{\"from\":\"+34911234567\",\"to\":\"12@34@g.us\",\"text\":\"t\"}", CCON_E_JSON_VALUE, "to",
	  -1 },
	{ "{\"from\":\"+34911234567\",\"to\":\"@g.us\",\"text\":\"t\"}", CCON_E_JSON_VALUE, "to", -1 },
	{ "{\"from\":\"+34911234567\",\"to\":\"my group@g.us\",\"text\":\"t\"}", CCON_E_JSON_VALUE,
	  "to", 3 },
	{ WA(",\"latitude\":180.0001,\"longitude\":0"), CCON_E_JSON_RANGE, "latitude", -1 },
	{ WA(",\"longitude\":-180.0001,\"latitude\":0"), CCON_E_JSON_RANGE, "longitude", -1 },
	{ WA(",\"latitude\":\"40.4\",\"longitude\":0"), CCON_E_JSON_TYPE, "latitude", -1 },
	{ WA(",\"longitude\":1"), CCON_E_JSON_REQUIRED, "latitude", -1 },
	{ WA(",\"latitude\":1"), CCON_E_JSON_REQUIRED, "longitude", -1 },
	{ WA(",\"image\":\"https://example.com/im\xc3\xa1gen.png\""), CCON_E_JSON_VALUE, "image", 23 },
	{ WA(",\"sticker\":\"https://example.com/a b.webp\""), CCON_E_JSON_VALUE, "sticker", 22 },
	{ WA(",\"video\":\"ftp://example.com/a.mp4\""), CCON_E_JSON_VALUE, "video", -1 },
	{ WA(",\"audio\":\"example.com/a.ogg\""), CCON_E_JSON_VALUE, "audio", -1 },
	{ WA(",\"document\":\"https:///a.pdf\""), CCON_E_JSON_VALUE, "document", 9 },
	{ WA(",\"image\":\"http://\""), CCON_E_JSON_VALUE, "image", 8 },
	{ WA(",\"image\":5"), CCON_E_JSON_TYPE, "image", -1 },
	{ WA(",\"caption\":\"c\""), CCON_E_JSON_VALUE, "caption", -1 },
	{ WA(",\"caption\":\"c\",\"audio\":\"https://e.com/a.ogg\""), CCON_E_JSON_VALUE, "caption",
	  -1 },
	{ WA(",\"documentFilename\":\"a.pdf\",\"image\":\"https://e.com/a.png\""), CCON_E_JSON_VALUE,
	  "documentFilename", -1 },
	{ WA(",\"longitude\":1,\"latitude\":2,\"locationAddress\":\"Calle Mayor 1\""),
	  CCON_E_JSON_VALUE, "locationAddress", -1 },
	{ WA(",\"locationName\":\"Almacen\""), CCON_E_JSON_VALUE, "locationName", -1 },
	{ WA(",\"template\":\"order_update\""), CCON_E_JSON_TYPE, "template", -1 },
	{ "[\"t\"]", CCON_E_JSON_TYPE, "", -1 },
};

START_TEST(wa_errors)
{
	const struct bad_body *b = &wa_bad[_i];
	struct ccon_whatsapp_message msg;
	struct ccon_error err;

	ck_assert_msg(parse_wa(b->body, &msg, &err) == -1, "accepted %s", b->body);
	ck_assert_errc(err, b->code);
	ck_assert_str_eq(err.path, b->path);
	if (b->column >= 0)
		ck_assert_int_eq(err.column, b->column);
	ck_assert_ptr_null(msg.from);
	ck_assert_ptr_null(msg.text);
}
END_TEST

START_TEST(wa_url_length)
{
	struct ccon_strbuf url = CCON_STRBUF_INIT;
	struct ccon_whatsapp_message msg;
	struct ccon_error err;
	char *body;

	ccon_strbuf_puts(&url, "https://e.com/");
	while (url.len < CCON_WHATSAPP_URL_MAX)
		ccon_strbuf_putc(&url, 'a');
	body = text_body("image", url.buf, 1, "");
	ck_assert_int_eq(parse_wa(body, &msg, &err), 0);
	ck_assert_uint_eq(strlen(msg.image), CCON_WHATSAPP_URL_MAX);
	ccon_whatsapp_message_free(&msg);
	free(body);

	ccon_strbuf_putc(&url, 'a');
	body = text_body("image", url.buf, 1, "");
	ck_assert_int_eq(parse_wa(body, &msg, &err), -1);
	ck_assert_errc(err, CCON_E_JSON_LENGTH);
	ck_assert_str_eq(err.path, "image");
	free(body);
	ccon_strbuf_free(&url);
}
END_TEST

START_TEST(wa_unknown_fields_ignored)
{
	struct ccon_whatsapp_message msg;
	struct ccon_error err;

	ck_assert_int_eq(parse_wa(WA(",\"priority\":\"high\",\"meta\":{\"a\":[1]},\"caption\":null"),
	                          &msg, &err), 0);
	ck_assert_ptr_null(msg.caption);
	ccon_whatsapp_message_free(&msg);
}
END_TEST

START_TEST(wa_syntax_error)
{
	struct ccon_whatsapp_message msg;
	struct ccon_error err;
	char *text = test_read_data("codec_rest_whatsapp_syntax.json", NULL);

	ck_assert_int_eq(parse_wa(text, &msg, &err), -1);
	ck_assert_errc(err, CCON_E_JSON_SYNTAX);
	ck_assert_int_eq(err.line, 4);
	ck_assert_int_eq(err.column, 3);
	free(text);
}
END_TEST

START_TEST(wa_answer)
{
	struct ccon_whatsapp_answer ans, back;
	struct ccon_error err;
	size_t len;
	char *text = test_read_data("codec_rest_whatsapp_answer.json", &len), *out;
	cJSON *json;

	ck_assert_int_eq(ccon_whatsapp_answer_parse(text, len, &ans, &err), 0);
	ck_assert_str_eq(ans.tracking_id, "wa-7f3c2e10");
	ck_assert_str_eq(ans.created_at, "2025-10-01T12:15:00.123Z");
	ck_assert_int_eq(ccon_whatsapp_answer_encode(&ans, &json), 0);
	out = cJSON_PrintUnformatted(json);
	cJSON_Delete(json);
	ck_assert_int_eq(ccon_whatsapp_answer_parse(out, strlen(out), &back, &err), 0);
	ck_assert_str_eq(back.tracking_id, ans.tracking_id);
	ck_assert_str_eq(back.created_at, ans.created_at);
	ccon_whatsapp_answer_free(&ans);
	ccon_whatsapp_answer_free(&back);
	cJSON_free(out);
	free(text);
}
END_TEST

START_TEST(wa_answer_errors)
{
	const char *missing = "{\"createdAt\":\"2025-10-01T12:15:00Z\"}";
	const char *wrong = "{\"trackingId\":\"x\",\"createdAt\":1759320900}";
	struct ccon_whatsapp_answer ans;
	struct ccon_error err;

	ck_assert_int_eq(ccon_whatsapp_answer_parse(missing, strlen(missing), &ans, &err), -1);
	ck_assert_errc(err, CCON_E_JSON_REQUIRED);
	ck_assert_str_eq(err.path, "trackingId");
	ck_assert_int_eq(ccon_whatsapp_answer_parse(wrong, strlen(wrong), &ans, &err), -1);
	ck_assert_errc(err, CCON_E_JSON_TYPE);
	ck_assert_str_eq(err.path, "createdAt");
	ck_assert_ptr_null(ans.tracking_id);
}
END_TEST

Suite *ccon_suite_codec_whatsapp(void)
{
	Suite *s = suite_create("codec_whatsapp");
	TCase *tc = tcase_create("message");
	TCase *answer = tcase_create("answer");

	tcase_add_test(tc, wa_seed_example);
	tcase_add_test(tc, wa_other_media);
	tcase_add_loop_test(tc, wa_to_kinds, 0, (int)(sizeof(to_good) / sizeof(to_good[0])));
	tcase_add_loop_test(tc, wa_length_limits, 0, (int)(sizeof(limits) / sizeof(limits[0])));
	tcase_add_test(tc, wa_coordinates);
	tcase_add_loop_test(tc, wa_errors, 0, (int)(sizeof(wa_bad) / sizeof(wa_bad[0])));
	tcase_add_test(tc, wa_url_length);
	tcase_add_test(tc, wa_unknown_fields_ignored);
	tcase_add_test(tc, wa_syntax_error);
	suite_add_tcase(s, tc);

	tcase_add_test(answer, wa_answer);
	tcase_add_test(answer, wa_answer_errors);
	suite_add_tcase(s, answer);
	return s;
}
