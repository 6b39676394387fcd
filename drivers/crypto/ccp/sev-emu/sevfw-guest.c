// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest contexts of the software SEV firmware and the commands that manage
 * them and their ASIDs: ACTIVATE, DEACTIVATE, DECOMMISSION, GUEST_STATUS.
 * Also the guest creation shared by LAUNCH_START and RECEIVE_START.
 *
 * SEV-ES guests (policy bit 2) exist only on a platform INIT'd with the ES
 * flag and take ASIDs 1 .. min_sev_asid - 1; the others take min_sev_asid
 * .. max_asid (ACTIVATE step 7). DECOMMISSION drops their VMSA records.
 *
 * ASIDs follow facts §5.3 with one CCX: INIT makes every ASID dirty,
 * DF_FLUSH cleans the dirty ones, ACTIVATE takes a clean ASID (allocated
 * for a guest that has not run yet, in use for a RUNNING or SUPDATE guest),
 * LAUNCH_FINISH and RECEIVE_FINISH turn allocated into in use, and
 * DEACTIVATE returns an allocated ASID clean and an in-use one dirty.
 */

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/psp-sev.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "sevfw-internal.h"
#include "sevfw-guest.h"

/**
 * sevfw_guest_get - the context behind a handle
 * @fw: instance
 * @handle: handle from a command buffer
 *
 * Return: the guest, or NULL if @handle is out of range or names a free
 * slot (the caller answers INVALID_GUEST).
 */
struct sevfw_guest *sevfw_guest_get(struct sevfw *fw, u32 handle)
{
	if (!handle || handle > fw->p.max_guests)
		return NULL;
	return fw->guests[handle - 1];
}

/**
 * sevfw_guest_cmd_get - the checks every guest command starts with
 * @fw: instance
 * @handle: the command's guest handle
 * @states: BIT(SEVFW_GSTATE_*) mask of the states the command accepts,
 *	or 0 when the command checks the guest's state itself
 * @status: set to the command's status when the lookup fails
 *
 * In the order of the SEV API: the platform must be WORKING, the handle
 * must name a guest, and the guest must be in one of @states.
 *
 * Return: the guest, or NULL with *@status set.
 */
struct sevfw_guest *sevfw_guest_cmd_get(struct sevfw *fw, u32 handle,
					unsigned long states, u16 *status)
{
	struct sevfw_guest *g;

	if (fw->state != SEV_STATE_WORKING) {
		*status = SEV_RET_INVALID_PLATFORM_STATE;
		return NULL;
	}
	g = sevfw_guest_get(fw, handle);
	if (!g) {
		*status = SEV_RET_INVALID_GUEST;
		return NULL;
	}
	if (states && !(states & BIT(g->state))) {
		*status = SEV_RET_INVALID_GUEST_STATE;
		return NULL;
	}
	return g;
}

/**
 * sevfw_guest_bound - does a guest hold an ASID (pending or active)
 * @fw: instance
 * @g: guest
 *
 * Return: true if an ACTIVATE bound an ASID that no DEACTIVATE released.
 */
bool sevfw_guest_bound(struct sevfw *fw, const struct sevfw_guest *g)
{
	return g->asid && fw->asid_handle[g->asid] == g->handle;
}

/**
 * sevfw_guest_finish_pending - a pending activation becomes active
 * @fw: instance
 * @g: guest entering RUNNING (LAUNCH_FINISH, RECEIVE_FINISH)
 */
void sevfw_guest_finish_pending(struct sevfw *fw, struct sevfw_guest *g)
{
	if (sevfw_guest_bound(fw, g) &&
	    fw->asid_state[g->asid] == SEVFW_ASID_ALLOCATED)
		fw->asid_state[g->asid] = SEVFW_ASID_IN_USE;
}

/**
 * sevfw_guest_channel_close - forget the session keys and measurement
 * @g: guest
 */
void sevfw_guest_channel_close(struct sevfw_guest *g)
{
	memzero_explicit(g->tek, sizeof(g->tek));
	memzero_explicit(g->tik, sizeof(g->tik));
	memzero_explicit(g->ms, sizeof(g->ms));
	memzero_explicit(g->measure, sizeof(g->measure));
	g->pkt_seq = 0;
}

/**
 * sevfw_guest_policy_check - the policy checks of an authenticated start
 * @fw: instance
 * @policy: the guest policy, already authenticated by its POLICY_MAC
 *
 * Return: SUCCESS, or POLICY_FAILURE if the policy asks for a newer API
 * than the platform's or sets a reserved bit.
 */
u16 sevfw_guest_policy_check(struct sevfw *fw, u32 policy)
{
	u32 want = SEVFW_POLICY_API_MAJOR(policy) << 8 |
		   SEVFW_POLICY_API_MINOR(policy);
	u32 have = (u32)fw->p.api_major << 8 | fw->p.api_minor;

	if (want > have)
		return SEV_RET_POLICY_FAILURE;
	if (policy & SEVFW_POLICY_RSVD)
		return SEV_RET_POLICY_FAILURE;
	return SEV_RET_SUCCESS;
}

/**
 * sevfw_guest_read_cert - copy an SEV certificate from system memory
 * @fw: instance
 * @addr: its physical address
 * @out: out: a kmalloc'd copy (NULL on failure); the caller frees it
 *
 * Return: SUCCESS, INVALID_ADDRESS or HWSEV_RET_UNSAFE (out of memory).
 */
u16 sevfw_guest_read_cert(struct sevfw *fw, u64 addr, struct sev_cert **out)
{
	struct sev_cert *cert = kmalloc(sizeof(*cert), GFP_KERNEL);

	*out = NULL;
	if (!cert)
		return SEV_RET_HWSEV_RET_UNSAFE;
	if (sevfw_mem_read(fw, addr, cert, sizeof(*cert))) {
		kfree(cert);
		return SEV_RET_INVALID_ADDRESS;
	}
	*out = cert;
	return SEV_RET_SUCCESS;
}

static int sevfw_guest_free_slot(struct sevfw *fw)
{
	u32 i;

	for (i = 0; i < fw->p.max_guests; i++)
		if (!fw->guests[i])
			return i;
	return -1;
}

/**
 * sevfw_guest_create - steps 4-7 of LAUNCH_START and RECEIVE_START
 * @fw: instance (INIT or WORKING)
 * @share: handle whose VEK the new guest shares, 0 for a new VEK
 * @policy: the guest policy
 * @ch: the channel keys, or NULL for a launch without a session (zero keys)
 * @state: LUPDATE or RUPDATE
 * @handle: out: the new handle
 *
 * Return: SUCCESS; INVALID_GUEST or POLICY_FAILURE (key sharing);
 * RESOURCE_LIMIT (no free handle); UNSUPPORTED (ES guest on a platform
 * initialised without ES); HWSEV_RET_UNSAFE (out of memory). Nothing
 * changes on failure.
 */
u16 sevfw_guest_create(struct sevfw *fw, u32 share, u32 policy,
		       const struct sevfw_channel *ch, u8 state, u32 *handle)
{
	struct sevfw_guest *other = NULL, *g;
	int slot;

	if (share) {
		other = sevfw_guest_get(fw, share);
		if (!other)
			return SEV_RET_INVALID_GUEST;
		if (other->policy != policy ||
		    (other->policy & SEVFW_POLICY_NOKS))
			return SEV_RET_POLICY_FAILURE;
	}
	slot = sevfw_guest_free_slot(fw);
	if (slot < 0)
		return SEV_RET_RESOURCE_LIMIT;
	if ((policy & SEVFW_POLICY_ES) &&
	    !(fw->config & SEV_INIT_FLAGS_SEV_ES))
		return SEV_RET_UNSUPPORTED;

	g = kzalloc(sizeof(*g), GFP_KERNEL);
	if (!g)
		return SEV_RET_HWSEV_RET_UNSAFE;
	g->handle = slot + 1;
	g->state = state;
	g->policy = policy;
	g->es = policy & SEVFW_POLICY_ES;
	if (other)
		memcpy(g->vek, other->vek, sizeof(g->vek));
	else
		get_random_bytes(g->vek, sizeof(g->vek));
	if (ch) {
		memcpy(g->tek, ch->tek, sizeof(g->tek));
		memcpy(g->tik, ch->tik, sizeof(g->tik));
		memcpy(g->ms, ch->ms, sizeof(g->ms));
	}
	sha256_init(&g->ld_ctx);

	fw->guests[slot] = g;
	fw->guest_count++;
	fw->state = SEV_STATE_WORKING;
	*handle = g->handle;
	return SEV_RET_SUCCESS;
}

u16 sevfw_cmd_decommission(struct sevfw *fw, void *buf)
{
	struct sev_data_decommission *d = buf;
	struct sevfw_guest *g;
	u16 status;

	g = sevfw_guest_cmd_get(fw, d->handle, 0, &status);
	if (!g)
		return status;
	if (sevfw_guest_bound(fw, g))
		return SEV_RET_ACTIVE;

	sevfw_es_guest_drop(fw, g->handle);
	fw->guests[g->handle - 1] = NULL;
	kfree_sensitive(g);
	if (!--fw->guest_count)
		fw->state = SEV_STATE_INIT;
	return SEV_RET_SUCCESS;
}

u16 sevfw_cmd_activate(struct sevfw *fw, void *buf)
{
	struct sev_data_activate *d = buf;
	struct sevfw_guest *g;
	u16 status;
	u32 asid = d->asid;
	u8 st;

	g = sevfw_guest_cmd_get(fw, d->handle, 0, &status);
	if (!g)
		return status;
	if (!asid || asid > fw->p.max_asid)
		return SEV_RET_INVALID_ASID;
	st = fw->asid_state[asid];
	if (st == SEVFW_ASID_ALLOCATED || st == SEVFW_ASID_IN_USE)
		return SEV_RET_ASID_OWNED;
	if (sevfw_guest_bound(fw, g))
		return SEV_RET_ACTIVE;
	if (g->state == SEVFW_GSTATE_SENT)
		return SEV_RET_INVALID_GUEST_STATE;
	if (st == SEVFW_ASID_DIRTY)
		return SEV_RET_DFFLUSH_REQUIRED;
	if (st != SEVFW_ASID_CLEAN)
		return SEV_RET_ASID_OWNED;
	if (g->es ? asid >= fw->p.min_sev_asid : asid < fw->p.min_sev_asid)
		return SEV_RET_INVALID_ASID;

	if (g->state == SEVFW_GSTATE_RUNNING ||
	    g->state == SEVFW_GSTATE_SUPDATE)
		fw->asid_state[asid] = SEVFW_ASID_IN_USE;
	else
		fw->asid_state[asid] = SEVFW_ASID_ALLOCATED;
	fw->asid_handle[asid] = g->handle;
	g->asid = asid;
	return SEV_RET_SUCCESS;
}

u16 sevfw_cmd_deactivate(struct sevfw *fw, void *buf)
{
	struct sev_data_deactivate *d = buf;
	struct sevfw_guest *g;
	u16 status;

	g = sevfw_guest_cmd_get(fw, d->handle, 0, &status);
	if (!g)
		return status;
	if (!sevfw_guest_bound(fw, g))
		return SEV_RET_INACTIVE;

	if (fw->asid_state[g->asid] == SEVFW_ASID_IN_USE)
		fw->asid_state[g->asid] = SEVFW_ASID_DIRTY;
	else
		fw->asid_state[g->asid] = SEVFW_ASID_CLEAN;
	fw->asid_handle[g->asid] = 0;
	g->asid = 0;
	return SEV_RET_SUCCESS;
}

u16 sevfw_cmd_guest_status(struct sevfw *fw, void *buf)
{
	struct sev_data_guest_status *d = buf;
	struct sevfw_guest *g;

	if (fw->state != SEV_STATE_INIT && fw->state != SEV_STATE_WORKING)
		return SEV_RET_INVALID_PLATFORM_STATE;
	g = sevfw_guest_get(fw, d->handle);
	if (!g) {
		d->policy = 0;
		d->asid = 0;
		d->state = SEVFW_GSTATE_INVALID;
		return SEV_RET_SUCCESS;
	}
	d->policy = g->policy;
	d->asid = sevfw_guest_bound(fw, g) ? g->asid : 0;
	d->state = g->state;
	return SEV_RET_SUCCESS;
}
