// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM_SEV_SEND_* and KVM_SEV_RECEIVE_*: moving an SEV guest to another
 * platform. The firmware re-encrypts guest pages for transport under keys
 * negotiated in SEND_START / RECEIVE_START.
 */

#include <linux/kvm_host.h>
#include <linux/psp-sev.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "sev-kvm.h"
#include "sev-args.h"

static void __user *sev_uptr(u64 uaddr)
{
	return (void __user *)(uintptr_t)uaddr;
}

/* SEND_START with all buffers absent: the firmware names the session length */
static int sev_send_start_query(struct kvm *kvm, struct kvm_sev_cmd *argp,
				struct kvm_sev_send_start *params)
{
	struct sev_data_send_start data = { .handle = to_sev(kvm)->handle };
	int ret;

	ret = sev_issue_cmd(kvm, SEV_CMD_SEND_START, &data, &argp->error);
	params->session_len = data.session_len;
	if (copy_to_user(sev_uptr(argp->data), params, sizeof(*params)))
		ret = -EFAULT;
	return ret;
}

/**
 * sev_send_start() - KVM_SEV_SEND_START
 * @kvm: an SEV VM
 * @argp: the command; data points at struct kvm_sev_send_start
 *
 * session_len == 0 asks for the session length. Otherwise the target's PDH
 * and the session buffer are mandatory; the platform and AMD certificate
 * chains go through the 16 KiB blob helper like the PDH. The policy and
 * session length are written back.
 */
int sev_send_start(struct kvm *kvm, struct kvm_sev_cmd *argp)
{
	void *pdh = NULL, *plat = NULL, *amd = NULL, *session;
	struct sev_data_send_start data = {};
	struct kvm_sev_send_start params;
	int ret;

	if (!sev_guest(kvm))
		return -ENOTTY;
	if (copy_from_user(&params, sev_uptr(argp->data), sizeof(params)))
		return -EFAULT;

	ret = sev_send_start_check(params.pdh_cert_uaddr, params.pdh_cert_len,
				   params.session_uaddr, params.session_len);
	if (ret == 1)
		return sev_send_start_query(kvm, argp, &params);
	if (ret)
		return ret;

	session = kzalloc(params.session_len, GFP_KERNEL_ACCOUNT);
	if (!session)
		return -ENOMEM;

	pdh = psp_copy_user_blob(params.pdh_cert_uaddr, params.pdh_cert_len);
	if (IS_ERR(pdh)) {
		ret = PTR_ERR(pdh);
		pdh = NULL;
		goto out;
	}
	plat = psp_copy_user_blob(params.plat_certs_uaddr,
				  params.plat_certs_len);
	if (IS_ERR(plat)) {
		ret = PTR_ERR(plat);
		plat = NULL;
		goto out;
	}
	amd = psp_copy_user_blob(params.amd_certs_uaddr, params.amd_certs_len);
	if (IS_ERR(amd)) {
		ret = PTR_ERR(amd);
		amd = NULL;
		goto out;
	}

	data.handle = to_sev(kvm)->handle;
	data.pdh_cert_address = __psp_pa(pdh);
	data.pdh_cert_len = params.pdh_cert_len;
	data.plat_certs_address = __psp_pa(plat);
	data.plat_certs_len = params.plat_certs_len;
	data.amd_certs_address = __psp_pa(amd);
	data.amd_certs_len = params.amd_certs_len;
	data.session_address = __psp_pa(session);
	data.session_len = params.session_len;

	ret = sev_issue_cmd(kvm, SEV_CMD_SEND_START, &data, &argp->error);
	if (!ret && copy_to_user(sev_uptr(params.session_uaddr), session,
				 params.session_len)) {
		ret = -EFAULT;
		goto out;
	}

	params.policy = data.policy;
	params.session_len = data.session_len;
	if (copy_to_user(sev_uptr(argp->data), &params, sizeof(params)))
		ret = -EFAULT;
out:
	sev_fw_kfree(kvm, amd);
	sev_fw_kfree(kvm, plat);
	sev_fw_kfree(kvm, pdh);
	sev_fw_kfree(kvm, session);
	return ret;
}

/* SEND_UPDATE_DATA without buffers: the firmware names the lengths */
static int sev_send_update_query(struct kvm *kvm, struct kvm_sev_cmd *argp,
				 struct kvm_sev_send_update_data *params)
{
	struct sev_data_send_update_data data = {
		.handle = to_sev(kvm)->handle,
	};
	int ret;

	ret = sev_issue_cmd(kvm, SEV_CMD_SEND_UPDATE_DATA, &data, &argp->error);
	params->hdr_len = data.hdr_len;
	params->trans_len = data.trans_len;
	if (copy_to_user(sev_uptr(argp->data), params, sizeof(*params)))
		ret = -EFAULT;
	return ret;
}

static void sev_xfer_args_get(struct sev_xfer_args *a, u64 hdr_uaddr,
			      u32 hdr_len, u64 guest_uaddr, u32 guest_len,
			      u64 trans_uaddr, u32 trans_len)
{
	a->hdr_uaddr = hdr_uaddr;
	a->hdr_len = hdr_len;
	a->guest_uaddr = guest_uaddr;
	a->guest_len = guest_len;
	a->trans_uaddr = trans_uaddr;
	a->trans_len = trans_len;
}

/**
 * sev_send_update_data() - KVM_SEV_SEND_UPDATE_DATA
 * @kvm: an SEV VM
 * @argp: the command; data points at struct kvm_sev_send_update_data
 *
 * Either length 0 asks for both lengths. The guest range must stay in one
 * page; its address goes to the firmware with the C-bit set.
 */
int sev_send_update_data(struct kvm *kvm, struct kvm_sev_cmd *argp)
{
	struct sev_data_send_update_data data = {};
	struct kvm_sev_send_update_data params;
	void *hdr = NULL, *trans = NULL;
	struct sev_xfer_args a;
	struct page **page;
	unsigned long n;
	int ret;

	if (!sev_guest(kvm))
		return -ENOTTY;
	if (copy_from_user(&params, sev_uptr(argp->data), sizeof(params)))
		return -EFAULT;

	sev_xfer_args_get(&a, params.hdr_uaddr, params.hdr_len,
			  params.guest_uaddr, params.guest_len,
			  params.trans_uaddr, params.trans_len);
	ret = sev_send_update_check(&a);
	if (ret == 1)
		return sev_send_update_query(kvm, argp, &params);
	if (ret)
		return ret;

	page = sev_pin_memory(kvm, params.guest_uaddr & PAGE_MASK, PAGE_SIZE,
			      &n, 0);
	if (IS_ERR(page))
		return PTR_ERR(page);

	/* Lengths are the caller's; no warning for absurd ones */
	ret = -ENOMEM;
	hdr = kzalloc(params.hdr_len, GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	trans = kzalloc(params.trans_len, GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!hdr || !trans)
		goto out;

	data.handle = to_sev(kvm)->handle;
	data.hdr_address = __psp_pa(hdr);
	data.hdr_len = params.hdr_len;
	data.trans_address = __psp_pa(trans);
	data.trans_len = params.trans_len;
	data.guest_address = (sev_page_pa(page[0]) +
			      offset_in_page(params.guest_uaddr)) |
			     sev_plat.me_mask;
	data.guest_len = params.guest_len;

	ret = sev_issue_cmd(kvm, SEV_CMD_SEND_UPDATE_DATA, &data, &argp->error);
	if (ret)
		goto out;

	if (copy_to_user(sev_uptr(params.trans_uaddr), trans,
			 params.trans_len) ||
	    copy_to_user(sev_uptr(params.hdr_uaddr), hdr, params.hdr_len))
		ret = -EFAULT;
out:
	sev_fw_kfree(kvm, trans);
	sev_fw_kfree(kvm, hdr);
	sev_unpin_memory(kvm, page, n);
	return ret;
}

static int sev_handle_only_cmd(struct kvm *kvm, struct kvm_sev_cmd *argp,
			       int cmd)
{
	/* SEND_FINISH, SEND_CANCEL, RECEIVE_FINISH: just the handle */
	struct sev_data_send_finish data;

	BUILD_BUG_ON(sizeof(struct sev_data_send_cancel) != sizeof(data) ||
		     sizeof(struct sev_data_receive_finish) != sizeof(data));

	if (!sev_guest(kvm))
		return -ENOTTY;

	data.handle = to_sev(kvm)->handle;
	return sev_issue_cmd(kvm, cmd, &data, &argp->error);
}

/**
 * sev_send_finish() - KVM_SEV_SEND_FINISH
 * @kvm: an SEV VM
 * @argp: the command
 */
int sev_send_finish(struct kvm *kvm, struct kvm_sev_cmd *argp)
{
	return sev_handle_only_cmd(kvm, argp, SEV_CMD_SEND_FINISH);
}

/**
 * sev_send_cancel() - KVM_SEV_SEND_CANCEL
 * @kvm: an SEV VM
 * @argp: the command
 */
int sev_send_cancel(struct kvm *kvm, struct kvm_sev_cmd *argp)
{
	return sev_handle_only_cmd(kvm, argp, SEV_CMD_SEND_CANCEL);
}

/**
 * sev_receive_finish() - KVM_SEV_RECEIVE_FINISH
 * @kvm: an SEV VM
 * @argp: the command
 */
int sev_receive_finish(struct kvm *kvm, struct kvm_sev_cmd *argp)
{
	return sev_handle_only_cmd(kvm, argp, SEV_CMD_RECEIVE_FINISH);
}

/**
 * sev_receive_start() - KVM_SEV_RECEIVE_START
 * @kvm: an SEV VM
 * @argp: the command; data points at struct kvm_sev_receive_start
 *
 * The sender's PDH and the session blob are mandatory. Creates the guest
 * context through sev_fd and binds the VM's ASID, like LAUNCH_START.
 */
int sev_receive_start(struct kvm *kvm, struct kvm_sev_cmd *argp)
{
	struct sev_data_receive_start start = {};
	struct kvm_sev_receive_start params;
	void *pdh, *session;
	int ret;

	if (!sev_guest(kvm))
		return -ENOTTY;
	if (copy_from_user(&params, sev_uptr(argp->data), sizeof(params)))
		return -EFAULT;

	ret = sev_receive_start_check(params.pdh_uaddr, params.pdh_len,
				      params.session_uaddr, params.session_len);
	if (ret)
		return ret;

	pdh = psp_copy_user_blob(params.pdh_uaddr, params.pdh_len);
	if (IS_ERR(pdh))
		return PTR_ERR(pdh);
	session = psp_copy_user_blob(params.session_uaddr, params.session_len);
	if (IS_ERR(session)) {
		ret = PTR_ERR(session);
		goto free_pdh;
	}

	start.handle = params.handle;
	start.policy = params.policy;
	start.pdh_cert_address = __psp_pa(pdh);
	start.pdh_cert_len = params.pdh_len;
	start.session_address = __psp_pa(session);
	start.session_len = params.session_len;
	ret = sev_start_context(kvm, argp, SEV_CMD_RECEIVE_START, &start,
				&start.handle, params.policy);

	sev_fw_kfree(kvm, session);
free_pdh:
	sev_fw_kfree(kvm, pdh);
	return ret;
}

/**
 * sev_receive_update_data() - KVM_SEV_RECEIVE_UPDATE_DATA
 * @kvm: an SEV VM
 * @argp: the command; data points at struct kvm_sev_receive_update_data
 *
 * Every field is mandatory and the guest range must stay in one page.
 * Unlike the other handlers, a VM that is not SEV gets -EINVAL (as in
 * Linux 6.1).
 */
int sev_receive_update_data(struct kvm *kvm, struct kvm_sev_cmd *argp)
{
	struct sev_data_receive_update_data data = {};
	struct kvm_sev_receive_update_data params;
	void *hdr, *trans;
	struct sev_xfer_args a;
	struct page **page;
	unsigned long n;
	int ret;

	if (!sev_guest(kvm))
		return -EINVAL;
	if (copy_from_user(&params, sev_uptr(argp->data), sizeof(params)))
		return -EFAULT;

	sev_xfer_args_get(&a, params.hdr_uaddr, params.hdr_len,
			  params.guest_uaddr, params.guest_len,
			  params.trans_uaddr, params.trans_len);
	ret = sev_receive_update_check(&a);
	if (ret)
		return ret;

	hdr = psp_copy_user_blob(params.hdr_uaddr, params.hdr_len);
	if (IS_ERR(hdr))
		return PTR_ERR(hdr);
	trans = psp_copy_user_blob(params.trans_uaddr, params.trans_len);
	if (IS_ERR(trans)) {
		ret = PTR_ERR(trans);
		goto free_hdr;
	}

	page = sev_pin_memory(kvm, params.guest_uaddr & PAGE_MASK, PAGE_SIZE,
			      &n, FOLL_WRITE);
	if (IS_ERR(page)) {
		ret = PTR_ERR(page);
		goto free_trans;
	}

	/* The firmware writes the page with the guest's key */
	sev_clflush_pages(page, n);

	data.handle = to_sev(kvm)->handle;
	data.hdr_address = __psp_pa(hdr);
	data.hdr_len = params.hdr_len;
	data.trans_address = __psp_pa(trans);
	data.trans_len = params.trans_len;
	data.guest_address = (sev_page_pa(page[0]) +
			      offset_in_page(params.guest_uaddr)) |
			     sev_plat.me_mask;
	data.guest_len = params.guest_len;
	ret = sev_issue_cmd(kvm, SEV_CMD_RECEIVE_UPDATE_DATA, &data,
			    &argp->error);

	sev_dirty_pages(page, n);
	sev_unpin_memory(kvm, page, n);
free_trans:
	sev_fw_kfree(kvm, trans);
free_hdr:
	sev_fw_kfree(kvm, hdr);
	return ret;
}
