/* The streaming JSON writer: escapes, UTF-8 repair, numbers, nesting and
 * commas, misuse, and agreement with cJSON's own printer. */
#include "config.h"

#include <ccon/json_writer.h>

#include "suites.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The text one string value is written as. */
static char *str_json(const char *s, size_t n)
{
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	struct ccon_json_writer w;

	ccon_jw_init(&w, &sb);
	ck_assert_int_eq(ccon_jw_string_n(&w, s, n), 0);
	return ccon_strbuf_detach(&sb);
}

static void assert_str(const char *in, size_t n, const char *want)
{
	char *got = str_json(in, n);

	ck_assert_str_eq(got, want);
	free(got);
}

START_TEST(test_escapes)
{
	assert_str("", 0, "\"\"");
	assert_str("plain text", 10, "\"plain text\"");
	assert_str("a\"b\\c/d", 7, "\"a\\\"b\\\\c/d\"");
	assert_str("\b\f\n\r\t", 5, "\"\\b\\f\\n\\r\\t\"");
	assert_str("\x01\x1f\x7f", 3, "\"\\u0001\\u001f\x7f\"");
	assert_str("a\0b", 3, "\"a\\u0000b\"");
	/* every control character: short escape or \u00xx, as cJSON writes it */
	for (int c = 1; c < 0x20; c++) {
		char in[2] = { (char)c, 0 };
		cJSON *j = cJSON_CreateString(in);
		char *want = cJSON_PrintUnformatted(j);
		char *got = str_json(in, 1);

		ck_assert_str_eq(got, want);
		free(got);
		cJSON_free(want);
		cJSON_Delete(j);
	}
}
END_TEST

START_TEST(test_utf8)
{
	/* valid sequences of each length pass through */
	assert_str("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 9, "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"");
	assert_str("\xef\xbf\xbf\xf4\x8f\xbf\xbf", 7, "\"\xef\xbf\xbf\xf4\x8f\xbf\xbf\"");
	/* invalid: each bad byte becomes U+FFFD */
	assert_str("\x80", 1, "\"\xef\xbf\xbd\"");                       /* stray continuation */
	assert_str("a\xc3", 2, "\"a\xef\xbf\xbd\"");                     /* truncated */
	assert_str("\xc0\xaf", 2, "\"\xef\xbf\xbd\xef\xbf\xbd\"");       /* overlong '/' */
	assert_str("\xe0\x80\xaf", 3, "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
	assert_str("\xed\xa0\x80", 3, "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\""); /* surrogate */
	assert_str("\xf4\x90\x80\x80", 4,
	           "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");   /* > U+10FFFF */
	assert_str("\xff\xfe", 2, "\"\xef\xbf\xbd\xef\xbf\xbd\"");
	assert_str("\xe2\x82x", 3, "\"\xef\xbf\xbd\xef\xbf\xbdx\"");      /* cut by ASCII */
}
END_TEST

static char *ints(int64_t v)
{
	char buf[21];
	size_t n = ccon_json_format_int64(v, buf);

	buf[n] = '\0';
	return strdup(buf);
}

START_TEST(test_integers)
{
	static const int64_t vals[] = { 0, 1, -1, 9, 10, 99, 100, 12345, -98765, 131026,
	                                INT32_MAX, INT32_MIN, INT64_MAX, INT64_MIN,
	                                INT64_MAX - 1, INT64_MIN + 1, 1000000000000000000 };
	char want[32];

	for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		char *got = ints(vals[i]);

		snprintf(want, sizeof(want), "%lld", (long long)vals[i]);
		ck_assert_str_eq(got, want);
		free(got);
	}
	for (int64_t v = -100000; v <= 100000; v += 7) {
		char *got = ints(v);

		snprintf(want, sizeof(want), "%lld", (long long)v);
		ck_assert_str_eq(got, want);
		free(got);
	}
}
END_TEST

static char *one_double(double d)
{
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	struct ccon_json_writer w;

	ccon_jw_init(&w, &sb);
	ck_assert_int_eq(ccon_jw_double(&w, d), 0);
	return ccon_strbuf_detach(&sb);
}

START_TEST(test_doubles)
{
	static const struct { double d; const char *want; } cases[] = {
		{ 0.0, "0" }, { -0.0, "0" }, { 3.0, "3" }, { 1e15, "1000000000000000" },
		{ 0.5, "0.5" }, { 0.1, "0.1" }, { -2.25, "-2.25" },
		{ 1.0 / 3.0, "0.33333333333333331" }, { 1e300, "1e+300" }, { 1e-7, "1e-07" }, { 0.1 + 0.2, "0.3" },
		{ 9223372036854775808.0, "9.2233720368547758e+18" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = one_double(cases[i].d);

		ck_assert_str_eq(got, cases[i].want);
		free(got);
	}
	{
		char *got = one_double(NAN);

		ck_assert_str_eq(got, "null");
		free(got);
	}
}
END_TEST

START_TEST(test_nesting)
{
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	struct ccon_json_writer w;

	ccon_jw_init(&w, &sb);
	ccon_jw_begin_object(&w);
	ccon_jw_key(&w, "a");
	ccon_jw_begin_array(&w);
	ccon_jw_end_array(&w);
	ccon_jw_key(&w, "b");
	ccon_jw_begin_object(&w);
	ccon_jw_end_object(&w);
	ccon_jw_kv_int(&w, "c", -5);
	ccon_jw_key(&w, "d");
	ccon_jw_begin_array(&w);
	ccon_jw_bool(&w, true);
	ccon_jw_bool(&w, false);
	ccon_jw_null(&w);
	ccon_jw_string(&w, NULL);
	ccon_jw_raw(&w, "{\"x\":[1,2]}", 11);
	ccon_jw_begin_array(&w);
	ccon_jw_begin_array(&w);
	ccon_jw_end_array(&w);
	ccon_jw_int(&w, 1);
	ccon_jw_end_array(&w);
	ccon_jw_end_array(&w);
	ccon_jw_kv_string(&w, "e\n", "f");
	ccon_jw_key_plain(&w, "gh", 2);
	ccon_jw_int(&w, 0);
	ck_assert_int_eq(ccon_jw_end_object(&w), 0);
	ck_assert(!ccon_jw_failed(&w));
	ck_assert_str_eq(sb.buf, "{\"a\":[],\"b\":{},\"c\":-5,\"d\":[true,false,null,null,"
	                         "{\"x\":[1,2]},[[],1]],\"e\\n\":\"f\",\"gh\":0}");
	ccon_strbuf_free(&sb);
}
END_TEST

START_TEST(test_appends)
{
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	struct ccon_json_writer w;

	ccon_strbuf_puts(&sb, "prefix ");
	ccon_jw_init(&w, &sb);
	ccon_jw_begin_array(&w);
	ccon_jw_end_array(&w);
	ck_assert_str_eq(sb.buf, "prefix []");
	ccon_strbuf_free(&sb);
}
END_TEST

START_TEST(test_misuse)
{
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	struct ccon_json_writer w;

	ccon_jw_init(&w, &sb);               /* a value where a key is due */
	ccon_jw_begin_object(&w);
	ck_assert_int_eq(ccon_jw_int(&w, 1), -1);
	ck_assert(ccon_jw_failed(&w));
	ck_assert_int_eq(ccon_jw_end_object(&w), -1);   /* sticky */

	ccon_strbuf_reset(&sb);              /* a key in an array */
	ccon_jw_init(&w, &sb);
	ccon_jw_begin_array(&w);
	ck_assert_int_eq(ccon_jw_key(&w, "k"), -1);

	ccon_strbuf_reset(&sb);              /* mismatched end */
	ccon_jw_init(&w, &sb);
	ccon_jw_begin_array(&w);
	ck_assert_int_eq(ccon_jw_end_object(&w), -1);

	ccon_strbuf_reset(&sb);              /* a key without its value */
	ccon_jw_init(&w, &sb);
	ccon_jw_begin_object(&w);
	ccon_jw_key(&w, "k");
	ck_assert_int_eq(ccon_jw_end_object(&w), -1);

	ccon_strbuf_reset(&sb);              /* two top-level values, an end too many */
	ccon_jw_init(&w, &sb);
	ccon_jw_int(&w, 1);
	ck_assert_int_eq(ccon_jw_int(&w, 2), -1);
	ccon_jw_init(&w, &sb);
	ck_assert_int_eq(ccon_jw_end_array(&w), -1);

	ccon_strbuf_reset(&sb);              /* too deep */
	ccon_jw_init(&w, &sb);
	for (int i = 0; i < CCON_JW_MAX_DEPTH; i++)
		ck_assert_int_eq(ccon_jw_begin_array(&w), 0);
	ck_assert_int_eq(ccon_jw_begin_array(&w), -1);
	ccon_strbuf_free(&sb);
}
END_TEST

/* A deterministic generator: xorshift. */
static uint64_t rng_state = 88172645463325252ull;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void random_bytes(char *buf, size_t n, bool valid)
{
	static const char *const pieces[] = { "a", "\"", "\\", "\n", "\x01", "\x1f", " ", "\xc3\xa9",
	                                      "\xe2\x82\xac", "\xf0\x9f\x98\x80", "/", "\x7f", "z" };

	for (size_t i = 0; i < n;) {
		if (!valid && rnd() % 4 == 0) {
			buf[i++] = (char)(rnd() & 0xff);
			continue;
		}
		const char *p = pieces[rnd() % (sizeof(pieces) / sizeof(pieces[0]))];
		size_t k = strlen(p);

		if (i + k > n)
			k = n - i;
		memcpy(buf + i, p, k);  /* a piece cut at the end may be invalid */
		i += k;
	}
}

/* Random strings (valid and not) always give JSON cJSON parses; valid
 * ones read back equal and print as cJSON prints them. */
START_TEST(test_random_round_trip)
{
	char in[64];

	for (int round = 0; round < 3000; round++) {
		size_t n = rnd() % (sizeof(in) - 1);
		bool valid = round % 2 == 0;
		struct ccon_strbuf sb = CCON_STRBUF_INIT;
		struct ccon_json_writer w;
		cJSON *back, *s;
		char *printed;

		random_bytes(in, n, valid);
		for (size_t i = 0; i < n; i++)   /* NUL is tested above; cJSON stops at it */
			if (!in[i])
				in[i] = 'x';
		in[n] = '\0';
		ccon_jw_init(&w, &sb);
		ccon_jw_begin_object(&w);
		ccon_jw_kv_string(&w, "s", in);
		ccon_jw_kv_int(&w, "i", (int64_t)(rnd() % 2000000) - 1000000);
		ccon_jw_key(&w, "a");
		ccon_jw_begin_array(&w);
		ccon_jw_string(&w, in);
		ccon_jw_end_array(&w);
		ck_assert_int_eq(ccon_jw_end_object(&w), 0);
		back = cJSON_Parse(sb.buf);
		ck_assert_msg(back != NULL, "not JSON: %s", sb.buf);
		s = cJSON_GetObjectItem(back, "s");
		ck_assert(cJSON_IsString(s));
		if (valid && strlen(in) == n && cJSON_GetObjectItem(back, "s")) {
			/* the cut piece may have left a bad tail: compare only when valid */
			struct ccon_strbuf again = CCON_STRBUF_INIT;
			struct ccon_json_writer w2;

			ccon_jw_init(&w2, &again);
			ccon_jw_cjson(&w2, back);
			printed = cJSON_PrintUnformatted(back);
			ck_assert_str_eq(again.buf, printed);
			cJSON_free(printed);
			ccon_strbuf_free(&again);
		}
		cJSON_Delete(back);
		ccon_strbuf_free(&sb);
	}
}
END_TEST

/* ccon_jw_cjson prints a tree as cJSON_PrintUnformatted does. */
START_TEST(test_cjson_tree)
{
	static const char *const texts[] = {
		"{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"e\\u0001\\\"\"},\"e\":[]}",
		"[0.1,-2.5,1e300,3,2147483647,2147483648,-2147483648,1e15,1e16,12345678901234567]",
		"{}", "[]", "\"x\"", "-0", "[{\"\":{}}]",
	};

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		cJSON *j = cJSON_Parse(texts[i]);
		struct ccon_strbuf sb = CCON_STRBUF_INIT;
		struct ccon_json_writer w;
		char *want;

		ck_assert_ptr_nonnull(j);
		want = cJSON_PrintUnformatted(j);
		ccon_jw_init(&w, &sb);
		ck_assert_int_eq(ccon_jw_cjson(&w, j), 0);
		ck_assert_str_eq(sb.buf, want);
		cJSON_free(want);
		cJSON_Delete(j);
		ccon_strbuf_free(&sb);
	}
}
END_TEST

Suite *ccon_suite_json_writer(void)
{
	Suite *s = suite_create("json_writer");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_escapes);
	tcase_add_test(tc, test_utf8);
	tcase_add_test(tc, test_integers);
	tcase_add_test(tc, test_doubles);
	tcase_add_test(tc, test_nesting);
	tcase_add_test(tc, test_appends);
	tcase_add_test(tc, test_misuse);
	tcase_add_test(tc, test_random_round_trip);
	tcase_add_test(tc, test_cjson_tree);
	suite_add_tcase(s, tc);
	return s;
}
