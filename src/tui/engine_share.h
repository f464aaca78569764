/* engine_share.h - one embedded engine per data directory (connection.h
 * says why): the lock DATA/engine.lock and the file DATA/engine through
 * which another ccon reaches the running engine.
 *
 * DATA/engine, mode 0600, written whole (a temporary file renamed):
 *   url http://127.0.0.1:PORT
 *   app ID
 *   key KEY
 *   owner console|cli
 *   pid PID
 * A reader refuses a file that is not a regular file of the user's own
 * with no group or other permission. */
#ifndef CCON_TUI_ENGINE_SHARE_H
#define CCON_TUI_ENGINE_SHARE_H

#include <ccon/error.h>

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct engine_info {
	char url[64];
	int64_t app_id;
	char key[64];
	char owner[16];          /* "console" or "cli" */
	long pid;
};

/* Takes the lock without waiting: 1 taken (*fd holds it), 0 held by
 * another process, -1 with err. */
int engine_lock_try(const char *data_dir, int *fd, struct ccon_error *err);
/* Releases it (the file DATA/engine is removed first). fd < 0 is ignored. */
void engine_unlock(const char *data_dir, int fd);

int engine_info_write(const char *data_dir, const struct engine_info *in,
                      struct ccon_error *err);
/* 0; -1 with CCON_E_NOT_FOUND when there is no file (yet), another code
 * when it is refused or does not parse. */
int engine_info_read(const char *data_dir, struct engine_info *out, struct ccon_error *err);

#endif
