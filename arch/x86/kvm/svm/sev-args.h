/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Validation of KVM_SEV_* arguments, as Linux 6.1 does it: which requests
 * are length queries, which are malformed (-EINVAL), which go on.
 */

#ifndef _SEV_ARGS_H
#define _SEV_ARGS_H

#include <linux/types.h>

/* What an output buffer argument (LAUNCH_MEASURE, ATTESTATION) asks for */
enum sev_out_kind {
	SEV_OUT_QUERY,	/* len == 0: ask the firmware for the length */
	SEV_OUT_NONE,	/* no address: run the command without a buffer */
	SEV_OUT_BUF,	/* a buffer of len bytes */
};

/**
 * struct sev_xfer_args - the SEND/RECEIVE_UPDATE_DATA arguments
 * @hdr_uaddr: packet header
 * @hdr_len: its length
 * @guest_uaddr: guest memory
 * @guest_len: its length
 * @trans_uaddr: transport buffer
 * @trans_len: its length
 */
struct sev_xfer_args {
	u64 hdr_uaddr;
	u32 hdr_len;
	u64 guest_uaddr;
	u32 guest_len;
	u64 trans_uaddr;
	u32 trans_len;
};

bool sev_within_page(u64 uaddr, u32 len);
int sev_out_buf_kind(u64 uaddr, u32 len);
int sev_send_start_check(u64 pdh_uaddr, u32 pdh_len, u64 session_uaddr,
			 u32 session_len);
int sev_receive_start_check(u64 pdh_uaddr, u32 pdh_len, u64 session_uaddr,
			    u32 session_len);
int sev_send_update_check(const struct sev_xfer_args *a);
int sev_receive_update_check(const struct sev_xfer_args *a);
int sev_dbg_check(u64 src_uaddr, u64 dst_uaddr, u32 len);

#endif /* _SEV_ARGS_H */
