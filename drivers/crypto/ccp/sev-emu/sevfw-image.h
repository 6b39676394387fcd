/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The signed firmware-image format that the software SEV firmware accepts
 * in DOWNLOAD_FIRMWARE (Documentation/sev-emu-firmware-image.rst).
 * tools/sev-fwimage/mkfwimage.c writes it.
 */

#ifndef _SEVFW_IMAGE_H
#define _SEVFW_IMAGE_H

#include <linux/sizes.h>
#include <linux/types.h>

#define SEVFW_IMAGE_MAGIC	"SEVEMUFW"
#define SEVFW_IMAGE_VERSION	1
#define SEVFW_IMAGE_SIG_LEN	96		/* r || s, big-endian */
#define SEVFW_IMAGE_ALIGN	32		/* FW_PADDR alignment */
#define SEVFW_IMAGE_MIN_LEN	(sizeof(struct sevfw_image_hdr) + \
				 SEVFW_IMAGE_SIG_LEN)
#define SEVFW_IMAGE_MAX_LEN	SZ_1M

/**
 * struct sevfw_image_hdr - header of a firmware image (little-endian)
 * @magic: SEVFW_IMAGE_MAGIC, not NUL-terminated
 * @version: SEVFW_IMAGE_VERSION
 * @hdr_len: sizeof(struct sevfw_image_hdr)
 * @api_major: API version the image brings
 * @api_minor: ditto
 * @build: build number the image brings
 * @reserved0: zero
 * @payload_len: bytes of payload after the header
 * @reserved1: zero
 *
 * The payload follows, then the signature: ECDSA P-384 over
 * SHA-256(header || payload) with the firmware-signing key.
 */
struct sevfw_image_hdr {
	u8 magic[8];
	__le32 version;
	__le32 hdr_len;
	u8 api_major;
	u8 api_minor;
	u8 build;
	u8 reserved0;
	__le32 payload_len;
	u8 reserved1[8];
} __packed;

/**
 * sevfw_image_version - a firmware version as one comparable number
 * @api_major: API major version
 * @api_minor: API minor version
 * @build: build number
 *
 * Versions order by API major, then API minor, then build (AMD's firmware
 * packs its FWVersion the same way).
 *
 * Return: @api_major << 16 | @api_minor << 8 | @build.
 */
static inline u32 sevfw_image_version(u8 api_major, u8 api_minor, u8 build)
{
	return (u32)api_major << 16 | (u32)api_minor << 8 | build;
}

#endif /* _SEVFW_IMAGE_H */
