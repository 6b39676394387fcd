// SPDX-License-Identifier: GPL-2.0-only
/*
 * The software SEV firmware's core: instance lifetime, the command table
 * and the dispatcher that reads command buffers from system memory and
 * writes them back by the firmware's rules.
 */

#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/psp-sev.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "sevfw-internal.h"
#include "sevfw-guest.h"

/* Largest command buffer of the SEV (non-SNP) command set: SEND_START */
#define SEVFW_CMD_BUF_MAX	0x44

/**
 * struct sevfw_cmd_desc - one firmware command
 * @len: packed command-buffer length (0: no buffer)
 * @wb: write-back rule
 * @handler: implementation; NULL for a command this firmware does not
 *	     implement yet (INVALID_COMMAND)
 */
struct sevfw_cmd_desc {
	u8 len;
	u8 wb;
	u16 (*handler)(struct sevfw *fw, void *buf);
};

#define CMD(_id, _len, _wb, _fn) \
	[_id] = { .len = (_len), .wb = SEVFW_WB_##_wb, .handler = (_fn) }

/*
 * Buffer lengths are the packed sizes Linux sends (facts §3). COPY, which
 * Linux does not define, uses the firmware's layout; ACTIVATE_EX, SWAP_*
 * and RING_BUFFER are not implemented (INVALID_COMMAND).
 */
static const struct sevfw_cmd_desc sevfw_cmds[] = {
	CMD(SEV_CMD_INIT,		0x14, NONE, sevfw_cmd_init),
	CMD(SEV_CMD_SHUTDOWN,		0x00, NONE, sevfw_cmd_shutdown),
	CMD(SEV_CMD_FACTORY_RESET,	0x00, NONE, sevfw_cmd_factory_reset),
	CMD(SEV_CMD_PLATFORM_STATUS,	0x0C, OUT, sevfw_cmd_platform_status),
	CMD(SEV_CMD_PEK_GEN,		0x00, NONE, sevfw_cmd_pek_gen),
	CMD(SEV_CMD_PEK_CSR,		0x0C, IO_LEN, sevfw_cmd_pek_csr),
	CMD(SEV_CMD_PEK_CERT_IMPORT,	0x1C, NONE, sevfw_cmd_pek_cert_import),
	CMD(SEV_CMD_PDH_CERT_EXPORT,	0x1C, IO_LEN,
	    sevfw_cmd_pdh_cert_export),
	CMD(SEV_CMD_PDH_GEN,		0x00, NONE, sevfw_cmd_pdh_gen),
	CMD(SEV_CMD_DF_FLUSH,		0x00, NONE, sevfw_cmd_df_flush),
	CMD(SEV_CMD_DOWNLOAD_FIRMWARE,	0x0C, NONE,
	    sevfw_cmd_download_firmware),
	CMD(SEV_CMD_GET_ID,		0x0C, IO_LEN, sevfw_cmd_get_id),
	CMD(SEV_CMD_INIT_EX,		0x24, NONE, sevfw_cmd_init_ex),
	CMD(SEVFW_CMD_NOP,		0x00, NONE, sevfw_cmd_nop),

	CMD(SEV_CMD_DECOMMISSION,	0x04, NONE, sevfw_cmd_decommission),
	CMD(SEV_CMD_ACTIVATE,		0x08, NONE, sevfw_cmd_activate),
	CMD(SEV_CMD_DEACTIVATE,		0x04, NONE, sevfw_cmd_deactivate),
	CMD(SEV_CMD_GUEST_STATUS,	0x0D, IO, sevfw_cmd_guest_status),
	CMD(SEVFW_CMD_COPY,		0x18, NONE, sevfw_cmd_copy),
	CMD(SEV_CMD_LAUNCH_START,	0x24, IO, sevfw_cmd_launch_start),
	CMD(SEV_CMD_LAUNCH_UPDATE_DATA,	0x14, NONE,
	    sevfw_cmd_launch_update_data),
	CMD(SEV_CMD_LAUNCH_UPDATE_VMSA,	0x14, NONE,
	    sevfw_cmd_launch_update_vmsa),
	CMD(SEV_CMD_LAUNCH_MEASURE,	0x14, IO_LEN, sevfw_cmd_launch_measure),
	CMD(SEV_CMD_LAUNCH_UPDATE_SECRET, 0x34, NONE, sevfw_cmd_launch_secret),
	CMD(SEV_CMD_LAUNCH_FINISH,	0x04, NONE, sevfw_cmd_launch_finish),
	CMD(SEV_CMD_ATTESTATION_REPORT,	0x24, IO_LEN, sevfw_cmd_attestation),
	CMD(SEV_CMD_SEND_START,		0x44, IO_LEN, sevfw_cmd_send_start),
	CMD(SEV_CMD_SEND_UPDATE_DATA,	0x34, IO_LEN,
	    sevfw_cmd_send_update_data),
	CMD(SEV_CMD_SEND_UPDATE_VMSA,	0x34, IO_LEN,
	    sevfw_cmd_send_update_vmsa),
	CMD(SEV_CMD_SEND_FINISH,	0x04, NONE, sevfw_cmd_send_finish),
	CMD(SEV_CMD_SEND_CANCEL,	0x04, NONE, sevfw_cmd_send_cancel),
	CMD(SEV_CMD_RECEIVE_START,	0x24, IO, sevfw_cmd_receive_start),
	CMD(SEV_CMD_RECEIVE_UPDATE_DATA, 0x34, NONE,
	    sevfw_cmd_receive_update_data),
	CMD(SEV_CMD_RECEIVE_UPDATE_VMSA, 0x34, NONE,
	    sevfw_cmd_receive_update_vmsa),
	CMD(SEV_CMD_RECEIVE_FINISH,	0x04, NONE, sevfw_cmd_receive_finish),
	CMD(SEV_CMD_DBG_DECRYPT,	0x1C, NONE, sevfw_cmd_dbg_decrypt),
	CMD(SEV_CMD_DBG_ENCRYPT,	0x1C, NONE, sevfw_cmd_dbg_encrypt),
};

/**
 * sevfw_wb_applies - is a command buffer written back
 * @wb: the command's enum sevfw_wb rule
 * @status: the command's status
 *
 * Return: true if the buffer goes back to memory.
 */
bool sevfw_wb_applies(u8 wb, u16 status)
{
	switch (wb) {
	case SEVFW_WB_OUT:
	case SEVFW_WB_IO:
		return status == SEV_RET_SUCCESS;
	case SEVFW_WB_IO_LEN:
		return status == SEV_RET_SUCCESS ||
		       status == SEV_RET_INVALID_LEN;
	default:
		return false;
	}
}

/**
 * sevfw_cmd_info - the command table entry of a command id
 * @cmd: command id
 * @len: out: command-buffer length
 * @wb: out: enum sevfw_wb rule
 *
 * Return: true if this firmware implements @cmd (others get
 * INVALID_COMMAND); @len and @wb are filled in for every id it knows.
 */
bool sevfw_cmd_info(u32 cmd, u8 *len, u8 *wb)
{
	*len = 0;
	*wb = SEVFW_WB_NONE;
	if (cmd >= ARRAY_SIZE(sevfw_cmds))
		return false;
	*len = sevfw_cmds[cmd].len;
	*wb = sevfw_cmds[cmd].wb;
	return !!sevfw_cmds[cmd].handler;
}

static u16 sevfw_dispatch(struct sevfw *fw, u32 cmd, u64 buf_pa)
{
	u8 buf[SEVFW_CMD_BUF_MAX] __aligned(8) = { 0 };
	const struct sevfw_cmd_desc *d;
	u16 status;

	if (cmd >= ARRAY_SIZE(sevfw_cmds) || !sevfw_cmds[cmd].handler)
		return SEV_RET_INVALID_COMMAND;
	d = &sevfw_cmds[cmd];

	if (d->len && d->wb != SEVFW_WB_OUT &&
	    sevfw_mem_read(fw, buf_pa, buf, d->len))
		return SEV_RET_INVALID_ADDRESS;

	status = d->handler(fw, buf);

	if (d->len && sevfw_wb_applies(d->wb, status) &&
	    sevfw_mem_write(fw, buf_pa, buf, d->len))
		status = SEV_RET_INVALID_ADDRESS;

	memzero_explicit(buf, sizeof(buf));
	return status;
}

u16 sevfw_execute(struct sevfw *fw, u32 cmd, u64 buf_pa)
{
	u16 status;

	mutex_lock(&fw->lock);
	if (READ_ONCE(fw->cancel))
		status = SEVFW_RET_CANCELLED;	/* given up before it ran */
	else
		status = sevfw_dispatch(fw, cmd, buf_pa);
	if (READ_ONCE(fw->cancel))
		fw->cancelled++;
	if (cmd < SEVFW_CMD_SLOTS) {
		fw->cmd_count[cmd]++;
		if (status != SEV_RET_SUCCESS)
			fw->cmd_fail[cmd]++;
	} else {
		fw->cmd_other++;
	}
	mutex_unlock(&fw->lock);
	return status;
}

/**
 * sevfw_cmd_is_short - does a command finish in bounded, small time
 * @cmd: command id
 *
 * Short commands touch no guest memory range and generate no keys: status
 * queries, ASID and context bookkeeping, the small MAC of LAUNCH_MEASURE.
 * A mailbox may run them in the caller's context; every other command
 * runs where the driver can time it out and cancel it.
 *
 * Return: true for the short ones.
 */
bool sevfw_cmd_is_short(u32 cmd)
{
	switch (cmd) {
	case SEV_CMD_PLATFORM_STATUS:
	case SEV_CMD_DF_FLUSH:
	case SEV_CMD_GET_ID:
	case SEV_CMD_DECOMMISSION:
	case SEV_CMD_ACTIVATE:
	case SEV_CMD_DEACTIVATE:
	case SEV_CMD_GUEST_STATUS:
	case SEV_CMD_LAUNCH_MEASURE:
	case SEV_CMD_LAUNCH_FINISH:
	case SEV_CMD_SEND_FINISH:
	case SEV_CMD_SEND_CANCEL:
	case SEV_CMD_RECEIVE_FINISH:
		return true;
	default:
		return false;
	}
}

/**
 * sevfw_cancel - stop or allow long commands
 * @fw: instance
 * @on: true when the driver gave up on the command in flight: it stops at
 *	its next safe point, and a command not started yet does not run;
 *	false before the next command is started
 *
 * Called without the instance lock, while a command may be running.
 */
void sevfw_cancel(struct sevfw *fw, bool on)
{
	WRITE_ONCE(fw->cancel, on);
}

/**
 * sevfw_yield - a safe point in a long loop
 * @fw: instance
 *
 * Lets other tasks run (the PSP driver's waiter among them, so that its
 * timeout fires even on one CPU) and says whether to stop.
 *
 * Return: true if the command was cancelled and must stop now.
 */
bool sevfw_yield(struct sevfw *fw)
{
	cond_resched();
	return READ_ONCE(fw->cancel);
}

u8 sevfw_platform_state(struct sevfw *fw)
{
	u8 state;

	mutex_lock(&fw->lock);
	state = fw->state;
	mutex_unlock(&fw->lock);
	return state;
}

u32 sevfw_guest_count(struct sevfw *fw)
{
	u32 count;

	mutex_lock(&fw->lock);
	count = fw->guest_count;
	mutex_unlock(&fw->lock);
	return count;
}

/* Set every ASID (1 .. max_asid) to @state and unbind it */
void sevfw_asids_set_all(struct sevfw *fw, enum sevfw_asid_state state)
{
	u32 asid;

	for (asid = 1; asid <= fw->p.max_asid; asid++) {
		fw->asid_state[asid] = state;
		fw->asid_handle[asid] = 0;
	}
}

/* Destroy every guest context (SHUTDOWN, instance teardown) */
void sevfw_guests_clear(struct sevfw *fw)
{
	u32 i;

	for (i = 0; i < fw->p.max_guests; i++) {
		kfree_sensitive(fw->guests[i]);
		fw->guests[i] = NULL;
	}
	fw->guest_count = 0;
	sevfw_es_clear(fw);
}

/**
 * sevfw_asid_range_check - is an ES/SEV split of the ASIDs usable
 * @max_asid: highest ASID (CPUID 0x8000001F ECX)
 * @min_sev_asid: lowest SEV ASID (CPUID 0x8000001F EDX): SEV-ES guests use
 *	1 .. @min_sev_asid - 1, SEV guests @min_sev_asid .. @max_asid
 *
 * Return: 0; -EINVAL if @min_sev_asid is 0 (ASID 0 is the host's);
 * -ERANGE if it lies above @max_asid, which leaves no SEV ASID.
 */
int sevfw_asid_range_check(u32 max_asid, u32 min_sev_asid)
{
	if (!min_sev_asid)
		return -EINVAL;
	if (min_sev_asid > max_asid)
		return -ERANGE;
	return 0;
}

static int sevfw_params_check(const struct sevfw_params *p)
{
	if (!p->max_asid || p->max_asid > 0xffff)
		return -EINVAL;
	if (sevfw_asid_range_check(p->max_asid, p->min_sev_asid))
		return -EINVAL;
	if (!p->max_guests || p->max_guests > SEVFW_MAX_GUESTS)
		return -EINVAL;
	if (p->cbit < PAGE_SHIFT || p->cbit > 63)
		return -EINVAL;
	if (p->mem_mode != SEVFW_MEM_TRANSPARENT &&
	    p->mem_mode != SEVFW_MEM_OPAQUE)
		return -EINVAL;
	return 0;
}

/**
 * sevfw_create - make a firmware instance in the UNINIT state
 * @params: silicon and build parameters (copied)
 *
 * The internal persistent store starts empty, so the first INIT generates
 * the identity.
 *
 * Return: the instance, or an ERR_PTR(): -EINVAL for bad parameters,
 * -ENOMEM.
 */
struct sevfw *sevfw_create(const struct sevfw_params *params)
{
	struct sevfw *fw;
	int ret;

	ret = sevfw_params_check(params);
	if (ret)
		return ERR_PTR(ret);

	fw = kvzalloc(sizeof(*fw), GFP_KERNEL);
	if (!fw)
		return ERR_PTR(-ENOMEM);
	mutex_init(&fw->lock);
	fw->p = *params;
	fw->state = SEV_STATE_UNINIT;

	fw->nv_internal = kvzalloc(SEVFW_NV_LEN, GFP_KERNEL);
	fw->guests = kcalloc(fw->p.max_guests, sizeof(*fw->guests),
			     GFP_KERNEL);
	fw->asid_state = kcalloc(fw->p.max_asid + 1, sizeof(*fw->asid_state),
				 GFP_KERNEL);
	fw->asid_handle = kcalloc(fw->p.max_asid + 1,
				  sizeof(*fw->asid_handle), GFP_KERNEL);
	if (!fw->nv_internal || !fw->guests || !fw->asid_state ||
	    !fw->asid_handle) {
		sevfw_destroy(fw);
		return ERR_PTR(-ENOMEM);
	}
	/* without it (no memory) the bulk paths use lib/crypto */
	fw->accel = sevfw_accel_alloc();
	sevfw_id_keys_init(fw);
	return fw;
}

/**
 * sevfw_destroy - free an instance and wipe its secrets
 * @fw: instance (may be partly constructed); no command may be running
 */
void sevfw_destroy(struct sevfw *fw)
{
	if (!fw)
		return;
	if (fw->guests)
		sevfw_guests_clear(fw);
	kfree(fw->guests);
	kfree(fw->asid_state);
	kfree(fw->asid_handle);
	if (fw->nv_internal)
		memzero_explicit(fw->nv_internal, SEVFW_NV_LEN);
	kvfree(fw->nv_internal);
	sevfw_accel_free(fw->accel);
	sevfw_id_clear(&fw->id);
	memzero_explicit(fw->nv_enc_key, sizeof(fw->nv_enc_key));
	memzero_explicit(fw->nv_mac_key, sizeof(fw->nv_mac_key));
	mutex_destroy(&fw->lock);
	kvfree(fw);
}
