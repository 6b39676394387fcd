// SPDX-License-Identifier: GPL-2.0-only
/*
 * sev-bench: command line. Runs the named benchmarks in the VM, each
 * after a warm-up, and prints one "BENCH {json}" line per figure.
 *
 *   sev-bench [--smoke] [--reps N] BENCH...
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

static const struct {
	const char *name;
	int (*fn)(void);
} benches[] = {
	{ "cmd", bench_cmd },
	{ "kvm", bench_kvm_cmd },
	{ "launch", bench_launch },
	{ "coalesce", bench_coalesce },
	{ "pin", bench_pin },
	{ "asid", bench_asid },
	{ "asidall-small", bench_asidall_small },
	{ "asidall", bench_asidall },
	{ "asidall-es", bench_asidall_es },
	{ "dbg", bench_dbg },
	{ "scale", bench_scale },
	{ "procs", bench_procs },
};

static void usage(void)
{
	unsigned int i;

	fputs("sev-bench [--smoke] [--reps N] BENCH...\nbenchmarks:", stderr);
	for (i = 0; i < ARRAY_SIZE(benches); i++)
		fprintf(stderr, " %s", benches[i].name);
	fputc('\n', stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned int i;
	int a, ran = 0;

	for (a = 1; a < argc && argv[a][0] == '-'; a++) {
		if (!strcmp(argv[a], "--smoke")) {
			opts.smoke = true;
			opts.scale = 16;
		} else if (!strcmp(argv[a], "--reps") && a + 1 < argc) {
			opts.reps = strtoul(argv[++a], NULL, 10);
			if (!opts.reps || opts.reps > MAX_REPS)
				usage();
		} else {
			usage();
		}
	}
	if (a == argc)
		usage();
	for (; a < argc; a++) {
		for (i = 0; i < ARRAY_SIZE(benches); i++)
			if (!strcmp(argv[a], benches[i].name))
				break;
		if (i == ARRAY_SIZE(benches))
			usage();
		fprintf(stderr, "sev-bench: %s\n", argv[a]);
		if (benches[i].fn())
			return 1;
		ran++;
	}
	return ran ? 0 : 1;
}
