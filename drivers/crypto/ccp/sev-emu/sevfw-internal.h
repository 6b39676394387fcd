/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Internal state of one software SEV firmware instance, shared by the
 * command dispatcher, the platform commands, the identity store, the
 * firmware-image verifier and debugfs.
 */

#ifndef _SEVFW_INTERNAL_H
#define _SEVFW_INTERNAL_H

#include <linux/mutex.h>
#include <linux/types.h>
#include <crypto/sha2.h>

#include "sevfw.h"
#include "sevfw-crypto.h"
#include "sevfw-cert.h"

/* Command ids the firmware knows but Linux's enum sev_cmd lacks */
#define SEVFW_CMD_NOP		0x00E
#define SEVFW_CMD_COPY		0x024
/* Command ids are counted per id below this; higher ids share one slot */
#define SEVFW_CMD_SLOTS		0x100

/* Fixed sizes of the platform commands' blobs */
#define SEVFW_ID_LEN		64	/* GET_ID, one socket */
#define SEVFW_NV_LEN		0x8000	/* INIT_EX non-volatile store */
#define SEVFW_TMR_LEN		0x100000
#define SEVFW_INIT_EX_LEN	0x24

/* Guest handles run from 1 to this (SEV_GUEST_COUNT_MAX) */
#define SEVFW_MAX_GUESTS	1024

/* SEV-ES VMSA integrity records kept when sevfw_params.es_vcpu_slots is 0 */
#define SEVFW_ES_SLOTS_DEFAULT	4096

/**
 * enum sevfw_asid_state - what an ASID holds (one CCX is modelled)
 * @SEVFW_ASID_INVALID: not set up: before the first INIT, after SHUTDOWN
 * @SEVFW_ASID_DIRTY: may hold cache lines of an old key; needs DF_FLUSH
 * @SEVFW_ASID_CLEAN: free for ACTIVATE
 * @SEVFW_ASID_ALLOCATED: bound to a pending guest (not yet run)
 * @SEVFW_ASID_IN_USE: bound to an active guest
 */
enum sevfw_asid_state {
	SEVFW_ASID_INVALID,
	SEVFW_ASID_DIRTY,
	SEVFW_ASID_CLEAN,
	SEVFW_ASID_ALLOCATED,
	SEVFW_ASID_IN_USE,
};

/* Guest states (GUEST_STATUS encoding) */
enum sevfw_guest_state {
	SEVFW_GSTATE_INVALID	= 0,
	SEVFW_GSTATE_LUPDATE	= 1,
	SEVFW_GSTATE_LSECRET	= 2,
	SEVFW_GSTATE_RUNNING	= 3,
	SEVFW_GSTATE_SUPDATE	= 4,
	SEVFW_GSTATE_RUPDATE	= 5,
	SEVFW_GSTATE_SENT	= 6,
};

/**
 * struct sevfw_guest - one guest context (handle 1 .. max_guests)
 * @handle: the handle
 * @state: enum sevfw_guest_state
 * @policy: the launch policy
 * @asid: bound ASID (pending or active), 0 if none
 * @es: SEV-ES guest (policy bit 2)
 * @vek: the memory encryption key: AES-128 data key then AES-128 tweak key
 *	 (opaque memory mode); shared guests hold the same VEK
 * @tek: transport encryption key of the session (zero without one)
 * @tik: transport integrity key of the session (zero without one)
 * @ms: master secret of the session; keys the packet sequence (see
 *	sevfw_packet_iv())
 * @pkt_seq: number of the next SEND/RECEIVE_UPDATE packet in this session
 * @ld_ctx: running launch digest
 * @ld: final launch digest (kept for ATTESTATION; zero until
 *	LAUNCH_MEASURE, and for a received guest)
 * @measure: the measurement returned by LAUNCH_MEASURE (for LAUNCH_SECRET)
 */
struct sevfw_guest {
	u32 handle;
	u8 state;
	u32 policy;
	u32 asid;
	bool es;
	u8 vek[32];
	u8 tek[16];
	u8 tik[16];
	u8 ms[16];
	u64 pkt_seq;
	struct sha256_state ld_ctx;
	u8 ld[SHA256_DIGEST_SIZE];
	u8 measure[SHA256_DIGEST_SIZE];
};

/**
 * struct sevfw_vmsa_rec - integrity record of one SEV-ES vCPU (sevfw-es.c)
 * @pa: system physical address of the VMSA (C-bit masked)
 * @handle: the guest the VMSA belongs to; 0 for a free slot
 * @digest: SHA-256 of the 4096 plaintext bytes the firmware last wrote
 */
struct sevfw_vmsa_rec {
	u64 pa;
	u32 handle;
	u8 digest[SHA256_DIGEST_SIZE];
};

/**
 * struct sevfw_identity - the persistent platform identity
 * @has_oca: an OCA certificate exists
 * @has_pek: a PEK exists
 * @has_pdh: a PDH exists
 * @owned: externally owned: the OCA was imported and its private key is
 *	   unknown to the firmware
 * @oca_key: the self-owned OCA key pair (zero when @owned)
 * @pek_key: the PEK key pair
 * @pdh_key: the PDH key pair
 * @oca_cert: OCA certificate (self-signed)
 * @pek_cert: PEK certificate (signed by the OCA and the CEK)
 * @pdh_cert: PDH certificate (signed by the PEK)
 */
struct sevfw_identity {
	bool has_oca;
	bool has_pek;
	bool has_pdh;
	bool owned;
	struct sevfw_ecc_key oca_key;
	struct sevfw_ecc_key pek_key;
	struct sevfw_ecc_key pdh_key;
	struct sev_cert oca_cert;
	struct sev_cert pek_cert;
	struct sev_cert pdh_cert;
};

/**
 * struct sevfw - one firmware instance
 * @lock: serializes commands and debugfs readers
 * @p: parameters; the API version and build change with DOWNLOAD_FIRMWARE
 * @state: platform state (SEV_STATE_*)
 * @config: INIT flags (bit 0 ES) while initialised
 * @tmr_pa: TMR address given to INIT (ES only)
 * @tmr_len: its length
 * @nv_pa: INIT_EX non-volatile store in system memory, 0 for the internal one
 * @nv_last_pa: the external store the last INIT_EX used, kept across
 *		SHUTDOWN so that FACTORY_RESET can erase it; 0 if none (or
 *		once a FACTORY_RESET has dealt with it)
 * @reset_pending: FACTORY_RESET happened: the next INIT_EX ignores what an
 *		   external store holds
 * @id: the identity; valid while the platform is initialised
 * @nv_internal: the internal ("SPI") store, SEVFW_NV_LEN bytes
 * @nv_enc_key: key that encrypts the identity in a store
 * @nv_mac_key: key that authenticates a store
 * @guest_count: live guest contexts
 * @guests: guest contexts by handle - 1
 * @asid_state: enum sevfw_asid_state per ASID (index 0 unused)
 * @asid_handle: guest handle an ASID is bound to, 0 if none
 * @vmsa_recs: SEV-ES VMSA integrity records, one per VMSA address
 *	       (sevfw_params.es_vcpu_slots of them); NULL until the first
 *	       VMSA is set up, freed at SHUTDOWN
 * @vmsa_nrecs: records in use
 * @cmd_count: commands executed, by id
 * @cmd_fail: commands that did not return SUCCESS, by id
 * @cmd_other: commands with an id >= SEVFW_CMD_SLOTS
 * @cancel: the driver gave up on the command in flight: long loops stop at
 *	    their next safe point (sevfw_yield()); set without @lock
 * @cancelled: commands stopped that way
 * @accel: crypto API transforms of the bulk paths (sevfw-accel.c); NULL
 *	   when there was no memory for them (lib/crypto does the work)
 * @test_mnonce: KUnit builds only: the MNONCE the next LAUNCH_MEASURE uses
 * @test_mnonce_set: KUnit builds only: @test_mnonce is armed (one use)
 */
struct sevfw {
	struct mutex lock;	/* serializes commands and readers */
	struct sevfw_params p;
	u8 state;
	u32 config;
	u64 tmr_pa;
	u32 tmr_len;
	u64 nv_pa;
	u64 nv_last_pa;
	bool reset_pending;
	struct sevfw_identity id;
	u8 *nv_internal;
	u8 nv_enc_key[16];
	u8 nv_mac_key[SEVFW_HMAC_BYTES];
	u32 guest_count;
	struct sevfw_guest **guests;
	u8 *asid_state;
	u32 *asid_handle;
	struct sevfw_vmsa_rec *vmsa_recs;
	u32 vmsa_nrecs;
	u64 cmd_count[SEVFW_CMD_SLOTS];
	u64 cmd_fail[SEVFW_CMD_SLOTS];
	u64 cmd_other;
	bool cancel;
	u64 cancelled;
	struct sevfw_accel *accel;
#if IS_ENABLED(CONFIG_SEVFW_KUNIT_TEST)
	u8 test_mnonce[16];
	bool test_mnonce_set;
#endif
};

/**
 * enum sevfw_wb - when a command buffer is written back
 * @SEVFW_WB_NONE: input only, never written
 * @SEVFW_WB_OUT: output only: not read; written on success
 * @SEVFW_WB_IO: read; written on success
 * @SEVFW_WB_IO_LEN: read; written on success and on INVALID_LEN so the
 *			caller learns the lengths it must supply
 */
enum sevfw_wb {
	SEVFW_WB_NONE,
	SEVFW_WB_OUT,
	SEVFW_WB_IO,
	SEVFW_WB_IO_LEN,
};

/*
 * Status of a command stopped at a safe point because the driver gave up
 * on it (sevfw_cancel()); nobody waits for it any more
 */
#define SEVFW_RET_CANCELLED	SEV_RET_HWSEV_RET_UNSAFE

/* sevfw-accel.c: the crypto API's implementations of the bulk paths */
struct sevfw_accel;
struct sevfw_accel *sevfw_accel_alloc(void);
void sevfw_accel_free(struct sevfw_accel *a);
const char *sevfw_accel_aes_driver(const struct sevfw_accel *a);
const char *sevfw_accel_sha_driver(const struct sevfw_accel *a);
size_t sevfw_accel_xex(struct sevfw_accel *a, const u8 vek[32], u64 pa,
		       u8 *buf, size_t len, bool enc);
void sevfw_accel_sha256(struct sevfw_accel *a, struct sha256_state *st,
			const u8 *data, unsigned int len);

/* sevfw-core.c: the command table */
bool sevfw_cmd_info(u32 cmd, u8 *len, u8 *wb);
bool sevfw_yield(struct sevfw *fw);
bool sevfw_wb_applies(u8 wb, u16 status);

/* sevfw-mem.c: system memory by physical address (C-bit masked) */
u64 sevfw_mem_pa(const struct sevfw *fw, u64 addr);
int sevfw_mem_check(const struct sevfw *fw, u64 addr, size_t len);
int sevfw_mem_read(const struct sevfw *fw, u64 addr, void *dst, size_t len);
int sevfw_mem_write(const struct sevfw *fw, u64 addr, const void *src,
		    size_t len);
int sevfw_mem_fill(const struct sevfw *fw, u64 addr, u8 val, size_t len);

/* sevfw-platform.c: the platform command handlers (buf: command buffer) */
u16 sevfw_cmd_init(struct sevfw *fw, void *buf);
u16 sevfw_cmd_init_ex(struct sevfw *fw, void *buf);
u16 sevfw_cmd_shutdown(struct sevfw *fw, void *buf);
u16 sevfw_cmd_factory_reset(struct sevfw *fw, void *buf);
u16 sevfw_cmd_platform_status(struct sevfw *fw, void *buf);
u16 sevfw_cmd_pek_gen(struct sevfw *fw, void *buf);
u16 sevfw_cmd_pek_csr(struct sevfw *fw, void *buf);
u16 sevfw_cmd_pek_cert_import(struct sevfw *fw, void *buf);
u16 sevfw_cmd_pdh_cert_export(struct sevfw *fw, void *buf);
u16 sevfw_cmd_pdh_gen(struct sevfw *fw, void *buf);
u16 sevfw_cmd_df_flush(struct sevfw *fw, void *buf);
u16 sevfw_cmd_download_firmware(struct sevfw *fw, void *buf);
u16 sevfw_cmd_get_id(struct sevfw *fw, void *buf);
u16 sevfw_cmd_nop(struct sevfw *fw, void *buf);

/* sevfw-core.c: state shared by several commands */
void sevfw_asids_set_all(struct sevfw *fw, enum sevfw_asid_state state);
void sevfw_guests_clear(struct sevfw *fw);

/* sevfw-identity.c: the persistent identity and its store */
void sevfw_id_keys_init(struct sevfw *fw);
void sevfw_id_clear(struct sevfw_identity *id);
u16 sevfw_id_load(struct sevfw *fw);
u16 sevfw_id_complete(struct sevfw *fw);
u16 sevfw_id_save(struct sevfw *fw);
u16 sevfw_id_factory_reset(struct sevfw *fw);
u16 sevfw_id_pek_gen(struct sevfw *fw);
u16 sevfw_id_pdh_gen(struct sevfw *fw);
u16 sevfw_id_import(struct sevfw *fw, const struct sev_cert *pek,
		    const struct sev_cert *oca);
void sevfw_id_pek_csr(struct sevfw *fw, struct sev_cert *csr);
void sevfw_id_cek_cert(struct sevfw *fw, struct sev_cert *cek);

/* sevfw-debugfs.c: debugfs views (m->private is the instance), for KUnit */
struct seq_file;
int sevfw_platform_show(struct seq_file *m, void *v);
int sevfw_commands_show(struct seq_file *m, void *v);

/* sevfw-image.c: DOWNLOAD_FIRMWARE images */
u16 sevfw_image_verify(const u8 *img, size_t len, u8 *api_major,
		       u8 *api_minor, u8 *build);
u16 sevfw_image_check_version(const struct sevfw_params *p, u8 api_major,
			      u8 api_minor, u8 build);

#endif /* _SEVFW_INTERNAL_H */
