// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the SEV ASID pool: allocation order, ranges, and lazy
 * reclaim with one flush per pass.
 */

#include <kunit/test.h>

#include "sev-asid.h"

struct flush_log {
	struct sev_asid_pool *pool;
	int calls;
	int ret;
	bool deactivate_excluded;
};

static int fake_flush(void *ctx)
{
	struct flush_log *log = ctx;

	log->calls++;
	/* DEACTIVATE must not be able to run during the flush */
	log->deactivate_excluded = !down_read_trylock(&log->pool->deactivate_lock);
	if (!log->deactivate_excluded)
		up_read(&log->pool->deactivate_lock);
	return log->ret;
}

struct asid_ctx {
	struct sev_asid_pool pool;
	struct flush_log log;
};

static int asid_test_init(struct kunit *test)
{
	struct asid_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, c);
	c->log.pool = &c->pool;
	KUNIT_ASSERT_EQ(test, sev_asid_pool_init(&c->pool, 15, fake_flush,
						 &c->log), 0);
	test->priv = c;
	return 0;
}

static void asid_test_exit(struct kunit *test)
{
	struct asid_ctx *c = test->priv;

	sev_asid_pool_destroy(&c->pool);
}

static void asid_lowest_first(struct kunit *test)
{
	struct asid_ctx *c = test->priv;

	KUNIT_EXPECT_EQ(test, sev_asid_get(&c->pool, 5, 10), 5);
	KUNIT_EXPECT_EQ(test, sev_asid_get(&c->pool, 5, 10), 6);
	KUNIT_EXPECT_EQ(test, sev_asid_get(&c->pool, 1, 10), 1);
	KUNIT_EXPECT_EQ(test, sev_asid_get(&c->pool, 5, 10), 7);
	KUNIT_EXPECT_EQ(test, c->log.calls, 0);
}

static void asid_empty_ranges(struct kunit *test)
{
	struct asid_ctx *c = test->priv;

	KUNIT_EXPECT_EQ(test, sev_asid_get(&c->pool, 0, 4), -ENOTTY);
	KUNIT_EXPECT_EQ(test, sev_asid_get(&c->pool, 8, 7), -ENOTTY);
	KUNIT_EXPECT_EQ(test, sev_asid_get(&c->pool, 1, 16), -ENOTTY);
	KUNIT_EXPECT_EQ(test, sev_asid_get(&c->pool, 15, 15), 15);
}

static void asid_exhausted_nothing_to_reclaim(struct kunit *test)
{
	struct asid_ctx *c = test->priv;

	KUNIT_EXPECT_EQ(test, sev_asid_get(&c->pool, 1, 3), 1);
	KUNIT_EXPECT_EQ(test, sev_asid_get(&c->pool, 1, 3), 2);
	KUNIT_EXPECT_EQ(test, sev_asid_get(&c->pool, 1, 3), 3);
	KUNIT_EXPECT_EQ(test, sev_asid_get(&c->pool, 1, 3), -EBUSY);
	/* nothing was freed, so no flush was attempted */
	KUNIT_EXPECT_EQ(test, c->log.calls, 0);
}

static void asid_freed_waits_for_flush(struct kunit *test)
{
	struct asid_ctx *c = test->priv;
	unsigned int used, reclaim;

	KUNIT_EXPECT_EQ(test, sev_asid_get(&c->pool, 1, 2), 1);
	KUNIT_EXPECT_EQ(test, sev_asid_get(&c->pool, 1, 2), 2);
	sev_asid_put(&c->pool, 1);

	sev_asid_count(&c->pool, &used, &reclaim);
	KUNIT_EXPECT_EQ(test, used, 2);
	KUNIT_EXPECT_EQ(test, reclaim, 1);

	/* a free ASID elsewhere is taken without flushing */
	KUNIT_EXPECT_EQ(test, sev_asid_get(&c->pool, 1, 3), 3);
	KUNIT_EXPECT_EQ(test, c->log.calls, 0);

	/* exhausted: one flush, then ASID 1 is reused */
	KUNIT_EXPECT_EQ(test, sev_asid_get(&c->pool, 1, 3), 1);
	KUNIT_EXPECT_EQ(test, c->log.calls, 1);
	KUNIT_EXPECT_TRUE(test, c->log.deactivate_excluded);
	KUNIT_EXPECT_EQ(test, c->pool.passes, 1UL);

	sev_asid_count(&c->pool, &used, &reclaim);
	KUNIT_EXPECT_EQ(test, used, 3);
	KUNIT_EXPECT_EQ(test, reclaim, 0);
}

static void asid_one_flush_per_pass(struct kunit *test)
{
	struct asid_ctx *c = test->priv;
	int i;

	for (i = 1; i <= 4; i++)
		KUNIT_EXPECT_EQ(test, sev_asid_get(&c->pool, 1, 4), i);
	sev_asid_put(&c->pool, 3);
	sev_asid_put(&c->pool, 1);
	sev_asid_put(&c->pool, 2);

	KUNIT_EXPECT_EQ(test, sev_asid_get(&c->pool, 1, 4), 1);
	KUNIT_EXPECT_EQ(test, sev_asid_get(&c->pool, 1, 4), 2);
	KUNIT_EXPECT_EQ(test, sev_asid_get(&c->pool, 1, 4), 3);
	KUNIT_EXPECT_EQ(test, c->log.calls, 1);
	KUNIT_EXPECT_EQ(test, sev_asid_get(&c->pool, 1, 4), -EBUSY);
	KUNIT_EXPECT_EQ(test, c->log.calls, 1);
}

static void asid_flush_failure_keeps_reclaim(struct kunit *test)
{
	struct asid_ctx *c = test->priv;
	unsigned int used, reclaim;

	KUNIT_EXPECT_EQ(test, sev_asid_get(&c->pool, 1, 1), 1);
	sev_asid_put(&c->pool, 1);

	c->log.ret = -EIO;
	KUNIT_EXPECT_EQ(test, sev_asid_get(&c->pool, 1, 1), -EIO);
	sev_asid_count(&c->pool, &used, &reclaim);
	KUNIT_EXPECT_EQ(test, used, 1);
	KUNIT_EXPECT_EQ(test, reclaim, 1);
	KUNIT_EXPECT_EQ(test, c->pool.passes, 0UL);

	c->log.ret = 0;
	KUNIT_EXPECT_EQ(test, sev_asid_get(&c->pool, 1, 1), 1);
	KUNIT_EXPECT_EQ(test, c->log.calls, 2);
}

static void asid_reclaim_follows_range(struct kunit *test)
{
	struct asid_ctx *c = test->priv;

	/* "ES" range 1-2, "SEV" range 3-4 */
	KUNIT_EXPECT_EQ(test, sev_asid_get(&c->pool, 1, 2), 1);
	KUNIT_EXPECT_EQ(test, sev_asid_get(&c->pool, 3, 4), 3);
	KUNIT_EXPECT_EQ(test, sev_asid_get(&c->pool, 3, 4), 4);
	sev_asid_put(&c->pool, 1);

	/* nothing of 3-4 waits: no flush, busy */
	KUNIT_EXPECT_EQ(test, sev_asid_get(&c->pool, 3, 4), -EBUSY);
	KUNIT_EXPECT_EQ(test, c->log.calls, 0);

	/* a pass for 1-2 reclaims every range's ASIDs */
	sev_asid_put(&c->pool, 4);
	KUNIT_EXPECT_EQ(test, sev_asid_reclaim(&c->pool, 1, 2), 0);
	KUNIT_EXPECT_EQ(test, c->log.calls, 1);
	KUNIT_EXPECT_EQ(test, sev_asid_get(&c->pool, 3, 4), 4);
	KUNIT_EXPECT_EQ(test, c->log.calls, 1);
}

static void asid_explicit_reclaim(struct kunit *test)
{
	struct asid_ctx *c = test->priv;

	KUNIT_EXPECT_EQ(test, sev_asid_reclaim(&c->pool, 1, 15), -EBUSY);
	KUNIT_EXPECT_EQ(test, sev_asid_get(&c->pool, 1, 15), 1);
	sev_asid_put(&c->pool, 1);
	KUNIT_EXPECT_EQ(test, sev_asid_reclaim(&c->pool, 1, 15), 0);
	KUNIT_EXPECT_EQ(test, sev_asid_reclaim(&c->pool, 1, 15), -EBUSY);
	KUNIT_EXPECT_EQ(test, c->log.calls, 1);
	KUNIT_EXPECT_EQ(test, sev_asid_get(&c->pool, 1, 15), 1);
}

static struct kunit_case sev_asid_cases[] = {
	KUNIT_CASE(asid_lowest_first),
	KUNIT_CASE(asid_empty_ranges),
	KUNIT_CASE(asid_exhausted_nothing_to_reclaim),
	KUNIT_CASE(asid_freed_waits_for_flush),
	KUNIT_CASE(asid_one_flush_per_pass),
	KUNIT_CASE(asid_flush_failure_keeps_reclaim),
	KUNIT_CASE(asid_reclaim_follows_range),
	KUNIT_CASE(asid_explicit_reclaim),
	{}
};

static struct kunit_suite sev_asid_suite = {
	.name = "sev-kvm-asid",
	.init = asid_test_init,
	.exit = asid_test_exit,
	.test_cases = sev_asid_cases,
};

kunit_test_suite(sev_asid_suite);

MODULE_LICENSE("GPL");
