/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Cryptographic primitives of the software SEV firmware: ECDSA and ECDH on
 * NIST P-384 (on top of the kernel's crypto/ecc.c), HMAC-SHA256, the NIST
 * SP 800-108 counter-mode KDF and AES-128-CTR.
 *
 * Byte order: every P-384 scalar and coordinate in these interfaces is a
 * 48-byte big-endian string (the order OpenSSL and the SEV tools use for Z
 * and the order the spec's formulas are written in). SEV certificates store
 * them little-endian; sevfw-cert.c converts.
 */

#ifndef _SEVFW_CRYPTO_H
#define _SEVFW_CRYPTO_H

#include <linux/types.h>
#include <crypto/sha2.h>

#define SEVFW_P384_BYTES	48
#define SEVFW_HMAC_BYTES	SHA256_DIGEST_SIZE

/**
 * struct sevfw_ecc_pub - a P-384 public point (big-endian coordinates)
 * @x: affine x
 * @y: affine y
 */
struct sevfw_ecc_pub {
	u8 x[SEVFW_P384_BYTES];
	u8 y[SEVFW_P384_BYTES];
};

/**
 * struct sevfw_ecc_key - a P-384 key pair
 * @d: private scalar, big-endian, 1 <= d < n
 * @pub: d * G
 */
struct sevfw_ecc_key {
	u8 d[SEVFW_P384_BYTES];
	struct sevfw_ecc_pub pub;
};

/**
 * struct sevfw_ecdsa_sig - an ECDSA signature (big-endian r and s)
 * @r: r
 * @s: s
 */
struct sevfw_ecdsa_sig {
	u8 r[SEVFW_P384_BYTES];
	u8 s[SEVFW_P384_BYTES];
};

/* Key generation from the kernel RNG; 0 or -errno */
int sevfw_ecc_generate(struct sevfw_ecc_key *key);
/* Recompute @key->pub from @key->d; -EINVAL if d is out of range */
int sevfw_ecc_derive_pub(struct sevfw_ecc_key *key);
/* Full public-key validation (on curve, not infinity, order n); 0 or -EINVAL */
int sevfw_ecc_check_pub(const struct sevfw_ecc_pub *pub);

/* ECDSA over a caller-computed digest (SHA-256 for the SEV *_SHA256 algos) */
int sevfw_ecdsa_sign_digest(const struct sevfw_ecc_key *key,
			    const u8 *digest, size_t dlen,
			    struct sevfw_ecdsa_sig *sig);
/* 0 if valid, -EBADMSG if the signature does not verify, -EINVAL if malformed */
int sevfw_ecdsa_verify_digest(const struct sevfw_ecc_pub *pub,
			      const u8 *digest, size_t dlen,
			      const struct sevfw_ecdsa_sig *sig);

/* ECDH: Z = x(d * peer), 48 bytes big-endian; -EINVAL for an invalid peer */
int sevfw_ecdh(const struct sevfw_ecc_key *key,
	       const struct sevfw_ecc_pub *peer, u8 z[SEVFW_P384_BYTES]);

/**
 * struct sevfw_hmac - incremental HMAC-SHA256
 * @inner: inner hash state
 * @outer: outer hash state (already fed with the outer key pad)
 */
struct sevfw_hmac {
	struct sha256_state inner;
	struct sha256_state outer;
};

void sevfw_hmac_init(struct sevfw_hmac *h, const u8 *key, size_t klen);
void sevfw_hmac_update(struct sevfw_hmac *h, const void *data, size_t len);
void sevfw_hmac_final(struct sevfw_hmac *h, u8 out[SEVFW_HMAC_BYTES]);
void sevfw_hmac(const u8 *key, size_t klen, const void *data, size_t len,
		u8 out[SEVFW_HMAC_BYTES]);
/* Constant-time comparison of two MACs; true if equal */
bool sevfw_mac_equal(const u8 *a, const u8 *b, size_t len);

/*
 * SP 800-108 counter-mode KDF with HMAC-SHA256 as the PRF:
 * K(i) = HMAC(key, LE32(i) || label || 0x00 || context || LE32(outlen * 8)).
 * @label is a NUL-terminated string; the terminator is not hashed (the 0x00
 * separator is).
 */
void sevfw_kdf(const u8 *key, size_t klen, const char *label,
	       const u8 *context, size_t ctxlen, u8 *out, size_t outlen);

/* AES-128-CTR, 128-bit big-endian counter starting at @iv; in may equal out */
void sevfw_aes128_ctr(const u8 key[16], const u8 iv[16],
		      const u8 *in, u8 *out, size_t len);

#endif /* _SEVFW_CRYPTO_H */
