// SPDX-License-Identifier: GPL-2.0-only
/*
 * SEV-ES: the GHCB protocol (VMGEXIT) as Linux 6.1 implements it.
 *
 * A VMGEXIT either carries an MSR-protocol request in the GHCB MSR (bits
 * 11:0 non-zero) or names the guest's GHCB page. For a GHCB, KVM maps the
 * page, snapshots its valid bitmap, loads the registers the guest marked
 * valid, validates the request (sev-ghcb-check.c), and hands it to the
 * SVM core's exit handler of the same code or handles it here. The result
 * goes back into the GHCB: RAX, RBX, RCX and RDX always, when the page is
 * unmapped before the vCPU runs again, together with any scratch data read
 * for the guest.
 *
 * Every length and address from the GHCB is bounded before use: the
 * scratch area must lie in the GHCB's shared buffer or be at most 16 pages
 * of guest memory, and string I/O sizes must fit an int.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kvm_host.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include <asm/sev-common.h>
#include <asm/svm.h>

#include "x86.h"
#include "cpuid.h"
#include "trace.h"
#include "svm.h"
#include "sev-kvm.h"
#include "sev-ghcb-check.h"

/* The numbers of sev-ghcb-check.h against the kernel's own definitions */
static __always_inline void sev_ghcb_layout_checks(void)
{
	BUILD_BUG_ON(sizeof(struct ghcb) != SEV_GHCB_PAGE_SIZE);
	BUILD_BUG_ON(sizeof(((struct ghcb_save_area *)0)->valid_bitmap) !=
		     SEV_GHCB_BITMAP_BYTES);
	BUILD_BUG_ON(sizeof(((struct vcpu_sev_es_state *)0)->valid_bitmap) !=
		     SEV_GHCB_BITMAP_BYTES);
	BUILD_BUG_ON(GHCB_BITMAP_IDX(cpl) != SEV_GHCB_BIT_CPL);
	BUILD_BUG_ON(GHCB_BITMAP_IDX(rax) != SEV_GHCB_BIT_RAX);
	BUILD_BUG_ON(GHCB_BITMAP_IDX(rcx) != SEV_GHCB_BIT_RCX);
	BUILD_BUG_ON(GHCB_BITMAP_IDX(rdx) != SEV_GHCB_BIT_RDX);
	BUILD_BUG_ON(GHCB_BITMAP_IDX(rbx) != SEV_GHCB_BIT_RBX);
	BUILD_BUG_ON(GHCB_BITMAP_IDX(rsi) != SEV_GHCB_BIT_RSI);
	BUILD_BUG_ON(GHCB_BITMAP_IDX(sw_exit_code) !=
		     SEV_GHCB_BIT_SW_EXIT_CODE);
	BUILD_BUG_ON(GHCB_BITMAP_IDX(sw_exit_info_1) !=
		     SEV_GHCB_BIT_SW_EXIT_INFO_1);
	BUILD_BUG_ON(GHCB_BITMAP_IDX(sw_exit_info_2) !=
		     SEV_GHCB_BIT_SW_EXIT_INFO_2);
	BUILD_BUG_ON(GHCB_BITMAP_IDX(sw_scratch) != SEV_GHCB_BIT_SW_SCRATCH);
	BUILD_BUG_ON(GHCB_BITMAP_IDX(xcr0) != SEV_GHCB_BIT_XCR0);
	BUILD_BUG_ON(offsetof(struct ghcb, shared_buffer) !=
		     SEV_GHCB_SHARED_BUF_OFF);
	BUILD_BUG_ON(offsetof(struct ghcb, reserved_1) !=
		     SEV_GHCB_SHARED_BUF_END);
	BUILD_BUG_ON(SEV_GHCB_SCRATCH_MAX != 16 * PAGE_SIZE);

	BUILD_BUG_ON(SVM_EXIT_READ_DR7 != SEV_GHCB_EXIT_READ_DR7);
	BUILD_BUG_ON(SVM_EXIT_WRITE_DR7 != SEV_GHCB_EXIT_WRITE_DR7);
	BUILD_BUG_ON(SVM_EXIT_RDTSC != SEV_GHCB_EXIT_RDTSC);
	BUILD_BUG_ON(SVM_EXIT_RDPMC != SEV_GHCB_EXIT_RDPMC);
	BUILD_BUG_ON(SVM_EXIT_CPUID != SEV_GHCB_EXIT_CPUID);
	BUILD_BUG_ON(SVM_EXIT_INVD != SEV_GHCB_EXIT_INVD);
	BUILD_BUG_ON(SVM_EXIT_IOIO != SEV_GHCB_EXIT_IOIO);
	BUILD_BUG_ON(SVM_EXIT_MSR != SEV_GHCB_EXIT_MSR);
	BUILD_BUG_ON(SVM_EXIT_VMMCALL != SEV_GHCB_EXIT_VMMCALL);
	BUILD_BUG_ON(SVM_EXIT_RDTSCP != SEV_GHCB_EXIT_RDTSCP);
	BUILD_BUG_ON(SVM_EXIT_WBINVD != SEV_GHCB_EXIT_WBINVD);
	BUILD_BUG_ON(SVM_EXIT_MONITOR != SEV_GHCB_EXIT_MONITOR);
	BUILD_BUG_ON(SVM_EXIT_MWAIT != SEV_GHCB_EXIT_MWAIT);
	BUILD_BUG_ON(SVM_VMGEXIT_MMIO_READ != SEV_GHCB_EXIT_MMIO_READ);
	BUILD_BUG_ON(SVM_VMGEXIT_MMIO_WRITE != SEV_GHCB_EXIT_MMIO_WRITE);
	BUILD_BUG_ON(SVM_VMGEXIT_NMI_COMPLETE != SEV_GHCB_EXIT_NMI_COMPLETE);
	BUILD_BUG_ON(SVM_VMGEXIT_AP_HLT_LOOP != SEV_GHCB_EXIT_AP_HLT_LOOP);
	BUILD_BUG_ON(SVM_VMGEXIT_AP_JUMP_TABLE != SEV_GHCB_EXIT_AP_JUMP_TABLE);
	BUILD_BUG_ON(SVM_VMGEXIT_SET_AP_JUMP_TABLE != SEV_GHCB_AP_JT_SET);
	BUILD_BUG_ON(SVM_VMGEXIT_GET_AP_JUMP_TABLE != SEV_GHCB_AP_JT_GET);
	BUILD_BUG_ON(SVM_VMGEXIT_HV_FEATURES != SEV_GHCB_EXIT_HV_FEATURES);
	BUILD_BUG_ON(SVM_VMGEXIT_UNSUPPORTED_EVENT !=
		     SEV_GHCB_EXIT_UNSUPPORTED_EVENT);
	BUILD_BUG_ON(SVM_IOIO_TYPE_MASK != SEV_GHCB_IOIO_TYPE_IN);
	BUILD_BUG_ON(SVM_IOIO_STR_MASK != SEV_GHCB_IOIO_STR);
	BUILD_BUG_ON(SVM_IOIO_SIZE_SHIFT != SEV_GHCB_IOIO_SIZE_SHIFT);
	BUILD_BUG_ON(SVM_IOIO_SIZE_MASK != SEV_GHCB_IOIO_SIZE_MASK);

	BUILD_BUG_ON(GHCB_ERR_NOT_REGISTERED != SEV_GHCB_ERR_NOT_REGISTERED);
	BUILD_BUG_ON(GHCB_ERR_INVALID_USAGE != SEV_GHCB_ERR_INVALID_USAGE);
	BUILD_BUG_ON(GHCB_ERR_INVALID_SCRATCH_AREA !=
		     SEV_GHCB_ERR_INVALID_SCRATCH);
	BUILD_BUG_ON(GHCB_ERR_MISSING_INPUT != SEV_GHCB_ERR_MISSING_INPUT);
	BUILD_BUG_ON(GHCB_ERR_INVALID_INPUT != SEV_GHCB_ERR_INVALID_INPUT);
	BUILD_BUG_ON(GHCB_ERR_INVALID_EVENT != SEV_GHCB_ERR_INVALID_EVENT);

	BUILD_BUG_ON(GHCB_MSR_INFO_MASK != SEV_GHCB_MSR_INFO_MASK);
	BUILD_BUG_ON(GHCB_MSR_SEV_INFO_RESP != SEV_GHCB_MSR_SEV_INFO_RESP);
	BUILD_BUG_ON(GHCB_MSR_SEV_INFO_REQ != SEV_GHCB_MSR_SEV_INFO_REQ);
	BUILD_BUG_ON(GHCB_MSR_CPUID_REQ != SEV_GHCB_MSR_CPUID_REQ);
	BUILD_BUG_ON(GHCB_MSR_CPUID_RESP != SEV_GHCB_MSR_CPUID_RESP);
	BUILD_BUG_ON(GHCB_MSR_TERM_REQ != SEV_GHCB_MSR_TERM_REQ);
	BUILD_BUG_ON(GHCB_MSR_CPUID_FUNC_POS != 32);
	BUILD_BUG_ON(GHCB_MSR_CPUID_REG_POS != 30);
	BUILD_BUG_ON(GHCB_MSR_TERM_REASON_SET_POS != 12);
	BUILD_BUG_ON(GHCB_MSR_TERM_REASON_POS != 16);
}

static u64 sev_ghcb_exit_code(struct vmcb_control_area *control)
{
	return ((u64)control->exit_code_hi << 32) | control->exit_code;
}

static void sev_ghcb_set_error(struct ghcb *ghcb, u64 reason)
{
	ghcb_set_sw_exit_info_1(ghcb, SEV_GHCB_INFO1_ERROR);
	ghcb_set_sw_exit_info_2(ghcb, reason);
}

/* With kvm_amd.dump_invalid_vmcb=1: the request fields of a bad GHCB */
static void sev_ghcb_dump(struct vcpu_svm *svm)
{
	struct ghcb *ghcb = svm->sev_es.ghcb;
	const u8 *valid = svm->sev_es.valid_bitmap;

	if (!dump_invalid_vmcb) {
		pr_warn_ratelimited("set kvm_amd.dump_invalid_vmcb=1 to dump internal KVM state.\n");
		return;
	}

	pr_err("GHCB (GPA=%016llx):\n", svm->vmcb->control.ghcb_gpa);
	pr_err("%-20s%016llx is_valid: %u\n", "sw_exit_code",
	       ghcb->save.sw_exit_code,
	       sev_ghcb_bit_valid(valid, SEV_GHCB_BIT_SW_EXIT_CODE));
	pr_err("%-20s%016llx is_valid: %u\n", "sw_exit_info_1",
	       ghcb->save.sw_exit_info_1,
	       sev_ghcb_bit_valid(valid, SEV_GHCB_BIT_SW_EXIT_INFO_1));
	pr_err("%-20s%016llx is_valid: %u\n", "sw_exit_info_2",
	       ghcb->save.sw_exit_info_2,
	       sev_ghcb_bit_valid(valid, SEV_GHCB_BIT_SW_EXIT_INFO_2));
	pr_err("%-20s%016llx is_valid: %u\n", "sw_scratch",
	       ghcb->save.sw_scratch,
	       sev_ghcb_bit_valid(valid, SEV_GHCB_BIT_SW_SCRATCH));
	pr_err("%-20s%*pb\n", "valid_bitmap", SEV_GHCB_BITMAP_BYTES * 8,
	       (const unsigned long *)valid);
}

/*
 * Load the request from the GHCB. The valid bitmap is copied first and
 * every later validity test uses the copy, so that the guest cannot
 * change it under KVM; the GHCB's own bitmap is then cleared, ready for
 * the registers KVM returns.
 */
static void sev_es_sync_from_ghcb(struct vcpu_svm *svm)
{
	struct vmcb_control_area *control = &svm->vmcb->control;
	struct kvm_vcpu *vcpu = &svm->vcpu;
	struct ghcb *ghcb = svm->sev_es.ghcb;
	u64 exit_code;

	sev_ghcb_layout_checks();

	memcpy(svm->sev_es.valid_bitmap, ghcb->save.valid_bitmap,
	       sizeof(svm->sev_es.valid_bitmap));

	/* No state of an earlier exit may leak into this one */
	memset(vcpu->arch.regs, 0, sizeof(vcpu->arch.regs));
	vcpu->arch.regs[VCPU_REGS_RAX] = kvm_ghcb_get_rax_if_valid(svm, ghcb);
	vcpu->arch.regs[VCPU_REGS_RBX] = kvm_ghcb_get_rbx_if_valid(svm, ghcb);
	vcpu->arch.regs[VCPU_REGS_RCX] = kvm_ghcb_get_rcx_if_valid(svm, ghcb);
	vcpu->arch.regs[VCPU_REGS_RDX] = kvm_ghcb_get_rdx_if_valid(svm, ghcb);
	/* VMMCALL: KVM's hypercalls take a fourth argument in RSI */
	vcpu->arch.regs[VCPU_REGS_RSI] = kvm_ghcb_get_rsi_if_valid(svm, ghcb);

	svm->vmcb->save.cpl = kvm_ghcb_get_cpl_if_valid(svm, ghcb);

	if (kvm_ghcb_xcr0_is_valid(svm)) {
		vcpu->arch.xcr0 = ghcb->save.xcr0;
		kvm_update_cpuid_runtime(vcpu);
	}

	/* The exit handlers find the request where a #VMEXIT puts it */
	exit_code = ghcb->save.sw_exit_code;
	control->exit_code = lower_32_bits(exit_code);
	control->exit_code_hi = upper_32_bits(exit_code);
	control->exit_info_1 = ghcb->save.sw_exit_info_1;
	control->exit_info_2 = ghcb->save.sw_exit_info_2;
	svm->sev_es.sw_scratch = kvm_ghcb_get_sw_scratch_if_valid(svm, ghcb);

	memset(ghcb->save.valid_bitmap, 0, sizeof(ghcb->save.valid_bitmap));
}

/* The registers the protocol returns, whether or not the exit set them */
static void sev_es_sync_to_ghcb(struct vcpu_svm *svm)
{
	struct kvm_vcpu *vcpu = &svm->vcpu;
	struct ghcb *ghcb = svm->sev_es.ghcb;

	ghcb_set_rax(ghcb, vcpu->arch.regs[VCPU_REGS_RAX]);
	ghcb_set_rbx(ghcb, vcpu->arch.regs[VCPU_REGS_RBX]);
	ghcb_set_rcx(ghcb, vcpu->arch.regs[VCPU_REGS_RCX]);
	ghcb_set_rdx(ghcb, vcpu->arch.regs[VCPU_REGS_RDX]);
}

/*
 * Return: 0 if the request may be handled; 1 after writing the error
 * reason into the GHCB (the guest resumes and sees it).
 */
static int sev_es_validate_vmgexit(struct vcpu_svm *svm)
{
	struct vmcb_control_area *control = &svm->vmcb->control;
	struct kvm_vcpu *vcpu = &svm->vcpu;
	struct ghcb *ghcb = svm->sev_es.ghcb;
	struct sev_ghcb_exit e = {
		.valid = svm->sev_es.valid_bitmap,
		.usage = ghcb->ghcb_usage,
		.exit_code = sev_ghcb_exit_code(control),
		.info_1 = control->exit_info_1,
		.rax = vcpu->arch.regs[VCPU_REGS_RAX],
	};
	unsigned int reason;

	reason = sev_ghcb_validate(&e);
	if (!reason)
		return 0;

	switch (reason) {
	case SEV_GHCB_ERR_INVALID_USAGE:
		vcpu_unimpl(vcpu, "vmgexit: GHCB usage %#x not supported\n",
			    e.usage);
		break;
	case SEV_GHCB_ERR_INVALID_EVENT:
		vcpu_unimpl(vcpu, "vmgexit: exit code %#llx not supported\n",
			    e.exit_code);
		break;
	default:
		vcpu_unimpl(vcpu, "vmgexit: exit code %#llx: input missing\n",
			    e.exit_code);
		sev_ghcb_dump(svm);
		break;
	}

	sev_ghcb_set_error(ghcb, reason);
	return 1;
}

/*
 * Make @len bytes at sw_scratch available in svm->sev_es.ghcb_sa: in
 * place if they lie in the GHCB's shared buffer, else copied into a
 * kernel buffer, which sev_es_unmap_ghcb() writes back if @sync and frees.
 *
 * Return: 0 on success; 1 after reporting INVALID_SCRATCH_AREA to the
 * guest; -ENOMEM or -EFAULT (KVM_RUN fails) if the copy cannot be made.
 */
static int sev_es_setup_scratch(struct vcpu_svm *svm, bool sync, u64 len)
{
	struct vmcb_control_area *control = &svm->vmcb->control;
	u64 gpa = svm->sev_es.sw_scratch;
	bool in_ghcb;
	void *buf;

	if (sev_ghcb_scratch_check(control->ghcb_gpa, gpa, len, &in_ghcb)) {
		vcpu_unimpl(&svm->vcpu,
			    "vmgexit: scratch area %#llx+%#llx not usable (GHCB %#llx)\n",
			    gpa, len, control->ghcb_gpa);
		sev_ghcb_set_error(svm->sev_es.ghcb,
				   SEV_GHCB_ERR_INVALID_SCRATCH);
		return 1;
	}

	if (in_ghcb) {
		buf = (u8 *)svm->sev_es.ghcb + (gpa - control->ghcb_gpa);
	} else {
		/* A bounce buffer left over would leak: never expected */
		if (WARN_ON_ONCE(svm->sev_es.ghcb_sa_free))
			return -EIO;

		buf = kvzalloc(len, GFP_KERNEL_ACCOUNT);
		if (!buf)
			return -ENOMEM;

		if (kvm_read_guest(svm->vcpu.kvm, gpa, buf, len)) {
			vcpu_unimpl(&svm->vcpu,
				    "vmgexit: cannot read scratch area %#llx+%#llx\n",
				    gpa, len);
			kvfree(buf);
			return -EFAULT;
		}

		svm->sev_es.ghcb_sa_sync = sync;
		svm->sev_es.ghcb_sa_free = true;
	}

	svm->sev_es.ghcb_sa = buf;
	svm->sev_es.ghcb_sa_len = len;
	return 0;
}

static void sev_es_msr_set(struct vcpu_svm *svm, u64 value)
{
	svm->vmcb->control.ghcb_gpa = value;
}

static int sev_es_msr_cpuid(struct vcpu_svm *svm, u64 req)
{
	struct kvm_vcpu *vcpu = &svm->vcpu;
	static const int reg[] = {
		VCPU_REGS_RAX, VCPU_REGS_RBX, VCPU_REGS_RCX, VCPU_REGS_RDX,
	};
	u64 value;
	int ret;

	/* Only sub-leaf 0 can be asked for through the MSR */
	vcpu->arch.regs[VCPU_REGS_RAX] = sev_ghcb_msr_cpuid_fn(req);
	vcpu->arch.regs[VCPU_REGS_RCX] = 0;

	ret = svm_invoke_exit_handler(vcpu, SVM_EXIT_CPUID);
	if (!ret)
		return ret;	/* the MSR stays as the guest wrote it */

	value = vcpu->arch.regs[reg[sev_ghcb_msr_cpuid_reg(req)]];
	sev_es_msr_set(svm, sev_ghcb_msr_cpuid_resp(req, value));
	return ret;
}

static int sev_handle_vmgexit_msr_protocol(struct vcpu_svm *svm)
{
	struct kvm_vcpu *vcpu = &svm->vcpu;
	u64 msr = svm->vmcb->control.ghcb_gpa;
	unsigned int set, code;
	int ret = 1;

	trace_kvm_vmgexit_msr_protocol_enter(vcpu->vcpu_id, msr);

	switch (sev_ghcb_msr_decode(msr)) {
	case SEV_GHCB_MSR_OP_SEV_INFO:
		sev_es_msr_set(svm, sev_ghcb_msr_sev_info(GHCB_VERSION_MAX,
							  GHCB_VERSION_MIN,
							  sev_plat.cbit));
		break;
	case SEV_GHCB_MSR_OP_CPUID:
		ret = sev_es_msr_cpuid(svm, msr);
		break;
	case SEV_GHCB_MSR_OP_TERM:
		sev_ghcb_msr_term_reason(msr, &set, &code);
		pr_info_ratelimited("SEV-ES guest requested termination: %#x:%#x\n",
				    set, code);
		vcpu->run->exit_reason = KVM_EXIT_SYSTEM_EVENT;
		vcpu->run->system_event.type = KVM_SYSTEM_EVENT_SEV_TERM;
		vcpu->run->system_event.ndata = 1;
		vcpu->run->system_event.data[0] = msr;
		return 0;
	default:
		/*
		 * AP reset hold, GHCB GPA registration, page state change,
		 * hypervisor features: Linux 6.1 answers none of them and
		 * leaves the MSR unchanged; so does this backend.
		 */
		break;
	}

	trace_kvm_vmgexit_msr_protocol_exit(vcpu->vcpu_id,
					    svm->vmcb->control.ghcb_gpa, ret);
	return ret;
}

static int sev_es_ap_jump_table(struct vcpu_svm *svm)
{
	struct vmcb_control_area *control = &svm->vmcb->control;
	struct kvm_sev_info *sev = to_sev(svm->vcpu.kvm);

	switch (sev_ghcb_ap_jt_op(control->exit_info_1)) {
	case SEV_GHCB_AP_JT_SET:
		sev->ap_jump_table = control->exit_info_2;
		break;
	case SEV_GHCB_AP_JT_GET:
		ghcb_set_sw_exit_info_2(svm->sev_es.ghcb, sev->ap_jump_table);
		break;
	default:
		vcpu_unimpl(&svm->vcpu,
			    "vmgexit: AP jump table request %#llx not supported\n",
			    control->exit_info_1);
		sev_ghcb_set_error(svm->sev_es.ghcb,
				   SEV_GHCB_ERR_INVALID_INPUT);
		break;
	}
	return 1;
}

/**
 * sev_handle_vmgexit() - the VMGEXIT exit handler (SVM_EXIT_VMGEXIT)
 * @vcpu: the vCPU
 *
 * An MSR-protocol request is answered in the GHCB MSR. Otherwise the GHCB
 * page is mapped (it stays mapped until sev_es_unmap_ghcb() before the
 * next VMRUN), its request loaded and validated, and the exit handled.
 * A GHCB GPA of 0 or one that cannot be mapped is ignored: the guest
 * resumes with nothing reported, as in Linux 6.1.
 *
 * Differences from Linux 6.1: the exit handler of the SVM core decides
 * for RDTSC (an internal-error exit, it has none), RDTSCP (#UD) and the
 * rest exactly as 6.1's does; HV_FEATURES and the other codes 6.1 does not
 * accept get INVALID_EVENT. A VMGEXIT from a guest that is not SEV-ES
 * (which the hardware never delivers) gets #UD instead of being looked at.
 *
 * Return: 1 to resume the guest, 0 to exit to userspace, or a negative
 * errno that KVM_RUN returns.
 */
int sev_handle_vmgexit(struct kvm_vcpu *vcpu)
{
	struct vcpu_svm *svm = to_svm(vcpu);
	struct vmcb_control_area *control = &svm->vmcb->control;
	u64 ghcb_gpa = control->ghcb_gpa;
	struct ghcb *ghcb;
	u64 exit_code;
	int ret;

	if (!sev_es_guest(vcpu->kvm)) {
		kvm_queue_exception(vcpu, UD_VECTOR);
		return 1;
	}

	if (ghcb_gpa & SEV_GHCB_MSR_INFO_MASK)
		return sev_handle_vmgexit_msr_protocol(svm);

	if (!ghcb_gpa) {
		vcpu_unimpl(vcpu, "vmgexit: no GHCB registered\n");
		return 1;
	}

	if (kvm_vcpu_map(vcpu, gpa_to_gfn(ghcb_gpa), &svm->sev_es.ghcb_map)) {
		vcpu_unimpl(vcpu, "vmgexit: cannot map the GHCB at %#llx\n",
			    ghcb_gpa);
		return 1;
	}

	ghcb = svm->sev_es.ghcb_map.hva;
	svm->sev_es.ghcb = ghcb;

	trace_kvm_vmgexit_enter(vcpu->vcpu_id, ghcb);

	sev_es_sync_from_ghcb(svm);
	ret = sev_es_validate_vmgexit(svm);
	if (ret)
		return ret;

	/* Success unless a handler says otherwise */
	ghcb_set_sw_exit_info_1(ghcb, 0);
	ghcb_set_sw_exit_info_2(ghcb, 0);

	exit_code = sev_ghcb_exit_code(control);
	switch (exit_code) {
	case SVM_VMGEXIT_MMIO_READ:
		ret = sev_es_setup_scratch(svm, true, control->exit_info_2);
		if (ret)
			break;
		/* exit_info_2 <= SEV_GHCB_SCRATCH_MAX after the check */
		ret = kvm_sev_es_mmio_read(vcpu, control->exit_info_1,
					   svm->sev_es.ghcb_sa_len,
					   svm->sev_es.ghcb_sa);
		break;
	case SVM_VMGEXIT_MMIO_WRITE:
		ret = sev_es_setup_scratch(svm, false, control->exit_info_2);
		if (ret)
			break;
		ret = kvm_sev_es_mmio_write(vcpu, control->exit_info_1,
					    svm->sev_es.ghcb_sa_len,
					    svm->sev_es.ghcb_sa);
		break;
	case SVM_VMGEXIT_NMI_COMPLETE:
		ret = svm_invoke_exit_handler(vcpu, SVM_EXIT_IRET);
		break;
	case SVM_VMGEXIT_AP_HLT_LOOP:
		ret = kvm_emulate_ap_reset_hold(vcpu);
		break;
	case SVM_VMGEXIT_AP_JUMP_TABLE:
		ret = sev_es_ap_jump_table(svm);
		break;
	case SVM_VMGEXIT_UNSUPPORTED_EVENT:
		vcpu_unimpl(vcpu,
			    "vmgexit: unsupported event, info %#llx %#llx\n",
			    control->exit_info_1, control->exit_info_2);
		ret = -EINVAL;
		break;
	case SVM_EXIT_IOIO:
		/* No operand size: nothing to do */
		if (!sev_ghcb_ioio_size(control->exit_info_1)) {
			ret = 1;
			break;
		}
		fallthrough;
	default:
		/*
		 * The SVM core's handler for the code: READ/WRITE_DR7, RDPMC,
		 * CPUID, INVD, IOIO (string I/O comes back through
		 * sev_es_string_io()), MSR, VMMCALL, WBINVD, MONITOR, MWAIT,
		 * and, as in Linux 6.1, RDTSC (no handler: internal error)
		 * and RDTSCP (#UD).
		 */
		ret = svm_invoke_exit_handler(vcpu, exit_code);
		break;
	}

	return ret;
}

/**
 * sev_es_string_io() - string I/O of an SEV-ES guest, through the scratch
 * @svm: the vCPU (in the IOIO exit of a VMGEXIT)
 * @size: element size
 * @port: I/O port
 * @in: 1 for IN
 *
 * The element count is sw_exit_info_2; the data are in (OUT) or go to
 * (IN) the scratch area.
 *
 * Return: 1 to resume, 0 to exit to userspace, or a negative errno:
 * -EINVAL if the count exceeds INT_MAX or count * size overflows.
 */
int sev_es_string_io(struct vcpu_svm *svm, int size, unsigned int port, int in)
{
	u64 count = svm->vmcb->control.exit_info_2;
	int bytes;
	int ret;

	if (sev_ghcb_string_bytes(count, size, &bytes))
		return -EINVAL;
	if (!bytes)
		return 1;

	ret = sev_es_setup_scratch(svm, in, bytes);
	if (ret)
		return ret;

	/* count <= INT_MAX here */
	return kvm_sev_es_string_io(&svm->vcpu, size, port, svm->sev_es.ghcb_sa,
				    count, in);
}

/**
 * sev_es_release_ghcb() - finish the last VMGEXIT
 * @svm: the vCPU
 *
 * Writes a bounce buffer the exit filled for the guest (MMIO read, INS)
 * back to guest memory and frees it, returns RAX, RBX, RCX and RDX in the
 * GHCB with their valid bits set, and unmaps the GHCB. Nothing to do if
 * no GHCB is mapped. Also called when the vCPU is freed.
 */
void sev_es_release_ghcb(struct vcpu_svm *svm)
{
	struct vcpu_sev_es_state *es = &svm->sev_es;

	if (!es->ghcb)
		return;

	if (es->ghcb_sa_free) {
		if (es->ghcb_sa_sync) {
			kvm_write_guest(svm->vcpu.kvm, es->sw_scratch,
					es->ghcb_sa, es->ghcb_sa_len);
			es->ghcb_sa_sync = false;
		}
		kvfree(es->ghcb_sa);
		es->ghcb_sa = NULL;
		es->ghcb_sa_free = false;
	}

	trace_kvm_vmgexit_exit(svm->vcpu.vcpu_id, es->ghcb);

	sev_es_sync_to_ghcb(svm);

	kvm_vcpu_unmap(&svm->vcpu, &es->ghcb_map, true);
	es->ghcb = NULL;
}

/**
 * sev_es_unmap_ghcb() - before every entry of an SEV-ES vCPU
 * @svm: the vCPU
 *
 * Finishes the last VMGEXIT (sev_es_release_ghcb()); on a platform that
 * cannot run SEV-ES guests, also cancels the entry (sev_es_block_entry()).
 */
void sev_es_unmap_ghcb(struct vcpu_svm *svm)
{
	sev_es_release_ghcb(svm);
	sev_es_block_entry(&svm->vcpu);
}

/**
 * sev_vcpu_deliver_sipi_vector() - a SIPI to a vCPU of an SEV-ES guest
 * @vcpu: the vCPU
 * @vector: the SIPI vector (unused: the guest chooses where an AP starts)
 *
 * The first SIPI only marks the vCPU as started: it runs from its VMSA as
 * the VMM set it up. A later SIPI ends an AP_HLT_LOOP VMGEXIT: the GHCB,
 * if still mapped, gets sw_exit_info_2 = 1.
 */
void sev_vcpu_deliver_sipi_vector(struct kvm_vcpu *vcpu, u8 vector)
{
	struct vcpu_svm *svm = to_svm(vcpu);

	if (!svm->sev_es.received_first_sipi) {
		svm->sev_es.received_first_sipi = true;
		return;
	}

	if (svm->sev_es.ghcb)
		ghcb_set_sw_exit_info_2(svm->sev_es.ghcb, 1);
}
