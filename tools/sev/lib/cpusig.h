/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * x86 CPU signature (CPUID(1).EAX): family/model/stepping <-> the 32-bit
 * value, encoded the way QEMU builds it for a vCPU model.
 */

#ifndef _SEVTOOLS_CPUSIG_H
#define _SEVTOOLS_CPUSIG_H

#include "sevtypes.h"

/* Largest values QEMU's family, model and stepping properties take */
#define SEV_CPU_FAMILY_MAX	(0xff + 0xf)
#define SEV_CPU_MODEL_MAX	0xff
#define SEV_CPU_STEPPING_MAX	0xf

/*
 * Encode @family/@model/@stepping as QEMU does: stepping in bits 3:0, the
 * low model nibble in 7:4 and the high one in 19:16 (for every family);
 * a family up to 15 goes to bits 11:8, a larger one as 0xf there and
 * family - 15 in the extended family bits 27:20. Out of range: SEV_ERR_ARG.
 */
int sev_cpu_sig_encode(unsigned int family, unsigned int model,
		       unsigned int stepping, u32 *sig);

/*
 * Decode as the AMD and Intel manuals do: family = base family, plus the
 * extended family when the base family is 0xf; model = base model, with
 * the extended model as high nibble when the base family is 0x6 or 0xf.
 */
void sev_cpu_sig_decode(u32 sig, unsigned int *family, unsigned int *model,
			unsigned int *stepping);

/*
 * Parse "F/M/S" (each decimal, or hex with 0x) or a raw "0xHEX"
 * CPUID(1).EAX value. Errors are SEV_ERR_ARG with a message.
 */
int sev_cpu_sig_parse(const char *s, u32 *sig);

#endif /* _SEVTOOLS_CPUSIG_H */
