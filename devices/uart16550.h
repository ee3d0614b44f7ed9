/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * 16550A UART at COM1 (0x3f8-0x3ff, IRQ 4). Transmit is always ready;
 * output goes to stdout, a file or nowhere (--serial), written as the
 * guest writes it (one write per guest port access). Input is a
 * receive queue (uart16550_rx_push), fed from stdin with --serial stdio
 * (devices/console-input.h): RBR reads 0 while it is empty. Register model and limits: docs/devices.md.
 */
#ifndef SEVM_DEVICES_UART16550_H
#define SEVM_DEVICES_UART16550_H

#include "lib/util.h"

#define UART16550_NAME		"uart16550"
#define UART16550_NR_PORTS	8
#define UART16550_IRQ		4
#define UART16550_RX_SIZE	64	/* receive queue, bytes */
#define UART16550_OUT_SIZE	4096	/* output of one access, bytes */

/* Register offsets from the base port. */
enum uart_reg {
	UART_RBR = 0, UART_THR = 0, UART_DLL = 0,	/* DLL when LCR.DLAB */
	UART_IER = 1, UART_DLM = 1,			/* DLM when LCR.DLAB */
	UART_IIR = 2, UART_FCR = 2,
	UART_LCR = 3,
	UART_MCR = 4,
	UART_LSR = 5,
	UART_MSR = 6,
	UART_SCR = 7,
};

#define UART_IER_RDI		0x01	/* received data available */
#define UART_IER_THRI		0x02	/* transmitter holding register empty */
#define UART_IER_RLSI		0x04	/* receiver line status */
#define UART_IER_MSI		0x08	/* modem status */

#define UART_IIR_NO_INT		0x01
#define UART_IIR_MSI		0x00
#define UART_IIR_THRI		0x02
#define UART_IIR_RDI		0x04
#define UART_IIR_RLSI		0x06
#define UART_IIR_ID		0x0f
#define UART_IIR_FIFO_ENABLED	0xc0

#define UART_FCR_ENABLE_FIFO	0x01
#define UART_FCR_CLEAR_RCVR	0x02
#define UART_FCR_CLEAR_XMIT	0x04

#define UART_LCR_DLAB		0x80

#define UART_MCR_DTR		0x01
#define UART_MCR_RTS		0x02
#define UART_MCR_OUT1		0x04
#define UART_MCR_OUT2		0x08
#define UART_MCR_LOOP		0x10

#define UART_LSR_DR		0x01	/* data ready */
#define UART_LSR_OE		0x02	/* overrun (receive queue full) */
#define UART_LSR_THRE		0x20
#define UART_LSR_TEMT		0x40

#define UART_MSR_DCTS		0x01
#define UART_MSR_DDSR		0x02
#define UART_MSR_TERI		0x04
#define UART_MSR_DDCD		0x08
#define UART_MSR_DELTA		0x0f
#define UART_MSR_CTS		0x10
#define UART_MSR_DSR		0x20
#define UART_MSR_RI		0x40
#define UART_MSR_DCD		0x80

struct device_ops;
extern const struct device_ops uart16550_ops;

struct vm;
struct uart16550;

/* The device's state, or NULL if the device is not present. */
struct uart16550 *uart16550_get(struct vm *vm);
/*
 * Queue received bytes (any thread). Returns how many were queued; bytes
 * past UART16550_RX_SIZE are dropped and set LSR.OE. Raises the RX
 * interrupt if the guest enabled it.
 */
size_t uart16550_rx_push(struct uart16550 *uart, const u8 *buf, size_t len);
/* Bytes the receive queue takes now (any thread). */
size_t uart16550_rx_space(struct uart16550 *uart);
/* Write out buffered output now (any thread). 0 or -errno. */
int uart16550_flush(struct uart16550 *uart);
/*
 * The serial output's fd (stdout, the --serial file; -1 for none), for
 * other consoles writing to the same place (the virtio console).
 */
int uart16550_out_fd(struct uart16550 *uart);
/* Current level of the interrupt line (what KVM_IRQ_LINE was told). */
bool uart16550_irq_level(struct uart16550 *uart);

#endif /* SEVM_DEVICES_UART16550_H */
