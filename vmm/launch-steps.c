// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SEV launch, part 2: the measured steps, in the order of
 * sev-protocol.md 1.7. LAUNCH_START after KVM_SEV_INIT; then, once the
 * images are in guest memory and the vCPUs exist, all memory pinned and
 * registered, LAUNCH_UPDATE_DATA over the firmware ROM and the padded
 * kernel-hashes table, (SEV-ES) LAUNCH_UPDATE_VMSA, LAUNCH_MEASURE; and
 * LAUNCH_FINISH when the guest may run. GUEST_STATUS checks the firmware's
 * view after each step.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "sev/hashes.h"
#include "sev/guids.h"
#include "vmm/launch-priv.h"
#include "sev/vmsa.h"
#include "lib/log.h"
#include "vmm/vm.h"


static unsigned long long us_since(u64 t0)
{
	return (unsigned long long)(time_us() - t0);
}

static void launch_read_asid(struct sev_launch *l)
{
	u32 asid = 0;

	if (!sev_guest_asid(l->psp, l->vm_fd, &asid))
		l->info.asid = asid;
	else
		pr_debug("sev: the guest's ASID is not reported by KVM");
}

int sev_launch_start(struct sev_launch *l, struct vm *vm)
{
	u64 t0 = time_us();
	u32 fw, handle = 0;
	int r;

	l->last_fw_err = 0;
	if (l->vm) {
		pr_err("sev: LAUNCH_START: the launch has already started");
		return -EALREADY;
	}
	l->vm = vm;
	l->vm_fd = vm->kvm.vm_fd;
	l->psp->write_guest = launch_write_guest;
	l->psp->write_guest_opaque = l;
	r = sev_guest_init(l->psp, l->vm_fd, l->info.es, &fw);
	if (!r)
		r = sev_cmd_launch_start(l->psp, l->vm_fd, l->info.policy,
					 l->dh_cert, (u32)l->dh_len,
					 l->session, (u32)l->session_len,
					 &handle, &fw);
	if (r) {
		launch_note_fw(l, fw);
		return r;
	}
	l->started = true;
	l->info.handle = handle;
	r = launch_expect_state(l, SEV_GSTATE_LUPDATE, "after LAUNCH_START");
	if (r)
		return r;
	launch_read_asid(l);
	launch_step_done(l, "launch-start", t0);
	pr_info("sev: LAUNCH_START handle %u policy 0x%x%s (%llu us)", handle,
		l->info.policy, l->session ? " with the owner's session" : "",
		us_since(t0));
	return 0;
}

/* --- pinning: lock and pre-fault RAM, register every region */

static int launch_pin(struct sev_launch *l, struct guest_mem *mem)
{
	u64 t0 = time_us();
	unsigned int i;
	int r;

	if (!mem->locked) {
		r = mem_lock(mem, LAUNCH_PIN_THREADS);
		if (r)
			return r;
	}
	for (i = 0; i < mem->nr_regions; i++) {
		r = sev_reg_region(l->psp, l->vm_fd, mem->regions[i].hva,
				   mem->regions[i].size);
		if (r)
			return r;
	}
	launch_step_done(l, "pin-memory", t0);
	pr_info("sev: guest memory pinned, %u regions registered (%llu us)",
		mem->nr_regions, us_since(t0));
	return 0;
}

static int launch_update(struct sev_launch *l, void *hva, u64 len,
			 const char *what, const char *step)
{
	u64 t0 = time_us();
	u32 fw;
	int r;

	r = sev_launch_update_data(l->psp, l->vm_fd, hva, (u32)len, &fw);
	if (r) {
		launch_note_fw(l, fw);
		return r;
	}
	l->measured_bytes += len;
	launch_step_done(l, step, t0);
	pr_info("sev: LAUNCH_UPDATE_DATA %s, %llu bytes (%llu us)", what,
		(unsigned long long)len, us_since(t0));
	return 0;
}

static struct mem_region *launch_rom(struct guest_mem *mem)
{
	for (unsigned int i = 0; i < mem->nr_regions; i++)
		if (mem->regions[i].kind == MEM_ROM)
			return &mem->regions[i];
	return NULL;
}

/* The firmware ROM, as mapped: what the guest executes first. */
static int launch_update_firmware(struct sev_launch *l, struct vm *vm)
{
	struct mem_region *rom = launch_rom(&vm->mem);
	unsigned int n = 0;

	if (!rom || !rom->size || !IS_ALIGNED(rom->size, 16)) {
		pr_err("sev: LAUNCH_UPDATE_DATA: no firmware ROM to measure (%s)",
		       vm->images.firmware.path ? vm->images.firmware.path :
		       "no --firmware");
		return -EINVAL;
	}
	/* Hash before the update: on real SEV it encrypts in place. */
	if (!EVP_Digest(rom->hva, rom->size, l->fw_sha256, &n, EVP_sha256(),
			NULL)) {
		pr_err("sev: SHA-256 of the firmware ROM failed");
		return -ENOMEM;
	}
	return launch_update(l, rom->hva, rom->size, "firmware", "update-fw");
}

static bool launch_want_hashes(const struct sev_launch *l,
			       const struct vm *vm)
{
	enum tristate t = l->cfg->sev.kernel_hashes;

	if (t == TRI_AUTO)
		return vm->images.kernel.size > 0;
	return t == TRI_ON;
}

static int launch_hashes_area(const struct vm *vm, u8 **hva)
{
	const struct fw_info *fw = &vm->fw;
	const char *path = vm->images.firmware.path;

	if (!fw->has_hashes || fw->hashes_size < SEV_HASHES_PADDED_LEN) {
		pr_err("sev: firmware %s has no SEV hashes area (GUID %s) to measure the kernel into; use --sev-kernel-hashes off",
		       path, SEV_GUID_HASHES_AREA_STR);
		return -EINVAL;
	}
	*hva = mem_gpa_to_hva(&vm->mem, fw->hashes_base,
			      SEV_HASHES_PADDED_LEN);
	if (!*hva || !IS_ALIGNED(fw->hashes_base, 16)) {
		pr_err("sev: firmware %s: SEV hashes area 0x%x+%u is %s",
		       path, fw->hashes_base, SEV_HASHES_PADDED_LEN,
		       *hva ? "not 16-byte aligned" : "not in guest RAM");
		return -EINVAL;
	}
	return 0;
}

/* QEMU's measured direct boot: the padded table at the firmware's area. */
static int launch_update_hashes(struct sev_launch *l, struct vm *vm)
{
	const struct boot_images *img = &vm->images;
	struct sev_hashes h;
	u8 *hva;
	int r;

	r = launch_hashes_area(vm, &hva);
	if (r)
		return r;
	r = sev_hashes_compute(img->kernel.data, img->kernel.size,
			       img->initrd.data, img->initrd.size,
			       img->cmdline, &h);
	if (r) {
		pr_err("sev: hashing the kernel %s: %s", img->kernel.path,
		       strerror(-r));
		return r;
	}
	sev_hashes_table(&h, hva);
	l->kernel_hashes = true;
	return launch_update(l, hva, SEV_HASHES_PADDED_LEN, "kernel hashes",
			     "update-hashes");
}

/* LAUNCH_MEASURE: the length query, then the 48-byte blob. */
static int launch_do_measure(struct sev_launch *l)
{
	u64 t0 = time_us();
	u32 len = 0, fw;
	int r;

	r = sev_cmd_launch_measure(l->psp, l->vm_fd, NULL, &len, &fw);
	if (!r && len != sizeof(l->measurement)) {
		pr_err("sev: LAUNCH_MEASURE: the firmware wants a %u-byte buffer, expected %zu",
		       len, sizeof(l->measurement));
		return -EPROTO;
	}
	if (!r)
		r = sev_cmd_launch_measure(l->psp, l->vm_fd, &l->measurement,
					   &len, &fw);
	if (r) {
		launch_note_fw(l, fw);
		return r;
	}
	r = launch_expect_state(l, SEV_GSTATE_LSECRET, "after LAUNCH_MEASURE");
	if (r)
		return r;
	l->measured = true;
	launch_step_done(l, "launch-measure", t0);
	pr_info("sev: LAUNCH_MEASURE over %llu bytes (%llu us)",
		(unsigned long long)l->measured_bytes, us_since(t0));
	return 0;
}

static int launch_check_step(const struct sev_launch *l, const struct vm *vm,
			     enum sev_launch_state want, const char *step)
{
	if (l->vm == vm && l->started && l->info.state == want)
		return 0;
	pr_err("sev: %s: the guest is in state %s, expected %s", step,
	       sev_launch_state_name(l->info.state),
	       sev_launch_state_name(want));
	return -EINVAL;
}

int sev_launch_measure(struct sev_launch *l, struct vm *vm)
{
	int r;

	l->last_fw_err = 0;
	r = launch_check_step(l, vm, SEV_LAUNCH_UPDATE, "LAUNCH_MEASURE");
	if (!r)
		r = launch_pin(l, &vm->mem);
	if (!r)
		r = launch_update_firmware(l, vm);
	if (!r && launch_want_hashes(l, vm))
		r = launch_update_hashes(l, vm);
	if (!r && l->info.es)
		r = launch_update_vmsa(l, vm);
	if (!r)
		r = launch_do_measure(l);
	if (!r)
		r = launch_report_measured(l);
	return r;
}

int sev_launch_finish(struct sev_launch *l, struct vm *vm)
{
	u64 t0 = time_us();
	u32 fw;
	int r;

	l->last_fw_err = 0;
	r = launch_check_step(l, vm, SEV_LAUNCH_SECRET, "LAUNCH_FINISH");
	if (!r)
		r = launch_expect_state(l, SEV_GSTATE_LSECRET,
					"before LAUNCH_FINISH");
	if (r)
		return r;
	r = sev_cmd_launch_finish(l->psp, l->vm_fd, &fw);
	if (r) {
		launch_note_fw(l, fw);
		return r;
	}
	r = launch_expect_state(l, SEV_GSTATE_RUNNING, "after LAUNCH_FINISH");
	if (r)
		return r;
	launch_step_done(l, "launch-finish", t0);
	pr_info("sev: LAUNCH_FINISH handle %u: the guest may run (%llu us)",
		l->info.handle, us_since(t0));
	return 0;
}
