// SPDX-License-Identifier: GPL-2.0-only
/*
 * Software mailbox backends: a software SEV firmware registers here and
 * becomes the SEV device's mailbox when no PSP is bound.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/export.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "psp-backend.h"
#include "psp-dev.h"
#include "psp-host.h"
#include "psp-mbox.h"
#include "sev-dev.h"

#define PSP_SW_DEVICE_NAME	"sev-psp-sw"

/* Serializes registration */
static DEFINE_MUTEX(psp_sw_mutex);
/* The registered backend, guarded by psp_sw_mutex */
static struct psp_sw_backend *psp_sw_cur;
static struct platform_device *psp_sw_pdev;

/* Guards psp_sw_caps_valid and psp_sw_caps for lockless readers */
static DEFINE_SPINLOCK(psp_sw_caps_lock);
static bool psp_sw_caps_valid;
static struct sev_sw_caps psp_sw_caps;

/*
 * Release a mailbox. A quarantined one stays allocated: the backend may
 * still complete the command it could not stop and signal it here.
 */
static void psp_sw_free_mbox(struct psp_mbox *mbox)
{
	bool quarantined = mbox->quarantined;

	psp_mbox_destroy(mbox);
	if (quarantined)
		psp_quarantine_buf(mbox, sizeof(*mbox));
	else
		kfree(mbox);
}

/*
 * A software firmware never serves SEV silicon: there the real PSP owns the
 * ASIDs, the C-bit and the keys. be->force overrides, loudly, for
 * development on such a machine.
 */
static int psp_sw_host_check(const struct psp_sw_backend *be)
{
	struct psp_host_facts h = {};
	const char *why;

#ifdef CONFIG_X86
	psp_host_cpu_facts(&h);
#endif
	h.psp_pci = psp_pci_function_present();
	why = psp_host_sw_refusal(&h);
	if (!why)
		return 0;
	if (!be->force) {
		pr_err("software backend \"%s\" refused: %s, so the PSP must serve SEV here (force=1 overrides, never on a production host)\n",
		       be->name, why);
		return -ENODEV;
	}
	pr_crit("software backend \"%s\" forced although %s: its ASIDs, C-bit and keys are not the platform's; KVM keeps using CPUID's\n",
		be->name, why);
	return 0;
}

static void psp_sw_set_caps(const struct sev_sw_caps *caps)
{
	spin_lock(&psp_sw_caps_lock);
	psp_sw_caps_valid = !!caps;
	if (caps)
		psp_sw_caps = *caps;
	spin_unlock(&psp_sw_caps_lock);
}

/**
 * psp_sw_register() - bind a software backend as the SEV device's mailbox
 * @be: the backend; @be->mbox is set while it is registered
 *
 * Creates the backend's mailbox (completion by psp_mbox_irq()), checks the
 * SEV bit of its FEATURE register, acknowledges and enables its interrupts
 * (INTSTS, INTEN) as for a PCI PSP, then binds the SEV device to it,
 * which issues the first firmware commands (and, by default, initialises
 * the platform) before this returns.
 *
 * Return: 0; -EINVAL for an incomplete backend; -ENODEV on SEV silicon or
 * next to a PSP PCI function, unless @be->force; -EBUSY if a PSP (hardware
 * or software) is bound already; -ENODEV without the SEV feature; -ENOMEM;
 * or the error of the first firmware command.
 */
int psp_sw_register(struct psp_sw_backend *be)
{
	struct platform_device *pdev;
	struct psp_mbox *mbox;
	int ret;

	if (!be || !be->name || !be->ops || !be->ops->read || !be->ops->write)
		return -EINVAL;

	ret = psp_sw_host_check(be);
	if (ret)
		return ret;

	mutex_lock(&psp_sw_mutex);
	if (psp_sw_cur || sev_dev_bound()) {
		ret = -EBUSY;
		goto unlock;
	}

	mbox = kzalloc(sizeof(*mbox), GFP_KERNEL);
	if (!mbox) {
		ret = -ENOMEM;
		goto unlock;
	}

	ret = psp_mbox_init(mbox, be->name, be->ops, be->priv, true);
	if (ret)
		goto free_mbox;

	/* the same register protocol as a PCI PSP */
	if (!(be->ops->read(mbox, PSP_MBOX_FEATURE) & PSP_FEATURE_SEV)) {
		pr_err("software backend \"%s\" does not report SEV\n",
		       be->name);
		ret = -ENODEV;
		goto destroy_mbox;
	}

	pdev = platform_device_register_simple(PSP_SW_DEVICE_NAME,
					       PLATFORM_DEVID_NONE, NULL, 0);
	if (IS_ERR(pdev)) {
		ret = PTR_ERR(pdev);
		goto destroy_mbox;
	}

	/* the backend completes commands on it from now on */
	be->mbox = mbox;
	be->ops->write(mbox, PSP_MBOX_INTEN, 0);
	be->ops->write(mbox, PSP_MBOX_INTSTS, 0xffffffff);
	be->ops->write(mbox, PSP_MBOX_INTEN, 0xffffffff);

	ret = sev_dev_bind(mbox, &pdev->dev);
	if (ret) {
		be->ops->write(mbox, PSP_MBOX_INTEN, 0);
		be->mbox = NULL;
		goto unregister_pdev;
	}

	psp_sw_set_caps(&be->caps);
	psp_sw_cur = be;
	psp_sw_pdev = pdev;
	mutex_unlock(&psp_sw_mutex);

	pr_info("software SEV firmware \"%s\" bound\n", be->name);
	return 0;

unregister_pdev:
	platform_device_unregister(pdev);
destroy_mbox:
	psp_sw_free_mbox(mbox);
	goto unlock;
free_mbox:
	kfree(mbox);
unlock:
	mutex_unlock(&psp_sw_mutex);
	return ret;
}
EXPORT_SYMBOL_GPL(psp_sw_register);

/**
 * psp_sw_unregister() - unbind a software backend
 * @be: a backend registered with psp_sw_register()
 *
 * Waits for a command in flight, shuts the platform down if it is
 * initialised, removes /dev/sev and releases the mailbox. The backend must
 * have stopped any command the driver gave up on (its memory is no longer
 * touched), which ends a quarantine on this mailbox's account. Open /dev/sev
 * files and in-kernel users get -ENODEV afterwards.
 */
void psp_sw_unregister(struct psp_sw_backend *be)
{
	struct psp_mbox *mbox;

	mutex_lock(&psp_sw_mutex);
	if (WARN_ON(!be || psp_sw_cur != be)) {
		mutex_unlock(&psp_sw_mutex);
		return;
	}

	mbox = be->mbox;
	/* the backend stopped its commands before unregistering */
	psp_quarantine_quiet(mbox);
	psp_sw_set_caps(NULL);
	sev_dev_unbind(mbox);
	be->ops->write(mbox, PSP_MBOX_INTEN, 0);
	/*
	 * A command that timed out while unbinding (its backend had stopped
	 * already) keeps its memory quarantined with the mailbox; the count
	 * of live quarantines must not outlive the mailbox.
	 */
	psp_quarantine_retire(mbox);

	platform_device_unregister(psp_sw_pdev);
	psp_sw_pdev = NULL;
	psp_sw_cur = NULL;
	be->mbox = NULL;
	mutex_unlock(&psp_sw_mutex);

	psp_sw_free_mbox(mbox);
	pr_info("software SEV firmware \"%s\" unbound\n", be->name);
}
EXPORT_SYMBOL_GPL(psp_sw_unregister);

/**
 * sev_psp_sw_caps() - capabilities of a bound software SEV firmware
 * @caps: receives the capabilities
 *
 * For KVM (through symbol_get()), which takes the ASID ranges and C-bit
 * from here instead of CPUID when the firmware is a software one.
 *
 * Return: true with *@caps filled if a software backend is bound.
 */
bool sev_psp_sw_caps(struct sev_sw_caps *caps)
{
	bool valid;

	spin_lock(&psp_sw_caps_lock);
	valid = psp_sw_caps_valid;
	if (valid)
		*caps = psp_sw_caps;
	spin_unlock(&psp_sw_caps_lock);

	return valid;
}
EXPORT_SYMBOL_GPL(sev_psp_sw_caps);
