// SPDX-License-Identifier: GPL-2.0-only
/*
 * SEV guest launch through KVM against the firmware: LAUNCH_START through
 * LAUNCH_FINISH with the length-query contract, the launch measurement
 * and attestation report checked against values computed here (a guest
 * launched without a session has an all-zero TIK and TEK), LAUNCH_SECRET,
 * DBG_DECRYPT / DBG_ENCRYPT at awkward offsets and lengths, SEND_START's
 * query, firmware status copy-back on failure, the sev_fd rules, a
 * launched guest's code running, SEND on one VM and RECEIVE on another
 * (the platform sending to itself), and teardown leaving no guest.
 */

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include "kvm_test.h"

#define SEV_POLICY_NODBG	0x1
#define GUEST_STATE_LUPDATE	1
#define GUEST_STATE_LSECRET	2
#define GUEST_STATE_RUNNING	3
#define GUEST_STATE_SUPDATE	4
#define GUEST_STATE_RUPDATE	5
#define GUEST_STATE_SENT	6
#define SEV_SESSION_LEN		0x80
#define SEV_TRANSPORT_HDR_LEN	0x34
#define SEV_FW_INVALID_GUEST_STATE	0x02

/* The launched range: 16-byte aligned, not page aligned, 3 pages + 32 */
#define LAUNCH_OFF	0x10
#define LAUNCH_LEN	(3 * PAGE_SZ + 0x20)

struct launch {
	struct vm *vm;
	int sev;
	uint32_t handle;
	uint8_t plain[GUEST_MEM_SIZE];	/* guest memory before launch */
};

static void fill_pattern(uint8_t *p, size_t len, uint32_t seed)
{
	size_t i;

	for (i = 0; i < len; i++) {
		seed = seed * 1103515245 + 12345;
		p[i] = seed >> 16;
	}
}

/* INIT, guest memory registered and filled, LAUNCH_START(@policy) */
static struct launch *launch_start(uint32_t policy)
{
	struct kvm_sev_launch_start start = { .policy = policy };
	struct kvm_sev_guest_status st;
	struct launch *l = calloc(1, sizeof(*l));

	TEST_ASSERT(l, "calloc");
	l->sev = sev_open(O_RDWR);
	l->vm = sev_vm_create();
	vm_add_memory(l->vm);
	fill_pattern(l->vm->mem, GUEST_MEM_SIZE, policy + 1);
	memcpy(l->plain, l->vm->mem, GUEST_MEM_SIZE);
	kvm_ioctl(l->vm->fd, KVM_MEMORY_ENCRYPT_REG_REGION,
		  (&(struct kvm_enc_region){ (uintptr_t)l->vm->mem,
					     GUEST_MEM_SIZE }));

	sev_vm_ioctl(l->vm->fd, KVM_SEV_LAUNCH_START, &start, l->sev);
	TEST_ASSERT(start.handle, "no handle returned");
	l->handle = start.handle;
	TEST_ASSERT_EQ(vm_sev_info(l->vm, "handle"), l->handle);
	TEST_ASSERT_EQ(vm_sev_info(l->vm, "policy"), policy);

	sev_vm_ioctl(l->vm->fd, KVM_SEV_GUEST_STATUS, &st, l->sev);
	TEST_ASSERT_EQ(st.handle, l->handle);
	TEST_ASSERT_EQ(st.policy, policy);
	TEST_ASSERT_EQ(st.state, GUEST_STATE_LUPDATE);
	return l;
}

static void launch_update(struct launch *l)
{
	struct kvm_sev_launch_update_data upd = {
		.uaddr = (uintptr_t)l->vm->mem + LAUNCH_OFF,
		.len = LAUNCH_LEN,
	};

	sev_vm_ioctl(l->vm->fd, KVM_SEV_LAUNCH_UPDATE_DATA, &upd, l->sev);
}

static void launch_end(struct launch *l)
{
	vm_destroy(l->vm);
	close(l->sev);
	free(l);
}

static void guest_state_is(struct launch *l, uint32_t state)
{
	struct kvm_sev_guest_status st;

	sev_vm_ioctl(l->vm->fd, KVM_SEV_GUEST_STATUS, &st, l->sev);
	TEST_ASSERT_EQ(st.state, state);
}

/* MEASURE = HMAC-SHA256(TIK = 0, 04 | major | minor | build | policy | LD | mnonce) */
static void expected_measure(struct launch *l, uint32_t policy,
			     const uint8_t *mnonce, uint8_t *out)
{
	struct sev_user_data_status ps;
	uint8_t msg[1 + 3 + 4 + 32 + 16], tik[16] = {};
	unsigned int len = 32;

	sev_status(l->sev, &ps);
	msg[0] = 0x04;
	msg[1] = ps.api_major;
	msg[2] = ps.api_minor;
	msg[3] = ps.build;
	memcpy(msg + 4, &policy, 4);
	SHA256(l->plain + LAUNCH_OFF, LAUNCH_LEN, msg + 8);
	memcpy(msg + 40, mnonce, 16);
	TEST_ASSERT(HMAC(EVP_sha256(), tik, sizeof(tik), msg, sizeof(msg),
			 out, &len), "HMAC");
}

static void test_launch_measure(void)
{
	struct launch *l = launch_start(0);
	struct kvm_sev_launch_measure m = {};
	struct kvm_sev_cmd c;
	uint8_t buf[64], want[32];
	int r;

	launch_update(l);

	/* len 0: a query, answered with -EIO, INVALID_LEN and the length */
	r = __sev_vm_ioctl(l->vm->fd, KVM_SEV_LAUNCH_MEASURE, &m, l->sev, 0,
			   &c);
	TEST_ASSERT_EQ(r, -EIO);
	TEST_ASSERT_EQ(c.error, SEV_FW_INVALID_LEN);
	TEST_ASSERT_EQ(m.len, 48);
	guest_state_is(l, GUEST_STATE_LUPDATE);

	/* too small a buffer: the firmware refuses, len is not written back */
	m.uaddr = (uintptr_t)buf;
	m.len = 16;
	sev_vm_ioctl_fails(l->vm->fd, KVM_SEV_LAUNCH_MEASURE, &m, l->sev, EIO,
			   SEV_FW_INVALID_LEN);
	TEST_ASSERT_EQ(m.len, 16);

	/* over 16 KiB */
	m.len = SEV_FW_BLOB_MAX_SIZE + 1;
	sev_vm_ioctl_fails(l->vm->fd, KVM_SEV_LAUNCH_MEASURE, &m, l->sev,
			   EINVAL, -1);

	memset(buf, 0, sizeof(buf));
	m.len = sizeof(buf);
	sev_vm_ioctl(l->vm->fd, KVM_SEV_LAUNCH_MEASURE, &m, l->sev);
	TEST_ASSERT_EQ(m.len, 48);
	expected_measure(l, 0, buf + 32, want);
	TEST_ASSERT(!memcmp(buf, want, 32), "measurement differs");
	guest_state_is(l, GUEST_STATE_LSECRET);

	/* firmware errors are copied back */
	sev_vm_ioctl_fails(l->vm->fd, KVM_SEV_SEND_CANCEL, NULL, l->sev, EIO,
			   SEV_FW_INVALID_GUEST_STATE);

	sev_vm_ioctl(l->vm->fd, KVM_SEV_LAUNCH_FINISH, NULL, l->sev);
	guest_state_is(l, GUEST_STATE_RUNNING);
	TEST_ASSERT(vm_sev_info_has(l->vm, "firmware state: RUNNING"),
		    "debugfs state");
	launch_end(l);
}

static void test_attestation(void)
{
	struct launch *l = launch_start(0);
	struct kvm_sev_launch_measure m = {};
	struct kvm_sev_attestation_report a = {};
	struct kvm_sev_cmd c;
	uint8_t mbuf[48], report[0xd0], ld[32];
	int r;

	launch_update(l);
	m.uaddr = (uintptr_t)mbuf;
	m.len = sizeof(mbuf);
	sev_vm_ioctl(l->vm->fd, KVM_SEV_LAUNCH_MEASURE, &m, l->sev);

	r = __sev_vm_ioctl(l->vm->fd, KVM_SEV_GET_ATTESTATION_REPORT, &a,
			   l->sev, 0, &c);
	TEST_ASSERT_EQ(r, -EIO);
	TEST_ASSERT_EQ(c.error, SEV_FW_INVALID_LEN);
	TEST_ASSERT_EQ(a.len, sizeof(report));

	memset(a.mnonce, 0x3c, sizeof(a.mnonce));
	a.uaddr = (uintptr_t)report;
	sev_vm_ioctl(l->vm->fd, KVM_SEV_GET_ATTESTATION_REPORT, &a, l->sev);
	TEST_ASSERT_EQ(a.len, sizeof(report));
	/* nonce, launch digest, policy */
	TEST_ASSERT(!memcmp(report, a.mnonce, 16), "report nonce");
	SHA256(l->plain + LAUNCH_OFF, LAUNCH_LEN, ld);
	TEST_ASSERT(!memcmp(report + 0x10, ld, 32), "report launch digest");
	TEST_ASSERT_EQ(*(uint32_t *)(report + 0x30), 0);
	launch_end(l);
}

/* LAUNCH_SECRET packet with TEK = TIK = 0 (no session) */
static void test_launch_secret(void)
{
	struct launch *l = launch_start(0);
	struct kvm_sev_launch_measure m = {};
	struct kvm_sev_launch_secret s = {};
	struct kvm_sev_dbg dbg = {};
	uint8_t mbuf[48], hdr[0x34] = {}, secret[64], ct[64], out[64];
	uint8_t mac_msg[1 + 4 + 16 + 4 + 4 + 64 + 32], key[16] = {};
	uint32_t len = sizeof(secret);
	unsigned int maclen = 32;
	EVP_CIPHER_CTX *ctx;
	int n;

	launch_update(l);
	m.uaddr = (uintptr_t)mbuf;
	m.len = sizeof(mbuf);
	sev_vm_ioctl(l->vm->fd, KVM_SEV_LAUNCH_MEASURE, &m, l->sev);

	fill_pattern(secret, sizeof(secret), 77);
	memset(hdr + 4, 0x11, 16);			/* IV */
	ctx = EVP_CIPHER_CTX_new();
	TEST_ASSERT(ctx && EVP_EncryptInit_ex(ctx, EVP_aes_128_ctr(), NULL,
					      key, hdr + 4) &&
		    EVP_EncryptUpdate(ctx, ct, &n, secret, sizeof(secret)),
		    "AES-CTR");
	EVP_CIPHER_CTX_free(ctx);

	mac_msg[0] = 0x01;
	memcpy(mac_msg + 1, hdr, 4);			/* FLAGS */
	memcpy(mac_msg + 5, hdr + 4, 16);		/* IV */
	memcpy(mac_msg + 21, &len, 4);			/* GUEST_LEN */
	memcpy(mac_msg + 25, &len, 4);			/* TRANS_LEN */
	memcpy(mac_msg + 29, ct, sizeof(ct));
	memcpy(mac_msg + 29 + sizeof(ct), mbuf, 32);	/* MEASURE */
	TEST_ASSERT(HMAC(EVP_sha256(), key, sizeof(key), mac_msg,
			 sizeof(mac_msg), hdr + 0x14, &maclen), "HMAC");

	s.hdr_uaddr = (uintptr_t)hdr;
	s.hdr_len = sizeof(hdr);
	s.guest_uaddr = (uintptr_t)l->vm->mem + 0x2100;
	s.guest_len = sizeof(secret);
	s.trans_uaddr = (uintptr_t)ct;
	s.trans_len = sizeof(ct);
	sev_vm_ioctl(l->vm->fd, KVM_SEV_LAUNCH_SECRET, &s, l->sev);

	/* the firmware wrote the plaintext into the guest */
	dbg.src_uaddr = s.guest_uaddr;
	dbg.dst_uaddr = (uintptr_t)out;
	dbg.len = sizeof(out);
	sev_vm_ioctl(l->vm->fd, KVM_SEV_DBG_DECRYPT, &dbg, l->sev);
	TEST_ASSERT(!memcmp(out, secret, sizeof(secret)), "secret differs");

	/* a bad MAC */
	hdr[0x14] ^= 1;
	sev_vm_ioctl_fails(l->vm->fd, KVM_SEV_LAUNCH_SECRET, &s, l->sev, EIO,
			   0x0b);
	launch_end(l);
}

/* A launched, finished guest with debugging allowed */
static struct launch *launch_running(uint32_t policy)
{
	struct launch *l = launch_start(policy);
	struct kvm_sev_launch_measure m = {};
	uint8_t mbuf[48];

	launch_update(l);
	m.uaddr = (uintptr_t)mbuf;
	m.len = sizeof(mbuf);
	sev_vm_ioctl(l->vm->fd, KVM_SEV_LAUNCH_MEASURE, &m, l->sev);
	sev_vm_ioctl(l->vm->fd, KVM_SEV_LAUNCH_FINISH, NULL, l->sev);
	return l;
}

static void dbg(struct launch *l, bool decrypt, void *src, void *dst,
		uint32_t len)
{
	struct kvm_sev_dbg d = {
		.src_uaddr = (uintptr_t)src,
		.dst_uaddr = (uintptr_t)dst,
		.len = len,
	};

	sev_vm_ioctl(l->vm->fd, decrypt ? KVM_SEV_DBG_DECRYPT :
					  KVM_SEV_DBG_ENCRYPT, &d, l->sev);
}

static void test_dbg(void)
{
	static const uint32_t offs[] = { 0, 1, 8, 15, 16, 23, 0xff1, 0xfff };
	static const uint32_t lens[] = { 1, 8, 15, 16, 17, 0x1000, 0x2003 };
	struct launch *l = launch_running(0);
	uint8_t *out = malloc(0x4000 + 64), *in = malloc(0x4000 + 64);
	uint8_t *g = l->vm->mem, *ref = l->plain;
	size_t i, j, k;

	TEST_ASSERT(out && in, "malloc");
	for (i = 0; i < ARRAY_SIZE(offs); i++)
		for (j = 0; j < ARRAY_SIZE(lens); j++)
			for (k = 0; k < 3; k++) {
				uint32_t go = 0x4000 + offs[i];
				uint32_t len = lens[j];
				uint8_t *u = out + k * 7;

				/* decrypt into a user buffer at offset 0/7/14 */
				memset(out, 0, 0x4000 + 64);
				dbg(l, true, g + go, u, len);
				TEST_ASSERT(!memcmp(u, ref + go, len),
					    "decrypt off %#x len %#x", go, len);
				TEST_ASSERT(sev_all_zero(u + len, 8),
					    "decrypt wrote past the end");

				/* encrypt new bytes, then read around them */
				fill_pattern(in + k, len, go ^ len);
				dbg(l, false, in + k, g + go, len);
				memcpy(ref + go, in + k, len);
				dbg(l, true, g + go - 16, out, len + 32);
				TEST_ASSERT(!memcmp(out, ref + go - 16,
						    len + 32),
					    "encrypt off %#x len %#x", go, len);
			}
	free(in);
	free(out);
	launch_end(l);
}

static void test_dbg_nodbg_policy(void)
{
	struct launch *l = launch_running(SEV_POLICY_NODBG);
	struct kvm_sev_dbg d = { .len = 16 };
	uint8_t out[16];

	d.src_uaddr = (uintptr_t)l->vm->mem;
	d.dst_uaddr = (uintptr_t)out;
	sev_vm_ioctl_fails(l->vm->fd, KVM_SEV_DBG_DECRYPT, &d, l->sev, EIO,
			   SEV_FW_POLICY_FAILURE);
	launch_end(l);
}

static void test_send_start_query(void)
{
	struct launch *l = launch_running(0);
	struct kvm_sev_send_start s = {};
	struct kvm_sev_cmd c;
	int r;

	r = __sev_vm_ioctl(l->vm->fd, KVM_SEV_SEND_START, &s, l->sev, 0, &c);
	TEST_ASSERT_EQ(r, -EIO);
	TEST_ASSERT_EQ(c.error, SEV_FW_INVALID_LEN);
	TEST_ASSERT_EQ(s.session_len, 0x80);
	launch_end(l);
}

static void test_sev_fd_rules(void)
{
	struct launch *l = launch_start(0);
	int ro = open(SEV_DEV_PATH, O_RDONLY), old = l->sev;
	struct kvm_sev_guest_status st;

	/* later commands look up the descriptor number given at START */
	TEST_ASSERT(ro >= 0, "open read-only");
	close(old);
	sev_vm_ioctl_fails(l->vm->fd, KVM_SEV_GUEST_STATUS, &st, ro, EBADF,
			   -1);
	/* the same number again, read-only is enough */
	TEST_ASSERT_EQ(dup2(ro, old), old);
	sev_vm_ioctl(l->vm->fd, KVM_SEV_GUEST_STATUS, &st, -1);
	TEST_ASSERT_EQ(st.state, GUEST_STATE_LUPDATE);
	close(ro);
	launch_end(l);
}

/*
 * The launched image holds the real-mode guest (its 16 bytes at
 * GUEST_CODE_GPA, 0x1000, lie inside the launched range): it is measured
 * with the rest, and runs after LAUNCH_FINISH
 */
static struct launch *launch_guest_code(void)
{
	struct launch *l = launch_start(0);

	vm_add_vcpu(l->vm);
	vm_load_real_mode_guest(l->vm);
	memcpy(l->plain + GUEST_CODE_GPA, l->vm->mem + GUEST_CODE_GPA, 16);
	launch_update(l);
	return l;
}

static void test_launched_guest_runs(void)
{
	struct launch *l = launch_guest_code();
	struct kvm_sev_launch_measure m = {};
	uint8_t mbuf[48], want[32];

	m.uaddr = (uintptr_t)mbuf;
	m.len = sizeof(mbuf);
	sev_vm_ioctl(l->vm->fd, KVM_SEV_LAUNCH_MEASURE, &m, l->sev);
	expected_measure(l, 0, mbuf + 32, want);
	TEST_ASSERT(!memcmp(mbuf, want, 32), "measurement differs");
	sev_vm_ioctl(l->vm->fd, KVM_SEV_LAUNCH_FINISH, NULL, l->sev);
	guest_state_is(l, GUEST_STATE_RUNNING);
	vm_expect_real_mode_io(l->vm);
	launch_end(l);
}

/* SEND_UPDATE_DATA of guest page @gpa into @hdr and @trans */
static void send_page(struct launch *l, uint64_t gpa, uint8_t *hdr,
		      uint8_t *trans)
{
	struct kvm_sev_send_update_data u = {
		.hdr_uaddr = (uintptr_t)hdr,
		.hdr_len = SEV_TRANSPORT_HDR_LEN,
		.guest_uaddr = (uintptr_t)l->vm->mem + gpa,
		.guest_len = PAGE_SZ,
		.trans_uaddr = (uintptr_t)trans,
		.trans_len = PAGE_SZ,
	};

	sev_vm_ioctl(l->vm->fd, KVM_SEV_SEND_UPDATE_DATA, &u, l->sev);
}

/*
 * Migration through one firmware: the source (policy 0: no certificate
 * chain needed) sends to its own platform's PDH, a second VM receives
 * every page, and then holds the source's memory and runs its code.
 */
static void test_send_receive(void)
{
	struct launch *src = launch_guest_code(), *dst;
	struct kvm_sev_launch_measure m = {};
	struct kvm_sev_send_start ss = {};
	struct kvm_sev_receive_start rs = {};
	struct kvm_sev_send_update_data q = {};
	uint8_t *pdh = sev_buf(SEV_CERT_LEN), *chain = sev_buf(SEV_CHAIN_LEN);
	uint8_t session[SEV_SESSION_LEN], mbuf[48], amd[0x1000];
	ssize_t amd_len;
	uint8_t *hdrs = calloc(GUEST_MEM_SIZE / PAGE_SZ,
			       SEV_TRANSPORT_HDR_LEN);
	uint8_t *trans = malloc(GUEST_MEM_SIZE), *out = malloc(GUEST_MEM_SIZE);
	struct kvm_sev_cmd c;
	uint64_t gpa;
	int r;

	TEST_ASSERT(hdrs && trans && out, "malloc");
	m.uaddr = (uintptr_t)mbuf;
	m.len = sizeof(mbuf);
	sev_vm_ioctl(src->vm->fd, KVM_SEV_LAUNCH_MEASURE, &m, src->sev);
	sev_vm_ioctl(src->vm->fd, KVM_SEV_LAUNCH_FINISH, NULL, src->sev);

	/*
	 * SEND_START to this platform's PDH, with its certificate chain and
	 * the AMD chain (KVM wants all three; policy 0 checks none)
	 */
	sev_pdh_export(src->sev, pdh, chain);
	amd_len = read_file(DEBUGFS "/sev-emu/ask_ark.cert", amd,
			    sizeof(amd));
	TEST_ASSERT(amd_len > 0, "read sev-emu/ask_ark.cert");
	ss.pdh_cert_uaddr = (uintptr_t)pdh;
	ss.pdh_cert_len = SEV_CERT_LEN;
	ss.plat_certs_uaddr = (uintptr_t)chain;
	ss.plat_certs_len = SEV_CHAIN_LEN;
	ss.amd_certs_uaddr = (uintptr_t)amd;
	ss.amd_certs_len = amd_len;
	ss.session_uaddr = (uintptr_t)session;
	ss.session_len = sizeof(session);
	sev_vm_ioctl(src->vm->fd, KVM_SEV_SEND_START, &ss, src->sev);
	TEST_ASSERT_EQ(ss.policy, 0);
	guest_state_is(src, GUEST_STATE_SUPDATE);

	/* the length query: -EIO, INVALID_LEN, the header length */
	q.guest_uaddr = (uintptr_t)src->vm->mem;
	q.guest_len = PAGE_SZ;
	r = __sev_vm_ioctl(src->vm->fd, KVM_SEV_SEND_UPDATE_DATA, &q,
			   src->sev, 0, &c);
	TEST_ASSERT_EQ(r, -EIO);
	TEST_ASSERT_EQ(c.error, SEV_FW_INVALID_LEN);
	TEST_ASSERT_EQ(q.hdr_len, SEV_TRANSPORT_HDR_LEN);

	for (gpa = 0; gpa < GUEST_MEM_SIZE; gpa += PAGE_SZ)
		send_page(src, gpa, hdrs + gpa / PAGE_SZ * SEV_TRANSPORT_HDR_LEN,
			  trans + gpa);
	sev_vm_ioctl(src->vm->fd, KVM_SEV_SEND_FINISH, NULL, src->sev);
	guest_state_is(src, GUEST_STATE_SENT);

	/* the receiver: a fresh SEV VM with zeroed memory */
	dst = calloc(1, sizeof(*dst));
	TEST_ASSERT(dst, "calloc");
	dst->sev = sev_open(O_RDWR);
	dst->vm = sev_vm_create();
	vm_add_memory(dst->vm);
	memset(dst->vm->mem, 0, GUEST_MEM_SIZE);
	kvm_ioctl(dst->vm->fd, KVM_MEMORY_ENCRYPT_REG_REGION,
		  (&(struct kvm_enc_region){ (uintptr_t)dst->vm->mem,
					     GUEST_MEM_SIZE }));
	rs.policy = 0;
	rs.pdh_uaddr = (uintptr_t)pdh;
	rs.pdh_len = SEV_CERT_LEN;
	rs.session_uaddr = (uintptr_t)session;
	rs.session_len = sizeof(session);
	sev_vm_ioctl(dst->vm->fd, KVM_SEV_RECEIVE_START, &rs, dst->sev);
	TEST_ASSERT(rs.handle && rs.handle != src->handle,
		    "receiver handle %u, sender %u", rs.handle, src->handle);
	dst->handle = rs.handle;
	guest_state_is(dst, GUEST_STATE_RUPDATE);

	for (gpa = 0; gpa < GUEST_MEM_SIZE; gpa += PAGE_SZ) {
		struct kvm_sev_receive_update_data u = {
			.hdr_uaddr = (uintptr_t)hdrs +
				     gpa / PAGE_SZ * SEV_TRANSPORT_HDR_LEN,
			.hdr_len = SEV_TRANSPORT_HDR_LEN,
			.guest_uaddr = (uintptr_t)dst->vm->mem + gpa,
			.guest_len = PAGE_SZ,
			.trans_uaddr = (uintptr_t)trans + gpa,
			.trans_len = PAGE_SZ,
		};

		sev_vm_ioctl(dst->vm->fd, KVM_SEV_RECEIVE_UPDATE_DATA, &u,
			     dst->sev);
	}
	sev_vm_ioctl(dst->vm->fd, KVM_SEV_RECEIVE_FINISH, NULL, dst->sev);
	guest_state_is(dst, GUEST_STATE_RUNNING);

	/* every byte arrived, and the code runs on the receiver */
	dbg(dst, true, dst->vm->mem, out, GUEST_MEM_SIZE);
	TEST_ASSERT(!memcmp(out, src->plain, GUEST_MEM_SIZE),
		    "received memory differs");
	vm_add_vcpu(dst->vm);
	vm_load_real_mode_guest(dst->vm);
	vm_expect_real_mode_io(dst->vm);

	free(out);
	free(trans);
	free(hdrs);
	free(chain);
	free(pdh);
	launch_end(dst);
	launch_end(src);
}

static void test_teardown(void)
{
	struct sev_user_data_status before, after;
	struct launch *l = launch_running(0);
	/*
	 * Read after the launch: taking its ASID may have flushed the ASIDs
	 * that were waiting (always so when the firmware has few ASIDs)
	 */
	long waiting = sev_platform_value("asids", "awaiting reclaim");

	sev_status(l->sev, &before);
	TEST_ASSERT(before.guest_count >= 1, "guest count %u",
		    before.guest_count);
	vm_destroy(l->vm);
	sev_status(l->sev, &after);
	/* DEACTIVATE + DECOMMISSION ran, the ASID waits for reclaim */
	TEST_ASSERT_EQ(after.guest_count, before.guest_count - 1);
	TEST_ASSERT_EQ(sev_platform_value("asids", "awaiting reclaim"),
		       waiting + 1);
	close(l->sev);
	free(l);
}

/* After every test: no guest in the firmware, no ASID in use */
static void test_no_leaks(void)
{
	struct sev_user_data_status st;
	char buf[4096];
	int fd = sev_open(O_RDONLY);

	sev_status(fd, &st);
	close(fd);
	TEST_ASSERT_EQ(st.guest_count, 0);
	TEST_ASSERT_EQ(sev_platform_value("asids", "in use"), 0);
	/* the software firmware lists its guests after a header line */
	if (debugfs_read(DEBUGFS "/sev-emu/guests", buf, sizeof(buf)))
		TEST_ASSERT(!strchr(buf, '\n') ||
			    !strchr(buf, '\n')[1],
			    "sev-emu still has guests: %s", buf);
}

static const struct sev_test tests[] = {
	{ "launch_measure", test_launch_measure },
	{ "attestation", test_attestation },
	{ "launch_secret", test_launch_secret },
	{ "dbg", test_dbg },
	{ "dbg_nodbg_policy", test_dbg_nodbg_policy },
	{ "send_start_query", test_send_start_query },
	{ "sev_fd_rules", test_sev_fd_rules },
	{ "launched_guest_runs", test_launched_guest_runs },
	{ "send_receive", test_send_receive },
	{ "teardown", test_teardown },
	{ "no_leaks", test_no_leaks },
};

int main(void)
{
	return sev_run_tests(tests, ARRAY_SIZE(tests));
}
