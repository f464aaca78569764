/* csv_import FILE - how close the importer comes to libcsv's own speed.
 *
 * In one run, best of 3 each, the file read in 64 KiB blocks (from the page
 * cache after the first pass):
 *   (a) libcsv alone: csv_parse over the whole file with empty callbacks and
 *       the importer's options (CSV_STRICT | CSV_APPEND_NULL);
 *   (b) the full import: seed 001 example 1 layout, header binding, UTF-8
 *       checks, phone normalisation to E.164, channel and custom field checks,
 *       one callback per contact.
 * Prints MB/s for both, b/a (the goal is >= 0.6) and the peak RSS. */
#include <ccon/csv_import.h>
#include <ccon/layout.h>

#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#define RUNS 3

static const char layout_json[] =
	"{\"contact\":{\"contactCode\":\"{{contactCode}}\",\"channelType\":\"{{channelType}}\"},"
	"\"customFields\":{\"name\":\"{{nombre}}\",\"ticketId\":\"{{ticket_id}}\","
	"\"age\":\"{{edad}}\"}}";

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void field_cb(void *s, size_t len, void *data)
{
	(void)s;
	(void)len;
	(void)data;
}

static void row_cb(int c, void *data)
{
	(*(size_t *)data)++;
	(void)c;
}

/* (a): returns seconds, *rows the records seen (header included) */
static double bare_parse(const char *path, size_t *rows, size_t *bytes)
{
	static char buf[CCON_CSV_CHUNK];
	struct csv_parser p;
	FILE *f = fopen(path, "rb");
	double t0;
	size_t n;

	if (!f || csv_init(&p, CSV_STRICT | CSV_APPEND_NULL) != 0) {
		perror(path);
		exit(1);
	}
	*rows = *bytes = 0;
	t0 = now();
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		*bytes += n;
		if (csv_parse(&p, buf, n, field_cb, row_cb, rows) != n) {
			fprintf(stderr, "%s: %s\n", path, csv_strerror(csv_error(&p)));
			exit(1);
		}
	}
	csv_fini(&p, field_cb, row_cb, rows);
	t0 = now() - t0;
	csv_free(&p);
	fclose(f);
	return t0;
}

struct counts {
	size_t contacts, bytes, errors;
};

static int on_contact(void *ctx, const struct ccon_csv_contact *c)
{
	struct counts *k = ctx;

	k->contacts++;
	k->bytes += strlen(c->contact_code) + c->custom_fields[0].len;
	return 0;
}

static int on_error(void *ctx, const struct ccon_error *e)
{
	struct counts *k = ctx;

	if (k->errors++ < 5)
		fprintf(stderr, "line %ld, column %ld: %s\n", e->line, e->column, e->message);
	return 0;
}

/* (b) */
static double full_import(const char *path, const struct ccon_layout *layout,
                          struct ccon_csv_stats *st)
{
	struct counts k = { 0, 0, 0 };
	struct ccon_error err;
	double t0 = now();

	if (ccon_csv_import_path(path, layout, NULL, on_contact, on_error, &k, st, &err) < 0) {
		fprintf(stderr, "%s: %s\n", path, err.message);
		exit(1);
	}
	return now() - t0;
}

int main(int argc, char **argv)
{
	struct ccon_layout layout;
	struct ccon_csv_stats st;
	struct ccon_error err;
	struct rusage ru;
	double a = 1e30, b = 1e30, t, mb;
	size_t rows = 0, bytes = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s FILE\n", argv[0]);
		return 2;
	}
	if (ccon_layout_parse(layout_json, strlen(layout_json), &layout, &err) < 0) {
		fprintf(stderr, "layout: %s\n", err.message);
		return 1;
	}
	bare_parse(argv[1], &rows, &bytes); /* warm the page cache */
	for (int i = 0; i < RUNS; i++) {
		if ((t = bare_parse(argv[1], &rows, &bytes)) < a)
			a = t;
		if ((t = full_import(argv[1], &layout, &st)) < b)
			b = t;
	}
	mb = (double)bytes / 1e6;
	getrusage(RUSAGE_SELF, &ru);
	printf("file        %s: %.1f MB, %zu rows\n", argv[1], mb, rows ? rows - 1 : 0);
	printf("libcsv      %7.1f MB/s  (%.3f s, best of %d)\n", mb / a, a, RUNS);
	printf("import      %7.1f MB/s  (%.3f s, best of %d): %zu contacts, %zu errors\n", mb / b,
	       b, RUNS, st.contacts, st.errors);
	printf("ratio b/a   %7.2f  (goal >= 0.60)\n", a / b);
	printf("peak RSS    %7ld KiB\n", ru.ru_maxrss);
	ccon_layout_free(&layout);
	return 0;
}
