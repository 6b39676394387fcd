// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the host decisions of psp-host.h: when a software SEV
 * firmware must refuse to serve a host, and which PSP PCI function is the
 * master, on the facts of real and fake machines.
 */

#include <kunit/test.h>

#include "psp-host.h"

/* CPUID 0x8000001F EAX bits of an EPYC: SME (0), SEV (1), SEV-ES (3) */
#define EPYC_SEV_EAX	(BIT(0) | BIT(1) | BIT(3))

static void psp_host_test_refusal(struct kunit *test)
{
	struct psp_host_facts epyc = {
		.amd = true, .max_ext_leaf = 0x80000023,
		.sev_eax = EPYC_SEV_EAX,
	};
	struct psp_host_facts h;

	/* bare-metal EPYC: refused, whether or not a PSP function shows */
	KUNIT_EXPECT_NOT_NULL(test, psp_host_sw_refusal(&epyc));
	KUNIT_EXPECT_TRUE(test, psp_host_sev_silicon(&epyc));
	h = epyc;
	h.psp_pci = true;
	KUNIT_EXPECT_NOT_NULL(test, psp_host_sw_refusal(&h));

	/* the same CPUID in a guest (an SEV guest sees the bit): allowed */
	h = epyc;
	h.hypervisor = true;
	KUNIT_EXPECT_NULL(test, psp_host_sw_refusal(&h));
	KUNIT_EXPECT_FALSE(test, psp_host_sev_silicon(&h));
	/* ...unless a PSP function was passed through to it */
	h.psp_pci = true;
	KUNIT_EXPECT_NOT_NULL(test, psp_host_sw_refusal(&h));

	/* an AMD desktop without SEV, and an older CPU without the leaf */
	h = epyc;
	h.sev_eax = BIT(0);	/* SME only */
	KUNIT_EXPECT_NULL(test, psp_host_sw_refusal(&h));
	h = epyc;
	h.max_ext_leaf = 0x8000001e;
	KUNIT_EXPECT_NULL(test, psp_host_sw_refusal(&h));

	/* another vendor: the leaf means nothing there */
	h = epyc;
	h.amd = false;
	KUNIT_EXPECT_NULL(test, psp_host_sw_refusal(&h));
	memset(&h, 0, sizeof(h));
	KUNIT_EXPECT_NULL(test, psp_host_sw_refusal(&h));
}

static void psp_host_test_master(struct kunit *test)
{
	/* two sockets, listed in probe order: socket 1's PSP first */
	static const struct psp_pci_loc two_sockets[] = {
		{ .domain = 0, .bus = 0xc0, .devfn = 0x0a },
		{ .domain = 0, .bus = 0x40, .devfn = 0x0a },
	};
	/* functions on one bus: slot, then function */
	static const struct psp_pci_loc one_bus[] = {
		{ .domain = 0, .bus = 0x02, .devfn = (8 << 3) | 2 },
		{ .domain = 0, .bus = 0x02, .devfn = (7 << 3) | 5 },
		{ .domain = 0, .bus = 0x02, .devfn = (8 << 3) | 1 },
	};
	/* a lower domain wins over a lower bus */
	static const struct psp_pci_loc domains[] = {
		{ .domain = 1, .bus = 0x00, .devfn = 0 },
		{ .domain = 0, .bus = 0xff, .devfn = 0xff },
		{ .domain = 2, .bus = 0x00, .devfn = 0 },
	};
	static const struct psp_pci_loc single[] = {
		{ .domain = 3, .bus = 0x21, .devfn = 0x11 },
	};

	KUNIT_EXPECT_EQ(test, psp_pci_master(two_sockets, 2), 1U);
	KUNIT_EXPECT_EQ(test, psp_pci_master(one_bus, 3), 1U);
	KUNIT_EXPECT_EQ(test, psp_pci_master(domains, 3), 1U);
	KUNIT_EXPECT_EQ(test, psp_pci_master(single, 1), 0U);

	/* strict order: a function is never before itself */
	KUNIT_EXPECT_FALSE(test, psp_pci_loc_before(&single[0], &single[0]));
	KUNIT_EXPECT_TRUE(test, psp_pci_loc_before(&one_bus[1], &one_bus[2]));
	KUNIT_EXPECT_FALSE(test, psp_pci_loc_before(&one_bus[2], &one_bus[1]));
}

static void psp_host_test_security(struct kunit *test)
{
	static const struct psp_security_attr tsme = { "tsme_status", 13 };
	static const struct psp_security_attr fused = { "fused_part", 8 };
	/* SEV and TEE, reporting valid, fused part and TSME on */
	u32 cap = BIT(0) | BIT(1) | BIT(7) | BIT(8) | BIT(13);

	KUNIT_EXPECT_TRUE(test, psp_security_reported(cap));
	KUNIT_EXPECT_EQ(test, psp_security_value(cap, &tsme), 1U);
	KUNIT_EXPECT_EQ(test, psp_security_value(cap, &fused), 1U);
	KUNIT_EXPECT_EQ(test, psp_security_value(cap & ~BIT(13), &tsme), 0U);
	/* an older PSP without the report: the attributes stay hidden */
	KUNIT_EXPECT_FALSE(test, psp_security_reported(BIT(0) | BIT(13)));
}

static struct kunit_case psp_host_test_cases[] = {
	KUNIT_CASE(psp_host_test_refusal),
	KUNIT_CASE(psp_host_test_master),
	KUNIT_CASE(psp_host_test_security),
	{}
};

static struct kunit_suite psp_host_test_suite = {
	.name = "psp-host",
	.test_cases = psp_host_test_cases,
};

kunit_test_suite(psp_host_test_suite);

MODULE_LICENSE("GPL");
