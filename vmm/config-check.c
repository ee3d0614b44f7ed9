// SPDX-License-Identifier: GPL-2.0-only
/*
 * Rules across options (config_validate) and derived defaults
 * (config_finalize). Each broken rule prints one line naming the options.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fw-embed.h"
#include "sev/sev.h"
#include "vmm/config-priv.h"
#include "lib/log.h"

#ifndef CONFIG_MAX_VCPUS
#define CONFIG_MAX_VCPUS 64
#endif

static int check_vm(const struct vm_config *cfg)
{
	char mem[24];

	config_fmt_size(cfg->mem_size, mem);
	if (cfg->mem_size < CONFIG_MIN_MEMORY ||
	    cfg->mem_size > CONFIG_MAX_MEMORY) {
		pr_err("--memory %s: must be 16M..1T", mem);
		return -EINVAL;
	}
	if (!IS_ALIGNED(cfg->mem_size, 4 * SZ_1K)) {
		pr_err("--memory %s: must be a multiple of 4K", mem);
		return -EINVAL;
	}
	if (cfg->hugepages && !IS_ALIGNED(cfg->mem_size, SZ_2M)) {
		pr_err("--memory %s: must be a multiple of 2M with --hugepages",
		       mem);
		return -EINVAL;
	}
	if (cfg->cpus < 1 || cfg->cpus > CONFIG_MAX_VCPUS) {
		pr_err("--cpus %u: must be 1..%d", cfg->cpus, CONFIG_MAX_VCPUS);
		return -EINVAL;
	}
	if (cfg->serial == SERIAL_FILE && !cfg->serial_path) {
		pr_err("--serial file: needs a path (file:PATH)");
		return -EINVAL;
	}
	return 0;
}

static int check_boot(const struct vm_config *cfg)
{
	/*
	 * --dump-acpi describes the machine; it boots nothing. Without
	 * either image sevm boots its embedded firmware (config_finalize).
	 */
	if (!FW_EMBEDDED_AVAILABLE && !cfg->firmware && !cfg->kernel &&
	    !cfg->dump_acpi) {
		pr_err("nothing to boot: give --firmware PATH and/or --kernel PATH");
		return -EINVAL;
	}
	if (cfg->initrd && !cfg->kernel) {
		pr_err("--initrd %s needs --kernel", cfg->initrd);
		return -EINVAL;
	}
	if (cfg->cmdline && !cfg->kernel) {
		pr_err("--cmdline needs --kernel");
		return -EINVAL;
	}
	return 0;
}

/* The first SEV-only option that is set, or NULL. */
static const char *sev_only_option(const struct sev_config *sev)
{
	if (sev->policy_set)
		return "--sev-policy";
	if (sev->dh_cert)
		return "--sev-dh-cert";
	if (sev->session)
		return "--sev-session";
	if (sev->cbitpos != -1)
		return "--sev-cbitpos";
	if (sev->reduced_phys_bits != -1)
		return "--sev-reduced-phys-bits";
	if (sev->psp != PSP_KERNEL || sev->psp_dir)
		return "--psp";
	if (sev->kernel_hashes != TRI_AUTO)
		return "--sev-kernel-hashes";
	if (sev->secret_header)
		return "--sev-secret-header";
	if (sev->secret)
		return "--sev-secret";
	if (sev->secret_gpa_set)
		return "--sev-secret-gpa";
	if (sev->dma_check != TRI_AUTO)
		return "--sev-dma-check";
	return NULL;
}

static u32 effective_policy(const struct sev_config *sev)
{
	if (sev->policy_set)
		return sev->policy;
	return sev->es ? SEV_POLICY_DEFAULT_ES : SEV_POLICY_DEFAULT;
}

static int check_policy(const struct sev_config *sev)
{
	u32 policy = effective_policy(sev);

	if (policy & SEV_POLICY_RESERVED) {
		pr_err("--sev-policy 0x%x: reserved bits 6..15 must be 0",
		       policy);
		return -EINVAL;
	}
	if (sev->es && !(policy & SEV_POLICY_ES)) {
		pr_err("--sev-policy 0x%x: --sev-es needs the ES bit (0x4)",
		       policy);
		return -EINVAL;
	}
	if (!sev->es && (policy & SEV_POLICY_ES)) {
		pr_err("--sev-policy 0x%x: the ES bit (0x4) needs --sev-es",
		       policy);
		return -EINVAL;
	}
	return 0;
}

/* Options that only make sense together. */
static int check_sev_pairs(const struct vm_config *cfg)
{
	const struct sev_config *sev = &cfg->sev;
	const char *msg = NULL;

	if (sev->dh_cert && !sev->session)
		msg = "--sev-dh-cert needs --sev-session";
	else if (sev->session && !sev->dh_cert)
		msg = "--sev-session needs --sev-dh-cert";
	else if (sev->secret_header && !sev->secret)
		msg = "--sev-secret-header needs --sev-secret";
	else if (sev->secret && !sev->secret_header)
		msg = "--sev-secret needs --sev-secret-header";
	else if (sev->secret && !sev->session)
		msg = "--sev-secret needs --sev-session";
	else if (sev->secret_gpa_set && !sev->secret)
		msg = "--sev-secret-gpa needs --sev-secret";
	else if (sev->kernel_hashes == TRI_ON && !cfg->kernel)
		msg = "--sev-kernel-hashes on needs --kernel";
	if (msg) {
		pr_err("%s", msg);
		return -EINVAL;
	}
	return 0;
}

static int check_sev(const struct vm_config *cfg)
{
	const struct sev_config *sev = &cfg->sev;
	const char *opt;

	if (!sev->enabled && !sev->es) {
		opt = sev_only_option(sev);
		if (opt) {
			pr_err("%s needs --sev or --sev-es", opt);
			return -EINVAL;
		}
		return 0;
	}
	return check_policy(sev) ?: check_sev_pairs(cfg);
}

int config_validate(const struct vm_config *cfg)
{
	return check_vm(cfg) ?: check_boot(cfg) ?: check_sev(cfg) ?:
	       config_check_devices(cfg);
}

static int default_str(char **field, const char *def)
{
	if (*field)
		return 0;
	*field = strdup(def);
	if (!*field) {
		pr_err("config: out of memory");
		return -ENOMEM;
	}
	return 0;
}

/*
 * No --firmware: the embedded image when there is nothing else to boot,
 * and under SEV also with --kernel (a direct kernel boot cannot be
 * measured; the firmware checks the kernel against the measured hashes).
 */
static int embedded_firmware(struct vm_config *cfg)
{
	if (!FW_EMBEDDED_AVAILABLE || cfg->firmware || cfg->dump_acpi)
		return 0;
	if (cfg->kernel && !cfg->sev.enabled)
		return 0;
	cfg->firmware_embedded = true;
	return default_str(&cfg->firmware, FW_EMBEDDED_NAME);
}

int config_finalize(struct vm_config *cfg)
{
	struct sev_config *sev = &cfg->sev;

	if (sev->es)
		sev->enabled = true;
	if (sev->enabled)
		sev->policy = effective_policy(sev);
	if (sev->enabled && sev->dma_check == TRI_AUTO)
		sev->dma_check = TRI_ON;
	return embedded_firmware(cfg) ?:
	       default_str(&cfg->cpuid_mask, CONFIG_DEFAULT_CPUID_MASK) ?:
	       default_str(&cfg->kvm_path, CONFIG_DEFAULT_KVM_DEVICE);
}
