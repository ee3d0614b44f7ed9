/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VM configuration: the command line and the JSON config file (json-c),
 * which have the same keys ("--memory 256M" <-> {"memory": "256M"}).
 * Command-line options override the file. Parsing never exits: a bad key
 * or value gets one error line naming it, and -EINVAL.
 */
#ifndef SEVM_CONFIG_H
#define SEVM_CONFIG_H

#include <stdio.h>

#include "lib/util.h"

enum serial_mode { SERIAL_STDIO, SERIAL_FILE, SERIAL_NONE };
enum psp_kind { PSP_KERNEL, PSP_EMULATED };
enum tristate { TRI_AUTO = -1, TRI_OFF = 0, TRI_ON = 1 };
/* --seccomp (vmm/sandbox.h) */
enum seccomp_mode { SECCOMP_OFF, SECCOMP_ON, SECCOMP_LOG };

#define CONFIG_DEFAULT_MEMORY	(256ULL << 20)
#define CONFIG_MIN_MEMORY	(16ULL << 20)
#define CONFIG_MAX_MEMORY	(1ULL << 40)
#define CONFIG_DEFAULT_CPUID_MASK "cx16,xsave"
#define CONFIG_DEFAULT_KVM_DEVICE "/dev/kvm"

struct sev_config {
	bool enabled;			/* --sev or --sev-es */
	bool es;			/* --sev-es */
	bool policy_set;
	u32 policy;			/* --sev-policy HEX (0x33, 0x37 with ES) */
	char *dh_cert;			/* --sev-dh-cert FILE (binary or base64) */
	char *session;			/* --sev-session FILE */
	int cbitpos;			/* --sev-cbitpos N, -1 = from platform */
	int reduced_phys_bits;		/* --sev-reduced-phys-bits N, -1 = auto */
	enum psp_kind psp;		/* --psp kernel|emulated:DIR */
	char *psp_dir;			/* DIR of emulated:DIR */
	enum tristate kernel_hashes;	/* --sev-kernel-hashes on|off */
	char *secret_header;		/* --sev-secret-header FILE */
	char *secret;			/* --sev-secret FILE */
	bool secret_gpa_set;
	u64 secret_gpa;			/* --sev-secret-gpa ADDR */
	enum tristate dma_check;	/* --sev-dma-check on|off (auto = on) */
};

/*
 * Per-instance devices (--device TYPE[,key=value...], repeatable; JSON
 * "devices": [{"type": TYPE, key: value...}]). Each gets a PCI slot on
 * bus 0 in the order given, from CONFIG_DEVICE_FIRST_SLOT up: the JSON
 * file's list first, then the command line's (docs/configuration.md).
 */
enum devcfg_type {
	DEVCFG_VIRTIO_BLK,
	DEVCFG_VIRTIO_RNG,
	DEVCFG_VIRTIO_CONSOLE,
	DEVCFG_VIRTIO_NET,
	DEVCFG_VSOCK,
	DEVCFG_VIRTIO_IOMMU,
	DEVCFG_NR,
};

#define CONFIG_MAX_DEVICES	30	/* slots 1..30 of bus 0 */
#define CONFIG_DEVICE_FIRST_SLOT 1	/* 00:00.0 is the host bridge */
#define CONFIG_BLK_SERIAL_MAX	20	/* VIRTIO_BLK_ID_BYTES */

struct device_config {
	enum devcfg_type type;
	u8 slot;			/* PCI slot on bus 0 */
	char *file;			/* virtio-blk: file=PATH */
	bool readonly;			/* virtio-blk: readonly=on */
	char *serial;			/* virtio-blk: serial=STR */
	char *tap;			/* virtio-net: tap=IFNAME */
	int fd;				/* virtio-net: fd=N (if has_fd) */
	bool has_fd;
	bool has_mac;
	u8 mac[6];			/* virtio-net: mac=52:54:... */
	u64 cid;			/* vsock: cid=N (>= 3) */
	char *uds;			/* vsock: uds=PATH */
	bool bypass;			/* virtio-iommu: bypass=on (default) */
};

struct vm_config {
	u64 mem_size;			/* --memory, bytes */
	unsigned int cpus;		/* --cpus */
	char *firmware;			/* --firmware PATH */
	bool firmware_embedded;		/* firmware is FW_EMBEDDED_NAME: the
					 * image built into sevm (finalize) */
	char *kernel;			/* --kernel PATH */
	char *initrd;			/* --initrd PATH */
	char *cmdline;			/* --cmdline STR */
	enum serial_mode serial;	/* --serial stdio|file:PATH|none */
	char *serial_path;
	bool hugepages;			/* --hugepages */
	bool lock_memory;		/* --lock-memory */
	bool boot_trace;		/* --boot-trace */
	char *cpuid_mask;		/* --cpuid-mask LIST|none */
	bool paused;			/* --paused */
	char *qmp;			/* --qmp PATH */
	char *launch_report;		/* --launch-report FILE */
	char *metrics;			/* --metrics FILE (docs/metrics.md) */
	char *kvm_path;			/* --kvm-device PATH (default /dev/kvm) */
	char *dump_acpi;		/* --dump-acpi DIR: write tables, exit */
	enum seccomp_mode seccomp;	/* --seccomp on|log|off */
	char *user;			/* --user UID[:GID]|NAME */
	char *chroot;			/* --chroot DIR */
	char *pidfile;			/* --pidfile FILE */
	char *qmp_group;		/* --qmp-group NAME|GID: socket 0660 */
	int verbose;			/* -v (repeatable) */
	struct sev_config sev;
	struct device_config devices[CONFIG_MAX_DEVICES];
	unsigned int nr_devices;
};

/* Positive results of config_parse_args() that are not errors. */
enum config_action { CONFIG_RUN = 0, CONFIG_HELP = 1, CONFIG_VERSION = 2 };

void config_init(struct vm_config *cfg);
void config_free(struct vm_config *cfg);

/*
 * Parse argv (argv[0] is the program). "--config FILE" is loaded first
 * wherever it appears; the other options then override it. Returns a
 * config_action or -EINVAL / -ENOENT / -ENOMEM (error already printed).
 * A value that fails to parse leaves the stored value unchanged.
 */
int config_parse_args(struct vm_config *cfg, int argc, char **argv);
/*
 * Load a JSON config file (at most 1 MiB) into cfg, key by key in file
 * order. Returns 0, -EINVAL (syntax, unknown key, wrong type, bad value),
 * -ENOSPC (more than CONFIG_MAX_DEVICES devices), the -errno of reading
 * the file (-ENOENT, -EISDIR, -EFBIG) or -ENOMEM.
 * A failing key is not stored; keys before it are.
 */
int config_load_json(struct vm_config *cfg, const char *path);
/*
 * The same on a file's body already in memory: text[len] must be '\0';
 * path only names it in messages (the fuzz target's entry point).
 */
int config_load_json_text(struct vm_config *cfg, const char *path,
			  const char *text, size_t len);
/*
 * Cross-option checks (kernel needed for initrd, ES needs SEV, ...). Works
 * on the effective values: --sev-es counts as SEV enabled and an unset
 * policy as the default, so it may run before or after config_finalize().
 * Returns 0 or -EINVAL (one error line printed).
 */
int config_validate(const struct vm_config *cfg);
/*
 * Fill in derived defaults after a successful config_validate(): SEV
 * enabled by --sev-es, the default policy (SEV_POLICY_DEFAULT, or
 * SEV_POLICY_DEFAULT_ES with --sev-es) when none was given, the cpuid mask
 * (CONFIG_DEFAULT_CPUID_MASK) and the KVM device ("/dev/kvm") when unset.
 * Returns 0 or -ENOMEM.
 */
int config_finalize(struct vm_config *cfg);
/*
 * Add one device from its --device text ("virtio-blk,file=disk.img"). src
 * names where it came from for the error line (NULL: the command line).
 * 0, -EINVAL (one line naming the text and what is wrong), -ENOSPC, -ENOMEM.
 */
int config_add_device(struct vm_config *cfg, const char *text,
		      const char *src);
/* "virtio-blk" for a type. */
const char *config_device_type_name(enum devcfg_type type);

/* The --help text. */
void config_usage(FILE *out);

#endif /* SEVM_CONFIG_H */
