// SPDX-License-Identifier: GPL-2.0-only
/*
 * sev_dev_test - the /dev/sev SEV_ISSUE_CMD interface: every command's
 * success path, every bad input, permissions, platform state transitions
 * and concurrent use. Expected errors, lengths and states are those of
 * Linux 6.1's sev-dev.c in front of SEV API firmware.
 */

#include "sev_cert_util.h"
#include "sev_test.h"

#define BIG_BUF		0x1000
#define NR_WORKERS	4
#define WORKER_ROUNDS	10

struct query_case {
	bool addr;		/* pass a valid buffer address */
	uint32_t len;
};

static void expect_cert_body(const uint8_t *cert, uint32_t usage,
			     uint32_t algo, const struct sev_user_data_status *st)
{
	EVP_PKEY *pk;

	TEST_ASSERT_EQ(sevc_le32(cert + SEVC_OFF_VERSION), 1);
	TEST_ASSERT_EQ(cert[SEVC_OFF_API_MAJOR], st->api_major);
	TEST_ASSERT_EQ(cert[SEVC_OFF_API_MINOR], st->api_minor);
	TEST_ASSERT_EQ(sevc_le32(cert + SEVC_OFF_USAGE), usage);
	TEST_ASSERT_EQ(sevc_le32(cert + SEVC_OFF_ALGO), algo);
	TEST_ASSERT_EQ(sevc_le32(cert + SEVC_OFF_CURVE), SEVC_CURVE_P384);
	pk = sevc_pubkey(cert);
	TEST_ASSERT(pk, "usage %#x: public key is not a valid P-384 point",
		    usage);
	EVP_PKEY_free(pk);
}

static void expect_empty_slot(const uint8_t *cert, int slot)
{
	const uint8_t *s = cert + SEVC_OFF_SLOT(slot);

	TEST_ASSERT_EQ(sevc_le32(s), SEVC_USAGE_INVALID);
	TEST_ASSERT_EQ(sevc_le32(s + 4), SEVC_ALGO_INVALID);
	TEST_ASSERT(sev_all_zero(s + SEVC_SLOT_DATA, SEVC_SIG_DATA_LEN),
		    "empty slot %d holds data", slot);
}

/* PEK_CSR and PDH_CERT_EXPORT output of the current platform */
struct identity {
	uint8_t csr[SEV_CERT_LEN];
	uint8_t pdh[SEV_CERT_LEN];
	uint8_t chain[SEV_CHAIN_LEN];
};

static void get_identity(int fd, struct identity *id)
{
	sev_pek_csr(fd, id->csr);
	sev_pdh_export(fd, id->pdh, id->chain);
	TEST_ASSERT(!memcmp(id->csr, id->chain + SEVC_CHAIN_PEK, SEVC_SIGNED_LEN),
		    "PEK_CSR body differs from the exported PEK");
}

static bool same_pek(const struct identity *a, const struct identity *b)
{
	return sevc_same_pubkey(a->chain + SEVC_CHAIN_PEK,
				b->chain + SEVC_CHAIN_PEK);
}

static bool same_oca(const struct identity *a, const struct identity *b)
{
	return sevc_same_pubkey(a->chain + SEVC_CHAIN_OCA,
				b->chain + SEVC_CHAIN_OCA);
}

static bool same_cek(const struct identity *a, const struct identity *b)
{
	return sevc_same_pubkey(a->chain + SEVC_CHAIN_CEK,
				b->chain + SEVC_CHAIN_CEK);
}

static bool same_pdh(const struct identity *a, const struct identity *b)
{
	return sevc_same_pubkey(a->pdh, b->pdh);
}

/* Build an owner OCA and an OCA-signed PEK for the current PEK */
static void owner_certs(int fd, EVP_PKEY *oca_key, uint8_t *oca, uint8_t *pek)
{
	uint8_t csr[SEV_CERT_LEN];

	sev_pek_csr(fd, csr);
	TEST_ASSERT(!sevc_owner_sign(csr, oca_key, oca, pek),
		    "signing the PEK with the test OCA failed");
}

static void test_platform_status(void)
{
	struct sev_user_data_status st, st2;
	int rw = sev_open(O_RDWR), ro = sev_open(O_RDONLY);

	sev_status(rw, &st);
	TEST_ASSERT(st.api_major > 0 || st.api_minor >= 16,
		    "API %u.%u is older than 0.16 (no GET_ID)", st.api_major,
		    st.api_minor);
	TEST_ASSERT(st.state <= SEV_STATE_WORKING, "state %u", st.state);
	TEST_ASSERT_EQ(st.guest_count, 0);
	TEST_ASSERT_EQ(st.flags & ~(SEV_FLAGS_OWNER | SEV_STATUS_FLAGS_CONFIG_ES),
		       0);

	sev_status(ro, &st2);
	TEST_ASSERT(!memcmp(&st, &st2, sizeof(st)),
		    "status differs between read-only and read-write fds");

	sev_ioctl_fails(rw, SEV_PLATFORM_STATUS, NULL, EFAULT, -1);
	sev_ioctl_fails(rw, SEV_PLATFORM_STATUS, sev_bad_ptr(), EFAULT, -1);
	sev_ioctl_fails(rw, SEV_PLATFORM_STATUS, SEV_KERNEL_PTR, EFAULT, -1);
}

static void test_factory_reset(void)
{
	struct sev_user_data_status before, after;
	struct identity *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
	int rw = sev_open(O_RDWR);

	TEST_ASSERT(a && b, "calloc");
	sev_ioctl(rw, SEV_PEK_GEN, NULL);
	sev_expect_state(rw, SEV_STATE_INIT, 0);
	get_identity(rw, a);
	sev_status(rw, &before);

	/* from INIT: the driver shuts the platform down first */
	sev_factory_reset(rw);
	sev_status(rw, &after);
	TEST_ASSERT_EQ(after.api_major, before.api_major);
	TEST_ASSERT_EQ(after.api_minor, before.api_minor);
	TEST_ASSERT_EQ(after.build, before.build);
	TEST_ASSERT_EQ(after.flags, 0);
	TEST_ASSERT_EQ(after.guest_count, 0);

	/* from UNINIT */
	sev_factory_reset(rw);

	/* the identity is wiped; the next INIT makes a new one */
	get_identity(rw, b);
	sev_expect_state(rw, SEV_STATE_INIT, 0);
	TEST_ASSERT(!same_pek(a, b), "FACTORY_RESET kept the PEK");
	TEST_ASSERT(!same_oca(a, b), "FACTORY_RESET kept the OCA");
	TEST_ASSERT(!same_pdh(a, b), "FACTORY_RESET kept the PDH");
	TEST_ASSERT(same_cek(a, b), "the CEK changed across FACTORY_RESET");
}

static void test_pek_gen(void)
{
	struct identity *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
	int rw = sev_open(O_RDWR);

	TEST_ASSERT(a && b, "calloc");
	sev_factory_reset(rw);
	sev_ioctl(rw, SEV_PEK_GEN, NULL);
	sev_expect_state(rw, SEV_STATE_INIT, 0);
	get_identity(rw, a);

	sev_ioctl(rw, SEV_PEK_GEN, NULL);
	sev_expect_state(rw, SEV_STATE_INIT, 0);
	get_identity(rw, b);
	TEST_ASSERT(!same_pek(a, b), "PEK_GEN kept the PEK");
	TEST_ASSERT(!same_oca(a, b), "PEK_GEN kept the self-owned OCA");
	TEST_ASSERT(!same_pdh(a, b), "PEK_GEN kept the PDH");
	TEST_ASSERT(same_cek(a, b), "PEK_GEN changed the CEK");
}

static void test_pdh_gen(void)
{
	struct identity *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
	int rw = sev_open(O_RDWR);

	TEST_ASSERT(a && b, "calloc");
	sev_factory_reset(rw);
	sev_ioctl(rw, SEV_PDH_GEN, NULL);
	sev_expect_state(rw, SEV_STATE_INIT, 0);
	get_identity(rw, a);

	sev_ioctl(rw, SEV_PDH_GEN, NULL);
	sev_expect_state(rw, SEV_STATE_INIT, 0);
	get_identity(rw, b);
	TEST_ASSERT(!same_pdh(a, b), "PDH_GEN kept the PDH");
	TEST_ASSERT(same_pek(a, b), "PDH_GEN changed the PEK");
	TEST_ASSERT(same_oca(a, b), "PDH_GEN changed the OCA");
	TEST_ASSERT(!memcmp(a->chain, b->chain, SEV_CHAIN_LEN),
		    "PDH_GEN changed the certificate chain");
}

static void test_pek_csr(void)
{
	struct sev_user_data_pek_csr arg;
	struct sev_user_data_status st;
	uint8_t *buf = sev_buf(SEV_FW_BLOB_MAX_SIZE);
	struct identity *id = calloc(1, sizeof(*id));
	int rw = sev_open(O_RDWR);

	TEST_ASSERT(id, "calloc");
	arg.address = (uintptr_t)buf;
	arg.length = BIG_BUF;
	sev_ioctl(rw, SEV_PEK_CSR, &arg);
	TEST_ASSERT_EQ(arg.length, SEV_CERT_LEN);
	TEST_ASSERT_EQ(arg.address, (uintptr_t)buf);
	TEST_ASSERT(sev_poisoned(buf + SEV_CERT_LEN, BIG_BUF - SEV_CERT_LEN),
		    "PEK_CSR wrote past the certificate");

	sev_status(rw, &st);
	expect_cert_body(buf, SEVC_USAGE_PEK, SEVC_ALGO_ECDSA_SHA256, &st);
	expect_empty_slot(buf, 0);
	expect_empty_slot(buf, 1);
	TEST_ASSERT(sev_all_zero(buf + SEVC_OFF_QY + SEVC_COORD_LEN,
				 SEVC_SIGNED_LEN - SEVC_OFF_QY - SEVC_COORD_LEN),
		    "reserved public key bytes are not zero");

	get_identity(rw, id);
	TEST_ASSERT(!memcmp(buf, id->csr, SEV_CERT_LEN),
		    "two PEK_CSRs differ");

	/* exactly the kernel's 16 KiB limit is still fine */
	memset(buf, SEV_BUF_POISON, SEV_FW_BLOB_MAX_SIZE);
	arg.length = SEV_FW_BLOB_MAX_SIZE;
	sev_ioctl(rw, SEV_PEK_CSR, &arg);
	TEST_ASSERT_EQ(arg.length, SEV_CERT_LEN);
	TEST_ASSERT(!memcmp(buf, id->csr, SEV_CERT_LEN), "CSR differs");
}

static void test_pek_csr_query(void)
{
	static const struct query_case cases[] = {
		{ false, 0 }, { true, 0 }, { false, SEV_CERT_LEN },
		{ true, SEV_CERT_LEN - 1 }, { true, 1 },
	};
	struct sev_user_data_pek_csr arg;
	uint8_t *buf = sev_buf(BIG_BUF);
	int rw = sev_open(O_RDWR);
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		arg.address = 0;
		if (cases[i].addr)
			arg.address = (uintptr_t)buf;
		arg.length = cases[i].len;
		sev_ioctl_fails(rw, SEV_PEK_CSR, &arg, EIO, SEV_RET_INVALID_LEN);
		TEST_ASSERT_EQ(arg.length, SEV_CERT_LEN);
		TEST_ASSERT(sev_poisoned(buf, BIG_BUF),
			    "case %zu: the query wrote the buffer", i);
	}
}

static void test_pek_csr_bad_input(void)
{
	struct sev_user_data_pek_csr arg;
	uint8_t *buf = sev_buf(BIG_BUF);
	int rw = sev_open(O_RDWR);

	sev_ioctl_fails(rw, SEV_PEK_CSR, NULL, EFAULT, -1);
	sev_ioctl_fails(rw, SEV_PEK_CSR, sev_bad_ptr(), EFAULT, -1);
	sev_ioctl_fails(rw, SEV_PEK_CSR, SEV_KERNEL_PTR, EFAULT, -1);

	/* over the kernel's 16 KiB blob limit: EFAULT as in Linux 6.1 */
	arg.address = (uintptr_t)buf;
	arg.length = SEV_FW_BLOB_MAX_SIZE + 1;
	sev_ioctl_fails(rw, SEV_PEK_CSR, &arg, EFAULT, -1);
	arg.length = UINT32_MAX;
	sev_ioctl_fails(rw, SEV_PEK_CSR, &arg, EFAULT, -1);
	TEST_ASSERT(sev_poisoned(buf, BIG_BUF), "buffer written");

	/* the length is written back before the blob copy fails */
	arg.address = (uintptr_t)sev_bad_ptr();
	arg.length = SEV_CERT_LEN;
	sev_ioctl_fails(rw, SEV_PEK_CSR, &arg, EFAULT, -1);
	TEST_ASSERT_EQ(arg.length, SEV_CERT_LEN);
	arg.address = (uintptr_t)SEV_KERNEL_PTR;
	sev_ioctl_fails(rw, SEV_PEK_CSR, &arg, EFAULT, -1);
}

static void test_pdh_cert_export(void)
{
	struct sev_user_data_pdh_cert_export arg;
	struct sev_user_data_status st;
	uint8_t *pdh = sev_buf(BIG_BUF), *chain = sev_buf(2 * BIG_BUF);
	uint8_t *pdh2 = sev_buf(SEV_CERT_LEN), *chain2 = sev_buf(SEV_CHAIN_LEN);
	const uint8_t *pek, *oca, *cek;
	int rw = sev_open(O_RDWR), ro;

	arg.pdh_cert_address = (uintptr_t)pdh;
	arg.pdh_cert_len = BIG_BUF;
	arg.cert_chain_address = (uintptr_t)chain;
	arg.cert_chain_len = 2 * BIG_BUF;
	sev_ioctl(rw, SEV_PDH_CERT_EXPORT, &arg);
	TEST_ASSERT_EQ(arg.pdh_cert_len, SEV_CERT_LEN);
	TEST_ASSERT_EQ(arg.cert_chain_len, SEV_CHAIN_LEN);
	TEST_ASSERT(sev_poisoned(pdh + SEV_CERT_LEN, BIG_BUF - SEV_CERT_LEN),
		    "PDH_CERT_EXPORT wrote past the PDH");
	TEST_ASSERT(sev_poisoned(chain + SEV_CHAIN_LEN,
				 2 * BIG_BUF - SEV_CHAIN_LEN),
		    "PDH_CERT_EXPORT wrote past the chain");
	sev_expect_state(rw, SEV_STATE_INIT, 0);

	sev_status(rw, &st);
	pek = chain + SEVC_CHAIN_PEK;
	oca = chain + SEVC_CHAIN_OCA;
	cek = chain + SEVC_CHAIN_CEK;
	expect_cert_body(pdh, SEVC_USAGE_PDH, SEVC_ALGO_ECDH_SHA256, &st);
	expect_cert_body(pek, SEVC_USAGE_PEK, SEVC_ALGO_ECDSA_SHA256, &st);
	expect_cert_body(oca, SEVC_USAGE_OCA, SEVC_ALGO_ECDSA_SHA256, &st);
	TEST_ASSERT_EQ(sevc_le32(cek + SEVC_OFF_USAGE), SEVC_USAGE_CEK);
	TEST_ASSERT_EQ(sevc_le32(cek + SEVC_OFF_ALGO), SEVC_ALGO_ECDSA_SHA256);
	TEST_ASSERT(sevc_find_slot(pdh, SEVC_USAGE_PEK,
				   SEVC_ALGO_ECDSA_SHA256) >= 0,
		    "the PDH has no PEK signature slot");
	TEST_ASSERT(sevc_find_slot(pek, SEVC_USAGE_OCA,
				   SEVC_ALGO_ECDSA_SHA256) >= 0,
		    "the PEK has no OCA signature slot");
	TEST_ASSERT(sevc_find_slot(pek, SEVC_USAGE_CEK,
				   SEVC_ALGO_ECDSA_SHA256) >= 0,
		    "the PEK has no CEK signature slot");
	TEST_ASSERT(sevc_find_slot(oca, SEVC_USAGE_OCA,
				   SEVC_ALGO_ECDSA_SHA256) >= 0,
		    "the OCA has no self-signature slot");

	/* a read-only fd may export once the platform is INIT */
	ro = sev_open(O_RDONLY);
	sev_pdh_export(ro, pdh2, chain2);
	TEST_ASSERT(!memcmp(pdh, pdh2, SEV_CERT_LEN), "PDH differs");
	TEST_ASSERT(!memcmp(chain, chain2, SEV_CHAIN_LEN), "chain differs");
}

static void test_pdh_cert_export_query(void)
{
	struct sev_user_data_pdh_cert_export arg;
	uint8_t *pdh = sev_buf(BIG_BUF), *chain = sev_buf(2 * BIG_BUF);
	int rw = sev_open(O_RDWR);
	int i;

	/* cases 0-3: one of the four fields zero; 4-6: too short; 7: all 0 */
	for (i = 0; i < 8; i++) {
		arg.pdh_cert_address = i == 0 || i == 7 ? 0 : (uintptr_t)pdh;
		arg.pdh_cert_len = i == 1 || i == 7 ? 0 :
				   i == 4 || i == 6 ? SEV_CERT_LEN - 1 :
				   SEV_CERT_LEN;
		arg.cert_chain_address = i == 2 || i == 7 ? 0 :
					 (uintptr_t)chain;
		arg.cert_chain_len = i == 3 || i == 7 ? 0 :
				     i == 5 || i == 6 ? SEV_CHAIN_LEN - 1 :
				     SEV_CHAIN_LEN;
		sev_ioctl_fails(rw, SEV_PDH_CERT_EXPORT, &arg, EIO,
				SEV_RET_INVALID_LEN);
		TEST_ASSERT_EQ(arg.pdh_cert_len, SEV_CERT_LEN);
		TEST_ASSERT_EQ(arg.cert_chain_len, SEV_CHAIN_LEN);
		TEST_ASSERT(sev_poisoned(pdh, BIG_BUF) &&
			    sev_poisoned(chain, 2 * BIG_BUF),
			    "case %d: the query wrote a buffer", i);
	}
}

static void test_pdh_cert_export_bad_input(void)
{
	struct sev_user_data_pdh_cert_export arg, good;
	uint8_t *pdh = sev_buf(BIG_BUF), *chain = sev_buf(2 * BIG_BUF);
	int rw = sev_open(O_RDWR);

	sev_ioctl(rw, SEV_PDH_GEN, NULL);	/* platform INIT */
	sev_ioctl_fails(rw, SEV_PDH_CERT_EXPORT, NULL, EFAULT, -1);
	sev_ioctl_fails(rw, SEV_PDH_CERT_EXPORT, sev_bad_ptr(), EFAULT, -1);
	sev_ioctl_fails(rw, SEV_PDH_CERT_EXPORT, SEV_KERNEL_PTR, EFAULT, -1);

	good.pdh_cert_address = (uintptr_t)pdh;
	good.pdh_cert_len = SEV_CERT_LEN;
	good.cert_chain_address = (uintptr_t)chain;
	good.cert_chain_len = SEV_CHAIN_LEN;

	/* over the kernel's 16 KiB blob limit: EFAULT as in Linux 6.1 */
	arg = good;
	arg.pdh_cert_len = SEV_FW_BLOB_MAX_SIZE + 1;
	sev_ioctl_fails(rw, SEV_PDH_CERT_EXPORT, &arg, EFAULT, -1);
	arg = good;
	arg.cert_chain_len = SEV_FW_BLOB_MAX_SIZE + 1;
	sev_ioctl_fails(rw, SEV_PDH_CERT_EXPORT, &arg, EFAULT, -1);
	arg = good;
	arg.cert_chain_len = UINT32_MAX;
	sev_ioctl_fails(rw, SEV_PDH_CERT_EXPORT, &arg, EFAULT, -1);
	TEST_ASSERT(sev_poisoned(pdh, BIG_BUF) &&
		    sev_poisoned(chain, 2 * BIG_BUF), "buffer written");

	/* unwritable destinations */
	arg = good;
	arg.pdh_cert_address = (uintptr_t)sev_bad_ptr();
	sev_ioctl_fails(rw, SEV_PDH_CERT_EXPORT, &arg, EFAULT, -1);
	arg = good;
	arg.cert_chain_address = (uintptr_t)sev_bad_ptr();
	sev_ioctl_fails(rw, SEV_PDH_CERT_EXPORT, &arg, EFAULT, -1);
	arg = good;
	arg.cert_chain_address = (uintptr_t)SEV_KERNEL_PTR;
	sev_ioctl_fails(rw, SEV_PDH_CERT_EXPORT, &arg, EFAULT, -1);
}

static void test_pek_cert_import_bad_input(void)
{
	struct sev_user_data_pek_cert_import arg, good;
	uint8_t *pek = sev_buf(BIG_BUF), *oca = sev_buf(BIG_BUF);
	struct identity *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
	EVP_PKEY *oca_key = sevc_p384_generate();
	int rw = sev_open(O_RDWR);
	uint32_t fw;

	TEST_ASSERT(a && b && oca_key, "allocation");
	sev_factory_reset(rw);
	sev_ioctl(rw, SEV_PEK_GEN, NULL);
	get_identity(rw, a);
	owner_certs(rw, oca_key, oca, pek);

	good.pek_cert_address = (uintptr_t)pek;
	good.pek_cert_len = SEV_CERT_LEN;
	good.oca_cert_address = (uintptr_t)oca;
	good.oca_cert_len = SEV_CERT_LEN;

	sev_ioctl_fails(rw, SEV_PEK_CERT_IMPORT, NULL, EFAULT, -1);
	sev_ioctl_fails(rw, SEV_PEK_CERT_IMPORT, sev_bad_ptr(), EFAULT, -1);
	sev_ioctl_fails(rw, SEV_PEK_CERT_IMPORT, SEV_KERNEL_PTR, EFAULT, -1);

	/* psp_copy_user_blob(): no address, no length or > 16 KiB: EINVAL */
	arg = good;
	arg.pek_cert_address = 0;
	sev_ioctl_fails(rw, SEV_PEK_CERT_IMPORT, &arg, EINVAL, -1);
	arg = good;
	arg.pek_cert_len = 0;
	sev_ioctl_fails(rw, SEV_PEK_CERT_IMPORT, &arg, EINVAL, -1);
	arg = good;
	arg.oca_cert_address = 0;
	sev_ioctl_fails(rw, SEV_PEK_CERT_IMPORT, &arg, EINVAL, -1);
	arg = good;
	arg.oca_cert_len = 0;
	sev_ioctl_fails(rw, SEV_PEK_CERT_IMPORT, &arg, EINVAL, -1);
	arg = good;
	arg.pek_cert_len = SEV_FW_BLOB_MAX_SIZE + 1;
	sev_ioctl_fails(rw, SEV_PEK_CERT_IMPORT, &arg, EINVAL, -1);
	arg = good;
	arg.oca_cert_len = UINT32_MAX;
	sev_ioctl_fails(rw, SEV_PEK_CERT_IMPORT, &arg, EINVAL, -1);

	/* unreadable certificates */
	arg = good;
	arg.pek_cert_address = (uintptr_t)sev_bad_ptr();
	sev_ioctl_fails(rw, SEV_PEK_CERT_IMPORT, &arg, EFAULT, -1);
	arg = good;
	arg.oca_cert_address = (uintptr_t)SEV_KERNEL_PTR;
	sev_ioctl_fails(rw, SEV_PEK_CERT_IMPORT, &arg, EFAULT, -1);

	/* the firmware wants exactly 0x824 bytes each */
	arg = good;
	arg.pek_cert_len = SEV_CERT_LEN - 1;
	sev_ioctl_fails(rw, SEV_PEK_CERT_IMPORT, &arg, EIO, SEV_RET_INVALID_LEN);
	arg = good;
	arg.oca_cert_len = SEV_CERT_LEN + 1;
	sev_ioctl_fails(rw, SEV_PEK_CERT_IMPORT, &arg, EIO, SEV_RET_INVALID_LEN);

	/* nothing changed, and the good request still works */
	sev_expect_state(rw, SEV_STATE_INIT, 0);
	get_identity(rw, b);
	TEST_ASSERT(!memcmp(a, b, sizeof(*a)), "a failed import changed the platform");
	TEST_ASSERT_EQ(__sev_pek_import(rw, pek, oca, &fw), 0);
	TEST_ASSERT_EQ(fw, 0);
	sev_expect_state(rw, SEV_STATE_INIT, SEV_FLAGS_OWNER);
	sev_factory_reset(rw);
}

static void test_pek_cert_import(void)
{
	uint8_t pek[SEV_CERT_LEN], oca[SEV_CERT_LEN];
	uint8_t pek2[SEV_CERT_LEN], oca2[SEV_CERT_LEN];
	struct identity *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
	EVP_PKEY *oca_key = sevc_p384_generate(), *oca_key2 = sevc_p384_generate();
	int rw = sev_open(O_RDWR);
	uint32_t fw;

	TEST_ASSERT(a && b && oca_key && oca_key2, "allocation");
	sev_factory_reset(rw);
	sev_ioctl(rw, SEV_PEK_GEN, NULL);
	get_identity(rw, a);
	owner_certs(rw, oca_key, oca, pek);
	TEST_ASSERT_EQ(__sev_pek_import(rw, pek, oca, &fw), 0);
	TEST_ASSERT_EQ(fw, 0);
	sev_expect_state(rw, SEV_STATE_INIT, SEV_FLAGS_OWNER);

	get_identity(rw, b);
	TEST_ASSERT(same_pek(a, b), "the imported PEK has another key");
	TEST_ASSERT(sevc_same_pubkey(b->chain + SEVC_CHAIN_OCA, oca),
		    "the exported OCA is not the imported one");
	TEST_ASSERT(!same_pdh(a, b), "PEK_CERT_IMPORT kept the PDH");
	TEST_ASSERT(same_cek(a, b), "PEK_CERT_IMPORT changed the CEK");

	/* a second import: ALREADY_OWNED, whatever is offered */
	TEST_ASSERT_EQ(__sev_pek_import(rw, pek, oca, &fw), -EIO);
	TEST_ASSERT_EQ(fw, SEV_RET_ALREADY_OWNED);
	TEST_ASSERT(!sevc_owner_sign(b->csr, oca_key2, oca2, pek2), "signing");
	TEST_ASSERT_EQ(__sev_pek_import(rw, pek2, oca2, &fw), -EIO);
	TEST_ASSERT_EQ(fw, SEV_RET_ALREADY_OWNED);
	sev_expect_state(rw, SEV_STATE_INIT, SEV_FLAGS_OWNER);

	/* PEK_GEN returns to self-ownership */
	sev_ioctl(rw, SEV_PEK_GEN, NULL);
	sev_expect_state(rw, SEV_STATE_INIT, 0);
	get_identity(rw, a);
	TEST_ASSERT(!same_pek(a, b), "PEK_GEN kept the imported PEK");
	TEST_ASSERT(!sevc_same_pubkey(a->chain + SEVC_CHAIN_OCA, oca),
		    "PEK_GEN kept the imported OCA");

	/* and FACTORY_RESET does too */
	owner_certs(rw, oca_key2, oca2, pek2);
	TEST_ASSERT_EQ(__sev_pek_import(rw, pek2, oca2, &fw), 0);
	sev_expect_state(rw, SEV_STATE_INIT, SEV_FLAGS_OWNER);
	sev_factory_reset(rw);
	sev_ioctl(rw, SEV_PDH_GEN, NULL);
	sev_expect_state(rw, SEV_STATE_INIT, 0);
}

/* Import @pek/@oca, expect -EIO with @status, and nothing changed */
static void import_rejected(int fd, uint8_t *pek, uint8_t *oca,
			    uint32_t status, const struct identity *before,
			    const char *what)
{
	struct identity *now = calloc(1, sizeof(*now));
	uint32_t fw;
	int ret;

	TEST_ASSERT(now, "calloc");
	ret = __sev_pek_import(fd, pek, oca, &fw);
	TEST_ASSERT(ret == -EIO && fw == status,
		    "%s: ret %d, fw error %#x; expected -EIO, fw error %#x",
		    what, ret, fw, status);
	sev_expect_state(fd, SEV_STATE_INIT, 0);
	get_identity(fd, now);
	TEST_ASSERT(!memcmp(before, now, sizeof(*now)),
		    "%s: the rejected import changed the platform", what);
	free(now);
}

static void test_pek_cert_import_bad_certs(void)
{
	uint8_t pek[SEV_CERT_LEN], oca[SEV_CERT_LEN];
	uint8_t bad_pek[SEV_CERT_LEN], bad_oca[SEV_CERT_LEN];
	struct identity *a = calloc(1, sizeof(*a));
	EVP_PKEY *oca_key = sevc_p384_generate(), *other = sevc_p384_generate();
	int rw = sev_open(O_RDWR);

	TEST_ASSERT(a && oca_key && other, "allocation");
	sev_factory_reset(rw);
	sev_ioctl(rw, SEV_PEK_GEN, NULL);
	get_identity(rw, a);
	owner_certs(rw, oca_key, oca, pek);

	/* a validly signed PEK with a key that is not the platform's */
	TEST_ASSERT(!sevc_build(bad_pek, a->csr[SEVC_OFF_API_MAJOR],
				a->csr[SEVC_OFF_API_MINOR], SEVC_USAGE_PEK,
				SEVC_ALGO_ECDSA_SHA256, other) &&
		    !sevc_sign(bad_pek, 0, SEVC_USAGE_OCA, oca_key), "signing");
	import_rejected(rw, bad_pek, oca, SEV_RET_INVALID_CERTIFICATE, a,
			"foreign PEK");

	/* the OCA's self-signature does not verify */
	memcpy(bad_oca, oca, SEV_CERT_LEN);
	bad_oca[SEVC_OFF_SLOT(0) + SEVC_SLOT_DATA] ^= 1;
	import_rejected(rw, pek, bad_oca, SEV_RET_BAD_SIGNATURE, a,
			"corrupt OCA signature");

	/* the PEK is signed by another key than the OCA */
	memcpy(bad_pek, a->csr, SEV_CERT_LEN);
	TEST_ASSERT(!sevc_sign(bad_pek, 0, SEVC_USAGE_OCA, other), "signing");
	import_rejected(rw, bad_pek, oca, SEV_RET_BAD_SIGNATURE, a,
			"PEK not signed by the OCA");

	/* a well-signed OCA of an unknown certificate version */
	memcpy(bad_oca, oca, SEV_CERT_LEN);
	sevc_put_le32(bad_oca + SEVC_OFF_VERSION, 2);
	TEST_ASSERT(!sevc_sign(bad_oca, 0, SEVC_USAGE_OCA, oca_key), "signing");
	import_rejected(rw, pek, bad_oca, SEV_RET_INVALID_CERTIFICATE, a,
			"OCA version 2");

	/* the untouched pair is accepted */
	TEST_ASSERT_EQ(__sev_pek_import(rw, pek, oca, NULL), 0);
	sev_expect_state(rw, SEV_STATE_INIT, SEV_FLAGS_OWNER);
	sev_factory_reset(rw);
}

static void test_read_only_fd(void)
{
	struct sev_user_data_pdh_cert_export exp;
	struct sev_user_data_pek_cert_import imp;
	struct sev_user_data_pek_csr csr;
	struct sev_user_data_get_id id;
	struct identity *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
	uint8_t *buf = sev_buf(BIG_BUF), *chain = sev_buf(SEV_CHAIN_LEN);
	uint8_t id2[SEV_ID_LEN];
	int rw = sev_open(O_RDWR), ro = sev_open(O_RDONLY);

	TEST_ASSERT(a && b, "calloc");
	csr.address = (uintptr_t)buf;
	csr.length = SEV_CERT_LEN;
	imp.pek_cert_address = (uintptr_t)buf;
	imp.pek_cert_len = SEV_CERT_LEN;
	imp.oca_cert_address = (uintptr_t)buf;
	imp.oca_cert_len = SEV_CERT_LEN;
	exp.pdh_cert_address = (uintptr_t)buf;
	exp.pdh_cert_len = SEV_CERT_LEN;
	exp.cert_chain_address = (uintptr_t)chain;
	exp.cert_chain_len = SEV_CHAIN_LEN;

	/* UNINIT: every command that changes state, or would INIT, is EPERM */
	sev_factory_reset(rw);
	sev_ioctl_fails(ro, SEV_FACTORY_RESET, NULL, EPERM, -1);
	sev_ioctl_fails(ro, SEV_PEK_GEN, NULL, EPERM, -1);
	sev_ioctl_fails(ro, SEV_PDH_GEN, NULL, EPERM, -1);
	sev_ioctl_fails(ro, SEV_PEK_CSR, &csr, EPERM, -1);
	sev_ioctl_fails(ro, SEV_PEK_CERT_IMPORT, &imp, EPERM, -1);
	sev_ioctl_fails(ro, SEV_PDH_CERT_EXPORT, &exp, EPERM, -1);
	TEST_ASSERT(sev_poisoned(buf, BIG_BUF) &&
		    sev_poisoned(chain, SEV_CHAIN_LEN), "buffer written");
	sev_expect_state(rw, SEV_STATE_UNINIT, 0);

	/* the read-only commands work */
	sev_ioctl(ro, SEV_GET_ID, &id);
	sev_get_id2(ro, id2);
	sev_expect_state(ro, SEV_STATE_UNINIT, 0);

	/* INIT: PDH_CERT_EXPORT is allowed, the rest still EPERM */
	sev_ioctl(rw, SEV_PEK_GEN, NULL);
	get_identity(rw, a);
	sev_pdh_export(ro, b->pdh, b->chain);
	TEST_ASSERT(!memcmp(a->pdh, b->pdh, SEV_CERT_LEN) &&
		    !memcmp(a->chain, b->chain, SEV_CHAIN_LEN),
		    "read-only export differs");
	sev_ioctl_fails(ro, SEV_FACTORY_RESET, NULL, EPERM, -1);
	sev_ioctl_fails(ro, SEV_PEK_GEN, NULL, EPERM, -1);
	sev_ioctl_fails(ro, SEV_PDH_GEN, NULL, EPERM, -1);
	sev_ioctl_fails(ro, SEV_PEK_CSR, &csr, EPERM, -1);
	sev_ioctl_fails(ro, SEV_PEK_CERT_IMPORT, &imp, EPERM, -1);
	sev_expect_state(rw, SEV_STATE_INIT, 0);
	get_identity(rw, b);
	TEST_ASSERT(!memcmp(a, b, sizeof(*a)),
		    "a refused command changed the platform");
}

static void test_bad_command(void)
{
	static const uint32_t cmds[] = {
		SEV_MAX, SEV_MAX + 1, 0x100, 0x7fffffff, 0x80000000,
		UINT32_MAX,
	};
	struct sev_user_data_status st;
	int rw = sev_open(O_RDWR), ro = sev_open(O_RDONLY);
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		memset(&st, SEV_BUF_POISON, sizeof(st));
		TEST_ASSERT_EQ(__sev_ioctl(rw, cmds[i], &st, NULL), -EINVAL);
		TEST_ASSERT_EQ(__sev_ioctl(ro, cmds[i], &st, NULL), -EINVAL);
		TEST_ASSERT(sev_poisoned((uint8_t *)&st, sizeof(st)),
			    "command %#x wrote its data", cmds[i]);
	}

	/* the sev_issue_cmd itself unreadable */
	TEST_ASSERT(ioctl(rw, SEV_ISSUE_CMD, NULL) == -1 && errno == EFAULT,
		    "NULL argument: errno %d", errno);
	TEST_ASSERT(ioctl(rw, SEV_ISSUE_CMD, sev_bad_ptr()) == -1 &&
		    errno == EFAULT, "unmapped argument: errno %d", errno);
	TEST_ASSERT(ioctl(rw, SEV_ISSUE_CMD, SEV_KERNEL_PTR) == -1 &&
		    errno == EFAULT, "kernel argument: errno %d", errno);
}

static void test_bad_ioctl(void)
{
	static const unsigned long nrs[] = {
		_IOWR('S', 1, struct sev_issue_cmd),
		_IOWR('S', 0xff, struct sev_issue_cmd),
		_IOR('S', 0, struct sev_issue_cmd),
		_IOW('S', 0, struct sev_issue_cmd),
		_IO('S', 0),
		_IOWR('S', 0, uint64_t),
		_IOWR('s', 0, struct sev_issue_cmd),
		0,
		0xdeadbeef,
	};
	struct sev_user_data_status st;
	struct sev_issue_cmd arg;
	int rw = sev_open(O_RDWR);
	size_t i;

	for (i = 0; i < ARRAY_SIZE(nrs); i++) {
		memset(&st, SEV_BUF_POISON, sizeof(st));
		arg.cmd = SEV_PLATFORM_STATUS;
		arg.data = (uintptr_t)&st;
		arg.error = SEV_ERROR_POISON;
		errno = 0;
		TEST_ASSERT(ioctl(rw, nrs[i], &arg) == -1 && errno == EINVAL,
			    "ioctl %#lx: errno %d, expected EINVAL", nrs[i],
			    errno);
		TEST_ASSERT(sev_poisoned((uint8_t *)&st, sizeof(st)),
			    "ioctl %#lx ran the command", nrs[i]);
		TEST_ASSERT_EQ(arg.error, SEV_ERROR_POISON);
	}
}

static void test_get_id(void)
{
	struct sev_user_data_get_id id, id_ro, id_uninit;
	uint8_t id2[SEV_ID_LEN];
	int rw = sev_open(O_RDWR), ro = sev_open(O_RDONLY);

	memset(&id, SEV_BUF_POISON, sizeof(id));
	sev_ioctl(rw, SEV_GET_ID, &id);
	TEST_ASSERT(!sev_all_zero(id.socket1, sizeof(id.socket1)) &&
		    !sev_poisoned(id.socket1, sizeof(id.socket1)),
		    "socket1 ID not written");
	sev_ioctl(ro, SEV_GET_ID, &id_ro);
	TEST_ASSERT(!memcmp(id.socket1, id_ro.socket1, sizeof(id.socket1)),
		    "GET_ID is not stable");
	sev_get_id2(ro, id2);
	TEST_ASSERT(!memcmp(id.socket1, id2, SEV_ID_LEN),
		    "GET_ID and GET_ID2 disagree");

	sev_ioctl_fails(rw, SEV_GET_ID, NULL, EFAULT, -1);
	sev_ioctl_fails(rw, SEV_GET_ID, sev_bad_ptr(), EFAULT, -1);
	sev_ioctl_fails(ro, SEV_GET_ID, SEV_KERNEL_PTR, EFAULT, -1);

	/* the chip ID survives FACTORY_RESET and works in UNINIT */
	sev_factory_reset(rw);
	sev_ioctl(ro, SEV_GET_ID, &id_uninit);
	TEST_ASSERT(!memcmp(id.socket1, id_uninit.socket1, sizeof(id.socket1)),
		    "GET_ID changed across FACTORY_RESET");
	sev_expect_state(rw, SEV_STATE_UNINIT, 0);
}

static void test_get_id2(void)
{
	static const struct query_case cases[] = {
		{ false, 0 }, { true, 0 }, { false, SEV_ID_LEN },
		{ true, SEV_ID_LEN - 1 }, { true, 1 },
	};
	struct sev_user_data_get_id2 arg;
	const size_t huge = 0x10000;
	uint8_t *buf = sev_buf(huge), id[SEV_ID_LEN];
	int rw = sev_open(O_RDWR), ro = sev_open(O_RDONLY);
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		arg.address = 0;
		if (cases[i].addr)
			arg.address = (uintptr_t)buf;
		arg.length = cases[i].len;
		sev_ioctl_fails(ro, SEV_GET_ID2, &arg, EIO, SEV_RET_INVALID_LEN);
		TEST_ASSERT_EQ(arg.length, SEV_ID_LEN);
		TEST_ASSERT(sev_poisoned(buf, huge),
			    "case %zu: the query wrote the buffer", i);
	}

	arg.address = (uintptr_t)buf;
	arg.length = SEV_ID_LEN;
	sev_ioctl(ro, SEV_GET_ID2, &arg);
	TEST_ASSERT_EQ(arg.length, SEV_ID_LEN);
	TEST_ASSERT(!sev_all_zero(buf, SEV_ID_LEN), "ID is zero");
	memcpy(id, buf, SEV_ID_LEN);

	/* no size limit: a big buffer gets the 64 bytes and nothing more */
	memset(buf, SEV_BUF_POISON, huge);
	arg.length = huge;
	sev_ioctl(rw, SEV_GET_ID2, &arg);
	TEST_ASSERT_EQ(arg.length, SEV_ID_LEN);
	TEST_ASSERT(!memcmp(buf, id, SEV_ID_LEN), "GET_ID2 is not stable");
	TEST_ASSERT(sev_poisoned(buf + SEV_ID_LEN, huge - SEV_ID_LEN),
		    "GET_ID2 wrote past the ID");

	sev_ioctl_fails(ro, SEV_GET_ID2, NULL, EFAULT, -1);
	sev_ioctl_fails(ro, SEV_GET_ID2, sev_bad_ptr(), EFAULT, -1);
	sev_ioctl_fails(ro, SEV_GET_ID2, SEV_KERNEL_PTR, EFAULT, -1);
	arg.address = (uintptr_t)sev_bad_ptr();
	arg.length = SEV_ID_LEN;
	sev_ioctl_fails(ro, SEV_GET_ID2, &arg, EFAULT, -1);
	TEST_ASSERT_EQ(arg.length, SEV_ID_LEN);
	arg.address = (uintptr_t)SEV_KERNEL_PTR;
	sev_ioctl_fails(ro, SEV_GET_ID2, &arg, EFAULT, -1);
}

/* Issue one command from UNINIT and return the resulting state */
static int state_after(int rw, uint32_t cmd, void *data, int err, int fw)
{
	struct sev_user_data_status st;

	sev_factory_reset(rw);
	if (err)
		sev_ioctl_fails(rw, cmd, data, err, fw);
	else
		sev_ioctl(rw, cmd, data);
	sev_status(rw, &st);
	TEST_ASSERT_EQ(st.guest_count, 0);
	TEST_ASSERT_EQ(st.flags & SEV_FLAGS_OWNER, 0);
	return st.state;
}

static void test_state_transitions(void)
{
	struct sev_user_data_pdh_cert_export exp = { 0 };
	struct sev_user_data_pek_csr csr = { 0 };
	struct sev_user_data_get_id2 id2 = { 0 };
	struct sev_user_data_get_id id;
	struct sev_user_data_status st;
	uint8_t *pdh = sev_buf(SEV_CERT_LEN), *chain = sev_buf(SEV_CHAIN_LEN);
	uint8_t *idbuf = sev_buf(SEV_ID_LEN);
	int rw = sev_open(O_RDWR);

	/* commands that need INIT initialise the platform and leave it so */
	TEST_ASSERT_EQ(state_after(rw, SEV_PEK_GEN, NULL, 0, 0), SEV_STATE_INIT);
	TEST_ASSERT_EQ(state_after(rw, SEV_PDH_GEN, NULL, 0, 0), SEV_STATE_INIT);
	TEST_ASSERT_EQ(state_after(rw, SEV_PEK_CSR, &csr, EIO,
				   SEV_RET_INVALID_LEN), SEV_STATE_INIT);
	csr.address = (uintptr_t)pdh;
	csr.length = SEV_CERT_LEN;
	TEST_ASSERT_EQ(state_after(rw, SEV_PEK_CSR, &csr, 0, 0), SEV_STATE_INIT);
	TEST_ASSERT_EQ(state_after(rw, SEV_PDH_CERT_EXPORT, &exp, EIO,
				   SEV_RET_INVALID_LEN), SEV_STATE_INIT);
	exp.pdh_cert_address = (uintptr_t)pdh;
	exp.pdh_cert_len = SEV_CERT_LEN;
	exp.cert_chain_address = (uintptr_t)chain;
	exp.cert_chain_len = SEV_CHAIN_LEN;
	TEST_ASSERT_EQ(state_after(rw, SEV_PDH_CERT_EXPORT, &exp, 0, 0),
		       SEV_STATE_INIT);

	/* the others do not */
	TEST_ASSERT_EQ(state_after(rw, SEV_PLATFORM_STATUS, &st, 0, 0),
		       SEV_STATE_UNINIT);
	TEST_ASSERT_EQ(state_after(rw, SEV_GET_ID, &id, 0, 0),
		       SEV_STATE_UNINIT);
	TEST_ASSERT_EQ(state_after(rw, SEV_GET_ID2, &id2, EIO,
				   SEV_RET_INVALID_LEN), SEV_STATE_UNINIT);
	id2.address = (uintptr_t)idbuf;
	id2.length = SEV_ID_LEN;
	TEST_ASSERT_EQ(state_after(rw, SEV_GET_ID2, &id2, 0, 0),
		       SEV_STATE_UNINIT);
	TEST_ASSERT_EQ(state_after(rw, SEV_FACTORY_RESET, NULL, 0, 0),
		       SEV_STATE_UNINIT);

	/* INIT stays INIT; FACTORY_RESET goes back to UNINIT */
	sev_ioctl(rw, SEV_PDH_GEN, NULL);
	sev_ioctl(rw, SEV_PEK_GEN, NULL);
	sev_expect_state(rw, SEV_STATE_INIT, 0);
	sev_ioctl(rw, SEV_PDH_CERT_EXPORT, &exp);
	sev_ioctl(rw, SEV_PEK_CSR, &csr);
	sev_expect_state(rw, SEV_STATE_INIT, 0);
	sev_factory_reset(rw);
}

/* One of the concurrent workers; exits 0 if everything it saw was right */
static void run_worker(int n, const struct identity *ref, const uint8_t *ref_id)
{
	struct identity *now = calloc(1, sizeof(*now));
	struct sev_user_data_get_id gid;
	EVP_PKEY *pek = sevc_pubkey(ref->chain + SEVC_CHAIN_PEK);
	uint8_t id[SEV_ID_LEN];
	int fd = sev_open(O_RDWR), r;

	TEST_ASSERT(now && pek, "worker %d: setup", n);
	for (r = 0; r < WORKER_ROUNDS; r++) {
		sev_expect_state(fd, SEV_STATE_INIT, 0);
		if (n == 0)
			sev_ioctl(fd, SEV_PDH_GEN, NULL);
		get_identity(fd, now);
		TEST_ASSERT(!memcmp(now->csr, ref->csr, SEV_CERT_LEN),
			    "worker %d round %d: PEK changed", n, r);
		TEST_ASSERT(!memcmp(now->chain, ref->chain, SEV_CHAIN_LEN),
			    "worker %d round %d: chain changed", n, r);
		TEST_ASSERT(sevc_verify_ecdsa(now->pdh, SEVC_USAGE_PEK, pek),
			    "worker %d round %d: PDH not signed by the PEK",
			    n, r);
		if (n == 1) {
			sev_ioctl(fd, SEV_GET_ID, &gid);
			TEST_ASSERT(!memcmp(gid.socket1, ref_id, SEV_ID_LEN),
				    "worker %d round %d: GET_ID", n, r);
		} else {
			sev_get_id2(fd, id);
			TEST_ASSERT(!memcmp(id, ref_id, SEV_ID_LEN),
				    "worker %d round %d: GET_ID2", n, r);
		}
	}
	fflush(stdout);
	exit(KSFT_PASS);
}

static void test_concurrent(void)
{
	struct identity *ref = calloc(1, sizeof(*ref));
	uint8_t ref_id[SEV_ID_LEN];
	pid_t pids[NR_WORKERS];
	int rw = sev_open(O_RDWR), i, status, failed = 0;

	TEST_ASSERT(ref, "calloc");
	sev_factory_reset(rw);
	sev_ioctl(rw, SEV_PEK_GEN, NULL);
	get_identity(rw, ref);
	sev_get_id2(rw, ref_id);

	fflush(stdout);
	for (i = 0; i < NR_WORKERS; i++) {
		pids[i] = fork();
		TEST_ASSERT(pids[i] >= 0, "fork: %s", strerror(errno));
		if (!pids[i])
			run_worker(i, ref, ref_id);
	}
	for (i = 0; i < NR_WORKERS; i++) {
		TEST_ASSERT(waitpid(pids[i], &status, 0) == pids[i], "waitpid");
		if (!WIFEXITED(status) || WEXITSTATUS(status) != KSFT_PASS) {
			tap_diag("worker %d failed (status %#x)", i, status);
			failed++;
		}
	}
	TEST_ASSERT_EQ(failed, 0);
	sev_expect_state(rw, SEV_STATE_INIT, 0);
}

static const struct sev_test tests[] = {
	{ "platform_status", test_platform_status },
	{ "factory_reset", test_factory_reset },
	{ "pek_gen", test_pek_gen },
	{ "pdh_gen", test_pdh_gen },
	{ "pek_csr", test_pek_csr },
	{ "pek_csr_query_length", test_pek_csr_query },
	{ "pek_csr_bad_input", test_pek_csr_bad_input },
	{ "pdh_cert_export", test_pdh_cert_export },
	{ "pdh_cert_export_query_length", test_pdh_cert_export_query },
	{ "pdh_cert_export_bad_input", test_pdh_cert_export_bad_input },
	{ "pek_cert_import", test_pek_cert_import },
	{ "pek_cert_import_bad_input", test_pek_cert_import_bad_input },
	{ "pek_cert_import_bad_certs", test_pek_cert_import_bad_certs },
	{ "read_only_fd", test_read_only_fd },
	{ "bad_command", test_bad_command },
	{ "bad_ioctl", test_bad_ioctl },
	{ "get_id", test_get_id },
	{ "get_id2", test_get_id2 },
	{ "state_transitions", test_state_transitions },
	{ "concurrent", test_concurrent },
};

int main(void)
{
	return sev_run_tests(tests, ARRAY_SIZE(tests));
}
