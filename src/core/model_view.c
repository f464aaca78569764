/* model_view.c - the campaign view: a stable sort on any column, an
 * incremental case-insensitive filter and a selection kept by campaign id,
 * over rows the model owns. Sorting and filtering never allocate: the
 * arrays are sized once per list. */
#include "config.h"

#include "model_internal.h"

#include <ccon/datetime.h>

#include <stdlib.h>
#include <string.h>

double ccon_campaign_failure_rate(const struct ccon_campaign_summary *s)
{
	double r;

	if (!s || !s->has_counts || s->counts.total <= 0)
		return 0.0;
	r = (double)s->counts.failed / (double)s->counts.total;
	return r > 1.0 ? 1.0 : r;
}

/* Dates sort by instant; a missing or unreadable one before every date. */
static int64_t date_key(const char *s)
{
	struct ccon_error err;
	int64_t us;

	if (!s || ccon_datetime_parse(s, &us, &err) != 0)
		return INT64_MIN;
	return us;
}

static int fold(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* ASCII letters without case, every other byte as is. */
static int text_cmp(const char *a, const char *b)
{
	const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;

	while (*p && fold(*p) == fold(*q)) {
		p++;
		q++;
	}
	return fold(*p) - fold(*q);
}

/* The first 16 bytes of the text, folded, big-endian: unsigned order is
 * the text's order (NUL padding sorts a prefix first). */
static void text_key(const char *s, struct ccon_view_key *k)
{
	uint64_t w[2] = { 0, 0 };
	size_t i;

	s = s ? s : "";
	for (i = 0; i < 16 && s[i]; i++)
		w[i / 8] |= (uint64_t)(unsigned char)fold((unsigned char)s[i]) << (56 - 8 * (i % 8));
	k->hi = w[0];
	k->lo = w[1];
	k->rest = i == 16 && s[16] ? s + 16 : NULL;
}

/* Signed order as unsigned order. */
static uint64_t int_key(int64_t v)
{
	return (uint64_t)v ^ (UINT64_C(1) << 63);
}

static uint64_t real_key(double d)
{
	uint64_t u;

	memcpy(&u, &d, sizeof(u));
	return u >> 63 ? ~u : u | (UINT64_C(1) << 63);
}

static struct ccon_view_key row_key(const struct ccon_campaign_summary *s, size_t row,
                                    enum ccon_campaign_column col)
{
	struct ccon_view_key k = { 0, 0, NULL, row };
	int64_t none = -1;   /* no counts: before every count */

	switch (col) {
	case CCON_COL_NAME:
		text_key(s->name, &k);
		break;
	case CCON_COL_CHANNEL:
		text_key(s->channel_type, &k);
		break;
	case CCON_COL_STATUS:
		text_key(s->status, &k);
		break;
	case CCON_COL_SEND_DATE:
		k.hi = int_key(date_key(s->send_date));
		break;
	case CCON_COL_CREATED:
		k.hi = int_key(date_key(s->created));
		break;
	case CCON_COL_AUDIENCE:
		k.hi = int_key(s->has_counts ? s->counts.total : none);
		break;
	case CCON_COL_RECEIVED:
		k.hi = int_key(s->has_counts ? s->counts.received : none);
		break;
	case CCON_COL_READ:
		k.hi = int_key(s->has_counts ? s->counts.read : none);
		break;
	case CCON_COL_FAILED:
		k.hi = int_key(s->has_counts ? s->counts.failed : none);
		break;
	case CCON_COL_FAILURE_RATE:
	default:
		k.hi = real_key(s->has_counts ? ccon_campaign_failure_rate(s) : -1.0);
		break;
	}
	return k;
}

static int key_cmp(const struct ccon_view_key *a, const struct ccon_view_key *b)
{
	if (a->hi != b->hi)
		return a->hi < b->hi ? -1 : 1;
	if (a->lo != b->lo)
		return a->lo < b->lo ? -1 : 1;
	/* the same first 16 bytes: the one that ends there first */
	if (!a->rest || !b->rest)
		return !!a->rest - !!b->rest;
	return text_cmp(a->rest, b->rest);
}

/* A bottom-up merge sort of keys[0..n): stable, so ties keep the rows'
 * order in both directions. */
static void merge_sort(struct ccon_view *v, bool desc)
{
	size_t n = v->n_rows;
	struct ccon_view_key *src = v->keys, *dst = v->tmp, *t;

	for (size_t width = 1; width < n; width *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * width) {
			size_t mid = lo + width < n ? lo + width : n;
			size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
			size_t i = lo, j = mid, k = lo;

			while (i < mid && j < hi) {
				int c = key_cmp(&src[j], &src[i]);

				/* take the right one only when strictly before */
				if (desc ? c > 0 : c < 0)
					dst[k++] = src[j++];
				else
					dst[k++] = src[i++];
			}
			while (i < mid)
				dst[k++] = src[i++];
			while (j < hi)
				dst[k++] = src[j++];
		}
		t = src;
		src = dst;
		dst = t;
	}
	for (size_t k = 0; k < n; k++)
		v->order[k] = src[k].row;
}

static void sort_rows(struct ccon_view *v)
{
	for (size_t r = 0; r < v->n_rows; r++)
		v->keys[r] = row_key(&v->rows[r], r, v->col);
	merge_sort(v, v->desc);
}

/* --------------------------------------------------------------- filter */

static bool contains_folded(const char *hay, const char *needle, size_t nlen)
{
	if (!hay)
		return false;
	for (const char *h = hay; *h; h++) {
		size_t k = 0;

		while (k < nlen && h[k] && fold((unsigned char)h[k]) == (unsigned char)needle[k])
			k++;
		if (k == nlen)
			return true;
	}
	return false;
}

static bool row_passes(const struct ccon_campaign_summary *s, const char *filter)
{
	size_t n;

	if (!filter)
		return true;
	n = strlen(filter);
	return contains_folded(s->name, filter, n) || contains_folded(s->channel_type, filter, n) ||
	       contains_folded(s->status, filter, n) || contains_folded(s->id, filter, n);
}

/* idx from order: the rows whose pos says they pass (pos >= 0 on entry
 * marks them); renumbers pos. */
static void rebuild_idx(struct ccon_view *v)
{
	size_t n = 0;

	for (size_t k = 0; k < v->n_rows; k++) {
		size_t r = v->order[k];

		if (v->pos[r] >= 0) {
			v->pos[r] = (long)n;
			v->idx[n++] = r;
		}
	}
	v->n = n;
}

/* Marks in pos the rows that pass; only those of the current view when
 * narrow (a filter that contains the previous one cannot let more in). */
static void filter_rows(struct ccon_view *v, bool narrow)
{
	for (size_t r = 0; r < v->n_rows; r++) {
		if (narrow && v->pos[r] < 0)
			continue;
		v->pos[r] = row_passes(&v->rows[r], v->filter) ? 0 : -1;
	}
}

/* ----------------------------------------------------------- id lookup */

static size_t hash_id(const char *s)
{
	uint64_t h = UINT64_C(14695981039346656037);

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
	return (size_t)h;
}

static void hash_build(size_t *slots, size_t n_slots, const struct ccon_campaign_summary *rows,
                       size_t n)
{
	for (size_t r = 0; r < n; r++) {
		size_t i;

		if (!rows[r].id)
			continue;
		for (i = hash_id(rows[r].id) & (n_slots - 1); slots[i]; i = (i + 1) & (n_slots - 1))
			if (strcmp(rows[slots[i] - 1].id, rows[r].id) == 0)
				break;   /* a repeated id: the first row keeps it */
		if (!slots[i])
			slots[i] = r + 1;
	}
}

size_t ccon_view_dedupe(struct ccon_campaign_summary *rows, size_t n)
{
	size_t n_slots = 16, *slots, kept = 0;

	while (n_slots < 2 * n)
		n_slots *= 2;
	slots = calloc(n_slots, sizeof(*slots));
	if (!slots)
		return n;   /* a repeated row shows twice until the next poll */
	for (size_t r = 0; r < n; r++) {
		size_t i = rows[r].id ? hash_id(rows[r].id) & (n_slots - 1) : 0;
		bool seen = false;

		while (rows[r].id && slots[i] && !seen) {
			seen = strcmp(rows[slots[i] - 1].id, rows[r].id) == 0;
			i = (i + 1) & (n_slots - 1);
		}
		if (seen) {
			ccon_campaign_summary_free(&rows[r]);
			continue;
		}
		if (kept != r)
			rows[kept] = rows[r];
		if (rows[kept].id)
			slots[i] = kept + 1;
		kept++;
	}
	free(slots);
	return kept;
}

size_t ccon_view_lookup(const struct ccon_view *v, const char *campaign_id)
{
	if (!campaign_id || !v->n_slots)
		return (size_t)-1;
	for (size_t i = hash_id(campaign_id) & (v->n_slots - 1); v->slots[i];
	     i = (i + 1) & (v->n_slots - 1))
		if (strcmp(v->rows[v->slots[i] - 1].id, campaign_id) == 0)
			return v->slots[i] - 1;
	return (size_t)-1;
}

long ccon_view_find(const struct ccon_view *v, const char *campaign_id)
{
	size_t r = ccon_view_lookup(v, campaign_id);

	return r == (size_t)-1 ? -1 : v->pos[r];
}

size_t ccon_view_row_index(const struct ccon_view *v, size_t i)
{
	return i < v->n ? v->idx[i] : (size_t)-1;
}

/* ------------------------------------------------------------ selection */

static void select_row(struct ccon_view *v, long row)
{
	const char *id;
	char *copy = NULL;

	if (!v->n) {
		free(v->sel_id);
		v->sel_id = NULL;
		v->sel = -1;
		return;
	}
	if (row < 0)
		row = 0;
	if ((size_t)row >= v->n)
		row = (long)v->n - 1;
	v->sel = row;
	id = v->rows[v->idx[row]].id;
	if (v->sel_id && id && strcmp(v->sel_id, id) == 0)
		return;
	if (id)
		copy = strdup(id);   /* out of memory: the selection follows the row number */
	free(v->sel_id);
	v->sel_id = copy;
}

/* Where a row of the old view is now: -1 when gone or filtered out. With
 * the same rows (a filter change) its row number says it, else its id. */
static long now_at(const struct ccon_view *v, const struct ccon_campaign_summary *old_rows,
                   size_t old_row)
{
	if (!old_rows)
		return v->pos[old_row];
	return ccon_view_find(v, old_rows[old_row].id);
}

/* After the view changed: the selected campaign if it is still in view,
 * else the nearest row of the old view (old_rows[old_idx[..]], or v->rows
 * when old_rows is NULL) that is, the next one first, else the same row
 * number. */
static void reselect(struct ccon_view *v, const struct ccon_campaign_summary *old_rows,
                     const size_t *old_idx, size_t old_n, long old_sel)
{
	long at = ccon_view_find(v, v->sel_id);

	if (at >= 0) {
		v->sel = at;
		return;
	}
	if (v->n && old_sel >= 0 && (size_t)old_sel < old_n) {
		size_t s = (size_t)old_sel;

		for (size_t d = 1; d < old_n && (s + d < old_n || s >= d); d++) {
			if (s + d < old_n && (at = now_at(v, old_rows, old_idx[s + d])) >= 0)
				break;
			if (s >= d && (at = now_at(v, old_rows, old_idx[s - d])) >= 0)
				break;
		}
	}
	select_row(v, at >= 0 ? at : old_sel);
}

/* ---------------------------------------------------------------- public */

void ccon_view_init(struct ccon_view *v)
{
	memset(v, 0, sizeof(*v));
	v->col = CCON_COL_CREATED;
	v->desc = true;
	v->sel = -1;
}

static void free_arrays(struct ccon_view *v)
{
	free(v->order);
	free(v->idx);
	free(v->idx_old);
	free(v->pos);
	free(v->tmp);
	free(v->keys);
	free(v->slots);
}

void ccon_view_free(struct ccon_view *v)
{
	free_arrays(v);
	free(v->filter);
	free(v->filter_text);
	free(v->sel_id);
	ccon_view_init(v);
}

int ccon_view_set_rows(struct ccon_view *v, const struct ccon_campaign_summary *rows, size_t n)
{
	struct ccon_view old = *v;
	size_t slots = 16, cap = n ? n : 1;

	while (slots < 2 * n)
		slots *= 2;
	v->order = malloc(cap * sizeof(*v->order));
	v->idx = malloc(cap * sizeof(*v->idx));
	v->idx_old = malloc(cap * sizeof(*v->idx_old));
	v->pos = malloc(cap * sizeof(*v->pos));
	v->tmp = malloc(cap * sizeof(*v->tmp));
	v->keys = malloc(cap * sizeof(*v->keys));
	v->slots = calloc(slots, sizeof(*v->slots));
	if (!v->order || !v->idx || !v->idx_old || !v->pos || !v->tmp || !v->keys || !v->slots) {
		free_arrays(v);
		*v = old;
		return -1;
	}
	v->n_slots = slots;
	v->rows = rows;
	v->n_rows = n;
	hash_build(v->slots, slots, rows, n);
	sort_rows(v);
	filter_rows(v, false);
	rebuild_idx(v);
	reselect(v, old.rows, old.idx, old.n, old.sel);
	free_arrays(&old);
	return 0;
}

void ccon_view_sort(struct ccon_view *v, enum ccon_campaign_column col, bool descending)
{
	if ((unsigned)col >= CCON_COL_COUNT)
		col = CCON_COL_NAME;
	v->col = col;
	v->desc = descending;
	if (!v->n_rows)
		return;
	sort_rows(v);
	rebuild_idx(v);
	reselect(v, NULL, v->idx, 0, v->sel);   /* a sort keeps every row */
}

int ccon_view_filter(struct ccon_view *v, const char *text)
{
	char *f = NULL, *given = NULL;
	bool narrow;
	size_t *t;
	size_t old_n = v->n;

	if (text && *text) {
		f = strdup(text);
		given = strdup(text);
		if (!f || !given) {
			free(f);
			free(given);
			return -1;
		}
		for (char *p = f; *p; p++)
			*p = (char)fold((unsigned char)*p);
	}
	narrow = f && (!v->filter || strstr(f, v->filter));
	free(v->filter);
	free(v->filter_text);
	v->filter = f;
	v->filter_text = given;
	if (!v->n_rows)
		return 0;
	/* the old view, for the nearest row when the selected one goes */
	t = v->idx_old;
	v->idx_old = v->idx;
	v->idx = t;
	filter_rows(v, narrow);
	rebuild_idx(v);
	reselect(v, NULL, v->idx_old, old_n, v->sel);
	return 0;
}

void ccon_view_select(struct ccon_view *v, long row)
{
	select_row(v, row);
}
