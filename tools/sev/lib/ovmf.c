// SPDX-License-Identifier: GPL-2.0-only
/*
 * OVMF footer table and SEV-ES reset block (layout: EDK2
 * OvmfPkg/ResetVector/Ia16/ResetVectorVtf0.asm; the lookup QEMU does in
 * hw/i386/pc_sysfw_ovmf.c and target/i386/sev.c).
 *
 *   ... | entry data | u16 len | GUID | ... | u16 table len | footer GUID |
 *                                                       0x20 bytes | end
 */

#include <stdio.h>
#include <string.h>

#include "ovmf.h"
#include "util.h"

/* 96b582de-1fb2-45f7-baea-a366c55a082d */
const u8 ovmf_footer_guid[OVMF_GUID_LEN] = {
	0xde, 0x82, 0xb5, 0x96, 0xb2, 0x1f, 0xf7, 0x45,
	0xba, 0xea, 0xa3, 0x66, 0xc5, 0x5a, 0x08, 0x2d,
};

/* 00f771de-1a7e-4fcb-890e-68c77e2fb44e */
const u8 ovmf_sev_es_reset_guid[OVMF_GUID_LEN] = {
	0xde, 0x71, 0xf7, 0x00, 0x7e, 0x1a, 0xcb, 0x4f,
	0x89, 0x0e, 0x68, 0xc7, 0x7e, 0x2f, 0xb4, 0x4e,
};

/* The u32 reset address the SEV-ES block starts with */
#define RESET_BLOCK_MIN		4

void ovmf_guid_str(const u8 *g, char *out)
{
	snprintf(out, 37,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 g[3], g[2], g[1], g[0], g[5], g[4], g[7], g[6], g[8], g[9],
		 g[10], g[11], g[12], g[13], g[14], g[15]);
}

int ovmf_table_parse(const u8 *img, size_t size, struct ovmf_table *t)
{
	size_t foot = OVMF_FOOTER_END_GAP + OVMF_ENTRY_TAIL;
	size_t len_at, body;
	u16 total;

	memset(t, 0, sizeof(*t));
	if (size < foot)
		return sev_err(SEV_ERR_FORMAT,
			       "%zu bytes are too few for an OVMF footer table",
			       size);
	len_at = size - foot;
	if (memcmp(img + len_at + 2, ovmf_footer_guid, OVMF_GUID_LEN))
		return sev_err(SEV_ERR_FORMAT,
			       "no OVMF footer table GUID at offset %#zx",
			       len_at + 2);
	total = sev_get_le16(img + len_at);
	if (total < OVMF_ENTRY_TAIL)
		return sev_err(SEV_ERR_FORMAT,
			       "OVMF footer table length %u is less than %d",
			       total, OVMF_ENTRY_TAIL);
	body = total - OVMF_ENTRY_TAIL;
	if (body > len_at)
		return sev_err(SEV_ERR_FORMAT,
			       "OVMF footer table length %u runs past the start of the image",
			       total);
	t->img = img;
	t->start = len_at - body;
	t->end = len_at;
	return SEV_OK;
}

int ovmf_table_next(const struct ovmf_table *t, struct ovmf_entry *e)
{
	size_t pos = e->pos;
	u16 len;

	if (pos > t->end || pos < t->start)
		return sev_err(SEV_ERR_ARG, "walk position outside the table");
	/* fewer bytes left than an entry's tail: the end, as for QEMU */
	if (pos - t->start < OVMF_ENTRY_TAIL)
		return 0;
	len = sev_get_le16(t->img + pos - OVMF_ENTRY_TAIL);
	if (len < OVMF_ENTRY_TAIL)
		return sev_err(SEV_ERR_FORMAT,
			       "OVMF table entry ending at %#zx has length %u, less than %d",
			       pos, len, OVMF_ENTRY_TAIL);
	if (len > pos - t->start)
		return sev_err(SEV_ERR_FORMAT,
			       "OVMF table entry ending at %#zx has length %u, past the start of the table",
			       pos, len);
	memcpy(e->guid, t->img + pos - OVMF_GUID_LEN, OVMF_GUID_LEN);
	e->data = t->img + pos - len;
	e->len = len - OVMF_ENTRY_TAIL;
	e->pos = pos - len;
	return 1;
}

int ovmf_table_find(const struct ovmf_table *t, const u8 *guid,
		    const u8 **data, size_t *len)
{
	struct ovmf_entry e = { .pos = t->end };
	char name[37];
	int ret;

	while ((ret = ovmf_table_next(t, &e)) > 0) {
		if (!memcmp(e.guid, guid, OVMF_GUID_LEN)) {
			*data = e.data;
			*len = e.len;
			return SEV_OK;
		}
	}
	if (ret < 0)
		return ret;
	ovmf_guid_str(guid, name);
	return sev_err(SEV_ERR_FORMAT, "no entry %s in the OVMF footer table",
		       name);
}

static int reset_block(const u8 *data, size_t len, u32 *addr)
{
	if (len < RESET_BLOCK_MIN)
		return sev_err(SEV_ERR_FORMAT,
			       "SEV-ES reset block has %zu data bytes, needs %d",
			       len, RESET_BLOCK_MIN);
	*addr = sev_get_le32(data);
	if (!*addr)
		return sev_err(SEV_ERR_FORMAT, "SEV-ES reset address is zero");
	return SEV_OK;
}

/* The pre-table layout: block || u16 len || GUID, ending at size - 0x20 */
static int legacy_block(const u8 *img, size_t size, const u8 **data,
			size_t *len)
{
	size_t end;
	u16 n;

	if (size < OVMF_FOOTER_END_GAP + OVMF_ENTRY_TAIL)
		return sev_err(SEV_ERR_FORMAT, "no legacy SEV-ES block");
	end = size - OVMF_FOOTER_END_GAP;
	if (memcmp(img + end - OVMF_GUID_LEN, ovmf_sev_es_reset_guid,
		   OVMF_GUID_LEN))
		return sev_err(SEV_ERR_FORMAT, "no legacy SEV-ES block");
	n = sev_get_le16(img + end - OVMF_ENTRY_TAIL);
	if (n < OVMF_ENTRY_TAIL || n > end)
		return sev_err(SEV_ERR_FORMAT,
			       "legacy SEV-ES block has length %u, outside the image",
			       n);
	*data = img + end - n;
	*len = n - OVMF_ENTRY_TAIL;
	return SEV_OK;
}

int ovmf_sev_es_reset_addr(const u8 *img, size_t size, u32 *addr,
			   const char **where)
{
	struct ovmf_table t;
	char why[256], why2[128];
	const u8 *data;
	size_t len;
	int ret;

	ret = ovmf_table_parse(img, size, &t);
	if (!ret)
		ret = ovmf_table_find(&t, ovmf_sev_es_reset_guid, &data, &len);
	if (!ret) {
		if (where)
			*where = "footer table";
		return reset_block(data, len, addr);
	}
	/* like QEMU: any failure of the table means a look for the old block */
	snprintf(why, sizeof(why), "%s", sev_errmsg());
	if (legacy_block(img, size, &data, &len)) {
		/* sev_err() must not read its own buffer */
		snprintf(why2, sizeof(why2), "%s", sev_errmsg());
		return sev_err(SEV_ERR_FORMAT,
			       "no SEV-ES reset block: %s, and %s", why, why2);
	}
	if (where)
		*where = "legacy block";
	return reset_block(data, len, addr);
}
