/* faultinj - fault injection in the style of curl's torture tests and
 * SQLite's malloc tests (a `make check` program; see inject.h for how
 * calls are caught, cases.c, model_cases.c and ccond_case.c for what is
 * run).
 *
 * For each case and each of its plans (a kind of call and an effect), the
 * case runs once without faults, then again for N = 1, 2, ... with the Nth
 * call of the kind failing, until a run makes fewer than N such calls.
 * Every run must end either in a clean error (-1 with a message) or in
 * exactly what the run without faults produced (a fault that was survived
 * cleanly: a retry, a fallback); plans marked must_succeed (EINTR, short
 * reads where read(2) is used) must be survived. The library cases count
 * their live allocations: a run that leaves any behind fails, with its N.
 * Under ASan, LeakSanitizer checks the whole program at exit as well.
 *
 * Usage: faultinj [-v] [CASE-SUBSTRING]
 * To reproduce one run: CCON_FAIL_KIND=alloc|read|write|sqlite3_step|
 * "store write"|"store read"|"store sync" and CCON_FAIL_AT=N (with a case
 * substring) run that N only; CCON_FAIL_STACK=1 prints the stack of each
 * injected fault (ASan builds). A run stuck for 120 s is a failure (the
 * watchdog names the case and N). */
#include "config.h"

#include "faultinj.h"

#include <dirent.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef CCON_FUZZ_CORPUS
#define CCON_FUZZ_CORPUS "tests/fuzz/corpus"
#endif
#ifndef CCON_SOURCE_THEMES_DIR
#define CCON_SOURCE_THEMES_DIR "themes"
#endif

#define MAX_N 1000000ul
#define WATCHDOG_S 120

const char *fi_themes_dir = CCON_SOURCE_THEMES_DIR, *fi_corpus_dir = CCON_FUZZ_CORPUS;
const char *fi_scratch;
bool fi_verbose;

char fi_where[256];
#define where fi_where

void fi_fail(unsigned *failures, const char *fmt, ...)
{
	va_list ap;

	fi_pause();
	fputs("faultinj: ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	(*failures)++;
	fi_resume();
}

void fi_put_json(struct outcome *o, cJSON *json)
{
	char *s = cJSON_PrintUnformatted(json);

	cJSON_Delete(json);
	if (!s) {
		o->rc = ccon_error_set(&o->err, CCON_E_NOMEM, "print: out of memory");
		return;
	}
	fi_pause();
	o->text = strdup(s);
	fi_resume();
	cJSON_free(s);
	if (!o->text)
		abort();
}

char *fi_strdup_printf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	fi_pause();
	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	fi_resume();
	if (n < 0)
		abort();
	return s;
}

static void on_alarm(int sig)
{
	static const char msg[] = "faultinj: stuck for " "120" " s at ";

	(void)sig;
	if (write(2, msg, sizeof(msg) - 1) < 0 || write(2, where, strlen(where)) < 0 ||
	    write(2, "\n", 1) < 0)
		_exit(1);
	_exit(1);
}

static void outcome_free(struct outcome *o)
{
	free(o->text);
	o->text = NULL;
}

/* Runs case c once under plan p at N; false when the fault did not fire. */
static bool lib_one(const struct lib_case *c, const struct plan *p, unsigned long at,
                    const struct outcome *base, unsigned *failures, unsigned *errors,
                    unsigned *survived)
{
	struct outcome o = { 0 };
	size_t leaked;
	bool fired;

	snprintf(where, sizeof(where), "%s, %s %s, N=%lu", c->name, fi_kind_name(p->kind),
	         fi_effect_name(p->effect), at);
	alarm(WATCHDOG_S);
	fi_track_begin();
	fi_arm(p->kind, p->effect, at);
	c->run(c->arg, &o);
	fired = fi_disarm();
	leaked = fi_track_end();
	if (fi_verbose)
		fprintf(stderr, "  N=%lu fired=%d rc=%d %s %s\n", at, fired, o.rc,
		        o.rc < 0 ? ccon_errc_name(o.err.code) : "", o.rc < 0 ? o.err.message : "");
	if (leaked)
		fi_fail(failures, "%s: %zu allocation(s) leaked (%s%s)", where, leaked,
		        o.rc < 0 ? "error: " : "success", o.rc < 0 ? o.err.message : "");
	if (o.rc == 0 && (!o.text || strcmp(o.text, base->text) != 0))
		fi_fail(failures, "%s: success, but not what the run without faults gives:\n%s\n"
		        "--- instead of\n%s", where, o.text ? o.text : "(nothing)", base->text);
	else if (o.rc < 0 && !o.err.message[0])
		fi_fail(failures, "%s: an error without a message (%s)", where,
		        ccon_errc_name(o.err.code));
	else if (o.rc < 0 && (!fired || p->must_succeed))
		fi_fail(failures, "%s: %s: %s", where,
		        fired ? "must be survived, failed" : "failed with no fault", o.err.message);
	else if (o.rc < 0)
		(*errors)++;
	else if (fired)
		(*survived)++;
	outcome_free(&o);
	return fired;
}

static void lib_case_run(const struct lib_case *c, unsigned *failures, int only_kind,
                         unsigned long only_at)
{
	struct outcome base = { 0 };

	snprintf(where, sizeof(where), "%s, no fault", c->name);
	c->run(c->arg, &base);
	if (base.rc < 0 || !base.text) {
		fi_fail(failures, "%s: fails without faults: %s", c->name, base.err.message);
		outcome_free(&base);
		return;
	}
	if (fi_verbose)
		fprintf(stderr, "%s:\n%s\n", c->name, base.text);
	for (size_t i = 0; i < c->n_plans; i++) {
		const struct plan *p = &c->plans[i];
		unsigned before = *failures, errors = 0, survived = 0;
		unsigned long at, fired = 0;

		if (only_kind != FI__KINDS && (int)p->kind != only_kind)
			continue;
		for (at = only_at ? only_at : 1; at < MAX_N && *failures - before < 5; at++) {
			if (!lib_one(c, p, at, &base, failures, &errors, &survived))
				break;
			fired++;
			if (only_at)
				break;
		}
		printf("%s %s: %s %s: %lu faults, %u clean errors, %u survived\n",
		       *failures == before ? "ok  " : "FAIL", c->name, fi_kind_name(p->kind),
		       fi_effect_name(p->effect), fired, errors, survived);
		if (fired == 0 && !only_at) {
			fi_fail(failures, "%s: %s %s never fired", c->name, fi_kind_name(p->kind),
			        fi_effect_name(p->effect));
		}
		fflush(stdout);
	}
	outcome_free(&base);
}

static void remove_tree(const char *dir)
{
	char path[1024];
	struct dirent *e;
	struct stat st;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
				remove_tree(path);
			else
				unlink(path);
		}
	closedir(d);
	rmdir(dir);
}

int main(int argc, char **argv)
{
	const char *tmp = getenv("TMPDIR"), *kind = getenv("CCON_FAIL_KIND");
	const char *at_s = getenv("CCON_FAIL_AT"), *only = NULL;
	char scratch[512];
	unsigned failures = 0;
	unsigned long only_at = at_s ? strtoul(at_s, NULL, 10) : 0;
	int only_kind = FI__KINDS;
	struct lib_case *cases;
	size_t n_cases = 0;

	fi_init();
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-v") == 0)
			fi_verbose = true;
		else
			only = argv[i];
	}
	if (kind) {
		for (only_kind = 0; only_kind < FI__KINDS; only_kind++)
			if (strcmp(kind, fi_kind_name((enum fi_kind)only_kind)) == 0)
				break;
		if (only_kind == FI__KINDS) {
			fprintf(stderr, "faultinj: CCON_FAIL_KIND=%s: not a kind\n", kind);
			return 99;
		}
	}
	if (getenv("CCON_TEST_CORPUS"))
		fi_corpus_dir = getenv("CCON_TEST_CORPUS");
	signal(SIGALRM, on_alarm);
	snprintf(scratch, sizeof(scratch), "%s/faultinj.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(scratch)) {
		perror("faultinj: mkdtemp");
		return 99;
	}
	fi_scratch = scratch;
	cases = lib_cases(&n_cases);
	if (!cases) {
		remove_tree(scratch);
		return 99;
	}
	for (size_t i = 0; i < n_cases; i++)
		if (!only || strstr(cases[i].name, only))
			lib_case_run(&cases[i], &failures, only_kind, only_at);
	lib_cases_free(cases, n_cases);
	snprintf(where, sizeof(where), "ccond");
	alarm(0);
	ccond_case(&failures, only, only_kind, only_at);
	remove_tree(scratch);
	printf("faultinj: %u failure(s)\n", failures);
	return failures ? 1 : 0;
}
