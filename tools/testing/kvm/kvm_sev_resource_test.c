// SPDX-License-Identifier: GPL-2.0-only
/*
 * SEV resource lifetime through KVM: many create/launch/destroy cycles
 * recycle ASIDs with few DF_FLUSH commands, and a process killed in the
 * middle of a launch leaves no pinned pages, ASIDs or firmware guests.
 * Meant to run with few ASIDs as well (run.sh --param sev_emu.max_asid=4).
 */

#include <signal.h>
#include <sys/prctl.h>
#include "kvm_test.h"

#ifndef CYCLES
#define CYCLES		300	/* create/launch/destroy cycles */
#endif
#define SETTLE_TRIES	200	/* 10 ms each */

/* DF_FLUSH commands the PSP driver has issued (its debugfs counters) */
static long df_flush_count(void)
{
	char buf[4096], name[64], *line;
	unsigned int id;
	long long n;

	TEST_ASSERT(debugfs_read(DEBUGFS "/sev-psp/commands", buf,
				 sizeof(buf)), "read sev-psp/commands");
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
		if (sscanf(line, "%x %63s %lld", &id, name, &n) == 3 &&
		    !strcmp(name, "DF_FLUSH"))
			return n;
	return 0;
}

static unsigned int fw_guest_count(void)
{
	struct sev_user_data_status st;
	int fd = sev_open(O_RDONLY);

	sev_status(fd, &st);
	close(fd);
	return st.guest_count;
}

static long asids_in_use(void)
{
	return sev_platform_value("asids", "in use");
}

/* Up to the measurement: a VM left in the LSECRET state */
static struct vm *launch_to_measure(int sev, uint32_t len)
{
	struct kvm_sev_launch_start start = {};
	struct kvm_sev_launch_update_data upd = {};
	struct kvm_sev_launch_measure m = {};
	uint8_t mbuf[48];
	struct vm *vm = sev_vm_create();

	vm_add_memory(vm);
	memset(vm->mem, 0x5a, len);
	kvm_ioctl(vm->fd, KVM_MEMORY_ENCRYPT_REG_REGION,
		  (&(struct kvm_enc_region){ (uintptr_t)vm->mem,
					     GUEST_MEM_SIZE }));
	sev_vm_ioctl(vm->fd, KVM_SEV_LAUNCH_START, &start, sev);
	upd.uaddr = (uintptr_t)vm->mem;
	upd.len = len;
	sev_vm_ioctl(vm->fd, KVM_SEV_LAUNCH_UPDATE_DATA, &upd, sev);
	m.uaddr = (uintptr_t)mbuf;
	m.len = sizeof(mbuf);
	sev_vm_ioctl(vm->fd, KVM_SEV_LAUNCH_MEASURE, &m, sev);
	return vm;
}

static void test_cycles(void)
{
	unsigned int min, max, asids, i;
	long flushes, guests = fw_guest_count(), in_use = asids_in_use();
	long before = df_flush_count();
	int sev = sev_open(O_RDWR);

	sev_asid_range(&min, &max);
	asids = max - min + 1;
	for (i = 0; i < CYCLES; i++) {
		struct vm *vm = launch_to_measure(sev, PAGE_SZ);

		sev_vm_ioctl(vm->fd, KVM_SEV_LAUNCH_FINISH, NULL, sev);
		vm_destroy(vm);
	}
	close(sev);
	flushes = df_flush_count() - before;
	tap_diag("%u cycles over %u ASIDs: %ld DF_FLUSH", CYCLES, asids,
		 flushes);
	/* each flush makes every ASID that waits for it free again */
	TEST_ASSERT(flushes <= CYCLES / asids + 1,
		    "%ld DF_FLUSH for %u cycles over %u ASIDs", flushes,
		    CYCLES, asids);
	TEST_ASSERT(flushes >= 1 || CYCLES < asids, "no DF_FLUSH at all");
	TEST_ASSERT_EQ(fw_guest_count(), guests);
	TEST_ASSERT_EQ(asids_in_use(), in_use);
}

static long fw_guests(void)
{
	return fw_guest_count();
}

static void test_killed_mid_launch(void)
{
	long pins = sys_pinned_pages(), guests = fw_guests();
	long in_use = asids_in_use();
	long held_pins, held_guests, held_asids;
	int ready[2];
	pid_t pid;
	char c;

	TEST_ASSERT(!pipe(ready), "pipe");
	pid = fork();
	TEST_ASSERT(pid >= 0, "fork");
	if (!pid) {
		int sev;

		/* never outlive the test, even when it fails */
		TEST_ASSERT(!prctl(PR_SET_PDEATHSIG, SIGKILL), "prctl");
		if (getppid() == 1)
			exit(KSFT_FAIL);
		sev = sev_open(O_RDWR);

		/* pinned region, a handle, an ASID; then wait to be killed */
		launch_to_measure(sev, 3 * PAGE_SZ);
		TEST_ASSERT(write(ready[1], "r", 1) == 1, "write");
		for (;;)
			pause();
	}
	close(ready[1]);
	TEST_ASSERT(read(ready[0], &c, 1) == 1, "the child failed to launch");
	close(ready[0]);

	/* the launch holds what the test then expects back */
	held_pins = sys_pinned_pages();
	held_guests = fw_guests();
	held_asids = asids_in_use();
	TEST_ASSERT(!kill(pid, SIGKILL), "kill");
	TEST_ASSERT(waitpid(pid, NULL, 0) == pid, "waitpid");
	/* the whole registered region, touched or not, is pinned */
	TEST_ASSERT(held_pins >= pins + (long)(GUEST_MEM_SIZE / PAGE_SZ),
		    "pins %ld, before %ld", held_pins, pins);
	TEST_ASSERT_EQ(held_guests, guests + 1);
	TEST_ASSERT_EQ(held_asids, in_use + 1);

	TEST_ASSERT(settles(sys_pinned_pages, pins, SETTLE_TRIES),
		    "pins %ld, before %ld", sys_pinned_pages(), pins);
	TEST_ASSERT(settles(fw_guests, guests, SETTLE_TRIES),
		    "firmware guests %ld, before %ld", fw_guests(), guests);
	TEST_ASSERT(settles(asids_in_use, in_use, SETTLE_TRIES),
		    "ASIDs in use %ld, before %ld", asids_in_use(), in_use);
}

static const struct sev_test tests[] = {
	{ "cycles", test_cycles },
	{ "killed_mid_launch", test_killed_mid_launch },
};

int main(void)
{
	return sev_run_tests(tests, ARRAY_SIZE(tests));
}
