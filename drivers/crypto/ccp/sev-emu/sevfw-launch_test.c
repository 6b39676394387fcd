// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the software SEV firmware's launch commands: sessions
 * built by an independent implementation (tools/testing/vectors/
 * make-session-vectors.py: python3 hashlib/hmac and OpenSSL through the
 * 'cryptography' package) are opened with a known PDH key, tampered ones
 * are refused; the measurement equals the facts sheet's vector (§8.11) and
 * a second vector computed outside the project; a LAUNCH_SECRET packet
 * built outside lands in guest memory; every status code of LAUNCH_START,
 * LAUNCH_UPDATE_DATA/VMSA, LAUNCH_MEASURE, LAUNCH_SECRET, LAUNCH_FINISH and
 * ATTESTATION in the firmware's check order.
 *
 * The second measurement vector (t_b_measure) is, with python3:
 *   python3 -c "import hmac,hashlib,struct;
 *     tik=hashlib.sha256(b'sevstack tik b').digest()[:16];
 *     ld=hashlib.sha256(bytes((7*i+3)&255 for i in range(64))).digest();
 *     print(hmac.new(tik,bytes([4,0,24,15])+struct.pack('<I',0x18000002)
 *       +ld+bytes(range(0xa0,0xb0)),hashlib.sha256).hexdigest())"
 *   -> a56435e78d101f938d801d8c7b12fcb48dfe8b098b397316e5f0b45432f7bd1f
 * (also in tools/testing/vectors/measurement-vectors.txt).
 */

#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/psp-sev.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/unaligned.h>
#include <crypto/sha2.h>

#include "sevfw-internal.h"
#include "sevfw-guest.h"
#include "sevfw-test-util.h"
#include "sevfw-session_testdata.h"

/* facts §8.11 */
static const u8 f_wrap_tk[32] = {
	0x21, 0x37, 0xbc, 0x7f, 0x9b, 0xb8, 0xbd, 0x7c,
	0x3e, 0x55, 0xa5, 0x76, 0xa1, 0x5d, 0x34, 0x54,
	0xb3, 0x85, 0x6b, 0x8b, 0xa2, 0x7a, 0xfa, 0xdf,
	0x46, 0xdc, 0xfe, 0xe9, 0xf0, 0x2c, 0x02, 0xc4,
};

static const u8 f_wrap_mac[32] = {
	0x31, 0x76, 0xc0, 0x75, 0x27, 0x38, 0xbd, 0x9d,
	0x5e, 0x86, 0x68, 0x95, 0x34, 0x02, 0x0f, 0x52,
	0x8c, 0x08, 0x8f, 0x16, 0x23, 0x88, 0x26, 0xb0,
	0x00, 0xb3, 0x27, 0xde, 0xe6, 0xae, 0xed, 0x7d,
};

static const u8 f_policy_mac[32] = {
	0xaa, 0x78, 0x55, 0xe1, 0x38, 0x39, 0xdd, 0x76,
	0x7c, 0xd5, 0xda, 0x7c, 0x1f, 0xf5, 0x03, 0x65,
	0x40, 0xc9, 0x26, 0x4b, 0x7a, 0x80, 0x30, 0x29,
	0x31, 0x5e, 0x55, 0x37, 0x52, 0x87, 0xb4, 0xaf,
};

static const u8 f_mnonce[16] = {
	0x4f, 0xbe, 0x0b, 0xed, 0xba, 0xd6, 0xc8, 0x6a,
	0xe8, 0xf6, 0x89, 0x71, 0xd1, 0x03, 0xe5, 0x54,
};

static const u8 f_measure[32] = {
	0x6f, 0xaa, 0xb2, 0xda, 0xae, 0x38, 0x9b, 0xcd,
	0x34, 0x05, 0xa0, 0x5d, 0x6c, 0xaf, 0xe3, 0x3c,
	0x04, 0x14, 0xf7, 0xbe, 0xdd, 0x0b, 0xae, 0x19,
	0xba, 0x5f, 0x38, 0xb7, 0xfd, 0x16, 0x64, 0xea,
};

/* SHA-256("") */
static const u8 f_ld_empty[32] = {
	0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14,
	0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24,
	0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c,
	0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55,
};

static void sevfw_test_facts_vectors(struct kunit *test)
{
	static const u8 zero[16];
	struct sevfw_session s;
	u8 m[32];

	/* Z = 16 zero bytes, NONCE = WRAP_IV = TEK = TIK = 0, policy 0 */
	sevfw_session_wrap(zero, 16, zero, zero, zero, zero, 0, &s);
	TU_EXPECT_MEMEQ(test, s.wrap_tk, f_wrap_tk, 32);
	TU_EXPECT_MEMEQ(test, s.wrap_mac, f_wrap_mac, 32);
	TU_EXPECT_MEMEQ(test, s.policy_mac, f_policy_mac, 32);

	sevfw_measure(t_sess_a_tik, 0, 18, 0x0f, 0, f_ld_empty, f_mnonce, m);
	TU_EXPECT_MEMEQ(test, m, f_measure, 32);
	sevfw_measure(t_sess_b_tik, 0, 24, 15, SESS_B_POLICY, t_b_ld,
		      t_b_mnonce, m);
	TU_EXPECT_MEMEQ(test, m, t_b_measure, 32);
}

/* An instance whose PDH is the vectors' key; @minor: API 0.minor */
static struct sevfw *l_fw(struct kunit *test, enum sevfw_mem_mode mode,
			  u8 minor)
{
	struct sevfw_params p;
	struct sevfw *fw;

	tu_params(&p, 0x20);
	p.api_minor = minor;
	p.mem_mode = mode;
	fw = tu_fw_new(test, &p);
	tu_init(test, fw, false);
	KUNIT_ASSERT_EQ(test, sevfw_test_install_pdh(fw, t_pdh_d), 0);
	return fw;
}

static void *l_dup(struct kunit *test, const void *src, size_t len)
{
	void *p = tu_alloc(test, len);

	memcpy(p, src, len);
	return p;
}

/* The python-built session A and the facts sheet's measurement */
static void sevfw_test_measure_facts_vector(struct kunit *test)
{
	struct sevfw *fw = l_fw(test, SEVFW_MEM_TRANSPARENT, 18);
	u8 *out = tu_alloc(test, SEVFW_MEASURE_LEN);
	u32 h;

	KUNIT_ASSERT_EQ(test, tu_launch_start(test, fw, 0, 0,
					      l_dup(test, t_godh_cert,
						    SEV_CERT_SIZE),
					      l_dup(test, t_sess_a,
						    SEVFW_SESSION_LEN), &h),
			SEV_RET_SUCCESS);
	TU_EXPECT_MEMEQ(test, fw->guests[h - 1]->tik, t_sess_a_tik, 16);
	TU_EXPECT_MEMEQ(test, fw->guests[h - 1]->tek, t_sess_a_tek, 16);
	sevfw_test_set_mnonce(fw, f_mnonce);
	KUNIT_ASSERT_EQ(test, tu_measure(test, fw, h, out), SEV_RET_SUCCESS);
	TU_EXPECT_MEMEQ(test, out, f_measure, 32);
	TU_EXPECT_MEMEQ(test, out + 32, f_mnonce, 16);
	TU_EXPECT_MEMEQ(test, fw->guests[h - 1]->ld, f_ld_empty, 32);
}

/*
 * The python-built session B: keys unwrapped, the measurement over the
 * launch data equals the python vector, the python secret packet lands in
 * guest memory, a tampered one does not. In both memory modes.
 */
static void l_session_b(struct kunit *test, enum sevfw_mem_mode mode)
{
	struct sevfw *fw = l_fw(test, mode, 24);
	struct sevfw_data_transport *d = tu_alloc(test, sizeof(*d));
	u8 *out = tu_alloc(test, SEVFW_MEASURE_LEN);
	u8 *page = tu_pages(test, PAGE_SIZE);
	u8 *hdr = l_dup(test, t_secret_hdr, sizeof(t_secret_hdr));
	u8 *ct = l_dup(test, t_secret_ct, sizeof(t_secret_ct));
	u8 *plain = tu_alloc(test, sizeof(t_secret));
	u8 *secret = page + 0x100;
	u32 h;

	KUNIT_ASSERT_EQ(test, tu_launch_start(test, fw, SESS_B_POLICY, 0,
					      l_dup(test, t_godh_cert,
						    SEV_CERT_SIZE),
					      l_dup(test, t_sess_b,
						    SEVFW_SESSION_LEN), &h),
			SEV_RET_SUCCESS);
	TU_EXPECT_MEMEQ(test, fw->guests[h - 1]->tek, t_sess_b_tek, 16);
	TU_EXPECT_MEMEQ(test, fw->guests[h - 1]->tik, t_sess_b_tik, 16);
	KUNIT_ASSERT_EQ(test, tu_activate(test, fw, h, TU_ASID),
			SEV_RET_SUCCESS);
	memcpy(page, t_b_data, sizeof(t_b_data));
	KUNIT_ASSERT_EQ(test, tu_update_data(test, fw, h, page,
					     sizeof(t_b_data)),
			SEV_RET_SUCCESS);
	sevfw_test_set_mnonce(fw, t_b_mnonce);
	KUNIT_ASSERT_EQ(test, tu_measure(test, fw, h, out), SEV_RET_SUCCESS);
	TU_EXPECT_MEMEQ(test, out, t_b_measure, 32);
	TU_EXPECT_MEMEQ(test, out + 32, t_b_mnonce, 16);

	d->handle = h;
	d->hdr_address = tu_pa(hdr);
	d->hdr_len = SEVFW_PKT_HDR_LEN;
	d->guest_address = tu_pa(secret);
	d->guest_len = sizeof(t_secret);
	d->trans_address = tu_pa(ct);
	d->trans_len = sizeof(t_secret);

	/* tampered ciphertext, IV, flags, MAC: refused, memory untouched */
	ct[5] ^= 0x10;
	KUNIT_EXPECT_EQ(test, tu_cmd(fw, SEV_CMD_LAUNCH_UPDATE_SECRET, d),
			SEV_RET_BAD_MEASUREMENT);
	ct[5] ^= 0x10;
	hdr[4] ^= 0x01;
	KUNIT_EXPECT_EQ(test, tu_cmd(fw, SEV_CMD_LAUNCH_UPDATE_SECRET, d),
			SEV_RET_BAD_MEASUREMENT);
	hdr[4] ^= 0x01;
	hdr[0] ^= 0x01;
	KUNIT_EXPECT_EQ(test, tu_cmd(fw, SEV_CMD_LAUNCH_UPDATE_SECRET, d),
			SEV_RET_BAD_MEASUREMENT);
	hdr[0] ^= 0x01;
	hdr[0x33] ^= 0x80;
	KUNIT_EXPECT_EQ(test, tu_cmd(fw, SEV_CMD_LAUNCH_UPDATE_SECRET, d),
			SEV_RET_BAD_MEASUREMENT);
	hdr[0x33] ^= 0x80;
	KUNIT_EXPECT_FALSE(test, memchr_inv(secret, 0, sizeof(t_secret)));

	KUNIT_EXPECT_EQ(test, tu_cmd(fw, SEV_CMD_LAUNCH_UPDATE_SECRET, d),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, tu_dbg(test, fw, SEV_CMD_DBG_DECRYPT, h,
				     tu_pa(secret), tu_pa(plain),
				     sizeof(t_secret)), SEV_RET_SUCCESS);
	TU_EXPECT_MEMEQ(test, plain, t_secret, sizeof(t_secret));
	if (mode == SEVFW_MEM_TRANSPARENT)
		TU_EXPECT_MEMEQ(test, secret, t_secret, sizeof(t_secret));
	else
		KUNIT_EXPECT_TRUE(test, memcmp(secret, t_secret,
					       sizeof(t_secret)));
	/* the data imported before is still the guest's */
	KUNIT_EXPECT_EQ(test, tu_dbg(test, fw, SEV_CMD_DBG_DECRYPT, h,
				     tu_pa(page), tu_pa(plain), 48),
			SEV_RET_SUCCESS);
	TU_EXPECT_MEMEQ(test, plain, t_b_data, 48);

	/* LAUNCH_SECRET may be repeated; LAUNCH_FINISH drops the keys */
	KUNIT_EXPECT_EQ(test, tu_cmd(fw, SEV_CMD_LAUNCH_UPDATE_SECRET, d),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, tu_handle_cmd(test, fw, SEV_CMD_LAUNCH_FINISH, h),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_FALSE(test, memchr_inv(fw->guests[h - 1]->tik, 0, 16));
	KUNIT_EXPECT_FALSE(test, memchr_inv(fw->guests[h - 1]->tek, 0, 16));
	KUNIT_EXPECT_FALSE(test, memchr_inv(fw->guests[h - 1]->measure, 0, 32));
	TU_EXPECT_MEMEQ(test, fw->guests[h - 1]->ld, t_b_ld, 32);
	KUNIT_EXPECT_EQ(test, tu_cmd(fw, SEV_CMD_LAUNCH_UPDATE_SECRET, d),
			SEV_RET_INVALID_GUEST_STATE);
}

static void sevfw_test_session_b_transparent(struct kunit *test)
{
	l_session_b(test, SEVFW_MEM_TRANSPARENT);
}

static void sevfw_test_session_b_opaque(struct kunit *test)
{
	l_session_b(test, SEVFW_MEM_OPAQUE);
}

/* --- LAUNCH_START with a session: every status in order ----------------- */

enum ls_mut {
	LS_NONE,
	LS_SESSION_LEN,		/* 0x7f */
	LS_SESSION_ADDR,	/* outside RAM */
	LS_SESSION_ADDR_CERT_LEN,	/* both bad: the session comes first */
	LS_CERT_LEN,		/* 0x823 */
	LS_CERT_ADDR,
	LS_CERT_USAGE,		/* usage PEK */
	LS_CERT_ALGO,		/* algo ECDSA_SHA256 */
	LS_CERT_VERSION,
	LS_CERT_POINT,		/* not on the curve */
	LS_CERT_POINT_MAC,	/* bad point and bad WRAP_MAC */
	LS_WRAP_MAC,		/* one bit of WRAP_MAC */
	LS_WRAP_TK,		/* one bit of WRAP_TK */
	LS_NONCE,
	LS_POLICY_MAC,		/* one bit of POLICY_MAC */
	LS_POLICY,		/* the command names another policy */
	LS_OTHER_PDH,		/* the firmware has another PDH */
	LS_API_TOO_NEW,		/* platform 0.18 < session B's 0.24 */
	LS_SHARE_BAD,		/* share an invalid handle */
	LS_SHARE_NOKS,		/* share a guest with NOKS */
	LS_SHARE_OK,		/* share a guest with the same policy */
};

struct lss_case {
	const char *name;
	enum ls_mut mut;
	u16 status;
};

static const struct lss_case lss_cases[] = {
	{ "python session", LS_NONE, SEV_RET_SUCCESS },
	{ "session len", LS_SESSION_LEN, SEV_RET_INVALID_LEN },
	{ "session addr", LS_SESSION_ADDR, SEV_RET_INVALID_ADDRESS },
	{ "session addr before cert len", LS_SESSION_ADDR_CERT_LEN,
	  SEV_RET_INVALID_ADDRESS },
	{ "cert len", LS_CERT_LEN, SEV_RET_INVALID_LEN },
	{ "cert addr", LS_CERT_ADDR, SEV_RET_INVALID_ADDRESS },
	{ "cert usage", LS_CERT_USAGE, SEV_RET_INVALID_CERTIFICATE },
	{ "cert algo", LS_CERT_ALGO, SEV_RET_INVALID_CERTIFICATE },
	{ "cert version", LS_CERT_VERSION, SEV_RET_INVALID_CERTIFICATE },
	{ "cert point", LS_CERT_POINT, SEV_RET_INVALID_CERTIFICATE },
	{ "cert before mac", LS_CERT_POINT_MAC, SEV_RET_INVALID_CERTIFICATE },
	{ "wrap mac bit", LS_WRAP_MAC, SEV_RET_BAD_MEASUREMENT },
	{ "wrap tk bit", LS_WRAP_TK, SEV_RET_BAD_MEASUREMENT },
	{ "nonce bit", LS_NONCE, SEV_RET_BAD_MEASUREMENT },
	{ "policy mac bit", LS_POLICY_MAC, SEV_RET_BAD_MEASUREMENT },
	{ "policy mismatch", LS_POLICY, SEV_RET_BAD_MEASUREMENT },
	{ "other pdh", LS_OTHER_PDH, SEV_RET_BAD_MEASUREMENT },
	{ "api too new", LS_API_TOO_NEW, SEV_RET_POLICY_FAILURE },
	{ "share invalid", LS_SHARE_BAD, SEV_RET_INVALID_GUEST },
	{ "share noks", LS_SHARE_NOKS, SEV_RET_POLICY_FAILURE },
	{ "share same policy", LS_SHARE_OK, SEV_RET_SUCCESS },
};

static void lss_desc(const struct lss_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(lss_cases, lss_cases, lss_desc);

static void sevfw_test_launch_start_session(struct kunit *test)
{
	const struct lss_case *c = test->param_value;
	struct sevfw *fw = l_fw(test, SEVFW_MEM_TRANSPARENT,
				c->mut == LS_API_TOO_NEW ? 18 : 24);
	struct sev_data_launch_start *d = tu_alloc(test, sizeof(*d));
	struct sev_cert *cert = l_dup(test, t_godh_cert, SEV_CERT_SIZE);
	struct sevfw_session *s = l_dup(test, t_sess_b, sizeof(t_sess_b));
	u8 d2[48];
	u32 count;

	/* h1: no session, policy 0 (not shareable from session B's policy) */
	KUNIT_ASSERT_EQ(test, tu_launch_start(test, fw, 0, 0, NULL, NULL, NULL),
			SEV_RET_SUCCESS);
	d->policy = SESS_B_POLICY;
	d->dh_cert_address = tu_pa(cert);
	d->dh_cert_len = SEV_CERT_SIZE;
	d->session_address = tu_pa(s);
	d->session_len = SEVFW_SESSION_LEN;

	switch (c->mut) {
	case LS_SESSION_LEN:
		d->session_len = 0x7f;
		break;
	case LS_SESSION_ADDR_CERT_LEN:
		d->dh_cert_len = 0;
		fallthrough;
	case LS_SESSION_ADDR:
		d->session_address = 0xfffffffffff000ULL;
		break;
	case LS_CERT_LEN:
		d->dh_cert_len = SEV_CERT_SIZE - 1;
		break;
	case LS_CERT_ADDR:
		d->dh_cert_address = 0xfffffffffff000ULL;
		break;
	case LS_CERT_USAGE:
		cert->pub_usage = cpu_to_le32(SEV_USAGE_PEK);
		break;
	case LS_CERT_ALGO:
		cert->pub_algo = cpu_to_le32(SEV_ALGO_ECDSA_SHA256);
		break;
	case LS_CERT_VERSION:
		cert->version = cpu_to_le32(2);
		break;
	case LS_CERT_POINT_MAC:
		s->wrap_mac[0] ^= 1;
		fallthrough;
	case LS_CERT_POINT:
		cert->pubkey.ecc.qy[0] ^= 1;
		break;
	case LS_WRAP_MAC:
		s->wrap_mac[31] ^= 0x80;
		break;
	case LS_WRAP_TK:
		s->wrap_tk[7] ^= 0x04;
		break;
	case LS_NONCE:
		s->nonce[15] ^= 0x01;
		break;
	case LS_POLICY_MAC:
		s->policy_mac[13] ^= 0x20;
		break;
	case LS_POLICY:
		d->policy = SESS_B_POLICY | SEVFW_POLICY_NODBG;
		break;
	case LS_OTHER_PDH:
		memcpy(d2, t_pdh_d, sizeof(d2));
		d2[47] ^= 0x02;
		KUNIT_ASSERT_EQ(test, sevfw_test_install_pdh(fw, d2), 0);
		break;
	case LS_SHARE_BAD:
		d->handle = 2;
		break;
	case LS_SHARE_OK:
		/* session A: policy 0, shareable */
		memcpy(s, t_sess_a, sizeof(t_sess_a));
		d->policy = 0;
		fallthrough;
	case LS_SHARE_NOKS:
		/* h2 from the same session; B's policy has NOKS set */
		KUNIT_ASSERT_EQ(test, tu_cmd(fw, SEV_CMD_LAUNCH_START, d),
				SEV_RET_SUCCESS);
		KUNIT_ASSERT_EQ(test, d->handle, 2);
		break;
	default:
		break;
	}
	count = sevfw_guest_count(fw);
	KUNIT_EXPECT_EQ(test, tu_cmd(fw, SEV_CMD_LAUNCH_START, d), c->status);
	if (c->status != SEV_RET_SUCCESS) {
		KUNIT_EXPECT_EQ(test, sevfw_guest_count(fw), count);
		return;
	}
	KUNIT_EXPECT_EQ(test, sevfw_guest_count(fw), count + 1);
	TU_EXPECT_MEMEQ(test, fw->guests[d->handle - 1]->tik,
			c->mut == LS_SHARE_OK ? t_sess_a_tik : t_sess_b_tik,
			16);
	if (c->mut == LS_SHARE_OK)
		TU_EXPECT_MEMEQ(test, fw->guests[d->handle - 1]->vek,
				fw->guests[1]->vek, 32);
}

/* Reserved policy bits and the API check with a session built here */
static void sevfw_test_launch_start_policy(struct kunit *test)
{
	static const struct {
		u32 policy;
		u16 status;
	} cases[] = {
		{ 0x00000000, SEV_RET_SUCCESS },
		{ 0x18000000, SEV_RET_SUCCESS },	/* API 0.24 */
		{ 0x19000000, SEV_RET_POLICY_FAILURE },	/* API 0.25 */
		{ 0x00010000, SEV_RET_POLICY_FAILURE },	/* API 1.0 */
		{ 0x00000040, SEV_RET_POLICY_FAILURE },	/* bit 6 */
		{ 0x00008000, SEV_RET_POLICY_FAILURE },	/* bit 15 */
		{ 0x0000003b, SEV_RET_SUCCESS },	/* all defined, no ES */
		{ 0x00000004, SEV_RET_UNSUPPORTED },	/* ES, non-ES platform */
	};
	struct sevfw *fw = tu_fw(test, SEVFW_MEM_TRANSPARENT, 0x21);
	int i;

	tu_init(test, fw, false);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct tu_owner *o = tu_owner(test, fw, cases[i].policy);

		KUNIT_EXPECT_EQ_MSG(test, tu_launch_start(test, fw,
							  cases[i].policy, 0,
							  &o->cert, o->session,
							  NULL),
				    cases[i].status, "policy 0x%08x",
				    cases[i].policy);
		/* the same policy with a session made for another one */
		KUNIT_EXPECT_EQ(test, tu_launch_start(test, fw,
						      cases[i].policy ^ 1, 0,
						      &o->cert, o->session,
						      NULL),
				SEV_RET_BAD_MEASUREMENT);
		while (sevfw_guest_count(fw))
			tu_handle_cmd(test, fw, SEV_CMD_DECOMMISSION,
				      sevfw_guest_count(fw));
	}
}

/* --- LAUNCH_UPDATE_DATA / VMSA ------------------------------------------ */

enum lu_mut {
	LU_NONE,
	LU_ADDR_MISALIGNED,	/* +8 */
	LU_LEN_ZERO,
	LU_LEN_ODD,		/* 24 */
	LU_ADDR_LEN,		/* both bad: the address comes first */
	LU_INACTIVE,		/* not activated */
	LU_INACTIVE_ADDR,	/* not activated and misaligned */
	LU_OUTSIDE,		/* outside RAM */
	LU_CBIT,		/* C-bit set: masked */
	LU_BAD_HANDLE,
	LU_VMSA_LEN,		/* VMSA: 4080 bytes */
	LU_VMSA_NOT_ES,		/* VMSA of a non-ES guest */
	LU_VMSA,		/* VMSA of an ES guest */
	LU_VMSA_LEN_FIRST,	/* VMSA len checked before the platform */
	LU_VMSA_PLATFORM,	/* VMSA, platform INIT (no guest) */
	LU_VMSA_STATE,		/* VMSA of an ES guest in LSECRET */
	LU_VMSA_STATE_BEFORE_ES, /* VMSA of a non-ES guest in LSECRET */
	LU_VMSA_ES_BEFORE_INACTIVE, /* VMSA of a non-ES guest, not activated */
	LU_VMSA_INACTIVE,	/* VMSA of an ES guest, not activated */
	LU_VMSA_MISALIGNED,	/* VMSA at +8 */
	LU_VMSA_OUTSIDE,	/* VMSA outside RAM */
	LU_VMSA_CBIT,		/* VMSA address with the C-bit */
};

struct lu_case {
	const char *name;
	enum lu_mut mut;
	u16 status;
};

static const struct lu_case lu_cases[] = {
	{ "data", LU_NONE, SEV_RET_SUCCESS },
	{ "misaligned", LU_ADDR_MISALIGNED, SEV_RET_INVALID_ADDRESS },
	{ "len 0", LU_LEN_ZERO, SEV_RET_INVALID_LEN },
	{ "len 24", LU_LEN_ODD, SEV_RET_INVALID_LEN },
	{ "address before len", LU_ADDR_LEN, SEV_RET_INVALID_ADDRESS },
	{ "inactive", LU_INACTIVE, SEV_RET_INACTIVE },
	{ "inactive before address", LU_INACTIVE_ADDR, SEV_RET_INACTIVE },
	{ "outside ram", LU_OUTSIDE, SEV_RET_INVALID_ADDRESS },
	{ "c-bit", LU_CBIT, SEV_RET_SUCCESS },
	{ "bad handle", LU_BAD_HANDLE, SEV_RET_INVALID_GUEST },
	{ "vmsa len", LU_VMSA_LEN, SEV_RET_INVALID_LEN },
	{ "vmsa non-es", LU_VMSA_NOT_ES, SEV_RET_UNSUPPORTED },
	{ "vmsa", LU_VMSA, SEV_RET_SUCCESS },
	{ "vmsa len before state", LU_VMSA_LEN_FIRST, SEV_RET_INVALID_LEN },
	{ "vmsa platform", LU_VMSA_PLATFORM, SEV_RET_INVALID_PLATFORM_STATE },
	{ "vmsa state", LU_VMSA_STATE, SEV_RET_INVALID_GUEST_STATE },
	{ "vmsa state before es", LU_VMSA_STATE_BEFORE_ES,
	  SEV_RET_INVALID_GUEST_STATE },
	{ "vmsa es before inactive", LU_VMSA_ES_BEFORE_INACTIVE,
	  SEV_RET_UNSUPPORTED },
	{ "vmsa inactive", LU_VMSA_INACTIVE, SEV_RET_INACTIVE },
	{ "vmsa misaligned", LU_VMSA_MISALIGNED, SEV_RET_INVALID_ADDRESS },
	{ "vmsa outside ram", LU_VMSA_OUTSIDE, SEV_RET_INVALID_ADDRESS },
	{ "vmsa c-bit", LU_VMSA_CBIT, SEV_RET_SUCCESS },
};

/* The guest of a LAUNCH_UPDATE case is an ES guest */
static bool lu_es(enum lu_mut m)
{
	return m >= LU_VMSA_LEN && m != LU_VMSA_NOT_ES &&
	       m != LU_VMSA_STATE_BEFORE_ES && m != LU_VMSA_ES_BEFORE_INACTIVE;
}

/* The guest of a LAUNCH_UPDATE case is not activated */
static bool lu_inactive(enum lu_mut m)
{
	return m == LU_INACTIVE || m == LU_INACTIVE_ADDR ||
	       m == LU_VMSA_ES_BEFORE_INACTIVE || m == LU_VMSA_INACTIVE;
}

/* The guest of a LAUNCH_UPDATE case was measured (LSECRET) */
static bool lu_measured(enum lu_mut m)
{
	return m == LU_VMSA_STATE || m == LU_VMSA_STATE_BEFORE_ES;
}

static void lu_desc(const struct lu_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(lu_cases, lu_cases, lu_desc);

static void sevfw_test_launch_update(struct kunit *test)
{
	const struct lu_case *c = test->param_value;
	struct sevfw *fw = tu_fw(test, SEVFW_MEM_TRANSPARENT, 0x22);
	struct sev_data_launch_update_data *d = tu_alloc(test, sizeof(*d));
	bool vmsa = c->mut >= LU_VMSA_LEN;
	u8 *page = tu_pages(test, PAGE_SIZE);
	u8 ld[32], want[32];
	u32 cmd, h;
	u16 ret;

	cmd = vmsa ? SEV_CMD_LAUNCH_UPDATE_VMSA : SEV_CMD_LAUNCH_UPDATE_DATA;
	memset(page, 0x5a, PAGE_SIZE);
	d->address = tu_pa(page);
	d->len = vmsa ? SEVFW_VMSA_LEN : 64;
	if (c->mut == LU_VMSA_LEN_FIRST) {
		d->len = 0;
		KUNIT_EXPECT_EQ(test, tu_cmd(fw, cmd, d), c->status);
		return;
	}
	tu_init(test, fw, true);
	if (c->mut == LU_VMSA_PLATFORM) {
		d->handle = 1;
		KUNIT_EXPECT_EQ(test, tu_cmd(fw, cmd, d), c->status);
		return;
	}
	KUNIT_ASSERT_EQ(test, tu_launch_start(test, fw,
					      lu_es(c->mut) ?
					      SEVFW_POLICY_ES : 0, 0,
					      NULL, NULL, &h), SEV_RET_SUCCESS);
	if (!lu_inactive(c->mut))
		KUNIT_ASSERT_EQ(test, tu_activate(test, fw, h,
						  lu_es(c->mut) ?
						  TU_ES_ASID : TU_ASID),
				SEV_RET_SUCCESS);
	if (lu_measured(c->mut))
		KUNIT_ASSERT_EQ(test, tu_measure(test, fw, h, NULL),
				SEV_RET_SUCCESS);
	d->handle = h;
	switch (c->mut) {
	case LU_ADDR_MISALIGNED:
	case LU_INACTIVE_ADDR:
	case LU_VMSA_MISALIGNED:
		d->address += 8;
		break;
	case LU_LEN_ZERO:
		d->len = 0;
		break;
	case LU_LEN_ODD:
		d->len = 24;
		break;
	case LU_ADDR_LEN:
		d->address += 8;
		d->len = 8;
		break;
	case LU_OUTSIDE:
	case LU_VMSA_OUTSIDE:
		d->address = 0xfffffffffff000ULL;
		break;
	case LU_CBIT:
	case LU_VMSA_CBIT:
		d->address |= BIT_ULL(TU_CBIT);
		break;
	case LU_BAD_HANDLE:
		d->handle = 0;
		break;
	case LU_VMSA_LEN:
		d->len = SEVFW_VMSA_LEN - 16;
		break;
	default:
		break;
	}
	ret = tu_cmd(fw, cmd, d);
	KUNIT_EXPECT_EQ(test, ret, c->status);
	/* a VMSA is recorded for SEND_UPDATE_VMSA only when it was taken */
	KUNIT_EXPECT_EQ(test, fw->vmsa_nrecs,
			vmsa && ret == SEV_RET_SUCCESS ? 1 : 0);
	KUNIT_EXPECT_FALSE(test, memchr_inv(page, 0x5a, PAGE_SIZE));
	if (c->mut == LU_BAD_HANDLE || lu_measured(c->mut))
		return;

	/* the launch digest holds exactly the accepted bytes */
	KUNIT_ASSERT_EQ(test, tu_measure(test, fw, h, NULL), SEV_RET_SUCCESS);
	memcpy(ld, fw->guests[h - 1]->ld, sizeof(ld));
	if (ret == SEV_RET_SUCCESS) {
		memset(page, 0x5a, PAGE_SIZE);
		sha256(page, d->len, want);
	} else {
		sha256(page, 0, want);
	}
	TU_EXPECT_MEMEQ(test, ld, want, 32);
}

/* Several calls and multi-page ranges: LD = SHA-256 of the concatenation */
static void sevfw_test_launch_digest_chunks(struct kunit *test)
{
	struct sevfw *fw = tu_fw(test, SEVFW_MEM_OPAQUE, 0x23);
	u8 *mem = tu_pages(test, 4 * PAGE_SIZE);
	u8 *copy = tu_alloc(test, 4 * PAGE_SIZE);
	struct sha256_state st;
	u8 want[32];
	u32 h, i;

	for (i = 0; i < 4 * PAGE_SIZE; i++)
		mem[i] = i * 13 + (i >> 9);
	memcpy(copy, mem, 4 * PAGE_SIZE);
	tu_init(test, fw, false);
	KUNIT_ASSERT_EQ(test, tu_launch_start(test, fw, 0, 0, NULL, NULL, &h),
			SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, tu_activate(test, fw, h, TU_ASID),
			SEV_RET_SUCCESS);
	/* 16 bytes, then 3 pages + 16 from an unaligned-to-page start */
	KUNIT_EXPECT_EQ(test, tu_update_data(test, fw, h, mem, 16),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, tu_update_data(test, fw, h, mem + 16,
					     3 * PAGE_SIZE + 16),
			SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, tu_measure(test, fw, h, NULL), SEV_RET_SUCCESS);
	sha256_init(&st);
	sha256_update(&st, copy, 16);
	sha256_update(&st, copy + 16, 3 * PAGE_SIZE + 16);
	sha256_final(&st, want);
	TU_EXPECT_MEMEQ(test, fw->guests[h - 1]->ld, want, 32);
	/* opaque: every imported block is ciphertext now, the rest is not */
	for (i = 0; i < 3 * PAGE_SIZE + 32; i += 16)
		KUNIT_EXPECT_TRUE(test, memcmp(mem + i, copy + i, 16));
	TU_EXPECT_MEMEQ(test, mem + 3 * PAGE_SIZE + 32,
			copy + 3 * PAGE_SIZE + 32, PAGE_SIZE - 32);
}

/*
 * A command the driver gave up on (sevfw_cancel()) does not run, touches
 * no memory and no state; once the next command is started normally the
 * firmware works again.
 */
static void sevfw_test_launch_cancel(struct kunit *test)
{
	struct sevfw *fw = tu_fw(test, SEVFW_MEM_OPAQUE, 0x24);
	u8 *mem = tu_pages(test, 2 * PAGE_SIZE);
	u8 *copy = tu_alloc(test, 2 * PAGE_SIZE);
	u8 state;
	u32 h, i;

	for (i = 0; i < 2 * PAGE_SIZE; i++)
		mem[i] = i * 7 + 1;
	memcpy(copy, mem, 2 * PAGE_SIZE);
	tu_init(test, fw, false);
	KUNIT_ASSERT_EQ(test, tu_launch_start(test, fw, 0, 0, NULL, NULL, &h),
			SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, tu_activate(test, fw, h, TU_ASID),
			SEV_RET_SUCCESS);

	sevfw_cancel(fw, true);
	KUNIT_EXPECT_EQ(test, tu_update_data(test, fw, h, mem, 2 * PAGE_SIZE),
			SEVFW_RET_CANCELLED);
	KUNIT_EXPECT_EQ(test, fw->cancelled, 1ULL);
	TU_EXPECT_MEMEQ(test, mem, copy, 2 * PAGE_SIZE);
	/* the digest did not see the range either */
	KUNIT_EXPECT_EQ(test, fw->guests[h - 1]->ld_ctx.count, 0ULL);

	sevfw_cancel(fw, false);
	KUNIT_EXPECT_EQ(test, tu_guest_status(test, fw, h, NULL, NULL, &state),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, state, (u8)SEVFW_GSTATE_LUPDATE);
	KUNIT_EXPECT_EQ(test, tu_update_data(test, fw, h, mem, 2 * PAGE_SIZE),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_TRUE(test, memcmp(mem, copy, 16));
}

/* --- SEV-ES: VMSAs in the launch digest, integrity records -------------- */

/*
 * Known answer, computed outside the kernel:
 *   python3 -c "import sys;
 *     d=bytes((3*i+0x11)&255 for i in range(64));
 *     v0=bytes((i*7+(i>>8))&255 for i in range(4096));
 *     v1=bytes(((i>>4)^0x5a)&255 for i in range(4096));
 *     sys.stdout.buffer.write(d+v0+v1)" | sha256sum
 * LD of LAUNCH_UPDATE_DATA(d), LAUNCH_UPDATE_VMSA(v0), LAUNCH_UPDATE_VMSA(v1)
 */
static const u8 t_es_ld[32] = {
	0xe4, 0xdd, 0xe1, 0x51, 0x50, 0x79, 0xfe, 0xdb,
	0x54, 0x14, 0xc9, 0x38, 0x43, 0x90, 0xff, 0x0e,
	0x86, 0x26, 0xe8, 0xdc, 0x08, 0x8a, 0xad, 0x76,
	0x06, 0xfc, 0xcd, 0x68, 0x44, 0x47, 0xb8, 0xea,
};

/* the same bytes with the VMSAs in the other order: d || v1 || v0 */
static const u8 t_es_ld_swapped[32] = {
	0x06, 0x74, 0x00, 0x42, 0x39, 0xf4, 0x02, 0x59,
	0xf2, 0x34, 0x2c, 0xbe, 0x26, 0x79, 0xc3, 0x11,
	0xc3, 0x19, 0x0d, 0xf8, 0xac, 0xf8, 0xd4, 0x8b,
	0x23, 0x60, 0x03, 0xbc, 0x53, 0xc4, 0x0a, 0xb5,
};

static void t_es_fill(u8 *d, u8 *v0, u8 *v1)
{
	u32 i;

	for (i = 0; i < 64; i++)
		d[i] = 3 * i + 0x11;
	for (i = 0; i < SEVFW_VMSA_LEN; i++) {
		v0[i] = i * 7 + (i >> 8);
		v1[i] = (i >> 4) ^ 0x5a;
	}
}

static u16 t_update_vmsa(struct kunit *test, struct sevfw *fw, u32 handle,
			 u64 pa)
{
	struct sev_data_launch_update_vmsa *d = tu_alloc(test, sizeof(*d));

	d->handle = handle;
	d->address = pa;
	d->len = SEVFW_VMSA_LEN;
	return tu_cmd(fw, SEV_CMD_LAUNCH_UPDATE_VMSA, d);
}

/* An ES guest, launched and activated on an ES platform */
static u32 t_es_guest(struct kunit *test, struct sevfw *fw, u32 asid)
{
	u32 h;

	KUNIT_ASSERT_EQ(test, tu_launch_start(test, fw, SEVFW_POLICY_ES, 0,
					      NULL, NULL, &h),
			SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, tu_activate(test, fw, h, asid), SEV_RET_SUCCESS);
	return h;
}

static const enum sevfw_mem_mode t_modes[] = {
	SEVFW_MEM_TRANSPARENT, SEVFW_MEM_OPAQUE,
};

static void t_mode_desc(const enum sevfw_mem_mode *m, char *desc)
{
	strscpy(desc, *m == SEVFW_MEM_OPAQUE ? "opaque" : "transparent",
		KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(t_modes, t_modes, t_mode_desc);

/*
 * LD = SHA-256 of the data and then each VMSA as supplied, in call order
 * (facts §8.7); then the VMSA is encrypted in place in opaque memory and
 * left as it is in transparent memory, exactly like data.
 */
static void sevfw_test_launch_vmsa_digest(struct kunit *test)
{
	const enum sevfw_mem_mode *mode = test->param_value;
	struct sevfw *fw = tu_fw(test, *mode, 0x26);
	u8 *data = tu_pages(test, PAGE_SIZE);
	u8 *v = tu_pages(test, 2 * PAGE_SIZE);
	u8 *want = tu_alloc(test, 2 * PAGE_SIZE);
	u8 *pt = tu_alloc(test, PAGE_SIZE);
	struct sevfw_guest *g;
	u8 st;
	u32 h, h2, i;

	t_es_fill(data, v, v + PAGE_SIZE);
	memcpy(want, v, 2 * PAGE_SIZE);
	tu_init(test, fw, true);
	h = t_es_guest(test, fw, TU_ES_ASID);
	g = fw->guests[h - 1];
	KUNIT_ASSERT_EQ(test, tu_update_data(test, fw, h, data, 64),
			SEV_RET_SUCCESS);
	/* the second VMSA with the C-bit set, as KVM passes it */
	KUNIT_ASSERT_EQ(test, t_update_vmsa(test, fw, h, tu_pa(v)),
			SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, t_update_vmsa(test, fw, h,
					    tu_pa(v + PAGE_SIZE) |
					    BIT_ULL(TU_CBIT)),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, fw->vmsa_nrecs, 2);
	KUNIT_ASSERT_EQ(test, tu_measure(test, fw, h, NULL), SEV_RET_SUCCESS);
	TU_EXPECT_MEMEQ(test, g->ld, t_es_ld, 32);
	tu_guest_status(test, fw, h, NULL, NULL, &st);
	KUNIT_EXPECT_EQ(test, st, SEVFW_GSTATE_LSECRET);

	for (i = 0; i < 2; i++) {
		u8 *page = v + i * PAGE_SIZE;

		if (*mode == SEVFW_MEM_TRANSPARENT) {
			TU_EXPECT_MEMEQ(test, page, want + i * PAGE_SIZE,
					PAGE_SIZE);
			continue;
		}
		/* ciphertext under the VEK, tweaked by the page's address */
		KUNIT_EXPECT_TRUE(test, memcmp(page, want + i * PAGE_SIZE, 16));
		memcpy(pt, page, PAGE_SIZE);
		sevfw_vek_decrypt(g->vek, tu_pa(page), pt, PAGE_SIZE);
		TU_EXPECT_MEMEQ(test, pt, want + i * PAGE_SIZE, PAGE_SIZE);
	}

	/* call order counts: the VMSAs the other way round */
	t_es_fill(data, v, v + PAGE_SIZE);
	h2 = t_es_guest(test, fw, TU_ES_ASID + 1);
	KUNIT_ASSERT_EQ(test, tu_update_data(test, fw, h2, data, 64),
			SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, t_update_vmsa(test, fw, h2, tu_pa(v + PAGE_SIZE)),
			SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, t_update_vmsa(test, fw, h2, tu_pa(v)),
			SEV_RET_SUCCESS);
	/* same addresses: guest 2's VMSAs replace guest 1's records */
	KUNIT_EXPECT_EQ(test, fw->vmsa_nrecs, 2);
	KUNIT_ASSERT_EQ(test, tu_measure(test, fw, h2, NULL), SEV_RET_SUCCESS);
	TU_EXPECT_MEMEQ(test, fw->guests[h2 - 1]->ld, t_es_ld_swapped, 32);
}

/*
 * The integrity records are bounded: a VMSA at a new address with every
 * slot taken gets RESOURCE_LIMIT and changes nothing; the same address
 * again reuses its slot; DECOMMISSION and SHUTDOWN free them. A cancelled
 * command records nothing.
 */
static void sevfw_test_launch_vmsa_slots(struct kunit *test)
{
	struct sevfw_params p;
	struct sevfw *fw;
	u8 *v = tu_pages(test, 4 * PAGE_SIZE);
	u8 *copy = tu_alloc(test, 4 * PAGE_SIZE);
	u64 count;
	u32 h, h2, i;

	tu_params(&p, 0x27);
	p.mem_mode = SEVFW_MEM_OPAQUE;
	p.es_vcpu_slots = 2;
	fw = tu_fw_new(test, &p);
	for (i = 0; i < 4 * PAGE_SIZE; i++)
		v[i] = i * 11 + 5;
	memcpy(copy, v, 4 * PAGE_SIZE);
	tu_init(test, fw, true);
	h = t_es_guest(test, fw, TU_ES_ASID);

	/* cancelled: not run, nothing hashed, recorded or encrypted */
	sevfw_cancel(fw, true);
	KUNIT_EXPECT_EQ(test, t_update_vmsa(test, fw, h, tu_pa(v)),
			SEVFW_RET_CANCELLED);
	sevfw_cancel(fw, false);
	KUNIT_EXPECT_EQ(test, fw->vmsa_nrecs, 0);
	KUNIT_EXPECT_EQ(test, fw->guests[h - 1]->ld_ctx.count, 0ULL);
	TU_EXPECT_MEMEQ(test, v, copy, PAGE_SIZE);

	KUNIT_EXPECT_EQ(test, t_update_vmsa(test, fw, h, tu_pa(v)),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, t_update_vmsa(test, fw, h, tu_pa(v + PAGE_SIZE)),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, fw->vmsa_nrecs, 2);
	count = fw->guests[h - 1]->ld_ctx.count;
	KUNIT_EXPECT_EQ(test, t_update_vmsa(test, fw, h,
					    tu_pa(v + 2 * PAGE_SIZE)),
			SEV_RET_RESOURCE_LIMIT);
	KUNIT_EXPECT_EQ(test, fw->guests[h - 1]->ld_ctx.count, count);
	TU_EXPECT_MEMEQ(test, v + 2 * PAGE_SIZE, copy + 2 * PAGE_SIZE,
			PAGE_SIZE);
	/* the address check comes before the slots */
	KUNIT_EXPECT_EQ(test, t_update_vmsa(test, fw, h, 0xfffffffffff000ULL),
			SEV_RET_INVALID_ADDRESS);
	/* data needs no slot */
	KUNIT_EXPECT_EQ(test, tu_update_data(test, fw, h, v + 3 * PAGE_SIZE,
					     PAGE_SIZE), SEV_RET_SUCCESS);
	/* a VMSA set up again at its address (Linux 6.1 allows it) */
	KUNIT_EXPECT_EQ(test, t_update_vmsa(test, fw, h, tu_pa(v)),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, fw->vmsa_nrecs, 2);

	/* the slots are shared by all guests */
	h2 = t_es_guest(test, fw, TU_ES_ASID + 1);
	KUNIT_EXPECT_EQ(test, t_update_vmsa(test, fw, h2,
					    tu_pa(v + 2 * PAGE_SIZE)),
			SEV_RET_RESOURCE_LIMIT);
	KUNIT_ASSERT_EQ(test, tu_handle_cmd(test, fw, SEV_CMD_DEACTIVATE, h),
			SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, tu_handle_cmd(test, fw, SEV_CMD_DECOMMISSION, h),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, fw->vmsa_nrecs, 0);
	KUNIT_EXPECT_EQ(test, t_update_vmsa(test, fw, h2,
					    tu_pa(v + 2 * PAGE_SIZE)),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, fw->vmsa_nrecs, 1);

	KUNIT_ASSERT_EQ(test, tu_cmd(fw, SEV_CMD_SHUTDOWN, NULL),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, fw->vmsa_nrecs, 0);
	KUNIT_EXPECT_NULL(test, fw->vmsa_recs);
}

/* --- LAUNCH_MEASURE ----------------------------------------------------- */

static void sevfw_test_launch_measure(struct kunit *test)
{
	struct sevfw *fw = tu_fw(test, SEVFW_MEM_TRANSPARENT, 0x24);
	struct sev_data_launch_measure *d = tu_alloc(test, sizeof(*d));
	u8 *out = tu_alloc(test, 64), *out2 = tu_alloc(test, 64);
	u8 st;
	u32 h, h2;

	tu_init(test, fw, false);
	KUNIT_ASSERT_EQ(test, tu_launch_start(test, fw, 0, 0, NULL, NULL, &h),
			SEV_RET_SUCCESS);

	/* KVM's length query: LEN 0 -> INVALID_LEN and LEN 48, nothing else */
	d->handle = h;
	d->address = tu_pa(out);
	memset(out, 0xcc, 64);
	KUNIT_EXPECT_EQ(test, tu_cmd(fw, SEV_CMD_LAUNCH_MEASURE, d),
			SEV_RET_INVALID_LEN);
	KUNIT_EXPECT_EQ(test, d->len, SEVFW_MEASURE_LEN);
	KUNIT_EXPECT_FALSE(test, memchr_inv(out, 0xcc, 64));
	d->len = SEVFW_MEASURE_LEN - 1;
	KUNIT_EXPECT_EQ(test, tu_cmd(fw, SEV_CMD_LAUNCH_MEASURE, d),
			SEV_RET_INVALID_LEN);
	KUNIT_EXPECT_EQ(test, d->len, SEVFW_MEASURE_LEN);

	/* a bad address: nothing changes and the guest can retry */
	d->address = 0xfffffffffff000ULL;
	d->len = 64;
	KUNIT_EXPECT_EQ(test, tu_cmd(fw, SEV_CMD_LAUNCH_MEASURE, d),
			SEV_RET_INVALID_ADDRESS);
	KUNIT_EXPECT_EQ(test, d->len, 64);
	tu_guest_status(test, fw, h, NULL, NULL, &st);
	KUNIT_EXPECT_EQ(test, st, SEVFW_GSTATE_LUPDATE);

	/* no ACTIVATE needed; a larger buffer gets 48 bytes and LEN 48 */
	d->address = tu_pa(out);
	KUNIT_EXPECT_EQ(test, tu_cmd(fw, SEV_CMD_LAUNCH_MEASURE, d),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, d->len, SEVFW_MEASURE_LEN);
	KUNIT_EXPECT_FALSE(test, memchr_inv(out + 48, 0xcc, 16));
	tu_guest_status(test, fw, h, NULL, NULL, &st);
	KUNIT_EXPECT_EQ(test, st, SEVFW_GSTATE_LSECRET);
	KUNIT_EXPECT_EQ(test, tu_cmd(fw, SEV_CMD_LAUNCH_MEASURE, d),
			SEV_RET_INVALID_GUEST_STATE);
	d->handle = 3;
	KUNIT_EXPECT_EQ(test, tu_cmd(fw, SEV_CMD_LAUNCH_MEASURE, d),
			SEV_RET_INVALID_GUEST);

	/* the same launch again: a fresh MNONCE, so another measurement */
	KUNIT_ASSERT_EQ(test, tu_launch_start(test, fw, 0, 0, NULL, NULL, &h2),
			SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, tu_measure(test, fw, h2, out2), SEV_RET_SUCCESS);
	KUNIT_EXPECT_TRUE(test, memcmp(out + 32, out2 + 32, 16));
	KUNIT_EXPECT_TRUE(test, memcmp(out, out2, 32));
}

/* --- LAUNCH_SECRET status codes ----------------------------------------- */

enum sec_mut {
	SEC_NONE,
	SEC_GUEST_MISALIGNED,
	SEC_HDR_LEN,		/* 0x35 */
	SEC_GUEST_LEN_ZERO,
	SEC_GUEST_LEN_ODD,
	SEC_GUEST_LEN_BIG,	/* 0x5010 */
	SEC_TRANS_LEN,		/* != guest_len */
	SEC_ADDR_BEFORE_LEN,
	SEC_LEN_BEFORE_STATE,	/* guest in LUPDATE */
	SEC_STATE,		/* LUPDATE */
	SEC_INACTIVE,
	SEC_HDR_OUTSIDE,
	SEC_TRANS_OUTSIDE,
	SEC_GUEST_OUTSIDE,
	SEC_BAD_MAC,
	SEC_COMPRESSED,		/* with a valid MAC */
	SEC_BAD_HANDLE,
};

struct sec_case {
	const char *name;
	enum sec_mut mut;
	u16 status;
};

static const struct sec_case sec_cases[] = {
	{ "secret", SEC_NONE, SEV_RET_SUCCESS },
	{ "guest misaligned", SEC_GUEST_MISALIGNED, SEV_RET_INVALID_ADDRESS },
	{ "hdr len", SEC_HDR_LEN, SEV_RET_INVALID_LEN },
	{ "guest len 0", SEC_GUEST_LEN_ZERO, SEV_RET_INVALID_LEN },
	{ "guest len 40", SEC_GUEST_LEN_ODD, SEV_RET_INVALID_LEN },
	{ "guest len 0x5010", SEC_GUEST_LEN_BIG, SEV_RET_INVALID_LEN },
	{ "trans len", SEC_TRANS_LEN, SEV_RET_INVALID_LEN },
	{ "address before len", SEC_ADDR_BEFORE_LEN, SEV_RET_INVALID_ADDRESS },
	{ "len before state", SEC_LEN_BEFORE_STATE, SEV_RET_INVALID_LEN },
	{ "state", SEC_STATE, SEV_RET_INVALID_GUEST_STATE },
	{ "inactive", SEC_INACTIVE, SEV_RET_INACTIVE },
	{ "hdr outside", SEC_HDR_OUTSIDE, SEV_RET_INVALID_ADDRESS },
	{ "trans outside", SEC_TRANS_OUTSIDE, SEV_RET_INVALID_ADDRESS },
	{ "guest outside", SEC_GUEST_OUTSIDE, SEV_RET_INVALID_ADDRESS },
	{ "mac", SEC_BAD_MAC, SEV_RET_BAD_MEASUREMENT },
	{ "compressed", SEC_COMPRESSED, SEV_RET_UNSUPPORTED },
	{ "bad handle", SEC_BAD_HANDLE, SEV_RET_INVALID_GUEST },
};

static void sec_desc(const struct sec_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(sec_cases, sec_cases, sec_desc);

static void sevfw_test_launch_secret(struct kunit *test)
{
	const struct sec_case *c = test->param_value;
	struct sevfw *fw = tu_fw(test, SEVFW_MEM_TRANSPARENT, 0x25);
	struct sevfw_data_transport *d = tu_alloc(test, sizeof(*d));
	struct sevfw_pkt_hdr *hdr = tu_alloc(test, sizeof(*hdr));
	struct tu_owner *o;
	u8 *ct = tu_alloc(test, 64), *guest = tu_alloc(test, 64);
	u8 *out = tu_alloc(test, SEVFW_MEASURE_LEN);
	u32 h;

	tu_init(test, fw, false);
	o = tu_owner(test, fw, 0);
	KUNIT_ASSERT_EQ(test, tu_launch_start(test, fw, 0, 0, &o->cert,
					      o->session, &h),
			SEV_RET_SUCCESS);
	if (c->mut != SEC_INACTIVE)
		KUNIT_ASSERT_EQ(test, tu_activate(test, fw, h, TU_ASID),
				SEV_RET_SUCCESS);
	if (c->mut != SEC_STATE && c->mut != SEC_LEN_BEFORE_STATE)
		KUNIT_ASSERT_EQ(test, tu_measure(test, fw, h, out),
				SEV_RET_SUCCESS);

	/* the owner's packet: 48 bytes 0x42 */
	memset(ct, 0x42, 48);
	get_random_bytes(hdr->iv, sizeof(hdr->iv));
	if (c->mut == SEC_COMPRESSED)
		hdr->flags = cpu_to_le32(SEVFW_PKT_COMPRESSED);
	sevfw_aes128_ctr(o->tek, hdr->iv, ct, ct, 48);
	sevfw_packet_mac(o->tik, SEVFW_CTX_SECRET, hdr, 48, 48, ct, out,
			 hdr->mac);

	d->handle = h;
	d->hdr_address = tu_pa(hdr);
	d->hdr_len = SEVFW_PKT_HDR_LEN;
	d->guest_address = tu_pa(guest);
	d->guest_len = 48;
	d->trans_address = tu_pa(ct);
	d->trans_len = 48;
	switch (c->mut) {
	case SEC_GUEST_MISALIGNED:
		d->guest_address += 4;
		break;
	case SEC_HDR_LEN:
		d->hdr_len = SEVFW_PKT_HDR_LEN + 1;
		break;
	case SEC_GUEST_LEN_ZERO:
		d->guest_len = 0;
		d->trans_len = 0;
		break;
	case SEC_GUEST_LEN_ODD:
		d->guest_len = 40;
		d->trans_len = 40;
		break;
	case SEC_GUEST_LEN_BIG:
		d->guest_len = SEVFW_XFER_MAX + 16;
		d->trans_len = SEVFW_XFER_MAX + 16;
		break;
	case SEC_TRANS_LEN:
		d->trans_len = 64;
		break;
	case SEC_ADDR_BEFORE_LEN:
		d->guest_address += 4;
		d->hdr_len = 0;
		break;
	case SEC_LEN_BEFORE_STATE:
		d->hdr_len = 0;
		break;
	case SEC_HDR_OUTSIDE:
		d->hdr_address = 0xfffffffffff000ULL;
		break;
	case SEC_TRANS_OUTSIDE:
		d->trans_address = 0xfffffffffff000ULL;
		break;
	case SEC_GUEST_OUTSIDE:
		d->guest_address = 0xfffffffffff000ULL;
		break;
	case SEC_BAD_MAC:
		hdr->mac[0] ^= 1;
		break;
	case SEC_BAD_HANDLE:
		d->handle = 9;
		break;
	default:
		break;
	}
	KUNIT_EXPECT_EQ(test, tu_cmd(fw, SEV_CMD_LAUNCH_UPDATE_SECRET, d),
			c->status);
	if (c->status == SEV_RET_SUCCESS)
		KUNIT_EXPECT_FALSE(test, memchr_inv(guest, 0x42, 48));
	else
		KUNIT_EXPECT_FALSE(test, memchr_inv(guest, 0, 64));
}

/* --- LAUNCH_FINISH and ATTESTATION -------------------------------------- */

static void sevfw_test_attestation(struct kunit *test)
{
	struct sevfw *fw = l_fw(test, SEVFW_MEM_TRANSPARENT, 24);
	struct sev_data_attestation_report *d = tu_alloc(test, sizeof(*d));
	struct sev_cert *pdh = tu_alloc(test, sizeof(*pdh));
	struct sev_cert *chain = tu_alloc(test, SEV_CERT_CHAIN_SIZE);
	u8 *rep = tu_alloc(test, 0x100), *page = tu_pages(test, PAGE_SIZE);
	struct sevfw_ecdsa_sig sig;
	struct sevfw_ecc_pub pek;
	u8 digest[32];
	u32 h, i;

	KUNIT_ASSERT_EQ(test, tu_launch_start(test, fw, SESS_B_POLICY, 0,
					      l_dup(test, t_godh_cert,
						    SEV_CERT_SIZE),
					      l_dup(test, t_sess_b,
						    SEVFW_SESSION_LEN), &h),
			SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, tu_activate(test, fw, h, TU_ASID),
			SEV_RET_SUCCESS);
	memcpy(page, t_b_data, sizeof(t_b_data));
	KUNIT_ASSERT_EQ(test, tu_update_data(test, fw, h, page,
					     sizeof(t_b_data)),
			SEV_RET_SUCCESS);

	d->handle = h;
	d->address = tu_pa(rep);
	d->len = SEVFW_REPORT_LEN;
	for (i = 0; i < 16; i++)
		d->mnonce[i] = 0xf0 + i;
	/* LUPDATE: no report yet */
	KUNIT_EXPECT_EQ(test, tu_cmd(fw, SEV_CMD_ATTESTATION_REPORT, d),
			SEV_RET_INVALID_GUEST_STATE);
	KUNIT_ASSERT_EQ(test, tu_measure(test, fw, h, NULL), SEV_RET_SUCCESS);

	/* length query */
	d->len = 0;
	memset(rep, 0xcc, 0x100);
	KUNIT_EXPECT_EQ(test, tu_cmd(fw, SEV_CMD_ATTESTATION_REPORT, d),
			SEV_RET_INVALID_LEN);
	KUNIT_EXPECT_EQ(test, d->len, SEVFW_REPORT_LEN);
	KUNIT_EXPECT_FALSE(test, memchr_inv(rep, 0xcc, 0x100));
	d->address = 0xfffffffffff000ULL;
	KUNIT_EXPECT_EQ(test, tu_cmd(fw, SEV_CMD_ATTESTATION_REPORT, d),
			SEV_RET_INVALID_ADDRESS);
	d->address = tu_pa(rep);
	d->handle = 0;
	KUNIT_EXPECT_EQ(test, tu_cmd(fw, SEV_CMD_ATTESTATION_REPORT, d),
			SEV_RET_INVALID_GUEST);
	d->handle = h;
	d->len = 0x100;
	KUNIT_EXPECT_EQ(test, tu_cmd(fw, SEV_CMD_ATTESTATION_REPORT, d),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, d->len, SEVFW_REPORT_LEN);
	KUNIT_EXPECT_FALSE(test, memchr_inv(rep + SEVFW_REPORT_LEN, 0xcc,
					    0x100 - SEVFW_REPORT_LEN));

	/* the layout of facts §8.10 */
	TU_EXPECT_MEMEQ(test, rep, d->mnonce, 16);
	TU_EXPECT_MEMEQ(test, rep + 0x10, t_b_ld, 32);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(rep + 0x30), SESS_B_POLICY);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(rep + 0x34), SEV_USAGE_PEK);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(rep + 0x38),
			SEV_ALGO_ECDSA_SHA256);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(rep + 0x3c), 0);

	/* signed by the PEK of the exported chain, over bytes 0..0x33 */
	tu_export(test, fw, pdh, chain);
	KUNIT_ASSERT_EQ(test, sevfw_cert_pubkey(&chain[0], &pek),
			SEV_RET_SUCCESS);
	for (i = 0; i < 48; i++) {
		sig.r[i] = rep[0x40 + 47 - i];
		sig.s[i] = rep[0x40 + 72 + 47 - i];
	}
	KUNIT_EXPECT_FALSE(test, memchr_inv(rep + 0x40 + 48, 0, 24));
	sha256(rep, 0x34, digest);
	KUNIT_EXPECT_EQ(test, sevfw_ecdsa_verify_digest(&pek, digest, 32, &sig),
			0);
	rep[0x30] ^= 1;
	sha256(rep, 0x34, digest);
	KUNIT_EXPECT_NE(test, sevfw_ecdsa_verify_digest(&pek, digest, 32, &sig),
			0);

	/* RUNNING keeps the launch digest */
	KUNIT_ASSERT_EQ(test, tu_handle_cmd(test, fw, SEV_CMD_LAUNCH_FINISH, h),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, tu_cmd(fw, SEV_CMD_ATTESTATION_REPORT, d),
			SEV_RET_SUCCESS);
	TU_EXPECT_MEMEQ(test, rep + 0x10, t_b_ld, 32);
}

static struct kunit_case sevfw_launch_cases[] = {
	KUNIT_CASE(sevfw_test_facts_vectors),
	KUNIT_CASE(sevfw_test_measure_facts_vector),
	KUNIT_CASE(sevfw_test_session_b_transparent),
	KUNIT_CASE(sevfw_test_session_b_opaque),
	KUNIT_CASE_PARAM(sevfw_test_launch_start_session,
			 lss_cases_gen_params),
	KUNIT_CASE(sevfw_test_launch_start_policy),
	KUNIT_CASE_PARAM(sevfw_test_launch_update, lu_cases_gen_params),
	KUNIT_CASE(sevfw_test_launch_digest_chunks),
	KUNIT_CASE(sevfw_test_launch_cancel),
	KUNIT_CASE_PARAM(sevfw_test_launch_vmsa_digest, t_modes_gen_params),
	KUNIT_CASE(sevfw_test_launch_vmsa_slots),
	KUNIT_CASE(sevfw_test_launch_measure),
	KUNIT_CASE_PARAM(sevfw_test_launch_secret, sec_cases_gen_params),
	KUNIT_CASE(sevfw_test_attestation),
	{}
};

static struct kunit_suite sevfw_launch_suite = {
	.name = "sevfw-launch",
	.test_cases = sevfw_launch_cases,
};

kunit_test_suite(sevfw_launch_suite);

MODULE_LICENSE("GPL");
