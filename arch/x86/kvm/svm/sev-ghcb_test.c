// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit (x86_64 kernel): the GHCB exit handlers (sev-ghcb.c) with
 * synthetic GHCBs, on a real SEV-ES vCPU whose state is protected
 * (LAUNCH_UPDATE_VMSA done), the way a guest's VMGEXIT reaches them: the
 * GHCB MSR value in the VMCB, the GHCB page in guest memory. Exits to
 * userspace are completed as KVM_RUN would complete them.
 *
 * Expected values (error reasons, the MSR protocol's encodings, the
 * EVENTINJ value of #GP, the userspace exits) are the GHCB specification's
 * and Linux 6.1's numbers, written out here. The last case feeds the
 * handlers seeded random GHCBs.
 */

#include <linux/prandom.h>
#include <linux/srcu.h>
#include <kunit/test.h>

#include <asm/svm.h>

#include "svm.h"
#include "sev-kvm.h"
#include "sev-kunit-vm.h"

#define KG_MEM		(1024 * 1024)
#define KG_GHCB		0x10000ULL	/* the GHCB page */
#define KG_SCRATCH	0x20000ULL	/* a scratch area outside it */
#define KG_SHARED	0x800		/* shared buffer offset in the GHCB */

/* GHCB error reasons (sw_exit_info_2 with sw_exit_info_1 = 2) */
enum {
	ERR_USAGE = 2, ERR_SCRATCH = 3, ERR_MISSING = 4, ERR_INPUT = 5,
	ERR_EVENT = 6,
};

/* SW exit codes */
enum {
	X_READ_DR7 = 0x27, X_WRITE_DR7 = 0x37, X_RDTSC = 0x6e, X_RDPMC = 0x6f,
	X_CPUID = 0x72, X_INVD = 0x76, X_IOIO = 0x7b, X_MSR = 0x7c,
	X_VMMCALL = 0x81, X_RDTSCP = 0x87, X_WBINVD = 0x89,
	X_MONITOR = 0x8a, X_MWAIT = 0x8b, X_XSETBV = 0x8d,
	X_MMIO_READ = 0x80000001, X_MMIO_WRITE = 0x80000002,
	X_NMI_COMPLETE = 0x80000003, X_AP_HLT_LOOP = 0x80000004,
	X_AP_JUMP_TABLE = 0x80000005, X_PSC = 0x80000010,
	X_AP_CREATE = 0x80000013, X_HV_FEATURES = 0x8000fffd,
	X_TERM = 0x8000fffe, X_UNSUPPORTED = 0x8000ffff,
};

/* IOIO exit_info_1 */
#define IO_IN		BIT(0)
#define IO_STR		BIT(2)
#define IO_REP		BIT(3)
#define IO_SZ8		BIT(4)
#define IO_SZ16		BIT(5)
#define IO_SZ32		BIT(6)
#define IO_PORT(p)	((u64)(p) << 16)

/* the leaf the CPUID cases read: not changed by KVM at runtime */
static const struct kvm_cpuid_entry2 kg_leaf = {
	.function = 0x80000000, .eax = 0x8000001f, .ebx = 0x68747541,
	.ecx = 0x444d4163, .edx = 0x69746e65,
};

/**
 * struct kg_ctx - a case's state
 * @vm: the SEV-ES VM
 * @vcpu: its vCPU
 * @g: the GHCB as the guest writes it and reads it back
 */
struct kg_ctx {
	struct sev_kt_vm vm;
	struct kvm_vcpu *vcpu;
	struct ghcb *g;
};

struct kg_cpuid {
	struct kvm_cpuid2 hdr;
	struct kvm_cpuid_entry2 e[2];
};

static int kg_make(struct kunit *test, struct kg_ctx *c)
{
	struct kg_cpuid cpuid = {
		.hdr.nent = 2,
		.e[0] = { .function = 0, .eax = 0xd, .ebx = 0x68747541,
			  .ecx = 0x444d4163, .edx = 0x69746e65 },
		.e[1] = kg_leaf,
	};
	int ret;

	ret = sev_kt_es_vm(test, &c->vm, KG_MEM, 1);
	if (ret)
		return ret;
	c->vcpu = c->vm.vcpu[0];
	ret = sev_kt_vcpu_ioctl(&c->vm, c->vcpu, KVM_SET_CPUID2, &cpuid,
				sizeof(cpuid));
	if (ret)
		return ret;
	/* a running SEV-ES guest's state is always protected */
	return sev_kt_sev_cmd(&c->vm, KVM_SEV_LAUNCH_UPDATE_VMSA, NULL, 0,
			      NULL);
}

static int kg_init(struct kunit *test)
{
	struct kg_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	if (!c)
		return -ENOMEM;
	c->g = kunit_kzalloc(test, sizeof(*c->g), GFP_KERNEL);
	if (!c->g)
		return -ENOMEM;
	test->priv = c;
	return kg_make(test, c);
}

static void kg_exit(struct kunit *test)
{
	struct kg_ctx *c = test->priv;

	sev_kt_vm_destroy(&c->vm);
}

static struct vmcb_control_area *kg_ctl(struct kg_ctx *c)
{
	return &to_svm(c->vcpu)->vmcb->control;
}

/* A fresh request: the three sw_exit fields, usage 0 */
static void kg_req(struct kg_ctx *c, u64 code, u64 info1, u64 info2)
{
	memset(c->g, 0, sizeof(*c->g));
	ghcb_set_sw_exit_code(c->g, code);
	ghcb_set_sw_exit_info_1(c->g, info1);
	ghcb_set_sw_exit_info_2(c->g, info2);
}

/* VMGEXIT with the GHCB MSR set to @msr (the GHCB itself not rewritten) */
static int kg_vmgexit_msr(struct kg_ctx *c, u64 msr)
{
	struct kvm *kvm = c->vcpu->kvm;
	int idx, ret;

	kg_ctl(c)->ghcb_gpa = msr;
	idx = srcu_read_lock(&kvm->srcu);
	ret = sev_handle_vmgexit(c->vcpu);
	srcu_read_unlock(&kvm->srcu, idx);
	return ret;
}

/* Complete exits to userspace as KVM_RUN does; @fill plays the VMM */
static int kg_complete(struct kg_ctx *c, int ret,
		       void (*fill)(struct kvm_vcpu *vcpu, void *arg),
		       void *arg)
{
	struct kvm_vcpu *vcpu = c->vcpu;
	int (*cui)(struct kvm_vcpu *vcpu);
	unsigned int rounds = 0;
	int idx;

	idx = srcu_read_lock(&vcpu->kvm->srcu);
	/* MMIO goes out 8 bytes at a time: 8192 exits for 16 pages */
	while (ret == 0 && vcpu->arch.complete_userspace_io &&
	       rounds++ < 8200) {
		if (fill)
			fill(vcpu, arg);
		cui = vcpu->arch.complete_userspace_io;
		vcpu->arch.complete_userspace_io = NULL;
		ret = cui(vcpu);
	}
	srcu_read_unlock(&vcpu->kvm->srcu, idx);
	return ret;
}

/* The next entry: the GHCB is finished and unmapped; read it back */
static void kg_finish(struct kunit *test, struct kg_ctx *c)
{
	struct kvm *kvm = c->vcpu->kvm;
	int idx;

	idx = srcu_read_lock(&kvm->srcu);
	sev_es_release_ghcb(to_svm(c->vcpu));
	srcu_read_unlock(&kvm->srcu, idx);
	KUNIT_ASSERT_EQ(test, 0, sev_kt_read(&c->vm, KG_GHCB, c->g,
					     sizeof(*c->g)));
}

/* Write the GHCB to guest memory, VMGEXIT, return the handler's result */
static int kg_vmgexit(struct kunit *test, struct kg_ctx *c)
{
	KUNIT_ASSERT_EQ(test, 0, sev_kt_write(&c->vm, KG_GHCB, c->g,
					      sizeof(*c->g)));
	return kg_vmgexit_msr(c, KG_GHCB);
}

/* One whole exit that resumes the guest; the GHCB is read back */
static int kg_roundtrip(struct kunit *test, struct kg_ctx *c)
{
	int ret = kg_vmgexit(test, c);

	kg_finish(test, c);
	return ret;
}

static void kg_expect_error(struct kunit *test, struct kg_ctx *c, u64 reason)
{
	KUNIT_EXPECT_EQ(test, 1, kg_roundtrip(test, c));
	KUNIT_EXPECT_EQ(test, c->g->save.sw_exit_info_1, 2ULL);
	KUNIT_EXPECT_EQ(test, c->g->save.sw_exit_info_2, reason);
}

static bool kg_valid(const struct ghcb *g, unsigned int bit)
{
	return g->save.valid_bitmap[bit / 8] & BIT(bit % 8);
}

/* ---------------------------------------------------------- MSR protocol */

static void sev_ghcb_msr_sev_info_test(struct kunit *test)
{
	struct kg_ctx *c = test->priv;

	KUNIT_EXPECT_EQ(test, 1, kg_vmgexit_msr(c, 0x002));
	KUNIT_EXPECT_EQ(test, kg_ctl(c)->ghcb_gpa,
			0x0001000100000001ULL | (u64)sev_plat.cbit << 24);
}

static void sev_ghcb_msr_cpuid_test(struct kunit *test)
{
	const u32 want[] = { kg_leaf.eax, kg_leaf.ebx, kg_leaf.ecx,
			     kg_leaf.edx };
	struct kg_ctx *c = test->priv;
	u64 req;
	u32 reg;

	for (reg = 0; reg < 4; reg++) {
		/* bits 29:12 are the guest's and come back unchanged */
		req = (u64)kg_leaf.function << 32 | reg << 30 | 0x2a5000 |
		      0x004;
		KUNIT_EXPECT_EQ(test, 1, kg_vmgexit_msr(c, req));
		KUNIT_EXPECT_EQ(test, kg_ctl(c)->ghcb_gpa,
				(u64)want[reg] << 32 | reg << 30 | 0x2a5000 |
				0x005);
	}
}

static void sev_ghcb_msr_term_test(struct kunit *test)
{
	struct kg_ctx *c = test->priv;
	struct kvm_run *run = c->vcpu->run;
	u64 req = 0x100 | 1 << 12 | 4 << 16;

	KUNIT_EXPECT_EQ(test, 0, kg_vmgexit_msr(c, req));
	KUNIT_EXPECT_EQ(test, run->exit_reason, (u32)KVM_EXIT_SYSTEM_EVENT);
	KUNIT_EXPECT_EQ(test, run->system_event.type, 6U);
	KUNIT_EXPECT_EQ(test, run->system_event.ndata, 1U);
	KUNIT_EXPECT_EQ(test, run->system_event.data[0], req);
}

/* AP reset hold, GPA registration, PSC, HV features, unknown: ignored */
static void sev_ghcb_msr_unhandled_test(struct kunit *test)
{
	static const u64 codes[] = { 0x006, 0x012, 0x014, 0x080, 0x0ff, 0xfff };
	struct kg_ctx *c = test->priv;
	unsigned int i;
	u64 req;

	for (i = 0; i < ARRAY_SIZE(codes); i++) {
		req = 0x1234567800000000ULL | codes[i];
		KUNIT_EXPECT_EQ(test, 1, kg_vmgexit_msr(c, req));
		KUNIT_EXPECT_EQ(test, kg_ctl(c)->ghcb_gpa, req);
	}
}

/* ------------------------------------------------------- GHCB acceptance */

static void sev_ghcb_gpa_unusable_test(struct kunit *test)
{
	struct kg_ctx *c = test->priv;

	/* no GHCB, or one outside guest memory: the guest just resumes */
	KUNIT_EXPECT_EQ(test, 1, kg_vmgexit_msr(c, 0));
	KUNIT_EXPECT_EQ(test, 1, kg_vmgexit_msr(c, 0x40000000));
	KUNIT_EXPECT_NULL(test, to_svm(c->vcpu)->sev_es.ghcb);
}

static void sev_ghcb_not_es_test(struct kunit *test)
{
	struct kg_ctx *c = test->priv;
	struct kvm_vcpu *vcpu;
	int idx, ret;

	/* a plain SEV VM: VMGEXIT is #UD, the GHCB is not looked at */
	sev_kt_vm_destroy(&c->vm);
	KUNIT_ASSERT_EQ(test, 0, sev_kt_vm_create(&c->vm, KG_MEM));
	KUNIT_ASSERT_EQ(test, 0, sev_kt_sev_cmd(&c->vm, KVM_SEV_INIT, NULL, 0,
						NULL));
	vcpu = sev_kt_vcpu_add(&c->vm);
	KUNIT_ASSERT_FALSE(test, IS_ERR(vcpu));
	to_svm(vcpu)->vmcb->control.ghcb_gpa = KG_GHCB;
	idx = srcu_read_lock(&vcpu->kvm->srcu);
	ret = sev_handle_vmgexit(vcpu);
	srcu_read_unlock(&vcpu->kvm->srcu, idx);
	KUNIT_EXPECT_EQ(test, ret, 1);
	KUNIT_EXPECT_TRUE(test, vcpu->arch.exception.pending);
	KUNIT_EXPECT_EQ(test, vcpu->arch.exception.vector, (u8)UD_VECTOR);
	KUNIT_EXPECT_NULL(test, to_svm(vcpu)->sev_es.ghcb);
}

static void sev_ghcb_usage_test(struct kunit *test)
{
	struct kg_ctx *c = test->priv;

	kg_req(c, X_CPUID, 0, 0);
	ghcb_set_rax(c->g, kg_leaf.function);
	ghcb_set_rcx(c->g, 0);
	c->g->ghcb_usage = 1;
	kg_expect_error(test, c, ERR_USAGE);
}

static void sev_ghcb_missing_input_test(struct kunit *test)
{
	struct kg_ctx *c = test->priv;

	/* CPUID without RCX */
	kg_req(c, X_CPUID, 0, 0);
	ghcb_set_rax(c->g, kg_leaf.function);
	kg_expect_error(test, c, ERR_MISSING);

	/* CPUID 0xd without XCR0 */
	kg_req(c, X_CPUID, 0, 0);
	ghcb_set_rax(c->g, 0xd);
	ghcb_set_rcx(c->g, 0);
	kg_expect_error(test, c, ERR_MISSING);

	/* sw_exit_info_2 not valid */
	kg_req(c, X_INVD, 0, 0);
	c->g->save.valid_bitmap[116 / 8] &= ~BIT(116 % 8);
	kg_expect_error(test, c, ERR_MISSING);

	/* OUT without RAX */
	kg_req(c, X_IOIO, IO_PORT(0x80) | IO_SZ8, 0);
	kg_expect_error(test, c, ERR_MISSING);

	/* string I/O without a scratch area */
	kg_req(c, X_IOIO, IO_PORT(0x80) | IO_SZ8 | IO_STR, 1);
	kg_expect_error(test, c, ERR_MISSING);

	/* WRMSR without RDX */
	kg_req(c, X_MSR, 1, 0);
	ghcb_set_rcx(c->g, 0x277);
	ghcb_set_rax(c->g, 0);
	kg_expect_error(test, c, ERR_MISSING);

	/* VMMCALL without CPL */
	kg_req(c, X_VMMCALL, 0, 0);
	ghcb_set_rax(c->g, 0xdead);
	kg_expect_error(test, c, ERR_MISSING);

	/* MMIO without a scratch area; WRITE_DR7 without RAX */
	kg_req(c, X_MMIO_READ, 0xfed00000, 4);
	kg_expect_error(test, c, ERR_MISSING);
	kg_req(c, X_WRITE_DR7, 0, 0);
	kg_expect_error(test, c, ERR_MISSING);
}

static void sev_ghcb_invalid_event_test(struct kunit *test)
{
	static const u64 codes[] = {
		X_XSETBV, X_HV_FEATURES, X_TERM, X_PSC, X_AP_CREATE,
		0x1234, 0x400, 0x80000006, 0xffffffffffffffffULL,
	};
	struct kg_ctx *c = test->priv;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(codes); i++) {
		kg_req(c, codes[i], 0, 0);
		ghcb_set_rax(c->g, 0);
		ghcb_set_rcx(c->g, 0);
		kg_expect_error(test, c, ERR_EVENT);
	}
}

/* ------------------------------------------------------------ the exits */

static void sev_ghcb_cpuid_test(struct kunit *test)
{
	struct kg_ctx *c = test->priv;
	unsigned int bit;

	kg_req(c, X_CPUID, 0, 0);
	ghcb_set_rax(c->g, kg_leaf.function);
	ghcb_set_rcx(c->g, 0);
	ghcb_set_rsi(c->g, 0x55);
	KUNIT_EXPECT_EQ(test, 1, kg_roundtrip(test, c));
	KUNIT_EXPECT_EQ(test, c->g->save.sw_exit_info_1, 0ULL);
	KUNIT_EXPECT_EQ(test, c->g->save.sw_exit_info_2, 0ULL);
	KUNIT_EXPECT_EQ(test, c->g->save.rax, (u64)kg_leaf.eax);
	KUNIT_EXPECT_EQ(test, c->g->save.rbx, (u64)kg_leaf.ebx);
	KUNIT_EXPECT_EQ(test, c->g->save.rcx, (u64)kg_leaf.ecx);
	KUNIT_EXPECT_EQ(test, c->g->save.rdx, (u64)kg_leaf.edx);
	/*
	 * Valid in the reply: RAX, RBX, RCX, RDX, and sw_exit_info_1/2,
	 * which 6.1 sets (to 0) with the accessors that mark them valid
	 */
	for (bit = 0; bit < 128; bit++)
		KUNIT_EXPECT_EQ_MSG(test, kg_valid(c->g, bit),
				    bit == 63 || bit == 97 || bit == 98 ||
				    bit == 99 || bit == 115 || bit == 116,
				    "valid bit %u", bit);
}

static void sev_ghcb_msr_test(struct kunit *test)
{
	struct kg_ctx *c = test->priv;

	/* RDMSR PAT: the reset value, EDX:EAX */
	kg_req(c, X_MSR, 0, 0);
	ghcb_set_rcx(c->g, 0x277);
	KUNIT_EXPECT_EQ(test, 1, kg_roundtrip(test, c));
	KUNIT_EXPECT_EQ(test, c->g->save.sw_exit_info_1, 0ULL);
	KUNIT_EXPECT_EQ(test, c->g->save.rax, 0x00070406ULL);
	KUNIT_EXPECT_EQ(test, c->g->save.rdx, 0x00070406ULL);

	/*
	 * WRMSR of an invalid PAT (type 2): #GP through the GHCB, as an
	 * EVENTINJ value (vector 13, exception, valid). 6.1's SVM core
	 * builds it from int constants, so bit 31 is sign-extended: the
	 * guest looks at the low 32 bits only.
	 */
	kg_req(c, X_MSR, 1, 0);
	ghcb_set_rcx(c->g, 0x277);
	ghcb_set_rax(c->g, 0x02);
	ghcb_set_rdx(c->g, 0);
	KUNIT_EXPECT_EQ(test, 1, kg_roundtrip(test, c));
	KUNIT_EXPECT_EQ(test, c->g->save.sw_exit_info_1, 1ULL);
	KUNIT_EXPECT_EQ(test, c->g->save.sw_exit_info_2, 0xffffffff8000030dULL);

	/* a valid one, read back */
	kg_req(c, X_MSR, 1, 0);
	ghcb_set_rcx(c->g, 0x277);
	ghcb_set_rax(c->g, 0x00070106);
	ghcb_set_rdx(c->g, 0x00070406);
	KUNIT_EXPECT_EQ(test, 1, kg_roundtrip(test, c));
	KUNIT_EXPECT_EQ(test, c->g->save.sw_exit_info_1, 0ULL);
	kg_req(c, X_MSR, 0, 0);
	ghcb_set_rcx(c->g, 0x277);
	KUNIT_EXPECT_EQ(test, 1, kg_roundtrip(test, c));
	KUNIT_EXPECT_EQ(test, c->g->save.rax, 0x00070106ULL);
	KUNIT_EXPECT_EQ(test, c->g->save.rdx, 0x00070406ULL);
}

/*
 * The data of a KVM_EXIT_IO: run->io.data_offset is an offset in the vCPU's
 * mmap area, whose second page (KVM_PIO_PAGE_OFFSET) is pio_data
 */
static u8 *kg_pio_data(struct kvm_vcpu *vcpu, size_t *room)
{
	size_t off = vcpu->run->io.data_offset - KVM_PIO_PAGE_OFFSET * PAGE_SIZE;

	if (off >= PAGE_SIZE) {
		*room = 0;
		return vcpu->arch.pio_data;
	}
	*room = PAGE_SIZE - off;
	return (u8 *)vcpu->arch.pio_data + off;
}

static void kg_fill_in(struct kvm_vcpu *vcpu, void *arg)
{
	struct kvm_run *run = vcpu->run;
	const u8 *bytes = arg;
	size_t room;
	u8 *data;

	if (run->exit_reason == KVM_EXIT_IO &&
	    run->io.direction == KVM_EXIT_IO_IN) {
		data = kg_pio_data(vcpu, &room);
		memcpy(data, bytes,
		       min_t(size_t, room, run->io.size * run->io.count));
	}
	if (run->exit_reason == KVM_EXIT_MMIO && !run->mmio.is_write)
		memcpy(run->mmio.data, bytes + (run->mmio.phys_addr & 0xf),
		       run->mmio.len);
}

static void sev_ghcb_ioio_test(struct kunit *test)
{
	static const u8 in[16] = { 0x44, 0x33, 0x22, 0x11 };
	struct kg_ctx *c = test->priv;
	struct kvm_run *run = c->vcpu->run;
	size_t room;
	int ret;

	/* OUT 0x80, AL = 0xab */
	kg_req(c, X_IOIO, IO_PORT(0x80) | IO_SZ8, 0);
	ghcb_set_rax(c->g, 0x12ab);
	KUNIT_EXPECT_EQ(test, 0, kg_vmgexit(test, c));
	KUNIT_EXPECT_EQ(test, run->exit_reason, (u32)KVM_EXIT_IO);
	KUNIT_EXPECT_EQ(test, run->io.direction, (u8)KVM_EXIT_IO_OUT);
	KUNIT_EXPECT_EQ(test, run->io.size, (u8)1);
	KUNIT_EXPECT_EQ(test, run->io.port, (u16)0x80);
	KUNIT_EXPECT_EQ(test, run->io.count, 1U);
	KUNIT_EXPECT_EQ(test, *kg_pio_data(c->vcpu, &room), (u8)0xab);
	KUNIT_EXPECT_EQ(test, 1, kg_complete(c, 0, NULL, NULL));
	kg_finish(test, c);
	KUNIT_EXPECT_EQ(test, c->g->save.sw_exit_info_1, 0ULL);

	/* IN EAX, 0x71: the VMM's value in RAX */
	kg_req(c, X_IOIO, IO_PORT(0x71) | IO_SZ32 | IO_IN, 0);
	KUNIT_EXPECT_EQ(test, 0, kg_vmgexit(test, c));
	KUNIT_EXPECT_EQ(test, run->io.direction, (u8)KVM_EXIT_IO_IN);
	KUNIT_EXPECT_EQ(test, run->io.size, (u8)4);
	ret = kg_complete(c, 0, kg_fill_in, (void *)in);
	KUNIT_EXPECT_EQ(test, ret, 1);
	kg_finish(test, c);
	KUNIT_EXPECT_EQ(test, c->g->save.rax, 0x11223344ULL);

	/* no operand size: nothing happens */
	kg_req(c, X_IOIO, IO_PORT(0x80), 0);
	ghcb_set_rax(c->g, 0);
	KUNIT_EXPECT_EQ(test, 1, kg_roundtrip(test, c));
	KUNIT_EXPECT_EQ(test, c->g->save.sw_exit_info_1, 0ULL);
}

static void sev_ghcb_string_io_test(struct kunit *test)
{
	static const u8 out[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	static const u8 in[16] = { 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6,
				   0xa7 };
	struct kg_ctx *c = test->priv;
	struct kvm_run *run = c->vcpu->run;
	size_t room;
	u8 got[8];

	/* REP OUTSW x4 from the GHCB's shared buffer */
	kg_req(c, X_IOIO, IO_PORT(0x3f8) | IO_SZ16 | IO_STR | IO_REP, 4);
	ghcb_set_sw_scratch(c->g, KG_GHCB + KG_SHARED);
	memcpy(c->g->shared_buffer, out, sizeof(out));
	KUNIT_EXPECT_EQ(test, 0, kg_vmgexit(test, c));
	KUNIT_EXPECT_EQ(test, run->exit_reason, (u32)KVM_EXIT_IO);
	KUNIT_EXPECT_EQ(test, run->io.direction, (u8)KVM_EXIT_IO_OUT);
	KUNIT_EXPECT_EQ(test, run->io.size, (u8)2);
	KUNIT_EXPECT_EQ(test, run->io.count, 4U);
	KUNIT_EXPECT_EQ(test, 0, memcmp(kg_pio_data(c->vcpu, &room), out,
					sizeof(out)));
	KUNIT_EXPECT_EQ(test, 1, kg_complete(c, 0, NULL, NULL));
	kg_finish(test, c);

	/* REP INSB x8 into guest memory outside the GHCB (bounce buffer) */
	KUNIT_ASSERT_EQ(test, 0, sev_kt_write(&c->vm, KG_SCRATCH, out,
					      sizeof(out)));
	kg_req(c, X_IOIO, IO_PORT(0x60) | IO_SZ8 | IO_STR | IO_REP | IO_IN, 8);
	ghcb_set_sw_scratch(c->g, KG_SCRATCH);
	KUNIT_EXPECT_EQ(test, 0, kg_vmgexit(test, c));
	KUNIT_EXPECT_EQ(test, run->io.direction, (u8)KVM_EXIT_IO_IN);
	KUNIT_EXPECT_EQ(test, run->io.count, 8U);
	KUNIT_EXPECT_EQ(test, 1, kg_complete(c, 0, kg_fill_in, (void *)in));
	kg_finish(test, c);
	KUNIT_ASSERT_EQ(test, 0, sev_kt_read(&c->vm, KG_SCRATCH, got,
					     sizeof(got)));
	KUNIT_EXPECT_EQ(test, 0, memcmp(got, in, sizeof(got)));

	/* counts KVM_RUN refuses: above INT_MAX, or count * size overflows */
	kg_req(c, X_IOIO, IO_PORT(0x60) | IO_SZ8 | IO_STR, 0x80000000ULL);
	ghcb_set_sw_scratch(c->g, KG_SCRATCH);
	KUNIT_EXPECT_EQ(test, -EINVAL, kg_vmgexit(test, c));
	kg_finish(test, c);
	kg_req(c, X_IOIO, IO_PORT(0x60) | IO_SZ32 | IO_STR, 0x7fffffffULL);
	ghcb_set_sw_scratch(c->g, KG_SCRATCH);
	KUNIT_EXPECT_EQ(test, -EINVAL, kg_vmgexit(test, c));
	kg_finish(test, c);
}

/* An MMIO read of @len bytes with the scratch area at @scratch */
static int kg_mmio_read(struct kunit *test, struct kg_ctx *c, u64 scratch,
			u64 len)
{
	kg_req(c, X_MMIO_READ, 0xfed00000, len);
	ghcb_set_sw_scratch(c->g, scratch);
	return kg_vmgexit(test, c);
}

static void sev_ghcb_scratch_test(struct kunit *test)
{
	struct kg_ctx *c = test->priv;
	int ret;

	/* zero; inside the GHCB but not in its shared buffer; wrapping */
	kg_mmio_read(test, c, 0, 4);
	kg_finish(test, c);
	KUNIT_EXPECT_EQ(test, c->g->save.sw_exit_info_2, (u64)ERR_SCRATCH);
	kg_mmio_read(test, c, KG_GHCB + 0x100, 4);
	kg_finish(test, c);
	KUNIT_EXPECT_EQ(test, c->g->save.sw_exit_info_2, (u64)ERR_SCRATCH);
	kg_mmio_read(test, c, KG_GHCB + 0xfec, 8);
	kg_finish(test, c);
	KUNIT_EXPECT_EQ(test, c->g->save.sw_exit_info_2, (u64)ERR_SCRATCH);
	kg_mmio_read(test, c, KG_GHCB + 0x7fc, 8);
	kg_finish(test, c);
	KUNIT_EXPECT_EQ(test, c->g->save.sw_exit_info_2, (u64)ERR_SCRATCH);
	kg_mmio_read(test, c, 0xfffffffffffffff8ULL, 16);
	kg_finish(test, c);
	KUNIT_EXPECT_EQ(test, c->g->save.sw_exit_info_1, 2ULL);
	KUNIT_EXPECT_EQ(test, c->g->save.sw_exit_info_2, (u64)ERR_SCRATCH);
	/* outside the GHCB: at most 16 pages */
	kg_mmio_read(test, c, KG_SCRATCH, 65537);
	kg_finish(test, c);
	KUNIT_EXPECT_EQ(test, c->g->save.sw_exit_info_2, (u64)ERR_SCRATCH);

	/* the last 8 bytes of the shared buffer are usable */
	ret = kg_mmio_read(test, c, KG_GHCB + 0xfe8, 8);
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, 1, kg_complete(c, ret, NULL, NULL));
	kg_finish(test, c);
	KUNIT_EXPECT_EQ(test, c->g->save.sw_exit_info_1, 0ULL);
	/* so are 16 pages of guest memory */
	ret = kg_mmio_read(test, c, KG_SCRATCH, 65536);
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, c->vcpu->run->exit_reason, (u32)KVM_EXIT_MMIO);
	KUNIT_EXPECT_EQ(test, 1, kg_complete(c, ret, NULL, NULL));
	kg_finish(test, c);

	/* memory the guest does not have: KVM_RUN fails with -EFAULT */
	KUNIT_EXPECT_EQ(test, -EFAULT,
			kg_mmio_read(test, c, 0x40000000, 8));
	kg_finish(test, c);
}

static void sev_ghcb_mmio_test(struct kunit *test)
{
	static const u8 data[16] = { 0xd0, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6,
				     0xd7, 0xd8, 0xd9, 0xda, 0xdb, 0xdc, 0xdd,
				     0xde, 0xdf };
	struct kg_ctx *c = test->priv;
	struct kvm_run *run = c->vcpu->run;
	u8 got[16];

	/* 4-byte read into the shared buffer */
	KUNIT_EXPECT_EQ(test, 0, kg_mmio_read(test, c, KG_GHCB + KG_SHARED,
					      4));
	KUNIT_EXPECT_EQ(test, run->exit_reason, (u32)KVM_EXIT_MMIO);
	KUNIT_EXPECT_EQ(test, run->mmio.phys_addr, 0xfed00000ULL);
	KUNIT_EXPECT_EQ(test, run->mmio.len, 4U);
	KUNIT_EXPECT_EQ(test, run->mmio.is_write, (u8)0);
	KUNIT_EXPECT_EQ(test, 1, kg_complete(c, 0, kg_fill_in, (void *)data));
	kg_finish(test, c);
	KUNIT_EXPECT_EQ(test, 0, memcmp(c->g->shared_buffer, data, 4));

	/* 16-byte read into guest memory: two 8-byte exits */
	KUNIT_EXPECT_EQ(test, 0, kg_mmio_read(test, c, KG_SCRATCH, 16));
	KUNIT_EXPECT_EQ(test, run->mmio.len, 8U);
	KUNIT_EXPECT_EQ(test, 1, kg_complete(c, 0, kg_fill_in, (void *)data));
	kg_finish(test, c);
	KUNIT_ASSERT_EQ(test, 0, sev_kt_read(&c->vm, KG_SCRATCH, got,
					     sizeof(got)));
	KUNIT_EXPECT_EQ(test, 0, memcmp(got, data, sizeof(got)));

	/* 8-byte write from guest memory */
	KUNIT_ASSERT_EQ(test, 0, sev_kt_write(&c->vm, KG_SCRATCH + 64, data + 8,
					      8));
	kg_req(c, X_MMIO_WRITE, 0xfed00040, 8);
	ghcb_set_sw_scratch(c->g, KG_SCRATCH + 64);
	KUNIT_EXPECT_EQ(test, 0, kg_vmgexit(test, c));
	KUNIT_EXPECT_EQ(test, run->exit_reason, (u32)KVM_EXIT_MMIO);
	KUNIT_EXPECT_EQ(test, run->mmio.is_write, (u8)1);
	KUNIT_EXPECT_EQ(test, run->mmio.phys_addr, 0xfed00040ULL);
	KUNIT_EXPECT_EQ(test, run->mmio.len, 8U);
	KUNIT_EXPECT_EQ(test, 0, memcmp(run->mmio.data, data + 8, 8));
	KUNIT_EXPECT_EQ(test, 1, kg_complete(c, 0, NULL, NULL));
	kg_finish(test, c);
}

static void sev_ghcb_vmmcall_test(struct kunit *test)
{
	struct kg_ctx *c = test->priv;

	/* an unknown hypercall: -KVM_ENOSYS, 64 bits wide */
	kg_req(c, X_VMMCALL, 0, 0);
	ghcb_set_rax(c->g, 0xdead);
	ghcb_set_cpl(c->g, 0);
	KUNIT_EXPECT_EQ(test, 1, kg_roundtrip(test, c));
	KUNIT_EXPECT_EQ(test, c->g->save.rax, (u64)-1000);

	/* from CPL 3: -KVM_EPERM */
	kg_req(c, X_VMMCALL, 0, 0);
	ghcb_set_rax(c->g, 0xdead);
	ghcb_set_cpl(c->g, 3);
	KUNIT_EXPECT_EQ(test, 1, kg_roundtrip(test, c));
	KUNIT_EXPECT_EQ(test, c->g->save.rax, (u64)-1);
}

static void sev_ghcb_simple_exits_test(struct kunit *test)
{
	struct kg_ctx *c = test->priv;
	struct kvm_vcpu *vcpu = c->vcpu;
	struct kvm_run *run = vcpu->run;
	u64 nmi_exits;

	kg_req(c, X_INVD, 0, 0);
	KUNIT_EXPECT_EQ(test, 1, kg_roundtrip(test, c));
	KUNIT_EXPECT_EQ(test, c->g->save.sw_exit_info_1, 0ULL);
	kg_req(c, X_WBINVD, 0, 0);
	KUNIT_EXPECT_EQ(test, 1, kg_roundtrip(test, c));
	KUNIT_EXPECT_EQ(test, c->g->save.sw_exit_info_1, 0ULL);
	kg_req(c, X_READ_DR7, 0, 0);
	KUNIT_EXPECT_EQ(test, 1, kg_roundtrip(test, c));
	kg_req(c, X_WRITE_DR7, 0, 0);
	ghcb_set_rax(c->g, 0x400);
	KUNIT_EXPECT_EQ(test, 1, kg_roundtrip(test, c));

	/* RDTSC: 6.1's SVM core has no handler: internal error exit */
	kg_req(c, X_RDTSC, 0, 0);
	KUNIT_EXPECT_EQ(test, 0, kg_roundtrip(test, c));
	KUNIT_EXPECT_EQ(test, run->exit_reason, (u32)KVM_EXIT_INTERNAL_ERROR);
	KUNIT_EXPECT_EQ(test, run->internal.suberror, 4U);
	KUNIT_EXPECT_EQ(test, run->internal.data[0], (u64)X_RDTSC);

	/* RDTSCP: #UD */
	vcpu->arch.exception.pending = false;
	kg_req(c, X_RDTSCP, 0, 0);
	KUNIT_EXPECT_EQ(test, 1, kg_roundtrip(test, c));
	KUNIT_EXPECT_TRUE(test, vcpu->arch.exception.pending);
	KUNIT_EXPECT_EQ(test, vcpu->arch.exception.vector, (u8)UD_VECTOR);
	vcpu->arch.exception.pending = false;

	/* NMI_COMPLETE reopens the NMI window */
	nmi_exits = vcpu->stat.nmi_window_exits;
	kg_req(c, X_NMI_COMPLETE, 0, 0);
	KUNIT_EXPECT_EQ(test, 1, kg_roundtrip(test, c));
	KUNIT_EXPECT_EQ(test, vcpu->stat.nmi_window_exits, nmi_exits + 1);

	/* UNSUPPORTED_EVENT: KVM_RUN fails */
	kg_req(c, X_UNSUPPORTED, 1, 2);
	KUNIT_EXPECT_EQ(test, -EINVAL, kg_roundtrip(test, c));
}

static void sev_ghcb_ap_test(struct kunit *test)
{
	struct kg_ctx *c = test->priv;

	/* AP jump table: set, get, and an unknown operation */
	kg_req(c, X_AP_JUMP_TABLE, 0, 0x12345000);
	KUNIT_EXPECT_EQ(test, 1, kg_roundtrip(test, c));
	kg_req(c, X_AP_JUMP_TABLE, 1, 0);
	KUNIT_EXPECT_EQ(test, 1, kg_roundtrip(test, c));
	KUNIT_EXPECT_EQ(test, c->g->save.sw_exit_info_1, 0ULL);
	KUNIT_EXPECT_EQ(test, c->g->save.sw_exit_info_2, 0x12345000ULL);
	kg_req(c, X_AP_JUMP_TABLE, 2, 0);
	kg_expect_error(test, c, ERR_INPUT);

	/* AP HLT loop with no in-kernel LAPIC: the VMM holds the AP */
	kg_req(c, X_AP_HLT_LOOP, 0, 0);
	KUNIT_EXPECT_EQ(test, 0, kg_vmgexit(test, c));
	KUNIT_EXPECT_EQ(test, c->vcpu->run->exit_reason,
			(u32)KVM_EXIT_AP_RESET_HOLD);
	/* the first SIPI starts the vCPU; a later one ends the hold */
	sev_vcpu_deliver_sipi_vector(c->vcpu, 0);
	sev_vcpu_deliver_sipi_vector(c->vcpu, 0);
	kg_finish(test, c);
	KUNIT_EXPECT_EQ(test, c->g->save.sw_exit_info_2, 1ULL);
}

/* -------------------------------------------------------------- fuzzing */

#define KG_FUZZ_ROUNDS	20000

static const u64 kg_fuzz_codes[] = {
	X_READ_DR7, X_WRITE_DR7, X_RDTSC, X_RDPMC, X_CPUID, X_INVD, X_IOIO,
	X_MSR, X_VMMCALL, X_RDTSCP, X_WBINVD, X_MONITOR, X_MWAIT, X_XSETBV,
	X_MMIO_READ, X_MMIO_WRITE, X_NMI_COMPLETE, X_AP_HLT_LOOP,
	X_AP_JUMP_TABLE, X_PSC, X_HV_FEATURES, X_TERM, X_UNSUPPORTED,
};

static u64 kg_rnd(struct rnd_state *rs)
{
	return (u64)prandom_u32_state(rs) << 32 | prandom_u32_state(rs);
}

/* Mostly small or boundary values, sometimes anything */
static u64 kg_rnd_len(struct rnd_state *rs)
{
	static const u64 edges[] = { 0, 1, 2, 4, 8, 9, 16, 2032, 2033, 4096,
				     65536, 65537, 0x7fffffff, 0x80000000,
				     0xffffffffffffffffULL };
	u32 r = prandom_u32_state(rs);

	if (r % 4 == 0)
		return edges[(r >> 8) % ARRAY_SIZE(edges)];
	if (r % 4 == 1)
		return kg_rnd(rs);
	return (r >> 8) % 64;
}

static u64 kg_rnd_scratch(struct rnd_state *rs)
{
	u32 r = prandom_u32_state(rs);

	switch (r % 6) {
	case 0:
		return KG_GHCB + KG_SHARED + (r >> 8) % 0x800;
	case 1:
		return KG_GHCB + (r >> 8) % 0x1000;
	case 2:
		return KG_SCRATCH + (r >> 8) % 0x1000;
	case 3:
		return KG_MEM - (r >> 8) % 0x2000;
	case 4:
		return 0;
	default:
		return kg_rnd(rs);
	}
}

static void kg_fuzz_fill(struct kvm_vcpu *vcpu, void *arg)
{
	struct kvm_run *run = vcpu->run;
	struct rnd_state *rs = arg;
	size_t room;
	u8 *data;

	if (run->exit_reason == KVM_EXIT_IO &&
	    run->io.direction == KVM_EXIT_IO_IN) {
		data = kg_pio_data(vcpu, &room);
		prandom_bytes_state(rs, data,
				    min_t(size_t, room,
					  run->io.size * run->io.count));
	}
	if (run->exit_reason == KVM_EXIT_MMIO && !run->mmio.is_write)
		prandom_bytes_state(rs, run->mmio.data,
				    min_t(u32, run->mmio.len, 8));
}

static void kg_fuzz_ghcb(struct rnd_state *rs, struct ghcb *g)
{
	u32 r = prandom_u32_state(rs);

	prandom_bytes_state(rs, g, sizeof(*g));
	g->save.sw_exit_code = r % 16 ? kg_fuzz_codes[(r >> 4) %
						      ARRAY_SIZE(kg_fuzz_codes)] :
					kg_rnd(rs);
	g->save.sw_exit_info_1 = (r >> 12) % 4 ? kg_rnd_len(rs) : kg_rnd(rs);
	if (g->save.sw_exit_code == X_IOIO && (r >> 14) % 2)
		g->save.sw_exit_info_1 = IO_PORT(prandom_u32_state(rs)) |
					 (prandom_u32_state(rs) & 0x7d);
	g->save.sw_exit_info_2 = kg_rnd_len(rs);
	g->save.sw_scratch = kg_rnd_scratch(rs);
	g->ghcb_usage = (r >> 16) % 16 ? 0 : prandom_u32_state(rs) % 3;
	/* usually the three required fields are there */
	if ((r >> 20) % 8) {
		g->save.valid_bitmap[114 / 8] |= BIT(114 % 8) | BIT(115 % 8) |
						 BIT(116 % 8) | BIT(117 % 8);
	}
}

static void sev_ghcb_fuzz_test(struct kunit *test)
{
	struct kg_ctx *c = test->priv;
	struct kvm_vcpu *vcpu = c->vcpu;
	unsigned int i, resumed = 0, exited = 0, failed = 0, msr = 0;
	bool warned = test_taint(TAINT_WARN);
	struct rnd_state rs;
	u64 gpa;
	int ret;

	prandom_seed_state(&rs, 20261204);
	for (i = 0; i < KG_FUZZ_ROUNDS; i++) {
		kg_fuzz_ghcb(&rs, c->g);
		KUNIT_ASSERT_EQ(test, 0, sev_kt_write(&c->vm, KG_GHCB, c->g,
						      sizeof(*c->g)));
		gpa = KG_GHCB;
		if (prandom_u32_state(&rs) % 16 == 0) {
			gpa = kg_rnd(&rs) | 1;
			msr++;
		}
		ret = kg_complete(c, kg_vmgexit_msr(c, gpa), kg_fuzz_fill,
				  &rs);
		/* a VMM that gives up on an exit leaves nothing pending */
		vcpu->arch.complete_userspace_io = NULL;
		vcpu->arch.pio.count = 0;
		vcpu->mmio_needed = 0;
		vcpu->arch.exception.pending = false;

		if (ret == 1)
			resumed++;
		else if (ret == 0)
			exited++;
		else
			failed++;
		KUNIT_EXPECT_TRUE_MSG(test, ret == 1 || ret == 0 ||
				      ret == -EINVAL || ret == -EFAULT,
				      "round %u: %d", i, ret);

		if (gpa != KG_GHCB || !to_svm(vcpu)->sev_es.ghcb)
			continue;
		kg_finish(test, c);
		/* the reply: RAX..RDX valid; an error code the spec has */
		KUNIT_EXPECT_TRUE_MSG(test, kg_valid(c->g, 63) &&
				      kg_valid(c->g, 97) &&
				      kg_valid(c->g, 98) &&
				      kg_valid(c->g, 99), "round %u", i);
		if (ret == 1)
			KUNIT_EXPECT_LE_MSG(test,
					    lower_32_bits(c->g->save.sw_exit_info_1),
					    2U, "round %u", i);
		if (ret == 1 && c->g->save.sw_exit_info_1 == 2)
			KUNIT_EXPECT_TRUE_MSG(test,
					      c->g->save.sw_exit_info_2 >= 2 &&
					      c->g->save.sw_exit_info_2 <= 6,
					      "round %u", i);
		if (test->status == KUNIT_FAILURE)
			break;
	}
	KUNIT_EXPECT_EQ(test, test_taint(TAINT_WARN), warned);
	kunit_info(test, "%u GHCBs: %u resumed, %u exited, %u failed KVM_RUN, %u MSR protocol\n",
		   i, resumed, exited, failed, msr);
}

static struct kunit_case sev_ghcb_x86_cases[] = {
	KUNIT_CASE(sev_ghcb_msr_sev_info_test),
	KUNIT_CASE(sev_ghcb_msr_cpuid_test),
	KUNIT_CASE(sev_ghcb_msr_term_test),
	KUNIT_CASE(sev_ghcb_msr_unhandled_test),
	KUNIT_CASE(sev_ghcb_gpa_unusable_test),
	KUNIT_CASE(sev_ghcb_not_es_test),
	KUNIT_CASE(sev_ghcb_usage_test),
	KUNIT_CASE(sev_ghcb_missing_input_test),
	KUNIT_CASE(sev_ghcb_invalid_event_test),
	KUNIT_CASE(sev_ghcb_cpuid_test),
	KUNIT_CASE(sev_ghcb_msr_test),
	KUNIT_CASE(sev_ghcb_ioio_test),
	KUNIT_CASE(sev_ghcb_string_io_test),
	KUNIT_CASE(sev_ghcb_scratch_test),
	KUNIT_CASE(sev_ghcb_mmio_test),
	KUNIT_CASE(sev_ghcb_vmmcall_test),
	KUNIT_CASE(sev_ghcb_simple_exits_test),
	KUNIT_CASE(sev_ghcb_ap_test),
	KUNIT_CASE(sev_ghcb_fuzz_test),
	{}
};

static struct kunit_suite sev_ghcb_x86_suite = {
	.name = "sev_ghcb_x86",
	.init = kg_init,
	.exit = kg_exit,
	.test_cases = sev_ghcb_x86_cases,
};

kunit_test_suite(sev_ghcb_x86_suite);
