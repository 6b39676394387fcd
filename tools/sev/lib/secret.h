/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * LAUNCH_SECRET packet: header and ciphertext.
 */

#ifndef _SEVTOOLS_SECRET_H
#define _SEVTOOLS_SECRET_H

#include "measure.h"

#define SEV_SECRET_HDR_SIZE	0x34
#define SEV_SECRET_MAX		0x5000	/* firmware limit per command */
#define SEV_SECRET_ALIGN	16

struct sev_secret_hdr {
	u32 flags;
	u8 iv[SEV_AES_IV_LEN];
	u8 mac[SEV_HMAC_LEN];
};

/*
 * Encrypt @len bytes (a non-zero multiple of 16, at most SEV_SECRET_MAX)
 * with AES-128-CTR(TEK, IV) into @ct and fill in the header with
 * MAC = HMAC-SHA256(TIK, 0x01 || FLAGS || IV || LE32(len) || LE32(len) ||
 * ciphertext || MEASURE).
 */
int sev_secret_build(const u8 tek[SEV_KEY_LEN], const u8 tik[SEV_KEY_LEN],
		     const u8 measure[SEV_MEASURE_LEN],
		     const u8 iv[SEV_AES_IV_LEN], const u8 *secret,
		     size_t len, struct sev_secret_hdr *hdr, u8 *ct);
/* Check the MAC and decrypt (what the firmware does) */
int sev_secret_open(const u8 tek[SEV_KEY_LEN], const u8 tik[SEV_KEY_LEN],
		    const u8 measure[SEV_MEASURE_LEN],
		    const struct sev_secret_hdr *hdr, const u8 *ct,
		    size_t len, u8 *plain);

void sev_secret_hdr_encode(const struct sev_secret_hdr *hdr,
			   u8 out[SEV_SECRET_HDR_SIZE]);
int sev_secret_hdr_parse(struct sev_secret_hdr *hdr, const u8 *buf,
			 size_t len);

#endif /* _SEVTOOLS_SECRET_H */
