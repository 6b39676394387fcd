// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sharing an SEV context between VMs of one host:
 * KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM hands a live context to another VM
 * (intra-host migration; the source dies), KVM_CAP_VM_COPY_ENC_CONTEXT_FROM
 * makes a VM mirror another's context (e.g. a migration helper). Neither
 * issues a firmware command: the handle and ASID stay the same.
 */

#include <linux/file.h>
#include <linux/kvm_host.h>
#include <linux/misc_cgroup.h>

#include "sev-kvm.h"

/* Lock order: dst->lock, then src->lock; -EBUSY if either is migrating */
static int sev_lock_two_vms(struct kvm *dst, struct kvm *src)
{
	struct kvm_sev_info *dst_sev = to_sev(dst), *src_sev = to_sev(src);
	int r;

	if (dst == src)
		return -EINVAL;

	/* Two VMs migrating to each other would deadlock on the locks */
	if (atomic_cmpxchg_acquire(&dst_sev->migration_in_progress, 0, 1))
		return -EBUSY;
	r = -EBUSY;
	if (atomic_cmpxchg_acquire(&src_sev->migration_in_progress, 0, 1))
		goto release_dst;

	r = -EINTR;
	if (mutex_lock_killable(&dst->lock))
		goto release_src;
	if (mutex_lock_killable_nested(&src->lock, SINGLE_DEPTH_NESTING))
		goto unlock_dst;
	return 0;

unlock_dst:
	mutex_unlock(&dst->lock);
release_src:
	atomic_set_release(&src_sev->migration_in_progress, 0);
release_dst:
	atomic_set_release(&dst_sev->migration_in_progress, 0);
	return r;
}

static void sev_unlock_two_vms(struct kvm *dst, struct kvm *src)
{
	mutex_unlock(&dst->lock);
	mutex_unlock(&src->lock);
	atomic_set_release(&to_sev(dst)->migration_in_progress, 0);
	atomic_set_release(&to_sev(src)->migration_in_progress, 0);
}

/* Lockdep subclasses of the vCPU mutexes of the two VMs */
enum sev_migration_role {
	SEV_MIGRATION_SOURCE = 0,
	SEV_MIGRATION_TARGET,
	SEV_NR_MIGRATION_ROLES,
};

static void sev_unlock_vcpus(struct kvm *kvm, unsigned long count,
			     enum sev_migration_role role)
{
	struct kvm_vcpu *vcpu;
	unsigned long i;

	kvm_for_each_vcpu(i, vcpu, kvm) {
		if (i == count)
			break;
#ifdef CONFIG_PROVE_LOCKING
		/* lockdep tracks only the first mutex of each VM */
		if (i)
			mutex_acquire(&vcpu->mutex.dep_map,
				      SEV_NR_MIGRATION_ROLES, 0, _THIS_IP_);
#endif
		mutex_unlock(&vcpu->mutex);
	}
}

static int sev_lock_vcpus(struct kvm *kvm, enum sev_migration_role role)
{
	struct kvm_vcpu *vcpu;
	unsigned long i;

	kvm_for_each_vcpu(i, vcpu, kvm) {
		if (mutex_lock_killable_nested(&vcpu->mutex,
					       i ? SEV_NR_MIGRATION_ROLES :
						   role)) {
			sev_unlock_vcpus(kvm, i, role);
			return -EINTR;
		}
#ifdef CONFIG_PROVE_LOCKING
		if (i)
			mutex_release(&vcpu->mutex.dep_map, _THIS_IP_);
#endif
	}
	return 0;
}

/* Every vCPU must exist fully; SEV-ES would also need matching vCPUs */
static int sev_check_vcpus(struct kvm *dst, struct kvm *src)
{
	struct kvm_vcpu *vcpu;
	unsigned long i;

	if (src->created_vcpus != atomic_read(&src->online_vcpus) ||
	    dst->created_vcpus != atomic_read(&dst->online_vcpus))
		return -EBUSY;

	if (!sev_es_guest(src))
		return 0;

	if (atomic_read(&src->online_vcpus) != atomic_read(&dst->online_vcpus))
		return -EINVAL;
	kvm_for_each_vcpu(i, vcpu, src)
		if (!vcpu->arch.guest_state_protected)
			return -EINVAL;
	return 0;
}

/* Hand @src's per-VM extras (policy, /dev/sev file) to @dst */
static void sev_ext_move(struct kvm *dst, struct kvm *src)
{
	struct sev_vm_ext *s = sev_ext_get(src, false);
	struct sev_vm_ext *d = sev_ext_get(dst, true);

	if (!d)
		return;
	if (s) {
		struct sev_vmsa_copy *v;
		unsigned long i;

		d->policy = s->policy;
		sev_ext_set_file(d, s->sev_file);
		sev_ext_set_file(s, NULL);
		/* the measured VMSAs go with the vCPUs they belong to */
		xa_for_each(&s->vmsas, i, v) {
			xa_erase(&s->vmsas, i);
			if (xa_err(xa_store(&d->vmsas, i, v, GFP_KERNEL_ACCOUNT)))
				kfree(v);
		}
	}
	sev_debugfs_vm_add(dst, d);
}

static void sev_move_context(struct kvm *dst_kvm, struct kvm *src_kvm)
{
	struct kvm_sev_info *dst = to_sev(dst_kvm), *src = to_sev(src_kvm);
	struct kvm_sev_info *mirror, *owner;
	struct kvm_vcpu *vcpu;
	unsigned long i;

	dst->active = true;
	dst->asid = src->asid;
	dst->handle = src->handle;
	dst->pages_locked = src->pages_locked;
	dst->es_active = src->es_active;

	src->asid = 0;
	src->active = false;
	src->handle = 0;
	src->pages_locked = 0;
	src->es_active = false;

	INIT_LIST_HEAD(&dst->regions_list);
	list_splice_init(&src->regions_list, &dst->regions_list);

	mutex_lock(&sev_mirror_lock);
	/* The mirrors now reference the destination */
	INIT_LIST_HEAD(&dst->mirror_vms);
	list_splice_init(&src->mirror_vms, &dst->mirror_vms);
	list_for_each_entry(mirror, &dst->mirror_vms, mirror_entry) {
		kvm_get_kvm(dst_kvm);
		kvm_put_kvm(src_kvm);
		mirror->enc_context_owner = dst_kvm;
	}
	/* A moved mirror takes the source's place in its owner's list */
	if (src->enc_context_owner) {
		owner = to_sev(src->enc_context_owner);
		dst->enc_context_owner = src->enc_context_owner;
		src->enc_context_owner = NULL;
		list_del(&src->mirror_entry);
		list_add_tail(&dst->mirror_entry, &owner->mirror_vms);
	}
	mutex_unlock(&sev_mirror_lock);

	/* SEV-ES programs the VMCBs first, then the VMSAs and GHCBs move */
	kvm_for_each_vcpu(i, vcpu, dst_kvm)
		sev_init_vmcb(to_svm(vcpu));
	if (dst->es_active)
		sev_es_move_vcpus(dst_kvm, src_kvm);

	sev_ext_move(dst_kvm, src_kvm);
}

static struct kvm *sev_source_vm(unsigned int fd, struct file **file)
{
	*file = fget(fd);
	if (!file_is_kvm(*file))
		return NULL;
	return (*file)->private_data;
}

/**
 * sev_vm_move_enc_context_from() - KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM
 * @kvm: destination, not an SEV VM
 * @source_fd: VM fd of an SEV VM, which is dead afterwards (-EIO)
 *
 * The destination's cgroup is charged unless it is the source's.
 *
 * Return: 0, -EBADF (not a VM fd), -EINVAL, -EBUSY (migration in progress,
 * vCPU being created, cgroup limit), -EINTR.
 */
int sev_vm_move_enc_context_from(struct kvm *kvm, unsigned int source_fd)
{
	struct kvm_sev_info *dst = to_sev(kvm), *src, *cg_done;
	enum misc_res_type res = MISC_CG_RES_SEV;
	struct file *file;
	struct kvm *src_kvm;
	bool charged = false;
	int ret;

	src_kvm = sev_source_vm(source_fd, &file);
	if (!src_kvm) {
		ret = -EBADF;
		goto out_fput;
	}
	ret = sev_lock_two_vms(kvm, src_kvm);
	if (ret)
		goto out_fput;

	if (sev_guest(kvm) || !sev_guest(src_kvm)) {
		ret = -EINVAL;
		goto out_unlock;
	}
	src = to_sev(src_kvm);
	/*
	 * The charge is of the context's type, sev_es for an ES context
	 * (6.1 charges sev here and uncharges sev_es at teardown).
	 */
	res = src->es_active ? MISC_CG_RES_SEV_ES : MISC_CG_RES_SEV;

	dst->misc_cg = get_current_misc_cg();
	cg_done = dst;
	if (dst->misc_cg != src->misc_cg) {
		ret = misc_cg_try_charge(res, dst->misc_cg, 1);
		if (ret)
			goto out_cg;
		charged = true;
	}

	ret = sev_lock_vcpus(kvm, SEV_MIGRATION_SOURCE);
	if (ret)
		goto out_cg;
	ret = sev_lock_vcpus(src_kvm, SEV_MIGRATION_TARGET);
	if (ret)
		goto out_dst_vcpus;

	ret = sev_check_vcpus(kvm, src_kvm);
	if (ret)
		goto out_src_vcpus;

	sev_move_context(kvm, src_kvm);
	kvm_vm_dead(src_kvm);
	/* The charge now belongs to dst; release what src held */
	cg_done = src;

out_src_vcpus:
	sev_unlock_vcpus(src_kvm, ULONG_MAX, SEV_MIGRATION_TARGET);
out_dst_vcpus:
	sev_unlock_vcpus(kvm, ULONG_MAX, SEV_MIGRATION_SOURCE);
out_cg:
	if (charged)
		misc_cg_uncharge(res, cg_done->misc_cg, 1);
	put_misc_cg(cg_done->misc_cg);
	cg_done->misc_cg = NULL;
out_unlock:
	sev_unlock_two_vms(kvm, src_kvm);
out_fput:
	if (file)
		fput(file);
	return ret;
}

/**
 * sev_vm_copy_enc_context_from() - KVM_CAP_VM_COPY_ENC_CONTEXT_FROM
 * @kvm: the new mirror: not SEV, no vCPUs
 * @source_fd: VM fd of an SEV VM that is not itself a mirror
 *
 * The mirror holds a reference on its owner until it is destroyed.
 *
 * Return: 0, -EBADF, -EINVAL, -EBUSY, -EINTR.
 */
int sev_vm_copy_enc_context_from(struct kvm *kvm, unsigned int source_fd)
{
	struct kvm_sev_info *mirror = to_sev(kvm), *owner;
	struct sev_vm_ext *owner_ext, *ext;
	struct file *file;
	struct kvm *src_kvm;
	int ret;

	src_kvm = sev_source_vm(source_fd, &file);
	if (!src_kvm) {
		ret = -EBADF;
		goto out_fput;
	}
	ret = sev_lock_two_vms(kvm, src_kvm);
	if (ret)
		goto out_fput;

	/* Mirrors of mirrors are not supported; vCPUs need SEV set first */
	if (sev_guest(kvm) || !sev_guest(src_kvm) || sev_is_mirror(src_kvm) ||
	    kvm->created_vcpus) {
		ret = -EINVAL;
		goto out_unlock;
	}
	ext = sev_ext_get(kvm, true);
	if (!ext) {
		ret = -ENOMEM;
		goto out_unlock;
	}
	owner = to_sev(src_kvm);

	mutex_lock(&sev_mirror_lock);
	kvm_get_kvm(src_kvm);
	list_add_tail(&mirror->mirror_entry, &owner->mirror_vms);
	mirror->enc_context_owner = src_kvm;
	mutex_unlock(&sev_mirror_lock);

	mirror->active = true;
	mirror->asid = owner->asid;
	mirror->fd = owner->fd;
	mirror->es_active = owner->es_active;
	mirror->handle = owner->handle;
	INIT_LIST_HEAD(&mirror->regions_list);
	INIT_LIST_HEAD(&mirror->mirror_vms);

	owner_ext = sev_ext_get(src_kvm, false);
	if (owner_ext) {
		ext->policy = owner_ext->policy;
		sev_ext_set_file(ext, owner_ext->sev_file);
	}
	sev_debugfs_vm_add(kvm, ext);

out_unlock:
	sev_unlock_two_vms(kvm, src_kvm);
out_fput:
	if (file)
		fput(file);
	return ret;
}
