// SPDX-License-Identifier: GPL-2.0-only
/*
 * Memory of a firmware command that timed out and may still be running.
 *
 * When the PSP driver gives up on a command, the PSP may go on reading and
 * writing the pages and buffers it was handed. The PSP driver says whether
 * the backend stopped the command (psp_quarantine_needed()); if it could
 * not, KVM keeps that command's pins and buffers forever instead of giving
 * them back. The VM's flag marks the one ioctl whose command timed out; its
 * releases in that ioctl go to the quarantine, and the flag is cleared when
 * the ioctl returns (the PSP is latched dead: no later command reaches it).
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/highmem.h>
#include <linux/kmemleak.h>
#include <linux/kvm_host.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "psp-backend.h"
#include "sev-kvm.h"

static atomic_long_t sev_quarantine_pages = ATOMIC_LONG_INIT(0);
static atomic_long_t sev_quarantine_bufs = ATOMIC_LONG_INIT(0);

/*
 * After a command returned @ret: may the firmware still access its memory?
 * A PSP driver without the answer (the distribution's ccp.ko) is assumed
 * to leave a timed-out command running, as hardware does.
 */
static bool sev_fw_holds(int ret)
{
	bool (*needed)(int ret);
	bool held;

	if (ret != -ETIMEDOUT)
		return false;
	needed = symbol_get(psp_quarantine_needed);
	if (!needed)
		return true;
	held = needed(ret);
	symbol_put(psp_quarantine_needed);
	return held;
}

/**
 * sev_vm_fw_ret() - note the result of one of the VM's firmware commands
 * @kvm: the VM, with kvm->lock held
 * @ret: what the command returned
 */
void sev_vm_fw_ret(struct kvm *kvm, int ret)
{
	struct sev_vm_ext *ext;

	if (!sev_fw_holds(ret))
		return;
	ext = sev_ext_get(kvm, false);
	if (ext)
		ext->fw_hold = true;
	pr_err("SEV: a firmware command timed out and may still run: its memory is quarantined\n");
}

/**
 * sev_vm_fw_end() - the VM's ioctl is done: later releases are ordinary
 * @kvm: the VM, with kvm->lock held
 */
void sev_vm_fw_end(struct kvm *kvm)
{
	struct sev_vm_ext *ext = sev_ext_get(kvm, false);

	if (ext)
		ext->fw_hold = false;
}

/* Must what the current ioctl handed to the firmware be kept? */
bool sev_vm_fw_held(struct kvm *kvm)
{
	struct sev_vm_ext *ext = sev_ext_get(kvm, false);

	return ext && ext->fw_hold;
}

/**
 * sev_fw_kfree() - free a buffer that was handed to the firmware
 * @kvm: the VM whose command used it
 * @buf: kmalloc'ed, or NULL
 *
 * Wipes and frees it, or keeps it for good when the command may still run.
 */
void sev_fw_kfree(struct kvm *kvm, void *buf)
{
	if (!buf)
		return;
	if (sev_vm_fw_held(kvm)) {
		kmemleak_not_leak(buf);
		atomic_long_inc(&sev_quarantine_bufs);
		return;
	}
	kfree_sensitive(buf);
}

/**
 * sev_fw_free_page() - free a bounce page that was handed to the firmware
 * @kvm: the VM whose command used it
 * @page: the page, or NULL
 *
 * Its contents may be guest plaintext: wiped before it is freed.
 */
void sev_fw_free_page(struct kvm *kvm, struct page *page)
{
	if (!page)
		return;
	if (sev_vm_fw_held(kvm)) {
		atomic_long_inc(&sev_quarantine_bufs);
		return;
	}
	clear_highpage(page);
	__free_page(page);
}

/**
 * sev_fw_keep_page() - keep a guest-owned page the firmware may still touch
 * @kvm: the VM whose command used it
 * @page: a page the VM frees itself later (an SEV-ES VMSA)
 *
 * After a command that may still run, an extra reference keeps the page
 * allocated for good when its owner frees it.
 */
void sev_fw_keep_page(struct kvm *kvm, struct page *page)
{
	if (!sev_vm_fw_held(kvm))
		return;
	get_page(page);
	sev_quarantine_note_pages(1);
}

/* Count pins that sev_unpin_memory() keeps for good */
void sev_quarantine_note_pages(unsigned long npages)
{
	atomic_long_add(npages, &sev_quarantine_pages);
	pr_warn_ratelimited("SEV: %lu pinned pages quarantined\n", npages);
}

/* For debugfs: pages and buffers kept so far */
void sev_quarantine_counts(long *pages, long *bufs)
{
	*pages = atomic_long_read(&sev_quarantine_pages);
	*bufs = atomic_long_read(&sev_quarantine_bufs);
}
