// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel PSP backend: SEV_ISSUE_CMD on /dev/sev for platform commands,
 * KVM_MEMORY_ENCRYPT_OP on the VM fd for guest commands (sev-protocol.md
 * 1 and 2). /dev/sev stays open for the life of the backend: KVM keeps the
 * fd *number* from LAUNCH_START and resolves it for every later command,
 * and every struct kvm_sev_cmd carries it in sev_fd anyway.
 *
 * KVM decommissions the guest context when the VM fd is closed, so
 * vm_release has nothing to do.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "sev/sev.h"
#include "lib/log.h"

#define SEV_DEV_DEFAULT	"/dev/sev"
#define KVM_DEV_DEFAULT	"/dev/kvm"
#define NO_FW_CALL	((u32)SEV_RET_NO_FW_CALL)
#define UADDR(p)	((u64)(uintptr_t)(p))

struct psp_kernel {
	struct psp psp;
	int sev_fd;
	int kvm_fd;		/* -1 until set or opened */
	bool kvm_fd_owned;
	int vm_types;		/* KVM_CAP_VM_TYPES mask; -1: not probed */
};

static const struct psp_ops psp_kernel_ops;

static struct psp_kernel *to_pk(struct psp *psp)
{
	return psp->priv;
}

void psp_kernel_set_kvm_fd(struct psp *psp, int kvm_fd)
{
	struct psp_kernel *pk;

	if (!psp || psp->ops != &psp_kernel_ops)
		return;
	pk = to_pk(psp);
	if (pk->kvm_fd_owned)
		close(pk->kvm_fd);
	pk->kvm_fd = kvm_fd;
	pk->kvm_fd_owned = false;
	pk->vm_types = -1;
}

static int kernel_kvm_fd(struct psp_kernel *pk)
{
	int fd;

	if (pk->kvm_fd >= 0)
		return pk->kvm_fd;
	fd = open(KVM_DEV_DEFAULT, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fd = -errno;
		pr_debug("psp-kernel: open %s: %s; assuming legacy SEV VMs",
			 KVM_DEV_DEFAULT, strerror(-fd));
		return fd;
	}
	pk->kvm_fd = fd;
	pk->kvm_fd_owned = true;
	return fd;
}

/* Bit N set: KVM offers VM type N. 0 on kernels without KVM_CAP_VM_TYPES. */
static int kernel_vm_types(struct psp_kernel *pk)
{
	int fd, r;

	if (pk->vm_types >= 0)
		return pk->vm_types;
	fd = kernel_kvm_fd(pk);
	if (fd < 0)
		return 0;
	r = ioctl(fd, KVM_CHECK_EXTENSION, (unsigned long)SEVM_KVM_CAP_VM_TYPES);
	pk->vm_types = r > 0 ? r : 0;
	pr_debug("psp-kernel: KVM_CAP_VM_TYPES 0x%x", pk->vm_types);
	return pk->vm_types;
}

static u32 kernel_vm_type(struct psp *psp, bool es)
{
	u32 type = es ? SEVM_KVM_X86_SEV_ES_VM : SEVM_KVM_X86_SEV_VM;

	if (kernel_vm_types(to_pk(psp)) & (1 << type))
		return type;
	return SEVM_KVM_X86_DEFAULT_VM;
}

static int kernel_platform_cmd(struct psp *psp, u32 cmd, void *data,
			       u32 *fw_err)
{
	struct sev_issue_cmd ic;
	int r;

	memset(&ic, 0, sizeof(ic));
	ic.cmd = cmd;
	ic.data = UADDR(data);
	ic.error = NO_FW_CALL;
	r = ioctl(to_pk(psp)->sev_fd, SEV_ISSUE_CMD, &ic);
	r = r < 0 ? -errno : 0;
	*fw_err = ic.error;
	return r;
}

static int kernel_vm_cmd(struct psp *psp, int vm_fd, u32 id, void *data,
			 u32 *fw_err)
{
	struct kvm_sev_cmd cmd;
	int r;

	memset(&cmd, 0, sizeof(cmd));
	cmd.id = id;
	cmd.data = UADDR(data);
	cmd.error = NO_FW_CALL;
	cmd.sev_fd = (u32)to_pk(psp)->sev_fd;
	r = ioctl(vm_fd, KVM_MEMORY_ENCRYPT_OP, &cmd);
	r = r < 0 ? -errno : 0;
	*fw_err = cmd.error;
	return r;
}

/* SEV-ES with INIT2: the VMSA features asked for must be offered by KVM. */
static int kernel_check_vmsa_features(struct psp_kernel *pk, u64 wanted)
{
	struct kvm_device_attr attr;
	u64 supported = 0;
	int fd = kernel_kvm_fd(pk);

	if (fd < 0)
		return fd;
	memset(&attr, 0, sizeof(attr));
	attr.group = SEVM_KVM_X86_GRP_SEV;
	attr.attr = SEVM_KVM_X86_SEV_VMSA_FEATURES;
	attr.addr = UADDR(&supported);
	if (ioctl(fd, KVM_GET_DEVICE_ATTR, &attr) < 0) {
		int r = -errno;

		pr_err("psp-kernel: KVM_GET_DEVICE_ATTR (KVM_X86_SEV_VMSA_FEATURES) failed: %s",
		       strerror(-r));
		return r;
	}
	if (wanted & ~supported) {
		pr_err("psp-kernel: SEV-ES VMSA features 0x%llx not offered by KVM (offered 0x%llx)",
		       (unsigned long long)wanted,
		       (unsigned long long)supported);
		return -EOPNOTSUPP;
	}
	pr_debug("psp-kernel: KVM offers VMSA features 0x%llx",
		 (unsigned long long)supported);
	return 0;
}

/*
 * KVM_SEV_INIT2 for VMs of the SEV/SEV-ES types, else the legacy
 * KVM_SEV_INIT / KVM_SEV_ES_INIT (only valid for KVM_X86_DEFAULT_VM).
 * INIT2 runs with a zeroed struct: no VMSA features (so the SEV-ES VMSA,
 * and with it the measurement, does not depend on the kernel), default
 * GHCB version.
 */
static int kernel_vm_init(struct psp *psp, int vm_fd, bool es, u32 *fw_err)
{
	struct sevm_kvm_sev_init init;
	int r;

	if (kernel_vm_type(psp, es) == SEVM_KVM_X86_DEFAULT_VM) {
		pr_debug("psp-kernel: legacy %s", es ? "KVM_SEV_ES_INIT" :
							 "KVM_SEV_INIT");
		return kernel_vm_cmd(psp, vm_fd,
				     es ? KVM_SEV_ES_INIT : KVM_SEV_INIT,
				     NULL, fw_err);
	}
	memset(&init, 0, sizeof(init));
	if (es) {
		r = kernel_check_vmsa_features(to_pk(psp), init.vmsa_features);
		if (r) {
			*fw_err = NO_FW_CALL;
			return r;
		}
	}
	pr_debug("psp-kernel: KVM_SEV_INIT2 (%s VM type)", es ? "SEV-ES" : "SEV");
	return kernel_vm_cmd(psp, vm_fd, SEVM_KVM_SEV_INIT2, &init, fw_err);
}

static int kernel_region(int vm_fd, unsigned long req, void *addr, u64 size)
{
	struct kvm_enc_region region;

	memset(&region, 0, sizeof(region));
	region.addr = UADDR(addr);
	region.size = size;
	return ioctl(vm_fd, req, &region) < 0 ? -errno : 0;
}

static int kernel_reg_region(struct psp *psp, int vm_fd, void *addr,
			     u64 size)
{
	return kernel_region(vm_fd, KVM_MEMORY_ENCRYPT_REG_REGION, addr, size);
}

static int kernel_unreg_region(struct psp *psp, int vm_fd, void *addr,
			       u64 size)
{
	return kernel_region(vm_fd, KVM_MEMORY_ENCRYPT_UNREG_REGION, addr,
			     size);
}

static void kernel_vm_release(struct psp *psp, int vm_fd)
{
	/* KVM issues DEACTIVATE and DECOMMISSION when the VM is destroyed. */
}

static void kernel_close(struct psp *psp)
{
	struct psp_kernel *pk = to_pk(psp);

	close(pk->sev_fd);
	if (pk->kvm_fd_owned)
		close(pk->kvm_fd);
	free(pk);
}

static int kernel_platform_info(struct psp *psp,
				struct psp_platform_info *pi)
{
	int r;

	/* Free ASIDs are not readable here (CPUID 0x8000001F ECX vs the
	 * misc cgroup): KVM_SEV_INIT tells. The split is for reports. */
	r = sev_host_cbitpos(&pi->cbitpos, &pi->reduced_phys_bits);
	if (!r)
		r = sev_host_asids(&pi->es, &pi->sev_asids, &pi->es_asids);
	return r;
}

static int kernel_update_vmsa(struct psp *psp, int vm_fd,
			      const struct psp_vmsa_set *set, u32 *fw_err)
{
	int r = set->prepare_vcpus ? set->prepare_vcpus(set->opaque) : 0;

	return r ?: sev_launch_update_vmsa(psp, vm_fd, fw_err);
}

/* KVM_SEV_GET_ATTESTATION_REPORT: KVM issues ATTESTATION (0x36). */
static int kernel_attestation(struct psp *psp, int vm_fd,
			      struct kvm_sev_attestation_report *ar,
			      u32 *fw_err)
{
	return kernel_vm_cmd(psp, vm_fd, KVM_SEV_GET_ATTESTATION_REPORT, ar,
			     fw_err);
}

static const struct psp_ops psp_kernel_ops = {
	.name		= "kernel",
	.platform_info	= kernel_platform_info,
	.update_vmsa	= kernel_update_vmsa,
	.attestation	= kernel_attestation,
	.release_note	= "KVM decommissions it when the VM is closed",
	.platform_cmd	= kernel_platform_cmd,
	.vm_type	= kernel_vm_type,
	.vm_init	= kernel_vm_init,
	.vm_cmd		= kernel_vm_cmd,
	.reg_region	= kernel_reg_region,
	.unreg_region	= kernel_unreg_region,
	.vm_release	= kernel_vm_release,
	.close		= kernel_close,
};

static void kernel_open_error(const char *path, int r)
{
	if (r == -ENOENT || r == -ENODEV || r == -ENXIO)
		pr_err("psp_open_kernel: open %s failed: %s: no SEV firmware device on this host; to use the emulated PSP instead run `sevm psp init --psp emulated:DIR`, then pass `--psp emulated:DIR`",
		       path, strerror(-r));
	else if (r == -EACCES || r == -EPERM)
		pr_err("psp_open_kernel: open %s failed: %s (SEV needs read-write access to it)",
		       path, strerror(-r));
	else
		pr_err("psp_open_kernel: open %s failed: %s", path,
		       strerror(-r));
}

int psp_kernel_probe(const char *dev)
{
	int fd = open(dev ? dev : SEV_DEV_DEFAULT, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

int psp_open_kernel(struct psp **psp, const char *dev)
{
	const char *path = dev ? dev : SEV_DEV_DEFAULT;
	struct psp_kernel *pk;
	int fd, r;

	*psp = NULL;
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		kernel_open_error(path, r);
		return r;
	}
	pk = calloc(1, sizeof(*pk));
	if (!pk) {
		pr_err("psp_open_kernel: %s: out of memory", path);
		close(fd);
		return -ENOMEM;
	}
	pk->sev_fd = fd;
	pk->kvm_fd = -1;
	pk->vm_types = -1;
	pk->psp.ops = &psp_kernel_ops;
	pk->psp.priv = pk;
	*psp = &pk->psp;
	return 0;
}
