/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The platform certificate chain: PDH_CERT_EXPORT's PEK || OCA || CEK blob
 * and the full ARK -> ASK -> CEK -> PEK -> PDH (+ OCA -> PEK) verification.
 */

#ifndef _SEVTOOLS_CHAIN_H
#define _SEVTOOLS_CHAIN_H

#include "amdcert.h"
#include "sevcert.h"

struct sev_platform_certs {
	const struct amd_cert *ark;
	const struct amd_cert *ask;
	const struct sev_cert *cek;	/* the CEK signed by the ASK */
	const struct sev_cert *pek;
	const struct sev_cert *oca;
	const struct sev_cert *chain_cek; /* unsigned CEK from the chain */
	const struct sev_cert *pdh;
	const struct sev_cert *owner_oca; /* optional: the owner's own OCA */
};

/* Called once per link with its result (0 or a SEV_ERR_* code) */
typedef void (*sev_link_fn)(void *arg, const char *link, int result,
			    const char *why);

/* Split and parse a PEK || OCA || CEK chain, checking each usage */
int sev_chain_parse(const u8 *buf, size_t len, struct sev_cert *pek,
		    struct sev_cert *oca, struct sev_cert *cek);
/* Verify every link; returns SEV_ERR_VERIFY if any link failed */
int sev_chain_verify(const struct sev_platform_certs *p, sev_link_fn fn,
		     void *arg);

#endif /* _SEVTOOLS_CHAIN_H */
