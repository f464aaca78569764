#include "config.h"

#include "sendjob_spool.h"

#include <stdlib.h>
#include <string.h>

#define SPOOL_MEMORY_MAX (8u << 20)
#define NULL_LEN UINT32_MAX

struct seen_entry {
	uint64_t hash;
	uint64_t offset;             /* into seen_keys; UINT64_MAX = empty */
};

struct sendjob_spool {
	struct ccon_strbuf mem;      /* records while small */
	FILE *file;                  /* records once spilled */
	struct ccon_strbuf rec;      /* the record being built or read */
	bool failed;
	size_t read_pos;             /* reading: offset in mem, or in rec */
	size_t rec_pos;
	struct seen_entry *seen;
	size_t seen_cap, seen_count;
	struct ccon_strbuf seen_keys;
};

struct sendjob_spool *spool_new(void)
{
	return calloc(1, sizeof(struct sendjob_spool));
}

void spool_free(struct sendjob_spool *sp)
{
	if (!sp)
		return;
	ccon_strbuf_free(&sp->mem);
	ccon_strbuf_free(&sp->rec);
	ccon_strbuf_free(&sp->seen_keys);
	if (sp->file)
		fclose(sp->file);
	free(sp->seen);
	free(sp);
}

static void put_u32(struct ccon_strbuf *sb, uint32_t v, bool *failed)
{
	if (ccon_strbuf_append(sb, (const char *)&v, sizeof(v)) < 0)
		*failed = true;
}

void spool_record_begin(struct sendjob_spool *sp)
{
	ccon_strbuf_reset(&sp->rec);
	put_u32(&sp->rec, 0, &sp->failed); /* the record's length, set at the end */
}

void spool_put_str(struct sendjob_spool *sp, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	put_u32(&sp->rec, s ? (uint32_t)n : NULL_LEN, &sp->failed);
	if (s && ccon_strbuf_append(&sp->rec, s, n) < 0)
		sp->failed = true;
}

void spool_put_i64(struct sendjob_spool *sp, int64_t v)
{
	if (ccon_strbuf_append(&sp->rec, (const char *)&v, sizeof(v)) < 0)
		sp->failed = true;
}

int spool_record_end(struct sendjob_spool *sp)
{
	uint32_t len;

	if (sp->failed || !sp->rec.buf)
		return -1;
	len = (uint32_t)(sp->rec.len - sizeof(len));
	memcpy(sp->rec.buf, &len, sizeof(len));
	if (!sp->file && sp->mem.len + sp->rec.len > SPOOL_MEMORY_MAX) {
		sp->file = tmpfile();
		if (!sp->file || (sp->mem.len && fwrite(sp->mem.buf, 1, sp->mem.len, sp->file) !=
		                                     sp->mem.len))
			return -1;
		ccon_strbuf_free(&sp->mem);
	}
	if (sp->file)
		return fwrite(sp->rec.buf, 1, sp->rec.len, sp->file) == sp->rec.len ? 0 : -1;
	return ccon_strbuf_append(&sp->mem, sp->rec.buf, sp->rec.len);
}

int spool_rewind(struct sendjob_spool *sp)
{
	sp->read_pos = 0;
	if (sp->file && (fflush(sp->file) != 0 || fseek(sp->file, 0, SEEK_SET) != 0))
		return -1;
	return 0;
}

int spool_next(struct sendjob_spool *sp)
{
	uint32_t len;

	if (!sp->file) {
		if (sp->read_pos + sizeof(len) > sp->mem.len)
			return 0;
		memcpy(&len, sp->mem.buf + sp->read_pos, sizeof(len));
		ccon_strbuf_reset(&sp->rec);
		if (ccon_strbuf_append(&sp->rec, sp->mem.buf + sp->read_pos + sizeof(len), len) < 0)
			return -1;
		sp->read_pos += sizeof(len) + len;
	} else {
		if (fread(&len, sizeof(len), 1, sp->file) != 1)
			return feof(sp->file) ? 0 : -1;
		ccon_strbuf_reset(&sp->rec);
		if (ccon_strbuf_reserve(&sp->rec, len) < 0 ||
		    fread(sp->rec.buf, 1, len, sp->file) != len)
			return -1;
		sp->rec.len = len;
	}
	sp->rec_pos = 0;
	return 1;
}

const char *spool_get_str(struct sendjob_spool *sp)
{
	uint32_t len;
	char *s;

	if (sp->rec_pos + sizeof(len) > sp->rec.len)
		return NULL;
	memcpy(&len, sp->rec.buf + sp->rec_pos, sizeof(len));
	if (len == NULL_LEN) {
		sp->rec_pos += sizeof(len);
		return NULL;
	}
	/* Strings are made NUL-terminated in place: the length prefix of the
	 * next field moves into the slot before this one is read. */
	s = sp->rec.buf + sp->rec_pos + sizeof(len);
	memmove(sp->rec.buf + sp->rec_pos, s, len);
	sp->rec.buf[sp->rec_pos + len] = '\0';
	s = sp->rec.buf + sp->rec_pos;
	sp->rec_pos += sizeof(len) + len;
	return s;
}

int64_t spool_get_i64(struct sendjob_spool *sp)
{
	int64_t v = 0;

	if (sp->rec_pos + sizeof(v) <= sp->rec.len) {
		memcpy(&v, sp->rec.buf + sp->rec_pos, sizeof(v));
		sp->rec_pos += sizeof(v);
	}
	return v;
}

static uint64_t hash_bytes(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h ? h : 1;
}

static bool seen_grow(struct sendjob_spool *sp)
{
	size_t cap = sp->seen_cap ? sp->seen_cap * 2 : 1024;
	struct seen_entry *t = malloc(cap * sizeof(*t));

	if (!t)
		return false;
	for (size_t i = 0; i < cap; i++)
		t[i].offset = UINT64_MAX;
	for (size_t i = 0; i < sp->seen_cap; i++) {
		size_t j;

		if (sp->seen[i].offset == UINT64_MAX)
			continue;
		/* NOLINTNEXTLINE(clang-analyzer-core.UndefinedBinaryOperatorResult): all of t is set above */
		for (j = sp->seen[i].hash & (cap - 1); t[j].offset != UINT64_MAX; j = (j + 1) & (cap - 1))
			;
		t[j] = sp->seen[i];
	}
	free(sp->seen);
	sp->seen = t;
	sp->seen_cap = cap;
	return true;
}

bool spool_seen(struct sendjob_spool *sp, const char *key, size_t len, bool *nomem)
{
	uint64_t h = hash_bytes(key, len);
	size_t j;

	if ((sp->seen_count + 1) * 2 > sp->seen_cap && !seen_grow(sp)) {
		*nomem = true;
		return false;
	}
	/* NOLINTNEXTLINE(clang-analyzer-core.UndefinedBinaryOperatorResult): seen_grow sets every slot */
	for (j = h & (sp->seen_cap - 1); sp->seen[j].offset != UINT64_MAX;
	     j = (j + 1) & (sp->seen_cap - 1)) {
		const char *k = sp->seen_keys.buf + sp->seen[j].offset;

		if (sp->seen[j].hash == h && strncmp(k, key, len) == 0 && k[len] == '\0')
			return true;
	}
	sp->seen[j].hash = h;
	sp->seen[j].offset = sp->seen_keys.len;
	if (ccon_strbuf_append(&sp->seen_keys, key, len) < 0 ||
	    ccon_strbuf_putc(&sp->seen_keys, '\0') < 0) {
		sp->seen[j].offset = UINT64_MAX;
		*nomem = true;
		return false;
	}
	sp->seen_count++;
	return false;
}

void spool_seen_reset(struct sendjob_spool *sp)
{
	free(sp->seen);
	sp->seen = NULL;
	sp->seen_cap = sp->seen_count = 0;
	ccon_strbuf_reset(&sp->seen_keys);
}
