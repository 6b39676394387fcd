// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the GHCB protocol rules (sev-ghcb-check.c) against what
 * Linux 6.1 does: required valid bits per exit code and the error reason
 * the guest gets, scratch area bounds, string I/O sizes, the MSR protocol
 * encodings and the AP jump table sub-operations. The expected values are
 * written out from the GHCB layout and 6.1's behaviour, not computed with
 * the code under test.
 */

#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/limits.h>

#include "sev-ghcb-check.h"

/* Bit indices from the byte offsets of struct ghcb_save_area */
static void ghcb_bits(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, SEV_GHCB_BIT_CPL, 0x0cb / 8);
	KUNIT_EXPECT_EQ(test, SEV_GHCB_BIT_RAX, 0x1f8 / 8);
	KUNIT_EXPECT_EQ(test, SEV_GHCB_BIT_RCX, 0x308 / 8);
	KUNIT_EXPECT_EQ(test, SEV_GHCB_BIT_RDX, 0x310 / 8);
	KUNIT_EXPECT_EQ(test, SEV_GHCB_BIT_RBX, 0x318 / 8);
	KUNIT_EXPECT_EQ(test, SEV_GHCB_BIT_RSI, 0x330 / 8);
	KUNIT_EXPECT_EQ(test, SEV_GHCB_BIT_SW_EXIT_CODE, 0x390 / 8);
	KUNIT_EXPECT_EQ(test, SEV_GHCB_BIT_SW_EXIT_INFO_1, 0x398 / 8);
	KUNIT_EXPECT_EQ(test, SEV_GHCB_BIT_SW_EXIT_INFO_2, 0x3a0 / 8);
	KUNIT_EXPECT_EQ(test, SEV_GHCB_BIT_SW_SCRATCH, 0x3a8 / 8);
	KUNIT_EXPECT_EQ(test, SEV_GHCB_BIT_XCR0, 0x3e8 / 8);
}

static void ghcb_bit_valid(struct kunit *test)
{
	/* one byte more, all ones: a bit past the bitmap must not be read */
	u8 v[SEV_GHCB_BITMAP_BYTES + 1] = {};

	/* RAX is bit 63: the top bit of the first quadword */
	v[7] = 0x80;
	KUNIT_EXPECT_TRUE(test, sev_ghcb_bit_valid(v, 63));
	KUNIT_EXPECT_FALSE(test, sev_ghcb_bit_valid(v, 62));
	KUNIT_EXPECT_FALSE(test, sev_ghcb_bit_valid(v, 64));
	/* sw_exit_code is bit 114: byte 14, bit 2 */
	v[14] = 0x04;
	KUNIT_EXPECT_TRUE(test, sev_ghcb_bit_valid(v, 114));
	KUNIT_EXPECT_FALSE(test, sev_ghcb_bit_valid(v, 115));
	memset(v, 0xff, sizeof(v));
	KUNIT_EXPECT_TRUE(test, sev_ghcb_bit_valid(v, 127));
	KUNIT_EXPECT_FALSE(test, sev_ghcb_bit_valid(v, 128));
}

static void bm_set(u8 *v, unsigned int bit)
{
	v[bit / 8] |= 1 << (bit % 8);
}

static void bm_clear(u8 *v, unsigned int bit)
{
	v[bit / 8] &= ~(1 << (bit % 8));
}

#define R_RAX	SEV_GHCB_BIT_RAX
#define R_RCX	SEV_GHCB_BIT_RCX
#define R_RDX	SEV_GHCB_BIT_RDX
#define R_CPL	SEV_GHCB_BIT_CPL
#define R_SCR	SEV_GHCB_BIT_SW_SCRATCH
#define R_XCR0	SEV_GHCB_BIT_XCR0

/* facts §6.4: every exit 6.1 accepts and what it needs beyond sw_exit_* */
struct exit_case {
	const char *name;
	u64 code;
	u64 info_1;
	u64 rax;
	unsigned int nreq;
	u8 req[3];
};

static const struct exit_case exit_cases[] = {
	{ "read_dr7", 0x027, 0, 0, 0, {} },
	{ "write_dr7", 0x037, 0, 0x400, 1, { R_RAX } },
	{ "rdtsc", 0x06e, 0, 0, 0, {} },
	{ "rdpmc", 0x06f, 0, 0, 1, { R_RCX } },
	{ "cpuid_1", 0x072, 0, 1, 2, { R_RAX, R_RCX } },
	{ "cpuid_c", 0x072, 0, 0xc, 2, { R_RAX, R_RCX } },
	{ "cpuid_d", 0x072, 0, 0xd, 3, { R_RAX, R_RCX, R_XCR0 } },
	{ "cpuid_e", 0x072, 0, 0xe, 2, { R_RAX, R_RCX } },
	{ "invd", 0x076, 0, 0, 0, {} },
	/* port 0x3f8, size 1, OUT */
	{ "ioio_out", 0x07b, 0x03f80010, 0, 1, { R_RAX } },
	{ "ioio_out4", 0x07b, 0x0cfc0040, 0, 1, { R_RAX } },
	{ "ioio_in", 0x07b, 0x03f80011, 0, 0, {} },
	{ "ioio_outs", 0x07b, 0x03f80014, 0, 1, { R_SCR } },
	{ "ioio_rep_outs", 0x07b, 0x03f8001c, 0, 1, { R_SCR } },
	{ "ioio_ins", 0x07b, 0x03f80015, 0, 1, { R_SCR } },
	{ "msr_read", 0x07c, 0, 0, 1, { R_RCX } },
	{ "msr_write", 0x07c, 1, 0, 3, { R_RCX, R_RAX, R_RDX } },
	{ "msr_write_big_info", 0x07c, 0x100000000ULL, 0, 3,
	  { R_RCX, R_RAX, R_RDX } },
	{ "vmmcall", 0x081, 0, 0, 2, { R_RAX, R_CPL } },
	{ "rdtscp", 0x087, 0, 0, 0, {} },
	{ "wbinvd", 0x089, 0, 0, 0, {} },
	{ "monitor", 0x08a, 0, 0, 3, { R_RAX, R_RCX, R_RDX } },
	{ "mwait", 0x08b, 0, 0, 2, { R_RAX, R_RCX } },
	{ "mmio_read", 0x80000001, 0xfed00000, 0, 1, { R_SCR } },
	{ "mmio_write", 0x80000002, 0xfed00000, 0, 1, { R_SCR } },
	{ "nmi_complete", 0x80000003, 0, 0, 0, {} },
	{ "ap_hlt_loop", 0x80000004, 0, 0, 0, {} },
	{ "ap_jump_table", 0x80000005, 0, 0, 0, {} },
	{ "unsupported_event", 0x8000ffff, 0, 0, 0, {} },
};

static const unsigned int sw_bits[] = {
	SEV_GHCB_BIT_SW_EXIT_CODE, SEV_GHCB_BIT_SW_EXIT_INFO_1,
	SEV_GHCB_BIT_SW_EXIT_INFO_2,
};

static void exit_bitmap(const struct exit_case *c, u8 *v)
{
	unsigned int i;

	memset(v, 0, SEV_GHCB_BITMAP_BYTES);
	for (i = 0; i < ARRAY_SIZE(sw_bits); i++)
		bm_set(v, sw_bits[i]);
	for (i = 0; i < c->nreq; i++)
		bm_set(v, c->req[i]);
}

static unsigned int run_exit(const struct exit_case *c, const u8 *v, u64 rax,
			     u32 usage)
{
	struct sev_ghcb_exit e = {
		.valid = v,
		.usage = usage,
		.exit_code = c->code,
		.info_1 = c->info_1,
		.rax = rax,
	};

	return sev_ghcb_validate(&e);
}

static void ghcb_accepted_exits(struct kunit *test)
{
	u8 v[SEV_GHCB_BITMAP_BYTES];
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(exit_cases); i++) {
		const struct exit_case *c = &exit_cases[i];

		/* exactly the required bits: accepted */
		exit_bitmap(c, v);
		KUNIT_EXPECT_EQ_MSG(test, run_exit(c, v, c->rax, 0), 0,
				    "%s: all required valid", c->name);

		/* every bit valid: accepted */
		memset(v, 0xff, sizeof(v));
		KUNIT_EXPECT_EQ_MSG(test, run_exit(c, v, c->rax, 0), 0,
				    "%s: all valid", c->name);

		/* each required register missing: MISSING_INPUT */
		for (j = 0; j < c->nreq; j++) {
			u64 rax = c->req[j] == R_RAX ? 0 : c->rax;

			exit_bitmap(c, v);
			bm_clear(v, c->req[j]);
			KUNIT_EXPECT_EQ_MSG(test, run_exit(c, v, rax, 0),
					    SEV_GHCB_ERR_MISSING_INPUT,
					    "%s: bit %u missing", c->name,
					    c->req[j]);
		}

		/* each sw_exit field missing: MISSING_INPUT */
		for (j = 0; j < ARRAY_SIZE(sw_bits); j++) {
			memset(v, 0xff, sizeof(v));
			bm_clear(v, sw_bits[j]);
			KUNIT_EXPECT_EQ_MSG(test, run_exit(c, v, c->rax, 0),
					    SEV_GHCB_ERR_MISSING_INPUT,
					    "%s: sw bit %u missing", c->name,
					    sw_bits[j]);
		}

		/* usage != 0 wins over everything else */
		memset(v, 0xff, sizeof(v));
		KUNIT_EXPECT_EQ_MSG(test, run_exit(c, v, c->rax, 1),
				    SEV_GHCB_ERR_INVALID_USAGE, "%s: usage 1",
				    c->name);
		KUNIT_EXPECT_EQ_MSG(test, run_exit(c, v, c->rax, 0x10000),
				    SEV_GHCB_ERR_INVALID_USAGE,
				    "%s: usage 0x10000", c->name);
		memset(v, 0, sizeof(v));
		KUNIT_EXPECT_EQ_MSG(test, run_exit(c, v, c->rax, 0xffffffff),
				    SEV_GHCB_ERR_INVALID_USAGE,
				    "%s: usage ~0, nothing valid", c->name);
		/* nothing valid at all */
		KUNIT_EXPECT_EQ_MSG(test, run_exit(c, v, c->rax, 0),
				    SEV_GHCB_ERR_MISSING_INPUT,
				    "%s: nothing valid", c->name);
	}
}

/* Bits the checks must not look at: RBX, RSI and the rest are never needed */
static void ghcb_unneeded_bits(struct kunit *test)
{
	static const struct exit_case cpuid = {
		"cpuid_1", 0x072, 0, 1, 2, { R_RAX, R_RCX },
	};
	u8 v[SEV_GHCB_BITMAP_BYTES];

	exit_bitmap(&cpuid, v);
	KUNIT_EXPECT_EQ(test, run_exit(&cpuid, v, 1, 0), 0);
	/* leaf 0xd needs XCR0, leaf 1 does not */
	KUNIT_EXPECT_EQ(test, run_exit(&cpuid, v, 0xd, 0),
			SEV_GHCB_ERR_MISSING_INPUT);
	/* a 64-bit RAX that only ends in 0xd is not leaf 0xd */
	KUNIT_EXPECT_EQ(test, run_exit(&cpuid, v, 0x10000000dULL, 0), 0);
}

static const u64 unknown_codes[] = {
	0x000, 0x026, 0x028, 0x06d, 0x070, 0x07a, 0x07d, 0x080, 0x08d,
	0x400, 0x403, 0x80000000, 0x80000006, 0x80000010, 0x80000011,
	0x80000012, 0x80000013, 0x8000fffd, 0x8000fffe,
	0x100000072ULL, 0xffffffff00000072ULL, 0x180000001ULL, ~0ULL,
};

static void ghcb_unknown_exits(struct kunit *test)
{
	u8 v[SEV_GHCB_BITMAP_BYTES];
	struct exit_case c = {};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(unknown_codes); i++) {
		c.code = unknown_codes[i];
		memset(v, 0xff, sizeof(v));
		KUNIT_EXPECT_EQ_MSG(test, run_exit(&c, v, 0, 0),
				    SEV_GHCB_ERR_INVALID_EVENT, "code %#llx",
				    c.code);
		/* the sw_exit fields are checked before the code */
		bm_clear(v, SEV_GHCB_BIT_SW_EXIT_INFO_2);
		KUNIT_EXPECT_EQ_MSG(test, run_exit(&c, v, 0, 0),
				    SEV_GHCB_ERR_MISSING_INPUT, "code %#llx",
				    c.code);
		/* and usage before both */
		KUNIT_EXPECT_EQ_MSG(test, run_exit(&c, v, 0, 2),
				    SEV_GHCB_ERR_INVALID_USAGE, "code %#llx",
				    c.code);
	}
}

/* facts §6.5: scratch area bounds */
struct scratch_case {
	u64 scratch;
	u64 len;
	unsigned int err;
	bool in_ghcb;
};

#define G 0x7654000ULL	/* the GHCB's GPA */

static const struct scratch_case scratch_cases[] = {
	/* zero address */
	{ 0, 8, SEV_GHCB_ERR_INVALID_SCRATCH, false },
	{ 0, 0, SEV_GHCB_ERR_INVALID_SCRATCH, false },
	/* in the GHCB: [G + 0x800, G + 0xff0) only */
	{ G + 0x800, 8, 0, true },
	{ G + 0x800, 0x7f0, 0, true },		/* ends exactly at 0xff0 */
	{ G + 0x800, 0x7f1, SEV_GHCB_ERR_INVALID_SCRATCH, false },
	{ G + 0x7ff, 8, SEV_GHCB_ERR_INVALID_SCRATCH, false },
	{ G + 0x7ff, 1, SEV_GHCB_ERR_INVALID_SCRATCH, false },
	{ G + 0xfe8, 8, 0, true },
	{ G + 0xfe9, 8, SEV_GHCB_ERR_INVALID_SCRATCH, false },
	{ G + 0xfef, 1, 0, true },
	{ G + 0xff0, 1, SEV_GHCB_ERR_INVALID_SCRATCH, false },
	{ G + 0xff0, 0, 0, true },		/* empty, at the end */
	{ G + 0xff8, 8, SEV_GHCB_ERR_INVALID_SCRATCH, false },
	{ G, 8, SEV_GHCB_ERR_INVALID_SCRATCH, false },
	{ G + 0x3f0, 16, SEV_GHCB_ERR_INVALID_SCRATCH, false },
	{ G + 0x800, 0x10000, SEV_GHCB_ERR_INVALID_SCRATCH, false },
	{ G + 0x800, ~0ULL - G - 0x800, SEV_GHCB_ERR_INVALID_SCRATCH, false },
	/* elsewhere: at most 16 pages */
	{ 0x200000, 65536, 0, false },
	{ 0x200000, 65537, SEV_GHCB_ERR_INVALID_SCRATCH, false },
	{ 0x200000, 0x100000000ULL, SEV_GHCB_ERR_INVALID_SCRATCH, false },
	{ 0x200000, 0, 0, false },
	{ 0x200001, 1, 0, false },
	{ G + 0x1000, 8, 0, false },		/* the page after the GHCB */
	{ G - 8, 16, 0, false },		/* starts before: guest memory */
	{ G - 0x10000, 0x10000, 0, false },
	/* wrap */
	{ 0xfffffffffffff000ULL, 0x1000, SEV_GHCB_ERR_INVALID_SCRATCH, false },
	{ 0xfffffffffffff000ULL, 0xfff, 0, false },
	{ ~0ULL, 1, SEV_GHCB_ERR_INVALID_SCRATCH, false },
	{ ~0ULL, 0, 0, false },
	{ 0x1000, ~0ULL, SEV_GHCB_ERR_INVALID_SCRATCH, false },
	{ 0x1000, ~0ULL - 0x1000, SEV_GHCB_ERR_INVALID_SCRATCH, false },
};

static void ghcb_scratch(struct kunit *test)
{
	unsigned int i, err;
	bool in_ghcb;

	for (i = 0; i < ARRAY_SIZE(scratch_cases); i++) {
		const struct scratch_case *c = &scratch_cases[i];

		in_ghcb = !c->in_ghcb;
		err = sev_ghcb_scratch_check(G, c->scratch, c->len, &in_ghcb);
		KUNIT_EXPECT_EQ_MSG(test, err, c->err, "%#llx + %#llx",
				    c->scratch, c->len);
		if (!c->err)
			KUNIT_EXPECT_EQ_MSG(test, in_ghcb, c->in_ghcb,
					    "%#llx + %#llx", c->scratch,
					    c->len);
	}

	/* a GHCB at GPA 0 is never used, but the rule still holds */
	KUNIT_EXPECT_EQ(test, sev_ghcb_scratch_check(0, 0x800, 8, &in_ghcb),
			0U);
	KUNIT_EXPECT_TRUE(test, in_ghcb);
}

/* facts §6.5: string I/O count and size */
struct string_case {
	u64 count;
	int size;
	int ret;
	int bytes;
};

static const struct string_case string_cases[] = {
	{ 0, 1, 0, 0 },
	{ 0, 4, 0, 0 },
	{ 1, 1, 0, 1 },
	{ 3, 4, 0, 12 },
	{ 16384, 4, 0, 65536 },
	{ INT_MAX, 1, 0, INT_MAX },
	{ (u64)INT_MAX + 1, 1, -EINVAL, 0 },
	{ 0x3fffffff, 2, 0, 0x7ffffffe },
	{ 0x40000000, 2, -EINVAL, 0 },
	{ 0x1fffffff, 4, 0, 0x7ffffffc },
	{ 0x20000000, 4, -EINVAL, 0 },
	{ 0x100000000ULL, 1, -EINVAL, 0 },	/* would truncate to 0 */
	{ 0x100000001ULL, 4, -EINVAL, 0 },	/* would truncate to 1 */
	{ 0x80000000ULL, 1, -EINVAL, 0 },
	{ ~0ULL, 1, -EINVAL, 0 },
	{ 0x12492492, 7, 0, 0x7fffffff - 1 },	/* odd size from bits 6:4 */
	{ 0x12492493, 7, -EINVAL, 0 },
};

static void ghcb_string_io(struct kunit *test)
{
	unsigned int i;
	int ret, bytes;

	for (i = 0; i < ARRAY_SIZE(string_cases); i++) {
		const struct string_case *c = &string_cases[i];

		bytes = -1;
		ret = sev_ghcb_string_bytes(c->count, c->size, &bytes);
		KUNIT_EXPECT_EQ_MSG(test, ret, c->ret, "%#llx x %d", c->count,
				    c->size);
		if (!c->ret)
			KUNIT_EXPECT_EQ_MSG(test, bytes, c->bytes,
					    "%#llx x %d", c->count, c->size);
	}
}

static void ghcb_ioio_size(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, sev_ghcb_ioio_size(0x03f80010), 1U);
	KUNIT_EXPECT_EQ(test, sev_ghcb_ioio_size(0x03f80021), 2U);
	KUNIT_EXPECT_EQ(test, sev_ghcb_ioio_size(0x0cfc0045), 4U);
	KUNIT_EXPECT_EQ(test, sev_ghcb_ioio_size(0x70), 7U);
	KUNIT_EXPECT_EQ(test, sev_ghcb_ioio_size(0x03f8000d), 0U);
	KUNIT_EXPECT_EQ(test, sev_ghcb_ioio_size(0xffffffffffffff8fULL), 0U);
	KUNIT_EXPECT_EQ(test, sev_ghcb_ioio_size(0), 0U);
}

static void ghcb_ap_jump_table(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, sev_ghcb_ap_jt_op(0), SEV_GHCB_AP_JT_SET);
	KUNIT_EXPECT_EQ(test, sev_ghcb_ap_jt_op(1), SEV_GHCB_AP_JT_GET);
	KUNIT_EXPECT_EQ(test, sev_ghcb_ap_jt_op(2), SEV_GHCB_AP_JT_BAD);
	KUNIT_EXPECT_EQ(test, sev_ghcb_ap_jt_op(0x100000000ULL),
			SEV_GHCB_AP_JT_BAD);
	KUNIT_EXPECT_EQ(test, sev_ghcb_ap_jt_op(0x100000001ULL),
			SEV_GHCB_AP_JT_BAD);
	KUNIT_EXPECT_EQ(test, sev_ghcb_ap_jt_op(~0ULL), SEV_GHCB_AP_JT_BAD);
	KUNIT_EXPECT_EQ(test, SEV_GHCB_AP_JT_SET, 0);
	KUNIT_EXPECT_EQ(test, SEV_GHCB_AP_JT_GET, 1);
}

/* facts §6.1: the MSR protocol */
static void ghcb_msr_sev_info(struct kunit *test)
{
	/* max 1, min 1 (KVM), C-bit 47 and 51 */
	KUNIT_EXPECT_EQ(test, sev_ghcb_msr_sev_info(1, 1, 47),
			0x000100012f000001ULL);
	KUNIT_EXPECT_EQ(test, sev_ghcb_msr_sev_info(1, 1, 51),
			0x0001000133000001ULL);
	KUNIT_EXPECT_EQ(test, sev_ghcb_msr_sev_info(2, 1, 0),
			0x0002000100000001ULL);
	/* fields are masked to their widths */
	KUNIT_EXPECT_EQ(test, sev_ghcb_msr_sev_info(0x10001, 0x10002, 0x12f),
			0x000100022f000001ULL);
	KUNIT_EXPECT_EQ(test, sev_ghcb_msr_sev_info(0xffff, 0xffff, 0xff),
			0xffffffffff000001ULL);
}

struct msr_case {
	u64 msr;
	enum sev_ghcb_msr_op op;
};

static const struct msr_case msr_cases[] = {
	{ 0x002, SEV_GHCB_MSR_OP_SEV_INFO },
	{ 0xffffffffff000002ULL, SEV_GHCB_MSR_OP_SEV_INFO },
	{ 0x004, SEV_GHCB_MSR_OP_CPUID },
	{ 0x8000001f40000004ULL, SEV_GHCB_MSR_OP_CPUID },
	{ 0x100, SEV_GHCB_MSR_OP_TERM },
	{ 0x31100, SEV_GHCB_MSR_OP_TERM },
	{ 0x001, SEV_GHCB_MSR_OP_OTHER },
	{ 0x003, SEV_GHCB_MSR_OP_OTHER },
	{ 0x005, SEV_GHCB_MSR_OP_OTHER },
	{ 0x006, SEV_GHCB_MSR_OP_OTHER },	/* AP reset hold */
	{ 0x012, SEV_GHCB_MSR_OP_OTHER },	/* GHCB GPA registration */
	{ 0x014, SEV_GHCB_MSR_OP_OTHER },	/* page state change */
	{ 0x080, SEV_GHCB_MSR_OP_OTHER },	/* hypervisor features */
	{ 0x102, SEV_GHCB_MSR_OP_OTHER },
	{ 0x104, SEV_GHCB_MSR_OP_OTHER },
	{ 0xfff, SEV_GHCB_MSR_OP_OTHER },
	{ 0x1002, SEV_GHCB_MSR_OP_SEV_INFO },	/* bits 11:0 only */
};

static void ghcb_msr_decode(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(msr_cases); i++)
		KUNIT_EXPECT_EQ_MSG(test, sev_ghcb_msr_decode(msr_cases[i].msr),
				    msr_cases[i].op, "msr %#llx",
				    msr_cases[i].msr);
}

static void ghcb_msr_cpuid(struct kunit *test)
{
	/* fn 0x8000001f, EBX: 0x004 | 1 << 30 | fn << 32 */
	u64 req = 0x8000001f40000004ULL;

	KUNIT_EXPECT_EQ(test, sev_ghcb_msr_cpuid_fn(req), 0x8000001fU);
	KUNIT_EXPECT_EQ(test, sev_ghcb_msr_cpuid_reg(req), 1U);
	KUNIT_EXPECT_EQ(test, sev_ghcb_msr_cpuid_resp(req, 0x2f),
			0x0000002f40000005ULL);

	KUNIT_EXPECT_EQ(test, sev_ghcb_msr_cpuid_reg(0x0000000100000004ULL),
			0U);
	KUNIT_EXPECT_EQ(test, sev_ghcb_msr_cpuid_reg(0x0000000180000004ULL),
			2U);
	KUNIT_EXPECT_EQ(test, sev_ghcb_msr_cpuid_fn(0x0000000180000004ULL),
			1U);

	/* EDX of leaf 7, with junk in bits 29:12 */
	req = 0x00000007c1234004ULL;
	KUNIT_EXPECT_EQ(test, sev_ghcb_msr_cpuid_fn(req), 7U);
	KUNIT_EXPECT_EQ(test, sev_ghcb_msr_cpuid_reg(req), 3U);
	/* bits 31:12 stay as the guest wrote them, 63:32 and 11:0 replaced */
	KUNIT_EXPECT_EQ(test, sev_ghcb_msr_cpuid_resp(req, 0xdeadbeef),
			0xdeadbeefc1234005ULL);
	KUNIT_EXPECT_EQ(test, sev_ghcb_msr_cpuid_resp(0xffffffffffffffffULL,
						      0),
			0x00000000fffff005ULL);
}

static void ghcb_msr_term(struct kunit *test)
{
	unsigned int set = ~0U, code = ~0U;

	/* set 1, code 3 (Linux: not VMPL0) */
	sev_ghcb_msr_term_reason(0x31100, &set, &code);
	KUNIT_EXPECT_EQ(test, set, 1U);
	KUNIT_EXPECT_EQ(test, code, 3U);
	sev_ghcb_msr_term_reason(0x100, &set, &code);
	KUNIT_EXPECT_EQ(test, set, 0U);
	KUNIT_EXPECT_EQ(test, code, 0U);
	sev_ghcb_msr_term_reason(0xfffffffffffff100ULL, &set, &code);
	KUNIT_EXPECT_EQ(test, set, 0xfU);
	KUNIT_EXPECT_EQ(test, code, 0xffU);
	sev_ghcb_msr_term_reason(0x00a5f100ULL, &set, &code);
	KUNIT_EXPECT_EQ(test, set, 0xfU);
	KUNIT_EXPECT_EQ(test, code, 0xa5U);
}

/* A seeded xorshift: the same inputs on every run */
static u64 fuzz_next(u64 *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* A value near one of the edges a hostile guest would probe */
static u64 fuzz_near(u64 *x, u64 edge)
{
	switch (fuzz_next(x) % 4) {
	case 0:
		return fuzz_next(x);
	case 1:
		return edge + (fuzz_next(x) % 64);
	case 2:
		return edge - (fuzz_next(x) % 64);
	default:
		return edge;
	}
}

/*
 * Random scratch areas against an independent model of 6.1's rule: an area
 * that starts in the GHCB page must lie within its shared buffer; one that
 * starts elsewhere may be 16 pages long; zero and wrapping areas are
 * refused. Whatever is accepted must be inside those bounds.
 */
static void ghcb_scratch_fuzz(struct kunit *test)
{
	const u64 page = 4096, win = G + SEV_GHCB_SHARED_BUF_OFF;
	const u64 win_end = G + SEV_GHCB_SHARED_BUF_END;
	unsigned int i, err, want, bad = 0;
	u64 x = 0x5eedULL, scratch, len;
	bool in_ghcb;

	for (i = 0; i < 200000; i++) {
		switch (fuzz_next(&x) % 3) {
		case 0:
			scratch = fuzz_near(&x, win);
			break;
		case 1:
			scratch = fuzz_near(&x, win_end);
			break;
		default:
			scratch = fuzz_near(&x, G + page);
			break;
		}
		len = fuzz_near(&x, fuzz_next(&x) % 2 ? SEV_GHCB_SCRATCH_MAX :
							win_end - scratch);

		if (!scratch || scratch + len < scratch)
			want = SEV_GHCB_ERR_INVALID_SCRATCH;
		else if ((scratch & ~(page - 1)) == G)
			want = scratch >= win && scratch + len <= win_end ?
			       0 : SEV_GHCB_ERR_INVALID_SCRATCH;
		else
			want = len <= SEV_GHCB_SCRATCH_MAX ?
			       0 : SEV_GHCB_ERR_INVALID_SCRATCH;

		err = sev_ghcb_scratch_check(G, scratch, len, &in_ghcb);
		if (err != want || (!err && in_ghcb != ((scratch & ~(page - 1)) == G))) {
			if (bad++ < 5)
				KUNIT_FAIL(test, "%#llx + %#llx: %u, want %u",
					   scratch, len, err, want);
		}
	}
	KUNIT_EXPECT_EQ(test, bad, 0U);
}

/*
 * Random exits: whatever the validation accepts has usage 0, the three
 * sw_exit fields valid and a code from the accepted set; everything else
 * gets one of the reasons 6.1 gives.
 */
static void ghcb_validate_fuzz(struct kunit *test)
{
	static const u64 codes[] = {
		0x027, 0x037, 0x06e, 0x06f, 0x072, 0x076, 0x07b, 0x07c, 0x081,
		0x087, 0x089, 0x08a, 0x08b, 0x80000001, 0x80000002, 0x80000003,
		0x80000004, 0x80000005, 0x8000ffff,
	};
	u8 v[SEV_GHCB_BITMAP_BYTES];
	struct sev_ghcb_exit e = { .valid = v };
	unsigned int i, j, r, bad = 0;
	u64 x = 0xc0ffeeULL;
	bool known;

	for (i = 0; i < 200000; i++) {
		for (j = 0; j < sizeof(v); j++)
			v[j] = fuzz_next(&x) % 4 ? 0xff : fuzz_next(&x);
		e.usage = fuzz_next(&x) % 8 ? 0 : fuzz_next(&x);
		e.exit_code = fuzz_next(&x) % 4 ?
			      codes[fuzz_next(&x) % ARRAY_SIZE(codes)] :
			      fuzz_next(&x) >> (fuzz_next(&x) % 64);
		e.info_1 = fuzz_next(&x) >> (fuzz_next(&x) % 64);
		e.rax = fuzz_next(&x) >> (fuzz_next(&x) % 64);

		r = sev_ghcb_validate(&e);
		known = false;
		for (j = 0; j < ARRAY_SIZE(codes); j++)
			known |= e.exit_code == codes[j];
		if (r == 0 &&
		    (e.usage || !known ||
		     !sev_ghcb_bit_valid(v, SEV_GHCB_BIT_SW_EXIT_CODE) ||
		     !sev_ghcb_bit_valid(v, SEV_GHCB_BIT_SW_EXIT_INFO_1) ||
		     !sev_ghcb_bit_valid(v, SEV_GHCB_BIT_SW_EXIT_INFO_2)))
			bad++;
		if (r && r != SEV_GHCB_ERR_INVALID_USAGE &&
		    r != SEV_GHCB_ERR_MISSING_INPUT &&
		    r != SEV_GHCB_ERR_INVALID_EVENT)
			bad++;
		if (e.usage && r != SEV_GHCB_ERR_INVALID_USAGE)
			bad++;
	}
	KUNIT_EXPECT_EQ(test, bad, 0U);
}

static struct kunit_case sev_ghcb_check_cases[] = {
	KUNIT_CASE(ghcb_bits),
	KUNIT_CASE(ghcb_bit_valid),
	KUNIT_CASE(ghcb_accepted_exits),
	KUNIT_CASE(ghcb_unneeded_bits),
	KUNIT_CASE(ghcb_unknown_exits),
	KUNIT_CASE(ghcb_scratch),
	KUNIT_CASE(ghcb_string_io),
	KUNIT_CASE(ghcb_ioio_size),
	KUNIT_CASE(ghcb_ap_jump_table),
	KUNIT_CASE(ghcb_msr_sev_info),
	KUNIT_CASE(ghcb_msr_decode),
	KUNIT_CASE(ghcb_msr_cpuid),
	KUNIT_CASE(ghcb_msr_term),
	KUNIT_CASE(ghcb_scratch_fuzz),
	KUNIT_CASE(ghcb_validate_fuzz),
	{}
};

static struct kunit_suite sev_ghcb_check_suite = {
	.name = "sev_ghcb_check",
	.test_cases = sev_ghcb_check_cases,
};

kunit_test_suite(sev_ghcb_check_suite);

MODULE_LICENSE("GPL");
