#include "config.h"

#include <ccon/audience.h>

#include <ccon/codec_send.h>
#include <ccon/sha256.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dup_str(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);

	if (d)
		memcpy(d, s, n);
	return d;
}

/* Rechecks every field of a row; the row's error is ccon_contact_validate's. */
static void revalidate(struct ccon_roster_row *r)
{
	const struct ccon_contact *c = &r->contact;
	enum ccon_channel_type ch = CCON_CHANNEL_CLOUD_API;

	ccon_error_clear(&r->channel_error);
	if (ccon_channel_type_parse(c->channel_type ? c->channel_type : "", &ch,
	                            &r->channel_error) < 0) {
		ccon_error_at_path(&r->channel_error, "channelType");
		ch = CCON_CHANNEL_CLOUD_API;
	}
	ccon_error_clear(&r->code_error);
	if (ccon_contact_code_normalize(c->contact_code, strlen(c->contact_code), ch,
	                                r->normalized, &r->code_error) < 0) {
		ccon_error_at_path(&r->code_error, "contactCode");
		r->normalized[0] = '\0';
	}
	for (size_t k = 0; k < c->custom_fields.count; k++) {
		ccon_error_clear(&r->field_errors[k]);
		ccon_custom_field_check(&c->custom_fields, k, &r->field_errors[k]);
	}
	ccon_error_clear(&r->error);
	ccon_contact_validate(c, NULL, &r->error);
}

static void row_free(struct ccon_roster_row *r)
{
	ccon_contact_free(&r->contact);
	free(r->field_errors);
	r->field_errors = NULL;
}

void ccon_roster_free(struct ccon_roster *a)
{
	for (size_t i = 0; i < a->count; i++)
		row_free(&a->rows[i]);
	free(a->rows);
	a->rows = NULL;
	a->count = a->cap = 0;
}

static int reserve(struct ccon_roster *a, size_t extra)
{
	size_t cap = a->cap ? a->cap : 16;
	struct ccon_roster_row *rows;

	if (a->count + extra <= a->cap)
		return 0;
	while (cap < a->count + extra)
		cap *= 2;
	rows = realloc(a->rows, cap * sizeof(*rows));
	if (!rows)
		return -1;
	a->rows = rows;
	a->cap = cap;
	return 0;
}

/* Fills r from the parts given (copies); on failure r holds nothing. */
static int row_init(struct ccon_roster_row *r, const char *code, const char *channel,
                    const struct ccon_fields *fields)
{
	memset(r, 0, sizeof(*r));
	r->contact.contact_code = dup_str(code ? code : "");
	r->contact.channel_type = dup_str(channel ? channel : "cloud_api");
	if (!r->contact.contact_code || !r->contact.channel_type)
		goto fail;
	for (size_t k = 0; fields && k < fields->count; k++) {
		const struct ccon_field *f = &fields->items[k];

		if (ccon_fields_add(&r->contact.custom_fields, f->name, f->value,
		                    strlen(f->value)) < 0)
			goto fail;
	}
	if (r->contact.custom_fields.count) {
		r->field_errors = calloc(r->contact.custom_fields.count, sizeof(*r->field_errors));
		if (!r->field_errors)
			goto fail;
	}
	revalidate(r);
	return 0;
fail:
	row_free(r);
	return -1;
}

static int insert(struct ccon_roster *a, size_t at, const char *code, const char *channel,
                  const struct ccon_fields *fields)
{
	struct ccon_roster_row r;

	if (reserve(a, 1) < 0 || row_init(&r, code, channel, fields) < 0)
		return -1;
	memmove(a->rows + at + 1, a->rows + at, (a->count - at) * sizeof(r));
	a->rows[at] = r;
	a->count++;
	return 0;
}

int ccon_roster_add(struct ccon_roster *a, const char *code, const char *channel,
                      size_t *index)
{
	if (insert(a, a->count, code, channel, NULL) < 0)
		return -1;
	if (index)
		*index = a->count - 1;
	return 0;
}

int ccon_roster_duplicate(struct ccon_roster *a, size_t i)
{
	const struct ccon_contact *c;

	if (i >= a->count)
		return -1;
	c = &a->rows[i].contact;
	/* insert() may move the rows: copy through a row of its own first */
	{
		struct ccon_roster_row copy;

		if (row_init(&copy, c->contact_code, c->channel_type, &c->custom_fields) < 0)
			return -1;
		if (reserve(a, 1) < 0) {
			row_free(&copy);
			return -1;
		}
		memmove(a->rows + i + 2, a->rows + i + 1, (a->count - i - 1) * sizeof(copy));
		a->rows[i + 1] = copy;
		a->count++;
	}
	return 0;
}

void ccon_roster_remove(struct ccon_roster *a, size_t i)
{
	if (i >= a->count)
		return;
	row_free(&a->rows[i]);
	memmove(a->rows + i, a->rows + i + 1, (a->count - i - 1) * sizeof(*a->rows));
	a->count--;
}

static int replace_str(char **slot, const char *s)
{
	char *d = dup_str(s ? s : "");

	if (!d)
		return -1;
	free(*slot);
	*slot = d;
	return 0;
}

int ccon_roster_set_code(struct ccon_roster *a, size_t i, const char *code)
{
	if (i >= a->count || replace_str(&a->rows[i].contact.contact_code, code) < 0)
		return -1;
	revalidate(&a->rows[i]);
	return 0;
}

int ccon_roster_set_channel(struct ccon_roster *a, size_t i, const char *channel)
{
	if (i >= a->count || replace_str(&a->rows[i].contact.channel_type, channel) < 0)
		return -1;
	revalidate(&a->rows[i]);
	return 0;
}

int ccon_roster_field_add(struct ccon_roster *a, size_t i, const char *name,
                            const char *value)
{
	struct ccon_roster_row *r;
	struct ccon_error *errs;
	size_t n;

	if (i >= a->count)
		return -1;
	r = &a->rows[i];
	n = r->contact.custom_fields.count + 1;
	errs = realloc(r->field_errors, n * sizeof(*errs));
	if (!errs)
		return -1;
	r->field_errors = errs;
	if (ccon_fields_add(&r->contact.custom_fields, name ? name : "", value ? value : "",
	                    value ? strlen(value) : 0) < 0)
		return -1;
	revalidate(r);
	return 0;
}

int ccon_roster_field_set(struct ccon_roster *a, size_t i, size_t f, const char *name,
                            const char *value)
{
	struct ccon_field *fld;
	char *n = NULL, *v = NULL;

	if (i >= a->count || f >= a->rows[i].contact.custom_fields.count)
		return -1;
	fld = &a->rows[i].contact.custom_fields.items[f];
	if ((name && !(n = dup_str(name))) || (value && !(v = dup_str(value)))) {
		free(n);
		return -1;
	}
	if (n) {
		free(fld->name);
		fld->name = n;
	}
	if (v) {
		free(fld->value);
		fld->value = v;
	}
	revalidate(&a->rows[i]);
	return 0;
}

int ccon_roster_field_remove(struct ccon_roster *a, size_t i, size_t f)
{
	struct ccon_roster_row *r;
	struct ccon_fields *fs;

	if (i >= a->count || f >= a->rows[i].contact.custom_fields.count)
		return -1;
	r = &a->rows[i];
	fs = &r->contact.custom_fields;
	free(fs->items[f].name);
	free(fs->items[f].value);
	memmove(fs->items + f, fs->items + f + 1, (fs->count - f - 1) * sizeof(*fs->items));
	memmove(r->field_errors + f, r->field_errors + f + 1,
	        (fs->count - f - 1) * sizeof(*r->field_errors));
	fs->count--;
	revalidate(r);
	return 0;
}

size_t ccon_roster_field_index(const struct ccon_roster *a, size_t i, const char *name)
{
	const struct ccon_fields *f;

	if (i >= a->count || !name)
		return CCON_ROSTER_NONE;
	f = &a->rows[i].contact.custom_fields;
	for (size_t k = 0; k < f->count; k++)
		if (strcmp(f->items[k].name, name) == 0)
			return k;
	return CCON_ROSTER_NONE;
}

size_t ccon_roster_find(const struct ccon_roster *a, const char *e164)
{
	for (size_t i = 0; e164[0] && i < a->count; i++)
		if (ccon_roster_row_valid(&a->rows[i]) && strcmp(a->rows[i].normalized, e164) == 0)
			return i;
	return CCON_ROSTER_NONE;
}

size_t ccon_roster_duplicate_of(const struct ccon_roster *a, size_t i)
{
	size_t j;

	if (i >= a->count || !ccon_roster_row_valid(&a->rows[i]))
		return CCON_ROSTER_NONE;
	j = ccon_roster_find(a, a->rows[i].normalized);
	return j < i ? j : CCON_ROSTER_NONE;
}

/* A set of rows by normalised contactCode, so that a paste or a check of a
 * large roster is linear; rows are stored as indices (0 = empty slot). */
struct seen {
	size_t *slots;
	size_t mask;
};

static int seen_init(struct seen *s, size_t n)
{
	size_t cap = 64;

	while (cap < 2 * n + 2)
		cap *= 2;
	s->slots = calloc(cap, sizeof(*s->slots));
	s->mask = cap - 1;
	return s->slots ? 0 : -1;
}

static size_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return (size_t)h;
}

/* The row already there with row i's number, else i is added and NONE. */
static size_t seen_add(struct seen *s, const struct ccon_roster *a, size_t i)
{
	const char *code = a->rows[i].normalized;
	size_t k = hash(code) & s->mask;

	for (; s->slots[k]; k = (k + 1) & s->mask)
		if (strcmp(a->rows[s->slots[k] - 1].normalized, code) == 0)
			return s->slots[k] - 1;
	s->slots[k] = i + 1;
	return CCON_ROSTER_NONE;
}

static int seen_grow(struct seen *s, const struct ccon_roster *a, size_t n)
{
	struct seen bigger;

	if (2 * n + 2 <= s->mask + 1)
		return 0;
	if (seen_init(&bigger, n) < 0)
		return -1;
	for (size_t k = 0; k <= s->mask; k++)
		if (s->slots[k])
			seen_add(&bigger, a, s->slots[k] - 1);
	free(s->slots);
	*s = bigger;
	return 0;
}

/* Pasting */

static bool strong_sep(char c)
{
	return c == '\n' || c == '\r' || c == ',' || c == ';' || c == '\t';
}

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Appends to an array of n items whose room doubles at each power of two
 * (a realloc per item made a large paste quadratic). */
static int push_item(struct ccon_roster_paste_item **items, size_t n,
                     const struct ccon_roster_paste_item *it)
{
	if (n < 8 ? n == 0 : (n & (n - 1)) == 0) {
		struct ccon_roster_paste_item *p = realloc(*items, (n < 8 ? 8 : 2 * n) * sizeof(*p));

		if (!p)
			return -1;
		*items = p;
	}
	(*items)[n] = *it;
	return 0;
}

/* Adds the item text[0..len) at its place, or counts it as a duplicate. */
static int paste_one(struct ccon_roster *a, struct seen *seen, const char *s, size_t len,
                     const char *channel, struct ccon_roster_paste_item *it,
                     struct ccon_roster_paste *out)
{
	char *code = malloc(len + 1);
	size_t row;
	int rc;

	if (!code)
		return -1;
	memcpy(code, s, len);
	code[len] = '\0';
	rc = ccon_roster_add(a, code, channel, &row);
	free(code);
	if (rc < 0 || seen_grow(seen, a, a->count) < 0)
		return -1;
	it->row = CCON_ROSTER_NONE;
	if (ccon_roster_row_valid(&a->rows[row]))
		it->row = seen_add(seen, a, row);
	if (it->row != CCON_ROSTER_NONE) {
		ccon_roster_remove(a, row);
		out->duplicates++;
		return push_item(&out->duplicate_items, out->duplicates - 1, it);
	}
	out->added++;
	if (ccon_roster_row_valid(&a->rows[row]))
		return 0;
	it->row = row;
	it->error = a->rows[row].error;
	out->invalid++;
	return push_item(&out->invalid_items, out->invalid - 1, it);
}

/* The valid rows, each number once (the first row that has it). */
static int seen_roster(struct seen *seen, const struct ccon_roster *a)
{
	if (seen_init(seen, a->count) < 0)
		return -1;
	for (size_t i = 0; i < a->count; i++)
		if (ccon_roster_row_valid(&a->rows[i]))
			seen_add(seen, a, i);
	return 0;
}

int ccon_roster_paste(struct ccon_roster *a, const char *text, size_t len,
                        const char *channel, struct ccon_roster_paste *out)
{
	bool strong = false;
	long line = 1, col = 1;
	size_t i = 0;
	struct ccon_roster_paste_item it;
	struct seen seen;

	memset(out, 0, sizeof(*out));
	if (seen_roster(&seen, a) < 0)
		return -1;
	memset(&it, 0, sizeof(it));
	for (size_t k = 0; k < len; k++)
		strong = strong || strong_sep(text[k]);
	while (i < len) {
		size_t start, end;
		long start_col;

		/* skip separators and blanks, keeping line and column */
		while (i < len && (strong_sep(text[i]) || blank(text[i]))) {
			if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= len || text[i + 1] != '\n'))) {
				line++;
				col = 1;
			} else {
				col++;
			}
			i++;
		}
		if (i >= len)
			break;
		start = i;
		start_col = col;
		while (i < len && !strong_sep(text[i]) && (strong || !blank(text[i]))) {
			if (((unsigned char)text[i] & 0xc0) != 0x80)
				col++;
			i++;
		}
		end = i;
		while (end > start && blank(text[end - 1]))
			end--;
		it.position++;
		it.line = line;
		it.column = start_col;
		ccon_error_clear(&it.error);
		if (paste_one(a, &seen, text + start, end - start, channel, &it, out) < 0) {
			free(seen.slots);
			return -1;
		}
	}
	free(seen.slots);
	return 0;
}

void ccon_roster_paste_free(struct ccon_roster_paste *p)
{
	free(p->duplicate_items);
	free(p->invalid_items);
	memset(p, 0, sizeof(*p));
}

/* Template variables */

size_t ccon_roster_row_missing(const struct ccon_roster *a, size_t i,
                                 const struct ccon_template_vars *vars,
                                 struct ccon_strbuf *missing)
{
	const struct ccon_fields *f;
	const char **names;
	size_t n;

	if (i >= a->count)
		return 0;
	f = &a->rows[i].contact.custom_fields;
	names = malloc((f->count + 1) * sizeof(*names));
	if (!names)
		return vars->count; /* out of memory: claim nothing is there */
	for (size_t k = 0; k < f->count; k++)
		names[k] = f->items[k].name;
	n = ccon_template_compare(vars, names, f->count, missing, NULL);
	free(names);
	return n;
}

size_t ccon_roster_missing_counts(const struct ccon_roster *a,
                                    const struct ccon_template_vars *vars, size_t *counts)
{
	size_t rows = 0;

	for (size_t v = 0; v < vars->count; v++)
		counts[v] = 0;
	for (size_t i = 0; i < a->count; i++) {
		const struct ccon_fields *f = &a->rows[i].contact.custom_fields;
		bool lacks = false;

		for (size_t v = 0; v < vars->count; v++) {
			if (!ccon_fields_get(f, vars->names[v])) {
				counts[v]++;
				lacks = true;
			}
		}
		rows += lacks;
	}
	return rows;
}

size_t ccon_roster_lacking(const struct ccon_roster *a, const char *name, size_t *rows,
                           size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < a->count; i++) {
		if (ccon_fields_get(&a->rows[i].contact.custom_fields, name))
			continue;
		if (n < max)
			rows[n] = i;
		n++;
	}
	return n;
}

/* Dispatch */

int ccon_roster_duplicates(const struct ccon_roster *a, size_t *dup_of)
{
	struct seen seen;

	for (size_t i = 0; i < a->count; i++)
		dup_of[i] = CCON_ROSTER_NONE;
	if (seen_init(&seen, a->count) < 0)
		return -1;
	for (size_t i = 0; i < a->count; i++)
		if (ccon_roster_row_valid(&a->rows[i]))
			dup_of[i] = seen_add(&seen, a, i);
	free(seen.slots);
	return 0;
}

int ccon_roster_stats(const struct ccon_roster *a, struct ccon_roster_stats *st)
{
	struct seen seen;

	memset(st, 0, sizeof(*st));
	st->rows = a->count;
	for (size_t i = 0; i < a->count; i++)
		st->valid += ccon_roster_row_valid(&a->rows[i]);
	st->invalid = a->count - st->valid;
	if (seen_init(&seen, st->valid) < 0)
		return -1;
	for (size_t i = 0; i < a->count; i++)
		if (ccon_roster_row_valid(&a->rows[i]) && seen_add(&seen, a, i) != CCON_ROSTER_NONE)
			st->duplicates++;
	free(seen.slots);
	return 0;
}

int ccon_roster_check(const struct ccon_roster *a, struct ccon_error *err)
{
	struct seen seen;
	char path[48];

	ccon_error_clear(err);
	if (a->count == 0)
		return ccon_contacts_count_check(0, err);
	if (seen_init(&seen, a->count) < 0)
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	for (size_t i = 0; i < a->count; i++) {
		size_t j;

		if (!ccon_roster_row_valid(&a->rows[i])) {
			free(seen.slots);
			*err = a->rows[i].error;
			snprintf(path, sizeof(path), "contacts[%zu]", i);
			ccon_error_prefix_path(err, path);
			return -1;
		}
		j = seen_add(&seen, a, i);
		if (j != CCON_ROSTER_NONE) {
			free(seen.slots);
			snprintf(path, sizeof(path), "contacts[%zu].contactCode", i);
			ccon_error_at_path(err, path);
			return ccon_error_set(err, CCON_E_AUDIENCE_DUPLICATE,
			                      "%s is also contacts[%zu]; it would be sent twice",
			                      a->rows[i].normalized, j);
		}
	}
	free(seen.slots);
	return 0;
}

size_t ccon_roster_batch_count(const struct ccon_roster *a)
{
	return ccon_batch_count(a->count, CCON_CONTACTS_PER_SEND_MAX);
}

void ccon_roster_batch_key(const char *send_id, size_t index, size_t n_batches,
                             char key[CCON_ROSTER_KEY_SIZE])
{
	struct ccon_sha256 h;
	unsigned char sum[CCON_SHA256_SIZE];
	char tail[64];
	int n;

	n = snprintf(tail, sizeof(tail), "%c%zu/%zu", '\0', index, n_batches);
	ccon_sha256_init(&h);
	ccon_sha256_update(&h, send_id, strlen(send_id));
	ccon_sha256_update(&h, tail, (size_t)n);
	ccon_sha256_final(&h, sum);
	n = snprintf(key, CCON_ROSTER_KEY_SIZE, "ccon-");
	for (size_t k = 0; k < sizeof(sum); k++)
		n += snprintf(key + n, CCON_ROSTER_KEY_SIZE - (size_t)n, "%02x", sum[k]);
	snprintf(key + n, CCON_ROSTER_KEY_SIZE - (size_t)n, "-%zu", index);
}

int ccon_roster_batch_build(const struct ccon_roster *a, const struct ccon_roster_send *s,
                              size_t index, cJSON **body, char key[CCON_ROSTER_KEY_SIZE],
                              struct ccon_error *err)
{
	struct ccon_send_request req;
	size_t first, count, n = ccon_roster_batch_count(a);
	int rc;

	*body = NULL;
	if (ccon_roster_check(a, err) < 0)
		return -1;
	if (index >= n)
		return ccon_error_set(err, CCON_E_INVALID_ARGUMENT,
		                      "batch %zu does not exist; the audience makes %zu", index, n);
	ccon_batch_range(a->count, CCON_CONTACTS_PER_SEND_MAX, index, &first, &count);
	memset(&req, 0, sizeof(req));
	/* a view: the contacts are the rows', with the E.164 contactCode */
	req.contacts = malloc(count * sizeof(*req.contacts));
	if (!req.contacts)
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	for (size_t k = 0; k < count; k++) {
		req.contacts[k] = a->rows[first + k].contact;
		req.contacts[k].contact_code = (char *)a->rows[first + k].normalized;
	}
	req.n_contacts = count;
	req.schedule_at = (char *)s->schedule_at;
	req.delay = (char *)s->delay;
	req.slicing = s->slicing;
	rc = ccon_send_request_encode(&req, body);
	free(req.contacts);
	if (rc < 0)
		return ccon_error_set(err, CCON_E_NOMEM, "out of memory");
	ccon_roster_batch_key(s->send_id ? s->send_id : "", index, n, key);
	return 0;
}
