// SPDX-License-Identifier: GPL-2.0-only
/*
 * The bulk cryptography of a firmware instance through the kernel crypto
 * API, which picks the fastest implementation the CPU supports (AES-NI,
 * SHA-NI, AVX2, ...): the opaque memory mode's XEX cipher over whole pages
 * and the launch digest's SHA-256.
 *
 * The transforms are allocated once per instance and used only by its
 * commands, which fw->lock serializes, so keying them per call is safe.
 * They see only the instance's own scratch pages (kmalloc'ed, so usable in
 * a scatterlist); the caller's buffer, which may be on the stack or
 * vmalloc'ed, is only read and written by crypto_xor_cpy(). Where a
 * transform is missing or fails, the callers fall back to lib/crypto,
 * which gives the same bytes.
 */

#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <crypto/aes.h>
#include <crypto/algapi.h>
#include <crypto/hash.h>
#include <crypto/sha2.h>
#include <crypto/skcipher.h>

#include "sevfw-internal.h"

/**
 * struct sevfw_accel - crypto API transforms of one instance
 * @data: "ecb(aes)" keyed with K1 per call; NULL: XEX by lib/crypto
 * @tweak: "ecb(aes)" keyed with K2 per call
 * @data_req: request on @data
 * @tweak_req: request on @tweak
 * @sha: "sha256" (no key, so shared freely); NULL: lib/crypto
 * @t: one page of tweaks
 * @x: one page of the data being transformed
 */
struct sevfw_accel {
	struct crypto_skcipher *data;
	struct crypto_skcipher *tweak;
	struct skcipher_request *data_req;
	struct skcipher_request *tweak_req;
	struct crypto_shash *sha;
	u8 *t;
	u8 *x;
};

static void sevfw_accel_aes_free(struct sevfw_accel *a)
{
	skcipher_request_free(a->data_req);
	skcipher_request_free(a->tweak_req);
	crypto_free_skcipher(a->data);
	crypto_free_skcipher(a->tweak);
	a->data_req = NULL;
	a->tweak_req = NULL;
	a->data = NULL;
	a->tweak = NULL;
	kfree_sensitive(a->t);
	kfree_sensitive(a->x);
	a->t = NULL;
	a->x = NULL;
}

static struct crypto_skcipher *sevfw_accel_ecb_alloc(void)
{
	struct crypto_skcipher *tfm = crypto_alloc_skcipher("ecb(aes)", 0, 0);

	if (IS_ERR(tfm))
		return NULL;
	if (crypto_skcipher_blocksize(tfm) != AES_BLOCK_SIZE) {
		crypto_free_skcipher(tfm);
		return NULL;
	}
	return tfm;
}

static void sevfw_accel_aes_alloc(struct sevfw_accel *a)
{
	a->t = kmalloc(PAGE_SIZE, GFP_KERNEL);
	a->x = kmalloc(PAGE_SIZE, GFP_KERNEL);
	a->data = sevfw_accel_ecb_alloc();
	a->tweak = sevfw_accel_ecb_alloc();
	if (a->data)
		a->data_req = skcipher_request_alloc(a->data, GFP_KERNEL);
	if (a->tweak)
		a->tweak_req = skcipher_request_alloc(a->tweak, GFP_KERNEL);
	if (!a->t || !a->x || !a->data_req || !a->tweak_req)
		sevfw_accel_aes_free(a);
}

static void sevfw_accel_sha_alloc(struct sevfw_accel *a)
{
	struct crypto_shash *tfm = crypto_alloc_shash("sha256", 0, 0);

	if (IS_ERR(tfm))
		return;
	/* the digest state is kept as lib/crypto's struct sha256_state */
	if (crypto_shash_digestsize(tfm) != SHA256_DIGEST_SIZE ||
	    crypto_shash_statesize(tfm) != sizeof(struct sha256_state)) {
		crypto_free_shash(tfm);
		return;
	}
	a->sha = tfm;
}

/**
 * sevfw_accel_alloc - the transforms of a new instance
 *
 * Return: the set, or NULL without memory for it. Transforms the crypto
 * API lacks are left out (their users fall back to lib/crypto).
 */
struct sevfw_accel *sevfw_accel_alloc(void)
{
	struct sevfw_accel *a = kzalloc(sizeof(*a), GFP_KERNEL);

	if (!a)
		return NULL;
	sevfw_accel_aes_alloc(a);
	sevfw_accel_sha_alloc(a);
	return a;
}

/**
 * sevfw_accel_free - free the transforms of an instance
 * @a: the set (may be NULL)
 */
void sevfw_accel_free(struct sevfw_accel *a)
{
	if (!a)
		return;
	sevfw_accel_aes_free(a);
	crypto_free_shash(a->sha);
	kfree(a);
}

/**
 * sevfw_accel_aes_driver - the implementation of the XEX cipher
 * @a: the set (may be NULL)
 *
 * Return: the crypto API's driver name of "ecb(aes)", or "lib" for
 * lib/crypto's aes_encrypt().
 */
const char *sevfw_accel_aes_driver(const struct sevfw_accel *a)
{
	if (!a || !a->data)
		return "lib";
	return crypto_tfm_alg_driver_name(crypto_skcipher_tfm(a->data));
}

/**
 * sevfw_accel_sha_driver - the implementation of the launch digest
 * @a: the set (may be NULL)
 *
 * Return: the crypto API's driver name of "sha256", or "lib" for
 * lib/crypto's sha256_update().
 */
const char *sevfw_accel_sha_driver(const struct sevfw_accel *a)
{
	if (!a || !a->sha)
		return "lib";
	return crypto_tfm_alg_driver_name(crypto_shash_tfm(a->sha));
}

/* One ECB pass over the first @len bytes of the page behind @sg, in place */
static int sevfw_accel_ecb(struct skcipher_request *req,
			   struct scatterlist *sg, unsigned int len, bool enc)
{
	DECLARE_CRYPTO_WAIT(wait);
	int ret;

	skcipher_request_set_callback(req, CRYPTO_TFM_REQ_MAY_SLEEP |
				      CRYPTO_TFM_REQ_MAY_BACKLOG,
				      crypto_req_done, &wait);
	skcipher_request_set_crypt(req, sg, sg, len, NULL);
	ret = enc ? crypto_skcipher_encrypt(req) : crypto_skcipher_decrypt(req);
	return crypto_wait_req(ret, &wait);
}

/**
 * sevfw_accel_xex - the XEX cipher of sevfw-memcrypt.c a page at a time
 * @a: the set (may be NULL)
 * @vek: K1 then K2
 * @pa: system physical address of @buf's first byte
 * @buf: data, transformed in place (any kernel memory)
 * @len: bytes; only whole 16-byte blocks are transformed
 * @enc: encrypt, else decrypt
 *
 * For each page: the tweaks T = AES(K2, LE128(address)) of all its blocks
 * in one request, then C = AES(K1, P ^ T) ^ T in another. Must be called
 * under the instance's lock.
 *
 * Return: the bytes done from the start of @buf, a multiple of 16; the
 * caller does the rest another way (0: nothing was touched).
 */
size_t sevfw_accel_xex(struct sevfw_accel *a, const u8 vek[32], u64 pa,
		       u8 *buf, size_t len, bool enc)
{
	struct scatterlist sg_t, sg_x;
	size_t done = 0;

	len = round_down(len, AES_BLOCK_SIZE);
	if (!a || !a->data || !len)
		return 0;
	if (crypto_skcipher_setkey(a->data, vek, AES_KEYSIZE_128) ||
	    crypto_skcipher_setkey(a->tweak, vek + AES_KEYSIZE_128,
				   AES_KEYSIZE_128))
		return 0;
	sg_init_one(&sg_t, a->t, PAGE_SIZE);
	sg_init_one(&sg_x, a->x, PAGE_SIZE);
	while (done < len) {
		unsigned int n = min_t(size_t, len - done, PAGE_SIZE);
		__le64 *le = (__le64 *)a->t;
		unsigned int i;

		for (i = 0; i < n / AES_BLOCK_SIZE; i++) {
			le[2 * i] = cpu_to_le64(pa + done + i * AES_BLOCK_SIZE);
			le[2 * i + 1] = 0;
		}
		if (sevfw_accel_ecb(a->tweak_req, &sg_t, n, true))
			break;
		crypto_xor_cpy(a->x, buf + done, a->t, n);
		if (sevfw_accel_ecb(a->data_req, &sg_x, n, enc))
			break;
		crypto_xor_cpy(buf + done, a->x, a->t, n);
		done += n;
	}
	memzero_explicit(a->t, min_t(size_t, len, PAGE_SIZE));
	memzero_explicit(a->x, min_t(size_t, len, PAGE_SIZE));
	return done;
}

/**
 * sevfw_accel_sha256 - sha256_update() through the crypto API
 * @a: the set (may be NULL)
 * @st: the running digest, lib/crypto's layout (the crypto API's export
 *	format of "sha256")
 * @data: the input
 * @len: its length
 */
void sevfw_accel_sha256(struct sevfw_accel *a, struct sha256_state *st,
			const u8 *data, unsigned int len)
{
	if (a && a->sha) {
		SHASH_DESC_ON_STACK(desc, a->sha);
		int ret;

		desc->tfm = a->sha;
		ret = crypto_shash_import(desc, st);
		if (!ret)
			ret = crypto_shash_update(desc, data, len);
		/* @st changes only here, when the update succeeded */
		if (!ret)
			ret = crypto_shash_export(desc, st);
		shash_desc_zero(desc);
		if (!ret)
			return;
	}
	sha256_update(st, data, len);
}
