// SPDX-License-Identifier: GPL-2.0-only
/*
 * Decode and parse SEV guest policies (SEV API 55766, chapter 3).
 */

#include <stdio.h>
#include <string.h>

#include "policy.h"
#include "util.h"

static const struct {
	u32 bit;
	const char *name;
	const char *meaning;
} policy_bits[] = {
	{ SEV_POLICY_NODBG, "NODBG", "debugging of the guest is disallowed" },
	{ SEV_POLICY_NOKS, "NOKS", "sharing keys with other guests is disallowed" },
	{ SEV_POLICY_ES, "ES", "SEV-ES is required" },
	{ SEV_POLICY_NOSEND, "NOSEND", "sending the guest to another platform is disallowed" },
	{ SEV_POLICY_DOMAIN, "DOMAIN", "the guest may only be sent within the same OCA domain" },
	{ SEV_POLICY_SEV, "SEV", "the guest may only be sent to AMD SEV platforms" },
};

int sev_policy_parse(const char *s, bool allow_rsvd, u32 *policy)
{
	unsigned long v;
	int ret;

	ret = sev_parse_uint(s, 0xffffffffUL, &v);
	if (ret)
		return ret;
	if (!allow_rsvd && (v & SEV_POLICY_RESERVED))
		return sev_err(SEV_ERR_ARG,
			       "policy %#lx sets reserved bits %#lx (bits 6-15 must be zero)",
			       v, v & SEV_POLICY_RESERVED);
	*policy = (u32)v;
	return SEV_OK;
}

char *sev_policy_flags(u32 policy, char *buf, size_t len)
{
	size_t i, pos = 0;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(policy_bits); i++) {
		if (!(policy & policy_bits[i].bit))
			continue;
		pos += snprintf(buf + pos, pos < len ? len - pos : 0, "%s%s",
				pos ? "|" : "", policy_bits[i].name);
	}
	if (policy & SEV_POLICY_RESERVED)
		pos += snprintf(buf + pos, pos < len ? len - pos : 0,
				"%sRESERVED(%#x)", pos ? "|" : "",
				policy & SEV_POLICY_RESERVED);
	if (!pos)
		snprintf(buf, len, "none");
	return buf;
}

void sev_policy_print(FILE *f, u32 policy, const char *indent)
{
	size_t i;

	fprintf(f, "%spolicy 0x%08x\n", indent, policy);
	for (i = 0; i < ARRAY_SIZE(policy_bits); i++)
		fprintf(f, "%s  bit %zu %-6s %s%s\n", indent, i,
			policy_bits[i].name,
			policy & policy_bits[i].bit ? "set:   " : "clear: ",
			policy & policy_bits[i].bit ? policy_bits[i].meaning :
			"-");
	if (policy & SEV_POLICY_RESERVED)
		fprintf(f, "%s  reserved bits 6-15 set: %#x %s\n", indent,
			policy & SEV_POLICY_RESERVED,
			"(the firmware rejects this policy with a session)");
	fprintf(f, "%s  minimum firmware API: %u.%u\n", indent,
		sev_policy_api_major(policy), sev_policy_api_minor(policy));
}
