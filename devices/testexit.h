/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Test-exit port at 0xf4 (like QEMU's isa-debug-exit): a write of any
 * width stops the VM with VM_STOP_TESTEXIT and the low byte V of the value
 * as the guest status (sevm then exits 0 for V = 0, 64 + V otherwise).
 * Reads return 0.
 */
#ifndef SEVM_DEVICES_TESTEXIT_H
#define SEVM_DEVICES_TESTEXIT_H

#include "lib/util.h"

#define TESTEXIT_NAME		"testexit"

struct device_ops;
extern const struct device_ops testexit_ops;

#endif /* SEVM_DEVICES_TESTEXIT_H */
