// SPDX-License-Identifier: GPL-2.0-only
/*
 * The bulk cryptography of a firmware instance through the kernel crypto
 * API, which picks the fastest implementation the CPU supports (AES-NI,
 * SHA-NI, AVX2, ...): the opaque memory mode's XTS cipher, one 4 KiB data
 * unit per request, and the launch digest's SHA-256.
 *
 * The transforms are allocated once per instance and used only by its
 * commands, which fw->lock serializes, so keying them per call is safe.
 * A buffer in the kernel's linear mapping (kmalloc'ed, as the commands'
 * chunks are) is transformed in place; one elsewhere (the stack, vmalloc)
 * goes through the instance's scratch page. Where a transform is missing
 * or fails, the callers fall back to lib/crypto, which gives the same
 * bytes.
 */

#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/sched/task_stack.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <crypto/aes.h>
#include <crypto/algapi.h>
#include <crypto/hash.h>
#include <crypto/sha2.h>
#include <crypto/skcipher.h>

#include "sevfw-internal.h"

/* the data unit of the opaque mode's XTS (sevfw-memcrypt.c) */
#define SEVFW_XTS_UNIT	SZ_4K

/**
 * struct sevfw_accel - crypto API transforms of one instance
 * @xts: "xts(aes)" keyed with the VEK; NULL: XTS by lib/crypto
 * @req: request on @xts
 * @sha: "sha256" (no key, so shared freely); NULL: lib/crypto
 * @x: one data unit of scratch, for buffers outside the linear mapping
 * @iv: the request's IV (the data unit's address), not on the stack
 * @key: the VEK @xts has, valid when @keyed
 * @keyed: @xts holds @key
 */
struct sevfw_accel {
	struct crypto_skcipher *xts;
	struct skcipher_request *req;
	struct crypto_shash *sha;
	u8 *x;
	u8 iv[AES_BLOCK_SIZE];
	u8 key[2 * AES_KEYSIZE_128];
	bool keyed;
};

static void sevfw_accel_aes_free(struct sevfw_accel *a)
{
	skcipher_request_free(a->req);
	crypto_free_skcipher(a->xts);
	kfree_sensitive(a->x);
	a->req = NULL;
	a->xts = NULL;
	a->x = NULL;
	a->keyed = false;
}

static void sevfw_accel_aes_alloc(struct sevfw_accel *a)
{
	struct crypto_skcipher *tfm = crypto_alloc_skcipher("xts(aes)", 0, 0);

	if (IS_ERR(tfm))
		return;
	a->xts = tfm;
	if (crypto_skcipher_blocksize(tfm) != AES_BLOCK_SIZE ||
	    crypto_skcipher_ivsize(tfm) != AES_BLOCK_SIZE) {
		sevfw_accel_aes_free(a);
		return;
	}
	a->x = kmalloc(SEVFW_XTS_UNIT, GFP_KERNEL);
	a->req = skcipher_request_alloc(tfm, GFP_KERNEL);
	if (!a->x || !a->req)
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
	kfree_sensitive(a);
}

/**
 * sevfw_accel_aes_driver - the implementation of the opaque mode's cipher
 * @a: the set (may be NULL)
 *
 * Return: the crypto API's driver name of "xts(aes)", or "lib" for
 * lib/crypto's aes_encrypt() (sevfw-memcrypt.c).
 */
const char *sevfw_accel_aes_driver(const struct sevfw_accel *a)
{
	if (!a || !a->xts)
		return "lib";
	return crypto_tfm_alg_driver_name(crypto_skcipher_tfm(a->xts));
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

/* One data unit (or its first @len bytes) behind @sg, in place */
static int sevfw_accel_unit(struct sevfw_accel *a, struct scatterlist *sg,
			    u64 pa, unsigned int len, bool enc)
{
	__le64 le[2] = { cpu_to_le64(pa), 0 };
	DECLARE_CRYPTO_WAIT(wait);
	int ret;

	memcpy(a->iv, le, sizeof(a->iv));
	skcipher_request_set_callback(a->req, CRYPTO_TFM_REQ_MAY_SLEEP |
				      CRYPTO_TFM_REQ_MAY_BACKLOG,
				      crypto_req_done, &wait);
	skcipher_request_set_crypt(a->req, sg, sg, len, a->iv);
	ret = enc ? crypto_skcipher_encrypt(a->req) :
		    crypto_skcipher_decrypt(a->req);
	return crypto_wait_req(ret, &wait);
}

static int sevfw_accel_setkey(struct sevfw_accel *a, const u8 vek[32])
{
	int ret;

	if (a->keyed && !crypto_memneq(a->key, vek, sizeof(a->key)))
		return 0;
	a->keyed = false;
	ret = crypto_skcipher_setkey(a->xts, vek, sizeof(a->key));
	if (ret)
		return ret;
	memcpy(a->key, vek, sizeof(a->key));
	a->keyed = true;
	return 0;
}

/*
 * Whether @len bytes at @p may be transformed where they are: in the
 * linear mapping (so one scatterlist entry, whatever pages it crosses),
 * not on the stack, and aligned for the transform and to a block, so that
 * the request's walk needs no bounce buffer and does not fail half-way.
 */
static bool sevfw_accel_linear(const struct sevfw_accel *a, const u8 *p,
			       size_t len)
{
	unsigned long mask = crypto_skcipher_alignmask(a->xts) |
			     (AES_BLOCK_SIZE - 1);

	return !((unsigned long)p & mask) && !object_is_on_stack(p) &&
	       virt_addr_valid(p) && virt_addr_valid(p + len - 1);
}

/**
 * sevfw_accel_xex - the opaque mode's XTS cipher of sevfw-memcrypt.c
 * @a: the set (may be NULL)
 * @vek: K1 (data) then K2 (tweak)
 * @pa: system physical address of @buf's first byte, the start of a 4 KiB
 *	data unit (else nothing is done)
 * @buf: data, transformed in place (any kernel memory)
 * @len: bytes; only whole 16-byte blocks are transformed
 * @enc: encrypt, else decrypt
 *
 * One "xts(aes)" request per 4 KiB data unit, its address as the IV
 * (LE128), so block j of the unit at u has the tweak
 * AES(K2, LE128(u)) * x^j in GF(2^128). Must be called under the
 * instance's lock.
 *
 * Return: the bytes done from the start of @buf, a multiple of 16; the
 * caller does the rest another way (0: nothing was touched).
 */
size_t sevfw_accel_xex(struct sevfw_accel *a, const u8 vek[32], u64 pa,
		       u8 *buf, size_t len, bool enc)
{
	struct scatterlist sg;
	bool scratch = false;
	size_t done = 0;

	len = round_down(len, AES_BLOCK_SIZE);
	if (!a || !a->xts || !len || !IS_ALIGNED(pa, SEVFW_XTS_UNIT))
		return 0;
	if (sevfw_accel_setkey(a, vek))
		return 0;
	while (done < len) {
		unsigned int n = min_t(size_t, len - done, SEVFW_XTS_UNIT);
		u8 *p = buf + done;

		if (sevfw_accel_linear(a, p, n)) {
			sg_init_one(&sg, p, n);
			if (sevfw_accel_unit(a, &sg, pa + done, n, enc))
				break;
		} else {
			scratch = true;
			memcpy(a->x, p, n);
			sg_init_one(&sg, a->x, n);
			if (sevfw_accel_unit(a, &sg, pa + done, n, enc))
				break;
			memcpy(p, a->x, n);
		}
		done += n;
	}
	if (scratch)
		memzero_explicit(a->x, SEVFW_XTS_UNIT);
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
