/* ccond's schema, one migration a version. Never edit a published
 * migration: add a new one at the end. */
#include "config.h"

#include "store_schema.h"

#include <stddef.h>

static const char *const migrations[] = {
	/* 1: applications, campaigns, contacts, send tasks, recipients,
	 * idempotency records and slot use. Times are microseconds since the
	 * epoch (UTC). */
	"CREATE TABLE applications ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  key_hash TEXT NOT NULL UNIQUE,"
	"  created_us INTEGER NOT NULL);"
	"CREATE TABLE slot_config ("
	"  app_id INTEGER NOT NULL REFERENCES applications(id),"
	"  channel TEXT NOT NULL,"
	"  length_us INTEGER NOT NULL,"
	"  capacity INTEGER NOT NULL,"
	"  PRIMARY KEY (app_id, channel));"
	"CREATE TABLE campaigns ("
	"  id INTEGER PRIMARY KEY,"
	"  app_id INTEGER NOT NULL REFERENCES applications(id),"
	"  name TEXT NOT NULL,"
	"  channel TEXT NOT NULL,"
	"  campaign_type TEXT NOT NULL DEFAULT 'Batch',"
	"  template_name TEXT,"
	"  template_body TEXT,"
	"  template_params TEXT,"
	"  language TEXT,"
	"  flow_id TEXT, state_id TEXT, master_state TEXT,"
	"  source_application TEXT, campaign_sender TEXT,"
	"  tags TEXT,"
	"  origin TEXT NOT NULL DEFAULT 'rest',"
	"  status TEXT NOT NULL DEFAULT 'new',"
	"  dispatched INTEGER NOT NULL DEFAULT 0,"
	"  created_us INTEGER NOT NULL);"
	"CREATE INDEX campaigns_app ON campaigns(app_id, id);"
	"CREATE INDEX campaigns_app_source ON campaigns(app_id, source_application, id);"
	"CREATE TABLE contacts ("
	"  id INTEGER PRIMARY KEY,"
	"  app_id INTEGER NOT NULL REFERENCES applications(id),"
	"  external_code TEXT,"
	"  phone TEXT,"
	"  disabled INTEGER NOT NULL DEFAULT 0,"
	"  extras TEXT NOT NULL DEFAULT '{}',"
	"  context TEXT NOT NULL DEFAULT '{}',"
	"  created_us INTEGER NOT NULL);"
	"CREATE UNIQUE INDEX contacts_phone ON contacts(app_id, phone) WHERE phone IS NOT NULL;"
	"CREATE UNIQUE INDEX contacts_code ON contacts(app_id, external_code)"
	"  WHERE external_code IS NOT NULL;"
	"CREATE TABLE tasks ("
	"  id INTEGER PRIMARY KEY,"
	"  app_id INTEGER NOT NULL REFERENCES applications(id),"
	"  campaign_id INTEGER NOT NULL REFERENCES campaigns(id),"
	"  kind TEXT NOT NULL,"
	"  status TEXT NOT NULL,"
	"  send_at_us INTEGER NOT NULL,"
	"  timing TEXT NOT NULL,"
	"  slicing TEXT NOT NULL,"
	"  plan TEXT,"
	"  cancel_code TEXT, cancel_reason TEXT,"
	"  options TEXT NOT NULL DEFAULT '{}',"
	"  total INTEGER NOT NULL DEFAULT 0,"
	"  rejected INTEGER NOT NULL DEFAULT 0,"
	"  duplicates INTEGER NOT NULL DEFAULT 0,"
	"  created_us INTEGER NOT NULL);"
	"CREATE INDEX tasks_campaign ON tasks(campaign_id, id);"
	"CREATE INDEX tasks_due ON tasks(status, send_at_us);"
	"CREATE TABLE recipients ("
	"  id INTEGER PRIMARY KEY,"
	"  task_id INTEGER NOT NULL REFERENCES tasks(id),"
	"  campaign_id INTEGER NOT NULL REFERENCES campaigns(id),"
	"  contact_id INTEGER REFERENCES contacts(id),"
	"  recipient TEXT NOT NULL,"
	"  recipient_type TEXT NOT NULL DEFAULT 'phone',"
	"  channel_type TEXT NOT NULL,"
	"  params TEXT NOT NULL DEFAULT '{}',"
	"  context TEXT,"
	"  external_reference TEXT,"
	"  slot_start_us INTEGER,"
	"  status TEXT NOT NULL DEFAULT 'pending',"
	"  processed_us INTEGER, received_us INTEGER, read_us INTEGER, failed_us INTEGER,"
	"  reason_code TEXT, reason_description TEXT,"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  segments INTEGER);"
	"CREATE INDEX recipients_task ON recipients(task_id, id);"
	"CREATE INDEX recipients_campaign ON recipients(campaign_id, id);"
	"CREATE INDEX recipients_campaign_status ON recipients(campaign_id, status);"
	"CREATE INDEX recipients_slot ON recipients(slot_start_us)"
	"  WHERE status NOT IN ('pending', 'canceled');"
	"CREATE TABLE slot_use ("
	"  app_id INTEGER NOT NULL,"
	"  channel TEXT NOT NULL,"
	"  slot_start_us INTEGER NOT NULL,"
	"  used INTEGER NOT NULL,"
	"  PRIMARY KEY (app_id, channel, slot_start_us)) WITHOUT ROWID;"
	"CREATE TABLE idempotency ("
	"  app_id INTEGER NOT NULL,"
	"  key TEXT NOT NULL,"
	"  request_hash TEXT NOT NULL,"
	"  status INTEGER NOT NULL,"
	"  response TEXT NOT NULL,"
	"  created_us INTEGER NOT NULL,"
	"  PRIMARY KEY (app_id, key)) WITHOUT ROWID;",
	/* 2: the engine's own state (the manual clock). */
	"CREATE TABLE engine_state ("
	"  key TEXT PRIMARY KEY,"
	"  value NOT NULL) WITHOUT ROWID;",
	/* 3: dispatch. A recipient in flight is `pending` with a send key
	 * (recorded before the driver is called); statuses still to come from
	 * the channel wait in delivery_events; the sim driver's ledger. */
	"ALTER TABLE recipients ADD COLUMN next_attempt_us INTEGER;"
	"ALTER TABLE recipients ADD COLUMN send_key TEXT;"
	"ALTER TABLE tasks ADD COLUMN started_us INTEGER;"
	"ALTER TABLE tasks ADD COLUMN done_us INTEGER;"
	"CREATE INDEX recipients_pending ON recipients(task_id, slot_start_us)"
	"  WHERE status = 'pending';"
	"CREATE INDEX recipients_retry ON recipients(next_attempt_us)"
	"  WHERE status = 'pending' AND next_attempt_us IS NOT NULL;"
	"CREATE INDEX recipients_in_flight ON recipients(task_id)"
	"  WHERE status = 'pending' AND send_key IS NOT NULL;"
	"CREATE TABLE delivery_events ("
	"  id INTEGER PRIMARY KEY,"
	"  recipient_id INTEGER NOT NULL REFERENCES recipients(id),"
	"  task_id INTEGER NOT NULL REFERENCES tasks(id),"
	"  due_us INTEGER NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  code TEXT, description TEXT);"
	"CREATE INDEX delivery_events_due ON delivery_events(due_us);"
	"CREATE INDEX delivery_events_task ON delivery_events(task_id);"
	"CREATE TABLE sim_ledger ("
	"  send_key TEXT PRIMARY KEY,"
	"  recipient_id INTEGER NOT NULL,"
	"  attempt INTEGER NOT NULL,"
	"  channel TEXT NOT NULL,"
	"  recipient TEXT NOT NULL,"
	"  text TEXT,"
	"  segments INTEGER NOT NULL,"
	"  outcome TEXT NOT NULL,"
	"  code TEXT, description TEXT,"
	"  retryable INTEGER NOT NULL DEFAULT 0,"
	"  at_us INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE INDEX sim_ledger_recipient ON sim_ledger(recipient_id);",
	/* 4: re-sends of failed recipients. A retry task names the task it
	 * retries; each of its recipients names the row it retries, and that
	 * row is marked `retried` (superseded: campaign-wide counts take each
	 * recipient's latest attempt only). */
	"ALTER TABLE tasks ADD COLUMN retry_of INTEGER REFERENCES tasks(id);"
	"ALTER TABLE recipients ADD COLUMN retry_of INTEGER REFERENCES recipients(id);"
	"ALTER TABLE recipients ADD COLUMN retried INTEGER NOT NULL DEFAULT 0;"
	"CREATE INDEX recipients_campaign_live ON recipients(campaign_id, status)"
	"  WHERE retried = 0;",
	/* 5: fewer indexes for the dispatcher to keep up: campaign counts read
	 * recipients_campaign_live, and what each slot handed to the channel is
	 * counted in slot_use.sent (by the dispatcher, a batch at a time)
	 * instead of an index over every recipient. */
	"DROP INDEX recipients_campaign_status;"
	"DROP INDEX recipients_slot;"
	"ALTER TABLE slot_use ADD COLUMN sent INTEGER NOT NULL DEFAULT 0;"
	"UPDATE slot_use SET sent = (SELECT COUNT(*) FROM recipients r"
	"  JOIN tasks t ON t.id = r.task_id JOIN campaigns c ON c.id = t.campaign_id"
	"  WHERE t.app_id = slot_use.app_id AND c.channel = slot_use.channel"
	"  AND r.slot_start_us = slot_use.slot_start_us"
	"  AND r.status NOT IN ('pending', 'canceled'));",
	/* 6: the statuses a channel will report later live on the recipient's
	 * row (delivery_events.h gives the text form) instead of rows of their
	 * own, and each task counts the recipients still waiting for one. */
	"ALTER TABLE recipients ADD COLUMN events TEXT;"
	"ALTER TABLE recipients ADD COLUMN next_event_us INTEGER;"
	"ALTER TABLE tasks ADD COLUMN events_left INTEGER NOT NULL DEFAULT 0;"
	"UPDATE recipients SET"
	"  events = (SELECT group_concat(CASE kind WHEN 'received' THEN 'r' || due_us"
	"    WHEN 'read' THEN 'd' || due_us"
	"    ELSE 'f' || due_us || ',' || COALESCE(code, '0') || ',' || COALESCE(description, '')"
	"    END, ';') FROM (SELECT kind, due_us, code, description FROM delivery_events e"
	"    WHERE e.recipient_id = recipients.id ORDER BY kind = 'failed', due_us, id)),"
	"  next_event_us = (SELECT MIN(due_us) FROM delivery_events e"
	"    WHERE e.recipient_id = recipients.id)"
	"  WHERE id IN (SELECT recipient_id FROM delivery_events);"
	"UPDATE tasks SET events_left = (SELECT COUNT(DISTINCT recipient_id) FROM delivery_events e"
	"  WHERE e.task_id = tasks.id);"
	"DROP TABLE delivery_events;"
	"CREATE INDEX recipients_events ON recipients(next_event_us)"
	"  WHERE next_event_us IS NOT NULL;",
	/* 7: the slot settings of the configuration file (server_conf.h),
	 * replaced at each start; app_id 0 stands for every application. */
	"CREATE TABLE slot_defaults ("
	"  app_id INTEGER NOT NULL,"
	"  channel TEXT NOT NULL,"
	"  length_us INTEGER NOT NULL,"
	"  capacity INTEGER NOT NULL,"
	"  PRIMARY KEY (app_id, channel)) WITHOUT ROWID;",
};

size_t store_schema_count(void)
{
	return sizeof(migrations) / sizeof(migrations[0]);
}

const char *store_schema_migration(size_t version)
{
	if (version < 1 || version > store_schema_count())
		return NULL;
	return migrations[version - 1];
}
