/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TAP version 13 for the C tests: the one writer of "ok N - ..." lines in
 * the tree (shell tests source scripts/tap.sh instead).
 *
 *	tap_start();			TAP version 13
 *	tap_ok(cond, "what %d", n);	ok N - what 1 (or not ok N - ...)
 *	tap_eq(got, want, "what");	tap_ok(got == want, ...), and both
 *					values as a diagnostic when not
 *	tap_skip("why", "what");	ok N - what # SKIP why
 *	tap_diag("text %d", n);		# text 1
 *	return tap_end();		1..N (the plan comes last); 0, or 1
 *					when a test failed
 *	return tap_skip_all("why");	1..0 # SKIP why; 4 (kselftest's skip)
 *
 * Every line is flushed as it is written: a test that crashes leaves the
 * results before the crash, and run-tap.sh adds the failure.  The counts
 * live in one weak object, so a test built from several files that all
 * include this header numbers its lines once.
 */
#ifndef IPO_SELFTESTS_TAP_H
#define IPO_SELFTESTS_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#define TAP_SKIP_EXIT	4	/* kselftest's KSFT_SKIP */

struct tap_state {
	unsigned int nr;	/* lines written */
	unsigned int failed;	/* of them "not ok" */
};

__attribute__((weak)) struct tap_state tap_state;

static inline void tap_start(void)
{
	printf("TAP version 13\n");
	fflush(stdout);
}

static inline bool tap_vok(bool cond, const char *fmt, va_list ap)
{
	tap_state.nr++;
	if (!cond)
		tap_state.failed++;
	printf("%sok %u - ", cond ? "" : "not ", tap_state.nr);
	vprintf(fmt, ap);
	printf("\n");
	fflush(stdout);
	return cond;
}

/* One result line; returns @cond. */
static inline __attribute__((format(printf, 2, 3)))
bool tap_ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vok(cond, fmt, ap);
	va_end(ap);
	return cond;
}

/* A diagnostic line, "# " in front. */
static inline __attribute__((format(printf, 1, 2)))
void tap_diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/* tap_ok() of an integer result, naming both values when they differ. */
static inline __attribute__((format(printf, 3, 4)))
bool tap_eq(long long got, long long want, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vok(got == want, fmt, ap);
	va_end(ap);
	if (got != want)
		tap_diag("  got %lld (%#llx), want %lld (%#llx)", got,
			 (unsigned long long)got, want,
			 (unsigned long long)want);
	return got == want;
}

/* A test that could not run here: it counts as passed, with the reason. */
static inline __attribute__((format(printf, 2, 3)))
void tap_skip(const char *why, const char *fmt, ...)
{
	va_list ap;

	printf("ok %u - ", ++tap_state.nr);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" # SKIP %s\n", why);
	fflush(stdout);
}

static inline unsigned int tap_count(void)
{
	return tap_state.nr;
}

static inline unsigned int tap_failures(void)
{
	return tap_state.failed;
}

/* The plan, after the results; the exit status for main(). */
static inline int tap_end(void)
{
	printf("1..%u\n", tap_state.nr);
	fflush(stdout);
	return tap_state.failed ? 1 : 0;
}

/* Nothing can run here (before any result line): the exit status. */
static inline __attribute__((format(printf, 1, 2)))
int tap_skip_all(const char *fmt, ...)
{
	va_list ap;

	printf("1..0 # SKIP ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	return TAP_SKIP_EXIT;
}

#endif /* IPO_SELFTESTS_TAP_H */
