// SPDX-License-Identifier: GPL-2.0-only
/*
 * System memory as the firmware sees it: byte ranges by physical address,
 * with the C-bit masked, confined to ordinary RAM pages.
 */

#include <linux/bits.h>
#include <linux/highmem.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/sched.h>
#include <linux/string.h>

#include "sevfw-internal.h"

/* Pages validated between two chances for other tasks to run */
#define SEVFW_MEM_RESCHED_PAGES	1024

enum sevfw_mem_op {
	SEVFW_MEM_CHECK,
	SEVFW_MEM_READ,
	SEVFW_MEM_WRITE,
	SEVFW_MEM_FILL,
};

/**
 * sevfw_mem_pa - the system physical address the firmware uses
 * @fw: instance (knows the C-bit position)
 * @addr: address as the host gave it, possibly with the C-bit set
 */
u64 sevfw_mem_pa(const struct sevfw *fw, u64 addr)
{
	return addr & ~BIT_ULL(fw->p.cbit);
}

/*
 * The page behind a page frame if the firmware may touch it: online RAM
 * that is not reserved (reserved pages are the kernel image, firmware
 * tables and holes; MMIO has no struct page at all). Page frame 0 is never
 * a valid buffer.
 */
static struct page *sevfw_mem_page(unsigned long pfn)
{
	struct page *page;

	if (!pfn)
		return NULL;
	page = pfn_to_online_page(pfn);
	if (!page || PageReserved(page))
		return NULL;
	return page;
}

static int sevfw_mem_op(const struct sevfw *fw, u64 addr, void *buf,
			size_t len, enum sevfw_mem_op op, u8 fill)
{
	u64 pa = sevfw_mem_pa(fw, addr);
	u64 end, cur;
	size_t done = 0;

	if (!len)
		return 0;
	if (check_add_overflow(pa, (u64)len, &end))
		return -EFAULT;

	/* validate the whole range first so that nothing is half written */
	for (cur = pa & PAGE_MASK; cur < end; cur += PAGE_SIZE) {
		if (!sevfw_mem_page(PHYS_PFN(cur)))
			return -EFAULT;
		if (!(PHYS_PFN(cur) % SEVFW_MEM_RESCHED_PAGES))
			cond_resched();
	}
	if (op == SEVFW_MEM_CHECK)
		return 0;

	cur = pa;
	while (done < len) {
		size_t off = offset_in_page(cur);
		size_t n = min_t(size_t, len - done, PAGE_SIZE - off);
		u8 *va = kmap_local_page(sevfw_mem_page(PHYS_PFN(cur)));

		switch (op) {
		case SEVFW_MEM_READ:
			memcpy((u8 *)buf + done, va + off, n);
			break;
		case SEVFW_MEM_WRITE:
			memcpy(va + off, (u8 *)buf + done, n);
			break;
		default:
			memset(va + off, fill, n);
			break;
		}
		kunmap_local(va);
		done += n;
		cur += n;
	}
	return 0;
}

/**
 * sevfw_mem_check - can the firmware access a range
 * @fw: instance
 * @addr: physical address (C-bit masked)
 * @len: length in bytes
 *
 * Return: 0, or -EFAULT if any page of the range is not usable RAM.
 */
int sevfw_mem_check(const struct sevfw *fw, u64 addr, size_t len)
{
	return sevfw_mem_op(fw, addr, NULL, len, SEVFW_MEM_CHECK, 0);
}

/**
 * sevfw_mem_read - copy from system memory
 * @fw: instance
 * @addr: physical address (C-bit masked); the range may cross pages
 * @dst: kernel buffer
 * @len: length in bytes
 *
 * Return: 0, or -EFAULT (nothing copied) if the range is not usable RAM.
 */
int sevfw_mem_read(const struct sevfw *fw, u64 addr, void *dst, size_t len)
{
	return sevfw_mem_op(fw, addr, dst, len, SEVFW_MEM_READ, 0);
}

/**
 * sevfw_mem_write - copy to system memory
 * @fw: instance
 * @addr: physical address (C-bit masked); the range may cross pages
 * @src: kernel buffer
 * @len: length in bytes
 *
 * Return: 0, or -EFAULT (nothing written) if the range is not usable RAM.
 */
int sevfw_mem_write(const struct sevfw *fw, u64 addr, const void *src,
		    size_t len)
{
	return sevfw_mem_op(fw, addr, (void *)src, len, SEVFW_MEM_WRITE, 0);
}

/**
 * sevfw_mem_fill - set a range of system memory to one byte value
 * @fw: instance
 * @addr: physical address (C-bit masked)
 * @val: the byte
 * @len: length in bytes
 *
 * Return: 0, or -EFAULT (nothing written) if the range is not usable RAM.
 */
int sevfw_mem_fill(const struct sevfw *fw, u64 addr, u8 val, size_t len)
{
	return sevfw_mem_op(fw, addr, NULL, len, SEVFW_MEM_FILL, val);
}
