// SPDX-License-Identifier: GPL-2.0-only
/*
 * debugfs view of the SEV backend.
 *
 * /sys/kernel/debug/kvm_amd_sev/
 *	platform	where the SEV parameters came from, ranges, C-bit,
 *			memory quarantined after firmware timeouts
 *	asids		ASIDs in use, waiting for reclaim, reclaim passes
 * /sys/kernel/debug/kvm/<pid>-<fd>/sev/ (per SEV VM)
 *	info		handle, ASID, policy, firmware state, pins, mirrors
 *	regions		the registered ranges
 *	vcpus		per vCPU: the VMCB fields SEV programs
 */

#include <linux/debugfs.h>
#include <linux/kvm_host.h>
#include <linux/psp-sev.h>
#include <linux/seq_file.h>

#include "sev-kvm.h"

static struct dentry *sev_debugfs_root;

static int sev_platform_show(struct seq_file *m, void *v)
{
	long pages, bufs;

	seq_printf(m, "firmware: %s\n", sev_plat.sw ? "software" : "hardware");
	seq_printf(m, "asids: %u - %u\n", sev_plat.min_asid,
		   sev_plat.max_asid);
	seq_printf(m, "cbit: %u\n", sev_plat.cbit);
	seq_printf(m, "vmcb_sev_bit: %s\n", sev_plat.vmcb_sev_bit ? "set" :
								    "clear");
	sev_quarantine_counts(&pages, &bufs);
	seq_printf(m, "quarantined pages: %ld\n", pages);
	seq_printf(m, "quarantined buffers: %ld\n", bufs);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sev_platform);

static int sev_asids_show(struct seq_file *m, void *v)
{
	unsigned int used, reclaim;

	sev_asid_count(&sev_asids, &used, &reclaim);
	seq_printf(m, "in use: %u\n", used - reclaim);
	seq_printf(m, "awaiting reclaim: %u\n", reclaim);
	seq_printf(m, "reclaim passes: %lu\n", READ_ONCE(sev_asids.passes));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sev_asids);

void sev_debugfs_init(void)
{
	sev_debugfs_root = debugfs_create_dir("kvm_amd_sev", NULL);
	debugfs_create_file("platform", 0444, sev_debugfs_root, NULL,
			    &sev_platform_fops);
	debugfs_create_file("asids", 0444, sev_debugfs_root, NULL,
			    &sev_asids_fops);
}

void sev_debugfs_exit(void)
{
	debugfs_remove_recursive(sev_debugfs_root);
	sev_debugfs_root = NULL;
}

static const char *const sev_guest_state_names[] = {
	"UNINIT", "LUPDATE", "LSECRET", "RUNNING", "SUPDATE", "RUPDATE",
	"SENT",
};

/* Ask the firmware; the VM's /dev/sev file is the one of its START */
static void sev_show_fw_state(struct seq_file *m, struct kvm *kvm,
			      struct sev_vm_ext *ext)
{
	struct sev_data_guest_status data = {};
	int ret, error = 0;

	data.handle = to_sev(kvm)->handle;
	if (!data.handle || !ext || !ext->sev_file) {
		seq_puts(m, "firmware state: no context\n");
		return;
	}

	ret = sev_issue_cmd_file(ext->sev_file, SEV_CMD_GUEST_STATUS, &data,
				 &error);
	if (ret) {
		seq_printf(m, "firmware state: error %d, status %#x\n", ret,
			   error);
		return;
	}
	seq_printf(m, "firmware state: %s (%u)\n",
		   data.state < ARRAY_SIZE(sev_guest_state_names) ?
		   sev_guest_state_names[data.state] : "?", data.state);
	seq_printf(m, "firmware policy: %#x\n", data.policy);
}

static int sev_vm_info_show(struct seq_file *m, void *v)
{
	struct kvm *kvm = m->private;
	struct kvm_sev_info *sev = to_sev(kvm);
	struct sev_vm_ext *ext;
	struct kvm_sev_info *mirror;
	struct enc_region *region;
	unsigned int nregions = 0, nmirrors = 0;
	int ret;

	ret = mutex_lock_killable(&kvm->lock);
	if (ret)
		return ret;

	if (!sev_guest(kvm)) {
		seq_puts(m, "not an SEV guest\n");
		goto out;
	}

	ext = sev_ext_get(kvm, false);
	seq_printf(m, "handle: %u\n", sev->handle);
	seq_printf(m, "asid: %u\n", sev->asid);
	seq_printf(m, "policy: %#x\n", ext ? ext->policy : 0);
	sev_show_fw_state(m, kvm, ext);
	seq_printf(m, "pinned pages: %lu\n", sev->pages_locked);
	list_for_each_entry(region, &sev->regions_list, list)
		nregions++;
	seq_printf(m, "regions: %u\n", nregions);

	mutex_lock(&sev_mirror_lock);
	list_for_each_entry(mirror, &sev->mirror_vms, mirror_entry)
		nmirrors++;
	seq_printf(m, "mirror: %s\n", sev->enc_context_owner ? "yes" : "no");
	seq_printf(m, "mirrors: %u\n", nmirrors);
	mutex_unlock(&sev_mirror_lock);
out:
	mutex_unlock(&kvm->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sev_vm_info);

static int sev_vm_regions_show(struct seq_file *m, void *v)
{
	struct kvm *kvm = m->private;
	struct enc_region *region;
	int ret;

	ret = mutex_lock_killable(&kvm->lock);
	if (ret)
		return ret;

	if (sev_guest(kvm))
		list_for_each_entry(region, &to_sev(kvm)->regions_list, list)
			seq_printf(m, "%#lx %#lx %lu\n", region->uaddr,
				   region->size, region->npages);
	mutex_unlock(&kvm->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sev_vm_regions);

/*
 * A snapshot without the vCPU mutexes, which KVM_RUN holds for as long as
 * the vCPU runs. The measured register state is the VMSA, which only
 * SEV-ES guests have.
 */
static int sev_vm_vcpus_show(struct seq_file *m, void *v)
{
	struct kvm *kvm = m->private;
	struct vmcb_control_area *c;
	struct kvm_vcpu *vcpu;
	struct vcpu_svm *svm;
	unsigned long i;

	kvm_for_each_vcpu(i, vcpu, kvm) {
		svm = to_svm(vcpu);
		c = &svm->vmcb01.ptr->control;
		seq_printf(m, "vcpu %u: asid %u nested_ctl %#llx sev_enable %u tlb_ctl %u ud_intercept %u vmsa none\n",
			   vcpu->vcpu_id, READ_ONCE(c->asid),
			   READ_ONCE(c->nested_ctl),
			   !!(READ_ONCE(c->nested_ctl) &
			      SVM_NESTED_CTL_SEV_ENABLE),
			   READ_ONCE(c->tlb_ctl),
			   !!(READ_ONCE(c->intercepts[INTERCEPT_EXCEPTION]) &
			      BIT(UD_VECTOR)));
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sev_vm_vcpus);

/**
 * sev_debugfs_vm_add() - create the VM's "sev" directory
 * @kvm: a VM that just became SEV (INIT, MOVE or COPY)
 * @ext: its extra state, which keeps the directory
 *
 * KVM removes the VM's debugfs tree, and with it this directory, before
 * it destroys the VM.
 */
void sev_debugfs_vm_add(struct kvm *kvm, struct sev_vm_ext *ext)
{
	if (IS_ERR_OR_NULL(kvm->debugfs_dentry) || ext->dir)
		return;

	ext->dir = debugfs_create_dir("sev", kvm->debugfs_dentry);
	debugfs_create_file("info", 0444, ext->dir, kvm, &sev_vm_info_fops);
	debugfs_create_file("regions", 0444, ext->dir, kvm,
			    &sev_vm_regions_fops);
	debugfs_create_file("vcpus", 0444, ext->dir, kvm, &sev_vm_vcpus_fops);
}
