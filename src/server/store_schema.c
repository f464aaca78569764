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
	"CREATE INDEX recipients_slot ON recipients(slot_start_us) WHERE slot_start_us IS NOT NULL;"
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
