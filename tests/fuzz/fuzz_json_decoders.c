/* libFuzzer harness for every JSON decoder of libccon.
 *
 * The first input byte picks the decoder (modulo the number of modes), the
 * rest is its input. When a decoder accepts the input, what it decoded is
 * encoded, decoded again and encoded again: the two encodings must be the
 * same text (the round-trip invariant). The relaxed-JSON mode checks that
 * its output is strict JSON and that it reads strict JSON exactly as the
 * strict parser does; the uri mode checks parse/format the same way.
 *
 * Built by `make fuzz` (with every libccon source), or by hand:
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE \
 *     -Iinclude -I<dir with config.h> tests/fuzz/fuzz_json_decoders.c \
 *     <the libccon sources> $(pkg-config --cflags --libs libcjson) -lcsv -lm
 * Seed corpus: tests/fuzz/corpus/fuzz_json_decoders (first byte = mode).
 */
#include "config.h"

#include "../json_codecs.h"

#include <ccon/json_relaxed.h>
#include <ccon/json_util.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Decodes json and encodes the result into *out: 0, or -1 when the decoder
 * refused the input. */
typedef int (*round_fn)(const cJSON *json, cJSON **out);

#define ROUND(id, name, type, decode, encode, release) \
	static int rt_##id(const cJSON *json, cJSON **out) \
	{ \
		struct type v; \
		struct ccon_error err; \
		int rc; \
		if (decode(json, &v, &err) < 0) \
			return -1; \
		rc = encode(&v, out); \
		release(&v); \
		if (rc < 0) \
			abort(); /* out of memory only: not expected here */ \
		return 0; \
	}
CCON_JSON_CODECS(ROUND)
#undef ROUND

#define ENTRY(id, name, type, decode, encode, release) rt_##id,
static const round_fn rounds[] = { CCON_JSON_CODECS(ENTRY) };
#undef ENTRY

#define N_ROUNDS (sizeof(rounds) / sizeof(rounds[0]))
#define MODE_RELAXED N_ROUNDS
#define MODE_URI (N_ROUNDS + 1)
#define N_MODES (N_ROUNDS + 2)

static char *print(const cJSON *j)
{
	char *s = cJSON_PrintUnformatted(j);

	if (!s)
		abort();
	return s;
}

static void same(const char *a, const char *b, const char *what)
{
	if (strcmp(a, b) != 0) {
		fprintf(stderr, "%s round trip differs:\n  %s\n  %s\n", what, a, b);
		abort();
	}
}

static void fuzz_round(round_fn fn, const char *text, size_t len)
{
	cJSON *in, *e1 = NULL, *e2 = NULL;
	struct ccon_error err;
	char *s1, *s2;

	if (ccon_json_parse(text, len, &in, &err) < 0)
		return;
	if (fn(in, &e1) == 0) {
		if (fn(e1, &e2) < 0) {
			s1 = print(e1);
			fprintf(stderr, "the decoder refuses its own encoding:\n  %s\n", s1);
			abort();
		}
		s1 = print(e1);
		s2 = print(e2);
		same(s1, s2, "decoder");
		cJSON_free(s1);
		cJSON_free(s2);
	}
	cJSON_Delete(in);
	cJSON_Delete(e1);
	cJSON_Delete(e2);
}

static void fuzz_relaxed(const char *text, size_t len, unsigned flags)
{
	struct ccon_error err;
	cJSON *rel = NULL, *strict_json = NULL, *again = NULL;
	char *s1, *s2;

	if (ccon_json_relaxed_parse(text, len, flags, &rel, NULL, &err) == 0) {
		/* what it produced is strict JSON */
		s1 = print(rel);
		if (ccon_json_parse(s1, strlen(s1), &again, &err) < 0)
			abort();
		s2 = print(again);
		same(s1, s2, "relaxed");
		cJSON_free(s1);
		cJSON_free(s2);
	} else if (err.line < 1 || err.column < 1) {
		abort(); /* every error has a position */
	}
	/* strict JSON reads the same either way */
	if (!memchr(text, '\0', len) && ccon_json_parse(text, len, &strict_json, &err) == 0) {
		if (!rel)
			abort();
		s1 = print(strict_json);
		s2 = print(rel);
		same(s1, s2, "strict vs relaxed");
		cJSON_free(s1);
		cJSON_free(s2);
	}
	cJSON_Delete(rel);
	cJSON_Delete(strict_json);
	cJSON_Delete(again);
}

static void fuzz_uri(const char *text, size_t len)
{
	struct ccon_strbuf a = CCON_STRBUF_INIT, b = CCON_STRBUF_INIT;
	struct ccon_cmd_uri u1, u2;
	struct ccon_error err;
	char *s;

	if (memchr(text, '\0', len))
		return;
	s = strndup(text, len);
	if (!s)
		abort();
	if (ccon_cmd_uri_parse(s, &u1, &err) == 0) {
		if (ccon_cmd_uri_format(&u1, &a) < 0 ||
		    ccon_cmd_uri_parse(ccon_strbuf_cstr(&a), &u2, &err) < 0) {
			fprintf(stderr, "uri %s formats to %s, refused: %s\n", s,
			        ccon_strbuf_cstr(&a), err.message);
			abort();
		}
		if (ccon_cmd_uri_format(&u2, &b) < 0)
			abort();
		same(ccon_strbuf_cstr(&a), ccon_strbuf_cstr(&b), "uri");
		if (u1.route != u2.route)
			abort();
		ccon_cmd_uri_free(&u1);
		ccon_cmd_uri_free(&u2);
	}
	ccon_strbuf_free(&a);
	ccon_strbuf_free(&b);
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data + 1;
	size_t mode;

	if (size < 1)
		return 0;
	mode = data[0] % N_MODES;
	if (mode < N_ROUNDS)
		fuzz_round(rounds[mode], text, size - 1);
	else if (mode == MODE_RELAXED)
		fuzz_relaxed(text, size - 1, data[0] & 0x80 ? CCON_JSON_RELAXED_CLOSE_OPEN : 0);
	else
		fuzz_uri(text, size - 1);
	return 0;
}
