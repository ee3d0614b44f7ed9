// SPDX-License-Identifier: GPL-2.0-only
/*
 * 16550A UART register model at COM1 (see devices/uart16550.h and
 * docs/devices.md). Transmission is instantaneous, so THR and the shift
 * register are always empty (LSR.THRE|TEMT) and a THR write immediately
 * makes the THR-empty interrupt pending again: each guest access's output
 * is written to the backend before the access returns. One mutex
 * serialises the vCPUs; the output write and KVM_IRQ_LINE happen under it
 * so bytes and interrupt edges keep their order.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "devices/uart16550.h"
#include "lib/log.h"
#include "vmm/metrics.h"
#include "vmm/vm.h"

/* Modem status inputs when not in loopback: carrier, DSR and CTS up. */
#define UART_MSR_IDLE	(UART_MSR_DCD | UART_MSR_DSR | UART_MSR_CTS)
#define UART_DIVISOR	12	/* 9600 baud from the 1.8432 MHz clock */

struct uart16550 {
	pthread_mutex_t lock;
	int irq_fd;			/* VM fd for KVM_IRQ_LINE, -1: none */
	int out_fd;			/* -1: output discarded */
	bool own_fd;			/* out_fd is a file we opened */
	const char *out_name;		/* "stdout" or the path, for messages */
	bool out_failed;		/* a write failed (logged once) */
	bool irq_failed;		/* KVM_IRQ_LINE failed (logged once) */
	bool irq_level;
	bool thr_ipending;		/* THR-empty interrupt pending */
	u8 ier, fcr, lcr, mcr, msr, scr, dll, dlm;
	u8 lsr_err;			/* sticky LSR error bits (OE) */
	unsigned int rx_head, rx_count;
	u8 rx[UART16550_RX_SIZE];
	size_t out_len;
	u8 out[UART16550_OUT_SIZE];
	struct metric *m_tx, *m_rx;	/* uart.tx_bytes, uart.rx_bytes */
};

/* ---- interrupt */

static u8 uart_iir_id(const struct uart16550 *u)
{
	if ((u->ier & UART_IER_RLSI) && (u->lsr_err & UART_LSR_OE))
		return UART_IIR_RLSI;
	if ((u->ier & UART_IER_RDI) && u->rx_count)
		return UART_IIR_RDI;
	if ((u->ier & UART_IER_THRI) && u->thr_ipending)
		return UART_IIR_THRI;
	if ((u->ier & UART_IER_MSI) && (u->msr & UART_MSR_DELTA))
		return UART_IIR_MSI;
	return UART_IIR_NO_INT;
}

/* Drive IRQ 4 to the level the registers ask for, on changes only. */
static void uart_update_irq(struct uart16550 *u)
{
	bool level = uart_iir_id(u) != UART_IIR_NO_INT;
	struct kvm_irq_level irq = {
		.irq = UART16550_IRQ,
		.level = level,
	};

	if (level == u->irq_level)
		return;
	u->irq_level = level;
	if (u->irq_fd < 0)
		return;
	if (ioctl(u->irq_fd, KVM_IRQ_LINE, &irq) < 0 && !u->irq_failed) {
		u->irq_failed = true;
		pr_err("uart16550: KVM_IRQ_LINE irq %d level %d: %s",
		       UART16550_IRQ, level, strerror(errno));
	}
}

/* ---- output */

static int uart_out_flush(struct uart16550 *u)
{
	int r;

	if (!u->out_len)
		return 0;
	if (!metric_read(u->m_tx))
		metrics_mark("first-serial-byte");
	metric_add(u->m_tx, u->out_len);
	r = write_all(u->out_fd, u->out, u->out_len);
	u->out_len = 0;
	if (r < 0 && !u->out_failed) {
		u->out_failed = true;
		pr_err("uart16550: write serial output to %s: %s",
		       u->out_name, strerror(-r));
	}
	return r;
}

static void uart_out_byte(struct uart16550 *u, u8 c)
{
	if (u->out_fd < 0)
		return;
	u->out[u->out_len++] = c;
	if (c == '\n' || u->out_len == sizeof(u->out))
		uart_out_flush(u);
}

/* ---- receive queue */

static bool uart_rx_put(struct uart16550 *u, u8 c)
{
	if (u->rx_count == UART16550_RX_SIZE) {
		u->lsr_err |= UART_LSR_OE;
		return false;
	}
	u->rx[(u->rx_head + u->rx_count) % UART16550_RX_SIZE] = c;
	u->rx_count++;
	return true;
}

static u8 uart_rx_get(struct uart16550 *u)
{
	u8 c;

	if (!u->rx_count)
		return 0;
	c = u->rx[u->rx_head];
	u->rx_head = (u->rx_head + 1) % UART16550_RX_SIZE;
	u->rx_count--;
	return c;
}

static void uart_rx_clear(struct uart16550 *u)
{
	u->rx_head = 0;
	u->rx_count = 0;
}

/* ---- modem control and status */

/* Loopback wires MCR outputs to MSR inputs: RTS-CTS, DTR-DSR, OUT1-RI,
 * OUT2-DCD. */
static u8 uart_loop_status(u8 mcr)
{
	u8 st = 0;

	if (mcr & UART_MCR_RTS)
		st |= UART_MSR_CTS;
	if (mcr & UART_MCR_DTR)
		st |= UART_MSR_DSR;
	if (mcr & UART_MCR_OUT1)
		st |= UART_MSR_RI;
	if (mcr & UART_MCR_OUT2)
		st |= UART_MSR_DCD;
	return st;
}

/* New modem inputs; sets the delta bits for the lines that changed. */
static void uart_set_modem_status(struct uart16550 *u, u8 st)
{
	u8 old = u->msr & ~UART_MSR_DELTA;
	u8 delta = ((old ^ st) >> 4) &
		   (UART_MSR_DCTS | UART_MSR_DDSR | UART_MSR_DDCD);

	if ((old & UART_MSR_RI) && !(st & UART_MSR_RI))
		delta |= UART_MSR_TERI;	/* trailing edge only */
	u->msr = st | (u->msr & UART_MSR_DELTA) | delta;
}

static void uart_write_mcr(struct uart16550 *u, u8 val)
{
	u->mcr = val & 0x1f;
	uart_set_modem_status(u, (u->mcr & UART_MCR_LOOP) ?
			      uart_loop_status(u->mcr) : UART_MSR_IDLE);
}

/* ---- register access */

static void uart_transmit(struct uart16550 *u, u8 c)
{
	if (u->mcr & UART_MCR_LOOP)
		uart_rx_put(u, c);
	else
		uart_out_byte(u, c);
	/* Sent at once: THR is empty again. */
	u->thr_ipending = true;
}

static void uart_write_ier(struct uart16550 *u, u8 val)
{
	u8 changed = (u->ier ^ val) & 0x0f;

	u->ier = val & 0x0f;
	/* Enabling ETBEI while THR is empty (always) raises THRI. */
	if (changed & UART_IER_THRI)
		u->thr_ipending = u->ier & UART_IER_THRI;
}

static void uart_write_fcr(struct uart16550 *u, u8 val)
{
	if ((val ^ u->fcr) & UART_FCR_ENABLE_FIFO)
		uart_rx_clear(u);	/* switching FIFO mode resets it */
	if (val & UART_FCR_CLEAR_RCVR)
		uart_rx_clear(u);
	/* CLEAR_XMIT: nothing is ever waiting to be transmitted. */
	u->fcr = val & 0xc9;	/* enable, DMA mode, trigger level */
}

static void uart_write(struct uart16550 *u, unsigned int reg, u8 val)
{
	bool dlab = u->lcr & UART_LCR_DLAB;

	switch (reg) {
	case UART_THR:
		if (dlab)
			u->dll = val;
		else
			uart_transmit(u, val);
		break;
	case UART_IER:
		if (dlab)
			u->dlm = val;
		else
			uart_write_ier(u, val);
		break;
	case UART_FCR:
		uart_write_fcr(u, val);
		break;
	case UART_LCR:
		u->lcr = val;
		break;
	case UART_MCR:
		uart_write_mcr(u, val);
		break;
	case UART_SCR:
		u->scr = val;
		break;
	default:		/* LSR, MSR: read-only */
		break;
	}
}

static u8 uart_read_iir(struct uart16550 *u)
{
	u8 id = uart_iir_id(u);

	/* Reading IIR while it reports THRI acknowledges it. */
	if (id == UART_IIR_THRI)
		u->thr_ipending = false;
	if (u->fcr & UART_FCR_ENABLE_FIFO)
		id |= UART_IIR_FIFO_ENABLED;
	return id;
}

static u8 uart_read_lsr(struct uart16550 *u)
{
	u8 val = UART_LSR_THRE | UART_LSR_TEMT | u->lsr_err;

	if (u->rx_count)
		val |= UART_LSR_DR;
	u->lsr_err = 0;		/* error bits clear on read */
	return val;
}

static u8 uart_read(struct uart16550 *u, unsigned int reg)
{
	bool dlab = u->lcr & UART_LCR_DLAB;
	u8 val;

	switch (reg) {
	case UART_RBR:
		return dlab ? u->dll : uart_rx_get(u);
	case UART_IER:
		return dlab ? u->dlm : u->ier;
	case UART_IIR:
		return uart_read_iir(u);
	case UART_LCR:
		return u->lcr;
	case UART_MCR:
		return u->mcr;
	case UART_LSR:
		return uart_read_lsr(u);
	case UART_MSR:
		val = u->msr;
		u->msr &= ~UART_MSR_DELTA;	/* deltas clear on read */
		return val;
	default:
		return u->scr;
	}
}

/* Bus handler. Wider accesses act on consecutive registers, byte by byte. */
static void uart_io(void *opaque, u64 offset, void *data, u32 len,
		    bool is_write)
{
	struct uart16550 *u = opaque;
	u8 *bytes = data;
	u32 i;

	pthread_mutex_lock(&u->lock);
	for (i = 0; i < len; i++) {
		if (offset + i >= UART16550_NR_PORTS) {
			if (!is_write)
				bytes[i] = 0xff;
		} else if (is_write) {
			uart_write(u, (unsigned int)offset + i, bytes[i]);
		} else {
			bytes[i] = uart_read(u, (unsigned int)offset + i);
		}
	}
	/* Output reaches the backend as the guest writes it (a prompt
	 * without a newline too); one write per guest access. */
	if (is_write)
		uart_out_flush(u);
	uart_update_irq(u);
	pthread_mutex_unlock(&u->lock);
}

/* ---- device */

static int uart_open_output(struct uart16550 *u, const struct vm_config *cfg)
{
	int fd, r;

	switch (cfg->serial) {
	case SERIAL_STDIO:
		u->out_fd = STDOUT_FILENO;
		u->out_name = "stdout";
		return 0;
	case SERIAL_FILE:
		if (!cfg->serial_path || !*cfg->serial_path) {
			pr_err("uart16550: open serial output: no file path");
			return -EINVAL;
		}
		/* A log: appended to, created 0600, never through a
		 * symlink someone planted (we may run as root). */
		fd = open(cfg->serial_path, O_WRONLY | O_CREAT | O_APPEND |
			  O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0) {
			r = -errno;
			pr_err("uart16550: open serial output %s: %s",
			       cfg->serial_path, r == -ELOOP ?
			       "is a symbolic link (refused)" : strerror(-r));
			return r;
		}
		u->out_fd = fd;
		u->own_fd = true;
		u->out_name = cfg->serial_path;	/* cfg outlives the device */
		return 0;
	default:
		u->out_fd = -1;
		u->out_name = "none";
		return 0;
	}
}

static void uart_reset(struct uart16550 *u)
{
	u->ier = 0;
	u->fcr = 0;
	u->lcr = 0;
	u->mcr = 0;
	u->msr = UART_MSR_IDLE;
	u->scr = 0;
	u->dll = UART_DIVISOR & 0xff;
	u->dlm = UART_DIVISOR >> 8;
	u->lsr_err = 0;
	u->thr_ipending = false;
	u->irq_level = false;
	uart_rx_clear(u);
}

static void uart_free(struct uart16550 *u)
{
	if (u->own_fd)
		close(u->out_fd);
	pthread_mutex_destroy(&u->lock);
	free(u);
}

static int uart_init(struct vm *vm, void **priv)
{
	struct uart16550 *u = calloc(1, sizeof(*u));
	int r;

	if (!u) {
		pr_err("uart16550: init: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	pthread_mutex_init(&u->lock, NULL);
	uart_reset(u);
	u->m_tx = metric_get("uart.tx_bytes");
	u->m_rx = metric_get("uart.rx_bytes");
	u->irq_fd = vm->kvm.vm_fd;
	r = uart_open_output(u, vm->cfg);
	if (r < 0) {
		pthread_mutex_destroy(&u->lock);
		free(u);
		return r;
	}
	r = bus_register(&vm->pio, PORT_COM1, UART16550_NR_PORTS, uart_io, u,
			 UART16550_NAME);
	if (r < 0) {
		pr_err("uart16550: register ports 0x%x-0x%x: %s", PORT_COM1,
		       PORT_COM1 + UART16550_NR_PORTS - 1, strerror(-r));
		uart_free(u);
		return r;
	}
	*priv = u;
	return 0;
}

static void uart_exit(struct vm *vm, void *priv)
{
	struct uart16550 *u = priv;

	pthread_mutex_lock(&u->lock);
	uart_out_flush(u);
	pthread_mutex_unlock(&u->lock);
	uart_free(u);
}

static bool uart_present(const struct vm_config *cfg)
{
	return true;	/* always there; --serial none only drops output */
}

const struct device_ops uart16550_ops = {
	.name		= UART16550_NAME,
	.present	= uart_present,
	.init		= uart_init,
	.exit		= uart_exit,
};

/* ---- public API */

struct uart16550 *uart16550_get(struct vm *vm)
{
	return devices_find(vm, UART16550_NAME);
}

int uart16550_out_fd(struct uart16550 *u)
{
	return u->out_fd;
}

size_t uart16550_rx_push(struct uart16550 *u, const u8 *buf, size_t len)
{
	size_t n = 0;

	pthread_mutex_lock(&u->lock);
	while (n < len && uart_rx_put(u, buf[n]))
		n++;
	metric_add(u->m_rx, n);
	uart_update_irq(u);
	pthread_mutex_unlock(&u->lock);
	return n;
}

size_t uart16550_rx_space(struct uart16550 *u)
{
	size_t n;

	pthread_mutex_lock(&u->lock);
	n = UART16550_RX_SIZE - u->rx_count;
	pthread_mutex_unlock(&u->lock);
	return n;
}

int uart16550_flush(struct uart16550 *u)
{
	int r;

	pthread_mutex_lock(&u->lock);
	r = uart_out_flush(u);
	pthread_mutex_unlock(&u->lock);
	return r;
}

bool uart16550_irq_level(struct uart16550 *u)
{
	bool level;

	pthread_mutex_lock(&u->lock);
	level = u->irq_level;
	pthread_mutex_unlock(&u->lock);
	return level;
}
