/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The SEV backend's internal interface, shared by svm/sev*.c. The SVM core
 * (svm.c and friends) sees only the functions svm.h declares.
 */

#ifndef _SEV_KVM_H
#define _SEV_KVM_H

#include <linux/debugfs.h>
#include <linux/kvm_host.h>
#include <linux/list.h>
#include <linux/xarray.h>
#include <linux/psp-sev.h>

#include "svm.h"
#include "sev-asid.h"

/**
 * struct sev_platform - what the backend found at load time
 * @min_asid: lowest plain-SEV ASID
 * @max_asid: highest SEV ASID (max_sev_asid in svm.h)
 * @es_max_asid: highest SEV-ES ASID (ES uses 1 .. this; 0: no SEV-ES)
 * @cbit: C-bit position
 * @me_mask: 1 << @cbit
 * @sw: the firmware is the software one (sev_psp_sw_caps() answered)
 * @vmcb_sev_bit: set SVM_NESTED_CTL_SEV_ENABLE in SEV guests' VMCBs
 */
struct sev_platform {
	unsigned int min_asid;
	unsigned int max_asid;
	unsigned int es_max_asid;
	unsigned int cbit;
	u64 me_mask;
	bool sw;
	bool vmcb_sev_bit;
};

extern struct sev_platform sev_plat;
extern struct sev_asid_pool sev_asids;
extern struct mutex sev_mirror_lock;

/**
 * struct sev_vm_ext - per-VM state that struct kvm_sev_info has no room for
 * @node: in the table, keyed by @kvm
 * @kvm: the VM
 * @policy: guest policy given at LAUNCH_START or RECEIVE_START
 * @sev_file: the /dev/sev file of the last START: every firmware command
 *	      of the VM goes through it, so that it reaches the firmware
 *	      instance the context lives in (-ENODEV once that is gone)
 * @dir: the VM's debugfs directory "sev"
 * @fw_hold: a command of the current ioctl timed out and may still run:
 *	     its memory is quarantined (sev-quarantine.c)
 * @es_norun_logged: the "cannot run SEV-ES guests" warning was given
 * @vmsas: SEV-ES: per vCPU index, the VMSA page exactly as it was handed
 *	   to LAUNCH_UPDATE_VMSA (struct sev_vmsa_copy, for debugfs)
 * @rcu: freed after a grace period (sev_ext_peek() readers)
 */
struct sev_vm_ext {
	struct hlist_node node;
	struct kvm *kvm;
	u32 policy;
	struct file *sev_file;
	struct dentry *dir;
	bool fw_hold;
	bool es_norun_logged;
	struct xarray vmsas;
	struct rcu_head rcu;
};

/**
 * struct sev_vmsa_copy - a measured VMSA, as debugfs shows it
 * @blob: the binary file's view of @page
 * @page: the 4096 bytes
 */
struct sev_vmsa_copy {
	struct debugfs_blob_wrapper blob;
	u8 page[PAGE_SIZE];
};

/**
 * struct enc_region - a range pinned with KVM_MEMORY_ENCRYPT_REG_REGION
 * @list: in kvm_sev_info.regions_list
 * @npages: pages pinned
 * @pages: the pages
 * @uaddr: start as registered
 * @size: length as registered
 */
struct enc_region {
	struct list_head list;
	unsigned long npages;
	struct page **pages;
	unsigned long uaddr;
	unsigned long size;
};

static inline struct kvm_sev_info *to_sev(struct kvm *kvm)
{
	return &to_kvm_svm(kvm)->sev_info;
}

static inline bool sev_is_mirror(struct kvm *kvm)
{
	return !!to_sev(kvm)->enc_context_owner;
}

/* sev.c */
struct sev_vm_ext *sev_ext_get(struct kvm *kvm, bool create);
struct sev_vm_ext *sev_ext_peek(struct kvm *kvm);
void sev_ext_set_file(struct sev_vm_ext *ext, struct file *file);
int sev_issue_cmd(struct kvm *kvm, int id, void *data, int *error);
int sev_issue_cmd_file(struct file *file, int id, void *data, int *error);
void sev_unbind_asid(struct file *file, unsigned int handle);
void sev_decommission(struct file *file, unsigned int handle);
int sev_misc_cg_charge(struct kvm_sev_info *sev);
void sev_misc_cg_uncharge(struct kvm_sev_info *sev);

/* sev-mem.c */
struct page **sev_pin_memory(struct kvm *kvm, unsigned long uaddr,
			     unsigned long ulen, unsigned long *n,
			     unsigned int flags);
void sev_unpin_memory(struct kvm *kvm, struct page **pages,
		      unsigned long npages);
void sev_clflush_pages(struct page **pages, unsigned long npages);
void sev_dirty_pages(struct page **pages, unsigned long npages);
void sev_unpin_all_regions(struct kvm *kvm);
static inline u64 sev_page_pa(struct page *page)
{
	return __sme_page_pa(page);
}

/* sev-es.c */
bool sev_es_runnable(void);
bool sev_es_block_entry(struct kvm_vcpu *vcpu);
void sev_es_vcpu_after_set_cpuid(struct vcpu_svm *svm);
void sev_es_move_vcpus(struct kvm *dst_kvm, struct kvm *src_kvm);

/* sev-ghcb.c */
void sev_es_release_ghcb(struct vcpu_svm *svm);

/* sev-quarantine.c */
void sev_vm_fw_ret(struct kvm *kvm, int ret);
void sev_vm_fw_end(struct kvm *kvm);
bool sev_vm_fw_held(struct kvm *kvm);
void sev_fw_kfree(struct kvm *kvm, void *buf);
void sev_fw_free_page(struct kvm *kvm, struct page *page);
void sev_fw_keep_page(struct kvm *kvm, struct page *page);
void sev_quarantine_note_pages(unsigned long npages);
void sev_quarantine_counts(long *pages, long *bufs);

/* sev-launch.c */
int sev_guest_init(struct kvm *kvm, struct kvm_sev_cmd *argp);
int sev_launch_start(struct kvm *kvm, struct kvm_sev_cmd *argp);
int sev_launch_update_data(struct kvm *kvm, struct kvm_sev_cmd *argp);
int sev_launch_update_vmsa(struct kvm *kvm, struct kvm_sev_cmd *argp);
int sev_launch_secret(struct kvm *kvm, struct kvm_sev_cmd *argp);
int sev_launch_measure(struct kvm *kvm, struct kvm_sev_cmd *argp);
int sev_launch_finish(struct kvm *kvm, struct kvm_sev_cmd *argp);
int sev_guest_status(struct kvm *kvm, struct kvm_sev_cmd *argp);
int sev_attestation_report(struct kvm *kvm, struct kvm_sev_cmd *argp);
int sev_start_context(struct kvm *kvm, struct kvm_sev_cmd *argp, int cmd,
		      void *data, u32 *handle, u32 policy);

/* sev-dbg.c */
int sev_dbg_crypt(struct kvm *kvm, struct kvm_sev_cmd *argp, bool decrypt);

/* sev-migrate.c */
int sev_send_start(struct kvm *kvm, struct kvm_sev_cmd *argp);
int sev_send_update_data(struct kvm *kvm, struct kvm_sev_cmd *argp);
int sev_send_finish(struct kvm *kvm, struct kvm_sev_cmd *argp);
int sev_send_cancel(struct kvm *kvm, struct kvm_sev_cmd *argp);
int sev_receive_start(struct kvm *kvm, struct kvm_sev_cmd *argp);
int sev_receive_update_data(struct kvm *kvm, struct kvm_sev_cmd *argp);
int sev_receive_finish(struct kvm *kvm, struct kvm_sev_cmd *argp);

/* sev-debugfs.c */
void sev_kvm_debugfs_init(void);
void sev_kvm_debugfs_exit(void);
void sev_debugfs_vm_add(struct kvm *kvm, struct sev_vm_ext *ext);
void sev_debugfs_vmsa_add(struct kvm *kvm, unsigned int idx,
			  struct sev_vmsa_copy *copy);
void sev_vmsa_copies_free(struct sev_vm_ext *ext);

#endif /* _SEV_KVM_H */
