/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest side of the software SEV firmware: command handlers, guest
 * contexts and ASIDs, guest memory under the VEK, the trusted channel
 * (sessions, KDF, packet MACs) and certificate chains for SEND_START.
 * Internal to the firmware objects; include after sevfw-internal.h.
 */

#ifndef _SEVFW_GUEST_H
#define _SEVFW_GUEST_H

#include <linux/bits.h>
#include <linux/types.h>

struct sevfw;
struct sevfw_guest;
struct sev_cert;
struct sevfw_ecc_pub;

/* Guest policy bits (facts §6) */
#define SEVFW_POLICY_NODBG	BIT(0)
#define SEVFW_POLICY_NOKS	BIT(1)
#define SEVFW_POLICY_ES		BIT(2)
#define SEVFW_POLICY_NOSEND	BIT(3)
#define SEVFW_POLICY_DOMAIN	BIT(4)
#define SEVFW_POLICY_SEV	BIT(5)
#define SEVFW_POLICY_RSVD	GENMASK(15, 6)
#define SEVFW_POLICY_API_MAJOR(p)	(((p) >> 16) & 0xff)
#define SEVFW_POLICY_API_MINOR(p)	(((p) >> 24) & 0xff)

/* Fixed sizes of the guest commands' blobs */
#define SEVFW_SESSION_LEN	0x80
#define SEVFW_PKT_HDR_LEN	0x34
#define SEVFW_MEASURE_LEN	0x30	/* MEASURE[32] || MNONCE[16] */
#define SEVFW_REPORT_LEN	0xD0
#define SEVFW_VMSA_LEN		4096
#define SEVFW_XFER_MAX		0x5000	/* scratch buffer: one transfer */
#define SEVFW_MNONCE_LEN	16

/* MAC context bytes of the channel (facts §8.8, §8.9, §10.2) */
#define SEVFW_CTX_SECRET	0x01
#define SEVFW_CTX_DATA		0x02
#define SEVFW_CTX_VMSA		0x02	/* Genoa firmware uses DATA's byte */
#define SEVFW_CTX_MEASURE	0x04

/* packet header FLAGS */
#define SEVFW_PKT_COMPRESSED	BIT(0)

/**
 * struct sevfw_session - the 0x80-byte session blob (facts §8.5)
 * @nonce: context of the master-secret KDF
 * @wrap_tk: TEK || TIK encrypted with the KEK
 * @wrap_iv: counter block of that encryption
 * @wrap_mac: HMAC(KIK, wrap_tk)
 * @policy_mac: HMAC(TIK, policy as LE32)
 */
struct sevfw_session {
	u8 nonce[16];
	u8 wrap_tk[32];
	u8 wrap_iv[16];
	u8 wrap_mac[32];
	u8 policy_mac[32];
} __packed;

/**
 * struct sevfw_pkt_hdr - header of a LAUNCH_SECRET or SEND/RECEIVE packet
 * @flags: bit 0 COMPRESSED (never accepted)
 * @iv: AES-128-CTR counter block of the payload
 * @mac: HMAC-SHA256 with the TIK (sevfw_packet_mac())
 */
struct sevfw_pkt_hdr {
	__le32 flags;
	u8 iv[16];
	u8 mac[32];
} __packed;

/**
 * struct sevfw_data_transport - command buffer of LAUNCH_SECRET and of the
 * SEND/RECEIVE_UPDATE_* commands (the firmware's layout, also for
 * SEND_UPDATE_VMSA: facts §10.1)
 * @handle: guest handle
 * @reserved1: reserved
 * @hdr_address: packet header
 * @hdr_len: its length (SEND: in/out)
 * @reserved2: reserved
 * @guest_address: guest memory
 * @guest_len: bytes of guest memory
 * @reserved3: reserved
 * @trans_address: transport buffer (the payload)
 * @trans_len: its length
 */
struct sevfw_data_transport {
	u32 handle;
	u32 reserved1;
	u64 hdr_address;
	u32 hdr_len;
	u32 reserved2;
	u64 guest_address;
	u32 guest_len;
	u32 reserved3;
	u64 trans_address;
	u32 trans_len;
} __packed;

/**
 * struct sevfw_data_copy - COPY command buffer (not in Linux)
 * @handle: guest handle
 * @length: bytes, a non-zero multiple of 4096
 * @src_paddr: source, 4 KiB aligned
 * @dst_paddr: destination, 4 KiB aligned
 */
struct sevfw_data_copy {
	u32 handle;
	u32 length;
	u64 src_paddr;
	u64 dst_paddr;
} __packed;

/**
 * struct sevfw_channel - keys of an open trusted channel
 * @ms: master secret
 * @tek: transport encryption key
 * @tik: transport integrity key
 */
struct sevfw_channel {
	u8 ms[16];
	u8 tek[16];
	u8 tik[16];
};

/* sevfw-guest.c: contexts, ASIDs and the commands that manage them */
struct sevfw_guest *sevfw_guest_get(struct sevfw *fw, u32 handle);
struct sevfw_guest *sevfw_guest_cmd_get(struct sevfw *fw, u32 handle,
					unsigned long states, u16 *status);
bool sevfw_guest_bound(struct sevfw *fw, const struct sevfw_guest *g);
void sevfw_guest_finish_pending(struct sevfw *fw, struct sevfw_guest *g);
void sevfw_guest_channel_close(struct sevfw_guest *g);
u16 sevfw_guest_policy_check(struct sevfw *fw, u32 policy);
u16 sevfw_guest_read_cert(struct sevfw *fw, u64 addr, struct sev_cert **out);
u16 sevfw_guest_create(struct sevfw *fw, u32 share, u32 policy,
		       const struct sevfw_channel *ch, u8 state, u32 *handle);
u16 sevfw_cmd_decommission(struct sevfw *fw, void *buf);
u16 sevfw_cmd_activate(struct sevfw *fw, void *buf);
u16 sevfw_cmd_deactivate(struct sevfw *fw, void *buf);
u16 sevfw_cmd_guest_status(struct sevfw *fw, void *buf);

/* sevfw-es.c: SEV-ES VMSA integrity records */
struct sevfw_vmsa_rec;
struct sevfw_vmsa_rec *sevfw_es_find(struct sevfw *fw, u64 pa);
u16 sevfw_es_vmsa_slot(struct sevfw *fw, u64 addr,
		       struct sevfw_vmsa_rec **rec);
void sevfw_es_vmsa_record(struct sevfw *fw, struct sevfw_vmsa_rec *rec,
			  u32 handle, u64 addr, const u8 *vmsa);
u16 sevfw_es_vmsa_check(struct sevfw *fw, const struct sevfw_guest *g,
			u64 addr, const u8 *vmsa, u32 len);
void sevfw_es_guest_drop(struct sevfw *fw, u32 handle);
void sevfw_es_clear(struct sevfw *fw);

/* sevfw-memcrypt.c: guest memory as the guest sees it (pa: C-bit masked) */
void sevfw_vek_encrypt(const u8 vek[32], u64 pa, u8 *buf, size_t len);
void sevfw_vek_decrypt(const u8 vek[32], u64 pa, u8 *buf, size_t len);
void sevfw_xex_encrypt(const struct sevfw *fw, const u8 vek[32], u64 pa,
		       u8 *buf, size_t len);
void sevfw_xex_decrypt(const struct sevfw *fw, const u8 vek[32], u64 pa,
		       u8 *buf, size_t len);
int sevfw_gmem_read(const struct sevfw *fw, const struct sevfw_guest *g,
		    u64 addr, u8 *buf, size_t len);
int sevfw_gmem_write(const struct sevfw *fw, const struct sevfw_guest *g,
		     u64 addr, u8 *buf, size_t len);

/* sevfw-channel.c: sessions, measurement and packet MACs */
u16 sevfw_channel_server(struct sevfw *fw, const struct sev_cert *peer,
			 const struct sevfw_session *s, u32 policy,
			 struct sevfw_channel *ch);
u16 sevfw_channel_client(struct sevfw *fw, const struct sev_cert *peer,
			 u32 policy, struct sevfw_session *s,
			 struct sevfw_channel *ch);
void sevfw_session_wrap(const u8 *z, size_t zlen, const u8 nonce[16],
			const u8 wrap_iv[16], const u8 tek[16],
			const u8 tik[16], u32 policy, struct sevfw_session *s);
void sevfw_measure(const u8 tik[16], u8 api_major, u8 api_minor, u8 build,
		   u32 policy, const u8 ld[32], const u8 mnonce[16],
		   u8 out[32]);
void sevfw_packet_mac(const u8 tik[16], u8 ctx,
		      const struct sevfw_pkt_hdr *hdr, u32 guest_len,
		      u32 trans_len, const u8 *payload, const u8 *measure,
		      u8 out[32]);
void sevfw_packet_iv(const u8 ms[16], u64 seq, u8 iv[16]);

/* sevfw-rsa.c: RSASSA-PSS verification (little-endian operands) */
int sevfw_rsa_pss_verify(const u8 *mod_le, size_t mod_len,
			 const u8 *exp_le, size_t exp_len,
			 const u8 *sig_le, const char *hash_alg,
			 const u8 *msg, size_t msg_len);

/* sevfw-chain.c: the receiver's certificates in SEND_START */
u16 sevfw_chain_check_sev(const u8 *amd, size_t amd_len,
			  const struct sev_cert *plat,
			  const struct sev_cert *pdh);
bool sevfw_chain_amd_len_valid(u32 len);
u16 sevfw_chain_check_domain(struct sevfw *fw, const struct sev_cert *plat,
			     const struct sev_cert *pdh);

/* sevfw-launch.c */
u16 sevfw_cmd_launch_start(struct sevfw *fw, void *buf);
u16 sevfw_cmd_launch_update_data(struct sevfw *fw, void *buf);
u16 sevfw_cmd_launch_update_vmsa(struct sevfw *fw, void *buf);
u16 sevfw_cmd_launch_measure(struct sevfw *fw, void *buf);
u16 sevfw_cmd_launch_secret(struct sevfw *fw, void *buf);
u16 sevfw_cmd_launch_finish(struct sevfw *fw, void *buf);

/* sevfw-attest.c */
u16 sevfw_cmd_attestation(struct sevfw *fw, void *buf);

/* sevfw-transport.c */
u16 sevfw_cmd_send_start(struct sevfw *fw, void *buf);
u16 sevfw_cmd_send_update_data(struct sevfw *fw, void *buf);
u16 sevfw_cmd_send_update_vmsa(struct sevfw *fw, void *buf);
u16 sevfw_cmd_send_finish(struct sevfw *fw, void *buf);
u16 sevfw_cmd_send_cancel(struct sevfw *fw, void *buf);
u16 sevfw_cmd_receive_start(struct sevfw *fw, void *buf);
u16 sevfw_cmd_receive_update_data(struct sevfw *fw, void *buf);
u16 sevfw_cmd_receive_update_vmsa(struct sevfw *fw, void *buf);
u16 sevfw_cmd_receive_finish(struct sevfw *fw, void *buf);

/* sevfw-debug.c */
u16 sevfw_cmd_dbg_decrypt(struct sevfw *fw, void *buf);
u16 sevfw_cmd_dbg_encrypt(struct sevfw *fw, void *buf);
u16 sevfw_cmd_copy(struct sevfw *fw, void *buf);

/* sevfw-testhooks.c: KUnit builds only */
#if IS_ENABLED(CONFIG_SEVFW_KUNIT_TEST)
int sevfw_test_install_pdh(struct sevfw *fw, const u8 d[48]);
void sevfw_test_set_mnonce(struct sevfw *fw, const u8 mnonce[16]);
#endif

#endif /* _SEVFW_GUEST_H */
