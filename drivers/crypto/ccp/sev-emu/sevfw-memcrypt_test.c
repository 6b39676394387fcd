// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of guest memory in the software SEV firmware: the opaque
 * mode's XTS cipher against IEEE 1619's published vectors, what the host sees of
 * a launched page in both modes, DBG_DECRYPT/DBG_ENCRYPT (status codes in
 * the firmware's order, NODBG), COPY, key sharing, and the crypto API
 * path of the cipher and the launch digest against references.
 */

#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/psp-sev.h>
#include <linux/random.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <crypto/aes.h>
#include <crypto/sha2.h>

#include "sevfw-internal.h"
#include "sevfw-guest.h"
#include "sevfw-test-util.h"

/*
 * IEEE Std 1619-2007 annex B, XTS-AES-128 vectors 1 and 4: data unit
 * sequence number 0, so a unit at physical address 0. Vector 1: both keys
 * zero, 32 zero bytes. Vector 4: the keys below, 512 bytes 00 01 .. ff
 * twice.
 */
static const u8 m_xts1_ct[32] = {
	0x91, 0x7c, 0xf6, 0x9e, 0xbd, 0x68, 0xb2, 0xec,
	0x9b, 0x9f, 0xe9, 0xa3, 0xea, 0xdd, 0xa6, 0x92,
	0xcd, 0x43, 0xd2, 0xf5, 0x95, 0x98, 0xed, 0x85,
	0x8c, 0x02, 0xc2, 0x65, 0x2f, 0xbf, 0x92, 0x2e,
};

static const u8 m_xts4_key[32] = {
	0x27, 0x18, 0x28, 0x18, 0x28, 0x45, 0x90, 0x45,
	0x23, 0x53, 0x60, 0x28, 0x74, 0x71, 0x35, 0x26,
	0x31, 0x41, 0x59, 0x26, 0x53, 0x58, 0x97, 0x93,
	0x23, 0x84, 0x62, 0x64, 0x33, 0x83, 0x27, 0x95,
};

static const u8 m_xts4_ct[512] = {
	0x27, 0xa7, 0x47, 0x9b, 0xef, 0xa1, 0xd4, 0x76,
	0x48, 0x9f, 0x30, 0x8c, 0xd4, 0xcf, 0xa6, 0xe2,
	0xa9, 0x6e, 0x4b, 0xbe, 0x32, 0x08, 0xff, 0x25,
	0x28, 0x7d, 0xd3, 0x81, 0x96, 0x16, 0xe8, 0x9c,
	0xc7, 0x8c, 0xf7, 0xf5, 0xe5, 0x43, 0x44, 0x5f,
	0x83, 0x33, 0xd8, 0xfa, 0x7f, 0x56, 0x00, 0x00,
	0x05, 0x27, 0x9f, 0xa5, 0xd8, 0xb5, 0xe4, 0xad,
	0x40, 0xe7, 0x36, 0xdd, 0xb4, 0xd3, 0x54, 0x12,
	0x32, 0x80, 0x63, 0xfd, 0x2a, 0xab, 0x53, 0xe5,
	0xea, 0x1e, 0x0a, 0x9f, 0x33, 0x25, 0x00, 0xa5,
	0xdf, 0x94, 0x87, 0xd0, 0x7a, 0x5c, 0x92, 0xcc,
	0x51, 0x2c, 0x88, 0x66, 0xc7, 0xe8, 0x60, 0xce,
	0x93, 0xfd, 0xf1, 0x66, 0xa2, 0x49, 0x12, 0xb4,
	0x22, 0x97, 0x61, 0x46, 0xae, 0x20, 0xce, 0x84,
	0x6b, 0xb7, 0xdc, 0x9b, 0xa9, 0x4a, 0x76, 0x7a,
	0xae, 0xf2, 0x0c, 0x0d, 0x61, 0xad, 0x02, 0x65,
	0x5e, 0xa9, 0x2d, 0xc4, 0xc4, 0xe4, 0x1a, 0x89,
	0x52, 0xc6, 0x51, 0xd3, 0x31, 0x74, 0xbe, 0x51,
	0xa1, 0x0c, 0x42, 0x11, 0x10, 0xe6, 0xd8, 0x15,
	0x88, 0xed, 0xe8, 0x21, 0x03, 0xa2, 0x52, 0xd8,
	0xa7, 0x50, 0xe8, 0x76, 0x8d, 0xef, 0xff, 0xed,
	0x91, 0x22, 0x81, 0x0a, 0xae, 0xb9, 0x9f, 0x91,
	0x72, 0xaf, 0x82, 0xb6, 0x04, 0xdc, 0x4b, 0x8e,
	0x51, 0xbc, 0xb0, 0x82, 0x35, 0xa6, 0xf4, 0x34,
	0x13, 0x32, 0xe4, 0xca, 0x60, 0x48, 0x2a, 0x4b,
	0xa1, 0xa0, 0x3b, 0x3e, 0x65, 0x00, 0x8f, 0xc5,
	0xda, 0x76, 0xb7, 0x0b, 0xf1, 0x69, 0x0d, 0xb4,
	0xea, 0xe2, 0x9c, 0x5f, 0x1b, 0xad, 0xd0, 0x3c,
	0x5c, 0xcf, 0x2a, 0x55, 0xd7, 0x05, 0xdd, 0xcd,
	0x86, 0xd4, 0x49, 0x51, 0x1c, 0xeb, 0x7e, 0xc3,
	0x0b, 0xf1, 0x2b, 0x1f, 0xa3, 0x5b, 0x91, 0x3f,
	0x9f, 0x74, 0x7a, 0x8a, 0xfd, 0x1b, 0x13, 0x0e,
	0x94, 0xbf, 0xf9, 0x4e, 0xff, 0xd0, 0x1a, 0x91,
	0x73, 0x5c, 0xa1, 0x72, 0x6a, 0xcd, 0x0b, 0x19,
	0x7c, 0x4e, 0x5b, 0x03, 0x39, 0x36, 0x97, 0xe1,
	0x26, 0x82, 0x6f, 0xb6, 0xbb, 0xde, 0x8e, 0xcc,
	0x1e, 0x08, 0x29, 0x85, 0x16, 0xe2, 0xc9, 0xed,
	0x03, 0xff, 0x3c, 0x1b, 0x78, 0x60, 0xf6, 0xde,
	0x76, 0xd4, 0xce, 0xcd, 0x94, 0xc8, 0x11, 0x98,
	0x55, 0xef, 0x52, 0x97, 0xca, 0x67, 0xe9, 0xf3,
	0xe7, 0xff, 0x72, 0xb1, 0xe9, 0x97, 0x85, 0xca,
	0x0a, 0x7e, 0x77, 0x20, 0xc5, 0xb3, 0x6d, 0xc6,
	0xd7, 0x2c, 0xac, 0x95, 0x74, 0xc8, 0xcb, 0xbc,
	0x2f, 0x80, 0x1e, 0x23, 0xe5, 0x6f, 0xd3, 0x44,
	0xb0, 0x7f, 0x22, 0x15, 0x4b, 0xeb, 0xa0, 0xf0,
	0x8c, 0xe8, 0x89, 0x1e, 0x64, 0x3e, 0xd9, 0x95,
	0xc9, 0x4d, 0x9a, 0x69, 0xc9, 0xf1, 0xb5, 0xf4,
	0x99, 0x02, 0x7a, 0x78, 0x57, 0x2a, 0xee, 0xbd,
	0x74, 0xd2, 0x0c, 0xc3, 0x98, 0x81, 0xc2, 0x13,
	0xee, 0x77, 0x0b, 0x10, 0x10, 0xe4, 0xbe, 0xa7,
	0x18, 0x84, 0x69, 0x77, 0xae, 0x11, 0x9f, 0x7a,
	0x02, 0x3a, 0xb5, 0x8c, 0xca, 0x0a, 0xd7, 0x52,
	0xaf, 0xe6, 0x56, 0xbb, 0x3c, 0x17, 0x25, 0x6a,
	0x9f, 0x6e, 0x9b, 0xf1, 0x9f, 0xdd, 0x5a, 0x38,
	0xfc, 0x82, 0xbb, 0xe8, 0x72, 0xc5, 0x53, 0x9e,
	0xdb, 0x60, 0x9e, 0xf4, 0xf7, 0x9c, 0x20, 0x3e,
	0xbb, 0x14, 0x0f, 0x2e, 0x58, 0x3c, 0xb2, 0xad,
	0x15, 0xb4, 0xaa, 0x5b, 0x65, 0x50, 0x16, 0xa8,
	0x44, 0x92, 0x77, 0xdb, 0xd4, 0x77, 0xef, 0x2c,
	0x8d, 0x6c, 0x01, 0x7d, 0xb7, 0x38, 0xb1, 0x8d,
	0xeb, 0x4a, 0x42, 0x7d, 0x19, 0x23, 0xce, 0x3f,
	0xf2, 0x62, 0x73, 0x57, 0x79, 0xa4, 0x18, 0xf2,
	0x0a, 0x28, 0x2d, 0xf9, 0x20, 0x14, 0x7b, 0xea,
	0xbe, 0x42, 0x1e, 0xe5, 0x31, 0x9d, 0x05, 0x68,
};

static void m_xts4_plain(u8 *buf)
{
	int i;

	for (i = 0; i < sizeof(m_xts4_ct); i++)
		buf[i] = i;
}

/*
 * The vectors through lib/crypto (sevfw_vek_*) and, in the same case,
 * through the instance's crypto API path (sevfw_xex_*), whole and from a
 * block inside the unit; then that the address is the tweak.
 */
static void sevfw_test_xex_vector(struct kunit *test)
{
	struct sevfw *fw = tu_fw(test, SEVFW_MEM_OPAQUE, 0x55);
	u8 *buf = tu_alloc(test, sizeof(m_xts4_ct));
	u8 *plain = tu_alloc(test, sizeof(m_xts4_ct));
	u8 zero[32] = {};

	memset(buf, 0, 32);
	sevfw_vek_encrypt(zero, 0, buf, 32);
	TU_EXPECT_MEMEQ(test, buf, m_xts1_ct, 32);
	memset(buf, 0, 32);
	sevfw_xex_encrypt(fw, zero, 0, buf, 32);
	TU_EXPECT_MEMEQ(test, buf, m_xts1_ct, 32);
	sevfw_xex_decrypt(fw, zero, 0, buf, 32);
	KUNIT_EXPECT_FALSE(test, memchr_inv(buf, 0, 32));

	m_xts4_plain(plain);
	memcpy(buf, plain, sizeof(m_xts4_ct));
	sevfw_vek_encrypt(m_xts4_key, 0, buf, sizeof(m_xts4_ct));
	TU_EXPECT_MEMEQ(test, buf, m_xts4_ct, sizeof(m_xts4_ct));
	sevfw_vek_decrypt(m_xts4_key, 0, buf, sizeof(m_xts4_ct));
	TU_EXPECT_MEMEQ(test, buf, plain, sizeof(m_xts4_ct));
	sevfw_xex_encrypt(fw, m_xts4_key, 0, buf, sizeof(m_xts4_ct));
	TU_EXPECT_MEMEQ(test, buf, m_xts4_ct, sizeof(m_xts4_ct));
	sevfw_xex_decrypt(fw, m_xts4_key, 0, buf, sizeof(m_xts4_ct));
	TU_EXPECT_MEMEQ(test, buf, plain, sizeof(m_xts4_ct));
	/* a range that starts inside the unit (lib/crypto's tweak doubling) */
	sevfw_xex_encrypt(fw, m_xts4_key, 0x130, buf + 0x130, 0x40);
	TU_EXPECT_MEMEQ(test, buf + 0x130, m_xts4_ct + 0x130, 0x40);
	sevfw_vek_encrypt(m_xts4_key, 0x1f0, buf + 0x1f0, 0x10);
	TU_EXPECT_MEMEQ(test, buf + 0x1f0, m_xts4_ct + 0x1f0, 0x10);

	/* the tweak is the address: another unit, another ciphertext */
	memcpy(buf, plain, sizeof(m_xts4_ct));
	sevfw_vek_encrypt(m_xts4_key, 0x1000, buf, sizeof(m_xts4_ct));
	KUNIT_EXPECT_TRUE(test, memcmp(buf, m_xts4_ct, 16));
	/* another block in the unit, another ciphertext */
	memcpy(buf, plain, sizeof(m_xts4_ct));
	sevfw_vek_encrypt(m_xts4_key, 0x10, buf, sizeof(m_xts4_ct));
	KUNIT_EXPECT_TRUE(test, memcmp(buf, m_xts4_ct, 16));
	/* and equal plaintext blocks give unequal ciphertext blocks */
	memset(buf, 0, 32);
	sevfw_vek_encrypt(m_xts4_key, 0x1000, buf, 32);
	KUNIT_EXPECT_TRUE(test, memcmp(buf, buf + 16, 16));
}

/*
 * Opaque: after LAUNCH_UPDATE_DATA the host sees ciphertext, DBG_DECRYPT
 * gives the plaintext, and the same bytes copied by the host to another
 * physical address decrypt to garbage. Transparent: the host sees the
 * plaintext.
 */
static void m_view_modes(struct kunit *test, enum sevfw_mem_mode mode)
{
	struct sevfw *fw = tu_fw(test, mode, 0x50);
	u8 *page = tu_pages(test, PAGE_SIZE), *other = tu_pages(test, PAGE_SIZE);
	u8 *plain = tu_alloc(test, PAGE_SIZE), *out = tu_alloc(test, PAGE_SIZE);
	u32 h, i;

	for (i = 0; i < PAGE_SIZE; i++)
		plain[i] = i ^ 0xa5;
	memcpy(page, plain, PAGE_SIZE);
	tu_init(test, fw, false);
	h = tu_running_guest(test, fw, 0, TU_ASID, page, PAGE_SIZE);

	KUNIT_EXPECT_EQ(test, tu_dbg(test, fw, SEV_CMD_DBG_DECRYPT, h,
				     tu_pa(page), tu_pa(out), PAGE_SIZE),
			SEV_RET_SUCCESS);
	TU_EXPECT_MEMEQ(test, out, plain, PAGE_SIZE);

	memcpy(other, page, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, tu_dbg(test, fw, SEV_CMD_DBG_DECRYPT, h,
				     tu_pa(other), tu_pa(out), PAGE_SIZE),
			SEV_RET_SUCCESS);
	if (mode == SEVFW_MEM_TRANSPARENT) {
		TU_EXPECT_MEMEQ(test, page, plain, PAGE_SIZE);
		TU_EXPECT_MEMEQ(test, out, plain, PAGE_SIZE);
		return;
	}
	for (i = 0; i < PAGE_SIZE; i += 16) {
		KUNIT_EXPECT_TRUE(test, memcmp(page + i, plain + i, 16));
		KUNIT_EXPECT_TRUE(test, memcmp(out + i, plain + i, 16));
	}
	/* a guest with another VEK sees garbage at the original address */
	h = tu_running_guest(test, fw, 0, TU_ASID + 1, NULL, 0);
	KUNIT_EXPECT_EQ(test, tu_dbg(test, fw, SEV_CMD_DBG_DECRYPT, h,
				     tu_pa(page), tu_pa(out), PAGE_SIZE),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_TRUE(test, memcmp(out, plain, PAGE_SIZE));
}

static void sevfw_test_view_opaque(struct kunit *test)
{
	m_view_modes(test, SEVFW_MEM_OPAQUE);
}

static void sevfw_test_view_transparent(struct kunit *test)
{
	m_view_modes(test, SEVFW_MEM_TRANSPARENT);
}

/* DBG_ENCRYPT writes the guest's view; overlapping ranges like memmove */
static void sevfw_test_dbg_encrypt(struct kunit *test)
{
	struct sevfw *fw = tu_fw(test, SEVFW_MEM_OPAQUE, 0x51);
	u8 *page = tu_pages(test, PAGE_SIZE), *src = tu_alloc(test, 256);
	u8 *out = tu_alloc(test, 256);
	u32 h, i;

	tu_init(test, fw, false);
	h = tu_running_guest(test, fw, 0, TU_ASID, NULL, 0);
	for (i = 0; i < 256; i++)
		src[i] = i;
	KUNIT_EXPECT_EQ(test, tu_dbg(test, fw, SEV_CMD_DBG_ENCRYPT, h,
				     tu_pa(src), tu_pa(page) + 64, 256),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_TRUE(test, memcmp(page + 64, src, 256));
	KUNIT_EXPECT_FALSE(test, memchr_inv(page, 0, 64));
	KUNIT_EXPECT_EQ(test, tu_dbg(test, fw, SEV_CMD_DBG_DECRYPT, h,
				     tu_pa(page) + 64, tu_pa(out), 256),
			SEV_RET_SUCCESS);
	TU_EXPECT_MEMEQ(test, out, src, 256);

	/* in place: decrypt the guest page onto itself, then back */
	KUNIT_EXPECT_EQ(test, tu_dbg(test, fw, SEV_CMD_DBG_DECRYPT, h,
				     tu_pa(page) + 64, tu_pa(page) + 64, 256),
			SEV_RET_SUCCESS);
	TU_EXPECT_MEMEQ(test, page + 64, src, 256);
	/* overlapping, destination above the source */
	KUNIT_EXPECT_EQ(test, tu_dbg(test, fw, SEV_CMD_DBG_ENCRYPT, h,
				     tu_pa(page) + 64, tu_pa(page) + 96, 256),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, tu_dbg(test, fw, SEV_CMD_DBG_DECRYPT, h,
				     tu_pa(page) + 96, tu_pa(out), 256),
			SEV_RET_SUCCESS);
	TU_EXPECT_MEMEQ(test, out, src, 256);
	/* LEN 0 is a multiple of 16: nothing happens */
	KUNIT_EXPECT_EQ(test, tu_dbg(test, fw, SEV_CMD_DBG_DECRYPT, h,
				     tu_pa(page), tu_pa(out), 0),
			SEV_RET_SUCCESS);
}

enum dbg_mut {
	DBG_NONE,
	DBG_SRC_MISALIGNED,
	DBG_DST_MISALIGNED,
	DBG_LEN_ODD,
	DBG_ADDR_BEFORE_LEN,
	DBG_LEN_BEFORE_HANDLE,
	DBG_BAD_HANDLE,
	DBG_NODBG,
	DBG_NODBG_BEFORE_INACTIVE,
	DBG_INACTIVE,
	DBG_SRC_OUTSIDE,
	DBG_DST_OUTSIDE,
	DBG_CBIT,
	DBG_ENCRYPT_NODBG,
};

struct dbg_case {
	const char *name;
	enum dbg_mut mut;
	u16 status;
};

static const struct dbg_case dbg_cases[] = {
	{ "decrypt", DBG_NONE, SEV_RET_SUCCESS },
	{ "src misaligned", DBG_SRC_MISALIGNED, SEV_RET_INVALID_ADDRESS },
	{ "dst misaligned", DBG_DST_MISALIGNED, SEV_RET_INVALID_ADDRESS },
	{ "len 40", DBG_LEN_ODD, SEV_RET_INVALID_LEN },
	{ "address before len", DBG_ADDR_BEFORE_LEN, SEV_RET_INVALID_ADDRESS },
	{ "len before handle", DBG_LEN_BEFORE_HANDLE, SEV_RET_INVALID_LEN },
	{ "bad handle", DBG_BAD_HANDLE, SEV_RET_INVALID_GUEST },
	{ "nodbg", DBG_NODBG, SEV_RET_POLICY_FAILURE },
	{ "nodbg before inactive", DBG_NODBG_BEFORE_INACTIVE,
	  SEV_RET_POLICY_FAILURE },
	{ "inactive", DBG_INACTIVE, SEV_RET_INACTIVE },
	{ "src outside", DBG_SRC_OUTSIDE, SEV_RET_INVALID_ADDRESS },
	{ "dst outside", DBG_DST_OUTSIDE, SEV_RET_INVALID_ADDRESS },
	{ "c-bit", DBG_CBIT, SEV_RET_SUCCESS },
	{ "encrypt nodbg", DBG_ENCRYPT_NODBG, SEV_RET_POLICY_FAILURE },
};

static void dbg_desc(const struct dbg_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(dbg_cases, dbg_cases, dbg_desc);

static void sevfw_test_dbg_status(struct kunit *test)
{
	const struct dbg_case *c = test->param_value;
	struct sevfw *fw = tu_fw(test, SEVFW_MEM_OPAQUE, 0x52);
	u8 *page = tu_pages(test, PAGE_SIZE), *out = tu_pages(test, PAGE_SIZE);
	bool nodbg = c->mut == DBG_NODBG || c->mut == DBG_ENCRYPT_NODBG ||
		     c->mut == DBG_NODBG_BEFORE_INACTIVE;
	u32 h, len = 64, cmd = SEV_CMD_DBG_DECRYPT;
	u64 src, dst;

	memset(page, 0x3c, PAGE_SIZE);
	tu_init(test, fw, false);
	h = tu_running_guest(test, fw, nodbg ? SEVFW_POLICY_NODBG : 0,
			     TU_ASID, page, PAGE_SIZE);
	if (c->mut == DBG_INACTIVE || c->mut == DBG_NODBG_BEFORE_INACTIVE)
		KUNIT_ASSERT_EQ(test, tu_handle_cmd(test, fw,
						    SEV_CMD_DEACTIVATE, h),
				SEV_RET_SUCCESS);
	src = tu_pa(page);
	dst = tu_pa(out);
	switch (c->mut) {
	case DBG_SRC_MISALIGNED:
		src += 8;
		break;
	case DBG_DST_MISALIGNED:
		dst += 1;
		break;
	case DBG_LEN_ODD:
		len = 40;
		break;
	case DBG_ADDR_BEFORE_LEN:
		src += 8;
		len = 8;
		break;
	case DBG_LEN_BEFORE_HANDLE:
		len = 8;
		h = 0;
		break;
	case DBG_BAD_HANDLE:
		h = 3;
		break;
	case DBG_SRC_OUTSIDE:
		src = 0xfffffffffff000ULL;
		break;
	case DBG_DST_OUTSIDE:
		dst = 0xfffffffffff000ULL;
		break;
	case DBG_CBIT:
		src |= BIT_ULL(TU_CBIT);
		dst |= BIT_ULL(TU_CBIT);
		break;
	case DBG_ENCRYPT_NODBG:
		cmd = SEV_CMD_DBG_ENCRYPT;
		break;
	default:
		break;
	}
	KUNIT_EXPECT_EQ(test, tu_dbg(test, fw, cmd, h, src, dst, len),
			c->status);
	if (c->status == SEV_RET_SUCCESS)
		KUNIT_EXPECT_FALSE(test, memchr_inv(out, 0x3c, len));
	else
		KUNIT_EXPECT_FALSE(test, memchr_inv(out, 0, PAGE_SIZE));
}

/* COPY: pages move and stay readable by the guest at the new address */
static void sevfw_test_copy(struct kunit *test)
{
	struct sevfw *fw = tu_fw(test, SEVFW_MEM_OPAQUE, 0x53);
	struct sevfw_data_copy *d = tu_alloc(test, sizeof(*d));
	u8 *src = tu_pages(test, 2 * PAGE_SIZE);
	u8 *dst = tu_pages(test, 4 * PAGE_SIZE);
	u8 *out = tu_alloc(test, 2 * PAGE_SIZE);
	u8 *snap = tu_alloc(test, 4 * PAGE_SIZE);
	u32 h, i;

	for (i = 0; i < 2 * PAGE_SIZE; i++)
		src[i] = i * 3;
	tu_init(test, fw, false);
	KUNIT_ASSERT_EQ(test, tu_launch_start(test, fw, 0, 0, NULL, NULL, &h),
			SEV_RET_SUCCESS);

	d->handle = h;
	d->length = 2 * PAGE_SIZE;
	d->src_paddr = tu_pa(src);
	d->dst_paddr = tu_pa(dst);
	KUNIT_EXPECT_EQ(test, tu_cmd(fw, SEVFW_CMD_COPY, d), SEV_RET_INACTIVE);
	KUNIT_ASSERT_EQ(test, tu_activate(test, fw, h, TU_ASID),
			SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, tu_update_data(test, fw, h, src, 2 * PAGE_SIZE),
			SEV_RET_SUCCESS);

	d->length = 0;
	KUNIT_EXPECT_EQ(test, tu_cmd(fw, SEVFW_CMD_COPY, d),
			SEV_RET_INVALID_LEN);
	d->length = PAGE_SIZE + 16;
	d->src_paddr += 16;	/* length is checked first */
	KUNIT_EXPECT_EQ(test, tu_cmd(fw, SEVFW_CMD_COPY, d),
			SEV_RET_INVALID_LEN);
	d->length = 2 * PAGE_SIZE;
	KUNIT_EXPECT_EQ(test, tu_cmd(fw, SEVFW_CMD_COPY, d),
			SEV_RET_INVALID_ADDRESS);
	d->src_paddr = tu_pa(src);
	d->dst_paddr = 0xfffffffffff000ULL;
	KUNIT_EXPECT_EQ(test, tu_cmd(fw, SEVFW_CMD_COPY, d),
			SEV_RET_INVALID_ADDRESS);
	d->handle = 2;
	KUNIT_EXPECT_EQ(test, tu_cmd(fw, SEVFW_CMD_COPY, d),
			SEV_RET_INVALID_GUEST);
	d->handle = h;
	KUNIT_EXPECT_FALSE(test, memchr_inv(dst, 0, 4 * PAGE_SIZE));

	/* the same first page: success, nothing moves */
	d->dst_paddr = tu_pa(src);
	memcpy(snap, src, 2 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, tu_cmd(fw, SEVFW_CMD_COPY, d), SEV_RET_SUCCESS);
	TU_EXPECT_MEMEQ(test, src, snap, 2 * PAGE_SIZE);

	d->dst_paddr = tu_pa(dst + PAGE_SIZE) | BIT_ULL(TU_CBIT);
	KUNIT_EXPECT_EQ(test, tu_cmd(fw, SEVFW_CMD_COPY, d), SEV_RET_SUCCESS);
	KUNIT_EXPECT_TRUE(test, memcmp(dst + PAGE_SIZE, src, PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, tu_dbg(test, fw, SEV_CMD_DBG_DECRYPT, h,
				     tu_pa(dst + PAGE_SIZE), tu_pa(out),
				     2 * PAGE_SIZE), SEV_RET_SUCCESS);
	for (i = 0; i < 2 * PAGE_SIZE; i++)
		if (out[i] != (u8)(i * 3))
			break;
	KUNIT_EXPECT_EQ(test, i, 2 * PAGE_SIZE);

	/* overlapping: move the two pages one page up, in place */
	d->src_paddr = tu_pa(dst + PAGE_SIZE);
	d->dst_paddr = tu_pa(dst + 2 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, tu_cmd(fw, SEVFW_CMD_COPY, d), SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, tu_dbg(test, fw, SEV_CMD_DBG_DECRYPT, h,
				     tu_pa(dst + 2 * PAGE_SIZE), tu_pa(out),
				     2 * PAGE_SIZE), SEV_RET_SUCCESS);
	for (i = 0; i < 2 * PAGE_SIZE; i++)
		if (out[i] != (u8)(i * 3))
			break;
	KUNIT_EXPECT_EQ(test, i, 2 * PAGE_SIZE);
}

/* Guests that share a VEK read each other's pages; others do not */
static void sevfw_test_key_sharing(struct kunit *test)
{
	struct sevfw *fw = tu_fw(test, SEVFW_MEM_OPAQUE, 0x54);
	u8 *page = tu_pages(test, PAGE_SIZE), *out = tu_alloc(test, 64);
	u32 h1, h2, h3;

	memset(page, 0x99, 64);
	tu_init(test, fw, false);
	h1 = tu_running_guest(test, fw, 0, TU_ASID, page, 64);
	KUNIT_ASSERT_EQ(test, tu_launch_start(test, fw, 0, h1, NULL, NULL,
					      &h2), SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, tu_activate(test, fw, h2, TU_ASID + 1),
			SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, tu_launch_start(test, fw, 0, 0, NULL, NULL, &h3),
			SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, tu_activate(test, fw, h3, TU_ASID + 2),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, tu_dbg(test, fw, SEV_CMD_DBG_DECRYPT, h2,
				     tu_pa(page), tu_pa(out), 64),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_FALSE(test, memchr_inv(out, 0x99, 64));
	KUNIT_EXPECT_EQ(test, tu_dbg(test, fw, SEV_CMD_DBG_DECRYPT, h3,
				     tu_pa(page), tu_pa(out), 64),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_TRUE(test, memchr_inv(out, 0x99, 64));
}

/*
 * Test-only reference of the opaque cipher, written from its definition
 * (IEEE 1619, 4 KiB data units) and kept apart from sevfw-memcrypt.c:
 * block by block at address a in the unit u = a & ~0xfff, j = (a - u) / 16,
 * T = AES(K2, u as a 128-bit little-endian number) times x j times in
 * GF(2^128) (a shift left of the little-endian number, 0x87 into the low
 * byte when bit 127 falls out), C = AES(K1, P ^ T) ^ T.
 */
static void m_ref_xex(const u8 vek[32], u64 pa, u8 *buf, size_t len,
		      bool enc)
{
	struct crypto_aes_ctx k1, k2;
	u8 unit[16], t[16], blk[16];
	size_t off, j;
	int i, carry, c;

	aes_expandkey(&k1, vek, 16);
	aes_expandkey(&k2, vek + 16, 16);
	for (off = 0; off + 16 <= len; off += 16) {
		u64 a = pa + off;

		for (i = 0; i < 16; i++)
			unit[i] = i < 8 ? (u8)((a & ~0xfffULL) >> (8 * i)) : 0;
		aes_encrypt(&k2, t, unit);
		for (j = 0; j < (a & 0xfff) / 16; j++) {
			carry = t[15] >> 7;
			for (i = 15; i > 0; i--)
				t[i] = (t[i] << 1) | (t[i - 1] >> 7);
			c = carry ? 0x87 : 0;
			t[0] = (t[0] << 1) ^ c;
		}
		for (i = 0; i < 16; i++)
			blk[i] = buf[off + i] ^ t[i];
		if (enc)
			aes_encrypt(&k1, blk, blk);
		else
			aes_decrypt(&k1, blk, blk);
		for (i = 0; i < 16; i++)
			buf[off + i] = blk[i] ^ t[i];
	}
}

#define M_RANDOM_MAX	(3 * PAGE_SIZE + 64)

/* One random range through the instance's path and the reference */
static void m_xex_compare(struct kunit *test, struct sevfw *fw, u64 pa,
			  size_t len, size_t shift)
{
	u8 *plain = tu_alloc(test, M_RANDOM_MAX);
	u8 *want = tu_alloc(test, M_RANDOM_MAX);
	u8 *buf = tu_alloc(test, M_RANDOM_MAX + 64);
	u8 vek[32];

	get_random_bytes(vek, sizeof(vek));
	get_random_bytes(plain, len);
	memcpy(want, plain, len);
	m_ref_xex(vek, pa, want, len, true);
	memcpy(buf + shift, plain, len);
	sevfw_xex_encrypt(fw, vek, pa, buf + shift, len);
	if (memcmp(buf + shift, want, len))
		KUNIT_FAIL(test, "encrypt: pa 0x%llx len %zu shift %zu", pa,
			   len, shift);
	sevfw_xex_decrypt(fw, vek, pa, buf + shift, len);
	if (memcmp(buf + shift, plain, len))
		KUNIT_FAIL(test, "decrypt: pa 0x%llx len %zu shift %zu", pa,
			   len, shift);
	/* and the reference decrypts what the instance's path encrypts */
	sevfw_xex_encrypt(fw, vek, pa, buf + shift, len);
	m_ref_xex(vek, pa, buf + shift, len, false);
	TU_EXPECT_MEMEQ(test, buf + shift, plain, len);
	/* lib/crypto's path gives the same bytes */
	memcpy(buf + shift, plain, len);
	sevfw_vek_encrypt(vek, pa, buf + shift, len);
	if (memcmp(buf + shift, want, len))
		KUNIT_FAIL(test, "lib: pa 0x%llx len %zu shift %zu", pa, len,
			   shift);
	sevfw_vek_decrypt(vek, pa, buf + shift, len);
	TU_EXPECT_MEMEQ(test, buf + shift, plain, len);
}

/*
 * The crypto API path (sevfw-accel.c) gives the bytes of the per-block
 * reference over random pages, addresses and lengths, in heap and stack
 * buffers; and the launch digest through it equals lib/crypto's. Where
 * the kernel has the algorithms the crypto API path must be the one used.
 */
static void sevfw_test_xex_crypto_api(struct kunit *test)
{
	struct sevfw *fw = tu_fw(test, SEVFW_MEM_OPAQUE, 0x55);
	const char *aes = sevfw_accel_aes_driver(fw->accel);
	const char *sha = sevfw_accel_sha_driver(fw->accel);
	u8 *data = tu_alloc(test, M_RANDOM_MAX);
	u8 da[SHA256_DIGEST_SIZE], db[SHA256_DIGEST_SIZE];
	struct sha256_state a, b;
	u8 stack[64], want[64];
	int i;

	kunit_info(test, "xts: %s, launch digest: %s\n", aes, sha);
	if (IS_ENABLED(CONFIG_CRYPTO_XTS) && IS_ENABLED(CONFIG_CRYPTO_AES))
		KUNIT_EXPECT_STRNEQ(test, aes, "lib");
	if (IS_ENABLED(CONFIG_CRYPTO_SHA256))
		KUNIT_EXPECT_STRNEQ(test, sha, "lib");

	/* the published vector */
	m_xts4_plain(data);
	sevfw_xex_encrypt(fw, m_xts4_key, 0, data, sizeof(m_xts4_ct));
	TU_EXPECT_MEMEQ(test, data, m_xts4_ct, sizeof(m_xts4_ct));

	/*
	 * whole units, ranges that start and end inside units, a unit that
	 * ends at the top of the address space
	 */
	m_xex_compare(test, fw, 0x7654321000ULL, PAGE_SIZE, 0);
	m_xex_compare(test, fw, 0x100000ULL, 3 * PAGE_SIZE, 0);
	m_xex_compare(test, fw, 0x100ff0ULL, 2 * PAGE_SIZE + 48, 0);
	m_xex_compare(test, fw, 0x200000ULL, PAGE_SIZE - 16, 0);
	m_xex_compare(test, fw, 0x300800ULL, PAGE_SIZE, 0);
	m_xex_compare(test, fw, 0ULL - PAGE_SIZE, PAGE_SIZE, 16);
	m_xex_compare(test, fw, 0ULL - 32, 64, 0);
	for (i = 0; i < 24; i++) {
		u64 pa = get_random_u64() & ~15ULL;
		size_t len = 16 * (get_random_u32() % (M_RANDOM_MAX / 16 + 1));
		size_t shift = 16 * (get_random_u32() % 4);

		if (i % 2)
			pa &= GENMASK_ULL(47, 0);
		m_xex_compare(test, fw, pa, len, shift);
	}

	/* a stack buffer (never in a scatterlist) */
	get_random_bytes(stack, sizeof(stack));
	memcpy(want, stack, sizeof(want));
	m_ref_xex(m_xts4_key, 0x123000, want, sizeof(want), true);
	sevfw_xex_encrypt(fw, m_xts4_key, 0x123000, stack, sizeof(stack));
	TU_EXPECT_MEMEQ(test, stack, want, sizeof(want));

	/* the launch digest in uneven pieces, as LAUNCH_UPDATE_* feed it */
	get_random_bytes(data, M_RANDOM_MAX);
	sha256_init(&a);
	sha256_init(&b);
	for (i = 0; i < 12; i++) {
		u32 n = 16 * (get_random_u32() % (PAGE_SIZE / 16 + 1));

		sevfw_accel_sha256(fw->accel, &a, data + 16 * i, n);
		sha256_update(&b, data + 16 * i, n);
		KUNIT_EXPECT_EQ(test, a.count, b.count);
		KUNIT_EXPECT_FALSE(test, memcmp(a.state, b.state,
						sizeof(a.state)));
	}
	sha256_final(&a, da);
	sha256_final(&b, db);
	TU_EXPECT_MEMEQ(test, da, db, sizeof(da));
}

static struct kunit_case sevfw_memcrypt_cases[] = {
	KUNIT_CASE(sevfw_test_xex_vector),
	KUNIT_CASE(sevfw_test_view_opaque),
	KUNIT_CASE(sevfw_test_view_transparent),
	KUNIT_CASE(sevfw_test_dbg_encrypt),
	KUNIT_CASE_PARAM(sevfw_test_dbg_status, dbg_cases_gen_params),
	KUNIT_CASE(sevfw_test_copy),
	KUNIT_CASE(sevfw_test_key_sharing),
	KUNIT_CASE(sevfw_test_xex_crypto_api),
	{}
};

static struct kunit_suite sevfw_memcrypt_suite = {
	.name = "sevfw-memcrypt",
	.test_cases = sevfw_memcrypt_cases,
};

kunit_test_suite(sevfw_memcrypt_suite);

MODULE_LICENSE("GPL");
