// SPDX-License-Identifier: GPL-2.0-only
/*
 * TEST-ONLY hooks of the software SEV firmware, linked into the KUnit
 * build (CONFIG_SEVFW_KUNIT_TEST) and never into sev-emu.ko: install a
 * known PDH private key, so that sessions built outside the kernel with a
 * fixed key can be opened, and fix the next LAUNCH_MEASURE nonce, so that
 * a measurement can be compared with a precomputed vector.
 */

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/psp-sev.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "sevfw-internal.h"
#include "sevfw-guest.h"

/**
 * sevfw_test_install_pdh - replace the PDH key pair with a known one
 * @fw: an initialised instance
 * @d: the private scalar, big-endian
 *
 * The PDH certificate is rebuilt for the new key and signed by the PEK;
 * the persistent store is not written.
 *
 * Return: 0, -EINVAL (bad scalar, platform not initialised) or -errno.
 */
int sevfw_test_install_pdh(struct sevfw *fw, const u8 d[48])
{
	struct sevfw_ecc_key key;
	struct sev_cert *cert;
	int ret;

	cert = kmalloc(sizeof(*cert), GFP_KERNEL);
	if (!cert)
		return -ENOMEM;
	mutex_lock(&fw->lock);
	ret = -EINVAL;
	if (fw->state == SEV_STATE_UNINIT || !fw->id.has_pek)
		goto out;
	memcpy(key.d, d, sizeof(key.d));
	ret = sevfw_ecc_derive_pub(&key);
	if (ret)
		goto out;
	sevfw_cert_init(cert, fw->p.api_major, fw->p.api_minor, SEV_USAGE_PDH,
			SEV_ALGO_ECDH_SHA256, &key.pub);
	ret = sevfw_cert_sign(cert, &fw->id.pek_key, SEV_USAGE_PEK);
	if (ret)
		goto out;
	fw->id.pdh_key = key;
	fw->id.pdh_cert = *cert;
	fw->id.has_pdh = true;
out:
	memzero_explicit(&key, sizeof(key));
	mutex_unlock(&fw->lock);
	kfree(cert);
	return ret;
}

/**
 * sevfw_test_set_mnonce - fix the MNONCE of the next LAUNCH_MEASURE
 * @fw: instance
 * @mnonce: 16 bytes, used once
 */
void sevfw_test_set_mnonce(struct sevfw *fw, const u8 mnonce[16])
{
	mutex_lock(&fw->lock);
	memcpy(fw->test_mnonce, mnonce, sizeof(fw->test_mnonce));
	fw->test_mnonce_set = true;
	mutex_unlock(&fw->lock);
}
