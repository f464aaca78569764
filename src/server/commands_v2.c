/* commands_v2.c - seed 002's campaign in steps: set /campaign/v2 (a draft),
 * set /audiences/v2/{id} (rounds of audiences: a list, or CSV text with a
 * recipient column) and set /dispatch/v2 (the send). */
#include "config.h"

#include "commands.h"

#include <ccon/audience_csv.h>
#include <ccon/contact.h>
#include <ccon/timing.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_campaign_v2(struct cmd *x)
{
	struct ccon_dynamic_campaign dc;
	struct cmd_new_campaign nc;
	struct sendjob job;
	struct ccon_error e;
	cJSON *opts = NULL;
	int rc = -1;

	if (cmd_need_resource(x) < 0)
		return -1;
	ccon_error_clear(&e);
	if (ccon_dynamic_campaign_decode(x->cmd.resource, &dc, &e) < 0)
		return cmd_fail_resource(x, &e);
	if (cmd_new_campaign_job(x, &dc.campaign, &dc.message, "v2", &nc, &job) < 0)
		goto out;
	/* Scheduled is resolved again at dispatch: the window is checked then. */
	if (dc.campaign.scheduled) {
		opts = cJSON_CreateObject();
		if (!opts || !cJSON_AddStringToObject(opts, "scheduled", dc.campaign.scheduled) ||
		    !(job.options_json = cJSON_PrintUnformatted(opts))) {
			cmd_nomem(x);
			goto out;
		}
	}
	job.draft = true;
	rc = cmd_commit_and_answer(x, &nc, &job);
out:
	cJSON_Delete(opts);
	sendjob_free(&job);
	cmd_new_campaign_free(&nc);
	ccon_dynamic_campaign_free(&dc);
	return rc;
}

/* A step of a /campaign/v2 campaign after its creation: the campaign, its
 * draft task and the send's answer. */
struct v2_step {
	struct campaign camp;
	struct cmd_task task;
	char *answer;
};

/* The v2 campaign's draft task, or a failure saying why audiences cannot
 * be added (or the campaign dispatched). */
static int v2_draft(struct cmd *x, const struct campaign *camp, struct cmd_task *task,
                    const char *what)
{
	if (strcmp(camp->origin, "v2") != 0)
		return cmd_failf(x, CCON_E_CONFLICT, "", "campaign %lld was created with /campaign/%s: "
		                 "%s only a /campaign/v2 campaign", (long long)camp->id,
		                 strcmp(camp->origin, "full") == 0 ? "full" : "s (REST)", what);
	if (cmd_first_task(x, camp->id, task) < 0)
		return -1;
	if (!task->id)
		return cmd_failf(x, CCON_E_CONFLICT, "", "campaign %lld has no send to build",
		                 (long long)camp->id);
	if (camp->dispatched || strcmp(task->status, "draft") != 0)
		return cmd_failf(x, CCON_E_CONFLICT, "", "campaign %lld was dispatched: %s",
		                 (long long)camp->id,
		                 strcmp(what, "dispatch") == 0 ? "it cannot be dispatched again"
		                                              : "no audience can be added");
	return 0;
}

/* The campaign named by id (at path), a v2 draft. */
static int v2_open(struct cmd *x, const char *id, const char *path, const char *what,
                   struct v2_step *st)
{
	memset(st, 0, sizeof(*st));
	if (cmd_campaign_of(x, id, path, &st->camp) < 0)
		return -1;
	return v2_draft(x, &st->camp, &st->task, what);
}

static void v2_close(struct v2_step *st)
{
	free(st->answer);
	free(st->task.options);
	campaign_free(&st->camp);
}

/* The campaign's message, rebuilt from its row, to check audiences with. */
struct stored_message {
	struct ccon_campaign_message msg;
	cJSON *params;
};

static int stored_message(const struct campaign *camp, struct stored_message *sm)
{
	const cJSON *it;
	size_t n = 0;

	memset(sm, 0, sizeof(*sm));
	sm->msg.message_template = camp->template_name;
	sm->msg.message_content = camp->template_body;
	sm->msg.template_language = camp->language;
	sm->msg.channel = strcmp(camp->channel, "rcs") == 0 ? CCON_CHANNEL_GOOGLE_RCS
	                                                     : CCON_CHANNEL_WHATSAPP;
	sm->msg.has_channel = true;
	sm->params = camp->template_params ? cJSON_Parse(camp->template_params) : NULL;
	if (!cJSON_IsArray(sm->params))
		return 0;
	sm->msg.params = calloc((size_t)cJSON_GetArraySize(sm->params) + 1, sizeof(char *));
	if (!sm->msg.params)
		return -1;
	cJSON_ArrayForEach(it, sm->params)
		if (cJSON_IsString(it))
			sm->msg.params[n++] = it->valuestring;
	sm->msg.n_params = n;
	return 0;
}

static void stored_message_free(struct stored_message *sm)
{
	free(sm->msg.params);
	cJSON_Delete(sm->params);
}

static int audiences_from_list(struct cmd *x, struct sendjob *job,
                               const struct ccon_campaign_message *msg)
{
	struct ccon_audience_list al;
	struct ccon_error e;
	const char *base;
	int rc = 0;

	ccon_error_clear(&e);
	if (ccon_audience_list_decode(x->cmd.resource, &al, &e) < 0)
		return cmd_fail_resource(x, &e);
	/* Paths as the client wrote the list: a bare array, items or audiences. */
	base = cJSON_IsArray(x->cmd.resource)                  ? "resource"
	       : cJSON_GetObjectItem(x->cmd.resource, "items") ? "resource.items"
	                                                       : "resource.audiences";
	for (size_t i = 0; rc == 0 && i < al.count; i++) {
		char path[64];

		snprintf(path, sizeof(path), "%s[%zu]", base, i);
		if (ccon_audience_check(msg, &al.items[i], path, &e) < 0)
			rc = cmd_fail(x, &e);
		else
			rc = cmd_add_audience(x, job, &al.items[i], ccon_channel_name(msg->channel), path);
	}
	ccon_audience_list_free(&al);
	return rc;
}

struct csv_run {
	struct sendjob *job;
	const struct ccon_campaign_message *msg;
	struct ccon_error_list errors;
	bool oom;
};

static int csv_on_error(void *ctx, const struct ccon_error *err)
{
	struct csv_run *run = ctx;

	if (ccon_error_list_add(&run->errors, err) < 0)
		run->oom = true;
	return run->oom ? -1 : 0;
}

static int csv_on_row(void *ctx, struct ccon_audience_csv_row *row)
{
	struct csv_run *run = ctx;
	struct sendjob_recipient r;
	struct ccon_error e;

	if (run->errors.count || run->errors.truncated)
		return 0;  /* all or nothing: no point in spooling more */
	memset(&r, 0, sizeof(r));
	r.recipient = row->audience.recipient;
	r.recipient_type = "phone";
	r.channel_type = ccon_channel_name(run->msg->channel);
	r.params = &row->audience.message_params;
	r.extras = &row->audience.message_params;
	r.context_json = row->context_json;
	r.resolve_contact = true;
	ccon_error_clear(&e);
	if (sendjob_add(run->job, &r, &e) < 0) {
		run->oom = true;
		return -1;
	}
	return 0;
}

/* Refused rows: all or nothing, the first named, every one listed. */
static void csv_refuse(struct cmd *x, struct csv_run *run)
{
	struct ccon_error first = run->errors.items[0].error;
	size_t total = ccon_error_list_total(&run->errors);

	ccon_error_set(&first, first.code, "%zu error%s in the CSV (nothing was added); "
	               "the first: %s", total, total == 1 ? "" : "s",
	               run->errors.items[0].error.message);
	ccon_error_prefix_path(&first, "resource");
	cmd_fail(x, &first);
	x->errors = malloc(sizeof(*x->errors));
	if (x->errors) {
		*x->errors = run->errors;
		memset(&run->errors, 0, sizeof(run->errors));
	}
}

static int audiences_from_csv(struct cmd *x, struct sendjob *job,
                              const struct ccon_campaign_message *msg)
{
	struct csv_run run;
	struct ccon_error e, head;

	memset(&run, 0, sizeof(run));
	run.job = job;
	run.msg = msg;
	ccon_error_clear(&head);
	ccon_error_set(&head, CCON_E_CSV_FIELD_COUNT, "rows refused");
	ccon_error_list_init(&run.errors, &head);
	ccon_error_clear(&e);
	if (ccon_audience_csv_read(x->csv, strlen(x->csv), msg, csv_on_row, csv_on_error, &run,
	                           NULL, &e) < 0) {
		if (run.oom || e.code == CCON_E_NOMEM) {
			cmd_nomem(x);
		} else if (!run.errors.count) {
			ccon_error_prefix_path(&e, "resource");
			cmd_fail(x, &e);
		}
	}
	if (!x->failed && ccon_error_list_total(&run.errors))
		csv_refuse(x, &run);
	ccon_error_list_free(&run.errors);
	return x->failed ? -1 : 0;
}

/* The draft task's scheduled time, when it has one. */
static const int64_t *task_scheduled(const struct cmd_task *task)
{
	return strcmp(task->timing, "schedule") == 0 ? &task->send_at_us : NULL;
}

int cmd_audiences_v2(struct cmd *x)
{
	struct stored_message sm;
	struct cmd_ready r;
	struct v2_step st;
	struct sendjob job;
	struct ccon_error e;
	unsigned status;
	int rc;

	if (v2_open(x, x->uri.campaign_id, "uri", "audiences can be added to", &st) < 0 ||
	    (!x->csv && cmd_need_resource(x) < 0)) {
		v2_close(&st);
		return -1;
	}
	if (stored_message(&st.camp, &sm) < 0) {
		v2_close(&st);
		return cmd_nomem(x);
	}
	sendjob_init(&job, x->c->app_id, &st.camp, "v2", x->c->now_us);
	job.campaign_id = st.camp.id;
	job.channel = st.camp.channel;
	job.draft = true;
	memset(&r, 0, sizeof(r));
	rc = x->csv ? audiences_from_csv(x, &job, &sm.msg) : audiences_from_list(x, &job, &sm.msg);
	if (rc == 0)
		rc = cmd_ready_begin(x, &r, &st.camp);
	if (rc == 0) {
		ccon_error_clear(&e);
		rc = sendjob_append(&job, x->c->db, st.task.id, &status, &st.answer, &e);
		if (rc < 0)
			cmd_fail(x, &e);
		else
			rc = cmd_ready_answer(x, &r, &st.camp, task_scheduled(&st.task), st.answer);
	}
	cmd_ready_free(&r);
	sendjob_free(&job);
	stored_message_free(&sm);
	v2_close(&st);
	return rc;
}

static int64_t task_recipients(struct cmd *x, int64_t task_id)
{
	sqlite3_stmt *st;
	int64_t n = -1;

	if (sqlite3_prepare_v2(x->c->db, "SELECT COUNT(*) FROM recipients WHERE task_id = ?1", -1,
	                       &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, task_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static int dispatch_timing(struct cmd *x, const struct cmd_task *task, struct ccon_timing *t)
{
	cJSON *opts = task->options ? cJSON_Parse(task->options) : NULL;
	const cJSON *s = cJSON_GetObjectItem(opts, "scheduled");
	struct ccon_error e;
	int rc = 0;

	ccon_error_clear(&e);
	if (ccon_timing_resolve_scheduled(x->c->now_us, cJSON_IsString(s) ? s->valuestring : NULL,
	                                  t, &e) < 0)
		rc = cmd_fail_why(x, 409, "", "the campaign's scheduled time can no longer be used", &e);
	cJSON_Delete(opts);
	return rc;
}

int cmd_dispatch_v2(struct cmd *x)
{
	struct ccon_dispatch d;
	struct cmd_ready r;
	struct v2_step st;
	struct ccon_timing timing;
	struct ccon_error e;
	unsigned status;
	long long id;
	int rc = -1;

	if (cmd_need_resource(x) < 0)
		return -1;
	memset(&r, 0, sizeof(r));
	ccon_error_clear(&e);
	if (ccon_dispatch_decode(x->cmd.resource, &d, &e) < 0)
		return cmd_fail_resource(x, &e);
	if (v2_open(x, d.campaign_id, "resource.campaignId", "dispatch", &st) < 0)
		goto out;
	id = (long long)st.camp.id;
	if (task_recipients(x, st.task.id) == 0) {
		cmd_failf(x, CCON_E_CONFLICT, "resource.campaignId", "campaign %lld has no audience yet: "
		          "add some with set /audiences/v2/%lld first", id, id);
		goto out;
	}
	if (dispatch_timing(x, &st.task, &timing) < 0 || cmd_ready_begin(x, &r, &st.camp) < 0)
		goto out;
	if (sendjob_dispatch(x->c->db, x->c->app_id, st.task.id, &timing, CCON_SLICING_FRAGMENTED,
	                     x->c->now_us, &status, &st.answer, &e) < 0) {
		cmd_fail(x, &e);
		goto out;
	}
	rc = cmd_ready_answer(x, &r, &st.camp,
	                      timing.form == CCON_TIMING_SCHEDULE ? &timing.send_us : NULL,
	                      st.answer);
out:
	cmd_ready_free(&r);
	v2_close(&st);
	ccon_dispatch_free(&d);
	return rc;
}
