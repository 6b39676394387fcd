// SPDX-License-Identifier: GPL-2.0-only
/*
 * Verification of DOWNLOAD_FIRMWARE images: the project's own signed
 * format, checked against the test firmware-signing key, and the
 * anti-rollback rule.
 */

#include <uapi/linux/psp-sev.h>
#include <linux/string.h>
#include <crypto/sha2.h>

#include "sevfw-internal.h"
#include "sevfw-image.h"
#include "sevfw-testroots.h"

static_assert(sizeof(struct sevfw_image_hdr) == 0x20);
static_assert(sizeof(struct sevfw_ecdsa_sig) == SEVFW_IMAGE_SIG_LEN);

/**
 * sevfw_image_verify - check a firmware image and read its version
 * @img: the whole image
 * @len: its length (FW_LEN)
 * @api_major: out: the image's API major version
 * @api_minor: out: the image's API minor version
 * @build: out: the image's build number
 *
 * Return: SUCCESS; INVALID_LEN if @len disagrees with the header;
 * BAD_SIGNATURE for an image that is not in the format or whose signature
 * does not verify with the firmware-signing key.
 */
u16 sevfw_image_verify(const u8 *img, size_t len, u8 *api_major,
		       u8 *api_minor, u8 *build)
{
	const struct sevfw_image_hdr *hdr = (const void *)img;
	struct sevfw_ecdsa_sig sig;
	u8 digest[SHA256_DIGEST_SIZE];
	size_t signed_len;
	int ret;

	if (len < SEVFW_IMAGE_MIN_LEN)
		return SEV_RET_INVALID_LEN;
	if (memcmp(hdr->magic, SEVFW_IMAGE_MAGIC, sizeof(hdr->magic)) ||
	    le32_to_cpu(hdr->version) != SEVFW_IMAGE_VERSION ||
	    le32_to_cpu(hdr->hdr_len) != sizeof(*hdr) || hdr->reserved0 ||
	    memchr_inv(hdr->reserved1, 0, sizeof(hdr->reserved1)))
		return SEV_RET_BAD_SIGNATURE;
	if (le32_to_cpu(hdr->payload_len) != len - SEVFW_IMAGE_MIN_LEN)
		return SEV_RET_INVALID_LEN;

	signed_len = len - SEVFW_IMAGE_SIG_LEN;
	sha256(img, signed_len, digest);
	memcpy(&sig, img + signed_len, sizeof(sig));
	ret = sevfw_ecdsa_verify_digest(&sevfw_test_fwsign_pub, digest,
					sizeof(digest), &sig);
	if (ret)
		return SEV_RET_BAD_SIGNATURE;

	*api_major = hdr->api_major;
	*api_minor = hdr->api_minor;
	*build = hdr->build;
	return SEV_RET_SUCCESS;
}

/**
 * sevfw_image_check_version - the anti-rollback rule of DOWNLOAD_FIRMWARE
 * @p: the running firmware: its version and whether rollback is allowed
 * @api_major: the verified image's API major version
 * @api_minor: its API minor version
 * @build: its build number
 *
 * An image older than the running firmware is refused unless
 * @p->allow_rollback is set; the same version may be installed again
 * (Linux sends the image it finds at every probe).
 *
 * Return: SUCCESS; INVALID_CONFIG for a rollback, the status AMD's firmware
 * returns when its boot loader detects one.
 */
u16 sevfw_image_check_version(const struct sevfw_params *p, u8 api_major,
			      u8 api_minor, u8 build)
{
	if (p->allow_rollback)
		return SEV_RET_SUCCESS;
	if (sevfw_image_version(api_major, api_minor, build) <
	    sevfw_image_version(p->api_major, p->api_minor, p->build))
		return SEV_RET_INAVLID_CONFIG;
	return SEV_RET_SUCCESS;
}
