/* Seed 003 transactional sends and seed 004 single WhatsApp messages,
 * against the real ccond: answers, every refusal with its code and path,
 * contacts (duplicates, disabled, created once), timing, dry runs and
 * idempotency, with stored data read back through the API. */
#include "config.h"

#include "harness.h"
#include "suites.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TX "/v1/campaigns/transactional/send"
#define WA "/v1/whatsapp/messages"
#define BODY_MAX 40000

struct fx {
	struct server s;
	int64_t app;
	char key[128];
	char bearer[160];
	char cmd_auth[160];
	int64_t sms;            /* an SMS campaign needing {{name}} and {{code}} */
};

static void fx_app(struct fx *f)
{
	server_create_app(&f->s, "tx", &f->app, f->key, sizeof(f->key));
	snprintf(f->bearer, sizeof(f->bearer), "Bearer %s", f->key);
	snprintf(f->cmd_auth, sizeof(f->cmd_auth), "Key %s", f->key);
}

static int64_t create_campaign(const struct fx *f, const char *body)
{
	struct reply r;
	char path[96];
	cJSON *id;
	int64_t v;

	snprintf(path, sizeof(path), "/v1/applications/%lld/campaigns", (long long)f->app);
	http_call(&f->s, "POST", path, f->bearer, NULL, body, strlen(body), NULL, &r);
	ck_assert_msg(r.status == 201 || r.status == 200, "campaign create: %ld %s", r.status, r.body);
	id = cJSON_GetObjectItemCaseSensitive(r.json, "id");
	ck_assert_msg(cJSON_IsNumber(id), "campaign answer without id: %s", r.body);
	v = (int64_t)id->valuedouble;
	reply_free(&r);
	return v;
}

/* A server with one application and no campaign. */
static void fx_start_bare(struct fx *f)
{
	memset(f, 0, sizeof(*f));
	server_start(&f->s, NULL);
	fx_app(f);
}

static void fx_start(struct fx *f)
{
	fx_start_bare(f);
	f->sms = create_campaign(f, "{\"name\":\"otp\",\"channel\":\"sms\","
	                            "\"templateBody\":\"Hi {{name}}, your code is {{code}}\"}");
}

static void post(const struct fx *f, const char *path, const char *body, const char *header,
                 struct reply *r)
{
	http_call(&f->s, "POST", path, f->bearer, NULL, body, strlen(body), header, r);
}

/* A transactional body for the SMS campaign with the given contacts. */
static void tx_body(char *buf, size_t size, int64_t campaign, const char *extra,
                    const char *contacts)
{
	snprintf(buf, size, "{\"campaignId\":%lld,%s\"contacts\":[%s]}", (long long)campaign,
	         extra ? extra : "", contacts);
}

static void post_tx(const struct fx *f, const char *extra, const char *contacts,
                    const char *header, struct reply *r)
{
	static char body[BODY_MAX];

	tx_body(body, sizeof(body), f->sms, extra, contacts);
	post(f, TX, body, header, r);
}

static const cJSON *jget(const cJSON *j, const char *dotted)
{
	char buf[128], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", dotted);
	for (tok = strtok_r(buf, ".", &save); tok && j; tok = strtok_r(NULL, ".", &save))
		j = cJSON_IsArray(j) ? cJSON_GetArrayItem(j, atoi(tok))
		                     : cJSON_GetObjectItemCaseSensitive(j, tok);
	return j;
}

static double jnum(const cJSON *j, const char *dotted)
{
	const cJSON *n = jget(j, dotted);

	ck_assert_msg(cJSON_IsNumber(n), "%s is not a number", dotted);
	return n->valuedouble;
}

static const char *jstr(const cJSON *j, const char *dotted)
{
	const cJSON *n = jget(j, dotted);

	ck_assert_msg(cJSON_IsString(n), "%s is not a string", dotted);
	return n->valuestring;
}

static void expect_error(const struct reply *r, long status, const char *code, const char *path)
{
	ck_assert_msg(r->status == status, "status %ld (want %ld): %s", r->status, status, r->body);
	ck_assert_msg(reply_str(r, "code") && strcmp(reply_str(r, "code"), code) == 0,
	              "code (want %s): %s", code, r->body);
	ck_assert_msg(reply_str(r, "message") && *reply_str(r, "message"), "no message: %s", r->body);
	if (path)
		ck_assert_msg(reply_str(r, "path") && strcmp(reply_str(r, "path"), path) == 0,
		              "path (want %s): %s", path, r->body);
}

static void expect_counts(const struct reply *r, int accepted, int rejected, int duplicates,
                          int disabled)
{
	ck_assert_msg(r->status == 202, "status %ld: %s", r->status, r->body);
	ck_assert_msg(jnum(r->json, "recipients.accepted") == accepted &&
	              jnum(r->json, "recipients.rejected") == rejected &&
	              jnum(r->json, "recipients.duplicates") == duplicates &&
	              jnum(r->json, "recipients.disabled") == disabled,
	              "counts (want %d/%d/%d/%d): %s", accepted, rejected, duplicates, disabled,
	              r->body);
}

/* Seed 002's get /audiences/{id}: every recipient of the campaign. */
static void audience(const struct fx *f, int64_t campaign, struct reply *r)
{
	char body[256];

	snprintf(body, sizeof(body),
	         "{\"id\":\"it-aud\",\"to\":\"postmaster@activecampaign.msging.net\","
	         "\"method\":\"get\",\"uri\":\"/audiences/%lld?$take=100\"}", (long long)campaign);
	http_call(&f->s, "POST", "/commands", f->cmd_auth, NULL, body, strlen(body), NULL, r);
	ck_assert_msg(r->status == 200, "audience: %ld %s", r->status, r->body);
	ck_assert_msg(reply_str(r, "status") && strcmp(reply_str(r, "status"), "success") == 0,
	              "audience: %s", r->body);
}

static int audience_total(const struct fx *f, int64_t campaign)
{
	struct reply r;
	int n;

	audience(f, campaign, &r);
	n = (int)cJSON_GetArraySize(jget(r.json, "resource.items"));
	reply_free(&r);
	return n;
}

/* The audience item of that recipient (a detached copy), or NULL. */
static cJSON *audience_item(const struct fx *f, int64_t campaign, const char *recipient)
{
	const cJSON *it;
	cJSON *out = NULL;
	struct reply r;

	audience(f, campaign, &r);
	cJSON_ArrayForEach(it, jget(r.json, "resource.items")) {
		const cJSON *rc = cJSON_GetObjectItemCaseSensitive(it, "recipient");

		if (cJSON_IsString(rc) && strcmp(rc->valuestring, recipient) == 0 && !out)
			out = cJSON_Duplicate(it, 1);
	}
	reply_free(&r);
	return out;
}

/* Marks a contact disabled through the contacts API. */
static void disable_contact(struct fx *f, const char *phone)
{
	char path[160], enc[40];
	struct reply r;
	const cJSON *items;
	int64_t id;

	snprintf(enc, sizeof(enc), "%%2B%s", phone[0] == '+' ? phone + 1 : phone);
	snprintf(path, sizeof(path), "/v1/applications/%lld/contacts?phone=%s", (long long)f->app, enc);
	http_call(&f->s, "GET", path, f->bearer, NULL, NULL, 0, NULL, &r);
	ck_assert_msg(r.status == 200, "%s", r.body);
	items = cJSON_GetObjectItem(r.json, "items");
	ck_assert_int_eq(cJSON_GetArraySize(items), 1);
	id = (int64_t)cJSON_GetObjectItem(cJSON_GetArrayItem(items, 0), "id")->valuedouble;
	reply_free(&r);
	snprintf(path, sizeof(path), "/v1/applications/%lld/contacts/%lld", (long long)f->app,
	         (long long)id);
	http_call(&f->s, "PUT", path, f->bearer, NULL, "{\"disabled\":true}", 17, NULL, &r);
	ck_assert_msg(r.status == 200, "%s", r.body);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "disabled")));
	reply_free(&r);
	/* another application cannot touch it */
	snprintf(path, sizeof(path), "/v1/applications/%lld/contacts/%lld", (long long)f->app + 1,
	         (long long)id);
	http_call(&f->s, "PUT", path, f->bearer, NULL, "{\"disabled\":false}", 18, NULL, &r);
	ck_assert_int_eq(r.status, 404);
	reply_free(&r);
}

static void iso_in(char *buf, size_t size, long seconds)
{
	time_t t = time(NULL) + seconds;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

#define FIELDS "\"customFields\":{\"name\":\"Ana\",\"code\":\"1234\"}"

/* ------------------------------------------------------- transactional */

START_TEST(tx_seed_example)
{
	char when[32], extra[256];
	struct fx f;
	struct reply r;
	cJSON *item;

	fx_start(&f);
	iso_in(when, sizeof(when), 3600);
	snprintf(extra, sizeof(extra),
	         "\"scheduleDate\":\"%s\",\"flash\":true,\"nlsMode\":\"spanish\","
	         "\"sendTypeOverride\":\"all\",", when);
	post_tx(&f, extra,
	        "{\"phoneNumber\":\"611111111\",\"countryCode\":\"34\"," FIELDS
	        ",\"externalReference\":\"ref-1\",\"originData\":{\"crm\":\"x\"}},"
	        "{\"e164\":\"+34622222222\"," FIELDS "},"
	        "{\"externalCode\":\"cust-3\",\"phoneNumber\":\"+34633333333\"," FIELDS "}",
	        NULL, &r);
	expect_counts(&r, 3, 0, 0, 0);
	ck_assert_int_ge(jnum(r.json, "taskId"), 1);
	ck_assert_int_eq(jnum(r.json, "campaignId"), f.sms);
	ck_assert_str_eq(jstr(r.json, "status"), "scheduled");
	ck_assert_str_eq(jstr(r.json, "timing"), "schedule");
	ck_assert_str_eq(jstr(r.json, "sendAt"), when);
	ck_assert(cJSON_IsFalse(jget(r.json, "dryRun")));
	reply_free(&r);
	ck_assert_int_eq(audience_total(&f, f.sms), 3);
	item = audience_item(&f, f.sms, "+34611111111");
	ck_assert_ptr_nonnull(item);
	ck_assert_str_eq(jstr(item, "messageParams.name"), "Ana");
	ck_assert_str_eq(jstr(item, "messageParams.code"), "1234");
	cJSON_Delete(item);
	server_destroy(&f.s);
}
END_TEST

START_TEST(tx_campaign_id_rules)
{
	struct fx f, other;
	struct reply r;
	char body[512];
	int64_t wa;

	fx_start(&f);
	post(&f, TX, "{\"contacts\":[{\"e164\":\"+34611111111\"}]}", NULL, &r);
	expect_error(&r, 400, "missing_field", "campaignId");
	reply_free(&r);
	tx_body(body, sizeof(body), 999, NULL, "{\"e164\":\"+34611111111\"," FIELDS "}");
	post(&f, TX, body, NULL, &r);
	expect_error(&r, 404, "not_found", "campaignId");
	reply_free(&r);
	/* another application's campaign is 404 too, never 403 */
	other = f;
	server_create_app(&f.s, "other", &other.app, other.key, sizeof(other.key));
	snprintf(other.bearer, sizeof(other.bearer), "Bearer %s", other.key);
	tx_body(body, sizeof(body), f.sms, NULL, "{\"e164\":\"+34611111111\"," FIELDS "}");
	post(&other, TX, body, NULL, &r);
	expect_error(&r, 404, "not_found", "campaignId");
	reply_free(&r);
	/* a transactional send takes SMS campaigns */
	wa = create_campaign(&f, "{\"name\":\"w\",\"channel\":\"whatsapp\",\"templateName\":\"hello\"}");
	tx_body(body, sizeof(body), wa, NULL, "{\"e164\":\"+34611111111\"}");
	post(&f, TX, body, NULL, &r);
	expect_error(&r, 400, "invalid_value", "campaignId");
	reply_free(&r);
	ck_assert_int_eq(audience_total(&f, f.sms), 0);
	server_destroy(&f.s);
}
END_TEST

START_TEST(tx_contact_refusals)
{
	struct fx f;
	struct reply r;

	fx_start(&f);
	post_tx(&f, NULL, "{" FIELDS "}", NULL, &r);
	expect_error(&r, 400, "missing_field", "contacts[0]");
	reply_free(&r);
	post_tx(&f, NULL, "{\"e164\":\"+34611111111\"," FIELDS "},{\"e164\":\"+3461\"," FIELDS "}",
	        NULL, &r);
	expect_error(&r, 400, "phone_too_short", "contacts[1].e164");
	reply_free(&r);
	post_tx(&f, NULL, "{\"phoneNumber\":\"611111111\"," FIELDS "}", NULL, &r);
	expect_error(&r, 400, "phone_missing_country_code", "contacts[0].phoneNumber");
	reply_free(&r);
	post_tx(&f, "\"nlsMode\":\"latin\",", "{\"e164\":\"+34611111111\"," FIELDS "}", NULL, &r);
	expect_error(&r, 400, "invalid_value", "nlsMode");
	reply_free(&r);
	post_tx(&f, "\"sendTypeOverride\":\"some\",", "{\"e164\":\"+34611111111\"," FIELDS "}",
	        NULL, &r);
	expect_error(&r, 400, "invalid_value", "sendTypeOverride");
	reply_free(&r);
	post_tx(&f, NULL, "", NULL, &r);
	expect_error(&r, 400, "contacts_count", "contacts");
	reply_free(&r);
	/* the template needs {{code}}: the second contact lacks it */
	post_tx(&f, NULL,
	        "{\"e164\":\"+34611111111\"," FIELDS "},"
	        "{\"e164\":\"+34622222222\",\"customFields\":{\"name\":\"Bo\",\"extra\":\"1\"}}",
	        NULL, &r);
	expect_error(&r, 400, "invalid_value", NULL);
	ck_assert_int_eq(cJSON_GetArraySize(jget(r.json, "errors")), 1);
	ck_assert_str_eq(jstr(r.json, "errors.0.code"), "template_missing_variable");
	ck_assert_str_eq(jstr(r.json, "errors.0.path"), "contacts[1].customFields");
	ck_assert_ptr_nonnull(strstr(jstr(r.json, "errors.0.message"), "'code'"));
	reply_free(&r);
	post(&f, TX, "{\"campaignId\":", NULL, &r);
	expect_error(&r, 400, "invalid_json", NULL);
	reply_free(&r);
	http_call(&f.s, "POST", TX, f.bearer, "text/plain", "x", 1, NULL, &r);
	expect_error(&r, 415, "unsupported_content_type", NULL);
	reply_free(&r);
	/* nothing of the above was stored */
	ck_assert_int_eq(audience_total(&f, f.sms), 0);
	server_destroy(&f.s);
}
END_TEST

START_TEST(tx_e164_takes_precedence)
{
	struct fx f;
	struct reply r;
	cJSON *item;

	fx_start(&f);
	post_tx(&f, NULL,
	        "{\"e164\":\"+34611111111\",\"phoneNumber\":\"not a phone\",\"countryCode\":\"999\","
	        FIELDS "}", NULL, &r);
	expect_counts(&r, 1, 0, 0, 0);
	reply_free(&r);
	ck_assert_int_eq(audience_total(&f, f.sms), 1);
	item = audience_item(&f, f.sms, "+34611111111");
	ck_assert_ptr_nonnull(item);
	ck_assert_str_eq(jstr(item, "channelType"), "sms");
	cJSON_Delete(item);
	server_destroy(&f.s);
}
END_TEST

START_TEST(tx_duplicates_and_disabled_removed)
{
	struct fx f;
	struct reply r;
	const char *contacts =
		"{\"e164\":\"+34611111111\",\"externalCode\":\"ana\"," FIELDS "},"
		"{\"phoneNumber\":\"+34 611 111 111\"," FIELDS "},"       /* same phone */
		"{\"externalCode\":\"ana\"," FIELDS "},"                   /* same contact */
		"{\"e164\":\"+34622222222\",\"externalCode\":\"bo\"," FIELDS "}";

	fx_start(&f);
	post_tx(&f, NULL, contacts, NULL, &r);
	/* "ana" by code only is not known yet when the request arrives, but it is
	 * by the time the pipeline resolves it: the same contact, a duplicate */
	expect_counts(&r, 2, 0, 2, 0);
	reply_free(&r);
	disable_contact(&f, "+34622222222");
	post_tx(&f, NULL, contacts, NULL, &r);
	expect_counts(&r, 1, 0, 2, 1);
	reply_free(&r);
	ck_assert_int_eq(audience_total(&f, f.sms), 3);
	/* only disabled contacts: nothing to send */
	post_tx(&f, NULL, "{\"externalCode\":\"bo\"," FIELDS "}", NULL, &r);
	expect_error(&r, 400, "contacts_count", NULL);
	reply_free(&r);
	ck_assert_int_eq(audience_total(&f, f.sms), 3);
	server_destroy(&f.s);
}
END_TEST

START_TEST(tx_unknown_contacts)
{
	struct fx f;
	struct reply r;
	const cJSON *e;
	cJSON *item;

	fx_start(&f);
	/* unknown, with a phone: created with its external code */
	post_tx(&f, NULL, "{\"externalCode\":\"cust-1\",\"e164\":\"+34644444444\"," FIELDS "}",
	        NULL, &r);
	expect_counts(&r, 1, 0, 0, 0);
	reply_free(&r);
	/* by its code alone, the second send finds the same contact */
	post_tx(&f, NULL, "{\"externalCode\":\"cust-1\"," FIELDS "},"
	        "{\"externalCode\":\"nobody\"," FIELDS "}", NULL, &r);
	expect_counts(&r, 1, 1, 0, 0);
	e = jget(r.json, "errors.0");
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(jstr(e, "path"), "contacts[1].externalCode");
	ck_assert_ptr_nonnull(strstr(jstr(e, "message"), "nobody"));
	reply_free(&r);
	ck_assert_int_eq(audience_total(&f, f.sms), 2);
	item = audience_item(&f, f.sms, "+34644444444");
	ck_assert_ptr_nonnull(item);
	cJSON_Delete(item);
	/* and the contact was not made twice: giving the phone with another code
	 * still finds one contact (phone first), the code is no second contact */
	post_tx(&f, NULL, "{\"externalCode\":\"cust-1\"," FIELDS "},"
	        "{\"e164\":\"+34644444444\"," FIELDS "}", NULL, &r);
	expect_counts(&r, 1, 0, 1, 0);
	reply_free(&r);
	/* only unknown codes: refused with every row listed */
	post_tx(&f, NULL, "{\"externalCode\":\"x1\"," FIELDS "},{\"externalCode\":\"x2\"," FIELDS "}",
	        NULL, &r);
	expect_error(&r, 400, "contacts_count", NULL);
	ck_assert_int_eq(cJSON_GetArraySize(jget(r.json, "errors")), 2);
	ck_assert_str_eq(jstr(r.json, "errors.1.path"), "contacts[1].externalCode");
	reply_free(&r);
	ck_assert_int_eq(audience_total(&f, f.sms), 3);
	server_destroy(&f.s);
}
END_TEST

START_TEST(tx_schedule_date_window)
{
	char when[32], extra[128];
	struct fx f;
	struct reply r;
	const char *one = "{\"e164\":\"+34611111111\"," FIELDS "}";

	fx_start(&f);
	iso_in(when, sizeof(when), -3600);
	snprintf(extra, sizeof(extra), "\"scheduleDate\":\"%s\",", when);
	post_tx(&f, extra, one, NULL, &r);
	expect_error(&r, 400, "send_time_in_past", "scheduleDate");
	reply_free(&r);
	iso_in(when, sizeof(when), 100L * 24 * 3600);
	snprintf(extra, sizeof(extra), "\"scheduleDate\":\"%s\",", when);
	post_tx(&f, extra, one, NULL, &r);
	expect_error(&r, 400, "send_time_too_far", "scheduleDate");
	reply_free(&r);
	post_tx(&f, "\"scheduleDate\":\"tomorrow\",", one, NULL, &r);
	expect_error(&r, 400, "invalid_datetime", "scheduleDate");
	reply_free(&r);
	iso_in(when, sizeof(when), 80L * 24 * 3600);
	snprintf(extra, sizeof(extra), "\"scheduleDate\":\"%s\",", when);
	post_tx(&f, extra, one, NULL, &r);
	expect_counts(&r, 1, 0, 0, 0);
	ck_assert_str_eq(jstr(r.json, "sendAt"), when);
	reply_free(&r);
	server_destroy(&f.s);
}
END_TEST

START_TEST(tx_dry_run_creates_nothing)
{
	struct fx f;
	struct reply r;
	const char *key = "Idempotency-Key: tx-dry-1";
	int64_t task;
	char *first;

	fx_start(&f);
	{
		static char body[1024];

		tx_body(body, sizeof(body), f.sms, NULL,
		        "{\"e164\":\"+34611111111\"," FIELDS "},{\"e164\":\"+34611111111\"," FIELDS "}");
		post(&f, TX "?dryRun=true", body, key, &r);
		ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
		ck_assert(cJSON_IsTrue(jget(r.json, "dryRun")));
		ck_assert(cJSON_IsNull(jget(r.json, "taskId")));
		ck_assert_int_eq(jnum(r.json, "recipients.accepted"), 1);
		ck_assert_int_eq(jnum(r.json, "recipients.duplicates"), 1);
		ck_assert_ptr_nonnull(jget(r.json, "slicing.plan"));
		reply_free(&r);
		ck_assert_int_eq(audience_total(&f, f.sms), 0);
		/* the key was not spent by the dry run: the real send is new */
		post(&f, TX, body, key, &r);
		ck_assert_int_eq(r.status, 202);
		task = (int64_t)jnum(r.json, "taskId");
		first = strdup(r.body);
		reply_free(&r);
		post(&f, TX, body, key, &r);
		ck_assert_int_eq(r.status, 202);
		ck_assert_str_eq(r.body, first);
		ck_assert_int_eq(jnum(r.json, "taskId"), task);
		reply_free(&r);
		free(first);
	}
	ck_assert_int_eq(audience_total(&f, f.sms), 1);
	server_destroy(&f.s);
}
END_TEST

START_TEST(tx_dry_run_creates_no_contact)
{
	struct fx f;
	struct reply r;

	fx_start(&f);
	{
		static char body[1024];

		tx_body(body, sizeof(body), f.sms, NULL,
		        "{\"externalCode\":\"dry-1\",\"e164\":\"+34655555555\"," FIELDS "}");
		post(&f, TX "?dryRun=true", body, NULL, &r);
		ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
		ck_assert_int_eq(jnum(r.json, "recipients.accepted"), 1);
		reply_free(&r);
	}
	post_tx(&f, NULL, "{\"externalCode\":\"dry-1\"," FIELDS "},{\"e164\":\"+34611111111\","
	        FIELDS "}", NULL, &r);
	expect_counts(&r, 1, 1, 0, 0);
	ck_assert_str_eq(jstr(r.json, "errors.0.path"), "contacts[0].externalCode");
	reply_free(&r);
	server_destroy(&f.s);
}
END_TEST

START_TEST(tx_idempotency)
{
	struct fx f;
	struct reply r;
	const char *key = "Idempotency-Key: tx-key-1";
	char *first;

	fx_start(&f);
	post_tx(&f, NULL, "{\"e164\":\"+34611111111\"," FIELDS "}", key, &r);
	ck_assert_int_eq(r.status, 202);
	first = strdup(r.body);
	reply_free(&r);
	post_tx(&f, NULL, "{\"e164\":\"+34611111111\"," FIELDS "}", key, &r);
	ck_assert_int_eq(r.status, 202);
	ck_assert_str_eq(r.body, first);
	reply_free(&r);
	/* survives a restart */
	server_restart(&f.s);
	post_tx(&f, NULL, "{\"e164\":\"+34611111111\"," FIELDS "}", key, &r);
	ck_assert_int_eq(r.status, 202);
	ck_assert_str_eq(r.body, first);
	reply_free(&r);
	post_tx(&f, NULL, "{\"e164\":\"+34622222222\"," FIELDS "}", key, &r);
	expect_error(&r, 422, "conflict", NULL);
	reply_free(&r);
	free(first);
	ck_assert_int_eq(audience_total(&f, f.sms), 1);
	server_destroy(&f.s);
}
END_TEST

/* ------------------------------------------------------------ WhatsApp */

/* The application's campaigns named "WhatsApp messages": how many, and
 * the id of the last. */
static int wa_campaigns(const struct fx *f, int64_t *id)
{
	const cJSON *it, *list;
	struct reply r;
	char path[96];
	int n = 0;

	snprintf(path, sizeof(path), "/v1/applications/%lld/campaigns", (long long)f->app);
	http_call(&f->s, "GET", path, f->bearer, NULL, NULL, 0, NULL, &r);
	ck_assert_msg(r.status == 200, "campaign list: %ld %s", r.status, r.body);
	list = cJSON_IsArray(r.json) ? r.json : jget(r.json, "items");
	cJSON_ArrayForEach(it, list) {
		const cJSON *name = cJSON_GetObjectItemCaseSensitive(it, "name");

		if (cJSON_IsString(name) && strcmp(name->valuestring, "WhatsApp messages") == 0) {
			n++;
			*id = (int64_t)jnum(it, "id");
		}
	}
	reply_free(&r);
	return n;
}

static int64_t tracking_task(const char *tracking)
{
	ck_assert_ptr_nonnull(tracking);
	ck_assert_msg(strncmp(tracking, "wa-", 3) == 0, "trackingId %s", tracking);
	return strtoll(tracking + 3, NULL, 10);
}

START_TEST(wa_text_message)
{
	struct fx f;
	struct reply r;
	int64_t camp = 0, t1, t2;
	cJSON *item;
	char task[32];

	fx_start_bare(&f);
	post(&f, WA, "{\"from\":\"+34600000000\",\"to\":\"0034611111111\",\"text\":\"Hola ñ\"}",
	     NULL, &r);
	ck_assert_msg(r.status == 202, "%ld %s", r.status, r.body);
	t1 = tracking_task(reply_str(&r, "trackingId"));
	ck_assert_int_ge(t1, 1);
	ck_assert_ptr_nonnull(reply_str(&r, "createdAt"));
	ck_assert_int_eq(reply_str(&r, "createdAt")[strlen(reply_str(&r, "createdAt")) - 1], 'Z');
	ck_assert_int_eq(cJSON_GetArraySize(r.json), 2);
	reply_free(&r);
	post(&f, WA, "{\"from\":\"+34600000000\",\"to\":\"+34622222222\",\"text\":\"again\"}", NULL,
	     &r);
	ck_assert_int_eq(r.status, 202);
	t2 = tracking_task(reply_str(&r, "trackingId"));
	ck_assert_int_ne(t1, t2);
	reply_free(&r);
	/* one implicit campaign holds both messages */
	ck_assert_int_eq(wa_campaigns(&f, &camp), 1);
	ck_assert_int_eq(audience_total(&f, camp), 2);
	item = audience_item(&f, camp, "+34611111111");
	ck_assert_ptr_nonnull(item);
	snprintf(task, sizeof(task), "%lld", (long long)t1);
	ck_assert_str_eq(jstr(item, "taskId"), task);
	ck_assert_str_eq(jstr(item, "messageParams.text"), "Hola ñ");
	ck_assert_str_eq(jstr(item, "messageParams.from"), "+34600000000");
	cJSON_Delete(item);
	server_destroy(&f.s);
}
END_TEST

START_TEST(wa_each_application_its_own_campaign)
{
	const char *msg = "{\"from\":\"+34600000000\",\"to\":\"+34611111111\",\"text\":\"x\"}";
	struct fx f, other;
	struct reply r;
	int64_t camp_a = 0, camp_b = 0;

	fx_start_bare(&f);
	post(&f, WA, msg, NULL, &r);
	ck_assert_int_eq(r.status, 202);
	reply_free(&r);
	other = f;
	server_create_app(&f.s, "other", &other.app, other.key, sizeof(other.key));
	snprintf(other.bearer, sizeof(other.bearer), "Bearer %s", other.key);
	snprintf(other.cmd_auth, sizeof(other.cmd_auth), "Key %s", other.key);
	ck_assert_int_eq(wa_campaigns(&other, &camp_b), 0);
	post(&other, WA, msg, NULL, &r);
	ck_assert_int_eq(r.status, 202);
	reply_free(&r);
	ck_assert_int_eq(wa_campaigns(&f, &camp_a), 1);
	ck_assert_int_eq(wa_campaigns(&other, &camp_b), 1);
	ck_assert_int_ne(camp_a, camp_b);
	ck_assert_int_eq(audience_total(&f, camp_a), 1);
	ck_assert_int_eq(audience_total(&other, camp_b), 1);
	server_destroy(&f.s);
}
END_TEST

START_TEST(wa_group_and_media)
{
	struct fx f;
	struct reply r;
	int64_t camp = 0;
	cJSON *item;

	fx_start_bare(&f);
	post(&f, WA, "{\"from\":\"+34600000000\",\"to\":\"120363025246125486@g.us\",\"text\":\"hi\","
	     "\"image\":\"https://example.com/a.png\",\"caption\":\"look\","
	     "\"longitude\":-3.7,\"latitude\":40.4,\"locationName\":\"Sol\","
	     "\"template\":{\"name\":\"hello\",\"language\":\"es\"}}", NULL, &r);
	ck_assert_msg(r.status == 202, "%ld %s", r.status, r.body);
	reply_free(&r);
	ck_assert_int_eq(wa_campaigns(&f, &camp), 1);
	item = audience_item(&f, camp, "120363025246125486@g.us");
	ck_assert_ptr_nonnull(item);
	ck_assert_str_eq(jstr(item, "recipientType"), "group");
	ck_assert_str_eq(jstr(item, "messageParams.image"), "https://example.com/a.png");
	ck_assert_str_eq(jstr(item, "messageParams.caption"), "look");
	ck_assert_str_eq(jstr(item, "messageParams.locationName"), "Sol");
	ck_assert_double_eq_tol(atof(jstr(item, "messageParams.latitude")), 40.4, 1e-9);
	ck_assert_ptr_nonnull(strstr(jstr(item, "messageParams.template"), "hello"));
	cJSON_Delete(item);
	server_destroy(&f.s);
}
END_TEST

static char *repeat(const char *s, size_t n)
{
	size_t len = strlen(s);
	char *out = malloc(len * n + 1);

	ck_assert_ptr_nonnull(out);
	for (size_t i = 0; i < n; i++)
		memcpy(out + i * len, s, len);
	out[len * n] = '\0';
	return out;
}

START_TEST(wa_refusals)
{
	static char body[BODY_MAX];
	struct fx f;
	struct reply r;
	int64_t camp = 0;
	char *text;

#define WA_BASE "{\"from\":\"+34600000000\",\"to\":\"+34611111111\""
	fx_start_bare(&f);
	/* 4070 characters of two bytes each: too long, counted in characters */
	text = repeat("ñ", 4070);
	snprintf(body, sizeof(body), WA_BASE ",\"text\":\"%s\"}", text);
	post(&f, WA, body, NULL, &r);
	expect_error(&r, 400, "invalid_length", "text");
	reply_free(&r);
	free(text);
	post(&f, WA, WA_BASE ",\"text\":\"x\",\"longitude\":0,\"latitude\":180.0001}", NULL, &r);
	expect_error(&r, 400, "out_of_range", "latitude");
	reply_free(&r);
	post(&f, WA, WA_BASE ",\"text\":\"x\",\"caption\":\"alone\"}", NULL, &r);
	expect_error(&r, 400, "invalid_value", "caption");
	reply_free(&r);
	post(&f, WA, WA_BASE ",\"text\":\"x\",\"image\":\"ftp://example.com/a.png\"}", NULL, &r);
	expect_error(&r, 400, "invalid_value", "image");
	reply_free(&r);
	post(&f, WA, WA_BASE ",\"text\":\"x\",\"video\":\"https://example.com/a b.mp4\"}", NULL, &r);
	expect_error(&r, 400, "invalid_value", "video");
	reply_free(&r);
	post(&f, WA, "{\"from\":\"+34600000000\",\"text\":\"x\"}", NULL, &r);
	expect_error(&r, 400, "missing_field", "to");
	reply_free(&r);
	post(&f, WA, "{\"from\":\"+34600000000\",\"to\":\"612\",\"text\":\"x\"}", NULL, &r);
	ck_assert_int_eq(r.status, 400);
	ck_assert_str_eq(reply_str(&r, "path"), "to");
	reply_free(&r);
	http_call(&f.s, "POST", WA, f.bearer, "text/plain", "x", 1, NULL, &r);
	expect_error(&r, 415, "unsupported_content_type", NULL);
	reply_free(&r);
	/* nothing was created, not even the implicit campaign */
	ck_assert_int_eq(wa_campaigns(&f, &camp), 0);
	/* exactly 4069 characters pass */
	text = repeat("ñ", 4069);
	snprintf(body, sizeof(body), WA_BASE ",\"text\":\"%s\"}", text);
	post(&f, WA, body, NULL, &r);
	ck_assert_msg(r.status == 202, "%ld %s", r.status, r.body);
	reply_free(&r);
	free(text);
	server_destroy(&f.s);
#undef WA_BASE
}
END_TEST

START_TEST(wa_dry_run_and_idempotency)
{
	const char *msg = "{\"from\":\"+34600000000\",\"to\":\"+34611111111\",\"text\":\"x\"}";
	const char *key = "Idempotency-Key: wa-key-1";
	struct fx f;
	struct reply r;
	int64_t camp = 0;
	char *first;

	fx_start_bare(&f);
	post(&f, WA "?dryRun=true", msg, NULL, &r);
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	ck_assert(cJSON_IsTrue(jget(r.json, "dryRun")));
	ck_assert_str_eq(reply_str(&r, "trackingId"), "");
	ck_assert_ptr_nonnull(reply_str(&r, "createdAt"));
	ck_assert_ptr_nonnull(jget(r.json, "slicing.plan"));
	reply_free(&r);
	ck_assert_int_eq(wa_campaigns(&f, &camp), 0);
	post(&f, WA, msg, key, &r);
	ck_assert_int_eq(r.status, 202);
	first = strdup(r.body);
	reply_free(&r);
	post(&f, WA, msg, key, &r);
	ck_assert_int_eq(r.status, 202);
	ck_assert_str_eq(r.body, first);
	reply_free(&r);
	server_restart(&f.s);
	post(&f, WA, msg, key, &r);
	ck_assert_int_eq(r.status, 202);
	ck_assert_str_eq(r.body, first);
	reply_free(&r);
	post(&f, WA, "{\"from\":\"+34600000000\",\"to\":\"+34611111111\",\"text\":\"y\"}", key, &r);
	expect_error(&r, 422, "conflict", NULL);
	reply_free(&r);
	free(first);
	ck_assert_int_eq(wa_campaigns(&f, &camp), 1);
	ck_assert_int_eq(audience_total(&f, camp), 1);
	server_destroy(&f.s);
}
END_TEST

Suite *ccon_it_suite_transactional(void)
{
	Suite *s = suite_create("transactional");
	TCase *tx = tcase_create("transactional");
	TCase *wa = tcase_create("whatsapp");

	tcase_set_timeout(tx, 60);
	tcase_add_test(tx, tx_seed_example);
	tcase_add_test(tx, tx_campaign_id_rules);
	tcase_add_test(tx, tx_contact_refusals);
	tcase_add_test(tx, tx_e164_takes_precedence);
	tcase_add_test(tx, tx_duplicates_and_disabled_removed);
	tcase_add_test(tx, tx_unknown_contacts);
	tcase_add_test(tx, tx_schedule_date_window);
	tcase_add_test(tx, tx_dry_run_creates_nothing);
	tcase_add_test(tx, tx_dry_run_creates_no_contact);
	tcase_add_test(tx, tx_idempotency);
	suite_add_tcase(s, tx);
	tcase_set_timeout(wa, 60);
	tcase_add_test(wa, wa_text_message);
	tcase_add_test(wa, wa_each_application_its_own_campaign);
	tcase_add_test(wa, wa_group_and_media);
	tcase_add_test(wa, wa_refusals);
	tcase_add_test(wa, wa_dry_run_and_idempotency);
	suite_add_tcase(s, wa);
	return s;
}
