/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SEV firmware status codes: value <-> name.
 */

#ifndef _SEVTOOLS_STATUS_H
#define _SEVTOOLS_STATUS_H

#include "sevtypes.h"

/* Name of a firmware status code, or NULL if the code is unknown */
const char *sev_status_name(u32 code);
/* Status code for @name (case-insensitive), or -1 if unknown */
int sev_status_from_name(const char *name);
/* "NAME (0xN)" or "UNKNOWN (0xN)" into @buf; returns @buf */
char *sev_status_str(u32 code, char *buf, size_t len);
/* Name of a platform state from PLATFORM_STATUS ("UNINIT", "INIT", ...) */
const char *sev_state_name(u8 state);

#endif /* _SEVTOOLS_STATUS_H */
