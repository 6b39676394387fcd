// SPDX-License-Identifier: GPL-2.0-only
/*
 * Concurrency stress: client processes launch SEV guests, migrate them
 * (SEND_* to RECEIVE_* through the one firmware, and
 * KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM), mirror them
 * (KVM_CAP_VM_COPY_ENC_CONTEXT_FROM) and destroy them, while a platform
 * process shuts the firmware down and re-initialises it through /dev/sev
 * (SEV_FACTORY_RESET, which the driver refuses with -EBUSY while guests
 * exist, then PDH_GEN or PEK_CSR, which initialise it again) and the
 * parent SIGKILLs random clients and starts new ones.
 *
 *   sev_stress [--seed S] [--procs P] [--time T] [--chaos]
 *
 * With --chaos, or whenever KVM has SEV-ES ASIDs (kvm_amd_sev/platform
 * "es_asids: 1 - N"), clients also launch SEV-ES guests (ES_INIT,
 * LAUNCH_START with policy 0x5 or 0x4, 1 - 3 vCPUs, LAUNCH_UPDATE_VMSA),
 * move them (after a move with the wrong vCPU count, which must be refused
 * with -EINVAL and leave the source alive) and mirror them (the mirror
 * adds vCPUs of its own and launches their VMSAs before the owner's
 * LAUNCH_FINISH); SEND/RECEIVE stays SEV-only (KVM has no
 * SEND/RECEIVE_UPDATE_VMSA). ES_INIT is -ENOTTY and nothing else without
 * ES ASIDs, never -ENOTTY with them, and -EBUSY once they run out.
 *
 * --chaos adds a reloader process: it reloads sev-emu.ko (a new firmware
 * instance) under the clients' live guests, their mirrors and moved
 * contexts every 1-4 s, and now and then lets the PSP die (a hung command
 * under a 1 s psp_cmd_timeout) and reloads it; clients keep some guests
 * across reloads.
 *
 * Calls may fail while the platform is down; what must hold: every error
 * is one the ABI allows (-EIO with a firmware status, -EBUSY, -EINVAL,
 * -ENOTTY, ...; never -EFAULT or an unknown errno), each client's view of
 * its guests matches the firmware's guest table, a guest launched before
 * a reload (and its mirror, and a context moved from it) never has
 * GUEST_STATUS succeed again (-ENODEV, -EBADF, -EBUSY or -EINTR), a live
 * guest's GUEST_STATUS gives its own handle, policy and state, the
 * firmware's guest table has each live guest with KVM's ASID (from the ES
 * range exactly for ES guests) and ES flag, and once every process exited
 * no firmware guest, ASID, pinned page or firmware VMSA record is left.
 */

#include <getopt.h>
#include <sys/prctl.h>
#include "fault_util.h"

#define SESSION_LEN	0x80
#define HDR_LEN		0x34
#define MAX_CLIENTS	32
#define ES_MAX_VCPUS	4	/* an ES guest's 1 - 3, a mirror's 1 - 2 */

/* LAUNCH_START policies of ES guests: NODBG | ES, and ES */
#define ES_POLICY	0x5
#define ES_POLICY_DBG	0x4

/* SEV guest states (GUEST_STATUS) */
#define GS_RUNNING	3
#define GS_SENT		6

struct stats {
	unsigned long long calls;
	unsigned long long launched;
	unsigned long long sent;
	unsigned long long received;
	unsigned long long moved;
	unsigned long long mirrored;
	unsigned long long destroyed;
	unsigned long long resets;
	unsigned long long reset_busy;
	unsigned long long reinits;
	unsigned long long kills;
	unsigned long long clients;
	unsigned long long unexpected;
	unsigned long long inconsistent;
	/* firmware instances: reloads begun and done (the reloader's) */
	unsigned int gen_started;
	unsigned int gen_done;
	unsigned int chaos;
	unsigned long long reloads;
	unsigned long long deaths;
	unsigned long long kept;
	unsigned long long stale_checks;
	unsigned long long stale_bad;
	unsigned long long live_checks;
	unsigned long long live_bad;
	/* SEV-ES */
	unsigned long long es_tries;
	unsigned long long es_launched;
	unsigned long long es_busy;
	unsigned long long es_enotty;
	unsigned long long es_vmsas;
	unsigned long long es_moved;
	unsigned long long es_move_refused;
	unsigned long long es_mirrored;
	unsigned long long es_mirror_vmsas;
};

/* A guest as its client knows it: which firmware instance, what state */
struct cvm {
	struct vm *vm;
	int vcpu[ES_MAX_VCPUS];	/* ES: the VM's vCPUs */
	int nr_vcpus;
	unsigned int lo, hi;	/* the firmware instance of its START */
	uint32_t handle;
	uint32_t policy;
	int state;		/* expected GUEST_STATUS state, -1 unknown */
	bool mirror;
	bool es;
};

static struct stats *st;
static uint64_t rng;
/* clients launch ES guests; KVM's ES ASIDs are 1 .. es_max (0: none) */
static bool es_mode;
static unsigned int es_max;

static uint32_t rnd(uint32_t n)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return n ? (rng * 0x2545f4914f6cdd1dULL) % n : 0;
}

static void inc(unsigned long long *counter)
{
	__atomic_add_fetch(counter, 1, __ATOMIC_RELAXED);
}

/* errnos the SEV ioctls may return while the platform comes and goes */
static int check_err(int r, const char *what)
{
	inc(&st->calls);
	if (r >= 0)
		return r;
	switch (-r) {
	case EIO: case EBUSY: case EINVAL: case ENOTTY: case EPERM:
	case ENOMEM: case EINTR: case EBADF: case ENODEV:
		return r;
	case ETIMEDOUT:
		/* the reloader's hung commands */
		if (st->chaos)
			return r;
		break;
	default:
		break;
	}
	printf("# pid %d: %s: unexpected %s\n", getpid(), what, strerror(-r));
	fflush(stdout);
	inc(&st->unexpected);
	return r;
}

static int sev_op(struct vm *vm, uint32_t id, void *data, int sev)
{
	struct kvm_sev_cmd c;

	return check_err(__sev_vm_ioctl(vm->fd, id, data, sev, 0, &c),
			 kvm_sev_name(id));
}

/* A result the ABI allows in general but not for this SEV-ES call */
static void es_unexpected(const char *what, int r, const char *rule)
{
	printf("# pid %d: %s: unexpected %s (%s)\n", getpid(), what,
	       r ? strerror(-r) : "success", rule);
	fflush(stdout);
	inc(&st->unexpected);
}

/*
 * KVM_SEV_ES_INIT: -ENOTTY, and only that, without ES ASIDs; with them
 * never -ENOTTY, and -EBUSY once every ES ASID is taken
 */
static int es_init(struct vm *vm)
{
	struct kvm_sev_cmd c;
	int r = __sev_vm_ioctl(vm->fd, KVM_SEV_ES_INIT, NULL, -1, 0, &c);

	inc(&st->calls);
	inc(&st->es_tries);
	if (!es_max) {
		if (r == -ENOTTY)
			inc(&st->es_enotty);
		else
			es_unexpected("ES_INIT", r, "no ES ASIDs: only ENOTTY");
		return r ? r : -ENOTTY;
	}
	if (r == -ENOTTY)
		es_unexpected("ES_INIT", r, "with ES ASIDs");
	else if (r == -EBUSY)
		inc(&st->es_busy);
	else
		check_err(r, "ES_INIT");
	return r;
}

/*
 * Per VM fd: its debugfs directory is another VM's. KVM names it
 * <pid>-<fd>; while an older VM with the same fd number lives on (a mirror
 * holds it), the new VM gets no directory and the path shows the old one's
 */
#define MAX_VM_FD	4096
static bool dir_foreign[MAX_VM_FD];

/* What vm_new() makes of a VM: nothing, SEV_INIT or ES_INIT */
enum { VM_PLAIN, VM_SEV, VM_ES };

/* A new VM; *@ret (if given) is SEV_INIT's or ES_INIT's result */
static struct vm *vm_new(int kind, bool with_mem, int *ret)
{
	struct vm *vm = vm_create();
	struct kvm_enc_region reg;
	char path[256];
	int r = 0;

	/* before SEV_INIT a "sev" directory can only be an older VM's */
	vm_debugfs_path(vm, "info", path, sizeof(path));
	if (vm->fd >= 0 && vm->fd < MAX_VM_FD)
		dir_foreign[vm->fd] = !access(path, F_OK);

	if (with_mem) {
		vm_add_memory(vm);
		memset(vm->mem, 0x3c, GUEST_MEM_SIZE);
	}
	if (kind == VM_SEV)
		r = sev_op(vm, KVM_SEV_INIT, NULL, -1);
	else if (kind == VM_ES)
		r = es_init(vm);
	if (ret)
		*ret = r;
	if (r)
		return vm;
	if (with_mem && kind != VM_PLAIN) {
		reg.addr = (uintptr_t)vm->mem;
		reg.size = GUEST_MEM_SIZE;
		check_err(__kvm_ioctl(vm->fd, KVM_MEMORY_ENCRYPT_REG_REGION,
				      &reg), "REG_REGION");
	}
	return vm;
}

/* @n vCPUs for @c's VM (after its own); false if KVM refused one */
static bool add_vcpus(struct cvm *c, int n)
{
	int fd;

	while (n--) {
		if (c->nr_vcpus == ES_MAX_VCPUS)
			return false;
		fd = check_err(__kvm_ioctl(c->vm->fd, KVM_CREATE_VCPU,
					   (void *)(long)c->nr_vcpus),
			       "KVM_CREATE_VCPU");
		if (fd < 0)
			return false;
		c->vcpu[c->nr_vcpus++] = fd;
	}
	return true;
}

/* Close @c's vCPUs and VM: KVM destroys it once nothing else holds it */
static void cvm_close(struct cvm *c)
{
	int i;

	for (i = 0; i < c->nr_vcpus; i++)
		close(c->vcpu[i]);
	c->nr_vcpus = 0;
	vm_destroy(c->vm);
	c->vm = NULL;
}

static unsigned int gen(unsigned int *g)
{
	return __atomic_load_n(g, __ATOMIC_ACQUIRE);
}

/* A launched guest in the RUNNING state; false if it could not be */
static bool launch(int sev, struct cvm *c)
{
	struct kvm_sev_launch_update_data lu = { .len = 2 * PAGE_SZ };
	struct kvm_sev_launch_start ls = {};
	struct kvm_sev_launch_measure lm = {};
	uint8_t mbuf[48];
	struct vm *vm = vm_new(VM_SEV, true, NULL);
	unsigned int d0 = gen(&st->gen_done);

	lu.uaddr = (uintptr_t)vm->mem;
	lm.uaddr = (uintptr_t)mbuf;
	lm.len = sizeof(mbuf);
	if (sev_op(vm, KVM_SEV_LAUNCH_START, &ls, sev)) {
		vm_destroy(vm);
		return false;
	}
	/* any instance loaded during the call (see sev_fuzz.c) */
	*c = (struct cvm){ .vm = vm, .lo = d0, .hi = gen(&st->gen_started),
			   .handle = ls.handle, .state = -1 };
	if (sev_op(vm, KVM_SEV_LAUNCH_UPDATE_DATA, &lu, sev) ||
	    sev_op(vm, KVM_SEV_LAUNCH_MEASURE, &lm, sev) ||
	    sev_op(vm, KVM_SEV_LAUNCH_FINISH, NULL, sev)) {
		vm_destroy(vm);
		return false;
	}
	c->state = GS_RUNNING;
	inc(&st->launched);
	return true;
}

/*
 * LAUNCH_UPDATE_VMSA of @c's VM (an ES guest or a mirror of one). Its
 * vCPUs are fresh (no guest debugging, DR7 at reset) and not yet
 * protected: -EINVAL or -ENOTTY would be KVM's mistake.
 */
static int es_update_vmsa(struct cvm *c, int sev)
{
	struct kvm_sev_cmd cmd;
	int r = __sev_vm_ioctl(c->vm->fd, KVM_SEV_LAUNCH_UPDATE_VMSA, NULL,
			       sev, 0, &cmd);

	if (r == -EINVAL || r == -ENOTTY) {
		inc(&st->calls);
		es_unexpected("LAUNCH_UPDATE_VMSA", r, "fresh ES vCPUs");
		return r;
	}
	return check_err(r, "LAUNCH_UPDATE_VMSA");
}

/* LAUNCH_MEASURE and LAUNCH_FINISH: the guest is RUNNING */
static bool launch_finish(struct cvm *c, int sev)
{
	struct kvm_sev_launch_measure lm = {};
	uint8_t mbuf[48];

	lm.uaddr = (uintptr_t)mbuf;
	lm.len = sizeof(mbuf);
	if (sev_op(c->vm, KVM_SEV_LAUNCH_MEASURE, &lm, sev) ||
	    sev_op(c->vm, KVM_SEV_LAUNCH_FINISH, NULL, sev))
		return false;
	c->state = GS_RUNNING;
	return true;
}

/*
 * An SEV-ES guest: ES_INIT, 1 - 3 vCPUs, LAUNCH_START (policy 0x5 or
 * 0x4), LAUNCH_UPDATE_DATA, LAUNCH_UPDATE_VMSA; then, unless @finish is
 * false (a mirror comes first), LAUNCH_MEASURE and LAUNCH_FINISH
 */
static bool launch_es(int sev, struct cvm *c, bool finish)
{
	struct kvm_sev_launch_update_data lu = { .len = 2 * PAGE_SZ };
	struct kvm_sev_launch_start ls = {};
	unsigned int d0 = gen(&st->gen_done);
	int r, nr = 1 + rnd(3);

	*c = (struct cvm){ .state = -1, .es = true };
	c->vm = vm_new(VM_ES, true, &r);
	if (r) {
		cvm_close(c);
		return false;
	}
	if (!add_vcpus(c, nr)) {
		cvm_close(c);
		return false;
	}
	ls.policy = rnd(2) ? ES_POLICY : ES_POLICY_DBG;
	if (sev_op(c->vm, KVM_SEV_LAUNCH_START, &ls, sev)) {
		cvm_close(c);
		return false;
	}
	c->lo = d0;
	c->hi = gen(&st->gen_started);
	c->handle = ls.handle;
	c->policy = ls.policy;
	lu.uaddr = (uintptr_t)c->vm->mem;
	if (sev_op(c->vm, KVM_SEV_LAUNCH_UPDATE_DATA, &lu, sev) ||
	    es_update_vmsa(c, sev)) {
		cvm_close(c);
		return false;
	}
	__atomic_add_fetch(&st->es_vmsas, nr, __ATOMIC_RELAXED);
	if (!finish)
		return true;
	if (!launch_finish(c, sev)) {
		cvm_close(c);
		return false;
	}
	inc(&st->es_launched);
	return true;
}

/*
 * GUEST_STATUS of a guest: after a reload of its firmware it must fail as
 * the ABI says; while its firmware is loaded, it must be the guest's own
 */
static void check_guest(struct cvm *c)
{
	struct kvm_sev_guest_status gs = {};
	unsigned int d0 = gen(&st->gen_done), s0 = gen(&st->gen_started);
	int r = __sev_vm_ioctl(c->vm->fd, KVM_SEV_GUEST_STATUS, &gs, -1, 0,
			       NULL);
	unsigned int s1 = gen(&st->gen_started);

	inc(&st->calls);
	if (d0 > c->hi) {
		inc(&st->stale_checks);
		if (r && (r == -ENODEV || r == -EBADF || r == -EBUSY ||
			  r == -EINTR))
			return;
		printf("# STALE GUEST: pid %d%s of firmware instance %u..%u, now %u:",
		       getpid(), c->mirror ? " mirror" : "", c->lo, c->hi, d0);
		printf(" GUEST_STATUS %d (%s), handle %u state %u\n", r,
		       r ? strerror(-r) : "success", gs.handle, gs.state);
		fflush(stdout);
		inc(&st->stale_bad);
		return;
	}
	if (r || c->lo != c->hi || s0 != c->lo || s1 != c->lo)
		return;
	inc(&st->live_checks);
	if (gs.handle == c->handle && gs.policy == c->policy &&
	    (c->state < 0 || (int)gs.state == c->state))
		return;
	printf("# FOREIGN STATE: pid %d%s%s: GUEST_STATUS handle %u policy %#x state %u,",
	       getpid(), c->es ? " ES" : "", c->mirror ? " mirror" : "",
	       gs.handle, gs.policy, gs.state);
	printf(" its own: handle %u policy %#x state %d\n", c->handle,
	       c->policy, c->state);
	fflush(stdout);
	inc(&st->live_bad);
}

/* KVM's handle/ASID of a live guest against the firmware's guest table */
static void check_vm(struct cvm *c)
{
	char path[256], buf[65536], *line;
	unsigned int fh, fa = 0, fpol = 0, fes = 0;
	unsigned int s0 = gen(&st->gen_started);
	long handle, asid;
	bool found = false, es_asid;

	if (c->lo != c->hi || s0 != c->lo)
		return;
	if (c->vm->fd < 0 || c->vm->fd >= MAX_VM_FD || dir_foreign[c->vm->fd])
		return;
	vm_debugfs_path(c->vm, "info", path, sizeof(path));
	if (!debugfs_read(path, buf, sizeof(buf)) || strncmp(buf, "handle:", 7))
		return;
	handle = strtol(buf + 7, NULL, 0);
	line = strstr(buf, "\nasid:");
	asid = line ? strtol(line + 6, NULL, 0) : -1;
	/*
	 * KVM names the directory <pid>-<fd>: while an older VM with this
	 * fd number lives on (a mirror holds it), the name is that VM's
	 */
	if (handle != c->handle)
		return;
	if (!handle || !debugfs_read(EMU_DIR "/guests", buf, sizeof(buf)) ||
	    gen(&st->gen_started) != s0)
		return;
	/* handle asid asid_state state policy es */
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
		if (sscanf(line, "%u %u %*s %*s %x %u", &fh, &fa, &fpol,
			   &fes) == 4 && fh == handle) {
			found = true;
			break;
		}
	/* an ES guest has an ES ASID and the firmware's ES flag */
	es_asid = asid >= 1 && asid <= es_max;
	if (!found || fa != asid || fpol != c->policy || fes != c->es ||
	    es_asid != c->es) {
		printf("# pid %d: KVM handle %ld ASID %ld policy %#x%s,",
		       getpid(), handle, asid, c->policy, c->es ? " (ES)" : "");
		printf(" firmware %s %u policy %#x es %u",
		       found ? "ASID" : "lacks it", fa, fpol, fes);
		printf(" (%sinstance %u, now %u-%u, state %d)\n",
		       c->mirror ? "mirror, " : "", c->lo,
		       gen(&st->gen_done), gen(&st->gen_started), c->state);
		fflush(stdout);
		inc(&st->inconsistent);
	}
}

static void destroy(struct cvm *c)
{
	check_guest(c);
	check_vm(c);
	cvm_close(c);
	inc(&st->destroyed);
}

/* SEND to this platform's current PDH, RECEIVE into a new VM */
static bool migrate(struct cvm *src, int sev, struct cvm *out)
{
	struct kvm_sev_send_start ss = {};
	struct kvm_sev_receive_start rs = {};
	struct sev_user_data_pdh_cert_export ex = {};
	static uint8_t pdh[SEV_CERT_LEN], chain[SEV_CHAIN_LEN], amd[0x1000];
	uint8_t session[SESSION_LEN], hdr[HDR_LEN];
	static uint8_t trans[PAGE_SZ];
	struct cvm dst = {};
	unsigned int d0;
	ssize_t amd_len;
	int fd, r;

	ex.pdh_cert_address = (uintptr_t)pdh;
	ex.pdh_cert_len = SEV_CERT_LEN;
	ex.cert_chain_address = (uintptr_t)chain;
	ex.cert_chain_len = SEV_CHAIN_LEN;
	if (check_err(__sev_ioctl(sev, SEV_PDH_CERT_EXPORT, &ex, NULL),
		      "PDH_CERT_EXPORT"))
		return false;
	fd = open(EMU_DIR "/ask_ark.cert", O_RDONLY);
	amd_len = fd >= 0 ? read(fd, amd, sizeof(amd)) : -1;
	if (fd >= 0)
		close(fd);
	if (amd_len <= 0)
		return false;

	ss.pdh_cert_uaddr = (uintptr_t)pdh;
	ss.pdh_cert_len = SEV_CERT_LEN;
	ss.plat_certs_uaddr = (uintptr_t)chain;
	ss.plat_certs_len = SEV_CHAIN_LEN;
	ss.amd_certs_uaddr = (uintptr_t)amd;
	ss.amd_certs_len = amd_len;
	ss.session_uaddr = (uintptr_t)session;
	ss.session_len = sizeof(session);
	if (sev_op(src->vm, KVM_SEV_SEND_START, &ss, sev))
		return false;
	src->state = -1;

	dst.vm = vm_new(VM_SEV, true, NULL);
	rs.pdh_uaddr = (uintptr_t)pdh;
	rs.pdh_len = SEV_CERT_LEN;
	rs.session_uaddr = (uintptr_t)session;
	rs.session_len = sizeof(session);
	d0 = gen(&st->gen_done);
	r = sev_op(dst.vm, KVM_SEV_RECEIVE_START, &rs, sev);
	dst.lo = d0;
	dst.hi = gen(&st->gen_started);
	dst.handle = rs.handle;
	dst.state = -1;

	/* one page over, then finish (or cancel) the send */
	if (!r) {
		struct kvm_sev_send_update_data su = {
			.hdr_uaddr = (uintptr_t)hdr, .hdr_len = HDR_LEN,
			.guest_uaddr = (uintptr_t)src->vm->mem,
			.guest_len = PAGE_SZ,
			.trans_uaddr = (uintptr_t)trans, .trans_len = PAGE_SZ,
		};
		struct kvm_sev_receive_update_data ru = {
			.hdr_uaddr = (uintptr_t)hdr, .hdr_len = HDR_LEN,
			.guest_uaddr = (uintptr_t)dst.vm->mem,
			.guest_len = PAGE_SZ,
			.trans_uaddr = (uintptr_t)trans, .trans_len = PAGE_SZ,
		};

		r = sev_op(src->vm, KVM_SEV_SEND_UPDATE_DATA, &su, sev);
		if (!r)
			r = sev_op(dst.vm, KVM_SEV_RECEIVE_UPDATE_DATA, &ru, sev);
	}
	if (r) {
		if (!sev_op(src->vm, KVM_SEV_SEND_CANCEL, NULL, sev))
			src->state = GS_RUNNING;
		dst.mirror = false;
		if (dst.handle)
			destroy(&dst);
		else
			cvm_close(&dst);
		return false;
	}
	inc(&st->sent);
	if (!sev_op(src->vm, KVM_SEV_SEND_FINISH, NULL, sev))
		src->state = GS_SENT;
	if (sev_op(dst.vm, KVM_SEV_RECEIVE_FINISH, NULL, sev)) {
		destroy(&dst);
		return false;
	}
	dst.state = GS_RUNNING;
	inc(&st->received);
	*out = dst;
	return true;
}

/* A VM that KVM has not marked dead (every VM ioctl is -EIO then) */
static bool vm_alive(struct vm *vm)
{
	return __kvm_ioctl(vm->fd, KVM_CHECK_EXTENSION,
			   (void *)KVM_CAP_NR_VCPUS) > 0;
}

static int move_from(struct vm *dst, struct cvm *src)
{
	return __vm_enable_cap(dst->fd, KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM,
			       src->vm->fd);
}

/*
 * An ES context moves only into as many vCPUs as it has: a destination
 * with one more or one fewer must get -EINVAL and leave the source alive
 */
static void es_move_mismatch(struct cvm *src)
{
	struct cvm dst = { .vm = vm_new(VM_PLAIN, true, NULL) };
	int n = src->nr_vcpus + (src->nr_vcpus == 1 || rnd(2) ? 1 : -1);
	int r;

	if (add_vcpus(&dst, n)) {
		r = move_from(dst.vm, src);
		inc(&st->calls);
		if (r == -EINVAL)
			inc(&st->es_move_refused);
		else
			es_unexpected("ES MOVE_ENC_CONTEXT_FROM", r,
				      "vCPU counts differ: only EINVAL");
	}
	cvm_close(&dst);
	if (!vm_alive(src->vm))
		es_unexpected("ES MOVE_ENC_CONTEXT_FROM", -EIO,
			      "the source of a refused move died");
	check_guest(src);
}

/* KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM into a fresh VM: the guest goes along */
static bool move(struct cvm *src, struct cvm *out)
{
	struct cvm dst = { .vm = vm_new(VM_PLAIN, true, NULL) };

	/* an ES context needs a vCPU for each of its own */
	if (src->es && !add_vcpus(&dst, src->nr_vcpus)) {
		cvm_close(&dst);
		return false;
	}
	if (check_err(move_from(dst.vm, src), "MOVE_ENC_CONTEXT_FROM")) {
		cvm_close(&dst);
		return false;
	}
	inc(&st->moved);
	if (src->es)
		inc(&st->es_moved);
	*out = *src;
	out->vm = dst.vm;
	out->nr_vcpus = dst.nr_vcpus;
	memcpy(out->vcpu, dst.vcpu, sizeof(out->vcpu));
	/* the source is dead (-EIO): nothing else to check */
	if (vm_alive(src->vm))
		es_unexpected("MOVE_ENC_CONTEXT_FROM", 0,
			      "its source still answers");
	cvm_close(src);
	return true;
}

/*
 * A mirror of @owner: the same guest. The mirror of an ES guest still in
 * LUPDATE adds 1 - 2 vCPUs and launches their VMSAs (measured into the
 * owner's digest); then the owner finishes its launch.
 */
static bool mirror(struct cvm *owner, int sev, struct cvm *out)
{
	struct cvm m = { .vm = vm_new(VM_PLAIN, false, NULL) };
	int r = __vm_enable_cap(m.vm->fd, KVM_CAP_VM_COPY_ENC_CONTEXT_FROM,
				owner->vm->fd);
	int nr = 1 + rnd(2);

	if (check_err(r, "COPY_ENC_CONTEXT_FROM")) {
		cvm_close(&m);
		return false;
	}
	inc(&st->mirrored);
	*out = *owner;
	out->vm = m.vm;
	out->nr_vcpus = 0;
	out->mirror = true;
	if (!owner->es)
		return true;

	inc(&st->es_mirrored);
	if (add_vcpus(out, nr) && !es_update_vmsa(out, -1))
		__atomic_add_fetch(&st->es_mirror_vmsas, nr,
				   __ATOMIC_RELAXED);
	if (owner->state < 0 && launch_finish(owner, sev))
		inc(&st->es_launched);
	out->state = owner->state;
	return true;
}

#define MAX_KEPT	3

/* /dev/sev is gone while sev-emu is reloaded: -1 then */
static int sev_try_open(void)
{
	int i, fd = -1;

	for (i = 0; i < 100 && fd < 0; i++) {
		fd = open(SEV_DEV_PATH, O_RDWR);
		if (fd < 0)
			usleep(20000);
	}
	return fd;
}

static void client(uint64_t seed, long deadline)
{
	unsigned int sev_gen = gen(&st->gen_done);
	int i, sev = sev_try_open();
	struct cvm kept[MAX_KEPT] = {};
	struct cvm vm, next;
	unsigned int act;
	bool es;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	rng = seed | 1;
	while (now_ms() < deadline) {
		bool have_next = false;

		/* a reloaded firmware's /dev/sev files answer -ENODEV */
		if (sev < 0 || gen(&st->gen_done) != sev_gen) {
			if (sev >= 0)
				close(sev);
			sev = open(SEV_DEV_PATH, O_RDWR);
			sev_gen = gen(&st->gen_done);
		}
		/* guests kept from before, maybe from before a reload */
		for (i = 0; i < MAX_KEPT; i++) {
			if (!kept[i].vm)
				continue;
			if (rnd(20))
				check_guest(&kept[i]);
			else
				destroy(&kept[i]);
		}
		/* SEV or SEV-ES (an ES owner finishes after its mirror) */
		act = rnd(4);
		es = es_mode && !rnd(es_max ? 2 : 4);
		if (es ? !launch_es(sev, &vm, act != 2) : !launch(sev, &vm)) {
			usleep(rnd(5000));
			continue;
		}
		switch (act) {
		case 0:
			if (es) {
				es_move_mismatch(&vm);
				have_next = move(&vm, &next);
			} else {
				have_next = migrate(&vm, sev, &next);
			}
			break;
		case 1:
			have_next = move(&vm, &next);
			break;
		case 2:
			have_next = mirror(&vm, sev, &next);
			/* the owner goes first: the mirror keeps it alive */
			destroy(&vm);
			break;
		default:
			break;
		}
		/* some guests outlive the iteration (and maybe a reload) */
		for (i = 0; i < MAX_KEPT && st->chaos; i++) {
			if (kept[i].vm || rnd(3))
				continue;
			if (have_next) {
				kept[i] = next;
				have_next = false;
			} else if (vm.vm) {
				kept[i] = vm;
				vm.vm = NULL;
			}
			inc(&st->kept);
		}
		if (vm.vm)
			destroy(&vm);
		if (have_next)
			destroy(&next);
	}
	for (i = 0; i < MAX_KEPT; i++)
		if (kept[i].vm)
			destroy(&kept[i]);
	if (sev >= 0)
		close(sev);
	exit(0);
}

/*
 * A new firmware instance every 1-4 s under the clients' guests; every
 * third time after letting the PSP die: a hung command under a 1 s timeout
 */
static void reloader(uint64_t seed, long deadline)
{
	static const char *const hangs[] = {
		"hang 1", "hang 1 0x23", "hang 1 0x30", "hang 1 0x31",
		"hang 1 0x33", "hang 1 0x35", "hang 1 0x40", "hang 1 0x50",
	};
	int t0 = psp_get_timeout();
	bool dead;
	long t;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	rng = seed | 1;
	while (now_ms() < deadline) {
		usleep(1000000 + rnd(3000) * 1000);
		if (now_ms() >= deadline)
			break;
		if (!rnd(3)) {
			psp_set_timeout(1);
			file_write(FAULT_FILE, hangs[rnd(ARRAY_SIZE(hangs))]);
			for (t = now_ms(); now_ms() - t < 4000 && !psp_dead();)
				usleep(20000);
			/* an unconsumed hang must not meet the long timeout */
			file_write(FAULT_FILE, "clear");
			psp_set_timeout(t0);
		}
		dead = psp_dead();
		__atomic_add_fetch(&st->gen_started, 1, __ATOMIC_ACQ_REL);
		if (emu_try_reload(NULL))
			printf("# the reload failed\n");
		__atomic_add_fetch(&st->gen_done, 1, __ATOMIC_ACQ_REL);
		inc(&st->reloads);
		if (dead)
			inc(&st->deaths);
	}
	psp_set_timeout(t0);
	exit(0);
}

/* Shut the platform down and bring it back, over and over */
static void platform(long deadline)
{
	unsigned int sev_gen = gen(&st->gen_done);
	int sev = sev_try_open();
	uint8_t csr[SEV_CERT_LEN];
	struct sev_user_data_pek_csr c = {
		.address = (uintptr_t)csr,
		.length = sizeof(csr),
	};
	int r;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	while (now_ms() < deadline) {
		if (sev < 0 || gen(&st->gen_done) != sev_gen) {
			if (sev >= 0)
				close(sev);
			sev = open(SEV_DEV_PATH, O_RDWR);
			sev_gen = gen(&st->gen_done);
		}
		r = check_err(__sev_ioctl(sev, SEV_FACTORY_RESET, NULL, NULL),
			      "FACTORY_RESET");
		if (!r)
			inc(&st->resets);
		else if (r == -EBUSY)
			inc(&st->reset_busy);
		usleep(rnd(20000));
		r = rnd(2) ? __sev_ioctl(sev, SEV_PDH_GEN, NULL, NULL) :
			     __sev_ioctl(sev, SEV_PEK_CSR, &c, NULL);
		if (!check_err(r, "re-init"))
			inc(&st->reinits);
		usleep(rnd(20000));
	}
	if (sev >= 0)
		close(sev);
	exit(0);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "procs", required_argument, NULL, 'p' },
		{ "time", required_argument, NULL, 't' },
		{ "chaos", no_argument, NULL, 'c' },
		{}
	};
	unsigned long procs = 6, secs = 30, i;
	uint64_t seed = (uint64_t)time(NULL);
	pid_t clients[MAX_CLIENTS], plat, rel = -1;
	struct quarantine_counts qa, qb;
	struct leak_snap before;
	long deadline, leaked, records;
	unsigned int es_min;
	char buf[4096], *p;
	int opt, status, rstatus = 0, sev;
	bool chaos = false;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'p':
			procs = strtoul(optarg, NULL, 0);
			break;
		case 't':
			secs = strtoul(optarg, NULL, 0);
			break;
		case 'c':
			chaos = true;
			break;
		default:
			fprintf(stderr, "usage: %s [--seed S] [--procs P] [--time T] [--chaos]\n",
				argv[0]);
			return 2;
		}
	}
	if (!procs || procs > MAX_CLIENTS)
		tap_bail_out("--procs must be 1..%d", MAX_CLIENTS);

	st = mmap(NULL, sizeof(*st), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (st == MAP_FAILED)
		tap_bail_out("mmap: %s", strerror(errno));
	memset(st, 0, sizeof(*st));
	st->chaos = chaos;
	rng = seed | 1;
	/* "es_asids: 1 - N" (0 - 0: none) */
	if (!debugfs_read(KVM_SEV_PLATFORM_FILE, buf, sizeof(buf)))
		tap_bail_out("%s: %s", KVM_SEV_PLATFORM_FILE, strerror(errno));
	p = strstr(buf, "es_asids:");
	if (!p || sscanf(p, "es_asids: %u - %u", &es_min, &es_max) != 2)
		tap_bail_out("%s has no es_asids line", KVM_SEV_PLATFORM_FILE);
	es_mode = chaos || es_max;

	tap_plan(6);
	tap_diag("seed %#llx clients %lu time %lus%s", (unsigned long long)seed,
		 procs, secs, chaos ? " chaos" : "");
	if (es_max)
		tap_diag("SEV-ES guests too: ES ASIDs 1 - %u", es_max);
	else if (es_mode)
		tap_diag("SEV-ES tries: no ES ASIDs, ES_INIT must be ENOTTY");
	if (psp_dead())
		tap_bail_out("the PSP is latched dead before the run");
	quarantine_counts(&qa);
	leak_snap(&before);
	records = fw_es_vmsa_records();
	deadline = now_ms() + secs * 1000;
	fflush(stdout);

	plat = fork();
	if (!plat)
		platform(deadline);
	if (chaos) {
		rel = fork();
		if (!rel)
			reloader(seed ^ 0x5eed, deadline);
	}
	for (i = 0; i < procs; i++) {
		clients[i] = fork();
		if (!clients[i])
			client(seed + i + 1, deadline);
		inc(&st->clients);
	}

	/* kill a random client now and then, and start a new one */
	while (now_ms() < deadline) {
		usleep(200000 + rnd(800000));
		i = rnd(procs);
		if (now_ms() >= deadline || !rnd(2))
			continue;
		kill(clients[i], SIGKILL);
		waitpid(clients[i], NULL, 0);
		inc(&st->kills);
		clients[i] = fork();
		if (!clients[i])
			client(seed ^ now_ms(), deadline);
		inc(&st->clients);
	}
	for (i = 0; i < procs; i++)
		if (waitpid(clients[i], &status, 0) == clients[i] &&
		    (!WIFEXITED(status) || WEXITSTATUS(status)))
			tap_diag("client %d ended with status %#x", clients[i],
				 status);
	waitpid(plat, &status, 0);
	if (rel > 0)
		waitpid(rel, &rstatus, 0);
	/* a PSP the last hang latched dead is reloaded */
	if (psp_dead()) {
		emu_try_reload(NULL);
		inc(&st->reloads);
	}

	tap_diag("calls %llu; guests launched %llu, destroyed %llu",
		 st->calls, st->launched, st->destroyed);
	tap_diag("sent %llu, received %llu, moved %llu, mirrored %llu",
		 st->sent, st->received, st->moved, st->mirrored);
	tap_diag("platform: %llu shutdowns (FACTORY_RESET), %llu refused",
		 st->resets, st->reset_busy);
	tap_diag("%llu re-inits; %llu clients, %llu killed", st->reinits,
		 st->clients, st->kills);
	tap_diag("reloads %llu (%llu after the PSP died); %llu guests kept across iterations",
		 st->reloads, st->deaths, st->kept);
	tap_diag("GUEST_STATUS: %llu of stale guests, %llu of live ones",
		 st->stale_checks, st->live_checks);
	tap_diag("ES: %llu ES_INIT (%llu EBUSY, %llu ENOTTY); launched %llu, %llu VMSAs",
		 st->es_tries, st->es_busy, st->es_enotty, st->es_launched,
		 st->es_vmsas);
	tap_diag("ES: moved %llu, %llu refused (vCPU counts); mirrored %llu, %llu VMSAs",
		 st->es_moved, st->es_move_refused, st->es_mirrored,
		 st->es_mirror_vmsas);
	tap_result(WIFEXITED(status) && !WEXITSTATUS(status) &&
		   WIFEXITED(rstatus) && !WEXITSTATUS(rstatus) &&
		   st->launched > 0 &&
		   (!es_mode || (es_max ? st->es_launched : st->es_enotty)),
		   "guests launched while the platform cycled");
	tap_result(!st->unexpected, "only ABI errors (%llu unexpected)",
		   st->unexpected);
	tap_result(!st->inconsistent, "KVM and firmware agree (%llu mismatches)",
		   st->inconsistent);
	quarantine_counts(&qb);
	leaked = leak_check_kept(&before, qb.kvm_pages - qa.kvm_pages, "stress");
	/* the firmware forgets a guest's VMSAs when it is decommissioned */
	if (fw_es_vmsa_records() != records) {
		tap_diag("stress: leak: firmware VMSA records %ld->%ld",
			 records, fw_es_vmsa_records());
		leaked += labs(fw_es_vmsa_records() - records);
	}
	tap_result(!leaked, "nothing leaked after every process exited");
	tap_result(!st->stale_bad,
		   "guests of an unloaded firmware never answered (%llu of %llu, %llu reloads)",
		   st->stale_bad, st->stale_checks, st->reloads);
	tap_result(!st->live_bad,
		   "live guests' GUEST_STATUS was their own (%llu of %llu)",
		   st->live_bad, st->live_checks);

	/* and the platform still works */
	sev = sev_open(O_RDWR);
	sev_ioctl(sev, SEV_PDH_GEN, NULL);
	close(sev);
	return tap_finish();
}
