// SPDX-License-Identifier: GPL-2.0-only
/*
 * Names of the SEV firmware status codes (SEV API 55766, chapter 4.4).
 */

#include <stdio.h>
#include <strings.h>

#include "status.h"

static const char * const status_names[] = {
	[0x00] = "SUCCESS",
	[0x01] = "INVALID_PLATFORM_STATE",
	[0x02] = "INVALID_GUEST_STATE",
	[0x03] = "INVALID_CONFIG",
	[0x04] = "INVALID_LENGTH",
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

const char *sev_status_name(u32 code)
{
	if (code >= ARRAY_SIZE(status_names))
		return NULL;
	return status_names[code];
}

int sev_status_from_name(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(status_names); i++)
		if (status_names[i] && !strcasecmp(name, status_names[i]))
			return (int)i;
	return -1;
}

char *sev_status_str(u32 code, char *buf, size_t len)
{
	const char *name = sev_status_name(code);

	snprintf(buf, len, "%s (%#x)", name ? name : "UNKNOWN", code);
	return buf;
}

const char *sev_state_name(u8 state)
{
	switch (state) {
	case 0:
		return "UNINIT";
	case 1:
		return "INIT";
	case 2:
		return "WORKING";
	default:
		return "UNKNOWN";
	}
}
