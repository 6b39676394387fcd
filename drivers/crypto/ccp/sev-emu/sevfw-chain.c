// SPDX-License-Identifier: GPL-2.0-only
/*
 * Validation of a migration target's certificates in SEND_START (facts
 * §3.1 SEND_START, §7, §8.3): for a guest with POLICY.SEV the chain
 * ARK -> ASK -> CEK -> PEK -> PDH, with the ARK pinned to the built-in
 * test ARK (sevfw-testroots.c); for POLICY.DOMAIN the chain
 * OCA -> PEK -> PDH and an OCA identical to this platform's.
 */

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/psp-sev.h>
#include <linux/string.h>
#include <asm/unaligned.h>

#include "sevfw-internal.h"
#include "sevfw-guest.h"
#include "sevfw-testroots.h"

#define AMD_CERT_HDR_LEN	0x40
#define AMD_CERT_ID_LEN		16
#define AMD_USAGE_ARK		0x00
#define AMD_USAGE_ASK		0x13

/**
 * struct sevfw_amd_cert - a parsed AMD certificate (ARK or ASK)
 * @raw: first byte
 * @len: its total length
 * @usage: KEY_USAGE
 * @key_id: KEY_ID
 * @cert_id: CERTIFYING_ID
 * @exp: public exponent, little-endian
 * @exp_len: its length in bytes
 * @mod: modulus, little-endian
 * @mod_len: its length in bytes
 * @sig: the signature, little-endian, @mod_len bytes
 * @signed_len: bytes the signature covers (header, exponent, modulus)
 */
struct sevfw_amd_cert {
	const u8 *raw;
	size_t len;
	u32 usage;
	const u8 *key_id;
	const u8 *cert_id;
	const u8 *exp;
	u32 exp_len;
	const u8 *mod;
	u32 mod_len;
	const u8 *sig;
	size_t signed_len;
};

static bool sevfw_amd_key_bits_valid(u32 bits)
{
	return bits == 2048 || bits == 4096;
}

static u32 sevfw_le32_at(const u8 *p)
{
	return get_unaligned_le32(p);
}

static u16 sevfw_amd_cert_parse(const u8 *p, size_t avail,
				struct sevfw_amd_cert *c)
{
	u32 exp_bits, mod_bits;

	if (avail < AMD_CERT_HDR_LEN || sevfw_le32_at(p) != 1)
		return SEV_RET_INVALID_CERTIFICATE;
	exp_bits = sevfw_le32_at(p + 0x38);
	mod_bits = sevfw_le32_at(p + 0x3c);
	if (!sevfw_amd_key_bits_valid(exp_bits) ||
	    !sevfw_amd_key_bits_valid(mod_bits))
		return SEV_RET_INVALID_CERTIFICATE;
	c->raw = p;
	c->exp_len = exp_bits / 8;
	c->mod_len = mod_bits / 8;
	c->signed_len = AMD_CERT_HDR_LEN + c->exp_len + c->mod_len;
	c->len = c->signed_len + c->mod_len;
	if (c->len > avail)
		return SEV_RET_INVALID_CERTIFICATE;
	c->key_id = p + 0x04;
	c->cert_id = p + 0x14;
	c->usage = sevfw_le32_at(p + 0x24);
	c->exp = p + AMD_CERT_HDR_LEN;
	c->mod = c->exp + c->exp_len;
	c->sig = c->mod + c->mod_len;
	return SEV_RET_SUCCESS;
}

/* RSA-PSS with SHA-384 for 4096-bit signers (Rome on), SHA-256 for 2048 */
static const char *sevfw_amd_hash(const struct sevfw_amd_cert *signer)
{
	return signer->mod_len == 512 ? "sha384" : "sha256";
}

static u16 sevfw_amd_verify(const struct sevfw_amd_cert *c,
			    const struct sevfw_amd_cert *signer)
{
	int ret;

	if (c->mod_len != signer->mod_len)
		return SEV_RET_BAD_SIGNATURE;
	ret = sevfw_rsa_pss_verify(signer->mod, signer->mod_len, signer->exp,
				   signer->exp_len, c->sig,
				   sevfw_amd_hash(signer), c->raw,
				   c->signed_len);
	if (ret == -EBADMSG || ret == -EINVAL)
		return SEV_RET_BAD_SIGNATURE;
	return ret ? SEV_RET_HWSEV_RET_UNSAFE : SEV_RET_SUCCESS;
}

/* The ARK must be the pinned one (key id and public key), self-signed */
static u16 sevfw_amd_check_ark(const struct sevfw_amd_cert *ark)
{
	const u8 *pin_raw = sevfw_test_ask_ark;
	struct sevfw_amd_cert ask_pin, pin;

	if (ark->usage != AMD_USAGE_ARK ||
	    memcmp(ark->key_id, ark->cert_id, AMD_CERT_ID_LEN))
		return SEV_RET_INVALID_CERTIFICATE;
	/* the pinned ARK follows the ASK in the built-in ask_ark blob */
	if (sevfw_amd_cert_parse(pin_raw, sevfw_test_ask_ark_len, &ask_pin) ||
	    sevfw_amd_cert_parse(pin_raw + ask_pin.len,
				 sevfw_test_ask_ark_len - ask_pin.len, &pin))
		return SEV_RET_HWSEV_RET_UNSAFE;
	if (memcmp(ark->key_id, pin.key_id, AMD_CERT_ID_LEN) ||
	    ark->exp_len != pin.exp_len || ark->mod_len != pin.mod_len ||
	    memcmp(ark->exp, pin.exp, pin.exp_len) ||
	    memcmp(ark->mod, pin.mod, pin.mod_len))
		return SEV_RET_INVALID_CERTIFICATE;
	return sevfw_amd_verify(ark, ark);
}

/**
 * sevfw_chain_amd_len_valid - is a length an ASK + ARK pair's
 * @len: AMD_CERTS_LEN
 *
 * Return: true for the four 2048/4096-bit combinations.
 */
bool sevfw_chain_amd_len_valid(u32 len)
{
	return len == 0x680 || len == 0x980 || len == 0xC80;
}

/* The ASK's signature slot on the CEK: usage ASK, algo RSA_SHA384 */
static u16 sevfw_chain_check_cek(const struct sev_cert *cek,
				 const struct sevfw_amd_cert *ask)
{
	const struct sev_cert_sig *slot = NULL;
	struct sevfw_ecc_pub pub;
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(cek->sig); i++) {
		u32 usage = le32_to_cpu(cek->sig[i].usage);
		u32 algo = le32_to_cpu(cek->sig[i].algo);
		bool no_usage = usage == SEV_USAGE_INVALID;
		bool no_algo = algo == SEV_ALGO_INVALID;

		if (no_usage != no_algo)
			return SEV_RET_BAD_SIGNATURE;
		if (!slot && usage == SEV_USAGE_ASK &&
		    algo == SEV_ALGO_RSA_SHA384)
			slot = &cek->sig[i];
	}
	if (!slot || ask->mod_len > sizeof(slot->data))
		return SEV_RET_BAD_SIGNATURE;
	ret = sevfw_rsa_pss_verify(ask->mod, ask->mod_len, ask->exp,
				   ask->exp_len, slot->data, "sha384",
				   (const u8 *)cek, SEV_CERT_SIGNED_LEN);
	if (ret == -EBADMSG || ret == -EINVAL)
		return SEV_RET_BAD_SIGNATURE;
	if (ret)
		return SEV_RET_HWSEV_RET_UNSAFE;
	if (sevfw_cert_pubkey(cek, &pub) != SEV_RET_SUCCESS ||
	    le32_to_cpu(cek->pub_usage) != SEV_USAGE_CEK)
		return SEV_RET_INVALID_CERTIFICATE;
	return SEV_RET_SUCCESS;
}

/* @cert signed by @signer and holding a key of @usage */
static u16 sevfw_chain_link(const struct sev_cert *cert,
			    const struct sev_cert *signer, u32 usage)
{
	u16 ret = sevfw_cert_verify(cert, signer);

	if (ret)
		return ret;
	if (le32_to_cpu(cert->pub_usage) != usage)
		return SEV_RET_INVALID_CERTIFICATE;
	return SEV_RET_SUCCESS;
}

/**
 * sevfw_chain_check_sev - validate ARK -> ASK -> CEK -> PEK -> PDH
 * @amd: ASK then ARK certificate (AMD format); the length was checked with
 *	 sevfw_chain_amd_len_valid()
 * @amd_len: its length
 * @plat: the receiver's PEK, OCA and CEK (the CEK signed by the ASK)
 * @pdh: the receiver's PDH
 *
 * Return: SUCCESS; INVALID_CERTIFICATE (malformed certificate, wrong key
 * usage, ARK other than the pinned one); BAD_SIGNATURE (a signature that
 * does not verify); HWSEV_RET_UNSAFE (no SHA-384 or no memory).
 */
u16 sevfw_chain_check_sev(const u8 *amd, size_t amd_len,
			  const struct sev_cert *plat,
			  const struct sev_cert *pdh)
{
	struct sevfw_amd_cert ask, ark;
	u16 ret;

	ret = sevfw_amd_cert_parse(amd, amd_len, &ask);
	if (ret)
		return ret;
	ret = sevfw_amd_cert_parse(amd + ask.len, amd_len - ask.len, &ark);
	if (ret)
		return ret;
	if (ask.len + ark.len != amd_len)
		return SEV_RET_INVALID_CERTIFICATE;

	ret = sevfw_amd_check_ark(&ark);
	if (ret)
		return ret;
	if (ask.usage != AMD_USAGE_ASK ||
	    memcmp(ask.cert_id, ark.key_id, AMD_CERT_ID_LEN))
		return SEV_RET_INVALID_CERTIFICATE;
	ret = sevfw_amd_verify(&ask, &ark);
	if (ret)
		return ret;
	ret = sevfw_chain_check_cek(&plat[2], &ask);
	if (ret)
		return ret;
	ret = sevfw_chain_link(&plat[0], &plat[2], SEV_USAGE_PEK);
	if (ret)
		return ret;
	return sevfw_chain_link(pdh, &plat[0], SEV_USAGE_PDH);
}

/**
 * sevfw_chain_check_domain - validate OCA -> PEK -> PDH and the OCA
 * @fw: instance (its own OCA certificate)
 * @plat: the receiver's PEK, OCA and CEK
 * @pdh: the receiver's PDH
 *
 * Return: SUCCESS; INVALID_CERTIFICATE or BAD_SIGNATURE for a broken
 * chain; POLICY_FAILURE if the receiver's OCA is not byte-identical to
 * this platform's.
 */
u16 sevfw_chain_check_domain(struct sevfw *fw, const struct sev_cert *plat,
			     const struct sev_cert *pdh)
{
	u16 ret;

	ret = sevfw_chain_link(&plat[1], &plat[1], SEV_USAGE_OCA);
	if (ret)
		return ret;
	ret = sevfw_chain_link(&plat[0], &plat[1], SEV_USAGE_PEK);
	if (ret)
		return ret;
	ret = sevfw_chain_link(pdh, &plat[0], SEV_USAGE_PDH);
	if (ret)
		return ret;
	if (memcmp(&plat[1], &fw->id.oca_cert, SEV_CERT_SIZE))
		return SEV_RET_POLICY_FAILURE;
	return SEV_RET_SUCCESS;
}
