/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * i8042 keyboard controller, reset line only (like Firecracker's minimal
 * i8042): ports 0x60 (data) and 0x64 (status/command). Every read returns
 * 0; command 0xfe (pulse reset) stops the VM with VM_STOP_RESET; other
 * commands and data bytes are accepted and ignored.
 */
#ifndef SEVM_DEVICES_I8042_H
#define SEVM_DEVICES_I8042_H

#include "lib/util.h"

#define I8042_NAME		"i8042"
#define PORT_I8042_DATA		0x60
#define I8042_CMD_RESET		0xfe

struct device_ops;
extern const struct device_ops i8042_ops;

#endif /* SEVM_DEVICES_I8042_H */
