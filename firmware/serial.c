// SPDX-License-Identifier: GPL-2.0-only
/*
 * COM1 (16550 at 0x3f8), polled: 115200 8N1, no FIFO tricks, no
 * interrupts. A transmitter that never becomes ready (no UART at all)
 * costs a bounded number of polls per character, then the byte is sent.
 */
#include <stdarg.h>

#include "firmware/format.h"
#include "firmware/handoff.h"
#include "firmware/io.h"
#include "firmware/serial.h"

#define UART_THR	0	/* transmit holding (DLAB 0) */
#define UART_IER	1
#define UART_DLL	0	/* divisor latch (DLAB 1) */
#define UART_DLM	1
#define UART_FCR	2
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define UART_LSR_THRE	0x20
#define UART_POLLS	1000

void serial_init(void)
{
	outb(PORT_COM1 + UART_IER, 0);
	outb(PORT_COM1 + UART_LCR, 0x80);	/* DLAB */
	outb(PORT_COM1 + UART_DLL, 1);		/* 115200 */
	outb(PORT_COM1 + UART_DLM, 0);
	outb(PORT_COM1 + UART_LCR, 0x03);	/* 8N1 */
	outb(PORT_COM1 + UART_FCR, 0);
	outb(PORT_COM1 + UART_MCR, 0x03);	/* DTR, RTS */
}

void serial_putc(char c)
{
	int i;

	for (i = 0; i < UART_POLLS; i++)
		if (inb(PORT_COM1 + UART_LSR) & UART_LSR_THRE)
			break;
	outb(PORT_COM1 + UART_THR, (u8)c);
}

static void put_serial(void *ctx, char c)
{
	(void)ctx;
	serial_putc(c);
}

int fw_printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fw_vformat(put_serial, NULL, fmt, ap);
	va_end(ap);
	return n;
}
