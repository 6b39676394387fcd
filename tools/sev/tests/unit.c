// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of libsevtools: known-answer vectors (SEV API KDF, policy MAC,
 * session wrapping, measurement, AES-CTR, base64), status names, and the
 * certificate and session parsers fed good, truncated, oversized and
 * bit-flipped input; the SEV-ES pieces in unit-es.c. Usage: unit
 * TESTROOTS_DIR (TAP on stdout); OVMF_DIR (default /usr/share/OVMF) holds
 * Debian's OVMF images.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/psp-sev.h>

#include "amdcert.h"
#include "b64.h"
#include "chain.h"
#include "measure.h"
#include "policy.h"
#include "secret.h"
#include "session.h"
#include "sevcert.h"
#include "sevkdf.h"
#include "sevkey.h"
#include "status.h"
#include "tap.h"
#include "unit-es.h"
#include "util.h"

static const char *roots;

static bool err_has(const char *needle)
{
	if (strstr(sev_errmsg(), needle))
		return true;
	tap_diag("error message was: %s", sev_errmsg());
	return false;
}

static void test_b64(void)
{
	static const char * const plain[] = {
		"", "f", "fo", "foo", "foob", "fooba", "foobar"
	};
	static const char * const enc[] = {
		"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"
	};
	static const char * const bad[] = {
		"Zg=", "Z===", "Zm9v!", "Zg==Zg==", "Zh==", "Z"
	};
	char out[16];
	u8 dec[16];
	size_t i;
	long n;

	for (i = 0; i < ARRAY_SIZE(plain); i++) {
		sev_b64_encode((const u8 *)plain[i], strlen(plain[i]), out);
		tap_ok(!strcmp(out, enc[i]), "base64 encode \"%s\" (RFC 4648)",
		       plain[i]);
		n = sev_b64_decode(enc[i], strlen(enc[i]), dec, sizeof(dec));
		tap_ok(n == (long)strlen(plain[i]) &&
		       !memcmp(dec, plain[i], (size_t)n),
		       "base64 decode \"%s\" (RFC 4648)", enc[i]);
	}
	n = sev_b64_decode("Zm9v\nYmFy\n", 10, dec, sizeof(dec));
	tap_ok(n == 6 && !memcmp(dec, "foobar", 6),
	       "base64 decode skips line breaks");
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		tap_ok(sev_b64_decode(bad[i], strlen(bad[i]), dec,
				      sizeof(dec)) == SEV_ERR_FORMAT,
		       "base64 rejects \"%s\"", bad[i]);
	tap_ok(sev_b64_decode("Zm9vYmFy", 8, dec, 5) == SEV_ERR_FORMAT,
	       "base64 decode respects the output limit");
}

static void test_status(void)
{
	char buf[64];

	/* names checked against the uapi enum values */
	tap_ok(sev_status_from_name("INVALID_PLATFORM_STATE") ==
	       SEV_RET_INVALID_PLATFORM_STATE &&
	       sev_status_from_name("INVALID_LENGTH") == SEV_RET_INVALID_LEN &&
	       sev_status_from_name("BAD_SIGNATURE") == SEV_RET_BAD_SIGNATURE &&
	       sev_status_from_name("BAD_MEASUREMENT") ==
	       SEV_RET_BAD_MEASUREMENT &&
	       sev_status_from_name("DFFLUSH_REQUIRED") ==
	       SEV_RET_DFFLUSH_REQUIRED &&
	       sev_status_from_name("INVALID_CONFIG") ==
	       SEV_RET_INAVLID_CONFIG &&
	       sev_status_from_name("SECURE_DATA_INVALID") ==
	       SEV_RET_SECURE_DATA_INVALID,
	       "status names match the uapi sev_ret_code values");
	tap_ok(!strcmp(sev_status_str(1, buf, sizeof(buf)),
		       "INVALID_PLATFORM_STATE (0x1)"),
	       "status 1 prints as INVALID_PLATFORM_STATE (0x1)");
	tap_ok(!strcmp(sev_status_str(0x27, buf, sizeof(buf)),
		       "INVALID_KEY (0x27)"),
	       "status 0x27 prints as INVALID_KEY (0x27)");
	tap_ok(!strcmp(sev_status_str(0x1e, buf, sizeof(buf)),
		       "UNKNOWN (0x1e)") &&
	       !strcmp(sev_status_str(0x8004, buf, sizeof(buf)),
		       "UNKNOWN (0x8004)"),
	       "unknown status codes print as UNKNOWN");
	tap_ok(sev_status_from_name("no-such-status") == -1,
	       "unknown status name is rejected");
}

static void test_policy(void)
{
	char buf[128];
	u32 p;

	tap_ok(!sev_policy_parse("0x37", false, &p) && p == 0x37 &&
	       !strcmp(sev_policy_flags(p, buf, sizeof(buf)),
		       "NODBG|NOKS|ES|DOMAIN|SEV"),
	       "policy 0x37 decodes to NODBG|NOKS|ES|DOMAIN|SEV");
	tap_ok(!strcmp(sev_policy_flags(0, buf, sizeof(buf)), "none"),
	       "policy 0 has no flags");
	tap_ok(sev_policy_parse("0x40", false, &p) == SEV_ERR_ARG &&
	       !sev_policy_parse("0x40", true, &p),
	       "reserved policy bit 6 is rejected unless allowed");
	tap_ok(!sev_policy_parse("0x0c100001", false, &p) &&
	       sev_policy_api_major(p) == 0x10 &&
	       sev_policy_api_minor(p) == 0x0c,
	       "policy API major is bits 16-23, minor bits 24-31");
	tap_ok(sev_policy_parse("0x100000000", true, &p) == SEV_ERR_ARG &&
	       sev_policy_parse("-1", true, &p) == SEV_ERR_ARG &&
	       sev_policy_parse("12abc", true, &p) == SEV_ERR_ARG,
	       "out-of-range and malformed policies are rejected");
}

static void test_kdf_vectors(void)
{
	static const u8 zero[48];
	u8 out[32], tek[16], tik[16];
	struct sev_session s;
	struct sev_buf msg = { zero, 4 };
	/* NIST SP 800-38A F.5.1 CTR-AES128.Encrypt, first block */
	u8 key[16], iv[16], pt[16], ct[16];

	sev_kdf(zero, 16, "sev-master-secret", zero, 16, out, 16);
	tap_hex(out, 16, "ab4d269fcc62bedb4511d56c386ce706",
		"KDF(0^16, sev-master-secret, 0^16) known answer");
	sev_hmac_sha256(zero, 16, &msg, 1, out);
	tap_hex(out, 32,
		"aa7855e13839dd767cd5da7c1ff5036540c9264b7a803029315e55375287b4af",
		"POLICY_MAC for policy 0, TIK 0^16 known answer");

	sev_session_build(zero, 16, zero, zero, zero, zero, 0, &s);
	tap_hex(s.wrap_tk, 32,
		"2137bc7f9bb8bd7c3e55a576a15d3454b3856b8ba27afadf46dcfee9f02c02c4",
		"WRAP_TK with Z=0^16 known answer");
	tap_hex(s.wrap_mac, 32,
		"3176c0752738bd9d5e86689534020f528c088f16238826b000b327dee6aeed7d",
		"WRAP_MAC with Z=0^16 known answer");
	tap_hex(s.policy_mac, 32,
		"aa7855e13839dd767cd5da7c1ff5036540c9264b7a803029315e55375287b4af",
		"session POLICY_MAC known answer");
	memset(tek, 0xaa, sizeof(tek));
	memset(tik, 0xaa, sizeof(tik));
	tap_ok(!sev_session_unwrap(&s, zero, 16, 0, tek, tik) &&
	       sev_is_zero(tek, 16) && sev_is_zero(tik, 16),
	       "session unwraps to the zero TEK and TIK");
	tap_ok(sev_session_unwrap(&s, zero, 16, 1, tek, tik) ==
	       SEV_ERR_VERIFY && err_has("POLICY_MAC"),
	       "session unwrap with another policy fails on POLICY_MAC");
	s.wrap_mac[31] ^= 1;
	tap_ok(sev_session_unwrap(&s, zero, 16, 0, tek, tik) ==
	       SEV_ERR_VERIFY && err_has("WRAP_MAC"),
	       "session unwrap with a flipped WRAP_MAC bit fails");
	s.wrap_mac[31] ^= 1;
	s.wrap_tk[0] ^= 0x80;
	tap_ok(sev_session_unwrap(&s, zero, 16, 0, tek, tik) ==
	       SEV_ERR_VERIFY,
	       "session unwrap with a flipped WRAP_TK bit fails");
	tap_ok(sev_session_unwrap(&s, zero, 48, 0, tek, tik) ==
	       SEV_ERR_VERIFY,
	       "session unwrap with another shared secret fails");

	sev_hex_decode("2b7e151628aed2a6abf7158809cf4f3c", key, 16);
	sev_hex_decode("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff", iv, 16);
	sev_hex_decode("6bc1bee22e409f96e93d7e117393172a", pt, 16);
	sev_aes128_ctr(key, iv, pt, ct, 16);
	tap_hex(ct, 16, "874d6191b620e3261bef6864990db6ce",
		"AES-128-CTR NIST SP 800-38A F.5.1 block 1");
}

static void test_measure(void)
{
	struct sev_measure_input in;
	struct sev_ld ld;
	u8 out[32];

	memset(&in, 0, sizeof(in));
	sev_hex_decode("66320db73158a35a255d051758e95ed4", in.tik, 16);
	sev_hex_decode("4fbe0bedbad6c86ae8f68971d103e554", in.mnonce, 16);
	in.api_major = 0;
	in.api_minor = 0x12;
	in.build = 0x0f;
	in.policy = 0;
	sev_ld_init(&ld);
	sev_ld_final(&ld, in.ld);
	tap_hex(in.ld, 32,
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
		"launch digest of nothing is SHA-256(\"\")");
	sev_measure(&in, out);
	tap_hex(out, 32,
		"6faab2daae389bcd3405a05d6cafe33c0414f7bedd0bae19ba5f38b7fd1664ea",
		"measurement known answer (API 0.18, build 15, policy 0)");
	in.policy = 1;
	sev_measure(&in, out);
	tap_ok(memcmp(out, "\x6f\xaa\xb2\xda", 4) != 0,
	       "measurement depends on the policy");
}

static void test_secret(void)
{
	u8 tek[16], tik[16], meas[32], iv[16], pt[64], ct[64], back[64];
	struct sev_secret_hdr hdr, hdr2;
	u8 raw[SEV_SECRET_HDR_SIZE];

	memset(tek, 1, 16);
	memset(tik, 2, 16);
	memset(meas, 3, 32);
	memset(iv, 4, 16);
	memset(pt, 'S', sizeof(pt));
	tap_ok(!sev_secret_build(tek, tik, meas, iv, pt, 64, &hdr, ct) &&
	       !sev_secret_open(tek, tik, meas, &hdr, ct, 64, back) &&
	       !memcmp(back, pt, 64),
	       "secret packet opens to the plaintext");
	sev_secret_hdr_encode(&hdr, raw);
	tap_ok(!sev_secret_hdr_parse(&hdr2, raw, sizeof(raw)) &&
	       !memcmp(&hdr, &hdr2, sizeof(hdr)),
	       "secret header encodes and parses back");
	tap_ok(sev_secret_hdr_parse(&hdr2, raw, 0x33) == SEV_ERR_FORMAT &&
	       err_has("truncated"),
	       "truncated secret header is rejected");
	ct[5] ^= 1;
	tap_ok(sev_secret_open(tek, tik, meas, &hdr, ct, 64, back) ==
	       SEV_ERR_VERIFY, "secret with a flipped ciphertext bit fails");
	ct[5] ^= 1;
	meas[0] ^= 1;
	tap_ok(sev_secret_open(tek, tik, meas, &hdr, ct, 64, back) ==
	       SEV_ERR_VERIFY, "secret bound to another measurement fails");
	tap_ok(sev_secret_build(tek, tik, meas, iv, pt, 15, &hdr, ct) ==
	       SEV_ERR_ARG &&
	       sev_secret_build(tek, tik, meas, iv, pt, 0, &hdr, ct) ==
	       SEV_ERR_ARG &&
	       sev_secret_build(tek, tik, meas, iv, pt, 0x5010, &hdr, ct) ==
	       SEV_ERR_ARG,
	       "secret lengths 0, 15 and 0x5010 are rejected");
}

static u8 *load(const char *name, size_t *len)
{
	char path[4096];
	u8 *buf = NULL;

	snprintf(path, sizeof(path), "%s/%s", roots, name);
	if (sev_read_file(path, 1 << 20, &buf, len)) {
		tap_diag("cannot read %s: %s", path, sev_errmsg());
		return NULL;
	}
	return buf;
}

struct roots {
	struct amd_cert ark, ask;
	struct sev_cert cek;
	EVP_PKEY *cek_key;
	u8 *ark_raw, *ask_raw, *cek_raw;
	size_t ark_len, ask_len, cek_len;
};

static bool test_amd_certs(struct roots *r)
{
	struct amd_cert a, b;
	size_t len;
	u8 *buf, *copy;
	bool ok;

	r->ark_raw = load("ark.cert", &r->ark_len);
	r->ask_raw = load("ask.cert", &r->ask_len);
	buf = load("ask_ark.cert", &len);
	if (!tap_ok(r->ark_raw && r->ask_raw && buf,
		    "test roots readable in %s", roots)) {
		free(buf);
		return false;
	}
	ok = !amd_cert_parse(&r->ark, r->ark_raw, r->ark_len, NULL) &&
	     !amd_cert_parse(&r->ask, r->ask_raw, r->ask_len, NULL);
	tap_ok(ok && r->ark.usage == AMD_USAGE_ARK &&
	       r->ask.usage == AMD_USAGE_ASK && r->ark.size == 0x640,
	       "ARK and ASK parse (4096-bit, usages 0x0 and 0x13)");
	tap_ok(!amd_cert_parse_ask_ark(&a, &b, buf, len) &&
	       a.size == r->ask.size && !memcmp(a.raw, r->ask.raw, a.size) &&
	       !memcmp(b.raw, r->ark.raw, b.size),
	       "ask_ark.cert splits into the ASK and the ARK");
	tap_ok(amd_cert_parse_ask_ark(&a, &b, r->ark_raw, r->ark_len) ==
	       SEV_ERR_FORMAT, "a lone ARK is not an ask_ark pair");
	free(buf);
	if (!ok)
		return false;

	tap_ok(!amd_cert_verify(&r->ark, &r->ark), "ARK is self-signed");
	tap_ok(!amd_cert_verify(&r->ask, &r->ark), "ARK signs the ASK");
	tap_ok(amd_cert_verify(&r->ark, &r->ask) == SEV_ERR_VERIFY,
	       "ASK does not sign the ARK");
	tap_ok(amd_cert_verify(&r->ask, &r->ask) == SEV_ERR_VERIFY,
	       "ASK is not self-signed");

	tap_ok(amd_cert_parse(&a, r->ask_raw, r->ask_len - 1, NULL) ==
	       SEV_ERR_FORMAT && err_has("truncated AMD certificate"),
	       "truncated ASK is rejected as truncated");
	tap_ok(amd_cert_parse(&a, r->ask_raw, 0x20, NULL) ==
	       SEV_ERR_FORMAT && err_has("truncated AMD certificate"),
	       "ASK cut inside the header is rejected as truncated");
	copy = calloc(1, r->ask_len + 1);
	memcpy(copy, r->ask_raw, r->ask_len);
	tap_ok(amd_cert_parse(&a, copy, r->ask_len + 1, NULL) ==
	       SEV_ERR_FORMAT && err_has("oversized AMD certificate"),
	       "oversized ASK is rejected as oversized");
	copy[0x24] = 0x14;
	tap_ok(amd_cert_parse(&a, copy, r->ask_len, NULL) ==
	       SEV_ERR_FORMAT && err_has("wrong key usage"),
	       "ASK with usage 0x14 is rejected as wrong key usage");
	copy[0x24] = 0x13;
	copy[0x3c] = 0x01;
	tap_ok(amd_cert_parse(&a, copy, r->ask_len, NULL) ==
	       SEV_ERR_FORMAT, "ASK with a bad modulus size is rejected");
	copy[0x3c] = r->ask_raw[0x3c];
	copy[0x100] ^= 0x01;
	tap_ok(!amd_cert_parse(&a, copy, r->ask_len, NULL) &&
	       amd_cert_verify(&a, &r->ark) == SEV_ERR_VERIFY &&
	       err_has("bad signature"),
	       "ASK with a flipped exponent bit fails: bad signature");
	copy[0x100] ^= 0x01;
	copy[r->ask_len - 7] ^= 0x40;
	tap_ok(!amd_cert_parse(&a, copy, r->ask_len, NULL) &&
	       amd_cert_verify(&a, &r->ark) == SEV_ERR_VERIFY &&
	       err_has("bad signature"),
	       "ASK with a flipped signature bit fails: bad signature");
	copy[r->ask_len - 7] ^= 0x40;
	copy[0x14] ^= 1;
	tap_ok(!amd_cert_parse(&a, copy, r->ask_len, NULL) &&
	       amd_cert_verify(&a, &r->ark) == SEV_ERR_VERIFY &&
	       err_has("certifying id"),
	       "ASK with a wrong certifying id fails");
	free(copy);
	return true;
}

static bool test_cek(struct roots *r)
{
	struct sev_cert c;
	u8 copy[SEV_CERT_SIZE + 1];
	char path[4096];

	r->cek_raw = load("cek.cert", &r->cek_len);
	if (!tap_ok(r->cek_raw && r->cek_len == SEV_CERT_SIZE,
		    "cek.cert readable, %d bytes", SEV_CERT_SIZE))
		return false;
	tap_ok(!sev_cert_parse(&r->cek, r->cek_raw, r->cek_len) &&
	       r->cek.usage == SEV_USAGE_CEK &&
	       r->cek.algo == SEV_ALGO_ECDSA_SHA256 &&
	       r->cek.sig[0].usage == SEV_USAGE_ASK &&
	       r->cek.sig[0].algo == SEV_ALGO_RSA_SHA384,
	       "CEK parses: usage 0x1004, ECDSA-SHA256, signed by ASK RSA-SHA384");
	tap_ok(!sev_cert_verify_ask(&r->cek, &r->ask),
	       "ASK signs the CEK (RSA-PSS SHA-384)");
	tap_ok(sev_cert_verify_ask(&r->cek, &r->ark) == SEV_ERR_VERIFY,
	       "the ARK is not accepted as the CEK's signer");
	snprintf(path, sizeof(path), "%s/cek.pem", roots);
	tap_ok(!sev_key_load_pem(path, &r->cek_key),
	       "cek.pem loads as a P-384 key");

	memcpy(copy, r->cek_raw, SEV_CERT_SIZE);
	copy[SEV_CERT_SIZE] = 0;
	tap_ok(sev_cert_parse(&c, copy, SEV_CERT_SIZE - 1) ==
	       SEV_ERR_FORMAT && err_has("truncated certificate"),
	       "CEK cut by one byte: truncated certificate");
	tap_ok(sev_cert_parse(&c, copy, 0) == SEV_ERR_FORMAT &&
	       err_has("truncated certificate"),
	       "empty certificate: truncated certificate");
	tap_ok(sev_cert_parse(&c, copy, SEV_CERT_SIZE + 1) ==
	       SEV_ERR_FORMAT && err_has("oversized certificate"),
	       "CEK with one extra byte: oversized certificate");
	copy[0x8] = 0x05;	/* usage 0x1005 */
	tap_ok(sev_cert_parse(&c, copy, SEV_CERT_SIZE) == SEV_ERR_FORMAT &&
	       err_has("wrong key usage"),
	       "CEK with usage 0x1005: wrong key usage");
	copy[0x8] = 0x03;	/* usage PDH with an ECDSA key */
	tap_ok(sev_cert_parse(&c, copy, SEV_CERT_SIZE) == SEV_ERR_FORMAT &&
	       err_has("wrong key algorithm"),
	       "CEK relabelled PDH with an ECDSA key: wrong key algorithm");
	copy[0x8] = r->cek_raw[0x8];
	copy[0x0] = 2;
	tap_ok(sev_cert_parse(&c, copy, SEV_CERT_SIZE) == SEV_ERR_FORMAT &&
	       err_has("version"), "CEK with version 2 is rejected");
	copy[0x0] = 1;
	copy[0x10] = 1;
	tap_ok(sev_cert_parse(&c, copy, SEV_CERT_SIZE) == SEV_ERR_FORMAT &&
	       err_has("curve"), "CEK with curve 1 is rejected");
	copy[0x10] = 2;
	copy[0x14] ^= 1;
	tap_ok(sev_cert_parse(&c, copy, SEV_CERT_SIZE) == SEV_ERR_FORMAT &&
	       err_has("P-384"), "CEK with a flipped Qx bit: not on the curve");
	copy[0x14] ^= 1;
	copy[0x14 + 50] = 1;
	tap_ok(sev_cert_parse(&c, copy, SEV_CERT_SIZE) == SEV_ERR_FORMAT &&
	       err_has("wider"), "CEK with a non-zero Qx pad is rejected");
	copy[0x14 + 50] = 0;
	copy[0x5] ^= 1;		/* API minor: inside the signed body */
	tap_ok(!sev_cert_parse(&c, copy, SEV_CERT_SIZE) &&
	       sev_cert_verify_ask(&c, &r->ask) == SEV_ERR_VERIFY &&
	       err_has("bad signature"),
	       "CEK with a flipped API bit: bad signature");
	copy[0x5] ^= 1;
	copy[0x41c + 100] ^= 0x10;
	tap_ok(!sev_cert_parse(&c, copy, SEV_CERT_SIZE) &&
	       sev_cert_verify_ask(&c, &r->ask) == SEV_ERR_VERIFY &&
	       err_has("bad signature"),
	       "CEK with a flipped signature bit: bad signature");
	copy[0x41c + 100] ^= 0x10;
	copy[0x414] = 0x00;	/* slot 1: usage 0x1000 with algo RSA */
	copy[0x415] = 0x10;
	tap_ok(sev_cert_parse(&c, copy, SEV_CERT_SIZE) == SEV_ERR_FORMAT &&
	       err_has("malformed signature slot"),
	       "slot with usage none but an algorithm is malformed");
	copy[0x414] = 0x03;	/* slot 1 claims the PDH signed it */
	tap_ok(sev_cert_parse(&c, copy, SEV_CERT_SIZE) == SEV_ERR_FORMAT &&
	       err_has("wrong key usage"),
	       "slot signed by a PDH: wrong key usage");
	copy[0x414] = 0x13;
	copy[0x415] = 0x00;
	copy[0x418] = 0x02;	/* ASK slot with algo ECDSA: no match */
	tap_ok(!sev_cert_parse(&c, copy, SEV_CERT_SIZE) &&
	       sev_cert_verify_ask(&c, &r->ask) == SEV_ERR_VERIFY &&
	       err_has("no signature slot"),
	       "ASK slot with an ECDSA algorithm does not count");
	return true;
}

/* A platform built on the test CEK: OCA, PEK (OCA + CEK), PDH (PEK) */
struct platform {
	EVP_PKEY *oca_key, *pek_key, *pdh_key;
	struct sev_cert oca, pek, pdh, chain_cek;
};

static int make_platform(struct roots *r, struct platform *p)
{
	int ret;

	memset(p, 0, sizeof(*p));
	ret = sev_ec_generate(&p->oca_key);
	ret = ret ?: sev_ec_generate(&p->pek_key);
	ret = ret ?: sev_ec_generate(&p->pdh_key);
	ret = ret ?: sev_cert_init(&p->oca, 0, 24, SEV_USAGE_OCA,
				   SEV_ALGO_ECDSA_SHA256, p->oca_key);
	ret = ret ?: sev_cert_sign(&p->oca, 0, &p->oca, p->oca_key);
	ret = ret ?: sev_cert_init(&p->pek, 0, 24, SEV_USAGE_PEK,
				   SEV_ALGO_ECDSA_SHA256, p->pek_key);
	ret = ret ?: sev_cert_sign(&p->pek, 0, &p->oca, p->oca_key);
	ret = ret ?: sev_cert_sign(&p->pek, 1, &r->cek, r->cek_key);
	ret = ret ?: sev_cert_init(&p->pdh, 0, 24, SEV_USAGE_PDH,
				   SEV_ALGO_ECDH_SHA256, p->pdh_key);
	ret = ret ?: sev_cert_sign(&p->pdh, 0, &p->pek, p->pek_key);
	/* the exported CEK: the same body, both slots empty */
	ret = ret ?: sev_cert_init(&p->chain_cek, 0, 24, SEV_USAGE_CEK,
				   SEV_ALGO_ECDSA_SHA256, r->cek_key);
	return ret;
}

static void free_platform(struct platform *p)
{
	EVP_PKEY_free(p->oca_key);
	EVP_PKEY_free(p->pek_key);
	EVP_PKEY_free(p->pdh_key);
}

static int links_failed;

static void count_link(void *arg, const char *link, int result,
		       const char *why)
{
	(void)arg;
	if (result) {
		links_failed++;
		tap_diag("link %s failed: %s", link, why);
	}
}

static void test_chain(struct roots *r)
{
	struct sev_cert pek, oca, cek, bad;
	struct platform p, q;
	struct sev_platform_certs pc;
	u8 chain[SEV_CHAIN_SIZE];

	if (!tap_ok(!make_platform(r, &p), "build a test platform (%s)",
		    sev_errmsg()))
		return;
	memcpy(chain, p.pek.raw, SEV_CERT_SIZE);
	memcpy(chain + SEV_CERT_SIZE, p.oca.raw, SEV_CERT_SIZE);
	memcpy(chain + 2 * SEV_CERT_SIZE, p.chain_cek.raw, SEV_CERT_SIZE);
	tap_ok(!sev_chain_parse(chain, sizeof(chain), &pek, &oca, &cek),
	       "PEK || OCA || CEK chain parses");
	tap_ok(sev_chain_parse(chain, sizeof(chain) - 1, &pek, &oca, &cek) ==
	       SEV_ERR_FORMAT && err_has("truncated certificate chain"),
	       "chain cut by one byte: truncated");
	memcpy(chain, p.pdh.raw, SEV_CERT_SIZE);
	tap_ok(sev_chain_parse(chain, sizeof(chain), &pek, &oca, &cek) ==
	       SEV_ERR_FORMAT && err_has("wrong key usage"),
	       "chain with the PDH in the PEK place: wrong key usage");
	memcpy(chain, p.pek.raw, SEV_CERT_SIZE);
	sev_chain_parse(chain, sizeof(chain), &pek, &oca, &cek);

	memset(&pc, 0, sizeof(pc));
	pc.ark = &r->ark;
	pc.ask = &r->ask;
	pc.cek = &r->cek;
	pc.pek = &pek;
	pc.oca = &oca;
	pc.chain_cek = &cek;
	pc.pdh = &p.pdh;
	pc.owner_oca = &p.oca;
	links_failed = 0;
	tap_ok(!sev_chain_verify(&pc, count_link, NULL) && !links_failed,
	       "full chain ARK -> ASK -> CEK -> PEK -> PDH, OCA -> PEK verifies");

	/* another platform: its PDH, PEK, OCA must not fit this one */
	if (!tap_ok(!make_platform(r, &q), "build a second test platform"))
		goto out;
	links_failed = 0;
	pc.pdh = &q.pdh;
	tap_ok(sev_chain_verify(&pc, count_link, NULL) == SEV_ERR_VERIFY &&
	       links_failed == 1, "a foreign PDH fails exactly one link");
	pc.pdh = &p.pdh;
	links_failed = 0;
	pc.owner_oca = &q.oca;
	tap_ok(sev_chain_verify(&pc, count_link, NULL) == SEV_ERR_VERIFY &&
	       links_failed == 1, "a different owner OCA is detected");
	pc.owner_oca = NULL;
	links_failed = 0;
	pc.oca = &q.oca;
	tap_ok(sev_chain_verify(&pc, count_link, NULL) == SEV_ERR_VERIFY &&
	       links_failed == 1, "an OCA that did not sign the PEK fails");
	pc.oca = &oca;
	links_failed = 0;
	pc.chain_cek = &q.pek;
	tap_ok(sev_chain_verify(&pc, count_link, NULL) == SEV_ERR_VERIFY &&
	       links_failed == 1, "a chain CEK with another key is detected");
	pc.chain_cek = &cek;

	bad = p.pdh;
	bad.raw[0x41c + 3] ^= 4;
	tap_ok(sev_cert_verify(&bad, &p.pek) == SEV_ERR_VERIFY &&
	       err_has("bad signature"),
	       "PDH with a flipped signature bit: bad signature");
	bad = p.pdh;
	bad.raw[0x4] ^= 1;
	tap_ok(sev_cert_verify(&bad, &p.pek) == SEV_ERR_VERIFY &&
	       err_has("bad signature"),
	       "PDH with a flipped body bit: bad signature");
	tap_ok(sev_cert_verify(&p.pdh, &p.oca) == SEV_ERR_VERIFY &&
	       err_has("no signature slot"),
	       "the OCA is not a signer of the PDH");
	tap_ok(sev_cert_verify(&p.pek, &p.pdh) == SEV_ERR_VERIFY,
	       "an ECDH key cannot sign");
	tap_ok(sev_cert_sign(&bad, 0, &p.pek, p.oca_key) == SEV_ERR_ARG,
	       "signing with a key that is not the signer's is refused");
	free_platform(&q);
out:
	free_platform(&p);
}

static void test_session_ecdh(struct roots *r)
{
	u8 tek[16], tik[16], tek2[16], tik2[16], z[48], blob[0x80];
	struct sev_session s, s2;
	struct sev_cert godh;
	struct platform p;
	EVP_PKEY *godh_key = NULL, *godh_pub = NULL;

	if (make_platform(r, &p))
		return;
	tap_ok(!sev_session_create(&p.pdh, 0x1, &godh, &godh_key, &s, tek,
				   tik),
	       "create a session for a PDH");
	tap_ok(godh.usage == SEV_USAGE_PDH &&
	       godh.algo == SEV_ALGO_ECDH_SHA256 &&
	       godh.sig[0].usage == SEV_USAGE_INVALID,
	       "GODH certificate: usage PDH, ECDH-SHA256, unsigned");
	/* firmware side: PDH private key x GODH public key */
	tap_ok(!sev_cert_pubkey(&godh, &godh_pub) &&
	       !sev_ecdh(p.pdh_key, godh_pub, z) &&
	       !sev_session_unwrap(&s, z, sizeof(z), 0x1, tek2, tik2) &&
	       !memcmp(tek, tek2, 16) && !memcmp(tik, tik2, 16),
	       "the PDH owner unwraps the same TEK and TIK");
	sev_session_encode(&s, blob);
	tap_ok(!sev_session_parse(&s2, blob, sizeof(blob)) &&
	       !memcmp(&s, &s2, sizeof(s)), "session encodes and parses");
	tap_ok(sev_session_parse(&s2, blob, 0x7f) == SEV_ERR_FORMAT &&
	       err_has("truncated session"), "truncated session is rejected");
	tap_ok(sev_session_parse(&s2, blob, 0x81) == SEV_ERR_FORMAT &&
	       err_has("oversized session"), "oversized session is rejected");
	tap_ok(sev_session_create(&p.pek, 0x1, &godh, NULL, &s, tek, tik) ==
	       SEV_ERR_FORMAT && err_has("wrong key usage"),
	       "a session for a PEK instead of a PDH is refused");
	EVP_PKEY_free(godh_key);
	EVP_PKEY_free(godh_pub);
	free_platform(&p);
}

static void test_hex(void)
{
	u8 b[4];
	char s[9];

	tap_ok(!sev_hex_decode("0xA1b2C3d4", b, 4) &&
	       !memcmp(b, "\xa1\xb2\xc3\xd4", 4), "hex decodes");
	sev_hex_encode(b, 4, s, true);
	tap_ok(!strcmp(s, "A1B2C3D4"), "hex encodes upper case");
	tap_ok(sev_hex_decode("a1b2c3", b, 4) == SEV_ERR_FORMAT &&
	       sev_hex_decode("a1b2c3d", b, 4) == SEV_ERR_FORMAT &&
	       sev_hex_decode("a1b2c3dg", b, 4) == SEV_ERR_FORMAT,
	       "short, odd and non-hex strings are rejected");
}

int main(int argc, char **argv)
{
	struct roots r;

	roots = argc > 1 ? argv[1] : getenv("SEV_TESTROOTS");
	if (!roots) {
		fprintf(stderr, "usage: %s TESTROOTS_DIR\n", argv[0]);
		return 2;
	}
	memset(&r, 0, sizeof(r));
	test_b64();
	test_hex();
	test_status();
	test_policy();
	test_kdf_vectors();
	test_measure();
	test_secret();
	unit_es_tests(getenv("OVMF_DIR") ? getenv("OVMF_DIR") :
		      "/usr/share/OVMF");
	if (test_amd_certs(&r) && test_cek(&r) && r.cek_key) {
		test_chain(&r);
		test_session_ecdh(&r);
	}
	EVP_PKEY_free(r.cek_key);
	free(r.ark_raw);
	free(r.ask_raw);
	free(r.cek_raw);
	return tap_done();
}
