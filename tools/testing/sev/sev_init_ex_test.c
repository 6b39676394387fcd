// SPDX-License-Identifier: GPL-2.0-only
/*
 * sev_init_ex_test - INIT_EX in the VM: the PSP driver, loaded with
 * sev_psp.init_ex_path, keeps the firmware's non-volatile (NV) data in that
 * file; every reload of sev-emu is a new firmware instance that gets its
 * identity back from the file only.
 *
 *   persist  (init_ex_path writable) the identity (PDH, PEK, OCA, owner
 *            flag) survives a reload; so do PDH_GEN, PEK_GEN and an
 *            ownership import; FACTORY_RESET gives a new identity that
 *            survives reloads (issue 13, defect 4: the old one came back);
 *            a seeded random sequence of these checks the identity after
 *            every step against the one it must be
 *   nv-fail  (init_ex_path unwritable) INIT_EX succeeds in the firmware but
 *            the file cannot be written: the platform is UNINIT again,
 *            and every later attempt fails the same way
 *
 * The driver opens init_ex_path in the root of the init task, which is
 * that of PID 1 (in the VM harness, the initramfs: the tests run chrooted
 * into /newroot), so this program looks at the file through /proc/1/root.
 *
 * usage: sev_init_ex_test [--seed N] [--rounds N] persist|nv-fail
 * Environment: SEV_EMU_KO, the sev-emu.ko to reload (fault_util.h)
 */

#include <getopt.h>
#include <limits.h>
#include <sys/stat.h>
#include <time.h>
#include "sev_cert_util.h"
#include "fault_util.h"

#define PSP_PARAMS	"/sys/module/sev_psp/parameters"
#define DRIVER_ROOT	"/proc/1/root"
#define NV_LEN		0x8000		/* the driver's SEV_NV_LEN */
#define NV_HDR_LEN	0x40		/* sev-emu: all 0 or all 0xff is empty */
#define DEFAULT_ROUNDS	20

static char nv_param[PATH_MAX];		/* sev_psp.init_ex_path */
static char nv_file[sizeof(DRIVER_ROOT) + PATH_MAX];	/* seen from here */
static unsigned long long seed;
static unsigned int rounds = DEFAULT_ROUNDS;

/* ---- the NV file and the parameters ---- */

/* A module parameter's value without its newline; false if unreadable */
static bool param_read(const char *name, char *buf, size_t len)
{
	char path[256];

	snprintf(path, sizeof(path), PSP_PARAMS "/%s", name);
	if (!debugfs_read(path, buf, len))
		return false;
	buf[strcspn(buf, "\n")] = 0;
	return true;
}

static bool init_on_probe(void)
{
	char buf[8];

	return param_read("psp_init_on_probe", buf, sizeof(buf)) &&
	       buf[0] == 'Y';
}

/* The NV file's length, or -errno; its content into @buf (NV_LEN bytes) */
static long nv_read(uint8_t *buf)
{
	return sevc_read_file(nv_file, buf, NV_LEN);
}

/* The NV file holds a store: 32 KiB with a non-empty header */
static void nv_expect_store(uint8_t *buf, const char *what)
{
	long len = nv_read(buf);
	int i;

	TEST_ASSERT(len == NV_LEN, "%s: %s: length %ld (%s), expected %d",
		    what, nv_file, len, len < 0 ? strerror(-len) : "", NV_LEN);
	for (i = 1; i < NV_HDR_LEN; i++)
		if (buf[i] != buf[0])
			return;
	TEST_FAIL("%s: %s holds no store (header all %#x)", what, nv_file,
		  buf[0]);
}

/* After a command that changed the identity: the driver wrote it back */
static void nv_expect_rewritten(const uint8_t *before, const char *what)
{
	uint8_t *now = sev_buf(NV_LEN);

	nv_expect_store(now, what);
	TEST_ASSERT(memcmp(before, now, NV_LEN),
		    "%s: the NV file was not written back", what);
	free(now);
}

static void nv_expect_absent(void)
{
	struct stat st;

	TEST_ASSERT(stat(nv_file, &st) && errno == ENOENT,
		    "%s exists (or: %s)", nv_file, strerror(errno));
}

/* ---- the platform's identity ---- */

enum key { K_PDH, K_PEK, K_OCA, K_CEK, K_N };
#define KEY(k)		(1u << (k))
#define KEYS_ALL	(KEY(K_PDH) | KEY(K_PEK) | KEY(K_OCA) | KEY(K_CEK))

static const char * const key_names[] = { "PDH", "PEK", "OCA", "CEK" };

struct ident {
	uint8_t pdh[SEV_CERT_LEN];
	uint8_t chain[SEV_CHAIN_LEN];	/* PEK, OCA, CEK */
	uint32_t owner;			/* PLATFORM_STATUS owner flag */
};

static const uint8_t *cert_of(const struct ident *id, int k)
{
	static const size_t off[] = {
		[K_PEK] = SEVC_CHAIN_PEK,
		[K_OCA] = SEVC_CHAIN_OCA,
		[K_CEK] = SEVC_CHAIN_CEK,
	};

	return k == K_PDH ? id->pdh : id->chain + off[k];
}

static bool same_key(const struct ident *a, const struct ident *b, int k)
{
	return sevc_same_pubkey(cert_of(a, k), cert_of(b, k));
}

/* The identity; PDH_CERT_EXPORT initialises an UNINIT platform first */
static void get_ident(int fd, struct ident *id)
{
	struct sev_user_data_status st;

	sev_pdh_export(fd, id->pdh, id->chain);
	sev_status(fd, &st);
	TEST_ASSERT_EQ(st.state, SEV_STATE_INIT);
	id->owner = st.flags & SEV_FLAGS_OWNER;
}

/*
 * Assert that the keys in @same are those of @was and the others are not,
 * and the owner flag of @now
 */
static void expect_ident(const struct ident *was, const struct ident *now,
			 unsigned int same, uint32_t owner, const char *what)
{
	char bad[256] = "";
	size_t n = 0;
	bool eq;
	int k;

	for (k = 0; k < K_N; k++) {
		eq = same_key(was, now, k);
		if (eq != !!(same & KEY(k)))
			n += snprintf(bad + n, sizeof(bad) - n, "%sthe %s %s",
				      n ? ", " : "", key_names[k],
				      eq ? "is the old one" : "changed");
	}
	if (now->owner != owner)
		n += snprintf(bad + n, sizeof(bad) - n,
			      "%sowner flag %u (expected %u)", n ? ", " : "",
			      now->owner, owner);
	if (n)
		TEST_FAIL("%s: %s", what, bad);
}

/*
 * Take ownership: an OCA-signed PEK for the current PEK, as sev_dev_test
 * builds it (sevc_owner_sign()), imported with PEK_CERT_IMPORT. The OCA
 * goes to @oca; returns the ioctl's -errno, the firmware status to @fw.
 */
static int import_owner(int fd, uint8_t *oca, uint32_t *fw)
{
	uint8_t csr[SEV_CERT_LEN], pek[SEV_CERT_LEN];
	EVP_PKEY *key = sevc_p384_generate();

	TEST_ASSERT(key, "P-384 key generation failed");
	sev_pek_csr(fd, csr);
	TEST_ASSERT(!sevc_owner_sign(csr, key, oca, pek),
		    "signing the PEK with the test OCA failed");
	EVP_PKEY_free(key);
	return __sev_pek_import(fd, pek, oca, fw);
}

/* Take ownership of a self-owned platform; @id is the identity after it */
static void take_ownership(int fd, struct ident *id)
{
	uint8_t oca[SEV_CERT_LEN];
	struct ident *was = calloc(1, sizeof(*was));
	uint32_t fw;
	int ret;

	TEST_ASSERT(was, "calloc");
	get_ident(fd, was);
	TEST_ASSERT_EQ(was->owner, 0);
	ret = import_owner(fd, oca, &fw);
	TEST_ASSERT(!ret && !fw, "PEK_CERT_IMPORT: ret %d, fw error %#x", ret,
		    fw);
	get_ident(fd, id);
	expect_ident(was, id, KEY(K_PEK) | KEY(K_CEK), SEV_FLAGS_OWNER,
		     "PEK_CERT_IMPORT");
	TEST_ASSERT(sevc_same_pubkey(cert_of(id, K_OCA), oca),
		    "the exported OCA is not the imported one");
	free(was);
}

/* Reload sev-emu: a new instance that INITs from the NV file at probe */
static int reload_emu(int fd)
{
	close(fd);
	emu_reload();
	fd = sev_open(O_RDWR);
	if (init_on_probe()) {
		struct sev_user_data_status st;

		sev_status(fd, &st);
		TEST_ASSERT(st.state == SEV_STATE_INIT,
			    "state %u after the reload: the probe's INIT_EX failed",
			    st.state);
	}
	return fd;
}

/* ---- persist: a writable init_ex_path ---- */

/* The probe's INIT_EX created the NV file */
static void test_init_ex_at_probe(void)
{
	struct sev_user_data_status st;
	uint8_t *nv = sev_buf(NV_LEN);
	int fd = sev_open(O_RDWR);
	struct ident *id = calloc(1, sizeof(*id));
	char buf[4096];

	TEST_ASSERT(id, "calloc");
	sev_status(fd, &st);
	if (init_on_probe())
		TEST_ASSERT(st.state == SEV_STATE_INIT,
			    "state %u after the probe: its INIT_EX failed (can the driver write %s in init's root?)",
			    st.state, nv_param);
	get_ident(fd, id);
	nv_expect_store(nv, "after INIT_EX");
	/* the software firmware says where its store is */
	if (debugfs_read(EMU_DIR "/platform", buf, sizeof(buf)))
		TEST_ASSERT(strstr(buf, "nv_store: external"),
			    "sev-emu does not use the INIT_EX store:\n%s", buf);
	close(fd);
	free(nv);
	free(id);
}

static void test_identity_survives_reload(void)
{
	struct ident *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
	int fd = sev_open(O_RDWR);

	TEST_ASSERT(a && b, "calloc");
	get_ident(fd, a);
	fd = reload_emu(fd);
	get_ident(fd, b);
	expect_ident(a, b, KEYS_ALL, a->owner, "reload");
	close(fd);
	free(a);
	free(b);
}

/* PDH_GEN or PEK_GEN (@cmd): a new identity, and it survives a reload */
static void keygen_survives_reload(uint32_t cmd, unsigned int same)
{
	struct ident *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
	struct ident *c = calloc(1, sizeof(*c));
	uint8_t *nv = sev_buf(NV_LEN);
	const char *name = sev_cmd_name(cmd);
	int fd = sev_open(O_RDWR);

	TEST_ASSERT(a && b && c, "calloc");
	get_ident(fd, a);
	nv_expect_store(nv, "before");
	sev_ioctl(fd, cmd, NULL);
	nv_expect_rewritten(nv, name);
	get_ident(fd, b);
	expect_ident(a, b, same, cmd == SEV_PEK_GEN ? 0 : a->owner, name);
	fd = reload_emu(fd);
	get_ident(fd, c);
	expect_ident(b, c, KEYS_ALL, b->owner, "reload");
	close(fd);
	free(a);
	free(b);
	free(c);
	free(nv);
}

static void test_pdh_gen_survives_reload(void)
{
	keygen_survives_reload(SEV_PDH_GEN, KEYS_ALL & ~KEY(K_PDH));
}

static void test_pek_gen_survives_reload(void)
{
	keygen_survives_reload(SEV_PEK_GEN, KEY(K_CEK));
}

/* An imported PEK and OCA survive a reload, and so does the owner flag */
static void test_ownership_survives_reload(void)
{
	struct ident *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
	uint8_t *nv = sev_buf(NV_LEN), oca[SEV_CERT_LEN];
	int fd = sev_open(O_RDWR);
	uint32_t fw;

	TEST_ASSERT(a && b, "calloc");
	get_ident(fd, a);
	if (a->owner)	/* PEK_GEN makes the platform self-owned */
		sev_ioctl(fd, SEV_PEK_GEN, NULL);
	nv_expect_store(nv, "before");
	take_ownership(fd, a);
	nv_expect_rewritten(nv, "PEK_CERT_IMPORT");

	fd = reload_emu(fd);
	sev_expect_state(fd, SEV_STATE_INIT, SEV_FLAGS_OWNER);
	get_ident(fd, b);
	expect_ident(a, b, KEYS_ALL, SEV_FLAGS_OWNER, "reload");
	/* the new instance knows it is owned */
	TEST_ASSERT_EQ(import_owner(fd, oca, &fw), -EIO);
	TEST_ASSERT_EQ(fw, SEV_RET_ALREADY_OWNED);
	close(fd);
	free(a);
	free(b);
	free(nv);
}

/*
 * Issue 13, defect 4: FACTORY_RESET of an owned platform, then a reload:
 * a new self-owned identity, which the next reload keeps (the old code
 * brought the old PDH, PEK and OCA back from the NV file)
 */
static void test_factory_reset_survives_reload(void)
{
	struct ident *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
	struct ident *c = calloc(1, sizeof(*c));
	int fd = sev_open(O_RDWR);

	TEST_ASSERT(a && b && c, "calloc");
	get_ident(fd, a);
	if (!a->owner)
		take_ownership(fd, a);
	sev_ioctl(fd, SEV_PDH_GEN, NULL);
	get_ident(fd, a);
	TEST_ASSERT_EQ(a->owner, SEV_FLAGS_OWNER);

	sev_factory_reset(fd);
	fd = reload_emu(fd);
	get_ident(fd, b);
	expect_ident(a, b, KEY(K_CEK), 0, "FACTORY_RESET, then a reload");
	fd = reload_emu(fd);
	get_ident(fd, c);
	expect_ident(b, c, KEYS_ALL, 0, "FACTORY_RESET, then two reloads");
	close(fd);
	free(a);
	free(b);
	free(c);
}

/* FACTORY_RESET, then INIT_EX in the same instance: that identity stays */
static void test_factory_reset_init_survives_reload(void)
{
	struct ident *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
	struct ident *c = calloc(1, sizeof(*c));
	int fd = sev_open(O_RDWR);

	TEST_ASSERT(a && b && c, "calloc");
	get_ident(fd, a);
	sev_factory_reset(fd);
	get_ident(fd, b);
	expect_ident(a, b, KEY(K_CEK), 0, "FACTORY_RESET, then INIT_EX");
	fd = reload_emu(fd);
	get_ident(fd, c);
	expect_ident(b, c, KEYS_ALL, 0, "FACTORY_RESET, INIT_EX, reload");
	close(fd);
	free(a);
	free(b);
	free(c);
}

/* ---- persist: the seeded stress ---- */

enum op { OP_RELOAD, OP_PDH_GEN, OP_PEK_GEN, OP_IMPORT, OP_RESET, OP_N };

static const char * const op_names[] = {
	"reload", "PDH_GEN", "PEK_GEN", "PEK_CERT_IMPORT", "FACTORY_RESET",
};

static const unsigned int op_weight[] = { 3, 2, 2, 2, 2 };

static uint64_t rng;

static uint32_t rnd(uint32_t n)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (rng * 0x2545f4914f6cdd1dULL >> 32) % n;
}

static enum op pick_op(void)
{
	unsigned int total = 0, r, i;

	for (i = 0; i < OP_N; i++)
		total += op_weight[i];
	r = rnd(total);
	for (i = 0; r >= op_weight[i]; i++)
		r -= op_weight[i];
	return i;
}

/* Every identity seen so far */
struct history {
	struct ident *id;
	unsigned int n, max;
};

static void hist_add(struct history *h, const struct ident *id)
{
	TEST_ASSERT(h->n < h->max, "history full");
	h->id[h->n++] = *id;
}

/* Whether key @k of @id is one seen before */
static bool hist_has(const struct history *h, const struct ident *id, int k)
{
	unsigned int i;

	for (i = 0; i < h->n; i++)
		if (same_key(&h->id[i], id, k))
			return true;
	return false;
}

/* The keys of @id never seen before are exactly @fresh */
static void expect_fresh(const struct history *h, const struct ident *id,
			 unsigned int fresh, const char *what)
{
	bool seen;
	int k;

	for (k = K_PDH; k <= K_OCA; k++) {
		seen = hist_has(h, id, k);
		if (seen != !(fresh & KEY(k)))
			TEST_FAIL("%s: the %s is %s", what, key_names[k],
				  seen ? "an earlier one" : "a new one");
	}
}

/*
 * N rounds of a random operation, each followed by a look at the identity
 * (but FACTORY_RESET, whose identity is made by the next INIT_EX: a reload
 * or a command), checked against the one the model expects: after a
 * reload, exactly the last one established; after FACTORY_RESET, one
 * never seen before.
 */
static void test_stress(void)
{
	struct ident *exp = calloc(1, sizeof(*exp)), *now = calloc(1, sizeof(*now));
	struct history h = { .max = rounds + 2 };
	unsigned int count[OP_N] = { 0 }, i, same, fresh;
	uint8_t oca[SEV_CERT_LEN];
	bool known = true;	/* no FACTORY_RESET since the last look */
	char what[64];
	uint32_t fw, owner;
	struct stat st;
	int fd, ret;
	enum op op;

	h.id = calloc(h.max, sizeof(*h.id));
	TEST_ASSERT(exp && now && h.id, "calloc");
	rng = seed | 1;
	printf("# stress: seed %llu, %u rounds\n", seed, rounds);
	fd = sev_open(O_RDWR);
	get_ident(fd, exp);
	hist_add(&h, exp);

	for (i = 0; i <= rounds; i++) {
		/* a last reload checks the state the rounds left */
		op = i < rounds ? pick_op() : OP_RELOAD;
		count[op]++;
		snprintf(what, sizeof(what), "round %u (%s%s)", i + 1,
			 op_names[op], known ? "" : " after FACTORY_RESET");
		printf("# %s\n", what);
		fflush(stdout);
		/* the keys the step keeps, and the owner flag after it */
		same = KEYS_ALL;
		owner = exp->owner;
		switch (op) {
		case OP_RELOAD:
			fd = reload_emu(fd);
			break;
		case OP_PDH_GEN:
			sev_ioctl(fd, SEV_PDH_GEN, NULL);
			same &= ~KEY(K_PDH);
			break;
		case OP_PEK_GEN:
			sev_ioctl(fd, SEV_PEK_GEN, NULL);
			same = KEY(K_CEK);
			owner = 0;
			break;
		case OP_IMPORT:
			ret = import_owner(fd, oca, &fw);
			if (known && exp->owner) {
				TEST_ASSERT(ret == -EIO &&
					    fw == SEV_RET_ALREADY_OWNED,
					    "%s: ret %d, fw error %#x, expected ALREADY_OWNED",
					    what, ret, fw);
				break;
			}
			TEST_ASSERT(!ret && !fw, "%s: ret %d, fw error %#x",
				    what, ret, fw);
			same = KEY(K_PEK) | KEY(K_CEK);
			owner = SEV_FLAGS_OWNER;
			break;
		case OP_RESET:
			sev_factory_reset(fd);
			known = false;
			break;
		default:
			TEST_FAIL("op %d", op);
		}
		TEST_ASSERT(!stat(nv_file, &st) && st.st_size == NV_LEN,
			    "%s: %s is not %d bytes", what, nv_file, NV_LEN);
		if (op == OP_RESET)
			continue;

		get_ident(fd, now);
		if (!known) {
			/* a new identity; the next INIT_EX made it */
			same = KEY(K_CEK);
			owner = op == OP_IMPORT ? SEV_FLAGS_OWNER : 0;
		}
		expect_ident(exp, now, same, owner, what);
		fresh = ~same & (KEY(K_PDH) | KEY(K_PEK) | KEY(K_OCA));
		expect_fresh(&h, now, fresh, what);
		if (op == OP_IMPORT && owner && (!known || !exp->owner))
			TEST_ASSERT(sevc_same_pubkey(cert_of(now, K_OCA), oca),
				    "%s: the exported OCA is not the imported one",
				    what);
		*exp = *now;
		known = true;
		if (fresh)
			hist_add(&h, now);
	}
	printf("# stress: %u identities;", h.n);
	for (i = 0; i < OP_N; i++)
		printf(" %s %u", op_names[i], count[i]);
	printf("\n");
	close(fd);
	free(h.id);
	free(exp);
	free(now);
}

/* ---- nv-fail: an init_ex_path the driver cannot write ---- */

/* The errno the driver gets creating the NV file (the same for us) */
static int nv_create_errno(void)
{
	int fd = open(nv_file, O_WRONLY | O_CREAT | O_EXCL, 0600);
	int err = errno;

	if (fd >= 0) {
		close(fd);
		unlink(nv_file);
		err = 0;
	}
	TEST_ASSERT(err && err != EEXIST,
		    "%s can be written: this mode wants an unwritable init_ex_path",
		    nv_file);
	return err;
}

/* Driver and firmware agree: UNINIT (the old code left the firmware INIT) */
static void expect_uninit(int fd, const char *what)
{
	struct sev_user_data_status st;

	sev_status(fd, &st);
	if (st.state != SEV_STATE_UNINIT || st.flags & SEV_FLAGS_OWNER)
		TEST_FAIL("%s: PLATFORM_STATUS state %u, flags %#x; expected UNINIT",
			  what, st.state, st.flags);
}

/* Every command that initialises the platform fails the same clean way */
static void expect_init_fails(int fd, int err)
{
	struct sev_user_data_pdh_cert_export exp = {
		.pdh_cert_address = (uintptr_t)sev_buf(SEV_CERT_LEN),
		.pdh_cert_len = SEV_CERT_LEN,
		.cert_chain_address = (uintptr_t)sev_buf(SEV_CHAIN_LEN),
		.cert_chain_len = SEV_CHAIN_LEN,
	};
	struct sev_user_data_pek_csr csr = {
		.address = (uintptr_t)sev_buf(SEV_CERT_LEN),
		.length = SEV_CERT_LEN,
	};

	/*
	 * The file's errno, and firmware status SUCCESS: INIT_EX itself
	 * succeeded (the old code: INVALID_PLATFORM_STATE from the second on)
	 */
	sev_ioctl_fails(fd, SEV_PDH_GEN, NULL, err, SEV_RET_SUCCESS);
	expect_uninit(fd, "after a failed PDH_GEN");
	sev_ioctl_fails(fd, SEV_PDH_GEN, NULL, err, SEV_RET_SUCCESS);
	expect_uninit(fd, "after a second failed PDH_GEN");
	sev_ioctl_fails(fd, SEV_PEK_CSR, &csr, err, SEV_RET_SUCCESS);
	expect_uninit(fd, "after a failed PEK_CSR");
	sev_ioctl_fails(fd, SEV_PEK_GEN, NULL, err, SEV_RET_SUCCESS);
	expect_uninit(fd, "after a failed PEK_GEN");
	sev_ioctl_fails(fd, SEV_PDH_CERT_EXPORT, &exp, err, SEV_RET_SUCCESS);
	expect_uninit(fd, "after a failed PDH_CERT_EXPORT");
	nv_expect_absent();
}

/* After the probe (its INIT_EX, with psp_init_on_probe): UNINIT */
static void test_nv_unwritable_probe(void)
{
	int err = nv_create_errno(), fd = sev_open(O_RDONLY);
	char buf[4096];

	printf("# %s: %s; psp_init_on_probe %s\n", nv_param, strerror(err),
	       init_on_probe() ? "Y" : "N");
	expect_uninit(fd, "after the probe");
	if (debugfs_read(EMU_DIR "/platform", buf, sizeof(buf)))
		TEST_ASSERT(strstr(buf, "state: UNINIT"),
			    "the firmware is not UNINIT:\n%s", buf);
	nv_expect_absent();
	close(fd);
}

static void test_nv_unwritable_init_fails_cleanly(void)
{
	int err = nv_create_errno(), fd = sev_open(O_RDWR);

	expect_init_fails(fd, err);
	close(fd);
}

static void test_nv_unwritable_after_reload(void)
{
	int err = nv_create_errno(), fd = sev_open(O_RDWR);

	close(fd);
	emu_reload();
	fd = sev_open(O_RDWR);
	expect_uninit(fd, "after the reload");
	expect_init_fails(fd, err);
	close(fd);
}

static const struct sev_test persist_tests[] = {
	{ "init_ex_at_probe", test_init_ex_at_probe },
	{ "identity_survives_reload", test_identity_survives_reload },
	{ "pdh_gen_survives_reload", test_pdh_gen_survives_reload },
	{ "pek_gen_survives_reload", test_pek_gen_survives_reload },
	{ "ownership_survives_reload", test_ownership_survives_reload },
	{ "factory_reset_survives_reload", test_factory_reset_survives_reload },
	{ "factory_reset_init_survives_reload",
	  test_factory_reset_init_survives_reload },
	{ "stress", test_stress },
};

static const struct sev_test nv_fail_tests[] = {
	{ "nv_unwritable_probe", test_nv_unwritable_probe },
	{ "nv_unwritable_init_fails_cleanly",
	  test_nv_unwritable_init_fails_cleanly },
	{ "nv_unwritable_after_reload", test_nv_unwritable_after_reload },
};

static void die_usage(const char *prog)
{
	fprintf(stderr, "usage: %s [--seed N] [--rounds N] persist|nv-fail\n",
		prog);
	exit(KSFT_FAIL);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "rounds", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *mode;
	int c;

	seed = time(NULL);
	while ((c = getopt_long(argc, argv, "s:r:h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'r':
			rounds = strtoul(optarg, NULL, 0);
			break;
		default:
			die_usage(argv[0]);
		}
	}
	if (optind != argc - 1)
		die_usage(argv[0]);
	mode = argv[optind];
	if (strcmp(mode, "persist") && strcmp(mode, "nv-fail"))
		die_usage(argv[0]);

	if (!param_read("init_ex_path", nv_param, sizeof(nv_param)) ||
	    !nv_param[0] || !strcmp(nv_param, "(null)"))
		tap_bail_out("sev_psp.init_ex_path is not set");
	snprintf(nv_file, sizeof(nv_file), "%s%s%s", DRIVER_ROOT,
		 nv_param[0] == '/' ? "" : "/", nv_param);
	printf("# init_ex_path %s (here: %s)\n", nv_param, nv_file);

	if (!strcmp(mode, "persist"))
		return sev_run_tests(persist_tests, ARRAY_SIZE(persist_tests));
	return sev_run_tests(nv_fail_tests, ARRAY_SIZE(nv_fail_tests));
}
