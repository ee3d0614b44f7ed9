// SPDX-License-Identifier: GPL-2.0-only
/*
 * `sevm caps`, part 2: the command line. Which PSP to ask is chosen here,
 * from --psp, as `sevm psp` and the launch choose it; what is asked is
 * sev/caps.c's business. Exit codes in vmm/caps.h.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "lib/log.h"
#include "vmm/caps.h"

enum caps_format { CAPS_JSON, CAPS_XML };

struct caps_cli {
	const char *dir;		/* --psp emulated:DIR; NULL: kernel */
	enum caps_format format;
};

static const char caps_usage_text[] =
	"usage: sevm caps [--psp kernel|emulated:DIR] [--format json|xml]\n"
	"\n"
	"Report what this host offers a confidential guest: KVM (present,\n"
	"API version, VM types, the capabilities sevm uses) and the SEV\n"
	"platform behind --psp (supported, SEV-ES, C-bit, reduced physical\n"
	"address bits, guest slots and how many are in use, API version,\n"
	"build, the PDH and certificate chain in base64).\n"
	"\n"
	"  --psp kernel        /dev/sev through the kernel (the default)\n"
	"  --psp emulated:DIR  the emulated PSP with its state in DIR\n"
	"  --format json       the whole report (default)\n"
	"  --format xml        libvirt's domain-capabilities <sev> element\n"
	"\n"
	"Exit codes: 0 answered (whether or not SEV is supported), 2 bad\n"
	"usage, 3 the question cannot be answered (the PSP cannot be read).\n";

static int parse_opt(struct caps_cli *cli, int c, const char *arg)
{
	if (c == 'p' && !strcmp(arg, "kernel")) {
		cli->dir = NULL;
		return 0;
	}
	if (c == 'p' && !strncmp(arg, "emulated:", 9) && arg[9]) {
		cli->dir = arg + 9;
		return 0;
	}
	if (c == 'f' && (!strcmp(arg, "json") || !strcmp(arg, "xml"))) {
		cli->format = arg[0] == 'x' ? CAPS_XML : CAPS_JSON;
		return 0;
	}
	pr_err("caps: %s '%s': expected %s", c == 'p' ? "--psp" : "--format",
	       arg, c == 'p' ? "kernel or emulated:DIR" : "json or xml");
	return -EINVAL;
}

/* 0, 1 for --help, -EINVAL (message printed). */
static int parse_args(struct caps_cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "psp",	required_argument,	NULL, 'p' },
		{ "format",	required_argument,	NULL, 'f' },
		{ "help",	no_argument,		NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:h", longopts, NULL)) != -1) {
		if (c == 'h')
			return 1;
		if (c == ':' || c == '?') {
			pr_err("caps: %s '%s'", c == ':' ?
			       "missing argument for" : "unknown option",
			       argv[optind - 1]);
			return -EINVAL;
		}
		if (parse_opt(cli, c, optarg))
			return -EINVAL;
	}
	if (optind < argc) {
		pr_err("caps: unexpected argument '%s'", argv[optind]);
		return -EINVAL;
	}
	return 0;
}

/* The emulated PSP at --psp emulated:DIR, open. */
static int open_emulated(const struct caps_cli *cli, struct psp **psp)
{
	int r = psp_open_emulated(psp, cli->dir);

	if (r == -ENOSYS) {
		pr_err("caps: this sevm is built without the emulated PSP (CONFIG_PSP_EMULATED)");
		return EXIT_CONFIG;
	}
	/* The emulated PSP has named DIR and the reason. */
	return r ? EXIT_HOST : 0;
}

/* The SEV section: 0, or the exit code when it cannot be answered. */
static int gather_sev(const struct caps_cli *cli, struct host_caps *h)
{
	struct psp *psp;
	int r;

	if (!cli->dir)
		r = sev_caps_kernel(&h->sev);
	else if ((r = open_emulated(cli, &psp)))
		return r;
	else {
		r = sev_caps_gather(psp, &h->sev);
		psp_close(psp);
		if (r == -ENODEV)
			r = 0;
	}
	if (r) {
		pr_err("caps: %s PSP: %s (cannot tell whether SEV is usable)",
		       cli->dir ? cli->dir : "kernel", h->sev.reason);
		return EXIT_HOST;
	}
	return 0;
}

static int gather(const struct caps_cli *cli, struct host_caps *h)
{
	int r;

	caps_kvm_probe(NULL, &h->kvm);
	h->psp = cli->dir ? cli->dir : "kernel";
	h->psp_emulated = !!cli->dir;
	r = gather_sev(cli, h);
	if (r)
		return r;
	/* A guest needs KVM as well as the PSP. */
	if (h->sev.supported && !h->kvm.usable)
		sev_caps_unsupported(&h->sev, "KVM is not usable: %s",
				     h->kvm.reason);
	return 0;
}

static int print_json(const struct host_caps *h)
{
	struct json_object *o = caps_json(h);
	int r = EXIT_OK;

	if (!o) {
		pr_err("caps: building the report: out of memory");
		return EXIT_INTERNAL;
	}
	if (printf("%s\n", json_object_to_json_string_ext(o,
			JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
			JSON_C_TO_STRING_NOSLASHESCAPE)) < 0)
		r = EXIT_INTERNAL;
	json_object_put(o);
	return r;
}

int caps_cli_main(int argc, char **argv)
{
	struct caps_cli cli = { .format = CAPS_JSON };
	struct host_caps h;
	int r;

	memset(&h, 0, sizeof(h));
	r = parse_args(&cli, argc, argv);
	if (r) {
		if (r > 0)
			fputs(caps_usage_text, stdout);
		return r > 0 ? EXIT_OK : EXIT_CONFIG;
	}
	r = gather(&cli, &h);
	if (!r && cli.format == CAPS_XML)
		r = caps_xml(&h, stdout) ? EXIT_INTERNAL : EXIT_OK;
	else if (!r)
		r = print_json(&h);
	if (!r && fflush(stdout))
		r = EXIT_INTERNAL;
	sev_caps_free(&h.sev);
	return r;
}
