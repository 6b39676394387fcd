// SPDX-License-Identifier: GPL-2.0-only
/*
 * sev-bench: the command paths. /dev/sev PLATFORM_STATUS against an ioctl
 * that the driver refuses before any firmware work, KVM_SEV_GUEST_STATUS
 * against KVM_CHECK_EXTENSION on the same VM, and 1, 2 and 4 processes
 * issuing PLATFORM_STATUS at once.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/wait.h>

#include "bench.h"

static void platform_status(void *arg)
{
	struct sev_user_data_status st;
	__u32 err;
	int fd = *(int *)arg, r;

	r = sev_cmd(fd, SEV_PLATFORM_STATUS, &st, &err);
	CHECK(!r && !err, "PLATFORM_STATUS: %s, status %#x", strerror(-r), err);
}

/*
 * SEV_ISSUE_CMD with a command id past the last one: the driver copies
 * the argument in and returns -EINVAL before taking its command lock.
 */
static void invalid_cmd(void *arg)
{
	struct sev_user_data_status st;
	int fd = *(int *)arg;

	CHECK(sev_cmd(fd, SEV_MAX, &st, NULL) == -EINVAL,
	      "an invalid command id was not refused");
}

#define PSP_TIMING	"/sys/kernel/debug/sev-psp/timing"
#define EMU_TIMING	"/sys/kernel/debug/sev-emu/timing"

/* The phases of a command (sev-psp/timing, sev-emu/timing), per call */
enum { PH_QUEUE, PH_ISSUE, PH_WAIT, PH_COPYOUT, PH_FIRMWARE, PH_N };

static const struct {
	const char *id, *what, *file, *key;
} phases[PH_N] = {
	{ "cmd.phase.queue", "waiting for the command queue",
	  PSP_TIMING, "queue_ns" },
	{ "cmd.phase.issue", "copy-in and starting it (inline: with the firmware's work)",
	  PSP_TIMING, "issue_ns" },
	{ "cmd.phase.wait", "waiting for completion (hand-off, worker, wake-up)",
	  PSP_TIMING, "wait_ns" },
	{ "cmd.phase.copyout", "copy-out and clearing the bounce buffer",
	  PSP_TIMING, "copyout_ns" },
	{ "cmd.phase.firmware", "the firmware's own work (part of issue or wait)",
	  EMU_TIMING, "firmware_ns" },
};

/*
 * Where the time of a PLATFORM_STATUS goes: each phase per call against
 * the whole call (ratio = its share), from the driver's and the
 * firmware's timing counters
 */
static void cmd_breakdown(int fd, unsigned long iters, unsigned int reps)
{
	struct figure f[PH_N];
	long long inline_n = 0, n;
	unsigned int i, j;

	for (j = 0; j < PH_N; j++) {
		f[j] = (struct figure){
			.id = phases[j].id, .what = phases[j].what,
			.base = "the whole PLATFORM_STATUS", .unit = "us/op",
		};
	}
	for (i = 0; i < reps; i++) {
		double whole;

		debugfs_write(PSP_TIMING, "0");
		debugfs_write(EMU_TIMING, "0");
		whole = time_per_call(platform_status, &fd, iters) * 1e6;
		n = debugfs_key(PSP_TIMING, "commands");
		CHECK(n > 0, "sev-psp/timing counted no command");
		inline_n = debugfs_key(EMU_TIMING, "inline");
		for (j = 0; j < PH_N; j++)
			figure_add(&f[j], debugfs_key(phases[j].file,
						      phases[j].key) / 1e3 / n,
				   whole);
	}
	for (j = 0; j < PH_N; j++) {
		snprintf(f[j].note, sizeof(f[j].note),
			 "%lu calls per repetition, %lld of them inline in the last",
			 iters, inline_n);
		figure_emit(&f[j]);
	}
}

int bench_cmd(void)
{
	unsigned long iters = opts.smoke ? 100 : 5000;
	unsigned int reps = bench_reps(7), i;
	struct figure f = {
		.id = "cmd.platform_status",
		.what = "/dev/sev PLATFORM_STATUS",
		.base = "/dev/sev SEV_ISSUE_CMD, invalid id (-EINVAL)",
		.unit = "us/op",
	};
	int fd = sev_dev_open();

	time_per_call(invalid_cmd, &fd, iters / 4);
	time_per_call(platform_status, &fd, iters / 4);
	for (i = 0; i < reps; i++) {
		double b = time_per_call(invalid_cmd, &fd, iters);
		double s = time_per_call(platform_status, &fd, iters);

		figure_add(&f, s * 1e6, b * 1e6);
	}
	snprintf(f.note, sizeof(f.note), "%lu calls per repetition", iters);
	figure_emit(&f);
	cmd_breakdown(fd, iters, reps);
	close(fd);
	return 0;
}

struct guest_arg {
	struct sev_vm *vm;
};

static void guest_status(void *arg)
{
	struct sev_vm *vm = ((struct guest_arg *)arg)->vm;
	struct kvm_sev_guest_status st;

	sev_vm_op_ok(vm, KVM_SEV_GUEST_STATUS, &st);
	CHECK(st.handle == vm->handle, "GUEST_STATUS of another guest");
}

static void check_extension(void *arg)
{
	struct sev_vm *vm = ((struct guest_arg *)arg)->vm;

	CHECK(ioctl(vm->fd, KVM_CHECK_EXTENSION, KVM_CAP_USER_MEMORY) > 0,
	      "KVM_CHECK_EXTENSION: %s", strerror(errno));
}

int bench_kvm_cmd(void)
{
	unsigned long iters = opts.smoke ? 100 : 5000;
	unsigned int reps = bench_reps(7), i;
	struct figure f = {
		.id = "kvm.guest_status",
		.what = "KVM_SEV_GUEST_STATUS",
		.base = "KVM_CHECK_EXTENSION on the VM fd",
		.unit = "us/op",
	};
	struct sev_vm vm;
	struct guest_arg a = { .vm = &vm };

	sev_vm_create(&vm);
	sev_launch_start(&vm, 0);
	time_per_call(check_extension, &a, iters / 4);
	time_per_call(guest_status, &a, iters / 4);
	for (i = 0; i < reps; i++) {
		double b = time_per_call(check_extension, &a, iters);
		double s = time_per_call(guest_status, &a, iters);

		figure_add(&f, s * 1e6, b * 1e6);
	}
	snprintf(f.note, sizeof(f.note), "%lu calls per repetition", iters);
	figure_emit(&f);
	sev_vm_destroy(&vm);
	return 0;
}

/* @nproc processes issue @iters PLATFORM_STATUS each; returns ops/s */
static double procs_rate(unsigned int nproc, unsigned long iters)
{
	int ready[2], go[2], status;
	unsigned int i, ok = 0;
	double t;
	char c;

	CHECK(!pipe(ready) && !pipe(go), "pipe: %s", strerror(errno));
	for (i = 0; i < nproc; i++) {
		pid_t pid = fork();

		CHECK(pid >= 0, "fork: %s", strerror(errno));
		if (!pid) {
			int fd = sev_dev_open();
			unsigned long n;

			close(go[1]);
			CHECK(write(ready[1], "r", 1) == 1, "write");
			/* the parent closes go: everyone starts at once */
			CHECK(read(go[0], &c, 1) == 0, "read");
			for (n = 0; n < iters; n++)
				platform_status(&fd);
			_exit(0);
		}
	}
	close(ready[1]);
	close(go[0]);
	for (i = 0; i < nproc; i++)
		CHECK(read(ready[0], &c, 1) == 1, "a child failed to start");
	close(ready[0]);
	t = now();
	close(go[1]);
	for (i = 0; i < nproc; i++)
		if (wait(&status) > 0 && WIFEXITED(status) &&
		    !WEXITSTATUS(status))
			ok++;
	t = now() - t;
	CHECK(ok == nproc, "%u of %u processes failed", nproc - ok, nproc);
	return nproc * iters / t;
}

int bench_procs(void)
{
	static const unsigned int counts[] = { 2, 4 };
	unsigned long iters = opts.smoke ? 50 : 2000;
	unsigned int reps = bench_reps(5), i, j;
	struct figure f[ARRAY_SIZE(counts)] = {
		{ .id = "scale.procs2", .what = "2 processes, PLATFORM_STATUS" },
		{ .id = "scale.procs4", .what = "4 processes, PLATFORM_STATUS" },
	};

	for (j = 0; j < ARRAY_SIZE(counts); j++) {
		f[j].base = "1 process, PLATFORM_STATUS";
		f[j].unit = "ops/s";
		f[j].higher_better = true;
		snprintf(f[j].note, sizeof(f[j].note),
			 "aggregate rate; %lu calls per process, %ld CPUs",
			 iters, sysconf(_SC_NPROCESSORS_ONLN));
	}
	procs_rate(1, iters / 4);
	for (i = 0; i < reps; i++) {
		double one = procs_rate(1, iters);

		for (j = 0; j < ARRAY_SIZE(counts); j++)
			figure_add(&f[j], procs_rate(counts[j], iters), one);
	}
	for (j = 0; j < ARRAY_SIZE(counts); j++)
		figure_emit(&f[j]);
	return 0;
}
