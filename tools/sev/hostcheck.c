// SPDX-License-Identifier: GPL-2.0-only
/*
 * sev-host check: can this host run SEV guests? One line per check (CPU,
 * BIOS, KVM, device nodes, firmware, driver conflict, memlock limit) with
 * pass, warn, skip or fail and the reason, then a verdict.
 *
 * Every path is read below a root prefix (--root, $SEV_HOST_ROOT), so the
 * host tests run it on fake /proc, /sys and /dev trees.
 */

#define _GNU_SOURCE
#define _FILE_OFFSET_BITS 64
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <linux/capability.h>

#include "cmdline.h"
#include "hostcheck.h"
#include "sevdev.h"
#include "status.h"

/*
 * The oldest firmware API accepted. The number is this tool's choice: the
 * project states no minimum, and Linux 6.1 needs none to run guests (its
 * PSP driver, sev-dev.c, asks 0.15 for a firmware update and 0.16 for
 * GET_ID; its KVM checks no version). 0.17 is the API of the oldest
 * production firmware (first-generation EPYC) and the first whose
 * LAUNCH_SECRET MAC covers the launch measurement (SEV API, publication
 * 55766); "sev-owner secret" always builds that MAC, so older firmware
 * would reject its secrets.
 */
#define MIN_API_MAJOR	0
#define MIN_API_MINOR	17

#define CPUID_MAX_EXT	0x80000000u
#define CPUID_SEV	0x8000001fu
#define MSR_SYSCFG	0xc0010010u
#define SYSCFG_SMEE	0x800000ull	/* bit 23, MemEncryptionModEn */
/* below this RLIMIT_MEMLOCK (without CAP_IPC_LOCK) a warning */
#define MEMLOCK_LOW	(64ull << 20)

enum chk_status { CHK_PASS, CHK_WARN, CHK_SKIP, CHK_FAIL };

static const char * const chk_word[] = {
	[CHK_PASS] = "pass",
	[CHK_WARN] = "warn",
	[CHK_SKIP] = "skip",
	[CHK_FAIL] = "fail",
};

#define CHK_MAX		16
#define CHK_MSG		512

struct chk {
	const char *name;
	enum chk_status st;
	char msg[CHK_MSG];
};

enum cpu_source { CPU_NONE, CPU_CPUID, CPU_CPUINFO };

struct cpu_facts {
	enum cpu_source src;
	char vendor[16];
	char cpuid_why[160];	/* why /dev/cpu/0/cpuid was not used */
	char cpuinfo_why[160];	/* why /proc/cpuinfo was not used */
	u32 max_ext;		/* highest extended CPUID leaf */
	bool leaf;		/* CPUID 0x8000001F exists */
	bool sme, sev, sev_es;
	u32 cbit, phys_red, max_asid, min_asid;
};

struct hostcheck {
	char root[PATH_MAX];	/* without a trailing '/': "" is / */
	const char *device;	/* the /dev/sev path shown */
	char dev_path[PATH_MAX]; /* and opened */
	struct cpu_facts cpu;
	char backend[64];	/* "sev-emu", a PCI name, "ccp.ko" */
	bool sw_fw;		/* the software firmware backs /dev/sev */
	bool have_status;
	struct sev_user_data_status st;
	struct chk fw;		/* the firmware line */
	struct chk chk[CHK_MAX];
	int n;
};

static void set_chk(struct chk *c, const char *name, enum chk_status st,
		    const char *fmt, va_list ap)
{
	c->name = name;
	c->st = st;
	vsnprintf(c->msg, sizeof(c->msg), fmt, ap);
}

/* Append a result line */
static __printf(4, 5) void add(struct hostcheck *h, const char *name,
			       enum chk_status st, const char *fmt, ...)
{
	va_list ap;

	if (h->n >= CHK_MAX)
		return;
	va_start(ap, fmt);
	set_chk(&h->chk[h->n++], name, st, fmt, ap);
	va_end(ap);
}

/* The firmware line: found first, printed after the platform's */
static __printf(3, 4) void fw_line(struct hostcheck *h, enum chk_status st,
				   const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_chk(&h->fw, "firmware", st, fmt, ap);
	va_end(ap);
}

/* @path below the root into @out (PATH_MAX bytes); "" if too long */
static void rpath(const struct hostcheck *h, const char *path, char *out)
{
	if (snprintf(out, PATH_MAX, "%s%s", h->root, path) >= PATH_MAX)
		out[0] = '\0';
}

static bool exists(const struct hostcheck *h, const char *path)
{
	char p[PATH_MAX];
	struct stat sb;

	rpath(h, path, p);
	return !stat(p, &sb);
}

/* Read at most @len - 1 bytes of a text file; returns 0 or -errno */
static int read_text(const struct hostcheck *h, const char *path, char *buf,
		     size_t len)
{
	char p[PATH_MAX];
	size_t got = 0;
	ssize_t n = 1;
	int fd, ret = 0;

	buf[0] = '\0';
	rpath(h, path, p);
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (got < len - 1 && n > 0) {
		n = read(fd, buf + got, len - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			ret = -errno;
		else
			got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	return ret;
}

/* Why the device node @path of module @mod could not be opened */
static void open_why(char *buf, size_t len, const char *path, int err,
		     const char *mod)
{
	if (err == ENOENT)
		snprintf(buf, len, "%s is missing (modprobe %s)", path, mod);
	else if (err == EACCES || err == EPERM)
		snprintf(buf, len, "%s: permission denied (root only)", path);
	else
		snprintf(buf, len, "%s: %s", path, strerror(err));
}

/* cpuid(4): a read at offset @leaf returns EAX, EBX, ECX, EDX */
static int cpuid_leaf(int fd, u32 leaf, u32 r[4])
{
	u8 b[16];
	ssize_t n;
	int i;

	n = pread(fd, b, sizeof(b), (off_t)leaf);
	if (n < 0)
		return -errno;
	if (n != sizeof(b))
		return -EIO;
	for (i = 0; i < 4; i++)
		r[i] = sev_get_le32(b + 4 * i);
	return 0;
}

static void set_vendor(struct cpu_facts *c, const u32 r[4])
{
	char v[13];
	int i;

	/* leaf 0: EBX, EDX, ECX spell "AuthenticAMD" */
	memcpy(v, &r[1], 4);
	memcpy(v + 4, &r[3], 4);
	memcpy(v + 8, &r[2], 4);
	v[12] = '\0';
	for (i = 0; i < 12; i++)
		if (v[i] < 0x20 || v[i] > 0x7e)
			return;
	strcpy(c->vendor, v);
}

static bool cpu_by_cpuid(struct hostcheck *h)
{
	struct cpu_facts *c = &h->cpu;
	char p[PATH_MAX];
	u32 r[4];
	int fd, ret;

	rpath(h, "/dev/cpu/0/cpuid", p);
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		open_why(c->cpuid_why, sizeof(c->cpuid_why),
			 "/dev/cpu/0/cpuid", errno, "cpuid");
		return false;
	}
	ret = cpuid_leaf(fd, 0, r);
	if (!ret) {
		set_vendor(c, r);
		ret = cpuid_leaf(fd, CPUID_MAX_EXT, r);
	}
	if (!ret) {
		c->max_ext = r[0];
		if (c->max_ext >= CPUID_SEV && c->max_ext < CPUID_MAX_EXT + 0x1000)
			ret = cpuid_leaf(fd, CPUID_SEV, r);
		else
			r[0] = 0;
	}
	close(fd);
	if (ret) {
		snprintf(c->cpuid_why, sizeof(c->cpuid_why),
			 "/dev/cpu/0/cpuid: %s", strerror(-ret));
		return false;
	}
	c->src = CPU_CPUID;
	c->leaf = c->max_ext >= CPUID_SEV && c->max_ext < CPUID_MAX_EXT + 0x1000;
	if (!c->leaf)
		return true;
	c->sme = r[0] & BIT(0);
	c->sev = r[0] & BIT(1);
	c->sev_es = r[0] & BIT(3);
	c->cbit = r[1] & 0x3f;
	c->phys_red = (r[1] >> 6) & 0x3f;
	c->max_asid = r[2];
	c->min_asid = r[3];
	return true;
}

/* The first CPU's vendor_id and flags from /proc/cpuinfo */
static bool cpu_by_cpuinfo(struct hostcheck *h)
{
	struct cpu_facts *c = &h->cpu;
	char *buf, *line, *save, *save2, *tok, *val;
	bool found = false;
	int ret;

	buf = malloc(65536);
	if (!buf) {
		snprintf(c->cpuinfo_why, sizeof(c->cpuinfo_why),
			 "out of memory");
		return false;
	}
	ret = read_text(h, "/proc/cpuinfo", buf, 65536);
	if (ret) {
		snprintf(c->cpuinfo_why, sizeof(c->cpuinfo_why),
			 "/proc/cpuinfo: %s", strerror(-ret));
		free(buf);
		return false;
	}
	for (line = strtok_r(buf, "\n", &save); line && !found;
	     line = strtok_r(NULL, "\n", &save)) {
		val = strchr(line, ':');
		if (!val)
			continue;
		*val++ = '\0';
		line[strcspn(line, " \t")] = '\0';
		if (!strcmp(line, "vendor_id") && !c->vendor[0]) {
			val += strspn(val, " \t");
			snprintf(c->vendor, sizeof(c->vendor), "%s", val);
		} else if (!strcmp(line, "flags")) {
			found = true;
			for (tok = strtok_r(val, " \t", &save2); tok;
			     tok = strtok_r(NULL, " \t", &save2)) {
				if (!strcmp(tok, "sme"))
					c->sme = true;
				else if (!strcmp(tok, "sev"))
					c->sev = true;
				else if (!strcmp(tok, "sev_es"))
					c->sev_es = true;
			}
		}
	}
	free(buf);
	if (!found) {
		snprintf(c->cpuinfo_why, sizeof(c->cpuinfo_why),
			 "/proc/cpuinfo has no flags line");
		return false;
	}
	c->src = CPU_CPUINFO;
	return true;
}

static const char *yes(bool b)
{
	return b ? "yes" : "no";
}

static void check_cpu(struct hostcheck *h)
{
	struct cpu_facts *c = &h->cpu;
	char why[320];
	const char *v;

	if (!cpu_by_cpuid(h))
		cpu_by_cpuinfo(h);
	v = c->vendor[0] ? c->vendor : "CPU";
	if (c->src == CPU_NONE) {
		add(h, "cpu", CHK_SKIP, "cannot read the CPU features: %s; %s",
		    c->cpuid_why, c->cpuinfo_why);
		return;
	}
	if (c->sev) {
		add(h, "cpu", CHK_PASS, "%s: SEV supported (SME %s, SEV %s, SEV-ES %s; %s)",
		    v, yes(c->sme), yes(c->sev), yes(c->sev_es),
		    c->src == CPU_CPUID ? "CPUID 0x8000001F" :
		    "/proc/cpuinfo flags");
		return;
	}
	if (c->src == CPU_CPUINFO)
		snprintf(why, sizeof(why),
			 "no 'sev' flag in /proc/cpuinfo (the CPU lacks SEV, or the BIOS left memory encryption off and Linux hid the flag)");
	else if (!c->leaf)
		snprintf(why, sizeof(why),
			 "no CPUID leaf 0x8000001F (highest extended leaf %#x)",
			 c->max_ext);
	else
		snprintf(why, sizeof(why),
			 "CPUID 0x8000001F EAX bit 1 (SEV) is clear");
	if (h->sw_fw)
		add(h, "cpu", CHK_SKIP,
		    "%s: no SEV: %s; not needed, the software firmware supplies the C-bit and ASIDs",
		    v, why);
	else
		add(h, "cpu", CHK_FAIL, "%s: no SEV: %s", v, why);
}

static void check_asids(struct hostcheck *h)
{
	struct cpu_facts *c = &h->cpu;
	char es[96] = "";

	if (c->src == CPU_NONE) {
		add(h, "cpu-asids", CHK_SKIP, "the CPU features are unknown");
		return;
	}
	if (!c->sev) {
		add(h, "cpu-asids", CHK_SKIP, "no SEV in the CPU");
		return;
	}
	if (c->src != CPU_CPUID) {
		add(h, "cpu-asids", CHK_SKIP, "the C-bit and ASIDs need CPUID 0x8000001F: %s",
		    c->cpuid_why);
		return;
	}
	if (!c->max_asid) {
		add(h, "cpu-asids", CHK_FAIL,
		    "CPUID 0x8000001F ECX = 0: no encrypted guests (SEV is off in the BIOS?)");
		return;
	}
	if (c->min_asid > c->max_asid) {
		add(h, "cpu-asids", CHK_FAIL,
		    "no SEV ASIDs: the minimum SEV ASID %u is above the maximum %u (the BIOS's SEV-ES ASID space limit takes them all)",
		    c->min_asid, c->max_asid);
		return;
	}
	if (c->sev_es && c->min_asid > 1)
		snprintf(es, sizeof(es), ", SEV-ES ASIDs 1-%u", c->min_asid - 1);
	else if (c->sev_es)
		snprintf(es, sizeof(es),
			 ", no SEV-ES ASIDs (minimum SEV ASID %u: see the BIOS's SEV-ES ASID space limit)",
			 c->min_asid);
	add(h, "cpu-asids", CHK_PASS,
	    "C-bit %u, physical address reduction %u bits, %u encrypted guests: SEV ASIDs %u-%u%s",
	    c->cbit, c->phys_red, c->max_asid, c->min_asid ? c->min_asid : 1,
	    c->max_asid, es);
}

static void check_syscfg(struct hostcheck *h)
{
	const char *path = "/dev/cpu/0/msr";
	char p[PATH_MAX], why[160];
	ssize_t n;
	u8 b[8];
	u64 val;
	int fd;

	if (h->cpu.src != CPU_NONE && !h->cpu.sev) {
		add(h, "syscfg", CHK_SKIP, "no SEV in the CPU");
		return;
	}
	rpath(h, path, p);
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		open_why(why, sizeof(why), path, errno, "msr");
		add(h, "syscfg", CHK_SKIP, "cannot read SYSCFG (MSR 0xC0010010): %s",
		    why);
		return;
	}
	n = pread(fd, b, sizeof(b), (off_t)MSR_SYSCFG);
	if (n < 0)
		snprintf(why, sizeof(why), "%s", strerror(errno));
	close(fd);
	if (n != sizeof(b)) {
		add(h, "syscfg", CHK_SKIP, "cannot read SYSCFG (MSR 0xC0010010) through %s: %s",
		    path, n < 0 ? why : "short read");
		return;
	}
	val = sev_get_le32(b) | (u64)sev_get_le32(b + 4) << 32;
	if (val & SYSCFG_SMEE)
		add(h, "syscfg", CHK_PASS,
		    "SYSCFG (MSR 0xC0010010) = %#llx: bit 23 MemEncryptionModEn set",
		    (unsigned long long)val);
	else
		add(h, "syscfg", CHK_FAIL,
		    "SYSCFG (MSR 0xC0010010) = %#llx: bit 23 MemEncryptionModEn clear, memory encryption is off (enable SME/SEV in the BIOS)",
		    (unsigned long long)val);
}

/* kvm_amd parameter @name: 1 (Y, 1), 0 (N, 0) or a negative errno */
static int kvm_param(const struct hostcheck *h, const char *name)
{
	char path[96], buf[16];
	int ret;

	snprintf(path, sizeof(path), "/sys/module/kvm_amd/parameters/%s", name);
	ret = read_text(h, path, buf, sizeof(buf));
	if (ret)
		return ret;
	buf[strcspn(buf, " \t\n")] = '\0';
	if (!strcmp(buf, "Y") || !strcmp(buf, "1"))
		return 1;
	if (!strcmp(buf, "N") || !strcmp(buf, "0"))
		return 0;
	return -EINVAL;
}

/* vmcb_sev_bit is a parameter of the project's kvm-amd.ko only */
static bool kvm_is_ours(const struct hostcheck *h)
{
	return exists(h, "/sys/module/kvm_amd/parameters/vmcb_sev_bit");
}

static void check_kvm(struct hostcheck *h)
{
	const char *who = kvm_is_ours(h) ? " (the project's kvm-amd.ko)" : "";
	int sev, es;

	if (!exists(h, "/sys/module/kvm_amd")) {
		add(h, "kvm-sev", CHK_FAIL, "kvm_amd is not loaded (modprobe kvm_amd)");
		add(h, "kvm-sev-es", CHK_SKIP, "kvm_amd is not loaded");
		return;
	}
	sev = kvm_param(h, "sev");
	if (sev == 1)
		add(h, "kvm-sev", CHK_PASS, "kvm_amd sev=Y%s", who);
	else if (!sev)
		add(h, "kvm-sev", CHK_FAIL,
		    "kvm_amd sev=N%s: KVM offers no SEV (it turns the parameter off when it finds no SEV platform at load, see dmesg; else reload kvm_amd with sev=1)",
		    who);
	else
		add(h, "kvm-sev", CHK_FAIL, "cannot read /sys/module/kvm_amd/parameters/sev: %s",
		    sev == -EINVAL ? "not Y/N/1/0" : strerror(-sev));

	es = kvm_param(h, "sev_es");
	if (es == 1)
		add(h, "kvm-sev-es", CHK_PASS, "kvm_amd sev_es=Y: SEV-ES guests available");
	else if (!es)
		add(h, "kvm-sev-es", CHK_SKIP,
		    "kvm_amd sev_es=N: no SEV-ES guests%s (plain SEV guests are not affected)",
		    *who ? ", the platform has no SEV-ES ASIDs (sev_emu.min_sev_asid)" :
			   "");
	else
		add(h, "kvm-sev-es", CHK_SKIP,
		    "cannot read /sys/module/kvm_amd/parameters/sev_es: %s",
		    es == -EINVAL ? "not Y/N/1/0" : strerror(-es));
}

/* A device node QEMU opens read-write */
static void check_node(struct hostcheck *h, const char *name,
		       const char *shown, const char *path,
		       const char *missing)
{
	struct stat sb;

	if (stat(path, &sb)) {
		if (errno == ENOENT)
			add(h, name, CHK_FAIL, "%s does not exist: %s", shown,
			    missing);
		else
			add(h, name, CHK_FAIL, "%s: %s", shown,
			    strerror(errno));
		return;
	}
	if (access(path, R_OK | W_OK)) {
		add(h, name, CHK_FAIL,
		    "%s is not readable and writable by uid %u (mode %04o, owner %u:%u): QEMU opens it read-write",
		    shown, getuid(), sb.st_mode & 07777, sb.st_uid, sb.st_gid);
		return;
	}
	add(h, name, CHK_PASS, "%s is readable and writable by uid %u%s", shown,
	    getuid(), S_ISCHR(sb.st_mode) ? "" : " (not a character device)");
}

static void check_nodes(struct hostcheck *h)
{
	char p[PATH_MAX];

	check_node(h, "dev-sev", h->device, h->dev_path,
		   "no PSP driver provides it (see the firmware line)");
	rpath(h, "/dev/kvm", p);
	check_node(h, "dev-kvm", "/dev/kvm", p, "the kvm module is not loaded");
}

static void check_platform(struct hostcheck *h)
{
	struct sev_user_data_status *st = &h->st;
	const char *ename;
	struct stat sb;
	char s[64];
	int fd, ret;
	u32 fw;

	fd = sevdev_open(h->dev_path, false);
	if (fd < 0) {
		add(h, "platform", CHK_SKIP, "PLATFORM_STATUS not issued: %s: %s",
		    h->device, strerror(-fd));
		return;
	}
	if (fstat(fd, &sb))
		sb.st_mode = 0;
	ret = sevdev_platform_status(fd, st, &fw);
	close(fd);
	if (ret == -ENOTTY && !S_ISCHR(sb.st_mode)) {
		add(h, "platform", CHK_SKIP, "%s is not a device: PLATFORM_STATUS not issued",
		    h->device);
		return;
	}
	if (ret && fw) {
		add(h, "platform", CHK_FAIL, "PLATFORM_STATUS failed: firmware error %s",
		    sev_status_str(fw, s, sizeof(s)));
		return;
	}
	if (ret) {
		ename = strerrorname_np(-ret);
		add(h, "platform", CHK_FAIL, "PLATFORM_STATUS failed: %s (errno %s)",
		    strerror(-ret), ename ? ename : "?");
		return;
	}
	h->have_status = true;
	if (st->api_major > MIN_API_MAJOR ||
	    (st->api_major == MIN_API_MAJOR && st->api_minor >= MIN_API_MINOR))
		add(h, "platform", CHK_PASS,
		    "API %u.%u build %u (%u.%u or later needed), state %s, %s, %u guests",
		    st->api_major, st->api_minor, st->build, MIN_API_MAJOR,
		    MIN_API_MINOR, sev_state_name(st->state),
		    st->flags & 1 ? "externally owned" : "self-owned",
		    st->guest_count);
	else
		add(h, "platform", CHK_FAIL,
		    "API %u.%u build %u is older than %u.%u, the oldest this stack supports: update the SEV firmware",
		    st->api_major, st->api_minor, st->build, MIN_API_MAJOR,
		    MIN_API_MINOR);
}

/*
 * The entries of the directory @path joined by @sep into @out; with
 * @pci_only only PCI functions ("0000:04:00.2", not bind, new_id, ...)
 */
static void list_dir(const struct hostcheck *h, const char *path,
		     bool pci_only, const char *sep, char *out, size_t len)
{
	char p[PATH_MAX];
	struct dirent *d;
	size_t used = 0;
	DIR *dir;

	out[0] = '\0';
	rpath(h, path, p);
	dir = opendir(p);
	if (!dir)
		return;
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.' || (pci_only && !strchr(d->d_name, ':')))
			continue;
		used += snprintf(out + used, len - used, "%s%s",
				 used ? sep : "", d->d_name);
		if (used >= len) {
			out[len - 1] = '\0';
			break;
		}
	}
	closedir(dir);
}

/* The PCI functions bound to the driver @drv, comma-separated */
static void bound_devices(const struct hostcheck *h, const char *drv,
			  char *out, size_t len)
{
	char path[96];

	snprintf(path, sizeof(path), "/sys/bus/pci/drivers/%s", drv);
	list_dir(h, path, true, ", ", out, len);
}

/*
 * Which firmware backs /dev/sev: the "backend:" line of the PSP driver's
 * debugfs (root only), else the modules that are loaded.
 */
static void check_firmware(struct hostcheck *h)
{
	bool emu = exists(h, "/sys/module/sev_emu");
	bool psp = exists(h, "/sys/module/sev_psp");
	bool ccp = exists(h, "/sys/module/ccp");
	char buf[1024], dbg[96], pci[160], *b;
	int ret;

	ret = read_text(h, "/sys/kernel/debug/sev-psp/platform", buf,
			sizeof(buf));
	b = ret ? NULL : strstr(buf, "backend: ");
	if (b && (b == buf || b[-1] == '\n')) {
		b += strlen("backend: ");
		b[strcspn(b, "\n")] = '\0';
		snprintf(h->backend, sizeof(h->backend), "%.63s", b);
	}
	snprintf(dbg, sizeof(dbg), "PSP debugfs: %s",
		 ret ? strerror(-ret) : "no backend line");
	if (!strcmp(h->backend, "sev-emu") || (!h->backend[0] && emu)) {
		h->sw_fw = true;
		snprintf(h->backend, sizeof(h->backend), "sev-emu");
		fw_line(h, CHK_WARN,
			"software firmware (sev-emu): no confidentiality, for development");
	} else if (h->backend[0]) {
		fw_line(h, CHK_PASS, "PSP %s through sev-psp.ko",
			h->backend);
	} else if (ccp) {
		bound_devices(h, "ccp", pci, sizeof(pci));
		snprintf(h->backend, sizeof(h->backend), "ccp.ko");
		if (pci[0])
			fw_line(h, CHK_PASS, "PSP via ccp.ko (PCI %s)", pci);
		else
			fw_line(h, CHK_FAIL, "ccp.ko is loaded but drives no PCI device: no PSP");
	} else if (psp) {
		bound_devices(h, "sev-psp", pci, sizeof(pci));
		snprintf(h->backend, sizeof(h->backend), "sev-psp.ko");
		fw_line(h, CHK_PASS, "PSP via sev-psp.ko (%s%s%s)",
			pci[0] ? "PCI " : "", pci[0] ? pci : "",
			pci[0] ? "" : dbg);
	} else {
		fw_line(h, CHK_FAIL,
			"no PSP driver is loaded (sev-psp.ko with the PSP or sev-emu.ko, or the distribution's ccp.ko)");
	}
}

/* sev-psp.ko installed by scripts/install.sh (--psp, --emu; --dkms) */
static bool psp_installed(const struct hostcheck *h, char *path, size_t len)
{
	static const char * const dirs[] = { "sevstack", "dkms" };
	static const char * const ext[] = { "", ".xz", ".zst", ".gz" };
	struct utsname u;
	size_t i, j;

	if (uname(&u))
		return false;
	for (i = 0; i < ARRAY_SIZE(dirs); i++) {
		for (j = 0; j < ARRAY_SIZE(ext); j++) {
			snprintf(path, len, "/lib/modules/%s/updates/%s/sev-psp.ko%s",
				 u.release, dirs[i], ext[j]);
			if (exists(h, path))
				return true;
		}
	}
	return false;
}

/*
 * The project's sev-psp.ko and the distribution's ccp.ko claim the same
 * PCI function and export the same SEV symbols: only one can be loaded.
 * sev-psp.ko installed means it is wanted (scripts/install.sh installs it
 * only for the setup without ccp.ko); the project's kvm-amd.ko alone over
 * ccp.ko is a supported setup.
 */
static void check_ccp(struct hostcheck *h)
{
	bool ccp = exists(h, "/sys/module/ccp");
	bool psp = exists(h, "/sys/module/sev_psp");
	bool blacklisted = exists(h, "/etc/modprobe.d/sevstack.conf");
	char path[PATH_MAX], pci[160], holders[160], owns[200];

	if (!ccp) {
		add(h, "ccp", CHK_PASS, "no conflict: ccp.ko is not loaded");
		return;
	}
	if (psp) {
		add(h, "ccp", CHK_FAIL,
		    "ccp.ko and sev-psp.ko are both loaded and both claim the PSP: remove one of them");
		return;
	}
	if (!psp_installed(h, path, sizeof(path))) {
		if (kvm_is_ours(h))
			add(h, "ccp", CHK_PASS,
			    "ccp.ko drives the PSP and the project's kvm-amd.ko runs over it (a supported setup)");
		else
			add(h, "ccp", CHK_PASS,
			    "ccp.ko drives the PSP (the distribution's driver)");
		return;
	}
	/* a module has an initstate; a built-in one only its parameters */
	if (!exists(h, "/sys/module/ccp/initstate")) {
		add(h, "ccp", CHK_FAIL,
		    "ccp is built into this kernel, so the installed %s can never load: use the project's kvm-amd.ko over ccp (scripts/install.sh without --psp)",
		    path);
		return;
	}
	bound_devices(h, "ccp", pci, sizeof(pci));
	list_dir(h, "/sys/module/ccp/holders", false, " ", holders,
		 sizeof(holders));
	if (pci[0])
		snprintf(owns, sizeof(owns), "owns the PSP (%s)", pci);
	else
		snprintf(owns, sizeof(owns), "exports the same symbols");
	if (blacklisted)
		add(h, "ccp", CHK_FAIL,
		    "ccp.ko is loaded and %s, so the installed %s cannot load: run 'modprobe -r %s%sccp; modprobe sev-psp kvm_amd', and rebuild the initramfs (update-initramfs -u): ccp came back despite the blacklist in /etc/modprobe.d/sevstack.conf",
		    owns, path, holders, holders[0] ? " " : "");
	else
		add(h, "ccp", CHK_FAIL,
		    "ccp.ko is loaded and %s, so the installed %s cannot load: run 'modprobe -r %s%sccp; modprobe sev-psp kvm_amd', or reboot after 'scripts/install.sh --psp', which blacklists ccp",
		    owns, path, holders, holders[0] ? " " : "");
}

static bool has_cap_ipc_lock(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];

	memset(d, 0, sizeof(d));
	if (syscall(SYS_capget, &hdr, d))
		return false;
	return d[CAP_TO_INDEX(CAP_IPC_LOCK)].effective &
	       CAP_TO_MASK(CAP_IPC_LOCK);
}

static void size_str(unsigned long long n, char *buf, size_t len)
{
	if (n && !(n % (1ull << 20)))
		snprintf(buf, len, "%llu MiB", n >> 20);
	else if (n && !(n % 1024))
		snprintf(buf, len, "%llu KiB", n >> 10);
	else
		snprintf(buf, len, "%llu bytes", n);
}

static void check_memlock(struct hostcheck *h)
{
	struct rlimit rl;
	char s[48];

	if (getrlimit(RLIMIT_MEMLOCK, &rl)) {
		add(h, "memlock", CHK_SKIP, "getrlimit(RLIMIT_MEMLOCK): %s",
		    strerror(errno));
		return;
	}
	if (rl.rlim_cur == RLIM_INFINITY) {
		add(h, "memlock", CHK_PASS, "RLIMIT_MEMLOCK unlimited");
		return;
	}
	size_str(rl.rlim_cur, s, sizeof(s));
	if (rl.rlim_cur >= MEMLOCK_LOW)
		add(h, "memlock", CHK_PASS, "RLIMIT_MEMLOCK %s", s);
	else if (has_cap_ipc_lock())
		add(h, "memlock", CHK_PASS, "RLIMIT_MEMLOCK %s, lifted by CAP_IPC_LOCK",
		    s);
	else
		add(h, "memlock", CHK_WARN,
		    "RLIMIT_MEMLOCK %s and no CAP_IPC_LOCK: KVM pins all memory of an SEV guest and counts it against this limit, so a bigger guest fails to start (raise it: ulimit -l, limits.conf, LimitMEMLOCK=)",
		    s);
}

static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", (unsigned char)*s);
		else
			putchar(*s);
	}
	putchar('"');
}

static void json_uint(const char *key, bool known, unsigned long v)
{
	printf("\"%s\": ", key);
	if (known)
		printf("%lu", v);
	else
		printf("null");
}

static void print_json(const struct hostcheck *h, const int count[4],
		       const char *verdict)
{
	const struct cpu_facts *c = &h->cpu;
	bool num = c->src == CPU_CPUID && c->leaf;
	static const char * const src[] = { "none", "cpuid", "cpuinfo" };
	int i;

	printf("{\"root\": ");
	json_str(h->root[0] ? h->root : "/");
	printf(", \"checks\": [");
	for (i = 0; i < h->n; i++) {
		printf("%s{\"name\": ", i ? ", " : "");
		json_str(h->chk[i].name);
		printf(", \"status\": \"%s\", \"message\": ",
		       chk_word[h->chk[i].st]);
		json_str(h->chk[i].msg);
		putchar('}');
	}
	printf("], \"cpu\": {\"source\": \"%s\", \"vendor\": ", src[c->src]);
	json_str(c->vendor);
	printf(", \"sme\": %s, \"sev\": %s, \"sev_es\": %s, ",
	       c->sme ? "true" : "false", c->sev ? "true" : "false",
	       c->sev_es ? "true" : "false");
	json_uint("cbit", num, c->cbit);
	printf(", ");
	json_uint("phys_addr_reduction", num, c->phys_red);
	printf(", ");
	json_uint("max_asid", num, c->max_asid);
	printf(", ");
	json_uint("min_sev_asid", num, c->min_asid);
	printf("}, \"platform\": ");
	if (h->have_status) {
		printf("{\"api_major\": %u, \"api_minor\": %u, \"build\": %u, ",
		       h->st.api_major, h->st.api_minor, h->st.build);
		printf("\"state\": \"%s\", \"guest_count\": %u}",
		       sev_state_name(h->st.state), h->st.guest_count);
	} else {
		printf("null");
	}
	printf(", \"firmware\": ");
	if (h->backend[0])
		json_str(h->backend);
	else
		printf("null");
	printf(", \"software_firmware\": %s", h->sw_fw ? "true" : "false");
	printf(", \"passed\": %d, \"warnings\": %d, \"skipped\": %d, \"failed\": %d",
	       count[CHK_PASS], count[CHK_WARN], count[CHK_SKIP],
	       count[CHK_FAIL]);
	printf(", \"can_run_sev_guests\": %s, \"verdict\": ",
	       count[CHK_FAIL] ? "false" : "true");
	json_str(verdict);
	printf("}\n");
}

/* --root DIR without its trailing slashes ("/" becomes "") */
static int set_root(struct hostcheck *h, const char *dir)
{
	struct stat sb;
	size_t len;

	if (stat(dir, &sb) || !S_ISDIR(sb.st_mode))
		return usage_fail("check: --root %s: not a directory", dir);
	len = strlen(dir);
	while (len > 0 && dir[len - 1] == '/')
		len--;
	if (len >= sizeof(h->root))
		return usage_fail("check: --root: path too long");
	memcpy(h->root, dir, len);
	h->root[len] = '\0';
	return 0;
}

int cmd_check(int argc, char **argv, const char *device)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "root", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	const char *root = getenv("SEV_HOST_ROOT");
	int c, i, ret, count[4] = { 0 };
	struct hostcheck *h;
	bool json = false;
	char verdict[160];

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'r':
			root = optarg;
			break;
		default:
			return usage_fail("check: bad option");
		}
	}
	if (optind != argc)
		return usage_fail("check: unexpected argument '%s'",
				  argv[optind]);
	h = calloc(1, sizeof(*h));
	if (!h) {
		tool_err("out of memory");
		return SEV_EXIT_IO;
	}
	ret = set_root(h, root && *root ? root : "/");
	if (ret)
		goto out;
	if (device) {
		h->device = device;
		snprintf(h->dev_path, sizeof(h->dev_path), "%s", device);
	} else {
		h->device = SEVDEV_DEFAULT_PATH;
		rpath(h, SEVDEV_DEFAULT_PATH, h->dev_path);
	}

	/* the firmware first: the CPU checks depend on it */
	check_firmware(h);
	check_cpu(h);
	check_asids(h);
	check_syscfg(h);
	check_kvm(h);
	check_nodes(h);
	check_platform(h);
	if (h->n < CHK_MAX)
		h->chk[h->n++] = h->fw;
	check_ccp(h);
	check_memlock(h);

	for (i = 0; i < h->n; i++)
		count[h->chk[i].st]++;
	if (count[CHK_FAIL])
		snprintf(verdict, sizeof(verdict),
			 "this host cannot run SEV guests (%d failed)",
			 count[CHK_FAIL]);
	else if (h->sw_fw)
		snprintf(verdict, sizeof(verdict),
			 "this host can run SEV guests on the software firmware (sev-emu): no confidentiality, for development only");
	else if (count[CHK_WARN])
		snprintf(verdict, sizeof(verdict),
			 "this host can run SEV guests (%d warning%s)",
			 count[CHK_WARN], count[CHK_WARN] > 1 ? "s" : "");
	else
		snprintf(verdict, sizeof(verdict),
			 "this host can run SEV guests");

	if (json) {
		print_json(h, count, verdict);
	} else {
		if (h->root[0])
			printf("root: %s\n", h->root);
		for (i = 0; i < h->n; i++)
			printf("%s  %s: %s\n", chk_word[h->chk[i].st],
			       h->chk[i].name, h->chk[i].msg);
		printf("verdict: %s\n", verdict);
	}
	ret = count[CHK_FAIL] ? SEV_EXIT_FAIL : SEV_EXIT_OK;
out:
	free(h);
	return ret;
}
