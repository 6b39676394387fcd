// SPDX-License-Identifier: GPL-2.0-only
/*
 * x86 CPU signature (CPUID(1).EAX) encoding, decoding and parsing.
 */

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cpusig.h"
#include "util.h"

int sev_cpu_sig_encode(unsigned int family, unsigned int model,
		       unsigned int stepping, u32 *sig)
{
	u32 v;

	if (family > SEV_CPU_FAMILY_MAX || model > SEV_CPU_MODEL_MAX ||
	    stepping > SEV_CPU_STEPPING_MAX)
		return sev_err(SEV_ERR_ARG,
			       "family/model/stepping %u/%u/%u out of range (at most %u/%u/%u)",
			       family, model, stepping, SEV_CPU_FAMILY_MAX,
			       SEV_CPU_MODEL_MAX, SEV_CPU_STEPPING_MAX);
	v = stepping;
	v |= (model & 0xf) << 4 | (model >> 4) << 16;
	if (family > 0xf)
		v |= 0xfu << 8 | (family - 0xf) << 20;
	else
		v |= family << 8;
	*sig = v;
	return SEV_OK;
}

void sev_cpu_sig_decode(u32 sig, unsigned int *family, unsigned int *model,
			unsigned int *stepping)
{
	unsigned int base_family = (sig >> 8) & 0xf;

	*stepping = sig & 0xf;
	*family = base_family;
	if (base_family == 0xf)
		*family += (sig >> 20) & 0xff;
	*model = (sig >> 4) & 0xf;
	if (base_family == 0x6 || base_family == 0xf)
		*model |= ((sig >> 16) & 0xf) << 4;
}

/* One component of F/M/S: decimal, or hex with 0x; never octal */
static int parse_part(const char *s, size_t len, unsigned int *val)
{
	char buf[16];
	unsigned long v;
	size_t i = 0;
	int base = 10;
	char *end;

	if (!len || len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (len > 2 && buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X')) {
		base = 16;
		i = 2;
	}
	/* strtoul would take signs and spaces: allow digits only */
	for (; i < len; i++)
		if (!(base == 16 ? isxdigit((unsigned char)buf[i]) :
				   isdigit((unsigned char)buf[i])))
			return -1;
	errno = 0;
	v = strtoul(buf, &end, base);
	if (errno || *end || v > 0xffff)
		return -1;
	*val = (unsigned int)v;
	return 0;
}

int sev_cpu_sig_parse(const char *s, u32 *sig)
{
	const char *p1, *p2;
	unsigned int f, m, st;
	unsigned long v;

	if (!s || !*s)
		return sev_err(SEV_ERR_ARG, "empty CPU signature");
	p1 = strchr(s, '/');
	if (!p1) {
		if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X') ||
		    sev_parse_uint(s, 0xffffffffUL, &v))
			return sev_err(SEV_ERR_ARG,
				       "CPU signature '%s': give FAMILY/MODEL/STEPPING or a 0xHEX CPUID(1).EAX value",
				       s);
		*sig = (u32)v;
		return SEV_OK;
	}
	p2 = strchr(p1 + 1, '/');
	if (!p2 || strchr(p2 + 1, '/') ||
	    parse_part(s, (size_t)(p1 - s), &f) ||
	    parse_part(p1 + 1, (size_t)(p2 - p1 - 1), &m) ||
	    parse_part(p2 + 1, strlen(p2 + 1), &st))
		return sev_err(SEV_ERR_ARG,
			       "CPU signature '%s': expected FAMILY/MODEL/STEPPING, each decimal or 0xHEX",
			       s);
	return sev_cpu_sig_encode(f, m, st, sig);
}
