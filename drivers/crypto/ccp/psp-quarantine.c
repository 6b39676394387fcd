// SPDX-License-Identifier: GPL-2.0-only
/*
 * Quarantine of memory that a timed-out PSP command may still access.
 *
 * The PSP is an independent processor: when the driver stops waiting for a
 * command, the firmware may go on reading and writing the buffers and
 * guest pages the command was handed. Unless the backend confirmed that it
 * stopped the command (the software firmware does), that memory must never
 * return to the allocator: the owners keep it here, counted, for as long as
 * the system runs. A latched-dead PSP takes no further commands, so only
 * the memory of the one command that timed out is affected.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/kmemleak.h>
#include <linux/seq_file.h>

#include "psp-backend.h"
#include "psp-mbox.h"

/* Mailboxes whose timed-out command may still be running */
static atomic_t psp_quarantine_live = ATOMIC_INIT(0);
static atomic_long_t psp_quarantine_bufs = ATOMIC_LONG_INIT(0);
static atomic_long_t psp_quarantine_bytes = ATOMIC_LONG_INIT(0);
static atomic_long_t psp_quarantine_cmds = ATOMIC_LONG_INIT(0);

/**
 * psp_quarantine_mark() - a command timed out and could not be stopped
 * @mbox: its mailbox, quarantined from now on
 * @cmd: the command id, for the log
 */
void psp_quarantine_mark(struct psp_mbox *mbox, unsigned int cmd)
{
	mbox->quarantined = true;
	if (!mbox->q_live) {
		mbox->q_live = true;
		atomic_inc(&psp_quarantine_live);
	}
	atomic_long_inc(&psp_quarantine_cmds);
	pr_crit("%s: the firmware may still access the memory of command %s (%#x): its buffers and pinned pages are quarantined and never released\n",
		mbox->name, psp_cmd_name(cmd), cmd);
}

/**
 * psp_quarantine_quiet() - a quarantined mailbox's backend is quiet now
 * @mbox: the mailbox, about to be destroyed
 *
 * For software backends, which stop every command before they unregister:
 * the mailbox's own memory may be freed again, and later timeouts elsewhere
 * no longer need a quarantine on its account. What callers quarantined so
 * far stays where it is.
 */
void psp_quarantine_quiet(struct psp_mbox *mbox)
{
	if (!mbox->quarantined)
		return;
	mbox->quarantined = false;
	psp_quarantine_retire(mbox);
}

/**
 * psp_quarantine_retire() - the mailbox is going away
 * @mbox: the mailbox
 *
 * Its quarantined memory stays quarantined, but it no longer counts as a
 * PSP that may still run: its backend has stopped and drains its work on
 * the way out, so later timeouts on other mailboxes are judged on their
 * own (psp_quarantine_needed()).
 */
void psp_quarantine_retire(struct psp_mbox *mbox)
{
	if (!mbox->q_live)
		return;
	mbox->q_live = false;
	atomic_dec(&psp_quarantine_live);
}

/* A command timed out on a PSP that could not be stopped and is not quiet */
bool psp_quarantine_active(void)
{
	return atomic_read(&psp_quarantine_live) > 0;
}

/**
 * psp_quarantine_needed() - must a command's memory be kept forever
 * @ret: what the command returned
 *
 * For the owners of memory handed to a firmware command (the PSP driver's
 * own ioctls, KVM): instead of freeing buffers or unpinning pages after a
 * command, check this; when it is true, keep them (and report them with
 * psp_quarantine_buf(), or in their own counts). A timeout that the
 * backend stopped at a safe point needs no quarantine.
 *
 * Return: true when @ret is -ETIMEDOUT and a PSP could not be stopped.
 */
bool psp_quarantine_needed(int ret)
{
	return ret == -ETIMEDOUT && psp_quarantine_active();
}
EXPORT_SYMBOL_GPL(psp_quarantine_needed);

/**
 * psp_quarantine_buf() - keep a buffer the firmware may still access
 * @buf: kmalloc'ed memory, never freed from now on
 * @len: its size, for the count
 */
void psp_quarantine_buf(const void *buf, size_t len)
{
	if (!buf)
		return;
	kmemleak_not_leak(buf);
	psp_quarantine_page_buf(buf, len);
}
EXPORT_SYMBOL_GPL(psp_quarantine_buf);

/*
 * The same for memory from the page allocator, which kmemleak does not
 * track (and warns about when asked to)
 */
void psp_quarantine_page_buf(const void *buf, size_t len)
{
	if (!buf)
		return;
	atomic_long_inc(&psp_quarantine_bufs);
	atomic_long_add(len, &psp_quarantine_bytes);
	pr_warn_ratelimited("quarantined a %zu-byte buffer of a timed-out command\n",
			    len);
}

/* debugfs sev-psp/quarantine */
void psp_quarantine_show(struct seq_file *s)
{
	seq_printf(s, "active: %d\n", atomic_read(&psp_quarantine_live));
	seq_printf(s, "commands: %ld\n", atomic_long_read(&psp_quarantine_cmds));
	seq_printf(s, "buffers: %ld\n", atomic_long_read(&psp_quarantine_bufs));
	seq_printf(s, "bytes: %ld\n", atomic_long_read(&psp_quarantine_bytes));
}
