/* cancel.h - ":cancel" of a scheduled campaign, the same from every pane
 * that knows one (the campaign list, the report, the wizard's result): the
 * status is checked, a y/N question asked on the bottom line, and on y the
 * model cancels it; the outcome is shown as a message. */
#ifndef CCON_TUI_CANCEL_H
#define CCON_TUI_CANCEL_H

struct app;

/* id: the campaign; name: what the question calls it (NULL: the id);
 * status: as last known (NULL: not known yet, refused); pending: its
 * recipients still to send, or -1 when unknown. Outside strings are
 * sanitised here. */
void cancel_ask(struct app *app, const char *id, const char *name, const char *status,
                long long pending);

#endif
