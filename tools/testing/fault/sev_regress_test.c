// SPDX-License-Identifier: GPL-2.0-only
/*
 * Regression tests for the defects of issue 13 that the fault, fuzz and
 * stress tests passed over. Each case failed on the code before its fix:
 *
 * late_write_after_timeout: a LAUNCH_UPDATE_DATA held (fault "delay")
 *	past the PSP driver's timeout stayed held and ran once the delay
 *	was over, long after KVM had returned -ETIMEDOUT and unpinned its
 *	pages; now the driver's abort releases it, it never runs, and the
 *	pages stay as they were.
 * big_command_times_out: one 64 MiB opaque LAUNCH_UPDATE_DATA with a 1 s
 *	timeout. On one CPU it ran to completion and "succeeded" (the
 *	waiter never ran); on two CPUs it returned -ETIMEDOUT after 1 s and
 *	went on encrypting the pages for seconds. Now it returns -ETIMEDOUT
 *	within a few seconds and nothing changes afterwards. (Run on one and
 *	on two vCPUs.)
 * long_command_yields: 512 MiB in transparent memory with the normal
 *	timeout completes without a soft lockup (it used to hold the CPU
 *	for the whole command, "BUG: soft lockup" under a 1 s watchdog).
 * stale_handle_after_reload: after a firmware reload, a VM launched before
 *	it drove the new firmware's guest that got its old handle number
 *	(GUEST_STATUS, LAUNCH_MEASURE, LAUNCH_FINISH left the other VM's
 *	guest RUNNING); now every command of the stale VM, of its mirror and
 *	of a context moved from it fails with -ENODEV, and the new guest is
 *	untouched.
 *
 * Run on one vCPU (run.sh --smp 1 --mem 3G: a 1 GiB huge page gives the
 * big command) with the project's modules and $SEV_EMU_KO; the cases
 * reload sev-emu with the memory mode they need.
 */

#include <sys/mman.h>
#include <linux/mman.h>
#include "fault_util.h"

#define LUD_CMD			0x031	/* SEV_CMD_LAUNCH_UPDATE_DATA */
#define SMALL_LEN		GUEST_MEM_SIZE
#define BIG_LEN			(64UL << 20)	/* opaque: ~8 s under TCG */
#define TRANSPARENT_LEN		(512UL << 20)	/* ~6 s under TCG */
#define WATCHDOG_THRESH		"/proc/sys/kernel/watchdog_thresh"

static void fill_pattern(uint8_t *p, size_t len, uint32_t seed)
{
	size_t i;

	for (i = 0; i < len; i += 4) {
		seed = seed * 1103515245u + 12345u;
		memcpy(p + i, &seed, 4);
	}
}

static struct vm *launched_vm(int sev)
{
	struct kvm_sev_launch_start ls = {};
	struct vm *vm = sev_vm_create();

	sev_vm_ioctl(vm->fd, KVM_SEV_LAUNCH_START, &ls, sev);
	return vm;
}

/*
 * Wait @ms after an ioctl returned and check that nothing wrote @p in the
 * meantime (the snapshot is taken right after the return).
 */
static void expect_quiet(const uint8_t *p, size_t len, unsigned int ms,
			 const char *what)
{
	uint8_t *snap = malloc(len);
	size_t i, changed = 0;

	TEST_ASSERT(snap, "malloc");
	memcpy(snap, p, len);
	usleep(ms * 1000);
	for (i = 0; i < len; i += PAGE_SZ)
		if (memcmp(snap + i, p + i, PAGE_SZ))
			changed++;
	free(snap);
	TEST_ASSERT(!changed, "%s: %zu of %zu pages changed after the ioctl returned",
		    what, changed, len / PAGE_SZ);
}

/* The kernel log since @mark (a byte count of dmesg) has no lockup */
static size_t dmesg_mark(void)
{
	FILE *f = popen("dmesg", "r");
	size_t n = 0;

	TEST_ASSERT(f, "dmesg");
	while (fgetc(f) != EOF)
		n++;
	pclose(f);
	return n;
}

static void expect_no_lockup(size_t mark)
{
	char line[512];
	size_t n = 0;
	FILE *f = popen("dmesg", "r");
	bool bad = false;

	TEST_ASSERT(f, "dmesg");
	while (fgets(line, sizeof(line), f)) {
		n += strlen(line);
		if (n <= mark)
			continue;
		if (strstr(line, "soft lockup") || strstr(line, "rcu_sched") ||
		    strstr(line, "rcu: INFO") || strstr(line, "hung_task")) {
			printf("# %s", line);
			bad = true;
		}
	}
	pclose(f);
	TEST_ASSERT(!bad, "the kernel log reports a stall");
}

static int read_int(const char *path)
{
	char buf[32];

	TEST_ASSERT(debugfs_read(path, buf, sizeof(buf)), "read %s", path);
	return atoi(buf);
}

static void write_int(const char *path, int v)
{
	char buf[32];
	int ret;

	snprintf(buf, sizeof(buf), "%d", v);
	ret = file_write(path, buf);
	TEST_ASSERT(!ret, "write %d to %s: %s", v, path, strerror(-ret));
}

/* ---- defect 1: no write after the ioctl returned ---- */

static void test_late_write_after_timeout(void)
{
	struct kvm_sev_launch_update_data upd = {};
	struct fault_counts c;
	struct leak_snap before;
	int sev, old;
	struct vm *vm;
	uint8_t *buf;
	long t;

	emu_reload_with("mem_mode=opaque");
	leak_snap(&before);
	sev = sev_open(O_RDWR);
	vm = launched_vm(sev);
	buf = mmap(NULL, SMALL_LEN, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(buf != MAP_FAILED, "mmap");
	fill_pattern(buf, SMALL_LEN, 1);

	old = psp_set_timeout(1);
	/* the command runs 3 s late: the driver gives up after 1 s */
	fault_arm("delay 1 3000 %#x", LUD_CMD);
	upd.uaddr = (uintptr_t)buf;
	upd.len = SMALL_LEN;
	t = now_ms();
	sev_vm_ioctl_fails(vm->fd, KVM_SEV_LAUNCH_UPDATE_DATA, &upd, sev,
			   ETIMEDOUT, 0);
	t = now_ms() - t;
	tap_diag("-ETIMEDOUT after %ld ms", t);
	/* the driver's abort released the held command: it does not run */
	fault_counts(&c);
	TEST_ASSERT_EQ(c.held, 0);
	expect_quiet(buf, SMALL_LEN, 4000, "delayed LAUNCH_UPDATE_DATA");
	psp_set_timeout(old);
	TEST_ASSERT(psp_dead(), "not latched dead after the timeout");

	vm_destroy(vm);
	close(sev);
	munmap(buf, SMALL_LEN);
	emu_reload_with("mem_mode=transparent");
	/* the firmware stopped the command: its pins were released */
	TEST_ASSERT_EQ(sev_platform_value("platform", "quarantined pages"), 0);
	TEST_ASSERT_EQ(debugfs_value(DEBUGFS "/sev-psp/quarantine", "buffers"),
		       0);
	before.fw_guests = 0;
	before.fw_bound = 0;
	leak_assert_none(&before, "timed-out LAUNCH_UPDATE_DATA");
}

/* ---- defects 1 and 3: a huge command on one CPU ---- */

#define GIGA_SZ			(1024UL * 1024 * 1024)
#define NR_GIGA	"/sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages"

static int giga_before;

/*
 * Physically contiguous memory for one big firmware command: a 1 GiB
 * huge page (KVM hands a contiguous run to the firmware as one command),
 * reserved at boot (hugepagesz=1G hugepages=1) or allocated now, which a
 * kernel without CONFIG_CONTIG_ALLOC cannot do.
 */
static uint8_t *contig_alloc(void)
{
	uint8_t *p;

	giga_before = read_int(NR_GIGA);
	if (giga_before < 1)
		write_int(NR_GIGA, 1);
	TEST_ASSERT(read_int(NR_GIGA) >= 1,
		    "no 1 GiB huge page (boot the VM with enough memory, or with hugepagesz=1G hugepages=1)");
	p = mmap(NULL, GIGA_SZ, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_HUGE_1GB,
		 -1, 0);
	TEST_ASSERT(p != MAP_FAILED, "mmap of a 1 GiB page: %s",
		    strerror(errno));
	return p;
}

static void contig_free(uint8_t *p)
{
	munmap(p, GIGA_SZ);
	if (giga_before < 1)
		write_int(NR_GIGA, giga_before);
}

static void big_update(bool opaque)
{
	struct kvm_sev_launch_update_data upd = {};
	struct kvm_sev_guest_status gs = {};
	size_t run_len = opaque ? BIG_LEN : TRANSPARENT_LEN, mark;
	int sev, ret, old_to = 0, old_wd;
	uint8_t *run;
	struct vm *vm;
	long t;

	emu_reload_with(opaque ? "mem_mode=opaque" : "mem_mode=transparent");
	run = contig_alloc();
	fill_pattern(run, run_len, 2);

	sev = sev_open(O_RDWR);
	vm = launched_vm(sev);
	if (opaque)
		old_to = psp_set_timeout(1);
	/*
	 * a CPU that runs no other task for 2 s is reported locked up (a
	 * kernel without the lockup detector still reports RCU stalls)
	 */
	old_wd = access(WATCHDOG_THRESH, W_OK) ? -1 : read_int(WATCHDOG_THRESH);
	if (old_wd >= 0)
		write_int(WATCHDOG_THRESH, 1);
	else
		tap_diag("no %s: no soft lockup detector", WATCHDOG_THRESH);
	mark = dmesg_mark();

	upd.uaddr = (uintptr_t)run;
	upd.len = run_len;
	t = now_ms();
	if (opaque) {
		ret = __sev_vm_ioctl(vm->fd, KVM_SEV_LAUNCH_UPDATE_DATA, &upd,
				     sev, 0, NULL);
		t = now_ms() - t;
		tap_diag("%zu MiB: returned %d after %ld ms", run_len >> 20,
			 ret, t);
		/* first: did it go on writing after the return? */
		expect_quiet(run, run_len, 3000, "huge LAUNCH_UPDATE_DATA");
		TEST_ASSERT(ret == -ETIMEDOUT, "returned %d, not -ETIMEDOUT",
			    ret);
		TEST_ASSERT(t < 5000, "the 1 s timeout fired after %ld ms", t);
	} else {
		sev_vm_ioctl(vm->fd, KVM_SEV_LAUNCH_UPDATE_DATA, &upd, sev);
		t = now_ms() - t;
		tap_diag("%zu MiB in %ld ms", run_len >> 20, t);
		sev_vm_ioctl(vm->fd, KVM_SEV_GUEST_STATUS, &gs, sev);
		TEST_ASSERT_EQ(gs.state, 1);	/* LUPDATE */
	}
	if (old_wd >= 0)
		write_int(WATCHDOG_THRESH, old_wd);
	expect_no_lockup(mark);
	if (opaque)
		psp_set_timeout(old_to);

	vm_destroy(vm);
	close(sev);
	contig_free(run);
	emu_reload_with("mem_mode=transparent");
}

static void test_big_command_times_out(void)
{
	big_update(true);
}

static void test_long_command_yields(void)
{
	big_update(false);
}

/* ---- defect 2: a stale VM after a firmware reload ---- */

static void test_stale_handle_after_reload(void)
{
	struct kvm_sev_launch_measure m = {};
	struct kvm_sev_guest_status gs = {};
	struct vm *a, *mirror, *x, *y, *b, *b2;
	int sev, sev_new, fd;
	uint8_t mbuf[48];

	emu_reload_with(NULL);
	sev = sev_open(O_RDWR);
	a = launched_vm(sev);
	mirror = vm_create();
	kvm_ioctl(mirror->fd, KVM_ENABLE_CAP,
		  (&(struct kvm_enable_cap){
			.cap = KVM_CAP_VM_COPY_ENC_CONTEXT_FROM,
			.args = { a->fd } }));
	x = launched_vm(sev);
	y = vm_create();
	kvm_ioctl(y->fd, KVM_ENABLE_CAP,
		  (&(struct kvm_enable_cap){
			.cap = KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM,
			.args = { x->fd } }));

	emu_reload();

	/* the new firmware hands out the same handle numbers */
	sev_new = sev_open(O_RDWR);
	b = launched_vm(sev_new);
	b2 = launched_vm(sev_new);
	tap_diag("handles: stale %ld and %ld, new %ld and %ld",
		 vm_sev_info(a, "handle"), vm_sev_info(y, "handle"),
		 vm_sev_info(b, "handle"), vm_sev_info(b2, "handle"));
	TEST_ASSERT_EQ(vm_sev_info(a, "handle"), vm_sev_info(b, "handle"));
	TEST_ASSERT_EQ(vm_sev_info(y, "handle"), vm_sev_info(b2, "handle"));

	/* the stale VMM reopens /dev/sev under its old descriptor number */
	fd = sev_open(O_RDWR);
	TEST_ASSERT_EQ(dup2(fd, sev), sev);
	close(fd);

	sev_vm_ioctl_fails(a->fd, KVM_SEV_GUEST_STATUS, &gs, sev, ENODEV, -1);
	m.uaddr = (uintptr_t)mbuf;
	m.len = sizeof(mbuf);
	sev_vm_ioctl_fails(a->fd, KVM_SEV_LAUNCH_MEASURE, &m, sev, ENODEV, -1);
	sev_vm_ioctl_fails(a->fd, KVM_SEV_LAUNCH_FINISH, NULL, sev, ENODEV,
			   -1);
	sev_vm_ioctl_fails(mirror->fd, KVM_SEV_GUEST_STATUS, &gs, sev, ENODEV,
			   -1);
	/*
	 * A moved context has no descriptor number of its own (0, as
	 * upstream): with /dev/sev there, its commands pass the lookup
	 */
	TEST_ASSERT_EQ(dup2(sev, 0), 0);
	sev_vm_ioctl_fails(y->fd, KVM_SEV_GUEST_STATUS, &gs, sev, ENODEV, -1);
	sev_vm_ioctl_fails(y->fd, KVM_SEV_LAUNCH_FINISH, NULL, sev, ENODEV,
			   -1);

	/* the new guests were not touched */
	sev_vm_ioctl(b->fd, KVM_SEV_GUEST_STATUS, &gs, sev_new);
	TEST_ASSERT_EQ(gs.state, 1);	/* LUPDATE */
	sev_vm_ioctl(b2->fd, KVM_SEV_GUEST_STATUS, &gs, sev_new);
	TEST_ASSERT_EQ(gs.state, 1);
	memset(&m, 0, sizeof(m));
	m.uaddr = (uintptr_t)mbuf;
	m.len = sizeof(mbuf);
	sev_vm_ioctl(b->fd, KVM_SEV_LAUNCH_MEASURE, &m, sev_new);
	sev_vm_ioctl(b->fd, KVM_SEV_LAUNCH_FINISH, NULL, sev_new);

	vm_destroy(mirror);
	vm_destroy(a);
	vm_destroy(y);
	vm_destroy(x);
	TEST_ASSERT_EQ(fw_guest_contexts(), 2);
	vm_destroy(b);
	vm_destroy(b2);
	close(sev);
	close(sev_new);
}

static const struct sev_test tests[] = {
	{ "late_write_after_timeout", test_late_write_after_timeout },
	{ "big_command_times_out", test_big_command_times_out },
	{ "long_command_yields", test_long_command_yields },
	{ "stale_handle_after_reload", test_stale_handle_after_reload },
};

int main(void)
{
	return sev_run_tests(tests, ARRAY_SIZE(tests));
}
