// SPDX-License-Identifier: GPL-2.0-only
/*
 * sev-bench: every ASID at once (issue 15, goal 4). SEV (or SEV-ES) guests,
 * each with a 64 KiB region of which one page is launched, are launched one
 * after the other and all kept, until every ASID of the range is in use:
 *
 *  - the time of each launch (KVM_SEV_INIT .. LAUNCH_FINISH, and with the
 *    KVM_CREATE_VM before it) against the guests then in use: every count
 *    (a "BENCH-CURVE" line for the plot), and figures at 1, 64, 256 and
 *    all, each the median of 9 neighbouring launches;
 *  - the kernel memory per idle guest (/proc/meminfo before and after);
 *  - one launch more: KVM_SEV_INIT (KVM_SEV_ES_INIT) must fail with EBUSY,
 *    the documented error, and change nothing; a guest destroyed then
 *    frees an ASID that the next launch gets;
 *  - the teardown of all of them must leave nothing: ASIDs, firmware
 *    contexts, misc cgroup charges, pinned pages, VMs.
 *
 * Before the guests it checks that the ASID ranges are the ones the
 * parameters give: the firmware's (sev_emu max_asid, min_sev_asid), capped
 * at half of the CPU's ASIDs unless kvm_amd's sw_all_asids is set.
 *
 *   asidall-small  SEV, kvm_amd's default cap (the "small count")
 *   asidall        SEV, sw_all_asids=1 (the firmware's 509 by default)
 *   asidall-es     SEV-ES over the range below min_sev_asid, then the SEV
 *                  range too, so that every ASID is in use
 *
 * A plain VM stays open meanwhile, so that no launch pays for KVM enabling
 * SVM on every CPU for the host's first VM; each fill follows a few
 * untimed launches (WARM_UP).
 */

#include <cpuid.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "bench.h"

#define GUEST_MEM	(64 * 1024UL)
#define ES_POLICY	0x5		/* NODBG | ES */
#define KVM_SEV_DIR	"/sys/kernel/debug/kvm_amd_sev/"
#define EMU_PLATFORM	"/sys/kernel/debug/sev-emu/platform"
#define SETTLE_TRIES	300		/* times 10 ms */
#define WARM_UP		4		/* untimed launches before a fill */

/* The points of the issue; 0 is "all" */
static const unsigned int points[] = { 1, 64, 256, 0 };

/**
 * struct guest - one launched guest
 * @fd: the VM
 * @vcpu: its vCPU (SEV-ES), or -1
 */
struct guest {
	int fd;
	int vcpu;
};

/**
 * struct range - the guests of one ASID range
 * @es: SEV-ES guests
 * @n: ASIDs in the range
 * @mem: @n + 1 regions of GUEST_MEM bytes (the last for untimed launches)
 * @g: the guests, @n + 1 of them
 */
struct range {
	bool es;
	unsigned int n;
	__u8 *mem;
	struct guest *g;
};

static int kvm_fd = -1, sev_fd = -1;
static char cg_root[64], cg_child[96];

/* ---- reading the counters ---- */

static long read_long(const char *path)
{
	FILE *f = fopen(path, "r");
	long v = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

/* "Y"/"N" of a bool module parameter; false if it does not exist */
static bool read_bool(const char *path)
{
	FILE *f = fopen(path, "r");
	int c;

	if (!f)
		return false;
	c = fgetc(f);
	fclose(f);
	return c == 'Y' || c == '1';
}

/* "@key: A - B" of kvm_amd_sev/platform */
static void platform_range(const char *key, unsigned int *a, unsigned int *b)
{
	char line[256], fmt[64];
	FILE *f = fopen(KVM_SEV_DIR "platform", "r");
	bool found = false;

	CHECK(f, "open " KVM_SEV_DIR "platform: %s", strerror(errno));
	snprintf(fmt, sizeof(fmt), "%s: %%u - %%u", key);
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, fmt, a, b) == 2;
	fclose(f);
	CHECK(found, "no \"%s\" in kvm_amd_sev/platform", key);
}

/* The sum of the per-command counts of sev-psp/commands */
static long psp_cmd_total(void)
{
	FILE *f = fopen("/sys/kernel/debug/sev-psp/commands", "r");
	char line[256], name[64];
	unsigned int id;
	long long n;
	long total = 0;

	CHECK(f, "open sev-psp/commands: %s", strerror(errno));
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%x %63s %lld", &id, name, &n) == 3)
			total += n;
	fclose(f);
	return total;
}

/* Pages pinned with FOLL_PIN and not yet unpinned, system wide */
static long pinned_pages(void)
{
	long acquired = -1, released = -1, v;
	char key[64];
	FILE *f;

	debugfs_write("/proc/sys/vm/stat_refresh", "1");
	f = fopen("/proc/vmstat", "r");
	CHECK(f, "open /proc/vmstat");
	while (fscanf(f, "%63s %ld", key, &v) == 2) {
		if (!strcmp(key, "nr_foll_pin_acquired"))
			acquired = v;
		else if (!strcmp(key, "nr_foll_pin_released"))
			released = v;
	}
	fclose(f);
	CHECK(acquired >= 0 && released >= 0, "no nr_foll_pin_* in vmstat");
	return acquired - released;
}

/* KVM's per-VM debugfs directories (kvm/<pid>-<fd>) */
static long vm_dirs(void)
{
	DIR *d = opendir("/sys/kernel/debug/kvm");
	struct dirent *e;
	long n = 0;
	int pid, fd;

	CHECK(d, "open debugfs kvm: %s", strerror(errno));
	while ((e = readdir(d)))
		if (sscanf(e->d_name, "%d-%d", &pid, &fd) == 2)
			n++;
	closedir(d);
	return n;
}

/*
 * The value for @res in the misc cgroup file @dir/@file (misc.current of
 * our cgroup, misc.capacity of the root); absent: 0
 */
static long misc_read(const char *dir, const char *file, const char *res)
{
	char path[160], line[128];
	size_t n = strlen(res);
	FILE *f;
	long v = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "r");
	CHECK(f, "open %s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, res, n) && line[n] == ' ')
			v = strtol(line + n + 1, NULL, 10);
	fclose(f);
	return v;
}

static long misc_current(const char *res)
{
	return misc_read(cg_child, "misc.current", res);
}

static long misc_capacity(const char *res)
{
	return misc_read(cg_root, "misc.capacity", res);
}

/**
 * struct state - system-wide counters; the first STATE_HELD are what a
 * guest holds, the others what a launch or a reclaim changes
 */
struct state {
	long in_use;		/* kvm_amd_sev/asids */
	long guests;		/* firmware guest contexts */
	long misc_sev;		/* misc.current sev */
	long misc_es;		/* misc.current sev_es */
	long pinned;		/* FOLL_PIN pages */
	long vms;		/* KVM debugfs VM directories */
	long cmds;		/* firmware commands issued (sev-psp) */
	long reclaim;		/* ASIDs awaiting reclaim */
	long passes;		/* reclaim passes */
};

static const char *const state_names[] = {
	"ASIDs in use", "firmware guests", "misc sev", "misc sev_es",
	"pinned pages", "VMs", "firmware commands", "ASIDs awaiting reclaim",
	"reclaim passes",
};

#define STATE_N		(sizeof(struct state) / sizeof(long))
#define STATE_HELD	6	/* in_use .. vms: what a guest holds */

static void state_read(struct state *s)
{
	s->in_use = debugfs_key(KVM_SEV_DIR "asids", "in use");
	s->guests = debugfs_key(EMU_PLATFORM, "guests");
	s->misc_sev = misc_current("sev");
	s->misc_es = misc_current("sev_es");
	s->pinned = pinned_pages();
	s->vms = vm_dirs();
	s->cmds = psp_cmd_total();
	s->reclaim = debugfs_key(KVM_SEV_DIR "asids", "awaiting reclaim");
	s->passes = debugfs_key(KVM_SEV_DIR "asids", "reclaim passes");
}

/*
 * The members (the first @n) in which @a and @b differ, except @skip
 * (an index, or -1); each is printed as a "#" line
 */
static unsigned int state_diff(const struct state *a, const struct state *b,
			       unsigned int n, int skip, const char *when)
{
	const long *x = (const long *)a, *y = (const long *)b;
	unsigned int i, d = 0;

	for (i = 0; i < n; i++) {
		if ((int)i == skip || x[i] == y[i])
			continue;
		printf("# asidall: %s: %s %ld, before %ld\n", when,
		       state_names[i], y[i], x[i]);
		d++;
	}
	return d;
}

/**
 * struct meminfo - the counters of /proc/meminfo we report, in KiB
 */
struct meminfo {
	long free, slab, sunreclaim, vmalloc, kstack, ptables, secpt;
};

static void meminfo_read(struct meminfo *m)
{
	static const char *const keys[] = {
		"MemFree", "Slab", "SUnreclaim", "VmallocUsed",
		"KernelStack", "PageTables", "SecPageTables",
	};
	long *v = (long *)m;
	char line[128];
	unsigned int i;
	FILE *f;

	debugfs_write("/proc/sys/vm/stat_refresh", "1");
	f = fopen("/proc/meminfo", "r");
	CHECK(f, "open /proc/meminfo");
	for (i = 0; i < ARRAY_SIZE(keys); i++)
		v[i] = 0;
	while (fgets(line, sizeof(line), f))
		for (i = 0; i < ARRAY_SIZE(keys); i++)
			if (!strncmp(line, keys[i], strlen(keys[i])) &&
			    line[strlen(keys[i])] == ':')
				v[i] = strtol(line + strlen(keys[i]) + 1,
					      NULL, 10);
	fclose(f);
}

/*
 * The kernel memory the counters name: slab, vmalloc, kernel stacks, page
 * tables (not the pages KVM takes straight from the page allocator, such
 * as an SEV-ES vCPU's VMCB, VMSA and MSR map, which only MemFree shows;
 * MemFree also moves with the per-CPU page lists, by megabytes)
 */
static long kmem(const struct meminfo *m)
{
	return m->slab + m->vmalloc + m->kstack + m->ptables + m->secpt;
}

static void meminfo_print(const char *what, const struct meminfo *m)
{
	printf("# asidall: meminfo %s: MemFree %ld, Slab %ld (SUnreclaim %ld)",
	       what, m->free, m->slab, m->sunreclaim);
	printf(", VmallocUsed %ld, KernelStack %ld, PageTables %ld, SecPageTables %ld kB\n",
	       m->vmalloc, m->kstack, m->ptables, m->secpt);
}

/* ---- the cgroup, the parameters ---- */

/* A misc cgroup of our own, so that its misc.current is ours */
static void cgroup_enter(void)
{
	char path[160], pid[32];

	snprintf(cg_root, sizeof(cg_root), "/tmp/sev-bench-cg.XXXXXX");
	CHECK(mkdtemp(cg_root), "mkdtemp: %s", strerror(errno));
	CHECK(!mount("none", cg_root, "cgroup2", 0, NULL),
	      "mount cgroup2: %s", strerror(errno));
	snprintf(path, sizeof(path), "%s/cgroup.subtree_control", cg_root);
	debugfs_write(path, "+misc");
	snprintf(cg_child, sizeof(cg_child), "%s/asidall", cg_root);
	CHECK(!mkdir(cg_child, 0755) || errno == EEXIST, "mkdir %s: %s",
	      cg_child, strerror(errno));
	snprintf(path, sizeof(path), "%s/cgroup.procs", cg_child);
	snprintf(pid, sizeof(pid), "%d", getpid());
	debugfs_write(path, pid);
}

static void cgroup_leave(void)
{
	char path[160], pid[32];

	snprintf(path, sizeof(path), "%s/cgroup.procs", cg_root);
	snprintf(pid, sizeof(pid), "%d", getpid());
	debugfs_write(path, pid);
	CHECK(!rmdir(cg_child), "rmdir %s: %s", cg_child, strerror(errno));
	CHECK(!umount(cg_root), "umount %s: %s", cg_root, strerror(errno));
	rmdir(cg_root);
}

/*
 * The ASID ranges must be what the parameters give: the firmware's, with
 * the maximum capped at (CPU ASIDs - 1) / 2 unless kvm_amd's sw_all_asids
 * is set (sev_sw_caps()); the misc cgroup capacities their sizes. The
 * sizes of the SEV and SEV-ES ranges are returned in *@sev_n and *@es_n.
 */
static void check_ranges(bool want_lifted, unsigned int *sev_n,
			 unsigned int *es_n)
{
	unsigned int a, b, c, d, cpu_asids, room, fw_max, fw_min, max, es_max;
	unsigned int min, es_lo, es_hi;
	bool lifted = read_bool("/sys/module/kvm_amd/parameters/sw_all_asids");

	CHECK(lifted == want_lifted,
	      "kvm_amd sw_all_asids is %s: this benchmark needs it %s",
	      lifted ? "on" : "off", want_lifted ? "on" : "off");
	CHECK(__get_cpuid(0x8000000a, &a, &b, &c, &d) && b > 1,
	      "CPUID 0x8000000A: no SVM ASIDs");
	cpu_asids = b;
	room = (cpu_asids - 1) / 2;
	fw_max = read_long("/sys/module/sev_emu/parameters/max_asid");
	fw_min = read_long("/sys/module/sev_emu/parameters/min_sev_asid");
	CHECK((int)fw_max > 0 && (int)fw_min > 0, "no sev_emu parameters");

	max = lifted || fw_max <= room ? fw_max : room;
	es_max = fw_min - 1 < max ? fw_min - 1 : max;
	platform_range("asids", &min, &b);
	CHECK(min == fw_min && b == max,
	      "kvm_amd_sev/platform asids %u - %u: expected %u - %u (firmware 1 - %u, CPU %u ASIDs, sw_all_asids %s)",
	      min, b, fw_min, max, fw_max, cpu_asids, lifted ? "on" : "off");
	platform_range("es_asids", &es_lo, &es_hi);
	CHECK(es_hi == es_max, "kvm_amd_sev/platform es_asids %u - %u: expected 1 - %u",
	      es_lo, es_hi, es_max);
	CHECK(misc_capacity("sev") == (long)(max >= min ? max - min + 1 : 0),
	      "misc.capacity sev %ld, expected %u", misc_capacity("sev"),
	      max - min + 1);
	CHECK(misc_capacity("sev_es") == (long)es_max,
	      "misc.capacity sev_es %ld, expected %u",
	      misc_capacity("sev_es"), es_max);
	printf("# asidall: CPU %u ASIDs, firmware 1 - %u (SEV from %u), ",
	       cpu_asids, fw_max, fw_min);
	printf("sw_all_asids %s: SEV %u - %u, SEV-ES 1 - %u\n",
	       lifted ? "on" : "off", min, max, es_max);
	*sev_n = max >= min ? max - min + 1 : 0;
	*es_n = es_max;
}

/* Enough descriptors for @n VMs and their vCPUs */
static void raise_nofile(unsigned int n)
{
	struct rlimit r;
	rlim_t want = 2 * (rlim_t)n + 64;

	CHECK(!getrlimit(RLIMIT_NOFILE, &r), "getrlimit");
	if (r.rlim_cur >= want)
		return;
	if (r.rlim_max < want)
		r.rlim_max = want;
	r.rlim_cur = want;
	CHECK(!setrlimit(RLIMIT_NOFILE, &r), "RLIMIT_NOFILE %lu: %s",
	      (unsigned long)want, strerror(errno));
}

/* ---- guests ---- */

/*
 * One guest of @r in slot @i: a VM, KVM_SEV_INIT or KVM_SEV_ES_INIT, its
 * region, for SEV-ES a vCPU, and the launch of one page (and the VMSA).
 * Returns the seconds from KVM_SEV_INIT to LAUNCH_FINISH: the launch
 * without KVM_CREATE_VM, whose time under TCG is mostly the wake-ups of
 * its worker thread's creation on the other CPU (1 to 30 ms, unrelated
 * to SEV).
 */
static double launch(struct range *r, unsigned int i)
{
	__u8 *mem = r->mem + (size_t)i * GUEST_MEM;
	struct kvm_userspace_memory_region mr = {
		.slot = 0,
		.guest_phys_addr = 0,
		.memory_size = GUEST_MEM,
		.userspace_addr = (uintptr_t)mem,
	};
	struct sev_vm vm = { .kvm = kvm_fd, .sev = sev_fd, .mem = mem,
			     .size = GUEST_MEM };
	struct guest *g = &r->g[i];
	double t;

	vm.fd = ioctl(kvm_fd, KVM_CREATE_VM, 0);
	CHECK(vm.fd >= 0, "KVM_CREATE_VM (guest %u): %s", i + 1,
	      strerror(errno));
	g->fd = vm.fd;
	g->vcpu = -1;
	t = now();
	sev_vm_op_ok(&vm, r->es ? KVM_SEV_ES_INIT : KVM_SEV_INIT, NULL);
	CHECK(!ioctl(vm.fd, KVM_SET_USER_MEMORY_REGION, &mr),
	      "KVM_SET_USER_MEMORY_REGION: %s", strerror(errno));
	if (r->es) {
		g->vcpu = ioctl(vm.fd, KVM_CREATE_VCPU, 0);
		CHECK(g->vcpu >= 0, "KVM_CREATE_VCPU: %s", strerror(errno));
	}
	CHECK(!sev_vm_region(&vm, true, mem, GUEST_MEM), "REG_REGION");
	sev_launch_start(&vm, r->es ? ES_POLICY : 0);
	sev_launch_update(&vm, mem, PAGE_SZ);
	if (r->es)
		sev_vm_op_ok(&vm, KVM_SEV_LAUNCH_UPDATE_VMSA, NULL);
	sev_launch_finish(&vm);
	return now() - t;
}

static void destroy(struct range *r, unsigned int i)
{
	struct guest *g = &r->g[i];

	if (g->vcpu >= 0)
		close(g->vcpu);
	close(g->fd);
	g->fd = -1;
	g->vcpu = -1;
}

static void range_init(struct range *r, bool es, unsigned int n)
{
	size_t i;

	memset(r, 0, sizeof(*r));
	r->es = es;
	r->n = n;
	r->g = calloc(n + 1, sizeof(*r->g));
	CHECK(r->g, "out of memory");
	r->mem = mmap(NULL, (n + 1) * GUEST_MEM, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(r->mem != MAP_FAILED, "mmap: %s", strerror(errno));
	madvise(r->mem, (n + 1) * GUEST_MEM, MADV_NOHUGEPAGE);
	/* populated now, so that the memory figures are the kernel's */
	for (i = 0; i < (n + 1) * GUEST_MEM; i += PAGE_SZ)
		r->mem[i] = (__u8)(i / PAGE_SZ);
}

static void range_free(struct range *r)
{
	munmap(r->mem, (r->n + 1) * GUEST_MEM);
	free(r->g);
}

/*
 * One launch more: KVM_CREATE_VM works, KVM_SEV_INIT (KVM_SEV_ES_INIT)
 * fails with EBUSY and firmware status 0, and nothing changes, neither
 * while that VM exists nor after it is closed. Then a guest destroyed
 * frees an ASID for the next launch. Returns the deviations.
 */
static unsigned int exhaust(struct range *r, int *err_out)
{
	struct state s0, s1, s2;
	struct sev_vm vm = { .kvm = kvm_fd, .sev = sev_fd };
	unsigned int dev = 0;
	__u32 err = 0;
	int ret;

	state_read(&s0);
	vm.fd = ioctl(kvm_fd, KVM_CREATE_VM, 0);
	CHECK(vm.fd >= 0, "KVM_CREATE_VM: %s", strerror(errno));
	ret = sev_vm_op(&vm, r->es ? KVM_SEV_ES_INIT : KVM_SEV_INIT, NULL,
			&err);
	*err_out = -ret;
	if (ret != -EBUSY || err) {
		printf("# asidall: %s past the last ASID: %s, status %#x (want EBUSY, 0)\n",
		       r->es ? "KVM_SEV_ES_INIT" : "KVM_SEV_INIT",
		       ret ? strerror(-ret) : "success", err);
		dev++;
	}
	state_read(&s1);
	/* the plain VM has its debugfs directory until it is closed */
	dev += state_diff(&s0, &s1, STATE_N,
			  offsetof(struct state, vms) / sizeof(long),
			  "the failed VM open");
	close(vm.fd);
	state_read(&s2);
	dev += state_diff(&s0, &s2, STATE_N, -1, "the failed VM closed");

	/* the last guest's ASID, once freed, is the next launch's */
	destroy(r, r->n - 1);
	launch(r, r->n - 1);
	state_read(&s1);
	if (s1.in_use != s0.in_use || s1.passes != s0.passes + 1) {
		printf("# asidall: relaunch: in use %ld (was %ld), reclaim passes +%ld (want +1)\n",
		       s1.in_use, s0.in_use, s1.passes - s0.passes);
		dev++;
	}
	return dev;
}

/* The median of @n values (sorted in place) */
static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, unsigned int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/*
 * The per-launch time at @k guests in use: the median of the 2w + 1
 * launches around the one that brought the count to @k (shifted to lie
 * within 1 .. @n), with w = 4 for 64 or more ASIDs (a single launch under
 * TCG varies by tens of per cent), else 0
 */
static unsigned int half_window(unsigned int n)
{
	return n >= 64 ? 4 : 0;
}

static unsigned int window_lo(unsigned int n, unsigned int k)
{
	unsigned int w = half_window(n);

	if (k <= w)
		return 1;
	if (k + w > n)
		return n - 2 * w;
	return k - w;
}

static double at(const double *t, unsigned int n, unsigned int k)
{
	unsigned int w = half_window(n), lo = window_lo(n, k), i;
	double v[9];

	for (i = 0; i <= 2 * w; i++)
		v[i] = t[lo - 1 + i];
	return median(v, 2 * w + 1);
}

/* The median over the repetitions of @t[rep][@k] */
static double rep_median(double **t, unsigned int reps, unsigned int k)
{
	double v[MAX_REPS];
	unsigned int i;

	for (i = 0; i < reps; i++)
		v[i] = t[i][k];
	return median(v, reps);
}

/*
 * One "BENCH-CURVE" line: per launch, the median over the repetitions in
 * ms, of the launch (@ts) and of it with KVM_CREATE_VM (@tv)
 */
static void emit_curve(const char *id, const char *what, double **ts,
		       double **tv, unsigned int reps, unsigned int n,
		       unsigned int pass_at)
{
	unsigned int k;

	printf("BENCH-CURVE {\"id\":\"%s\",\"what\":\"%s\",\"unit\":\"ms\",",
	       id, what);
	printf("\"reps\":%u,\"reclaim_at\":%u,\"y\":[", reps, pass_at);
	for (k = 0; k < n; k++)
		printf("%s%.3f", k ? "," : "", 1e3 * rep_median(ts, reps, k));
	printf("],\"y_vm\":[");
	for (k = 0; k < n; k++)
		printf("%s%.3f", k ? "," : "", 1e3 * rep_median(tv, reps, k));
	printf("]}\n");
	fflush(stdout);
}

/* The figures of one run; pt[] as points[], then the others */
enum { F_ALL_VM = ARRAY_SIZE(points), F_EXHAUST, F_TEARDOWN, F_KMEM, F_N };

/**
 * struct results - the figures of one run, their texts
 * @f: the figures
 * @id: their ids
 * @what: their subjects
 * @base: the baseline of the launch figures
 */
struct results {
	struct figure f[F_N];
	char id[F_N][40];
	char what[F_N][112];
	char base[80];
};

static void results_init(struct results *res, const char *tag,
			 const char *kind, unsigned int n)
{
	static const char *const names[F_N] = {
		"at1", "at64", "at256", "all", "all_vm", "exhaust", "teardown",
		"kmem",
	};
	unsigned int i;

	memset(res, 0, sizeof(*res));
	snprintf(res->base, sizeof(res->base), "the same, 1 %s guest in use",
		 kind);
	for (i = 0; i < F_N; i++) {
		snprintf(res->id[i], sizeof(res->id[i]), "asidall.%s.%s", tag,
			 names[i]);
		res->f[i].id = res->id[i];
		res->f[i].what = res->what[i];
		res->f[i].base = res->base;
		res->f[i].unit = "ms";
	}
	for (i = 0; i < ARRAY_SIZE(points); i++)
		snprintf(res->what[i], sizeof(res->what[i]),
			 "%s launch (KVM_SEV%s_INIT .. LAUNCH_FINISH), %u in use",
			 kind, strcmp(kind, "SEV") ? "_ES" : "",
			 points[i] ? points[i] : n);
	snprintf(res->what[F_ALL_VM], sizeof(res->what[0]),
		 "KVM_CREATE_VM and %s launch, %u in use", kind, n);
	snprintf(res->what[F_EXHAUST], sizeof(res->what[0]),
		 "deviations of launch %u from EBUSY with nothing changed",
		 n + 1);
	snprintf(res->what[F_TEARDOWN], sizeof(res->what[0]),
		 "objects left after the teardown of all %u guests", n);
	snprintf(res->what[F_KMEM], sizeof(res->what[0]),
		 "kernel memory per idle %s guest (Slab, Vmalloc, stacks, page tables)",
		 kind);
	for (i = F_EXHAUST; i < F_N; i++) {
		res->f[i].base = "-";
		res->f[i].no_base = true;
		res->f[i].unit = "count";
	}
	res->f[F_KMEM].unit = "KiB/VM";
}

/* The figure notes, the figures and the curve, after the last repetition */
static void emit_all(struct results *res, const struct range *r,
		     const char *tag, double **ts, double **tv,
		     unsigned int reps, unsigned int pass_at, int err)
{
	unsigned int p, span = 2 * half_window(r->n), k, lo;
	char cid[48], what[96];

	for (p = 1; p <= F_ALL_VM; p++) {
		k = p < F_ALL_VM && points[p] ? points[p] : r->n;
		if (k >= r->n && p != F_ALL_VM && points[p])
			continue;
		lo = window_lo(r->n, k);
		snprintf(res->f[p].note, sizeof(res->f[p].note),
			 "median of the launches to %u-%u in use, baseline 1-%u%s",
			 lo, lo + span, 1 + span,
			 pass_at >= lo && pass_at <= lo + span ?
			 "; these include the fill's one reclaim pass" : "");
		figure_emit(&res->f[p]);
	}
	snprintf(res->f[F_EXHAUST].note, sizeof(res->f[0].note),
		 "%s: %s (documented: EBUSY); ASIDs, contexts, misc.current, pins, VMs, firmware commands unchanged; freed ASID reused",
		 r->es ? "KVM_SEV_ES_INIT" : "KVM_SEV_INIT",
		 err ? strerror(err) : "success");
	figure_emit(&res->f[F_EXHAUST]);
	figure_emit(&res->f[F_TEARDOWN]);
	if (r->n >= 64)
		figure_emit(&res->f[F_KMEM]);
	snprintf(cid, sizeof(cid), "asidall.%s", tag);
	snprintf(what, sizeof(what), "%s launch, %u ASIDs", r->es ? "SEV-ES" :
		 "SEV", r->n);
	emit_curve(cid, what, ts, tv, reps, r->n, pass_at);
}

/* Until what the guests held is back at @s0 (at most 3 s); the last read */
static void settle(const struct state *s0, struct state *s)
{
	unsigned int i;

	for (i = 0; i < SETTLE_TRIES; i++) {
		state_read(s);
		if (s->in_use == s0->in_use && s->guests == s0->guests &&
		    s->misc_sev == s0->misc_sev && s->misc_es == s0->misc_es &&
		    s->pinned == s0->pinned && s->vms == s0->vms)
			return;
		usleep(10000);
	}
}

/*
 * The launches of one repetition, timed into @ts (the launch) and @tv
 * (with KVM_CREATE_VM); returns the launch (1-based) during which a
 * reclaim pass ran, or 0
 */
static unsigned int fill(struct range *r, double *ts, double *tv,
			 const struct state *s0)
{
	unsigned int i, pass_at = 0;
	double x;

	for (i = 0; i < r->n; i++) {
		x = now();
		ts[i] = launch(r, i);
		tv[i] = now() - x;
		if (!pass_at && debugfs_key(KVM_SEV_DIR "asids",
					    "reclaim passes") != s0->passes)
			pass_at = i + 1;
	}
	return pass_at;
}

/* The figures of one repetition */
static void add_rep(struct results *res, const struct range *r,
		    const double *ts, const double *tv, unsigned int dev,
		    unsigned int left, const struct meminfo *m0,
		    const struct meminfo *m1)
{
	unsigned int p, n = r->n;

	for (p = 0; p < ARRAY_SIZE(points); p++)
		if (points[p] < n)
			figure_add(&res->f[p],
				   1e3 * at(ts, n, points[p] ? points[p] : n),
				   1e3 * at(ts, n, 1));
	figure_add(&res->f[F_ALL_VM], 1e3 * at(tv, n, n), 1e3 * at(tv, n, 1));
	figure_add(&res->f[F_EXHAUST], dev, 0);
	figure_add(&res->f[F_TEARDOWN], left, 0);
	figure_add(&res->f[F_KMEM], (double)(kmem(m1) - kmem(m0)) / n, 0);
}

/*
 * The benchmark over the ASIDs of @r (all of them), @reps times; in the
 * SEV-ES run @other is the SEV range, filled after the ES range so that
 * every ASID is in use at once. @tag names the figures.
 */
static void run(struct range *r, struct range *other, const char *tag,
		unsigned int reps)
{
	const char *kind = r->es ? "SEV-ES" : "SEV";
	struct results *res = calloc(1, sizeof(*res));
	unsigned int rep, i, pass_at = 0, left, dev, k;
	struct meminfo m0 = {}, m1 = {}, m2 = {};
	double *ts[MAX_REPS], *tv[MAX_REPS], t_down = 0;
	struct state s0, s1;
	int err = 0;

	CHECK(res, "out of memory");
	results_init(res, tag, kind, r->n);
	for (rep = 0; rep < reps; rep++) {
		ts[rep] = calloc(r->n, sizeof(double));
		tv[rep] = calloc(r->n, sizeof(double));
		CHECK(ts[rep] && tv[rep], "out of memory");

		/*
		 * A guest launched and destroyed first (untimed): its
		 * allocation reclaims the ASIDs of the previous repetition,
		 * and every repetition starts alike, with its ASID awaiting
		 * reclaim
		 */
		state_read(&s1);
		launch(r, r->n);
		destroy(r, r->n);
		settle(&s1, &s0);
		meminfo_read(&m0);
		/*
		 * Warm-up: the same launch and teardown, right before the
		 * fill. After the counter reads the first launches take
		 * about twice as long in every step (TCG's caches); it
		 * leaves WARM_UP more ASIDs awaiting reclaim, and moves the
		 * fill's reclaim pass WARM_UP launches earlier
		 */
		for (i = 0; i < WARM_UP; i++) {
			launch(r, r->n);
			destroy(r, r->n);
		}

		k = fill(r, ts[rep], tv[rep], &s0);
		if (!rep)
			pass_at = k;
		state_read(&s1);
		CHECK(s1.in_use == s0.in_use + r->n,
		      "%u guests launched, %ld ASIDs in use", r->n,
		      s1.in_use - s0.in_use);
		meminfo_read(&m1);

		dev = exhaust(r, &err);
		if (other && other->n) {
			for (i = 0; i < other->n; i++)
				launch(other, i);
			dev += exhaust(other, &err);
			state_read(&s1);
			printf("# asidall: %ld ASIDs in use at once (%u SEV-ES, %u SEV)\n",
			       s1.in_use, r->n, other->n);
			if (s1.in_use != s0.in_use + r->n + other->n)
				dev++;
		}

		t_down = now();
		for (i = 0; i < r->n; i++)
			destroy(r, i);
		for (i = 0; other && i < other->n; i++)
			destroy(other, i);
		t_down = now() - t_down;
		/* a closed VM goes away when its last reference does */
		settle(&s0, &s1);
		left = state_diff(&s0, &s1, STATE_HELD, -1,
				  "after the teardown");
		meminfo_read(&m2);

		add_rep(res, r, ts[rep], tv[rep], dev, left, &m0, &m1);
		printf("# asidall: %s repetition %u: %u guests; launch %.2f ms at 1, %.2f at %u;",
		       kind, rep + 1, r->n, 1e3 * at(ts[rep], r->n, 1),
		       1e3 * at(ts[rep], r->n, r->n), r->n);
		printf(" with KVM_CREATE_VM %.2f and %.2f ms; teardown of all %.0f ms;",
		       1e3 * at(tv[rep], r->n, 1),
		       1e3 * at(tv[rep], r->n, r->n), t_down * 1e3);
		printf(" %u deviations at the limit, %u objects left\n", dev,
		       left);
		meminfo_print("before", &m0);
		meminfo_print("all in use", &m1);
		meminfo_print("after the teardown", &m2);
	}

	snprintf(res->f[F_TEARDOWN].note, sizeof(res->f[0].note),
		 "ASIDs in use, firmware contexts, misc.current, pinned pages, VMs; teardown %.0f ms; then Slab %+ld, Vmalloc %+ld, MemFree %+ld KiB",
		 t_down * 1e3, m2.slab - m0.slab, m2.vmalloc - m0.vmalloc,
		 m2.free - m0.free);
	snprintf(res->f[F_KMEM].note, sizeof(res->f[0].note),
		 "Slab %.1f (SUnreclaim %.1f), VmallocUsed %.1f, KernelStack %.1f, PageTables %.1f; MemFree drop %.1f KiB/VM (last repetition)",
		 (double)(m1.slab - m0.slab) / r->n,
		 (double)(m1.sunreclaim - m0.sunreclaim) / r->n,
		 (double)(m1.vmalloc - m0.vmalloc) / r->n,
		 (double)(m1.kstack - m0.kstack) / r->n,
		 (double)(m1.ptables - m0.ptables + m1.secpt - m0.secpt) /
		 r->n, (double)(m0.free - m1.free) / r->n);
	emit_all(res, r, tag, ts, tv, reps, pass_at, err);
	for (rep = 0; rep < reps; rep++) {
		free(ts[rep]);
		free(tv[rep]);
	}
	free(res);
}

/* Open the devices, enter the cgroup, check the ranges, run, clean up */
static int bench_fill(bool lifted, bool es, const char *tag,
		      unsigned int full_reps)
{
	unsigned int sev_n, es_n;
	struct range r, other;
	int plain;

	kvm_fd = open("/dev/kvm", O_RDWR);
	CHECK(kvm_fd >= 0, "open /dev/kvm: %s", strerror(errno));
	/*
	 * A plain VM (no ASID) open throughout, so that no launch pays for
	 * KVM enabling SVM on every CPU when the host's first VM appears
	 */
	plain = ioctl(kvm_fd, KVM_CREATE_VM, 0);
	CHECK(plain >= 0, "KVM_CREATE_VM: %s", strerror(errno));
	sev_fd = sev_dev_open();
	cgroup_enter();
	check_ranges(lifted, &sev_n, &es_n);
	CHECK(es ? es_n > 0 : sev_n > 0,
	      "no %s ASIDs (sev_emu min_sev_asid, max_asid)",
	      es ? "SEV-ES" : "SEV");
	raise_nofile(sev_n + es_n + 2);
	range_init(&r, es, es ? es_n : sev_n);
	range_init(&other, false, es ? sev_n : 0);
	run(&r, es ? &other : NULL, tag, bench_reps(full_reps));
	range_free(&r);
	range_free(&other);
	cgroup_leave();
	close(plain);
	close(sev_fd);
	close(kvm_fd);
	return 0;
}

/* SEV guests over kvm_amd's default (capped) range: the small count */
int bench_asidall_small(void)
{
	return bench_fill(false, false, "small", 8);
}

/* SEV guests over all of the firmware's ASIDs (sw_all_asids=1) */
int bench_asidall(void)
{
	return bench_fill(true, false, "sev", 3);
}

/* SEV-ES guests over the firmware's ES range, then SEV over the rest */
int bench_asidall_es(void)
{
	return bench_fill(true, true, "es", 3);
}
