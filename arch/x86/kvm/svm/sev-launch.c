// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM_SEV_* launch commands: LAUNCH_START through LAUNCH_FINISH, plus
 * GUEST_STATUS and GET_ATTESTATION_REPORT.
 *
 * KVM keeps no launch state machine of its own: the firmware enforces the
 * order of the commands and reports violations in its status.
 */

#include <linux/kvm_host.h>
#include <linux/psp-sev.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "sev-kvm.h"
#include "sev-args.h"
#include "sev-pin.h"

static void __user *sev_uptr(u64 uaddr)
{
	return (void __user *)(uintptr_t)uaddr;
}

/**
 * sev_start_context() - create a guest context and bind the VM's ASID
 * @kvm: the VM
 * @argp: the command; its sev_fd must be a /dev/sev descriptor
 * @cmd: SEV_CMD_LAUNCH_START or SEV_CMD_RECEIVE_START
 * @data: the command's buffer
 * @handle: the buffer's handle field, written by the firmware
 * @policy: the guest policy, kept for debugfs
 *
 * Issues @cmd through @argp->sev_fd, then ACTIVATE. On failure nothing
 * stays behind: a context whose ACTIVATE failed is decommissioned; one
 * whose handle cannot reach userspace (at offset 0 of the argument) is
 * deactivated and decommissioned.
 */
int sev_start_context(struct kvm *kvm, struct kvm_sev_cmd *argp, int cmd,
		      void *data, u32 *handle, u32 policy)
{
	struct kvm_sev_info *sev = to_sev(kvm);
	struct sev_data_activate activate;
	struct sev_vm_ext *ext;
	struct file *file;
	int ret;

	BUILD_BUG_ON(offsetof(struct kvm_sev_launch_start, handle) ||
		     offsetof(struct kvm_sev_receive_start, handle));

	file = fget(argp->sev_fd);
	if (!file)
		return -EBADF;

	ret = sev_issue_cmd_file(file, cmd, data, &argp->error);
	sev_vm_fw_ret(kvm, ret);
	if (ret)
		goto out;

	/* the same firmware as the START's (a reload may come between) */
	activate.handle = *handle;
	activate.asid = sev->asid;
	ret = sev_issue_cmd_file(file, SEV_CMD_ACTIVATE, &activate,
				 &argp->error);
	if (ret) {
		sev_decommission(file, *handle);
		goto out;
	}

	if (put_user(*handle, (u32 __user *)sev_uptr(argp->data))) {
		sev_unbind_asid(file, *handle);
		ret = -EFAULT;
		goto out;
	}

	sev->handle = *handle;
	sev->fd = argp->sev_fd;
	ext = sev_ext_get(kvm, false);
	if (ext) {
		ext->policy = policy;
		sev_ext_set_file(ext, file);
	}
out:
	fput(file);
	return ret;
}

/* A blob for the firmware, or NULL when userspace gave no address */
static void *sev_opt_blob(u64 uaddr, u32 len, u64 *pa, u32 *fw_len)
{
	void *blob;

	if (!uaddr)
		return NULL;
	blob = psp_copy_user_blob(uaddr, len);
	if (!IS_ERR(blob)) {
		*pa = __psp_pa(blob);
		*fw_len = len;
	}
	return blob;
}

/**
 * sev_launch_start() - KVM_SEV_LAUNCH_START
 * @kvm: an SEV VM
 * @argp: the command; data points at struct kvm_sev_launch_start
 *
 * The guest owner's DH certificate and session blob are optional (16 KiB
 * each at most); the new handle is written back.
 */
int sev_launch_start(struct kvm *kvm, struct kvm_sev_cmd *argp)
{
	struct sev_data_launch_start start = {};
	struct kvm_sev_launch_start params;
	void *dh, *session = NULL;
	int ret;

	if (!sev_guest(kvm))
		return -ENOTTY;
	if (copy_from_user(&params, sev_uptr(argp->data), sizeof(params)))
		return -EFAULT;

	dh = sev_opt_blob(params.dh_uaddr, params.dh_len,
			  &start.dh_cert_address, &start.dh_cert_len);
	if (IS_ERR(dh))
		return PTR_ERR(dh);

	session = sev_opt_blob(params.session_uaddr, params.session_len,
			       &start.session_address, &start.session_len);
	if (IS_ERR(session)) {
		ret = PTR_ERR(session);
		session = NULL;
		goto out;
	}

	start.handle = params.handle;
	start.policy = params.policy;
	ret = sev_start_context(kvm, argp, SEV_CMD_LAUNCH_START, &start,
				&start.handle, params.policy);
out:
	sev_fw_kfree(kvm, session);
	sev_fw_kfree(kvm, dh);
	return ret;
}

/**
 * sev_launch_update_data() - KVM_SEV_LAUNCH_UPDATE_DATA
 * @kvm: an SEV VM
 * @argp: the command; data points at struct kvm_sev_launch_update_data
 *
 * Encrypts the range in place: one firmware command per physically
 * contiguous run of its pages. Alignment is the firmware's to check.
 */
int sev_launch_update_data(struct kvm *kvm, struct kvm_sev_cmd *argp)
{
	struct kvm_sev_launch_update_data params;
	struct sev_data_launch_update_data data;
	struct sev_run_iter it;
	struct sev_run run;
	struct page **pages;
	unsigned long npages;
	int ret = 0;

	if (!sev_guest(kvm))
		return -ENOTTY;
	if (copy_from_user(&params, sev_uptr(argp->data), sizeof(params)))
		return -EFAULT;

	pages = sev_pin_memory(kvm, params.uaddr, params.len, &npages,
			       FOLL_WRITE);
	if (IS_ERR(pages))
		return PTR_ERR(pages);

	/* The range was written in plain text; the firmware encrypts it */
	sev_clflush_pages(pages, npages);

	data.handle = to_sev(kvm)->handle;
	data.reserved = 0;
	sev_run_start(&it, pages, npages, params.uaddr, params.len);
	while (sev_run_next(&it, &run)) {
		data.address = sev_page_pa(pages[run.idx]) + run.offset;
		data.len = run.len;
		ret = sev_issue_cmd(kvm, SEV_CMD_LAUNCH_UPDATE_DATA, &data,
				    &argp->error);
		if (ret)
			break;
	}

	sev_dirty_pages(pages, npages);
	sev_unpin_memory(kvm, pages, npages);
	return ret;
}

/**
 * sev_launch_secret() - KVM_SEV_LAUNCH_SECRET
 * @kvm: an SEV VM
 * @argp: the command; data points at struct kvm_sev_launch_secret
 *
 * The firmware writes the secret into guest memory, which must be
 * physically contiguous.
 */
int sev_launch_secret(struct kvm *kvm, struct kvm_sev_cmd *argp)
{
	struct sev_data_launch_secret data = {};
	struct kvm_sev_launch_secret params;
	void *hdr = NULL, *trans = NULL;
	struct page **pages;
	unsigned long n;
	int ret;

	if (!sev_guest(kvm))
		return -ENOTTY;
	if (copy_from_user(&params, sev_uptr(argp->data), sizeof(params)))
		return -EFAULT;

	pages = sev_pin_memory(kvm, params.guest_uaddr, params.guest_len, &n,
			       FOLL_WRITE);
	if (IS_ERR(pages))
		return PTR_ERR(pages);

	sev_clflush_pages(pages, n);

	if (sev_contig_pages(pages, 0, n) != n) {
		ret = -EINVAL;
		goto unpin;
	}

	data.guest_address = sev_page_pa(pages[0]) +
			     offset_in_page(params.guest_uaddr);
	data.guest_len = params.guest_len;

	trans = psp_copy_user_blob(params.trans_uaddr, params.trans_len);
	if (IS_ERR(trans)) {
		ret = PTR_ERR(trans);
		trans = NULL;
		goto unpin;
	}
	data.trans_address = __psp_pa(trans);
	data.trans_len = params.trans_len;

	hdr = psp_copy_user_blob(params.hdr_uaddr, params.hdr_len);
	if (IS_ERR(hdr)) {
		ret = PTR_ERR(hdr);
		hdr = NULL;
		goto unpin;
	}
	data.hdr_address = __psp_pa(hdr);
	data.hdr_len = params.hdr_len;

	data.handle = to_sev(kvm)->handle;
	ret = sev_issue_cmd(kvm, SEV_CMD_LAUNCH_UPDATE_SECRET, &data,
			    &argp->error);
unpin:
	sev_fw_kfree(kvm, hdr);
	sev_fw_kfree(kvm, trans);
	sev_dirty_pages(pages, n);
	sev_unpin_memory(kvm, pages, n);
	return ret;
}

/*
 * LAUNCH_MEASURE and ATTESTATION_REPORT share the output-buffer contract:
 * len == 0 asks for the length, which is written back even though the
 * firmware fails the command (INVALID_LEN); with a buffer the length is
 * written back only on success.
 */
static int sev_out_buf_prepare(u64 uaddr, u32 len, void **blob, u64 *pa,
			       u32 *fw_len)
{
	int kind = sev_out_buf_kind(uaddr, len);

	*blob = NULL;
	if (kind != SEV_OUT_BUF)
		return kind;

	*blob = kzalloc(len, GFP_KERNEL_ACCOUNT);
	if (!*blob)
		return -ENOMEM;
	*pa = __psp_pa(*blob);
	*fw_len = len;
	return kind;
}

static int sev_out_buf_finish(int ret, int kind, void *blob, u64 uaddr,
			      u32 len, u32 fw_len, void __user *ulen)
{
	if (kind != SEV_OUT_QUERY) {
		if (ret)
			return ret;
		if (blob && copy_to_user(sev_uptr(uaddr), blob, len))
			ret = -EFAULT;
	}
	if (put_user(fw_len, (u32 __user *)ulen))
		ret = -EFAULT;
	return ret;
}

/**
 * sev_launch_measure() - KVM_SEV_LAUNCH_MEASURE
 * @kvm: an SEV VM
 * @argp: the command; data points at struct kvm_sev_launch_measure
 */
int sev_launch_measure(struct kvm *kvm, struct kvm_sev_cmd *argp)
{
	struct kvm_sev_launch_measure __user *uparams = sev_uptr(argp->data);
	struct sev_data_launch_measure data = {};
	struct kvm_sev_launch_measure params;
	void *blob;
	int kind, ret;

	if (!sev_guest(kvm))
		return -ENOTTY;
	if (copy_from_user(&params, uparams, sizeof(params)))
		return -EFAULT;

	kind = sev_out_buf_prepare(params.uaddr, params.len, &blob,
				   &data.address, &data.len);
	if (kind < 0)
		return kind;

	data.handle = to_sev(kvm)->handle;
	ret = sev_issue_cmd(kvm, SEV_CMD_LAUNCH_MEASURE, &data, &argp->error);
	ret = sev_out_buf_finish(ret, kind, blob, params.uaddr, params.len,
				 data.len, &uparams->len);
	sev_fw_kfree(kvm, blob);
	return ret;
}

/**
 * sev_attestation_report() - KVM_SEV_GET_ATTESTATION_REPORT
 * @kvm: an SEV VM
 * @argp: the command; data points at struct kvm_sev_attestation_report
 *
 * The nonce goes to the firmware only together with a buffer.
 */
int sev_attestation_report(struct kvm *kvm, struct kvm_sev_cmd *argp)
{
	struct kvm_sev_attestation_report __user *uparams =
		sev_uptr(argp->data);
	struct sev_data_attestation_report data = {};
	struct kvm_sev_attestation_report params;
	void *blob;
	int kind, ret;

	if (!sev_guest(kvm))
		return -ENOTTY;
	if (copy_from_user(&params, uparams, sizeof(params)))
		return -EFAULT;

	kind = sev_out_buf_prepare(params.uaddr, params.len, &blob,
				   &data.address, &data.len);
	if (kind < 0)
		return kind;
	if (blob)
		memcpy(data.mnonce, params.mnonce, sizeof(data.mnonce));

	data.handle = to_sev(kvm)->handle;
	ret = sev_issue_cmd(kvm, SEV_CMD_ATTESTATION_REPORT, &data,
			    &argp->error);
	ret = sev_out_buf_finish(ret, kind, blob, params.uaddr, params.len,
				 data.len, &uparams->len);
	sev_fw_kfree(kvm, blob);
	return ret;
}

/**
 * sev_launch_finish() - KVM_SEV_LAUNCH_FINISH
 * @kvm: an SEV VM
 * @argp: the command
 */
int sev_launch_finish(struct kvm *kvm, struct kvm_sev_cmd *argp)
{
	struct sev_data_launch_finish data;

	if (!sev_guest(kvm))
		return -ENOTTY;

	data.handle = to_sev(kvm)->handle;
	return sev_issue_cmd(kvm, SEV_CMD_LAUNCH_FINISH, &data, &argp->error);
}

/**
 * sev_guest_status() - KVM_SEV_GUEST_STATUS
 * @kvm: an SEV VM or a mirror
 * @argp: the command; data points at struct kvm_sev_guest_status (out)
 */
int sev_guest_status(struct kvm *kvm, struct kvm_sev_cmd *argp)
{
	struct sev_data_guest_status data = {};
	struct kvm_sev_guest_status params;
	int ret;

	if (!sev_guest(kvm))
		return -ENOTTY;

	data.handle = to_sev(kvm)->handle;
	ret = sev_issue_cmd(kvm, SEV_CMD_GUEST_STATUS, &data, &argp->error);
	if (ret)
		return ret;

	params.handle = data.handle;
	params.policy = data.policy;
	params.state = data.state;
	if (copy_to_user(sev_uptr(argp->data), &params, sizeof(params)))
		return -EFAULT;
	return 0;
}
