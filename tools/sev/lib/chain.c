// SPDX-License-Identifier: GPL-2.0-only
/*
 * Platform certificate chain: parse the exported PEK/OCA/CEK blob and
 * verify the trust links from the AMD root to the PDH.
 */

#include <string.h>

#include "chain.h"

int sev_chain_parse(const u8 *buf, size_t len, struct sev_cert *pek,
		    struct sev_cert *oca, struct sev_cert *cek)
{
	static const char * const names[] = { "PEK", "OCA", "CEK" };
	static const u32 want[] = {
		SEV_USAGE_PEK, SEV_USAGE_OCA, SEV_USAGE_CEK
	};
	struct sev_cert *out[] = { pek, oca, cek };
	char what[64];
	int i, ret;

	if (len < SEV_CHAIN_SIZE)
		return sev_err(SEV_ERR_FORMAT,
			       "truncated certificate chain: %zu bytes, expected %d (PEK, OCA, CEK)",
			       len, SEV_CHAIN_SIZE);
	if (len > SEV_CHAIN_SIZE)
		return sev_err(SEV_ERR_FORMAT,
			       "oversized certificate chain: %zu bytes, expected %d (PEK, OCA, CEK)",
			       len, SEV_CHAIN_SIZE);
	for (i = 0; i < 3; i++) {
		const u8 *p = buf + i * SEV_CERT_SIZE;

		ret = sev_cert_parse(out[i], p, SEV_CERT_SIZE);
		if (ret) {
			char msg[512];

			snprintf(msg, sizeof(msg), "%s", sev_errmsg());
			return sev_err(ret, "chain certificate %d (%s): %s",
				       i + 1, names[i], msg);
		}
		snprintf(what, sizeof(what), "chain certificate %d", i + 1);
		ret = sev_cert_expect_usage(out[i], want[i], what);
		if (ret)
			return ret;
	}
	return SEV_OK;
}

static int link_result(sev_link_fn fn, void *arg, const char *link, int ret,
		       int *failed)
{
	if (ret)
		*failed = 1;
	if (fn)
		fn(arg, link, ret, ret ? sev_errmsg() : NULL);
	return ret;
}

int sev_chain_verify(const struct sev_platform_certs *p, sev_link_fn fn,
		     void *arg)
{
	int failed = 0, ret;

	if (!p->ark || !p->ask || !p->cek || !p->pek || !p->oca || !p->pdh)
		return sev_err(SEV_ERR_ARG, "incomplete certificate set");

	ret = p->ark->usage == AMD_USAGE_ARK ? amd_cert_verify(p->ark, p->ark) :
		sev_err(SEV_ERR_VERIFY, "wrong key usage %#x for the ARK",
			p->ark->usage);
	link_result(fn, arg, "ARK is self-signed", ret, &failed);

	ret = p->ask->usage == AMD_USAGE_ASK ? amd_cert_verify(p->ask, p->ark) :
		sev_err(SEV_ERR_VERIFY, "wrong key usage %#x for the ASK",
			p->ask->usage);
	link_result(fn, arg, "ARK -> ASK", ret, &failed);

	ret = sev_cert_expect_usage(p->cek, SEV_USAGE_CEK, "CEK");
	if (!ret)
		ret = sev_cert_verify_ask(p->cek, p->ask);
	link_result(fn, arg, "ASK -> CEK", ret, &failed);

	if (p->chain_cek) {
		ret = sev_cert_same_key(p->cek, p->chain_cek) ? SEV_OK :
			sev_err(SEV_ERR_VERIFY,
				"the signed CEK holds a different key than the platform's CEK");
		link_result(fn, arg, "CEK is the platform's CEK", ret,
			    &failed);
	}

	ret = sev_cert_expect_usage(p->pek, SEV_USAGE_PEK, "PEK");
	if (!ret)
		ret = sev_cert_verify(p->pek, p->cek);
	link_result(fn, arg, "CEK -> PEK", ret, &failed);

	ret = sev_cert_expect_usage(p->oca, SEV_USAGE_OCA, "OCA");
	if (!ret)
		ret = sev_cert_verify(p->oca, p->oca);
	link_result(fn, arg, "OCA is self-signed", ret, &failed);

	if (p->owner_oca) {
		ret = !memcmp(p->owner_oca->raw, p->oca->raw,
			      SEV_CERT_SIGNED_LEN) ? SEV_OK :
			sev_err(SEV_ERR_VERIFY,
				"the platform's OCA is not the owner's OCA");
		link_result(fn, arg, "OCA is the owner's OCA", ret, &failed);
	}

	ret = sev_cert_verify(p->pek, p->oca);
	link_result(fn, arg, "OCA -> PEK", ret, &failed);

	ret = sev_cert_expect_usage(p->pdh, SEV_USAGE_PDH, "PDH");
	if (!ret)
		ret = sev_cert_verify(p->pdh, p->pek);
	link_result(fn, arg, "PEK -> PDH", ret, &failed);

	return failed ? sev_err(SEV_ERR_VERIFY,
				"certificate chain verification failed") :
		SEV_OK;
}
