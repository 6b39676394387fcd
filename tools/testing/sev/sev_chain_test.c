// SPDX-License-Identifier: GPL-2.0-only
/*
 * sev_chain_test - the platform's certificate chain, checked with OpenSSL
 * alone: PDH <- PEK <- OCA and CEK, CEK <- ASK <- ARK (the test roots in
 * drivers/crypto/ccp/sev-emu/testroots), then taking ownership with an OCA
 * of the test's own through PEK_CSR and PEK_CERT_IMPORT.
 *
 * Usage: sev_chain_test [-r|--testroots DIR]
 */

#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include "sev_cert_util.h"
#include "sev_test.h"

static char testroots[PATH_MAX];

struct roots {
	uint8_t ark[AMDC_MAX_LEN];
	uint8_t ask[AMDC_MAX_LEN];
	uint8_t ask_ark[2 * AMDC_MAX_LEN];
	uint8_t cek[SEVC_CERT_LEN];
	size_t ark_len, ask_len, ask_ark_len;
	EVP_PKEY *ark_key, *ask_key, *cek_key;
};

static size_t load(const char *name, uint8_t *buf, size_t max)
{
	char path[PATH_MAX + 64];
	long len;

	snprintf(path, sizeof(path), "%s/%s", testroots, name);
	len = sevc_read_file(path, buf, max);
	TEST_ASSERT(len > 0, "%s: %s", path, len ? strerror(-len) : "empty");
	return len;
}

static struct roots *load_roots(void)
{
	struct roots *r = calloc(1, sizeof(*r));

	TEST_ASSERT(r, "calloc");
	r->ark_len = load("ark.cert", r->ark, sizeof(r->ark));
	r->ask_len = load("ask.cert", r->ask, sizeof(r->ask));
	r->ask_ark_len = load("ask_ark.cert", r->ask_ark, sizeof(r->ask_ark));
	TEST_ASSERT_EQ(load("cek.cert", r->cek, sizeof(r->cek)), SEVC_CERT_LEN);
	TEST_ASSERT_EQ(amdc_len(r->ark, r->ark_len), r->ark_len);
	TEST_ASSERT_EQ(amdc_len(r->ask, r->ask_len), r->ask_len);
	r->ark_key = amdc_pubkey(r->ark, r->ark_len);
	r->ask_key = amdc_pubkey(r->ask, r->ask_len);
	r->cek_key = sevc_pubkey(r->cek);
	TEST_ASSERT(r->ark_key && r->ask_key && r->cek_key,
		    "malformed public keys in %s", testroots);
	return r;
}

/* PDH and chain from a fresh export; the platform is INIT afterwards */
struct platform {
	uint8_t pdh[SEV_CERT_LEN];
	uint8_t chain[SEV_CHAIN_LEN];
	EVP_PKEY *pek_key, *oca_key, *cek_key;
};

static struct platform *export(int fd)
{
	struct platform *p = calloc(1, sizeof(*p));

	TEST_ASSERT(p, "calloc");
	sev_pdh_export(fd, p->pdh, p->chain);
	p->pek_key = sevc_pubkey(p->chain + SEVC_CHAIN_PEK);
	p->oca_key = sevc_pubkey(p->chain + SEVC_CHAIN_OCA);
	p->cek_key = sevc_pubkey(p->chain + SEVC_CHAIN_CEK);
	TEST_ASSERT(p->pek_key && p->oca_key && p->cek_key && sevc_pubkey(p->pdh),
		    "exported certificates with malformed keys");
	return p;
}

static void expect_usage(const uint8_t *cert, uint32_t usage, uint32_t algo)
{
	TEST_ASSERT_EQ(sevc_le32(cert + SEVC_OFF_VERSION), 1);
	TEST_ASSERT_EQ(sevc_le32(cert + SEVC_OFF_USAGE), usage);
	TEST_ASSERT_EQ(sevc_le32(cert + SEVC_OFF_ALGO), algo);
}

static void test_ark_self_signed(void)
{
	struct roots *r = load_roots();

	TEST_ASSERT_EQ(sevc_le32(r->ark + AMDC_OFF_USAGE), SEVC_USAGE_ARK);
	TEST_ASSERT(!memcmp(r->ark + AMDC_OFF_KEY_ID, r->ark + AMDC_OFF_CERT_ID,
			    AMDC_ID_LEN), "ARK certifying ID is not its key ID");
	TEST_ASSERT(amdc_verify(r->ark, r->ark_len, r->ark_key),
		    "ARK self-signature does not verify");
	/* the verifier rejects a flipped bit */
	r->ark[AMDC_HDR_LEN] ^= 1;
	TEST_ASSERT(!amdc_verify(r->ark, r->ark_len, r->ark_key),
		    "a corrupted ARK verifies");
}

static void test_ask_signed_by_ark(void)
{
	struct roots *r = load_roots();

	TEST_ASSERT_EQ(sevc_le32(r->ask + AMDC_OFF_USAGE), SEVC_USAGE_ASK);
	TEST_ASSERT(!memcmp(r->ask + AMDC_OFF_CERT_ID, r->ark + AMDC_OFF_KEY_ID,
			    AMDC_ID_LEN), "ASK certifying ID is not the ARK's");
	TEST_ASSERT(amdc_verify(r->ask, r->ask_len, r->ark_key),
		    "ASK not signed by the ARK");
	TEST_ASSERT(!amdc_verify(r->ask, r->ask_len, r->ask_key),
		    "ASK verifies with its own key");
	TEST_ASSERT_EQ(r->ask_ark_len, r->ask_len + r->ark_len);
	TEST_ASSERT(!memcmp(r->ask_ark, r->ask, r->ask_len) &&
		    !memcmp(r->ask_ark + r->ask_len, r->ark, r->ark_len),
		    "ask_ark.cert is not ASK then ARK");
}

static void test_cek_signed_by_ask(void)
{
	struct roots *r = load_roots();

	expect_usage(r->cek, SEVC_USAGE_CEK, SEVC_ALGO_ECDSA_SHA256);
	TEST_ASSERT(sevc_verify_by_ask(r->cek, r->ask_key),
		    "cek.cert not signed by the ASK");
	TEST_ASSERT(!sevc_verify_by_ask(r->cek, r->ark_key),
		    "cek.cert verifies with the ARK");
	r->cek[SEVC_OFF_QX] ^= 1;
	TEST_ASSERT(!sevc_verify_by_ask(r->cek, r->ask_key),
		    "a corrupted cek.cert verifies");
}

static void test_exported_chain(void)
{
	struct roots *r = load_roots();
	struct platform *p;
	uint8_t *pek, *oca, *cek;
	int fd = sev_open(O_RDWR);

	sev_factory_reset(fd);
	sev_ioctl(fd, SEV_PEK_GEN, NULL);
	p = export(fd);
	pek = p->chain + SEVC_CHAIN_PEK;
	oca = p->chain + SEVC_CHAIN_OCA;
	cek = p->chain + SEVC_CHAIN_CEK;

	expect_usage(p->pdh, SEVC_USAGE_PDH, SEVC_ALGO_ECDH_SHA256);
	expect_usage(pek, SEVC_USAGE_PEK, SEVC_ALGO_ECDSA_SHA256);
	expect_usage(oca, SEVC_USAGE_OCA, SEVC_ALGO_ECDSA_SHA256);
	expect_usage(cek, SEVC_USAGE_CEK, SEVC_ALGO_ECDSA_SHA256);

	TEST_ASSERT(sevc_verify_ecdsa(p->pdh, SEVC_USAGE_PEK, p->pek_key),
		    "PDH not signed by the PEK");
	TEST_ASSERT(sevc_verify_ecdsa(pek, SEVC_USAGE_OCA, p->oca_key),
		    "PEK not signed by the OCA");
	TEST_ASSERT(sevc_verify_ecdsa(pek, SEVC_USAGE_CEK, p->cek_key),
		    "PEK not signed by the CEK");
	TEST_ASSERT(sevc_verify_ecdsa(oca, SEVC_USAGE_OCA, p->oca_key),
		    "OCA not self-signed");
	TEST_ASSERT(sevc_same_pubkey(cek, r->cek),
		    "the platform's CEK is not the one in testroots/cek.cert");
	TEST_ASSERT(sevc_verify_ecdsa(pek, SEVC_USAGE_CEK, r->cek_key),
		    "PEK not signed by the testroots CEK");

	/* the verifier rejects a flipped bit and the wrong signer */
	TEST_ASSERT(!sevc_verify_ecdsa(pek, SEVC_USAGE_OCA, p->pek_key),
		    "PEK's OCA signature verifies with the PEK");
	pek[SEVC_OFF_QX] ^= 1;
	TEST_ASSERT(!sevc_verify_ecdsa(pek, SEVC_USAGE_OCA, p->oca_key),
		    "a corrupted PEK verifies");
}

static void test_take_ownership(void)
{
	uint8_t csr[SEV_CERT_LEN], pek[SEV_CERT_LEN], oca[SEV_CERT_LEN];
	struct sev_user_data_status st;
	EVP_PKEY *owner = sevc_p384_generate();
	struct roots *r = load_roots();
	struct platform *before, *after;
	uint8_t *xpek, *xoca;
	uint32_t fw;
	int fd = sev_open(O_RDWR);

	TEST_ASSERT(owner, "P-384 key generation");
	sev_factory_reset(fd);
	sev_ioctl(fd, SEV_PEK_GEN, NULL);
	before = export(fd);
	sev_pek_csr(fd, csr);
	expect_usage(csr, SEVC_USAGE_PEK, SEVC_ALGO_ECDSA_SHA256);
	TEST_ASSERT(sevc_find_slot(csr, SEVC_USAGE_INVALID, SEVC_ALGO_INVALID) == 0 &&
		    sevc_le32(csr + SEVC_OFF_SLOT(1)) == SEVC_USAGE_INVALID,
		    "the CSR is signed");
	TEST_ASSERT(sevc_same_pubkey(csr, before->chain + SEVC_CHAIN_PEK),
		    "the CSR is not for the current PEK");

	TEST_ASSERT(!sevc_owner_sign(csr, owner, oca, pek), "signing");
	TEST_ASSERT(sevc_verify_ecdsa(oca, SEVC_USAGE_OCA, owner) &&
		    sevc_verify_ecdsa(pek, SEVC_USAGE_OCA, owner),
		    "the test's own signatures do not verify");
	TEST_ASSERT_EQ(__sev_pek_import(fd, pek, oca, &fw), 0);
	TEST_ASSERT_EQ(fw, 0);

	sev_status(fd, &st);
	TEST_ASSERT_EQ(st.state, SEV_STATE_INIT);
	TEST_ASSERT_EQ(st.flags & SEV_FLAGS_OWNER, SEV_FLAGS_OWNER);

	after = export(fd);
	xpek = after->chain + SEVC_CHAIN_PEK;
	xoca = after->chain + SEVC_CHAIN_OCA;
	TEST_ASSERT(!memcmp(xpek, csr, SEVC_SIGNED_LEN),
		    "the PEK body changed on import");
	TEST_ASSERT(sevc_same_pubkey(xoca, oca), "the OCA is not ours");
	TEST_ASSERT(sevc_verify_ecdsa(xoca, SEVC_USAGE_OCA, owner),
		    "the exported OCA is not self-signed by our key");
	TEST_ASSERT(sevc_verify_ecdsa(xpek, SEVC_USAGE_OCA, owner),
		    "the PEK is not signed by our OCA");
	TEST_ASSERT(sevc_verify_ecdsa(xpek, SEVC_USAGE_CEK, r->cek_key),
		    "the PEK lost its CEK signature");
	TEST_ASSERT(sevc_same_pubkey(after->chain + SEVC_CHAIN_CEK, r->cek),
		    "the CEK changed");
	TEST_ASSERT(sevc_verify_ecdsa(after->pdh, SEVC_USAGE_PEK,
				      after->pek_key),
		    "the new PDH is not signed by the PEK");
	TEST_ASSERT(!sevc_same_pubkey(after->pdh, before->pdh),
		    "PEK_CERT_IMPORT kept the PDH");
	TEST_ASSERT(!sevc_verify_ecdsa(xpek, SEVC_USAGE_OCA, before->oca_key),
		    "the PEK still verifies with the old self-owned OCA");

	/* PEK_GEN: self-owned again, a new PEK signed by a new OCA and the CEK */
	sev_ioctl(fd, SEV_PEK_GEN, NULL);
	sev_expect_state(fd, SEV_STATE_INIT, 0);
	before = export(fd);
	xpek = before->chain + SEVC_CHAIN_PEK;
	TEST_ASSERT(!sevc_same_pubkey(xpek, csr), "PEK_GEN kept the PEK");
	TEST_ASSERT(!sevc_same_pubkey(before->chain + SEVC_CHAIN_OCA, oca),
		    "PEK_GEN kept our OCA");
	TEST_ASSERT(sevc_verify_ecdsa(xpek, SEVC_USAGE_OCA, before->oca_key) &&
		    sevc_verify_ecdsa(xpek, SEVC_USAGE_CEK, r->cek_key),
		    "the new PEK is not signed by the new OCA and the CEK");
	sev_factory_reset(fd);
}

static const struct sev_test tests[] = {
	{ "ark_self_signed", test_ark_self_signed },
	{ "ask_signed_by_ark", test_ask_signed_by_ark },
	{ "cek_signed_by_ask", test_cek_signed_by_ask },
	{ "exported_chain", test_exported_chain },
	{ "take_ownership", test_take_ownership },
};

static void die_usage(const char *prog)
{
	fprintf(stderr, "usage: %s [-r|--testroots DIR]\n", prog);
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "testroots", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char src[PATH_MAX];
	int c;

	/* default: the repository this program was built from */
	snprintf(src, sizeof(src), "%s", __FILE__);
	snprintf(testroots, sizeof(testroots),
		 "%s/../../../drivers/crypto/ccp/sev-emu/testroots",
		 dirname(src));

	while ((c = getopt_long(argc, argv, "r:h", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			snprintf(testroots, sizeof(testroots), "%s", optarg);
			break;
		default:
			die_usage(argv[0]);
		}
	}
	if (optind != argc)
		die_usage(argv[0]);

	return sev_run_tests(tests, ARRAY_SIZE(tests));
}
