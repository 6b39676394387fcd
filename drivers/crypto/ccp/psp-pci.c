// SPDX-License-Identifier: GPL-2.0-only
/*
 * PCI driver for the AMD Secure Processor (PSP): its SEV mailbox registers
 * in BAR 2 become the SEV device's mailbox. This is the PCI glue (binding,
 * the master PSP, BAR mapping, DMA mask, MSI-X/MSI, sysfs); the register
 * protocol itself is in psp-pci-regs.c.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-mapping.h>
#include <linux/interrupt.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include <asm/cpufeature.h>

#include "psp-dev.h"
#include "psp-host.h"
#include "psp-pci-regs.h"
#include "sev-dev.h"

#define PSP_PCI_DRV_NAME	"sev-psp"

/* Upstream's sysfs names for the PSP's security report (psp-host.h) */
static const struct psp_security_attr psp_pci_security[] = {
	{ "fused_part", 8 },
	{ "debug_lock_on", 10 },
	{ "tsme_status", 13 },
	{ "anti_rollback_status", 15 },
	{ "rpmc_production_enabled", 16 },
	{ "rpmc_spirom_available", 17 },
	{ "hsp_tpm_available", 18 },
	{ "rom_armor_enforced", 19 },
};

/**
 * struct psp_pci - one PSP PCI function
 * @pdev: the PCI device
 * @irq: Linux irq number, or 0 when polling
 * @regs: its SEV mailbox registers in BAR 2
 */
struct psp_pci {
	struct pci_dev *pdev;
	int irq;
	struct psp_pci_regs regs;
};

/* MSI-X, else MSI; without either the mailbox is polled */
static void psp_pci_setup_irq(struct psp_pci *psp)
{
	struct pci_dev *pdev = psp->pdev;
	int ret;

	ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSIX | PCI_IRQ_MSI);
	if (ret < 0) {
		dev_notice(&pdev->dev, "no MSI-X/MSI vector (%d), polling the mailbox\n",
			   ret);
		return;
	}

	ret = request_irq(pci_irq_vector(pdev, 0), psp_pci_regs_irq, 0,
			  PSP_PCI_DRV_NAME, &psp->regs);
	if (ret) {
		dev_notice(&pdev->dev, "cannot request the irq (%d), polling the mailbox\n",
			   ret);
		pci_free_irq_vectors(pdev);
		return;
	}

	psp->irq = pci_irq_vector(pdev, 0);
}

static void psp_pci_free_irq(struct psp_pci *psp)
{
	if (!psp->irq)
		return;

	free_irq(psp->irq, &psp->regs);
	pci_free_irq_vectors(psp->pdev);
	psp->irq = 0;
}

/* The teardown steps outside the BAR (psp_pci_regs_teardown()) */
static void psp_pci_unbind(struct psp_pci_regs *r)
{
	sev_dev_unbind(&r->mbox);
}

static void psp_pci_teardown_irq(struct psp_pci_regs *r)
{
	psp_pci_free_irq(container_of(r, struct psp_pci, regs));
}

static const struct psp_pci_teardown_ops psp_pci_teardown_ops = {
	.unbind = psp_pci_unbind,
	.free_irq = psp_pci_teardown_irq,
};

/* ---- sysfs: the security report, as upstream's attributes ---- */

static ssize_t psp_pci_security_show(struct device *dev,
				     struct device_attribute *attr, char *buf);

#define PSP_PCI_SECURITY_ATTR(_name)					\
	static struct device_attribute dev_attr_##_name =		\
		__ATTR(_name, 0444, psp_pci_security_show, NULL)

PSP_PCI_SECURITY_ATTR(fused_part);
PSP_PCI_SECURITY_ATTR(debug_lock_on);
PSP_PCI_SECURITY_ATTR(tsme_status);
PSP_PCI_SECURITY_ATTR(anti_rollback_status);
PSP_PCI_SECURITY_ATTR(rpmc_production_enabled);
PSP_PCI_SECURITY_ATTR(rpmc_spirom_available);
PSP_PCI_SECURITY_ATTR(hsp_tpm_available);
PSP_PCI_SECURITY_ATTR(rom_armor_enforced);

static struct attribute *psp_pci_security_attrs[] = {
	&dev_attr_fused_part.attr,
	&dev_attr_debug_lock_on.attr,
	&dev_attr_tsme_status.attr,
	&dev_attr_anti_rollback_status.attr,
	&dev_attr_rpmc_production_enabled.attr,
	&dev_attr_rpmc_spirom_available.attr,
	&dev_attr_hsp_tpm_available.attr,
	&dev_attr_rom_armor_enforced.attr,
	NULL
};

static ssize_t psp_pci_security_show(struct device *dev,
				     struct device_attribute *attr, char *buf)
{
	struct psp_pci *psp = dev_get_drvdata(dev);
	unsigned int i;

	if (!psp)	/* shut down */
		return -ENODEV;
	for (i = 0; i < ARRAY_SIZE(psp_pci_security); i++)
		if (!strcmp(attr->attr.name, psp_pci_security[i].name))
			return sysfs_emit(buf, "%u\n",
					  psp_security_value(psp->regs.capability,
							     &psp_pci_security[i]));
	return -EINVAL;
}

/* Shown only where the PSP reports its security properties */
static umode_t psp_pci_security_visible(struct kobject *kobj,
					struct attribute *attr, int n)
{
	struct psp_pci *psp = dev_get_drvdata(kobj_to_dev(kobj));

	return psp && psp_security_reported(psp->regs.capability) ? 0444 : 0;
}

static const struct attribute_group psp_pci_security_group = {
	.attrs = psp_pci_security_attrs,
	.is_visible = psp_pci_security_visible,
};

static const struct attribute_group *psp_pci_groups[] = {
	&psp_pci_security_group,
	NULL
};

static void psp_pci_loc(struct pci_dev *pdev, struct psp_pci_loc *loc)
{
	loc->domain = pci_domain_nr(pdev->bus);
	loc->bus = pdev->bus->number;
	loc->devfn = pdev->devfn;
}

/*
 * The master PSP: of all PSP functions in the system, bound or not, the one
 * with the lowest (domain, bus, slot, function). Only it binds SEV; when its
 * probe fails, no secondary die's PSP takes its place.
 */
static struct pci_dev *psp_pci_find_master(struct pci_dev *self)
{
	struct psp_pci_loc best, loc;
	struct pci_dev *pdev = NULL, *master = pci_dev_get(self);

	psp_pci_loc(self, &best);
	for_each_pci_dev(pdev) {
		if (pdev == self || !pci_match_id(psp_pci_table, pdev))
			continue;
		psp_pci_loc(pdev, &loc);
		if (psp_pci_loc_before(&loc, &best)) {
			best = loc;
			pci_dev_put(master);
			master = pci_dev_get(pdev);
		}
	}
	return master;
}

bool psp_pci_function_present(void)
{
	struct pci_dev *pdev = NULL;

	for_each_pci_dev(pdev) {
		if (pci_match_id(psp_pci_table, pdev)) {
			pci_dev_put(pdev);
			return true;
		}
	}
	return false;
}

static int psp_pci_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct device *dev = &pdev->dev;
	struct pci_dev *master;
	struct psp_pci *psp;
	int ret;

	master = psp_pci_find_master(pdev);
	if (master != pdev) {
		dev_info(dev, "not the master PSP (%s is): SEV is served by the master only\n",
			 pci_name(master));
		pci_dev_put(master);
		return -ENODEV;
	}
	pci_dev_put(master);

	psp = devm_kzalloc(dev, sizeof(*psp), GFP_KERNEL);
	if (!psp)
		return -ENOMEM;
	psp->pdev = pdev;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;

	ret = pcim_iomap_regions(pdev, BIT(PSP_PCI_BAR), PSP_PCI_DRV_NAME);
	if (ret)
		return ret;

	pci_set_master(pdev);
	ret = dma_set_mask_and_coherent(dev, DMA_BIT_MASK(48));
	if (ret)
		ret = dma_set_mask_and_coherent(dev, DMA_BIT_MASK(32));
	if (ret)
		return ret;

	ret = psp_pci_regs_probe(&psp->regs, pcim_iomap_table(pdev)[PSP_PCI_BAR],
				 (const struct psp_pci_vdata *)id->driver_data);
	if (ret == -EACCES) {
		dev_notice(dev, "PSP inaccessible (FEATURE reads all ones; the BIOS may block it)\n");
		return -ENODEV;
	}
	if (ret) {
		dev_dbg(dev, "PSP without SEV (FEATURE %#x)\n",
			psp->regs.capability);
		return ret;
	}
	if (!boot_cpu_has(X86_FEATURE_SEV)) {
		dev_info(dev, "SEV: memory encryption not enabled by BIOS\n");
		return -ENODEV;
	}

	/* interrupts off and acknowledged until the handler is in place */
	ret = psp_pci_regs_init(&psp->regs, pci_name(pdev));
	if (ret)
		return ret;

	psp_pci_setup_irq(psp);
	if (psp->irq)
		psp_pci_regs_irq_on(&psp->regs);

	ret = sev_dev_bind(&psp->regs.mbox, dev);
	if (ret) {
		if (ret == -EBUSY)
			dev_info(dev, "another PSP provides SEV already\n");
		psp_pci_regs_teardown(&psp->regs, &psp_pci_teardown_ops, false);
		return ret;
	}

	pci_set_drvdata(pdev, psp);
	dev_notice(dev, "PSP enabled (%s)\n", psp->irq ? "irq" : "polling");
	return 0;
}

static void psp_pci_remove(struct pci_dev *pdev)
{
	struct psp_pci *psp = pci_get_drvdata(pdev);

	if (!psp)	/* shut down already */
		return;
	psp_pci_regs_teardown(&psp->regs, &psp_pci_teardown_ops, true);
}

/*
 * Reboot and kexec: the next kernel must find the platform UNINIT, so that
 * it initialises it with a TMR of its own, and no memory of this kernel
 * in the firmware's hands. As on removal (psp_pci_regs_teardown()):
 * SHUTDOWN, WBINVD and only then free the TMR (sev_dev_unbind()), mask the
 * interrupts, free the vector.
 */
static void psp_pci_shutdown(struct pci_dev *pdev)
{
	psp_pci_remove(pdev);
	pci_set_drvdata(pdev, NULL);
}

static struct pci_driver psp_pci_driver = {
	.name = PSP_PCI_DRV_NAME,
	.id_table = psp_pci_table,
	.probe = psp_pci_probe,
	.remove = psp_pci_remove,
	.shutdown = psp_pci_shutdown,
	.dev_groups = psp_pci_groups,
};

int psp_pci_register(void)
{
	return pci_register_driver(&psp_pci_driver);
}

void psp_pci_unregister(void)
{
	pci_unregister_driver(&psp_pci_driver);
}
