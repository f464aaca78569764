/* pane_envelope.c - placeholder: being written (issue 6). */
#include "config.h"

#include "pane.h"

#include "app.h"

struct pane *pane_envelope_open(struct app *app, struct ccon_send_draft *d)
{
	(void)d;
	app_error(app, "not written yet");
	return NULL;
}
