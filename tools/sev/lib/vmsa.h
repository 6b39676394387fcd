/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The initial VMSA (SEV-ES save area) of a vCPU as Linux 6.1 KVM fills it
 * (sev_es_sync_vmsa) from the reset state QEMU 7.2 gives it, and a text
 * view of a VMSA page. Layout: struct sev_es_save_area of Linux 6.1
 * arch/x86/include/asm/svm.h (packed, 0x670 bytes, in a zeroed 4 KiB page).
 */

#ifndef _SEVTOOLS_VMSA_H
#define _SEVTOOLS_VMSA_H

#include <stdio.h>
#include "sevtypes.h"

#define SEV_VMSA_PAGE_LEN	4096
#define SEV_VMSA_SAVE_AREA_LEN	0x670

/* Segment registers: 16 bytes each, selector/attrib/limit/base */
#define VMSA_ES		0x000
#define VMSA_CS		0x010
#define VMSA_SS		0x020
#define VMSA_DS		0x030
#define VMSA_FS		0x040
#define VMSA_GS		0x050
#define VMSA_GDTR	0x060
#define VMSA_LDTR	0x070
#define VMSA_IDTR	0x080
#define VMSA_TR		0x090
#define VMSA_SEG_LEN	16

#define VMSA_CPL	0x0cb
#define VMSA_EFER	0x0d0
#define VMSA_XSS	0x140
#define VMSA_CR4	0x148
#define VMSA_CR3	0x150
#define VMSA_CR0	0x158
#define VMSA_DR7	0x160
#define VMSA_DR6	0x168
#define VMSA_RFLAGS	0x170
#define VMSA_RIP	0x178
#define VMSA_RSP	0x1d8
#define VMSA_RAX	0x1f8
#define VMSA_CR2	0x240
#define VMSA_G_PAT	0x268
#define VMSA_PKRU	0x2e8
#define VMSA_RCX	0x308
#define VMSA_RDX	0x310
#define VMSA_RBX	0x318
#define VMSA_SEV_FEATURES 0x3b0
#define VMSA_XCR0	0x3e8
#define VMSA_MXCSR	0x408
#define VMSA_X87_FCW	0x410

/* QEMU's real-mode reset state, as KVM 6.1 stores it */
#define VMSA_RESET_SEL_CS	0xf000
#define VMSA_RESET_CS_BASE	0xffff0000u
#define VMSA_RESET_RIP		0xfff0
#define VMSA_RESET_LIMIT	0xffff
#define VMSA_ATTR_CS		0x009b	/* P, S, code, readable, accessed */
#define VMSA_ATTR_DATA		0x0093	/* P, S, data, writable, accessed */
#define VMSA_ATTR_LDT		0x0082	/* P, type 2 (LDT) */
#define VMSA_ATTR_TSS		0x008b	/* P, type 11 (busy 32-bit TSS) */
#define VMSA_RESET_EFER		0x1000	/* SVME, forced on by svm_set_efer */
#define VMSA_RESET_CR0		0x10	/* ET; CD and NW cleared by KVM */
#define VMSA_CR4_MCE		0x40	/* the host's CR4.MCE, svm_set_cr4 */
#define VMSA_RESET_DR6		0xffff0ff0u
#define VMSA_RESET_DR7		0x400
#define VMSA_RESET_RFLAGS	0x2
#define VMSA_RESET_G_PAT	0x0007040600070406ull
#define VMSA_RESET_XCR0		0x1	/* x87 */

struct sev_vmsa_params {
	u32 cpu_sig;		/* CPUID(1).EAX, which QEMU puts in RDX */
	bool ap;		/* an AP (vCPU index > 0) rather than the BSP */
	u32 reset_addr;		/* AP only: OVMF's SEV-ES reset address */
	bool cr4_mce;		/* the host kernel runs with CR4.MCE set */
};

/*
 * Build the 4096-byte VMSA page. The BSP starts at CS.base 0xffff0000,
 * RIP 0xfff0; an AP at CS.base = reset_addr & 0xffff0000, RIP =
 * reset_addr & 0xffff (QEMU's sev_es_set_reset_vector). An AP with a zero
 * reset address is SEV_ERR_ARG (QEMU refuses such firmware).
 */
int sev_vmsa_build(const struct sev_vmsa_params *p,
		   u8 page[SEV_VMSA_PAGE_LEN]);

/*
 * Print the registers, segments and other fields of a VMSA page, then any
 * non-zero byte outside them. SEV_ERR_FORMAT unless @len is 4096.
 */
int sev_vmsa_print(FILE *f, const u8 *page, size_t len);

#endif /* _SEVTOOLS_VMSA_H */
