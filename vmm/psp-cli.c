// SPDX-License-Identifier: GPL-2.0-only
/*
 * `sevm psp init|export|status`: set up the emulated PSP, export the
 * platform's certificates for the guest owner, print PLATFORM_STATUS.
 * Exit codes as in lib/util.h: 0, 2 bad usage, 3 PSP unavailable,
 * 4 firmware error.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "sev/emul/psp.h"
#include "sev/sev.h"
#include "lib/log.h"

#define OPT_PSP		(1u << 0)
#define OPT_MAX		(1u << 1)
#define OPT_OUT		(1u << 2)
#define MAX_GUESTS_LIMIT 1024

struct psp_cli {
	const char *cmd;
	const char *dir;		/* emulated:DIR; NULL for kernel */
	const char *out;		/* export --out DIR */
	unsigned int max_guests;
	bool max_set;
	unsigned int seen;		/* OPT_* given */
};

struct psp_subcmd {
	const char *name;
	unsigned int opts;		/* OPT_* allowed */
	int (*run)(struct psp_cli *cli);
};

static const char psp_usage_text[] =
	"usage: sevm psp init --psp emulated:DIR [--max-guests N]\n"
	"       sevm psp export [--psp kernel|emulated:DIR] --out DIR\n"
	"       sevm psp status [--psp kernel|emulated:DIR]\n"
	"\n"
	"  init     create the emulated PSP's platform identity in DIR\n"
	"           (idempotent: an existing identity is kept); --max-guests\n"
	"           N (1..1024) sets its guest (ASID) limit\n"
	"  export   write the platform's certificates into DIR: pdh.cert,\n"
	"           pek.cert, oca.cert, cek.cert, and ask.cert, ark.cert for\n"
	"           the emulated PSP\n"
	"  status   print PLATFORM_STATUS as JSON\n"
	"\n"
	"  --psp kernel        /dev/sev through the kernel (the default)\n"
	"  --psp emulated:DIR  the emulated PSP with its state in DIR\n"
	"\n"
	"Exit codes: 0 success, 2 bad usage, 3 PSP unavailable,\n"
	"4 the firmware refused a command.\n";

static void psp_usage(FILE *f)
{
	fputs(psp_usage_text, f);
}

/* Exit code for a failed command: firmware refusals are EXIT_SEV. */
static int exit_for(int r, u32 fw)
{
	if (r == -EIO && fw != (u32)SEV_RET_NO_FW_CALL &&
	    fw != SEV_RET_SUCCESS)
		return EXIT_SEV;
	return EXIT_HOST;
}

static int cli_open(const struct psp_cli *cli, struct psp **psp)
{
	int r;

	if (cli->dir)
		r = psp_open_emulated(psp, cli->dir);
	else
		r = psp_open_kernel(psp, NULL);
	if (r == -ENOSYS) {
		pr_err("psp %s: this sevm was built without the %s PSP backend",
		       cli->cmd, cli->dir ? "emulated" : "kernel");
		return EXIT_CONFIG;
	}
	return r ? EXIT_HOST : EXIT_OK;
}

/* --- init */

static int cmd_init(struct psp_cli *cli)
{
#ifdef CONFIG_PSP_EMULATED
	unsigned int max = cli->max_set ? cli->max_guests :
				CONFIG_PSP_EMULATED_MAX_GUESTS;

	if (!cli->dir) {
		pr_err("psp init: nothing to initialise: the kernel initialises /dev/sev");
		return EXIT_CONFIG;
	}
	/* emul_platform_init() reports its own failures. */
	if (emul_platform_init(cli->dir, max, cli->max_set))
		return EXIT_HOST;
	printf("emulated PSP platform ready in %s\n", cli->dir);
	return EXIT_OK;
#else
	if (!cli->dir)
		pr_err("psp init: nothing to initialise: the kernel initialises /dev/sev");
	else
		pr_err("psp init: this sevm was built without the emulated PSP (CONFIG_PSP_EMULATED)");
	return EXIT_CONFIG;
#endif
}

/* --- status */

static struct json_object *status_json(const struct sev_user_data_status *st)
{
	static const char *const states[] = {
		[SEV_PSTATE_UNINIT] = "uninit",
		[SEV_PSTATE_INIT] = "init",
		[SEV_PSTATE_WORKING] = "working",
	};
	struct json_object *o = json_object_new_object();
	u32 flags = st->flags;
	u8 state = st->state;

	if (!o)
		return NULL;
	json_object_object_add(o, "api-major",
			       json_object_new_int(st->api_major));
	json_object_object_add(o, "api-minor",
			       json_object_new_int(st->api_minor));
	json_object_object_add(o, "build-id", json_object_new_int(st->build));
	json_object_object_add(o, "state", json_object_new_string(
			       state < ARRAY_SIZE(states) ? states[state] :
							    "unknown"));
	json_object_object_add(o, "owner", json_object_new_string(
			       flags & 1 ? "external" : "self"));
	json_object_object_add(o, "config-es", json_object_new_boolean(
			       !!(flags & SEV_STATUS_FLAGS_CONFIG_ES)));
	json_object_object_add(o, "guest-count",
			       json_object_new_int64(st->guest_count));
	return o;
}

static int cmd_status(struct psp_cli *cli)
{
	struct sev_user_data_status st;
	struct json_object *o;
	struct psp *psp;
	u32 fw;
	int r, ret;

	ret = cli_open(cli, &psp);
	if (ret)
		return ret;
	r = sev_platform_status(psp, &st, &fw);
	psp_close(psp);
	if (r)
		return exit_for(r, fw);
	o = status_json(&st);
	if (!o) {
		pr_err("psp status: out of memory");
		return EXIT_INTERNAL;
	}
	printf("%s\n", json_object_to_json_string_ext(o,
			JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED));
	fflush(stdout);
	json_object_put(o);
	return EXIT_OK;
}

/* --- export */

struct pdh_export {
	u8 *pdh;
	u8 *chain;			/* PEK || OCA || CEK */
	u32 pdh_len;
	u32 chain_len;
};

static bool export_lengths_ok(u32 pdh_len, u32 chain_len)
{
	return pdh_len && pdh_len <= SEV_FW_BLOB_MAX && chain_len &&
	       chain_len % 3 == 0 && chain_len / 3 <= SEV_FW_BLOB_MAX;
}

/* PDH_CERT_EXPORT: length query, then the certificates. */
static int export_fetch(struct psp *psp, struct pdh_export *ex)
{
	u32 fw, pdh_len = 0, chain_len = 0;
	int r;

	r = sev_pdh_cert_export(psp, NULL, &pdh_len, NULL, &chain_len, &fw);
	if (r)
		return exit_for(r, fw);
	if (!export_lengths_ok(pdh_len, chain_len)) {
		pr_err("psp export: SEV_PDH_CERT_EXPORT gave unusable lengths: PDH %u, chain %u",
		       pdh_len, chain_len);
		return EXIT_SEV;
	}
	ex->pdh = calloc(1, pdh_len);
	ex->chain = calloc(1, chain_len);
	if (!ex->pdh || !ex->chain) {
		pr_err("psp export: out of memory");
		return EXIT_INTERNAL;
	}
	ex->pdh_len = pdh_len;
	ex->chain_len = chain_len;
	r = sev_pdh_cert_export(psp, ex->pdh, &ex->pdh_len, ex->chain,
				&ex->chain_len, &fw);
	if (r)
		return exit_for(r, fw);
	if (ex->pdh_len != pdh_len || ex->chain_len != chain_len) {
		pr_err("psp export: SEV_PDH_CERT_EXPORT lengths changed: PDH %u, chain %u",
		       ex->pdh_len, ex->chain_len);
		return EXIT_SEV;
	}
	return EXIT_OK;
}

static int write_cert(const char *dir, const char *name, const void *buf,
		      size_t len)
{
	char path[PATH_MAX];
	int r;

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    (int)sizeof(path)) {
		pr_err("psp export: %s/%s: path too long", dir, name);
		return -ENAMETOOLONG;
	}
	/* Certificates are public. */
	r = write_file_atomic(path, buf, len, 0644);
	if (r)
		pr_err("psp export: write %s failed: %s", path, strerror(-r));
	return r;
}

static int export_write(const char *dir, const struct pdh_export *ex)
{
	static const char *const chain_names[] = {
		"pek.cert", "oca.cert", "cek.cert",
	};
	u32 n = ex->chain_len / 3;
	int r, i;

	if (mkdir(dir, 0755) && errno != EEXIST) {
		r = -errno;
		pr_err("psp export: mkdir %s failed: %s", dir, strerror(-r));
		return r;
	}
	r = write_cert(dir, "pdh.cert", ex->pdh, ex->pdh_len);
	for (i = 0; !r && i < 3; i++)
		r = write_cert(dir, chain_names[i], ex->chain + i * n, n);
	return r;
}

/* The emulated platform's own ARK and ASK. */
static int export_roots(const struct psp_cli *cli)
{
#ifdef CONFIG_PSP_EMULATED
	u8 *ark = NULL, *ask = NULL;
	size_t ark_len, ask_len;
	int r;

	/* Failures are reported by emul_platform_read_roots() itself. */
	r = emul_platform_read_roots(cli->dir, &ark, &ark_len, &ask, &ask_len);
	if (r)
		return r;
	r = write_cert(cli->out, "ask.cert", ask, ask_len);
	if (!r)
		r = write_cert(cli->out, "ark.cert", ark, ark_len);
	free(ark);
	free(ask);
	return r;
#else
	return -ENOSYS;
#endif
}

static int cmd_export(struct psp_cli *cli)
{
	struct pdh_export ex = { 0 };
	struct psp *psp;
	int ret;

	if (!cli->out) {
		pr_err("psp export: --out DIR is required");
		return EXIT_CONFIG;
	}
	ret = cli_open(cli, &psp);
	if (ret)
		return ret;
	ret = export_fetch(psp, &ex);
	psp_close(psp);
	if (!ret && export_write(cli->out, &ex))
		ret = EXIT_HOST;
	if (!ret && cli->dir && export_roots(cli))
		ret = EXIT_HOST;
	if (!ret && !cli->dir)
		printf("note: the ARK and ASK certificates come from AMD's key distribution service (KDS); they are not fetched here\n");
	if (!ret)
		printf("certificates written to %s\n", cli->out);
	free(ex.pdh);
	free(ex.chain);
	return ret;
}

/* --- argument parsing */

static const struct psp_subcmd psp_subcmds[] = {
	{ "init",	OPT_PSP | OPT_MAX,	cmd_init },
	{ "export",	OPT_PSP | OPT_OUT,	cmd_export },
	{ "status",	OPT_PSP,		cmd_status },
};

static int parse_psp(struct psp_cli *cli, const char *arg)
{
	if (!strcmp(arg, "kernel")) {
		cli->dir = NULL;
		return 0;
	}
	if (!strncmp(arg, "emulated:", 9) && arg[9]) {
		cli->dir = arg + 9;
		return 0;
	}
	pr_err("psp %s: --psp '%s': expected kernel or emulated:DIR", cli->cmd,
	       arg);
	return -EINVAL;
}

static int parse_max_guests(struct psp_cli *cli, const char *arg)
{
	u64 v;

	if (parse_u64(arg, &v) || v < 1 || v > MAX_GUESTS_LIMIT) {
		pr_err("psp %s: --max-guests '%s': expected a number from 1 to %d",
		       cli->cmd, arg, MAX_GUESTS_LIMIT);
		return -EINVAL;
	}
	cli->max_guests = (unsigned int)v;
	cli->max_set = true;
	return 0;
}

static int parse_opt(struct psp_cli *cli, int c, const char *arg)
{
	switch (c) {
	case 'p':
		cli->seen |= OPT_PSP;
		return parse_psp(cli, arg);
	case 'm':
		cli->seen |= OPT_MAX;
		return parse_max_guests(cli, arg);
	case 'o':
		cli->seen |= OPT_OUT;
		cli->out = arg;
		return 0;
	}
	return -EINVAL;
}

/* Returns 0, 1 for --help, or -EINVAL (message printed). */
static int parse_args(struct psp_cli *cli, const struct psp_subcmd *sc,
		      int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "psp",	required_argument,	NULL, 'p' },
		{ "max-guests",	required_argument,	NULL, 'm' },
		{ "out",	required_argument,	NULL, 'o' },
		{ "help",	no_argument,		NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 0;		/* full reinitialisation (glibc) */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:h", longopts, NULL)) != -1) {
		if (c == 'h')
			return 1;
		if (c == ':' || c == '?') {
			pr_err("psp %s: %s '%s'", sc->name, c == ':' ?
			       "missing argument for" : "unknown option",
			       argv[optind - 1]);
			return -EINVAL;
		}
		if (parse_opt(cli, c, optarg))
			return -EINVAL;
		if (!(cli->seen & ~sc->opts))
			continue;
		pr_err("psp %s: option --%s does not apply here", sc->name,
		       c == 'p' ? "psp" : c == 'm' ? "max-guests" : "out");
		return -EINVAL;
	}
	if (optind < argc) {
		pr_err("psp %s: unexpected argument '%s'", sc->name,
		       argv[optind]);
		return -EINVAL;
	}
	return 0;
}

static const struct psp_subcmd *find_subcmd(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(psp_subcmds); i++)
		if (!strcmp(psp_subcmds[i].name, name))
			return &psp_subcmds[i];
	return NULL;
}

int psp_cli_main(int argc, char **argv)
{
	const struct psp_subcmd *sc;
	struct psp_cli cli = { 0 };
	int r;

	if (argc < 2) {
		pr_err("psp: missing command (init, export or status)");
		psp_usage(stderr);
		return EXIT_CONFIG;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		psp_usage(stdout);
		return EXIT_OK;
	}
	sc = find_subcmd(argv[1]);
	if (!sc) {
		pr_err("psp: unknown command '%s' (init, export or status)",
		       argv[1]);
		return EXIT_CONFIG;
	}
	cli.cmd = sc->name;
	r = parse_args(&cli, sc, argc - 1, argv + 1);
	if (r == 1) {
		psp_usage(stdout);
		return EXIT_OK;
	}
	if (r)
		return EXIT_CONFIG;
	return sc->run(&cli);
}
