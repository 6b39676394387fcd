// SPDX-License-Identifier: GPL-2.0-only
/*
 * sev-bench library: timing, result records, /dev/sev and KVM SEV
 * wrappers, guest memory, pagemap runs and the debugfs command counters.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "bench.h"

struct bench_opts opts = { .reps = 0, .smoke = false, .scale = 1 };

noreturn void die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("sev-bench: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

unsigned int bench_reps(unsigned int full)
{
	unsigned int r = opts.smoke ? 1 : (opts.reps ? opts.reps : full);

	return r > MAX_REPS ? MAX_REPS : r;
}

size_t bench_size(size_t full, size_t min)
{
	size_t s = full / opts.scale;

	return s < min ? min : s;
}

double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void figure_add(struct figure *f, double subject, double baseline)
{
	CHECK(f->n < MAX_REPS, "%s: too many samples", f->id);
	f->subject[f->n] = subject;
	f->baseline[f->n] = baseline;
	f->n++;
}

/* A JSON string of our own text: escape what JSON requires */
static void json_str(const char *key, const char *s)
{
	printf("\"%s\":\"", key);
	for (; s && *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
	printf("\",");
}

static void json_array(const char *key, const double *v, unsigned int n)
{
	unsigned int i;

	printf("\"%s\":[", key);
	for (i = 0; i < n; i++)
		printf("%s%.9g", i ? "," : "", v[i]);
	printf("]");
}

void figure_emit(const struct figure *f)
{
	printf("BENCH {");
	json_str("id", f->id);
	json_str("what", f->what);
	json_str("base", f->base);
	json_str("unit", f->unit);
	json_str("note", f->note);
	printf("\"higher_better\":%s,", f->higher_better ? "true" : "false");
	json_array("subject", f->subject, f->n);
	putchar(',');
	json_array("baseline", f->baseline, f->no_base ? 0 : f->n);
	printf("}\n");
	fflush(stdout);
}

double time_per_call(void (*fn)(void *arg), void *arg, unsigned long iters)
{
	unsigned long i;
	double t = now();

	for (i = 0; i < iters; i++)
		fn(arg);
	return (now() - t) / iters;
}

/* ---- /dev/sev and KVM ---- */

int sev_dev_open(void)
{
	int fd = open("/dev/sev", O_RDWR);

	CHECK(fd >= 0, "open /dev/sev: %s", strerror(errno));
	return fd;
}

int sev_cmd(int fd, __u32 cmd, void *data, __u32 *fw_error)
{
	struct sev_issue_cmd arg = { .cmd = cmd, .data = (uintptr_t)data };
	int r = ioctl(fd, SEV_ISSUE_CMD, &arg);

	if (fw_error)
		*fw_error = arg.error;
	return r < 0 ? -errno : 0;
}

void sev_vm_create(struct sev_vm *vm)
{
	memset(vm, 0, sizeof(*vm));
	vm->kvm = open("/dev/kvm", O_RDWR);
	CHECK(vm->kvm >= 0, "open /dev/kvm: %s", strerror(errno));
	vm->fd = ioctl(vm->kvm, KVM_CREATE_VM, 0);
	CHECK(vm->fd >= 0, "KVM_CREATE_VM: %s", strerror(errno));
	vm->sev = sev_dev_open();
	sev_vm_op_ok(vm, KVM_SEV_INIT, NULL);
}

void sev_vm_create_mem(struct sev_vm *vm, __u8 *mem, size_t size)
{
	struct kvm_userspace_memory_region r = {
		.slot = 0,
		.guest_phys_addr = 0,
		.memory_size = size,
		.userspace_addr = (uintptr_t)mem,
	};

	sev_vm_create(vm);
	vm->mem = mem;
	vm->size = size;
	CHECK(!ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &r),
	      "KVM_SET_USER_MEMORY_REGION: %s", strerror(errno));
}

void sev_vm_destroy(struct sev_vm *vm)
{
	close(vm->fd);
	close(vm->sev);
	close(vm->kvm);
	vm->fd = -1;
}

int sev_vm_op(struct sev_vm *vm, __u32 id, void *data, __u32 *err)
{
	struct kvm_sev_cmd c = {
		.id = id,
		.data = (uintptr_t)data,
		.sev_fd = vm->sev,
	};
	int r = ioctl(vm->fd, KVM_MEMORY_ENCRYPT_OP, &c);

	if (err)
		*err = c.error;
	return r < 0 ? -errno : 0;
}

void sev_vm_op_ok(struct sev_vm *vm, __u32 id, void *data)
{
	__u32 err = 0;
	int r = sev_vm_op(vm, id, data, &err);

	CHECK(!r && !err, "KVM_SEV command %u: %s, firmware status %#x", id,
	      strerror(-r), err);
}

int sev_vm_region(struct sev_vm *vm, bool reg, void *addr, size_t len)
{
	struct kvm_enc_region r = { .addr = (uintptr_t)addr, .size = len };
	int ret;

	ret = ioctl(vm->fd, reg ? KVM_MEMORY_ENCRYPT_REG_REGION :
		    KVM_MEMORY_ENCRYPT_UNREG_REGION, &r);
	return ret < 0 ? -errno : 0;
}

void sev_launch_start(struct sev_vm *vm, __u32 policy)
{
	struct kvm_sev_launch_start s = { .policy = policy };

	sev_vm_op_ok(vm, KVM_SEV_LAUNCH_START, &s);
	CHECK(s.handle, "LAUNCH_START returned no handle");
	vm->handle = s.handle;
}

void sev_launch_update(struct sev_vm *vm, void *addr, size_t len)
{
	struct kvm_sev_launch_update_data u = {
		.uaddr = (uintptr_t)addr,
		.len = len,
	};

	sev_vm_op_ok(vm, KVM_SEV_LAUNCH_UPDATE_DATA, &u);
}

void sev_launch_finish(struct sev_vm *vm)
{
	struct kvm_sev_launch_measure m = {};
	__u8 buf[64];

	m.uaddr = (uintptr_t)buf;
	m.len = sizeof(buf);
	sev_vm_op_ok(vm, KVM_SEV_LAUNCH_MEASURE, &m);
	sev_vm_op_ok(vm, KVM_SEV_LAUNCH_FINISH, NULL);
}

/* ---- memory ---- */

__u8 *bench_map(size_t len)
{
	size_t over = len + HUGE_SZ;
	__u8 *p, *a;

	p = mmap(NULL, over, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	CHECK(p != MAP_FAILED, "mmap %zu MiB: %s", len / MIB, strerror(errno));
	a = (__u8 *)(((uintptr_t)p + HUGE_SZ - 1) & ~(HUGE_SZ - 1));
	if (a > p)
		munmap(p, a - p);
	if (a + len < p + over)
		munmap(a + len, p + over - (a + len));
	return a;
}

void bench_unmap(__u8 *p, size_t len)
{
	munmap(p, len);
}

void fill_pattern(__u8 *p, size_t len, __u32 seed)
{
	__u64 *q = (__u64 *)p, x = seed | 1;
	size_t i;

	for (i = 0; i < len / 8; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		q[i] = x;
	}
	for (i = len & ~7UL; i < len; i++)
		p[i] = (__u8)i;
}

unsigned long phys_runs(const void *p, size_t len)
{
	uintptr_t first = (uintptr_t)p / PAGE_SZ;
	size_t n = ((uintptr_t)p + len - 1) / PAGE_SZ - first + 1, i;
	__u64 *map = calloc(n, sizeof(*map)), prev = 0, pfn;
	unsigned long runs = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);
	ssize_t got;

	CHECK(map && fd >= 0, "open /proc/self/pagemap: %s", strerror(errno));
	got = pread(fd, map, n * sizeof(*map), first * sizeof(*map));
	CHECK(got == (ssize_t)(n * sizeof(*map)), "read pagemap: %s",
	      strerror(errno));
	close(fd);
	for (i = 0; i < n; i++) {
		/* bit 63 present, bits 0-54 the frame (zero without root) */
		CHECK(map[i] >> 63, "page %zu of the range is not present", i);
		pfn = map[i] & ((1ULL << 55) - 1);
		CHECK(pfn, "pagemap shows no frame numbers (not root?)");
		if (!i || pfn != prev + 1)
			runs++;
		prev = pfn;
	}
	free(map);
	return runs;
}

/* ---- debugfs counters ---- */

static char *read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	CHECK(fd >= 0, "open %s: %s", path, strerror(errno));
	n = read(fd, buf, len - 1);
	CHECK(n >= 0, "read %s: %s", path, strerror(errno));
	buf[n] = 0;
	close(fd);
	return buf;
}

long fw_cmd_count(unsigned int id)
{
	char buf[8192], *line, *save;
	unsigned long long count, failed;
	unsigned int i;

	read_file("/sys/kernel/debug/sev-emu/commands", buf, sizeof(buf));
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (sscanf(line, "%x %llu %llu", &i, &count, &failed) == 3 &&
		    i == id)
			return count;
	return 0;
}

/* "key: value" of a debugfs file, -1 if absent */
long long debugfs_key(const char *path, const char *key)
{
	char buf[4096], *line, *save;
	size_t klen = strlen(key);

	read_file(path, buf, sizeof(buf));
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (!strncmp(line, key, klen) && line[klen] == ':')
			return strtoll(line + klen + 1, NULL, 10);
	return -1;
}

/* Write @line to a debugfs file (a reset of its counters) */
void debugfs_write(const char *path, const char *line)
{
	int fd = open(path, O_WRONLY);

	CHECK(fd >= 0, "open %s: %s", path, strerror(errno));
	CHECK(write(fd, line, strlen(line)) == (ssize_t)strlen(line),
	      "write %s: %s", path, strerror(errno));
	close(fd);
}

long psp_cmd_count(const char *name)
{
	char buf[8192], cname[64], *line, *save;
	unsigned int id;
	long long n;

	read_file("/sys/kernel/debug/sev-psp/commands", buf, sizeof(buf));
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (sscanf(line, "%x %63s %lld", &id, cname, &n) == 3 &&
		    !strcmp(cname, name))
			return n;
	return 0;
}
