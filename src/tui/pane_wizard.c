#include "config.h"

#include "app.h"
#include "pane.h"

/* placeholder: the wizard is being written */
struct pane *pane_wizard_open(struct app *app, const char *campaign_id, const char *csv_path,
                              const struct ccon_layout *layout)
{
	(void)campaign_id;
	(void)csv_path;
	(void)layout;
	app_error(app, "the send wizard is not there yet");
	return NULL;
}
