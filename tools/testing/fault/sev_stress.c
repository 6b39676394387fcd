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
 *   sev_stress [--seed S] [--procs P] [--time T]
 *
 * Calls may fail while the platform is down; what must hold: every error
 * is one the ABI allows (-EIO with a firmware status, -EBUSY, -EINVAL,
 * -ENOTTY, ...; never -EFAULT or an unknown errno), each client's view of
 * its guests matches the firmware's guest table, and once every process
 * exited no firmware guest, ASID or pinned page is left.
 */

#include <getopt.h>
#include <sys/prctl.h>
#include "fault_util.h"

#define SESSION_LEN	0x80
#define HDR_LEN		0x34
#define MAX_CLIENTS	32

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
};

static struct stats *st;
static uint64_t rng;

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
	default:
		printf("# pid %d: %s: unexpected %s\n", getpid(), what,
		       strerror(-r));
		inc(&st->unexpected);
		return r;
	}
}

static int sev_op(struct vm *vm, uint32_t id, void *data, int sev)
{
	struct kvm_sev_cmd c;

	return check_err(__sev_vm_ioctl(vm->fd, id, data, sev, 0, &c),
			 kvm_sev_name(id));
}

static struct vm *vm_new(bool sev_init, bool with_mem)
{
	struct vm *vm = vm_create();
	struct kvm_enc_region reg;

	if (with_mem) {
		vm_add_memory(vm);
		memset(vm->mem, 0x3c, GUEST_MEM_SIZE);
	}
	if (sev_init && sev_op(vm, KVM_SEV_INIT, NULL, -1))
		return vm;
	if (with_mem && sev_init) {
		reg.addr = (uintptr_t)vm->mem;
		reg.size = GUEST_MEM_SIZE;
		check_err(__kvm_ioctl(vm->fd, KVM_MEMORY_ENCRYPT_REG_REGION,
				      &reg), "REG_REGION");
	}
	return vm;
}

/* A launched guest in the RUNNING state, or NULL */
static struct vm *launch(int sev)
{
	struct kvm_sev_launch_update_data lu = { .len = 2 * PAGE_SZ };
	struct kvm_sev_launch_start ls = {};
	struct kvm_sev_launch_measure lm = {};
	uint8_t mbuf[48];
	struct vm *vm = vm_new(true, true);

	lu.uaddr = (uintptr_t)vm->mem;
	lm.uaddr = (uintptr_t)mbuf;
	lm.len = sizeof(mbuf);
	if (sev_op(vm, KVM_SEV_LAUNCH_START, &ls, sev) ||
	    sev_op(vm, KVM_SEV_LAUNCH_UPDATE_DATA, &lu, sev) ||
	    sev_op(vm, KVM_SEV_LAUNCH_MEASURE, &lm, sev) ||
	    sev_op(vm, KVM_SEV_LAUNCH_FINISH, NULL, sev)) {
		vm_destroy(vm);
		return NULL;
	}
	inc(&st->launched);
	return vm;
}

/* KVM's handle/ASID of @vm against the firmware's guest table */
static void check_vm(struct vm *vm)
{
	char path[256], buf[65536], *line;
	unsigned int fh, fa;
	long handle, asid;
	bool found = false;

	vm_debugfs_path(vm, "info", path, sizeof(path));
	if (!debugfs_read(path, buf, sizeof(buf)) || strncmp(buf, "handle:", 7))
		return;
	handle = strtol(buf + 7, NULL, 0);
	line = strstr(buf, "\nasid:");
	asid = line ? strtol(line + 6, NULL, 0) : -1;
	if (!handle)
		return;
	TEST_ASSERT(debugfs_read(EMU_DIR "/guests", buf, sizeof(buf)),
		    "read sev-emu/guests");
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
		if (sscanf(line, "%u %u", &fh, &fa) == 2 && fh == handle) {
			found = true;
			break;
		}
	if (!found || fa != asid) {
		printf("# pid %d: KVM handle %ld ASID %ld, firmware %s %u\n",
		       getpid(), handle, asid, found ? "ASID" : "lacks it", fa);
		inc(&st->inconsistent);
	}
}

static void destroy(struct vm *vm)
{
	check_vm(vm);
	vm_destroy(vm);
	inc(&st->destroyed);
}

/* SEND to this platform's current PDH, RECEIVE into a new VM */
static struct vm *migrate(struct vm *src, int sev)
{
	struct kvm_sev_send_start ss = {};
	struct kvm_sev_receive_start rs = {};
	struct sev_user_data_pdh_cert_export ex = {};
	static uint8_t pdh[SEV_CERT_LEN], chain[SEV_CHAIN_LEN], amd[0x1000];
	uint8_t session[SESSION_LEN], hdr[HDR_LEN];
	static uint8_t trans[PAGE_SZ];
	struct vm *dst;
	ssize_t amd_len;
	int fd, r;

	ex.pdh_cert_address = (uintptr_t)pdh;
	ex.pdh_cert_len = SEV_CERT_LEN;
	ex.cert_chain_address = (uintptr_t)chain;
	ex.cert_chain_len = SEV_CHAIN_LEN;
	if (check_err(__sev_ioctl(sev, SEV_PDH_CERT_EXPORT, &ex, NULL),
		      "PDH_CERT_EXPORT"))
		return NULL;
	fd = open(EMU_DIR "/ask_ark.cert", O_RDONLY);
	amd_len = fd >= 0 ? read(fd, amd, sizeof(amd)) : -1;
	if (fd >= 0)
		close(fd);
	if (amd_len <= 0)
		return NULL;

	ss.pdh_cert_uaddr = (uintptr_t)pdh;
	ss.pdh_cert_len = SEV_CERT_LEN;
	ss.plat_certs_uaddr = (uintptr_t)chain;
	ss.plat_certs_len = SEV_CHAIN_LEN;
	ss.amd_certs_uaddr = (uintptr_t)amd;
	ss.amd_certs_len = amd_len;
	ss.session_uaddr = (uintptr_t)session;
	ss.session_len = sizeof(session);
	if (sev_op(src, KVM_SEV_SEND_START, &ss, sev))
		return NULL;

	dst = vm_new(true, true);
	rs.pdh_uaddr = (uintptr_t)pdh;
	rs.pdh_len = SEV_CERT_LEN;
	rs.session_uaddr = (uintptr_t)session;
	rs.session_len = sizeof(session);
	r = sev_op(dst, KVM_SEV_RECEIVE_START, &rs, sev);

	/* one page over, then finish (or cancel) the send */
	if (!r) {
		struct kvm_sev_send_update_data su = {
			.hdr_uaddr = (uintptr_t)hdr, .hdr_len = HDR_LEN,
			.guest_uaddr = (uintptr_t)src->mem,
			.guest_len = PAGE_SZ,
			.trans_uaddr = (uintptr_t)trans, .trans_len = PAGE_SZ,
		};
		struct kvm_sev_receive_update_data ru = {
			.hdr_uaddr = (uintptr_t)hdr, .hdr_len = HDR_LEN,
			.guest_uaddr = (uintptr_t)dst->mem,
			.guest_len = PAGE_SZ,
			.trans_uaddr = (uintptr_t)trans, .trans_len = PAGE_SZ,
		};

		r = sev_op(src, KVM_SEV_SEND_UPDATE_DATA, &su, sev);
		if (!r)
			r = sev_op(dst, KVM_SEV_RECEIVE_UPDATE_DATA, &ru, sev);
	}
	if (r) {
		sev_op(src, KVM_SEV_SEND_CANCEL, NULL, sev);
		destroy(dst);
		return NULL;
	}
	inc(&st->sent);
	sev_op(src, KVM_SEV_SEND_FINISH, NULL, sev);
	if (sev_op(dst, KVM_SEV_RECEIVE_FINISH, NULL, sev)) {
		destroy(dst);
		return NULL;
	}
	inc(&st->received);
	return dst;
}

/* KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM into a fresh VM */
static struct vm *move(struct vm *src)
{
	struct vm *dst = vm_new(false, true);

	if (check_err(__vm_enable_cap(dst->fd, KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM,
				      src->fd), "MOVE_ENC_CONTEXT_FROM")) {
		vm_destroy(dst);
		return NULL;
	}
	inc(&st->moved);
	return dst;
}

static void client(uint64_t seed, long deadline)
{
	int sev = sev_open(O_RDWR);
	struct vm *vm, *next;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	rng = seed | 1;
	while (now_ms() < deadline) {
		vm = launch(sev);
		if (!vm) {
			usleep(rnd(5000));
			continue;
		}
		switch (rnd(4)) {
		case 0:
			next = migrate(vm, sev);
			break;
		case 1:
			next = move(vm);
			break;
		case 2: {
			struct vm *m = vm_new(false, false);
			int r = __vm_enable_cap(m->fd,
						KVM_CAP_VM_COPY_ENC_CONTEXT_FROM,
						vm->fd);

			if (!check_err(r, "COPY_ENC_CONTEXT_FROM"))
				inc(&st->mirrored);
			/* the owner goes first: the mirror keeps it alive */
			destroy(vm);
			vm = NULL;
			next = m;
			break;
		}
		default:
			next = NULL;
			break;
		}
		if (vm)
			destroy(vm);
		if (next)
			destroy(next);
	}
	close(sev);
	exit(0);
}

/* Shut the platform down and bring it back, over and over */
static void platform(long deadline)
{
	int sev = sev_open(O_RDWR);
	uint8_t csr[SEV_CERT_LEN];
	struct sev_user_data_pek_csr c = {
		.address = (uintptr_t)csr,
		.length = sizeof(csr),
	};
	int r;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	while (now_ms() < deadline) {
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
	close(sev);
	exit(0);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "procs", required_argument, NULL, 'p' },
		{ "time", required_argument, NULL, 't' },
		{}
	};
	unsigned long procs = 6, secs = 30, i;
	uint64_t seed = (uint64_t)time(NULL);
	pid_t clients[MAX_CLIENTS], plat;
	struct leak_snap before;
	long deadline, leaked;
	int opt, status, sev;

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
		default:
			fprintf(stderr, "usage: %s [--seed S] [--procs P] [--time T]\n",
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
	rng = seed | 1;

	tap_plan(4);
	tap_diag("seed %#llx clients %lu time %lus", (unsigned long long)seed,
		 procs, secs);
	if (psp_dead())
		tap_bail_out("the PSP is latched dead before the run");
	leak_snap(&before);
	deadline = now_ms() + secs * 1000;
	fflush(stdout);

	plat = fork();
	if (!plat)
		platform(deadline);
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

	tap_diag("calls %llu; guests launched %llu, destroyed %llu",
		 st->calls, st->launched, st->destroyed);
	tap_diag("sent %llu, received %llu, moved %llu, mirrored %llu",
		 st->sent, st->received, st->moved, st->mirrored);
	tap_diag("platform: %llu shutdowns (FACTORY_RESET), %llu refused",
		 st->resets, st->reset_busy);
	tap_diag("%llu re-inits; %llu clients, %llu killed", st->reinits,
		 st->clients, st->kills);
	tap_result(WIFEXITED(status) && !WEXITSTATUS(status) &&
		   st->launched > 0, "guests launched while the platform cycled");
	tap_result(!st->unexpected, "only ABI errors (%llu unexpected)",
		   st->unexpected);
	tap_result(!st->inconsistent, "KVM and firmware agree (%llu mismatches)",
		   st->inconsistent);
	leaked = leak_check(&before, "stress");
	tap_result(!leaked, "nothing leaked after every process exited");

	/* and the platform still works */
	sev = sev_open(O_RDWR);
	sev_ioctl(sev, SEV_PDH_GEN, NULL);
	close(sev);
	return tap_finish();
}
