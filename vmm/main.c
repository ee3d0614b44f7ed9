// SPDX-License-Identifier: GPL-2.0-only
/*
 * sevm's main(): the story of a launch, one helper per phase.
 *
 *   configure      command line (+ JSON file), validation, log level
 *   read_images    boot files read and checked before any VM exists
 *   create_vm      the KVM VM and its memory
 *   start_vm       devices, images in guest memory, vCPUs
 *   run            the main loop until the guest stops; --boot-trace
 *
 * Bad input exits 2 before /dev/kvm is opened. Nothing here does work
 * the launch does not need: no JSON unless --config is given, each boot
 * file read once.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "devices/debugport.h"
#include "sev/sev.h"
#include "vmm/config.h"
#include "vmm/cpuid.h"
#include "vmm/log.h"
#include "vmm/vm.h"

#define CONTINUE	(-1)	/* phase succeeded: go on */

/*
 * Bad input: EXIT_CONFIG, except that running out of memory while checking
 * it is internal. (In vm_init and the vCPU phase -ENOMEM means no huge
 * pages or no room for guest RAM: a host resource, EXIT_HOST.)
 */
static int exit_code(int err, int code)
{
	return err == -ENOMEM ? EXIT_INTERNAL : code;
}

static void set_log_level(int verbose)
{
	if (verbose >= 2)
		log_set_level(LOG_DEBUG);
	else if (verbose == 1)
		log_set_level(LOG_INFO);
}

/* Unknown --cpuid-mask names are bad configuration, not a KVM failure. */
static int check_cpuid_mask(const struct vm_config *cfg)
{
	struct cpuid_mask mask;

	return cpuid_parse_mask(cfg->cpuid_mask, &mask);
}

/* Returns CONTINUE, or the exit code for --help, --version or an error. */
static int configure(struct vm_config *cfg, int argc, char **argv)
{
	int r;

	r = config_parse_args(cfg, argc, argv);
	if (r == CONFIG_HELP) {
		config_usage(stdout);
		return EXIT_OK;
	}
	if (r == CONFIG_VERSION) {
		printf("sevm %s (%s)\n", SEVM_VERSION, SEVM_GITREV);
		return EXIT_OK;
	}
	if (!r)
		r = config_validate(cfg);
	if (!r)
		r = config_finalize(cfg);
	if (!r)
		r = check_cpuid_mask(cfg);
	if (r)
		return exit_code(r, EXIT_CONFIG);
	set_log_level(cfg->verbose);
	return CONTINUE;
}

/*
 * The SEV launch (LAUNCH_START ... LAUNCH_FINISH) is a later module; until
 * it lands an SEV configuration is refused here, in one place.
 */
static int check_sev_supported(const struct vm_config *cfg)
{
	if (!cfg->sev.enabled)
		return CONTINUE;
	pr_err("SEV launch is not implemented yet in this build");
	return EXIT_CONFIG;
}

static int read_images(struct vm *vm, const struct vm_config *cfg)
{
	int r;

	r = boot_read_images(&vm->images, cfg->firmware, cfg->kernel,
			     cfg->initrd, cfg->cmdline);
	if (!r)
		r = boot_check(&vm->images, &vm->fw);
	return r ? exit_code(r, EXIT_CONFIG) : CONTINUE;
}

static int create_vm(struct vm *vm, struct vm_config *cfg)
{
	return vm_init(vm, cfg) ? EXIT_HOST : CONTINUE;
}

static int start_vm(struct vm *vm)
{
	int r;

	r = vm_init_devices(vm);
	if (!r)
		r = vm_load(vm);
	if (r)
		return exit_code(r, EXIT_CONFIG);
	r = vm_setup_vcpus(vm);
	if (!r)
		r = vm_start(vm);
	return r ? EXIT_HOST : CONTINUE;
}

static int run(struct vm *vm, const struct vm_config *cfg)
{
	struct debugport *dp;
	int code;

	code = vm_run(vm);
	if (cfg->boot_trace) {
		dp = debugport_get(vm);
		/* The absolute start lets bench/launch measure from exec. */
		fprintf(stderr, "boot-trace: start-monotonic-ns=%llu\n",
			(unsigned long long)time_start_ns());
		if (dp)
			debugport_print_timeline(dp, stderr);
	}
	return code;
}

static int launch(struct vm_config *cfg)
{
	static struct vm vm;
	int code;

	code = check_sev_supported(cfg);
	if (code == CONTINUE)
		code = read_images(&vm, cfg);
	if (code == CONTINUE) {
		code = create_vm(&vm, cfg);
		if (code == CONTINUE)
			code = start_vm(&vm);
		if (code == CONTINUE)
			code = run(&vm, cfg);
		vm_destroy(&vm);	/* also after a partial vm_init */
	}
	boot_free_images(&vm.images);
	return code;
}

int main(int argc, char **argv)
{
	struct vm_config cfg;
	int code;

	log_init(argv[0]);
	if (argc > 1 && !strcmp(argv[1], "psp"))
		return psp_cli_main(argc - 1, argv + 1);
	config_init(&cfg);
	code = configure(&cfg, argc, argv);
	if (code == CONTINUE)
		code = launch(&cfg);
	config_free(&cfg);
	return code;
}
