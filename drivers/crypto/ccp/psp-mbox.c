// SPDX-License-Identifier: GPL-2.0-only
/*
 * SEV mailbox command queue: one firmware command at a time through a
 * page-sized bounce buffer, completion by interrupt or by polling.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitfield.h>
#include <linux/delay.h>
#include <linux/export.h>
#include <linux/gfp.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/psp-sev.h>
#include <linux/sched.h>
#include <linux/string.h>

#include "psp-backend.h"
#include "psp-mbox.h"

/* Defaults until the owner sets its own (upstream: 5 s and 100 s) */
#define PSP_MBOX_PROBE_TIMEOUT_MS	(5 * MSEC_PER_SEC)
#define PSP_MBOX_CMD_TIMEOUT_MS		(100 * MSEC_PER_SEC)

/* Polling interval while waiting for CMDRESP.RESP without an interrupt */
#define PSP_MBOX_POLL_MIN_US		10
#define PSP_MBOX_POLL_MAX_US		20

static u32 psp_mbox_read(struct psp_mbox *mbox, enum psp_mbox_reg reg)
{
	return mbox->ops->read(mbox, reg);
}

static void psp_mbox_write(struct psp_mbox *mbox, enum psp_mbox_reg reg,
			   u32 val)
{
	mbox->ops->write(mbox, reg, val);
}

/**
 * psp_mbox_init() - set up a mailbox and its command queue
 * @mbox: the mailbox, owned by the caller
 * @name: backend name used in log messages
 * @ops: register access
 * @priv: backend data, available as @mbox->priv
 * @use_irq: the backend calls psp_mbox_irq() on completion
 *
 * Return: 0, or -ENOMEM if the bounce buffer cannot be allocated.
 */
int psp_mbox_init(struct psp_mbox *mbox, const char *name,
		  const struct psp_mbox_ops *ops, void *priv, bool use_irq)
{
	unsigned int i;

	mbox->name = name;
	mbox->ops = ops;
	mbox->priv = priv;
	mbox->use_irq = use_irq;
	mutex_init(&mbox->lock);
	init_waitqueue_head(&mbox->wait);
	spin_lock_init(&mbox->irq_lock);
	mbox->int_rcvd = false;
	mbox->dead = false;
	mbox->quarantined = false;
	mbox->timeouts = 0;
	mbox->first_done = false;
	mbox->probe_timeout_ms = PSP_MBOX_PROBE_TIMEOUT_MS;
	mbox->cmd_timeout_ms = PSP_MBOX_CMD_TIMEOUT_MS;
	for (i = 0; i < ARRAY_SIZE(mbox->cmd_count); i++)
		atomic64_set(&mbox->cmd_count[i], 0);
	psp_mbox_timing_reset(mbox);

	mbox->cmd_buf = (void *)__get_free_page(GFP_KERNEL | __GFP_ZERO);
	if (!mbox->cmd_buf) {
		mutex_destroy(&mbox->lock);
		return -ENOMEM;
	}

	return 0;
}

/**
 * psp_mbox_timing_reset() - zero the phase timings
 * @mbox: the mailbox
 */
void psp_mbox_timing_reset(struct psp_mbox *mbox)
{
	unsigned int i;

	atomic64_set(&mbox->timed, 0);
	for (i = 0; i < PSP_PHASES; i++)
		atomic64_set(&mbox->phase_ns[i], 0);
}

/**
 * psp_mbox_destroy() - release what psp_mbox_init() allocated
 * @mbox: the mailbox; no command may be in flight
 *
 * The bounce buffer of a quarantined mailbox stays allocated: the firmware
 * may still write to it.
 */
void psp_mbox_destroy(struct psp_mbox *mbox)
{
	if (mbox->quarantined)
		psp_quarantine_page_buf(mbox->cmd_buf, PAGE_SIZE);
	else
		free_page((unsigned long)mbox->cmd_buf);
	mbox->cmd_buf = NULL;
	mutex_destroy(&mbox->lock);
}

/**
 * psp_mbox_irq() - interrupt path of a mailbox
 * @mbox: the mailbox whose backend raised the interrupt
 *
 * Reads the interrupt status and writes the same value back to acknowledge
 * it (the register is write-1-to-clear). When it reports a completed SEV
 * command and CMDRESP has its response bit set, wakes the waiting command.
 * May be called from hard interrupt context or, by a software backend, from
 * the context that completes the command. The flag is set and the waiter
 * woken under @mbox->irq_lock, which the waiter takes before it returns:
 * once psp_mbox_cmd() has returned, this function no longer
 * touches the mailbox, which its owner may then free.
 */
void psp_mbox_irq(struct psp_mbox *mbox)
{
	unsigned long flags;
	u32 status;

	status = psp_mbox_read(mbox, PSP_MBOX_INTSTS);
	psp_mbox_write(mbox, PSP_MBOX_INTSTS, status);

	if (!(status & PSP_INTSTS_SEV_CMD_COMPLETE))
		return;

	if (!(psp_mbox_read(mbox, PSP_MBOX_CMDRESP) & PSP_CMDRESP_RESP))
		return;

	spin_lock_irqsave(&mbox->irq_lock, flags);
	mbox->int_rcvd = true;
	/*
	 * No barrier needed: the waiter queues itself and tests the flag
	 * with this lock held, so an empty queue means it has not started
	 * waiting yet and will find the flag set (a firmware that completes
	 * the command in the caller's context finds it so every time).
	 */
	if (waitqueue_active(&mbox->wait))
		wake_up(&mbox->wait);
	spin_unlock_irqrestore(&mbox->irq_lock, flags);
}
EXPORT_SYMBOL_GPL(psp_mbox_irq);

static int psp_mbox_wait_irq(struct psp_mbox *mbox, unsigned int timeout_ms,
			     u32 *reg)
{
	long left;

	/* the condition is tested with the lock psp_mbox_irq() holds */
	spin_lock_irq(&mbox->irq_lock);
	left = wait_event_lock_irq_timeout(mbox->wait, mbox->int_rcvd,
					   mbox->irq_lock,
					   msecs_to_jiffies(timeout_ms));
	spin_unlock_irq(&mbox->irq_lock);
	if (!left)
		return -ETIMEDOUT;

	*reg = psp_mbox_read(mbox, PSP_MBOX_CMDRESP);
	return 0;
}

static int psp_mbox_wait_poll(struct psp_mbox *mbox, unsigned int timeout_ms,
			      u32 *reg)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(timeout_ms);

	for (;;) {
		*reg = psp_mbox_read(mbox, PSP_MBOX_CMDRESP);
		if (*reg & PSP_CMDRESP_RESP)
			return 0;
		if (time_after(jiffies, deadline))
			return -ETIMEDOUT;
		usleep_range(PSP_MBOX_POLL_MIN_US, PSP_MBOX_POLL_MAX_US);
		cond_resched();
	}
}

/*
 * Called with the queue held: program the registers and wait; *@started
 * receives the time the command was started, unless the firmware completed
 * it inside the CMDRESP write (in the caller's context): then nothing was
 * waited for, and *@at_once is set instead
 */
static int psp_mbox_issue(struct psp_mbox *mbox, unsigned int cmd,
			  bool has_buf, unsigned int timeout_ms, u32 *reg,
			  u64 *started, bool *at_once)
{
	u64 pa = 0;
	u32 val;

	if (has_buf)
		pa = __psp_pa(mbox->cmd_buf);

	psp_mbox_write(mbox, PSP_MBOX_CMDBUFF_LO, lower_32_bits(pa));
	psp_mbox_write(mbox, PSP_MBOX_CMDBUFF_HI, upper_32_bits(pa));

	spin_lock_irq(&mbox->irq_lock);
	mbox->int_rcvd = false;
	spin_unlock_irq(&mbox->irq_lock);

	if (cmd < ARRAY_SIZE(mbox->cmd_count))
		atomic64_inc(&mbox->cmd_count[cmd]);

	val = FIELD_PREP(PSP_CMDRESP_CMD, cmd);
	if (mbox->use_irq)
		val |= PSP_CMDRESP_IOC;
	psp_mbox_write(mbox, PSP_MBOX_CMDRESP, val);
	/* read without the lock: it only decides which phase is timed */
	*at_once = mbox->use_irq && data_race(mbox->int_rcvd);
	if (!*at_once)
		*started = psp_timing_clock();

	if (mbox->use_irq)
		return psp_mbox_wait_irq(mbox, timeout_ms, reg);

	return psp_mbox_wait_poll(mbox, timeout_ms, reg);
}

/* Add one completed command's phases to the sums */
static void psp_mbox_time(struct psp_mbox *mbox, u64 t_enter, u64 t_locked,
			  u64 t_started, u64 t_done)
{
	atomic64_add(psp_timing_span(t_enter, t_locked),
		     &mbox->phase_ns[PSP_PHASE_QUEUE]);
	atomic64_add(psp_timing_span(t_locked, t_started),
		     &mbox->phase_ns[PSP_PHASE_ISSUE]);
	atomic64_add(psp_timing_span(t_started, t_done),
		     &mbox->phase_ns[PSP_PHASE_WAIT]);
	atomic64_add(psp_timing_span(t_done, psp_timing_clock()),
		     &mbox->phase_ns[PSP_PHASE_COPYOUT]);
	atomic64_inc(&mbox->timed);
}

/*
 * A command did not complete in time: latch the mailbox dead, then ask the
 * backend to stop the command. If it cannot confirm that the firmware is
 * quiet, the command's memory is quarantined for good.
 */
static void psp_mbox_timed_out(struct psp_mbox *mbox, unsigned int cmd,
			       unsigned int timeout_ms)
{
	WRITE_ONCE(mbox->dead, true);
	mbox->timeouts++;
	pr_err("%s: command %s (%#x) timed out after %u ms, disabling PSP\n",
	       mbox->name, psp_cmd_name(cmd), cmd, timeout_ms);

	if (mbox->ops->abort && mbox->ops->abort(mbox)) {
		pr_err("%s: the firmware stopped command %s at a safe point; its memory is released\n",
		       mbox->name, psp_cmd_name(cmd));
		return;
	}

	psp_quarantine_mark(mbox, cmd);
}

/**
 * psp_mbox_cmd() - run one firmware command
 * @mbox: the mailbox
 * @cmd: firmware command id
 * @data: command buffer, or NULL for commands without one
 * @len: size of @data (0 without a buffer, at most PAGE_SIZE)
 * @psp_ret: receives the firmware status, or SEV_RET_NO_FW_CALL when no
 *	     command was issued; may be NULL
 *
 * Waits (killable) for the queue, copies @data into the bounce buffer, hands
 * its physical address to the firmware, starts the command and waits for its
 * completion. The bounce buffer is copied back into @data whatever the
 * status, so that callers see lengths the firmware reports with an error,
 * and is cleared afterwards.
 *
 * Return: 0; -EIO when the firmware reported a non-zero status; -ETIMEDOUT
 * when it did not complete in time (the mailbox is then dead, and unless
 * the backend stopped the command, quarantined: see
 * psp_quarantine_needed()); -EBUSY when
 * the mailbox is dead; -EINTR when killed while waiting for the queue;
 * -EINVAL for a bad command id or length.
 */
int psp_mbox_cmd(struct psp_mbox *mbox, unsigned int cmd, void *data,
		 size_t len, int *psp_ret)
{
	u64 t_enter = 0, t_locked = 0, t_started = 0, t_done = 0;
	bool queued = false, at_once;
	unsigned int timeout_ms;
	u32 reg = 0, status;
	int ret;

	if (psp_ret)
		*psp_ret = SEV_RET_NO_FW_CALL;

	if (cmd > FIELD_MAX(PSP_CMDRESP_CMD) || len > PAGE_SIZE ||
	    !data != !len)
		return -EINVAL;

	/* the queue phase is the time spent waiting: none if it is free */
	if (!mutex_trylock(&mbox->lock)) {
		queued = true;
		t_enter = psp_timing_clock();
		if (mutex_lock_killable(&mbox->lock))
			return -EINTR;
	}

	if (mbox->dead) {
		ret = -EBUSY;
		goto unlock;
	}
	t_locked = psp_timing_clock();
	if (!queued)
		t_enter = t_locked;

	if (data)
		memcpy(mbox->cmd_buf, data, len);

	timeout_ms = mbox->first_done ? READ_ONCE(mbox->cmd_timeout_ms) :
					READ_ONCE(mbox->probe_timeout_ms);

	ret = psp_mbox_issue(mbox, cmd, data, timeout_ms, &reg, &t_started,
			     &at_once);
	t_done = psp_timing_clock();
	if (at_once)
		t_started = t_done;
	if (ret) {
		psp_mbox_timed_out(mbox, cmd, timeout_ms);
		if (psp_ret)
			*psp_ret = 0;
		if (mbox->quarantined)
			goto unlock;	/* the firmware may still write it */
		goto clear;
	}

	mbox->first_done = true;

	status = FIELD_GET(PSP_CMDRESP_STS, reg);
	if (psp_ret)
		*psp_ret = status;
	if (status) {
		pr_debug("%s: command %s (%#x) failed: %s (%#x)\n",
			 mbox->name, psp_cmd_name(cmd), cmd,
			 psp_status_name(status), status);
		ret = -EIO;
	}

	if (data)
		memcpy(data, mbox->cmd_buf, len);

clear:
	if (data)
		memset(mbox->cmd_buf, 0, len);
	if (!ret || ret == -EIO)
		psp_mbox_time(mbox, t_enter, t_locked, t_started, t_done);
unlock:
	mutex_unlock(&mbox->lock);
	return ret;
}
