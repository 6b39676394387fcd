/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Arithmetic of pinning user memory for SEV: how many pages a range spans,
 * the RLIMIT_MEMLOCK check, how to evict a pinned range from the caches,
 * and the physically contiguous runs that each become one firmware
 * command.
 */

#ifndef _SEV_PIN_H
#define _SEV_PIN_H

#include <linux/types.h>

struct page;

int sev_pin_span(unsigned long uaddr, unsigned long len,
		 unsigned long *npages);
bool sev_pin_allowed(unsigned long locked, unsigned long npages,
		     unsigned long limit_bytes, bool cap_ipc_lock);

unsigned long sev_contig_pages(struct page **pages, unsigned long idx,
			       unsigned long npages);

/*
 * From this many pages on, one WBINVD on every CPU evicts a pinned range
 * from the caches more cheaply than a CLFLUSH of each of its lines
 */
#define SEV_FLUSH_ALL_PAGES	1024UL

bool sev_flush_all_cheaper(unsigned long npages);

/**
 * struct sev_run_iter - walks a pinned range in physically contiguous runs
 * @pages: the pinned pages
 * @npages: number of entries in @pages
 * @idx: first page of the next run
 * @offset: offset of the next run in its first page
 * @remaining: bytes not yet covered
 */
struct sev_run_iter {
	struct page **pages;
	unsigned long npages;
	unsigned long idx;
	unsigned long offset;
	unsigned long remaining;
};

/**
 * struct sev_run - one physically contiguous piece of a pinned range
 * @idx: index of its first page
 * @npages: pages it touches
 * @offset: byte offset in the first page
 * @len: bytes
 */
struct sev_run {
	unsigned long idx;
	unsigned long npages;
	unsigned long offset;
	unsigned long len;
};

void sev_run_start(struct sev_run_iter *it, struct page **pages,
		   unsigned long npages, unsigned long uaddr,
		   unsigned long len);
bool sev_run_next(struct sev_run_iter *it, struct sev_run *run);

#endif /* _SEV_PIN_H */
