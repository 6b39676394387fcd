// SPDX-License-Identifier: GPL-2.0-only
/*
 * Minimal TAP producer: "ok N - name" lines and a trailing plan.
 */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tap.h"

static int tap_count, tap_failed;

bool tap_ok(bool ok, const char *fmt, ...)
{
	va_list ap;

	tap_count++;
	if (!ok)
		tap_failed++;
	printf("%sok %d - ", ok ? "" : "not ", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	return ok;
}

void tap_diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

bool tap_hex(const void *got, size_t len, const char *hex, const char *name)
{
	const unsigned char *p = got;
	char buf[1024];
	size_t i;

	if (len * 2 + 1 > sizeof(buf))
		return tap_ok(false, "%s (value too long to compare)", name);
	for (i = 0; i < len; i++)
		snprintf(buf + 2 * i, 3, "%02x", p[i]);
	if (strcmp(buf, hex)) {
		tap_diag("got      %s", buf);
		tap_diag("expected %s", hex);
		return tap_ok(false, "%s", name);
	}
	return tap_ok(true, "%s", name);
}

int tap_done(void)
{
	printf("1..%d\n", tap_count);
	if (tap_failed)
		tap_diag("%d of %d tests failed", tap_failed, tap_count);
	return tap_failed ? 1 : 0;
}
