// SPDX-License-Identifier: GPL-2.0-only
/*
 * sevm's main(): the story of a launch, one helper per phase.
 *
 *   configure      command line (+ JSON file), validation, log level
 *   read_images    boot files read and checked before any VM exists
 *   open_sev       (SEV) PSP and platform checks, the guest owner's files
 *                  and the launch secret files, still before any VM
 *   create_vm      the KVM VM (SEV's VM type) and its memory; LAUNCH_START
 *   setup_vm       devices, images in guest memory, vCPUs
 *   measure_sev    (SEV) LAUNCH_UPDATE_DATA ... LAUNCH_MEASURE, then the
 *                  secret of --sev-secret(-header) (LAUNCH_SECRET)
 *   start_control  the QMP socket; unless --paused: LAUNCH_FINISH and
 *                  the vCPU threads (control_start)
 *   run            the main loop until the guest stops (QMP is served in
 *                  every state); SHUTDOWN; --boot-trace; launch report
 *
 * --dump-acpi DIR stops after configure: it writes the configured
 * machine's ACPI tables and exits without opening /dev/kvm.
 *
 * Bad input exits 2 before /dev/kvm is opened. An SEV launch that fails
 * before LAUNCH_FINISH is decommissioned (sev_launch_close) and exits
 * non-zero with the firmware status named by the launch module. Nothing
 * here does work the launch does not need: no JSON unless --config, --qmp
 * or SEV asks for it, each boot file read once.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "devices/acpi/machine.h"
#include "devices/debugport.h"
#include "vmm/launch.h"
#include "sev/sev.h"
#include "vmm/config.h"
#include "vmm/caps.h"
#include "vmm/control.h"
#include "vmm/fw-cli.h"
#include "vmm/cpuid.h"
#include "vmm/input-check.h"
#include "vmm/jail.h"
#include "lib/log.h"
#include "vmm/memory.h"
#include "vmm/sev-dma.h"
#include "vmm/vm.h"

#define CONTINUE	(-1)	/* phase succeeded: go on */
#define SECRET_FILE_MAX	(64 * 1024)

/* --sev-secret-header and --sev-secret, decoded; wiped after use. */
struct secret_files {
	u8 *hdr, *secret;
	size_t hdr_len, secret_len;
};

/*
 * Bad input: EXIT_CONFIG, except that running out of memory while checking
 * it is internal. (In vm_init and the vCPU phase -ENOMEM means no huge
 * pages or no room for guest RAM: a host resource, EXIT_HOST.)
 */
static int exit_code(int err, int code)
{
	return err == -ENOMEM ? EXIT_INTERNAL : code;
}

/*
 * An SEV step failed (vmm/launch.h, "Errors"): which exit code. No free
 * guest slot is the host (EXIT_HOST) wherever it is found: by
 * sev_launch_open's count, by KVM (-EBUSY), or by the firmware at
 * LAUNCH_START (RESOURCE_LIMIT: the emulated PSP when another launch took
 * the last slot after that count).
 */
static int sev_exit_code(const struct sev_launch *l, int err, int einval)
{
	int fw = sev_launch_last_fw_err(l);

	if (fw == SEV_RET_RESOURCE_LIMIT)
		return EXIT_HOST;
	if (fw != SEV_RET_SUCCESS && fw != SEV_RET_NO_FW_CALL)
		return EXIT_SEV;
	return err == -EINVAL ? einval : EXIT_HOST;
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
 * --dump-acpi DIR. A bad DIR is bad input (exit 2; the error names it);
 * tables that do not build for sevm's own machine are an internal error.
 */
static int dump_acpi(const struct vm_config *cfg)
{
	struct acpi_machine m;
	struct acpi_tables t;
	int r;

	acpi_machine_of(cfg, &m);
	r = acpi_build(&m, &t);
	if (r == -ENOSYS) {
		pr_err("--dump-acpi: this sevm is built without ACPI (CONFIG_ACPI)");
		return EXIT_CONFIG;
	}
	if (r)
		return EXIT_INTERNAL;
	r = acpi_dump_dir(&t, cfg->dump_acpi);
	acpi_free(&t);
	return r ? exit_code(r, EXIT_CONFIG) : EXIT_OK;
}

static int read_images(struct vm *vm, const struct vm_config *cfg)
{
	int r;

	r = boot_read_images(&vm->images, cfg->firmware_embedded ? NULL :
			     cfg->firmware, cfg->kernel, cfg->initrd,
			     cfg->cmdline);
	if (!r && cfg->firmware_embedded)
		r = fw_cli_embedded_blob(&vm->images.firmware);
	if (!r)
		r = boot_check(&vm->images, &vm->fw);
	return r ? exit_code(r, EXIT_CONFIG) : CONTINUE;
}

/* A launch-secret file, binary or base64. The bytes are never logged. */
static int read_blob(const char *opt, const char *path, u8 **out,
		     size_t *len)
{
	int r = read_file_binary_or_base64(path, out, len, SECRET_FILE_MAX);

	if (r == -EBADMSG)
		pr_err("%s %s: looks like base64 but does not decode", opt,
		       path);
	else if (r)
		pr_err("%s %s: %s", opt, path, strerror(-r));
	return r == -EBADMSG ? -EINVAL : r;
}

static void secret_files_free(struct secret_files *sf)
{
	if (sf->hdr)
		memzero_explicit(sf->hdr, sf->hdr_len);
	if (sf->secret)
		memzero_explicit(sf->secret, sf->secret_len);
	free(sf->hdr);
	free(sf->secret);
	memset(sf, 0, sizeof(*sf));
}

/* PSP, platform and input checks: before any VM exists. */
static int open_sev(struct vm *vm, const struct vm_config *cfg,
		    struct secret_files *sf)
{
	int r;

	r = sev_launch_open(&vm->sev, cfg, cfg->mem_size);
	if (r == -ENOSYS)
		pr_err("--sev: this sevm is built without SEV (CONFIG_SEV)");
	if (r < 0)
		return r == -EINVAL || r == -ENOSYS ? EXIT_CONFIG : EXIT_HOST;
	if (!cfg->sev.secret)
		return CONTINUE;
	r = read_blob("--sev-secret-header", cfg->sev.secret_header,
		      &sf->hdr, &sf->hdr_len);
	if (!r)
		r = read_blob("--sev-secret", cfg->sev.secret, &sf->secret,
			      &sf->secret_len);
	return r ? exit_code(r, EXIT_CONFIG) : CONTINUE;
}

static int create_vm(struct vm *vm, struct vm_config *cfg)
{
	int r;

	if (vm->sev)
		vm->vm_type = sev_launch_vm_type(vm->sev);
	if (vm_init(vm, cfg))
		return EXIT_HOST;
	if (!vm->sev)
		return CONTINUE;
	r = sev_launch_start(vm->sev, vm);
	return r ? sev_exit_code(vm->sev, r, EXIT_HOST) : CONTINUE;
}

static int setup_vm(struct vm *vm)
{
	int r;

	r = sev_dma_init(vm);
	if (!r)
		r = vm_init_devices(vm);
	if (!r)
		r = sev_dma_publish(vm);
	/* Protected-state (SEV-ES) VM types refuse read-only slots. */
	vm->mem.rom_writable = vm->cfg->sev.es;
	if (!r)
		r = vm_load(vm);
	if (r)
		return exit_code(r, EXIT_CONFIG);
	return vm_setup_vcpus(vm) ? EXIT_HOST : CONTINUE;
}

static int measure_sev(struct vm *vm, struct secret_files *sf)
{
	const struct sev_config *sev = &vm->cfg->sev;
	char err[256] = "";
	int r;

	r = sev_launch_measure(vm->sev, vm);
	if (r)
		return sev_exit_code(vm->sev, r, EXIT_CONFIG);
	if (!sf->secret)
		return CONTINUE;
	r = sev_launch_inject_secret(vm->sev, vm, sf->hdr, sf->hdr_len,
				     sf->secret, sf->secret_len,
				     sev->secret_gpa_set, sev->secret_gpa,
				     err, sizeof(err));
	secret_files_free(sf);
	/* The launch module has printed the error line. */
	return r ? sev_exit_code(vm->sev, r, EXIT_CONFIG) : CONTINUE;
}

static int start_control(struct vm *vm, const struct vm_config *cfg)
{
	char err[256];

	if (control_init(vm))
		return EXIT_CONFIG;	/* --qmp PATH unusable (named) */
	/* Everything is open: chroot, --user, the main seccomp filter. */
	if (jail_lockdown(cfg))
		return EXIT_HOST;
	if (cfg->paused && !cfg->qmp)
		pr_warn("--paused without --qmp: nothing can start the guest; stop sevm with SIGTERM");
	if (cfg->paused)
		return CONTINUE;
	if (!control_start(vm, err, sizeof(err)))
		return CONTINUE;
	/* Already printed by the launch module or vcpu_start. */
	pr_debug("%s", err);
	return atomic_load(&vm->stop_reason) == VM_STOP_SEV ? EXIT_SEV :
	       EXIT_HOST;
}

/* --launch-report, rewritten at exit with the boot trace and exit code. */
static void final_report(struct vm *vm, struct debugport *dp, int code)
{
	struct json_object *extra;

	if (!vm->sev || !vm->cfg->launch_report)
		return;
	extra = json_object_new_object();
	if (dp)
		json_object_object_add(extra, "boot-trace", debugport_json(dp));
	json_object_object_add(extra, "exit-code", json_object_new_int(code));
	if (sev_launch_write_report(vm->sev, extra) == -EAGAIN)
		pr_debug("launch report: no measurement, not rewritten");
	json_object_put(extra);
}

static int run(struct vm *vm, const struct vm_config *cfg)
{
	struct debugport *dp;
	int code;

	code = vm_run(vm);
	control_stopped(vm);		/* SHUTDOWN before the process exits */
	dp = debugport_get(vm);
	if (cfg->boot_trace) {
		/* The absolute start lets bench/launch measure from exec. */
		fprintf(stderr, "boot-trace: start-monotonic-ns=%llu\n",
			(unsigned long long)time_start_ns());
		if (dp)
			debugport_print_timeline(dp, stderr);
	}
	final_report(vm, dp, code);
	return code;
}

/* In reverse: QMP, the vCPU threads, the SEV guest context, the VM. */
static void teardown(struct vm *vm)
{
	control_close(vm);
	if (vm->sev) {
		vm_request_stop(vm, VM_STOP_ERROR, 0);	/* no-op if stopped */
		vm_stop_vcpus(vm);
		sev_launch_close(vm->sev);	/* decommission before FINISH */
		vm->sev = NULL;
	}
	vm_destroy(vm);			/* also after a partial vm_init */
	sev_dma_free(vm);		/* after the devices that use it */
}

/* --user, --chroot, --pidfile, --seccomp, --qmp-group; input limits. */
static int sandbox_setup(const struct vm_config *cfg)
{
	int r = jail_setup(cfg);

	if (!r)
		r = input_check_files(cfg);
	if (r == -EBUSY || r == -EAGAIN)
		return EXIT_HOST;
	return r ? exit_code(r, EXIT_CONFIG) : CONTINUE;
}

static int launch(struct vm_config *cfg)
{
	static struct vm vm;
	struct secret_files sf = { 0 };
	int code;

	code = sandbox_setup(cfg);
	if (code == CONTINUE)
		code = read_images(&vm, cfg);
	if (code == CONTINUE && cfg->sev.enabled)
		code = open_sev(&vm, cfg, &sf);
	if (code == CONTINUE) {
		code = create_vm(&vm, cfg);
		if (code == CONTINUE)
			code = setup_vm(&vm);
		if (code == CONTINUE && vm.sev)
			code = measure_sev(&vm, &sf);
		if (code == CONTINUE)
			code = start_control(&vm, cfg);
		if (code == CONTINUE)
			code = run(&vm, cfg);
	}
	teardown(&vm);
	secret_files_free(&sf);
	boot_free_images(&vm.images);
	return code;
}

int main(int argc, char **argv)
{
	struct vm_config cfg;
	int code;

	log_init(argv[0]);
	jail_early();			/* no core dumps, keys off the heap */
	if (argc > 1 && !strcmp(argv[1], "psp"))
		return psp_cli_main(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "firmware"))
		return fw_cli_main(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "caps"))
		return caps_cli_main(argc - 1, argv + 1);
	config_init(&cfg);
	code = configure(&cfg, argc, argv);
	if (code == CONTINUE && cfg.dump_acpi)
		code = dump_acpi(&cfg);
	else if (code == CONTINUE)
		code = launch(&cfg);
	jail_exit();
	config_free(&cfg);
	return code;
}
