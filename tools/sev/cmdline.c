// SPDX-License-Identifier: GPL-2.0-only
/*
 * Messages and file helpers for the SEV command-line programs.
 */

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "b64.h"
#include "cmdline.h"
#include "util.h"

void tool_err(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int lib_fail(int ret, const char *what)
{
	if (what)
		tool_err("%s: %s", what, sev_errmsg());
	else
		tool_err("%s", sev_errmsg());
	return sev_exit_code(ret);
}

int usage_fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help' for more information.\n",
		prog_name);
	return SEV_EXIT_USAGE;
}

int load_file(const char *path, size_t max, u8 **buf, size_t *len)
{
	int ret = sev_read_file(path, max, buf, len);

	if (ret == SEV_ERR_FORMAT) {
		tool_err("%s", sev_errmsg());
		return SEV_EXIT_FAIL;
	}
	if (ret)
		return lib_fail(ret, NULL);
	return SEV_EXIT_OK;
}

bool looks_like_b64(const u8 *buf, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		if (isspace(buf[i]))
			continue;
		if (!isalnum(buf[i]) && buf[i] != '+' && buf[i] != '/' &&
		    buf[i] != '=')
			return false;
		n++;
	}
	return n > 0;
}

int load_blob(const char *path, size_t max, u8 **buf, size_t *len,
	      bool *was_b64)
{
	u8 *dec;
	long n;
	int ret;

	if (was_b64)
		*was_b64 = false;
	/* base64 text is 4/3 of the binary, plus line breaks */
	ret = load_file(path, max * 2 + 64, buf, len);
	if (ret)
		return ret;
	if (!looks_like_b64(*buf, *len)) {
		if (*len > max) {
			tool_err("%s: file too large (%zu bytes, limit %zu)", path,
				 *len, max);
			goto fail;
		}
		return SEV_EXIT_OK;
	}
	dec = calloc(1, *len);
	if (!dec) {
		tool_err("out of memory");
		free(*buf);
		*buf = NULL;
		return SEV_EXIT_IO;
	}
	n = sev_b64_decode((const char *)*buf, *len, dec, *len);
	if (n < 0 || (size_t)n > max) {
		if (n < 0)
			tool_err("%s: %s", path, sev_errmsg());
		else
			tool_err("%s: decoded data too large (%ld bytes)", path, n);
		free(dec);
		goto fail;
	}
	free(*buf);
	*buf = dec;
	*len = (size_t)n;
	if (was_b64)
		*was_b64 = true;
	return SEV_EXIT_OK;
fail:
	free(*buf);
	*buf = NULL;
	*len = 0;
	return SEV_EXIT_FAIL;
}

int load_sev_cert(const char *path, u32 usage, struct sev_cert *c)
{
	size_t len;
	u8 *buf;
	int ret;

	ret = load_blob(path, 0x4000, &buf, &len, NULL);
	if (ret)
		return ret;
	ret = sev_cert_parse(c, buf, len);
	free(buf);
	if (!ret && usage != ~0u)
		ret = sev_cert_expect_usage(c, usage, "certificate");
	if (ret)
		return lib_fail(ret, path);
	return SEV_EXIT_OK;
}

int load_amd_cert(const char *path, struct amd_cert *c)
{
	size_t len;
	u8 *buf;
	int ret;

	ret = load_file(path, 0x4000, &buf, &len);
	if (ret)
		return ret;
	ret = amd_cert_parse(c, buf, len, NULL);
	free(buf);
	if (ret)
		return lib_fail(ret, path);
	return SEV_EXIT_OK;
}

int load_exact(const char *path, u8 *out, size_t len)
{
	size_t n;
	u8 *buf;
	int ret;

	ret = load_file(path, 0x1000, &buf, &n);
	if (ret)
		return ret;
	if (n != len) {
		tool_err("%s: %zu bytes, expected exactly %zu", path, n, len);
		sev_wipe(buf, n);
		free(buf);
		return SEV_EXIT_FAIL;
	}
	memcpy(out, buf, len);
	sev_wipe(buf, n);
	free(buf);
	return SEV_EXIT_OK;
}

int save_file(const char *path, const u8 *buf, size_t len, bool secret)
{
	int ret = sev_write_file(path, buf, len, secret);

	return ret ? lib_fail(ret, NULL) : SEV_EXIT_OK;
}

int save_b64(const char *path, const u8 *buf, size_t len, bool secret)
{
	size_t n = sev_b64_encoded_len(len);
	char *text = calloc(1, n + 1);
	int ret;

	if (!text) {
		tool_err("out of memory");
		return SEV_EXIT_IO;
	}
	sev_b64_encode(buf, len, text);
	text[n - 1] = '\n';
	ret = save_file(path, (const u8 *)text, n, secret);
	sev_wipe(text, n);
	free(text);
	return ret;
}
