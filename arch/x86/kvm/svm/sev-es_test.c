// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit (x86_64 kernel): the VMSA an SEV-ES vCPU is launched with, and
 * its VMCB. Real VMs, made through /dev/kvm (sev-kunit-vm.c), with the
 * software firmware.
 *
 * The expected VMSA is written out here from the layout of Linux 6.1's
 * struct sev_es_save_area (offsets as numbers, not the kernel's struct)
 * and from what 6.1's sev_es_sync_vmsa() puts in each field; the intercept
 * bits and MSR permission map positions likewise come from the APM's
 * numbering, not from svm.h.
 */

#include <linux/rcupdate.h>
#include <linux/xarray.h>
#include <kunit/test.h>

#include <asm/tlbflush.h>

#include "svm.h"
#include "sev-kvm.h"
#include "sev-kunit-vm.h"

#define KT_MEM		(2 * 1024 * 1024)

/* struct sev_es_save_area offsets (Linux 6.1 asm/svm.h) */
enum {
	VMSA_ES = 0x000, VMSA_CS = 0x010, VMSA_SS = 0x020, VMSA_DS = 0x030,
	VMSA_FS = 0x040, VMSA_GS = 0x050, VMSA_GDTR = 0x060,
	VMSA_LDTR = 0x070, VMSA_IDTR = 0x080, VMSA_TR = 0x090,
	VMSA_CPL = 0x0cb, VMSA_EFER = 0x0d0, VMSA_XSS = 0x140,
	VMSA_CR4 = 0x148, VMSA_CR3 = 0x150, VMSA_CR0 = 0x158,
	VMSA_DR7 = 0x160, VMSA_DR6 = 0x168, VMSA_RFLAGS = 0x170,
	VMSA_RIP = 0x178, VMSA_RSP = 0x1d8, VMSA_RAX = 0x1f8,
	VMSA_STAR = 0x200, VMSA_LSTAR = 0x208, VMSA_CSTAR = 0x210,
	VMSA_SFMASK = 0x218, VMSA_KGSBASE = 0x220, VMSA_SYSENTER_CS = 0x228,
	VMSA_SYSENTER_ESP = 0x230, VMSA_SYSENTER_EIP = 0x238,
	VMSA_CR2 = 0x240, VMSA_G_PAT = 0x268, VMSA_PKRU = 0x2e8,
	VMSA_RCX = 0x308, VMSA_RDX = 0x310, VMSA_RBX = 0x318,
	VMSA_RBP = 0x328, VMSA_RSI = 0x330, VMSA_RDI = 0x338,
	VMSA_R8 = 0x340, VMSA_XCR0 = 0x3e8,
};

static void put64(u8 *p, unsigned int off, u64 v)
{
	memcpy(p + off, &v, sizeof(v));
}

/* A segment as the VMSA holds it: selector, attributes, limit, base */
static void put_seg(u8 *p, unsigned int off, const struct kvm_segment *s)
{
	u16 attr = (s->type & 0xf) | (s->s & 1) << 4 | (s->dpl & 3) << 5 |
		   (s->present & 1) << 7 | (s->avl & 1) << 8 |
		   (s->l & 1) << 9 | (s->db & 1) << 10 | (s->g & 1) << 11;

	memcpy(p + off, &s->selector, 2);
	memcpy(p + off + 2, &attr, 2);
	memcpy(p + off + 4, &s->limit, 4);
	memcpy(p + off + 8, &s->base, 8);
}

static void put_dt(u8 *p, unsigned int off, const struct kvm_dtable *d)
{
	u32 limit = d->limit;

	memcpy(p + off + 4, &limit, 4);
	memcpy(p + off + 8, &d->base, 8);
}

static struct kvm_segment seg(u16 sel, u64 base, u32 limit, u8 type, u8 l,
			      u8 db)
{
	return (struct kvm_segment){
		.base = base, .limit = limit, .selector = sel, .type = type,
		.present = 1, .s = sel ? 1 : 0, .l = l, .db = db, .g = 1,
	};
}

/* The MSRs the known state sets, as KVM_SET_MSRS takes them */
static const struct {
	u32 index;
	u64 data;
	unsigned int off;
} kt_msrs[] = {
	{ 0xc0000081, 0x0023001000000000ULL, VMSA_STAR },
	{ 0xc0000082, 0xffffffff81a00000ULL, VMSA_LSTAR },
	{ 0xc0000083, 0xffffffff81a00100ULL, VMSA_CSTAR },
	{ 0xc0000084, 0x0000000000047700ULL, VMSA_SFMASK },
	{ 0xc0000102, 0xffff888012340000ULL, VMSA_KGSBASE },
	{ 0x00000174, 0x0000000000000010ULL, VMSA_SYSENTER_CS },
	/* SYSENTER_ESP/EIP keep 32 bits on AMD */
	{ 0x00000175, 0x00000000fffe0000ULL, VMSA_SYSENTER_ESP },
	{ 0x00000176, 0x0000000081a00200ULL, VMSA_SYSENTER_EIP },
	{ 0x00000277, 0x0007010600070106ULL, VMSA_G_PAT },
};

struct kt_msrs_arg {
	struct kvm_msrs hdr;
	struct kvm_msr_entry e[ARRAY_SIZE(kt_msrs)];
};

/*
 * Give vCPU @idx a long-mode state with a distinct value in every field
 * sev_es_sync_vmsa() takes from KVM, and write the VMSA 6.1 makes of it
 * into @want.
 */
static void kt_known_state(struct kunit *test, struct sev_kt_vm *vm,
			   unsigned int idx, u8 *want)
{
	struct kvm_vcpu *vcpu = vm->vcpu[idx];
	struct kvm_debugregs dbg = {};
	struct kt_msrs_arg *msrs;
	struct kvm_sregs *sregs;
	struct kvm_regs *regs;
	u64 *gpr, host_mce;
	unsigned int i;

	regs = kunit_kzalloc(test, sizeof(*regs), GFP_KERNEL);
	sregs = kunit_kzalloc(test, sizeof(*sregs), GFP_KERNEL);
	msrs = kunit_kzalloc(test, sizeof(*msrs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, regs);
	KUNIT_ASSERT_NOT_NULL(test, sregs);
	KUNIT_ASSERT_NOT_NULL(test, msrs);

	/* GPRs in struct kvm_regs order: rax rbx rcx rdx rsi rdi rsp rbp r8-15 */
	gpr = &regs->rax;
	for (i = 0; i < 16; i++)
		gpr[i] = 0x1100000000000000ULL * (idx + 1) + 0x0101 * (i + 1);
	regs->rip = 0xffffffff81000000ULL + idx * 0x100;
	regs->rflags = 0x246;
	KUNIT_ASSERT_EQ(test, 0, sev_kt_vcpu_ioctl(vm, vcpu, KVM_SET_REGS,
						   regs, sizeof(*regs)));

	KUNIT_ASSERT_EQ(test, 0, sev_kt_vcpu_ioctl(vm, vcpu, KVM_GET_SREGS,
						   sregs, sizeof(*sregs)));
	sregs->cs = seg(0x10, 0, 0xffffffff, 0xb, 1, 0);
	sregs->ds = seg(0x18, 0, 0xffffffff, 0x3, 0, 1);
	sregs->es = seg(0x18, 0x1000, 0xfffff, 0x3, 0, 1);
	sregs->fs = seg(0x18, 0x7fff00000000ULL, 0xffffffff, 0x3, 0, 1);
	sregs->gs = seg(0x18, 0xffff888000000000ULL, 0xffffffff, 0x3, 0, 1);
	sregs->ss = seg(0x18, 0, 0xffffffff, 0x3, 0, 1);
	sregs->tr = seg(0x40, 0xfffffe0000003000ULL, 0x4087, 0xb, 0, 0);
	sregs->tr.s = 0;
	sregs->tr.g = 0;
	sregs->ldt = seg(0x50, 0xfffffe0000004000ULL, 0xff, 0x2, 0, 0);
	sregs->ldt.s = 0;
	sregs->ldt.g = 0;
	sregs->gdt = (struct kvm_dtable){ .base = 0xfffffe0000001000ULL,
					 .limit = 0x7f };
	sregs->idt = (struct kvm_dtable){ .base = 0xfffffe0000000000ULL,
					 .limit = 0xfff };
	sregs->cr0 = 0x80050033;	/* PG AM WP NE ET MP PE */
	sregs->cr2 = 0x9999000;
	sregs->cr3 = 0x5000;
	sregs->cr4 = 0x620;		/* OSXMMEXCPT OSFXSR PAE */
	sregs->efer = 0xd01;		/* NXE LMA LME SCE */
	KUNIT_ASSERT_EQ(test, 0, sev_kt_vcpu_ioctl(vm, vcpu, KVM_SET_SREGS,
						   sregs, sizeof(*sregs)));

	msrs->hdr.nmsrs = ARRAY_SIZE(kt_msrs);
	for (i = 0; i < ARRAY_SIZE(kt_msrs); i++) {
		msrs->e[i].index = kt_msrs[i].index;
		msrs->e[i].data = kt_msrs[i].data;
	}
	KUNIT_ASSERT_EQ(test, (long)ARRAY_SIZE(kt_msrs),
			sev_kt_vcpu_ioctl(vm, vcpu, KVM_SET_MSRS, msrs,
					  sizeof(*msrs)));

	/* DR0-3 live in KVM only: 6.1 does not put them in the VMSA */
	dbg.db[0] = 0x1000;
	dbg.db[3] = 0x4000;
	dbg.dr6 = 0xffff4ff1;
	dbg.dr7 = 0x400;
	KUNIT_ASSERT_EQ(test, 0, sev_kt_vcpu_ioctl(vm, vcpu, KVM_SET_DEBUGREGS,
						   &dbg, sizeof(dbg)));

	memset(want, 0, PAGE_SIZE);
	put_seg(want, VMSA_ES, &sregs->es);
	put_seg(want, VMSA_CS, &sregs->cs);
	put_seg(want, VMSA_SS, &sregs->ss);
	put_seg(want, VMSA_DS, &sregs->ds);
	put_seg(want, VMSA_FS, &sregs->fs);
	put_seg(want, VMSA_GS, &sregs->gs);
	put_dt(want, VMSA_GDTR, &sregs->gdt);
	put_seg(want, VMSA_LDTR, &sregs->ldt);
	put_dt(want, VMSA_IDTR, &sregs->idt);
	put_seg(want, VMSA_TR, &sregs->tr);
	want[VMSA_CPL] = 0;
	put64(want, VMSA_EFER, 0xd01 | 0x1000);	/* SVME forced on */
	host_mce = cr4_read_shadow() & X86_CR4_MCE;
	put64(want, VMSA_CR4, 0x620 | host_mce);
	put64(want, VMSA_CR3, 0x5000);
	put64(want, VMSA_CR0, 0x80050033);
	put64(want, VMSA_DR7, 0x400);
	put64(want, VMSA_DR6, 0xffff4ff1);
	put64(want, VMSA_RFLAGS, 0x246);
	put64(want, VMSA_RIP, regs->rip);
	put64(want, VMSA_RSP, regs->rsp);
	put64(want, VMSA_RAX, regs->rax);
	put64(want, VMSA_RCX, regs->rcx);
	put64(want, VMSA_RDX, regs->rdx);
	put64(want, VMSA_RBX, regs->rbx);
	put64(want, VMSA_RBP, regs->rbp);
	put64(want, VMSA_RSI, regs->rsi);
	put64(want, VMSA_RDI, regs->rdi);
	for (i = 0; i < 8; i++)
		put64(want, VMSA_R8 + 8 * i, (&regs->r8)[i]);
	for (i = 0; i < ARRAY_SIZE(kt_msrs); i++)
		put64(want, kt_msrs[i].off, kt_msrs[i].data);
	/* CR2 reaches the VMCB only at VMRUN; XCR0 and PKRU at reset */
	put64(want, VMSA_CR2, 0);
	put64(want, VMSA_XCR0, 1);
	put64(want, VMSA_XSS, 0);
	memset(want + VMSA_PKRU, 0, 4);
}

/* The VMSA LAUNCH_UPDATE_VMSA was given for vCPU @idx (debugfs copy) */
static bool kt_measured_vmsa(struct kvm *kvm, unsigned int idx, u8 *out)
{
	struct sev_vmsa_copy *copy = NULL;
	struct sev_vm_ext *ext;

	rcu_read_lock();
	ext = sev_ext_peek(kvm);
	if (ext)
		copy = xa_load(&ext->vmsas, idx);
	if (copy)
		memcpy(out, copy->page, PAGE_SIZE);
	rcu_read_unlock();
	return copy;
}

static void kt_expect_page(struct kunit *test, const u8 *got, const u8 *want)
{
	unsigned int i, bad = 0;

	for (i = 0; i < PAGE_SIZE; i++) {
		if (got[i] == want[i])
			continue;
		if (bad++ < 8)
			kunit_err(test, "VMSA byte %#x: %#04x, expected %#04x\n",
				  i, got[i], want[i]);
	}
	KUNIT_EXPECT_EQ(test, bad, 0U);
}

/**
 * struct kt_ctx - a case's state
 * @vm: its VM
 * @want: the expected VMSA of each vCPU
 * @got: a measured VMSA
 */
struct kt_ctx {
	struct sev_kt_vm vm;
	u8 *want;
	u8 *got;
};

static int kt_init(struct kunit *test)
{
	struct kt_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	if (!c)
		return -ENOMEM;
	c->want = kunit_kzalloc(test, SEV_KT_MAX_VCPUS * PAGE_SIZE,
				GFP_KERNEL);
	c->got = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	if (!c->want || !c->got)
		return -ENOMEM;
	test->priv = c;
	return 0;
}

static void kt_exit(struct kunit *test)
{
	struct kt_ctx *c = test->priv;

	sev_kt_vm_destroy(&c->vm);
}

/* A known state, 1, 2 and 4 vCPUs: each measured VMSA byte for byte */
static void sev_es_vmsa_known_state_test(struct kunit *test)
{
	static const unsigned int counts[] = { 1, 2, 4 };
	struct kt_ctx *c = test->priv;
	unsigned int n, i;

	for (n = 0; n < ARRAY_SIZE(counts); n++) {
		KUNIT_ASSERT_EQ(test, 0, sev_kt_es_vm(test, &c->vm, KT_MEM,
						      counts[n]));
		for (i = 0; i < counts[n]; i++) {
			kt_known_state(test, &c->vm, i,
				       c->want + i * PAGE_SIZE);
		}
		KUNIT_ASSERT_EQ(test, 0, sev_kt_sev_cmd(&c->vm,
							KVM_SEV_LAUNCH_UPDATE_VMSA,
							NULL, 0, NULL));
		for (i = 0; i < counts[n]; i++) {
			KUNIT_EXPECT_TRUE(test,
					  c->vm.vcpu[i]->arch.guest_state_protected);
			KUNIT_ASSERT_TRUE(test, kt_measured_vmsa(c->vm.kvm, i,
								 c->got));
			kt_expect_page(test, c->got, c->want + i * PAGE_SIZE);
		}
		sev_kt_vm_destroy(&c->vm);
	}
}

/* The reset state QEMU does not change for ES: what 6.1 measures */
static void sev_es_vmsa_reset_state_test(struct kunit *test)
{
	struct kt_ctx *c = test->priv;
	u8 *w = c->want;
	static const unsigned int data_segs[] = {
		VMSA_ES, VMSA_SS, VMSA_DS, VMSA_FS, VMSA_GS,
	};
	unsigned int i;

	KUNIT_ASSERT_EQ(test, 0, sev_kt_es_vm(test, &c->vm, KT_MEM, 1));
	KUNIT_ASSERT_EQ(test, 0, sev_kt_sev_cmd(&c->vm,
						KVM_SEV_LAUNCH_UPDATE_VMSA,
						NULL, 0, NULL));
	KUNIT_ASSERT_TRUE(test, kt_measured_vmsa(c->vm.kvm, 0, c->got));

	/* APM vol. 2, "Initial processor state", as KVM's RESET sets it */
	memset(w, 0, PAGE_SIZE);
	for (i = 0; i < ARRAY_SIZE(data_segs); i++) {
		put64(w, data_segs[i], 0x0000ffff00920000ULL);
		put64(w, data_segs[i] + 8, 0);
	}
	put64(w, VMSA_CS, 0x0000ffff009af000ULL);
	put64(w, VMSA_CS + 8, 0xffff0000ULL);
	put64(w, VMSA_GDTR, 0x0000ffff00000000ULL);
	put64(w, VMSA_LDTR, 0x0000ffff00820000ULL);
	put64(w, VMSA_IDTR, 0x0000ffff00000000ULL);
	put64(w, VMSA_TR, 0x0000ffff00830000ULL);
	put64(w, VMSA_EFER, 0x1000);
	put64(w, VMSA_CR4, cr4_read_shadow() & X86_CR4_MCE);
	put64(w, VMSA_CR0, 0x10);	/* ET; CD and NW cleared by the quirk */
	put64(w, VMSA_DR7, 0x400);
	put64(w, VMSA_DR6, 0xffff0ff0);
	put64(w, VMSA_RFLAGS, 0x2);
	put64(w, VMSA_RIP, 0xfff0);
	put64(w, VMSA_G_PAT, 0x0007040600070406ULL);
	put64(w, VMSA_XCR0, 1);
	/* RDX holds the CPU signature: CPUID 1 EAX, 0x600 with no CPUID */
	put64(w, VMSA_RDX, 0x600);
	kt_expect_page(test, c->got, w);
}

/* What 6.1 refuses to measure, and what an encrypted vCPU refuses */
static void sev_es_vmsa_refusals_test(struct kunit *test)
{
	struct kvm_guest_debug gd = { .control = KVM_GUESTDBG_ENABLE };
	struct kt_ctx *c = test->priv;
	struct kvm_debugregs dbg = { .dr6 = 0xffff0ff0, .dr7 = 0x401 };

	/* a DR7 breakpoint would be encrypted into the guest: -EINVAL */
	KUNIT_ASSERT_EQ(test, 0, sev_kt_es_vm(test, &c->vm, KT_MEM, 1));
	KUNIT_ASSERT_EQ(test, 0, sev_kt_vcpu_ioctl(&c->vm, c->vm.vcpu[0],
						   KVM_SET_DEBUGREGS, &dbg,
						   sizeof(dbg)));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			sev_kt_sev_cmd(&c->vm, KVM_SEV_LAUNCH_UPDATE_VMSA,
				       NULL, 0, NULL));
	KUNIT_EXPECT_FALSE(test, c->vm.vcpu[0]->arch.guest_state_protected);
	sev_kt_vm_destroy(&c->vm);

	/* so would guest debugging */
	KUNIT_ASSERT_EQ(test, 0, sev_kt_es_vm(test, &c->vm, KT_MEM, 1));
	KUNIT_ASSERT_EQ(test, 0, sev_kt_vcpu_ioctl(&c->vm, c->vm.vcpu[0],
						   KVM_SET_GUEST_DEBUG, &gd,
						   sizeof(gd)));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			sev_kt_sev_cmd(&c->vm, KVM_SEV_LAUNCH_UPDATE_VMSA,
				       NULL, 0, NULL));
	gd.control = 0;
	KUNIT_ASSERT_EQ(test, 0, sev_kt_vcpu_ioctl(&c->vm, c->vm.vcpu[0],
						   KVM_SET_GUEST_DEBUG, &gd,
						   sizeof(gd)));

	/* measured once; then the state is protected */
	KUNIT_EXPECT_EQ(test, 0, sev_kt_sev_cmd(&c->vm,
						KVM_SEV_LAUNCH_UPDATE_VMSA,
						NULL, 0, NULL));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			sev_kt_sev_cmd(&c->vm, KVM_SEV_LAUNCH_UPDATE_VMSA,
				       NULL, 0, NULL));
	gd.control = KVM_GUESTDBG_ENABLE;
	KUNIT_EXPECT_EQ(test, -EINVAL,
			sev_kt_vcpu_ioctl(&c->vm, c->vm.vcpu[0],
					  KVM_SET_GUEST_DEBUG, &gd,
					  sizeof(gd)));
}

/* An intercept bit, numbered as in the APM (word * 32 + bit) */
static bool kt_intercept(struct vmcb_control_area *c, unsigned int bit)
{
	return c->intercepts[bit / 32] & BIT(bit % 32);
}

/* MSR permission map: 2 bits (read, write) per MSR in three ranges */
static bool kt_msr_intercepted(const u32 *msrpm, u32 msr, bool write)
{
	static const struct { u32 first; u32 byte; } ranges[] = {
		{ 0x00000000, 0x000 }, { 0xc0000000, 0x800 },
		{ 0xc0010000, 0x1000 },
	};
	const u8 *map = (const u8 *)msrpm;
	unsigned int i, bit;

	for (i = 0; i < ARRAY_SIZE(ranges); i++) {
		if (msr - ranges[i].first >= 0x2000)
			continue;
		bit = 2 * (msr - ranges[i].first) + write;
		return map[ranges[i].byte + bit / 8] & BIT(bit % 8);
	}
	return true;
}

static void sev_es_vmcb_test(struct kunit *test)
{
	static const unsigned int cr_bits[] = { 0, 4, 8, 16, 20, 24, 101 };
	static const unsigned int traps[] = { 143, 144, 148, 152 };
	static const u32 passthrough[] = {
		0xc0000080, 0x277, 0x1db, 0x1dc, 0x1dd, 0x1de,
	};
	struct kt_ctx *c = test->priv;
	struct vmcb_control_area *ctl;
	struct vcpu_svm *svm;
	unsigned int i;
	u64 sev_bits;

	KUNIT_ASSERT_TRUE(test, npt_enabled);
	KUNIT_ASSERT_EQ(test, 0, sev_kt_es_vm(test, &c->vm, KT_MEM, 1));
	svm = to_svm(c->vm.vcpu[0]);
	ctl = &svm->vmcb->control;

	/* NP, and SEV | SEV-ES where the VMCB gets the SEV bits */
	sev_bits = sev_plat.vmcb_sev_bit ? 0x6 : 0;
	KUNIT_EXPECT_EQ(test, ctl->nested_ctl & 0x7, 0x1 | sev_bits);
	KUNIT_EXPECT_TRUE(test, ctl->virt_ext & 1);
	KUNIT_ASSERT_NOT_NULL(test, svm->sev_es.vmsa);
	KUNIT_EXPECT_EQ(test, ctl->vmsa_pa, (u64)__pa(svm->sev_es.vmsa));
	KUNIT_EXPECT_EQ(test, ctl->vmsa_pa & sme_me_mask, 0ULL);
	/* RESET: the GHCB MSR holds the SEV information response */
	KUNIT_EXPECT_EQ(test, ctl->ghcb_gpa,
			0x0001000100000001ULL | (u64)sev_plat.cbit << 24);

	for (i = 0; i < ARRAY_SIZE(cr_bits); i++)
		KUNIT_EXPECT_FALSE_MSG(test, kt_intercept(ctl, cr_bits[i]),
				       "intercept bit %u", cr_bits[i]);
	for (i = 0; i < ARRAY_SIZE(traps); i++)
		KUNIT_EXPECT_TRUE_MSG(test, kt_intercept(ctl, traps[i]),
				      "trap bit %u", traps[i]);
	KUNIT_EXPECT_FALSE(test, kt_intercept(ctl, 141));	/* XSETBV */
	KUNIT_EXPECT_FALSE(test, kt_intercept(ctl, 64 + 13));	/* #GP */
	KUNIT_EXPECT_FALSE(test, kt_intercept(ctl, 64 + 6));	/* #UD */
	/* of the debug registers only DR7 */
	for (i = 32; i < 64; i++)
		KUNIT_EXPECT_EQ_MSG(test, kt_intercept(ctl, i),
				    i == 39 || i == 55, "DR intercept bit %u",
				    i);
	for (i = 0; i < ARRAY_SIZE(passthrough); i++) {
		KUNIT_EXPECT_FALSE_MSG(test,
				       kt_msr_intercepted(svm->msrpm,
							  passthrough[i],
							  false),
				       "MSR %#x read", passthrough[i]);
		KUNIT_EXPECT_FALSE_MSG(test,
				       kt_msr_intercepted(svm->msrpm,
							  passthrough[i],
							  true),
				       "MSR %#x write", passthrough[i]);
	}
	/* the GHCB MSR is never intercepted; APIC_BASE still is */
	KUNIT_EXPECT_FALSE(test, kt_msr_intercepted(svm->msrpm, 0xc0010130,
						    true));
	KUNIT_EXPECT_TRUE(test, kt_msr_intercepted(svm->msrpm, 0x1b, true));
}

/* The same VMCB fields of a plain SEV vCPU: none of the ES changes */
static void sev_plain_vmcb_test(struct kunit *test)
{
	struct kt_ctx *c = test->priv;
	struct vmcb_control_area *ctl;
	struct vcpu_svm *svm;

	KUNIT_ASSERT_EQ(test, 0, sev_kt_vm_create(&c->vm, KT_MEM));
	KUNIT_ASSERT_EQ(test, 0, sev_kt_sev_cmd(&c->vm, KVM_SEV_INIT, NULL, 0,
						NULL));
	KUNIT_ASSERT_FALSE(test, IS_ERR(sev_kt_vcpu_add(&c->vm)));
	svm = to_svm(c->vm.vcpu[0]);
	ctl = &svm->vmcb->control;

	KUNIT_EXPECT_EQ(test, ctl->nested_ctl & 0x7,
			0x1 | (sev_plat.vmcb_sev_bit ? 0x2 : 0));
	KUNIT_EXPECT_NULL(test, svm->sev_es.vmsa);
	KUNIT_EXPECT_EQ(test, ctl->vmsa_pa, 0ULL);
	KUNIT_EXPECT_TRUE(test, kt_intercept(ctl, 0));		/* CR0 read */
	KUNIT_EXPECT_FALSE(test, kt_intercept(ctl, 144));	/* CR0 trap */
	KUNIT_EXPECT_TRUE(test, kt_intercept(ctl, 32));		/* DR0 read */
	KUNIT_EXPECT_FALSE(test, kt_intercept(ctl, 64 + 6));	/* #UD */
	KUNIT_EXPECT_TRUE(test, kt_msr_intercepted(svm->msrpm, 0x277, true));
	KUNIT_EXPECT_EQ(test, -ENOTTY,
			sev_kt_sev_cmd(&c->vm, KVM_SEV_LAUNCH_UPDATE_VMSA,
				       NULL, 0, NULL));
}

static struct kunit_case sev_es_x86_cases[] = {
	KUNIT_CASE(sev_es_vmsa_known_state_test),
	KUNIT_CASE(sev_es_vmsa_reset_state_test),
	KUNIT_CASE(sev_es_vmsa_refusals_test),
	KUNIT_CASE(sev_es_vmcb_test),
	KUNIT_CASE(sev_plain_vmcb_test),
	{}
};

static struct kunit_suite sev_es_x86_suite = {
	.name = "sev_es_x86",
	.init = kt_init,
	.exit = kt_exit,
	.test_cases = sev_es_x86_cases,
};

kunit_test_suite(sev_es_x86_suite);
