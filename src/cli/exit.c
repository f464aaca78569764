/* exit.c - from an error to ccon's exit status. */
#include "config.h"

#include "exit.h"

int cli_exit_for_error(const struct ccon_error *err)
{
	switch (err->code) {
	case CCON_E_OK:
		return CLI_EXIT_OK;
	case CCON_E_NOMEM:
		return CLI_EXIT_FAIL;
	case CCON_E_IO:
		return CLI_EXIT_NETWORK;
	case CCON_E_AUTH:
		return CLI_EXIT_AUTH;
	case CCON_E_INVALID_ARGUMENT: case CCON_E_CONFIG_SYNTAX: case CCON_E_CONFIG_PERMISSIONS:
	case CCON_E_TOKEN: case CCON_E_THEME_SYNTAX: case CCON_E_KEYSPEC:
		return CLI_EXIT_USAGE;
	case CCON_E_NOT_FOUND: case CCON_E_METHOD: case CCON_E_CONFLICT:
	case CCON_E_NOT_IMPLEMENTED: case CCON_E_STORE: case CCON_E_NOTHING_TO_RETRY:
	case CCON_E_CAMPAIGN_NOT_FINISHED: case CCON_E_SLOTS_INVALID:
	case CCON_E_SLOTS_NO_CAPACITY: case CCON_E_SLOTS_NOT_CONSECUTIVE:
	case CCON_E_REMOTE_UNKNOWN:
		return CLI_EXIT_SERVER;
	default:
		/* the input's own checks: date-times, durations, timing, phones,
		 * contacts, templates, layouts, CSV, JSON, the audience */
		return err->code < CCON_E__COUNT ? CLI_EXIT_INVALID : CLI_EXIT_FAIL;
	}
}

int cli_exit_for_status(long status, const struct ccon_error *err)
{
	if (status == 0)
		return err->code == CCON_E_NOMEM ? CLI_EXIT_FAIL : CLI_EXIT_NETWORK;
	if (status < 400)
		return CLI_EXIT_OK;
	if (status == 401 || status == 403)
		return CLI_EXIT_AUTH;
	if (status == 400 || status == 422)
		return err->code == CCON_E_CONFLICT ? CLI_EXIT_SERVER : CLI_EXIT_INVALID;
	return CLI_EXIT_SERVER;
}

const char *cli_exit_name(int code)
{
	switch (code) {
	case CLI_EXIT_OK: return "ok";
	case CLI_EXIT_USAGE: return "usage";
	case CLI_EXIT_INVALID: return "invalid";
	case CLI_EXIT_AUTH: return "auth";
	case CLI_EXIT_SERVER: return "server";
	case CLI_EXIT_NETWORK: return "network";
	default: return "failure";
	}
}
