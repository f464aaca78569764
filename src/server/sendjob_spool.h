/* sendjob_spool.h - a send's recipients between sendjob_add and the
 * commit: length-prefixed records in memory, spilling to an anonymous
 * temporary file past a threshold, so a million-row CSV costs a file, not
 * memory. Also the duplicate filter (exact strings, not just hashes). */
#ifndef CCOND_SENDJOB_SPOOL_H
#define CCOND_SENDJOB_SPOOL_H

#include <ccon/strbuf.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct sendjob_spool;

struct sendjob_spool *spool_new(void);
void spool_free(struct sendjob_spool *sp);

/* Record building: begin, add fields, end. A NULL string is kept as NULL. */
void spool_record_begin(struct sendjob_spool *sp);
void spool_put_str(struct sendjob_spool *sp, const char *s);
void spool_put_i64(struct sendjob_spool *sp, int64_t v);
int spool_record_end(struct sendjob_spool *sp);   /* -1 on I/O error or ENOMEM */

/* Reading back, in order. */
int spool_rewind(struct sendjob_spool *sp);
/* 1 a record is ready, 0 at the end, -1 on error. */
int spool_next(struct sendjob_spool *sp);
const char *spool_get_str(struct sendjob_spool *sp);  /* next field; NULL stays NULL */
int64_t spool_get_i64(struct sendjob_spool *sp);

/* Duplicate filter: true when key was seen before (and remembers it). */
bool spool_seen(struct sendjob_spool *sp, const char *key, size_t len, bool *nomem);
void spool_seen_reset(struct sendjob_spool *sp);

#endif
