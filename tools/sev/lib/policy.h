/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SEV guest policy (u32) bits.
 */

#ifndef _SEVTOOLS_POLICY_H
#define _SEVTOOLS_POLICY_H

#include <stdio.h>
#include "sevtypes.h"

#define SEV_POLICY_NODBG	BIT(0)
#define SEV_POLICY_NOKS		BIT(1)
#define SEV_POLICY_ES		BIT(2)
#define SEV_POLICY_NOSEND	BIT(3)
#define SEV_POLICY_DOMAIN	BIT(4)
#define SEV_POLICY_SEV		BIT(5)
#define SEV_POLICY_RESERVED	0x0000ffc0u

static inline u8 sev_policy_api_major(u32 policy)
{
	return (policy >> 16) & 0xff;
}

static inline u8 sev_policy_api_minor(u32 policy)
{
	return (policy >> 24) & 0xff;
}

/* Parse a policy number; reserved bits are an error unless @allow_rsvd */
int sev_policy_parse(const char *s, bool allow_rsvd, u32 *policy);
/* "NODBG|NOKS" style list of the set flags ("none" if no flag is set) */
char *sev_policy_flags(u32 policy, char *buf, size_t len);
/* Print a multi-line description, each line prefixed by @indent */
void sev_policy_print(FILE *f, u32 policy, const char *indent);

#endif /* _SEVTOOLS_POLICY_H */
