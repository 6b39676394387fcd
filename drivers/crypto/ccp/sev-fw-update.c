// SPDX-License-Identifier: GPL-2.0-only
/*
 * SEV firmware update at bind time: DOWNLOAD_FIRMWARE with an image from
 * /lib/firmware, when the running firmware supports it.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/firmware.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/psp-sev.h>
#include <linux/string.h>

#include <asm/processor.h>

#include "psp-mbox.h"
#include "sev-dev.h"

#define SEV_FW_NAME_LEN		64
#define SEV_FW_GENERIC		"amd/sev.fw"

/* The firmware wants the image 32-byte aligned, after the command buffer */
#define SEV_FW_IMAGE_OFFSET	ALIGN(sizeof(struct sev_data_download_firmware), 32)

/*
 * Look for an image for this exact CPU model, then for its model group
 * (upper model nibble), then for the generic name.
 */
static int sev_fw_request(struct device *dev, const struct firmware **fw)
{
	char name[SEV_FW_NAME_LEN];

	snprintf(name, sizeof(name), "amd/amd_sev_fam%02xh_model%02xh.sbin",
		 boot_cpu_data.x86, boot_cpu_data.x86_model);
	if (!firmware_request_nowarn(fw, name, dev))
		return 0;

	snprintf(name, sizeof(name), "amd/amd_sev_fam%02xh_model%1xxh.sbin",
		 boot_cpu_data.x86, (boot_cpu_data.x86_model & 0xf0) >> 4);
	if (!firmware_request_nowarn(fw, name, dev))
		return 0;

	if (!firmware_request_nowarn(fw, SEV_FW_GENERIC, dev))
		return 0;

	return -ENOENT;
}

static int sev_fw_download(struct sev_device *sev, const struct firmware *fw,
			   int *error)
{
	struct sev_data_download_firmware *data;
	unsigned int order;
	struct page *page;
	void *image;
	bool old_api;
	int ret;

	if (fw->size > U32_MAX - SEV_FW_IMAGE_OFFSET)
		return -EFBIG;

	order = get_order(SEV_FW_IMAGE_OFFSET + fw->size);
	page = alloc_pages(GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN, order);
	if (!page)
		return -ENOMEM;

	data = page_address(page);
	image = (void *)data + SEV_FW_IMAGE_OFFSET;
	memcpy(image, fw->data, fw->size);
	data->address = __psp_pa(image);
	data->len = fw->size;

	/* decided on the version that is running now */
	old_api = !sev_version_ge(sev, 1, 50);

	ret = sev_do_cmd(sev, SEV_CMD_DOWNLOAD_FIRMWARE, data, error);
	/* before API 1.50 a second download commits the TCB version */
	if (!ret && old_api)
		ret = sev_do_cmd(sev, SEV_CMD_DOWNLOAD_FIRMWARE, data, error);

	__free_pages(page, order);
	return ret;
}

void sev_fw_update(struct sev_device *sev)
{
	const struct firmware *fw;
	int error = SEV_RET_NO_FW_CALL;
	u8 old_build = sev->build;
	int ret;

	if (!sev_version_ge(sev, 0, 15)) {
		dev_dbg(sev->dev, "SEV: DOWNLOAD_FIRMWARE needs API 0.15\n");
		return;
	}

	if (sev_fw_request(sev->dev, &fw)) {
		dev_dbg(sev->dev, "SEV: no firmware image installed\n");
		return;
	}

	ret = sev_fw_download(sev, fw, &error);
	release_firmware(fw);
	if (ret) {
		dev_warn(sev->dev, "SEV: firmware update failed: %s (%#x), rc %d; continuing with the existing SEV firmware\n",
			 psp_status_name(error), error, ret);
		return;
	}

	if (sev_update_status(sev))
		return;

	dev_info(sev->dev, "SEV: firmware updated, API %u.%u build %u (was build %u)\n",
		 sev->api_major, sev->api_minor, sev->build, old_build);
}
