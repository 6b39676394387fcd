// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM_SEV_DBG_DECRYPT / KVM_SEV_DBG_ENCRYPT: read and write guest memory
 * through the firmware, for guests whose policy allows debugging.
 *
 * Requests of any alignment and length are cut into steps (sev-dbg-plan.c);
 * the firmware only ever sees 16-byte aligned blocks within one page.
 */

#include <linux/gfp.h>
#include <linux/kvm_host.h>
#include <linux/mm.h>
#include <linux/psp-sev.h>
#include <linux/uaccess.h>

#include "sev-kvm.h"
#include "sev-args.h"
#include "sev-dbg-plan.h"

/**
 * struct sev_dbg_ctx - one DBG request in progress
 * @kvm: the VM
 * @argp: the command, for the firmware status
 * @bounce: a zeroed page for unaligned steps, allocated on first use
 * @decrypt: DBG_DECRYPT rather than DBG_ENCRYPT
 */
struct sev_dbg_ctx {
	struct kvm *kvm;
	struct kvm_sev_cmd *argp;
	struct page *bounce;
	bool decrypt;
};

static int sev_dbg_fw(struct sev_dbg_ctx *c, bool decrypt, u64 src, u64 dst,
		      u32 len)
{
	struct sev_data_dbg data = {
		.handle = to_sev(c->kvm)->handle,
		.src_addr = src,
		.dst_addr = dst,
		.len = len,
	};

	return sev_issue_cmd(c->kvm, decrypt ? SEV_CMD_DBG_DECRYPT :
					       SEV_CMD_DBG_ENCRYPT,
			     &data, &c->argp->error);
}

/* Pin the one page holding @uaddr; its physical address goes in *@pa */
static struct page **sev_dbg_pin(struct sev_dbg_ctx *c, unsigned long uaddr,
				 unsigned int flags, u64 *pa)
{
	struct page **page;
	unsigned long n;

	page = sev_pin_memory(c->kvm, uaddr & PAGE_MASK, PAGE_SIZE, &n, flags);
	if (!IS_ERR(page)) {
		/* The firmware accesses it by physical address */
		sev_clflush_pages(page, 1);
		*pa = sev_page_pa(page[0]) + offset_in_page(uaddr);
	}
	return page;
}

static int sev_dbg_step(struct sev_dbg_ctx *c, unsigned long src,
			unsigned long dst, const struct sev_dbg_step *s)
{
	unsigned long guest = c->decrypt ? src : dst;
	unsigned long user = c->decrypt ? dst : src;
	struct page **gpage, **upage = NULL;
	u64 gpa, upa, bpa, win;
	void *bva;
	int ret;

	gpage = sev_dbg_pin(c, guest, c->decrypt ? 0 : FOLL_WRITE, &gpa);
	if (IS_ERR(gpage))
		return PTR_ERR(gpage);

	if (!s->bounce) {
		upage = sev_dbg_pin(c, user, c->decrypt ? FOLL_WRITE : 0, &upa);
		if (IS_ERR(upage)) {
			ret = PTR_ERR(upage);
			upage = NULL;
			goto out;
		}
		ret = c->decrypt ? sev_dbg_fw(c, true, gpa, upa, s->len) :
				   sev_dbg_fw(c, false, upa, gpa, s->len);
		if (!ret && c->decrypt)
			sev_dirty_pages(upage, 1);
		goto out;
	}

	if (!c->bounce) {
		c->bounce = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
		if (!c->bounce) {
			ret = -ENOMEM;
			goto out;
		}
	}
	bva = page_address(c->bounce);
	bpa = sev_page_pa(c->bounce);
	win = gpa - s->win_skip;

	if (c->decrypt) {
		ret = sev_dbg_fw(c, true, win, bpa, s->win_len);
		if (!ret && copy_to_user((void __user *)dst, bva + s->win_skip,
					 s->len))
			ret = -EFAULT;
		goto out;
	}

	/* Keep the guest's bytes around the request: read them first */
	if (s->rmw) {
		ret = sev_dbg_fw(c, true, win, bpa, s->win_len);
		if (ret)
			goto out;
	}
	if (copy_from_user(bva + s->win_skip, (void __user *)src, s->len)) {
		ret = -EFAULT;
		goto out;
	}
	ret = sev_dbg_fw(c, false, bpa, win, s->win_len);
out:
	if (upage)
		sev_unpin_memory(c->kvm, upage, 1);
	if (!ret && !c->decrypt)
		sev_dirty_pages(gpage, 1);
	sev_unpin_memory(c->kvm, gpage, 1);
	return ret;
}

/**
 * sev_dbg_crypt() - KVM_SEV_DBG_DECRYPT / KVM_SEV_DBG_ENCRYPT
 * @kvm: an SEV VM or a mirror
 * @argp: the command; data points at struct kvm_sev_dbg
 * @decrypt: decrypt guest memory at src into dst, else encrypt src into
 *	     guest memory at dst
 *
 * Return: 0, -ENOTTY (not SEV), -EINVAL (bad range), -EFAULT, -ENOMEM, or
 * -EIO with the firmware status (POLICY_FAILURE when the guest's policy
 * forbids debugging).
 */
int sev_dbg_crypt(struct kvm *kvm, struct kvm_sev_cmd *argp, bool decrypt)
{
	struct sev_dbg_ctx c = { .kvm = kvm, .argp = argp, .decrypt = decrypt };
	unsigned long src, dst, remaining;
	struct kvm_sev_dbg params;
	struct sev_dbg_step s;
	int ret;

	if (!sev_guest(kvm))
		return -ENOTTY;
	if (copy_from_user(&params, (void __user *)(uintptr_t)argp->data,
			   sizeof(params)))
		return -EFAULT;

	ret = sev_dbg_check(params.src_uaddr, params.dst_uaddr, params.len);
	if (ret)
		return ret;

	src = params.src_uaddr;
	dst = params.dst_uaddr;
	for (remaining = params.len; remaining; remaining -= s.len) {
		sev_dbg_plan(src, dst, remaining, decrypt, &s);
		ret = sev_dbg_step(&c, src, dst, &s);
		if (ret)
			break;
		src += s.len;
		dst += s.len;
	}

	/* it held guest plaintext: wiped before it is freed */
	sev_fw_free_page(kvm, c.bounce);
	return ret;
}
