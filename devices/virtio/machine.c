// SPDX-License-Identifier: GPL-2.0-only
/*
 * The configured virtio-pci devices (see machine.h). The virtio console
 * writes where the UART writes (--serial: stdout, the file, nowhere) and
 * is a second sink of the console input (--serial stdio).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "devices/console-input.h"
#include "devices/pci/pci.h"
#include "devices/uart16550.h"
#include "devices/virtio/blk.h"
#include "devices/virtio/console.h"
#include "devices/virtio/iommu.h"
#include "devices/virtio/machine.h"
#include "devices/virtio/net.h"
#include "devices/virtio/pci.h"
#include "devices/virtio/rng.h"
#include "devices/virtio/vsock.h"
#include "lib/log.h"
#include "vmm/config.h"
#include "vmm/iothread.h"
#include "vmm/vm.h"

struct vpci_machine {
	struct iothread *iot;
	struct virtio_pci *devs[CONFIG_MAX_DEVICES];
	unsigned int nr;
	int null_fd;			/* console output for --serial none */
	struct console_input *ci;	/* fed a virtio console */
	struct viommu *iommu;		/* --device virtio-iommu, or NULL */
	struct virtio_pci *iommu_vp;
};

/* config_device_type_name without linking the config parser. */
static const char *vpci_type_name(enum devcfg_type type)
{
	static const char *const names[DEVCFG_NR] = {
		[DEVCFG_VIRTIO_BLK] = "virtio-blk",
		[DEVCFG_VIRTIO_RNG] = "virtio-rng",
		[DEVCFG_VIRTIO_CONSOLE] = "virtio-console",
		[DEVCFG_VIRTIO_NET] = "virtio-net",
		[DEVCFG_VSOCK] = "vsock",
		[DEVCFG_VIRTIO_IOMMU] = "virtio-iommu",
	};

	return (unsigned int)type < DEVCFG_NR ? names[type] : "?";
}

static bool vpci_machine_present(const struct vm_config *cfg)
{
	return cfg->nr_devices > 0;
}

/* The UART's output fd, or what it would be without the UART. */
static int vpci_console_fd(struct vm *vm, struct vpci_machine *m)
{
	struct uart16550 *uart = NULL;
	int fd;

#ifdef CONFIG_DEV_UART16550
	uart = uart16550_get(vm);
#endif
	fd = uart ? uart16550_out_fd(uart) :
	     vm->cfg->serial == SERIAL_STDIO ? STDOUT_FILENO : -1;
	if (fd >= 0)
		return fd;
	if (m->null_fd < 0)
		m->null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	return m->null_fd;
}

static size_t vpci_sink_space(void *opaque)
{
	return virtio_console_input_space(opaque);
}

static size_t vpci_sink_push(void *opaque, const u8 *buf, size_t len)
{
	return virtio_console_input(opaque, buf, len);
}

static int vpci_console_input(struct vm *vm, struct vpci_machine *m,
			      struct virtio_pci *vp)
{
	struct console_input *ci = NULL;
	struct console_sink sink = {
		.name = vp->vdev.ops->name, .space = vpci_sink_space,
		.push = vpci_sink_push, .opaque = &vp->vdev,
	};

#ifdef CONFIG_DEV_UART16550
	ci = console_input_get(vm);
#endif
	if (!ci)
		return 0;
	m->ci = ci;
	return console_input_add_sink(ci, &sink);
}

/* Set vp->vdev up as the device dc describes. */
static int vpci_device_init(struct vm *vm, struct vpci_machine *m,
			    const struct device_config *dc,
			    struct virtio_pci *vp)
{
	struct virtio_blk_conf blk = {
		.path = dc->file, .readonly = dc->readonly,
		.serial = dc->serial,
	};
	struct virtio_net_conf net = {
		.tap = dc->tap, .fd = dc->fd, .has_mac = dc->has_mac,
		.slot = dc->slot,
	};
	struct virtio_vsock_conf vsock = { .cid = dc->cid, .uds = dc->uds };
	struct dma_as *as = virtio_pci_dma(vp);
	bool sev = vm->cfg->sev.enabled;

	memcpy(net.mac, dc->mac, sizeof(net.mac));

	switch (dc->type) {
#ifdef CONFIG_VIRTIO_BLK
	case DEVCFG_VIRTIO_BLK:
		return virtio_blk_init(&vp->vdev, &blk, as, sev);
#endif
#ifdef CONFIG_VIRTIO_RNG
	case DEVCFG_VIRTIO_RNG:
		return virtio_rng_init(&vp->vdev, as, sev);
#endif
#ifdef CONFIG_VIRTIO_CONSOLE
	case DEVCFG_VIRTIO_CONSOLE:
		return virtio_console_init(&vp->vdev, vpci_console_fd(vm, m),
					   as, sev);
#endif
#ifdef CONFIG_VIRTIO_NET
	case DEVCFG_VIRTIO_NET:
		return virtio_net_init(&vp->vdev, &net, m->iot, as, sev);
#endif
#ifdef CONFIG_VIRTIO_VSOCK
	case DEVCFG_VSOCK:
		return virtio_vsock_init(&vp->vdev, &vsock, m->iot, as, sev);
#endif
#ifdef CONFIG_VIRTIO_IOMMU
	case DEVCFG_VIRTIO_IOMMU:
		m->iommu_vp = vp;
		return virtio_iommu_init(&vp->vdev, as, sev, dc->bypass,
					 &m->iommu);
#endif
	default:
		(void)blk;
		(void)net;
		(void)vsock;
		pr_err("virtio-pci: add %s at 00:%02x.0: not built in (Kconfig)",
		       vpci_type_name(dc->type), dc->slot);
		return -ENOTSUP;
	}
}

static int vpci_machine_add(struct vm *vm, struct vpci_machine *m,
			    const struct device_config *dc)
{
	struct virtio_pci *vp = virtio_pci_alloc();
	int r;

	if (!vp) {
		pr_err("virtio-pci: add %s: %s",
		       vpci_type_name(dc->type), strerror(ENOMEM));
		return -ENOMEM;
	}
	m->devs[m->nr++] = vp;
	r = vpci_device_init(vm, m, dc, vp);
	if (r)
		return r;
	r = virtio_pci_realize(vp, pci_host(vm), dc->slot, m->iot, &vm->irq);
	if (!r && dc->type == DEVCFG_VIRTIO_CONSOLE)
		r = vpci_console_input(vm, m, vp);
	return r;
}

/*
 * Every other function's DMA goes through the IOMMU: each becomes one of
 * its endpoints (requester ID = devfn on bus 0) with the IOMMU stage in
 * its struct dma_as. The IOMMU's own queues stay untranslated.
 */
static int vpci_attach_iommu(struct vpci_machine *m)
{
#ifdef CONFIG_VIRTIO_IOMMU
	struct dma_as *as;
	unsigned int i;
	int r;

	for (i = 0; m->iommu && i < m->nr; i++) {
		if (m->devs[i] == m->iommu_vp)
			continue;
		as = virtio_pci_dma(m->devs[i]);
		r = viommu_add_endpoint(m->iommu, as->endpoint,
					m->devs[i]->vdev.ops->name);
		if (r) {
			pr_err("virtio-iommu: add endpoint %s (0x%x): %s",
			       m->devs[i]->vdev.ops->name, as->endpoint,
			       strerror(-r));
			return r;
		}
		as->iommu = viommu_stage(m->iommu);
	}
#endif
	return 0;
}

static void vpci_machine_exit(struct vm *vm, void *priv)
{
	struct vpci_machine *m = priv;

#ifdef CONFIG_DEV_UART16550
	/* The console input thread must not push into a freed console. */
	if (m->ci)
		console_input_stop(m->ci);
#endif
	/* the IOMMU last: the others translate through it until freed */
	while (m->nr > 0) {
		if (m->devs[--m->nr] != m->iommu_vp)
			virtio_pci_free(m->devs[m->nr]);
	}
	virtio_pci_free(m->iommu_vp);
	iothread_stop(m->iot);
	if (m->null_fd >= 0)
		close(m->null_fd);
	free(m);
}

static int vpci_machine_init(struct vm *vm, void **priv)
{
	struct vpci_machine *m = calloc(1, sizeof(*m));
	unsigned int i;
	int r;

	if (!m) {
		pr_err("virtio-pci: init: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	m->null_fd = -1;
	if (!pci_host(vm)) {
		pr_err("virtio-pci: init: no PCI host (Kconfig PCI)");
		free(m);
		return -ENODEV;
	}
	r = iothread_start(&m->iot, "virtio-io");
	for (i = 0; !r && i < vm->cfg->nr_devices; i++)
		r = vpci_machine_add(vm, m, &vm->cfg->devices[i]);
	if (!r)
		r = vpci_attach_iommu(m);
	if (r) {
		vpci_machine_exit(vm, m);
		return r;
	}
	*priv = m;
	return 0;
}

const struct device_ops virtio_pci_machine_ops = {
	.name = VIRTIO_MACHINE_NAME,
	.present = vpci_machine_present,
	.init = vpci_machine_init,
	.exit = vpci_machine_exit,
};
