/* pane_dynamic.c - placeholder: being written (issue 6). */
#include "config.h"

#include "pane.h"

#include "app.h"

struct pane *pane_dynamic_open(struct app *app, const char *campaign_id)
{
	(void)campaign_id;
	app_error(app, "not written yet");
	return NULL;
}
