/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * KTAP output for the project's userspace tests: a plan line "1..N", one
 * "ok N - name" / "not ok N - name" line per test, "# " diagnostics, and
 * an exit code that is 0 only if every planned test ran and passed.
 */

#ifndef _SEVSTACK_TAP_H
#define _SEVSTACK_TAP_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#define KSFT_PASS	0
#define KSFT_FAIL	1

static unsigned int tap_planned, tap_count, tap_passed;

static inline void tap_plan(unsigned int n)
{
	tap_planned = n;
	printf("TAP version 13\n1..%u\n", n);
	fflush(stdout);
}

/* Count a result and print its "ok N - " prefix; returns @pass */
static inline bool tap_begin(bool pass)
{
	tap_count++;
	if (pass)
		tap_passed++;
	printf("%sok %u - ", pass ? "" : "not ", tap_count);
	return pass;
}

/* Report one test; evaluates to whether it passed */
#define tap_result(pass, fmt, ...)				\
({								\
	bool __tap_pass = tap_begin(pass);			\
								\
	printf(fmt "\n", ##__VA_ARGS__);			\
	fflush(stdout);						\
	__tap_pass;						\
})

#define tap_diag(fmt, ...)					\
do {								\
	printf("# " fmt "\n", ##__VA_ARGS__);			\
	fflush(stdout);						\
} while (0)

/* Abort the whole program: prints "Bail out!" and exits with KSFT_FAIL */
#define tap_bail_out(fmt, ...)					\
do {								\
	printf("Bail out! " fmt "\n", ##__VA_ARGS__);		\
	fflush(stdout);						\
	exit(KSFT_FAIL);					\
} while (0)

/* Print the totals; returns the program's exit code */
static inline int tap_finish(void)
{
	printf("# Totals: pass:%u fail:%u\n", tap_passed, tap_count - tap_passed);
	if (tap_count != tap_planned)
		tap_diag("planned %u tests but ran %u", tap_planned, tap_count);
	fflush(stdout);
	if (tap_passed != tap_count || tap_count != tap_planned)
		return KSFT_FAIL;
	return KSFT_PASS;
}

#endif /* _SEVSTACK_TAP_H */
