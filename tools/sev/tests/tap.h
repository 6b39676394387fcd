/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Minimal TAP (Test Anything Protocol) output for the SEV tool tests.
 */

#ifndef _SEVTOOLS_TAP_H
#define _SEVTOOLS_TAP_H

#include "sevtypes.h"

/* Report one test; returns @ok */
__printf(2, 3) bool tap_ok(bool ok, const char *fmt, ...);
/* Compare @len bytes with a hex string; reports one test */
bool tap_hex(const void *got, size_t len, const char *hex, const char *name);
/* Print "# ..." diagnostics */
__printf(1, 2) void tap_diag(const char *fmt, ...);
/* Print the plan line; returns the exit status (0 if all passed) */
int tap_done(void);

#endif /* _SEVTOOLS_TAP_H */
