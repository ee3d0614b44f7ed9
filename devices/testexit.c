// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test-exit port (QEMU isa-debug-exit style): the guest ends the run with
 * a status. vm_exit_code() in vmm/vm.c turns the status into sevm's exit
 * code.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "devices/testexit.h"
#include "lib/log.h"
#include "vmm/vm.h"

struct testexit {
	struct vm *vm;
};

static void testexit_io(void *opaque, u64 offset, void *data, u32 len,
			bool is_write)
{
	struct testexit *te = opaque;
	u8 status;

	if (!is_write) {
		memset(data, 0, len);
		return;
	}
	/* Little-endian: the first byte is the low byte at any width. */
	status = *(const u8 *)data;
	pr_info("testexit: guest wrote status %u (width %u)", status, len);
	vm_request_stop(te->vm, VM_STOP_TESTEXIT, status);
}

static int testexit_init(struct vm *vm, void **priv)
{
	struct testexit *te = calloc(1, sizeof(*te));
	int r;

	if (!te) {
		pr_err("testexit: init: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	te->vm = vm;
	r = bus_register(&vm->pio, PORT_TEST_EXIT, 1, testexit_io, te,
			 TESTEXIT_NAME);
	if (r < 0) {
		pr_err("testexit: register port 0x%x: %s", PORT_TEST_EXIT,
		       strerror(-r));
		free(te);
		return r;
	}
	*priv = te;
	return 0;
}

static void testexit_exit(struct vm *vm, void *priv)
{
	free(priv);
}

static bool testexit_present(const struct vm_config *cfg)
{
	return true;
}

const struct device_ops testexit_ops = {
	.name		= TESTEXIT_NAME,
	.present	= testexit_present,
	.init		= testexit_init,
	.exit		= testexit_exit,
};
