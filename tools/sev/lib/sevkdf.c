// SPDX-License-Identifier: GPL-2.0-only
/*
 * HMAC-SHA256, the SEV key derivation function and AES-128-CTR on OpenSSL.
 */

#include <string.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include "sevkdf.h"

int sev_hmac_sha256(const u8 *key, size_t keylen, const struct sev_buf *msg,
		    size_t n, u8 out[SEV_HMAC_LEN])
{
	OSSL_PARAM params[2];
	EVP_MAC_CTX *ctx = NULL;
	EVP_MAC *mac;
	size_t outlen = 0, i;
	int ret = SEV_ERR_CRYPTO;

	mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	if (!mac)
		return sev_err(ret, "HMAC-SHA256 is not available");
	ctx = EVP_MAC_CTX_new(mac);
	if (!ctx)
		goto out;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
						     "SHA256", 0);
	params[1] = OSSL_PARAM_construct_end();
	if (!EVP_MAC_init(ctx, key, keylen, params))
		goto out;
	for (i = 0; i < n; i++)
		if (msg[i].len && !EVP_MAC_update(ctx, msg[i].data, msg[i].len))
			goto out;
	if (!EVP_MAC_final(ctx, out, &outlen, SEV_HMAC_LEN) ||
	    outlen != SEV_HMAC_LEN)
		goto out;
	ret = SEV_OK;
out:
	if (ret)
		sev_err(ret, "HMAC-SHA256 failed");
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	return ret;
}

int sev_kdf(const u8 *key, size_t keylen, const char *label,
	    const u8 *context, size_t ctxlen, u8 *out, size_t outlen)
{
	u8 counter[4], bits[4], zero = 0, block[SEV_HMAC_LEN];
	struct sev_buf msg[5];
	size_t done = 0, chunk;
	u32 i;
	int ret;

	if (!outlen || outlen > 0x1fffffff)
		return sev_err(SEV_ERR_ARG, "KDF: bad output length %zu",
			       outlen);
	sev_put_le32(bits, (u32)(outlen * 8));
	msg[0] = (struct sev_buf){ counter, sizeof(counter) };
	msg[1] = (struct sev_buf){ label, strlen(label) };
	msg[2] = (struct sev_buf){ &zero, 1 };
	msg[3] = (struct sev_buf){ context, ctxlen };
	msg[4] = (struct sev_buf){ bits, sizeof(bits) };
	for (i = 1; done < outlen; i++) {
		sev_put_le32(counter, i);
		ret = sev_hmac_sha256(key, keylen, msg, ARRAY_SIZE(msg), block);
		if (ret)
			return ret;
		chunk = outlen - done < sizeof(block) ? outlen - done :
			sizeof(block);
		memcpy(out + done, block, chunk);
		done += chunk;
	}
	sev_wipe(block, sizeof(block));
	return SEV_OK;
}

int sev_aes128_ctr(const u8 key[SEV_AES_KEY_LEN],
		   const u8 iv[SEV_AES_IV_LEN], const u8 *in, u8 *out,
		   size_t len)
{
	EVP_CIPHER_CTX *ctx;
	int outl = 0, finl = 0, ret;

	if (len > 0x7fffffff)
		return sev_err(SEV_ERR_ARG, "AES-CTR: input too long");
	ctx = EVP_CIPHER_CTX_new();
	if (!ctx)
		return sev_err(SEV_ERR_NOMEM, "out of memory");
	ret = SEV_ERR_CRYPTO;
	if (EVP_EncryptInit_ex(ctx, EVP_aes_128_ctr(), NULL, key, iv) &&
	    EVP_EncryptUpdate(ctx, out, &outl, in, (int)len) &&
	    EVP_EncryptFinal_ex(ctx, out + outl, &finl) &&
	    (size_t)(outl + finl) == len)
		ret = SEV_OK;
	else
		sev_err(ret, "AES-128-CTR failed");
	EVP_CIPHER_CTX_free(ctx);
	return ret;
}

int sev_random(u8 *buf, size_t len)
{
	if (len > 0x7fffffff || RAND_bytes(buf, (int)len) != 1)
		return sev_err(SEV_ERR_CRYPTO, "random number generator failed");
	return SEV_OK;
}

bool sev_mem_equal(const u8 *a, const u8 *b, size_t len)
{
	return CRYPTO_memcmp(a, b, len) == 0;
}
