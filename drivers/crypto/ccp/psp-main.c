// SPDX-License-Identifier: GPL-2.0-only
/*
 * Module entry points of the PSP driver (sev-psp.ko).
 */

#include <linux/module.h>

#include "psp-dev.h"
#include "sev-dev.h"

static int __init psp_mod_init(void)
{
	int ret;

	sev_debugfs_init();

	ret = psp_pci_register();
	if (ret)
		sev_debugfs_exit();

	return ret;
}

static void __exit psp_mod_exit(void)
{
	psp_pci_unregister();
	sev_debugfs_exit();
}

module_init(psp_mod_init);
module_exit(psp_mod_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("AMD Secure Processor SEV driver with software firmware backends");
MODULE_FIRMWARE("amd/amd_sev_fam17h_model0xh.sbin");	/* EPYC 7001 */
MODULE_FIRMWARE("amd/amd_sev_fam17h_model3xh.sbin");	/* EPYC 7002 */
MODULE_FIRMWARE("amd/amd_sev_fam19h_model0xh.sbin");	/* EPYC 7003 */
MODULE_FIRMWARE("amd/amd_sev_fam19h_model1xh.sbin");	/* EPYC 9004 */
