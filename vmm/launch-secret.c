// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SEV launch, part 4: LAUNCH_SECRET (QMP sev-inject-launch-secret,
 * --sev-secret), valid only between LAUNCH_MEASURE and LAUNCH_FINISH, and
 * the emulated PSP's write_guest callback, which only lets the firmware
 * write into guest RAM. The secret's plaintext never passes through here
 * except inside the emulated firmware; nothing of it is logged.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sev/guids.h"
#include "vmm/launch-priv.h"
#include "lib/log.h"
#include "vmm/vm.h"


int launch_write_guest(void *opaque, u64 uaddr, const void *buf, size_t len)
{
	const struct sev_launch *l = opaque;
	const struct guest_mem *mem;
	u64 start, off;

	if (!l || !l->vm || !len)
		return -EFAULT;
	mem = &l->vm->mem;
	start = (u64)(uintptr_t)mem->ram;
	off = uaddr - start;
	if (uaddr < start || off >= mem->ram_size || len > mem->ram_size - off) {
		pr_debug("sev: LAUNCH_SECRET: firmware write to %#llx+%zu is outside guest RAM: refused",
			 (unsigned long long)uaddr, len);
		return -EFAULT;
	}
	memcpy(mem->ram + off, buf, len);
	return 0;
}

/* One error line, also handed to the caller (QMP) in err. */
static int __printf(4, 5) secret_fail(char *err, size_t errlen, int r,
				      const char *fmt, ...)
{
	char line[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	pr_err("%s", line);
	if (err && errlen)
		snprintf(err, errlen, "%s", line);
	return r;
}

/* The target: gpa, or the firmware's secret area; wholly in RAM. */
static int secret_target(const struct vm *vm, bool gpa_set, u64 *gpa,
			 size_t len, void **hva, char *err, size_t errlen)
{
	const struct fw_info *fw = &vm->fw;

	if (!gpa_set) {
		if (!fw->has_secret)
			return secret_fail(err, errlen, -EINVAL,
				"SEV: LAUNCH_SECRET: no address given and firmware %s has no SEV secret area (GUID %s)",
				vm->images.firmware.path, SEV_GUID_SECRET_AREA_STR);
		if (len > fw->secret_size)
			return secret_fail(err, errlen, -EINVAL,
				"SEV: LAUNCH_SECRET: %zu bytes do not fit the firmware's SEV secret area 0x%x+%u",
				len, fw->secret_base, fw->secret_size);
		*gpa = fw->secret_base;
	}
	*hva = mem_gpa_to_hva(&vm->mem, *gpa, len);
	if (!*hva)
		return secret_fail(err, errlen, -EINVAL,
			"SEV: LAUNCH_SECRET: GPA 0x%llx+%zu is not inside guest RAM",
			(unsigned long long)*gpa, len);
	return 0;
}

static int secret_check(const struct sev_launch *l, const struct vm *vm,
			size_t hdr_len, size_t len, char *err, size_t errlen)
{
	if (l->info.state != SEV_LAUNCH_SECRET || l->vm != vm)
		return secret_fail(err, errlen, -EINVAL,
			"SEV: LAUNCH_SECRET is only valid before the guest runs (state %s)",
			sev_launch_state_name(l->info.state));
	if (hdr_len != LAUNCH_SECRET_HDR_LEN)
		return secret_fail(err, errlen, -EINVAL,
			"SEV: LAUNCH_SECRET: the packet header is %zu bytes, expected %u",
			hdr_len, LAUNCH_SECRET_HDR_LEN);
	if (!len || len % 16 || len > LAUNCH_SECRET_MAX)
		return secret_fail(err, errlen, -EINVAL,
			"SEV: LAUNCH_SECRET: the secret is %zu bytes; it must be a non-zero multiple of 16, at most %u",
			len, LAUNCH_SECRET_MAX);
	return 0;
}

int sev_launch_inject_secret(struct sev_launch *l, struct vm *vm,
			     const u8 *hdr, size_t hdr_len,
			     const u8 *secret, size_t secret_len,
			     bool gpa_set, u64 gpa, char *err, size_t errlen)
{
	u64 t0 = time_us();
	void *hva;
	u32 fw;
	int r;

	l->last_fw_err = 0;
	r = secret_check(l, vm, hdr_len, secret_len, err, errlen);
	if (!r)
		r = secret_target(vm, gpa_set, &gpa, secret_len, &hva, err,
				  errlen);
	if (r)
		return r;
	/* A refusal is logged by the thin layer: err only. */
	r = sev_launch_secret(l->psp, l->vm_fd, hdr, (u32)hdr_len, hva,
			      (u32)secret_len, secret, (u32)secret_len, &fw);
	if (!r)
		r = launch_expect_state(l, SEV_GSTATE_LSECRET,
					"after LAUNCH_SECRET");
	if (r) {
		launch_note_fw(l, fw);
		if (err && errlen)
			snprintf(err, errlen, "SEV: LAUNCH_SECRET (%zu bytes at GPA 0x%llx) failed: %s (firmware status 0x%x %s)",
				 secret_len, (unsigned long long)gpa,
				 strerror(-r), fw, sev_fw_err_name((int)fw));
		return r;
	}
	launch_step_done(l, "launch-secret", t0);
	pr_info("sev: LAUNCH_SECRET %zu bytes at GPA 0x%llx (%llu us)",
		secret_len, (unsigned long long)gpa,
		(unsigned long long)(time_us() - t0));
	return 0;
}
