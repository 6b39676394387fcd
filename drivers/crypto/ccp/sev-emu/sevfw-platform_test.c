// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the software SEV firmware's platform commands: the state
 * table, status codes and their check order, length queries, the
 * persistent identity and its certificates, INIT_EX stores and
 * FACTORY_RESET, DF_FLUSH, DOWNLOAD_FIRMWARE and its anti-rollback rule,
 * and the C-bit check. Command buffers are kmalloc'd and handed over by
 * physical address, as the PSP driver does.
 *
 * WORKING is reached with a guest (LAUNCH_START without a session); the
 * guest commands themselves are tested in sevfw-guest_test.c and friends.
 */

#include <kunit/test.h>
#include <linux/bits.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/psp-sev.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "sevfw-internal.h"
#include "sevfw-image.h"
#include "sevfw-testroots.h"
#include "sevfw-image_testdata.h"
#include "sevfw-test-util.h"

#define T_API_MAJOR	0
#define T_API_MINOR	24
#define T_BUILD		15
#define T_MAX_ASID	16
#define T_CBIT		47

static void t_params(struct sevfw_params *p, u8 chip_seed)
{
	int i;

	memset(p, 0, sizeof(*p));
	p->api_major = T_API_MAJOR;
	p->api_minor = T_API_MINOR;
	p->build = T_BUILD;
	p->max_asid = T_MAX_ASID;
	p->min_sev_asid = 5;
	p->cbit = T_CBIT;
	p->max_guests = 4;
	p->mem_mode = SEVFW_MEM_TRANSPARENT;
	for (i = 0; i < sizeof(p->chip_id); i++)
		p->chip_id[i] = chip_seed + i;
}

static int t_init(struct kunit *test)
{
	struct sevfw_params p;
	struct sevfw *fw;

	t_params(&p, 0x40);
	fw = sevfw_create(&p);
	if (IS_ERR(fw))
		return PTR_ERR(fw);
	test->priv = fw;
	return 0;
}

static void t_exit(struct kunit *test)
{
	sevfw_destroy(test->priv);
}

static u16 t_cmd(struct sevfw *fw, u32 id, void *buf)
{
	return sevfw_execute(fw, id, buf ? virt_to_phys(buf) : 0);
}

static void *t_alloc(struct kunit *test, size_t len)
{
	void *p = kunit_kzalloc(test, len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, p);
	return p;
}

/* 1 MiB (TMR) or 32 KiB (NV) of naturally aligned pages, freed at exit */
struct t_pages {
	struct page *page;
	unsigned int order;
};

static void t_pages_free(struct kunit_resource *res)
{
	struct t_pages *tp = res->data;

	__free_pages(tp->page, tp->order);
}

static void *t_pages(struct kunit *test, size_t len)
{
	struct t_pages *tp = t_alloc(test, sizeof(*tp));

	tp->order = get_order(len);
	tp->page = alloc_pages(GFP_KERNEL | __GFP_ZERO, tp->order);
	KUNIT_ASSERT_NOT_NULL(test, tp->page);
	KUNIT_ASSERT_NOT_NULL(test, kunit_alloc_resource(test, NULL,
							 t_pages_free,
							 GFP_KERNEL, tp));
	KUNIT_ASSERT_TRUE(test, IS_ALIGNED(page_to_phys(tp->page), len));
	return page_address(tp->page);
}

static u16 t_do_init(struct sevfw *fw, u32 flags, u64 tmr, u32 tmr_len)
{
	struct sev_data_init *d = kzalloc(sizeof(*d), GFP_KERNEL);
	u16 ret;

	if (!d)
		return 0xffff;
	d->flags = flags;
	d->tmr_address = tmr;
	d->tmr_len = tmr_len;
	ret = t_cmd(fw, SEV_CMD_INIT, d);
	kfree(d);
	return ret;
}

static void t_status(struct kunit *test, struct sevfw *fw,
		     struct sev_user_data_status *st)
{
	struct sev_user_data_status *b = t_alloc(test, sizeof(*b));

	KUNIT_ASSERT_EQ(test, t_cmd(fw, SEV_CMD_PLATFORM_STATUS, b),
			SEV_RET_SUCCESS);
	*st = *b;
}

/* PDH certificate and the PEK, OCA, CEK chain */
struct t_export {
	struct sev_cert pdh;
	struct sev_cert chain[3];
};

static void t_export(struct kunit *test, struct sevfw *fw, struct t_export *e)
{
	struct sev_data_pdh_cert_export *d = t_alloc(test, sizeof(*d));

	d->pdh_cert_address = virt_to_phys(&e->pdh);
	d->pdh_cert_len = SEV_CERT_SIZE;
	d->cert_chain_address = virt_to_phys(e->chain);
	d->cert_chain_len = SEV_CERT_CHAIN_SIZE;
	KUNIT_ASSERT_EQ(test, t_cmd(fw, SEV_CMD_PDH_CERT_EXPORT, d),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, d->pdh_cert_len, SEV_CERT_SIZE);
	KUNIT_EXPECT_EQ(test, d->cert_chain_len, SEV_CERT_CHAIN_SIZE);
}

static struct t_export *t_export_new(struct kunit *test, struct sevfw *fw)
{
	struct t_export *e = t_alloc(test, sizeof(*e));

	t_export(test, fw, e);
	return e;
}

static bool t_cert_eq(const struct sev_cert *a, const struct sev_cert *b)
{
	return !memcmp(a, b, sizeof(*a));
}

static void t_csr(struct kunit *test, struct sevfw *fw, struct sev_cert *out)
{
	struct sev_data_pek_csr *d = t_alloc(test, sizeof(*d));

	d->address = virt_to_phys(out);
	d->len = SEV_CERT_SIZE;
	KUNIT_ASSERT_EQ(test, t_cmd(fw, SEV_CMD_PEK_CSR, d), SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, d->len, SEV_CERT_SIZE);
}

/* An owner: a self-signed OCA and this platform's PEK signed by it */
struct t_owner {
	struct sevfw_ecc_key key;
	struct sev_cert oca;
	struct sev_cert pek;
};

static struct t_owner *t_owner_new(struct kunit *test, struct sevfw *fw)
{
	struct t_owner *o = t_alloc(test, sizeof(*o));

	KUNIT_ASSERT_EQ(test, sevfw_ecc_generate(&o->key), 0);
	sevfw_cert_init(&o->oca, T_API_MAJOR, T_API_MINOR, SEV_USAGE_OCA,
			SEV_ALGO_ECDSA_SHA256, &o->key.pub);
	KUNIT_ASSERT_EQ(test, sevfw_cert_sign(&o->oca, &o->key, SEV_USAGE_OCA),
			0);
	t_csr(test, fw, &o->pek);
	KUNIT_ASSERT_EQ(test, sevfw_cert_sign(&o->pek, &o->key, SEV_USAGE_OCA),
			0);
	return o;
}

static u16 t_import(struct kunit *test, struct sevfw *fw,
		    struct sev_cert *pek, u32 pek_len,
		    struct sev_cert *oca, u32 oca_len)
{
	struct sev_data_pek_cert_import *d = t_alloc(test, sizeof(*d));

	d->pek_cert_address = pek ? virt_to_phys(pek) : 0;
	d->pek_cert_len = pek_len;
	d->oca_cert_address = virt_to_phys(oca);
	d->oca_cert_len = oca_len;
	return t_cmd(fw, SEV_CMD_PEK_CERT_IMPORT, d);
}

static void *t_fwimage(struct kunit *test, size_t off)
{
	u8 *buf = t_alloc(test, PAGE_SIZE);

	KUNIT_ASSERT_TRUE(test, IS_ALIGNED(virt_to_phys(buf), 32));
	memcpy(buf + off, sevfw_test_fwimage, sizeof(sevfw_test_fwimage));
	return buf + off;
}

static u16 t_download(struct kunit *test, struct sevfw *fw, void *img,
		      u32 len)
{
	struct sev_data_download_firmware *d = t_alloc(test, sizeof(*d));

	d->address = virt_to_phys(img);
	d->len = len;
	return t_cmd(fw, SEV_CMD_DOWNLOAD_FIRMWARE, d);
}

/* --- the state table ---------------------------------------------------- */

enum t_prep {
	PREP_NONE,		/* no command buffer */
	PREP_INIT,
	PREP_INIT_EX,
	PREP_OUT,		/* output buffer (PLATFORM_STATUS) */
	PREP_CSR,
	PREP_IMPORT,
	PREP_EXPORT,
	PREP_FWIMAGE,
	PREP_GET_ID,
	PREP_HANDLE1,		/* a buffer holding handle 1 */
	PREP_LSTART,		/* LAUNCH_START without a session */
	PREP_GSTATUS,		/* GUEST_STATUS of handle 1 */
};

struct t_state_case {
	const char *name;
	u8 from;
	u32 cmd;
	enum t_prep prep;
	u16 status;
	u8 to;
};

#define U SEV_STATE_UNINIT
#define I SEV_STATE_INIT
#define W SEV_STATE_WORKING
#define ROW(_from, _cmd, _prep, _st, _to) {				\
	.name = #_from " " #_cmd, .from = _from, .cmd = SEV_CMD_##_cmd, \
	.prep = PREP_##_prep, .status = SEV_RET_##_st, .to = _to }

static const struct t_state_case t_state_cases[] = {
	ROW(U, INIT, INIT, SUCCESS, I),
	ROW(U, INIT_EX, INIT_EX, SUCCESS, I),
	ROW(U, SHUTDOWN, NONE, SUCCESS, U),
	ROW(U, FACTORY_RESET, NONE, SUCCESS, U),
	ROW(U, PLATFORM_STATUS, OUT, SUCCESS, U),
	ROW(U, PEK_GEN, NONE, INVALID_PLATFORM_STATE, U),
	ROW(U, PEK_CSR, CSR, INVALID_PLATFORM_STATE, U),
	ROW(U, PEK_CERT_IMPORT, IMPORT, INVALID_PLATFORM_STATE, U),
	ROW(U, PDH_CERT_EXPORT, EXPORT, INVALID_PLATFORM_STATE, U),
	ROW(U, PDH_GEN, NONE, INVALID_PLATFORM_STATE, U),
	ROW(U, DF_FLUSH, NONE, SUCCESS, U),
	ROW(U, DOWNLOAD_FIRMWARE, FWIMAGE, SUCCESS, U),
	ROW(U, GET_ID, GET_ID, SUCCESS, U),
	ROW(I, INIT, INIT, INVALID_PLATFORM_STATE, I),
	ROW(I, INIT_EX, INIT_EX, INVALID_PLATFORM_STATE, I),
	ROW(I, SHUTDOWN, NONE, SUCCESS, U),
	ROW(I, FACTORY_RESET, NONE, INVALID_PLATFORM_STATE, I),
	ROW(I, PLATFORM_STATUS, OUT, SUCCESS, I),
	ROW(I, PEK_GEN, NONE, SUCCESS, I),
	ROW(I, PEK_CSR, CSR, SUCCESS, I),
	ROW(I, PEK_CERT_IMPORT, IMPORT, SUCCESS, I),
	ROW(I, PDH_CERT_EXPORT, EXPORT, SUCCESS, I),
	ROW(I, PDH_GEN, NONE, SUCCESS, I),
	ROW(I, DF_FLUSH, NONE, SUCCESS, I),
	ROW(I, DOWNLOAD_FIRMWARE, FWIMAGE, INVALID_PLATFORM_STATE, I),
	ROW(I, GET_ID, GET_ID, SUCCESS, I),
	ROW(W, INIT, INIT, INVALID_PLATFORM_STATE, W),
	ROW(W, INIT_EX, INIT_EX, INVALID_PLATFORM_STATE, W),
	ROW(W, SHUTDOWN, NONE, SUCCESS, U),
	ROW(W, FACTORY_RESET, NONE, INVALID_PLATFORM_STATE, W),
	ROW(W, PLATFORM_STATUS, OUT, SUCCESS, W),
	ROW(W, PEK_GEN, NONE, INVALID_PLATFORM_STATE, W),
	ROW(W, PEK_CSR, CSR, SUCCESS, W),
	ROW(W, PEK_CERT_IMPORT, IMPORT, INVALID_PLATFORM_STATE, W),
	ROW(W, PDH_CERT_EXPORT, EXPORT, SUCCESS, W),
	ROW(W, PDH_GEN, NONE, SUCCESS, W),
	ROW(W, DF_FLUSH, NONE, SUCCESS, W),
	ROW(W, DOWNLOAD_FIRMWARE, FWIMAGE, INVALID_PLATFORM_STATE, W),
	ROW(W, GET_ID, GET_ID, SUCCESS, W),
	ROW(W, DECOMMISSION, HANDLE1, SUCCESS, I),
	ROW(I, DECOMMISSION, HANDLE1, INVALID_PLATFORM_STATE, I),
	ROW(U, DECOMMISSION, HANDLE1, INVALID_PLATFORM_STATE, U),
	ROW(U, LAUNCH_START, LSTART, INVALID_PLATFORM_STATE, U),
	ROW(I, LAUNCH_START, LSTART, SUCCESS, W),
	ROW(W, LAUNCH_START, LSTART, SUCCESS, W),
	ROW(U, GUEST_STATUS, GSTATUS, INVALID_PLATFORM_STATE, U),
	ROW(I, GUEST_STATUS, GSTATUS, SUCCESS, I),
	ROW(W, GUEST_STATUS, GSTATUS, SUCCESS, W),
	{ .name = "W NOP", .from = W, .cmd = SEVFW_CMD_NOP, .prep = PREP_NONE,
	  .status = SEV_RET_SUCCESS, .to = W },
	{ .name = "U NOP", .from = U, .cmd = SEVFW_CMD_NOP, .prep = PREP_NONE,
	  .status = SEV_RET_SUCCESS, .to = U },
	{ .name = "I NOP", .from = I, .cmd = SEVFW_CMD_NOP, .prep = PREP_NONE,
	  .status = SEV_RET_SUCCESS, .to = I },
};

#undef U
#undef I
#undef W
#undef ROW

static void t_state_desc(const struct t_state_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(t_state, t_state_cases, t_state_desc);

/* A well-formed buffer for @prep, so that only the state decides */
static void *t_prep(struct kunit *test, struct sevfw *fw, enum t_prep prep)
{
	switch (prep) {
	case PREP_INIT:
		return t_alloc(test, sizeof(struct sev_data_init));
	case PREP_INIT_EX: {
		struct sev_data_init_ex *d = t_alloc(test, sizeof(*d));

		d->length = sizeof(*d);
		return d;
	}
	case PREP_OUT:
		return t_alloc(test, sizeof(struct sev_user_data_status));
	case PREP_CSR: {
		struct sev_data_pek_csr *d = t_alloc(test, sizeof(*d));

		d->address = virt_to_phys(t_alloc(test, SEV_CERT_SIZE));
		d->len = SEV_CERT_SIZE;
		return d;
	}
	case PREP_IMPORT: {
		struct sev_data_pek_cert_import *d = t_alloc(test, sizeof(*d));
		struct t_owner *o = NULL;

		if (fw->state != SEV_STATE_UNINIT)
			o = t_owner_new(test, fw);
		else
			o = t_alloc(test, sizeof(*o));
		d->pek_cert_address = virt_to_phys(&o->pek);
		d->pek_cert_len = SEV_CERT_SIZE;
		d->oca_cert_address = virt_to_phys(&o->oca);
		d->oca_cert_len = SEV_CERT_SIZE;
		return d;
	}
	case PREP_EXPORT: {
		struct sev_data_pdh_cert_export *d = t_alloc(test, sizeof(*d));
		struct t_export *e = t_alloc(test, sizeof(*e));

		d->pdh_cert_address = virt_to_phys(&e->pdh);
		d->pdh_cert_len = SEV_CERT_SIZE;
		d->cert_chain_address = virt_to_phys(e->chain);
		d->cert_chain_len = SEV_CERT_CHAIN_SIZE;
		return d;
	}
	case PREP_FWIMAGE: {
		struct sev_data_download_firmware *d = t_alloc(test, sizeof(*d));

		d->address = virt_to_phys(t_fwimage(test, 0));
		d->len = sizeof(sevfw_test_fwimage);
		return d;
	}
	case PREP_HANDLE1: {
		u32 *d = t_alloc(test, sizeof(*d));

		*d = 1;
		return d;
	}
	case PREP_LSTART:
		return t_alloc(test, sizeof(struct sev_data_launch_start));
	case PREP_GSTATUS: {
		struct sev_data_guest_status *d = t_alloc(test, sizeof(*d));

		d->handle = 1;
		return d;
	}
	case PREP_GET_ID: {
		struct sev_data_get_id *d = t_alloc(test, sizeof(*d));

		d->address = virt_to_phys(t_alloc(test, SEVFW_ID_LEN));
		d->len = SEVFW_ID_LEN;
		return d;
	}
	default:
		return NULL;
	}
}

static void sevfw_test_state_table(struct kunit *test)
{
	const struct t_state_case *c = test->param_value;
	struct sevfw *fw = test->priv;
	void *buf;

	if (c->from != SEV_STATE_UNINIT)
		KUNIT_ASSERT_EQ(test, t_do_init(fw, 0, 0, 0), SEV_RET_SUCCESS);
	if (c->from == SEV_STATE_WORKING) {
		/* one guest, handle 1, not activated */
		KUNIT_ASSERT_EQ(test, t_cmd(fw, SEV_CMD_LAUNCH_START,
					    t_prep(test, fw, PREP_LSTART)),
				SEV_RET_SUCCESS);
		KUNIT_ASSERT_EQ(test, sevfw_guest_count(fw), 1);
	}
	KUNIT_ASSERT_EQ(test, sevfw_platform_state(fw), c->from);

	buf = t_prep(test, fw, c->prep);
	KUNIT_EXPECT_EQ(test, t_cmd(fw, c->cmd, buf), c->status);
	KUNIT_EXPECT_EQ(test, sevfw_platform_state(fw), c->to);
	/* SHUTDOWN and DECOMMISSION of the last guest leave none */
	if (c->to != SEV_STATE_WORKING)
		KUNIT_EXPECT_EQ(test, sevfw_guest_count(fw), 0);
}

/* Unknown ids, and the commands this firmware does not implement */
static void sevfw_test_invalid_command(struct kunit *test)
{
	static const u32 ids[] = {
		0x000, 0x00F, 0x010, 0x01F, 0x025 /* ACTIVATE_EX */,
		0x037, 0x045, 0x054, 0x062, 0x070 /* SWAP_OUT */,
		0x071 /* SWAP_IN */, 0x0FF, 0x100, 0x7FF,
	};
	struct sevfw *fw = test->priv;
	u8 *buf = t_alloc(test, 0x80);
	int i, pass;

	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < ARRAY_SIZE(ids); i++) {
			KUNIT_EXPECT_EQ_MSG(test, t_cmd(fw, ids[i], buf),
					    SEV_RET_INVALID_COMMAND,
					    "id 0x%x", ids[i]);
			KUNIT_EXPECT_EQ(test, t_cmd(fw, ids[i], NULL),
					SEV_RET_INVALID_COMMAND);
		}
		if (!pass)
			KUNIT_ASSERT_EQ(test, t_do_init(fw, 0, 0, 0),
					SEV_RET_SUCCESS);
	}
	KUNIT_EXPECT_FALSE(test, memchr_inv(buf, 0, 0x80));
}

/* Buffer sizes and write-back rules against facts §1 and §3 */
static void sevfw_test_cmd_table(struct kunit *test)
{
	static const struct {
		u32 id;
		u8 len;
		u8 wb;
		bool impl;
	} want[] = {
		{ SEV_CMD_INIT, 0x14, SEVFW_WB_NONE, true },
		{ SEV_CMD_SHUTDOWN, 0, SEVFW_WB_NONE, true },
		{ SEV_CMD_FACTORY_RESET, 0, SEVFW_WB_NONE, true },
		{ SEV_CMD_PLATFORM_STATUS, 0x0C, SEVFW_WB_OUT, true },
		{ SEV_CMD_PEK_GEN, 0, SEVFW_WB_NONE, true },
		{ SEV_CMD_PEK_CSR, 0x0C, SEVFW_WB_IO_LEN, true },
		{ SEV_CMD_PEK_CERT_IMPORT, 0x1C, SEVFW_WB_NONE, true },
		{ SEV_CMD_PDH_CERT_EXPORT, 0x1C, SEVFW_WB_IO_LEN, true },
		{ SEV_CMD_PDH_GEN, 0, SEVFW_WB_NONE, true },
		{ SEV_CMD_DF_FLUSH, 0, SEVFW_WB_NONE, true },
		{ SEV_CMD_DOWNLOAD_FIRMWARE, 0x0C, SEVFW_WB_NONE, true },
		{ SEV_CMD_GET_ID, 0x0C, SEVFW_WB_IO_LEN, true },
		{ SEV_CMD_INIT_EX, 0x24, SEVFW_WB_NONE, true },
		{ SEVFW_CMD_NOP, 0, SEVFW_WB_NONE, true },
		{ SEV_CMD_DECOMMISSION, 0x04, SEVFW_WB_NONE, true },
		{ SEV_CMD_ACTIVATE, 0x08, SEVFW_WB_NONE, true },
		{ SEV_CMD_DEACTIVATE, 0x04, SEVFW_WB_NONE, true },
		{ SEV_CMD_GUEST_STATUS, 0x0D, SEVFW_WB_IO, true },
		{ SEV_CMD_LAUNCH_START, 0x24, SEVFW_WB_IO, true },
		{ SEV_CMD_LAUNCH_UPDATE_DATA, 0x14, SEVFW_WB_NONE, true },
		{ SEV_CMD_LAUNCH_UPDATE_VMSA, 0x14, SEVFW_WB_NONE, true },
		{ SEV_CMD_LAUNCH_MEASURE, 0x14, SEVFW_WB_IO_LEN, true },
		{ SEV_CMD_LAUNCH_UPDATE_SECRET, 0x34, SEVFW_WB_NONE, true },
		{ SEV_CMD_LAUNCH_FINISH, 0x04, SEVFW_WB_NONE, true },
		{ SEV_CMD_ATTESTATION_REPORT, 0x24, SEVFW_WB_IO_LEN, true },
		{ SEV_CMD_SEND_START, 0x44, SEVFW_WB_IO_LEN, true },
		{ SEV_CMD_SEND_UPDATE_DATA, 0x34, SEVFW_WB_IO_LEN, true },
		{ SEV_CMD_SEND_UPDATE_VMSA, 0x34, SEVFW_WB_IO_LEN, true },
		{ SEV_CMD_SEND_FINISH, 0x04, SEVFW_WB_NONE, true },
		{ SEV_CMD_SEND_CANCEL, 0x04, SEVFW_WB_NONE, true },
		{ SEV_CMD_RECEIVE_START, 0x24, SEVFW_WB_IO, true },
		{ SEV_CMD_RECEIVE_UPDATE_DATA, 0x34, SEVFW_WB_NONE, true },
		{ SEV_CMD_RECEIVE_UPDATE_VMSA, 0x34, SEVFW_WB_NONE, true },
		{ SEV_CMD_RECEIVE_FINISH, 0x04, SEVFW_WB_NONE, true },
		{ SEV_CMD_DBG_DECRYPT, 0x1C, SEVFW_WB_NONE, true },
		{ SEV_CMD_DBG_ENCRYPT, 0x1C, SEVFW_WB_NONE, true },
		{ SEVFW_CMD_COPY, 0x18, SEVFW_WB_NONE, true },
		{ 0x025, 0, SEVFW_WB_NONE, false },	/* ACTIVATE_EX */
		{ 0x070, 0, SEVFW_WB_NONE, false },	/* SWAP_OUT */
	};
	static const u16 statuses[] = {
		SEV_RET_SUCCESS, SEV_RET_INVALID_LEN,
		SEV_RET_INVALID_PLATFORM_STATE, SEV_RET_INVALID_ADDRESS,
		SEV_RET_BAD_SIGNATURE,
	};
	int i, j;
	u8 len, wb;

	for (i = 0; i < ARRAY_SIZE(want); i++) {
		KUNIT_EXPECT_EQ_MSG(test, sevfw_cmd_info(want[i].id, &len, &wb),
				    want[i].impl, "id 0x%x", want[i].id);
		KUNIT_EXPECT_EQ_MSG(test, len, want[i].len, "id 0x%x",
				    want[i].id);
		KUNIT_EXPECT_EQ_MSG(test, wb, want[i].wb, "id 0x%x",
				    want[i].id);
	}
	KUNIT_EXPECT_FALSE(test, sevfw_cmd_info(0x7ff, &len, &wb));

	/* input only: never; output and in/out: on success; in/out + LEN */
	for (j = 0; j < ARRAY_SIZE(statuses); j++) {
		u16 st = statuses[j];

		KUNIT_EXPECT_FALSE(test, sevfw_wb_applies(SEVFW_WB_NONE, st));
		KUNIT_EXPECT_EQ(test, sevfw_wb_applies(SEVFW_WB_OUT, st),
				st == SEV_RET_SUCCESS);
		KUNIT_EXPECT_EQ(test, sevfw_wb_applies(SEVFW_WB_IO, st),
				st == SEV_RET_SUCCESS);
		KUNIT_EXPECT_EQ(test, sevfw_wb_applies(SEVFW_WB_IO_LEN, st),
				st == SEV_RET_SUCCESS ||
				st == SEV_RET_INVALID_LEN);
	}
}

/* --- PLATFORM_STATUS ---------------------------------------------------- */

static void sevfw_test_platform_status(struct kunit *test)
{
	struct sevfw *fw = test->priv;
	struct sev_user_data_status st;
	u8 *raw = t_alloc(test, 16);
	u8 *tmr = t_pages(test, SZ_1M);
	struct t_owner *o;

	/* 12 bytes written, nothing after them; UNINIT reads zero flags */
	memset(raw, 0xcc, 16);
	KUNIT_ASSERT_EQ(test, t_cmd(fw, SEV_CMD_PLATFORM_STATUS, raw),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, raw[0], T_API_MAJOR);
	KUNIT_EXPECT_EQ(test, raw[1], T_API_MINOR);
	KUNIT_EXPECT_EQ(test, raw[2], SEV_STATE_UNINIT);
	KUNIT_EXPECT_EQ(test, raw[3], 0);
	KUNIT_EXPECT_EQ(test, raw[4], 0);
	KUNIT_EXPECT_EQ(test, raw[5], 0);
	KUNIT_EXPECT_EQ(test, raw[6], 0);
	KUNIT_EXPECT_EQ(test, raw[7], T_BUILD);
	KUNIT_EXPECT_FALSE(test, memchr_inv(raw + 8, 0, 4));
	KUNIT_EXPECT_FALSE(test, memchr_inv(raw + 12, 0xcc, 4));

	/* ES platform: config bit 0 is byte 4, Linux flag 0x100 */
	KUNIT_ASSERT_EQ(test, t_do_init(fw, SEV_INIT_FLAGS_SEV_ES,
					virt_to_phys(tmr), SZ_1M),
			SEV_RET_SUCCESS);
	t_status(test, fw, &st);
	KUNIT_EXPECT_EQ(test, st.state, SEV_STATE_INIT);
	KUNIT_EXPECT_EQ(test, st.flags, SEV_STATUS_FLAGS_CONFIG_ES);
	KUNIT_EXPECT_EQ(test, st.build, T_BUILD);
	KUNIT_EXPECT_EQ(test, st.guest_count, 0);

	/* owner bit after PEK_CERT_IMPORT, and it survives SHUTDOWN/INIT */
	o = t_owner_new(test, fw);
	KUNIT_ASSERT_EQ(test, t_import(test, fw, &o->pek, SEV_CERT_SIZE,
				       &o->oca, SEV_CERT_SIZE),
			SEV_RET_SUCCESS);
	t_status(test, fw, &st);
	KUNIT_EXPECT_EQ(test, st.flags, SEV_STATUS_FLAGS_CONFIG_ES | 1);
	KUNIT_ASSERT_EQ(test, t_cmd(fw, SEV_CMD_SHUTDOWN, NULL),
			SEV_RET_SUCCESS);
	t_status(test, fw, &st);
	KUNIT_EXPECT_EQ(test, st.state, SEV_STATE_UNINIT);
	KUNIT_EXPECT_EQ(test, st.flags, 0);
	KUNIT_ASSERT_EQ(test, t_do_init(fw, 0, 0, 0), SEV_RET_SUCCESS);
	t_status(test, fw, &st);
	KUNIT_EXPECT_EQ(test, st.flags, 1);
	KUNIT_ASSERT_EQ(test, t_cmd(fw, SEV_CMD_PEK_GEN, NULL),
			SEV_RET_SUCCESS);
	t_status(test, fw, &st);
	KUNIT_EXPECT_EQ(test, st.flags, 0);

	/* the C-bit is masked from the buffer address */
	memset(raw, 0, 16);
	KUNIT_EXPECT_EQ(test, sevfw_execute(fw, SEV_CMD_PLATFORM_STATUS,
					    virt_to_phys(raw) | BIT_ULL(T_CBIT)),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, raw[2], SEV_STATE_INIT);
	/* and an address that is not RAM is refused */
	KUNIT_EXPECT_EQ(test, sevfw_execute(fw, SEV_CMD_PLATFORM_STATUS, 0),
			SEV_RET_INVALID_ADDRESS);
}

/* --- INIT --------------------------------------------------------------- */

static void sevfw_test_init_checks(struct kunit *test)
{
	struct sevfw *fw = test->priv;
	u64 tmr = virt_to_phys(t_pages(test, SZ_1M));
	struct sev_data_init *d = t_alloc(test, sizeof(*d));

	d->flags = BIT(1);
	KUNIT_EXPECT_EQ(test, t_cmd(fw, SEV_CMD_INIT, d),
			SEV_RET_INAVLID_CONFIG);
	d->flags = SEV_INIT_FLAGS_SEV_ES;
	d->reserved = 1;
	KUNIT_EXPECT_EQ(test, t_cmd(fw, SEV_CMD_INIT, d),
			SEV_RET_INAVLID_CONFIG);
	/* flags are checked before the TMR */
	d->reserved = 0;
	d->flags = SEV_INIT_FLAGS_SEV_ES | BIT(31);
	d->tmr_address = tmr + PAGE_SIZE;
	KUNIT_EXPECT_EQ(test, t_cmd(fw, SEV_CMD_INIT, d),
			SEV_RET_INAVLID_CONFIG);

	/* ES: TMR alignment, then length; a failed INIT stays UNINIT */
	d->flags = SEV_INIT_FLAGS_SEV_ES;
	d->tmr_len = SZ_1M;
	KUNIT_EXPECT_EQ(test, t_cmd(fw, SEV_CMD_INIT, d),
			SEV_RET_INVALID_ADDRESS);
	KUNIT_EXPECT_EQ(test, sevfw_platform_state(fw), SEV_STATE_UNINIT);
	d->tmr_len = SZ_512K;
	KUNIT_EXPECT_EQ(test, t_cmd(fw, SEV_CMD_INIT, d),
			SEV_RET_INVALID_ADDRESS);
	d->tmr_address = tmr;
	KUNIT_EXPECT_EQ(test, t_cmd(fw, SEV_CMD_INIT, d), SEV_RET_INVALID_LEN);
	KUNIT_EXPECT_EQ(test, sevfw_platform_state(fw), SEV_STATE_UNINIT);
	/* the C-bit does not spoil the alignment */
	d->tmr_address = tmr | BIT_ULL(T_CBIT);
	d->tmr_len = SZ_1M;
	KUNIT_EXPECT_EQ(test, t_cmd(fw, SEV_CMD_INIT, d), SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, fw->tmr_pa, tmr);
	KUNIT_EXPECT_EQ(test, sevfw_platform_state(fw), SEV_STATE_INIT);
	/* the state check comes first */
	d->flags = BIT(5);
	KUNIT_EXPECT_EQ(test, t_cmd(fw, SEV_CMD_INIT, d),
			SEV_RET_INVALID_PLATFORM_STATE);

	/* without ES the TMR is ignored */
	KUNIT_ASSERT_EQ(test, t_cmd(fw, SEV_CMD_SHUTDOWN, NULL),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, t_do_init(fw, 0, 0x1234, 7), SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, fw->config, 0);
}

/* --- identity and certificates ------------------------------------------ */

static void t_check_chain(struct kunit *test, const struct t_export *e)
{
	const struct sev_cert *pek = &e->chain[0], *oca = &e->chain[1];
	const struct sev_cert *cek = &e->chain[2];
	const struct sev_cert *signed_cek = (const void *)sevfw_test_cek_cert;
	int i;

	KUNIT_EXPECT_EQ(test, le32_to_cpu(e->pdh.pub_usage), SEV_USAGE_PDH);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(e->pdh.pub_algo),
			SEV_ALGO_ECDH_SHA256);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(pek->pub_usage), SEV_USAGE_PEK);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(pek->pub_algo),
			SEV_ALGO_ECDSA_SHA256);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(oca->pub_usage), SEV_USAGE_OCA);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(cek->pub_usage), SEV_USAGE_CEK);
	KUNIT_EXPECT_EQ(test, e->pdh.api_major, T_API_MAJOR);
	KUNIT_EXPECT_EQ(test, e->pdh.api_minor, T_API_MINOR);
	KUNIT_EXPECT_EQ(test, pek->api_minor, T_API_MINOR);

	KUNIT_EXPECT_EQ(test, sevfw_cert_verify(&e->pdh, pek), SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, sevfw_cert_verify(pek, oca), SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, sevfw_cert_verify(pek, cek), SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, sevfw_cert_verify(pek, signed_cek),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, sevfw_cert_verify(oca, oca), SEV_RET_SUCCESS);
	/* a wrong signer does not verify */
	KUNIT_EXPECT_EQ(test, sevfw_cert_verify(&e->pdh, oca),
			SEV_RET_BAD_SIGNATURE);

	/* the CEK is the key server's certificate body, unsigned */
	KUNIT_EXPECT_EQ(test, memcmp(cek, sevfw_test_cek_cert,
				     SEV_CERT_SIGNED_LEN), 0);
	for (i = 0; i < 2; i++) {
		KUNIT_EXPECT_EQ(test, le32_to_cpu(cek->sig[i].usage),
				SEV_USAGE_INVALID);
		KUNIT_EXPECT_EQ(test, le32_to_cpu(cek->sig[i].algo),
				SEV_ALGO_INVALID);
		KUNIT_EXPECT_FALSE(test, memchr_inv(cek->sig[i].data, 0,
						    sizeof(cek->sig[i].data)));
	}
	/* PDH and OCA carry one signature, the other slot empty */
	KUNIT_EXPECT_EQ(test, le32_to_cpu(e->pdh.sig[1].usage),
			SEV_USAGE_INVALID);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(oca->sig[1].usage),
			SEV_USAGE_INVALID);
}

static void sevfw_test_identity_certs(struct kunit *test)
{
	struct sevfw *fw = test->priv;
	struct sev_cert *csr = t_alloc(test, sizeof(*csr));
	struct t_export *e;

	KUNIT_ASSERT_EQ(test, t_do_init(fw, 0, 0, 0), SEV_RET_SUCCESS);
	e = t_export_new(test, fw);
	t_check_chain(test, e);

	/* PEK_CSR: the PEK body, both slots empty */
	t_csr(test, fw, csr);
	KUNIT_EXPECT_EQ(test, memcmp(csr, &e->chain[0], SEV_CERT_SIGNED_LEN),
			0);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(csr->sig[0].usage),
			SEV_USAGE_INVALID);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(csr->sig[1].usage),
			SEV_USAGE_INVALID);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(csr->sig[0].algo), SEV_ALGO_INVALID);
	KUNIT_EXPECT_FALSE(test, memchr_inv(csr->sig[0].data, 0,
					    sizeof(csr->sig[0].data)));
	KUNIT_EXPECT_FALSE(test, memchr_inv(csr->sig[1].data, 0,
					    sizeof(csr->sig[1].data)));
}

static void sevfw_test_identity_persistence(struct kunit *test)
{
	struct sevfw *fw = test->priv;
	struct t_export *a, *b;

	KUNIT_ASSERT_EQ(test, t_do_init(fw, 0, 0, 0), SEV_RET_SUCCESS);
	a = t_export_new(test, fw);

	/* SHUTDOWN/INIT keeps everything */
	KUNIT_ASSERT_EQ(test, t_cmd(fw, SEV_CMD_SHUTDOWN, NULL),
			SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, t_do_init(fw, 0, 0, 0), SEV_RET_SUCCESS);
	b = t_export_new(test, fw);
	KUNIT_EXPECT_TRUE(test, !memcmp(a, b, sizeof(*a)));

	/* PDH_GEN: new PDH under the same PEK */
	KUNIT_ASSERT_EQ(test, t_cmd(fw, SEV_CMD_PDH_GEN, NULL),
			SEV_RET_SUCCESS);
	t_export(test, fw, b);
	KUNIT_EXPECT_FALSE(test, t_cert_eq(&a->pdh, &b->pdh));
	KUNIT_EXPECT_TRUE(test, t_cert_eq(&a->chain[0], &b->chain[0]));
	KUNIT_EXPECT_TRUE(test, t_cert_eq(&a->chain[1], &b->chain[1]));
	t_check_chain(test, b);

	/* PEK_GEN: new OCA, PEK and PDH */
	*a = *b;
	KUNIT_ASSERT_EQ(test, t_cmd(fw, SEV_CMD_PEK_GEN, NULL),
			SEV_RET_SUCCESS);
	t_export(test, fw, b);
	KUNIT_EXPECT_FALSE(test, t_cert_eq(&a->pdh, &b->pdh));
	KUNIT_EXPECT_FALSE(test, t_cert_eq(&a->chain[0], &b->chain[0]));
	KUNIT_EXPECT_FALSE(test, t_cert_eq(&a->chain[1], &b->chain[1]));
	KUNIT_EXPECT_TRUE(test, t_cert_eq(&a->chain[2], &b->chain[2]));
	t_check_chain(test, b);

	/* FACTORY_RESET: everything new at the next INIT */
	*a = *b;
	KUNIT_ASSERT_EQ(test, t_cmd(fw, SEV_CMD_SHUTDOWN, NULL),
			SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, t_cmd(fw, SEV_CMD_FACTORY_RESET, NULL),
			SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, t_do_init(fw, 0, 0, 0), SEV_RET_SUCCESS);
	t_export(test, fw, b);
	KUNIT_EXPECT_FALSE(test, t_cert_eq(&a->pdh, &b->pdh));
	KUNIT_EXPECT_FALSE(test, t_cert_eq(&a->chain[0], &b->chain[0]));
	KUNIT_EXPECT_FALSE(test, t_cert_eq(&a->chain[1], &b->chain[1]));
	t_check_chain(test, b);
}

/* --- length queries ----------------------------------------------------- */

static void sevfw_test_length_queries(struct kunit *test)
{
	struct sevfw *fw = test->priv;
	struct sev_data_pek_csr *csr = t_alloc(test, sizeof(*csr));
	struct sev_data_pdh_cert_export *ex = t_alloc(test, sizeof(*ex));
	struct sev_data_get_id *id = t_alloc(test, sizeof(*id));
	u8 *idbuf = t_alloc(test, 128);

	/* wrong state: no write-back, not even of the lengths */
	KUNIT_EXPECT_EQ(test, t_cmd(fw, SEV_CMD_PEK_CSR, csr),
			SEV_RET_INVALID_PLATFORM_STATE);
	KUNIT_EXPECT_EQ(test, csr->len, 0);
	KUNIT_EXPECT_EQ(test, t_cmd(fw, SEV_CMD_PDH_CERT_EXPORT, ex),
			SEV_RET_INVALID_PLATFORM_STATE);
	KUNIT_EXPECT_EQ(test, ex->pdh_cert_len, 0);

	/* GET_ID works in UNINIT */
	KUNIT_EXPECT_EQ(test, t_cmd(fw, SEV_CMD_GET_ID, id),
			SEV_RET_INVALID_LEN);
	KUNIT_EXPECT_EQ(test, id->len, SEVFW_ID_LEN);
	KUNIT_EXPECT_EQ(test, id->address, 0);
	id->len = 63;
	KUNIT_EXPECT_EQ(test, t_cmd(fw, SEV_CMD_GET_ID, id),
			SEV_RET_INVALID_LEN);
	KUNIT_EXPECT_EQ(test, id->len, SEVFW_ID_LEN);
	memset(idbuf, 0xee, 128);
	id->address = virt_to_phys(idbuf) | BIT_ULL(T_CBIT);
	id->len = 128;
	KUNIT_EXPECT_EQ(test, t_cmd(fw, SEV_CMD_GET_ID, id), SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, id->len, SEVFW_ID_LEN);
	KUNIT_EXPECT_EQ(test, memcmp(idbuf, fw->p.chip_id, SEVFW_ID_LEN), 0);
	KUNIT_EXPECT_EQ(test, idbuf[0], 0x40);
	KUNIT_EXPECT_EQ(test, idbuf[63], 0x40 + 63);
	KUNIT_EXPECT_FALSE(test, memchr_inv(idbuf + 64, 0xee, 64));

	KUNIT_ASSERT_EQ(test, t_do_init(fw, 0, 0, 0), SEV_RET_SUCCESS);

	KUNIT_EXPECT_EQ(test, t_cmd(fw, SEV_CMD_PEK_CSR, csr),
			SEV_RET_INVALID_LEN);
	KUNIT_EXPECT_EQ(test, csr->len, SEV_CERT_SIZE);
	csr->len = SEV_CERT_SIZE - 1;
	KUNIT_EXPECT_EQ(test, t_cmd(fw, SEV_CMD_PEK_CSR, csr),
			SEV_RET_INVALID_LEN);
	KUNIT_EXPECT_EQ(test, csr->len, SEV_CERT_SIZE);
	/* right length, but no memory behind the address */
	KUNIT_EXPECT_EQ(test, t_cmd(fw, SEV_CMD_PEK_CSR, csr),
			SEV_RET_INVALID_ADDRESS);

	KUNIT_EXPECT_EQ(test, t_cmd(fw, SEV_CMD_PDH_CERT_EXPORT, ex),
			SEV_RET_INVALID_LEN);
	KUNIT_EXPECT_EQ(test, ex->pdh_cert_len, SEV_CERT_SIZE);
	KUNIT_EXPECT_EQ(test, ex->cert_chain_len, SEV_CERT_CHAIN_SIZE);
	/* one of the two too short is enough, and both are reported */
	ex->pdh_cert_len = 0x10000;
	ex->cert_chain_len = SEV_CERT_CHAIN_SIZE - 1;
	KUNIT_EXPECT_EQ(test, t_cmd(fw, SEV_CMD_PDH_CERT_EXPORT, ex),
			SEV_RET_INVALID_LEN);
	KUNIT_EXPECT_EQ(test, ex->pdh_cert_len, SEV_CERT_SIZE);
	KUNIT_EXPECT_EQ(test, ex->cert_chain_len, SEV_CERT_CHAIN_SIZE);
	/* larger buffers: the lengths written are the real ones */
	ex->pdh_cert_address = virt_to_phys(t_alloc(test, 0x1000));
	ex->pdh_cert_len = 0x1000;
	ex->cert_chain_address = virt_to_phys(t_alloc(test, 0x2000));
	ex->cert_chain_len = 0x2000;
	KUNIT_EXPECT_EQ(test, t_cmd(fw, SEV_CMD_PDH_CERT_EXPORT, ex),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, ex->pdh_cert_len, SEV_CERT_SIZE);
	KUNIT_EXPECT_EQ(test, ex->cert_chain_len, SEV_CERT_CHAIN_SIZE);
}

/* --- PEK_CERT_IMPORT ---------------------------------------------------- */

static void t_expect_unowned(struct kunit *test, struct sevfw *fw,
			     const struct t_export *before)
{
	struct sev_user_data_status st;
	struct t_export *now = t_export_new(test, fw);

	t_status(test, fw, &st);
	KUNIT_EXPECT_EQ(test, st.flags & 1, 0);
	KUNIT_EXPECT_TRUE(test, !memcmp(now, before, sizeof(*now)));
}

static void sevfw_test_pek_cert_import(struct kunit *test)
{
	struct sevfw *fw = test->priv;
	struct sev_cert *bad = t_alloc(test, sizeof(*bad));
	struct sev_cert *bad2 = t_alloc(test, sizeof(*bad2));
	struct sevfw_ecc_key *k = t_alloc(test, sizeof(*k));
	struct sev_user_data_status st;
	struct t_owner *o, *other;
	struct t_export *before, *after;

	/* UNINIT: the state is checked before the lengths */
	KUNIT_EXPECT_EQ(test, t_import(test, fw, bad, 0, bad, 0),
			SEV_RET_INVALID_PLATFORM_STATE);

	KUNIT_ASSERT_EQ(test, t_do_init(fw, 0, 0, 0), SEV_RET_SUCCESS);
	before = t_export_new(test, fw);
	o = t_owner_new(test, fw);
	other = t_owner_new(test, fw);

	/* both lengths must be exactly 0x824 */
	KUNIT_EXPECT_EQ(test, t_import(test, fw, &o->pek, SEV_CERT_SIZE,
				       &o->oca, SEV_CERT_SIZE + 1),
			SEV_RET_INVALID_LEN);
	KUNIT_EXPECT_EQ(test, t_import(test, fw, &o->pek, SEV_CERT_SIZE - 1,
				       &o->oca, SEV_CERT_SIZE),
			SEV_RET_INVALID_LEN);

	/* an OCA whose self-signature is broken */
	*bad = o->oca;
	bad->sig[0].data[5] ^= 1;
	KUNIT_EXPECT_EQ(test, t_import(test, fw, &o->pek, SEV_CERT_SIZE,
				       bad, SEV_CERT_SIZE),
			SEV_RET_BAD_SIGNATURE);
	/* an "OCA" that is a self-signed key of another usage */
	sevfw_cert_init(bad, T_API_MAJOR, T_API_MINOR, SEV_USAGE_PEK,
			SEV_ALGO_ECDSA_SHA256, &o->key.pub);
	KUNIT_ASSERT_EQ(test, sevfw_cert_sign(bad, &o->key, SEV_USAGE_PEK), 0);
	KUNIT_EXPECT_EQ(test, t_import(test, fw, &o->pek, SEV_CERT_SIZE,
				       bad, SEV_CERT_SIZE),
			SEV_RET_INVALID_CERTIFICATE);
	/* the PEK signed by another OCA */
	KUNIT_EXPECT_EQ(test, t_import(test, fw, &other->pek, SEV_CERT_SIZE,
				       &o->oca, SEV_CERT_SIZE),
			SEV_RET_BAD_SIGNATURE);
	/* the PEK not signed at all (the CSR) */
	t_csr(test, fw, bad);
	KUNIT_EXPECT_EQ(test, t_import(test, fw, bad, SEV_CERT_SIZE,
				       &o->oca, SEV_CERT_SIZE),
			SEV_RET_BAD_SIGNATURE);
	/* a well-signed PEK certificate of some other key */
	KUNIT_ASSERT_EQ(test, sevfw_ecc_generate(k), 0);
	sevfw_cert_init(bad2, T_API_MAJOR, T_API_MINOR, SEV_USAGE_PEK,
			SEV_ALGO_ECDSA_SHA256, &k->pub);
	KUNIT_ASSERT_EQ(test, sevfw_cert_sign(bad2, &o->key, SEV_USAGE_OCA), 0);
	KUNIT_EXPECT_EQ(test, t_import(test, fw, bad2, SEV_CERT_SIZE,
				       &o->oca, SEV_CERT_SIZE),
			SEV_RET_INVALID_CERTIFICATE);
	/* unreadable certificate memory */
	KUNIT_EXPECT_EQ(test, t_import(test, fw, NULL, SEV_CERT_SIZE,
				       &o->oca, SEV_CERT_SIZE),
			SEV_RET_INVALID_ADDRESS);
	/* none of the failures changed anything */
	t_expect_unowned(test, fw, before);

	/* success: owned, new PDH, the owner's OCA in the chain */
	KUNIT_ASSERT_EQ(test, t_import(test, fw, &o->pek, SEV_CERT_SIZE,
				       &o->oca, SEV_CERT_SIZE),
			SEV_RET_SUCCESS);
	t_status(test, fw, &st);
	KUNIT_EXPECT_EQ(test, st.flags & 1, 1);
	after = t_export_new(test, fw);
	KUNIT_EXPECT_FALSE(test, t_cert_eq(&after->pdh, &before->pdh));
	KUNIT_EXPECT_TRUE(test, t_cert_eq(&after->chain[1], &o->oca));
	KUNIT_EXPECT_EQ(test, memcmp(&after->chain[0], &before->chain[0],
				     SEV_CERT_SIGNED_LEN), 0);
	t_check_chain(test, after);

	/* owned: ALREADY_OWNED comes before the length check */
	KUNIT_EXPECT_EQ(test, t_import(test, fw, &o->pek, 0, &o->oca, 0),
			SEV_RET_ALREADY_OWNED);

	/* ownership persists; PEK_GEN ends it */
	KUNIT_ASSERT_EQ(test, t_cmd(fw, SEV_CMD_SHUTDOWN, NULL),
			SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, t_do_init(fw, 0, 0, 0), SEV_RET_SUCCESS);
	before = t_export_new(test, fw);
	KUNIT_EXPECT_TRUE(test, !memcmp(before, after, sizeof(*after)));
	KUNIT_ASSERT_EQ(test, t_cmd(fw, SEV_CMD_PEK_GEN, NULL),
			SEV_RET_SUCCESS);
	t_status(test, fw, &st);
	KUNIT_EXPECT_EQ(test, st.flags & 1, 0);
	after = t_export_new(test, fw);
	KUNIT_EXPECT_FALSE(test, t_cert_eq(&after->chain[1], &o->oca));
	t_check_chain(test, after);
}

/* --- INIT_EX ------------------------------------------------------------ */

static u16 t_init_ex(struct kunit *test, struct sevfw *fw, u32 flags,
		     u64 tmr, void *nv)
{
	struct sev_data_init_ex *d = t_alloc(test, sizeof(*d));

	d->length = sizeof(*d);
	d->flags = flags;
	d->tmr_address = tmr;
	d->tmr_len = SZ_1M;
	d->nv_address = nv ? virt_to_phys(nv) : 0;
	d->nv_len = SEVFW_NV_LEN;
	return t_cmd(fw, SEV_CMD_INIT_EX, d);
}

static void sevfw_test_init_ex_checks(struct kunit *test)
{
	struct sevfw *fw = test->priv;
	struct sev_data_init_ex *d = t_alloc(test, sizeof(*d));
	u8 *tmr = t_pages(test, SZ_2M);
	u8 *nv = t_pages(test, SEVFW_NV_LEN);

	d->length = 0x20;
	KUNIT_EXPECT_EQ(test, t_cmd(fw, SEV_CMD_INIT_EX, d),
			SEV_RET_INVALID_LEN);
	d->length = sizeof(*d);
	d->reserved = 1;
	KUNIT_EXPECT_EQ(test, t_cmd(fw, SEV_CMD_INIT_EX, d),
			SEV_RET_INAVLID_CONFIG);
	d->reserved = 0;
	d->flags = 4;
	KUNIT_EXPECT_EQ(test, t_cmd(fw, SEV_CMD_INIT_EX, d),
			SEV_RET_INAVLID_CONFIG);
	d->flags = 0;
	d->nv_address = virt_to_phys(nv) + 0x800;
	d->nv_len = SEVFW_NV_LEN;
	KUNIT_EXPECT_EQ(test, t_cmd(fw, SEV_CMD_INIT_EX, d),
			SEV_RET_INVALID_ADDRESS);
	d->nv_address = virt_to_phys(nv);
	d->nv_len = SEVFW_NV_LEN / 2;
	KUNIT_EXPECT_EQ(test, t_cmd(fw, SEV_CMD_INIT_EX, d),
			SEV_RET_INVALID_LEN);
	/* an NV area that is not RAM */
	d->nv_address = 1ULL << 40;
	d->nv_len = SEVFW_NV_LEN;
	KUNIT_EXPECT_EQ(test, t_cmd(fw, SEV_CMD_INIT_EX, d),
			SEV_RET_INVALID_ADDRESS);
	d->flags = SEV_INIT_FLAGS_SEV_ES;
	d->tmr_address = virt_to_phys(tmr);
	d->tmr_len = SZ_1M;
	/* NV inside the TMR */
	d->nv_address = virt_to_phys(tmr) + SZ_64K;
	KUNIT_EXPECT_EQ(test, t_cmd(fw, SEV_CMD_INIT_EX, d),
			SEV_RET_INVALID_ADDRESS);
	KUNIT_EXPECT_EQ(test, sevfw_platform_state(fw), SEV_STATE_UNINIT);
	/* NV just after it is fine */
	d->nv_address = virt_to_phys(tmr) + SZ_1M;
	KUNIT_EXPECT_EQ(test, t_cmd(fw, SEV_CMD_INIT_EX, d), SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, memcmp(tmr + SZ_1M, "SEVEMUNV", 8), 0);
	KUNIT_ASSERT_EQ(test, t_cmd(fw, SEV_CMD_SHUTDOWN, NULL),
			SEV_RET_SUCCESS);
	/* NV_PADDR 0: the internal store, NV_LEN not checked */
	d->nv_address = 0;
	d->nv_len = 0;
	KUNIT_EXPECT_EQ(test, t_cmd(fw, SEV_CMD_INIT_EX, d), SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, fw->nv_pa, 0);
}

static bool t_contains(const u8 *hay, size_t len, const u8 *needle,
		       size_t nlen)
{
	size_t i;

	for (i = 0; i + nlen <= len; i++)
		if (!memcmp(hay + i, needle, nlen))
			return true;
	return false;
}

static void sevfw_test_init_ex_store(struct kunit *test)
{
	struct sevfw *fw = test->priv;
	u8 *nv = t_pages(test, SEVFW_NV_LEN);
	u8 *copy = t_alloc(test, SEVFW_NV_LEN);
	struct t_export *internal, *a, *b;
	struct sevfw_params p;
	struct sevfw *fw2;

	/* the internal store's identity */
	KUNIT_ASSERT_EQ(test, t_init_ex(test, fw, 0, 0, NULL), SEV_RET_SUCCESS);
	internal = t_export_new(test, fw);
	KUNIT_ASSERT_EQ(test, t_cmd(fw, SEV_CMD_SHUTDOWN, NULL),
			SEV_RET_SUCCESS);

	/* an erased (all 0xFF) NV area is empty: a new identity goes there */
	memset(nv, 0xff, SEVFW_NV_LEN);
	KUNIT_ASSERT_EQ(test, t_init_ex(test, fw, 0, 0, nv), SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, memcmp(nv, "SEVEMUNV", 8), 0);
	a = t_export_new(test, fw);
	t_check_chain(test, a);
	KUNIT_EXPECT_FALSE(test, t_cert_eq(&a->pdh, &internal->pdh));
	/* the store is encrypted: the PDH's public key is not in it */
	KUNIT_EXPECT_FALSE(test, t_contains(nv, SEVFW_NV_LEN,
					    a->pdh.pubkey.ecc.qx, 48));

	/* reloaded at the next INIT_EX */
	KUNIT_ASSERT_EQ(test, t_cmd(fw, SEV_CMD_SHUTDOWN, NULL),
			SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, t_init_ex(test, fw, 0, 0, nv), SEV_RET_SUCCESS);
	b = t_export_new(test, fw);
	KUNIT_EXPECT_TRUE(test, !memcmp(a, b, sizeof(*a)));

	/* PDH_GEN rewrites the store */
	memcpy(copy, nv, SEVFW_NV_LEN);
	KUNIT_ASSERT_EQ(test, t_cmd(fw, SEV_CMD_PDH_GEN, NULL),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_NE(test, memcmp(copy, nv, SEVFW_NV_LEN), 0);
	t_export(test, fw, b);
	KUNIT_ASSERT_EQ(test, t_cmd(fw, SEV_CMD_SHUTDOWN, NULL),
			SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, t_init_ex(test, fw, 0, 0, nv), SEV_RET_SUCCESS);
	t_export(test, fw, a);
	KUNIT_EXPECT_TRUE(test, !memcmp(a, b, sizeof(*a)));
	KUNIT_ASSERT_EQ(test, t_cmd(fw, SEV_CMD_SHUTDOWN, NULL),
			SEV_RET_SUCCESS);

	/* another instance of the same chip reads the store (module reload) */
	t_params(&p, 0x40);
	fw2 = sevfw_create(&p);
	KUNIT_ASSERT_FALSE(test, IS_ERR(fw2));
	KUNIT_EXPECT_EQ(test, t_init_ex(test, fw2, 0, 0, nv), SEV_RET_SUCCESS);
	b = t_export_new(test, fw2);
	KUNIT_EXPECT_TRUE(test, !memcmp(a, b, sizeof(*a)));
	sevfw_destroy(fw2);

	/* a different chip cannot: integrity failure, area erased */
	memcpy(copy, nv, SEVFW_NV_LEN);
	t_params(&p, 0x41);
	fw2 = sevfw_create(&p);
	KUNIT_ASSERT_FALSE(test, IS_ERR(fw2));
	KUNIT_EXPECT_EQ(test, t_init_ex(test, fw2, 0, 0, nv),
			SEV_RET_SECURE_DATA_INVALID);
	KUNIT_EXPECT_EQ(test, sevfw_platform_state(fw2), SEV_STATE_UNINIT);
	KUNIT_EXPECT_FALSE(test, memchr_inv(nv, 0, SEVFW_NV_LEN));
	sevfw_destroy(fw2);

	/* one flipped bit: SECURE_DATA_INVALID, erased; the retry succeeds */
	memcpy(nv, copy, SEVFW_NV_LEN);
	nv[0x100] ^= 0x10;
	KUNIT_EXPECT_EQ(test, t_init_ex(test, fw, 0, 0, nv),
			SEV_RET_SECURE_DATA_INVALID);
	KUNIT_EXPECT_EQ(test, sevfw_platform_state(fw), SEV_STATE_UNINIT);
	KUNIT_EXPECT_FALSE(test, memchr_inv(nv, 0, SEVFW_NV_LEN));
	KUNIT_EXPECT_EQ(test, t_init_ex(test, fw, 0, 0, nv), SEV_RET_SUCCESS);
	b = t_export_new(test, fw);
	KUNIT_EXPECT_FALSE(test, t_cert_eq(&a->pdh, &b->pdh));
	KUNIT_EXPECT_FALSE(test, t_cert_eq(&a->chain[0], &b->chain[0]));
	t_check_chain(test, b);
	KUNIT_ASSERT_EQ(test, t_cmd(fw, SEV_CMD_SHUTDOWN, NULL),
			SEV_RET_SUCCESS);

	/* a wrong version in an otherwise intact header */
	memcpy(copy, nv, SEVFW_NV_LEN);
	nv[8] = 2;
	KUNIT_EXPECT_EQ(test, t_init_ex(test, fw, 0, 0, nv),
			SEV_RET_SECURE_DATA_INVALID);
	/* garbage (what Linux passes when its NV file does not exist) */
	memset(nv, 0x5a, SEVFW_NV_LEN);
	KUNIT_EXPECT_EQ(test, t_init_ex(test, fw, 0, 0, nv),
			SEV_RET_SECURE_DATA_INVALID);
	KUNIT_EXPECT_EQ(test, t_init_ex(test, fw, 0, 0, nv), SEV_RET_SUCCESS);
	a = t_export_new(test, fw);
	KUNIT_ASSERT_EQ(test, t_cmd(fw, SEV_CMD_SHUTDOWN, NULL),
			SEV_RET_SUCCESS);

	/* FACTORY_RESET: the next INIT_EX ignores the old store */
	KUNIT_ASSERT_EQ(test, t_cmd(fw, SEV_CMD_FACTORY_RESET, NULL),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, t_init_ex(test, fw, 0, 0, nv), SEV_RET_SUCCESS);
	b = t_export_new(test, fw);
	KUNIT_EXPECT_FALSE(test, t_cert_eq(&a->chain[0], &b->chain[0]));
	KUNIT_ASSERT_EQ(test, t_cmd(fw, SEV_CMD_SHUTDOWN, NULL),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, t_init_ex(test, fw, 0, 0, nv), SEV_RET_SUCCESS);
	a = t_export_new(test, fw);
	KUNIT_EXPECT_TRUE(test, !memcmp(a, b, sizeof(*a)));
}

/*
 * FACTORY_RESET after INIT_EX is durable: Linux writes the NV area back to
 * its file after the command, and the next module load must not find the
 * old identity there (issue 13).
 */
static void sevfw_test_factory_reset_init_ex(struct kunit *test)
{
	struct sevfw *fw = test->priv;
	u8 *nv = t_pages(test, SEVFW_NV_LEN);
	struct sev_user_data_status st;
	struct t_export *old, *now;
	struct sevfw_params p;
	struct t_owner *o;
	struct sevfw *fw2;

	/* an owned identity with a PDH of its own, stored in the NV area */
	KUNIT_ASSERT_EQ(test, t_init_ex(test, fw, 0, 0, nv), SEV_RET_SUCCESS);
	o = t_owner_new(test, fw);
	KUNIT_ASSERT_EQ(test, t_import(test, fw, &o->pek, SEV_CERT_SIZE,
				       &o->oca, SEV_CERT_SIZE),
			SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, t_cmd(fw, SEV_CMD_PDH_GEN, NULL),
			SEV_RET_SUCCESS);
	t_status(test, fw, &st);
	KUNIT_ASSERT_EQ(test, st.flags & 1, 1);
	old = t_export_new(test, fw);

	/* Linux's FACTORY_RESET ioctl on an initialised platform */
	KUNIT_ASSERT_EQ(test, t_cmd(fw, SEV_CMD_SHUTDOWN, NULL),
			SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, t_cmd(fw, SEV_CMD_FACTORY_RESET, NULL),
			SEV_RET_SUCCESS);
	/* the area is erased, as an empty store */
	KUNIT_EXPECT_FALSE(test, memchr_inv(nv, 0, SEVFW_NV_LEN));

	/* module reload: a new instance of the same chip, INIT_EX from it */
	t_params(&p, 0x40);
	fw2 = tu_fw_new(test, &p);
	KUNIT_ASSERT_EQ(test, t_init_ex(test, fw2, 0, 0, nv), SEV_RET_SUCCESS);
	t_status(test, fw2, &st);
	KUNIT_EXPECT_EQ(test, st.flags & 1, 0);
	now = t_export_new(test, fw2);
	KUNIT_EXPECT_FALSE(test, t_cert_eq(&now->pdh, &old->pdh));
	KUNIT_EXPECT_NE(test, memcmp(now->pdh.pubkey.ecc.qx,
				     old->pdh.pubkey.ecc.qx, 48), 0);
	KUNIT_EXPECT_FALSE(test, t_cert_eq(&now->chain[0], &old->chain[0]));
	KUNIT_EXPECT_FALSE(test, t_cert_eq(&now->chain[1], &old->chain[1]));
	KUNIT_EXPECT_FALSE(test, t_cert_eq(&now->chain[1], &o->oca));
	t_check_chain(test, now);
	/* and the new identity is the one kept from now on */
	KUNIT_ASSERT_EQ(test, t_cmd(fw2, SEV_CMD_SHUTDOWN, NULL),
			SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, t_init_ex(test, fw2, 0, 0, nv), SEV_RET_SUCCESS);
	old = t_export_new(test, fw2);
	KUNIT_EXPECT_TRUE(test, !memcmp(old, now, sizeof(*now)));

	/* again, after an INIT_EX that only loaded the store */
	KUNIT_ASSERT_EQ(test, t_cmd(fw2, SEV_CMD_SHUTDOWN, NULL),
			SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, t_cmd(fw2, SEV_CMD_FACTORY_RESET, NULL),
			SEV_RET_SUCCESS);
	fw2 = tu_fw_new(test, &p);
	KUNIT_ASSERT_EQ(test, t_init_ex(test, fw2, 0, 0, nv), SEV_RET_SUCCESS);
	old = t_export_new(test, fw2);
	KUNIT_EXPECT_FALSE(test, t_cert_eq(&now->pdh, &old->pdh));
	KUNIT_EXPECT_FALSE(test, t_cert_eq(&now->chain[1], &old->chain[1]));
}

/*
 * FACTORY_RESET erases only an NV area that still holds this chip's
 * store: memory the host has reused since, or another chip's store, is
 * left alone (neither could bring the old identity back).
 */
static void sevfw_test_factory_reset_foreign_nv(struct kunit *test)
{
	struct sevfw *fw = test->priv;
	u8 *nv = t_pages(test, SEVFW_NV_LEN);
	u8 *copy = t_alloc(test, SEVFW_NV_LEN);
	struct t_export *a, *b;
	struct sevfw_params p;
	struct sevfw *fw2;

	/* an identity in the internal store */
	KUNIT_ASSERT_EQ(test, t_do_init(fw, 0, 0, 0), SEV_RET_SUCCESS);
	a = t_export_new(test, fw);
	KUNIT_ASSERT_EQ(test, t_cmd(fw, SEV_CMD_SHUTDOWN, NULL),
			SEV_RET_SUCCESS);

	/* the host reused the pages of the last INIT_EX area */
	KUNIT_ASSERT_EQ(test, t_init_ex(test, fw, 0, 0, nv), SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, t_cmd(fw, SEV_CMD_SHUTDOWN, NULL),
			SEV_RET_SUCCESS);
	memset(nv, 0x5a, SEVFW_NV_LEN);
	KUNIT_EXPECT_EQ(test, t_cmd(fw, SEV_CMD_FACTORY_RESET, NULL),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_FALSE(test, memchr_inv(nv, 0x5a, SEVFW_NV_LEN));

	/* the area holds another chip's store by now */
	KUNIT_ASSERT_EQ(test, t_init_ex(test, fw, 0, 0, nv), SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, t_cmd(fw, SEV_CMD_SHUTDOWN, NULL),
			SEV_RET_SUCCESS);
	t_params(&p, 0x41);
	fw2 = tu_fw_new(test, &p);
	KUNIT_ASSERT_EQ(test, t_init_ex(test, fw2, 0, 0, nv),
			SEV_RET_SECURE_DATA_INVALID);
	KUNIT_ASSERT_EQ(test, t_init_ex(test, fw2, 0, 0, nv), SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, t_cmd(fw2, SEV_CMD_SHUTDOWN, NULL),
			SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, memcmp(nv, "SEVEMUNV", 8), 0);
	memcpy(copy, nv, SEVFW_NV_LEN);
	KUNIT_EXPECT_EQ(test, t_cmd(fw, SEV_CMD_FACTORY_RESET, NULL),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, memcmp(nv, copy, SEVFW_NV_LEN), 0);

	/* the internal store is reset all the same */
	KUNIT_ASSERT_EQ(test, t_do_init(fw, 0, 0, 0), SEV_RET_SUCCESS);
	b = t_export_new(test, fw);
	KUNIT_EXPECT_FALSE(test, t_cert_eq(&a->pdh, &b->pdh));
	KUNIT_EXPECT_FALSE(test, t_cert_eq(&a->chain[1], &b->chain[1]));
	KUNIT_EXPECT_EQ(test, memcmp(nv, copy, SEVFW_NV_LEN), 0);
}

/* --- DF_FLUSH and the ASID array ---------------------------------------- */

static void t_expect_asids(struct kunit *test, struct sevfw *fw, u8 state)
{
	u32 asid;

	for (asid = 1; asid <= T_MAX_ASID; asid++)
		KUNIT_EXPECT_EQ_MSG(test, fw->asid_state[asid], state,
				    "asid %u", asid);
}

static void sevfw_test_df_flush(struct kunit *test)
{
	struct sevfw *fw = test->priv;

	t_expect_asids(test, fw, SEVFW_ASID_INVALID);
	/* no state check: UNINIT is fine and changes nothing */
	KUNIT_EXPECT_EQ(test, t_cmd(fw, SEV_CMD_DF_FLUSH, NULL),
			SEV_RET_SUCCESS);
	t_expect_asids(test, fw, SEVFW_ASID_INVALID);

	KUNIT_ASSERT_EQ(test, t_do_init(fw, 0, 0, 0), SEV_RET_SUCCESS);
	t_expect_asids(test, fw, SEVFW_ASID_DIRTY);
	KUNIT_EXPECT_EQ(test, t_cmd(fw, SEV_CMD_DF_FLUSH, NULL),
			SEV_RET_SUCCESS);
	t_expect_asids(test, fw, SEVFW_ASID_CLEAN);
	KUNIT_EXPECT_EQ(test, t_cmd(fw, SEV_CMD_DF_FLUSH, NULL),
			SEV_RET_SUCCESS);
	t_expect_asids(test, fw, SEVFW_ASID_CLEAN);

	/* a bound ASID is not touched */
	fw->asid_state[3] = SEVFW_ASID_IN_USE;
	fw->asid_state[4] = SEVFW_ASID_DIRTY;
	KUNIT_EXPECT_EQ(test, t_cmd(fw, SEV_CMD_DF_FLUSH, NULL),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, fw->asid_state[3], SEVFW_ASID_IN_USE);
	KUNIT_EXPECT_EQ(test, fw->asid_state[4], SEVFW_ASID_CLEAN);

	KUNIT_ASSERT_EQ(test, t_cmd(fw, SEV_CMD_SHUTDOWN, NULL),
			SEV_RET_SUCCESS);
	t_expect_asids(test, fw, SEVFW_ASID_INVALID);
	KUNIT_ASSERT_EQ(test, t_do_init(fw, 0, 0, 0), SEV_RET_SUCCESS);
	t_expect_asids(test, fw, SEVFW_ASID_DIRTY);
}

/* --- DOWNLOAD_FIRMWARE -------------------------------------------------- */

static void sevfw_test_download_firmware(struct kunit *test)
{
	struct sevfw *fw = test->priv;
	const u32 len = sizeof(sevfw_test_fwimage);
	struct sev_user_data_status st;
	u8 *img;

	/* the committed image says API 0.24 build 42 */
	KUNIT_ASSERT_EQ(test, sevfw_test_fwimage[0x12], 42);

	/* tampered payload, tampered signature, tampered header */
	img = t_fwimage(test, 0);
	img[0x25] ^= 0x01;
	KUNIT_EXPECT_EQ(test, t_download(test, fw, img, len),
			SEV_RET_BAD_SIGNATURE);
	img = t_fwimage(test, 0);
	img[len - 1] ^= 0x80;
	KUNIT_EXPECT_EQ(test, t_download(test, fw, img, len),
			SEV_RET_BAD_SIGNATURE);
	img = t_fwimage(test, 0);
	img[0x12] = 43;
	KUNIT_EXPECT_EQ(test, t_download(test, fw, img, len),
			SEV_RET_BAD_SIGNATURE);
	img = t_fwimage(test, 0);
	img[0] = 'X';
	KUNIT_EXPECT_EQ(test, t_download(test, fw, img, len),
			SEV_RET_BAD_SIGNATURE);
	t_status(test, fw, &st);
	KUNIT_EXPECT_EQ(test, st.build, T_BUILD);

	/* alignment, then length */
	img = t_fwimage(test, 16);
	KUNIT_EXPECT_EQ(test, t_download(test, fw, img, 0),
			SEV_RET_INVALID_ADDRESS);
	img = t_fwimage(test, 0);
	KUNIT_EXPECT_EQ(test, t_download(test, fw, img, 0),
			SEV_RET_INVALID_LEN);
	KUNIT_EXPECT_EQ(test, t_download(test, fw, img,
					 SEVFW_IMAGE_MIN_LEN - 1),
			SEV_RET_INVALID_LEN);
	KUNIT_EXPECT_EQ(test, t_download(test, fw, img, len + 1),
			SEV_RET_INVALID_LEN);
	KUNIT_EXPECT_EQ(test, t_download(test, fw, img,
					 SEVFW_IMAGE_MAX_LEN + 1),
			SEV_RET_INVALID_LEN);

	/* wrong state */
	KUNIT_ASSERT_EQ(test, t_do_init(fw, 0, 0, 0), SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, t_download(test, fw, img, len),
			SEV_RET_INVALID_PLATFORM_STATE);
	KUNIT_ASSERT_EQ(test, t_cmd(fw, SEV_CMD_SHUTDOWN, NULL),
			SEV_RET_SUCCESS);

	/* the genuine image: the new build shows in PLATFORM_STATUS */
	KUNIT_EXPECT_EQ(test, t_download(test, fw, img, len), SEV_RET_SUCCESS);
	t_status(test, fw, &st);
	KUNIT_EXPECT_EQ(test, st.build, 42);
	KUNIT_EXPECT_EQ(test, st.api_major, 0);
	KUNIT_EXPECT_EQ(test, st.api_minor, 24);
}

/*
 * Anti-rollback (issue 13): an image older than the running firmware is
 * refused with INVALID_CONFIG, the status AMD's firmware gives when its
 * boot loader detects a rollback, unless the platform allows rollback.
 * Versions compare as API major, then minor, then build. The test image
 * is API 0.24 build 42; the running version is set per case.
 */
struct t_rollback_case {
	const char *name;
	u8 major, minor, build;	/* the running firmware */
	bool allow;		/* sevfw_params.allow_rollback */
	bool tamper;		/* a broken signature as well */
	u16 status;
};

static const struct t_rollback_case t_rollback_cases[] = {
	{ "newer build", 0, 24, 15, false, false, SEV_RET_SUCCESS },
	{ "newer minor, lower build", 0, 23, 255, false, false,
	  SEV_RET_SUCCESS },
	{ "same version", 0, 24, 42, false, false, SEV_RET_SUCCESS },
	{ "older build", 0, 24, 43, false, false, SEV_RET_INAVLID_CONFIG },
	{ "older minor", 0, 25, 0, false, false, SEV_RET_INAVLID_CONFIG },
	{ "older major", 1, 0, 0, false, false, SEV_RET_INAVLID_CONFIG },
	{ "older, signature first", 0, 25, 0, false, true,
	  SEV_RET_BAD_SIGNATURE },
	{ "older build, allowed", 0, 24, 43, true, false, SEV_RET_SUCCESS },
	{ "older major, allowed", 1, 0, 0, true, false, SEV_RET_SUCCESS },
	{ "allowed, signature still checked", 1, 0, 0, true, true,
	  SEV_RET_BAD_SIGNATURE },
};

static void t_rollback_desc(const struct t_rollback_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(t_rollback, t_rollback_cases, t_rollback_desc);

static void sevfw_test_download_rollback(struct kunit *test)
{
	const struct t_rollback_case *c = test->param_value;
	const u32 len = sizeof(sevfw_test_fwimage);
	struct sev_user_data_status st;
	struct sevfw_params p;
	struct sevfw *fw;
	u8 *img;

	t_params(&p, 0x40);
	p.api_major = c->major;
	p.api_minor = c->minor;
	p.build = c->build;
	p.allow_rollback = c->allow;
	fw = tu_fw_new(test, &p);

	img = t_fwimage(test, 0);
	if (c->tamper)
		img[0x25] ^= 0x01;
	KUNIT_EXPECT_EQ(test, t_download(test, fw, img, len), c->status);
	t_status(test, fw, &st);
	if (c->status == SEV_RET_SUCCESS) {
		KUNIT_EXPECT_EQ(test, st.api_major, 0);
		KUNIT_EXPECT_EQ(test, st.api_minor, 24);
		KUNIT_EXPECT_EQ(test, st.build, 42);
	} else {
		/* a refused image changes nothing */
		KUNIT_EXPECT_EQ(test, st.api_major, c->major);
		KUNIT_EXPECT_EQ(test, st.api_minor, c->minor);
		KUNIT_EXPECT_EQ(test, st.build, c->build);
	}
	/* a second download of the same image is a re-install: allowed */
	if (c->status == SEV_RET_SUCCESS)
		KUNIT_EXPECT_EQ(test, t_download(test, fw, img, len),
				SEV_RET_SUCCESS);
}

/*
 * The C-bit lies above the host's physical address width and below 64
 * (issue 13). sev-emu.ko checks it against x86_phys_bits at load time;
 * sevfw_create() keeps the bounds that do not depend on the host.
 */
/*
 * SEV-ES and INIT_EX: the TMR rules of INIT (1 MiB alignment, then a length
 * of exactly 1 MiB, then RAM) apply to INIT_EX too, and PLATFORM_STATUS
 * CONFIG.ES follows the ES flag of the INIT or INIT_EX that succeeded.
 */
static void sevfw_test_init_es_tmr(struct kunit *test)
{
	struct sevfw *fw = test->priv;
	struct sev_data_init_ex *d = t_alloc(test, sizeof(*d));
	u64 tmr = virt_to_phys(t_pages(test, SZ_1M));
	struct sev_user_data_status st;

	d->length = sizeof(*d);
	d->flags = SEV_INIT_FLAGS_SEV_ES;
	d->tmr_address = tmr + SZ_512K;
	d->tmr_len = SZ_512K;
	KUNIT_EXPECT_EQ(test, t_cmd(fw, SEV_CMD_INIT_EX, d),
			SEV_RET_INVALID_ADDRESS);
	d->tmr_address = tmr;
	KUNIT_EXPECT_EQ(test, t_cmd(fw, SEV_CMD_INIT_EX, d),
			SEV_RET_INVALID_LEN);
	d->tmr_len = SZ_2M;
	KUNIT_EXPECT_EQ(test, t_cmd(fw, SEV_CMD_INIT_EX, d),
			SEV_RET_INVALID_LEN);
	t_status(test, fw, &st);
	KUNIT_EXPECT_EQ(test, st.state, SEV_STATE_UNINIT);
	KUNIT_EXPECT_EQ(test, st.flags & SEV_STATUS_FLAGS_CONFIG_ES, 0);
	/* an aligned 1 MiB that is not RAM: INVALID_CONFIG (as MMIO) */
	d->tmr_address = 1ULL << 40;
	d->tmr_len = SZ_1M;
	KUNIT_EXPECT_EQ(test, t_cmd(fw, SEV_CMD_INIT_EX, d),
			SEV_RET_INAVLID_CONFIG);
	KUNIT_EXPECT_EQ(test, t_do_init(fw, SEV_INIT_FLAGS_SEV_ES, 1ULL << 40,
					SZ_1M), SEV_RET_INAVLID_CONFIG);
	KUNIT_EXPECT_EQ(test, sevfw_platform_state(fw), SEV_STATE_UNINIT);

	d->tmr_address = tmr;
	KUNIT_EXPECT_EQ(test, t_cmd(fw, SEV_CMD_INIT_EX, d), SEV_RET_SUCCESS);
	t_status(test, fw, &st);
	KUNIT_EXPECT_EQ(test, st.state, SEV_STATE_INIT);
	KUNIT_EXPECT_EQ(test, st.flags & SEV_STATUS_FLAGS_CONFIG_ES,
			SEV_STATUS_FLAGS_CONFIG_ES);
	KUNIT_EXPECT_EQ(test, fw->tmr_pa, tmr);
	KUNIT_ASSERT_EQ(test, t_cmd(fw, SEV_CMD_SHUTDOWN, NULL),
			SEV_RET_SUCCESS);
	t_status(test, fw, &st);
	KUNIT_EXPECT_EQ(test, st.flags & SEV_STATUS_FLAGS_CONFIG_ES, 0);
	KUNIT_EXPECT_EQ(test, fw->tmr_pa, 0);

	/* without ES: no CONFIG.ES, whatever the TMR fields hold */
	d->flags = 0;
	d->tmr_address = 0x1234;
	d->tmr_len = 7;
	KUNIT_EXPECT_EQ(test, t_cmd(fw, SEV_CMD_INIT_EX, d), SEV_RET_SUCCESS);
	t_status(test, fw, &st);
	KUNIT_EXPECT_EQ(test, st.state, SEV_STATE_INIT);
	KUNIT_EXPECT_EQ(test, st.flags & SEV_STATUS_FLAGS_CONFIG_ES, 0);
	KUNIT_ASSERT_EQ(test, t_cmd(fw, SEV_CMD_SHUTDOWN, NULL),
			SEV_RET_SUCCESS);
	KUNIT_EXPECT_EQ(test, t_do_init(fw, 0, 0, 0), SEV_RET_SUCCESS);
	t_status(test, fw, &st);
	KUNIT_EXPECT_EQ(test, st.flags & SEV_STATUS_FLAGS_CONFIG_ES, 0);
}

/* The ES/SEV split of the ASIDs: min_sev_asid 1..max_asid */
static void sevfw_test_asid_range(struct kunit *test)
{
	struct sevfw_params p;
	struct sevfw *fw;

	KUNIT_EXPECT_EQ(test, sevfw_asid_range_check(509, 1), 0);
	KUNIT_EXPECT_EQ(test, sevfw_asid_range_check(509, 100), 0);
	KUNIT_EXPECT_EQ(test, sevfw_asid_range_check(509, 509), 0);
	KUNIT_EXPECT_EQ(test, sevfw_asid_range_check(1, 1), 0);
	KUNIT_EXPECT_EQ(test, sevfw_asid_range_check(509, 0), -EINVAL);
	/* no SEV ASID left */
	KUNIT_EXPECT_EQ(test, sevfw_asid_range_check(509, 510), -ERANGE);
	KUNIT_EXPECT_EQ(test, sevfw_asid_range_check(16, ~0U), -ERANGE);

	t_params(&p, 0x40);
	p.min_sev_asid = 0;
	KUNIT_EXPECT_EQ(test, PTR_ERR(sevfw_create(&p)), -EINVAL);
	p.min_sev_asid = T_MAX_ASID + 1;
	KUNIT_EXPECT_EQ(test, PTR_ERR(sevfw_create(&p)), -EINVAL);
	p.min_sev_asid = T_MAX_ASID;
	fw = sevfw_create(&p);
	KUNIT_EXPECT_FALSE(test, IS_ERR(fw));
	if (!IS_ERR(fw))
		sevfw_destroy(fw);
}

static void sevfw_test_cbit(struct kunit *test)
{
	struct sevfw_params p;
	struct sevfw *fw;

	/* EPYC: C-bit 47 or 51, with fewer physical address bits */
	KUNIT_EXPECT_EQ(test, sevfw_cbit_check(47, 43), 0);
	KUNIT_EXPECT_EQ(test, sevfw_cbit_check(51, 48), 0);
	/* just above the address bits, and the highest bit */
	KUNIT_EXPECT_EQ(test, sevfw_cbit_check(48, 48), 0);
	KUNIT_EXPECT_EQ(test, sevfw_cbit_check(63, 52), 0);
	/* inside the physical address width */
	KUNIT_EXPECT_EQ(test, sevfw_cbit_check(47, 48), -EINVAL);
	KUNIT_EXPECT_EQ(test, sevfw_cbit_check(51, 52), -EINVAL);
	KUNIT_EXPECT_EQ(test, sevfw_cbit_check(12, 40), -EINVAL);
	/* not a bit of a 64-bit address */
	KUNIT_EXPECT_EQ(test, sevfw_cbit_check(64, 40), -ERANGE);
	KUNIT_EXPECT_EQ(test, sevfw_cbit_check(64, 0), -ERANGE);
	KUNIT_EXPECT_EQ(test, sevfw_cbit_check(~0U, 0), -ERANGE);
	/* an unknown width (0): only the upper bound */
	KUNIT_EXPECT_EQ(test, sevfw_cbit_check(47, 0), 0);

	/* sevfw_create(): below 64 and not inside a page offset */
	t_params(&p, 0x40);
	p.cbit = 64;
	KUNIT_EXPECT_EQ(test, PTR_ERR(sevfw_create(&p)), -EINVAL);
	p.cbit = PAGE_SHIFT - 1;
	KUNIT_EXPECT_EQ(test, PTR_ERR(sevfw_create(&p)), -EINVAL);
	p.cbit = 63;
	fw = sevfw_create(&p);
	KUNIT_EXPECT_FALSE(test, IS_ERR(fw));
	if (!IS_ERR(fw))
		sevfw_destroy(fw);
}

/* --- memory access ------------------------------------------------------ */

static void sevfw_test_mem(struct kunit *test)
{
	struct sevfw *fw = test->priv;
	u8 *pages = t_pages(test, 2 * PAGE_SIZE);
	u64 pa = virt_to_phys(pages) + PAGE_SIZE - 10;
	u8 in[20], out[20];
	int i;

	for (i = 0; i < sizeof(in); i++)
		in[i] = i + 1;
	KUNIT_EXPECT_EQ(test, sevfw_mem_write(fw, pa | BIT_ULL(T_CBIT), in,
					      sizeof(in)), 0);
	KUNIT_EXPECT_EQ(test, memcmp(pages + PAGE_SIZE - 10, in, sizeof(in)),
			0);
	KUNIT_EXPECT_EQ(test, sevfw_mem_read(fw, pa, out, sizeof(out)), 0);
	KUNIT_EXPECT_EQ(test, memcmp(in, out, sizeof(in)), 0);
	KUNIT_EXPECT_EQ(test, sevfw_mem_fill(fw, pa, 0xab, 20), 0);
	KUNIT_EXPECT_FALSE(test, memchr_inv(pages + PAGE_SIZE - 10, 0xab, 20));

	KUNIT_EXPECT_EQ(test, sevfw_mem_read(fw, 0, out, 1), -EFAULT);
	KUNIT_EXPECT_EQ(test, sevfw_mem_check(fw, 1ULL << 46, 1), -EFAULT);
	KUNIT_EXPECT_EQ(test, sevfw_mem_check(fw, ~0ULL - 4, 16), -EFAULT);
	KUNIT_EXPECT_EQ(test, sevfw_mem_check(fw, pa, 0), 0);
}

/*
 * Only commands of bounded, small work may run in the caller's context:
 * none that walks a guest memory range or generates keys
 */
static void sevfw_test_short_cmds(struct kunit *test)
{
	static const u32 short_cmds[] = {
		SEV_CMD_PLATFORM_STATUS, SEV_CMD_DF_FLUSH, SEV_CMD_GET_ID,
		SEV_CMD_DECOMMISSION, SEV_CMD_ACTIVATE, SEV_CMD_DEACTIVATE,
		SEV_CMD_GUEST_STATUS, SEV_CMD_LAUNCH_MEASURE,
		SEV_CMD_LAUNCH_FINISH, SEV_CMD_SEND_FINISH, SEV_CMD_SEND_CANCEL,
		SEV_CMD_RECEIVE_FINISH,
	};
	static const u32 long_cmds[] = {
		SEV_CMD_INIT, SEV_CMD_INIT_EX, SEV_CMD_SHUTDOWN,
		SEV_CMD_FACTORY_RESET, SEV_CMD_PEK_GEN, SEV_CMD_PEK_CSR,
		SEV_CMD_PEK_CERT_IMPORT, SEV_CMD_PDH_GEN,
		SEV_CMD_PDH_CERT_EXPORT, SEV_CMD_DOWNLOAD_FIRMWARE,
		SEV_CMD_LAUNCH_START, SEV_CMD_LAUNCH_UPDATE_DATA,
		SEV_CMD_LAUNCH_UPDATE_VMSA, SEV_CMD_LAUNCH_UPDATE_SECRET,
		SEV_CMD_SEND_START, SEV_CMD_SEND_UPDATE_DATA,
		SEV_CMD_RECEIVE_START, SEV_CMD_RECEIVE_UPDATE_DATA,
		SEV_CMD_DBG_DECRYPT, SEV_CMD_DBG_ENCRYPT,
		SEV_CMD_ATTESTATION_REPORT, SEVFW_CMD_COPY, 0x7ff,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(short_cmds); i++)
		KUNIT_EXPECT_TRUE_MSG(test, sevfw_cmd_is_short(short_cmds[i]),
				      "cmd %#x", short_cmds[i]);
	for (i = 0; i < ARRAY_SIZE(long_cmds); i++)
		KUNIT_EXPECT_FALSE_MSG(test, sevfw_cmd_is_short(long_cmds[i]),
				       "cmd %#x", long_cmds[i]);
}

static struct kunit_case sevfw_platform_cases[] = {
	KUNIT_CASE_PARAM(sevfw_test_state_table, t_state_gen_params),
	KUNIT_CASE(sevfw_test_invalid_command),
	KUNIT_CASE(sevfw_test_cmd_table),
	KUNIT_CASE(sevfw_test_platform_status),
	KUNIT_CASE(sevfw_test_init_checks),
	KUNIT_CASE(sevfw_test_identity_certs),
	KUNIT_CASE(sevfw_test_identity_persistence),
	KUNIT_CASE(sevfw_test_length_queries),
	KUNIT_CASE(sevfw_test_pek_cert_import),
	KUNIT_CASE(sevfw_test_init_ex_checks),
	KUNIT_CASE(sevfw_test_init_ex_store),
	KUNIT_CASE(sevfw_test_factory_reset_init_ex),
	KUNIT_CASE(sevfw_test_factory_reset_foreign_nv),
	KUNIT_CASE(sevfw_test_df_flush),
	KUNIT_CASE(sevfw_test_download_firmware),
	KUNIT_CASE_PARAM(sevfw_test_download_rollback, t_rollback_gen_params),
	KUNIT_CASE(sevfw_test_mem),
	KUNIT_CASE(sevfw_test_cbit),
	KUNIT_CASE(sevfw_test_init_es_tmr),
	KUNIT_CASE(sevfw_test_asid_range),
	KUNIT_CASE(sevfw_test_short_cmds),
	{}
};

static struct kunit_suite sevfw_platform_suite = {
	.name = "sevfw-platform",
	.init = t_init,
	.exit = t_exit,
	.test_cases = sevfw_platform_cases,
};

kunit_test_suite(sevfw_platform_suite);

MODULE_LICENSE("GPL");
