/* jsonesc.h - JSON text made safe for a terminal: what --json prints. */
#ifndef CCON_CLI_JSONESC_H
#define CCON_CLI_JSONESC_H

#include <ccon/strbuf.h>

#include <stddef.h>

/* Appends the JSON text s (as cJSON prints it: ASCII controls already escaped)
 * with every DEL, C1, bidi or format character (sanitize.h's list) written
 * as \uXXXX (a surrogate pair above U+FFFF) and every byte that is not
 * UTF-8 as \ufffd. Those only occur inside strings, so the result is the
 * same JSON document. 0, or -1 when out of memory. */
int cli_json_escape(const char *s, size_t len, struct ccon_strbuf *out);

#endif
