// SPDX-License-Identifier: GPL-2.0-only
/*
 * sevm-owner session: a fresh launch session for one guest (what `sevctl
 * session` does, sev-protocol.md 5.3). A new GODH key pair, ECDH with the
 * platform's PDH, random TEK/TIK/NONCE/WRAP_IV, the wrapped session blob.
 */
#include <endian.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "owner/owner.h"
#include "sev/cert.h"
#include "sev/crypto.h"
#include "lib/log.h"

#define CMD "session"

static const char usage[] =
"usage: sevm-owner session --pdh FILE --policy HEX --out DIR [--name NAME]\n"
"                          [--base64]\n"
"\n"
"Create the launch session for one guest launch (never reuse one):\n"
"  --pdh FILE     the platform's PDH certificate (0x824 bytes, or its\n"
"                 base64 as `virsh nodesevinfo` shows it); verify its\n"
"                 chain first with verify-chain\n"
"  --policy HEX   the guest policy the launch will use (e.g. 0x1)\n"
"  --out DIR      where to write the files (created 0700 if missing)\n"
"  --name NAME    file name prefix (default vm)\n"
"  --base64       also print the GODH certificate and session base64\n"
"\n"
"Writes (sevctl's names): NAME_godh.b64, NAME_session.b64 (base64, what\n"
"QEMU dh-cert-file/session-file and libvirt dhCert/session take),\n"
"NAME_godh.bin, NAME_session.bin (binary), and the transport keys\n"
"NAME_tek.bin, NAME_tik.bin (16 bytes each, mode 0600, keep them secret).\n";

struct session_args {
	const char *pdh, *out, *name;
	u32 policy;
	bool have_policy, base64;
};

struct session_out {
	struct sev_cert godh;
	struct sev_session blob;
	u8 tek[16], tik[16];
};

/* The PDH file as given, or base64-decoded if it is text. */
static int pdh_bytes(u8 **buf, size_t *len)
{
	char *text;
	u8 *raw;
	size_t rlen;
	int r;

	if (*len == SEV_CERT_SIZE)
		return 0;
	text = malloc(*len + 1);
	if (!text)
		return -ENOMEM;
	memcpy(text, *buf, *len);
	text[*len] = '\0';
	r = base64_decode(text, &raw, &rlen);
	free(text);
	if (r)
		return r;
	free(*buf);
	*buf = raw;
	*len = rlen;
	return 0;
}

static int read_pdh(const char *path, struct sev_cert *pdh)
{
	size_t len;
	u8 *buf;
	int r;

	r = owner_read(CMD, "--pdh", path, &buf, &len, 65536);
	if (r)
		return r;
	r = pdh_bytes(&buf, &len);
	r = r ?: sev_cert_parse(buf, len, pdh);
	free(buf);
	if (r || le32toh(pdh->pub_key_usage) != SEV_USAGE_PDH ||
	    (le32toh(pdh->pub_key_algo) & 0xff) != SEV_ALGO_ECDH_SHA256) {
		pr_err(CMD ": --pdh %s: not a PDH certificate (want 0x824 bytes or their base64, usage PDH, ECDH P-384)",
		       path);
		return EXIT_CONFIG;
	}
	return EXIT_OK;
}

/* All fresh: GODH key, NONCE, TEK, TIK, WRAP_IV. */
static int make_session(const struct sev_cert *pdh, u32 policy,
			struct session_out *o)
{
	u8 z[SEV_ECDH_Z_SIZE], nonce[16], iv[16], kek[16], kik[16];
	EVP_PKEY *godh = NULL;
	int r;

	r = sev_ec_keygen(&godh);
	r = r ?: sev_cert_init(&o->godh, SEV_USAGE_PDH, SEV_ALGO_ECDH_SHA256,
			       godh, 0, 0);
	r = r ?: sev_ecdh(godh, pdh, z);
	r = r ?: sev_random(nonce, sizeof(nonce));
	r = r ?: sev_random(iv, sizeof(iv));
	r = r ?: sev_random(o->tek, sizeof(o->tek));
	r = r ?: sev_random(o->tik, sizeof(o->tik));
	r = r ?: sev_derive_kek_kik(z, sizeof(z), nonce, kek, kik);
	r = r ?: sev_session_wrap(kek, kik, o->tek, o->tik, nonce, iv, policy,
				  &o->blob);
	memzero_explicit(z, sizeof(z));
	memzero_explicit(kek, sizeof(kek));
	memzero_explicit(kik, sizeof(kik));
	EVP_PKEY_free(godh);	/* the GODH private key is never stored */
	if (r)
		pr_err(CMD ": creating the session failed: %s", strerror(-r));
	return r ? EXIT_INTERNAL : EXIT_OK;
}

static int write_one(const struct session_args *a, const char *suffix,
		     const void *buf, size_t len, bool b64, mode_t mode)
{
	char path[PATH_MAX];

	if (snprintf(path, sizeof(path), "%s/%s_%s", a->out, a->name,
		     suffix) >= (int)sizeof(path)) {
		pr_err(CMD ": --out %s: path too long", a->out);
		return EXIT_CONFIG;
	}
	return b64 ? owner_write_b64(CMD, path, buf, len, mode) :
		     owner_write(CMD, path, buf, len, mode);
}

static int write_session(const struct session_args *a,
			 const struct session_out *o)
{
	int r;

	if (mkdir(a->out, 0700) && errno != EEXIST) {
		pr_err(CMD ": --out %s: cannot create: %s", a->out,
		       strerror(errno));
		return EXIT_CONFIG;
	}
	r = write_one(a, "tek.bin", o->tek, 16, false, 0600);
	r = r ?: write_one(a, "tik.bin", o->tik, 16, false, 0600);
	r = r ?: write_one(a, "godh.bin", &o->godh, sizeof(o->godh), false,
			   0644);
	r = r ?: write_one(a, "session.bin", &o->blob, sizeof(o->blob), false,
			   0644);
	r = r ?: write_one(a, "godh.b64", &o->godh, sizeof(o->godh), true,
			   0644);
	r = r ?: write_one(a, "session.b64", &o->blob, sizeof(o->blob), true,
			   0644);
	if (!r && a->base64) {
		r = owner_print_b64("godh", &o->godh, sizeof(o->godh));
		r = r ?: owner_print_b64("session", &o->blob,
					 sizeof(o->blob));
	}
	return r;
}

static int parse_args(int argc, char **argv, struct session_args *a)
{
	static const struct option opts[] = {
		{ "pdh", required_argument, NULL, 'p' },
		{ "policy", required_argument, NULL, 'P' },
		{ "out", required_argument, NULL, 'o' },
		{ "name", required_argument, NULL, 'n' },
		{ "base64", no_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	owner_getopt_reset();
	while ((c = owner_getopt(CMD, argc, argv, opts)) != -1) {
		switch (c) {
		case 'p': a->pdh = optarg; break;
		case 'o': a->out = optarg; break;
		case 'n': a->name = optarg; break;
		case 'b': a->base64 = true; break;
		case 'h': fputs(usage, stdout); return -1;
		case 'P':
			if (owner_policy_arg(CMD, optarg, &a->policy))
				return EXIT_CONFIG;
			a->have_policy = true;
			break;
		default: return EXIT_CONFIG;
		}
	}
	return EXIT_OK;
}

int owner_session(int argc, char **argv)
{
	struct session_args a = { .name = "vm" };
	struct session_out o;
	struct sev_cert pdh;
	int r;

	r = parse_args(argc, argv, &a);
	if (r)
		return r < 0 ? EXIT_OK : r;
	if (optind != argc || !a.pdh || !a.out || !a.have_policy) {
		pr_err(CMD ": need --pdh, --policy and --out%s (see " CMD
		       " --help)", optind != argc ? ", and no other arguments" :
		       "");
		return EXIT_CONFIG;
	}
	if (!*a.name || strchr(a.name, '/')) {
		pr_err(CMD ": --name '%s': want a file name prefix", a.name);
		return EXIT_CONFIG;
	}
	r = read_pdh(a.pdh, &pdh);
	r = r ?: make_session(&pdh, a.policy, &o);
	r = r ?: write_session(&a, &o);
	memzero_explicit(&o, sizeof(o));
	return r;
}
