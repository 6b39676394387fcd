// SPDX-License-Identifier: GPL-2.0-only
/*
 * SEV ASID pool: allocation from a range and lazy reclaim of freed ASIDs.
 */

#include <linux/bitmap.h>
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/minmax.h>
#include <linux/slab.h>

#include "sev-asid.h"

/**
 * sev_asid_pool_init() - set up an empty pool
 * @pool: the pool
 * @max_asid: highest ASID the pool hands out
 * @flush: called, under the pool lock and the write side of
 *	   @pool->deactivate_lock, to make freed ASIDs reusable
 * @ctx: passed to @flush
 *
 * Return: 0 or -ENOMEM.
 */
int sev_asid_pool_init(struct sev_asid_pool *pool, unsigned int max_asid,
		       int (*flush)(void *ctx), void *ctx)
{
	mutex_init(&pool->lock);
	init_rwsem(&pool->deactivate_lock);
	pool->max_asid = max_asid;
	pool->flush = flush;
	pool->ctx = ctx;
	pool->passes = 0;

	/* ASID 0 is the host's; it gets a bit so that index == ASID */
	pool->used = bitmap_zalloc(max_asid + 1, GFP_KERNEL);
	pool->reclaim = bitmap_zalloc(max_asid + 1, GFP_KERNEL);
	if (!pool->used || !pool->reclaim) {
		sev_asid_pool_destroy(pool);
		return -ENOMEM;
	}
	return 0;
}

void sev_asid_pool_destroy(struct sev_asid_pool *pool)
{
	bitmap_free(pool->used);
	bitmap_free(pool->reclaim);
	pool->used = NULL;
	pool->reclaim = NULL;
}

/*
 * One flush pass: -EBUSY if nothing in [min, max] waits for reclaim. A
 * successful flush makes every freed ASID reusable, in all ranges.
 */
static int sev_asid_reclaim_locked(struct sev_asid_pool *pool,
				   unsigned int min_asid, unsigned int max_asid)
{
	unsigned int nbits = pool->max_asid + 1;
	int ret;

	lockdep_assert_held(&pool->lock);

	if (find_next_bit(pool->reclaim, max_asid + 1, min_asid) > max_asid)
		return -EBUSY;

	down_write(&pool->deactivate_lock);
	ret = pool->flush(pool->ctx);
	up_write(&pool->deactivate_lock);
	if (ret)
		return ret;

	bitmap_andnot(pool->used, pool->used, pool->reclaim, nbits);
	bitmap_zero(pool->reclaim, nbits);
	pool->passes++;
	return 0;
}

/**
 * sev_asid_get() - allocate an ASID from [@min_asid, @max_asid]
 * @pool: the pool
 * @min_asid: lowest acceptable ASID (>= 1)
 * @max_asid: highest acceptable ASID (<= @pool->max_asid)
 *
 * Takes the lowest free ASID. If none is free, runs one reclaim pass and
 * tries once more.
 *
 * Return: the ASID; -ENOTTY if the range is empty; -EBUSY if every ASID in
 * it is taken and a reclaim pass freed none; or the flush's error.
 */
int sev_asid_get(struct sev_asid_pool *pool, unsigned int min_asid,
		 unsigned int max_asid)
{
	unsigned int asid;
	bool reclaimed = false;
	int ret;

	if (!min_asid || min_asid > max_asid || max_asid > pool->max_asid)
		return -ENOTTY;

	mutex_lock(&pool->lock);
	for (;;) {
		asid = find_next_zero_bit(pool->used, max_asid + 1, min_asid);
		if (asid <= max_asid)
			break;
		if (reclaimed) {
			ret = -EBUSY;
			goto out;
		}
		ret = sev_asid_reclaim_locked(pool, min_asid, max_asid);
		if (ret)
			goto out;
		reclaimed = true;
	}
	__set_bit(asid, pool->used);
	ret = asid;
out:
	mutex_unlock(&pool->lock);
	return ret;
}

/**
 * sev_asid_put() - free an ASID; it becomes reusable after the next flush
 * @pool: the pool
 * @asid: an ASID that sev_asid_get() returned
 */
void sev_asid_put(struct sev_asid_pool *pool, unsigned int asid)
{
	if (WARN_ON_ONCE(!asid || asid > pool->max_asid))
		return;

	mutex_lock(&pool->lock);
	WARN_ON_ONCE(!test_bit(asid, pool->used));
	__set_bit(asid, pool->reclaim);
	mutex_unlock(&pool->lock);
}

/**
 * sev_asid_reclaim() - run a reclaim pass if an ASID in range waits for one
 * @pool: the pool
 * @min_asid: lowest ASID of the range
 * @max_asid: highest ASID of the range
 *
 * Return: 0 after a flush; -EBUSY if there was nothing to reclaim; or the
 * flush's error.
 */
int sev_asid_reclaim(struct sev_asid_pool *pool, unsigned int min_asid,
		     unsigned int max_asid)
{
	int ret;

	mutex_lock(&pool->lock);
	ret = sev_asid_reclaim_locked(pool, min_asid,
				      min(max_asid, pool->max_asid));
	mutex_unlock(&pool->lock);
	return ret;
}

/**
 * sev_asid_count() - how many ASIDs are taken and how many wait for reclaim
 * @pool: the pool
 * @used: ASIDs allocated or waiting for reclaim
 * @reclaim: ASIDs waiting for reclaim
 */
void sev_asid_count(struct sev_asid_pool *pool, unsigned int *used,
		    unsigned int *reclaim)
{
	mutex_lock(&pool->lock);
	*used = bitmap_weight(pool->used, pool->max_asid + 1);
	*reclaim = bitmap_weight(pool->reclaim, pool->max_asid + 1);
	mutex_unlock(&pool->lock);
}
