/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SEV symmetric primitives: HMAC-SHA256, the SP 800-108 KDF and AES-128-CTR.
 */

#ifndef _SEVTOOLS_SEVKDF_H
#define _SEVTOOLS_SEVKDF_H

#include "sevtypes.h"

#define SEV_HMAC_LEN	32
#define SEV_AES_KEY_LEN	16
#define SEV_AES_IV_LEN	16
#define SEV_KEY_LEN	16	/* TEK, TIK, MS, KEK, KIK */

/* One piece of a message that is HMACed piece by piece */
struct sev_buf {
	const void *data;
	size_t len;
};

/* HMAC-SHA256 over the concatenation of @n pieces */
int sev_hmac_sha256(const u8 *key, size_t keylen, const struct sev_buf *msg,
		    size_t n, u8 out[SEV_HMAC_LEN]);

/*
 * NIST SP 800-108 KDF in counter mode with HMAC-SHA256 as SEV uses it:
 * K(i) = HMAC(key, LE32(i) || label || 0x00 || context || LE32(bits)).
 */
int sev_kdf(const u8 *key, size_t keylen, const char *label,
	    const u8 *context, size_t ctxlen, u8 *out, size_t outlen);

/* AES-128 in CTR mode (the IV is the initial 128-bit big-endian counter) */
int sev_aes128_ctr(const u8 key[SEV_AES_KEY_LEN],
		   const u8 iv[SEV_AES_IV_LEN], const u8 *in, u8 *out,
		   size_t len);

/* Fill @buf with cryptographically random bytes */
int sev_random(u8 *buf, size_t len);

/* Constant-time comparison; true if equal */
bool sev_mem_equal(const u8 *a, const u8 *b, size_t len);

#endif /* _SEVTOOLS_SEVKDF_H */
