/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Fixed-width types, little-endian helpers and error reporting shared by the
 * SEV userspace library.
 */

#ifndef _SEVTOOLS_SEVTYPES_H
#define _SEVTOOLS_SEVTYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define BIT(n)		(1u << (n))
/* printf format checking, spelled like the kernel's compiler_attributes.h */
#define sev_attribute	__attribute__
#define __printf(a, b)	sev_attribute((__format__(printf, a, b)))

/* Library return codes (0 is success) */
enum {
	SEV_OK = 0,
	SEV_ERR_FORMAT = -1,	/* malformed input (truncated, bad field) */
	SEV_ERR_VERIFY = -2,	/* a signature, MAC or comparison failed */
	SEV_ERR_CRYPTO = -3,	/* OpenSSL failed */
	SEV_ERR_IO = -4,	/* file or device I/O failed */
	SEV_ERR_NOMEM = -5,	/* out of memory */
	SEV_ERR_ARG = -6,	/* bad argument from the caller */
};

/* Exit codes of the command-line programs */
enum {
	SEV_EXIT_OK = 0,
	SEV_EXIT_FAIL = 1,	/* verification failed / negative result */
	SEV_EXIT_USAGE = 2,	/* usage error */
	SEV_EXIT_IO = 3,	/* I/O or device error */
	SEV_EXIT_FW = 4,	/* the firmware returned an error */
};

static inline u16 sev_get_le16(const u8 *p)
{
	return (u16)(p[0] | p[1] << 8);
}

static inline u32 sev_get_le32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 |
	       (u32)p[3] << 24;
}

static inline void sev_put_le32(u8 *p, u32 v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = (v >> 24) & 0xff;
}

/* Record a message describing the last error; returns @code */
__printf(2, 3) int sev_err(int code, const char *fmt, ...);
/* The last message recorded by sev_err() */
const char *sev_errmsg(void);
/* Map a library return code to a program exit code */
int sev_exit_code(int code);

/* Overwrite secrets so the compiler cannot drop the stores */
void sev_wipe(void *p, size_t len);
/* true if all @len bytes at @p are zero */
bool sev_is_zero(const u8 *p, size_t len);
/* Reverse @len bytes from @in into @out (little <-> big endian) */
void sev_reverse(u8 *out, const u8 *in, size_t len);

#endif /* _SEVTOOLS_SEVTYPES_H */
