/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Module-wide pieces of the PSP driver: the PCI driver, the software
 * backend registry and the debugfs root.
 */

#ifndef _PSP_DEV_H
#define _PSP_DEV_H

#include <linux/types.h>

/* psp-pci.c */
int psp_pci_register(void);
void psp_pci_unregister(void);
/* An AMD PSP PCI function with an SEV mailbox exists (bound or not) */
bool psp_pci_function_present(void);

#endif /* _PSP_DEV_H */
