// SPDX-License-Identifier: GPL-2.0-only
/*
 * The VM lifecycle (vm.h): init, devices, load, vCPUs, start, run, stop
 * and destroy. Nothing on the start-up path touches guest RAM unless
 * --lock-memory asks for it, so launch time does not grow with RAM size.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "devices/fw_cfg.h"
#include "lib/log.h"
#include "vmm/metrics.h"
#include "vmm/vm.h"

#define VM_DEFAULT_KVM_PATH	"/dev/kvm"
#define VM_LOCK_THREADS		2

static const char *const vm_stop_names[] = {
	[VM_STOP_NONE]		= "none",
	[VM_STOP_POWEROFF]	= "poweroff",
	[VM_STOP_RESET]		= "reset",
	[VM_STOP_TESTEXIT]	= "test-exit",
	[VM_STOP_SIGNAL]	= "signal",
	[VM_STOP_ERROR]		= "error",
	[VM_STOP_QUIT]		= "quit",
	[VM_STOP_SEV]		= "sev-launch-failed",
};

const char *vm_stop_reason_name(enum vm_stop_reason reason)
{
	if ((unsigned int)reason < ARRAY_SIZE(vm_stop_names))
		return vm_stop_names[reason];
	return "unknown";
}

int vm_exit_code(enum vm_stop_reason reason, int guest_status)
{
	switch (reason) {
	case VM_STOP_POWEROFF:
	case VM_STOP_RESET:
	case VM_STOP_SIGNAL:
	case VM_STOP_QUIT:
		return EXIT_OK;
	case VM_STOP_SEV:
		return EXIT_SEV;
	case VM_STOP_TESTEXIT:
		if (guest_status == 0)
			return EXIT_OK;
		if (guest_status >= 1 && guest_status <= 63)
			return EXIT_GUEST_BASE + guest_status;
		return 127;
	case VM_STOP_NONE:
	case VM_STOP_ERROR:
		break;
	}
	return EXIT_INTERNAL;
}

bool vm_stopping(const struct vm *vm)
{
	return atomic_load(&vm->stop_reason) != VM_STOP_NONE;
}

/* Parked vCPUs and a vm_pause() waiting for them re-check their state. */
static void vm_wake_parked(struct vm *vm)
{
	if (!(vm->done & VM_DONE_SYNC))
		return;
	pthread_mutex_lock(&vm->pause_lock);
	pthread_cond_broadcast(&vm->pause_cond);
	pthread_mutex_unlock(&vm->pause_lock);
}

void vm_request_stop(struct vm *vm, enum vm_stop_reason reason, int status)
{
	int none = VM_STOP_NONE;
	u64 one = 1;

	if (!atomic_compare_exchange_strong(&vm->stop_reason, &none,
					    (int)reason))
		return;		/* an earlier reason stands */
	vm->guest_status = status;
	if (vm->done & VM_DONE_FDS && write(vm->stop_fd, &one, sizeof(one)) < 0)
		pr_err("request VM stop (%s): write stop eventfd: %s",
		       vm_stop_reason_name(reason), strerror(errno));
	vm_wake_parked(vm);
}

void vm_pause(struct vm *vm)
{
	u32 i, started = 0;

	if (!(vm->done & VM_DONE_SYNC))
		return;
	atomic_store(&vm->pause_req, true);
	for (i = 0; i < vm->nr_vcpus; i++) {
		if (!vm->vcpus[i].started)
			continue;
		vcpu_kick(&vm->vcpus[i]);
		started++;
	}
	pthread_mutex_lock(&vm->pause_lock);
	while (vm->nr_parked < started && !vm_stopping(vm))
		pthread_cond_wait(&vm->pause_cond, &vm->pause_lock);
	pthread_mutex_unlock(&vm->pause_lock);
}

void vm_resume(struct vm *vm)
{
	if (!(vm->done & VM_DONE_SYNC))
		return;
	pthread_mutex_lock(&vm->pause_lock);
	atomic_store(&vm->pause_req, false);
	pthread_cond_broadcast(&vm->pause_cond);
	pthread_mutex_unlock(&vm->pause_lock);
}

static int vm_on_stop(struct loop *loop, int fd, u32 events, void *opaque)
{
	u64 count;

	if (read(fd, &count, sizeof(count)) < 0 && errno != EAGAIN)
		return -errno;
	loop_stop(loop, 0);
	return 0;
}

static int vm_on_signal(struct loop *loop, int fd, u32 events, void *opaque)
{
	struct signalfd_siginfo si;
	struct vm *vm = opaque;

	while (read(fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		pr_warn("terminating on signal %u (%s)", si.ssi_signo,
			strsignal((int)si.ssi_signo));
		vm_request_stop(vm, VM_STOP_SIGNAL, (int)si.ssi_signo);
	}
	return 0;
}

/* The stop eventfd and the SIGTERM/SIGINT signalfd, watched by the loop. */
static int vm_init_events(struct vm *vm)
{
	sigset_t set;
	int r;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	vm->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (vm->stop_fd >= 0)
		vm->signal_fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (vm->stop_fd < 0 || vm->signal_fd < 0) {
		r = -errno;
		pr_err("create the VM's %s: %s", vm->stop_fd < 0 ?
		       "stop eventfd" : "signalfd", strerror(-r));
		return r;
	}
	vm->done |= VM_DONE_FDS;
	r = loop_init(&vm->loop);
	if (r < 0)
		return r;
	vm->done |= VM_DONE_LOOP;
	r = loop_add(&vm->loop, vm->stop_fd, EPOLLIN, vm_on_stop, vm);
	if (!r)
		r = loop_add(&vm->loop, vm->signal_fd, EPOLLIN, vm_on_signal,
			     vm);
	return r;
}

static int vm_init_memory(struct vm *vm, const struct vm_config *cfg)
{
	int r;

	if (cfg->lock_memory) {
		r = mem_check_memlock(cfg->mem_size);
		if (r < 0)
			return r;
	}
	r = mem_alloc(&vm->mem, cfg->mem_size, cfg->hugepages);
	if (r < 0)
		return r;
	vm->done |= VM_DONE_MEM;
	if (cfg->lock_memory)
		r = mem_lock(&vm->mem, VM_LOCK_THREADS);
	return r;
}

int vm_init(struct vm *vm, struct vm_config *cfg)
{
	int r;

	vm->cfg = cfg;
	vm->stop_fd = vm->signal_fd = -1;
	atomic_store(&vm->stop_reason, VM_STOP_NONE);
	r = cpuid_parse_mask(cfg->cpuid_mask ? cfg->cpuid_mask :
			     CONFIG_DEFAULT_CPUID_MASK, &vm->cpuid_mask);
	if (r < 0)
		return r;
	/* Before any thread (memory lockers, vCPUs) exists. */
	r = vcpu_signals_init();
	if (r < 0)
		return r;
	/* The CPUID query overlaps the rest (vm_setup_vcpus waits). */
	r = kvm_open_nowait(&vm->kvm, cfg->kvm_path ? cfg->kvm_path :
		     VM_DEFAULT_KVM_PATH);
	if (r < 0)
		return r;
	vm->done |= VM_DONE_KVM;
	r = kvm_create_vm(&vm->kvm, vm->vm_type);
	if (r < 0)
		return r;
	r = vm_init_memory(vm, cfg);
	if (r < 0)
		return r;
	bus_init(&vm->pio, "pio");
	bus_init(&vm->mmio, "mmio");
	vm->done |= VM_DONE_BUS;
	r = vm_init_events(vm);
	if (!r)
		metrics_mark("kvm-ready");
	return r;
}

int vm_init_devices(struct vm *vm)
{
	int r = devices_init(vm);

	if (r < 0)
		return r;
	vm->done |= VM_DONE_DEVICES;
	metrics_mark("devices-ready");
	return 0;
}

/*
 * Firmware + kernel: the hand-off that boot_load wrote at LAYOUT_HANDOFF
 * also goes to fw_cfg, where the firmware reads it first (through the
 * data port, which needs no shared memory under SEV).
 */
static int vm_publish_handoff(struct vm *vm)
{
	struct fw_cfg *fw = fw_cfg_of(vm);
	const void *ho;
	int r;

	if (!fw || !vm->images.firmware.size || !vm->images.kernel.size)
		return 0;
	ho = mem_gpa_to_hva(&vm->mem, LAYOUT_HANDOFF,
			    sizeof(struct sevm_handoff));
	if (!ho)
		return -EFAULT;
	r = fw_cfg_add_file(fw, SEVM_FWCFG_HANDOFF, ho,
			    sizeof(struct sevm_handoff));
	if (r)
		pr_err("fw_cfg: add %s: %s", SEVM_FWCFG_HANDOFF, strerror(-r));
	return r;
}

int vm_load(struct vm *vm)
{
	int r;

	if (!(vm->done & VM_DONE_MEM))
		return -EINVAL;
	/* boot_load may add the ROM region, so map the slots after it. */
	r = boot_load(&vm->mem, &vm->images, &vm->fw, &vm->entry);
	if (r < 0)
		return r;
	r = vm_publish_handoff(vm);
	if (r < 0)
		return r;
	r = mem_map(&vm->mem, vm->kvm.vm_fd);
	if (r < 0)
		return r;
	/* After the slots (see kvm.h), before the vCPUs. */
	r = kvm_create_irqchip(&vm->kvm);
	if (r < 0)
		return r;
	r = irq_init(&vm->irq, vm->kvm.vm_fd);
	if (r < 0)
		return r;
	vm->done |= VM_DONE_IRQ | VM_DONE_LOADED;
	metrics_mark("images-loaded");
	return 0;
}

/* min(CONFIG_MAX_VCPUS, what KVM allows); names the binding limit. */
static u32 vm_max_vcpus(const struct vm *vm, const char **what)
{
	int kvm_max = kvm_check_extension(&vm->kvm, KVM_CAP_MAX_VCPUS);

	if (kvm_max <= 0)
		kvm_max = kvm_check_extension(&vm->kvm, KVM_CAP_NR_VCPUS);
	if (kvm_max <= 0)
		kvm_max = 4;	/* the KVM API's documented fallback */
	if ((u32)kvm_max < CONFIG_MAX_VCPUS) {
		*what = "KVM_CAP_MAX_VCPUS of this host";
		return (u32)kvm_max;
	}
	*what = "CONFIG_MAX_VCPUS of this build";
	return CONFIG_MAX_VCPUS;
}

int vm_setup_vcpus(struct vm *vm)
{
	u32 i, nr = vm->cfg->cpus, max;
	const char *what;
	int r;

	r = kvm_wait_cpuid(&vm->kvm);
	if (r < 0)
		return r;
	max = vm_max_vcpus(vm, &what);
	if (nr < 1 || nr > max) {
		pr_err("set up %u vCPUs: %s (the limit is %u, the %s)", nr,
		       nr ? "too many" : "need at least one", max, what);
		return -EINVAL;
	}
	if (!(vm->done & VM_DONE_LOADED) || vm->vcpus)
		return -EINVAL;
	/* What vm_pause/vm_resume and the vCPU threads share. */
	atomic_store(&vm->pause_req, false);
	pthread_mutex_init(&vm->pause_lock, NULL);
	pthread_cond_init(&vm->pause_cond, NULL);
	vm->done |= VM_DONE_SYNC;
	vm->vcpus = calloc(nr, sizeof(*vm->vcpus));
	if (!vm->vcpus)
		return -ENOMEM;
	for (i = 0; i < nr; i++)
		vm->vcpus[i].fd = -1;
	vm->nr_vcpus = nr;
	for (i = 0; i < nr; i++) {
		r = vcpu_create(vm, i, &vm->vcpus[i]);
		if (!r)
			r = vcpu_set_boot_state(&vm->vcpus[i], &vm->entry);
		if (r < 0)
			return r;
	}
	metrics_mark("vcpus-created");
	return 0;
}

int vm_start(struct vm *vm)
{
	u32 i;
	int r;

	if (!vm->nr_vcpus)
		return -EINVAL;
	for (i = 0; i < vm->nr_vcpus; i++) {
		r = vcpu_start(&vm->vcpus[i]);
		if (r < 0)
			return r;	/* vm_destroy stops the others */
	}
	metrics_mark("vcpus-started");
	return 0;
}

void vm_stop_vcpus(struct vm *vm)
{
	u32 i;

	vm_wake_parked(vm);
	for (i = 0; i < vm->nr_vcpus; i++)
		vcpu_kick(&vm->vcpus[i]);
	for (i = 0; i < vm->nr_vcpus; i++)
		vcpu_join(&vm->vcpus[i]);
}

int vm_run(struct vm *vm)
{
	enum vm_stop_reason reason;
	int r;

	if (!(vm->done & VM_DONE_LOOP))
		return EXIT_INTERNAL;
	r = loop_run(&vm->loop);
	if (r < 0)
		vm_request_stop(vm, VM_STOP_ERROR, 0);
	vm_stop_vcpus(vm);
	reason = (enum vm_stop_reason)atomic_load(&vm->stop_reason);
	pr_info("VM stopped: %s, guest status %d", vm_stop_reason_name(reason),
		vm->guest_status);
	return vm_exit_code(reason, vm->guest_status);
}

static void vm_destroy_vcpus(struct vm *vm)
{
	u32 i;

	if (!vm->vcpus)
		return;
	/* Threads still running (vm_run never ran): make them stop. */
	vm_request_stop(vm, VM_STOP_ERROR, 0);
	vm_stop_vcpus(vm);
	for (i = 0; i < vm->nr_vcpus; i++)
		vcpu_destroy(&vm->vcpus[i]);
	free(vm->vcpus);
	vm->vcpus = NULL;
	vm->nr_vcpus = 0;
}

void vm_destroy(struct vm *vm)
{
	vm_destroy_vcpus(vm);
	if (vm->done & VM_DONE_DEVICES)
		devices_exit(vm);
	if (vm->done & VM_DONE_IRQ)
		irq_free(&vm->irq);
	if (vm->done & VM_DONE_LOOP)
		loop_free(&vm->loop);
	if (vm->done & VM_DONE_FDS) {
		close(vm->signal_fd);
		close(vm->stop_fd);
	} else {
		if (vm->signal_fd > 0)
			close(vm->signal_fd);
		if (vm->stop_fd > 0)
			close(vm->stop_fd);
	}
	vm->signal_fd = vm->stop_fd = -1;
	if (vm->done & VM_DONE_SYNC) {
		pthread_cond_destroy(&vm->pause_cond);
		pthread_mutex_destroy(&vm->pause_lock);
	}
	if (vm->done & VM_DONE_BUS) {
		bus_free(&vm->mmio);
		bus_free(&vm->pio);
	}
	if (vm->done & VM_DONE_MEM)
		mem_free(&vm->mem);
	if (vm->done & VM_DONE_KVM)
		kvm_close(&vm->kvm);
	vm->done = 0;
}
