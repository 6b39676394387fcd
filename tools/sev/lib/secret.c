// SPDX-License-Identifier: GPL-2.0-only
/*
 * Build (and check) LAUNCH_SECRET packets.
 */

#include <string.h>

#include "secret.h"

#define SECRET_CTX	0x01	/* context byte of the packet HMAC */
#define OFF_FLAGS	0x00
#define OFF_IV		0x04
#define OFF_MAC		0x14

static int check_len(size_t len)
{
	if (!len || len % SEV_SECRET_ALIGN || len > SEV_SECRET_MAX)
		return sev_err(SEV_ERR_ARG,
			       "secret length %zu: must be a non-zero multiple of %d, at most %d",
			       len, SEV_SECRET_ALIGN, SEV_SECRET_MAX);
	return SEV_OK;
}

static int packet_mac(const u8 tik[SEV_KEY_LEN],
		      const u8 measure[SEV_MEASURE_LEN],
		      const struct sev_secret_hdr *hdr, const u8 *ct,
		      size_t len, u8 mac[SEV_HMAC_LEN])
{
	u8 ctx = SECRET_CTX, flags[4], lens[8];
	struct sev_buf msg[6] = {
		{ &ctx, 1 }, { flags, sizeof(flags) },
		{ hdr->iv, sizeof(hdr->iv) }, { lens, sizeof(lens) },
		{ ct, len }, { measure, SEV_MEASURE_LEN },
	};

	sev_put_le32(flags, hdr->flags);
	sev_put_le32(lens, (u32)len);		/* GUEST_LEN */
	sev_put_le32(lens + 4, (u32)len);	/* TRANS_LEN */
	return sev_hmac_sha256(tik, SEV_KEY_LEN, msg, ARRAY_SIZE(msg), mac);
}

int sev_secret_build(const u8 tek[SEV_KEY_LEN], const u8 tik[SEV_KEY_LEN],
		     const u8 measure[SEV_MEASURE_LEN],
		     const u8 iv[SEV_AES_IV_LEN], const u8 *secret,
		     size_t len, struct sev_secret_hdr *hdr, u8 *ct)
{
	int ret = check_len(len);

	if (ret)
		return ret;
	memset(hdr, 0, sizeof(*hdr));
	memcpy(hdr->iv, iv, SEV_AES_IV_LEN);
	ret = sev_aes128_ctr(tek, iv, secret, ct, len);
	if (!ret)
		ret = packet_mac(tik, measure, hdr, ct, len, hdr->mac);
	return ret;
}

int sev_secret_open(const u8 tek[SEV_KEY_LEN], const u8 tik[SEV_KEY_LEN],
		    const u8 measure[SEV_MEASURE_LEN],
		    const struct sev_secret_hdr *hdr, const u8 *ct,
		    size_t len, u8 *plain)
{
	u8 mac[SEV_HMAC_LEN];
	int ret = check_len(len);

	if (!ret)
		ret = packet_mac(tik, measure, hdr, ct, len, mac);
	if (!ret && !sev_mem_equal(mac, hdr->mac, sizeof(mac)))
		ret = sev_err(SEV_ERR_VERIFY, "secret packet MAC mismatch");
	if (!ret && (hdr->flags & 1))
		ret = sev_err(SEV_ERR_FORMAT,
			      "compressed secret packets are not supported");
	if (!ret)
		ret = sev_aes128_ctr(tek, hdr->iv, ct, plain, len);
	return ret;
}

void sev_secret_hdr_encode(const struct sev_secret_hdr *hdr,
			   u8 out[SEV_SECRET_HDR_SIZE])
{
	sev_put_le32(out + OFF_FLAGS, hdr->flags);
	memcpy(out + OFF_IV, hdr->iv, sizeof(hdr->iv));
	memcpy(out + OFF_MAC, hdr->mac, sizeof(hdr->mac));
}

int sev_secret_hdr_parse(struct sev_secret_hdr *hdr, const u8 *buf,
			 size_t len)
{
	if (len != SEV_SECRET_HDR_SIZE)
		return sev_err(SEV_ERR_FORMAT,
			       "%s secret header: %zu bytes, expected %d",
			       len < SEV_SECRET_HDR_SIZE ? "truncated" :
			       "oversized", len, SEV_SECRET_HDR_SIZE);
	hdr->flags = sev_get_le32(buf + OFF_FLAGS);
	memcpy(hdr->iv, buf + OFF_IV, sizeof(hdr->iv));
	memcpy(hdr->mac, buf + OFF_MAC, sizeof(hdr->mac));
	return SEV_OK;
}
