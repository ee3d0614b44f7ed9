// SPDX-License-Identifier: GPL-2.0-only
/*
 * i8042 keyboard controller, reset line only: the guest (Linux reboot=k,
 * firmware) pulses the CPU reset through command 0xfe on port 0x64.
 * Status reads 0 (output buffer empty, input buffer empty, so writers
 * never wait); data reads 0; every other command or data byte is
 * accepted and ignored, like Firecracker's minimal i8042.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "devices/i8042.h"
#include "lib/log.h"
#include "vmm/vm.h"

struct i8042 {
	struct vm *vm;
};

static void i8042_io(void *opaque, u64 port, void *data, u32 len,
		     bool is_write)
{
	struct i8042 *kbc = opaque;
	u8 val = *(u8 *)data;

	if (!is_write) {
		memset(data, 0, len);
		return;
	}
	if (port != PORT_I8042_CMD || val != I8042_CMD_RESET)
		return;
	pr_info("i8042: guest pulsed the reset line (command 0x%02x)", val);
	vm_request_stop(kbc->vm, VM_STOP_RESET, 0);
}

static void i8042_data_io(void *opaque, u64 offset, void *data, u32 len,
			  bool is_write)
{
	i8042_io(opaque, PORT_I8042_DATA + offset, data, len, is_write);
}

static void i8042_cmd_io(void *opaque, u64 offset, void *data, u32 len,
			 bool is_write)
{
	i8042_io(opaque, PORT_I8042_CMD + offset, data, len, is_write);
}

static int i8042_init(struct vm *vm, void **priv)
{
	struct i8042 *kbc = calloc(1, sizeof(*kbc));
	int r;

	if (!kbc) {
		pr_err("i8042: init: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	kbc->vm = vm;
	r = bus_register(&vm->pio, PORT_I8042_DATA, 1, i8042_data_io, kbc,
			 "i8042 data");
	if (r < 0) {
		pr_err("i8042: register port 0x%x: %s", PORT_I8042_DATA,
		       strerror(-r));
		goto err;
	}
	r = bus_register(&vm->pio, PORT_I8042_CMD, 1, i8042_cmd_io, kbc,
			 "i8042 command");
	if (r < 0) {
		pr_err("i8042: register port 0x%x: %s", PORT_I8042_CMD,
		       strerror(-r));
		goto err;
	}
	*priv = kbc;
	return 0;
err:
	free(kbc);
	return r;
}

static void i8042_exit(struct vm *vm, void *priv)
{
	free(priv);
}

static bool i8042_present(const struct vm_config *cfg)
{
	return true;
}

const struct device_ops i8042_ops = {
	.name		= I8042_NAME,
	.present	= i8042_present,
	.init		= i8042_init,
	.exit		= i8042_exit,
};
