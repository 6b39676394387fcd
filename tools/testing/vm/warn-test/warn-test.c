// SPDX-License-Identifier: GPL-2.0-only
/*
 * Self-test module of the VM harness: WARNs once when it is loaded.
 *
 * tools/testing/vm/selftest.sh loads it with a command that succeeds and
 * expects run.sh to fail anyway, because the guest kernel log then holds a
 * "WARNING:" line and a "Call Trace". It is a test fixture, not a driver.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bug.h>
#include <linux/module.h>

static int __init warn_test_init(void)
{
	WARN(1, "deliberate warning for the VM harness self-test\n");
	return 0;
}
module_init(warn_test_init);

static void __exit warn_test_exit(void)
{
	pr_info("unloaded\n");
}
module_exit(warn_test_exit);

MODULE_DESCRIPTION("VM harness self-test: WARN on load");
MODULE_LICENSE("GPL");
