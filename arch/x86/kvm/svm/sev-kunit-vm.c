// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit fixture of the x86_64 suites (built only into an x86_64 KUnit
 * kernel): real VMs and vCPUs for testing the backend's handlers.
 *
 * A test case runs in a kernel thread before any user process exists. To
 * be a VMM it gets an address space of its own (mm_alloc() and
 * kthread_use_mm(), as vhost does), opens /dev/kvm and /dev/sev from the
 * devtmpfs instance, and issues the ioctls a VMM issues, with their
 * arguments in user memory. File descriptors are installed only for the
 * length of a call: the thread that cleans up after an aborted case is
 * not the one that made them.
 */

#define pr_fmt(fmt) "sev-kunit-vm: " fmt

#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kthread.h>
#include <linux/mman.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/task_work.h>
#include <linux/uaccess.h>

#include "sev-kunit-vm.h"

static struct file *sev_kt_open_dev(const char *name)
{
	struct file_system_type *type;
	struct vfsmount *mnt;
	struct path path;
	struct file *f;

	type = get_fs_type("devtmpfs");
	if (!type)
		return ERR_PTR(-ENODEV);
	mnt = vfs_kern_mount(type, 0, "devtmpfs", NULL);
	put_filesystem(type);
	if (IS_ERR(mnt))
		return ERR_CAST(mnt);

	/* the nodes are in devtmpfs's root: "kvm", "sev" */
	path.mnt = mnt;
	path.dentry = lookup_positive_unlocked(name, mnt->mnt_root,
					       strlen(name));
	if (IS_ERR(path.dentry)) {
		f = ERR_CAST(path.dentry);
	} else {
		f = dentry_open(&path, O_RDWR, current_cred());
		dput(path.dentry);
	}
	mntput(mnt);
	return f;
}

/* The file behind a descriptor an ioctl just made, without the descriptor */
static struct file *sev_kt_take_fd(long fd)
{
	struct file *f;

	if (fd < 0)
		return ERR_PTR(fd);
	f = fget(fd);
	close_fd(fd);
	return f ? f : ERR_PTR(-EBADF);
}

static long sev_kt_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	return f->f_op->unlocked_ioctl(f, cmd, arg);
}

/* An ioctl whose argument is @len bytes at @arg, copied in and back out */
static long sev_kt_ioctl_arg(struct sev_kt_vm *vm, struct file *f,
			     unsigned int cmd, void *arg, size_t len)
{
	void __user *u = (void __user *)vm->arg;
	long ret;

	if (!arg)
		return sev_kt_ioctl(f, cmd, 0);
	if (len > SEV_KT_ARG_SIZE)
		return -E2BIG;
	if (copy_to_user(u, arg, len))
		return -EFAULT;
	ret = sev_kt_ioctl(f, cmd, vm->arg);
	if (copy_from_user(arg, u, len))
		return -EFAULT;
	return ret;
}

/**
 * sev_kt_vm_ioctl() - a VM ioctl with its argument in user memory
 * @vm: the VM
 * @cmd: the ioctl
 * @arg: the argument (copied in, and back when the call returns), or NULL
 * @len: its size
 *
 * Return: the ioctl's return value.
 */
long sev_kt_vm_ioctl(struct sev_kt_vm *vm, unsigned int cmd,
		     void *arg, size_t len)
{
	return sev_kt_ioctl_arg(vm, vm->vm_file, cmd, arg, len);
}

/**
 * sev_kt_vcpu_ioctl() - a vCPU ioctl with its argument in user memory
 * @vm: the VM
 * @vcpu: one of its vCPUs
 * @cmd: the ioctl
 * @arg: the argument (copied in and back), or NULL
 * @len: its size
 *
 * Return: the ioctl's return value, -EINVAL if @vcpu is not @vm's.
 */
long sev_kt_vcpu_ioctl(struct sev_kt_vm *vm, struct kvm_vcpu *vcpu,
		       unsigned int cmd, void *arg, size_t len)
{
	unsigned int i;

	for (i = 0; i < vm->nr_vcpus; i++)
		if (vm->vcpu[i] == vcpu)
			return sev_kt_ioctl_arg(vm, vm->vcpu_file[i], cmd,
						arg, len);
	return -EINVAL;
}

/**
 * sev_kt_sev_cmd() - a KVM_MEMORY_ENCRYPT_OP command
 * @vm: the VM
 * @id: the KVM_SEV_* command
 * @data: its data (copied in and back), or NULL
 * @len: the size of @data
 * @fw_error: if not NULL, the firmware status
 *
 * /dev/sev is given as sev_fd, through a descriptor that lives for the call.
 *
 * Return: the ioctl's return value.
 */
int sev_kt_sev_cmd(struct sev_kt_vm *vm, u32 id, void *data, size_t len,
		   u32 *fw_error)
{
	struct kvm_sev_cmd cmd = { .id = id };
	u8 __user *u = (u8 __user *)vm->arg;
	int fd, ret;

	if (len > SEV_KT_ARG_SIZE - SEV_KT_ARG_DATA)
		return -E2BIG;
	if (data && copy_to_user(u + SEV_KT_ARG_DATA, data, len))
		return -EFAULT;
	if (data)
		cmd.data = vm->arg + SEV_KT_ARG_DATA;

	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0)
		return fd;
	fd_install(fd, get_file(vm->sev_dev));
	cmd.sev_fd = fd;

	ret = -EFAULT;
	if (!copy_to_user(u, &cmd, sizeof(cmd))) {
		ret = sev_kt_ioctl(vm->vm_file, KVM_MEMORY_ENCRYPT_OP, vm->arg);
		if (copy_from_user(&cmd, u, sizeof(cmd)) ||
		    (data && copy_from_user(data, u + SEV_KT_ARG_DATA, len)))
			ret = -EFAULT;
	}
	close_fd(fd);
	if (fw_error)
		*fw_error = cmd.error;
	return ret;
}

/**
 * sev_kt_vcpu_add() - KVM_CREATE_VCPU with the next index
 * @vm: the VM
 *
 * Return: the vCPU, or an ERR_PTR.
 */
struct kvm_vcpu *sev_kt_vcpu_add(struct sev_kt_vm *vm)
{
	struct file *f;

	if (vm->nr_vcpus == SEV_KT_MAX_VCPUS)
		return ERR_PTR(-ENOSPC);
	f = sev_kt_take_fd(sev_kt_ioctl(vm->vm_file, KVM_CREATE_VCPU,
					vm->nr_vcpus));
	if (IS_ERR(f))
		return ERR_CAST(f);
	vm->vcpu_file[vm->nr_vcpus] = f;
	vm->vcpu[vm->nr_vcpus] = f->private_data;
	return vm->vcpu[vm->nr_vcpus++];
}

/**
 * sev_kt_write() - write guest memory as the VMM (through its mapping)
 * @vm: the VM
 * @gpa: guest physical address
 * @buf: the bytes
 * @len: how many
 *
 * Return: 0, or -EFAULT outside the guest's memory.
 */
int sev_kt_write(struct sev_kt_vm *vm, u64 gpa, const void *buf, size_t len)
{
	if (gpa > vm->mem_size || len > vm->mem_size - gpa)
		return -EFAULT;
	return copy_to_user((void __user *)(vm->mem + gpa), buf, len) ?
	       -EFAULT : 0;
}

/**
 * sev_kt_read() - read guest memory as the VMM
 * @vm: the VM
 * @gpa: guest physical address
 * @buf: where to
 * @len: how many bytes
 *
 * Return: 0, or -EFAULT outside the guest's memory.
 */
int sev_kt_read(struct sev_kt_vm *vm, u64 gpa, void *buf, size_t len)
{
	if (gpa > vm->mem_size || len > vm->mem_size - gpa)
		return -EFAULT;
	return copy_from_user(buf, (void __user *)(vm->mem + gpa), len) ?
	       -EFAULT : 0;
}

static unsigned long sev_kt_mmap(size_t len)
{
	return vm_mmap(NULL, 0, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, 0);
}

/**
 * sev_kt_vm_create() - a VM with @mem_size bytes of memory at GPA 0
 * @vm: filled in; sev_kt_vm_destroy() undoes it, also after a failure
 * @mem_size: guest memory, a multiple of PAGE_SIZE
 *
 * Must run in a kernel thread (a KUnit case).
 *
 * Return: 0 or a negative errno.
 */
int sev_kt_vm_create(struct sev_kt_vm *vm, size_t mem_size)
{
	struct kvm_userspace_memory_region slot = {};
	struct file *f;
	long ret;

	memset(vm, 0, sizeof(*vm));
	if (WARN_ON(!(current->flags & PF_KTHREAD) || current->mm))
		return -EINVAL;

	vm->mm = mm_alloc();
	if (!vm->mm)
		return -ENOMEM;
	arch_pick_mmap_layout(vm->mm, &current->signal->rlim[RLIMIT_STACK]);
	/* the thread's reference: exit_mm() drops it if the case aborts */
	mmget(vm->mm);
	kthread_use_mm(vm->mm);
	vm->mm_used = true;

	vm->kvm_dev = sev_kt_open_dev("kvm");
	if (IS_ERR(vm->kvm_dev))
		return PTR_ERR(vm->kvm_dev);
	vm->sev_dev = sev_kt_open_dev("sev");
	if (IS_ERR(vm->sev_dev))
		return PTR_ERR(vm->sev_dev);

	vm->arg = sev_kt_mmap(SEV_KT_ARG_SIZE);
	if (IS_ERR_VALUE(vm->arg))
		return (long)vm->arg;
	vm->mem = sev_kt_mmap(mem_size);
	if (IS_ERR_VALUE(vm->mem))
		return (long)vm->mem;
	vm->mem_size = mem_size;

	f = sev_kt_take_fd(sev_kt_ioctl(vm->kvm_dev, KVM_CREATE_VM, 0));
	if (IS_ERR(f))
		return PTR_ERR(f);
	vm->vm_file = f;
	vm->kvm = f->private_data;

	slot.memory_size = mem_size;
	slot.userspace_addr = vm->mem;
	ret = sev_kt_vm_ioctl(vm, KVM_SET_USER_MEMORY_REGION, &slot,
			      sizeof(slot));
	return ret;
}

static void sev_kt_put(struct file **f)
{
	if (!IS_ERR_OR_NULL(*f))
		fput(*f);
	*f = NULL;
}

/**
 * sev_kt_vm_destroy() - close everything sev_kt_vm_create() made
 * @vm: the VM (may be partly made)
 *
 * Runs in the case's thread, or in the KUnit runner after an aborted case.
 * The files are released before returning (delayed fput flushed), so the
 * VM, its ASID and its firmware context are gone when the next case runs.
 */
void sev_kt_vm_destroy(struct sev_kt_vm *vm)
{
	unsigned int i;

	for (i = 0; i < vm->nr_vcpus; i++)
		sev_kt_put(&vm->vcpu_file[i]);
	sev_kt_put(&vm->vm_file);
	sev_kt_put(&vm->sev_dev);
	sev_kt_put(&vm->kvm_dev);
	if (current->flags & PF_KTHREAD)
		flush_delayed_fput();
	else
		task_work_run();

	if (vm->mm) {
		if (vm->mm_used && current->mm == vm->mm) {
			kthread_unuse_mm(vm->mm);
			mmput(vm->mm);
		}
		mmput(vm->mm);
	}
	memset(vm, 0, sizeof(*vm));
}

/**
 * sev_kt_es_vm() - an SEV-ES VM with @vcpus vCPUs, launch started
 * @test: the case (failures are reported to it)
 * @vm: filled in
 * @mem_size: guest memory
 * @vcpus: vCPUs to create after KVM_SEV_ES_INIT
 *
 * KVM_SEV_ES_INIT, then the vCPUs, then KVM_SEV_LAUNCH_START with policy
 * 0x4 (SEV-ES, debugging allowed).
 *
 * Return: 0 or a negative errno.
 */
int sev_kt_es_vm(struct kunit *test, struct sev_kt_vm *vm, size_t mem_size,
		 unsigned int vcpus)
{
	struct kvm_sev_launch_start start = { .policy = 0x4 };
	struct kvm_vcpu *vcpu;
	unsigned int i;
	u32 fw = 0;
	int ret;

	ret = sev_kt_vm_create(vm, mem_size);
	if (ret) {
		kunit_err(test, "VM: %d\n", ret);
		return ret;
	}
	ret = sev_kt_sev_cmd(vm, KVM_SEV_ES_INIT, NULL, 0, &fw);
	if (ret) {
		kunit_err(test, "KVM_SEV_ES_INIT: %d, firmware %#x\n", ret, fw);
		return ret;
	}
	for (i = 0; i < vcpus; i++) {
		vcpu = sev_kt_vcpu_add(vm);
		if (IS_ERR(vcpu)) {
			kunit_err(test, "vCPU %u: %ld\n", i, PTR_ERR(vcpu));
			return PTR_ERR(vcpu);
		}
	}
	ret = sev_kt_sev_cmd(vm, KVM_SEV_LAUNCH_START, &start, sizeof(start),
			     &fw);
	if (ret)
		kunit_err(test, "LAUNCH_START: %d, firmware %#x\n", ret, fw);
	return ret;
}
