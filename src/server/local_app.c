/* local_app.c - the console's own application in an embedded store. */
#include "config.h"

#include "ccond.h"

#include "apps.h"
#include "engine.h"
#include "store.h"

static int local_app_plain(const char *data_dir, int64_t *app_id, char key[CCOND_KEY_SIZE],
                           struct ccon_error *err)
{
	struct store *st;
	sqlite3 *db;
	int found, rc;

	if (store_open(data_dir, 1, &st, err) < 0)
		return -1;
	db = store_acquire(st);
	rc = store_begin(db, err);
	if (rc == 0) {
		found = apps_find_by_name(db, CCOND_LOCAL_APP_NAME, app_id, err);
		if (found == 1)
			rc = apps_rotate_key(db, *app_id, key, err);
		else if (found == 0)
			rc = apps_create(db, CCOND_LOCAL_APP_NAME, engine_now_us(NULL), app_id, key, err);
		else
			rc = -1;
		if (rc < 0)
			store_rollback(db);
		else
			rc = store_commit(db, err);
	}
	store_release(st, db);
	store_close(st);
	return rc;
}

int ccond_local_app(const char *data_dir, bool demo, int64_t *app_id, char key[CCOND_KEY_SIZE],
                    struct ccon_error *err)
{
	bool created;

	if (demo)
		return ccond_demo(data_dir, app_id, key, &created, err);
	return local_app_plain(data_dir, app_id, key, err);
}
