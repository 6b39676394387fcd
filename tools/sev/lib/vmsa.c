// SPDX-License-Identifier: GPL-2.0-only
/*
 * Initial SEV-ES VMSA of a vCPU (Linux 6.1 KVM under QEMU 7.2) and its
 * decoded text view.
 */

#include <string.h>

#include "cpusig.h"
#include "vmsa.h"

static void put_le(u8 *p, u64 v, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (u8)(v >> (8 * i));
}

static u64 get_le(const u8 *p, size_t len)
{
	u64 v = 0;
	size_t i;

	for (i = len; i--;)
		v = v << 8 | p[i];
	return v;
}

static void put_seg(u8 *page, size_t off, u16 sel, u16 attrib, u32 limit,
		    u64 base)
{
	put_le(page + off, sel, 2);
	put_le(page + off + 2, attrib, 2);
	put_le(page + off + 4, limit, 4);
	put_le(page + off + 8, base, 8);
}

int sev_vmsa_build(const struct sev_vmsa_params *p,
		   u8 page[SEV_VMSA_PAGE_LEN])
{
	static const size_t data_segs[] = {
		VMSA_ES, VMSA_SS, VMSA_DS, VMSA_FS, VMSA_GS
	};
	u64 cs_base = VMSA_RESET_CS_BASE, rip = VMSA_RESET_RIP;
	size_t i;

	if (p->ap) {
		if (!p->reset_addr)
			return sev_err(SEV_ERR_ARG,
				       "an AP needs a non-zero SEV-ES reset address");
		cs_base = p->reset_addr & 0xffff0000u;
		rip = p->reset_addr & 0xffffu;
	}
	memset(page, 0, SEV_VMSA_PAGE_LEN);
	for (i = 0; i < ARRAY_SIZE(data_segs); i++)
		put_seg(page, data_segs[i], 0, VMSA_ATTR_DATA,
			VMSA_RESET_LIMIT, 0);
	put_seg(page, VMSA_CS, VMSA_RESET_SEL_CS, VMSA_ATTR_CS,
		VMSA_RESET_LIMIT, cs_base);
	put_seg(page, VMSA_GDTR, 0, 0, VMSA_RESET_LIMIT, 0);
	put_seg(page, VMSA_LDTR, 0, VMSA_ATTR_LDT, VMSA_RESET_LIMIT, 0);
	put_seg(page, VMSA_IDTR, 0, 0, VMSA_RESET_LIMIT, 0);
	put_seg(page, VMSA_TR, 0, VMSA_ATTR_TSS, VMSA_RESET_LIMIT, 0);
	put_le(page + VMSA_EFER, VMSA_RESET_EFER, 8);
	put_le(page + VMSA_CR4, p->cr4_mce ? VMSA_CR4_MCE : 0, 8);
	put_le(page + VMSA_CR0, VMSA_RESET_CR0, 8);
	put_le(page + VMSA_DR7, VMSA_RESET_DR7, 8);
	put_le(page + VMSA_DR6, VMSA_RESET_DR6, 8);
	put_le(page + VMSA_RFLAGS, VMSA_RESET_RFLAGS, 8);
	put_le(page + VMSA_RIP, rip, 8);
	put_le(page + VMSA_G_PAT, VMSA_RESET_G_PAT, 8);
	put_le(page + VMSA_RDX, p->cpu_sig, 8);
	put_le(page + VMSA_XCR0, VMSA_RESET_XCR0, 8);
	return SEV_OK;
}

/* ---- text view ---- */

struct vmsa_field {
	const char *name;
	u16 off;
	u16 len;
};

static const struct vmsa_field segs[] = {
	{ "es", VMSA_ES, VMSA_SEG_LEN }, { "cs", VMSA_CS, VMSA_SEG_LEN },
	{ "ss", VMSA_SS, VMSA_SEG_LEN }, { "ds", VMSA_DS, VMSA_SEG_LEN },
	{ "fs", VMSA_FS, VMSA_SEG_LEN }, { "gs", VMSA_GS, VMSA_SEG_LEN },
	{ "gdtr", VMSA_GDTR, VMSA_SEG_LEN },
	{ "ldtr", VMSA_LDTR, VMSA_SEG_LEN },
	{ "idtr", VMSA_IDTR, VMSA_SEG_LEN }, { "tr", VMSA_TR, VMSA_SEG_LEN },
};

/* Every named scalar of struct sev_es_save_area (Linux 6.1), in order */
static const struct vmsa_field scalars[] = {
	{ "vmpl0_ssp", 0x0a0, 8 }, { "vmpl1_ssp", 0x0a8, 8 },
	{ "vmpl2_ssp", 0x0b0, 8 }, { "vmpl3_ssp", 0x0b8, 8 },
	{ "u_cet", 0x0c0, 8 }, { "vmpl", 0x0ca, 1 },
	{ "cpl", VMSA_CPL, 1 }, { "efer", VMSA_EFER, 8 },
	{ "xss", VMSA_XSS, 8 }, { "cr4", VMSA_CR4, 8 },
	{ "cr3", VMSA_CR3, 8 }, { "cr0", VMSA_CR0, 8 },
	{ "dr7", VMSA_DR7, 8 }, { "dr6", VMSA_DR6, 8 },
	{ "rflags", VMSA_RFLAGS, 8 }, { "rip", VMSA_RIP, 8 },
	{ "dr0", 0x180, 8 }, { "dr1", 0x188, 8 },
	{ "dr2", 0x190, 8 }, { "dr3", 0x198, 8 },
	{ "dr0_addr_mask", 0x1a0, 8 }, { "dr1_addr_mask", 0x1a8, 8 },
	{ "dr2_addr_mask", 0x1b0, 8 }, { "dr3_addr_mask", 0x1b8, 8 },
	{ "rsp", VMSA_RSP, 8 }, { "s_cet", 0x1e0, 8 },
	{ "ssp", 0x1e8, 8 }, { "isst_addr", 0x1f0, 8 },
	{ "rax", VMSA_RAX, 8 }, { "star", 0x200, 8 },
	{ "lstar", 0x208, 8 }, { "cstar", 0x210, 8 },
	{ "sfmask", 0x218, 8 }, { "kernel_gs_base", 0x220, 8 },
	{ "sysenter_cs", 0x228, 8 }, { "sysenter_esp", 0x230, 8 },
	{ "sysenter_eip", 0x238, 8 }, { "cr2", VMSA_CR2, 8 },
	{ "g_pat", VMSA_G_PAT, 8 }, { "dbgctl", 0x270, 8 },
	{ "br_from", 0x278, 8 }, { "br_to", 0x280, 8 },
	{ "last_excp_from", 0x288, 8 }, { "last_excp_to", 0x290, 8 },
	/* reserved in sev_es_save_area; the VMCB's spec_ctrl lands here */
	{ "spec_ctrl@0x2e0", 0x2e0, 4 },
	{ "pkru", VMSA_PKRU, 4 },
	{ "rcx", VMSA_RCX, 8 }, { "rdx", VMSA_RDX, 8 },
	{ "rbx", VMSA_RBX, 8 }, { "rbp", 0x328, 8 },
	{ "rsi", 0x330, 8 }, { "rdi", 0x338, 8 },
	{ "r8", 0x340, 8 }, { "r9", 0x348, 8 },
	{ "r10", 0x350, 8 }, { "r11", 0x358, 8 },
	{ "r12", 0x360, 8 }, { "r13", 0x368, 8 },
	{ "r14", 0x370, 8 }, { "r15", 0x378, 8 },
	{ "guest_exit_info_1", 0x390, 8 }, { "guest_exit_info_2", 0x398, 8 },
	{ "guest_exit_int_info", 0x3a0, 8 }, { "guest_nrip", 0x3a8, 8 },
	{ "sev_features", VMSA_SEV_FEATURES, 8 }, { "vintr_ctrl", 0x3b8, 8 },
	{ "guest_exit_code", 0x3c0, 8 }, { "virtual_tom", 0x3c8, 8 },
	{ "tlb_id", 0x3d0, 8 }, { "pcpu_id", 0x3d8, 8 },
	{ "event_inj", 0x3e0, 8 }, { "xcr0", VMSA_XCR0, 8 },
	{ "x87_dp", 0x400, 8 }, { "mxcsr", VMSA_MXCSR, 4 },
	{ "x87_ftw", 0x40c, 2 }, { "x87_fsw", 0x40e, 2 },
	{ "x87_fcw", VMSA_X87_FCW, 2 }, { "x87_fop", 0x412, 2 },
	{ "x87_ds", 0x414, 2 }, { "x87_cs", 0x416, 2 },
	{ "x87_rip", 0x418, 8 },
};

/* Register arrays, shown only as zero or not */
static const struct vmsa_field arrays[] = {
	{ "fpreg_x87", 0x420, 80 }, { "fpreg_xmm", 0x470, 256 },
	{ "fpreg_ymm", 0x570, 256 },
};

static void mark(u8 *known, const struct vmsa_field *f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		memset(known + f[i].off, 1, f[i].len);
}

static bool all_zero(const u8 *p, size_t len)
{
	while (len--)
		if (*p++)
			return false;
	return true;
}

/* " (P S type 0xb DPL 0 ...)" for a non-zero segment attribute */
static void print_attrib(FILE *f, u16 a)
{
	if (!a)
		return;
	fprintf(f, " (type %#x%s DPL %u%s%s%s%s%s)", a & 0xf,
		a & BIT(4) ? " S" : "", (a >> 5) & 3, a & BIT(7) ? " P" : "",
		a & BIT(8) ? " AVL" : "", a & BIT(9) ? " L" : "",
		a & BIT(10) ? " DB" : "", a & BIT(11) ? " G" : "");
}

int sev_vmsa_print(FILE *f, const u8 *page, size_t len)
{
	unsigned int fam, model, step;
	u8 known[SEV_VMSA_PAGE_LEN];
	size_t i, j, first;
	u64 v;

	if (len != SEV_VMSA_PAGE_LEN)
		return sev_err(SEV_ERR_FORMAT,
			       "a VMSA page has %d bytes, not %zu",
			       SEV_VMSA_PAGE_LEN, len);
	memset(known, 0, sizeof(known));
	mark(known, segs, ARRAY_SIZE(segs));
	mark(known, scalars, ARRAY_SIZE(scalars));
	mark(known, arrays, ARRAY_SIZE(arrays));

	fprintf(f, "segments:  selector attrib limit      base\n");
	for (i = 0; i < ARRAY_SIZE(segs); i++) {
		const u8 *s = page + segs[i].off;
		u16 attrib = (u16)get_le(s + 2, 2);

		fprintf(f, "  %-5s    0x%04x   0x%04x 0x%08x 0x%016llx",
			segs[i].name, (unsigned int)get_le(s, 2), attrib,
			(unsigned int)get_le(s + 4, 4),
			(unsigned long long)get_le(s + 8, 8));
		print_attrib(f, attrib);
		fputc('\n', f);
	}
	fprintf(f, "registers and fields:\n");
	for (i = 0; i < ARRAY_SIZE(scalars); i++) {
		const struct vmsa_field *s = &scalars[i];

		v = get_le(page + s->off, s->len);
		fprintf(f, "  %-20s 0x%0*llx", s->name, 2 * s->len,
			(unsigned long long)v);
		if (s->off == VMSA_RDX && v && v <= 0xffffffffu) {
			sev_cpu_sig_decode((u32)v, &fam, &model, &step);
			fprintf(f, "  (as a CPU signature: family %u model %u stepping %u)",
				fam, model, step);
		}
		fputc('\n', f);
	}
	for (i = 0; i < ARRAY_SIZE(arrays); i++)
		fprintf(f, "  %-20s %s\n", arrays[i].name,
			all_zero(page + arrays[i].off, arrays[i].len) ?
			"zero" : "NON-ZERO");
	v = get_le(page + VMSA_CS + 8, 8) + get_le(page + VMSA_RIP, 8);
	fprintf(f, "entry point (cs.base + rip): %#llx\n",
		(unsigned long long)v);

	/* everything else is reserved, and the page tail after 0x670 */
	first = SEV_VMSA_PAGE_LEN;
	fprintf(f, "reserved bytes:");
	j = 0;
	for (i = 0; i <= SEV_VMSA_PAGE_LEN; i++) {
		bool odd = i < SEV_VMSA_PAGE_LEN && !known[i] && page[i];

		if (odd && first == SEV_VMSA_PAGE_LEN) {
			first = i;
		} else if (!odd && first != SEV_VMSA_PAGE_LEN) {
			fprintf(f, " %#zx-%#zx", first, i - 1);
			first = SEV_VMSA_PAGE_LEN;
			j++;
		}
	}
	fprintf(f, "%s\n", j ? " NON-ZERO" : " all zero");
	return SEV_OK;
}
