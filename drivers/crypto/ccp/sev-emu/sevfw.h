/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The software SEV firmware: one instance of AMD's SEV API (55766)
 * implemented in the kernel. An instance owns a platform state, a
 * persistent identity (OCA, PEK, PDH, owner flag) that survives SHUTDOWN,
 * ASID bookkeeping and guest contexts. It is driven one command at a time
 * with a command id and the physical address of the command buffer, exactly
 * as the PSP mailbox drives AMD's firmware.
 *
 * This file has no dependency on the mailbox or on x86 so that it builds
 * and runs under KUnit on UML.
 */

#ifndef _SEVFW_H
#define _SEVFW_H

#include <linux/types.h>

struct sevfw;
struct dentry;

enum sevfw_mem_mode {
	SEVFW_MEM_TRANSPARENT,	/* guest pages keep their plaintext */
	SEVFW_MEM_OPAQUE,	/* guest pages hold ciphertext under the VEK */
};

/**
 * struct sevfw_params - what the "silicon" and the firmware build provide
 * @api_major: API version reported by PLATFORM_STATUS and stamped in certs
 * @api_minor: ditto
 * @build: firmware build number
 * @max_asid: highest ASID (CPUID 0x8000001F ECX)
 * @min_sev_asid: lowest ASID for non-ES guests (CPUID 0x8000001F EDX);
 *		  ES guests use 1 .. @min_sev_asid - 1
 * @cbit: C-bit position (CPUID 0x8000001F EBX[5:0]), masked from addresses
 * @max_guests: number of guest contexts (handles 1 .. @max_guests)
 * @mem_mode: transparent or opaque guest memory
 * @chip_id: 64-byte value GET_ID reports for this chip
 * @vmsa_mac_ctx: MAC context byte of SEND/RECEIVE_UPDATE_VMSA packets;
 *		  0 selects 0x02, the byte AMD's Genoa firmware uses (facts
 *		  §10.2; some write-ups of the spec say 0x03)
 * @allow_rollback: DOWNLOAD_FIRMWARE also accepts images older than the
 *		    running firmware (refused with INVALID_CONFIG otherwise)
 * @es_vcpu_slots: SEV-ES VMSAs the firmware keeps integrity records for
 *		   at a time (all guests together); one more gets
 *		   RESOURCE_LIMIT. 0 selects 4096
 */
struct sevfw_params {
	u8 api_major;
	u8 api_minor;
	u8 build;
	u32 max_asid;
	u32 min_sev_asid;
	unsigned int cbit;
	u32 max_guests;
	enum sevfw_mem_mode mem_mode;
	u8 chip_id[64];
	u8 vmsa_mac_ctx;
	bool allow_rollback;
	u32 es_vcpu_slots;
};

struct sevfw *sevfw_create(const struct sevfw_params *params);
void sevfw_destroy(struct sevfw *fw);

/* Do @min_sev_asid and @max_asid leave at least one SEV (non-ES) ASID */
int sevfw_asid_range_check(u32 max_asid, u32 min_sev_asid);

/* Is @cbit above the host's @phys_bits-bit addresses and below 64 */
int sevfw_cbit_check(unsigned int cbit, unsigned int phys_bits);

/*
 * Execute one firmware command. @buf_pa is the physical address of the
 * command buffer (0 for commands without one); the C-bit is masked. The
 * command buffer is read and written back according to the spec's rules
 * for that command. Returns the 16-bit SEV_RET_* status.
 */
u16 sevfw_execute(struct sevfw *fw, u32 cmd, u64 buf_pa);

/* The command finishes in bounded, small time (no memory ranges, no keys) */
bool sevfw_cmd_is_short(u32 cmd);

/*
 * The driver gave up on the command in flight (@on true): it stops at its
 * next safe point and no command runs until this is called with false.
 */
void sevfw_cancel(struct sevfw *fw, bool on);

/* The platform state (SEV_STATE_*) and guest count, for debugfs and tests */
u8 sevfw_platform_state(struct sevfw *fw);
u32 sevfw_guest_count(struct sevfw *fw);

/* Populate a debugfs directory describing the instance (may be a no-op) */
void sevfw_debugfs_init(struct sevfw *fw, struct dentry *dir);

#endif /* _SEVFW_H */
