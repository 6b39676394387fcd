// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the software SEV firmware's debugfs views: what the
 * "platform" and "commands" files print, rendered into a seq_file buffer
 * without a debugfs mount.
 */

#include <kunit/test.h>
#include <linux/psp-sev.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "sevfw-internal.h"
#include "sevfw-test-util.h"

#define T_BUF_LEN	PAGE_SIZE

/* The text a show function writes for @fw, NUL-terminated */
static char *t_show(struct kunit *test, struct sevfw *fw,
		    int (*show)(struct seq_file *m, void *v))
{
	struct seq_file *m = tu_alloc(test, sizeof(*m));

	m->buf = tu_alloc(test, T_BUF_LEN);
	m->size = T_BUF_LEN - 1;
	m->private = fw;
	KUNIT_ASSERT_EQ(test, show(m, NULL), 0);
	KUNIT_ASSERT_FALSE_MSG(test, seq_has_overflowed(m), "output too long");
	m->buf[m->count] = '\0';
	return m->buf;
}

/* Every line of @text is there once, and its first word too */
static void t_expect_lines_once(struct kunit *test, const char *text)
{
	char *copy = tu_alloc(test, strlen(text) + 1);
	char *lines[64], *line, *p = copy;
	int n = 0, i, j;

	strcpy(copy, text);
	while ((line = strsep(&p, "\n")) && *line) {
		KUNIT_ASSERT_LT(test, n, ARRAY_SIZE(lines));
		lines[n++] = line;
	}
	KUNIT_EXPECT_GT(test, n, 0);
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++) {
			size_t li = strcspn(lines[i], " :");
			size_t lj = strcspn(lines[j], " :");

			KUNIT_EXPECT_FALSE_MSG(test, li == lj &&
					       !strncmp(lines[i], lines[j], li),
					       "\"%s\" and \"%s\"", lines[i],
					       lines[j]);
		}
}

/*
 * "commands": one line per id that ran, one for all ids from 0x100 up, and
 * no counter printed twice (issue 13).
 */
static void sevfw_test_debugfs_commands(struct kunit *test)
{
	struct sevfw *fw = tu_fw(test, SEVFW_MEM_TRANSPARENT, 0x40);
	u8 *buf = tu_alloc(test, 16);
	char *text;

	/* nothing ran yet: the header only */
	text = t_show(test, fw, sevfw_commands_show);
	KUNIT_EXPECT_STREQ(test, text, "id count failed\n");

	KUNIT_ASSERT_EQ(test, tu_cmd(fw, SEV_CMD_PLATFORM_STATUS, buf),
			SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, tu_cmd(fw, SEV_CMD_PLATFORM_STATUS, buf),
			SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, tu_cmd(fw, SEV_CMD_PEK_GEN, NULL),
			SEV_RET_INVALID_PLATFORM_STATE);
	KUNIT_ASSERT_EQ(test, tu_cmd(fw, 0x0ff, NULL),
			SEV_RET_INVALID_COMMAND);
	KUNIT_ASSERT_EQ(test, tu_cmd(fw, 0x100, NULL),
			SEV_RET_INVALID_COMMAND);
	KUNIT_ASSERT_EQ(test, tu_cmd(fw, 0x7ff, NULL),
			SEV_RET_INVALID_COMMAND);
	KUNIT_ASSERT_EQ(test, tu_cmd(fw, 0x7ff, NULL),
			SEV_RET_INVALID_COMMAND);

	text = t_show(test, fw, sevfw_commands_show);
	KUNIT_EXPECT_STREQ(test, text,
			   "id count failed\n"
			   "0x04 2 0\n"
			   "0x05 1 1\n"
			   "0xff 1 1\n"
			   "other 3 -\n");
	t_expect_lines_once(test, text);
}

/* "platform": one "key: value" line per key, up or not */
static void sevfw_test_debugfs_platform(struct kunit *test)
{
	struct sevfw *fw = tu_fw(test, SEVFW_MEM_TRANSPARENT, 0x40);
	u8 *nv = tu_pages(test, SEVFW_NV_LEN);
	struct sev_data_init_ex *d = tu_alloc(test, sizeof(*d));
	char *text;

	text = t_show(test, fw, sevfw_platform_show);
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, "state: UNINIT\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, "nv_store: -\n"));
	t_expect_lines_once(test, text);

	d->length = sizeof(*d);
	d->nv_address = tu_pa(nv);
	d->nv_len = SEVFW_NV_LEN;
	KUNIT_ASSERT_EQ(test, tu_cmd(fw, SEV_CMD_INIT_EX, d), SEV_RET_SUCCESS);
	text = t_show(test, fw, sevfw_platform_show);
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, "state: INIT\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, "owner: self\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, "nv_store: external 0x"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, "config_es: 0\n"));
	KUNIT_EXPECT_NULL(test, strstr(text, "es_vmsa_records:"));
	t_expect_lines_once(test, text);

	/* ES: the TMR and the VMSA integrity records in use */
	KUNIT_ASSERT_EQ(test, tu_cmd(fw, SEV_CMD_SHUTDOWN, NULL),
			SEV_RET_SUCCESS);
	tu_init(test, fw, true);
	text = t_show(test, fw, sevfw_platform_show);
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, "config_es: 1\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, "es_vmsa_records: 0 of 4096\n"));
	t_expect_lines_once(test, text);
}

static struct kunit_case sevfw_debugfs_cases[] = {
	KUNIT_CASE(sevfw_test_debugfs_commands),
	KUNIT_CASE(sevfw_test_debugfs_platform),
	{}
};

static struct kunit_suite sevfw_debugfs_suite = {
	.name = "sevfw-debugfs",
	.test_cases = sevfw_debugfs_cases,
};

kunit_test_suite(sevfw_debugfs_suite);

MODULE_LICENSE("GPL");
