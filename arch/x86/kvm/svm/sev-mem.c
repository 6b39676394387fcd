// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest memory for the SEV backend: pinning with RLIMIT_MEMLOCK accounting,
 * cache flushing, and the ranges registered with
 * KVM_MEMORY_ENCRYPT_REG_REGION / KVM_MEMORY_ENCRYPT_UNREG_REGION.
 *
 * SEV ciphertext is bound to the physical address, so the pages of a
 * guest must not move: userspace registers its guest RAM, which stays
 * pinned until it is unregistered or the VM is destroyed.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/highmem.h>
#include <linux/kvm_host.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/swap.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include <asm/cacheflush.h>
#include <asm/smp.h>

#include "sev-kvm.h"
#include "sev-pin.h"

/**
 * sev_pin_memory() - pin a user range for the firmware
 * @kvm: the VM, whose pins are counted against the caller's
 *	 RLIMIT_MEMLOCK (CAP_IPC_LOCK lifts the limit)
 * @uaddr: start, any alignment
 * @ulen: length
 * @n: number of pages pinned
 * @flags: FOLL_* flags
 *
 * Caller holds kvm->lock.
 *
 * Return: the array of pinned pages (free with sev_unpin_memory()), or
 * ERR_PTR(-EINVAL) for a bad range, ERR_PTR(-ENOMEM) over the limit or
 * when not every page could be pinned.
 */
struct page **sev_pin_memory(struct kvm *kvm, unsigned long uaddr,
			     unsigned long ulen, unsigned long *n,
			     unsigned int flags)
{
	struct kvm_sev_info *sev = to_sev(kvm);
	unsigned long npages, limit;
	struct page **pages;
	int pinned, ret;

	lockdep_assert_held(&kvm->lock);

	ret = sev_pin_span(uaddr, ulen, &npages);
	if (ret)
		return ERR_PTR(ret);

	limit = rlimit(RLIMIT_MEMLOCK);
	if (!sev_pin_allowed(sev->pages_locked, npages, limit,
			     capable(CAP_IPC_LOCK))) {
		pr_err("SEV: %lu locked pages exceed the lock limit of %lu.\n",
		       sev->pages_locked + npages, limit >> PAGE_SHIFT);
		return ERR_PTR(-ENOMEM);
	}

	pages = kvmalloc_array(npages, sizeof(*pages),
			       GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!pages)
		return ERR_PTR(-ENOMEM);

	pinned = pin_user_pages_fast(uaddr, npages, flags, pages);
	if (pinned != npages) {
		pr_err("SEV: Failure locking %lu pages.\n", npages);
		if (pinned > 0)
			unpin_user_pages(pages, pinned);
		kvfree(pages);
		return ERR_PTR(-ENOMEM);
	}

	sev->pages_locked += npages;
	*n = npages;
	return pages;
}

/**
 * sev_unpin_memory() - release pages from sev_pin_memory()
 * @kvm: the VM
 * @pages: the array, freed
 * @npages: its length
 *
 * Pages handed to a firmware command that timed out and may still run
 * keep their pins for good (sev-quarantine.c); they leave the VM's count.
 */
void sev_unpin_memory(struct kvm *kvm, struct page **pages,
		      unsigned long npages)
{
	/* a timed-out command may still access them: pinned for good */
	if (sev_vm_fw_held(kvm))
		sev_quarantine_note_pages(npages);
	else
		unpin_user_pages(pages, npages);
	kvfree(pages);
	to_sev(kvm)->pages_locked -= npages;
}

/**
 * sev_clflush_pages() - write back and evict the pages' cache lines
 * @pages: the pages
 * @npages: how many
 *
 * Before the firmware reads or writes guest memory by physical address,
 * lines written through another mapping (another C-bit) must be gone.
 * Unneeded where the CPU keeps encrypted and plain lines coherent. From
 * sev_flush_all_cheaper() pages on (4 MiB), one WBINVD on every CPU
 * evicts them instead, with every other line: CLFLUSH of each line costs
 * more there (16 million lines for 1 GiB).
 */
void sev_clflush_pages(struct page **pages, unsigned long npages)
{
	unsigned long i;
	void *va;

	if (!pages || this_cpu_has(X86_FEATURE_SME_COHERENT))
		return;

	if (sev_flush_all_cheaper(npages)) {
		wbinvd_on_all_cpus();
		return;
	}

	for (i = 0; i < npages; i++) {
		va = kmap_local_page(pages[i]);
		clflush_cache_range(va, PAGE_SIZE);
		kunmap_local(va);
		cond_resched();
	}
}

/* The firmware wrote the pages behind the kernel's back */
void sev_dirty_pages(struct page **pages, unsigned long npages)
{
	unsigned long i;

	for (i = 0; i < npages; i++) {
		set_page_dirty_lock(pages[i]);
		mark_page_accessed(pages[i]);
	}
}

/**
 * sev_mem_enc_register_region() - KVM_MEMORY_ENCRYPT_REG_REGION
 * @kvm: an SEV VM that is not a mirror
 * @range: user range to pin until it is unregistered
 *
 * The same range may be registered twice; each registration is pinned
 * and counted on its own.
 *
 * Return: 0, -ENOTTY (not SEV), -EINVAL (mirror or bad range), -ENOMEM.
 */
int sev_mem_enc_register_region(struct kvm *kvm,
				struct kvm_enc_region *range)
{
	struct kvm_sev_info *sev = to_sev(kvm);
	struct enc_region *region;
	int ret = 0;

	mutex_lock(&kvm->lock);

	if (!sev_guest(kvm)) {
		ret = -ENOTTY;
		goto out;
	}
	if (sev_is_mirror(kvm) ||
	    range->addr > ULONG_MAX || range->size > ULONG_MAX) {
		ret = -EINVAL;
		goto out;
	}

	region = kzalloc(sizeof(*region), GFP_KERNEL_ACCOUNT);
	if (!region) {
		ret = -ENOMEM;
		goto out;
	}

	/*
	 * FOLL_WRITE although KVM does not write through these pins: without
	 * it, pages never touched are "pinned" as the shared zero page, which
	 * the guest's memory leaves on its first write
	 */
	region->pages = sev_pin_memory(kvm, range->addr, range->size,
				       &region->npages,
				       FOLL_WRITE | FOLL_LONGTERM);
	if (IS_ERR(region->pages)) {
		ret = PTR_ERR(region->pages);
		kfree(region);
		goto out;
	}

	/*
	 * The guest may switch these pages between encrypted and plain
	 * access; evict what the host cached. Under kvm->lock: once it is
	 * dropped, another task may unregister and free the region.
	 */
	sev_clflush_pages(region->pages, region->npages);

	region->uaddr = range->addr;
	region->size = range->size;
	list_add_tail(&region->list, &sev->regions_list);
out:
	mutex_unlock(&kvm->lock);
	return ret;
}

static void sev_region_free(struct kvm *kvm, struct enc_region *region)
{
	sev_unpin_memory(kvm, region->pages, region->npages);
	list_del(&region->list);
	kfree(region);
}

/**
 * sev_mem_enc_unregister_region() - KVM_MEMORY_ENCRYPT_UNREG_REGION
 * @kvm: an SEV VM that is not a mirror
 * @range: exactly a range that was registered
 *
 * Return: 0, -ENOTTY (not SEV), -EINVAL (mirror, or no such range).
 */
int sev_mem_enc_unregister_region(struct kvm *kvm,
				  struct kvm_enc_region *range)
{
	struct kvm_sev_info *sev = to_sev(kvm);
	struct enc_region *region;
	int ret = -EINVAL;

	if (sev_is_mirror(kvm))
		return -EINVAL;

	mutex_lock(&kvm->lock);

	if (!sev_guest(kvm)) {
		ret = -ENOTTY;
		goto out;
	}

	list_for_each_entry(region, &sev->regions_list, list) {
		if (region->uaddr != range->addr || region->size != range->size)
			continue;
		/* The pages go back to the system: no guest-tagged lines */
		wbinvd_on_all_cpus();
		sev_region_free(kvm, region);
		ret = 0;
		break;
	}
out:
	mutex_unlock(&kvm->lock);
	return ret;
}

/* VM teardown: unpin what userspace left registered (after a WBINVD) */
void sev_unpin_all_regions(struct kvm *kvm)
{
	struct kvm_sev_info *sev = to_sev(kvm);
	struct enc_region *region, *next;

	list_for_each_entry_safe(region, next, &sev->regions_list, list) {
		sev_region_free(kvm, region);
		cond_resched();
	}
}
