/* faultinj.h - between the fault injection driver (main.c), its library
 * cases (cases.c) and its ccond case (ccond_case.c). */
#ifndef CCON_FAULTINJ_H
#define CCON_FAULTINJ_H

#include "inject.h"

#include <ccon/error.h>

#include <cjson/cJSON.h>

#include <stdbool.h>
#include <stddef.h>

/* One run of a case: rc 0 and text (what it produced, for comparing with
 * the run without faults), or rc -1 and err. */
struct outcome {
	int rc;
	struct ccon_error err;
	char *text;      /* harness-owned (made while paused); free() it */
};

/* A fault plan: the kind and effect to inject at every N in turn; with
 * must_succeed, the run must give the same outcome as without faults
 * (EINTR retried, short reads handled). */
struct plan {
	enum fi_kind kind;
	enum fi_effect effect;
	bool must_succeed;
	bool may_not_fire;   /* the store's reads and syncs: the page cache and
	                      * synchronous=NORMAL may leave the file alone */
};

struct lib_case {
	char name[96];
	void (*run)(const void *arg, struct outcome *o);
	const void *arg;
	const struct plan *plans;
	size_t n_plans;
};

/* Set by main from the environment (CCON_FAIL_*) or the defaults. */
extern const char *fi_themes_dir, *fi_corpus_dir, *fi_scratch;
extern bool fi_verbose;
/* Where the run is, for the watchdog's message (alarm(120) per run). */
extern char fi_where[256];

/* cases.c: the library cases (CSV import, JSON decoders, settings, theme);
 * *n receives their count. Returns NULL when their inputs are missing. */
struct lib_case *lib_cases(size_t *n);
void lib_cases_free(struct lib_case *c, size_t n);

/* model_cases.c: the CSV preview, ccond's campaign_to_json and the model
 * side of the audience pane's recompute, written at c[0..MODEL_CASES);
 * returns their count (0 when the preview's input cannot be written). */
#define MODEL_CASES 4
size_t model_cases(struct lib_case *c);
void model_cases_free(void);

/* ccond_case.c: the ccond sends; failures counted into *failures. Only
 * the sends whose name holds only (NULL: all), the plans of only_kind
 * (FI__KINDS: all), at only_at (0: every N). */
void ccond_case(unsigned *failures, const char *only, int only_kind, unsigned long only_at);

/* A failure of the current case, printed; *failures counted. */
void fi_fail(unsigned *failures, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Text building for the harness (paused: never counted nor failed). */
char *fi_strdup_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The outcome of a run that made json (deleted here): its compact text,
 * or an out-of-memory error when printing it fails. */
void fi_put_json(struct outcome *o, cJSON *json);

#endif
