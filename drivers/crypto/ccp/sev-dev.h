/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The SEV device inside the PSP driver: platform state, /dev/sev and the
 * in-kernel API, over whichever mailbox (PCI or software) is bound.
 */

#ifndef _SEV_DEV_H
#define _SEV_DEV_H

#include <linux/kref.h>
#include <linux/miscdevice.h>
#include <linux/types.h>

struct dentry;
struct device;
struct psp_mbox;

/**
 * struct sev_device - the SEV platform behind one bound mailbox
 * @ref: held by the binding and by every open /dev/sev file
 * @mbox: the mailbox; NULL once unbound (guarded by the command lock)
 * @dev: the device for log messages and firmware requests
 * @misc: /dev/sev
 * @misc_registered: @misc is registered
 * @dbg_files: debugfs files created for this binding
 * @state: platform state as the driver tracks it (enum sev_state)
 * @api_major: firmware API major version
 * @api_minor: firmware API minor version
 * @build: firmware build
 * @tmr: SEV-ES trusted memory region, or NULL
 * @nv_buf: INIT_EX non-volatile store, or NULL when INIT is used
 */
struct sev_device {
	struct kref ref;
	struct psp_mbox *mbox;
	struct device *dev;
	struct miscdevice misc;
	bool misc_registered;
	struct dentry *dbg_files[4];
	int state;
	u8 api_major;
	u8 api_minor;
	u8 build;
	void *tmr;
	void *nv_buf;
};

/* Bind @mbox as the SEV device's mailbox; -EBUSY if one is bound already */
int sev_dev_bind(struct psp_mbox *mbox, struct device *dev);
/* Shut the platform down and unbind @mbox; waits for a command in flight */
void sev_dev_unbind(struct psp_mbox *mbox);
/* A mailbox is bound */
bool sev_dev_bound(void);

/*
 * sev-debugfs.c: the "sev-psp" debugfs directory (module-wide) and the
 * files of the bound device (dead flag, command counters, platform); kept
 * apart from sev-dev.c, whose headers fix the exports' symbol versions
 */
void sev_debugfs_init(void);
void sev_debugfs_exit(void);
void sev_debugfs_add(struct sev_device *sev);
void sev_debugfs_remove(struct sev_device *sev);

/*
 * Issue @cmd on @sev with the command lock held: -ENODEV if unbound. The
 * buffer length comes from the command id.
 */
int sev_do_cmd_locked(struct sev_device *sev, unsigned int cmd, void *data,
		      int *psp_ret);
/* As sev_do_cmd_locked(), taking the command lock */
int sev_do_cmd(struct sev_device *sev, unsigned int cmd, void *data,
	       int *psp_ret);

/* Re-read PLATFORM_STATUS into @sev (version, build, state) */
int sev_update_status(struct sev_device *sev);

/* API version check against what PLATFORM_STATUS reported */
static inline bool sev_version_ge(const struct sev_device *sev, u8 major,
				  u8 minor)
{
	return sev->api_major > major ||
	       (sev->api_major == major && sev->api_minor >= minor);
}

/*
 * sev-fw-update.c: hand an installed SEV firmware image to the firmware
 * (DOWNLOAD_FIRMWARE) and re-read the platform status; failures are logged
 * and otherwise ignored.
 */
void sev_fw_update(struct sev_device *sev);

#endif /* _SEV_DEV_H */
