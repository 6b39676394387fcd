/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sev-host check: can this host run SEV guests?
 */

#ifndef _SEVTOOLS_HOSTCHECK_H
#define _SEVTOOLS_HOSTCHECK_H

/*
 * The "check" command; @argv[0] is "check". @device is the device node
 * given with --device or $SEV_DEVICE, or NULL for /dev/sev under the root.
 * Returns the exit status: 0 when the host can run SEV guests, 1 when a
 * check failed, 2 on a usage error.
 */
int cmd_check(int argc, char **argv, const char *device);

#endif /* _SEVTOOLS_HOSTCHECK_H */
