// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the software firmware's fault injection: the rule syntax,
 * counting and firing order, and each fault kind applied to a real
 * firmware instance (fail, corrupt, delay, hang and its release).
 */

#include <kunit/test.h>
#include <linux/jiffies.h>
#include <linux/delay.h>
#include <linux/psp-sev.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "sevfw-internal.h"
#include "sevfw-fault.h"
#include "sevfw-test-util.h"

struct t_parse_case {
	const char *line;
	enum sevfw_fault_kind kind;
	u32 count;
	u32 cmd;
	u32 arg;
};

static const struct t_parse_case t_valid[] = {
	{ "fail 1 7", SEVFW_FAULT_FAIL, 1, SEVFW_FAULT_ANY_CMD, 7 },
	{ "fail 3 0x13 0x30\n", SEVFW_FAULT_FAIL, 3, 0x30, 0x13 },
	{ "  fail\t2  0xffff   4 ", SEVFW_FAULT_FAIL, 2, 4, 0xffff },
	{ "delay 1 250", SEVFW_FAULT_DELAY, 1, SEVFW_FAULT_ANY_CMD, 250 },
	{ "delay 5 600000 0x7ff", SEVFW_FAULT_DELAY, 5, 0x7ff, 600000 },
	{ "hang 1", SEVFW_FAULT_HANG, 1, SEVFW_FAULT_ANY_CMD, 0 },
	{ "hang 1000000 0", SEVFW_FAULT_HANG, 1000000, 0, 0 },
	{ "corrupt 2 0x4\n", SEVFW_FAULT_CORRUPT, 2, 4, 0 },
};

static const char *const t_invalid[] = {
	"", "\n", "fail", "fail 1", "fail 0 7", "fail 1 0", "fail 1 0x10000",
	"fail -1 7", "fail 1 7 0x800", "fail 1 7 4 5", "delay 1", "delay 1 0",
	"delay 1 600001", "hang 0", "hang 1 2 3", "hang 1x", "hang 1000001",
	"corrupt", "corrupt 1 -1", "Fail 1 7", "bogus 1", "clear x",
	"hang 1                                                           2",
};

static void sevfw_fault_test_parse_valid(struct kunit *test)
{
	struct sevfw_fault_rule r;
	unsigned int i;
	bool clear;

	for (i = 0; i < ARRAY_SIZE(t_valid); i++) {
		const struct t_parse_case *c = &t_valid[i];

		KUNIT_EXPECT_EQ_MSG(test, sevfw_fault_parse(c->line, &r, &clear),
				    0, "\"%s\"", c->line);
		KUNIT_EXPECT_FALSE(test, clear);
		KUNIT_EXPECT_EQ_MSG(test, r.kind, c->kind, "\"%s\"", c->line);
		KUNIT_EXPECT_EQ_MSG(test, r.count, c->count, "\"%s\"", c->line);
		KUNIT_EXPECT_EQ_MSG(test, r.cmd, c->cmd, "\"%s\"", c->line);
		KUNIT_EXPECT_EQ_MSG(test, r.arg, c->arg, "\"%s\"", c->line);
	}

	KUNIT_EXPECT_EQ(test, sevfw_fault_parse("clear\n", &r, &clear), 0);
	KUNIT_EXPECT_TRUE(test, clear);
	KUNIT_EXPECT_EQ(test, sevfw_fault_parse(" clear ", &r, &clear), 0);
	KUNIT_EXPECT_TRUE(test, clear);
}

static void sevfw_fault_test_parse_invalid(struct kunit *test)
{
	struct sevfw_fault_rule r;
	unsigned int i;
	bool clear;

	for (i = 0; i < ARRAY_SIZE(t_invalid); i++) {
		KUNIT_EXPECT_EQ_MSG(test,
				    sevfw_fault_parse(t_invalid[i], &r, &clear),
				    -EINVAL, "\"%s\"", t_invalid[i]);
		KUNIT_EXPECT_FALSE(test, clear);
	}
}

/* What the debugfs file lists is accepted back as the same rule */
static void sevfw_fault_test_format(struct kunit *test)
{
	struct sevfw_fault_rule r, back;
	char line[SEVFW_FAULT_LINE_MAX];
	unsigned int i;
	bool clear;

	for (i = 0; i < ARRAY_SIZE(t_valid); i++) {
		KUNIT_ASSERT_EQ(test, sevfw_fault_parse(t_valid[i].line, &r,
							&clear), 0);
		sevfw_fault_format(&r, line, sizeof(line));
		KUNIT_EXPECT_EQ_MSG(test, sevfw_fault_parse(line, &back, &clear),
				    0, "\"%s\"", line);
		KUNIT_EXPECT_EQ(test, memcmp(&r, &back, sizeof(r)), 0);
	}

	r = (struct sevfw_fault_rule){ SEVFW_FAULT_FAIL, 2, 0x30, 7 };
	sevfw_fault_format(&r, line, sizeof(line));
	KUNIT_EXPECT_STREQ(test, line, "fail 2 0x7 0x30");
	r = (struct sevfw_fault_rule){ SEVFW_FAULT_DELAY, 1,
				       SEVFW_FAULT_ANY_CMD, 40 };
	sevfw_fault_format(&r, line, sizeof(line));
	KUNIT_EXPECT_STREQ(test, line, "delay 1 40");
}

static void t_arm(struct kunit *test, struct sevfw_fault_plan *plan,
		  const char *line)
{
	struct sevfw_fault_rule r;
	bool clear;

	KUNIT_ASSERT_EQ(test, sevfw_fault_parse(line, &r, &clear), 0);
	KUNIT_ASSERT_EQ(test, sevfw_fault_arm(plan, &r), 0);
}

/* The Nth matching command fires; others do not count */
static void sevfw_fault_test_match_count(struct kunit *test)
{
	struct sevfw_fault_plan plan = {};
	struct sevfw_fault_rule r;

	t_arm(test, &plan, "fail 2 0x7 4");
	KUNIT_EXPECT_FALSE(test, sevfw_fault_match(&plan, 4, &r));
	KUNIT_EXPECT_FALSE(test, sevfw_fault_match(&plan, 5, &r));
	KUNIT_EXPECT_FALSE(test, sevfw_fault_match(&plan, 0x30, &r));
	KUNIT_EXPECT_EQ(test, plan.rules[0].count, 1);
	KUNIT_ASSERT_TRUE(test, sevfw_fault_match(&plan, 4, &r));
	KUNIT_EXPECT_EQ(test, r.kind, SEVFW_FAULT_FAIL);
	KUNIT_EXPECT_EQ(test, r.arg, 7);
	KUNIT_EXPECT_EQ(test, plan.nr, 0);
	KUNIT_EXPECT_EQ(test, plan.injected[SEVFW_FAULT_FAIL], 1);
	KUNIT_EXPECT_FALSE(test, sevfw_fault_match(&plan, 4, &r));
}

/* Rules due on the same command fire one per command, earliest first */
static void sevfw_fault_test_match_order(struct kunit *test)
{
	struct sevfw_fault_plan plan = {};
	struct sevfw_fault_rule r;

	t_arm(test, &plan, "hang 1");
	t_arm(test, &plan, "corrupt 1");
	t_arm(test, &plan, "delay 2 10");
	t_arm(test, &plan, "fail 1 0x3 0x99");

	KUNIT_ASSERT_TRUE(test, sevfw_fault_match(&plan, 1, &r));
	KUNIT_EXPECT_EQ(test, r.kind, SEVFW_FAULT_HANG);
	KUNIT_ASSERT_TRUE(test, sevfw_fault_match(&plan, 1, &r));
	KUNIT_EXPECT_EQ(test, r.kind, SEVFW_FAULT_CORRUPT);
	KUNIT_ASSERT_TRUE(test, sevfw_fault_match(&plan, 1, &r));
	KUNIT_EXPECT_EQ(test, r.kind, SEVFW_FAULT_DELAY);
	KUNIT_EXPECT_EQ(test, r.arg, 10);
	KUNIT_EXPECT_FALSE(test, sevfw_fault_match(&plan, 1, &r));
	KUNIT_ASSERT_EQ(test, plan.nr, 1);
	KUNIT_ASSERT_TRUE(test, sevfw_fault_match(&plan, 0x99, &r));
	KUNIT_EXPECT_EQ(test, r.kind, SEVFW_FAULT_FAIL);
	KUNIT_EXPECT_EQ(test, plan.nr, 0);
	KUNIT_EXPECT_EQ(test, plan.injected[SEVFW_FAULT_FAIL], 1);
	KUNIT_EXPECT_EQ(test, plan.injected[SEVFW_FAULT_DELAY], 1);
	KUNIT_EXPECT_EQ(test, plan.injected[SEVFW_FAULT_HANG], 1);
	KUNIT_EXPECT_EQ(test, plan.injected[SEVFW_FAULT_CORRUPT], 1);
}

static void sevfw_fault_test_arm_full(struct kunit *test)
{
	struct sevfw_fault_plan plan = {};
	struct sevfw_fault_rule r = { SEVFW_FAULT_HANG, 1,
				      SEVFW_FAULT_ANY_CMD, 0 };
	unsigned int i;

	for (i = 0; i < SEVFW_FAULT_SLOTS; i++)
		KUNIT_EXPECT_EQ(test, sevfw_fault_arm(&plan, &r), 0);
	KUNIT_EXPECT_EQ(test, sevfw_fault_arm(&plan, &r), -ENOSPC);
	KUNIT_EXPECT_EQ(test, plan.nr, SEVFW_FAULT_SLOTS);
}

static void sevfw_fault_test_invert(struct kunit *test)
{
	u8 buf[4] = { 0x00, 0xff, 0x5a, 0x81 };
	static const u8 want[4] = { 0xff, 0x00, 0xa5, 0x7e };

	sevfw_fault_invert(buf, sizeof(buf));
	KUNIT_EXPECT_EQ(test, memcmp(buf, want, sizeof(buf)), 0);
}

static struct sevfw_fault *t_fault(struct kunit *test)
{
	struct sevfw_fault *f = tu_alloc(test, sizeof(*f));

	sevfw_fault_init(f);
	return f;
}

/* fail: not executed, the status reported, the buffer left alone */
static void sevfw_fault_test_exec_fail(struct kunit *test)
{
	struct sevfw *fw = tu_fw(test, SEVFW_MEM_TRANSPARENT, 1);
	struct sev_user_data_status *st = tu_alloc(test, sizeof(*st));
	struct sevfw_fault *f = t_fault(test);
	u16 status = 0;

	memset(st, 0x5a, sizeof(*st));
	KUNIT_ASSERT_EQ(test, sevfw_fault_write_line(f, "fail 1 0x13 0x4"), 0);
	KUNIT_EXPECT_TRUE(test, sevfw_fault_execute(f, fw,
						    SEV_CMD_PLATFORM_STATUS,
						    tu_pa(st), &status));
	KUNIT_EXPECT_EQ(test, status, 0x13);
	KUNIT_EXPECT_EQ(test, st->build, 0x5a);
	KUNIT_EXPECT_EQ(test, fw->cmd_count[SEV_CMD_PLATFORM_STATUS], 0);

	/* disarmed: the next one runs */
	KUNIT_EXPECT_TRUE(test, sevfw_fault_execute(f, fw,
						    SEV_CMD_PLATFORM_STATUS,
						    tu_pa(st), &status));
	KUNIT_EXPECT_EQ(test, status, SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, st->build, TU_BUILD);
	KUNIT_EXPECT_EQ(test, f->plan.injected[SEVFW_FAULT_FAIL], 1);
}

/* corrupt: executed, then the written-back buffer inverted */
static void sevfw_fault_test_exec_corrupt(struct kunit *test)
{
	struct sevfw *fw = tu_fw(test, SEVFW_MEM_TRANSPARENT, 2);
	struct sev_user_data_status *good = tu_alloc(test, sizeof(*good));
	struct sev_user_data_status *bad = tu_alloc(test, sizeof(*bad));
	struct sevfw_fault *f = t_fault(test);
	u16 status = 0xffff;

	KUNIT_ASSERT_EQ(test, tu_cmd(fw, SEV_CMD_PLATFORM_STATUS, good),
			SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, sevfw_fault_write_line(f, "corrupt 1"), 0);
	KUNIT_EXPECT_TRUE(test, sevfw_fault_execute(f, fw,
						    SEV_CMD_PLATFORM_STATUS,
						    tu_pa(bad), &status));
	KUNIT_EXPECT_EQ(test, status, SEV_RET_SUCCESS);
	sevfw_fault_invert(bad, sizeof(*bad));
	KUNIT_EXPECT_EQ(test, memcmp(good, bad, sizeof(*bad)), 0);
	KUNIT_EXPECT_EQ(test, fw->cmd_count[SEV_CMD_PLATFORM_STATUS], 2);
}

/* delay: executed after at least the delay */
static void sevfw_fault_test_exec_delay(struct kunit *test)
{
	struct sevfw *fw = tu_fw(test, SEVFW_MEM_TRANSPARENT, 3);
	struct sev_user_data_status *st = tu_alloc(test, sizeof(*st));
	struct sevfw_fault *f = t_fault(test);
	unsigned long start = jiffies;
	u16 status = 0xffff;

	KUNIT_ASSERT_EQ(test, sevfw_fault_write_line(f, "delay 1 60"), 0);
	KUNIT_EXPECT_TRUE(test, sevfw_fault_execute(f, fw,
						    SEV_CMD_PLATFORM_STATUS,
						    tu_pa(st), &status));
	KUNIT_EXPECT_GE(test, jiffies_to_msecs(jiffies - start), 60);
	KUNIT_EXPECT_EQ(test, status, SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, st->build, TU_BUILD);
	KUNIT_EXPECT_EQ(test, f->held, 0);
	KUNIT_EXPECT_EQ(test, f->abandoned, 0);
}

struct t_hang {
	struct work_struct work;
	struct sevfw_fault *f;
	struct sevfw *fw;
	void *buf;
	u16 status;
	bool answered;
};

static void t_hang_work(struct work_struct *work)
{
	struct t_hang *h = container_of(work, struct t_hang, work);

	h->answered = sevfw_fault_execute(h->f, h->fw, SEV_CMD_PLATFORM_STATUS,
					  tu_pa(h->buf), &h->status);
}

static unsigned int t_held(struct sevfw_fault *f)
{
	unsigned int held;

	mutex_lock(&f->lock);
	held = f->held;
	mutex_unlock(&f->lock);
	return held;
}

/* hang: held until "clear", then dropped unexecuted and unanswered */
static void sevfw_fault_test_exec_hang(struct kunit *test)
{
	struct t_hang *h = tu_alloc(test, sizeof(*h));
	int i;

	h->f = t_fault(test);
	h->fw = tu_fw(test, SEVFW_MEM_TRANSPARENT, 4);
	h->buf = tu_alloc(test, sizeof(struct sev_user_data_status));
	h->status = 0xabcd;
	INIT_WORK(&h->work, t_hang_work);

	KUNIT_ASSERT_EQ(test, sevfw_fault_write_line(h->f, "hang 1 4"), 0);
	schedule_work(&h->work);
	for (i = 0; i < 100 && !t_held(h->f); i++)
		msleep(20);
	KUNIT_ASSERT_EQ(test, t_held(h->f), 1);
	msleep(50);
	KUNIT_EXPECT_EQ(test, t_held(h->f), 1);

	KUNIT_EXPECT_EQ(test, sevfw_fault_write_line(h->f, "clear\n"), 0);
	flush_work(&h->work);
	KUNIT_EXPECT_FALSE(test, h->answered);
	KUNIT_EXPECT_EQ(test, h->status, 0xabcd);
	KUNIT_EXPECT_EQ(test, h->f->held, 0);
	KUNIT_EXPECT_EQ(test, h->f->abandoned, 1);
	KUNIT_EXPECT_EQ(test, h->f->plan.injected[SEVFW_FAULT_HANG], 1);
	KUNIT_EXPECT_EQ(test, h->fw->cmd_count[SEV_CMD_PLATFORM_STATUS], 0);
}

/* "clear" disarms; after close nothing can be armed and commands run */
static void sevfw_fault_test_clear_close(struct kunit *test)
{
	struct sevfw *fw = tu_fw(test, SEVFW_MEM_TRANSPARENT, 5);
	struct sev_user_data_status *st = tu_alloc(test, sizeof(*st));
	struct sevfw_fault *f = t_fault(test);
	u16 status = 0xffff;

	KUNIT_ASSERT_EQ(test, sevfw_fault_write_line(f, "fail 1 5"), 0);
	KUNIT_ASSERT_EQ(test, sevfw_fault_write_line(f, "hang 2"), 0);
	KUNIT_EXPECT_EQ(test, f->plan.nr, 2);
	KUNIT_EXPECT_EQ(test, sevfw_fault_write_line(f, "fail 1"), -EINVAL);
	KUNIT_EXPECT_EQ(test, sevfw_fault_write_line(f, "clear"), 0);
	KUNIT_EXPECT_EQ(test, f->plan.nr, 0);

	KUNIT_ASSERT_EQ(test, sevfw_fault_write_line(f, "fail 1 5"), 0);
	sevfw_fault_close(f);
	KUNIT_EXPECT_EQ(test, f->plan.nr, 0);
	KUNIT_EXPECT_EQ(test, sevfw_fault_write_line(f, "fail 1 5"), -ENODEV);
	KUNIT_EXPECT_TRUE(test, sevfw_fault_execute(f, fw,
						    SEV_CMD_PLATFORM_STATUS,
						    tu_pa(st), &status));
	KUNIT_EXPECT_EQ(test, status, SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->plan.injected[SEVFW_FAULT_FAIL], 0);
}

static struct kunit_case sevfw_fault_cases[] = {
	KUNIT_CASE(sevfw_fault_test_parse_valid),
	KUNIT_CASE(sevfw_fault_test_parse_invalid),
	KUNIT_CASE(sevfw_fault_test_format),
	KUNIT_CASE(sevfw_fault_test_match_count),
	KUNIT_CASE(sevfw_fault_test_match_order),
	KUNIT_CASE(sevfw_fault_test_arm_full),
	KUNIT_CASE(sevfw_fault_test_invert),
	KUNIT_CASE(sevfw_fault_test_exec_fail),
	KUNIT_CASE(sevfw_fault_test_exec_corrupt),
	KUNIT_CASE(sevfw_fault_test_exec_delay),
	KUNIT_CASE(sevfw_fault_test_exec_hang),
	KUNIT_CASE(sevfw_fault_test_clear_close),
	{}
};

static struct kunit_suite sevfw_fault_suite = {
	.name = "sevfw-fault",
	.test_cases = sevfw_fault_cases,
};

kunit_test_suite(sevfw_fault_suite);

MODULE_LICENSE("GPL");
