// SPDX-License-Identifier: GPL-2.0-only
/*
 * The option table, defaults, and parsing one option's value. The command
 * line (config-args.c), the JSON file (config-json.c) and --help all walk
 * config_opts[]; checks across options live in config-check.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmm/config-priv.h"
#include "lib/log.h"

#ifndef CONFIG_MAX_VCPUS
#define CONFIG_MAX_VCPUS 64
#endif

#define STR_(x)		#x
#define STR(x)		STR_(x)

#define F(f)		offsetof(struct vm_config, f)
#define W(f)		sizeof(((struct vm_config *)0)->f)
#define AT(f)		.off = F(f), .width = W(f)

static const struct opt_choice serial_choices[] = {
	{ "stdio", SERIAL_STDIO, false },
	{ "file", SERIAL_FILE, true },
	{ "none", SERIAL_NONE, false },
	{ NULL, 0, false },
};

static const struct opt_choice seccomp_choices[] = {
	{ "on", SECCOMP_ON, false },
	{ "log", SECCOMP_LOG, false },
	{ "off", SECCOMP_OFF, false },
	{ NULL, 0, false },
};

/* Sanitizer runtimes (LeakSanitizer's ptrace at exit) need seccomp off. */
#if defined(CONFIG_SECCOMP) && !defined(CONFIG_SANITIZERS)
#define SECCOMP_DEFAULT		SECCOMP_ON
#define SECCOMP_DEFAULT_NAME	"on"
#else
#define SECCOMP_DEFAULT		SECCOMP_OFF
#define SECCOMP_DEFAULT_NAME	"off"
#endif

static const struct opt_choice psp_choices[] = {
	{ "kernel", PSP_KERNEL, false },
	{ "emulated", PSP_EMULATED, true },
	{ NULL, 0, false },
};

const struct opt config_opts[] = {
	/* VM */
	{ "memory", 0, OPT_SIZE, GRP_VM, AT(mem_size),
	  .min = CONFIG_MIN_MEMORY, .max = CONFIG_MAX_MEMORY, .metavar = "SIZE",
	  .help = "guest RAM, 16M..1T (default 256M)" },
	{ "cpus", 0, OPT_UINT, GRP_VM, AT(cpus), .min = 1,
	  .max = CONFIG_MAX_VCPUS, .metavar = "N",
	  .help = "number of vCPUs, 1.." STR(CONFIG_MAX_VCPUS) " (default 1)" },
	{ "hugepages", 0, OPT_FLAG, GRP_VM, AT(hugepages),
	  .help = "back guest RAM with 2 MiB huge pages\n"
		  "(--memory must be a multiple of 2M)" },
	{ "lock-memory", 0, OPT_FLAG, GRP_VM, AT(lock_memory),
	  .help = "lock guest RAM into host memory (mlock)" },
	{ "cpuid-mask", 0, OPT_PATH, GRP_VM, AT(cpuid_mask),
	  .metavar = "LIST|none",
	  .help = "CPUID features hidden from the guest, comma-\n"
		  "separated (default " CONFIG_DEFAULT_CPUID_MASK ");\n"
		  "none hides nothing" },
	{ "kvm-device", 0, OPT_PATH, GRP_VM, AT(kvm_path), .metavar = "PATH",
	  .help = "KVM device (default " CONFIG_DEFAULT_KVM_DEVICE ")" },
	/* boot */
	{ "firmware", 0, OPT_PATH, GRP_BOOT, AT(firmware), .metavar = "PATH",
	  .help = "firmware image, mapped to end at 4 GiB" },
	{ "kernel", 0, OPT_PATH, GRP_BOOT, AT(kernel), .metavar = "PATH",
	  .help = "Linux bzImage or PVH ELF vmlinux, booted\n"
		  "directly or through --firmware" },
	{ "initrd", 0, OPT_PATH, GRP_BOOT, AT(initrd), .metavar = "PATH",
	  .help = "initial ramdisk (needs --kernel)" },
	{ "cmdline", 0, OPT_STRING, GRP_BOOT, AT(cmdline), .metavar = "STR",
	  .help = "kernel command line (needs --kernel)" },
	/* devices */
	{ "serial", 0, OPT_ENUM, GRP_DEVICES, AT(serial),
	  .arg_off = F(serial_path), .choices = serial_choices,
	  .metavar = "stdio|file:PATH|none",
	  .help = "where COM1 output goes (default stdio)" },
	{ "device", 0, OPT_DEVICE, GRP_DEVICES, .flags = OPTF_CLI_ONLY,
	  .metavar = "TYPE[,KEY=VALUE...]",
	  .help = "add a PCI device, repeatable (JSON: \"devices\"):\n"
		  "virtio-blk,file=PATH[,readonly=on][,serial=STR]\n"
		  "virtio-rng\n"
		  "virtio-console (bound to the --serial backend)\n"
		  "virtio-net,tap=NAME|fd=N[,mac=MAC]\n"
		  "vsock,cid=N,uds=PATH (host side: docs/virtio.md)\n"
		  "virtio-iommu[,bypass=on|off]\n"
		  "slots 00:01.0, 00:02.0, ... in the order given" },
	{ "boot-trace", 0, OPT_FLAG, GRP_DEVICES, AT(boot_trace),
	  .help = "print the port 0x80 boot timeline to stderr\n"
		  "when the VM stops" },
	/* SEV */
	{ "sev", 0, OPT_FLAG, GRP_SEV, AT(sev.enabled),
	  .help = "launch the guest with AMD SEV" },
	{ "sev-es", 0, OPT_FLAG, GRP_SEV, AT(sev.es),
	  .help = "launch with SEV-ES (implies --sev)" },
	{ "sev-policy", 0, OPT_HEX32, GRP_SEV, AT(sev.policy),
	  .set_off = F(sev.policy_set), .metavar = "HEX",
	  .help = "guest policy (default 0x33, 0x37 with --sev-es);\n"
		  "bits 6..15 must be 0" },
	{ "sev-dh-cert", 0, OPT_PATH, GRP_SEV, AT(sev.dh_cert),
	  .metavar = "FILE",
	  .help = "guest owner's DH certificate (binary or base64)" },
	{ "sev-session", 0, OPT_PATH, GRP_SEV, AT(sev.session),
	  .metavar = "FILE",
	  .help = "launch session blob (binary or base64)" },
	{ "sev-cbitpos", 0, OPT_UINT, GRP_SEV, AT(sev.cbitpos), .min = 1,
	  .max = 63, .metavar = "N",
	  .help = "C-bit position, 1..63 (default: the platform's)" },
	{ "sev-reduced-phys-bits", 0, OPT_UINT, GRP_SEV,
	  AT(sev.reduced_phys_bits), .min = 1, .max = 63, .metavar = "N",
	  .help = "physical address bits lost to encryption,\n"
		  "1..63 (default: the platform's)" },
	{ "psp", 0, OPT_ENUM, GRP_SEV, AT(sev.psp), .arg_off = F(sev.psp_dir),
	  .choices = psp_choices, .metavar = "kernel|emulated:DIR",
	  .help = "SEV firmware: /dev/sev, or the emulated PSP\n"
		  "keeping its state in DIR (default kernel)" },
	{ "sev-kernel-hashes", 0, OPT_TRISTATE, GRP_SEV,
	  AT(sev.kernel_hashes), .metavar = "on|off",
	  .help = "measure kernel, initrd and cmdline hashes\n"
		  "(default: on if the firmware has a hashes table)" },
	{ "sev-secret-header", 0, OPT_PATH, GRP_SEV, AT(sev.secret_header),
	  .metavar = "FILE",
	  .help = "launch secret packet header (with --sev-secret)" },
	{ "sev-secret", 0, OPT_PATH, GRP_SEV, AT(sev.secret),
	  .metavar = "FILE",
	  .help = "encrypted launch secret (with the header)" },
	{ "sev-secret-gpa", 0, OPT_UINT, GRP_SEV, AT(sev.secret_gpa),
	  .set_off = F(sev.secret_gpa_set), .min = 0, .max = UINT64_MAX,
	  .metavar = "ADDR",
	  .help = "guest-physical address of the secret (default:\n"
		  "the firmware's SEV secret area)" },
	{ "sev-dma-check", 0, OPT_TRISTATE, GRP_SEV, AT(sev.dma_check),
	  .metavar = "on|off",
	  .help = "refuse device DMA to pages the guest did not\n"
		  "share (default on; docs/security.md)" },
	/* control */
	{ "config", 0, OPT_SPECIAL, GRP_CONTROL, .flags = OPTF_CLI_ONLY,
	  .metavar = "FILE",
	  .help = "read options from a JSON file (same keys);\n"
		  "command-line options override it" },
	{ "paused", 0, OPT_FLAG, GRP_CONTROL, AT(paused),
	  .help = "stop before the guest's first instruction" },
	{ "qmp", 0, OPT_PATH, GRP_CONTROL, AT(qmp), .metavar = "PATH",
	  .help = "QMP control socket (UNIX socket path)" },
	{ "qmp-group", 0, OPT_PATH, GRP_CONTROL, AT(qmp_group),
	  .metavar = "NAME|GID",
	  .help = "QMP socket mode 0660 with this group\n"
		  "(default: 0600, owner only)" },
	{ "seccomp", 0, OPT_ENUM, GRP_CONTROL, AT(seccomp),
	  .choices = seccomp_choices, .metavar = "on|log|off",
	  .help = "system-call allow-lists per thread: on kills\n"
		  "the process on a forbidden call, log only\n"
		  "logs it (default " SECCOMP_DEFAULT_NAME ")" },
	{ "user", 0, OPT_PATH, GRP_CONTROL, AT(user),
	  .metavar = "UID[:GID]|NAME",
	  .help = "drop to this user once every file is open" },
	{ "chroot", 0, OPT_PATH, GRP_CONTROL, AT(chroot), .metavar = "DIR",
	  .help = "chroot to DIR once every file is open" },
	{ "pidfile", 0, OPT_PATH, GRP_CONTROL, AT(pidfile),
	  .metavar = "FILE",
	  .help = "write the process id to FILE (0644, locked,\n"
		  "removed at exit); refused if it names a live one" },
	{ "launch-report", 0, OPT_PATH, GRP_CONTROL, AT(launch_report),
	  .metavar = "FILE",
	  .help = "write a JSON launch report to FILE" },
	{ "metrics", 0, OPT_PATH, GRP_CONTROL, AT(metrics),
	  .metavar = "FILE",
	  .help = "append a JSON line of metrics to FILE every\n"
		  "second and at exit (docs/metrics.md)" },
	{ "dump-acpi", 0, OPT_PATH, GRP_CONTROL, AT(dump_acpi),
	  .metavar = "DIR",
	  .help = "write the machine's ACPI tables to DIR as\n"
		  "SIG.dat files and exit (no VM is started)" },
	{ "verbose", 'v', OPT_UINT, GRP_CONTROL, AT(verbose),
	  .flags = OPTF_COUNT, .min = 0, .max = 2,
	  .help = "more messages: -v info, -vv debug\n"
		  "(JSON: \"verbose\": 0..2)" },
	{ "help", 'h', OPT_SPECIAL, GRP_CONTROL, .flags = OPTF_CLI_ONLY,
	  .help = "print this help and exit" },
	{ "version", 'V', OPT_SPECIAL, GRP_CONTROL, .flags = OPTF_CLI_ONLY,
	  .help = "print the version and exit" },
};

const unsigned int config_nr_opts = ARRAY_SIZE(config_opts);

void config_init(struct vm_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->mem_size = CONFIG_DEFAULT_MEMORY;
	cfg->cpus = 1;
	cfg->serial = SERIAL_STDIO;
	cfg->sev.cbitpos = -1;
	cfg->sev.reduced_phys_bits = -1;
	cfg->sev.psp = PSP_KERNEL;
	cfg->sev.kernel_hashes = TRI_AUTO;
	cfg->sev.dma_check = TRI_AUTO;
	cfg->seccomp = SECCOMP_DEFAULT;
}

static char **str_field(struct vm_config *cfg, size_t off)
{
	return (char **)((char *)cfg + off);
}

void config_free(struct vm_config *cfg)
{
	const struct opt *o;

	for (o = config_opts; o < config_opts + config_nr_opts; o++) {
		if (o->kind == OPT_STRING || o->kind == OPT_PATH) {
			free(*str_field(cfg, o->off));
			*str_field(cfg, o->off) = NULL;
		}
		if (o->arg_off) {
			free(*str_field(cfg, o->arg_off));
			*str_field(cfg, o->arg_off) = NULL;
		}
	}
	config_free_devices(cfg);
}

const struct opt *config_find_opt(const char *name, size_t len)
{
	const struct opt *o;

	for (o = config_opts; o < config_opts + config_nr_opts; o++)
		if (strlen(o->name) == len && !memcmp(o->name, name, len))
			return o;
	return NULL;
}

const struct opt *config_find_short(char c)
{
	const struct opt *o;

	for (o = config_opts; o < config_opts + config_nr_opts; o++)
		if (c && o->short_name == c)
			return o;
	return NULL;
}

/* Levenshtein distance, capped: names are short. */
static unsigned int edit_distance(const char *a, const char *b)
{
	unsigned int row[40], i, j, diag, up;
	size_t lb = strlen(b);

	if (lb >= ARRAY_SIZE(row) || strlen(a) >= ARRAY_SIZE(row))
		return ~0u;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; a[i - 1]; i++) {
		diag = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			up = row[j];
			row[j] = MIN(MIN(row[j] + 1, row[j - 1] + 1),
				     diag + (a[i - 1] != b[j - 1]));
			diag = up;
		}
	}
	return row[lb];
}

const char *config_suggest(const char *name)
{
	const struct opt *o, *best = NULL;
	unsigned int d, best_d = 3;

	if (strlen(name) < 3)
		return NULL;
	for (o = config_opts; o < config_opts + config_nr_opts; o++) {
		d = edit_distance(name, o->name);
		if (d < best_d) {
			best_d = d;
			best = o;
		}
	}
	return best ? best->name : NULL;
}

const char *config_fmt_size(u64 v, char buf[24])
{
	static const char units[] = "KMGT";
	int i;

	for (i = 3; i >= 0; i--) {
		u64 unit = SZ_1K << (10 * i);

		if (v && v % unit == 0) {
			snprintf(buf, 24, "%llu%c",
				 (unsigned long long)(v / unit), units[i]);
			return buf;
		}
	}
	snprintf(buf, 24, "%llu", (unsigned long long)v);
	return buf;
}

/* One error line for a bad value; always returns -EINVAL. */
static int __printf(4, 5) bad_value(const struct opt *o, const char *val,
				    const char *file, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (!val || !*val)
		val = "\"\"";
	if (file)
		pr_err("config %s: key \"%s\": %s: %s", file, o->name, val,
		       why);
	else
		pr_err("--%s %s: %s", o->name, val, why);
	return -EINVAL;
}

static void store_uint(struct vm_config *cfg, const struct opt *o, u64 v)
{
	char *p = (char *)cfg + o->off;

	if (o->width == sizeof(u64)) {
		memcpy(p, &v, sizeof(u64));
	} else {
		u32 v32 = (u32)v;

		memcpy(p, &v32, sizeof(u32));
	}
	if (o->set_off)
		*(bool *)((char *)cfg + o->set_off) = true;
}

static int set_number(struct vm_config *cfg, const struct opt *o,
		      const char *val, const char *file)
{
	char lo[24], hi[24];
	u64 v;

	if (o->kind == OPT_SIZE) {
		if (parse_size(val, &v))
			return bad_value(o, val, file,
					 "not a size (use e.g. 256M, 2G)");
		if (v < o->min || v > o->max)
			return bad_value(o, val, file, "must be %s..%s",
					 config_fmt_size(o->min, lo),
					 config_fmt_size(o->max, hi));
	} else {
		if (parse_u64(val, &v))
			return bad_value(o, val, file, "not a number");
		if (v < o->min || v > o->max)
			return bad_value(o, val, file, "must be %llu..%llu",
					 (unsigned long long)o->min,
					 (unsigned long long)o->max);
	}
	store_uint(cfg, o, v);
	return 0;
}

static int set_hex32(struct vm_config *cfg, const struct opt *o,
		     const char *val, const char *file)
{
	u32 v;

	if (parse_hex_u32(val, &v))
		return bad_value(o, val, file,
				 "not a 32-bit hexadecimal number (use e.g. 0x33)");
	store_uint(cfg, o, v);
	return 0;
}

/* Replace a string field; the old value is freed only on success. */
static int store_str(char **field, const char *val)
{
	char *dup = NULL;

	if (val) {
		dup = strdup(val);
		if (!dup) {
			pr_err("config: out of memory");
			return -ENOMEM;
		}
	}
	free(*field);
	*field = dup;
	return 0;
}

static int set_string(struct vm_config *cfg, const struct opt *o,
		      const char *val, const char *file)
{
	if (o->kind == OPT_PATH && !*val)
		return bad_value(o, val, file, "empty value");
	return store_str(str_field(cfg, o->off), val);
}

/* on/off words for flags and tristates: 1, 0, or -1 if not one. */
static int parse_switch(const char *s)
{
	static const char *const on[] = { "on", "yes", "true" };
	static const char *const off[] = { "off", "no", "false" };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(on); i++) {
		if (!strcmp(s, on[i]))
			return 1;
		if (!strcmp(s, off[i]))
			return 0;
	}
	return -1;
}

static int set_switch(struct vm_config *cfg, const struct opt *o,
		      const char *val, const char *file)
{
	char *p = (char *)cfg + o->off;
	int v = val ? parse_switch(val) : 1;

	if (v < 0)
		return bad_value(o, val, file, "must be on or off");
	if (o->kind == OPT_FLAG) {
		*(bool *)p = v;
	} else {
		enum tristate t = v ? TRI_ON : TRI_OFF;

		memcpy(p, &t, sizeof(t));
	}
	return 0;
}

static int set_enum(struct vm_config *cfg, const struct opt *o,
		    const char *val, const char *file)
{
	const struct opt_choice *c;
	size_t n = 0;
	int r;

	for (c = o->choices; c->name; c++) {
		n = strlen(c->name);
		if (strncmp(val, c->name, n))
			continue;
		if (!c->has_arg && !val[n])
			break;
		if (c->has_arg && val[n] == ':') {
			if (!val[n + 1])
				return bad_value(o, val, file,
						 "nothing after \"%s:\"",
						 c->name);
			break;
		}
	}
	if (!c->name)
		return bad_value(o, val, file, "must be %s", o->metavar);
	/* An enum without ":ARG" choices (--seccomp) has no arg field. */
	r = !o->arg_off ? 0 :
	    store_str(str_field(cfg, o->arg_off), c->has_arg ? val + n + 1 :
		      NULL);
	if (!r)
		memcpy((char *)cfg + o->off, &c->value, sizeof(int));
	return r;
}

int config_set(struct vm_config *cfg, const struct opt *o, const char *val,
	       const char *file)
{
	if ((o->flags & OPTF_COUNT) && !val) {
		int *count = (int *)((char *)cfg + o->off);

		if (*count < (int)o->max)
			(*count)++;
		return 0;
	}
	if (!val && o->kind != OPT_FLAG)
		return bad_value(o, val, file, "missing value");
	switch (o->kind) {
	case OPT_SIZE:
	case OPT_UINT:
		return set_number(cfg, o, val, file);
	case OPT_HEX32:
		return set_hex32(cfg, o, val, file);
	case OPT_STRING:
	case OPT_PATH:
		return set_string(cfg, o, val, file);
	case OPT_FLAG:
	case OPT_TRISTATE:
		return set_switch(cfg, o, val, file);
	case OPT_ENUM:
		return set_enum(cfg, o, val, file);
	case OPT_DEVICE:
		return config_add_device(cfg, val, file);
	default:
		return bad_value(o, val, file, "not valid here");
	}
}

_Static_assert(sizeof(enum serial_mode) == sizeof(int) &&
	       sizeof(enum psp_kind) == sizeof(int) &&
	       sizeof(enum tristate) == sizeof(int) &&
	       sizeof(enum seccomp_mode) == sizeof(int), "enum fields are ints");
