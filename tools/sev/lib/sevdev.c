// SPDX-License-Identifier: GPL-2.0-only
/*
 * Thin wrappers around the /dev/sev SEV_ISSUE_CMD ioctl, including the
 * "query the length, then fetch" idiom the driver supports.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "sevdev.h"

static const char * const cmd_names[] = {
	[SEV_FACTORY_RESET] = "FACTORY_RESET",
	[SEV_PLATFORM_STATUS] = "PLATFORM_STATUS",
	[SEV_PEK_GEN] = "PEK_GEN",
	[SEV_PEK_CSR] = "PEK_CSR",
	[SEV_PDH_GEN] = "PDH_GEN",
	[SEV_PDH_CERT_EXPORT] = "PDH_CERT_EXPORT",
	[SEV_PEK_CERT_IMPORT] = "PEK_CERT_IMPORT",
	[SEV_GET_ID] = "GET_ID",
	[SEV_GET_ID2] = "GET_ID2",
};

const char *sevdev_cmd_name(u32 cmd)
{
	if (cmd < ARRAY_SIZE(cmd_names) && cmd_names[cmd])
		return cmd_names[cmd];
	return "UNKNOWN";
}

int sevdev_open(const char *path, bool need_write)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);

	if (fd < 0 && !need_write && (errno == EACCES || errno == EPERM))
		fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

static u64 uptr(const void *p)
{
	return (u64)(uintptr_t)p;
}

int sevdev_issue(int fd, u32 cmd, void *data, u32 *fw)
{
	struct sev_issue_cmd arg;
	int ret;

	memset(&arg, 0, sizeof(arg));
	arg.cmd = cmd;
	arg.data = uptr(data);
	do {
		ret = ioctl(fd, SEV_ISSUE_CMD, &arg);
	} while (ret < 0 && errno == EINTR);
	*fw = arg.error == SEVDEV_NO_FW_CALL ? 0 : arg.error;
	return ret < 0 ? -errno : 0;
}

int sevdev_platform_status(int fd, struct sev_user_data_status *st, u32 *fw)
{
	memset(st, 0, sizeof(*st));
	return sevdev_issue(fd, SEV_PLATFORM_STATUS, st, fw);
}

int sevdev_simple(int fd, u32 cmd, u32 *fw)
{
	return sevdev_issue(fd, cmd, NULL, fw);
}

/*
 * One output buffer of a command that uses the driver's "query the length,
 * then fetch" idiom.
 */
struct blob {
	const char *what;	/* "the CSR", for messages */
	u8 *buf;		/* NULL for the length query */
	u32 size;		/* bytes allocated at @buf */
	u32 len;		/* what the device reports: needed, then written */
};

/* Issue a command with the buffers of @b; the lengths come back in @b */
typedef int (*blob_io_fn)(int fd, struct blob *b, u32 *fw);

static void blobs_free(struct blob *b, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		free(b[i].buf);
		b[i].buf = NULL;
		b[i].size = 0;
	}
}

/*
 * The length query: @io without buffers. It succeeds, or fails with
 * INVALID_LEN, and reports for each buffer a size from 1 to SEVDEV_BLOB_MAX.
 * Other failures are returned as they are.
 */
static int blobs_query(int fd, blob_io_fn io, struct blob *b, int n,
		       u32 *fw)
{
	int i, ret;

	for (i = 0; i < n; i++) {
		b[i].buf = NULL;
		b[i].size = 0;
		b[i].len = 0;
	}
	ret = io(fd, b, fw);
	if (ret && !(ret == -EIO && *fw == SEV_RET_INVALID_LEN))
		return ret;
	/* INVALID_LEN is the expected answer, not a firmware error */
	*fw = 0;
	for (i = 0; i < n; i++) {
		if (!b[i].len)
			return sev_err(-SEVDEV_EBADLEN,
				       "the length query reported 0 bytes for %s",
				       b[i].what);
		if (b[i].len > SEVDEV_BLOB_MAX)
			return sev_err(-SEVDEV_EBADLEN,
				       "the length query reported %u bytes for %s (limit %u)",
				       b[i].len, b[i].what, SEVDEV_BLOB_MAX);
	}
	return 0;
}

/*
 * The fetch after blobs_query(): allocates the sizes the query reported and
 * issues @io again. The device may answer differently this time, so each
 * length it reports must be at least 1 and no more than the buffer it was
 * given; then b[i].buf holds b[i].len bytes. On failure the buffers are
 * freed.
 */
static int blobs_fetch(int fd, blob_io_fn io, struct blob *b, int n,
		       u32 *fw)
{
	int i, ret;

	for (i = 0; i < n; i++) {
		b[i].buf = calloc(1, b[i].len);
		if (!b[i].buf) {
			blobs_free(b, n);
			return -ENOMEM;
		}
		b[i].size = b[i].len;
	}
	ret = io(fd, b, fw);
	for (i = 0; !ret && i < n; i++) {
		if (!b[i].len)
			ret = sev_err(-SEVDEV_EBADLEN,
				      "the device reported 0 bytes of %s written",
				      b[i].what);
		else if (b[i].len > b[i].size)
			ret = sev_err(-SEVDEV_EBADLEN,
				      "the device reported %u bytes of %s written into a %u-byte buffer",
				      b[i].len, b[i].what, b[i].size);
	}
	if (ret == -SEVDEV_EBADLEN)
		*fw = 0;
	if (ret)
		blobs_free(b, n);
	return ret;
}

static int blobs_get(int fd, blob_io_fn io, struct blob *b, int n, u32 *fw)
{
	int ret = blobs_query(fd, io, b, n, fw);

	return ret ? ret : blobs_fetch(fd, io, b, n, fw);
}

static int pek_csr_io(int fd, struct blob *b, u32 *fw)
{
	struct sev_user_data_pek_csr arg;
	int ret;

	memset(&arg, 0, sizeof(arg));
	arg.address = uptr(b[0].buf);
	arg.length = b[0].size;
	ret = sevdev_issue(fd, SEV_PEK_CSR, &arg, fw);
	b[0].len = arg.length;
	return ret;
}

int sevdev_pek_csr(int fd, u8 **buf, u32 *len, u32 *fw)
{
	struct blob b = { .what = "the CSR" };
	int ret = blobs_get(fd, pek_csr_io, &b, 1, fw);

	*buf = ret ? NULL : b.buf;
	*len = ret ? 0 : b.len;
	return ret;
}

static int pdh_cert_export_io(int fd, struct blob *b, u32 *fw)
{
	struct sev_user_data_pdh_cert_export arg;
	int ret;

	memset(&arg, 0, sizeof(arg));
	arg.pdh_cert_address = uptr(b[0].buf);
	arg.pdh_cert_len = b[0].size;
	arg.cert_chain_address = uptr(b[1].buf);
	arg.cert_chain_len = b[1].size;
	ret = sevdev_issue(fd, SEV_PDH_CERT_EXPORT, &arg, fw);
	b[0].len = arg.pdh_cert_len;
	b[1].len = arg.cert_chain_len;
	return ret;
}

int sevdev_pdh_cert_export(int fd, u8 **pdh, u32 *pdh_len, u8 **chain,
			   u32 *chain_len, u32 *fw)
{
	struct blob b[2] = {
		{ .what = "the PDH certificate" },
		{ .what = "the certificate chain" },
	};
	int ret = blobs_get(fd, pdh_cert_export_io, b, 2, fw);

	*pdh = ret ? NULL : b[0].buf;
	*pdh_len = ret ? 0 : b[0].len;
	*chain = ret ? NULL : b[1].buf;
	*chain_len = ret ? 0 : b[1].len;
	return ret;
}

int sevdev_pek_cert_import(int fd, const u8 *pek, u32 pek_len,
			   const u8 *oca, u32 oca_len, u32 *fw)
{
	struct sev_user_data_pek_cert_import arg;

	memset(&arg, 0, sizeof(arg));
	arg.pek_cert_address = uptr(pek);
	arg.pek_cert_len = pek_len;
	arg.oca_cert_address = uptr(oca);
	arg.oca_cert_len = oca_len;
	return sevdev_issue(fd, SEV_PEK_CERT_IMPORT, &arg, fw);
}

static int get_id_legacy(int fd, u8 **buf, u32 *len, u32 *fw)
{
	struct sev_user_data_get_id *id;
	int ret;

	id = calloc(1, sizeof(*id));
	if (!id)
		return -ENOMEM;
	ret = sevdev_issue(fd, SEV_GET_ID, id, fw);
	if (ret) {
		free(id);
		return ret;
	}
	*buf = (u8 *)id;
	*len = sizeof(*id);
	return 0;
}

static int get_id2_io(int fd, struct blob *b, u32 *fw)
{
	struct sev_user_data_get_id2 arg;
	int ret;

	memset(&arg, 0, sizeof(arg));
	arg.address = uptr(b[0].buf);
	arg.length = b[0].size;
	ret = sevdev_issue(fd, SEV_GET_ID2, &arg, fw);
	b[0].len = arg.length;
	return ret;
}

int sevdev_get_id(int fd, u8 **buf, u32 *len, u32 *fw)
{
	struct blob b = { .what = "the chip id" };
	int ret;

	*buf = NULL;
	*len = 0;
	ret = blobs_query(fd, get_id2_io, &b, 1, fw);
	/* a kernel without GET_ID2 */
	if (ret == -EINVAL && !*fw)
		return get_id_legacy(fd, buf, len, fw);
	if (!ret)
		ret = blobs_fetch(fd, get_id2_io, &b, 1, fw);
	if (!ret) {
		*buf = b.buf;
		*len = b.len;
	}
	return ret;
}
