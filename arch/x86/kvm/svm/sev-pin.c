// SPDX-License-Identifier: GPL-2.0-only
/*
 * Arithmetic of pinning user memory for SEV guests.
 */

#include <linux/errno.h>
#include <linux/limits.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/overflow.h>

#include "sev-pin.h"

/**
 * sev_pin_span() - number of pages that [@uaddr, @uaddr + @len) touches
 * @uaddr: start, any alignment
 * @len: length in bytes
 * @npages: the result
 *
 * Return: 0, or -EINVAL for an empty range, one that wraps around, or one
 * of more than INT_MAX pages.
 */
int sev_pin_span(unsigned long uaddr, unsigned long len,
		 unsigned long *npages)
{
	unsigned long last, n;

	if (!len || check_add_overflow(uaddr, len - 1, &last))
		return -EINVAL;

	n = (last >> PAGE_SHIFT) - (uaddr >> PAGE_SHIFT) + 1;
	if (n > INT_MAX)
		return -EINVAL;

	*npages = n;
	return 0;
}

/**
 * sev_pin_allowed() - may a VM pin @npages more pages?
 * @locked: pages the VM has pinned already
 * @npages: pages it asks for
 * @limit_bytes: RLIMIT_MEMLOCK of the caller
 * @cap_ipc_lock: the caller has CAP_IPC_LOCK, which lifts the limit
 *
 * The limit counts the VM's pins, long-term and transient alike.
 */
bool sev_pin_allowed(unsigned long locked, unsigned long npages,
		     unsigned long limit_bytes, bool cap_ipc_lock)
{
	unsigned long total;

	if (cap_ipc_lock)
		return true;
	if (check_add_overflow(locked, npages, &total))
		return false;
	return total <= (limit_bytes >> PAGE_SHIFT);
}

/**
 * sev_flush_all_cheaper() - evict @npages pinned pages with one WBINVD?
 * @npages: pages of the range whose cache lines must go
 *
 * CLFLUSH costs the same for every line of the range, cached or not (64
 * per 4 KiB page, so 16 million for 1 GiB); WBINVD on every CPU costs at
 * most writing back the caches, whatever the range, and evicts a superset
 * of the lines. x86's change_page_attr() chose between the two at the
 * same 4 MiB (1024 pages) while it used WBINVD. The price is a pause of
 * every CPU, which UNREG_REGION and VM teardown pay already.
 *
 * Return: true if one WBINVD on every CPU is the cheaper way.
 */
bool sev_flush_all_cheaper(unsigned long npages)
{
	return npages >= SEV_FLUSH_ALL_PAGES;
}

/**
 * sev_contig_pages() - length of the physically contiguous run at @idx
 * @pages: pinned pages
 * @idx: first page of the run, < @npages
 * @npages: entries in @pages
 *
 * Return: number of pages from @idx on whose frames follow each other.
 */
unsigned long sev_contig_pages(struct page **pages, unsigned long idx,
			       unsigned long npages)
{
	unsigned long pfn = page_to_pfn(pages[idx]);
	unsigned long i;

	for (i = idx + 1; i < npages; i++)
		if (page_to_pfn(pages[i]) != pfn + (i - idx))
			break;
	return i - idx;
}

/**
 * sev_run_start() - begin walking a pinned range
 * @it: the iterator
 * @pages: the pages pinned for the range
 * @npages: sev_pin_span() of the range
 * @uaddr: start of the range
 * @len: its length
 */
void sev_run_start(struct sev_run_iter *it, struct page **pages,
		   unsigned long npages, unsigned long uaddr,
		   unsigned long len)
{
	it->pages = pages;
	it->npages = npages;
	it->idx = 0;
	it->offset = offset_in_page(uaddr);
	it->remaining = len;
}

/**
 * sev_run_next() - the next physically contiguous run
 * @it: the iterator
 * @run: filled in
 *
 * Return: false when the range is covered.
 */
bool sev_run_next(struct sev_run_iter *it, struct sev_run *run)
{
	unsigned long n, bytes;

	if (!it->remaining || it->idx >= it->npages)
		return false;

	n = sev_contig_pages(it->pages, it->idx, it->npages);
	bytes = min(n * PAGE_SIZE - it->offset, it->remaining);

	run->idx = it->idx;
	run->offset = it->offset;
	run->len = bytes;
	run->npages = DIV_ROUND_UP(it->offset + bytes, PAGE_SIZE);

	it->idx += run->npages;
	it->offset = 0;
	it->remaining -= bytes;
	return true;
}
