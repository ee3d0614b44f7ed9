// SPDX-License-Identifier: GPL-2.0-only
/*
 * sevm-owner secret: a LAUNCH_SECRET packet for a measured guest
 * (sev-protocol.md 7; `sevctl secret build`, virt-qemu-sev-validate
 * --inject-secret): the efi_secret table, padded to 16 bytes, encrypted
 * with the TEK and MAC'd with the TIK over the launch measurement.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "owner/owner.h"
#include "sev/crypto.h"
#include "sev/hashes.h"
#include "lib/log.h"

#define CMD		"secret"
#define MAX_SECRETS	64
#define SECRET_MAX	16384	/* KVM's limit on the transport buffer */

static const char usage[] =
"usage: sevm-owner secret --measurement B64 --tek FILE --tik FILE\n"
"         --secret GUID:FILE [--secret GUID:FILE ...] [--iv HEX|B64]\n"
"         --out-header FILE --out-secret FILE [--base64]\n"
"\n"
"  --measurement B64  the launch measurement blob (48 bytes, or just the\n"
"                     32-byte MEASURE), after `measure --verify` passed\n"
"  --tek, --tik FILE  the session's keys (NAME_tek.bin, NAME_tik.bin)\n"
"  --secret GUID:FILE one secret table entry; GUID may be luks-key\n"
"                     (736869e5-84f0-4973-92ec-06879ce3da0b); the guest\n"
"                     reads it in /sys/kernel/security/secrets/coco/GUID\n"
"  --iv HEX|B64       the 16-byte IV (default: random; never reuse one)\n"
"  --out-header FILE  the 52-byte packet header\n"
"  --out-secret FILE  the encrypted table\n"
"  --base64           write both as base64 text: what QMP\n"
"                     sev-inject-launch-secret (packet-header, secret) and\n"
"                     virsh domsetlaunchsecstate take\n";

struct secret_args {
	const char *tek, *tik, *hdr_out, *ct_out;
	const char *secret[MAX_SECRETS];
	unsigned int nr;
	u8 measure[32], iv[16];
	bool have_measure, have_iv, base64;
};

static int measurement_arg(const char *s, struct secret_args *a)
{
	bool ok = false;
	size_t len;
	u8 *buf;

	if (!base64_decode(s, &buf, &len)) {
		ok = len == 48 || len == 32;
		if (ok)
			memcpy(a->measure, buf, 32);
		free(buf);
	}
	if (!ok) {
		pr_err(CMD ": --measurement '%s': want the 48-byte blob (or 32-byte MEASURE) in base64",
		       s);
		return EXIT_CONFIG;
	}
	a->have_measure = true;
	return EXIT_OK;
}

static int one_arg(int c, const char *s, struct secret_args *a)
{
	switch (c) {
	case 'm': return measurement_arg(s, a);
	case 'e': a->tek = s; return 0;
	case 'i': a->tik = s; return 0;
	case 'H': a->hdr_out = s; return 0;
	case 'S': a->ct_out = s; return 0;
	case 'b': a->base64 = true; return 0;
	case 'v':
		a->have_iv = true;
		return owner_bytes_arg(CMD, "--iv", s, a->iv, 16);
	case 's':
		if (a->nr < MAX_SECRETS) {
			a->secret[a->nr++] = s;
			return 0;
		}
		pr_err(CMD ": --secret %s: more than %d secrets", s,
		       MAX_SECRETS);
		return EXIT_CONFIG;
	}
	return EXIT_CONFIG;
}

static int parse_args(int argc, char **argv, struct secret_args *a)
{
	static const struct option opts[] = {
		{ "measurement", required_argument, NULL, 'm' },
		{ "tek", required_argument, NULL, 'e' },
		{ "tik", required_argument, NULL, 'i' },
		{ "secret", required_argument, NULL, 's' },
		{ "iv", required_argument, NULL, 'v' },
		{ "out-header", required_argument, NULL, 'H' },
		{ "out-secret", required_argument, NULL, 'S' },
		{ "base64", no_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, r;

	owner_getopt_reset();
	while ((c = owner_getopt(CMD, argc, argv, opts)) != -1) {
		if (c == 'h') {
			fputs(usage, stdout);
			return -1;
		}
		r = c == '?' ? EXIT_CONFIG : one_arg(c, optarg, a);
		if (r)
			return r;
	}
	if (optind != argc) {
		pr_err(CMD ": unexpected argument '%s'", argv[optind]);
		return EXIT_CONFIG;
	}
	if (!a->have_measure || !a->tek || !a->tik || !a->nr ||
	    !a->hdr_out || !a->ct_out) {
		pr_err(CMD ": need --measurement, --tek, --tik, --secret, --out-header and --out-secret (see "
		       CMD " --help)");
		return EXIT_CONFIG;
	}
	return EXIT_OK;
}

/* "GUID:FILE" (GUID or luks-key) into an entry whose data is malloc'd. */
static int secret_entry(const char *spec, struct sev_secret_entry *e)
{
	const char *colon = strchr(spec, ':');
	char guid[37];
	size_t n, len;
	u8 *data;
	int r;

	n = colon ? (size_t)(colon - spec) : 0;
	if (n && n < sizeof(guid)) {
		memcpy(guid, spec, n);
		guid[n] = '\0';
	}
	if (!n || n >= sizeof(guid) || !colon[1] ||
	    (strcmp(guid, "luks-key") ? guid_parse(guid, e->guid) :
	     guid_parse("736869e5-84f0-4973-92ec-06879ce3da0b", e->guid))) {
		pr_err(CMD ": --secret '%s': want GUID:FILE", spec);
		return EXIT_CONFIG;
	}
	r = owner_read(CMD, "--secret", colon + 1, &data, &len, SECRET_MAX);
	if (r)
		return r;
	e->data = data;
	e->len = (u32)len;
	return EXIT_OK;
}

static int write_out(const struct secret_args *a, const char *path,
		     const void *buf, size_t len)
{
	return a->base64 ? owner_write_b64(CMD, path, buf, len, 0644) :
			   owner_write(CMD, path, buf, len, 0644);
}

static int seal_table(const struct secret_args *a, const u8 *plain,
		      size_t len)
{
	struct sev_secret_header hdr;
	u8 tek[16], tik[16], *ct = malloc(len);
	int r;

	if (!ct)
		return EXIT_INTERNAL;
	r = owner_read_key(CMD, "--tek", a->tek, tek);
	r = r ?: owner_read_key(CMD, "--tik", a->tik, tik);
	if (!r && sev_secret_seal(tek, tik, a->iv, a->measure, plain, len,
				  &hdr, ct)) {
		pr_err(CMD ": sealing the secret failed");
		r = EXIT_INTERNAL;
	}
	r = r ?: write_out(a, a->hdr_out, &hdr, sizeof(hdr));
	r = r ?: write_out(a, a->ct_out, ct, len);
	memzero_explicit(tek, sizeof(tek));
	memzero_explicit(tik, sizeof(tik));
	free(ct);
	return r;
}

int owner_secret(int argc, char **argv)
{
	struct secret_args a = { .nr = 0 };
	struct sev_secret_entry e[MAX_SECRETS] = { { { 0 } } };
	unsigned int n = 0;
	u8 *table = NULL;
	size_t len = 0;
	int r;

	r = parse_args(argc, argv, &a);
	if (r)
		return r < 0 ? EXIT_OK : r;
	if (!a.have_iv && sev_random(a.iv, sizeof(a.iv)))
		return EXIT_INTERNAL;
	for (r = 0; !r && n < a.nr; n++)
		r = secret_entry(a.secret[n], &e[n]);
	if (!r && sev_secret_table_build(e, n, &table, &len))
		r = EXIT_INTERNAL;
	if (!r && len > SECRET_MAX) {
		pr_err(CMD ": the secret table is %zu bytes, more than %d",
		       len, SECRET_MAX);
		r = EXIT_CONFIG;
	}
	r = r ?: seal_table(&a, table, len);
	for (unsigned int i = 0; i < n; i++) {
		memzero_explicit((void *)(uintptr_t)e[i].data, e[i].len);
		free((void *)(uintptr_t)e[i].data);
	}
	if (table)
		memzero_explicit(table, len);
	free(table);
	return r;
}
