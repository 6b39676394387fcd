// SPDX-License-Identifier: GPL-2.0-only
/*
 * The platform commands of the software SEV firmware (INIT, INIT_EX,
 * SHUTDOWN, FACTORY_RESET, PLATFORM_STATUS, PEK_*, PDH_*, DF_FLUSH,
 * DOWNLOAD_FIRMWARE, GET_ID, NOP) and the platform state machine. Each
 * handler makes its checks in the order the firmware makes them and
 * returns the firmware's status code. Also the check of a C-bit position
 * against the host.
 */

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/psp-sev.h>
#include <linux/slab.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include "sevfw-internal.h"
#include "sevfw-image.h"

/**
 * sevfw_cbit_check - can a C-bit position be right for a host
 * @cbit: the C-bit position (CPUID 0x8000001F EBX[5:0])
 * @phys_bits: the host's physical address width, 0 if unknown
 *
 * The C-bit lies above every physical address bit and below bit 64 (47 or
 * 51 on EPYC parts): masking it from an address changes nothing else.
 * sevfw_create() checks the bounds that do not depend on the host.
 *
 * Return: 0; -ERANGE if @cbit is 64 or more; -EINVAL if it lies inside the
 * physical address width.
 */
int sevfw_cbit_check(unsigned int cbit, unsigned int phys_bits)
{
	if (cbit >= 64)
		return -ERANGE;
	if (cbit < phys_bits)
		return -EINVAL;
	return 0;
}

static bool sevfw_state_is(struct sevfw *fw, bool uninit, bool init,
			   bool working)
{
	switch (fw->state) {
	case SEV_STATE_UNINIT:
		return uninit;
	case SEV_STATE_INIT:
		return init;
	case SEV_STATE_WORKING:
		return working;
	default:
		return false;
	}
}

/* Back to a cleared UNINIT: no guests, ASIDs unset, volatile keys wiped */
static void sevfw_platform_clear(struct sevfw *fw)
{
	sevfw_guests_clear(fw);
	sevfw_asids_set_all(fw, SEVFW_ASID_INVALID);
	sevfw_id_clear(&fw->id);
	fw->state = SEV_STATE_UNINIT;
	fw->config = 0;
	fw->tmr_pa = 0;
	fw->tmr_len = 0;
	fw->nv_pa = 0;
}

static bool sevfw_flags_valid(u32 flags, u32 reserved)
{
	return !(flags & ~SEV_INIT_FLAGS_SEV_ES) && !reserved;
}

/* INIT step 11: the ES trusted memory region */
static u16 sevfw_tmr_check(struct sevfw *fw, u64 tmr_pa, u32 tmr_len)
{
	if (!IS_ALIGNED(sevfw_mem_pa(fw, tmr_pa), SEVFW_TMR_LEN))
		return SEV_RET_INVALID_ADDRESS;
	if (tmr_len != SEVFW_TMR_LEN)
		return SEV_RET_INVALID_LEN;
	if (sevfw_mem_check(fw, tmr_pa, tmr_len))
		return SEV_RET_INAVLID_CONFIG;
	return SEV_RET_SUCCESS;
}

/* INIT steps 4-12 (steps 1-3 are the caller's) */
static u16 sevfw_init_common(struct sevfw *fw, u32 flags, u64 tmr_pa,
			     u32 tmr_len, u64 nv_pa)
{
	u16 ret;

	fw->nv_pa = nv_pa ? sevfw_mem_pa(fw, nv_pa) : 0;
	/* from here on the store may be written: FACTORY_RESET erases it */
	if (fw->nv_pa)
		fw->nv_last_pa = fw->nv_pa;
	ret = sevfw_id_load(fw);
	if (ret == SEV_RET_SUCCESS)
		ret = sevfw_id_complete(fw);
	if (ret != SEV_RET_SUCCESS)
		goto fail;
	if (fw->nv_pa)
		fw->reset_pending = false;

	sevfw_asids_set_all(fw, SEVFW_ASID_DIRTY);

	if (flags & SEV_INIT_FLAGS_SEV_ES) {
		ret = sevfw_tmr_check(fw, tmr_pa, tmr_len);
		if (ret != SEV_RET_SUCCESS)
			goto fail;
		fw->tmr_pa = sevfw_mem_pa(fw, tmr_pa);
		fw->tmr_len = tmr_len;
	}
	fw->config = flags;
	fw->state = SEV_STATE_INIT;
	return SEV_RET_SUCCESS;

fail:
	sevfw_platform_clear(fw);
	return ret;
}

u16 sevfw_cmd_init(struct sevfw *fw, void *buf)
{
	struct sev_data_init *d = buf;

	if (fw->state != SEV_STATE_UNINIT)
		return SEV_RET_INVALID_PLATFORM_STATE;
	if (!sevfw_flags_valid(d->flags, d->reserved))
		return SEV_RET_INAVLID_CONFIG;
	return sevfw_init_common(fw, d->flags, d->tmr_address, d->tmr_len, 0);
}

static bool sevfw_ranges_overlap(u64 a, u64 alen, u64 b, u64 blen)
{
	return a < b + blen && b < a + alen;
}

u16 sevfw_cmd_init_ex(struct sevfw *fw, void *buf)
{
	struct sev_data_init_ex *d = buf;
	u64 nv = sevfw_mem_pa(fw, d->nv_address);

	if (fw->state != SEV_STATE_UNINIT)
		return SEV_RET_INVALID_PLATFORM_STATE;
	if (d->length != SEVFW_INIT_EX_LEN)
		return SEV_RET_INVALID_LEN;
	if (!sevfw_flags_valid(d->flags, d->reserved))
		return SEV_RET_INAVLID_CONFIG;
	if (nv) {
		if (!IS_ALIGNED(nv, SZ_4K))
			return SEV_RET_INVALID_ADDRESS;
		if (d->nv_len != SEVFW_NV_LEN)
			return SEV_RET_INVALID_LEN;
		if (sevfw_mem_check(fw, nv, SEVFW_NV_LEN))
			return SEV_RET_INVALID_ADDRESS;
		if ((d->flags & SEV_INIT_FLAGS_SEV_ES) &&
		    sevfw_ranges_overlap(nv, SEVFW_NV_LEN,
					 sevfw_mem_pa(fw, d->tmr_address),
					 d->tmr_len))
			return SEV_RET_INVALID_ADDRESS;
	}
	return sevfw_init_common(fw, d->flags, d->tmr_address, d->tmr_len, nv);
}

u16 sevfw_cmd_shutdown(struct sevfw *fw, void *buf)
{
	sevfw_platform_clear(fw);
	return SEV_RET_SUCCESS;
}

/*
 * AMD's firmware deletes only its SPI store here (facts §3). This one also
 * erases the INIT_EX area it last used, which Linux writes back to its file
 * after the command: see sevfw_id_factory_reset().
 */
u16 sevfw_cmd_factory_reset(struct sevfw *fw, void *buf)
{
	if (fw->state != SEV_STATE_UNINIT)
		return SEV_RET_INVALID_PLATFORM_STATE;
	return sevfw_id_factory_reset(fw);
}

u16 sevfw_cmd_platform_status(struct sevfw *fw, void *buf)
{
	struct sev_user_data_status *st = buf;
	bool up = fw->state != SEV_STATE_UNINIT;

	memset(st, 0, sizeof(*st));
	st->api_major = fw->p.api_major;
	st->api_minor = fw->p.api_minor;
	st->state = fw->state;
	if (up && fw->id.owned)
		st->flags |= 1;
	if (up && (fw->config & SEV_INIT_FLAGS_SEV_ES))
		st->flags |= SEV_STATUS_FLAGS_CONFIG_ES;
	st->build = fw->p.build;
	st->guest_count = up ? fw->guest_count : 0;
	return SEV_RET_SUCCESS;
}

u16 sevfw_cmd_pek_gen(struct sevfw *fw, void *buf)
{
	if (fw->state != SEV_STATE_INIT)
		return SEV_RET_INVALID_PLATFORM_STATE;
	return sevfw_id_pek_gen(fw);
}

u16 sevfw_cmd_pek_csr(struct sevfw *fw, void *buf)
{
	struct sev_data_pek_csr *d = buf;
	struct sev_cert *csr;
	u16 ret = SEV_RET_SUCCESS;

	if (!sevfw_state_is(fw, false, true, true))
		return SEV_RET_INVALID_PLATFORM_STATE;
	if (d->len < SEV_CERT_SIZE) {
		d->len = SEV_CERT_SIZE;
		return SEV_RET_INVALID_LEN;
	}
	csr = kmalloc(sizeof(*csr), GFP_KERNEL);
	if (!csr)
		return SEV_RET_HWSEV_RET_UNSAFE;
	sevfw_id_pek_csr(fw, csr);
	if (sevfw_mem_write(fw, d->address, csr, SEV_CERT_SIZE))
		ret = SEV_RET_INVALID_ADDRESS;
	else
		d->len = SEV_CERT_SIZE;
	kfree(csr);
	return ret;
}

u16 sevfw_cmd_pek_cert_import(struct sevfw *fw, void *buf)
{
	struct sev_data_pek_cert_import *d = buf;
	struct sev_cert *certs;
	u16 ret;

	if (fw->state != SEV_STATE_INIT)
		return SEV_RET_INVALID_PLATFORM_STATE;
	if (fw->id.owned)
		return SEV_RET_ALREADY_OWNED;
	if (d->pek_cert_len != SEV_CERT_SIZE ||
	    d->oca_cert_len != SEV_CERT_SIZE)
		return SEV_RET_INVALID_LEN;

	certs = kmalloc_array(2, sizeof(*certs), GFP_KERNEL);
	if (!certs)
		return SEV_RET_HWSEV_RET_UNSAFE;
	if (sevfw_mem_read(fw, d->pek_cert_address, &certs[0], SEV_CERT_SIZE) ||
	    sevfw_mem_read(fw, d->oca_cert_address, &certs[1], SEV_CERT_SIZE))
		ret = SEV_RET_INVALID_ADDRESS;
	else
		ret = sevfw_id_import(fw, &certs[0], &certs[1]);
	kfree(certs);
	return ret;
}

u16 sevfw_cmd_pdh_cert_export(struct sevfw *fw, void *buf)
{
	struct sev_data_pdh_cert_export *d = buf;
	struct sev_cert *chain;
	u16 ret = SEV_RET_SUCCESS;

	if (!sevfw_state_is(fw, false, true, true))
		return SEV_RET_INVALID_PLATFORM_STATE;
	if (d->pdh_cert_len < SEV_CERT_SIZE ||
	    d->cert_chain_len < SEV_CERT_CHAIN_SIZE) {
		d->pdh_cert_len = SEV_CERT_SIZE;
		d->cert_chain_len = SEV_CERT_CHAIN_SIZE;
		return SEV_RET_INVALID_LEN;
	}

	chain = kmalloc_array(3, sizeof(*chain), GFP_KERNEL);
	if (!chain)
		return SEV_RET_HWSEV_RET_UNSAFE;
	chain[0] = fw->id.pek_cert;
	chain[1] = fw->id.oca_cert;
	sevfw_id_cek_cert(fw, &chain[2]);
	if (sevfw_mem_write(fw, d->pdh_cert_address, &fw->id.pdh_cert,
			    SEV_CERT_SIZE) ||
	    sevfw_mem_write(fw, d->cert_chain_address, chain,
			    SEV_CERT_CHAIN_SIZE)) {
		ret = SEV_RET_INVALID_ADDRESS;
	} else {
		d->pdh_cert_len = SEV_CERT_SIZE;
		d->cert_chain_len = SEV_CERT_CHAIN_SIZE;
	}
	kfree(chain);
	return ret;
}

u16 sevfw_cmd_pdh_gen(struct sevfw *fw, void *buf)
{
	if (!sevfw_state_is(fw, false, true, true))
		return SEV_RET_INVALID_PLATFORM_STATE;
	return sevfw_id_pdh_gen(fw);
}

/*
 * No platform-state check, as in AMD's firmware. WBINVD cannot be observed
 * from here, so it is taken as done on every core.
 */
u16 sevfw_cmd_df_flush(struct sevfw *fw, void *buf)
{
	u32 asid;

	for (asid = 1; asid <= fw->p.max_asid; asid++)
		if (fw->asid_state[asid] == SEVFW_ASID_DIRTY)
			fw->asid_state[asid] = SEVFW_ASID_CLEAN;
	return SEV_RET_SUCCESS;
}

u16 sevfw_cmd_download_firmware(struct sevfw *fw, void *buf)
{
	struct sev_data_download_firmware *d = buf;
	u8 major, minor, build;
	u8 *img;
	u16 ret;

	if (fw->state != SEV_STATE_UNINIT)
		return SEV_RET_INVALID_PLATFORM_STATE;
	if (!IS_ALIGNED(sevfw_mem_pa(fw, d->address), SEVFW_IMAGE_ALIGN))
		return SEV_RET_INVALID_ADDRESS;
	if (d->len < SEVFW_IMAGE_MIN_LEN || d->len > SEVFW_IMAGE_MAX_LEN)
		return SEV_RET_INVALID_LEN;

	img = kvmalloc(d->len, GFP_KERNEL);
	if (!img)
		return SEV_RET_HWSEV_RET_UNSAFE;
	if (sevfw_mem_read(fw, d->address, img, d->len)) {
		ret = SEV_RET_INVALID_ADDRESS;
	} else {
		ret = sevfw_image_verify(img, d->len, &major, &minor, &build);
		if (ret == SEV_RET_SUCCESS)
			ret = sevfw_image_check_version(&fw->p, major, minor,
							build);
		if (ret == SEV_RET_SUCCESS) {
			fw->p.api_major = major;
			fw->p.api_minor = minor;
			fw->p.build = build;
		}
	}
	kvfree(img);
	return ret;
}

u16 sevfw_cmd_get_id(struct sevfw *fw, void *buf)
{
	struct sev_data_get_id *d = buf;

	if (d->len < SEVFW_ID_LEN) {
		d->len = SEVFW_ID_LEN;
		return SEV_RET_INVALID_LEN;
	}
	if (sevfw_mem_write(fw, d->address, fw->p.chip_id, SEVFW_ID_LEN))
		return SEV_RET_INVALID_ADDRESS;
	d->len = SEVFW_ID_LEN;
	return SEV_RET_SUCCESS;
}

u16 sevfw_cmd_nop(struct sevfw *fw, void *buf)
{
	return SEV_RET_SUCCESS;
}
