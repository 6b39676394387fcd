// SPDX-License-Identifier: GPL-2.0-only
/*
 * The pure rules of the SEV-ES GHCB protocol (Linux 6.1 behaviour): input
 * validation of a VMGEXIT, scratch area bounds, string I/O size, and the
 * GHCB MSR protocol encoding. See sev-ghcb-check.h.
 */

#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/overflow.h>

#include "sev-ghcb-check.h"

/* Registers an exit needs marked valid, on top of the three sw_exit fields */
#define NEED_RAX	BIT(0)
#define NEED_RCX	BIT(1)
#define NEED_RDX	BIT(2)
#define NEED_CPL	BIT(3)
#define NEED_SCRATCH	BIT(4)
#define NEED_XCR0	BIT(5)

/* Needs that depend on the request itself */
enum ghcb_cond {
	COND_NONE,
	COND_CPUID,	/* leaf 0xD also needs XCR0 */
	COND_IOIO,	/* string: scratch; else OUT: RAX */
	COND_MSR,	/* write (info_1 != 0): RAX and RDX */
};

struct ghcb_exit_rule {
	u64 code;
	u8 need;
	u8 cond;
};

static const struct ghcb_exit_rule ghcb_exit_rules[] = {
	{ SEV_GHCB_EXIT_READ_DR7,	 0,			 COND_NONE },
	{ SEV_GHCB_EXIT_WRITE_DR7,	 NEED_RAX,		 COND_NONE },
	{ SEV_GHCB_EXIT_RDTSC,		 0,			 COND_NONE },
	{ SEV_GHCB_EXIT_RDPMC,		 NEED_RCX,		 COND_NONE },
	{ SEV_GHCB_EXIT_CPUID,		 NEED_RAX | NEED_RCX,	 COND_CPUID },
	{ SEV_GHCB_EXIT_INVD,		 0,			 COND_NONE },
	{ SEV_GHCB_EXIT_IOIO,		 0,			 COND_IOIO },
	{ SEV_GHCB_EXIT_MSR,		 NEED_RCX,		 COND_MSR },
	{ SEV_GHCB_EXIT_VMMCALL,	 NEED_RAX | NEED_CPL,	 COND_NONE },
	{ SEV_GHCB_EXIT_RDTSCP,		 0,			 COND_NONE },
	{ SEV_GHCB_EXIT_WBINVD,		 0,			 COND_NONE },
	{ SEV_GHCB_EXIT_MONITOR,	 NEED_RAX | NEED_RCX | NEED_RDX,
					 COND_NONE },
	{ SEV_GHCB_EXIT_MWAIT,		 NEED_RAX | NEED_RCX,	 COND_NONE },
	{ SEV_GHCB_EXIT_MMIO_READ,	 NEED_SCRATCH,		 COND_NONE },
	{ SEV_GHCB_EXIT_MMIO_WRITE,	 NEED_SCRATCH,		 COND_NONE },
	{ SEV_GHCB_EXIT_NMI_COMPLETE,	 0,			 COND_NONE },
	{ SEV_GHCB_EXIT_AP_HLT_LOOP,	 0,			 COND_NONE },
	{ SEV_GHCB_EXIT_AP_JUMP_TABLE,	 0,			 COND_NONE },
	{ SEV_GHCB_EXIT_UNSUPPORTED_EVENT, 0,			 COND_NONE },
};

/* Bitmap bit of each NEED_* flag, in flag order */
static const u8 ghcb_need_bit[] = {
	SEV_GHCB_BIT_RAX, SEV_GHCB_BIT_RCX, SEV_GHCB_BIT_RDX,
	SEV_GHCB_BIT_CPL, SEV_GHCB_BIT_SW_SCRATCH, SEV_GHCB_BIT_XCR0,
};

/**
 * sev_ghcb_bit_valid() - is bit @bit of a GHCB valid bitmap set?
 * @valid: the bitmap, SEV_GHCB_BITMAP_BYTES long
 * @bit: the bit (a SEV_GHCB_BIT_* value)
 *
 * The bitmap is two little-endian quadwords, so bit n is bit n % 8 of
 * byte n / 8, as test_bit() sees it on x86.
 *
 * Return: true if set; false for a bit beyond the bitmap.
 */
bool sev_ghcb_bit_valid(const u8 *valid, unsigned int bit)
{
	if (bit >= SEV_GHCB_BITMAP_BYTES * 8)
		return false;
	return valid[bit / 8] & BIT(bit % 8);
}

static const struct ghcb_exit_rule *ghcb_rule(u64 code)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ghcb_exit_rules); i++)
		if (ghcb_exit_rules[i].code == code)
			return &ghcb_exit_rules[i];
	return NULL;
}

static unsigned int ghcb_needs(const struct ghcb_exit_rule *r,
			       const struct sev_ghcb_exit *e)
{
	unsigned int need = r->need;

	switch (r->cond) {
	case COND_CPUID:
		if (e->rax == 0xd)
			need |= NEED_XCR0;
		break;
	case COND_IOIO:
		if (e->info_1 & SEV_GHCB_IOIO_STR)
			need |= NEED_SCRATCH;
		else if (!(e->info_1 & SEV_GHCB_IOIO_TYPE_IN))
			need |= NEED_RAX;
		break;
	case COND_MSR:
		if (e->info_1)
			need |= NEED_RAX | NEED_RDX;
		break;
	}
	return need;
}

/**
 * sev_ghcb_validate() - check one VMGEXIT's GHCB input as Linux 6.1 does
 * @e: the exit: valid bitmap snapshot, usage, exit code, info_1, RAX
 *
 * In order: ghcb_usage must be 0 (else INVALID_USAGE); sw_exit_code,
 * sw_exit_info_1 and sw_exit_info_2 must be valid (else MISSING_INPUT);
 * the exit code must be one Linux 6.1 accepts (else INVALID_EVENT); the
 * registers that code needs must be valid (else MISSING_INPUT).
 *
 * Return: 0 if the exit may be handled, else the SEV_GHCB_ERR_* reason
 * to report with sw_exit_info_1 = 2.
 */
unsigned int sev_ghcb_validate(const struct sev_ghcb_exit *e)
{
	const struct ghcb_exit_rule *r;
	unsigned int need, i;

	if (e->usage)
		return SEV_GHCB_ERR_INVALID_USAGE;

	if (!sev_ghcb_bit_valid(e->valid, SEV_GHCB_BIT_SW_EXIT_CODE) ||
	    !sev_ghcb_bit_valid(e->valid, SEV_GHCB_BIT_SW_EXIT_INFO_1) ||
	    !sev_ghcb_bit_valid(e->valid, SEV_GHCB_BIT_SW_EXIT_INFO_2))
		return SEV_GHCB_ERR_MISSING_INPUT;

	r = ghcb_rule(e->exit_code);
	if (!r)
		return SEV_GHCB_ERR_INVALID_EVENT;

	need = ghcb_needs(r, e);
	for (i = 0; i < ARRAY_SIZE(ghcb_need_bit); i++)
		if ((need & BIT(i)) &&
		    !sev_ghcb_bit_valid(e->valid, ghcb_need_bit[i]))
			return SEV_GHCB_ERR_MISSING_INPUT;

	return 0;
}

/**
 * sev_ghcb_scratch_check() - may @len bytes at guest address @scratch
 *			      serve as the scratch area?
 * @ghcb_gpa: the GHCB's guest physical address (page aligned)
 * @scratch: sw_scratch (0 when it was not marked valid)
 * @len: the bytes the exit needs
 * @in_ghcb: set to whether the area lies in the GHCB's shared buffer
 *
 * A zero address and a range that wraps are refused. An area that starts
 * in the GHCB page must lie entirely within the shared buffer,
 * [@ghcb_gpa + 0x800, @ghcb_gpa + 0xff0), and is used in place. Anywhere
 * else it is bounced through a kernel buffer and may be at most
 * SEV_GHCB_SCRATCH_MAX bytes.
 *
 * Return: 0 if usable, else SEV_GHCB_ERR_INVALID_SCRATCH.
 */
unsigned int sev_ghcb_scratch_check(u64 ghcb_gpa, u64 scratch, u64 len,
				    bool *in_ghcb)
{
	u64 end;

	*in_ghcb = false;
	if (!scratch)
		return SEV_GHCB_ERR_INVALID_SCRATCH;
	if (check_add_overflow(scratch, len, &end))
		return SEV_GHCB_ERR_INVALID_SCRATCH;

	if ((scratch & ~(SEV_GHCB_PAGE_SIZE - 1)) == ghcb_gpa) {
		if (scratch < ghcb_gpa + SEV_GHCB_SHARED_BUF_OFF ||
		    end > ghcb_gpa + SEV_GHCB_SHARED_BUF_END)
			return SEV_GHCB_ERR_INVALID_SCRATCH;
		*in_ghcb = true;
		return 0;
	}

	if (len > SEV_GHCB_SCRATCH_MAX)
		return SEV_GHCB_ERR_INVALID_SCRATCH;
	return 0;
}

/**
 * sev_ghcb_string_bytes() - the scratch bytes of a string I/O request
 * @count: sw_exit_info_2, the number of elements
 * @size: the element size from sw_exit_info_1 bits 6:4
 * @bytes: set to @count * @size
 *
 * Return: 0, or -EINVAL if @count exceeds INT_MAX or the product
 * overflows an int (KVM_RUN then fails with -EINVAL, as in Linux 6.1).
 */
int sev_ghcb_string_bytes(u64 count, int size, int *bytes)
{
	if (count > INT_MAX)
		return -EINVAL;
	if (check_mul_overflow((int)count, size, bytes))
		return -EINVAL;
	return 0;
}

/**
 * sev_ghcb_ioio_size() - the operand size field of an IOIO sw_exit_info_1
 * @info_1: sw_exit_info_1
 *
 * Return: bits 6:4 (one-hot 1, 2 or 4 from a well-behaved guest); 0 means
 * the exit is completed at once without any I/O.
 */
unsigned int sev_ghcb_ioio_size(u64 info_1)
{
	return (info_1 & SEV_GHCB_IOIO_SIZE_MASK) >> SEV_GHCB_IOIO_SIZE_SHIFT;
}

/**
 * sev_ghcb_ap_jt_op() - decode the AP_JUMP_TABLE sub-operation
 * @info_1: sw_exit_info_1
 *
 * Return: SEV_GHCB_AP_JT_SET for 0, SEV_GHCB_AP_JT_GET for 1, else
 * SEV_GHCB_AP_JT_BAD.
 */
enum sev_ghcb_ap_jt_op sev_ghcb_ap_jt_op(u64 info_1)
{
	if (info_1 == 0)
		return SEV_GHCB_AP_JT_SET;
	if (info_1 == 1)
		return SEV_GHCB_AP_JT_GET;
	return SEV_GHCB_AP_JT_BAD;
}

/**
 * sev_ghcb_msr_sev_info() - the SEV information response
 * @max: highest GHCB protocol version supported
 * @min: lowest GHCB protocol version supported
 * @cbit: C-bit position
 *
 * Return: @max in bits 63:48, @min in 47:32, @cbit in 31:24 and the
 * response code 0x001 in 11:0.
 */
u64 sev_ghcb_msr_sev_info(u64 max, u64 min, unsigned int cbit)
{
	return ((max & 0xffff) << 48) | ((min & 0xffff) << 32) |
	       ((u64)(cbit & 0xff) << 24) | SEV_GHCB_MSR_SEV_INFO_RESP;
}

/**
 * sev_ghcb_msr_decode() - which MSR-protocol request a GHCB MSR value is
 * @msr: the value (bits 11:0 non-zero)
 *
 * Return: the request Linux 6.1 handles, or SEV_GHCB_MSR_OP_OTHER.
 */
enum sev_ghcb_msr_op sev_ghcb_msr_decode(u64 msr)
{
	switch (msr & SEV_GHCB_MSR_INFO_MASK) {
	case SEV_GHCB_MSR_SEV_INFO_REQ:
		return SEV_GHCB_MSR_OP_SEV_INFO;
	case SEV_GHCB_MSR_CPUID_REQ:
		return SEV_GHCB_MSR_OP_CPUID;
	case SEV_GHCB_MSR_TERM_REQ:
		return SEV_GHCB_MSR_OP_TERM;
	default:
		return SEV_GHCB_MSR_OP_OTHER;
	}
}

/**
 * sev_ghcb_msr_cpuid_fn() - the leaf of a CPUID request
 * @msr: the request
 *
 * Return: bits 63:32.
 */
u32 sev_ghcb_msr_cpuid_fn(u64 msr)
{
	return msr >> 32;
}

/**
 * sev_ghcb_msr_cpuid_reg() - the register a CPUID request asks for
 * @msr: the request
 *
 * Return: bits 31:30: 0 EAX, 1 EBX, 2 ECX, 3 EDX.
 */
unsigned int sev_ghcb_msr_cpuid_reg(u64 msr)
{
	return (msr >> 30) & 0x3;
}

/**
 * sev_ghcb_msr_cpuid_resp() - the CPUID response to a request
 * @msr: the request
 * @value: the value of the register it asked for
 *
 * Return: @value in bits 63:32, the response code 0x005 in 11:0, and
 * bits 31:12 as the guest wrote them (Linux 6.1 leaves them alone).
 */
u64 sev_ghcb_msr_cpuid_resp(u64 msr, u32 value)
{
	return ((u64)value << 32) |
	       (msr & GENMASK_ULL(31, 12)) | SEV_GHCB_MSR_CPUID_RESP;
}

/**
 * sev_ghcb_msr_term_reason() - the reason of a termination request
 * @msr: the request
 * @set: set to the reason code set, bits 15:12
 * @code: set to the reason code, bits 23:16
 */
void sev_ghcb_msr_term_reason(u64 msr, unsigned int *set, unsigned int *code)
{
	*set = (msr >> 12) & 0xf;
	*code = (msr >> 16) & 0xff;
}
