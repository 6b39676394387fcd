/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The SEV mailbox of the AMD Secure Processor: a register protocol
 * (CMDRESP, CMDBUFF_ADDR_LO/HI, interrupt enable and status) driven through
 * an ops table, so that the same command path runs over PCI MMIO, over the
 * software firmware and over a fake register file in KUnit.
 *
 * Commands are serialized: one is outstanding at a time; callers wait for
 * their turn (killable) and then for completion (completion interrupt, or
 * polling when there is none) up to a timeout. A timeout latches the device
 * dead, and every later command fails with -EBUSY.
 *
 * The PSP is an independent processor: a command the driver gave up on may
 * still be running and still reading or writing the memory it was handed.
 * On a timeout the mailbox asks the backend to stop the command (@abort);
 * a backend that confirms the firmware is quiet (the software firmware)
 * lets callers release that memory. Otherwise (a hardware PSP) the mailbox
 * is quarantined: its bounce buffer is never freed, and callers keep the
 * buffers and pinned pages of the timed-out command forever
 * (psp_quarantine_needed() in psp-backend.h).
 */

#ifndef _PSP_MBOX_H
#define _PSP_MBOX_H

#include <linux/types.h>
#include <linux/bits.h>
#include <linux/mutex.h>
#include <linux/sched/clock.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#ifdef CONFIG_TRACE_CLOCK
#include <linux/trace_clock.h>
#endif

enum psp_mbox_reg {
	PSP_MBOX_CMDRESP,
	PSP_MBOX_CMDBUFF_LO,
	PSP_MBOX_CMDBUFF_HI,
	PSP_MBOX_FEATURE,
	PSP_MBOX_INTEN,
	PSP_MBOX_INTSTS,
	PSP_MBOX_NR_REGS,
};

#define PSP_CMDRESP_IOC			BIT(0)
#define PSP_CMDRESP_STS			GENMASK(15, 0)
#define PSP_CMDRESP_CMD			GENMASK(26, 16)
#define PSP_CMDRESP_RESP		BIT(31)
#define PSP_INTSTS_SEV_CMD_COMPLETE	BIT(1)
#define PSP_FEATURE_SEV			BIT(0)
#define PSP_FEATURE_TEE			BIT(1)

struct psp_mbox;

/*
 * Where a command's time goes, summed over the commands since the last
 * reset (debugfs sev-psp/timing): waiting for the queue; copy-in and the
 * register writes that start it (with a firmware that runs short commands
 * in the caller's context, their work too); waiting for completion (the
 * hand-off to the firmware, its work, the wake-up); copy-out and clearing
 */
enum psp_mbox_phase {
	PSP_PHASE_QUEUE,
	PSP_PHASE_ISSUE,
	PSP_PHASE_WAIT,
	PSP_PHASE_COPYOUT,
	PSP_PHASES,
};

/**
 * struct psp_mbox_ops - register access for one mailbox backend
 * @read: read a register
 * @write: write a register; writing CMDRESP starts a command
 * @abort: optional: the driver gave up on the command in flight; stop it at
 *	   its next safe point and return true once the firmware no longer
 *	   touches the command's memory, or false if that cannot be known
 */
struct psp_mbox_ops {
	u32 (*read)(struct psp_mbox *mbox, enum psp_mbox_reg reg);
	void (*write)(struct psp_mbox *mbox, enum psp_mbox_reg reg, u32 val);
	bool (*abort)(struct psp_mbox *mbox);
};

/**
 * struct psp_mbox - one SEV mailbox and its command queue
 * @name: backend name for log messages
 * @ops: register access
 * @priv: backend data
 * @use_irq: completion is signalled by psp_mbox_irq(); otherwise polled
 * @lock: the command queue: held for the whole of one command
 * @wait: waiters for completion
 * @irq_lock: guards @int_rcvd; psp_mbox_irq() sets it and wakes the waiter
 *	      under this lock, which the waiter takes before it returns, so
 *	      the interrupt path is done with the mailbox by then
 * @int_rcvd: set by psp_mbox_irq() when the command completed
 * @dead: latched after a command timed out
 * @quarantined: a timed-out command could not be stopped: the firmware may
 *		 still access its memory, which is never released
 * @q_live: @quarantined counts in sev-psp/quarantine's "active" (until
 *	    the firmware is quiet or the mailbox is retired)
 * @timeouts: commands that timed out
 * @first_done: a command has completed, so the command timeout applies
 *		instead of the probe timeout
 * @probe_timeout_ms: completion timeout until the first completion
 * @cmd_timeout_ms: completion timeout afterwards
 * @cmd_buf: page-sized bounce buffer handed to the firmware
 * @cmd_count: number of commands issued, per command id (0 .. 0xff)
 * @timed: commands completed and timed in @phase_ns
 * @phase_ns: time per enum psp_mbox_phase, summed, in nanoseconds
 */
struct psp_mbox {
	const char *name;
	const struct psp_mbox_ops *ops;
	void *priv;
	bool use_irq;
	struct mutex lock;	/* the command queue */
	wait_queue_head_t wait;
	spinlock_t irq_lock;	/* @int_rcvd and the wake-up */
	bool int_rcvd;
	bool dead;
	bool quarantined;
	bool q_live;
	unsigned int timeouts;
	bool first_done;
	unsigned int probe_timeout_ms;
	unsigned int cmd_timeout_ms;
	void *cmd_buf;
	atomic64_t cmd_count[256];
	atomic64_t timed;
	atomic64_t phase_ns[PSP_PHASES];
};

int psp_mbox_init(struct psp_mbox *mbox, const char *name,
		  const struct psp_mbox_ops *ops, void *priv, bool use_irq);
void psp_mbox_destroy(struct psp_mbox *mbox);
/* Interrupt path: acknowledge INTSTS and wake the waiter on completion */
void psp_mbox_irq(struct psp_mbox *mbox);
/*
 * Issue firmware command @cmd with @len bytes of @data (copied through the
 * bounce buffer and copied back whatever the status). *@psp_ret receives
 * the firmware status, or SEV_RET_NO_FW_CALL if none was issued.
 * Returns 0, -EIO for a non-zero status, -ETIMEDOUT, -EBUSY when dead,
 * -EINTR when killed while waiting for the queue, -EINVAL for a bad length.
 */
int psp_mbox_cmd(struct psp_mbox *mbox, unsigned int cmd, void *data,
		 size_t len, int *psp_ret);
/*
 * psp-quarantine.c: memory a timed-out command may still access. Kept
 * forever and counted (debugfs sev-psp/quarantine); the log says so.
 */
void psp_quarantine_mark(struct psp_mbox *mbox, unsigned int cmd);
void psp_quarantine_quiet(struct psp_mbox *mbox);
void psp_quarantine_retire(struct psp_mbox *mbox);
void psp_quarantine_page_buf(const void *buf, size_t len);
bool psp_quarantine_active(void);
struct seq_file;
void psp_quarantine_show(struct seq_file *s);

/*
 * The clock of the timing counters (debugfs sev-psp/timing and the
 * software firmware's): nanoseconds, read several times per command, so
 * it must be cheap. ktime_get_ns() is a device register read where the
 * clocksource is HPET or the ACPI PM timer (guests whose TSC the kernel
 * finds unstable; 0.2-0.4 us each under QEMU TCG); the tracer's local
 * clock reads the TSC. It is per CPU: a span whose ends were read on two
 * CPUs is off by their skew (none where the TSC is stable), and counts
 * as 0 if it comes out negative (psp_timing_span()).
 */
static inline u64 psp_timing_clock(void)
{
#ifdef CONFIG_TRACE_CLOCK
	return trace_clock_local();
#else
	return local_clock();
#endif
}

static inline u64 psp_timing_span(u64 from, u64 to)
{
	return to > from ? to - from : 0;
}

/* Zero the phase timings */
void psp_mbox_timing_reset(struct psp_mbox *mbox);

/* Human-readable name of a firmware status ("INVALID_PLATFORM_STATE") */
const char *psp_status_name(int status);
/* Human-readable name of a firmware command id ("PLATFORM_STATUS") */
const char *psp_cmd_name(unsigned int cmd);

#endif /* _PSP_MBOX_H */
