// SPDX-License-Identifier: GPL-2.0-only
/*
 * LAUNCH_START session: key derivation (master secret, KEK, KIK), TEK/TIK
 * wrapping and the policy MAC.
 */

#include <string.h>

#include "session.h"
#include "sevkey.h"

#define OFF_NONCE	0x00
#define OFF_WRAP_TK	0x10
#define OFF_WRAP_IV	0x30
#define OFF_WRAP_MAC	0x40
#define OFF_POLICY_MAC	0x60

int sev_session_parse(struct sev_session *s, const u8 *buf, size_t len)
{
	memset(s, 0, sizeof(*s));
	if (len < SEV_SESSION_SIZE)
		return sev_err(SEV_ERR_FORMAT,
			       "truncated session: %zu bytes, a session blob has %d",
			       len, SEV_SESSION_SIZE);
	if (len > SEV_SESSION_SIZE)
		return sev_err(SEV_ERR_FORMAT,
			       "oversized session: %zu bytes, a session blob has %d",
			       len, SEV_SESSION_SIZE);
	memcpy(s->nonce, buf + OFF_NONCE, sizeof(s->nonce));
	memcpy(s->wrap_tk, buf + OFF_WRAP_TK, sizeof(s->wrap_tk));
	memcpy(s->wrap_iv, buf + OFF_WRAP_IV, sizeof(s->wrap_iv));
	memcpy(s->wrap_mac, buf + OFF_WRAP_MAC, sizeof(s->wrap_mac));
	memcpy(s->policy_mac, buf + OFF_POLICY_MAC, sizeof(s->policy_mac));
	return SEV_OK;
}

void sev_session_encode(const struct sev_session *s, u8 out[SEV_SESSION_SIZE])
{
	memcpy(out + OFF_NONCE, s->nonce, sizeof(s->nonce));
	memcpy(out + OFF_WRAP_TK, s->wrap_tk, sizeof(s->wrap_tk));
	memcpy(out + OFF_WRAP_IV, s->wrap_iv, sizeof(s->wrap_iv));
	memcpy(out + OFF_WRAP_MAC, s->wrap_mac, sizeof(s->wrap_mac));
	memcpy(out + OFF_POLICY_MAC, s->policy_mac, sizeof(s->policy_mac));
}

int sev_session_kek_kik(const u8 *z, size_t zlen,
			const u8 nonce[SEV_NONCE_LEN], u8 kek[SEV_KEY_LEN],
			u8 kik[SEV_KEY_LEN])
{
	u8 ms[SEV_KEY_LEN];
	int ret;

	ret = sev_kdf(z, zlen, "sev-master-secret", nonce, SEV_NONCE_LEN, ms,
		      sizeof(ms));
	if (!ret)
		ret = sev_kdf(ms, sizeof(ms), "sev-kek", NULL, 0, kek,
			      SEV_KEY_LEN);
	if (!ret)
		ret = sev_kdf(ms, sizeof(ms), "sev-kik", NULL, 0, kik,
			      SEV_KEY_LEN);
	sev_wipe(ms, sizeof(ms));
	return ret;
}

static int policy_mac(const u8 tik[SEV_KEY_LEN], u32 policy,
		      u8 mac[SEV_HMAC_LEN])
{
	u8 le[4];
	struct sev_buf msg = { le, sizeof(le) };

	sev_put_le32(le, policy);
	return sev_hmac_sha256(tik, SEV_KEY_LEN, &msg, 1, mac);
}

int sev_session_build(const u8 *z, size_t zlen, const u8 nonce[SEV_NONCE_LEN],
		      const u8 iv[SEV_AES_IV_LEN], const u8 tek[SEV_KEY_LEN],
		      const u8 tik[SEV_KEY_LEN], u32 policy,
		      struct sev_session *s)
{
	u8 kek[SEV_KEY_LEN], kik[SEV_KEY_LEN], keys[2 * SEV_KEY_LEN];
	struct sev_buf msg;
	int ret;

	memset(s, 0, sizeof(*s));
	memcpy(s->nonce, nonce, SEV_NONCE_LEN);
	memcpy(s->wrap_iv, iv, SEV_AES_IV_LEN);
	memcpy(keys, tek, SEV_KEY_LEN);
	memcpy(keys + SEV_KEY_LEN, tik, SEV_KEY_LEN);
	ret = sev_session_kek_kik(z, zlen, nonce, kek, kik);
	if (!ret)
		ret = sev_aes128_ctr(kek, iv, keys, s->wrap_tk, sizeof(keys));
	if (!ret) {
		msg = (struct sev_buf){ s->wrap_tk, sizeof(s->wrap_tk) };
		ret = sev_hmac_sha256(kik, sizeof(kik), &msg, 1, s->wrap_mac);
	}
	if (!ret)
		ret = policy_mac(tik, policy, s->policy_mac);
	sev_wipe(kek, sizeof(kek));
	sev_wipe(kik, sizeof(kik));
	sev_wipe(keys, sizeof(keys));
	return ret;
}

int sev_session_unwrap(const struct sev_session *s, const u8 *z, size_t zlen,
		       u32 policy, u8 tek[SEV_KEY_LEN], u8 tik[SEV_KEY_LEN])
{
	u8 kek[SEV_KEY_LEN], kik[SEV_KEY_LEN], keys[2 * SEV_KEY_LEN];
	u8 mac[SEV_HMAC_LEN];
	struct sev_buf msg = { s->wrap_tk, sizeof(s->wrap_tk) };
	int ret;

	ret = sev_session_kek_kik(z, zlen, s->nonce, kek, kik);
	if (!ret)
		ret = sev_hmac_sha256(kik, sizeof(kik), &msg, 1, mac);
	if (!ret && !sev_mem_equal(mac, s->wrap_mac, sizeof(mac)))
		ret = sev_err(SEV_ERR_VERIFY,
			      "session WRAP_MAC mismatch (wrong PDH or corrupted session)");
	if (!ret)
		ret = sev_aes128_ctr(kek, s->wrap_iv, s->wrap_tk, keys,
				     sizeof(keys));
	if (!ret)
		ret = policy_mac(keys + SEV_KEY_LEN, policy, mac);
	if (!ret && !sev_mem_equal(mac, s->policy_mac, sizeof(mac)))
		ret = sev_err(SEV_ERR_VERIFY,
			      "session POLICY_MAC mismatch (policy %#x was not the one the session was made for)",
			      policy);
	if (!ret) {
		memcpy(tek, keys, SEV_KEY_LEN);
		memcpy(tik, keys + SEV_KEY_LEN, SEV_KEY_LEN);
	}
	sev_wipe(kek, sizeof(kek));
	sev_wipe(kik, sizeof(kik));
	sev_wipe(keys, sizeof(keys));
	return ret;
}

int sev_session_create(const struct sev_cert *pdh, u32 policy,
		       struct sev_cert *godh, EVP_PKEY **godh_key,
		       struct sev_session *s, u8 tek[SEV_KEY_LEN],
		       u8 tik[SEV_KEY_LEN])
{
	u8 z[SEV_P384_LEN], nonce[SEV_NONCE_LEN], iv[SEV_AES_IV_LEN];
	EVP_PKEY *key = NULL, *peer = NULL;
	int ret;

	if (godh_key)
		*godh_key = NULL;
	ret = sev_cert_expect_usage(pdh, SEV_USAGE_PDH, "PDH certificate");
	if (ret)
		return ret;
	if (pdh->algo != SEV_ALGO_ECDH_SHA256)
		return sev_err(SEV_ERR_FORMAT,
			       "PDH certificate: algorithm %#x, the firmware uses ECDH-SHA256 (0x3)",
			       pdh->algo);
	ret = sev_cert_pubkey(pdh, &peer);
	if (!ret)
		ret = sev_ec_generate(&key);
	/* like the firmware's own certificates the GODH carries no signature */
	if (!ret)
		ret = sev_cert_init(godh, 0, 0, SEV_USAGE_PDH,
				    SEV_ALGO_ECDH_SHA256, key);
	if (!ret)
		ret = sev_ecdh(key, peer, z);
	if (!ret)
		ret = sev_random(tek, SEV_KEY_LEN);
	if (!ret)
		ret = sev_random(tik, SEV_KEY_LEN);
	if (!ret)
		ret = sev_random(nonce, sizeof(nonce));
	if (!ret)
		ret = sev_random(iv, sizeof(iv));
	if (!ret)
		ret = sev_session_build(z, sizeof(z), nonce, iv, tek, tik,
					policy, s);
	sev_wipe(z, sizeof(z));
	EVP_PKEY_free(peer);
	if (!ret && godh_key)
		*godh_key = key;
	else
		EVP_PKEY_free(key);
	return ret;
}

static void print_hex(FILE *f, const char *indent, const char *label,
		      const u8 *p, size_t len)
{
	size_t i;

	fprintf(f, "%s  %-10s ", indent, label);
	for (i = 0; i < len; i++)
		fprintf(f, "%02x", p[i]);
	fputc('\n', f);
}

void sev_session_print(FILE *f, const struct sev_session *s,
		       const char *indent)
{
	fprintf(f, "%sLAUNCH_START session (%d bytes)\n", indent,
		SEV_SESSION_SIZE);
	print_hex(f, indent, "NONCE", s->nonce, sizeof(s->nonce));
	print_hex(f, indent, "WRAP_TK", s->wrap_tk, sizeof(s->wrap_tk));
	print_hex(f, indent, "WRAP_IV", s->wrap_iv, sizeof(s->wrap_iv));
	print_hex(f, indent, "WRAP_MAC", s->wrap_mac, sizeof(s->wrap_mac));
	print_hex(f, indent, "POLICY_MAC", s->policy_mac,
		  sizeof(s->policy_mac));
}
