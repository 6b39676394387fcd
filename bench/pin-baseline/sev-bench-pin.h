/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Interface of the benchmarks' pinning baseline (sev-bench-pin.ko), shared
 * by the module and sev-bench: /dev/sev-bench-pin pins a user range the
 * way the KVM SEV backend's sev_pin_memory() of Linux 6.1 does, and
 * unpins it again, so that both can be timed from userspace.
 */

#ifndef _SEV_BENCH_PIN_H
#define _SEV_BENCH_PIN_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define SEV_BENCH_PIN_DEV	"/dev/sev-bench-pin"

/**
 * struct sev_bench_pin_range - a user range, as KVM_MEMORY_ENCRYPT_REG_REGION
 *				takes it
 * @addr: start, any alignment
 * @size: length in bytes
 */
struct sev_bench_pin_range {
	__u64 addr;
	__u64 size;
};

/* Pin the range: 0, -EINVAL (bad range), -ENOMEM (memlock limit, pinning) */
#define SEV_BENCH_PIN		_IOW('S', 0xb0, struct sev_bench_pin_range)
/* Unpin a range pinned by this file: 0, -EINVAL (no such range) */
#define SEV_BENCH_UNPIN		_IOW('S', 0xb1, struct sev_bench_pin_range)

#endif /* _SEV_BENCH_PIN_H */
