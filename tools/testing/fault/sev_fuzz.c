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
 *            [--chaos] [--big] [--fast PCT]
 *
 * Worker i draws from a generator seeded with S and i, so one seed gives
 * the same sequence of calls per worker (interleaving aside; --procs 1 is
 * fully reproducible). --faults also arms random firmware faults (fail,
 * delay, corrupt) on commands whose failure the stack can clean up.
 *
 * --chaos: the parent changes the platform under the workers' live VMs:
 * it reloads sev-emu.ko (a new firmware instance; now and then with
 * mem_mode=opaque), sets sev_psp's psp_cmd_timeout to random values down
 * to 1 s (restored at the end), arms hangs and delays beyond the timeout,
 * reloads whenever a timeout latched the PSP dead, and sometimes sets
 * debugfs sev-emu/stop_on_abort to N (a PSP that runs on after a timeout:
 * the driver and KVM must quarantine the command's memory). At the end it
 * runs one such quarantine deterministically and checks its counts.
 * --big: multi-MiB LAUNCH_UPDATE_DATA, half of them over the longest
 * physically contiguous run of a THP buffer (one firmware command), which
 * times out under a 1 s timeout in opaque memory. --fast PCT: PCT% of the
 * operations are bursts of cheap calls (GUEST_STATUS with its answer
 * checked, PLATFORM_STATUS, malformed arguments), for long soaks.
 *
 * Invariants, each one KTAP line after the run: every worker finished;
 * KVM's view of each live VM (handle, ASID) matched the firmware's guest
 * table; the PSP is alive at the end; after every process exited no
 * firmware guest, bound ASID, KVM ASID or pinned page is left (pins that
 * KVM quarantined are expected to stay); no page of memory handed to the
 * firmware (LAUNCH_UPDATE_DATA, LAUNCH_SECRET's guest range, DBG
 * destinations, SEND/RECEIVE_UPDATE_DATA) changed after its ioctl
 * returned (checksums taken at the return, compared a few operations
 * later, before any later ioctl of the worker that touches that memory,
 * and at the end; a command that timed out while stop_on_abort was N is
 * exempt until the reload stops it); no VM launched before a reload (nor
 * its mirror, nor a context moved from it) had a command succeed after
 * it, and well-formed probes of such VMs fail with -ENODEV (or -EBADF,
 * -EBUSY, -EINTR); every successful GUEST_STATUS of a live VM gave the
 * handle, policy and state that VM's own commands left; unstoppable
 * timeouts were quarantined. Kernel reports are caught by the VM harness
 * (dmesg) and run-vm-tests.sh (stalls).
 */

#include <getopt.h>
#include <sys/prctl.h>
#include "fault_util.h"

#define MAX_VMS		4
#define MAX_CTX		(2 * MAX_VMS + 2)
#define MAX_VCPUS	2
#define ARENA_SZ	0x10000UL	/* followed by a PROT_NONE page */
#define BIG_SZ		(64UL << 20)	/* THP buffer of the big commands */
#define BIG_MIN		(2UL << 20)
#define MAX_WATCH	16
#define MAX_HOT		8
#define WATCH_OPS	4		/* ops until a watch is verified */
#define WCHUNK		4096UL
#define KERNEL_PTR	0xffffffff81000000ULL
#define NONCANON_PTR	0x8000000000001000ULL
#define SESSION_LEN	0x80
#define HDR_LEN		0x34
#define LUD_CMD		0x031		/* SEV_CMD_LAUNCH_UPDATE_DATA */

/* SEV guest states (GUEST_STATUS) */
enum {
	GS_UNINIT, GS_LUPDATE, GS_LSECRET, GS_RUNNING, GS_SUPDATE, GS_RUPDATE,
	GS_SENT,
};

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
	/* firmware instances: reloads begun and done (the parent's) */
	unsigned int gen_started;
	unsigned int gen_done;
	unsigned int noabort;		/* stop_on_abort is N right now */
	unsigned int big_now;		/* the parent asks for a big command */
	unsigned int workers_ready;
	unsigned long long reloads;
	unsigned long long reloads_dead;	/* ...after a timeout */
	unsigned long long reload_failed;
	unsigned long long injected;	/* faults, of unloaded instances */
	unsigned long long opaque_epochs;
	unsigned long long timeout_changes;
	unsigned long long timeouts;		/* -ETIMEDOUT returns */
	unsigned long long noabort_epochs;
	unsigned long long q_checked;
	unsigned long long q_bad;
	unsigned long long big;
	unsigned long long big_timeouts;
	unsigned long long big_max_ms;
	unsigned long long big_run_max;		/* bytes, one firmware command */
	unsigned long long watches;
	unsigned long long verified;
	unsigned long long late;		/* violations */
	unsigned long long exempt;
	unsigned long long stale_cmds;
	unsigned long long stale_probes;
	unsigned long long stale_bad;
	unsigned long long status_checks;
	unsigned long long status_bad;
	unsigned long long fast_calls;
};

/* A firmware guest context as the worker that launched it knows it */
struct fctx {
	int refs;			/* VMs using it (owner, mirrors) */
	uint32_t handle;
	uint32_t policy;
	int state;			/* expected state, -1 unknown */
	unsigned int lo, hi;		/* the firmware instance: lo..hi */
};

struct fvm {
	int fd;
	uint8_t *mem;
	int vcpu[MAX_VCPUS];
	int ctx;			/* index in worker.ctx, or -1 */
	bool mirror;
	bool foreign;			/* a forked child's copy */
};

/* Memory handed to the firmware, checksummed when its ioctl returned */
struct watch {
	uint8_t *p;
	size_t len;
	uint64_t *sum;			/* one per WCHUNK */
	unsigned long long seq;		/* the worker's op */
	uint32_t id;
	int ret;
	int left;			/* ops until it is verified */
};

/* Memory an unstopped timed-out command may write until a reload */
struct hot {
	uint64_t p, len;
	unsigned int until;		/* ...gen_done reaches this */
};

struct worker {
	uint64_t rng;
	int kvm;
	int sev_rw;
	int sev_ro;
	unsigned int sev_gen;		/* gen_done when they were opened */
	unsigned int seen_gen;
	unsigned int seen_big;
	struct fvm vm[MAX_VMS];
	struct fctx ctx[MAX_CTX];
	struct watch watch[MAX_WATCH];
	struct hot hot[MAX_HOT];
	unsigned long long seq;
	uint8_t *arena;
	uint8_t *guard;
	uint8_t *big;
	size_t big_off;			/* the longest contiguous run */
	size_t big_run;
	uint8_t pdh[SEV_CERT_LEN];
	uint8_t chain[SEV_CHAIN_LEN];
	uint8_t amd[0x1000];
	uint32_t amd_len;
	uint8_t session[SESSION_LEN];
	bool have_session;
	bool faults;
	bool chaos;
	unsigned int fast;
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

/* ---- firmware instances: the parent's reload counters ---- */

/* The instances that may be current around one call */
struct span {
	unsigned int d0, s0;		/* reloads done, begun: before */
	unsigned int d1, s1;		/* ...and after */
	bool noabort;			/* stop_on_abort was N meanwhile */
};

static unsigned int load_gen(unsigned int *g)
{
	return __atomic_load_n(g, __ATOMIC_ACQUIRE);
}

static void span_begin(struct span *e)
{
	e->d0 = load_gen(&st->gen_done);
	e->s0 = load_gen(&st->gen_started);
	e->noabort = load_gen(&st->noabort);
}

static void span_end(struct span *e)
{
	e->s1 = load_gen(&st->gen_started);
	e->d1 = load_gen(&st->gen_done);
	e->noabort |= load_gen(&st->noabort);
}

enum fate { LIVE, STALE, UNSURE };

/*
 * A context of instance lo..hi, for a call made in @e: STALE when that
 * instance was unloaded before the call, LIVE when it is the one instance
 * that was loaded throughout the call
 */
static enum fate ctx_fate(const struct fctx *c, const struct span *e)
{
	if (e->d0 > c->hi)
		return STALE;
	if (c->lo == c->hi && e->s0 == c->lo && e->s1 == c->lo)
		return LIVE;
	return UNSURE;
}

static struct fctx *vm_ctx(struct worker *w, struct fvm *vm)
{
	return vm && vm->ctx >= 0 ? &w->ctx[vm->ctx] : NULL;
}

static void ctx_put(struct worker *w, struct fvm *vm)
{
	if (vm->ctx >= 0)
		w->ctx[vm->ctx].refs--;
	vm->ctx = -1;
}

/* A new context for @vm (launched or received in @e) */
static void ctx_new(struct worker *w, struct fvm *vm, const struct span *e,
		    uint32_t handle, uint32_t policy, int state)
{
	int i;

	ctx_put(w, vm);
	for (i = 0; i < MAX_CTX && w->ctx[i].refs; i++)
		;
	if (i == MAX_CTX)
		return;
	/*
	 * Any instance loaded during the call: a /dev/sev file opened after
	 * a reload's insmod, before the count went up, is the new one's
	 */
	w->ctx[i] = (struct fctx){ .refs = 1, .handle = handle,
				   .policy = policy, .state = state,
				   .lo = e->d0, .hi = e->s1 };
	vm->ctx = i;
}

/* ---- memory handed to the firmware must not change after the return ---- */

static uint64_t csum(const uint8_t *p, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL, v;
	size_t i;

	for (i = 0; i + 8 <= len; i += 8) {
		memcpy(&v, p + i, 8);
		h = (h ^ v) * 0x100000001b3ULL;
		h ^= h >> 29;
	}
	for (; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}

static size_t nchunks(size_t len)
{
	return (len + WCHUNK - 1) / WCHUNK;
}

static void watch_snap(struct watch *wa)
{
	size_t i;

	for (i = 0; i < nchunks(wa->len); i++)
		wa->sum[i] = csum(wa->p + i * WCHUNK,
				  wa->len - i * WCHUNK < WCHUNK ?
				  wa->len - i * WCHUNK : WCHUNK);
}

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return alen && blen && a < b + blen && b < a + alen;
}

/* Compare a watch with its checksums; report the chunks that changed */
static void watch_verify(struct worker *w, struct watch *wa, const char *when)
{
	size_t i, changed = 0, first = 0;

	for (i = 0; i < nchunks(wa->len); i++)
		if (wa->sum[i] != csum(wa->p + i * WCHUNK,
				       wa->len - i * WCHUNK < WCHUNK ?
				       wa->len - i * WCHUNK : WCHUNK) &&
		    !changed++)
			first = i;
	__atomic_add_fetch(&st->verified, 1, __ATOMIC_RELAXED);
	if (!changed)
		return;
	__atomic_add_fetch(&st->late, 1, __ATOMIC_RELAXED);
	printf("# LATE WRITE: pid %d: KVM_SEV_%s (ret %d) at op %llu: ",
	       getpid(), kvm_sev_name(wa->id), wa->ret, wa->seq);
	printf("%zu of %zu pages of %p+%#zx changed after the ioctl returned",
	       changed, nchunks(wa->len), wa->p, wa->len);
	printf(" (first at +%#zx; seen %s, op %llu)\n", first * WCHUNK, when,
	       w->seq);
	fflush(stdout);
}

static void watch_drop(struct watch *wa)
{
	free(wa->sum);
	wa->sum = NULL;
	wa->len = 0;
}

static bool is_hot(struct worker *w, uint64_t p, uint64_t len)
{
	unsigned int done = load_gen(&st->gen_done);
	int i;

	for (i = 0; i < MAX_HOT; i++) {
		if (w->hot[i].len && done >= w->hot[i].until)
			w->hot[i].len = 0;
		if (overlaps(p, len, w->hot[i].p, w->hot[i].len))
			return true;
	}
	return false;
}

/* Is [p, p + len) inside one of the worker's own mappings? */
static bool own_memory(struct worker *w, uint64_t p, uint64_t len)
{
	uint64_t end = p + len;
	int i;

	if (!len || end < p)
		return false;
	if (p >= (uintptr_t)w->arena && end <= (uintptr_t)w->arena + ARENA_SZ)
		return true;
	if (w->big && p >= (uintptr_t)w->big &&
	    end <= (uintptr_t)w->big + BIG_SZ)
		return true;
	for (i = 0; i < MAX_VMS; i++)
		if (w->vm[i].mem && p >= (uintptr_t)w->vm[i].mem &&
		    end <= (uintptr_t)w->vm[i].mem + GUEST_MEM_SIZE)
			return true;
	return false;
}

static void watch_add(struct worker *w, uint64_t p, uint64_t len,
		      uint32_t id, int ret)
{
	struct watch *wa = NULL;
	int i;

	if (!own_memory(w, p, len) || is_hot(w, p, len))
		return;
	for (i = 0; i < MAX_WATCH && !wa; i++)
		if (!w->watch[i].len)
			wa = &w->watch[i];
	if (!wa) {
		/* full: the oldest is verified now */
		wa = &w->watch[0];
		for (i = 1; i < MAX_WATCH; i++)
			if (w->watch[i].seq < wa->seq)
				wa = &w->watch[i];
		watch_verify(w, wa, "when full");
		watch_drop(wa);
	}
	wa->sum = malloc(nchunks(len) * sizeof(*wa->sum));
	if (!wa->sum)
		return;
	wa->p = (uint8_t *)(uintptr_t)p;
	wa->len = len;
	wa->seq = w->seq;
	wa->id = id;
	wa->ret = ret;
	wa->left = 1 + rnd(w, WATCH_OPS);
	watch_snap(wa);
	__atomic_add_fetch(&st->watches, 1, __ATOMIC_RELAXED);
}

/* User memory one call hands to the kernel */
struct urange {
	uint64_t p, len;
	bool fw;	/* the firmware's: watched after the return */
};

#define MAX_RANGES	6

/*
 * Before a call that hands [p, p + len) to the kernel: the watches it
 * overlaps must be intact (the firmware's earlier commands are over); the
 * call itself may change them, so they are checksummed again after it.
 */
static void touch_pre(struct worker *w, const struct urange *r, int n)
{
	int i, j;

	for (i = 0; i < MAX_WATCH; i++)
		for (j = 0; j < n && w->watch[i].len; j++)
			if (overlaps((uintptr_t)w->watch[i].p, w->watch[i].len,
				     r[j].p, r[j].len)) {
				watch_verify(w, &w->watch[i], "before a later ioctl");
				break;
			}
}

static void touch_post(struct worker *w, const struct urange *r, int n)
{
	int i, j;

	for (i = 0; i < MAX_WATCH; i++)
		for (j = 0; j < n && w->watch[i].len; j++)
			if (overlaps((uintptr_t)w->watch[i].p, w->watch[i].len,
				     r[j].p, r[j].len)) {
				if (is_hot(w, (uintptr_t)w->watch[i].p,
					   w->watch[i].len))
					watch_drop(&w->watch[i]);
				else
					watch_snap(&w->watch[i]);
				break;
			}
}

/* After each op: watches that are due are verified and retired */
static void watch_tick(struct worker *w)
{
	int i;

	for (i = 0; i < MAX_WATCH; i++)
		if (w->watch[i].len && --w->watch[i].left <= 0) {
			watch_verify(w, &w->watch[i], "ops later");
			watch_drop(&w->watch[i]);
		}
}

/* Memory about to be unmapped: verified and forgotten */
static void watch_unmap(struct worker *w, const uint8_t *p, size_t len)
{
	int i;

	for (i = 0; i < MAX_WATCH; i++)
		if (w->watch[i].len &&
		    overlaps((uintptr_t)w->watch[i].p, w->watch[i].len,
			     (uintptr_t)p, len)) {
			watch_verify(w, &w->watch[i], "before munmap");
			watch_drop(&w->watch[i]);
		}
}

static void watch_all(struct worker *w, const char *when)
{
	int i;

	for (i = 0; i < MAX_WATCH; i++)
		if (w->watch[i].len) {
			watch_verify(w, &w->watch[i], when);
			watch_drop(&w->watch[i]);
		}
}

static void add_range(struct urange *r, int *n, uint64_t p, uint64_t len,
		      bool fw)
{
	if (p && len && *n < MAX_RANGES)
		r[(*n)++] = (struct urange){ p, len, fw };
}

/* The user memory of KVM_SEV_* @id with arguments @a */
static int sev_ranges(uint32_t id, const union sev_args *a, struct urange *r)
{
	int n = 0;

	switch (id) {
	case KVM_SEV_LAUNCH_START:
		add_range(r, &n, a->ls.dh_uaddr, a->ls.dh_len, false);
		add_range(r, &n, a->ls.session_uaddr, a->ls.session_len, false);
		break;
	case KVM_SEV_LAUNCH_UPDATE_DATA:
		add_range(r, &n, a->lu.uaddr, a->lu.len, true);
		break;
	case KVM_SEV_LAUNCH_SECRET:
		add_range(r, &n, a->sec.hdr_uaddr, a->sec.hdr_len, false);
		add_range(r, &n, a->sec.guest_uaddr, a->sec.guest_len, true);
		add_range(r, &n, a->sec.trans_uaddr, a->sec.trans_len, false);
		break;
	case KVM_SEV_LAUNCH_MEASURE:
		add_range(r, &n, a->lm.uaddr, a->lm.len, false);
		break;
	case KVM_SEV_DBG_DECRYPT:
	case KVM_SEV_DBG_ENCRYPT:
		add_range(r, &n, a->dbg.src_uaddr, a->dbg.len, false);
		add_range(r, &n, a->dbg.dst_uaddr, a->dbg.len, true);
		break;
	case KVM_SEV_GET_ATTESTATION_REPORT:
		add_range(r, &n, a->ar.uaddr, a->ar.len, false);
		break;
	case KVM_SEV_SEND_START:
		add_range(r, &n, a->ss.pdh_cert_uaddr, a->ss.pdh_cert_len,
			  false);
		add_range(r, &n, a->ss.plat_certs_uaddr, a->ss.plat_certs_len,
			  false);
		add_range(r, &n, a->ss.amd_certs_uaddr, a->ss.amd_certs_len,
			  false);
		add_range(r, &n, a->ss.session_uaddr, a->ss.session_len, false);
		break;
	case KVM_SEV_SEND_UPDATE_DATA:
		add_range(r, &n, a->su.hdr_uaddr, a->su.hdr_len, false);
		add_range(r, &n, a->su.guest_uaddr, a->su.guest_len, true);
		add_range(r, &n, a->su.trans_uaddr, a->su.trans_len, true);
		break;
	case KVM_SEV_RECEIVE_START:
		add_range(r, &n, a->rs.pdh_uaddr, a->rs.pdh_len, false);
		add_range(r, &n, a->rs.session_uaddr, a->rs.session_len, false);
		break;
	case KVM_SEV_RECEIVE_UPDATE_DATA:
		add_range(r, &n, a->ru.hdr_uaddr, a->ru.hdr_len, false);
		add_range(r, &n, a->ru.guest_uaddr, a->ru.guest_len, true);
		add_range(r, &n, a->ru.trans_uaddr, a->ru.trans_len, false);
		break;
	default:
		break;
	}
	return n;
}

/* ---- a VM's own history: GUEST_STATUS and stale VMs ---- */

/* Ids that go to the VM's firmware context (never succeed when stale) */
static bool fw_id(uint32_t id, const union sev_args *a, bool args)
{
	switch (id) {
	case KVM_SEV_LAUNCH_FINISH:
	case KVM_SEV_SEND_FINISH:
	case KVM_SEV_RECEIVE_FINISH:
	case KVM_SEV_SEND_CANCEL:
		return true;
	case KVM_SEV_GUEST_STATUS:
	case KVM_SEV_LAUNCH_MEASURE:
	case KVM_SEV_GET_ATTESTATION_REPORT:
	case KVM_SEV_SEND_START:
	case KVM_SEV_LAUNCH_SECRET:
	case KVM_SEV_SEND_UPDATE_DATA:
	case KVM_SEV_RECEIVE_UPDATE_DATA:
		return args;
	case KVM_SEV_LAUNCH_UPDATE_DATA:
		return args && a->lu.len;
	case KVM_SEV_DBG_DECRYPT:
	case KVM_SEV_DBG_ENCRYPT:
		return args && a->dbg.len;
	default:
		return false;
	}
}

/* The state a successful command leaves (-1: not known, -2: unchanged) */
static int next_state(uint32_t id, const union sev_args *a)
{
	switch (id) {
	case KVM_SEV_LAUNCH_UPDATE_DATA:
		return GS_LUPDATE;
	case KVM_SEV_LAUNCH_SECRET:
		return GS_LSECRET;
	case KVM_SEV_LAUNCH_MEASURE:
		return a->lm.len && a->lm.uaddr ? GS_LSECRET : -1;
	case KVM_SEV_LAUNCH_FINISH:
	case KVM_SEV_SEND_CANCEL:
	case KVM_SEV_RECEIVE_FINISH:
		return GS_RUNNING;
	case KVM_SEV_SEND_START:
		return a->ss.session_len && a->ss.session_uaddr ? GS_SUPDATE :
								  -1;
	case KVM_SEV_SEND_UPDATE_DATA:
		return GS_SUPDATE;
	case KVM_SEV_SEND_FINISH:
		return GS_SENT;
	case KVM_SEV_RECEIVE_UPDATE_DATA:
		return GS_RUPDATE;
	case KVM_SEV_GUEST_STATUS:
	case KVM_SEV_DBG_DECRYPT:
	case KVM_SEV_DBG_ENCRYPT:
		return -2;
	default:
		return -1;
	}
}

/* Errors after which the firmware did not run the command */
static bool err_unchanged(int r, uint32_t id, bool faults)
{
	switch (-r) {
	case EIO:
		/* a corrupted buffer hides a command that did run */
		return !faults || (id != KVM_SEV_LAUNCH_MEASURE &&
				   id != KVM_SEV_GET_ATTESTATION_REPORT);
	case ENOTTY: case EBADF: case ENODEV: case EBUSY: case EPERM:
	case EINVAL: case EINTR:
		return true;
	default:
		return false;
	}
}

/* A VM fd that KVM declared dead (its context moved away: -EIO) */
static bool vm_is_dead(struct fvm *vm)
{
	return ioctl(vm->fd, KVM_CHECK_EXTENSION, KVM_CAP_USER_MEMORY) < 0 &&
	       errno == EIO;
}

static void check_status(struct fvm *vm, struct fctx *c,
			 const struct kvm_sev_guest_status *gs)
{
	__atomic_add_fetch(&st->status_checks, 1, __ATOMIC_RELAXED);
	if (gs->handle == c->handle && gs->policy == c->policy &&
	    (c->state < 0 || (int)gs->state == c->state)) {
		c->state = gs->state;
		return;
	}
	__atomic_add_fetch(&st->status_bad, 1, __ATOMIC_RELAXED);
	printf("# FOREIGN STATE: pid %d VM fd %d%s: GUEST_STATUS handle %u policy %#x state %u;",
	       getpid(), vm->fd, vm->mirror ? " (mirror)" : "", gs->handle,
	       gs->policy, gs->state);
	printf(" its own commands left handle %u policy %#x state %d",
	       c->handle, c->policy, c->state);
	printf(" (instance %u..%u, now %u)\n", c->lo, c->hi,
	       load_gen(&st->gen_done));
	fflush(stdout);
	c->state = gs->state;
}

/*
 * Issue KVM_SEV_* c->id on @vm (through @fd, normally vm->fd) and learn
 * from it: watches on the memory it handed to the firmware, the context's
 * state, and the invariants of stale and live VMs. @probe: a well-formed
 * call whose errors are checked too.
 */
static int vm_cmd(struct worker *w, struct fvm *vm, int fd,
		  struct kvm_sev_cmd *c, union sev_args *a, bool probe)
{
	struct urange rg[MAX_RANGES];
	bool args = c->data == (uintptr_t)a;
	bool own = fd == vm->fd && !vm->foreign;
	struct fctx *ctx = vm_ctx(w, vm);
	uint32_t id = c->id;
	enum fate fate = UNSURE;
	struct span e;
	int n = 0, i, r;

	if (args && id < KVM_SEV_NR_MAX)
		n = sev_ranges(id, a, rg);
	touch_pre(w, rg, n);
	span_begin(&e);
	r = xsev(fd, c);
	span_end(&e);
	touch_post(w, rg, n);
	if (r == -ETIMEDOUT) {
		__atomic_add_fetch(&st->timeouts, 1, __ATOMIC_RELAXED);
		if (e.noabort) {
			/* the firmware may write on until the reload */
			for (i = 0; i < n; i++) {
				int h;

				for (h = 0; h < MAX_HOT && w->hot[h].len; h++)
					;
				if (h == MAX_HOT)
					h = rnd(w, MAX_HOT);
				w->hot[h] = (struct hot){ rg[i].p, rg[i].len,
							  e.s1 + 1 };
				touch_post(w, &rg[i], 1);
			}
			__atomic_add_fetch(&st->exempt, 1, __ATOMIC_RELAXED);
		}
	}
	if (own)
		for (i = 0; i < n; i++)
			if (rg[i].fw)
				watch_add(w, rg[i].p, rg[i].len, id, r);
	if (!own || id >= KVM_SEV_NR_MAX)
		return r;

	if (!r && args && (id == KVM_SEV_LAUNCH_START ||
			   id == KVM_SEV_RECEIVE_START)) {
		/* a new context (also for a stale VM: a relaunch) */
		ctx_new(w, vm, &e, a->ls.handle,
			id == KVM_SEV_LAUNCH_START ? a->ls.policy :
						     a->rs.policy,
			id == KVM_SEV_LAUNCH_START ? GS_LUPDATE : GS_RUPDATE);
		return r;
	}
	if (!ctx)
		return r;
	fate = ctx_fate(ctx, &e);
	if (r == -EIO && vm_is_dead(vm)) {
		/* a forked child moved the context away */
		ctx_put(w, vm);
		return r;
	}

	if (fate == STALE) {
		__atomic_add_fetch(&st->stale_cmds, 1, __ATOMIC_RELAXED);
		if ((!r && fw_id(id, a, args)) ||
		    (probe && r != -ENODEV && r != -EBADF && r != -EBUSY &&
		     r != -EINTR)) {
			__atomic_add_fetch(&st->stale_bad, 1, __ATOMIC_RELAXED);
			printf("# STALE VM: pid %d VM fd %d%s, of firmware instance %u..%u,",
			       getpid(), vm->fd, vm->mirror ? " (mirror)" : "",
			       ctx->lo, ctx->hi);
			printf(" now %u: KVM_SEV_%s returned %d (%s), fw error %#x\n",
			       e.d0, kvm_sev_name(id), r,
			       r ? strerror(-r) : "success", c->error);
			if (!r && id == KVM_SEV_GUEST_STATUS)
				printf("# ... and it saw handle %u policy %#x state %u\n",
				       a->gs.handle, a->gs.policy, a->gs.state);
			fflush(stdout);
		}
		return r;
	}

	if (r) {
		if (!err_unchanged(r, id, w->faults))
			ctx->state = -1;
		return r;
	}
	if (id == KVM_SEV_GUEST_STATUS && args) {
		if (fate == LIVE)
			check_status(vm, ctx, &a->gs);
		return r;
	}
	i = next_state(id, a);
	if (i != -2)
		ctx->state = args || !(id == KVM_SEV_LAUNCH_MEASURE ||
				      id == KVM_SEV_SEND_START) ? i : -1;
	return r;
}

/* A /dev/sev command through @fd, with its user memory accounted */
static int dev_cmd(struct worker *w, int fd, unsigned long req,
		   struct sev_issue_cmd *arg, const struct urange *rg, int n)
{
	int r;

	touch_pre(w, rg, n);
	r = xioctl(fd, req, arg);
	touch_post(w, rg, n);
	if (r == -ETIMEDOUT)
		__atomic_add_fetch(&st->timeouts, 1, __ATOMIC_RELAXED);
	return r;
}

static void op_sev_cmd(struct worker *w)
{
	struct fvm *vm = pick_vm(w);
	struct kvm_sev_cmd c = {};
	union sev_args a;
	int fd;

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
	if (!chance(w, 98)) {
		xioctl(fd, KVM_MEMORY_ENCRYPT_OP, w->guard);
		return;
	}
	/* keep a session from a successful SEND_START for RECEIVE_START */
	if (!vm_cmd(w, vm, fd, &c, &a, false) && c.id == KVM_SEV_SEND_START &&
	    c.data == (uintptr_t)&a &&
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
	struct urange rg[MAX_RANGES];
	union dev_args a;
	uint32_t cmd;
	int fd, n = 0;

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
		add_range(rg, &n, a.csr.address, a.csr.length, false);
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
		add_range(rg, &n, a.ex.pdh_cert_address, a.ex.pdh_cert_len,
			  false);
		add_range(rg, &n, a.ex.cert_chain_address, a.ex.cert_chain_len,
			  false);
		break;
	case SEV_GET_ID2:
		a.id2.address = gen_ptr(w, NULL);
		a.id2.length = gen_len(w);
		add_range(rg, &n, a.id2.address, a.id2.length, false);
		break;
	default:
		break;
	}
	arg.cmd = cmd;
	arg.error = rnd64(w);
	arg.data = chance(w, 90) ? (uintptr_t)&a : gen_ptr(w, NULL);
	if (arg.data != (uintptr_t)&a)
		add_range(rg, &n, arg.data, sizeof(a), false);
	fd = chance(w, 80) ? w->sev_rw : (chance(w, 80) ? w->sev_ro : w->kvm);
	if (chance(w, 2))
		dev_cmd(w, fd, _IOWR('S', rnd(w, 4), struct sev_issue_cmd), &arg,
			rg, n);
	else if (!chance(w, 98))
		xioctl(fd, SEV_ISSUE_CMD, w->guard);
	else if (!dev_cmd(w, fd, SEV_ISSUE_CMD, &arg, rg, n) && cmd < SEV_MAX)
		__atomic_add_fetch(&st->dev_ok[cmd], 1, __ATOMIC_RELAXED);
}

/* ---- VMs, regions, vCPUs, capabilities ---- */

static void vm_free(struct worker *w, struct fvm *vm)
{
	int i;

	for (i = 0; i < MAX_VCPUS; i++) {
		if (vm->vcpu[i] >= 0)
			close(vm->vcpu[i]);
		vm->vcpu[i] = -1;
	}
	if (vm->fd >= 0)
		close(vm->fd);
	if (vm->mem) {
		watch_unmap(w, vm->mem, GUEST_MEM_SIZE);
		munmap(vm->mem, GUEST_MEM_SIZE);
	}
	ctx_put(w, vm);
	vm->fd = -1;
	vm->mem = NULL;
	vm->mirror = false;
	vm->foreign = false;
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
		vm_free(w, vm);
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

/* Moves and mirrors: the context goes (or is shared) with its history */
static void op_cap(struct worker *w)
{
	struct fvm *dst = pick_vm(w), *src = pick_vm(w);
	struct kvm_enable_cap cap = {};
	bool move = chance(w, 50);

	if (!dst)
		return;
	cap.cap = move ? KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM :
			 KVM_CAP_VM_COPY_ENC_CONTEXT_FROM;
	cap.args[0] = src && chance(w, 85) ? (uint64_t)src->fd :
		      chance(w, 50) ? (uint64_t)w->sev_rw : rnd64(w);
	if (xioctl(dst->fd, KVM_ENABLE_CAP, &cap) || !src ||
	    cap.args[0] != (uint64_t)src->fd || src == dst)
		return;
	if (dst->foreign || src->foreign) {
		/* a child's: the parent's VM fds refer to other VMs here */
		dst->foreign = true;
		src->foreign = true;
		return;
	}
	ctx_put(w, dst);
	dst->ctx = src->ctx;
	if (src->ctx >= 0)
		w->ctx[src->ctx].refs++;
	if (move) {
		dst->mirror = src->mirror;
		ctx_put(w, src);
		src->mirror = false;
	} else {
		dst->mirror = true;
	}
}

/* Guest memory unmapped under a registered region (MMU notifier path) */
static void op_unmap(struct worker *w)
{
	struct fvm *vm = pick_vm(w);

	if (vm && vm->mem && chance(w, 30)) {
		watch_unmap(w, vm->mem, GUEST_MEM_SIZE);
		munmap(vm->mem, GUEST_MEM_SIZE);
		vm->mem = NULL;
	}
}

static void op_reopen(struct worker *w)
{
	int *fd = chance(w, 70) ? &w->sev_rw : &w->sev_ro;

	if (*fd >= 0)
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
	int i;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return;
	__atomic_add_fetch(&st->forks, 1, __ATOMIC_RELAXED);
	if (!pid) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		w->rng ^= 0x9e3779b97f4a7c15ULL;
		/* the parent's VMs and watches are the parent's to check */
		for (i = 0; i < MAX_VMS; i++)
			w->vm[i].foreign = true;
		for (i = 0; i < MAX_WATCH; i++)
			if (w->watch[i].len)
				watch_drop(&w->watch[i]);
		worker_ops(w, 1 + rnd(w, 20), now_ms() + 5000);
		watch_all(w, "at the child's end");
		_exit(0);
	}
	if (chance(w, 60)) {
		usleep(rnd(w, 20000));
		kill(pid, SIGKILL);
		__atomic_add_fetch(&st->kills, 1, __ATOMIC_RELAXED);
	}
	waitpid(pid, NULL, 0);
}

/* A KVM_SEV_* command with valid arguments through vm_cmd() */
static int vm_op(struct worker *w, struct fvm *vm, uint32_t id,
		 union sev_args *a, int sev_fd, bool probe)
{
	struct kvm_sev_cmd c = {
		.id = id,
		.sev_fd = sev_fd,
		.data = (uintptr_t)a,
	};

	return vm_cmd(w, vm, vm->fd, &c, a, probe);
}

/*
 * SEND_START to this platform's PDH (policy 0) and one page, keeping the
 * session for a RECEIVE_START of the random ops; sometimes finished
 */
static void op_send(struct worker *w, struct fvm *vm)
{
	struct sev_user_data_pdh_cert_export ex = {
		.pdh_cert_address = (uintptr_t)w->pdh,
		.pdh_cert_len = SEV_CERT_LEN,
		.cert_chain_address = (uintptr_t)w->chain,
		.cert_chain_len = SEV_CHAIN_LEN,
	};
	union sev_args a = {};

	/* the PDH may have been regenerated since */
	count_call(__sev_ioctl(w->sev_rw, SEV_PDH_CERT_EXPORT, &ex, NULL));
	a.ss.pdh_cert_uaddr = (uintptr_t)w->pdh;
	a.ss.pdh_cert_len = SEV_CERT_LEN;
	a.ss.plat_certs_uaddr = (uintptr_t)w->chain;
	a.ss.plat_certs_len = SEV_CHAIN_LEN;
	a.ss.amd_certs_uaddr = (uintptr_t)w->amd;
	a.ss.amd_certs_len = w->amd_len;
	a.ss.session_uaddr = (uintptr_t)w->session;
	a.ss.session_len = SESSION_LEN;
	if (vm_op(w, vm, KVM_SEV_SEND_START, &a, w->sev_rw, false))
		return;
	w->have_session = true;
	memset(&a, 0, sizeof(a));
	a.su.hdr_uaddr = (uintptr_t)w->arena;
	a.su.hdr_len = HDR_LEN;
	a.su.guest_uaddr = (uintptr_t)vm->mem;
	a.su.guest_len = PAGE_SZ;
	a.su.trans_uaddr = (uintptr_t)w->arena + PAGE_SZ;
	a.su.trans_len = PAGE_SZ;
	vm_op(w, vm, KVM_SEV_SEND_UPDATE_DATA, &a, w->sev_rw, false);
	if (chance(w, 70))
		vm_op(w, vm, chance(w, 50) ? KVM_SEV_SEND_FINISH :
					     KVM_SEV_SEND_CANCEL, &a,
		      w->sev_rw, false);
}

/* INIT (if need be) and LAUNCH_START with a random policy */
static bool launch_start(struct worker *w, struct fvm *vm)
{
	union sev_args a = {};
	struct kvm_sev_cmd c = { .id = KVM_SEV_INIT, .sev_fd = w->sev_rw };

	xsev(vm->fd, &c);	/* fails if it is one already */
	a.ls.policy = chance(w, 70) ? 0 : gen_policy(w) & 0x3f;
	return !vm_op(w, vm, KVM_SEV_LAUNCH_START, &a, w->sev_rw, false);
}

/* A whole valid launch, so that later random ops meet deep states */
static void op_launch(struct worker *w)
{
	struct fvm *vm = pick_vm(w);
	union sev_args a = {};

	if (!vm || !vm->mem || vm->mirror)
		return;
	if (!launch_start(w, vm))
		return;
	a.lu.uaddr = (uintptr_t)vm->mem;
	a.lu.len = PAGE_SZ * (1 + rnd(w, 4));
	vm_op(w, vm, KVM_SEV_LAUNCH_UPDATE_DATA, &a, w->sev_rw, false);
	if (chance(w, 20))
		return;
	memset(&a, 0, sizeof(a));
	a.lm.uaddr = (uintptr_t)w->arena;
	a.lm.len = 48;
	vm_op(w, vm, KVM_SEV_LAUNCH_MEASURE, &a, w->sev_rw, false);
	if (chance(w, 20))
		return;
	if (vm_op(w, vm, KVM_SEV_LAUNCH_FINISH, &a, w->sev_rw, false) ||
	    chance(w, 50))
		return;
	op_send(w, vm);
}

/*
 * Well-formed commands on one VM, checked: GUEST_STATUS (a live VM's
 * answer must be its own history; a stale VM's must be an error), and for
 * a stale VM one more command that would reach the firmware's guest
 */
static void probe_vm(struct worker *w, struct fvm *vm, bool more)
{
	union sev_args a = {};
	uint32_t id;

	if (vm->foreign || vm->ctx < 0)
		return;
	vm_op(w, vm, KVM_SEV_GUEST_STATUS, &a, w->sev_rw, true);
	if (!more)
		return;
	__atomic_add_fetch(&st->stale_probes, 1, __ATOMIC_RELAXED);
	memset(&a, 0, sizeof(a));
	switch (vm->mirror ? 3 : rnd(w, 5)) {
	case 0:
		id = KVM_SEV_LAUNCH_MEASURE;
		a.lm.uaddr = (uintptr_t)w->arena;
		a.lm.len = 48;
		break;
	case 1:
		id = KVM_SEV_LAUNCH_FINISH;
		break;
	case 2:
		if (!vm->mem)
			return;
		id = KVM_SEV_LAUNCH_UPDATE_DATA;
		a.lu.uaddr = (uintptr_t)vm->mem;
		a.lu.len = PAGE_SZ;
		break;
	case 3:
		if (!vm->mem)
			return;
		id = KVM_SEV_DBG_DECRYPT;
		a.dbg.src_uaddr = (uintptr_t)vm->mem + 16 * rnd(w, 64);
		a.dbg.dst_uaddr = (uintptr_t)w->arena + 2 * PAGE_SZ;
		a.dbg.len = 16;
		break;
	default:
		id = KVM_SEV_SEND_CANCEL;
		break;
	}
	vm_op(w, vm, id, &a, w->sev_rw, true);
}

/* A reload happened: probe the VMs it left stale, keep some of them */
static void after_reload(struct worker *w)
{
	unsigned int done = load_gen(&st->gen_done);
	int i;

	w->seen_gen = done;
	for (i = 0; i < MAX_VMS; i++) {
		struct fvm *vm = &w->vm[i];
		struct fctx *c = vm_ctx(w, vm);

		if (vm->fd < 0 || vm->foreign || !c || c->hi >= done)
			continue;
		probe_vm(w, vm, true);
		if (chance(w, 40))
			vm_free(w, vm);
	}
	/* the old /dev/sev files answer -ENODEV: mostly reopened */
	if (chance(w, 80)) {
		if (w->sev_rw >= 0)
			close(w->sev_rw);
		if (w->sev_ro >= 0)
			close(w->sev_ro);
		w->sev_rw = open(SEV_DEV_PATH, O_RDWR);
		w->sev_ro = open(SEV_DEV_PATH, O_RDONLY);
		w->sev_gen = done;
	}
}

/*
 * A multi-MiB LAUNCH_UPDATE_DATA: over the longest physically contiguous
 * run of the THP buffer (one firmware command, which a 1 s timeout cuts
 * short in opaque memory) or over a random range of it
 */
static void op_big(struct worker *w, bool longest)
{
	struct fvm *vm = pick_vm(w);
	struct fctx *c = vm_ctx(w, vm);
	union sev_args a = {};
	unsigned long long ms, prev;
	long t;
	int r;

	if (!w->big || !vm || vm->foreign || vm->mirror)
		return;
	if ((!c || c->state != GS_LUPDATE) && !launch_start(w, vm))
		return;
	if (w->big_run >= BIG_MIN && (longest || chance(w, 50))) {
		a.lu.uaddr = (uintptr_t)w->big + w->big_off;
		a.lu.len = w->big_run;
	} else {
		a.lu.len = BIG_MIN + rnd(w, BIG_SZ - BIG_MIN);
		a.lu.len &= ~(PAGE_SZ - 1);
		a.lu.uaddr = (uintptr_t)w->big +
			     (rnd(w, BIG_SZ - a.lu.len) & ~(PAGE_SZ - 1));
	}
	t = now_ms();
	r = vm_op(w, vm, KVM_SEV_LAUNCH_UPDATE_DATA, &a, w->sev_rw, false);
	ms = now_ms() - t;
	__atomic_add_fetch(&st->big, 1, __ATOMIC_RELAXED);
	if (r == -ETIMEDOUT)
		__atomic_add_fetch(&st->big_timeouts, 1, __ATOMIC_RELAXED);
	prev = st->big_max_ms;
	while (ms > prev &&
	       !__atomic_compare_exchange_n(&st->big_max_ms, &prev, ms, false,
					    __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
}

/* Cheap calls in a burst: GUEST_STATUS checked, PLATFORM_STATUS, junk */
static void op_fast(struct worker *w)
{
	unsigned int i, n = 1 + rnd(w, 16);
	struct sev_user_data_status ps;
	struct kvm_sev_cmd c = {};

	for (i = 0; i < n; i++) {
		struct fvm *vm = pick_vm(w);

		__atomic_add_fetch(&st->fast_calls, 1, __ATOMIC_RELAXED);
		switch (rnd(w, 8)) {
		case 0: case 1: case 2: case 3: case 4:
			if (vm && vm->ctx >= 0 && !vm->foreign)
				probe_vm(w, vm, false);
			else
				count_call(__sev_ioctl(w->sev_ro,
						       SEV_PLATFORM_STATUS,
						       &ps, NULL));
			break;
		case 5:
			c.id = chance(w, 50) ? KVM_SEV_NR_MAX + rnd(w, 64) :
					       KVM_SEV_GUEST_STATUS;
			c.data = chance(w, 50) ? 0 : KERNEL_PTR;
			xioctl(vm ? vm->fd : w->kvm, KVM_MEMORY_ENCRYPT_OP, &c);
			break;
		case 6:
			xioctl(vm ? vm->fd : w->kvm, KVM_MEMORY_ENCRYPT_OP,
			       w->guard);
			break;
		default:
			count_call(__sev_ioctl(w->sev_rw, SEV_MAX + rnd(w, 64),
					       w->guard, NULL));
			break;
		}
	}
}

static void worker_ops(struct worker *w, unsigned long n, long deadline)
{
	unsigned long i;

	for (i = 0; i < n && now_ms() < deadline; i++) {
		unsigned int r = rnd(w, 100);

		w->seq++;
		__atomic_add_fetch(&st->ops, 1, __ATOMIC_RELAXED);
		if (load_gen(&st->gen_done) != w->seen_gen)
			after_reload(w);
		if (load_gen(&st->big_now) != w->seen_big) {
			w->seen_big = load_gen(&st->big_now);
			op_big(w, true);
		}
		if (w->fast && rnd(w, 100) < w->fast)
			op_fast(w);
		else if (r < 38)
			op_sev_cmd(w);
		else if (r < 50)
			op_dev_cmd(w);
		else if (r < 59)
			op_vm_create(w);
		else if (r < 63)
			op_vm_destroy(w);
		else if (r < 70)
			op_region(w);
		else if (r < 74)
			op_vcpu(w);
		else if (r < 79)
			op_cap(w);
		else if (r < 81)
			op_unmap(w);
		else if (r < 83)
			op_reopen(w);
		else if (r < 86)
			op_fork(w);
		else if (r < 93)
			op_launch(w);
		else if (r < 96)
			probe_vm(w, &w->vm[rnd(w, MAX_VMS)], false);
		else if (r < 98)
			op_big(w, false);
		else if (w->faults)
			op_fault(w);
		watch_tick(w);
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
		struct fctx *c = vm_ctx(w, vm);
		long handle, asid;
		bool found = false;
		struct span e;

		/* a stale VM's handle is no longer the firmware's */
		if (vm->fd < 0 || vm->foreign || !c)
			continue;
		span_begin(&e);
		snprintf(path, sizeof(path), DEBUGFS "/kvm/%d-%d/sev/info",
			 getpid(), vm->fd);
		if (!debugfs_read(path, buf, sizeof(buf)) ||
		    strncmp(buf, "handle:", 7))
			continue;	/* not an SEV VM */
		handle = strtol(buf + 7, NULL, 0);
		line = strstr(buf, "\nasid:");
		asid = line ? strtol(line + 6, NULL, 0) : -1;
		/* <pid>-<fd> may still name an older VM that a mirror holds */
		if (!handle || handle != c->handle)
			continue;
		if (!debugfs_read(EMU_DIR "/guests", buf, sizeof(buf)))
			continue;	/* being reloaded */
		span_end(&e);
		if (ctx_fate(c, &e) != LIVE)
			continue;
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

static void worker_setup(struct worker *w, uint64_t seed, unsigned int idx,
			 bool big)
{
	int fd, i;
	ssize_t n;

	memset(w, 0, sizeof(*w));
	w->rng = (seed ^ (0x9e3779b97f4a7c15ULL * (idx + 1))) | 1;
	w->kvm = kvm_open();
	w->sev_rw = sev_open(O_RDWR);
	w->sev_ro = sev_open(O_RDONLY);
	w->sev_gen = load_gen(&st->gen_done);
	w->seen_gen = w->sev_gen;
	for (i = 0; i < MAX_VMS; i++) {
		w->vm[i].fd = -1;
		w->vm[i].ctx = -1;
	}
	for (i = 0; i < MAX_VMS * MAX_VCPUS; i++)
		w->vm[i / MAX_VCPUS].vcpu[i % MAX_VCPUS] = -1;
	w->arena = mmap(NULL, ARENA_SZ + PAGE_SZ, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(w->arena != MAP_FAILED, "mmap");
	w->guard = w->arena + ARENA_SZ;
	TEST_ASSERT(!mprotect(w->guard, PAGE_SZ, PROT_NONE), "mprotect");

	/* transparent huge pages: runs of physically contiguous memory */
	if (big) {
		uint8_t *p = mmap(NULL, BIG_SZ + (2UL << 20),
				  PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		TEST_ASSERT(p != MAP_FAILED, "mmap");
		w->big = (uint8_t *)(((uintptr_t)p + (2UL << 20) - 1) &
				     ~((2UL << 20) - 1));
		madvise(w->big, BIG_SZ, MADV_HUGEPAGE);
		for (i = 0; i < (int)(BIG_SZ / 8); i++)
			((uint64_t *)w->big)[i] = rnd64(w);
		w->big_run = phys_longest_run(w->big, BIG_SZ, &w->big_off);
		if (w->big_run > st->big_run_max)
			st->big_run_max = w->big_run;
	}

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

struct opts {
	uint64_t seed;
	unsigned long ops;
	unsigned long procs;
	unsigned long secs;
	unsigned int fast;
	bool faults;
	bool chaos;
	bool big;
};

static void worker_main(const struct opts *o, unsigned int idx, long deadline)
{
	struct worker w;
	int i;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	worker_setup(&w, o->seed, idx, o->big);
	w.faults = o->faults;
	w.chaos = o->chaos;
	w.fast = o->fast;
	__atomic_add_fetch(&st->workers_ready, 1, __ATOMIC_RELEASE);
	worker_ops(&w, (o->ops + o->procs - 1) / o->procs, deadline);
	/* the last watches a while later: nothing may still write them */
	usleep(500000);
	watch_all(&w, "at the end");
	check_consistency(&w);
	for (i = 0; i < MAX_VMS; i++)
		vm_free(&w, &w.vm[i]);
	__atomic_add_fetch(&st->workers_done, 1, __ATOMIC_RELAXED);
	exit(0);
}

/* ---- the parent: reloads, timeouts, stop_on_abort=N (--chaos) ---- */

struct chaos {
	uint64_t rng;
	int timeout0;		/* psp_cmd_timeout before the run */
	int timeout;
	bool opaque;
	bool noabort;
	struct quarantine_counts q0;	/* when stop_on_abort became N */
};

static uint32_t crnd(struct chaos *ch, uint32_t n)
{
	ch->rng ^= ch->rng >> 12;
	ch->rng ^= ch->rng << 25;
	ch->rng ^= ch->rng >> 27;
	return n ? (ch->rng * 0x2545f4914f6cdd1dULL) % n : 0;
}

static bool psp_dead_now(void)
{
	char buf[16];

	return debugfs_read(PSP_DEAD_FILE, buf, sizeof(buf)) && buf[0] == 'Y';
}

/* A timeout while stop_on_abort was N: the driver quarantined it */
static void chaos_check_quarantine(struct chaos *ch)
{
	struct quarantine_counts q;

	quarantine_counts(&q);
	if (q.psp_cmds > ch->q0.psp_cmds && q.psp_active > 0) {
		st->q_checked++;
		return;
	}
	st->q_bad++;
	printf("# QUARANTINE: a command timed out while stop_on_abort was N,");
	printf(" but sev-psp/quarantine has commands %ld -> %ld, active %ld\n",
	       ch->q0.psp_cmds, q.psp_cmds, q.psp_active);
	fflush(stdout);
}

/* A new firmware instance under the workers' live VMs */
static void chaos_reload(struct chaos *ch, bool dead, bool opaque)
{
	struct quarantine_counts q;

	struct fault_counts fc;

	if (dead && ch->noabort)
		chaos_check_quarantine(ch);
	/* the injected faults of this instance, before they are gone */
	if (!access(FAULT_FILE, R_OK)) {
		fault_counts(&fc);
		st->injected += fault_total(&fc);
	}
	ch->opaque = opaque;
	__atomic_add_fetch(&st->gen_started, 1, __ATOMIC_ACQ_REL);
	if (emu_try_reload(opaque ? "mem_mode=opaque" :
				    "mem_mode=transparent"))
		st->reload_failed++;
	__atomic_store_n(&st->noabort, 0, __ATOMIC_RELEASE);
	__atomic_add_fetch(&st->gen_done, 1, __ATOMIC_ACQ_REL);
	if (ch->noabort) {
		/* the unloaded firmware stopped its commands: quiet again */
		quarantine_counts(&q);
		if (q.psp_active) {
			st->q_bad++;
			printf("# QUARANTINE: still %ld quarantined mailboxes after the reload\n",
			       q.psp_active);
		}
	}
	ch->noabort = false;
	st->reloads++;
	st->reloads_dead += dead;
	st->opaque_epochs += opaque;
}

/* Every 1-4 s: a timeout, a reload, stop_on_abort, a hang or long delay */
static void chaos_epoch(struct chaos *ch)
{
	static const uint16_t cmds[] = { 0x031, 0x031, 0x033, 0x023, 0x035,
					 0x060, 0x061, 0x041, 0x051, 0x004,
					 0x008 };
	int t;

	switch (crnd(ch, 4)) {
	case 0:
	case 1:
		t = 1;
		break;
	case 2:
		t = 2 + crnd(ch, 4);
		break;
	default:
		t = ch->timeout0;
		break;
	}
	if (t != ch->timeout) {
		/*
		 * A hang or long delay armed under a short timeout and not
		 * yet consumed would hold a worker for the whole default
		 * timeout (100 s) once the timeout is raised: disarm first.
		 */
		if (t > ch->timeout && ch->timeout <= 2)
			file_write(FAULT_FILE, "clear");
		psp_set_timeout(t);
		ch->timeout = t;
		st->timeout_changes++;
	}
	if (crnd(ch, 100) < 70)
		chaos_reload(ch, false, crnd(ch, 100) < 50);
	if (!ch->noabort && crnd(ch, 100) < 20) {
		quarantine_counts(&ch->q0);
		__atomic_store_n(&st->noabort, 1, __ATOMIC_RELEASE);
		if (file_write(EMU_STOP_ON_ABORT, "N")) {
			__atomic_store_n(&st->noabort, 0, __ATOMIC_RELEASE);
		} else {
			ch->noabort = true;
			st->noabort_epochs++;
			/* dead before N was set: not this epoch's timeout */
			if (psp_dead_now())
				chaos_reload(ch, false, ch->opaque);
		}
	}
	/* opaque memory and a short timeout: commands longer than it */
	if (ch->timeout <= 2 && ch->opaque && crnd(ch, 100) < 60)
		__atomic_add_fetch(&st->big_now, 1, __ATOMIC_RELEASE);
	if (ch->timeout <= 2 && crnd(ch, 100) < 40) {
		char line[64];

		if (crnd(ch, 2))
			snprintf(line, sizeof(line), "hang 1 %#x",
				 cmds[crnd(ch, ARRAY_SIZE(cmds))]);
		else
			snprintf(line, sizeof(line), "delay 1 %u %#x",
				 ch->timeout * 1000 + 200 + crnd(ch, 2000),
				 cmds[crnd(ch, ARRAY_SIZE(cmds))]);
		if (!file_write(FAULT_FILE, line))
			st->faults++;
	}
}

/*
 * One unstoppable timeout, alone: LAUNCH_UPDATE_DATA of 16 pages held
 * past a 1 s timeout with stop_on_abort=N. The driver must count one
 * quarantined command, KVM must keep the 16 pins (also after the VM is
 * gone), and the reload must end the quarantine.
 */
static bool quarantine_episode(void)
{
	const unsigned long npages = 16, len = npages * PAGE_SZ;
	struct kvm_sev_launch_update_data lu = {};
	struct kvm_sev_launch_start ls = {};
	struct quarantine_counts q0, q1, q2;
	long pins0, pins1, pins2;
	unsigned long i, changed = 0;
	uint8_t *buf, *copy;
	struct vm *vm;
	int sev, old, r;
	bool ok;

	if (emu_try_reload("mem_mode=opaque"))
		return false;
	sev = sev_open(O_RDWR);
	vm = sev_vm_create();
	sev_vm_ioctl(vm->fd, KVM_SEV_LAUNCH_START, &ls, sev);
	buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	copy = malloc(len);
	TEST_ASSERT(buf != MAP_FAILED && copy, "mmap");
	memset(buf, 0x5a, len);

	quarantine_counts(&q0);
	pins0 = sys_pinned_pages();
	old = psp_set_timeout(1);
	TEST_ASSERT(!file_write(EMU_STOP_ON_ABORT, "N"), "write %s",
		    EMU_STOP_ON_ABORT);
	fault_arm("delay 1 2500 %#x", LUD_CMD);
	lu.uaddr = (uintptr_t)buf;
	lu.len = len;
	r = __sev_vm_ioctl(vm->fd, KVM_SEV_LAUNCH_UPDATE_DATA, &lu, sev, 0,
			   NULL);
	memcpy(copy, buf, len);
	quarantine_counts(&q1);
	pins1 = sys_pinned_pages();
	psp_set_timeout(old);
	/* the command runs on, as a hardware PSP's may */
	usleep(3000000);
	for (i = 0; i < npages; i++)
		changed += !!memcmp(copy + i * PAGE_SZ, buf + i * PAGE_SZ,
				    PAGE_SZ);
	vm_destroy(vm);
	close(sev);
	munmap(buf, len);
	free(copy);
	usleep(200000);
	pins2 = sys_pinned_pages();
	ok = !emu_try_reload("mem_mode=transparent");
	quarantine_counts(&q2);
	tap_diag("quarantine: LAUNCH_UPDATE_DATA returned %d; sev-psp commands %ld -> %ld",
		 r, q0.psp_cmds, q1.psp_cmds);
	tap_diag("quarantine: active %ld -> %ld -> %ld (reloaded), KVM pages %ld -> %ld",
		 q0.psp_active, q1.psp_active, q2.psp_active, q0.kvm_pages,
		 q1.kvm_pages);
	tap_diag("quarantine: pins +%ld, +%ld after the VM was destroyed",
		 pins1 - pins0, pins2 - pins0);
	tap_diag("quarantine: the unstopped command wrote %lu of %lu pages after the return",
		 changed, npages);
	return ok && r == -ETIMEDOUT && q1.psp_cmds == q0.psp_cmds + 1 &&
	       q1.psp_active >= 1 && !q2.psp_active &&
	       q1.kvm_pages == q0.kvm_pages + (long)npages &&
	       pins1 - pins0 == (long)npages && pins2 - pins0 == (long)npages;
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
	fprintf(stderr, "%s [--seed S] [--ops N] [--procs P] [--time T]", prog);
	fprintf(stderr, " [--faults] [--chaos] [--big] [--fast PCT]\n");
	exit(2);
}

static void parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "ops", required_argument, NULL, 'n' },
		{ "procs", required_argument, NULL, 'p' },
		{ "time", required_argument, NULL, 't' },
		{ "faults", no_argument, NULL, 'f' },
		{ "chaos", no_argument, NULL, 'c' },
		{ "big", no_argument, NULL, 'b' },
		{ "fast", required_argument, NULL, 'F' },
		{}
	};
	int opt;

	*o = (struct opts){
		.seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32),
		.ops = 2000, .procs = 4, .secs = 60,
	};
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 's':
			o->seed = strtoull(optarg, NULL, 0);
			break;
		case 'n':
			o->ops = strtoul(optarg, NULL, 0);
			break;
		case 'p':
			o->procs = strtoul(optarg, NULL, 0);
			break;
		case 't':
			o->secs = strtoul(optarg, NULL, 0);
			break;
		case 'f':
			o->faults = true;
			break;
		case 'c':
			o->chaos = true;
			break;
		case 'b':
			o->big = true;
			break;
		case 'F':
			o->fast = strtoul(optarg, NULL, 0);
			break;
		default:
			print_usage(argv[0]);
		}
	}
	if (!o->procs || o->procs > 64 || o->fast > 100)
		print_usage(argv[0]);
}

/* Wait for the workers; with --chaos, change the platform under them */
static void run_parent(const struct opts *o, struct chaos *ch, long deadline)
{
	unsigned long exited = 0;
	long next = now_ms() + 1000;
	int status;
	pid_t pid;

	while (exited < o->procs) {
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
			fflush(stdout);
			kill(0, SIGKILL);
		}
		if (o->chaos && psp_dead_now()) {
			chaos_reload(ch, true, ch->opaque);
			continue;
		}
		if (o->chaos && now_ms() >= next && now_ms() < deadline &&
		    load_gen(&st->workers_ready) == o->procs) {
			chaos_epoch(ch);
			next = now_ms() + 1000 + crnd(ch, 3000);
		}
		usleep(20000);
	}
	if (!o->chaos)
		return;
	/* as it was: timeout, transparent memory, stop_on_abort Y */
	if (ch->timeout != ch->timeout0) {
		file_write(FAULT_FILE, "clear");
		psp_set_timeout(ch->timeout0);
	}
	if (psp_dead_now() || ch->opaque || ch->noabort)
		chaos_reload(ch, psp_dead_now(), false);
}

int main(int argc, char **argv)
{
	struct fault_counts fc0 = {}, fc1 = {};
	struct quarantine_counts qa = {}, qb = {};
	unsigned long long injected;
	struct chaos ch = {};
	struct leak_snap before;
	bool quarantined = true;
	long deadline, leaked;
	unsigned long i;
	struct opts o;
	pid_t pid;

	parse_opts(argc, argv, &o);
	st = mmap(NULL, sizeof(*st), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (st == MAP_FAILED)
		tap_bail_out("mmap: %s", strerror(errno));
	memset(st, 0, sizeof(*st));

	tap_plan(8);
	tap_diag("seed %#llx ops %lu procs %lu time %lus%s%s%s fast %u%%",
		 (unsigned long long)o.seed, o.ops, o.procs, o.secs,
		 o.faults ? " faults" : "", o.chaos ? " chaos" : "",
		 o.big ? " big" : "", o.fast);
	if ((o.faults || o.chaos) && file_write(FAULT_FILE, "clear"))
		tap_bail_out("%s not writable", FAULT_FILE);
	if (psp_dead())
		tap_bail_out("the PSP is latched dead before the run");
	if (o.faults || o.chaos)
		fault_counts(&fc0);
	if (o.chaos) {
		ch.rng = (o.seed * 0x9e3779b97f4a7c15ULL) | 1;
		ch.timeout0 = psp_get_timeout();
		ch.timeout = ch.timeout0;
		quarantine_counts(&qa);
	}
	leak_snap(&before);

	deadline = now_ms() + o.secs * 1000;
	fflush(stdout);
	for (i = 0; i < o.procs; i++) {
		pid = fork();
		if (pid < 0)
			tap_bail_out("fork: %s", strerror(errno));
		if (!pid)
			worker_main(&o, i, deadline);
	}
	run_parent(&o, &ch, deadline);
	if (o.faults || o.chaos) {
		file_write(FAULT_FILE, "clear");
		fault_counts(&fc1);
	}
	if (o.chaos) {
		quarantined = quarantine_episode();
		quarantine_counts(&qb);
	}

	tap_diag("calls %llu (succeeded %llu, cheap %llu) ops %llu VMs %llu forks %llu kills %llu",
		 st->calls, st->ok, st->fast_calls, st->ops, st->vms,
		 st->forks, st->kills);
	injected = st->injected + fault_total(&fc1) - fault_total(&fc0);
	tap_diag("fault rules armed %llu, faults injected %llu", st->faults,
		 injected);
	tap_diag("reloads %llu (%llu after a timeout, %llu opaque, %llu failed)",
		 st->reloads, st->reloads_dead, st->opaque_epochs,
		 st->reload_failed);
	tap_diag("timeout changes %llu, timeouts %llu, stop_on_abort=N %llu times (%llu checked)",
		 st->timeout_changes, st->timeouts, st->noabort_epochs,
		 st->q_checked);
	tap_diag("big commands %llu (%llu timed out, longest %llu ms)",
		 st->big, st->big_timeouts, st->big_max_ms);
	tap_diag("longest physically contiguous run %llu KiB",
		 st->big_run_max >> 10);
	tap_diag("watches %llu, verified %llu, exempt (unstoppable timeouts) %llu",
		 st->watches, st->verified, st->exempt);
	tap_diag("stale-VM commands %llu (%llu probes); live GUEST_STATUS checks %llu",
		 st->stale_cmds, st->stale_probes, st->status_checks);
	print_coverage();
	tap_result(st->workers_done == o.procs, "workers: %llu of %lu finished",
		   st->workers_done, o.procs);
	tap_result(!st->inconsistent,
		   "KVM and firmware agree on live guests (%llu mismatches)",
		   st->inconsistent);
	/* faults never latch it dead for good: the parent reloads */
	tap_result(!psp_dead() && st->ok, "PSP alive, %llu calls succeeded",
		   st->ok);
	leaked = leak_check_kept(&before, qb.kvm_pages - qa.kvm_pages, "fuzz");
	tap_result(!leaked, "nothing leaked after every process exited");
	tap_result(!st->late,
		   "no page changed after its ioctl returned (%llu of %llu checks)",
		   st->late, st->verified);
	tap_result(!st->stale_bad,
		   "no stale VM reached a guest after %llu reloads (%llu of %llu commands)",
		   st->reloads, st->stale_bad, st->stale_cmds);
	tap_result(!st->status_bad,
		   "GUEST_STATUS of live VMs matched their own commands (%llu of %llu)",
		   st->status_bad, st->status_checks);
	tap_result(quarantined && !st->q_bad,
		   "unstoppable timeouts were quarantined (%llu checked, %llu bad)%s",
		   st->q_checked + (o.chaos && quarantined), st->q_bad,
		   o.chaos ? "" : " (no --chaos)");
	printf("# summary: calls %llu faults %llu reloads %llu kills %llu",
	       st->calls, injected, st->reloads, st->kills);
	printf(" timeouts %llu violations %llu leaks %ld\n", st->timeouts,
	       st->late + st->stale_bad + st->status_bad + st->q_bad, leaked);
	return tap_finish();
}
