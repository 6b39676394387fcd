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
 *	vmsa/<index>	SEV-ES: the vCPU's VMSA exactly as it was handed to
 *			LAUNCH_UPDATE_VMSA (4096 bytes, root only)
 *	vmsa/<index>.txt	the same, decoded
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
	/* after "asids:", which tests find with strstr() */
	seq_printf(m, "es_asids: %u - %u\n", sev_plat.es_max_asid ? 1 : 0,
		   sev_plat.es_max_asid);
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

void sev_kvm_debugfs_init(void)
{
	sev_debugfs_root = debugfs_create_dir("kvm_amd_sev", NULL);
	debugfs_create_file("platform", 0444, sev_debugfs_root, NULL,
			    &sev_platform_fops);
	debugfs_create_file("asids", 0444, sev_debugfs_root, NULL,
			    &sev_asids_fops);
}

void sev_kvm_debugfs_exit(void)
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
		seq_printf(m, "vcpu %u: asid %u nested_ctl %#llx sev_enable %u tlb_ctl %u ud_intercept %u ",
			   vcpu->vcpu_id, READ_ONCE(c->asid),
			   READ_ONCE(c->nested_ctl),
			   !!(READ_ONCE(c->nested_ctl) &
			      SVM_NESTED_CTL_SEV_ENABLE),
			   READ_ONCE(c->tlb_ctl),
			   !!(READ_ONCE(c->intercepts[INTERCEPT_EXCEPTION]) &
			      BIT(UD_VECTOR)));
		if (!READ_ONCE(svm->sev_es.vmsa)) {
			seq_puts(m, "vmsa none\n");
			continue;
		}
		seq_printf(m, "vmsa %s sev_es_enable %u ghcb_msr %#llx protected %u\n",
			   READ_ONCE(c->vmsa_pa) != INVALID_PAGE ? "set" : "unset",
			   !!(READ_ONCE(c->nested_ctl) &
			      SVM_NESTED_CTL_SEV_ES_ENABLE),
			   READ_ONCE(c->ghcb_gpa),
			   READ_ONCE(vcpu->arch.guest_state_protected));
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sev_vm_vcpus);

/* A segment of a VMSA: selector, attributes, limit, base */
static void sev_vmsa_show_seg(struct seq_file *m, const char *name,
			      const struct vmcb_seg *seg)
{
	seq_printf(m, "%-4s selector %#06x attrib %#06x limit %#010x base %#018llx\n",
		   name, seg->selector, seg->attrib, seg->limit, seg->base);
}

/* The decoded view of a measured VMSA: what KVM put into it */
static int sev_vmsa_text_show(struct seq_file *m, void *v)
{
	const struct sev_vmsa_copy *copy = m->private;
	const struct sev_es_save_area *s = (const void *)copy->page;
	static const char *const seg_names[] = {
		"es", "cs", "ss", "ds", "fs", "gs", "gdtr", "ldtr", "idtr", "tr",
	};
	const struct vmcb_seg *segs = &s->es;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(seg_names); i++)
		sev_vmsa_show_seg(m, seg_names[i], &segs[i]);
	seq_printf(m, "cpl %u efer %#llx cr0 %#llx cr2 %#llx cr3 %#llx cr4 %#llx\n",
		   s->cpl, s->efer, s->cr0, s->cr2, s->cr3, s->cr4);
	seq_printf(m, "rip %#llx rsp %#llx rflags %#llx dr6 %#llx dr7 %#llx\n",
		   s->rip, s->rsp, s->rflags, s->dr6, s->dr7);
	seq_printf(m, "rax %#llx rbx %#llx rcx %#llx rdx %#llx\n",
		   s->rax, s->rbx, s->rcx, s->rdx);
	seq_printf(m, "rbp %#llx rsi %#llx rdi %#llx\n", s->rbp, s->rsi,
		   s->rdi);
	seq_printf(m, "r8 %#llx r9 %#llx r10 %#llx r11 %#llx\n", s->r8, s->r9,
		   s->r10, s->r11);
	seq_printf(m, "r12 %#llx r13 %#llx r14 %#llx r15 %#llx\n", s->r12,
		   s->r13, s->r14, s->r15);
	seq_printf(m, "g_pat %#llx xcr0 %#llx xss %#llx pkru %#x\n", s->g_pat,
		   s->xcr0, s->xss, s->pkru);
	seq_printf(m, "star %#llx lstar %#llx cstar %#llx sfmask %#llx kernel_gs_base %#llx\n",
		   s->star, s->lstar, s->cstar, s->sfmask, s->kernel_gs_base);
	seq_printf(m, "sysenter_cs %#llx sysenter_esp %#llx sysenter_eip %#llx\n",
		   s->sysenter_cs, s->sysenter_esp, s->sysenter_eip);
	seq_printf(m, "sev_features %#llx\n", s->sev_features);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sev_vmsa_text);

/* vmsa/<index> (the 4096 bytes) and vmsa/<index>.txt */
static void sev_debugfs_vmsa_files(struct sev_vm_ext *ext, unsigned long idx,
				   struct sev_vmsa_copy *copy)
{
	struct dentry *dir;
	char name[24];

	dir = debugfs_lookup("vmsa", ext->dir);
	if (!dir)
		dir = debugfs_create_dir("vmsa", ext->dir);
	else
		dput(dir);
	snprintf(name, sizeof(name), "%lu", idx);
	debugfs_create_blob(name, 0400, dir, &copy->blob);
	snprintf(name, sizeof(name), "%lu.txt", idx);
	debugfs_create_file(name, 0400, dir, copy, &sev_vmsa_text_fops);
}

/**
 * sev_debugfs_vmsa_add() - keep a measured VMSA for the owner to read
 * @kvm: the VM (or mirror) whose vCPU it is
 * @idx: the vCPU index
 * @copy: kmalloc'ed, its page holding the 4096 bytes handed to
 *	  LAUNCH_UPDATE_VMSA; taken over (freed here on failure)
 *
 * The copy holds only the launch inputs the owner measures anyway.
 */
void sev_debugfs_vmsa_add(struct kvm *kvm, unsigned int idx,
			  struct sev_vmsa_copy *copy)
{
	struct sev_vm_ext *ext = sev_ext_get(kvm, false);
	struct sev_vmsa_copy *old;

	if (!ext)
		goto free;
	copy->blob.data = copy->page;
	copy->blob.size = PAGE_SIZE;
	old = xa_store(&ext->vmsas, idx, copy, GFP_KERNEL_ACCOUNT);
	if (xa_is_err(old))
		goto free;
	/* a vCPU is launched once: no older copy, no files to replace */
	if (WARN_ON_ONCE(old))
		kfree(old);
	else if (!IS_ERR_OR_NULL(ext->dir))
		sev_debugfs_vmsa_files(ext, idx, copy);
	return;
free:
	kfree(copy);
}

/* Free the VM's measured VMSAs (its debugfs files are gone) */
void sev_vmsa_copies_free(struct sev_vm_ext *ext)
{
	struct sev_vmsa_copy *copy;
	unsigned long idx;

	xa_for_each(&ext->vmsas, idx, copy)
		kfree(copy);
	xa_destroy(&ext->vmsas);
}

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
	struct sev_vmsa_copy *copy;
	unsigned long idx;

	if (IS_ERR_OR_NULL(kvm->debugfs_dentry) || ext->dir)
		return;

	ext->dir = debugfs_create_dir("sev", kvm->debugfs_dentry);
	debugfs_create_file("info", 0444, ext->dir, kvm, &sev_vm_info_fops);
	debugfs_create_file("regions", 0444, ext->dir, kvm,
			    &sev_vm_regions_fops);
	debugfs_create_file("vcpus", 0444, ext->dir, kvm, &sev_vm_vcpus_fops);

	/* the measured VMSAs of a moved context */
	xa_for_each(&ext->vmsas, idx, copy)
		sev_debugfs_vmsa_files(ext, idx, copy);
}
