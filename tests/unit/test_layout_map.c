#include "config.h"

#include "suites.h"
#include "testutil.h"

#include <ccon/layout_map.h>

#include <cjson/cJSON.h>
#include <check.h>
#include <unistd.h>

static struct ccon_layout_map *map_new(const char *const *cols, size_t n, const char *const *vars,
                                       size_t nv)
{
	struct ccon_template_vars tv = { (char **)vars, nv };
	struct ccon_layout_map *m;
	struct ccon_error err;

	ccon_error_clear(&err);
	ck_assert_msg(ccon_layout_map_new(cols, n, nv ? &tv : NULL, &m, &err) == 0, "%s",
	              err.message);
	return m;
}

/* The mapping's JSON equals tests/data/<name> as JSON (order aside). */
static void assert_json_is(const struct ccon_layout_map *m, const char *name)
{
	struct ccon_error err;
	char *text, *want = test_read_data(name, NULL), *json;
	cJSON *a, *b;

	ccon_error_clear(&err);
	ck_assert_msg(ccon_layout_map_json(m, true, &json, &err) == 0, "%s: %s", err.path,
	              err.message);
	a = cJSON_Parse(json);
	b = cJSON_Parse(want);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	text = cJSON_PrintUnformatted(a);
	ck_assert_msg(cJSON_Compare(a, b, true), "%s differs: %s", name, text);
	cJSON_free(text);
	cJSON_Delete(a);
	cJSON_Delete(b);
	cJSON_free(json);
	free(want);
}

static size_t col(const struct ccon_layout_map *m, const char *name)
{
	size_t c = ccon_layout_map_column_index(m, name);

	ck_assert_msg(c != (size_t)-1, "no column %s", name);
	return c;
}

static void set_col(struct ccon_layout_map *m, size_t slot, const char *name)
{
	struct ccon_error err;

	ccon_error_clear(&err);
	ck_assert_msg(ccon_layout_map_set_column(m, slot, col(m, name), &err) == 0, "%s",
	              err.message);
}

static void set_fixed(struct ccon_layout_map *m, size_t slot, const char *text)
{
	struct ccon_error err;

	ccon_error_clear(&err);
	ck_assert_msg(ccon_layout_map_set_fixed(m, slot, text, &err) == 0, "%s", err.message);
}

static size_t add(struct ccon_layout_map *m, const char *name)
{
	struct ccon_error err;
	size_t slot;

	ccon_error_clear(&err);
	ck_assert_msg(ccon_layout_map_add_field(m, name, &slot, &err) == 0, "%s", err.message);
	return slot;
}

/* ------------------------------------------------------------ seed 001 */

START_TEST(example1_with_variables)
{
	static const char *cols[] = { "contactCode", "channelType", "nombre", "ticket_id", "edad" };
	static const char *vars[] = { "name", "ticketId", "age" };
	struct ccon_layout_map *m = map_new(cols, 5, vars, 3);

	/* guessed from the header's names */
	ck_assert_int_eq(ccon_layout_map_value(m, 0)->kind, CCON_MAP_COLUMN);
	ck_assert_int_eq(ccon_layout_map_value(m, 1)->kind, CCON_MAP_COLUMN);
	ck_assert_uint_eq(ccon_layout_map_slots(m), 5);
	ck_assert_str_eq(ccon_layout_map_name(m, 2), "name");
	ck_assert(ccon_layout_map_is_variable(m, 2));
	ck_assert_int_eq(ccon_layout_map_value(m, 2)->kind, CCON_MAP_UNSET);
	set_col(m, 2, "nombre");
	set_col(m, 3, "ticket_id");
	set_col(m, 4, "edad");
	assert_json_is(m, "layout_seed_example1.json");
	ccon_layout_map_free(m);
}
END_TEST

START_TEST(example1_without_variables)
{
	static const char *cols[] = { "contactCode", "channelType", "nombre", "ticket_id", "edad" };
	struct ccon_layout_map *m = map_new(cols, 5, NULL, 0);

	ck_assert_uint_eq(ccon_layout_map_slots(m), 2);
	set_col(m, add(m, "name"), "nombre");
	set_col(m, add(m, "ticketId"), "ticket_id");
	set_col(m, add(m, "age"), "edad");
	ck_assert(!ccon_layout_map_is_variable(m, 2));
	assert_json_is(m, "layout_seed_example1.json");
	ccon_layout_map_free(m);
}
END_TEST

START_TEST(example2_fixed_channel)
{
	static const char *cols[] = { "contactCode" };
	struct ccon_layout_map *m = map_new(cols, 1, NULL, 0);
	const struct ccon_map_value *v = ccon_layout_map_value(m, 1);

	/* no channelType column: the one channel seed 000 allows */
	ck_assert_int_eq(v->kind, CCON_MAP_FIXED);
	ck_assert_str_eq(v->text, "cloud_api");
	set_fixed(m, 1, "cloud_api");
	assert_json_is(m, "layout_seed_example2.json");
	ccon_layout_map_free(m);
}
END_TEST

START_TEST(example3_other_names)
{
	static const char *cols[] = { "phoneNumber", "channel", "nombre_cliente", "edad_cliente" };
	static const char *vars[] = { "name", "age" };
	struct ccon_layout_map *m = map_new(cols, 4, vars, 2);
	struct ccon_error err;

	ck_assert_int_eq(ccon_layout_map_value(m, 0)->kind, CCON_MAP_UNSET);
	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_layout_map_json(m, false, &(char *){ NULL }, &err), -1);
	ck_assert_errc(err, CCON_E_LAYOUT_INVALID);
	ck_assert_str_eq(err.path, "contact.contactCode");
	set_col(m, 0, "phoneNumber");
	set_col(m, 1, "channel");
	set_col(m, 2, "nombre_cliente");
	set_col(m, 3, "edad_cliente");
	assert_json_is(m, "layout_seed_example3.json");
	ccon_layout_map_free(m);
}
END_TEST

START_TEST(example4_fixed_values)
{
	static const char *cols[] = { "contactCode", "channelType" };
	static const char *vars[] = { "name", "discount" };
	struct ccon_layout_map *m = map_new(cols, 2, vars, 2);
	struct ccon_error err;

	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_layout_map_set_text(m, 2, "Dear client", &err), 0);
	ck_assert_int_eq(ccon_layout_map_value(m, 2)->kind, CCON_MAP_FIXED);
	set_fixed(m, 3, "10%");
	assert_json_is(m, "layout_seed_example4.json");
	ccon_layout_map_free(m);
}
END_TEST

/* Each example's layout file loads into a mapping that saves it back. */
START_TEST(examples_load_and_save)
{
	for (int i = 1; i <= 4; i++) {
		char name[64], path[1024];
		struct ccon_layout_map *m = map_new(NULL, 0, NULL, 0);
		struct ccon_error err;

		snprintf(name, sizeof(name), "layout_seed_example%d.json", i);
		ccon_error_clear(&err);
		ck_assert_msg(ccon_layout_map_load_file(m, test_data_path(name, path, sizeof(path)),
		                                        &err) == 0, "%s", err.message);
		assert_json_is(m, name);
		ccon_layout_map_free(m);
	}
}
END_TEST

/* ------------------------------------------------------------ values */

START_TEST(set_text_classifies)
{
	static const char *cols[] = { "phone", "x" };
	struct ccon_layout_map *m = map_new(cols, 2, NULL, 0);
	struct ccon_error err;
	size_t s = add(m, "f");

	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_layout_map_set_text(m, s, "{{x}}", &err), 0);
	ck_assert_int_eq(ccon_layout_map_value(m, s)->kind, CCON_MAP_COLUMN);
	ck_assert_str_eq(ccon_layout_map_value(m, s)->text, "x");
	ck_assert_int_eq(ccon_layout_map_set_text(m, s, "{{ x }}", &err), 0);
	ck_assert_int_eq(ccon_layout_map_value(m, s)->kind, CCON_MAP_TEMPLATE);
	ck_assert_int_eq(ccon_layout_map_set_text(m, s, "+34{{phone}}", &err), 0);
	ck_assert_int_eq(ccon_layout_map_value(m, s)->kind, CCON_MAP_TEMPLATE);
	ck_assert_str_eq(ccon_layout_map_value(m, s)->text, "+34{{phone}}");
	ck_assert_int_eq(ccon_layout_map_set_text(m, s, "a { b }", &err), 0);
	ck_assert_int_eq(ccon_layout_map_value(m, s)->kind, CCON_MAP_FIXED);
	ck_assert_int_eq(ccon_layout_map_set_text(m, s, "", &err), 0);
	ck_assert_int_eq(ccon_layout_map_value(m, s)->kind, CCON_MAP_FIXED);
	/* a syntax error changes nothing */
	ck_assert_int_eq(ccon_layout_map_set_text(m, s, "ab{{x", &err), -1);
	ck_assert_errc(err, CCON_E_TEMPLATE_SYNTAX);
	ck_assert_str_eq(err.path, "customFields.f");
	ck_assert_int_eq(err.column, 3);
	ck_assert_int_eq(ccon_layout_map_value(m, s)->kind, CCON_MAP_FIXED);
	ccon_layout_map_free(m);
}
END_TEST

START_TEST(check_refuses)
{
	struct ccon_layout_map *m = map_new(NULL, 0, NULL, 0);
	struct ccon_error err;
	char *big = malloc(CCON_CUSTOM_FIELD_VALUE_MAX + 2);
	size_t s = add(m, "f");

	memset(big, 'a', CCON_CUSTOM_FIELD_VALUE_MAX + 1);
	big[CCON_CUSTOM_FIELD_VALUE_MAX + 1] = '\0';
	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_layout_map_check(m, 1, "sms", &err), -1);
	ck_assert_errc(err, CCON_E_CHANNEL_TYPE);
	ck_assert_str_eq(err.path, "contact.channelType");
	ck_assert_int_eq(ccon_layout_map_check(m, 1, "{{sms}}", &err), 0);
	ck_assert_int_eq(ccon_layout_map_check(m, 0, "", &err), -1);
	ck_assert_errc(err, CCON_E_LAYOUT_INVALID);
	ck_assert_str_eq(err.path, "contact.contactCode");
	ck_assert_int_eq(ccon_layout_map_check(m, s, big, &err), -1);
	ck_assert_errc(err, CCON_E_CUSTOM_FIELD_VALUE);
	big[CCON_CUSTOM_FIELD_VALUE_MAX] = '\0';
	ck_assert_int_eq(ccon_layout_map_check(m, s, big, &err), 0);
	ck_assert_int_eq(ccon_layout_map_check(m, s, "a\xff", &err), -1);
	ck_assert_errc(err, CCON_E_CUSTOM_FIELD_VALUE);
	ck_assert_int_eq(ccon_layout_map_check(m, s, "{{}}", &err), -1);
	ck_assert_errc(err, CCON_E_TEMPLATE_SYNTAX);
	/* a fixed value is literal: no placeholder can hide in it */
	ck_assert_int_eq(ccon_layout_map_set_fixed(m, s, "10% {{off}}", &err), -1);
	ck_assert_errc(err, CCON_E_TEMPLATE_SYNTAX);
	ck_assert_int_eq(err.column, 5);
	ck_assert_int_eq(ccon_layout_map_value(m, s)->kind, CCON_MAP_UNSET);
	ck_assert_int_eq(ccon_layout_map_check(m, 99, "x", &err), -1);
	ck_assert_errc(err, CCON_E_INVALID_ARGUMENT);
	free(big);
	ccon_layout_map_free(m);
}
END_TEST

START_TEST(fields_add_remove)
{
	static const char *vars[] = { "name", "first name", "age" };
	struct ccon_layout_map *m = map_new(NULL, 0, vars, 3);
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	struct ccon_error err;

	/* "first name" cannot name a custom field: left out, reported missing */
	ck_assert_uint_eq(ccon_layout_map_slots(m), 4);
	ck_assert_uint_eq(ccon_layout_map_missing_vars(m, &sb), 1);
	ck_assert_str_eq(ccon_strbuf_cstr(&sb), "first name");
	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_layout_map_add_field(m, "age", NULL, &err), -1);
	ck_assert_errc(err, CCON_E_CUSTOM_FIELD_NAME);
	ck_assert_str_eq(err.path, "customFields.age");
	ck_assert_int_eq(ccon_layout_map_add_field(m, "a-b", NULL, &err), -1);
	ck_assert_errc(err, CCON_E_CUSTOM_FIELD_NAME);
	ck_assert_int_eq(ccon_layout_map_add_field(m, "", NULL, &err), -1);
	ck_assert_int_eq(ccon_layout_map_remove_field(m, 1, &err), -1);
	ck_assert_int_eq(ccon_layout_map_remove_field(m, 2, &err), 0);
	ck_assert_str_eq(ccon_layout_map_name(m, 2), "age");
	ccon_strbuf_reset(&sb);
	ck_assert_uint_eq(ccon_layout_map_missing_vars(m, &sb), 2);
	ck_assert_str_eq(ccon_strbuf_cstr(&sb), "name, first name");
	/* added back: a variable's field again */
	ck_assert_uint_eq(add(m, "name"), 3);
	ck_assert(ccon_layout_map_is_variable(m, 3));
	ck_assert_int_eq(ccon_layout_map_remove_field(m, 4, &err), -1);
	ccon_strbuf_free(&sb);
	ccon_layout_map_free(m);
}
END_TEST

/* The campaign chosen after the preview opened: its variables become fields
 * (guessed from the columns), fields already mapped keep their values. */
START_TEST(vars_set_later)
{
	static const char *cols[] = { "contactCode", "channelType", "nombre", "AGE" };
	static const char *vars[] = { "name", "ticketId", "age", "first name", "age" };
	struct ccon_template_vars tv = { (char **)vars, 5 };
	struct ccon_layout_map *m = map_new(cols, 4, NULL, 0);
	struct ccon_strbuf sb = CCON_STRBUF_INIT;
	struct ccon_error err;
	size_t name = add(m, "name");

	set_col(m, name, "nombre");
	ck_assert(!ccon_layout_map_is_variable(m, name));
	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_layout_map_set_vars(m, &tv, &err), 0);
	/* name kept as mapped; ticketId unset; age guessed from AGE; "first
	 * name" cannot be a field and the repeated "age" is one field */
	ck_assert_uint_eq(ccon_layout_map_slots(m), 5);
	ck_assert(ccon_layout_map_is_variable(m, name));
	ck_assert_str_eq(ccon_layout_map_value(m, name)->text, "nombre");
	ck_assert_uint_eq(ccon_layout_map_field(m, "ticketId"), 3);
	ck_assert_int_eq(ccon_layout_map_value(m, 3)->kind, CCON_MAP_UNSET);
	ck_assert(ccon_layout_map_is_variable(m, 3));
	ck_assert_uint_eq(ccon_layout_map_field(m, "age"), 4);
	ck_assert_int_eq(ccon_layout_map_value(m, 4)->kind, CCON_MAP_COLUMN);
	ck_assert_str_eq(ccon_layout_map_value(m, 4)->text, "AGE");
	ck_assert_uint_eq(ccon_layout_map_missing_vars(m, &sb), 1);
	ck_assert_str_eq(ccon_strbuf_cstr(&sb), "first name");
	/* set again: nothing doubled */
	ck_assert_int_eq(ccon_layout_map_set_vars(m, &tv, &err), 0);
	ck_assert_uint_eq(ccon_layout_map_slots(m), 5);
	/* another campaign: the fields stay, only what is a variable changes */
	tv.count = 1;
	ck_assert_int_eq(ccon_layout_map_set_vars(m, &tv, &err), 0);
	ck_assert_uint_eq(ccon_layout_map_slots(m), 5);
	ck_assert(ccon_layout_map_is_variable(m, name));
	ck_assert(!ccon_layout_map_is_variable(m, 3));
	/* none */
	ck_assert_int_eq(ccon_layout_map_set_vars(m, NULL, &err), 0);
	ck_assert(!ccon_layout_map_is_variable(m, name));
	ccon_strbuf_reset(&sb);
	ck_assert_uint_eq(ccon_layout_map_missing_vars(m, &sb), 0);
	ck_assert_str_eq(ccon_strbuf_cstr(&sb), "");
	ck_assert_uint_eq(ccon_layout_map_field(m, "nope"), (size_t)-1);
	ck_assert_uint_eq(ccon_layout_map_field(m, "contactCode"), (size_t)-1);
	ccon_strbuf_free(&sb);
	ccon_layout_map_free(m);
}
END_TEST

/* Example 3 built after its campaign is known: the guess leaves name and
 * age unset (no column has those names), the operator maps them. */
START_TEST(vars_example3)
{
	static const char *cols[] = { "phoneNumber", "channel", "nombre_cliente", "edad_cliente" };
	static const char *vars[] = { "name", "age" };
	struct ccon_template_vars tv = { (char **)vars, 2 };
	struct ccon_layout_map *m = map_new(cols, 4, NULL, 0);
	struct ccon_layout l;
	struct ccon_error err;

	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_layout_map_set_vars(m, &tv, &err), 0);
	ck_assert_int_eq(ccon_layout_map_build(m, &l, &err), -1);
	ck_assert_errc(err, CCON_E_LAYOUT_INVALID);
	set_col(m, CCON_MAP_CONTACT_CODE, "phoneNumber");
	set_col(m, CCON_MAP_CHANNEL_TYPE, "channel");
	set_col(m, ccon_layout_map_field(m, "name"), "nombre_cliente");
	set_col(m, ccon_layout_map_field(m, "age"), "edad_cliente");
	assert_json_is(m, "layout_seed_example3.json");
	ccon_layout_map_free(m);
}
END_TEST

START_TEST(build_names_unset_field)
{
	static const char *cols[] = { "contactCode" };
	static const char *vars[] = { "age" };
	struct ccon_layout_map *m = map_new(cols, 1, vars, 1);
	struct ccon_layout l;
	struct ccon_error err;

	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_layout_map_build(m, &l, &err), -1);
	ck_assert_errc(err, CCON_E_LAYOUT_INVALID);
	ck_assert_str_eq(err.path, "customFields.age");
	set_fixed(m, 2, "30");
	ck_assert_int_eq(ccon_layout_map_build(m, &l, &err), 0);
	ck_assert_uint_eq(l.n_custom_fields, 1);
	ck_assert_str_eq(l.custom_fields[0].value.tmpl, "30");
	ccon_layout_free(&l);
	ccon_layout_map_unset(m, 2);
	ck_assert_int_eq(ccon_layout_map_build(m, &l, &err), -1);
	ccon_layout_map_free(m);
}
END_TEST

/* ------------------------------------------------------------ load/save */

START_TEST(template_round_trip)
{
	struct ccon_layout_map *m = map_new(NULL, 0, NULL, 0);
	struct ccon_error err;
	char path[1024], tmp[] = "/tmp/ccon-layout-map-XXXXXX", file[64];
	char *a, *b;
	int fd = mkstemp(tmp);

	ck_assert_int_ge(fd, 0);
	close(fd);
	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_layout_map_load_file(m, test_data_path("layout_map_mixed.json", path,
	                                                             sizeof(path)), &err), 0);
	ck_assert_int_eq(ccon_layout_map_value(m, 0)->kind, CCON_MAP_TEMPLATE);
	ck_assert_str_eq(ccon_layout_map_value(m, 0)->text, "+34{{phone}}");
	ck_assert_int_eq(ccon_layout_map_value(m, 1)->kind, CCON_MAP_TEMPLATE);
	ck_assert_str_eq(ccon_layout_map_value(m, 1)->text, "{{ channel }}");
	ck_assert_int_eq(ccon_layout_map_value(m, 2)->kind, CCON_MAP_TEMPLATE);
	ck_assert_int_eq(ccon_layout_map_value(m, 3)->kind, CCON_MAP_FIXED);
	ck_assert_str_eq(ccon_layout_map_value(m, 3)->text, "10");
	ck_assert_int_eq(ccon_layout_map_value(m, 4)->kind, CCON_MAP_COLUMN);
	ck_assert_str_eq(ccon_layout_map_value(m, 4)->text, "ticket");
	ck_assert_int_eq(ccon_layout_map_json(m, false, &a, &err), 0);
	ck_assert_str_eq(a, "{\"contact\":{\"contactCode\":\"+34{{phone}}\",\"channelType\":"
	                    "\"{{ channel }}\"},\"customFields\":{\"greeting\":\"Dear {{nombre}} "
	                    "{{apellido}}\",\"discount\":\"10\",\"code\":\"{{ticket}}\"}}");
	ck_assert_int_eq(ccon_layout_map_save_file(m, tmp, &err), 0);
	ccon_layout_map_free(m);
	m = map_new(NULL, 0, NULL, 0);
	ck_assert_int_eq(ccon_layout_map_load_file(m, tmp, &err), 0);
	ck_assert_int_eq(ccon_layout_map_json(m, false, &b, &err), 0);
	ck_assert_str_eq(a, b);
	cJSON_free(a);
	cJSON_free(b);
	unlink(tmp);
	/* errors name the file and why; the mapping is left as it was */
	snprintf(file, sizeof(file), "%s.none", tmp);
	ck_assert_int_eq(ccon_layout_map_load_file(m, file, &err), -1);
	ck_assert_errc(err, CCON_E_IO);
	ck_assert_ptr_nonnull(strstr(err.message, file));
	ck_assert_int_eq(ccon_layout_map_load_text(m, "{\"contact\":", 11, &err), -1);
	ck_assert_errc(err, CCON_E_JSON_SYNTAX);
	ck_assert_int_eq(ccon_layout_map_load_text(m, "{\"contact\":{\"contactCode\":\"x\"}}", 31,
	                                           &err), -1);
	ck_assert_str_eq(err.path, "contact.channelType");
	ck_assert_uint_eq(ccon_layout_map_slots(m), 5);
	ck_assert_int_eq(ccon_layout_map_save_file(m, "/nonexistent/dir/x.json", &err), -1);
	ck_assert_errc(err, CCON_E_IO);
	ccon_layout_map_free(m);
}
END_TEST

/* ------------------------------------------------------------ rows */

static void resolve(const struct ccon_layout_map *m, const char *const *f, size_t n,
                    struct ccon_map_row *row)
{
	size_t lens[16];
	struct ccon_error err;

	for (size_t i = 0; i < n; i++)
		lens[i] = strlen(f[i]);
	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_layout_map_resolve(m, f, lens, n, 7, row, &err), 0);
}

START_TEST(resolve_good_row)
{
	static const char *cols[] = { "contactCode", "channelType", "nombre", "ticket_id", "edad" };
	static const char *row1[] = { "34666777888", "cloud_api", "John", "5123", "30" };
	struct ccon_layout_map *m = map_new(cols, 5, NULL, 0);
	struct ccon_map_row row = CCON_MAP_ROW_INIT;
	struct ccon_error err;

	set_col(m, add(m, "name"), "nombre");
	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_layout_map_set_text(m, add(m, "greeting"), "Hi {{nombre}} #{{ticket_id}}",
	                                          &err), 0);
	set_fixed(m, add(m, "discount"), "10%");
	resolve(m, row1, 5, &row);
	ck_assert_uint_eq(row.n_errors, 0);
	ck_assert_uint_eq(row.n_slots, 5);
	ck_assert_str_eq(row.contact_code, "+34666777888");
	ck_assert_str_eq(row.slots[0].value, "34666777888");
	ck_assert_str_eq(row.slots[1].value, "cloud_api");
	ck_assert_str_eq(row.slots[2].value, "John");
	ck_assert_str_eq(row.slots[3].value, "Hi John #5123");
	ck_assert_str_eq(row.slots[4].value, "10%");
	for (size_t i = 0; i < row.n_slots; i++)
		ck_assert_errc(row.slots[i].err, CCON_E_OK);
	ccon_map_row_free(&row);
	ccon_layout_map_free(m);
}
END_TEST

START_TEST(resolve_errors_per_field)
{
	static const char *cols[] = { "contactCode", "channelType", "nombre", "big" };
	static const char *bad_code[] = { "34abc", "cloud_api", "John", "" };
	static const char *bad_chan[] = { "34666777888", "sms", "\x1b[31mred", "" };
	static const char *utf8[] = { "34666777888", "cloud_api", "Jos\xe9", "" };
	static const char *short_row[] = { "34666777888", "cloud_api" };
	struct ccon_layout_map *m = map_new(cols, 4, NULL, 0);
	struct ccon_map_row row = CCON_MAP_ROW_INIT;
	const char *big_row[4];
	char *big = malloc(CCON_CUSTOM_FIELD_VALUE_MAX + 2);

	set_col(m, add(m, "name"), "nombre");
	set_col(m, add(m, "big"), "big");
	resolve(m, bad_code, 4, &row);
	ck_assert_uint_eq(row.n_errors, 1);
	ck_assert_str_eq(row.contact_code, "");
	ck_assert_errc(row.slots[0].err, CCON_E_PHONE_CHARACTERS);
	ck_assert_str_eq(row.slots[0].err.path, "contact.contactCode");
	ck_assert_int_eq(row.slots[0].err.line, 7);
	ck_assert_int_eq(row.slots[0].err.column, 1);
	ck_assert_str_eq(row.slots[0].value, "34abc");
	ccon_map_row_free(&row);

	/* a bad channel: the code is not checked (the importer's order);
	 * control characters come back raw (the screen sanitises) */
	resolve(m, bad_chan, 4, &row);
	ck_assert_uint_eq(row.n_errors, 1);
	ck_assert_errc(row.slots[1].err, CCON_E_CHANNEL_TYPE);
	ck_assert_int_eq(row.slots[1].err.column, 2);
	ck_assert_errc(row.slots[0].err, CCON_E_OK);
	ck_assert_str_eq(row.slots[2].value, "\x1b[31mred");
	ccon_map_row_free(&row);

	resolve(m, utf8, 4, &row);
	ck_assert_uint_eq(row.n_errors, 1);
	ck_assert_errc(row.slots[2].err, CCON_E_CSV_UTF8);
	ck_assert_int_eq(row.slots[2].err.column, 3);
	ck_assert_ptr_null(row.slots[2].value);
	ck_assert_str_eq(row.contact_code, "+34666777888");
	ccon_map_row_free(&row);

	resolve(m, short_row, 2, &row);
	ck_assert_uint_eq(row.n_errors, 1);
	ck_assert_errc(row.row_err, CCON_E_CSV_FIELD_COUNT);
	ck_assert_int_eq(row.row_err.column, 3);
	ccon_map_row_free(&row);

	memset(big, 'x', CCON_CUSTOM_FIELD_VALUE_MAX + 1);
	big[CCON_CUSTOM_FIELD_VALUE_MAX + 1] = '\0';
	big_row[0] = "34666777888";
	big_row[1] = "cloud_api";
	big_row[2] = "";
	big_row[3] = big;
	resolve(m, big_row, 4, &row);
	ck_assert_uint_eq(row.n_errors, 1);
	ck_assert_errc(row.slots[3].err, CCON_E_CUSTOM_FIELD_VALUE);
	ck_assert_str_eq(row.slots[3].err.path, "customFields.big");
	ck_assert_int_eq(row.slots[3].err.column, 4);
	ccon_map_row_free(&row);
	free(big);
	ccon_layout_map_free(m);
}
END_TEST

START_TEST(resolve_missing_and_unset)
{
	static const char *cols[] = { "phone" };
	static const char *r[] = { "+34666777888" };
	struct ccon_layout_map *m = map_new(cols, 1, NULL, 0);
	struct ccon_map_row row = CCON_MAP_ROW_INIT;
	struct ccon_error err;
	size_t age = add(m, "age");

	/* contactCode and age unset: each its own error; the channel is fixed */
	resolve(m, r, 1, &row);
	ck_assert_uint_eq(row.n_errors, 2);
	ck_assert_errc(row.slots[0].err, CCON_E_LAYOUT_INVALID);
	ck_assert_errc(row.slots[age].err, CCON_E_LAYOUT_INVALID);
	ck_assert_str_eq(row.slots[age].err.path, "customFields.age");
	ck_assert_str_eq(row.slots[1].value, "cloud_api");
	ccon_map_row_free(&row);

	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_layout_map_set_text(m, 0, "{{phone}}", &err), 0);
	ck_assert_int_eq(ccon_layout_map_set_text(m, age, "{{edad}}", &err), 0);
	resolve(m, r, 1, &row);
	ck_assert_uint_eq(row.n_errors, 1);
	ck_assert_errc(row.slots[age].err, CCON_E_LAYOUT_NO_COLUMN);
	ck_assert_ptr_nonnull(strstr(row.slots[age].err.message, "edad"));
	ck_assert_str_eq(row.contact_code, "+34666777888");
	ccon_map_row_free(&row);

	/* the header changes (a delimiter override): the value names the same column */
	{
		static const char *cols2[] = { "edad", "phone" };
		static const char *r2[] = { "30", "34666777888" };

		ck_assert_int_eq(ccon_layout_map_set_columns(m, cols2, 2, &err), 0);
		resolve(m, r2, 2, &row);
		ck_assert_uint_eq(row.n_errors, 0);
		ck_assert_str_eq(row.slots[age].value, "30");
		ccon_map_row_free(&row);
	}
	ccon_layout_map_free(m);
}
END_TEST

START_TEST(empty_header)
{
	struct ccon_layout_map *m = map_new(NULL, 0, NULL, 0);
	struct ccon_map_row row = CCON_MAP_ROW_INIT;
	struct ccon_error err;
	size_t n;

	ck_assert_ptr_nonnull(ccon_layout_map_columns(m, &n));
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(ccon_layout_map_value(m, 0)->kind, CCON_MAP_UNSET);
	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_layout_map_set_column(m, 0, 0, &err), -1);
	ck_assert_errc(err, CCON_E_INVALID_ARGUMENT);
	resolve(m, NULL, 0, &row);
	ck_assert_uint_eq(row.n_errors, 1);
	ccon_map_row_free(&row);
	ccon_layout_map_free(m);
}
END_TEST

Suite *ccon_suite_layout_map(void)
{
	Suite *s = suite_create("layout_map");
	TCase *tc = tcase_create("examples");

	tcase_add_test(tc, example1_with_variables);
	tcase_add_test(tc, example1_without_variables);
	tcase_add_test(tc, example2_fixed_channel);
	tcase_add_test(tc, example3_other_names);
	tcase_add_test(tc, example4_fixed_values);
	tcase_add_test(tc, examples_load_and_save);
	suite_add_tcase(s, tc);
	tc = tcase_create("values");
	tcase_add_test(tc, set_text_classifies);
	tcase_add_test(tc, check_refuses);
	tcase_add_test(tc, fields_add_remove);
	tcase_add_test(tc, vars_set_later);
	tcase_add_test(tc, vars_example3);
	tcase_add_test(tc, build_names_unset_field);
	tcase_add_test(tc, template_round_trip);
	suite_add_tcase(s, tc);
	tc = tcase_create("rows");
	tcase_add_test(tc, resolve_good_row);
	tcase_add_test(tc, resolve_errors_per_field);
	tcase_add_test(tc, resolve_missing_and_unset);
	tcase_add_test(tc, empty_header);
	suite_add_tcase(s, tc);
	return s;
}
