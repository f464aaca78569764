/* ccon/phone.h - E.164 phone number normalisation.
 *
 * Accepts what people and files write: spaces, tabs, dashes, dots and
 * balanced parentheses between the digits, a leading "+" or "00", or no
 * prefix at all (the digits then begin with the country calling code, as in
 * the seeds' "34666777888"). The result is "+<country code><subscriber>",
 * 8..16 bytes, 7..15 digits, with a country calling code assigned by the ITU.
 *
 * Trunk notation: "+44 (0)20 7946 0958" -> "+442079460958". A parenthesised
 * group holding just one "0" that follows the country code is the national
 * trunk prefix and is dropped, except for the countries whose international
 * numbers keep their leading 0 (Italy 39, San Marino 378, Vatican 379, Côte
 * d'Ivoire 225, Congo 242), where it stays a digit. Only one such group is
 * dropped.
 *
 * Letters (extensions such as "x12" included), a "+" anywhere but first,
 * nested, empty or unbalanced parentheses and every other character are
 * rejected. A number with no prefix that starts with a single "0" is a
 * national number: CCON_E_PHONE_NO_COUNTRY_CODE.
 *
 * Positions (err->column) are 1-based characters of the input. Errors are
 * checked in this order: characters, empty, missing country code, too long,
 * too short, unknown country code.
 */
#ifndef CCON_PHONE_H
#define CCON_PHONE_H

#include <ccon/error.h>

#include <stddef.h>

#define CCON_E164_MAX_DIGITS 15
#define CCON_E164_MIN_DIGITS 7
#define CCON_E164_BUFSIZE 17 /* '+', 15 digits, NUL */

/* Normalises in[0..len) into out. Errors (err->column = 1-based position in
 * the input where it applies, 0 for the whole number):
 * CCON_E_PHONE_EMPTY (nothing but separators), CCON_E_PHONE_CHARACTERS (the
 * first bad character), CCON_E_PHONE_NO_COUNTRY_CODE (the national "0"),
 * CCON_E_PHONE_TOO_LONG (the 16th digit), CCON_E_PHONE_TOO_SHORT (0),
 * CCON_E_PHONE_COUNTRY_CODE (the first digit of the country code). On error
 * out is "". */
int ccon_phone_normalize(const char *in, size_t len, char out[CCON_E164_BUFSIZE],
                         struct ccon_error *err);

/* Seed 003's contact rules. A string that is NULL, empty or only blanks
 * counts as absent.
 *  1. e164 present: it alone decides (ccon_phone_normalize); the other two
 *     are ignored, even when invalid.
 *  2. country_code present ("34", "+34", "0034", blanks around allowed; it
 *     must be exactly one assigned code): phone_number is then required.
 *     A national phone_number ("0612 345 678") gets one leading trunk "0"
 *     dropped (kept for the countries listed above). An international one
 *     ("+34..." or "0034...") is accepted only when its country code equals
 *     country_code, else CCON_E_PHONE_COUNTRY_CODE at "phoneNumber".
 *  3. phone_number alone must be international ("+" or "00"), else
 *     CCON_E_PHONE_NO_COUNTRY_CODE.
 *  4. Nothing at all: CCON_E_PHONE_EMPTY at "phoneNumber".
 * err->path names the field at fault ("e164", "countryCode" or
 * "phoneNumber"); err->column is a position in that field. */
int ccon_phone_compose(const char *e164, const char *country_code, const char *phone_number,
                       char out[CCON_E164_BUFSIZE], struct ccon_error *err);

/* Length (1..3) of the assigned country calling code that starts digits
 * (ASCII digits, no '+'), or 0 when none is assigned. */
int ccon_phone_country_code_len(const char *digits);

#endif
