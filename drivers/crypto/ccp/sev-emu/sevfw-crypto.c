// SPDX-License-Identifier: GPL-2.0-only
/*
 * Symmetric cryptography of the software SEV firmware: HMAC-SHA256, the
 * SP 800-108 counter-mode KDF and AES-128-CTR, on the kernel's SHA-256 and
 * AES libraries.
 */

#include <linux/kernel.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <crypto/aes.h>
#include <crypto/algapi.h>
#include <crypto/sha2.h>

#include "sevfw-crypto.h"

#define HMAC_IPAD	0x36
#define HMAC_OPAD	0x5c

/* sha256_update() takes an unsigned int length; feed larger inputs in parts */
static void sevfw_sha256_update(struct sha256_state *st, const u8 *data,
				size_t len)
{
	while (len) {
		unsigned int part = min_t(size_t, len, SZ_1G);

		sha256_update(st, data, part);
		data += part;
		len -= part;
	}
}

/**
 * sevfw_hmac_init() - start an HMAC-SHA256 computation
 * @h: state to initialise
 * @key: the key; a key longer than one SHA-256 block is hashed first
 * @klen: length of @key in bytes
 */
void sevfw_hmac_init(struct sevfw_hmac *h, const u8 *key, size_t klen)
{
	u8 pad[SHA256_BLOCK_SIZE] = { };
	unsigned int i;

	if (klen > SHA256_BLOCK_SIZE) {
		struct sha256_state st;

		sha256_init(&st);
		sevfw_sha256_update(&st, key, klen);
		sha256_final(&st, pad);
	} else if (klen) {
		memcpy(pad, key, klen);
	}

	for (i = 0; i < SHA256_BLOCK_SIZE; i++)
		pad[i] ^= HMAC_IPAD;
	sha256_init(&h->inner);
	sha256_update(&h->inner, pad, SHA256_BLOCK_SIZE);

	for (i = 0; i < SHA256_BLOCK_SIZE; i++)
		pad[i] ^= HMAC_IPAD ^ HMAC_OPAD;
	sha256_init(&h->outer);
	sha256_update(&h->outer, pad, SHA256_BLOCK_SIZE);

	memzero_explicit(pad, sizeof(pad));
}

/**
 * sevfw_hmac_update() - feed message bytes to an HMAC computation
 * @h: state from sevfw_hmac_init()
 * @data: message bytes
 * @len: number of bytes
 */
void sevfw_hmac_update(struct sevfw_hmac *h, const void *data, size_t len)
{
	sevfw_sha256_update(&h->inner, data, len);
}

/**
 * sevfw_hmac_final() - finish an HMAC computation and wipe the state
 * @h: state from sevfw_hmac_init()
 * @out: the 32-byte MAC
 */
void sevfw_hmac_final(struct sevfw_hmac *h, u8 out[SEVFW_HMAC_BYTES])
{
	u8 inner[SHA256_DIGEST_SIZE];

	sha256_final(&h->inner, inner);
	sha256_update(&h->outer, inner, sizeof(inner));
	sha256_final(&h->outer, out);
	memzero_explicit(inner, sizeof(inner));
	memzero_explicit(h, sizeof(*h));
}

/**
 * sevfw_hmac() - one-shot HMAC-SHA256
 * @key: the key
 * @klen: length of @key
 * @data: the message
 * @len: length of @data
 * @out: the 32-byte MAC
 */
void sevfw_hmac(const u8 *key, size_t klen, const void *data, size_t len,
		u8 out[SEVFW_HMAC_BYTES])
{
	struct sevfw_hmac h;

	sevfw_hmac_init(&h, key, klen);
	sevfw_hmac_update(&h, data, len);
	sevfw_hmac_final(&h, out);
}

/**
 * sevfw_mac_equal() - compare two MACs in constant time
 * @a: first MAC
 * @b: second MAC
 * @len: bytes to compare
 *
 * Return: true if the @len bytes at @a and @b are equal.
 */
bool sevfw_mac_equal(const u8 *a, const u8 *b, size_t len)
{
	return !crypto_memneq(a, b, len);
}

/**
 * sevfw_kdf() - NIST SP 800-108 KDF in counter mode with HMAC-SHA256
 * @key: the key derivation key
 * @klen: length of @key
 * @label: NUL-terminated label; the terminator is not part of the input
 * @context: context bytes (may be NULL if @ctxlen is 0)
 * @ctxlen: length of @context
 * @out: derived key material
 * @outlen: bytes to derive; the PRF input encodes it in bits as LE32
 *
 * Block i (from 1) is HMAC(@key, LE32(i) || label || 0x00 || context ||
 * LE32(@outlen * 8)); the blocks are concatenated and truncated to @outlen.
 */
void sevfw_kdf(const u8 *key, size_t klen, const char *label,
	       const u8 *context, size_t ctxlen, u8 *out, size_t outlen)
{
	struct sevfw_hmac keyed, h;
	u8 block[SEVFW_HMAC_BYTES];
	static const u8 separator;
	__le32 counter, bits;
	u32 i = 1;

	bits = cpu_to_le32((u32)(outlen * 8));
	sevfw_hmac_init(&keyed, key, klen);

	while (outlen) {
		size_t n = min_t(size_t, outlen, sizeof(block));

		h = keyed;
		counter = cpu_to_le32(i++);
		sevfw_hmac_update(&h, &counter, sizeof(counter));
		sevfw_hmac_update(&h, label, strlen(label));
		sevfw_hmac_update(&h, &separator, 1);
		if (ctxlen)
			sevfw_hmac_update(&h, context, ctxlen);
		sevfw_hmac_update(&h, &bits, sizeof(bits));
		sevfw_hmac_final(&h, block);

		memcpy(out, block, n);
		out += n;
		outlen -= n;
	}

	memzero_explicit(block, sizeof(block));
	memzero_explicit(&keyed, sizeof(keyed));
}

/* Add one to a 128-bit big-endian counter block */
static void sevfw_ctr_inc(u8 ctr[AES_BLOCK_SIZE])
{
	int i;

	for (i = AES_BLOCK_SIZE - 1; i >= 0; i--)
		if (++ctr[i])
			break;
}

/**
 * sevfw_aes128_ctr() - AES-128 in counter mode (encrypt and decrypt)
 * @key: 16-byte key
 * @iv: the initial counter block, incremented as a 128-bit big-endian number
 * @in: input
 * @out: output; may be the same buffer as @in
 * @len: bytes to process; need not be a multiple of the block size
 */
void sevfw_aes128_ctr(const u8 key[16], const u8 iv[16],
		      const u8 *in, u8 *out, size_t len)
{
	struct crypto_aes_ctx ctx;
	u8 ctr[AES_BLOCK_SIZE];
	u8 ks[AES_BLOCK_SIZE];

	/* cannot fail: the key length is fixed at AES_KEYSIZE_128 */
	aes_expandkey(&ctx, key, AES_KEYSIZE_128);
	memcpy(ctr, iv, AES_BLOCK_SIZE);

	while (len) {
		size_t n = min_t(size_t, len, AES_BLOCK_SIZE);

		aes_encrypt(&ctx, ks, ctr);
		crypto_xor_cpy(out, in, ks, n);
		sevfw_ctr_inc(ctr);
		in += n;
		out += n;
		len -= n;
	}

	memzero_explicit(ks, sizeof(ks));
	memzero_explicit(ctr, sizeof(ctr));
	memzero_explicit(&ctx, sizeof(ctx));
}
