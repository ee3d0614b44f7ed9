// SPDX-License-Identifier: GPL-2.0-only
/*
 * sevm-owner verify-chain DIR: the platform's certificate chain, link by
 * link (what `sevctl verify` does), from the files `sevm psp export`
 * writes or AMD publishes.
 */
#include <endian.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "owner/owner.h"
#include "sev/cert.h"
#include "lib/log.h"

#define CMD "verify-chain"

static const char usage[] =
"usage: sevm-owner verify-chain [--amd-root] DIR\n"
"\n"
"Verify a platform's certificate chain: ARK self-signature, ARK -> ASK,\n"
"ASK -> CEK, CEK -> PEK, OCA self-signature, OCA -> PEK, PEK -> PDH.\n"
"DIR holds ark.cert ask.cert cek.cert oca.cert pek.cert pdh.cert (as\n"
"`sevm psp export` writes them); ask_ark.cert (ASK then ARK, as AMD\n"
"publishes them) may replace ark.cert and ask.cert.\n"
"\n"
"  --amd-root   also require the ARK to be one of AMD's published roots\n"
"               (Naples, Rome, Milan, Genoa, Turin), byte for byte\n"
"\n"
"Prints each link with ok or FAILED. Exit 0 if all verify, 5 if one\n"
"fails, 2 if a file is missing or malformed.\n";

/* SHA-256 of AMD's ARK certificates (sev-protocol.md 9.4). */
static const struct {
	const char *gen, *sha256;
} amd_arks[] = {
	{ "Naples",
	  "dedabca561e1dece8cc00b7bda864cf5f20b95017864408cfe18eaee0dce24b9" },
	{ "Rome",
	  "865977b268c16d5b27772b00aaefb4e737ba9499e818ed8e9f65b0cecefbc529" },
	{ "Milan",
	  "1246469862b78a7a8625579b0378d1f8e975eb8b82a1623b579d7968a5969888" },
	{ "Genoa",
	  "8f4e3fd36589c23f1fe0c8338465bac7e2e066d97fc92f228bbee4fd356fb674" },
	{ "Turin",
	  "f6405e5096a6eee1eb7d5df75c49f9b9f7c8357a31c7fff150149d68588a7bf7" },
};

enum { C_CEK, C_OCA, C_PEK, C_PDH, C_N };
static const char *const sev_files[C_N] = {
	"cek.cert", "oca.cert", "pek.cert", "pdh.cert",
};

struct loaded {
	const char *cmd;	/* the subcommand, for messages */
	u8 *ark_buf, *ask_buf;	/* ask_buf is NULL if ask_ark.cert */
	size_t ark_len, ask_len;
	struct amd_cert ark, ask;
	struct sev_cert sev[C_N];
};

static void path_of(char *out, const char *dir, const char *name)
{
	snprintf(out, PATH_MAX, "%s/%s", dir, name);
}

static int load_amd(const char *cmd, const char *path, const u8 *buf,
		    size_t len, struct amd_cert *c)
{
	if (amd_cert_parse(buf, len, c)) {
		pr_err("%s: %s: not a valid AMD root certificate (%zu bytes)",
		       cmd, path, len);
		return EXIT_CONFIG;
	}
	return EXIT_OK;
}

/* Length of the AMD certificate at the start of buf, from its header. */
static size_t amd_len(const u8 *buf, size_t len)
{
	u32 eb, mb;

	if (len < 0x40)
		return len;
	memcpy(&eb, buf + 0x38, 4);
	memcpy(&mb, buf + 0x3c, 4);
	eb = le32toh(eb);
	mb = le32toh(mb);
	if (eb > 8192 || mb > 8192)
		return len;
	return 0x40 + eb / 8 + 2 * (mb / 8);
}

static int load_ask_ark(const char *dir, struct loaded *l)
{
	char path[PATH_MAX];
	size_t first;
	int r;

	path_of(path, dir, "ask_ark.cert");
	r = owner_read(l->cmd, "file", path, &l->ark_buf, &l->ark_len, 65536);
	if (r)
		return r;
	first = amd_len(l->ark_buf, l->ark_len);
	if (first >= l->ark_len) {
		pr_err("%s: %s: not an ASK followed by an ARK (%zu bytes)",
		       l->cmd, path, l->ark_len);
		return EXIT_CONFIG;
	}
	r = load_amd(l->cmd, path, l->ark_buf, first, &l->ask);
	return r ?: load_amd(l->cmd, path, l->ark_buf + first,
			     l->ark_len - first, &l->ark);
}

static int load_roots(const char *dir, struct loaded *l)
{
	char path[PATH_MAX], ask[PATH_MAX];
	int r;

	path_of(path, dir, "ark.cert");
	path_of(ask, dir, "ask.cert");
	if (access(path, F_OK) && access(ask, F_OK)) {
		path_of(path, dir, "ask_ark.cert");
		if (!access(path, F_OK))
			return load_ask_ark(dir, l);
		path_of(path, dir, "ark.cert");
	}
	r = owner_read(l->cmd, "file", path, &l->ark_buf, &l->ark_len, 65536);
	r = r ?: load_amd(l->cmd, path, l->ark_buf, l->ark_len, &l->ark);
	r = r ?: owner_read(l->cmd, "file", ask, &l->ask_buf, &l->ask_len,
			    65536);
	return r ?: load_amd(l->cmd, ask, l->ask_buf, l->ask_len, &l->ask);
}

static int load_sev(const char *dir, struct loaded *l)
{
	char path[PATH_MAX];
	size_t len;
	u8 *buf;
	int r;

	for (int i = 0; i < C_N; i++) {
		path_of(path, dir, sev_files[i]);
		r = owner_read(l->cmd, "file", path, &buf, &len, 65536);
		if (r)
			return r;
		r = sev_cert_parse(buf, len, &l->sev[i]);
		free(buf);
		if (r) {
			pr_err("%s: %s: not a valid SEV certificate (%zu bytes, want %d, version 1, P-384)",
			       l->cmd, path, len, SEV_CERT_SIZE);
			return EXIT_CONFIG;
		}
	}
	return EXIT_OK;
}

/* Name of the AMD generation whose ARK this is, or NULL. */
static const char *amd_generation(const struct amd_cert *ark)
{
	u8 md[32];
	char hex[65];

	if (EVP_Digest(ark->raw, ark->total_len, md, NULL, EVP_sha256(),
		       NULL) != 1)
		return NULL;
	hex_encode(md, sizeof(md), hex);
	for (size_t i = 0; i < ARRAY_SIZE(amd_arks); i++)
		if (!strcmp(hex, amd_arks[i].sha256))
			return amd_arks[i].gen;
	return NULL;
}

static int verify_links(const char *dir, struct loaded *l, bool amd_root)
{
	struct sev_chain ch = {
		.ark = &l->ark, .ask = &l->ask, .cek = &l->sev[C_CEK],
		.oca = &l->sev[C_OCA], .pek = &l->sev[C_PEK],
		.pdh = &l->sev[C_PDH],
	};
	const char *gen = amd_generation(&l->ark), *first = NULL;

	for (unsigned int i = 0; i < SEV_CHAIN_LINKS; i++) {
		bool ok = sev_chain_link_verify(&ch, i) == 0;

		printf("%-20s %s\n", sev_chain_link_name(i),
		       ok ? "ok" : "FAILED");
		if (!ok && !first)
			first = sev_chain_link_name(i);
	}
	printf("%-20s %s\n", "AMD root", gen ? gen : "no (unknown ARK)");
	fflush(stdout);
	if (!first && amd_root && !gen)
		first = "AMD root (--amd-root)";
	if (first) {
		pr_err(CMD ": %s: chain does not verify: %s failed", dir, first);
		return EXIT_MISMATCH;
	}
	return EXIT_OK;
}

int owner_chain_pek(const char *cmd, const char *dir, struct sev_cert *pek)
{
	struct loaded l = { .cmd = cmd };
	struct sev_chain ch = {
		.ark = &l.ark, .ask = &l.ask, .cek = &l.sev[C_CEK],
		.oca = &l.sev[C_OCA], .pek = &l.sev[C_PEK],
		.pdh = &l.sev[C_PDH],
	};
	const char *failed = "?";
	int r;

	r = load_roots(dir, &l);
	r = r ?: load_sev(dir, &l);
	if (!r && sev_chain_verify(&ch, &failed)) {
		pr_err("%s: --chain %s: chain does not verify: %s failed", cmd,
		       dir, failed);
		r = EXIT_MISMATCH;
	}
	if (!r)
		*pek = l.sev[C_PEK];
	free(l.ark_buf);
	free(l.ask_buf);
	return r;
}

int owner_verify_chain(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "amd-root", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct loaded l = { .cmd = CMD };
	bool amd_root = false;
	int c, r;

	owner_getopt_reset();
	while ((c = owner_getopt(CMD, argc, argv, opts)) != -1) {
		if (c == 'h') {
			fputs(usage, stdout);
			return EXIT_OK;
		}
		if (c != 'a')
			return EXIT_CONFIG;
		amd_root = true;
	}
	if (optind != argc - 1) {
		pr_err(CMD ": want one directory argument (see " CMD " --help)");
		return EXIT_CONFIG;
	}
	r = load_roots(argv[optind], &l);
	r = r ?: load_sev(argv[optind], &l);
	r = r ?: verify_links(argv[optind], &l, amd_root);
	free(l.ark_buf);
	free(l.ask_buf);
	return r;
}
