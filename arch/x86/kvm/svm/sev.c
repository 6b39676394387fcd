// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM SEV backend: platform discovery, ASIDs, VMCB programming, the
 * KVM_MEMORY_ENCRYPT_OP dispatcher and VM teardown.
 *
 * The firmware is reached through the PSP driver's in-kernel API
 * (<linux/psp-sev.h>), which both the distribution's ccp.ko and this
 * project's sev-psp.ko export. With the software firmware the platform's
 * ASID range and C-bit come from the firmware instead of CPUID.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/file.h>
#include <linux/hashtable.h>
#include <linux/kvm_host.h>
#include <linux/misc_cgroup.h>
#include <linux/module.h>
#include <linux/psp-sev.h>
#include <linux/slab.h>

#include <asm/msr.h>
#include <asm/smp.h>

#include "psp-backend.h"
#include "psp-host.h"
#include "cpuid.h"
#include "mmu.h"
#include "svm.h"
#include "sev-kvm.h"

static bool sev_enabled = true;
module_param_named(sev, sev_enabled, bool, 0444);
MODULE_PARM_DESC(sev, "Support SEV guests (default: on when the platform has SEV)");

static bool sev_es_enabled = true;
module_param_named(sev_es, sev_es_enabled, bool, 0444);
MODULE_PARM_DESC(sev_es, "Support SEV-ES guests (default: on when the platform has SEV-ES ASIDs)");

static bool vmcb_sev_bit = true;
module_param(vmcb_sev_bit, bool, 0444);
MODULE_PARM_DESC(vmcb_sev_bit,
		 "With the software firmware, set the SEV enable bit in SEV guests' VMCBs (default on; turn off on a CPU without SEV, whose VMRUN rejects the bit)");

static bool sw_all_asids;
module_param(sw_all_asids, bool, 0444);
MODULE_PARM_DESC(sw_all_asids,
		 "With the software firmware, give SEV guests all of its ASIDs, not only up to half of the CPU's (default off; for scale tests: ordinary guests then share the ASIDs above the SEV range, or one ASID past the CPU's count, which only a CPU that ignores ASID limits such as QEMU's TCG accepts; ignored on SEV silicon)");

/* Highest SEV ASID; svm.c gives ordinary guests the ASIDs above it */
unsigned int max_sev_asid;

struct sev_platform sev_plat;
struct sev_asid_pool sev_asids;

/* Protects kvm_sev_info's enc_context_owner, mirror_vms and mirror_entry */
DEFINE_MUTEX(sev_mirror_lock);

/* struct sev_vm_ext of every VM that has one, keyed by struct kvm */
static DEFINE_HASHTABLE(sev_ext_table, 6);
static DEFINE_MUTEX(sev_ext_lock);

/**
 * sev_ext_get() - the VM's extra state
 * @kvm: the VM
 * @create: allocate it if the VM has none yet
 *
 * Return: the state, or NULL (none, or out of memory when @create).
 */
struct sev_vm_ext *sev_ext_get(struct kvm *kvm, bool create)
{
	struct sev_vm_ext *ext;

	mutex_lock(&sev_ext_lock);
	hash_for_each_possible_rcu(sev_ext_table, ext, node, (unsigned long)kvm,
				   lockdep_is_held(&sev_ext_lock))
		if (ext->kvm == kvm)
			goto out;
	ext = NULL;
	if (create) {
		ext = kzalloc(sizeof(*ext), GFP_KERNEL_ACCOUNT);
		if (ext) {
			ext->kvm = kvm;
			xa_init(&ext->vmsas);
			hash_add_rcu(sev_ext_table, &ext->node,
				     (unsigned long)kvm);
		}
	}
out:
	mutex_unlock(&sev_ext_lock);
	return ext;
}

/**
 * sev_ext_peek() - the VM's extra state, from any context
 * @kvm: the VM
 *
 * For paths that cannot take a mutex (before a vCPU entry); the caller
 * holds rcu_read_lock() for as long as it uses the result.
 *
 * Return: the state, or NULL.
 */
struct sev_vm_ext *sev_ext_peek(struct kvm *kvm)
{
	struct sev_vm_ext *ext;

	hash_for_each_possible_rcu(sev_ext_table, ext, node, (unsigned long)kvm)
		if (ext->kvm == kvm)
			return ext;
	return NULL;
}

/* Remember (a reference to) the /dev/sev file; drops the previous one */
void sev_ext_set_file(struct sev_vm_ext *ext, struct file *file)
{
	if (file)
		get_file(file);
	if (ext->sev_file)
		fput(ext->sev_file);
	ext->sev_file = file;
}

static void sev_ext_free(struct kvm *kvm)
{
	struct sev_vm_ext *ext = sev_ext_get(kvm, false);

	if (!ext)
		return;

	mutex_lock(&sev_ext_lock);
	hash_del_rcu(&ext->node);
	mutex_unlock(&sev_ext_lock);

	/* KVM removed the VM's debugfs tree before destroying the VM */
	sev_ext_set_file(ext, NULL);
	sev_vmsa_copies_free(ext);
	kfree_rcu(ext, rcu);
}

/**
 * sev_issue_cmd_file() - run a guest command through a /dev/sev file
 * @file: must be a /dev/sev file (the PSP driver checks, -EBADF)
 * @id: firmware command
 * @data: its buffer
 * @error: firmware status
 */
int sev_issue_cmd_file(struct file *file, int id, void *data, int *error)
{
	return sev_issue_cmd_external_user(file, id, data, error);
}

/**
 * sev_issue_cmd() - run a guest command for a VM
 * @kvm: the VM, with kvm->lock held
 * @id: firmware command
 * @data: its buffer
 * @error: firmware status
 *
 * As upstream, the caller must still hold /dev/sev open under the
 * descriptor number given at LAUNCH_START or RECEIVE_START (-EBADF
 * otherwise). The command itself goes through the VM's own /dev/sev file
 * from that START: if the firmware was reloaded since, the VM's context
 * died with the old instance, and the command fails with -ENODEV instead
 * of reaching whichever guest the new firmware gave the same handle.
 */
int sev_issue_cmd(struct kvm *kvm, int id, void *data, int *error)
{
	struct sev_vm_ext *ext = sev_ext_get(kvm, false);
	struct file *held = ext ? ext->sev_file : NULL;
	struct fd f = fdget(to_sev(kvm)->fd);
	int ret;

	if (!f.file)
		return -EBADF;
	/* a descriptor that is not /dev/sev is refused, as upstream does */
	if (held && f.file->f_op != held->f_op)
		ret = -EBADF;
	else
		ret = sev_issue_cmd_file(held ?: f.file, id, data, error);
	fdput(f);

	if (ret == -ENODEV && held)
		pr_warn_ratelimited("SEV: the firmware this VM was launched on is gone (reloaded): command %#x refused\n",
				    id);
	sev_vm_fw_ret(kvm, ret);
	return ret;
}

/*
 * Teardown of a firmware context: DEACTIVATE, then DECOMMISSION. They go
 * through @file, the /dev/sev file of the context's START, when there is
 * one: if the PSP was unbound and bound again since (a firmware reload),
 * the context died with the old firmware, the file's device answers
 * -ENODEV, and the handle number, which the new firmware may have given to
 * another VM's context, is left alone.
 */
void sev_decommission(struct file *file, unsigned int handle)
{
	struct sev_data_decommission data = { .handle = handle };

	if (!handle)
		return;
	if (file)
		sev_issue_cmd_file(file, SEV_CMD_DECOMMISSION, &data, NULL);
	else
		sev_guest_decommission(&data, NULL);
}

void sev_unbind_asid(struct file *file, unsigned int handle)
{
	struct sev_data_deactivate data = { .handle = handle };

	if (!handle)
		return;

	/* DEACTIVATE must not run between a reclaim's WBINVD and DF_FLUSH */
	sev_asid_deactivate_begin(&sev_asids);
	if (file)
		sev_issue_cmd_file(file, SEV_CMD_DEACTIVATE, &data, NULL);
	else
		sev_guest_deactivate(&data, NULL);
	sev_asid_deactivate_end(&sev_asids);

	sev_decommission(file, handle);
}

static enum misc_res_type sev_misc_res(struct kvm_sev_info *sev)
{
	return sev->es_active ? MISC_CG_RES_SEV_ES : MISC_CG_RES_SEV;
}

int sev_misc_cg_charge(struct kvm_sev_info *sev)
{
	return misc_cg_try_charge(sev_misc_res(sev), sev->misc_cg, 1);
}

void sev_misc_cg_uncharge(struct kvm_sev_info *sev)
{
	misc_cg_uncharge(sev_misc_res(sev), sev->misc_cg, 1);
}

/* The ASID pool's flush: write back every cache, then DF_FLUSH */
static int sev_asid_flush(void *ctx)
{
	int ret, error = 0;

	wbinvd_on_all_cpus();
	ret = sev_guest_df_flush(&error);
	if (ret)
		pr_err("SEV: DF_FLUSH failed, ret=%d, error=%#x\n", ret, error);
	return ret;
}

/**
 * sev_asid_new() - charge the cgroup and take an ASID for a VM
 * @sev: the VM's SEV state; es_active selects the range
 *
 * Return: the ASID, or -ENOTTY (empty range), -EBUSY (cgroup limit or no
 * ASID), or the reclaim flush's error.
 */
static int sev_asid_new(struct kvm_sev_info *sev)
{
	unsigned int min = sev->es_active ? 1 : sev_plat.min_asid;
	unsigned int max = sev->es_active ? sev_plat.es_max_asid :
					    sev_plat.max_asid;
	int ret;

	if (!min || min > max)
		return -ENOTTY;

	WARN_ON_ONCE(sev->misc_cg);
	sev->misc_cg = get_current_misc_cg();
	ret = sev_misc_cg_charge(sev);
	if (ret)
		goto put_cg;

	ret = sev_asid_get(&sev_asids, min, max);
	if (ret >= 0)
		return ret;

	sev_misc_cg_uncharge(sev);
put_cg:
	put_misc_cg(sev->misc_cg);
	sev->misc_cg = NULL;
	return ret;
}

/* Queue the VM's ASID for reclaim and forget it on every CPU */
static void sev_asid_free(struct kvm_sev_info *sev)
{
	int cpu;

	for_each_possible_cpu(cpu)
		per_cpu_ptr(&svm_data, cpu)->sev_vmcbs[sev->asid] = NULL;
	sev_asid_put(&sev_asids, sev->asid);

	sev_misc_cg_uncharge(sev);
	put_misc_cg(sev->misc_cg);
	sev->misc_cg = NULL;
}

/**
 * __sev_guest_init() - KVM_SEV_INIT and KVM_SEV_ES_INIT
 * @kvm: the VM, without vCPUs
 * @argp: the command; error receives the PSP status
 * @es: SEV-ES
 *
 * Takes an ASID and initializes the platform if it is not yet.
 */
static int __sev_guest_init(struct kvm *kvm, struct kvm_sev_cmd *argp,
			    bool es)
{
	struct kvm_sev_info *sev = to_sev(kvm);
	struct sev_vm_ext *ext;
	int asid, ret;

	if (kvm->created_vcpus)
		return -EINVAL;
	if (sev->active)
		return -EBUSY;

	ext = sev_ext_get(kvm, true);
	if (!ext)
		return -ENOMEM;

	sev->active = true;
	sev->es_active = es;
	asid = sev_asid_new(sev);
	if (asid < 0) {
		ret = asid;
		goto fail;
	}
	sev->asid = asid;

	ret = sev_platform_init(&argp->error);
	if (ret)
		goto free_asid;

	INIT_LIST_HEAD(&sev->regions_list);
	INIT_LIST_HEAD(&sev->mirror_vms);
	kvm_set_apicv_inhibit(kvm, APICV_INHIBIT_REASON_SEV);
	sev_debugfs_vm_add(kvm, ext);
	return 0;

free_asid:
	sev_asid_free(sev);
	sev->asid = 0;
fail:
	sev->active = false;
	sev->es_active = false;
	sev_ext_free(kvm);
	return ret;
}

int sev_guest_init(struct kvm *kvm, struct kvm_sev_cmd *argp)
{
	return __sev_guest_init(kvm, argp, false);
}

/**
 * sev_es_guest_init() - KVM_SEV_ES_INIT: make the VM an SEV-ES guest
 * @kvm: the VM, without vCPUs (they get their VMSA pages when created)
 * @argp: the command; error receives the PSP status
 *
 * As KVM_SEV_INIT, with an ASID from the ES range and the sev_es cgroup.
 */
static int sev_es_guest_init(struct kvm *kvm, struct kvm_sev_cmd *argp)
{
	return __sev_guest_init(kvm, argp, true);
}

/**
 * struct sev_cmd_entry - how KVM_MEMORY_ENCRYPT_OP handles one KVM_SEV_* id
 * @fn: the handler; ids without one are -EINVAL
 * @mirror_ok: also allowed on a VM that mirrors another's context
 */
struct sev_cmd_entry {
	int (*fn)(struct kvm *kvm, struct kvm_sev_cmd *argp);
	bool mirror_ok;
};

static int sev_dbg_decrypt(struct kvm *kvm, struct kvm_sev_cmd *argp)
{
	return sev_dbg_crypt(kvm, argp, true);
}

static int sev_dbg_encrypt(struct kvm *kvm, struct kvm_sev_cmd *argp)
{
	return sev_dbg_crypt(kvm, argp, false);
}

/*
 * SEND_UPDATE_VMSA, RECEIVE_UPDATE_VMSA and CERT_EXPORT have no handler
 * (as in 6.1); ES_INIT is -ENOTTY while SEV-ES is off.
 */
static const struct sev_cmd_entry sev_cmds[KVM_SEV_NR_MAX] = {
	[KVM_SEV_INIT]			= { sev_guest_init },
	[KVM_SEV_ES_INIT]		= { sev_es_guest_init },
	[KVM_SEV_LAUNCH_START]		= { sev_launch_start },
	[KVM_SEV_LAUNCH_UPDATE_DATA]	= { sev_launch_update_data },
	[KVM_SEV_LAUNCH_UPDATE_VMSA]	= { sev_launch_update_vmsa, true },
	[KVM_SEV_LAUNCH_SECRET]		= { sev_launch_secret },
	[KVM_SEV_LAUNCH_MEASURE]	= { sev_launch_measure },
	[KVM_SEV_LAUNCH_FINISH]		= { sev_launch_finish },
	[KVM_SEV_SEND_START]		= { sev_send_start },
	[KVM_SEV_SEND_UPDATE_DATA]	= { sev_send_update_data },
	[KVM_SEV_SEND_FINISH]		= { sev_send_finish },
	[KVM_SEV_RECEIVE_START]		= { sev_receive_start },
	[KVM_SEV_RECEIVE_UPDATE_DATA]	= { sev_receive_update_data },
	[KVM_SEV_RECEIVE_FINISH]	= { sev_receive_finish },
	[KVM_SEV_GUEST_STATUS]		= { sev_guest_status, true },
	[KVM_SEV_DBG_DECRYPT]		= { sev_dbg_decrypt, true },
	[KVM_SEV_DBG_ENCRYPT]		= { sev_dbg_encrypt, true },
	[KVM_SEV_GET_ATTESTATION_REPORT] = { sev_attestation_report },
	[KVM_SEV_SEND_CANCEL]		= { sev_send_cancel },
};

/**
 * sev_mem_enc_ioctl() - KVM_MEMORY_ENCRYPT_OP
 * @kvm: the VM
 * @argp: struct kvm_sev_cmd in user memory; NULL probes for SEV support
 *
 * One command per VM at a time (kvm->lock). The command structure is
 * copied back after every handled id, whatever the result, so that the
 * firmware status reaches userspace; unknown and unhandled ids are -EINVAL
 * without copy-back.
 */
int sev_mem_enc_ioctl(struct kvm *kvm, void __user *argp)
{
	const struct sev_cmd_entry *e = NULL;
	struct kvm_sev_cmd cmd;
	int r;

	if (!sev_enabled)
		return -ENOTTY;
	if (!argp)
		return 0;
	if (copy_from_user(&cmd, argp, sizeof(cmd)))
		return -EFAULT;

	mutex_lock(&kvm->lock);

	if (cmd.id < ARRAY_SIZE(sev_cmds))
		e = &sev_cmds[array_index_nospec(cmd.id, ARRAY_SIZE(sev_cmds))];

	/* A mirror only shares its owner's context: status, debug, VMSA */
	if (sev_is_mirror(kvm) && (!e || !e->mirror_ok)) {
		r = -EINVAL;
		goto out;
	}
	if (cmd.id == KVM_SEV_ES_INIT && !sev_es_enabled) {
		r = -ENOTTY;
		goto out;
	}
	if (!e || !e->fn) {
		r = -EINVAL;
		goto out;
	}

	r = e->fn(kvm, &cmd);
	sev_vm_fw_end(kvm);
	if (copy_to_user(argp, &cmd, sizeof(cmd)))
		r = -EFAULT;
out:
	mutex_unlock(&kvm->lock);
	return r;
}

/**
 * sev_vm_destroy() - release everything an SEV VM holds
 * @kvm: the VM
 *
 * A mirror just drops its reference on the owner. An owner writes back
 * all caches, unpins its regions, deactivates and decommissions the
 * firmware context, then queues its ASID for reclaim.
 */
void sev_vm_destroy(struct kvm *kvm)
{
	struct kvm_sev_info *sev = to_sev(kvm);
	struct sev_vm_ext *ext;
	struct kvm *owner;

	if (!sev_guest(kvm)) {
		sev_ext_free(kvm);
		return;
	}

	WARN_ON(!list_empty(&sev->mirror_vms));

	if (sev_is_mirror(kvm)) {
		mutex_lock(&sev_mirror_lock);
		owner = sev->enc_context_owner;
		list_del(&sev->mirror_entry);
		sev->enc_context_owner = NULL;
		mutex_unlock(&sev_mirror_lock);
		/* outside the lock: this may destroy the owner */
		kvm_put_kvm(owner);
		sev_ext_free(kvm);
		return;
	}

	/* CLFLUSH does not evict lines tagged with the guest's ASID */
	wbinvd_on_all_cpus();
	sev_unpin_all_regions(kvm);
	ext = sev_ext_get(kvm, false);
	sev_unbind_asid(ext ? ext->sev_file : NULL, sev->handle);
	sev_asid_free(sev);
	sev_ext_free(kvm);
}

/**
 * sev_guest_memory_reclaimed() - the MMU notifier released guest memory
 * @kvm: the VM
 *
 * The pages may hold lines tagged with the guest's ASID: write them back.
 */
void sev_guest_memory_reclaimed(struct kvm *kvm)
{
	if (sev_guest(kvm))
		wbinvd_on_all_cpus();
}

/* What CPUID 0x8000001F and the BIOS settings say about hardware SEV */
static bool __init sev_hw_caps(void)
{
	unsigned int eax, ebx, ecx, edx;
	u64 msr;

	if (!boot_cpu_has(X86_FEATURE_SEV))
		return false;

	if (rdmsrl_safe(MSR_AMD64_SYSCFG, &msr) ||
	    !(msr & MSR_AMD64_SYSCFG_MEM_ENCRYPT)) {
		pr_info("SEV: memory encryption is not enabled in SYSCFG\n");
		return false;
	}
	if (rdmsrl_safe(MSR_K7_HWCR, &msr) || !(msr & MSR_K7_HWCR_SMMLOCK)) {
		pr_info("SEV: SMM is not locked (HWCR.SMMLOCK clear)\n");
		return false;
	}
	/* Instruction emulation for SEV guests needs the decoded bytes */
	if (WARN_ON_ONCE(!boot_cpu_has(X86_FEATURE_DECODEASSISTS)))
		return false;

	cpuid(0x8000001f, &eax, &ebx, &ecx, &edx);
	sev_plat.cbit = ebx & 0x3f;
	sev_plat.max_asid = ecx;
	sev_plat.min_asid = edx;
	sev_plat.vmcb_sev_bit = true;
	return true;
}

/* The software firmware's capabilities, if the PSP driver has one bound */
static bool __init sev_sw_caps(void)
{
	bool (*get_caps)(struct sev_sw_caps *caps);
	struct sev_sw_caps caps = {};
	unsigned int nr_cpu, room;
	bool sw;

	get_caps = symbol_get(sev_psp_sw_caps);
	if (!get_caps)
		return false;
	sw = get_caps(&caps);
	symbol_put(sev_psp_sw_caps);
	if (!sw)
		return false;

	sev_plat.sw = true;
	sev_plat.cbit = caps.cbit;
	sev_plat.min_asid = caps.min_sev_asid;
	sev_plat.max_asid = caps.max_asid;
	sev_plat.vmcb_sev_bit = vmcb_sev_bit;

	/*
	 * The CPU's ASIDs are not partitioned for a firmware it does not
	 * know: keep the upper half for ordinary guests, which svm.c gives
	 * the ASIDs above max_sev_asid.
	 */
	nr_cpu = cpuid_ebx(SVM_CPUID_FUNC);
	room = (nr_cpu - 1) / 2;
	if (sev_plat.max_asid <= room)
		return true;
	if (!sw_all_asids) {
		pr_info("SEV: software firmware ASIDs limited to %u of %u\n",
			room, sev_plat.max_asid);
		sev_plat.max_asid = room;
		return true;
	}
	/*
	 * sw_all_asids, for scale tests of the ASID pool. svm.c's ordinary
	 * ASIDs start at max_sev_asid + 1, never 0 (sev-emu's maximum is
	 * at most 65535). When that start is past the CPU's last ASID,
	 * svm.c gives every ordinary vCPU that one ASID, with a flush of
	 * all ASIDs each time it assigns it; SEV guests above the CPU's
	 * last ASID only run where the CPU does not check ASIDs. On SEV
	 * silicon sev_platform_caps() discards all of this.
	 */
	if (sev_plat.max_asid + 1 < nr_cpu)
		pr_info("SEV: software firmware ASIDs not limited (sw_all_asids): ordinary guests keep ASIDs %u - %u\n",
			sev_plat.max_asid + 1, nr_cpu - 1);
	else
		pr_warn("SEV: software firmware ASIDs not limited (sw_all_asids): %u above the CPU's %u; ordinary guests share ASID %u\n",
			sev_plat.max_asid, nr_cpu - 1, sev_plat.max_asid + 1);
	return true;
}

/*
 * On SEV silicon the ASIDs and the C-bit come from CPUID only, even when a
 * software firmware was forced in next to the real PSP; elsewhere a bound
 * software firmware provides them.
 */
static bool __init sev_platform_caps(void)
{
	struct psp_host_facts h = {};

	psp_host_cpu_facts(&h);
	if (!psp_host_sev_silicon(&h))
		return sev_sw_caps() || sev_hw_caps();
	if (sev_sw_caps()) {
		pr_warn("SEV: a software firmware is bound on SEV silicon: ignored, the platform's parameters come from CPUID\n");
		memset(&sev_plat, 0, sizeof(sev_plat));
	}
	return sev_hw_caps();
}

/*
 * SEV-ES: the sev_es parameter, ES ASIDs below min_asid, MMIO caching (an
 * ES guest's MMIO must fault into the guest as #VC) and, on silicon, the
 * CPU feature. The software firmware measures and encrypts ES guests but
 * no CPU without SEV-ES runs them (sev_es_block_entry()).
 */
static void __init sev_es_setup(void)
{
	bool ok;

	/* below the SEV range, and within the (possibly capped) maximum */
	sev_plat.es_max_asid = min(sev_plat.min_asid - 1, sev_plat.max_asid);
	ok = sev_es_enabled && sev_plat.es_max_asid &&
	     enable_mmio_caching &&
	     (sev_plat.sw || boot_cpu_has(X86_FEATURE_SEV_ES));

	sev_es_enabled = ok;
	if (ok)
		WARN_ON_ONCE(misc_cg_set_capacity(MISC_CG_RES_SEV_ES,
						  sev_plat.es_max_asid));
	else
		sev_plat.es_max_asid = 0;
	pr_info("SEV-ES %s (ASIDs 1 - %u)%s\n", ok ? "enabled" : "disabled",
		sev_plat.es_max_asid,
		ok && !sev_es_runnable() ?
		", launch only: this CPU cannot run SEV-ES guests" : "");
}

/**
 * sev_hardware_setup() - find the platform's SEV support at module load
 *
 * Needs the sev parameter and NPT. The software firmware, when the PSP
 * driver has one, gives the ASID range and C-bit; otherwise CPUID and the
 * BIOS settings do.
 */
void __init sev_hardware_setup(void)
{
	bool found = false;
	unsigned int nr;

	if (!sev_enabled || !npt_enabled)
		goto out;

	found = sev_platform_caps();
	if (!found || !sev_plat.max_asid)
		goto out;

	/* ASID 0 is the host's; ES ASIDs lie below min_asid */
	if (!sev_plat.min_asid)
		sev_plat.min_asid = 1;
	sev_plat.me_mask = sev_plat.cbit ? BIT_ULL(sev_plat.cbit) : 0;

	if (sev_asid_pool_init(&sev_asids, sev_plat.max_asid, sev_asid_flush,
			       NULL))
		goto out;
	max_sev_asid = sev_plat.max_asid;

	if (sev_plat.min_asid <= sev_plat.max_asid) {
		nr = sev_plat.max_asid - sev_plat.min_asid + 1;
		WARN_ON_ONCE(misc_cg_set_capacity(MISC_CG_RES_SEV, nr));
	}
	sev_kvm_debugfs_init();

	pr_info("SEV %s (ASIDs %u - %u)%s\n",
		sev_plat.min_asid <= sev_plat.max_asid ? "enabled" : "unusable",
		sev_plat.min_asid, sev_plat.max_asid,
		sev_plat.sw ? ", software firmware" : "");
	sev_es_setup();
	return;

out:
	if (found || boot_cpu_has(X86_FEATURE_SEV))
		pr_info("SEV disabled\n");
	sev_enabled = false;
	sev_es_enabled = false;
	sev_plat.max_asid = 0;
}

void sev_hardware_unsetup(void)
{
	if (!sev_enabled)
		return;

	sev_kvm_debugfs_exit();
	/* All VMs are gone: make their ASIDs clean for the next user */
	sev_asid_reclaim(&sev_asids, 1, sev_plat.max_asid);
	sev_asid_pool_destroy(&sev_asids);
	misc_cg_set_capacity(MISC_CG_RES_SEV, 0);
	misc_cg_set_capacity(MISC_CG_RES_SEV_ES, 0);
}

/* KVM_GET_SUPPORTED_CPUID reports leaf 0x8000001F when X86_FEATURE_SEV is set */
void __init sev_set_cpu_caps(void)
{
	if (sev_enabled)
		kvm_cpu_cap_set(X86_FEATURE_SEV);
	else
		kvm_cpu_cap_clear(X86_FEATURE_SEV);
	/* also with the software firmware: what the selftests look for */
	if (sev_es_enabled)
		kvm_cpu_cap_set(X86_FEATURE_SEV_ES);
	else
		kvm_cpu_cap_clear(X86_FEATURE_SEV_ES);
}

int sev_cpu_init(struct svm_cpu_data *sd)
{
	if (!sev_enabled)
		return 0;

	/* Index = ASID: the VMCB that last ran with that ASID on this CPU */
	sd->sev_vmcbs = kcalloc(sev_plat.max_asid + 1, sizeof(void *),
				GFP_KERNEL);
	return sd->sev_vmcbs ? 0 : -ENOMEM;
}

/**
 * pre_sev_run() - before VMRUN: the VM's ASID and, if needed, a TLB flush
 * @svm: the vCPU
 * @cpu: the CPU it runs on
 *
 * All vCPUs of an SEV guest share its ASID, so the guest's TLB entries
 * must be flushed when another VMCB ran with that ASID on this CPU, or
 * when this VMCB last ran elsewhere.
 */
void pre_sev_run(struct vcpu_svm *svm, int cpu)
{
	struct svm_cpu_data *sd = per_cpu_ptr(&svm_data, cpu);
	unsigned int asid = to_sev(svm->vcpu.kvm)->asid;

	svm->asid = asid;

	if (sd->sev_vmcbs[asid] == svm->vmcb &&
	    svm->vcpu.arch.last_vmentry_cpu == cpu)
		return;

	sd->sev_vmcbs[asid] = svm->vmcb;
	svm->vmcb->control.tlb_ctl = TLB_CONTROL_FLUSH_ASID;
	vmcb_mark_dirty(svm->vmcb, VMCB_ASID);
}

/**
 * sev_vcpu_after_set_cpuid() - the C-bit is not a reserved GPA bit
 * @svm: the vCPU
 */
void sev_vcpu_after_set_cpuid(struct vcpu_svm *svm)
{
	struct kvm_vcpu *vcpu = &svm->vcpu;
	struct kvm_cpuid_entry2 *best;

	best = kvm_find_cpuid_entry(vcpu, 0x8000001F);
	if (best)
		vcpu->arch.reserved_gpa_bits &= ~BIT_ULL(best->ebx & 0x3f);

	if (sev_es_guest(vcpu->kvm))
		sev_es_vcpu_after_set_cpuid(svm);
}
