// SPDX-License-Identifier: GPL-2.0-only
/*
 * The trusted channel between the firmware and a guest owner or another
 * firmware (facts §8.5-8.9): session blobs, the master secret and its KEK
 * and KIK, the launch measurement and the MACs of the packets that
 * LAUNCH_SECRET and SEND/RECEIVE_UPDATE_* carry.
 *
 * Beyond the spec (a project choice): the IV of the n-th SEND_UPDATE packet
 * of a session is derived from the master secret and n (sevfw_packet_iv()),
 * and the receiver accepts only the IV of the packet it expects next. The
 * MAC covers the IV, so a replayed, reordered or dropped packet is refused
 * (BAD_MEASUREMENT). A firmware that follows the spec picks random IVs, so
 * its packets are refused here (migrating from AMD hardware into this
 * emulator is out of scope); the packets this firmware sends are accepted
 * by any receiver that follows the spec.
 */

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/psp-sev.h>
#include <linux/random.h>
#include <linux/string.h>

#include "sevfw-internal.h"
#include "sevfw-guest.h"

static_assert(sizeof(struct sevfw_session) == SEVFW_SESSION_LEN);
static_assert(sizeof(struct sevfw_pkt_hdr) == SEVFW_PKT_HDR_LEN);
static_assert(sizeof(struct sevfw_data_transport) == 0x34);
static_assert(sizeof(struct sevfw_data_copy) == 0x18);

#define SEVFW_KEY_LEN	16

/* MS, then the KEK and KIK from it (facts §8.5 steps 2-3) */
static void sevfw_channel_keys(const u8 *z, size_t zlen, const u8 nonce[16],
			       u8 ms[16], u8 kek[16], u8 kik[16])
{
	sevfw_kdf(z, zlen, "sev-master-secret", nonce, 16, ms, SEVFW_KEY_LEN);
	sevfw_kdf(ms, SEVFW_KEY_LEN, "sev-kek", NULL, 0, kek, SEVFW_KEY_LEN);
	sevfw_kdf(ms, SEVFW_KEY_LEN, "sev-kik", NULL, 0, kik, SEVFW_KEY_LEN);
}

static void sevfw_policy_mac(const u8 tik[16], u32 policy, u8 mac[32])
{
	__le32 le = cpu_to_le32(policy);

	sevfw_hmac(tik, SEVFW_KEY_LEN, &le, sizeof(le), mac);
}

/* The peer's DH certificate: a valid P-384 key with usage PDH, ECDH_SHA256 */
static u16 sevfw_channel_peer(struct sevfw *fw, const struct sev_cert *peer,
			      u8 z[SEVFW_P384_BYTES])
{
	struct sevfw_ecc_pub pub;

	if (sevfw_cert_pubkey(peer, &pub) != SEV_RET_SUCCESS ||
	    le32_to_cpu(peer->pub_usage) != SEV_USAGE_PDH ||
	    le32_to_cpu(peer->pub_algo) != SEV_ALGO_ECDH_SHA256)
		return SEV_RET_INVALID_CERTIFICATE;
	if (sevfw_ecdh(&fw->id.pdh_key, &pub, z))
		return SEV_RET_INVALID_CERTIFICATE;
	return SEV_RET_SUCCESS;
}

/**
 * sevfw_session_wrap - build a session blob (the client's side)
 * @z: shared secret (48 bytes from ECDH; any length for test vectors)
 * @zlen: its length
 * @nonce: session nonce
 * @wrap_iv: counter block for wrapping the keys
 * @tek: transport encryption key
 * @tik: transport integrity key
 * @policy: guest policy (for POLICY_MAC)
 * @s: out: the blob
 */
void sevfw_session_wrap(const u8 *z, size_t zlen, const u8 nonce[16],
			const u8 wrap_iv[16], const u8 tek[16],
			const u8 tik[16], u32 policy, struct sevfw_session *s)
{
	u8 ms[16], kek[16], kik[16];

	sevfw_channel_keys(z, zlen, nonce, ms, kek, kik);
	memcpy(s->nonce, nonce, sizeof(s->nonce));
	memcpy(s->wrap_iv, wrap_iv, sizeof(s->wrap_iv));
	memcpy(s->wrap_tk, tek, SEVFW_KEY_LEN);
	memcpy(s->wrap_tk + SEVFW_KEY_LEN, tik, SEVFW_KEY_LEN);
	sevfw_aes128_ctr(kek, wrap_iv, s->wrap_tk, s->wrap_tk,
			 sizeof(s->wrap_tk));
	sevfw_hmac(kik, sizeof(kik), s->wrap_tk, sizeof(s->wrap_tk),
		   s->wrap_mac);
	sevfw_policy_mac(tik, policy, s->policy_mac);
	memzero_explicit(ms, sizeof(ms));
	memzero_explicit(kek, sizeof(kek));
	memzero_explicit(kik, sizeof(kik));
}

/**
 * sevfw_channel_server - open a channel from a received session blob
 * @fw: instance (its PDH private key)
 * @peer: the guest owner's (LAUNCH_START) or sender's (RECEIVE_START) DH
 *	  certificate; its signatures are not checked
 * @s: the session blob
 * @policy: the policy the command names
 * @ch: out: master secret, TEK and TIK (zeroed on failure)
 *
 * Checks in the firmware's order: the certificate body, then WRAP_MAC,
 * then (after unwrapping the keys) POLICY_MAC.
 *
 * Return: SUCCESS, INVALID_CERTIFICATE or BAD_MEASUREMENT.
 */
u16 sevfw_channel_server(struct sevfw *fw, const struct sev_cert *peer,
			 const struct sevfw_session *s, u32 policy,
			 struct sevfw_channel *ch)
{
	u8 z[SEVFW_P384_BYTES], kek[16], kik[16], tk[32], mac[32];
	u16 ret;

	memset(ch, 0, sizeof(*ch));
	ret = sevfw_channel_peer(fw, peer, z);
	if (ret)
		goto out;
	sevfw_channel_keys(z, sizeof(z), s->nonce, ch->ms, kek, kik);

	ret = SEV_RET_BAD_MEASUREMENT;
	sevfw_hmac(kik, sizeof(kik), s->wrap_tk, sizeof(s->wrap_tk), mac);
	if (!sevfw_mac_equal(mac, s->wrap_mac, sizeof(mac)))
		goto out;
	sevfw_aes128_ctr(kek, s->wrap_iv, s->wrap_tk, tk, sizeof(tk));
	memcpy(ch->tek, tk, SEVFW_KEY_LEN);
	memcpy(ch->tik, tk + SEVFW_KEY_LEN, SEVFW_KEY_LEN);
	sevfw_policy_mac(ch->tik, policy, mac);
	if (!sevfw_mac_equal(mac, s->policy_mac, sizeof(mac)))
		goto out;
	ret = SEV_RET_SUCCESS;
out:
	if (ret)
		memzero_explicit(ch, sizeof(*ch));
	memzero_explicit(z, sizeof(z));
	memzero_explicit(kek, sizeof(kek));
	memzero_explicit(kik, sizeof(kik));
	memzero_explicit(tk, sizeof(tk));
	return ret;
}

/**
 * sevfw_channel_client - open a channel to another firmware (SEND_START)
 * @fw: instance (its PDH private key)
 * @peer: the receiver's PDH certificate
 * @policy: the guest policy
 * @s: out: the session blob for the receiver's RECEIVE_START
 * @ch: out: master secret and the fresh random TEK and TIK
 *
 * Return: SUCCESS or INVALID_CERTIFICATE.
 */
u16 sevfw_channel_client(struct sevfw *fw, const struct sev_cert *peer,
			 u32 policy, struct sevfw_session *s,
			 struct sevfw_channel *ch)
{
	u8 z[SEVFW_P384_BYTES], nonce[16], iv[16], kek[16], kik[16];
	u16 ret;

	memset(ch, 0, sizeof(*ch));
	ret = sevfw_channel_peer(fw, peer, z);
	if (ret)
		return ret;
	get_random_bytes(ch->tek, sizeof(ch->tek));
	get_random_bytes(ch->tik, sizeof(ch->tik));
	get_random_bytes(nonce, sizeof(nonce));
	get_random_bytes(iv, sizeof(iv));
	sevfw_session_wrap(z, sizeof(z), nonce, iv, ch->tek, ch->tik, policy,
			   s);
	sevfw_channel_keys(z, sizeof(z), nonce, ch->ms, kek, kik);
	memzero_explicit(z, sizeof(z));
	memzero_explicit(kek, sizeof(kek));
	memzero_explicit(kik, sizeof(kik));
	return SEV_RET_SUCCESS;
}

/**
 * sevfw_measure - the launch measurement (facts §8.7)
 * @tik: the guest's TIK (zero without a session)
 * @api_major: platform API major
 * @api_minor: platform API minor
 * @build: platform build
 * @policy: guest policy
 * @ld: launch digest
 * @mnonce: the firmware's nonce
 * @out: HMAC-SHA256(TIK, 0x04 || major || minor || build || LE32(policy) ||
 *	 LD || MNONCE)
 */
void sevfw_measure(const u8 tik[16], u8 api_major, u8 api_minor, u8 build,
		   u32 policy, const u8 ld[32], const u8 mnonce[16],
		   u8 out[32])
{
	u8 head[4] = { SEVFW_CTX_MEASURE, api_major, api_minor, build };
	__le32 le = cpu_to_le32(policy);
	struct sevfw_hmac h;

	sevfw_hmac_init(&h, tik, SEVFW_KEY_LEN);
	sevfw_hmac_update(&h, head, sizeof(head));
	sevfw_hmac_update(&h, &le, sizeof(le));
	sevfw_hmac_update(&h, ld, SHA256_DIGEST_SIZE);
	sevfw_hmac_update(&h, mnonce, SEVFW_MNONCE_LEN);
	sevfw_hmac_final(&h, out);
}

/**
 * sevfw_packet_mac - MAC of a LAUNCH_SECRET or SEND/RECEIVE packet
 * @tik: transport integrity key
 * @ctx: SEVFW_CTX_SECRET, SEVFW_CTX_DATA or SEVFW_CTX_VMSA
 * @hdr: the header (its FLAGS and IV are covered; its MAC is not)
 * @guest_len: GUEST_LEN
 * @trans_len: TRANS_LEN, the length of @payload
 * @payload: the ciphertext
 * @measure: for LAUNCH_SECRET the measurement, else NULL
 * @out: HMAC-SHA256(TIK, ctx || FLAGS || IV || LE32(guest_len) ||
 *	 LE32(trans_len) || payload [|| measure])
 */
void sevfw_packet_mac(const u8 tik[16], u8 ctx,
		      const struct sevfw_pkt_hdr *hdr, u32 guest_len,
		      u32 trans_len, const u8 *payload, const u8 *measure,
		      u8 out[32])
{
	__le32 glen = cpu_to_le32(guest_len), tlen = cpu_to_le32(trans_len);
	struct sevfw_hmac h;

	sevfw_hmac_init(&h, tik, SEVFW_KEY_LEN);
	sevfw_hmac_update(&h, &ctx, 1);
	sevfw_hmac_update(&h, &hdr->flags, sizeof(hdr->flags));
	sevfw_hmac_update(&h, hdr->iv, sizeof(hdr->iv));
	sevfw_hmac_update(&h, &glen, sizeof(glen));
	sevfw_hmac_update(&h, &tlen, sizeof(tlen));
	sevfw_hmac_update(&h, payload, trans_len);
	if (measure)
		sevfw_hmac_update(&h, measure, SHA256_DIGEST_SIZE);
	sevfw_hmac_final(&h, out);
}

/**
 * sevfw_packet_iv - the IV of a session's n-th SEND/RECEIVE_UPDATE packet
 * @ms: the session's master secret
 * @seq: n, counting SEND_UPDATE_DATA and SEND_UPDATE_VMSA packets from 0
 * @iv: out: KDF(MS, "sev-emu-packet-iv", LE64(n)), 16 bytes
 *
 * A project choice beyond the spec (see the top of this file).
 */
void sevfw_packet_iv(const u8 ms[16], u64 seq, u8 iv[16])
{
	__le64 le = cpu_to_le64(seq);

	sevfw_kdf(ms, SEVFW_KEY_LEN, "sev-emu-packet-iv", (const u8 *)&le,
		  sizeof(le), iv, 16);
}
