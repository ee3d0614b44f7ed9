// SPDX-License-Identifier: GPL-2.0-only
/*
 * TEST DOUBLES for test_control, not the real modules: anonymous guest
 * RAM (vmm/memory.c), a PVH guest program written by "boot_load"
 * (vmm/boot.c), one counter port instead of the device table
 * (devices/devices.c), and a scripted SEV launch (vmm/launch.c). Also the
 * wrappers of pr_log (quiet, last error kept) and qmp_event (recorded,
 * then sent for real).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <cmocka.h>

#include <json-c/json.h>

#include "test_control.h"
#include "lib/log.h"
#include "vmm/qmp.h"
#include "vmm/vm.h"

#define GUEST_CODE	0x10000ULL

struct dbl_state dbl;
char events[EV_MAX][128];
unsigned int nr_events;
char last_err[512];

void __wrap_pr_log(enum log_level level, const char *fmt, ...) __printf(2, 3);
void __wrap_pr_log(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	if (level != LOG_ERR)
		return;
	va_start(ap, fmt);
	vsnprintf(last_err, sizeof(last_err), fmt, ap);
	va_end(ap);
}

void __real_qmp_event(struct qmp_server *qs, const char *name,
		      struct json_object *data);
void __wrap_qmp_event(struct qmp_server *qs, const char *name,
		      struct json_object *data);
void __wrap_qmp_event(struct qmp_server *qs, const char *name,
		      struct json_object *data)
{
	if (nr_events < EV_MAX)
		snprintf(events[nr_events++], sizeof(events[0]), "%s %s", name,
			 data ? json_object_to_json_string_ext(data,
				JSON_C_TO_STRING_PLAIN) : "{}");
	__real_qmp_event(qs, name, data);
}

/* ==== vmm/memory.c ==== */

int mem_alloc(struct guest_mem *mem, u64 ram_size, bool hugepages)
{
	memset(mem, 0, sizeof(*mem));
	mem->ram = mmap(NULL, ram_size, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mem->ram == MAP_FAILED)
		return -ENOMEM;
	mem->memfd = -1;
	mem->ram_size = ram_size;
	mem->regions[0] = (struct mem_region) {
		.kind = MEM_RAM, .gpa = 0, .size = ram_size, .hva = mem->ram,
	};
	mem->nr_regions = 1;
	return 0;
}

int mem_map(struct guest_mem *mem, int vm_fd)
{
	struct kvm_userspace_memory_region kr = {
		.slot = 0, .guest_phys_addr = 0, .memory_size = mem->ram_size,
		.userspace_addr = (u64)(uintptr_t)mem->ram,
	};

	return ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION, &kr) < 0 ? -errno : 0;
}

void mem_free(struct guest_mem *mem)
{
	munmap(mem->ram, mem->ram_size);
}

int mem_check_memlock(u64 need)
{
	return 0;
}

int mem_lock(struct guest_mem *mem, unsigned int nr_threads)
{
	return 0;
}

/* ==== vmm/boot.c: a PVH entry (32-bit flat) at GUEST_CODE ==== */

int boot_load(struct guest_mem *mem, const struct boot_images *img,
	      struct fw_info *fw, struct boot_entry *entry)
{
	memset(entry, 0, sizeof(*entry));
	entry->mode = BOOT_PVH;
	memcpy(mem->ram + GUEST_CODE, dbl.code, dbl.code_len);
	entry->rip = GUEST_CODE;
	entry->gdt = 0x500;
	return 0;
}

/* ==== devices/devices.c: one counter port ==== */

static void dbl_port(void *opaque, u64 off, void *data, u32 len, bool w)
{
	if (w)
		atomic_fetch_add(&dbl.port_writes, 1);
}

int devices_init(struct vm *vm)
{
	return bus_register(&vm->pio, DBL_PORT, 1, dbl_port, vm, "counter");
}

void devices_exit(struct vm *vm)
{
}

/* ==== vmm/launch.c: scripted ==== */

int sev_launch_finish(struct sev_launch *l, struct vm *vm)
{
	l->finish_calls++;
	if (l->finish_err) {
		l->fw_err = SEV_RET_BAD_MEASUREMENT;
		return l->finish_err;
	}
	l->info.state = SEV_LAUNCH_RUNNING;
	return 0;
}

void sev_launch_get_info(const struct sev_launch *l,
			 struct sev_launch_info *info)
{
	*info = l->info;
}

int sev_launch_get_measurement(const struct sev_launch *l,
			       struct sev_measurement *out)
{
	if (!l->measured)
		return -EAGAIN;
	*out = l->m;
	return 0;
}

int sev_launch_capabilities(struct sev_launch *l, struct json_object **out)
{
	if (l->caps_err)
		return l->caps_err;
	*out = json_object_new_object();
	json_object_object_add(*out, "cbitpos", json_object_new_int(51));
	return 0;
}

int sev_launch_inject_secret(struct sev_launch *l, struct vm *vm,
			     const u8 *hdr, size_t hdr_len,
			     const u8 *secret, size_t secret_len,
			     bool gpa_set, u64 gpa, char *err, size_t errlen)
{
	l->inject_calls++;
	l->hdr_len = hdr_len;
	l->secret_len = secret_len;
	memcpy(l->hdr, hdr, MIN(hdr_len, sizeof(l->hdr)));
	memcpy(l->secret, secret, MIN(secret_len, sizeof(l->secret)));
	l->gpa_set = gpa_set;
	l->gpa = gpa;
	if (!l->inject_err)
		return 0;
	l->fw_err = SEV_RET_BAD_MEASUREMENT;
	if (l->inject_msg)
		snprintf(err, errlen, "%s", l->inject_msg);
	return l->inject_err;
}

/* The "report": the nonce, then 0xab up to 208 bytes. */
int sev_launch_attestation(struct sev_launch *l, const u8 mnonce[16],
			   u8 **out, u32 *len, char *err, size_t errlen)
{
	l->attest_calls++;
	memcpy(l->attest_nonce, mnonce, 16);
	if (l->attest_err) {
		snprintf(err, errlen, "%s", l->attest_msg);
		return l->attest_err;
	}
	*len = 208;
	*out = malloc(*len);
	assert_non_null(*out);
	memset(*out, 0xab, *len);
	memcpy(*out, mnonce, 16);
	return 0;
}

int sev_launch_last_fw_err(const struct sev_launch *l)
{
	return l->fw_err;
}

const char *sev_launch_state_name(enum sev_launch_state s)
{
	static const char *const n[] = {
		"uninit", "launch-update", "launch-secret", "running",
	};

	return (unsigned int)s < ARRAY_SIZE(n) ? n[s] : "unknown";
}

/* ==== devices/acpi/machine.c: no ACPI device in these VMs ==== */
#include "devices/acpi/machine.h"
bool acpi_powerdown(struct vm *vm)
{
	return false;
}
