// SPDX-License-Identifier: GPL-2.0-only
/*
 * Base64 encoding and strict decoding (RFC 4648 section 4).
 */

#include <ctype.h>

#include "b64.h"

static const char b64_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t sev_b64_encoded_len(size_t len)
{
	return (len + 2) / 3 * 4 + 1;
}

void sev_b64_encode(const u8 *in, size_t len, char *out)
{
	size_t i, o = 0;
	u32 v;

	for (i = 0; i + 2 < len; i += 3) {
		v = (u32)in[i] << 16 | (u32)in[i + 1] << 8 | in[i + 2];
		out[o++] = b64_alphabet[(v >> 18) & 63];
		out[o++] = b64_alphabet[(v >> 12) & 63];
		out[o++] = b64_alphabet[(v >> 6) & 63];
		out[o++] = b64_alphabet[v & 63];
	}
	if (len - i == 1) {
		v = (u32)in[i] << 16;
		out[o++] = b64_alphabet[(v >> 18) & 63];
		out[o++] = b64_alphabet[(v >> 12) & 63];
		out[o++] = '=';
		out[o++] = '=';
	} else if (len - i == 2) {
		v = (u32)in[i] << 16 | (u32)in[i + 1] << 8;
		out[o++] = b64_alphabet[(v >> 18) & 63];
		out[o++] = b64_alphabet[(v >> 12) & 63];
		out[o++] = b64_alphabet[(v >> 6) & 63];
		out[o++] = '=';
	}
	out[o] = '\0';
}

static int b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

long sev_b64_decode(const char *in, size_t len, u8 *out, size_t max)
{
	size_t i, o = 0, n = 0, pad = 0;
	u32 acc = 0;
	int v;

	for (i = 0; i < len; i++) {
		char c = in[i];

		if (isspace((unsigned char)c))
			continue;
		if (c == '=') {
			pad++;
			if (pad > 2)
				return sev_err(SEV_ERR_FORMAT,
					       "base64: too much padding");
			continue;
		}
		if (pad)
			return sev_err(SEV_ERR_FORMAT,
				       "base64: data after padding");
		v = b64_value(c);
		if (v < 0)
			return sev_err(SEV_ERR_FORMAT,
				       "base64: invalid character at offset %zu",
				       i);
		acc = acc << 6 | (u32)v;
		if (++n % 4 == 0) {
			if (o + 3 > max)
				return sev_err(SEV_ERR_FORMAT,
					       "base64: decoded data longer than %zu bytes",
					       max);
			out[o++] = (acc >> 16) & 0xff;
			out[o++] = (acc >> 8) & 0xff;
			out[o++] = acc & 0xff;
			acc = 0;
		}
	}
	switch (n % 4) {
	case 0:
		if (pad)
			return sev_err(SEV_ERR_FORMAT, "base64: bad padding");
		break;
	case 2:
		if ((pad && pad != 2) || (acc & 0xf))
			return sev_err(SEV_ERR_FORMAT, "base64: bad padding");
		if (o + 1 > max)
			return sev_err(SEV_ERR_FORMAT,
				       "base64: decoded data longer than %zu bytes",
				       max);
		out[o++] = (acc >> 4) & 0xff;
		break;
	case 3:
		if ((pad && pad != 1) || (acc & 0x3))
			return sev_err(SEV_ERR_FORMAT, "base64: bad padding");
		if (o + 2 > max)
			return sev_err(SEV_ERR_FORMAT,
				       "base64: decoded data longer than %zu bytes",
				       max);
		out[o++] = (acc >> 10) & 0xff;
		out[o++] = (acc >> 2) & 0xff;
		break;
	default:
		return sev_err(SEV_ERR_FORMAT, "base64: truncated input");
	}
	return (long)o;
}
