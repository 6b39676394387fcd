// SPDX-License-Identifier: GPL-2.0-only
/*
 * Expected launch measurement: the launch digest and its HMAC.
 */

#include "measure.h"

#define MEASURE_CTX	0x04	/* context byte of the measurement HMAC */

int sev_ld_init(struct sev_ld *ld)
{
	ld->ctx = EVP_MD_CTX_new();
	if (!ld->ctx)
		return sev_err(SEV_ERR_NOMEM, "out of memory");
	if (!EVP_DigestInit_ex(ld->ctx, EVP_sha256(), NULL)) {
		sev_ld_free(ld);
		return sev_err(SEV_ERR_CRYPTO, "SHA-256 failed");
	}
	return SEV_OK;
}

int sev_ld_update(struct sev_ld *ld, const u8 *data, size_t len)
{
	if (!EVP_DigestUpdate(ld->ctx, data, len))
		return sev_err(SEV_ERR_CRYPTO, "SHA-256 failed");
	return SEV_OK;
}

int sev_ld_final(struct sev_ld *ld, u8 out[SEV_LD_LEN])
{
	unsigned int len = 0;
	int ok;

	ok = EVP_DigestFinal_ex(ld->ctx, out, &len) && len == SEV_LD_LEN;
	sev_ld_free(ld);
	return ok ? SEV_OK : sev_err(SEV_ERR_CRYPTO, "SHA-256 failed");
}

void sev_ld_free(struct sev_ld *ld)
{
	EVP_MD_CTX_free(ld->ctx);
	ld->ctx = NULL;
}

int sev_measure(const struct sev_measure_input *in,
		u8 out[SEV_MEASURE_LEN])
{
	u8 prefix[4] = { MEASURE_CTX, in->api_major, in->api_minor, in->build };
	bool legacy = in->api_major == 0 && in->api_minor < 17;
	u8 policy[4];
	struct sev_buf msg[4];
	size_t n = 0;

	sev_put_le32(policy, in->policy);
	if (!legacy)
		msg[n++] = (struct sev_buf){ prefix, sizeof(prefix) };
	msg[n++] = (struct sev_buf){ policy, sizeof(policy) };
	msg[n++] = (struct sev_buf){ in->ld, sizeof(in->ld) };
	msg[n++] = (struct sev_buf){ in->mnonce, sizeof(in->mnonce) };
	return sev_hmac_sha256(in->tik, sizeof(in->tik), msg, n, out);
}
