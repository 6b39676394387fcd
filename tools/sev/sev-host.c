// SPDX-License-Identifier: GPL-2.0-only
/*
 * sev-host: manage the SEV platform through /dev/sev (status, certificate
 * export, PEK CSR and import, PDH generation, chip id, factory reset), and
 * check that the host can run SEV guests.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chain.h"
#include "cmdline.h"
#include "hostcheck.h"
#include "sevcert.h"
#include "sevdev.h"
#include "status.h"
#include "util.h"

const char *prog_name = "sev-host";
static const char *device = SEVDEV_DEFAULT_PATH;
static bool device_set;		/* --device or $SEV_DEVICE */

static const char usage_text[] =
"Usage: sev-host [--device PATH] COMMAND [OPTIONS]\n"
"\n"
"Manage the AMD SEV platform through /dev/sev.\n"
"\n"
"Commands:\n"
"  check [--json] [--root DIR]      can this host run SEV guests? One line per\n"
"                                   check (CPU, SYSCFG, kvm_amd, /dev/sev,\n"
"                                   /dev/kvm, platform, firmware, ccp.ko,\n"
"                                   memlock) and a verdict; exit 0 only if\n"
"                                   it can. --root reads /proc, /sys, /dev\n"
"                                   and /lib/modules below DIR (default /,\n"
"                                   or $SEV_HOST_ROOT)\n"
"  status [--json]                  show PLATFORM_STATUS\n"
"  export [--pdh FILE] [--chain FILE] [--split DIR]\n"
"                                   export the PDH certificate and the\n"
"                                   PEK/OCA/CEK chain (--split writes\n"
"                                   pek.cert oca.cert cek.cert pdh.cert)\n"
"  pek-csr FILE                     write the PEK certificate signing request\n"
"  pek-import --pek FILE --oca FILE import an owner-signed PEK and its OCA\n"
"  pek-gen                          generate a new OCA, PEK and PDH\n"
"  pdh-gen                          generate a new PDH\n"
"  get-id [--hex] [--out FILE]      show the chip id(s)\n"
"  factory-reset [--force]          erase the platform identity (asks for\n"
"                                   confirmation unless --force)\n"
"\n"
"Options:\n"
"  --device PATH   device node (default /dev/sev, or $SEV_DEVICE)\n"
"  -h, --help      show this help\n"
"\n"
"Exit status: 0 success; 1 negative result (malformed data from the\n"
"device, confirmation refused, a failed check); 2 usage error; 3 I/O or\n"
"device error; 4 the firmware returned an error (reported by name, e.g.\n"
"INVALID_PLATFORM_STATE (0x1)).\n";

static int open_dev(bool need_write)
{
	int fd = sevdev_open(device, need_write);

	if (fd < 0) {
		tool_err("%s: %s", device, strerror(-fd));
		return -1;
	}
	return fd;
}

/* Report a failed ioctl; returns the exit code */
static int dev_fail(u32 cmd, int ret, u32 fw)
{
	const char *ename = strerrorname_np(-ret);
	char st[64];

	/* the device's answer broke the length contract: malformed data */
	if (ret == -SEVDEV_EBADLEN) {
		tool_err("%s failed: %s; nothing written", sevdev_cmd_name(cmd),
			 sev_errmsg());
		return SEV_EXIT_FAIL;
	}
	if (fw) {
		tool_err("%s failed: firmware error %s (errno %s: %s)",
			 sevdev_cmd_name(cmd), sev_status_str(fw, st, sizeof(st)),
			 ename ? ename : "?", strerror(-ret));
		return SEV_EXIT_FW;
	}
	tool_err("%s failed: %s (errno %s)", sevdev_cmd_name(cmd), strerror(-ret),
		 ename ? ename : "?");
	return SEV_EXIT_IO;
}

static int cmd_status(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	struct sev_user_data_status st;
	bool json = false;
	int c, fd, ret;
	u32 fw;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'j')
			return usage_fail("status: bad option");
		json = true;
	}
	if (optind != argc)
		return usage_fail("status: unexpected argument '%s'",
				  argv[optind]);
	fd = open_dev(false);
	if (fd < 0)
		return SEV_EXIT_IO;
	ret = sevdev_platform_status(fd, &st, &fw);
	close(fd);
	if (ret)
		return dev_fail(SEV_PLATFORM_STATUS, ret, fw);
	if (json) {
		printf("{\"api_major\": %u, \"api_minor\": %u, ",
		       st.api_major, st.api_minor);
		printf("\"build\": %u, \"state\": \"%s\", ", st.build,
		       sev_state_name(st.state));
		printf("\"state_code\": %u, \"flags\": %u, ", st.state,
		       st.flags);
		printf("\"owner\": \"%s\", \"config_es\": %s, ",
		       st.flags & 1 ? "external" : "self",
		       st.flags & SEV_STATUS_FLAGS_CONFIG_ES ? "true" :
		       "false");
		printf("\"guest_count\": %u}\n", st.guest_count);
		return SEV_EXIT_OK;
	}
	printf("API version:  %u.%u\n", st.api_major, st.api_minor);
	printf("build:        %u\n", st.build);
	printf("state:        %s (%u)\n", sev_state_name(st.state), st.state);
	printf("owner:        %s\n", st.flags & 1 ? "externally owned" :
	       "self-owned");
	printf("SEV-ES:       %s\n", st.flags & SEV_STATUS_FLAGS_CONFIG_ES ?
	       "initialised" : "not initialised");
	printf("flags:        %#x\n", st.flags);
	printf("guest count:  %u\n", st.guest_count);
	return SEV_EXIT_OK;
}

static int write_cert(const char *dir, const char *name, const u8 *buf,
		      size_t len)
{
	char path[4096];

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    (int)sizeof(path)) {
		tool_err("%s: path too long", dir);
		return SEV_EXIT_USAGE;
	}
	return save_file(path, buf, len, false);
}

/* Independent check of what the firmware exported */
static int check_export(const u8 *pdh, u32 pdh_len, const u8 *chain,
			u32 chain_len)
{
	struct sev_cert c, pek, oca, cek;
	int ret;

	ret = sev_cert_parse(&c, pdh, pdh_len);
	if (!ret)
		ret = sev_cert_expect_usage(&c, SEV_USAGE_PDH, "PDH");
	if (ret)
		return lib_fail(ret, "exported PDH certificate is malformed");
	ret = sev_chain_parse(chain, chain_len, &pek, &oca, &cek);
	if (ret)
		return lib_fail(ret, "exported chain is malformed");
	/* the links that need no AMD root: the chain's CEK holds the key */
	ret = sev_cert_verify(&c, &pek);
	if (ret)
		return lib_fail(ret, "exported PDH is not signed by the PEK");
	ret = sev_cert_verify(&pek, &cek);
	if (ret)
		return lib_fail(ret, "exported PEK is not signed by the CEK");
	ret = sev_cert_verify(&oca, &oca);
	if (ret)
		return lib_fail(ret, "exported OCA is not self-signed");
	ret = sev_cert_verify(&pek, &oca);
	if (ret)
		return lib_fail(ret, "exported PEK is not signed by the OCA");
	return SEV_EXIT_OK;
}

static int cmd_export(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pdh", required_argument, NULL, 'p' },
		{ "chain", required_argument, NULL, 'c' },
		{ "split", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	const char *pdh_path = NULL, *chain_path = NULL, *dir = NULL;
	u8 *pdh = NULL, *chain = NULL;
	u32 pdh_len, chain_len, fw;
	int c, fd, ret, bad;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			pdh_path = optarg;
			break;
		case 'c':
			chain_path = optarg;
			break;
		case 's':
			dir = optarg;
			break;
		default:
			return usage_fail("export: bad option");
		}
	}
	if (optind != argc)
		return usage_fail("export: unexpected argument '%s'",
				  argv[optind]);
	if (!pdh_path && !chain_path && !dir)
		return usage_fail("export: give --pdh, --chain and/or --split");
	fd = open_dev(true);
	if (fd < 0)
		return SEV_EXIT_IO;
	ret = sevdev_pdh_cert_export(fd, &pdh, &pdh_len, &chain, &chain_len,
				     &fw);
	close(fd);
	if (ret)
		return dev_fail(SEV_PDH_CERT_EXPORT, ret, fw);
	bad = check_export(pdh, pdh_len, chain, chain_len);
	ret = SEV_EXIT_OK;
	if (pdh_path)
		ret = save_file(pdh_path, pdh, pdh_len, false);
	if (!ret && chain_path)
		ret = save_file(chain_path, chain, chain_len, false);
	if (!ret && dir) {
		if (mkdir(dir, 0755) && errno != EEXIST) {
			tool_err("%s: %s", dir, strerror(errno));
			ret = SEV_EXIT_IO;
		}
		if (!ret)
			ret = write_cert(dir, "pdh.cert", pdh, pdh_len);
		if (!ret && chain_len >= SEV_CHAIN_SIZE) {
			ret = write_cert(dir, "pek.cert", chain,
					 SEV_CERT_SIZE);
			if (!ret)
				ret = write_cert(dir, "oca.cert",
						 chain + SEV_CERT_SIZE,
						 SEV_CERT_SIZE);
			if (!ret)
				ret = write_cert(dir, "cek.cert",
						 chain + 2 * SEV_CERT_SIZE,
						 SEV_CERT_SIZE);
		}
	}
	free(pdh);
	free(chain);
	if (!ret && !bad)
		printf("exported PDH (%u bytes) and chain (%u bytes)\n",
		       pdh_len, chain_len);
	return ret ? ret : bad;
}

static int cmd_pek_csr(int argc, char **argv)
{
	struct sev_cert c;
	u8 *csr;
	u32 len, fw;
	int fd, ret;

	if (argc != 2 || argv[1][0] == '-')
		return usage_fail("pek-csr: expected one output FILE");
	fd = open_dev(true);
	if (fd < 0)
		return SEV_EXIT_IO;
	ret = sevdev_pek_csr(fd, &csr, &len, &fw);
	close(fd);
	if (ret)
		return dev_fail(SEV_PEK_CSR, ret, fw);
	ret = save_file(argv[1], csr, len, false);
	if (!ret) {
		int err = sev_cert_parse(&c, csr, len);

		if (!err)
			err = sev_cert_expect_usage(&c, SEV_USAGE_PEK, "CSR");
		if (err)
			ret = lib_fail(err, "the CSR from the firmware is malformed");
		else
			printf("wrote the PEK CSR (%u bytes) to %s\n", len,
			       argv[1]);
	}
	free(csr);
	return ret;
}

static int cmd_pek_import(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pek", required_argument, NULL, 'p' },
		{ "oca", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 }
	};
	const char *pek_path = NULL, *oca_path = NULL;
	u8 *pek = NULL, *oca = NULL;
	size_t pek_len, oca_len;
	int c, fd, ret;
	u32 fw;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			pek_path = optarg;
			break;
		case 'o':
			oca_path = optarg;
			break;
		default:
			return usage_fail("pek-import: bad option");
		}
	}
	if (optind != argc || !pek_path || !oca_path)
		return usage_fail("pek-import: --pek and --oca are required");
	ret = load_file(pek_path, SEVDEV_BLOB_MAX, &pek, &pek_len);
	if (!ret)
		ret = load_file(oca_path, SEVDEV_BLOB_MAX, &oca, &oca_len);
	if (ret)
		goto out;
	fd = open_dev(true);
	if (fd < 0) {
		ret = SEV_EXIT_IO;
		goto out;
	}
	/* the firmware is the judge of the certificates: pass them as given */
	ret = sevdev_pek_cert_import(fd, pek, (u32)pek_len, oca,
				     (u32)oca_len, &fw);
	close(fd);
	if (ret) {
		ret = dev_fail(SEV_PEK_CERT_IMPORT, ret, fw);
		goto out;
	}
	printf("imported the PEK and OCA; the platform is now externally owned\n");
out:
	free(pek);
	free(oca);
	return ret;
}

static int cmd_simple(int argc, char **argv, u32 cmd, const char *done)
{
	int fd, ret;
	u32 fw;

	if (argc != 1)
		return usage_fail("%s: unexpected argument '%s'", argv[0],
				  argv[1]);
	fd = open_dev(true);
	if (fd < 0)
		return SEV_EXIT_IO;
	ret = sevdev_simple(fd, cmd, &fw);
	close(fd);
	if (ret)
		return dev_fail(cmd, ret, fw);
	printf("%s\n", done);
	return SEV_EXIT_OK;
}

static int cmd_get_id(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "hex", no_argument, NULL, 'x' },
		{ "out", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 }
	};
	const char *out = NULL;
	bool hex = false;
	char text[129];
	u32 len, fw, i;
	int c, fd, ret;
	u8 *id;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'x':
			hex = true;
			break;
		case 'o':
			out = optarg;
			break;
		default:
			return usage_fail("get-id: bad option");
		}
	}
	if (optind != argc)
		return usage_fail("get-id: unexpected argument '%s'",
				  argv[optind]);
	fd = open_dev(false);
	if (fd < 0)
		return SEV_EXIT_IO;
	ret = sevdev_get_id(fd, &id, &len, &fw);
	close(fd);
	if (ret)
		return dev_fail(SEV_GET_ID2, ret, fw);
	if (out) {
		ret = save_file(out, id, len, false);
		if (ret)
			goto done;
	}
	for (i = 0; i + 64 <= len; i += 64) {
		/* the legacy ioctl returns a zeroed second socket */
		if (i && sev_is_zero(id + i, 64))
			continue;
		sev_hex_encode(id + i, 64, text, true);
		if (hex)
			printf("%s\n", text);
		else
			printf("socket %u id: %s\n  CEK: https://kdsintf.amd.com/cek/id/%s\n",
			       i / 64, text, text);
	}
	if (len % 64)
		tool_err("warning: id length %u is not a multiple of 64", len);
done:
	free(id);
	return ret;
}

static int confirm(void)
{
	char line[32];

	fprintf(stderr,
		"This erases the platform's identity (OCA, PEK, PDH and ownership).\n"
		"Type 'yes' to continue: ");
	if (!fgets(line, sizeof(line), stdin))
		return 0;
	line[strcspn(line, "\n")] = '\0';
	return !strcmp(line, "yes");
}

static int cmd_factory_reset(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	bool force = false;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'f')
			return usage_fail("factory-reset: bad option");
		force = true;
	}
	if (optind != argc)
		return usage_fail("factory-reset: unexpected argument '%s'",
				  argv[optind]);
	if (!force) {
		if (!isatty(STDIN_FILENO))
			return usage_fail("factory-reset: %s",
					  "refusing without a terminal; use --force");
		if (!confirm()) {
			tool_err("factory-reset: not confirmed, nothing done");
			return SEV_EXIT_FAIL;
		}
	}
	argv[1] = NULL;
	return cmd_simple(1, argv, SEV_FACTORY_RESET,
			  "factory reset done");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *cmd, *env = getenv("SEV_DEVICE");
	int c;

	if (env && *env) {
		device = env;
		device_set = true;
	}
	/* stop at the command name; its options are parsed by the command */
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			device = optarg;
			device_set = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return SEV_EXIT_OK;
		default:
			return usage_fail("bad option");
		}
	}
	if (optind >= argc)
		return usage_fail("no command given");
	argc -= optind;
	argv += optind;
	cmd = argv[0];
	optind = 0;
	for (c = 1; c < argc; c++) {
		if (!strcmp(argv[c], "--help") || !strcmp(argv[c], "-h")) {
			fputs(usage_text, stdout);
			return SEV_EXIT_OK;
		}
	}
	if (!strcmp(cmd, "check"))
		return cmd_check(argc, argv, device_set ? device : NULL);
	if (!strcmp(cmd, "status"))
		return cmd_status(argc, argv);
	if (!strcmp(cmd, "export"))
		return cmd_export(argc, argv);
	if (!strcmp(cmd, "pek-csr"))
		return cmd_pek_csr(argc, argv);
	if (!strcmp(cmd, "pek-import"))
		return cmd_pek_import(argc, argv);
	if (!strcmp(cmd, "pek-gen"))
		return cmd_simple(argc, argv, SEV_PEK_GEN,
				  "generated a new OCA, PEK and PDH");
	if (!strcmp(cmd, "pdh-gen"))
		return cmd_simple(argc, argv, SEV_PDH_GEN,
				  "generated a new PDH");
	if (!strcmp(cmd, "get-id"))
		return cmd_get_id(argc, argv);
	if (!strcmp(cmd, "factory-reset"))
		return cmd_factory_reset(argc, argv);
	return usage_fail("unknown command '%s'", cmd);
}
