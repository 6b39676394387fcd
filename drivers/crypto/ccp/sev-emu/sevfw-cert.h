/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SEV certificates (SEV API 55766, appendix C): the 0x824-byte format the
 * firmware uses for the OCA, PEK, PDH and CEK and that guest owners send as
 * their Diffie-Hellman key (GODH).
 */

#ifndef _SEVFW_CERT_H
#define _SEVFW_CERT_H

#include <linux/types.h>
#include "sevfw-crypto.h"

#define SEV_CERT_SIZE		0x824
#define SEV_CERT_CHAIN_SIZE	(3 * SEV_CERT_SIZE)	/* PEK, OCA, CEK */
#define SEV_CERT_SIGNED_LEN	0x414			/* bytes 0..0x413 */

/* key usages */
#define SEV_USAGE_ARK		0x0000
#define SEV_USAGE_ASK		0x0013
#define SEV_USAGE_INVALID	0x1000
#define SEV_USAGE_OCA		0x1001
#define SEV_USAGE_PEK		0x1002
#define SEV_USAGE_PDH		0x1003
#define SEV_USAGE_CEK		0x1004

/* algorithms */
#define SEV_ALGO_INVALID	0x000
#define SEV_ALGO_RSA_SHA256	0x001
#define SEV_ALGO_ECDSA_SHA256	0x002
#define SEV_ALGO_ECDH_SHA256	0x003
#define SEV_ALGO_RSA_SHA384	0x101
#define SEV_ALGO_ECDSA_SHA384	0x102
#define SEV_ALGO_ECDH_SHA384	0x103

#define SEV_CURVE_P384		2
#define SEV_ECC_COORD_BYTES	72	/* stored little-endian, zero padded */

/**
 * struct sev_cert_ecc_pubkey - EC public key field of a certificate
 * @curve: SEV_CURVE_P384
 * @qx: x, little-endian, zero padded
 * @qy: y, little-endian, zero padded
 * @reserved: zero
 */
struct sev_cert_ecc_pubkey {
	__le32 curve;
	u8 qx[SEV_ECC_COORD_BYTES];
	u8 qy[SEV_ECC_COORD_BYTES];
	u8 reserved[0x370];
} __packed;

/**
 * struct sev_cert_sig - a signature slot
 * @usage: usage of the signing key, or SEV_USAGE_INVALID for an empty slot
 * @algo: algorithm of the signing key, or SEV_ALGO_INVALID
 * @data: ECDSA r then s (72 bytes each, little-endian), or an RSA signature
 */
struct sev_cert_sig {
	__le32 usage;
	__le32 algo;
	u8 data[0x200];
} __packed;

/**
 * struct sev_cert - an SEV certificate
 * @version: 1
 * @api_major: API of the firmware that made it
 * @api_minor: ditto
 * @reserved: zero
 * @pub_usage: SEV_USAGE_*
 * @pub_algo: SEV_ALGO_*
 * @pubkey: the key (EC layout for every key the firmware makes)
 * @sig: two signature slots
 */
struct sev_cert {
	__le32 version;
	u8 api_major;
	u8 api_minor;
	u8 reserved[2];
	__le32 pub_usage;
	__le32 pub_algo;
	union {
		struct sev_cert_ecc_pubkey ecc;
		u8 raw[0x404];
	} pubkey;
	struct sev_cert_sig sig[2];
} __packed;

/* Build an unsigned certificate for @pub with both signature slots empty */
void sevfw_cert_init(struct sev_cert *cert, u8 api_major, u8 api_minor,
		     u32 usage, u32 algo, const struct sevfw_ecc_pub *pub);
/* Sign into the first empty slot with an ECDSA_SHA256 key of @signer_usage;
 * -ENOSPC if both slots are taken
 */
int sevfw_cert_sign(struct sev_cert *cert, const struct sevfw_ecc_key *signer,
		    u32 signer_usage);
/*
 * Check the body of a certificate (version 1, known usage, algo valid for
 * the usage, curve P-384, point on the curve) and extract its key.
 * Returns an SEV_RET_* status: SUCCESS or INVALID_CERTIFICATE.
 */
int sevfw_cert_pubkey(const struct sev_cert *cert, struct sevfw_ecc_pub *pub);
/*
 * Verify that @cert carries a valid signature by @signer (a certificate
 * whose key is ECDSA P-384 with the given usage): the slot whose
 * (usage, algo) equals the signer's is checked. Returns an SEV_RET_*
 * status: SUCCESS, BAD_SIGNATURE or INVALID_CERTIFICATE.
 */
int sevfw_cert_verify(const struct sev_cert *cert,
		      const struct sev_cert *signer);

#endif /* _SEVFW_CERT_H */
