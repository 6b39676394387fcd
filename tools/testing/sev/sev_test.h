/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * /dev/sev test library in the style of the KVM selftests: raw
 * SEV_ISSUE_CMD wrappers that return -errno, asserting wrappers, test
 * assertions, and a runner that forks every test case and reports KTAP.
 */

#ifndef _SEV_TEST_H
#define _SEV_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/psp-sev.h>
#include "tap.h"

#ifndef SEV_DEV_PATH
#define SEV_DEV_PATH		"/dev/sev"
#endif
#define SEV_FW_BLOB_MAX_SIZE	0x4000	/* the kernel's cap on user blobs */
#define SEV_CERT_LEN		0x824	/* PEK_CSR and PDH certificate */
#define SEV_CHAIN_LEN		0x186c	/* PEK, OCA and CEK certificates */
#define SEV_ID_LEN		64	/* GET_ID2 output of one socket */

#define SEV_STATE_UNINIT	0
#define SEV_STATE_INIT		1
#define SEV_STATE_WORKING	2
#define SEV_FLAGS_OWNER		0x1	/* platform is externally owned */

#define SEV_ERROR_POISON	0xa5a5a5a5u
#define SEV_BUF_POISON		0x5a
#define SEV_TEST_TIMEOUT	300	/* seconds per test case */

/* An address userspace can never pass to the kernel */
#define SEV_KERNEL_PTR		((void *)0xffffffff81000000UL)

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

/* Fail the current test case (which runs in its own process) */
#define TEST_FAIL(fmt, ...)						\
do {									\
	printf("# %s:%d: " fmt "\n", __FILE__, __LINE__, ##__VA_ARGS__); \
	fflush(stdout);							\
	exit(KSFT_FAIL);						\
} while (0)

#define TEST_ASSERT(cond, fmt, ...)					\
do {									\
	if (!(cond))							\
		TEST_FAIL("%s: " fmt, #cond, ##__VA_ARGS__);		\
} while (0)

#define TEST_ASSERT_EQ(a, b)						\
do {									\
	long long __a = (long long)(a), __b = (long long)(b);		\
									\
	if (__a != __b)							\
		TEST_FAIL("%s == %s: got %lld (%#llx), expected %lld (%#llx)", \
			  #a, #b, __a, __a, __b, __b);			\
} while (0)

static inline const char *sev_cmd_name(uint32_t cmd)
{
	static const char * const names[] = {
		[SEV_FACTORY_RESET] = "FACTORY_RESET",
		[SEV_PLATFORM_STATUS] = "PLATFORM_STATUS",
		[SEV_PEK_GEN] = "PEK_GEN",
		[SEV_PEK_CSR] = "PEK_CSR",
		[SEV_PDH_GEN] = "PDH_GEN",
		[SEV_PDH_CERT_EXPORT] = "PDH_CERT_EXPORT",
		[SEV_PEK_CERT_IMPORT] = "PEK_CERT_IMPORT",
		[SEV_GET_ID] = "GET_ID",
		[SEV_GET_ID2] = "GET_ID2",
	};

	return cmd < ARRAY_SIZE(names) ? names[cmd] : "unknown command";
}

/*
 * Issue one SEV_ISSUE_CMD. Returns 0 or -errno; the firmware status the
 * kernel wrote back (or SEV_ERROR_POISON if none) goes to @fw_error.
 */
static inline int __sev_ioctl(int fd, uint32_t cmd, void *data,
			      uint32_t *fw_error)
{
	struct sev_issue_cmd arg = {
		.cmd = cmd,
		.data = (uintptr_t)data,
		.error = SEV_ERROR_POISON,
	};
	int ret;

	ret = ioctl(fd, SEV_ISSUE_CMD, &arg);
	if (fw_error)
		*fw_error = arg.error;
	return ret ? -errno : 0;
}

/* Assert that a command succeeds with firmware status 0 */
#define sev_ioctl(fd, cmd, data)					\
do {									\
	uint32_t __cmd = (cmd), __fw;					\
	int __r = __sev_ioctl(fd, __cmd, data, &__fw);			\
									\
	if (__r || __fw)						\
		TEST_FAIL("%s: ret %d (%s), fw error %#x",		\
			  sev_cmd_name(__cmd), __r, strerror(-__r), __fw); \
} while (0)

/*
 * Assert that a command fails with -@err and, unless @fw is negative, that
 * the firmware status written back is @fw
 */
#define sev_ioctl_fails(fd, cmd, data, err, fw)				\
do {									\
	uint32_t __cmd = (cmd), __fw;					\
	int __err = (err), __want = (fw);				\
	int __r = __sev_ioctl(fd, __cmd, data, &__fw);			\
									\
	if (__r != -__err || (__want >= 0 && __fw != (uint32_t)__want)) \
		TEST_FAIL("%s: ret %d (%s), fw error %#x; expected %d (%s), fw error %d", \
			  sev_cmd_name(__cmd), __r, strerror(-__r), __fw, \
			  -__err, strerror(__err), __want);		\
} while (0)

static inline int sev_open(int flags)
{
	int fd = open(SEV_DEV_PATH, flags);

	TEST_ASSERT(fd >= 0, "open(%s, %#x): %s", SEV_DEV_PATH, flags,
		    strerror(errno));
	return fd;
}

/* A @len-byte heap buffer filled with SEV_BUF_POISON */
static inline uint8_t *sev_buf(size_t len)
{
	uint8_t *p = malloc(len);

	TEST_ASSERT(p, "malloc(%zu)", len);
	memset(p, SEV_BUF_POISON, len);
	return p;
}

/* Whether @len bytes at @p still hold SEV_BUF_POISON */
static inline bool sev_poisoned(const uint8_t *p, size_t len)
{
	while (len--)
		if (*p++ != SEV_BUF_POISON)
			return false;
	return true;
}

static inline bool sev_all_zero(const uint8_t *p, size_t len)
{
	while (len--)
		if (*p++)
			return false;
	return true;
}

/* A user address that is mapped but can be neither read nor written */
static inline void *sev_bad_ptr(void)
{
	static void *p;

	if (!p) {
		p = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
			 -1, 0);
		TEST_ASSERT(p != MAP_FAILED, "mmap: %s", strerror(errno));
	}
	return p;
}

static inline void sev_status(int fd, struct sev_user_data_status *st)
{
	memset(st, SEV_BUF_POISON, sizeof(*st));
	sev_ioctl(fd, SEV_PLATFORM_STATUS, st);
}

static inline void sev_expect_state(int fd, int state, uint32_t owner)
{
	struct sev_user_data_status st;

	sev_status(fd, &st);
	TEST_ASSERT_EQ(st.state, state);
	TEST_ASSERT_EQ(st.flags & SEV_FLAGS_OWNER, owner);
}

/* FACTORY_RESET: the platform ends UNINIT and self-owned */
static inline void sev_factory_reset(int fd)
{
	sev_ioctl(fd, SEV_FACTORY_RESET, NULL);
	sev_expect_state(fd, SEV_STATE_UNINIT, 0);
}

/* PEK_CSR into @csr (SEV_CERT_LEN bytes) */
static inline void sev_pek_csr(int fd, uint8_t *csr)
{
	struct sev_user_data_pek_csr arg = {
		.address = (uintptr_t)csr,
		.length = SEV_CERT_LEN,
	};

	sev_ioctl(fd, SEV_PEK_CSR, &arg);
	TEST_ASSERT_EQ(arg.length, SEV_CERT_LEN);
}

/* PDH_CERT_EXPORT into @pdh (SEV_CERT_LEN) and @chain (SEV_CHAIN_LEN) */
static inline void sev_pdh_export(int fd, uint8_t *pdh, uint8_t *chain)
{
	struct sev_user_data_pdh_cert_export arg = {
		.pdh_cert_address = (uintptr_t)pdh,
		.pdh_cert_len = SEV_CERT_LEN,
		.cert_chain_address = (uintptr_t)chain,
		.cert_chain_len = SEV_CHAIN_LEN,
	};

	sev_ioctl(fd, SEV_PDH_CERT_EXPORT, &arg);
	TEST_ASSERT_EQ(arg.pdh_cert_len, SEV_CERT_LEN);
	TEST_ASSERT_EQ(arg.cert_chain_len, SEV_CHAIN_LEN);
}

/* PEK_CERT_IMPORT of @pek and @oca (SEV_CERT_LEN each); returns -errno */
static inline int __sev_pek_import(int fd, uint8_t *pek, uint8_t *oca,
				   uint32_t *fw_error)
{
	struct sev_user_data_pek_cert_import arg = {
		.pek_cert_address = (uintptr_t)pek,
		.pek_cert_len = SEV_CERT_LEN,
		.oca_cert_address = (uintptr_t)oca,
		.oca_cert_len = SEV_CERT_LEN,
	};

	return __sev_ioctl(fd, SEV_PEK_CERT_IMPORT, &arg, fw_error);
}

/* GET_ID2 into @id (SEV_ID_LEN bytes) */
static inline void sev_get_id2(int fd, uint8_t *id)
{
	struct sev_user_data_get_id2 arg = {
		.address = (uintptr_t)id,
		.length = SEV_ID_LEN,
	};

	sev_ioctl(fd, SEV_GET_ID2, &arg);
	TEST_ASSERT_EQ(arg.length, SEV_ID_LEN);
}

struct sev_test {
	const char *name;
	void (*fn)(void);
};

/*
 * Run each test case in a child process (a failed assertion ends only
 * that case) and report one KTAP line per case; returns the exit code.
 */
static inline int sev_run_cases(const struct sev_test *tests, size_t n)
{
	int status;
	size_t i;
	pid_t pid;

	tap_plan(n);
	for (i = 0; i < n; i++) {
		fflush(stdout);
		pid = fork();
		if (pid < 0)
			tap_bail_out("fork: %s", strerror(errno));
		if (!pid) {
			alarm(SEV_TEST_TIMEOUT);
			tests[i].fn();
			fflush(stdout);
			exit(KSFT_PASS);
		}
		if (waitpid(pid, &status, 0) != pid)
			tap_bail_out("waitpid: %s", strerror(errno));
		if (WIFSIGNALED(status))
			tap_diag("%s: killed by signal %d%s", tests[i].name,
				 WTERMSIG(status),
				 WTERMSIG(status) == SIGALRM ? " (timeout)" : "");
		tap_result(WIFEXITED(status) && WEXITSTATUS(status) == KSFT_PASS,
			   "%s", tests[i].name);
	}
	return tap_finish();
}

/* As sev_run_cases(), for tests that need /dev/sev: bail out without it */
static inline int sev_run_tests(const struct sev_test *tests, size_t n)
{
	int fd;

	fd = open(SEV_DEV_PATH, O_RDWR);
	if (fd < 0)
		tap_bail_out("cannot open %s: %s", SEV_DEV_PATH, strerror(errno));
	close(fd);
	return sev_run_cases(tests, n);
}

#endif /* _SEV_TEST_H */
