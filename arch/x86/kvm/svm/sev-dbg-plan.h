/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Planning DBG_DECRYPT / DBG_ENCRYPT requests of any alignment and length.
 *
 * The firmware moves 16-byte aligned blocks and never crosses a page. A
 * request is cut into steps that stay within one page of both source and
 * destination; a step whose addresses or length are not 16-byte aligned
 * goes through a bounce page, and an encrypt step that covers only part of
 * a 16-byte block first decrypts the surrounding blocks so that the bytes
 * around the request survive (read-modify-write).
 */

#ifndef _SEV_DBG_PLAN_H
#define _SEV_DBG_PLAN_H

#include <linux/types.h>

#define SEV_DBG_ALIGN	16

/**
 * struct sev_dbg_step - one firmware-sized piece of a DBG request
 * @len: bytes of the request this step covers
 * @bounce: go through a bounce page
 * @rmw: (encrypt) decrypt the guest window into the bounce page first
 * @win_skip: offset of the request's bytes in the 16-byte aligned window
 *	      around the guest address (0 when not bouncing)
 * @win_len: firmware length: the window, a multiple of 16 (@len when not
 *	     bouncing)
 */
struct sev_dbg_step {
	unsigned int len;
	bool bounce;
	bool rmw;
	unsigned int win_skip;
	unsigned int win_len;
};

void sev_dbg_plan(unsigned long src, unsigned long dst,
		  unsigned long remaining, bool decrypt,
		  struct sev_dbg_step *step);

#endif /* _SEV_DBG_PLAN_H */
