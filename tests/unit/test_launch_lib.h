/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers of the SEV launch tests (test_launch*.c): a launch fixture over
 * a copy of the emulated master platform (emul-testlib.h), a VM's guest
 * memory with a small firmware image carrying an OVMF footer table (no
 * KVM needed: the emulated PSP keys VMs by fd number), the guest owner's
 * session files, the independent recomputation of the measurement, and
 * stderr/stdout capture. Include after <cmocka.h>.
 */
#ifndef SEVM_TESTS_TEST_LAUNCH_LIB_H
#define SEVM_TESTS_TEST_LAUNCH_LIB_H

#include "vmm/launch.h"
#include "tests/unit/boot-test.h"
#include "tests/unit/emul-testlib.h"
#include "vmm/vm.h"

#define LT_FW_SIZE	(64 * 1024)
#define LT_RAM		(4ULL << 20)
#define LT_HASHES_BASE	0x9000u
#define LT_HASHES_SIZE	0x400u
#define LT_SECRET_BASE	0xa000u
#define LT_SECRET_SIZE	0x1000u
#define LT_ES_RESET	0x80b004u
#define LT_PATH_MAX	160

/* Footer entries of the test firmware. */
#define LT_FW_HASHES	(1u << 0)
#define LT_FW_SECRET	(1u << 1)
#define LT_FW_ES_RESET	(1u << 2)
#define LT_FW_ALL	(LT_FW_HASHES | LT_FW_SECRET | LT_FW_ES_RESET)

struct lt {
	char dir[EMUL_DIR_MAX];		/* the emulated platform (a clone) */
	bool own_dir;			/* dir is ours to remove */
	char tmp[EMUL_DIR_MAX];		/* scratch: firmware, owner files */
	char fw_path[LT_PATH_MAX], dh_path[LT_PATH_MAX];
	char session_path[LT_PATH_MAX], report_path[LT_PATH_MAX];
	struct vm_config cfg;
	struct vm vm;
	struct test_fw fw;
	struct blob kernel, initrd;
	struct sev_launch *l;
	struct emul_owner owner;	/* TEK, TIK, GODH, session */
	struct kvm_cpuid2 *cpuid;	/* fake CPUID for VMSA RDX, or NULL */
};

/* A fixture: platform clone (or dir if not NULL), SEV config, policy. */
struct lt *lt_new(const char *dir, bool es);
/* Close the launch (if open), free the memory, remove the scratch dirs. */
void lt_free(struct lt *t);
/* Write the firmware (LT_FW_* entries) and set cfg.firmware. */
void lt_firmware(struct lt *t, unsigned int entries);
/* Guest memory (LT_RAM), the firmware loaded into it, nr_vcpus. */
void lt_vm(struct lt *t, u32 nr_vcpus);
/* A kernel (bzImage-ish bytes), initrd and command line for the hashes. */
void lt_kernel(struct lt *t);
/* The owner's GODH (binary file) and session (base64 file) for policy. */
void lt_owner(struct lt *t);
/* sev_launch_open + sev_launch_start; both must succeed. */
void lt_open_start(struct lt *t);
/* ... + sev_launch_measure. */
void lt_launch(struct lt *t);

/* The platform's current guest count (PLATFORM_STATUS). */
u32 lt_guest_count(const char *dir);
/* The measurement recomputed from the ROM, the hashes table built here
 * (if hashes) and the given VMSA pages, with the owner's TIK. */
void lt_expected(struct lt *t, bool hashes, const u8 *vmsa, u32 nr_vmsa,
		 const u8 mnonce[16], u8 out[32]);
/* A LAUNCH_SECRET packet for plain (len % 16 == 0), owner's keys. */
void lt_seal(struct lt *t, const u8 *plain, size_t len,
	     struct sev_secret_header *hdr, u8 *ct);

/* Number of "error:" lines in a captured log. */
int lt_errors(const char *log);
/* Exactly one error line, containing needle. */
void lt_one_error(const char *log, const char *needle);
/* Capture stdout into a buffer (up to 4 KiB). */
void lt_stdout_start(void);
const char *lt_stdout_end(void);

#endif /* SEVM_TESTS_TEST_LAUNCH_LIB_H */
