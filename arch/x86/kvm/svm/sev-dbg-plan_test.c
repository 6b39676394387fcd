// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of DBG request planning: known answers for the bounce and
 * read-modify-write cases, and the firmware's constraints checked over a
 * grid of offsets and lengths.
 */

#include <kunit/test.h>
#include <linux/mm.h>

#include "sev-dbg-plan.h"

struct dbg_case {
	unsigned long src, dst, remaining;
	bool decrypt;
	unsigned int len, win_skip, win_len;
	bool bounce, rmw;
};

static const struct dbg_case dbg_cases[] = {
	/* aligned: straight to the firmware, a page at a time */
	{ 0x1000, 0x2000, 0x2000, true, 0x1000, 0, 0x1000, false, false },
	{ 0x1000, 0x2ff0, 0x100, true, 0x10, 0, 0x10, false, false },
	{ 0x1000, 0x2000, 0x30, false, 0x30, 0, 0x30, false, false },
	/* decrypt, unaligned guest source: widen to whole blocks */
	{ 0x1001, 0x2000, 0x20, true, 0x20, 1, 0x30, true, false },
	/* 8 bytes before the end of the guest page */
	{ 0x1ff8, 0x5000, 64, true, 8, 8, 0x10, true, false },
	/* decrypt into an unaligned user buffer */
	{ 0x1000, 0x2001, 0x10, true, 0x10, 0, 0x10, true, false },
	/* decrypt an odd length */
	{ 0x1010, 0x2000, 5, true, 5, 0, 0x10, true, false },
	/* encrypt 4 bytes at guest offset 8: keep the 12 around them */
	{ 0x1000, 0x2008, 4, false, 4, 8, 0x10, true, true },
	/* encrypt from an unaligned user buffer to aligned guest blocks */
	{ 0x1003, 0x2000, 0x20, false, 0x20, 0, 0x20, true, false },
	/* encrypt a partial last block */
	{ 0x1000, 0x2000, 0x18, false, 0x18, 0, 0x20, true, true },
	/* encrypt 15 bytes before the guest page's end */
	{ 0x1000, 0x2ff1, 100, false, 15, 1, 0x10, true, true },
	/* encrypt at offset 23 */
	{ 0x1000, 0x2017, 0x20, false, 0x20, 7, 0x30, true, true },
};

static void dbg_known_answers(struct kunit *test)
{
	struct sev_dbg_step s;
	int i;

	for (i = 0; i < ARRAY_SIZE(dbg_cases); i++) {
		const struct dbg_case *c = &dbg_cases[i];

		sev_dbg_plan(c->src, c->dst, c->remaining, c->decrypt, &s);
		KUNIT_EXPECT_EQ_MSG(test, s.len, c->len, "case %d", i);
		KUNIT_EXPECT_EQ_MSG(test, s.bounce, c->bounce, "case %d", i);
		KUNIT_EXPECT_EQ_MSG(test, s.rmw, c->rmw, "case %d", i);
		KUNIT_EXPECT_EQ_MSG(test, s.win_skip, c->win_skip, "case %d", i);
		KUNIT_EXPECT_EQ_MSG(test, s.win_len, c->win_len, "case %d", i);
	}
}

/* Walk a whole request and check what the firmware would be given */
static void dbg_walk(struct kunit *test, unsigned long src, unsigned long dst,
		     unsigned long total, bool decrypt)
{
	unsigned long remaining = total, guest, start;
	struct sev_dbg_step s;
	int steps = 0;

	while (remaining) {
		sev_dbg_plan(src, dst, remaining, decrypt, &s);
		guest = decrypt ? src : dst;

		KUNIT_ASSERT_GT(test, s.len, 0U);
		KUNIT_ASSERT_LE(test, (unsigned long)s.len, remaining);
		/* never crosses a page of either side */
		KUNIT_EXPECT_LE(test, offset_in_page(src) + s.len, PAGE_SIZE);
		KUNIT_EXPECT_LE(test, offset_in_page(dst) + s.len, PAGE_SIZE);

		if (s.bounce) {
			/* whole blocks of the guest page around the bytes */
			start = offset_in_page(guest) - s.win_skip;
			KUNIT_EXPECT_EQ(test, start % SEV_DBG_ALIGN, 0UL);
			KUNIT_EXPECT_EQ(test, s.win_len % SEV_DBG_ALIGN, 0U);
			KUNIT_EXPECT_GE(test, s.win_len, s.win_skip + s.len);
			KUNIT_EXPECT_LT(test, s.win_len - s.len,
					2U * SEV_DBG_ALIGN);
			KUNIT_EXPECT_LE(test, start + s.win_len, PAGE_SIZE);
			KUNIT_EXPECT_EQ(test, s.rmw,
					!decrypt && s.win_len != s.len);
		} else {
			KUNIT_EXPECT_EQ(test, (src | dst | s.len) %
					SEV_DBG_ALIGN, 0UL);
			KUNIT_EXPECT_FALSE(test, s.rmw);
		}

		src += s.len;
		dst += s.len;
		remaining -= s.len;
		steps++;
	}
	/* at most one step per page boundary of either side, plus one */
	KUNIT_EXPECT_LE(test, steps, (int)(2 * (total / PAGE_SIZE) + 3));
}

static void dbg_grid(struct kunit *test)
{
	static const unsigned long offs[] = {
		0, 1, 8, 15, 16, 23, 0x7f0, 0xff0, 0xff1, 0xfff,
	};
	static const unsigned long lens[] = {
		1, 8, 15, 16, 17, 31, 32, 0x1000, 0x1001, 0x2003,
	};
	int i, j, k;

	for (i = 0; i < ARRAY_SIZE(offs); i++)
		for (j = 0; j < ARRAY_SIZE(offs); j++)
			for (k = 0; k < ARRAY_SIZE(lens); k++) {
				dbg_walk(test, 0x10000 + offs[i],
					 0x40000 + offs[j], lens[k], true);
				dbg_walk(test, 0x10000 + offs[i],
					 0x40000 + offs[j], lens[k], false);
			}
}

static struct kunit_case sev_dbg_plan_cases[] = {
	KUNIT_CASE(dbg_known_answers),
	KUNIT_CASE(dbg_grid),
	{}
};

static struct kunit_suite sev_dbg_plan_suite = {
	.name = "sev-kvm-dbg-plan",
	.test_cases = sev_dbg_plan_cases,
};

kunit_test_suite(sev_dbg_plan_suite);

MODULE_LICENSE("GPL");
