// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the SEV certificate code: layout, signing, key extraction
 * and the firmware's verification rules and status codes (facts §7, §8.1).
 *
 * Provenance (tools/testing/vectors/make-crypto-vectors.sh): python3 builds
 * the signed part (bytes 0..0x413) of a PDH certificate for key B byte by
 * byte from the facts sheet's table (version 1, API 0.24, usage 0x1003,
 * algo 0x3, curve 2, QX/QY little-endian), `openssl dgst -sha256` hashes it
 * (cert_body_sha256) and `openssl dgst -sha256 -sign A.pem` signs it as key
 * A; r and s are stored reversed (little-endian) as the slot wants them.
 * Keys A, B and C are those of sevfw-ecc_test.c.
 */

#include <kunit/test.h>
#include <linux/string.h>
#include <crypto/sha2.h>
#include <uapi/linux/psp-sev.h>

#include "sevfw-cert.h"

static void expect_bytes(struct kunit *test, const u8 *got, const u8 *want,
			 size_t len, const char *what)
{
	KUNIT_EXPECT_TRUE_MSG(test, !memcmp(got, want, len),
			      "%s:\n got  %*phN\n want %*phN", what,
			      (int)min_t(size_t, len, 64), got,
			      (int)min_t(size_t, len, 64), want);
}

static const struct sevfw_ecc_key key_a = {
	.d = {
		0xb5, 0xe4, 0xf6, 0x44, 0xfd, 0x65, 0x9f, 0x80,
		0xca, 0x75, 0x81, 0xb3, 0x9c, 0x0a, 0xad, 0x58,
		0x10, 0x55, 0xaf, 0x85, 0x0f, 0xf4, 0xc3, 0x13,
		0x88, 0x7d, 0x2a, 0x50, 0x11, 0x61, 0x49, 0x75,
		0x9c, 0x0f, 0xf9, 0x53, 0x1a, 0x5a, 0x6e, 0xee,
		0xbf, 0xf9, 0xf5, 0x65, 0xd5, 0x77, 0x20, 0xb7,
	},
	.pub.x = {
		0xd4, 0x94, 0x47, 0x66, 0x4d, 0xdc, 0x1e, 0xd3,
		0x77, 0x6c, 0xe4, 0x74, 0xc0, 0x9c, 0x89, 0x26,
		0xc6, 0x83, 0x73, 0x72, 0xda, 0x52, 0x07, 0x7e,
		0xfe, 0xc0, 0x85, 0x75, 0xa8, 0x7b, 0xa2, 0xb3,
		0x9e, 0xc2, 0xb1, 0x4f, 0x37, 0x0b, 0x03, 0xa9,
		0xf5, 0x5b, 0x4c, 0x40, 0xd0, 0xb6, 0x4f, 0xdf,
	},
	.pub.y = {
		0x2c, 0x10, 0x6b, 0x2e, 0xb1, 0xdb, 0xee, 0x0d,
		0x2d, 0xdb, 0x58, 0x9c, 0x15, 0x92, 0xc3, 0x9b,
		0x1d, 0xad, 0x2e, 0xa7, 0xa7, 0x0c, 0xb3, 0x73,
		0x23, 0xcc, 0xe5, 0xe4, 0x3f, 0xe0, 0xb5, 0xe3,
		0x4e, 0xdb, 0x10, 0x11, 0x03, 0x64, 0x61, 0x69,
		0x6c, 0x07, 0x5a, 0xa8, 0x65, 0xdb, 0x45, 0x7a,
	},
};

static const struct sevfw_ecc_pub pub_b = {
	.x = {
		0xe8, 0x26, 0xe4, 0x4b, 0xfd, 0x46, 0x5b, 0xf5,
		0x0a, 0x7d, 0x4b, 0xad, 0x8a, 0xaa, 0x73, 0xab,
		0x02, 0xa9, 0xa2, 0x44, 0x1b, 0x19, 0x70, 0x90,
		0xe6, 0x56, 0x51, 0x8b, 0x83, 0xae, 0x4f, 0x15,
		0xe8, 0xf1, 0x79, 0x6f, 0xe4, 0xc8, 0x45, 0x51,
		0x96, 0x43, 0x58, 0x82, 0x9e, 0x55, 0x37, 0x47,
	},
	.y = {
		0x17, 0x06, 0xe4, 0x24, 0xea, 0x59, 0x49, 0x6d,
		0x41, 0x05, 0x1f, 0xc8, 0xfa, 0x7a, 0x72, 0x24,
		0xb0, 0x74, 0xd6, 0x42, 0xb6, 0xee, 0xfb, 0xd9,
		0xe6, 0xcf, 0xfb, 0x2e, 0xd6, 0xcb, 0x43, 0xc3,
		0x5d, 0xdd, 0xb5, 0xd3, 0xc3, 0x21, 0xbf, 0x6e,
		0x62, 0x2c, 0x9d, 0x4f, 0x3d, 0xab, 0x8a, 0x75,
	},
};

static const struct sevfw_ecc_key key_c = {
	.d = {
		0x38, 0xfa, 0x7c, 0xc7, 0xb7, 0xc2, 0x7d, 0x19,
		0xc7, 0xa9, 0x68, 0x02, 0x99, 0xdc, 0xd3, 0xe1,
		0x84, 0xce, 0x36, 0x2c, 0x7a, 0x87, 0x15, 0xbb,
		0x65, 0xf3, 0x7c, 0x85, 0xaa, 0x88, 0x87, 0xad,
		0xcc, 0x52, 0xa9, 0x18, 0x75, 0x85, 0xc8, 0xdd,
		0x40, 0xb1, 0x3e, 0x11, 0x04, 0xfb, 0x44, 0x83,
	},
	.pub.x = {
		0x4d, 0x6c, 0x7b, 0xb0, 0x94, 0xcf, 0x22, 0x87,
		0xe9, 0x48, 0x2a, 0xfa, 0x8a, 0xb7, 0x61, 0x3a,
		0x43, 0xc8, 0x75, 0x8c, 0x0f, 0x01, 0x8a, 0x99,
		0x5e, 0x6a, 0x96, 0x58, 0x54, 0xc5, 0x8a, 0x07,
		0xeb, 0x49, 0x54, 0x15, 0x16, 0xc2, 0xab, 0x58,
		0xdd, 0x21, 0xc3, 0x29, 0x98, 0xbc, 0xf6, 0x92,
	},
	.pub.y = {
		0x02, 0xee, 0x4e, 0x3d, 0xf0, 0xbb, 0x67, 0x97,
		0x1c, 0xea, 0xd7, 0x1f, 0x4b, 0xe5, 0xbf, 0xfb,
		0xa4, 0x0d, 0x49, 0x39, 0x43, 0xd5, 0xae, 0xf3,
		0x90, 0x84, 0x0b, 0xb3, 0xbe, 0x35, 0x0c, 0xf0,
		0x5d, 0xe0, 0x07, 0x84, 0x0d, 0xa6, 0x07, 0xb5,
		0x68, 0x77, 0x40, 0xa9, 0xcb, 0x57, 0x79, 0xee,
	},
};

static const u8 body_sha256[SHA256_DIGEST_SIZE] = {
	0x2a, 0xde, 0x9c, 0x06, 0xb9, 0x7e, 0x9a, 0xeb,
	0x41, 0xe9, 0xb7, 0xd0, 0xe9, 0x89, 0xfe, 0xe9,
	0x89, 0x61, 0xc6, 0xfd, 0x07, 0xc9, 0xa2, 0x4e,
	0xd9, 0x4c, 0xf6, 0x9a, 0x54, 0x2f, 0xff, 0xab,
};

/* OpenSSL's signature of that body by key A, little-endian */
static const u8 sig_r_le[SEVFW_P384_BYTES] = {
	0xe3, 0x9c, 0xb0, 0xcd, 0x68, 0x1c, 0x62, 0xda,
	0x2a, 0x20, 0xe2, 0xf8, 0xe7, 0x24, 0xb7, 0x8c,
	0xbf, 0xc4, 0xa6, 0xd2, 0x6e, 0x10, 0x07, 0x70,
	0xe1, 0x2f, 0xb7, 0xad, 0xd2, 0x85, 0xfd, 0x6c,
	0x6a, 0x32, 0x68, 0x1e, 0xff, 0x23, 0x87, 0x5a,
	0xc9, 0x3c, 0x0e, 0x7c, 0x89, 0xa7, 0x4e, 0x95,
};

static const u8 sig_s_le[SEVFW_P384_BYTES] = {
	0x09, 0xdf, 0xdf, 0x7b, 0x3f, 0x6e, 0xb6, 0xd3,
	0xb8, 0xee, 0xfd, 0xb8, 0x42, 0x30, 0xb6, 0xdc,
	0x1b, 0x2b, 0x4b, 0x86, 0x2a, 0x9e, 0x3c, 0x2a,
	0x10, 0x08, 0x76, 0x52, 0xa0, 0xaa, 0x84, 0xe5,
	0x3d, 0x33, 0x44, 0xc3, 0x31, 0xb6, 0xed, 0xe8,
	0x5f, 0xe9, 0x8b, 0x20, 0x53, 0xc3, 0x76, 0x53,
};

#define API_MAJOR	0
#define API_MINOR	24

static struct sev_cert *alloc_cert(struct kunit *test)
{
	struct sev_cert *cert = kunit_kzalloc(test, sizeof(*cert), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, cert);
	return cert;
}

/* The PDH certificate for key B, OpenSSL's signature by key A (as PEK) in
 * slot @slot
 */
static struct sev_cert *openssl_signed_pdh(struct kunit *test, int slot)
{
	struct sev_cert *cert = alloc_cert(test);
	struct sev_cert_sig *s = &cert->sig[slot];

	sevfw_cert_init(cert, API_MAJOR, API_MINOR, SEV_USAGE_PDH,
			SEV_ALGO_ECDH_SHA256, &pub_b);
	s->usage = cpu_to_le32(SEV_USAGE_PEK);
	s->algo = cpu_to_le32(SEV_ALGO_ECDSA_SHA256);
	memcpy(s->data, sig_r_le, sizeof(sig_r_le));
	memcpy(s->data + SEV_ECC_COORD_BYTES, sig_s_le, sizeof(sig_s_le));
	return cert;
}

static struct sev_cert *signer_cert(struct kunit *test, u32 usage, u32 algo,
				    const struct sevfw_ecc_pub *pub)
{
	struct sev_cert *cert = alloc_cert(test);

	sevfw_cert_init(cert, API_MAJOR, API_MINOR, usage, algo, pub);
	return cert;
}

/* ---- layout ---- */

static void sevfw_cert_init_layout_test(struct kunit *test)
{
	struct sev_cert *cert = alloc_cert(test);
	const u8 *raw = (const u8 *)cert;
	u8 digest[SHA256_DIGEST_SIZE];
	static const u8 empty_slot[8] = { 0x00, 0x10, 0, 0, 0, 0, 0, 0 };
	size_t i;

	memset(cert, 0xa5, sizeof(*cert));
	sevfw_cert_init(cert, API_MAJOR, API_MINOR, SEV_USAGE_PDH,
			SEV_ALGO_ECDH_SHA256, &pub_b);

	/* the signed part, byte for byte as the independent builder made it */
	sha256(raw, SEV_CERT_SIGNED_LEN, digest);
	expect_bytes(test, digest, body_sha256, sizeof(digest), "body SHA-256");

	/* spot checks of offsets (facts §8.1) */
	KUNIT_EXPECT_EQ(test, raw[0x000], 1);
	KUNIT_EXPECT_EQ(test, raw[0x005], API_MINOR);
	KUNIT_EXPECT_EQ(test, raw[0x008], 0x03);
	KUNIT_EXPECT_EQ(test, raw[0x009], 0x10);
	KUNIT_EXPECT_EQ(test, raw[0x00c], 0x03);
	KUNIT_EXPECT_EQ(test, raw[0x010], SEV_CURVE_P384);
	KUNIT_EXPECT_EQ(test, raw[0x014], pub_b.x[47]);
	KUNIT_EXPECT_EQ(test, raw[0x014 + 47], pub_b.x[0]);
	KUNIT_EXPECT_EQ(test, raw[0x05c], pub_b.y[47]);
	KUNIT_EXPECT_EQ(test, raw[0x05c + 47], pub_b.y[0]);

	/* two empty slots, all other bytes zero */
	expect_bytes(test, raw + 0x414, empty_slot, 8, "slot 1 header");
	expect_bytes(test, raw + 0x61c, empty_slot, 8, "slot 2 header");
	for (i = 0x41c; i < SEV_CERT_SIZE; i++) {
		if (i >= 0x61c && i < 0x624)
			continue;
		KUNIT_EXPECT_EQ_MSG(test, raw[i], 0, "byte %#zx", i);
		if (raw[i])
			break;
	}
}

/* ---- verification ---- */

enum cert_mutation {
	MUT_NONE,
	MUT_SLOT2,		/* the signature in slot 2, slot 1 empty */
	MUT_FLIP_R,		/* one bit of r */
	MUT_FLIP_BODY,		/* API_MINOR changed */
	MUT_SLOT_USAGE_OCA,	/* the slot claims another signer */
	MUT_SLOT_ALGO_ECDH,	/* the slot claims another algorithm */
	MUT_OTHER_USAGE_ONLY,	/* other slot: usage OCA, algo INVALID */
	MUT_OTHER_ALGO_ONLY,	/* other slot: usage INVALID, algo ECDSA */
	MUT_R_HIGH_BYTES,	/* nonzero byte above the 48 of r */
	MUT_S_ZERO,
};

enum signer_kind {
	SIGNER_PEK_A,		/* the right signer */
	SIGNER_PEK_C,		/* right type, wrong key */
	SIGNER_OCA_A,		/* right key, other usage */
	SIGNER_PDH_A,		/* ECDH key: cannot sign */
	SIGNER_BAD_BODY,	/* signer with version 2 */
};

struct verify_case {
	const char *name;
	enum cert_mutation mut;
	enum signer_kind signer;
	int status;
};

static const struct verify_case verify_cases[] = {
	{ "openssl-signature", MUT_NONE, SIGNER_PEK_A, SEV_RET_SUCCESS },
	{ "in-slot-2", MUT_SLOT2, SIGNER_PEK_A, SEV_RET_SUCCESS },
	{ "r-bit-flipped", MUT_FLIP_R, SIGNER_PEK_A, SEV_RET_BAD_SIGNATURE },
	{ "body-changed", MUT_FLIP_BODY, SIGNER_PEK_A, SEV_RET_BAD_SIGNATURE },
	{ "slot-usage-mismatch", MUT_SLOT_USAGE_OCA, SIGNER_PEK_A,
	  SEV_RET_BAD_SIGNATURE },
	{ "slot-algo-mismatch", MUT_SLOT_ALGO_ECDH, SIGNER_PEK_A,
	  SEV_RET_BAD_SIGNATURE },
	{ "other-slot-usage-only", MUT_OTHER_USAGE_ONLY, SIGNER_PEK_A,
	  SEV_RET_BAD_SIGNATURE },
	{ "other-slot-algo-only", MUT_OTHER_ALGO_ONLY, SIGNER_PEK_A,
	  SEV_RET_BAD_SIGNATURE },
	{ "r-high-bytes", MUT_R_HIGH_BYTES, SIGNER_PEK_A,
	  SEV_RET_BAD_SIGNATURE },
	{ "s-zero", MUT_S_ZERO, SIGNER_PEK_A, SEV_RET_BAD_SIGNATURE },
	{ "wrong-signer-key", MUT_NONE, SIGNER_PEK_C, SEV_RET_BAD_SIGNATURE },
	{ "wrong-signer-usage", MUT_NONE, SIGNER_OCA_A, SEV_RET_BAD_SIGNATURE },
	{ "signer-is-ecdh", MUT_NONE, SIGNER_PDH_A,
	  SEV_RET_INVALID_CERTIFICATE },
	{ "signer-bad-body", MUT_NONE, SIGNER_BAD_BODY,
	  SEV_RET_INVALID_CERTIFICATE },
};

static void verify_case_desc(const struct verify_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(verify, verify_cases, verify_case_desc);

static void sevfw_cert_verify_test(struct kunit *test)
{
	const struct verify_case *c = test->param_value;
	struct sev_cert *cert, *signer;
	struct sev_cert_sig *other;

	cert = openssl_signed_pdh(test, c->mut == MUT_SLOT2 ? 1 : 0);
	other = &cert->sig[1];

	switch (c->mut) {
	case MUT_NONE:
	case MUT_SLOT2:
		break;
	case MUT_FLIP_R:
		cert->sig[0].data[5] ^= 0x10;
		break;
	case MUT_FLIP_BODY:
		cert->api_minor ^= 1;
		break;
	case MUT_SLOT_USAGE_OCA:
		cert->sig[0].usage = cpu_to_le32(SEV_USAGE_OCA);
		break;
	case MUT_SLOT_ALGO_ECDH:
		cert->sig[0].algo = cpu_to_le32(SEV_ALGO_ECDH_SHA256);
		break;
	case MUT_OTHER_USAGE_ONLY:
		other->usage = cpu_to_le32(SEV_USAGE_OCA);
		break;
	case MUT_OTHER_ALGO_ONLY:
		other->algo = cpu_to_le32(SEV_ALGO_ECDSA_SHA256);
		break;
	case MUT_R_HIGH_BYTES:
		cert->sig[0].data[SEVFW_P384_BYTES] = 1;
		break;
	case MUT_S_ZERO:
		memset(cert->sig[0].data + SEV_ECC_COORD_BYTES, 0,
		       SEV_ECC_COORD_BYTES);
		break;
	}

	switch (c->signer) {
	case SIGNER_PEK_A:
		signer = signer_cert(test, SEV_USAGE_PEK, SEV_ALGO_ECDSA_SHA256,
				     &key_a.pub);
		break;
	case SIGNER_PEK_C:
		signer = signer_cert(test, SEV_USAGE_PEK, SEV_ALGO_ECDSA_SHA256,
				     &key_c.pub);
		break;
	case SIGNER_OCA_A:
		signer = signer_cert(test, SEV_USAGE_OCA, SEV_ALGO_ECDSA_SHA256,
				     &key_a.pub);
		break;
	case SIGNER_PDH_A:
		signer = signer_cert(test, SEV_USAGE_PDH, SEV_ALGO_ECDH_SHA256,
				     &key_a.pub);
		break;
	case SIGNER_BAD_BODY:
	default:
		signer = signer_cert(test, SEV_USAGE_PEK, SEV_ALGO_ECDSA_SHA256,
				     &key_a.pub);
		signer->version = cpu_to_le32(2);
		break;
	}

	KUNIT_EXPECT_EQ(test, sevfw_cert_verify(cert, signer), c->status);
}

/* ---- body checks ---- */

enum body_mutation {
	BODY_NONE,
	BODY_VERSION_2,
	BODY_USAGE_UNKNOWN,	/* 0x1005 */
	BODY_USAGE_ARK,		/* an AMD key usage in an SEV cert */
	BODY_ALGO_FOR_SIGNING,	/* a PDH with ECDSA */
	BODY_ALGO_SHA384,	/* ECDH_SHA384 is not supported */
	BODY_CURVE_P256,
	BODY_QY_BIT_FLIPPED,	/* off the curve */
	BODY_QX_HIGH_BYTE,	/* nonzero byte above the 48 of QX */
	BODY_ZERO_POINT,
};

struct body_case {
	const char *name;
	u32 usage;
	u32 algo;
	enum body_mutation mut;
	int status;
};

static const struct body_case body_cases[] = {
	{ "pdh", SEV_USAGE_PDH, SEV_ALGO_ECDH_SHA256, BODY_NONE,
	  SEV_RET_SUCCESS },
	{ "oca", SEV_USAGE_OCA, SEV_ALGO_ECDSA_SHA256, BODY_NONE,
	  SEV_RET_SUCCESS },
	{ "pek", SEV_USAGE_PEK, SEV_ALGO_ECDSA_SHA256, BODY_NONE,
	  SEV_RET_SUCCESS },
	{ "cek", SEV_USAGE_CEK, SEV_ALGO_ECDSA_SHA256, BODY_NONE,
	  SEV_RET_SUCCESS },
	{ "pek-with-ecdh", SEV_USAGE_PEK, SEV_ALGO_ECDH_SHA256, BODY_NONE,
	  SEV_RET_INVALID_CERTIFICATE },
	{ "version-2", SEV_USAGE_PDH, SEV_ALGO_ECDH_SHA256, BODY_VERSION_2,
	  SEV_RET_INVALID_CERTIFICATE },
	{ "usage-unknown", SEV_USAGE_PDH, SEV_ALGO_ECDH_SHA256,
	  BODY_USAGE_UNKNOWN, SEV_RET_INVALID_CERTIFICATE },
	{ "usage-ark", SEV_USAGE_PDH, SEV_ALGO_ECDH_SHA256, BODY_USAGE_ARK,
	  SEV_RET_INVALID_CERTIFICATE },
	{ "pdh-with-ecdsa", SEV_USAGE_PDH, SEV_ALGO_ECDH_SHA256,
	  BODY_ALGO_FOR_SIGNING, SEV_RET_INVALID_CERTIFICATE },
	{ "pdh-with-sha384", SEV_USAGE_PDH, SEV_ALGO_ECDH_SHA256,
	  BODY_ALGO_SHA384, SEV_RET_INVALID_CERTIFICATE },
	{ "curve-p256", SEV_USAGE_PDH, SEV_ALGO_ECDH_SHA256, BODY_CURVE_P256,
	  SEV_RET_INVALID_CERTIFICATE },
	{ "point-off-curve", SEV_USAGE_PDH, SEV_ALGO_ECDH_SHA256,
	  BODY_QY_BIT_FLIPPED, SEV_RET_INVALID_CERTIFICATE },
	{ "qx-high-byte", SEV_USAGE_PDH, SEV_ALGO_ECDH_SHA256,
	  BODY_QX_HIGH_BYTE, SEV_RET_INVALID_CERTIFICATE },
	{ "zero-point", SEV_USAGE_PDH, SEV_ALGO_ECDH_SHA256, BODY_ZERO_POINT,
	  SEV_RET_INVALID_CERTIFICATE },
};

static void body_case_desc(const struct body_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(body, body_cases, body_case_desc);

static void mutate_body(struct sev_cert *cert, enum body_mutation mut)
{
	switch (mut) {
	case BODY_NONE:
		break;
	case BODY_VERSION_2:
		cert->version = cpu_to_le32(2);
		break;
	case BODY_USAGE_UNKNOWN:
		cert->pub_usage = cpu_to_le32(0x1005);
		break;
	case BODY_USAGE_ARK:
		cert->pub_usage = cpu_to_le32(SEV_USAGE_ARK);
		break;
	case BODY_ALGO_FOR_SIGNING:
		cert->pub_algo = cpu_to_le32(SEV_ALGO_ECDSA_SHA256);
		break;
	case BODY_ALGO_SHA384:
		cert->pub_algo = cpu_to_le32(SEV_ALGO_ECDH_SHA384);
		break;
	case BODY_CURVE_P256:
		cert->pubkey.ecc.curve = cpu_to_le32(1);
		break;
	case BODY_QY_BIT_FLIPPED:
		cert->pubkey.ecc.qy[0] ^= 1;
		break;
	case BODY_QX_HIGH_BYTE:
		cert->pubkey.ecc.qx[SEV_ECC_COORD_BYTES - 1] = 1;
		break;
	case BODY_ZERO_POINT:
		memset(cert->pubkey.ecc.qx, 0, SEV_ECC_COORD_BYTES);
		memset(cert->pubkey.ecc.qy, 0, SEV_ECC_COORD_BYTES);
		break;
	}
}

static void sevfw_cert_pubkey_test(struct kunit *test)
{
	const struct body_case *c = test->param_value;
	struct sev_cert *cert = alloc_cert(test);
	struct sevfw_ecc_pub pub;

	sevfw_cert_init(cert, API_MAJOR, API_MINOR, c->usage, c->algo, &pub_b);
	mutate_body(cert, c->mut);
	KUNIT_ASSERT_EQ(test, sevfw_cert_pubkey(cert, &pub), c->status);
	if (c->status == SEV_RET_SUCCESS)
		expect_bytes(test, (u8 *)&pub, (u8 *)&pub_b, sizeof(pub),
			     "extracted key");
}

/*
 * A bad body under a valid signature gives INVALID_CERTIFICATE; the same
 * body with a broken signature gives BAD_SIGNATURE (signature first).
 */
static void sevfw_cert_verify_body_test(struct kunit *test)
{
	const struct body_case *c = test->param_value;
	struct sev_cert *cert = alloc_cert(test);
	struct sev_cert *signer;

	signer = signer_cert(test, SEV_USAGE_PEK, SEV_ALGO_ECDSA_SHA256,
			     &key_a.pub);
	sevfw_cert_init(cert, API_MAJOR, API_MINOR, c->usage, c->algo, &pub_b);
	mutate_body(cert, c->mut);
	KUNIT_ASSERT_EQ(test, sevfw_cert_sign(cert, &key_a, SEV_USAGE_PEK), 0);
	KUNIT_EXPECT_EQ(test, sevfw_cert_verify(cert, signer), c->status);

	cert->sig[0].data[0] ^= 1;
	KUNIT_EXPECT_EQ(test, sevfw_cert_verify(cert, signer),
			SEV_RET_BAD_SIGNATURE);
}

/* ---- signing ---- */

/* Our signature of the KAT body verifies with OpenSSL's key A over the
 * digest OpenSSL computed, and lands in the slots in order
 */
static void sevfw_cert_sign_test(struct kunit *test)
{
	struct sev_cert *cert = alloc_cert(test);
	struct sev_cert *oca = signer_cert(test, SEV_USAGE_OCA,
					   SEV_ALGO_ECDSA_SHA256, &key_a.pub);
	struct sev_cert *cek = signer_cert(test, SEV_USAGE_CEK,
					   SEV_ALGO_ECDSA_SHA256, &key_c.pub);
	struct sevfw_ecdsa_sig sig;
	size_t i;

	sevfw_cert_init(cert, API_MAJOR, API_MINOR, SEV_USAGE_PDH,
			SEV_ALGO_ECDH_SHA256, &pub_b);
	KUNIT_ASSERT_EQ(test, sevfw_cert_sign(cert, &key_a, SEV_USAGE_OCA), 0);

	KUNIT_EXPECT_EQ(test, le32_to_cpu(cert->sig[0].usage), SEV_USAGE_OCA);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(cert->sig[0].algo),
			SEV_ALGO_ECDSA_SHA256);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(cert->sig[1].usage),
			SEV_USAGE_INVALID);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(cert->sig[1].algo), SEV_ALGO_INVALID);

	/* r and s little-endian, zero above 48 bytes and after s */
	for (i = 0; i < SEVFW_P384_BYTES; i++) {
		sig.r[i] = cert->sig[0].data[SEVFW_P384_BYTES - 1 - i];
		sig.s[i] = cert->sig[0].data[SEV_ECC_COORD_BYTES +
					     SEVFW_P384_BYTES - 1 - i];
	}
	for (i = SEVFW_P384_BYTES; i < sizeof(cert->sig[0].data); i++) {
		if (i >= SEV_ECC_COORD_BYTES &&
		    i < SEV_ECC_COORD_BYTES + SEVFW_P384_BYTES)
			continue;
		KUNIT_EXPECT_EQ_MSG(test, cert->sig[0].data[i], 0,
				    "slot byte %#zx", i);
		if (cert->sig[0].data[i])
			break;
	}
	KUNIT_EXPECT_EQ(test, sevfw_ecdsa_verify_digest(&key_a.pub, body_sha256,
							sizeof(body_sha256),
							&sig), 0);

	KUNIT_EXPECT_EQ(test, sevfw_cert_verify(cert, oca), SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, sevfw_cert_verify(cert, cek),
			SEV_RET_BAD_SIGNATURE);

	/* the second signature goes to slot 2; then there is no room */
	KUNIT_ASSERT_EQ(test, sevfw_cert_sign(cert, &key_c, SEV_USAGE_CEK), 0);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(cert->sig[1].usage), SEV_USAGE_CEK);
	KUNIT_EXPECT_EQ(test, sevfw_cert_verify(cert, oca), SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, sevfw_cert_verify(cert, cek), SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, sevfw_cert_sign(cert, &key_a, SEV_USAGE_PEK),
			-ENOSPC);
}

/* A self-signed OCA, as the firmware makes it */
static void sevfw_cert_self_signed_test(struct kunit *test)
{
	struct sev_cert *oca = signer_cert(test, SEV_USAGE_OCA,
					   SEV_ALGO_ECDSA_SHA256, &key_a.pub);

	KUNIT_ASSERT_EQ(test, sevfw_cert_sign(oca, &key_a, SEV_USAGE_OCA), 0);
	KUNIT_EXPECT_EQ(test, sevfw_cert_verify(oca, oca), SEV_RET_SUCCESS);
}

static struct kunit_case sevfw_cert_test_cases[] = {
	KUNIT_CASE(sevfw_cert_init_layout_test),
	KUNIT_CASE_PARAM(sevfw_cert_verify_test, verify_gen_params),
	KUNIT_CASE_PARAM(sevfw_cert_pubkey_test, body_gen_params),
	KUNIT_CASE_PARAM(sevfw_cert_verify_body_test, body_gen_params),
	KUNIT_CASE(sevfw_cert_sign_test),
	KUNIT_CASE(sevfw_cert_self_signed_test),
	{}
};

static struct kunit_suite sevfw_cert_test_suite = {
	.name = "sevfw-cert",
	.test_cases = sevfw_cert_test_cases,
};

kunit_test_suite(sevfw_cert_test_suite);

MODULE_LICENSE("GPL");
