// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of guest memory in the software SEV firmware: the opaque
 * mode's XEX cipher against a vector computed outside the project
 * (tools/testing/vectors/make-session-vectors.py), what the host sees of
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
#include "sevfw-session_testdata.h"

static void sevfw_test_xex_vector(struct kunit *test)
{
	u8 buf[sizeof(t_xex_plain)];

	memcpy(buf, t_xex_plain, sizeof(buf));
	sevfw_vek_encrypt(t_xex_vek, XEX_PA, buf, sizeof(buf));
	TU_EXPECT_MEMEQ(test, buf, t_xex_ct, sizeof(buf));
	sevfw_vek_decrypt(t_xex_vek, XEX_PA, buf, sizeof(buf));
	TU_EXPECT_MEMEQ(test, buf, t_xex_plain, sizeof(buf));
	/* the tweak is the address: another address, another ciphertext */
	sevfw_vek_encrypt(t_xex_vek, XEX_PA + 16, buf, sizeof(buf));
	KUNIT_EXPECT_TRUE(test, memcmp(buf, t_xex_ct, 16));
	/* and equal plaintext blocks give unequal ciphertext blocks */
	memset(buf, 0, sizeof(buf));
	sevfw_vek_encrypt(t_xex_vek, XEX_PA, buf, sizeof(buf));
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
 * and kept apart from sevfw-memcrypt.c: block by block at address a,
 * T = AES(K2, a as a 128-bit little-endian number), C = AES(K1, P ^ T) ^ T.
 */
static void m_ref_xex(const u8 vek[32], u64 pa, u8 *buf, size_t len,
		      bool enc)
{
	struct crypto_aes_ctx k1, k2;
	u8 addr[16], t[16], blk[16];
	size_t off;
	int i;

	aes_expandkey(&k1, vek, 16);
	aes_expandkey(&k2, vek + 16, 16);
	for (off = 0; off + 16 <= len; off += 16) {
		for (i = 0; i < 16; i++)
			addr[i] = i < 8 ? (u8)((pa + off) >> (8 * i)) : 0;
		aes_encrypt(&k2, t, addr);
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

	kunit_info(test, "xex: %s, launch digest: %s\n", aes, sha);
	if (IS_ENABLED(CONFIG_CRYPTO_ECB) && IS_ENABLED(CONFIG_CRYPTO_AES))
		KUNIT_EXPECT_STRNEQ(test, aes, "lib");
	if (IS_ENABLED(CONFIG_CRYPTO_SHA256))
		KUNIT_EXPECT_STRNEQ(test, sha, "lib");

	/* the vector computed outside the project */
	memcpy(data, t_xex_plain, sizeof(t_xex_plain));
	sevfw_xex_encrypt(fw, t_xex_vek, XEX_PA, data, sizeof(t_xex_plain));
	TU_EXPECT_MEMEQ(test, data, t_xex_ct, sizeof(t_xex_ct));

	/* whole pages, a page that ends at the top of the address space */
	m_xex_compare(test, fw, 0x7654321000ULL, PAGE_SIZE, 0);
	m_xex_compare(test, fw, 0x100000ULL, 3 * PAGE_SIZE, 0);
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
	m_ref_xex(t_xex_vek, XEX_PA, want, sizeof(want), true);
	sevfw_xex_encrypt(fw, t_xex_vek, XEX_PA, stack, sizeof(stack));
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
