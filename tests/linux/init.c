// SPDX-License-Identifier: GPL-2.0-only
/*
 * /init of the check-linux initramfs: load the virtio modules, report
 * what each device gives on the console, power off.
 *
 * Every system call goes through int $0x80 (the 32-bit ABI, i386
 * numbers), not syscall: this development machine's software KVM enters
 * the kernel's LSTAR entry from a guest's syscall still in user mode, and
 * the guest's first syscall kills init (docs/linux.md). Pointers passed
 * to int $0x80 are truncated to 32 bits, so all buffers are static (the
 * binary is linked non-PIE, low in memory) and nothing is on the stack.
 *
 * Built by tests/linux/run: gcc -static -nostdlib -fno-pie -no-pie.
 */
#define NR_READ		3
#define NR_WRITE	4
#define NR_OPEN		5
#define NR_CLOSE	6
#define NR_MOUNT	21
#define NR_REBOOT	88
#define NR_UNAME	122
#define NR_NANOSLEEP	162
#define NR_FINIT_MODULE	350

#define O_RDONLY	0
#define O_WRONLY	1

static long sys(long nr, long a, long b, long c, long d, long e)
{
	register long rsi __asm__("rsi") = d;
	register long rdi __asm__("rdi") = e;

	__asm__ volatile("int $0x80"
			 : "+a"(nr)
			 : "b"(a), "c"(b), "d"(c), "r"(rsi), "r"(rdi)
			 : "memory", "r8", "r9", "r10", "r11");
	return nr;
}

static const char *const modules[] = {
	"/lib/virtio_ring.ko", "/lib/virtio.ko",
	"/lib/virtio_pci_modern_dev.ko", "/lib/virtio_pci_legacy_dev.ko",
	"/lib/virtio_pci.ko", "/lib/virtio_blk.ko",
	"/lib/virtio_console.ko", "/lib/virtio-rng.ko",
};

static int out = -1;
static char buf[512];
static char line[1200];
static struct { int sec, nsec; } two_seconds = { 2, 0 };
static char uts[6 * 65];

static unsigned int slen(const char *s)
{
	unsigned int n = 0;

	while (s[n])
		n++;
	return n;
}

/* line += s */
static void add(const char *s)
{
	unsigned int n = slen(line), i;

	for (i = 0; s[i] && n + 1 < sizeof(line); i++)
		line[n++] = s[i];
	line[n] = 0;
}

static void add_num(long v)
{
	char d[24];
	int i = 23;

	d[i] = 0;
	if (v < 0) {
		add("-");
		v = -v;
	}
	do {
		d[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v && i > 0);
	add(d + i);
}

static void add_hex(const unsigned char *p, long n)
{
	static const char hex[] = "0123456789abcdef";
	char two[3] = { 0, 0, 0 };
	long i;

	for (i = 0; i < n; i++) {
		two[0] = hex[p[i] >> 4];
		two[1] = hex[p[i] & 15];
		add(two);
	}
}

/* Print line (with a newline) and empty it. */
static void emit(void)
{
	add("\n");
	sys(NR_WRITE, out, (long)line, slen(line), 0, 0);
	line[0] = 0;
}

/* Up to max bytes of path into buf; the count or -errno. */
static long slurp(const char *path, long max)
{
	long fd = sys(NR_OPEN, (long)path, O_RDONLY, 0, 0, 0), n;

	if (fd < 0)
		return fd;
	n = sys(NR_READ, fd, (long)buf, max, 0, 0);
	sys(NR_CLOSE, fd, 0, 0, 0, 0);
	return n;
}

/* "TAG <first line of path>" */
static void report_text(const char *tag, const char *path)
{
	long n = slurp(path, sizeof(buf) - 1), i;

	add(tag);
	add(" ");
	if (n > 0) {
		buf[n] = 0;
		for (i = 0; i < n; i++)
			if (buf[i] == '\n')
				buf[i] = 0;
		add(buf);
	} else {
		add("error ");
		add_num(n);
	}
	emit();
}

/* "TAG <n> bytes <hex>" of the first 16 bytes of path */
static void report_bytes(const char *tag, const char *path)
{
	long n = slurp(path, 16);

	add(tag);
	add(" ");
	add_num(n);
	if (n > 0) {
		add(" bytes ");
		add_hex((const unsigned char *)buf, n);
	}
	emit();
}

static void load_modules(void)
{
	unsigned int i;
	long fd, r;

	for (i = 0; i < sizeof(modules) / sizeof(modules[0]); i++) {
		fd = sys(NR_OPEN, (long)modules[i], O_RDONLY, 0, 0, 0);
		r = fd < 0 ? fd : sys(NR_FINIT_MODULE, fd, (long)"", 0, 0, 0);
		if (fd >= 0)
			sys(NR_CLOSE, fd, 0, 0, 0, 0);
		if (r < 0) {
			add("SEVM-LINUX-INSMOD-FAILED ");
			add(modules[i]);
			add(" ");
			add_num(r);
			emit();
		}
	}
}

static void mounts(void)
{
	sys(NR_MOUNT, (long)"dev", (long)"/dev", (long)"devtmpfs", 0, 0);
	sys(NR_MOUNT, (long)"proc", (long)"/proc", (long)"proc", 0, 0);
	sys(NR_MOUNT, (long)"sys", (long)"/sys", (long)"sysfs", 0, 0);
	out = (int)sys(NR_OPEN, (long)"/dev/console", O_WRONLY, 0, 0, 0);
	if (out < 0)
		out = 1;	/* the console the kernel opened, if any */
}

static const char hvc_text[] = "SEVM-LINUX-HVC-OUT written to /dev/hvc0\n";

static void hvc(void)
{
	long fd = sys(NR_OPEN, (long)"/dev/hvc0", O_WRONLY, 0, 0, 0), n = fd;

	if (fd >= 0) {
		n = sys(NR_WRITE, fd, (long)hvc_text, slen(hvc_text), 0, 0);
		sys(NR_CLOSE, fd, 0, 0, 0, 0);
	}
	add("SEVM-LINUX-HVC ");
	add_num(n);
	emit();
}

void _start(void)
{
	mounts();
	sys(NR_UNAME, (long)uts, 0, 0, 0, 0);
	add("SEVM-LINUX-INIT-OK ");
	add(uts + 2 * 65);
	emit();
	load_modules();
	sys(NR_NANOSLEEP, (long)&two_seconds, 0, 0, 0, 0);
	report_text("SEVM-LINUX-VDA-SECTORS", "/sys/block/vda/size");
	report_bytes("SEVM-LINUX-VDA-DATA", "/dev/vda");
	report_text("SEVM-LINUX-RNG", "/sys/class/misc/hw_random/rng_current");
	report_bytes("SEVM-LINUX-RNG-DATA", "/dev/hwrng");
	hvc();
	report_text("SEVM-LINUX-PCI", "/proc/bus/pci/devices");
	/* LINUX_REBOOT_MAGIC1, MAGIC2, LINUX_REBOOT_CMD_POWER_OFF */
	sys(NR_REBOOT, 0xfee1dead, 672274793, 0x4321fedc, 0, 0);
	for (;;)
		;
}
