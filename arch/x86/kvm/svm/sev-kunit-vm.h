/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * KUnit fixture of the x86_64 suites: real VMs and vCPUs, made through
 * /dev/kvm and /dev/sev exactly as a VMM makes them.
 */

#ifndef _SEV_KUNIT_VM_H
#define _SEV_KUNIT_VM_H

#include <linux/kvm_host.h>
#include <kunit/test.h>

#define SEV_KT_MAX_VCPUS	4
/* ioctl arguments: struct kvm_sev_cmd at 0, the command's data after it */
#define SEV_KT_ARG_SIZE		(4 * PAGE_SIZE)
#define SEV_KT_ARG_DATA		256

/**
 * struct sev_kt_vm - a VM of a test case
 * @mm: the address space the VM belongs to (the VMM's, here the test's)
 * @mm_used: the current thread runs on @mm (kthread_use_mm())
 * @kvm_dev: /dev/kvm
 * @sev_dev: /dev/sev
 * @vm_file: the VM's file
 * @kvm: the VM
 * @nr_vcpus: vCPUs created
 * @vcpu_file: their files
 * @vcpu: the vCPUs
 * @mem: user address of the guest's memory, slot 0 at GPA 0
 * @mem_size: its size
 * @arg: user address of the page(s) ioctl arguments are copied to
 */
struct sev_kt_vm {
	struct mm_struct *mm;
	bool mm_used;
	struct file *kvm_dev;
	struct file *sev_dev;
	struct file *vm_file;
	struct kvm *kvm;
	unsigned int nr_vcpus;
	struct file *vcpu_file[SEV_KT_MAX_VCPUS];
	struct kvm_vcpu *vcpu[SEV_KT_MAX_VCPUS];
	unsigned long mem;
	size_t mem_size;
	unsigned long arg;
};

int sev_kt_vm_create(struct sev_kt_vm *vm, size_t mem_size);
void sev_kt_vm_destroy(struct sev_kt_vm *vm);
long sev_kt_vm_ioctl(struct sev_kt_vm *vm, unsigned int cmd,
		     void *arg, size_t len);
long sev_kt_vcpu_ioctl(struct sev_kt_vm *vm, struct kvm_vcpu *vcpu,
		       unsigned int cmd, void *arg, size_t len);
int sev_kt_sev_cmd(struct sev_kt_vm *vm, u32 id, void *data, size_t len,
		   u32 *fw_error);
struct kvm_vcpu *sev_kt_vcpu_add(struct sev_kt_vm *vm);
int sev_kt_write(struct sev_kt_vm *vm, u64 gpa, const void *buf, size_t len);
int sev_kt_read(struct sev_kt_vm *vm, u64 gpa, void *buf, size_t len);

int sev_kt_es_vm(struct kunit *test, struct sev_kt_vm *vm, size_t mem_size,
		 unsigned int vcpus);

#endif
