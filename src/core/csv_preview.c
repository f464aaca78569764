#include "config.h"

#include <ccon/csv_preview.h>

#include <ccon/utf8.h>

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DETECT_RECORDS 10
#define MIN_STEP 4096

struct ccon_csv_preview {
	int fd;
	uint64_t size;
	uint64_t bytes_read;
	uint64_t data_start;  /* after the BOM */
	uint64_t scan_off;    /* next byte to index */
	bool bom;
	bool header;
	bool indexed;
	char delim;
	char eol;             /* '\n' (LF or CRLF) or '\r' (bare CR) */
	bool special[256];    /* bytes the scanner must look at outside quotes */
	/* the records, header included */
	uint64_t *off;
	uint64_t *end;
	long *line;
	size_t n;
	size_t cap;
	/* scanner state */
	bool in_quote;
	uint64_t q_off;       /* where the open quote is */
	uint64_t q_nl_off;    /* its first line end, 0 when none yet */
	long q_nl_line;
	bool just_closed;
	bool field_start;
	bool rec_empty;
	long cur_line;
	long field;
	uint64_t rec_off;
	long rec_line;
	bool has_enc;
	struct ccon_error enc;
	/* the last row read */
	char *rbuf;
	size_t rbuf_cap;
	char *arena;
	size_t arena_len;
	size_t arena_cap;
	size_t *starts;
	size_t *lens;
	const char **fields;
	size_t nf;
	size_t f_cap;
	bool overflow;
};

static int read_at(struct ccon_csv_preview *p, void *buf, size_t len, uint64_t off,
                   size_t *got, struct ccon_error *err)
{
	size_t done = 0;

	while (done < len) {
		ssize_t r = pread(p->fd, (char *)buf + done, len - done, (off_t)(off + done));

		if (r < 0) {
			if (errno == EINTR)
				continue;
			ccon_error_set(err, CCON_E_IO, "cannot read the file: %s", strerror(errno));
			return -1;
		}
		if (r == 0)
			break;
		done += (size_t)r;
	}
	p->bytes_read += done;
	*got = done;
	return 0;
}

static int grow_buf(char **buf, size_t *cap, size_t need, struct ccon_error *err)
{
	char *nb;
	size_t nc = *cap ? *cap : 4096;

	if (need <= *cap)
		return 0;
	while (nc < need)
		nc *= 2;
	nb = realloc(*buf, nc);
	if (!nb)
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	*buf = nb;
	*cap = nc;
	return 0;
}

static int push_record(struct ccon_csv_preview *p, uint64_t end, struct ccon_error *err)
{
	if (p->n == p->cap) {
		size_t nc = p->cap ? p->cap * 2 : 1024;
		uint64_t *o = realloc(p->off, nc * sizeof(*o));
		uint64_t *e;
		long *l;

		if (!o)
			return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
		p->off = o;
		e = realloc(p->end, nc * sizeof(*e));
		if (!e)
			return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
		p->end = e;
		l = realloc(p->line, nc * sizeof(*l));
		if (!l)
			return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
		p->line = l;
		p->cap = nc;
	}
	p->off[p->n] = p->rec_off;
	p->end[p->n] = end;
	p->line[p->n] = p->rec_line;
	p->n++;
	return 0;
}

static void note_bad_utf8(struct ccon_csv_preview *p, uint64_t off, unsigned char c)
{
	if (p->has_enc)
		return;
	p->has_enc = true;
	ccon_error_clear(&p->enc);
	ccon_error_set(&p->enc, CCON_E_CSV_UTF8,
	               "the file is not UTF-8: byte 0x%02x at offset %llu", c,
	               (unsigned long long)off);
	ccon_error_at_line(&p->enc, p->cur_line, p->field);
}

/* The end of a record at its eol byte (libcsv drops the CR of a CRLF). */
static int end_record(struct ccon_csv_preview *p, uint64_t off, struct ccon_error *err)
{
	if (!p->rec_empty && push_record(p, off, err) != 0)
		return -1;
	p->cur_line++;
	p->rec_off = off + 1;
	p->rec_line = p->cur_line;
	p->rec_empty = true;
	p->field_start = true;
	p->field = 1;
	return 0;
}

/* A quoted field never closed (or longer than the importer's limit) ends
 * its record at the end of the line where it opened, and the scan resumes
 * on the next line, as the importer does. */
static int rewind_quote(struct ccon_csv_preview *p, struct ccon_error *err)
{
	p->in_quote = false;
	p->just_closed = false;
	p->cur_line = p->q_nl_line;
	if (end_record(p, p->q_nl_off, err) != 0)
		return -1;
	p->scan_off = p->q_nl_off + 1;
	return 0;
}

static bool only_cr(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != '\r')
			return false;
	return true;
}

/* The fast path from a record's start: the whole lines of buf[i..len)
 * before the next quote are records (or empty lines) as they stand, and one
 * pass checks their UTF-8. Returns where the byte scan takes over: the line
 * with the quote, the block's cut last line, the line with the first byte
 * that is not UTF-8. */
static long scan_lines(struct ccon_csv_preview *p, const char *buf, size_t i, size_t len,
                       uint64_t base, struct ccon_error *err)
{
	const char *q = memchr(buf + i, '"', len - i);
	size_t stop = q ? (size_t)(q - buf) : len, end, bad;
	const char *e = memrchr(buf + i, p->eol, stop - i);

	if (!e)
		return (long)i;
	end = (size_t)(e - buf) + 1;
	if (!p->has_enc && !ccon_utf8_valid(buf + i, end - i, &bad)) {
		e = memrchr(buf + i, p->eol, bad);
		end = e ? (size_t)(e - buf) + 1 : i;
	}
	while (i < end) {
		size_t n;

		e = memchr(buf + i, p->eol, end - i);
		n = (size_t)(e - buf) - i;
		p->rec_empty = n == 0 || (p->eol == '\n' && only_cr(buf + i, n));
		if (end_record(p, base + (uint64_t)(e - buf), err) != 0)
			return -1;
		i = (size_t)(e - buf) + 1;
	}
	return (long)i;
}

/* Scans buf (file bytes from base); returns how many bytes were consumed
 * (fewer when a UTF-8 sequence is cut by the end of a non-final block), or
 * -2 when it rewound p->scan_off to after a broken quoted field. */
static long scan(struct ccon_csv_preview *p, const char *buf, size_t len, uint64_t base,
                 bool last, struct ccon_error *err)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = (unsigned char)buf[i];

		if (p->rec_empty && p->field_start && !p->in_quote && !p->just_closed) {
			long k = scan_lines(p, buf, i, len, base, err);

			if (k < 0)
				return -1;
			if ((size_t)k > i) {
				i = (size_t)k;
				continue;
			}
		}
		if (!p->in_quote && !p->special[c]) {
			/* the bulk of a file: plain text inside a field */
			while (++i < len && !p->special[(unsigned char)buf[i]])
				;
			p->rec_empty = false;
			p->field_start = false;
			p->just_closed = false;
			continue;
		}
		if (c >= 0x80) {
			uint32_t cp;
			size_t k = ccon_utf8_decode(buf + i, len - i, &cp);

			if (k == 0 && len - i < 4 && !last)
				break;
			if (k == 0) {
				note_bad_utf8(p, base + i, c);
				k = 1;
			}
			p->rec_empty = false;
			p->field_start = false;
			p->just_closed = false;
			i += k;
			continue;
		}
		if (p->in_quote) {
			if (c == '"') {
				p->in_quote = false;
				p->just_closed = true;
			} else if (c == (unsigned char)p->eol) {
				if (!p->q_nl_off) {
					p->q_nl_off = base + i;
					p->q_nl_line = p->cur_line;
				}
				p->cur_line++;
			}
			if (p->q_nl_off && base + i - p->q_off > CCON_CSV_MAX_FIELD_DEFAULT)
				return rewind_quote(p, err) != 0 ? -1 : -2;
			i++;
			continue;
		}
		if (c == '"') {
			if (p->just_closed || p->field_start) {
				p->in_quote = true;
				if (!p->just_closed) {
					p->q_off = base + i;
					p->q_nl_off = 0;
				}
			}
			p->just_closed = false;
			p->field_start = false;
			p->rec_empty = false;
			i++;
			continue;
		}
		p->just_closed = false;
		if (c == (unsigned char)p->eol) {
			if (end_record(p, base + i, err) != 0)
				return -1;
		} else if (c == '\r' && p->eol == '\n') {
			/* the CR of a CRLF */
		} else if (c == (unsigned char)p->delim) {
			p->field++;
			p->field_start = true;
			p->rec_empty = false;
		} else if (c == ' ' || c == '\t') {
			p->rec_empty = false;
		} else {
			p->rec_empty = false;
			p->field_start = false;
		}
		i++;
	}
	return (long)i;
}

/* Indexes got bytes read at p->scan_off; short_read: the read hit the end. */
static int index_block(struct ccon_csv_preview *p, const char *buf, size_t got, bool short_read,
                       struct ccon_error *err)
{
	bool last = p->scan_off + got >= p->size || short_read;
	long used = scan(p, buf, got, p->scan_off, last, err);

	if (used == -2)
		return 0;
	if (used < 0)
		return -1;
	p->scan_off += (uint64_t)used;
	if (!last)
		return 0;
	if (p->in_quote && p->q_nl_off)
		return rewind_quote(p, err) != 0 ? -1 : 0;
	if (!p->rec_empty && push_record(p, p->scan_off, err) != 0)
		return -1;
	p->indexed = true;
	return 1;
}

int ccon_csv_preview_index_step(struct ccon_csv_preview *p, size_t max_bytes,
                                struct ccon_error *err)
{
	size_t got;

	if (p->indexed)
		return 1;
	/* a step is never more than the rest of the file (+1 to see its end):
	 * "all of it" must not allocate what the caller asked for */
	if (p->scan_off <= p->size && max_bytes > p->size - p->scan_off + 1)
		max_bytes = (size_t)(p->size - p->scan_off + 1);
	if (max_bytes < MIN_STEP)
		max_bytes = MIN_STEP;
	if (grow_buf(&p->rbuf, &p->rbuf_cap, max_bytes, err) != 0)
		return -1;
	if (read_at(p, p->rbuf, max_bytes, p->scan_off, &got, err) != 0)
		return -1;
	return index_block(p, p->rbuf, got, got < max_bytes, err);
}

static void mark_special(struct ccon_csv_preview *p)
{
	memset(p->special, 0, sizeof(p->special));
	memset(p->special + 0x80, 1, 0x80);
	p->special['"'] = p->special['\r'] = p->special['\n'] = true;
	p->special[' '] = p->special['\t'] = true;
	p->special[(unsigned char)p->eol] = p->special[(unsigned char)p->delim] = true;
}

/* Counts c outside quotes in each of the first records of buf. */
static size_t count_delims(const char *buf, size_t len, char eol, char c, size_t *counts)
{
	size_t n = 0, i;
	bool q = false;

	counts[0] = 0;
	for (i = 0; i < len && n < DETECT_RECORDS; i++) {
		if (buf[i] == '"') {
			q = !q;
		} else if (!q && buf[i] == eol) {
			if (++n < DETECT_RECORDS)
				counts[n] = 0;
		} else if (!q && buf[i] == c) {
			counts[n]++;
		}
	}
	if (n < DETECT_RECORDS && i == len)
		n++; /* the last, cut or unterminated record counts when it is the first */
	return n;
}

static char detect_delim(const char *buf, size_t len, char eol)
{
	static const char cand[] = { ',', ';', '\t' };
	size_t counts[DETECT_RECORDS];
	size_t first[3];
	size_t best_cons = 0, best_first = 0, k, r;
	char cons = 0, freq = ',';

	for (k = 0; k < 3; k++) {
		size_t n = count_delims(buf, len, eol, cand[k], counts);
		bool same = n >= 3 && counts[0] > 0;

		/* the last record may be cut by the end of the block */
		for (r = 1; same && r + 1 < n; r++)
			same = counts[r] == counts[0];
		first[k] = counts[0];
		if (same && counts[0] > best_cons) {
			best_cons = counts[0];
			cons = cand[k];
		}
	}
	if (cons)
		return cons;
	for (k = 0; k < 3; k++) {
		if (first[k] > best_first) {
			best_first = first[k];
			freq = cand[k];
		}
	}
	return freq;
}

static char detect_eol(const char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (buf[i] == '\n')
			return '\n';
		if (buf[i] == '\r')
			return (i + 1 < len && buf[i + 1] != '\n') ? '\r' : '\n';
	}
	return '\n';
}

static bool has_digit(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] >= '0' && s[i] <= '9')
			return true;
	return false;
}

static int read_record(struct ccon_csv_preview *p, size_t rec, struct ccon_csv_row *out,
                       struct ccon_error *err);

/* 1 when the first record is a header, 0 when not; -1 (err set) when a
 * record could not be read for want of memory or a read error: a header
 * taken for data would shift every row. A malformed record is no header. */
static int looks_like_header(struct ccon_csv_preview *p, struct ccon_error *err)
{
	struct ccon_csv_row r;
	struct ccon_error e;
	size_t i, j;
	bool second_digit = false;

	if (p->n == 0)
		return 0;
	ccon_error_clear(&e);
	if (read_record(p, 0, &r, &e) != 0) {
		if (e.code == CCON_E_NOMEM || e.code == CCON_E_IO) {
			*err = e;
			return -1;
		}
		return 0;
	}
	for (i = 0; i < r.n_fields; i++) {
		if (r.lens[i] == 0 || has_digit(r.fields[i], r.lens[i]))
			return 0;
		for (j = 0; j < i; j++)
			if (strcmp(r.fields[i], r.fields[j]) == 0)
				return 0;
	}
	if (p->n < 2)
		return 1;
	if (read_record(p, 1, &r, &e) != 0) {
		if (e.code == CCON_E_NOMEM || e.code == CCON_E_IO) {
			*err = e;
			return -1;
		}
		return 1;
	}
	for (i = 0; i < r.n_fields; i++)
		second_digit = second_digit || has_digit(r.fields[i], r.lens[i]);
	return second_digit;
}

int ccon_csv_preview_open(const char *path, const struct ccon_csv_preview_options *opts,
                          struct ccon_csv_preview **out, struct ccon_error *err)
{
	struct ccon_csv_preview *p;
	struct stat st;
	char head[CCON_CSV_CHUNK];
	size_t got;

	*out = NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	p->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (p->fd < 0 || fstat(p->fd, &st) != 0) {
		ccon_error_set(err, CCON_E_IO, "cannot open the file: %s", strerror(errno));
		ccon_csv_preview_close(p);
		return -1;
	}
	p->size = (uint64_t)st.st_size;
	if (read_at(p, head, sizeof(head), 0, &got, err) != 0) {
		ccon_csv_preview_close(p);
		return -1;
	}
	if (got >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0) {
		p->bom = true;
		p->data_start = 3;
	}
	p->eol = detect_eol(head + p->data_start, got - p->data_start);
	p->delim = opts && opts->delimiter ? opts->delimiter
	           : detect_delim(head + p->data_start, got - p->data_start, p->eol);
	mark_special(p);
	p->scan_off = p->data_start;
	p->rec_off = p->data_start;
	p->cur_line = 1;
	p->rec_line = 1;
	p->field = 1;
	p->field_start = true;
	p->rec_empty = true;
	if (index_block(p, head + p->data_start, got - p->data_start, got < sizeof(head), err) < 0) {
		ccon_csv_preview_close(p);
		return -1;
	}
	if (opts && opts->header == CCON_CSV_HEADER_YES)
		p->header = true;
	else if (opts && opts->header == CCON_CSV_HEADER_NO)
		p->header = false;
	else {
		int h = looks_like_header(p, err);

		if (h < 0) {
			ccon_csv_preview_close(p);
			return -1;
		}
		p->header = h > 0;
	}
	*out = p;
	return 0;
}

void ccon_csv_preview_close(struct ccon_csv_preview *p)
{
	if (!p)
		return;
	if (p->fd >= 0)
		close(p->fd);
	free(p->off);
	free(p->end);
	free(p->line);
	free(p->rbuf);
	free(p->arena);
	free(p->starts);
	free(p->lens);
	free(p->fields);
	free(p);
}

bool ccon_csv_preview_indexed(const struct ccon_csv_preview *p)
{
	return p->indexed;
}

char ccon_csv_preview_delimiter(const struct ccon_csv_preview *p)
{
	return p->delim;
}

bool ccon_csv_preview_has_header(const struct ccon_csv_preview *p)
{
	return p->header;
}

bool ccon_csv_preview_had_bom(const struct ccon_csv_preview *p)
{
	return p->bom;
}

uint64_t ccon_csv_preview_file_size(const struct ccon_csv_preview *p)
{
	return p->size;
}

uint64_t ccon_csv_preview_bytes_read(const struct ccon_csv_preview *p)
{
	return p->bytes_read;
}

uint64_t ccon_csv_preview_bytes_indexed(const struct ccon_csv_preview *p)
{
	return p->scan_off;
}

size_t ccon_csv_preview_rows_known(const struct ccon_csv_preview *p)
{
	size_t skip = p->header ? 1 : 0;

	return p->n > skip ? p->n - skip : 0;
}

const struct ccon_error *ccon_csv_preview_encoding_error(const struct ccon_csv_preview *p)
{
	return p->has_enc ? &p->enc : NULL;
}

static void on_field(void *s, size_t len, void *data)
{
	struct ccon_csv_preview *p = data;

	if (p->overflow)
		return;
	if (p->nf == p->f_cap) {
		size_t nc = p->f_cap ? p->f_cap * 2 : 16;
		size_t *st = realloc(p->starts, nc * sizeof(*st));
		size_t *ln;

		if (!st) {
			p->overflow = true;
			return;
		}
		p->starts = st;
		ln = realloc(p->lens, nc * sizeof(*ln));
		if (!ln) {
			p->overflow = true;
			return;
		}
		p->lens = ln;
		p->f_cap = nc;
	}
	if (grow_buf(&p->arena, &p->arena_cap, p->arena_len + len + 1, NULL) != 0) {
		p->overflow = true;
		return;
	}
	if (len)
		memcpy(p->arena + p->arena_len, s, len);
	p->arena[p->arena_len + len] = '\0';
	p->starts[p->nf] = p->arena_len;
	p->lens[p->nf] = len;
	p->arena_len += len + 1;
	p->nf++;
}

static void on_row(int c, void *data)
{
	(void)c;
	(void)data;
}

static int is_space(unsigned char c)
{
	return c == ' ';
}

static int is_space_or_tab(unsigned char c)
{
	return c == ' ' || c == '\t';
}

static int parse_range(struct ccon_csv_preview *p, const char *buf, size_t len, long line,
                       struct ccon_error *err)
{
	struct csv_parser cp;
	size_t done;

	if (csv_init(&cp, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	csv_set_delim(&cp, (unsigned char)p->delim);
	csv_set_space_func(&cp, p->delim == '\t' ? is_space : is_space_or_tab);
	p->nf = 0;
	p->arena_len = 0;
	p->overflow = false;
	done = csv_parse(&cp, buf, len, on_field, on_row, p);
	if (done == len && csv_fini(&cp, on_field, on_row, p) == 0 && !p->overflow) {
		csv_free(&cp);
		return 0;
	}
	/* libcsv's own buffer could not grow: not a fault of the row */
	if (p->overflow || csv_error(&cp) == CSV_ENOMEM) {
		csv_free(&cp);
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	}
	csv_free(&cp);
	ccon_error_set(err, CCON_E_CSV_QUOTE, "unbalanced or stray quote in the row");
	ccon_error_at_line(err, line, (long)p->nf + 1);
	return -1;
}

static int read_record(struct ccon_csv_preview *p, size_t rec, struct ccon_csv_row *out,
                       struct ccon_error *err)
{
	size_t len = (size_t)(p->end[rec] - p->off[rec]), got, i, bad;
	const char **nf;

	if (grow_buf(&p->rbuf, &p->rbuf_cap, len + 1, err) != 0)
		return -1;
	if (read_at(p, p->rbuf, len, p->off[rec], &got, err) != 0)
		return -1;
	if (parse_range(p, p->rbuf, got, p->line[rec], err) != 0)
		return -1;
	nf = realloc(p->fields, (p->nf ? p->nf : 1) * sizeof(*nf));
	if (!nf) {
		ccon_error_set(err, CCON_E_NOMEM, "out of memory");
		return -1;
	}
	p->fields = nf;
	for (i = 0; i < p->nf; i++) {
		p->fields[i] = p->arena + p->starts[i];
		if (!ccon_utf8_valid(p->fields[i], p->lens[i], &bad)) {
			ccon_error_set(err, CCON_E_CSV_UTF8,
			               "field %zu is not UTF-8: byte 0x%02x at offset %zu", i + 1,
			               (unsigned char)p->fields[i][bad], bad);
			ccon_error_at_line(err, p->line[rec], (long)i + 1);
			return -1;
		}
	}
	out->line = p->line[rec];
	out->n_fields = p->nf;
	out->fields = p->fields;
	out->lens = p->lens;
	return 0;
}

int ccon_csv_preview_header(struct ccon_csv_preview *p, struct ccon_csv_row *out,
                            struct ccon_error *err)
{
	memset(out, 0, sizeof(*out));
	if (!p->header || p->n == 0)
		return 0;
	return read_record(p, 0, out, err);
}

int ccon_csv_preview_row(struct ccon_csv_preview *p, size_t row, struct ccon_csv_row *out,
                         struct ccon_error *err)
{
	size_t rec = row + (p->header ? 1 : 0);

	while (rec >= p->n && !p->indexed)
		if (ccon_csv_preview_index_step(p, CCON_CSV_CHUNK * 4, err) < 0)
			return -1;
	if (rec >= p->n)
		return ccon_error_set(err, CCON_E_INVALID_ARGUMENT, "row %zu is past the last row (%zu)",
		                      row + 1, ccon_csv_preview_rows_known(p));
	return read_record(p, rec, out, err);
}

long ccon_csv_preview_row_at_line(const struct ccon_csv_preview *p, long line)
{
	size_t lo = p->header ? 1 : 0, hi = p->n;

	if (lo >= hi || p->line[lo] > line)
		return -1;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->line[mid] <= line)
			lo = mid;
		else
			hi = mid;
	}
	return (long)(lo - (p->header ? 1 : 0));
}

/* Validation */

#define SEEN_BATCH 64

struct seen_slot {
	uint32_t hash;
	uint32_t off;         /* in codes, + 1; 0: a free slot */
};

struct pending {
	uint32_t hash;
	uint32_t off;         /* in codes */
	uint32_t len;
};

struct ccon_csv_validation {
	struct ccon_csv_preview *p;
	struct ccon_csv_import *imp;
	uint64_t off;
	bool synthetic;
	bool done;
	bool cancelled;
	struct ccon_error *errs;
	size_t n_errs;
	size_t cap_errs;
	size_t errors;
	size_t contacts;
	size_t dups;
	struct seen_slot *seen; /* open addressing set of contact codes */
	size_t seen_cap;
	size_t seen_used;
	char *codes;          /* the codes in the set, NUL-terminated, end to end */
	size_t codes_len;
	size_t codes_cap;
	struct pending pend[SEEN_BATCH]; /* codes not yet looked up */
	size_t n_pend;
	bool nomem;
	struct timespec t0;
	double elapsed;
	char *buf;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

/* Eight bytes at a time: a code is a dozen bytes or so. */
static uint32_t hash_str(const char *s, size_t len)
{
	uint64_t h = len * 0x9E3779B97F4A7C15ULL, w;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		memcpy(&w, s + i, 8);
		h = mix(h ^ w);
	}
	w = 0;
	memcpy(&w, s + i, len - i);
	h = mix(h ^ w);
	return (uint32_t)(h ^ (h >> 32));
}

/* Puts an entry in a table with room; no string is read: the stored hash
 * places it. */
static void seen_place(struct seen_slot *slots, size_t cap, struct seen_slot e)
{
	size_t i = e.hash & (cap - 1);

	while (slots[i].off)
		i = (i + 1) & (cap - 1);
	slots[i] = e;
}

static int seen_grow(struct ccon_csv_validation *v)
{
	size_t nc = v->seen_cap ? v->seen_cap * 2 : 1024;
	struct seen_slot *ns = calloc(nc, sizeof(*ns));

	if (!ns)
		return -1;
	for (size_t i = 0; i < v->seen_cap; i++)
		if (v->seen[i].off)
			seen_place(ns, nc, v->seen[i]);
	free(v->seen);
	v->seen = ns;
	v->seen_cap = nc;
	return 0;
}

/* Whether the code at codes[off] came before: when not, it goes in the
 * set, moved down to codes[*w]. */
static bool seen_before(struct ccon_csv_validation *v, struct pending e, size_t *w)
{
	const char *code = v->codes + e.off;
	size_t len = e.len, mask = v->seen_cap - 1, i;

	for (i = e.hash & mask; v->seen[i].off; i = (i + 1) & mask)
		if (v->seen[i].hash == e.hash && strcmp(v->codes + v->seen[i].off - 1, code) == 0)
			return true;
	memmove(v->codes + *w, code, len + 1);
	v->seen[i].hash = e.hash;
	v->seen[i].off = (uint32_t)*w + 1;
	*w += len + 1;
	v->seen_used++;
	return false;
}

/* The batch against the set, in file order: the first of equal codes is
 * the one kept. The set's slots were prefetched as the codes came. */
static int seen_flush(struct ccon_csv_validation *v)
{
	size_t w;

	if (v->n_pend == 0)
		return 0;
	while ((v->seen_used + v->n_pend) * 2 >= v->seen_cap)
		if (seen_grow(v) < 0)
			return -1;
	w = v->pend[0].off;
	for (size_t k = 0; k < v->n_pend; k++)
		if (seen_before(v, v->pend[k], &w))
			v->dups++;
	v->codes_len = w;
	v->n_pend = 0;
	return 0;
}

/* A code joins the batch: its bytes go to the arena at once, the set's
 * slot for it is fetched while the next rows parse (a million codes in a
 * table of 16 MB: otherwise a cache miss each). -1 when out of memory. */
static int seen_add(struct ccon_csv_validation *v, const char *code)
{
	size_t len = strlen(code);
	uint32_t h = hash_str(code, len);

	if (v->codes_len + len + 1 >= UINT32_MAX ||
	    grow_buf(&v->codes, &v->codes_cap, v->codes_len + len + 1, NULL) != 0)
		return -1;
	memcpy(v->codes + v->codes_len, code, len + 1);
	if (v->seen_cap)
		__builtin_prefetch(&v->seen[h & (v->seen_cap - 1)]);
	v->pend[v->n_pend].hash = h;
	v->pend[v->n_pend].off = (uint32_t)v->codes_len;
	v->pend[v->n_pend].len = (uint32_t)len;
	v->n_pend++;
	v->codes_len += len + 1;
	return v->n_pend == SEEN_BATCH ? seen_flush(v) : 0;
}

static int on_contact(void *ctx, const struct ccon_csv_contact *c)
{
	struct ccon_csv_validation *v = ctx;

	if (seen_add(v, c->contact_code) < 0) {
		v->nomem = true;
		return -1;
	}
	v->contacts++;
	return 0;
}

static int on_error(void *ctx, const struct ccon_error *e)
{
	struct ccon_csv_validation *v = ctx;

	v->errors++;
	if (v->n_errs >= CCON_CSV_VALIDATION_KEEP_ERRORS)
		return 0;
	if (v->n_errs == v->cap_errs) {
		size_t nc = v->cap_errs ? v->cap_errs * 2 : 64;
		struct ccon_error *ne = realloc(v->errs, nc * sizeof(*ne));

		if (!ne) {
			v->nomem = true;
			return -1;
		}
		v->errs = ne;
		v->cap_errs = nc;
	}
	v->errs[v->n_errs] = *e;
	/* the synthetic header is one line the file does not have */
	if (v->synthetic && v->errs[v->n_errs].line > 1)
		v->errs[v->n_errs].line--;
	v->n_errs++;
	return 0;
}

static int feed_synthetic_header(struct ccon_csv_validation *v, struct ccon_error *err)
{
	struct ccon_csv_row r;
	char line[32];
	struct ccon_error e;
	size_t i, n = 0;

	ccon_error_clear(&e);
	if (v->p->n > 0 && read_record(v->p, 0, &r, &e) == 0)
		n = r.n_fields;
	else if (e.code == CCON_E_NOMEM || e.code == CCON_E_IO) {
		*err = e;   /* not a malformed record: a header of too few columns */
		return -1;
	}
	for (i = 0; i < n; i++) {
		int k = snprintf(line, sizeof(line), "%scolumn%zu", i ? (char[]){ v->p->delim, 0 } : "",
		                 i + 1);

		if (ccon_csv_import_feed(v->imp, line, (size_t)k, err) != 0)
			return -1;
	}
	if (v->p->eol == '\r')
		return ccon_csv_import_feed(v->imp, "\r", 1, err);
	return ccon_csv_import_feed(v->imp, "\n", 1, err);
}

int ccon_csv_validation_new(struct ccon_csv_preview *p, const struct ccon_layout *layout,
                            struct ccon_csv_validation **out, struct ccon_error *err)
{
	struct ccon_csv_validation *v;
	struct ccon_csv_options o = { p->delim, 0 };

	*out = NULL;
	v = calloc(1, sizeof(*v));
	if (!v)
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	v->p = p;
	v->synthetic = !p->header;
	/* from byte 0, so that the importer takes off the BOM itself: from
	 * data_start it took a second BOM for the first (a synthetic header
	 * comes first, so there the preview's skip stands) */
	v->off = v->synthetic ? p->data_start : 0;
	if (ccon_csv_import_new(layout, &o, on_contact, on_error, v, &v->imp, err) != 0 ||
	    (v->synthetic && feed_synthetic_header(v, err) != 0)) {
		ccon_csv_validation_free(v);
		return -1;
	}
	v->buf = malloc(CCON_CSV_CHUNK);
	if (!v->buf) {
		ccon_csv_validation_free(v);
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	}
	clock_gettime(CLOCK_MONOTONIC, &v->t0);
	*out = v;
	return 0;
}

static int finish(struct ccon_csv_validation *v, struct ccon_error *err)
{
	struct ccon_error e;

	ccon_error_clear(&e);
	v->done = true;
	if ((ccon_csv_import_finish(v->imp, &e) != 0 && (v->nomem || e.code == CCON_E_NOMEM)) ||
	    seen_flush(v) < 0)
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	return 1;
}

int ccon_csv_validation_step(struct ccon_csv_validation *v, size_t max_bytes,
                             struct ccon_error *err)
{
	double t0 = (double)v->t0.tv_sec + (double)v->t0.tv_nsec / 1e9;
	size_t fed = 0;
	int r = 0;

	if (v->done)
		return 1;
	while (fed < max_bytes && r == 0) {
		size_t want = max_bytes - fed < CCON_CSV_CHUNK ? max_bytes - fed : CCON_CSV_CHUNK;
		size_t got;

		if (read_at(v->p, v->buf, want, v->off, &got, err) != 0)
			return -1;
		if (got == 0) {
			r = finish(v, err);
			break;
		}
		if (ccon_csv_import_feed(v->imp, v->buf, got, err) != 0)
			return -1;
		v->off += got;
		fed += got;
	}
	/* the counts are whole at the end of a step */
	if (seen_flush(v) < 0)
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	v->elapsed = now_s() - t0;
	return r;
}

void ccon_csv_validation_cancel(struct ccon_csv_validation *v)
{
	v->cancelled = true;
	v->done = true;
}

void ccon_csv_validation_progress(const struct ccon_csv_validation *v,
                                  struct ccon_csv_progress *out)
{
	struct ccon_csv_stats st;

	ccon_csv_import_stats(v->imp, &st);
	memset(out, 0, sizeof(*out));
	out->bytes_done = v->off;
	out->total_bytes = v->p->size;
	out->rows_done = st.rows;
	out->valid = v->contacts - v->dups;
	out->invalid = st.error_rows;
	out->duplicates = v->dups;
	out->errors = v->errors;
	out->elapsed = v->elapsed;
	out->rows_per_s = v->elapsed > 0 ? (double)st.rows / v->elapsed : 0;
	out->eta = -1;
	if (v->done)
		out->eta = 0;
	else if (v->elapsed > 0 && v->off > v->p->data_start)
		out->eta = (double)(v->p->size - v->off) * v->elapsed /
		           (double)(v->off - v->p->data_start);
	out->done = v->done;
	out->cancelled = v->cancelled;
}

const struct ccon_error *ccon_csv_validation_errors(const struct ccon_csv_validation *v,
                                                    size_t *n)
{
	*n = v->n_errs;
	return v->errs;
}

void ccon_csv_validation_free(struct ccon_csv_validation *v)
{
	if (!v)
		return;
	if (v->imp)
		ccon_csv_import_free(v->imp);
	free(v->seen);
	free(v->codes);
	free(v->errs);
	free(v->buf);
	free(v);
}
