// SPDX-License-Identifier: GPL-2.0-only
/*
 * Planning DBG_DECRYPT / DBG_ENCRYPT requests of any alignment and length.
 */

#include <linux/align.h>
#include <linux/minmax.h>
#include <linux/mm.h>

#include "sev-dbg-plan.h"

/**
 * sev_dbg_plan() - the next step of a DBG request
 * @src: current source address (guest memory for decrypt, the user's
 *	 plaintext for encrypt)
 * @dst: current destination address (the user's buffer for decrypt, guest
 *	 memory for encrypt)
 * @remaining: bytes still to move, > 0
 * @decrypt: DBG_DECRYPT rather than DBG_ENCRYPT
 * @step: filled in
 *
 * Only the offsets of @src and @dst within their pages matter: pinned
 * pages keep them, so the physical addresses the firmware sees have the
 * same alignment.
 */
void sev_dbg_plan(unsigned long src, unsigned long dst,
		  unsigned long remaining, bool decrypt,
		  struct sev_dbg_step *step)
{
	unsigned long guest = decrypt ? src : dst;
	unsigned long len;

	len = min3(PAGE_SIZE - offset_in_page(src),
		   PAGE_SIZE - offset_in_page(dst), remaining);
	step->len = len;

	if (IS_ALIGNED(src | dst | len, SEV_DBG_ALIGN)) {
		step->bounce = false;
		step->rmw = false;
		step->win_skip = 0;
		step->win_len = len;
		return;
	}

	/*
	 * The window is the run of whole 16-byte blocks of guest memory that
	 * contains the step; it ends at or before the guest page's end.
	 */
	step->bounce = true;
	step->win_skip = guest & (SEV_DBG_ALIGN - 1);
	step->win_len = ALIGN(step->win_skip + len, SEV_DBG_ALIGN);
	step->rmw = !decrypt && step->win_len != len;
}
