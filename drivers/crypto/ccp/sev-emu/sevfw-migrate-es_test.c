// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of SEV-ES migration between firmware instances with their
 * own identities (KUnit only: KVM has no SEND/RECEIVE_UPDATE_VMSA handler
 * and /dev/sev carries no guest command, facts §9).
 *
 * Two (in places three) instances of the software firmware exist at once,
 * each INIT'ed with SEV-ES and its own chip id, so each generates its own
 * OCA, PEK and PDH; they share only the test CEK, which stands in for the
 * key AMD's key server certifies (sevfw-testroots.h). The source launches
 * an SEV-ES guest with known memory and one known VMSA per vCPU, the
 * source host checks the target's certificate chain, and the guest moves
 * with SEND_* / RECEIVE_* including SEND/RECEIVE_UPDATE_VMSA. The target's
 * guest must see the source's memory and VMSAs (DBG_DECRYPT and the
 * firmware's VMSA integrity records), and report no launch digest.
 * Tampered, replayed, misdirected and foreign packets are refused with the
 * facts sheet's status codes (§3.1, §4) and change nothing. Each case ends
 * by releasing every guest, ASID and VMSA record of every instance.
 */

#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/psp-sev.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/unaligned.h>
#include <crypto/sha2.h>

#include "sevfw-internal.h"
#include "sevfw-guest.h"
#include "sevfw-test-util.h"
#include "sevfw-testroots.h"

#define ME_POLICY	SEVFW_POLICY_ES	/* 0x4: ES, debuggable, may move */
#define ME_MAX_VCPUS	3
#define ME_DATA_PAGES	2
#define ME_DATA_LEN	(ME_DATA_PAGES * PAGE_SIZE)
#define ME_AMD_LEN	0xC80		/* ASK and ARK, 4096-bit keys */
#define ME_AP_RESET	0xffffb000u	/* an OVMF-style AP reset address */

/* Seeds of the instances' chip ids (and so of their NV store keys) */
#define ME_SEED_A	0x70
#define ME_SEED_B	0x80
#define ME_SEED_C	0x90

/* A packet as it travels from the source host to the target host */
struct me_pkt {
	struct sevfw_pkt_hdr hdr;
	u8 data[PAGE_SIZE];
	u32 len;
};

/* Everything SEND_* gives the source host for one guest */
struct me_wire {
	u8 session[SEVFW_SESSION_LEN];
	struct me_pkt data[ME_DATA_PAGES];
	struct me_pkt vmsa[ME_MAX_VCPUS];
};

/**
 * struct me_guest - a guest as its host sees it
 * @fw: the instance it lives on
 * @handle: its handle there (0 until started)
 * @asid: the ASID the host binds it to
 * @policy: its policy
 * @nvcpu: vCPUs (VMSAs)
 * @data: its memory, ME_DATA_PAGES pages
 * @vmsa: one VMSA page per vCPU
 */
struct me_guest {
	struct sevfw *fw;
	u32 handle;
	u32 asid;
	u32 policy;
	unsigned int nvcpu;
	u8 *data;
	u8 *vmsa[ME_MAX_VCPUS];
};

/**
 * struct me_plain - what a guest holds, in plaintext, and its launch digest
 * @data: memory
 * @vmsa: VMSAs as launched
 * @ld: SHA-256 of @data then every VMSA in vCPU order (facts §8.7)
 */
struct me_plain {
	u8 *data;
	u8 *vmsa[ME_MAX_VCPUS];
	u8 ld[SHA256_DIGEST_SIZE];
};

/**
 * struct me_target - what a source host learns about a target platform
 * @pdh: its PDH (PDH_CERT_EXPORT)
 * @plat: PEK, OCA, CEK as PDH_CERT_EXPORT gives them (the CEK unsigned)
 * @kds: PEK, OCA and the CEK as the key server signs it
 * @amd: ASK and ARK
 */
struct me_target {
	struct sev_cert pdh;
	struct sev_cert plat[3];
	struct sev_cert kds[3];
	u8 amd[ME_AMD_LEN];
};

static struct sevfw *me_fw(struct kunit *test, u8 seed,
			   enum sevfw_mem_mode mode, u8 vmsa_ctx, bool es)
{
	struct sevfw_params p;
	struct sevfw *fw;

	tu_params(&p, seed);
	p.mem_mode = mode;
	p.vmsa_mac_ctx = vmsa_ctx;
	fw = tu_fw_new(test, &p);
	tu_init(test, fw, es);
	return fw;
}

static struct me_guest *me_guest_new(struct kunit *test, struct sevfw *fw,
				     u32 asid, u32 policy, unsigned int nvcpu)
{
	struct me_guest *g = tu_alloc(test, sizeof(*g));
	unsigned int i;

	g->fw = fw;
	g->asid = asid;
	g->policy = policy;
	g->nvcpu = nvcpu;
	g->data = tu_pages(test, ME_DATA_LEN);
	for (i = 0; i < nvcpu; i++)
		g->vmsa[i] = tu_pages(test, SEVFW_VMSA_LEN);
	return g;
}

static struct me_plain *me_plain_new(struct kunit *test, unsigned int nvcpu)
{
	struct me_plain *pl = tu_alloc(test, sizeof(*pl));
	unsigned int i;

	pl->data = tu_alloc(test, ME_DATA_LEN);
	for (i = 0; i < nvcpu; i++)
		pl->vmsa[i] = tu_alloc(test, SEVFW_VMSA_LEN);
	return pl;
}

static void me_seg(u8 *vmsa, unsigned int off, u16 sel, u16 attrib,
		   u32 limit, u64 base)
{
	put_unaligned_le16(sel, vmsa + off);
	put_unaligned_le16(attrib, vmsa + off + 2);
	put_unaligned_le32(limit, vmsa + off + 4);
	put_unaligned_le64(base, vmsa + off + 8);
}

/*
 * The VMSA Linux 6.1 builds for a vCPU that QEMU 7.2 reset (es facts §1.1,
 * §2.3): the BSP starts at the reset vector, the APs at the AP reset
 * address. QEMU's APs are byte-identical; here r8 carries @tag and the
 * vCPU index so that a VMSA that lands on the wrong vCPU or guest shows.
 */
static void me_vmsa_fill(u8 *v, unsigned int vcpu, u8 tag)
{
	u64 cs_base = vcpu ? ME_AP_RESET & 0xffff0000u : 0xffff0000u;
	u64 rip = vcpu ? ME_AP_RESET & 0xffffu : 0xfff0;
	unsigned int off;

	memset(v, 0, SEVFW_VMSA_LEN);
	for (off = 0x00; off <= 0x50; off += 0x10)	/* es cs ss ds fs gs */
		me_seg(v, off, 0, 0x93, 0xffff, 0);
	me_seg(v, 0x10, 0xf000, 0x9b, 0xffff, cs_base);
	me_seg(v, 0x60, 0, 0, 0xffff, 0);		/* gdtr */
	me_seg(v, 0x70, 0, 0x82, 0xffff, 0);		/* ldtr */
	me_seg(v, 0x80, 0, 0, 0xffff, 0);		/* idtr */
	me_seg(v, 0x90, 0, 0x8b, 0xffff, 0);		/* tr */
	put_unaligned_le64(0x1000, v + 0x0d0);		/* efer: SVME */
	put_unaligned_le64(0x40, v + 0x148);		/* cr4: MCE */
	put_unaligned_le64(0x10, v + 0x158);		/* cr0: ET */
	put_unaligned_le64(0x400, v + 0x160);		/* dr7 */
	put_unaligned_le64(0xffff0ff0, v + 0x168);	/* dr6 */
	put_unaligned_le64(0x2, v + 0x170);		/* rflags */
	put_unaligned_le64(rip, v + 0x178);
	put_unaligned_le64(0x0007040600070406ULL, v + 0x268);	/* g_pat */
	put_unaligned_le64(0x00800f12, v + 0x310);	/* rdx: EPYC */
	put_unaligned_le64((u64)tag << 8 | vcpu, v + 0x340);	/* r8 */
	put_unaligned_le64(1, v + 0x3e8);		/* xcr0: x87 */
}

/* The record the firmware keeps for the VMSA at @vmsa, or NULL */
static const struct sevfw_vmsa_rec *me_rec(struct sevfw *fw, const void *vmsa)
{
	return sevfw_es_find(fw, tu_pa(vmsa));
}

/* The guest's view of @len bytes at @at (DBG_DECRYPT into a buffer) */
static u8 *me_view(struct kunit *test, struct sevfw *fw, u32 h,
		   const void *at, u32 len)
{
	u8 *out = tu_alloc(test, len);

	KUNIT_EXPECT_EQ(test, tu_dbg(test, fw, SEV_CMD_DBG_DECRYPT, h,
				     tu_pa(at), tu_pa(out), len),
			SEV_RET_SUCCESS);
	return out;
}

static u8 me_state(struct kunit *test, struct sevfw *fw, u32 h, u32 *asid)
{
	u8 st = 0xee;

	KUNIT_EXPECT_EQ(test, tu_guest_status(test, fw, h, NULL, asid, &st),
			SEV_RET_SUCCESS);
	return st;
}

/*
 * ATTESTATION of guest @h on @fw: the report holds @ld and @policy and is
 * signed by @fw's PEK, and not by @other's.
 */
static void me_report_check(struct kunit *test, struct sevfw *fw, u32 h,
			    const u8 *ld, u32 policy, struct sevfw *other)
{
	struct sev_data_attestation_report *d = tu_alloc(test, sizeof(*d));
	struct sev_cert *pdh = tu_alloc(test, sizeof(*pdh));
	struct sev_cert *chain = tu_alloc(test, SEV_CERT_CHAIN_SIZE);
	u8 *rep = tu_alloc(test, SEVFW_REPORT_LEN);
	struct sevfw_ecdsa_sig sig;
	struct sevfw_ecc_pub pek;
	u8 digest[SHA256_DIGEST_SIZE];
	unsigned int i;

	d->handle = h;
	d->address = tu_pa(rep);
	d->len = SEVFW_REPORT_LEN;
	for (i = 0; i < sizeof(d->mnonce); i++)
		d->mnonce[i] = 0xc0 + i;
	KUNIT_ASSERT_EQ(test, tu_cmd(fw, SEV_CMD_ATTESTATION_REPORT, d),
			SEV_RET_SUCCESS);
	TU_EXPECT_MEMEQ(test, rep + 0x10, ld, SHA256_DIGEST_SIZE);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(rep + 0x30), policy);

	for (i = 0; i < SEVFW_P384_BYTES; i++) {
		sig.r[i] = rep[0x40 + SEVFW_P384_BYTES - 1 - i];
		sig.s[i] = rep[0x40 + SEV_ECC_COORD_BYTES +
			       SEVFW_P384_BYTES - 1 - i];
	}
	sha256(rep, 0x34, digest);
	tu_export(test, fw, pdh, chain);
	KUNIT_ASSERT_EQ(test, sevfw_cert_pubkey(&chain[0], &pek),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, sevfw_ecdsa_verify_digest(&pek, digest,
							sizeof(digest), &sig),
			0);
	tu_export(test, other, pdh, chain);
	KUNIT_ASSERT_EQ(test, sevfw_cert_pubkey(&chain[0], &pek),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_NE(test, sevfw_ecdsa_verify_digest(&pek, digest,
							sizeof(digest), &sig),
			0);
}

/*
 * Launch @g with a guest owner's session: its memory and VMSAs from @tag,
 * LAUNCH_UPDATE_DATA per page, LAUNCH_UPDATE_VMSA per vCPU in order, the
 * measurement checked against facts §8.7 with a fixed MNONCE, then
 * LAUNCH_FINISH. @pl receives the plaintext and the launch digest.
 */
static void me_launch(struct kunit *test, struct me_guest *g,
		      struct me_plain *pl, u8 tag)
{
	struct sev_data_launch_update_vmsa *lv = tu_alloc(test, sizeof(*lv));
	struct sev_data_launch_measure *lm = tu_alloc(test, sizeof(*lm));
	struct tu_owner *o = tu_owner(test, g->fw, g->policy);
	u8 *meas = tu_alloc(test, SEVFW_MEASURE_LEN);
	u8 mnonce[SEVFW_MNONCE_LEN], want[SHA256_DIGEST_SIZE], msg[56];
	u32 nrecs = g->fw->vmsa_nrecs;
	struct sha256_state ld;
	unsigned int i;
	u32 asid;

	for (i = 0; i < ME_DATA_LEN; i++)
		pl->data[i] = i * 13 + (i >> 9) + tag;
	memcpy(g->data, pl->data, ME_DATA_LEN);
	for (i = 0; i < g->nvcpu; i++) {
		me_vmsa_fill(pl->vmsa[i], i, tag);
		memcpy(g->vmsa[i], pl->vmsa[i], SEVFW_VMSA_LEN);
	}

	KUNIT_ASSERT_EQ(test, tu_launch_start(test, g->fw, g->policy, 0,
					      &o->cert, o->session,
					      &g->handle), SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, tu_activate(test, g->fw, g->handle, g->asid),
			SEV_RET_SUCCESS);
	/* one call per page, as KVM does for pages that are not contiguous */
	for (i = 0; i < ME_DATA_PAGES; i++)
		KUNIT_ASSERT_EQ(test, tu_update_data(test, g->fw, g->handle,
						     g->data + i * PAGE_SIZE,
						     PAGE_SIZE),
				SEV_RET_SUCCESS);
	/* in vCPU order, at __sme_pa() of the page (es facts §1.4) */
	lv->handle = g->handle;
	lv->len = SEVFW_VMSA_LEN;
	for (i = 0; i < g->nvcpu; i++) {
		lv->address = tu_pa(g->vmsa[i]) | BIT_ULL(TU_CBIT);
		KUNIT_ASSERT_EQ(test, tu_cmd(g->fw, SEV_CMD_LAUNCH_UPDATE_VMSA,
					     lv), SEV_RET_SUCCESS);
		if (g->fw->p.mem_mode == SEVFW_MEM_OPAQUE)
			KUNIT_EXPECT_TRUE(test, memcmp(g->vmsa[i],
						       pl->vmsa[i], 64));
	}
	KUNIT_EXPECT_EQ(test, g->fw->vmsa_nrecs, nrecs + g->nvcpu);

	sha256_init(&ld);
	sha256_update(&ld, pl->data, ME_DATA_LEN);
	for (i = 0; i < g->nvcpu; i++)
		sha256_update(&ld, pl->vmsa[i], SEVFW_VMSA_LEN);
	sha256_final(&ld, pl->ld);

	/* KVM's length query, then the measurement with a known MNONCE */
	for (i = 0; i < sizeof(mnonce); i++)
		mnonce[i] = 0xa0 + i + tag;
	sevfw_test_set_mnonce(g->fw, mnonce);
	lm->handle = g->handle;
	KUNIT_ASSERT_EQ(test, tu_cmd(g->fw, SEV_CMD_LAUNCH_MEASURE, lm),
			SEV_RET_INVALID_LEN);
	KUNIT_ASSERT_EQ(test, lm->len, SEVFW_MEASURE_LEN);
	lm->address = tu_pa(meas);
	KUNIT_ASSERT_EQ(test, tu_cmd(g->fw, SEV_CMD_LAUNCH_MEASURE, lm),
			SEV_RET_SUCCESS);
	msg[0] = SEVFW_CTX_MEASURE;
	msg[1] = TU_API_MAJOR;
	msg[2] = TU_API_MINOR;
	msg[3] = TU_BUILD;
	put_unaligned_le32(g->policy, msg + 4);
	memcpy(msg + 8, pl->ld, SHA256_DIGEST_SIZE);
	memcpy(msg + 40, mnonce, sizeof(mnonce));
	sevfw_hmac(o->tik, sizeof(o->tik), msg, sizeof(msg), want);
	TU_EXPECT_MEMEQ(test, meas, want, SHA256_DIGEST_SIZE);
	TU_EXPECT_MEMEQ(test, meas + SHA256_DIGEST_SIZE, mnonce,
			sizeof(mnonce));
	TU_EXPECT_MEMEQ(test, g->fw->guests[g->handle - 1]->ld, pl->ld,
			SHA256_DIGEST_SIZE);

	KUNIT_ASSERT_EQ(test, tu_handle_cmd(test, g->fw, SEV_CMD_LAUNCH_FINISH,
					    g->handle), SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, me_state(test, g->fw, g->handle, &asid),
			SEVFW_GSTATE_RUNNING);
	KUNIT_EXPECT_EQ(test, asid, g->asid);
	/* the guest sees what was launched */
	TU_EXPECT_MEMEQ(test, me_view(test, g->fw, g->handle, g->data,
				      ME_DATA_LEN), pl->data, ME_DATA_LEN);
	TU_EXPECT_MEMEQ(test, me_view(test, g->fw, g->handle, g->vmsa[0],
				      SEVFW_VMSA_LEN), pl->vmsa[0],
			SEVFW_VMSA_LEN);
}

/* PDH_CERT_EXPORT of @to, plus the key server's CEK and the AMD roots */
static struct me_target *me_target(struct kunit *test, struct sevfw *to)
{
	struct me_target *t = tu_alloc(test, sizeof(*t));

	tu_export(test, to, &t->pdh, t->plat);
	memcpy(t->kds, t->plat, sizeof(t->kds));
	memcpy(&t->kds[2], sevfw_test_cek_cert, SEV_CERT_SIZE);
	KUNIT_ASSERT_EQ(test, sevfw_test_ask_ark_len, sizeof(t->amd));
	memcpy(t->amd, sevfw_test_ask_ark, sizeof(t->amd));
	return t;
}

/*
 * What a source host checks before it sends a guest to a platform (as
 * sevctl verify does): the exported CEK is the one the key server signed;
 * ARK (pinned) -> ASK -> CEK -> PEK -> PDH; the OCA is self-signed and
 * signed the PEK. Returns the first failure.
 */
static u16 me_host_check(const struct me_target *t)
{
	u16 ret;

	if (memcmp(&t->plat[2], &t->kds[2], SEV_CERT_SIGNED_LEN))
		return SEV_RET_INVALID_CERTIFICATE;
	ret = sevfw_chain_check_sev(t->amd, sizeof(t->amd), t->kds, &t->pdh);
	if (ret)
		return ret;
	ret = sevfw_cert_verify(&t->plat[1], &t->plat[1]);
	if (ret)
		return ret;
	ret = sevfw_cert_verify(&t->plat[0], &t->plat[1]);
	if (ret)
		return ret;
	if (le32_to_cpu(t->pdh.pub_usage) != SEV_USAGE_PDH ||
	    le32_to_cpu(t->pdh.pub_algo) != SEV_ALGO_ECDH_SHA256)
		return SEV_RET_INVALID_CERTIFICATE;
	return SEV_RET_SUCCESS;
}

static struct sevfw_data_transport *me_xfer(struct kunit *test, u32 h,
					    const void *guest,
					    struct me_pkt *p, u32 len)
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

static u16 me_send_pkt(struct kunit *test, struct sevfw *fw, u32 h,
		       const void *guest, struct me_pkt *p, bool vmsa)
{
	p->len = PAGE_SIZE;
	return tu_cmd(fw, vmsa ? SEV_CMD_SEND_UPDATE_VMSA :
		      SEV_CMD_SEND_UPDATE_DATA,
		      me_xfer(test, h, guest, p, p->len));
}

static u16 me_recv(struct kunit *test, struct sevfw *fw, u32 h,
		   const void *guest, struct me_pkt *p, bool vmsa)
{
	return tu_cmd(fw, vmsa ? SEV_CMD_RECEIVE_UPDATE_VMSA :
		      SEV_CMD_RECEIVE_UPDATE_DATA,
		      me_xfer(test, h, guest, p, p->len));
}

/*
 * SEND_START of @g to the platform @t describes (after KVM's length
 * query), SEND_UPDATE_DATA per page (after KVM's header length query),
 * SEND_UPDATE_VMSA per vCPU, and SEND_FINISH if @finish.
 */
static void me_send(struct kunit *test, struct me_guest *g,
		    const struct me_plain *pl, const struct me_target *t,
		    struct me_wire *w, bool finish)
{
	struct sev_data_send_start *d = tu_alloc(test, sizeof(*d));
	struct sevfw_data_transport *q;
	struct me_pkt *p;
	unsigned int i;

	d->handle = g->handle;
	KUNIT_ASSERT_EQ(test, tu_cmd(g->fw, SEV_CMD_SEND_START, d),
			SEV_RET_INVALID_LEN);
	KUNIT_ASSERT_EQ(test, d->session_len, SEVFW_SESSION_LEN);
	d->pdh_cert_address = tu_pa(&t->pdh);
	d->pdh_cert_len = SEV_CERT_SIZE;
	d->plat_certs_address = tu_pa(t->kds);
	d->plat_certs_len = SEV_CERT_CHAIN_SIZE;
	d->amd_certs_address = tu_pa(t->amd);
	d->amd_certs_len = sizeof(t->amd);
	d->session_address = tu_pa(w->session);
	KUNIT_ASSERT_EQ(test, tu_cmd(g->fw, SEV_CMD_SEND_START, d),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, d->policy, g->policy);

	q = me_xfer(test, g->handle, g->data, &w->data[0], PAGE_SIZE);
	q->hdr_len = 0;
	q->trans_len = 0;
	KUNIT_ASSERT_EQ(test, tu_cmd(g->fw, SEV_CMD_SEND_UPDATE_DATA, q),
			SEV_RET_INVALID_LEN);
	KUNIT_ASSERT_EQ(test, q->hdr_len, SEVFW_PKT_HDR_LEN);

	for (i = 0; i < ME_DATA_PAGES; i++) {
		KUNIT_ASSERT_EQ(test, me_send_pkt(test, g->fw, g->handle,
						  g->data + i * PAGE_SIZE,
						  &w->data[i], false),
				SEV_RET_SUCCESS);
		KUNIT_EXPECT_TRUE(test, memcmp(w->data[i].data,
					       pl->data + i * PAGE_SIZE, 64));
	}
	for (i = 0; i < g->nvcpu; i++) {
		KUNIT_ASSERT_EQ(test, me_send_pkt(test, g->fw, g->handle,
						  g->vmsa[i], &w->vmsa[i],
						  true), SEV_RET_SUCCESS);
		/* the wire carries ciphertext */
		KUNIT_EXPECT_TRUE(test, memcmp(w->vmsa[i].data, pl->vmsa[i],
					       SEVFW_VMSA_LEN));
	}
	if (!finish)
		return;
	KUNIT_ASSERT_EQ(test, tu_handle_cmd(test, g->fw, SEV_CMD_SEND_FINISH,
					    g->handle), SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, me_state(test, g->fw, g->handle, NULL),
			SEVFW_GSTATE_SENT);
	/* nothing more leaves a SENT guest */
	p = tu_alloc(test, sizeof(*p));
	KUNIT_EXPECT_EQ(test, me_send_pkt(test, g->fw, g->handle, g->vmsa[0],
					  p, true),
			SEV_RET_INVALID_GUEST_STATE);
	KUNIT_EXPECT_FALSE(test, memchr_inv(p->data, 0, sizeof(p->data)));
}

/* RECEIVE_START on @fw with the sender @from's PDH and @session */
static u16 me_receive_start(struct kunit *test, struct sevfw *fw,
			    struct sevfw *from, const u8 *session, u32 policy,
			    u32 *handle)
{
	struct sev_data_receive_start *d = tu_alloc(test, sizeof(*d));
	u16 ret;

	d->policy = policy;
	d->pdh_cert_address = tu_pa(tu_pdh(test, from));
	d->pdh_cert_len = SEV_CERT_SIZE;
	d->session_address = tu_pa(session);
	d->session_len = SEVFW_SESSION_LEN;
	ret = tu_cmd(fw, SEV_CMD_RECEIVE_START, d);
	*handle = ret == SEV_RET_SUCCESS ? d->handle : 0;
	return ret;
}

/* RECEIVE_START and ACTIVATE of @g, the guest @from sent with @w */
static void me_receive_begin(struct kunit *test, struct me_guest *g,
			     struct sevfw *from, const struct me_wire *w)
{
	KUNIT_ASSERT_EQ(test, me_receive_start(test, g->fw, from, w->session,
					       g->policy, &g->handle),
			SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, tu_activate(test, g->fw, g->handle, g->asid),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, me_state(test, g->fw, g->handle, NULL),
			SEVFW_GSTATE_RUPDATE);
}

static void me_receive_data(struct kunit *test, struct me_guest *g,
			    struct me_wire *w)
{
	unsigned int i;

	for (i = 0; i < ME_DATA_PAGES; i++)
		KUNIT_ASSERT_EQ(test, me_recv(test, g->fw, g->handle,
					      g->data + i * PAGE_SIZE,
					      &w->data[i], false),
				SEV_RET_SUCCESS);
}

static void me_receive_vmsas(struct kunit *test, struct me_guest *g,
			     struct me_wire *w, unsigned int from_vcpu)
{
	unsigned int i;

	for (i = from_vcpu; i < g->nvcpu; i++)
		KUNIT_ASSERT_EQ(test, me_recv(test, g->fw, g->handle,
					      g->vmsa[i], &w->vmsa[i], true),
				SEV_RET_SUCCESS);
}

static void me_receive_finish(struct kunit *test, struct me_guest *g)
{
	KUNIT_ASSERT_EQ(test, tu_handle_cmd(test, g->fw,
					    SEV_CMD_RECEIVE_FINISH, g->handle),
			SEV_RET_SUCCESS);
}

/*
 * The received guest @g (sent from @from) runs with the source's policy,
 * sees the source's memory and launch VMSAs @pl, has an integrity record
 * of each VMSA, and reports no launch digest (facts §3.1 ATTESTATION).
 */
static void me_check_received(struct kunit *test, struct me_guest *g,
			      const struct me_plain *pl, struct sevfw *from)
{
	static const u8 zero_ld[SHA256_DIGEST_SIZE];
	const struct sevfw_vmsa_rec *rec;
	u8 digest[SHA256_DIGEST_SIZE];
	u32 policy = 0, asid = 0;
	unsigned int i;
	u8 st = 0;

	KUNIT_EXPECT_EQ(test, tu_guest_status(test, g->fw, g->handle, &policy,
					      &asid, &st), SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, st, SEVFW_GSTATE_RUNNING);
	KUNIT_EXPECT_EQ(test, policy, g->policy);
	KUNIT_EXPECT_EQ(test, asid, g->asid);
	KUNIT_EXPECT_EQ(test, g->fw->asid_state[g->asid], SEVFW_ASID_IN_USE);

	TU_EXPECT_MEMEQ(test, me_view(test, g->fw, g->handle, g->data,
				      ME_DATA_LEN), pl->data, ME_DATA_LEN);
	for (i = 0; i < g->nvcpu; i++) {
		TU_EXPECT_MEMEQ(test, me_view(test, g->fw, g->handle,
					      g->vmsa[i], SEVFW_VMSA_LEN),
				pl->vmsa[i], SEVFW_VMSA_LEN);
		rec = me_rec(g->fw, g->vmsa[i]);
		KUNIT_ASSERT_NOT_NULL(test, rec);
		KUNIT_EXPECT_EQ(test, rec->handle, g->handle);
		sha256(pl->vmsa[i], SEVFW_VMSA_LEN, digest);
		TU_EXPECT_MEMEQ(test, rec->digest, digest, sizeof(digest));
		if (g->fw->p.mem_mode == SEVFW_MEM_OPAQUE)
			KUNIT_EXPECT_TRUE(test, memcmp(g->vmsa[i],
						       pl->vmsa[i], 64));
	}
	if (g->fw->p.mem_mode == SEVFW_MEM_OPAQUE)
		KUNIT_EXPECT_TRUE(test, memcmp(g->data, pl->data, 64));

	/* a received guest has no launch digest, and LUPDATE is behind it */
	me_report_check(test, g->fw, g->handle, zero_ld, g->policy, from);
	KUNIT_EXPECT_EQ(test, tu_measure(test, g->fw, g->handle, NULL),
			SEV_RET_INVALID_GUEST_STATE);
}

/*
 * The host tears an instance down: DEACTIVATE and DECOMMISSION each of
 * @handles, DF_FLUSH, SHUTDOWN. Nothing may be left: no guest context, no
 * VMSA record, every ASID clean and unbound.
 */
static void me_release(struct kunit *test, struct sevfw *fw,
		       const u32 *handles, unsigned int n)
{
	unsigned int i;
	u32 asid;

	for (i = 0; i < n; i++) {
		asid = 0;
		me_state(test, fw, handles[i], &asid);
		if (asid)
			KUNIT_EXPECT_EQ(test, tu_handle_cmd(test, fw,
							    SEV_CMD_DEACTIVATE,
							    handles[i]),
					SEV_RET_SUCCESS);
		KUNIT_EXPECT_EQ(test, tu_handle_cmd(test, fw,
						    SEV_CMD_DECOMMISSION,
						    handles[i]),
				SEV_RET_SUCCESS);
	}
	KUNIT_EXPECT_EQ(test, sevfw_guest_count(fw), 0);
	KUNIT_EXPECT_EQ(test, sevfw_platform_state(fw), SEV_STATE_INIT);
	KUNIT_EXPECT_EQ(test, fw->vmsa_nrecs, 0);
	for (i = 0; i < fw->p.max_guests; i++)
		KUNIT_EXPECT_NULL(test, fw->guests[i]);
	KUNIT_EXPECT_EQ(test, tu_cmd(fw, SEV_CMD_DF_FLUSH, NULL),
			SEV_RET_SUCCESS);
	for (asid = 1; asid <= fw->p.max_asid; asid++) {
		KUNIT_EXPECT_EQ(test, fw->asid_state[asid], SEVFW_ASID_CLEAN);
		KUNIT_EXPECT_EQ(test, fw->asid_handle[asid], 0);
	}
	KUNIT_EXPECT_EQ(test, tu_cmd(fw, SEV_CMD_SHUTDOWN, NULL),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, sevfw_platform_state(fw), SEV_STATE_UNINIT);
	KUNIT_EXPECT_NULL(test, fw->vmsa_recs);
}

static void me_get_id(struct kunit *test, struct sevfw *fw, u8 *id)
{
	struct sev_data_get_id *d = tu_alloc(test, sizeof(*d));

	d->address = tu_pa(id);
	d->len = SEVFW_ID_LEN;
	KUNIT_ASSERT_EQ(test, tu_cmd(fw, SEV_CMD_GET_ID, d), SEV_RET_SUCCESS);
}

/*
 * Two instances have their own identities: chip id, OCA, PEK and PDH all
 * differ. The CEK is the one test CEK the test ASK certifies (a real chip's
 * comes from AMD's key server; sevfw-identity.c), so it is the same.
 */
static void me_identities_differ(struct kunit *test, struct sevfw *a,
				 struct sevfw *b)
{
	struct me_target *ta = me_target(test, a), *tb = me_target(test, b);
	u8 *ida = tu_alloc(test, SEVFW_ID_LEN), *idb = tu_alloc(test,
								 SEVFW_ID_LEN);
	unsigned int i;

	me_get_id(test, a, ida);
	me_get_id(test, b, idb);
	KUNIT_EXPECT_TRUE(test, memcmp(ida, idb, SEVFW_ID_LEN));
	KUNIT_EXPECT_TRUE(test, memcmp(&ta->pdh.pubkey, &tb->pdh.pubkey,
				       sizeof(ta->pdh.pubkey)));
	for (i = 0; i < 2; i++)		/* PEK, OCA */
		KUNIT_EXPECT_TRUE(test, memcmp(&ta->plat[i].pubkey,
					       &tb->plat[i].pubkey,
					       sizeof(ta->plat[i].pubkey)));
	TU_EXPECT_MEMEQ(test, &ta->plat[2], &tb->plat[2], SEV_CERT_SIZE);
	KUNIT_EXPECT_EQ(test, me_host_check(ta), SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, me_host_check(tb), SEV_RET_SUCCESS);
	/* a host that is handed B's chain with A's PDH notices */
	memcpy(&tb->pdh, &ta->pdh, SEV_CERT_SIZE);
	KUNIT_EXPECT_EQ(test, me_host_check(tb), SEV_RET_BAD_SIGNATURE);
	/* and one handed A's PEK under B's OCA */
	memcpy(&tb->plat[0], &ta->plat[0], SEV_CERT_SIZE);
	memcpy(&tb->kds[0], &ta->plat[0], SEV_CERT_SIZE);
	KUNIT_EXPECT_EQ(test, me_host_check(tb), SEV_RET_BAD_SIGNATURE);
}

/* --- the migration --------------------------------------------------- */

struct me_case {
	const char *name;
	enum sevfw_mem_mode mode;
	unsigned int nvcpu;
	u32 policy;
	u8 vmsa_ctx;
};

static const struct me_case me_cases[] = {
	{ "opaque, 3 vcpus", SEVFW_MEM_OPAQUE, 3, ME_POLICY, 0 },
	{ "transparent, 2 vcpus", SEVFW_MEM_TRANSPARENT, 2, ME_POLICY, 0 },
	/* the firmware checks the target's chain itself (SEND_START step 5) */
	{ "opaque, 2 vcpus, policy sev", SEVFW_MEM_OPAQUE, 2,
	  ME_POLICY | SEVFW_POLICY_SEV | 0x18000000, 0 },
	/* both ends configured with the VMSA context byte 0x03 (§10.2) */
	{ "opaque, 3 vcpus, vmsa ctx 0x03", SEVFW_MEM_OPAQUE, 3, ME_POLICY,
	  0x03 },
};

static void me_case_desc(const struct me_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(me_cases, me_cases, me_case_desc);

static void sevfw_migrate_es_test(struct kunit *test)
{
	const struct me_case *c = test->param_value;
	struct sevfw *a = me_fw(test, ME_SEED_A, c->mode, c->vmsa_ctx, true);
	struct sevfw *b = me_fw(test, ME_SEED_B, c->mode, c->vmsa_ctx, true);
	struct me_plain *pl = me_plain_new(test, c->nvcpu);
	struct me_guest *src, *dst;
	struct me_wire *w = tu_alloc(test, sizeof(*w));
	struct me_target *t;
	u32 asid;

	me_identities_differ(test, a, b);
	src = me_guest_new(test, a, TU_ES_ASID, c->policy, c->nvcpu);
	/* the same ASID number on the other instance: ASIDs are per platform */
	dst = me_guest_new(test, b, TU_ES_ASID, c->policy, c->nvcpu);

	me_launch(test, src, pl, 0);
	t = me_target(test, b);
	KUNIT_ASSERT_EQ(test, me_host_check(t), SEV_RET_SUCCESS);
	me_send(test, src, pl, t, w, true);
	/* the sent guest still reports its launch digest, signed by A */
	me_report_check(test, a, src->handle, pl->ld, c->policy, b);

	me_receive_begin(test, dst, a, w);
	me_receive_data(test, dst, w);
	me_receive_vmsas(test, dst, w, 0);
	KUNIT_EXPECT_EQ(test, b->vmsa_nrecs, c->nvcpu);
	me_receive_finish(test, dst);
	me_check_received(test, dst, pl, a);

	/* the source's guest is SENT and keeps its ASID until the host acts */
	KUNIT_EXPECT_EQ(test, me_state(test, a, src->handle, &asid),
			SEVFW_GSTATE_SENT);
	KUNIT_EXPECT_EQ(test, asid, TU_ES_ASID);
	KUNIT_EXPECT_EQ(test, a->vmsa_nrecs, c->nvcpu);

	me_release(test, a, &src->handle, 1);
	me_release(test, b, &dst->handle, 1);
}

/*
 * A -> B -> A: what RECEIVE_UPDATE_VMSA recorded on B lets the guest move
 * on; back on A it lands in the pages and ASID of the guest it was, once
 * the host retired that one (DEACTIVATE, DECOMMISSION, DF_FLUSH).
 */
static void sevfw_migrate_es_round_trip(struct kunit *test)
{
	struct sevfw *a = me_fw(test, ME_SEED_A, SEVFW_MEM_OPAQUE, 0, true);
	struct sevfw *b = me_fw(test, ME_SEED_B, SEVFW_MEM_OPAQUE, 0, true);
	struct me_plain *pl = me_plain_new(test, 3);
	struct me_guest *src = me_guest_new(test, a, TU_ES_ASID, ME_POLICY, 3);
	struct me_guest *mid = me_guest_new(test, b, TU_ES_ASID + 2,
					    ME_POLICY, 3);
	struct me_guest *back = tu_alloc(test, sizeof(*back));
	struct me_wire *w = tu_alloc(test, sizeof(*w));
	struct me_wire *w2 = tu_alloc(test, sizeof(*w2));
	unsigned int i;

	me_launch(test, src, pl, 0x21);
	me_send(test, src, pl, me_target(test, b), w, true);
	me_receive_begin(test, mid, a, w);
	me_receive_data(test, mid, w);
	me_receive_vmsas(test, mid, w, 0);
	me_receive_finish(test, mid);
	me_check_received(test, mid, pl, a);

	/* A retires the sent guest: its ASID ran, so it is dirty */
	KUNIT_ASSERT_EQ(test, tu_handle_cmd(test, a, SEV_CMD_DEACTIVATE,
					    src->handle), SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, a->asid_state[TU_ES_ASID], SEVFW_ASID_DIRTY);
	KUNIT_ASSERT_EQ(test, tu_handle_cmd(test, a, SEV_CMD_DECOMMISSION,
					    src->handle), SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, a->vmsa_nrecs, 0);
	KUNIT_EXPECT_EQ(test, sevfw_platform_state(a), SEV_STATE_INIT);
	KUNIT_ASSERT_EQ(test, tu_cmd(a, SEV_CMD_DF_FLUSH, NULL),
			SEV_RET_SUCCESS);

	/* the host reuses the old pages, wiped */
	*back = *src;
	back->handle = 0;
	memset(back->data, 0, ME_DATA_LEN);
	for (i = 0; i < back->nvcpu; i++)
		memset(back->vmsa[i], 0, SEVFW_VMSA_LEN);
	KUNIT_ASSERT_EQ(test, me_host_check(me_target(test, a)),
			SEV_RET_SUCCESS);
	me_send(test, mid, pl, me_target(test, a), w2, true);
	me_receive_begin(test, back, b, w2);
	me_receive_data(test, back, w2);
	me_receive_vmsas(test, back, w2, 0);
	me_receive_finish(test, back);
	me_check_received(test, back, pl, b);

	me_release(test, a, &back->handle, 1);
	me_release(test, b, &mid->handle, 1);
}

/* --- refused packets ------------------------------------------------- */

enum mr_mut {
	MR_CIPHERTEXT,		/* one ciphertext byte of a VMSA packet */
	MR_MAC,			/* one MAC byte */
	MR_IV,			/* one IV byte */
	MR_FLAGS,		/* a header FLAGS bit other than COMPRESSED */
	MR_COMPRESSED,		/* FLAGS.COMPRESSED: before the MAC */
	MR_REPLAY,		/* vCPU 0's VMSA again, for vCPU 1 */
	MR_THIRD,		/* the VMSA packet of a session to C */
	MR_NOT_ES,		/* a VMSA for a non-ES guest */
	MR_AFTER_FINISH,	/* RECEIVE_UPDATE_VMSA after RECEIVE_FINISH */
	MR_HANDLE_SWAP,		/* another guest's VMSA packet */
	MR_CTX_MISMATCH,	/* sender 0x02, receiver 0x03 */
	MR_DATA_AS_VMSA,	/* context 0x02: the packet type is not bound */
	MR_DATA_AS_VMSA_CTX3,	/* context 0x03 at both ends: it is */
	MR_VMSA_AS_DATA_CTX3,
};

struct mr_case {
	const char *name;
	enum mr_mut mut;
	u8 ctx_a;		/* vmsa_mac_ctx of the source (0: 0x02) */
	u8 ctx_b;		/* and of the target */
	u16 status;
};

static const struct mr_case mr_cases[] = {
	{ "vmsa ciphertext byte", MR_CIPHERTEXT, 0, 0,
	  SEV_RET_BAD_MEASUREMENT },
	{ "vmsa mac byte", MR_MAC, 0, 0, SEV_RET_BAD_MEASUREMENT },
	{ "vmsa iv byte", MR_IV, 0, 0, SEV_RET_BAD_MEASUREMENT },
	{ "vmsa flags bit 1", MR_FLAGS, 0, 0, SEV_RET_BAD_MEASUREMENT },
	{ "vmsa flags compressed", MR_COMPRESSED, 0, 0, SEV_RET_UNSUPPORTED },
	{ "vmsa replayed for next vcpu", MR_REPLAY, 0, 0,
	  SEV_RET_BAD_MEASUREMENT },
	{ "vmsa of a session to a third identity", MR_THIRD, 0, 0,
	  SEV_RET_BAD_MEASUREMENT },
	{ "vmsa to a non-es guest", MR_NOT_ES, 0, 0, SEV_RET_UNSUPPORTED },
	{ "vmsa after receive_finish", MR_AFTER_FINISH, 0, 0,
	  SEV_RET_INVALID_GUEST_STATE },
	{ "vmsa of the other guest", MR_HANDLE_SWAP, 0, 0,
	  SEV_RET_BAD_MEASUREMENT },
	{ "vmsa ctx 0x02 to 0x03", MR_CTX_MISMATCH, 0, 0x03,
	  SEV_RET_BAD_MEASUREMENT },
	{ "data as vmsa, ctx 0x02", MR_DATA_AS_VMSA, 0, 0, SEV_RET_SUCCESS },
	{ "data as vmsa, ctx 0x03", MR_DATA_AS_VMSA_CTX3, 0x03, 0x03,
	  SEV_RET_BAD_MEASUREMENT },
	{ "vmsa as data, ctx 0x03", MR_VMSA_AS_DATA_CTX3, 0x03, 0x03,
	  SEV_RET_BAD_MEASUREMENT },
};

static void mr_case_desc(const struct mr_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(mr_cases, mr_cases, mr_case_desc);

/*
 * The third identity C: B cannot open a session made for C, and C itself
 * takes the packets B refused (so they were refused for their keys only).
 */
static void mr_third_check(struct kunit *test, struct sevfw *a,
			   struct sevfw *b, struct sevfw *c,
			   const struct me_plain *pl, struct me_wire *wc)
{
	struct me_guest *g = me_guest_new(test, c, TU_ES_ASID, ME_POLICY, 1);
	u32 h;

	KUNIT_EXPECT_EQ(test, me_receive_start(test, b, a, wc->session,
					       ME_POLICY, &h),
			SEV_RET_BAD_MEASUREMENT);
	me_receive_begin(test, g, a, wc);
	me_receive_data(test, g, wc);
	me_receive_vmsas(test, g, wc, 0);
	me_receive_finish(test, g);
	me_check_received(test, g, pl, a);
	me_release(test, c, &g->handle, 1);
}

static void sevfw_migrate_es_reject(struct kunit *test)
{
	const struct mr_case *c = test->param_value;
	struct sevfw *a = me_fw(test, ME_SEED_A, SEVFW_MEM_OPAQUE, c->ctx_a,
				true);
	struct sevfw *b = me_fw(test, ME_SEED_B, SEVFW_MEM_OPAQUE, c->ctx_b,
				true);
	struct sevfw *third = NULL;
	struct me_plain *pl = me_plain_new(test, 2), *pl2 = NULL;
	struct me_guest *src = me_guest_new(test, a, TU_ES_ASID, ME_POLICY, 2);
	struct me_guest *dst = me_guest_new(test, b, TU_ES_ASID, ME_POLICY, 2);
	struct me_guest *src2 = NULL, *dst2 = NULL;
	struct me_wire *w = tu_alloc(test, sizeof(*w)), *w2 = NULL;
	struct me_wire *wc = NULL;
	struct me_pkt *pkt = tu_alloc(test, sizeof(*pkt));
	u8 *before = tu_alloc(test, PAGE_SIZE), *target;
	u8 digest[SHA256_DIGEST_SIZE];
	u32 ha[2], hb[2], h, nrecs;
	unsigned int na = 0, nb = 0, next_vmsa = 0;
	bool vmsa = true, recover = true;
	bool data_first = c->mut != MR_DATA_AS_VMSA &&
			  c->mut != MR_DATA_AS_VMSA_CTX3;
	const struct sevfw_vmsa_rec *rec;
	struct me_target *t;
	u64 seq;

	me_launch(test, src, pl, 0);
	t = me_target(test, b);
	if (c->mut == MR_THIRD) {
		/* a session to C first, cancelled: the same packet positions */
		third = me_fw(test, ME_SEED_C, SEVFW_MEM_OPAQUE, 0, true);
		wc = tu_alloc(test, sizeof(*wc));
		me_send(test, src, pl, me_target(test, third), wc, false);
		KUNIT_ASSERT_EQ(test, tu_handle_cmd(test, a,
						    SEV_CMD_SEND_CANCEL,
						    src->handle),
				SEV_RET_SUCCESS);
	}
	me_send(test, src, pl, t, w, true);
	ha[na++] = src->handle;

	if (c->mut == MR_HANDLE_SWAP) {
		/* a second ES guest migrates to B at the same time */
		src2 = me_guest_new(test, a, TU_ES_ASID + 1, ME_POLICY, 2);
		dst2 = me_guest_new(test, b, TU_ES_ASID + 1, ME_POLICY, 2);
		pl2 = me_plain_new(test, 2);
		w2 = tu_alloc(test, sizeof(*w2));
		me_launch(test, src2, pl2, 0x55);
		me_send(test, src2, pl2, t, w2, true);
		ha[na++] = src2->handle;
		me_receive_begin(test, dst2, a, w2);
		me_receive_data(test, dst2, w2);
		hb[nb++] = dst2->handle;
	}
	if (c->mut == MR_NOT_ES) {
		/* a plain SEV guest migrates to B at the same time */
		src2 = me_guest_new(test, a, TU_ASID, 0, 0);
		dst2 = me_guest_new(test, b, TU_ASID, 0, 0);
		w2 = tu_alloc(test, sizeof(*w2));
		src2->handle = tu_running_guest(test, a, 0, TU_ASID,
						src2->data, PAGE_SIZE);
		ha[na++] = src2->handle;
		KUNIT_ASSERT_EQ(test, tu_send_start_plain(test, a,
							  src2->handle,
							  &t->pdh,
							  w2->session),
				SEV_RET_SUCCESS);
		KUNIT_ASSERT_EQ(test, me_send_pkt(test, a, src2->handle,
						  src2->data, &w2->data[0],
						  false), SEV_RET_SUCCESS);
		KUNIT_ASSERT_EQ(test, tu_handle_cmd(test, a,
						    SEV_CMD_SEND_FINISH,
						    src2->handle),
				SEV_RET_SUCCESS);
		/* B's host cannot pass the ES guest off as a plain one */
		KUNIT_EXPECT_EQ(test, me_receive_start(test, b, a, w->session,
						       0, &h),
				SEV_RET_BAD_MEASUREMENT);
		me_receive_begin(test, dst2, a, w2);
		KUNIT_ASSERT_EQ(test, me_recv(test, b, dst2->handle,
					      dst2->data, &w2->data[0], false),
				SEV_RET_SUCCESS);
		hb[nb++] = dst2->handle;
	}

	me_receive_begin(test, dst, a, w);
	hb[nb++] = dst->handle;
	if (data_first)
		me_receive_data(test, dst, w);
	if (c->mut == MR_REPLAY || c->mut == MR_AFTER_FINISH) {
		KUNIT_ASSERT_EQ(test, me_recv(test, b, dst->handle,
					      dst->vmsa[0], &w->vmsa[0], true),
				SEV_RET_SUCCESS);
		next_vmsa = 1;
	}
	if (c->mut == MR_AFTER_FINISH)
		me_receive_finish(test, dst);

	/* the attempt: packet, guest, address and command by case */
	h = dst->handle;
	target = dst->vmsa[0];
	*pkt = w->vmsa[0];
	switch (c->mut) {
	case MR_CIPHERTEXT:
		pkt->data[0x178] ^= 0x01;	/* in RIP */
		break;
	case MR_MAC:
		pkt->hdr.mac[0] ^= 0x80;
		break;
	case MR_IV:
		pkt->hdr.iv[15] ^= 0x01;
		break;
	case MR_FLAGS:
		pkt->hdr.flags = cpu_to_le32(BIT(1));
		break;
	case MR_COMPRESSED:
		pkt->hdr.flags = cpu_to_le32(SEVFW_PKT_COMPRESSED);
		break;
	case MR_REPLAY:
		target = dst->vmsa[1];
		break;
	case MR_THIRD:
		*pkt = wc->vmsa[0];
		break;
	case MR_NOT_ES:
		h = dst2->handle;
		target = dst2->data + PAGE_SIZE;
		break;
	case MR_AFTER_FINISH:
		*pkt = w->vmsa[1];
		target = dst->vmsa[1];
		break;
	case MR_HANDLE_SWAP:
		h = dst2->handle;
		target = dst2->vmsa[0];
		break;
	case MR_DATA_AS_VMSA:
	case MR_DATA_AS_VMSA_CTX3:
		*pkt = w->data[0];
		break;
	case MR_VMSA_AS_DATA_CTX3:
		vmsa = false;
		break;
	default:
		break;
	}
	seq = b->guests[h - 1]->pkt_seq;
	nrecs = b->vmsa_nrecs;
	memcpy(before, target, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, me_recv(test, b, h, target, pkt, vmsa),
			c->status);
	if (c->status != SEV_RET_SUCCESS) {
		/* nothing landed, no packet number or VMSA record used */
		TU_EXPECT_MEMEQ(test, target, before, PAGE_SIZE);
		KUNIT_EXPECT_EQ(test, b->guests[h - 1]->pkt_seq, seq);
		KUNIT_EXPECT_EQ(test, b->vmsa_nrecs, nrecs);
		KUNIT_EXPECT_NULL(test, me_rec(b, target));
	}

	switch (c->mut) {
	case MR_THIRD:
		mr_third_check(test, a, b, third, pl, wc);
		break;
	case MR_NOT_ES:
		/* the plain guest's own packet as a VMSA: the same */
		KUNIT_EXPECT_EQ(test, me_recv(test, b, dst2->handle,
					      dst2->data, &w2->data[0], true),
				SEV_RET_UNSUPPORTED);
		me_receive_finish(test, dst2);
		break;
	case MR_HANDLE_SWAP:
		/* and the other way round */
		KUNIT_EXPECT_EQ(test, me_recv(test, b, dst->handle,
					      dst->vmsa[0], &w2->vmsa[0],
					      true),
				SEV_RET_BAD_MEASUREMENT);
		me_receive_vmsas(test, dst2, w2, 0);
		me_receive_finish(test, dst2);
		me_check_received(test, dst2, pl2, a);
		break;
	case MR_AFTER_FINISH:
		/* what came before RECEIVE_FINISH stays */
		KUNIT_EXPECT_EQ(test, me_state(test, b, dst->handle, NULL),
				SEVFW_GSTATE_RUNNING);
		TU_EXPECT_MEMEQ(test, me_view(test, b, dst->handle,
					      dst->vmsa[0], SEVFW_VMSA_LEN),
				pl->vmsa[0], SEVFW_VMSA_LEN);
		recover = false;
		break;
	case MR_CTX_MISMATCH:
		recover = false;
		break;
	case MR_DATA_AS_VMSA:
		/*
		 * With AMD's context byte 0x02 for both packet types (facts
		 * §8.9, §10.2) the target cannot tell a data page from a
		 * VMSA: the host made guest data vCPU 0's VMSA.
		 */
		TU_EXPECT_MEMEQ(test, me_view(test, b, dst->handle,
					      dst->vmsa[0], SEVFW_VMSA_LEN),
				pl->data, SEVFW_VMSA_LEN);
		rec = me_rec(b, dst->vmsa[0]);
		KUNIT_ASSERT_NOT_NULL(test, rec);
		sha256(pl->data, SEVFW_VMSA_LEN, digest);
		TU_EXPECT_MEMEQ(test, rec->digest, digest, sizeof(digest));
		recover = false;
		break;
	default:
		break;
	}

	/* the genuine packets still go through */
	if (recover) {
		if (!data_first)
			me_receive_data(test, dst, w);
		me_receive_vmsas(test, dst, w, next_vmsa);
		me_receive_finish(test, dst);
		me_check_received(test, dst, pl, a);
	}

	me_release(test, a, ha, na);
	me_release(test, b, hb, nb);
}

static struct kunit_case sevfw_migrate_es_cases[] = {
	KUNIT_CASE_PARAM(sevfw_migrate_es_test, me_cases_gen_params),
	KUNIT_CASE(sevfw_migrate_es_round_trip),
	KUNIT_CASE_PARAM(sevfw_migrate_es_reject, mr_cases_gen_params),
	{}
};

static struct kunit_suite sevfw_migrate_es_suite = {
	.name = "sevfw_migrate_es",
	.test_cases = sevfw_migrate_es_cases,
};

kunit_test_suite(sevfw_migrate_es_suite);

MODULE_LICENSE("GPL");
