/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Launch digest (LD) and the LAUNCH_MEASURE measurement.
 */

#ifndef _SEVTOOLS_MEASURE_H
#define _SEVTOOLS_MEASURE_H

#include <openssl/evp.h>
#include "sevkdf.h"

#define SEV_LD_LEN		32
#define SEV_MNONCE_LEN		16
#define SEV_MEASURE_LEN		32
#define SEV_MEASURE_OUT_LEN	48	/* MEASURE || MNONCE */
#define SEV_VMSA_LEN		4096

struct sev_measure_input {
	u8 api_major;
	u8 api_minor;
	u8 build;
	u32 policy;
	u8 ld[SEV_LD_LEN];
	u8 mnonce[SEV_MNONCE_LEN];
	u8 tik[SEV_KEY_LEN];
};

/* Launch digest: SHA-256 over every LAUNCH_UPDATE_* range in order */
struct sev_ld {
	EVP_MD_CTX *ctx;
};

int sev_ld_init(struct sev_ld *ld);
int sev_ld_update(struct sev_ld *ld, const u8 *data, size_t len);
/* Finish and free the context */
int sev_ld_final(struct sev_ld *ld, u8 out[SEV_LD_LEN]);
/* Free without finishing (error paths) */
void sev_ld_free(struct sev_ld *ld);

/*
 * MEASURE = HMAC-SHA256(TIK, 0x04 || major || minor || build ||
 * LE32(policy) || LD || MNONCE); firmware older than API 0.17 left out the
 * 0x04 || major || minor || build prefix.
 */
int sev_measure(const struct sev_measure_input *in,
		u8 out[SEV_MEASURE_LEN]);

#endif /* _SEVTOOLS_MEASURE_H */
