/* jsonesc.c - JSON text made safe for a terminal. */
#include "config.h"

#include "jsonesc.h"

#include <ccon/sanitize.h>
#include <ccon/utf8.h>

#include <stdint.h>

int cli_json_escape(const char *s, size_t len, struct ccon_strbuf *out)
{
	size_t i = 0;

	while (i < len) {
		uint32_t cp;
		size_t n = ccon_utf8_decode(s + i, len - i, &cp);
		int rc;

		if (n == 0) {
			rc = ccon_strbuf_puts(out, "\\ufffd");
			n = 1;
		} else if (cp == 0x7f || (cp >= 0x80 && ccon_cp_width(cp) < 0)) {
			/* ASCII controls are escaped by cJSON already; DEL, C1,
			 * bidi and format characters here (only strings hold
			 * them: JSON's own syntax is ASCII) */
			rc = cp > 0xffff ? ccon_strbuf_printf(out, "\\u%04x\\u%04x",
			                                      0xd800 + ((cp - 0x10000) >> 10),
			                                      0xdc00 + ((cp - 0x10000) & 0x3ff))
			                 : ccon_strbuf_printf(out, "\\u%04x", cp);
		} else {
			rc = ccon_strbuf_append(out, s + i, n);
		}
		if (rc < 0)
			return -1;
		i += n;
	}
	return 0;
}
