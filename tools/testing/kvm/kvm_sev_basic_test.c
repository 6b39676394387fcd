// SPDX-License-Identifier: GPL-2.0-only
/*
 * The KVM SEV backend without guest launches: capability reporting, a
 * plain and an SEV-initialized guest running real-mode code, the
 * KVM_MEMORY_ENCRYPT_OP dispatch rules, regions and pinning limits, ASIDs
 * and their cgroup, and moving / mirroring contexts. Needs /dev/sev and
 * the project's kvm-amd; no firmware guest command is issued except
 * DEACTIVATE/DECOMMISSION-free teardown and DF_FLUSH.
 */

#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include "kvm_test.h"

static void test_cpuid_reports_sev(void)
{
	struct {
		struct kvm_cpuid2 c;
		struct kvm_cpuid_entry2 e[256];
	} cpuid = { .c.nent = 256 };
	int kvm = kvm_open();
	uint32_t i;

	kvm_ioctl(kvm, KVM_GET_SUPPORTED_CPUID, &cpuid);
	for (i = 0; i < cpuid.c.nent; i++) {
		if (cpuid.e[i].function != 0x8000001f)
			continue;
		TEST_ASSERT(cpuid.e[i].eax & (1u << 1),
			    "0x8000001F EAX %#x lacks SEV", cpuid.e[i].eax);
		TEST_ASSERT(!(cpuid.e[i].eax & (1u << 3)),
			    "0x8000001F EAX %#x has SEV-ES", cpuid.e[i].eax);
		return;
	}
	TEST_FAIL("KVM_GET_SUPPORTED_CPUID has no leaf 0x8000001F");
}

static void test_probe(void)
{
	struct vm *vm = vm_create();

	/* QEMU's query-sev-capabilities: a NULL argument probes */
	TEST_ASSERT_EQ(__kvm_ioctl(vm->fd, KVM_MEMORY_ENCRYPT_OP, NULL), 0);
	vm_destroy(vm);
}

static void test_plain_guest_runs(void)
{
	struct vm *vm = vm_create();

	vm_add_memory(vm);
	vm_add_vcpu(vm);
	vm_load_real_mode_guest(vm);
	vm_expect_real_mode_io(vm);
	vm_destroy(vm);
}

static void test_sev_guest_runs(void)
{
	unsigned int min, max;
	char path[256], buf[4096], want[64];
	struct vm *vm = sev_vm_create();
	long asid;

	sev_asid_range(&min, &max);
	asid = vm_sev_info(vm, "asid");
	TEST_ASSERT(asid >= min && asid <= max, "ASID %ld not in %u-%u", asid,
		    min, max);
	TEST_ASSERT_EQ(vm_sev_info(vm, "handle"), 0);

	vm_add_memory(vm);
	vm_add_vcpu(vm);
	vm_load_real_mode_guest(vm);
	vm_expect_real_mode_io(vm);

	/* the VMCB ran with the VM's ASID and the SEV enable bit */
	vm_debugfs_path(vm, "vcpus", path, sizeof(path));
	TEST_ASSERT(debugfs_read(path, buf, sizeof(buf)), "%s", path);
	snprintf(want, sizeof(want), "vcpu 0: asid %ld ", asid);
	TEST_ASSERT(strstr(buf, want), "%s: \"%s\" not in \"%s\"", path, want,
		    buf);
	TEST_ASSERT(strstr(buf, "sev_enable 1 "), "%s: %s", path, buf);
	TEST_ASSERT(strstr(buf, "ud_intercept 0 "), "%s: %s", path, buf);
	vm_destroy(vm);
}

static void test_init_rules(void)
{
	struct vm *vm = vm_create();
	struct vm *late = vm_create();

	sev_vm_ioctl(vm->fd, KVM_SEV_INIT, NULL, -1);
	sev_vm_ioctl_fails(vm->fd, KVM_SEV_INIT, NULL, -1, EBUSY, -1);

	/* SEV must come before the vCPUs */
	vm_add_vcpu(late);
	sev_vm_ioctl_fails(late->fd, KVM_SEV_INIT, NULL, -1, EINVAL, -1);

	vm_destroy(late);
	vm_destroy(vm);
}

static void test_es_off(void)
{
	struct vm *vm = vm_create();

	/* -ENOTTY before any copy-back */
	sev_vm_ioctl_fails(vm->fd, KVM_SEV_ES_INIT, NULL, -1, ENOTTY,
			   KVM_SEV_ERROR_POISON);
	sev_vm_ioctl(vm->fd, KVM_SEV_INIT, NULL, -1);
	sev_vm_ioctl_fails(vm->fd, KVM_SEV_LAUNCH_UPDATE_VMSA, NULL, -1,
			   ENOTTY, -1);
	vm_destroy(vm);
}

static void test_unhandled_ids(void)
{
	static const uint32_t ids[] = {
		KVM_SEV_SEND_UPDATE_VMSA, KVM_SEV_RECEIVE_UPDATE_VMSA,
		KVM_SEV_CERT_EXPORT, KVM_SEV_NR_MAX, 100, 0xffffffff,
	};
	struct vm *vm = sev_vm_create();
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ids); i++)
		sev_vm_ioctl_fails(vm->fd, ids[i], NULL, -1, EINVAL,
				   KVM_SEV_ERROR_POISON);
	vm_destroy(vm);
}

static void test_not_sev(void)
{
	static const uint32_t ids[] = {
		KVM_SEV_LAUNCH_START, KVM_SEV_LAUNCH_UPDATE_DATA,
		KVM_SEV_LAUNCH_SECRET, KVM_SEV_LAUNCH_MEASURE,
		KVM_SEV_LAUNCH_FINISH, KVM_SEV_SEND_START,
		KVM_SEV_SEND_UPDATE_DATA, KVM_SEV_SEND_FINISH,
		KVM_SEV_SEND_CANCEL, KVM_SEV_RECEIVE_START,
		KVM_SEV_RECEIVE_FINISH, KVM_SEV_GUEST_STATUS,
		KVM_SEV_DBG_DECRYPT, KVM_SEV_DBG_ENCRYPT,
		KVM_SEV_GET_ATTESTATION_REPORT, KVM_SEV_LAUNCH_UPDATE_VMSA,
	};
	uint8_t arg[128] = {};
	struct vm *vm = vm_create();
	size_t i;

	/* handled ids copy the command back: error is what we passed */
	for (i = 0; i < ARRAY_SIZE(ids); i++)
		sev_vm_ioctl_fails(vm->fd, ids[i], arg, -1, ENOTTY,
				   KVM_SEV_ERROR_POISON);
	/* the one inconsistency of Linux 6.1 */
	sev_vm_ioctl_fails(vm->fd, KVM_SEV_RECEIVE_UPDATE_DATA, arg, -1,
			   EINVAL, KVM_SEV_ERROR_POISON);

	TEST_ASSERT_EQ(__vm_enc_region(vm->fd, KVM_MEMORY_ENCRYPT_REG_REGION,
				       arg, sizeof(arg)), -ENOTTY);
	TEST_ASSERT_EQ(__vm_enc_region(vm->fd,
				       KVM_MEMORY_ENCRYPT_UNREG_REGION, arg,
				       sizeof(arg)), -ENOTTY);
	vm_destroy(vm);
}

static void test_bad_args(void)
{
	struct vm *vm = sev_vm_create();
	struct kvm_sev_launch_start start = {};
	struct kvm_sev_dbg dbg = { .src_uaddr = 0x1000, .dst_uaddr = 0x2000 };
	struct kvm_sev_send_update_data upd = {};
	struct kvm_sev_receive_start rs = {};
	int null_fd = open("/dev/null", O_RDWR);

	TEST_ASSERT(null_fd >= 0, "/dev/null");

	/* argument struct out of reach */
	sev_vm_ioctl_fails(vm->fd, KVM_SEV_LAUNCH_START, sev_bad_ptr(), -1,
			   EFAULT, -1);
	TEST_ASSERT_EQ(__kvm_ioctl(vm->fd, KVM_MEMORY_ENCRYPT_OP,
				   sev_bad_ptr()), -EFAULT);

	/* sev_fd must be a /dev/sev file */
	sev_vm_ioctl_fails(vm->fd, KVM_SEV_LAUNCH_START, &start, -1, EBADF,
			   -1);
	sev_vm_ioctl_fails(vm->fd, KVM_SEV_LAUNCH_START, &start, null_fd,
			   EBADF, -1);

	/* blobs over 16 KiB */
	start.session_uaddr = (uintptr_t)&start;
	start.session_len = SEV_FW_BLOB_MAX_SIZE + 1;
	sev_vm_ioctl_fails(vm->fd, KVM_SEV_LAUNCH_START, &start, null_fd,
			   EINVAL, -1);

	sev_vm_ioctl_fails(vm->fd, KVM_SEV_DBG_DECRYPT, &dbg, -1, EINVAL, -1);
	dbg.len = 16;
	dbg.dst_uaddr = 0;
	sev_vm_ioctl_fails(vm->fd, KVM_SEV_DBG_ENCRYPT, &dbg, -1, EINVAL, -1);

	/* SEND_UPDATE_DATA: the guest range must not cross a page */
	upd.hdr_uaddr = (uintptr_t)&upd;
	upd.trans_uaddr = (uintptr_t)&upd;
	upd.hdr_len = 16;
	upd.trans_len = 16;
	upd.guest_uaddr = 0x10010;
	upd.guest_len = PAGE_SZ;
	sev_vm_ioctl_fails(vm->fd, KVM_SEV_SEND_UPDATE_DATA, &upd, -1, EINVAL,
			   -1);

	/* RECEIVE_START: PDH and session are mandatory */
	sev_vm_ioctl_fails(vm->fd, KVM_SEV_RECEIVE_START, &rs, null_fd, EINVAL,
			   -1);
	close(null_fd);
	vm_destroy(vm);
}

static void test_regions(void)
{
	struct vm *vm = sev_vm_create();
	int fd = vm->fd, reg = KVM_MEMORY_ENCRYPT_REG_REGION;
	int unreg = KVM_MEMORY_ENCRYPT_UNREG_REGION;
	uint8_t *mem;

	mem = mmap(NULL, 8 * PAGE_SZ, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(mem != MAP_FAILED, "mmap");

	TEST_ASSERT_EQ(__vm_enc_region(fd, reg, mem, 0), -EINVAL);
	TEST_ASSERT_EQ(__vm_enc_region(fd, reg, (void *)-4096L, 8192),
		       -EINVAL);

	/* 0x800 into the first page: 4 pages for 3 pages' worth */
	TEST_ASSERT_EQ(__vm_enc_region(fd, reg, mem + 0x800, 3 * PAGE_SZ), 0);
	TEST_ASSERT_EQ(vm_sev_info(vm, "pinned pages"), 4);
	/* the same range twice is two registrations */
	TEST_ASSERT_EQ(__vm_enc_region(fd, reg, mem + 0x800, 3 * PAGE_SZ), 0);
	TEST_ASSERT_EQ(__vm_enc_region(fd, reg, mem, 8 * PAGE_SZ), 0);
	TEST_ASSERT_EQ(vm_sev_info(vm, "pinned pages"), 16);
	TEST_ASSERT_EQ(vm_sev_info(vm, "regions"), 3);

	/* unregistering needs the exact range */
	TEST_ASSERT_EQ(__vm_enc_region(fd, unreg, mem + 0x800, 2 * PAGE_SZ),
		       -EINVAL);
	TEST_ASSERT_EQ(__vm_enc_region(fd, unreg, mem + 0x800, 3 * PAGE_SZ),
		       0);
	TEST_ASSERT_EQ(__vm_enc_region(fd, unreg, mem + 0x800, 3 * PAGE_SZ),
		       0);
	TEST_ASSERT_EQ(__vm_enc_region(fd, unreg, mem + 0x800, 3 * PAGE_SZ),
		       -EINVAL);
	TEST_ASSERT_EQ(vm_sev_info(vm, "pinned pages"), 8);

	/* the rest is released with the VM */
	vm_destroy(vm);
	munmap(mem, 8 * PAGE_SZ);
}

/* Drop CAP_IPC_LOCK from this process so that RLIMIT_MEMLOCK applies */
static void drop_cap_ipc_lock(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	TEST_ASSERT(!syscall(SYS_capget, &hdr, data), "capget: %s",
		    strerror(errno));
	data[CAP_IPC_LOCK / 32].effective &= ~(1u << (CAP_IPC_LOCK % 32));
	data[CAP_IPC_LOCK / 32].permitted &= ~(1u << (CAP_IPC_LOCK % 32));
	TEST_ASSERT(!syscall(SYS_capset, &hdr, data), "capset: %s",
		    strerror(errno));
}

static void test_memlock_limit(void)
{
	struct rlimit rl = { 3 * PAGE_SZ, 3 * PAGE_SZ };
	struct vm *vm = sev_vm_create();
	int reg = KVM_MEMORY_ENCRYPT_REG_REGION;
	uint8_t *mem;

	mem = mmap(NULL, 4 * PAGE_SZ, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(mem != MAP_FAILED, "mmap");

	/* with CAP_IPC_LOCK the limit does not count */
	TEST_ASSERT(!setrlimit(RLIMIT_MEMLOCK, &rl), "setrlimit");
	TEST_ASSERT_EQ(__vm_enc_region(vm->fd, reg, mem, 4 * PAGE_SZ), 0);

	drop_cap_ipc_lock();
	/* 4 pinned, 3 allowed: nothing more */
	TEST_ASSERT_EQ(__vm_enc_region(vm->fd, reg, mem, PAGE_SZ), -ENOMEM);
	TEST_ASSERT_EQ(__vm_enc_region(vm->fd, KVM_MEMORY_ENCRYPT_UNREG_REGION,
				       mem, 4 * PAGE_SZ), 0);
	TEST_ASSERT_EQ(__vm_enc_region(vm->fd, reg, mem, 3 * PAGE_SZ), 0);
	TEST_ASSERT_EQ(__vm_enc_region(vm->fd, reg, mem + 3 * PAGE_SZ,
				       PAGE_SZ), -ENOMEM);
	TEST_ASSERT_EQ(vm_sev_info(vm, "pinned pages"), 3);
	vm_destroy(vm);
	munmap(mem, 4 * PAGE_SZ);
}

static void test_asids_exhaust_and_recycle(void)
{
	unsigned int min, max, n, i, round;
	struct vm **vms, *extra;
	long passes = 0;

	sev_asid_range(&min, &max);
	n = max - min + 1;
	vms = calloc(n, sizeof(*vms));
	TEST_ASSERT(vms, "calloc");

	/* the second round can only reuse the first round's ASIDs */
	for (round = 0; round < 2; round++) {
		for (i = 0; i < n; i++)
			vms[i] = sev_vm_create();
		TEST_ASSERT_EQ(sev_platform_value("asids", "in use"), n);
		if (round)
			/* one DF_FLUSH pass made all n reusable */
			TEST_ASSERT_EQ(sev_platform_value("asids",
							  "reclaim passes"),
				       passes + 1);

		extra = vm_create();
		sev_vm_ioctl_fails(extra->fd, KVM_SEV_INIT, NULL, -1, EBUSY,
				   -1);
		vm_destroy(extra);

		for (i = 0; i < n; i++)
			vm_destroy(vms[i]);
		TEST_ASSERT_EQ(sev_platform_value("asids", "in use"), 0);
		TEST_ASSERT_EQ(sev_platform_value("asids", "awaiting reclaim"),
			       n);
		passes = sev_platform_value("asids", "reclaim passes");
	}
	free(vms);
}

static void test_misc_cgroup(void)
{
	char root[] = "/tmp/cgXXXXXX", child[64];
	unsigned int min, max;
	struct vm *a, *b;

	sev_asid_range(&min, &max);
	cgroup2_mount(root);
	expect_misc_capacity(root, "sev", max - min + 1);

	write_file(root, "cgroup.subtree_control", "+misc");
	snprintf(child, sizeof(child), "%s/sevtest", root);
	TEST_ASSERT(!mkdir(child, 0755), "mkdir: %s", strerror(errno));
	write_file(child, "misc.max", "sev 1");
	join_cgroup(child);

	a = sev_vm_create();
	TEST_ASSERT_EQ(misc_current(child, "sev"), 1);

	b = vm_create();
	sev_vm_ioctl_fails(b->fd, KVM_SEV_INIT, NULL, -1, EBUSY, -1);
	vm_destroy(a);
	sev_vm_ioctl(b->fd, KVM_SEV_INIT, NULL, -1);
	vm_destroy(b);
}

static void test_move(void)
{
	struct vm *src = sev_vm_create(), *dst = vm_create();
	struct vm *plain = vm_create(), *sev = sev_vm_create();
	int null_fd = open("/dev/null", O_RDONLY);
	int cap = KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM;
	long asid = vm_sev_info(src, "asid");

	TEST_ASSERT_EQ(__kvm_ioctl(src->kvm, KVM_CHECK_EXTENSION,
				   (void *)(long)cap), 1);
	TEST_ASSERT_EQ(__vm_enable_cap(dst->fd, cap, null_fd), -EBADF);
	TEST_ASSERT_EQ(__vm_enable_cap(dst->fd, cap, dst->fd), -EINVAL);
	TEST_ASSERT_EQ(__vm_enable_cap(dst->fd, cap, plain->fd), -EINVAL);
	TEST_ASSERT_EQ(__vm_enable_cap(sev->fd, cap, src->fd), -EINVAL);

	vm_add_vcpu(src);
	TEST_ASSERT_EQ(__vm_enable_cap(dst->fd, cap, src->fd), 0);
	TEST_ASSERT_EQ(vm_sev_info(dst, "asid"), asid);

	/* the source is dead, the destination is SEV */
	TEST_ASSERT_EQ(__kvm_ioctl(src->fd, KVM_MEMORY_ENCRYPT_OP, NULL), -EIO);
	sev_vm_ioctl_fails(dst->fd, KVM_SEV_INIT, NULL, -1, EBUSY, -1);

	/* and can move on */
	TEST_ASSERT_EQ(__vm_enable_cap(plain->fd, cap, dst->fd), 0);
	TEST_ASSERT_EQ(vm_sev_info(plain, "asid"), asid);

	close(null_fd);
	vm_destroy(src);
	vm_destroy(dst);
	vm_destroy(plain);
	vm_destroy(sev);
	TEST_ASSERT_EQ(sev_platform_value("asids", "in use"), 0);
}

static void test_mirror(void)
{
	struct vm *owner = sev_vm_create(), *mirror = vm_create();
	struct vm *plain = vm_create(), *busy = vm_create();
	struct vm *mm = vm_create();
	int cap = KVM_CAP_VM_COPY_ENC_CONTEXT_FROM;
	struct kvm_sev_dbg dbg = {};
	uint8_t buf[64];

	TEST_ASSERT_EQ(__kvm_ioctl(owner->kvm, KVM_CHECK_EXTENSION,
				   (void *)(long)cap), 1);
	TEST_ASSERT_EQ(__vm_enable_cap(mirror->fd, cap, plain->fd), -EINVAL);
	TEST_ASSERT_EQ(__vm_enable_cap(owner->fd, cap, owner->fd), -EINVAL);
	vm_add_vcpu(busy);
	TEST_ASSERT_EQ(__vm_enable_cap(busy->fd, cap, owner->fd), -EINVAL);

	TEST_ASSERT_EQ(__vm_enable_cap(mirror->fd, cap, owner->fd), 0);
	TEST_ASSERT_EQ(vm_sev_info(mirror, "asid"),
		       vm_sev_info(owner, "asid"));
	TEST_ASSERT(vm_sev_info_has(mirror, "mirror: yes"), "not a mirror");
	TEST_ASSERT_EQ(vm_sev_info(owner, "mirrors"), 1);
	/* no mirrors of mirrors */
	TEST_ASSERT_EQ(__vm_enable_cap(mm->fd, cap, mirror->fd), -EINVAL);

	/* a mirror may not manage the context */
	sev_vm_ioctl_fails(mirror->fd, KVM_SEV_INIT, NULL, -1, EINVAL,
			   KVM_SEV_ERROR_POISON);
	sev_vm_ioctl_fails(mirror->fd, KVM_SEV_LAUNCH_START, buf, -1, EINVAL,
			   KVM_SEV_ERROR_POISON);
	sev_vm_ioctl_fails(mirror->fd, KVM_SEV_SEND_CANCEL, NULL, -1, EINVAL,
			   KVM_SEV_ERROR_POISON);
	TEST_ASSERT_EQ(__vm_enc_region(mirror->fd,
				       KVM_MEMORY_ENCRYPT_REG_REGION, buf,
				       sizeof(buf)), -EINVAL);
	TEST_ASSERT_EQ(__vm_enc_region(mirror->fd,
				       KVM_MEMORY_ENCRYPT_UNREG_REGION, buf,
				       sizeof(buf)), -EINVAL);
	/*
	 * ...but status and debugging pass the filter: they reach the
	 * firmware call, which needs the owner's /dev/sev descriptor (it
	 * never ran LAUNCH_START, so the descriptor is 0, not /dev/sev)
	 */
	sev_vm_ioctl_fails(mirror->fd, KVM_SEV_GUEST_STATUS, buf, -1, EBADF,
			   -1);
	dbg.src_uaddr = (uintptr_t)buf;
	dbg.dst_uaddr = (uintptr_t)buf + 32;
	dbg.len = 16;
	sev_vm_ioctl_fails(mirror->fd, KVM_SEV_DBG_DECRYPT, &dbg, -1, EBADF,
			   -1);
	sev_vm_ioctl_fails(mirror->fd, KVM_SEV_LAUNCH_UPDATE_VMSA, NULL, -1,
			   ENOTTY, -1);

	/* the owner lives until its mirror goes */
	vm_destroy(owner);
	TEST_ASSERT_EQ(sev_platform_value("asids", "in use"), 1);
	vm_destroy(mirror);
	TEST_ASSERT_EQ(sev_platform_value("asids", "in use"), 0);
	vm_destroy(plain);
	vm_destroy(busy);
	vm_destroy(mm);
}

static const struct sev_test tests[] = {
	{ "cpuid_reports_sev", test_cpuid_reports_sev },
	{ "probe", test_probe },
	{ "plain_guest_runs", test_plain_guest_runs },
	{ "sev_guest_runs", test_sev_guest_runs },
	{ "init_rules", test_init_rules },
	{ "es_off", test_es_off },
	{ "unhandled_ids", test_unhandled_ids },
	{ "not_sev", test_not_sev },
	{ "bad_args", test_bad_args },
	{ "regions", test_regions },
	{ "memlock_limit", test_memlock_limit },
	{ "asids_exhaust_and_recycle", test_asids_exhaust_and_recycle },
	{ "misc_cgroup", test_misc_cgroup },
	{ "move", test_move },
	{ "mirror", test_mirror },
};

/*
 * With arguments, run only the named cases; they may not need /dev/sev
 * (plain_guest_runs runs over any PSP driver, or none).
 */
int main(int argc, char **argv)
{
	struct sev_test picked[ARRAY_SIZE(tests)];
	size_t n;

	if (argc < 2)
		return sev_run_tests(tests, ARRAY_SIZE(tests));
	n = sev_pick_tests(tests, ARRAY_SIZE(tests), argc, argv, picked);
	return sev_run_cases(picked, n);
}
