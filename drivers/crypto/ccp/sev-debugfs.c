// SPDX-License-Identifier: GPL-2.0-only
/*
 * debugfs view of the SEV device: /sys/kernel/debug/sev-psp/{dead,commands,
 * platform,timing} while a mailbox is bound, and sev-psp/quarantine (memory kept
 * for commands that timed out and could not be stopped) always.
 */

#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/seq_file.h>

#include "psp-mbox.h"
#include "sev-dev.h"

static struct dentry *sev_dbg_root;

static int sev_dbg_dead_show(struct seq_file *s, void *unused)
{
	struct sev_device *sev = s->private;

	seq_printf(s, "%c\n", READ_ONCE(sev->mbox->dead) ? 'Y' : 'N');
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sev_dbg_dead);

/* Commands issued since the mailbox was set up, per command id */
static int sev_dbg_commands_show(struct seq_file *s, void *unused)
{
	struct sev_device *sev = s->private;
	unsigned int cmd;
	s64 n;

	for (cmd = 0; cmd < ARRAY_SIZE(sev->mbox->cmd_count); cmd++) {
		n = atomic64_read(&sev->mbox->cmd_count[cmd]);
		if (n)
			seq_printf(s, "%#05x %-22s %lld\n", cmd,
				   psp_cmd_name(cmd), n);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sev_dbg_commands);

static int sev_dbg_platform_show(struct seq_file *s, void *unused)
{
	struct sev_device *sev = s->private;

	seq_printf(s, "backend: %s\n", sev->mbox->name);
	seq_printf(s, "completion: %s\n", sev->mbox->use_irq ? "irq" : "poll");
	seq_printf(s, "api: %u.%u\n", sev->api_major, sev->api_minor);
	seq_printf(s, "build: %u\n", sev->build);
	seq_printf(s, "state: %d\n", sev->state);
	seq_printf(s, "sev-es tmr: %s\n", sev->tmr ? "yes" : "no");
	seq_printf(s, "init: %s\n", sev->nv_buf ? "INIT_EX" : "INIT");
	seq_printf(s, "timeouts: %u\n", READ_ONCE(sev->mbox->timeouts));
	seq_printf(s, "quarantined: %s\n",
		   READ_ONCE(sev->mbox->quarantined) ? "yes" : "no");
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sev_dbg_platform);

/* Where commands' time went since the last reset; a write resets */
static int sev_dbg_timing_show(struct seq_file *s, void *unused)
{
	static const char *const names[PSP_PHASES] = {
		"queue_ns", "issue_ns", "wait_ns", "copyout_ns",
	};
	struct sev_device *sev = s->private;
	unsigned int i;

	seq_printf(s, "commands: %lld\n", atomic64_read(&sev->mbox->timed));
	for (i = 0; i < PSP_PHASES; i++)
		seq_printf(s, "%s: %lld\n", names[i],
			   atomic64_read(&sev->mbox->phase_ns[i]));
	return 0;
}

static int sev_dbg_timing_open(struct inode *inode, struct file *file)
{
	return single_open(file, sev_dbg_timing_show, inode->i_private);
}

static ssize_t sev_dbg_timing_write(struct file *file, const char __user *buf,
				    size_t len, loff_t *ppos)
{
	struct sev_device *sev = file_inode(file)->i_private;

	psp_mbox_timing_reset(sev->mbox);
	return len;
}

static const struct file_operations sev_dbg_timing_fops = {
	.owner = THIS_MODULE,
	.open = sev_dbg_timing_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = sev_dbg_timing_write,
};

static int sev_dbg_quarantine_show(struct seq_file *s, void *unused)
{
	psp_quarantine_show(s);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sev_dbg_quarantine);

void sev_debugfs_add(struct sev_device *sev)
{
	if (!sev_dbg_root)
		return;

	sev->dbg_files[0] = debugfs_create_file("dead", 0444, sev_dbg_root,
						sev, &sev_dbg_dead_fops);
	sev->dbg_files[1] = debugfs_create_file("commands", 0444,
						sev_dbg_root, sev,
						&sev_dbg_commands_fops);
	sev->dbg_files[2] = debugfs_create_file("platform", 0444,
						sev_dbg_root, sev,
						&sev_dbg_platform_fops);
	sev->dbg_files[3] = debugfs_create_file("timing", 0600, sev_dbg_root,
						sev, &sev_dbg_timing_fops);
}

void sev_debugfs_remove(struct sev_device *sev)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sev->dbg_files); i++) {
		debugfs_remove(sev->dbg_files[i]);
		sev->dbg_files[i] = NULL;
	}
}

void sev_debugfs_init(void)
{
	sev_dbg_root = debugfs_create_dir("sev-psp", NULL);
	debugfs_create_file("quarantine", 0444, sev_dbg_root, NULL,
			    &sev_dbg_quarantine_fops);
}

void sev_debugfs_exit(void)
{
	debugfs_remove_recursive(sev_dbg_root);
	sev_dbg_root = NULL;
}
