// SPDX-License-Identifier: GPL-2.0-only
/*
 * ATTESTATION (Linux: ATTESTATION_REPORT): a report of a guest's launch
 * digest and policy with the caller's nonce, signed by the PEK (facts
 * §8.10).
 */

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/psp-sev.h>
#include <linux/string.h>

#include "sevfw-internal.h"
#include "sevfw-guest.h"

/**
 * struct sevfw_report - the 0xD0-byte attestation report
 * @mnonce: the caller's nonce
 * @launch_digest: LD as LAUNCH_MEASURE finalised it (zero if received)
 * @policy: guest policy
 * @sig_usage: SEV_USAGE_PEK
 * @sig_algo: SEV_ALGO_ECDSA_SHA256
 * @reserved: zero
 * @sig_r: ECDSA r, little-endian, zero padded
 * @sig_s: ECDSA s, little-endian, zero padded
 */
struct sevfw_report {
	u8 mnonce[SEVFW_MNONCE_LEN];
	u8 launch_digest[SHA256_DIGEST_SIZE];
	__le32 policy;
	__le32 sig_usage;
	__le32 sig_algo;
	__le32 reserved;
	u8 sig_r[SEV_ECC_COORD_BYTES];
	u8 sig_s[SEV_ECC_COORD_BYTES];
} __packed;

static_assert(sizeof(struct sevfw_report) == SEVFW_REPORT_LEN);

#define SEVFW_REPORT_SIGNED	offsetof(struct sevfw_report, sig_usage)

static void sevfw_be_to_le(u8 *le, const u8 *be, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		le[i] = be[len - 1 - i];
}

u16 sevfw_cmd_attestation(struct sevfw *fw, void *buf)
{
	struct sev_data_attestation_report *d = buf;
	u8 digest[SHA256_DIGEST_SIZE];
	struct sevfw_ecdsa_sig sig;
	struct sevfw_report r;
	struct sevfw_guest *g;
	u16 status;

	g = sevfw_guest_cmd_get(fw, d->handle, BIT(SEVFW_GSTATE_LSECRET) |
				BIT(SEVFW_GSTATE_RUNNING) |
				BIT(SEVFW_GSTATE_SUPDATE) |
				BIT(SEVFW_GSTATE_SENT), &status);
	if (!g)
		return status;
	if (d->len < SEVFW_REPORT_LEN) {
		d->len = SEVFW_REPORT_LEN;
		return SEV_RET_INVALID_LEN;
	}

	memset(&r, 0, sizeof(r));
	memcpy(r.mnonce, d->mnonce, sizeof(r.mnonce));
	memcpy(r.launch_digest, g->ld, sizeof(r.launch_digest));
	r.policy = cpu_to_le32(g->policy);
	r.sig_usage = cpu_to_le32(SEV_USAGE_PEK);
	r.sig_algo = cpu_to_le32(SEV_ALGO_ECDSA_SHA256);
	sha256((const u8 *)&r, SEVFW_REPORT_SIGNED, digest);
	if (sevfw_ecdsa_sign_digest(&fw->id.pek_key, digest, sizeof(digest),
				    &sig))
		return SEV_RET_HWSEV_RET_UNSAFE;
	sevfw_be_to_le(r.sig_r, sig.r, sizeof(sig.r));
	sevfw_be_to_le(r.sig_s, sig.s, sizeof(sig.s));

	if (sevfw_mem_write(fw, d->address, &r, sizeof(r)))
		return SEV_RET_INVALID_ADDRESS;
	d->len = SEVFW_REPORT_LEN;
	return SEV_RET_SUCCESS;
}
