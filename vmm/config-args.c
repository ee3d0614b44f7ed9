// SPDX-License-Identifier: GPL-2.0-only
/*
 * The command line: "--opt VALUE", "--opt=VALUE", "-v"/"-vv", and --help.
 * Two passes over argv: the first checks the syntax, finds --config and
 * stops at --help/--version; the JSON file is then loaded, and the second
 * pass applies the options so that they override the file wherever
 * --config appears.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "vmm/config-priv.h"
#include "lib/log.h"

struct arg_iter {
	int argc;
	char **argv;
	int i;			/* next argv index */
	const char *shorts;	/* rest of a "-vv" cluster */
};

struct arg {
	const struct opt *o;
	const char *val;	/* NULL: no value (flags) */
};

static int unknown_option(const char *dashes, const char *name, size_t len)
{
	char buf[64];
	const char *hint;

	snprintf(buf, sizeof(buf), "%.*s", (int)MIN(len, sizeof(buf) - 1),
		 name);
	hint = *dashes == '-' && dashes[1] == '-' ? config_suggest(buf) : NULL;
	if (hint)
		pr_err("unknown option \"%s%s\" (did you mean \"--%s\"? see --help)",
		       dashes, buf, hint);
	else
		pr_err("unknown option \"%s%s\" (see --help)", dashes, buf);
	return -EINVAL;
}

static int short_opt(struct arg_iter *it, struct arg *a)
{
	char c = *it->shorts++;

	a->o = config_find_short(c);
	a->val = NULL;
	if (!a->o)
		return unknown_option("-", &c, 1);
	return 1;
}

/*
 * A following argument that starts with '-' is taken as a missing value,
 * except for free-form strings (--cmdline "-s"): use --opt=-x for those.
 */
static bool next_is_value(const struct arg_iter *it, const struct opt *o)
{
	const char *s;

	if (it->i >= it->argc)
		return false;
	s = it->argv[it->i];
	return o->kind == OPT_STRING || s[0] != '-' || !s[1];
}

static int long_opt(struct arg_iter *it, const char *name, struct arg *a)
{
	const char *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);

	a->o = config_find_opt(name, len);
	a->val = eq ? eq + 1 : NULL;
	if (!a->o)
		return unknown_option("--", name, len);
	if (!opt_takes_value(a->o)) {
		if (eq && a->o->kind != OPT_FLAG) {
			pr_err("--%s takes no value (got \"--%s\")",
			       a->o->name, name);
			return -EINVAL;
		}
		return 1;
	}
	if (!eq) {
		if (!next_is_value(it, a->o)) {
			pr_err("--%s: missing value (%s)", a->o->name,
			       a->o->metavar);
			return -EINVAL;
		}
		a->val = it->argv[it->i++];
	}
	return 1;
}

/* 1: one option in *a, 0: end of argv, -EINVAL: error printed. */
static int next_arg(struct arg_iter *it, struct arg *a)
{
	const char *s;

	if (it->shorts && *it->shorts)
		return short_opt(it, a);
	if (it->i >= it->argc)
		return 0;
	s = it->argv[it->i++];
	if (s[0] == '-' && s[1] == '-' && s[2])
		return long_opt(it, s + 2, a);
	if (s[0] == '-' && s[1] && s[1] != '-') {
		it->shorts = s + 1;
		return short_opt(it, a);
	}
	pr_err("unexpected argument \"%s\": sevm takes only options (see --help)",
	       s);
	return -EINVAL;
}

/* Pass 1: syntax, --config, --help and --version. */
static int scan_args(int argc, char **argv, const char **file)
{
	struct arg_iter it = { argc, argv, 1, NULL };
	struct arg a;
	int r;

	while ((r = next_arg(&it, &a)) > 0) {
		if (!strcmp(a.o->name, "help"))
			return CONFIG_HELP;
		if (!strcmp(a.o->name, "version"))
			return CONFIG_VERSION;
		if (strcmp(a.o->name, "config"))
			continue;
		if (*file) {
			pr_err("--config %s: a config file was already given (%s)",
			       a.val, *file);
			return -EINVAL;
		}
		*file = a.val;
	}
	return r;
}

/* Pass 2: every option but --config, in order; the last one wins. */
static int apply_args(struct vm_config *cfg, int argc, char **argv)
{
	struct arg_iter it = { argc, argv, 1, NULL };
	struct arg a;
	int r;

	while ((r = next_arg(&it, &a)) > 0) {
		if (a.o->kind == OPT_SPECIAL)
			continue;
		r = config_set(cfg, a.o, a.val, NULL);
		if (r)
			return r;
	}
	return r;
}

int config_parse_args(struct vm_config *cfg, int argc, char **argv)
{
	const char *file = NULL;
	int r;

	r = scan_args(argc, argv, &file);
	if (r)
		return r;
	if (file) {
		r = config_load_json(cfg, file);
		if (r)
			return r;
	}
	return apply_args(cfg, argc, argv);
}

/* ---- --help */

#define HELP_COLUMN 32

static const char *const group_titles[GRP_NR] = {
	[GRP_VM]	= "VM",
	[GRP_BOOT]	= "Boot (neither --firmware nor --kernel: the embedded firmware)",
	[GRP_DEVICES]	= "Devices",
	[GRP_SEV]	= "AMD SEV",
	[GRP_CONTROL]	= "Control",
};

static void usage_opt(FILE *out, const struct opt *o)
{
	const char *h = o->help, *nl;
	int n;

	if (o->short_name)
		n = fprintf(out, "  -%c, --%s", o->short_name, o->name);
	else
		n = fprintf(out, "      --%s", o->name);
	if (opt_takes_value(o))
		n += fprintf(out, " %s", o->metavar);
	if (n >= HELP_COLUMN - 1) {
		fputc('\n', out);
		n = 0;
	}
	for (; (nl = strchr(h, '\n')); h = nl + 1) {
		fprintf(out, "%*s%.*s\n", HELP_COLUMN - n, "", (int)(nl - h),
			h);
		n = 0;
	}
	fprintf(out, "%*s%s\n", HELP_COLUMN - n, "", h);
}

static const char usage_tail[] =
	"\nValues: --opt VALUE or --opt=VALUE. Flags also take --flag=on|off.\n"
	"The JSON file has the same keys without \"--\", e.g.\n"
	"  {\"memory\": \"1G\", \"cpus\": 2, \"kernel\": \"bzImage\", \"hugepages\": true}\n"
	"\nExit status:\n"
	"  0       the guest powered off or reset, or test-exit 0; SIGTERM or\n"
	"          SIGINT stop the VM and also exit 0\n"
	"  1       internal error\n"
	"  2       bad configuration, option or input file\n"
	"  3       KVM or a host resource unavailable\n"
	"  4       the SEV firmware refused a launch command\n"
	"  64+V    the guest wrote V (1..63) to the test-exit port 0xf4\n";

void config_usage(FILE *out)
{
	const struct opt *o;
	int g;

	fputs("Usage: sevm [OPTIONS]\n"
	      "       sevm psp COMMAND [ARGS]   (SEV platform tool, see "
	      "`sevm psp --help`)\n"
	      "       sevm caps [--psp P] [--format json|xml]   (what this "
	      "host offers)\n"
	      "       sevm firmware [--dump FILE]   (the embedded firmware)\n",
	      out);
	for (g = 0; g < GRP_NR; g++) {
		fprintf(out, "\n%s:\n", group_titles[g]);
		for (o = config_opts; o < config_opts + config_nr_opts; o++)
			if (o->group == g)
				usage_opt(out, o);
	}
	fputs(usage_tail, out);
}
