/* inject.h - fault injection for the faultinj test program only (never in
 * the shipped binaries), in the style of curl's torture tests and SQLite's
 * malloc tests: a counter per kind of call, and the Nth call of the armed
 * kind fails.
 *
 * How the calls are caught (inject.c):
 *   - libccon's and ccond's own calls of malloc, calloc, realloc, strdup,
 *     strndup, free, read, pread, fread, ferror, clearerr, fclose, fwrite,
 *     fflush, fsync and sqlite3_step go through the linker's --wrap= (the
 *     program is linked with -Wl,--wrap=NAME for each; see Makefile.am);
 *   - cJSON's allocations through cJSON_InitHooks, libcsv's through
 *     csv_set_realloc_func/csv_set_free_func (csv_init is wrapped for it),
 *     SQLite's through sqlite3_config(SQLITE_CONFIG_MALLOC);
 *   - the store's file I/O through a VFS put in front of SQLite's default
 *     one ("faultinj", registered as the default).
 *
 * Only the thread that armed counts: ccond's dispatcher and checkpointer
 * threads run on untouched. fi_pause()/fi_resume() keep the harness' own
 * calls out of the count.
 */
#ifndef CCON_FAULTINJ_INJECT_H
#define CCON_FAULTINJ_INJECT_H

#include <stdbool.h>
#include <stddef.h>

enum fi_kind {
	FI_ALLOC,        /* any allocation: ours, cJSON's, libcsv's, SQLite's */
	FI_READ,         /* read, pread, fread */
	FI_WRITE,        /* fwrite, fflush, fsync (the CSV spool, exports) */
	FI_STEP,         /* sqlite3_step, called by libccond */
	FI_STORE_WRITE,  /* the store's VFS: xWrite */
	FI_STORE_READ,   /* the store's VFS: xRead */
	FI_STORE_SYNC,   /* the store's VFS: xSync */
	FI__KINDS
};

enum fi_effect {
	FI_FAIL,    /* ENOMEM, EIO, SQLITE_IOERR (store: SQLITE_IOERR_READ/_FSYNC) */
	FI_EINTR,   /* reads: -1 with EINTR (fread: the error flag, errno EINTR) */
	FI_SHORT,   /* reads: read/pread give half of what was asked (at least 1) */
	FI_ENOSPC,  /* writes: ENOSPC (fwrite short with the error flag); store: SQLITE_FULL */
};

/* Installs the hooks (before anything uses SQLite, cJSON or libcsv). */
void fi_init(void);

/* From now on, on this thread, the at-th call (1-based) of kind fails with
 * effect; the ones before and after go through. */
void fi_arm(enum fi_kind kind, enum fi_effect effect, unsigned long at);
/* Stops counting; true when the fault was injected. */
bool fi_disarm(void);
/* Calls of the armed kind seen so far. */
unsigned long fi_count(void);

/* The harness' own work: not counted, never failed (nests). */
void fi_pause(void);
void fi_resume(void);

/* Allocations made on this thread between fi_track_begin and
 * fi_track_end and not freed: fi_track_end's answer (0 when nothing
 * leaked). Only for cases that run no other thread. */
void fi_track_begin(void);
size_t fi_track_end(void);

const char *fi_kind_name(enum fi_kind k);
const char *fi_effect_name(enum fi_effect e);

#endif
