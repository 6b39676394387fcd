/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Where the SEV platform of this host comes from: the facts that decide
 * whether a software SEV firmware may serve it (never on SEV silicon, whose
 * PSP must serve it), which of several PSP PCI functions is the master
 * that binds SEV, and the security properties a PSP reports. The
 * decisions are plain functions of the facts, so that KUnit can feed them
 * a real EPYC's values, a host without SEV and a guest. KVM reads the
 * CPU's facts here too (psp_host_cpu_facts()).
 */

#ifndef _PSP_HOST_H
#define _PSP_HOST_H

#include <linux/bits.h>
#include <linux/types.h>

/* CPUID 0x8000001F EAX: SME (bit 0), SEV (bit 1), SEV-ES (bit 3) */
#define PSP_HOST_CPUID_SEV_LEAF		0x8000001f
#define PSP_HOST_CPUID_SEV		BIT(1)

/**
 * struct psp_host_facts - what the host is
 * @amd: the CPU vendor is AMD (or Hygon)
 * @max_ext_leaf: the highest extended CPUID leaf (CPUID 0x80000000 EAX)
 * @sev_eax: CPUID 0x8000001F EAX, when @max_ext_leaf reaches it
 * @hypervisor: running as a guest (CPUID 1 ECX bit 31): a guest's CPUID
 *		may show SEV, but no PSP of its own
 * @psp_pci: an AMD PSP PCI function with an SEV mailbox exists
 */
struct psp_host_facts {
	bool amd;
	u32 max_ext_leaf;
	u32 sev_eax;
	bool hypervisor;
	bool psp_pci;
};

/* Bare-metal AMD silicon whose CPUID reports SEV */
static inline bool psp_host_sev_silicon(const struct psp_host_facts *h)
{
	return h->amd && !h->hypervisor &&
	       h->max_ext_leaf >= PSP_HOST_CPUID_SEV_LEAF &&
	       (h->sev_eax & PSP_HOST_CPUID_SEV);
}

/*
 * Why a software SEV firmware must not serve this host, or NULL if it may:
 * on SEV silicon, or next to a PSP PCI function, the real firmware owns the
 * platform (its ASIDs, C-bit and keys).
 */
static inline const char *psp_host_sw_refusal(const struct psp_host_facts *h)
{
	if (h->psp_pci)
		return "an AMD PSP PCI function is present";
	if (psp_host_sev_silicon(h))
		return "the CPU reports SEV (CPUID 0x8000001F) on bare metal";
	return NULL;
}

/**
 * struct psp_pci_loc - where a PSP PCI function sits
 * @domain: PCI domain (segment)
 * @bus: bus number
 * @devfn: slot and function
 */
struct psp_pci_loc {
	u32 domain;
	u8 bus;
	u8 devfn;
};

/*
 * The master PSP is the one with the lowest (domain, bus, slot, function),
 * as upstream's sp_pci_is_master() orders them: true if @a comes first
 */
static inline bool psp_pci_loc_before(const struct psp_pci_loc *a,
				      const struct psp_pci_loc *b)
{
	if (a->domain != b->domain)
		return a->domain < b->domain;
	if (a->bus != b->bus)
		return a->bus < b->bus;
	return a->devfn < b->devfn;
}

/* Index of the master among @n PSP functions (@n > 0) */
static inline unsigned int psp_pci_master(const struct psp_pci_loc *locs,
					  unsigned int n)
{
	unsigned int i, m = 0;

	for (i = 1; i < n; i++)
		if (psp_pci_loc_before(&locs[i], &locs[m]))
			m = i;
	return m;
}

/*
 * The PSP's security report in its FEATURE (capability) register, as
 * upstream exposes it in sysfs: valid when bit 7 is set, one flag per bit
 */
#define PSP_CAP_SECURITY_REPORTING	BIT(7)

/**
 * struct psp_security_attr - one reported security property
 * @name: the sysfs attribute (upstream's name)
 * @bit: its bit in the capability register
 */
struct psp_security_attr {
	const char *name;
	unsigned int bit;
};

/* The PSP reports its security properties */
static inline bool psp_security_reported(u32 capability)
{
	return capability & PSP_CAP_SECURITY_REPORTING;
}

/* The value a security attribute shows: 0 or 1 */
static inline unsigned int psp_security_value(u32 capability,
					      const struct psp_security_attr *a)
{
	return (capability >> a->bit) & 1;
}

#ifdef CONFIG_X86
#include <asm/cpufeature.h>
#include <asm/processor.h>

/* The running CPU's part of the facts (@psp_pci is left false) */
static inline void psp_host_cpu_facts(struct psp_host_facts *h)
{
	h->amd = boot_cpu_data.x86_vendor == X86_VENDOR_AMD ||
		 boot_cpu_data.x86_vendor == X86_VENDOR_HYGON;
	h->max_ext_leaf = cpuid_eax(0x80000000);
	h->sev_eax = h->max_ext_leaf >= PSP_HOST_CPUID_SEV_LEAF ?
		     cpuid_eax(PSP_HOST_CPUID_SEV_LEAF) : 0;
	h->hypervisor = boot_cpu_has(X86_FEATURE_HYPERVISOR);
	h->psp_pci = false;
}
#endif

#endif /* _PSP_HOST_H */
