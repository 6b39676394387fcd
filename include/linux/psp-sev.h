/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * AMD Secure Processor: SEV firmware command definitions and the in-kernel
 * API that KVM uses.
 *
 * Command ids and buffer layouts follow AMD's SEV API specification (55766).
 * The structure and function names are upstream Linux's: KVM modules built
 * against either this project or the distribution kernel link against
 * either PSP driver, so these declarations must keep upstream's types and
 * member names (module symbol versions are computed from them).
 */

#ifndef __PSP_SEV_H__
#define __PSP_SEV_H__

#include <uapi/linux/psp-sev.h>

struct file;

#ifdef CONFIG_X86
#include <linux/mem_encrypt.h>
#define __psp_pa(x)	__sme_pa(x)
#else
#define __psp_pa(x)	__pa(x)
#endif

/* Largest user blob (certificate, session, report) copied to the firmware */
#define SEV_FW_BLOB_MAX_SIZE	0x4000

/* Platform states reported by PLATFORM_STATUS */
enum sev_state {
	SEV_STATE_UNINIT		= 0x0,
	SEV_STATE_INIT			= 0x1,
	SEV_STATE_WORKING		= 0x2,
	SEV_STATE_MAX
};

/* Firmware command ids (CMDRESP bits 26:16) */
enum sev_cmd {
	/* platform management */
	SEV_CMD_INIT			= 0x001,
	SEV_CMD_SHUTDOWN		= 0x002,
	SEV_CMD_FACTORY_RESET		= 0x003,
	SEV_CMD_PLATFORM_STATUS		= 0x004,
	SEV_CMD_PEK_GEN			= 0x005,
	SEV_CMD_PEK_CSR			= 0x006,
	SEV_CMD_PEK_CERT_IMPORT		= 0x007,
	SEV_CMD_PDH_CERT_EXPORT		= 0x008,
	SEV_CMD_PDH_GEN			= 0x009,
	SEV_CMD_DF_FLUSH		= 0x00A,
	SEV_CMD_DOWNLOAD_FIRMWARE	= 0x00B,
	SEV_CMD_GET_ID			= 0x00C,
	SEV_CMD_INIT_EX			= 0x00D,

	/* guest management */
	SEV_CMD_DECOMMISSION		= 0x020,
	SEV_CMD_ACTIVATE		= 0x021,
	SEV_CMD_DEACTIVATE		= 0x022,
	SEV_CMD_GUEST_STATUS		= 0x023,

	/* launch */
	SEV_CMD_LAUNCH_START		= 0x030,
	SEV_CMD_LAUNCH_UPDATE_DATA	= 0x031,
	SEV_CMD_LAUNCH_UPDATE_VMSA	= 0x032,
	SEV_CMD_LAUNCH_MEASURE		= 0x033,
	SEV_CMD_LAUNCH_UPDATE_SECRET	= 0x034,
	SEV_CMD_LAUNCH_FINISH		= 0x035,
	SEV_CMD_ATTESTATION_REPORT	= 0x036,

	/* migration: sender */
	SEV_CMD_SEND_START		= 0x040,
	SEV_CMD_SEND_UPDATE_DATA	= 0x041,
	SEV_CMD_SEND_UPDATE_VMSA	= 0x042,
	SEV_CMD_SEND_FINISH		= 0x043,
	SEV_CMD_SEND_CANCEL		= 0x044,

	/* migration: receiver */
	SEV_CMD_RECEIVE_START		= 0x050,
	SEV_CMD_RECEIVE_UPDATE_DATA	= 0x051,
	SEV_CMD_RECEIVE_UPDATE_VMSA	= 0x052,
	SEV_CMD_RECEIVE_FINISH		= 0x053,

	/* debugging */
	SEV_CMD_DBG_DECRYPT		= 0x060,
	SEV_CMD_DBG_ENCRYPT		= 0x061,

	SEV_CMD_MAX,
};

/*
 * Command buffers. All are packed and little-endian; addresses are system
 * physical addresses. "in" fields are read by the firmware, "out" fields
 * written by it.
 */

/* INIT: flags (in), reserved (in, zero), TMR address and length (in) */
struct sev_data_init {
	u32 flags;
	u32 reserved;
	u64 tmr_address;
	u32 tmr_len;
} __packed;

/* INIT_EX: as INIT, plus the non-volatile store the firmware keeps its
 * identity in (length must be sizeof(struct sev_data_init_ex))
 */
struct sev_data_init_ex {
	u32 length;
	u32 flags;
	u64 tmr_address;
	u32 tmr_len;
	u32 reserved;
	u64 nv_address;
	u32 nv_len;
} __packed;

#define SEV_INIT_FLAGS_SEV_ES	0x01

/* PEK_CSR: buffer (in), its length (in/out) */
struct sev_data_pek_csr {
	u64 address;
	u32 len;
} __packed;

/* PEK_CERT_IMPORT: owner-signed PEK and the owner's OCA (all in) */
struct sev_data_pek_cert_import {
	u64 pek_cert_address;
	u32 pek_cert_len;
	u32 reserved;
	u64 oca_cert_address;
	u32 oca_cert_len;
} __packed;

/* DOWNLOAD_FIRMWARE: image address (32-byte aligned) and length (in) */
struct sev_data_download_firmware {
	u64 address;
	u32 len;
} __packed;

/* GET_ID: buffer (in), its length (in/out) */
struct sev_data_get_id {
	u64 address;
	u32 len;
} __packed;

/* PDH_CERT_EXPORT: PDH buffer and chain buffer (in), lengths (in/out) */
struct sev_data_pdh_cert_export {
	u64 pdh_cert_address;
	u32 pdh_cert_len;
	u32 reserved;
	u64 cert_chain_address;
	u32 cert_chain_len;
} __packed;

/* DECOMMISSION: guest handle (in) */
struct sev_data_decommission {
	u32 handle;
} __packed;

/* ACTIVATE: guest handle and ASID to bind (in) */
struct sev_data_activate {
	u32 handle;
	u32 asid;
} __packed;

/* DEACTIVATE: guest handle (in) */
struct sev_data_deactivate {
	u32 handle;
} __packed;

/* GUEST_STATUS: handle (in); policy, ASID and guest state (out) */
struct sev_data_guest_status {
	u32 handle;
	u32 policy;
	u32 asid;
	u8 state;
} __packed;

/* LAUNCH_START: handle (in/out; 0 = new key), policy (in), optional
 * guest owner's DH certificate and session blob (in)
 */
struct sev_data_launch_start {
	u32 handle;
	u32 policy;
	u64 dh_cert_address;
	u32 dh_cert_len;
	u32 reserved;
	u64 session_address;
	u32 session_len;
} __packed;

/* LAUNCH_UPDATE_DATA: handle, memory to encrypt and measure (in) */
struct sev_data_launch_update_data {
	u32 handle;
	u32 reserved;
	u64 address;
	u32 len;
} __packed;

/* LAUNCH_UPDATE_VMSA: handle, VMSA page to encrypt and measure (in) */
struct sev_data_launch_update_vmsa {
	u32 handle;
	u32 reserved;
	u64 address;
	u32 len;
} __packed;

/* LAUNCH_MEASURE: handle and buffer (in), length (in/out) */
struct sev_data_launch_measure {
	u32 handle;
	u32 reserved;
	u64 address;
	u32 len;
} __packed;

/* LAUNCH_UPDATE_SECRET: packet header, guest destination and encrypted
 * payload (all in)
 */
struct sev_data_launch_secret {
	u32 handle;
	u32 reserved1;
	u64 hdr_address;
	u32 hdr_len;
	u32 reserved2;
	u64 guest_address;
	u32 guest_len;
	u32 reserved3;
	u64 trans_address;
	u32 trans_len;
} __packed;

/* LAUNCH_FINISH: guest handle (in) */
struct sev_data_launch_finish {
	u32 handle;
} __packed;

/* SEND_START: handle (in), policy (out), the receiver's PDH, platform
 * and AMD certificates (in), session buffer (in) and its length (in/out)
 */
struct sev_data_send_start {
	u32 handle;
	u32 policy;
	u64 pdh_cert_address;
	u32 pdh_cert_len;
	u32 reserved1;
	u64 plat_certs_address;
	u32 plat_certs_len;
	u32 reserved2;
	u64 amd_certs_address;
	u32 amd_certs_len;
	u32 reserved3;
	u64 session_address;
	u32 session_len;
} __packed;

/* SEND_UPDATE_DATA: header buffer (in, length in/out), guest source and
 * transport buffer (in)
 */
struct sev_data_send_update_data {
	u32 handle;
	u32 reserved1;
	u64 hdr_address;
	u32 hdr_len;
	u32 reserved2;
	u64 guest_address;
	u32 guest_len;
	u32 reserved3;
	u64 trans_address;
	u32 trans_len;
} __packed;

/* SEND_UPDATE_VMSA as upstream declares it: it lacks the reserved word
 * after the handle that the firmware's layout has. KVM never sends it.
 */
struct sev_data_send_update_vmsa {
	u32 handle;
	u64 hdr_address;
	u32 hdr_len;
	u32 reserved2;
	u64 guest_address;
	u32 guest_len;
	u32 reserved3;
	u64 trans_address;
	u32 trans_len;
} __packed;

/* SEND_FINISH: guest handle (in) */
struct sev_data_send_finish {
	u32 handle;
} __packed;

/* SEND_CANCEL: guest handle (in) */
struct sev_data_send_cancel {
	u32 handle;
} __packed;

/* RECEIVE_START: handle (in/out), policy, the sender's PDH and the
 * session blob (in)
 */
struct sev_data_receive_start {
	u32 handle;
	u32 policy;
	u64 pdh_cert_address;
	u32 pdh_cert_len;
	u32 reserved1;
	u64 session_address;
	u32 session_len;
} __packed;

/* RECEIVE_UPDATE_DATA: packet header, guest destination, payload (in) */
struct sev_data_receive_update_data {
	u32 handle;
	u32 reserved1;
	u64 hdr_address;
	u32 hdr_len;
	u32 reserved2;
	u64 guest_address;
	u32 guest_len;
	u32 reserved3;
	u64 trans_address;
	u32 trans_len;
} __packed;

/* RECEIVE_UPDATE_VMSA: as RECEIVE_UPDATE_DATA, for a VMSA page */
struct sev_data_receive_update_vmsa {
	u32 handle;
	u32 reserved1;
	u64 hdr_address;
	u32 hdr_len;
	u32 reserved2;
	u64 guest_address;
	u32 guest_len;
	u32 reserved3;
	u64 trans_address;
	u32 trans_len;
} __packed;

/* RECEIVE_FINISH: guest handle (in) */
struct sev_data_receive_finish {
	u32 handle;
} __packed;

/* DBG_DECRYPT / DBG_ENCRYPT: handle, source, destination, length (in) */
struct sev_data_dbg {
	u32 handle;
	u32 reserved;
	u64 src_addr;
	u64 dst_addr;
	u32 len;
} __packed;

/* ATTESTATION_REPORT: handle, buffer, nonce (in), length (in/out) */
struct sev_data_attestation_report {
	u32 handle;
	u32 reserved;
	u64 address;
	u8 mnonce[16];
	u32 len;
} __packed;

struct file;

#ifdef CONFIG_CRYPTO_DEV_SP_PSP

int sev_platform_init(int *error);
int sev_platform_status(struct sev_user_data_status *status, int *error);
int sev_issue_cmd_external_user(struct file *filep, unsigned int id,
				void *data, int *error);
int sev_guest_deactivate(struct sev_data_deactivate *data, int *error);
int sev_guest_activate(struct sev_data_activate *data, int *error);
int sev_guest_df_flush(int *error);
int sev_guest_decommission(struct sev_data_decommission *data, int *error);
void *psp_copy_user_blob(u64 uaddr, u32 len);

#else	/* !CONFIG_CRYPTO_DEV_SP_PSP */

static inline int sev_platform_init(int *error) { return -ENODEV; }
static inline int
sev_platform_status(struct sev_user_data_status *status, int *error)
{
	return -ENODEV;
}

static inline int
sev_issue_cmd_external_user(struct file *filep, unsigned int id, void *data,
			    int *error)
{
	return -ENODEV;
}

static inline int
sev_guest_deactivate(struct sev_data_deactivate *data, int *error)
{
	return -ENODEV;
}

static inline int
sev_guest_activate(struct sev_data_activate *data, int *error)
{
	return -ENODEV;
}

static inline int sev_guest_df_flush(int *error) { return -ENODEV; }
static inline int
sev_guest_decommission(struct sev_data_decommission *data, int *error)
{
	return -ENODEV;
}

static inline void *psp_copy_user_blob(u64 uaddr, u32 len)
{
	return ERR_PTR(-EINVAL);
}

#endif	/* CONFIG_CRYPTO_DEV_SP_PSP */

#endif	/* __PSP_SEV_H__ */
