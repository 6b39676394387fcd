// SPDX-License-Identifier: GPL-2.0-only
/*
 * Names of SEV firmware status codes and command ids, for log messages.
 */

#include <linux/export.h>
#include <linux/fs.h>		/* psp-sev.h takes struct file */
#include <linux/kernel.h>
#include <linux/psp-sev.h>

#include "psp-mbox.h"

/* Status codes of the SEV API (55766) and its SNP extension, 0x00-0x27 */
static const char * const psp_status_names[] = {
	[0x00] = "SUCCESS",
	[0x01] = "INVALID_PLATFORM_STATE",
	[0x02] = "INVALID_GUEST_STATE",
	[0x03] = "INVALID_CONFIG",
	[0x04] = "INVALID_LEN",
	[0x05] = "ALREADY_OWNED",
	[0x06] = "INVALID_CERTIFICATE",
	[0x07] = "POLICY_FAILURE",
	[0x08] = "INACTIVE",
	[0x09] = "INVALID_ADDRESS",
	[0x0a] = "BAD_SIGNATURE",
	[0x0b] = "BAD_MEASUREMENT",
	[0x0c] = "ASID_OWNED",
	[0x0d] = "INVALID_ASID",
	[0x0e] = "WBINVD_REQUIRED",
	[0x0f] = "DFFLUSH_REQUIRED",
	[0x10] = "INVALID_GUEST",
	[0x11] = "INVALID_COMMAND",
	[0x12] = "ACTIVE",
	[0x13] = "HWERROR_PLATFORM",
	[0x14] = "HWERROR_UNSAFE",
	[0x15] = "UNSUPPORTED",
	[0x16] = "INVALID_PARAM",
	[0x17] = "RESOURCE_LIMIT",
	[0x18] = "SECURE_DATA_INVALID",
	[0x19] = "INVALID_PAGE_SIZE",
	[0x1a] = "INVALID_PAGE_STATE",
	[0x1b] = "INVALID_MDATA_ENTRY",
	[0x1c] = "INVALID_PAGE_OWNER",
	[0x1d] = "AEAD_OFLOW",
	[0x1f] = "EXIT_RING_BUFFER",
	[0x20] = "RMP_INIT_REQUIRED",
	[0x21] = "BAD_SVN",
	[0x22] = "BAD_VERSION",
	[0x23] = "SHUTDOWN_REQUIRED",
	[0x24] = "UPDATE_FAILED",
	[0x25] = "RESTORE_REQUIRED",
	[0x26] = "RMP_INITIALIZATION_FAILED",
	[0x27] = "INVALID_KEY",
};

/* Legacy SEV command ids */
static const char * const psp_cmd_names[] = {
	[SEV_CMD_INIT]			= "INIT",
	[SEV_CMD_SHUTDOWN]		= "SHUTDOWN",
	[SEV_CMD_FACTORY_RESET]		= "FACTORY_RESET",
	[SEV_CMD_PLATFORM_STATUS]	= "PLATFORM_STATUS",
	[SEV_CMD_PEK_GEN]		= "PEK_GEN",
	[SEV_CMD_PEK_CSR]		= "PEK_CSR",
	[SEV_CMD_PEK_CERT_IMPORT]	= "PEK_CERT_IMPORT",
	[SEV_CMD_PDH_CERT_EXPORT]	= "PDH_CERT_EXPORT",
	[SEV_CMD_PDH_GEN]		= "PDH_GEN",
	[SEV_CMD_DF_FLUSH]		= "DF_FLUSH",
	[SEV_CMD_DOWNLOAD_FIRMWARE]	= "DOWNLOAD_FIRMWARE",
	[SEV_CMD_GET_ID]		= "GET_ID",
	[SEV_CMD_INIT_EX]		= "INIT_EX",
	[SEV_CMD_DECOMMISSION]		= "DECOMMISSION",
	[SEV_CMD_ACTIVATE]		= "ACTIVATE",
	[SEV_CMD_DEACTIVATE]		= "DEACTIVATE",
	[SEV_CMD_GUEST_STATUS]		= "GUEST_STATUS",
	[SEV_CMD_LAUNCH_START]		= "LAUNCH_START",
	[SEV_CMD_LAUNCH_UPDATE_DATA]	= "LAUNCH_UPDATE_DATA",
	[SEV_CMD_LAUNCH_UPDATE_VMSA]	= "LAUNCH_UPDATE_VMSA",
	[SEV_CMD_LAUNCH_MEASURE]	= "LAUNCH_MEASURE",
	[SEV_CMD_LAUNCH_UPDATE_SECRET]	= "LAUNCH_UPDATE_SECRET",
	[SEV_CMD_LAUNCH_FINISH]		= "LAUNCH_FINISH",
	[SEV_CMD_ATTESTATION_REPORT]	= "ATTESTATION_REPORT",
	[SEV_CMD_SEND_START]		= "SEND_START",
	[SEV_CMD_SEND_UPDATE_DATA]	= "SEND_UPDATE_DATA",
	[SEV_CMD_SEND_UPDATE_VMSA]	= "SEND_UPDATE_VMSA",
	[SEV_CMD_SEND_FINISH]		= "SEND_FINISH",
	[SEV_CMD_SEND_CANCEL]		= "SEND_CANCEL",
	[SEV_CMD_RECEIVE_START]		= "RECEIVE_START",
	[SEV_CMD_RECEIVE_UPDATE_DATA]	= "RECEIVE_UPDATE_DATA",
	[SEV_CMD_RECEIVE_UPDATE_VMSA]	= "RECEIVE_UPDATE_VMSA",
	[SEV_CMD_RECEIVE_FINISH]	= "RECEIVE_FINISH",
	[SEV_CMD_DBG_DECRYPT]		= "DBG_DECRYPT",
	[SEV_CMD_DBG_ENCRYPT]		= "DBG_ENCRYPT",
};

/**
 * psp_status_name() - name of a firmware status code
 * @status: the low 16 bits of CMDRESP, or SEV_RET_NO_FW_CALL
 *
 * Return: the status name without its SEV_RET_ prefix, "NO_FW_CALL" for
 * SEV_RET_NO_FW_CALL, or "UNKNOWN".
 */
const char *psp_status_name(int status)
{
	if (status == SEV_RET_NO_FW_CALL)
		return "NO_FW_CALL";

	if (status < 0 || status >= ARRAY_SIZE(psp_status_names) ||
	    !psp_status_names[status])
		return "UNKNOWN";

	return psp_status_names[status];
}
EXPORT_SYMBOL_GPL(psp_status_name);

/**
 * psp_cmd_name() - name of a firmware command id
 * @cmd: the command id (CMDRESP bits 26:16)
 *
 * Return: the command name without its SEV_CMD_ prefix, or "UNKNOWN".
 */
const char *psp_cmd_name(unsigned int cmd)
{
	if (cmd >= ARRAY_SIZE(psp_cmd_names) || !psp_cmd_names[cmd])
		return "UNKNOWN";

	return psp_cmd_names[cmd];
}
EXPORT_SYMBOL_GPL(psp_cmd_name);
