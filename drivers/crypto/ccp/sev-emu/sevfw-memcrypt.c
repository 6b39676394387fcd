// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest memory as the memory controller would present it to a guest.
 *
 * In transparent mode (the default) guest pages keep their plaintext and
 * the firmware reads and writes them as they are. In opaque mode they hold
 * ciphertext under the guest's VEK, tweaked by the system physical
 * address, like the real engine: XTS-AES-128 (IEEE 1619) with 4 KiB data
 * units, the unit's address as the tweak value. Block j (16 bytes) of
 * the unit at address u is
 *   C = AES-128(K1, P ^ T) ^ T,  T = AES-128(K2, LE128(u)) * x^j
 * (multiplication in GF(2^128) as IEEE 1619 has it; K1 = VEK[0..15],
 * K2 = VEK[16..31]). The host then sees only ciphertext, and a block
 * copied to another address decrypts to garbage. Addresses and lengths
 * are multiples of 16 (every caller checks); a range may start and end
 * anywhere in a unit.
 *
 * The commands go through sevfw_xex_encrypt() and sevfw_xex_decrypt(),
 * which hand whole units to the crypto API's "xts(aes)" (sevfw-accel.c);
 * the lib/crypto code here, one block at a time, does what that cannot
 * (a range that starts inside a unit, no transform), and is what
 * sevfw_vek_encrypt() and sevfw_vek_decrypt() use.
 */

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <crypto/aes.h>
#include <crypto/algapi.h>
#include <crypto/b128ops.h>
#include <crypto/gf128mul.h>

#include "sevfw-internal.h"
#include "sevfw-guest.h"

/* the XTS data unit */
#define SEVFW_XTS_UNIT	SZ_4K

struct sevfw_xex {
	struct crypto_aes_ctx data;
	struct crypto_aes_ctx tweak;
};

static void sevfw_xex_init(struct sevfw_xex *x, const u8 vek[32])
{
	/* cannot fail: the key length is fixed */
	aes_expandkey(&x->data, vek, AES_KEYSIZE_128);
	aes_expandkey(&x->tweak, vek + AES_KEYSIZE_128, AES_KEYSIZE_128);
}

/* The tweak of the block at @pa: its unit's, times x once per block before */
static void sevfw_xex_tweak(struct sevfw_xex *x, u64 pa, le128 *t)
{
	unsigned int j = (pa & (SEVFW_XTS_UNIT - 1)) / AES_BLOCK_SIZE;
	__le64 le[2] = { cpu_to_le64(pa & ~(u64)(SEVFW_XTS_UNIT - 1)), 0 };

	aes_encrypt(&x->tweak, (u8 *)t, (const u8 *)le);
	while (j--)
		gf128mul_x_ble(t, t);
}

static void sevfw_xex(const u8 vek[32], u64 pa, u8 *buf, size_t len, bool enc)
{
	struct sevfw_xex x;
	le128 t;
	size_t off;

	sevfw_xex_init(&x, vek);
	for (off = 0; off + AES_BLOCK_SIZE <= len; off += AES_BLOCK_SIZE) {
		u64 a = pa + off;
		u8 *b = buf + off;

		if (!off || IS_ALIGNED(a, SEVFW_XTS_UNIT))
			sevfw_xex_tweak(&x, a, &t);
		else
			gf128mul_x_ble(&t, &t);
		crypto_xor(b, (u8 *)&t, AES_BLOCK_SIZE);
		if (enc)
			aes_encrypt(&x.data, b, b);
		else
			aes_decrypt(&x.data, b, b);
		crypto_xor(b, (u8 *)&t, AES_BLOCK_SIZE);
	}
	memzero_explicit(&t, sizeof(t));
	memzero_explicit(&x, sizeof(x));
}

/**
 * sevfw_vek_encrypt - encrypt guest data for the memory at an address
 * @vek: the guest's VEK
 * @pa: system physical address of @buf's first byte (C-bit masked)
 * @buf: data, encrypted in place
 * @len: a multiple of 16
 */
void sevfw_vek_encrypt(const u8 vek[32], u64 pa, u8 *buf, size_t len)
{
	sevfw_xex(vek, pa, buf, len, true);
}

/**
 * sevfw_vek_decrypt - decrypt guest memory read from an address
 * @vek: the guest's VEK
 * @pa: system physical address the data was read from (C-bit masked)
 * @buf: data, decrypted in place
 * @len: a multiple of 16
 */
void sevfw_vek_decrypt(const u8 vek[32], u64 pa, u8 *buf, size_t len)
{
	sevfw_xex(vek, pa, buf, len, false);
}

/*
 * The head of a range that starts inside a unit by lib/crypto, then the
 * whole units (and a last partial one) through the crypto API, and by
 * lib/crypto whatever that did not do.
 */
static void sevfw_xex_fw(const struct sevfw *fw, const u8 vek[32], u64 pa,
			 u8 *buf, size_t len, bool enc)
{
	size_t head = min_t(size_t, len, -pa & (SEVFW_XTS_UNIT - 1));
	size_t done;

	if (head) {
		sevfw_xex(vek, pa, buf, head, enc);
		pa += head;
		buf += head;
		len -= head;
	}
	done = sevfw_accel_xex(fw->accel, vek, pa, buf, len, enc);
	if (done < len)
		sevfw_xex(vek, pa + done, buf + done, len - done, enc);
}

/**
 * sevfw_xex_encrypt - sevfw_vek_encrypt() with the instance's transforms
 * @fw: instance; its lock is held
 * @vek: the guest's VEK
 * @pa: system physical address of @buf's first byte (C-bit masked)
 * @buf: data, encrypted in place (any kernel memory, the stack included)
 * @len: a multiple of 16
 */
void sevfw_xex_encrypt(const struct sevfw *fw, const u8 vek[32], u64 pa,
		       u8 *buf, size_t len)
{
	sevfw_xex_fw(fw, vek, pa, buf, len, true);
}

/**
 * sevfw_xex_decrypt - sevfw_vek_decrypt() with the instance's transforms
 * @fw: instance; its lock is held
 * @vek: the guest's VEK
 * @pa: system physical address the data was read from (C-bit masked)
 * @buf: data, decrypted in place (any kernel memory, the stack included)
 * @len: a multiple of 16
 */
void sevfw_xex_decrypt(const struct sevfw *fw, const u8 vek[32], u64 pa,
		       u8 *buf, size_t len)
{
	sevfw_xex_fw(fw, vek, pa, buf, len, false);
}

static bool sevfw_gmem_aligned(u64 pa, size_t len)
{
	return IS_ALIGNED(pa, AES_BLOCK_SIZE) && IS_ALIGNED(len, AES_BLOCK_SIZE);
}

/**
 * sevfw_gmem_read - read guest memory as the guest sees it
 * @fw: instance (its memory mode)
 * @g: the guest
 * @addr: physical address, 16-byte aligned (the C-bit is masked)
 * @buf: out: plaintext
 * @len: a multiple of 16
 *
 * Return: 0, -EINVAL (misaligned), or -EFAULT (not usable RAM).
 */
int sevfw_gmem_read(const struct sevfw *fw, const struct sevfw_guest *g,
		    u64 addr, u8 *buf, size_t len)
{
	u64 pa = sevfw_mem_pa(fw, addr);
	int ret;

	if (!sevfw_gmem_aligned(pa, len))
		return -EINVAL;
	ret = sevfw_mem_read(fw, pa, buf, len);
	if (ret)
		return ret;
	if (fw->p.mem_mode == SEVFW_MEM_OPAQUE)
		sevfw_xex_decrypt(fw, g->vek, pa, buf, len);
	return 0;
}

/**
 * sevfw_gmem_write - write guest memory as the guest would
 * @fw: instance (its memory mode)
 * @g: the guest
 * @addr: physical address, 16-byte aligned (the C-bit is masked)
 * @buf: plaintext; in opaque mode it holds the ciphertext afterwards
 * @len: a multiple of 16
 *
 * Return: 0, -EINVAL (misaligned), or -EFAULT (not usable RAM; nothing
 * written).
 */
int sevfw_gmem_write(const struct sevfw *fw, const struct sevfw_guest *g,
		     u64 addr, u8 *buf, size_t len)
{
	u64 pa = sevfw_mem_pa(fw, addr);
	int ret;

	if (!sevfw_gmem_aligned(pa, len))
		return -EINVAL;
	ret = sevfw_mem_check(fw, pa, len);
	if (ret)
		return ret;
	if (fw->p.mem_mode == SEVFW_MEM_OPAQUE)
		sevfw_xex_encrypt(fw, g->vek, pa, buf, len);
	return sevfw_mem_write(fw, pa, buf, len);
}
