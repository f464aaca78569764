#include "config.h"

#include "campaigns.h"
#include "store.h"

#include <ccon/codec_campaign_def.h>
#include <ccon/template.h>

#include <stdlib.h>
#include <string.h>

#define COLUMNS \
	"id, app_id, name, channel, campaign_type, template_name, template_body, " \
	"template_params, language, flow_id, state_id, master_state, source_application, " \
	"campaign_sender, tags, origin, dispatched, created_us"

/* The text columns in COLUMNS order, from column 2. */
#define TEXT_MEMBERS(X) \
	X(name) X(channel) X(campaign_type) X(template_name) X(template_body) \
	X(template_params) X(language) X(flow_id) X(state_id) X(master_state) \
	X(source_application) X(campaign_sender) X(tags) X(origin)

int campaigns_insert(sqlite3 *db, struct campaign *c, struct ccon_error *err)
{
	sqlite3_stmt *st;
	int rc, i = 1;

	if (c->app_id <= 0 || !c->name || !c->channel)
		return ccon_error_set(err, CCON_E_INVALID_ARGUMENT,
		                      "a campaign needs its application, name and channel");
	if (sqlite3_prepare_v2(db, "INSERT INTO campaigns(app_id, name, channel, campaign_type, "
	                           "template_name, template_body, template_params, language, "
	                           "flow_id, state_id, master_state, source_application, "
	                           "campaign_sender, tags, origin, dispatched, created_us) VALUES "
	                           "(?1, ?2, ?3, COALESCE(?4, 'Batch'), ?5, ?6, ?7, ?8, ?9, ?10, "
	                           "?11, ?12, ?13, ?14, COALESCE(?15, 'rest'), ?16, ?17)",
	                       -1, &st, NULL) != SQLITE_OK)
		return store_fail(db, err, "saving a campaign");
	sqlite3_bind_int64(st, i++, c->app_id);
#define BIND(m) sqlite3_bind_text(st, i++, c->m, -1, SQLITE_STATIC);
	TEXT_MEMBERS(BIND)
#undef BIND
	sqlite3_bind_int(st, i++, c->dispatched ? 1 : 0);
	sqlite3_bind_int64(st, i, c->created_us);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_fail(db, err, "saving a campaign");
	c->id = sqlite3_last_insert_rowid(db);
	return 0;
}

void campaign_free(struct campaign *c)
{
	if (!c)
		return;
#define FREE(m) free(c->m);
	TEXT_MEMBERS(FREE)
#undef FREE
	memset(c, 0, sizeof(*c));
}

static char *col_dup(sqlite3_stmt *st, int col, bool *ok)
{
	const unsigned char *s = sqlite3_column_text(st, col);
	char *copy;

	if (!s)
		return NULL;
	copy = strdup((const char *)s);
	if (!copy)
		*ok = false;
	return copy;
}

/* A row of COLUMNS into out; false when out of memory (out then empty). */
static bool read_row(sqlite3_stmt *st, struct campaign *out)
{
	bool ok = true;
	int col = 2;

	memset(out, 0, sizeof(*out));
	out->id = sqlite3_column_int64(st, 0);
	out->app_id = sqlite3_column_int64(st, 1);
#define READ(m) out->m = col_dup(st, col++, &ok);
	TEXT_MEMBERS(READ)
#undef READ
	out->dispatched = sqlite3_column_int(st, col++) != 0;
	out->created_us = sqlite3_column_int64(st, col);
	if (!ok)
		campaign_free(out);
	return ok;
}

int campaigns_get(sqlite3 *db, int64_t app_id, int64_t id, struct campaign *out,
                  struct ccon_error *err)
{
	sqlite3_stmt *st;
	int rc, found = 0;

	memset(out, 0, sizeof(*out));
	if (sqlite3_prepare_v2(db, "SELECT " COLUMNS " FROM campaigns WHERE id = ?1 AND app_id = ?2",
	                       -1, &st, NULL) != SQLITE_OK)
		return store_fail(db, err, "reading a campaign");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, app_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		found = read_row(st, out) ? 1 : ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	else if (rc != SQLITE_DONE)
		found = store_fail(db, err, "reading a campaign");
	sqlite3_finalize(st);
	return found;
}

int campaigns_set_dispatched(sqlite3 *db, int64_t id, struct ccon_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, "UPDATE campaigns SET dispatched = 1 WHERE id = ?1", -1, &st,
	                       NULL) != SQLITE_OK)
		return store_fail(db, err, "dispatching a campaign");
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_fail(db, err, "dispatching a campaign");
	if (sqlite3_changes(db) != 1)
		return ccon_error_set(err, CCON_E_NOT_FOUND, "no campaign %lld", (long long)id);
	return 0;
}

static int count_campaigns(sqlite3 *db, int64_t app_id, int64_t *total, struct ccon_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM campaigns WHERE app_id = ?1", -1, &st,
	                       NULL) != SQLITE_OK)
		return store_fail(db, err, "counting campaigns");
	sqlite3_bind_int64(st, 1, app_id);
	rc = sqlite3_step(st);
	*total = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : store_fail(db, err, "counting campaigns");
}

void campaigns_list_free(struct campaign *items, size_t n)
{
	for (size_t i = 0; items && i < n; i++)
		campaign_free(&items[i]);
	free(items);
}

int campaigns_list(sqlite3 *db, int64_t app_id, int64_t skip, int64_t take,
                   struct campaign **items, size_t *n, int64_t *total, struct ccon_error *err)
{
	sqlite3_stmt *st;
	int rc = SQLITE_DONE;

	*items = NULL;
	*n = 0;
	if (take < 1 || take > CAMPAIGNS_TAKE_MAX || skip < 0)
		return ccon_error_set(err, CCON_E_INVALID_ARGUMENT, "a page is 1..%d items from 0",
		                      CAMPAIGNS_TAKE_MAX);
	if (count_campaigns(db, app_id, total, err) < 0)
		return -1;
	*items = calloc((size_t)take, sizeof(**items));
	if (!*items)
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	/* ids grow with creation: newest first is the index order backwards */
	if (sqlite3_prepare_v2(db, "SELECT " COLUMNS " FROM campaigns WHERE app_id = ?1 "
	                           "ORDER BY id DESC LIMIT ?2 OFFSET ?3", -1, &st, NULL) != SQLITE_OK) {
		campaigns_list_free(*items, 0);
		*items = NULL;
		return store_fail(db, err, "listing campaigns");
	}
	sqlite3_bind_int64(st, 1, app_id);
	sqlite3_bind_int64(st, 2, take);
	sqlite3_bind_int64(st, 3, skip);
	while (*n < (size_t)take && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!read_row(st, &(*items)[*n])) {
			rc = SQLITE_NOMEM;
			break;
		}
		(*n)++;
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE || rc == SQLITE_ROW)
		return 0;
	campaigns_list_free(*items, *n);
	*items = NULL;
	*n = 0;
	return rc == SQLITE_NOMEM ? ccon_error_set(err, CCON_E_NOMEM, "out of memory")
	                          : store_fail(db, err, "listing campaigns");
}

/* ------------------------------------------------------------- views */

/* A JSON array of strings as borrowed pointers into the tree (*json owns
 * it); items NULL and n 0 when text is NULL or not such an array. false
 * when out of memory: ccond writes these columns itself (JSON arrays), so
 * text that cJSON cannot parse is cJSON out of memory, never "no names"
 * (an answer without its templateParams, a send not checked for them). */
static bool borrow_strings(const char *text, cJSON **json, char ***items, size_t *n)
{
	const cJSON *it;
	size_t i = 0;

	*json = NULL;
	*items = NULL;
	*n = 0;
	if (!text)
		return true;
	*json = cJSON_Parse(text);
	if (!*json)
		return false;
	if (!cJSON_IsArray(*json))
		return true;
	*items = calloc((size_t)cJSON_GetArraySize(*json) + 1, sizeof(**items));
	if (!*items)
		return false;
	cJSON_ArrayForEach(it, *json)
		if (cJSON_IsString(it))
			(*items)[i++] = it->valuestring;
	*n = i;
	return true;
}

cJSON *campaign_to_json(const struct campaign *c)
{
	struct ccon_rest_campaign_info ci;
	cJSON *params_json = NULL, *tags_json = NULL, *out = NULL;
	bool ok;

	memset(&ci, 0, sizeof(ci));
	ci.id = c->id;
	ci.created_us = c->created_us;
	ci.origin = c->origin;
	/* borrowed: ci is never freed, only its arrays */
	ci.def.name = c->name;
	ci.def.channel = c->channel;
	if (!c->campaign_type || ccon_campaign_type_parse(c->campaign_type, &ci.def.type) < 0)
		ci.def.type = CCON_CAMPAIGN_BATCH;
	ci.def.template_name = c->template_name;
	ci.def.template_body = c->template_body;
	ci.def.has_template_params = c->template_params != NULL;
	ci.def.language = c->language;
	ci.def.flow_id = c->flow_id;
	ci.def.state_id = c->state_id;
	ci.def.master_state = c->master_state;
	ci.def.source_application = c->source_application;
	ci.def.campaign_sender = c->campaign_sender;
	ok = borrow_strings(c->template_params, &params_json, &ci.def.template_params,
	                    &ci.def.n_template_params) &&
	     borrow_strings(c->tags, &tags_json, &ci.def.tags, &ci.def.n_tags);
	if (ok && ccon_rest_campaign_info_encode(&ci, &out) < 0)
		out = NULL;
	free(ci.def.template_params);
	free(ci.def.tags);
	cJSON_Delete(params_json);
	cJSON_Delete(tags_json);
	return out;
}

static char **names_copy(char *const *names, size_t n)
{
	char **vars = calloc(n + 1, sizeof(*vars));

	for (size_t i = 0; vars && i < n; i++) {
		vars[i] = strdup(names[i]);
		if (!vars[i]) {
			campaign_variables_free(vars);
			return NULL;
		}
	}
	return vars;
}

char **campaign_variables(const struct campaign *c)
{
	struct ccon_template_vars tv = { NULL, 0 };
	struct ccon_error err;
	cJSON *json;
	char **items, **vars;
	size_t n;

	if (c->template_params) {
		if (!borrow_strings(c->template_params, &json, &items, &n))
			vars = NULL;
		else
			vars = names_copy(items, n);
		free(items);
		cJSON_Delete(json);
		return vars;
	}
	ccon_error_clear(&err);
	/* a body that does not parse names nothing */
	if (c->template_body && ccon_template_variables(c->template_body, &tv, &err) < 0 &&
	    err.code == CCON_E_NOMEM)
		return NULL;
	vars = names_copy(tv.names, tv.count);
	ccon_template_vars_free(&tv);
	return vars;
}

void campaign_variables_free(char **vars)
{
	for (size_t i = 0; vars && vars[i]; i++)
		free(vars[i]);
	free(vars);
}
