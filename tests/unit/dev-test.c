// SPDX-License-Identifier: GPL-2.0-only
/* Fixture and vm_request_stop test double for device tests (dev-test.h). */
#include <stdlib.h>
#include <string.h>

#include "tests/unit/dev-test.h"

struct dev_test_stop dev_test_stop;

void vm_request_stop(struct vm *vm, enum vm_stop_reason reason, int status)
{
	dev_test_stop.calls++;
	dev_test_stop.vm = vm;
	dev_test_stop.reason = reason;
	dev_test_stop.status = status;
}

struct dev_fx *dev_fx_new(const struct device_ops *ops)
{
	struct dev_fx *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->ops = ops;
	bus_init(&f->vm.pio, "pio");
	f->vm.cfg = &f->cfg;
	f->vm.kvm.vm_fd = -1;
	memset(&dev_test_stop, 0, sizeof(dev_test_stop));
	return f;
}

void dev_fx_free(struct dev_fx *f)
{
	if (!f)
		return;
	if (f->priv)
		f->ops->exit(&f->vm, f->priv);
	bus_free(&f->vm.pio);
	free(f);
}
