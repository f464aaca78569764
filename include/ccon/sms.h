/* ccon/sms.h - how an SMS text travels: GSM-7 (3GPP TS 23.038 default
 * alphabet and its extension table), GSM-7 with the Spanish National
 * Language Shift table, or UCS-2; and how many segments that takes.
 *
 * Seed 003's nlsMode decides the GSM-7 character set:
 *   auto      the default alphabet when the text fits it; else the Spanish
 *             single shift table when that makes it fit; else UCS-2;
 *   standard  the default alphabet, else UCS-2;
 *   spanish   the Spanish single shift table, else UCS-2.
 * nlsMode means nothing once the text needs UCS-2 (the seed: "ignored when
 * sending in an encoding other than GSM-7").
 *
 * Sizes per segment (a concatenated message spends 6 octets of user data
 * header on the concatenation element, a shift table 3 more):
 *               single   concatenated
 *   GSM-7         160        153        septets
 *   GSM-7 + NLS   155        149        septets
 *   UCS-2          70         67        UTF-16 code units
 * Characters of the extension or shift table take two septets and are never
 * split across segments; nor is a UTF-16 surrogate pair.
 */
#ifndef CCON_SMS_H
#define CCON_SMS_H

#include <ccon/codec_transactional.h>
#include <ccon/error.h>

#include <stddef.h>

enum ccon_sms_encoding {
	CCON_SMS_GSM7 = 0,
	CCON_SMS_GSM7_SPANISH,
	CCON_SMS_UCS2,
};

struct ccon_sms_info {
	enum ccon_sms_encoding encoding;
	size_t units;          /* septets (GSM-7) or UTF-16 code units (UCS-2) */
	size_t segments;       /* 1 for an empty text */
	size_t per_segment;    /* capacity of one segment as sent */
};

/* "gsm7", "gsm7-spanish", "ucs2" */
const char *ccon_sms_encoding_name(enum ccon_sms_encoding e);

/* Analyses UTF-8 text; invalid UTF-8 is CCON_E_JSON_VALUE with the byte
 * offset in err->column (1-based). */
int ccon_sms_analyze(const char *text, size_t len, enum ccon_nls_mode mode,
                     struct ccon_sms_info *out, struct ccon_error *err);

#endif
