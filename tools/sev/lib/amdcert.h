/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * AMD certificates (ARK and ASK; SEV API 55766 appendix B.1): parse and
 * verify.
 */

#ifndef _SEVTOOLS_AMDCERT_H
#define _SEVTOOLS_AMDCERT_H

#include <stdio.h>
#include <openssl/evp.h>
#include "sevtypes.h"

#define AMD_CERT_HDR_SIZE	0x40
#define AMD_CERT_MAX_SIZE	(AMD_CERT_HDR_SIZE + 3 * 512)	/* 0x640 */
#define AMD_CERT_ID_LEN		16
#define AMD_USAGE_ARK		0x00
#define AMD_USAGE_ASK		0x13

struct amd_cert {
	u8 raw[AMD_CERT_MAX_SIZE];
	size_t size;			/* bytes used in @raw */
	u32 version;
	u8 key_id[AMD_CERT_ID_LEN];
	u8 certifying_id[AMD_CERT_ID_LEN];
	u32 usage;
	u32 pubexp_bits;
	u32 modulus_bits;
};

/*
 * Parse one certificate at the start of @buf. If @used is NULL the buffer
 * must hold exactly one certificate; otherwise the size is stored there.
 */
int amd_cert_parse(struct amd_cert *c, const u8 *buf, size_t len,
		   size_t *used);
/* Split an "ask_ark" blob (ASK followed by ARK) */
int amd_cert_parse_ask_ark(struct amd_cert *ask, struct amd_cert *ark,
			   const u8 *buf, size_t len);
/* The RSA public key (new reference) */
int amd_cert_pubkey(const struct amd_cert *c, EVP_PKEY **key);
/* Verify @c against @signer (for the ARK, itself): ids and RSA-PSS */
int amd_cert_verify(const struct amd_cert *c, const struct amd_cert *signer);
/* SHA-256 over the public-key fields (exponent and modulus) */
int amd_cert_key_digest(const struct amd_cert *c, u8 out[32]);
/* Human-readable dump */
void amd_cert_print(FILE *f, const struct amd_cert *c, const char *indent);

#endif /* _SEVTOOLS_AMDCERT_H */
