// SPDX-License-Identifier: GPL-2.0-only
/*
 * SEV-ES through KVM against the software firmware: the capability bits,
 * KVM_SEV_ES_INIT's rules, the ES ASID range and its exhaustion, the
 * policy/ASID pairing the firmware enforces, LAUNCH_UPDATE_VMSA over
 * several vCPUs with every byte of the measured VMSAs predicted from the
 * registers set here and Linux 6.1's rules (debugfs sev/vmsa/<index>), the
 * launch measurement and attestation digest recomputed over those pages,
 * the rules of the VMSA sync, vCPU ioctls on protected state, KVM_RUN on
 * a platform that cannot run ES guests, moving and mirroring ES contexts,
 * the sev_es misc cgroup, and teardown leaving nothing behind.
 *
 * Needs the firmware loaded with ES ASIDs (sev_emu.min_sev_asid > 1) and
 * at least one SEV ASID left above them.
 */

#include <dirent.h>
#include <sys/klog.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <pthread.h>
#include <time.h>
#include "kvm_test.h"

#define MAX_VCPUS		4

#define SEV_POLICY_NODBG	0x1
#define SEV_POLICY_ES		0x4
#define ES_POLICY		(SEV_POLICY_NODBG | SEV_POLICY_ES)

#define GUEST_STATE_LUPDATE	1
#define GUEST_STATE_LSECRET	2
#define GUEST_STATE_RUNNING	3

#define SEV_FW_INVALID_ASID	0x0d
#define SEV_CMD_UPDATE_VMSA	0x32	/* firmware LAUNCH_UPDATE_VMSA */
#define SEV_STATUS_CONFIG_ES	0x100	/* PLATFORM_STATUS flags */

#define EFER_SCE		0x1
#define EFER_SVME		0x1000
#define X86_CR4_MCE		0x40

#define VMSA_SIZE		PAGE_SZ
#define LAUNCH_OFF		0x10
#define LAUNCH_LEN		(2 * PAGE_SZ + 0x30)

#define ES_NORUN_MSG		"SEV-ES: this CPU cannot run SEV-ES guests"

/* Pinned pages when the program started (the leak check compares) */
static long pinned_at_start;

/**
 * struct esvm - a VM with any number of vCPUs
 * @kvm: /dev/kvm
 * @fd: the VM
 * @sev: /dev/sev for the launch commands, or -1
 * @nr: vCPUs created
 * @vcpu: their fds
 * @run: their kvm_run areas
 * @mem: GUEST_MEM_SIZE bytes at GPA 0, or NULL
 * @plain: @mem as launched
 */
struct esvm {
	int kvm;
	int fd;
	int sev;
	int nr;
	int vcpu[MAX_VCPUS];
	struct kvm_run *run[MAX_VCPUS];
	uint8_t *mem;
	uint8_t plain[GUEST_MEM_SIZE];
};

static struct esvm *esvm_new(void)
{
	struct esvm *v = calloc(1, sizeof(*v));

	TEST_ASSERT(v, "calloc");
	v->kvm = kvm_open();
	v->fd = kvm_ioctl(v->kvm, KVM_CREATE_VM, (void *)0);
	v->sev = -1;
	return v;
}

/* A VM after KVM_SEV_ES_INIT (@es) or KVM_SEV_INIT */
static struct esvm *esvm_create(bool es)
{
	struct esvm *v = esvm_new();

	sev_vm_ioctl(v->fd, es ? KVM_SEV_ES_INIT : KVM_SEV_INIT, NULL, -1);
	return v;
}

static void esvm_add_vcpus(struct esvm *v, int n)
{
	while (n--) {
		TEST_ASSERT(v->nr < MAX_VCPUS, "too many vCPUs");
		v->vcpu[v->nr] = kvm_ioctl(v->fd, KVM_CREATE_VCPU,
					   (void *)(long)v->nr);
		v->run[v->nr] = vcpu_map_run(v->kvm, v->vcpu[v->nr]);
		v->nr++;
	}
}

static void esvm_destroy(struct esvm *v)
{
	int size = ioctl(v->kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	int i;

	for (i = 0; i < v->nr; i++) {
		munmap(v->run[i], size);
		close(v->vcpu[i]);
	}
	close(v->fd);
	if (v->mem)
		munmap(v->mem, GUEST_MEM_SIZE);
	if (v->sev >= 0)
		close(v->sev);
	close(v->kvm);
	free(v);
}

static void fill_pattern(uint8_t *p, size_t len, uint32_t seed)
{
	size_t i;

	for (i = 0; i < len; i++) {
		seed = seed * 1103515245 + 12345;
		p[i] = seed >> 16;
	}
}

/* Guest memory at GPA 0, filled with a pattern and registered */
static void esvm_add_memory(struct esvm *v)
{
	v->mem = vm_fd_add_memory(v->fd);
	fill_pattern(v->mem, GUEST_MEM_SIZE, v->fd);
	memcpy(v->plain, v->mem, GUEST_MEM_SIZE);
	kvm_ioctl(v->fd, KVM_MEMORY_ENCRYPT_REG_REGION,
		  (&(struct kvm_enc_region){ (uintptr_t)v->mem,
					     GUEST_MEM_SIZE }));
}

/* LAUNCH_START(@policy) without a session: TIK and TEK are zero */
static void esvm_launch_start(struct esvm *v, uint32_t policy)
{
	struct kvm_sev_launch_start start = { .policy = policy };

	if (v->sev < 0)
		v->sev = sev_open(O_RDWR);
	sev_vm_ioctl(v->fd, KVM_SEV_LAUNCH_START, &start, v->sev);
	TEST_ASSERT(start.handle, "no handle returned");
}

static void esvm_update_data(struct esvm *v)
{
	struct kvm_sev_launch_update_data upd = {
		.uaddr = (uintptr_t)v->mem + LAUNCH_OFF,
		.len = LAUNCH_LEN,
	};

	sev_vm_ioctl(v->fd, KVM_SEV_LAUNCH_UPDATE_DATA, &upd, v->sev);
}

static void esvm_update_vmsa(struct esvm *v)
{
	sev_vm_ioctl(v->fd, KVM_SEV_LAUNCH_UPDATE_VMSA, NULL, v->sev);
}

static uint32_t esvm_state(struct esvm *v)
{
	struct kvm_sev_guest_status st;

	sev_vm_ioctl(v->fd, KVM_SEV_GUEST_STATUS, &st, v->sev);
	return st.state;
}

/* ------------------------------------------------------------ debugfs */

static void esvm_path(struct esvm *v, const char *file, char *path,
		      size_t len)
{
	snprintf(path, len, DEBUGFS "/kvm/%d-%d/sev/%s", getpid(), v->fd,
		 file);
}

static long esvm_info(struct esvm *v, const char *key)
{
	char path[256];

	esvm_path(v, "info", path, sizeof(path));
	return debugfs_value(path, key);
}

static bool esvm_has_sev_dir(struct esvm *v)
{
	char path[256];
	struct stat st;

	esvm_path(v, "", path, sizeof(path));
	return !stat(path, &st);
}

/* debugfs vmsa/<i>: exactly 4096 bytes */
static void esvm_vmsa(struct esvm *v, int i, uint8_t *page)
{
	uint8_t buf[VMSA_SIZE + 16];
	char path[256], name[16];
	ssize_t n;

	snprintf(name, sizeof(name), "vmsa/%d", i);
	esvm_path(v, name, path, sizeof(path));
	n = read_file(path, buf, sizeof(buf));
	TEST_ASSERT(n == VMSA_SIZE, "%s: read %zd bytes, expected %lu (%s)",
		    path, n, VMSA_SIZE, n < 0 ? strerror(errno) : "length");
	memcpy(page, buf, VMSA_SIZE);
}

static bool esvm_vmsa_exists(struct esvm *v, int i)
{
	char path[256], name[16];
	struct stat st;

	snprintf(name, sizeof(name), "vmsa/%d", i);
	esvm_path(v, name, path, sizeof(path));
	return !stat(path, &st);
}

/* The sev/vcpus line of vCPU @i */
static void esvm_vcpu_line(struct esvm *v, int i, char *line, size_t len)
{
	char path[256], buf[4096], want[32], *p, *e;

	esvm_path(v, "vcpus", path, sizeof(path));
	TEST_ASSERT(debugfs_read(path, buf, sizeof(buf)), "%s: %s", path,
		    strerror(errno));
	snprintf(want, sizeof(want), "vcpu %d: ", i);
	p = strstr(buf, want);
	TEST_ASSERT(p, "%s has no vCPU %d: %s", path, i, buf);
	e = strchr(p, '\n');
	if (e)
		*e = 0;
	snprintf(line, len, "%s", p);
}

/* The GHCB MSR value at RESET: SEV information, versions 1..1, C-bit */
static uint64_t ghcb_msr_reset(void)
{
	return (1ULL << 48) | (1ULL << 32) |
	       ((uint64_t)sev_platform_value("platform", "cbit") << 24) | 1;
}

static bool sev_bit_in_vmcb(void)
{
	char buf[4096];

	TEST_ASSERT(debugfs_read(DEBUGFS "/kvm_amd_sev/platform", buf,
				 sizeof(buf)), "kvm_amd_sev/platform");
	return strstr(buf, "vmcb_sev_bit: set");
}

/* Every vCPU's sev/vcpus line says "vmsa set ... protected @prot" */
static void esvm_expect_vcpus(struct esvm *v, int prot)
{
	char line[512], want[128];
	int i;

	for (i = 0; i < v->nr; i++) {
		esvm_vcpu_line(v, i, line, sizeof(line));
		snprintf(want, sizeof(want),
			 "vmsa set sev_es_enable %d ghcb_msr %#llx protected %d",
			 sev_bit_in_vmcb(), (unsigned long long)ghcb_msr_reset(),
			 prot);
		TEST_ASSERT(strstr(line, want), "vCPU %d: \"%s\", expected \"%s\"",
			    i, line, want);
	}
}

/* The firmware's count of command @id */
static long fw_cmd_count(unsigned int id)
{
	char buf[4096], want[16], *p;

	TEST_ASSERT(debugfs_read(DEBUGFS "/sev-emu/commands", buf,
				 sizeof(buf)), "sev-emu/commands");
	snprintf(want, sizeof(want), "\n0x%02x ", id);
	p = strstr(buf, want);
	return p ? strtol(p + strlen(want), NULL, 0) : 0;
}

static long fw_guest_count(void)
{
	struct sev_user_data_status st;
	int fd = sev_open(O_RDONLY);

	sev_status(fd, &st);
	close(fd);
	return st.guest_count;
}

/* How often the kernel log has @msg */
static int klog_count(const char *msg)
{
	int len = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
	char *buf, *p;
	int n = 0;

	TEST_ASSERT(len > 0, "klogctl: %s", strerror(errno));
	buf = malloc(len + 1);
	TEST_ASSERT(buf, "malloc");
	len = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, len);
	TEST_ASSERT(len >= 0, "klogctl: %s", strerror(errno));
	buf[len] = 0;
	for (p = buf; (p = strstr(p, msg)); p++)
		n++;
	free(buf);
	return n;
}

/* ------------------------------------------------------ the VMSA model */

/* struct sev_es_save_area offsets (facts §1.1) */
#define VMSA_SEG(n)		((n) * 16)	/* es cs ss ds fs gs gdtr ldtr idtr tr */
#define VMSA_CPL		0x0cb
#define VMSA_EFER		0x0d0
#define VMSA_XSS		0x140
#define VMSA_CR4		0x148
#define VMSA_CR3		0x150
#define VMSA_CR0		0x158
#define VMSA_DR7		0x160
#define VMSA_DR6		0x168
#define VMSA_RFLAGS		0x170
#define VMSA_RIP		0x178
#define VMSA_RSP		0x1d8
#define VMSA_RAX		0x1f8
#define VMSA_STAR		0x200
#define VMSA_LSTAR		0x208
#define VMSA_CSTAR		0x210
#define VMSA_SFMASK		0x218
#define VMSA_KGSBASE		0x220
#define VMSA_SYSENTER_CS	0x228
#define VMSA_SYSENTER_ESP	0x230
#define VMSA_SYSENTER_EIP	0x238
#define VMSA_CR2		0x240
#define VMSA_G_PAT		0x268
#define VMSA_PKRU		0x2e8
#define VMSA_RCX		0x308
#define VMSA_RDX		0x310
#define VMSA_RBX		0x318
#define VMSA_RBP		0x328
#define VMSA_RSI		0x330
#define VMSA_RDI		0x338
#define VMSA_R8			0x340
#define VMSA_SEV_FEATURES	0x3b0
#define VMSA_XCR0		0x3e8
#define VMSA_MXCSR		0x408

enum {
	SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_GDTR, SEG_LDTR,
	SEG_IDTR, SEG_TR,
};

#define MSR_IA32_SYSENTER_CS	0x174
#define MSR_IA32_SYSENTER_ESP	0x175
#define MSR_IA32_SYSENTER_EIP	0x176
#define MSR_IA32_CR_PAT		0x277
#define MSR_STAR		0xc0000081
#define MSR_LSTAR		0xc0000082
#define MSR_CSTAR		0xc0000083
#define MSR_SYSCALL_MASK	0xc0000084
#define MSR_KERNEL_GS_BASE	0xc0000102

#define PAT_RESET		0x0007040600070406ULL

/**
 * struct vcpu_setup - what the test gives one vCPU before the launch
 * @regs: KVM_SET_REGS
 * @sregs: KVM_SET_SREGS
 * @msr: KVM_SET_MSRS values, in the order of es_msrs[]
 * @set_msrs: whether KVM_SET_MSRS is called at all
 * @dr6: KVM_SET_DEBUGREGS dr6 (with DR0 set too), or 0 to leave them
 */
struct vcpu_setup {
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	uint64_t msr[9];
	bool set_msrs;
	uint64_t dr6;
};

static const uint32_t es_msrs[] = {
	MSR_IA32_CR_PAT, MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_SYSCALL_MASK,
	MSR_KERNEL_GS_BASE, MSR_IA32_SYSENTER_CS, MSR_IA32_SYSENTER_ESP,
	MSR_IA32_SYSENTER_EIP,
};

static const unsigned int es_msr_off[] = {
	VMSA_G_PAT, VMSA_STAR, VMSA_LSTAR, VMSA_CSTAR, VMSA_SFMASK,
	VMSA_KGSBASE, VMSA_SYSENTER_CS, VMSA_SYSENTER_ESP, VMSA_SYSENTER_EIP,
};

static void set_seg(struct kvm_segment *s, uint16_t sel, uint64_t base,
		    uint32_t limit, uint8_t type, uint8_t sbit, uint8_t db,
		    uint8_t g, uint8_t avl)
{
	memset(s, 0, sizeof(*s));
	s->selector = sel;
	s->base = base;
	s->limit = limit;
	s->type = type;
	s->s = sbit;
	s->db = db;
	s->g = g;
	s->avl = avl;
	s->present = 1;
}

/*
 * Distinct, valid 32-bit protected-mode state for vCPU @i (paging off):
 * every segment, GPR and MSR differs, so that a swapped field shows.
 * vCPU 0 keeps the reset DR6, DR0 and PAT; the others change them.
 */
static void vcpu_setup_make(struct esvm *v, int i, struct vcpu_setup *s)
{
	uint64_t b = (uint64_t)(i + 1) << 40;
	struct kvm_regs *r = &s->regs;
	struct kvm_sregs *sr = &s->sregs;

	memset(s, 0, sizeof(*s));
	r->rax = b | 0x1a;
	r->rbx = b | 0x1b;
	r->rcx = b | 0x1c;
	r->rdx = 0x00800f12 + i;	/* where QEMU puts the CPU signature */
	r->rsi = b | 0x51;
	r->rdi = b | 0xd1;
	r->rsp = 0x8ff0 - i * 0x100;
	r->rbp = b | 0xb0;
	r->r8 = b | 0x08;
	r->r9 = b | 0x09;
	r->r10 = b | 0x10;
	r->r11 = b | 0x11;
	r->r12 = b | 0x12;
	r->r13 = b | 0x13;
	r->r14 = b | 0x14;
	r->r15 = b | 0x15;
	r->rip = 0x1000 + i * 0x40;
	r->rflags = 0x246;

	kvm_ioctl(v->vcpu[i], KVM_GET_SREGS, sr);
	set_seg(&sr->cs, 0x08, 0, 0xffffffff, 0xb, 1, 1, 1, 0);
	set_seg(&sr->ds, 0x10, 0x1000 + i, 0xfffff, 0x3, 1, 1, 0, 0);
	set_seg(&sr->es, 0x18, 0x2000 + i, 0xffff, 0x3, 1, 0, 0, 0);
	set_seg(&sr->fs, 0x20, 0x3000 + i, 0xfff, 0x3, 1, 1, 0, 1);
	set_seg(&sr->gs, 0x28, 0x4000 + i, 0xff, 0x3, 1, 1, 0, 0);
	set_seg(&sr->ss, 0x30, 0, 0xffffffff, 0x3, 1, 1, 1, 0);
	set_seg(&sr->tr, 0x38, 0x5000 + i, 0x67, 0xb, 0, 0, 0, 0);
	set_seg(&sr->ldt, 0x40, 0x6000 + i, 0x1f, 0x2, 0, 0, 0, 0);
	sr->gdt.base = 0x7000 + i;
	sr->gdt.limit = 0x47;
	sr->idt.base = 0x7800 + i;
	sr->idt.limit = 0x7ff;
	sr->cr0 = 0x60000011;		/* PE ET CD NW */
	sr->cr2 = 0xdead000 + i;	/* never reaches the VMSA in 6.1 */
	sr->cr3 = 0x9000 + i * 0x1000;
	sr->cr4 = 0x208;		/* DE OSFXSR */
	sr->efer = EFER_SCE;
	memset(sr->interrupt_bitmap, 0, sizeof(sr->interrupt_bitmap));

	s->set_msrs = i > 0;
	s->msr[0] = 0x0606060606060606ULL;
	s->msr[1] = 0x0023001000000000ULL + i;
	s->msr[2] = 0xffffffff81000000ULL + i;
	s->msr[3] = 0xffffffff82000000ULL + i;
	s->msr[4] = 0x47700 + i;
	s->msr[5] = 0xffff888000000000ULL + i;
	s->msr[6] = 0x10 + i;
	s->msr[7] = 0x9000 + i;
	s->msr[8] = 0xc0001000 + i;
	s->dr6 = i > 0 ? 0xffff0ff1 : 0;
}

static void vcpu_setup_apply(struct esvm *v, int i, struct vcpu_setup *s)
{
	struct {
		struct kvm_msrs h;
		struct kvm_msr_entry e[ARRAY_SIZE(es_msrs)];
	} msrs = { .h.nmsrs = ARRAY_SIZE(es_msrs) };
	struct kvm_debugregs dbg;
	size_t k;
	int r;

	kvm_ioctl(v->vcpu[i], KVM_SET_SREGS, &s->sregs);
	kvm_ioctl(v->vcpu[i], KVM_SET_REGS, &s->regs);
	if (s->set_msrs) {
		for (k = 0; k < ARRAY_SIZE(es_msrs); k++) {
			msrs.e[k].index = es_msrs[k];
			msrs.e[k].data = s->msr[k];
		}
		r = __kvm_ioctl(v->vcpu[i], KVM_SET_MSRS, &msrs);
		TEST_ASSERT(r == (int)ARRAY_SIZE(es_msrs),
			    "KVM_SET_MSRS: %d of %zu (stopped at %#x)", r,
			    ARRAY_SIZE(es_msrs),
			    r >= 0 && r < (int)ARRAY_SIZE(es_msrs) ?
			    es_msrs[r] : 0);
	}
	if (s->dr6) {
		kvm_ioctl(v->vcpu[i], KVM_GET_DEBUGREGS, &dbg);
		dbg.db[0] = 0x1234;	/* not in a 6.1 VMSA */
		dbg.dr6 = s->dr6;
		dbg.dr7 = 0x400;
		kvm_ioctl(v->vcpu[i], KVM_SET_DEBUGREGS, &dbg);
	}
}

static void put8(uint8_t *p, unsigned int off, uint64_t v)
{
	memcpy(p + off, &v, 8);
}

static void put_seg(uint8_t *p, int n, const struct kvm_segment *s)
{
	uint16_t attr = (s->type & 0xf) | (s->s & 1) << 4 |
			(s->dpl & 3) << 5 | (s->present && !s->unusable) << 7 |
			(s->avl & 1) << 8 | (s->l & 1) << 9 |
			(s->db & 1) << 10 | (s->g & 1) << 11;

	memcpy(p + VMSA_SEG(n), &s->selector, 2);
	memcpy(p + VMSA_SEG(n) + 2, &attr, 2);
	memcpy(p + VMSA_SEG(n) + 4, &s->limit, 4);
	put8(p, VMSA_SEG(n) + 8, s->base);
}

/*
 * The VMSA Linux 6.1 builds from @s (facts §1.1, §1.3): segments as
 * svm_set_segment() encodes them, GDTR/IDTR with only base and limit,
 * CR0 without CD/NW, CR2 zero, CR3 as set (ES), CR4 plus the host's
 * CR4.MCE (@cr4_mce), EFER with SVME, DR6 from the vCPU, DR7 0x400, PAT
 * and the VMCB MSRs, XCR0 1, and nothing else: no FPU state, no
 * sev_features, no DR0-3.
 */
static void vmsa_build(const struct vcpu_setup *s, uint64_t cr4_mce,
		       uint8_t *p)
{
	const struct kvm_regs *r = &s->regs;
	const struct kvm_sregs *sr = &s->sregs;
	struct kvm_segment dt = {};
	size_t k;

	memset(p, 0, VMSA_SIZE);
	put_seg(p, SEG_ES, &sr->es);
	put_seg(p, SEG_CS, &sr->cs);
	put_seg(p, SEG_SS, &sr->ss);
	put_seg(p, SEG_DS, &sr->ds);
	put_seg(p, SEG_FS, &sr->fs);
	put_seg(p, SEG_GS, &sr->gs);
	put_seg(p, SEG_LDTR, &sr->ldt);
	put_seg(p, SEG_TR, &sr->tr);
	dt.base = sr->gdt.base;
	dt.limit = sr->gdt.limit;
	put_seg(p, SEG_GDTR, &dt);
	dt.base = sr->idt.base;
	dt.limit = sr->idt.limit;
	put_seg(p, SEG_IDTR, &dt);

	p[VMSA_CPL] = sr->ss.dpl;
	put8(p, VMSA_EFER, sr->efer | EFER_SVME);
	put8(p, VMSA_CR4, sr->cr4 | cr4_mce);
	put8(p, VMSA_CR3, sr->cr3);
	put8(p, VMSA_CR0, sr->cr0 & ~0x60000000ULL);
	put8(p, VMSA_DR7, 0x400);
	put8(p, VMSA_DR6, s->dr6 ? s->dr6 : 0xffff0ff0);
	put8(p, VMSA_RFLAGS, r->rflags);
	put8(p, VMSA_RIP, r->rip);
	put8(p, VMSA_RSP, r->rsp);
	put8(p, VMSA_RAX, r->rax);
	put8(p, VMSA_RCX, r->rcx);
	put8(p, VMSA_RDX, r->rdx);
	put8(p, VMSA_RBX, r->rbx);
	put8(p, VMSA_RBP, r->rbp);
	put8(p, VMSA_RSI, r->rsi);
	put8(p, VMSA_RDI, r->rdi);
	put8(p, VMSA_R8 + 0x00, r->r8);
	put8(p, VMSA_R8 + 0x08, r->r9);
	put8(p, VMSA_R8 + 0x10, r->r10);
	put8(p, VMSA_R8 + 0x18, r->r11);
	put8(p, VMSA_R8 + 0x20, r->r12);
	put8(p, VMSA_R8 + 0x28, r->r13);
	put8(p, VMSA_R8 + 0x30, r->r14);
	put8(p, VMSA_R8 + 0x38, r->r15);
	put8(p, VMSA_G_PAT, PAT_RESET);
	if (s->set_msrs)
		for (k = 0; k < ARRAY_SIZE(es_msrs); k++)
			put8(p, es_msr_off[k], s->msr[k]);
	put8(p, VMSA_XCR0, 1);
}

static const char *vmsa_field(unsigned int off)
{
	static const struct { unsigned int off; const char *name; } f[] = {
		{ 0x000, "es" }, { 0x010, "cs" }, { 0x020, "ss" },
		{ 0x030, "ds" }, { 0x040, "fs" }, { 0x050, "gs" },
		{ 0x060, "gdtr" }, { 0x070, "ldtr" }, { 0x080, "idtr" },
		{ 0x090, "tr" }, { 0x0a0, "reserved/ssp" }, { 0x0ca, "vmpl" },
		{ 0x0cb, "cpl" }, { 0x0cc, "reserved" }, { 0x0d0, "efer" },
		{ 0x0d8, "reserved" }, { 0x140, "xss" }, { 0x148, "cr4" },
		{ 0x150, "cr3" }, { 0x158, "cr0" }, { 0x160, "dr7" },
		{ 0x168, "dr6" }, { 0x170, "rflags" }, { 0x178, "rip" },
		{ 0x180, "dr0-3/masks" }, { 0x1c0, "reserved" },
		{ 0x1d8, "rsp" }, { 0x1e0, "s_cet/ssp/isst" },
		{ 0x1f8, "rax" }, { 0x200, "star" }, { 0x208, "lstar" },
		{ 0x210, "cstar" }, { 0x218, "sfmask" },
		{ 0x220, "kernel_gs_base" }, { 0x228, "sysenter_cs" },
		{ 0x230, "sysenter_esp" }, { 0x238, "sysenter_eip" },
		{ 0x240, "cr2" }, { 0x248, "reserved" }, { 0x268, "g_pat" },
		{ 0x270, "dbgctl/lbr" }, { 0x298, "reserved/spec_ctrl" },
		{ 0x2e8, "pkru" }, { 0x2ec, "reserved" }, { 0x308, "rcx" },
		{ 0x310, "rdx" }, { 0x318, "rbx" }, { 0x320, "reserved" },
		{ 0x328, "rbp" }, { 0x330, "rsi" }, { 0x338, "rdi" },
		{ 0x340, "r8-r15" }, { 0x380, "reserved/exit info" },
		{ 0x3b0, "sev_features" }, { 0x3b8, "vintr..event_inj" },
		{ 0x3e8, "xcr0" }, { 0x3f0, "reserved" }, { 0x400, "x87/mxcsr" },
		{ 0x420, "fpreg" }, { 0x670, "tail" },
	};
	const char *name = "?";
	size_t i;

	for (i = 0; i < ARRAY_SIZE(f); i++)
		if (off >= f[i].off)
			name = f[i].name;
	return name;
}

/*
 * Compare a VMSA from debugfs with the model, every byte; CR4 may carry
 * the host's CR4.MCE or not. Returns the CR4.MCE value that matched.
 */
static uint64_t vmsa_expect(const uint8_t *got, const struct vcpu_setup *s,
			    int i)
{
	static const uint64_t mce[] = { X86_CR4_MCE, 0 };
	uint8_t want[VMSA_SIZE];
	unsigned int off, bad = 0;
	size_t k;

	for (k = 0; k < ARRAY_SIZE(mce); k++) {
		vmsa_build(s, mce[k], want);
		if (!memcmp(got, want, VMSA_SIZE))
			return mce[k];
	}
	vmsa_build(s, X86_CR4_MCE, want);
	for (off = 0; off < VMSA_SIZE; off += 8) {
		uint64_t a, b;

		memcpy(&a, got + off, 8);
		memcpy(&b, want + off, 8);
		if (a == b || (off == VMSA_CR4 && a == (b & ~X86_CR4_MCE)))
			continue;
		printf("# vCPU %d VMSA %#05x (%s): got 0x%016llx, expected 0x%016llx\n",
		       i, off, vmsa_field(off), (unsigned long long)a,
		       (unsigned long long)b);
		bad++;
	}
	TEST_FAIL("vCPU %d: the VMSA differs from the model in %u quadwords",
		  i, bad);
}

/* ------------------------------------------------ a launched ES guest */

/*
 * ES_INIT, @n vCPUs with known state, memory, LAUNCH_START(@policy),
 * LAUNCH_UPDATE_DATA, LAUNCH_UPDATE_VMSA
 */
static struct esvm *es_launch(int n, uint32_t policy, struct vcpu_setup *s)
{
	struct esvm *v = esvm_create(true);
	struct vcpu_setup tmp;
	int i;

	esvm_add_vcpus(v, n);
	esvm_add_memory(v);
	esvm_launch_start(v, policy);
	esvm_update_data(v);
	for (i = 0; i < n; i++) {
		vcpu_setup_make(v, i, s ? &s[i] : &tmp);
		vcpu_setup_apply(v, i, s ? &s[i] : &tmp);
	}
	esvm_update_vmsa(v);
	return v;
}

/* MEASURE = HMAC-SHA256(TIK = 0, 04 | api | build | policy | LD | mnonce) */
static void expected_measure(int sev, uint32_t policy, const uint8_t *ld,
			     const uint8_t *mnonce, uint8_t *out)
{
	struct sev_user_data_status ps;
	uint8_t msg[1 + 3 + 4 + 32 + 16], tik[16] = {};
	unsigned int len = 32;

	sev_status(sev, &ps);
	msg[0] = 0x04;
	msg[1] = ps.api_major;
	msg[2] = ps.api_minor;
	msg[3] = ps.build;
	memcpy(msg + 4, &policy, 4);
	memcpy(msg + 8, ld, 32);
	memcpy(msg + 40, mnonce, 16);
	TEST_ASSERT(HMAC(EVP_sha256(), tik, sizeof(tik), msg, sizeof(msg),
			 out, &len), "HMAC");
}

/* LD = SHA-256(@data || @n VMSA pages) */
static void launch_digest(const uint8_t *data, size_t len,
			  uint8_t (*pages)[VMSA_SIZE], int n, uint8_t *ld)
{
	uint8_t *buf = malloc(len + n * VMSA_SIZE);
	int i;

	TEST_ASSERT(buf, "malloc");
	memcpy(buf, data, len);
	for (i = 0; i < n; i++)
		memcpy(buf + len + i * VMSA_SIZE, pages[i], VMSA_SIZE);
	SHA256(buf, len + n * VMSA_SIZE, ld);
	free(buf);
}

/* LAUNCH_MEASURE checked against @ld, and the attestation report's LD */
static void expect_launch_digest(struct esvm *v, uint32_t policy,
				 const uint8_t *ld)
{
	struct kvm_sev_launch_measure m = {};
	struct kvm_sev_attestation_report a = {};
	uint8_t mbuf[48], want[32], report[0xd0];

	m.uaddr = (uintptr_t)mbuf;
	m.len = sizeof(mbuf);
	sev_vm_ioctl(v->fd, KVM_SEV_LAUNCH_MEASURE, &m, v->sev);
	TEST_ASSERT_EQ(m.len, 48);
	expected_measure(v->sev, policy, ld, mbuf + 32, want);
	TEST_ASSERT(!memcmp(mbuf, want, 32),
		    "the measurement is not HMAC(0, ... SHA-256(data || VMSAs) ...)");

	memset(a.mnonce, 0x5e, sizeof(a.mnonce));
	a.uaddr = (uintptr_t)report;
	a.len = sizeof(report);
	sev_vm_ioctl(v->fd, KVM_SEV_GET_ATTESTATION_REPORT, &a, v->sev);
	TEST_ASSERT(!memcmp(report + 0x10, ld, 32),
		    "attestation report: the launch digest differs");
	TEST_ASSERT_EQ(*(uint32_t *)(report + 0x30), policy);
}

/* ----------------------------------------------------------- the tests */

static void test_cpuid_reports_sev_es(void)
{
	struct {
		struct kvm_cpuid2 c;
		struct kvm_cpuid_entry2 e[256];
	} cpuid = { .c.nent = 256 };
	int kvm = kvm_open();
	uint32_t i;

	kvm_ioctl(kvm, KVM_GET_SUPPORTED_CPUID, &cpuid);
	close(kvm);
	for (i = 0; i < cpuid.c.nent; i++) {
		if (cpuid.e[i].function != 0x8000001f)
			continue;
		tap_diag("KVM_GET_SUPPORTED_CPUID 0x8000001F: eax %#x ebx %#x ecx %#x edx %#x",
			 cpuid.e[i].eax, cpuid.e[i].ebx, cpuid.e[i].ecx,
			 cpuid.e[i].edx);
		TEST_ASSERT(cpuid.e[i].eax & (1u << 1),
			    "0x8000001F EAX %#x lacks SEV", cpuid.e[i].eax);
		TEST_ASSERT(cpuid.e[i].eax & (1u << 3),
			    "0x8000001F EAX %#x lacks SEV-ES", cpuid.e[i].eax);
		return;
	}
	TEST_FAIL("KVM_GET_SUPPORTED_CPUID has no leaf 0x8000001F");
}

/*
 * The platform: INIT with ES (CONFIG_ES), kvm_amd's sev_es on, and the ES
 * range 1..min-1 inside the ASIDs KVM manages, with SEV ASIDs above it
 */
static void test_platform(void)
{
	struct sev_user_data_status st;
	unsigned int min, max;
	char buf[16] = "";
	struct esvm *v;
	int fd;

	TEST_ASSERT(debugfs_read("/sys/module/kvm_amd/parameters/sev_es", buf,
				 sizeof(buf)) && buf[0] == 'Y',
		    "kvm_amd.sev_es is \"%s\"", buf);
	sev_asid_range(&min, &max);
	tap_diag("kvm_amd_sev/platform asids: %u - %u (ES: 1 - %u)", min, max,
		 min - 1);
	TEST_ASSERT(min > 1, "no ES ASIDs (load sev_emu with min_sev_asid > 1)");
	TEST_ASSERT(min <= max,
		    "ES ASIDs 1 - %u reach beyond the ASIDs KVM manages (max %u), and no SEV ASID is left",
		    min - 1, max);

	v = esvm_create(true);	/* INITs the platform */
	fd = sev_open(O_RDONLY);
	sev_status(fd, &st);
	close(fd);
	TEST_ASSERT(st.flags & SEV_STATUS_CONFIG_ES,
		    "PLATFORM_STATUS flags %#x lack CONFIG_ES", st.flags);
	esvm_destroy(v);
}

static void test_es_init_rules(void)
{
	struct esvm *late = esvm_new(), *v = esvm_new(), *s = esvm_new();

	/* ES must come before the vCPUs, as SEV */
	esvm_add_vcpus(late, 1);
	sev_vm_ioctl_fails(late->fd, KVM_SEV_ES_INIT, NULL, -1, EINVAL,
			   KVM_SEV_ERROR_POISON);
	TEST_ASSERT(!esvm_has_sev_dir(late), "a failed ES_INIT left sev/");

	sev_vm_ioctl(v->fd, KVM_SEV_ES_INIT, NULL, -1);
	sev_vm_ioctl_fails(v->fd, KVM_SEV_ES_INIT, NULL, -1, EBUSY,
			   KVM_SEV_ERROR_POISON);
	sev_vm_ioctl_fails(v->fd, KVM_SEV_INIT, NULL, -1, EBUSY,
			   KVM_SEV_ERROR_POISON);

	sev_vm_ioctl(s->fd, KVM_SEV_INIT, NULL, -1);
	sev_vm_ioctl_fails(s->fd, KVM_SEV_ES_INIT, NULL, -1, EBUSY,
			   KVM_SEV_ERROR_POISON);

	/* the ES VM's vCPUs have VMSA pages, the SEV VM's do not */
	esvm_add_vcpus(v, 1);
	esvm_add_vcpus(s, 1);
	esvm_expect_vcpus(v, 0);
	{
		char line[512];

		esvm_vcpu_line(s, 0, line, sizeof(line));
		TEST_ASSERT(strstr(line, "vmsa none"), "SEV vCPU: %s", line);
	}
	esvm_destroy(late);
	esvm_destroy(v);
	esvm_destroy(s);
}

static void test_asid_ranges(void)
{
	unsigned int min, max;
	struct esvm *es, *sev;
	long a;

	sev_asid_range(&min, &max);
	es = esvm_create(true);
	sev = esvm_create(false);
	a = esvm_info(es, "asid");
	TEST_ASSERT(a >= 1 && a < min, "ES VM: ASID %ld, expected 1 - %u", a,
		    min - 1);
	a = esvm_info(sev, "asid");
	TEST_ASSERT(a >= min && a <= max, "SEV VM: ASID %ld, expected %u - %u",
		    a, min, max);
	esvm_destroy(es);
	esvm_destroy(sev);
}

static void test_es_asid_exhaustion(void)
{
	unsigned int min, max, n, i;
	long in_use, pinned, guests;
	struct esvm **vms, *extra;

	sev_asid_range(&min, &max);
	n = min - 1;
	vms = calloc(n, sizeof(*vms));
	TEST_ASSERT(vms, "calloc");
	in_use = sev_platform_value("asids", "in use");
	for (i = 0; i < n; i++)
		vms[i] = esvm_create(true);
	TEST_ASSERT_EQ(sev_platform_value("asids", "in use"), in_use + n);

	pinned = sys_pinned_pages();
	guests = fw_guest_count();
	extra = esvm_new();
	sev_vm_ioctl_fails(extra->fd, KVM_SEV_ES_INIT, NULL, -1, EBUSY,
			   KVM_SEV_ERROR_POISON);
	/* no side effect: no ASID, page, firmware guest or debugfs dir */
	TEST_ASSERT_EQ(sev_platform_value("asids", "in use"), in_use + n);
	TEST_ASSERT_EQ(sys_pinned_pages(), pinned);
	TEST_ASSERT_EQ(fw_guest_count(), guests);
	TEST_ASSERT(!esvm_has_sev_dir(extra), "a failed ES_INIT left sev/");
	/* ...and the VM is as new: SEV ASIDs are another range */
	sev_vm_ioctl(extra->fd, KVM_SEV_INIT, NULL, -1);
	TEST_ASSERT(esvm_info(extra, "asid") >= min, "SEV ASID below %u", min);
	esvm_destroy(extra);

	esvm_destroy(vms[0]);
	extra = esvm_create(true);	/* the freed ASID, after a reclaim */
	TEST_ASSERT(esvm_info(extra, "asid") < min, "ES ASID not below %u",
		    min);
	esvm_destroy(extra);
	for (i = 1; i < n; i++)
		esvm_destroy(vms[i]);
	TEST_ASSERT_EQ(sev_platform_value("asids", "in use"), in_use);
	free(vms);
}

/* The firmware pairs ES policies with ES ASIDs (ACTIVATE), both ways */
static void test_policy_asid_mismatch(void)
{
	struct kvm_sev_launch_start start = { .policy = SEV_POLICY_NODBG };
	long guests = fw_guest_count();
	struct esvm *es = esvm_create(true), *sev = esvm_create(false);
	int fd = sev_open(O_RDWR);

	sev_vm_ioctl_fails(es->fd, KVM_SEV_LAUNCH_START, &start, fd, EIO,
			   SEV_FW_INVALID_ASID);
	start.policy = ES_POLICY;
	start.handle = 0;
	sev_vm_ioctl_fails(sev->fd, KVM_SEV_LAUNCH_START, &start, fd, EIO,
			   SEV_FW_INVALID_ASID);
	TEST_ASSERT_EQ(fw_guest_count(), guests);
	TEST_ASSERT_EQ(esvm_info(es, "handle"), 0);
	TEST_ASSERT_EQ(esvm_info(sev, "handle"), 0);
	close(fd);
	esvm_destroy(es);
	esvm_destroy(sev);
}

/*
 * A launch of @n vCPUs: every VMSA byte as the model predicts, and the
 * measurement and attestation digest recomputed from the launched data
 * and the debugfs VMSAs
 */
static void launch_vmsa(int n)
{
	struct vcpu_setup s[MAX_VCPUS];
	uint8_t got[MAX_VCPUS][VMSA_SIZE], ld[32];
	char path[256], name[32], buf[4096];
	struct esvm *v;
	uint64_t mce;
	long n32 = fw_cmd_count(SEV_CMD_UPDATE_VMSA);
	int i;

	v = es_launch(n, ES_POLICY, s);
	TEST_ASSERT_EQ(fw_cmd_count(SEV_CMD_UPDATE_VMSA), n32 + n);
	TEST_ASSERT_EQ(esvm_state(v), GUEST_STATE_LUPDATE);
	TEST_ASSERT_EQ(esvm_info(v, "policy"), ES_POLICY);
	esvm_expect_vcpus(v, 1);

	for (i = 0; i < n; i++) {
		esvm_vmsa(v, i, got[i]);
		mce = vmsa_expect(got[i], &s[i], i);
		if (!i)
			tap_diag("%d vCPUs: VMSA cr4 %s the host's CR4.MCE", n,
				 mce ? "carries" : "does not carry");
	}
	TEST_ASSERT(!esvm_vmsa_exists(v, n), "an extra VMSA");

	/* the decoded view names the same values */
	snprintf(name, sizeof(name), "vmsa/%d.txt", n - 1);
	esvm_path(v, name, path, sizeof(path));
	TEST_ASSERT(debugfs_read(path, buf, sizeof(buf)), "%s: %s", path,
		    strerror(errno));
	snprintf(path, sizeof(path), "rip %#llx rsp %#llx rflags 0x246",
		 (unsigned long long)s[n - 1].regs.rip,
		 (unsigned long long)s[n - 1].regs.rsp);
	TEST_ASSERT(strstr(buf, path), "vmsa/%d.txt lacks \"%s\": %s", n - 1,
		    path, buf);

	/* LD = SHA-256(the UPDATE_DATA range || VMSA 0 || VMSA 1 || ...) */
	launch_digest(v->plain + LAUNCH_OFF, LAUNCH_LEN, got, n, ld);
	expect_launch_digest(v, ES_POLICY, ld);
	TEST_ASSERT_EQ(esvm_state(v), GUEST_STATE_LSECRET);
	sev_vm_ioctl(v->fd, KVM_SEV_LAUNCH_FINISH, NULL, v->sev);
	TEST_ASSERT_EQ(esvm_state(v), GUEST_STATE_RUNNING);
	esvm_destroy(v);
}

/* 1, 2 and 4 vCPUs (MAX_VCPUS) */
static void test_launch_vmsa(void)
{
	static const int counts[] = { 1, 2, MAX_VCPUS };
	size_t k;

	for (k = 0; k < ARRAY_SIZE(counts); k++)
		launch_vmsa(counts[k]);
}

/* sev_es_sync_vmsa(): guest debugging and a DR7 other than 0x400 refuse */
static void test_sync_rules(void)
{
	struct kvm_guest_debug gd = { .control = KVM_GUESTDBG_ENABLE };
	struct esvm *v = esvm_create(true);
	struct kvm_debugregs dbg;
	long n32;
	char line[512];

	esvm_add_vcpus(v, 2);
	esvm_add_memory(v);
	esvm_launch_start(v, ES_POLICY);
	n32 = fw_cmd_count(SEV_CMD_UPDATE_VMSA);

	kvm_ioctl(v->vcpu[0], KVM_SET_GUEST_DEBUG, &gd);
	sev_vm_ioctl_fails(v->fd, KVM_SEV_LAUNCH_UPDATE_VMSA, NULL, v->sev,
			   EINVAL, KVM_SEV_ERROR_POISON);
	esvm_expect_vcpus(v, 0);
	TEST_ASSERT_EQ(fw_cmd_count(SEV_CMD_UPDATE_VMSA), n32);
	TEST_ASSERT(!esvm_vmsa_exists(v, 0), "vmsa/0 without a launch");
	gd.control = 0;
	kvm_ioctl(v->vcpu[0], KVM_SET_GUEST_DEBUG, &gd);

	/* vCPU 1 has DR7 0x401: vCPU 0 is launched, the loop stops at 1 */
	kvm_ioctl(v->vcpu[1], KVM_GET_DEBUGREGS, &dbg);
	dbg.dr7 = 0x401;
	kvm_ioctl(v->vcpu[1], KVM_SET_DEBUGREGS, &dbg);
	sev_vm_ioctl_fails(v->fd, KVM_SEV_LAUNCH_UPDATE_VMSA, NULL, v->sev,
			   EINVAL, 0);
	TEST_ASSERT_EQ(fw_cmd_count(SEV_CMD_UPDATE_VMSA), n32 + 1);
	esvm_vcpu_line(v, 0, line, sizeof(line));
	TEST_ASSERT(strstr(line, "protected 1"), "vCPU 0: %s", line);
	esvm_vcpu_line(v, 1, line, sizeof(line));
	TEST_ASSERT(strstr(line, "protected 0"), "vCPU 1: %s", line);
	TEST_ASSERT(esvm_vmsa_exists(v, 0) && !esvm_vmsa_exists(v, 1),
		    "vmsa files after a partial launch");

	/* no rollback and no second sync: vCPU 0 now refuses every retry */
	dbg.dr7 = 0x400;
	kvm_ioctl(v->vcpu[1], KVM_SET_DEBUGREGS, &dbg);
	sev_vm_ioctl_fails(v->fd, KVM_SEV_LAUNCH_UPDATE_VMSA, NULL, v->sev,
			   EINVAL, KVM_SEV_ERROR_POISON);
	TEST_ASSERT_EQ(fw_cmd_count(SEV_CMD_UPDATE_VMSA), n32 + 1);
	esvm_destroy(v);
}

/* What vCPU ioctls do once the state is protected (facts §1.5) */
static void test_protected_state(void)
{
	struct kvm_guest_debug gd = { .control = KVM_GUESTDBG_ENABLE };
	struct vcpu_setup s[2];
	uint8_t before[VMSA_SIZE], after[VMSA_SIZE];
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	struct kvm_fpu fpu;
	struct esvm *v;
	long n32;

	v = es_launch(2, ES_POLICY, s);
	esvm_vmsa(v, 0, before);
	n32 = fw_cmd_count(SEV_CMD_UPDATE_VMSA);

	/* a second LAUNCH_UPDATE_VMSA: refused before any firmware call */
	sev_vm_ioctl_fails(v->fd, KVM_SEV_LAUNCH_UPDATE_VMSA, NULL, v->sev,
			   EINVAL, KVM_SEV_ERROR_POISON);
	TEST_ASSERT_EQ(fw_cmd_count(SEV_CMD_UPDATE_VMSA), n32);
	esvm_vmsa(v, 0, after);
	TEST_ASSERT(!memcmp(before, after, VMSA_SIZE), "vmsa/0 changed");
	TEST_ASSERT_EQ(esvm_state(v), GUEST_STATE_LUPDATE);

	TEST_ASSERT_EQ(__kvm_ioctl(v->vcpu[0], KVM_SET_GUEST_DEBUG, &gd),
		       -EINVAL);
	gd.control = 0;
	TEST_ASSERT_EQ(__kvm_ioctl(v->vcpu[1], KVM_SET_GUEST_DEBUG, &gd),
		       -EINVAL);

	/* 6.1 answers these from (or into) its stale caches, no error */
	TEST_ASSERT_EQ(__kvm_ioctl(v->vcpu[0], KVM_GET_REGS, &regs), 0);
	regs.rax ^= 1;
	TEST_ASSERT_EQ(__kvm_ioctl(v->vcpu[0], KVM_SET_REGS, &regs), 0);
	TEST_ASSERT_EQ(__kvm_ioctl(v->vcpu[0], KVM_GET_FPU, &fpu), 0);
	TEST_ASSERT_EQ(__kvm_ioctl(v->vcpu[0], KVM_SET_FPU, &fpu), 0);
	TEST_ASSERT_EQ(__kvm_ioctl(v->vcpu[1], KVM_GET_SREGS, &sregs), 0);
	TEST_ASSERT_EQ(__kvm_ioctl(v->vcpu[1], KVM_SET_SREGS, &sregs), 0);
	esvm_expect_vcpus(v, 1);
	esvm_destroy(v);
}

static void test_run_shutdown(void)
{
	struct esvm *v = es_launch(1, ES_POLICY, NULL);
	struct kvm_sev_launch_measure m = {};
	uint8_t mbuf[48];
	int logged, r, k;

	m.uaddr = (uintptr_t)mbuf;
	m.len = sizeof(mbuf);
	sev_vm_ioctl(v->fd, KVM_SEV_LAUNCH_MEASURE, &m, v->sev);
	sev_vm_ioctl(v->fd, KVM_SEV_LAUNCH_FINISH, NULL, v->sev);

	logged = klog_count(ES_NORUN_MSG);
	for (k = 0; k < 2; k++) {
		r = __kvm_ioctl(v->vcpu[0], KVM_RUN, NULL);
		TEST_ASSERT(r == 0, "KVM_RUN %d: %s", k, strerror(-r));
		TEST_ASSERT(v->run[0]->exit_reason == KVM_EXIT_SHUTDOWN,
			    "KVM_RUN %d: exit reason %u, expected KVM_EXIT_SHUTDOWN",
			    k, v->run[0]->exit_reason);
	}
	/* one warning per VM */
	TEST_ASSERT_EQ(klog_count(ES_NORUN_MSG), logged + 1);
	TEST_ASSERT_EQ(esvm_state(v), GUEST_STATE_RUNNING);
	esvm_destroy(v);
}

static void test_update_vmsa_rules(void)
{
	struct esvm *sev = esvm_create(false), *none = esvm_create(true);
	long n32;

	/* not an ES VM: -ENOTTY before anything */
	esvm_add_vcpus(sev, 1);
	sev_vm_ioctl_fails(sev->fd, KVM_SEV_LAUNCH_UPDATE_VMSA, NULL, -1,
			   ENOTTY, KVM_SEV_ERROR_POISON);

	/* an ES VM without vCPUs: nothing to do, no firmware call */
	esvm_launch_start(none, ES_POLICY);
	n32 = fw_cmd_count(SEV_CMD_UPDATE_VMSA);
	sev_vm_ioctl(none->fd, KVM_SEV_LAUNCH_UPDATE_VMSA, NULL, none->sev);
	TEST_ASSERT_EQ(fw_cmd_count(SEV_CMD_UPDATE_VMSA), n32);
	esvm_destroy(sev);
	esvm_destroy(none);
}

static int move_from(struct esvm *dst, struct esvm *src)
{
	return __vm_enable_cap(dst->fd, KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM,
			       src->fd);
}

static int copy_from(struct esvm *dst, struct esvm *src)
{
	return __vm_enable_cap(dst->fd, KVM_CAP_VM_COPY_ENC_CONTEXT_FROM,
			       src->fd);
}

static void test_move(void)
{
	uint8_t pages[2][VMSA_SIZE], page[VMSA_SIZE];
	struct esvm *src = es_launch(2, ES_POLICY, NULL);
	struct esvm *dst = esvm_new(), *next = esvm_new();
	long asid = esvm_info(src, "asid");
	int i;

	for (i = 0; i < 2; i++)
		esvm_vmsa(src, i, pages[i]);
	esvm_add_vcpus(dst, 2);
	TEST_ASSERT_EQ(move_from(dst, src), 0);

	/* the source is dead */
	TEST_ASSERT_EQ(__kvm_ioctl(src->fd, KVM_MEMORY_ENCRYPT_OP, NULL), -EIO);
	TEST_ASSERT_EQ(move_from(src, dst), -EIO);

	/* the destination holds the context, protected vCPUs, the VMSAs */
	TEST_ASSERT_EQ(esvm_info(dst, "asid"), asid);
	esvm_expect_vcpus(dst, 1);
	for (i = 0; i < 2; i++) {
		esvm_vmsa(dst, i, page);
		TEST_ASSERT(!memcmp(page, pages[i], VMSA_SIZE),
			    "vmsa/%d differs after the move", i);
	}
	sev_vm_ioctl_fails(dst->fd, KVM_SEV_LAUNCH_UPDATE_VMSA, NULL, -1,
			   EINVAL, KVM_SEV_ERROR_POISON);

	/* and moves on */
	esvm_add_vcpus(next, 2);
	TEST_ASSERT_EQ(move_from(next, dst), 0);
	TEST_ASSERT_EQ(esvm_info(next, "asid"), asid);
	esvm_expect_vcpus(next, 1);
	esvm_vmsa(next, 1, page);
	TEST_ASSERT(!memcmp(page, pages[1], VMSA_SIZE), "vmsa/1 differs");

	esvm_destroy(src);
	esvm_destroy(dst);
	esvm_destroy(next);
}

static void test_move_rules(void)
{
	struct esvm *es = es_launch(2, ES_POLICY, NULL);
	struct esvm *few = esvm_new(), *none = esvm_new(), *sev, *dst;
	struct esvm *raw = esvm_create(true), *esdst;

	/* vCPU counts must match */
	esvm_add_vcpus(few, 1);
	TEST_ASSERT_EQ(move_from(few, es), -EINVAL);
	TEST_ASSERT_EQ(move_from(none, es), -EINVAL);
	TEST_ASSERT_EQ(esvm_state(es), GUEST_STATE_LUPDATE);	/* alive */

	/* every source vCPU must have its VMSA launched */
	esvm_add_vcpus(raw, 2);
	esvm_add_memory(raw);
	esvm_launch_start(raw, ES_POLICY);
	dst = esvm_new();
	esvm_add_vcpus(dst, 2);
	TEST_ASSERT_EQ(move_from(dst, raw), -EINVAL);
	TEST_ASSERT(!esvm_has_sev_dir(dst), "a refused move made dst SEV");
	TEST_ASSERT_EQ(esvm_state(raw), GUEST_STATE_LUPDATE);
	esvm_destroy(raw);

	/* SEV <-> ES: the destination is already SEV (or ES) */
	sev = esvm_create(false);
	esvm_add_vcpus(sev, 2);
	TEST_ASSERT_EQ(move_from(sev, es), -EINVAL);
	esdst = esvm_create(true);
	TEST_ASSERT_EQ(move_from(esdst, sev), -EINVAL);
	TEST_ASSERT_EQ(copy_from(sev, es), -EINVAL);
	TEST_ASSERT_EQ(copy_from(esdst, sev), -EINVAL);

	/* after all that the ES context still moves */
	TEST_ASSERT_EQ(move_from(dst, es), 0);
	esvm_expect_vcpus(dst, 1);

	esvm_destroy(es);
	esvm_destroy(few);
	esvm_destroy(none);
	esvm_destroy(sev);
	esvm_destroy(esdst);
	esvm_destroy(dst);
}

static void test_mirror(void)
{
	struct esvm *owner = es_launch(2, ES_POLICY, NULL);
	struct esvm *mirror = esvm_new();
	uint8_t pages[4][VMSA_SIZE], ld[32];
	struct vcpu_setup s;
	struct kvm_sev_guest_status st;
	uint32_t id;
	int i;

	TEST_ASSERT_EQ(copy_from(mirror, owner), 0);
	TEST_ASSERT_EQ(esvm_info(mirror, "asid"), esvm_info(owner, "asid"));
	/* a mirror of an ES VM is ES: its vCPUs get VMSA pages */
	esvm_add_vcpus(mirror, 2);
	esvm_expect_vcpus(mirror, 0);
	for (i = 0; i < 2; i++) {
		vcpu_setup_make(mirror, i, &s);
		vcpu_setup_apply(mirror, i, &s);
	}
	sev_vm_ioctl(mirror->fd, KVM_SEV_LAUNCH_UPDATE_VMSA, NULL, -1);
	esvm_expect_vcpus(mirror, 1);

	/* every other command belongs to the owner */
	for (id = 0; id < KVM_SEV_NR_MAX; id++) {
		if (id == KVM_SEV_LAUNCH_UPDATE_VMSA ||
		    id == KVM_SEV_GUEST_STATUS || id == KVM_SEV_DBG_DECRYPT ||
		    id == KVM_SEV_DBG_ENCRYPT)
			continue;
		sev_vm_ioctl_fails(mirror->fd, id, NULL, -1, EINVAL,
				   KVM_SEV_ERROR_POISON);
	}
	sev_vm_ioctl(mirror->fd, KVM_SEV_GUEST_STATUS, &st, -1);
	TEST_ASSERT_EQ(st.state, GUEST_STATE_LUPDATE);

	/* the mirror's VMSAs were measured into the owner's digest */
	for (i = 0; i < 2; i++) {
		esvm_vmsa(owner, i, pages[i]);
		esvm_vmsa(mirror, i, pages[2 + i]);
	}
	launch_digest(owner->plain + LAUNCH_OFF, LAUNCH_LEN, pages, 4, ld);
	expect_launch_digest(owner, ES_POLICY, ld);

	esvm_destroy(owner);
	esvm_destroy(mirror);
}

/*
 * The sev_es misc resource: capacity = ES ASIDs, charged at ES_INIT
 * against misc.max, and by a move into another cgroup (charged as
 * sev_es, unlike 6.1)
 */
static void test_misc_cgroup(void)
{
	char root[] = "/tmp/cgXXXXXX", a[64], b[64], buf[512];
	unsigned int min, max;
	struct esvm *x, *y, *z;

	sev_asid_range(&min, &max);
	cgroup2_mount(root);
	snprintf(a, sizeof(a), "%s/cgroup.controllers", root);
	if (!debugfs_read(a, buf, sizeof(buf)) || !strstr(buf, "misc")) {
		tap_diag("cgroup2 controllers \"%s\": no misc controller",
			 buf);
		tap_diag("the sev_es accounting cannot be tested");
		TEST_FAIL("no misc cgroup controller");
	}
	expect_misc_capacity(root, "sev_es", min - 1);

	write_file(root, "cgroup.subtree_control", "+misc");
	snprintf(a, sizeof(a), "%s/es-a-%d", root, getpid());
	snprintf(b, sizeof(b), "%s/es-b-%d", root, getpid());
	TEST_ASSERT(!mkdir(a, 0755) && !mkdir(b, 0755), "mkdir: %s",
		    strerror(errno));
	write_file(a, "misc.max", "sev_es 1");

	join_cgroup(a);
	x = esvm_create(true);
	TEST_ASSERT_EQ(misc_current(a, "sev_es"), 1);
	TEST_ASSERT_EQ(misc_current(a, "sev"), 0);
	y = esvm_new();
	sev_vm_ioctl_fails(y->fd, KVM_SEV_ES_INIT, NULL, -1, EBUSY,
			   KVM_SEV_ERROR_POISON);
	sev_vm_ioctl(y->fd, KVM_SEV_INIT, NULL, -1);	/* another resource */
	TEST_ASSERT_EQ(misc_current(a, "sev"), 1);
	esvm_destroy(y);

	/* launch x, then move it from b: the charge moves to b as sev_es */
	esvm_add_vcpus(x, 1);
	esvm_add_memory(x);
	esvm_launch_start(x, ES_POLICY);
	esvm_update_vmsa(x);
	join_cgroup(b);
	z = esvm_new();
	esvm_add_vcpus(z, 1);
	TEST_ASSERT_EQ(move_from(z, x), 0);
	TEST_ASSERT_EQ(misc_current(b, "sev_es"), 1);
	TEST_ASSERT_EQ(misc_current(b, "sev"), 0);
	TEST_ASSERT_EQ(misc_current(a, "sev_es"), 0);
	TEST_ASSERT_EQ(misc_current(a, "sev"), 0);
	esvm_destroy(x);
	esvm_destroy(z);
	TEST_ASSERT_EQ(misc_current(b, "sev_es"), 0);

	join_cgroup(root);
	TEST_ASSERT(!rmdir(a) && !rmdir(b), "rmdir: %s", strerror(errno));
	umount(root);
	rmdir(root);
}

/* ------------------------------------------- ASID reuse, killed launches */

#define ES_CYCLES		300
#define SEV_CMD_DF_FLUSH	0x0a	/* firmware DF_FLUSH */
#define SETTLE_TRIES		300	/* 10 ms each */

static long asids_in_use(void)
{
	return sev_platform_value("asids", "in use");
}

static long reclaim_passes(void)
{
	return sev_platform_value("asids", "reclaim passes");
}

/* ASIDs 1..@max_es the firmware has allocated or in use (bound) */
static long fw_es_bound(unsigned int max_es)
{
	char buf[4096], state[32], *line;
	unsigned int lo, hi;
	long n = 0;

	TEST_ASSERT(debugfs_read(DEBUGFS "/sev-emu/asids", buf, sizeof(buf)),
		    "sev-emu/asids: %s", strerror(errno));
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		if (sscanf(line, "%u-%u: %31s", &lo, &hi, state) != 3 ||
		    (strcmp(state, "allocated") && strcmp(state, "in-use")))
			continue;
		if (lo <= max_es)
			n += (hi < max_es ? hi : max_es) - lo + 1;
	}
	return n;
}

static long fw_bound(void)
{
	return fw_es_bound(~0u);
}

static long quarantined_pages(void)
{
	return sev_platform_value("platform", "quarantined pages");
}

static void *esvm_destroy_thread(void *v)
{
	esvm_destroy(v);
	return NULL;
}

/*
 * Destroy @n VMs at once: most of a VM's teardown under TCG is waiting
 * (RCU, IPIs), which the threads overlap
 */
static void esvm_destroy_all(struct esvm **vms, unsigned int n)
{
	pthread_t th[MAX_VCPUS * 4];
	unsigned int i;

	for (i = 0; i < n; i++)
		TEST_ASSERT(!pthread_create(&th[i], NULL, esvm_destroy_thread,
					    vms[i]), "pthread_create");
	for (i = 0; i < n; i++)
		pthread_join(th[i], NULL);
}

/*
 * ES_CYCLES rounds that each take every ES ASID at once (ES_INIT,
 * LAUNCH_START with policy 0x5 or 0x4, one vCPU, LAUNCH_UPDATE_VMSA), find
 * ES_INIT refused past the last one with nothing changed (the same VM
 * every time: a refused ES_INIT leaves it as new), and destroy them all:
 * each round's first ES_INIT must reclaim (WBINVD + DF_FLUSH) the
 * previous round's ASIDs, and only that one
 */
static void test_es_asid_cycles(void)
{
	unsigned int min, max, n, c, i;
	long in_use, passes, flushes, busy_passes, pins, guests, bound;
	long t0 = time(NULL);
	struct esvm *vms[MAX_VCPUS * 4], *extra = esvm_new();
	unsigned long seen;
	long a;

	sev_asid_range(&min, &max);
	n = min - 1;
	TEST_ASSERT(n >= 1 && n <= ARRAY_SIZE(vms), "%u ES ASIDs", n);
	in_use = asids_in_use();
	passes = reclaim_passes();
	flushes = fw_cmd_count(SEV_CMD_DF_FLUSH);
	pins = sys_pinned_pages();
	guests = fw_guest_count();

	for (c = 0; c < ES_CYCLES; c++) {
		seen = 0;
		for (i = 0; i < n; i++) {
			vms[i] = esvm_create(true);
			esvm_add_vcpus(vms[i], 1);
			esvm_launch_start(vms[i], c & 1 ? SEV_POLICY_ES :
							  ES_POLICY);
			esvm_update_vmsa(vms[i]);
			a = esvm_info(vms[i], "asid");
			TEST_ASSERT(a >= 1 && a <= n && !(seen & (1UL << a)),
				    "cycle %u: ES VM %u has ASID %ld (ES ASIDs 1 - %u)",
				    c, i, a, n);
			seen |= 1UL << a;
		}
		TEST_ASSERT_EQ(asids_in_use(), in_use + n);
		TEST_ASSERT_EQ(fw_es_bound(n), n);
		TEST_ASSERT_EQ(fw_guest_count(), guests + n);

		/* past the last ES ASID: EBUSY, and nothing moved */
		busy_passes = reclaim_passes();
		bound = fw_bound();
		sev_vm_ioctl_fails(extra->fd, KVM_SEV_ES_INIT, NULL, -1, EBUSY,
				   KVM_SEV_ERROR_POISON);
		TEST_ASSERT(!esvm_has_sev_dir(extra),
			    "cycle %u: a refused ES_INIT left sev/", c);
		TEST_ASSERT_EQ(asids_in_use(), in_use + n);
		TEST_ASSERT_EQ(reclaim_passes(), busy_passes);
		TEST_ASSERT_EQ(fw_bound(), bound);
		TEST_ASSERT_EQ(fw_guest_count(), guests + n);

		esvm_destroy_all(vms, n);
		/* the ES ASIDs wait for reclaim, none is in use */
		TEST_ASSERT_EQ(asids_in_use(), in_use);
		TEST_ASSERT_EQ(fw_es_bound(n), 0);
	}
	passes = reclaim_passes() - passes;
	flushes = fw_cmd_count(SEV_CMD_DF_FLUSH) - flushes;
	tap_diag("%u cycles of %u ES ASIDs: %ld reclaim passes, %ld DF_FLUSH, %lds",
		 ES_CYCLES, n, passes, flushes, (long)time(NULL) - t0);
	/* one pass per cycle (the first may find its ASIDs free) */
	TEST_ASSERT(passes >= ES_CYCLES - 1 && passes <= ES_CYCLES,
		    "%ld reclaim passes in %u cycles", passes, ES_CYCLES);
	TEST_ASSERT(flushes >= passes, "%ld DF_FLUSH for %ld reclaim passes",
		    flushes, passes);
	TEST_ASSERT_EQ(fw_guest_count(), guests);
	TEST_ASSERT_EQ(sys_pinned_pages(), pins);

	/* the refused VM is as new: SEV_INIT takes an SEV ASID */
	sev_vm_ioctl(extra->fd, KVM_SEV_INIT, NULL, -1);
	TEST_ASSERT(esvm_info(extra, "asid") >= min, "SEV ASID below %u", min);
	esvm_destroy(extra);
}

/* Does a VM of process @pid still have its debugfs directory? */
static bool pid_has_vm_dir(pid_t pid)
{
	char prefix[32];
	struct dirent *d;
	bool found = false;
	DIR *dir = opendir(DEBUGFS "/kvm");

	TEST_ASSERT(dir, "opendir kvm: %s", strerror(errno));
	snprintf(prefix, sizeof(prefix), "%d-", pid);
	while (!found && (d = readdir(dir)))
		found = !strncmp(d->d_name, prefix, strlen(prefix));
	closedir(dir);
	return found;
}

/* The steps of a killed child's launch; it reports each one on a pipe */
enum {
	KL_ES_INIT = 1, KL_VCPUS, KL_MEMORY, KL_START, KL_DATA, KL_SETUP,
	KL_VMSA, KL_STEPS = KL_VMSA,
};

static void step_done(int fd)
{
	TEST_ASSERT(write(fd, "s", 1) == 1, "write: %s", strerror(errno));
}

/* In a child: an ES launch of @nr vCPUs, then wait to be killed */
static void kill_victim(int fd, int nr, uint32_t policy)
{
	struct vcpu_setup s;
	struct esvm *v;
	int i;

	/* never outlive the test, even when it fails */
	TEST_ASSERT(!prctl(PR_SET_PDEATHSIG, SIGKILL), "prctl");
	if (getppid() == 1)
		exit(KSFT_FAIL);
	v = esvm_create(true);
	step_done(fd);
	esvm_add_vcpus(v, nr);
	step_done(fd);
	esvm_add_memory(v);
	step_done(fd);
	esvm_launch_start(v, policy);
	step_done(fd);
	esvm_update_data(v);
	step_done(fd);
	for (i = 0; i < nr; i++) {
		vcpu_setup_make(v, i, &s);
		vcpu_setup_apply(v, i, &s);
	}
	step_done(fd);
	esvm_update_vmsa(v);
	step_done(fd);
	for (;;)
		pause();
}

/*
 * Children launch ES VMs of 2 - 4 vCPUs, as many at once as there are ES
 * ASIDs, and die by SIGKILL after a random step between ES_INIT and
 * LAUNCH_UPDATE_VMSA (0: maybe inside ES_INIT), a random few hundred
 * microseconds into the next one: afterwards no firmware guest, bound or
 * KVM ASID in use (awaiting reclaim is fine), pinned or quarantined page,
 * firmware VMSA record, or VM of theirs (whose vCPUs own the VMSA pages)
 */
#define KILL_ROUNDS		8

static void test_killed_mid_launch(void)
{
	long pins = sys_pinned_pages(), guests = fw_guest_count();
	long in_use = asids_in_use(), bound = fw_bound();
	long records = fw_es_vmsa_records(), kept = quarantined_pages();
	unsigned int min, max, n, seed, r, i, k = 0, at[KL_STEPS + 1] = {};
	pid_t pids[MAX_VCPUS * 4], all[KILL_ROUNDS * MAX_VCPUS * 4];
	int fds[MAX_VCPUS * 4][2], status, want, nr;
	uint32_t policy;
	char c, hist[128];
	size_t len = 0;

	sev_asid_range(&min, &max);
	n = min - 1;
	TEST_ASSERT(n >= 1 && n <= ARRAY_SIZE(pids), "%u ES ASIDs", n);
	seed = getenv("SEV_ES_SEED") ? strtoul(getenv("SEV_ES_SEED"), NULL, 0) :
				       (unsigned int)time(NULL) ^ getpid();
	tap_diag("seed %u (SEV_ES_SEED=%u repeats it)", seed, seed);
	srand(seed);

	for (r = 0; r < KILL_ROUNDS; r++) {
		for (i = 0; i < n; i++) {
			nr = 2 + rand() % 3;
			policy = rand() & 1 ? ES_POLICY : SEV_POLICY_ES;
			TEST_ASSERT(!pipe(fds[i]), "pipe");
			fflush(stdout);
			pids[i] = fork();
			TEST_ASSERT(pids[i] >= 0, "fork");
			if (!pids[i]) {
				close(fds[i][0]);
				kill_victim(fds[i][1], nr, policy);
			}
			close(fds[i][1]);
			all[k++] = pids[i];
		}
		for (i = 0; i < n; i++) {
			/* every step is someone's: 0 .. KL_STEPS in turn */
			want = (r * n + i) % (KL_STEPS + 1);
			while (want-- > 0)
				TEST_ASSERT(read(fds[i][0], &c, 1) == 1,
					    "child %d failed before its kill point",
					    pids[i]);
			at[(r * n + i) % (KL_STEPS + 1)]++;
			usleep(rand() % 500);
			TEST_ASSERT(!kill(pids[i], SIGKILL), "kill");
			TEST_ASSERT(waitpid(pids[i], &status, 0) == pids[i],
				    "waitpid");
			TEST_ASSERT(WIFSIGNALED(status) &&
				    WTERMSIG(status) == SIGKILL,
				    "child %d ended with status %#x", pids[i],
				    status);
			close(fds[i][0]);
		}
	}
	for (i = 0; i <= KL_STEPS; i++)
		len += snprintf(hist + len, sizeof(hist) - len, " %u", at[i]);
	tap_diag("%u children killed after step 0..%d:%s", k, KL_STEPS, hist);

	TEST_ASSERT(settles(fw_guest_count, guests, SETTLE_TRIES),
		    "firmware guests %ld, before %ld", fw_guest_count(), guests);
	TEST_ASSERT(settles(asids_in_use, in_use, SETTLE_TRIES),
		    "KVM ASIDs in use %ld, before %ld", asids_in_use(), in_use);
	TEST_ASSERT(settles(fw_bound, bound, SETTLE_TRIES),
		    "firmware bound ASIDs %ld, before %ld", fw_bound(), bound);
	TEST_ASSERT(settles(sys_pinned_pages, pins, SETTLE_TRIES),
		    "pinned pages %ld, before %ld", sys_pinned_pages(), pins);
	TEST_ASSERT(settles(fw_es_vmsa_records, records, SETTLE_TRIES),
		    "firmware VMSA records %ld, before %ld",
		    fw_es_vmsa_records(), records);
	TEST_ASSERT_EQ(quarantined_pages(), kept);
	for (i = 0; i < k; i++)
		TEST_ASSERT(!pid_has_vm_dir(all[i]),
			    "killed child %d still has a VM in debugfs kvm/",
			    all[i]);
}

/* After every test: no guest in the firmware, no ASID, no pinned page */
static void test_no_leaks(void)
{
	char buf[4096];

	TEST_ASSERT_EQ(fw_guest_count(), 0);
	TEST_ASSERT_EQ(sev_platform_value("asids", "in use"), 0);
	if (debugfs_read(DEBUGFS "/sev-emu/guests", buf, sizeof(buf)))
		TEST_ASSERT(!strchr(buf, '\n') || !strchr(buf, '\n')[1],
			    "sev-emu still has guests: %s", buf);
	TEST_ASSERT_EQ(sys_pinned_pages(), pinned_at_start);
}

static const struct sev_test tests[] = {
	{ "cpuid_reports_sev_es", test_cpuid_reports_sev_es },
	{ "platform", test_platform },
	{ "es_init_rules", test_es_init_rules },
	{ "asid_ranges", test_asid_ranges },
	{ "es_asid_exhaustion", test_es_asid_exhaustion },
	{ "policy_asid_mismatch", test_policy_asid_mismatch },
	{ "launch_vmsa", test_launch_vmsa },
	{ "sync_rules", test_sync_rules },
	{ "protected_state", test_protected_state },
	{ "run_shutdown", test_run_shutdown },
	{ "update_vmsa_rules", test_update_vmsa_rules },
	{ "move", test_move },
	{ "move_rules", test_move_rules },
	{ "mirror", test_mirror },
	{ "misc_cgroup", test_misc_cgroup },
	{ "es_asid_cycles", test_es_asid_cycles },
	{ "killed_mid_launch", test_killed_mid_launch },
	{ "no_leaks", test_no_leaks },
};

/* With arguments, run only the named cases */
int main(int argc, char **argv)
{
	struct sev_test picked[ARRAY_SIZE(tests)];
	size_t n;

	if (!access("/proc/sys/vm/stat_refresh", W_OK))
		pinned_at_start = sys_pinned_pages();
	if (argc < 2)
		return sev_run_tests(tests, ARRAY_SIZE(tests));
	n = sev_pick_tests(tests, ARRAY_SIZE(tests), argc, argv, picked);
	return sev_run_tests(picked, n);
}
