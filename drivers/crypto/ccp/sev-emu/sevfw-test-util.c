// SPDX-License-Identifier: GPL-2.0-only
/*
 * Helpers shared by the KUnit suites of the software SEV firmware's guest
 * commands (KUnit builds only).
 */

#include <kunit/test.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/psp-sev.h>
#include <linux/random.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "sevfw-internal.h"
#include "sevfw-guest.h"
#include "sevfw-test-util.h"

void tu_expect_memeq(struct kunit *test, const void *a, const void *b,
		     size_t n, const char *what)
{
	int show = min_t(size_t, n, 32);

	KUNIT_EXPECT_TRUE_MSG(test, !memcmp(a, b, n), "%s: %*ph vs %*ph",
			      what, show, a, show, b);
}

void tu_params(struct sevfw_params *p, u8 chip_seed)
{
	int i;

	memset(p, 0, sizeof(*p));
	p->api_major = TU_API_MAJOR;
	p->api_minor = TU_API_MINOR;
	p->build = TU_BUILD;
	p->max_asid = TU_MAX_ASID;
	p->min_sev_asid = TU_MIN_SEV_ASID;
	p->cbit = TU_CBIT;
	p->max_guests = TU_MAX_GUESTS;
	p->mem_mode = SEVFW_MEM_TRANSPARENT;
	for (i = 0; i < sizeof(p->chip_id); i++)
		p->chip_id[i] = chip_seed + i;
}

static void tu_fw_free(struct kunit_resource *res)
{
	sevfw_destroy(res->data);
}

struct sevfw *tu_fw_new(struct kunit *test, const struct sevfw_params *p)
{
	struct sevfw *fw = sevfw_create(p);

	KUNIT_ASSERT_FALSE(test, IS_ERR(fw));
	KUNIT_ASSERT_NOT_NULL(test, kunit_alloc_resource(test, NULL,
							 tu_fw_free,
							 GFP_KERNEL, fw));
	return fw;
}

struct sevfw *tu_fw(struct kunit *test, enum sevfw_mem_mode mode,
		    u8 chip_seed)
{
	struct sevfw_params p;

	tu_params(&p, chip_seed);
	p.mem_mode = mode;
	return tu_fw_new(test, &p);
}

void *tu_alloc(struct kunit *test, size_t len)
{
	void *p = kunit_kzalloc(test, len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, p);
	return p;
}

struct tu_pages {
	struct page *page;
	unsigned int order;
};

static void tu_pages_free(struct kunit_resource *res)
{
	struct tu_pages *tp = res->data;

	__free_pages(tp->page, tp->order);
}

/* Zeroed, naturally aligned pages, freed with the test */
void *tu_pages(struct kunit *test, size_t len)
{
	struct tu_pages *tp = tu_alloc(test, sizeof(*tp));

	tp->order = get_order(len);
	tp->page = alloc_pages(GFP_KERNEL | __GFP_ZERO, tp->order);
	KUNIT_ASSERT_NOT_NULL(test, tp->page);
	KUNIT_ASSERT_NOT_NULL(test, kunit_alloc_resource(test, NULL,
							 tu_pages_free,
							 GFP_KERNEL, tp));
	return page_address(tp->page);
}

u64 tu_pa(const void *p)
{
	return p ? virt_to_phys((void *)p) : 0;
}

u16 tu_cmd(struct sevfw *fw, u32 id, void *buf)
{
	return sevfw_execute(fw, id, tu_pa(buf));
}

/* INIT (with a TMR if @es), then DF_FLUSH as Linux does: ASIDs clean */
void tu_init(struct kunit *test, struct sevfw *fw, bool es)
{
	struct sev_data_init *d = tu_alloc(test, sizeof(*d));

	if (es) {
		d->flags = SEV_INIT_FLAGS_SEV_ES;
		d->tmr_address = tu_pa(tu_pages(test, SZ_1M));
		d->tmr_len = SZ_1M;
	}
	KUNIT_ASSERT_EQ(test, tu_cmd(fw, SEV_CMD_INIT, d), SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, tu_cmd(fw, SEV_CMD_DF_FLUSH, NULL),
			SEV_RET_SUCCESS);
}

/* Commands whose buffer is just the handle */
u16 tu_handle_cmd(struct kunit *test, struct sevfw *fw, u32 id, u32 handle)
{
	u32 *d = tu_alloc(test, sizeof(*d));

	*d = handle;
	return tu_cmd(fw, id, d);
}

u16 tu_launch_start(struct kunit *test, struct sevfw *fw, u32 policy,
		    u32 share, const void *cert, const void *session,
		    u32 *handle)
{
	struct sev_data_launch_start *d = tu_alloc(test, sizeof(*d));
	u16 ret;

	d->handle = share;
	d->policy = policy;
	if (cert) {
		d->dh_cert_address = tu_pa(cert);
		d->dh_cert_len = SEV_CERT_SIZE;
		d->session_address = tu_pa(session);
		d->session_len = SEVFW_SESSION_LEN;
	}
	ret = tu_cmd(fw, SEV_CMD_LAUNCH_START, d);
	if (handle)
		*handle = ret == SEV_RET_SUCCESS ? d->handle : 0;
	return ret;
}

u16 tu_activate(struct kunit *test, struct sevfw *fw, u32 handle, u32 asid)
{
	struct sev_data_activate *d = tu_alloc(test, sizeof(*d));

	d->handle = handle;
	d->asid = asid;
	return tu_cmd(fw, SEV_CMD_ACTIVATE, d);
}

u16 tu_update_data(struct kunit *test, struct sevfw *fw, u32 handle,
		   const void *addr, u32 len)
{
	struct sev_data_launch_update_data *d = tu_alloc(test, sizeof(*d));

	d->handle = handle;
	d->address = tu_pa(addr);
	d->len = len;
	return tu_cmd(fw, SEV_CMD_LAUNCH_UPDATE_DATA, d);
}

/* LAUNCH_MEASURE into @out (48 bytes, kmalloc'd by the caller or NULL) */
u16 tu_measure(struct kunit *test, struct sevfw *fw, u32 handle, u8 *out)
{
	struct sev_data_launch_measure *d = tu_alloc(test, sizeof(*d));
	u8 *buf = tu_alloc(test, SEVFW_MEASURE_LEN);
	u16 ret;

	d->handle = handle;
	d->address = tu_pa(buf);
	d->len = SEVFW_MEASURE_LEN;
	ret = tu_cmd(fw, SEV_CMD_LAUNCH_MEASURE, d);
	if (out)
		memcpy(out, buf, SEVFW_MEASURE_LEN);
	return ret;
}

u16 tu_guest_status(struct kunit *test, struct sevfw *fw, u32 handle,
		    u32 *policy, u32 *asid, u8 *state)
{
	struct sev_data_guest_status *d = tu_alloc(test, sizeof(*d));
	u16 ret;

	d->handle = handle;
	d->policy = 0xdeadbeef;
	d->asid = 0xdeadbeef;
	d->state = 0xee;
	ret = tu_cmd(fw, SEV_CMD_GUEST_STATUS, d);
	if (policy)
		*policy = d->policy;
	if (asid)
		*asid = d->asid;
	if (state)
		*state = d->state;
	return ret;
}

u16 tu_dbg(struct kunit *test, struct sevfw *fw, u32 id, u32 handle,
	   u64 src, u64 dst, u32 len)
{
	struct sev_data_dbg *d = tu_alloc(test, sizeof(*d));

	d->handle = handle;
	d->src_addr = src;
	d->dst_addr = dst;
	d->len = len;
	return tu_cmd(fw, id, d);
}

/*
 * A RUNNING guest without a session: LAUNCH_START, ACTIVATE @asid (0: not
 * activated, which leaves LAUNCH_UPDATE_DATA out), LAUNCH_UPDATE_DATA of
 * @data, LAUNCH_MEASURE, LAUNCH_FINISH. Returns the handle.
 */
u32 tu_running_guest(struct kunit *test, struct sevfw *fw, u32 policy,
		     u32 asid, void *data, u32 len)
{
	u32 h;

	KUNIT_ASSERT_EQ(test, tu_launch_start(test, fw, policy, 0, NULL, NULL,
					      &h), SEV_RET_SUCCESS);
	if (asid) {
		KUNIT_ASSERT_EQ(test, tu_activate(test, fw, h, asid),
				SEV_RET_SUCCESS);
		if (data)
			KUNIT_ASSERT_EQ(test, tu_update_data(test, fw, h, data,
							     len),
					SEV_RET_SUCCESS);
	}
	KUNIT_ASSERT_EQ(test, tu_measure(test, fw, h, NULL), SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, tu_handle_cmd(test, fw, SEV_CMD_LAUNCH_FINISH,
					    h), SEV_RET_SUCCESS);
	return h;
}

/* PDH_CERT_EXPORT: the PDH and the PEK, OCA, CEK chain */
void tu_export(struct kunit *test, struct sevfw *fw, struct sev_cert *pdh,
	       struct sev_cert *chain)
{
	struct sev_data_pdh_cert_export *d = tu_alloc(test, sizeof(*d));

	d->pdh_cert_address = tu_pa(pdh);
	d->pdh_cert_len = SEV_CERT_SIZE;
	d->cert_chain_address = tu_pa(chain);
	d->cert_chain_len = SEV_CERT_CHAIN_SIZE;
	KUNIT_ASSERT_EQ(test, tu_cmd(fw, SEV_CMD_PDH_CERT_EXPORT, d),
			SEV_RET_SUCCESS);
}

/* This instance's PDH certificate */
struct sev_cert *tu_pdh(struct kunit *test, struct sevfw *fw)
{
	struct sev_cert *pdh = tu_alloc(test, sizeof(*pdh));
	struct sev_cert *chain = tu_alloc(test, SEV_CERT_CHAIN_SIZE);

	tu_export(test, fw, pdh, chain);
	return pdh;
}

struct tu_owner *tu_owner(struct kunit *test, struct sevfw *fw, u32 policy)
{
	struct tu_owner *o = tu_alloc(test, sizeof(*o));
	struct sev_cert *pdh = tu_pdh(test, fw);
	struct sevfw_ecc_key *k = tu_alloc(test, sizeof(*k));
	struct sevfw_ecc_pub pub;
	u8 z[SEVFW_P384_BYTES], nonce[16], iv[16];

	KUNIT_ASSERT_EQ(test, sevfw_cert_pubkey(pdh, &pub), SEV_RET_SUCCESS);
	KUNIT_ASSERT_EQ(test, sevfw_ecc_generate(k), 0);
	KUNIT_ASSERT_EQ(test, sevfw_ecdh(k, &pub, z), 0);
	sevfw_cert_init(&o->cert, 0, 0, SEV_USAGE_PDH, SEV_ALGO_ECDH_SHA256,
			&k->pub);
	get_random_bytes(nonce, sizeof(nonce));
	get_random_bytes(iv, sizeof(iv));
	get_random_bytes(o->tek, sizeof(o->tek));
	get_random_bytes(o->tik, sizeof(o->tik));
	sevfw_session_wrap(z, sizeof(z), nonce, iv, o->tek, o->tik, policy,
			   (struct sevfw_session *)o->session);
	sevfw_kdf(z, sizeof(z), "sev-master-secret", nonce, sizeof(nonce),
		  o->ms, sizeof(o->ms));
	return o;
}

u16 tu_receive_start(struct kunit *test, struct sevfw *fw, u32 policy,
		     u32 share, const struct tu_owner *o, u32 *handle)
{
	struct sev_data_receive_start *d = tu_alloc(test, sizeof(*d));
	u16 ret;

	d->handle = share;
	d->policy = policy;
	d->pdh_cert_address = tu_pa(&o->cert);
	d->pdh_cert_len = SEV_CERT_SIZE;
	d->session_address = tu_pa(o->session);
	d->session_len = SEVFW_SESSION_LEN;
	ret = tu_cmd(fw, SEV_CMD_RECEIVE_START, d);
	if (handle)
		*handle = ret == SEV_RET_SUCCESS ? d->handle : 0;
	return ret;
}

/* SEND_START for a guest whose policy asks for no certificate chain */
u16 tu_send_start_plain(struct kunit *test, struct sevfw *fw, u32 handle,
			const struct sev_cert *pdh, u8 *session)
{
	struct sev_data_send_start *d = tu_alloc(test, sizeof(*d));

	d->handle = handle;
	d->pdh_cert_address = tu_pa(pdh);
	d->pdh_cert_len = SEV_CERT_SIZE;
	d->session_address = tu_pa(session ? session :
				   tu_alloc(test, SEVFW_SESSION_LEN));
	d->session_len = SEVFW_SESSION_LEN;
	return tu_cmd(fw, SEV_CMD_SEND_START, d);
}
