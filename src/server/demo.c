/* demo.c - the demo application's campaigns, sends and recipients.
 *
 * Rows are written as the send pipeline and (later) the dispatcher leave
 * them: campaigns through campaigns_insert, contacts through
 * contacts_resolve, slot plans by libccon's planner over the store's slot
 * use (so a past send really fills its slots and the flash sale really
 * finds none), and tasks and recipients with their historical statuses by
 * plain INSERTs, since the pipeline only makes pending recipients. */
#include "config.h"

#include "demo.h"

#include "campaigns.h"
#include "contacts.h"
#include "slot_store.h"
#include "store.h"

#include <ccon/datetime.h>
#include <ccon/field.h>
#include <ccon/slots.h>
#include <ccon/timing.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIN_US (INT64_C(60) * CCON_USEC_PER_SEC)
#define HOUR_US (60 * MIN_US)
#define DAY_US (24 * HOUR_US)

#define DEMO_CONTACTS 2000
#define DEMO_SEED UINT64_C(0xcc0d2025de7a0001)

enum outcome {
	OUT_DONE,             /* every recipient handed over, receipts in */
	OUT_RUNNING,          /* handed over up to a minute ago, the rest pending */
	OUT_SCHEDULED,        /* in the next hours, slots reserved */
	OUT_PLANNER_CANCEL,   /* the planner found no place (recipients canceled) */
	OUT_OPERATOR_CANCEL,  /* scheduled, then `delete /campaigns/{id}` */
	OUT_DRAFT,            /* v2, audience added, not dispatched */
};

struct send_spec {
	const char *kind;             /* tasks.kind, as the route that sends it */
	enum outcome outcome;
	int64_t created_off;          /* from the base slot (OUT_RUNNING: from now) */
	int64_t send_off;
	enum ccon_timing_form timing;
	enum ccon_slicing slicing;
	const char *options;          /* tasks.options */
	int recipients;
	int first, stride;            /* contacts first + k * stride (mod DEMO_CONTACTS) */
	int rejected, duplicates;
	int pace_ms;                  /* between two hand-overs; 0: 900 ms */
};

struct campaign_spec {
	const char *name, *channel, *type, *template_name, *body, *params, *language;
	const char *flow_id, *state_id, *master_state, *source, *sender, *tags, *origin;
	bool dispatched;
	int64_t created_off;
	const char *channel_type;     /* the recipients' channelType */
	struct send_spec sends[2];
	size_t n_sends;
};

#define FLOW_MAIN "3f1c9a2e-7b4d-4c1e-9a55-0d2f6c8e1b7a"
#define FLOW_DESK "b81e47d0-29c3-4f6a-8d12-5e9a0c7f3b64"
#define TRANSACTIONAL(flash, nls) \
	"{\"flash\":" flash ",\"nlsMode\":\"" nls "\",\"sendTypeOverride\":\"list\"}"

/* In creation order: ids, created times and summaries' "newest first" agree.
 * The flash sale comes after Black Friday, whose send fills the slot the
 * flash sale wants. */
static const struct campaign_spec campaigns[] = {
	{ "Black Friday reminder", "whatsapp", NULL, "black_friday_reminder",
	  "Hi {{name}}, Black Friday starts on {{date}}: {{discount}} off everything in your "
	  "cart. Tap below to shop.",
	  NULL, "en", NULL, NULL, NULL, NULL, NULL, "[\"marketing\",\"black-friday\"]", "rest",
	  false, -10 * DAY_US, "cloud_api",
	  { { "csv", OUT_DONE, -2 * DAY_US - 6 * HOUR_US, -2 * DAY_US - 6 * HOUR_US, CCON_TIMING_NOW,
	      CCON_SLICING_FRAGMENTED, "{}", 2000, 0, 1, 7, 12, 0 } }, 1 },
	{ "Delivery updates", "whatsapp", NULL, "delivery_update",
	  "Hi {{name}}, your order {{orderId}} is {{orderStatus}}. Track it at {{trackingUrl}}",
	  NULL, "en", NULL, NULL, NULL, NULL, NULL, "[\"transactional\",\"logistics\"]", "rest",
	  false, -9 * DAY_US, "cloud_api",
	  { { "json", OUT_DONE, -DAY_US - 3 * HOUR_US, -DAY_US - 3 * HOUR_US, CCON_TIMING_NOW,
	      CCON_SLICING_FRAGMENTED, "{}", 80, 100, 7, 0, 0, 0 },
	    { "csv", OUT_RUNNING, -20 * MIN_US, -20 * MIN_US, CCON_TIMING_NOW,
	      CCON_SLICING_FRAGMENTED, "{}", 120, 300, 11, 0, 3, 12000 } }, 2 },
	{ "Appointment reminder \u2014 Clinic", "sms", NULL, NULL,
	  "Hi {{name}}, this is a reminder of your appointment with {{doctor}} on {{date}} at "
	  "{{time}}. Reply C to confirm or R to reschedule.",
	  NULL, "en", NULL, NULL, NULL, NULL, NULL, "[\"health\",\"reminders\"]", "rest", false,
	  -8 * DAY_US, "sms",
	  { { "transactional", OUT_SCHEDULED, -2 * HOUR_US, 3 * HOUR_US, CCON_TIMING_SCHEDULE,
	      CCON_SLICING_FRAGMENTED, TRANSACTIONAL("false", "auto"), 45, 500, 13, 0, 1, 0 } }, 1 },
	{ "Two-factor codes", "sms", NULL, NULL,
	  "{{code}} is your {{service}} verification code. It expires in 10 minutes.", NULL, "en",
	  NULL, NULL, NULL, NULL, NULL, "[\"security\"]", "rest", false, -8 * DAY_US + HOUR_US,
	  "sms",
	  { { "transactional", OUT_DONE, -3 * HOUR_US, -3 * HOUR_US, CCON_TIMING_NOW,
	      CCON_SLICING_FRAGMENTED, TRANSACTIONAL("true", "standard"), 40, 700, 17, 0, 0,
	      2000 } }, 1 },
	{ "Payment overdue notice", "sms", NULL, NULL,
	  "Hi {{name}}, invoice {{invoiceId}} of {{amount}} has been overdue since {{dueDate}}. "
	  "Pay at {{payUrl}}",
	  NULL, "en", NULL, NULL, NULL, NULL, NULL, "[\"billing\"]", "rest", false, -7 * DAY_US,
	  "sms",
	  { { "transactional", OUT_OPERATOR_CANCEL, -5 * HOUR_US, DAY_US + 9 * HOUR_US,
	      CCON_TIMING_SCHEDULE, CCON_SLICING_FRAGMENTED, TRANSACTIONAL("false", "auto"), 30,
	      900, 19, 0, 0, 0 } }, 1 },
	{ "Welcome series \u2014 new customers", "whatsapp", "Batch", "welcome_new_customer", NULL,
	  "[\"name\",\"couponCode\"]", "en", FLOW_MAIN, "welcome", "router@demo.msging.net",
	  "Portal", "marketing@demo.msging.net", "[\"onboarding\",\"welcome\"]", "full", false,
	  -5 * DAY_US - 4 * HOUR_US, "WhatsApp",
	  { { "full", OUT_DONE, -5 * DAY_US - 4 * HOUR_US, -5 * DAY_US - 4 * HOUR_US,
	      CCON_TIMING_NOW, CCON_SLICING_FRAGMENTED, "{}", 150, 1000, 23, 0, 0, 0 } }, 1 },
	{ "Weekend flash sale", "whatsapp", "Batch", "flash_sale", NULL, "[\"name\",\"endsAt\"]",
	  "en", FLOW_MAIN, "flash-sale", "router@demo.msging.net", "Broadcast-Plugin",
	  "marketing@demo.msging.net", "[\"marketing\",\"flash-sale\"]", "full", false,
	  -2 * DAY_US - 6 * HOUR_US + 20 * MIN_US, "WhatsApp",
	  { { "full", OUT_PLANNER_CANCEL, -2 * DAY_US - 6 * HOUR_US + 20 * MIN_US,
	      -2 * DAY_US - 6 * HOUR_US + 20 * MIN_US, CCON_TIMING_NOW,
	      CCON_SLICING_IMMEDIATE_CONSECUTIVE, "{}", 60, 1200, 29, 0, 0, 0 } }, 1 },
	{ "Store opening \u2014 RCS", "rcs", "Batch", NULL,
	  "Hi {{name}}! Our new store at {{address}} opens on {{date}}. Show this message at "
	  "the counter for a welcome gift.",
	  "[\"name\",\"address\",\"date\"]", NULL, FLOW_MAIN, "store-opening",
	  "router@demo.msging.net", "Portal", "marketing@demo.msging.net", "[\"retail\",\"rcs\"]",
	  "full", false, -DAY_US - 5 * HOUR_US, "GoogleRcs",
	  { { "full", OUT_DONE, -DAY_US - 5 * HOUR_US, -DAY_US - 5 * HOUR_US, CCON_TIMING_NOW,
	      CCON_SLICING_FRAGMENTED, "{}", 90, 1400, 31, 0, 0, 0 } }, 1 },
	{ "Support ticket follow-up", "whatsapp", "Individual", "support_ticket_update", NULL,
	  "[\"name\",\"ticketId\"]", "en", FLOW_DESK, "ticket-followup", "desk@demo.msging.net",
	  "Desk", "support@demo.msging.net", "[\"support\"]", "full", false,
	  -DAY_US - 2 * HOUR_US, "WhatsApp",
	  { { "full", OUT_DONE, -DAY_US - 2 * HOUR_US, -DAY_US - 2 * HOUR_US, CCON_TIMING_NOW,
	      CCON_SLICING_FRAGMENTED, "{}", 1, 42, 1, 0, 0, 0 } }, 1 },
	{ "Loyalty points \u2014 RCS", "rcs", "Batch", NULL,
	  "{{name}}, you have {{points}} loyalty points. Redeem them before {{expiry}}.",
	  "[\"name\",\"points\",\"expiry\"]", NULL, FLOW_MAIN, "loyalty", "router@demo.msging.net",
	  "API", "crm@demo.msging.net", "[\"loyalty\"]", "v2", true, -4 * HOUR_US, "GoogleRcs",
	  { { "v2", OUT_SCHEDULED, -4 * HOUR_US, 5 * HOUR_US, CCON_TIMING_SCHEDULE,
	      CCON_SLICING_DEFERRED_CONSECUTIVE, "{}", 70, 1600, 37, 0, 0, 0 } }, 1 },
	{ "Dynamic audience (draft)", "whatsapp", "Batch", "order_feedback", NULL,
	  "[\"name\",\"orderId\"]", "en", FLOW_MAIN, "feedback", "router@demo.msging.net", "API",
	  "crm@demo.msging.net", "[\"feedback\"]", "v2", false, -2 * HOUR_US, "WhatsApp",
	  { { "v2", OUT_DRAFT, -2 * HOUR_US, -2 * HOUR_US, CCON_TIMING_NOW,
	      CCON_SLICING_FRAGMENTED, "{}", 25, 1800, 41, 0, 0, 0 } }, 1 },
	{ "Satisfaction survey", "whatsapp", NULL, "satisfaction_survey", NULL,
	  "[\"name\",\"ticketId\"]", "en", NULL, NULL, NULL, NULL, NULL, "[\"support\",\"survey\"]",
	  "rest", false, -30 * MIN_US, "cloud_api", { { 0 } }, 0 },
};

/* ------------------------------------------------------------ the mix */

struct failure {
	unsigned weight;              /* out of 100 */
	const char *code, *description;
};

static const struct failure whatsapp_failures[] = {
	{ 35, "131026", "Message undeliverable" },
	{ 25, "131049", "Meta chose not to deliver" },
	{ 15, "131047", "Re-engagement message" },
	{ 15, "130429", "Rate limit hit" },
	{ 10, "131050", "User stopped marketing messages" },
};

static const struct failure sms_failures[] = {
	{ 40, "30003", "Unreachable destination handset" },
	{ 25, "30005", "Unknown destination handset" },
	{ 20, "30006", "Landline or unreachable carrier" },
	{ 15, "30007", "Message filtered by the carrier" },
};

static const struct failure rcs_failures[] = {
	{ 50, "41001", "Device is not RCS-capable" },
	{ 30, "41002", "Message expired before delivery" },
	{ 20, "41003", "User blocked the agent" },
};

/* Percent read, received, processed (the rest failed); SMS has no read receipts. */
struct mix {
	unsigned read, received, processed;
	const struct failure *failures;
	size_t n_failures;
};

static const struct mix whatsapp_mix = { 55, 22, 8, whatsapp_failures, 5 };
static const struct mix sms_mix = { 0, 84, 6, sms_failures, 4 };
static const struct mix rcs_mix = { 48, 27, 10, rcs_failures, 3 };

static const struct mix *mix_of(const char *channel)
{
	if (strcmp(channel, "sms") == 0)
		return &sms_mix;
	if (strcmp(channel, "rcs") == 0)
		return &rcs_mix;
	return &whatsapp_mix;
}

/* splitmix64: the fixed-seed hash every "random" choice comes from. */
static uint64_t mix64(uint64_t x)
{
	x += UINT64_C(0x9e3779b97f4a7c15);
	x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
	return x ^ (x >> 31);
}

/* A number in [0, n) for draw `salt` of recipient k of campaign c. */
static uint64_t draw(int c, int k, int salt, uint64_t n)
{
	uint64_t h = mix64(DEMO_SEED ^ ((uint64_t)c << 40) ^ ((uint64_t)k << 8) ^ (uint64_t)salt);

	return n ? h % n : 0;
}

/* ------------------------------------------------------------ people */

static const char *const first_names[] = {
	"Ana", "Bruno", "Carla", "Diego", "Elisa", "Felipe", "Gabriela", "Hugo", "Isabela", "João",
	"Karina", "Lucas", "Mariana", "Nicolas", "Olivia", "Pedro", "Quésia", "Rafael", "Sofia",
	"Tiago", "Ursula", "Vitor", "Wesley", "Yasmin", "Zoe", "Amir", "Beatriz", "Chen", "Daniela",
	"Eduardo", "Fernanda", "Gustavo", "Helena", "Igor", "Julia", "Kenji", "Larissa", "Mateus",
	"Nadia", "Otávio",
};

static const char *const last_names[] = {
	"Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves", "Pereira",
	"Lima", "Gomes", "Costa", "Ribeiro", "Martins", "Carvalho", "Almeida", "Lopes", "Soares",
	"Fernandes", "Vieira", "Barbosa", "Rocha", "Dias", "Nascimento", "Andrade", "Moreira",
};

static const char *const cities[] = {
	"São Paulo", "Rio de Janeiro", "Belo Horizonte", "Curitiba", "Porto Alegre", "Brasília",
	"Salvador", "Recife",
};

static const char *const area_codes[] = { "11", "21", "31", "41", "51", "61", "71", "81" };

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

struct person {
	char phone[24];
	char code[24];
	const char *first, *last, *city;
};

static void person_of(int i, struct person *p)
{
	snprintf(p->phone, sizeof(p->phone), "+55%s9%08d", area_codes[i % 8], 81000000 + i * 37);
	snprintf(p->code, sizeof(p->code), "CUST-%05d", i + 1);
	p->first = first_names[i % COUNT(first_names)];
	p->last = last_names[(i * 7 + i / 40) % COUNT(last_names)];
	p->city = cities[i % 8];
}

/* A value for template variable `var` of recipient k. */
static void param_value(const char *var, const struct person *p, int k, char *buf, size_t size)
{
	static const char *const order_states[] = { "out for delivery", "shipped", "delivered",
		                                    "ready for pickup" };
	static const char *const doctors[] = { "Dr. Souza", "Dr. Lima", "Dr. Ahmed" };
	static const char *const discounts[] = { "20%", "30%", "40%" };

	if (strcmp(var, "name") == 0)
		snprintf(buf, size, "%s", p->first);
	else if (strcmp(var, "discount") == 0)
		snprintf(buf, size, "%s", discounts[k % 3]);
	else if (strcmp(var, "date") == 0)
		snprintf(buf, size, "%s", k % 2 ? "Friday, 28 November" : "Saturday, 6 December");
	else if (strcmp(var, "orderId") == 0)
		snprintf(buf, size, "DM-%06d", 104233 + k * 13);
	else if (strcmp(var, "orderStatus") == 0)
		snprintf(buf, size, "%s", order_states[k % 4]);
	else if (strcmp(var, "trackingUrl") == 0)
		snprintf(buf, size, "https://track.example.com/DM-%06d", 104233 + k * 13);
	else if (strcmp(var, "doctor") == 0)
		snprintf(buf, size, "%s", doctors[k % 3]);
	else if (strcmp(var, "time") == 0)
		snprintf(buf, size, "%02d:%02d", 8 + k % 10, (k % 4) * 15);
	else if (strcmp(var, "code") == 0)
		snprintf(buf, size, "%06u", (unsigned)draw(99, k, 1, 1000000));
	else if (strcmp(var, "service") == 0)
		snprintf(buf, size, "Demo Bank");
	else if (strcmp(var, "invoiceId") == 0)
		snprintf(buf, size, "INV-2025-%05d", 311 + k * 7);
	else if (strcmp(var, "amount") == 0)
		snprintf(buf, size, "R$ %d,%02d", 49 + k * 17 % 400, k * 31 % 100);
	else if (strcmp(var, "dueDate") == 0)
		snprintf(buf, size, "%d October", 1 + k % 28);
	else if (strcmp(var, "payUrl") == 0)
		snprintf(buf, size, "https://pay.example.com/i/%05d", 311 + k * 7);
	else if (strcmp(var, "couponCode") == 0)
		snprintf(buf, size, "WELCOME%02d", 10 + k % 90);
	else if (strcmp(var, "endsAt") == 0)
		snprintf(buf, size, "Sunday 23:59");
	else if (strcmp(var, "address") == 0)
		snprintf(buf, size, "Rua das Flores %d, %s", 100 + k % 900, p->city);
	else if (strcmp(var, "ticketId") == 0)
		snprintf(buf, size, "TCK-%05d", 48213 + k);
	else if (strcmp(var, "points") == 0)
		snprintf(buf, size, "%d", 150 + (int)draw(98, k, 2, 4850));
	else if (strcmp(var, "expiry") == 0)
		snprintf(buf, size, "31 December");
	else
		snprintf(buf, size, "%s", var);
}

/* ------------------------------------------------------------ writing */

struct demo {
	sqlite3 *db;
	int64_t app_id;
	int64_t now_us;
	int64_t base_us;              /* start of the default slot holding now */
	int64_t *contact_ids;         /* DEMO_CONTACTS */
	sqlite3_stmt *recipient;
	struct ccon_error *err;
};

static int nomem(struct demo *d)
{
	return ccon_error_set(d->err, CCON_E_NOMEM, "out of memory");
}

static int add_contacts(struct demo *d)
{
	for (int i = 0; i < DEMO_CONTACTS; i++) {
		struct ccon_fields extras = CCON_FIELDS_INIT;
		struct contact_ref ref;
		struct person p;
		char full[64];
		int rc;

		person_of(i, &p);
		if (contacts_resolve(d->db, d->app_id, p.phone, p.code,
		                     d->base_us - 30 * DAY_US + i * 10 * CCON_USEC_PER_SEC, &ref,
		                     d->err) != 1)
			return -1;
		d->contact_ids[i] = ref.id;
		snprintf(full, sizeof(full), "%s %s", p.first, p.last);
		if (ccon_fields_add(&extras, "name", full, strlen(full)) < 0 ||
		    ccon_fields_add(&extras, "city", p.city, strlen(p.city)) < 0) {
			ccon_fields_free(&extras);
			return nomem(d);
		}
		rc = contacts_merge_extras(d->db, ref.id, &extras, d->err);
		ccon_fields_free(&extras);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int insert_campaign(struct demo *d, const struct campaign_spec *cs, struct campaign *c)
{
	memset(c, 0, sizeof(*c));
	c->app_id = d->app_id;
	c->name = (char *)cs->name;
	c->channel = (char *)cs->channel;
	c->campaign_type = (char *)cs->type;
	c->template_name = (char *)cs->template_name;
	c->template_body = (char *)cs->body;
	c->template_params = (char *)cs->params;
	c->language = (char *)cs->language;
	c->flow_id = (char *)cs->flow_id;
	c->state_id = (char *)cs->state_id;
	c->master_state = (char *)cs->master_state;
	c->source_application = (char *)cs->source;
	c->campaign_sender = (char *)cs->sender;
	c->tags = (char *)cs->tags;
	c->origin = (char *)cs->origin;
	c->dispatched = cs->dispatched;
	c->created_us = d->base_us + cs->created_off;
	return campaigns_insert(d->db, c, d->err);
}

/* The planner over the store's slot use, and the plan reserved, as a send
 * would have done at its send time. */
static int plan_send(struct demo *d, const char *channel, const struct send_spec *s,
                     int64_t send_us, struct ccon_slot_plan *plan)
{
	struct ccon_slot_config cfg;
	struct ccon_slot_usage usage;
	int rc;

	if (slot_store_config(d->db, d->app_id, channel, &cfg, d->err) < 0 ||
	    slot_store_usage(d->db, d->app_id, channel, &cfg, send_us, CCON_SLOT_WINDOW_US, &usage,
	                     d->err) < 0)
		return -1;
	rc = ccon_slot_plan_compute(&cfg, &usage, send_us, s->recipients, s->slicing, plan, d->err);
	slot_store_usage_free(&usage);
	if (rc < 0)
		return -1;
	if ((s->outcome == OUT_PLANNER_CANCEL) != plan->canceled)
		return ccon_error_set(d->err, CCON_E_INVALID_ARGUMENT,
		                      "demo data: the plan of a send came out %s",
		                      plan->canceled ? "canceled" : "placed");
	return plan->canceled ? 0 : slot_store_reserve(d->db, d->app_id, channel, plan, 1, d->err);
}

/* The plan as the send pipeline stores it: [{"slotStart":"...Z","count":N}]. */
static char *plan_text(const struct ccon_slot_plan *plan)
{
	cJSON *arr = cJSON_CreateArray();
	char when[CCON_DATETIME_FORMAT_MAX], *text;

	for (size_t i = 0; arr && i < plan->n_shares; i++) {
		cJSON *o = cJSON_CreateObject();

		if (!o || ccon_datetime_format(plan->shares[i].slot_start_us, when, sizeof(when),
		                               NULL) < 0 ||
		    !cJSON_AddStringToObject(o, "slotStart", when) ||
		    !cJSON_AddNumberToObject(o, "count", (double)plan->shares[i].count) ||
		    !cJSON_AddItemToArray(arr, o)) {
			cJSON_Delete(o);
			cJSON_Delete(arr);
			return NULL;
		}
	}
	text = arr ? cJSON_PrintUnformatted(arr) : NULL;
	cJSON_Delete(arr);
	return text;
}

struct task_row {
	const char *status;
	int64_t send_us, created_us;
	const char *plan;             /* NULL: none */
	const char *cancel_code;
	const char *cancel_reason;
};

static int insert_task(struct demo *d, int64_t campaign_id, const struct send_spec *s,
                       const struct task_row *t, int64_t *task_id)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(d->db,
	                       "INSERT INTO tasks(app_id, campaign_id, kind, status, send_at_us, "
	                       "timing, slicing, plan, cancel_code, cancel_reason, options, total, "
	                       "rejected, duplicates, created_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
	                       "?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
	                       -1, &st, NULL) != SQLITE_OK)
		return store_fail(d->db, d->err, "creating a demo task");
	sqlite3_bind_int64(st, 1, d->app_id);
	sqlite3_bind_int64(st, 2, campaign_id);
	sqlite3_bind_text(st, 3, s->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, t->status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, t->send_us);
	sqlite3_bind_text(st, 6, ccon_timing_form_name(s->timing), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, ccon_slicing_name(s->slicing), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, t->plan, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, t->cancel_code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, t->cancel_reason, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 11, s->options, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 12, s->recipients);
	sqlite3_bind_int64(st, 13, s->rejected);
	sqlite3_bind_int64(st, 14, s->duplicates);
	sqlite3_bind_int64(st, 15, t->created_us);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_fail(d->db, d->err, "creating a demo task");
	*task_id = sqlite3_last_insert_rowid(d->db);
	return 0;
}

/* One recipient's delivery: status, times, reason. */
struct delivery {
	const char *status;
	int64_t slot_us;              /* 0: none */
	int64_t processed, received, read, failed;   /* 0: NULL */
	const struct failure *reason;
	const char *reason_text;      /* a reason without a code (operator cancel) */
	int attempts;
};

static const struct failure *pick_failure(const struct mix *m, int c, int k)
{
	unsigned roll = (unsigned)draw(c, k, 2, 100), sum = 0;

	for (size_t i = 0; i < m->n_failures; i++) {
		sum += m->failures[i].weight;
		if (roll < sum)
			return &m->failures[i];
	}
	return &m->failures[m->n_failures - 1];
}

/* What the channel answered for a message handed over at `processed`;
 * nothing lies after now (a receipt not due yet leaves an earlier status). */
static void deliver(struct demo *d, const struct mix *m, int c, int k, struct delivery *v)
{
	unsigned roll = (unsigned)draw(c, k, 1, 100);
	/* read: 30 s to about 8 h after delivery, most within the first hour */
	int64_t read_after = (int64_t)(30 * CCON_USEC_PER_SEC) << draw(c, k, 4, 10);

	v->attempts = 1;
	if (roll >= m->read + m->received + m->processed) {
		v->status = "failed";
		v->reason = pick_failure(m, c, k);
		v->failed = v->processed + (1 + (int64_t)draw(c, k, 5, 20)) * CCON_USEC_PER_SEC;
		if (strcmp(v->reason->code, "130429") == 0)
			v->attempts = 3;
		return;
	}
	v->status = "processed";
	if (roll < m->read + m->received)
		v->received = v->processed + (2 + (int64_t)draw(c, k, 3, 38)) * CCON_USEC_PER_SEC;
	if (v->received && v->received <= d->now_us)
		v->status = "received";
	else
		v->received = 0;
	if (v->received && roll < m->read) {
		v->read = v->received + read_after + (int64_t)draw(c, k, 6, 30) * CCON_USEC_PER_SEC;
		if (v->read <= d->now_us)
			v->status = "read";
		else
			v->read = 0;
	}
}

static void bind_opt(sqlite3_stmt *st, int i, int64_t v)
{
	if (v)
		sqlite3_bind_int64(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

static int insert_recipient(struct demo *d, int64_t task_id, int64_t campaign_id,
                            int contact, const char *channel_type, const char *params,
                            const char *reference, const struct delivery *v, int segments)
{
	sqlite3_stmt *st = d->recipient;
	struct person p;
	int rc;

	person_of(contact, &p);
	sqlite3_bind_int64(st, 1, task_id);
	sqlite3_bind_int64(st, 2, campaign_id);
	sqlite3_bind_int64(st, 3, d->contact_ids[contact]);
	sqlite3_bind_text(st, 4, p.phone, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, channel_type, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, params, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, reference, -1, SQLITE_STATIC);
	bind_opt(st, 8, v->slot_us);
	sqlite3_bind_text(st, 9, v->status, -1, SQLITE_STATIC);
	bind_opt(st, 10, v->processed);
	bind_opt(st, 11, v->received);
	bind_opt(st, 12, v->read);
	bind_opt(st, 13, v->failed);
	if (v->reason) {
		sqlite3_bind_text(st, 14, v->reason->code, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 15, v->reason->description, -1, SQLITE_STATIC);
	} else {
		sqlite3_bind_null(st, 14);
		sqlite3_bind_text(st, 15, v->reason_text, -1, SQLITE_STATIC);
	}
	sqlite3_bind_int(st, 16, v->attempts);
	if (segments)
		sqlite3_bind_int(st, 17, segments);
	else
		sqlite3_bind_null(st, 17);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : store_fail(d->db, d->err, "adding a demo recipient");
}

/* The recipient's params: one value per campaign variable. */
static char *params_of(char **vars, int contact, int k)
{
	cJSON *o = cJSON_CreateObject();
	struct person p;
	char value[128], *text;

	person_of(contact, &p);
	for (size_t i = 0; o && vars[i]; i++) {
		param_value(vars[i], &p, k, value, sizeof(value));
		if (!cJSON_AddStringToObject(o, vars[i], value)) {
			cJSON_Delete(o);
			return NULL;
		}
	}
	text = o ? cJSON_PrintUnformatted(o) : NULL;
	cJSON_Delete(o);
	return text;
}

/* Everything about a send's recipients that does not change per recipient. */
struct send_ctx {
	const struct campaign_spec *cs;
	const struct send_spec *s;
	int c;                        /* the campaign's index, for the draws */
	int64_t campaign_id, task_id, send_us;
	const struct ccon_slot_plan *plan;
	const char *cancel_text;      /* the operator's reason */
	char **vars;
};

/* Recipient k's status: pending, handed over by the plan, or canceled. */
static void delivery_of(struct demo *d, const struct send_ctx *x, int k, size_t *share,
                        int64_t *in_share, struct delivery *v)
{
	int64_t pace = (x->s->pace_ms ? x->s->pace_ms : 900) * INT64_C(1000);
	int64_t start;

	memset(v, 0, sizeof(*v));
	v->status = "pending";
	if (x->s->outcome == OUT_PLANNER_CANCEL || x->s->outcome == OUT_OPERATOR_CANCEL) {
		v->status = "canceled";
		v->reason_text = x->cancel_text;
		return;
	}
	if (x->s->outcome == OUT_DRAFT || !x->plan->n_shares)
		return;
	while (*share + 1 < x->plan->n_shares && *in_share >= x->plan->shares[*share].count) {
		(*share)++;
		*in_share = 0;
	}
	v->slot_us = x->plan->shares[*share].slot_start_us;
	start = v->slot_us > x->send_us ? v->slot_us : x->send_us;
	v->processed = start + (*in_share)++ * pace;
	if (x->s->outcome == OUT_SCHEDULED || v->processed > d->now_us - MIN_US) {
		v->processed = 0;
		return;
	}
	deliver(d, mix_of(x->cs->channel), x->c, k, v);
}

static int add_recipients(struct demo *d, const struct send_ctx *x)
{
	const struct send_spec *s = x->s;
	bool sms = strcmp(x->cs->channel, "sms") == 0;
	size_t share = 0;
	int64_t in_share = 0;

	for (int k = 0; k < s->recipients; k++) {
		int contact = (s->first + k * s->stride) % DEMO_CONTACTS;
		char *params = params_of(x->vars, contact, k), reference[32];
		struct delivery v;
		int rc;

		if (!params)
			return nomem(d);
		snprintf(reference, sizeof(reference), "DEMO-%d-%04d", x->c + 1, k + 1);
		delivery_of(d, x, k, &share, &in_share, &v);
		rc = insert_recipient(d, x->task_id, x->campaign_id, contact, x->cs->channel_type,
		                      params, sms ? reference : NULL, &v,
		                      sms && v.processed ? 1 : 0);
		cJSON_free(params);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int add_send(struct demo *d, int c, const struct campaign *camp, char **vars,
                    const struct send_spec *s)
{
	int64_t anchor = s->outcome == OUT_RUNNING ? d->now_us : d->base_us;
	struct send_ctx x = { &campaigns[c], s, c, camp->id, 0, anchor + s->send_off, NULL, NULL,
		              vars };
	struct task_row t = { "done", x.send_us, anchor + s->created_off, NULL, NULL, NULL };
	struct ccon_slot_plan plan;
	char reason[96], when[CCON_DATETIME_FORMAT_MAX];
	char *text = NULL;
	int rc = -1;

	memset(&plan, 0, sizeof(plan));
	x.plan = &plan;
	switch (s->outcome) {
	case OUT_DRAFT:
		t.status = "draft";
		break;
	case OUT_OPERATOR_CANCEL:
		/* as delete /campaigns/{id} leaves it, an hour ago */
		t.status = "canceled";
		t.cancel_code = "canceled";
		if (ccon_datetime_format(d->base_us - HOUR_US, when, sizeof(when), d->err) < 0)
			return -1;
		snprintf(reason, sizeof(reason), "canceled by delete /campaigns/%lld at %s",
		         (long long)camp->id, when);
		t.cancel_reason = x.cancel_text = reason;
		break;
	default:
		if (plan_send(d, camp->channel, s, x.send_us, &plan) < 0)
			goto out;
		if (!(text = plan_text(&plan))) {
			nomem(d);
			goto out;
		}
		t.plan = text;
		if (plan.canceled) {
			t.status = "canceled";
			t.cancel_code = ccon_errc_name(plan.cancel_code);
			t.cancel_reason = plan.cancel_reason;
		} else if (s->outcome == OUT_SCHEDULED) {
			t.status = "scheduled";
		} else if (s->outcome == OUT_RUNNING) {
			t.status = "running";
		}
	}
	if (insert_task(d, camp->id, s, &t, &x.task_id) == 0)
		rc = add_recipients(d, &x);
out:
	cJSON_free(text);
	ccon_slot_plan_free(&plan);
	return rc;
}

static int add_campaign(struct demo *d, int c)
{
	const struct campaign_spec *cs = &campaigns[c];
	struct campaign camp;
	char **vars;
	int rc = 0;

	if (insert_campaign(d, cs, &camp) < 0)
		return -1;
	vars = campaign_variables(&camp);
	if (!vars)
		return nomem(d);
	for (size_t i = 0; rc == 0 && i < cs->n_sends; i++)
		rc = add_send(d, c, &camp, vars, &cs->sends[i]);
	campaign_variables_free(vars);
	return rc;
}

static int populate(struct demo *d)
{
	if (sqlite3_prepare_v2(d->db,
	                       "INSERT INTO recipients(task_id, campaign_id, contact_id, recipient, "
	                       "channel_type, params, external_reference, slot_start_us, status, "
	                       "processed_us, received_us, read_us, failed_us, reason_code, "
	                       "reason_description, attempts, segments) VALUES (?1, ?2, ?3, ?4, "
	                       "?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
	                       -1, &d->recipient, NULL) != SQLITE_OK)
		return store_fail(d->db, d->err, "adding demo recipients");
	if (add_contacts(d) < 0)
		return -1;
	for (size_t c = 0; c < COUNT(campaigns); c++)
		if (add_campaign(d, (int)c) < 0)
			return -1;
	return 0;
}

int demo_create(sqlite3 *db, int64_t now_us, int64_t *app_id, char key[APP_KEY_SIZE],
                bool *created, struct ccon_error *err)
{
	struct demo d = { db, 0, now_us, ccon_slot_start(NULL, now_us), NULL, NULL, err };
	int found, rc;

	*created = false;
	if (store_begin(db, err) < 0)
		return -1;
	found = apps_find_by_name(db, DEMO_APP_NAME, app_id, err);
	if (found == 1) {
		rc = apps_rotate_key(db, *app_id, key, err);
	} else if (found == 0) {
		d.contact_ids = calloc(DEMO_CONTACTS, sizeof(*d.contact_ids));
		/* older than its campaigns, as if it had been in use for a month */
		rc = d.contact_ids ? apps_create(db, DEMO_APP_NAME, d.base_us - 31 * DAY_US, app_id,
		                                 key, err)
		                   : nomem(&d);
		d.app_id = *app_id;
		if (rc == 0)
			rc = populate(&d);
		if (rc == 0)
			rc = slot_store_recount_sent(db, *app_id, err);
		sqlite3_finalize(d.recipient);
		free(d.contact_ids);
		*created = rc == 0;
	} else {
		rc = -1;
	}
	if (rc < 0 || store_commit(db, err) < 0) {
		if (rc < 0)
			store_rollback(db);
		*created = false;
		return -1;
	}
	return 0;
}
