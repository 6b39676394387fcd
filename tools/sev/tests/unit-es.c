// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the SEV-ES owner pieces: the CPU signature encoding QEMU
 * uses, the initial VMSA against the known-answer vectors of
 * shared/reference/sev-es-facts.md §3.3, the VMSA text view, and the OVMF
 * footer-table parser fed good, truncated and randomly corrupted tables and
 * Debian's OVMF images.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpusig.h"
#include "measure.h"
#include "ovmf.h"
#include "tap.h"
#include "unit-es.h"
#include "util.h"
#include "vmsa.h"

#define EPYC_SIG	0x00800f12u
#define OVMF_2M_RESET	0x0080b004u
#define OVMF_4M_RESET	0x00808004u

static const char bsp_sha[] =
	"30a76bd1aa5adf81f02832d38c21e31b073cf0663dd2337455db2a3c210666af";
static const char ap_sha[] =
	"3d1cd8f98c320cb09405dae226a8bd6e18d8bfc0b4babda508c10963a6f3df19";

static void sha256(const u8 *p, size_t len, u8 out[32])
{
	struct sev_ld ld;

	memset(out, 0, 32);
	if (sev_ld_init(&ld))
		return;
	sev_ld_update(&ld, p, len);
	sev_ld_final(&ld, out);
}

static bool msg_has(const char *needle)
{
	if (strstr(sev_errmsg(), needle))
		return true;
	tap_diag("error message was: %s", sev_errmsg());
	return false;
}

/* ---- CPU signature ---- */

static bool enc_is(unsigned int f, unsigned int m, unsigned int s, u32 want)
{
	u32 sig = 0;

	if (sev_cpu_sig_encode(f, m, s, &sig) || sig != want) {
		tap_diag("%u/%u/%u encoded to %#010x, expected %#010x", f, m, s,
			 sig, want);
		return false;
	}
	return true;
}

static bool parse_is(const char *s, u32 want)
{
	u32 sig = 0;

	if (sev_cpu_sig_parse(s, &sig) || sig != want) {
		tap_diag("'%s' parsed to %#010x, expected %#010x (%s)", s, sig,
			 want, sev_errmsg());
		return false;
	}
	return true;
}

static void test_cpusig(void)
{
	static const char * const bad[] = {
		"", "23", "23/1", "23/1/2/3", "23//2", "/1/2", "23/1/",
		"x/1/2", "23/-1/2", "23/ 1/2", "+23/1/2", "23/1/2 ", "0x",
		"0x1ffffffff", "0xfg", "271/0/0", "23/256/0", "23/1/16",
		"99999999999999999999/1/2", "0x/1/2",
	};
	unsigned int f, m, s, fam, mod, step;
	bool all = true;
	size_t i;
	u32 sig;

	tap_ok(enc_is(23, 1, 2, 0x00800f12), "EPYC 23/1/2 -> 0x00800F12");
	tap_ok(enc_is(23, 49, 0, 0x00830f10),
	       "EPYC-Rome 23/49/0 -> 0x00830F10");
	tap_ok(enc_is(25, 1, 1, 0x00a00f11),
	       "EPYC-Milan 25/1/1 -> 0x00A00F11");
	tap_ok(enc_is(25, 17, 0, 0x00a10f10),
	       "EPYC-Genoa 25/17/0 -> 0x00A10F10");
	tap_ok(enc_is(6, 85, 4, 0x00050654) && enc_is(15, 0, 0, 0x00000f00) &&
	       enc_is(16, 0, 0, 0x00100f00) && enc_is(270, 255, 15, 0x0fff0fff),
	       "family <= 15 in bits 11:8, above it 0xf + extended family (16 -> 0x100F00, 270/255/15 -> 0x0FFF0FFF)");
	tap_ok(enc_is(5, 0x12, 2, 0x00010522) && enc_is(4, 0xf0, 0, 0x000f0400),
	       "the high model nibble goes to bits 19:16 for every family, as QEMU does");
	tap_ok(sev_cpu_sig_encode(271, 0, 0, &sig) == SEV_ERR_ARG &&
	       sev_cpu_sig_encode(23, 256, 0, &sig) == SEV_ERR_ARG &&
	       sev_cpu_sig_encode(23, 0, 16, &sig) == SEV_ERR_ARG,
	       "family > 270, model > 255, stepping > 15 are rejected");

	tap_ok(parse_is("23/1/2", EPYC_SIG) &&
	       parse_is("0x17/0x1/0x2", EPYC_SIG) &&
	       parse_is("0X17/1/0x2", EPYC_SIG) &&
	       parse_is("0x00800F12", EPYC_SIG) && parse_is("0x800f12", EPYC_SIG),
	       "parse F/M/S in decimal or hex, and a raw 0xHEX value");
	tap_ok(parse_is("010/010/01", 0x00000aa1) && parse_is("0x0/0/0", 0),
	       "leading zeros are decimal, not octal");
	tap_ok(parse_is("0xffffffff", 0xffffffffu),
	       "a raw value takes all 32 bits (as -cpu host passes them)");
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		if (sev_cpu_sig_parse(bad[i], &sig) != SEV_ERR_ARG) {
			tap_diag("'%s' was accepted as %#x", bad[i], sig);
			all = false;
		}
	}
	tap_ok(all, "%zu malformed or out-of-range signatures are rejected",
	       ARRAY_SIZE(bad));

	sev_cpu_sig_decode(0x00a10f10, &fam, &mod, &step);
	tap_ok(fam == 25 && mod == 17 && step == 0,
	       "decode 0x00A10F10 -> 25/17/0");
	sev_cpu_sig_decode(0x00050654, &fam, &mod, &step);
	tap_ok(fam == 6 && mod == 85 && step == 4,
	       "decode 0x00050654 -> 6/85/4 (extended model for family 6)");
	sev_cpu_sig_decode(0x00010522, &fam, &mod, &step);
	tap_ok(fam == 5 && mod == 2 && step == 2,
	       "decode ignores the extended model below family 6");
	all = true;
	for (f = 0; f <= SEV_CPU_FAMILY_MAX; f++) {
		if (f != 6 && f < 15)
			continue;
		for (m = 0; m <= SEV_CPU_MODEL_MAX; m += 7) {
			s = (f + m) & 0xf;
			if (sev_cpu_sig_encode(f, m, s, &sig)) {
				all = false;
				continue;
			}
			sev_cpu_sig_decode(sig, &fam, &mod, &step);
			if (fam != f || mod != m || step != s) {
				tap_diag("%u/%u/%u -> %#x -> %u/%u/%u", f, m,
					 s, sig, fam, mod, step);
				all = false;
			}
		}
	}
	tap_ok(all, "encode then decode is the identity for families 6 and 15-270");
}

/* ---- VMSA ---- */

static u64 le64_at(const u8 *page, size_t off)
{
	u64 v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | page[off + i];
	return v;
}

static bool print_has(const u8 *page, const char *needle)
{
	char *text = NULL;
	size_t len = 0;
	bool found;
	FILE *f;

	f = open_memstream(&text, &len);
	if (!f)
		return false;
	if (sev_vmsa_print(f, page, SEV_VMSA_PAGE_LEN)) {
		fclose(f);
		free(text);
		return false;
	}
	fclose(f);
	found = strstr(text, needle);
	if (!found)
		tap_diag("'%s' not in the VMSA view", needle);
	free(text);
	return found;
}

static void test_vmsa(void)
{
	struct sev_vmsa_params p = { .cpu_sig = EPYC_SIG, .cr4_mce = true };
	u8 bsp[SEV_VMSA_PAGE_LEN], ap[SEV_VMSA_PAGE_LEN];
	static const char * const bsp_head[] = {	/* facts §3.3 */
		"00009300ffff00000000000000000000",
		"00f09b00ffff00000000ffff00000000",
		"00009300ffff00000000000000000000",
		"00009300ffff00000000000000000000",
	};
	u8 page[SEV_VMSA_PAGE_LEN], md[32];
	size_t i, first = 0, last = 0, diff = 0;
	char head[129] = "";

	memset(bsp, 0xa5, sizeof(bsp));
	tap_ok(!sev_vmsa_build(&p, bsp), "build the BSP VMSA (EPYC)");
	sha256(bsp, sizeof(bsp), md);
	tap_hex(md, 32, bsp_sha,
		"SHA-256 of the BSP VMSA, signature 0x00800F12 (facts §3.3)");
	for (i = 0; i < ARRAY_SIZE(bsp_head); i++)
		strcat(head, bsp_head[i]);
	tap_hex(bsp, 0x40, head,
		"first 0x40 bytes of the BSP VMSA: es, cs (base 0xffff0000), ss, ds");
	for (i = 0; i < sizeof(bsp); i++) {
		if (!bsp[i])
			continue;
		if (!first)
			first = i;
		last = i;
	}
	tap_ok(first == 0x002 && last == 0x3e8,
	       "non-zero bytes of the BSP page span 0x002-0x3e8 (got %#zx-%#zx)",
	       first, last);
	tap_ok(le64_at(bsp, VMSA_RDX) == EPYC_SIG &&
	       le64_at(bsp, VMSA_CR4) == 0x40 && le64_at(bsp, VMSA_CR0) == 0x10 &&
	       le64_at(bsp, VMSA_EFER) == 0x1000 &&
	       le64_at(bsp, VMSA_RIP) == 0xfff0 &&
	       le64_at(bsp, VMSA_DR6) == 0xffff0ff0 &&
	       le64_at(bsp, VMSA_DR7) == 0x400 &&
	       le64_at(bsp, VMSA_RFLAGS) == 2 &&
	       le64_at(bsp, VMSA_G_PAT) == 0x0007040600070406ull &&
	       le64_at(bsp, VMSA_XCR0) == 1 &&
	       le64_at(bsp, VMSA_SEV_FEATURES) == 0 &&
	       !bsp[VMSA_MXCSR] && !bsp[VMSA_X87_FCW],
	       "BSP fields at their 6.1 offsets: rdx 0x310, cr4 0x148, cr0 0x158, efer 0xd0, rip 0x178, dr6/dr7, rflags, g_pat 0x268, xcr0 0x3e8; no sev_features, mxcsr or fcw");
	tap_ok(sev_is_zero(bsp + SEV_VMSA_SAVE_AREA_LEN,
			   SEV_VMSA_PAGE_LEN - SEV_VMSA_SAVE_AREA_LEN),
	       "the page after the 0x670-byte save area is zero");

	p.ap = true;
	p.reset_addr = OVMF_2M_RESET;
	tap_ok(!sev_vmsa_build(&p, ap), "build an AP VMSA (reset 0x0080B004)");
	sha256(ap, sizeof(ap), md);
	tap_hex(md, 32, ap_sha,
		"SHA-256 of the AP VMSA for A = 0x0080B004 (facts §3.3)");
	for (i = 0; i < sizeof(ap); i++)
		diff += ap[i] != bsp[i];
	tap_ok(le64_at(ap, VMSA_CS + 8) == 0x00800000 &&
	       le64_at(ap, VMSA_RIP) == 0xb004 && diff == 4,
	       "the AP differs from the BSP only in CS.base (0x800000) and RIP (0xb004): %zu bytes",
	       diff);
	p.reset_addr = 0x00123456;
	tap_ok(!sev_vmsa_build(&p, page) &&
	       le64_at(page, VMSA_CS + 8) == 0x00120000 &&
	       le64_at(page, VMSA_RIP) == 0x3456,
	       "reset address 0x00123456: CS.base 0x00120000, RIP 0x3456");
	p.reset_addr = 0;
	tap_ok(sev_vmsa_build(&p, ap) == SEV_ERR_ARG &&
	       msg_has("non-zero SEV-ES reset address"),
	       "an AP with reset address 0 is refused");

	p.ap = false;
	p.reset_addr = 0x12345678;
	p.cr4_mce = false;
	tap_ok(!sev_vmsa_build(&p, page) && le64_at(page, VMSA_CR4) == 0 &&
	       !memcmp(page, bsp, VMSA_CR4) &&
	       !memcmp(page + VMSA_CR4 + 8, bsp + VMSA_CR4 + 8,
		       sizeof(page) - VMSA_CR4 - 8),
	       "without CR4.MCE only cr4 changes (to 0); the BSP ignores a reset address");
	p.cr4_mce = true;
	p.cpu_sig = 0x00a10f10;
	sev_vmsa_build(&p, page);
	sha256(page, sizeof(page), md);
	tap_ok(le64_at(page, VMSA_RDX) == 0x00a10f10 &&
	       memcmp(page, bsp, sizeof(page)),
	       "another signature (Genoa) changes RDX and the page");

	tap_ok(sev_vmsa_print(stdout, bsp, 4095) == SEV_ERR_FORMAT,
	       "the view refuses a page of 4095 bytes");
	tap_ok(print_has(ap, "  cs       0xf000   0x009b 0x0000ffff 0x0000000000800000") &&
	       print_has(ap, "  rdx                  0x0000000000800f12") &&
	       print_has(ap, "family 23 model 1 stepping 2") &&
	       print_has(ap, "  cr4                  0x0000000000000040") &&
	       print_has(ap, "entry point (cs.base + rip): 0x80b004") &&
	       print_has(ap, "reserved bytes: all zero"),
	       "the view shows segments, registers, the signature and the entry point");
	memcpy(page, bsp, sizeof(page));
	page[0x2f0] = 1;
	page[0x2f1] = 2;
	page[0xfff] = 3;
	tap_ok(print_has(page, "reserved bytes: 0x2f0-0x2f1 0xfff-0xfff NON-ZERO"),
	       "the view lists non-zero reserved bytes");
	memcpy(page, bsp, sizeof(page));
	page[VMSA_MXCSR] = 0x80;
	page[VMSA_MXCSR + 1] = 0x1f;
	page[0x500] = 1;
	tap_ok(print_has(page, "  mxcsr                0x00001f80") &&
	       print_has(page, "  fpreg_xmm            NON-ZERO") &&
	       print_has(page, "reserved bytes: all zero"),
	       "the view shows an INIT2-style mxcsr and FPU registers");
}

/* ---- OVMF footer table ---- */

struct entry {
	const u8 *guid;
	const u8 *data;
	u16 len;
};

static const u8 other_guid[OVMF_GUID_LEN] = {
	0x61, 0xb3, 0x2e, 0x4c, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
};

/*
 * Write a footer table holding @n entries (the first is the nearest to the
 * footer) at the end of @img; returns the table's total length.
 */
static u16 put_table(u8 *img, size_t size, const struct entry *e, size_t n)
{
	size_t pos = size - OVMF_FOOTER_END_GAP - OVMF_ENTRY_TAIL, i;
	u16 total = OVMF_ENTRY_TAIL, len;

	memcpy(img + pos + 2, ovmf_footer_guid, OVMF_GUID_LEN);
	for (i = 0; i < n; i++) {
		len = e[i].len + OVMF_ENTRY_TAIL;
		memcpy(img + pos - OVMF_GUID_LEN, e[i].guid, OVMF_GUID_LEN);
		img[pos - OVMF_ENTRY_TAIL] = len & 0xff;
		img[pos - OVMF_ENTRY_TAIL + 1] = len >> 8;
		memcpy(img + pos - len, e[i].data, e[i].len);
		pos -= len;
		total += len;
	}
	img[size - 0x32] = total & 0xff;
	img[size - 0x31] = total >> 8;
	return total;
}

static void put_le16(u8 *p, u16 v)
{
	p[0] = v & 0xff;
	p[1] = v >> 8;
}

/* A heap copy of exactly @len bytes, so that valgrind sees overreads */
static int reset_of_copy(const u8 *img, size_t len, u32 *addr)
{
	u8 *copy = malloc(len ? len : 1);
	int ret;

	if (!copy)
		return SEV_ERR_NOMEM;
	memcpy(copy, img, len);
	ret = ovmf_sev_es_reset_addr(copy, len, addr, NULL);
	free(copy);
	return ret;
}

static u64 rng_state = 0x5eeded5eeded1234ull;

static u32 rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (u32)((rng_state * 0x2545f4914f6cdd1dull) >> 32);
}

/* Every entry of a parsed table must lie inside the table */
static bool walk_in_bounds(const u8 *img, size_t size, int *entries)
{
	struct ovmf_table t;
	struct ovmf_entry e;
	int ret;

	*entries = 0;
	if (ovmf_table_parse(img, size, &t))
		return true;
	if (t.start > t.end || t.end + OVMF_ENTRY_TAIL + OVMF_FOOTER_END_GAP != size)
		return false;
	e.pos = t.end;
	while ((ret = ovmf_table_next(&t, &e)) > 0) {
		if (e.data < img + t.start ||
		    e.data + e.len + OVMF_ENTRY_TAIL > img + t.end)
			return false;
		(*entries)++;
	}
	return ret == 0 || ret == SEV_ERR_FORMAT;
}

static void test_ovmf_synthetic(void)
{
	static const u8 reset[4] = { 0x04, 0xb0, 0x80, 0x00 };
	static const u8 zero4[4], secret[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	enum { SIZE = 0x400 };
	struct entry e[2];
	const char *where = NULL;
	struct ovmf_table t;
	int i, bad = 0, ok = 0, entries, ret;
	u8 img[SIZE], copy[SIZE];
	char name[37];
	size_t len, k;
	u32 addr = 0;

	ovmf_guid_str(ovmf_footer_guid, name);
	tap_ok(!strcmp(name, "96b582de-1fb2-45f7-baea-a366c55a082d"),
	       "footer GUID bytes spell 96b582de-1fb2-45f7-baea-a366c55a082d");
	ovmf_guid_str(ovmf_sev_es_reset_guid, name);
	tap_ok(!strcmp(name, "00f771de-1a7e-4fcb-890e-68c77e2fb44e"),
	       "SEV-ES reset GUID bytes spell 00f771de-1a7e-4fcb-890e-68c77e2fb44e");

	memset(img, 0xcc, sizeof(img));
	e[0] = (struct entry){ other_guid, secret, sizeof(secret) };
	e[1] = (struct entry){ ovmf_sev_es_reset_guid, reset, sizeof(reset) };
	put_table(img, SIZE, e, 2);
	tap_ok(!ovmf_sev_es_reset_addr(img, SIZE, &addr, &where) &&
	       addr == OVMF_2M_RESET && !strcmp(where, "footer table"),
	       "reset block found behind another entry: 0x0080B004");
	tap_ok(!ovmf_table_parse(img, SIZE, &t) &&
	       t.end == SIZE - 0x32 && t.end - t.start == 8 + 18 + 4 + 18,
	       "table bounds: ends at size - 0x32, spans both entries");

	/* the table length claims more than is left of a truncated image */
	memcpy(copy, img, SIZE);
	put_le16(copy + SIZE - 0x32, 0x200);
	tap_ok(reset_of_copy(copy + SIZE - 0x100, 0x100, &addr) ==
	       SEV_ERR_FORMAT && msg_has("runs past the start of the image"),
	       "truncated image: a table length beyond the start is refused");
	tap_ok(!reset_of_copy(copy, SIZE, &addr) && addr == OVMF_2M_RESET,
	       "the same table length fits the whole image");
	for (i = 0; i < 18; i += 17) {
		memcpy(copy, img, SIZE);
		put_le16(copy + SIZE - 0x32, (u16)i);
		tap_ok(reset_of_copy(copy, SIZE, &addr) == SEV_ERR_FORMAT &&
		       msg_has("is less than 18"),
		       "table length %d is refused", i);
	}
	memcpy(copy, img, SIZE);
	put_le16(copy + SIZE - 0x32, 18);
	tap_ok(!ovmf_table_parse(copy, SIZE, &t) && t.start == t.end &&
	       reset_of_copy(copy, SIZE, &addr) == SEV_ERR_FORMAT &&
	       msg_has("no entry 00f771de-1a7e-4fcb-890e-68c77e2fb44e"),
	       "an empty table parses, and has no reset block");

	/* entry lengths: too small, past the table, past the image */
	for (i = 0; i < 3; i++) {
		static const u16 lens[] = { 0, 17, 8 + 18 + 4 + 18 + 1 };

		memcpy(copy, img, SIZE);
		put_le16(copy + SIZE - 0x32 - 18, lens[i]);
		ret = reset_of_copy(copy, SIZE, &addr);
		tap_ok(ret == SEV_ERR_FORMAT &&
		       msg_has(i < 2 ? "less than 18" : "past the start of the table"),
		       "first entry length %u is refused", lens[i]);
	}
	memcpy(copy, img, SIZE);
	put_le16(copy + SIZE - 0x32 - 18 - 8 - 18, 0xffff);
	tap_ok(reset_of_copy(copy, SIZE, &addr) == SEV_ERR_FORMAT &&
	       msg_has("past the start of the table"),
	       "second entry length 0xffff is refused");

	e[1].len = 3;
	memset(copy, 0, SIZE);
	put_table(copy, SIZE, e, 2);
	tap_ok(reset_of_copy(copy, SIZE, &addr) == SEV_ERR_FORMAT &&
	       msg_has("has 3 data bytes, needs 4"),
	       "a reset block of 3 bytes is refused");
	e[1] = (struct entry){ ovmf_sev_es_reset_guid, zero4, 4 };
	memset(copy, 0, SIZE);
	put_table(copy, SIZE, e, 2);
	tap_ok(reset_of_copy(copy, SIZE, &addr) == SEV_ERR_FORMAT &&
	       msg_has("reset address is zero"),
	       "a zero reset address is refused");

	memcpy(copy, img, SIZE);
	copy[SIZE - 0x30] ^= 1;
	tap_ok(reset_of_copy(copy, SIZE, &addr) == SEV_ERR_FORMAT &&
	       msg_has("no OVMF footer table GUID") &&
	       msg_has("no legacy SEV-ES block"),
	       "no footer GUID and no legacy block: both named in the error");
	tap_ok(reset_of_copy(img, 0, &addr) == SEV_ERR_FORMAT &&
	       reset_of_copy(img + SIZE - 0x31, 0x31, &addr) == SEV_ERR_FORMAT &&
	       reset_of_copy(img + SIZE - 0x32, 0x32, &addr) == SEV_ERR_FORMAT,
	       "images of 0, 0x31 and 0x32 bytes are refused");

	/* the legacy layout: block || u16 len || SEV GUID, 0x20 from the end */
	memset(copy, 0, SIZE);
	memcpy(copy + SIZE - 0x30, ovmf_sev_es_reset_guid, OVMF_GUID_LEN);
	put_le16(copy + SIZE - 0x32, 4 + 18);
	memcpy(copy + SIZE - 0x36, reset, 4);
	tap_ok(!ovmf_sev_es_reset_addr(copy, SIZE, &addr, &where) &&
	       addr == OVMF_2M_RESET && !strcmp(where, "legacy block"),
	       "legacy SEV-ES block without a footer table");
	put_le16(copy + SIZE - 0x32, SIZE - 0x20 + 1);
	tap_ok(reset_of_copy(copy, SIZE, &addr) == SEV_ERR_FORMAT &&
	       msg_has("outside the image"),
	       "legacy block longer than the image is refused");
	put_le16(copy + SIZE - 0x32, 5);
	tap_ok(reset_of_copy(copy, SIZE, &addr) == SEV_ERR_FORMAT,
	       "legacy block length 5 is refused");

	/* every truncation of the image: the end moves, nothing overreads */
	for (k = 0; k <= SIZE; k++) {
		ret = reset_of_copy(img + SIZE - k, k, &addr);
		if (ret != SEV_ERR_FORMAT && (ret || !addr))
			bad++;
	}
	tap_ok(!bad, "%d truncations of the image: found or SEV_ERR_FORMAT",
	       SIZE + 1);

	/* random corruption of the table and its lengths */
	bad = 0;
	for (i = 0; i < 20000; i++) {
		int n = 1 + (int)(rnd() % 4), j;
		size_t off;

		memcpy(copy, img, SIZE);
		for (j = 0; j < n; j++) {
			off = SIZE - 1 - rnd() % 0x80;
			if (rnd() % 3)
				copy[off] = (u8)rnd();
			else
				put_le16(copy + (off & ~1ul) - 2,
					 (u16)(rnd() % 3 ? rnd() % 0x100 :
						    rnd()));
		}
		len = SIZE - (rnd() % 2 ? rnd() % SIZE : 0);
		ret = reset_of_copy(copy + SIZE - len, len, &addr);
		if (ret != SEV_ERR_FORMAT && (ret || !addr))
			bad++;
		else if (!ret)
			ok++;
		if (!walk_in_bounds(copy + SIZE - len, len, &entries))
			bad++;
	}
	tap_ok(!bad, "20000 corrupted tables: address or SEV_ERR_FORMAT, in bounds (%d found)",
	       ok);
}

/* ---- Debian's OVMF images ---- */

struct ovmf_case {
	const char *file;
	const char *sha;	/* SHA-256 of the file the vectors are for */
	u32 reset;
	int entries;
	int vcpus;
	const char *ld;
};

static const struct ovmf_case cases[] = {
	{ "OVMF_CODE.fd",
	  "d9b568def24088c92f34b5479e0ed7e44d0a4d4cea8a0f5716719180bba48106",
	  OVMF_2M_RESET, 5, 1,
	  "eba1359b4bdf7745d72c9de18582cbb352f81d55c4cedaa428cc7559db8dfbf8" },
	{ "OVMF_CODE.fd",
	  "d9b568def24088c92f34b5479e0ed7e44d0a4d4cea8a0f5716719180bba48106",
	  OVMF_2M_RESET, 5, 4,
	  "df57443379501f0e84aabb3d54227be9058a9103df5377eebb649effae29f496" },
	{ "OVMF_CODE_4M.fd",
	  "b157d97b1f69729514feb7f201d2cbe4957f23ab77920e361fe9f822ba49ca4c",
	  OVMF_4M_RESET, 3, 2,
	  "03c70eb80632e916b5ef3fead45cbcf79c58350cec2672bddb3999586ae0ac7d" },
};

static void test_ovmf_file(const char *dir, const struct ovmf_case *c)
{
	struct sev_vmsa_params p = { .cpu_sig = EPYC_SIG, .cr4_mce = true };
	u8 page[SEV_VMSA_PAGE_LEN], md[32], ld[SEV_LD_LEN];
	char path[4096], hex[65], name[128];
	struct ovmf_table t;
	struct ovmf_entry e;
	struct sev_ld ctx;
	bool same_file;
	int i, n = 0, ret;
	u8 *img = NULL;
	size_t len;
	u32 addr = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, c->file);
	if (!tap_ok(!sev_read_file(path, SEV_FILE_MAX, &img, &len),
		    "read %s (Debian package ovmf)", path)) {
		tap_diag("%s", sev_errmsg());
		return;
	}
	sha256(img, len, md);
	sev_hex_encode(md, sizeof(md), hex, false);
	same_file = !strcmp(hex, c->sha);
	if (!same_file)
		tap_diag("%s: SHA-256 %s, the vectors are for %s: parser only",
			 path, hex, c->sha);
	ret = ovmf_sev_es_reset_addr(img, len, &addr, NULL);
	tap_ok(!ret && addr && (!same_file || addr == c->reset),
	       "%s: SEV-ES reset address 0x%08x%s", c->file, addr,
	       same_file ? " as in the facts" : "");
	if (same_file && c->vcpus == 1) {
		if (!ovmf_table_parse(img, len, &t)) {
			e.pos = t.end;
			while (ovmf_table_next(&t, &e) > 0)
				n++;
		}
		tap_ok(n == c->entries, "%s: %d footer table entries",
		       c->file, n);
	}
	if (same_file) {
		sev_ld_init(&ctx);
		sev_ld_update(&ctx, img, len);
		for (i = 0; i < c->vcpus; i++) {
			p.ap = i > 0;
			p.reset_addr = addr;
			sev_vmsa_build(&p, page);
			sev_ld_update(&ctx, page, sizeof(page));
		}
		sev_ld_final(&ctx, ld);
		snprintf(name, sizeof(name),
			 "LD of %s + %d EPYC VMSA%s (facts §3.3)", c->file,
			 c->vcpus, c->vcpus > 1 ? "s" : "");
		tap_hex(ld, sizeof(ld), c->ld, name);
	}
	free(img);
}

void unit_es_tests(const char *ovmf_dir)
{
	size_t i;

	test_cpusig();
	test_vmsa();
	test_ovmf_synthetic();
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		test_ovmf_file(ovmf_dir, &cases[i]);
}
