/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared by the tests of simple port devices (i8042, test-exit): a VM
 * with only a PIO bus and a configuration, and a test double of
 * vm_request_stop (vmm/vm.o is not linked) that records the request.
 */
#ifndef SEVM_TESTS_DEV_TEST_H
#define SEVM_TESTS_DEV_TEST_H

#include "devices/device.h"
#include "vmm/vm.h"

struct dev_test_stop {
	int calls;
	struct vm *vm;
	enum vm_stop_reason reason;
	int status;
};
extern struct dev_test_stop dev_test_stop;

struct dev_fx {
	struct vm vm;
	struct vm_config cfg;
	void *priv;			/* set by the test's ops->init */
	const struct device_ops *ops;
};

/* A fresh fixture (and a cleared stop record); NULL if out of memory. */
struct dev_fx *dev_fx_new(const struct device_ops *ops);
/* ops->exit if the device was initialised, then the bus and the VM. */
void dev_fx_free(struct dev_fx *f);

#endif /* SEVM_TESTS_DEV_TEST_H */
