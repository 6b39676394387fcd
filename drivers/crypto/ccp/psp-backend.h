/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * How a software SEV firmware plugs into the PSP driver as a mailbox
 * backend. The PSP driver module (sev-psp.ko) exports these; the software
 * firmware module (sev-emu.ko) calls them.
 */

#ifndef _PSP_BACKEND_H
#define _PSP_BACKEND_H

#include <linux/types.h>

struct module;
struct psp_mbox;
struct psp_mbox_ops;

/**
 * struct sev_sw_caps - what CPUID 0x8000001F would report for this backend
 * @cbit: C-bit position
 * @max_asid: highest SEV ASID (ECX)
 * @min_sev_asid: lowest non-ES SEV ASID (EDX)
 */
struct sev_sw_caps {
	u32 cbit;
	u32 max_asid;
	u32 min_sev_asid;
};

/**
 * struct psp_sw_backend - a software mailbox backend
 * @name: shown in logs and debugfs
 * @owner: the backend's module
 * @ops: register access; CMDRESP writes start commands
 * @priv: passed back through psp_mbox->priv
 * @caps: platform capabilities the backend emulates
 * @mbox: filled in by psp_sw_register(): the mailbox to signal completion on
 * @force: register even on SEV silicon or next to a PSP PCI function
 *	   (development only; refused otherwise)
 */
struct psp_sw_backend {
	const char *name;
	struct module *owner;
	const struct psp_mbox_ops *ops;
	void *priv;
	struct sev_sw_caps caps;
	struct psp_mbox *mbox;
	bool force;
};

/* Bind @be as the SEV device's mailbox; -EBUSY if a PSP is already bound */
int psp_sw_register(struct psp_sw_backend *be);
/* Shut the platform down and unbind; waits for a command in flight */
void psp_sw_unregister(struct psp_sw_backend *be);

/*
 * For KVM, looked up with symbol_get() so that KVM also links against
 * PSP drivers that lack it: true and *@caps filled when the bound backend
 * is a software one.
 */
bool sev_psp_sw_caps(struct sev_sw_caps *caps);

/*
 * psp-quarantine.c, for everyone who hands memory to firmware commands
 * (KVM looks them up with symbol_get()): after a command returned @ret,
 * psp_quarantine_needed() says whether the firmware may still access the
 * command's memory; if so the caller never frees or unpins it (buffers are
 * reported with psp_quarantine_buf(), counted in sev-psp/quarantine).
 */
bool psp_quarantine_needed(int ret);
void psp_quarantine_buf(const void *buf, size_t len);

#endif /* _PSP_BACKEND_H */
