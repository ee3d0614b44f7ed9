/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sevm-owner: the guest owner's side of an SEV launch (docs/owner.md).
 * Each subcommand takes its own argv (argv[0] = the subcommand name) and
 * returns a process exit code: EXIT_OK, EXIT_CONFIG (bad argument or
 * input file), EXIT_MISMATCH (chain or measurement does not verify) or
 * EXIT_INTERNAL. Errors are one pr_err() line naming the argument.
 */
#ifndef SEVM_OWNER_H
#define SEVM_OWNER_H

#include <sys/types.h>

#include "lib/util.h"

int owner_verify_chain(int argc, char **argv);
int owner_session(int argc, char **argv);
int owner_measure(int argc, char **argv);
int owner_secret(int argc, char **argv);
int owner_verify_report(int argc, char **argv);

struct sev_cert;
/*
 * owner/chain.c: load the chain in dir (as verify-chain) and verify every
 * link; the PEK on success. EXIT_MISMATCH if a link fails (one line).
 */
int owner_chain_pek(const char *cmd, const char *dir, struct sev_cert *pek);

/* owner/common.c: reading and writing with one error line on failure. */
#define OWNER_FILE_MAX	(256 * SZ_1M)

/* Read a file named by option `what` ("--tik"); EXIT_* code. */
int owner_read(const char *cmd, const char *what, const char *path,
	       u8 **buf, size_t *len, size_t max);
/* A 16-byte key file (TEK/TIK); wiped and freed by the caller's copy. */
int owner_read_key(const char *cmd, const char *what, const char *path,
		   u8 key[16]);
int owner_write(const char *cmd, const char *path, const void *buf,
		size_t len, mode_t mode);
/* base64 text of buf into path (no trailing newline). */
int owner_write_b64(const char *cmd, const char *path, const void *buf,
		    size_t len, mode_t mode);
/* Exactly len bytes given as hex (2*len digits, 0x optional) or base64. */
int owner_bytes_arg(const char *cmd, const char *what, const char *s,
		    u8 *out, size_t len);
int owner_policy_arg(const char *cmd, const char *s, u32 *policy);
int owner_u8_arg(const char *cmd, const char *what, const char *s, u8 *out);
/* Print base64 of buf on stdout, one line. */
int owner_print_b64(const char *label, const void *buf, size_t len);

/*
 * Option parsing shared by the subcommands: getopt_long with opterr off;
 * reports unknown options and missing arguments as one error line.
 * Returns the option, -1 at the end, or '?' after printing the error.
 */
struct option;
int owner_getopt(const char *cmd, int argc, char **argv,
		 const struct option *opts);
void owner_getopt_reset(void);

#endif /* SEVM_OWNER_H */
