/* ccon/codec_error.h - the JSON error body of ccond's API (DESIGN §2.1), so
 * the server writes and the console reads the same thing.
 *
 * One error:
 *   {"code": "invalid_length", "message": "...", "path": "text",
 *    "line": 12, "column": 3}
 *   code     the stable string of ccon_errc_name(), required
 *   message  a sentence for people, required
 *   path     field path ("contacts[3].customFields.age"), only when known
 *   line     1-based CSV line, only when known
 *   column   1-based CSV column, or character position in the field at
 *            `path` (then without line), only when known
 *
 * Many errors at once (CSV validation):
 *   {"code": "...", "message": "...", "errors": [<error>, ...], "truncated": 12}
 *   errors     at most CCON_ERROR_LIST_MAX items, in the order found
 *   truncated  how many more errors there were and were left out; written
 *              only when not 0, so a cut list is never silent
 *
 * Decoding keeps the code text as received: a code this build does not know
 * (a newer server) becomes CCON_E_REMOTE_UNKNOWN in error.code while
 * `code` keeps the server's string for display. Unknown fields are ignored.
 * A message or path longer than struct ccon_error holds is cut at a character
 * boundary and ends in "..." so the cut shows.
 */
#ifndef CCON_CODEC_ERROR_H
#define CCON_CODEC_ERROR_H

#include <ccon/error.h>

#include <cjson/cJSON.h>
#include <stddef.h>

#define CCON_ERROR_LIST_MAX 100
#define CCON_API_CODE_MAX 64 /* bytes with the NUL; longer codes are rejected */

struct ccon_api_error {
	char code[CCON_API_CODE_MAX];   /* the code text, as sent or received */
	struct ccon_error error;
};

/* Fills dst from src, code text from ccon_errc_name(). */
void ccon_api_error_from(struct ccon_api_error *dst, const struct ccon_error *src);

/* The body of one error. 0, or -1 when out of memory. */
int ccon_error_encode(const struct ccon_error *e, cJSON **out);
/* Decodes one error body (an `errors` list, if any, is ignored). */
int ccon_api_error_decode(const cJSON *json, struct ccon_api_error *out, struct ccon_error *err);
int ccon_api_error_parse(const char *text, size_t len, struct ccon_api_error *out,
                         struct ccon_error *err);

struct ccon_error_list {
	struct ccon_api_error head;     /* the overall code and message */
	struct ccon_api_error *items;   /* at most CCON_ERROR_LIST_MAX */
	size_t count;
	size_t cap;                     /* allocated items */
	size_t truncated;               /* errors counted but not kept */
};

/* Starts an empty list whose overall error is head. */
void ccon_error_list_init(struct ccon_error_list *l, const struct ccon_error *head);
/* Keeps e while the list holds fewer than CCON_ERROR_LIST_MAX, else counts it
 * in truncated. 0, or -1 when out of memory. */
int ccon_error_list_add(struct ccon_error_list *l, const struct ccon_error *e);
/* Total number of errors reported: count + truncated. */
size_t ccon_error_list_total(const struct ccon_error_list *l);
int ccon_error_list_encode(const struct ccon_error_list *l, cJSON **out);
/* Decodes a single or a list body (a single body gives count 0); items past
 * CCON_ERROR_LIST_MAX are counted in truncated. On failure *out is empty. */
int ccon_error_list_decode(const cJSON *json, struct ccon_error_list *out, struct ccon_error *err);
int ccon_error_list_parse(const char *text, size_t len, struct ccon_error_list *out,
                          struct ccon_error *err);
void ccon_error_list_free(struct ccon_error_list *l);

#endif
