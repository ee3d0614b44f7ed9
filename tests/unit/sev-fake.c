// SPDX-License-Identifier: GPL-2.0-only
/* A fake PSP backend for the thin-layer tests (see sev-fake.h). */
#include <string.h>

#include "tests/unit/sev-fake.h"

struct fake fake;

static void fake_record(u32 cmd, void *data, u32 *fw_err)
{
	fake.calls++;
	fake.cmd = cmd;
	fake.data = data;
	if (data && fake.copy_len)
		memcpy(fake.seen, data, fake.copy_len);
	if (data && fake.answer)
		fake.answer(data);
	if (!fake.leave_fw)
		*fw_err = fake.fw;
}

static int fake_platform_cmd(struct psp *psp, u32 cmd, void *data,
			     u32 *fw_err)
{
	fake_record(cmd, data, fw_err);
	return fake.r;
}

static int fake_vm_cmd(struct psp *psp, int vm_fd, u32 id, void *data,
		       u32 *fw_err)
{
	fake.vm_fd = vm_fd;
	fake_record(id, data, fw_err);
	return fake.r;
}

static int fake_vm_init(struct psp *psp, int vm_fd, bool es, u32 *fw_err)
{
	fake.vm_fd = vm_fd;
	fake.es = es;
	fake_record(0xffff, NULL, fw_err);
	return fake.r;
}

static int fake_region(struct psp *psp, int vm_fd, void *addr, u64 size,
		       bool reg)
{
	fake.calls++;
	fake.vm_fd = vm_fd;
	fake.addr = addr;
	fake.size = size;
	fake.reg = reg;
	return fake.r;
}

static int fake_reg(struct psp *psp, int vm_fd, void *addr, u64 size)
{
	return fake_region(psp, vm_fd, addr, size, true);
}

static int fake_unreg(struct psp *psp, int vm_fd, void *addr, u64 size)
{
	return fake_region(psp, vm_fd, addr, size, false);
}

static void fake_release(struct psp *psp, int vm_fd)
{
	fake.released++;
	fake.vm_fd = vm_fd;
}

static void fake_close(struct psp *psp)
{
	fake.closed++;
}

static const struct psp_ops fake_ops = {
	.name		= "fake",
	.platform_cmd	= fake_platform_cmd,
	.vm_init	= fake_vm_init,
	.vm_cmd		= fake_vm_cmd,
	.reg_region	= fake_reg,
	.unreg_region	= fake_unreg,
	.vm_release	= fake_release,
	.close		= fake_close,
};

static const struct psp_ops empty_ops = { .name = "empty" };

struct psp fake_psp = { .ops = &fake_ops };
struct psp empty_psp = { .ops = &empty_ops };

int fake_setup(void **state)
{
	memset(&fake, 0, sizeof(fake));
	fake.vm_fd = -1;
	return 0;
}
