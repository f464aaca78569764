#include "config.h"

#include <ccon/template.h>

#include "suites.h"
#include "testutil.h"

static struct ccon_error err;

static void expect_token(const char *tmpl, size_t *pos, enum ccon_template_token_kind kind,
                         const char *text, size_t offset)
{
	struct ccon_template_token tok;

	ck_assert_int_eq(ccon_template_next(tmpl, pos, &tok, &err), 0);
	ck_assert_int_eq(tok.kind, kind);
	ck_assert_uint_eq(tok.offset, offset);
	if (kind == CCON_TEMPLATE_END)
		return;
	ck_assert_uint_eq(tok.len, strlen(text));
	ck_assert(memcmp(tok.start, text, tok.len) == 0);
}

START_TEST(tokens)
{
	const char *t = "Hi {{name}}, bye";
	size_t pos = 0;

	expect_token(t, &pos, CCON_TEMPLATE_TEXT, "Hi ", 0);
	expect_token(t, &pos, CCON_TEMPLATE_VARIABLE, "name", 3);
	expect_token(t, &pos, CCON_TEMPLATE_TEXT, ", bye", 11);
	expect_token(t, &pos, CCON_TEMPLATE_END, NULL, 16);
	/* END again stays END */
	expect_token(t, &pos, CCON_TEMPLATE_END, NULL, 16);

	t = "{{a}}{{ b }}";
	pos = 0;
	expect_token(t, &pos, CCON_TEMPLATE_VARIABLE, "a", 0);
	expect_token(t, &pos, CCON_TEMPLATE_VARIABLE, "b", 5);
	expect_token(t, &pos, CCON_TEMPLATE_END, NULL, 12);

	pos = 0;
	expect_token("", &pos, CCON_TEMPLATE_END, NULL, 0);
}
END_TEST

START_TEST(blanks_inside_braces_are_trimmed)
{
	size_t pos = 0;

	expect_token("{{  name\t}}", &pos, CCON_TEMPLATE_VARIABLE, "name", 0);
	pos = 0;
	expect_token("{{\n first name \r\n}}", &pos, CCON_TEMPLATE_VARIABLE, "first name", 0);
}
END_TEST

START_TEST(lone_braces_are_text)
{
	const char *t = "a { b } c }} d {";
	size_t pos = 0;

	expect_token(t, &pos, CCON_TEMPLATE_TEXT, t, 0);
	expect_token(t, &pos, CCON_TEMPLATE_END, NULL, strlen(t));

	t = "{x}}} {{y}}";
	pos = 0;
	expect_token(t, &pos, CCON_TEMPLATE_TEXT, "{x}}} ", 0);
	expect_token(t, &pos, CCON_TEMPLATE_VARIABLE, "y", 6);
}
END_TEST

static void syntax_error(const char *tmpl, long column)
{
	struct ccon_template_vars vars = { NULL, 0 };

	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_template_variables(tmpl, &vars, &err), -1);
	ck_assert_errc(err, CCON_E_TEMPLATE_SYNTAX);
	ck_assert_int_eq(err.column, column);
	ck_assert_ptr_null(vars.names);
	ck_assert_uint_eq(vars.count, 0);
}

START_TEST(syntax_errors)
{
	syntax_error("Hello {{name", 7);
	ck_assert_ptr_nonnull(strstr(err.message, "closing"));
	syntax_error("Hello {{name}", 7);
	syntax_error("{{a}} and {{b", 11);
	syntax_error("{{}}", 1);
	ck_assert_ptr_nonnull(strstr(err.message, "no variable name"));
	syntax_error("x {{  }}", 3);
	syntax_error("{{a {{b}}", 1);
	syntax_error("{{a}b}}", 1);
	syntax_error("{{{x}}}", 1);
	/* the position counts characters, not bytes */
	syntax_error("Ol\xc3\xa1 \xe2\x9c\x93 {{nome", 7);
}
END_TEST

static void expect_vars(const char *tmpl, const char *const *want, size_t n)
{
	struct ccon_template_vars vars;

	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_template_variables(tmpl, &vars, &err), 0);
	ck_assert_uint_eq(vars.count, n);
	for (size_t i = 0; i < n; i++) {
		ck_assert_str_eq(vars.names[i], want[i]);
		ck_assert(ccon_template_vars_has(&vars, want[i], strlen(want[i])));
	}
	ccon_template_vars_free(&vars);
	ck_assert_ptr_null(vars.names);
}

START_TEST(variables_unique_in_first_appearance_order)
{
	static const char *const want[] = { "b", "a", "c" };
	static const char *const seed[] = { "context.variableName", "variableName@companyId",
		                            "ticket-id", "1" };
	struct ccon_template_vars vars;

	expect_vars("{{b}} {{a}} {{b}} {{ a }} {{c}}", want, 3);
	expect_vars("{{context.variableName}} {{variableName@companyId}} {{ticket-id}} {{1}}",
	            seed, 4);
	expect_vars("no placeholders", NULL, 0);

	ck_assert_int_eq(ccon_template_variables("{{name}}", &vars, NULL), 0);
	ck_assert(!ccon_template_vars_has(&vars, "nam", 3));
	ck_assert(!ccon_template_vars_has(&vars, "Name", 4));
	ck_assert(ccon_template_vars_has(&vars, "names", 4));
	ccon_template_vars_free(&vars);
	ccon_template_vars_free(NULL);
}
END_TEST

/* Values from name=value pairs; NULL when the name is not there. */
struct pairs {
	const char *const *kv;
	size_t n;
	int calls;
};

static const char *pairs_lookup(void *ctx, const char *name, size_t len)
{
	struct pairs *p = ctx;

	p->calls++;
	for (size_t i = 0; i + 1 < p->n * 2; i += 2)
		if (strlen(p->kv[i]) == len && memcmp(p->kv[i], name, len) == 0)
			return p->kv[i + 1];
	return NULL;
}

START_TEST(render_values)
{
	static const char *const kv[] = { "nome", "Ana", "pedido", "42", "raw", "{{nome}}" };
	struct pairs p = { kv, 3, 0 };
	struct ccon_strbuf sb = CCON_STRBUF_INIT;

	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_template_render("Ol\xc3\xa1 {{nome}}, pedido {{ pedido }} \xe2\x9c\x93 "
	                                      "{{nome}}!",
	                                      pairs_lookup, &p, &sb, &err),
	                 0);
	ck_assert_str_eq(ccon_strbuf_cstr(&sb), "Ol\xc3\xa1 Ana, pedido 42 \xe2\x9c\x93 Ana!");
	ck_assert_int_eq(p.calls, 3);

	/* values go in as they are, never expanded again; output is appended */
	ccon_strbuf_reset(&sb);
	ccon_strbuf_puts(&sb, ">");
	ck_assert_int_eq(ccon_template_render("{{raw}} }} {", pairs_lookup, &p, &sb, &err), 0);
	ck_assert_str_eq(ccon_strbuf_cstr(&sb), ">{{nome}} }} {");
	ccon_strbuf_free(&sb);
}
END_TEST

START_TEST(render_reports_all_missing_at_once)
{
	static const char *const kv[] = { "b", "B" };
	struct pairs p = { kv, 1, 0 };
	struct ccon_strbuf sb = CCON_STRBUF_INIT;

	ccon_strbuf_puts(&sb, "kept");
	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_template_render("x{{b}} {{a}} {{b}} {{c}} {{ a }}", pairs_lookup, &p,
	                                      &sb, &err),
	                 -1);
	ck_assert_errc(err, CCON_E_TEMPLATE_MISSING_VARIABLE);
	ck_assert_str_eq(err.message, "missing variables: a, c");
	ck_assert_int_eq(err.column, 8);
	ck_assert_str_eq(ccon_strbuf_cstr(&sb), "kept");

	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_template_render("\xc3\xa9 {{ticketId}}", pairs_lookup, &p, &sb, &err),
	                 -1);
	ck_assert_str_eq(err.message, "missing variable: ticketId");
	ck_assert_int_eq(err.column, 3);

	/* no lookup: nothing has a value */
	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_template_render("{{b}}", NULL, NULL, &sb, &err), -1);
	ck_assert_str_eq(err.message, "missing variable: b");

	/* syntax errors leave out alone too */
	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_template_render("{{b}} {{b", pairs_lookup, &p, &sb, &err), -1);
	ck_assert_errc(err, CCON_E_TEMPLATE_SYNTAX);
	ck_assert_str_eq(ccon_strbuf_cstr(&sb), "kept");
	ccon_strbuf_free(&sb);
}
END_TEST

START_TEST(render_many_missing_fits_the_message)
{
	struct ccon_strbuf tmpl = CCON_STRBUF_INIT, sb = CCON_STRBUF_INIT;
	char tail[32];

	for (int i = 0; i < 200; i++)
		ccon_strbuf_printf(&tmpl, "{{variable_number_%03d}} ", i);
	ccon_error_clear(&err);
	ck_assert_int_eq(ccon_template_render(ccon_strbuf_cstr(&tmpl), NULL, NULL, &sb, &err), -1);
	ck_assert_errc(err, CCON_E_TEMPLATE_MISSING_VARIABLE);
	ck_assert_uint_lt(strlen(err.message), CCON_ERROR_MESSAGE_MAX - 1);
	ck_assert_ptr_nonnull(strstr(err.message, "missing variables: variable_number_000, "));
	/* the names shown plus "N more" account for all 200 */
	{
		size_t shown = 0;
		const char *p = err.message;
		unsigned more = 0;

		while ((p = strstr(p, "variable_number_")) != NULL) {
			shown++;
			p++;
		}
		snprintf(tail, sizeof(tail), "... and %zu more", 200 - shown);
		ck_assert_ptr_nonnull(strstr(err.message, tail));
		ck_assert_int_eq(sscanf(strstr(err.message, "... and ") + 8, "%u", &more), 1);
		ck_assert_uint_eq(shown + more, 200);
	}
	ccon_strbuf_free(&tmpl);
	ccon_strbuf_free(&sb);
}
END_TEST

START_TEST(compare_missing_and_unknown)
{
	static const char *const fields[] = { "name", "extra", NULL, "date", "extra", "zip" };
	struct ccon_template_vars vars;
	struct ccon_strbuf missing = CCON_STRBUF_INIT, unknown = CCON_STRBUF_INIT;

	ck_assert_int_eq(ccon_template_variables("{{name}} {{ticketId}} {{date}} {{code}}", &vars,
	                                         &err),
	                 0);
	ck_assert_uint_eq(ccon_template_compare(&vars, fields, 6, &missing, &unknown), 2);
	ck_assert_str_eq(ccon_strbuf_cstr(&missing), "ticketId, code");
	ck_assert_str_eq(ccon_strbuf_cstr(&unknown), "extra, zip");

	/* the count does not need the buffers */
	ck_assert_uint_eq(ccon_template_compare(&vars, fields, 6, NULL, NULL), 2);
	/* everything matched */
	ccon_strbuf_reset(&missing);
	ccon_strbuf_reset(&unknown);
	{
		static const char *const all[] = { "code", "date", "ticketId", "name" };

		ck_assert_uint_eq(ccon_template_compare(&vars, all, 4, &missing, &unknown), 0);
	}
	ck_assert_str_eq(ccon_strbuf_cstr(&missing), "");
	ck_assert_str_eq(ccon_strbuf_cstr(&unknown), "");
	ccon_template_vars_free(&vars);

	/* a template without variables: every field is unknown, none missing */
	ck_assert_int_eq(ccon_template_variables("plain", &vars, &err), 0);
	ck_assert_uint_eq(ccon_template_compare(&vars, fields, 6, &missing, &unknown), 0);
	ck_assert_str_eq(ccon_strbuf_cstr(&unknown), "name, extra, date, zip");
	ccon_template_vars_free(&vars);
	ccon_strbuf_free(&missing);
	ccon_strbuf_free(&unknown);
}
END_TEST

Suite *ccon_suite_template(void)
{
	Suite *s = suite_create("template");
	TCase *tc = tcase_create("template");

	tcase_add_test(tc, tokens);
	tcase_add_test(tc, blanks_inside_braces_are_trimmed);
	tcase_add_test(tc, lone_braces_are_text);
	tcase_add_test(tc, syntax_errors);
	tcase_add_test(tc, variables_unique_in_first_appearance_order);
	tcase_add_test(tc, render_values);
	tcase_add_test(tc, render_reports_all_missing_at_once);
	tcase_add_test(tc, render_many_missing_fits_the_message);
	tcase_add_test(tc, compare_missing_and_unknown);
	suite_add_tcase(s, tc);
	return s;
}
