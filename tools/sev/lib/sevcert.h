/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SEV certificates (0x824 bytes, SEV API 55766 appendix C): parse, encode,
 * sign and verify.
 */

#ifndef _SEVTOOLS_SEVCERT_H
#define _SEVTOOLS_SEVCERT_H

#include <stdio.h>
#include <openssl/evp.h>
#include "sevtypes.h"

struct amd_cert;

#define SEV_CERT_SIZE		0x824
#define SEV_CERT_SIGNED_LEN	0x414	/* version .. end of public key */
#define SEV_CHAIN_SIZE		(3 * SEV_CERT_SIZE)	/* PEK, OCA, CEK */

/* Key usages */
#define SEV_USAGE_ARK		0x0000
#define SEV_USAGE_ASK		0x0013
#define SEV_USAGE_INVALID	0x1000
#define SEV_USAGE_OCA		0x1001
#define SEV_USAGE_PEK		0x1002
#define SEV_USAGE_PDH		0x1003
#define SEV_USAGE_CEK		0x1004

/* Algorithms */
#define SEV_ALGO_INVALID	0x000
#define SEV_ALGO_RSA_SHA256	0x001
#define SEV_ALGO_ECDSA_SHA256	0x002
#define SEV_ALGO_ECDH_SHA256	0x003
#define SEV_ALGO_RSA_SHA384	0x101
#define SEV_ALGO_ECDSA_SHA384	0x102
#define SEV_ALGO_ECDH_SHA384	0x103

#define SEV_CURVE_P384		2

struct sev_cert_sig {
	u32 usage;
	u32 algo;
};

/* A parsed certificate; @raw holds the exact bytes */
struct sev_cert {
	u8 raw[SEV_CERT_SIZE];
	u32 version;
	u8 api_major;
	u8 api_minor;
	u32 usage;
	u32 algo;
	u32 curve;
	struct sev_cert_sig sig[2];
};

/* Name of a key usage / algorithm ("unknown" if not known) */
const char *sev_usage_name(u32 usage);
const char *sev_algo_name(u32 algo);

/*
 * Parse and validate: exact length, version 1, known usage and matching
 * EC algorithm, P-384 key on the curve, well-formed signature slots.
 */
int sev_cert_parse(struct sev_cert *c, const u8 *buf, size_t len);
/* Check that a parsed certificate has the expected usage */
int sev_cert_expect_usage(const struct sev_cert *c, u32 usage,
			  const char *what);
/* The certificate's public key (new reference) */
int sev_cert_pubkey(const struct sev_cert *c, EVP_PKEY **key);

/* Build an unsigned EC certificate for @key with both slots empty */
int sev_cert_init(struct sev_cert *c, u8 api_major, u8 api_minor, u32 usage,
		  u32 algo, EVP_PKEY *key);
/* Sign @c with @signer (whose certificate is @signer_cert) into @slot */
int sev_cert_sign(struct sev_cert *c, int slot,
		  const struct sev_cert *signer_cert, EVP_PKEY *signer);

/* Verify that @c carries a valid signature by the SEV certificate @signer */
int sev_cert_verify(const struct sev_cert *c, const struct sev_cert *signer);
/* Verify that @c (a CEK) carries a valid signature by the AMD ASK @ask */
int sev_cert_verify_ask(const struct sev_cert *c, const struct amd_cert *ask);
/* true if both certificates hold the same public key */
bool sev_cert_same_key(const struct sev_cert *a, const struct sev_cert *b);

/* Human-readable dump */
void sev_cert_print(FILE *f, const struct sev_cert *c, const char *indent);

#endif /* _SEVTOOLS_SEVCERT_H */
