// SPDX-License-Identifier: GPL-2.0-only
/*
 * sev-owner: the guest owner's side of SEV, working on files only: verify
 * platform certificate chains, decode SEV data, create launch sessions,
 * compute and verify launch measurements (with the SEV-ES VMSAs they
 * cover), build LAUNCH_SECRET packets.
 */

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "amdcert.h"
#include "b64.h"
#include "chain.h"
#include "cmdline.h"
#include "cpusig.h"
#include "measure.h"
#include "ovmf.h"
#include "policy.h"
#include "secret.h"
#include "session.h"
#include "sevcert.h"
#include "sevkey.h"
#include "util.h"
#include "vmsa.h"

const char *prog_name = "sev-owner";

static const char usage_text[] =
"Usage: sev-owner COMMAND [OPTIONS]\n"
"\n"
"Guest-owner tools for AMD SEV. They read and write files only.\n"
"\n"
"Commands:\n"
"  verify (--ark FILE --ask FILE | --ask-ark FILE) --cek FILE --pdh FILE\n"
"         --chain FILE [--oca FILE]\n"
"      verify ARK (self) -> ASK -> CEK -> PEK -> PDH and OCA -> PEK\n"
"  show FILE...\n"
"      decode a SEV certificate, certificate chain, AMD certificate(s),\n"
"      session blob, secret header, measurement or policy (raw or base64)\n"
"  policy POLICY\n"
"      decode the bits of a guest policy\n"
"  session --pdh FILE --policy POLICY --out-dir DIR [--godh-key FILE]\n"
"      create a launch session for the platform's PDH: godh.b64,\n"
"      session.b64 (QEMU dh-cert-file and session-file), tek.bin, tik.bin\n"
"  measure RANGES [VCPUS] --policy N --api-major N --api-minor N\n"
"          --build N (--tik FILE | --zero-tik) --mnonce HEX\n"
"      compute the expected launch measurement\n"
"  verify-measurement --measurement B64|HEX RANGES [VCPUS] ...as for measure\n"
"      compare a measurement with the expected one (--mnonce may be left\n"
"      out when the measurement is the 48-byte MEASURE || MNONCE)\n"
"  vmsa --cpu-signature SIG [--vcpu N] [--reset-addr ADDR | --ovmf FILE]\n"
"       [--no-cr4-mce] -o FILE\n"
"      build the initial SEV-ES VMSA of vCPU N (0, the BSP, by default) as\n"
"      Linux 6.1 KVM fills it from QEMU 7.2's reset state; an AP needs the\n"
"      SEV-ES reset address, given or read from the OVMF image\n"
"  vmsa --decode FILE\n"
"      print the registers, segments and fields of a VMSA page\n"
"  secret --tek FILE --tik FILE --measurement B64|HEX --secret FILE\n"
"         --out-header FILE --out-data FILE [--base64]\n"
"      build a LAUNCH_SECRET packet (header and encrypted data)\n"
"  oca-gen --key-out FILE --cert-out FILE [--api-major N --api-minor N]\n"
"      create an owner certificate authority (P-384 key, self-signed OCA)\n"
"  sign-pek --csr FILE --oca-key FILE --oca FILE --out FILE\n"
"      sign a PEK certificate signing request with the OCA\n"
"\n"
"RANGES are the launch-update inputs in the order QEMU gave them to the\n"
"firmware: --firmware FILE, --data FILE and --vmsa FILE (4096 bytes, one\n"
"per vCPU of an SEV-ES guest); each may be repeated.\n"
"VCPUS, instead of --vmsa: --vcpus N --cpu-signature SIG [--reset-addr ADDR]\n"
"[--no-cr4-mce] appends the VMSAs of a BSP and N-1 APs built as by vmsa;\n"
"the APs' reset address comes from the one --firmware OVMF image unless\n"
"--reset-addr gives it. SIG is FAMILY/MODEL/STEPPING (decimal or 0x hex,\n"
"e.g. 23/1/2 for QEMU's EPYC) or a raw 0xHEX CPUID(1).EAX value.\n"
"\n"
"Exit status: 0 success; 1 verification failed or negative result\n"
"(malformed input, bad signature, mismatch); 2 usage error; 3 I/O error.\n";

/* ---- verify ---- */

static void print_link(void *arg, const char *link, int result,
		       const char *why)
{
	(void)arg;
	if (result)
		printf("FAIL  %-28s %s\n", link, why);
	else
		printf("ok    %s\n", link);
}

static int cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "ark", required_argument, NULL, 'r' },
		{ "ask", required_argument, NULL, 's' },
		{ "ask-ark", required_argument, NULL, 'b' },
		{ "cek", required_argument, NULL, 'c' },
		{ "pdh", required_argument, NULL, 'p' },
		{ "chain", required_argument, NULL, 'n' },
		{ "oca", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 }
	};
	const char *ark_p = NULL, *ask_p = NULL, *askark_p = NULL;
	const char *cek_p = NULL, *pdh_p = NULL, *chain_p = NULL;
	const char *oca_p = NULL;
	struct sev_cert cek, pdh, pek, oca, chain_cek, owner_oca;
	struct amd_cert ark, ask;
	struct sev_platform_certs p;
	u8 *buf;
	size_t len;
	int c, ret;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			ark_p = optarg;
			break;
		case 's':
			ask_p = optarg;
			break;
		case 'b':
			askark_p = optarg;
			break;
		case 'c':
			cek_p = optarg;
			break;
		case 'p':
			pdh_p = optarg;
			break;
		case 'n':
			chain_p = optarg;
			break;
		case 'o':
			oca_p = optarg;
			break;
		default:
			return usage_fail("verify: bad option");
		}
	}
	if (optind != argc)
		return usage_fail("verify: unexpected argument '%s'",
				  argv[optind]);
	if (!!askark_p == !!(ark_p || ask_p) ||
	    (!askark_p && (!ark_p || !ask_p)))
		return usage_fail("verify: give --ark and --ask, or --ask-ark");
	if (!cek_p || !pdh_p || !chain_p)
		return usage_fail("verify: --cek, --pdh and --chain are required");

	if (askark_p) {
		ret = load_file(askark_p, 0x4000, &buf, &len);
		if (ret)
			return ret;
		ret = amd_cert_parse_ask_ark(&ask, &ark, buf, len);
		free(buf);
		if (ret)
			return lib_fail(ret, askark_p);
	} else {
		ret = load_amd_cert(ark_p, &ark);
		if (!ret)
			ret = load_amd_cert(ask_p, &ask);
		if (ret)
			return ret;
	}
	ret = load_sev_cert(cek_p, SEV_USAGE_CEK, &cek);
	if (!ret)
		ret = load_sev_cert(pdh_p, SEV_USAGE_PDH, &pdh);
	if (!ret && oca_p)
		ret = load_sev_cert(oca_p, SEV_USAGE_OCA, &owner_oca);
	if (ret)
		return ret;
	ret = load_blob(chain_p, 0x4000, &buf, &len, NULL);
	if (ret)
		return ret;
	ret = sev_chain_parse(buf, len, &pek, &oca, &chain_cek);
	free(buf);
	if (ret)
		return lib_fail(ret, chain_p);

	memset(&p, 0, sizeof(p));
	p.ark = &ark;
	p.ask = &ask;
	p.cek = &cek;
	p.pek = &pek;
	p.oca = &oca;
	p.chain_cek = &chain_cek;
	p.pdh = &pdh;
	p.owner_oca = oca_p ? &owner_oca : NULL;
	ret = sev_chain_verify(&p, print_link, NULL);
	if (ret) {
		printf("certificate chain: NOT VERIFIED\n");
		return sev_exit_code(ret);
	}
	printf("certificate chain: verified (trust rests on the ARK given)\n");
	return SEV_EXIT_OK;
}

/* ---- show ---- */

static bool is_text(const u8 *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!isprint(buf[i]) && !isspace(buf[i]))
			return false;
	return len > 0;
}

static int show_policy_text(const u8 *buf, size_t len)
{
	char text[32];
	size_t i, n = 0;
	u32 policy;

	for (i = 0; i < len && n < sizeof(text) - 1; i++)
		if (!isspace(buf[i]))
			text[n++] = (char)buf[i];
	text[n] = '\0';
	if (i < len || sev_policy_parse(text, true, &policy))
		return -1;
	sev_policy_print(stdout, policy, "");
	return SEV_EXIT_OK;
}

static void print_hex_line(const char *label, const u8 *p, size_t len)
{
	size_t i;

	printf("%s", label);
	for (i = 0; i < len; i++)
		printf("%02x", p[i]);
	putchar('\n');
}

static int show_binary(const char *path, const u8 *buf, size_t len)
{
	struct sev_cert c, pek, oca, cek;
	struct amd_cert a, b;
	struct sev_session s;
	struct sev_secret_hdr h;
	size_t used;
	int ret;

	switch (len) {
	case SEV_CERT_SIZE:
		ret = sev_cert_parse(&c, buf, len);
		if (ret)
			return lib_fail(ret, path);
		sev_cert_print(stdout, &c, "");
		return SEV_EXIT_OK;
	case SEV_CHAIN_SIZE:
		ret = sev_chain_parse(buf, len, &pek, &oca, &cek);
		if (ret)
			return lib_fail(ret, path);
		printf("certificate chain (PEK, OCA, CEK)\n");
		sev_cert_print(stdout, &pek, "  ");
		sev_cert_print(stdout, &oca, "  ");
		sev_cert_print(stdout, &cek, "  ");
		return SEV_EXIT_OK;
	case SEV_SESSION_SIZE:
		sev_session_parse(&s, buf, len);
		sev_session_print(stdout, &s, "");
		return SEV_EXIT_OK;
	case SEV_SECRET_HDR_SIZE:
		sev_secret_hdr_parse(&h, buf, len);
		printf("LAUNCH_SECRET packet header\n  FLAGS      %#x%s\n",
		       h.flags, h.flags & 1 ? " (COMPRESSED)" : "");
		print_hex_line("  IV         ", h.iv, sizeof(h.iv));
		print_hex_line("  MAC        ", h.mac, sizeof(h.mac));
		return SEV_EXIT_OK;
	case SEV_MEASURE_OUT_LEN:
		printf("launch measurement\n");
		print_hex_line("  MEASURE    ", buf, SEV_MEASURE_LEN);
		print_hex_line("  MNONCE     ", buf + SEV_MEASURE_LEN,
			       SEV_MNONCE_LEN);
		return SEV_EXIT_OK;
	}
	if (len >= 4 && sev_get_le32(buf) == 1 && len >= 0x40) {
		ret = amd_cert_parse(&a, buf, len, &used);
		if (ret)
			return lib_fail(ret, path);
		if (used == len) {
			amd_cert_print(stdout, &a, "");
			return SEV_EXIT_OK;
		}
		ret = amd_cert_parse_ask_ark(&a, &b, buf, len);
		if (ret)
			return lib_fail(ret, path);
		printf("AMD certificate pair (ASK, then ARK)\n");
		amd_cert_print(stdout, &a, "  ");
		amd_cert_print(stdout, &b, "  ");
		return SEV_EXIT_OK;
	}
	tool_err("%s: unrecognised data (%zu bytes)", path, len);
	tool_err("known sizes: SEV certificate %d, chain %d, session %d, secret header %d, measurement %d",
		 SEV_CERT_SIZE, SEV_CHAIN_SIZE, SEV_SESSION_SIZE,
		 SEV_SECRET_HDR_SIZE, SEV_MEASURE_OUT_LEN);
	return SEV_EXIT_FAIL;
}

static int show_one(const char *path)
{
	u8 *buf, *dec;
	size_t len;
	long n;
	int ret;

	ret = load_file(path, 0x10000, &buf, &len);
	if (ret)
		return ret;
	if (is_text(buf, len)) {
		ret = show_policy_text(buf, len);
		if (ret >= 0)
			goto out;
		dec = calloc(1, len);
		if (!dec) {
			ret = SEV_EXIT_IO;
			goto out;
		}
		n = sev_b64_decode((const char *)buf, len, dec, len);
		if (n < 0) {
			free(dec);
			ret = lib_fail((int)n, path);
			goto out;
		}
		printf("(base64-encoded)\n");
		ret = show_binary(path, dec, (size_t)n);
		free(dec);
		goto out;
	}
	ret = show_binary(path, buf, len);
out:
	free(buf);
	return ret;
}

static int cmd_show(int argc, char **argv)
{
	int i, ret, worst = SEV_EXIT_OK;

	if (argc < 2)
		return usage_fail("show: expected FILE...");
	for (i = 1; i < argc; i++) {
		if (argc > 2)
			printf("%s%s:\n", i > 1 ? "\n" : "", argv[i]);
		ret = show_one(argv[i]);
		if (ret > worst)
			worst = ret;
	}
	return worst;
}

/* ---- policy ---- */

static int cmd_policy(int argc, char **argv)
{
	u32 policy;
	int ret;

	if (argc != 2)
		return usage_fail("policy: expected one POLICY value");
	ret = sev_policy_parse(argv[1], true, &policy);
	if (ret)
		return usage_fail("policy: %s", sev_errmsg());
	sev_policy_print(stdout, policy, "");
	return policy & SEV_POLICY_RESERVED ? SEV_EXIT_FAIL : SEV_EXIT_OK;
}

/* ---- session ---- */

static int out_path(char *buf, size_t size, const char *dir,
		    const char *name)
{
	if (snprintf(buf, size, "%s/%s", dir, name) >= (int)size) {
		tool_err("%s: path too long", dir);
		return SEV_EXIT_USAGE;
	}
	return SEV_EXIT_OK;
}

static int cmd_session(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pdh", required_argument, NULL, 'p' },
		{ "policy", required_argument, NULL, 'P' },
		{ "out-dir", required_argument, NULL, 'o' },
		{ "godh-key", required_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 }
	};
	const char *pdh_p = NULL, *policy_s = NULL, *dir = NULL;
	const char *key_p = NULL;
	u8 blob[SEV_SESSION_SIZE], tek[SEV_KEY_LEN], tik[SEV_KEY_LEN];
	struct sev_cert pdh, godh;
	struct sev_session s;
	EVP_PKEY *key = NULL;
	char path[4096];
	u32 policy;
	int c, ret;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			pdh_p = optarg;
			break;
		case 'P':
			policy_s = optarg;
			break;
		case 'o':
			dir = optarg;
			break;
		case 'k':
			key_p = optarg;
			break;
		default:
			return usage_fail("session: bad option");
		}
	}
	if (optind != argc || !pdh_p || !policy_s || !dir)
		return usage_fail("session: --pdh, --policy and --out-dir are required");
	if (sev_policy_parse(policy_s, false, &policy))
		return usage_fail("session: %s", sev_errmsg());
	ret = load_sev_cert(pdh_p, SEV_USAGE_PDH, &pdh);
	if (ret)
		return ret;
	if (mkdir(dir, 0700) && errno != EEXIST) {
		tool_err("%s: %s", dir, strerror(errno));
		return SEV_EXIT_IO;
	}
	ret = sev_session_create(&pdh, policy, &godh, &key, &s, tek, tik);
	if (ret)
		return lib_fail(ret, "session");
	sev_session_encode(&s, blob);
	ret = out_path(path, sizeof(path), dir, "godh.b64");
	if (!ret)
		ret = save_b64(path, godh.raw, SEV_CERT_SIZE, false);
	if (!ret)
		ret = out_path(path, sizeof(path), dir, "session.b64");
	if (!ret)
		ret = save_b64(path, blob, sizeof(blob), false);
	if (!ret)
		ret = out_path(path, sizeof(path), dir, "tek.bin");
	if (!ret)
		ret = save_file(path, tek, sizeof(tek), true);
	if (!ret)
		ret = out_path(path, sizeof(path), dir, "tik.bin");
	if (!ret)
		ret = save_file(path, tik, sizeof(tik), true);
	if (!ret && key_p) {
		int err = sev_key_save_pem(key_p, key);

		if (err)
			ret = lib_fail(err, NULL);
	}
	sev_wipe(tek, sizeof(tek));
	sev_wipe(tik, sizeof(tik));
	EVP_PKEY_free(key);
	if (!ret)
		printf("wrote %s/{godh.b64,session.b64,tek.bin,tik.bin} for policy %#x\n",
		       dir, policy);
	return ret;
}

/* ---- measure, verify-measurement ---- */

#define MAX_RANGES	64
/* KVM_MAX_VCPUS of Linux 6.1 on x86 */
#define MAX_VCPUS	1024

/* SEV-ES VMSA inputs shared by vmsa, measure and verify-measurement */
struct vmsa_args {
	const char *cpu_sig, *reset_addr;
	bool no_cr4_mce;
};

static int parse_vmsa_args(const struct vmsa_args *v,
			   struct sev_vmsa_params *p, bool *have_reset)
{
	unsigned long addr;

	memset(p, 0, sizeof(*p));
	p->cr4_mce = !v->no_cr4_mce;
	*have_reset = false;
	if (!v->cpu_sig)
		return usage_fail("--cpu-signature is required");
	if (sev_cpu_sig_parse(v->cpu_sig, &p->cpu_sig))
		return usage_fail("--cpu-signature: %s", sev_errmsg());
	if (v->reset_addr) {
		if (sev_parse_uint(v->reset_addr, 0xffffffffUL, &addr))
			return usage_fail("--reset-addr: %s", sev_errmsg());
		if (!addr)
			return usage_fail("--reset-addr: QEMU refuses a zero reset address");
		p->reset_addr = (u32)addr;
		*have_reset = true;
	}
	return SEV_EXIT_OK;
}

/* The SEV-ES reset address of an OVMF image; returns an exit code */
static int ovmf_reset_addr(const char *path, const u8 *img, size_t len,
			   u32 *addr)
{
	const char *where = NULL;
	int ret;

	ret = ovmf_sev_es_reset_addr(img, len, addr, &where);
	if (ret)
		return lib_fail(ret, path);
	printf("SEV-ES reset address: 0x%08x (%s of %s)\n", *addr, where,
	       path);
	return SEV_EXIT_OK;
}

static void sha256_hex(const u8 *p, size_t len, char out[65])
{
	u8 md[SEV_LD_LEN];
	struct sev_ld ctx;

	strcpy(out, "?");
	if (sev_ld_init(&ctx))
		return;
	if (sev_ld_update(&ctx, p, len)) {
		sev_ld_free(&ctx);
		return;
	}
	if (!sev_ld_final(&ctx, md))
		sev_hex_encode(md, sizeof(md), out, false);
}

struct measure_args {
	const char *range[MAX_RANGES];
	char kind[MAX_RANGES];		/* 'f' firmware, 'd' data, 'v' VMSA */
	int nr_ranges, nr_firmware, nr_vmsa;
	const char *policy, *major, *minor, *build, *tik, *mnonce;
	const char *measurement, *vcpus;
	struct vmsa_args va;
	bool zero_tik;
};

static int parse_measure_args(int argc, char **argv, struct measure_args *a,
			      bool verify)
{
	static const struct option opts[] = {
		{ "firmware", required_argument, NULL, 'f' },
		{ "data", required_argument, NULL, 'd' },
		{ "vmsa", required_argument, NULL, 'v' },
		{ "policy", required_argument, NULL, 'p' },
		{ "api-major", required_argument, NULL, 'M' },
		{ "api-minor", required_argument, NULL, 'm' },
		{ "build", required_argument, NULL, 'b' },
		{ "tik", required_argument, NULL, 't' },
		{ "zero-tik", no_argument, NULL, 'z' },
		{ "mnonce", required_argument, NULL, 'n' },
		{ "measurement", required_argument, NULL, 'x' },
		{ "vcpus", required_argument, NULL, 'N' },
		{ "cpu-signature", required_argument, NULL, 'c' },
		{ "reset-addr", required_argument, NULL, 'r' },
		{ "no-cr4-mce", no_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	memset(a, 0, sizeof(*a));
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
		case 'd':
		case 'v':
			if (a->nr_ranges == MAX_RANGES)
				return usage_fail("too many input ranges (max %d)",
						  MAX_RANGES);
			a->kind[a->nr_ranges] = (char)c;
			a->range[a->nr_ranges++] = optarg;
			a->nr_firmware += c == 'f';
			a->nr_vmsa += c == 'v';
			break;
		case 'p':
			a->policy = optarg;
			break;
		case 'M':
			a->major = optarg;
			break;
		case 'm':
			a->minor = optarg;
			break;
		case 'b':
			a->build = optarg;
			break;
		case 't':
			a->tik = optarg;
			break;
		case 'z':
			a->zero_tik = true;
			break;
		case 'n':
			a->mnonce = optarg;
			break;
		case 'x':
			if (!verify)
				return usage_fail("measure: use verify-measurement to compare");
			a->measurement = optarg;
			break;
		case 'N':
			a->vcpus = optarg;
			break;
		case 'c':
			a->va.cpu_sig = optarg;
			break;
		case 'r':
			a->va.reset_addr = optarg;
			break;
		case 'C':
			a->va.no_cr4_mce = true;
			break;
		default:
			return usage_fail("bad option");
		}
	}
	if (optind != argc)
		return usage_fail("unexpected argument '%s'", argv[optind]);
	if (!a->nr_ranges && !a->vcpus)
		return usage_fail("give at least one --firmware/--data/--vmsa input");
	if (!a->policy || !a->major || !a->minor || !a->build)
		return usage_fail("--policy, --api-major, --api-minor and --build are required");
	if (!!a->tik == a->zero_tik)
		return usage_fail("give exactly one of --tik FILE and --zero-tik");
	if (verify && !a->measurement)
		return usage_fail("--measurement is required");
	if (!verify && !a->mnonce)
		return usage_fail("--mnonce is required");
	if (a->vcpus && a->nr_vmsa)
		return usage_fail("give --vmsa FILE... or --vcpus N, not both");
	if (!a->vcpus && (a->va.cpu_sig || a->va.reset_addr ||
			  a->va.no_cr4_mce))
		return usage_fail("--cpu-signature, --reset-addr and --no-cr4-mce go with --vcpus");
	return SEV_EXIT_OK;
}

/* A measurement given as hex (32 or 48 bytes) or base64; returns length */
static int parse_measurement(const char *s, u8 out[SEV_MEASURE_OUT_LEN])
{
	size_t len = strlen(s), i;
	bool hex = len == 64 || len == 96 ||
		   (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'));
	long n;

	for (i = hex && (s[1] == 'x' || s[1] == 'X') ? 2 : 0; hex && i < len;
	     i++)
		if (!isxdigit((unsigned char)s[i]))
			hex = false;
	if (hex)
		n = sev_hex_decode_any(s, out, SEV_MEASURE_OUT_LEN);
	else
		n = sev_b64_decode(s, len, out, SEV_MEASURE_OUT_LEN);
	if (n < 0)
		return usage_fail("--measurement: %s", sev_errmsg());
	if (n != SEV_MEASURE_LEN && n != SEV_MEASURE_OUT_LEN)
		return usage_fail("--measurement: %ld bytes, expected 32 or 48",
				  n);
	return -(int)n;
}

/* The built VMSAs of --vcpus: what hash_ranges appends after the files */
struct vcpu_plan {
	unsigned long vcpus;		/* 0: none */
	struct sev_vmsa_params p;
	bool have_reset;
	int ovmf;			/* range index of the OVMF image, or -1 */
};

static int plan_vcpus(const struct measure_args *a, struct vcpu_plan *v)
{
	int i, ret;

	memset(v, 0, sizeof(*v));
	v->ovmf = -1;
	if (!a->vcpus)
		return SEV_EXIT_OK;
	if (sev_parse_uint(a->vcpus, MAX_VCPUS, &v->vcpus) || !v->vcpus)
		return usage_fail("--vcpus: give 1 to %d", MAX_VCPUS);
	ret = parse_vmsa_args(&a->va, &v->p, &v->have_reset);
	if (ret)
		return ret;
	if (v->vcpus == 1 || v->have_reset)
		return SEV_EXIT_OK;
	if (a->nr_firmware != 1)
		return usage_fail("--vcpus %lu: give --reset-addr, or one --firmware (not %d)",
				  v->vcpus, a->nr_firmware);
	for (i = 0; i < a->nr_ranges; i++)
		if (a->kind[i] == 'f')
			v->ovmf = i;
	return SEV_EXIT_OK;
}

static int hash_vmsas(struct sev_ld *ctx, struct vcpu_plan *v)
{
	u8 page[SEV_VMSA_PAGE_LEN];
	unsigned long i;
	char hex[65];
	int ret;

	v->p.ap = false;
	ret = sev_vmsa_build(&v->p, page);
	if (!ret)
		ret = sev_ld_update(ctx, page, sizeof(page));
	if (ret)
		return lib_fail(ret, NULL);
	sha256_hex(page, sizeof(page), hex);
	printf("VMSA of vCPU 0 (BSP):  SHA-256 %s\n", hex);
	if (v->vcpus < 2)
		return SEV_EXIT_OK;
	v->p.ap = true;
	ret = sev_vmsa_build(&v->p, page);
	if (ret)
		return lib_fail(ret, NULL);
	for (i = 1; i < v->vcpus; i++) {
		ret = sev_ld_update(ctx, page, sizeof(page));
		if (ret)
			return lib_fail(ret, NULL);
	}
	sha256_hex(page, sizeof(page), hex);
	if (v->vcpus == 2)
		printf("VMSA of vCPU 1 (AP):   SHA-256 %s\n", hex);
	else
		printf("VMSA of vCPUs 1-%lu (APs): SHA-256 %s each\n",
		       v->vcpus - 1, hex);
	return SEV_EXIT_OK;
}

static int hash_ranges(const struct measure_args *a, struct vcpu_plan *v,
		       u8 ld[SEV_LD_LEN])
{
	struct sev_ld ctx;
	size_t len;
	u8 *buf;
	int i, ret;

	ret = sev_ld_init(&ctx);
	if (ret)
		return lib_fail(ret, NULL);
	for (i = 0; i < a->nr_ranges; i++) {
		ret = load_file(a->range[i], SEV_FILE_MAX, &buf, &len);
		if (ret)
			goto fail;
		if (a->kind[i] == 'v' && len != SEV_VMSA_LEN) {
			tool_err("%s: a VMSA has %d bytes, this file has %zu",
				 a->range[i], SEV_VMSA_LEN, len);
			free(buf);
			ret = SEV_EXIT_FAIL;
			goto fail;
		}
		if (i == v->ovmf) {
			ret = ovmf_reset_addr(a->range[i], buf, len,
					      &v->p.reset_addr);
			if (ret) {
				free(buf);
				goto fail;
			}
		}
		if (!len || len % 16)
			tool_err("warning: %s: %zu bytes, %s", a->range[i], len,
				 "the firmware only takes multiples of 16");
		ret = sev_ld_update(&ctx, buf, len);
		free(buf);
		if (ret) {
			ret = lib_fail(ret, NULL);
			goto fail;
		}
	}
	if (v->vcpus) {
		ret = hash_vmsas(&ctx, v);
		if (ret)
			goto fail;
	}
	ret = sev_ld_final(&ctx, ld);
	return ret ? lib_fail(ret, NULL) : SEV_EXIT_OK;
fail:
	sev_ld_free(&ctx);
	return ret;
}

static int measure_common(int argc, char **argv, bool verify)
{
	u8 given[SEV_MEASURE_OUT_LEN], expect[SEV_MEASURE_LEN];
	u8 out[SEV_MEASURE_OUT_LEN], mnonce[SEV_MNONCE_LEN];
	struct sev_measure_input in;
	struct measure_args a;
	struct vcpu_plan plan;
	char b64[128];
	unsigned long v;
	int ret, given_len = 0;

	ret = parse_measure_args(argc, argv, &a, verify);
	if (ret)
		return ret;
	memset(&in, 0, sizeof(in));
	if (sev_policy_parse(a.policy, true, &in.policy))
		return usage_fail("--policy: %s", sev_errmsg());
	ret = plan_vcpus(&a, &plan);
	if (ret)
		return ret;
	if ((a.nr_vmsa || plan.vcpus) && !(in.policy & SEV_POLICY_ES))
		tool_err("warning: VMSAs are measured only for SEV-ES guests, and policy %#x lacks the ES bit (0x4)",
			 in.policy);
	else if (!a.nr_vmsa && !plan.vcpus && (in.policy & SEV_POLICY_ES))
		tool_err("warning: policy %#x is SEV-ES, whose measurement covers one VMSA per vCPU: give --vcpus or --vmsa",
			 in.policy);
	if (sev_parse_uint(a.major, 255, &v))
		return usage_fail("--api-major: %s", sev_errmsg());
	in.api_major = (u8)v;
	if (sev_parse_uint(a.minor, 255, &v))
		return usage_fail("--api-minor: %s", sev_errmsg());
	in.api_minor = (u8)v;
	if (sev_parse_uint(a.build, 255, &v))
		return usage_fail("--build: %s", sev_errmsg());
	in.build = (u8)v;
	if (a.measurement) {
		ret = parse_measurement(a.measurement, given);
		if (ret > 0)
			return ret;
		given_len = -ret;
	}
	if (a.mnonce && sev_hex_decode(a.mnonce, mnonce, sizeof(mnonce)))
		return usage_fail("--mnonce: %s", sev_errmsg());
	if (given_len == SEV_MEASURE_OUT_LEN) {
		if (a.mnonce && memcmp(mnonce, given + SEV_MEASURE_LEN,
				       SEV_MNONCE_LEN))
			return usage_fail("--mnonce differs from the MNONCE inside --measurement");
		memcpy(mnonce, given + SEV_MEASURE_LEN, SEV_MNONCE_LEN);
	} else if (!a.mnonce) {
		return usage_fail("--mnonce is required with a 32-byte measurement");
	}
	memcpy(in.mnonce, mnonce, sizeof(mnonce));
	if (a.tik) {
		ret = load_exact(a.tik, in.tik, sizeof(in.tik));
		if (ret)
			return ret;
	}
	ret = hash_ranges(&a, &plan, in.ld);
	if (ret)
		return ret;
	ret = sev_measure(&in, expect);
	sev_wipe(in.tik, sizeof(in.tik));
	if (ret)
		return lib_fail(ret, NULL);
	print_hex_line("launch digest:        ", in.ld, sizeof(in.ld));
	print_hex_line("expected measurement: ", expect, sizeof(expect));
	memcpy(out, expect, SEV_MEASURE_LEN);
	memcpy(out + SEV_MEASURE_LEN, mnonce, SEV_MNONCE_LEN);
	sev_b64_encode(out, sizeof(out), b64);
	printf("as QEMU reports it:   %s\n", b64);
	if (!verify)
		return SEV_EXIT_OK;
	print_hex_line("given measurement:    ", given, SEV_MEASURE_LEN);
	if (!sev_mem_equal(given, expect, SEV_MEASURE_LEN)) {
		printf("measurement: MISMATCH\n");
		return SEV_EXIT_FAIL;
	}
	printf("measurement: matches\n");
	return SEV_EXIT_OK;
}

static int cmd_measure(int argc, char **argv)
{
	return measure_common(argc, argv, false);
}

static int cmd_verify_measurement(int argc, char **argv)
{
	return measure_common(argc, argv, true);
}

/* ---- vmsa ---- */

static int vmsa_decode(const char *path)
{
	char hex[65];
	size_t len;
	u8 *buf;
	int ret;

	ret = load_file(path, SEV_FILE_MAX, &buf, &len);
	if (ret)
		return ret;
	if (len != SEV_VMSA_PAGE_LEN) {
		tool_err("%s: a VMSA page has %d bytes, this file has %zu",
			 path, SEV_VMSA_PAGE_LEN, len);
		free(buf);
		return SEV_EXIT_FAIL;
	}
	sha256_hex(buf, len, hex);
	printf("VMSA %s\nSHA-256 %s\n", path, hex);
	ret = sev_vmsa_print(stdout, buf, len);
	free(buf);
	return ret ? lib_fail(ret, path) : SEV_EXIT_OK;
}

static int cmd_vmsa(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "cpu-signature", required_argument, NULL, 'c' },
		{ "vcpu", required_argument, NULL, 'n' },
		{ "reset-addr", required_argument, NULL, 'r' },
		{ "ovmf", required_argument, NULL, 'f' },
		{ "no-cr4-mce", no_argument, NULL, 'C' },
		{ "out", required_argument, NULL, 'o' },
		{ "decode", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 }
	};
	const char *vcpu_s = NULL, *ovmf_p = NULL, *out_p = NULL;
	const char *decode_p = NULL;
	unsigned int fam, model, step;
	struct sev_vmsa_params p;
	u8 page[SEV_VMSA_PAGE_LEN];
	struct vmsa_args va;
	unsigned long vcpu = 0;
	bool have_reset;
	char hex[65];
	size_t len;
	u8 *buf;
	int c, ret;

	memset(&va, 0, sizeof(va));
	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			va.cpu_sig = optarg;
			break;
		case 'n':
			vcpu_s = optarg;
			break;
		case 'r':
			va.reset_addr = optarg;
			break;
		case 'f':
			ovmf_p = optarg;
			break;
		case 'C':
			va.no_cr4_mce = true;
			break;
		case 'o':
			out_p = optarg;
			break;
		case 'd':
			decode_p = optarg;
			break;
		default:
			return usage_fail("vmsa: bad option");
		}
	}
	if (optind != argc)
		return usage_fail("vmsa: unexpected argument '%s'",
				  argv[optind]);
	if (decode_p) {
		if (va.cpu_sig || vcpu_s || va.reset_addr || ovmf_p ||
		    va.no_cr4_mce || out_p)
			return usage_fail("vmsa: --decode takes no other option");
		return vmsa_decode(decode_p);
	}
	if (!out_p)
		return usage_fail("vmsa: -o FILE is required");
	if (va.reset_addr && ovmf_p)
		return usage_fail("vmsa: give --reset-addr or --ovmf, not both");
	if (vcpu_s && sev_parse_uint(vcpu_s, MAX_VCPUS - 1, &vcpu))
		return usage_fail("vmsa: --vcpu: %s", sev_errmsg());
	ret = parse_vmsa_args(&va, &p, &have_reset);
	if (ret)
		return ret;
	if (ovmf_p) {
		ret = load_file(ovmf_p, SEV_FILE_MAX, &buf, &len);
		if (ret)
			return ret;
		ret = ovmf_reset_addr(ovmf_p, buf, len, &p.reset_addr);
		free(buf);
		if (ret)
			return ret;
		have_reset = true;
	}
	p.ap = vcpu > 0;
	if (p.ap && !have_reset)
		return usage_fail("vmsa: vCPU %lu is an AP: give --reset-addr or --ovmf",
				  vcpu);
	ret = sev_vmsa_build(&p, page);
	if (ret)
		return lib_fail(ret, "vmsa");
	ret = save_file(out_p, page, sizeof(page), false);
	if (ret)
		return ret;
	sev_cpu_sig_decode(p.cpu_sig, &fam, &model, &step);
	sha256_hex(page, sizeof(page), hex);
	printf("wrote the VMSA of vCPU %lu (%s) to %s\n", vcpu,
	       p.ap ? "AP" : "BSP", out_p);
	printf("  CPU signature 0x%08x (family %u model %u stepping %u) in RDX\n",
	       p.cpu_sig, fam, model, step);
	printf("  starts at CS.base 0x%08x RIP 0x%04x, CR4 0x%x\n",
	       p.ap ? p.reset_addr & 0xffff0000u : VMSA_RESET_CS_BASE,
	       p.ap ? p.reset_addr & 0xffffu : VMSA_RESET_RIP,
	       p.cr4_mce ? VMSA_CR4_MCE : 0);
	printf("  SHA-256 %s\n", hex);
	return SEV_EXIT_OK;
}

/* ---- secret ---- */

static int cmd_secret(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "tek", required_argument, NULL, 'e' },
		{ "tik", required_argument, NULL, 'i' },
		{ "measurement", required_argument, NULL, 'm' },
		{ "secret", required_argument, NULL, 's' },
		{ "out-header", required_argument, NULL, 'h' },
		{ "out-data", required_argument, NULL, 'd' },
		{ "base64", no_argument, NULL, 'b' },
		{ NULL, 0, NULL, 0 }
	};
	const char *tek_p = NULL, *tik_p = NULL, *meas_s = NULL;
	const char *secret_p = NULL, *hdr_p = NULL, *data_p = NULL;
	u8 tek[SEV_KEY_LEN], tik[SEV_KEY_LEN], iv[SEV_AES_IV_LEN];
	u8 meas[SEV_MEASURE_OUT_LEN], hdr_raw[SEV_SECRET_HDR_SIZE];
	u8 *secret = NULL, *plain = NULL, *ct = NULL;
	struct sev_secret_hdr hdr;
	size_t len, padded;
	bool b64 = false;
	int c, ret;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'e':
			tek_p = optarg;
			break;
		case 'i':
			tik_p = optarg;
			break;
		case 'm':
			meas_s = optarg;
			break;
		case 's':
			secret_p = optarg;
			break;
		case 'h':
			hdr_p = optarg;
			break;
		case 'd':
			data_p = optarg;
			break;
		case 'b':
			b64 = true;
			break;
		default:
			return usage_fail("secret: bad option");
		}
	}
	if (optind != argc || !tek_p || !tik_p || !meas_s || !secret_p ||
	    !hdr_p || !data_p)
		return usage_fail("secret: %s are required",
				  "--tek, --tik, --measurement, --secret, --out-header and --out-data");
	ret = parse_measurement(meas_s, meas);
	if (ret > 0)
		return ret;
	ret = load_exact(tek_p, tek, sizeof(tek));
	if (!ret)
		ret = load_exact(tik_p, tik, sizeof(tik));
	if (!ret)
		ret = load_file(secret_p, SEV_SECRET_MAX, &secret, &len);
	if (ret)
		goto out;
	if (!len) {
		ret = usage_fail("secret: %s is empty", secret_p);
		goto out;
	}
	/* the firmware takes whole 16-byte blocks: pad with zeros */
	padded = (len + SEV_SECRET_ALIGN - 1) / SEV_SECRET_ALIGN *
		 SEV_SECRET_ALIGN;
	if (padded > SEV_SECRET_MAX) {
		ret = usage_fail("secret: at most %d bytes", SEV_SECRET_MAX);
		goto out;
	}
	plain = calloc(1, padded);
	ct = calloc(1, padded);
	if (!plain || !ct) {
		tool_err("out of memory");
		ret = SEV_EXIT_IO;
		goto out;
	}
	memcpy(plain, secret, len);
	ret = sev_random(iv, sizeof(iv));
	if (!ret)
		ret = sev_secret_build(tek, tik, meas, iv, plain, padded, &hdr,
				       ct);
	if (ret) {
		ret = lib_fail(ret, "secret");
		goto out;
	}
	sev_secret_hdr_encode(&hdr, hdr_raw);
	if (b64) {
		ret = save_b64(hdr_p, hdr_raw, sizeof(hdr_raw), false);
		if (!ret)
			ret = save_b64(data_p, ct, padded, false);
	} else {
		ret = save_file(hdr_p, hdr_raw, sizeof(hdr_raw), false);
		if (!ret)
			ret = save_file(data_p, ct, padded, false);
	}
	if (!ret)
		printf("wrote a %zu-byte secret packet (%zu bytes of secret)\n",
		       padded, len);
out:
	sev_wipe(tek, sizeof(tek));
	sev_wipe(tik, sizeof(tik));
	if (secret)
		sev_wipe(secret, len);
	if (plain)
		sev_wipe(plain, padded);
	free(secret);
	free(plain);
	free(ct);
	return ret;
}

/* ---- oca-gen, sign-pek ---- */

static int cmd_oca_gen(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "key-out", required_argument, NULL, 'k' },
		{ "cert-out", required_argument, NULL, 'c' },
		{ "api-major", required_argument, NULL, 'M' },
		{ "api-minor", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 }
	};
	const char *key_p = NULL, *cert_p = NULL;
	unsigned long major = 0, minor = 0;
	struct sev_cert oca;
	EVP_PKEY *key = NULL;
	int c, ret;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'k':
			key_p = optarg;
			break;
		case 'c':
			cert_p = optarg;
			break;
		case 'M':
			if (sev_parse_uint(optarg, 255, &major))
				return usage_fail("--api-major: %s",
						  sev_errmsg());
			break;
		case 'm':
			if (sev_parse_uint(optarg, 255, &minor))
				return usage_fail("--api-minor: %s",
						  sev_errmsg());
			break;
		default:
			return usage_fail("oca-gen: bad option");
		}
	}
	if (optind != argc || !key_p || !cert_p)
		return usage_fail("oca-gen: --key-out and --cert-out are required");
	ret = sev_ec_generate(&key);
	if (!ret)
		ret = sev_cert_init(&oca, (u8)major, (u8)minor, SEV_USAGE_OCA,
				    SEV_ALGO_ECDSA_SHA256, key);
	if (!ret)
		ret = sev_cert_sign(&oca, 0, &oca, key);
	if (!ret)
		ret = sev_key_save_pem(key_p, key);
	EVP_PKEY_free(key);
	if (ret)
		return lib_fail(ret, "oca-gen");
	ret = save_file(cert_p, oca.raw, SEV_CERT_SIZE, false);
	if (!ret)
		printf("wrote the OCA key to %s and its certificate to %s\n",
		       key_p, cert_p);
	return ret;
}

static int cmd_sign_pek(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "csr", required_argument, NULL, 'c' },
		{ "oca-key", required_argument, NULL, 'k' },
		{ "oca", required_argument, NULL, 'o' },
		{ "out", required_argument, NULL, 'O' },
		{ NULL, 0, NULL, 0 }
	};
	const char *csr_p = NULL, *key_p = NULL, *oca_p = NULL, *out_p = NULL;
	struct sev_cert pek, oca;
	EVP_PKEY *key = NULL;
	int c, ret, slot;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			csr_p = optarg;
			break;
		case 'k':
			key_p = optarg;
			break;
		case 'o':
			oca_p = optarg;
			break;
		case 'O':
			out_p = optarg;
			break;
		default:
			return usage_fail("sign-pek: bad option");
		}
	}
	if (optind != argc || !csr_p || !key_p || !oca_p || !out_p)
		return usage_fail("sign-pek: --csr, --oca-key, --oca and --out are required");
	ret = load_sev_cert(csr_p, SEV_USAGE_PEK, &pek);
	if (!ret)
		ret = load_sev_cert(oca_p, SEV_USAGE_OCA, &oca);
	if (ret)
		return ret;
	if (sev_cert_verify(&oca, &oca)) {
		tool_err("%s: the OCA is not self-signed: %s", oca_p, sev_errmsg());
		return SEV_EXIT_FAIL;
	}
	slot = pek.sig[0].usage == SEV_USAGE_INVALID ? 0 :
	       pek.sig[1].usage == SEV_USAGE_INVALID ? 1 : -1;
	if (slot < 0) {
		tool_err("%s: the PEK has no empty signature slot", csr_p);
		return SEV_EXIT_FAIL;
	}
	ret = sev_key_load_pem(key_p, &key);
	if (!ret)
		ret = sev_cert_sign(&pek, slot, &oca, key);
	EVP_PKEY_free(key);
	if (ret)
		return lib_fail(ret, "sign-pek");
	ret = save_file(out_p, pek.raw, SEV_CERT_SIZE, false);
	if (!ret)
		printf("wrote the OCA-signed PEK to %s\n", out_p);
	return ret;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int argc, char **argv);
	} cmds[] = {
		{ "verify", cmd_verify },
		{ "show", cmd_show },
		{ "policy", cmd_policy },
		{ "session", cmd_session },
		{ "measure", cmd_measure },
		{ "verify-measurement", cmd_verify_measurement },
		{ "vmsa", cmd_vmsa },
		{ "secret", cmd_secret },
		{ "oca-gen", cmd_oca_gen },
		{ "sign-pek", cmd_sign_pek },
	};
	size_t i;
	int c;

	if (argc < 2)
		return usage_fail("no command given");
	for (c = 1; c < argc; c++) {
		if (!strcmp(argv[c], "--help") || !strcmp(argv[c], "-h")) {
			fputs(usage_text, stdout);
			return SEV_EXIT_OK;
		}
	}
	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	return usage_fail("unknown command '%s'", argv[1]);
}
