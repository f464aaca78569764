#include "config.h"

#include "delivery_events.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char kind_letter(enum driver_event_kind k)
{
	return k == DRIVER_EVENT_RECEIVED ? 'r' : k == DRIVER_EVENT_READ ? 'd' : 'f';
}

int delivery_events_encode(const struct driver_event *ev, unsigned n, struct ccon_strbuf *out)
{
	int rc = 0;

	for (unsigned i = 0; i < n && rc == 0; i++) {
		rc = ccon_strbuf_printf(out, "%s%c%lld", i ? ";" : "", kind_letter(ev[i].kind),
		                         (long long)ev[i].at_us);
		if (rc == 0 && ev[i].kind == DRIVER_EVENT_FAILED)
			rc = ccon_strbuf_printf(out, ",%d,%s", ev[i].code, ev[i].description);
	}
	return rc;
}

static int parse_int(const char *s, char **end, long long *v)
{
	errno = 0;
	*v = strtoll(s, end, 10);
	return errno || *end == s ? -1 : 0;
}

int delivery_events_decode(const char *text, struct driver_event *ev, unsigned max, unsigned *n)
{
	const char *p = text;

	*n = 0;
	while (p && *p) {
		struct driver_event *e = &ev[*n];
		long long v;
		char *end;

		if (*n == max)
			return -1;
		memset(e, 0, sizeof(*e));
		switch (*p) {
		case 'r': e->kind = DRIVER_EVENT_RECEIVED; break;
		case 'd': e->kind = DRIVER_EVENT_READ; break;
		case 'f': e->kind = DRIVER_EVENT_FAILED; break;
		default: return -1;
		}
		if (parse_int(p + 1, &end, &v) < 0)
			return -1;
		e->at_us = v;
		(*n)++;
		if (e->kind == DRIVER_EVENT_FAILED) {
			if (*end != ',' || parse_int(end + 1, &end, &v) < 0 || *end != ',')
				return -1;
			e->code = (int)v;
			snprintf(e->description, sizeof(e->description), "%s", end + 1);
			return 0;
		}
		if (*end != ';' && *end != '\0')
			return -1;
		p = *end ? end + 1 : NULL;
	}
	return 0;
}
