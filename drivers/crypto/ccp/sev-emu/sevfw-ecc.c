// SPDX-License-Identifier: GPL-2.0-only
/*
 * NIST P-384 operations of the software SEV firmware (key generation,
 * public-key validation, ECDSA signing and verification, ECDH) built on the
 * primitives that crypto/ecc.c exports.
 *
 * Number formats: the sevfw interfaces use 48-byte big-endian strings.
 * crypto/ecc.c computes on "vli" arrays of six u64 digits, least significant
 * digit first; its key-level calls (ecc_make_pub_key(),
 * crypto_ecdh_shared_secret()) instead take and return big-endian byte
 * strings held in u64 arrays, which they convert with ecc_swap_digits().
 */

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/random.h>
#include <linux/string.h>
#include <asm/unaligned.h>
#include <crypto/ecdh.h>
#include <crypto/internal/ecc.h>

#include "sevfw-crypto.h"

#define NDIGITS		ECC_CURVE_NIST_P384_DIGITS
#define SIGN_TRIES	16
#define GEN_TRIES	4

static_assert(NDIGITS * sizeof(u64) == SEVFW_P384_BYTES);

static const struct ecc_curve *p384(void)
{
	return ecc_get_curve(ECC_CURVE_NIST_P384);
}

static void be_to_vli(u64 *vli, const u8 *be)
{
	vli_from_be64(vli, be, NDIGITS);
}

static void vli_to_be(u8 *be, const u64 *vli)
{
	unsigned int i;

	for (i = 0; i < NDIGITS; i++)
		put_unaligned_be64(vli[NDIGITS - 1 - i], be + i * sizeof(u64));
}

/* 1 <= k < n */
static bool scalar_valid(const u64 *k, const struct ecc_curve *c)
{
	return !vli_is_zero(k, NDIGITS) && vli_cmp(k, c->n, NDIGITS) < 0;
}

static bool vli_is_one(const u64 *k)
{
	static const u64 one[NDIGITS] = { 1 };

	return !vli_cmp(k, one, NDIGITS);
}

/*
 * The co-Z ladder behind ecc_make_pub_key() and crypto_ecdh_shared_secret()
 * is only correct for 2 <= k <= n - 3 (the range ecc_is_key_valid() checks).
 * k and n - k give points with the same x and opposite y, so the two top
 * scalars are folded to 2 and 1; the caller handles 1 itself.
 * Returns true if @k was replaced by n - k.
 */
static bool scalar_fold(u64 *k, const struct ecc_curve *c)
{
	static const u64 three[NDIGITS] = { 3 };
	u64 top[NDIGITS];

	vli_sub(top, c->n, three, NDIGITS);
	if (vli_cmp(k, top, NDIGITS) <= 0)
		return false;
	vli_sub(k, c->n, k, NDIGITS);
	return true;
}

/* A uniformly random scalar with 2 <= k <= n - 3, from the kernel RNG */
static void random_scalar(u64 *k, const struct ecc_curve *c)
{
	static const u64 three[NDIGITS] = { 3 };
	u8 buf[SEVFW_P384_BYTES];
	u64 top[NDIGITS];

	vli_sub(top, c->n, three, NDIGITS);
	do {
		get_random_bytes(buf, sizeof(buf));
		be_to_vli(k, buf);
	} while (vli_is_zero(k, NDIGITS) || vli_is_one(k) ||
		 vli_cmp(k, top, NDIGITS) > 0);
	memzero_explicit(buf, sizeof(buf));
}

/* res = a + b mod m, for a, b < m: vli_sub() works modulo 2^384 */
static void mod_add(u64 *res, const u64 *a, const u64 *b, const u64 *m)
{
	static const u64 zero[NDIGITS];
	u64 t[NDIGITS];

	vli_sub(t, m, b, NDIGITS);		/* t = m - b, 1 <= t <= m */
	if (vli_sub(res, a, t, NDIGITS)) {
		/* a + b < m: res = a + b - m + 2^384; add m back */
		vli_sub(t, zero, m, NDIGITS);	/* t = 2^384 - m */
		vli_sub(res, res, t, NDIGITS);
	}
}

/* res = a - b mod m, for a, b < m */
static void mod_sub(u64 *res, const u64 *a, const u64 *b, const u64 *m)
{
	u64 t[NDIGITS];

	if (vli_is_zero(b, NDIGITS)) {
		memcpy(res, a, sizeof(t));
		return;
	}
	vli_sub(t, m, b, NDIGITS);		/* 1 <= m - b < m */
	mod_add(res, a, t, m);
}

/*
 * (x3, y3) = P1 + P2 in affine coordinates, with the doubling case.
 * Returns false for the point at infinity (P1 = -P2).
 */
static bool point_add(u64 *x3, u64 *y3, const u64 *x1, const u64 *y1,
		      const u64 *x2, const u64 *y2, const struct ecc_curve *c)
{
	u64 num[NDIGITS], den[NDIGITS], l[NDIGITS], t[NDIGITS], x[NDIGITS];
	const u64 *p = c->p;

	if (!vli_cmp(x1, x2, NDIGITS)) {
		if (vli_cmp(y1, y2, NDIGITS) || vli_is_zero(y1, NDIGITS))
			return false;
		/* l = (3 x1^2 + a) / (2 y1) */
		vli_mod_mult_slow(t, x1, x1, p, NDIGITS);
		mod_add(num, t, t, p);
		mod_add(num, num, t, p);
		mod_add(num, num, c->a, p);
		mod_add(den, y1, y1, p);
	} else {
		/* l = (y2 - y1) / (x2 - x1) */
		mod_sub(num, y2, y1, p);
		mod_sub(den, x2, x1, p);
	}
	vli_mod_inv(den, den, p, NDIGITS);
	vli_mod_mult_slow(l, num, den, p, NDIGITS);

	/* x3 = l^2 - x1 - x2, y3 = l (x1 - x3) - y1 */
	vli_mod_mult_slow(t, l, l, p, NDIGITS);
	mod_sub(t, t, x1, p);
	mod_sub(x, t, x2, p);
	mod_sub(t, x1, x, p);
	vli_mod_mult_slow(t, t, l, p, NDIGITS);
	mod_sub(y3, t, y1, p);
	memcpy(x3, x, sizeof(x));
	return true;
}

/*
 * The integer ECDSA signs for a digest: its leftmost 384 bits (the bit
 * length of n), reduced mod n. A 256-bit digest is used whole.
 */
static int digest_to_scalar(u64 *e, const u8 *digest, size_t dlen,
			    const struct ecc_curve *c)
{
	u8 buf[SEVFW_P384_BYTES] = { };
	size_t len = min(dlen, sizeof(buf));

	if (!digest || !dlen)
		return -EINVAL;
	memcpy(buf + sizeof(buf) - len, digest, len);
	be_to_vli(e, buf);
	if (vli_cmp(e, c->n, NDIGITS) >= 0)
		vli_sub(e, e, c->n, NDIGITS);
	return 0;
}

/* pub = k * G for a valid scalar k */
static int mult_base(const u64 *k, struct sevfw_ecc_pub *pub)
{
	const struct ecc_curve *c = p384();
	u64 kk[NDIGITS], kbe[NDIGITS], pt[2 * NDIGITS], y[NDIGITS];
	bool negate;
	int ret = 0;

	memcpy(kk, k, sizeof(kk));
	negate = scalar_fold(kk, c);
	if (vli_is_one(kk)) {
		vli_to_be(pub->x, c->g.x);
		vli_to_be(pub->y, c->g.y);
	} else {
		vli_to_be((u8 *)kbe, kk);
		ret = ecc_make_pub_key(ECC_CURVE_NIST_P384, NDIGITS, kbe, pt);
		if (ret)
			goto out;
		memcpy(pub->x, pt, SEVFW_P384_BYTES);
		memcpy(pub->y, (u8 *)pt + SEVFW_P384_BYTES, SEVFW_P384_BYTES);
	}
	if (negate) {
		/* -(x, y) = (x, p - y); y is never 0 on a prime-order curve */
		be_to_vli(y, pub->y);
		vli_sub(y, c->p, y, NDIGITS);
		vli_to_be(pub->y, y);
	}
out:
	memzero_explicit(kk, sizeof(kk));
	memzero_explicit(kbe, sizeof(kbe));
	return ret;
}

/**
 * sevfw_ecc_derive_pub() - compute the public half of a P-384 key
 * @key: key whose @key->d is set; @key->pub is written
 *
 * Return: 0, -EINVAL if d is not in [1, n - 1], or another -errno from
 * crypto/ecc.c.
 */
int sevfw_ecc_derive_pub(struct sevfw_ecc_key *key)
{
	const struct ecc_curve *c = p384();
	u64 d[NDIGITS];
	int ret = -EINVAL;

	be_to_vli(d, key->d);
	if (scalar_valid(d, c))
		ret = mult_base(d, &key->pub);
	memzero_explicit(d, sizeof(d));
	return ret;
}

/**
 * sevfw_ecc_generate() - generate a P-384 key pair
 * @key: the new key
 *
 * The private scalar comes from ecc_gen_privkey() (FIPS 186-4 B.4.1 via the
 * default crypto RNG).
 *
 * Return: 0 or -errno; @key is zeroed on failure.
 */
int sevfw_ecc_generate(struct sevfw_ecc_key *key)
{
	u64 priv[NDIGITS];
	int tries, ret = -EAGAIN;

	/* -EINVAL means the random value fell outside [2, n - 3]: draw again */
	for (tries = 0; tries < GEN_TRIES; tries++) {
		ret = ecc_gen_privkey(ECC_CURVE_NIST_P384, NDIGITS, priv);
		if (ret != -EINVAL)
			break;
	}
	if (!ret) {
		/* ecc_gen_privkey() returns the scalar as big-endian bytes */
		memcpy(key->d, priv, SEVFW_P384_BYTES);
		ret = sevfw_ecc_derive_pub(key);
	}
	memzero_explicit(priv, sizeof(priv));
	if (ret)
		memzero_explicit(key, sizeof(*key));
	return ret;
}

/**
 * sevfw_ecc_check_pub() - full public-key validation (SP 800-56A 5.6.2.3.3)
 * @pub: the point
 *
 * Return: 0 if @pub is a point of order n on P-384 with coordinates in
 * [0, p - 1]; -EINVAL if not; -ENOMEM.
 */
int sevfw_ecc_check_pub(const struct sevfw_ecc_pub *pub)
{
	u64 x[NDIGITS], y[NDIGITS];
	struct ecc_point q = ECC_POINT_INIT(x, y, NDIGITS);

	be_to_vli(x, pub->x);
	be_to_vli(y, pub->y);
	return ecc_is_pubkey_valid_full(p384(), &q);
}

/**
 * sevfw_ecdsa_sign_digest() - ECDSA signature over a digest
 * @key: the signing key
 * @digest: the message digest (SHA-256 for the SEV *_SHA256 algorithms)
 * @dlen: its length; only the leftmost 48 bytes of a longer digest count
 * @sig: the signature, r and s big-endian
 *
 * Uses a fresh random nonce for every signature; the nonce is blinded by a
 * second random factor while it is inverted.
 *
 * Return: 0, -EINVAL for a bad key or an empty digest, or -errno.
 */
int sevfw_ecdsa_sign_digest(const struct sevfw_ecc_key *key,
			    const u8 *digest, size_t dlen,
			    struct sevfw_ecdsa_sig *sig)
{
	const struct ecc_curve *c = p384();
	u64 d[NDIGITS], e[NDIGITS], k[NDIGITS], b[NDIGITS], kinv[NDIGITS];
	u64 r[NDIGITS], s[NDIGITS], kbe[NDIGITS], x1[NDIGITS];
	u64 gen[2 * NDIGITS];
	int tries, ret;

	ret = digest_to_scalar(e, digest, dlen, c);
	if (ret)
		return ret;
	be_to_vli(d, key->d);
	if (!scalar_valid(d, c)) {
		ret = -EINVAL;
		goto out;
	}

	vli_to_be((u8 *)gen, c->g.x);
	vli_to_be((u8 *)gen + SEVFW_P384_BYTES, c->g.y);

	ret = -EAGAIN;
	for (tries = 0; tries < SIGN_TRIES; tries++) {
		/* r = x(k * G) mod n */
		random_scalar(k, c);
		vli_to_be((u8 *)kbe, k);
		ret = crypto_ecdh_shared_secret(ECC_CURVE_NIST_P384, NDIGITS,
						kbe, gen, x1);
		if (ret)
			break;
		be_to_vli(r, (u8 *)x1);
		if (vli_cmp(r, c->n, NDIGITS) >= 0)
			vli_sub(r, r, c->n, NDIGITS);
		ret = -EAGAIN;
		if (vli_is_zero(r, NDIGITS))
			continue;

		/* s = k^-1 * (e + r * d) = (k * b)^-1 * b * (e + r * d) */
		random_scalar(b, c);
		vli_mod_mult_slow(kinv, k, b, c->n, NDIGITS);
		vli_mod_inv(kinv, kinv, c->n, NDIGITS);
		vli_mod_mult_slow(s, r, d, c->n, NDIGITS);
		mod_add(s, s, e, c->n);
		vli_mod_mult_slow(s, s, b, c->n, NDIGITS);
		vli_mod_mult_slow(s, s, kinv, c->n, NDIGITS);
		if (vli_is_zero(s, NDIGITS))
			continue;

		vli_to_be(sig->r, r);
		vli_to_be(sig->s, s);
		ret = 0;
		break;
	}

out:
	memzero_explicit(d, sizeof(d));
	memzero_explicit(k, sizeof(k));
	memzero_explicit(kbe, sizeof(kbe));
	memzero_explicit(b, sizeof(b));
	memzero_explicit(kinv, sizeof(kinv));
	memzero_explicit(s, sizeof(s));
	return ret;
}

/**
 * sevfw_ecdsa_verify_digest() - verify an ECDSA signature over a digest
 * @pub: the signer's public key
 * @digest: the message digest
 * @dlen: its length
 * @sig: the signature, r and s big-endian
 *
 * Return: 0 if the signature is valid; -EBADMSG if it is not (including r
 * or s outside [1, n - 1]); -EINVAL if @pub is not a valid point or the
 * digest is empty.
 */
int sevfw_ecdsa_verify_digest(const struct sevfw_ecc_pub *pub,
			      const u8 *digest, size_t dlen,
			      const struct sevfw_ecdsa_sig *sig)
{
	const struct ecc_curve *c = p384();
	u64 qx[NDIGITS], qy[NDIGITS], x1[NDIGITS], y1[NDIGITS];
	u64 e[NDIGITS], r[NDIGITS], s[NDIGITS], w[NDIGITS];
	u64 u1[NDIGITS], u2[NDIGITS];
	struct ecc_point q = ECC_POINT_INIT(qx, qy, NDIGITS);

	if (digest_to_scalar(e, digest, dlen, c))
		return -EINVAL;

	/* P-384 has cofactor 1: on the curve and not O implies order n */
	be_to_vli(qx, pub->x);
	be_to_vli(qy, pub->y);
	if (ecc_is_pubkey_valid_partial(c, &q))
		return -EINVAL;

	be_to_vli(r, sig->r);
	be_to_vli(s, sig->s);
	if (!scalar_valid(r, c) || !scalar_valid(s, c))
		return -EBADMSG;

	/* (x1, y1) = (e / s) * G + (r / s) * Q; valid if x1 mod n == r */
	vli_mod_inv(w, s, c->n, NDIGITS);
	vli_mod_mult_slow(u1, e, w, c->n, NDIGITS);
	vli_mod_mult_slow(u2, r, w, c->n, NDIGITS);
	if (vli_cmp(qx, c->g.x, NDIGITS)) {
		/*
		 * u1 * G and u2 * Q apart, then one addition that knows the
		 * doubling case: the Shamir ladder of crypto/ecc.c adds
		 * without it, and a partial sum can meet Q or G itself when Q
		 * is a small multiple of G (d = 2: about one nonce in 16).
		 * u2 * Q alone never meets +-Q (its partial multiples run
		 * from 2 to n - 2).
		 */
		static const u64 zero[NDIGITS];
		u64 x2[NDIGITS], y2[NDIGITS];
		struct ecc_point p2 = ECC_POINT_INIT(x2, y2, NDIGITS);
		struct sevfw_ecc_pub p1;
		int ret;

		ecc_point_mult_shamir(&p2, zero, &c->g, u2, &q, c);
		if (vli_is_zero(u1, NDIGITS)) {
			memcpy(x1, x2, sizeof(x1));
		} else {
			ret = mult_base(u1, &p1);
			if (ret)
				return ret;
			be_to_vli(qx, p1.x);
			be_to_vli(qy, p1.y);
			if (!point_add(x1, y1, qx, qy, x2, y2, c))
				return -EBADMSG;
		}
	} else {
		/*
		 * Q = G or Q = -G (keys 1 and n - 1): the Shamir ladder would
		 * have to add G to itself, so use (u1 +- u2) * G instead.
		 */
		struct sevfw_ecc_pub pt;
		int ret;

		if (vli_cmp(qy, c->g.y, NDIGITS))
			vli_sub(u2, c->n, u2, NDIGITS);
		mod_add(u1, u1, u2, c->n);
		if (vli_is_zero(u1, NDIGITS))
			return -EBADMSG;
		ret = mult_base(u1, &pt);
		if (ret)
			return ret;
		be_to_vli(x1, pt.x);
	}
	if (vli_cmp(x1, c->n, NDIGITS) >= 0)
		vli_sub(x1, x1, c->n, NDIGITS);

	return vli_cmp(x1, r, NDIGITS) ? -EBADMSG : 0;
}

/**
 * sevfw_ecdh() - P-384 Diffie-Hellman
 * @key: our key (only @key->d is used)
 * @peer: the peer's public key
 * @z: the shared secret, x(d * peer), 48 bytes big-endian as OpenSSL
 *     derives it
 *
 * Return: 0; -EINVAL if @peer is not a valid point or d is out of range;
 * or another -errno from crypto/ecc.c.
 */
int sevfw_ecdh(const struct sevfw_ecc_key *key,
	       const struct sevfw_ecc_pub *peer, u8 z[SEVFW_P384_BYTES])
{
	const struct ecc_curve *c = p384();
	u64 qx[NDIGITS], qy[NDIGITS], d[NDIGITS], dbe[NDIGITS];
	u64 qbe[2 * NDIGITS], secret[NDIGITS];
	struct ecc_point q = ECC_POINT_INIT(qx, qy, NDIGITS);
	int ret = -EINVAL;

	/* Partial validation suffices on a curve of cofactor 1 */
	be_to_vli(qx, peer->x);
	be_to_vli(qy, peer->y);
	if (ecc_is_pubkey_valid_partial(c, &q))
		return -EINVAL;

	be_to_vli(d, key->d);
	if (!scalar_valid(d, c))
		goto out;

	/* x(d * Q) == x((n - d) * Q) */
	scalar_fold(d, c);
	if (vli_is_one(d)) {
		memcpy(z, peer->x, SEVFW_P384_BYTES);
		ret = 0;
		goto out;
	}

	vli_to_be((u8 *)dbe, d);
	memcpy(qbe, peer->x, SEVFW_P384_BYTES);
	memcpy((u8 *)qbe + SEVFW_P384_BYTES, peer->y, SEVFW_P384_BYTES);
	ret = crypto_ecdh_shared_secret(ECC_CURVE_NIST_P384, NDIGITS, dbe, qbe,
					secret);
	if (!ret)
		memcpy(z, secret, SEVFW_P384_BYTES);
out:
	memzero_explicit(d, sizeof(d));
	memzero_explicit(dbe, sizeof(dbe));
	memzero_explicit(secret, sizeof(secret));
	return ret;
}
