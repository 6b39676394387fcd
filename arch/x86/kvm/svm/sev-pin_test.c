// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the SEV pinning arithmetic: page spans, the memlock
 * limit, the choice of cache flush, and physically contiguous runs.
 */

#include <kunit/test.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/sizes.h>

#include "sev-pin.h"

static void pin_span(struct kunit *test)
{
	unsigned long n = 0;

	KUNIT_EXPECT_EQ(test, sev_pin_span(0x1000, 0x1000, &n), 0);
	KUNIT_EXPECT_EQ(test, n, 1UL);
	KUNIT_EXPECT_EQ(test, sev_pin_span(0x1fff, 2, &n), 0);
	KUNIT_EXPECT_EQ(test, n, 2UL);
	KUNIT_EXPECT_EQ(test, sev_pin_span(0x1800, 0x2000, &n), 0);
	KUNIT_EXPECT_EQ(test, n, 3UL);
	KUNIT_EXPECT_EQ(test, sev_pin_span(0x1000, 1, &n), 0);
	KUNIT_EXPECT_EQ(test, n, 1UL);

	/* the last page of the address space, exactly */
	KUNIT_EXPECT_EQ(test, sev_pin_span(ULONG_MAX - 0xfff, 0x1000, &n), 0);
	KUNIT_EXPECT_EQ(test, n, 1UL);

	KUNIT_EXPECT_EQ(test, sev_pin_span(0x1000, 0, &n), -EINVAL);
	KUNIT_EXPECT_EQ(test, sev_pin_span(ULONG_MAX - 0xfff, 0x1001, &n),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, sev_pin_span(ULONG_MAX - 10, 100, &n), -EINVAL);

	KUNIT_EXPECT_EQ(test, sev_pin_span(0, (unsigned long)INT_MAX *
					      PAGE_SIZE, &n), 0);
	KUNIT_EXPECT_EQ(test, n, (unsigned long)INT_MAX);
	KUNIT_EXPECT_EQ(test, sev_pin_span(0, ((unsigned long)INT_MAX + 1) *
					      PAGE_SIZE, &n), -EINVAL);
}

static void pin_limit(struct kunit *test)
{
	unsigned long limit = 16 * PAGE_SIZE;

	KUNIT_EXPECT_TRUE(test, sev_pin_allowed(10, 6, limit, false));
	KUNIT_EXPECT_FALSE(test, sev_pin_allowed(10, 7, limit, false));
	KUNIT_EXPECT_TRUE(test, sev_pin_allowed(10, 7, limit, true));
	/* a limit below one page allows nothing */
	KUNIT_EXPECT_FALSE(test, sev_pin_allowed(0, 1, PAGE_SIZE - 1, false));
	KUNIT_EXPECT_FALSE(test, sev_pin_allowed(ULONG_MAX, 1, ULONG_MAX,
						 false));
	KUNIT_EXPECT_TRUE(test, sev_pin_allowed(1UL << 40, 1, ULONG_MAX,
						false));
}

static void pin_flush_all(struct kunit *test)
{
	KUNIT_EXPECT_FALSE(test, sev_flush_all_cheaper(0));
	KUNIT_EXPECT_FALSE(test, sev_flush_all_cheaper(1));
	/* up to 4 MiB: line by line */
	KUNIT_EXPECT_FALSE(test,
			   sev_flush_all_cheaper(SZ_4M / PAGE_SIZE - 1));
	KUNIT_EXPECT_TRUE(test, sev_flush_all_cheaper(SZ_4M / PAGE_SIZE));
	KUNIT_EXPECT_TRUE(test, sev_flush_all_cheaper(SZ_1G / PAGE_SIZE));
	KUNIT_EXPECT_TRUE(test, sev_flush_all_cheaper(INT_MAX));
	KUNIT_EXPECT_TRUE(test, sev_flush_all_cheaper(ULONG_MAX));
}

struct pin_ctx {
	struct page *block;	/* four physically contiguous pages */
};

static int pin_test_init(struct kunit *test)
{
	struct pin_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, c);
	c->block = alloc_pages(GFP_KERNEL, 2);
	KUNIT_ASSERT_NOT_NULL(test, c->block);
	test->priv = c;
	return 0;
}

static void pin_test_exit(struct kunit *test)
{
	struct pin_ctx *c = test->priv;

	__free_pages(c->block, 2);
}

static void pin_contig(struct kunit *test)
{
	struct pin_ctx *c = test->priv;
	struct page *p = c->block;
	struct page *order[] = { p + 2, p + 3, p, p + 1 };
	struct page *reverse[] = { p + 3, p + 2, p + 1, p };
	struct page *inorder[] = { p, p + 1, p + 2, p + 3 };

	KUNIT_EXPECT_EQ(test, sev_contig_pages(order, 0, 4), 2UL);
	KUNIT_EXPECT_EQ(test, sev_contig_pages(order, 1, 4), 1UL);
	KUNIT_EXPECT_EQ(test, sev_contig_pages(order, 2, 4), 2UL);
	KUNIT_EXPECT_EQ(test, sev_contig_pages(reverse, 0, 4), 1UL);
	KUNIT_EXPECT_EQ(test, sev_contig_pages(inorder, 0, 4), 4UL);
	KUNIT_EXPECT_EQ(test, sev_contig_pages(inorder, 0, 3), 3UL);
}

static void pin_runs(struct kunit *test)
{
	struct pin_ctx *c = test->priv;
	struct page *p = c->block;
	struct page *order[] = { p + 2, p + 3, p, p + 1 };
	struct page *reverse[] = { p + 3, p + 2, p + 1, p };
	struct page *inorder[] = { p, p + 1, p + 2, p + 3 };
	struct sev_run_iter it;
	struct sev_run r;
	unsigned long total;
	int n;

	/* 0x10 into the first page, stopping 0x20 short of the last */
	total = 4 * PAGE_SIZE - 0x30;
	sev_run_start(&it, order, 4, 0x7000010, total);
	KUNIT_ASSERT_TRUE(test, sev_run_next(&it, &r));
	KUNIT_EXPECT_EQ(test, r.idx, 0UL);
	KUNIT_EXPECT_EQ(test, r.offset, 0x10UL);
	KUNIT_EXPECT_EQ(test, r.len, 2 * PAGE_SIZE - 0x10);
	KUNIT_EXPECT_EQ(test, r.npages, 2UL);
	KUNIT_ASSERT_TRUE(test, sev_run_next(&it, &r));
	KUNIT_EXPECT_EQ(test, r.idx, 2UL);
	KUNIT_EXPECT_EQ(test, r.offset, 0UL);
	KUNIT_EXPECT_EQ(test, r.len, 2 * PAGE_SIZE - 0x20);
	KUNIT_EXPECT_EQ(test, r.npages, 2UL);
	KUNIT_EXPECT_FALSE(test, sev_run_next(&it, &r));

	/* contiguous: one firmware command */
	sev_run_start(&it, inorder, 4, 0x7000000, 4 * PAGE_SIZE);
	KUNIT_ASSERT_TRUE(test, sev_run_next(&it, &r));
	KUNIT_EXPECT_EQ(test, r.len, 4 * PAGE_SIZE);
	KUNIT_EXPECT_FALSE(test, sev_run_next(&it, &r));

	/* fragmented: one per page, the first one short */
	sev_run_start(&it, reverse, 4, 0x7000800, 3 * PAGE_SIZE + 0x800);
	for (n = 0, total = 0; sev_run_next(&it, &r); n++) {
		KUNIT_EXPECT_EQ(test, r.idx, (unsigned long)n);
		KUNIT_EXPECT_EQ(test, r.len, n ? PAGE_SIZE : 0x800);
		total += r.len;
	}
	KUNIT_EXPECT_EQ(test, n, 4);
	KUNIT_EXPECT_EQ(test, total, 3 * PAGE_SIZE + 0x800);

	/* inside one page */
	sev_run_start(&it, inorder, 1, 0x7000100, 0x20);
	KUNIT_ASSERT_TRUE(test, sev_run_next(&it, &r));
	KUNIT_EXPECT_EQ(test, r.offset, 0x100UL);
	KUNIT_EXPECT_EQ(test, r.len, 0x20UL);
	KUNIT_EXPECT_EQ(test, r.npages, 1UL);
	KUNIT_EXPECT_FALSE(test, sev_run_next(&it, &r));
}

static struct kunit_case sev_pin_cases[] = {
	KUNIT_CASE(pin_span),
	KUNIT_CASE(pin_limit),
	KUNIT_CASE(pin_flush_all),
	KUNIT_CASE(pin_contig),
	KUNIT_CASE(pin_runs),
	{}
};

static struct kunit_suite sev_pin_suite = {
	.name = "sev-kvm-pin",
	.init = pin_test_init,
	.exit = pin_test_exit,
	.test_cases = sev_pin_cases,
};

kunit_test_suite(sev_pin_suite);

MODULE_LICENSE("GPL");
