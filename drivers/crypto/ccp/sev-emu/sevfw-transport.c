// SPDX-License-Identifier: GPL-2.0-only
/*
 * Migration commands of the software SEV firmware: SEND_START,
 * SEND_UPDATE_DATA, SEND_UPDATE_VMSA, SEND_FINISH, SEND_CANCEL,
 * RECEIVE_START, RECEIVE_UPDATE_DATA, RECEIVE_UPDATE_VMSA and
 * RECEIVE_FINISH (facts §3.1, §8.6, §8.9).
 *
 * Packets: AES-128-CTR under the TEK, HMAC-SHA256 under the TIK over the
 * header fields and the ciphertext (encrypt-then-MAC). The n-th packet of
 * a session uses the IV sevfw_packet_iv(MS, n) and the receiver accepts
 * only the packet it expects next (a project choice, see sevfw-channel.c).
 * The MAC does not bind the guest address, as in the spec: the host
 * decides where a page lands on the target.
 *
 * SEV-ES: SEND_UPDATE_VMSA sends only a VMSA that matches the integrity
 * record the firmware keeps for its address (INVALID_PARAM otherwise);
 * RECEIVE_UPDATE_VMSA takes exactly one 4096-byte VMSA and records it.
 */

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/psp-sev.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "sevfw-internal.h"
#include "sevfw-guest.h"

#define SEVFW_AMD_CERTS_MAX	0xC80

struct sevfw_send_certs {
	struct sev_cert plat[3];	/* PEK, OCA, CEK */
	struct sev_cert pdh;
	u8 amd[SEVFW_AMD_CERTS_MAX];
};

static u16 sevfw_send_read_plat(struct sevfw *fw, struct sev_data_send_start *d,
				struct sevfw_send_certs *c)
{
	if (sevfw_mem_read(fw, d->plat_certs_address, c->plat,
			   sizeof(c->plat)) ||
	    sevfw_mem_read(fw, d->pdh_cert_address, &c->pdh, sizeof(c->pdh)))
		return SEV_RET_INVALID_ADDRESS;
	return SEV_RET_SUCCESS;
}

/* SEND_START step 5: POLICY.SEV */
static u16 sevfw_send_check_sev(struct sevfw *fw, struct sevfw_guest *g,
				struct sev_data_send_start *d,
				struct sevfw_send_certs *c)
{
	u32 want, have;
	u16 ret;

	if (d->plat_certs_len != SEV_CERT_CHAIN_SIZE ||
	    d->pdh_cert_len != SEV_CERT_SIZE ||
	    !sevfw_chain_amd_len_valid(d->amd_certs_len))
		return SEV_RET_INVALID_LEN;
	ret = sevfw_send_read_plat(fw, d, c);
	if (ret)
		return ret;
	if (sevfw_mem_read(fw, d->amd_certs_address, c->amd, d->amd_certs_len))
		return SEV_RET_INVALID_ADDRESS;
	ret = sevfw_chain_check_sev(c->amd, d->amd_certs_len, c->plat, &c->pdh);
	if (ret)
		return ret;

	want = SEVFW_POLICY_API_MAJOR(g->policy) << 8 |
	       SEVFW_POLICY_API_MINOR(g->policy);
	have = (u32)c->plat[0].api_major << 8 | c->plat[0].api_minor;
	return have < want ? SEV_RET_POLICY_FAILURE : SEV_RET_SUCCESS;
}

/* SEND_START step 6: POLICY.DOMAIN (certificates already read: @have) */
static u16 sevfw_send_check_domain(struct sevfw *fw,
				   struct sev_data_send_start *d,
				   struct sevfw_send_certs *c, bool have)
{
	u16 ret;

	if (d->plat_certs_len != SEV_CERT_CHAIN_SIZE ||
	    d->pdh_cert_len != SEV_CERT_SIZE)
		return SEV_RET_INVALID_LEN;
	if (!have) {
		ret = sevfw_send_read_plat(fw, d, c);
		if (ret)
			return ret;
	}
	return sevfw_chain_check_domain(fw, c->plat, &c->pdh);
}

static u16 sevfw_send_start(struct sevfw *fw, struct sevfw_guest *g,
			    struct sev_data_send_start *d,
			    struct sevfw_send_certs *c)
{
	struct sevfw_channel ch;
	struct sevfw_session s;
	bool have = false;
	u16 ret;

	if (g->policy & SEVFW_POLICY_SEV) {
		ret = sevfw_send_check_sev(fw, g, d, c);
		if (ret)
			return ret;
		have = true;
	}
	if (g->policy & SEVFW_POLICY_DOMAIN) {
		ret = sevfw_send_check_domain(fw, d, c, have);
		if (ret)
			return ret;
		have = true;
	}
	if (!have) {
		if (d->pdh_cert_len != SEV_CERT_SIZE)
			return SEV_RET_INVALID_LEN;
		if (sevfw_mem_read(fw, d->pdh_cert_address, &c->pdh,
				   sizeof(c->pdh)))
			return SEV_RET_INVALID_ADDRESS;
	}

	ret = sevfw_channel_client(fw, &c->pdh, g->policy, &s, &ch);
	if (ret)
		return ret;
	if (sevfw_mem_write(fw, d->session_address, &s, sizeof(s))) {
		ret = SEV_RET_INVALID_ADDRESS;
		goto out;
	}
	d->policy = g->policy;
	memcpy(g->tek, ch.tek, sizeof(g->tek));
	memcpy(g->tik, ch.tik, sizeof(g->tik));
	memcpy(g->ms, ch.ms, sizeof(g->ms));
	g->pkt_seq = 0;
	g->state = SEVFW_GSTATE_SUPDATE;
out:
	memzero_explicit(&ch, sizeof(ch));
	return ret;
}

u16 sevfw_cmd_send_start(struct sevfw *fw, void *buf)
{
	struct sev_data_send_start *d = buf;
	struct sevfw_send_certs *c;
	struct sevfw_guest *g;
	u16 status;
	u16 ret;

	g = sevfw_guest_cmd_get(fw, d->handle, 0, &status);
	if (!g)
		return status;
	if (d->session_len != SEVFW_SESSION_LEN) {
		d->session_len = SEVFW_SESSION_LEN;
		return SEV_RET_INVALID_LEN;
	}
	if (g->state != SEVFW_GSTATE_RUNNING)
		return SEV_RET_INVALID_GUEST_STATE;
	if (g->policy & SEVFW_POLICY_NOSEND)
		return SEV_RET_POLICY_FAILURE;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return SEV_RET_HWSEV_RET_UNSAFE;
	ret = sevfw_send_start(fw, g, d, c);
	kfree(c);
	return ret;
}

static u8 sevfw_vmsa_ctx(struct sevfw *fw, bool vmsa)
{
	if (!vmsa)
		return SEVFW_CTX_DATA;
	return fw->p.vmsa_mac_ctx ? fw->p.vmsa_mac_ctx : SEVFW_CTX_VMSA;
}

static u16 sevfw_send_update(struct sevfw *fw, void *buf, bool vmsa)
{
	struct sevfw_data_transport *d = buf;
	struct sevfw_pkt_hdr hdr = { };
	struct sevfw_guest *g;
	u8 *data;
	u16 ret;

	if (fw->state != SEV_STATE_WORKING)
		return SEV_RET_INVALID_PLATFORM_STATE;
	if (d->hdr_len < SEVFW_PKT_HDR_LEN) {
		d->hdr_len = SEVFW_PKT_HDR_LEN;
		return SEV_RET_INVALID_LEN;
	}
	g = sevfw_guest_get(fw, d->handle);
	if (!g)
		return SEV_RET_INVALID_GUEST;
	if (g->state != SEVFW_GSTATE_SUPDATE)
		return SEV_RET_INVALID_GUEST_STATE;
	if (vmsa && !g->es)
		return SEV_RET_UNSUPPORTED;
	if (!sevfw_guest_bound(fw, g))
		return SEV_RET_INACTIVE;
	if (!d->guest_len || d->guest_len > SEVFW_XFER_MAX ||
	    !IS_ALIGNED(d->guest_len, 16) || !d->trans_len ||
	    d->trans_len < d->guest_len)
		return SEV_RET_INVALID_LEN;
	if (!IS_ALIGNED(sevfw_mem_pa(fw, d->guest_address), 16))
		return SEV_RET_INVALID_ADDRESS;
	if (sevfw_mem_check(fw, d->trans_address, d->guest_len) ||
	    sevfw_mem_check(fw, d->hdr_address, sizeof(hdr)))
		return SEV_RET_INVALID_ADDRESS;

	data = kmalloc(d->guest_len, GFP_KERNEL);
	if (!data)
		return SEV_RET_HWSEV_RET_UNSAFE;
	ret = SEV_RET_INVALID_ADDRESS;
	if (sevfw_gmem_read(fw, g, d->guest_address, data, d->guest_len))
		goto out;
	if (vmsa) {
		/* the VMSA must be the one the firmware last wrote there */
		ret = sevfw_es_vmsa_check(fw, g, d->guest_address, data,
					  d->guest_len);
		if (ret)
			goto out;
	}

	sevfw_packet_iv(g->ms, g->pkt_seq, hdr.iv);
	sevfw_aes128_ctr(g->tek, hdr.iv, data, data, d->guest_len);
	sevfw_packet_mac(g->tik, sevfw_vmsa_ctx(fw, vmsa), &hdr, d->guest_len,
			 d->guest_len, data, NULL, hdr.mac);
	/* both ranges were checked above */
	sevfw_mem_write(fw, d->trans_address, data, d->guest_len);
	sevfw_mem_write(fw, d->hdr_address, &hdr, sizeof(hdr));
	d->hdr_len = SEVFW_PKT_HDR_LEN;
	g->pkt_seq++;
	ret = SEV_RET_SUCCESS;
out:
	kfree_sensitive(data);
	return ret;
}

u16 sevfw_cmd_send_update_data(struct sevfw *fw, void *buf)
{
	return sevfw_send_update(fw, buf, false);
}

u16 sevfw_cmd_send_update_vmsa(struct sevfw *fw, void *buf)
{
	return sevfw_send_update(fw, buf, true);
}

static u16 sevfw_send_end(struct sevfw *fw, void *buf, u8 to)
{
	struct sev_data_send_finish *d = buf;
	struct sevfw_guest *g;
	u16 status;

	g = sevfw_guest_cmd_get(fw, d->handle, BIT(SEVFW_GSTATE_SUPDATE), &status);
	if (!g)
		return status;
	sevfw_guest_channel_close(g);
	g->state = to;
	return SEV_RET_SUCCESS;
}

u16 sevfw_cmd_send_finish(struct sevfw *fw, void *buf)
{
	return sevfw_send_end(fw, buf, SEVFW_GSTATE_SENT);
}

u16 sevfw_cmd_send_cancel(struct sevfw *fw, void *buf)
{
	return sevfw_send_end(fw, buf, SEVFW_GSTATE_RUNNING);
}

u16 sevfw_cmd_receive_start(struct sevfw *fw, void *buf)
{
	struct sev_data_receive_start *d = buf;
	struct sevfw_channel ch = { };
	struct sevfw_session s;
	struct sev_cert *cert;
	u32 handle;
	u16 ret;

	if (fw->state != SEV_STATE_INIT && fw->state != SEV_STATE_WORKING)
		return SEV_RET_INVALID_PLATFORM_STATE;
	if (d->session_len != SEVFW_SESSION_LEN)
		return SEV_RET_INVALID_LEN;
	if (sevfw_mem_read(fw, d->session_address, &s, sizeof(s)))
		return SEV_RET_INVALID_ADDRESS;
	if (d->pdh_cert_len != SEV_CERT_SIZE)
		return SEV_RET_INVALID_LEN;
	ret = sevfw_guest_read_cert(fw, d->pdh_cert_address, &cert);
	if (ret)
		return ret;
	ret = sevfw_channel_server(fw, cert, &s, d->policy, &ch);
	kfree(cert);
	if (ret == SEV_RET_SUCCESS)
		ret = sevfw_guest_policy_check(fw, d->policy);
	if (ret == SEV_RET_SUCCESS)
		ret = sevfw_guest_create(fw, d->handle, d->policy, &ch,
					 SEVFW_GSTATE_RUPDATE, &handle);
	if (ret == SEV_RET_SUCCESS)
		d->handle = handle;
	memzero_explicit(&ch, sizeof(ch));
	return ret;
}

static u16 sevfw_receive_update(struct sevfw *fw, void *buf, bool vmsa)
{
	struct sevfw_data_transport *d = buf;
	struct sevfw_vmsa_rec *rec = NULL;
	u8 mac[SEVFW_HMAC_BYTES], iv[16];
	struct sevfw_pkt_hdr hdr;
	struct sevfw_guest *g;
	u16 status;
	u8 *data;
	u16 ret;

	g = sevfw_guest_cmd_get(fw, d->handle, BIT(SEVFW_GSTATE_RUPDATE), &status);
	if (!g)
		return status;
	if (vmsa && !g->es)
		return SEV_RET_UNSUPPORTED;
	if (!sevfw_guest_bound(fw, g))
		return SEV_RET_INACTIVE;
	if (!d->trans_len || d->trans_len > SEVFW_XFER_MAX ||
	    d->guest_len != d->trans_len || !IS_ALIGNED(d->guest_len, 16) ||
	    d->hdr_len < SEVFW_PKT_HDR_LEN ||
	    (vmsa && d->guest_len != SEVFW_VMSA_LEN))
		return SEV_RET_INVALID_LEN;
	if (!IS_ALIGNED(sevfw_mem_pa(fw, d->guest_address), 16))
		return SEV_RET_INVALID_ADDRESS;

	if (sevfw_mem_read(fw, d->hdr_address, &hdr, sizeof(hdr)))
		return SEV_RET_INVALID_ADDRESS;
	data = kmalloc(d->trans_len, GFP_KERNEL);
	if (!data)
		return SEV_RET_HWSEV_RET_UNSAFE;
	ret = SEV_RET_INVALID_ADDRESS;
	if (sevfw_mem_read(fw, d->trans_address, data, d->trans_len))
		goto out;
	ret = SEV_RET_UNSUPPORTED;
	if (le32_to_cpu(hdr.flags) & SEVFW_PKT_COMPRESSED)
		goto out;
	ret = SEV_RET_BAD_MEASUREMENT;
	sevfw_packet_mac(g->tik, sevfw_vmsa_ctx(fw, vmsa), &hdr, d->guest_len,
			 d->trans_len, data, NULL, mac);
	if (!sevfw_mac_equal(mac, hdr.mac, sizeof(mac)))
		goto out;
	sevfw_packet_iv(g->ms, g->pkt_seq, iv);
	if (!sevfw_mac_equal(iv, hdr.iv, sizeof(iv)))
		goto out;

	ret = SEV_RET_INVALID_ADDRESS;
	if (sevfw_mem_check(fw, d->guest_address, d->guest_len))
		goto out;
	if (vmsa) {
		/* the ES per-vCPU data (facts §3.1) */
		ret = sevfw_es_vmsa_slot(fw, d->guest_address, &rec);
		if (ret)
			goto out;
	}

	sevfw_aes128_ctr(g->tek, hdr.iv, data, data, d->trans_len);
	if (rec)
		sevfw_es_vmsa_record(fw, rec, g->handle, d->guest_address, data);
	/* aligned and checked: cannot fail */
	sevfw_gmem_write(fw, g, d->guest_address, data, d->guest_len);
	g->pkt_seq++;
	ret = SEV_RET_SUCCESS;
out:
	kfree_sensitive(data);
	return ret;
}

u16 sevfw_cmd_receive_update_data(struct sevfw *fw, void *buf)
{
	return sevfw_receive_update(fw, buf, false);
}

u16 sevfw_cmd_receive_update_vmsa(struct sevfw *fw, void *buf)
{
	return sevfw_receive_update(fw, buf, true);
}

u16 sevfw_cmd_receive_finish(struct sevfw *fw, void *buf)
{
	struct sev_data_receive_finish *d = buf;
	struct sevfw_guest *g;
	u16 status;

	g = sevfw_guest_cmd_get(fw, d->handle, BIT(SEVFW_GSTATE_RUPDATE), &status);
	if (!g)
		return status;
	sevfw_guest_finish_pending(fw, g);
	sevfw_guest_channel_close(g);
	g->state = SEVFW_GSTATE_RUNNING;
	return SEV_RET_SUCCESS;
}
