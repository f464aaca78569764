#include "config.h"

#include <ccon/sha256.h>

#include "suites.h"
#include "testutil.h"

static void expect(const char *msg, const char *want)
{
	char hex[CCON_SHA256_HEX_SIZE];

	ccon_sha256_hex(msg, strlen(msg), hex);
	ck_assert_str_eq(hex, want);
}

/* FIPS 180-4 / NIST CAVS examples */
START_TEST(known_vectors)
{
	expect("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	expect("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	expect("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	expect("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
	       "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}
END_TEST

START_TEST(million_a_in_odd_chunks)
{
	static const char *want = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
	unsigned char digest[CCON_SHA256_SIZE];
	char hex[CCON_SHA256_HEX_SIZE];
	struct ccon_sha256 h;
	char chunk[997];
	size_t left = 1000000;

	memset(chunk, 'a', sizeof(chunk));
	ccon_sha256_init(&h);
	while (left) {
		size_t n = left < sizeof(chunk) ? left : sizeof(chunk);

		ccon_sha256_update(&h, chunk, n);
		left -= n;
	}
	ccon_sha256_final(&h, digest);
	for (int i = 0; i < CCON_SHA256_SIZE; i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
	ck_assert_str_eq(hex, want);
}
END_TEST

START_TEST(padding_boundaries_match_one_shot)
{
	char buf[130], one[CCON_SHA256_HEX_SIZE], two[CCON_SHA256_HEX_SIZE];
	unsigned char digest[CCON_SHA256_SIZE];
	struct ccon_sha256 h;

	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (char)('a' + i % 26);
	for (size_t len = 54; len <= 130; len++) {
		ccon_sha256_hex(buf, len, one);
		ccon_sha256_init(&h);
		for (size_t i = 0; i < len; i++)
			ccon_sha256_update(&h, buf + i, 1);
		ccon_sha256_final(&h, digest);
		for (int i = 0; i < CCON_SHA256_SIZE; i++)
			snprintf(two + 2 * i, 3, "%02x", digest[i]);
		ck_assert_str_eq(one, two);
	}
}
END_TEST

Suite *ccon_suite_sha256(void)
{
	Suite *s = suite_create("sha256");
	TCase *tc = tcase_create("sha256");

	tcase_add_test(tc, known_vectors);
	tcase_add_test(tc, million_a_in_odd_chunks);
	tcase_add_test(tc, padding_boundaries_match_one_shot);
	suite_add_tcase(s, tc);
	return s;
}
