/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SEV and AMD certificate helpers for the /dev/sev tests, on OpenSSL only
 * (no code shared with the kernel): parse, build, sign and verify.
 *
 * Formats (SEV API 55766 appendices B.1 and C): a SEV certificate is 0x824
 * bytes, P-384 coordinates and ECDSA r/s are little-endian 72-byte fields,
 * ECDSA signs SHA-256 over bytes 0..0x413. AMD certificates (ARK, ASK) are
 * RSA with RSASSA-PSS, SHA-384, MGF1 SHA-384, salt 48, little-endian.
 */

#ifndef _SEV_CERT_UTIL_H
#define _SEV_CERT_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <openssl/evp.h>

#define SEVC_CERT_LEN		0x824
#define SEVC_SIGNED_LEN		0x414
#define SEVC_OFF_VERSION	0x000
#define SEVC_OFF_API_MAJOR	0x004
#define SEVC_OFF_API_MINOR	0x005
#define SEVC_OFF_USAGE		0x008
#define SEVC_OFF_ALGO		0x00c
#define SEVC_OFF_PUBKEY		0x010
#define SEVC_PUBKEY_LEN		0x404
#define SEVC_OFF_CURVE		0x010
#define SEVC_OFF_QX		0x014
#define SEVC_OFF_QY		0x05c
#define SEVC_COORD_LEN		72
#define SEVC_SLOTS		2
#define SEVC_OFF_SLOT(i)	(0x414 + (i) * 0x208)	/* usage, algo, data */
#define SEVC_SLOT_DATA		8
#define SEVC_SIG_DATA_LEN	0x200

#define SEVC_USAGE_ARK		0x0000
#define SEVC_USAGE_ASK		0x0013
#define SEVC_USAGE_INVALID	0x1000
#define SEVC_USAGE_OCA		0x1001
#define SEVC_USAGE_PEK		0x1002
#define SEVC_USAGE_PDH		0x1003
#define SEVC_USAGE_CEK		0x1004

#define SEVC_ALGO_INVALID	0x000
#define SEVC_ALGO_ECDSA_SHA256	0x002
#define SEVC_ALGO_ECDH_SHA256	0x003
#define SEVC_ALGO_RSA_SHA384	0x101

#define SEVC_CURVE_P384		2

/* PDH_CERT_EXPORT chain: PEK, OCA, CEK */
#define SEVC_CHAIN_PEK		0x0000
#define SEVC_CHAIN_OCA		0x0824
#define SEVC_CHAIN_CEK		0x1048
#define SEVC_CHAIN_LEN		0x186c

/* AMD certificate header */
#define AMDC_OFF_KEY_ID		0x04
#define AMDC_OFF_CERT_ID	0x14
#define AMDC_OFF_USAGE		0x24
#define AMDC_OFF_PUBEXP_BITS	0x38
#define AMDC_OFF_MOD_BITS	0x3c
#define AMDC_HDR_LEN		0x40
#define AMDC_ID_LEN		16
#define AMDC_MAX_LEN		(AMDC_HDR_LEN + 3 * 512)

uint32_t sevc_le32(const uint8_t *p);
void sevc_put_le32(uint8_t *p, uint32_t v);

/* A fresh P-384 key pair */
EVP_PKEY *sevc_p384_generate(void);

/* The P-384 public key of a SEV certificate; NULL if malformed */
EVP_PKEY *sevc_pubkey(const uint8_t *cert);
/* Whether two certificates hold the same public key field */
bool sevc_same_pubkey(const uint8_t *a, const uint8_t *b);
/* The slot signed by a key of (@usage, @algo), or -1 */
int sevc_find_slot(const uint8_t *cert, uint32_t usage, uint32_t algo);
/* Whether slot (@usage, ECDSA_SHA256) holds a valid signature by @signer */
bool sevc_verify_ecdsa(const uint8_t *cert, uint32_t usage, EVP_PKEY *signer);
/* Whether slot (ASK, RSA_SHA384) holds a valid RSA-PSS signature by @ask */
bool sevc_verify_by_ask(const uint8_t *cert, EVP_PKEY *ask);

/* A certificate body for @key with both slots empty */
int sevc_build(uint8_t *cert, uint8_t api_major, uint8_t api_minor,
	       uint32_t usage, uint32_t algo, EVP_PKEY *key);
/* ECDSA-SHA256 sign bytes 0..0x413 into @slot as (@usage, ECDSA_SHA256) */
int sevc_sign(uint8_t *cert, int slot, uint32_t usage, EVP_PKEY *signer);

/*
 * Act as the platform owner: make a self-signed OCA certificate for
 * @oca_key and sign the PEK of @csr (from PEK_CSR) with it into @pek
 */
int sevc_owner_sign(const uint8_t *csr, EVP_PKEY *oca_key, uint8_t *oca,
		    uint8_t *pek);

/* Length of the AMD certificate at @cert (4096 or 2048 bit); 0 if bad */
size_t amdc_len(const uint8_t *cert, size_t avail);
/* The RSA public key of an AMD certificate; NULL if malformed */
EVP_PKEY *amdc_pubkey(const uint8_t *cert, size_t len);
/* Whether @cert carries a valid RSA-PSS SHA-384 signature by @signer */
bool amdc_verify(const uint8_t *cert, size_t len, EVP_PKEY *signer);

/* Read a whole file of at most @max bytes; returns its length or -errno */
long sevc_read_file(const char *path, uint8_t *buf, size_t max);

#endif /* _SEV_CERT_UTIL_H */
