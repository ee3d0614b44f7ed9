// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-instance devices: --device TYPE[,key=value...] and the JSON
 * "devices" list go through one schema (device_types[]), so both accept
 * the same types, keys and values. As in QEMU, ",," in a value stands for
 * a comma. Files are checked later, with the other inputs
 * (config_check_devices), still before KVM is opened.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/log.h"
#include "vmm/config-priv.h"

enum devkey_kind { DK_PATH, DK_STRING, DK_BOOL, DK_MAC, DK_FD, DK_CID };

struct devkey {
	const char *name;
	enum devkey_kind kind;
	size_t off;			/* in struct device_config */
	size_t max;			/* longest string; 0 = any */
};

struct devtype {
	const char *name;
	enum devcfg_type type;
	const struct devkey *keys;	/* NULL-terminated */
	const char *required;		/* a key that must be given, or NULL */
	const char *kconfig;		/* the symbol that builds it */
	bool built;			/* that symbol is y */
	/* cross-key checks at the end (config-netdev.c), or NULL */
	int (*check)(const struct device_config *d, const char *where);
};

#if defined(CONFIG_PCI) && defined(CONFIG_VIRTIO_BLK)
#define BUILT_BLK	true
#else
#define BUILT_BLK	false
#endif
#if defined(CONFIG_PCI) && defined(CONFIG_VIRTIO_RNG)
#define BUILT_RNG	true
#else
#define BUILT_RNG	false
#endif
#if defined(CONFIG_PCI) && defined(CONFIG_VIRTIO_CONSOLE)
#define BUILT_CONSOLE	true
#else
#define BUILT_CONSOLE	false
#endif
#if defined(CONFIG_PCI) && defined(CONFIG_VIRTIO_IOMMU)
#define BUILT_IOMMU	true
#else
#define BUILT_IOMMU	false
#endif

#if defined(CONFIG_PCI) && defined(CONFIG_VIRTIO_NET)
#define BUILT_NET	true
#else
#define BUILT_NET	false
#endif
#if defined(CONFIG_PCI) && defined(CONFIG_VIRTIO_VSOCK)
#define BUILT_VSOCK	true
#else
#define BUILT_VSOCK	false
#endif

#define DK(n, k, f, m) { n, k, offsetof(struct device_config, f), m }

static const struct devkey blk_keys[] = {
	DK("file", DK_PATH, file, 0),
	DK("readonly", DK_BOOL, readonly, 0),
	DK("serial", DK_STRING, serial, CONFIG_BLK_SERIAL_MAX),
	{ NULL },
};

static const struct devkey net_keys[] = {
	DK("tap", DK_STRING, tap, CONFIG_IFNAME_MAX),
	DK("fd", DK_FD, fd, 0),
	DK("mac", DK_MAC, mac, 0),
	{ NULL },
};

static const struct devkey vsock_keys[] = {
	DK("cid", DK_CID, cid, 0),
	DK("uds", DK_PATH, uds, 0),
	{ NULL },
};

static const struct devkey iommu_keys[] = {
	DK("bypass", DK_BOOL, bypass, 0),
	{ NULL },
};

static const struct devkey no_keys[] = { { NULL } };

static const struct devtype device_types[] = {
	{ "virtio-blk", DEVCFG_VIRTIO_BLK, blk_keys, "file",
	  "CONFIG_VIRTIO_BLK", BUILT_BLK },
	{ "virtio-rng", DEVCFG_VIRTIO_RNG, no_keys, NULL,
	  "CONFIG_VIRTIO_RNG", BUILT_RNG },
	{ "virtio-console", DEVCFG_VIRTIO_CONSOLE, no_keys, NULL,
	  "CONFIG_VIRTIO_CONSOLE", BUILT_CONSOLE },
	{ "virtio-net", DEVCFG_VIRTIO_NET, net_keys, NULL,
	  "CONFIG_VIRTIO_NET", BUILT_NET, devcfg_check_net },
	{ "vsock", DEVCFG_VSOCK, vsock_keys, "uds",
	  "CONFIG_VIRTIO_VSOCK", BUILT_VSOCK, devcfg_check_vsock },
	{ "virtio-iommu", DEVCFG_VIRTIO_IOMMU, iommu_keys, NULL,
	  "CONFIG_VIRTIO_IOMMU", BUILT_IOMMU },
};

const char *config_device_type_name(enum devcfg_type type)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(device_types); i++)
		if (device_types[i].type == type)
			return device_types[i].name;
	return "?";
}

static const struct devtype *find_type(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(device_types); i++)
		if (!strcmp(device_types[i].name, name))
			return &device_types[i];
	return NULL;
}

static void list_types(char *buf, size_t len)
{
	size_t n = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(device_types) && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? ", " : "",
				      device_types[i].name);
}

static void list_keys(const struct devtype *t, char *buf, size_t len)
{
	const struct devkey *k;
	size_t n = 0;

	buf[0] = '\0';
	if (!t->keys[0].name) {
		snprintf(buf, len, "%s takes no keys", t->name);
		return;
	}
	n = (size_t)snprintf(buf, len, "%s takes", t->name);
	for (k = t->keys; k->name && n < len; k++)
		n += (size_t)snprintf(buf + n, len - n, "%s %s",
				      k == t->keys ? "" : ",", k->name);
}

static const struct devkey *find_key(const struct devtype *t,
				     const char *name)
{
	const struct devkey *k;

	for (k = t->keys; k->name; k++)
		if (!strcmp(k->name, name))
			return k;
	return NULL;
}

static int parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = { "on", "true", "yes", "1" };
	static const char *const no[] = { "off", "false", "no", "0" };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(yes); i++) {
		if (!strcmp(v, yes[i]) || !strcmp(v, no[i])) {
			*out = !strcmp(v, yes[i]);
			return 0;
		}
	}
	return -EINVAL;
}

static int store_value(struct device_config *d, const struct devkey *k,
		       const char *val, const char *where)
{
	char **str = (char **)((char *)d + k->off);

	if (k->kind == DK_MAC || k->kind == DK_FD || k->kind == DK_CID)
		return devcfg_store_netdev(d, k->name, val, where);
	if (k->kind == DK_BOOL) {
		if (parse_bool(val, (bool *)((char *)d + k->off))) {
			pr_err("%s: %s=%s: must be on or off", where, k->name,
			       val);
			return -EINVAL;
		}
		return 0;
	}
	if (k->kind == DK_PATH && !*val) {
		pr_err("%s: %s= needs a path", where, k->name);
		return -EINVAL;
	}
	if (k->max && strlen(val) > k->max) {
		pr_err("%s: %s=%s: longer than %zu bytes", where, k->name, val,
		       k->max);
		return -EINVAL;
	}
	free(*str);
	*str = strdup(val);
	return *str ? 0 : -ENOMEM;
}

int devcfg_begin(struct vm_config *cfg, struct devcfg_build *b,
		 const char *type, const char *where)
{
	char types[128];

	memset(b, 0, sizeof(*b));
	b->where = where;
	b->type = find_type(type);
	if (!b->type) {
		list_types(types, sizeof(types));
		pr_err("%s: unknown device type \"%s\" (known: %s)", where,
		       type, types);
		return -EINVAL;
	}
	if (!b->type->built) {
		pr_err("%s: this sevm is built without %s or CONFIG_PCI",
		       where, b->type->kconfig);
		return -EINVAL;
	}
	if (cfg->nr_devices == CONFIG_MAX_DEVICES) {
		pr_err("%s: more than %d devices", where, CONFIG_MAX_DEVICES);
		return -ENOSPC;
	}
	b->dev.type = b->type->type;
	b->dev.bypass = true;		/* virtio-iommu: as QEMU's boot-bypass */
	return 0;
}

int devcfg_set(struct devcfg_build *b, const char *key, const char *val)
{
	const struct devkey *k = find_key(b->type, key);
	char keys[128];
	unsigned int bit;

	if (!k) {
		list_keys(b->type, keys, sizeof(keys));
		pr_err("%s: unknown key \"%s\" (%s)", b->where, key, keys);
		return -EINVAL;
	}
	bit = 1u << (k - b->type->keys);
	if (b->seen & bit) {
		pr_err("%s: key \"%s\" given twice", b->where, key);
		return -EINVAL;
	}
	b->seen |= bit;
	return store_value(&b->dev, k, val, b->where);
}

static void devcfg_free(struct device_config *d)
{
	free(d->file);
	free(d->serial);
	free(d->tap);
	free(d->uds);
	memset(d, 0, sizeof(*d));
}

void devcfg_abort(struct devcfg_build *b)
{
	devcfg_free(&b->dev);
}

int devcfg_end(struct vm_config *cfg, struct devcfg_build *b)
{
	const char *req = b->type->required;

	if (req && !(b->seen & (1u << (find_key(b->type, req) -
					b->type->keys)))) {
		pr_err("%s: %s needs %s=", b->where, b->type->name, req);
		devcfg_abort(b);
		return -EINVAL;
	}
	if (b->type->check && b->type->check(&b->dev, b->where)) {
		devcfg_abort(b);
		return -EINVAL;
	}
	b->dev.slot = (u8)(CONFIG_DEVICE_FIRST_SLOT + cfg->nr_devices);
	cfg->devices[cfg->nr_devices++] = b->dev;
	memset(&b->dev, 0, sizeof(b->dev));
	return 0;
}

/* Next comma-separated field of *s into out (",," is a comma). */
static int next_field(const char **s, char *out, size_t len)
{
	const char *p = *s;
	size_t n = 0;

	while (*p) {
		if (*p == ',' && p[1] != ',')
			break;
		if (n + 1 >= len)
			return -E2BIG;
		out[n++] = *p;
		p += *p == ',' ? 2 : 1;
	}
	out[n] = '\0';
	*s = *p ? p + 1 : p;
	return 0;
}

static int add_fields(struct devcfg_build *b, const char *rest,
		      char *field, size_t len)
{
	char *eq;
	int r;

	while (*rest) {
		r = next_field(&rest, field, len);
		if (r)
			return r;
		eq = strchr(field, '=');
		if (!eq) {
			pr_err("%s: \"%s\" is not key=value", b->where, field);
			return -EINVAL;
		}
		*eq = '\0';
		r = devcfg_set(b, field, eq + 1);
		if (r)
			return r;
	}
	return 0;
}

int config_add_device(struct vm_config *cfg, const char *text,
		      const char *src)
{
	size_t len = strlen(text) + 1;
	char *field = malloc(len), *where;
	const char *rest = text;
	struct devcfg_build b;
	int r;

	if (!field || asprintf(&where, "%s%s%s", src ? src : "--device ",
			       src ? ": device " : "", text) < 0) {
		free(field);
		return -ENOMEM;
	}
	r = next_field(&rest, field, len);
	if (!r)
		r = devcfg_begin(cfg, &b, field, where);
	if (!r) {
		r = add_fields(&b, rest, field, len);
		r = r ?: devcfg_end(cfg, &b);
		if (r)
			devcfg_abort(&b);
	}
	free(field);
	free(where);
	return r;
}

void config_free_devices(struct vm_config *cfg)
{
	unsigned int i;

	for (i = 0; i < cfg->nr_devices; i++)
		devcfg_free(&cfg->devices[i]);
	cfg->nr_devices = 0;
}

/* A disk image: a regular file or a block device, writable unless
 * readonly=on. */
static int check_blk(const struct device_config *d)
{
	struct stat st;

	if (stat(d->file, &st)) {
		pr_err("--device virtio-blk,file=%s: %s", d->file,
		       strerror(errno));
		return -EINVAL;
	}
	if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) {
		pr_err("--device virtio-blk,file=%s: not a regular file or block device",
		       d->file);
		return -EINVAL;
	}
	if (access(d->file, d->readonly ? R_OK : R_OK | W_OK)) {
		pr_err("--device virtio-blk,file=%s: %s%s", d->file,
		       strerror(errno), d->readonly ? "" :
		       " (readonly=on for a read-only image)");
		return -EINVAL;
	}
	return 0;
}

int config_check_devices(const struct vm_config *cfg)
{
	unsigned int i, iommus = 0;
	int r;

	for (i = 0; i < cfg->nr_devices; i++) {
		if (cfg->devices[i].type == DEVCFG_VIRTIO_IOMMU &&
		    ++iommus > 1) {
			pr_err("--device virtio-iommu: given twice (one IOMMU translates all virtio devices)");
			return -EINVAL;
		}
		if (cfg->devices[i].type != DEVCFG_VIRTIO_BLK) {
			r = config_check_netdev(&cfg->devices[i]);
			if (r)
				return r;
			continue;
		}
		r = check_blk(&cfg->devices[i]);
		if (r)
			return r;
	}
	return 0;
}
