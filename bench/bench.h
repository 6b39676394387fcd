/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sev-bench: shared declarations of the benchmark programs (timing, result
 * records, /dev/sev and KVM SEV helpers, debugfs counters, pagemap).
 */

#ifndef _SEV_BENCH_H
#define _SEV_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdnoreturn.h>
#include <linux/kvm.h>
#include <linux/types.h>
#include <linux/psp-sev.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define MIB		(1024UL * 1024UL)
#define PAGE_SZ		4096UL
#define HUGE_SZ		(2 * MIB)
#define MAX_REPS	16

/* Print "sev-bench: ..." to stderr and exit 1: a benchmark error */
noreturn void die(const char *fmt, ...);

#define CHECK(cond, fmt, ...)						\
do {									\
	if (!(cond))							\
		die("%s:%d: %s: " fmt, __FILE__, __LINE__, #cond,	\
		    ##__VA_ARGS__);					\
} while (0)

/**
 * struct bench_opts - what the command line chose
 * @reps: measured repetitions (after one warm-up round)
 * @smoke: one repetition, small sizes
 * @scale: divisor of the fixed sizes (1 unless --smoke)
 */
struct bench_opts {
	unsigned int reps;
	bool smoke;
	unsigned int scale;
};

extern struct bench_opts opts;

/* Repetitions for a benchmark whose default is @full */
unsigned int bench_reps(unsigned int full);

/* A fixed benchmark size, divided by the smoke scale but not below @min */
size_t bench_size(size_t full, size_t min);

/* CLOCK_MONOTONIC in seconds */
double now(void);

/**
 * struct figure - one measured figure and its in-run baseline
 * @id: short identifier ("cmd.platform_status")
 * @what: what the subject is
 * @base: what the baseline is
 * @unit: unit of both sample arrays
 * @higher_better: larger samples are better (throughput, not time)
 * @no_base: there is no baseline in this record (the report pairs it)
 * @n: repetitions recorded
 * @subject: the subject's samples, one per repetition
 * @baseline: the baseline's samples, paired with @subject
 * @note: free text shown under the table, or NULL
 */
struct figure {
	const char *id;
	const char *what;
	const char *base;
	const char *unit;
	bool higher_better;
	bool no_base;
	unsigned int n;
	double subject[MAX_REPS];
	double baseline[MAX_REPS];
	char note[160];
};

void figure_add(struct figure *f, double subject, double baseline);

/* Print the figure as one "BENCH {json}" line on stdout */
void figure_emit(const struct figure *f);

/* Seconds per call of @fn(@arg) over @iters calls */
double time_per_call(void (*fn)(void *arg), void *arg, unsigned long iters);

/* ---- /dev/sev and KVM ---- */

int sev_dev_open(void);

/* SEV_ISSUE_CMD; returns 0 or -errno, the firmware status in *@fw_error */
int sev_cmd(int fd, __u32 cmd, void *data, __u32 *fw_error);

/**
 * struct sev_vm - an SEV VM with guest memory at GPA 0
 * @kvm: /dev/kvm
 * @fd: the VM
 * @sev: /dev/sev
 * @mem: guest memory (host mapping)
 * @size: bytes of @mem
 * @handle: the firmware's guest handle after LAUNCH_START
 */
struct sev_vm {
	int kvm;
	int fd;
	int sev;
	__u8 *mem;
	size_t size;
	__u32 handle;
};

/* KVM_CREATE_VM and KVM_SEV_INIT; no memory */
void sev_vm_create(struct sev_vm *vm);

/* KVM_CREATE_VM, KVM_SEV_INIT, @size bytes of guest memory as slot 0 */
void sev_vm_create_mem(struct sev_vm *vm, __u8 *mem, size_t size);

void sev_vm_destroy(struct sev_vm *vm);

/* KVM_MEMORY_ENCRYPT_OP; returns 0 or -errno, the firmware status in *@err */
int sev_vm_op(struct sev_vm *vm, __u32 id, void *data, __u32 *err);

/* KVM_MEMORY_ENCRYPT_OP that must succeed */
void sev_vm_op_ok(struct sev_vm *vm, __u32 id, void *data);

/* KVM_MEMORY_ENCRYPT_(UN)REG_REGION; returns 0 or -errno */
int sev_vm_region(struct sev_vm *vm, bool reg, void *addr, size_t len);

void sev_launch_start(struct sev_vm *vm, __u32 policy);
void sev_launch_update(struct sev_vm *vm, void *addr, size_t len);
void sev_launch_finish(struct sev_vm *vm);

/* ---- memory ---- */

/* @len bytes of anonymous memory aligned to 2 MiB; not populated */
__u8 *bench_map(size_t len);
void bench_unmap(__u8 *p, size_t len);

/* A deterministic byte pattern */
void fill_pattern(__u8 *p, size_t len, __u32 seed);

/* Physically contiguous runs of [@p, @p + @len) (/proc/self/pagemap) */
unsigned long phys_runs(const void *p, size_t len);

/* ---- debugfs counters ---- */

/* Executions of firmware command @id (sev-emu/commands) */
long fw_cmd_count(unsigned int id);

/* Commands the PSP driver issued by name (sev-psp/commands) */
long psp_cmd_count(const char *name);

/* "key: value" of a debugfs file (-1 if absent); a write to one */
long long debugfs_key(const char *path, const char *key);
void debugfs_write(const char *path, const char *line);

/* ---- the benchmarks ---- */

int bench_cmd(void);
int bench_kvm_cmd(void);
int bench_procs(void);
int bench_launch(void);
int bench_coalesce(void);
int bench_scale(void);
int bench_pin(void);
int bench_dbg(void);
int bench_asid(void);
int bench_asidall_small(void);
int bench_asidall(void);
int bench_asidall_es(void);

#endif /* _SEV_BENCH_H */
