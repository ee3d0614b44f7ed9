// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of devices/uart16550.c through the real PIO bus: the 16550A
 * register model, output buffering to a file / stdout, the serial path
 * error, and the KVM_IRQ_LINE calls (ioctl seam: -Wl,--wrap=ioctl).
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "devices/uart16550.h"
#include "lib/log.h"
#include "vmm/vm.h"

/* ---- Test double: vm_request_stop (vmm/vm.o is not linked). */
static int stop_calls;

void vm_request_stop(struct vm *vm, enum vm_stop_reason reason, int status)
{
	stop_calls++;
}

/* ---- Seam: ioctl on FAKE_VM_FD records KVM_IRQ_LINE calls. */
#define FAKE_VM_FD	1000

int __real_ioctl(int fd, unsigned long req, ...);
int __wrap_ioctl(int fd, unsigned long req, ...);

static struct {
	int calls;
	unsigned long req;
	u32 irq, level;
	int fail_errno;
} kvm_irq;

int __wrap_ioctl(int fd, unsigned long req, ...)
{
	const struct kvm_irq_level *line;
	va_list ap;
	void *arg;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (fd != FAKE_VM_FD)
		return __real_ioctl(fd, req, arg);
	line = arg;
	kvm_irq.calls++;
	kvm_irq.req = req;
	kvm_irq.irq = line->irq;
	kvm_irq.level = line->level;
	if (kvm_irq.fail_errno) {
		errno = kvm_irq.fail_errno;
		return -1;
	}
	return 0;
}

/* ---- Fixture: a VM with only a PIO bus and the UART on a temp file. */
struct fx {
	struct vm vm;
	struct vm_config cfg;
	struct uart16550 *uart;
	char path[64];
};

static int fx_init(struct fx *f)
{
	void *priv = NULL;
	int r;

	r = uart16550_ops.init(&f->vm, &priv);
	f->uart = priv;
	return r;
}

/*
 * Exit the device and start over with an empty bus (the bus has no
 * unregister: a VM's devices come and go with the VM).
 */
static void fx_exit(struct fx *f)
{
	if (f->uart)
		uart16550_ops.exit(&f->vm, f->uart);
	f->uart = NULL;
	bus_free(&f->vm.pio);
	bus_init(&f->vm.pio, "pio");
}

/* fd 1 while test_serial_stdio has it redirected, for teardown. */
static int saved_stdout = -1;

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	int fd;

	if (!f)
		return -1;
	bus_init(&f->vm.pio, "pio");
	f->vm.cfg = &f->cfg;
	f->vm.kvm.vm_fd = -1;
	strcpy(f->path, "/tmp/sevm-test-uart-XXXXXX");
	fd = mkstemp(f->path);
	if (fd < 0)
		return -1;
	close(fd);
	f->cfg.serial = SERIAL_FILE;
	f->cfg.serial_path = f->path;
	memset(&kvm_irq, 0, sizeof(kvm_irq));
	*state = f;
	return fx_init(f) ? -1 : 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	if (saved_stdout >= 0) {
		dup2(saved_stdout, STDOUT_FILENO);
		close(saved_stdout);
		saved_stdout = -1;
	}
	fx_exit(f);
	bus_free(&f->vm.pio);
	unlink(f->path);
	free(f);
	return 0;
}

static void outb(struct fx *f, unsigned int reg, u8 val)
{
	assert_true(bus_dispatch(&f->vm.pio, PORT_COM1 + reg, &val, 1, true));
}

static u8 inb(struct fx *f, unsigned int reg)
{
	u8 val = 0xee;

	assert_true(bus_dispatch(&f->vm.pio, PORT_COM1 + reg, &val, 1, false));
	return val;
}

static void outs(struct fx *f, const char *s)
{
	while (*s)
		outb(f, UART_THR, (u8)*s++);
}

/* The output file's contents must be exactly want[0..len). */
static void assert_file(const char *path, const void *want, size_t len)
{
	void *buf = NULL;
	size_t got = 0;

	assert_int_equal(read_file(path, &buf, &got, 1 << 20), 0);
	assert_int_equal(got, len);
	if (len)
		assert_memory_equal(buf, want, len);
	free(buf);
}

/* ---- Register model */

static void test_reset_state(void **state)
{
	struct fx *f = *state;

	assert_int_equal(inb(f, UART_IIR), UART_IIR_NO_INT);
	assert_int_equal(inb(f, UART_LSR), UART_LSR_THRE | UART_LSR_TEMT);
	assert_int_equal(inb(f, UART_MSR),
			 UART_MSR_DCD | UART_MSR_DSR | UART_MSR_CTS);
	assert_int_equal(inb(f, UART_IER), 0);
	assert_int_equal(inb(f, UART_LCR), 0);
	assert_int_equal(inb(f, UART_MCR), 0);
	assert_int_equal(inb(f, UART_RBR), 0);	/* no input: reads 0 */
	outb(f, UART_LCR, UART_LCR_DLAB);
	assert_int_equal(inb(f, UART_DLL), 12);	/* 9600 baud */
	assert_int_equal(inb(f, UART_DLM), 0);
	assert_false(uart16550_irq_level(f->uart));
	/* all eight ports are claimed, and nothing past them */
	assert_true(bus_dispatch(&f->vm.pio, PORT_COM1 + 7, &(u8){ 0 }, 1,
				 false));
	assert_false(bus_dispatch(&f->vm.pio, PORT_COM1 + 8, &(u8){ 0 }, 1,
				  false));
}

static void test_scratch(void **state)
{
	struct fx *f = *state;

	outb(f, UART_SCR, 0x5a);
	assert_int_equal(inb(f, UART_SCR), 0x5a);
	outb(f, UART_SCR, 0xa5);
	assert_int_equal(inb(f, UART_SCR), 0xa5);
	/* LSR and MSR are read-only */
	outb(f, UART_LSR, 0x00);
	assert_int_equal(inb(f, UART_LSR), UART_LSR_THRE | UART_LSR_TEMT);
}

static void test_lcr_dlab(void **state)
{
	struct fx *f = *state;

	outb(f, UART_LCR, UART_LCR_DLAB | 0x03);
	outb(f, UART_DLL, 0x01);
	outb(f, UART_DLM, 0x02);
	assert_int_equal(inb(f, UART_LCR), 0x83);
	assert_int_equal(inb(f, UART_DLL), 0x01);
	assert_int_equal(inb(f, UART_DLM), 0x02);
	/* DLAB off: offsets 0/1 are THR/RBR and IER again */
	outb(f, UART_LCR, 0x03);
	assert_int_equal(inb(f, UART_IER), 0);
	outb(f, UART_IER, UART_IER_RDI | UART_IER_RLSI);
	outs(f, "A\n");
	assert_int_equal(inb(f, UART_IER), 0x05);
	outb(f, UART_LCR, 0x83);
	assert_int_equal(inb(f, UART_DLL), 0x01);	/* THR write kept out */
	assert_int_equal(inb(f, UART_DLM), 0x02);	/* IER write kept out */
	assert_file(f->path, "A\n", 2);
}

static void test_ier_low_bits(void **state)
{
	struct fx *f = *state;

	outb(f, UART_IER, 0xff);
	assert_int_equal(inb(f, UART_IER), 0x0f);
}

static void test_thri_after_thr_write(void **state)
{
	struct fx *f = *state;

	outb(f, UART_FCR, UART_FCR_ENABLE_FIFO);
	assert_int_equal(inb(f, UART_IIR), 0xc0 | UART_IIR_NO_INT);
	/* enabling ETBEI with THR empty raises THRI at once */
	outb(f, UART_IER, UART_IER_THRI);
	assert_true(uart16550_irq_level(f->uart));
	assert_int_equal(inb(f, UART_IIR), 0xc0 | UART_IIR_THRI);
	/* reading IIR acknowledged it */
	assert_false(uart16550_irq_level(f->uart));
	assert_int_equal(inb(f, UART_IIR), 0xc0 | UART_IIR_NO_INT);
	outb(f, UART_THR, 'x');
	assert_true(uart16550_irq_level(f->uart));
	assert_int_equal(inb(f, UART_IIR), 0xc0 | UART_IIR_THRI);
	outb(f, UART_THR, 'y');
	outb(f, UART_IER, 0);
	assert_false(uart16550_irq_level(f->uart));
	outb(f, UART_FCR, 0);
	assert_int_equal(inb(f, UART_IIR), UART_IIR_NO_INT);
}

static void test_lsr_and_rx(void **state)
{
	struct fx *f = *state;

	assert_int_equal(uart16550_rx_push(f->uart, (const u8 *)"hi", 2), 2);
	assert_int_equal(inb(f, UART_LSR), 0x60 | UART_LSR_DR);
	assert_false(uart16550_irq_level(f->uart));	/* IER 0 */
	outb(f, UART_IER, UART_IER_RDI);
	assert_true(uart16550_irq_level(f->uart));
	assert_int_equal(inb(f, UART_IIR), UART_IIR_RDI);
	assert_int_equal(inb(f, UART_RBR), 'h');
	assert_int_equal(inb(f, UART_RBR), 'i');
	assert_int_equal(inb(f, UART_LSR), 0x60);
	assert_int_equal(inb(f, UART_IIR), UART_IIR_NO_INT);
	assert_false(uart16550_irq_level(f->uart));
	assert_int_equal(inb(f, UART_RBR), 0);
}

static void test_rx_has_priority_over_thri(void **state)
{
	struct fx *f = *state;

	outb(f, UART_IER, UART_IER_RDI | UART_IER_THRI);
	assert_int_equal(uart16550_rx_push(f->uart, (const u8 *)"z", 1), 1);
	assert_int_equal(inb(f, UART_IIR), UART_IIR_RDI);
	assert_int_equal(inb(f, UART_RBR), 'z');
	assert_int_equal(inb(f, UART_IIR), UART_IIR_THRI);
	assert_int_equal(inb(f, UART_IIR), UART_IIR_NO_INT);
}

static void test_rx_overrun(void **state)
{
	struct fx *f = *state;
	u8 buf[UART16550_RX_SIZE + 6];

	memset(buf, 'r', sizeof(buf));
	assert_int_equal(uart16550_rx_push(f->uart, buf, sizeof(buf)),
			 UART16550_RX_SIZE);
	assert_int_equal(inb(f, UART_LSR), 0x60 | UART_LSR_DR | UART_LSR_OE);
	assert_int_equal(inb(f, UART_LSR), 0x60 | UART_LSR_DR);	/* cleared */
	outb(f, UART_IER, UART_IER_RLSI);
	assert_int_equal(uart16550_rx_push(f->uart, buf, 1), 0);
	assert_true(uart16550_irq_level(f->uart));
	assert_int_equal(inb(f, UART_IIR), UART_IIR_RLSI);
	inb(f, UART_LSR);
	assert_int_equal(inb(f, UART_IIR), UART_IIR_NO_INT);
	outb(f, UART_FCR, UART_FCR_CLEAR_RCVR);
	assert_int_equal(inb(f, UART_LSR), 0x60);
}

static void test_loopback(void **state)
{
	struct fx *f = *state;

	/* Linux's 8250 autoconfig check: MCR loop|RTS|OUT2 -> MSR 0x90 */
	outb(f, UART_MCR, UART_MCR_LOOP | UART_MCR_RTS | UART_MCR_OUT2);
	assert_int_equal(inb(f, UART_MCR), 0x1a);
	assert_int_equal(inb(f, UART_MSR) & 0xf0, 0x90);
	outs(f, "QR\n");
	assert_int_equal(inb(f, UART_LSR) & UART_LSR_DR, UART_LSR_DR);
	assert_int_equal(inb(f, UART_RBR), 'Q');
	assert_int_equal(inb(f, UART_RBR), 'R');
	assert_int_equal(inb(f, UART_RBR), '\n');
	assert_int_equal(inb(f, UART_LSR), 0x60);
	outb(f, UART_MCR, 0);
	assert_int_equal(inb(f, UART_MSR) & 0xf0, 0xb0);
	outs(f, "S\n");
	assert_int_equal(inb(f, UART_LSR), 0x60);
	assert_file(f->path, "S\n", 2);	/* the looped bytes never left */
}

static void test_msr_deltas(void **state)
{
	struct fx *f = *state;

	outb(f, UART_MCR, UART_MCR_LOOP);	/* CTS, DSR, DCD drop */
	assert_int_equal(inb(f, UART_MSR), UART_MSR_DCTS | UART_MSR_DDSR |
			 UART_MSR_DDCD);
	assert_int_equal(inb(f, UART_MSR), 0);	/* deltas clear on read */
	outb(f, UART_MCR, UART_MCR_LOOP | UART_MCR_OUT1);
	assert_int_equal(inb(f, UART_MSR), UART_MSR_RI);	/* no TERI */
	outb(f, UART_IER, UART_IER_MSI);
	assert_false(uart16550_irq_level(f->uart));
	outb(f, UART_MCR, UART_MCR_LOOP);	/* RI trailing edge */
	assert_true(uart16550_irq_level(f->uart));
	assert_int_equal(inb(f, UART_IIR), UART_IIR_MSI);
	assert_int_equal(inb(f, UART_MSR), UART_MSR_TERI);
	assert_int_equal(inb(f, UART_IIR), UART_IIR_NO_INT);
	assert_false(uart16550_irq_level(f->uart));
}

static void test_wide_access(void **state)
{
	struct fx *f = *state;
	u8 w[2] = { 0x03, UART_MCR_LOOP | UART_MCR_DTR };
	u8 r[2] = { 0, 0 };

	assert_true(bus_dispatch(&f->vm.pio, PORT_COM1 + UART_LCR, w, 2,
				 true));
	assert_true(bus_dispatch(&f->vm.pio, PORT_COM1 + UART_LCR, r, 2,
				 false));
	assert_memory_equal(r, w, 2);
}

/* ---- Output */

static void test_output_written_at_once(void **state)
{
	struct fx *f = *state;
	size_t big = UART16550_OUT_SIZE + 10, i;
	char *want = malloc(6 + big);

	assert_non_null(want);
	outs(f, "hello");
	assert_file(f->path, "hello", 5);	/* no newline needed */
	outs(f, "\n");
	assert_file(f->path, "hello\n", 6);
	memcpy(want, "hello\n", 6);
	for (i = 0; i < big; i++) {
		want[6 + i] = (char)('a' + i % 26);
		outb(f, UART_THR, (u8)want[6 + i]);
	}
	assert_file(f->path, want, 6 + big);	/* every byte, at once */
	fx_exit(f);
	assert_file(f->path, want, 6 + big);
	free(want);
}

static void test_flush_api(void **state)
{
	struct fx *f = *state;

	outs(f, "login: ");
	assert_file(f->path, "login: ", 7);	/* a prompt shows at once */
	assert_int_equal(uart16550_flush(f->uart), 0);
	assert_file(f->path, "login: ", 7);
	assert_int_equal(uart16550_flush(f->uart), 0);	/* nothing left */
	assert_file(f->path, "login: ", 7);
}

static void test_output_file_appended_and_mode(void **state)
{
	struct fx *f = *state;
	char link[256];
	struct stat st;
	mode_t old;
	int fd;

	fx_exit(f);
	fd = open(f->path, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "stale", 5), 5);
	assert_int_equal(fchmod(fd, 0644), 0);
	close(fd);
	old = umask(0);
	assert_int_equal(fx_init(f), 0);
	umask(old);
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_size, 5);	/* O_APPEND, not O_TRUNC */
	/* an existing file keeps its mode */
	assert_int_equal(st.st_mode & 07777, 0644);
	fx_exit(f);
	unlink(f->path);
	old = umask(0);
	assert_int_equal(fx_init(f), 0);
	umask(old);
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);	/* O_CREAT 0600 */
	/* a symlink at the path is refused, not followed */
	fx_exit(f);
	snprintf(link, sizeof(link), "%s.link", f->path);
	assert_int_equal(symlink(f->path, link), 0);
	unlink(f->path);
	f->cfg.serial_path = link;
	assert_int_equal(fx_init(f), -ELOOP);
	assert_int_equal(lstat(f->path, &st), -1);	/* nothing created */
	unlink(link);
}

static void test_bad_serial_path(void **state)
{
	static char bad[] = "/nonexistent-sevm-dir/serial.log";
	static char root[] = "/", empty[] = "";
	struct fx *f = *state;
	u8 v = 0;

	fx_exit(f);
	f->cfg.serial_path = bad;
	assert_int_equal(fx_init(f), -ENOENT);
	assert_null(f->uart);
	/* nothing was registered */
	assert_false(bus_dispatch(&f->vm.pio, PORT_COM1, &v, 1, true));
	f->cfg.serial_path = root;
	assert_int_equal(fx_init(f), -EISDIR);
	f->cfg.serial_path = empty;
	assert_int_equal(fx_init(f), -EINVAL);
	f->cfg.serial_path = NULL;
	assert_int_equal(fx_init(f), -EINVAL);
	assert_null(f->uart);
	f->cfg.serial_path = f->path;
}

static void test_serial_none(void **state)
{
	struct fx *f = *state;

	fx_exit(f);
	f->cfg.serial = SERIAL_NONE;
	assert_int_equal(fx_init(f), 0);
	outs(f, "dropped\n");
	outb(f, UART_SCR, 7);
	assert_int_equal(inb(f, UART_SCR), 7);
	assert_int_equal(uart16550_flush(f->uart), 0);
	fx_exit(f);
	assert_file(f->path, "", 0);
}

static void test_serial_stdio(void **state)
{
	struct fx *f = *state;
	int fd;

	fx_exit(f);
	f->cfg.serial = SERIAL_STDIO;
	fflush(stdout);
	saved_stdout = dup(STDOUT_FILENO);
	fd = open(f->path, O_WRONLY | O_TRUNC);
	assert_true(saved_stdout >= 0 && fd >= 0);
	assert_int_equal(dup2(fd, STDOUT_FILENO), STDOUT_FILENO);
	close(fd);
	assert_int_equal(fx_init(f), 0);
	outs(f, "to stdout\npartial");
	fx_exit(f);				/* must not close fd 1 */
	assert_int_equal(write(STDOUT_FILENO, "!", 1), 1);
	assert_int_equal(dup2(saved_stdout, STDOUT_FILENO), STDOUT_FILENO);
	close(saved_stdout);
	saved_stdout = -1;
	assert_file(f->path, "to stdout\npartial!", 18);
}

static void test_write_error(void **state)
{
	static char full[] = "/dev/full";
	struct fx *f = *state;

	fx_exit(f);
	f->cfg.serial_path = full;
	assert_int_equal(fx_init(f), 0);
	outs(f, "x\n");				/* error logged, no crash */
	outs(f, "y");
	assert_int_equal(uart16550_flush(f->uart), 0);	/* nothing held */
	f->cfg.serial_path = f->path;
}

/* ---- Interrupt line through KVM_IRQ_LINE */

static void test_kvm_irq_line(void **state)
{
	struct fx *f = *state;

	fx_exit(f);
	f->vm.kvm.vm_fd = FAKE_VM_FD;
	assert_int_equal(fx_init(f), 0);
	assert_int_equal(kvm_irq.calls, 0);
	outb(f, UART_IER, UART_IER_THRI);		/* raise */
	assert_int_equal(kvm_irq.calls, 1);
	assert_int_equal(kvm_irq.req, KVM_IRQ_LINE);
	assert_int_equal(kvm_irq.irq, UART16550_IRQ);
	assert_int_equal(kvm_irq.level, 1);
	outb(f, UART_SCR, 1);				/* no change, no call */
	assert_int_equal(kvm_irq.calls, 1);
	assert_int_equal(inb(f, UART_IIR), UART_IIR_THRI);	/* lower */
	assert_int_equal(kvm_irq.calls, 2);
	assert_int_equal(kvm_irq.level, 0);
	kvm_irq.fail_errno = EBADF;			/* logged, tracked */
	outb(f, UART_THR, 'a');
	assert_int_equal(kvm_irq.calls, 3);
	assert_true(uart16550_irq_level(f->uart));
	kvm_irq.fail_errno = 0;
	inb(f, UART_IIR);
	assert_int_equal(kvm_irq.calls, 4);
	assert_int_equal(kvm_irq.level, 0);
}

/* ---- Lookup through the device table */

static void test_get(void **state)
{
	static const struct device_ops *const table[] = { &uart16550_ops };
	struct fx *f = *state;

	fx_exit(f);
	assert_null(uart16550_get(&f->vm));
	assert_int_equal(devices_init_table(&f->vm, table, 1), 0);
	assert_non_null(uart16550_get(&f->vm));
	assert_ptr_equal(uart16550_get(&f->vm), f->vm.devices.priv[0]);
	devices_exit(&f->vm);
	assert_null(uart16550_get(&f->vm));
	assert_int_equal(stop_calls, 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_reset_state),
		T(test_scratch),
		T(test_lcr_dlab),
		T(test_ier_low_bits),
		T(test_thri_after_thr_write),
		T(test_lsr_and_rx),
		T(test_rx_has_priority_over_thri),
		T(test_rx_overrun),
		T(test_loopback),
		T(test_msr_deltas),
		T(test_wide_access),
		T(test_output_written_at_once),
		T(test_flush_api),
		T(test_output_file_appended_and_mode),
		T(test_bad_serial_path),
		T(test_serial_none),
		T(test_serial_stdio),
		T(test_write_error),
		T(test_kvm_irq_line),
		T(test_get),
	};

	log_init("test_uart16550");
	log_set_level(LOG_ERR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
