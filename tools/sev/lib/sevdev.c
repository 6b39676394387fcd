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

/* A length query succeeds, or fails with INVALID_LEN and sets the length */
static int query_ok(int ret, u32 fw, u32 len)
{
	if (ret && !(ret == -EIO && fw == SEV_RET_INVALID_LEN))
		return ret;
	if (!len || len > SEVDEV_BLOB_MAX)
		return -EPROTO;
	return 0;
}

int sevdev_pek_csr(int fd, u8 **buf, u32 *len, u32 *fw)
{
	struct sev_user_data_pek_csr arg;
	int ret;

	*buf = NULL;
	*len = 0;
	memset(&arg, 0, sizeof(arg));
	ret = sevdev_issue(fd, SEV_PEK_CSR, &arg, fw);
	ret = query_ok(ret, *fw, arg.length);
	if (ret)
		return ret;
	*buf = calloc(1, arg.length);
	if (!*buf)
		return -ENOMEM;
	arg.address = uptr(*buf);
	ret = sevdev_issue(fd, SEV_PEK_CSR, &arg, fw);
	if (ret || !arg.length || arg.length > SEVDEV_BLOB_MAX) {
		free(*buf);
		*buf = NULL;
		return ret ? ret : -EPROTO;
	}
	*len = arg.length;
	return 0;
}

int sevdev_pdh_cert_export(int fd, u8 **pdh, u32 *pdh_len, u8 **chain,
			   u32 *chain_len, u32 *fw)
{
	struct sev_user_data_pdh_cert_export arg;
	int ret;

	*pdh = NULL;
	*chain = NULL;
	*pdh_len = 0;
	*chain_len = 0;
	memset(&arg, 0, sizeof(arg));
	ret = sevdev_issue(fd, SEV_PDH_CERT_EXPORT, &arg, fw);
	ret = query_ok(ret, *fw, arg.pdh_cert_len);
	if (!ret)
		ret = query_ok(0, 0, arg.cert_chain_len);
	if (ret)
		return ret;
	*pdh = calloc(1, arg.pdh_cert_len);
	*chain = calloc(1, arg.cert_chain_len);
	if (!*pdh || !*chain) {
		ret = -ENOMEM;
		goto fail;
	}
	arg.pdh_cert_address = uptr(*pdh);
	arg.cert_chain_address = uptr(*chain);
	ret = sevdev_issue(fd, SEV_PDH_CERT_EXPORT, &arg, fw);
	if (ret)
		goto fail;
	if (!arg.pdh_cert_len || arg.pdh_cert_len > SEVDEV_BLOB_MAX ||
	    !arg.cert_chain_len || arg.cert_chain_len > SEVDEV_BLOB_MAX) {
		ret = -EPROTO;
		goto fail;
	}
	*pdh_len = arg.pdh_cert_len;
	*chain_len = arg.cert_chain_len;
	return 0;
fail:
	free(*pdh);
	free(*chain);
	*pdh = NULL;
	*chain = NULL;
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

int sevdev_get_id(int fd, u8 **buf, u32 *len, u32 *fw)
{
	struct sev_user_data_get_id2 arg;
	int ret;

	*buf = NULL;
	*len = 0;
	memset(&arg, 0, sizeof(arg));
	ret = sevdev_issue(fd, SEV_GET_ID2, &arg, fw);
	if (ret == -EINVAL && !*fw)
		return get_id_legacy(fd, buf, len, fw);
	ret = query_ok(ret, *fw, arg.length);
	if (ret)
		return ret;
	*buf = calloc(1, arg.length);
	if (!*buf)
		return -ENOMEM;
	arg.address = uptr(*buf);
	ret = sevdev_issue(fd, SEV_GET_ID2, &arg, fw);
	if (ret || !arg.length || arg.length > SEVDEV_BLOB_MAX) {
		free(*buf);
		*buf = NULL;
		return ret ? ret : -EPROTO;
	}
	*len = arg.length;
	return 0;
}
