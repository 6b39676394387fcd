// SPDX-License-Identifier: GPL-2.0-only
/*
 * The platform identity of the software SEV firmware: the OCA, PEK and PDH
 * key pairs and certificates and the owner flag, kept in a non-volatile
 * store (the internal one, or the 32 KiB INIT_EX buffer in system memory)
 * that is encrypted and authenticated with keys bound to this chip.
 *
 * Store layout (SEVFW_NV_LEN bytes, everything little-endian):
 *   0x00 magic "SEVEMUNV"  0x08 version (1)  0x0C payload length
 *   0x10 IV[16]            0x20 MAC[32]      0x40 payload (encrypted)
 * MAC = HMAC-SHA256(mac key, bytes 0x00..0x1F || encrypted payload); the
 * payload is AES-128-CTR(enc key, IV) of struct sevfw_nv_payload. The rest
 * of the buffer is zero. A store whose first 0x40 bytes are all 0x00 or all
 * 0xFF is empty (never written, or erased: a corrupt store and PLATFORM_RESET
 * leave all zeros).
 */

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/psp-sev.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "sevfw-internal.h"
#include "sevfw-testroots.h"

#define SEVFW_NV_MAGIC		"SEVEMUNV"
#define SEVFW_NV_VERSION	1

#define SEVFW_NV_HAS_OCA	BIT(0)
#define SEVFW_NV_HAS_PEK	BIT(1)
#define SEVFW_NV_HAS_PDH	BIT(2)
#define SEVFW_NV_OWNED		BIT(3)

struct sevfw_nv_hdr {
	u8 magic[8];
	__le32 version;
	__le32 payload_len;
	u8 iv[16];
	u8 mac[SEVFW_HMAC_BYTES];
} __packed;

#define SEVFW_NV_MAC_START	offsetof(struct sevfw_nv_hdr, mac)

struct sevfw_nv_payload {
	__le32 flags;
	u8 oca_d[SEVFW_P384_BYTES];
	u8 pek_d[SEVFW_P384_BYTES];
	u8 pdh_d[SEVFW_P384_BYTES];
	struct sev_cert oca_cert;
	struct sev_cert pek_cert;
	struct sev_cert pdh_cert;
} __packed;

static_assert(sizeof(struct sevfw_nv_hdr) == 0x40);
static_assert(sizeof(struct sevfw_nv_hdr) + sizeof(struct sevfw_nv_payload)
	      <= SEVFW_NV_LEN);

/**
 * sevfw_id_keys_init - derive the store keys from this chip's secrets
 * @fw: instance (params.chip_id set)
 *
 * The keys depend only on the CEK and the chip id, so a store written by
 * one instance is readable by any later instance of the same "chip" (the
 * INIT_EX file survives a module reload).
 */
void sevfw_id_keys_init(struct sevfw *fw)
{
	sevfw_kdf(sevfw_test_cek.d, sizeof(sevfw_test_cek.d),
		  "sev-emu-nv-encryption", fw->p.chip_id,
		  sizeof(fw->p.chip_id), fw->nv_enc_key,
		  sizeof(fw->nv_enc_key));
	sevfw_kdf(sevfw_test_cek.d, sizeof(sevfw_test_cek.d),
		  "sev-emu-nv-integrity", fw->p.chip_id,
		  sizeof(fw->p.chip_id), fw->nv_mac_key,
		  sizeof(fw->nv_mac_key));
}

/**
 * sevfw_id_clear - forget an identity (volatile copy only)
 * @id: identity
 */
void sevfw_id_clear(struct sevfw_identity *id)
{
	memzero_explicit(id, sizeof(*id));
}

static void sevfw_nv_mac(struct sevfw *fw, const u8 *nv, u32 plen,
			 u8 mac[SEVFW_HMAC_BYTES])
{
	struct sevfw_hmac h;

	sevfw_hmac_init(&h, fw->nv_mac_key, sizeof(fw->nv_mac_key));
	sevfw_hmac_update(&h, nv, SEVFW_NV_MAC_START);
	sevfw_hmac_update(&h, nv + sizeof(struct sevfw_nv_hdr), plen);
	sevfw_hmac_final(&h, mac);
	memzero_explicit(&h, sizeof(h));
}

static bool sevfw_nv_empty(const u8 *nv)
{
	return !memchr_inv(nv, 0, sizeof(struct sevfw_nv_hdr)) ||
	       !memchr_inv(nv, 0xff, sizeof(struct sevfw_nv_hdr));
}

/* A store this chip wrote: header as expected and the MAC verifies */
static bool sevfw_nv_authentic(struct sevfw *fw, const u8 *nv)
{
	const struct sevfw_nv_hdr *hdr = (const void *)nv;
	u32 plen = le32_to_cpu(hdr->payload_len);
	u8 mac[SEVFW_HMAC_BYTES];
	bool ok;

	if (memcmp(hdr->magic, SEVFW_NV_MAGIC, sizeof(hdr->magic)) ||
	    le32_to_cpu(hdr->version) != SEVFW_NV_VERSION ||
	    plen != sizeof(struct sevfw_nv_payload))
		return false;
	sevfw_nv_mac(fw, nv, plen, mac);
	ok = sevfw_mac_equal(mac, hdr->mac, sizeof(mac));
	memzero_explicit(mac, sizeof(mac));
	return ok;
}

static u16 sevfw_nv_read(struct sevfw *fw, u8 *nv)
{
	if (!fw->nv_pa) {
		memcpy(nv, fw->nv_internal, SEVFW_NV_LEN);
		return SEV_RET_SUCCESS;
	}
	if (sevfw_mem_read(fw, fw->nv_pa, nv, SEVFW_NV_LEN))
		return SEV_RET_INVALID_ADDRESS;
	return SEV_RET_SUCCESS;
}

static u16 sevfw_nv_write(struct sevfw *fw, const u8 *nv)
{
	if (!fw->nv_pa) {
		memcpy(fw->nv_internal, nv, SEVFW_NV_LEN);
		return SEV_RET_SUCCESS;
	}
	if (sevfw_mem_write(fw, fw->nv_pa, nv, SEVFW_NV_LEN))
		return SEV_RET_INVALID_ADDRESS;
	return SEV_RET_SUCCESS;
}

static void sevfw_nv_erase(struct sevfw *fw)
{
	if (!fw->nv_pa)
		memset(fw->nv_internal, 0, SEVFW_NV_LEN);
	else
		sevfw_mem_fill(fw, fw->nv_pa, 0, SEVFW_NV_LEN);
}

/* Rebuild the key pairs from their private scalars; false if corrupt */
static bool sevfw_id_unpack(struct sevfw_identity *id,
			    const struct sevfw_nv_payload *pl)
{
	u32 flags = le32_to_cpu(pl->flags);

	id->has_oca = flags & SEVFW_NV_HAS_OCA;
	id->has_pek = flags & SEVFW_NV_HAS_PEK;
	id->has_pdh = flags & SEVFW_NV_HAS_PDH;
	id->owned = flags & SEVFW_NV_OWNED;
	id->oca_cert = pl->oca_cert;
	id->pek_cert = pl->pek_cert;
	id->pdh_cert = pl->pdh_cert;
	memcpy(id->oca_key.d, pl->oca_d, SEVFW_P384_BYTES);
	memcpy(id->pek_key.d, pl->pek_d, SEVFW_P384_BYTES);
	memcpy(id->pdh_key.d, pl->pdh_d, SEVFW_P384_BYTES);

	if (id->has_oca && !id->owned && sevfw_ecc_derive_pub(&id->oca_key))
		return false;
	if (id->has_pek && sevfw_ecc_derive_pub(&id->pek_key))
		return false;
	if (id->has_pdh && sevfw_ecc_derive_pub(&id->pdh_key))
		return false;
	return true;
}

/**
 * sevfw_id_load - load the identity from the store selected by fw->nv_pa
 * @fw: instance
 *
 * An empty store (or any external store after FACTORY_RESET) gives an empty
 * identity. A store that fails its checks is erased.
 *
 * Return: SUCCESS, SECURE_DATA_INVALID (corrupt store, now erased),
 * INVALID_ADDRESS (external store unreadable).
 */
u16 sevfw_id_load(struct sevfw *fw)
{
	struct sevfw_nv_hdr *hdr;
	u8 *nv;
	u32 plen;
	u16 ret;

	sevfw_id_clear(&fw->id);
	nv = kvzalloc(SEVFW_NV_LEN, GFP_KERNEL);
	if (!nv)
		return SEV_RET_HWSEV_RET_UNSAFE;
	ret = sevfw_nv_read(fw, nv);
	if (ret)
		goto out;
	if (sevfw_nv_empty(nv) || (fw->nv_pa && fw->reset_pending))
		goto out;

	ret = SEV_RET_SECURE_DATA_INVALID;
	if (!sevfw_nv_authentic(fw, nv))
		goto corrupt;
	hdr = (struct sevfw_nv_hdr *)nv;
	plen = le32_to_cpu(hdr->payload_len);
	sevfw_aes128_ctr(fw->nv_enc_key, hdr->iv, nv + sizeof(*hdr),
			 nv + sizeof(*hdr), plen);
	if (!sevfw_id_unpack(&fw->id, (void *)(nv + sizeof(*hdr)))) {
		sevfw_id_clear(&fw->id);
		goto corrupt;
	}
	ret = SEV_RET_SUCCESS;
	goto out;

corrupt:
	sevfw_nv_erase(fw);
out:
	memzero_explicit(nv, SEVFW_NV_LEN);
	kvfree(nv);
	return ret;
}

/**
 * sevfw_id_save - write the identity to the store selected by fw->nv_pa
 * @fw: instance
 *
 * Return: SUCCESS, INVALID_ADDRESS (external store unwritable), or
 * HWSEV_RET_UNSAFE (out of memory).
 */
u16 sevfw_id_save(struct sevfw *fw)
{
	const struct sevfw_identity *id = &fw->id;
	struct sevfw_nv_payload *pl;
	struct sevfw_nv_hdr *hdr;
	u32 flags = 0;
	u8 *nv;
	u16 ret;

	nv = kvzalloc(SEVFW_NV_LEN, GFP_KERNEL);
	if (!nv)
		return SEV_RET_HWSEV_RET_UNSAFE;
	hdr = (struct sevfw_nv_hdr *)nv;
	pl = (struct sevfw_nv_payload *)(nv + sizeof(*hdr));

	if (id->has_oca)
		flags |= SEVFW_NV_HAS_OCA;
	if (id->has_pek)
		flags |= SEVFW_NV_HAS_PEK;
	if (id->has_pdh)
		flags |= SEVFW_NV_HAS_PDH;
	if (id->owned)
		flags |= SEVFW_NV_OWNED;
	pl->flags = cpu_to_le32(flags);
	memcpy(pl->oca_d, id->oca_key.d, SEVFW_P384_BYTES);
	memcpy(pl->pek_d, id->pek_key.d, SEVFW_P384_BYTES);
	memcpy(pl->pdh_d, id->pdh_key.d, SEVFW_P384_BYTES);
	pl->oca_cert = id->oca_cert;
	pl->pek_cert = id->pek_cert;
	pl->pdh_cert = id->pdh_cert;

	memcpy(hdr->magic, SEVFW_NV_MAGIC, sizeof(hdr->magic));
	hdr->version = cpu_to_le32(SEVFW_NV_VERSION);
	hdr->payload_len = cpu_to_le32(sizeof(*pl));
	get_random_bytes(hdr->iv, sizeof(hdr->iv));
	sevfw_aes128_ctr(fw->nv_enc_key, hdr->iv, (u8 *)pl, (u8 *)pl,
			 sizeof(*pl));
	sevfw_nv_mac(fw, nv, sizeof(*pl), hdr->mac);

	ret = sevfw_nv_write(fw, nv);
	memzero_explicit(nv, SEVFW_NV_LEN);
	kvfree(nv);
	return ret;
}

/*
 * Erase the external store at @pa if it still holds this chip's store.
 * Anything else there is left alone: it cannot bring an identity back, and
 * the host may have reused the memory. Memory that is no longer RAM holds
 * nothing to erase.
 */
static u16 sevfw_nv_erase_external(struct sevfw *fw, u64 pa)
{
	u16 ret = SEV_RET_SUCCESS;
	u8 *nv;

	nv = kvmalloc(SEVFW_NV_LEN, GFP_KERNEL);
	if (!nv)
		return SEV_RET_HWSEV_RET_UNSAFE;
	if (!sevfw_mem_read(fw, pa, nv, SEVFW_NV_LEN) &&
	    !sevfw_nv_empty(nv) && sevfw_nv_authentic(fw, nv) &&
	    sevfw_mem_fill(fw, pa, 0, SEVFW_NV_LEN))
		ret = SEV_RET_INVALID_ADDRESS;
	memzero_explicit(nv, SEVFW_NV_LEN);
	kvfree(nv);
	return ret;
}

/**
 * sevfw_id_factory_reset - delete the persistent identity (PLATFORM_RESET)
 * @fw: instance (UNINIT)
 *
 * The internal store is erased, and so is the external INIT_EX store the
 * platform last used (fw->nv_last_pa) if it still holds this chip's store:
 * Linux writes that area back to its file after the command, so the next
 * INIT_EX from the file, in this instance or after a module reload, starts
 * with a new identity, as the next INIT does. The next INIT_EX of this
 * instance also ignores whatever another external store holds.
 *
 * Return: SUCCESS; HWSEV_RET_UNSAFE (out of memory) or INVALID_ADDRESS
 * (the external store could not be erased), and then nothing changed.
 */
u16 sevfw_id_factory_reset(struct sevfw *fw)
{
	u16 ret;

	if (fw->nv_last_pa) {
		ret = sevfw_nv_erase_external(fw, fw->nv_last_pa);
		if (ret != SEV_RET_SUCCESS)
			return ret;
		fw->nv_last_pa = 0;
	}
	memset(fw->nv_internal, 0, SEVFW_NV_LEN);
	fw->reset_pending = true;
	sevfw_id_clear(&fw->id);
	return SEV_RET_SUCCESS;
}

static int sevfw_id_gen_oca(struct sevfw *fw, struct sevfw_identity *id)
{
	int ret;

	ret = sevfw_ecc_generate(&id->oca_key);
	if (ret)
		return ret;
	sevfw_cert_init(&id->oca_cert, fw->p.api_major, fw->p.api_minor,
			SEV_USAGE_OCA, SEV_ALGO_ECDSA_SHA256,
			&id->oca_key.pub);
	ret = sevfw_cert_sign(&id->oca_cert, &id->oca_key, SEV_USAGE_OCA);
	if (ret)
		return ret;
	id->has_oca = true;
	id->owned = false;
	id->has_pek = false;
	return 0;
}

static int sevfw_id_gen_pek(struct sevfw *fw, struct sevfw_identity *id)
{
	int ret;

	ret = sevfw_ecc_generate(&id->pek_key);
	if (ret)
		return ret;
	sevfw_cert_init(&id->pek_cert, fw->p.api_major, fw->p.api_minor,
			SEV_USAGE_PEK, SEV_ALGO_ECDSA_SHA256,
			&id->pek_key.pub);
	ret = sevfw_cert_sign(&id->pek_cert, &id->oca_key, SEV_USAGE_OCA);
	if (!ret)
		ret = sevfw_cert_sign(&id->pek_cert, &sevfw_test_cek,
				      SEV_USAGE_CEK);
	if (ret)
		return ret;
	id->has_pek = true;
	id->has_pdh = false;
	return 0;
}

static int sevfw_id_gen_pdh(struct sevfw *fw, struct sevfw_identity *id)
{
	int ret;

	ret = sevfw_ecc_generate(&id->pdh_key);
	if (ret)
		return ret;
	sevfw_cert_init(&id->pdh_cert, fw->p.api_major, fw->p.api_minor,
			SEV_USAGE_PDH, SEV_ALGO_ECDH_SHA256,
			&id->pdh_key.pub);
	ret = sevfw_cert_sign(&id->pdh_cert, &id->pek_key, SEV_USAGE_PEK);
	if (ret)
		return ret;
	id->has_pdh = true;
	return 0;
}

/**
 * sevfw_id_complete - generate what the identity lacks and save it
 * @fw: instance with a loaded identity
 *
 * A missing OCA brings a new PEK, a missing PEK a new PDH (INIT steps 6-9).
 * An owned identity without a PEK cannot be completed by the owner's OCA,
 * so it falls back to a self-owned one.
 *
 * Return: SUCCESS, HWSEV_RET_UNSAFE (key generation failed), or the
 * store's write status.
 */
u16 sevfw_id_complete(struct sevfw *fw)
{
	struct sevfw_identity *id = &fw->id;
	bool changed = false;

	if (!id->has_oca || (id->owned && !id->has_pek)) {
		if (sevfw_id_gen_oca(fw, id))
			return SEV_RET_HWSEV_RET_UNSAFE;
		changed = true;
	}
	if (!id->has_pek) {
		if (sevfw_id_gen_pek(fw, id))
			return SEV_RET_HWSEV_RET_UNSAFE;
		changed = true;
	}
	if (!id->has_pdh) {
		if (sevfw_id_gen_pdh(fw, id))
			return SEV_RET_HWSEV_RET_UNSAFE;
		changed = true;
	}
	return changed ? sevfw_id_save(fw) : SEV_RET_SUCCESS;
}

/* Run @fn on a scratch copy of the identity; commit it only on success */
static u16 sevfw_id_update(struct sevfw *fw,
			   u16 (*fn)(struct sevfw *fw, void *arg), void *arg)
{
	struct sevfw_identity *old;
	u16 ret;

	old = kmemdup(&fw->id, sizeof(fw->id), GFP_KERNEL);
	if (!old)
		return SEV_RET_HWSEV_RET_UNSAFE;
	ret = fn(fw, arg);
	if (ret == SEV_RET_SUCCESS)
		ret = sevfw_id_complete(fw);
	if (ret != SEV_RET_SUCCESS)
		fw->id = *old;
	kfree_sensitive(old);
	return ret;
}

static u16 sevfw_id_drop_oca(struct sevfw *fw, void *arg)
{
	fw->id.has_oca = false;
	return SEV_RET_SUCCESS;
}

static u16 sevfw_id_drop_pdh(struct sevfw *fw, void *arg)
{
	fw->id.has_pdh = false;
	return SEV_RET_SUCCESS;
}

/**
 * sevfw_id_pek_gen - new self-owned OCA, PEK and PDH, saved (PEK_GEN)
 * @fw: instance
 *
 * Return: SUCCESS or the failing step's status (identity unchanged).
 */
u16 sevfw_id_pek_gen(struct sevfw *fw)
{
	return sevfw_id_update(fw, sevfw_id_drop_oca, NULL);
}

/**
 * sevfw_id_pdh_gen - new PDH signed by the PEK, saved (PDH_GEN)
 * @fw: instance
 *
 * Return: SUCCESS or the failing step's status (identity unchanged).
 */
u16 sevfw_id_pdh_gen(struct sevfw *fw)
{
	return sevfw_id_update(fw, sevfw_id_drop_pdh, NULL);
}

static void sevfw_cert_sig_clear(struct sev_cert_sig *sig)
{
	memset(sig, 0, sizeof(*sig));
	sig->usage = cpu_to_le32(SEV_USAGE_INVALID);
	sig->algo = cpu_to_le32(SEV_ALGO_INVALID);
}

/* Body check of an imported certificate: valid key of the expected type */
static u16 sevfw_id_check_body(const struct sev_cert *cert, u32 usage)
{
	struct sevfw_ecc_pub pub;

	if (sevfw_cert_pubkey(cert, &pub) != SEV_RET_SUCCESS ||
	    le32_to_cpu(cert->pub_usage) != usage ||
	    le32_to_cpu(cert->pub_algo) != SEV_ALGO_ECDSA_SHA256)
		return SEV_RET_INVALID_CERTIFICATE;
	return SEV_RET_SUCCESS;
}

struct sevfw_import {
	const struct sev_cert *pek;
	const struct sev_cert *oca;
};

static u16 sevfw_id_do_import(struct sevfw *fw, void *arg)
{
	const struct sevfw_import *im = arg;
	struct sevfw_identity *id = &fw->id;
	struct sev_cert *pek = &id->pek_cert;
	struct sev_cert_sig cek_sig;
	int oca_slot, i;
	u16 ret;

	/* 4: the OCA is self-signed, the PEK signed by it; signatures first */
	ret = sevfw_cert_verify(im->oca, im->oca);
	if (ret)
		return ret;
	ret = sevfw_id_check_body(im->oca, SEV_USAGE_OCA);
	if (ret)
		return ret;
	ret = sevfw_cert_verify(im->pek, im->oca);
	if (ret)
		return ret;
	ret = sevfw_id_check_body(im->pek, SEV_USAGE_PEK);
	if (ret)
		return ret;

	/* 5: it certifies this platform's PEK */
	if (memcmp(im->pek, pek, SEV_CERT_SIGNED_LEN))
		return SEV_RET_INVALID_CERTIFICATE;

	/* 6: keep the owner's signature, add the CEK's from the current PEK */
	sevfw_cert_sig_clear(&cek_sig);
	for (i = 0; i < ARRAY_SIZE(pek->sig); i++)
		if (le32_to_cpu(pek->sig[i].usage) == SEV_USAGE_CEK)
			cek_sig = pek->sig[i];
	oca_slot = -1;
	for (i = 0; i < ARRAY_SIZE(im->pek->sig); i++)
		if (le32_to_cpu(im->pek->sig[i].usage) == SEV_USAGE_OCA &&
		    im->pek->sig[i].algo == im->oca->pub_algo)
			oca_slot = i;
	if (oca_slot < 0)
		return SEV_RET_BAD_SIGNATURE;

	/* 7: externally owned; the PDH is regenerated by the caller */
	*pek = *im->pek;
	pek->sig[!oca_slot] = cek_sig;
	id->oca_cert = *im->oca;
	memzero_explicit(&id->oca_key, sizeof(id->oca_key));
	id->owned = true;
	id->has_pdh = false;
	return SEV_RET_SUCCESS;
}

/**
 * sevfw_id_import - take ownership with an owner-signed PEK (PEK_CERT_IMPORT)
 * @fw: instance (INIT, not yet owned)
 * @pek: the PEK certificate signed by the owner's OCA
 * @oca: the owner's self-signed OCA certificate
 *
 * Checks steps 4-5 of PEK_CERT_IMPORT, then installs the PEK with the CEK
 * signature copied over, the OCA, the owner flag and a new PDH, and saves.
 *
 * Return: SUCCESS, INVALID_CERTIFICATE, BAD_SIGNATURE or a store status;
 * on failure the identity is unchanged.
 */
u16 sevfw_id_import(struct sevfw *fw, const struct sev_cert *pek,
		    const struct sev_cert *oca)
{
	struct sevfw_import im = { .pek = pek, .oca = oca };

	return sevfw_id_update(fw, sevfw_id_do_import, &im);
}

/**
 * sevfw_id_pek_csr - the PEK certificate with both signature slots empty
 * @fw: instance
 * @csr: output
 */
void sevfw_id_pek_csr(struct sevfw *fw, struct sev_cert *csr)
{
	*csr = fw->id.pek_cert;
	sevfw_cert_sig_clear(&csr->sig[0]);
	sevfw_cert_sig_clear(&csr->sig[1]);
}

/**
 * sevfw_id_cek_cert - the CEK certificate body, unsigned (PDH_CERT_EXPORT)
 * @fw: instance
 * @cek: output: the body of the ASK-signed test CEK certificate, so that it
 *	 matches what the "key server" (debugfs) hands out
 */
void sevfw_id_cek_cert(struct sevfw *fw, struct sev_cert *cek)
{
	memcpy(cek, sevfw_test_cek_cert, sizeof(*cek));
	sevfw_cert_sig_clear(&cek->sig[0]);
	sevfw_cert_sig_clear(&cek->sig[1]);
}
