#include "config.h"

#include <ccon/sms.h>
#include <ccon/utf8.h>

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* The default alphabet, in code-table order (3GPP TS 23.038 §6.2.1); 0x1B
 * (escape to the extension table) is not a character. */
static const uint16_t gsm7_basic[128] = {
	'@', 0xA3, '$', 0xA5, 0xE8, 0xE9, 0xF9, 0xEC, 0xF2, 0xC7, '\n', 0xD8, 0xF8, '\r', 0xC5, 0xE5,
	0x394, '_', 0x3A6, 0x393, 0x39B, 0x3A9, 0x3A0, 0x3A8, 0x3A3, 0x398, 0x39E, 0, 0xC6, 0xE6,
	0xDF, 0xC9,
	' ', '!', '"', '#', 0xA4, '%', '&', '\'', '(', ')', '*', '+', ',', '-', '.', '/',
	'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', ':', ';', '<', '=', '>', '?',
	0xA1, 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O',
	'P', 'Q', 'R', 'S', 'T', 'U', 'V', 'W', 'X', 'Y', 'Z', 0xC4, 0xD6, 0xD1, 0xDC, 0xA7,
	0xBF, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o',
	'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', 0xE4, 0xF6, 0xF1, 0xFC, 0xE0,
};

/* Two-septet characters of the default extension table (§6.2.1.1). */
static const uint16_t gsm7_extension[] = { 0x0C, '^', '{', '}', '\\', '[', '~', ']', '|', 0x20AC };

/* The Spanish single shift table (§A.2.2) adds these to the extension
 * characters. */
static const uint16_t spanish_shift[] = { 0xE7, 0xC1, 0xCD, 0xD3, 0xDA, 0xE1, 0xED, 0xF3, 0xFA };

static bool in_list(uint32_t cp, const uint16_t *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (list[i] == cp)
			return true;
	return false;
}

static bool in_basic(uint32_t cp)
{
	if (cp == 0x1B)
		return false;
	if (cp < 0x7F && cp >= 0x20 && cp != '`' && cp != '^' && cp != '{' && cp != '}' &&
	    cp != '\\' && cp != '[' && cp != ']' && cp != '~' && cp != '|' && cp != '$' &&
	    cp != '@' && cp != '_')
		return true;     /* most printable ASCII sits at its own code */
	for (size_t i = 0; i < 128; i++)
		if (gsm7_basic[i] == cp && (cp != 0 || i == 0))
			return true;
	return false;
}

/* Septets a code point takes in GSM-7 with or without the Spanish shift
 * table; 0 when it cannot be written there. */
static int septets(uint32_t cp, bool spanish)
{
	if (in_basic(cp))
		return 1;
	if (in_list(cp, gsm7_extension, sizeof(gsm7_extension) / sizeof(gsm7_extension[0])))
		return 2;
	if (spanish && in_list(cp, spanish_shift, sizeof(spanish_shift) / sizeof(spanish_shift[0])))
		return 2;
	return 0;
}

const char *ccon_sms_encoding_name(enum ccon_sms_encoding e)
{
	switch (e) {
	case CCON_SMS_GSM7: return "gsm7";
	case CCON_SMS_GSM7_SPANISH: return "gsm7-spanish";
	case CCON_SMS_UCS2: return "ucs2";
	}
	return "unknown";
}

/* Counts units and segments without splitting a 2-unit character. */
static void count(const char *text, size_t len, enum ccon_sms_encoding enc, struct ccon_sms_info *out)
{
	size_t single, multi, units = 0, segments = 1, used = 0, i = 0, n;
	uint32_t cp;

	switch (enc) {
	case CCON_SMS_GSM7: single = 160; multi = 153; break;
	case CCON_SMS_GSM7_SPANISH: single = 155; multi = 149; break;
	default: single = 70; multi = 67; break;
	}
	while (i < len) {
		n = ccon_utf8_decode(text + i, len - i, &cp);
		units += enc == CCON_SMS_UCS2 ? (cp > 0xFFFF ? 2 : 1)
		                              : (size_t)septets(cp, enc == CCON_SMS_GSM7_SPANISH);
		i += n;
	}
	out->encoding = enc;
	out->units = units;
	if (units <= single) {
		out->segments = 1;
		out->per_segment = single;
		return;
	}
	for (i = 0; i < len; i += n) {
		size_t w;

		n = ccon_utf8_decode(text + i, len - i, &cp);
		w = enc == CCON_SMS_UCS2 ? (cp > 0xFFFF ? 2 : 1)
		                         : (size_t)septets(cp, enc == CCON_SMS_GSM7_SPANISH);
		if (used + w > multi) {
			segments++;
			used = 0;
		}
		used += w;
	}
	out->segments = segments;
	out->per_segment = multi;
}

int ccon_sms_analyze(const char *text, size_t len, enum ccon_nls_mode mode,
                     struct ccon_sms_info *out, struct ccon_error *err)
{
	bool plain = true, spanish = true;
	size_t bad, i = 0, n;
	uint32_t cp;

	if (!ccon_utf8_valid(text, len, &bad)) {
		ccon_error_set(err, CCON_E_JSON_VALUE, "the text is not valid UTF-8 (byte %zu)", bad + 1);
		ccon_error_at_column(err, (long)bad + 1);
		return -1;
	}
	while (i < len && (plain || spanish)) {
		n = ccon_utf8_decode(text + i, len - i, &cp);
		if (!septets(cp, false))
			plain = false;
		if (!septets(cp, true))
			spanish = false;
		i += n;
	}
	if (mode == CCON_NLS_SPANISH)
		count(text, len, spanish ? CCON_SMS_GSM7_SPANISH : CCON_SMS_UCS2, out);
	else if (plain)
		count(text, len, CCON_SMS_GSM7, out);
	else if (mode == CCON_NLS_AUTO && spanish)
		count(text, len, CCON_SMS_GSM7_SPANISH, out);
	else
		count(text, len, CCON_SMS_UCS2, out);
	return 0;
}
