// SPDX-License-Identifier: GPL-2.0-only
/*
 * MSI-X (PCI 3.0 / PCIe): the capability, the vector table and the
 * pending-bit array inside the device's BARs. The table is kept as the
 * guest sees it (16 bytes per vector: address low, address high, data,
 * vector control); a vector fires when MSI-X is enabled and neither the
 * function nor the vector is masked, otherwise its pending bit is set
 * and it fires when unmasked.
 *
 * Firing goes through the host's MSI seam (struct pci_msi_ops). With
 * route operations each vector gets, the first time it fires, an MSI
 * route (GSI) carrying its address/data and an eventfd assigned to that
 * GSI with KVM_IRQFD; a message is then write(eventfd, 1). Table writes
 * only change the table: the route follows lazily, at the next message,
 * when the entry differs from what the route carries (one routing
 * commit per change, none for the vectors that never fire). A vector
 * whose route cannot be set up uses signal (KVM_SIGNAL_MSI) until MSI-X
 * is disabled, which releases every route and eventfd.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "devices/pci/pci-internal.h"
#include "lib/log.h"

#define MSIX_ENTRY_SIZE		16
#define MSIX_MAX_VECTORS	2048

/* A vector's irqfd route. */
struct msix_route {
	int efd;			/* -1: none */
	u32 gsi;
	u64 addr;			/* what the route carries */
	u32 data;
	bool failed;			/* signal until MSI-X is disabled */
};

struct pci_msix {
	pthread_mutex_t lock;
	u16 nr;
	u16 cap;			/* capability offset */
	u8 table_bar, pba_bar;
	u32 table_off, pba_off;
	bool enabled, fmask;		/* copies of the control bits */
	u8 *table;			/* nr * 16 bytes */
	u8 *pba;			/* (nr + 63) / 64 * 8 bytes */
	struct msix_route *routes;	/* nr */
};

static u32 msix_table_len(u16 nr)
{
	return (u32)nr * MSIX_ENTRY_SIZE;
}

static u32 msix_pba_len(u16 nr)
{
	return ((u32)nr + 63) / 64 * 8;
}

static bool msix_fits(const struct pci_dev *dev, unsigned int bar, u32 off,
		      u32 len)
{
	return bar < PCI_NUM_BARS && dev->bars[bar].type != PCI_BAR_NONE &&
	       dev->bars[bar].type != PCI_BAR_IO && IS_ALIGNED(off, 8) &&
	       (u64)off + len <= dev->bars[bar].size;
}

static bool msix_args_ok(const struct pci_dev *dev, u16 nr,
			 unsigned int tbar, u32 toff, unsigned int pbar,
			 u32 poff)
{
	if (!nr || nr > MSIX_MAX_VECTORS || dev->msix)
		return false;
	if (!msix_fits(dev, tbar, toff, msix_table_len(nr)) ||
	    !msix_fits(dev, pbar, poff, msix_pba_len(nr)))
		return false;
	return tbar != pbar || poff >= toff + msix_table_len(nr) ||
	       toff >= poff + msix_pba_len(nr);
}

/* Capability: control (table size RO; enable, function mask RW). */
static int msix_add_cap(struct pci_dev *dev, struct pci_msix *m)
{
	int off = pci_cap_add(dev, PCI_CAP_ID_MSIX, PCI_CAP_MSIX_SIZEOF);

	if (off < 0)
		return off;
	m->cap = (u16)off;
	pci_cfg_set(dev, off + PCI_MSIX_FLAGS, 2, m->nr - 1U);
	pci_cfg_set_wmask(dev, off + PCI_MSIX_FLAGS, 2,
			  PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);
	pci_cfg_set(dev, off + PCI_MSIX_TABLE, 4, m->table_off | m->table_bar);
	pci_cfg_set(dev, off + PCI_MSIX_PBA, 4, m->pba_off | m->pba_bar);
	return 0;
}

static void msix_free_mem(struct pci_msix *m)
{
	free(m->table);
	free(m->pba);
	free(m->routes);
	free(m);
}

/* Table, PBA and routes for nr vectors, all masked, no routes. */
static struct pci_msix *msix_alloc(u16 nr)
{
	struct pci_msix *m = calloc(1, sizeof(*m));
	u16 i;

	if (!m)
		return NULL;
	m->table = calloc(nr, MSIX_ENTRY_SIZE);
	m->pba = calloc(1, msix_pba_len(nr));
	m->routes = calloc(nr, sizeof(*m->routes));
	if (!m->table || !m->pba || !m->routes) {
		msix_free_mem(m);
		return NULL;
	}
	m->nr = nr;
	for (i = 0; i < nr; i++) {
		m->table[i * MSIX_ENTRY_SIZE + PCI_MSIX_ENTRY_VECTOR_CTRL] =
			PCI_MSIX_ENTRY_CTRL_MASKBIT;
		m->routes[i].efd = -1;
	}
	return m;
}

int pci_msix_init(struct pci_dev *dev, u16 nr, unsigned int table_bar,
		  u32 table_off, unsigned int pba_bar, u32 pba_off)
{
	struct pci_msix *m;
	int r;

	if (!msix_args_ok(dev, nr, table_bar, table_off, pba_bar, pba_off)) {
		pr_err("pci %s: MSI-X with %u vectors, table BAR%u+0x%x, PBA BAR%u+0x%x: invalid layout",
		       dev->name, nr, table_bar, table_off, pba_bar, pba_off);
		return -EINVAL;
	}
	m = msix_alloc(nr);
	if (!m) {
		pr_err("pci %s: MSI-X: %s", dev->name, strerror(ENOMEM));
		return -ENOMEM;
	}
	m->table_bar = (u8)table_bar;
	m->pba_bar = (u8)pba_bar;
	m->table_off = table_off;
	m->pba_off = pba_off;
	r = msix_add_cap(dev, m);
	if (r < 0) {
		msix_free_mem(m);
		return r;
	}
	pthread_mutex_init(&m->lock, NULL);
	dev->msix = m;
	return 0;
}

static bool msix_has_routes(const struct pci_host *host)
{
	const struct pci_msi_ops *o = host ? host->msi : NULL;

	return o && o->route_add && o->route_update && o->route_free &&
	       o->irqfd_assign && o->irqfd_deassign;
}

/* Release vector v's route and eventfd, if it has them. */
static void msix_route_put(struct pci_dev *dev, u16 v)
{
	struct msix_route *rt = &dev->msix->routes[v];
	const struct pci_msi_ops *o;
	void *opaque;

	if (rt->efd < 0)
		return;
	if (msix_has_routes(dev->host)) {
		o = dev->host->msi;
		opaque = dev->host->msi_opaque;
		o->irqfd_deassign(opaque, rt->efd, rt->gsi);
		o->route_free(opaque, rt->gsi);
	}
	close(rt->efd);
	rt->efd = -1;
}

/* Every vector: no route, and the next message tries to set one up. */
static void msix_routes_put(struct pci_dev *dev)
{
	u16 v;

	for (v = 0; v < dev->msix->nr; v++) {
		msix_route_put(dev, v);
		dev->msix->routes[v].failed = false;
	}
}

void pci_msix_free(struct pci_dev *dev)
{
	struct pci_msix *m = dev->msix;

	if (!m)
		return;
	msix_routes_put(dev);
	pthread_mutex_destroy(&m->lock);
	msix_free_mem(m);
	dev->msix = NULL;
}

static u32 msix_entry_u32(const struct pci_msix *m, u16 v, u32 field)
{
	const u8 *p = &m->table[v * MSIX_ENTRY_SIZE + field];

	return p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static bool msix_masked(const struct pci_msix *m, u16 v)
{
	return !m->enabled || m->fmask ||
	       (m->table[v * MSIX_ENTRY_SIZE + PCI_MSIX_ENTRY_VECTOR_CTRL] &
		PCI_MSIX_ENTRY_CTRL_MASKBIT);
}

static bool msix_pending(const struct pci_msix *m, u16 v)
{
	return m->pba[v / 8] & (1U << (v % 8));
}

static void msix_set_pending(struct pci_msix *m, u16 v, bool on)
{
	if (on)
		m->pba[v / 8] |= (u8)(1U << (v % 8));
	else
		m->pba[v / 8] &= (u8)~(1U << (v % 8));
}

/* A new route for vector v: GSI, eventfd, irqfd. */
static int msix_route_new(struct pci_dev *dev, u16 v, u64 addr, u32 data)
{
	struct msix_route *rt = &dev->msix->routes[v];
	const struct pci_msi_ops *o = dev->host->msi;
	void *opaque = dev->host->msi_opaque;
	int efd, r;

	r = o->route_add(opaque, addr, data, &rt->gsi);
	if (r < 0)
		return r;
	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (efd < 0) {
		r = -errno;
		pr_err("pci %s: MSI-X vector %u: eventfd: %s", dev->name, v,
		       strerror(-r));
	} else {
		r = o->irqfd_assign(opaque, efd, rt->gsi);
	}
	if (r < 0) {
		if (efd >= 0)
			close(efd);
		o->route_free(opaque, rt->gsi);
		return r;
	}
	rt->efd = efd;
	return 0;
}

/* Vector v's route, carrying addr/data; on failure v falls back. */
static int msix_route_get(struct pci_dev *dev, u16 v, u64 addr, u32 data)
{
	struct msix_route *rt = &dev->msix->routes[v];
	int r;

	if (rt->failed)
		return -ENOENT;
	if (rt->efd < 0)
		r = msix_route_new(dev, v, addr, data);
	else if (rt->addr != addr || rt->data != data)
		r = dev->host->msi->route_update(dev->host->msi_opaque,
						 rt->gsi, addr, data);
	else
		return 0;
	if (r < 0) {
		msix_route_put(dev, v);
		rt->failed = true;
		return r;
	}
	rt->addr = addr;
	rt->data = data;
	return 0;
}

static int msix_kick(struct pci_dev *dev, u16 v)
{
	int efd = dev->msix->routes[v].efd;
	u64 one = 1;
	int err;

	if (write(efd, &one, sizeof(one)) == (ssize_t)sizeof(one))
		return 0;
	err = errno;
	pr_err("pci %s: MSI-X vector %u: write to irqfd %d: %s", dev->name,
	       v, efd, strerror(err));
	return -err;
}

/* Send vector v now; m->lock held. */
static int msix_deliver(struct pci_dev *dev, u16 v)
{
	const struct pci_msix *m = dev->msix;
	struct pci_host *host = dev->host;
	u64 addr;
	u32 data;

	if (!host || !host->msi)
		return -ENODEV;
	addr = msix_entry_u32(m, v, PCI_MSIX_ENTRY_LOWER_ADDR) |
	       (u64)msix_entry_u32(m, v, PCI_MSIX_ENTRY_UPPER_ADDR) << 32;
	data = msix_entry_u32(m, v, PCI_MSIX_ENTRY_DATA);
	if (msix_has_routes(host) && !msix_route_get(dev, v, addr, data) &&
	    !msix_kick(dev, v))
		return 0;
	if (!host->msi->signal)
		return -ENODEV;
	return host->msi->signal(host->msi_opaque, addr, data,
				 (u32)dev->bus << 8 | dev->devfn);
}

/* Deliver every pending vector that is no longer masked. */
static void msix_flush(struct pci_dev *dev)
{
	struct pci_msix *m = dev->msix;
	u16 v;

	for (v = 0; v < m->nr; v++) {
		if (msix_pending(m, v) && !msix_masked(m, v)) {
			msix_set_pending(m, v, false);
			msix_deliver(dev, v);
		}
	}
}

int pci_msix_notify(struct pci_dev *dev, u16 vector)
{
	struct pci_msix *m = dev->msix;
	int r = 0;

	if (!m || vector >= m->nr) {
		pr_err("pci %s: MSI-X notify vector %u: %s", dev->name,
		       vector, m ? "out of range" : "no MSI-X");
		return -EINVAL;
	}
	pthread_mutex_lock(&m->lock);
	if (msix_masked(m, vector))
		msix_set_pending(m, vector, true);
	else
		r = msix_deliver(dev, vector);
	pthread_mutex_unlock(&m->lock);
	return r;
}

bool pci_msix_enabled(struct pci_dev *dev)
{
	struct pci_msix *m = dev->msix;
	bool on;

	if (!m)
		return false;
	pthread_mutex_lock(&m->lock);
	on = m->enabled && !m->fmask;
	pthread_mutex_unlock(&m->lock);
	return on;
}

bool pci_msix_vector_masked(struct pci_dev *dev, u16 vector)
{
	struct pci_msix *m = dev->msix;
	bool masked;

	if (!m || vector >= m->nr)
		return true;
	pthread_mutex_lock(&m->lock);
	masked = msix_masked(m, vector);
	pthread_mutex_unlock(&m->lock);
	return masked;
}

void pci_msix_cfg_written(struct pci_dev *dev, u32 reg, u32 len)
{
	struct pci_msix *m = dev->msix;
	u16 ctrl;

	if (!m || reg + len <= (u32)m->cap + PCI_MSIX_FLAGS ||
	    reg >= m->cap + PCI_MSIX_FLAGS + 2U)
		return;
	ctrl = (u16)pci_cfg_get(dev, m->cap + PCI_MSIX_FLAGS, 2);
	pthread_mutex_lock(&m->lock);
	if (m->enabled && !(ctrl & PCI_MSIX_FLAGS_ENABLE))
		msix_routes_put(dev);
	m->enabled = ctrl & PCI_MSIX_FLAGS_ENABLE;
	m->fmask = ctrl & PCI_MSIX_FLAGS_MASKALL;
	msix_flush(dev);
	pthread_mutex_unlock(&m->lock);
}

/* A guest write to the table: reserved control bits stay zero. */
static void msix_table_write(struct pci_dev *dev, u32 off, const u8 *data,
			     u32 len)
{
	struct pci_msix *m = dev->msix;
	u32 i, ctrl;

	for (i = 0; i < len; i++) {
		ctrl = (off + i) % MSIX_ENTRY_SIZE;
		if (ctrl == PCI_MSIX_ENTRY_VECTOR_CTRL)
			m->table[off + i] = data[i] &
					    PCI_MSIX_ENTRY_CTRL_MASKBIT;
		else if (ctrl < PCI_MSIX_ENTRY_VECTOR_CTRL)
			m->table[off + i] = data[i];
	}
	msix_flush(dev);
}

/* [offset, offset + len) inside [start, start + n): the part clipped. */
static bool msix_hit(u64 offset, u32 len, u32 start, u32 n, u32 *rel,
		     u32 *cnt)
{
	if (offset < start || offset >= (u64)start + n)
		return false;
	*rel = (u32)(offset - start);
	*cnt = MIN(len, n - *rel);
	return true;
}

bool pci_msix_bar_io(struct pci_dev *dev, unsigned int bar, u64 offset,
		     void *data, u32 len, bool is_write)
{
	struct pci_msix *m = dev->msix;
	u32 rel, cnt;

	if (!m)
		return false;
	pthread_mutex_lock(&m->lock);
	if (bar == m->table_bar && msix_hit(offset, len, m->table_off,
					    msix_table_len(m->nr), &rel,
					    &cnt)) {
		if (!is_write)
			memcpy(data, &m->table[rel], cnt);
		else
			msix_table_write(dev, rel, data, cnt);
	} else if (bar == m->pba_bar && msix_hit(offset, len, m->pba_off,
						 msix_pba_len(m->nr), &rel,
						 &cnt)) {
		if (!is_write)
			memcpy(data, &m->pba[rel], cnt);
	} else {
		pthread_mutex_unlock(&m->lock);
		return false;
	}
	if (!is_write && cnt < len)
		memset((u8 *)data + cnt, 0, len - cnt);
	pthread_mutex_unlock(&m->lock);
	return true;
}
