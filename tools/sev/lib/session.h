/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The LAUNCH_START session blob (0x80 bytes) and its key wrapping.
 */

#ifndef _SEVTOOLS_SESSION_H
#define _SEVTOOLS_SESSION_H

#include <stdio.h>
#include "sevcert.h"
#include "sevkdf.h"

#define SEV_SESSION_SIZE	0x80
#define SEV_NONCE_LEN		16

struct sev_session {
	u8 nonce[SEV_NONCE_LEN];
	u8 wrap_tk[2 * SEV_KEY_LEN];
	u8 wrap_iv[SEV_AES_IV_LEN];
	u8 wrap_mac[SEV_HMAC_LEN];
	u8 policy_mac[SEV_HMAC_LEN];
};

/* Decode a 0x80-byte blob (exact length) */
int sev_session_parse(struct sev_session *s, const u8 *buf, size_t len);
void sev_session_encode(const struct sev_session *s,
			u8 out[SEV_SESSION_SIZE]);

/* KEK and KIK from the shared secret Z and the nonce */
int sev_session_kek_kik(const u8 *z, size_t zlen,
			const u8 nonce[SEV_NONCE_LEN], u8 kek[SEV_KEY_LEN],
			u8 kik[SEV_KEY_LEN]);

/* Deterministic part: wrap TEK/TIK and MAC the policy */
int sev_session_build(const u8 *z, size_t zlen, const u8 nonce[SEV_NONCE_LEN],
		      const u8 iv[SEV_AES_IV_LEN], const u8 tek[SEV_KEY_LEN],
		      const u8 tik[SEV_KEY_LEN], u32 policy,
		      struct sev_session *s);

/* Check WRAP_MAC, unwrap TEK/TIK, check POLICY_MAC (as the firmware does) */
int sev_session_unwrap(const struct sev_session *s, const u8 *z, size_t zlen,
		       u32 policy, u8 tek[SEV_KEY_LEN], u8 tik[SEV_KEY_LEN]);

/*
 * Guest-owner side: make a GODH key pair and its certificate, agree on Z
 * with @pdh, pick random TEK, TIK, nonce and IV and build the session.
 * @godh_key (may be NULL) receives the GODH private key.
 */
int sev_session_create(const struct sev_cert *pdh, u32 policy,
		       struct sev_cert *godh, EVP_PKEY **godh_key,
		       struct sev_session *s, u8 tek[SEV_KEY_LEN],
		       u8 tik[SEV_KEY_LEN]);

void sev_session_print(FILE *f, const struct sev_session *s,
		       const char *indent);

#endif /* _SEVTOOLS_SESSION_H */
