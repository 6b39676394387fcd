// SPDX-License-Identifier: GPL-2.0-only
/*
 * The commands that move guest memory on the host's behalf: DBG_DECRYPT
 * and DBG_ENCRYPT (refused for a NODBG guest), and COPY (SEV API 0.24
 * 6.x; not defined in Linux): pages moved to another physical address and
 * re-encrypted for it.
 *
 * Ranges are processed a page at a time through a bounce buffer, after the
 * whole source and destination were checked, so a bad address changes
 * nothing. Overlapping ranges are allowed; DBG_* and COPY then behave like
 * memmove() on the guest's view.
 */

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/psp-sev.h>
#include <linux/slab.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include "sevfw-internal.h"
#include "sevfw-guest.h"

enum sevfw_move {
	SEVFW_MOVE_DECRYPT,	/* guest view of src -> plaintext at dst */
	SEVFW_MOVE_ENCRYPT,	/* plaintext at src -> guest view of dst */
	SEVFW_MOVE_COPY,	/* guest view of src -> guest view of dst */
};

static u16 sevfw_move(struct sevfw *fw, struct sevfw_guest *g, u64 src,
		      u64 dst, u32 len, enum sevfw_move how)
{
	bool opaque = fw->p.mem_mode == SEVFW_MEM_OPAQUE;
	u64 s = sevfw_mem_pa(fw, src), t = sevfw_mem_pa(fw, dst);
	bool backward = t > s && t < s + len;
	u16 status = SEV_RET_SUCCESS;
	u32 done = 0;
	u8 *chunk;

	if (!len)
		return SEV_RET_SUCCESS;
	if (sevfw_mem_check(fw, s, len) || sevfw_mem_check(fw, t, len))
		return SEV_RET_INVALID_ADDRESS;
	chunk = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!chunk)
		return SEV_RET_HWSEV_RET_UNSAFE;

	while (done < len) {
		u32 n = min_t(u32, len - done, PAGE_SIZE);
		u32 off = backward ? len - done - n : done;

		if (sevfw_yield(fw)) {
			status = SEVFW_RET_CANCELLED;
			break;
		}

		/* both ranges were checked: no access below can fail */
		sevfw_mem_read(fw, s + off, chunk, n);
		if (opaque && how != SEVFW_MOVE_ENCRYPT)
			sevfw_xex_decrypt(fw, g->vek, s + off, chunk, n);
		if (opaque && how != SEVFW_MOVE_DECRYPT)
			sevfw_xex_encrypt(fw, g->vek, t + off, chunk, n);
		sevfw_mem_write(fw, t + off, chunk, n);
		done += n;
	}
	kfree_sensitive(chunk);
	return status;
}

static u16 sevfw_dbg(struct sevfw *fw, void *buf, enum sevfw_move how)
{
	struct sev_data_dbg *d = buf;
	struct sevfw_guest *g;

	if (fw->state != SEV_STATE_WORKING)
		return SEV_RET_INVALID_PLATFORM_STATE;
	if (!IS_ALIGNED(sevfw_mem_pa(fw, d->src_addr), 16) ||
	    !IS_ALIGNED(sevfw_mem_pa(fw, d->dst_addr), 16))
		return SEV_RET_INVALID_ADDRESS;
	if (!IS_ALIGNED(d->len, 16))
		return SEV_RET_INVALID_LEN;
	g = sevfw_guest_get(fw, d->handle);
	if (!g)
		return SEV_RET_INVALID_GUEST;
	if (g->policy & SEVFW_POLICY_NODBG)
		return SEV_RET_POLICY_FAILURE;
	if (!sevfw_guest_bound(fw, g))
		return SEV_RET_INACTIVE;
	return sevfw_move(fw, g, d->src_addr, d->dst_addr, d->len, how);
}

u16 sevfw_cmd_dbg_decrypt(struct sevfw *fw, void *buf)
{
	return sevfw_dbg(fw, buf, SEVFW_MOVE_DECRYPT);
}

u16 sevfw_cmd_dbg_encrypt(struct sevfw *fw, void *buf)
{
	return sevfw_dbg(fw, buf, SEVFW_MOVE_ENCRYPT);
}

u16 sevfw_cmd_copy(struct sevfw *fw, void *buf)
{
	struct sevfw_data_copy *d = buf;
	struct sevfw_guest *g;
	u16 status;
	u64 s, t;

	g = sevfw_guest_cmd_get(fw, d->handle, 0, &status);
	if (!g)
		return status;
	if (!sevfw_guest_bound(fw, g))
		return SEV_RET_INACTIVE;
	if (!d->length || !IS_ALIGNED(d->length, SZ_4K))
		return SEV_RET_INVALID_LEN;
	s = sevfw_mem_pa(fw, d->src_paddr);
	t = sevfw_mem_pa(fw, d->dst_paddr);
	if (!IS_ALIGNED(s, SZ_4K) || !IS_ALIGNED(t, SZ_4K))
		return SEV_RET_INVALID_ADDRESS;
	/* the first pages coincide: nothing to do (as the firmware does) */
	if (s == t)
		return SEV_RET_SUCCESS;
	return sevfw_move(fw, g, s, t, d->length, SEVFW_MOVE_COPY);
}
