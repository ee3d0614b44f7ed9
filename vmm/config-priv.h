/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Private to vmm/config*.c: the option table that drives the command line,
 * the JSON config file and --help. One entry per option: its long name
 * (the JSON key is the same name), its kind, where the value is stored
 * (offsetof into struct vm_config) and its help text.
 */
#ifndef SEVM_CONFIG_PRIV_H
#define SEVM_CONFIG_PRIV_H

#include "vmm/config.h"

struct json_object;

enum opt_kind {
	OPT_SIZE,	/* "256M", "2G", bytes; u64 field */
	OPT_UINT,	/* decimal or 0x hex; u32/int/u64 field, min..max */
	OPT_STRING,	/* any string, may be empty; char * field */
	OPT_PATH,	/* non-empty string; char * field */
	OPT_FLAG,	/* no value on the command line; bool field */
	OPT_ENUM,	/* one of choices, "name" or "name:ARG"; enum field */
	OPT_HEX32,	/* hexadecimal, 0x optional; u32 field */
	OPT_TRISTATE,	/* on|off; enum tristate field */
	OPT_DEVICE,	/* --device TYPE[,k=v...], repeatable (config-device.c) */
	OPT_SPECIAL,	/* --config, --help, --version: the parser's */
};

enum opt_group {
	GRP_VM, GRP_BOOT, GRP_DEVICES, GRP_SEV, GRP_CONTROL, GRP_NR,
};

/* opt.flags */
#define OPTF_CLI_ONLY	(1u << 0)	/* not a JSON key */
#define OPTF_COUNT	(1u << 1)	/* -v: no value, each use adds one */

struct opt_choice {
	const char *name;
	int value;
	bool has_arg;		/* "name:ARG", ARG stored at opt.arg_off */
};

struct opt {
	const char *name;	/* long name without "--" = JSON key */
	char short_name;	/* 'v', 'h', 'V' or 0 */
	u8 kind;		/* enum opt_kind */
	u8 group;		/* enum opt_group */
	u8 width;		/* size of the stored field */
	unsigned int flags;	/* OPTF_* */
	size_t off;		/* offsetof(struct vm_config, field) */
	size_t set_off;		/* bool set on success; 0 = none */
	size_t arg_off;		/* char * for a choice's ARG; 0 = none */
	u64 min, max;		/* OPT_SIZE, OPT_UINT */
	const struct opt_choice *choices;	/* OPT_ENUM, NULL-terminated */
	const char *metavar;	/* "SIZE"; NULL: takes no value */
	const char *help;
};

extern const struct opt config_opts[];
extern const unsigned int config_nr_opts;

/* Look an option up by long name (no dashes; len bytes of name). */
const struct opt *config_find_opt(const char *name, size_t len);
const struct opt *config_find_short(char c);
/* The closest long name within edit distance 2, or NULL. */
const char *config_suggest(const char *name);

/*
 * Parse val for option o and store it, all or nothing. file is the JSON
 * file the value came from, NULL for the command line; it selects the
 * wording of the one error line. val is NULL for a flag without a value.
 */
int config_set(struct vm_config *cfg, const struct opt *o, const char *val,
	       const char *file);

/*
 * Building one device (config-device.c), for the --device text and the
 * JSON "devices" list alike: begin with its type, set keys, end (which
 * gives it the next PCI slot) or abort. where prefixes every error line.
 */
struct devtype;
struct devcfg_build {
	const struct devtype *type;
	const char *where;
	unsigned int seen;		/* keys given, by index */
	struct device_config dev;
};

int devcfg_begin(struct vm_config *cfg, struct devcfg_build *b,
		 const char *type, const char *where);
int devcfg_set(struct devcfg_build *b, const char *key, const char *val);
int devcfg_end(struct vm_config *cfg, struct devcfg_build *b);
void devcfg_abort(struct devcfg_build *b);
void config_free_devices(struct vm_config *cfg);
/* JSON "devices": an array of objects with a "type" key. */
int config_json_devices(struct vm_config *cfg, const char *path,
			struct json_object *list);
/*
 * virtio-net and vsock keys (config-netdev.c): mac=, fd=, cid= values,
 * the cross-key checks at the end of a device, and the checks of the
 * files and descriptors they name (config_check_devices).
 */
#define CONFIG_IFNAME_MAX	15	/* IFNAMSIZ - 1 */
int devcfg_store_netdev(struct device_config *d, const char *key,
			const char *val, const char *where);
int devcfg_check_net(const struct device_config *d, const char *where);
int devcfg_check_vsock(const struct device_config *d, const char *where);
int config_check_netdev(const struct device_config *d);
/* The files and values of every device (config_validate). */
int config_check_devices(const struct vm_config *cfg);

/* "256M", "1T", "4097": the largest binary unit that divides v exactly. */
const char *config_fmt_size(u64 v, char buf[24]);

/* Whether o takes a value on the command line. */
static inline bool opt_takes_value(const struct opt *o)
{
	return o->metavar != NULL;
}

#endif /* SEVM_CONFIG_PRIV_H */
