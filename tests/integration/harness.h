/* harness.h - integration tests talk HTTP to a real ccond: started as a
 * child process on 127.0.0.1 with an ephemeral port and a scratch data
 * directory, stopped with SIGTERM. */
#ifndef CCON_TEST_HARNESS_H
#define CCON_TEST_HARNESS_H

#include <cjson/cJSON.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct server {
	pid_t pid;
	char data_dir[256];
	char base_url[64];
	unsigned port;
};

struct reply {
	long status;
	char *body;          /* NUL-terminated */
	size_t len;
	cJSON *json;         /* parsed body, NULL when it is not JSON */
};

/* Starts ccond (CCOND_BIN) on a fresh data directory; extra arguments
 * (NULL-terminated list) go on its command line. Fails the test on error. */
void server_start(struct server *s, const char *const *extra_args);
/* Restarts on the same data directory. */
void server_restart(struct server *s);
void server_stop(struct server *s);
/* kill -9 and reap; fails the test unless SIGKILL is what ended it (a
 * ccond that died on its own before is a failure too). */
void server_kill(struct server *s);
/* Stops the server (SIGSTOP) and returns once every one of its threads is
 * stopped (a stalled server: connections are accepted by the kernel, never
 * answered); server_thaw lets it go on. */
void server_freeze(const struct server *s);
void server_thaw(const struct server *s);
/* Starts again on the same data directory with other arguments (which
 * later restarts keep). */
void server_restart_with(struct server *s, const char *const *extra_args);
/* Stops and deletes the data directory. */
void server_destroy(struct server *s);

/* `ccond --data-dir DIR --create-app NAME`: the application's id and key. */
void server_create_app(const struct server *s, const char *name, int64_t *id, char *key,
                       size_t key_size);

/* One request. auth is a whole Authorization value ("Bearer k") or NULL;
 * content_type NULL means application/json when there is a body.
 * extra_header is one "Name: value" line or NULL. */
void http_call(const struct server *s, const char *method, const char *path, const char *auth,
               const char *content_type, const char *body, size_t body_len,
               const char *extra_header, struct reply *r);
void reply_free(struct reply *r);
/* Fires a JSON request from a child process and returns at once: the
 * child's pid, for http_fire_wait. The test goes on (and may kill the
 * server) while the server works on it. */
pid_t http_fire(const struct server *s, const char *method, const char *path, const char *auth,
                const char *body, size_t body_len);
/* The fired request's outcome: its HTTP status class (200, 400, 500) or 0
 * when no answer came (the server died); with nohang, -1 while it runs.
 * Reaps the child once it is done. */
long http_fire_wait(pid_t pid, bool nohang);

/* A string member of the reply's JSON object, or NULL. */
const char *reply_str(const struct reply *r, const char *key);

/* POST /v1/admin/clock with body (ccond runs --clock manual); 200 or the
 * test fails. */
void server_clock(const struct server *s, const char *bearer, const char *body);
/* The same with {"advance": duration}. */
void server_clock_advance(const struct server *s, const char *bearer, const char *duration);

/* The server's store, opened with flags (SQLITE_OPEN_READONLY, ...), a 5 s
 * busy timeout; close it with sqlite3_close. */
sqlite3 *server_db(const struct server *s, int flags);
/* The first column of the first row of sql, read-only (NULL reads 0); -1
 * without a row. The f form takes a printf format. */
int64_t server_db_int(const struct server *s, const char *sql);
int64_t server_db_intf(const struct server *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The whole file, NUL-terminated (*len, may be NULL, gets its length);
 * NULL when it cannot be opened. */
char *read_file(const char *path, size_t *len);
/* Runs argv (argv[0] a path) with its standard output on a pipe (and its
 * standard error appended to stderr_path, unless NULL) and reads the first
 * line it prints (its "listening on" line) into line. Fails the test when
 * none comes. Returns its pid. */
pid_t spawn_until_line(const char *const *argv, const char *stderr_path, char *line,
                       size_t size);

#endif
