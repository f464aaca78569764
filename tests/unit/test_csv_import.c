#include "config.h"

#include <ccon/csv_import.h>

#include <ccon/strbuf.h>
#include <ccon/utf8.h>

#include "suites.h"
#include "testutil.h"

#define LAYOUT_1 \
	"{\"contact\":{\"contactCode\":\"{{contactCode}}\",\"channelType\":\"{{channelType}}\"}," \
	"\"customFields\":{\"name\":\"{{nombre}}\",\"ticketId\":\"{{ticket_id}}\",\"age\":\"{{edad}}\"}}"
#define LAYOUT_2 "{\"contact\":{\"contactCode\":\"{{contactCode}}\",\"channelType\":\"cloud_api\"}}"
#define LAYOUT_NAME \
	"{\"contact\":{\"contactCode\":\"{{contactCode}}\",\"channelType\":\"cloud_api\"}," \
	"\"customFields\":{\"name\":\"{{name}}\"}}"

/* Everything an import reports, as text: one line per contact or error. */
struct sink {
	struct ccon_strbuf out;
	struct ccon_strbuf messages;
	int stop_after; /* stop at the n-th contact; 0 never */
	int seen;
};

static int on_contact(void *ctx, const struct ccon_csv_contact *c)
{
	struct sink *s = ctx;

	ccon_strbuf_printf(&s->out, "L%ld %s %s", c->line, c->contact_code, c->channel_type);
	for (size_t i = 0; i < c->n_custom_fields; i++) {
		ck_assert_uint_eq(strlen(c->custom_fields[i].value), c->custom_fields[i].len);
		ccon_strbuf_printf(&s->out, " %s=%s", c->custom_fields[i].name,
		                   c->custom_fields[i].value);
	}
	if (c->context_variables)
		ccon_strbuf_printf(&s->out, " ctx=%.*s", (int)c->context_variables_len,
		                   c->context_variables);
	ccon_strbuf_putc(&s->out, '\n');
	return s->stop_after && ++s->seen >= s->stop_after;
}

static int on_error(void *ctx, const struct ccon_error *e)
{
	struct sink *s = ctx;

	ccon_strbuf_printf(&s->out, "E%ld:%ld %s%s%s\n", e->line, e->column, ccon_errc_name(e->code),
	                   e->path[0] ? " " : "", e->path);
	ccon_strbuf_printf(&s->messages, "%s\n", e->message);
	return 0;
}

struct run {
	char *out;        /* contacts and errors */
	char *messages;   /* error messages */
	struct ccon_csv_stats st;
	int rc;
	struct ccon_error err;
};

static void run_free(struct run *r)
{
	free(r->out);
	free(r->messages);
}

/* Imports csv[0..len) fed in chunks of `chunk` bytes (0: all at once). */
static struct run import_opts(const char *layout_json, const char *csv, size_t len, size_t chunk,
                              const struct ccon_csv_options *opts, int stop_after)
{
	struct ccon_layout layout;
	struct ccon_csv_import *imp;
	struct sink s = { CCON_STRBUF_INIT, CCON_STRBUF_INIT, stop_after, 0 };
	struct run r;
	size_t off = 0;

	memset(&r, 0, sizeof(r));
	ck_assert_msg(ccon_layout_parse(layout_json, strlen(layout_json), &layout, &r.err) == 0,
	              "%s", r.err.message);
	ck_assert_int_eq(ccon_csv_import_new(&layout, opts, on_contact, on_error, &s, &imp, &r.err),
	                 0);
	if (chunk == 0)
		chunk = len ? len : 1;
	while (off < len && r.rc == 0) {
		size_t n = len - off < chunk ? len - off : chunk;

		r.rc = ccon_csv_import_feed(imp, csv + off, n, &r.err);
		off += n;
	}
	if (r.rc == 0)
		r.rc = ccon_csv_import_finish(imp, &r.err);
	ccon_csv_import_stats(imp, &r.st);
	ccon_csv_import_free(imp);
	ccon_layout_free(&layout);
	r.out = ccon_strbuf_detach(&s.out);
	r.messages = ccon_strbuf_detach(&s.messages);
	return r;
}

static struct run import(const char *layout_json, const char *csv)
{
	return import_opts(layout_json, csv, strlen(csv), 0, NULL, 0);
}

static struct run import_file(const char *layout_file, const char *csv_file)
{
	size_t llen, clen;
	char *l = test_read_data(layout_file, &llen), *c = test_read_data(csv_file, &clen);
	struct run r = import_opts(l, c, clen, 0, NULL, 0);

	free(l);
	free(c);
	return r;
}

START_TEST(seed_example_1)
{
	struct run r = import_file("layout_seed_example1.json", "csv_seed_example1.csv");

	ck_assert_int_eq(r.rc, 0);
	ck_assert_str_eq(r.out,
	                 "L2 +34666777888 cloud_api name=John ticketId=5123 age=30\n"
	                 "L3 +34666555666 cloud_api name=Jane ticketId=5528 age=25\n"
	                 "L4 +34666111222 cloud_api name=Alice ticketId=4125 age=28\n");
	ck_assert_uint_eq(r.st.rows, 3);
	ck_assert_uint_eq(r.st.contacts, 3);
	ck_assert_uint_eq(r.st.errors, 0);
	ck_assert_int_eq(r.st.lines, 4);
	ck_assert_int_eq(r.st.delimiter, ',');
	ck_assert_uint_eq(r.st.columns, 5);
	run_free(&r);
}
END_TEST

START_TEST(seed_example_2)
{
	struct run r = import_file("layout_seed_example2.json", "csv_seed_example2.csv");

	ck_assert_int_eq(r.rc, 0);
	ck_assert_str_eq(r.out, "L2 +34666777888 cloud_api\n"
	                        "L3 +34666555666 cloud_api\n"
	                        "L4 +34666111222 cloud_api\n");
	run_free(&r);
}
END_TEST

START_TEST(seed_example_3)
{
	struct run r = import_file("layout_seed_example3.json", "csv_seed_example3.csv");

	ck_assert_int_eq(r.rc, 0);
	ck_assert_str_eq(r.out, "L2 +34666777888 cloud_api name=John age=30\n"
	                        "L3 +34666555666 cloud_api name=Jane age=25\n"
	                        "L4 +34666111222 cloud_api name=Alice age=28\n");
	run_free(&r);
}
END_TEST

START_TEST(seed_example_4)
{
	struct run r = import_file("layout_seed_example4.json", "csv_seed_example4.csv");

	ck_assert_int_eq(r.rc, 0);
	ck_assert_str_eq(r.out, "L2 +34666777888 cloud_api name=Dear client discount=10%\n"
	                        "L3 +34666555666 cloud_api name=Dear client discount=10%\n"
	                        "L4 +34666111222 cloud_api name=Dear client discount=10%\n");
	run_free(&r);
}
END_TEST

START_TEST(path_helper)
{
	struct ccon_layout layout;
	struct ccon_error err;
	struct ccon_csv_stats st;
	struct sink s = { CCON_STRBUF_INIT, CCON_STRBUF_INIT, 0, 0 };
	size_t len;
	char path[1024], *l = test_read_data("layout_seed_example3.json", &len);

	ck_assert_int_eq(ccon_layout_parse(l, len, &layout, &err), 0);
	ck_assert_int_eq(ccon_csv_import_path(test_data_path("csv_seed_example3.csv", path,
	                                                     sizeof(path)),
	                                      &layout, NULL, on_contact, on_error, &s, &st, &err),
	                 0);
	ck_assert_uint_eq(st.contacts, 3);
	ck_assert_int_eq(ccon_csv_import_path("/nonexistent/x.csv", &layout, NULL, on_contact,
	                                      on_error, &s, &st, &err), -1);
	ck_assert_errc(err, CCON_E_IO);
	ccon_layout_free(&layout);
	ccon_strbuf_free(&s.out);
	ccon_strbuf_free(&s.messages);
	free(l);
}
END_TEST

START_TEST(crlf_and_bom)
{
	struct run r = import(LAYOUT_NAME, "\xEF\xBB\xBF" "contactCode,name\r\n"
	                                   "34666777888,Ann\r\n"
	                                   "\r\n"
	                                   "34666555666,Bob\r\n");

	ck_assert_int_eq(r.rc, 0);
	/* the BOM is not part of the first column's name; the CR not of the last */
	ck_assert_str_eq(r.out, "L2 +34666777888 cloud_api name=Ann\n"
	                        "L4 +34666555666 cloud_api name=Bob\n");
	ck_assert_int_eq(r.st.lines, 4);
	run_free(&r);
}
END_TEST

START_TEST(bare_cr_line_ends)
{
	struct run r = import(LAYOUT_NAME, "contactCode,name\r34666777888,Ann\r34666555666,\"B\rob\"\r"
	                                   "34666111222,Cy\r");

	ck_assert_int_eq(r.rc, 0);
	ck_assert_str_eq(r.out, "L2 +34666777888 cloud_api name=Ann\n"
	                        "L3 +34666555666 cloud_api name=B\rob\n"
	                        "L5 +34666111222 cloud_api name=Cy\n");
	run_free(&r);
}
END_TEST

START_TEST(quoted_newlines_keep_line_numbers)
{
	struct run r = import(LAYOUT_NAME, "contactCode,name\n"
	                                   "34666777888,\"two\nlines\"\n"
	                                   "34666555666,\"three\n\nlines, \"\"quoted\"\"\"\n"
	                                   "34666111222,x\"y\n"
	                                   "34666111333,Dee\n");

	ck_assert_str_eq(r.out, "L2 +34666777888 cloud_api name=two\nlines\n"
	                        "L4 +34666555666 cloud_api name=three\n\nlines, \"quoted\"\n"
	                        "E7:2 csv_unbalanced_quote\n"
	                        "L8 +34666111333 cloud_api name=Dee\n");
	ck_assert_int_eq(r.st.lines, 8);
	run_free(&r);
}
END_TEST

START_TEST(delimiter_detection)
{
	struct run r = import(LAYOUT_NAME, "contactCode;name\n34666777888;\"A;B, C\"\n");

	ck_assert_str_eq(r.out, "L2 +34666777888 cloud_api name=A;B, C\n");
	ck_assert_int_eq(r.st.delimiter, ';');
	run_free(&r);

	r = import(LAYOUT_NAME, "contactCode\tname\n34666777888\tA;B,C\n");
	ck_assert_str_eq(r.out, "L2 +34666777888 cloud_api name=A;B,C\n");
	ck_assert_int_eq(r.st.delimiter, '\t');
	run_free(&r);

	/* quoted delimiters in the header do not count; a tie is a comma */
	r = import(LAYOUT_NAME, "\"contactCode;a;b\",name\n34666777888,x\n");
	ck_assert_int_eq(r.st.delimiter, ',');
	run_free(&r);
	r = import(LAYOUT_2, "contactCode\n34666777888\n");
	ck_assert_int_eq(r.st.delimiter, ',');
	ck_assert_str_eq(r.out, "L2 +34666777888 cloud_api\n");
	run_free(&r);
}
END_TEST

START_TEST(delimiter_override)
{
	const char *csv = "contactCode;name;a,b,c\n34666777888;Ann,1;x\n";
	struct ccon_csv_options o = { ';', 0 };
	struct run r = import_opts(LAYOUT_NAME, csv, strlen(csv), 0, &o, 0);

	/* detection would pick ',' (two each: a tie) and miss the name column */
	ck_assert_str_eq(r.out, "L2 +34666777888 cloud_api name=Ann,1\n");
	ck_assert_int_eq(r.st.delimiter, ';');
	run_free(&r);
	r = import(LAYOUT_NAME, csv);
	ck_assert_ptr_nonnull(strstr(r.out, "E1:0 layout_column_missing"));
	run_free(&r);
}
END_TEST

START_TEST(bad_delimiter_option)
{
	struct ccon_layout layout;
	struct ccon_csv_import *imp;
	struct ccon_csv_options o = { '|', 0 };
	struct ccon_error err;

	ck_assert_int_eq(ccon_layout_parse(LAYOUT_2, strlen(LAYOUT_2), &layout, &err), 0);
	ck_assert_int_eq(ccon_csv_import_new(&layout, &o, NULL, NULL, NULL, &imp, &err), -1);
	ck_assert_errc(err, CCON_E_INVALID_ARGUMENT);
	ccon_layout_free(&layout);
}
END_TEST

START_TEST(header_only)
{
	struct run r = import(LAYOUT_2, "contactCode\n");

	ck_assert_int_eq(r.rc, 0);
	ck_assert_str_eq(r.out, "");
	ck_assert_uint_eq(r.st.rows, 0);
	ck_assert_uint_eq(r.st.columns, 1);
	run_free(&r);
}
END_TEST

START_TEST(empty_file)
{
	static const char *const inputs[] = { "", "\n\n  \r\n", "\xEF\xBB\xBF" };

	for (size_t i = 0; i < 3; i++) {
		struct run r = import(LAYOUT_2, inputs[i]);

		ck_assert_int_eq(r.rc, -1);
		ck_assert_errc(r.err, CCON_E_CSV_EMPTY);
		ck_assert_str_eq(r.out, "E0:0 csv_empty\n");
		run_free(&r);
	}
}
END_TEST

START_TEST(leading_empty_lines)
{
	struct run r = import(LAYOUT_2, "\n\ncontactCode\n\n34666777888\n");

	ck_assert_str_eq(r.out, "L5 +34666777888 cloud_api\n");
	run_free(&r);
}
END_TEST

START_TEST(no_trailing_newline)
{
	struct run r = import(LAYOUT_NAME, "contactCode,name\n34666777888,Ann\n34666555666,\"Bob\"");

	ck_assert_str_eq(r.out, "L2 +34666777888 cloud_api name=Ann\n"
	                        "L3 +34666555666 cloud_api name=Bob\n");
	run_free(&r);
	r = import(LAYOUT_2, "contactCode");
	ck_assert_int_eq(r.rc, 0);
	ck_assert_uint_eq(r.st.columns, 1);
	run_free(&r);
}
END_TEST

START_TEST(long_field)
{
	struct ccon_strbuf csv = CCON_STRBUF_INIT;
	struct run r;

	/* 60,000 bytes in a column the layout does not use: fine */
	ccon_strbuf_puts(&csv, "contactCode,notes\n34666777888,\"");
	for (int i = 0; i < 6000; i++)
		ccon_strbuf_puts(&csv, "0123456\n89");
	ccon_strbuf_puts(&csv, "\"\n34666555666,x\n");
	r = import(LAYOUT_2, csv.buf);
	ck_assert_str_eq(r.out, "L2 +34666777888 cloud_api\nL6003 +34666555666 cloud_api\n");
	run_free(&r);
	ccon_strbuf_free(&csv);
}
END_TEST

START_TEST(field_too_long)
{
	const char *csv = "contactCode,notes\n"
	                  "34666777888,0123456789012345678901234567890123456789\n"
	                  "34666555666,short\n";
	struct ccon_csv_options o = { 0, 32 };
	struct run r = import_opts(LAYOUT_2, csv, strlen(csv), 0, &o, 0);

	ck_assert_str_eq(r.out, "E2:2 csv_field_too_long\nL3 +34666555666 cloud_api\n");
	ck_assert_uint_eq(r.st.rows, 2);
	ck_assert_uint_eq(r.st.error_rows, 1);
	run_free(&r);
}
END_TEST

START_TEST(custom_value_too_long)
{
	struct ccon_strbuf csv = CCON_STRBUF_INIT;
	struct run r;

	ccon_strbuf_puts(&csv, "contactCode,name\n34666777888,");
	for (int i = 0; i < CCON_CUSTOM_FIELD_VALUE_MAX + 1; i++)
		ccon_strbuf_putc(&csv, 'a');
	ccon_strbuf_putc(&csv, '\n');
	r = import(LAYOUT_NAME, csv.buf);
	ck_assert_str_eq(r.out, "E2:2 invalid_custom_field_value customFields.name\n");
	run_free(&r);
	ccon_strbuf_free(&csv);
}
END_TEST

START_TEST(unclosed_quote_recovers)
{
	struct run r = import(LAYOUT_NAME, "contactCode,name\n"
	                                   "34666777888,Ann\n"
	                                   "34666555666,\"Bob\n"
	                                   "34666111222,Cy\n"
	                                   "34666111333,Dee\n");

	ck_assert_str_eq(r.out, "L2 +34666777888 cloud_api name=Ann\n"
	                        "E3:2 csv_unbalanced_quote\n"
	                        "L4 +34666111222 cloud_api name=Cy\n"
	                        "L5 +34666111333 cloud_api name=Dee\n");
	ck_assert_ptr_nonnull(strstr(r.messages, "never closed"));
	ck_assert_ptr_nonnull(strstr(r.messages, "resumes at line 4"));
	ck_assert_uint_eq(r.st.rows, 4);
	ck_assert_uint_eq(r.st.error_rows, 1);
	ck_assert_int_eq(r.st.lines, 5);
	run_free(&r);
}
END_TEST

START_TEST(unclosed_quote_last_line)
{
	struct run r = import(LAYOUT_NAME, "contactCode,name\n34666777888,\"Ann");

	ck_assert_str_eq(r.out, "E2:2 csv_unbalanced_quote\n");
	run_free(&r);
}
END_TEST

START_TEST(unclosed_quote_nested_recovery)
{
	/* two unclosed quotes, the second among the replayed lines */
	struct run r = import(LAYOUT_NAME, "contactCode,name\n"
	                                   "34666777888,\"Ann\n"
	                                   "34666555666,\"Bob\n"
	                                   "34666111222,Cy\n");

	ck_assert_str_eq(r.out, "E2:2 csv_unbalanced_quote\n"
	                        "E3:2 csv_unbalanced_quote\n"
	                        "L4 +34666111222 cloud_api name=Cy\n");
	run_free(&r);
}
END_TEST

START_TEST(unclosed_quote_too_long_recovers)
{
	struct ccon_strbuf csv = CCON_STRBUF_INIT;
	struct ccon_csv_options o = { 0, 64 };
	struct run r;

	ccon_strbuf_puts(&csv, "contactCode,name\n34666777888,\"Ann\n");
	for (int i = 0; i < 10; i++)
		ccon_strbuf_puts(&csv, "34666555666,Bob\n");
	r = import_opts(LAYOUT_NAME, csv.buf, csv.len, 0, &o, 0);
	/* the open field outgrows 64 bytes at line 6; lines 3.. are replayed */
	ck_assert_ptr_nonnull(strstr(r.out, "E2:2 csv_field_too_long\nL3 +34666555666"));
	ck_assert_uint_eq(r.st.contacts, 10);
	ck_assert_uint_eq(r.st.rows, 11);
	run_free(&r);
	ccon_strbuf_free(&csv);
}
END_TEST

START_TEST(quote_errors)
{
	struct run r = import(LAYOUT_NAME, "contactCode,name\n"
	                                   "34666777888,Ann \"A\"\n"
	                                   "34666555666,\"Bob\" x\n"
	                                   "34666111222,Cy\n");

	ck_assert_str_eq(r.out, "E2:2 csv_unbalanced_quote\n"
	                        "E3:2 csv_unbalanced_quote\n"
	                        "L4 +34666111222 cloud_api name=Cy\n");
	ck_assert_ptr_nonnull(strstr(r.messages, "quote inside an unquoted field"));
	ck_assert_ptr_nonnull(strstr(r.messages, "text after the closing quote"));
	run_free(&r);
}
END_TEST

START_TEST(field_count)
{
	struct run r = import(LAYOUT_NAME, "contactCode,name\n"
	                                   "34666777888\n"
	                                   "34666555666,Bob,extra,more\n"
	                                   "34666111222,Cy\n");

	ck_assert_str_eq(r.out, "E2:2 csv_field_count\n"
	                        "E3:3 csv_field_count\n"
	                        "L4 +34666111222 cloud_api name=Cy\n");
	ck_assert_ptr_nonnull(strstr(r.messages, "the row has 4 fields but the header has 2"));
	ck_assert_uint_eq(r.st.error_rows, 2);
	run_free(&r);
}
END_TEST

START_TEST(contact_errors)
{
	struct run r = import(LAYOUT_1, "contactCode,channelType,nombre,ticket_id,edad\n"
	                                ",cloud_api,A,1,2\n"
	                                "12,cloud_api,B,1,2\n"
	                                "34666777888,sms,C,1,2\n"
	                                "34 666-777 999,cloud_api,D,1,2\n");

	ck_assert_str_eq(r.out, "E2:1 contact_code_empty contact.contactCode\n"
	                        "E3:1 phone_too_short contact.contactCode\n"
	                        "E4:2 invalid_channel_type contact.channelType\n"
	                        "L5 +34666777999 cloud_api name=D ticketId=1 age=2\n");
	ck_assert_uint_eq(r.st.rows, 4);
	ck_assert_uint_eq(r.st.contacts, 1);
	ck_assert_uint_eq(r.st.error_rows, 3);
	ck_assert_uint_eq(r.st.errors, 3);
	ck_assert_ptr_nonnull(strstr(r.messages, "\"12\": "));
	run_free(&r);
}
END_TEST

/* An empty channelType cell before any channel was read: found by
 * fuzz_layout_map (the cache of the last channel started as "" and read as
 * cloud_api). */
START_TEST(empty_channel_type_first_row)
{
	struct run r = import(LAYOUT_1, "contactCode,channelType,nombre,ticket_id,edad\n"
	                                "34666777888,,A,1,2\n"
	                                "34666777999,cloud_api,B,1,2\n"
	                                "34666777000,,C,1,2\n");

	ck_assert_str_eq(r.out, "E2:2 invalid_channel_type contact.channelType\n"
	                        "L3 +34666777999 cloud_api name=B ticketId=1 age=2\n"
	                        "E4:2 invalid_channel_type contact.channelType\n");
	ck_assert_uint_eq(r.st.contacts, 1);
	run_free(&r);
}
END_TEST

START_TEST(layout_column_missing)
{
	struct run r = import(LAYOUT_1, "contactCode,channelType,nombre\n"
	                                "34666777888,cloud_api,A\n"
	                                "12,cloud_api,B\n"
	                                "34666777888,cloud_api\n");

	ck_assert_int_eq(r.rc, -1);
	ck_assert_errc(r.err, CCON_E_LAYOUT_NO_COLUMN);
	/* reported once; rows are still checked but no contact comes out */
	ck_assert_str_eq(r.out, "E1:0 layout_column_missing customFields.ticketId\n"
	                        "E3:1 phone_too_short contact.contactCode\n"
	                        "E4:3 csv_field_count\n");
	ck_assert_uint_eq(r.st.contacts, 0);
	ck_assert_ptr_nonnull(strstr(r.messages, "the CSV header has: contactCode, channelType, "
	                                         "nombre"));
	run_free(&r);
}
END_TEST

START_TEST(repeated_header_column)
{
	struct run r = import(LAYOUT_NAME, "contactCode,name,name\n34666777888,first,second\n");

	ck_assert_int_eq(r.rc, 0);
	ck_assert_str_eq(r.out, "E1:3 csv_bad_header\nL2 +34666777888 cloud_api name=first\n");
	run_free(&r);
}
END_TEST

START_TEST(latin1_reported_not_garbled)
{
	struct run r = import(LAYOUT_NAME, "contactCode,name\n34666777888,Jos\xe9\n34666555666,Bob\n");

	ck_assert_str_eq(r.out, "E2:2 csv_invalid_utf8\nL3 +34666555666 cloud_api name=Bob\n");
	ck_assert_ptr_nonnull(strstr(r.messages, "byte 4 of the field (0xE9)"));
	ck_assert(ccon_utf8_valid(r.messages, strlen(r.messages), NULL));
	run_free(&r);
}
END_TEST

START_TEST(nul_byte_reported)
{
	static const char csv[] = "contactCode,name\n34666777888,A\0B\n34666555666,Bob\n";
	struct run r = import_opts(LAYOUT_NAME, csv, sizeof(csv) - 1, 0, NULL, 0);

	/* a C string would cut "A\0B" to "A": an error, not a silent truncation */
	ck_assert_str_eq(r.out, "E2:2 csv_invalid_utf8\nL3 +34666555666 cloud_api name=Bob\n");
	ck_assert_ptr_nonnull(strstr(r.messages, "NUL byte at byte 2"));
	run_free(&r);
}
END_TEST

START_TEST(mixed_templates)
{
	const char *layout = "{\"contact\":{\"contactCode\":\"+{{cc}} {{num}}\",\"channelType\":"
	                     "\"cloud_api\"},\"customFields\":{\"greeting\":\"Mr {{name}}!\"}}";
	struct run r = import(layout, "cc,num,name\n34,666777888,Smith\n");

	ck_assert_str_eq(r.out, "L2 +34666777888 cloud_api greeting=Mr Smith!\n");
	run_free(&r);
}
END_TEST

START_TEST(context_variables)
{
	size_t len;
	char want[128], *csv = test_read_data("csv_context_seed.csv", &len);
	struct run r = import_opts(LAYOUT_2, csv, len, 0, NULL, 0);

	/* line 2 is seed 002's example verbatim: its last "}" is missing */
	ck_assert_str_eq(r.out,
	                 "E2:2 csv_invalid_context_variables\n"
	                 "L3 +34666555666 cloud_api ctx={\"cpf\":\"123456789001\",\"cpf2\":1000111222,"
	                 "\"canUseTheseValues\":false,\"specificContext\":{\"foo\":"
	                 "\"111specififForFoo44431\",\"bar\":\"222specififForBar55512\"}}\n"
	                 "L4 +34666111222 cloud_api ctx={\"cpf\":\"123456789001\",\"specificContext\":"
	                 "{\"foo\":\"x\"}}\n"
	                 "L5 +34666111333 cloud_api\n");
	/* line 2's JSON is line 3's without the last byte: the error is at its last one */
	snprintf(want, sizeof(want), "at line 1, character %zu of the unescaped text",
	         strlen(strstr(r.out, "ctx=") + 4) - strlen(strstr(r.out, "\nL4")) - 1);
	ck_assert_msg(strstr(r.messages, want) != NULL, "%s", r.messages);
	free(csv);
	run_free(&r);
}
END_TEST

START_TEST(context_variables_not_object)
{
	struct run r = import(LAYOUT_2, "contactCode,#ContextVariables#\n34666777888,\"[1,2]\"\n"
	                                "34666555666,\"{\\\"\"a\"\"b\"\n");

	ck_assert_str_eq(r.out, "E2:2 csv_invalid_context_variables\n"
	                        "E3:2 csv_invalid_context_variables\n");
	run_free(&r);
}
END_TEST

/* The importer's shortcut for all-digit codes must agree with
 * ccon_contact_code_normalize on every kind of digit string. */
START_TEST(digit_codes_match_normalize)
{
	static const char *const codes[] = {
		"34666777888", "1234567", "123456", "123456789012345", "1234567890123456",
		"9991234567", "2101234567", "3906123456", "0034666777888", "0666777888",
		"80012345678", "4407911123456", "3516", "35166677788", "8801712345678",
		"3466677788/", "3466677788:", "/4666777888", ":4666777888", "346667778 8",
		"34666\17777888", /* DEL */
	};
	struct ccon_strbuf csv = CCON_STRBUF_INIT, want = CCON_STRBUF_INIT;
	struct run r;

	ccon_strbuf_puts(&csv, "contactCode\n");
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		char out[CCON_E164_BUFSIZE];
		struct ccon_error err;

		ccon_strbuf_printf(&csv, "%s\n", codes[i]);
		ccon_error_clear(&err);
		if (ccon_contact_code_normalize(codes[i], strlen(codes[i]), CCON_CHANNEL_CLOUD_API, out,
		                                &err) == 0)
			ccon_strbuf_printf(&want, "L%zu %s cloud_api\n", i + 2, out);
		else
			ccon_strbuf_printf(&want, "E%zu:1 %s contact.contactCode\n", i + 2,
			                   ccon_errc_name(err.code));
	}
	r = import(LAYOUT_2, csv.buf);
	ck_assert_str_eq(r.out, want.buf);
	run_free(&r);
	ccon_strbuf_free(&csv);
	ccon_strbuf_free(&want);
}
END_TEST

START_TEST(callback_stops)
{
	size_t len;
	char *csv = test_read_data("csv_seed_example2.csv", &len);
	struct run r = import_opts(LAYOUT_2, csv, len, 0, NULL, 2);

	ck_assert_int_eq(r.rc, -1);
	ck_assert_errc(r.err, CCON_E_IO);
	ck_assert_uint_eq(r.st.contacts, 2);
	free(csv);
	run_free(&r);
}
END_TEST

/* Everything above at once, fed in chunks of every size. */
static const char chunk_csv[] =
	"\xEF\xBB\xBF" "contactCode;name\r\n"
	"34666777888;\"two\r\nlines\"\r\n"
	"\r\n"
	"34666555666;Jos\xe9\r\n"
	"34666111222;x\"y\r\n"
	"12;short\r\n"
	"34666111333;\"Bob\r\n"
	"34666111444;Cy\r\n"
	"34666111555;\"Dee\"";

START_TEST(every_chunk_size)
{
	size_t len = sizeof(chunk_csv) - 1;
	struct run whole = import_opts(LAYOUT_NAME, chunk_csv, len, 0, NULL, 0);

	ck_assert_str_eq(whole.out, "L2 +34666777888 cloud_api name=two\r\nlines\n"
	                            "E5:2 csv_invalid_utf8\n"
	                            "E6:2 csv_unbalanced_quote\n"
	                            "E7:1 phone_too_short contact.contactCode\n"
	                            "E8:2 csv_unbalanced_quote\n"
	                            "L9 +34666111444 cloud_api name=Cy\n"
	                            "L10 +34666111555 cloud_api name=Dee\n");
	for (size_t chunk = 1; chunk <= len; chunk++) {
		struct run r = import_opts(LAYOUT_NAME, chunk_csv, len, chunk, NULL, 0);

		ck_assert_msg(strcmp(r.out, whole.out) == 0, "chunk %zu:\n%s", chunk, r.out);
		ck_assert_str_eq(r.messages, whole.messages);
		ck_assert_int_eq(memcmp(&r.st, &whole.st, sizeof(r.st)), 0);
		run_free(&r);
	}
	run_free(&whole);
}
END_TEST

START_TEST(counters)
{
	struct run r = import(LAYOUT_NAME, "contactCode,name\n34666777888,A\n\n12,B\n34666555666\n");

	ck_assert_int_eq(r.st.lines, 5);
	ck_assert_uint_eq(r.st.rows, 3);
	ck_assert_uint_eq(r.st.contacts, 1);
	ck_assert_uint_eq(r.st.error_rows, 2);
	ck_assert_uint_eq(r.st.errors, 2);
	run_free(&r);
}
END_TEST

START_TEST(columns_accessor)
{
	struct ccon_layout layout;
	struct ccon_csv_import *imp;
	struct ccon_error err;
	const char *const *cols;
	size_t n;

	ck_assert_int_eq(ccon_layout_parse(LAYOUT_2, strlen(LAYOUT_2), &layout, &err), 0);
	ck_assert_int_eq(ccon_csv_import_new(&layout, NULL, NULL, NULL, NULL, &imp, &err), 0);
	ck_assert_ptr_null(ccon_csv_import_columns(imp, &n));
	ck_assert_int_eq(ccon_csv_import_feed(imp, "contactCode,b\n", 14, &err), 0);
	cols = ccon_csv_import_columns(imp, &n);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(cols[1], "b");
	ck_assert_int_eq(ccon_csv_import_finish(imp, &err), 0);
	ccon_csv_import_free(imp);
	ccon_layout_free(&layout);
}
END_TEST

/* Random lines (blanks, delimiters, quotes, CRs, UTF-8 and not) read whole, where
 * the importer parses plain lines itself, and a byte at a time, where
 * libcsv parses every line: the same contacts, errors and counts. */
START_TEST(plain_lines_match_libcsv)
{
	static const char *const bits[] = { "a", "b", " ", "\t", ",", ";", "\"", "\r", "\xc3\xa9",
	                                    "x y", "", "\xe9", "\xc3" };
	static const char *const heads[] = { "a,b,c", "a;b;c", "a\tb\tc" };
	static const char delims[] = { ',', ';', '\t' };
	const char *layout =
		"{\"contact\":{\"contactCode\":\"34666777888\",\"channelType\":\"cloud_api\"},"
		"\"customFields\":{\"a\":\"{{a}}\",\"b\":\"{{b}}\",\"c\":\"{{c}}\"}}";
	uint64_t seed = 42;

	for (int round = 0; round < 300; round++) {
		struct ccon_strbuf t = CCON_STRBUF_INIT;
		struct ccon_csv_options o = { 0 };
		int k = round % 3;
		const char *eol = round % 2 ? "\r\n" : "\n";
		struct run whole, bytes;

		o.delimiter = delims[k];
		ccon_strbuf_printf(&t, "%s%s", heads[k], eol);
		for (int line = 0; line < 30; line++) {
			seed = seed * 6364136223846793005u + 1442695040888963407u;
			for (int b = (int)(seed >> 60); b > 0; b--) {
				seed = seed * 6364136223846793005u + 1442695040888963407u;
				/* quotes and CRs seldom: most lines stay plain */
				ccon_strbuf_puts(&t, bits[(seed >> 33) % (seed >> 40 & 3 ? 6 : 13)]);
			}
			ccon_strbuf_puts(&t, eol);
		}
		whole = import_opts(layout, t.buf, t.len, 0, &o, 0);
		bytes = import_opts(layout, t.buf, t.len, 1, &o, 0);
		ck_assert_msg(strcmp(whole.out, bytes.out) == 0, "round %d:\n%s\n--- whole:\n%s--- "
		              "bytes:\n%s", round, t.buf, whole.out, bytes.out);
		ck_assert_str_eq(whole.messages, bytes.messages);
		ck_assert_int_eq(memcmp(&whole.st, &bytes.st, sizeof(whole.st)), 0);
		run_free(&whole);
		run_free(&bytes);
		ccon_strbuf_free(&t);
	}
}
END_TEST

Suite *ccon_suite_csv_import(void)
{
	Suite *s = suite_create("csv_import");
	TCase *tc = tcase_create("csv_import");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, seed_example_1);
	tcase_add_test(tc, seed_example_2);
	tcase_add_test(tc, seed_example_3);
	tcase_add_test(tc, seed_example_4);
	tcase_add_test(tc, path_helper);
	tcase_add_test(tc, crlf_and_bom);
	tcase_add_test(tc, bare_cr_line_ends);
	tcase_add_test(tc, quoted_newlines_keep_line_numbers);
	tcase_add_test(tc, delimiter_detection);
	tcase_add_test(tc, delimiter_override);
	tcase_add_test(tc, bad_delimiter_option);
	tcase_add_test(tc, header_only);
	tcase_add_test(tc, empty_file);
	tcase_add_test(tc, leading_empty_lines);
	tcase_add_test(tc, no_trailing_newline);
	tcase_add_test(tc, long_field);
	tcase_add_test(tc, field_too_long);
	tcase_add_test(tc, custom_value_too_long);
	tcase_add_test(tc, unclosed_quote_recovers);
	tcase_add_test(tc, unclosed_quote_last_line);
	tcase_add_test(tc, unclosed_quote_nested_recovery);
	tcase_add_test(tc, unclosed_quote_too_long_recovers);
	tcase_add_test(tc, quote_errors);
	tcase_add_test(tc, field_count);
	tcase_add_test(tc, contact_errors);
	tcase_add_test(tc, empty_channel_type_first_row);
	tcase_add_test(tc, layout_column_missing);
	tcase_add_test(tc, repeated_header_column);
	tcase_add_test(tc, latin1_reported_not_garbled);
	tcase_add_test(tc, nul_byte_reported);
	tcase_add_test(tc, mixed_templates);
	tcase_add_test(tc, context_variables);
	tcase_add_test(tc, context_variables_not_object);
	tcase_add_test(tc, digit_codes_match_normalize);
	tcase_add_test(tc, callback_stops);
	tcase_add_test(tc, every_chunk_size);
	tcase_add_test(tc, counters);
	tcase_add_test(tc, columns_accessor);
	tcase_add_test(tc, plain_lines_match_libcsv);
	suite_add_tcase(s, tc);
	return s;
}
