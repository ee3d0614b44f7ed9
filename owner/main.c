// SPDX-License-Identifier: GPL-2.0-only
/*
 * sevm-owner: the guest owner's tool for SEV launches (docs/owner.md).
 * Formats interoperate with sevctl, QEMU, libvirt and
 * virt-qemu-sev-validate.
 */
#include <stdio.h>
#include <string.h>

#include "owner/owner.h"
#include "lib/log.h"

static const char usage[] =
"usage: sevm-owner [-v] COMMAND [ARGS] (COMMAND --help for details)\n"
"\n"
"  verify-chain DIR   verify the platform's certificate chain\n"
"  session ...        create a launch session (GODH cert, session blob,\n"
"                     TEK/TIK) for the platform's PDH\n"
"  measure ...        compute or verify the launch measurement\n"
"  secret ...         build a LAUNCH_SECRET packet (header, secret)\n"
"  verify-report ...  check a guest's attestation report (signature by\n"
"                     the platform's PEK, mnonce, launch digest)\n"
"\n"
"Exit: 0 ok, 1 internal error, 2 bad argument or input file,\n"
"5 chain, measurement or report mismatch.\n";

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} cmds[] = {
	{ "verify-chain", owner_verify_chain },
	{ "session", owner_session },
	{ "measure", owner_measure },
	{ "secret", owner_secret },
	{ "verify-report", owner_verify_report },
};

int main(int argc, char **argv)
{
	int i = 1;

	log_init("sevm-owner");
	if (i < argc && (!strcmp(argv[i], "-v") ||
			 !strcmp(argv[i], "--verbose"))) {
		log_set_level(LOG_DEBUG);
		i++;
	}
	if (i >= argc || !strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
		fputs(usage, i >= argc ? stderr : stdout);
		return i >= argc ? EXIT_CONFIG : EXIT_OK;
	}
	if (!strcmp(argv[i], "--version")) {
		printf("sevm-owner %s (%s)\n", SEVM_VERSION, SEVM_GITREV);
		return EXIT_OK;
	}
	for (size_t c = 0; c < ARRAY_SIZE(cmds); c++)
		if (!strcmp(argv[i], cmds[c].name))
			return cmds[c].fn(argc - i, argv + i);
	pr_err("unknown command '%s' (see sevm-owner --help)", argv[i]);
	return EXIT_CONFIG;
}
