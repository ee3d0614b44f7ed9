// SPDX-License-Identifier: GPL-2.0-only
/*
 * sevm-owner verify-report: a guest's SEV attestation report (QMP
 * query-sev-attestation-report; sev-protocol.md 6.4) checked against the
 * platform's verified chain: the PEK's signature, the mnonce the owner
 * chose, and optionally the launch digest the owner expects.
 */
#include <endian.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "owner/owner.h"
#include "sev/report.h"
#include "lib/log.h"

#define CMD		"verify-report"
#define REPORT_FILE_MAX	4096	/* 208 bytes, or its base64 text */

static const char usage[] =
"usage: sevm-owner verify-report --report FILE --mnonce B64|HEX --chain DIR\n"
"         [--measurement B64|HEX]\n"
"\n"
"Check an SEV attestation report (QMP query-sev-attestation-report):\n"
"  --report FILE        the report: 208 bytes, or the base64 \"data\" text\n"
"  --mnonce B64|HEX     the 16-byte nonce given to the query\n"
"  --chain DIR          the platform's certificates (as verify-chain); the\n"
"                       whole chain must verify, the PEK signs the report\n"
"  --measurement B64|HEX  the expected launch digest (32 bytes, what\n"
"                       `sevm-owner measure --digest` prints)\n"
"\n"
"Exit 0 if all checks pass, 5 on a mismatch (one line names the check:\n"
"chain, signature, mnonce or measurement), 2 for a missing or malformed\n"
"argument or file (a truncated report).\n";

struct report_args {
	const char *report, *chain;
	u8 mnonce[SEV_MNONCE_SIZE], ld[SEV_DIGEST_SIZE];
	bool have_mnonce, have_ld;
};

static int one_arg(int c, const char *s, struct report_args *a)
{
	switch (c) {
	case 'r':
		a->report = s;
		return EXIT_OK;
	case 'c':
		a->chain = s;
		return EXIT_OK;
	case 'n':
		a->have_mnonce = true;
		return owner_bytes_arg(CMD, "--mnonce", s, a->mnonce,
				       sizeof(a->mnonce));
	case 'm':
		a->have_ld = true;
		return owner_bytes_arg(CMD, "--measurement", s, a->ld,
				       sizeof(a->ld));
	}
	return EXIT_CONFIG;
}

static int parse_args(int argc, char **argv, struct report_args *a)
{
	static const struct option opts[] = {
		{ "report", required_argument, NULL, 'r' },
		{ "mnonce", required_argument, NULL, 'n' },
		{ "chain", required_argument, NULL, 'c' },
		{ "measurement", required_argument, NULL, 'm' },
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
	if (!a->report || !a->chain || !a->have_mnonce) {
		pr_err(CMD ": need --report, --mnonce and --chain (see " CMD
		       " --help)");
		return EXIT_CONFIG;
	}
	return EXIT_OK;
}

static int read_report(const char *path, struct sev_report *rep)
{
	size_t len = 0;
	u8 *buf;
	int r;

	r = read_file_binary_or_base64(path, &buf, &len, REPORT_FILE_MAX);
	if (r) {
		pr_err(CMD ": --report %s: cannot read: %s", path,
		       r == -EFBIG ? "file too large" :
		       r == -EBADMSG ? "not binary and not base64" :
		       strerror(-r));
		return EXIT_CONFIG;
	}
	r = sev_report_parse(buf, len, rep);
	free(buf);
	if (r) {
		pr_err(CMD ": --report %s: not an SEV attestation report (%zu bytes, want %d, signed by the PEK with ECDSA_SHA256)",
		       path, len, SEV_REPORT_SIZE);
		return EXIT_CONFIG;
	}
	return EXIT_OK;
}

/* The checks in order; the first that fails is named. */
static int check(const struct report_args *a, const struct sev_report *rep,
		 const struct sev_cert *pek)
{
	int r = sev_report_verify(rep, pek);

	if (r == -ENOMEM)
		return EXIT_INTERNAL;
	if (r) {
		pr_err(CMD ": %s: signature check failed: the report is not signed by the PEK of %s",
		       a->report, a->chain);
		return EXIT_MISMATCH;
	}
	if (CRYPTO_memcmp(rep->mnonce, a->mnonce, sizeof(rep->mnonce))) {
		pr_err(CMD ": %s: mnonce check failed: the report answers another nonce",
		       a->report);
		return EXIT_MISMATCH;
	}
	if (a->have_ld && CRYPTO_memcmp(rep->launch_digest, a->ld,
					sizeof(a->ld))) {
		pr_err(CMD ": %s: measurement check failed: the launch digest is not the expected one",
		       a->report);
		return EXIT_MISMATCH;
	}
	return EXIT_OK;
}

static void print_report(const struct sev_report *rep, bool ld_checked)
{
	char hex[2 * SEV_DIGEST_SIZE + 1];

	hex_encode(rep->launch_digest, sizeof(rep->launch_digest), hex);
	printf("policy               0x%x\n", le32toh(rep->policy));
	printf("launch digest        %s\n", hex);
	printf("signature (PEK)      ok\n");
	printf("mnonce               ok\n");
	printf("measurement          %s\n", ld_checked ? "ok" : "not checked");
}

int owner_verify_report(int argc, char **argv)
{
	struct report_args a = { .report = NULL };
	struct sev_report rep;
	struct sev_cert pek;
	int r;

	r = parse_args(argc, argv, &a);
	if (r)
		return r < 0 ? EXIT_OK : r;
	r = read_report(a.report, &rep);
	r = r ?: owner_chain_pek(CMD, a.chain, &pek);
	r = r ?: check(&a, &rep, &pek);
	if (!r)
		print_report(&rep, a.have_ld);
	return r;
}
