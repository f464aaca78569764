/* ccon/json_relaxed.h - reads the JSON that people write by hand.
 *
 * The example payloads of seed 002 are not valid JSON even without their
 * `//` comments: they have trailing commas (`],\n}`) and missing commas
 * between a value and the next key on a new line. The console reads files
 * like these (a payload saved from the documentation, a template kept in
 * $XDG_CONFIG_HOME); the server never does: ccond parses every request
 * strictly with ccon_json_parse, so a client can't come to rely on this.
 *
 * A pre-pass rewrites the text into strict JSON, then the strict parser
 * reads it. The pre-pass
 *   - blanks a UTF-8 byte-order mark and `//` and `/ * * /` comments outside
 *     strings (an unterminated block comment is an error at its start);
 *   - drops a comma that follows a value and is followed (across whitespace
 *     and comments) by `}` or `]` (`[1,]` but not `[,]` nor `[1,,]`);
 *   - inserts a comma where, inside an object, a value is followed across
 *     whitespace or comments by a string (the next key). Only there: in an
 *     array, or between two tokens with nothing between them, nothing is
 *     inserted and the strict parser reports the spot;
 *   - with CCON_JSON_RELAXED_CLOSE_OPEN only, closes the objects and arrays
 *     still open at the end of the input (the seed's first example lacks
 *     its last `}`). Without the flag that is an error naming where the
 *     unclosed container was opened: a truncated file must not decode as
 *     a shorter audience behind the person's back.
 * Every rewrite keeps each byte at its offset (the inserted comma takes the
 * place of a whitespace byte; closers go after the end), so errors carry the
 * 1-based line and column IN THE ORIGINAL TEXT. What was changed is counted
 * in struct ccon_json_relaxed_notes, for the console to tell the person.
 */
#ifndef CCON_JSON_RELAXED_H
#define CCON_JSON_RELAXED_H

#include <ccon/error.h>
#include <ccon/strbuf.h>

#include <cjson/cJSON.h>
#include <stddef.h>

#define CCON_JSON_RELAXED_CLOSE_OPEN 0x1u

struct ccon_json_relaxed_notes {
	size_t comments;         /* comments blanked */
	size_t trailing_commas;  /* commas dropped before `}` or `]` */
	size_t inserted_commas;  /* commas inserted between a value and a key */
	size_t closed_at_end;    /* containers closed at the end (CLOSE_OPEN) */
	long first_line;         /* where the first comma was dropped, inserted */
	long first_column;       /* or the first closer added; 0 when none */
};

/* Rewrites text[0..len) into strict JSON, appended to out (out->len grows by
 * len plus the closers added). notes may be NULL. 0, or -1 with err
 * (CCON_E_JSON_SYNTAX with line and column, or CCON_E_NOMEM). */
int ccon_json_relaxed_to_strict(const char *text, size_t len, unsigned flags,
                                struct ccon_strbuf *out, struct ccon_json_relaxed_notes *notes,
                                struct ccon_error *err);

/* Rewrites then parses strictly. On failure *out is NULL and err has
 * CCON_E_JSON_SYNTAX with the line and column in text. */
int ccon_json_relaxed_parse(const char *text, size_t len, unsigned flags, cJSON **out,
                            struct ccon_json_relaxed_notes *notes, struct ccon_error *err);

#endif
