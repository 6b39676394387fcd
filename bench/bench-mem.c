// SPDX-License-Identifier: GPL-2.0-only
/*
 * sev-bench: guest memory. KVM_MEMORY_ENCRYPT_REG_REGION and
 * UNREG_REGION of 1 GiB (4 KiB pages, THPs) against upstream's pinning of
 * the same range (bench/pin-baseline/, sev-bench-pin.ko) and against
 * mlock(), and DBG_DECRYPT of 64 MiB in 4 KiB and in unaligned pieces
 * against process_vm_readv() of the same pieces.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/uio.h>

#include "bench.h"
#include "pin-baseline/sev-bench-pin.h"

/* The ways of pinning the range that bench_pin() compares */
enum { PIN_BASE, PIN_REGION, PIN_MLOCK, PIN_WAYS };

/*
 * Time one way of pinning [@mem, @mem + @size) and of releasing it again:
 * the pinning baseline (sev-bench-pin.ko: upstream's sev_pin_memory() and
 * sev_unpin_memory()), KVM_MEMORY_ENCRYPT_(UN)REG_REGION, mlock()/munlock()
 */
static void time_pin(int way, struct sev_vm *vm, int pin_fd, __u8 *mem,
		     size_t size, double t[2])
{
	struct sev_bench_pin_range r = { .addr = (uintptr_t)mem, .size = size };
	double t0 = now();
	int ret;

	switch (way) {
	case PIN_BASE:
		CHECK(!ioctl(pin_fd, SEV_BENCH_PIN, &r), "SEV_BENCH_PIN: %s",
		      strerror(errno));
		t[0] = now() - t0;
		t0 = now();
		CHECK(!ioctl(pin_fd, SEV_BENCH_UNPIN, &r), "SEV_BENCH_UNPIN: %s",
		      strerror(errno));
		break;
	case PIN_REGION:
		ret = sev_vm_region(vm, true, mem, size);
		CHECK(!ret, "REG_REGION: %s", strerror(-ret));
		t[0] = now() - t0;
		t0 = now();
		ret = sev_vm_region(vm, false, mem, size);
		CHECK(!ret, "UNREG_REGION: %s", strerror(-ret));
		break;
	default:
		CHECK(!mlock(mem, size), "mlock: %s", strerror(errno));
		t[0] = now() - t0;
		t0 = now();
		CHECK(!munlock(mem, size), "munlock: %s", strerror(errno));
		break;
	}
	t[1] = now() - t0;
}

#define KPF_THP		22	/* /proc/kpageflags: part of a THP */

/* The share of the 2 MiB pieces of [@p, @p + @len) that THPs back */
static double thp_share(const __u8 *p, size_t len)
{
	int pm = open("/proc/self/pagemap", O_RDONLY);
	int kf = open("/proc/kpageflags", O_RDONLY);
	size_t i, n = len / HUGE_SZ, thp = 0;
	__u64 e, flags, pfn;

	CHECK(pm >= 0 && kf >= 0, "open pagemap, kpageflags: %s",
	      strerror(errno));
	for (i = 0; i < n; i++) {
		uintptr_t page = ((uintptr_t)p + i * HUGE_SZ) / PAGE_SZ;

		CHECK(pread(pm, &e, sizeof(e), page * sizeof(e)) == sizeof(e),
		      "read pagemap: %s", strerror(errno));
		/* bit 63 present, bits 0-54 the frame (zero without root) */
		pfn = e & ((1ULL << 55) - 1);
		CHECK(e >> 63 && pfn, "no frame of piece %zu (not root?)", i);
		CHECK(pread(kf, &flags, sizeof(flags), pfn * sizeof(flags)) ==
		      sizeof(flags), "read kpageflags: %s", strerror(errno));
		thp += (flags >> KPF_THP) & 1;
	}
	close(pm);
	close(kf);
	return n ? (double)thp / n : 0;
}

/*
 * 1 GiB of present memory, backed by 4 KiB pages or by THPs: REG_REGION
 * against the pinning baseline and against mlock(), UNREG_REGION against
 * the unpinning baseline
 */
static void bench_pin_backing(struct sev_vm *vm, int pin_fd, size_t size,
			      bool thp, unsigned int reps)
{
	static const char * const ids[2][3] = {
		{ "pin.reg.4k", "pin.unreg.4k", "pin.mlock.4k" },
		{ "pin.reg.thp", "pin.unreg.thp", "pin.mlock.thp" },
	};
	struct figure f[3] = {
		{ .what = "KVM_MEMORY_ENCRYPT_REG_REGION",
		  .base = "upstream's sev_pin_memory(): one long-term pin_user_pages_fast()" },
		{ .what = "KVM_MEMORY_ENCRYPT_UNREG_REGION",
		  .base = "upstream's sev_unpin_memory(): unpin_user_pages()" },
		{ .what = "KVM_MEMORY_ENCRYPT_REG_REGION",
		  .base = "mlock() of the same range" },
	};
	__u8 *mem = bench_map(size);
	double t[PIN_WAYS][2], share;
	unsigned int i, k;

	CHECK(!madvise(mem, size, thp ? MADV_HUGEPAGE : MADV_NOHUGEPAGE),
	      "madvise: %s", strerror(errno));
	/* all pin memory that is present, as a running VMM's would be */
	fill_pattern(mem, size, 5);
	share = thp_share(mem, size);
	CHECK(thp ? share >= 0.5 : share == 0,
	      "%.0f%% of the range in THPs", share * 100);
	for (k = 0; k < PIN_WAYS; k++)
		time_pin(k, vm, pin_fd, mem, size, t[k]);	/* warm-up */
	for (i = 0; i < reps; i++) {
		/* rotate the order, so that none always runs first */
		for (k = 0; k < PIN_WAYS; k++)
			time_pin((i + k) % PIN_WAYS, vm, pin_fd, mem, size,
				 t[(i + k) % PIN_WAYS]);
		figure_add(&f[0], t[PIN_REGION][0] * 1e3, t[PIN_BASE][0] * 1e3);
		figure_add(&f[1], t[PIN_REGION][1] * 1e3, t[PIN_BASE][1] * 1e3);
		figure_add(&f[2], t[PIN_REGION][0] * 1e3, t[PIN_MLOCK][0] * 1e3);
	}
	for (k = 0; k < 3; k++) {
		f[k].id = ids[thp][k];
		f[k].unit = "ms";
		snprintf(f[k].note, sizeof(f[k].note),
			 "%zu MiB present, %s, %.0f%% in THPs", size / MIB,
			 thp ? "MADV_HUGEPAGE" : "MADV_NOHUGEPAGE", share * 100);
		figure_emit(&f[k]);
	}
	bench_unmap(mem, size);
}

int bench_pin(void)
{
	size_t size = bench_size(1024 * MIB, 16 * MIB);
	unsigned int reps = bench_reps(7);
	int pin_fd = open(SEV_BENCH_PIN_DEV, O_RDWR);
	struct sev_vm vm;

	CHECK(pin_fd >= 0, "open %s: %s (sev-bench-pin.ko not loaded?)",
	      SEV_BENCH_PIN_DEV, strerror(errno));
	sev_vm_create(&vm);
	bench_pin_backing(&vm, pin_fd, size, false, reps);
	bench_pin_backing(&vm, pin_fd, size, true, reps);
	sev_vm_destroy(&vm);
	close(pin_fd);
	return 0;
}

struct pieces {
	__u8 *src;
	__u8 *dst;
	size_t src_off;
	size_t dst_off;
	size_t len;
	size_t count;
};

static double dbg_pass(struct sev_vm *vm, const struct pieces *p)
{
	struct kvm_sev_dbg d = { .len = p->len };
	double t = now();
	size_t i;

	for (i = 0; i < p->count; i++) {
		d.src_uaddr = (uintptr_t)p->src + p->src_off + i * p->len;
		d.dst_uaddr = (uintptr_t)p->dst + p->dst_off + i * p->len;
		sev_vm_op_ok(vm, KVM_SEV_DBG_DECRYPT, &d);
	}
	return now() - t;
}

static double readv_pass(const struct pieces *p)
{
	struct iovec local = { .iov_len = p->len }, remote = local;
	pid_t self = getpid();
	double t = now();
	size_t i;

	for (i = 0; i < p->count; i++) {
		remote.iov_base = p->src + p->src_off + i * p->len;
		local.iov_base = p->dst + p->dst_off + i * p->len;
		CHECK(process_vm_readv(self, &local, 1, &remote, 1, 0) ==
		      (ssize_t)p->len, "process_vm_readv: %s",
		      strerror(errno));
	}
	return now() - t;
}

int bench_dbg(void)
{
	size_t size = bench_size(64 * MIB, 4 * MIB);
	unsigned int reps = bench_reps(2), i, k;
	struct figure f[2] = {
		{ .id = "dbg.4k", .what = "DBG_DECRYPT, 4 KiB pieces" },
		{ .id = "dbg.unaligned",
		  .what = "DBG_DECRYPT, 4000-byte pieces at +7/+3" },
	};
	__u8 *mem = bench_map(size), *out = bench_map(size + PAGE_SZ);
	__u8 *ref = bench_map(size);
	struct pieces p[2] = {
		{ .len = PAGE_SZ, .count = size / PAGE_SZ },
		{ .src_off = 7, .dst_off = 3, .len = 4000,
		  .count = (size - 16) / 4000 },
	};
	struct sev_vm vm;
	double mib;

	/* what the guest holds in plain text, whatever the memory mode */
	fill_pattern(mem, size, 9);
	memcpy(ref, mem, size);
	memset(out, 0, size + PAGE_SZ);
	sev_vm_create_mem(&vm, mem, size);
	CHECK(!sev_vm_region(&vm, true, mem, size), "REG_REGION");
	sev_launch_start(&vm, 0);		/* policy 0: debugging allowed */
	sev_launch_update(&vm, mem, size);
	sev_launch_finish(&vm);

	for (k = 0; k < 2; k++) {
		p[k].src = mem;
		p[k].dst = out;
		f[k].base = "process_vm_readv(), same pieces";
		f[k].unit = "MiB/s";
		f[k].higher_better = true;
		snprintf(f[k].note, sizeof(f[k].note),
			 "%zu MiB in %zu calls", size / MIB, p[k].count);
	}
	for (k = 0; k < 2; k++) {
		struct pieces warm = p[k];

		warm.count = 64;
		readv_pass(&warm);
		dbg_pass(&vm, &warm);
	}
	for (i = 0; i < reps; i++) {
		for (k = 0; k < 2; k++) {
			double b, s;

			mib = (double)p[k].len * p[k].count / MIB;
			b = readv_pass(&p[k]);
			s = dbg_pass(&vm, &p[k]);
			CHECK(!memcmp(out + p[k].dst_off, ref + p[k].src_off,
				      p[k].len * p[k].count),
			      "DBG_DECRYPT returned other bytes");
			figure_add(&f[k], mib / s, mib / b);
		}
	}
	figure_emit(&f[0]);
	figure_emit(&f[1]);
	sev_vm_destroy(&vm);
	bench_unmap(mem, size);
	bench_unmap(out, size + PAGE_SZ);
	bench_unmap(ref, size);
	return 0;
}
