/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers shared by the KUnit suites of the software SEV firmware's guest
 * commands: instances freed with the test, command buffers in kmalloc'd
 * memory handed over by physical address (as the PSP driver does), and
 * short-cuts for the usual command sequences.
 */

#ifndef _SEVFW_TEST_UTIL_H
#define _SEVFW_TEST_UTIL_H

#include <kunit/test.h>
#include <linux/types.h>

#include "sevfw.h"
#include "sevfw-cert.h"

#define TU_API_MAJOR	0
#define TU_API_MINOR	24
#define TU_BUILD	15
#define TU_MAX_ASID	16
#define TU_MIN_SEV_ASID	5	/* ES ASIDs 1..4, SEV ASIDs 5..16 */
#define TU_MAX_GUESTS	4
#define TU_CBIT		47
#define TU_ASID		5	/* a non-ES ASID */
#define TU_ES_ASID	1

/* Compare byte strings; on a mismatch print the first 32 bytes of both */
#define TU_EXPECT_MEMEQ(test, a, b, n) \
	tu_expect_memeq(test, a, b, n, #a " vs " #b)

void tu_expect_memeq(struct kunit *test, const void *a, const void *b,
		     size_t n, const char *what);
void tu_params(struct sevfw_params *p, u8 chip_seed);
struct sevfw *tu_fw_new(struct kunit *test, const struct sevfw_params *p);
struct sevfw *tu_fw(struct kunit *test, enum sevfw_mem_mode mode,
		    u8 chip_seed);
void *tu_alloc(struct kunit *test, size_t len);
void *tu_pages(struct kunit *test, size_t len);
u64 tu_pa(const void *p);
u16 tu_cmd(struct sevfw *fw, u32 id, void *buf);

void tu_init(struct kunit *test, struct sevfw *fw, bool es);
u16 tu_handle_cmd(struct kunit *test, struct sevfw *fw, u32 id, u32 handle);
u16 tu_launch_start(struct kunit *test, struct sevfw *fw, u32 policy,
		    u32 share, const void *cert, const void *session,
		    u32 *handle);
u16 tu_activate(struct kunit *test, struct sevfw *fw, u32 handle, u32 asid);
u16 tu_update_data(struct kunit *test, struct sevfw *fw, u32 handle,
		   const void *addr, u32 len);
u16 tu_measure(struct kunit *test, struct sevfw *fw, u32 handle, u8 *out);
u16 tu_guest_status(struct kunit *test, struct sevfw *fw, u32 handle,
		    u32 *policy, u32 *asid, u8 *state);
u16 tu_dbg(struct kunit *test, struct sevfw *fw, u32 id, u32 handle,
	   u64 src, u64 dst, u32 len);
u32 tu_running_guest(struct kunit *test, struct sevfw *fw, u32 policy,
		     u32 asid, void *data, u32 len);
void tu_export(struct kunit *test, struct sevfw *fw, struct sev_cert *pdh,
	       struct sev_cert *chain);
struct sev_cert *tu_pdh(struct kunit *test, struct sevfw *fw);

/**
 * struct tu_owner - a guest owner (or sending firmware) built with the
 * firmware's own primitives: a fresh DH key and a session for one PDH
 * @cert: the owner's DH certificate (usage PDH)
 * @session: the session blob
 * @tek: the transport encryption key it wraps
 * @tik: the transport integrity key it wraps
 * @ms: the master secret
 */
struct tu_owner {
	struct sev_cert cert;
	u8 session[0x80];
	u8 tek[16];
	u8 tik[16];
	u8 ms[16];
};

struct tu_owner *tu_owner(struct kunit *test, struct sevfw *fw, u32 policy);
u16 tu_receive_start(struct kunit *test, struct sevfw *fw, u32 policy,
		     u32 share, const struct tu_owner *o, u32 *handle);
u16 tu_send_start_plain(struct kunit *test, struct sevfw *fw, u32 handle,
			const struct sev_cert *pdh, u8 *session);

#endif /* _SEVFW_TEST_UTIL_H */
