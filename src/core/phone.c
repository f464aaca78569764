#include "config.h"

#include <ccon/phone.h>

#include <ccon/utf8.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Country calling codes assigned by ITU-T (E.164 list of assigned codes):
 * countries, the networks and services codes 800, 808, 870, 878, 881-883,
 * 888 and 979, and 379 (Vatican, reserved). Spare codes (28x, 42x other
 * than 420/421/423, 80x other than 800/808, 83x, 89x, 384, 388, 969, 978,
 * 990, 991, 997, 999, ...) are not listed. The codes are prefix-free: no
 * code begins another one. Sorted for bsearch. */
static const unsigned short country_codes[] = {
	1, 7,
	20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49,
	51, 52, 53, 54, 55, 56, 57, 58, 60, 61, 62, 63, 64, 65, 66,
	81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98,
	211, 212, 213, 216, 218,
	220, 221, 222, 223, 224, 225, 226, 227, 228, 229,
	230, 231, 232, 233, 234, 235, 236, 237, 238, 239,
	240, 241, 242, 243, 244, 245, 246, 247, 248, 249,
	250, 251, 252, 253, 254, 255, 256, 257, 258,
	260, 261, 262, 263, 264, 265, 266, 267, 268, 269,
	290, 291, 297, 298, 299,
	350, 351, 352, 353, 354, 355, 356, 357, 358, 359,
	370, 371, 372, 373, 374, 375, 376, 377, 378, 379,
	380, 381, 382, 383, 385, 386, 387, 389,
	420, 421, 423,
	500, 501, 502, 503, 504, 505, 506, 507, 508, 509,
	590, 591, 592, 593, 594, 595, 596, 597, 598, 599,
	670, 672, 673, 674, 675, 676, 677, 678, 679,
	680, 681, 682, 683, 685, 686, 687, 688, 689,
	690, 691, 692,
	800, 808, 850, 852, 853, 855, 856, 870, 878, 880, 881, 882, 883, 886, 888,
	960, 961, 962, 963, 964, 965, 966, 967, 968,
	970, 971, 972, 973, 974, 975, 976, 977, 979,
	992, 993, 994, 995, 996, 998,
};

/* Countries whose international numbers keep the leading 0 of the national
 * form (+39 06 ..., +225 07 ...): no trunk prefix to drop. */
static const unsigned short zero_kept_codes[] = { 39, 225, 242, 378, 379 };

/* Digits beyond this cannot make a valid number ("00", one trunk "0" and 15
 * digits fit), so the scan stops storing them and only counts. */
#define SCAN_DIGITS_MAX 24

struct phone_scan {
	char d[SCAN_DIGITS_MAX];
	long col[SCAN_DIGITS_MAX]; /* 1-based character position of each digit */
	size_t n;                  /* digits seen, possibly more than stored */
	bool plus;
	long trunk;                /* index of the first "(0)" digit, or -1 */
};

static int cmp_code(const void *a, const void *b)
{
	return (int)*(const unsigned short *)a - (int)*(const unsigned short *)b;
}

static bool code_assigned(unsigned code)
{
	unsigned short key = (unsigned short)code;

	return bsearch(&key, country_codes, sizeof(country_codes) / sizeof(country_codes[0]),
	               sizeof(country_codes[0]), cmp_code) != NULL;
}

static bool zero_kept(const char *cc, size_t cc_len)
{
	unsigned code = 0;

	for (size_t i = 0; i < cc_len; i++)
		code = code * 10 + (unsigned)(cc[i] - '0');
	for (size_t i = 0; i < sizeof(zero_kept_codes) / sizeof(zero_kept_codes[0]); i++)
		if (zero_kept_codes[i] == code)
			return true;
	return false;
}

int ccon_phone_country_code_len(const char *digits)
{
	unsigned code = 0;

	if (!digits || digits[0] == '0')
		return 0;
	for (int i = 0; i < 3; i++) {
		if (digits[i] < '0' || digits[i] > '9')
			return 0;
		code = code * 10 + (unsigned)(digits[i] - '0');
		if (code_assigned(code))
			return i + 1;
	}
	return 0;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_separator(char c)
{
	return is_blank(c) || c == '-' || c == '.';
}

/* "'x'", "U+00E9" or "byte 0xE9" for the character at s (len bytes left). */
static void describe_char(const char *s, size_t len, char *buf, size_t size)
{
	uint32_t cp;
	unsigned char c = (unsigned char)s[0];

	if (c >= 0x20 && c < 0x7f)
		snprintf(buf, size, "'%c'", c);
	else if (c < 0x80)
		snprintf(buf, size, "control character U+%04X", c);
	else if (ccon_utf8_decode(s, len, &cp))
		snprintf(buf, size, "U+%04X", (unsigned)cp);
	else
		snprintf(buf, size, "byte 0x%02X (not UTF-8)", c);
}

static int bad_char(struct ccon_error *err, const char *in, size_t len, size_t i, const char *why)
{
	char what[48];

	/* every character before i is ASCII, so the byte offset is the position */
	describe_char(in + i, len - i, what, sizeof(what));
	ccon_error_at_column(err, (long)i + 1);
	return ccon_error_set(err, CCON_E_PHONE_CHARACTERS, "%s at character %zu %s", what, i + 1,
	                      why);
}

/* Checks the characters and collects the digits. */
static int phone_scan(const char *in, size_t len, struct phone_scan *s, struct ccon_error *err)
{
	size_t open = 0, group_digits = 0, group_first = 0;
	bool in_group = false;

	memset(s, 0, sizeof(*s));
	s->trunk = -1;
	for (size_t i = 0; i < len; i++) {
		char c = in[i];

		if (c >= '0' && c <= '9') {
			if (in_group && group_digits++ == 0)
				group_first = s->n;
			if (s->n < SCAN_DIGITS_MAX) {
				s->d[s->n] = c;
				s->col[s->n] = (long)i + 1;
			}
			s->n++;
		} else if (is_separator(c)) {
			continue;
		} else if (c == '+') {
			if (s->plus || s->n || in_group)
				return bad_char(err, in, len, i, "is not allowed: '+' may only start the number");
			s->plus = true;
		} else if (c == '(') {
			if (in_group)
				return bad_char(err, in, len, i, "opens a parenthesis inside another one");
			in_group = true;
			open = i;
			group_digits = 0;
		} else if (c == ')') {
			if (!in_group)
				return bad_char(err, in, len, i, "closes a parenthesis that was never opened");
			if (!group_digits)
				return bad_char(err, in, len, open, "opens parentheses with no digits inside");
			if (group_digits == 1 && s->trunk < 0 && group_first < SCAN_DIGITS_MAX &&
			    s->d[group_first] == '0')
				s->trunk = (long)group_first;
			in_group = false;
		} else {
			return bad_char(err, in, len, i,
			                "is not allowed in a phone number (use digits, spaces, '-', '.', "
			                "'(' and ')', and '+' or '00' before the country code)");
		}
	}
	if (in_group)
		return bad_char(err, in, len, open, "has no closing ')'");
	if (!s->n) {
		ccon_error_at_column(err, 0);
		return ccon_error_set(err, CCON_E_PHONE_EMPTY, "the phone number has no digits");
	}
	return 0;
}

static bool scan_international(const struct phone_scan *s)
{
	return s->plus || (s->n >= 2 && s->d[0] == '0' && s->d[1] == '0');
}

/* Writes "+" prefix digits and s->d[from..] (skipping index `skip`, -1 for
 * none) into out after the length and country code checks. */
static int phone_assemble(const char *prefix, const struct phone_scan *s, size_t from, long skip,
                          char out[CCON_E164_BUFSIZE], struct ccon_error *err)
{
	size_t plen = strlen(prefix), m = plen;
	char digits[CCON_E164_MAX_DIGITS + 1];
	long first_col = 0;

	memcpy(digits, prefix, plen);
	for (size_t i = from; i < s->n && i < SCAN_DIGITS_MAX; i++) {
		if ((long)i == skip)
			continue;
		if (m == CCON_E164_MAX_DIGITS) {
			size_t total = plen + (s->n - from) - (skip >= (long)from ? 1 : 0);

			ccon_error_at_column(err, i < SCAN_DIGITS_MAX ? s->col[i] : 0);
			return ccon_error_set(err, CCON_E_PHONE_TOO_LONG,
			                      "the phone number has %zu digits; E.164 allows at most %d "
			                      "(country code included)",
			                      total, CCON_E164_MAX_DIGITS);
		}
		if (!first_col)
			first_col = s->col[i];
		digits[m++] = s->d[i];
	}
	digits[m] = '\0';
	if (m < CCON_E164_MIN_DIGITS) {
		ccon_error_at_column(err, 0);
		return ccon_error_set(err, CCON_E_PHONE_TOO_SHORT,
		                      "the phone number has %zu digit%s; at least %d are needed "
		                      "(country code included)",
		                      m, m == 1 ? "" : "s", CCON_E164_MIN_DIGITS);
	}
	if (!ccon_phone_country_code_len(digits)) {
		ccon_error_at_column(err, plen ? 0 : first_col);
		return ccon_error_set(err, CCON_E_PHONE_COUNTRY_CODE,
		                      "+%.3s... does not begin with an assigned country calling code",
		                      digits);
	}
	out[0] = '+';
	memcpy(out + 1, digits, m + 1);
	return 0;
}

static int no_country_code(const struct phone_scan *s, struct ccon_error *err)
{
	ccon_error_at_column(err, s->col[0]);
	return ccon_error_set(err, CCON_E_PHONE_NO_COUNTRY_CODE,
	                      "the number starts with a national trunk '0' and has no country code; "
	                      "write it as +<country code> without the 0 (e.g. +34 666 777 888)");
}

/* The international number of a scan: "+" or "00", or digits that begin
 * with the country code. */
static int phone_international(const struct phone_scan *s, char out[CCON_E164_BUFSIZE],
                               struct ccon_error *err)
{
	size_t from = 0;
	long skip = -1;

	if (!s->plus && s->d[0] == '0') {
		if (s->n < 2 || s->d[1] != '0')
			return no_country_code(s, err);
		from = 2;
	}
	if (s->trunk > (long)from) {
		char rest[CCON_E164_MAX_DIGITS + 1];
		size_t m = 0;
		int cc_len;

		/* the country code as read without the "(0)" */
		for (size_t i = from; i < s->n && i < SCAN_DIGITS_MAX && m < 3; i++)
			if ((long)i != s->trunk)
				rest[m++] = s->d[i];
		rest[m] = '\0';
		cc_len = ccon_phone_country_code_len(rest);
		if (cc_len && s->trunk - (long)from >= cc_len && !zero_kept(rest, (size_t)cc_len))
			skip = s->trunk;
	}
	return phone_assemble("", s, from, skip, out, err);
}

int ccon_phone_normalize(const char *in, size_t len, char out[CCON_E164_BUFSIZE],
                         struct ccon_error *err)
{
	struct phone_scan s;

	out[0] = '\0';
	if (!in)
		len = 0;
	if (phone_scan(in, len, &s, err) < 0)
		return -1;
	return phone_international(&s, out, err);
}

static bool blank(const char *s)
{
	if (!s)
		return true;
	while (is_blank(*s))
		s++;
	return *s == '\0';
}

static int field_error(struct ccon_error *err, const char *path)
{
	ccon_error_at_path(err, path);
	return -1;
}

/* "34", "+34" or "0034" with blanks around: exactly one assigned code. */
static int parse_country_code(const char *s, char cc[4], struct ccon_error *err)
{
	size_t i = 0, n = 0, len = strlen(s), first, end;

	while (is_blank(s[i]))
		i++;
	if (s[i] == '+')
		i++;
	else if (s[i] == '0' && s[i + 1] == '0')
		i += 2;
	first = i;
	for (; s[i] >= '0' && s[i] <= '9'; i++)
		if (n < 4)
			cc[n++] = s[i];
	end = i;
	while (is_blank(s[i]))
		i++;
	if (s[i])
		return bad_char(err, s, len, i, "is not allowed in a country code (digits only)");
	ccon_error_at_column(err, (long)first + 1);
	if (!n)
		return ccon_error_set(err, CCON_E_PHONE_COUNTRY_CODE, "the country code has no digits");
	cc[n < 4 ? n : 3] = '\0';
	if (n > 3 || ccon_phone_country_code_len(cc) != (int)n)
		return ccon_error_set(err, CCON_E_PHONE_COUNTRY_CODE,
		                      "%.*s is not an assigned country calling code", (int)(end - first),
		                      s + first);
	ccon_error_at_column(err, 0);
	return 0;
}

static int compose_with_country(const char *cc, const char *number, char out[CCON_E164_BUFSIZE],
                                struct ccon_error *err)
{
	size_t cc_len = strlen(cc);
	struct phone_scan s;

	if (blank(number)) {
		ccon_error_set(err, CCON_E_PHONE_EMPTY,
		               "countryCode is given but phoneNumber is empty");
		return field_error(err, "phoneNumber");
	}
	if (phone_scan(number, strlen(number), &s, err) < 0)
		return field_error(err, "phoneNumber");
	if (scan_international(&s)) {
		if (phone_international(&s, out, err) < 0)
			return field_error(err, "phoneNumber");
		if (ccon_phone_country_code_len(out + 1) != (int)cc_len ||
		    memcmp(out + 1, cc, cc_len) != 0) {
			out[0] = '\0';
			ccon_error_at_column(err, s.col[s.plus ? 0 : 2]);
			ccon_error_set(err, CCON_E_PHONE_COUNTRY_CODE,
			               "phoneNumber is international with country code +%.*s, but "
			               "countryCode is %s",
			               ccon_phone_country_code_len(out + 1), out + 1, cc);
			return field_error(err, "phoneNumber");
		}
		return 0;
	}
	if (phone_assemble(cc, &s, s.d[0] == '0' && !zero_kept(cc, cc_len) ? 1 : 0, -1, out,
	                   err) < 0)
		return field_error(err, "phoneNumber");
	return 0;
}

int ccon_phone_compose(const char *e164, const char *country_code, const char *phone_number,
                       char out[CCON_E164_BUFSIZE], struct ccon_error *err)
{
	struct phone_scan s;
	char cc[4] = "";   /* zeroed: the analyser loses strlen(cc) in zero_kept */

	out[0] = '\0';
	if (!blank(e164)) {
		if (ccon_phone_normalize(e164, strlen(e164), out, err) < 0)
			return field_error(err, "e164");
		return 0;
	}
	if (!blank(country_code)) {
		if (parse_country_code(country_code, cc, err) < 0)
			return field_error(err, "countryCode");
		return compose_with_country(cc, phone_number, out, err);
	}
	if (blank(phone_number)) {
		ccon_error_at_column(err, 0);
		ccon_error_set(err, CCON_E_PHONE_EMPTY,
		               "no phone number: give e164, or phoneNumber (with countryCode when "
		               "it is national)");
		return field_error(err, "phoneNumber");
	}
	if (phone_scan(phone_number, strlen(phone_number), &s, err) < 0)
		return field_error(err, "phoneNumber");
	if (!scan_international(&s)) {
		ccon_error_at_column(err, s.col[0]);
		ccon_error_set(err, CCON_E_PHONE_NO_COUNTRY_CODE,
		               "phoneNumber has no country code: start it with '+' or '00', or give "
		               "countryCode");
		return field_error(err, "phoneNumber");
	}
	if (phone_international(&s, out, err) < 0)
		return field_error(err, "phoneNumber");
	return 0;
}
