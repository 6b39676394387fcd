/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Fault injection for the software SEV firmware: rules armed through
 * debugfs fail, delay, hang or corrupt the Nth matching mailbox command.
 *
 * The rule table and its parser are plain data (struct sevfw_fault_plan),
 * tested under KUnit; struct sevfw_fault adds the lock, the wait queue that
 * holds delayed and hung commands, and the debugfs file.
 */

#ifndef _SEVFW_FAULT_H
#define _SEVFW_FAULT_H

#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/wait.h>

struct dentry;
struct sevfw;

enum sevfw_fault_kind {
	SEVFW_FAULT_FAIL,	/* not executed; the rule's status returned */
	SEVFW_FAULT_DELAY,	/* executed after the rule's delay */
	SEVFW_FAULT_HANG,	/* never completed */
	SEVFW_FAULT_CORRUPT,	/* executed, then its buffer bit-inverted */
	SEVFW_FAULT_KINDS,
};

/* Rule matching every command id */
#define SEVFW_FAULT_ANY_CMD	U32_MAX
/* Command ids fit the mailbox's 11-bit CMDRESP field */
#define SEVFW_FAULT_MAX_CMD	0x7ff
#define SEVFW_FAULT_MAX_COUNT	1000000
#define SEVFW_FAULT_MAX_DELAY_MS 600000
#define SEVFW_FAULT_SLOTS	16
/* Longest line the debugfs file accepts */
#define SEVFW_FAULT_LINE_MAX	64

/**
 * struct sevfw_fault_rule - one armed fault
 * @kind: what happens to the command it fires on
 * @count: matching commands until it fires (1: the next one)
 * @cmd: the command id it matches, or SEVFW_FAULT_ANY_CMD
 * @arg: SEVFW_FAULT_FAIL: the status (1..0xffff); SEVFW_FAULT_DELAY: the
 *	 delay in milliseconds; otherwise 0
 */
struct sevfw_fault_rule {
	enum sevfw_fault_kind kind;
	u32 count;
	u32 cmd;
	u32 arg;
};

/**
 * struct sevfw_fault_plan - the armed rules, in arming order
 * @rules: the rules
 * @nr: how many of @rules are armed
 * @injected: faults injected so far, per kind
 */
struct sevfw_fault_plan {
	struct sevfw_fault_rule rules[SEVFW_FAULT_SLOTS];
	unsigned int nr;
	u64 injected[SEVFW_FAULT_KINDS];
};

/**
 * struct sevfw_fault - fault injection state of one firmware instance
 * @lock: guards @plan, @gen, @closed, @held and @abandoned
 * @plan: the armed rules and counters
 * @wait: delayed and hung commands wait here for a release
 * @gen: bumped by every release ("clear", close, an aborted command)
 * @closed: no rule fires any more (the module is going away)
 * @held: commands held by a delay or hang right now
 * @abandoned: hung commands dropped by a release
 */
struct sevfw_fault {
	struct mutex lock;	/* the plan and the release state */
	struct sevfw_fault_plan plan;
	wait_queue_head_t wait;
	unsigned long gen;
	bool closed;
	unsigned int held;
	u64 abandoned;
};

/* Parsing and matching (no locking) */
int sevfw_fault_parse(const char *line, struct sevfw_fault_rule *rule,
		      bool *clear);
int sevfw_fault_arm(struct sevfw_fault_plan *plan,
		    const struct sevfw_fault_rule *rule);
bool sevfw_fault_match(struct sevfw_fault_plan *plan, u32 cmd,
		       struct sevfw_fault_rule *fired);
int sevfw_fault_format(const struct sevfw_fault_rule *rule, char *buf,
		       size_t len);
void sevfw_fault_invert(void *buf, size_t len);

/* Runtime */
void sevfw_fault_init(struct sevfw_fault *f);
int sevfw_fault_write_line(struct sevfw_fault *f, const char *line);
void sevfw_fault_release(struct sevfw_fault *f);
bool sevfw_fault_idle(struct sevfw_fault *f);
void sevfw_fault_wake(struct sevfw_fault *f);
void sevfw_fault_close(struct sevfw_fault *f);
bool sevfw_fault_execute(struct sevfw_fault *f, struct sevfw *fw, u32 cmd,
			 u64 buf_pa, u16 *status);
void sevfw_fault_debugfs_init(struct sevfw_fault *f, struct dentry *dir);

#endif /* _SEVFW_FAULT_H */
