/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * KVM test library for the SEV backend, in the style of the KVM
 * selftests: raw ioctl wrappers that return -errno, asserting wrappers,
 * a tiny real-mode guest, and debugfs readers. Test cases run through
 * sev_run_tests() (sev_test.h): one child process each, KTAP output.
 */

#ifndef _KVM_TEST_H
#define _KVM_TEST_H

#include <linux/kvm.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include "sev_test.h"

#define KVM_DEV_PATH		"/dev/kvm"
#define DEBUGFS			"/sys/kernel/debug"
#define PAGE_SZ			4096UL

/* struct kvm_sev_cmd.error as userspace fills it before the call */
#define KVM_SEV_ERROR_POISON	0xa5a5a5a5u

#define GUEST_MEM_SIZE		0x10000UL	/* 64 KiB at GPA 0 */
#define GUEST_CODE_GPA		0x1000UL

/* SEV firmware status codes the tests look for */
#define SEV_FW_INVALID_LEN	0x04
#define SEV_FW_POLICY_FAILURE	0x07

static inline int kvm_open(void)
{
	int fd = open(KVM_DEV_PATH, O_RDWR);

	TEST_ASSERT(fd >= 0, "open(%s): %s", KVM_DEV_PATH, strerror(errno));
	return fd;
}

/* ioctl() returning 0/positive or -errno */
static inline int __kvm_ioctl(int fd, unsigned long req, void *arg)
{
	int r = ioctl(fd, req, arg);

	return r < 0 ? -errno : r;
}

#define kvm_ioctl(fd, req, arg)						\
({									\
	int __r = __kvm_ioctl(fd, req, arg);				\
									\
	if (__r < 0)							\
		TEST_FAIL("%s: %s", #req, strerror(-__r));		\
	__r;								\
})

/**
 * struct vm - a VM with (optionally) guest memory and one vCPU
 * @kvm: /dev/kvm
 * @fd: the VM
 * @vcpu: the vCPU or -1
 * @run: its kvm_run area
 * @mem: host mapping of guest memory at GPA 0, GUEST_MEM_SIZE bytes
 */
struct vm {
	int kvm;
	int fd;
	int vcpu;
	struct kvm_run *run;
	uint8_t *mem;
};

static inline struct vm *vm_create(void)
{
	struct vm *vm = calloc(1, sizeof(*vm));

	TEST_ASSERT(vm, "calloc");
	vm->kvm = kvm_open();
	vm->fd = kvm_ioctl(vm->kvm, KVM_CREATE_VM, (void *)0);
	vm->vcpu = -1;
	return vm;
}

static inline void vm_destroy(struct vm *vm)
{
	if (vm->run)
		munmap(vm->run, ioctl(vm->kvm, KVM_GET_VCPU_MMAP_SIZE, 0));
	if (vm->vcpu >= 0)
		close(vm->vcpu);
	close(vm->fd);
	if (vm->mem)
		munmap(vm->mem, GUEST_MEM_SIZE);
	close(vm->kvm);
	free(vm);
}

/* GUEST_MEM_SIZE bytes of new memory at GPA 0 (slot 0) of VM @vm_fd */
static inline uint8_t *vm_fd_add_memory(int vm_fd)
{
	struct kvm_userspace_memory_region r = {
		.slot = 0,
		.guest_phys_addr = 0,
		.memory_size = GUEST_MEM_SIZE,
	};
	uint8_t *mem = mmap(NULL, GUEST_MEM_SIZE, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	TEST_ASSERT(mem != MAP_FAILED, "mmap: %s", strerror(errno));
	r.userspace_addr = (uintptr_t)mem;
	kvm_ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION, &r);
	return mem;
}

/* Guest memory at GPA 0 (slot 0) */
static inline void vm_add_memory(struct vm *vm)
{
	vm->mem = vm_fd_add_memory(vm->fd);
}

/* The kvm_run area of vCPU @vcpu_fd (@kvm: /dev/kvm) */
static inline struct kvm_run *vcpu_map_run(int kvm, int vcpu_fd)
{
	int size = kvm_ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, (void *)0);
	struct kvm_run *run = mmap(NULL, size, PROT_READ | PROT_WRITE,
				   MAP_SHARED, vcpu_fd, 0);

	TEST_ASSERT(run != MAP_FAILED, "mmap kvm_run: %s", strerror(errno));
	return run;
}

static inline void vm_add_vcpu(struct vm *vm)
{
	vm->vcpu = kvm_ioctl(vm->fd, KVM_CREATE_VCPU, (void *)0);
	vm->run = vcpu_map_run(vm->kvm, vm->vcpu);
}

/*
 * A real-mode guest at GUEST_CODE_GPA: computes 0x1234 + 0x0101 in
 * registers, writes it to port 0x10 (16-bit OUT), then halts.
 */
static inline void vm_load_real_mode_guest(struct vm *vm)
{
	static const uint8_t code[] = {
		0xbb, 0x34, 0x12,	/* mov $0x1234, %bx */
		0x81, 0xc3, 0x01, 0x01,	/* add $0x0101, %bx */
		0x89, 0xd8,		/* mov %bx, %ax */
		0xba, 0x10, 0x00,	/* mov $0x10, %dx */
		0xef,			/* out %ax, (%dx) */
		0xf4,			/* hlt */
	};
	struct kvm_sregs sregs;
	struct kvm_regs regs = { .rip = 0, .rflags = 0x2 };

	memcpy(vm->mem + GUEST_CODE_GPA, code, sizeof(code));
	kvm_ioctl(vm->vcpu, KVM_GET_SREGS, &sregs);
	sregs.cs.base = GUEST_CODE_GPA;
	sregs.cs.selector = GUEST_CODE_GPA >> 4;
	kvm_ioctl(vm->vcpu, KVM_SET_SREGS, &sregs);
	kvm_ioctl(vm->vcpu, KVM_SET_REGS, &regs);
}

/* Run the guest to its I/O exit and check what it wrote */
static inline void vm_expect_real_mode_io(struct vm *vm)
{
	uint16_t val;

	kvm_ioctl(vm->vcpu, KVM_RUN, (void *)0);
	TEST_ASSERT(vm->run->exit_reason == KVM_EXIT_IO,
		    "exit reason %u, expected KVM_EXIT_IO",
		    vm->run->exit_reason);
	TEST_ASSERT_EQ(vm->run->io.direction, KVM_EXIT_IO_OUT);
	TEST_ASSERT_EQ(vm->run->io.port, 0x10);
	TEST_ASSERT_EQ(vm->run->io.size, 2);
	TEST_ASSERT_EQ(vm->run->io.count, 1);
	memcpy(&val, (uint8_t *)vm->run + vm->run->io.data_offset, 2);
	TEST_ASSERT_EQ(val, 0x1335);

	/* then HLT: userspace sees KVM_EXIT_HLT without an in-kernel APIC */
	kvm_ioctl(vm->vcpu, KVM_RUN, (void *)0);
	TEST_ASSERT(vm->run->exit_reason == KVM_EXIT_HLT,
		    "exit reason %u, expected KVM_EXIT_HLT",
		    vm->run->exit_reason);
}

/*
 * Issue one KVM_MEMORY_ENCRYPT_OP with @error preset. Returns 0 or -errno;
 * @cmd is what the kernel copied back: error keeps the preset where no
 * firmware command ran (or nothing was copied back).
 */
static inline int __sev_vm_ioctl(int vm_fd, uint32_t id, void *data,
				 int sev_fd, uint32_t error,
				 struct kvm_sev_cmd *cmd)
{
	struct kvm_sev_cmd c = {
		.id = id,
		.data = (uintptr_t)data,
		.error = error,
		.sev_fd = sev_fd,
	};
	int r = ioctl(vm_fd, KVM_MEMORY_ENCRYPT_OP, &c);

	if (cmd)
		*cmd = c;
	return r ? -errno : 0;
}

static inline const char *kvm_sev_name(uint32_t id)
{
	static const char * const names[] = {
		"INIT", "ES_INIT", "LAUNCH_START", "LAUNCH_UPDATE_DATA",
		"LAUNCH_UPDATE_VMSA", "LAUNCH_SECRET", "LAUNCH_MEASURE",
		"LAUNCH_FINISH", "SEND_START", "SEND_UPDATE_DATA",
		"SEND_UPDATE_VMSA", "SEND_FINISH", "RECEIVE_START",
		"RECEIVE_UPDATE_DATA", "RECEIVE_UPDATE_VMSA", "RECEIVE_FINISH",
		"GUEST_STATUS", "DBG_DECRYPT", "DBG_ENCRYPT", "CERT_EXPORT",
		"GET_ATTESTATION_REPORT", "SEND_CANCEL",
	};

	return id < ARRAY_SIZE(names) ? names[id] : "unknown id";
}

/* Assert success with firmware status 0 (preset 0, as upstream's tests) */
#define sev_vm_ioctl(vm_fd, id, data, sev_fd)				\
do {									\
	struct kvm_sev_cmd __c;						\
	uint32_t __id = (id);						\
	int __r = __sev_vm_ioctl(vm_fd, __id, data, sev_fd, 0, &__c);	\
									\
	if (__r || __c.error)						\
		TEST_FAIL("KVM_SEV_%s: ret %d (%s), fw error %#x",	\
			  kvm_sev_name(__id), __r, strerror(-__r),	\
			  __c.error);					\
} while (0)

/*
 * Assert failure with -@err and, unless @fw is negative, the firmware
 * status @fw (KVM_SEV_ERROR_POISON: not copied back)
 */
#define sev_vm_ioctl_fails(vm_fd, id, data, sev_fd, err, fw)		\
do {									\
	struct kvm_sev_cmd __c;						\
	uint32_t __id = (id);						\
	long long __want = (fw);					\
	int __err = (err);						\
	int __r = __sev_vm_ioctl(vm_fd, __id, data, sev_fd,		\
				 KVM_SEV_ERROR_POISON, &__c);		\
									\
	if (__r != -__err || (__want >= 0 && __c.error != __want))	\
		TEST_FAIL("KVM_SEV_%s (%u): ret %d (%s), fw error %#x; %s%s, fw error %lld", \
			  kvm_sev_name(__id), __id, __r, strerror(-__r), \
			  __c.error, "expected ", strerror(__err), __want); \
} while (0)

static inline int __vm_enc_region(int vm_fd, unsigned long req, void *addr,
				  uint64_t size)
{
	struct kvm_enc_region r = { .addr = (uintptr_t)addr, .size = size };

	return __kvm_ioctl(vm_fd, req, &r);
}

static inline int __vm_enable_cap(int vm_fd, uint32_t cap, uint64_t arg0)
{
	struct kvm_enable_cap c = { .cap = cap, .args = { arg0 } };

	return __kvm_ioctl(vm_fd, KVM_ENABLE_CAP, &c);
}

/*
 * debugfs: "key: value" from the VM's sev/info (KVM names the VM's
 * directory <pid>-<vm fd>), or the kvm_amd_sev platform/asids files.
 */
static inline bool debugfs_read(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return false;
	n = fread(buf, 1, len - 1, f);
	buf[n] = 0;
	fclose(f);
	return true;
}

static inline long debugfs_value(const char *path, const char *key)
{
	char buf[4096], *line;
	size_t klen = strlen(key);

	TEST_ASSERT(debugfs_read(path, buf, sizeof(buf)), "read %s: %s", path,
		    strerror(errno));
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
		if (!strncmp(line, key, klen) && line[klen] == ':')
			return strtol(line + klen + 1, NULL, 0);
	TEST_FAIL("%s has no \"%s\"", path, key);
}

static inline void vm_debugfs_path(struct vm *vm, const char *file,
				   char *path, size_t len)
{
	snprintf(path, len, DEBUGFS "/kvm/%d-%d/sev/%s", getpid(), vm->fd,
		 file);
}

static inline long vm_sev_info(struct vm *vm, const char *key)
{
	char path[256];

	vm_debugfs_path(vm, "info", path, sizeof(path));
	return debugfs_value(path, key);
}

static inline bool vm_sev_info_has(struct vm *vm, const char *line)
{
	char path[256], buf[4096];

	vm_debugfs_path(vm, "info", path, sizeof(path));
	TEST_ASSERT(debugfs_read(path, buf, sizeof(buf)), "read %s: %s", path,
		    strerror(errno));
	return strstr(buf, line);
}

static inline long sev_platform_value(const char *file, const char *key)
{
	char path[256];

	snprintf(path, sizeof(path), DEBUGFS "/kvm_amd_sev/%s", file);
	return debugfs_value(path, key);
}

/* The SEV ASID range "asids: MIN - MAX" */
static inline void sev_asid_range(unsigned int *min, unsigned int *max)
{
	char buf[4096], *p;

	TEST_ASSERT(debugfs_read(DEBUGFS "/kvm_amd_sev/platform", buf,
				 sizeof(buf)), "kvm_amd_sev/platform: %s",
		    strerror(errno));
	p = strstr(buf, "asids:");
	TEST_ASSERT(p && sscanf(p, "asids: %u - %u", min, max) == 2,
		    "no ASID range in kvm_amd_sev/platform");
}

/*
 * VMSAs the software firmware keeps a record of (LAUNCH_UPDATE_VMSA, for
 * SEND_UPDATE_VMSA): "es_vmsa_records: N of M" in sev-emu/platform, shown
 * while the platform runs with SEV-ES; 0 otherwise
 */
static inline long fw_es_vmsa_records(void)
{
	char buf[4096], *p;

	TEST_ASSERT(debugfs_read(DEBUGFS "/sev-emu/platform", buf,
				 sizeof(buf)), "sev-emu/platform: %s",
		    strerror(errno));
	p = strstr(buf, "es_vmsa_records:");
	return p ? strtol(p + 16, NULL, 10) : 0;
}

static inline struct vm *sev_vm_create(void)
{
	struct vm *vm = vm_create();

	sev_vm_ioctl(vm->fd, KVM_SEV_INIT, NULL, -1);
	return vm;
}

/* Pages pinned with FOLL_PIN and not yet unpinned, system wide */
static inline long sys_pinned_pages(void)
{
	long acquired = -1, released = -1, v;
	char key[64];
	int fd = open("/proc/sys/vm/stat_refresh", O_WRONLY);
	FILE *f;

	/* fold the per-CPU counter deltas into the global ones */
	TEST_ASSERT(fd >= 0 && write(fd, "1", 1) == 1,
		    "write /proc/sys/vm/stat_refresh: %s", strerror(errno));
	close(fd);
	f = fopen("/proc/vmstat", "r");
	TEST_ASSERT(f, "open /proc/vmstat");
	while (fscanf(f, "%63s %ld", key, &v) == 2) {
		if (!strcmp(key, "nr_foll_pin_acquired"))
			acquired = v;
		else if (!strcmp(key, "nr_foll_pin_released"))
			released = v;
	}
	fclose(f);
	TEST_ASSERT(acquired >= 0 && released >= 0,
		    "/proc/vmstat has no nr_foll_pin_* counters");
	return acquired - released;
}

/*
 * The cases of @tests (@n of them) that @argv[1 .. @argc - 1] name, into
 * @picked; returns how many, or exits 2 for a name that is none of them
 */
static inline size_t sev_pick_tests(const struct sev_test *tests, size_t n,
				    int argc, char **argv,
				    struct sev_test *picked)
{
	size_t i, k = 0;
	int a;

	for (a = 1; a < argc; a++) {
		for (i = 0; i < n; i++)
			if (!strcmp(argv[a], tests[i].name))
				break;
		if (i == n) {
			fprintf(stderr, "unknown test case %s\n", argv[a]);
			exit(2);
		}
		picked[k++] = tests[i];
	}
	return k;
}

/* The whole of a small file into @buf; returns its length or -1 */
static inline ssize_t read_file(const char *path, void *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n, total = 0;

	if (fd < 0)
		return -1;
	while ((size_t)total < len &&
	       (n = read(fd, (uint8_t *)buf + total, len - total)) > 0)
		total += n;
	close(fd);
	return total;
}

/* Write @s to @dir/@file (sysfs, cgroupfs), or fail the test */
static inline void write_file(const char *dir, const char *file,
			      const char *s)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY);
	TEST_ASSERT(fd >= 0, "open %s: %s", path, strerror(errno));
	TEST_ASSERT(write(fd, s, strlen(s)) == (ssize_t)strlen(s),
		    "write %s to %s: %s", s, path, strerror(errno));
	close(fd);
}

/* Wait up to @tries times 10 ms until @fn() is back at @want */
static inline bool settles(long (*fn)(void), long want, int tries)
{
	int i;

	for (i = 0; i < tries; i++) {
		if (fn() == want)
			return true;
		usleep(10000);
	}
	return false;
}

/* ------------------------------------------------- the misc cgroup */

/* A cgroup2 hierarchy on a new directory made from template @root */
static inline void cgroup2_mount(char *root)
{
	TEST_ASSERT(mkdtemp(root), "mkdtemp");
	TEST_ASSERT(!mount("none", root, "cgroup2", 0, NULL),
		    "mount cgroup2: %s", strerror(errno));
}

/* The root cgroup @root's misc.capacity has "@res @n" */
static inline void expect_misc_capacity(const char *root, const char *res,
					unsigned int n)
{
	char path[256], buf[512], want[64];

	snprintf(path, sizeof(path), "%s/misc.capacity", root);
	TEST_ASSERT(debugfs_read(path, buf, sizeof(buf)), "%s", path);
	snprintf(want, sizeof(want), "%s %u\n", res, n);
	TEST_ASSERT(strstr(buf, want), "misc.capacity: %s, expected %s", buf,
		    want);
}

/* misc.current of @cg, the value of @res */
static inline long misc_current(const char *cg, const char *res)
{
	char path[256], buf[512], *p;
	size_t n = strlen(res);

	snprintf(path, sizeof(path), "%s/misc.current", cg);
	TEST_ASSERT(debugfs_read(path, buf, sizeof(buf)), "%s: %s", path,
		    strerror(errno));
	for (p = strtok(buf, "\n"); p; p = strtok(NULL, "\n"))
		if (!strncmp(p, res, n) && p[n] == ' ')
			return strtol(p + n + 1, NULL, 0);
	TEST_FAIL("%s has no %s", path, res);
}

/* Move this process into cgroup @cg */
static inline void join_cgroup(const char *cg)
{
	char pid[32];

	snprintf(pid, sizeof(pid), "%d", getpid());
	write_file(cg, "cgroup.procs", pid);
}

#endif /* _KVM_TEST_H */
