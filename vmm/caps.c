// SPDX-License-Identifier: GPL-2.0-only
/*
 * `sevm caps`, part 1: reading KVM, and formatting the report (JSON and
 * libvirt's <sev> element) from a filled struct host_caps. The SEV part
 * is gathered by sev/caps.c, the same function that answers QMP
 * query-sev-capabilities.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <json-c/json.h>
#include <linux/kvm.h>

#include "sev/compat.h"
#include "vmm/caps.h"

#define KVM_API_EXPECTED	12

static const struct {
	long cap;
	const char *name;
} kvm_exts[] = {
	{ SEVM_KVM_CAP_VM_TYPES,	"vm-types" },
	{ KVM_CAP_IRQCHIP,		"irqchip" },
	{ KVM_CAP_IRQFD,		"irqfd" },
	{ KVM_CAP_IOEVENTFD,		"ioeventfd" },
	{ KVM_CAP_SIGNAL_MSI,		"signal-msi" },
	{ KVM_CAP_IRQ_ROUTING,		"irq-routing" },
	{ KVM_CAP_EXIT_HYPERCALL,	"exit-hypercall" },
	{ KVM_CAP_IMMEDIATE_EXIT,	"immediate-exit" },
	{ KVM_CAP_READONLY_MEM,		"readonly-mem" },
	{ KVM_CAP_USER_MEMORY,		"user-memory" },
	{ KVM_CAP_NR_VCPUS,		"nr-vcpus" },
	{ KVM_CAP_MAX_VCPUS,		"max-vcpus" },
};

/* KVM_X86_*_VM, bit N of KVM_CAP_VM_TYPES. */
static const char *const vm_type_names[] = {
	"default", "sw-protected", "sev", "sev-es", "sev-snp", "tdx",
};

static void kvm_fail(struct caps_kvm *k, const char *what, int err)
{
	snprintf(k->reason, sizeof(k->reason), "%s %s: %s", what, k->device,
		 strerror(err));
}

void caps_kvm_probe(const char *device, struct caps_kvm *k)
{
	int fd, v;

	memset(k, 0, sizeof(*k));
	k->device = device ? device : "/dev/kvm";
	fd = open(k->device, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		kvm_fail(k, "open", errno);
		return;
	}
	k->present = true;
	k->api_version = ioctl(fd, KVM_GET_API_VERSION, 0);
	if (k->api_version != KVM_API_EXPECTED) {
		snprintf(k->reason, sizeof(k->reason),
			 "KVM_GET_API_VERSION on %s: %d, sevm needs %d",
			 k->device, k->api_version, KVM_API_EXPECTED);
		close(fd);
		return;
	}
	k->usable = true;
	for (size_t i = 0; i < ARRAY_SIZE(kvm_exts); i++) {
		v = ioctl(fd, KVM_CHECK_EXTENSION, kvm_exts[i].cap);
		k->ext[k->nr_ext++] = (struct caps_kvm_ext){
			.name = kvm_exts[i].name, .value = v > 0 ? v : 0,
		};
		if (kvm_exts[i].cap == SEVM_KVM_CAP_VM_TYPES && v > 0)
			k->vm_types = (u32)v;
	}
	close(fd);
}

/* --- JSON */

static void add_str(struct json_object *o, const char *key, const char *v)
{
	json_object_object_add(o, key, json_object_new_string(v));
}

static void add_int(struct json_object *o, const char *key, s64 v)
{
	json_object_object_add(o, key, json_object_new_int64(v));
}

static void add_bool(struct json_object *o, const char *key, bool v)
{
	json_object_object_add(o, key, json_object_new_boolean(v));
}

static struct json_object *vm_types_json(u32 mask)
{
	struct json_object *a = json_object_new_array();

	/* Without KVM_CAP_VM_TYPES there is the default type only. */
	if (!mask)
		mask = 1;
	for (unsigned int i = 0; a && i < 32; i++) {
		if (!(mask & (1u << i)))
			continue;
		if (i < ARRAY_SIZE(vm_type_names))
			json_object_array_add(a, json_object_new_string(
					      vm_type_names[i]));
		else
			json_object_array_add(a, json_object_new_int(i));
	}
	return a;
}

static struct json_object *kvm_json(const struct caps_kvm *k)
{
	struct json_object *o = json_object_new_object(), *e;

	if (!o)
		return NULL;
	add_str(o, "device", k->device);
	add_bool(o, "present", k->present);
	add_bool(o, "usable", k->usable);
	if (!k->usable) {
		add_str(o, "reason", k->reason);
		return o;
	}
	add_int(o, "api-version", k->api_version);
	json_object_object_add(o, "vm-types", vm_types_json(k->vm_types));
	e = json_object_new_object();
	for (unsigned int i = 0; e && i < k->nr_ext; i++)
		add_int(e, k->ext[i].name, k->ext[i].value);
	json_object_object_add(o, "capabilities", e);
	return o;
}

/* QMP query-sev-capabilities' members, the same values. */
static int add_qmp_members(struct json_object *o, const struct sev_caps *c)
{
	struct json_object *q = sev_caps_qmp_json(c);

	if (!q)
		return -ENOMEM;
	json_object_object_foreach(q, key, val)
		json_object_object_add(o, key, json_object_get(val));
	json_object_put(q);
	return 0;
}

static struct json_object *sev_json(const struct host_caps *h)
{
	const struct sev_caps *c = &h->sev;
	struct json_object *o = json_object_new_object();
	char api[16];

	if (!o)
		return NULL;
	add_bool(o, "supported", c->supported);
	add_str(o, "psp", h->psp_emulated ? "emulated" : "kernel");
	if (!c->supported) {
		add_str(o, "reason", c->reason);
		return o;
	}
	if (add_qmp_members(o, c)) {
		json_object_put(o);
		return NULL;
	}
	add_bool(o, "es-supported", c->es);
	add_int(o, "max-guests", c->max_guests);
	add_int(o, "max-es-guests", c->max_es_guests);
	add_int(o, "guests-in-use", c->guests_in_use);
	snprintf(api, sizeof(api), "%u.%u", c->api_major, c->api_minor);
	add_str(o, "api-version", api);
	add_int(o, "api-major", c->api_major);
	add_int(o, "api-minor", c->api_minor);
	add_int(o, "build-id", c->build);
	return o;
}

struct json_object *caps_json(const struct host_caps *h)
{
	struct json_object *o = json_object_new_object(), *k, *s;

	if (!o)
		return NULL;
	k = kvm_json(&h->kvm);
	s = sev_json(h);
	if (!k || !s) {
		json_object_put(k);
		json_object_put(s);
		json_object_put(o);
		return NULL;
	}
	add_str(o, "sevm-version", SEVM_VERSION);
	json_object_object_add(o, "kvm", k);
	json_object_object_add(o, "sev", s);
	return o;
}

/* --- libvirt's domain capabilities element (virDomainCapsFeatureSEV) */

int caps_xml(const struct host_caps *h, FILE *f)
{
	const struct sev_caps *c = &h->sev;
	char *id = NULL;
	int n;

	if (!c->supported)
		return fputs("<sev supported='no'/>\n", f) < 0 ? -EIO : 0;
	if (c->cpu0_id && !(id = base64_encode(c->cpu0_id, c->cpu0_id_len)))
		return -ENOMEM;
	n = fprintf(f, "<sev supported='yes'>\n"
		    "  <cbitpos>%u</cbitpos>\n"
		    "  <reducedPhysBits>%u</reducedPhysBits>\n"
		    "  <maxGuests>%u</maxGuests>\n"
		    "  <maxESGuests>%u</maxESGuests>\n",
		    c->cbitpos, c->reduced_phys_bits, c->max_guests,
		    c->max_es_guests);
	if (n >= 0 && id)
		n = fprintf(f, "  <cpu0Id>%s</cpu0Id>\n", id);
	if (n >= 0)
		n = fputs("</sev>\n", f);
	free(id);
	return n < 0 ? -EIO : 0;
}
