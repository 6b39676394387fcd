// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the PSP's PCI register protocol (psp-pci-regs.c), for every
 * supported PCI id, against a fake BAR 2.
 *
 * UML's iomem emulation (logic_iomem) hands every ioread32()/iowrite32() on
 * the mapped BAR to this file, which logs it and plays the PSP: a CMDRESP
 * write starts a command on the buffer at CMDBUFF_ADDR_HI:LO, INTSTS is
 * write-1-to-clear, and the completion interrupt reaches the handler only
 * when the command asked for it (IOC) and INTEN enables it. The expected
 * accesses are written out from each device's register map (BAR 2
 * offsets, command word, status bits as AMD's parts define them), never
 * taken from the code under test.
 */

#include <kunit/test.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/irqflags.h>
#include <linux/logic_iomem.h>
#include <linux/mm.h>
#include <linux/mod_devicetable.h>
#include <linux/pci_ids.h>
#include <linux/psp-sev.h>
#include <linux/sizes.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "psp-backend.h"
#include "psp-pci-regs.h"

/*
 * The fake BAR in UML's emulated iomem, clear of virt-pci's window below
 * 4 GiB; every mailbox offset fits
 */
#define FAKE_BAR_START	0x200000000ULL
#define FAKE_BAR_SIZE	SZ_128K
#define FAKE_LOG_MAX	64
#define FAKE_SEEN	16

/**
 * struct psp_layout - one supported PSP as its register map describes it
 * @device: PCI device id (vendor AMD)
 * @name: the test's name for it
 * @cmdresp: C2PMSG register taking the command, giving the response
 * @lo: command buffer address, bits 31:0
 * @hi: command buffer address, bits 63:32
 * @feature: capability register
 * @inten: interrupt enable
 * @intsts: interrupt status (write 1 to clear)
 */
struct psp_layout {
	u16 device;
	const char *name;
	u32 cmdresp, lo, hi, feature, inten, intsts;
};

static const struct psp_layout psp_layouts[] = {
	/* sevv1: first-generation EPYC */
	{ 0x1456, "1456-sevv1", 0x10580, 0x105e0, 0x105e4, 0x105fc,
	  0x10610, 0x10614 },
	/* sevv2 */
	{ 0x1486, "1486-sevv2", 0x10980, 0x109e0, 0x109e4, 0x109fc,
	  0x10690, 0x10694 },
	{ 0x14ca, "14ca-sevv2", 0x10980, 0x109e0, 0x109e4, 0x109fc,
	  0x10690, 0x10694 },
	/* pspv6: sevv2 mailbox, interrupt registers moved */
	{ 0x156e, "156e-pspv6", 0x10980, 0x109e0, 0x109e4, 0x109fc,
	  0x10510, 0x10514 },
	{ 0x17d8, "17d8-pspv6", 0x10980, 0x109e0, 0x109e4, 0x109fc,
	  0x10510, 0x10514 },
};

enum acc_kind {
	ACC_R,		/* a register read */
	ACC_W,		/* a register write */
	ACC_EV,		/* a teardown step outside the BAR */
};

/* Teardown steps outside the BAR, logged among the register accesses */
enum fake_event {
	EV_UNBIND,	/* sev_dev_unbind() starts: SHUTDOWN follows */
	EV_TMR_FREED,	/* after SHUTDOWN: WBINVD, then the TMR freed */
	EV_FREE_IRQ,	/* the vector released */
};

struct acc {
	enum acc_kind kind;
	u32 off;	/* BAR offset, or enum fake_event */
	u32 val;
};

#define R(o, v)	{ ACC_R, (o), (v) }
#define W(o, v)	{ ACC_W, (o), (v) }
#define EV(e)	{ ACC_EV, (e), 0 }

/* When the fake PSP completes a command */
enum fake_mode {
	FAKE_WORK,	/* soon, from a work item, as a PSP would */
	FAKE_INLINE,	/* within the CMDRESP write */
	FAKE_NEVER,	/* not at all (a hung PSP) */
};

/**
 * struct fake_bar - a PSP behind a fake BAR 2
 * @l: its register map
 * @lock: guards @mem and the observations
 * @mem: the BAR's 32-bit registers
 * @log: the accesses and events in order
 * @n: entries logged (may exceed FAKE_LOG_MAX)
 * @bad_access: an access that was not 32 bits wide and aligned in the BAR
 * @bad_pa: a command buffer address outside memory
 * @mode: when commands complete
 * @status: firmware status of the next completion
 * @out_byte: the firmware fills @out_len bytes of the buffer with it
 * @out_len: see @out_byte
 * @cmd: command word of the last command
 * @pa: its buffer address from CMDBUFF_ADDR_HI:LO
 * @seen: the first bytes the firmware read at @pa
 * @started: commands started
 * @irq_on: the vector is requested (its handler is psp_pci_regs_irq())
 * @irqs: interrupts delivered
 * @irq_ret: what the handler returned last
 * @shutdown_ret: what SHUTDOWN returned in the unbind step
 * @work: completes the command in FAKE_WORK mode
 * @base: the mapped BAR
 * @regs: the code under test
 */
struct fake_bar {
	const struct psp_layout *l;
	spinlock_t lock;	/* @mem and the observations */
	u32 *mem;
	struct acc log[FAKE_LOG_MAX];
	unsigned int n;
	bool bad_access;
	bool bad_pa;
	enum fake_mode mode;
	u16 status;
	u8 out_byte;
	size_t out_len;
	u32 cmd;
	u64 pa;
	u8 seen[FAKE_SEEN];
	unsigned int started;
	bool irq_on;
	unsigned int irqs;
	irqreturn_t irq_ret;
	int shutdown_ret;
	struct work_struct work;
	void __iomem *base;
	struct psp_pci_regs regs;
};

/* The test case's BAR, handed to logic_iomem when it maps the region */
static struct fake_bar *fake_cur;

static void fake_log(struct fake_bar *fb, enum acc_kind kind, u32 off,
		     u32 val)
{
	if (fb->n < FAKE_LOG_MAX)
		fb->log[fb->n] = (struct acc){ kind, off, val };
	fb->n++;
}

static void fake_event(struct fake_bar *fb, enum fake_event ev)
{
	unsigned long flags;

	spin_lock_irqsave(&fb->lock, flags);
	fake_log(fb, ACC_EV, ev, 0);
	spin_unlock_irqrestore(&fb->lock, flags);
}

static bool fake_reg_ok(struct fake_bar *fb, unsigned int off, int size)
{
	if (size == 4 && !(off % 4) && off < FAKE_BAR_SIZE)
		return true;
	fb->bad_access = true;
	return false;
}

/* The interrupt line: the handler runs as from the vector */
static void fake_irq(struct fake_bar *fb)
{
	unsigned long flags;

	local_irq_save(flags);
	fb->irqs++;
	fb->irq_ret = psp_pci_regs_irq(0, &fb->regs);
	local_irq_restore(flags);
}

/* The firmware finishes the command: output, CMDRESP, INTSTS, interrupt */
static void fake_complete(struct fake_bar *fb)
{
	const struct psp_layout *l = fb->l;
	unsigned long flags;
	bool raise;

	spin_lock_irqsave(&fb->lock, flags);
	if (fb->pa && !fb->bad_pa && fb->out_len)
		memset(__va(fb->pa), fb->out_byte, fb->out_len);
	fb->mem[l->cmdresp / 4] = (fb->cmd & PSP_CMDRESP_CMD) |
				  PSP_CMDRESP_RESP | fb->status;
	fb->mem[l->intsts / 4] |= PSP_INTSTS_SEV_CMD_COMPLETE;
	raise = fb->irq_on && (fb->cmd & PSP_CMDRESP_IOC) &&
		(fb->mem[l->inten / 4] & PSP_INTSTS_SEV_CMD_COMPLETE);
	spin_unlock_irqrestore(&fb->lock, flags);

	if (raise)
		fake_irq(fb);
}

static void fake_work(struct work_struct *work)
{
	fake_complete(container_of(work, struct fake_bar, work));
}

/* CMDRESP written: a command starts on the buffer at HI:LO */
static void fake_start(struct fake_bar *fb, u32 val)
{
	const struct psp_layout *l = fb->l;

	fb->started++;
	fb->cmd = val;
	fb->mem[l->cmdresp / 4] = val & ~PSP_CMDRESP_RESP;
	fb->pa = ((u64)fb->mem[l->hi / 4] << 32) | fb->mem[l->lo / 4];
	fb->bad_pa = fb->pa && !pfn_valid(PHYS_PFN(fb->pa));
	memset(fb->seen, 0, sizeof(fb->seen));
	if (fb->pa && !fb->bad_pa)
		memcpy(fb->seen, __va(fb->pa), sizeof(fb->seen));
}

static unsigned long fake_bar_read(void *priv, unsigned int off, int size)
{
	struct fake_bar *fb = priv;
	unsigned long flags;
	u32 val = ~0U;

	spin_lock_irqsave(&fb->lock, flags);
	if (fake_reg_ok(fb, off, size))
		val = fb->mem[off / 4];
	fake_log(fb, ACC_R, off, val);
	spin_unlock_irqrestore(&fb->lock, flags);
	return val;
}

static void fake_bar_write(void *priv, unsigned int off, int size,
			   unsigned long lval)
{
	struct fake_bar *fb = priv;
	u32 val = lval;
	unsigned long flags;
	bool start = false;

	spin_lock_irqsave(&fb->lock, flags);
	fake_log(fb, ACC_W, off, val);
	if (!fake_reg_ok(fb, off, size)) {
		/* logged, and the test fails on bad_access */
	} else if (off == fb->l->intsts) {
		fb->mem[off / 4] &= ~val;
	} else if (off == fb->l->cmdresp) {
		fake_start(fb, val);
		start = true;
	} else {
		fb->mem[off / 4] = val;
	}
	spin_unlock_irqrestore(&fb->lock, flags);

	if (!start)
		return;
	if (fb->mode == FAKE_WORK)
		schedule_work(&fb->work);
	else if (fb->mode == FAKE_INLINE)
		fake_complete(fb);
}

static const struct logic_iomem_ops fake_bar_ops = {
	.read = fake_bar_read,
	.write = fake_bar_write,
};

static long fake_bar_map(unsigned long offset, size_t size,
			 const struct logic_iomem_ops **ops, void **priv)
{
	if (!fake_cur)
		return -ENODEV;
	*ops = &fake_bar_ops;
	*priv = fake_cur;
	return 0;
}

static const struct logic_iomem_region_ops fake_bar_region_ops = {
	.map = fake_bar_map,
};

static struct resource fake_bar_res = {
	.name = "psp-pci-regs-test BAR 2",
	.start = FAKE_BAR_START,
	.end = FAKE_BAR_START + FAKE_BAR_SIZE - 1,
	.flags = IORESOURCE_MEM,
};

static int psp_pci_regs_suite_init(struct kunit_suite *suite)
{
	static bool added;
	int ret;

	if (added)
		return 0;
	ret = logic_iomem_add_region(&fake_bar_res, &fake_bar_region_ops);
	added = !ret;
	return ret;
}

static int psp_pci_regs_test_init(struct kunit *test)
{
	struct fake_bar *fb;

	fb = kunit_kzalloc(test, sizeof(*fb), GFP_KERNEL);
	if (!fb)
		return -ENOMEM;
	test->priv = fb;
	if (!test->param_value)
		return 0;

	fb->l = test->param_value;
	spin_lock_init(&fb->lock);
	INIT_WORK(&fb->work, fake_work);
	fb->mem = kunit_kzalloc(test, FAKE_BAR_SIZE, GFP_KERNEL);
	if (!fb->mem)
		return -ENOMEM;

	fake_cur = fb;
	fb->base = ioremap(FAKE_BAR_START, FAKE_BAR_SIZE);
	fake_cur = NULL;
	return fb->base ? 0 : -ENOMEM;
}

static void psp_pci_regs_test_exit(struct kunit *test)
{
	struct fake_bar *fb = test->priv;

	if (!fb->base)
		return;
	flush_work(&fb->work);
	if (fb->regs.mbox.cmd_buf) {
		/* the fake PSP is quiet now: no quarantine on its account */
		psp_quarantine_quiet(&fb->regs.mbox);
		psp_mbox_destroy(&fb->regs.mbox);
	}
	iounmap(fb->base);
}

/* The layout psp_pci_table gives an AMD device id, or NULL */
static const struct psp_pci_vdata *fake_vdata(u16 device)
{
	const struct pci_device_id *id;

	for (id = psp_pci_table; id->vendor; id++)
		if (id->vendor == PCI_VENDOR_ID_AMD && id->device == device)
			return (const struct psp_pci_vdata *)id->driver_data;
	return NULL;
}

static void fake_clear_log(struct fake_bar *fb)
{
	unsigned long flags;

	spin_lock_irqsave(&fb->lock, flags);
	fb->n = 0;
	spin_unlock_irqrestore(&fb->lock, flags);
}

static const char *const ev_names[] = {
	[EV_UNBIND] = "unbind: SHUTDOWN follows",
	[EV_TMR_FREED] = "WBINVD done, TMR freed",
	[EV_FREE_IRQ] = "vector freed",
};

static void dump_log(struct kunit *test, const char *what,
		     const struct acc *log, unsigned int n)
{
	unsigned int i;

	kunit_info(test, "%s (%u):\n", what, n);
	for (i = 0; i < min_t(unsigned int, n, FAKE_LOG_MAX); i++) {
		if (log[i].kind == ACC_EV)
			kunit_info(test, "  %s\n", ev_names[log[i].off]);
		else
			kunit_info(test, "  %s %#x %#x\n",
				   log[i].kind == ACC_R ? "R" : "W",
				   log[i].off, log[i].val);
	}
}

/* The accesses since the last fake_clear_log() are exactly @exp */
static void expect_log(struct kunit *test, const struct acc *exp,
		       unsigned int n)
{
	struct fake_bar *fb = test->priv;
	bool same = fb->n == n;
	unsigned int i;

	for (i = 0; same && i < n; i++)
		same = fb->log[i].kind == exp[i].kind &&
		       fb->log[i].off == exp[i].off &&
		       fb->log[i].val == exp[i].val;
	if (!same) {
		dump_log(test, "expected", exp, n);
		dump_log(test, "logged", fb->log, fb->n);
	}
	KUNIT_EXPECT_TRUE_MSG(test, same, "%s: register accesses differ",
			      fb->l->name);
	KUNIT_EXPECT_FALSE(test, fb->bad_access);
	KUNIT_EXPECT_FALSE(test, fb->bad_pa);
}

#define EXPECT_LOG(test, ...) do {					\
	const struct acc __exp[] = { __VA_ARGS__ };			\
	expect_log(test, __exp, ARRAY_SIZE(__exp));			\
} while (0)

/* What the probe does to the registers, with or without a vector */
static void fake_bring_up(struct kunit *test, bool irq)
{
	struct fake_bar *fb = test->priv;
	const struct psp_pci_vdata *vdata = fake_vdata(fb->l->device);

	KUNIT_ASSERT_NOT_NULL(test, vdata);
	fb->mem[fb->l->feature / 4] = PSP_FEATURE_SEV;
	KUNIT_ASSERT_EQ(test, psp_pci_regs_probe(&fb->regs, fb->base, vdata),
			0);
	KUNIT_ASSERT_EQ(test, psp_pci_regs_init(&fb->regs, fb->l->name), 0);
	if (irq) {
		fb->irq_on = true;
		psp_pci_regs_irq_on(&fb->regs);
	}
	fake_clear_log(fb);
}

/* The table binds exactly the PSPs with an SEV mailbox */
static void psp_pci_regs_test_ids(struct kunit *test)
{
	/* CCP-only and TEE-only functions, which are not ours */
	static const u16 not_ours[] = {
		0x1537, 0x1468, 0x15df, 0x15c7, 0x1649, 0x1134, 0x17e0,
	};
	const struct pci_device_id *id;
	unsigned int i, n = 0;

	for (id = psp_pci_table; id->vendor; id++) {
		KUNIT_EXPECT_EQ(test, id->vendor, (u32)PCI_VENDOR_ID_AMD);
		KUNIT_EXPECT_EQ(test, id->subvendor, (u32)PCI_ANY_ID);
		KUNIT_EXPECT_EQ(test, id->subdevice, (u32)PCI_ANY_ID);
		KUNIT_EXPECT_NE(test, id->driver_data, 0UL);
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, (unsigned int)ARRAY_SIZE(psp_layouts));
	for (i = 0; i < ARRAY_SIZE(psp_layouts); i++)
		KUNIT_EXPECT_NOT_NULL_MSG(test, fake_vdata(psp_layouts[i].device),
					  "%s", psp_layouts[i].name);
	for (i = 0; i < ARRAY_SIZE(not_ours); i++)
		KUNIT_EXPECT_NULL_MSG(test, fake_vdata(not_ours[i]), "%#x",
				      not_ours[i]);
}

/* Probe: FEATURE, then interrupts masked and acknowledged, then on */
static void psp_pci_regs_test_probe(struct kunit *test)
{
	struct fake_bar *fb = test->priv;
	const struct psp_layout *l = fb->l;
	const struct psp_pci_vdata *vdata = fake_vdata(l->device);
	/* SEV, TEE, security report valid, TSME on */
	const u32 feature = 0x00002083;

	KUNIT_ASSERT_NOT_NULL(test, vdata);
	fb->mem[l->feature / 4] = feature;
	fb->mem[l->intsts / 4] = 0x3;	/* left over from firmware or BIOS */
	fb->mem[l->inten / 4] = 0x2;

	KUNIT_ASSERT_EQ(test, psp_pci_regs_probe(&fb->regs, fb->base, vdata),
			0);
	KUNIT_EXPECT_EQ(test, fb->regs.capability, feature);
	KUNIT_ASSERT_EQ(test, psp_pci_regs_init(&fb->regs, l->name), 0);
	KUNIT_EXPECT_FALSE(test, fb->regs.mbox.use_irq);
	KUNIT_EXPECT_EQ(test, fb->mem[l->intsts / 4], 0U);
	KUNIT_EXPECT_EQ(test, fb->mem[l->inten / 4], 0U);
	psp_pci_regs_irq_on(&fb->regs);
	KUNIT_EXPECT_TRUE(test, fb->regs.mbox.use_irq);

	EXPECT_LOG(test,
		   R(l->feature, 0x00002083),
		   W(l->inten, 0),
		   W(l->intsts, 0xffffffff),
		   W(l->inten, 0xffffffff));
}

/* A PSP the BIOS blocks, and one without SEV: one read, no write */
static void psp_pci_regs_test_probe_refused(struct kunit *test)
{
	struct fake_bar *fb = test->priv;
	const struct psp_layout *l = fb->l;
	const struct psp_pci_vdata *vdata = fake_vdata(l->device);

	KUNIT_ASSERT_NOT_NULL(test, vdata);
	fb->mem[l->feature / 4] = 0xffffffff;
	KUNIT_EXPECT_EQ(test, psp_pci_regs_probe(&fb->regs, fb->base, vdata),
			-EACCES);
	EXPECT_LOG(test, R(l->feature, 0xffffffff));

	fake_clear_log(fb);
	memset(&fb->regs, 0, sizeof(fb->regs));
	fb->mem[l->feature / 4] = 0x2;	/* TEE only */
	KUNIT_EXPECT_EQ(test, psp_pci_regs_probe(&fb->regs, fb->base, vdata),
			-ENODEV);
	EXPECT_LOG(test, R(l->feature, 0x2));
}

/*
 * A command with a buffer, completed by the interrupt: the buffer's
 * physical address split into LO and HI, the command word with IOC, the
 * handler's INTSTS read and W1C acknowledgment, CMDRESP read back
 */
static void psp_pci_regs_test_cmd_irq(struct kunit *test)
{
	struct fake_bar *fb = test->priv;
	const struct psp_layout *l = fb->l;
	struct acc exp[7];
	u8 data[12];
	int psp_ret = 0x55;
	u64 pa;

	fake_bring_up(test, true);
	fb->mem[l->lo / 4] = 0xdeadbeef;
	fb->mem[l->hi / 4] = 0xdeadbeef;
	fb->out_byte = 0xa5;
	fb->out_len = sizeof(data);
	memset(data, 0x3c, sizeof(data));

	KUNIT_EXPECT_EQ(test, psp_mbox_cmd(&fb->regs.mbox,
					   SEV_CMD_PLATFORM_STATUS, data,
					   sizeof(data), &psp_ret), 0);
	KUNIT_EXPECT_EQ(test, psp_ret, 0);

	pa = __psp_pa(fb->regs.mbox.cmd_buf);
	exp[0] = (struct acc)W(l->lo, pa & 0xffffffff);
	exp[1] = (struct acc)W(l->hi, pa >> 32);
	exp[2] = (struct acc)W(l->cmdresp, 0x00040001);
	exp[3] = (struct acc)R(l->intsts, 0x2);
	exp[4] = (struct acc)W(l->intsts, 0x2);
	exp[5] = (struct acc)R(l->cmdresp, 0x80040000);
	exp[6] = (struct acc)R(l->cmdresp, 0x80040000);
	expect_log(test, exp, ARRAY_SIZE(exp));

	/* the PSP found the caller's bytes at that address, wrote its own */
	KUNIT_EXPECT_EQ(test, fb->pa, pa);
	KUNIT_EXPECT_EQ(test, fb->seen[0], 0x3c);
	KUNIT_EXPECT_EQ(test, fb->seen[sizeof(data) - 1], 0x3c);
	KUNIT_EXPECT_EQ(test, fb->seen[sizeof(data)], 0);
	KUNIT_EXPECT_EQ(test, data[0], 0xa5);
	KUNIT_EXPECT_EQ(test, data[sizeof(data) - 1], 0xa5);

	KUNIT_EXPECT_EQ(test, fb->irqs, 1U);
	KUNIT_EXPECT_EQ(test, fb->irq_ret, IRQ_HANDLED);
	KUNIT_EXPECT_EQ(test, fb->mem[l->intsts / 4], 0U);
}

/* No buffer: LO and HI are zeroed; the firmware status is read back */
static void psp_pci_regs_test_cmd_status(struct kunit *test)
{
	struct fake_bar *fb = test->priv;
	const struct psp_layout *l = fb->l;
	int psp_ret = 0;

	fake_bring_up(test, true);
	fb->mem[l->lo / 4] = 0xdeadbeef;
	fb->mem[l->hi / 4] = 0xdeadbeef;
	fb->status = SEV_RET_INVALID_PLATFORM_STATE;

	KUNIT_EXPECT_EQ(test, psp_mbox_cmd(&fb->regs.mbox, SEV_CMD_SHUTDOWN,
					   NULL, 0, &psp_ret), -EIO);
	KUNIT_EXPECT_EQ(test, psp_ret, 0x0001);
	EXPECT_LOG(test,
		   W(l->lo, 0),
		   W(l->hi, 0),
		   W(l->cmdresp, 0x00020001),
		   R(l->intsts, 0x2),
		   W(l->intsts, 0x2),
		   R(l->cmdresp, 0x80020001),
		   R(l->cmdresp, 0x80020001));
	KUNIT_EXPECT_FALSE(test, fb->regs.mbox.dead);
}

/* Without a vector: no IOC, CMDRESP polled, INTSTS left alone */
static void psp_pci_regs_test_cmd_poll(struct kunit *test)
{
	struct fake_bar *fb = test->priv;
	const struct psp_layout *l = fb->l;
	int psp_ret = 0x55;

	fake_bring_up(test, false);
	fb->mode = FAKE_INLINE;

	KUNIT_EXPECT_EQ(test, psp_mbox_cmd(&fb->regs.mbox, SEV_CMD_DF_FLUSH,
					   NULL, 0, &psp_ret), 0);
	KUNIT_EXPECT_EQ(test, psp_ret, 0);
	EXPECT_LOG(test,
		   W(l->lo, 0),
		   W(l->hi, 0),
		   W(l->cmdresp, 0x000a0000),
		   R(l->cmdresp, 0x800a0000));
	KUNIT_EXPECT_EQ(test, fb->irqs, 0U);
	KUNIT_EXPECT_EQ(test, fb->mem[l->inten / 4], 0U);
	KUNIT_EXPECT_EQ(test, fb->mem[l->intsts / 4], 0x2U);
}

/*
 * Interrupts that complete nothing: no status, another source, and the
 * completion bit while CMDRESP has no response (a stale status). Each is
 * acknowledged and wakes no one; a real completion still works after.
 */
static void psp_pci_regs_test_spurious(struct kunit *test)
{
	struct fake_bar *fb = test->priv;
	const struct psp_layout *l = fb->l;
	int psp_ret = 0x55;

	fake_bring_up(test, true);

	fake_irq(fb);
	fb->mem[l->intsts / 4] = 0x1;
	fake_irq(fb);
	fb->mem[l->intsts / 4] = 0x2;
	fb->mem[l->cmdresp / 4] = 0x00040001;
	fake_irq(fb);
	EXPECT_LOG(test,
		   R(l->intsts, 0),
		   W(l->intsts, 0),
		   R(l->intsts, 0x1),
		   W(l->intsts, 0x1),
		   R(l->intsts, 0x2),
		   W(l->intsts, 0x2),
		   R(l->cmdresp, 0x00040001));
	KUNIT_EXPECT_FALSE(test, fb->regs.mbox.int_rcvd);
	KUNIT_EXPECT_EQ(test, fb->mem[l->intsts / 4], 0U);
	KUNIT_EXPECT_EQ(test, fb->irq_ret, IRQ_HANDLED);

	fake_clear_log(fb);
	KUNIT_EXPECT_EQ(test, psp_mbox_cmd(&fb->regs.mbox, SEV_CMD_DF_FLUSH,
					   NULL, 0, &psp_ret), 0);
	EXPECT_LOG(test,
		   W(l->lo, 0),
		   W(l->hi, 0),
		   W(l->cmdresp, 0x000a0001),
		   R(l->intsts, 0x2),
		   W(l->intsts, 0x2),
		   R(l->cmdresp, 0x800a0000),
		   R(l->cmdresp, 0x800a0000));
	KUNIT_EXPECT_EQ(test, fb->irqs, 4U);
}

/*
 * A PSP that never answers: the command times out, the mailbox latches
 * dead and is quarantined (a hardware PSP cannot be stopped), and nothing
 * reaches the BAR afterwards. A late completion is only acknowledged.
 */
static void psp_pci_regs_test_timeout(struct kunit *test)
{
	struct fake_bar *fb = test->priv;
	const struct psp_layout *l = fb->l;
	u8 data[12] = { 0 };
	int psp_ret = 0x55;
	u64 pa;

	fake_bring_up(test, true);
	fb->mode = FAKE_NEVER;
	fb->regs.mbox.probe_timeout_ms = 30;
	pa = __psp_pa(fb->regs.mbox.cmd_buf);

	KUNIT_EXPECT_EQ(test, psp_mbox_cmd(&fb->regs.mbox,
					   SEV_CMD_PLATFORM_STATUS, data,
					   sizeof(data), &psp_ret), -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, psp_ret, 0);
	KUNIT_EXPECT_TRUE(test, fb->regs.mbox.dead);
	KUNIT_EXPECT_TRUE(test, fb->regs.mbox.quarantined);
	KUNIT_EXPECT_EQ(test, fb->pa, pa);

	/* dead: refused before any register access */
	fb->mode = FAKE_INLINE;
	KUNIT_EXPECT_EQ(test, psp_mbox_cmd(&fb->regs.mbox, SEV_CMD_DF_FLUSH,
					   NULL, 0, &psp_ret), -EBUSY);
	KUNIT_EXPECT_EQ(test, psp_ret, SEV_RET_NO_FW_CALL);
	KUNIT_EXPECT_EQ(test, fb->started, 1U);
	KUNIT_EXPECT_EQ(test, fb->n, 3U);

	/* the hung command completes after all */
	fake_complete(fb);
	KUNIT_EXPECT_EQ(test, fb->irqs, 1U);
	KUNIT_EXPECT_EQ(test, fb->n, 6U);
	if (fb->n == 6) {
		/* the first three are the address and the command word */
		KUNIT_EXPECT_EQ(test, fb->log[0].off, l->lo);
		KUNIT_EXPECT_EQ(test, fb->log[0].val, (u32)(pa & 0xffffffff));
		KUNIT_EXPECT_EQ(test, fb->log[1].off, l->hi);
		KUNIT_EXPECT_EQ(test, fb->log[1].val, (u32)(pa >> 32));
		KUNIT_EXPECT_EQ(test, fb->log[2].off, l->cmdresp);
		KUNIT_EXPECT_EQ(test, fb->log[2].val, 0x00040001U);
		KUNIT_EXPECT_EQ(test, fb->log[3].off, l->intsts);
		KUNIT_EXPECT_EQ(test, fb->log[4].off, l->intsts);
		KUNIT_EXPECT_EQ(test, fb->log[4].val, 0x2U);
		KUNIT_EXPECT_EQ(test, fb->log[5].off, l->cmdresp);
	}
	KUNIT_EXPECT_EQ(test, fb->mem[l->intsts / 4], 0U);
}

/* The teardown steps outside the BAR, logged; SHUTDOWN really goes out */
static void fake_unbind(struct psp_pci_regs *r)
{
	struct fake_bar *fb = container_of(r, struct fake_bar, regs);
	int psp_ret;

	fake_event(fb, EV_UNBIND);
	fb->shutdown_ret = psp_mbox_cmd(&r->mbox, SEV_CMD_SHUTDOWN, NULL, 0,
					&psp_ret);
	fake_event(fb, EV_TMR_FREED);
}

static void fake_free_irq(struct psp_pci_regs *r)
{
	struct fake_bar *fb = container_of(r, struct fake_bar, regs);

	fake_event(fb, EV_FREE_IRQ);
	fb->irq_on = false;
}

static const struct psp_pci_teardown_ops fake_teardown_ops = {
	.unbind = fake_unbind,
	.free_irq = fake_free_irq,
};

/*
 * Shutdown and kexec: SHUTDOWN completes by interrupt while INTEN is still
 * on, the TMR is freed after it, then INTEN is masked, then the vector is
 * freed, and the mailbox is gone
 */
static void psp_pci_regs_test_shutdown(struct kunit *test)
{
	struct fake_bar *fb = test->priv;
	const struct psp_layout *l = fb->l;

	fake_bring_up(test, true);
	fb->mem[l->lo / 4] = 0xdeadbeef;

	psp_pci_regs_teardown(&fb->regs, &fake_teardown_ops, true);
	KUNIT_EXPECT_EQ(test, fb->shutdown_ret, 0);
	EXPECT_LOG(test,
		   EV(EV_UNBIND),
		   W(l->lo, 0),
		   W(l->hi, 0),
		   W(l->cmdresp, 0x00020001),
		   R(l->intsts, 0x2),
		   W(l->intsts, 0x2),
		   R(l->cmdresp, 0x80020000),
		   R(l->cmdresp, 0x80020000),
		   EV(EV_TMR_FREED),
		   W(l->inten, 0),
		   EV(EV_FREE_IRQ));
	KUNIT_EXPECT_EQ(test, fb->mem[l->inten / 4], 0U);
	KUNIT_EXPECT_NULL(test, fb->regs.mbox.cmd_buf);
	KUNIT_EXPECT_EQ(test, fb->irqs, 1U);
}

/* A probe that fails after the mailbox is up: no SHUTDOWN, INTEN masked */
static void psp_pci_regs_test_teardown_unbound(struct kunit *test)
{
	struct fake_bar *fb = test->priv;
	const struct psp_layout *l = fb->l;

	fake_bring_up(test, true);
	psp_pci_regs_teardown(&fb->regs, &fake_teardown_ops, false);
	EXPECT_LOG(test,
		   W(l->inten, 0),
		   EV(EV_FREE_IRQ));
	KUNIT_EXPECT_EQ(test, fb->started, 0U);
	KUNIT_EXPECT_NULL(test, fb->regs.mbox.cmd_buf);
}

static void psp_layout_desc(const struct psp_layout *l, char *desc)
{
	strscpy(desc, l->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(psp_layout, psp_layouts, psp_layout_desc);

static struct kunit_case psp_pci_regs_test_cases[] = {
	KUNIT_CASE(psp_pci_regs_test_ids),
	KUNIT_CASE_PARAM(psp_pci_regs_test_probe, psp_layout_gen_params),
	KUNIT_CASE_PARAM(psp_pci_regs_test_probe_refused,
			 psp_layout_gen_params),
	KUNIT_CASE_PARAM(psp_pci_regs_test_cmd_irq, psp_layout_gen_params),
	KUNIT_CASE_PARAM(psp_pci_regs_test_cmd_status, psp_layout_gen_params),
	KUNIT_CASE_PARAM(psp_pci_regs_test_cmd_poll, psp_layout_gen_params),
	KUNIT_CASE_PARAM(psp_pci_regs_test_spurious, psp_layout_gen_params),
	KUNIT_CASE_PARAM(psp_pci_regs_test_timeout, psp_layout_gen_params),
	KUNIT_CASE_PARAM(psp_pci_regs_test_shutdown, psp_layout_gen_params),
	KUNIT_CASE_PARAM(psp_pci_regs_test_teardown_unbound,
			 psp_layout_gen_params),
	{}
};

static struct kunit_suite psp_pci_regs_test_suite = {
	.name = "psp-pci-regs",
	.suite_init = psp_pci_regs_suite_init,
	.init = psp_pci_regs_test_init,
	.exit = psp_pci_regs_test_exit,
	.test_cases = psp_pci_regs_test_cases,
};

kunit_test_suite(psp_pci_regs_test_suite);

MODULE_LICENSE("GPL");
