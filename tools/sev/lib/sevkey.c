// SPDX-License-Identifier: GPL-2.0-only
/*
 * Conversions between SEV little-endian key and signature encodings and
 * OpenSSL keys; ECDSA, RSA-PSS and ECDH operations.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/param_build.h>
#include <openssl/decoder.h>
#include <openssl/encoder.h>
#include <openssl/rsa.h>

#include "sevkey.h"

#define P384_GROUP	"secp384r1"

static EVP_PKEY *pkey_fromdata(const char *type, OSSL_PARAM *params)
{
	EVP_PKEY_CTX *ctx;
	EVP_PKEY *key = NULL;

	ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
	if (!ctx)
		return NULL;
	if (EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) <= 0)
		key = NULL;
	EVP_PKEY_CTX_free(ctx);
	return key;
}

int sev_ec_pub_from_le(const u8 *qx, const u8 *qy, EVP_PKEY **keyp)
{
	u8 point[1 + 2 * SEV_P384_LEN];
	OSSL_PARAM params[3];
	EVP_PKEY_CTX *ctx;
	EVP_PKEY *key;
	int ok;

	*keyp = NULL;
	point[0] = 0x04;	/* uncompressed point */
	sev_reverse(point + 1, qx, SEV_P384_LEN);
	sev_reverse(point + 1 + SEV_P384_LEN, qy, SEV_P384_LEN);
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
						     P384_GROUP, 0);
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY,
						      point, sizeof(point));
	params[2] = OSSL_PARAM_construct_end();
	key = pkey_fromdata("EC", params);
	ERR_clear_error();
	if (!key)
		return sev_err(SEV_ERR_FORMAT,
			       "public key is not a point on P-384");
	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
	ok = ctx && EVP_PKEY_public_check(ctx) == 1;
	EVP_PKEY_CTX_free(ctx);
	ERR_clear_error();
	if (!ok) {
		EVP_PKEY_free(key);
		return sev_err(SEV_ERR_FORMAT,
			       "public key is not a valid P-384 point");
	}
	*keyp = key;
	return SEV_OK;
}

static bool is_p384(EVP_PKEY *key)
{
	char name[64];
	size_t len = 0;

	if (EVP_PKEY_get_base_id(key) != EVP_PKEY_EC)
		return false;
	if (!EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME,
					    name, sizeof(name), &len))
		return false;
	return !strcmp(name, P384_GROUP);
}

int sev_ec_pub_to_le(EVP_PKEY *key, u8 *qx, u8 *qy)
{
	BIGNUM *x = NULL, *y = NULL;
	int ret = SEV_ERR_CRYPTO;

	if (!is_p384(key))
		return sev_err(SEV_ERR_FORMAT, "key is not an EC P-384 key");
	if (EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_X, &x) &&
	    EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_Y, &y) &&
	    BN_bn2lebinpad(x, qx, SEV_P384_LEN) == SEV_P384_LEN &&
	    BN_bn2lebinpad(y, qy, SEV_P384_LEN) == SEV_P384_LEN)
		ret = SEV_OK;
	else
		sev_err(ret, "cannot read the EC public key");
	BN_free(x);
	BN_free(y);
	return ret;
}

int sev_ec_generate(EVP_PKEY **key)
{
	*key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", P384_GROUP);
	if (!*key)
		return sev_err(SEV_ERR_CRYPTO, "P-384 key generation failed");
	return SEV_OK;
}

int sev_rsa_pub_from_le(const u8 *mod, size_t modlen, const u8 *exp,
			size_t explen, EVP_PKEY **keyp)
{
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	BIGNUM *n, *e;
	int ret = SEV_ERR_CRYPTO;

	*keyp = NULL;
	n = BN_lebin2bn(mod, (int)modlen, NULL);
	e = BN_lebin2bn(exp, (int)explen, NULL);
	if (!n || !e)
		goto out;
	if (BN_is_zero(n) || !BN_is_odd(n) || BN_is_zero(e) ||
	    !BN_is_odd(e)) {
		ret = sev_err(SEV_ERR_FORMAT,
			      "RSA key has a zero or even modulus or exponent");
		goto out;
	}
	bld = OSSL_PARAM_BLD_new();
	if (!bld || !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e))
		goto out;
	params = OSSL_PARAM_BLD_to_param(bld);
	if (!params)
		goto out;
	*keyp = pkey_fromdata("RSA", params);
	if (*keyp)
		ret = SEV_OK;
out:
	if (ret == SEV_ERR_CRYPTO)
		sev_err(ret, "cannot build the RSA public key");
	ERR_clear_error();
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(n);
	BN_free(e);
	return ret;
}

/* Verify (sig != NULL) or sign; @pss selects RSA-PSS padding */
static int digest_op(EVP_PKEY *key, const EVP_MD *md, bool pss, bool sign,
		     const u8 *data, size_t len, u8 *sig, size_t *siglen)
{
	EVP_MD_CTX *ctx;
	EVP_PKEY_CTX *pctx = NULL;
	int ok;

	ctx = EVP_MD_CTX_new();
	if (!ctx)
		return sev_err(SEV_ERR_NOMEM, "out of memory");
	if (sign)
		ok = EVP_DigestSignInit(ctx, &pctx, md, NULL, key) == 1;
	else
		ok = EVP_DigestVerifyInit(ctx, &pctx, md, NULL, key) == 1;
	if (ok && pss)
		ok = EVP_PKEY_CTX_set_rsa_padding(pctx,
						  RSA_PKCS1_PSS_PADDING) > 0 &&
		     EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, md) > 0 &&
		     EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx,
						      RSA_PSS_SALTLEN_AUTO) > 0;
	if (!ok) {
		EVP_MD_CTX_free(ctx);
		ERR_clear_error();
		return sev_err(SEV_ERR_CRYPTO,
			       "cannot set up the signature operation");
	}
	if (sign)
		ok = EVP_DigestSign(ctx, sig, siglen, data, len) == 1;
	else
		ok = EVP_DigestVerify(ctx, sig, *siglen, data, len) == 1;
	EVP_MD_CTX_free(ctx);
	ERR_clear_error();
	if (!ok)
		return sign ? sev_err(SEV_ERR_CRYPTO, "signing failed") :
			sev_err(SEV_ERR_VERIFY, "bad signature");
	return SEV_OK;
}

int sev_ecdsa_verify(EVP_PKEY *key, const EVP_MD *md, const u8 *data,
		     size_t len, const u8 *r_le, const u8 *s_le)
{
	ECDSA_SIG *sig;
	BIGNUM *r, *s;
	u8 *der = NULL;
	size_t derlen;
	int n, ret;

	r = BN_lebin2bn(r_le, SEV_ECC_FIELD, NULL);
	s = BN_lebin2bn(s_le, SEV_ECC_FIELD, NULL);
	sig = ECDSA_SIG_new();
	if (!r || !s || !sig || !ECDSA_SIG_set0(sig, r, s)) {
		BN_free(r);
		BN_free(s);
		ECDSA_SIG_free(sig);
		return sev_err(SEV_ERR_NOMEM, "out of memory");
	}
	n = i2d_ECDSA_SIG(sig, &der);
	ECDSA_SIG_free(sig);
	if (n <= 0)
		return sev_err(SEV_ERR_CRYPTO, "cannot encode the signature");
	derlen = (size_t)n;
	ret = digest_op(key, md, false, false, data, len, der, &derlen);
	OPENSSL_free(der);
	return ret;
}

int sev_ecdsa_sign(EVP_PKEY *key, const EVP_MD *md, const u8 *data,
		   size_t len, u8 *r_le, u8 *s_le)
{
	u8 der[256];
	const u8 *p = der;
	size_t derlen = sizeof(der);
	const BIGNUM *r, *s;
	ECDSA_SIG *sig;
	int ret;

	if (!is_p384(key))
		return sev_err(SEV_ERR_ARG, "signing key is not EC P-384");
	ret = digest_op(key, md, false, true, data, len, der, &derlen);
	if (ret)
		return ret;
	sig = d2i_ECDSA_SIG(NULL, &p, (long)derlen);
	if (!sig)
		return sev_err(SEV_ERR_CRYPTO, "cannot decode the signature");
	ECDSA_SIG_get0(sig, &r, &s);
	memset(r_le, 0, SEV_ECC_FIELD);
	memset(s_le, 0, SEV_ECC_FIELD);
	if (BN_bn2lebinpad(r, r_le, SEV_P384_LEN) != SEV_P384_LEN ||
	    BN_bn2lebinpad(s, s_le, SEV_P384_LEN) != SEV_P384_LEN)
		ret = sev_err(SEV_ERR_CRYPTO, "cannot encode the signature");
	ECDSA_SIG_free(sig);
	return ret;
}

int sev_rsa_pss_verify(EVP_PKEY *key, const EVP_MD *md, const u8 *data,
		       size_t len, const u8 *sig_le, size_t siglen)
{
	size_t keylen = (size_t)EVP_PKEY_get_size(key);
	u8 *be;
	int ret;

	if (EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA)
		return sev_err(SEV_ERR_ARG, "key is not an RSA key");
	if (siglen < keylen)
		return sev_err(SEV_ERR_FORMAT,
			       "RSA signature shorter than the key");
	if (!sev_is_zero(sig_le + keylen, siglen - keylen))
		return sev_err(SEV_ERR_VERIFY,
			       "bad signature (RSA signature wider than the key)");
	be = calloc(1, keylen);
	if (!be)
		return sev_err(SEV_ERR_NOMEM, "out of memory");
	sev_reverse(be, sig_le, keylen);
	ret = digest_op(key, md, true, false, data, len, be, &keylen);
	free(be);
	return ret;
}

int sev_ecdh(EVP_PKEY *priv, EVP_PKEY *peer, u8 z[SEV_P384_LEN])
{
	EVP_PKEY_CTX *ctx;
	size_t len = SEV_P384_LEN;
	int ok;

	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, priv, NULL);
	ok = ctx && EVP_PKEY_derive_init(ctx) == 1 &&
	     EVP_PKEY_derive_set_peer(ctx, peer) == 1 &&
	     EVP_PKEY_derive(ctx, z, &len) == 1 && len == SEV_P384_LEN;
	EVP_PKEY_CTX_free(ctx);
	ERR_clear_error();
	if (!ok)
		return sev_err(SEV_ERR_CRYPTO, "ECDH key agreement failed");
	return SEV_OK;
}

int sev_key_load_pem(const char *path, EVP_PKEY **key)
{
	OSSL_DECODER_CTX *dctx;
	FILE *f;
	int ok;

	*key = NULL;
	f = fopen(path, "re");
	if (!f)
		return sev_err(SEV_ERR_IO, "%s: %s", path, strerror(errno));
	dctx = OSSL_DECODER_CTX_new_for_pkey(key, "PEM", NULL, "EC",
					     OSSL_KEYMGMT_SELECT_KEYPAIR,
					     NULL, NULL);
	ok = dctx && OSSL_DECODER_from_fp(dctx, f) == 1 && *key;
	OSSL_DECODER_CTX_free(dctx);
	fclose(f);
	ERR_clear_error();
	if (!ok) {
		EVP_PKEY_free(*key);
		*key = NULL;
		return sev_err(SEV_ERR_FORMAT,
			       "%s: not a PEM EC private key", path);
	}
	if (!is_p384(*key)) {
		EVP_PKEY_free(*key);
		*key = NULL;
		return sev_err(SEV_ERR_FORMAT, "%s: not an EC P-384 key",
			       path);
	}
	return SEV_OK;
}

int sev_key_save_pem(const char *path, EVP_PKEY *key)
{
	OSSL_ENCODER_CTX *ectx;
	FILE *f;
	int fd, ok;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return sev_err(SEV_ERR_IO, "%s: %s", path, strerror(errno));
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return sev_err(SEV_ERR_IO, "%s: %s", path, strerror(errno));
	}
	ectx = OSSL_ENCODER_CTX_new_for_pkey(key, OSSL_KEYMGMT_SELECT_KEYPAIR,
					     "PEM", "PrivateKeyInfo", NULL);
	ok = ectx && OSSL_ENCODER_to_fp(ectx, f) == 1;
	OSSL_ENCODER_CTX_free(ectx);
	ok = (fclose(f) == 0) && ok;
	ERR_clear_error();
	if (!ok)
		return sev_err(SEV_ERR_IO, "%s: cannot write the key", path);
	return SEV_OK;
}
