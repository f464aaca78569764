/* ccon/error.h - the one error type of libccon.
 *
 * Every fallible libccon call fills a struct ccon_error: a stable code (the
 * JSON `code` string the server and the console show), a human message, and
 * where the problem is: a field path (`contacts[3].customFields.age`), a CSV
 * line and column, or a character position in a string.
 */
#ifndef CCON_ERROR_H
#define CCON_ERROR_H

#include <stdarg.h>
#include <stddef.h>

/* X(ENUM_SUFFIX, "stable_code") - add new codes inside the block of your
 * module; never renumber or rename a published code. */
#define CCON_ERROR_CODES(X) \
	/* general */ \
	X(OK, "ok") \
	X(NOMEM, "out_of_memory") \
	X(IO, "io_error") \
	X(INVALID_ARGUMENT, "invalid_argument") \
	/* HTTP API */ \
	X(NOT_FOUND, "not_found") \
	X(METHOD, "method_not_allowed") \
	X(AUTH, "unauthorized") \
	X(TOO_LARGE, "body_too_large") \
	X(CONTENT_TYPE, "unsupported_content_type") \
	X(CONFLICT, "conflict") \
	X(NOT_IMPLEMENTED, "not_implemented") \
	X(STORE, "store_error") \
	X(NOTHING_TO_RETRY, "nothing_to_retry") \
	X(CAMPAIGN_NOT_FINISHED, "campaign_not_finished") \
	/* date-times */ \
	X(DATETIME_SYNTAX, "invalid_datetime") \
	X(DATETIME_RANGE, "impossible_datetime") \
	/* durations */ \
	X(DURATION_SYNTAX, "invalid_duration") \
	X(DURATION_EMPTY, "empty_duration") \
	X(DURATION_WEEK_MIX, "duration_week_mixed") \
	X(DURATION_FRACTION, "duration_fraction_position") \
	X(DURATION_NEGATIVE, "negative_duration") \
	X(DURATION_OVERFLOW, "duration_overflow") \
	/* timing rules */ \
	X(TIMING_EXCLUSIVE, "schedule_and_delay") \
	X(TIMING_PAST, "send_time_in_past") \
	X(TIMING_TOO_FAR, "send_time_too_far") \
	/* slots and slicing */ \
	X(SLICING_UNKNOWN, "unknown_slicing_condition") \
	X(SLOTS_INVALID, "invalid_slot_config") \
	X(SLOTS_NO_CAPACITY, "no_slot_capacity") \
	X(SLOTS_NOT_CONSECUTIVE, "no_consecutive_slots") \
	/* phone numbers */ \
	X(PHONE_EMPTY, "phone_empty") \
	X(PHONE_CHARACTERS, "phone_invalid_characters") \
	X(PHONE_TOO_SHORT, "phone_too_short") \
	X(PHONE_TOO_LONG, "phone_too_long") \
	X(PHONE_COUNTRY_CODE, "phone_unknown_country_code") \
	X(PHONE_NO_COUNTRY_CODE, "phone_missing_country_code") \
	/* contacts */ \
	X(CONTACT_CODE_EMPTY, "contact_code_empty") \
	X(CONTACT_CODE_INVALID, "contact_code_invalid") \
	X(CHANNEL_TYPE, "invalid_channel_type") \
	X(CUSTOM_FIELD_NAME, "invalid_custom_field_name") \
	X(CUSTOM_FIELD_VALUE, "invalid_custom_field_value") \
	X(CONTACTS_COUNT, "contacts_count") \
	/* templates */ \
	X(TEMPLATE_SYNTAX, "template_syntax") \
	X(TEMPLATE_MISSING_VARIABLE, "template_missing_variable") \
	X(TEMPLATE_UNKNOWN_VARIABLE, "template_unknown_variable") \
	/* layouts and CSV import */ \
	X(LAYOUT_INVALID, "invalid_layout") \
	X(LAYOUT_NO_COLUMN, "layout_column_missing") \
	X(CSV_EMPTY, "csv_empty") \
	X(CSV_QUOTE, "csv_unbalanced_quote") \
	X(CSV_FIELD_COUNT, "csv_field_count") \
	X(CSV_FIELD_TOO_LONG, "csv_field_too_long") \
	X(CSV_UTF8, "csv_invalid_utf8") \
	X(CSV_HEADER, "csv_bad_header") \
	X(CSV_CONTEXT_VARIABLES, "csv_invalid_context_variables") \
	/* JSON codecs */ \
	X(JSON_SYNTAX, "invalid_json") \
	X(JSON_TYPE, "wrong_type") \
	X(JSON_REQUIRED, "missing_field") \
	X(JSON_VALUE, "invalid_value") \
	X(JSON_LENGTH, "invalid_length") \
	X(REMOTE_UNKNOWN, "unknown_remote_error") /* a code this build does not know */ \
	X(JSON_RANGE, "out_of_range") \
	/* console settings, themes and key specs */ \
	X(CONFIG_SYNTAX, "config_syntax") \
	X(CONFIG_PERMISSIONS, "config_permissions") \
	X(TOKEN, "token_unavailable") \
	X(THEME_SYNTAX, "theme_syntax") \
	X(KEYSPEC, "invalid_key") \
	/* audience editor */ \
	X(AUDIENCE_DUPLICATE, "audience_duplicate_contact")

enum ccon_errc {
#define CCON_ERRC_ENUM(name, str) CCON_E_##name,
	CCON_ERROR_CODES(CCON_ERRC_ENUM)
#undef CCON_ERRC_ENUM
	CCON_E__COUNT
};

#define CCON_ERROR_PATH_MAX 160
#define CCON_ERROR_MESSAGE_MAX 256

struct ccon_error {
	enum ccon_errc code;              /* CCON_E_OK when there is no error */
	char path[CCON_ERROR_PATH_MAX];   /* JSON field path, "" when none */
	long line;                        /* 1-based CSV line, 0 when none */
	long column;                      /* 1-based CSV column or character
	                                   * position in a string, 0 when none */
	char message[CCON_ERROR_MESSAGE_MAX];
};

/* The stable string of a code ("invalid_duration"); "unknown" if out of range. */
const char *ccon_errc_name(enum ccon_errc code);

void ccon_error_clear(struct ccon_error *err);

/* Sets code and message (printf-style); leaves path, line and column alone.
 * err may be NULL (the error is then dropped). Returns -1 so callers can
 * `return ccon_error_set(...)`. */
int ccon_error_set(struct ccon_error *err, enum ccon_errc code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int ccon_error_vset(struct ccon_error *err, enum ccon_errc code, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
#ifdef __clang_analyzer__
/* The analyser does not look into error.c: tell it what every call returns,
 * so that `return ccon_error_set(...)` is not followed as a success. */
#define ccon_error_set(...) (ccon_error_set(__VA_ARGS__), -1)
#endif

/* Convenience setters for where: all accept err == NULL. */
void ccon_error_at_path(struct ccon_error *err, const char *path);
void ccon_error_at_column(struct ccon_error *err, long column);
void ccon_error_at_line(struct ccon_error *err, long line, long column);

/* Prefixes the existing path with `prefix` ("contacts[3]" + "phone" ->
 * "contacts[3].phone"; an index prefix "[2]" joins without a dot). */
void ccon_error_prefix_path(struct ccon_error *err, const char *prefix);

/* One line for people: "contacts[3].customFields.age: message",
 * "line 12, column 3: message", "at 5: message" or just the message. */
size_t ccon_error_format(const struct ccon_error *err, char *buf, size_t size);

#endif
