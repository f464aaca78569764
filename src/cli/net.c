/* net.c - the subcommands' connection and blocking exchanges, over the
 * console's asynchronous client (its retries, idempotency keys, TLS and
 * token rules). */
#include "config.h"

#include "cmd.h"

#include <ccon/codec_error.h>
#include <ccon/sanitize.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_connect(struct cli *cli)
{
	struct ccon_client_config cc = { 0 };
	struct ccon_error err = {0};
	int rc;

	rc = conn_open(&cli->conn_opts, &cli->conn);
	cli->conn_open = true;
	if (rc == 0)
		rc = conn_remote(&cli->conn_opts, &cli->conn);
	if (rc)
		return rc;
	if (!cli->conn.remote &&
	    conn_engine(&cli->conn, !cli->conn_opts.no_demo, CONN_OWNER_CLI, &err) < 0)
		return cli_error(cli, CLI_EXIT_FAIL, 0, NULL, &err);
	cc.base_url = cli->conn.url;
	cc.token = cli->conn.token;
	cc.ca_file = cli->conn.ca_file;
	cc.timeout_ms = (cli->a.timeout_s ? cli->a.timeout_s : 15) * 1000;
	cc.connect_timeout_ms = cc.timeout_ms < 3000 ? cc.timeout_ms : 3000;
	cc.max_retries = cli->a.retries > 0 ? (unsigned)cli->a.retries : 0;   /* 0: 3 */
	if (ccon_client_new(&cc, &cli->client, &err) < 0)
		return cli_error(cli, cli_exit_for_error(&err), 0, NULL, &err);
	return 0;
}

void cli_disconnect(struct cli *cli)
{
	ccon_client_free(cli->client);
	cli->client = NULL;
	if (cli->conn_open)
		conn_free(&cli->conn);
	cli->conn_open = false;
}

void cli_wait(struct cli *cli, const bool *done)
{
	struct ccon_error err = {0};

	while (!*done) {
		ccon_client_wait(cli->client, NULL, 0, 1000, &err);
		ccon_client_run(cli->client);
	}
}

struct call {
	struct cli_answer *out;
	bool done;
};

static void on_answer(void *ctx, const struct ccon_response *r)
{
	struct call *c = ctx;

	c->out->status = r->status;
	c->out->attempts = r->attempts;
	c->out->err = r->err;
	if (r->body) {
		c->out->body = malloc(r->len + 1);
		if (c->out->body) {
			memcpy(c->out->body, r->body, r->len);
			c->out->body[r->len] = '\0';
			c->out->len = r->len;
		}
	}
	c->done = true;
}

/* "no answer from URL after N tries: WHY" */
static int network_error(struct cli *cli, const struct cli_answer *a)
{
	struct ccon_error e = a->err;

	ccon_error_set(&e, CCON_E_IO, "no answer from %s after %u %s: %s", cli->conn.url,
	               a->attempts ? a->attempts : 1, a->attempts > 1 ? "tries" : "try",
	               a->err.message);
	return cli_error(cli, CLI_EXIT_NETWORK, 0, NULL, &e);
}

int cli_call(struct cli *cli, const struct ccon_request *rq, struct cli_answer *out)
{
	struct call c = { out, false };
	struct ccon_error err = {0};
	int code;

	memset(out, 0, sizeof(*out));
	if (ccon_client_send(cli->client, rq, on_answer, &c, &err) < 0)
		return cli_error(cli, cli_exit_for_error(&err), 0, NULL, &err);
	cli_wait(cli, &c.done);
	code = cli_exit_for_status(out->status, &out->err);
	if (code == CLI_EXIT_NETWORK)
		return network_error(cli, out);
	if (code)
		return cli_error(cli, code, out->status, NULL, &out->err);
	return 0;
}

void cli_answer_free(struct cli_answer *a)
{
	free(a->body);
	a->body = NULL;
}

/* The failure's reason as an error: the description, the code it stands
 * for (an HTTP status) mapped back. */
static int command_failure(struct cli *cli, const struct ccon_command_answer *ans)
{
	struct ccon_error e;
	long status = ans->has_reason ? (long)ans->reason_code : 500;
	enum ccon_errc code = status == 404 ? CCON_E_NOT_FOUND
	                      : status == 401 || status == 403 ? CCON_E_AUTH
	                      : status == 409 ? CCON_E_CONFLICT
	                      : status == 400 || status == 422 ? CCON_E_JSON_VALUE
	                                                       : CCON_E_REMOTE_UNKNOWN;

	ccon_error_clear(&e);
	ccon_error_set(&e, code, "%s", ans->reason_description ? ans->reason_description
	                                                       : "the command failed");
	if (status < 400 || status > 599)
		status = 500;
	return cli_error(cli, cli_exit_for_status(status, &e), status, NULL, &e);
}

int cli_command(struct cli *cli, const char *method, const char *uri,
                struct ccon_command_answer *out)
{
	struct cli_answer a = { 0 };
	struct call c = { &a, false };
	struct ccon_error err = {0};
	int code;

	memset(out, 0, sizeof(*out));
	if (ccon_client_command(cli->client, method, uri, NULL, NULL, NULL, on_answer, &c,
	                        &err) < 0)
		return cli_error(cli, cli_exit_for_error(&err), 0, NULL, &err);
	cli_wait(cli, &c.done);
	code = cli_exit_for_status(a.status, &a.err);
	if (code == CLI_EXIT_NETWORK)
		code = network_error(cli, &a);
	else if (code)
		code = cli_error(cli, code, a.status, NULL, &a.err);
	else if (!a.body || ccon_command_answer_parse(a.body, a.len, out, &err) < 0)
		code = cli_error(cli, CLI_EXIT_SERVER, a.status, "the server's answer",
		                 a.body ? &err : &a.err);
	else if (out->status == CCON_CMD_FAILURE)
		code = command_failure(cli, out);
	cli_answer_free(&a);
	return code;
}

int cli_pages(struct cli *cli, const char *uri, cli_page_fn page, void *ctx)
{
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	int64_t skip = 0, total = 0;
	int code = 0;

	do {
		struct ccon_command_answer ans;
		size_t count = 0;

		ccon_strbuf_reset(&sb);
		if (ccon_strbuf_printf(&sb, "%s%s$skip=%lld&$take=%d", uri, strchr(uri, '?') ? "&" : "?",
		                       (long long)skip, CCON_CMD_TAKE_MAX) < 0) {
			struct ccon_error e = {0};

			ccon_error_set(&e, CCON_E_NOMEM, "out of memory");
			code = cli_error(cli, CLI_EXIT_FAIL, 0, NULL, &e);
			break;
		}
		code = cli_command(cli, "get", sb.buf, &ans);
		if (code == 0 && page(ctx, ans.resource, &total, &count) < 0)
			code = CLI_EXIT_SERVER;
		ccon_command_answer_free(&ans);
		/* a page without rows ends it, whatever total says */
		if (count == 0)
			break;
		skip += (int64_t)count;
	} while (code == 0 && skip < total);
	ccon_strbuf_free(&sb);
	return code;
}
