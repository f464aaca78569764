/* libFuzzer target: the parsers of single values a person or a file
 * writes - phone numbers (phone.h), SMS texts (sms.h) and {{variable}}
 * templates (template.h).
 *
 * Byte 0 picks the mode (modulo 4), the rest is the text.
 *   0 ccon_phone_normalize: a number that passes is "+" and 7..15 digits
 *     with an assigned country code, and normalises to itself; a refusal
 *     has a phone code, an empty result and a position inside the text.
 *   1 ccon_phone_compose over three fields split at the first two 0x1f
 *     bytes (e164, countryCode, phoneNumber; an absent one is NULL): a
 *     result is valid E.164 as above, a present e164 decides alone (as
 *     ccon_phone_normalize does), a refusal names one of the three fields.
 *   2 ccon_sms_analyze in the three nlsModes: it fails exactly on invalid
 *     UTF-8; standard never uses the Spanish table and spanish never the
 *     default one alone; auto is GSM-7 whenever standard is, UCS-2 only
 *     when both others are; UCS-2 counts UTF-16 units; GSM-7 takes one or
 *     two septets a character; the segments hold the units (a character
 *     never split wastes at most one unit a segment boundary) and their
 *     size is the one the header's table gives.
 *   3 templates (up to the first NUL): the tokens tile the text (each
 *     starts where the last ended, a variable is "{{" .. "}}" around its
 *     trimmed name, END at the end), ccon_template_variables gives the
 *     distinct names in order, rendering with a value for every name
 *     gives the text with the values in and fails exactly when the
 *     tokeniser does, rendering without values fails exactly when there is
 *     a variable, and a failed render leaves its output as it was.
 */
#include "config.h"

#include <ccon/phone.h>
#include <ccon/sms.h>
#include <ccon/strbuf.h>
#include <ccon/template.h>
#include <ccon/utf8.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const char *detail)
{
	fprintf(stderr, "%s: %s\n", what, detail);
	abort();
}

/* ------------------------------------------------------------------ phone */

static bool is_phone_code(enum ccon_errc c)
{
	return c == CCON_E_PHONE_EMPTY || c == CCON_E_PHONE_CHARACTERS ||
	       c == CCON_E_PHONE_NO_COUNTRY_CODE || c == CCON_E_PHONE_TOO_LONG ||
	       c == CCON_E_PHONE_TOO_SHORT || c == CCON_E_PHONE_COUNTRY_CODE;
}

static void check_e164(const char *out)
{
	size_t n = strlen(out);
	char again[CCON_E164_BUFSIZE];
	struct ccon_error err = { 0 };

	if (n < 8 || n > 16 || out[0] != '+' || strspn(out + 1, "0123456789") != n - 1 ||
	    ccon_phone_country_code_len(out + 1) == 0)
		fail("phone: not E.164", out);
	if (ccon_phone_normalize(out, n, again, &err) < 0 || strcmp(out, again) != 0)
		fail("phone: E.164 does not normalise to itself", out);
}

static void fuzz_phone(const char *s, size_t len)
{
	char out[CCON_E164_BUFSIZE];
	struct ccon_error err = { 0 };

	if (ccon_phone_normalize(s, len, out, &err) == 0) {
		check_e164(out);
		return;
	}
	if (!is_phone_code(err.code) || out[0] || err.column < 0 ||
	    err.column > (long)ccon_utf8_length(s, len) + 1)
		fail("phone: a bad refusal", err.message);
}

static void fuzz_compose(const char *s, size_t len)
{
	char *f[3] = { NULL, NULL, NULL }, *copy, *p, *sep;
	char out[CCON_E164_BUFSIZE], alone[CCON_E164_BUFSIZE];
	struct ccon_error err = { 0 }, err2 = { 0 };
	int rc;

	if (memchr(s, '\0', len))
		return;
	copy = strndup(s, len);
	if (!copy)
		return;
	p = copy;
	for (int i = 0; i < 3 && p; i++) {
		sep = i < 2 ? strchr(p, '\x1f') : NULL;
		if (sep)
			*sep = '\0';
		f[i] = p;
		p = sep ? sep + 1 : NULL;
	}
	/* a field written "-" is absent (NULL) */
	for (int i = 0; i < 3; i++)
		if (f[i] && strcmp(f[i], "-") == 0)
			f[i] = NULL;
	rc = ccon_phone_compose(f[0], f[1], f[2], out, &err);
	if (rc == 0)
		check_e164(out);
	else if (strcmp(err.path, "e164") != 0 && strcmp(err.path, "countryCode") != 0 &&
	         strcmp(err.path, "phoneNumber") != 0)
		fail("compose: a refusal without its field", err.path);
	if (f[0] && f[0][strspn(f[0], " \t")]) {
		int rc2 = ccon_phone_normalize(f[0], strlen(f[0]), alone, &err2);

		if (rc != rc2 || (rc == 0 && strcmp(out, alone) != 0))
			fail("compose: e164 does not decide alone", f[0]);
	}
	free(copy);
}

/* -------------------------------------------------------------------- sms */

static size_t utf16_units(const char *s, size_t len, size_t *cps)
{
	size_t units = 0, i = 0, k;
	uint32_t cp;

	*cps = 0;
	while (i < len) {
		k = ccon_utf8_decode(s + i, len - i, &cp);
		if (k == 0)
			abort();
		units += cp > 0xFFFF ? 2 : 1;
		(*cps)++;
		i += k;
	}
	return units;
}

static void check_sms(const struct ccon_sms_info *in, size_t cps, size_t utf16)
{
	size_t single, concat;
	char what[160];

	snprintf(what, sizeof(what), "%s units %zu segments %zu per %zu (%zu characters)",
	         ccon_sms_encoding_name(in->encoding), in->units, in->segments, in->per_segment,
	         cps);
	switch (in->encoding) {
	case CCON_SMS_GSM7:
		single = 160, concat = 153;
		break;
	case CCON_SMS_GSM7_SPANISH:
		single = 155, concat = 149;
		break;
	case CCON_SMS_UCS2:
		single = 70, concat = 67;
		break;
	default:
		fail("sms: an unknown encoding", what);
		return;
	}
	if (in->encoding == CCON_SMS_UCS2 ? in->units != utf16
	                                  : in->units < cps || in->units > 2 * cps)
		fail("sms: units do not fit the characters", what);
	if (in->units <= single) {
		if (in->segments != 1 || in->per_segment != single)
			fail("sms: a single segment counted wrong", what);
		return;
	}
	if (in->per_segment != concat || in->segments < 2 ||
	    in->segments * concat < in->units ||
	    (in->segments - 1) * (concat - 1) >= in->units)
		fail("sms: segments do not hold the units", what);
}

static void fuzz_sms(const char *s, size_t len)
{
	struct ccon_sms_info in[3];
	struct ccon_error err = { 0 };
	size_t bad, cps = 0, utf16 = 0;
	bool valid = ccon_utf8_valid(s, len, &bad);
	int rc;

	if (valid)
		utf16 = utf16_units(s, len, &cps);
	for (int m = 0; m < 3; m++) {
		rc = ccon_sms_analyze(s, len, (enum ccon_nls_mode)m, &in[m], &err);
		if (!valid) {
			if (rc == 0 || err.column < 1 || err.column > (long)len)
				fail("sms: invalid UTF-8 not refused at a byte of the text", err.message);
			return;
		}
		if (rc < 0)
			fail("sms: valid UTF-8 refused", err.message);
		check_sms(&in[m], cps, utf16);
	}
	if (in[CCON_NLS_STANDARD].encoding == CCON_SMS_GSM7_SPANISH ||
	    in[CCON_NLS_SPANISH].encoding == CCON_SMS_GSM7)
		fail("sms: a mode used a table it excludes", s);
	if (in[CCON_NLS_STANDARD].encoding == CCON_SMS_GSM7 &&
	    in[CCON_NLS_AUTO].encoding != CCON_SMS_GSM7)
		fail("sms: auto is not GSM-7 where standard is", s);
	if (in[CCON_NLS_AUTO].encoding == CCON_SMS_UCS2 &&
	    (in[CCON_NLS_STANDARD].encoding != CCON_SMS_UCS2 ||
	     in[CCON_NLS_SPANISH].encoding != CCON_SMS_UCS2))
		fail("sms: auto fell to UCS-2 where a GSM-7 table fits", s);
}

/* --------------------------------------------------------------- template */

static const char *value_of(void *ctx, const char *name, size_t len)
{
	struct ccon_strbuf *sb = ctx;

	ccon_strbuf_reset(sb);
	ccon_strbuf_puts(sb, "<");
	ccon_strbuf_append(sb, name, len);
	ccon_strbuf_puts(sb, ">");
	return ccon_strbuf_cstr(sb);
}

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void check_name(const char *t, const struct ccon_template_token *tok, size_t end)
{
	if (tok->len == 0 || memchr(tok->start, '{', tok->len) || memchr(tok->start, '}', tok->len) ||
	    blank(tok->start[0]) || blank(tok->start[tok->len - 1]) ||
	    tok->start < t + tok->offset + 2 || tok->start + tok->len > t + end - 2 ||
	    memcmp(t + tok->offset, "{{", 2) != 0 || memcmp(t + end - 2, "}}", 2) != 0)
		fail("template: a variable token is not {{ name }}", t);
}

static void fuzz_template(const char *t)
{
	struct ccon_strbuf want = CCON_STRBUF_INIT, got = CCON_STRBUF_INIT, val = CCON_STRBUF_INIT;
	struct ccon_template_vars vars = { NULL, 0 }, names = { NULL, 0 };
	struct ccon_template_token tok;
	struct ccon_error err = { 0 };
	size_t pos = 0, before, n_vars = 0;
	int ok = 0, rc;

	for (;;) {
		before = pos;
		if (ccon_template_next(t, &pos, &tok, &err) < 0) {
			ok = -1;
			if (err.code != CCON_E_TEMPLATE_SYNTAX || err.column < 1 ||
			    err.column > (long)ccon_utf8_length(t, strlen(t)))
				fail("template: a bad syntax error", err.message);
			break;
		}
		if (tok.kind == CCON_TEMPLATE_END) {
			if (pos != strlen(t))
				fail("template: END before the end", t);
			break;
		}
		if (tok.offset != before || pos <= before)
			fail("template: tokens do not tile the text", t);
		if (tok.kind == CCON_TEMPLATE_TEXT) {
			if (tok.start != t + before || tok.len != pos - before)
				fail("template: a text token is not its span", t);
			ccon_strbuf_append(&want, tok.start, tok.len);
			continue;
		}
		check_name(t, &tok, pos);
		ccon_strbuf_append(&want, value_of(&val, tok.start, tok.len), tok.len + 2);
		if (!ccon_template_vars_has(&names, tok.start, tok.len)) {
			char **grown = realloc(names.names, (names.count + 1) * sizeof(*grown));

			if (!grown)
				abort();
			names.names = grown;
			names.names[names.count++] = strndup(tok.start, tok.len);
		}
		n_vars++;
	}
	rc = ccon_template_variables(t, &vars, &err);
	if (rc != ok || (rc == 0 && vars.count != names.count))
		fail("template: variables disagree with the tokens", t);
	for (size_t i = 0; rc == 0 && i < vars.count; i++)
		if (strcmp(vars.names[i], names.names[i]) != 0)
			fail("template: variables out of order", t);
	ccon_strbuf_puts(&got, "kept");
	rc = ccon_template_render(t, value_of, &val, &got, &err);
	if (rc != ok || (rc == 0 && strcmp(ccon_strbuf_cstr(&got) + 4, ccon_strbuf_cstr(&want))) ||
	    (rc < 0 && strcmp(ccon_strbuf_cstr(&got), "kept") != 0))
		fail("template: rendering disagrees with the tokens", t);
	ccon_strbuf_reset(&got);
	rc = ccon_template_render(t, NULL, NULL, &got, &err);
	if (ok == 0 && (rc < 0) != (n_vars > 0))
		fail("template: rendering without values", t);
	if (rc < 0 && (got.len || (ok == 0 && err.code != CCON_E_TEMPLATE_MISSING_VARIABLE)))
		fail("template: a failed render changed its output or has another code", t);
	ccon_template_vars_free(&vars);
	ccon_template_vars_free(&names);
	ccon_strbuf_free(&want);
	ccon_strbuf_free(&got);
	ccon_strbuf_free(&val);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if (size < 1 || size > 65536)
		return 0;
	s = malloc(size);
	if (!s)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	switch (data[0] % 4) {
	case 0:
		fuzz_phone(s, size - 1);
		break;
	case 1:
		fuzz_compose(s, size - 1);
		break;
	case 2:
		fuzz_sms(s, size - 1);
		break;
	default:
		fuzz_template(s);
		break;
	}
	free(s);
	return 0;
}
