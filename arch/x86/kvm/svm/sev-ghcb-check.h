/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The pure rules of the SEV-ES GHCB protocol as Linux 6.1 applies them:
 * which registers each VMGEXIT exit code needs marked valid, what the
 * guest is told when they are missing, where a scratch area may lie, how
 * large a string I/O may be, and the encoding of the GHCB MSR protocol.
 *
 * Nothing here knows struct vcpu_svm or <asm/svm.h>, so that the rules
 * build and are tested under UML. sev-ghcb.c checks at build time that the
 * numbers below agree with the kernel's struct ghcb and exit codes.
 */

#ifndef _SEV_GHCB_CHECK_H
#define _SEV_GHCB_CHECK_H

#include <linux/types.h>

/*
 * Valid-bitmap bit of a field of the GHCB save area: the field's byte
 * offset divided by 8 (GHCB specification; struct ghcb_save_area).
 */
#define SEV_GHCB_BIT_CPL		25	/* 0x0cb */
#define SEV_GHCB_BIT_RAX		63	/* 0x1f8 */
#define SEV_GHCB_BIT_RCX		97	/* 0x308 */
#define SEV_GHCB_BIT_RDX		98	/* 0x310 */
#define SEV_GHCB_BIT_RBX		99	/* 0x318 */
#define SEV_GHCB_BIT_RSI		102	/* 0x330 */
#define SEV_GHCB_BIT_SW_EXIT_CODE	114	/* 0x390 */
#define SEV_GHCB_BIT_SW_EXIT_INFO_1	115	/* 0x398 */
#define SEV_GHCB_BIT_SW_EXIT_INFO_2	116	/* 0x3a0 */
#define SEV_GHCB_BIT_SW_SCRATCH		117	/* 0x3a8 */
#define SEV_GHCB_BIT_XCR0		125	/* 0x3e8 */

/* The valid bitmap: 128 bits at 0x3f0, least significant bit first */
#define SEV_GHCB_BITMAP_BYTES		16

/* The GHCB page */
#define SEV_GHCB_PAGE_SIZE		0x1000ULL
#define SEV_GHCB_SHARED_BUF_OFF		0x800ULL	/* shared_buffer */
#define SEV_GHCB_SHARED_BUF_END		0xff0ULL	/* reserved_1 */

/* A scratch area outside the GHCB is bounced through at most this much */
#define SEV_GHCB_SCRATCH_MAX		(16 * SEV_GHCB_PAGE_SIZE)

/* sw_exit_code values accepted by Linux 6.1 (others: INVALID_EVENT) */
#define SEV_GHCB_EXIT_READ_DR7		0x027ULL
#define SEV_GHCB_EXIT_WRITE_DR7		0x037ULL
#define SEV_GHCB_EXIT_RDTSC		0x06eULL
#define SEV_GHCB_EXIT_RDPMC		0x06fULL
#define SEV_GHCB_EXIT_CPUID		0x072ULL
#define SEV_GHCB_EXIT_INVD		0x076ULL
#define SEV_GHCB_EXIT_IOIO		0x07bULL
#define SEV_GHCB_EXIT_MSR		0x07cULL
#define SEV_GHCB_EXIT_VMMCALL		0x081ULL
#define SEV_GHCB_EXIT_RDTSCP		0x087ULL
#define SEV_GHCB_EXIT_WBINVD		0x089ULL
#define SEV_GHCB_EXIT_MONITOR		0x08aULL
#define SEV_GHCB_EXIT_MWAIT		0x08bULL
#define SEV_GHCB_EXIT_MMIO_READ		0x80000001ULL
#define SEV_GHCB_EXIT_MMIO_WRITE	0x80000002ULL
#define SEV_GHCB_EXIT_NMI_COMPLETE	0x80000003ULL
#define SEV_GHCB_EXIT_AP_HLT_LOOP	0x80000004ULL
#define SEV_GHCB_EXIT_AP_JUMP_TABLE	0x80000005ULL
#define SEV_GHCB_EXIT_HV_FEATURES	0x8000fffdULL	/* not accepted */
#define SEV_GHCB_EXIT_UNSUPPORTED_EVENT	0x8000ffffULL

/* IOIO sw_exit_info_1 bits */
#define SEV_GHCB_IOIO_TYPE_IN		0x1ULL		/* bit 0: IN */
#define SEV_GHCB_IOIO_STR		0x4ULL		/* bit 2: string */
#define SEV_GHCB_IOIO_SIZE_SHIFT	4
#define SEV_GHCB_IOIO_SIZE_MASK		(7ULL << SEV_GHCB_IOIO_SIZE_SHIFT)

/* The reply in sw_exit_info_1 and the error reasons in sw_exit_info_2 */
#define SEV_GHCB_INFO1_ERROR		2
#define SEV_GHCB_ERR_NOT_REGISTERED	1
#define SEV_GHCB_ERR_INVALID_USAGE	2
#define SEV_GHCB_ERR_INVALID_SCRATCH	3
#define SEV_GHCB_ERR_MISSING_INPUT	4
#define SEV_GHCB_ERR_INVALID_INPUT	5
#define SEV_GHCB_ERR_INVALID_EVENT	6

/* GHCB MSR protocol: request/response code in bits 11:0 */
#define SEV_GHCB_MSR_INFO_MASK		0xfffULL
#define SEV_GHCB_MSR_SEV_INFO_RESP	0x001ULL
#define SEV_GHCB_MSR_SEV_INFO_REQ	0x002ULL
#define SEV_GHCB_MSR_CPUID_REQ		0x004ULL
#define SEV_GHCB_MSR_CPUID_RESP		0x005ULL
#define SEV_GHCB_MSR_TERM_REQ		0x100ULL

/**
 * enum sev_ghcb_msr_op - what a GHCB MSR value with bits 11:0 set asks for
 * @SEV_GHCB_MSR_OP_OTHER: anything Linux 6.1 does not handle: the MSR is
 *			   left as it is and the guest resumes
 * @SEV_GHCB_MSR_OP_SEV_INFO: SEV information request
 * @SEV_GHCB_MSR_OP_CPUID: CPUID request
 * @SEV_GHCB_MSR_OP_TERM: termination request
 */
enum sev_ghcb_msr_op {
	SEV_GHCB_MSR_OP_OTHER,
	SEV_GHCB_MSR_OP_SEV_INFO,
	SEV_GHCB_MSR_OP_CPUID,
	SEV_GHCB_MSR_OP_TERM,
};

/**
 * enum sev_ghcb_ap_jt_op - the AP_JUMP_TABLE sub-operation (sw_exit_info_1)
 * @SEV_GHCB_AP_JT_SET: 0, store sw_exit_info_2 as the VM's jump table
 * @SEV_GHCB_AP_JT_GET: 1, return the stored value in sw_exit_info_2
 * @SEV_GHCB_AP_JT_BAD: anything else: error INVALID_INPUT
 */
enum sev_ghcb_ap_jt_op {
	SEV_GHCB_AP_JT_SET,
	SEV_GHCB_AP_JT_GET,
	SEV_GHCB_AP_JT_BAD,
};

/**
 * struct sev_ghcb_exit - the inputs of the validation of one VMGEXIT
 * @valid: KVM's snapshot of the GHCB valid bitmap (SEV_GHCB_BITMAP_BYTES)
 * @usage: ghcb_usage as read from the GHCB
 * @exit_code: sw_exit_code as read from the GHCB (even if not valid)
 * @info_1: sw_exit_info_1 as read from the GHCB
 * @rax: RAX as loaded from the GHCB (0 unless its bit is valid)
 */
struct sev_ghcb_exit {
	const u8 *valid;
	u32 usage;
	u64 exit_code;
	u64 info_1;
	u64 rax;
};

bool sev_ghcb_bit_valid(const u8 *valid, unsigned int bit);
unsigned int sev_ghcb_validate(const struct sev_ghcb_exit *e);
unsigned int sev_ghcb_scratch_check(u64 ghcb_gpa, u64 scratch, u64 len,
				    bool *in_ghcb);
int sev_ghcb_string_bytes(u64 count, int size, int *bytes);
unsigned int sev_ghcb_ioio_size(u64 info_1);
enum sev_ghcb_ap_jt_op sev_ghcb_ap_jt_op(u64 info_1);

u64 sev_ghcb_msr_sev_info(u64 max, u64 min, unsigned int cbit);
enum sev_ghcb_msr_op sev_ghcb_msr_decode(u64 msr);
u32 sev_ghcb_msr_cpuid_fn(u64 msr);
unsigned int sev_ghcb_msr_cpuid_reg(u64 msr);
u64 sev_ghcb_msr_cpuid_resp(u64 msr, u32 value);
void sev_ghcb_msr_term_reason(u64 msr, unsigned int *set, unsigned int *code);

#endif /* _SEV_GHCB_CHECK_H */
