// SPDX-License-Identifier: GPL-2.0-only
/*
 * abi_check - compare the project's uapi psp-sev.h with the distribution's:
 * every enum constant, #define, struct size and member offset and size must
 * exist in both headers and have the same value.
 */

#include <stdio.h>
#include <string.h>
#include "abi_table.h"
#include "tap.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Facts the extraction must have found, so a broken generator can't pass */
static const char * const required[] = {
	"SEV_ISSUE_CMD",
	"SEV_FACTORY_RESET",
	"SEV_GET_ID2",
	"SEV_MAX",
	"SEV_RET_NO_FW_CALL",
	"SEV_RET_SUCCESS",
	"SEV_RET_SECURE_DATA_INVALID",
	"SEV_RET_MAX",
	"SEV_STATUS_FLAGS_CONFIG_ES",
	"sizeof(struct sev_issue_cmd)",
	"offsetof(struct sev_issue_cmd, error)",
	"sizeof(struct sev_user_data_status)",
	"offsetof(struct sev_user_data_status, guest_count)",
	"sizeof(struct sev_user_data_pdh_cert_export)",
	"sizeof(struct sev_user_data_pek_cert_import)",
	"sizeof(struct sev_user_data_get_id)",
	"sizeof(struct sev_user_data_get_id2)",
	"sizeof(struct sev_user_data_pek_csr)",
};

/* Values the ABI is known to have (upstream Linux 6.1) */
static const struct abi_entry known[] = {
	{ "SEV_ISSUE_CMD", 0xc0105300 },
	{ "SEV_MAX", 9 },
	{ "SEV_RET_MAX", 0x19 },
	{ "SEV_STATUS_FLAGS_CONFIG_ES", 0x100 },
	{ "sizeof(struct sev_issue_cmd)", 16 },
	{ "sizeof(struct sev_user_data_status)", 12 },
};

static const struct abi_entry *find(const struct abi_entry *t, size_t n,
				    const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(t[i].name, name))
			return &t[i];
	return NULL;
}

static const struct abi_entry *ours(const char *name)
{
	return find(abi_ours, abi_ours_count, name);
}

static const struct abi_entry *distro(const char *name)
{
	return find(abi_distro, abi_distro_count, name);
}

int main(void)
{
	const struct abi_entry *o, *d;
	unsigned int only_distro = 0;
	size_t i;

	for (i = 0; i < abi_distro_count; i++)
		if (!ours(abi_distro[i].name))
			only_distro++;

	tap_plan(ARRAY_SIZE(required) + ARRAY_SIZE(known) + abi_ours_count +
		 only_distro);
	tap_diag("ours:   %s (%zu facts)", abi_ours_header, abi_ours_count);
	tap_diag("distro: %s (%zu facts)", abi_distro_header, abi_distro_count);

	for (i = 0; i < ARRAY_SIZE(required); i++)
		tap_result(ours(required[i]) && distro(required[i]),
			   "extracted %s from both headers", required[i]);

	for (i = 0; i < ARRAY_SIZE(known); i++) {
		o = ours(known[i].name);
		tap_result(o && o->value == known[i].value,
			   "%s is %#llx as in Linux 6.1 (ours: %#llx)",
			   known[i].name, known[i].value, o ? o->value : -1LL);
	}

	for (i = 0; i < abi_ours_count; i++) {
		o = &abi_ours[i];
		d = distro(o->name);
		if (!d)
			tap_result(false, "%s: missing from the distribution's header",
				   o->name);
		else
			tap_result(o->value == d->value, "%s = %lld (distro %lld)",
				   o->name, o->value, d->value);
	}

	for (i = 0; i < abi_distro_count; i++)
		if (!ours(abi_distro[i].name))
			tap_result(false, "%s: missing from the project's header",
				   abi_distro[i].name);

	return tap_finish();
}
