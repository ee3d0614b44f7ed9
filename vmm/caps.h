/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `sevm caps`: the host report an orchestrator reads before placing a
 * confidential guest here (docs/configuration.md "sevm caps"): KVM
 * present and usable with the capabilities sevm uses, and the SEV
 * platform (sev/caps.h) behind --psp. Output as JSON or as libvirt's
 * domain-capabilities <sev> element.
 */
#ifndef SEVM_CAPS_H
#define SEVM_CAPS_H

#include <stdio.h>

#include "sev/caps.h"
#include "lib/util.h"

struct json_object;

#define CAPS_KVM_MAX		16
#define CAPS_REASON_MAX		256

struct caps_kvm_ext {
	const char *name;		/* "irqfd": KVM_CAP_IRQFD */
	int value;			/* KVM_CHECK_EXTENSION's answer */
};

struct caps_kvm {
	const char *device;		/* "/dev/kvm" */
	bool present;			/* opened read-write */
	bool usable;			/* and API version 12 */
	char reason[CAPS_REASON_MAX];	/* !usable: why */
	int api_version;
	u32 vm_types;			/* KVM_CAP_VM_TYPES bit mask */
	unsigned int nr_ext;
	struct caps_kvm_ext ext[CAPS_KVM_MAX];
};

struct host_caps {
	struct caps_kvm kvm;
	const char *psp;		/* "kernel" or the emulated DIR */
	bool psp_emulated;
	struct sev_caps sev;
};

/* Open device (NULL: /dev/kvm) and read the API version and extensions. */
void caps_kvm_probe(const char *device, struct caps_kvm *k);
/* The whole report as a JSON object; NULL when out of memory. */
struct json_object *caps_json(const struct host_caps *h);
/* libvirt's <sev supported='yes'>...</sev> or <sev supported='no'/>. */
int caps_xml(const struct host_caps *h, FILE *f);
/*
 * `sevm caps [--psp kernel|emulated:DIR] [--format json|xml]`; argv[0] is
 * "caps". Exit codes: 0 answered (SEV supported or not), 2 bad usage,
 * 3 the question cannot be answered (the PSP is there but cannot be
 * read, an emulated DIR that is not a platform), 1 out of memory.
 */
#ifdef CONFIG_SEV
int caps_cli_main(int argc, char **argv);
#else
static inline int caps_cli_main(int argc, char **argv)
{
	fputs("sevm: error: caps: this sevm is built without SEV (CONFIG_SEV)\n",
	      stderr);
	return 2;
}
#endif

#endif /* SEVM_CAPS_H */
