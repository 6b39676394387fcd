/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Base64 (RFC 4648, standard alphabet, with padding).
 */

#ifndef _SEVTOOLS_B64_H
#define _SEVTOOLS_B64_H

#include "sevtypes.h"

/* Bytes needed to encode @len bytes, including the terminating NUL */
size_t sev_b64_encoded_len(size_t len);
/* Encode @len bytes into @out (sev_b64_encoded_len(len) bytes) */
void sev_b64_encode(const u8 *in, size_t len, char *out);
/*
 * Decode @len characters (white space is skipped) into @out, which holds
 * @max bytes. Returns the number of bytes or SEV_ERR_FORMAT.
 */
long sev_b64_decode(const char *in, size_t len, u8 *out, size_t max);

#endif /* _SEVTOOLS_B64_H */
