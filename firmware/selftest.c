// SPDX-License-Identifier: GPL-2.0-only
/*
 * Self test, run when no hand-off is present: banner, CPU vendor, fw_cfg
 * (when there is one: e820 map, CPU count), a memory probe, SEV state,
 * CPU count, the injected secrets (names and lengths only), with fw_cfg
 * PCI bus 0 and the virtio devices, then test exit FW_STATUS_OK or
 * FW_STATUS_SELFTEST_FAIL.
 */
#include "firmware/fw.h"
#include "firmware/io.h"
#include "firmware/secrets.h"
#include "firmware/serial.h"

#define PROBE_BASE	LAYOUT_HIGH_MEM		/* 1 MiB */
#define PROBE_PAGES	4
#define PROBE_END	(PROBE_BASE + PROBE_PAGES * 4096ull)

static void print_vendor(void)
{
	struct cpuid_regs r = cpuid(0);
	char v[13];

	fw_memcpy(v, &r.ebx, 4);
	fw_memcpy(v + 4, &r.edx, 4);
	fw_memcpy(v + 8, &r.ecx, 4);
	v[12] = '\0';
	fw_printf("cpu: %s, max leaf %x\n", v, r.eax);
}

/* Fills a page with pat (rep stosq). */
static void page_fill(u64 pa, u64 pat)
{
	void *d = fw_phys(pa);
	u64 n = 512;

	__asm__ volatile("rep stosq" : "+D"(d), "+c"(n) : "a"(pat) : "memory");
}

/* 0 if every word of the page is pat (repe scasq), else -1. */
static int page_check(u64 pa, u64 pat)
{
	void *d = fw_phys(pa);
	u64 n = 512;
	int bad;

	__asm__ volatile("repe scasq"
			 : "+D"(d), "+c"(n), "=@ccnz"(bad)
			 : "a"(pat) : "memory");
	if (bad)
		fw_printf("memory: mismatch at %lx\n", (u64)(uintptr_t)d - 8);
	return bad ? -1 : 0;
}

/* Per-page pattern, so that pages aliasing each other are caught too. */
static u64 pattern(int pass, u64 pa)
{
	if (pass == 0)
		return 0x5555555555555555ull;
	if (pass == 1)
		return 0xaaaaaaaaaaaaaaaaull;
	return pa * 0x9e3779b97f4a7c15ull ^ 0x0123456789abcdefull;
}

/*
 * PROBE_PAGES pages from base, three passes: all pages written, then all
 * read back. String instructions, as the guest is emulated.
 */
static int probe_pages(u64 base)
{
	u64 pa, end = base + PROBE_PAGES * 4096ull;
	int pass;

	for (pass = 0; pass < 3; pass++) {
		for (pa = base; pa < end; pa += 4096)
			page_fill(pa, pattern(pass, pa));
		for (pa = base; pa < end; pa += 4096)
			if (page_check(pa, pattern(pass, pa)))
				return -1;
	}
	fw_printf("memory: ok (%u pages at %lx)\n", PROBE_PAGES, base);
	return 0;
}

/*
 * A few pages above 1 MiB; with an e820 map from fw_cfg, which must call
 * them RAM, also the last pages of RAM below 4 GiB.
 */
static int memory_probe(const struct machine *m)
{
	u64 top = e820_low_ram_end(m->e820, m->nr_e820);

	if (m->nr_e820 && !e820_is_ram(m->e820, m->nr_e820, PROBE_BASE,
				       PROBE_END - PROBE_BASE)) {
		fw_printf("memory: %x is not RAM in etc/e820\n", PROBE_BASE);
		return -1;
	}
	if (probe_pages(PROBE_BASE))
		return -1;
	if (top >= PROBE_END + (PROBE_END - PROBE_BASE))
		return probe_pages(top - (PROBE_END - PROBE_BASE));
	return 0;
}

static void print_sev(u64 cbit)
{
	u32 pos;

	if (sev_detect(&pos))
		fw_printf("sev: active, c-bit %u\n", pos);
	else
		fw_printf("sev: not active\n");
	(void)cbit;
}

static void print_secrets(void)
{
	struct secret_iter it;
	struct secret_entry e;
	char g[GUID_STR_LEN + 1];
	int r, n = 0;

	r = secrets_open(fw_phys(LAYOUT_SEV_SECRET), LAYOUT_SEV_SECRET_SIZE,
			 &it);
	while (r > 0 && (r = secrets_next(&it, &e)) > 0) {
		guid_to_str(e.guid, g);
		fw_printf("secret: %s len %u\n", g, e.data_len);
		n++;
	}
	if (r < 0)
		fw_printf("secrets: malformed table (%s)\n", it.why);
	else if (!n)
		fw_printf("secrets: none\n");
}

/* The CPU count; with fw_cfg's NB_CPUS, a shortfall is a failure. */
static int count_cpus(const struct machine *m)
{
	u32 n = smp_count_cpus(m->nb_cpus);

	if (m->nb_cpus && n != m->nb_cpus) {
		fw_printf("cpus: %u, fw_cfg NB_CPUS says %u\n", n, m->nb_cpus);
		return -1;
	}
	fw_printf("cpus: %u\n", n);
	return 0;
}

void selftest_run(u64 cbit)
{
	struct machine m;
	int fail = 0, fwcfg;

	fw_mark(MARK_SELFTEST_START);
	fw_printf("sevm firmware %s\n", SEVM_VERSION);
	print_vendor();
	fwcfg = machine_probe(&m, cbit);
	if (fwcfg < 0 || memory_probe(&m))
		fail = 1;
	print_sev(cbit);
	if (count_cpus(&m))
		fail = 1;
	print_secrets();
	if (fwcfg && machine_devices(cbit))
		fail = 1;
	fw_mark(MARK_SELFTEST_DONE);
	if (fail) {
		fw_printf("selftest: FAIL\n");
		fw_exit(FW_STATUS_SELFTEST_FAIL);
	}
	fw_printf("selftest: ok\n");
	fw_exit(FW_STATUS_OK);
}
