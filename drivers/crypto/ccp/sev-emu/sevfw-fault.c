// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fault injection for the software SEV firmware: the rule parser and
 * matcher, the command wrapper that applies a fired rule, and the debugfs
 * file "fault" that arms, lists and clears rules.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/debugfs.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "sevfw-internal.h"
#include "sevfw-fault.h"

static const char *const sevfw_fault_names[SEVFW_FAULT_KINDS] = {
	[SEVFW_FAULT_FAIL] = "fail",
	[SEVFW_FAULT_DELAY] = "delay",
	[SEVFW_FAULT_HANG] = "hang",
	[SEVFW_FAULT_CORRUPT] = "corrupt",
};

/* The next blank-separated word of *@s, NUL-terminated in place */
static char *sevfw_fault_word(char **s)
{
	char *word;

	*s = skip_spaces(*s);
	if (!**s)
		return NULL;
	word = *s;
	while (**s && !isspace(**s))
		(*s)++;
	if (**s) {
		**s = '\0';
		(*s)++;
	}
	return word;
}

/* The next word as a number in @min..@max (decimal, 0x hex or 0 octal) */
static int sevfw_fault_number(char **s, u32 min, u32 max, u32 *val)
{
	char *word = sevfw_fault_word(s);

	if (!word || kstrtou32(word, 0, val) || *val < min || *val > max)
		return -EINVAL;
	return 0;
}

/**
 * sevfw_fault_parse - parse one line written to the fault file
 * @line: NUL-terminated; "fail N STATUS [CMD]", "delay N MS [CMD]",
 *	  "hang N [CMD]", "corrupt N [CMD]" or "clear"
 * @rule: receives the rule (zeroed for "clear")
 * @clear: set for "clear"
 *
 * N counts matching commands (1: the next one), STATUS is a firmware
 * status 1..0xffff, MS a delay of 1..SEVFW_FAULT_MAX_DELAY_MS, CMD a command
 * id 0..SEVFW_FAULT_MAX_CMD (any command without it). Numbers are decimal,
 * or hexadecimal with 0x.
 *
 * Return: 0, or -EINVAL for anything else (too long, unknown word, a
 * number out of range, trailing words).
 */
int sevfw_fault_parse(const char *line, struct sevfw_fault_rule *rule,
		      bool *clear)
{
	char buf[SEVFW_FAULT_LINE_MAX + 1], *s = buf, *word;
	size_t n = strnlen(line, sizeof(buf));
	int kind;

	memset(rule, 0, sizeof(*rule));
	*clear = false;
	if (n > SEVFW_FAULT_LINE_MAX)
		return -EINVAL;
	memcpy(buf, line, n);
	buf[n] = '\0';

	word = sevfw_fault_word(&s);
	if (!word)
		return -EINVAL;
	if (!strcmp(word, "clear")) {
		if (sevfw_fault_word(&s))
			return -EINVAL;
		*clear = true;
		return 0;
	}

	kind = match_string(sevfw_fault_names, SEVFW_FAULT_KINDS, word);
	if (kind < 0)
		return -EINVAL;
	rule->kind = kind;
	if (sevfw_fault_number(&s, 1, SEVFW_FAULT_MAX_COUNT, &rule->count))
		return -EINVAL;
	if (kind == SEVFW_FAULT_FAIL &&
	    sevfw_fault_number(&s, 1, U16_MAX, &rule->arg))
		return -EINVAL;
	if (kind == SEVFW_FAULT_DELAY &&
	    sevfw_fault_number(&s, 1, SEVFW_FAULT_MAX_DELAY_MS, &rule->arg))
		return -EINVAL;

	rule->cmd = SEVFW_FAULT_ANY_CMD;
	if (*skip_spaces(s) &&
	    sevfw_fault_number(&s, 0, SEVFW_FAULT_MAX_CMD, &rule->cmd))
		return -EINVAL;
	return *skip_spaces(s) ? -EINVAL : 0;
}

/**
 * sevfw_fault_arm - add a rule after the armed ones
 * @plan: the rule table
 * @rule: a rule sevfw_fault_parse() accepted
 *
 * Return: 0, or -ENOSPC when SEVFW_FAULT_SLOTS rules are armed.
 */
int sevfw_fault_arm(struct sevfw_fault_plan *plan,
		    const struct sevfw_fault_rule *rule)
{
	if (plan->nr >= SEVFW_FAULT_SLOTS)
		return -ENOSPC;
	plan->rules[plan->nr++] = *rule;
	return 0;
}

/**
 * sevfw_fault_match - count a command against the armed rules
 * @plan: the rule table
 * @cmd: the command id
 * @fired: receives the rule that fires
 *
 * Every rule that matches @cmd counts it. A rule fires on the command
 * that brings its count to zero and is then disarmed. When several are
 * due on the same command the earliest armed one fires; the others stay
 * due and fire on the next matching command.
 *
 * Return: true if a rule fired.
 */
bool sevfw_fault_match(struct sevfw_fault_plan *plan, u32 cmd,
		       struct sevfw_fault_rule *fired)
{
	unsigned int i, hit = plan->nr;

	for (i = 0; i < plan->nr; i++) {
		struct sevfw_fault_rule *r = &plan->rules[i];

		if (r->cmd != SEVFW_FAULT_ANY_CMD && r->cmd != cmd)
			continue;
		if (r->count > 1)
			r->count--;
		else if (hit == plan->nr)
			hit = i;
	}
	if (hit == plan->nr)
		return false;

	*fired = plan->rules[hit];
	plan->injected[fired->kind]++;
	memmove(&plan->rules[hit], &plan->rules[hit + 1],
		(plan->nr - hit - 1) * sizeof(plan->rules[0]));
	plan->nr--;
	return true;
}

/**
 * sevfw_fault_format - a rule in the syntax sevfw_fault_parse() reads
 * @rule: the rule; its count is what is left
 * @buf: output
 * @len: size of @buf
 *
 * Return: the length written, without the NUL.
 */
int sevfw_fault_format(const struct sevfw_fault_rule *rule, char *buf,
		       size_t len)
{
	int n;

	n = scnprintf(buf, len, "%s %u", sevfw_fault_names[rule->kind],
		      rule->count);
	if (rule->kind == SEVFW_FAULT_FAIL)
		n += scnprintf(buf + n, len - n, " %#x", rule->arg);
	else if (rule->kind == SEVFW_FAULT_DELAY)
		n += scnprintf(buf + n, len - n, " %u", rule->arg);
	if (rule->cmd != SEVFW_FAULT_ANY_CMD)
		n += scnprintf(buf + n, len - n, " %#x", rule->cmd);
	return n;
}

/**
 * sevfw_fault_invert - the corruption a "corrupt" rule applies
 * @buf: bytes to corrupt in place
 * @len: their number
 *
 * Inverts every bit: lengths and handles become huge, flags all set.
 */
void sevfw_fault_invert(void *buf, size_t len)
{
	u8 *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = ~p[i];
}

/**
 * sevfw_fault_init - no rule armed
 * @f: the state to set up
 */
void sevfw_fault_init(struct sevfw_fault *f)
{
	memset(f, 0, sizeof(*f));
	mutex_init(&f->lock);
	init_waitqueue_head(&f->wait);
}

/* Called with the lock held: let every held command go */
static void sevfw_fault_release_locked(struct sevfw_fault *f)
{
	lockdep_assert_held(&f->lock);
	WRITE_ONCE(f->gen, f->gen + 1);
	wake_up_all(&f->wait);
}

/**
 * sevfw_fault_release - disarm every rule and release held commands
 * @f: the state
 *
 * A delayed command runs at once; a hung one is abandoned: it is never
 * executed and never answered. The injection counters are kept.
 */
void sevfw_fault_release(struct sevfw_fault *f)
{
	mutex_lock(&f->lock);
	f->plan.nr = 0;
	sevfw_fault_release_locked(f);
	mutex_unlock(&f->lock);
}

/**
 * sevfw_fault_idle - no rule is armed
 * @f: the state
 *
 * Read without the lock, for a fast path that skips the rules: a rule
 * armed at the same moment fires on a later matching command instead.
 *
 * Return: true if no rule is armed.
 */
bool sevfw_fault_idle(struct sevfw_fault *f)
{
	return !READ_ONCE(f->plan.nr);
}

/**
 * sevfw_fault_wake - release held commands, keep the armed rules
 * @f: the state
 *
 * For a command the driver gave up on: a delayed one goes on at once (and
 * finds itself cancelled), a hung one is abandoned.
 */
void sevfw_fault_wake(struct sevfw_fault *f)
{
	mutex_lock(&f->lock);
	sevfw_fault_release_locked(f);
	mutex_unlock(&f->lock);
}

/**
 * sevfw_fault_close - release everything and stop injecting for good
 * @f: the state
 *
 * For module exit: afterwards no rule can be armed and no command is held
 * again. The caller then waits for the command in flight.
 */
void sevfw_fault_close(struct sevfw_fault *f)
{
	mutex_lock(&f->lock);
	f->closed = true;
	f->plan.nr = 0;
	sevfw_fault_release_locked(f);
	mutex_unlock(&f->lock);
}

/**
 * sevfw_fault_write_line - arm a rule, or "clear"
 * @f: the state
 * @line: one line in the syntax of sevfw_fault_parse()
 *
 * Return: 0, -EINVAL for a bad line, -ENOSPC with every slot armed,
 * -ENODEV after sevfw_fault_close().
 */
int sevfw_fault_write_line(struct sevfw_fault *f, const char *line)
{
	struct sevfw_fault_rule rule;
	bool clear;
	int ret;

	ret = sevfw_fault_parse(line, &rule, &clear);
	if (ret)
		return ret;
	if (clear) {
		sevfw_fault_release(f);
		return 0;
	}

	mutex_lock(&f->lock);
	ret = f->closed ? -ENODEV : sevfw_fault_arm(&f->plan, &rule);
	mutex_unlock(&f->lock);
	return ret;
}

/*
 * Hold a command until a release after generation @gen, or for @ms
 * milliseconds (0: until the release). TASK_IDLE: a hang is not a hung
 * task. Return: true if a release ended the wait.
 */
static bool sevfw_fault_hold(struct sevfw_fault *f, unsigned long gen,
			     unsigned int ms)
{
	bool released = true;

	if (ms)
		released = wait_event_idle_timeout(f->wait,
						   READ_ONCE(f->gen) != gen,
						   msecs_to_jiffies(ms)) > 0;
	else
		wait_event_idle(f->wait, READ_ONCE(f->gen) != gen);

	mutex_lock(&f->lock);
	f->held--;
	if (!ms)
		f->abandoned++;
	mutex_unlock(&f->lock);
	return released;
}

/* Invert the command buffer the firmware has just written back */
static void sevfw_fault_corrupt(struct sevfw *fw, u32 cmd, u64 buf_pa)
{
	u8 buf[U8_MAX];
	u8 len, wb;

	sevfw_cmd_info(cmd, &len, &wb);
	if (!len || sevfw_mem_read(fw, buf_pa, buf, len))
		return;
	sevfw_fault_invert(buf, len);
	sevfw_mem_write(fw, buf_pa, buf, len);
	memzero_explicit(buf, len);
}

/**
 * sevfw_fault_execute - run a mailbox command through the armed rules
 * @f: the state
 * @fw: the firmware instance
 * @cmd: the command id
 * @buf_pa: physical address of its command buffer
 * @status: receives the status to report
 *
 * Without a rule firing the command just runs. "fail" reports the rule's
 * status without running the command; "delay" runs it after the delay (or
 * at the release); "corrupt" runs it and then inverts its command buffer;
 * "hang" holds it until a release and then drops it.
 *
 * Return: false if the command must never be answered (hang), true if
 * *@status is to be reported.
 */
bool sevfw_fault_execute(struct sevfw_fault *f, struct sevfw *fw, u32 cmd,
			 u64 buf_pa, u16 *status)
{
	struct sevfw_fault_rule r;
	unsigned long gen;
	bool fired;

	mutex_lock(&f->lock);
	fired = !f->closed && sevfw_fault_match(&f->plan, cmd, &r);
	gen = f->gen;
	if (fired && (r.kind == SEVFW_FAULT_DELAY ||
		      r.kind == SEVFW_FAULT_HANG))
		f->held++;
	mutex_unlock(&f->lock);

	if (!fired) {
		*status = sevfw_execute(fw, cmd, buf_pa);
		return true;
	}

	pr_info_ratelimited("injecting \"%s\" into command %#x\n",
			    sevfw_fault_names[r.kind], cmd);
	switch (r.kind) {
	case SEVFW_FAULT_FAIL:
		*status = r.arg;
		return true;
	case SEVFW_FAULT_HANG:
		sevfw_fault_hold(f, gen, 0);
		return false;
	case SEVFW_FAULT_DELAY:
		sevfw_fault_hold(f, gen, r.arg);
		break;
	default:
		break;
	}

	*status = sevfw_execute(fw, cmd, buf_pa);
	if (r.kind == SEVFW_FAULT_CORRUPT)
		sevfw_fault_corrupt(fw, cmd, buf_pa);
	return true;
}

/* ---- debugfs: /sys/kernel/debug/sev-emu/fault ---- */

static int sevfw_fault_show(struct seq_file *m, void *v)
{
	struct sevfw_fault *f = m->private;
	const u64 *n = f->plan.injected;
	char line[SEVFW_FAULT_LINE_MAX];
	unsigned int i;

	mutex_lock(&f->lock);
	for (i = 0; i < f->plan.nr; i++) {
		sevfw_fault_format(&f->plan.rules[i], line, sizeof(line));
		seq_printf(m, "%s\n", line);
	}
	seq_printf(m, "injected: fail %llu delay %llu hang %llu corrupt %llu\n",
		   n[SEVFW_FAULT_FAIL], n[SEVFW_FAULT_DELAY],
		   n[SEVFW_FAULT_HANG], n[SEVFW_FAULT_CORRUPT]);
	seq_printf(m, "held: %u\n", f->held);
	seq_printf(m, "abandoned: %llu\n", f->abandoned);
	mutex_unlock(&f->lock);
	return 0;
}

static int sevfw_fault_open(struct inode *inode, struct file *file)
{
	return single_open(file, sevfw_fault_show, inode->i_private);
}

static ssize_t sevfw_fault_write(struct file *file, const char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	struct seq_file *m = file->private_data;
	char line[SEVFW_FAULT_LINE_MAX + 1];
	int ret;

	if (!count || count > SEVFW_FAULT_LINE_MAX)
		return -EINVAL;
	if (copy_from_user(line, ubuf, count))
		return -EFAULT;
	line[count] = '\0';

	ret = sevfw_fault_write_line(m->private, line);
	return ret ? ret : count;
}

static const struct file_operations sevfw_fault_fops = {
	.owner = THIS_MODULE,
	.open = sevfw_fault_open,
	.read = seq_read,
	.write = sevfw_fault_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/**
 * sevfw_fault_debugfs_init - create the "fault" file
 * @f: the state it controls
 * @dir: the firmware's debugfs directory
 */
void sevfw_fault_debugfs_init(struct sevfw_fault *f, struct dentry *dir)
{
	debugfs_create_file("fault", 0600, dir, f, &sevfw_fault_fops);
}
