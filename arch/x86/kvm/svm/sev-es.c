// SPDX-License-Identifier: GPL-2.0-only
/*
 * SEV-ES, the launch side: the VMSA page of every vCPU, filled from the
 * vCPU's state exactly as Linux 6.1 fills it (guest owners recompute the
 * launch measurement from those bytes), KVM_SEV_LAUNCH_UPDATE_VMSA, the
 * VMCB of an ES vCPU, vCPU reset and free, the host state the hardware
 * restores at #VMEXIT, and the vCPU state that moves with an ES context.
 * The GHCB protocol (VMGEXIT) lives in sev-ghcb.c.
 *
 * The software firmware measures and encrypts VMSAs, but no CPU without
 * SEV-ES can run them: on such a platform an ES vCPU never reaches VMRUN
 * and KVM_RUN ends in KVM_EXIT_SHUTDOWN.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kvm_host.h>
#include <linux/psp-sev.h>
#include <linux/slab.h>

#include <asm/cacheflush.h>
#include <asm/fpu/api.h>
#include <asm/fpu/xcr.h>
#include <asm/pkru.h>
#include <asm/sev-common.h>

#include "cpuid.h"
#include "x86.h"
#include "svm.h"
#include "sev-kvm.h"
#include "sev-ghcb-check.h"

/* What the VMCB save area (740 bytes) covers of a VMSA page */
#define SEV_VMCB_SAVE_LEN	sizeof(struct vmcb_save_area)

/**
 * sev_es_runnable() - can this platform enter an SEV-ES guest?
 *
 * Only a CPU with SEV-ES, whose firmware is the real PSP, loads a VMSA at
 * VMRUN and restores the host from the host save area at #VMEXIT.
 */
bool sev_es_runnable(void)
{
	return !sev_plat.sw && boot_cpu_has(X86_FEATURE_SEV_ES);
}

/**
 * sev_es_init_vmcb() - the VMCB of an SEV-ES vCPU
 * @svm: the vCPU; its VMSA is NULL on the destination of a move
 *
 * The hypervisor cannot see or change the guest's registers: register
 * intercepts become traps that report the new value, the GHCB protocol
 * replaces the intercepts KVM would emulate, and the VMSA address goes
 * into the VMCB without the C-bit (the CPU reads it with the guest's key).
 */
static void sev_es_init_vmcb(struct vcpu_svm *svm)
{
	struct vmcb_control_area *c = &svm->vmcb->control;
	static const u32 passthrough[] = {
		MSR_EFER, MSR_IA32_CR_PAT, MSR_IA32_LASTBRANCHFROMIP,
		MSR_IA32_LASTBRANCHTOIP, MSR_IA32_LASTINTFROMIP,
		MSR_IA32_LASTINTTOIP,
	};
	unsigned int i;

	if (sev_plat.vmcb_sev_bit)
		c->nested_ctl |= SVM_NESTED_CTL_SEV_ES_ENABLE;
	/* 6.1 turns LBR virtualization on for every ES vCPU */
	c->virt_ext |= LBR_CTL_ENABLE_MASK;
	if (svm->sev_es.vmsa)
		c->vmsa_pa = __pa(svm->sev_es.vmsa);

	svm_clr_intercept(svm, INTERCEPT_CR0_READ);
	svm_clr_intercept(svm, INTERCEPT_CR4_READ);
	svm_clr_intercept(svm, INTERCEPT_CR8_READ);
	svm_clr_intercept(svm, INTERCEPT_CR0_WRITE);
	svm_clr_intercept(svm, INTERCEPT_CR4_WRITE);
	svm_clr_intercept(svm, INTERCEPT_CR8_WRITE);
	svm_clr_intercept(svm, INTERCEPT_SELECTIVE_CR0);
	svm_set_intercept(svm, TRAP_EFER_WRITE);
	svm_set_intercept(svm, TRAP_CR0_WRITE);
	svm_set_intercept(svm, TRAP_CR4_WRITE);
	svm_set_intercept(svm, TRAP_CR8_WRITE);
	/* XCR0 is the guest's; #GP is not KVM's to emulate (no backdoor) */
	svm_clr_intercept(svm, INTERCEPT_XSETBV);
	clr_exception_intercept(svm, GP_VECTOR);

	for (i = 0; i < ARRAY_SIZE(passthrough); i++)
		set_msr_interception(&svm->vcpu, svm->msrpm, passthrough[i],
				     1, 1);
}

/**
 * sev_init_vmcb() - program a vCPU's VMCB for SEV (and SEV-ES)
 * @svm: the vCPU
 *
 * Sets the SEV enable bit of nested_ctl (offset 0x90) and stops
 * intercepting #UD, which KVM cannot emulate for an encrypted guest. The
 * ASID is written before each VMRUN (pre_sev_run()).
 */
void sev_init_vmcb(struct vcpu_svm *svm)
{
	if (sev_plat.vmcb_sev_bit)
		svm->vmcb->control.nested_ctl |= SVM_NESTED_CTL_SEV_ENABLE;
	clr_exception_intercept(svm, UD_VECTOR);

	if (sev_es_guest(svm->vcpu.kvm))
		sev_es_init_vmcb(svm);
}

/**
 * sev_es_vcpu_reset() - RESET of an SEV-ES vCPU
 * @svm: the vCPU
 *
 * The GHCB MSR holds the SEV information response at RESET (GHCB spec):
 * the protocol versions and the C-bit, so that the guest can start the
 * protocol without asking.
 */
void sev_es_vcpu_reset(struct vcpu_svm *svm)
{
	svm->vmcb->control.ghcb_gpa = sev_ghcb_msr_sev_info(GHCB_VERSION_MAX,
							    GHCB_VERSION_MIN,
							    sev_plat.cbit);
}

/**
 * sev_es_vcpu_after_set_cpuid() - TSC_AUX for an SEV-ES vCPU
 * @svm: the vCPU
 *
 * With V_TSC_AUX the CPU swaps TSC_AUX itself: let the guest have it when
 * its CPUID offers RDTSCP or RDPID.
 */
void sev_es_vcpu_after_set_cpuid(struct vcpu_svm *svm)
{
	struct kvm_vcpu *vcpu = &svm->vcpu;
	bool guest_has;

	if (!boot_cpu_has(X86_FEATURE_V_TSC_AUX))
		return;
	guest_has = guest_cpuid_has(vcpu, X86_FEATURE_RDTSCP) ||
		    guest_cpuid_has(vcpu, X86_FEATURE_RDPID);
	set_msr_interception(vcpu, svm->msrpm, MSR_TSC_AUX, guest_has,
			     guest_has);
}

/*
 * Write back and evict a page the guest's key encrypted, before the host
 * reuses it. The software firmware's pages are ordinary memory.
 */
static void sev_es_flush_guest_page(struct kvm *kvm, void *va)
{
	unsigned int asid = to_sev(kvm)->asid;

	if (sev_plat.sw || boot_cpu_has(X86_FEATURE_SME_COHERENT)) {
		clflush_cache_range(va, PAGE_SIZE);
		return;
	}
	/* VM_PAGE_FLUSH: the page's address with the ASID in bits 11:0 */
	if (wrmsrl_safe(MSR_AMD64_VM_PAGE_FLUSH, __pa(va) | asid))
		wbinvd_on_all_cpus();
}

/**
 * sev_free_vcpu() - free an SEV-ES vCPU's VMSA and scratch buffer
 * @vcpu: the vCPU
 *
 * A VMSA that a timed-out firmware command may still touch has an extra
 * reference (sev_fw_keep_page()) and stays allocated.
 */
void sev_free_vcpu(struct kvm_vcpu *vcpu)
{
	struct vcpu_svm *svm = to_svm(vcpu);

	if (!sev_es_guest(vcpu->kvm))
		return;

	/* a VMGEXIT the vCPU never returned from still maps its GHCB */
	sev_es_release_ghcb(svm);

	if (svm->sev_es.vmsa) {
		if (vcpu->arch.guest_state_protected)
			sev_es_flush_guest_page(vcpu->kvm, svm->sev_es.vmsa);
		__free_page(virt_to_page(svm->sev_es.vmsa));
		svm->sev_es.vmsa = NULL;
	}
	if (svm->sev_es.ghcb_sa_free)
		kvfree(svm->sev_es.ghcb_sa);
	svm->sev_es.ghcb_sa = NULL;
	svm->sev_es.ghcb_sa_free = false;
}

/**
 * sev_es_prepare_switch_to_guest() - host state the CPU restores at #VMEXIT
 * @hostsa: the host save area of this CPU (SEV-ES layout)
 *
 * Called before the first entry after the vCPU was loaded. On a platform
 * that cannot run ES guests the entry is cancelled here (see
 * sev_es_block_entry()).
 */
void sev_es_prepare_switch_to_guest(struct sev_es_save_area *hostsa)
{
	hostsa->xcr0 = xgetbv(XCR_XFEATURE_ENABLED_MASK);
	hostsa->pkru = read_pkru();
	hostsa->xss = host_xss;
}

/**
 * sev_es_block_entry() - keep an ES vCPU from VMRUN where it cannot run
 * @vcpu: the vCPU about to enter, from sev_es_unmap_ghcb(), with
 *	  preemption disabled
 *
 * Without SEV-ES in the CPU, VMRUN would run the guest from the VMCB and
 * the #VMEXIT would not restore the host's registers from the host save
 * area. A pending triple-fault request cancels this entry, and the next
 * pass of the run loop ends KVM_RUN with KVM_EXIT_SHUTDOWN.
 *
 * Return: true if the entry is blocked.
 */
bool sev_es_block_entry(struct kvm_vcpu *vcpu)
{
	struct sev_vm_ext *ext;

	if (sev_es_runnable())
		return false;

	/* preemption is off here: no mutex, the RCU lookup */
	rcu_read_lock();
	ext = sev_ext_peek(vcpu->kvm);
	if (ext && !xchg(&ext->es_norun_logged, true))
		pr_warn("SEV-ES: this CPU cannot run SEV-ES guests (software firmware, no SEV-ES in the CPU): vCPU %d stops with KVM_EXIT_SHUTDOWN\n",
			vcpu->vcpu_id);
	rcu_read_unlock();
	kvm_make_request(KVM_REQ_TRIPLE_FAULT, vcpu);
	return true;
}

/*
 * The layout the measurement depends on: 6.1's sizes, and the offsets of
 * the fields this file writes (owners rebuild the page from them).
 */
static __always_inline void sev_es_layout_checks(void)
{
	BUILD_BUG_ON(sizeof(struct vmcb_save_area) != 0x2e4);
	BUILD_BUG_ON(sizeof(struct sev_es_save_area) != 0x670);
	BUILD_BUG_ON(offsetof(struct sev_es_save_area, cs) != 0x010);
	BUILD_BUG_ON(offsetof(struct sev_es_save_area, tr) != 0x090);
	BUILD_BUG_ON(offsetof(struct sev_es_save_area, cpl) != 0x0cb);
	BUILD_BUG_ON(offsetof(struct sev_es_save_area, efer) != 0x0d0);
	BUILD_BUG_ON(offsetof(struct sev_es_save_area, xss) != 0x140);
	BUILD_BUG_ON(offsetof(struct sev_es_save_area, cr4) != 0x148);
	BUILD_BUG_ON(offsetof(struct sev_es_save_area, dr6) != 0x168);
	BUILD_BUG_ON(offsetof(struct sev_es_save_area, rip) != 0x178);
	BUILD_BUG_ON(offsetof(struct sev_es_save_area, rsp) != 0x1d8);
	BUILD_BUG_ON(offsetof(struct sev_es_save_area, rax) != 0x1f8);
	BUILD_BUG_ON(offsetof(struct sev_es_save_area, g_pat) != 0x268);
	BUILD_BUG_ON(offsetof(struct sev_es_save_area, pkru) != 0x2e8);
	BUILD_BUG_ON(offsetof(struct sev_es_save_area, rcx) != 0x308);
	BUILD_BUG_ON(offsetof(struct sev_es_save_area, rbp) != 0x328);
	BUILD_BUG_ON(offsetof(struct sev_es_save_area, r8) != 0x340);
	BUILD_BUG_ON(offsetof(struct sev_es_save_area, sev_features) != 0x3b0);
	BUILD_BUG_ON(offsetof(struct sev_es_save_area, xcr0) != 0x3e8);
	BUILD_BUG_ON(offsetof(struct vmcb_save_area, rip) != 0x178);
	BUILD_BUG_ON(offsetof(struct vmcb_save_area, g_pat) != 0x268);
}

/**
 * sev_es_sync_vmsa() - fill the VMSA page from the vCPU's state
 * @svm: the vCPU, not yet protected
 *
 * Byte for byte what Linux 6.1 writes: the VMCB save area over the start
 * of the page (its fields share the VMSA's offsets, its reserved bytes are
 * zero), then the GPRs and RIP from KVM's register cache, XCR0, PKRU, XSS
 * and DR6. Nothing else: no FPU state, no SEV features, no DR0-3.
 *
 * Return: 0, or -EINVAL while guest debugging is on or DR7 is not reset.
 */
static int sev_es_sync_vmsa(struct vcpu_svm *svm)
{
	struct sev_es_save_area *save = svm->sev_es.vmsa;
	struct kvm_vcpu *vcpu = &svm->vcpu;
	unsigned long *regs = vcpu->arch.regs;

	if (vcpu->guest_debug || svm->vmcb->save.dr7 != DR7_FIXED_1)
		return -EINVAL;

	sev_es_layout_checks();
	memcpy(save, &svm->vmcb->save, SEV_VMCB_SAVE_LEN);

	save->rax = regs[VCPU_REGS_RAX];
	save->rbx = regs[VCPU_REGS_RBX];
	save->rcx = regs[VCPU_REGS_RCX];
	save->rdx = regs[VCPU_REGS_RDX];
	save->rsp = regs[VCPU_REGS_RSP];
	save->rbp = regs[VCPU_REGS_RBP];
	save->rsi = regs[VCPU_REGS_RSI];
	save->rdi = regs[VCPU_REGS_RDI];
#ifdef CONFIG_X86_64
	save->r8 = regs[VCPU_REGS_R8];
	save->r9 = regs[VCPU_REGS_R9];
	save->r10 = regs[VCPU_REGS_R10];
	save->r11 = regs[VCPU_REGS_R11];
	save->r12 = regs[VCPU_REGS_R12];
	save->r13 = regs[VCPU_REGS_R13];
	save->r14 = regs[VCPU_REGS_R14];
	save->r15 = regs[VCPU_REGS_R15];
#endif
	save->rip = regs[VCPU_REGS_RIP];

	save->xcr0 = vcpu->arch.xcr0;
	save->pkru = vcpu->arch.pkru;
	save->xss = vcpu->arch.ia32_xss;
	save->dr6 = vcpu->arch.dr6;
	return 0;
}

/* Sync, flush and hand one vCPU's VMSA to the firmware */
static int sev_es_launch_vmsa(struct kvm *kvm, struct kvm_vcpu *vcpu,
			      int *error)
{
	struct sev_data_launch_update_vmsa data = {};
	struct vcpu_svm *svm = to_svm(vcpu);
	struct sev_vmsa_copy *copy;
	int ret;

	/*
	 * The page is the guest's ciphertext once launched; syncing it again
	 * would measure and encrypt the VMCB's stale copy over it (6.1 allows
	 * this, later kernels refuse it too).
	 */
	if (vcpu->arch.guest_state_protected)
		return -EINVAL;

	ret = sev_es_sync_vmsa(svm);
	if (ret)
		return ret;

	/* The owner's view of what is measured (debugfs vmsa/<index>) */
	copy = kmalloc(sizeof(*copy), GFP_KERNEL_ACCOUNT);
	if (copy)
		memcpy(copy->page, svm->sev_es.vmsa, PAGE_SIZE);

	/* The firmware rewrites the page in memory with the guest's key */
	clflush_cache_range(svm->sev_es.vmsa, PAGE_SIZE);

	data.handle = to_sev(kvm)->handle;
	data.address = __sme_pa(svm->sev_es.vmsa);
	data.len = PAGE_SIZE;
	ret = sev_issue_cmd(kvm, SEV_CMD_LAUNCH_UPDATE_VMSA, &data, error);
	sev_fw_keep_page(kvm, virt_to_page(svm->sev_es.vmsa));
	if (ret) {
		kfree(copy);
		return ret;
	}

	vcpu->arch.guest_state_protected = true;
	if (copy)
		sev_debugfs_vmsa_add(kvm, vcpu->vcpu_idx, copy);
	return 0;
}

/**
 * sev_launch_update_vmsa() - KVM_SEV_LAUNCH_UPDATE_VMSA
 * @kvm: an SEV-ES VM or a mirror of one, with kvm->lock held
 * @argp: the command; data is unused
 *
 * Every vCPU in index order (creation order, the BSP first), one vCPU
 * mutex at a time: the VMSA is filled, flushed, measured and encrypted by
 * the firmware, and the vCPU's state is protected from then on. The first
 * failure stops the loop; the vCPUs before it stay protected.
 *
 * Return: 0, -ENOTTY (not SEV-ES), -EINTR, -EINVAL (guest debugging, DR7,
 * a vCPU already protected), or the firmware command's error.
 */
int sev_launch_update_vmsa(struct kvm *kvm, struct kvm_sev_cmd *argp)
{
	struct kvm_vcpu *vcpu;
	unsigned long i;
	int ret;

	if (!sev_es_guest(kvm))
		return -ENOTTY;

	kvm_for_each_vcpu(i, vcpu, kvm) {
		if (mutex_lock_killable(&vcpu->mutex))
			return -EINTR;
		ret = sev_es_launch_vmsa(kvm, vcpu, &argp->error);
		mutex_unlock(&vcpu->mutex);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * sev_es_move_vcpus() - hand the ES state of every vCPU to the destination
 * @dst_kvm: the destination, its VMCBs already programmed for ES
 * @src_kvm: the source; same vCPU count, every vCPU protected
 *
 * The VMSA pages, GHCB state and protection move by vCPU index. The
 * source's vCPUs are left with nothing to free or run. Unlike 6.1, the
 * destination's FPU state is marked confidential as for a vCPU created ES.
 */
void sev_es_move_vcpus(struct kvm *dst_kvm, struct kvm *src_kvm)
{
	struct kvm_vcpu *dst_vcpu, *src_vcpu;
	struct vcpu_svm *dst, *src;
	unsigned long i;

	kvm_for_each_vcpu(i, src_vcpu, src_kvm) {
		dst_vcpu = kvm_get_vcpu(dst_kvm, i);
		if (WARN_ON_ONCE(!dst_vcpu))
			break;
		dst = to_svm(dst_vcpu);
		src = to_svm(src_vcpu);

		dst->sev_es = src->sev_es;
		dst->vmcb->control.ghcb_gpa = src->vmcb->control.ghcb_gpa;
		dst->vmcb->control.vmsa_pa = src->vmcb->control.vmsa_pa;
		dst_vcpu->arch.guest_state_protected = true;
		fpstate_set_confidential(&dst_vcpu->arch.guest_fpu);

		memset(&src->sev_es, 0, sizeof(src->sev_es));
		src->vmcb->control.ghcb_gpa = INVALID_PAGE;
		src->vmcb->control.vmsa_pa = INVALID_PAGE;
		src_vcpu->arch.guest_state_protected = false;
	}
}
