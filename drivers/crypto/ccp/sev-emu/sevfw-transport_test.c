// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the software SEV firmware's migration commands: a guest
 * moves between two firmware instances with different identities (in both
 * memory modes, with the SEV policy's full ARK -> ASK -> CEK -> PEK -> PDH
 * chain check on the test roots), replayed and reordered packets are
 * refused, and every status of SEND_START, SEND_UPDATE_*, RECEIVE_START
 * and RECEIVE_UPDATE_* comes in the firmware's order (facts §3.1).
 */

#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/psp-sev.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "sevfw-internal.h"
#include "sevfw-guest.h"
#include "sevfw-test-util.h"
#include "sevfw-testroots.h"
#include "sevfw-session_testdata.h"

#define M_PAGES	3

/* Certificates a sender needs about a receiver */
struct m_target {
	struct sev_cert pdh;
	struct sev_cert plat[3];	/* PEK, OCA, CEK (ASK-signed) */
	u8 amd[0xC80];			/* ASK, ARK */
};

static struct m_target *m_target(struct kunit *test, struct sevfw *to)
{
	struct m_target *t = tu_alloc(test, sizeof(*t));

	tu_export(test, to, &t->pdh, t->plat);
	/* the exported CEK is unsigned; the "key server" copy is signed */
	memcpy(&t->plat[2], sevfw_test_cek_cert, SEV_CERT_SIZE);
	KUNIT_ASSERT_EQ(test, sevfw_test_ask_ark_len, sizeof(t->amd));
	memcpy(t->amd, sevfw_test_ask_ark, sizeof(t->amd));
	return t;
}

static struct sev_data_send_start *m_ss(struct kunit *test, u32 h,
					struct m_target *t, u8 *session)
{
	struct sev_data_send_start *d = tu_alloc(test, sizeof(*d));

	d->handle = h;
	d->pdh_cert_address = tu_pa(&t->pdh);
	d->pdh_cert_len = SEV_CERT_SIZE;
	d->plat_certs_address = tu_pa(t->plat);
	d->plat_certs_len = SEV_CERT_CHAIN_SIZE;
	d->amd_certs_address = tu_pa(t->amd);
	d->amd_certs_len = sizeof(t->amd);
	d->session_address = tu_pa(session);
	d->session_len = SEVFW_SESSION_LEN;
	return d;
}

/* A packet: header, payload */
struct m_pkt {
	struct sevfw_pkt_hdr hdr;
	u8 data[PAGE_SIZE];
	u32 len;
};

static struct sevfw_data_transport *m_xfer(struct kunit *test, u32 h,
					   void *guest, struct m_pkt *p,
					   u32 len)
{
	struct sevfw_data_transport *d = tu_alloc(test, sizeof(*d));

	d->handle = h;
	d->hdr_address = tu_pa(&p->hdr);
	d->hdr_len = SEVFW_PKT_HDR_LEN;
	d->guest_address = tu_pa(guest) | BIT_ULL(TU_CBIT);	/* as KVM */
	d->guest_len = len;
	d->trans_address = tu_pa(p->data);
	d->trans_len = len;
	return d;
}

static u16 m_send(struct kunit *test, struct sevfw *fw, u32 h, void *guest,
		  struct m_pkt *p, u32 len, bool vmsa)
{
	p->len = len;
	return tu_cmd(fw, vmsa ? SEV_CMD_SEND_UPDATE_VMSA :
		      SEV_CMD_SEND_UPDATE_DATA, m_xfer(test, h, guest, p, len));
}

static u16 m_recv(struct kunit *test, struct sevfw *fw, u32 h, void *guest,
		  struct m_pkt *p, bool vmsa)
{
	return tu_cmd(fw, vmsa ? SEV_CMD_RECEIVE_UPDATE_VMSA :
		      SEV_CMD_RECEIVE_UPDATE_DATA,
		      m_xfer(test, h, guest, p, p->len));
}

/* The guest's view of @len bytes at @pa (DBG_DECRYPT into a buffer) */
static u8 *m_view(struct kunit *test, struct sevfw *fw, u32 h, void *pa,
		  u32 len)
{
	u8 *out = tu_alloc(test, len);

	KUNIT_EXPECT_EQ(test, tu_dbg(test, fw, SEV_CMD_DBG_DECRYPT, h,
				     tu_pa(pa), tu_pa(out), len),
			SEV_RET_SUCCESS);
	return out;
}

/* RECEIVE_START on @to from @from's SEND_START session */
static u16 m_receive_start(struct kunit *test, struct sevfw *to,
			   struct sevfw *from, u32 policy, u8 *session,
			   u32 *handle)
{
	struct sev_data_receive_start *d = tu_alloc(test, sizeof(*d));
	u16 ret;

	d->policy = policy;
	d->pdh_cert_address = tu_pa(tu_pdh(test, from));
	d->pdh_cert_len = SEV_CERT_SIZE;
	d->session_address = tu_pa(session);
	d->session_len = SEVFW_SESSION_LEN;
	ret = tu_cmd(to, SEV_CMD_RECEIVE_START, d);
	*handle = d->handle;
	return ret;
}

/*
 * Launch on A (seed 0x30), migrate to B (seed 0x40) with @policy, check
 * B's guest sees A's data and the host never saw it (opaque mode).
 */
static void m_migrate(struct kunit *test, enum sevfw_mem_mode mode,
		      u32 policy)
{
	struct sevfw *a = tu_fw(test, mode, 0x30), *b = tu_fw(test, mode, 0x40);
	u8 *src = tu_pages(test, M_PAGES * PAGE_SIZE);
	u8 *dst = tu_pages(test, M_PAGES * PAGE_SIZE);
	u8 *plain = tu_alloc(test, M_PAGES * PAGE_SIZE);
	u8 *session = tu_alloc(test, SEVFW_SESSION_LEN);
	struct m_pkt *pkts = tu_alloc(test, M_PAGES * sizeof(*pkts));
	struct sev_data_send_start *ss;
	struct sev_cert *a_pdh, *b_pdh;
	u32 ha, hb, i, pol = 0;
	u8 st;

	for (i = 0; i < M_PAGES * PAGE_SIZE; i++)
		plain[i] = (i * 7) ^ (i >> 8);
	memcpy(src, plain, M_PAGES * PAGE_SIZE);
	tu_init(test, a, false);
	tu_init(test, b, false);
	a_pdh = tu_pdh(test, a);
	b_pdh = tu_pdh(test, b);
	KUNIT_ASSERT_TRUE(test, memcmp(a_pdh, b_pdh, SEV_CERT_SIZE));

	ha = tu_running_guest(test, a, policy, TU_ASID, src,
			      M_PAGES * PAGE_SIZE);
	if (mode == SEVFW_MEM_OPAQUE)
		KUNIT_EXPECT_TRUE(test, memcmp(src, plain, PAGE_SIZE));

	ss = m_ss(test, ha, m_target(test, b), session);
	KUNIT_ASSERT_EQ(test, tu_cmd(a, SEV_CMD_SEND_START, ss),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, ss->policy, policy);
	for (i = 0; i < M_PAGES; i++) {
		KUNIT_ASSERT_EQ(test, m_send(test, a, ha, src + i * PAGE_SIZE,
					     &pkts[i], PAGE_SIZE, false),
				SEV_RET_SUCCESS);
		/* the wire carries ciphertext */
		KUNIT_EXPECT_TRUE(test, memcmp(pkts[i].data,
					       plain + i * PAGE_SIZE, 64));
	}
	KUNIT_ASSERT_EQ(test, tu_handle_cmd(test, a, SEV_CMD_SEND_FINISH, ha),
			SEV_RET_SUCCESS);
	tu_guest_status(test, a, ha, &pol, NULL, &st);
	KUNIT_EXPECT_EQ(test, st, SEVFW_GSTATE_SENT);

	KUNIT_ASSERT_EQ(test, m_receive_start(test, b, a, policy, session,
					      &hb), SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, tu_activate(test, b, hb, TU_ASID + 1),
			SEV_RET_SUCCESS);
	for (i = 0; i < M_PAGES; i++)
		KUNIT_EXPECT_EQ(test, m_recv(test, b, hb, dst + i * PAGE_SIZE,
					     &pkts[i], false),
				SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, tu_handle_cmd(test, b, SEV_CMD_RECEIVE_FINISH,
					    hb), SEV_RET_SUCCESS);
	tu_guest_status(test, b, hb, &pol, NULL, &st);
	KUNIT_EXPECT_EQ(test, st, SEVFW_GSTATE_RUNNING);
	KUNIT_EXPECT_EQ(test, pol, policy);
	KUNIT_EXPECT_EQ(test, b->asid_state[TU_ASID + 1], SEVFW_ASID_IN_USE);

	if (mode == SEVFW_MEM_TRANSPARENT) {
		TU_EXPECT_MEMEQ(test, dst, plain, M_PAGES * PAGE_SIZE);
	} else {
		KUNIT_EXPECT_TRUE(test, memcmp(dst, plain, PAGE_SIZE));
		/* the same plaintext under another VEK: other ciphertext */
		KUNIT_EXPECT_TRUE(test, memcmp(dst, src, PAGE_SIZE));
	}
	TU_EXPECT_MEMEQ(test, m_view(test, b, hb, dst, M_PAGES * PAGE_SIZE),
			plain, M_PAGES * PAGE_SIZE);
	/* a received guest has no launch digest */
	KUNIT_EXPECT_FALSE(test, memchr_inv(b->guests[hb - 1]->ld, 0, 32));
}

static void sevfw_test_migrate_transparent(struct kunit *test)
{
	m_migrate(test, SEVFW_MEM_TRANSPARENT, 0);
}

static void sevfw_test_migrate_opaque(struct kunit *test)
{
	m_migrate(test, SEVFW_MEM_OPAQUE, 0);
}

static void sevfw_test_migrate_sev_policy(struct kunit *test)
{
	m_migrate(test, SEVFW_MEM_OPAQUE, SEVFW_POLICY_SEV | 0x18000000);
}

/*
 * Replay and reordering: packet n carries IV = KDF(MS, n) under the MAC;
 * the receiver accepts only the next one (a project choice).
 */
static void sevfw_test_replay(struct kunit *test)
{
	struct sevfw *a = tu_fw(test, SEVFW_MEM_OPAQUE, 0x31);
	struct sevfw *b = tu_fw(test, SEVFW_MEM_OPAQUE, 0x41);
	u8 *src = tu_pages(test, 4 * PAGE_SIZE);
	u8 *dst = tu_pages(test, 4 * PAGE_SIZE);
	u8 *session = tu_alloc(test, SEVFW_SESSION_LEN);
	u8 *session2 = tu_alloc(test, SEVFW_SESSION_LEN);
	struct m_pkt *p = tu_alloc(test, 5 * sizeof(*p));
	struct m_target *t;
	u32 ha, hb, hb2, i;
	u8 iv[16];

	for (i = 0; i < 4 * PAGE_SIZE; i++)
		src[i] = i / PAGE_SIZE + 1;
	tu_init(test, a, false);
	tu_init(test, b, false);
	ha = tu_running_guest(test, a, 0, TU_ASID, src, 4 * PAGE_SIZE);
	t = m_target(test, b);
	KUNIT_ASSERT_EQ(test, tu_cmd(a, SEV_CMD_SEND_START,
				     m_ss(test, ha, t, session)),
			SEV_RET_SUCCESS);
	for (i = 0; i < 3; i++)
		KUNIT_ASSERT_EQ(test, m_send(test, a, ha, src + i * PAGE_SIZE,
					     &p[i], PAGE_SIZE, false),
				SEV_RET_SUCCESS);
	/* IVs are the derived sequence */
	for (i = 0; i < 3; i++) {
		sevfw_packet_iv(a->guests[ha - 1]->ms, i, iv);
		TU_EXPECT_MEMEQ(test, p[i].hdr.iv, iv, 16);
	}
	KUNIT_EXPECT_TRUE(test, memcmp(p[0].hdr.iv, p[1].hdr.iv, 16));

	KUNIT_ASSERT_EQ(test, m_receive_start(test, b, a, 0, session, &hb),
			SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, tu_activate(test, b, hb, TU_ASID),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, m_recv(test, b, hb, dst, &p[0], false),
			SEV_RET_SUCCESS);
	/* replayed, to the same or another page */
	KUNIT_EXPECT_EQ(test, m_recv(test, b, hb, dst, &p[0], false),
			SEV_RET_BAD_MEASUREMENT);
	KUNIT_EXPECT_EQ(test, m_recv(test, b, hb, dst + 3 * PAGE_SIZE, &p[0],
				     false), SEV_RET_BAD_MEASUREMENT);
	/* reordered: packet 2 before packet 1 */
	KUNIT_EXPECT_EQ(test, m_recv(test, b, hb, dst + 2 * PAGE_SIZE, &p[2],
				     false), SEV_RET_BAD_MEASUREMENT);
	KUNIT_EXPECT_FALSE(test, memchr_inv(dst + 2 * PAGE_SIZE, 0,
					    2 * PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, m_recv(test, b, hb, dst + PAGE_SIZE, &p[1],
				     false), SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, m_recv(test, b, hb, dst + 2 * PAGE_SIZE, &p[2],
				     false), SEV_RET_SUCCESS);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_FALSE(test, memchr_inv(m_view(test, b, hb,
							   dst + i * PAGE_SIZE,
							   PAGE_SIZE),
						    i + 1, PAGE_SIZE));

	/* a packet of an earlier session is refused in a new one */
	KUNIT_ASSERT_EQ(test, tu_handle_cmd(test, a, SEV_CMD_SEND_CANCEL, ha),
			SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, tu_cmd(a, SEV_CMD_SEND_START,
				     m_ss(test, ha, t, session2)),
			SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, m_send(test, a, ha, src + 3 * PAGE_SIZE, &p[3],
				     PAGE_SIZE, false), SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, m_receive_start(test, b, a, 0, session2, &hb2),
			SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, tu_activate(test, b, hb2, TU_ASID + 1),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, m_recv(test, b, hb2, dst + 3 * PAGE_SIZE, &p[0],
				     false), SEV_RET_BAD_MEASUREMENT);
	KUNIT_EXPECT_EQ(test, m_recv(test, b, hb2, dst + 3 * PAGE_SIZE, &p[3],
				     false), SEV_RET_SUCCESS);
	/* and a tampered payload never lands */
	p[4] = p[3];
	KUNIT_ASSERT_EQ(test, m_send(test, a, ha, src, &p[4], PAGE_SIZE,
				     false), SEV_RET_SUCCESS);
	p[4].data[100] ^= 1;
	KUNIT_EXPECT_EQ(test, m_recv(test, b, hb2, dst, &p[4], false),
			SEV_RET_BAD_MEASUREMENT);
	KUNIT_EXPECT_FALSE(test, memchr_inv(m_view(test, b, hb, dst,
						   PAGE_SIZE), 1, PAGE_SIZE));
}

/* SEV-ES: the VMSA travels with SEND/RECEIVE_UPDATE_VMSA */
static void sevfw_test_migrate_vmsa(struct kunit *test)
{
	struct sevfw *a = tu_fw(test, SEVFW_MEM_OPAQUE, 0x32);
	struct sevfw *b = tu_fw(test, SEVFW_MEM_OPAQUE, 0x42);
	struct sev_data_launch_update_vmsa *lv = tu_alloc(test, sizeof(*lv));
	u8 *vmsa = tu_pages(test, PAGE_SIZE), *dst = tu_pages(test, PAGE_SIZE);
	u8 *session = tu_alloc(test, SEVFW_SESSION_LEN);
	struct m_pkt *p = tu_alloc(test, 2 * sizeof(*p));
	u32 ha, hb, i;

	for (i = 0; i < PAGE_SIZE; i++)
		vmsa[i] = i % 251;
	tu_init(test, a, true);
	tu_init(test, b, true);
	KUNIT_ASSERT_EQ(test, tu_launch_start(test, a, SEVFW_POLICY_ES, 0,
					      NULL, NULL, &ha),
			SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, tu_activate(test, a, ha, TU_ES_ASID),
			SEV_RET_SUCCESS);
	lv->handle = ha;
	lv->address = tu_pa(vmsa);
	lv->len = SEVFW_VMSA_LEN;
	KUNIT_ASSERT_EQ(test, tu_cmd(a, SEV_CMD_LAUNCH_UPDATE_VMSA, lv),
			SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, tu_measure(test, a, ha, NULL), SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, tu_handle_cmd(test, a, SEV_CMD_LAUNCH_FINISH, ha),
			SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, tu_send_start_plain(test, a, ha, tu_pdh(test, b),
						  session), SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, m_send(test, a, ha, vmsa, &p[0], PAGE_SIZE,
				     true), SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, m_receive_start(test, b, a, SEVFW_POLICY_ES,
					      session, &hb), SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, tu_activate(test, b, hb, TU_ES_ASID + 1),
			SEV_RET_SUCCESS);
	/* VMSA and data packets share the MAC context byte 0x02 (§8.9) */
	KUNIT_EXPECT_EQ(test, m_recv(test, b, hb, dst, &p[0], true),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, tu_handle_cmd(test, b, SEV_CMD_RECEIVE_FINISH,
					    hb), SEV_RET_SUCCESS);
	for (i = 0; i < PAGE_SIZE; i++)
		vmsa[i] = i % 251;
	TU_EXPECT_MEMEQ(test, m_view(test, b, hb, dst, PAGE_SIZE), vmsa,
			PAGE_SIZE);
}

/* Launch an ES guest on @fw with one VMSA at @vmsa, RUNNING, SEND_START */
static u32 m_es_sender(struct kunit *test, struct sevfw *fw, u32 asid,
		       u8 *vmsa, struct sevfw *to, u8 *session)
{
	struct sev_data_launch_update_vmsa *lv = tu_alloc(test, sizeof(*lv));
	u32 h;

	KUNIT_ASSERT_EQ(test, tu_launch_start(test, fw, SEVFW_POLICY_ES, 0,
					      NULL, NULL, &h),
			SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, tu_activate(test, fw, h, asid), SEV_RET_SUCCESS);
	lv->handle = h;
	lv->address = tu_pa(vmsa);
	lv->len = SEVFW_VMSA_LEN;
	KUNIT_ASSERT_EQ(test, tu_cmd(fw, SEV_CMD_LAUNCH_UPDATE_VMSA, lv),
			SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, tu_measure(test, fw, h, NULL), SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, tu_handle_cmd(test, fw, SEV_CMD_LAUNCH_FINISH, h),
			SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, tu_send_start_plain(test, fw, h, tu_pdh(test, to),
						  session), SEV_RET_SUCCESS);
	return h;
}

static const enum sevfw_mem_mode m_modes[] = {
	SEVFW_MEM_TRANSPARENT, SEVFW_MEM_OPAQUE,
};

static void m_mode_desc(const enum sevfw_mem_mode *m, char *desc)
{
	strscpy(desc, *m == SEVFW_MEM_OPAQUE ? "opaque" : "transparent",
		KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(m_modes, m_modes, m_mode_desc);

/*
 * SEND_UPDATE_VMSA checks the VMSA against the integrity record of its
 * address: a changed VMSA, a VMSA the firmware never set up there, another
 * guest's VMSA or a partial one give INVALID_PARAM, write nothing and use
 * no packet number. RECEIVE_UPDATE_VMSA takes one whole VMSA, records it,
 * and gets RESOURCE_LIMIT when the receiver's slots run out.
 */
static void sevfw_test_vmsa_integrity(struct kunit *test)
{
	const enum sevfw_mem_mode *mode = test->param_value;
	struct sevfw *a = tu_fw(test, *mode, 0x34);
	struct sevfw_params bp;
	struct sevfw *b;
	u8 *vmsa = tu_pages(test, 2 * PAGE_SIZE), *other = vmsa + PAGE_SIZE;
	u8 *dst = tu_pages(test, 2 * PAGE_SIZE), *dst1 = dst + PAGE_SIZE;
	u8 *zero = tu_pages(test, PAGE_SIZE);
	u8 *session = tu_alloc(test, SEVFW_SESSION_LEN);
	u8 *s2 = tu_alloc(test, SEVFW_SESSION_LEN);
	u8 *plain = tu_alloc(test, PAGE_SIZE);
	u8 *before = tu_alloc(test, PAGE_SIZE);
	struct m_pkt *p = tu_alloc(test, 5 * sizeof(*p));
	u32 ha, ha2, hb, i;

	tu_params(&bp, 0x44);
	bp.mem_mode = *mode;
	bp.es_vcpu_slots = 1;
	b = tu_fw_new(test, &bp);
	for (i = 0; i < PAGE_SIZE; i++) {
		plain[i] = i * 3 + (i >> 7);
		vmsa[i] = plain[i];
		other[i] = ~plain[i];
	}
	tu_init(test, a, true);
	tu_init(test, b, true);
	ha = m_es_sender(test, a, TU_ES_ASID, vmsa, b, session);
	ha2 = m_es_sender(test, a, TU_ES_ASID + 1, other, b, s2);

	/* the VMSA as the firmware wrote it: packet 0 */
	KUNIT_EXPECT_EQ(test, m_send(test, a, ha, vmsa, &p[0], PAGE_SIZE,
				     true), SEV_RET_SUCCESS);

	/* changed by the host (one bit of plaintext or ciphertext) */
	memset(&p[4], 0xee, sizeof(p[4]));
	vmsa[100] ^= 1;
	KUNIT_EXPECT_EQ(test, m_send(test, a, ha, vmsa, &p[4], PAGE_SIZE,
				     true), SEV_RET_INVALID_PARAM);
	vmsa[100] ^= 1;
	KUNIT_EXPECT_FALSE(test, memchr_inv(&p[4].hdr, 0xee, sizeof(p[4].hdr)));
	KUNIT_EXPECT_FALSE(test, memchr_inv(p[4].data, 0xee, PAGE_SIZE));
	/* another guest's VMSA */
	KUNIT_EXPECT_EQ(test, m_send(test, a, ha, other, &p[4], PAGE_SIZE,
				     true), SEV_RET_INVALID_PARAM);
	/* the same bytes where the firmware never set up a VMSA */
	memcpy(dst, vmsa, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, m_send(test, a, ha, dst, &p[4], PAGE_SIZE,
				     true), SEV_RET_INVALID_PARAM);
	memset(dst, 0, PAGE_SIZE);
	/* part of it */
	KUNIT_EXPECT_EQ(test, m_send(test, a, ha, vmsa, &p[4], PAGE_SIZE / 2,
				     true), SEV_RET_INVALID_PARAM);
	KUNIT_EXPECT_EQ(test, a->guests[ha - 1]->pkt_seq, 1);
	/* data packets are not checked: packet 1 */
	KUNIT_EXPECT_EQ(test, m_send(test, a, ha, zero, &p[1], PAGE_SIZE,
				     false), SEV_RET_SUCCESS);
	/* the VMSA, unchanged, goes again: packet 2 */
	KUNIT_EXPECT_EQ(test, m_send(test, a, ha, vmsa, &p[2], PAGE_SIZE,
				     true), SEV_RET_SUCCESS);
	/* the other guest's own VMSA is fine for it */
	KUNIT_EXPECT_EQ(test, m_send(test, a, ha2, other, &p[3], PAGE_SIZE,
				     true), SEV_RET_SUCCESS);

	/* the receiver: one VMSA slot; a VMSA is 4096 bytes */
	KUNIT_ASSERT_EQ(test, m_receive_start(test, b, a, SEVFW_POLICY_ES,
					      session, &hb), SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, tu_activate(test, b, hb, TU_ES_ASID),
			SEV_RET_SUCCESS);
	p[0].len = PAGE_SIZE / 2;
	KUNIT_EXPECT_EQ(test, m_recv(test, b, hb, dst, &p[0], true),
			SEV_RET_INVALID_LEN);
	p[0].len = PAGE_SIZE;
	KUNIT_EXPECT_EQ(test, m_recv(test, b, hb, dst, &p[0], true),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, b->vmsa_nrecs, 1);
	KUNIT_EXPECT_EQ(test, m_recv(test, b, hb, dst1, &p[1], false),
			SEV_RET_SUCCESS);
	/* a second VMSA address: no slot, nothing written, no packet used */
	memcpy(before, dst1, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, m_recv(test, b, hb, dst1, &p[2], true),
			SEV_RET_RESOURCE_LIMIT);
	TU_EXPECT_MEMEQ(test, dst1, before, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, b->guests[hb - 1]->pkt_seq, 2);
	/* the same address again reuses its slot */
	KUNIT_EXPECT_EQ(test, m_recv(test, b, hb, dst, &p[2], true),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, b->vmsa_nrecs, 1);
	KUNIT_ASSERT_EQ(test, tu_handle_cmd(test, b, SEV_CMD_RECEIVE_FINISH,
					    hb), SEV_RET_SUCCESS);
	TU_EXPECT_MEMEQ(test, m_view(test, b, hb, dst, PAGE_SIZE), plain,
			PAGE_SIZE);
	if (*mode == SEVFW_MEM_OPAQUE)
		KUNIT_EXPECT_TRUE(test, memcmp(dst, plain, 16));

	/* what RECEIVE_UPDATE_VMSA recorded lets the guest move on again */
	KUNIT_ASSERT_EQ(test, tu_send_start_plain(test, b, hb, tu_pdh(test, a),
						  session), SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, m_send(test, b, hb, dst1, &p[4], PAGE_SIZE,
				     true), SEV_RET_INVALID_PARAM);
	KUNIT_EXPECT_EQ(test, m_send(test, b, hb, dst, &p[4], PAGE_SIZE,
				     true), SEV_RET_SUCCESS);
}

/* --- RSA-PSS ------------------------------------------------------------ */

/*
 * The signatures of the test roots (OpenSSL, gen-testroots.c) and of the
 * rogue chain (python 'cryptography') verify; changed messages do not.
 * Certificate layout: facts §8.3; 0x40-byte header, exponent, modulus,
 * signature.
 */
static void sevfw_test_rsa_pss(struct kunit *test)
{
	const u8 *ark = sevfw_test_ask_ark + 0x640;
	const u8 *rark = t_rogue_ask_ark + 0x340, *rask = t_rogue_ask_ark;
	u8 *msg = tu_alloc(test, 0x440);

	KUNIT_ASSERT_EQ(test, sevfw_test_ask_ark_len, 0xC80);
	KUNIT_ASSERT_EQ(test, sizeof(t_rogue_ask_ark), 0x680);
	/* 4096-bit test ARK, self-signed, SHA-384 */
	KUNIT_EXPECT_EQ(test, sevfw_rsa_pss_verify(ark + 0x240, 512, ark + 0x40,
						   512, ark + 0x440, "sha384",
						   ark, 0x440), 0);
	memcpy(msg, ark, 0x440);
	msg[0x100] ^= 1;
	KUNIT_EXPECT_EQ(test, sevfw_rsa_pss_verify(ark + 0x240, 512, ark + 0x40,
						   512, ark + 0x440, "sha384",
						   msg, 0x440), -EBADMSG);
	/* the wrong hash */
	KUNIT_EXPECT_EQ(test, sevfw_rsa_pss_verify(ark + 0x240, 512, ark + 0x40,
						   512, ark + 0x440, "sha256",
						   ark, 0x440), -EBADMSG);
	/* 2048-bit rogue ARK, SHA-256 */
	KUNIT_EXPECT_EQ(test, sevfw_rsa_pss_verify(rark + 0x140, 256,
						   rark + 0x40, 256,
						   rark + 0x240, "sha256",
						   rark, 0x240), 0);
	/* the rogue ASK's signature on the rogue CEK, SHA-384 */
	KUNIT_EXPECT_EQ(test, sevfw_rsa_pss_verify(rask + 0x140, 256,
						   rask + 0x40, 256,
						   t_rogue_cek + 0x41c, "sha384",
						   t_rogue_cek, 0x414), 0);
	/* a signature >= the modulus, and a too small modulus */
	memset(msg, 0xff, 512);
	KUNIT_EXPECT_EQ(test, sevfw_rsa_pss_verify(ark + 0x240, 512, ark + 0x40,
						   512, msg, "sha384", ark,
						   0x440), -EBADMSG);
	KUNIT_EXPECT_EQ(test, sevfw_rsa_pss_verify(ark + 0x240, 128, ark + 0x40,
						   512, ark + 0x440, "sha384",
						   ark, 0x440), -EINVAL);
}

/* --- SEND_START --------------------------------------------------------- */

enum ss_mut {
	SS_NONE,
	SS_QUERY,		/* zeroed buffer with only HANDLE */
	SS_SESSION_LEN_BIG,	/* 0x81 */
	SS_BAD_HANDLE,
	SS_QUERY_BEFORE_STATE,	/* LUPDATE guest, session len 0 */
	SS_STATE,		/* LUPDATE guest */
	SS_NOSEND,
	SS_NOSEND_BEFORE_CERTS,	/* NOSEND|SEV with bad lengths */
	SS_PLAT_LEN,
	SS_PDH_LEN,
	SS_AMD_LEN,		/* 0xC7F */
	SS_AMD_LEN_2K,		/* 0x680: a valid size, but not the certs */
	SS_PLAT_ADDR,
	SS_AMD_ADDR,
	SS_ARK_SIG,
	SS_ARK_BODY,		/* a signed byte changed: hash mismatch */
	SS_ASK_BODY,
	SS_CEK_BODY,
	SS_ARK_NOT_PINNED,	/* key id changed */
	SS_ROGUE_CHAIN,		/* a valid chain under another ARK */
	SS_ARK_USAGE,
	SS_ASK_SIG,
	SS_ASK_CERT_ID,
	SS_CEK_UNSIGNED,	/* the CEK as exported */
	SS_CEK_SIG,
	SS_PEK_SIG,
	SS_PEK_NOT_BY_CEK,	/* another platform's PEK: PDH not by it */
	SS_PDH_SIG,
	SS_PDH_USAGE,
	SS_API,			/* receiver PEK API older than the policy's */
	SS_DOMAIN_OTHER,	/* DOMAIN to another OCA */
	SS_DOMAIN_SELF,		/* DOMAIN to this platform */
	SS_DOMAIN_OCA_SIG,
	SS_DOMAIN_PLAT_LEN,
	SS_PLAIN_PDH_LEN,
	SS_PLAIN_PDH_CERT,	/* usage PEK */
	SS_PLAIN_PDH_ADDR,
	SS_SESSION_ADDR,	/* output outside RAM */
};

struct ss_case {
	const char *name;
	u32 policy;
	enum ss_mut mut;
	u16 status;
};

#define P_SEV	(SEVFW_POLICY_SEV | 0x18000000)
#define P_DOM	SEVFW_POLICY_DOMAIN

static const struct ss_case ss_cases[] = {
	{ "sev chain", P_SEV, SS_NONE, SEV_RET_SUCCESS },
	{ "plain", 0, SS_NONE, SEV_RET_SUCCESS },
	{ "length query", P_SEV, SS_QUERY, SEV_RET_INVALID_LEN },
	{ "session len 0x81", 0, SS_SESSION_LEN_BIG, SEV_RET_INVALID_LEN },
	{ "bad handle", 0, SS_BAD_HANDLE, SEV_RET_INVALID_GUEST },
	{ "query before state", 0, SS_QUERY_BEFORE_STATE,
	  SEV_RET_INVALID_LEN },
	{ "lupdate", 0, SS_STATE, SEV_RET_INVALID_GUEST_STATE },
	{ "nosend", SEVFW_POLICY_NOSEND, SS_NOSEND, SEV_RET_POLICY_FAILURE },
	{ "nosend before certs", SEVFW_POLICY_NOSEND | P_SEV,
	  SS_NOSEND_BEFORE_CERTS, SEV_RET_POLICY_FAILURE },
	{ "plat len", P_SEV, SS_PLAT_LEN, SEV_RET_INVALID_LEN },
	{ "pdh len", P_SEV, SS_PDH_LEN, SEV_RET_INVALID_LEN },
	{ "amd len", P_SEV, SS_AMD_LEN, SEV_RET_INVALID_LEN },
	{ "amd len 2k+2k", P_SEV, SS_AMD_LEN_2K, SEV_RET_INVALID_CERTIFICATE },
	{ "plat addr", P_SEV, SS_PLAT_ADDR, SEV_RET_INVALID_ADDRESS },
	{ "amd addr", P_SEV, SS_AMD_ADDR, SEV_RET_INVALID_ADDRESS },
	{ "ark signature", P_SEV, SS_ARK_SIG, SEV_RET_BAD_SIGNATURE },
	{ "ark signed body", P_SEV, SS_ARK_BODY, SEV_RET_BAD_SIGNATURE },
	{ "ask signed body", P_SEV, SS_ASK_BODY, SEV_RET_BAD_SIGNATURE },
	{ "cek signed body", P_SEV, SS_CEK_BODY, SEV_RET_BAD_SIGNATURE },
	{ "ark not pinned", P_SEV, SS_ARK_NOT_PINNED,
	  SEV_RET_INVALID_CERTIFICATE },
	{ "rogue ark", P_SEV, SS_ROGUE_CHAIN, SEV_RET_INVALID_CERTIFICATE },
	{ "ark usage", P_SEV, SS_ARK_USAGE, SEV_RET_INVALID_CERTIFICATE },
	{ "ask signature", P_SEV, SS_ASK_SIG, SEV_RET_BAD_SIGNATURE },
	{ "ask certifying id", P_SEV, SS_ASK_CERT_ID,
	  SEV_RET_INVALID_CERTIFICATE },
	{ "cek unsigned", P_SEV, SS_CEK_UNSIGNED, SEV_RET_BAD_SIGNATURE },
	{ "cek signature", P_SEV, SS_CEK_SIG, SEV_RET_BAD_SIGNATURE },
	{ "pek signature", P_SEV, SS_PEK_SIG, SEV_RET_BAD_SIGNATURE },
	{ "pek of another platform", P_SEV, SS_PEK_NOT_BY_CEK,
	  SEV_RET_BAD_SIGNATURE },
	{ "pdh signature", P_SEV, SS_PDH_SIG, SEV_RET_BAD_SIGNATURE },
	{ "pdh usage", P_SEV, SS_PDH_USAGE, SEV_RET_BAD_SIGNATURE },
	{ "receiver api", SEVFW_POLICY_SEV | 0x19000000, SS_API,
	  SEV_RET_POLICY_FAILURE },
	{ "domain other oca", P_DOM, SS_DOMAIN_OTHER, SEV_RET_POLICY_FAILURE },
	{ "domain self", P_DOM, SS_DOMAIN_SELF, SEV_RET_SUCCESS },
	{ "domain sev self", P_DOM | P_SEV, SS_DOMAIN_SELF, SEV_RET_SUCCESS },
	{ "domain oca signature", P_DOM, SS_DOMAIN_OCA_SIG,
	  SEV_RET_BAD_SIGNATURE },
	{ "domain plat len", P_DOM, SS_DOMAIN_PLAT_LEN, SEV_RET_INVALID_LEN },
	{ "plain pdh len", 0, SS_PLAIN_PDH_LEN, SEV_RET_INVALID_LEN },
	{ "plain pdh cert", 0, SS_PLAIN_PDH_CERT,
	  SEV_RET_INVALID_CERTIFICATE },
	{ "plain pdh addr", 0, SS_PLAIN_PDH_ADDR, SEV_RET_INVALID_ADDRESS },
	{ "session addr", 0, SS_SESSION_ADDR, SEV_RET_INVALID_ADDRESS },
};

static void ss_desc(const struct ss_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ss_cases, ss_cases, ss_desc);

/* Offsets in the ASK || ARK blob (4096-bit keys: 0x640 bytes each) */
#define ASK_OFF		0
#define ARK_OFF		0x640
#define AMD_SIG_OFF	0x440

static void sevfw_test_send_start(struct kunit *test)
{
	const struct ss_case *c = test->param_value;
	struct sevfw *a = tu_fw(test, SEVFW_MEM_TRANSPARENT, 0x33);
	struct sevfw *b = tu_fw(test, SEVFW_MEM_TRANSPARENT, 0x43);
	u8 *session = tu_alloc(test, SEVFW_SESSION_LEN);
	struct sev_data_send_start *d;
	struct m_target *t, *self;
	u32 h;
	u8 st;

	tu_init(test, a, false);
	tu_init(test, b, false);
	if (c->mut == SS_STATE || c->mut == SS_QUERY_BEFORE_STATE)
		KUNIT_ASSERT_EQ(test, tu_launch_start(test, a, c->policy, 0,
						      NULL, NULL, &h),
				SEV_RET_SUCCESS);
	else
		h = tu_running_guest(test, a, c->policy, TU_ASID, NULL, 0);
	t = m_target(test, b);
	self = m_target(test, a);
	d = m_ss(test, h, t, session);

	switch (c->mut) {
	case SS_QUERY:
	case SS_QUERY_BEFORE_STATE:
		memset(d, 0, sizeof(*d));
		d->handle = h;
		break;
	case SS_SESSION_LEN_BIG:
		d->session_len = SEVFW_SESSION_LEN + 1;
		break;
	case SS_BAD_HANDLE:
		d->handle = 7;
		break;
	case SS_NOSEND_BEFORE_CERTS:
		d->plat_certs_len = 0;
		break;
	case SS_PLAT_LEN:
		d->plat_certs_len = SEV_CERT_CHAIN_SIZE - 1;
		break;
	case SS_PDH_LEN:
		d->pdh_cert_len = 0;
		break;
	case SS_AMD_LEN:
		d->amd_certs_len = 0xC7F;
		break;
	case SS_AMD_LEN_2K:
		d->amd_certs_len = 0x680;
		break;
	case SS_PLAT_ADDR:
		d->plat_certs_address = 0xfffffffffff000ULL;
		break;
	case SS_AMD_ADDR:
		d->amd_certs_address = 0;
		break;
	case SS_ARK_SIG:
		t->amd[ARK_OFF + AMD_SIG_OFF + 17] ^= 0x01;
		break;
	case SS_ARK_BODY:
		t->amd[ARK_OFF + 0x28] ^= 0x01;	/* reserved, signed */
		break;
	case SS_ASK_BODY:
		t->amd[ASK_OFF + 0x30] ^= 0x80;
		break;
	case SS_CEK_BODY:
		t->plat[2].reserved[1] ^= 0x01;
		break;
	case SS_ARK_NOT_PINNED:
		t->amd[ARK_OFF + 0x04] ^= 0x01;
		t->amd[ARK_OFF + 0x14] ^= 0x01;	/* still self-certified */
		break;
	case SS_ROGUE_CHAIN:
		memcpy(t->amd, t_rogue_ask_ark, sizeof(t_rogue_ask_ark));
		d->amd_certs_len = sizeof(t_rogue_ask_ark);
		memcpy(&t->plat[2], t_rogue_cek, SEV_CERT_SIZE);
		break;
	case SS_ARK_USAGE:
		t->amd[ARK_OFF + 0x24] = 0x13;
		break;
	case SS_ASK_SIG:
		t->amd[ASK_OFF + AMD_SIG_OFF + 300] ^= 0x40;
		break;
	case SS_ASK_CERT_ID:
		t->amd[ASK_OFF + 0x14] ^= 0x01;
		break;
	case SS_CEK_UNSIGNED:
		tu_export(test, b, &t->pdh, t->plat);
		break;
	case SS_CEK_SIG:
		t->plat[2].sig[0].data[5] ^= 0x01;
		break;
	case SS_PEK_SIG:
		t->plat[0].sig[1].data[3] ^= 0x01;
		t->plat[0].sig[0].data[3] ^= 0x01;
		break;
	case SS_PEK_NOT_BY_CEK:
		/* a valid PEK, but of another platform than the PDH's */
		memcpy(&t->plat[0], &self->plat[0], SEV_CERT_SIZE);
		break;
	case SS_PDH_SIG:
		t->pdh.sig[0].data[40] ^= 0x01;
		break;
	case SS_PDH_USAGE:
		t->pdh.sig[0].usage = cpu_to_le32(SEV_USAGE_OCA);
		break;
	case SS_DOMAIN_SELF:
		d = m_ss(test, h, self, session);
		break;
	case SS_DOMAIN_OCA_SIG:
		t->plat[1].sig[0].data[9] ^= 0x01;
		break;
	case SS_DOMAIN_PLAT_LEN:
		d->plat_certs_len = 0;
		break;
	case SS_PLAIN_PDH_LEN:
		d->pdh_cert_len = SEV_CERT_SIZE + 1;
		break;
	case SS_PLAIN_PDH_CERT:
		memcpy(&t->pdh, &t->plat[0], SEV_CERT_SIZE);
		break;
	case SS_PLAIN_PDH_ADDR:
		d->pdh_cert_address = 0xfffffffffff000ULL;
		break;
	case SS_SESSION_ADDR:
		d->session_address = 0xfffffffffff000ULL;
		break;
	default:
		break;
	}

	KUNIT_EXPECT_EQ(test, tu_cmd(a, SEV_CMD_SEND_START, d), c->status);
	tu_guest_status(test, a, h, NULL, NULL, &st);
	if (c->status == SEV_RET_SUCCESS) {
		KUNIT_EXPECT_EQ(test, st, SEVFW_GSTATE_SUPDATE);
		KUNIT_EXPECT_EQ(test, d->policy, c->policy);
		KUNIT_EXPECT_TRUE(test, memchr_inv(session, 0,
						   SEVFW_SESSION_LEN));
		return;
	}
	KUNIT_EXPECT_NE(test, st, SEVFW_GSTATE_SUPDATE);
	KUNIT_EXPECT_FALSE(test, memchr_inv(session, 0, SEVFW_SESSION_LEN));
	if (c->status == SEV_RET_INVALID_LEN &&
	    (c->mut == SS_QUERY || c->mut == SS_QUERY_BEFORE_STATE ||
	     c->mut == SS_SESSION_LEN_BIG))
		KUNIT_EXPECT_EQ(test, d->session_len, SEVFW_SESSION_LEN);
}

/* --- SEND_UPDATE -------------------------------------------------------- */

enum su_mut {
	SU_NONE,
	SU_QUERY,		/* HDR_LEN 0, TRANS_LEN 0 */
	SU_QUERY_BEFORE_HANDLE,	/* HDR_LEN 0x33, handle 0 */
	SU_BAD_HANDLE,
	SU_STATE,		/* after SEND_CANCEL */
	SU_VMSA_NOT_ES,
	SU_INACTIVE,
	SU_GUEST_LEN_ZERO,
	SU_GUEST_LEN_BIG,
	SU_GUEST_LEN_ODD,
	SU_TRANS_LEN_ZERO,
	SU_TRANS_SHORT,
	SU_TRANS_LONG,		/* longer is fine */
	SU_MISALIGNED,
	SU_GUEST_OUTSIDE,
	SU_TRANS_OUTSIDE,
	SU_HDR_OUTSIDE,
	SU_CROSS_PAGE,		/* 0x5000 bytes over several pages */
};

struct su_case {
	const char *name;
	enum su_mut mut;
	u16 status;
};

static const struct su_case su_cases[] = {
	{ "data", SU_NONE, SEV_RET_SUCCESS },
	{ "length query", SU_QUERY, SEV_RET_INVALID_LEN },
	{ "query before handle", SU_QUERY_BEFORE_HANDLE, SEV_RET_INVALID_LEN },
	{ "bad handle", SU_BAD_HANDLE, SEV_RET_INVALID_GUEST },
	{ "state", SU_STATE, SEV_RET_INVALID_GUEST_STATE },
	{ "vmsa non-es", SU_VMSA_NOT_ES, SEV_RET_UNSUPPORTED },
	{ "inactive", SU_INACTIVE, SEV_RET_INACTIVE },
	{ "guest len 0", SU_GUEST_LEN_ZERO, SEV_RET_INVALID_LEN },
	{ "guest len 0x5010", SU_GUEST_LEN_BIG, SEV_RET_INVALID_LEN },
	{ "guest len 24", SU_GUEST_LEN_ODD, SEV_RET_INVALID_LEN },
	{ "trans len 0", SU_TRANS_LEN_ZERO, SEV_RET_INVALID_LEN },
	{ "trans short", SU_TRANS_SHORT, SEV_RET_INVALID_LEN },
	{ "trans long", SU_TRANS_LONG, SEV_RET_SUCCESS },
	{ "misaligned", SU_MISALIGNED, SEV_RET_INVALID_ADDRESS },
	{ "guest outside", SU_GUEST_OUTSIDE, SEV_RET_INVALID_ADDRESS },
	{ "trans outside", SU_TRANS_OUTSIDE, SEV_RET_INVALID_ADDRESS },
	{ "hdr outside", SU_HDR_OUTSIDE, SEV_RET_INVALID_ADDRESS },
	{ "0x5000 bytes", SU_CROSS_PAGE, SEV_RET_SUCCESS },
};

static void su_desc(const struct su_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(su_cases, su_cases, su_desc);

static void sevfw_test_send_update(struct kunit *test)
{
	const struct su_case *c = test->param_value;
	struct sevfw *a = tu_fw(test, SEVFW_MEM_TRANSPARENT, 0x34);
	u8 *mem = tu_pages(test, 8 * PAGE_SIZE);
	u8 *trans = tu_pages(test, 8 * PAGE_SIZE);
	struct sevfw_pkt_hdr *hdr = tu_alloc(test, sizeof(*hdr));
	struct sevfw_data_transport *d = tu_alloc(test, sizeof(*d));
	u32 cmd = SEV_CMD_SEND_UPDATE_DATA, h;

	tu_init(test, a, false);
	h = tu_running_guest(test, a, 0, TU_ASID, NULL, 0);
	KUNIT_ASSERT_EQ(test, tu_send_start_plain(test, a, h, tu_pdh(test, a),
						  NULL), SEV_RET_SUCCESS);
	d->handle = h;
	d->hdr_address = tu_pa(hdr);
	d->hdr_len = SEVFW_PKT_HDR_LEN;
	d->guest_address = tu_pa(mem);
	d->guest_len = PAGE_SIZE;
	d->trans_address = tu_pa(trans);
	d->trans_len = PAGE_SIZE;
	switch (c->mut) {
	case SU_QUERY:
		d->hdr_len = 0;
		d->trans_len = 0;
		break;
	case SU_QUERY_BEFORE_HANDLE:
		d->hdr_len = SEVFW_PKT_HDR_LEN - 1;
		d->handle = 0;
		break;
	case SU_BAD_HANDLE:
		d->handle = 0;
		break;
	case SU_STATE:
		KUNIT_ASSERT_EQ(test, tu_handle_cmd(test, a,
						    SEV_CMD_SEND_CANCEL, h),
				SEV_RET_SUCCESS);
		break;
	case SU_VMSA_NOT_ES:
		cmd = SEV_CMD_SEND_UPDATE_VMSA;
		break;
	case SU_INACTIVE:
		KUNIT_ASSERT_EQ(test, tu_handle_cmd(test, a,
						    SEV_CMD_DEACTIVATE, h),
				SEV_RET_SUCCESS);
		break;
	case SU_GUEST_LEN_ZERO:
		d->guest_len = 0;
		break;
	case SU_GUEST_LEN_BIG:
		d->guest_len = SEVFW_XFER_MAX + 16;
		d->trans_len = SEVFW_XFER_MAX + 16;
		break;
	case SU_GUEST_LEN_ODD:
		d->guest_len = 24;
		break;
	case SU_TRANS_LEN_ZERO:
		d->trans_len = 0;
		break;
	case SU_TRANS_SHORT:
		d->trans_len = PAGE_SIZE - 16;
		break;
	case SU_TRANS_LONG:
		d->trans_len = 2 * PAGE_SIZE;
		break;
	case SU_MISALIGNED:
		d->guest_address += 8;
		break;
	case SU_GUEST_OUTSIDE:
		d->guest_address = 0xfffffffffff000ULL;
		break;
	case SU_TRANS_OUTSIDE:
		d->trans_address = 0xfffffffffff000ULL;
		break;
	case SU_HDR_OUTSIDE:
		d->hdr_address = 0xfffffffffff000ULL;
		break;
	case SU_CROSS_PAGE:
		d->guest_len = SEVFW_XFER_MAX;
		d->trans_len = SEVFW_XFER_MAX;
		break;
	default:
		break;
	}
	KUNIT_EXPECT_EQ(test, tu_cmd(a, cmd, d), c->status);
	if (c->status == SEV_RET_INVALID_LEN && d->hdr_len <
	    SEVFW_PKT_HDR_LEN)
		KUNIT_FAIL(test, "HDR_LEN not written back");
	if (c->mut == SU_QUERY) {
		KUNIT_EXPECT_EQ(test, d->hdr_len, SEVFW_PKT_HDR_LEN);
		KUNIT_EXPECT_EQ(test, d->trans_len, 0);	/* as Genoa */
	}
	if (c->status == SEV_RET_SUCCESS) {
		KUNIT_EXPECT_EQ(test, d->hdr_len, SEVFW_PKT_HDR_LEN);
		KUNIT_EXPECT_EQ(test, le32_to_cpu(hdr->flags), 0);
		KUNIT_EXPECT_TRUE(test, memchr_inv(trans, 0, d->guest_len));
		KUNIT_EXPECT_FALSE(test, memchr_inv(trans + d->guest_len, 0,
						    PAGE_SIZE));
	} else {
		KUNIT_EXPECT_FALSE(test, memchr_inv(hdr, 0, sizeof(*hdr)));
		KUNIT_EXPECT_FALSE(test, memchr_inv(trans, 0, PAGE_SIZE));
	}
}

/* --- RECEIVE_START and RECEIVE_UPDATE ----------------------------------- */

static void sevfw_test_receive_start(struct kunit *test)
{
	struct sevfw *b = tu_fw(test, SEVFW_MEM_TRANSPARENT, 0x35);
	struct sev_data_receive_start *d = tu_alloc(test, sizeof(*d));
	struct tu_owner *o, *o_es, *o_rsvd, *o_api;
	u32 h;

	tu_init(test, b, false);
	o = tu_owner(test, b, SEVFW_POLICY_NOKS);
	o_es = tu_owner(test, b, SEVFW_POLICY_ES);
	o_rsvd = tu_owner(test, b, 0x100);
	o_api = tu_owner(test, b, 0x00010000);

	d->policy = SEVFW_POLICY_NOKS;
	d->pdh_cert_address = tu_pa(&o->cert);
	d->pdh_cert_len = SEV_CERT_SIZE;
	d->session_address = tu_pa(o->session);
	d->session_len = 0;
	/* the session and certificate are mandatory */
	KUNIT_EXPECT_EQ(test, tu_cmd(b, SEV_CMD_RECEIVE_START, d),
			SEV_RET_INVALID_LEN);
	d->session_len = SEVFW_SESSION_LEN;
	d->session_address = 0;
	d->pdh_cert_len = 0;
	KUNIT_EXPECT_EQ(test, tu_cmd(b, SEV_CMD_RECEIVE_START, d),
			SEV_RET_INVALID_ADDRESS);
	d->session_address = tu_pa(o->session);
	KUNIT_EXPECT_EQ(test, tu_cmd(b, SEV_CMD_RECEIVE_START, d),
			SEV_RET_INVALID_LEN);
	d->pdh_cert_len = SEV_CERT_SIZE;
	d->pdh_cert_address = 0;
	KUNIT_EXPECT_EQ(test, tu_cmd(b, SEV_CMD_RECEIVE_START, d),
			SEV_RET_INVALID_ADDRESS);
	d->pdh_cert_address = tu_pa(&o->cert);
	o->cert.pub_usage = cpu_to_le32(SEV_USAGE_OCA);
	KUNIT_EXPECT_EQ(test, tu_cmd(b, SEV_CMD_RECEIVE_START, d),
			SEV_RET_INVALID_CERTIFICATE);
	o->cert.pub_usage = cpu_to_le32(SEV_USAGE_PDH);
	o->session[0x40] ^= 1;	/* WRAP_MAC */
	KUNIT_EXPECT_EQ(test, tu_cmd(b, SEV_CMD_RECEIVE_START, d),
			SEV_RET_BAD_MEASUREMENT);
	o->session[0x40] ^= 1;
	d->policy = 0;		/* POLICY_MAC */
	KUNIT_EXPECT_EQ(test, tu_cmd(b, SEV_CMD_RECEIVE_START, d),
			SEV_RET_BAD_MEASUREMENT);
	KUNIT_EXPECT_EQ(test, sevfw_guest_count(b), 0);
	KUNIT_EXPECT_EQ(test, sevfw_platform_state(b), SEV_STATE_INIT);

	/* policy checks after the MACs */
	KUNIT_EXPECT_EQ(test, tu_receive_start(test, b, 0x100, 0, o_rsvd,
					       NULL), SEV_RET_POLICY_FAILURE);
	KUNIT_EXPECT_EQ(test, tu_receive_start(test, b, 0x00010000, 0, o_api,
					       NULL), SEV_RET_POLICY_FAILURE);
	KUNIT_EXPECT_EQ(test, tu_receive_start(test, b, SEVFW_POLICY_ES, 0,
					       o_es, NULL),
			SEV_RET_UNSUPPORTED);

	d->policy = SEVFW_POLICY_NOKS;
	KUNIT_EXPECT_EQ(test, tu_cmd(b, SEV_CMD_RECEIVE_START, d),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, d->handle, 1);
	KUNIT_EXPECT_EQ(test, sevfw_platform_state(b), SEV_STATE_WORKING);
	TU_EXPECT_MEMEQ(test, b->guests[0]->tek, o->tek, 16);
	TU_EXPECT_MEMEQ(test, b->guests[0]->tik, o->tik, 16);
	TU_EXPECT_MEMEQ(test, b->guests[0]->ms, o->ms, 16);
	/* key sharing: NOKS refuses, an invalid handle is INVALID_GUEST */
	KUNIT_EXPECT_EQ(test, tu_receive_start(test, b, SEVFW_POLICY_NOKS, 1,
					       o, &h), SEV_RET_POLICY_FAILURE);
	KUNIT_EXPECT_EQ(test, tu_receive_start(test, b, SEVFW_POLICY_NOKS, 2,
					       o, &h), SEV_RET_INVALID_GUEST);
	/* RECEIVE_FINISH without any packet, not activated: RUNNING */
	KUNIT_EXPECT_EQ(test, tu_handle_cmd(test, b, SEV_CMD_RECEIVE_FINISH, 1),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_FALSE(test, memchr_inv(b->guests[0]->tik, 0, 16));
}

enum ru_mut {
	RU_NONE,
	RU_BAD_HANDLE,
	RU_STATE,
	RU_VMSA_NOT_ES,
	RU_INACTIVE,
	RU_TRANS_ZERO,
	RU_TRANS_BIG,
	RU_LEN_MISMATCH,
	RU_LEN_ODD,
	RU_HDR_LEN,
	RU_MISALIGNED,
	RU_HDR_OUTSIDE,
	RU_TRANS_OUTSIDE,
	RU_GUEST_OUTSIDE,
	RU_COMPRESSED,		/* before the MAC */
	RU_MAC,
	RU_IV,
};

struct ru_case {
	const char *name;
	enum ru_mut mut;
	u16 status;
};

static const struct ru_case ru_cases[] = {
	{ "packet", RU_NONE, SEV_RET_SUCCESS },
	{ "bad handle", RU_BAD_HANDLE, SEV_RET_INVALID_GUEST },
	{ "state", RU_STATE, SEV_RET_INVALID_GUEST_STATE },
	{ "vmsa non-es", RU_VMSA_NOT_ES, SEV_RET_UNSUPPORTED },
	{ "inactive", RU_INACTIVE, SEV_RET_INACTIVE },
	{ "trans len 0", RU_TRANS_ZERO, SEV_RET_INVALID_LEN },
	{ "trans len 0x5010", RU_TRANS_BIG, SEV_RET_INVALID_LEN },
	{ "guest != trans", RU_LEN_MISMATCH, SEV_RET_INVALID_LEN },
	{ "len 40", RU_LEN_ODD, SEV_RET_INVALID_LEN },
	{ "hdr len", RU_HDR_LEN, SEV_RET_INVALID_LEN },
	{ "misaligned", RU_MISALIGNED, SEV_RET_INVALID_ADDRESS },
	{ "hdr outside", RU_HDR_OUTSIDE, SEV_RET_INVALID_ADDRESS },
	{ "trans outside", RU_TRANS_OUTSIDE, SEV_RET_INVALID_ADDRESS },
	{ "guest outside", RU_GUEST_OUTSIDE, SEV_RET_INVALID_ADDRESS },
	{ "compressed", RU_COMPRESSED, SEV_RET_UNSUPPORTED },
	{ "mac", RU_MAC, SEV_RET_BAD_MEASUREMENT },
	{ "iv", RU_IV, SEV_RET_BAD_MEASUREMENT },
};

static void ru_desc(const struct ru_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ru_cases, ru_cases, ru_desc);

static void sevfw_test_receive_update(struct kunit *test)
{
	const struct ru_case *c = test->param_value;
	struct sevfw *b = tu_fw(test, SEVFW_MEM_TRANSPARENT, 0x36);
	struct sevfw_data_transport *d;
	u8 *dst = tu_pages(test, PAGE_SIZE);
	struct m_pkt *p = tu_alloc(test, sizeof(*p));
	u32 cmd = SEV_CMD_RECEIVE_UPDATE_DATA, h;
	struct tu_owner *o;

	tu_init(test, b, false);
	o = tu_owner(test, b, 0);
	KUNIT_ASSERT_EQ(test, tu_receive_start(test, b, 0, 0, o, &h),
			SEV_RET_SUCCESS);
	if (c->mut != RU_INACTIVE)
		KUNIT_ASSERT_EQ(test, tu_activate(test, b, h, TU_ASID),
				SEV_RET_SUCCESS);

	/* the sender's first packet, built from the session's keys */
	memset(p->data, 0x77, 64);
	sevfw_packet_iv(o->ms, 0, p->hdr.iv);
	if (c->mut == RU_IV)
		sevfw_packet_iv(o->ms, 1, p->hdr.iv);
	if (c->mut == RU_COMPRESSED)
		p->hdr.flags = cpu_to_le32(SEVFW_PKT_COMPRESSED);
	sevfw_aes128_ctr(o->tek, p->hdr.iv, p->data, p->data, 64);
	sevfw_packet_mac(o->tik, SEVFW_CTX_DATA, &p->hdr, 64, 64, p->data,
			 NULL, p->hdr.mac);
	p->len = 64;
	d = m_xfer(test, h, dst, p, 64);

	switch (c->mut) {
	case RU_BAD_HANDLE:
		d->handle = 2;
		break;
	case RU_STATE:
		KUNIT_ASSERT_EQ(test, tu_handle_cmd(test, b,
						    SEV_CMD_RECEIVE_FINISH, h),
				SEV_RET_SUCCESS);
		break;
	case RU_VMSA_NOT_ES:
		cmd = SEV_CMD_RECEIVE_UPDATE_VMSA;
		break;
	case RU_TRANS_ZERO:
		d->trans_len = 0;
		d->guest_len = 0;
		break;
	case RU_TRANS_BIG:
		d->trans_len = SEVFW_XFER_MAX + 16;
		d->guest_len = SEVFW_XFER_MAX + 16;
		break;
	case RU_LEN_MISMATCH:
		d->guest_len = 48;
		break;
	case RU_LEN_ODD:
		d->guest_len = 40;
		d->trans_len = 40;
		break;
	case RU_HDR_LEN:
		d->hdr_len = SEVFW_PKT_HDR_LEN - 1;
		break;
	case RU_MISALIGNED:
		d->guest_address += 8;
		break;
	case RU_HDR_OUTSIDE:
		d->hdr_address = 0xfffffffffff000ULL;
		break;
	case RU_TRANS_OUTSIDE:
		d->trans_address = 0xfffffffffff000ULL;
		break;
	case RU_GUEST_OUTSIDE:
		d->guest_address = 0xfffffffffff000ULL;
		break;
	case RU_MAC:
		p->hdr.mac[31] ^= 1;
		break;
	default:
		break;
	}
	KUNIT_EXPECT_EQ(test, tu_cmd(b, cmd, d), c->status);
	if (c->status == SEV_RET_SUCCESS) {
		KUNIT_EXPECT_FALSE(test, memchr_inv(dst, 0x77, 64));
		KUNIT_EXPECT_EQ(test, b->guests[h - 1]->pkt_seq, 1);
	} else {
		KUNIT_EXPECT_FALSE(test, memchr_inv(dst, 0, PAGE_SIZE));
		KUNIT_EXPECT_EQ(test, b->guests[h - 1]->pkt_seq, 0);
	}
}

static struct kunit_case sevfw_transport_cases[] = {
	KUNIT_CASE(sevfw_test_migrate_transparent),
	KUNIT_CASE(sevfw_test_migrate_opaque),
	KUNIT_CASE(sevfw_test_migrate_sev_policy),
	KUNIT_CASE(sevfw_test_replay),
	KUNIT_CASE(sevfw_test_migrate_vmsa),
	KUNIT_CASE_PARAM(sevfw_test_vmsa_integrity, m_modes_gen_params),
	KUNIT_CASE(sevfw_test_rsa_pss),
	KUNIT_CASE_PARAM(sevfw_test_send_start, ss_cases_gen_params),
	KUNIT_CASE_PARAM(sevfw_test_send_update, su_cases_gen_params),
	KUNIT_CASE(sevfw_test_receive_start),
	KUNIT_CASE_PARAM(sevfw_test_receive_update, ru_cases_gen_params),
	{}
};

static struct kunit_suite sevfw_transport_suite = {
	.name = "sevfw-transport",
	.test_cases = sevfw_transport_cases,
};

kunit_test_suite(sevfw_transport_suite);

MODULE_LICENSE("GPL");
