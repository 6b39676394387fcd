// SPDX-License-Identifier: GPL-2.0-only
/*
 * The pinning baseline of the benchmarks (bench/bench-mem.c): what the
 * KVM SEV backend of Linux 6.1 spends in sev_pin_memory() and
 * sev_unpin_memory(), with nothing else around it.
 *
 * /dev/sev-bench-pin takes two ioctls. SEV_BENCH_PIN pins a user range in
 * the caller's context as upstream does: the page count of the range, the
 * RLIMIT_MEMLOCK check against the pages this file holds (upstream counts
 * per VM, sev->pages_locked; CAP_IPC_LOCK lifts the limit), one kvmalloc'd
 * array for every page and one pin_user_pages_fast(FOLL_WRITE |
 * FOLL_LONGTERM) over the whole range. SEV_BENCH_UNPIN finds the same
 * range and does unpin_user_pages() and kvfree(). Ranges still pinned
 * when the file is closed (or its process dies) are unpinned then.
 *
 * A benchmark fixture, loaded only in the benchmark VM; not a driver.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/list.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "sev-bench-pin.h"

/**
 * struct pin_file - what one open file has pinned
 * @lock: serialises the ioctls (KVM holds kvm->lock around its pins)
 * @ranges: the pinned ranges, struct pin_range
 * @pages_locked: pages pinned through this file, for RLIMIT_MEMLOCK
 */
struct pin_file {
	struct mutex lock;	/* protects @ranges and @pages_locked */
	struct list_head ranges;
	unsigned long pages_locked;
};

/**
 * struct pin_range - one pinned range
 * @list: entry in pin_file.ranges
 * @addr: start, as userspace gave it
 * @size: length, as userspace gave it
 * @pages: the pinned pages
 * @npages: entries in @pages
 */
struct pin_range {
	struct list_head list;
	u64 addr;
	u64 size;
	struct page **pages;
	unsigned long npages;
};

/* upstream's sev_pin_memory(), with pin_file in place of the VM */
static struct page **pin_memory(struct pin_file *pf, unsigned long uaddr,
				unsigned long ulen, unsigned long *n)
{
	unsigned long npages, first, last, locked, lock_limit;
	struct page **pages;
	int npinned;

	lockdep_assert_held(&pf->lock);

	if (!ulen || check_add_overflow(uaddr, ulen - 1, &last))
		return ERR_PTR(-EINVAL);

	first = uaddr >> PAGE_SHIFT;
	last >>= PAGE_SHIFT;
	npages = last - first + 1;
	if (npages > INT_MAX)
		return ERR_PTR(-EINVAL);

	locked = pf->pages_locked + npages;
	lock_limit = rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;
	if (locked > lock_limit && !capable(CAP_IPC_LOCK))
		return ERR_PTR(-ENOMEM);

	pages = kvmalloc_array(npages, sizeof(*pages),
			       GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!pages)
		return ERR_PTR(-ENOMEM);

	npinned = pin_user_pages_fast(uaddr, npages,
				      FOLL_WRITE | FOLL_LONGTERM, pages);
	if (npinned != npages) {
		if (npinned > 0)
			unpin_user_pages(pages, npinned);
		kvfree(pages);
		return ERR_PTR(-ENOMEM);
	}

	pf->pages_locked = locked;
	*n = npages;
	return pages;
}

static void pin_range_free(struct pin_file *pf, struct pin_range *r)
{
	unpin_user_pages(r->pages, r->npages);
	kvfree(r->pages);
	pf->pages_locked -= r->npages;
	list_del(&r->list);
	kfree(r);
}

static long pin_ioctl_pin(struct pin_file *pf,
			  const struct sev_bench_pin_range *u)
{
	struct pin_range *r;
	long ret = 0;

	if (u->addr > ULONG_MAX || u->size > ULONG_MAX)
		return -EINVAL;

	r = kzalloc(sizeof(*r), GFP_KERNEL_ACCOUNT);
	if (!r)
		return -ENOMEM;

	mutex_lock(&pf->lock);
	r->pages = pin_memory(pf, u->addr, u->size, &r->npages);
	if (IS_ERR(r->pages)) {
		ret = PTR_ERR(r->pages);
		kfree(r);
	} else {
		r->addr = u->addr;
		r->size = u->size;
		list_add_tail(&r->list, &pf->ranges);
	}
	mutex_unlock(&pf->lock);
	return ret;
}

static long pin_ioctl_unpin(struct pin_file *pf,
			    const struct sev_bench_pin_range *u)
{
	struct pin_range *r;
	long ret = -EINVAL;

	mutex_lock(&pf->lock);
	list_for_each_entry(r, &pf->ranges, list) {
		if (r->addr == u->addr && r->size == u->size) {
			pin_range_free(pf, r);
			ret = 0;
			break;
		}
	}
	mutex_unlock(&pf->lock);
	return ret;
}

static long pin_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct pin_file *pf = file->private_data;
	struct sev_bench_pin_range u;

	if (cmd != SEV_BENCH_PIN && cmd != SEV_BENCH_UNPIN)
		return -ENOTTY;
	if (copy_from_user(&u, (void __user *)arg, sizeof(u)))
		return -EFAULT;
	if (cmd == SEV_BENCH_PIN)
		return pin_ioctl_pin(pf, &u);
	return pin_ioctl_unpin(pf, &u);
}

static int pin_open(struct inode *inode, struct file *file)
{
	struct pin_file *pf = kzalloc(sizeof(*pf), GFP_KERNEL_ACCOUNT);

	if (!pf)
		return -ENOMEM;
	mutex_init(&pf->lock);
	INIT_LIST_HEAD(&pf->ranges);
	file->private_data = pf;
	return 0;
}

/* The last reference is gone, also when the process died: unpin the rest */
static int pin_release(struct inode *inode, struct file *file)
{
	struct pin_file *pf = file->private_data;
	struct pin_range *r, *next;

	list_for_each_entry_safe(r, next, &pf->ranges, list) {
		pin_range_free(pf, r);
		cond_resched();
	}
	mutex_destroy(&pf->lock);
	kfree(pf);
	return 0;
}

static const struct file_operations pin_fops = {
	.owner = THIS_MODULE,
	.open = pin_open,
	.release = pin_release,
	.unlocked_ioctl = pin_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice pin_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "sev-bench-pin",
	.fops = &pin_fops,
	.mode = 0600,
};

static int __init pin_init(void)
{
	int ret = misc_register(&pin_dev);

	if (ret)
		pr_err("misc_register failed: %d\n", ret);
	return ret;
}
module_init(pin_init);

static void __exit pin_exit(void)
{
	misc_deregister(&pin_dev);
}
module_exit(pin_exit);

MODULE_DESCRIPTION("SEV benchmarks: pinning baseline (sev_pin_memory of Linux 6.1)");
MODULE_LICENSE("GPL");
