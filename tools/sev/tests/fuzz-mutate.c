// SPDX-License-Identifier: GPL-2.0-only
/*
 * Seeded mutation fuzzer for the SEV parsers (used where libFuzzer is not
 * available, and under valgrind): mutates seed files with bit flips, byte
 * writes, truncation, extension and interesting values for a bounded time
 * or number of iterations.
 *
 * Usage: fuzz-mutate [-t SECONDS] [-n ITERATIONS] [-s SEED] FILE...
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fuzz.h"
#include "util.h"

#define MAX_INPUT	0x4000

static u64 rng_state;

static u64 rng(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static size_t pick(size_t n)
{
	return n ? (size_t)(rng() % n) : 0;
}

static size_t mutate(u8 *buf, size_t len)
{
	static const u32 interesting[] = {
		0, 1, 2, 0x13, 0x80, 0xff, 0x1000, 0x1001, 0x1002, 0x1003,
		0x1004, 0x101, 0x800, 0x1000, 0x824, 0xffffffff, 0x7fffffff,
	};
	int rounds = 1 + (int)pick(4), i;
	size_t pos, n;

	for (i = 0; i < rounds; i++) {
		pos = pick(len);
		switch (pick(7)) {
		case 0:
			if (len)
				buf[pos] ^= (u8)(1u << pick(8));
			break;
		case 1:
			if (len)
				buf[pos] = (u8)rng();
			break;
		case 2:
			len = pick(len + 1);
			break;
		case 3:
			n = pick(64) + 1;
			while (n-- && len < MAX_INPUT)
				buf[len++] = (u8)rng();
			break;
		case 4:
			if (len >= 4)
				sev_put_le32(buf + (pick(len - 3) & ~3UL),
					     interesting[pick(ARRAY_SIZE(interesting))]);
			break;
		case 5:
			n = pick(len - pos + 1);
			memset(buf + pos, pick(2) ? 0 : 0xff, n);
			break;
		default:
			if (len && len + 1 <= MAX_INPUT) {
				memmove(buf + pos + 1, buf + pos, len - pos);
				len++;
			}
			break;
		}
	}
	return len;
}

int main(int argc, char **argv)
{
	unsigned long seconds = 10, iters = 0, seed = (unsigned long)time(NULL);
	size_t *lens, len;
	u8 **seeds, *buf;
	unsigned long done = 0;
	time_t end;
	int c, n, i;

	while ((c = getopt(argc, argv, "t:n:s:")) != -1) {
		switch (c) {
		case 't':
			seconds = strtoul(optarg, NULL, 0);
			break;
		case 'n':
			iters = strtoul(optarg, NULL, 0);
			break;
		case 's':
			seed = strtoul(optarg, NULL, 0);
			break;
		default:
			fprintf(stderr, "usage: %s %s\n", argv[0],
				"[-t SECONDS] [-n ITERATIONS] [-s SEED] FILE...");
			return 2;
		}
	}
	n = argc - optind;
	if (n < 1) {
		fprintf(stderr, "%s: no seed files\n", argv[0]);
		return 2;
	}
	seeds = calloc((size_t)n, sizeof(*seeds));
	lens = calloc((size_t)n, sizeof(*lens));
	buf = calloc(1, MAX_INPUT);
	if (!seeds || !lens || !buf)
		return 3;
	for (i = 0; i < n; i++) {
		if (sev_read_file(argv[optind + i], MAX_INPUT, &seeds[i],
				  &lens[i])) {
			fprintf(stderr, "%s: %s\n", argv[0], sev_errmsg());
			return 3;
		}
	}
	rng_state = seed ? seed : 1;
	printf("fuzz-mutate: seed %lu, %d seed files\n", seed, n);
	fflush(stdout);
	/* every seed unmodified first */
	for (i = 0; i < n; i++)
		fuzz_one(seeds[i], lens[i]);
	end = time(NULL) + (time_t)seconds;
	while (iters ? done < iters : time(NULL) < end) {
		i = (int)pick((size_t)n);
		memcpy(buf, seeds[i], lens[i]);
		len = mutate(buf, lens[i]);
		fuzz_one(buf, len);
		done++;
	}
	printf("fuzz-mutate: %lu inputs, no crash\n", done);
	for (i = 0; i < n; i++)
		free(seeds[i]);
	free(seeds);
	free(lens);
	free(buf);
	return 0;
}
