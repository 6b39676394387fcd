/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Module-wide pieces of the PSP driver: the PCI driver, the software
 * backend registry and the debugfs root.
 */

#ifndef _PSP_DEV_H
#define _PSP_DEV_H

/* psp-pci.c */
int psp_pci_register(void);
void psp_pci_unregister(void);

#endif /* _PSP_DEV_H */
