/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * OVMF's GUID-tagged table at the end of the flash image (the "footer
 * table" QEMU reads) and the SEV-ES reset block in it. Every length in the
 * image is checked against the image: it is untrusted input.
 */

#ifndef _SEVTOOLS_OVMF_H
#define _SEVTOOLS_OVMF_H

#include "sevtypes.h"

#define OVMF_GUID_LEN		16
/* The footer GUID ends this many bytes before the end of the image */
#define OVMF_FOOTER_END_GAP	0x20
/* Length field (u16) + GUID closing every entry and the table itself */
#define OVMF_ENTRY_TAIL		(2 + OVMF_GUID_LEN)

/* GUIDs in their stored (little-endian) byte order */
extern const u8 ovmf_footer_guid[OVMF_GUID_LEN];
extern const u8 ovmf_sev_es_reset_guid[OVMF_GUID_LEN];

/*
 * The table's entries lie in img[start, end): each is data || u16 length
 * (data + 18) || GUID, read backwards from @end.
 */
struct ovmf_table {
	const u8 *img;
	size_t start;
	size_t end;
};

/* Walk state: @pos is the end of the next entry to read */
struct ovmf_entry {
	u8 guid[OVMF_GUID_LEN];
	const u8 *data;
	size_t len;
	size_t pos;
};

/*
 * Find the footer table in an image of @size bytes. SEV_ERR_FORMAT (with a
 * message) if the image has no footer GUID or the table length does not
 * fit the image; an empty table is valid.
 */
int ovmf_table_parse(const u8 *img, size_t size, struct ovmf_table *t);

/*
 * Step to the next entry, starting with e->pos = t->end. Returns 1 with
 * @e filled, 0 at the end of the table, or SEV_ERR_FORMAT for an entry
 * whose length is too small or runs past the start of the table.
 */
int ovmf_table_next(const struct ovmf_table *t, struct ovmf_entry *e);

/*
 * The data of the first entry tagged @guid: SEV_OK, SEV_ERR_FORMAT if a
 * corrupt entry comes before it or it is absent (message says which).
 */
int ovmf_table_find(const struct ovmf_table *t, const u8 *guid,
		    const u8 **data, size_t *len);

/*
 * The AP reset address of an SEV-ES guest, as QEMU finds it: the SEV-ES
 * reset block of the footer table, else (no table, or no such entry) the
 * legacy block whose GUID ends 0x20 bytes before the end of the image. A
 * block shorter than 4 bytes or a zero address is SEV_ERR_FORMAT. @where,
 * if not NULL, is set to "footer table" or "legacy block".
 */
int ovmf_sev_es_reset_addr(const u8 *img, size_t size, u32 *addr,
			   const char **where);

/* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" of a stored GUID; @out holds 37 */
void ovmf_guid_str(const u8 *guid, char *out);

#endif /* _SEVTOOLS_OVMF_H */
