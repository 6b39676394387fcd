// SPDX-License-Identifier: GPL-2.0-only
/*
 * Error messages, file I/O, hex and number parsing for the SEV tools.
 */

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/crypto.h>

#include "util.h"

static char errbuf[512];

int sev_err(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(errbuf, sizeof(errbuf), fmt, ap);
	va_end(ap);
	return code;
}

const char *sev_errmsg(void)
{
	return errbuf[0] ? errbuf : "unknown error";
}

int sev_exit_code(int code)
{
	switch (code) {
	case SEV_OK:
		return SEV_EXIT_OK;
	case SEV_ERR_FORMAT:
	case SEV_ERR_VERIFY:
		return SEV_EXIT_FAIL;
	case SEV_ERR_ARG:
		return SEV_EXIT_USAGE;
	default:
		return SEV_EXIT_IO;
	}
}

void sev_wipe(void *p, size_t len)
{
	OPENSSL_cleanse(p, len);
}

bool sev_is_zero(const u8 *p, size_t len)
{
	u8 acc = 0;

	while (len--)
		acc |= *p++;
	return acc == 0;
}

void sev_reverse(u8 *out, const u8 *in, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		out[i] = in[len - 1 - i];
}

int sev_read_file(const char *path, size_t max, u8 **bufp, size_t *lenp)
{
	size_t len = 0, cap = 4096;
	u8 *buf, *nbuf;
	ssize_t n;
	int fd;

	*bufp = NULL;
	*lenp = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return sev_err(SEV_ERR_IO, "%s: %s", path, strerror(errno));
	buf = calloc(1, cap);
	if (!buf) {
		close(fd);
		return sev_err(SEV_ERR_NOMEM, "out of memory");
	}
	for (;;) {
		if (len == cap) {
			if (cap > max) {
				free(buf);
				close(fd);
				return sev_err(SEV_ERR_FORMAT,
					       "%s: file too large (limit %zu bytes)",
					       path, max);
			}
			nbuf = realloc(buf, cap * 2);
			if (!nbuf) {
				free(buf);
				close(fd);
				return sev_err(SEV_ERR_NOMEM, "out of memory");
			}
			buf = nbuf;
			memset(buf + cap, 0, cap);
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = errno;

			free(buf);
			close(fd);
			return sev_err(SEV_ERR_IO, "%s: %s", path,
				       strerror(err));
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (len > max) {
		free(buf);
		return sev_err(SEV_ERR_FORMAT,
			       "%s: file too large (limit %zu bytes)", path,
			       max);
	}
	*bufp = buf;
	*lenp = len;
	return SEV_OK;
}

int sev_write_file(const char *path, const u8 *buf, size_t len, bool secret)
{
	size_t done = 0;
	ssize_t n;
	int fd, err;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		  secret ? 0600 : 0644);
	if (fd < 0)
		return sev_err(SEV_ERR_IO, "%s: %s", path, strerror(errno));
	if (secret && fchmod(fd, 0600)) {
		err = errno;
		close(fd);
		return sev_err(SEV_ERR_IO, "%s: %s", path, strerror(err));
	}
	while (done < len) {
		n = write(fd, buf + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? errno : EIO;
			close(fd);
			return sev_err(SEV_ERR_IO, "%s: %s", path,
				       strerror(err));
		}
		done += (size_t)n;
	}
	if (close(fd))
		return sev_err(SEV_ERR_IO, "%s: %s", path, strerror(errno));
	return SEV_OK;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int sev_hex_decode_any(const char *hex, u8 *out, size_t max)
{
	size_t n, i;

	if (hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X'))
		hex += 2;
	n = strlen(hex);
	if (n % 2)
		return sev_err(SEV_ERR_FORMAT, "odd number of hex digits");
	if (n / 2 > max)
		return sev_err(SEV_ERR_FORMAT,
			       "hex string too long (%zu bytes, at most %zu)",
			       n / 2, max);
	for (i = 0; i < n / 2; i++) {
		int hi = hexval((unsigned char)hex[2 * i]);
		int lo = hexval((unsigned char)hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return sev_err(SEV_ERR_FORMAT,
				       "invalid hex digit at position %zu",
				       2 * i);
		out[i] = (u8)(hi << 4 | lo);
	}
	return (int)(n / 2);
}

int sev_hex_decode(const char *hex, u8 *out, size_t len)
{
	int n = sev_hex_decode_any(hex, out, len);

	if (n < 0)
		return n;
	if ((size_t)n != len)
		return sev_err(SEV_ERR_FORMAT,
			       "expected %zu hex bytes, got %d", len, n);
	return SEV_OK;
}

void sev_hex_encode(const u8 *in, size_t len, char *out, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 0xf];
	}
	out[2 * len] = '\0';
}

int sev_parse_uint(const char *s, unsigned long max, unsigned long *val)
{
	unsigned long v;
	char *end;

	if (!s || !*s || *s == '-' || isspace((unsigned char)*s))
		return sev_err(SEV_ERR_ARG, "'%s' is not a number",
			       s ? s : "");
	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end)
		return sev_err(SEV_ERR_ARG, "'%s' is not a number", s);
	if (v > max)
		return sev_err(SEV_ERR_ARG, "%s is out of range (max %#lx)",
			       s, max);
	*val = v;
	return SEV_OK;
}
