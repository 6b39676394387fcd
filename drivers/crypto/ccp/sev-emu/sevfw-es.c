// SPDX-License-Identifier: GPL-2.0-only
/*
 * SEV-ES per-vCPU integrity records of the software SEV firmware.
 *
 * AMD's firmware keeps, for every VMSA it sets up (LAUNCH_UPDATE_VMSA,
 * RECEIVE_UPDATE_VMSA), a checksum in the TMR, and SEND_UPDATE_VMSA
 * refuses a VMSA that no longer matches it with INVALID_PARAM (facts §3.1).
 * This firmware keeps one record per VMSA address in its own memory (the
 * host can write the TMR here, so it would protect nothing): the owner
 * handle and the SHA-256 of the 4096 plaintext bytes the firmware last
 * wrote there. The number of records is bounded (sevfw_params.es_vcpu_slots);
 * when they run out a new VMSA gets RESOURCE_LIMIT. DECOMMISSION drops a
 * guest's records, SHUTDOWN all of them.
 */

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/psp-sev.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <crypto/sha2.h>

#include "sevfw-internal.h"
#include "sevfw-guest.h"

static u32 sevfw_es_nslots(const struct sevfw *fw)
{
	return fw->p.es_vcpu_slots ? fw->p.es_vcpu_slots :
				     SEVFW_ES_SLOTS_DEFAULT;
}

/**
 * sevfw_es_find - the integrity record of the VMSA at @pa
 * @fw: the instance
 * @pa: the VMSA's address
 *
 * Return: the record, or NULL if there is none.
 */
struct sevfw_vmsa_rec *sevfw_es_find(struct sevfw *fw, u64 pa)
{
	u32 i, n = sevfw_es_nslots(fw);

	if (!fw->vmsa_recs)
		return NULL;
	for (i = 0; i < n; i++)
		if (fw->vmsa_recs[i].handle && fw->vmsa_recs[i].pa == pa)
			return &fw->vmsa_recs[i];
	return NULL;
}

/**
 * sevfw_es_vmsa_slot - the record a VMSA about to be set up will use
 * @fw: instance
 * @addr: physical address of the VMSA (the C-bit is masked)
 * @rec: out: the record already kept for that address, else a free one
 *
 * Nothing is recorded yet (sevfw_es_vmsa_record() does that), so a command
 * that fails after this call changes nothing.
 *
 * Return: SUCCESS; RESOURCE_LIMIT if every slot holds another VMSA;
 * HWSEV_RET_UNSAFE if the table cannot be allocated.
 */
u16 sevfw_es_vmsa_slot(struct sevfw *fw, u64 addr,
		       struct sevfw_vmsa_rec **rec)
{
	u32 i, n = sevfw_es_nslots(fw);
	u64 pa = sevfw_mem_pa(fw, addr);

	*rec = sevfw_es_find(fw, pa);
	if (*rec)
		return SEV_RET_SUCCESS;
	if (!fw->vmsa_recs) {
		fw->vmsa_recs = kvcalloc(n, sizeof(*fw->vmsa_recs),
					 GFP_KERNEL);
		if (!fw->vmsa_recs)
			return SEV_RET_HWSEV_RET_UNSAFE;
	}
	for (i = 0; i < n; i++) {
		if (!fw->vmsa_recs[i].handle) {
			*rec = &fw->vmsa_recs[i];
			return SEV_RET_SUCCESS;
		}
	}
	return SEV_RET_RESOURCE_LIMIT;
}

/**
 * sevfw_es_vmsa_record - remember the VMSA the firmware wrote at an address
 * @fw: instance
 * @rec: the record sevfw_es_vmsa_slot() gave for @addr
 * @handle: the guest the VMSA belongs to
 * @addr: physical address of the VMSA (the C-bit is masked)
 * @vmsa: its SEVFW_VMSA_LEN plaintext bytes
 *
 * A VMSA set up again at the same address replaces the record, whichever
 * guest held it.
 */
void sevfw_es_vmsa_record(struct sevfw *fw, struct sevfw_vmsa_rec *rec,
			  u32 handle, u64 addr, const u8 *vmsa)
{
	if (!rec->handle)
		fw->vmsa_nrecs++;
	rec->pa = sevfw_mem_pa(fw, addr);
	rec->handle = handle;
	sha256(vmsa, SEVFW_VMSA_LEN, rec->digest);
}

/**
 * sevfw_es_vmsa_check - SEND_UPDATE_VMSA's integrity check
 * @fw: instance
 * @g: the guest sending the VMSA
 * @addr: physical address of the VMSA (the C-bit is masked)
 * @vmsa: the plaintext read there
 * @len: its length
 *
 * Return: SUCCESS if @g's record for @addr holds the digest of exactly
 * these SEVFW_VMSA_LEN bytes; INVALID_PARAM otherwise (another length, no
 * record, another guest's record, or different contents).
 */
u16 sevfw_es_vmsa_check(struct sevfw *fw, const struct sevfw_guest *g,
			u64 addr, const u8 *vmsa, u32 len)
{
	struct sevfw_vmsa_rec *rec;
	u8 digest[SHA256_DIGEST_SIZE];
	bool ok;

	if (len != SEVFW_VMSA_LEN)
		return SEV_RET_INVALID_PARAM;
	rec = sevfw_es_find(fw, sevfw_mem_pa(fw, addr));
	if (!rec || rec->handle != g->handle)
		return SEV_RET_INVALID_PARAM;
	sha256(vmsa, len, digest);
	ok = sevfw_mac_equal(digest, rec->digest, sizeof(digest));
	memzero_explicit(digest, sizeof(digest));
	return ok ? SEV_RET_SUCCESS : SEV_RET_INVALID_PARAM;
}

/**
 * sevfw_es_guest_drop - forget a guest's records (DECOMMISSION)
 * @fw: instance
 * @handle: the guest
 */
void sevfw_es_guest_drop(struct sevfw *fw, u32 handle)
{
	u32 i, n = sevfw_es_nslots(fw);

	if (!fw->vmsa_recs)
		return;
	for (i = 0; i < n; i++) {
		if (fw->vmsa_recs[i].handle == handle) {
			memzero_explicit(&fw->vmsa_recs[i],
					 sizeof(fw->vmsa_recs[i]));
			fw->vmsa_nrecs--;
		}
	}
}

/**
 * sevfw_es_clear - forget every record and free the table (SHUTDOWN,
 * instance teardown)
 * @fw: instance
 */
void sevfw_es_clear(struct sevfw *fw)
{
	if (fw->vmsa_recs)
		kvfree_sensitive(fw->vmsa_recs, sevfw_es_nslots(fw) *
				 sizeof(*fw->vmsa_recs));
	fw->vmsa_recs = NULL;
	fw->vmsa_nrecs = 0;
}
