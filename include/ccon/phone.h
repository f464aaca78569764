/* ccon/phone.h - E.164 phone number normalisation.
 *
 * Accepts what people and files write: spaces, dashes, dots, parentheses,
 * a leading "+" or "00", or no prefix at all (the digits then begin with the
 * country calling code, as in the seeds' "34666777888"). The result is
 * "+<country code><subscriber>", 8..16 bytes, at most 15 digits, with a
 * country calling code assigned by the ITU.
 */
#ifndef CCON_PHONE_H
#define CCON_PHONE_H

#include <ccon/error.h>

#include <stddef.h>

#define CCON_E164_MAX_DIGITS 15
#define CCON_E164_MIN_DIGITS 7
#define CCON_E164_BUFSIZE 17 /* '+', 15 digits, NUL */

/* Normalises in[0..len) into out. Errors (err->column = 1-based position in
 * the input where it applies): CCON_E_PHONE_EMPTY, CCON_E_PHONE_CHARACTERS,
 * CCON_E_PHONE_TOO_SHORT, CCON_E_PHONE_TOO_LONG, CCON_E_PHONE_COUNTRY_CODE. */
int ccon_phone_normalize(const char *in, size_t len, char out[CCON_E164_BUFSIZE],
                         struct ccon_error *err);

/* Seed 003's contact rules: a non-empty e164 takes precedence; otherwise
 * country_code ("34", "+34" or "0034") followed by phone_number (national
 * number, a leading trunk "0" dropped); otherwise phone_number alone, which
 * must then be international. Any argument may be NULL. err->path names the
 * field at fault ("e164", "countryCode" or "phoneNumber"). Nothing at all:
 * CCON_E_PHONE_EMPTY; a national number with no country code:
 * CCON_E_PHONE_NO_COUNTRY_CODE. */
int ccon_phone_compose(const char *e164, const char *country_code, const char *phone_number,
                       char out[CCON_E164_BUFSIZE], struct ccon_error *err);

/* Length (1..3) of the assigned country calling code that starts digits
 * (ASCII digits, no '+'), or 0 when none is assigned. */
int ccon_phone_country_code_len(const char *digits);

#endif
