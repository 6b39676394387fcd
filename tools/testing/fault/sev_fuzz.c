// SPDX-License-Identifier: GPL-2.0-only
/*
 * A structured, bounded, seeded fuzzer of the SEV host stack's two ioctl
 * surfaces: /dev/sev SEV_ISSUE_CMD and KVM_MEMORY_ENCRYPT_OP (every
 * KVM_SEV_* id), plus KVM_MEMORY_ENCRYPT_REG/UNREG_REGION, the move/copy
 * encryption-context capabilities, vCPU creation, VM destruction, fd
 * close, munmap of guest memory, fork and SIGKILL, from several processes.
 * Arguments are well typed (each field of each command struct is drawn
 * from its kind: guest address, blob pointer, length, handle, policy) and
 * valid, boundary or hostile (NULL, unmapped, kernel, non-canonical
 * pointers; zero, off-by-one, huge lengths; wrong orderings).
 *
 *   sev_fuzz [--seed S] [--ops N] [--procs P] [--time T] [--faults]
 *
 * Worker i draws from a generator seeded with S and i, so one seed gives
 * the same sequence of calls per worker (interleaving aside; --procs 1 is
 * fully reproducible). --faults also arms random firmware faults (fail,
 * delay, corrupt) on commands whose failure the stack can clean up.
 *
 * After the run, KTAP: every worker finished, KVM's view of each live VM
 * (handle, ASID) matched the firmware's guest table, and after every
 * process exited no firmware guest, bound ASID, KVM ASID or pinned page
 * is left. Kernel reports are caught by the VM harness (dmesg).
 */

#include <getopt.h>
#include <sys/prctl.h>
#include "fault_util.h"

#define MAX_VMS		4
#define MAX_VCPUS	2
#define ARENA_SZ	0x10000UL	/* followed by a PROT_NONE page */
#define KERNEL_PTR	0xffffffff81000000ULL
#define NONCANON_PTR	0x8000000000001000ULL
#define SESSION_LEN	0x80
#define HDR_LEN		0x34

struct stats {
	unsigned long long calls;	/* ioctls issued */
	unsigned long long ok;		/* ...that succeeded */
	unsigned long long ops;
	unsigned long long vms;
	unsigned long long forks;
	unsigned long long kills;
	unsigned long long faults;
	unsigned long long inconsistent;
	unsigned long long workers_done;
	unsigned long long kvm_ok[KVM_SEV_NR_MAX];	/* per KVM_SEV_* id */
	unsigned long long dev_ok[SEV_MAX];		/* per /dev/sev cmd */
};

struct fvm {
	int fd;
	uint8_t *mem;
	int vcpu[MAX_VCPUS];
};

struct worker {
	uint64_t rng;
	int kvm;
	int sev_rw;
	int sev_ro;
	struct fvm vm[MAX_VMS];
	uint8_t *arena;
	uint8_t *guard;
	uint8_t pdh[SEV_CERT_LEN];
	uint8_t chain[SEV_CHAIN_LEN];
	uint8_t amd[0x1000];
	uint32_t amd_len;
	uint8_t session[SESSION_LEN];
	bool have_session;
	bool faults;
};

static struct stats *st;

/* xorshift64*: small, fast, and the same everywhere */
static uint64_t rnd64(struct worker *w)
{
	w->rng ^= w->rng >> 12;
	w->rng ^= w->rng << 25;
	w->rng ^= w->rng >> 27;
	return w->rng * 0x2545f4914f6cdd1dULL;
}

static uint32_t rnd(struct worker *w, uint32_t n)
{
	return n ? rnd64(w) % n : 0;
}

static bool chance(struct worker *w, unsigned int percent)
{
	return rnd(w, 100) < percent;
}

static int count_call(int r)
{
	__atomic_add_fetch(&st->calls, 1, __ATOMIC_RELAXED);
	if (r >= 0)
		__atomic_add_fetch(&st->ok, 1, __ATOMIC_RELAXED);
	return r;
}

static int xioctl(int fd, unsigned long req, void *arg)
{
	return count_call(ioctl(fd, req, arg) < 0 ? -errno : 0);
}

/* KVM_MEMORY_ENCRYPT_OP, counted per id when it succeeds */
static int xsev(int fd, struct kvm_sev_cmd *c)
{
	int r = xioctl(fd, KVM_MEMORY_ENCRYPT_OP, c);

	if (!r && c->id < KVM_SEV_NR_MAX)
		__atomic_add_fetch(&st->kvm_ok[c->id], 1, __ATOMIC_RELAXED);
	return r;
}

/* ---- argument generators ---- */

static const uint32_t boundary_lens[] = {
	0, 1, 15, 16, 47, 48, HDR_LEN, SESSION_LEN, SEV_CERT_LEN,
	SEV_CHAIN_LEN, 0xfff, 0x1000, 0x1001, 0x2000, 0x4000, 0x4001,
	GUEST_MEM_SIZE, GUEST_MEM_SIZE + 1, 0x100000, 0x7fffffff, 0x80000000,
	0xfffff000, 0xffffffff,
};

static uint32_t gen_len(struct worker *w)
{
	if (chance(w, 85))
		return boundary_lens[rnd(w, ARRAY_SIZE(boundary_lens))];
	return (uint32_t)rnd64(w);
}

static struct fvm *pick_vm(struct worker *w)
{
	struct fvm *vm = &w->vm[rnd(w, MAX_VMS)];

	return vm->fd >= 0 ? vm : NULL;
}

/* A user pointer: guest memory, the arena, or something hostile */
static uint64_t gen_ptr(struct worker *w, struct fvm *vm)
{
	unsigned int r = rnd(w, 16);

	if (r < 6 && vm && vm->mem)
		return (uintptr_t)vm->mem +
		       (chance(w, 50) ? rnd(w, GUEST_MEM_SIZE / PAGE_SZ) *
					PAGE_SZ : rnd(w, GUEST_MEM_SIZE));
	if (r < 9)
		return (uintptr_t)w->arena + rnd(w, ARENA_SZ);

	switch (r) {
	case 9:
		/* the last bytes before the guard page */
		return (uintptr_t)w->guard - 1 - rnd(w, 64);
	case 10:
		return 0;
	case 11:
		return (uintptr_t)w->guard;
	case 12:
		return KERNEL_PTR;
	case 13:
		return NONCANON_PTR;
	case 14:
		return rnd64(w) & 0x00007ffffffff000ULL;
	default:
		return rnd64(w);
	}
}

/* A pointer and length pair, often exact */
static void gen_buf(struct worker *w, struct fvm *vm, __u64 *p,
		    uint32_t *len)
{
	*p = gen_ptr(w, vm);
	*len = gen_len(w);
}

static uint32_t gen_policy(struct worker *w)
{
	static const uint32_t pol[] = { 0, 1, 2, 4, 8, 0x10, 0x20, 0x3, 0xff,
					0x10000, 0xffffffff };

	return chance(w, 80) ? pol[rnd(w, ARRAY_SIZE(pol))] : (uint32_t)rnd64(w);
}

static int gen_sev_fd(struct worker *w)
{
	switch (rnd(w, 10)) {
	case 0:
		return w->sev_ro;
	case 1:
		return -1;
	case 2:
		return w->kvm;
	case 3:
		return (int)rnd(w, 1024);
	default:
		return w->sev_rw;
	}
}

/* ---- KVM_MEMORY_ENCRYPT_OP ---- */

union sev_args {
	struct kvm_sev_launch_start ls;
	struct kvm_sev_launch_update_data lu;
	struct kvm_sev_launch_secret sec;
	struct kvm_sev_launch_measure lm;
	struct kvm_sev_guest_status gs;
	struct kvm_sev_dbg dbg;
	struct kvm_sev_attestation_report ar;
	struct kvm_sev_send_start ss;
	struct kvm_sev_send_update_data su;
	struct kvm_sev_receive_start rs;
	struct kvm_sev_receive_update_data ru;
	uint8_t raw[256];
};

/* Guest range: mostly page-aligned, inside guest memory */
static void gen_guest(struct worker *w, struct fvm *vm, __u64 *p,
		      uint32_t *len)
{
	if (vm->mem && chance(w, 70)) {
		*p = (uintptr_t)vm->mem + rnd(w, GUEST_MEM_SIZE / PAGE_SZ) *
					  PAGE_SZ;
		*len = chance(w, 70) ? PAGE_SZ : 16 * (1 + rnd(w, 256));
		return;
	}
	gen_buf(w, vm, p, len);
}

static void gen_sev_args(struct worker *w, struct fvm *vm, uint32_t id,
			 union sev_args *a)
{
	bool valid = chance(w, 60);
	uint32_t hlen;

	memset(a, 0, sizeof(*a));
	switch (id) {
	case KVM_SEV_LAUNCH_START:
		a->ls.policy = gen_policy(w);
		if (!valid) {
			a->ls.handle = rnd(w, 8);
			gen_buf(w, vm, &a->ls.dh_uaddr, &a->ls.dh_len);
			gen_buf(w, vm, &a->ls.session_uaddr,
				&a->ls.session_len);
		}
		break;
	case KVM_SEV_LAUNCH_UPDATE_DATA:
		gen_guest(w, vm, &a->lu.uaddr, &a->lu.len);
		break;
	case KVM_SEV_LAUNCH_SECRET:
		gen_buf(w, vm, &a->sec.hdr_uaddr, &a->sec.hdr_len);
		gen_guest(w, vm, &a->sec.guest_uaddr, &a->sec.guest_len);
		gen_buf(w, vm, &a->sec.trans_uaddr, &a->sec.trans_len);
		break;
	case KVM_SEV_LAUNCH_MEASURE:
		gen_buf(w, vm, &a->lm.uaddr, &a->lm.len);
		if (valid) {
			a->lm.uaddr = (uintptr_t)w->arena;
			a->lm.len = chance(w, 50) ? 48 : 0;
		}
		break;
	case KVM_SEV_GUEST_STATUS:
		a->gs.handle = rnd(w, 8);
		break;
	case KVM_SEV_DBG_DECRYPT:
	case KVM_SEV_DBG_ENCRYPT:
		gen_guest(w, vm, &a->dbg.src_uaddr, &a->dbg.len);
		a->dbg.dst_uaddr = valid && vm->mem ?
				   (uintptr_t)vm->mem + rnd(w, GUEST_MEM_SIZE -
							    a->dbg.len % GUEST_MEM_SIZE) :
				   gen_ptr(w, vm);
		break;
	case KVM_SEV_GET_ATTESTATION_REPORT:
		gen_buf(w, vm, &a->ar.uaddr, &a->ar.len);
		if (valid) {
			a->ar.uaddr = (uintptr_t)w->arena;
			a->ar.len = chance(w, 50) ? 0x400 : 0;
		}
		break;
	case KVM_SEV_SEND_START:
		a->ss.policy = gen_policy(w);
		if (valid) {
			a->ss.pdh_cert_uaddr = (uintptr_t)w->pdh;
			a->ss.pdh_cert_len = SEV_CERT_LEN;
			a->ss.plat_certs_uaddr = (uintptr_t)w->chain;
			a->ss.plat_certs_len = SEV_CHAIN_LEN;
			a->ss.amd_certs_uaddr = (uintptr_t)w->amd;
			a->ss.amd_certs_len = w->amd_len;
			a->ss.session_uaddr = (uintptr_t)w->arena;
			a->ss.session_len = chance(w, 80) ? SESSION_LEN : 0;
			break;
		}
		gen_buf(w, vm, &a->ss.pdh_cert_uaddr, &a->ss.pdh_cert_len);
		gen_buf(w, vm, &a->ss.plat_certs_uaddr, &a->ss.plat_certs_len);
		gen_buf(w, vm, &a->ss.amd_certs_uaddr, &a->ss.amd_certs_len);
		gen_buf(w, vm, &a->ss.session_uaddr, &a->ss.session_len);
		break;
	case KVM_SEV_SEND_UPDATE_DATA:
	case KVM_SEV_RECEIVE_UPDATE_DATA:
		/* same layout */
		hlen = HDR_LEN;
		gen_guest(w, vm, &a->su.guest_uaddr, &a->su.guest_len);
		if (valid) {
			a->su.hdr_uaddr = (uintptr_t)w->arena;
			a->su.hdr_len = chance(w, 80) ? hlen : 0;
			a->su.trans_uaddr = (uintptr_t)w->arena + PAGE_SZ;
			a->su.trans_len = a->su.guest_len;
		} else {
			gen_buf(w, vm, &a->su.hdr_uaddr, &a->su.hdr_len);
			gen_buf(w, vm, &a->su.trans_uaddr, &a->su.trans_len);
		}
		break;
	case KVM_SEV_RECEIVE_START:
		a->rs.policy = gen_policy(w);
		if (valid) {
			a->rs.pdh_uaddr = (uintptr_t)w->pdh;
			a->rs.pdh_len = SEV_CERT_LEN;
			a->rs.session_uaddr = (uintptr_t)w->session;
			a->rs.session_len = SESSION_LEN;
			if (w->have_session)
				a->rs.policy = 0;
			break;
		}
		a->rs.handle = rnd(w, 8);
		gen_buf(w, vm, &a->rs.pdh_uaddr, &a->rs.pdh_len);
		gen_buf(w, vm, &a->rs.session_uaddr, &a->rs.session_len);
		break;
	default:
		/* ids without a struct, and unknown ones: random bytes */
		if (!valid) {
			uint64_t *q = (uint64_t *)a->raw;
			unsigned int i;

			for (i = 0; i < sizeof(a->raw) / 8; i++)
				q[i] = rnd64(w);
		}
		break;
	}
}

static void op_sev_cmd(struct worker *w)
{
	struct fvm *vm = pick_vm(w);
	struct kvm_sev_cmd c = {};
	union sev_args a;
	int fd, r;

	if (!vm)
		return;
	c.id = chance(w, 95) ? rnd(w, KVM_SEV_NR_MAX) :
			       KVM_SEV_NR_MAX + rnd(w, 4) * 0x1000;
	gen_sev_args(w, vm, c.id, &a);
	c.sev_fd = gen_sev_fd(w);
	c.error = rnd64(w);
	switch (rnd(w, 20)) {
	case 0:
		c.data = 0;
		break;
	case 1:
		c.data = (uintptr_t)w->guard;
		break;
	case 2:
		c.data = KERNEL_PTR;
		break;
	default:
		c.data = (uintptr_t)&a;
		break;
	}
	fd = chance(w, 97) ? vm->fd : (chance(w, 50) ? w->kvm : w->sev_rw);
	if (chance(w, 98))
		r = xsev(fd, &c);
	else
		r = xioctl(fd, KVM_MEMORY_ENCRYPT_OP, w->guard);

	/* keep a session from a successful SEND_START for RECEIVE_START */
	if (!r && c.id == KVM_SEV_SEND_START && c.data == (uintptr_t)&a &&
	    a.ss.session_uaddr == (uintptr_t)w->arena &&
	    a.ss.session_len == SESSION_LEN && a.ss.policy == 0) {
		memcpy(w->session, w->arena, SESSION_LEN);
		w->have_session = true;
	}
}

/* ---- /dev/sev ---- */

union dev_args {
	struct sev_user_data_status status;
	struct sev_user_data_pek_csr csr;
	struct sev_user_data_pek_cert_import imp;
	struct sev_user_data_pdh_cert_export ex;
	struct sev_user_data_get_id2 id2;
	uint8_t raw[128];
};

static void op_dev_cmd(struct worker *w)
{
	struct sev_issue_cmd arg = {};
	union dev_args a;
	uint32_t cmd;
	int fd;

	memset(&a, 0, sizeof(a));
	/* key (re)generation and reset are slow and change the PDH: rarer */
	do {
		cmd = chance(w, 97) ? rnd(w, SEV_MAX) : SEV_MAX + rnd(w, 8);
	} while ((cmd == SEV_FACTORY_RESET || cmd == SEV_PEK_GEN ||
		  cmd == SEV_PDH_GEN) && !chance(w, 10));

	/* packed structs: fields are assigned, never passed by address */
	switch (cmd) {
	case SEV_PEK_CSR:
		a.csr.address = gen_ptr(w, NULL);
		a.csr.length = gen_len(w);
		break;
	case SEV_PEK_CERT_IMPORT:
		a.imp.pek_cert_address = gen_ptr(w, NULL);
		a.imp.pek_cert_len = gen_len(w);
		a.imp.oca_cert_address = gen_ptr(w, NULL);
		a.imp.oca_cert_len = gen_len(w);
		if (chance(w, 50)) {
			a.imp.pek_cert_address = (uintptr_t)w->chain;
			a.imp.pek_cert_len = SEV_CERT_LEN;
		}
		break;
	case SEV_PDH_CERT_EXPORT:
		a.ex.pdh_cert_address = gen_ptr(w, NULL);
		a.ex.pdh_cert_len = gen_len(w);
		a.ex.cert_chain_address = gen_ptr(w, NULL);
		a.ex.cert_chain_len = gen_len(w);
		break;
	case SEV_GET_ID2:
		a.id2.address = gen_ptr(w, NULL);
		a.id2.length = gen_len(w);
		break;
	default:
		break;
	}
	arg.cmd = cmd;
	arg.error = rnd64(w);
	arg.data = chance(w, 90) ? (uintptr_t)&a : gen_ptr(w, NULL);
	fd = chance(w, 80) ? w->sev_rw : (chance(w, 80) ? w->sev_ro : w->kvm);
	if (chance(w, 2))
		xioctl(fd, _IOWR('S', rnd(w, 4), struct sev_issue_cmd), &arg);
	else if (!xioctl(fd, SEV_ISSUE_CMD, chance(w, 98) ? (void *)&arg :
							    (void *)w->guard) &&
		 cmd < SEV_MAX)
		__atomic_add_fetch(&st->dev_ok[cmd], 1, __ATOMIC_RELAXED);
}

/* ---- VMs, regions, vCPUs, capabilities ---- */

static void vm_free(struct fvm *vm)
{
	int i;

	for (i = 0; i < MAX_VCPUS; i++) {
		if (vm->vcpu[i] >= 0)
			close(vm->vcpu[i]);
		vm->vcpu[i] = -1;
	}
	if (vm->fd >= 0)
		close(vm->fd);
	if (vm->mem)
		munmap(vm->mem, GUEST_MEM_SIZE);
	vm->fd = -1;
	vm->mem = NULL;
}

static void op_vm_create(struct worker *w)
{
	struct kvm_userspace_memory_region r = {
		.memory_size = GUEST_MEM_SIZE,
	};
	struct fvm *vm = &w->vm[rnd(w, MAX_VMS)];
	struct kvm_sev_cmd c = {};

	if (vm->fd >= 0)
		return;
	vm->fd = count_call(ioctl(w->kvm, KVM_CREATE_VM, 0));
	if (vm->fd < 0) {
		vm->fd = -1;
		return;
	}
	__atomic_add_fetch(&st->vms, 1, __ATOMIC_RELAXED);
	vm->mem = mmap(NULL, GUEST_MEM_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (vm->mem == MAP_FAILED) {
		vm->mem = NULL;
		return;
	}
	memset(vm->mem, (int)rnd(w, 256), GUEST_MEM_SIZE);
	r.userspace_addr = (uintptr_t)vm->mem;
	xioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &r);
	/* mostly an SEV VM right away; ES_INIT sometimes */
	if (chance(w, 80)) {
		c.id = chance(w, 85) ? KVM_SEV_INIT : KVM_SEV_ES_INIT;
		c.sev_fd = -1;
		xsev(vm->fd, &c);
	}
	if (chance(w, 60)) {
		struct kvm_enc_region reg = { (uintptr_t)vm->mem,
					      GUEST_MEM_SIZE };

		xioctl(vm->fd, KVM_MEMORY_ENCRYPT_REG_REGION, &reg);
	}
}

static void op_vm_destroy(struct worker *w)
{
	struct fvm *vm = pick_vm(w);

	if (vm)
		vm_free(vm);
}

static void op_region(struct worker *w)
{
	struct fvm *vm = pick_vm(w);
	struct kvm_enc_region reg;

	if (!vm)
		return;
	if (vm->mem && chance(w, 60)) {
		uint64_t first = rnd(w, GUEST_MEM_SIZE / PAGE_SZ);

		reg.addr = (uintptr_t)vm->mem + first * PAGE_SZ;
		reg.size = chance(w, 50) ? GUEST_MEM_SIZE - first * PAGE_SZ :
					   (1 + rnd(w, 4)) * PAGE_SZ;
		if (chance(w, 50))
			reg.addr = (uintptr_t)vm->mem, reg.size = GUEST_MEM_SIZE;
	} else {
		reg.addr = gen_ptr(w, vm);
		reg.size = chance(w, 50) ? gen_len(w) : rnd64(w);
	}
	xioctl(vm->fd, chance(w, 55) ? KVM_MEMORY_ENCRYPT_REG_REGION :
				       KVM_MEMORY_ENCRYPT_UNREG_REGION,
	       chance(w, 98) ? (void *)&reg : (void *)w->guard);
}

static void op_vcpu(struct worker *w)
{
	struct fvm *vm = pick_vm(w);
	unsigned int i = rnd(w, MAX_VCPUS);
	int fd;

	if (!vm || vm->vcpu[i] >= 0)
		return;
	fd = count_call(ioctl(vm->fd, KVM_CREATE_VCPU, (unsigned long)i));
	vm->vcpu[i] = fd >= 0 ? fd : -1;
}

static void op_cap(struct worker *w)
{
	struct fvm *dst = pick_vm(w), *src = pick_vm(w);
	struct kvm_enable_cap cap = {};

	if (!dst)
		return;
	cap.cap = chance(w, 50) ? KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM :
				  KVM_CAP_VM_COPY_ENC_CONTEXT_FROM;
	cap.args[0] = src && chance(w, 85) ? (uint64_t)src->fd :
		      chance(w, 50) ? (uint64_t)w->sev_rw : rnd64(w);
	xioctl(dst->fd, KVM_ENABLE_CAP, &cap);
}

/* Guest memory unmapped under a registered region (MMU notifier path) */
static void op_unmap(struct worker *w)
{
	struct fvm *vm = pick_vm(w);

	if (vm && vm->mem && chance(w, 30)) {
		munmap(vm->mem, GUEST_MEM_SIZE);
		vm->mem = NULL;
	}
}

static void op_reopen(struct worker *w)
{
	int *fd = chance(w, 70) ? &w->sev_rw : &w->sev_ro;

	close(*fd);
	*fd = open(SEV_DEV_PATH, fd == &w->sev_rw ? O_RDWR : O_RDONLY);
}

/* Firmware faults the stack must clean up after (never hang) */
static void op_fault(struct worker *w)
{
	static const uint16_t cmds[] = {
		0x001, 0x004, 0x006, 0x008, 0x00a, 0x00c, 0x021, 0x023,
		0x030, 0x031, 0x033, 0x035, 0x036, 0x040, 0x041, 0x043,
		0x050, 0x051, 0x053, 0x060, 0x061,
	};
	/* corrupting these only garbles output the caller asked for */
	static const uint16_t outs[] = { 0x004, 0x006, 0x008, 0x00c, 0x033,
					 0x036 };
	char line[64];

	switch (rnd(w, 3)) {
	case 0:
		snprintf(line, sizeof(line), "fail %u %#x %#x", 1 + rnd(w, 5),
			 1 + rnd(w, SEV_RET_MAX - 1), cmds[rnd(w, ARRAY_SIZE(cmds))]);
		break;
	case 1:
		snprintf(line, sizeof(line), "delay %u %u %#x", 1 + rnd(w, 5),
			 1 + rnd(w, 50), cmds[rnd(w, ARRAY_SIZE(cmds))]);
		break;
	default:
		snprintf(line, sizeof(line), "corrupt %u %#x", 1 + rnd(w, 5),
			 outs[rnd(w, ARRAY_SIZE(outs))]);
		break;
	}
	if (!file_write(FAULT_FILE, line))
		__atomic_add_fetch(&st->faults, 1, __ATOMIC_RELAXED);
}

static void worker_ops(struct worker *w, unsigned long n, long deadline);

/* A child sharing the fds runs a few ops; often killed in the middle */
static void op_fork(struct worker *w)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return;
	__atomic_add_fetch(&st->forks, 1, __ATOMIC_RELAXED);
	if (!pid) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		w->rng ^= 0x9e3779b97f4a7c15ULL;
		worker_ops(w, 1 + rnd(w, 20), now_ms() + 5000);
		_exit(0);
	}
	if (chance(w, 60)) {
		usleep(rnd(w, 20000));
		kill(pid, SIGKILL);
		__atomic_add_fetch(&st->kills, 1, __ATOMIC_RELAXED);
	}
	waitpid(pid, NULL, 0);
}

/*
 * SEND_START to this platform's PDH (policy 0) and one page, keeping the
 * session for a RECEIVE_START of the random ops; sometimes finished
 */
static void op_send(struct worker *w, struct fvm *vm)
{
	struct kvm_sev_send_start ss = {};
	struct kvm_sev_send_update_data su = {};
	struct kvm_sev_cmd c = { .sev_fd = w->sev_rw };
	struct sev_user_data_pdh_cert_export ex = {
		.pdh_cert_address = (uintptr_t)w->pdh,
		.pdh_cert_len = SEV_CERT_LEN,
		.cert_chain_address = (uintptr_t)w->chain,
		.cert_chain_len = SEV_CHAIN_LEN,
	};

	/* the PDH may have been regenerated since */
	count_call(__sev_ioctl(w->sev_rw, SEV_PDH_CERT_EXPORT, &ex, NULL));
	ss.pdh_cert_uaddr = (uintptr_t)w->pdh;
	ss.pdh_cert_len = SEV_CERT_LEN;
	ss.plat_certs_uaddr = (uintptr_t)w->chain;
	ss.plat_certs_len = SEV_CHAIN_LEN;
	ss.amd_certs_uaddr = (uintptr_t)w->amd;
	ss.amd_certs_len = w->amd_len;
	ss.session_uaddr = (uintptr_t)w->session;
	ss.session_len = SESSION_LEN;
	c.id = KVM_SEV_SEND_START;
	c.data = (uintptr_t)&ss;
	if (xsev(vm->fd, &c))
		return;
	w->have_session = true;
	su.hdr_uaddr = (uintptr_t)w->arena;
	su.hdr_len = HDR_LEN;
	su.guest_uaddr = (uintptr_t)vm->mem;
	su.guest_len = PAGE_SZ;
	su.trans_uaddr = (uintptr_t)w->arena + PAGE_SZ;
	su.trans_len = PAGE_SZ;
	c.id = KVM_SEV_SEND_UPDATE_DATA;
	c.data = (uintptr_t)&su;
	xsev(vm->fd, &c);
	c.id = chance(w, 50) ? KVM_SEV_SEND_FINISH : KVM_SEV_SEND_CANCEL;
	c.data = 0;
	if (chance(w, 70))
		xsev(vm->fd, &c);
}

/* A whole valid launch, so that later random ops meet deep states */
static void op_launch(struct worker *w)
{
	struct fvm *vm = pick_vm(w);
	struct kvm_sev_launch_start ls = {};
	struct kvm_sev_launch_update_data lu = {};
	struct kvm_sev_launch_measure lm = {};
	struct kvm_sev_cmd c = {};

	if (!vm || !vm->mem)
		return;
	c.sev_fd = w->sev_rw;
	c.id = KVM_SEV_INIT;
	xsev(vm->fd, &c);	/* fails if it is one already */
	c.id = KVM_SEV_LAUNCH_START;
	c.data = (uintptr_t)&ls;
	if (xsev(vm->fd, &c))
		return;
	lu.uaddr = (uintptr_t)vm->mem;
	lu.len = PAGE_SZ * (1 + rnd(w, 4));
	c.id = KVM_SEV_LAUNCH_UPDATE_DATA;
	c.data = (uintptr_t)&lu;
	xsev(vm->fd, &c);
	if (chance(w, 20))
		return;
	lm.uaddr = (uintptr_t)w->arena;
	lm.len = 48;
	c.id = KVM_SEV_LAUNCH_MEASURE;
	c.data = (uintptr_t)&lm;
	xsev(vm->fd, &c);
	if (chance(w, 20))
		return;
	c.id = KVM_SEV_LAUNCH_FINISH;
	c.data = 0;
	if (xsev(vm->fd, &c) || chance(w, 50))
		return;
	op_send(w, vm);
}

static void worker_ops(struct worker *w, unsigned long n, long deadline)
{
	unsigned long i;

	for (i = 0; i < n && now_ms() < deadline; i++) {
		unsigned int r = rnd(w, 100);

		__atomic_add_fetch(&st->ops, 1, __ATOMIC_RELAXED);
		if (r < 40)
			op_sev_cmd(w);
		else if (r < 52)
			op_dev_cmd(w);
		else if (r < 62)
			op_vm_create(w);
		else if (r < 67)
			op_vm_destroy(w);
		else if (r < 75)
			op_region(w);
		else if (r < 79)
			op_vcpu(w);
		else if (r < 84)
			op_cap(w);
		else if (r < 86)
			op_unmap(w);
		else if (r < 88)
			op_reopen(w);
		else if (r < 91)
			op_fork(w);
		else if (r < 98)
			op_launch(w);
		else if (w->faults)
			op_fault(w);
	}
}

/* ---- invariants ---- */

/* KVM's handle and ASID of every live SEV VM match the firmware's table */
static void check_consistency(struct worker *w)
{
	char path[256], buf[65536], *line;
	unsigned int fh, fa;
	int i;

	for (i = 0; i < MAX_VMS; i++) {
		struct fvm *vm = &w->vm[i];
		long handle, asid;
		bool found = false;

		if (vm->fd < 0)
			continue;
		snprintf(path, sizeof(path), DEBUGFS "/kvm/%d-%d/sev/info",
			 getpid(), vm->fd);
		if (!debugfs_read(path, buf, sizeof(buf)) ||
		    strncmp(buf, "handle:", 7))
			continue;	/* not an SEV VM */
		handle = strtol(buf + 7, NULL, 0);
		line = strstr(buf, "\nasid:");
		asid = line ? strtol(line + 6, NULL, 0) : -1;
		if (!handle)
			continue;
		TEST_ASSERT(debugfs_read(EMU_DIR "/guests", buf, sizeof(buf)),
			    "read sev-emu/guests");
		for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
			if (sscanf(line, "%u %u", &fh, &fa) == 2 &&
			    fh == handle) {
				found = true;
				break;
			}
		if (!found || fa != asid) {
			printf("# pid %d VM %d: KVM handle %ld ASID %ld, firmware %s ASID %u\n",
			       getpid(), vm->fd, handle, asid,
			       found ? "has it with" : "lacks it;", fa);
			__atomic_add_fetch(&st->inconsistent, 1,
					   __ATOMIC_RELAXED);
		}
	}
}

static void worker_setup(struct worker *w, uint64_t seed, unsigned int idx)
{
	int fd, i;
	ssize_t n;

	memset(w, 0, sizeof(*w));
	w->rng = (seed ^ (0x9e3779b97f4a7c15ULL * (idx + 1))) | 1;
	w->kvm = kvm_open();
	w->sev_rw = sev_open(O_RDWR);
	w->sev_ro = sev_open(O_RDONLY);
	for (i = 0; i < MAX_VMS; i++)
		w->vm[i].fd = -1;
	for (i = 0; i < MAX_VMS * MAX_VCPUS; i++)
		w->vm[i / MAX_VCPUS].vcpu[i % MAX_VCPUS] = -1;
	w->arena = mmap(NULL, ARENA_SZ + PAGE_SZ, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(w->arena != MAP_FAILED, "mmap");
	w->guard = w->arena + ARENA_SZ;
	TEST_ASSERT(!mprotect(w->guard, PAGE_SZ, PROT_NONE), "mprotect");

	/* real certificates, so SEND_START and RECEIVE_START can succeed */
	{
		struct sev_user_data_pdh_cert_export ex = {
			.pdh_cert_address = (uintptr_t)w->pdh,
			.pdh_cert_len = SEV_CERT_LEN,
			.cert_chain_address = (uintptr_t)w->chain,
			.cert_chain_len = SEV_CHAIN_LEN,
		};

		__sev_ioctl(w->sev_rw, SEV_PDH_CERT_EXPORT, &ex, NULL);
	}
	fd = open(EMU_DIR "/ask_ark.cert", O_RDONLY);
	n = fd >= 0 ? read(fd, w->amd, sizeof(w->amd)) : -1;
	w->amd_len = n > 0 ? n : 0;
	if (fd >= 0)
		close(fd);
}

static void worker_main(uint64_t seed, unsigned int idx, bool faults,
			unsigned long ops, long deadline)
{
	struct worker w;
	int i;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	worker_setup(&w, seed, idx);
	w.faults = faults;
	worker_ops(&w, ops, deadline);
	check_consistency(&w);
	for (i = 0; i < MAX_VMS; i++)
		vm_free(&w.vm[i]);
	__atomic_add_fetch(&st->workers_done, 1, __ATOMIC_RELAXED);
	exit(0);
}

/* Which commands got through at least once: how deep the run went */
static void print_coverage(void)
{
	char line[512];
	size_t n = 0;
	unsigned int i;

	for (i = 0; i < KVM_SEV_NR_MAX; i++)
		n += snprintf(line + n, sizeof(line) - n, " %u:%llu", i,
			      st->kvm_ok[i]);
	tap_diag("KVM_SEV_* id:successes%s", line);
	n = 0;
	for (i = 0; i < SEV_MAX; i++)
		n += snprintf(line + n, sizeof(line) - n, " %u:%llu", i,
			      st->dev_ok[i]);
	tap_diag("/dev/sev cmd:successes%s", line);
}

static void print_usage(const char *prog)
{
	fprintf(stderr, "%s [--seed S] [--ops N] [--procs P] [--time T] [--faults]\n",
		prog);
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "ops", required_argument, NULL, 'n' },
		{ "procs", required_argument, NULL, 'p' },
		{ "time", required_argument, NULL, 't' },
		{ "faults", no_argument, NULL, 'f' },
		{}
	};
	unsigned long ops = 2000, procs = 4, secs = 60, i, exited = 0;
	uint64_t seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	struct fault_counts fc0 = {}, fc1 = {};
	struct leak_snap before;
	bool faults = false;
	long deadline, leaked;
	int opt, status;
	pid_t pid;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'n':
			ops = strtoul(optarg, NULL, 0);
			break;
		case 'p':
			procs = strtoul(optarg, NULL, 0);
			break;
		case 't':
			secs = strtoul(optarg, NULL, 0);
			break;
		case 'f':
			faults = true;
			break;
		default:
			print_usage(argv[0]);
		}
	}
	if (!procs || procs > 64)
		print_usage(argv[0]);

	st = mmap(NULL, sizeof(*st), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (st == MAP_FAILED)
		tap_bail_out("mmap: %s", strerror(errno));
	memset(st, 0, sizeof(*st));

	tap_plan(4);
	tap_diag("seed %#llx ops %lu procs %lu time %lus%s",
		 (unsigned long long)seed, ops, procs, secs,
		 faults ? " faults" : "");
	if (faults && file_write(FAULT_FILE, "clear"))
		tap_bail_out("%s not writable", FAULT_FILE);
	if (psp_dead())
		tap_bail_out("the PSP is latched dead before the run");
	if (faults)
		fault_counts(&fc0);
	leak_snap(&before);

	deadline = now_ms() + secs * 1000;
	fflush(stdout);
	for (i = 0; i < procs; i++) {
		pid = fork();
		if (pid < 0)
			tap_bail_out("fork: %s", strerror(errno));
		if (!pid)
			worker_main(seed, i, faults, (ops + procs - 1) / procs,
				    deadline);
	}
	/* workers stop at the deadline; a stuck one is killed later */
	while (exited < procs) {
		pid = waitpid(-1, &status, WNOHANG);
		if (pid > 0) {
			exited++;
			if (!WIFEXITED(status) || WEXITSTATUS(status))
				tap_diag("worker %d: %s %d", pid,
					 WIFEXITED(status) ? "exit" : "signal",
					 WIFEXITED(status) ? WEXITSTATUS(status) :
							     WTERMSIG(status));
			continue;
		}
		if (now_ms() > deadline + 60000) {
			tap_diag("workers stuck 60 s past the deadline");
			kill(0, SIGKILL);
		}
		usleep(20000);
	}
	if (faults) {
		file_write(FAULT_FILE, "clear");
		fault_counts(&fc1);
	}

	tap_diag("calls %llu (succeeded %llu) ops %llu VMs %llu forks %llu kills %llu",
		 st->calls, st->ok, st->ops, st->vms, st->forks, st->kills);
	tap_diag("fault rules armed %llu, faults injected %llu", st->faults,
		 fault_total(&fc1) - fault_total(&fc0));
	print_coverage();
	tap_result(st->workers_done == procs, "workers: %llu of %lu finished",
		   st->workers_done, procs);
	tap_result(!st->inconsistent,
		   "KVM and firmware agree on live guests (%llu mismatches)",
		   st->inconsistent);
	/* faults here never hang: the PSP must have stayed alive */
	tap_result(!psp_dead() && st->ok, "PSP alive, %llu calls succeeded",
		   st->ok);
	leaked = leak_check(&before, "fuzz");
	tap_result(!leaked, "nothing leaked after every process exited");
	return tap_finish();
}
