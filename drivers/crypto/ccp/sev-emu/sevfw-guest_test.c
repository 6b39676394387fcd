// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the software SEV firmware's guest contexts: the guest
 * state machine (every guest command from every guest state), the ASID
 * rules (dirty, clean, allocated, in use; DF_FLUSH), and the status codes
 * of ACTIVATE, DEACTIVATE, DECOMMISSION, GUEST_STATUS and LAUNCH_START
 * without a session, each in the firmware's check order (facts §3.1,
 * §5.2, §5.3).
 */

#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/psp-sev.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "sevfw-internal.h"
#include "sevfw-guest.h"
#include "sevfw-test-util.h"

#define LU	SEVFW_GSTATE_LUPDATE
#define LS	SEVFW_GSTATE_LSECRET
#define RUN	SEVFW_GSTATE_RUNNING
#define SU	SEVFW_GSTATE_SUPDATE
#define RU	SEVFW_GSTATE_RUPDATE
#define SENT	SEVFW_GSTATE_SENT

/* A guest in @state, bound to TU_ASID, on a fresh non-ES instance */
static u32 g_setup(struct kunit *test, struct sevfw *fw, u8 state)
{
	u32 h;

	tu_init(test, fw, false);
	if (state == RU) {
		struct tu_owner *o = tu_owner(test, fw, 0);

		KUNIT_ASSERT_EQ(test, tu_receive_start(test, fw, 0, 0, o, &h),
				SEV_RET_SUCCESS);
		KUNIT_ASSERT_EQ(test, tu_activate(test, fw, h, TU_ASID),
				SEV_RET_SUCCESS);
		return h;
	}
	KUNIT_ASSERT_EQ(test, tu_launch_start(test, fw, 0, 0, NULL, NULL, &h),
			SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, tu_activate(test, fw, h, TU_ASID),
			SEV_RET_SUCCESS);
	if (state == LU)
		return h;
	KUNIT_ASSERT_EQ(test, tu_measure(test, fw, h, NULL), SEV_RET_SUCCESS);
	if (state == LS)
		return h;
	KUNIT_ASSERT_EQ(test, tu_handle_cmd(test, fw, SEV_CMD_LAUNCH_FINISH, h),
			SEV_RET_SUCCESS);
	if (state == RUN)
		return h;
	KUNIT_ASSERT_EQ(test, tu_send_start_plain(test, fw, h,
						  tu_pdh(test, fw), NULL),
			SEV_RET_SUCCESS);
	if (state == SU)
		return h;
	KUNIT_ASSERT_EQ(test, tu_handle_cmd(test, fw, SEV_CMD_SEND_FINISH, h),
			SEV_RET_SUCCESS);
	return h;
}

/* A transport buffer (LAUNCH_SECRET, SEND/RECEIVE_UPDATE) of 16 bytes */
static struct sevfw_data_transport *g_transport(struct kunit *test, u32 h)
{
	struct sevfw_data_transport *d = tu_alloc(test, sizeof(*d));

	d->handle = h;
	d->hdr_address = tu_pa(tu_alloc(test, SEVFW_PKT_HDR_LEN));
	d->hdr_len = SEVFW_PKT_HDR_LEN;
	d->guest_address = tu_pa(tu_alloc(test, 16));
	d->guest_len = 16;
	d->trans_address = tu_pa(tu_alloc(test, 16));
	d->trans_len = 16;
	return d;
}

/* A well-formed buffer for @cmd, so that only the guest state decides */
static void *g_buf(struct kunit *test, struct sevfw *fw, u32 cmd, u32 h)
{
	switch (cmd) {
	case SEV_CMD_LAUNCH_UPDATE_DATA: {
		struct sev_data_launch_update_data *d =
			tu_alloc(test, sizeof(*d));

		d->handle = h;
		d->address = tu_pa(tu_alloc(test, 64));
		d->len = 64;
		return d;
	}
	case SEV_CMD_LAUNCH_MEASURE: {
		struct sev_data_launch_measure *d = tu_alloc(test, sizeof(*d));

		d->handle = h;
		d->address = tu_pa(tu_alloc(test, SEVFW_MEASURE_LEN));
		d->len = SEVFW_MEASURE_LEN;
		return d;
	}
	case SEV_CMD_LAUNCH_UPDATE_SECRET:
	case SEV_CMD_SEND_UPDATE_DATA:
	case SEV_CMD_RECEIVE_UPDATE_DATA:
		return g_transport(test, h);
	case SEV_CMD_ATTESTATION_REPORT: {
		struct sev_data_attestation_report *d =
			tu_alloc(test, sizeof(*d));

		d->handle = h;
		d->address = tu_pa(tu_alloc(test, SEVFW_REPORT_LEN));
		d->len = SEVFW_REPORT_LEN;
		return d;
	}
	case SEV_CMD_SEND_START: {
		struct sev_data_send_start *d = tu_alloc(test, sizeof(*d));

		d->handle = h;
		d->pdh_cert_address = tu_pa(tu_pdh(test, fw));
		d->pdh_cert_len = SEV_CERT_SIZE;
		d->session_address = tu_pa(tu_alloc(test, SEVFW_SESSION_LEN));
		d->session_len = SEVFW_SESSION_LEN;
		return d;
	}
	case SEV_CMD_DBG_DECRYPT: {
		struct sev_data_dbg *d = tu_alloc(test, sizeof(*d));

		d->handle = h;
		d->src_addr = tu_pa(tu_alloc(test, 32));
		d->dst_addr = tu_pa(tu_alloc(test, 32));
		d->len = 32;
		return d;
	}
	case SEV_CMD_ACTIVATE: {
		struct sev_data_activate *d = tu_alloc(test, sizeof(*d));

		d->handle = h;
		d->asid = TU_ASID + 1;
		return d;
	}
	case SEV_CMD_GUEST_STATUS:
		return tu_alloc(test, sizeof(struct sev_data_guest_status));
	default: {
		u32 *d = tu_alloc(test, 4);

		*d = h;
		return d;
	}
	}
}

/**
 * struct g_row - one guest command from each guest state
 * @name: command name
 * @cmd: command id
 * @st: status per state (index LU..SENT)
 * @to: state afterwards (0: the guest is gone)
 */
struct g_row {
	const char *name;
	u32 cmd;
	u16 st[7];
	u8 to[7];
};

#define OK	SEV_RET_SUCCESS
#define X	SEV_RET_INVALID_GUEST_STATE
#define BADM	SEV_RET_BAD_MEASUREMENT
#define ACT	SEV_RET_ACTIVE
#define R(_cmd, s1, t1, s2, t2, s3, t3, s4, t4, s5, t5, s6, t6)	\
	{ .name = #_cmd, .cmd = SEV_CMD_##_cmd,				\
	  .st = { 0, s1, s2, s3, s4, s5, s6 },				\
	  .to = { 0, t1, t2, t3, t4, t5, t6 } }

/* the packets of the LAUNCH_SECRET and RECEIVE rows are garbage: the
 * state check passes and the MAC check fails (BAD_MEASUREMENT)
 */
static const struct g_row g_rows[] = {
	/*                  LUPDATE  LSECRET  RUNNING  SUPDATE  RUPDATE SENT */
	R(LAUNCH_UPDATE_DATA, OK, LU, X, LS, X, RUN, X, SU, X, RU, X, SENT),
	R(LAUNCH_MEASURE, OK, LS, X, LS, X, RUN, X, SU, X, RU, X, SENT),
	R(LAUNCH_UPDATE_SECRET, X, LU, BADM, LS, X, RUN, X, SU, X, RU,
	  X, SENT),
	R(LAUNCH_FINISH, X, LU, OK, RUN, X, RUN, X, SU, X, RU, X, SENT),
	R(ATTESTATION_REPORT, X, LU, OK, LS, OK, RUN, OK, SU, X, RU,
	  OK, SENT),
	R(SEND_START, X, LU, X, LS, OK, SU, X, SU, X, RU, X, SENT),
	R(SEND_UPDATE_DATA, X, LU, X, LS, X, RUN, OK, SU, X, RU, X, SENT),
	R(SEND_FINISH, X, LU, X, LS, X, RUN, OK, SENT, X, RU, X, SENT),
	R(SEND_CANCEL, X, LU, X, LS, X, RUN, OK, RUN, X, RU, X, SENT),
	R(RECEIVE_UPDATE_DATA, X, LU, X, LS, X, RUN, X, SU, BADM, RU,
	  X, SENT),
	R(RECEIVE_FINISH, X, LU, X, LS, X, RUN, X, SU, OK, RUN, X, SENT),
	R(DBG_DECRYPT, OK, LU, OK, LS, OK, RUN, OK, SU, OK, RU, OK, SENT),
	R(GUEST_STATUS, OK, LU, OK, LS, OK, RUN, OK, SU, OK, RU, OK, SENT),
	R(DEACTIVATE, OK, LU, OK, LS, OK, RUN, OK, SU, OK, RU, OK, SENT),
	R(ACTIVATE, ACT, LU, ACT, LS, ACT, RUN, ACT, SU, ACT, RU, ACT, SENT),
	R(DECOMMISSION, ACT, LU, ACT, LS, ACT, RUN, ACT, SU, ACT, RU,
	  ACT, SENT),
};

#undef R

static void g_row_desc(const struct g_row *r, char *desc)
{
	strscpy(desc, r->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(g_rows, g_rows, g_row_desc);

static void sevfw_test_guest_state_table(struct kunit *test)
{
	const struct g_row *r = test->param_value;
	u8 state, after;
	u32 h;

	for (state = LU; state <= SENT; state++) {
		struct sevfw *fw = tu_fw(test, SEVFW_MEM_TRANSPARENT, 0x10);
		void *buf;

		h = g_setup(test, fw, state);
		buf = g_buf(test, fw, r->cmd, h);
		if (r->cmd == SEV_CMD_GUEST_STATUS)
			((struct sev_data_guest_status *)buf)->handle = h;
		KUNIT_EXPECT_EQ_MSG(test, tu_cmd(fw, r->cmd, buf), r->st[state],
				    "%s from state %u", r->name, state);
		KUNIT_EXPECT_EQ(test, tu_guest_status(test, fw, h, NULL, NULL,
						      &after), SEV_RET_SUCCESS);
		KUNIT_EXPECT_EQ_MSG(test, after, r->to[state],
				    "%s from state %u", r->name, state);
	}
}

/* LUPDATE cannot reach RUNNING without LAUNCH_MEASURE (facts §5.2) */
static void sevfw_test_guest_no_shortcut(struct kunit *test)
{
	struct sevfw *fw = tu_fw(test, SEVFW_MEM_TRANSPARENT, 0x11);
	u32 h = g_setup(test, fw, LU);
	u8 st;

	KUNIT_EXPECT_EQ(test, tu_handle_cmd(test, fw, SEV_CMD_LAUNCH_FINISH, h),
			SEV_RET_INVALID_GUEST_STATE);
	KUNIT_EXPECT_EQ(test, tu_handle_cmd(test, fw, SEV_CMD_RECEIVE_FINISH,
					    h), SEV_RET_INVALID_GUEST_STATE);
	tu_guest_status(test, fw, h, NULL, NULL, &st);
	KUNIT_EXPECT_EQ(test, st, LU);
}

/* --- ACTIVATE ----------------------------------------------------------- */

/*
 * The ACTIVATE world (ES platform, ASIDs flushed):
 *   h1 policy 0, LUPDATE, bound to ASID 5 (allocated)
 *   h2 policy 0, RUNNING, unbound; ASID 6 dirty (it ran there)
 *   h3 policy ES, LUPDATE, unbound
 *   h4 policy 0, SENT, unbound; ASID 7 dirty
 */
static void a_world(struct kunit *test, struct sevfw *fw)
{
	u32 h;

	tu_init(test, fw, true);
	KUNIT_ASSERT_EQ(test, tu_launch_start(test, fw, 0, 0, NULL, NULL, &h),
			SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, h, 1);
	KUNIT_ASSERT_EQ(test, tu_activate(test, fw, 1, 5), SEV_RET_SUCCESS);

	KUNIT_ASSERT_EQ(test, tu_running_guest(test, fw, 0, 6, NULL, 0), 2);
	KUNIT_ASSERT_EQ(test, tu_handle_cmd(test, fw, SEV_CMD_DEACTIVATE, 2),
			SEV_RET_SUCCESS);

	KUNIT_ASSERT_EQ(test, tu_launch_start(test, fw, SEVFW_POLICY_ES, 0,
					      NULL, NULL, &h), SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, h, 3);

	KUNIT_ASSERT_EQ(test, tu_running_guest(test, fw, 0, 7, NULL, 0), 4);
	KUNIT_ASSERT_EQ(test, tu_send_start_plain(test, fw, 4,
						  tu_pdh(test, fw), NULL),
			SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, tu_handle_cmd(test, fw, SEV_CMD_SEND_FINISH, 4),
			SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, tu_handle_cmd(test, fw, SEV_CMD_DEACTIVATE, 4),
			SEV_RET_SUCCESS);
}

struct a_case {
	const char *name;
	u32 handle;
	u32 asid;
	u16 status;
	u8 asid_state;	/* of @asid afterwards, 0: not checked */
};

static const struct a_case a_cases[] = {
	{ "handle 0", 0, 8, SEV_RET_INVALID_GUEST },
	{ "handle beyond max", TU_MAX_GUESTS + 1, 8, SEV_RET_INVALID_GUEST },
	{ "handle before asid", 0, 0, SEV_RET_INVALID_GUEST },
	{ "asid 0", 2, 0, SEV_RET_INVALID_ASID },
	{ "asid beyond max", 2, TU_MAX_ASID + 1, SEV_RET_INVALID_ASID },
	{ "asid of another guest", 2, 5, SEV_RET_ASID_OWNED },
	{ "owned before active", 1, 5, SEV_RET_ASID_OWNED },
	{ "guest already bound", 1, 8, SEV_RET_ACTIVE },
	{ "sent guest", 4, 8, SEV_RET_INVALID_GUEST_STATE },
	{ "sent before dirty", 4, 6, SEV_RET_INVALID_GUEST_STATE },
	{ "dirty asid", 2, 6, SEV_RET_DFFLUSH_REQUIRED, SEVFW_ASID_DIRTY },
	{ "dirty before es range", 3, 6, SEV_RET_DFFLUSH_REQUIRED },
	{ "sev guest, es asid", 2, 1, SEV_RET_INVALID_ASID },
	{ "es guest, sev asid", 3, 8, SEV_RET_INVALID_ASID },
	{ "running guest: in use", 2, 8, SEV_RET_SUCCESS, SEVFW_ASID_IN_USE },
	{ "launching es guest: allocated", 3, 2, SEV_RET_SUCCESS,
	  SEVFW_ASID_ALLOCATED },
	{ "highest asid", 2, TU_MAX_ASID, SEV_RET_SUCCESS, SEVFW_ASID_IN_USE },
	{ "lowest sev asid", 2, TU_MIN_SEV_ASID + 3, SEV_RET_SUCCESS },
};

static void a_desc(const struct a_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(a_cases, a_cases, a_desc);

static void sevfw_test_activate(struct kunit *test)
{
	const struct a_case *c = test->param_value;
	struct sevfw *fw = tu_fw(test, SEVFW_MEM_TRANSPARENT, 0x12);
	u32 asid = 0;

	a_world(test, fw);
	KUNIT_EXPECT_EQ(test, tu_activate(test, fw, c->handle, c->asid),
			c->status);
	if (c->asid_state)
		KUNIT_EXPECT_EQ(test, fw->asid_state[c->asid], c->asid_state);
	if (c->status == SEV_RET_SUCCESS) {
		tu_guest_status(test, fw, c->handle, NULL, &asid, NULL);
		KUNIT_EXPECT_EQ(test, asid, c->asid);
		KUNIT_EXPECT_EQ(test, fw->asid_handle[c->asid], c->handle);
	}
}

/* Not WORKING: INIT (no guest) and UNINIT */
static void sevfw_test_guest_cmds_platform_state(struct kunit *test)
{
	static const u32 ids[] = {
		SEV_CMD_ACTIVATE, SEV_CMD_DEACTIVATE, SEV_CMD_DECOMMISSION,
		SEV_CMD_LAUNCH_UPDATE_DATA, SEV_CMD_LAUNCH_MEASURE,
		SEV_CMD_LAUNCH_UPDATE_SECRET, SEV_CMD_LAUNCH_FINISH,
		SEV_CMD_ATTESTATION_REPORT, SEV_CMD_SEND_START,
		SEV_CMD_SEND_UPDATE_DATA, SEV_CMD_SEND_UPDATE_VMSA,
		SEV_CMD_SEND_FINISH, SEV_CMD_SEND_CANCEL,
		SEV_CMD_RECEIVE_UPDATE_DATA, SEV_CMD_RECEIVE_UPDATE_VMSA,
		SEV_CMD_RECEIVE_FINISH, SEV_CMD_DBG_DECRYPT,
		SEV_CMD_DBG_ENCRYPT, SEVFW_CMD_COPY,
	};
	struct sevfw *fw = tu_fw(test, SEVFW_MEM_TRANSPARENT, 0x13);
	u8 *buf = tu_alloc(test, 0x80);
	int pass, i;

	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < ARRAY_SIZE(ids); i++) {
			memset(buf, 0, 0x80);
			*(u32 *)buf = 1;
			((struct sevfw_data_transport *)buf)->hdr_len = 0x34;
			KUNIT_EXPECT_EQ_MSG(test, tu_cmd(fw, ids[i], buf),
					    SEV_RET_INVALID_PLATFORM_STATE,
					    "id 0x%x pass %d", ids[i], pass);
		}
		if (!pass)
			tu_init(test, fw, false);
	}
	/* UNINIT: the guest starts too */
	KUNIT_EXPECT_EQ(test, tu_cmd(fw, SEV_CMD_SHUTDOWN, NULL),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, tu_launch_start(test, fw, 0, 0, NULL, NULL, NULL),
			SEV_RET_INVALID_PLATFORM_STATE);
	KUNIT_EXPECT_EQ(test, tu_receive_start(test, fw, 0, 0,
					       tu_alloc(test,
							sizeof(struct tu_owner)),
					       NULL),
			SEV_RET_INVALID_PLATFORM_STATE);
}

/* --- ASIDs -------------------------------------------------------------- */

static void sevfw_test_asid_rules(struct kunit *test)
{
	struct sevfw *fw = tu_fw(test, SEVFW_MEM_TRANSPARENT, 0x14);
	struct sev_data_init *init = tu_alloc(test, sizeof(*init));
	u32 h1, h2;

	/* INIT makes every ASID dirty: ACTIVATE needs a DF_FLUSH first */
	KUNIT_ASSERT_EQ(test, tu_cmd(fw, SEV_CMD_INIT, init), SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, tu_launch_start(test, fw, 0, 0, NULL, NULL, &h1),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, fw->asid_state[TU_ASID], SEVFW_ASID_DIRTY);
	KUNIT_EXPECT_EQ(test, tu_activate(test, fw, h1, TU_ASID),
			SEV_RET_DFFLUSH_REQUIRED);
	KUNIT_EXPECT_EQ(test, tu_cmd(fw, SEV_CMD_DF_FLUSH, NULL),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, fw->asid_state[TU_ASID], SEVFW_ASID_CLEAN);

	/* pending: allocated; DEACTIVATE returns it clean */
	KUNIT_EXPECT_EQ(test, tu_activate(test, fw, h1, TU_ASID),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, fw->asid_state[TU_ASID], SEVFW_ASID_ALLOCATED);
	KUNIT_EXPECT_EQ(test, tu_handle_cmd(test, fw, SEV_CMD_DEACTIVATE, h1),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, fw->asid_state[TU_ASID], SEVFW_ASID_CLEAN);
	KUNIT_EXPECT_EQ(test, tu_handle_cmd(test, fw, SEV_CMD_DEACTIVATE, h1),
			SEV_RET_INACTIVE);

	/* LAUNCH_FINISH turns allocated into in use */
	KUNIT_EXPECT_EQ(test, tu_activate(test, fw, h1, TU_ASID),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, tu_measure(test, fw, h1, NULL), SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, fw->asid_state[TU_ASID], SEVFW_ASID_ALLOCATED);
	KUNIT_EXPECT_EQ(test, tu_handle_cmd(test, fw, SEV_CMD_LAUNCH_FINISH,
					    h1), SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, fw->asid_state[TU_ASID], SEVFW_ASID_IN_USE);

	/* an ASID that ran is dirty after DEACTIVATE, for every guest */
	KUNIT_EXPECT_EQ(test, tu_handle_cmd(test, fw, SEV_CMD_DEACTIVATE, h1),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, fw->asid_state[TU_ASID], SEVFW_ASID_DIRTY);
	KUNIT_EXPECT_EQ(test, tu_handle_cmd(test, fw, SEV_CMD_DECOMMISSION, h1),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, sevfw_platform_state(fw), SEV_STATE_INIT);
	KUNIT_ASSERT_EQ(test, tu_launch_start(test, fw, 0, 0, NULL, NULL, &h2),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, tu_activate(test, fw, h2, TU_ASID),
			SEV_RET_DFFLUSH_REQUIRED);
	KUNIT_EXPECT_EQ(test, tu_activate(test, fw, h2, TU_ASID + 1),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, tu_cmd(fw, SEV_CMD_DF_FLUSH, NULL),
			SEV_RET_SUCCESS);
	/* DF_FLUSH leaves bound ASIDs alone */
	KUNIT_EXPECT_EQ(test, fw->asid_state[TU_ASID + 1],
			SEVFW_ASID_ALLOCATED);
	KUNIT_EXPECT_EQ(test, fw->asid_state[TU_ASID], SEVFW_ASID_CLEAN);

	/* a RUNNING guest activated later is in use at once */
	h1 = tu_running_guest(test, fw, 0, 0, NULL, 0);
	KUNIT_EXPECT_EQ(test, tu_activate(test, fw, h1, TU_ASID),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, fw->asid_state[TU_ASID], SEVFW_ASID_IN_USE);

	/* SHUTDOWN unbinds everything; the next INIT makes them dirty */
	KUNIT_EXPECT_EQ(test, tu_cmd(fw, SEV_CMD_SHUTDOWN, NULL),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, fw->asid_handle[TU_ASID], 0);
	KUNIT_EXPECT_EQ(test, fw->asid_state[TU_ASID], SEVFW_ASID_INVALID);
	KUNIT_EXPECT_EQ(test, sevfw_guest_count(fw), 0);
	memset(init, 0, sizeof(*init));
	KUNIT_EXPECT_EQ(test, tu_cmd(fw, SEV_CMD_INIT, init), SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, fw->asid_state[TU_ASID], SEVFW_ASID_DIRTY);
}

/*
 * ACTIVATE step 7 at the edges of the split (TU_MIN_SEV_ASID = 5): an ES
 * guest takes 1..4, a non-ES guest 5..max. With min_sev_asid 1 (the
 * module's default) there is no ES ASID at all.
 */
static void sevfw_test_es_asid_split(struct kunit *test)
{
	struct sevfw *fw = tu_fw(test, SEVFW_MEM_TRANSPARENT, 0x1b);
	struct sevfw_params p;
	u32 es, sev;

	tu_init(test, fw, true);
	KUNIT_ASSERT_EQ(test, tu_launch_start(test, fw, SEVFW_POLICY_ES, 0,
					      NULL, NULL, &es),
			SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, tu_launch_start(test, fw, 0, 0, NULL, NULL,
					      &sev), SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, tu_activate(test, fw, es, TU_MIN_SEV_ASID),
			SEV_RET_INVALID_ASID);
	KUNIT_EXPECT_EQ(test, tu_activate(test, fw, sev, TU_MIN_SEV_ASID - 1),
			SEV_RET_INVALID_ASID);
	KUNIT_EXPECT_EQ(test, tu_activate(test, fw, sev, 1),
			SEV_RET_INVALID_ASID);
	KUNIT_EXPECT_EQ(test, tu_activate(test, fw, es, TU_MAX_ASID),
			SEV_RET_INVALID_ASID);
	/* nothing was bound by the refusals */
	KUNIT_EXPECT_EQ(test, fw->asid_state[TU_MIN_SEV_ASID],
			SEVFW_ASID_CLEAN);
	KUNIT_EXPECT_EQ(test, fw->asid_state[TU_MIN_SEV_ASID - 1],
			SEVFW_ASID_CLEAN);
	KUNIT_EXPECT_EQ(test, tu_activate(test, fw, es, TU_MIN_SEV_ASID - 1),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, tu_activate(test, fw, sev, TU_MIN_SEV_ASID),
			SEV_RET_SUCCESS);

	/* min_sev_asid 1: an ES guest can be launched but never activated */
	tu_params(&p, 0x1c);
	p.min_sev_asid = 1;
	fw = tu_fw_new(test, &p);
	tu_init(test, fw, true);
	KUNIT_ASSERT_EQ(test, tu_launch_start(test, fw, SEVFW_POLICY_ES, 0,
					      NULL, NULL, &es),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, tu_activate(test, fw, es, 1),
			SEV_RET_INVALID_ASID);
	KUNIT_EXPECT_EQ(test, tu_activate(test, fw, es, TU_MAX_ASID),
			SEV_RET_INVALID_ASID);
}

/* Every ASID taken: the next guest gets ASID_OWNED, nothing breaks */
static void sevfw_test_asid_exhaustion(struct kunit *test)
{
	struct sevfw_params p;
	struct sevfw *fw;
	u32 h1, h2;

	tu_params(&p, 0x15);
	p.max_asid = 1;
	p.min_sev_asid = 1;
	fw = tu_fw_new(test, &p);
	tu_init(test, fw, false);
	KUNIT_ASSERT_EQ(test, tu_launch_start(test, fw, 0, 0, NULL, NULL, &h1),
			SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, tu_launch_start(test, fw, 0, 0, NULL, NULL, &h2),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, tu_activate(test, fw, h1, 1), SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, tu_activate(test, fw, h2, 1),
			SEV_RET_ASID_OWNED);
	KUNIT_EXPECT_EQ(test, tu_activate(test, fw, h2, 2),
			SEV_RET_INVALID_ASID);
	KUNIT_EXPECT_EQ(test, tu_activate(test, fw, h2, 0xffffffff),
			SEV_RET_INVALID_ASID);
}

/* --- DEACTIVATE, DECOMMISSION, GUEST_STATUS ----------------------------- */

struct h_case {
	const char *name;
	u32 cmd;
	u32 handle;	/* in the h_world */
	u16 status;
};

/* h_world: h1 RUNNING bound to ASID 5, h2 LUPDATE unbound */
static void h_world(struct kunit *test, struct sevfw *fw)
{
	tu_init(test, fw, false);
	KUNIT_ASSERT_EQ(test, tu_running_guest(test, fw, 0, TU_ASID, NULL, 0),
			1);
	KUNIT_ASSERT_EQ(test, tu_launch_start(test, fw, 0, 0, NULL, NULL,
					      NULL), SEV_RET_SUCCESS);
}

static const struct h_case h_cases[] = {
	{ "deactivate handle 0", SEV_CMD_DEACTIVATE, 0,
	  SEV_RET_INVALID_GUEST },
	{ "deactivate free handle", SEV_CMD_DEACTIVATE, 3,
	  SEV_RET_INVALID_GUEST },
	{ "deactivate huge handle", SEV_CMD_DEACTIVATE, 0xffffffff,
	  SEV_RET_INVALID_GUEST },
	{ "deactivate unbound", SEV_CMD_DEACTIVATE, 2, SEV_RET_INACTIVE },
	{ "deactivate bound", SEV_CMD_DEACTIVATE, 1, SEV_RET_SUCCESS },
	{ "decommission handle 0", SEV_CMD_DECOMMISSION, 0,
	  SEV_RET_INVALID_GUEST },
	{ "decommission free handle", SEV_CMD_DECOMMISSION, 3,
	  SEV_RET_INVALID_GUEST },
	{ "decommission bound", SEV_CMD_DECOMMISSION, 1, SEV_RET_ACTIVE },
	{ "decommission unbound", SEV_CMD_DECOMMISSION, 2, SEV_RET_SUCCESS },
	{ "finish handle 0", SEV_CMD_LAUNCH_FINISH, 0, SEV_RET_INVALID_GUEST },
	{ "send finish free", SEV_CMD_SEND_FINISH, 4, SEV_RET_INVALID_GUEST },
	{ "send cancel free", SEV_CMD_SEND_CANCEL, 4, SEV_RET_INVALID_GUEST },
	{ "receive finish free", SEV_CMD_RECEIVE_FINISH, 4,
	  SEV_RET_INVALID_GUEST },
};

static void h_desc(const struct h_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(h_cases, h_cases, h_desc);

static void sevfw_test_handle_cmds(struct kunit *test)
{
	const struct h_case *c = test->param_value;
	struct sevfw *fw = tu_fw(test, SEVFW_MEM_TRANSPARENT, 0x16);
	u32 count;

	h_world(test, fw);
	count = sevfw_guest_count(fw);
	KUNIT_EXPECT_EQ(test, tu_handle_cmd(test, fw, c->cmd, c->handle),
			c->status);
	if (c->cmd == SEV_CMD_DECOMMISSION && c->status == SEV_RET_SUCCESS) {
		u8 st = 0xee;

		KUNIT_EXPECT_EQ(test, sevfw_guest_count(fw), count - 1);
		tu_guest_status(test, fw, c->handle, NULL, NULL, &st);
		KUNIT_EXPECT_EQ(test, st, SEVFW_GSTATE_INVALID);
	} else {
		KUNIT_EXPECT_EQ(test, sevfw_guest_count(fw), count);
	}
}

static void sevfw_test_decommission_last(struct kunit *test)
{
	struct sevfw *fw = tu_fw(test, SEVFW_MEM_TRANSPARENT, 0x17);
	u32 h;

	h_world(test, fw);
	KUNIT_EXPECT_EQ(test, tu_handle_cmd(test, fw, SEV_CMD_DECOMMISSION, 2),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, sevfw_platform_state(fw), SEV_STATE_WORKING);
	KUNIT_EXPECT_EQ(test, tu_handle_cmd(test, fw, SEV_CMD_DEACTIVATE, 1),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, tu_handle_cmd(test, fw, SEV_CMD_DECOMMISSION, 1),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, sevfw_platform_state(fw), SEV_STATE_INIT);
	KUNIT_EXPECT_EQ(test, sevfw_guest_count(fw), 0);
	/* the handles are reused lowest first */
	KUNIT_EXPECT_EQ(test, tu_launch_start(test, fw, 0, 0, NULL, NULL, &h),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, h, 1);
}

static void sevfw_test_guest_status(struct kunit *test)
{
	struct sevfw *fw = tu_fw(test, SEVFW_MEM_TRANSPARENT, 0x18);
	struct sev_data_guest_status *d = tu_alloc(test, 16);
	u32 policy, asid;
	u8 st;

	/* UNINIT: refused and not written back */
	d->handle = 1;
	d->policy = 0x11111111;
	KUNIT_EXPECT_EQ(test, tu_cmd(fw, SEV_CMD_GUEST_STATUS, d),
			SEV_RET_INVALID_PLATFORM_STATE);
	KUNIT_EXPECT_EQ(test, d->policy, 0x11111111);

	/* INIT, no guest: an invalid handle succeeds with state 0 */
	tu_init(test, fw, false);
	KUNIT_EXPECT_EQ(test, tu_guest_status(test, fw, 1, &policy, &asid, &st),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, st, 0);
	KUNIT_EXPECT_EQ(test, policy, 0);
	KUNIT_EXPECT_EQ(test, asid, 0);

	KUNIT_ASSERT_EQ(test, tu_launch_start(test, fw, 0x00180001, 0, NULL,
					      NULL, NULL), SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, tu_guest_status(test, fw, 1, &policy, &asid, &st),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, st, SEVFW_GSTATE_LUPDATE);
	KUNIT_EXPECT_EQ(test, policy, 0x00180001);
	KUNIT_EXPECT_EQ(test, asid, 0);
	KUNIT_ASSERT_EQ(test, tu_activate(test, fw, 1, 9), SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, tu_guest_status(test, fw, 1, NULL, &asid, NULL),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, asid, 9);
	KUNIT_EXPECT_EQ(test, tu_guest_status(test, fw, 0, &policy, &asid, &st),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, st, 0);

	/* 13 bytes written back, not one more */
	memset(d, 0xcc, 16);
	d->handle = 1;
	KUNIT_EXPECT_EQ(test, tu_cmd(fw, SEV_CMD_GUEST_STATUS, d),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, ((u8 *)d)[13], 0xcc);
	KUNIT_EXPECT_EQ(test, ((u8 *)d)[15], 0xcc);
}

/* --- LAUNCH_START without a session ------------------------------------- */

struct ls_case {
	const char *name;
	bool es_platform;
	u32 policy;
	u32 share;	/* in the ls_world: h1 policy 0, h2 policy NOKS */
	u16 status;
};

static const struct ls_case ls_cases[] = {
	{ "plain", false, 0, 0, SEV_RET_SUCCESS },
	{ "reserved bits unchecked without session", false, 0xffc0, 0,
	  SEV_RET_SUCCESS },
	{ "api unchecked without session", false, 0xff000000, 0,
	  SEV_RET_SUCCESS },
	{ "share", false, 0, 1, SEV_RET_SUCCESS },
	{ "share invalid handle", false, 0, 3, SEV_RET_INVALID_GUEST },
	{ "share huge handle", false, 0, 0x80000000, SEV_RET_INVALID_GUEST },
	{ "share other policy", false, SEVFW_POLICY_NODBG, 1,
	  SEV_RET_POLICY_FAILURE },
	{ "share noks guest", false, SEVFW_POLICY_NOKS, 2,
	  SEV_RET_POLICY_FAILURE },
	{ "share before es", false, SEVFW_POLICY_ES, 3,
	  SEV_RET_INVALID_GUEST },
	{ "es on non-es platform", false, SEVFW_POLICY_ES, 0,
	  SEV_RET_UNSUPPORTED },
	{ "es on es platform", true, SEVFW_POLICY_ES, 0, SEV_RET_SUCCESS },
};

static void ls_desc(const struct ls_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ls_cases, ls_cases, ls_desc);

static void sevfw_test_launch_start_plain(struct kunit *test)
{
	const struct ls_case *c = test->param_value;
	struct sevfw *fw = tu_fw(test, SEVFW_MEM_TRANSPARENT, 0x19);
	struct sev_data_launch_start *d = tu_alloc(test, sizeof(*d));

	tu_init(test, fw, c->es_platform);
	KUNIT_ASSERT_EQ(test, tu_launch_start(test, fw, 0, 0, NULL, NULL, NULL),
			SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, tu_launch_start(test, fw, SEVFW_POLICY_NOKS, 0,
					      NULL, NULL, NULL),
			SEV_RET_SUCCESS);

	d->handle = c->share;
	d->policy = c->policy;
	KUNIT_EXPECT_EQ(test, tu_cmd(fw, SEV_CMD_LAUNCH_START, d), c->status);
	if (c->status != SEV_RET_SUCCESS) {
		/* written back only on success */
		KUNIT_EXPECT_EQ(test, d->handle, c->share);
		KUNIT_EXPECT_EQ(test, sevfw_guest_count(fw), 2);
		return;
	}
	KUNIT_EXPECT_EQ(test, d->handle, 3);
	KUNIT_EXPECT_EQ(test, sevfw_guest_count(fw), 3);
	KUNIT_EXPECT_EQ(test, fw->guests[2]->es, !!(c->policy & SEVFW_POLICY_ES));
	/* no session: zero TEK and TIK */
	KUNIT_EXPECT_FALSE(test, memchr_inv(fw->guests[2]->tik, 0, 16));
	KUNIT_EXPECT_FALSE(test, memchr_inv(fw->guests[2]->tek, 0, 16));
	if (c->share)
		KUNIT_EXPECT_FALSE(test, memcmp(fw->guests[2]->vek,
						fw->guests[c->share - 1]->vek,
						32));
	else
		KUNIT_EXPECT_TRUE(test, memcmp(fw->guests[2]->vek,
					       fw->guests[0]->vek, 32));
}

/* max_guests contexts: the next one gets RESOURCE_LIMIT, then a free one */
static void sevfw_test_guest_exhaustion(struct kunit *test)
{
	struct sevfw *fw = tu_fw(test, SEVFW_MEM_TRANSPARENT, 0x1a);
	struct tu_owner *o;
	u32 h, i;

	tu_init(test, fw, false);
	o = tu_owner(test, fw, 0);
	for (i = 1; i <= TU_MAX_GUESTS; i++) {
		KUNIT_ASSERT_EQ(test, tu_launch_start(test, fw, 0, 0, NULL,
						      NULL, &h),
				SEV_RET_SUCCESS);
		KUNIT_EXPECT_EQ(test, h, i);
	}
	KUNIT_EXPECT_EQ(test, tu_launch_start(test, fw, 0, 0, NULL, NULL, NULL),
			SEV_RET_RESOURCE_LIMIT);
	KUNIT_EXPECT_EQ(test, tu_receive_start(test, fw, 0, 0, o, NULL),
			SEV_RET_RESOURCE_LIMIT);
	KUNIT_EXPECT_EQ(test, sevfw_guest_count(fw), TU_MAX_GUESTS);
	KUNIT_EXPECT_EQ(test, tu_handle_cmd(test, fw, SEV_CMD_DECOMMISSION, 3),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, tu_receive_start(test, fw, 0, 0, o, &h),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, h, 3);
}

/* Hostile command buffers: out of RAM, C-bit set, page 0 */
static void sevfw_test_guest_bad_buffers(struct kunit *test)
{
	struct sevfw *fw = tu_fw(test, SEVFW_MEM_TRANSPARENT, 0x1b);
	struct sev_data_guest_status *d = tu_alloc(test, sizeof(*d));
	u32 h;

	tu_init(test, fw, false);
	KUNIT_ASSERT_EQ(test, tu_launch_start(test, fw, 3, 0, NULL, NULL, &h),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, sevfw_execute(fw, SEV_CMD_GUEST_STATUS, 0),
			SEV_RET_INVALID_ADDRESS);
	KUNIT_EXPECT_EQ(test, sevfw_execute(fw, SEV_CMD_ACTIVATE,
					    0xfffffffffffff000ULL),
			SEV_RET_INVALID_ADDRESS);
	/* the C-bit is masked from the command buffer address */
	d->handle = h;
	KUNIT_EXPECT_EQ(test, sevfw_execute(fw, SEV_CMD_GUEST_STATUS,
					    tu_pa(d) | BIT_ULL(TU_CBIT)),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, d->policy, 3);
}

static struct kunit_case sevfw_guest_cases[] = {
	KUNIT_CASE_PARAM(sevfw_test_guest_state_table, g_rows_gen_params),
	KUNIT_CASE(sevfw_test_guest_no_shortcut),
	KUNIT_CASE_PARAM(sevfw_test_activate, a_cases_gen_params),
	KUNIT_CASE(sevfw_test_guest_cmds_platform_state),
	KUNIT_CASE(sevfw_test_asid_rules),
	KUNIT_CASE(sevfw_test_asid_exhaustion),
	KUNIT_CASE(sevfw_test_es_asid_split),
	KUNIT_CASE_PARAM(sevfw_test_handle_cmds, h_cases_gen_params),
	KUNIT_CASE(sevfw_test_decommission_last),
	KUNIT_CASE(sevfw_test_guest_status),
	KUNIT_CASE_PARAM(sevfw_test_launch_start_plain, ls_cases_gen_params),
	KUNIT_CASE(sevfw_test_guest_exhaustion),
	KUNIT_CASE(sevfw_test_guest_bad_buffers),
	{}
};

static struct kunit_suite sevfw_guest_suite = {
	.name = "sevfw-guest",
	.test_cases = sevfw_guest_cases,
};

kunit_test_suite(sevfw_guest_suite);

MODULE_LICENSE("GPL");
