/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers for the fault-injection, fuzz and stress tests: the software
 * firmware's fault file, the PSP driver's dead latch and timeout, module
 * reload, and a snapshot of everything a leak would leave behind (firmware
 * guests and bound ASIDs, KVM's ASIDs, pinned pages) with a comparison
 * that waits for asynchronous teardown.
 */

#ifndef _FAULT_UTIL_H
#define _FAULT_UTIL_H

#include <dirent.h>
#include <stdarg.h>
#include <time.h>
#include "kvm_test.h"

#define EMU_DIR			DEBUGFS "/sev-emu"
#define FAULT_FILE		EMU_DIR "/fault"
#define PSP_DEAD_FILE		DEBUGFS "/sev-psp/dead"
#define PSP_TIMEOUT_PARAM	"/sys/module/sev_psp/parameters/psp_cmd_timeout"
#define SETTLE_MS		3000

enum fault_kind { FK_FAIL, FK_DELAY, FK_HANG, FK_CORRUPT, FK_KINDS };

static inline long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Write one line to a sysfs/debugfs file; returns 0 or -errno */
static inline int file_write(const char *path, const char *line)
{
	int fd = open(path, O_WRONLY), ret = 0;
	ssize_t len = strlen(line);

	if (fd < 0)
		return -errno;
	if (write(fd, line, len) != len)
		ret = -errno;
	close(fd);
	return ret;
}

/* Arm a rule ("fail 1 0x7 0x30", ...) or "clear"; asserts it is taken */
static inline void fault_arm(const char *fmt, ...)
{
	char line[128];
	va_list ap;
	int ret;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	ret = file_write(FAULT_FILE, line);
	TEST_ASSERT(!ret, "write \"%s\" to %s: %s", line, FAULT_FILE,
		    strerror(-ret));
}

/* The fault file's counters: injected per kind, held, abandoned */
struct fault_counts {
	unsigned long long injected[FK_KINDS];
	unsigned long long held;
	unsigned long long abandoned;
	unsigned int armed;
};

static inline void fault_counts(struct fault_counts *c)
{
	char buf[4096], *line;

	memset(c, 0, sizeof(*c));
	TEST_ASSERT(debugfs_read(FAULT_FILE, buf, sizeof(buf)), "read %s: %s",
		    FAULT_FILE, strerror(errno));
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		if (sscanf(line, "injected: fail %llu delay %llu hang %llu corrupt %llu",
			   &c->injected[FK_FAIL], &c->injected[FK_DELAY],
			   &c->injected[FK_HANG], &c->injected[FK_CORRUPT]) == 4)
			continue;
		if (sscanf(line, "held: %llu", &c->held) == 1 ||
		    sscanf(line, "abandoned: %llu", &c->abandoned) == 1)
			continue;
		c->armed++;
	}
}

static inline unsigned long long fault_total(const struct fault_counts *c)
{
	unsigned long long n = 0;
	int i;

	for (i = 0; i < FK_KINDS; i++)
		n += c->injected[i];
	return n;
}

/* After a release: wait until no command is held any more */
static inline void fault_wait_released(struct fault_counts *c)
{
	int i;

	for (i = 0; i < 200; i++) {
		fault_counts(c);
		if (!c->held)
			return;
		usleep(10000);
	}
}

static inline bool psp_dead(void)
{
	char buf[16];

	TEST_ASSERT(debugfs_read(PSP_DEAD_FILE, buf, sizeof(buf)), "read %s",
		    PSP_DEAD_FILE);
	return buf[0] == 'Y';
}

/* Set sev-psp's command timeout (seconds); returns the old one */
static inline int psp_set_timeout(int seconds)
{
	char buf[32];
	int old;

	TEST_ASSERT(debugfs_read(PSP_TIMEOUT_PARAM, buf, sizeof(buf)),
		    "read %s", PSP_TIMEOUT_PARAM);
	old = atoi(buf);
	snprintf(buf, sizeof(buf), "%d", seconds);
	TEST_ASSERT(!file_write(PSP_TIMEOUT_PARAM, buf), "write %s",
		    PSP_TIMEOUT_PARAM);
	return old;
}

/* Does the list "key=val key=val" set parameter @name? */
static inline bool param_given(const char *list, const char *name)
{
	size_t len = strlen(name);
	const char *p = list;

	while (p && *p) {
		if (!strncmp(p, name, len) && p[len] == '=')
			return true;
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	return false;
}

/*
 * The insmod command line that loads sev-emu.ko (the path comes from
 * $SEV_EMU_KO) with the parameters it was loaded with, except those
 * @override gives ("key=val key=val", or NULL), into @cmd (@len bytes).
 * A parameter that cannot be read fails it if @strict, else it is left
 * out. Returns 0, or -1 with the reason in @why (@why_len bytes).
 */
static inline int emu_insmod_cmd(char *cmd, size_t len, const char *override,
				 bool strict, char *why, size_t why_len)
{
	const char *pdir = "/sys/module/sev_emu/parameters";
	const char *ko = getenv("SEV_EMU_KO");
	char path[512], val[128];
	struct dirent *d;
	size_t n;
	DIR *dir;

	if (!ko || !*ko) {
		snprintf(why, why_len, "SEV_EMU_KO is not set");
		return -1;
	}
	n = snprintf(cmd, len, "insmod '%s'", ko);
	dir = opendir(pdir);
	if (!dir) {
		snprintf(why, why_len, "%s: %s", pdir, strerror(errno));
		return -1;
	}
	while ((d = readdir(dir)) && n < len) {
		if (d->d_name[0] == '.' || param_given(override, d->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/%s", pdir, d->d_name);
		if (!debugfs_read(path, val, sizeof(val))) {
			if (!strict)
				continue;
			snprintf(why, why_len, "read %s", path);
			closedir(dir);
			return -1;
		}
		val[strcspn(val, "\n")] = 0;
		n += snprintf(cmd + n, len - n, " %s=%s", d->d_name, val);
	}
	closedir(dir);
	if (override && n < len)
		n += snprintf(cmd + n, len - n, " %s", override);
	if (n >= len) {
		snprintf(why, why_len, "too many sev_emu parameters");
		return -1;
	}
	return 0;
}

/*
 * Reload sev-emu.ko with the parameters of emu_insmod_cmd(): a new
 * mailbox and firmware instance, so a latched-dead PSP works again
 */
static inline void emu_reload_with(const char *override)
{
	char cmd[2048], why[640];

	TEST_ASSERT(!emu_insmod_cmd(cmd, sizeof(cmd), override, true, why,
				    sizeof(why)), "%s", why);
	TEST_ASSERT(system("rmmod sev_emu") == 0, "rmmod sev_emu failed");
	TEST_ASSERT(system(cmd) == 0, "%s failed", cmd);
}

static inline void emu_reload(void)
{
	emu_reload_with(NULL);
}

/* Everything a leak would leave behind, system wide */
struct leak_snap {
	long fw_guests;		/* guest contexts in the firmware */
	long fw_bound;		/* firmware ASIDs allocated or in use */
	long kvm_asids;		/* KVM ASIDs in use (not awaiting reclaim) */
	long pins;		/* FOLL_PIN pages not yet unpinned */
};

static inline long fw_guest_contexts(void)
{
	char buf[65536], *line;
	long n = -1;		/* the header line */

	TEST_ASSERT(debugfs_read(EMU_DIR "/guests", buf, sizeof(buf)),
		    "read sev-emu/guests: %s", strerror(errno));
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
		n++;
	return n;
}

static inline long fw_bound_asids(void)
{
	char buf[65536], state[32], *line;
	unsigned int lo, hi;
	long n = 0;

	TEST_ASSERT(debugfs_read(EMU_DIR "/asids", buf, sizeof(buf)),
		    "read sev-emu/asids: %s", strerror(errno));
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
		if (sscanf(line, "%u-%u: %31s", &lo, &hi, state) == 3 &&
		    (!strcmp(state, "allocated") || !strcmp(state, "in-use")))
			n += hi - lo + 1;
	return n;
}

static inline void leak_snap(struct leak_snap *s)
{
	s->fw_guests = fw_guest_contexts();
	s->fw_bound = fw_bound_asids();
	s->kvm_asids = sev_platform_value("asids", "in use");
	s->pins = sys_pinned_pages();
}

static inline bool leak_same(const struct leak_snap *a,
			     const struct leak_snap *b)
{
	return a->fw_guests == b->fw_guests && a->fw_bound == b->fw_bound &&
	       a->kvm_asids == b->kvm_asids && a->pins == b->pins;
}

/*
 * Wait (VMs are torn down after their last reference drops) until the
 * state is back at @before; print both and fail the test otherwise.
 * Returns the number of leaked objects found (0 when it settled).
 */
static inline long leak_check(const struct leak_snap *before,
			      const char *what)
{
	struct leak_snap now;
	long waited;

	for (waited = 0;; waited += 10) {
		leak_snap(&now);
		if (leak_same(&now, before))
			return 0;
		if (waited >= SETTLE_MS)
			break;
		usleep(10000);
	}
	printf("# %s: leak: fw guests %ld->%ld, fw bound ASIDs %ld->%ld,",
	       what, before->fw_guests, now.fw_guests, before->fw_bound,
	       now.fw_bound);
	printf(" KVM ASIDs %ld->%ld, pinned pages %ld->%ld\n",
	       before->kvm_asids, now.kvm_asids, before->pins, now.pins);
	fflush(stdout);
	return labs(now.fw_guests - before->fw_guests) +
	       labs(now.fw_bound - before->fw_bound) +
	       labs(now.kvm_asids - before->kvm_asids) +
	       labs(now.pins - before->pins);
}

static inline void leak_assert_none(const struct leak_snap *before,
				    const char *what)
{
	TEST_ASSERT(leak_check(before, what) == 0, "%s leaked", what);
}

/* ---- reloads, timeouts and quarantine under load (fuzz, stress) ---- */

#define EMU_STOP_ON_ABORT	EMU_DIR "/stop_on_abort"
#define PSP_QUARANTINE_FILE	DEBUGFS "/sev-psp/quarantine"
#define KVM_SEV_PLATFORM_FILE	DEBUGFS "/kvm_amd_sev/platform"
#define WATCHDOG_THRESH_FILE	"/proc/sys/kernel/watchdog_thresh"

/* sev-psp's command timeout (seconds) */
static inline int psp_get_timeout(void)
{
	char buf[32];

	TEST_ASSERT(debugfs_read(PSP_TIMEOUT_PARAM, buf, sizeof(buf)),
		    "read %s", PSP_TIMEOUT_PARAM);
	return atoi(buf);
}

/*
 * As emu_reload_with(), for a caller that goes on when it fails (a
 * fuzzer's coordinator, with workers issuing commands meanwhile): the
 * rmmod is retried for a second, and when it is gone for good the module
 * is inserted again. Returns 0, or -1 (the reason is printed as a TAP
 * diagnostic).
 */
static inline int emu_try_reload(const char *override)
{
	char cmd[2048], why[640];
	int i;

	if (emu_insmod_cmd(cmd, sizeof(cmd), override, false, why,
			   sizeof(why))) {
		printf("# %s\n", why);
		return -1;
	}
	fflush(stdout);
	for (i = 0; system("rmmod sev_emu 2>/dev/null"); i++) {
		if (i == 20) {
			printf("# rmmod sev_emu failed 20 times\n");
			return -1;
		}
		usleep(50000);
	}
	if (system(cmd)) {
		printf("# %s failed\n", cmd);
		return -1;
	}
	return 0;
}

/* What the PSP driver and KVM keep for good after unstoppable timeouts */
struct quarantine_counts {
	long psp_active;	/* mailboxes whose command may still run */
	long psp_cmds;		/* commands that timed out unstopped */
	long psp_bufs;		/* PSP driver buffers kept */
	long kvm_pages;		/* KVM pins kept */
	long kvm_bufs;		/* KVM buffers kept */
};

static inline void quarantine_counts(struct quarantine_counts *q)
{
	q->psp_active = debugfs_value(PSP_QUARANTINE_FILE, "active");
	q->psp_cmds = debugfs_value(PSP_QUARANTINE_FILE, "commands");
	q->psp_bufs = debugfs_value(PSP_QUARANTINE_FILE, "buffers");
	q->kvm_pages = debugfs_value(KVM_SEV_PLATFORM_FILE,
				     "quarantined pages");
	q->kvm_bufs = debugfs_value(KVM_SEV_PLATFORM_FILE,
				    "quarantined buffers");
}

/*
 * As leak_check(), for a run in which timed-out commands quarantined
 * @kept pinned pages: those stay pinned for good, so the pins must be
 * exactly @kept above @before (fewer would mean a quarantined page was
 * unpinned). Returns the number of leaked (or lost) objects.
 */
static inline long leak_check_kept(const struct leak_snap *before, long kept,
				   const char *what)
{
	struct leak_snap want = *before;

	want.pins += kept;
	if (kept)
		printf("# %s: %ld pinned pages quarantined (kept on purpose)\n",
		       what, kept);
	return leak_check(&want, what);
}

/* Kernel log lines of a stall (soft lockup, RCU stall, hung task) */
static inline bool kmsg_is_stall(const char *line)
{
	return strstr(line, "soft lockup") ||
	       strstr(line, "rcu_sched self-detected stall") ||
	       strstr(line, "rcu_preempt self-detected stall") ||
	       strstr(line, "rcu: INFO") || strstr(line, "hung_task") ||
	       strstr(line, "blocked for more than");
}

/*
 * The longest physically contiguous run in [@p, @p + @len) (root reads
 * PFNs in /proc/self/pagemap): its offset in *@off and its length, 0 if
 * the map cannot be read. The memory must be populated.
 */
static inline size_t phys_longest_run(const uint8_t *p, size_t len,
				      size_t *off)
{
	size_t i, j, n = len / PAGE_SZ, best = 0, run = 0, start = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);
	uint64_t e[512], prev = 0;
	ssize_t got;

	*off = 0;
	if (fd < 0)
		return 0;
	for (i = 0; i < n; i += got / sizeof(e[0])) {
		got = pread(fd, e, sizeof(e), ((uintptr_t)p / PAGE_SZ + i) *
			    sizeof(e[0]));
		if (got < (ssize_t)sizeof(e[0]))
			break;
		for (j = 0; j < got / sizeof(e[0]) && i + j < n; j++) {
			uint64_t pfn = e[j] & ((1ULL << 55) - 1);

			if (!(e[j] >> 63) || !pfn) {
				run = 0;
				continue;
			}
			if (run && pfn == prev + 1) {
				run++;
			} else {
				run = 1;
				start = i + j;
			}
			prev = pfn;
			if (run > best) {
				best = run;
				*off = start * PAGE_SZ;
			}
		}
	}
	close(fd);
	return best * PAGE_SZ;
}

#endif /* _FAULT_UTIL_H */
