// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SEV device: platform lifecycle, /dev/sev and the in-kernel SEV API
 * over whichever PSP mailbox (hardware or software firmware) is bound.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

/*
 * The exported functions' symbol versions are computed from the types in
 * their prototypes, expanded with every definition visible here. This list
 * of headers gives the same expansion as the distribution's ccp.ko, so
 * that KVM modules built for it load over this driver and vice versa. Keep
 * headers that define more of what struct file reaches (seq_file.h, and
 * debugfs.h which includes it) out of this file.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/interrupt.h>
#include <linux/spinlock.h>
#include <linux/spinlock_types.h>
#include <linux/types.h>
#include <linux/mutex.h>
#include <linux/delay.h>
#include <linux/hw_random.h>
#include <linux/ccp.h>
#include <linux/firmware.h>
#include <linux/gfp.h>
#include <linux/cpufeature.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/device.h>
#include <linux/list.h>
#include <linux/bits.h>
#include <linux/wait.h>
#include <linux/dmapool.h>
#include <linux/bitops.h>
#include <linux/irqreturn.h>
#include <linux/dmaengine.h>
#include <linux/psp-sev.h>
#include <linux/miscdevice.h>
#include <linux/capability.h>

#include <asm/smp.h>
#include <asm/cacheflush.h>

#include <linux/cred.h>
#include <linux/kref.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "psp-backend.h"
#include "psp-mbox.h"
#include "sev-dev.h"

#define SEV_DEVICE_NAME		"sev"

/* The SEV-ES trusted memory region: 1 MiB, 1 MiB aligned */
#define SEV_ES_TMR_SIZE		SZ_1M

/* INIT_EX non-volatile store: 32 KiB, page aligned */
#define SEV_NV_LEN		SZ_32K

static int psp_cmd_timeout = 100;
module_param(psp_cmd_timeout, int, 0644);
MODULE_PARM_DESC(psp_cmd_timeout, "Timeout of a PSP command, in seconds (default 100)");

static int psp_probe_timeout = 5;
module_param(psp_probe_timeout, int, 0644);
MODULE_PARM_DESC(psp_probe_timeout, "Timeout of PSP commands until the first one completes, in seconds (default 5)");

static char *init_ex_path;
module_param(init_ex_path, charp, 0444);
MODULE_PARM_DESC(init_ex_path, "File holding the firmware's non-volatile data; when set, the platform is initialised with INIT_EX");

static bool psp_init_on_probe = true;
module_param(psp_init_on_probe, bool, 0444);
MODULE_PARM_DESC(psp_init_on_probe, "Initialise the SEV platform when the PSP is bound (default true); otherwise on first use");

/* Serializes binding and unbinding; taken before sev_cmd_mutex */
static DEFINE_MUTEX(sev_bind_mutex);
/* Serializes firmware commands and platform state; guards sev_cur */
static DEFINE_MUTEX(sev_cmd_mutex);
/* The bound SEV device, or NULL */
static struct sev_device *sev_cur;

static const struct file_operations sev_fops;

static size_t sev_cmd_buffer_len(unsigned int cmd)
{
	switch (cmd) {
	case SEV_CMD_INIT:
		return sizeof(struct sev_data_init);
	case SEV_CMD_INIT_EX:
		return sizeof(struct sev_data_init_ex);
	case SEV_CMD_PLATFORM_STATUS:
		return sizeof(struct sev_user_data_status);
	case SEV_CMD_PEK_CSR:
		return sizeof(struct sev_data_pek_csr);
	case SEV_CMD_PEK_CERT_IMPORT:
		return sizeof(struct sev_data_pek_cert_import);
	case SEV_CMD_PDH_CERT_EXPORT:
		return sizeof(struct sev_data_pdh_cert_export);
	case SEV_CMD_DOWNLOAD_FIRMWARE:
		return sizeof(struct sev_data_download_firmware);
	case SEV_CMD_GET_ID:
		return sizeof(struct sev_data_get_id);
	case SEV_CMD_DECOMMISSION:
		return sizeof(struct sev_data_decommission);
	case SEV_CMD_ACTIVATE:
		return sizeof(struct sev_data_activate);
	case SEV_CMD_DEACTIVATE:
		return sizeof(struct sev_data_deactivate);
	case SEV_CMD_GUEST_STATUS:
		return sizeof(struct sev_data_guest_status);
	case SEV_CMD_LAUNCH_START:
		return sizeof(struct sev_data_launch_start);
	case SEV_CMD_LAUNCH_UPDATE_DATA:
		return sizeof(struct sev_data_launch_update_data);
	case SEV_CMD_LAUNCH_UPDATE_VMSA:
		return sizeof(struct sev_data_launch_update_vmsa);
	case SEV_CMD_LAUNCH_MEASURE:
		return sizeof(struct sev_data_launch_measure);
	case SEV_CMD_LAUNCH_UPDATE_SECRET:
		return sizeof(struct sev_data_launch_secret);
	case SEV_CMD_LAUNCH_FINISH:
		return sizeof(struct sev_data_launch_finish);
	case SEV_CMD_ATTESTATION_REPORT:
		return sizeof(struct sev_data_attestation_report);
	case SEV_CMD_SEND_START:
		return sizeof(struct sev_data_send_start);
	case SEV_CMD_SEND_UPDATE_DATA:
		return sizeof(struct sev_data_send_update_data);
	case SEV_CMD_SEND_UPDATE_VMSA:
		return sizeof(struct sev_data_send_update_vmsa);
	case SEV_CMD_SEND_FINISH:
		return sizeof(struct sev_data_send_finish);
	case SEV_CMD_SEND_CANCEL:
		return sizeof(struct sev_data_send_cancel);
	case SEV_CMD_RECEIVE_START:
		return sizeof(struct sev_data_receive_start);
	case SEV_CMD_RECEIVE_UPDATE_DATA:
		return sizeof(struct sev_data_receive_update_data);
	case SEV_CMD_RECEIVE_UPDATE_VMSA:
		return sizeof(struct sev_data_receive_update_vmsa);
	case SEV_CMD_RECEIVE_FINISH:
		return sizeof(struct sev_data_receive_finish);
	case SEV_CMD_DBG_DECRYPT:
	case SEV_CMD_DBG_ENCRYPT:
		return sizeof(struct sev_data_dbg);
	default:
		return 0;
	}
}

static unsigned int sev_timeout_ms(int seconds)
{
	if (seconds <= 0)
		return 0;

	return min_t(unsigned int, seconds, UINT_MAX / MSEC_PER_SEC) *
	       MSEC_PER_SEC;
}

/* ---- INIT_EX non-volatile store ---- */

/* Open @path relative to init's root with root's file system identity */
static struct file *sev_open_as_root(const char *path, int flags,
				     umode_t mode)
{
	const struct cred *old;
	struct cred *cred;
	struct path root;
	struct file *fp;

	cred = prepare_creds();
	if (!cred)
		return ERR_PTR(-ENOMEM);
	cred->fsuid = GLOBAL_ROOT_UID;

	task_lock(&init_task);
	get_fs_root(init_task.fs, &root);
	task_unlock(&init_task);

	old = override_creds(cred);
	fp = file_open_root(&root, path, flags, mode);
	revert_creds(old);

	put_cred(cred);
	path_put(&root);
	return fp;
}

static int sev_nv_read(struct sev_device *sev)
{
	struct file *fp;
	loff_t pos = 0;
	ssize_t n;

	fp = sev_open_as_root(init_ex_path, O_RDONLY, 0);
	if (IS_ERR(fp)) {
		if (PTR_ERR(fp) == -ENOENT) {
			dev_info(sev->dev, "SEV: %s does not exist yet, it is created after INIT_EX\n",
				 init_ex_path);
			return 0;
		}
		dev_err(sev->dev, "SEV: cannot open %s for reading: %ld\n",
			init_ex_path, PTR_ERR(fp));
		return PTR_ERR(fp);
	}

	n = kernel_read(fp, sev->nv_buf, SEV_NV_LEN, &pos);
	if (n != SEV_NV_LEN)
		dev_info(sev->dev, "SEV: read %zd of %u bytes of non-volatile data from %s\n",
			 n, SEV_NV_LEN, init_ex_path);
	filp_close(fp, NULL);
	return 0;
}

static int sev_nv_write(struct sev_device *sev)
{
	struct file *fp;
	loff_t pos = 0;
	ssize_t n;

	fp = sev_open_as_root(init_ex_path, O_CREAT | O_WRONLY, 0600);
	if (IS_ERR(fp)) {
		dev_err(sev->dev, "SEV: cannot open %s for writing: %ld\n",
			init_ex_path, PTR_ERR(fp));
		return PTR_ERR(fp);
	}

	n = kernel_write(fp, sev->nv_buf, SEV_NV_LEN, &pos);
	vfs_fsync(fp, 0);
	filp_close(fp, NULL);

	if (n != SEV_NV_LEN) {
		dev_err(sev->dev, "SEV: wrote %zd of %u bytes of non-volatile data to %s\n",
			n, SEV_NV_LEN, init_ex_path);
		return -EIO;
	}

	return 0;
}

/*
 * The commands after which the firmware has changed its non-volatile data;
 * INIT_EX's own write is sev_platform_init_locked()'s, which must undo the
 * INIT when the data cannot be saved
 */
static int sev_nv_write_after(struct sev_device *sev, unsigned int cmd)
{
	if (!sev->nv_buf)
		return 0;

	switch (cmd) {
	case SEV_CMD_FACTORY_RESET:
	case SEV_CMD_PDH_GEN:
	case SEV_CMD_PEK_CERT_IMPORT:
	case SEV_CMD_PEK_GEN:
		return sev_nv_write(sev);
	default:
		return 0;
	}
}

/* ---- commands ---- */

/*
 * Free a buffer that was handed to the firmware by a command that returned
 * @ret: a timed-out command that could not be stopped may still write it,
 * so it is then quarantined instead
 */
static void sev_fw_free(void *buf, size_t len, int ret)
{
	if (buf && psp_quarantine_needed(ret))
		psp_quarantine_buf(buf, len);
	else
		kfree(buf);
}

int sev_do_cmd_locked(struct sev_device *sev, unsigned int cmd, void *data,
		      int *psp_ret)
{
	struct psp_mbox *mbox = sev->mbox;
	size_t len = sev_cmd_buffer_len(cmd);
	int ret;

	lockdep_assert_held(&sev_cmd_mutex);

	if (!mbox)
		return -ENODEV;

	if (!data != !len) {
		dev_warn_once(sev->dev, "SEV: command %s (%#x) with%s a buffer\n",
			      psp_cmd_name(cmd), cmd, data ? "" : "out");
		return -EINVAL;
	}

	WRITE_ONCE(mbox->probe_timeout_ms,
		   sev_timeout_ms(READ_ONCE(psp_probe_timeout)));
	WRITE_ONCE(mbox->cmd_timeout_ms,
		   sev_timeout_ms(READ_ONCE(psp_cmd_timeout)));

	ret = psp_mbox_cmd(mbox, cmd, data, len, psp_ret);
	if (ret)
		return ret;

	return sev_nv_write_after(sev, cmd);
}

int sev_do_cmd(struct sev_device *sev, unsigned int cmd, void *data,
	       int *psp_ret)
{
	int ret;

	mutex_lock(&sev_cmd_mutex);
	ret = sev_do_cmd_locked(sev, cmd, data, psp_ret);
	mutex_unlock(&sev_cmd_mutex);

	return ret;
}

/* A command for the bound device, from the in-kernel API */
static int sev_do_cur_cmd(unsigned int cmd, void *data, int *psp_ret)
{
	int ret = -ENODEV;

	mutex_lock(&sev_cmd_mutex);
	if (sev_cur)
		ret = sev_do_cmd_locked(sev_cur, cmd, data, psp_ret);
	mutex_unlock(&sev_cmd_mutex);

	return ret;
}

int sev_update_status(struct sev_device *sev)
{
	struct sev_user_data_status status;
	int error = SEV_RET_NO_FW_CALL;
	int ret;

	memset(&status, 0, sizeof(status));
	ret = sev_do_cmd(sev, SEV_CMD_PLATFORM_STATUS, &status, &error);
	if (ret) {
		dev_err(sev->dev, "SEV: PLATFORM_STATUS failed: %s (%#x), rc %d\n",
			psp_status_name(error), error, ret);
		return ret;
	}

	sev->api_major = status.api_major;
	sev->api_minor = status.api_minor;
	sev->build = status.build;
	sev->state = status.state;
	return 0;
}

/* ---- platform lifecycle ---- */

static int sev_init_cmd(struct sev_device *sev, int *psp_ret)
{
	struct sev_data_init_ex ex;
	struct sev_data_init init;

	if (sev->nv_buf) {
		memset(&ex, 0, sizeof(ex));
		ex.length = sizeof(ex);
		ex.nv_address = __psp_pa(sev->nv_buf);
		ex.nv_len = SEV_NV_LEN;
		if (sev->tmr) {
			/* the TMR address goes without the encryption bit */
			ex.flags = SEV_INIT_FLAGS_SEV_ES;
			ex.tmr_address = __pa(sev->tmr);
			ex.tmr_len = SEV_ES_TMR_SIZE;
		}
		return sev_do_cmd_locked(sev, SEV_CMD_INIT_EX, &ex, psp_ret);
	}

	memset(&init, 0, sizeof(init));
	if (sev->tmr) {
		init.flags = SEV_INIT_FLAGS_SEV_ES;
		init.tmr_address = __pa(sev->tmr);
		init.tmr_len = SEV_ES_TMR_SIZE;
	}
	return sev_do_cmd_locked(sev, SEV_CMD_INIT, &init, psp_ret);
}

static int sev_platform_init_locked(struct sev_device *sev, int *error)
{
	int psp_ret = SEV_RET_NO_FW_CALL;
	int ret;

	if (!sev->mbox)
		return -ENODEV;

	if (sev->state == SEV_STATE_INIT)
		return 0;

	if (sev->nv_buf) {
		ret = sev_nv_read(sev);
		if (ret)
			return ret;
	}

	ret = sev_init_cmd(sev, &psp_ret);
	if (ret && psp_ret == SEV_RET_SECURE_DATA_INVALID) {
		/* the firmware replaces invalid persistent data on a retry */
		dev_warn(sev->dev, "SEV: INIT failed with %s, retrying once\n",
			 psp_status_name(psp_ret));
		ret = sev_init_cmd(sev, &psp_ret);
	}

	if (error)
		*error = psp_ret;
	if (ret)
		return ret;

	/*
	 * INIT_EX may have written new persistent data. If it cannot be
	 * saved, the platform goes back to UNINIT, so that the driver and
	 * the firmware agree and a later INIT_EX can try again.
	 */
	if (sev->nv_buf) {
		ret = sev_nv_write(sev);
		if (ret) {
			dev_err(sev->dev, "SEV: non-volatile data not saved (%d): shutting the platform down again\n",
				ret);
			if (sev_do_cmd_locked(sev, SEV_CMD_SHUTDOWN, NULL, NULL))
				dev_err(sev->dev, "SEV: SHUTDOWN after INIT_EX failed\n");
			return ret;
		}
	}

	sev->state = SEV_STATE_INIT;

	/* the first guest launch after INIT needs clean caches */
	wbinvd_on_all_cpus();
	ret = sev_do_cmd_locked(sev, SEV_CMD_DF_FLUSH, NULL, error);
	if (ret)
		return ret;

	dev_info(sev->dev, "SEV API:%d.%d build:%d\n", sev->api_major,
		 sev->api_minor, sev->build);
	return 0;
}

static int sev_platform_shutdown_locked(struct sev_device *sev, int *error)
{
	int ret;

	if (!sev->mbox || sev->state == SEV_STATE_UNINIT)
		return 0;

	ret = sev_do_cmd_locked(sev, SEV_CMD_SHUTDOWN, NULL, error);
	if (ret)
		return ret;

	sev->state = SEV_STATE_UNINIT;
	return 0;
}

/* ---- /dev/sev ---- */

static int sev_ioctl_factory_reset(struct sev_device *sev,
				   struct sev_issue_cmd *argp, bool writable)
{
	struct sev_user_data_status status;
	int ret;

	if (!writable)
		return -EPERM;

	/* FACTORY_RESET is legal in UNINIT only, and never with guests */
	memset(&status, 0, sizeof(status));
	ret = sev_do_cmd_locked(sev, SEV_CMD_PLATFORM_STATUS, &status,
				&argp->error);
	if (ret)
		return ret;

	if (status.state == SEV_STATE_WORKING)
		return -EBUSY;

	if (status.state == SEV_STATE_INIT) {
		ret = sev_do_cmd_locked(sev, SEV_CMD_SHUTDOWN, NULL,
					&argp->error);
		if (ret)
			return ret;
		sev->state = SEV_STATE_UNINIT;
	}

	return sev_do_cmd_locked(sev, SEV_CMD_FACTORY_RESET, NULL,
				 &argp->error);
}

static int sev_ioctl_platform_status(struct sev_device *sev,
				     struct sev_issue_cmd *argp)
{
	struct sev_user_data_status status;
	int ret;

	memset(&status, 0, sizeof(status));
	ret = sev_do_cmd_locked(sev, SEV_CMD_PLATFORM_STATUS, &status,
				&argp->error);
	if (ret)
		return ret;

	if (copy_to_user(u64_to_user_ptr(argp->data), &status, sizeof(status)))
		return -EFAULT;

	return 0;
}

/* PEK_GEN and PDH_GEN: no buffer, the platform is initialised first */
static int sev_ioctl_key_gen(struct sev_device *sev, unsigned int cmd,
			     struct sev_issue_cmd *argp, bool writable)
{
	int ret;

	if (!writable)
		return -EPERM;

	if (sev->state == SEV_STATE_UNINIT) {
		ret = sev_platform_init_locked(sev, &argp->error);
		if (ret)
			return ret;
	}

	return sev_do_cmd_locked(sev, cmd, NULL, &argp->error);
}

static int sev_ioctl_pek_csr(struct sev_device *sev,
			     struct sev_issue_cmd *argp, bool writable)
{
	struct sev_user_data_pek_csr input;
	struct sev_data_pek_csr data;
	void *blob = NULL;
	u32 blob_len = 0;
	int ret, fw_ret = 0;

	if (!writable)
		return -EPERM;

	if (copy_from_user(&input, u64_to_user_ptr(argp->data), sizeof(input)))
		return -EFAULT;

	memset(&data, 0, sizeof(data));

	/* a zero address or length asks for the length only */
	if (input.address && input.length) {
		if (input.length > SEV_FW_BLOB_MAX_SIZE)
			return -EFAULT;

		blob_len = input.length;
		blob = kzalloc(blob_len, GFP_KERNEL);
		if (!blob)
			return -ENOMEM;

		data.address = __psp_pa(blob);
		data.len = blob_len;
	}

	if (sev->state == SEV_STATE_UNINIT) {
		ret = sev_platform_init_locked(sev, &argp->error);
		if (ret)
			goto out;
	}

	ret = sev_do_cmd_locked(sev, SEV_CMD_PEK_CSR, &data, &argp->error);
	fw_ret = ret;

	/* the firmware reports the length it needs or wrote */
	input.length = data.len;
	if (copy_to_user(u64_to_user_ptr(argp->data), &input, sizeof(input))) {
		ret = -EFAULT;
		goto out;
	}

	if (ret || !blob)
		goto out;

	if (copy_to_user(u64_to_user_ptr(input.address), blob,
			 min(data.len, blob_len)))
		ret = -EFAULT;
out:
	sev_fw_free(blob, blob_len, fw_ret);
	return ret;
}

static int sev_ioctl_pek_cert_import(struct sev_device *sev,
				     struct sev_issue_cmd *argp, bool writable)
{
	struct sev_user_data_pek_cert_import input;
	struct sev_data_pek_cert_import data;
	void *pek, *oca;
	int ret;

	if (!writable)
		return -EPERM;

	if (copy_from_user(&input, u64_to_user_ptr(argp->data), sizeof(input)))
		return -EFAULT;

	pek = psp_copy_user_blob(input.pek_cert_address, input.pek_cert_len);
	if (IS_ERR(pek))
		return PTR_ERR(pek);

	oca = psp_copy_user_blob(input.oca_cert_address, input.oca_cert_len);
	if (IS_ERR(oca)) {
		ret = PTR_ERR(oca);
		goto free_pek;
	}

	memset(&data, 0, sizeof(data));
	data.pek_cert_address = __psp_pa(pek);
	data.pek_cert_len = input.pek_cert_len;
	data.oca_cert_address = __psp_pa(oca);
	data.oca_cert_len = input.oca_cert_len;

	if (sev->state != SEV_STATE_INIT) {
		ret = sev_platform_init_locked(sev, &argp->error);
		if (ret)
			goto free_oca;
	}

	ret = sev_do_cmd_locked(sev, SEV_CMD_PEK_CERT_IMPORT, &data,
				&argp->error);
free_oca:
	sev_fw_free(oca, input.oca_cert_len, ret);
free_pek:
	sev_fw_free(pek, input.pek_cert_len, ret);
	return ret;
}

static int sev_ioctl_pdh_cert_export(struct sev_device *sev,
				     struct sev_issue_cmd *argp, bool writable)
{
	struct sev_user_data_pdh_cert_export input;
	struct sev_data_pdh_cert_export data;
	void *pdh = NULL, *chain = NULL;
	u32 pdh_len = 0, chain_len = 0;
	int ret, fw_ret = 0;

	/* exporting needs INIT; only a writer may initialise the platform */
	if (sev->state != SEV_STATE_INIT) {
		if (!writable)
			return -EPERM;

		ret = sev_platform_init_locked(sev, &argp->error);
		if (ret)
			return ret;
	}

	if (copy_from_user(&input, u64_to_user_ptr(argp->data), sizeof(input)))
		return -EFAULT;

	memset(&data, 0, sizeof(data));

	/* any zero address or length asks for the lengths only */
	if (input.pdh_cert_address && input.pdh_cert_len &&
	    input.cert_chain_address && input.cert_chain_len) {
		if (input.pdh_cert_len > SEV_FW_BLOB_MAX_SIZE ||
		    input.cert_chain_len > SEV_FW_BLOB_MAX_SIZE)
			return -EFAULT;

		pdh_len = input.pdh_cert_len;
		chain_len = input.cert_chain_len;
		pdh = kzalloc(pdh_len, GFP_KERNEL);
		chain = kzalloc(chain_len, GFP_KERNEL);
		if (!pdh || !chain) {
			ret = -ENOMEM;
			goto out;
		}

		data.pdh_cert_address = __psp_pa(pdh);
		data.pdh_cert_len = pdh_len;
		data.cert_chain_address = __psp_pa(chain);
		data.cert_chain_len = chain_len;
	}

	ret = sev_do_cmd_locked(sev, SEV_CMD_PDH_CERT_EXPORT, &data,
				&argp->error);
	fw_ret = ret;

	/* the firmware reports the lengths it needs or wrote */
	input.pdh_cert_len = data.pdh_cert_len;
	input.cert_chain_len = data.cert_chain_len;
	if (copy_to_user(u64_to_user_ptr(argp->data), &input, sizeof(input))) {
		ret = -EFAULT;
		goto out;
	}

	if (ret || !pdh)
		goto out;

	if (copy_to_user(u64_to_user_ptr(input.pdh_cert_address), pdh,
			 min(data.pdh_cert_len, pdh_len)) ||
	    copy_to_user(u64_to_user_ptr(input.cert_chain_address), chain,
			 min(data.cert_chain_len, chain_len)))
		ret = -EFAULT;
out:
	sev_fw_free(chain, chain_len, fw_ret);
	sev_fw_free(pdh, pdh_len, fw_ret);
	return ret;
}

/* SEV_GET_ID (deprecated): a fixed 128-byte identifier */
static int sev_ioctl_get_id(struct sev_device *sev,
			    struct sev_issue_cmd *argp)
{
	struct sev_user_data_get_id *id;
	struct sev_data_get_id data;
	int ret;

	if (!sev_version_ge(sev, 0, 16))
		return -ENOTSUPP;

	id = kzalloc(sizeof(*id), GFP_KERNEL);
	if (!id)
		return -ENOMEM;

	memset(&data, 0, sizeof(data));
	data.address = __psp_pa(id);
	data.len = sizeof(*id);

	ret = sev_do_cmd_locked(sev, SEV_CMD_GET_ID, &data, &argp->error);
	if (!ret &&
	    copy_to_user(u64_to_user_ptr(argp->data), id,
			 min_t(u32, data.len, sizeof(*id))))
		ret = -EFAULT;

	sev_fw_free(id, sizeof(*id), ret);
	return ret;
}

static int sev_ioctl_get_id2(struct sev_device *sev,
			     struct sev_issue_cmd *argp)
{
	struct sev_user_data_get_id2 input;
	struct sev_data_get_id data;
	void *id = NULL;
	u32 id_len = 0;
	int ret, fw_ret = 0;

	if (!sev_version_ge(sev, 0, 16))
		return -ENOTSUPP;

	if (copy_from_user(&input, u64_to_user_ptr(argp->data), sizeof(input)))
		return -EFAULT;

	memset(&data, 0, sizeof(data));

	/*
	 * The identifier's length is the firmware's business: no cap here
	 * beyond what the allocator gives, and a zero address or length asks
	 * for the length only.
	 */
	if (input.address && input.length) {
		id_len = input.length;
		id = kzalloc(id_len, GFP_KERNEL | __GFP_NOWARN);
		if (!id)
			return -ENOMEM;

		data.address = __psp_pa(id);
		data.len = id_len;
	}

	ret = sev_do_cmd_locked(sev, SEV_CMD_GET_ID, &data, &argp->error);
	fw_ret = ret;

	input.length = data.len;
	if (copy_to_user(u64_to_user_ptr(argp->data), &input, sizeof(input))) {
		ret = -EFAULT;
		goto out;
	}

	if (ret || !id)
		goto out;

	if (copy_to_user(u64_to_user_ptr(input.address), id,
			 min(data.len, id_len)))
		ret = -EFAULT;
out:
	sev_fw_free(id, id_len, fw_ret);
	return ret;
}

static int sev_ioctl_dispatch(struct sev_device *sev,
			      struct sev_issue_cmd *input, bool writable)
{
	switch (input->cmd) {
	case SEV_FACTORY_RESET:
		return sev_ioctl_factory_reset(sev, input, writable);
	case SEV_PLATFORM_STATUS:
		return sev_ioctl_platform_status(sev, input);
	case SEV_PEK_GEN:
		return sev_ioctl_key_gen(sev, SEV_CMD_PEK_GEN, input, writable);
	case SEV_PDH_GEN:
		return sev_ioctl_key_gen(sev, SEV_CMD_PDH_GEN, input, writable);
	case SEV_PEK_CSR:
		return sev_ioctl_pek_csr(sev, input, writable);
	case SEV_PEK_CERT_IMPORT:
		return sev_ioctl_pek_cert_import(sev, input, writable);
	case SEV_PDH_CERT_EXPORT:
		return sev_ioctl_pdh_cert_export(sev, input, writable);
	case SEV_GET_ID:
		pr_warn_once("SEV_GET_ID is deprecated, use SEV_GET_ID2\n");
		return sev_ioctl_get_id(sev, input);
	case SEV_GET_ID2:
		return sev_ioctl_get_id2(sev, input);
	default:
		return -EINVAL;
	}
}

static long sev_ioctl(struct file *file, unsigned int ioctl,
		      unsigned long arg)
{
	struct sev_device *sev = file->private_data;
	bool writable = file->f_mode & FMODE_WRITE;
	void __user *argp = (void __user *)arg;
	struct sev_issue_cmd input;
	long ret;

	if (!READ_ONCE(sev->mbox))
		return -ENODEV;

	if (ioctl != SEV_ISSUE_CMD)
		return -EINVAL;

	if (copy_from_user(&input, argp, sizeof(input)))
		return -EFAULT;

	if (input.cmd >= SEV_MAX)
		return -EINVAL;

	if (mutex_lock_killable(&sev_cmd_mutex))
		return -EINTR;

	if (!sev->mbox) {
		ret = -ENODEV;
		goto unlock;
	}

	ret = sev_ioctl_dispatch(sev, &input, writable);

	/* the firmware status goes back with every command */
	if (copy_to_user(argp, &input, sizeof(input)))
		ret = -EFAULT;
unlock:
	mutex_unlock(&sev_cmd_mutex);
	return ret;
}

static void sev_dev_release(struct kref *ref)
{
	kfree(container_of(ref, struct sev_device, ref));
}

static int sev_open(struct inode *inode, struct file *file)
{
	struct miscdevice *misc = file->private_data;
	struct sev_device *sev = container_of(misc, struct sev_device, misc);

	/* registered, so the binding's reference is still held */
	kref_get(&sev->ref);
	file->private_data = sev;
	return 0;
}

static int sev_release(struct inode *inode, struct file *file)
{
	struct sev_device *sev = file->private_data;

	kref_put(&sev->ref, sev_dev_release);
	return 0;
}

static const struct file_operations sev_fops = {
	.owner = THIS_MODULE,
	.open = sev_open,
	.release = sev_release,
	.unlocked_ioctl = sev_ioctl,
};

/* ---- exported in-kernel API ---- */

/**
 * sev_platform_init() - initialise the SEV platform
 * @error: receives the firmware status, or SEV_RET_NO_FW_CALL; may be NULL
 *
 * Issues INIT (or INIT_EX when a non-volatile data file is configured),
 * retrying once if the firmware reports invalid persistent data, then
 * flushes the caches and the data fabric (WBINVD, DF_FLUSH). Does nothing
 * when the platform is initialised already.
 *
 * Return: 0, -ENODEV if no PSP is bound, or the error of the failed step
 * (-EIO with the firmware status in *@error).
 */
int sev_platform_init(int *error)
{
	int ret = -ENODEV;

	mutex_lock(&sev_cmd_mutex);
	if (sev_cur)
		ret = sev_platform_init_locked(sev_cur, error);
	mutex_unlock(&sev_cmd_mutex);

	return ret;
}
EXPORT_SYMBOL_GPL(sev_platform_init);

/**
 * sev_platform_status() - issue PLATFORM_STATUS
 * @status: receives the firmware's platform status
 * @error: receives the firmware status code; may be NULL
 *
 * Return: 0, -ENODEV if no PSP is bound, -EIO with the status in *@error,
 * or another error of the mailbox.
 */
int sev_platform_status(struct sev_user_data_status *status, int *error)
{
	return sev_do_cur_cmd(SEV_CMD_PLATFORM_STATUS, status, error);
}
EXPORT_SYMBOL_GPL(sev_platform_status);

/**
 * sev_issue_cmd_external_user() - issue a firmware command for a /dev/sev
 *				   file holder
 * @filep: an open /dev/sev file, proving the caller may use the firmware
 * @cmd: firmware command id
 * @data: the command buffer for @cmd (NULL for commands without one)
 * @error: receives the firmware status; may be NULL
 *
 * Return: 0, -EBADF if @filep is not /dev/sev, -ENODEV if its PSP is gone,
 * -EIO with the status in *@error, or another error of the mailbox.
 */
int sev_issue_cmd_external_user(struct file *filep, unsigned int cmd,
				void *data, int *error)
{
	if (!filep || filep->f_op != &sev_fops)
		return -EBADF;

	return sev_do_cmd(filep->private_data, cmd, data, error);
}
EXPORT_SYMBOL_GPL(sev_issue_cmd_external_user);

/**
 * sev_guest_activate() - issue ACTIVATE: bind a guest's key to an ASID
 * @data: guest handle and ASID
 * @error: receives the firmware status; may be NULL
 *
 * Return: 0, -ENODEV if no PSP is bound, -EIO with the status in *@error,
 * or another error of the mailbox.
 */
int sev_guest_activate(struct sev_data_activate *data, int *error)
{
	return sev_do_cur_cmd(SEV_CMD_ACTIVATE, data, error);
}
EXPORT_SYMBOL_GPL(sev_guest_activate);

/**
 * sev_guest_deactivate() - issue DEACTIVATE: unbind a guest from its ASID
 * @data: guest handle
 * @error: receives the firmware status; may be NULL
 *
 * Return: 0, -ENODEV if no PSP is bound, -EIO with the status in *@error,
 * or another error of the mailbox.
 */
int sev_guest_deactivate(struct sev_data_deactivate *data, int *error)
{
	return sev_do_cur_cmd(SEV_CMD_DEACTIVATE, data, error);
}
EXPORT_SYMBOL_GPL(sev_guest_deactivate);

/**
 * sev_guest_decommission() - issue DECOMMISSION: destroy a guest context
 * @data: guest handle
 * @error: receives the firmware status; may be NULL
 *
 * Return: 0, -ENODEV if no PSP is bound, -EIO with the status in *@error,
 * or another error of the mailbox.
 */
int sev_guest_decommission(struct sev_data_decommission *data, int *error)
{
	return sev_do_cur_cmd(SEV_CMD_DECOMMISSION, data, error);
}
EXPORT_SYMBOL_GPL(sev_guest_decommission);

/**
 * sev_guest_df_flush() - issue DF_FLUSH: flush the data fabric write
 *			  buffers so that deactivated ASIDs can be reused
 * @error: receives the firmware status; may be NULL
 *
 * The caller must have run WBINVD on all CPUs first.
 *
 * Return: 0, -ENODEV if no PSP is bound, -EIO with the status in *@error,
 * or another error of the mailbox.
 */
int sev_guest_df_flush(int *error)
{
	return sev_do_cur_cmd(SEV_CMD_DF_FLUSH, NULL, error);
}
EXPORT_SYMBOL_GPL(sev_guest_df_flush);

/**
 * psp_copy_user_blob() - copy a user blob for the firmware
 * @uaddr: user address
 * @len: length, at most SEV_FW_BLOB_MAX_SIZE
 *
 * Return: a kmalloc'ed copy (physically contiguous) to be kfree'd, or
 * ERR_PTR(-EINVAL) for a zero address or length or an oversized blob, or
 * the error of memdup_user().
 */
void *psp_copy_user_blob(u64 uaddr, u32 len)
{
	if (!uaddr || !len || len > SEV_FW_BLOB_MAX_SIZE)
		return ERR_PTR(-EINVAL);

	return memdup_user(u64_to_user_ptr(uaddr), len);
}
EXPORT_SYMBOL_GPL(psp_copy_user_blob);

/* ---- binding ---- */

static void *sev_alloc_tmr(void)
{
	struct page *page;
	void *tmr;

	/* a 1 MiB block from the page allocator is 1 MiB aligned */
	page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, get_order(SEV_ES_TMR_SIZE));
	if (!page)
		return NULL;

	tmr = page_address(page);
	/* the firmware owns it from now on: no dirty lines may remain */
	clflush_cache_range(tmr, SEV_ES_TMR_SIZE);
	return tmr;
}

static void sev_free_memory(struct sev_device *sev, bool quarantined)
{
	/* the firmware keeps the TMR and the NV area's address */
	if (quarantined) {
		psp_quarantine_page_buf(sev->tmr, SEV_ES_TMR_SIZE);
		psp_quarantine_page_buf(sev->nv_buf, SEV_NV_LEN);
		sev->tmr = NULL;
		sev->nv_buf = NULL;
		return;
	}

	if (sev->tmr) {
		/* the firmware wrote it encrypted: flush before reuse */
		wbinvd_on_all_cpus();
		free_pages((unsigned long)sev->tmr, get_order(SEV_ES_TMR_SIZE));
		sev->tmr = NULL;
	}

	if (sev->nv_buf) {
		free_pages((unsigned long)sev->nv_buf, get_order(SEV_NV_LEN));
		sev->nv_buf = NULL;
	}
}

bool sev_dev_bound(void)
{
	return READ_ONCE(sev_cur);
}

int sev_dev_bind(struct psp_mbox *mbox, struct device *dev)
{
	struct sev_device *sev;
	int error, ret;

	mutex_lock(&sev_bind_mutex);
	if (sev_cur) {
		ret = -EBUSY;
		goto unlock;
	}

	sev = kzalloc(sizeof(*sev), GFP_KERNEL);
	if (!sev) {
		ret = -ENOMEM;
		goto unlock;
	}
	kref_init(&sev->ref);
	sev->mbox = mbox;
	sev->dev = dev;

	ret = sev_update_status(sev);
	if (ret)
		goto free;

	sev_fw_update(sev);

	if (init_ex_path) {
		sev->nv_buf = (void *)__get_free_pages(GFP_KERNEL | __GFP_ZERO,
						       get_order(SEV_NV_LEN));
		if (!sev->nv_buf) {
			dev_err(dev, "SEV: cannot allocate the INIT_EX non-volatile buffer\n");
			ret = -ENOMEM;
			goto free;
		}
	}

	sev->tmr = sev_alloc_tmr();
	if (!sev->tmr)
		dev_warn(dev, "SEV: TMR allocation failed, SEV-ES support unavailable\n");

	sev->misc.minor = MISC_DYNAMIC_MINOR;
	sev->misc.name = SEV_DEVICE_NAME;
	sev->misc.fops = &sev_fops;
	sev->misc.mode = 0600;
	sev->misc.parent = dev;
	ret = misc_register(&sev->misc);
	if (ret) {
		dev_err(dev, "SEV: cannot register /dev/%s: %d\n",
			SEV_DEVICE_NAME, ret);
		goto free;
	}

	mutex_lock(&sev_cmd_mutex);
	WRITE_ONCE(sev_cur, sev);
	mutex_unlock(&sev_cmd_mutex);

	sev_debugfs_add(sev);

	dev_info(dev, "SEV: firmware API %u.%u build %u via %s\n",
		 sev->api_major, sev->api_minor, sev->build, mbox->name);

	if (psp_init_on_probe) {
		error = SEV_RET_NO_FW_CALL;
		mutex_lock(&sev_cmd_mutex);
		ret = sev_platform_init_locked(sev, &error);
		mutex_unlock(&sev_cmd_mutex);
		if (ret)
			dev_err(dev, "SEV: failed to INIT: %s (%#x), rc %d\n",
				psp_status_name(error), error, ret);
	}

	mutex_unlock(&sev_bind_mutex);
	return 0;

free:
	sev_free_memory(sev, mbox->quarantined);
	kref_put(&sev->ref, sev_dev_release);
unlock:
	mutex_unlock(&sev_bind_mutex);
	return ret;
}

void sev_dev_unbind(struct psp_mbox *mbox)
{
	struct sev_device *sev;
	int error = SEV_RET_NO_FW_CALL;
	int ret;

	mutex_lock(&sev_bind_mutex);
	sev = sev_cur;
	if (WARN_ON(!sev || sev->mbox != mbox))
		goto unlock;

	sev_debugfs_remove(sev);
	/* no new opens; open files keep the device and get -ENODEV */
	misc_deregister(&sev->misc);

	mutex_lock(&sev_cmd_mutex);
	ret = sev_platform_shutdown_locked(sev, &error);
	if (ret)
		dev_warn(sev->dev, "SEV: SHUTDOWN failed: %s (%#x), rc %d\n",
			 psp_status_name(error), error, ret);
	WRITE_ONCE(sev->mbox, NULL);
	WRITE_ONCE(sev_cur, NULL);
	mutex_unlock(&sev_cmd_mutex);

	sev_free_memory(sev, mbox->quarantined);
	sev->dev = NULL;
	kref_put(&sev->ref, sev_dev_release);
unlock:
	mutex_unlock(&sev_bind_mutex);
}
