// SPDX-License-Identifier: GPL-2.0-only
/*
 * SEV certificates (the 0x824-byte format of SEV API appendix C): building,
 * ECDSA-signing, key extraction and signature verification.
 *
 * The firmware only makes and accepts P-384 keys with the *_SHA256
 * algorithms (ECDSA_SHA256 for the OCA, PEK and CEK, ECDH_SHA256 for a
 * PDH); certificates are hashed with SHA-256 over bytes 0..0x413.
 */

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <crypto/sha2.h>
#include <uapi/linux/psp-sev.h>

#include "sevfw-cert.h"

static_assert(sizeof(struct sev_cert) == SEV_CERT_SIZE);
static_assert(sizeof(struct sev_cert_ecc_pubkey) == 0x404);
static_assert(offsetof(struct sev_cert, sig) == SEV_CERT_SIGNED_LEN);
static_assert(2 * SEV_ECC_COORD_BYTES <= sizeof(((struct sev_cert_sig *)0)->data));

/* Reverse a big-endian number into a zero-padded little-endian field */
static void be_to_le_field(u8 *field, size_t flen, const u8 *be, size_t blen)
{
	size_t i;

	memset(field, 0, flen);
	for (i = 0; i < blen; i++)
		field[i] = be[blen - 1 - i];
}

/* The inverse; fails if the field holds bits above the number's length */
static bool le_field_to_be(u8 *be, size_t blen, const u8 *field, size_t flen)
{
	size_t i;

	for (i = blen; i < flen; i++)
		if (field[i])
			return false;
	for (i = 0; i < blen; i++)
		be[i] = field[blen - 1 - i];
	return true;
}

/* The (usage, algo) pairs of the keys this firmware handles */
static bool sevfw_cert_key_type_valid(u32 usage, u32 algo)
{
	switch (usage) {
	case SEV_USAGE_OCA:
	case SEV_USAGE_PEK:
	case SEV_USAGE_CEK:
		return algo == SEV_ALGO_ECDSA_SHA256;
	case SEV_USAGE_PDH:
		return algo == SEV_ALGO_ECDH_SHA256;
	default:
		return false;
	}
}

static void sevfw_cert_digest(const struct sev_cert *cert,
			      u8 digest[SHA256_DIGEST_SIZE])
{
	sha256((const u8 *)cert, SEV_CERT_SIGNED_LEN, digest);
}

/**
 * sevfw_cert_init() - build an unsigned certificate
 * @cert: the certificate to fill (every byte is written)
 * @api_major: API version stamped in the certificate
 * @api_minor: ditto
 * @usage: SEV_USAGE_* of the key
 * @algo: SEV_ALGO_* of the key
 * @pub: the P-384 public key
 *
 * Both signature slots are left empty (usage INVALID, algo INVALID).
 */
void sevfw_cert_init(struct sev_cert *cert, u8 api_major, u8 api_minor,
		     u32 usage, u32 algo, const struct sevfw_ecc_pub *pub)
{
	unsigned int i;

	memset(cert, 0, sizeof(*cert));
	cert->version = cpu_to_le32(1);
	cert->api_major = api_major;
	cert->api_minor = api_minor;
	cert->pub_usage = cpu_to_le32(usage);
	cert->pub_algo = cpu_to_le32(algo);
	cert->pubkey.ecc.curve = cpu_to_le32(SEV_CURVE_P384);
	be_to_le_field(cert->pubkey.ecc.qx, SEV_ECC_COORD_BYTES,
		       pub->x, SEVFW_P384_BYTES);
	be_to_le_field(cert->pubkey.ecc.qy, SEV_ECC_COORD_BYTES,
		       pub->y, SEVFW_P384_BYTES);
	for (i = 0; i < ARRAY_SIZE(cert->sig); i++) {
		cert->sig[i].usage = cpu_to_le32(SEV_USAGE_INVALID);
		cert->sig[i].algo = cpu_to_le32(SEV_ALGO_INVALID);
	}
}

/**
 * sevfw_cert_sign() - add an ECDSA_SHA256 signature to a certificate
 * @cert: the certificate; its first empty slot receives the signature
 * @signer: the signing key
 * @signer_usage: SEV_USAGE_* of @signer, recorded in the slot
 *
 * Return: 0, -ENOSPC if neither slot is empty, or -errno from signing.
 */
int sevfw_cert_sign(struct sev_cert *cert, const struct sevfw_ecc_key *signer,
		    u32 signer_usage)
{
	u8 digest[SHA256_DIGEST_SIZE];
	struct sevfw_ecdsa_sig sig;
	struct sev_cert_sig *slot = NULL;
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(cert->sig); i++) {
		if (le32_to_cpu(cert->sig[i].usage) == SEV_USAGE_INVALID &&
		    le32_to_cpu(cert->sig[i].algo) == SEV_ALGO_INVALID) {
			slot = &cert->sig[i];
			break;
		}
	}
	if (!slot)
		return -ENOSPC;

	sevfw_cert_digest(cert, digest);
	ret = sevfw_ecdsa_sign_digest(signer, digest, sizeof(digest), &sig);
	if (ret)
		return ret;

	memset(slot, 0, sizeof(*slot));
	slot->usage = cpu_to_le32(signer_usage);
	slot->algo = cpu_to_le32(SEV_ALGO_ECDSA_SHA256);
	be_to_le_field(slot->data, SEV_ECC_COORD_BYTES, sig.r, SEVFW_P384_BYTES);
	be_to_le_field(slot->data + SEV_ECC_COORD_BYTES, SEV_ECC_COORD_BYTES,
		       sig.s, SEVFW_P384_BYTES);
	return 0;
}

/**
 * sevfw_cert_pubkey() - check a certificate's body and extract its key
 * @cert: the certificate
 * @pub: the key, big-endian
 *
 * The body is valid if the version is 1, the (usage, algo) pair is one the
 * firmware handles (OCA, PEK or CEK with ECDSA_SHA256, PDH with
 * ECDH_SHA256), the curve is P-384 and the point passes full public-key
 * validation. The signatures are not looked at.
 *
 * Return: SEV_RET_SUCCESS, or SEV_RET_INVALID_CERTIFICATE (@pub is then
 * zeroed).
 */
int sevfw_cert_pubkey(const struct sev_cert *cert, struct sevfw_ecc_pub *pub)
{
	const struct sev_cert_ecc_pubkey *key = &cert->pubkey.ecc;

	if (le32_to_cpu(cert->version) != 1 ||
	    !sevfw_cert_key_type_valid(le32_to_cpu(cert->pub_usage),
				       le32_to_cpu(cert->pub_algo)) ||
	    le32_to_cpu(key->curve) != SEV_CURVE_P384)
		goto bad;

	if (!le_field_to_be(pub->x, SEVFW_P384_BYTES, key->qx,
			    SEV_ECC_COORD_BYTES) ||
	    !le_field_to_be(pub->y, SEVFW_P384_BYTES, key->qy,
			    SEV_ECC_COORD_BYTES) ||
	    sevfw_ecc_check_pub(pub))
		goto bad;

	return SEV_RET_SUCCESS;
bad:
	memset(pub, 0, sizeof(*pub));
	return SEV_RET_INVALID_CERTIFICATE;
}

/* Check one ECDSA_SHA256 signature slot against @pub */
static int sevfw_cert_check_slot(const struct sev_cert *cert,
				 const struct sev_cert_sig *slot,
				 const struct sevfw_ecc_pub *pub)
{
	u8 digest[SHA256_DIGEST_SIZE];
	struct sevfw_ecdsa_sig sig;

	if (!le_field_to_be(sig.r, SEVFW_P384_BYTES, slot->data,
			    SEV_ECC_COORD_BYTES) ||
	    !le_field_to_be(sig.s, SEVFW_P384_BYTES,
			    slot->data + SEV_ECC_COORD_BYTES,
			    SEV_ECC_COORD_BYTES))
		return SEV_RET_BAD_SIGNATURE;

	sevfw_cert_digest(cert, digest);
	if (sevfw_ecdsa_verify_digest(pub, digest, sizeof(digest), &sig))
		return SEV_RET_BAD_SIGNATURE;
	return SEV_RET_SUCCESS;
}

/**
 * sevfw_cert_verify() - verify a certificate's signature by a signer
 * @cert: the certificate to check
 * @signer: the signer's certificate (an ECDSA_SHA256 P-384 key); may be
 *	    @cert itself for a self-signed OCA
 *
 * Follows the firmware's order: the signer must hold a valid signing key
 * (else INVALID_CERTIFICATE); a slot with exactly one of usage and algo
 * INVALID is malformed (BAD_SIGNATURE); the slot whose (usage, algo) equals
 * the signer's must exist and verify (else BAD_SIGNATURE); then the body of
 * @cert is checked as sevfw_cert_pubkey() does (INVALID_CERTIFICATE).
 *
 * Return: SEV_RET_SUCCESS, SEV_RET_BAD_SIGNATURE or
 * SEV_RET_INVALID_CERTIFICATE.
 */
int sevfw_cert_verify(const struct sev_cert *cert,
		      const struct sev_cert *signer)
{
	const struct sev_cert_sig *match = NULL;
	struct sevfw_ecc_pub pub;
	u32 s_usage, s_algo;
	unsigned int i;
	int ret;

	s_usage = le32_to_cpu(signer->pub_usage);
	s_algo = le32_to_cpu(signer->pub_algo);
	if (s_algo != SEV_ALGO_ECDSA_SHA256 ||
	    sevfw_cert_pubkey(signer, &pub) != SEV_RET_SUCCESS)
		return SEV_RET_INVALID_CERTIFICATE;

	for (i = 0; i < ARRAY_SIZE(cert->sig); i++) {
		u32 usage = le32_to_cpu(cert->sig[i].usage);
		u32 algo = le32_to_cpu(cert->sig[i].algo);
		bool no_usage = usage == SEV_USAGE_INVALID;
		bool no_algo = algo == SEV_ALGO_INVALID;

		if (no_usage != no_algo)
			return SEV_RET_BAD_SIGNATURE;
		if (!match && usage == s_usage && algo == s_algo)
			match = &cert->sig[i];
	}
	if (!match)
		return SEV_RET_BAD_SIGNATURE;

	ret = sevfw_cert_check_slot(cert, match, &pub);
	if (ret != SEV_RET_SUCCESS)
		return ret;

	if (sevfw_cert_pubkey(cert, &pub) != SEV_RET_SUCCESS)
		return SEV_RET_INVALID_CERTIFICATE;
	return SEV_RET_SUCCESS;
}
