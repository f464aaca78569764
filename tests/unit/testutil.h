/* Small helpers shared by the unit tests. */
#ifndef CCON_TESTUTIL_H
#define CCON_TESTUTIL_H

#include <ccon/error.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef CCON_TEST_DATA
#define CCON_TEST_DATA "tests/data"
#endif

/* Asserts an error code, printing the message on mismatch. */
#define ck_assert_errc(err, want) \
	ck_assert_msg((err).code == (want), "expected %s, got %s (%s)", ccon_errc_name(want), \
	              ccon_errc_name((err).code), (err).message)

/* Reads tests/data/<name> whole; the caller frees. */
static inline char *test_read_data(const char *name, size_t *len)
{
	char path[1024];
	FILE *f;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "%s/%s", CCON_TEST_DATA, name);
	f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_int_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return buf;
}

static inline const char *test_data_path(const char *name, char *buf, size_t size)
{
	snprintf(buf, size, "%s/%s", CCON_TEST_DATA, name);
	return buf;
}

#endif
