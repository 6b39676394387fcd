// SPDX-License-Identifier: GPL-2.0-only
/*
 * debugfs view of a software SEV firmware instance: platform state,
 * versions, owner flag, guests, ASID states and command counters.
 */

#include <linux/debugfs.h>
#include <linux/psp-sev.h>
#include <linux/seq_file.h>

#include "sevfw-internal.h"

static const char *const sevfw_state_names[] = {
	[SEV_STATE_UNINIT] = "UNINIT",
	[SEV_STATE_INIT] = "INIT",
	[SEV_STATE_WORKING] = "WORKING",
};

static const char *const sevfw_asid_names[] = {
	[SEVFW_ASID_INVALID] = "invalid",
	[SEVFW_ASID_DIRTY] = "dirty",
	[SEVFW_ASID_CLEAN] = "clean",
	[SEVFW_ASID_ALLOCATED] = "allocated",
	[SEVFW_ASID_IN_USE] = "in-use",
};

/**
 * sevfw_platform_show - the "platform" file: one "key: value" line each
 * @m: seq_file whose private data is the instance
 * @v: unused
 *
 * Return: 0.
 */
int sevfw_platform_show(struct seq_file *m, void *v)
{
	struct sevfw *fw = m->private;
	bool up;

	mutex_lock(&fw->lock);
	up = fw->state != SEV_STATE_UNINIT;
	seq_printf(m, "state: %s\n", fw->state < ARRAY_SIZE(sevfw_state_names) ?
		   sevfw_state_names[fw->state] : "?");
	seq_printf(m, "api: %u.%u\n", fw->p.api_major, fw->p.api_minor);
	seq_printf(m, "build: %u\n", fw->p.build);
	seq_printf(m, "owner: %s\n", !up ? "-" :
		   fw->id.owned ? "external" : "self");
	seq_printf(m, "config_es: %u\n", !!(fw->config & SEV_INIT_FLAGS_SEV_ES));
	seq_printf(m, "guests: %u of %u\n", fw->guest_count, fw->p.max_guests);
	seq_printf(m, "asids: 1..%u, sev from %u\n", fw->p.max_asid,
		   fw->p.min_sev_asid);
	seq_printf(m, "cbit: %u\n", fw->p.cbit);
	seq_printf(m, "mem_mode: %s\n", fw->p.mem_mode == SEVFW_MEM_OPAQUE ?
		   "opaque" : "transparent");
	seq_printf(m, "crypto: xts %s, launch digest %s\n",
		   sevfw_accel_aes_driver(fw->accel),
		   sevfw_accel_sha_driver(fw->accel));
	if (!up)
		seq_puts(m, "nv_store: -\n");
	else if (fw->nv_pa)
		seq_printf(m, "nv_store: external 0x%llx\n", fw->nv_pa);
	else
		seq_puts(m, "nv_store: internal\n");
	if (fw->config & SEV_INIT_FLAGS_SEV_ES) {
		seq_printf(m, "tmr: 0x%llx+0x%x\n", fw->tmr_pa, fw->tmr_len);
		seq_printf(m, "es_vmsa_records: %u of %u\n", fw->vmsa_nrecs,
			   fw->p.es_vcpu_slots ? fw->p.es_vcpu_slots :
						 SEVFW_ES_SLOTS_DEFAULT);
	}
	mutex_unlock(&fw->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sevfw_platform);

/* One line per run of ASIDs in the same state and bound to the same guest */
static int sevfw_asids_show(struct seq_file *m, void *v)
{
	struct sevfw *fw = m->private;
	u32 start, asid;

	mutex_lock(&fw->lock);
	for (start = 1; start <= fw->p.max_asid; start = asid) {
		u8 st = fw->asid_state[start];
		u32 h = fw->asid_handle[start];

		for (asid = start + 1; asid <= fw->p.max_asid; asid++)
			if (fw->asid_state[asid] != st ||
			    fw->asid_handle[asid] != h)
				break;
		seq_printf(m, "%u-%u: %s", start, asid - 1,
			   st < ARRAY_SIZE(sevfw_asid_names) ?
			   sevfw_asid_names[st] : "?");
		if (h)
			seq_printf(m, " handle %u", h);
		seq_putc(m, '\n');
	}
	mutex_unlock(&fw->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sevfw_asids);

static const char *const sevfw_gstate_names[] = {
	[SEVFW_GSTATE_INVALID] = "-",
	[SEVFW_GSTATE_LUPDATE] = "LUPDATE",
	[SEVFW_GSTATE_LSECRET] = "LSECRET",
	[SEVFW_GSTATE_RUNNING] = "RUNNING",
	[SEVFW_GSTATE_SUPDATE] = "SUPDATE",
	[SEVFW_GSTATE_RUPDATE] = "RUPDATE",
	[SEVFW_GSTATE_SENT] = "SENT",
};

/* One line per live guest context; no key material */
static int sevfw_guests_show(struct seq_file *m, void *v)
{
	struct sevfw *fw = m->private;
	u32 i;

	mutex_lock(&fw->lock);
	seq_puts(m, "handle asid asid_state state policy es\n");
	for (i = 0; i < fw->p.max_guests; i++) {
		const struct sevfw_guest *g = fw->guests[i];
		const char *ast = "-", *gst = "?";

		if (!g)
			continue;
		if (g->asid && fw->asid_state[g->asid] <
			       ARRAY_SIZE(sevfw_asid_names))
			ast = sevfw_asid_names[fw->asid_state[g->asid]];
		if (g->state < ARRAY_SIZE(sevfw_gstate_names))
			gst = sevfw_gstate_names[g->state];
		seq_printf(m, "%u %u %s %s 0x%08x %u\n", g->handle, g->asid,
			   ast, gst, g->policy, g->es);
	}
	mutex_unlock(&fw->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sevfw_guests);

/**
 * sevfw_commands_show - the "commands" file: one line per command id run
 * @m: seq_file whose private data is the instance
 * @v: unused
 *
 * Ids from SEVFW_CMD_SLOTS up share the last line, "other". Only their
 * number is counted (none of them is a command, each one is refused with
 * INVALID_COMMAND), so its failed column is "-".
 *
 * Return: 0.
 */
int sevfw_commands_show(struct seq_file *m, void *v)
{
	struct sevfw *fw = m->private;
	u32 id;

	mutex_lock(&fw->lock);
	seq_puts(m, "id count failed\n");
	for (id = 0; id < SEVFW_CMD_SLOTS; id++)
		if (fw->cmd_count[id])
			seq_printf(m, "0x%02x %llu %llu\n", id,
				   fw->cmd_count[id], fw->cmd_fail[id]);
	if (fw->cmd_other)
		seq_printf(m, "other %llu -\n", fw->cmd_other);
	mutex_unlock(&fw->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sevfw_commands);

void sevfw_debugfs_init(struct sevfw *fw, struct dentry *dir)
{
	debugfs_create_file("platform", 0400, dir, fw, &sevfw_platform_fops);
	debugfs_create_file("asids", 0400, dir, fw, &sevfw_asids_fops);
	debugfs_create_file("guests", 0400, dir, fw, &sevfw_guests_fops);
	debugfs_create_file("commands", 0400, dir, fw, &sevfw_commands_fops);
}
