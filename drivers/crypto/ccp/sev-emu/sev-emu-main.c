// SPDX-License-Identifier: GPL-2.0-only
/*
 * sev-emu.ko: the software SEV firmware behind an emulated PSP mailbox
 * register file, plugged into the PSP driver as its SEV backend.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitfield.h>
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "../psp-backend.h"
#include "../psp-mbox.h"
#include "sevfw.h"
#include "sevfw-fault.h"
#include "sevfw-testroots.h"

static unsigned char api_major;
module_param(api_major, byte, 0444);
MODULE_PARM_DESC(api_major, "SEV API major version reported (default 0)");

static unsigned char api_minor = 24;
module_param(api_minor, byte, 0444);
MODULE_PARM_DESC(api_minor, "SEV API minor version reported (default 24)");

static unsigned char build = 15;
module_param(build, byte, 0444);
MODULE_PARM_DESC(build, "firmware build number reported (default 15)");

static uint max_asid = 509;
module_param(max_asid, uint, 0444);
MODULE_PARM_DESC(max_asid, "highest ASID, CPUID 0x8000001F ECX (default 509)");

static uint min_sev_asid = 1;
module_param(min_sev_asid, uint, 0444);
MODULE_PARM_DESC(min_sev_asid,
		 "lowest non-ES ASID, CPUID 0x8000001F EDX, 1..max_asid; SEV-ES guests get 1..min_sev_asid-1 (default 1: no ES ASIDs)");

/* The C-bit position of EPYC parts with 48-bit addresses */
#define SEV_EMU_CBIT_DEFAULT	47

static uint cbit;
module_param(cbit, uint, 0444);
MODULE_PARM_DESC(cbit,
		 "C-bit position masked from addresses, at or above the physical address width and below 64 (default 0: 47, or the address width where that is larger)");

static uint max_guests = 1024;
module_param(max_guests, uint, 0444);
MODULE_PARM_DESC(max_guests, "number of guest contexts, 1..1024 (default 1024)");

static char *mem_mode = "transparent";
module_param(mem_mode, charp, 0444);
MODULE_PARM_DESC(mem_mode, "guest memory: transparent or opaque");

static unsigned char vmsa_mac_ctx = 2;
module_param(vmsa_mac_ctx, byte, 0444);
MODULE_PARM_DESC(vmsa_mac_ctx,
		 "MAC context byte of SEND/RECEIVE_UPDATE_VMSA packets (default 2)");

static bool force;
module_param(force, bool, 0444);
MODULE_PARM_DESC(force,
		 "Register even on a CPU with SEV or next to an AMD PSP PCI function (development only; default N)");

static bool allow_fw_rollback;
module_param(allow_fw_rollback, bool, 0444);
MODULE_PARM_DESC(allow_fw_rollback,
		 "DOWNLOAD_FIRMWARE also accepts images older than the running firmware (default N)");

/**
 * struct sev_emu - the emulated SEV mailbox
 * @fw: the firmware instance
 * @be: registration with the PSP driver
 * @lock: protects the register file and the latched command; taken in
 *	  process context only (the PSP driver's command path, the worker,
 *	  debugfs: this firmware calls psp_mbox_irq() from the context that
 *	  completes the command, never from an interrupt), so without
 *	  disabling interrupts
 * @regs: register file
 * @busy: a command is queued or running
 * @cmd: latched command id
 * @addr: latched command-buffer address
 * @ioc: latched interrupt-on-completion request
 * @wq: ordered queue that runs commands
 * @work: the command in flight
 * @dir: debugfs directory
 * @cek: signed CEK certificate (the "key server" copy)
 * @ask_ark: ASK and ARK certificates
 * @fault: injected faults (debugfs "fault")
 * @written_ns: when the latched command was handed to the worker
 * @n_inline: commands run in the caller's context
 * @n_worker: commands run in the worker
 * @handoff_ns: worker commands: time from CMDRESP to the worker, summed
 * @fw_ns: time in the firmware proper, summed over both kinds
 * @stop_on_abort: a command the driver gave up on is stopped at its next
 *		   safe point (debugfs "stop_on_abort"; N plays a hardware PSP
 *		   that runs on, for tests of the driver's quarantine)
 */
struct sev_emu {
	struct sevfw *fw;
	struct psp_sw_backend be;
	spinlock_t lock;	/* registers and the latched command */
	u32 regs[PSP_MBOX_NR_REGS];
	bool busy;
	u32 cmd;
	u64 addr;
	bool ioc;
	struct workqueue_struct *wq;
	struct work_struct work;
	struct dentry *dir;
	struct debugfs_blob_wrapper cek;
	struct debugfs_blob_wrapper ask_ark;
	struct sevfw_fault fault;
	u64 written_ns;
	atomic64_t n_inline;
	atomic64_t n_worker;
	atomic64_t handoff_ns;
	atomic64_t fw_ns;
	bool stop_on_abort;
};

static struct sev_emu sev_emu;

/*
 * The timing clock: a command run in the caller's context is timed with
 * the PSP driver's cheap per-CPU clock (psp-mbox.h); the worker's
 * hand-off goes from one CPU to another and costs microseconds anyway:
 * ktime_get_ns(), coherent across CPUs.
 */
static u64 sev_emu_clock(bool in_worker)
{
	return in_worker ? ktime_get_ns() : psp_timing_clock();
}

/*
 * Run the latched command and complete it: in the worker, through the
 * fault rules; in the caller's context (only when no rule was armed, see
 * sev_emu_write()) without them, so that a rule armed meanwhile never
 * holds or delays a command outside the worker, where the driver's timeout
 * could not reach it; that rule fires on a later matching command.
 */
static void sev_emu_run(struct sev_emu *emu, bool in_worker)
{
	u64 t0 = sev_emu_clock(in_worker);
	bool irq = false;
	u16 status;

	if (in_worker) {
		atomic64_inc(&emu->n_worker);
		atomic64_add(psp_timing_span(READ_ONCE(emu->written_ns), t0),
			     &emu->handoff_ns);
	} else {
		atomic64_inc(&emu->n_inline);
	}

	if (!in_worker) {
		status = sevfw_execute(emu->fw, emu->cmd, emu->addr);
	} else if (!sevfw_fault_execute(&emu->fault, emu->fw, emu->cmd,
					emu->addr, &status)) {
		/* a hang: never answered, the mailbox takes commands again */
		spin_lock(&emu->lock);
		emu->busy = false;
		spin_unlock(&emu->lock);
		return;
	}

	atomic64_add(psp_timing_span(t0, sev_emu_clock(in_worker)),
		     &emu->fw_ns);
	spin_lock(&emu->lock);
	emu->regs[PSP_MBOX_CMDRESP] = PSP_CMDRESP_RESP |
				      FIELD_PREP(PSP_CMDRESP_STS, status);
	emu->busy = false;
	if (emu->ioc) {
		emu->regs[PSP_MBOX_INTSTS] |= PSP_INTSTS_SEV_CMD_COMPLETE;
		irq = emu->regs[PSP_MBOX_INTEN] & PSP_INTSTS_SEV_CMD_COMPLETE;
	}
	spin_unlock(&emu->lock);

	if (irq && emu->be.mbox)
		psp_mbox_irq(emu->be.mbox);
}

static void sev_emu_work(struct work_struct *work)
{
	sev_emu_run(container_of(work, struct sev_emu, work), true);
}

static u32 sev_emu_read(struct psp_mbox *mbox, enum psp_mbox_reg reg)
{
	struct sev_emu *emu = &sev_emu;
	u32 val;

	if (reg >= PSP_MBOX_NR_REGS)
		return 0;
	spin_lock(&emu->lock);
	val = emu->regs[reg];
	spin_unlock(&emu->lock);
	return val;
}

static void sev_emu_write(struct psp_mbox *mbox, enum psp_mbox_reg reg,
			  u32 val)
{
	struct sev_emu *emu = &sev_emu;
	bool start = false;
	u32 cmd = 0;

	spin_lock(&emu->lock);
	switch (reg) {
	case PSP_MBOX_CMDRESP:
		if (emu->busy) {
			pr_warn_ratelimited("command 0x%lx while busy, dropped\n",
					    FIELD_GET(PSP_CMDRESP_CMD, val));
			break;
		}
		emu->regs[reg] = val & ~PSP_CMDRESP_RESP;
		emu->cmd = FIELD_GET(PSP_CMDRESP_CMD, val);
		cmd = emu->cmd;
		emu->addr = (u64)emu->regs[PSP_MBOX_CMDBUFF_HI] << 32 |
			    emu->regs[PSP_MBOX_CMDBUFF_LO];
		emu->ioc = val & PSP_CMDRESP_IOC;
		emu->busy = true;
		start = true;
		/* nothing is in flight: a new command may run */
		sevfw_cancel(emu->fw, false);
		break;
	case PSP_MBOX_CMDBUFF_LO:
	case PSP_MBOX_CMDBUFF_HI:
	case PSP_MBOX_INTEN:
		emu->regs[reg] = val;
		break;
	case PSP_MBOX_INTSTS:
		emu->regs[reg] &= ~val;		/* write 1 to clear */
		break;
	default:				/* FEATURE is read-only */
		break;
	}
	spin_unlock(&emu->lock);

	if (!start)
		return;
	/*
	 * A short command with no fault rule armed runs right here, in the
	 * caller's context (no hand-off, no wake-up); everything else runs
	 * in the worker, where the driver's timeout and cancel reach it.
	 */
	if (sevfw_cmd_is_short(cmd) && sevfw_fault_idle(&emu->fault) &&
	    !in_interrupt()) {
		sev_emu_run(emu, false);
	} else {
		/* the worker reads it after queue_work()'s barrier */
		WRITE_ONCE(emu->written_ns, sev_emu_clock(true));
		queue_work(emu->wq, &emu->work);
	}
}

/*
 * The driver gave up on the command in flight: stop it at its next safe
 * point (a held one is released and does not run) and wait until it has,
 * so that its memory is no longer touched when the driver returns.
 */
static bool sev_emu_abort(struct psp_mbox *mbox)
{
	struct sev_emu *emu = &sev_emu;

	if (!READ_ONCE(emu->stop_on_abort)) {
		pr_warn("stop_on_abort is off: the abandoned command runs on\n");
		return false;
	}
	sevfw_cancel(emu->fw, true);
	sevfw_fault_wake(&emu->fault);
	flush_work(&emu->work);
	return true;
}

static const struct psp_mbox_ops sev_emu_ops = {
	.read = sev_emu_read,
	.write = sev_emu_write,
	.abort = sev_emu_abort,
};

static int sev_emu_mailbox_show(struct seq_file *m, void *v)
{
	static const char *const names[PSP_MBOX_NR_REGS] = {
		"CMDRESP", "CMDBUFF_LO", "CMDBUFF_HI", "FEATURE", "INTEN",
		"INTSTS",
	};
	int i;

	for (i = 0; i < PSP_MBOX_NR_REGS; i++)
		seq_printf(m, "%-10s 0x%08x\n", names[i],
			   sev_emu_read(NULL, i));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sev_emu_mailbox);

/* Where commands ran and how long they took; a write resets */
static int sev_emu_timing_show(struct seq_file *m, void *v)
{
	struct sev_emu *emu = &sev_emu;

	seq_printf(m, "inline: %lld\n", atomic64_read(&emu->n_inline));
	seq_printf(m, "worker: %lld\n", atomic64_read(&emu->n_worker));
	seq_printf(m, "handoff_ns: %lld\n", atomic64_read(&emu->handoff_ns));
	seq_printf(m, "firmware_ns: %lld\n", atomic64_read(&emu->fw_ns));
	return 0;
}

static int sev_emu_timing_open(struct inode *inode, struct file *file)
{
	return single_open(file, sev_emu_timing_show, NULL);
}

static ssize_t sev_emu_timing_write(struct file *file, const char __user *buf,
				    size_t len, loff_t *ppos)
{
	struct sev_emu *emu = &sev_emu;

	atomic64_set(&emu->n_inline, 0);
	atomic64_set(&emu->n_worker, 0);
	atomic64_set(&emu->handoff_ns, 0);
	atomic64_set(&emu->fw_ns, 0);
	return len;
}

static const struct file_operations sev_emu_timing_fops = {
	.owner = THIS_MODULE,
	.open = sev_emu_timing_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = sev_emu_timing_write,
};

static int sev_emu_params(struct sevfw_params *p)
{
	unsigned int phys_bits = 0;
	int ret;

#ifdef CONFIG_X86
	/* addresses never reach the C-bit: it lies above the address bits */
	phys_bits = boot_cpu_data.x86_phys_bits;
#endif
	if (!cbit)
		cbit = max(SEV_EMU_CBIT_DEFAULT, phys_bits);
	ret = sevfw_cbit_check(cbit, phys_bits);
	if (ret == -ERANGE) {
		pr_err("cbit=%u: the C-bit must be below 64\n", cbit);
		return -EINVAL;
	}
	if (ret) {
		pr_err("cbit=%u lies inside the host's %u-bit physical addresses: the C-bit must be %u..63\n",
		       cbit, phys_bits, phys_bits);
		return -EINVAL;
	}

	if (!max_asid || max_asid > 0xffff) {
		pr_err("max_asid=%u must be 1..65535\n", max_asid);
		return -EINVAL;
	}
	ret = sevfw_asid_range_check(max_asid, min_sev_asid);
	if (ret) {
		pr_err("min_sev_asid=%u must be 1..max_asid (%u): SEV-ES guests use ASIDs 1..min_sev_asid-1, SEV guests min_sev_asid..max_asid, and at least one SEV ASID must remain\n",
		       min_sev_asid, max_asid);
		return -EINVAL;
	}

	memset(p, 0, sizeof(*p));
	p->api_major = api_major;
	p->api_minor = api_minor;
	p->build = build;
	p->max_asid = max_asid;
	p->min_sev_asid = min_sev_asid;
	p->cbit = cbit;
	p->max_guests = max_guests;
	p->vmsa_mac_ctx = vmsa_mac_ctx;
	p->allow_rollback = allow_fw_rollback;
	if (!strcmp(mem_mode, "transparent")) {
		p->mem_mode = SEVFW_MEM_TRANSPARENT;
	} else if (!strcmp(mem_mode, "opaque")) {
		p->mem_mode = SEVFW_MEM_OPAQUE;
	} else {
		pr_err("mem_mode must be transparent or opaque\n");
		return -EINVAL;
	}
	/* a stable chip id, derived from the (test) chip endorsement key */
	sevfw_kdf(sevfw_test_cek.d, sizeof(sevfw_test_cek.d), "sev-emu-chip-id",
		  NULL, 0, p->chip_id, sizeof(p->chip_id));
	return 0;
}

static void sev_emu_debugfs_init(struct sev_emu *emu)
{
	emu->dir = debugfs_create_dir("sev-emu", NULL);
	sevfw_debugfs_init(emu->fw, emu->dir);
	sevfw_fault_debugfs_init(&emu->fault, emu->dir);
	debugfs_create_file("mailbox", 0400, emu->dir, NULL,
			    &sev_emu_mailbox_fops);
	debugfs_create_bool("stop_on_abort", 0600, emu->dir,
			    &emu->stop_on_abort);
	debugfs_create_file("timing", 0600, emu->dir, NULL,
			    &sev_emu_timing_fops);

	emu->cek.data = kmemdup(sevfw_test_cek_cert, SEV_CERT_SIZE, GFP_KERNEL);
	emu->cek.size = emu->cek.data ? SEV_CERT_SIZE : 0;
	emu->ask_ark.data = kmemdup(sevfw_test_ask_ark, sevfw_test_ask_ark_len,
				    GFP_KERNEL);
	emu->ask_ark.size = emu->ask_ark.data ? sevfw_test_ask_ark_len : 0;
	debugfs_create_blob("cek.cert", 0444, emu->dir, &emu->cek);
	debugfs_create_blob("ask_ark.cert", 0444, emu->dir, &emu->ask_ark);
}

static void sev_emu_debugfs_exit(struct sev_emu *emu)
{
	debugfs_remove_recursive(emu->dir);
	kfree(emu->cek.data);
	kfree(emu->ask_ark.data);
}

static int __init sev_emu_init(void)
{
	struct sev_emu *emu = &sev_emu;
	struct sevfw_params p;
	int ret;

	ret = sev_emu_params(&p);
	if (ret)
		return ret;
	emu->fw = sevfw_create(&p);
	if (IS_ERR(emu->fw)) {
		pr_err("bad parameters or no memory (%ld)\n",
		       PTR_ERR(emu->fw));
		return PTR_ERR(emu->fw);
	}

	spin_lock_init(&emu->lock);
	sevfw_fault_init(&emu->fault);
	emu->stop_on_abort = true;
	emu->regs[PSP_MBOX_FEATURE] = PSP_FEATURE_SEV;
	INIT_WORK(&emu->work, sev_emu_work);
	emu->wq = alloc_ordered_workqueue("sev-emu", 0);
	if (!emu->wq) {
		ret = -ENOMEM;
		goto err_fw;
	}
	sev_emu_debugfs_init(emu);

	emu->be.name = "sev-emu";
	emu->be.owner = THIS_MODULE;
	emu->be.ops = &sev_emu_ops;
	emu->be.priv = emu;
	emu->be.caps.cbit = cbit;
	emu->be.caps.max_asid = max_asid;
	emu->be.caps.min_sev_asid = min_sev_asid;
	emu->be.force = force;
	ret = psp_sw_register(&emu->be);
	if (ret) {
		pr_err("cannot register with the PSP driver (%d)\n", ret);
		goto err_wq;
	}
	if (min_sev_asid > 1)
		pr_info("software SEV firmware %u.%u build %u, SEV-ES ASIDs 1..%u, SEV ASIDs %u..%u\n",
			api_major, api_minor, build, min_sev_asid - 1,
			min_sev_asid, max_asid);
	else
		pr_info("software SEV firmware %u.%u build %u, SEV ASIDs 1..%u, no SEV-ES ASIDs\n",
			api_major, api_minor, build, max_asid);
	return 0;

err_wq:
	sev_emu_debugfs_exit(emu);
	destroy_workqueue(emu->wq);
err_fw:
	sevfw_destroy(emu->fw);
	return ret;
}

static void __exit sev_emu_exit(void)
{
	struct sev_emu *emu = &sev_emu;

	/*
	 * Release held commands and stop a running one first: a command the
	 * PSP driver gave up on must not touch its memory or its mailbox once
	 * unbinding frees them. The SHUTDOWN of the unbinding runs normally.
	 */
	sevfw_fault_close(&emu->fault);
	sevfw_cancel(emu->fw, true);
	flush_workqueue(emu->wq);
	/* the PSP driver may still send SHUTDOWN through us while unbinding */
	psp_sw_unregister(&emu->be);
	destroy_workqueue(emu->wq);	/* drains the command in flight */
	sev_emu_debugfs_exit(emu);
	sevfw_destroy(emu->fw);
}

module_init(sev_emu_init);
module_exit(sev_emu_exit);

MODULE_DESCRIPTION("Software AMD SEV firmware (PSP mailbox backend)");
MODULE_LICENSE("GPL");
