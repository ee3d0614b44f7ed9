// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test doubles for the VM tests that link vmm/vm.o and vmm/vcpu-emul.o
 * without guest memory or devices (test_vm, test_control): the
 * instruction fallback's fetch and vm_load's hand-off file are never
 * needed by their guests.
 */
#include <errno.h>
#include <stddef.h>

#include "devices/fw_cfg.h"
#include "vmm/memory.h"

void *mem_gpa_to_hva_any(const struct guest_mem *mem, u64 gpa, u64 len)
{
	return NULL;
}

void *mem_gpa_to_hva(const struct guest_mem *mem, u64 gpa, u64 len)
{
	return NULL;
}

struct fw_cfg *fw_cfg_of(struct vm *vm)
{
	return NULL;
}

int fw_cfg_add_file(struct fw_cfg *fw, const char *name, const void *data,
		    u32 len)
{
	return -ENOSYS;
}
