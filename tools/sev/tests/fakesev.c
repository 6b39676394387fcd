// SPDX-License-Identifier: GPL-2.0-only
/*
 * LD_PRELOAD stand-in for /dev/sev used by the host tests of sev-host: it
 * answers SEV_ISSUE_CMD the way the Linux 6.1 driver does (length queries
 * fail with EIO and INVALID_LEN and report the sizes) from files, so the
 * ioctl handling and error reporting can be tested without the kernel.
 *
 * Environment: FAKESEV_DIR (pdh.cert, chain.cert, csr.cert; imported
 * certificates and a command log are written there), FAKESEV_FW=N (every
 * command fails with firmware status N), FAKESEV_ERRNO=N (every command
 * fails with errno N and no firmware status), FAKESEV_NO_GET_ID2=1 (GET_ID2
 * fails with EINVAL, as on a kernel without it; the deprecated GET_ID
 * answers), FAKESEV_API=MAJOR.MINOR (the API version PLATFORM_STATUS
 * reports instead of 0.24).
 *
 * A device that breaks the length contract: FAKESEV_QUERY_LEN=N makes a
 * length query report N bytes instead of the real size; FAKESEV_FETCH_LEN=N
 * makes the call that follows succeed whatever the buffer's size and report
 * N bytes written (it copies only what fits in the buffer, as the driver
 * does). Both apply to every blob (csr.cert, pdh.cert, chain.cert, id), or
 * only to the blob FAKESEV_LIE_BLOB names.
 */

#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/psp-sev.h>

#include "util.h"

static void log_cmd(const char *what)
{
	const char *dir = getenv("FAKESEV_DIR");
	char path[4096];
	FILE *f;

	if (!dir)
		return;
	snprintf(path, sizeof(path), "%s/log", dir);
	f = fopen(path, "ae");
	if (f) {
		fprintf(f, "%s\n", what);
		fclose(f);
	}
}

static int fail(struct sev_issue_cmd *c, int err, u32 fw)
{
	c->error = fw;
	errno = err;
	return -1;
}

static int load(const char *name, u8 **buf, size_t *len)
{
	const char *dir = getenv("FAKESEV_DIR");
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : ".", name);
	return sev_read_file(path, 0x10000, buf, len);
}

static void save(const char *name, const void *buf, size_t len)
{
	const char *dir = getenv("FAKESEV_DIR");
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : ".", name);
	sev_write_file(path, buf, len, false);
}

static void *uptr(u64 addr)
{
	return (void *)(uintptr_t)addr;
}

/* The length @var makes the device report for blob @name, or -1 */
static long lie(const char *var, const char *name)
{
	const char *v = getenv(var), *only = getenv("FAKESEV_LIE_BLOB");

	if (!v || !*v || (only && *only && strcmp(only, name)))
		return -1;
	return (long)strtoul(v, NULL, 0);
}

/* The length a length query reports for blob @name of @real bytes */
static u32 query_len(const char *name, u32 real)
{
	long q = lie("FAKESEV_QUERY_LEN", name);

	return q < 0 ? real : (u32)q;
}

/* copy @n bytes out to a user buffer, with the driver's length contract */
static int reply(struct sev_issue_cmd *c, const char *name, const u8 *data,
		 size_t n, u64 addr, u32 *len)
{
	long f = lie("FAKESEV_FETCH_LEN", name);

	if (!addr || !*len || (*len < n && f < 0)) {
		*len = query_len(name, (u32)n);
		return fail(c, EIO, SEV_RET_INVALID_LEN);
	}
	/* like the driver, never past the buffer, whatever is reported */
	memcpy(uptr(addr), data, *len < n ? *len : n);
	*len = f < 0 ? (u32)n : (u32)f;
	return 0;
}

/* copy the file @name out to a user buffer */
static int blob_out(struct sev_issue_cmd *c, const char *name, u64 addr,
		    u32 *len)
{
	size_t n;
	u8 *buf;
	int ret;

	if (load(name, &buf, &n))
		return fail(c, EIO, SEV_RET_INVALID_COMMAND);
	ret = reply(c, name, buf, n, addr, len);
	free(buf);
	return ret;
}

static int fake_cmd(struct sev_issue_cmd *c)
{
	const char *fw = getenv("FAKESEV_FW"), *en = getenv("FAKESEV_ERRNO");
	const char *no_id2 = getenv("FAKESEV_NO_GET_ID2");
	const char *api = getenv("FAKESEV_API");
	struct sev_user_data_status *st;
	struct sev_user_data_pek_csr *csr;
	struct sev_user_data_pdh_cert_export *ex;
	struct sev_user_data_pek_cert_import *im;
	struct sev_user_data_get_id2 *id;
	u32 pdh_len, chain_len, len;
	u8 chip_id[128] = { 0 };
	char *end;
	size_t i;
	int ret;

	for (i = 0; i < 64; i++)
		chip_id[i] = (u8)i;
	c->error = 0;
	if (en && atoi(en))
		return fail(c, atoi(en), 0);
	if (fw && strtoul(fw, NULL, 0))
		return fail(c, EIO, (u32)strtoul(fw, NULL, 0));
	switch (c->cmd) {
	case SEV_PLATFORM_STATUS:
		st = uptr(c->data);
		memset(st, 0, sizeof(*st));
		st->api_major = 0;
		st->api_minor = 24;
		if (api && *api) {
			st->api_major = (u8)strtoul(api, &end, 10);
			st->api_minor = *end == '.' ?
					(u8)strtoul(end + 1, NULL, 10) : 0;
		}
		st->state = 1;
		st->flags = 0x101;
		st->build = 5;
		st->guest_count = 2;
		return 0;
	case SEV_FACTORY_RESET:
		log_cmd("FACTORY_RESET");
		return 0;
	case SEV_PEK_GEN:
		log_cmd("PEK_GEN");
		return 0;
	case SEV_PDH_GEN:
		log_cmd("PDH_GEN");
		return 0;
	case SEV_PEK_CSR:
		csr = uptr(c->data);
		pdh_len = csr->length;
		ret = blob_out(c, "csr.cert", csr->address, &pdh_len);
		csr->length = pdh_len;
		return ret;
	case SEV_PDH_CERT_EXPORT:
		ex = uptr(c->data);
		pdh_len = ex->pdh_cert_len;
		chain_len = ex->cert_chain_len;
		if (!ex->pdh_cert_address || !ex->cert_chain_address ||
		    !pdh_len || !chain_len) {
			ex->pdh_cert_len = query_len("pdh.cert", 0x824);
			ex->cert_chain_len = query_len("chain.cert",
						       3 * 0x824);
			return fail(c, EIO, SEV_RET_INVALID_LEN);
		}
		ret = blob_out(c, "pdh.cert", ex->pdh_cert_address, &pdh_len);
		ex->pdh_cert_len = pdh_len;
		if (ret)
			return ret;
		ret = blob_out(c, "chain.cert", ex->cert_chain_address,
			       &chain_len);
		ex->cert_chain_len = chain_len;
		return ret;
	case SEV_PEK_CERT_IMPORT:
		im = uptr(c->data);
		if (im->pek_cert_len > 0x4000 || im->oca_cert_len > 0x4000)
			return fail(c, EFAULT, 0);
		save("imported-pek.cert", uptr(im->pek_cert_address),
		     im->pek_cert_len);
		save("imported-oca.cert", uptr(im->oca_cert_address),
		     im->oca_cert_len);
		log_cmd("PEK_CERT_IMPORT");
		return 0;
	case SEV_GET_ID2:
		if (no_id2 && atoi(no_id2))
			return fail(c, EINVAL, 0);
		id = uptr(c->data);
		len = id->length;
		ret = reply(c, "id", chip_id, 64, id->address, &len);
		id->length = len;
		return ret;
	case SEV_GET_ID:
		/* fixed 128 bytes: two sockets' ids, the second one zero */
		memcpy(uptr(c->data), chip_id, sizeof(chip_id));
		return 0;
	default:
		return fail(c, EINVAL, 0);
	}
}

int ioctl(int fd, unsigned long req, ...)
{
	int (*real)(int fd, unsigned long req, void *arg);
	va_list ap;
	void *arg;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (req == SEV_ISSUE_CMD)
		return fake_cmd(arg);
	real = (int (*)(int, unsigned long, void *))dlsym(RTLD_NEXT, "ioctl");
	if (!real) {
		errno = ENOTTY;
		return -1;
	}
	return real(fd, req, arg);
}
