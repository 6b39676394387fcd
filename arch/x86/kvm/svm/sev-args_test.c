// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of KVM_SEV_* argument validation against the Linux 6.1
 * rules: which requests are queries, which are -EINVAL.
 */

#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/psp-sev.h>

#include "sev-args.h"

static void args_within_page(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, sev_within_page(0x1000, PAGE_SIZE));
	KUNIT_EXPECT_TRUE(test, sev_within_page(0x1ff0, 0x10));
	KUNIT_EXPECT_TRUE(test, sev_within_page(0x1fff, 1));
	KUNIT_EXPECT_FALSE(test, sev_within_page(0x1ff0, 0x11));
	KUNIT_EXPECT_FALSE(test, sev_within_page(0x1001, PAGE_SIZE));
	KUNIT_EXPECT_FALSE(test, sev_within_page(0x1000, PAGE_SIZE + 1));
	KUNIT_EXPECT_FALSE(test, sev_within_page(0, 0xffffffff));
}

static void args_out_buf(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, sev_out_buf_kind(0, 0), SEV_OUT_QUERY);
	KUNIT_EXPECT_EQ(test, sev_out_buf_kind(0x1000, 0), SEV_OUT_QUERY);
	KUNIT_EXPECT_EQ(test, sev_out_buf_kind(0, 48), SEV_OUT_NONE);
	/* no address: no size check either */
	KUNIT_EXPECT_EQ(test, sev_out_buf_kind(0, 0x10000), SEV_OUT_NONE);
	KUNIT_EXPECT_EQ(test, sev_out_buf_kind(0x1000, 48), SEV_OUT_BUF);
	KUNIT_EXPECT_EQ(test, sev_out_buf_kind(0x1000, 0x4000), SEV_OUT_BUF);
	KUNIT_EXPECT_EQ(test, sev_out_buf_kind(0x1000, 0x4001), -EINVAL);
	KUNIT_EXPECT_EQ(test, SEV_FW_BLOB_MAX_SIZE, 0x4000);
}

static void args_send_start(struct kunit *test)
{
	/* session_len 0 is a query, whatever else is given */
	KUNIT_EXPECT_EQ(test, sev_send_start_check(0, 0, 0, 0), 1);
	KUNIT_EXPECT_EQ(test, sev_send_start_check(0x1000, 0x824, 0x2000, 0x80),
			0);
	KUNIT_EXPECT_EQ(test, sev_send_start_check(0, 0x824, 0x2000, 0x80),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, sev_send_start_check(0x1000, 0, 0x2000, 0x80),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, sev_send_start_check(0x1000, 0x824, 0, 0x80),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, sev_send_start_check(0x1000, 0x824, 0x2000,
						   0x4001), -EINVAL);
	KUNIT_EXPECT_EQ(test, sev_send_start_check(0x1000, 0x824, 0x2000,
						   0x4000), 0);
}

static void args_receive_start(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, sev_receive_start_check(0x1000, 0x824, 0x2000,
						      0x80), 0);
	KUNIT_EXPECT_EQ(test, sev_receive_start_check(0, 0x824, 0x2000, 0x80),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, sev_receive_start_check(0x1000, 0, 0x2000, 0x80),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, sev_receive_start_check(0x1000, 0x824, 0, 0x80),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, sev_receive_start_check(0x1000, 0x824, 0x2000, 0),
			-EINVAL);
}

static const struct sev_xfer_args good = {
	.hdr_uaddr = 0x1000, .hdr_len = 0x34,
	.guest_uaddr = 0x7000, .guest_len = 0x1000,
	.trans_uaddr = 0x3000, .trans_len = 0x1000,
};

static void args_send_update(struct kunit *test)
{
	struct sev_xfer_args a = good;

	KUNIT_EXPECT_EQ(test, sev_send_update_check(&a), 0);

	a = good;
	a.hdr_len = 0;
	KUNIT_EXPECT_EQ(test, sev_send_update_check(&a), 1);
	a = good;
	a.trans_len = 0;
	a.guest_uaddr = 0;	/* a query checks nothing else */
	KUNIT_EXPECT_EQ(test, sev_send_update_check(&a), 1);

	a = good;
	a.hdr_uaddr = 0;
	KUNIT_EXPECT_EQ(test, sev_send_update_check(&a), -EINVAL);
	a = good;
	a.trans_uaddr = 0;
	KUNIT_EXPECT_EQ(test, sev_send_update_check(&a), -EINVAL);
	a = good;
	a.guest_uaddr = 0;
	KUNIT_EXPECT_EQ(test, sev_send_update_check(&a), -EINVAL);
	a = good;
	a.guest_len = 0;
	KUNIT_EXPECT_EQ(test, sev_send_update_check(&a), -EINVAL);
	a = good;
	a.guest_uaddr = 0x7010;	/* crosses into the next page */
	KUNIT_EXPECT_EQ(test, sev_send_update_check(&a), -EINVAL);
	a.guest_len = 0xff0;
	KUNIT_EXPECT_EQ(test, sev_send_update_check(&a), 0);
}

static void args_receive_update(struct kunit *test)
{
	struct sev_xfer_args a = good;

	KUNIT_EXPECT_EQ(test, sev_receive_update_check(&a), 0);

	/* no queries on the receiving side */
	a.hdr_len = 0;
	KUNIT_EXPECT_EQ(test, sev_receive_update_check(&a), -EINVAL);
	a = good;
	a.trans_len = 0;
	KUNIT_EXPECT_EQ(test, sev_receive_update_check(&a), -EINVAL);
	a = good;
	a.hdr_uaddr = 0;
	KUNIT_EXPECT_EQ(test, sev_receive_update_check(&a), -EINVAL);
	a = good;
	a.trans_uaddr = 0;
	KUNIT_EXPECT_EQ(test, sev_receive_update_check(&a), -EINVAL);
	a = good;
	a.guest_uaddr = 0;
	KUNIT_EXPECT_EQ(test, sev_receive_update_check(&a), -EINVAL);
	a = good;
	a.guest_len = 0;
	KUNIT_EXPECT_EQ(test, sev_receive_update_check(&a), -EINVAL);
	a = good;
	a.guest_uaddr = 0x7001;
	KUNIT_EXPECT_EQ(test, sev_receive_update_check(&a), -EINVAL);
}

static void args_dbg(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, sev_dbg_check(0x1000, 0x2000, 1), 0);
	KUNIT_EXPECT_EQ(test, sev_dbg_check(0, 0x2000, 16), 0);
	KUNIT_EXPECT_EQ(test, sev_dbg_check(0x1000, 0x2000, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, sev_dbg_check(0x1000, 0, 16), -EINVAL);
	KUNIT_EXPECT_EQ(test, sev_dbg_check(U64_MAX - 7, 0x2000, 16), -EINVAL);
	KUNIT_EXPECT_EQ(test, sev_dbg_check(0x1000, U64_MAX - 7, 16), -EINVAL);
	KUNIT_EXPECT_EQ(test, sev_dbg_check(U64_MAX - 15, 0x2000, 15), 0);
}

static struct kunit_case sev_args_cases[] = {
	KUNIT_CASE(args_within_page),
	KUNIT_CASE(args_out_buf),
	KUNIT_CASE(args_send_start),
	KUNIT_CASE(args_receive_start),
	KUNIT_CASE(args_send_update),
	KUNIT_CASE(args_receive_update),
	KUNIT_CASE(args_dbg),
	{}
};

static struct kunit_suite sev_args_suite = {
	.name = "sev-kvm-args",
	.test_cases = sev_args_cases,
};

kunit_test_suite(sev_args_suite);

MODULE_LICENSE("GPL");
