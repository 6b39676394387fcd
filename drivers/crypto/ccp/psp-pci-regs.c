// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SEV mailbox registers of a PSP PCI function (BAR 2): per-device
 * layouts, the mailbox ops over MMIO, the interrupt handler and the order
 * in which a PSP is brought up and torn down. psp-pci.c binds the PCI
 * function and maps the BAR; everything it then does to the registers
 * happens here.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/io.h>
#include <linux/module.h>
#include <linux/pci.h>

#include "psp-pci-regs.h"

/* First-generation EPYC (sevv1 mailbox, C2PMSG base 0x10500) */
static const struct psp_pci_vdata psp_pci_sevv1 = {
	.regs = {
		[PSP_MBOX_CMDRESP]	= 0x10580,
		[PSP_MBOX_CMDBUFF_LO]	= 0x105e0,
		[PSP_MBOX_CMDBUFF_HI]	= 0x105e4,
		[PSP_MBOX_FEATURE]	= 0x105fc,
		[PSP_MBOX_INTEN]	= 0x10610,
		[PSP_MBOX_INTSTS]	= 0x10614,
	},
};

/* Later parts (sevv2 mailbox, C2PMSG base 0x10900) */
static const struct psp_pci_vdata psp_pci_sevv2 = {
	.regs = {
		[PSP_MBOX_CMDRESP]	= 0x10980,
		[PSP_MBOX_CMDBUFF_LO]	= 0x109e0,
		[PSP_MBOX_CMDBUFF_HI]	= 0x109e4,
		[PSP_MBOX_FEATURE]	= 0x109fc,
		[PSP_MBOX_INTEN]	= 0x10690,
		[PSP_MBOX_INTSTS]	= 0x10694,
	},
};

/* sevv2 mailbox with the interrupt registers of PSP v6 */
static const struct psp_pci_vdata psp_pci_pspv6 = {
	.regs = {
		[PSP_MBOX_CMDRESP]	= 0x10980,
		[PSP_MBOX_CMDBUFF_LO]	= 0x109e0,
		[PSP_MBOX_CMDBUFF_HI]	= 0x109e4,
		[PSP_MBOX_FEATURE]	= 0x109fc,
		[PSP_MBOX_INTEN]	= 0x10510,
		[PSP_MBOX_INTSTS]	= 0x10514,
	},
};

/* AMD PSPs with an SEV mailbox only; CCP-only and TEE-only ids are not ours */
const struct pci_device_id psp_pci_table[] = {
	{ PCI_VDEVICE(AMD, 0x1456), (kernel_ulong_t)&psp_pci_sevv1 },
	{ PCI_VDEVICE(AMD, 0x1486), (kernel_ulong_t)&psp_pci_sevv2 },
	{ PCI_VDEVICE(AMD, 0x14CA), (kernel_ulong_t)&psp_pci_sevv2 },
	{ PCI_VDEVICE(AMD, 0x156E), (kernel_ulong_t)&psp_pci_pspv6 },
	{ PCI_VDEVICE(AMD, 0x17D8), (kernel_ulong_t)&psp_pci_pspv6 },
	{ }
};
MODULE_DEVICE_TABLE(pci, psp_pci_table);

static u32 psp_pci_regs_read(const struct psp_pci_regs *r,
			     enum psp_mbox_reg reg)
{
	return ioread32(r->base + r->vdata->regs[reg]);
}

static void psp_pci_regs_write(const struct psp_pci_regs *r,
			       enum psp_mbox_reg reg, u32 val)
{
	iowrite32(val, r->base + r->vdata->regs[reg]);
}

static u32 psp_pci_mbox_read(struct psp_mbox *mbox, enum psp_mbox_reg reg)
{
	return psp_pci_regs_read(mbox->priv, reg);
}

static void psp_pci_mbox_write(struct psp_mbox *mbox, enum psp_mbox_reg reg,
			       u32 val)
{
	psp_pci_regs_write(mbox->priv, reg, val);
}

/* No abort: a hardware PSP cannot be told to stop a command */
static const struct psp_mbox_ops psp_pci_mbox_ops = {
	.read = psp_pci_mbox_read,
	.write = psp_pci_mbox_write,
};

/**
 * psp_pci_regs_probe() - read the PSP's capabilities
 * @r: the registers, zeroed by the caller
 * @base: the mapped BAR 2
 * @vdata: its register layout
 *
 * Reads FEATURE, the only register touched, and keeps it as the
 * capability.
 *
 * Return: 0 for a PSP with an SEV mailbox, -EACCES when FEATURE reads all
 * ones (the BIOS blocks the PSP), -ENODEV when the PSP has no SEV.
 */
int psp_pci_regs_probe(struct psp_pci_regs *r, void __iomem *base,
		       const struct psp_pci_vdata *vdata)
{
	u32 feature;

	r->base = base;
	r->vdata = vdata;

	feature = psp_pci_regs_read(r, PSP_MBOX_FEATURE);
	if (feature == PSP_FEATURE_INACCESSIBLE)
		return -EACCES;
	r->capability = feature;
	if (!(feature & PSP_FEATURE_SEV))
		return -ENODEV;
	return 0;
}

/**
 * psp_pci_regs_init() - quiesce the interrupts and set up the mailbox
 * @r: the registers, after psp_pci_regs_probe()
 * @name: the mailbox's name in log messages
 *
 * Masks INTEN and acknowledges every INTSTS bit, as upstream does before
 * requesting the interrupt; the mailbox polls until psp_pci_regs_irq_on().
 *
 * Return: 0, or -ENOMEM.
 */
int psp_pci_regs_init(struct psp_pci_regs *r, const char *name)
{
	psp_pci_regs_write(r, PSP_MBOX_INTEN, 0);
	psp_pci_regs_write(r, PSP_MBOX_INTSTS, 0xffffffff);

	/* ready for psp_pci_regs_irq() before the interrupt can fire */
	return psp_mbox_init(&r->mbox, name, &psp_pci_mbox_ops, r, false);
}

/**
 * psp_pci_regs_irq_on() - complete commands by interrupt from now on
 * @r: the registers, whose interrupt calls psp_pci_regs_irq()
 *
 * Commands set IOC from now on, and INTEN is unmasked.
 */
void psp_pci_regs_irq_on(struct psp_pci_regs *r)
{
	r->mbox.use_irq = true;
	psp_pci_regs_write(r, PSP_MBOX_INTEN, 0xffffffff);
}

/**
 * psp_pci_regs_irq() - the PSP's interrupt handler
 * @irq: the Linux irq number
 * @data: the struct psp_pci_regs
 *
 * Reads INTSTS, writes the value back to acknowledge it (write-1-to-clear)
 * and wakes the waiting command when the SEV completion bit is set and
 * CMDRESP has its response bit (psp_mbox_irq()).
 *
 * Return: IRQ_HANDLED; the vector is the PSP's own, as upstream treats it.
 */
irqreturn_t psp_pci_regs_irq(int irq, void *data)
{
	struct psp_pci_regs *r = data;

	psp_mbox_irq(&r->mbox);
	return IRQ_HANDLED;
}

/**
 * psp_pci_regs_teardown() - take a PSP down, for removal, shutdown or kexec
 * @r: the registers, after psp_pci_regs_init()
 * @ops: the steps outside the BAR
 * @bound: SEV was bound on this PSP (@ops->unbind is called)
 *
 * The order of upstream's sp_pci_shutdown() path (sev_dev_destroy(), then
 * sp_free_psp_irq()): the platform is shut down first (SHUTDOWN goes
 * through the mailbox and completes by interrupt, so the interrupt must
 * still be on; WBINVD precedes freeing the TMR); then, an addition to
 * upstream, INTEN is masked so that the PSP raises nothing more; then the
 * vector is freed, and last the mailbox's bounce buffer (kept if a command
 * timed out and the PSP may still write it).
 */
void psp_pci_regs_teardown(struct psp_pci_regs *r,
			   const struct psp_pci_teardown_ops *ops, bool bound)
{
	if (bound)
		ops->unbind(r);
	psp_pci_regs_write(r, PSP_MBOX_INTEN, 0);
	ops->free_irq(r);
	psp_mbox_destroy(&r->mbox);
}
