// SPDX-License-Identifier: GPL-2.0-only
/*
 * gen-testroots: make the TEST-ONLY ARK, ASK, CEK and firmware-signing key
 * of the software SEV firmware, their certificates and sevfw-testroots.c.
 *
 * Usage: gen-testroots OUTDIR KERNEL_C_FILE
 *
 * Private keys already in OUTDIR (ark.pem, ask.pem, cek.pem, fwsign.pem)
 * are reused; missing ones are generated. The certificates are always
 * rebuilt (RSA-PSS signatures are randomised, so they differ per run).
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/decoder.h>
#include <openssl/ec.h>
#include <openssl/encoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

/* AMD certificate (ARK, ASK), facts sheet 8.3, 4096-bit keys only */
#define RSA_BITS		4096
#define RSA_BYTES		(RSA_BITS / 8)
#define AMD_OFF_VERSION		0x00
#define AMD_OFF_KEY_ID		0x04
#define AMD_OFF_CERT_ID		0x14
#define AMD_OFF_USAGE		0x24
#define AMD_OFF_PUBEXP_BITS	0x38
#define AMD_OFF_MOD_BITS	0x3c
#define AMD_OFF_PUBEXP		0x40
#define AMD_OFF_MODULUS		(AMD_OFF_PUBEXP + RSA_BYTES)
#define AMD_OFF_SIG		(AMD_OFF_MODULUS + RSA_BYTES)
#define AMD_CERT_SIZE		(AMD_OFF_SIG + RSA_BYTES)	/* 0x640 */
#define AMD_ID_LEN		16
#define AMD_USAGE_ARK		0x00
#define AMD_USAGE_ASK		0x13

/* SEV certificate, facts sheet 8.1 */
#define SEV_CERT_SIZE		0x824
#define SEV_SIGNED_LEN		0x414
#define SEV_OFF_VERSION		0x000
#define SEV_OFF_API_MAJOR	0x004
#define SEV_OFF_API_MINOR	0x005
#define SEV_OFF_USAGE		0x008
#define SEV_OFF_ALGO		0x00c
#define SEV_OFF_CURVE		0x010
#define SEV_OFF_QX		0x014
#define SEV_OFF_QY		0x05c
#define SEV_OFF_SIG1_USAGE	0x414
#define SEV_OFF_SIG1_ALGO	0x418
#define SEV_OFF_SIG1		0x41c
#define SEV_OFF_SIG2_USAGE	0x61c
#define SEV_OFF_SIG2_ALGO	0x620
#define SEV_USAGE_INVALID	0x1000
#define SEV_USAGE_CEK		0x1004
#define SEV_ALGO_ECDSA_SHA256	0x002
#define SEV_ALGO_RSA_SHA384	0x101
#define SEV_CURVE_P384		2
#define SEV_CEK_API_MAJOR	0
#define SEV_CEK_API_MINOR	24

#define P384_BYTES		48
#define PSS_SALT_LEN		48	/* SHA-384 digest length */
#define C_BYTES_PER_LINE	8

typedef __u8 u8;
typedef __u32 u32;

static const char *outdir;

static void die(const char *what)
{
	fprintf(stderr, "gen-testroots: %s\n", what);
	ERR_print_errors_fp(stderr);
	exit(1);
}

static void put_le32(u8 *p, u32 v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = (v >> 24) & 0xff;
}

static void reverse(u8 *dst, const u8 *src, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		dst[i] = src[len - 1 - i];
}

static char *path_of(const char *name)
{
	size_t len = strlen(outdir) + strlen(name) + 2;
	char *p = malloc(len);

	if (!p)
		die("out of memory");
	snprintf(p, len, "%s/%s", outdir, name);
	return p;
}

static EVP_PKEY *load_or_make(const char *name, int rsa)
{
	char *path = path_of(name);
	EVP_PKEY *pk = NULL;
	OSSL_ENCODER_CTX *ectx;
	OSSL_DECODER_CTX *dctx;
	FILE *f;

	f = fopen(path, "r");
	if (f) {
		dctx = OSSL_DECODER_CTX_new_for_pkey(&pk, "PEM", NULL, NULL,
						     EVP_PKEY_KEYPAIR, NULL,
						     NULL);
		if (!dctx || !OSSL_DECODER_from_fp(dctx, f) || !pk)
			die(path);
		OSSL_DECODER_CTX_free(dctx);
		fclose(f);
		fprintf(stderr, "gen-testroots: reusing %s\n", path);
		free(path);
		return pk;
	}
	if (errno != ENOENT)
		die(path);

	pk = rsa ? EVP_RSA_gen(RSA_BITS) : EVP_EC_gen("P-384");
	if (!pk)
		die("key generation failed");
	ectx = OSSL_ENCODER_CTX_new_for_pkey(pk, EVP_PKEY_KEYPAIR, "PEM",
					     "PrivateKeyInfo", NULL);
	f = fopen(path, "w");
	if (!ectx || !f || !OSSL_ENCODER_to_fp(ectx, f))
		die(path);
	OSSL_ENCODER_CTX_free(ectx);
	if (fclose(f))
		die(path);
	fprintf(stderr, "gen-testroots: generated %s\n", path);
	free(path);
	return pk;
}

/* A big-number parameter of @pk, @len bytes, little- or big-endian */
static void get_bn(EVP_PKEY *pk, const char *param, u8 *out, size_t len,
		   int little)
{
	BIGNUM *bn = NULL;
	int r;

	if (!EVP_PKEY_get_bn_param(pk, param, &bn))
		die(param);
	r = little ? BN_bn2lebinpad(bn, out, len) : BN_bn2binpad(bn, out, len);
	BN_clear_free(bn);
	if (r != (int)len)
		die("big number does not fit");
}

/* RSASSA-PSS, SHA-384, MGF1 SHA-384, salt 48; signature little-endian */
static void pss_sign_le(EVP_PKEY *signer, const u8 *data, size_t len,
			u8 sig_le[RSA_BYTES])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;
	u8 sig[RSA_BYTES];
	size_t siglen = sizeof(sig);

	if (!ctx ||
	    EVP_DigestSignInit(ctx, &pctx, EVP_sha384(), NULL, signer) != 1 ||
	    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
	    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, PSS_SALT_LEN) != 1 ||
	    EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha384()) != 1 ||
	    EVP_DigestSign(ctx, sig, &siglen, data, len) != 1 ||
	    siglen != RSA_BYTES)
		die("RSA-PSS signing failed");
	EVP_MD_CTX_free(ctx);
	reverse(sig_le, sig, RSA_BYTES);
}

/* KEY_ID: the first 16 bytes of SHA-256 over the little-endian modulus */
static void key_id(EVP_PKEY *pk, u8 id[AMD_ID_LEN])
{
	u8 mod[RSA_BYTES], md[EVP_MAX_MD_SIZE];
	unsigned int mdlen;

	get_bn(pk, OSSL_PKEY_PARAM_RSA_N, mod, sizeof(mod), 1);
	if (!EVP_Digest(mod, sizeof(mod), md, &mdlen, EVP_sha256(), NULL))
		die("SHA-256 failed");
	memcpy(id, md, AMD_ID_LEN);
}

static void amd_cert(u8 cert[AMD_CERT_SIZE], EVP_PKEY *key, EVP_PKEY *signer,
		     u32 usage)
{
	memset(cert, 0, AMD_CERT_SIZE);
	put_le32(cert + AMD_OFF_VERSION, 1);
	key_id(key, cert + AMD_OFF_KEY_ID);
	key_id(signer, cert + AMD_OFF_CERT_ID);
	put_le32(cert + AMD_OFF_USAGE, usage);
	put_le32(cert + AMD_OFF_PUBEXP_BITS, RSA_BITS);
	put_le32(cert + AMD_OFF_MOD_BITS, RSA_BITS);
	get_bn(key, OSSL_PKEY_PARAM_RSA_E, cert + AMD_OFF_PUBEXP, RSA_BYTES, 1);
	get_bn(key, OSSL_PKEY_PARAM_RSA_N, cert + AMD_OFF_MODULUS, RSA_BYTES, 1);
	pss_sign_le(signer, cert, AMD_OFF_SIG, cert + AMD_OFF_SIG);
}

static void cek_cert(u8 cert[SEV_CERT_SIZE], EVP_PKEY *cek, EVP_PKEY *ask)
{
	memset(cert, 0, SEV_CERT_SIZE);
	put_le32(cert + SEV_OFF_VERSION, 1);
	cert[SEV_OFF_API_MAJOR] = SEV_CEK_API_MAJOR;
	cert[SEV_OFF_API_MINOR] = SEV_CEK_API_MINOR;
	put_le32(cert + SEV_OFF_USAGE, SEV_USAGE_CEK);
	put_le32(cert + SEV_OFF_ALGO, SEV_ALGO_ECDSA_SHA256);
	put_le32(cert + SEV_OFF_CURVE, SEV_CURVE_P384);
	get_bn(cek, OSSL_PKEY_PARAM_EC_PUB_X, cert + SEV_OFF_QX, P384_BYTES, 1);
	get_bn(cek, OSSL_PKEY_PARAM_EC_PUB_Y, cert + SEV_OFF_QY, P384_BYTES, 1);
	put_le32(cert + SEV_OFF_SIG1_USAGE, AMD_USAGE_ASK);
	put_le32(cert + SEV_OFF_SIG1_ALGO, SEV_ALGO_RSA_SHA384);
	pss_sign_le(ask, cert, SEV_SIGNED_LEN, cert + SEV_OFF_SIG1);
	put_le32(cert + SEV_OFF_SIG2_USAGE, SEV_USAGE_INVALID);
	put_le32(cert + SEV_OFF_SIG2_ALGO, 0);
}

static void write_file(const char *name, const u8 *a, size_t alen,
		       const u8 *b, size_t blen)
{
	char *path = path_of(name);
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(a, 1, alen, f) != alen ||
	    (blen && fwrite(b, 1, blen, f) != blen) || fclose(f))
		die(path);
	free(path);
}

/* Emit @len bytes as C initialiser lines indented by @tabs tabs */
static void emit_bytes(FILE *f, const u8 *p, size_t len, int tabs)
{
	size_t i;
	int t;

	for (i = 0; i < len; i++) {
		if (i % C_BYTES_PER_LINE == 0)
			for (t = 0; t < tabs; t++)
				fputc('\t', f);
		fprintf(f, "0x%02x,", p[i]);
		fputc((i % C_BYTES_PER_LINE == C_BYTES_PER_LINE - 1 ||
		       i == len - 1) ? '\n' : ' ', f);
	}
}

static void emit_coord(FILE *f, const char *field, EVP_PKEY *pk,
		       const char *param, int tabs)
{
	u8 v[P384_BYTES];
	int t;

	get_bn(pk, param, v, sizeof(v), 0);
	for (t = 0; t < tabs; t++)
		fputc('\t', f);
	fprintf(f, ".%s = {\n", field);
	emit_bytes(f, v, sizeof(v), tabs + 1);
	for (t = 0; t < tabs; t++)
		fputc('\t', f);
	fputs("},\n", f);
}

static void write_kernel_c(const char *path, EVP_PKEY *cek, EVP_PKEY *fwsign,
			   const u8 *cekcert, const u8 *ask, const u8 *ark)
{
	FILE *f = fopen(path, "w");

	if (!f)
		die(path);
	/* keep the tag off this line: it is not this file's own */
	fprintf(f, "// %s-License-Identifier: GPL-2.0-only\n", "SPDX");
	fputs("/*\n"
	      " * TEST-ONLY key material of the software SEV firmware; NOT AMD's keys.\n"
	      " * This file is generated by testroots/gen-testroots.sh, do not edit.\n"
	      " */\n\n"
	      "#include \"sevfw-testroots.h\"\n\n", f);

	fputs("const struct sevfw_ecc_key sevfw_test_cek = {\n", f);
	emit_coord(f, "d", cek, OSSL_PKEY_PARAM_PRIV_KEY, 1);
	fputs("\t.pub = {\n", f);
	emit_coord(f, "x", cek, OSSL_PKEY_PARAM_EC_PUB_X, 2);
	emit_coord(f, "y", cek, OSSL_PKEY_PARAM_EC_PUB_Y, 2);
	fputs("\t},\n};\n\n", f);

	fputs("const u8 sevfw_test_cek_cert[SEV_CERT_SIZE] = {\n", f);
	emit_bytes(f, cekcert, SEV_CERT_SIZE, 1);
	fputs("};\n\n", f);

	fputs("const u8 sevfw_test_ask_ark[] = {\n", f);
	emit_bytes(f, ask, AMD_CERT_SIZE, 1);
	emit_bytes(f, ark, AMD_CERT_SIZE, 1);
	fputs("};\n\n", f);
	fputs("const size_t sevfw_test_ask_ark_len = sizeof(sevfw_test_ask_ark);\n\n",
	      f);

	fputs("const struct sevfw_ecc_pub sevfw_test_fwsign_pub = {\n", f);
	emit_coord(f, "x", fwsign, OSSL_PKEY_PARAM_EC_PUB_X, 1);
	emit_coord(f, "y", fwsign, OSSL_PKEY_PARAM_EC_PUB_Y, 1);
	fputs("};\n", f);
	if (fclose(f))
		die(path);
}

int main(int argc, char **argv)
{
	static u8 ark_cert[AMD_CERT_SIZE], ask_cert[AMD_CERT_SIZE];
	static u8 cek[SEV_CERT_SIZE];
	EVP_PKEY *ark, *ask, *cekkey, *fwsign;

	if (argc != 3) {
		fprintf(stderr, "usage: %s OUTDIR KERNEL_C_FILE\n", argv[0]);
		return 2;
	}
	outdir = argv[1];

	ark = load_or_make("ark.pem", 1);
	ask = load_or_make("ask.pem", 1);
	cekkey = load_or_make("cek.pem", 0);
	fwsign = load_or_make("fwsign.pem", 0);

	amd_cert(ark_cert, ark, ark, AMD_USAGE_ARK);
	amd_cert(ask_cert, ask, ark, AMD_USAGE_ASK);
	cek_cert(cek, cekkey, ask);

	write_file("ark.cert", ark_cert, sizeof(ark_cert), NULL, 0);
	write_file("ask.cert", ask_cert, sizeof(ask_cert), NULL, 0);
	write_file("ask_ark.cert", ask_cert, sizeof(ask_cert),
		   ark_cert, sizeof(ark_cert));
	write_file("cek.cert", cek, sizeof(cek), NULL, 0);
	write_kernel_c(argv[2], cekkey, fwsign, cek, ask_cert, ark_cert);

	EVP_PKEY_free(ark);
	EVP_PKEY_free(ask);
	EVP_PKEY_free(cekkey);
	EVP_PKEY_free(fwsign);
	return 0;
}
