/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Public keys and signatures in the SEV encodings (little-endian numbers):
 * ECDSA/ECDH P-384 and RSA-PSS, on OpenSSL EVP_PKEY.
 */

#ifndef _SEVTOOLS_SEVKEY_H
#define _SEVTOOLS_SEVKEY_H

#include <openssl/evp.h>
#include "sevtypes.h"

#define SEV_P384_LEN	48	/* bytes of a P-384 coordinate or scalar */
#define SEV_ECC_FIELD	72	/* bytes of a coordinate field in a cert */

/* P-384 public key from little-endian X and Y; checks it is on the curve */
int sev_ec_pub_from_le(const u8 *qx, const u8 *qy, EVP_PKEY **key);
/* Little-endian X and Y (48 bytes each) of a P-384 key */
int sev_ec_pub_to_le(EVP_PKEY *key, u8 *qx, u8 *qy);
/* New random P-384 key pair */
int sev_ec_generate(EVP_PKEY **key);
/* RSA public key from little-endian modulus and exponent */
int sev_rsa_pub_from_le(const u8 *mod, size_t modlen, const u8 *exp,
			size_t explen, EVP_PKEY **key);

/* ECDSA over @data; r and s are SEV_ECC_FIELD bytes, little-endian */
int sev_ecdsa_verify(EVP_PKEY *key, const EVP_MD *md, const u8 *data,
		     size_t len, const u8 *r_le, const u8 *s_le);
int sev_ecdsa_sign(EVP_PKEY *key, const EVP_MD *md, const u8 *data,
		   size_t len, u8 *r_le, u8 *s_le);
/* RSASSA-PSS (MGF1 with @md, any salt length); @sig_le is little-endian */
int sev_rsa_pss_verify(EVP_PKEY *key, const EVP_MD *md, const u8 *data,
		       size_t len, const u8 *sig_le, size_t siglen);

/* ECDH: the shared x-coordinate, 48 bytes big-endian (as OpenSSL gives) */
int sev_ecdh(EVP_PKEY *priv, EVP_PKEY *peer, u8 z[SEV_P384_LEN]);

/* PEM private keys */
int sev_key_load_pem(const char *path, EVP_PKEY **key);
int sev_key_save_pem(const char *path, EVP_PKEY *key);

#endif /* _SEVTOOLS_SEVKEY_H */
