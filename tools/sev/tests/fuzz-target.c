// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz target for the SEV tool parsers: SEV certificates and chains, AMD
 * certificates, session blobs, secret headers, base64, hex, policies, OVMF
 * footer tables (the input is the end of a flash image), CPU signatures and
 * the VMSA text view.
 * Built as LLVMFuzzerTestOneInput for libFuzzer (FUZZ_ENTRY set by the
 * Makefile) or as fuzz_one() for the seeded mutation driver.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amdcert.h"
#include "b64.h"
#include "chain.h"
#include "cpusig.h"
#include "fuzz.h"
#include "ovmf.h"
#include "policy.h"
#include "secret.h"
#include "session.h"
#include "sevcert.h"
#include "util.h"
#include "vmsa.h"

static void fuzz_sev_cert(const u8 *data, size_t size)
{
	struct sev_cert c, pek, oca, cek;

	if (!sev_cert_parse(&c, data, size)) {
		/* self-verification walks the slot and signature code */
		sev_cert_verify(&c, &c);
		sev_cert_same_key(&c, &c);
	}
	if (!sev_chain_parse(data, size, &pek, &oca, &cek)) {
		sev_cert_verify(&pek, &oca);
		sev_cert_verify(&pek, &cek);
		sev_cert_verify(&oca, &oca);
	}
}

static void fuzz_amd_cert(const u8 *data, size_t size)
{
	struct amd_cert a, b;
	size_t used;

	if (!amd_cert_parse(&a, data, size, &used)) {
		if (used > size)
			abort();
		amd_cert_verify(&a, &a);
	}
	if (!amd_cert_parse_ask_ark(&a, &b, data, size))
		amd_cert_verify(&a, &b);
}

static void fuzz_text(const u8 *data, size_t size)
{
	u8 out[256];
	char *s;
	u32 policy;
	long n;

	n = sev_b64_decode((const char *)data, size, out, sizeof(out));
	if (n > (long)sizeof(out))
		abort();
	s = malloc(size + 1);
	if (!s)
		return;
	memcpy(s, data, size);
	s[size] = '\0';
	sev_policy_parse(s, true, &policy);
	sev_hex_decode_any(s, out, sizeof(out));
	sev_cpu_sig_parse(s, &policy);
	free(s);
}

static void fuzz_ovmf(const u8 *data, size_t size)
{
	struct ovmf_table t;
	struct ovmf_entry e;
	const u8 *end = data + size;
	u32 addr;
	FILE *null;

	if (!ovmf_sev_es_reset_addr(data, size, &addr, NULL) && !addr)
		abort();
	if (!ovmf_table_parse(data, size, &t)) {
		e.pos = t.end;
		while (ovmf_table_next(&t, &e) > 0)
			if (e.data < data || e.data + e.len > end)
				abort();
	}
	if (size == SEV_VMSA_PAGE_LEN) {
		null = fopen("/dev/null", "w");
		if (null) {
			sev_vmsa_print(null, data, size);
			fclose(null);
		}
	}
}

int FUZZ_ENTRY(const u8 *data, size_t size)
{
	struct sev_session s;
	struct sev_secret_hdr h;
	u8 blob[SEV_SESSION_SIZE];

	fuzz_sev_cert(data, size);
	fuzz_amd_cert(data, size);
	if (!sev_session_parse(&s, data, size)) {
		sev_session_encode(&s, blob);
		if (memcmp(blob, data, sizeof(blob)))
			abort();
	}
	sev_secret_hdr_parse(&h, data, size);
	fuzz_text(data, size);
	fuzz_ovmf(data, size);
	return 0;
}
