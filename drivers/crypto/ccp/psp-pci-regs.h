/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The register protocol of a PSP PCI function's SEV mailbox, apart from
 * the PCI glue of psp-pci.c: which PCI ids carry which register layout in
 * BAR 2, the probe-time reads and writes, the mailbox ops over MMIO, the
 * interrupt handler and the teardown order. Nothing here needs a PCI bus,
 * so KUnit runs it under UML against an emulated BAR.
 */

#ifndef _PSP_PCI_REGS_H
#define _PSP_PCI_REGS_H

#include <linux/interrupt.h>
#include <linux/mod_devicetable.h>
#include <linux/types.h>

#include "psp-mbox.h"

#define PSP_PCI_BAR			2

/* FEATURE reads as all ones when the BIOS blocks access to the PSP */
#define PSP_FEATURE_INACCESSIBLE	0xffffffff

/**
 * struct psp_pci_vdata - register layout of one PSP generation (BAR 2)
 * @regs: offset of each mailbox register in the BAR
 */
struct psp_pci_vdata {
	u32 regs[PSP_MBOX_NR_REGS];
};

/* The PSPs with an SEV mailbox; driver_data is their struct psp_pci_vdata */
extern const struct pci_device_id psp_pci_table[];

/**
 * struct psp_pci_regs - the SEV mailbox of one PSP, in its BAR
 * @base: the mapped BAR
 * @vdata: its register layout
 * @capability: the FEATURE (capability) register as read at probe
 * @mbox: the mailbox driven over these registers
 */
struct psp_pci_regs {
	void __iomem *base;
	const struct psp_pci_vdata *vdata;
	u32 capability;
	struct psp_mbox mbox;
};

/**
 * struct psp_pci_teardown_ops - the steps of a teardown outside the BAR
 * @unbind: take the SEV platform down: SHUTDOWN through the mailbox, WBINVD,
 *	    then free the TMR (sev_dev_unbind())
 * @free_irq: release the interrupt vector, if there is one
 */
struct psp_pci_teardown_ops {
	void (*unbind)(struct psp_pci_regs *r);
	void (*free_irq)(struct psp_pci_regs *r);
};

int psp_pci_regs_probe(struct psp_pci_regs *r, void __iomem *base,
		       const struct psp_pci_vdata *vdata);
int psp_pci_regs_init(struct psp_pci_regs *r, const char *name);
void psp_pci_regs_irq_on(struct psp_pci_regs *r);
irqreturn_t psp_pci_regs_irq(int irq, void *data);
void psp_pci_regs_teardown(struct psp_pci_regs *r,
			   const struct psp_pci_teardown_ops *ops, bool bound);

#endif /* _PSP_PCI_REGS_H */
