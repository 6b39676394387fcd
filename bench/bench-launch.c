// SPDX-License-Identifier: GPL-2.0-only
/*
 * sev-bench: the launch data path. LAUNCH_UPDATE_DATA over 256 MiB against
 * OpenSSL on the same bytes (SHA-256 in transparent mode, AES-128 plus
 * SHA-256 in opaque mode), the firmware commands it issues against the
 * physically contiguous runs of the range, and the whole launch for
 * guests of 16 MiB, 256 MiB and 1 GiB.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <openssl/evp.h>

#include "bench.h"

#define SEV_CMD_ID_LAUNCH_UPDATE_DATA	0x31
#define CHUNK				MIB

/* The sev-emu memory mode: true when guest memory holds ciphertext */
static bool fw_opaque(void)
{
	char buf[2048];
	FILE *f = fopen("/sys/kernel/debug/sev-emu/platform", "r");
	size_t n;

	CHECK(f, "open sev-emu/platform: %s", strerror(errno));
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = 0;
	fclose(f);
	CHECK(strstr(buf, "mem_mode: "), "sev-emu/platform has no mem_mode");
	return strstr(buf, "mem_mode: opaque");
}

/*
 * What userspace pays for the same bytes: SHA-256, and in opaque mode
 * AES-128 (CTR) encryption in place as well, a MiB at a time
 */
static void openssl_pass(__u8 *p, size_t len, bool encrypt)
{
	static const __u8 key[16] = { 1, 2, 3 }, iv[16] = { 4, 5, 6 };
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	__u8 digest[32];
	unsigned int dlen;
	size_t off, n;
	int out;

	CHECK(md && c && EVP_DigestInit_ex(md, EVP_sha256(), NULL) &&
	      EVP_EncryptInit_ex(c, EVP_aes_128_ctr(), NULL, key, iv),
	      "OpenSSL init");
	for (off = 0; off < len; off += n) {
		n = len - off < CHUNK ? len - off : CHUNK;
		CHECK(EVP_DigestUpdate(md, p + off, n), "SHA-256");
		if (encrypt)
			CHECK(EVP_EncryptUpdate(c, p + off, &out, p + off,
						(int)n) && out == (int)n,
			      "AES-128-CTR");
	}
	CHECK(EVP_DigestFinal_ex(md, digest, &dlen), "SHA-256 final");
	EVP_MD_CTX_free(md);
	EVP_CIPHER_CTX_free(c);
}

int bench_launch(void)
{
	size_t size = bench_size(256 * MIB, MIB);
	unsigned int reps = bench_reps(2), i;
	bool opaque = fw_opaque();
	struct figure f = {
		.id = opaque ? "launch.opaque" : "launch.transparent",
		.what = opaque ? "LAUNCH_UPDATE_DATA, opaque mode" :
				 "LAUNCH_UPDATE_DATA, transparent mode",
		.base = opaque ? "OpenSSL AES-128-CTR + SHA-256, same bytes" :
				 "OpenSSL SHA-256, same bytes",
		.unit = "MiB/s",
		.higher_better = true,
	};
	struct sev_vm vm;
	__u8 *mem = bench_map(size);
	double t, b;

	fill_pattern(mem, size, 7);
	sev_vm_create_mem(&vm, mem, size);
	CHECK(!sev_vm_region(&vm, true, mem, size), "REG_REGION");
	sev_launch_start(&vm, 0);

	/* warm-up: a MiB of each */
	openssl_pass(mem, MIB, opaque);
	sev_launch_update(&vm, mem, MIB);
	for (i = 0; i < reps; i++) {
		t = now();
		openssl_pass(mem, size, opaque);
		b = size / MIB / (now() - t);
		t = now();
		sev_launch_update(&vm, mem, size);
		figure_add(&f, size / MIB / (now() - t), b);
	}
	snprintf(f.note, sizeof(f.note),
		 "%zu MiB per pass, one KVM_SEV_LAUNCH_UPDATE_DATA call",
		 size / MIB);
	figure_emit(&f);
	sev_vm_destroy(&vm);
	bench_unmap(mem, size);
	return 0;
}

/* Fault @mem in: in order on huge pages, or 4 KiB pages in a scattered order */
static void populate(__u8 *mem, size_t size, bool huge)
{
	size_t pages = size / PAGE_SZ, i;

	CHECK(!madvise(mem, size, huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE),
	      "madvise: %s", strerror(errno));
	if (huge) {
		fill_pattern(mem, size, 3);
		return;
	}
	/* an odd multiplier permutes a power-of-two page count */
	CHECK(!(pages & (pages - 1)), "%zu pages: not a power of two", pages);
	for (i = 0; i < pages; i++)
		mem[(i * 40503 % pages) * PAGE_SZ] = (__u8)i;
}

int bench_coalesce(void)
{
	size_t size = bench_size(64 * MIB, 8 * MIB);
	unsigned int reps = bench_reps(2), i, l;
	struct figure f[2] = {
		{ .id = "coalesce.huge",
		  .what = "fw commands, LAUNCH_UPDATE_DATA, 2 MiB pages" },
		{ .id = "coalesce.fragmented",
		  .what = "fw commands, LAUNCH_UPDATE_DATA, scattered 4 KiB pages" },
	};

	for (l = 0; l < 2; l++) {
		f[l].base = "physically contiguous runs (pagemap)";
		f[l].unit = "count";
		snprintf(f[l].note, sizeof(f[l].note), "%zu MiB region",
			 size / MIB);
	}
	for (i = 0; i < reps; i++) {
		for (l = 0; l < 2; l++) {
			__u8 *mem = bench_map(size);
			struct sev_vm vm;
			unsigned long runs;
			long c;

			populate(mem, size, !l);
			sev_vm_create_mem(&vm, mem, size);
			/* pinned first: a long-term pin may migrate pages */
			CHECK(!sev_vm_region(&vm, true, mem, size),
			      "REG_REGION");
			runs = phys_runs(mem, size);
			sev_launch_start(&vm, 0);
			c = fw_cmd_count(SEV_CMD_ID_LAUNCH_UPDATE_DATA);
			sev_launch_update(&vm, mem, size);
			c = fw_cmd_count(SEV_CMD_ID_LAUNCH_UPDATE_DATA) - c;
			figure_add(&f[l], c, runs);
			sev_vm_destroy(&vm);
			bench_unmap(mem, size);
		}
	}
	figure_emit(&f[0]);
	figure_emit(&f[1]);
	return 0;
}

/*
 * The whole launch of a guest of @size bytes at @mem; seconds. The
 * LAUNCH_UPDATE_DATA call alone takes *@update.
 */
static double launch_path(__u8 *mem, size_t size, double *update)
{
	struct sev_vm vm;
	double t, u;

	sev_vm_create_mem(&vm, mem, size);
	t = now();
	CHECK(!sev_vm_region(&vm, true, mem, size), "REG_REGION");
	sev_launch_start(&vm, 0);
	u = now();
	sev_launch_update(&vm, mem, size);
	*update = now() - u;
	sev_launch_finish(&vm);
	t = now() - t;
	sev_vm_destroy(&vm);
	return t;
}

/*
 * Guests of 16 MiB, 256 MiB and 1 GiB launched one after the other in
 * every repetition. In transparent mode the 256 MiB guest's
 * LAUNCH_UPDATE_DATA is also the launch data path figure, against
 * SHA-256 of the same bytes in the same repetition.
 */
int bench_scale(void)
{
	size_t sizes[3] = {
		bench_size(16 * MIB, MIB), bench_size(256 * MIB, MIB),
		bench_size(1024 * MIB, MIB),
	};
	unsigned int reps = bench_reps(3), i, s;
	struct figure f[2] = {
		{ .id = "scale.launch256" }, { .id = "scale.launch1024" },
	};
	struct figure lin = {
		.id = "scale.marginal",
		.unit = "ms/MiB",
		.note = "extra time per extra MiB; ratio 1 = linear growth",
	};
	struct figure lf = {
		.id = "launch.transparent",
		.what = "LAUNCH_UPDATE_DATA, transparent mode",
		.base = "OpenSSL SHA-256, same bytes",
		.unit = "MiB/s",
		.higher_better = true,
	};
	static char what[2][64], base[64], lin_what[64], lin_base[64];
	bool opaque = fw_opaque();
	double per_mib[3], secs[3], upd, b, t;
	__u8 *mem[3];

	for (s = 0; s < 3; s++) {
		mem[s] = bench_map(sizes[s]);
		fill_pattern(mem[s], sizes[s], s + 11);
	}
	snprintf(base, sizeof(base), "launch of %zu MiB, per MiB",
		 sizes[0] / MIB);
	for (s = 0; s < 2; s++) {
		snprintf(what[s], sizeof(what[s]), "launch of %zu MiB, per MiB",
			 sizes[s + 1] / MIB);
		f[s].what = what[s];
		f[s].base = base;
		f[s].unit = "ms/MiB";
		snprintf(f[s].note, sizeof(f[s].note),
			 "REG_REGION, LAUNCH_START, UPDATE_DATA, MEASURE, FINISH");
	}
	snprintf(lin_what, sizeof(lin_what), "launch, %zu MiB -> %zu MiB",
		 sizes[1] / MIB, sizes[2] / MIB);
	snprintf(lin_base, sizeof(lin_base), "launch, %zu MiB -> %zu MiB",
		 sizes[0] / MIB, sizes[1] / MIB);
	lin.what = lin_what;
	lin.base = lin_base;
	snprintf(lf.note, sizeof(lf.note),
		 "%zu MiB in one KVM_SEV_LAUNCH_UPDATE_DATA call (the scaling benchmark's guest)",
		 sizes[1] / MIB);
	launch_path(mem[0], sizes[0], &upd);
	openssl_pass(mem[1], MIB, false);
	for (i = 0; i < reps; i++) {
		t = now();
		openssl_pass(mem[1], sizes[1], false);
		b = sizes[1] / MIB / (now() - t);
		for (s = 0; s < 3; s++) {
			secs[s] = launch_path(mem[s], sizes[s], &upd);
			per_mib[s] = secs[s] * 1e3 / (sizes[s] / MIB);
			if (s == 1)
				figure_add(&lf, sizes[1] / MIB / upd, b);
		}
		figure_add(&f[0], per_mib[1], per_mib[0]);
		figure_add(&f[1], per_mib[2], per_mib[0]);
		figure_add(&lin, (secs[2] - secs[1]) * 1e3 /
				 ((sizes[2] - sizes[1]) / MIB),
			   (secs[1] - secs[0]) * 1e3 /
			   ((sizes[1] - sizes[0]) / MIB));
	}
	if (!opaque)
		figure_emit(&lf);
	figure_emit(&f[0]);
	figure_emit(&f[1]);
	figure_emit(&lin);
	for (s = 0; s < 3; s++)
		bench_unmap(mem[s], sizes[s]);
	return 0;
}
