// SPDX-License-Identifier: GPL-2.0-only
/*
 * sevm-owner measure: the launch measurement the guest owner expects,
 * from the owner's own copies of what was launched (sev-protocol.md 6,
 * 8; virt-qemu-sev-validate, `sevctl measurement build`):
 *   LD = SHA-256(firmware || padded hashes table if a kernel || VMSAs)
 *   MEASURE = HMAC-SHA256(TIK, 04 || api || build || policy || LD || MNONCE)
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "lib/fw-embed.h"
#include "owner/owner.h"
#include "sev/crypto.h"
#include "sev/hashes.h"
#include "lib/log.h"

#define CMD		"measure"
#define MAX_VMSA	256
#define VMSA_SIZE	4096

static const char usage[] =
"usage: sevm-owner measure [--firmware FILE] [--kernel FILE [--initrd FILE]\n"
"         [--cmdline STR] | --kernel-hashes off] [--vmsa FILE ...]\n"
"         --policy HEX --api-major N --api-minor N --build N --tik FILE\n"
"         (--nonce B64|HEX | --verify B64)\n"
"       sevm-owner measure ... --digest\n"
"       sevm-owner measure --ld HEX ... (instead of the images)\n"
"\n"
"  --firmware FILE    the whole firmware image that was launched\n"
"                     (default: the firmware embedded in this sevm\n"
"                     version, which sevm launches without --firmware)\n"
"  --kernel FILE      direct boot with kernel hashes (QEMU\n"
"                     kernel-hashes=on): the bzImage as given\n"
"  --initrd FILE      its initrd (none: SHA-256 of nothing)\n"
"  --cmdline STR      its command line (hashed with its NUL)\n"
"  --kernel-hashes off  no hashes table (no direct kernel boot)\n"
"  --vmsa FILE        SEV-ES: one 4096-byte VMSA page per vCPU, in vCPU\n"
"                     order (repeat the option)\n"
"  --ld HEX           the launch digest itself, instead of the images\n"
"  --digest           print LD (hex) and stop\n"
"  --policy, --api-major, --api-minor, --build: the platform's values\n"
"  --tik FILE         the session's TIK (NAME_tik.bin)\n"
"  --nonce B64|HEX    MNONCE: print the expected 48-byte blob (base64)\n"
"  --verify B64       the platform's blob (QMP query-sev-launch-measure,\n"
"                     virsh domlaunchsecinfo): exit 0 if it matches the\n"
"                     expected one, 5 if not\n";

struct measure_args {
	const char *firmware, *kernel, *initrd, *cmdline, *tik, *verify;
	const char *vmsa[MAX_VMSA];
	unsigned int nr_vmsa;
	u8 ld[32], nonce[16];
	bool have_ld, have_nonce, hashes_off, digest;
	u8 api_major, api_minor, build;
	u32 policy;
	unsigned int have;	/* HAVE_* bits of the platform values */
};

enum { HAVE_POLICY = 1, HAVE_MAJOR = 2, HAVE_MINOR = 4, HAVE_BUILD = 8 };

static int digest_file(EVP_MD_CTX *md, const char *what, const char *path,
		       size_t want)
{
	size_t len;
	u8 *buf;
	int r;

	r = owner_read(CMD, what, path, &buf, &len, OWNER_FILE_MAX);
	if (r)
		return r;
	if (want && len != want) {
		pr_err(CMD ": %s %s: %zu bytes, want %zu", what, path, len,
		       want);
		r = EXIT_CONFIG;
	} else if (EVP_DigestUpdate(md, buf, len) != 1) {
		r = EXIT_INTERNAL;
	}
	free(buf);
	return r;
}

/* No --firmware: the image sevm boots without one (lib/fw-embed.h). */
static int digest_embedded(EVP_MD_CTX *md)
{
	const u8 *data;
	size_t size;

	if (fw_embedded(&data, &size)) {
		pr_err(CMD ": no --firmware and no embedded firmware in this build");
		return EXIT_CONFIG;
	}
	return EVP_DigestUpdate(md, data, size) == 1 ? EXIT_OK :
						       EXIT_INTERNAL;
}

static int hashes_table(const struct measure_args *a,
			u8 t[SEV_HASHES_PADDED_LEN])
{
	u8 *k = NULL, *i = NULL;
	size_t klen = 0, ilen = 0;
	struct sev_hashes h;
	int r;

	r = owner_read(CMD, "--kernel", a->kernel, &k, &klen, OWNER_FILE_MAX);
	if (!r && a->initrd)
		r = owner_read(CMD, "--initrd", a->initrd, &i, &ilen,
			       OWNER_FILE_MAX);
	if (!r && sev_hashes_compute(k, klen, i, ilen, a->cmdline, &h))
		r = EXIT_INTERNAL;
	if (!r)
		sev_hashes_table(&h, t);
	free(k);
	free(i);
	return r;
}

/* LD over the images, in launch order. */
static int launch_digest(const struct measure_args *a, u8 ld[32])
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	u8 t[SEV_HASHES_PADDED_LEN];
	int r = EXIT_INTERNAL;

	if (!md || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1)
		goto out;
	if (a->firmware)
		r = digest_file(md, "--firmware", a->firmware, 0);
	else
		r = digest_embedded(md);
	if (!r && a->kernel) {
		r = hashes_table(a, t);
		if (!r && EVP_DigestUpdate(md, t, sizeof(t)) != 1)
			r = EXIT_INTERNAL;
	}
	for (unsigned int i = 0; !r && i < a->nr_vmsa; i++)
		r = digest_file(md, "--vmsa", a->vmsa[i], VMSA_SIZE);
	if (!r && EVP_DigestFinal_ex(md, ld, NULL) != 1)
		r = EXIT_INTERNAL;
out:
	EVP_MD_CTX_free(md);
	return r;
}

static int platform_arg(int c, const char *s, struct measure_args *a)
{
	switch (c) {
	case 'P':
		a->have |= HAVE_POLICY;
		return owner_policy_arg(CMD, s, &a->policy);
	case 'M':
		a->have |= HAVE_MAJOR;
		return owner_u8_arg(CMD, "--api-major", s, &a->api_major);
	case 'm':
		a->have |= HAVE_MINOR;
		return owner_u8_arg(CMD, "--api-minor", s, &a->api_minor);
	case 'B':
		a->have |= HAVE_BUILD;
		return owner_u8_arg(CMD, "--build", s, &a->build);
	}
	return EXIT_CONFIG;
}

static int one_arg(int c, const char *s, struct measure_args *a)
{
	switch (c) {
	case 'f': a->firmware = s; return 0;
	case 'k': a->kernel = s; return 0;
	case 'i': a->initrd = s; return 0;
	case 'c': a->cmdline = s; return 0;
	case 't': a->tik = s; return 0;
	case 'V': a->verify = s; return 0;
	case 'd': a->digest = true; return 0;
	case 'H':
		a->hashes_off = !strcmp(s, "off");
		if (a->hashes_off || !strcmp(s, "on"))
			return 0;
		pr_err(CMD ": --kernel-hashes '%s': want on or off", s);
		return EXIT_CONFIG;
	case 'v':
		if (a->nr_vmsa < MAX_VMSA) {
			a->vmsa[a->nr_vmsa++] = s;
			return 0;
		}
		pr_err(CMD ": --vmsa %s: more than %d vCPUs", s, MAX_VMSA);
		return EXIT_CONFIG;
	case 'L':
		a->have_ld = true;
		return owner_bytes_arg(CMD, "--ld", s, a->ld, 32);
	case 'n':
		a->have_nonce = true;
		return owner_bytes_arg(CMD, "--nonce", s, a->nonce, 16);
	}
	return platform_arg(c, s, a);
}

static int parse_args(int argc, char **argv, struct measure_args *a)
{
	static const struct option opts[] = {
		{ "firmware", required_argument, NULL, 'f' },
		{ "kernel", required_argument, NULL, 'k' },
		{ "initrd", required_argument, NULL, 'i' },
		{ "cmdline", required_argument, NULL, 'c' },
		{ "kernel-hashes", required_argument, NULL, 'H' },
		{ "vmsa", required_argument, NULL, 'v' },
		{ "ld", required_argument, NULL, 'L' },
		{ "digest", no_argument, NULL, 'd' },
		{ "policy", required_argument, NULL, 'P' },
		{ "api-major", required_argument, NULL, 'M' },
		{ "api-minor", required_argument, NULL, 'm' },
		{ "build", required_argument, NULL, 'B' },
		{ "tik", required_argument, NULL, 't' },
		{ "nonce", required_argument, NULL, 'n' },
		{ "verify", required_argument, NULL, 'V' },
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
		if (c == '?')
			return EXIT_CONFIG;
		r = one_arg(c, optarg, a);
		if (r)
			return r;
	}
	if (optind != argc) {
		pr_err(CMD ": unexpected argument '%s'", argv[optind]);
		return EXIT_CONFIG;
	}
	return EXIT_OK;
}

/* Combinations: returns the complaint, or NULL if the arguments fit. */
static const char *check_args(const struct measure_args *a)
{
	if (a->have_ld && (a->firmware || a->kernel || a->nr_vmsa))
		return "--ld replaces --firmware, --kernel and --vmsa";
	if (!FW_EMBEDDED_AVAILABLE && !a->have_ld && !a->firmware)
		return "need --firmware (or --ld): this sevm-owner has no embedded firmware";
	if ((a->initrd || a->cmdline) && !a->kernel)
		return "--initrd and --cmdline need --kernel";
	if (a->kernel && a->hashes_off)
		return "--kernel with --kernel-hashes off: an unmeasured kernel cannot be attested";
	if (a->digest)
		return NULL;
	if (a->have != (HAVE_POLICY | HAVE_MAJOR | HAVE_MINOR | HAVE_BUILD))
		return "need --policy, --api-major, --api-minor and --build";
	if (!a->tik)
		return "need --tik";
	if (a->have_nonce == !!a->verify)
		return "need exactly one of --nonce and --verify";
	return NULL;
}

/* --verify: the platform's 48-byte blob; its MNONCE is the nonce. */
static int platform_blob(const char *s, struct sev_measurement *m)
{
	bool ok = false;
	size_t len;
	u8 *buf;

	if (!base64_decode(s, &buf, &len)) {
		ok = len == sizeof(*m);
		if (ok)
			memcpy(m, buf, sizeof(*m));
		free(buf);
	}
	if (!ok) {
		pr_err(CMD ": --verify '%s': want the 48-byte measurement blob in base64",
		       s);
		return EXIT_CONFIG;
	}
	return EXIT_OK;
}

static int expect(const struct measure_args *a, const u8 ld[32])
{
	struct sev_measurement want, got;
	u8 tik[16];
	int r;

	r = owner_read_key(CMD, "--tik", a->tik, tik);
	if (!r && a->verify)
		r = platform_blob(a->verify, &got);
	if (r)
		goto out;
	memcpy(want.mnonce, a->verify ? got.mnonce : a->nonce, 16);
	if (sev_measure(tik, a->api_major, a->api_minor, a->build, a->policy,
			ld, want.mnonce, want.measure)) {
		r = EXIT_INTERNAL;
		goto out;
	}
	if (!a->verify) {
		r = owner_print_b64(NULL, &want, sizeof(want));
	} else if (CRYPTO_memcmp(want.measure, got.measure, 32)) {
		pr_err(CMD ": measurement mismatch: the platform's blob is not what these images, keys and platform values give");
		r = EXIT_MISMATCH;
	} else {
		printf("measurement ok\n");
	}
out:
	memzero_explicit(tik, sizeof(tik));
	return r;
}

int owner_measure(int argc, char **argv)
{
	struct measure_args a = { .firmware = NULL };
	const char *why;
	char hex[65];
	int r;

	r = parse_args(argc, argv, &a);
	if (r)
		return r < 0 ? EXIT_OK : r;
	why = check_args(&a);
	if (why) {
		pr_err(CMD ": %s (see " CMD " --help)", why);
		return EXIT_CONFIG;
	}
	if (!a.have_ld) {
		r = launch_digest(&a, a.ld);
		if (r)
			return r;
	}
	if (a.digest) {
		hex_encode(a.ld, 32, hex);
		printf("%s\n", hex);
		return EXIT_OK;
	}
	return expect(&a, a.ld);
}
