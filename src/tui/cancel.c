#include "config.h"

#include "cancel.h"

#include "app.h"

#include <ccon/sanitize.h>

#include <stdio.h>
#include <string.h>

/* The campaign the open question is about: the question is modal (any key
 * answers it), so there is never more than one. */
static char asked_id[256];

static void cancel_done(void *ctx, const struct ccon_error *err)
{
	struct app *app = ctx;   /* the app, not a pane: it may be closed by now */

	if (err->code == CCON_E_OK)
		app_message(app, "campaign canceled");
	else
		app_error(app, "cancel failed: %s", err->message);
}

static void answered(void *ctx, bool yes)
{
	struct app *app = ctx;
	struct ccon_error err;

	if (!yes) {
		app_message(app, "not canceled");
		return;
	}
	ccon_error_clear(&err);
	if (ccon_model_cancel_campaign(app->model, asked_id, cancel_done, app, &err) < 0)
		app_error(app, "cancel failed: %s", err.message);
	else
		app_message(app, "canceling...");
}

/* s sanitised, cut to at most cols cells, not padded. */
static void fit(const char *s, size_t cols, char *buf, size_t size)
{
	size_t width = ccon_text_width(s, strlen(s));

	ccon_text_fit(s, strlen(s), width < cols ? width : cols, 0, buf, size);
}

void cancel_ask(struct app *app, const char *id, const char *name, const char *status,
                long long pending)
{
	char shown[64];

	if (!status) {
		app_error(app, "cancel: the campaign's status is not known yet");
		return;
	}
	if (strcmp(status, "scheduled") != 0) {
		fit(status, 20, shown, sizeof(shown));
		app_error(app, "cancel: only a scheduled campaign can be canceled; this one is %s",
		          shown);
		return;
	}
	snprintf(asked_id, sizeof(asked_id), "%s", id);
	fit(name ? name : id, 40, shown, sizeof(shown));
	if (pending >= 0)
		app_confirm(app, answered, app,
		            "Cancel the campaign \"%s\" and its %lld pending recipients? y/N", shown,
		            pending);
	else
		app_confirm(app, answered, app, "Cancel the campaign \"%s\"? y/N", shown);
}
