// SPDX-License-Identifier: GPL-2.0-only
/*
 * Parse and verify AMD root (ARK) and SEV signing key (ASK) certificates:
 * a 0x40-byte header, then exponent, modulus and RSA-PSS signature, all
 * little-endian.
 */

#include <string.h>
#include <openssl/evp.h>

#include "amdcert.h"
#include "sevkey.h"

#define OFF_VERSION	0x00
#define OFF_KEY_ID	0x04
#define OFF_CERT_ID	0x14
#define OFF_USAGE	0x24
#define OFF_PUBEXP_BITS	0x38
#define OFF_MOD_BITS	0x3c
#define OFF_PUBEXP	0x40

static size_t off_modulus(const struct amd_cert *c)
{
	return OFF_PUBEXP + c->pubexp_bits / 8;
}

static size_t off_sig(const struct amd_cert *c)
{
	return off_modulus(c) + c->modulus_bits / 8;
}

int amd_cert_parse(struct amd_cert *c, const u8 *buf, size_t len,
		   size_t *used)
{
	size_t size;

	memset(c, 0, sizeof(*c));
	if (len < AMD_CERT_HDR_SIZE)
		return sev_err(SEV_ERR_FORMAT,
			       "truncated AMD certificate: %zu bytes, the header alone has %d",
			       len, AMD_CERT_HDR_SIZE);
	c->version = sev_get_le32(buf + OFF_VERSION);
	memcpy(c->key_id, buf + OFF_KEY_ID, AMD_CERT_ID_LEN);
	memcpy(c->certifying_id, buf + OFF_CERT_ID, AMD_CERT_ID_LEN);
	c->usage = sev_get_le32(buf + OFF_USAGE);
	c->pubexp_bits = sev_get_le32(buf + OFF_PUBEXP_BITS);
	c->modulus_bits = sev_get_le32(buf + OFF_MOD_BITS);
	if (c->version != 1)
		return sev_err(SEV_ERR_FORMAT,
			       "unsupported AMD certificate version %u (expected 1)",
			       c->version);
	if (c->usage != AMD_USAGE_ARK && c->usage != AMD_USAGE_ASK)
		return sev_err(SEV_ERR_FORMAT,
			       "wrong key usage %#x in AMD certificate (expected ARK 0x0 or ASK 0x13)",
			       c->usage);
	if (c->modulus_bits != 2048 && c->modulus_bits != 4096)
		return sev_err(SEV_ERR_FORMAT,
			       "unsupported AMD certificate modulus size %u bits",
			       c->modulus_bits);
	if (c->pubexp_bits != 2048 && c->pubexp_bits != 4096)
		return sev_err(SEV_ERR_FORMAT,
			       "unsupported AMD certificate exponent size %u bits",
			       c->pubexp_bits);
	size = off_sig(c) + c->modulus_bits / 8;
	if (len < size)
		return sev_err(SEV_ERR_FORMAT,
			       "truncated AMD certificate: %zu bytes, expected %zu",
			       len, size);
	if (!used && len > size)
		return sev_err(SEV_ERR_FORMAT,
			       "oversized AMD certificate: %zu bytes, expected %zu",
			       len, size);
	memcpy(c->raw, buf, size);
	c->size = size;
	if (used)
		*used = size;
	return SEV_OK;
}

int amd_cert_parse_ask_ark(struct amd_cert *ask, struct amd_cert *ark,
			   const u8 *buf, size_t len)
{
	size_t used;
	int ret;

	ret = amd_cert_parse(ask, buf, len, &used);
	if (ret)
		return ret;
	ret = amd_cert_parse(ark, buf + used, len - used, NULL);
	if (ret)
		return ret;
	if (ask->usage != AMD_USAGE_ASK || ark->usage != AMD_USAGE_ARK)
		return sev_err(SEV_ERR_FORMAT,
			       "wrong key usage: an ask_ark file holds the ASK (0x13) then the ARK (0x0), found %#x then %#x",
			       ask->usage, ark->usage);
	return SEV_OK;
}

int amd_cert_pubkey(const struct amd_cert *c, EVP_PKEY **key)
{
	return sev_rsa_pub_from_le(c->raw + off_modulus(c),
				   c->modulus_bits / 8, c->raw + OFF_PUBEXP,
				   c->pubexp_bits / 8, key);
}

int amd_cert_verify(const struct amd_cert *c, const struct amd_cert *signer)
{
	const EVP_MD *md;
	EVP_PKEY *key;
	int ret;

	if (memcmp(c->certifying_id, signer->key_id, AMD_CERT_ID_LEN))
		return sev_err(SEV_ERR_VERIFY,
			       "%s certificate: certifying id does not match the signer's key id",
			       c->usage == AMD_USAGE_ARK ? "ARK" : "ASK");
	if (c->modulus_bits != signer->modulus_bits)
		return sev_err(SEV_ERR_VERIFY,
			       "signature size %u does not match the signer's key size %u",
			       c->modulus_bits, signer->modulus_bits);
	/* Naples (2048-bit keys) used SHA-256, later parts SHA-384 */
	md = signer->modulus_bits == 4096 ? EVP_sha384() : EVP_sha256();
	ret = amd_cert_pubkey(signer, &key);
	if (ret)
		return ret;
	ret = sev_rsa_pss_verify(key, md, c->raw, off_sig(c),
				 c->raw + off_sig(c), c->modulus_bits / 8);
	EVP_PKEY_free(key);
	if (ret == SEV_ERR_VERIFY)
		return sev_err(ret,
			       "bad signature: %s certificate is not signed by this %s",
			       c->usage == AMD_USAGE_ARK ? "ARK" : "ASK",
			       signer->usage == AMD_USAGE_ARK ? "ARK" : "ASK");
	return ret;
}

int amd_cert_key_digest(const struct amd_cert *c, u8 out[32])
{
	unsigned int len = 32;

	if (!EVP_Digest(c->raw + OFF_PUBEXP, off_sig(c) - OFF_PUBEXP, out,
			&len, EVP_sha256(), NULL))
		return sev_err(SEV_ERR_CRYPTO, "SHA-256 failed");
	return SEV_OK;
}

static void print_id(FILE *f, const char *label, const u8 *id,
		     const char *indent)
{
	int i;

	fprintf(f, "%s%s", indent, label);
	for (i = 0; i < AMD_CERT_ID_LEN; i++)
		fprintf(f, "%02x", id[i]);
	fputc('\n', f);
}

void amd_cert_print(FILE *f, const struct amd_cert *c, const char *indent)
{
	u8 dgst[32];
	int i;

	fprintf(f, "%sAMD certificate: %s (usage %#x), %zu bytes\n", indent,
		c->usage == AMD_USAGE_ARK ? "ARK" : "ASK", c->usage, c->size);
	fprintf(f, "%s  version %u, RSA %u-bit modulus, %u-bit exponent field\n",
		indent, c->version, c->modulus_bits, c->pubexp_bits);
	print_id(f, "  key id        ", c->key_id, indent);
	print_id(f, "  certifying id ", c->certifying_id, indent);
	if (!amd_cert_key_digest(c, dgst)) {
		fprintf(f, "%s  key SHA-256   ", indent);
		for (i = 0; i < 32; i++)
			fprintf(f, "%02x", dgst[i]);
		fputc('\n', f);
	}
}
