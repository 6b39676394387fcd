/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers shared by sev-host and sev-owner: messages, loading and saving
 * certificates and blobs.
 */

#ifndef _SEVTOOLS_CMDLINE_H
#define _SEVTOOLS_CMDLINE_H

#include "amdcert.h"
#include "sevcert.h"
#include "sevtypes.h"

extern const char *prog_name;

/* "prog: message" on stderr */
__printf(1, 2) void tool_err(const char *fmt, ...);
/* Report the library error @ret with a prefix; returns its exit code */
int lib_fail(int ret, const char *what);
/* Print "try --help" and return SEV_EXIT_USAGE */
__printf(1, 2) int usage_fail(const char *fmt, ...);

/* Read a file; returns an exit code */
int load_file(const char *path, size_t max, u8 **buf, size_t *len);
/*
 * Read a binary blob that may also be stored as base64 text (as QEMU's
 * dh-cert-file and session-file are). Returns an exit code.
 */
int load_blob(const char *path, size_t max, u8 **buf, size_t *len,
	      bool *was_b64);
/* Load a SEV certificate; @usage is checked unless it is ~0u */
int load_sev_cert(const char *path, u32 usage, struct sev_cert *c);
int load_amd_cert(const char *path, struct amd_cert *c);
/* Load exactly @len raw bytes (keys) */
int load_exact(const char *path, u8 *out, size_t len);

/* Write raw bytes, or base64 text with a trailing newline */
int save_file(const char *path, const u8 *buf, size_t len, bool secret);
int save_b64(const char *path, const u8 *buf, size_t len, bool secret);

/* true if @buf looks like base64 text */
bool looks_like_b64(const u8 *buf, size_t len);

#endif /* _SEVTOOLS_CMDLINE_H */
