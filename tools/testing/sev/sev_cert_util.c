// SPDX-License-Identifier: GPL-2.0-only
/*
 * SEV and AMD certificate helpers for the /dev/sev tests (OpenSSL only).
 */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>
#include "sev_cert_util.h"

#define P384_LEN	48
#define RSA_MAX_LEN	512

uint32_t sevc_le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

void sevc_put_le32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static void reverse(uint8_t *dst, const uint8_t *src, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		dst[i] = src[len - 1 - i];
}

static bool all_zero(const uint8_t *p, size_t len)
{
	while (len--)
		if (*p++)
			return false;
	return true;
}

EVP_PKEY *sevc_p384_generate(void)
{
	return EVP_EC_gen("P-384");
}

EVP_PKEY *sevc_pubkey(const uint8_t *cert)
{
	uint8_t point[1 + 2 * P384_LEN];
	EVP_PKEY_CTX *ctx;
	EVP_PKEY *pk = NULL;
	OSSL_PARAM params[3];

	if (sevc_le32(cert + SEVC_OFF_CURVE) != SEVC_CURVE_P384 ||
	    !all_zero(cert + SEVC_OFF_QX + P384_LEN, SEVC_COORD_LEN - P384_LEN) ||
	    !all_zero(cert + SEVC_OFF_QY + P384_LEN, SEVC_COORD_LEN - P384_LEN))
		return NULL;

	point[0] = 0x04;	/* uncompressed */
	reverse(point + 1, cert + SEVC_OFF_QX, P384_LEN);
	reverse(point + 1 + P384_LEN, cert + SEVC_OFF_QY, P384_LEN);
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
						     "P-384", 0);
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY,
						      point, sizeof(point));
	params[2] = OSSL_PARAM_construct_end();

	ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	if (!ctx || EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &pk, EVP_PKEY_PUBLIC_KEY, params) != 1)
		pk = NULL;
	EVP_PKEY_CTX_free(ctx);
	return pk;
}

bool sevc_same_pubkey(const uint8_t *a, const uint8_t *b)
{
	return !memcmp(a + SEVC_OFF_PUBKEY, b + SEVC_OFF_PUBKEY, SEVC_PUBKEY_LEN);
}

int sevc_find_slot(const uint8_t *cert, uint32_t usage, uint32_t algo)
{
	const uint8_t *s;
	int i;

	for (i = 0; i < SEVC_SLOTS; i++) {
		s = cert + SEVC_OFF_SLOT(i);
		if (sevc_le32(s) == usage && sevc_le32(s + 4) == algo)
			return i;
	}
	return -1;
}

static bool verify(const uint8_t *data, size_t len, const uint8_t *sig,
		   size_t siglen, EVP_PKEY *key, const EVP_MD *md, bool pss)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;
	bool ok = false;

	if (!ctx || EVP_DigestVerifyInit(ctx, &pctx, md, NULL, key) != 1)
		goto out;
	if (pss &&
	    (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
	     EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, EVP_MD_get_size(md)) != 1 ||
	     EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, md) != 1))
		goto out;
	ok = EVP_DigestVerify(ctx, sig, siglen, data, len) == 1;
out:
	EVP_MD_CTX_free(ctx);
	return ok;
}

bool sevc_verify_ecdsa(const uint8_t *cert, uint32_t usage, EVP_PKEY *signer)
{
	int slot = sevc_find_slot(cert, usage, SEVC_ALGO_ECDSA_SHA256);
	const uint8_t *data;
	unsigned char *der = NULL;
	BIGNUM *r = NULL, *s = NULL;
	ECDSA_SIG *sig = NULL;
	bool ok = false;
	int derlen;

	if (slot < 0)
		return false;
	data = cert + SEVC_OFF_SLOT(slot) + SEVC_SLOT_DATA;
	r = BN_lebin2bn(data, SEVC_COORD_LEN, NULL);
	s = BN_lebin2bn(data + SEVC_COORD_LEN, SEVC_COORD_LEN, NULL);
	sig = ECDSA_SIG_new();
	if (!r || !s || !sig || ECDSA_SIG_set0(sig, r, s) != 1) {
		BN_free(r);
		BN_free(s);
		goto out;
	}
	derlen = i2d_ECDSA_SIG(sig, &der);
	if (derlen <= 0)
		goto out;
	ok = verify(cert, SEVC_SIGNED_LEN, der, derlen, signer, EVP_sha256(),
		    false);
out:
	OPENSSL_free(der);
	ECDSA_SIG_free(sig);
	return ok;
}

bool sevc_verify_by_ask(const uint8_t *cert, EVP_PKEY *ask)
{
	int slot = sevc_find_slot(cert, SEVC_USAGE_ASK, SEVC_ALGO_RSA_SHA384);
	int len = EVP_PKEY_get_size(ask);
	uint8_t sig[RSA_MAX_LEN];

	if (slot < 0 || len <= 0 || len > RSA_MAX_LEN)
		return false;
	reverse(sig, cert + SEVC_OFF_SLOT(slot) + SEVC_SLOT_DATA, len);
	return verify(cert, SEVC_SIGNED_LEN, sig, len, ask, EVP_sha384(), true);
}

static int put_coord(EVP_PKEY *key, const char *name, uint8_t *out)
{
	BIGNUM *bn = NULL;
	int ret = -1;

	if (EVP_PKEY_get_bn_param(key, name, &bn) == 1 &&
	    BN_bn2lebinpad(bn, out, SEVC_COORD_LEN) == SEVC_COORD_LEN)
		ret = 0;
	BN_free(bn);
	return ret;
}

int sevc_build(uint8_t *cert, uint8_t api_major, uint8_t api_minor,
	       uint32_t usage, uint32_t algo, EVP_PKEY *key)
{
	int i;

	memset(cert, 0, SEVC_CERT_LEN);
	sevc_put_le32(cert + SEVC_OFF_VERSION, 1);
	cert[SEVC_OFF_API_MAJOR] = api_major;
	cert[SEVC_OFF_API_MINOR] = api_minor;
	sevc_put_le32(cert + SEVC_OFF_USAGE, usage);
	sevc_put_le32(cert + SEVC_OFF_ALGO, algo);
	sevc_put_le32(cert + SEVC_OFF_CURVE, SEVC_CURVE_P384);
	for (i = 0; i < SEVC_SLOTS; i++)
		sevc_put_le32(cert + SEVC_OFF_SLOT(i), SEVC_USAGE_INVALID);
	if (put_coord(key, OSSL_PKEY_PARAM_EC_PUB_X, cert + SEVC_OFF_QX) ||
	    put_coord(key, OSSL_PKEY_PARAM_EC_PUB_Y, cert + SEVC_OFF_QY))
		return -1;
	return 0;
}

int sevc_sign(uint8_t *cert, int slot, uint32_t usage, EVP_PKEY *signer)
{
	uint8_t *s = cert + SEVC_OFF_SLOT(slot);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char der[256];
	const unsigned char *p = der;
	const BIGNUM *r, *sv;
	ECDSA_SIG *sig = NULL;
	size_t derlen = sizeof(der);
	int ret = -1;

	if (!ctx ||
	    EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, signer) != 1 ||
	    EVP_DigestSign(ctx, der, &derlen, cert, SEVC_SIGNED_LEN) != 1)
		goto out;
	sig = d2i_ECDSA_SIG(NULL, &p, derlen);
	if (!sig)
		goto out;
	ECDSA_SIG_get0(sig, &r, &sv);
	memset(s, 0, SEVC_SLOT_DATA + SEVC_SIG_DATA_LEN);
	sevc_put_le32(s, usage);
	sevc_put_le32(s + 4, SEVC_ALGO_ECDSA_SHA256);
	if (BN_bn2lebinpad(r, s + SEVC_SLOT_DATA, SEVC_COORD_LEN) < 0 ||
	    BN_bn2lebinpad(sv, s + SEVC_SLOT_DATA + SEVC_COORD_LEN,
			   SEVC_COORD_LEN) < 0)
		goto out;
	ret = 0;
out:
	ECDSA_SIG_free(sig);
	EVP_MD_CTX_free(ctx);
	return ret;
}

int sevc_owner_sign(const uint8_t *csr, EVP_PKEY *oca_key, uint8_t *oca,
		    uint8_t *pek)
{
	if (sevc_build(oca, csr[SEVC_OFF_API_MAJOR], csr[SEVC_OFF_API_MINOR],
		       SEVC_USAGE_OCA, SEVC_ALGO_ECDSA_SHA256, oca_key) ||
	    sevc_sign(oca, 0, SEVC_USAGE_OCA, oca_key))
		return -1;
	memcpy(pek, csr, SEVC_CERT_LEN);
	return sevc_sign(pek, 0, SEVC_USAGE_OCA, oca_key);
}

static size_t amdc_bits(const uint8_t *cert, size_t off)
{
	uint32_t bits = sevc_le32(cert + off);

	return (bits == 2048 || bits == 4096) ? bits / 8 : 0;
}

size_t amdc_len(const uint8_t *cert, size_t avail)
{
	size_t exp, mod;

	if (avail < AMDC_HDR_LEN || sevc_le32(cert) != 1)
		return 0;
	exp = amdc_bits(cert, AMDC_OFF_PUBEXP_BITS);
	mod = amdc_bits(cert, AMDC_OFF_MOD_BITS);
	if (!exp || !mod || AMDC_HDR_LEN + exp + 2 * mod > avail)
		return 0;
	return AMDC_HDR_LEN + exp + 2 * mod;
}

EVP_PKEY *amdc_pubkey(const uint8_t *cert, size_t len)
{
	size_t exp = amdc_bits(cert, AMDC_OFF_PUBEXP_BITS);
	size_t mod = amdc_bits(cert, AMDC_OFF_MOD_BITS);
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	BIGNUM *n = NULL, *e = NULL;
	EVP_PKEY *pk = NULL;

	if (amdc_len(cert, len) != len)
		return NULL;
	e = BN_lebin2bn(cert + AMDC_HDR_LEN, exp, NULL);
	n = BN_lebin2bn(cert + AMDC_HDR_LEN + exp, mod, NULL);
	bld = OSSL_PARAM_BLD_new();
	if (!e || !n || !bld ||
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) != 1 ||
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e) != 1)
		goto out;
	params = OSSL_PARAM_BLD_to_param(bld);
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
	if (!params || !ctx || EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &pk, EVP_PKEY_PUBLIC_KEY, params) != 1)
		pk = NULL;
out:
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(n);
	BN_free(e);
	return pk;
}

bool amdc_verify(const uint8_t *cert, size_t len, EVP_PKEY *signer)
{
	size_t exp = amdc_bits(cert, AMDC_OFF_PUBEXP_BITS);
	size_t mod = amdc_bits(cert, AMDC_OFF_MOD_BITS);
	size_t signed_len = AMDC_HDR_LEN + exp + mod;
	uint8_t sig[RSA_MAX_LEN];

	if (amdc_len(cert, len) != len ||
	    EVP_PKEY_get_size(signer) != (int)mod)
		return false;
	reverse(sig, cert + signed_len, mod);
	return verify(cert, signed_len, sig, mod, signer,
		      mod == 512 ? EVP_sha384() : EVP_sha256(), true);
}

long sevc_read_file(const char *path, uint8_t *buf, size_t max)
{
	size_t len = 0;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	while (len < max) {
		n = read(fd, buf + len, max - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			n = -errno;
			close(fd);
			return n;
		}
		if (!n)
			break;
		len += n;
	}
	if (len == max && read(fd, buf, 1) > 0) {
		close(fd);
		return -EFBIG;
	}
	close(fd);
	return len;
}
