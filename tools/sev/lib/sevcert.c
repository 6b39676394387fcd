// SPDX-License-Identifier: GPL-2.0-only
/*
 * Parse, build, sign and verify SEV certificates (0x824 bytes, all numbers
 * little-endian).
 */

#include <string.h>
#include <openssl/evp.h>

#include "amdcert.h"
#include "sevcert.h"
#include "sevkey.h"

#define OFF_VERSION	0x000
#define OFF_API_MAJOR	0x004
#define OFF_API_MINOR	0x005
#define OFF_USAGE	0x008
#define OFF_ALGO	0x00c
#define OFF_PUBKEY	0x010
#define OFF_CURVE	(OFF_PUBKEY + 0x00)
#define OFF_QX		(OFF_PUBKEY + 0x04)
#define OFF_QY		(OFF_PUBKEY + 0x4c)
#define OFF_EC_RSVD	(OFF_PUBKEY + 0x94)
#define PUBKEY_SIZE	0x404
#define OFF_SIG(n)	(0x414 + (n) * SIG_SLOT_SIZE)
#define SIG_SLOT_SIZE	0x208
#define SIG_USAGE	0x000
#define SIG_ALGO	0x004
#define SIG_DATA	0x008
#define SIG_DATA_SIZE	0x200
#define SIG_ECDSA_R	0x00
#define SIG_ECDSA_S	0x48
#define SIG_ECDSA_RSVD	0x90

static const struct {
	u32 code;
	const char *name;
} usages[] = {
	{ SEV_USAGE_ARK, "ARK" }, { SEV_USAGE_ASK, "ASK" },
	{ SEV_USAGE_INVALID, "none" }, { SEV_USAGE_OCA, "OCA" },
	{ SEV_USAGE_PEK, "PEK" }, { SEV_USAGE_PDH, "PDH" },
	{ SEV_USAGE_CEK, "CEK" },
}, algos[] = {
	{ SEV_ALGO_INVALID, "none" },
	{ SEV_ALGO_RSA_SHA256, "RSA-SHA256" },
	{ SEV_ALGO_ECDSA_SHA256, "ECDSA-SHA256" },
	{ SEV_ALGO_ECDH_SHA256, "ECDH-SHA256" },
	{ SEV_ALGO_RSA_SHA384, "RSA-SHA384" },
	{ SEV_ALGO_ECDSA_SHA384, "ECDSA-SHA384" },
	{ SEV_ALGO_ECDH_SHA384, "ECDH-SHA384" },
};

const char *sev_usage_name(u32 usage)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(usages); i++)
		if (usages[i].code == usage)
			return usages[i].name;
	return "unknown";
}

const char *sev_algo_name(u32 algo)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(algos); i++)
		if (algos[i].code == algo)
			return algos[i].name;
	return "unknown";
}

static bool algo_is_ecdsa(u32 algo)
{
	return algo == SEV_ALGO_ECDSA_SHA256 || algo == SEV_ALGO_ECDSA_SHA384;
}

static bool algo_is_ecdh(u32 algo)
{
	return algo == SEV_ALGO_ECDH_SHA256 || algo == SEV_ALGO_ECDH_SHA384;
}

static bool algo_is_rsa(u32 algo)
{
	return algo == SEV_ALGO_RSA_SHA256 || algo == SEV_ALGO_RSA_SHA384;
}

static const EVP_MD *algo_md(u32 algo)
{
	return (algo & 0x100) ? EVP_sha384() : EVP_sha256();
}

/* Usages that may appear in a signature slot */
static bool sig_usage_valid(u32 usage)
{
	return usage == SEV_USAGE_ARK || usage == SEV_USAGE_ASK ||
	       usage == SEV_USAGE_OCA || usage == SEV_USAGE_PEK ||
	       usage == SEV_USAGE_CEK;
}

static int parse_slot(struct sev_cert *c, int n)
{
	const u8 *s = c->raw + OFF_SIG(n);
	u32 usage = sev_get_le32(s + SIG_USAGE);
	u32 algo = sev_get_le32(s + SIG_ALGO);
	bool no_usage = usage == SEV_USAGE_INVALID;
	bool no_algo = algo == SEV_ALGO_INVALID;

	c->sig[n].usage = usage;
	c->sig[n].algo = algo;
	if (no_usage && no_algo)
		return SEV_OK;
	if (no_usage || no_algo)
		return sev_err(SEV_ERR_FORMAT,
			       "malformed signature slot %d: usage %#x with algorithm %#x",
			       n + 1, usage, algo);
	if (!sig_usage_valid(usage))
		return sev_err(SEV_ERR_FORMAT,
			       "wrong key usage %#x in signature slot %d",
			       usage, n + 1);
	if (!algo_is_ecdsa(algo) && !algo_is_rsa(algo))
		return sev_err(SEV_ERR_FORMAT,
			       "unknown signature algorithm %#x in slot %d",
			       algo, n + 1);
	return SEV_OK;
}

int sev_cert_parse(struct sev_cert *c, const u8 *buf, size_t len)
{
	EVP_PKEY *key;
	int ret, i;

	memset(c, 0, sizeof(*c));
	if (len < SEV_CERT_SIZE)
		return sev_err(SEV_ERR_FORMAT,
			       "truncated certificate: %zu bytes, a SEV certificate has %d",
			       len, SEV_CERT_SIZE);
	if (len > SEV_CERT_SIZE)
		return sev_err(SEV_ERR_FORMAT,
			       "oversized certificate: %zu bytes, a SEV certificate has %d",
			       len, SEV_CERT_SIZE);
	memcpy(c->raw, buf, SEV_CERT_SIZE);
	c->version = sev_get_le32(buf + OFF_VERSION);
	c->api_major = buf[OFF_API_MAJOR];
	c->api_minor = buf[OFF_API_MINOR];
	c->usage = sev_get_le32(buf + OFF_USAGE);
	c->algo = sev_get_le32(buf + OFF_ALGO);
	c->curve = sev_get_le32(buf + OFF_CURVE);
	if (c->version != 1)
		return sev_err(SEV_ERR_FORMAT,
			       "unsupported certificate version %u (expected 1)",
			       c->version);
	switch (c->usage) {
	case SEV_USAGE_OCA:
	case SEV_USAGE_PEK:
	case SEV_USAGE_CEK:
		if (!algo_is_ecdsa(c->algo))
			return sev_err(SEV_ERR_FORMAT,
				       "wrong key algorithm %#x for a %s key (expected ECDSA)",
				       c->algo, sev_usage_name(c->usage));
		break;
	case SEV_USAGE_PDH:
		if (!algo_is_ecdh(c->algo))
			return sev_err(SEV_ERR_FORMAT,
				       "wrong key algorithm %#x for a PDH key (expected ECDH)",
				       c->algo);
		break;
	default:
		return sev_err(SEV_ERR_FORMAT,
			       "wrong key usage %#x (not OCA, PEK, PDH or CEK)",
			       c->usage);
	}
	if (c->curve != SEV_CURVE_P384)
		return sev_err(SEV_ERR_FORMAT,
			       "unsupported curve %u (only P-384, id 2)",
			       c->curve);
	if (!sev_is_zero(buf + OFF_QX + SEV_P384_LEN,
			 SEV_ECC_FIELD - SEV_P384_LEN) ||
	    !sev_is_zero(buf + OFF_QY + SEV_P384_LEN,
			 SEV_ECC_FIELD - SEV_P384_LEN))
		return sev_err(SEV_ERR_FORMAT,
			       "malformed public key: coordinate wider than 48 bytes");
	for (i = 0; i < 2; i++) {
		ret = parse_slot(c, i);
		if (ret)
			return ret;
	}
	ret = sev_cert_pubkey(c, &key);
	if (ret)
		return ret;
	EVP_PKEY_free(key);
	return SEV_OK;
}

int sev_cert_expect_usage(const struct sev_cert *c, u32 usage,
			  const char *what)
{
	if (c->usage != usage)
		return sev_err(SEV_ERR_FORMAT,
			       "%s: wrong key usage %s (%#x), expected %s (%#x)",
			       what, sev_usage_name(c->usage), c->usage,
			       sev_usage_name(usage), usage);
	return SEV_OK;
}

int sev_cert_pubkey(const struct sev_cert *c, EVP_PKEY **key)
{
	return sev_ec_pub_from_le(c->raw + OFF_QX, c->raw + OFF_QY, key);
}

int sev_cert_init(struct sev_cert *c, u8 api_major, u8 api_minor, u32 usage,
		  u32 algo, EVP_PKEY *key)
{
	u8 tmp[SEV_CERT_SIZE];
	int ret;

	memset(c, 0, sizeof(*c));
	sev_put_le32(c->raw + OFF_VERSION, 1);
	c->raw[OFF_API_MAJOR] = api_major;
	c->raw[OFF_API_MINOR] = api_minor;
	sev_put_le32(c->raw + OFF_USAGE, usage);
	sev_put_le32(c->raw + OFF_ALGO, algo);
	sev_put_le32(c->raw + OFF_CURVE, SEV_CURVE_P384);
	ret = sev_ec_pub_to_le(key, c->raw + OFF_QX, c->raw + OFF_QY);
	if (ret)
		return ret;
	sev_put_le32(c->raw + OFF_SIG(0) + SIG_USAGE, SEV_USAGE_INVALID);
	sev_put_le32(c->raw + OFF_SIG(1) + SIG_USAGE, SEV_USAGE_INVALID);
	memcpy(tmp, c->raw, sizeof(tmp));
	return sev_cert_parse(c, tmp, sizeof(tmp));
}

int sev_cert_sign(struct sev_cert *c, int slot,
		  const struct sev_cert *signer_cert, EVP_PKEY *signer)
{
	u8 *s = c->raw + OFF_SIG(slot);
	EVP_PKEY *pub;
	u8 tmp[SEV_CERT_SIZE];
	int ret;

	if (slot < 0 || slot > 1)
		return sev_err(SEV_ERR_ARG, "bad signature slot %d", slot);
	if (!algo_is_ecdsa(signer_cert->algo))
		return sev_err(SEV_ERR_ARG, "the signer is not an ECDSA key");
	/* the private key must belong to the signer's certificate */
	ret = sev_cert_pubkey(signer_cert, &pub);
	if (ret)
		return ret;
	ret = EVP_PKEY_eq(pub, signer) == 1 ? SEV_OK :
		sev_err(SEV_ERR_ARG,
			"the private key does not match the signer's certificate");
	EVP_PKEY_free(pub);
	if (ret)
		return ret;
	memset(s, 0, SIG_SLOT_SIZE);
	sev_put_le32(s + SIG_USAGE, signer_cert->usage);
	sev_put_le32(s + SIG_ALGO, signer_cert->algo);
	ret = sev_ecdsa_sign(signer, algo_md(signer_cert->algo), c->raw,
			     SEV_CERT_SIGNED_LEN, s + SIG_DATA + SIG_ECDSA_R,
			     s + SIG_DATA + SIG_ECDSA_S);
	if (ret)
		return ret;
	memcpy(tmp, c->raw, sizeof(tmp));
	return sev_cert_parse(c, tmp, sizeof(tmp));
}

/*
 * Try every slot whose (usage, algo) is acceptable for the signer. A slot
 * counts only if it names the signer; one good signature is enough.
 */
static int verify_slots(const struct sev_cert *c, u32 usage,
			bool (*algo_ok)(u32 slot_algo, u32 want), u32 want,
			EVP_PKEY *key, const char *signer)
{
	int i, found = 0, ret = SEV_ERR_VERIFY;

	for (i = 0; i < 2; i++) {
		const u8 *data = c->raw + OFF_SIG(i) + SIG_DATA;
		u32 algo = c->sig[i].algo;

		if (c->sig[i].usage != usage || !algo_ok(algo, want))
			continue;
		found++;
		if (algo_is_ecdsa(algo)) {
			if (!sev_is_zero(data + SIG_ECDSA_RSVD,
					 SIG_DATA_SIZE - SIG_ECDSA_RSVD))
				continue;
			ret = sev_ecdsa_verify(key, algo_md(algo), c->raw,
					       SEV_CERT_SIGNED_LEN,
					       data + SIG_ECDSA_R,
					       data + SIG_ECDSA_S);
		} else {
			ret = sev_rsa_pss_verify(key, algo_md(algo), c->raw,
						 SEV_CERT_SIGNED_LEN, data,
						 SIG_DATA_SIZE);
		}
		if (!ret)
			return SEV_OK;
		if (ret != SEV_ERR_VERIFY && ret != SEV_ERR_FORMAT)
			return ret;
	}
	if (!found)
		return sev_err(SEV_ERR_VERIFY,
			       "%s certificate has no signature slot for %s (usage %#x)",
			       sev_usage_name(c->usage), signer, usage);
	return sev_err(SEV_ERR_VERIFY,
		       "bad signature: %s certificate is not signed by this %s",
		       sev_usage_name(c->usage), signer);
}

static bool algo_equal(u32 slot_algo, u32 want)
{
	return slot_algo == want;
}

static bool algo_rsa(u32 slot_algo, u32 want)
{
	(void)want;
	return algo_is_rsa(slot_algo);
}

int sev_cert_verify(const struct sev_cert *c, const struct sev_cert *signer)
{
	EVP_PKEY *key;
	int ret;

	if (!algo_is_ecdsa(signer->algo))
		return sev_err(SEV_ERR_VERIFY,
			       "a %s key (%s) cannot sign certificates",
			       sev_usage_name(signer->usage),
			       sev_algo_name(signer->algo));
	ret = sev_cert_pubkey(signer, &key);
	if (ret)
		return ret;
	ret = verify_slots(c, signer->usage, algo_equal, signer->algo, key,
			   sev_usage_name(signer->usage));
	EVP_PKEY_free(key);
	return ret;
}

int sev_cert_verify_ask(const struct sev_cert *c, const struct amd_cert *ask)
{
	EVP_PKEY *key;
	int ret;

	if (ask->usage != AMD_USAGE_ASK)
		return sev_err(SEV_ERR_VERIFY,
			       "the signer is not an ASK (usage %#x)",
			       ask->usage);
	ret = amd_cert_pubkey(ask, &key);
	if (ret)
		return ret;
	ret = verify_slots(c, SEV_USAGE_ASK, algo_rsa, 0, key, "ASK");
	EVP_PKEY_free(key);
	return ret;
}

bool sev_cert_same_key(const struct sev_cert *a, const struct sev_cert *b)
{
	return a->usage == b->usage && a->algo == b->algo &&
	       !memcmp(a->raw + OFF_PUBKEY, b->raw + OFF_PUBKEY, PUBKEY_SIZE);
}

static void print_le_hex(FILE *f, const char *label, const u8 *le,
			 size_t len, const char *indent)
{
	size_t i;

	fprintf(f, "%s%s", indent, label);
	for (i = len; i-- > 0;)
		fprintf(f, "%02x", le[i]);
	fputc('\n', f);
}

void sev_cert_print(FILE *f, const struct sev_cert *c, const char *indent)
{
	int i;

	fprintf(f, "%sSEV certificate: %s key (usage %#x), %s (algo %#x)\n",
		indent, sev_usage_name(c->usage), c->usage,
		sev_algo_name(c->algo), c->algo);
	fprintf(f, "%s  version %u, API %u.%u, curve %u (P-384)\n", indent,
		c->version, c->api_major, c->api_minor, c->curve);
	print_le_hex(f, "  Qx ", c->raw + OFF_QX, SEV_P384_LEN, indent);
	print_le_hex(f, "  Qy ", c->raw + OFF_QY, SEV_P384_LEN, indent);
	for (i = 0; i < 2; i++) {
		if (c->sig[i].usage == SEV_USAGE_INVALID)
			fprintf(f, "%s  signature %d: empty\n", indent, i + 1);
		else
			fprintf(f, "%s  signature %d: by %s (usage %#x), %s (algo %#x)\n",
				indent, i + 1,
				sev_usage_name(c->sig[i].usage),
				c->sig[i].usage,
				sev_algo_name(c->sig[i].algo), c->sig[i].algo);
	}
}
