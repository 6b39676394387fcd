// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the SEV mailbox command queue against a fake register file.
 */

#include <kunit/test.h>
#include <linux/bitfield.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/psp-sev.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "psp-backend.h"
#include "psp-mbox.h"

/* How the fake firmware completes a command */
enum fake_mode {
	FAKE_INLINE,	/* inside the CMDRESP write */
	FAKE_WORK,	/* later, from a work item */
	FAKE_MANUAL,	/* when the test calls fake_complete() */
};

#define FAKE_SEEN_MAX	64
#define FAKE_LOG_MAX	128

struct fake_psp {
	struct psp_mbox mbox;
	spinlock_t lock;	/* protects regs and the observations */
	u32 regs[PSP_MBOX_NR_REGS];

	/* behaviour, set by the test */
	enum fake_mode mode;
	bool raise_irq;
	u16 status;
	u8 out_byte;
	size_t out_len;
	unsigned int delay_ms;

	/* observations */
	unsigned int issued;
	unsigned int log[FAKE_LOG_MAX];
	u32 last_cmdresp;
	u32 lo_writes, hi_writes;
	u64 last_pa;
	u8 seen[FAKE_SEEN_MAX];
	unsigned int intsts_acks;
	bool busy;
	bool overlap;
	unsigned int aborts;
	bool abort_ok;

	struct work_struct work;
	struct completion started;
};

static struct fake_psp *to_fake(struct psp_mbox *mbox)
{
	return mbox->priv;
}

static u32 fake_read(struct psp_mbox *mbox, enum psp_mbox_reg reg)
{
	struct fake_psp *fp = to_fake(mbox);
	unsigned long flags;
	u32 val;

	spin_lock_irqsave(&fp->lock, flags);
	val = fp->regs[reg];
	spin_unlock_irqrestore(&fp->lock, flags);

	return val;
}

/* The firmware finishes the current command: output, status, interrupt */
static void fake_complete(struct fake_psp *fp)
{
	unsigned long flags;
	u32 cmd;

	spin_lock_irqsave(&fp->lock, flags);
	if (fp->last_pa && fp->out_len)
		memset(__va(fp->last_pa), fp->out_byte, fp->out_len);
	cmd = fp->last_cmdresp & PSP_CMDRESP_CMD;
	fp->busy = false;
	fp->regs[PSP_MBOX_CMDRESP] = cmd | PSP_CMDRESP_RESP | fp->status;
	fp->regs[PSP_MBOX_INTSTS] |= PSP_INTSTS_SEV_CMD_COMPLETE;
	spin_unlock_irqrestore(&fp->lock, flags);

	if (fp->raise_irq)
		psp_mbox_irq(&fp->mbox);
}

static void fake_work(struct work_struct *work)
{
	struct fake_psp *fp = container_of(work, struct fake_psp, work);

	if (fp->delay_ms)
		msleep(fp->delay_ms);
	fake_complete(fp);
}

static void fake_start(struct fake_psp *fp, u32 val)
{
	u64 pa;

	if (fp->busy)
		fp->overlap = true;
	fp->busy = true;
	if (fp->issued < FAKE_LOG_MAX)
		fp->log[fp->issued] = FIELD_GET(PSP_CMDRESP_CMD, val);
	fp->issued++;
	fp->last_cmdresp = val;
	fp->regs[PSP_MBOX_CMDRESP] = val & ~PSP_CMDRESP_RESP;

	pa = ((u64)fp->regs[PSP_MBOX_CMDBUFF_HI] << 32) |
	     fp->regs[PSP_MBOX_CMDBUFF_LO];
	fp->last_pa = pa;
	if (pa)
		memcpy(fp->seen, __va(pa), FAKE_SEEN_MAX);
	else
		memset(fp->seen, 0, FAKE_SEEN_MAX);
}

static void fake_write(struct psp_mbox *mbox, enum psp_mbox_reg reg, u32 val)
{
	struct fake_psp *fp = to_fake(mbox);
	unsigned long flags;

	spin_lock_irqsave(&fp->lock, flags);
	switch (reg) {
	case PSP_MBOX_INTSTS:
		fp->regs[reg] &= ~val;
		fp->intsts_acks++;
		break;
	case PSP_MBOX_CMDBUFF_LO:
		fp->regs[reg] = val;
		fp->lo_writes++;
		break;
	case PSP_MBOX_CMDBUFF_HI:
		fp->regs[reg] = val;
		fp->hi_writes++;
		break;
	case PSP_MBOX_CMDRESP:
		fake_start(fp, val);
		break;
	default:
		fp->regs[reg] = val;
		break;
	}
	spin_unlock_irqrestore(&fp->lock, flags);

	if (reg != PSP_MBOX_CMDRESP)
		return;

	switch (fp->mode) {
	case FAKE_INLINE:
		fake_complete(fp);
		break;
	case FAKE_WORK:
		schedule_work(&fp->work);
		break;
	case FAKE_MANUAL:
		complete(&fp->started);
		break;
	}
}

static const struct psp_mbox_ops fake_ops = {
	.read = fake_read,
	.write = fake_write,
};

/* The driver gave up: a firmware that can stop says so when abort_ok */
static bool fake_abort(struct psp_mbox *mbox)
{
	struct fake_psp *fp = to_fake(mbox);

	fp->aborts++;
	return fp->abort_ok;
}

static const struct psp_mbox_ops fake_ops_abort = {
	.read = fake_read,
	.write = fake_write,
	.abort = fake_abort,
};

static int fake_setup(struct kunit *test, bool use_irq, enum fake_mode mode)
{
	struct fake_psp *fp = test->priv;

	fp->mode = mode;
	fp->raise_irq = use_irq;
	return psp_mbox_init(&fp->mbox, "fake-psp", &fake_ops, fp, use_irq);
}

static int psp_mbox_test_init(struct kunit *test)
{
	struct fake_psp *fp;

	fp = kunit_kzalloc(test, sizeof(*fp), GFP_KERNEL);
	if (!fp)
		return -ENOMEM;

	spin_lock_init(&fp->lock);
	INIT_WORK(&fp->work, fake_work);
	init_completion(&fp->started);
	test->priv = fp;
	return 0;
}

static void psp_mbox_test_exit(struct kunit *test)
{
	struct fake_psp *fp = test->priv;

	flush_work(&fp->work);
	/* the fake firmware is quiet now: no quarantine on its account */
	psp_quarantine_quiet(&fp->mbox);
	if (fp->mbox.cmd_buf)
		psp_mbox_destroy(&fp->mbox);
}

static bool mem_is(const void *buf, u8 val, size_t len)
{
	const u8 *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != val)
			return false;
	return true;
}

/* One command with a buffer, completed by interrupt; all effects checked */
static void run_buffered_cmd(struct kunit *test, bool use_irq,
			     enum fake_mode mode)
{
	struct fake_psp *fp = test->priv;
	u8 data[12];
	int psp_ret = 0x55;
	u32 expect;

	KUNIT_ASSERT_EQ(test, fake_setup(test, use_irq, mode), 0);
	fp->out_byte = 0xa5;
	fp->out_len = sizeof(data);
	fp->regs[PSP_MBOX_CMDBUFF_LO] = 0xdeadbeef;
	fp->regs[PSP_MBOX_CMDBUFF_HI] = 0xdeadbeef;
	memset(data, 0x3c, sizeof(data));

	KUNIT_EXPECT_EQ(test, psp_mbox_cmd(&fp->mbox, SEV_CMD_PLATFORM_STATUS,
					   data, sizeof(data), &psp_ret), 0);
	KUNIT_EXPECT_EQ(test, psp_ret, 0);
	KUNIT_EXPECT_EQ(test, fp->issued, 1U);

	/* command word: id in bits 26:16, IOC only with an interrupt */
	expect = SEV_CMD_PLATFORM_STATUS << 16;
	if (use_irq)
		expect |= PSP_CMDRESP_IOC;
	KUNIT_EXPECT_EQ(test, fp->last_cmdresp, expect);

	/* the firmware got the bounce buffer with the caller's bytes */
	KUNIT_EXPECT_EQ(test, fp->last_pa, (u64)__psp_pa(fp->mbox.cmd_buf));
	KUNIT_EXPECT_TRUE(test, mem_is(fp->seen, 0x3c, sizeof(data)));
	KUNIT_EXPECT_TRUE(test, mem_is(fp->seen + sizeof(data), 0,
				       FAKE_SEEN_MAX - sizeof(data)));

	/* its output came back, and the bounce buffer was cleared */
	KUNIT_EXPECT_TRUE(test, mem_is(data, 0xa5, sizeof(data)));
	KUNIT_EXPECT_TRUE(test, mem_is(fp->mbox.cmd_buf, 0, PAGE_SIZE));

	KUNIT_EXPECT_EQ(test,
			atomic64_read(&fp->mbox.cmd_count[SEV_CMD_PLATFORM_STATUS]),
			1LL);
	KUNIT_EXPECT_TRUE(test, fp->mbox.first_done);
	KUNIT_EXPECT_FALSE(test, fp->mbox.dead);

	if (use_irq) {
		/* the irq path acknowledged (W1C) the completion bit */
		KUNIT_EXPECT_EQ(test, fp->regs[PSP_MBOX_INTSTS], 0U);
		KUNIT_EXPECT_EQ(test, fp->intsts_acks, 1U);
	} else {
		KUNIT_EXPECT_EQ(test, fp->intsts_acks, 0U);
	}
}

static void psp_mbox_test_irq_inline(struct kunit *test)
{
	run_buffered_cmd(test, true, FAKE_INLINE);
}

static void psp_mbox_test_irq_async(struct kunit *test)
{
	struct fake_psp *fp = test->priv;

	fp->delay_ms = 20;
	run_buffered_cmd(test, true, FAKE_WORK);
}

static void psp_mbox_test_poll(struct kunit *test)
{
	struct fake_psp *fp = test->priv;

	fp->delay_ms = 20;
	run_buffered_cmd(test, false, FAKE_WORK);
}

static void psp_mbox_test_no_buffer(struct kunit *test)
{
	struct fake_psp *fp = test->priv;
	int psp_ret = 0x55;

	KUNIT_ASSERT_EQ(test, fake_setup(test, true, FAKE_INLINE), 0);
	fp->regs[PSP_MBOX_CMDBUFF_LO] = 0xdeadbeef;
	fp->regs[PSP_MBOX_CMDBUFF_HI] = 0xdeadbeef;

	KUNIT_EXPECT_EQ(test, psp_mbox_cmd(&fp->mbox, SEV_CMD_DF_FLUSH, NULL,
					   0, &psp_ret), 0);
	KUNIT_EXPECT_EQ(test, psp_ret, 0);
	KUNIT_EXPECT_EQ(test, fp->lo_writes, 1U);
	KUNIT_EXPECT_EQ(test, fp->hi_writes, 1U);
	KUNIT_EXPECT_EQ(test, fp->regs[PSP_MBOX_CMDBUFF_LO], 0U);
	KUNIT_EXPECT_EQ(test, fp->regs[PSP_MBOX_CMDBUFF_HI], 0U);
	KUNIT_EXPECT_EQ(test, fp->last_cmdresp,
			(SEV_CMD_DF_FLUSH << 16) | PSP_CMDRESP_IOC);

	/* a NULL status pointer is allowed */
	KUNIT_EXPECT_EQ(test, psp_mbox_cmd(&fp->mbox, SEV_CMD_DF_FLUSH, NULL,
					   0, NULL), 0);
	KUNIT_EXPECT_EQ(test,
			atomic64_read(&fp->mbox.cmd_count[SEV_CMD_DF_FLUSH]),
			2LL);
}

static void psp_mbox_test_error_status(struct kunit *test)
{
	struct fake_psp *fp = test->priv;
	struct sev_data_pek_csr csr = { .address = 0, .len = 0 };
	int psp_ret = 0;

	KUNIT_ASSERT_EQ(test, fake_setup(test, true, FAKE_WORK), 0);
	fp->status = SEV_RET_INVALID_LEN;
	/* the firmware reports the needed length with the error */
	fp->out_byte = 0x11;
	fp->out_len = sizeof(csr);

	KUNIT_EXPECT_EQ(test, psp_mbox_cmd(&fp->mbox, SEV_CMD_PEK_CSR, &csr,
					   sizeof(csr), &psp_ret), -EIO);
	KUNIT_EXPECT_EQ(test, psp_ret, SEV_RET_INVALID_LEN);
	KUNIT_EXPECT_EQ(test, csr.len, 0x11111111U);
	KUNIT_EXPECT_EQ(test, csr.address, 0x1111111111111111ULL);
	KUNIT_EXPECT_TRUE(test, mem_is(fp->mbox.cmd_buf, 0, PAGE_SIZE));
	/* an error status is not a dead device */
	KUNIT_EXPECT_FALSE(test, fp->mbox.dead);

	fp->status = 0;
	KUNIT_EXPECT_EQ(test, psp_mbox_cmd(&fp->mbox, SEV_CMD_PEK_CSR, &csr,
					   sizeof(csr), &psp_ret), 0);
	KUNIT_EXPECT_EQ(test, psp_ret, 0);
}

static void psp_mbox_test_timeout_dead(struct kunit *test)
{
	struct fake_psp *fp = test->priv;
	struct sev_user_data_status st;
	unsigned long start;
	int psp_ret = 0x55;

	KUNIT_ASSERT_EQ(test, fake_setup(test, true, FAKE_MANUAL), 0);
	/* before any completion the probe timeout applies */
	fp->mbox.probe_timeout_ms = 50;
	fp->mbox.cmd_timeout_ms = 600 * 1000;

	start = jiffies;
	KUNIT_EXPECT_EQ(test, psp_mbox_cmd(&fp->mbox, SEV_CMD_PLATFORM_STATUS,
					   &st, sizeof(st), &psp_ret),
			-ETIMEDOUT);
	KUNIT_EXPECT_LT(test, jiffies_to_msecs(jiffies - start), 10000U);
	KUNIT_EXPECT_EQ(test, psp_ret, 0);
	KUNIT_EXPECT_TRUE(test, fp->mbox.dead);
	KUNIT_EXPECT_EQ(test, fp->issued, 1U);

	/* dead: nothing more reaches the firmware */
	fp->mode = FAKE_INLINE;
	KUNIT_EXPECT_EQ(test, psp_mbox_cmd(&fp->mbox, SEV_CMD_PLATFORM_STATUS,
					   &st, sizeof(st), &psp_ret), -EBUSY);
	KUNIT_EXPECT_EQ(test, psp_ret, SEV_RET_NO_FW_CALL);
	KUNIT_EXPECT_EQ(test, psp_mbox_cmd(&fp->mbox, SEV_CMD_DF_FLUSH, NULL,
					   0, &psp_ret), -EBUSY);
	KUNIT_EXPECT_EQ(test, fp->issued, 1U);
}

/*
 * A mailbox with an abort operation whose next command never completes
 * (30 ms probe timeout); *@st is filled with 0x3c for the command
 */
static void fake_setup_timeout(struct kunit *test, bool abort_ok,
			       struct sev_user_data_status *st)
{
	struct fake_psp *fp = test->priv;

	KUNIT_ASSERT_EQ(test, psp_mbox_init(&fp->mbox, "fake-psp",
					    &fake_ops_abort, fp, true), 0);
	fp->mode = FAKE_MANUAL;
	fp->raise_irq = true;
	fp->abort_ok = abort_ok;
	fp->mbox.probe_timeout_ms = 30;
	memset(st, 0x3c, sizeof(*st));
}

/*
 * A timeout with a backend that stops the command: the driver asks once,
 * the memory is released as usual (no quarantine) and the mailbox is dead.
 */
static void psp_mbox_test_timeout_abort_quiet(struct kunit *test)
{
	struct fake_psp *fp = test->priv;
	struct sev_user_data_status st;
	int psp_ret = 0x55;

	fake_setup_timeout(test, true, &st);

	KUNIT_EXPECT_EQ(test, psp_mbox_cmd(&fp->mbox, SEV_CMD_PLATFORM_STATUS,
					   &st, sizeof(st), &psp_ret),
			-ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, fp->aborts, 1U);
	KUNIT_EXPECT_TRUE(test, fp->mbox.dead);
	KUNIT_EXPECT_FALSE(test, fp->mbox.quarantined);
	KUNIT_EXPECT_EQ(test, fp->mbox.timeouts, 1U);
	KUNIT_EXPECT_FALSE(test, psp_quarantine_needed(-ETIMEDOUT));
	/* the bounce buffer was cleared: nobody writes it any more */
	KUNIT_EXPECT_TRUE(test, mem_is(fp->mbox.cmd_buf, 0, PAGE_SIZE));
}

/*
 * A timeout on a PSP that cannot be stopped (no abort, or one that fails):
 * the mailbox is quarantined, callers are told to keep their memory, and
 * the bounce buffer is left alone for the firmware that may still use it.
 */
static void psp_mbox_test_timeout_quarantine(struct kunit *test)
{
	struct fake_psp *fp = test->priv;
	struct sev_user_data_status st;
	int psp_ret = 0x55;

	fake_setup_timeout(test, false, &st);

	KUNIT_EXPECT_FALSE(test, psp_quarantine_needed(-ETIMEDOUT));
	KUNIT_EXPECT_EQ(test, psp_mbox_cmd(&fp->mbox, SEV_CMD_PLATFORM_STATUS,
					   &st, sizeof(st), &psp_ret),
			-ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, fp->aborts, 1U);
	KUNIT_EXPECT_TRUE(test, fp->mbox.quarantined);
	KUNIT_EXPECT_TRUE(test, psp_quarantine_needed(-ETIMEDOUT));
	KUNIT_EXPECT_FALSE(test, psp_quarantine_needed(-EIO));
	KUNIT_EXPECT_FALSE(test, psp_quarantine_needed(0));
	/* still the caller's bytes: the driver did not touch it */
	KUNIT_EXPECT_TRUE(test, mem_is(fp->mbox.cmd_buf, 0x3c, sizeof(st)));

	/* the late completion finds a live mailbox and changes nothing */
	fake_complete(fp);
	KUNIT_EXPECT_TRUE(test, fp->mbox.dead);

	/* once the backend is quiet, later timeouts need no quarantine */
	psp_quarantine_quiet(&fp->mbox);
	KUNIT_EXPECT_FALSE(test, fp->mbox.quarantined);
	KUNIT_EXPECT_FALSE(test, psp_quarantine_needed(-ETIMEDOUT));
}

static void psp_mbox_test_timeout_after_first(struct kunit *test)
{
	struct fake_psp *fp = test->priv;
	unsigned long start;
	int psp_ret;

	KUNIT_ASSERT_EQ(test, fake_setup(test, false, FAKE_INLINE), 0);
	KUNIT_EXPECT_EQ(test, psp_mbox_cmd(&fp->mbox, SEV_CMD_DF_FLUSH, NULL,
					   0, &psp_ret), 0);

	/* after a completion the command timeout applies */
	fp->mode = FAKE_MANUAL;
	fp->mbox.probe_timeout_ms = 600 * 1000;
	fp->mbox.cmd_timeout_ms = 50;
	start = jiffies;
	KUNIT_EXPECT_EQ(test, psp_mbox_cmd(&fp->mbox, SEV_CMD_DF_FLUSH, NULL,
					   0, &psp_ret), -ETIMEDOUT);
	KUNIT_EXPECT_LT(test, jiffies_to_msecs(jiffies - start), 10000U);
	KUNIT_EXPECT_EQ(test, psp_ret, 0);
	KUNIT_EXPECT_TRUE(test, fp->mbox.dead);
}

struct mbox_thread {
	struct fake_psp *fp;
	unsigned int cmd;
	unsigned int repeat;
	bool killable;
	int ret;
	int psp_ret;
	struct completion ready;
	struct completion done;
};

static int mbox_thread_fn(void *arg)
{
	struct mbox_thread *t = arg;
	unsigned int i;

	if (t->killable)
		allow_signal(SIGKILL);
	complete(&t->ready);

	for (i = 0; i < t->repeat; i++) {
		t->ret = psp_mbox_cmd(&t->fp->mbox, t->cmd, NULL, 0,
				      &t->psp_ret);
		if (t->ret)
			break;
	}

	complete(&t->done);
	return 0;
}

static struct task_struct *mbox_thread_start(struct kunit *test,
					     struct mbox_thread *t,
					     unsigned int cmd,
					     unsigned int repeat,
					     bool killable)
{
	struct task_struct *task;

	t->fp = test->priv;
	t->cmd = cmd;
	t->repeat = repeat;
	t->killable = killable;
	t->ret = -1;
	t->psp_ret = 0x55;
	init_completion(&t->ready);
	init_completion(&t->done);

	task = kthread_run(mbox_thread_fn, t, "psp-mbox-test");
	if (IS_ERR(task))
		return task;
	get_task_struct(task);
	return task;
}

static void mbox_thread_reap(struct task_struct *task)
{
	kthread_stop(task);
	put_task_struct(task);
}

/*
 * A caller killed while it waits for the queue behind a slow command gets
 * -EINTR, and its command never reaches the firmware.
 */
static void psp_mbox_test_killed_waiter(struct kunit *test)
{
	struct fake_psp *fp = test->priv;
	struct mbox_thread *slow, *victim;
	struct task_struct *ts, *tv;

	slow = kunit_kzalloc(test, sizeof(*slow), GFP_KERNEL);
	victim = kunit_kzalloc(test, sizeof(*victim), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, slow);
	KUNIT_ASSERT_NOT_NULL(test, victim);
	KUNIT_ASSERT_EQ(test, fake_setup(test, true, FAKE_MANUAL), 0);

	ts = mbox_thread_start(test, slow, SEV_CMD_DF_FLUSH, 1, false);
	KUNIT_ASSERT_FALSE(test, IS_ERR(ts));
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&fp->started,
							    10 * HZ));

	tv = mbox_thread_start(test, victim, SEV_CMD_PEK_GEN, 1, true);
	KUNIT_ASSERT_FALSE(test, IS_ERR(tv));
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&victim->ready,
							    10 * HZ));
	/* let it block on the queue, then kill it */
	msleep(50);
	KUNIT_EXPECT_FALSE(test, completion_done(&victim->done));
	send_sig(SIGKILL, tv, 1);
	KUNIT_EXPECT_TRUE(test, wait_for_completion_timeout(&victim->done,
							    10 * HZ));
	KUNIT_EXPECT_EQ(test, victim->ret, -EINTR);
	KUNIT_EXPECT_EQ(test, victim->psp_ret, SEV_RET_NO_FW_CALL);

	/* the slow command is unaffected */
	KUNIT_EXPECT_FALSE(test, completion_done(&slow->done));
	fake_complete(fp);
	KUNIT_EXPECT_TRUE(test, wait_for_completion_timeout(&slow->done,
							    10 * HZ));
	KUNIT_EXPECT_EQ(test, slow->ret, 0);
	KUNIT_EXPECT_EQ(test, slow->psp_ret, 0);

	KUNIT_EXPECT_EQ(test, fp->issued, 1U);
	KUNIT_EXPECT_EQ(test, fp->log[0], (unsigned int)SEV_CMD_DF_FLUSH);
	KUNIT_EXPECT_EQ(test,
			atomic64_read(&fp->mbox.cmd_count[SEV_CMD_PEK_GEN]),
			0LL);

	mbox_thread_reap(tv);
	mbox_thread_reap(ts);
}

/* Two threads hammering the queue never have commands in flight together */
static void psp_mbox_test_serialized(struct kunit *test)
{
	const unsigned int n = 25;
	struct fake_psp *fp = test->priv;
	struct mbox_thread *a, *b;
	struct task_struct *ta, *tb;
	unsigned int i, na = 0, nb = 0;

	a = kunit_kzalloc(test, sizeof(*a), GFP_KERNEL);
	b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_ASSERT_EQ(test, fake_setup(test, true, FAKE_WORK), 0);
	fp->delay_ms = 1;

	ta = mbox_thread_start(test, a, SEV_CMD_PEK_GEN, n, false);
	KUNIT_ASSERT_FALSE(test, IS_ERR(ta));
	tb = mbox_thread_start(test, b, SEV_CMD_PDH_GEN, n, false);
	KUNIT_ASSERT_FALSE(test, IS_ERR(tb));

	KUNIT_EXPECT_TRUE(test, wait_for_completion_timeout(&a->done,
							    60 * HZ));
	KUNIT_EXPECT_TRUE(test, wait_for_completion_timeout(&b->done,
							    60 * HZ));
	KUNIT_EXPECT_EQ(test, a->ret, 0);
	KUNIT_EXPECT_EQ(test, b->ret, 0);
	KUNIT_EXPECT_FALSE(test, fp->overlap);
	KUNIT_EXPECT_EQ(test, fp->issued, 2 * n);

	for (i = 0; i < 2 * n && i < FAKE_LOG_MAX; i++) {
		if (fp->log[i] == SEV_CMD_PEK_GEN)
			na++;
		else if (fp->log[i] == SEV_CMD_PDH_GEN)
			nb++;
	}
	KUNIT_EXPECT_EQ(test, na, n);
	KUNIT_EXPECT_EQ(test, nb, n);

	mbox_thread_reap(ta);
	mbox_thread_reap(tb);
}

static void psp_mbox_test_bad_args(struct kunit *test)
{
	struct fake_psp *fp = test->priv;
	int psp_ret = 0x55;
	u8 *big;

	big = kunit_kzalloc(test, PAGE_SIZE + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, big);
	KUNIT_ASSERT_EQ(test, fake_setup(test, true, FAKE_INLINE), 0);

	KUNIT_EXPECT_EQ(test, psp_mbox_cmd(&fp->mbox, SEV_CMD_GET_ID, big,
					   PAGE_SIZE + 1, &psp_ret), -EINVAL);
	KUNIT_EXPECT_EQ(test, psp_ret, SEV_RET_NO_FW_CALL);
	psp_ret = 0x55;
	KUNIT_EXPECT_EQ(test, psp_mbox_cmd(&fp->mbox, SEV_CMD_GET_ID, NULL,
					   12, &psp_ret), -EINVAL);
	KUNIT_EXPECT_EQ(test, psp_ret, SEV_RET_NO_FW_CALL);
	KUNIT_EXPECT_EQ(test, psp_mbox_cmd(&fp->mbox, SEV_CMD_GET_ID, big,
					   0, &psp_ret), -EINVAL);
	KUNIT_EXPECT_EQ(test, psp_mbox_cmd(&fp->mbox, 0x800, NULL, 0,
					   &psp_ret), -EINVAL);
	KUNIT_EXPECT_EQ(test, fp->issued, 0U);

	/* a whole page is the largest buffer */
	memset(big, 0x7e, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, psp_mbox_cmd(&fp->mbox, SEV_CMD_GET_ID, big,
					   PAGE_SIZE, &psp_ret), 0);
	KUNIT_EXPECT_EQ(test, fp->issued, 1U);
	KUNIT_EXPECT_TRUE(test, mem_is(fp->seen, 0x7e, FAKE_SEEN_MAX));
	KUNIT_EXPECT_TRUE(test, mem_is(big, 0x7e, PAGE_SIZE));
}

static void psp_mbox_test_irq_ack(struct kunit *test)
{
	struct fake_psp *fp = test->priv;

	KUNIT_ASSERT_EQ(test, fake_setup(test, true, FAKE_MANUAL), 0);

	/* completion bit with other bits, but no response yet: ack only */
	fp->regs[PSP_MBOX_INTSTS] = 0x5 | PSP_INTSTS_SEV_CMD_COMPLETE;
	fp->regs[PSP_MBOX_CMDRESP] = SEV_CMD_DF_FLUSH << 16;
	psp_mbox_irq(&fp->mbox);
	KUNIT_EXPECT_EQ(test, fp->regs[PSP_MBOX_INTSTS], 0U);
	KUNIT_EXPECT_EQ(test, fp->intsts_acks, 1U);
	KUNIT_EXPECT_FALSE(test, fp->mbox.int_rcvd);

	/* response without the completion bit: not ours */
	fp->regs[PSP_MBOX_INTSTS] = 0x4;
	fp->regs[PSP_MBOX_CMDRESP] |= PSP_CMDRESP_RESP;
	psp_mbox_irq(&fp->mbox);
	KUNIT_EXPECT_EQ(test, fp->regs[PSP_MBOX_INTSTS], 0U);
	KUNIT_EXPECT_FALSE(test, fp->mbox.int_rcvd);

	/* both: the waiter is woken */
	fp->regs[PSP_MBOX_INTSTS] = PSP_INTSTS_SEV_CMD_COMPLETE;
	psp_mbox_irq(&fp->mbox);
	KUNIT_EXPECT_EQ(test, fp->regs[PSP_MBOX_INTSTS], 0U);
	KUNIT_EXPECT_TRUE(test, fp->mbox.int_rcvd);
	KUNIT_EXPECT_EQ(test, fp->intsts_acks, 3U);
}

static void psp_mbox_test_names(struct kunit *test)
{
	int i;

	KUNIT_EXPECT_STREQ(test, psp_status_name(0), "SUCCESS");
	KUNIT_EXPECT_STREQ(test, psp_status_name(1), "INVALID_PLATFORM_STATE");
	KUNIT_EXPECT_STREQ(test, psp_status_name(3), "INVALID_CONFIG");
	KUNIT_EXPECT_STREQ(test, psp_status_name(4), "INVALID_LEN");
	KUNIT_EXPECT_STREQ(test, psp_status_name(0x11), "INVALID_COMMAND");
	KUNIT_EXPECT_STREQ(test, psp_status_name(0x18), "SECURE_DATA_INVALID");
	KUNIT_EXPECT_STREQ(test, psp_status_name(0x1f), "EXIT_RING_BUFFER");
	KUNIT_EXPECT_STREQ(test, psp_status_name(0x27), "INVALID_KEY");
	KUNIT_EXPECT_STREQ(test, psp_status_name(0x1e), "UNKNOWN");
	KUNIT_EXPECT_STREQ(test, psp_status_name(0x28), "UNKNOWN");
	KUNIT_EXPECT_STREQ(test, psp_status_name(0x8004), "UNKNOWN");
	KUNIT_EXPECT_STREQ(test, psp_status_name(-2), "UNKNOWN");
	KUNIT_EXPECT_STREQ(test, psp_status_name(SEV_RET_NO_FW_CALL),
			   "NO_FW_CALL");
	for (i = 0; i <= 0x27; i++) {
		if (i == 0x1e)
			continue;
		KUNIT_EXPECT_STRNEQ_MSG(test, psp_status_name(i), "UNKNOWN",
					"status %#x", i);
	}

	KUNIT_EXPECT_STREQ(test, psp_cmd_name(SEV_CMD_INIT), "INIT");
	KUNIT_EXPECT_STREQ(test, psp_cmd_name(SEV_CMD_PLATFORM_STATUS),
			   "PLATFORM_STATUS");
	KUNIT_EXPECT_STREQ(test, psp_cmd_name(SEV_CMD_INIT_EX), "INIT_EX");
	KUNIT_EXPECT_STREQ(test, psp_cmd_name(SEV_CMD_DBG_ENCRYPT),
			   "DBG_ENCRYPT");
	KUNIT_EXPECT_STREQ(test, psp_cmd_name(0), "UNKNOWN");
	KUNIT_EXPECT_STREQ(test, psp_cmd_name(0x0e), "UNKNOWN");
	KUNIT_EXPECT_STREQ(test, psp_cmd_name(0x62), "UNKNOWN");
	KUNIT_EXPECT_STREQ(test, psp_cmd_name(0x7ff), "UNKNOWN");
}

static struct kunit_case psp_mbox_test_cases[] = {
	KUNIT_CASE(psp_mbox_test_irq_inline),
	KUNIT_CASE(psp_mbox_test_irq_async),
	KUNIT_CASE(psp_mbox_test_poll),
	KUNIT_CASE(psp_mbox_test_no_buffer),
	KUNIT_CASE(psp_mbox_test_error_status),
	KUNIT_CASE(psp_mbox_test_timeout_dead),
	KUNIT_CASE(psp_mbox_test_timeout_abort_quiet),
	KUNIT_CASE(psp_mbox_test_timeout_quarantine),
	KUNIT_CASE(psp_mbox_test_timeout_after_first),
	KUNIT_CASE(psp_mbox_test_killed_waiter),
	KUNIT_CASE(psp_mbox_test_serialized),
	KUNIT_CASE(psp_mbox_test_bad_args),
	KUNIT_CASE(psp_mbox_test_irq_ack),
	KUNIT_CASE(psp_mbox_test_names),
	{}
};

static struct kunit_suite psp_mbox_test_suite = {
	.name = "psp-mbox",
	.init = psp_mbox_test_init,
	.exit = psp_mbox_test_exit,
	.test_cases = psp_mbox_test_cases,
};

kunit_test_suite(psp_mbox_test_suite);

MODULE_LICENSE("GPL");
