/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * Userspace interface of /dev/sev, the AMD Secure Processor's SEV
 * platform-management device.
 *
 * The numbers, names and layouts here are ABI: they match upstream Linux and
 * AMD's SEV API specification (55766) exactly, so existing tools (QEMU,
 * libvirt, sevctl, sev-tool) work unchanged. A build-time test compares this
 * file with the distribution's copy.
 */

#ifndef __PSP_SEV_USER_H__
#define __PSP_SEV_USER_H__

#include <linux/types.h>

/* SEV_ISSUE_CMD command numbers (ioctl payload, not firmware command ids) */
enum {
	SEV_FACTORY_RESET = 0,
	SEV_PLATFORM_STATUS,
	SEV_PEK_GEN,
	SEV_PEK_CSR,
	SEV_PDH_GEN,
	SEV_PDH_CERT_EXPORT,
	SEV_PEK_CERT_IMPORT,
	SEV_GET_ID,		/* deprecated: fixed 128-byte buffer */
	SEV_GET_ID2,
	SEV_MAX,
};

/*
 * Firmware status codes (the low 16 bits of the mailbox CMDRESP register).
 * Two names keep upstream's historic spelling, which is part of the ABI.
 */
typedef enum {
	SEV_RET_NO_FW_CALL = -1,	/* kernel only: no command was sent */
	SEV_RET_SUCCESS = 0,
	SEV_RET_INVALID_PLATFORM_STATE,
	SEV_RET_INVALID_GUEST_STATE,
	SEV_RET_INAVLID_CONFIG,
	SEV_RET_INVALID_LEN,
	SEV_RET_ALREADY_OWNED,
	SEV_RET_INVALID_CERTIFICATE,
	SEV_RET_POLICY_FAILURE,
	SEV_RET_INACTIVE,
	SEV_RET_INVALID_ADDRESS,
	SEV_RET_BAD_SIGNATURE,
	SEV_RET_BAD_MEASUREMENT,
	SEV_RET_ASID_OWNED,
	SEV_RET_INVALID_ASID,
	SEV_RET_WBINVD_REQUIRED,
	SEV_RET_DFFLUSH_REQUIRED,
	SEV_RET_INVALID_GUEST,
	SEV_RET_INVALID_COMMAND,
	SEV_RET_ACTIVE,
	SEV_RET_HWSEV_RET_PLATFORM,
	SEV_RET_HWSEV_RET_UNSAFE,
	SEV_RET_UNSUPPORTED,
	SEV_RET_INVALID_PARAM,
	SEV_RET_RESOURCE_LIMIT,
	SEV_RET_SECURE_DATA_INVALID,
	SEV_RET_MAX,
} sev_ret_code;

/**
 * struct sev_user_data_status - SEV_PLATFORM_STATUS output
 * @api_major: firmware API major version
 * @api_minor: firmware API minor version
 * @state: platform state (0 UNINIT, 1 INIT, 2 WORKING)
 * @flags: bit 0 externally owned; bit 8 (SEV_STATUS_FLAGS_CONFIG_ES)
 *	   platform initialised with SEV-ES support
 * @build: firmware build number
 * @guest_count: number of live guest contexts
 */
struct sev_user_data_status {
	__u8 api_major;
	__u8 api_minor;
	__u8 state;
	__u32 flags;
	__u8 build;
	__u32 guest_count;
} __attribute__((packed));

#define SEV_STATUS_FLAGS_CONFIG_ES	0x0100

/**
 * struct sev_user_data_pek_csr - SEV_PEK_CSR argument
 * @address: user buffer that receives the certificate signing request
 * @length: in: buffer size; out: size needed or written
 */
struct sev_user_data_pek_csr {
	__u64 address;
	__u32 length;
} __attribute__((packed));

/**
 * struct sev_user_data_pek_cert_import - SEV_PEK_CERT_IMPORT argument
 * @pek_cert_address: PEK certificate signed by the owner's OCA
 * @pek_cert_len: its length
 * @oca_cert_address: the owner's self-signed OCA certificate
 * @oca_cert_len: its length
 */
struct sev_user_data_pek_cert_import {
	__u64 pek_cert_address;
	__u32 pek_cert_len;
	__u64 oca_cert_address;
	__u32 oca_cert_len;
} __attribute__((packed));

/**
 * struct sev_user_data_pdh_cert_export - SEV_PDH_CERT_EXPORT argument
 * @pdh_cert_address: user buffer for the PDH certificate
 * @pdh_cert_len: in: buffer size; out: size needed or written
 * @cert_chain_address: user buffer for the PEK, OCA and CEK certificates
 * @cert_chain_len: in: buffer size; out: size needed or written
 */
struct sev_user_data_pdh_cert_export {
	__u64 pdh_cert_address;
	__u32 pdh_cert_len;
	__u64 cert_chain_address;
	__u32 cert_chain_len;
} __attribute__((packed));

/**
 * struct sev_user_data_get_id - SEV_GET_ID output (deprecated)
 * @socket1: identifier of the first socket's chip
 * @socket2: identifier of the second socket's chip
 */
struct sev_user_data_get_id {
	__u8 socket1[64];
	__u8 socket2[64];
} __attribute__((packed));

/**
 * struct sev_user_data_get_id2 - SEV_GET_ID2 argument
 * @address: user buffer for the chip identifiers
 * @length: in: buffer size; out: size needed or written
 */
struct sev_user_data_get_id2 {
	__u64 address;
	__u32 length;
} __attribute__((packed));

/**
 * struct sev_issue_cmd - the SEV_ISSUE_CMD ioctl argument
 * @cmd: one of SEV_FACTORY_RESET ... SEV_GET_ID2
 * @data: user address of the command's argument, or 0
 * @error: out: firmware status of the last firmware command issued
 */
struct sev_issue_cmd {
	__u32 cmd;
	__u64 data;
	__u32 error;
} __attribute__((packed));

#define SEV_IOC_TYPE		'S'
#define SEV_ISSUE_CMD	_IOWR(SEV_IOC_TYPE, 0x0, struct sev_issue_cmd)

#endif /* __PSP_SEV_USER_H__ */
