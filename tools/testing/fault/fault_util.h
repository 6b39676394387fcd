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
 * Reload sev-emu.ko (the path comes from $SEV_EMU_KO) with the parameters
 * it was loaded with, except those @override gives ("key=val key=val", or
 * NULL): a new mailbox and firmware instance, so a latched-dead PSP works
 * again
 */
static inline void emu_reload_with(const char *override)
{
	const char *pdir = "/sys/module/sev_emu/parameters";
	const char *ko = getenv("SEV_EMU_KO");
	char cmd[2048], path[512], val[128];
	struct dirent *d;
	size_t n;
	DIR *dir;

	TEST_ASSERT(ko && *ko, "SEV_EMU_KO is not set");
	n = snprintf(cmd, sizeof(cmd), "insmod '%s'", ko);
	dir = opendir(pdir);
	TEST_ASSERT(dir, "%s: %s", pdir, strerror(errno));
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		if (param_given(override, d->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/%s", pdir, d->d_name);
		TEST_ASSERT(debugfs_read(path, val, sizeof(val)), "read %s",
			    path);
		val[strcspn(val, "\n")] = 0;
		n += snprintf(cmd + n, sizeof(cmd) - n, " %s=%s", d->d_name,
			      val);
		TEST_ASSERT(n < sizeof(cmd), "too many parameters");
	}
	closedir(dir);
	if (override)
		n += snprintf(cmd + n, sizeof(cmd) - n, " %s", override);
	TEST_ASSERT(n < sizeof(cmd), "too many parameters");
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

#endif /* _FAULT_UTIL_H */
