#include "config.h"

#include <ccon/contact.h>

#include "suites.h"
#include "testutil.h"

static struct ccon_error err;

START_TEST(channel_type_parse)
{
	enum ccon_channel_type ch = CCON_CHANNEL__COUNT;

	ck_assert_int_eq(ccon_channel_type_parse("cloud_api", &ch, &err), 0);
	ck_assert_int_eq(ch, CCON_CHANNEL_CLOUD_API);
	ck_assert_str_eq(ccon_channel_type_name(ch), "cloud_api");
	ck_assert_str_eq(ccon_channel_type_name(CCON_CHANNEL__COUNT), "unknown");

	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_channel_type_parse("whatsapp", &ch, &err), -1);
	ck_assert_errc(err, CCON_E_CHANNEL_TYPE);
	ck_assert_ptr_nonnull(strstr(err.message, "\"whatsapp\""));
	ck_assert_ptr_nonnull(strstr(err.message, "allowed values: cloud_api"));

	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_channel_type_parse("Cloud_API", &ch, &err), -1);
	ck_assert_errc(err, CCON_E_CHANNEL_TYPE);
	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_channel_type_parse("", &ch, &err), -1);
	ck_assert_errc(err, CCON_E_CHANNEL_TYPE);
	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_channel_type_parse(NULL, &ch, &err), -1);
	ck_assert_errc(err, CCON_E_CHANNEL_TYPE);
	ck_assert_ptr_nonnull(strstr(err.message, "missing"));

	/* control characters of the echoed value do not reach the message */
	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_channel_type_parse("a\x1b[2Jb", &ch, &err), -1);
	ck_assert_ptr_null(strchr(err.message, '\x1b'));
	ck_assert_ptr_nonnull(strstr(err.message, "\"a?[2Jb\""));
}
END_TEST

static bool name_valid(const char *s)
{
	return ccon_custom_field_name_valid(s, strlen(s));
}

START_TEST(custom_field_names)
{
	char name[CCON_CUSTOM_FIELD_NAME_MAX + 2];

	ck_assert(name_valid("age"));
	ck_assert(name_valid("first_name"));
	ck_assert(name_valid("A1_b2"));
	ck_assert(name_valid("_"));
	ck_assert(!name_valid(""));
	ck_assert(!name_valid("first-name"));
	ck_assert(!name_valid("first name"));
	ck_assert(!name_valid("a.b"));
	ck_assert(!name_valid("idade\xc3\xa9"));
	ck_assert(!ccon_custom_field_name_valid(NULL, 0));
	ck_assert(!ccon_custom_field_name_valid("a\0b", 3));

	memset(name, 'x', sizeof(name));
	ck_assert(ccon_custom_field_name_valid(name, CCON_CUSTOM_FIELD_NAME_MAX));
	ck_assert(!ccon_custom_field_name_valid(name, CCON_CUSTOM_FIELD_NAME_MAX + 1));
}
END_TEST

static char out[CCON_E164_BUFSIZE];

static int code_norm(const char *code, size_t len)
{
	ccon_error_clear(&err);
	return ccon_contact_code_normalize(code, len, CCON_CHANNEL_CLOUD_API, out, &err);
}

START_TEST(contact_code_is_a_phone_number_for_cloud_api)
{
	char long_code[CCON_CONTACT_CODE_MAX + 1];

	ck_assert_int_eq(code_norm("34666777888", 11), 0);
	ck_assert_str_eq(out, "+34666777888");
	ck_assert_int_eq(code_norm("+55 31 99988-7766", 17), 0);
	ck_assert_str_eq(out, "+5531999887766");

	ck_assert_int_eq(code_norm("", 0), -1);
	ck_assert_errc(err, CCON_E_CONTACT_CODE_EMPTY);
	ck_assert_int_eq(code_norm(" \t ", 3), -1);
	ck_assert_errc(err, CCON_E_CONTACT_CODE_EMPTY);
	ck_assert_int_eq(code_norm(NULL, 5), -1);
	ck_assert_errc(err, CCON_E_CONTACT_CODE_EMPTY);

	/* control characters and invalid UTF-8, at their character position */
	ck_assert_int_eq(code_norm("+34 666\n777888", 14), -1);
	ck_assert_errc(err, CCON_E_CONTACT_CODE_INVALID);
	ck_assert_int_eq(err.column, 8);
	ck_assert_int_eq(code_norm("\xc3\xa9\x7f", 3), -1);
	ck_assert_errc(err, CCON_E_CONTACT_CODE_INVALID);
	ck_assert_int_eq(err.column, 2);
	ck_assert_int_eq(code_norm("\xc3\xa9\xc2\x85", 4), -1); /* C1 NEL */
	ck_assert_errc(err, CCON_E_CONTACT_CODE_INVALID);
	ck_assert_int_eq(code_norm("34\xff", 3), -1);
	ck_assert_errc(err, CCON_E_CONTACT_CODE_INVALID);
	ck_assert_int_eq(err.column, 3);
	ck_assert_int_eq(code_norm("34\0" "666777888", 12), -1);
	ck_assert_errc(err, CCON_E_CONTACT_CODE_INVALID);

	/* too long, even when it is all separators and digits */
	memset(long_code, ' ', sizeof(long_code));
	memcpy(long_code, "34666777888", 11);
	ck_assert_int_eq(code_norm(long_code, CCON_CONTACT_CODE_MAX), 0);
	ck_assert_int_eq(code_norm(long_code, CCON_CONTACT_CODE_MAX + 1), -1);
	ck_assert_errc(err, CCON_E_CONTACT_CODE_INVALID);
	ck_assert_ptr_nonnull(strstr(err.message, "257"));

	/* then the phone rules */
	ck_assert_int_eq(code_norm("+34 \xc3\xa1" "bc", 7), -1);
	ck_assert_errc(err, CCON_E_PHONE_CHARACTERS);
	ck_assert_int_eq(err.column, 5);
	ck_assert_int_eq(code_norm("0612345678", 10), -1);
	ck_assert_errc(err, CCON_E_PHONE_NO_COUNTRY_CODE);
	ck_assert_int_eq(code_norm("+999 1234 5678", 14), -1);
	ck_assert_errc(err, CCON_E_PHONE_COUNTRY_CODE);
	ck_assert_str_eq(out, "");
}
END_TEST

static struct ccon_contact contact(const char *code, const char *channel)
{
	struct ccon_contact c = { NULL, NULL, CCON_FIELDS_INIT };

	if (code)
		c.contact_code = strdup(code);
	if (channel)
		c.channel_type = strdup(channel);
	return c;
}

static void add_field(struct ccon_contact *c, const char *name, const char *value)
{
	ck_assert_int_eq(ccon_fields_add(&c->custom_fields, name, value, strlen(value)), 0);
}

static void validate_fails(struct ccon_contact *c, enum ccon_errc code, const char *path)
{
	char norm[CCON_E164_BUFSIZE] = "junk";

	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_contact_validate(c, norm, &err), -1);
	ck_assert_errc(err, code);
	ck_assert_str_eq(err.path, path);
	ck_assert_str_eq(norm, "");
	ccon_contact_free(c);
}

START_TEST(validate_good_contact)
{
	struct ccon_contact c = contact(" 34 666 777 888 ", "cloud_api");
	char norm[CCON_E164_BUFSIZE];

	add_field(&c, "name", "Jos\xc3\xa9");
	add_field(&c, "age", "42");
	add_field(&c, "empty", "");
	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_contact_validate(&c, norm, &err), 0);
	ck_assert_str_eq(norm, "+34666777888");
	ck_assert_int_eq(ccon_contact_validate(&c, NULL, NULL), 0);
	ccon_contact_free(&c);
	ck_assert_ptr_null(c.contact_code);
	ck_assert_uint_eq(c.custom_fields.count, 0);
	ccon_contact_free(NULL);
}
END_TEST

START_TEST(validate_paths)
{
	struct ccon_contact c;

	c = contact("34666777888", "sms");
	validate_fails(&c, CCON_E_CHANNEL_TYPE, "channelType");
	c = contact("34666777888", NULL);
	validate_fails(&c, CCON_E_CHANNEL_TYPE, "channelType");
	/* the channel decides what a contactCode is, so it is checked first */
	c = contact("", "telegram");
	validate_fails(&c, CCON_E_CHANNEL_TYPE, "channelType");

	c = contact(NULL, "cloud_api");
	validate_fails(&c, CCON_E_CONTACT_CODE_EMPTY, "contactCode");
	c = contact("", "cloud_api");
	validate_fails(&c, CCON_E_CONTACT_CODE_EMPTY, "contactCode");
	c = contact("+34 666 777 88a", "cloud_api");
	validate_fails(&c, CCON_E_PHONE_CHARACTERS, "contactCode");
	ck_assert_int_eq(err.column, 15);
	c = contact("346677", "cloud_api");
	validate_fails(&c, CCON_E_PHONE_TOO_SHORT, "contactCode");
}
END_TEST

START_TEST(validate_custom_field_names)
{
	struct ccon_contact c;
	char long_name[CCON_CUSTOM_FIELD_NAME_MAX + 2];

	c = contact("34666777888", "cloud_api");
	add_field(&c, "age", "42");
	add_field(&c, "first-name", "Ana");
	validate_fails(&c, CCON_E_CUSTOM_FIELD_NAME, "customFields.first-name");
	ck_assert_ptr_nonnull(strstr(err.message, "'-'"));
	ck_assert_ptr_nonnull(strstr(err.message, "character 6"));

	c = contact("34666777888", "cloud_api");
	add_field(&c, "cidad\xc3\xa3o", "x");
	validate_fails(&c, CCON_E_CUSTOM_FIELD_NAME, "customFields.cidad\xc3\xa3o");
	ck_assert_ptr_nonnull(strstr(err.message, "U+00E3"));
	ck_assert_ptr_nonnull(strstr(err.message, "character 6"));

	c = contact("34666777888", "cloud_api");
	add_field(&c, "a\nb", "x");
	validate_fails(&c, CCON_E_CUSTOM_FIELD_NAME, "customFields.a?b");

	c = contact("34666777888", "cloud_api");
	add_field(&c, "", "x");
	validate_fails(&c, CCON_E_CUSTOM_FIELD_NAME, "customFields");
	ck_assert_ptr_nonnull(strstr(err.message, "empty"));

	c = contact("34666777888", "cloud_api");
	memset(long_name, 'n', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	add_field(&c, long_name, "x");
	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_contact_validate(&c, NULL, &err), -1);
	ck_assert_errc(err, CCON_E_CUSTOM_FIELD_NAME);
	ck_assert_ptr_nonnull(strstr(err.message, "65 bytes"));
	ccon_contact_free(&c);

	c = contact("34666777888", "cloud_api");
	add_field(&c, "age", "42");
	add_field(&c, "age", "43");
	validate_fails(&c, CCON_E_CUSTOM_FIELD_NAME, "customFields.age");
	ck_assert_ptr_nonnull(strstr(err.message, "more than once"));
}
END_TEST

START_TEST(validate_custom_field_values)
{
	struct ccon_contact c;
	char value[CCON_CUSTOM_FIELD_VALUE_MAX + 2];

	memset(value, 'v', sizeof(value) - 1);
	value[CCON_CUSTOM_FIELD_VALUE_MAX] = '\0';
	c = contact("34666777888", "cloud_api");
	add_field(&c, "note", value);
	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_contact_validate(&c, NULL, &err), 0);
	ccon_contact_free(&c);

	value[CCON_CUSTOM_FIELD_VALUE_MAX] = 'v';
	value[CCON_CUSTOM_FIELD_VALUE_MAX + 1] = '\0';
	c = contact("34666777888", "cloud_api");
	add_field(&c, "note", value);
	validate_fails(&c, CCON_E_CUSTOM_FIELD_VALUE, "customFields.note");
	ck_assert_ptr_nonnull(strstr(err.message, "1025"));

	c = contact("34666777888", "cloud_api");
	add_field(&c, "city", "S\xc3\xa3o Paulo \xe3\x81");
	validate_fails(&c, CCON_E_CUSTOM_FIELD_VALUE, "customFields.city");
	ck_assert_ptr_nonnull(strstr(err.message, "character 11"));
}
END_TEST

/* The single-field check gives what ccon_contact_validate gives, field by
 * field, with no contact around it (a bad contactCode does not hide it). */
START_TEST(custom_field_check_alone)
{
	struct ccon_fields f = CCON_FIELDS_INIT;
	struct ccon_contact c;
	char value[CCON_CUSTOM_FIELD_VALUE_MAX + 2];
	const char *bad_names[] = { "first-name", "", "a\nb", "cidad\xc3\xa3o", "age" };

	memset(value, 'v', sizeof(value) - 1);
	value[sizeof(value) - 1] = '\0';
	ck_assert_int_eq(ccon_fields_add(&f, "age", "42", 2), 0);
	ck_assert_int_eq(ccon_fields_add(&f, "city", "S\xc3\xa3o \xe3\x81", 8), 0);
	ck_assert_int_eq(ccon_fields_add(&f, "note", value, strlen(value)), 0);
	ck_assert_int_eq(ccon_fields_add(&f, "AGE_2", "", 0), 0);

	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_custom_field_check(&f, 0, &err), 0);
	ck_assert_errc(err, CCON_E_OK);
	ck_assert_int_eq(ccon_custom_field_check(&f, 3, &err), 0);
	ck_assert_int_eq(ccon_custom_field_check(&f, 1, &err), -1);
	ck_assert_errc(err, CCON_E_CUSTOM_FIELD_VALUE);
	ck_assert_str_eq(err.path, "customFields.city");
	ck_assert_ptr_nonnull(strstr(err.message, "character 5"));
	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_custom_field_check(&f, 2, &err), -1);
	ck_assert_errc(err, CCON_E_CUSTOM_FIELD_VALUE);
	ck_assert_ptr_nonnull(strstr(err.message, "1025"));
	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_custom_field_check(&f, 4, &err), -1);
	ck_assert_errc(err, CCON_E_INVALID_ARGUMENT);
	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_custom_field_check(NULL, 0, &err), -1);
	ck_assert_errc(err, CCON_E_INVALID_ARGUMENT);
	ccon_fields_free(&f);

	/* every bad name: the same code, path and message as the whole check */
	for (size_t i = 0; i < sizeof(bad_names) / sizeof(bad_names[0]); i++) {
		struct ccon_error whole, alone;

		c = contact("34666777888", "cloud_api");
		add_field(&c, "age", "1");
		add_field(&c, bad_names[i], "x");
		ccon_error_clear(&whole);
		ccon_error_clear(&alone);
		ck_assert_int_eq(ccon_contact_validate(&c, NULL, &whole), -1);
		ck_assert_int_eq(ccon_custom_field_check(&c.custom_fields, 1, &alone), -1);
		ck_assert_errc(alone, whole.code);
		ck_assert_str_eq(alone.path, whole.path);
		ck_assert_str_eq(alone.message, whole.message);
		/* the first of a repeated name is fine */
		ccon_error_clear(&alone);
		ck_assert_int_eq(ccon_custom_field_check(&c.custom_fields, 0, &alone), 0);
		ccon_contact_free(&c);
	}
}
END_TEST

START_TEST(contacts_count)
{
	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_contacts_count_check(0, &err), -1);
	ck_assert_errc(err, CCON_E_CONTACTS_COUNT);
	ck_assert_str_eq(err.path, "contacts");
	ck_assert_ptr_nonnull(strstr(err.message, "0 contacts"));

	ck_assert_int_eq(ccon_contacts_count_check(1, NULL), 0);
	ck_assert_int_eq(ccon_contacts_count_check(100, NULL), 0);

	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_contacts_count_check(101, &err), -1);
	ck_assert_errc(err, CCON_E_CONTACTS_COUNT);
	ck_assert_str_eq(err.path, "contacts");
	ck_assert_ptr_nonnull(strstr(err.message, "101 contacts"));
	ck_assert_ptr_nonnull(strstr(err.message, "2 sends"));
}
END_TEST

START_TEST(batch_sizes)
{
	size_t first, count;

	ck_assert_uint_eq(ccon_batch_count(0, 0), 0);
	ck_assert_uint_eq(ccon_batch_count(1, 0), 1);
	ck_assert_uint_eq(ccon_batch_count(99, 0), 1);
	ck_assert_uint_eq(ccon_batch_count(100, 0), 1);
	ck_assert_uint_eq(ccon_batch_count(101, 0), 2);
	ck_assert_uint_eq(ccon_batch_count(250, 0), 3);
	ck_assert_uint_eq(ccon_batch_count(1000, 0), 10);
	ck_assert_uint_eq(ccon_batch_count(1001, 100), 11);
	ck_assert_uint_eq(ccon_batch_count(10, 3), 4);

	ccon_batch_range(250, 0, 0, &first, &count);
	ck_assert_uint_eq(first, 0);
	ck_assert_uint_eq(count, 84);
	ccon_batch_range(250, 0, 1, &first, &count);
	ck_assert_uint_eq(first, 84);
	ck_assert_uint_eq(count, 83);
	ccon_batch_range(250, 0, 2, &first, &count);
	ck_assert_uint_eq(first, 167);
	ck_assert_uint_eq(count, 83);
	ccon_batch_range(101, 0, 0, &first, &count);
	ck_assert_uint_eq(count, 51);
	ccon_batch_range(101, 0, 1, &first, &count);
	ck_assert_uint_eq(first, 51);
	ck_assert_uint_eq(count, 50);
	ccon_batch_range(100, 0, 0, &first, &count);
	ck_assert_uint_eq(first, 0);
	ck_assert_uint_eq(count, 100);

	/* past the last batch, and no batch at all */
	ccon_batch_range(250, 0, 3, &first, &count);
	ck_assert_uint_eq(first, 250);
	ck_assert_uint_eq(count, 0);
	ccon_batch_range(0, 0, 0, &first, &count);
	ck_assert_uint_eq(first, 0);
	ck_assert_uint_eq(count, 0);
}
END_TEST

/* Every index lands in exactly one batch, batches are contiguous, within
 * the limit and differ by at most one. */
START_TEST(batches_cover_every_index_once)
{
	static const size_t totals[] = { 0, 1, 2, 99, 100, 101, 199, 200, 201, 250, 1000, 12345 };
	static const size_t maxes[] = { 0, 1, 7, 100 };

	for (size_t t = 0; t < sizeof(totals) / sizeof(totals[0]); t++) {
		for (size_t m = 0; m < sizeof(maxes) / sizeof(maxes[0]); m++) {
			size_t n = totals[t], max = maxes[m] ? maxes[m] : CCON_CONTACTS_PER_SEND_MAX;
			size_t k = ccon_batch_count(n, maxes[m]), next = 0, lo = SIZE_MAX, hi = 0;

			for (size_t i = 0; i < k; i++) {
				size_t first, count;

				ccon_batch_range(n, maxes[m], i, &first, &count);
				ck_assert_uint_eq(first, next);
				ck_assert(count >= 1 && count <= max);
				lo = count < lo ? count : lo;
				hi = count > hi ? count : hi;
				next = first + count;
			}
			ck_assert_uint_eq(next, n);
			ck_assert(k == 0 || hi - lo <= 1);
			/* fewer batches could not hold them */
			ck_assert(k == 0 || (k - 1) * max < n);
		}
	}
}
END_TEST

Suite *ccon_suite_contact(void)
{
	Suite *s = suite_create("contact");
	TCase *tc = tcase_create("contact");

	tcase_add_test(tc, channel_type_parse);
	tcase_add_test(tc, custom_field_names);
	tcase_add_test(tc, contact_code_is_a_phone_number_for_cloud_api);
	tcase_add_test(tc, validate_good_contact);
	tcase_add_test(tc, validate_paths);
	tcase_add_test(tc, validate_custom_field_names);
	tcase_add_test(tc, validate_custom_field_values);
	tcase_add_test(tc, custom_field_check_alone);
	tcase_add_test(tc, contacts_count);
	tcase_add_test(tc, batch_sizes);
	tcase_add_test(tc, batches_cover_every_index_once);
	suite_add_tcase(s, tc);
	return s;
}
