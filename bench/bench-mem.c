// SPDX-License-Identifier: GPL-2.0-only
/*
 * sev-bench: guest memory. KVM_MEMORY_ENCRYPT_REG_REGION of 1 GiB against
 * mlock() of the same range, and DBG_DECRYPT of 64 MiB in 4 KiB and in
 * unaligned pieces against process_vm_readv() of the same pieces.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/uio.h>

#include "bench.h"

static double time_mlock(__u8 *mem, size_t size)
{
	double t = now();

	CHECK(!mlock(mem, size), "mlock: %s", strerror(errno));
	t = now() - t;
	CHECK(!munlock(mem, size), "munlock: %s", strerror(errno));
	return t;
}

static double time_reg_region(struct sev_vm *vm, __u8 *mem, size_t size)
{
	double t = now();
	int r = sev_vm_region(vm, true, mem, size);

	CHECK(!r, "REG_REGION: %s", strerror(-r));
	t = now() - t;
	r = sev_vm_region(vm, false, mem, size);
	CHECK(!r, "UNREG_REGION: %s", strerror(-r));
	return t;
}

int bench_pin(void)
{
	size_t size = bench_size(1024 * MIB, 16 * MIB);
	unsigned int reps = bench_reps(5), i;
	struct figure f = {
		.id = "pin.reg_region",
		.what = "KVM_MEMORY_ENCRYPT_REG_REGION",
		.base = "mlock() of the same range",
		.unit = "ms",
	};
	__u8 *mem = bench_map(size);
	struct sev_vm vm;
	double s, b;

	/* both pin memory that is present, as a running VMM's would be */
	fill_pattern(mem, size, 5);
	sev_vm_create(&vm);
	time_mlock(mem, 16 * MIB);
	time_reg_region(&vm, mem, 16 * MIB);
	for (i = 0; i < reps; i++) {
		/* alternate the order, so neither always runs second */
		if (i & 1) {
			s = time_reg_region(&vm, mem, size);
			b = time_mlock(mem, size);
		} else {
			b = time_mlock(mem, size);
			s = time_reg_region(&vm, mem, size);
		}
		figure_add(&f, s * 1e3, b * 1e3);
	}
	snprintf(f.note, sizeof(f.note), "%zu MiB, pages present; unpinning not timed",
		 size / MIB);
	figure_emit(&f);
	sev_vm_destroy(&vm);
	bench_unmap(mem, size);
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
