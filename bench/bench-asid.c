// SPDX-License-Identifier: GPL-2.0-only
/*
 * sev-bench: ASID recycling. DF_FLUSH commands and wall time of 300 guest
 * launch/destroy cycles over the ASIDs the platform has, against the
 * bound cycles / ASIDs + 1 (one flush frees every ASID waiting for it).
 */

#include <stdio.h>
#include <string.h>

#include "bench.h"

#define GUEST_MEM	(64 * 1024UL)

static unsigned int asid_count(void)
{
	char buf[2048], *p;
	unsigned int min, max;
	FILE *f = fopen("/sys/kernel/debug/kvm_amd_sev/platform", "r");
	size_t n;

	CHECK(f, "open kvm_amd_sev/platform");
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = 0;
	fclose(f);
	p = strstr(buf, "asids:");
	CHECK(p && sscanf(p, "asids: %u - %u", &min, &max) == 2 && max >= min,
	      "no ASID range in kvm_amd_sev/platform");
	return max - min + 1;
}

/* One guest: launched with a page of data, finished, destroyed */
static void cycle(__u8 *mem)
{
	struct sev_vm vm;

	sev_vm_create_mem(&vm, mem, GUEST_MEM);
	CHECK(!sev_vm_region(&vm, true, mem, GUEST_MEM), "REG_REGION");
	sev_launch_start(&vm, 0);
	sev_launch_update(&vm, mem, PAGE_SZ);
	sev_launch_finish(&vm);
	sev_vm_destroy(&vm);
}

int bench_asid(void)
{
	unsigned int cycles = opts.smoke ? 30 : 300;
	unsigned int reps = bench_reps(2), asids = asid_count(), i, c;
	static char id[2][32], what[2][96];
	struct figure f[2] = {
		{ .base = "bound: cycles / ASIDs + 1", .unit = "count" },
		{ .unit = "ms/cycle", .no_base = true },
	};
	__u8 *mem = bench_map(GUEST_MEM);
	long flushes;
	double t;

	snprintf(id[0], sizeof(id[0]), "asid.flushes%u", asids);
	snprintf(id[1], sizeof(id[1]), "asid.time%u", asids);
	snprintf(what[0], sizeof(what[0]), "DF_FLUSH, %u cycles, %u ASIDs",
		 cycles, asids);
	snprintf(what[1], sizeof(what[1]), "launch/destroy cycle, %u ASIDs",
		 asids);
	for (i = 0; i < 2; i++) {
		f[i].id = id[i];
		f[i].what = what[i];
	}
	fill_pattern(mem, GUEST_MEM, 1);
	cycle(mem);
	for (i = 0; i < reps; i++) {
		flushes = psp_cmd_count("DF_FLUSH");
		t = now();
		for (c = 0; c < cycles; c++)
			cycle(mem);
		t = now() - t;
		flushes = psp_cmd_count("DF_FLUSH") - flushes;
		figure_add(&f[0], flushes, cycles / asids + 1);
		figure_add(&f[1], t * 1e3 / cycles, 0);
	}
	snprintf(f[0].note, sizeof(f[0].note),
		 "%u ASIDs (kvm_amd_sev/platform)", asids);
	figure_emit(&f[0]);
	figure_emit(&f[1]);
	bench_unmap(mem, GUEST_MEM);
	return 0;
}
