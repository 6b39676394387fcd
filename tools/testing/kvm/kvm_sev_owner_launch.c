// SPDX-License-Identifier: GPL-2.0-only
/*
 * The host side of an SEV launch driven by a guest owner's files: a KVM
 * SEV guest is started from the owner's GODH certificate and session
 * blob, an image file is measured into it, the measurement is handed to
 * an owner command, and the secret packet that command writes is injected
 * before the guest runs. The guest code in the image reads the secret at
 * its GPA and sends it back through port I/O, where it is compared with
 * the owner's plaintext. File formats are QEMU's: base64 for the GODH
 * certificate, the session, the measurement and the secret packet.
 *
 *   kvm_sev_owner_launch --write-image FILE
 *   kvm_sev_owner_launch --image FILE --policy N --godh FILE --session FILE
 *       (--expect-start-error STATUS |
 *        --measurement-out FILE --owner-cmd CMD --secret-header FILE
 *        --secret-data FILE (--secret FILE | --expect-secret-error STATUS))
 *
 * Every step that succeeds prints "step NAME ok ..." (or "step NAME
 * refused ..." for an expected firmware error); the first failure ends
 * the program with a "# " diagnostic and exit status 1.
 */

#include <getopt.h>
#include <openssl/evp.h>
#include "kvm_test.h"

#define IMAGE_GPA		GUEST_CODE_GPA	/* 0x1000 */
#define IMAGE_MAX		0x2000UL
#define SECRET_GPA		0x3000UL
#define SECRET_OUT_LEN		64	/* bytes the guest sends back */
#define GUEST_PORT		0x10
#define SEV_MEASURE_OUT		48	/* MEASURE || MNONCE */
#define SEV_GODH_LEN		0x824
#define SEV_SESSION_BLOB_LEN	0x80
#define SEV_SECRET_HDR_LEN	0x34
#define SEV_SECRET_MAX		0x5000
#define FILE_MAX		0x10000

/*
 * The guest, in real mode with CS based at IMAGE_GPA: send the
 * SECRET_OUT_LEN bytes at SECRET_GPA one by one to GUEST_PORT, then halt.
 * Padded with HLT to a multiple of 16 bytes (the firmware's unit).
 */
static const uint8_t guest_code[32] = {
	0x31, 0xc0,		/* xor %ax, %ax */
	0x8e, 0xd8,		/* mov %ax, %ds */
	0xbe, SECRET_GPA & 0xff, SECRET_GPA >> 8,	/* mov $SECRET_GPA, %si */
	0xb9, SECRET_OUT_LEN, 0x00,	/* mov $SECRET_OUT_LEN, %cx */
	0xba, GUEST_PORT, 0x00,	/* mov $GUEST_PORT, %dx */
	0xac,			/* 1: lodsb (%si), %al */
	0xee,			/* out %al, (%dx) */
	0xe2, 0xfc,		/* loop 1b */
	0xf4,			/* hlt */
	[18 ... 31] = 0xf4,
};

struct args {
	const char *image, *godh, *session, *measurement_out, *owner_cmd;
	const char *secret_hdr, *secret_data, *secret;
	uint32_t policy;
	long start_error, secret_error;	/* -1: success expected */
};

/* The whole of @path (at most @max bytes) in a new buffer */
static uint8_t *load(const char *path, size_t max, size_t *len)
{
	uint8_t *buf = calloc(1, max + 1);
	FILE *f = fopen(path, "rb");

	TEST_ASSERT(buf, "calloc");
	TEST_ASSERT(f, "%s: %s", path, strerror(errno));
	*len = fread(buf, 1, max + 1, f);
	TEST_ASSERT(!ferror(f), "%s: read error", path);
	fclose(f);
	TEST_ASSERT(*len <= max, "%s: more than %zu bytes", path, max);
	return buf;
}

static void save(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	TEST_ASSERT(f, "%s: %s", path, strerror(errno));
	TEST_ASSERT(fwrite(buf, 1, len, f) == len && !fclose(f),
		    "%s: write error", path);
}

/* A base64 file (line breaks allowed) decoded: at most @max bytes */
static uint8_t *load_b64(const char *path, size_t max, size_t *len)
{
	EVP_ENCODE_CTX *ctx = EVP_ENCODE_CTX_new();
	size_t text_len;
	uint8_t *text = load(path, FILE_MAX, &text_len);
	uint8_t *out = calloc(1, text_len + 16);
	int n = 0, tail = 0;

	TEST_ASSERT(ctx && out, "allocation");
	EVP_DecodeInit(ctx);
	TEST_ASSERT(EVP_DecodeUpdate(ctx, out, &n, text, text_len) >= 0 &&
		    EVP_DecodeFinal(ctx, out + n, &tail) == 1,
		    "%s: not base64", path);
	EVP_ENCODE_CTX_free(ctx);
	free(text);
	*len = n + tail;
	TEST_ASSERT(*len <= max, "%s: %zu bytes, at most %zu", path, *len,
		    max);
	return out;
}

/* A base64 file of exactly @want bytes */
static uint8_t *load_b64_exact(const char *path, size_t want)
{
	size_t len;
	uint8_t *buf = load_b64(path, want, &len);

	TEST_ASSERT(len == want, "%s: %zu bytes, expected %zu", path, len,
		    want);
	return buf;
}

static void save_b64(const char *path, const uint8_t *buf, size_t len)
{
	char *text = calloc(1, 4 * ((len + 2) / 3) + 2);
	int n;

	TEST_ASSERT(text, "calloc");
	n = EVP_EncodeBlock((unsigned char *)text, buf, len);
	text[n] = '\n';
	save(path, text, n + 1);
	free(text);
}

static long parse_num(const char *s, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 0);
	TEST_ASSERT(!errno && *s && !*end && v >= 0 && v <= 0xffffffffL,
		    "%s: bad number \"%s\"", what, s);
	return v;
}

static void bad_usage(void)
{
	printf("usage: kvm_sev_owner_launch --write-image FILE\n"
	       "       kvm_sev_owner_launch --image FILE --policy N --godh FILE\n"
	       "           --session FILE (--expect-start-error STATUS |\n"
	       "           --measurement-out FILE --owner-cmd CMD\n"
	       "           --secret-header FILE --secret-data FILE\n"
	       "           (--secret FILE | --expect-secret-error STATUS))\n");
	exit(2);
}

static void parse_args(int argc, char **argv, struct args *a)
{
	static const struct option opts[] = {
		{ "write-image", required_argument, NULL, 'w' },
		{ "image", required_argument, NULL, 'i' },
		{ "policy", required_argument, NULL, 'p' },
		{ "godh", required_argument, NULL, 'g' },
		{ "session", required_argument, NULL, 's' },
		{ "expect-start-error", required_argument, NULL, 'E' },
		{ "measurement-out", required_argument, NULL, 'm' },
		{ "owner-cmd", required_argument, NULL, 'o' },
		{ "secret-header", required_argument, NULL, 'H' },
		{ "secret-data", required_argument, NULL, 'D' },
		{ "secret", required_argument, NULL, 'S' },
		{ "expect-secret-error", required_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 }
	};
	bool have_policy = false;
	int c;

	memset(a, 0, sizeof(*a));
	a->start_error = -1;
	a->secret_error = -1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'w':
			save(optarg, guest_code, sizeof(guest_code));
			printf("wrote the %zu-byte guest image to %s\n",
			       sizeof(guest_code), optarg);
			exit(0);
		case 'i':
			a->image = optarg;
			break;
		case 'p':
			a->policy = parse_num(optarg, "--policy");
			have_policy = true;
			break;
		case 'g':
			a->godh = optarg;
			break;
		case 's':
			a->session = optarg;
			break;
		case 'E':
			a->start_error = parse_num(optarg, "--expect-start-error");
			break;
		case 'm':
			a->measurement_out = optarg;
			break;
		case 'o':
			a->owner_cmd = optarg;
			break;
		case 'H':
			a->secret_hdr = optarg;
			break;
		case 'D':
			a->secret_data = optarg;
			break;
		case 'S':
			a->secret = optarg;
			break;
		case 'F':
			a->secret_error = parse_num(optarg, "--expect-secret-error");
			break;
		default:
			bad_usage();
		}
	}
	if (optind != argc || !a->image || !have_policy || !a->godh ||
	    !a->session)
		bad_usage();
	if (a->start_error >= 0)
		return;
	if (!a->measurement_out || !a->owner_cmd || !a->secret_hdr ||
	    !a->secret_data)
		bad_usage();
	/* either the plaintext to compare or the expected refusal */
	if (a->secret ? a->secret_error >= 0 : a->secret_error < 0)
		bad_usage();
}

/* Run the owner's command through the shell; it must succeed */
static void run_owner(const char *cmd)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	TEST_ASSERT(pid >= 0, "fork: %s", strerror(errno));
	if (!pid) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	TEST_ASSERT(waitpid(pid, &status, 0) == pid, "waitpid: %s",
		    strerror(errno));
	TEST_ASSERT(WIFEXITED(status) && !WEXITSTATUS(status),
		    "the owner command failed (status %#x): %s", status, cmd);
}

/* Issue @id expecting firmware status @fw (-1: success); true on success */
static bool sev_cmd(struct vm *vm, uint32_t id, void *data, int sev,
		    long fw)
{
	if (fw < 0) {
		sev_vm_ioctl(vm->fd, id, data, sev);
		return true;
	}
	sev_vm_ioctl_fails(vm->fd, id, data, sev, EIO, fw);
	return false;
}

static void start_guest(struct vm *vm, int sev, const struct args *a)
{
	uint8_t *godh = load_b64_exact(a->godh, SEV_GODH_LEN);
	uint8_t *session = load_b64_exact(a->session, SEV_SESSION_BLOB_LEN);
	struct kvm_sev_launch_start start = {
		.policy = a->policy,
		.dh_uaddr = (uintptr_t)godh,
		.dh_len = SEV_GODH_LEN,
		.session_uaddr = (uintptr_t)session,
		.session_len = SEV_SESSION_BLOB_LEN,
	};

	if (sev_cmd(vm, KVM_SEV_LAUNCH_START, &start, sev, a->start_error)) {
		TEST_ASSERT(start.handle, "no handle");
		TEST_ASSERT_EQ(vm_sev_info(vm, "policy"), a->policy);
		printf("step launch_start ok handle %u policy %#x\n",
		       start.handle, a->policy);
	} else {
		printf("step launch_start refused fw error %#lx\n",
		       a->start_error);
	}
	free(session);
	free(godh);
}

static void load_image(struct vm *vm, int sev, const struct args *a)
{
	struct kvm_sev_launch_update_data upd = {};
	size_t len;
	uint8_t *image = load(a->image, IMAGE_MAX, &len);

	TEST_ASSERT(len && !(len % 16), "%s: %zu bytes, not a multiple of 16",
		    a->image, len);
	memcpy(vm->mem + IMAGE_GPA, image, len);
	upd.uaddr = (uintptr_t)vm->mem + IMAGE_GPA;
	upd.len = len;
	sev_vm_ioctl(vm->fd, KVM_SEV_LAUNCH_UPDATE_DATA, &upd, sev);
	printf("step launch_update_data ok %zu bytes at GPA %#lx\n", len,
	       IMAGE_GPA);
	free(image);
}

static void measure_guest(struct vm *vm, int sev, const struct args *a)
{
	struct kvm_sev_launch_measure m = {};
	uint8_t buf[SEV_MEASURE_OUT];

	m.uaddr = (uintptr_t)buf;
	m.len = sizeof(buf);
	sev_vm_ioctl(vm->fd, KVM_SEV_LAUNCH_MEASURE, &m, sev);
	TEST_ASSERT_EQ(m.len, SEV_MEASURE_OUT);
	save_b64(a->measurement_out, buf, sizeof(buf));
	printf("step launch_measure ok written to %s\n", a->measurement_out);
}

/* The owner's packet: header and data (base64) into LAUNCH_SECRET */
static bool inject_secret(struct vm *vm, int sev, const struct args *a,
			  size_t *data_len)
{
	struct kvm_sev_launch_secret s = {};
	uint8_t *hdr = load_b64_exact(a->secret_hdr, SEV_SECRET_HDR_LEN);
	uint8_t *data = load_b64(a->secret_data, SEV_SECRET_MAX, data_len);
	bool ok;

	s.hdr_uaddr = (uintptr_t)hdr;
	s.hdr_len = SEV_SECRET_HDR_LEN;
	s.guest_uaddr = (uintptr_t)vm->mem + SECRET_GPA;
	s.guest_len = *data_len;
	s.trans_uaddr = (uintptr_t)data;
	s.trans_len = *data_len;
	ok = sev_cmd(vm, KVM_SEV_LAUNCH_SECRET, &s, sev, a->secret_error);
	if (ok)
		printf("step launch_secret ok %zu bytes at GPA %#lx\n",
		       *data_len, SECRET_GPA);
	else
		printf("step launch_secret refused fw error %#lx\n",
		       a->secret_error);
	free(data);
	free(hdr);
	return ok;
}

/* Real mode at IMAGE_GPA: CS based there, IP 0 */
static void guest_setup(struct vm *vm)
{
	struct kvm_regs regs = { .rip = 0, .rflags = 0x2 };
	struct kvm_sregs sregs;

	kvm_ioctl(vm->vcpu, KVM_GET_SREGS, &sregs);
	sregs.cs.base = IMAGE_GPA;
	sregs.cs.selector = IMAGE_GPA >> 4;
	kvm_ioctl(vm->vcpu, KVM_SET_SREGS, &sregs);
	kvm_ioctl(vm->vcpu, KVM_SET_REGS, &regs);
}

/* Run the guest: collect the bytes it sends to GUEST_PORT until HLT */
static void guest_read_secret(struct vm *vm, uint8_t *out)
{
	size_t n = 0;

	for (;;) {
		struct kvm_run *run = vm->run;

		kvm_ioctl(vm->vcpu, KVM_RUN, (void *)0);
		if (run->exit_reason == KVM_EXIT_HLT)
			break;
		TEST_ASSERT(run->exit_reason == KVM_EXIT_IO,
			    "exit reason %u after %zu bytes", run->exit_reason,
			    n);
		TEST_ASSERT(run->io.direction == KVM_EXIT_IO_OUT &&
			    run->io.port == GUEST_PORT && run->io.size == 1 &&
			    run->io.count == 1,
			    "unexpected I/O: dir %u port %#x size %u count %u",
			    run->io.direction, run->io.port, run->io.size,
			    run->io.count);
		TEST_ASSERT(n < SECRET_OUT_LEN, "more than %d bytes",
			    SECRET_OUT_LEN);
		out[n++] = *((uint8_t *)run + run->io.data_offset);
	}
	TEST_ASSERT_EQ(n, SECRET_OUT_LEN);
}

static void hexdump(const char *what, const uint8_t *p, size_t len)
{
	size_t i;

	printf("# %s:", what);
	for (i = 0; i < len; i++)
		printf(" %02x", p[i]);
	printf("\n");
}

/*
 * The guest saw the plaintext padded with zeros to the packet's length;
 * what lies beyond the packet was never written (zero too)
 */
static void check_secret(const struct args *a, const uint8_t *got,
			 size_t data_len)
{
	uint8_t want[SECRET_OUT_LEN] = {};
	size_t len;
	uint8_t *plain = load(a->secret, SECRET_OUT_LEN, &len);

	TEST_ASSERT(data_len <= SECRET_OUT_LEN && len <= data_len &&
		    data_len - len < 16,
		    "secret %zu bytes, packet %zu bytes, guest sends %d",
		    len, data_len, SECRET_OUT_LEN);
	memcpy(want, plain, len);
	free(plain);
	if (memcmp(got, want, sizeof(want))) {
		hexdump("guest sent", got, SECRET_OUT_LEN);
		hexdump("expected  ", want, SECRET_OUT_LEN);
		TEST_FAIL("the secret the guest read differs");
	}
	printf("step guest_secret ok the guest read the %zu-byte secret at GPA %#lx\n",
	       len, SECRET_GPA);
}

int main(int argc, char **argv)
{
	uint8_t got[SECRET_OUT_LEN];
	size_t data_len;
	struct args a;
	struct vm *vm;
	int sev;

	parse_args(argc, argv, &a);
	sev = sev_open(O_RDWR);
	vm = sev_vm_create();
	vm_add_memory(vm);
	memset(vm->mem, 0, GUEST_MEM_SIZE);
	kvm_ioctl(vm->fd, KVM_MEMORY_ENCRYPT_REG_REGION,
		  (&(struct kvm_enc_region){ (uintptr_t)vm->mem,
					     GUEST_MEM_SIZE }));
	vm_add_vcpu(vm);

	start_guest(vm, sev, &a);
	if (a.start_error >= 0)
		goto out;
	load_image(vm, sev, &a);
	measure_guest(vm, sev, &a);

	run_owner(a.owner_cmd);
	printf("step owner ok\n");

	if (!inject_secret(vm, sev, &a, &data_len))
		goto out;
	sev_vm_ioctl(vm->fd, KVM_SEV_LAUNCH_FINISH, NULL, sev);
	printf("step launch_finish ok\n");

	guest_setup(vm);
	guest_read_secret(vm, got);
	check_secret(&a, got, data_len);
out:
	vm_destroy(vm);
	close(sev);
	return 0;
}
