/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Polled COM1 output and printf (firmware/serial.c, guest-only). The
 * shared modules print through fw_printf too; host builds of them get it
 * from the unit test or fuzz target.
 */
#ifndef SEVM_FIRMWARE_SERIAL_H
#define SEVM_FIRMWARE_SERIAL_H

void serial_init(void);
void serial_putc(char c);
int fw_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* SEVM_FIRMWARE_SERIAL_H */
