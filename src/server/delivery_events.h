/* delivery_events.h - the statuses a channel will report later (received,
 * read, failed) kept on the recipient's row until they fall due:
 * recipients.events holds them in time order as text and
 * recipients.next_event_us the time of the first.
 *
 * The text: events separated by ';', each a kind letter and the time in
 * microseconds since the epoch, "r" received and "d" read
 * ("r1798966801000000;d1798966870000000"); a failure "f" is always the
 * last event and carries its code and description, which runs to the end
 * of the text ("f1798966802000000,131047,Re-engagement message"). */
#ifndef CCOND_DELIVERY_EVENTS_H
#define CCOND_DELIVERY_EVENTS_H

#include "driver.h"

#include <ccon/strbuf.h>

/* Appends the n events (a failure last) to out; -1 when out of memory. */
int delivery_events_encode(const struct driver_event *ev, unsigned n, struct ccon_strbuf *out);
/* Parses up to max events into ev; *n how many. -1 when malformed. */
int delivery_events_decode(const char *text, struct driver_event *ev, unsigned max, unsigned *n);

#endif
