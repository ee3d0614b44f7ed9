// SPDX-License-Identifier: GPL-2.0-only
/*
 * The keys of --device virtio-net (tap=, fd=, mac=) and --device vsock
 * (cid=, uds=): their values, the checks across keys when a device ends,
 * and the checks of the descriptor and socket path before KVM is opened.
 * Every refusal is one line naming the device text and the reason.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "lib/log.h"
#include "vmm/config-priv.h"

/* Room for "_4294967295" after the uds path (guest-initiated ports). */
#define UDS_PORT_SUFFIX	11
#define VSOCK_CID_MAX	0xfffffffeULL	/* -1U is VMADDR_CID_ANY */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* "52:54:00:12:34:56": six pairs of hex digits separated by colons. */
static int parse_mac(const char *s, u8 mac[6])
{
	int i, hi, lo;

	if (strlen(s) != 17)
		return -EINVAL;
	for (i = 0; i < 6; i++) {
		hi = hexval(s[3 * i]);
		lo = hexval(s[3 * i + 1]);
		if (hi < 0 || lo < 0 || (i < 5 && s[3 * i + 2] != ':'))
			return -EINVAL;
		mac[i] = (u8)(hi << 4 | lo);
	}
	return 0;
}

static int store_mac(struct device_config *d, const char *val,
		     const char *where)
{
	static const u8 zero[6];

	if (parse_mac(val, d->mac)) {
		pr_err("%s: mac=%s: not a MAC address like 52:54:00:12:34:56",
		       where, val);
		return -EINVAL;
	}
	if (d->mac[0] & 1 || !memcmp(d->mac, zero, sizeof(zero))) {
		pr_err("%s: mac=%s: a multicast or all-zero address cannot "
		       "be a NIC's", where, val);
		return -EINVAL;
	}
	d->has_mac = true;
	return 0;
}

int devcfg_store_netdev(struct device_config *d, const char *key,
			const char *val, const char *where)
{
	u64 v;

	if (!strcmp(key, "mac"))
		return store_mac(d, val, where);
	if (!strcmp(key, "fd")) {
		if (parse_u64(val, &v) || v > INT_MAX) {
			pr_err("%s: fd=%s: not a file descriptor number", where,
			       val);
			return -EINVAL;
		}
		d->fd = (int)v;
		d->has_fd = true;
		return 0;
	}
	if (parse_u64(val, &v) || v < 3 || v > VSOCK_CID_MAX) {
		pr_err("%s: cid=%s: must be a number from 3 to %llu (0-2 are "
		       "reserved)", where, val, VSOCK_CID_MAX);
		return -EINVAL;
	}
	d->cid = v;
	return 0;
}

int devcfg_check_net(const struct device_config *d, const char *where)
{
	if (d->tap && d->has_fd) {
		pr_err("%s: tap= and fd= exclude each other", where);
		return -EINVAL;
	}
	if (!d->tap && !d->has_fd) {
		pr_err("%s: virtio-net needs tap=IFNAME or fd=N", where);
		return -EINVAL;
	}
	if (d->tap && !*d->tap) {
		pr_err("%s: tap= needs an interface name", where);
		return -EINVAL;
	}
	return 0;
}

int devcfg_check_vsock(const struct device_config *d, const char *where)
{
	if (!d->cid) {
		pr_err("%s: vsock needs cid=N (3 or more)", where);
		return -EINVAL;
	}
	if (strlen(d->uds) + UDS_PORT_SUFFIX >=
	    sizeof(((struct sockaddr_un *)0)->sun_path)) {
		pr_err("%s: uds=%s: longer than %zu bytes (a UNIX socket "
		       "path, plus _PORT)", where, d->uds,
		       sizeof(((struct sockaddr_un *)0)->sun_path) -
		       UDS_PORT_SUFFIX - 1);
		return -EINVAL;
	}
	return 0;
}

/* fd= must be open now; the uds path, if it exists, a socket. */
int config_check_netdev(const struct device_config *d)
{
	struct stat st;

	if (d->type == DEVCFG_VIRTIO_NET && d->has_fd &&
	    fcntl(d->fd, F_GETFD) < 0) {
		pr_err("--device virtio-net,fd=%d: not an open file "
		       "descriptor (%s)", d->fd, strerror(errno));
		return -EINVAL;
	}
	if (d->type == DEVCFG_VSOCK && !lstat(d->uds, &st) &&
	    !S_ISSOCK(st.st_mode)) {
		pr_err("--device vsock,uds=%s: exists and is not a socket%s",
		       d->uds, S_ISLNK(st.st_mode) ?
		       " (a symlink, never followed)" : "");
		return -EINVAL;
	}
	return 0;
}
