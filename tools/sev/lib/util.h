/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * File and hex helpers for the SEV command-line programs.
 */

#ifndef _SEVTOOLS_UTIL_H
#define _SEVTOOLS_UTIL_H

#include "sevtypes.h"

/* Largest file the tools read (firmware images are the biggest inputs) */
#define SEV_FILE_MAX	(64u << 20)

/* Read a whole file (at most @max bytes) into a new buffer */
int sev_read_file(const char *path, size_t max, u8 **buf, size_t *len);
/* Create or replace @path with @len bytes, mode 0600 if @secret */
int sev_write_file(const char *path, const u8 *buf, size_t len, bool secret);

/* Parse hex (optional 0x prefix, no separators) into exactly @len bytes */
int sev_hex_decode(const char *hex, u8 *out, size_t len);
/* Parse hex of any even length; returns the byte count or an error */
int sev_hex_decode_any(const char *hex, u8 *out, size_t max);
/* Lower-case (or upper-case) hex of @len bytes; @out holds 2*len+1 */
void sev_hex_encode(const u8 *in, size_t len, char *out, bool upper);

/* Parse an unsigned number (decimal or 0x hex) no larger than @max */
int sev_parse_uint(const char *s, unsigned long max, unsigned long *val);

#endif /* _SEVTOOLS_UTIL_H */
