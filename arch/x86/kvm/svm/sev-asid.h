/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SEV ASID pool: allocation from a range and lazy reclaim of freed ASIDs.
 *
 * A freed ASID may still tag cache lines and must not be handed out again
 * until every CPU has written back its caches and the firmware has run
 * DF_FLUSH. Freed ASIDs therefore collect in a reclaim set; when an
 * allocation finds its range exhausted, one flush makes every collected
 * ASID reusable at once.
 */

#ifndef _SEV_ASID_H
#define _SEV_ASID_H

#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/types.h>

/**
 * struct sev_asid_pool - SEV ASIDs and their reuse state
 * @lock: serializes allocation, release and reclaim
 * @deactivate_lock: read side held around DEACTIVATE, write side around a
 *		     flush (DEACTIVATE clears the firmware's WBINVD indication
 *		     that DF_FLUSH relies on)
 * @used: ASIDs that are allocated or wait for reclaim (index = ASID)
 * @reclaim: ASIDs freed since the last flush
 * @max_asid: highest ASID; the bitmaps have @max_asid + 1 bits
 * @flush: makes freed ASIDs reusable: WBINVD on all CPUs, then DF_FLUSH
 * @ctx: passed to @flush
 * @passes: successful flushes so far
 */
struct sev_asid_pool {
	struct mutex lock;	/* allocation, release, reclaim */
	struct rw_semaphore deactivate_lock;
	unsigned long *used;
	unsigned long *reclaim;
	unsigned int max_asid;
	int (*flush)(void *ctx);
	void *ctx;
	unsigned long passes;
};

int sev_asid_pool_init(struct sev_asid_pool *pool, unsigned int max_asid,
		       int (*flush)(void *ctx), void *ctx);
void sev_asid_pool_destroy(struct sev_asid_pool *pool);

int sev_asid_get(struct sev_asid_pool *pool, unsigned int min_asid,
		 unsigned int max_asid);
void sev_asid_put(struct sev_asid_pool *pool, unsigned int asid);
int sev_asid_reclaim(struct sev_asid_pool *pool, unsigned int min_asid,
		     unsigned int max_asid);

void sev_asid_count(struct sev_asid_pool *pool, unsigned int *used,
		    unsigned int *reclaim);

static inline void sev_asid_deactivate_begin(struct sev_asid_pool *pool)
{
	down_read(&pool->deactivate_lock);
}

static inline void sev_asid_deactivate_end(struct sev_asid_pool *pool)
{
	up_read(&pool->deactivate_lock);
}

#endif /* _SEV_ASID_H */
