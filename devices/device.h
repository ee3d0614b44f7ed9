/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Devices: one explicit table (devices/devices.c) of ops structs. Each
 * device decides from the configuration whether it is present, registers
 * its ranges on the buses in init, and frees its state in exit. No
 * constructor magic: the table order is the init order, exit runs in
 * reverse.
 */
#ifndef SEVM_DEVICE_H
#define SEVM_DEVICE_H

#include "lib/util.h"

struct vm;
struct vm_config;

struct device_ops {
	const char *name;
	bool (*present)(const struct vm_config *cfg);
	int (*init)(struct vm *vm, void **priv);	/* 0 or -errno */
	void (*exit)(struct vm *vm, void *priv);
};

#define DEVICES_MAX 16

struct devices {
	const struct device_ops *ops[DEVICES_MAX];
	void *priv[DEVICES_MAX];
	unsigned int nr;
};

int devices_init(struct vm *vm) __must_check;
/*
 * The worker behind devices_init(): initialise the present devices of
 * table[0..n) in order, unwinding in reverse on the first failure. Also
 * the seam the unit tests use to run a table of their own.
 */
int devices_init_table(struct vm *vm, const struct device_ops *const *table,
		       unsigned int n) __must_check;
void devices_exit(struct vm *vm);
/* Private state of a device by name, NULL if absent. */
void *devices_find(struct vm *vm, const char *name);

#endif /* SEVM_DEVICE_H */
