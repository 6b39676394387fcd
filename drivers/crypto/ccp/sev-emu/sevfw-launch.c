// SPDX-License-Identifier: GPL-2.0-only
/*
 * The launch commands of the software SEV firmware: LAUNCH_START,
 * LAUNCH_UPDATE_DATA, LAUNCH_UPDATE_VMSA, LAUNCH_MEASURE, LAUNCH_SECRET and
 * LAUNCH_FINISH. Each makes its checks in the firmware's order (facts §3.1)
 * and changes nothing when it fails.
 */

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/psp-sev.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "sevfw-internal.h"
#include "sevfw-guest.h"

u16 sevfw_cmd_launch_start(struct sevfw *fw, void *buf)
{
	struct sev_data_launch_start *d = buf;
	struct sevfw_channel ch = { };
	struct sevfw_session s;
	struct sev_cert *cert;
	bool session = false;
	u32 handle;
	u16 ret;

	if (fw->state != SEV_STATE_INIT && fw->state != SEV_STATE_WORKING)
		return SEV_RET_INVALID_PLATFORM_STATE;

	if (d->dh_cert_address) {
		if (d->session_len != SEVFW_SESSION_LEN)
			return SEV_RET_INVALID_LEN;
		if (sevfw_mem_read(fw, d->session_address, &s, sizeof(s)))
			return SEV_RET_INVALID_ADDRESS;
		if (d->dh_cert_len != SEV_CERT_SIZE)
			return SEV_RET_INVALID_LEN;
		ret = sevfw_guest_read_cert(fw, d->dh_cert_address, &cert);
		if (ret)
			return ret;
		ret = sevfw_channel_server(fw, cert, &s, d->policy, &ch);
		kfree(cert);
		if (ret == SEV_RET_SUCCESS)
			ret = sevfw_guest_policy_check(fw, d->policy);
		if (ret)
			goto out;
		session = true;
	}

	ret = sevfw_guest_create(fw, d->handle, d->policy,
				 session ? &ch : NULL, SEVFW_GSTATE_LUPDATE,
				 &handle);
	if (ret == SEV_RET_SUCCESS)
		d->handle = handle;
out:
	memzero_explicit(&ch, sizeof(ch));
	return ret;
}

/*
 * Hash a range into the launch digest, then encrypt it in place under the
 * VEK. In transparent memory the plaintext stays (the range is only
 * measured), for data and VMSAs alike. For a VMSA (@rec set, the range is
 * one SEVFW_VMSA_LEN chunk) the bytes are hashed exactly as supplied and
 * recorded for SEND_UPDATE_VMSA before they are encrypted; the firmware
 * changes nothing else in the page. The caller checked the range.
 */
static u16 sevfw_launch_import(struct sevfw *fw, struct sevfw_guest *g,
			       u64 addr, u32 len, struct sevfw_vmsa_rec *rec)
{
	u64 pa = sevfw_mem_pa(fw, addr);
	u16 status = SEV_RET_SUCCESS;
	u32 done = 0;
	u8 *chunk;

	BUILD_BUG_ON(SEVFW_VMSA_LEN > PAGE_SIZE);
	chunk = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!chunk)
		return SEV_RET_HWSEV_RET_UNSAFE;
	while (done < len) {
		u32 n = min_t(u32, len - done, PAGE_SIZE);

		/* a safe point: whole pages done, the rest untouched */
		if (sevfw_yield(fw)) {
			status = SEVFW_RET_CANCELLED;
			break;
		}
		/* the range was checked: neither access can fail */
		sevfw_mem_read(fw, pa + done, chunk, n);
		sevfw_accel_sha256(fw->accel, &g->ld_ctx, chunk, n);
		if (rec) {
			sevfw_es_vmsa_record(fw, rec, g->handle, pa, chunk);
			rec = NULL;
		}
		if (fw->p.mem_mode == SEVFW_MEM_OPAQUE) {
			sevfw_xex_encrypt(fw, g->vek, pa + done, chunk, n);
			sevfw_mem_write(fw, pa + done, chunk, n);
		}
		done += n;
	}
	kfree_sensitive(chunk);
	return status;
}

/*
 * LAUNCH_UPDATE_DATA and, after its length check, LAUNCH_UPDATE_VMSA: the
 * checks of facts §3.1 in order (the VMSA's ES check comes right after the
 * guest state, as in AMD's firmware), then the range must be RAM, then a
 * VMSA needs an integrity record (RESOURCE_LIMIT when none is free).
 */
static u16 sevfw_launch_update(struct sevfw *fw, void *buf, bool vmsa)
{
	struct sev_data_launch_update_data *d = buf;
	struct sevfw_vmsa_rec *rec = NULL;
	struct sevfw_guest *g;
	u16 status;

	g = sevfw_guest_cmd_get(fw, d->handle, BIT(SEVFW_GSTATE_LUPDATE), &status);
	if (!g)
		return status;
	if (vmsa && !g->es)
		return SEV_RET_UNSUPPORTED;
	if (!sevfw_guest_bound(fw, g))
		return SEV_RET_INACTIVE;
	if (!IS_ALIGNED(sevfw_mem_pa(fw, d->address), 16))
		return SEV_RET_INVALID_ADDRESS;
	if (!d->len || !IS_ALIGNED(d->len, 16))
		return SEV_RET_INVALID_LEN;
	if (sevfw_mem_check(fw, d->address, d->len))
		return SEV_RET_INVALID_ADDRESS;
	if (vmsa) {
		status = sevfw_es_vmsa_slot(fw, d->address, &rec);
		if (status)
			return status;
	}
	return sevfw_launch_import(fw, g, d->address, d->len, rec);
}

u16 sevfw_cmd_launch_update_data(struct sevfw *fw, void *buf)
{
	return sevfw_launch_update(fw, buf, false);
}

u16 sevfw_cmd_launch_update_vmsa(struct sevfw *fw, void *buf)
{
	struct sev_data_launch_update_vmsa *d = buf;

	if (d->len != SEVFW_VMSA_LEN)
		return SEV_RET_INVALID_LEN;
	return sevfw_launch_update(fw, buf, true);
}

static void sevfw_mnonce(struct sevfw *fw, u8 mnonce[SEVFW_MNONCE_LEN])
{
#if IS_ENABLED(CONFIG_SEVFW_KUNIT_TEST)
	if (fw->test_mnonce_set) {
		memcpy(mnonce, fw->test_mnonce, SEVFW_MNONCE_LEN);
		fw->test_mnonce_set = false;
		return;
	}
#endif
	get_random_bytes(mnonce, SEVFW_MNONCE_LEN);
}

u16 sevfw_cmd_launch_measure(struct sevfw *fw, void *buf)
{
	struct sev_data_launch_measure *d = buf;
	u8 out[SEVFW_MEASURE_LEN], ld[SHA256_DIGEST_SIZE];
	struct sha256_state ctx;
	struct sevfw_guest *g;
	u16 status;

	g = sevfw_guest_cmd_get(fw, d->handle, BIT(SEVFW_GSTATE_LUPDATE), &status);
	if (!g)
		return status;
	if (d->len < SEVFW_MEASURE_LEN) {
		d->len = SEVFW_MEASURE_LEN;
		return SEV_RET_INVALID_LEN;
	}

	/* finalise a copy, so that a failed write leaves the guest as it was */
	ctx = g->ld_ctx;
	sha256_final(&ctx, ld);
	sevfw_mnonce(fw, out + SHA256_DIGEST_SIZE);
	sevfw_measure(g->tik, fw->p.api_major, fw->p.api_minor, fw->p.build,
		      g->policy, ld, out + SHA256_DIGEST_SIZE, out);
	if (sevfw_mem_write(fw, d->address, out, sizeof(out)))
		return SEV_RET_INVALID_ADDRESS;

	memcpy(g->ld, ld, sizeof(g->ld));
	memcpy(g->measure, out, sizeof(g->measure));
	g->state = SEVFW_GSTATE_LSECRET;
	d->len = SEVFW_MEASURE_LEN;
	return SEV_RET_SUCCESS;
}

u16 sevfw_cmd_launch_secret(struct sevfw *fw, void *buf)
{
	struct sevfw_data_transport *d = buf;
	struct sevfw_pkt_hdr hdr;
	u8 mac[SEVFW_HMAC_BYTES];
	struct sevfw_guest *g;
	u16 status;
	u8 *data;
	u16 ret;

	g = sevfw_guest_cmd_get(fw, d->handle, 0, &status);
	if (!g)
		return status;
	if (!IS_ALIGNED(sevfw_mem_pa(fw, d->guest_address), 16))
		return SEV_RET_INVALID_ADDRESS;
	if (d->hdr_len != SEVFW_PKT_HDR_LEN || !d->guest_len ||
	    !IS_ALIGNED(d->guest_len, 16) || d->guest_len > SEVFW_XFER_MAX ||
	    d->guest_len != d->trans_len)
		return SEV_RET_INVALID_LEN;
	if (g->state != SEVFW_GSTATE_LSECRET)
		return SEV_RET_INVALID_GUEST_STATE;
	if (!sevfw_guest_bound(fw, g))
		return SEV_RET_INACTIVE;

	if (sevfw_mem_read(fw, d->hdr_address, &hdr, sizeof(hdr)))
		return SEV_RET_INVALID_ADDRESS;
	data = kmalloc(d->trans_len, GFP_KERNEL);
	if (!data)
		return SEV_RET_HWSEV_RET_UNSAFE;
	ret = SEV_RET_INVALID_ADDRESS;
	if (sevfw_mem_read(fw, d->trans_address, data, d->trans_len))
		goto out;

	ret = SEV_RET_BAD_MEASUREMENT;
	sevfw_packet_mac(g->tik, SEVFW_CTX_SECRET, &hdr, d->guest_len,
			 d->trans_len, data, g->measure, mac);
	if (!sevfw_mac_equal(mac, hdr.mac, sizeof(mac)))
		goto out;
	ret = SEV_RET_UNSUPPORTED;
	if (le32_to_cpu(hdr.flags) & SEVFW_PKT_COMPRESSED)
		goto out;
	sevfw_aes128_ctr(g->tek, hdr.iv, data, data, d->trans_len);
	ret = SEV_RET_INVALID_ADDRESS;
	if (sevfw_gmem_write(fw, g, d->guest_address, data, d->guest_len))
		goto out;
	ret = SEV_RET_SUCCESS;
out:
	kfree_sensitive(data);
	return ret;
}

u16 sevfw_cmd_launch_finish(struct sevfw *fw, void *buf)
{
	struct sev_data_launch_finish *d = buf;
	struct sevfw_guest *g;
	u16 status;

	g = sevfw_guest_cmd_get(fw, d->handle, BIT(SEVFW_GSTATE_LSECRET), &status);
	if (!g)
		return status;

	sevfw_guest_finish_pending(fw, g);
	sevfw_guest_channel_close(g);
	memzero_explicit(&g->ld_ctx, sizeof(g->ld_ctx));
	g->state = SEVFW_GSTATE_RUNNING;
	return SEV_RET_SUCCESS;
}
