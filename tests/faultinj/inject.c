/* inject.c - the fault injection shim of the faultinj test program (see
 * inject.h). Linked only into tests/faultinj/faultinj, with
 * -Wl,--wrap=NAME for every __wrap_NAME below. */
#include "config.h"

#include "inject.h"

#include <cjson/cJSON.h>
#include <csv.h>
#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

/* ------------------------------------------------------------ the counter */

struct state {
	bool armed, fired, tracking;
	enum fi_kind kind;
	enum fi_effect effect;
	unsigned long at, count;
	int paused;
};

static _Thread_local struct state me;

/* AddressSanitizer's, when the program has it */
void __sanitizer_print_stack_trace(void) __attribute__((weak));
static void (*const print_stack)(void) = __sanitizer_print_stack_trace;

/* True when this call of kind is the one to fail. */
static bool hit(enum fi_kind kind)
{
	if (!me.armed || me.paused || me.kind != kind)
		return false;
	if (++me.count != me.at)
		return false;
	me.fired = true;
	if (print_stack && getenv("CCON_FAIL_STACK"))
		print_stack();   /* where the fault is injected, to find a finding's path */
	return true;
}

void fi_arm(enum fi_kind kind, enum fi_effect effect, unsigned long at)
{
	me.kind = kind;
	me.effect = effect;
	me.at = at;
	me.count = 0;
	me.fired = false;
	me.armed = true;
}

bool fi_disarm(void)
{
	me.armed = false;
	return me.fired;
}

unsigned long fi_count(void)
{
	return me.count;
}

void fi_pause(void)
{
	me.paused++;
}

void fi_resume(void)
{
	me.paused--;
}

const char *fi_kind_name(enum fi_kind k)
{
	static const char *const names[FI__KINDS] = {
		"alloc", "read", "write", "sqlite3_step", "store write", "store read", "store sync",
	};

	return k < FI__KINDS ? names[k] : "?";
}

const char *fi_effect_name(enum fi_effect e)
{
	switch (e) {
	case FI_FAIL:
		return "fail";
	case FI_EINTR:
		return "EINTR";
	case FI_SHORT:
		return "short";
	case FI_ENOSPC:
		return "ENOSPC";
	}
	return "?";
}

/* ------------------------------------------------- live allocation set */

#define TRACK_SLOTS (1u << 18)
#define TOMB ((void *)1)

static void *track_table[TRACK_SLOTS];
static size_t track_live;
static int track_active;   /* threads tracking: free looks only then */
static pthread_mutex_t track_lock = PTHREAD_MUTEX_INITIALIZER;

static size_t slot_of(const void *p)
{
	uintptr_t h = (uintptr_t)p;

	h ^= h >> 17;
	h *= 0x9E3779B97F4A7C15u;
	return (size_t)(h >> 7) & (TRACK_SLOTS - 1);
}

static void track_add(void *p)
{
	size_t i;

	if (!p || !me.tracking || me.paused)
		return;
	pthread_mutex_lock(&track_lock);
	if (track_live * 2 >= TRACK_SLOTS) {
		fprintf(stderr, "faultinj: too many live allocations to track\n");
		abort();
	}
	for (i = slot_of(p); track_table[i] && track_table[i] != TOMB; i = (i + 1) & (TRACK_SLOTS - 1))
		;
	track_table[i] = p;
	track_live++;
	pthread_mutex_unlock(&track_lock);
}

static void track_del(void *p)
{
	if (!p || !__atomic_load_n(&track_active, __ATOMIC_RELAXED))
		return;
	pthread_mutex_lock(&track_lock);
	for (size_t i = slot_of(p); track_table[i]; i = (i + 1) & (TRACK_SLOTS - 1))
		if (track_table[i] == p) {
			track_table[i] = TOMB;
			track_live--;
			break;
		}
	pthread_mutex_unlock(&track_lock);
}

void fi_track_begin(void)
{
	pthread_mutex_lock(&track_lock);
	memset(track_table, 0, sizeof(track_table));
	track_live = 0;
	pthread_mutex_unlock(&track_lock);
	__atomic_add_fetch(&track_active, 1, __ATOMIC_RELAXED);
	me.tracking = true;
}

size_t fi_track_end(void)
{
	size_t n;

	me.tracking = false;
	__atomic_sub_fetch(&track_active, 1, __ATOMIC_RELAXED);
	pthread_mutex_lock(&track_lock);
	n = track_live;
	pthread_mutex_unlock(&track_lock);
	return n;
}

/* ------------------------------------------------------------ allocations */

void *__real_malloc(size_t n);
void *__real_calloc(size_t k, size_t n);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
void __real_free(void *p);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t k, size_t n);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);
void __wrap_free(void *p);

void *__wrap_malloc(size_t n)
{
	void *p;

	if (hit(FI_ALLOC)) {
		errno = ENOMEM;
		return NULL;
	}
	p = __real_malloc(n);
	track_add(p);
	return p;
}

void *__wrap_calloc(size_t k, size_t n)
{
	void *p;

	if (hit(FI_ALLOC)) {
		errno = ENOMEM;
		return NULL;
	}
	p = __real_calloc(k, n);
	track_add(p);
	return p;
}

void *__wrap_realloc(void *p, size_t n)
{
	void *q;

	if (hit(FI_ALLOC)) {
		errno = ENOMEM;
		return NULL;
	}
	q = __real_realloc(p, n);
	if (q || n == 0) {
		track_del(p);
		track_add(q);
	}
	return q;
}

char *__wrap_strdup(const char *s)
{
	char *p;

	if (hit(FI_ALLOC)) {
		errno = ENOMEM;
		return NULL;
	}
	p = __real_strdup(s);
	track_add(p);
	return p;
}

char *__wrap_strndup(const char *s, size_t n)
{
	char *p;

	if (hit(FI_ALLOC)) {
		errno = ENOMEM;
		return NULL;
	}
	p = __real_strndup(s, n);
	track_add(p);
	return p;
}

void __wrap_free(void *p)
{
	track_del(p);
	__real_free(p);
}

/* libcsv: each parser's buffer through the counter */
int __real_csv_init(struct csv_parser *p, unsigned char options);
int __wrap_csv_init(struct csv_parser *p, unsigned char options);

int __wrap_csv_init(struct csv_parser *p, unsigned char options)
{
	int rc = __real_csv_init(p, options);

	if (rc == 0) {
		csv_set_realloc_func(p, __wrap_realloc);
		csv_set_free_func(p, __wrap_free);
	}
	return rc;
}

/* SQLite: a size header in front of each block */
#define SQ_HEAD 16

static void *sq_malloc(int n)
{
	char *p;

	if (hit(FI_ALLOC))
		return NULL;
	p = __real_malloc((size_t)n + SQ_HEAD);
	if (!p)
		return NULL;
	*(size_t *)p = (size_t)n;
	return p + SQ_HEAD;
}

static void sq_free(void *p)
{
	if (p)
		__real_free((char *)p - SQ_HEAD);
}

static void *sq_realloc(void *p, int n)
{
	char *q;

	if (!p)
		return sq_malloc(n);
	if (hit(FI_ALLOC))
		return NULL;
	q = __real_realloc((char *)p - SQ_HEAD, (size_t)n + SQ_HEAD);
	if (!q)
		return NULL;
	*(size_t *)q = (size_t)n;
	return q + SQ_HEAD;
}

static int sq_size(void *p)
{
	return p ? (int)*(size_t *)((char *)p - SQ_HEAD) : 0;
}

static int sq_roundup(int n)
{
	return (n + 7) & ~7;
}

static int sq_init(void *ctx)
{
	(void)ctx;
	return SQLITE_OK;
}

static void sq_shutdown(void *ctx)
{
	(void)ctx;
}

/* ----------------------------------------------------------------- reads */

ssize_t __real_read(int fd, void *buf, size_t n);
ssize_t __real_pread(int fd, void *buf, size_t n, off_t off);
size_t __real_fread(void *buf, size_t size, size_t nmemb, FILE *f);
int __real_ferror(FILE *f);
void __real_clearerr(FILE *f);
int __real_fclose(FILE *f);
ssize_t __wrap_read(int fd, void *buf, size_t n);
ssize_t __wrap_pread(int fd, void *buf, size_t n, off_t off);
size_t __wrap_fread(void *buf, size_t size, size_t nmemb, FILE *f);
int __wrap_ferror(FILE *f);
void __wrap_clearerr(FILE *f);
int __wrap_fclose(FILE *f);

/* Streams with an injected error: their ferror answers true until
 * clearerr or fclose (stdio's own flag cannot be set from outside). */
#define MARKS 16
static FILE *marked[MARKS];
static pthread_mutex_t mark_lock = PTHREAD_MUTEX_INITIALIZER;

static void mark(FILE *f, bool on)
{
	pthread_mutex_lock(&mark_lock);
	for (int i = 0; i < MARKS; i++)
		if (marked[i] == f)
			marked[i] = NULL;
	for (int i = 0; on && i < MARKS; i++)
		if (!marked[i]) {
			marked[i] = f;
			break;
		}
	pthread_mutex_unlock(&mark_lock);
}

static bool is_marked(FILE *f)
{
	bool m = false;

	pthread_mutex_lock(&mark_lock);
	for (int i = 0; i < MARKS; i++)
		m |= marked[i] == f;
	pthread_mutex_unlock(&mark_lock);
	return m;
}

/* read/pread: how many bytes to ask for, or -1 (errno set) to fail */
static ssize_t read_fault(size_t *n)
{
	if (!hit(FI_READ))
		return 0;
	switch (me.effect) {
	case FI_EINTR:
		errno = EINTR;
		return -1;
	case FI_SHORT:
		if (*n > 1)
			*n /= 2;
		return 0;
	default:
		errno = EIO;
		return -1;
	}
}

ssize_t __wrap_read(int fd, void *buf, size_t n)
{
	if (read_fault(&n) < 0)
		return -1;
	return __real_read(fd, buf, n);
}

ssize_t __wrap_pread(int fd, void *buf, size_t n, off_t off)
{
	if (read_fault(&n) < 0)
		return -1;
	return __real_pread(fd, buf, n, off);
}

/* fread: stdio gives a short count only at the end of the file or on an
 * error, so a fault is an error: EINTR or EIO with nothing read, or
 * (short) half of it read and then EIO. */
size_t __wrap_fread(void *buf, size_t size, size_t nmemb, FILE *f)
{
	size_t got = 0;

	if (!hit(FI_READ))
		return __real_fread(buf, size, nmemb, f);
	if (me.effect == FI_SHORT && nmemb > 1)
		got = __real_fread(buf, size, nmemb / 2, f);
	mark(f, true);
	errno = me.effect == FI_EINTR ? EINTR : EIO;
	return got;
}

int __wrap_ferror(FILE *f)
{
	return is_marked(f) || __real_ferror(f);
}

void __wrap_clearerr(FILE *f)
{
	mark(f, false);
	__real_clearerr(f);
}

int __wrap_fclose(FILE *f)
{
	mark(f, false);
	return __real_fclose(f);
}

/* ---------------------------------------------------------------- writes */

size_t __real_fwrite(const void *buf, size_t size, size_t nmemb, FILE *f);
int __real_fflush(FILE *f);
int __real_fsync(int fd);
size_t __wrap_fwrite(const void *buf, size_t size, size_t nmemb, FILE *f);
int __wrap_fflush(FILE *f);
int __wrap_fsync(int fd);

static int write_errno(void)
{
	return me.effect == FI_ENOSPC ? ENOSPC : EIO;
}

/* A full disk: part of it written, then the error. */
size_t __wrap_fwrite(const void *buf, size_t size, size_t nmemb, FILE *f)
{
	size_t got = 0;

	if (!hit(FI_WRITE))
		return __real_fwrite(buf, size, nmemb, f);
	if (nmemb > 1)
		got = __real_fwrite(buf, size, nmemb / 2, f);
	mark(f, true);
	errno = write_errno();
	return got;
}

int __wrap_fflush(FILE *f)
{
	if (f && hit(FI_WRITE)) {
		mark(f, true);
		errno = write_errno();
		return EOF;
	}
	return __real_fflush(f);
}

int __wrap_fsync(int fd)
{
	if (hit(FI_WRITE)) {
		errno = write_errno();
		return -1;
	}
	return __real_fsync(fd);
}

/* ----------------------------------------------------------- sqlite3_step */

int __real_sqlite3_step(sqlite3_stmt *st);
int __wrap_sqlite3_step(sqlite3_stmt *st);

int __wrap_sqlite3_step(sqlite3_stmt *st)
{
	if (hit(FI_STEP))
		return me.effect == FI_ENOSPC ? SQLITE_FULL : SQLITE_IOERR;
	return __real_sqlite3_step(st);
}

/* ------------------------------------------------------- the store's VFS */

static sqlite3_vfs *real_vfs;
static sqlite3_vfs fi_vfs;

struct fi_file {
	sqlite3_file base;
	sqlite3_file *real;     /* right after this struct, in SQLite's block */
};

#define REAL(f) (((struct fi_file *)(f))->real)

static int f_close(sqlite3_file *f)
{
	return REAL(f)->pMethods->xClose(REAL(f));
}

static int f_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
	if (hit(FI_STORE_READ))
		return SQLITE_IOERR_READ;
	return REAL(f)->pMethods->xRead(REAL(f), buf, n, off);
}

static int f_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
	if (hit(FI_STORE_WRITE))
		return me.effect == FI_ENOSPC ? SQLITE_FULL : SQLITE_IOERR_WRITE;
	return REAL(f)->pMethods->xWrite(REAL(f), buf, n, off);
}

static int f_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	return REAL(f)->pMethods->xTruncate(REAL(f), size);
}

static int f_sync(sqlite3_file *f, int flags)
{
	if (hit(FI_STORE_SYNC))
		return SQLITE_IOERR_FSYNC;
	return REAL(f)->pMethods->xSync(REAL(f), flags);
}

static int f_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return REAL(f)->pMethods->xFileSize(REAL(f), size);
}

static int f_lock(sqlite3_file *f, int level)
{
	return REAL(f)->pMethods->xLock(REAL(f), level);
}

static int f_unlock(sqlite3_file *f, int level)
{
	return REAL(f)->pMethods->xUnlock(REAL(f), level);
}

static int f_check_reserved(sqlite3_file *f, int *out)
{
	return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}

static int f_file_control(sqlite3_file *f, int op, void *arg)
{
	return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}

static int f_sector_size(sqlite3_file *f)
{
	return REAL(f)->pMethods->xSectorSize(REAL(f));
}

static int f_device(sqlite3_file *f)
{
	return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}

static int f_shm_map(sqlite3_file *f, int pg, int pgsz, int extend, void volatile **out)
{
	return REAL(f)->pMethods->xShmMap(REAL(f), pg, pgsz, extend, out);
}

static int f_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
	return REAL(f)->pMethods->xShmLock(REAL(f), offset, n, flags);
}

static void f_shm_barrier(sqlite3_file *f)
{
	REAL(f)->pMethods->xShmBarrier(REAL(f));
}

static int f_shm_unmap(sqlite3_file *f, int del)
{
	return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}

static int f_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **out)
{
	return REAL(f)->pMethods->xFetch(REAL(f), off, n, out);
}

static int f_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	return REAL(f)->pMethods->xUnfetch(REAL(f), off, p);
}

static const sqlite3_io_methods fi_io = {
	3, f_close, f_read, f_write, f_truncate, f_sync, f_file_size, f_lock, f_unlock,
	f_check_reserved, f_file_control, f_sector_size, f_device, f_shm_map, f_shm_lock,
	f_shm_barrier, f_shm_unmap, f_fetch, f_unfetch,
};

static int v_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
	struct fi_file *ff = (struct fi_file *)f;
	int rc;

	(void)vfs;
	ff->real = (sqlite3_file *)(ff + 1);
	ff->real->pMethods = NULL;
	rc = real_vfs->xOpen(real_vfs, name, ff->real, flags, out);
	f->pMethods = ff->real->pMethods ? &fi_io : NULL;
	return rc;
}

static int v_delete(sqlite3_vfs *vfs, const char *name, int sync)
{
	(void)vfs;
	return real_vfs->xDelete(real_vfs, name, sync);
}

static int v_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
	(void)vfs;
	return real_vfs->xAccess(real_vfs, name, flags, out);
}

static int v_full_pathname(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
	(void)vfs;
	return real_vfs->xFullPathname(real_vfs, name, n, out);
}

static void *v_dlopen(sqlite3_vfs *vfs, const char *name)
{
	(void)vfs;
	return real_vfs->xDlOpen(real_vfs, name);
}

static void v_dlerror(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	real_vfs->xDlError(real_vfs, n, out);
}

static void (*v_dlsym(sqlite3_vfs *vfs, void *h, const char *sym))(void)
{
	(void)vfs;
	return real_vfs->xDlSym(real_vfs, h, sym);
}

static void v_dlclose(sqlite3_vfs *vfs, void *h)
{
	(void)vfs;
	real_vfs->xDlClose(real_vfs, h);
}

static int v_randomness(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return real_vfs->xRandomness(real_vfs, n, out);
}

static int v_sleep(sqlite3_vfs *vfs, int us)
{
	(void)vfs;
	return real_vfs->xSleep(real_vfs, us);
}

static int v_current_time(sqlite3_vfs *vfs, double *out)
{
	(void)vfs;
	return real_vfs->xCurrentTime(real_vfs, out);
}

static int v_last_error(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return real_vfs->xGetLastError(real_vfs, n, out);
}

static int v_current_time64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
	(void)vfs;
	return real_vfs->xCurrentTimeInt64(real_vfs, out);
}

/* ------------------------------------------------------------------ init */

void fi_init(void)
{
	static const sqlite3_mem_methods mem = {
		sq_malloc, sq_free, sq_realloc, sq_size, sq_roundup, sq_init, sq_shutdown, NULL,
	};
	cJSON_Hooks hooks = { __wrap_malloc, __wrap_free };

	cJSON_InitHooks(&hooks);
	if (sqlite3_config(SQLITE_CONFIG_MALLOC, &mem) != SQLITE_OK ||
	    sqlite3_initialize() != SQLITE_OK || !(real_vfs = sqlite3_vfs_find(NULL))) {
		fprintf(stderr, "faultinj: cannot install SQLite's hooks\n");
		exit(99);
	}
	fi_vfs.iVersion = 2;
	fi_vfs.szOsFile = (int)sizeof(struct fi_file) + real_vfs->szOsFile;
	fi_vfs.mxPathname = real_vfs->mxPathname;
	fi_vfs.zName = "faultinj";
	fi_vfs.xOpen = v_open;
	fi_vfs.xDelete = v_delete;
	fi_vfs.xAccess = v_access;
	fi_vfs.xFullPathname = v_full_pathname;
	fi_vfs.xDlOpen = v_dlopen;
	fi_vfs.xDlError = v_dlerror;
	fi_vfs.xDlSym = v_dlsym;
	fi_vfs.xDlClose = v_dlclose;
	fi_vfs.xRandomness = v_randomness;
	fi_vfs.xSleep = v_sleep;
	fi_vfs.xCurrentTime = v_current_time;
	fi_vfs.xGetLastError = v_last_error;
	fi_vfs.xCurrentTimeInt64 = v_current_time64;
	if (sqlite3_vfs_register(&fi_vfs, 1) != SQLITE_OK) {
		fprintf(stderr, "faultinj: cannot register the VFS\n");
		exit(99);
	}
}
