// SPDX-License-Identifier: GPL-2.0-only
/*
 * Validation of KVM_SEV_* arguments (Linux 6.1 rules and errno values).
 */

#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/psp-sev.h>

#include "sev-args.h"

/**
 * sev_within_page() - does [@uaddr, @uaddr + @len) stay inside one page?
 * @uaddr: start
 * @len: length
 */
bool sev_within_page(u64 uaddr, u32 len)
{
	return len <= PAGE_SIZE && offset_in_page(uaddr) + len <= PAGE_SIZE;
}

/**
 * sev_out_buf_kind() - classify an output buffer argument
 * @uaddr: user buffer
 * @len: its length
 *
 * Return: an enum sev_out_kind, or -EINVAL for a buffer larger than
 * SEV_FW_BLOB_MAX_SIZE.
 */
int sev_out_buf_kind(u64 uaddr, u32 len)
{
	if (!len)
		return SEV_OUT_QUERY;
	if (!uaddr)
		return SEV_OUT_NONE;
	if (len > SEV_FW_BLOB_MAX_SIZE)
		return -EINVAL;
	return SEV_OUT_BUF;
}

/**
 * sev_send_start_check() - SEND_START arguments
 * @pdh_uaddr: target's PDH certificate
 * @pdh_len: its length
 * @session_uaddr: session buffer
 * @session_len: its length
 *
 * Return: 1 for a session length query, 0 to go on, -EINVAL.
 */
int sev_send_start_check(u64 pdh_uaddr, u32 pdh_len, u64 session_uaddr,
			 u32 session_len)
{
	if (!session_len)
		return 1;
	if (!pdh_uaddr || !pdh_len || !session_uaddr ||
	    session_len > SEV_FW_BLOB_MAX_SIZE)
		return -EINVAL;
	return 0;
}

/**
 * sev_receive_start_check() - RECEIVE_START arguments
 * @pdh_uaddr: source's PDH certificate
 * @pdh_len: its length
 * @session_uaddr: session blob
 * @session_len: its length
 *
 * Return: 0 or -EINVAL; both blobs are mandatory.
 */
int sev_receive_start_check(u64 pdh_uaddr, u32 pdh_len, u64 session_uaddr,
			    u32 session_len)
{
	if (!pdh_uaddr || !pdh_len || !session_uaddr || !session_len)
		return -EINVAL;
	return 0;
}

/**
 * sev_send_update_check() - SEND_UPDATE_DATA arguments
 * @a: the arguments
 *
 * Return: 1 for a header/transport length query (either length 0), 0 to
 * go on, -EINVAL for a missing address or a guest range that leaves its
 * page.
 */
int sev_send_update_check(const struct sev_xfer_args *a)
{
	if (!a->hdr_len || !a->trans_len)
		return 1;
	if (!a->hdr_uaddr || !a->trans_uaddr || !a->guest_uaddr ||
	    !a->guest_len)
		return -EINVAL;
	if (!sev_within_page(a->guest_uaddr, a->guest_len))
		return -EINVAL;
	return 0;
}

/**
 * sev_receive_update_check() - RECEIVE_UPDATE_DATA arguments
 * @a: the arguments
 *
 * Return: 0, or -EINVAL if any field is zero or the guest range leaves
 * its page.
 */
int sev_receive_update_check(const struct sev_xfer_args *a)
{
	if (!a->hdr_uaddr || !a->hdr_len || !a->guest_uaddr ||
	    !a->guest_len || !a->trans_uaddr || !a->trans_len)
		return -EINVAL;
	if (!sev_within_page(a->guest_uaddr, a->guest_len))
		return -EINVAL;
	return 0;
}

/**
 * sev_dbg_check() - DBG_DECRYPT / DBG_ENCRYPT arguments
 * @src_uaddr: source
 * @dst_uaddr: destination
 * @len: bytes
 *
 * Return: 0, or -EINVAL for a zero length, a missing destination, or a
 * range that wraps around.
 */
int sev_dbg_check(u64 src_uaddr, u64 dst_uaddr, u32 len)
{
	u64 end;

	if (!len || check_add_overflow(src_uaddr, (u64)len, &end))
		return -EINVAL;
	if (!dst_uaddr || check_add_overflow(dst_uaddr, (u64)len, &end))
		return -EINVAL;
	return 0;
}
