#include "config.h"

#include <ccon/error.h>

#include <stdio.h>
#include <string.h>

static const char *const errc_names[] = {
#define CCON_ERRC_NAME(name, str) str,
	CCON_ERROR_CODES(CCON_ERRC_NAME)
#undef CCON_ERRC_NAME
};

const char *ccon_errc_name(enum ccon_errc code)
{
	if ((unsigned)code >= CCON_E__COUNT)
		return "unknown";
	return errc_names[code];
}

void ccon_error_clear(struct ccon_error *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}

int ccon_error_vset(struct ccon_error *err, enum ccon_errc code, const char *fmt, va_list ap)
{
	if (!err)
		return -1;
	err->code = code;
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	return -1;
}

int (ccon_error_set)(struct ccon_error *err, enum ccon_errc code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ccon_error_vset(err, code, fmt, ap);
	va_end(ap);
	return -1;
}

void ccon_error_at_path(struct ccon_error *err, const char *path)
{
	if (err)
		snprintf(err->path, sizeof(err->path), "%s", path ? path : "");
}

void ccon_error_at_column(struct ccon_error *err, long column)
{
	if (err)
		err->column = column;
}

void ccon_error_at_line(struct ccon_error *err, long line, long column)
{
	if (err) {
		err->line = line;
		err->column = column;
	}
}

void ccon_error_prefix_path(struct ccon_error *err, const char *prefix)
{
	char joined[2 * CCON_ERROR_PATH_MAX + 2];

	if (!err || !prefix || !*prefix)
		return;
	if (!err->path[0])
		snprintf(joined, sizeof(joined), "%s", prefix);
	else if (err->path[0] == '[')
		snprintf(joined, sizeof(joined), "%s%s", prefix, err->path);
	else
		snprintf(joined, sizeof(joined), "%s.%s", prefix, err->path);
	snprintf(err->path, sizeof(err->path), "%.*s", (int)sizeof(err->path) - 1, joined);
}

size_t ccon_error_format(const struct ccon_error *err, char *buf, size_t size)
{
	int n;

	if (!err || !buf || size == 0)
		return 0;
	if (err->path[0] && err->line)
		n = snprintf(buf, size, "line %ld, column %ld, %s: %s", err->line, err->column,
		             err->path, err->message);
	else if (err->path[0])
		n = snprintf(buf, size, "%s: %s", err->path, err->message);
	else if (err->line)
		n = snprintf(buf, size, "line %ld, column %ld: %s", err->line, err->column, err->message);
	else if (err->column)
		n = snprintf(buf, size, "at %ld: %s", err->column, err->message);
	else
		n = snprintf(buf, size, "%s", err->message);
	if (n < 0)
		return 0;
	return (size_t)n < size ? (size_t)n : size - 1;
}
