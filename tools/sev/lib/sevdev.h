/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * /dev/sev SEV_ISSUE_CMD wrappers.
 */

#ifndef _SEVTOOLS_SEVDEV_H
#define _SEVTOOLS_SEVDEV_H

#include <errno.h>
#include <linux/psp-sev.h>
#include "sevtypes.h"

#define SEVDEV_DEFAULT_PATH	"/dev/sev"
#define SEVDEV_BLOB_MAX		0x4000	/* the driver's per-blob limit */
/* "error" value meaning the driver made no firmware call (newer kernels) */
#define SEVDEV_NO_FW_CALL	0xffffffffu

/*
 * Every wrapper returns 0 or a negative errno. @fw receives the firmware
 * status the driver reported (0 if none); a failure with a non-zero @fw is
 * a firmware error, otherwise a driver or device error.
 */

/*
 * -SEVDEV_EBADLEN: the device broke the length contract of a command that
 * fills buffers (a length query reported 0 bytes or more than
 * SEVDEV_BLOB_MAX, or the fetch reported 0 bytes or more than the buffer it
 * was given); sev_errmsg() says which. Nothing is returned to the caller.
 */
#define SEVDEV_EBADLEN		EBADMSG

/* Open the device read-write, or read-only if that is all @need_write=false
 * callers need and the file mode allows.
 */
int sevdev_open(const char *path, bool need_write);
int sevdev_issue(int fd, u32 cmd, void *data, u32 *fw);

int sevdev_platform_status(int fd, struct sev_user_data_status *st, u32 *fw);
/* Commands without an argument: FACTORY_RESET, PEK_GEN, PDH_GEN */
int sevdev_simple(int fd, u32 cmd, u32 *fw);
/*
 * Query the length, then fetch into a buffer of that size; *buf is malloc'ed
 * and holds the *len bytes the device reports written (1 to the size it
 * asked for; any other length fails with -SEVDEV_EBADLEN).
 */
int sevdev_pek_csr(int fd, u8 **buf, u32 *len, u32 *fw);
int sevdev_pdh_cert_export(int fd, u8 **pdh, u32 *pdh_len, u8 **chain,
			   u32 *chain_len, u32 *fw);
int sevdev_pek_cert_import(int fd, const u8 *pek, u32 pek_len,
			   const u8 *oca, u32 oca_len, u32 *fw);
/*
 * GET_ID2 with a length query, checked as above; falls back to the old
 * GET_ID ioctl (a fixed 128 bytes, no length) when GET_ID2 is unknown
 */
int sevdev_get_id(int fd, u8 **buf, u32 *len, u32 *fw);

/* Name of an ioctl command ("PDH_CERT_EXPORT") */
const char *sevdev_cmd_name(u32 cmd);

#endif /* _SEVTOOLS_SEVDEV_H */
