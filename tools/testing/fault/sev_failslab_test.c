// SPDX-License-Identifier: GPL-2.0-only
/*
 * Allocation failures in the ioctl paths (failslab, fail-nth): each call
 * below is repeated with its 1st, 2nd, ... slab allocation in this task
 * failing until one run needs no more; every run must end in success or a
 * clean error (-ENOMEM, or -EIO with a firmware status), and each case
 * must leave no firmware guest, ASID or pinned page behind.
 *
 * Needs a kernel with CONFIG_FAILSLAB and CONFIG_FAULT_INJECTION_DEBUG_FS
 * (the debug kernel); the distribution's kernel has neither, and the test
 * bails out there.
 */

#include "fault_util.h"

#define FAILSLAB	DEBUGFS "/failslab"
#define MAX_NTH		200

/* One allocation-failure run: fail the @nth allocation of @fn() */
typedef int (*call_fn)(int sev, struct vm *vm);

static int fail_nth_fd = -1;

static void failslab_setup(void)
{
	/* GFP_KERNEL allocations too; no probability, only fail-nth */
	TEST_ASSERT(!file_write(FAILSLAB "/ignore-gfp-wait", "N"),
		    "failslab/ignore-gfp-wait");
	TEST_ASSERT(!file_write(FAILSLAB "/probability", "0"),
		    "failslab/probability");
	file_write(FAILSLAB "/verbose", "0");
	fail_nth_fd = open("/proc/thread-self/fail-nth", O_RDWR);
	TEST_ASSERT(fail_nth_fd >= 0, "/proc/thread-self/fail-nth: %s",
		    strerror(errno));
}

static void fail_nth_arm(unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	TEST_ASSERT(pwrite(fail_nth_fd, buf, len, 0) == len, "fail-nth: %s",
		    strerror(errno));
}

/* True if the armed failure was consumed (an allocation failed) */
static bool fail_nth_fired(void)
{
	char buf[16] = "";

	TEST_ASSERT(pread(fail_nth_fd, buf, sizeof(buf) - 1, 0) > 0,
		    "read fail-nth");
	fail_nth_arm(0);
	return atoi(buf) == 0;
}

static struct vm *plain_vm(bool sev)
{
	struct vm *vm = vm_create();

	vm_add_memory(vm);
	if (sev)
		sev_vm_ioctl(vm->fd, KVM_SEV_INIT, NULL, -1);
	return vm;
}

static int call_dev_export(int sev, struct vm *vm)
{
	static uint8_t pdh[SEV_CERT_LEN], chain[SEV_CHAIN_LEN];
	struct sev_user_data_pdh_cert_export ex = {
		.pdh_cert_address = (uintptr_t)pdh,
		.pdh_cert_len = sizeof(pdh),
		.cert_chain_address = (uintptr_t)chain,
		.cert_chain_len = sizeof(chain),
	};

	(void)vm;	/* not needed here */
	return __sev_ioctl(sev, SEV_PDH_CERT_EXPORT, &ex, NULL);
}

static int call_dev_csr(int sev, struct vm *vm)
{
	static uint8_t csr[SEV_CERT_LEN];
	struct sev_user_data_pek_csr c = {
		.address = (uintptr_t)csr,
		.length = sizeof(csr),
	};

	(void)vm;	/* not needed here */
	return __sev_ioctl(sev, SEV_PEK_CSR, &c, NULL);
}

static int call_dev_id2(int sev, struct vm *vm)
{
	static uint8_t id[SEV_ID_LEN];
	struct sev_user_data_get_id2 a = {
		.address = (uintptr_t)id,
		.length = sizeof(id),
	};

	(void)vm;	/* not needed here */
	return __sev_ioctl(sev, SEV_GET_ID2, &a, NULL);
}

static int call_kvm_init(int sev, struct vm *vm)
{
	(void)sev;	/* not needed here */
	return __sev_vm_ioctl(vm->fd, KVM_SEV_INIT, NULL, -1, 0, NULL);
}

static int call_kvm_region(int sev, struct vm *vm)
{
	(void)sev;	/* not needed here */
	return __vm_enc_region(vm->fd, KVM_MEMORY_ENCRYPT_REG_REGION, vm->mem,
			       GUEST_MEM_SIZE);
}

static int call_kvm_start(int sev, struct vm *vm)
{
	struct kvm_sev_launch_start ls = {};

	return __sev_vm_ioctl(vm->fd, KVM_SEV_LAUNCH_START, &ls, sev, 0, NULL);
}

static int call_kvm_update(int sev, struct vm *vm)
{
	struct kvm_sev_launch_update_data u = {
		.uaddr = (uintptr_t)vm->mem,
		.len = 4 * PAGE_SZ,
	};

	return __sev_vm_ioctl(vm->fd, KVM_SEV_LAUNCH_UPDATE_DATA, &u, sev, 0,
			      NULL);
}

static int call_kvm_measure(int sev, struct vm *vm)
{
	struct kvm_sev_launch_measure m = {};
	uint8_t buf[48];

	m.uaddr = (uintptr_t)buf;
	m.len = sizeof(buf);
	return __sev_vm_ioctl(vm->fd, KVM_SEV_LAUNCH_MEASURE, &m, sev, 0,
			      NULL);
}

/*
 * @fn runs with the Nth allocation failing, N = 1, 2, ... until a run
 * fails none, each time on a new VM (an SEV one if @vm_sev, with a launch
 * context if @started).
 */
static void sweep(const char *what, call_fn fn, bool vm_sev, bool started)
{
	struct leak_snap before;
	int sev = sev_open(O_RDWR), r;
	unsigned int n;
	bool fired;

	failslab_setup();
	leak_snap(&before);
	for (n = 1; n <= MAX_NTH; n++) {
		struct vm *vm = plain_vm(vm_sev);

		if (started) {
			struct kvm_sev_launch_start ls = {};

			sev_vm_ioctl(vm->fd, KVM_SEV_LAUNCH_START, &ls, sev);
		}
		fail_nth_arm(n);
		r = fn(sev, vm);
		fired = fail_nth_fired();
		TEST_ASSERT(!r || r == -ENOMEM || r == -EIO,
			    "%s with allocation %u failing: %s", what, n,
			    strerror(-r));
		vm_destroy(vm);
		if (!fired) {
			TEST_ASSERT_EQ(r, 0);
			break;
		}
	}
	tap_diag("%s: %u allocations failed in turn", what, n - 1);
	TEST_ASSERT(n <= MAX_NTH, "%s: still allocating after %u", what, n);
	leak_assert_none(&before, what);
	close(sev);
}

static void test_dev_export(void)
{
	sweep("PDH_CERT_EXPORT", call_dev_export, false, false);
}

static void test_dev_csr(void)
{
	sweep("PEK_CSR", call_dev_csr, false, false);
}

static void test_dev_id2(void)
{
	sweep("GET_ID2", call_dev_id2, false, false);
}

static void test_kvm_init(void)
{
	sweep("KVM_SEV_INIT", call_kvm_init, false, false);
}

static void test_kvm_region(void)
{
	sweep("REG_REGION", call_kvm_region, true, false);
}

static void test_kvm_start(void)
{
	sweep("LAUNCH_START", call_kvm_start, true, false);
}

static void test_kvm_update(void)
{
	sweep("LAUNCH_UPDATE_DATA", call_kvm_update, true, true);
}

static void test_kvm_measure(void)
{
	sweep("LAUNCH_MEASURE", call_kvm_measure, true, true);
}

static const struct sev_test tests[] = {
	{ "failslab_dev_pdh_cert_export", test_dev_export },
	{ "failslab_dev_pek_csr", test_dev_csr },
	{ "failslab_dev_get_id2", test_dev_id2 },
	{ "failslab_kvm_sev_init", test_kvm_init },
	{ "failslab_kvm_reg_region", test_kvm_region },
	{ "failslab_kvm_launch_start", test_kvm_start },
	{ "failslab_kvm_launch_update_data", test_kvm_update },
	{ "failslab_kvm_launch_measure", test_kvm_measure },
};

int main(void)
{
	if (access(FAILSLAB, F_OK) || access("/proc/thread-self/fail-nth", F_OK))
		tap_bail_out("no %s or fail-nth: no CONFIG_FAILSLAB here",
			     FAILSLAB);
	return sev_run_tests(tests, ARRAY_SIZE(tests));
}
