// SPDX-License-Identifier: GPL-2.0-only
/*
 * RSASSA-PSS signature verification (RFC 8017 8.1.2 / 9.1.2) for the AMD
 * certificates (ARK, ASK) and the ASK's signature on the CEK: the public
 * operation on the kernel's MPI library, EMSA-PSS decoding with MGF1 and
 * salt length = hash length here. Operands are little-endian, as AMD's
 * certificate formats store them.
 */

#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/mpi.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <crypto/hash.h>

#include "sevfw-internal.h"
#include "sevfw-guest.h"

#define SEVFW_RSA_MIN_BITS	2048
#define SEVFW_RSA_MAX_BYTES	512
#define SEVFW_HASH_MAX		64

static u8 *sevfw_reverse_dup(const u8 *le, size_t len)
{
	u8 *be = kmalloc(len, GFP_KERNEL);
	size_t i;

	if (be)
		for (i = 0; i < len; i++)
			be[i] = le[len - 1 - i];
	return be;
}

/* MGF1: xor Hash(seed || BE32(counter)) blocks into @db */
static int sevfw_mgf1_xor(struct crypto_shash *tfm, const u8 *seed,
			  size_t hlen, u8 *db, size_t dblen)
{
	u8 in[SEVFW_HASH_MAX + 4], out[SEVFW_HASH_MAX];
	size_t off, n, i;
	u32 c = 0;
	int ret;

	memcpy(in, seed, hlen);
	for (off = 0; off < dblen; off += n, c++) {
		in[hlen] = c >> 24;
		in[hlen + 1] = c >> 16;
		in[hlen + 2] = c >> 8;
		in[hlen + 3] = c;
		ret = crypto_shash_tfm_digest(tfm, in, hlen + 4, out);
		if (ret)
			return ret;
		n = min(hlen, dblen - off);
		for (i = 0; i < n; i++)
			db[off + i] ^= out[i];
	}
	return 0;
}

/* EMSA-PSS-VERIFY of @em (emlen bytes, embits bits) against @mhash */
static int sevfw_emsa_pss_verify(struct crypto_shash *tfm, const u8 *mhash,
				 u8 *em, size_t emlen, unsigned int embits)
{
	size_t hlen = crypto_shash_digestsize(tfm), slen = hlen;
	u8 mprime[8 + 2 * SEVFW_HASH_MAX], h2[SEVFW_HASH_MAX];
	u8 topmask = 0xff >> (8 * emlen - embits);
	size_t dblen, i;
	u8 *h;
	int ret;

	if (emlen < hlen + slen + 2 || em[emlen - 1] != 0xbc)
		return -EBADMSG;
	dblen = emlen - hlen - 1;
	h = em + dblen;
	if (em[0] & ~topmask)
		return -EBADMSG;
	ret = sevfw_mgf1_xor(tfm, h, hlen, em, dblen);
	if (ret)
		return ret;
	em[0] &= topmask;
	for (i = 0; i < dblen - slen - 1; i++)
		if (em[i])
			return -EBADMSG;
	if (em[dblen - slen - 1] != 0x01)
		return -EBADMSG;

	memset(mprime, 0, 8);
	memcpy(mprime + 8, mhash, hlen);
	memcpy(mprime + 8 + hlen, em + dblen - slen, slen);
	ret = crypto_shash_tfm_digest(tfm, mprime, 8 + hlen + slen, h2);
	if (ret)
		return ret;
	return memcmp(h2, h, hlen) ? -EBADMSG : 0;
}

/**
 * sevfw_rsa_pss_verify - verify an RSASSA-PSS signature
 * @mod_le: modulus, little-endian
 * @mod_len: its length in bytes (256 or 512); also the signature's length
 * @exp_le: public exponent, little-endian
 * @exp_len: its length in bytes
 * @sig_le: signature, little-endian, @mod_len bytes
 * @hash_alg: crypto API name of the hash ("sha384", "sha256"), also used
 *	      for MGF1; the salt is as long as the hash
 * @msg: the signed message
 * @msg_len: its length
 *
 * Return: 0 if the signature is valid; -EBADMSG if it is not; -EINVAL for
 * an unusable key (modulus under 2048 bits, even, or exponent zero);
 * -ENOMEM or another -errno if the hash is unavailable.
 */
int sevfw_rsa_pss_verify(const u8 *mod_le, size_t mod_len,
			 const u8 *exp_le, size_t exp_len,
			 const u8 *sig_le, const char *hash_alg,
			 const u8 *msg, size_t msg_len)
{
	u8 *n_be = NULL, *e_be = NULL, *s_be = NULL, *em = NULL;
	MPI n = NULL, e = NULL, s = NULL, m = NULL;
	u8 mhash[SEVFW_HASH_MAX];
	struct crypto_shash *tfm;
	unsigned int nbits, nbytes;
	size_t emlen;
	int ret;

	if (!mod_len || mod_len > SEVFW_RSA_MAX_BYTES || !exp_len ||
	    exp_len > SEVFW_RSA_MAX_BYTES)
		return -EINVAL;
	tfm = crypto_alloc_shash(hash_alg, 0, 0);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	ret = -EINVAL;
	if (crypto_shash_digestsize(tfm) > SEVFW_HASH_MAX)
		goto out;

	ret = -ENOMEM;
	n_be = sevfw_reverse_dup(mod_le, mod_len);
	e_be = sevfw_reverse_dup(exp_le, exp_len);
	s_be = sevfw_reverse_dup(sig_le, mod_len);
	em = kzalloc(mod_len, GFP_KERNEL);
	if (!n_be || !e_be || !s_be || !em)
		goto out;
	n = mpi_read_raw_data(n_be, mod_len);
	e = mpi_read_raw_data(e_be, exp_len);
	s = mpi_read_raw_data(s_be, mod_len);
	m = mpi_alloc(0);
	if (!n || !e || !s || !m)
		goto out;

	ret = -EINVAL;
	nbits = mpi_get_nbits(n);
	if (nbits < SEVFW_RSA_MIN_BITS || !(n_be[mod_len - 1] & 1) ||
	    !mpi_get_nbits(e))
		goto out;
	ret = -EBADMSG;
	if (mpi_cmp(s, n) >= 0)
		goto out;
	ret = mpi_powm(m, s, e, n);
	if (ret)
		goto out;

	/* EM = I2OSP(m, emLen), emBits = modBits - 1 */
	emlen = DIV_ROUND_UP(nbits - 1, 8);
	ret = mpi_read_buffer(m, em, mod_len, &nbytes, NULL);
	if (ret)
		goto out;
	ret = -EBADMSG;
	if (nbytes > emlen)
		goto out;
	memmove(em + emlen - nbytes, em, nbytes);
	memset(em, 0, emlen - nbytes);

	ret = crypto_shash_tfm_digest(tfm, msg, msg_len, mhash);
	if (!ret)
		ret = sevfw_emsa_pss_verify(tfm, mhash, em, emlen, nbits - 1);
out:
	mpi_free(m);
	mpi_free(s);
	mpi_free(e);
	mpi_free(n);
	kfree(em);
	kfree(s_be);
	kfree(e_be);
	kfree(n_be);
	crypto_free_shash(tfm);
	return ret;
}
