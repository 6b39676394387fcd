// SPDX-License-Identifier: GPL-2.0-only
/*
 * Injected firmware faults (sev-emu's debugfs "fault" file) against both
 * ioctl surfaces: for each kind of fault the caller gets a clear error
 * (errno and, where the ABI has it, the firmware status), the stack
 * recovers or latches dead as designed (and a module reload brings it
 * back), and no firmware guest, ASID or pinned page is left behind.
 *
 * Needs the project's modules (run.sh --modules=project) and $SEV_EMU_KO,
 * the sev-emu.ko to reload.
 */

#include "fault_util.h"

#define HANG_TIMEOUT_S	2	/* sev-psp's command timeout for hangs */
#define GUARD		64	/* poisoned bytes after output buffers */

static struct fault_counts counts0;

/*
 * Every case starts with nothing armed and a live PSP: one that an earlier
 * failed case left dead is reloaded, so failures do not cascade.
 */
static void start(struct leak_snap *before)
{
	fault_arm("clear");
	if (psp_dead()) {
		printf("# the PSP is dead before the test: reloading\n");
		emu_reload();
	}
	fault_counts(&counts0);
	TEST_ASSERT(!psp_dead(), "the PSP is dead before the test");
	if (before)
		leak_snap(before);
}

static void expect_injected(enum fault_kind kind, unsigned long long n)
{
	struct fault_counts c;

	fault_counts(&c);
	TEST_ASSERT_EQ(c.injected[kind] - counts0.injected[kind], n);
	TEST_ASSERT_EQ(c.armed, 0);
	TEST_ASSERT_EQ(c.held, 0);
}

static void platform_status_ok(int sev)
{
	struct sev_user_data_status st;

	sev_status(sev, &st);
	TEST_ASSERT(st.state == SEV_STATE_INIT || st.state == SEV_STATE_WORKING,
		    "state %u", st.state);
}

/* A VM with memory, a registered region and a launch context */
static struct vm *launch_started(int sev)
{
	struct kvm_sev_launch_start ls = {};
	struct vm *vm = sev_vm_create();

	vm_add_memory(vm);
	kvm_ioctl(vm->fd, KVM_MEMORY_ENCRYPT_REG_REGION,
		  (&(struct kvm_enc_region){ (uintptr_t)vm->mem,
					     GUEST_MEM_SIZE }));
	sev_vm_ioctl(vm->fd, KVM_SEV_LAUNCH_START, &ls, sev);
	return vm;
}

static void launch_finish(struct vm *vm, int sev)
{
	struct kvm_sev_launch_update_data upd = {
		.uaddr = (uintptr_t)vm->mem,
		.len = PAGE_SZ,
	};
	struct kvm_sev_launch_measure m = {};
	uint8_t mbuf[48];

	sev_vm_ioctl(vm->fd, KVM_SEV_LAUNCH_UPDATE_DATA, &upd, sev);
	m.uaddr = (uintptr_t)mbuf;
	m.len = sizeof(mbuf);
	sev_vm_ioctl(vm->fd, KVM_SEV_LAUNCH_MEASURE, &m, sev);
	sev_vm_ioctl(vm->fd, KVM_SEV_LAUNCH_FINISH, NULL, sev);
}

/* One whole launch and teardown works and leaves nothing */
static void full_launch_works(int sev)
{
	struct leak_snap before;
	struct vm *vm;

	leak_snap(&before);
	vm = launch_started(sev);
	launch_finish(vm, sev);
	vm_destroy(vm);
	leak_assert_none(&before, "a launch after the fault");
}

/* ---- fail ---- */

static void test_fail_dev_status(void)
{
	struct sev_user_data_status st;
	struct leak_snap before;
	int sev = sev_open(O_RDWR);

	start(&before);
	fault_arm("fail 1 %#x %#x", SEV_RET_HWSEV_RET_PLATFORM, 0x004);
	sev_ioctl_fails(sev, SEV_PLATFORM_STATUS, &st, EIO,
			SEV_RET_HWSEV_RET_PLATFORM);
	expect_injected(FK_FAIL, 1);
	platform_status_ok(sev);
	leak_assert_none(&before, "fail PLATFORM_STATUS");
	close(sev);
}

/* INIT failing: the status reaches the caller; SECURE_DATA_INVALID retries */
static void test_fail_dev_init(void)
{
	int sev = sev_open(O_RDWR);

	start(NULL);
	sev_factory_reset(sev);
	fault_arm("fail 1 %#x %#x", SEV_RET_HWSEV_RET_UNSAFE, 0x001);
	sev_ioctl_fails(sev, SEV_PDH_GEN, NULL, EIO, SEV_RET_HWSEV_RET_UNSAFE);
	expect_injected(FK_FAIL, 1);
	sev_expect_state(sev, SEV_STATE_UNINIT, 0);

	/* the driver retries INIT once after SECURE_DATA_INVALID */
	fault_arm("fail 1 %#x %#x", SEV_RET_SECURE_DATA_INVALID, 0x001);
	sev_ioctl(sev, SEV_PDH_GEN, NULL);
	expect_injected(FK_FAIL, 2);
	sev_expect_state(sev, SEV_STATE_INIT, 0);
	close(sev);
}

static void test_fail_kvm_launch_start(void)
{
	struct kvm_sev_launch_start ls = {};
	struct leak_snap before;
	int sev = sev_open(O_RDWR);
	struct vm *vm;

	start(&before);
	vm = sev_vm_create();
	fault_arm("fail 1 %#x %#x", SEV_RET_POLICY_FAILURE, 0x030);
	sev_vm_ioctl_fails(vm->fd, KVM_SEV_LAUNCH_START, &ls, sev, EIO,
			   SEV_RET_POLICY_FAILURE);
	expect_injected(FK_FAIL, 1);
	TEST_ASSERT_EQ(fw_guest_contexts(), before.fw_guests);
	/* the same VM can start again */
	sev_vm_ioctl(vm->fd, KVM_SEV_LAUNCH_START, &ls, sev);
	TEST_ASSERT_EQ(fw_guest_contexts(), before.fw_guests + 1);
	vm_destroy(vm);
	leak_assert_none(&before, "fail LAUNCH_START");
	close(sev);
}

/* ACTIVATE failing inside LAUNCH_START: KVM decommissions the context */
static void test_fail_kvm_activate(void)
{
	struct kvm_sev_launch_start ls = {};
	struct leak_snap before;
	int sev = sev_open(O_RDWR);
	struct vm *vm;

	start(&before);
	vm = sev_vm_create();
	fault_arm("fail 1 %#x %#x", SEV_RET_ASID_OWNED, 0x021);
	sev_vm_ioctl_fails(vm->fd, KVM_SEV_LAUNCH_START, &ls, sev, EIO,
			   SEV_RET_ASID_OWNED);
	expect_injected(FK_FAIL, 1);
	TEST_ASSERT_EQ(fw_guest_contexts(), before.fw_guests);
	TEST_ASSERT_EQ(fw_bound_asids(), before.fw_bound);
	vm_destroy(vm);
	leak_assert_none(&before, "fail ACTIVATE");
	full_launch_works(sev);
	close(sev);
}

/* LAUNCH_UPDATE_DATA failing: the pages it pinned are released */
static void test_fail_kvm_update(void)
{
	struct kvm_sev_launch_update_data upd = {};
	struct leak_snap before;
	int sev = sev_open(O_RDWR);
	long pins;
	struct vm *vm;

	start(&before);
	vm = launch_started(sev);
	pins = sys_pinned_pages();
	upd.uaddr = (uintptr_t)vm->mem;
	upd.len = 2 * PAGE_SZ;
	fault_arm("fail 1 %#x %#x", SEV_RET_INVALID_ADDRESS, 0x031);
	sev_vm_ioctl_fails(vm->fd, KVM_SEV_LAUNCH_UPDATE_DATA, &upd, sev, EIO,
			   SEV_RET_INVALID_ADDRESS);
	expect_injected(FK_FAIL, 1);
	TEST_ASSERT_EQ(sys_pinned_pages(), pins);
	launch_finish(vm, sev);
	vm_destroy(vm);
	leak_assert_none(&before, "fail LAUNCH_UPDATE_DATA");
	close(sev);
}

/* ---- delay ---- */

static void test_delay_within_timeout(void)
{
	struct leak_snap before;
	int sev = sev_open(O_RDWR);
	struct vm *vm;
	long t;

	start(&before);
	fault_arm("delay 1 300 0x4");
	t = now_ms();
	platform_status_ok(sev);
	t = now_ms() - t;
	TEST_ASSERT(t >= 300, "PLATFORM_STATUS took %ld ms", t);
	expect_injected(FK_DELAY, 1);

	/* a delayed launch completes normally */
	fault_arm("delay 1 200 0x30");
	vm = launch_started(sev);
	expect_injected(FK_DELAY, 2);
	launch_finish(vm, sev);
	vm_destroy(vm);
	TEST_ASSERT(!psp_dead(), "the PSP died");
	leak_assert_none(&before, "delay");
	close(sev);
}

/* ---- corrupt ---- */

/* Output lengths turned huge: the kernel copies no more than it was given */
static void test_corrupt_dev_lengths(void)
{
	struct sev_user_data_pdh_cert_export ex = {};
	struct sev_user_data_pek_csr csr = {};
	struct sev_user_data_get_id2 id = {};
	struct sev_user_data_status st;
	uint8_t *pdh = sev_buf(SEV_CERT_LEN + GUARD);
	uint8_t *chain = sev_buf(SEV_CHAIN_LEN + GUARD);
	uint8_t *buf = sev_buf(SEV_CERT_LEN + GUARD);
	struct leak_snap before;
	int sev = sev_open(O_RDWR);
	uint32_t fw;

	start(&before);
	fault_arm("corrupt 1 0x8");
	ex.pdh_cert_address = (uintptr_t)pdh;
	ex.pdh_cert_len = SEV_CERT_LEN;
	ex.cert_chain_address = (uintptr_t)chain;
	ex.cert_chain_len = SEV_CHAIN_LEN;
	TEST_ASSERT_EQ(__sev_ioctl(sev, SEV_PDH_CERT_EXPORT, &ex, &fw), 0);
	TEST_ASSERT_EQ(fw, 0);
	TEST_ASSERT_EQ(ex.pdh_cert_len, (uint32_t)~SEV_CERT_LEN);
	TEST_ASSERT_EQ(ex.cert_chain_len, (uint32_t)~SEV_CHAIN_LEN);
	TEST_ASSERT(sev_poisoned(pdh + SEV_CERT_LEN, GUARD), "PDH overrun");
	TEST_ASSERT(sev_poisoned(chain + SEV_CHAIN_LEN, GUARD),
		    "chain overrun");

	fault_arm("corrupt 1 0x6");
	csr.address = (uintptr_t)buf;
	csr.length = SEV_CERT_LEN;
	TEST_ASSERT_EQ(__sev_ioctl(sev, SEV_PEK_CSR, &csr, &fw), 0);
	TEST_ASSERT_EQ(csr.length, (uint32_t)~SEV_CERT_LEN);
	TEST_ASSERT(sev_poisoned(buf + SEV_CERT_LEN, GUARD), "CSR overrun");

	memset(buf, SEV_BUF_POISON, SEV_CERT_LEN + GUARD);
	fault_arm("corrupt 1 0xc");
	id.address = (uintptr_t)buf;
	id.length = SEV_ID_LEN;
	TEST_ASSERT_EQ(__sev_ioctl(sev, SEV_GET_ID2, &id, &fw), 0);
	TEST_ASSERT_EQ(id.length, (uint32_t)~SEV_ID_LEN);
	TEST_ASSERT(sev_poisoned(buf + SEV_ID_LEN, GUARD), "ID overrun");

	/* status fields reach the caller as the firmware wrote them */
	fault_arm("corrupt 1 0x4");
	memset(&st, 0, sizeof(st));
	TEST_ASSERT_EQ(__sev_ioctl(sev, SEV_PLATFORM_STATUS, &st, &fw), 0);
	TEST_ASSERT_EQ(st.api_minor, (uint8_t)~24);
	expect_injected(FK_CORRUPT, 4);

	/* and nothing stuck: the same calls work again */
	sev_pdh_export(sev, pdh, chain);
	sev_pek_csr(sev, buf);
	sev_get_id2(sev, buf);
	platform_status_ok(sev);
	leak_assert_none(&before, "corrupt /dev/sev");
	close(sev);
}

/* LAUNCH_MEASURE's length turned huge: no overrun of the user buffer */
static void test_corrupt_kvm_measure(void)
{
	struct kvm_sev_launch_update_data upd = {};
	struct kvm_sev_launch_measure m = {};
	uint8_t *mbuf = sev_buf(48 + GUARD);
	struct leak_snap before;
	int sev = sev_open(O_RDWR);
	struct kvm_sev_cmd c;
	struct vm *vm;

	start(&before);
	vm = launch_started(sev);
	upd.uaddr = (uintptr_t)vm->mem;
	upd.len = PAGE_SZ;
	sev_vm_ioctl(vm->fd, KVM_SEV_LAUNCH_UPDATE_DATA, &upd, sev);
	fault_arm("corrupt 1 0x33");
	m.uaddr = (uintptr_t)mbuf;
	m.len = 48;
	TEST_ASSERT_EQ(__sev_vm_ioctl(vm->fd, KVM_SEV_LAUNCH_MEASURE, &m, sev,
				      0, &c), 0);
	TEST_ASSERT_EQ(m.len, (uint32_t)~48u);
	TEST_ASSERT(sev_poisoned(mbuf + 48, GUARD), "measurement overrun");
	expect_injected(FK_CORRUPT, 1);
	sev_vm_ioctl(vm->fd, KVM_SEV_LAUNCH_FINISH, NULL, sev);
	vm_destroy(vm);
	leak_assert_none(&before, "corrupt LAUNCH_MEASURE");
	close(sev);
}

/*
 * A corrupted LAUNCH_START handle: ACTIVATE of the wrong handle fails and
 * the caller sees it; the real context is orphaned in the firmware (the
 * host cannot know its handle) until the firmware is reloaded.
 */
static void test_corrupt_kvm_handle_reload(void)
{
	struct kvm_sev_launch_start ls = {};
	struct leak_snap before;
	int sev = sev_open(O_RDWR);
	struct vm *vm;

	start(&before);
	vm = sev_vm_create();
	fault_arm("corrupt 1 0x30");
	sev_vm_ioctl_fails(vm->fd, KVM_SEV_LAUNCH_START, &ls, sev, EIO,
			   SEV_RET_INVALID_GUEST);
	expect_injected(FK_CORRUPT, 1);
	vm_destroy(vm);
	TEST_ASSERT_EQ(fw_guest_contexts(), before.fw_guests + 1);
	close(sev);

	emu_reload();
	TEST_ASSERT_EQ(fw_guest_contexts(), 0);
	before.fw_guests = 0;
	leak_assert_none(&before, "after the reload");
	sev = sev_open(O_RDWR);
	full_launch_works(sev);
	close(sev);
}

/* ---- hang: timeout, dead latch, reload ---- */

static int old_timeout;

static void hang_setup(void)
{
	old_timeout = psp_set_timeout(HANG_TIMEOUT_S);
}

static void hang_restore(void)
{
	psp_set_timeout(old_timeout);
}

static void expect_timeout(long t0)
{
	long t = now_ms() - t0;

	TEST_ASSERT(t >= HANG_TIMEOUT_S * 1000 - 50 &&
		    t < HANG_TIMEOUT_S * 1000 + 5000,
		    "timed out after %ld ms", t);
}

static void test_hang_dev_dead_reload(void)
{
	struct sev_user_data_status st;
	struct fault_counts c;
	struct leak_snap before;
	int sev = sev_open(O_RDWR);
	long t;

	start(&before);
	hang_setup();
	fault_arm("hang 1 0x4");
	t = now_ms();
	sev_ioctl_fails(sev, SEV_PLATFORM_STATUS, &st, ETIMEDOUT, 0);
	expect_timeout(t);
	TEST_ASSERT(psp_dead(), "not latched dead after a timeout");
	/* dead: no command reaches the firmware any more */
	sev_ioctl_fails(sev, SEV_PLATFORM_STATUS, &st, EBUSY,
			SEV_RET_NO_FW_CALL);
	/*
	 * The driver's abort made the firmware drop the hung command before
	 * the ioctl returned: nothing is held, nothing is quarantined
	 */
	fault_counts(&c);
	TEST_ASSERT_EQ(c.held, 0);
	TEST_ASSERT_EQ(c.abandoned - counts0.abandoned, 1);
	TEST_ASSERT_EQ(c.injected[FK_HANG] - counts0.injected[FK_HANG], 1);
	TEST_ASSERT_EQ(debugfs_value(DEBUGFS "/sev-psp/quarantine", "active"),
		       0);
	fault_arm("clear");
	TEST_ASSERT(psp_dead(), "the latch cleared itself");
	close(sev);

	hang_restore();	/* the new firmware's INIT: normal timeout */
	emu_reload();
	TEST_ASSERT(!psp_dead(), "still dead after the reload");
	sev = sev_open(O_RDWR);
	platform_status_ok(sev);
	leak_assert_none(&before, "hang /dev/sev");
	close(sev);
}

/*
 * A hang under a running guest: KVM gets -ETIMEDOUT, teardown with a dead
 * PSP still releases KVM's ASID and pins, and after a reload everything
 * is back and launches work.
 */
static void test_hang_kvm_dead_reload(void)
{
	struct kvm_sev_guest_status gs = {};
	struct leak_snap before;
	struct vm *vm;
	long t;
	int sev;

	start(&before);	/* may reload the firmware: open /dev/sev after it */
	sev = sev_open(O_RDWR);
	vm = launch_started(sev);
	launch_finish(vm, sev);
	hang_setup();
	fault_arm("hang 1 0x23");
	t = now_ms();
	sev_vm_ioctl_fails(vm->fd, KVM_SEV_GUEST_STATUS, &gs, sev, ETIMEDOUT,
			   0);
	expect_timeout(t);
	TEST_ASSERT(psp_dead(), "not latched dead");
	sev_vm_ioctl_fails(vm->fd, KVM_SEV_GUEST_STATUS, &gs, sev, EBUSY,
			   SEV_RET_NO_FW_CALL);
	vm_destroy(vm);
	close(sev);
	fault_arm("clear");

	hang_restore();	/* the new firmware's INIT: normal timeout */
	emu_reload();
	TEST_ASSERT(!psp_dead(), "still dead after the reload");
	leak_assert_none(&before, "hang under a guest");
	sev = sev_open(O_RDWR);
	full_launch_works(sev);
	close(sev);
}

/*
 * A delay longer than the timeout: when the driver gives up, its abort
 * releases the held command, which does not run; the reload is quick.
 */
static void test_delay_past_timeout_unload(void)
{
	struct sev_user_data_status st;
	struct fault_counts c;
	struct leak_snap before;
	int sev = sev_open(O_RDWR);
	long t;

	start(&before);
	hang_setup();
	fault_arm("delay 1 600000 0x4");
	t = now_ms();
	sev_ioctl_fails(sev, SEV_PLATFORM_STATUS, &st, ETIMEDOUT, 0);
	expect_timeout(t);
	/* released by the driver's abort: it found itself cancelled */
	fault_counts(&c);
	TEST_ASSERT_EQ(c.held, 0);
	close(sev);

	t = now_ms();
	hang_restore();	/* the new firmware's INIT: normal timeout */
	emu_reload();
	t = now_ms() - t;
	TEST_ASSERT(t < 10000, "the reload took %ld ms", t);
	sev = sev_open(O_RDWR);
	platform_status_ok(sev);
	leak_assert_none(&before, "delay past the timeout");
	close(sev);
}

/* Unloading while a caller still waits for a hung command */
static void test_hang_unload_waiting(void)
{
	struct fault_counts c;
	struct leak_snap before;
	int i, status, sev;
	pid_t pid;

	start(&before);
	hang_setup();
	fault_arm("hang 1 0x4");
	pid = fork();
	TEST_ASSERT(pid >= 0, "fork");
	if (!pid) {
		struct sev_user_data_status st;

		sev = sev_open(O_RDWR);
		sev_ioctl_fails(sev, SEV_PLATFORM_STATUS, &st, ETIMEDOUT, 0);
		exit(KSFT_PASS);
	}
	for (i = 0; i < 200; i++) {
		fault_counts(&c);
		if (c.held)
			break;
		usleep(10000);
	}
	TEST_ASSERT_EQ(c.held, 1);
	hang_restore();	/* the new firmware's INIT: normal timeout */
	emu_reload();
	TEST_ASSERT_EQ(waitpid(pid, &status, 0), pid);
	TEST_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == KSFT_PASS,
		    "the waiting caller did not see -ETIMEDOUT");
	sev = sev_open(O_RDWR);
	platform_status_ok(sev);
	leak_assert_none(&before, "unload with a hung command");
	close(sev);
}

/*
 * The firmware reloaded (the recovery from a dead PSP) under a live VM:
 * its context died with the old firmware, and tearing the VM down later
 * must not touch a new VM's context that got the same handle number.
 */
static void test_reload_under_live_vm(void)
{
	struct kvm_sev_guest_status gs = {};
	struct leak_snap before;
	int sev = sev_open(O_RDWR), sev2;
	struct vm *old, *vm;
	long h_old, h_new;

	start(&before);
	old = launch_started(sev);
	launch_finish(old, sev);
	h_old = vm_sev_info(old, "handle");
	emu_reload();

	sev2 = sev_open(O_RDWR);
	vm = launch_started(sev2);
	launch_finish(vm, sev2);
	h_new = vm_sev_info(vm, "handle");
	tap_diag("handle %ld before the reload, %ld after", h_old, h_new);
	TEST_ASSERT_EQ(fw_guest_contexts(), 1);

	/* the stale VM's calls fail; its teardown leaves the new one alone */
	sev_vm_ioctl_fails(old->fd, KVM_SEV_GUEST_STATUS, &gs, sev, ENODEV,
			   -1);
	vm_destroy(old);
	close(sev);
	TEST_ASSERT_EQ(fw_guest_contexts(), 1);
	sev_vm_ioctl(vm->fd, KVM_SEV_GUEST_STATUS, &gs, sev2);
	TEST_ASSERT_EQ(gs.state, 3);	/* RUNNING */
	vm_destroy(vm);
	before.fw_guests = 0;
	leak_assert_none(&before, "reload under a live VM");
	close(sev2);
}

static const struct sev_test tests[] = {
	{ "fail_dev_status", test_fail_dev_status },
	{ "fail_dev_init", test_fail_dev_init },
	{ "fail_kvm_launch_start", test_fail_kvm_launch_start },
	{ "fail_kvm_activate", test_fail_kvm_activate },
	{ "fail_kvm_update", test_fail_kvm_update },
	{ "delay_within_timeout", test_delay_within_timeout },
	{ "corrupt_dev_lengths", test_corrupt_dev_lengths },
	{ "corrupt_kvm_measure", test_corrupt_kvm_measure },
	{ "corrupt_kvm_handle_reload", test_corrupt_kvm_handle_reload },
	{ "hang_dev_dead_reload", test_hang_dev_dead_reload },
	{ "hang_kvm_dead_reload", test_hang_kvm_dead_reload },
	{ "delay_past_timeout_unload", test_delay_past_timeout_unload },
	{ "hang_unload_waiting", test_hang_unload_waiting },
	{ "reload_under_live_vm", test_reload_under_live_vm },
};

int main(void)
{
	return sev_run_tests(tests, ARRAY_SIZE(tests));
}
