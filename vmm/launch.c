// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SEV launch, part 1 (see launch.h, launch-priv.h): opening the PSP,
 * the platform checks that must pass before a VM is created, the guest
 * owner's input files, tear-down and the accessors.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sev/cert.h"
#include "vmm/metrics.h"
#include "vmm/launch-priv.h"
#include "lib/log.h"
#include "vmm/memory.h"

#define LAUNCH_FILE_MAX		(64 * 1024)

static const char *const state_names[] = {
	[SEV_LAUNCH_UNINIT]	= "uninit",
	[SEV_LAUNCH_UPDATE]	= "launch-update",
	[SEV_LAUNCH_SECRET]	= "launch-secret",
	[SEV_LAUNCH_RUNNING]	= "running",
};

const char *sev_launch_state_name(enum sev_launch_state s)
{
	if ((unsigned int)s < ARRAY_SIZE(state_names))
		return state_names[s];
	return "unknown";
}

static const char *gstate_name(u32 s)
{
	static const char *const names[] = {
		"UNINIT", "LUPDATE", "LSECRET", "RUNNING", "SUPDATE",
		"RUPDATE", "SENT",
	};

	return s < ARRAY_SIZE(names) ? names[s] : "UNKNOWN";
}

u64 launch_step_done(struct sev_launch *l, const char *name, u64 start_us)
{
	u64 now = time_us();

	metrics_span(name, start_us, now);	/* --metrics timeline */
	if (l->nr_steps < LAUNCH_MAX_STEPS)
		l->steps[l->nr_steps++] = (struct launch_step){
			.name = name, .start_us = start_us, .end_us = now,
		};
	else
		pr_debug("sev: timeline full, step %s not recorded", name);
	return now;
}

void launch_note_fw(struct sev_launch *l, u32 fw)
{
	if (fw != SEV_RET_SUCCESS && fw != (u32)SEV_RET_NO_FW_CALL)
		l->last_fw_err = (int)fw;
}

static enum sev_launch_state launch_state_of(u32 gstate)
{
	switch (gstate) {
	case SEV_GSTATE_LUPDATE:
		return SEV_LAUNCH_UPDATE;
	case SEV_GSTATE_LSECRET:
		return SEV_LAUNCH_SECRET;
	case SEV_GSTATE_RUNNING:
		return SEV_LAUNCH_RUNNING;
	default:
		return SEV_LAUNCH_UNINIT;
	}
}

int launch_expect_state(struct sev_launch *l, u32 want, const char *when)
{
	struct kvm_sev_guest_status st;
	u32 fw;
	int r;

	r = sev_guest_status(l->psp, l->vm_fd, &st, &fw);
	if (r) {
		launch_note_fw(l, fw);
		return r;
	}
	l->info.state = launch_state_of(st.state);
	if (st.state == want)
		return 0;
	pr_err("sev: GUEST_STATUS %s: handle %u is in state %s, expected %s",
	       when, st.handle, gstate_name(st.state), gstate_name(want));
	return -EPROTO;
}

/* --- the guest owner's files: binary, or base64 text (libvirt) */

static int read_owner_file(const char *opt, const char *path, size_t want,
			   u8 **out, size_t *out_len)
{
	u8 *buf = NULL;
	size_t len = 0;
	int r;

	r = read_file_binary_or_base64(path, &buf, &len, LAUNCH_FILE_MAX);
	if (r)
		pr_err("%s %s: %s", opt, path, r == -EBADMSG ?
		       "not valid base64 (a text file must decode)" :
		       strerror(-r));
	else if (len != want)
		pr_err("%s %s: wrong length (%zu bytes, expected %zu; binary or base64)",
		       opt, path, len, want);
	if (r || len != want) {
		free(buf);
		return r == -ENOMEM ? r : -EINVAL;
	}
	*out = buf;
	*out_len = len;
	return 0;
}

static int launch_read_inputs(struct sev_launch *l)
{
	const struct sev_config *sev = &l->cfg->sev;
	int r = 0;

	if (sev->dh_cert)
		r = read_owner_file("--sev-dh-cert", sev->dh_cert,
				    SEV_CERT_SIZE, &l->dh_cert, &l->dh_len);
	if (!r && sev->session)
		r = read_owner_file("--sev-session", sev->session,
				    SEV_SESSION_SIZE, &l->session,
				    &l->session_len);
	return r;
}

/* --- platform checks */

static int launch_open_psp(struct sev_launch *l)
{
	const struct sev_config *sev = &l->cfg->sev;
	int r;

	if (sev->psp == PSP_EMULATED)
		r = psp_open_emulated(&l->psp, sev->psp_dir);
	else
		r = psp_open_kernel(&l->psp, NULL);
	if (r == -ENOSYS)
		pr_err("sev: the %s PSP backend is not built in (Kconfig)",
		       sev->psp == PSP_EMULATED ? "emulated" : "kernel");
	else if (r == -ENOMEM)
		pr_err("sev: opening the PSP: out of memory");
	return r;
}

/* PLATFORM_STATUS: usable, and CONFIG.ES for an SEV-ES guest. */
static int launch_check_status(struct sev_launch *l,
			       struct sev_user_data_status *st)
{
	u32 fw;
	int r;

	r = sev_platform_status(l->psp, st, &fw);
	if (r) {
		launch_note_fw(l, fw);
		return r == -EINVAL ? -EIO : r;
	}
	l->info.api_major = st->api_major;
	l->info.api_minor = st->api_minor;
	l->info.build = st->build;
	if (st->state > SEV_PSTATE_WORKING) {
		pr_err("sev: PLATFORM_STATUS reports unknown platform state %u",
		       st->state);
		return -EIO;
	}
	/* An UNINIT platform is INITed with SEV-ES at KVM_SEV_INIT. */
	if (l->info.es && st->state != SEV_PSTATE_UNINIT &&
	    !(st->flags & SEV_STATUS_FLAGS_CONFIG_ES)) {
		pr_err("sev: --sev-es: the SEV platform was initialised without SEV-ES (PLATFORM_STATUS flags 0x%x lack CONFIG.ES)",
		       st->flags);
		return -EOPNOTSUPP;
	}
	return 0;
}

/* C-bit and reduced physical address bits: QEMU's rules. */
static int launch_check_cbit(struct sev_launch *l, u32 cbit, u32 reduced)
{
	const struct sev_config *sev = &l->cfg->sev;

	if (sev->cbitpos >= 0 && sev_check_cbitpos((u32)sev->cbitpos, cbit))
		return -EINVAL;
	if (sev->reduced_phys_bits >= 0)
		reduced = (u32)sev->reduced_phys_bits;
	else if (reduced < 1 || reduced > 63)
		reduced = 1;	/* what QEMU reports */
	if (sev_check_reduced_phys_bits(reduced))
		return -EINVAL;
	l->info.cbitpos = cbit;
	l->info.reduced_phys_bits = reduced;
	return 0;
}

/* Guest slots, where the platform tells how many it has. */
static int launch_check_slots(struct sev_launch *l,
			      const struct psp_platform_info *pi, u32 in_use)
{
	if (!pi->max_guests) {
		pr_debug("sev: the %s PSP does not tell its free guest slots; KVM_SEV_INIT will",
			 l->psp->ops->name);
		return 0;
	}
	if (in_use < pi->max_guests)
		return 0;
	pr_err("sev: %s PSP: all %u guest slots in use (%s)",
	       l->psp->ops->name, pi->max_guests, pi->slots_hint ?: "");
	return -EBUSY;
}

static int launch_check_platform(struct sev_launch *l, u64 ram_size)
{
	struct sev_user_data_status st;
	struct psp_platform_info pi;
	int r;

	r = launch_check_status(l, &st);
	if (!r)
		r = sev_platform_info(l->psp, &pi);
	if (!r)
		r = launch_check_cbit(l, pi.cbitpos, pi.reduced_phys_bits);
	if (!r)
		r = launch_check_slots(l, &pi, st.guest_count);
	return r ?: mem_check_memlock(ram_size);
}

int sev_launch_open(struct sev_launch **out, const struct vm_config *cfg,
		    u64 ram_size)
{
	struct sev_launch *l;
	u64 t0 = time_us();
	int r;

	*out = NULL;
	if (!cfg->firmware) {
		pr_err("sev: an SEV guest needs --firmware: a direct kernel boot cannot be measured");
		return -EINVAL;
	}
	l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	l->cfg = cfg;
	l->vm_fd = -1;
	l->info.es = cfg->sev.es;
	l->info.policy = cfg->sev.policy;
	r = launch_read_inputs(l);
	if (!r)
		r = launch_open_psp(l);
	if (!r)
		r = launch_check_platform(l, ram_size);
	if (r) {
		sev_launch_close(l);
		return r;
	}
	launch_step_done(l, "platform-checks", t0);
	pr_info("sev: %s PSP, API %u.%u build %u, C-bit %u, reduced-phys-bits %u%s (%llu us)",
		l->psp->ops->name, l->info.api_major, l->info.api_minor,
		l->info.build, l->info.cbitpos, l->info.reduced_phys_bits,
		l->info.es ? ", SEV-ES" : "",
		(unsigned long long)(time_us() - t0));
	*out = l;
	return 0;
}

u32 sev_launch_vm_type(const struct sev_launch *l)
{
	if (!l || !l->psp || !l->psp->ops->vm_type)
		return 0;
	return l->psp->ops->vm_type(l->psp, l->info.es);
}

/* Before LAUNCH_FINISH nothing may run: give the guest context back. */
static void launch_release(struct sev_launch *l)
{
	if (!l->started || l->info.state == SEV_LAUNCH_RUNNING)
		return;
	sev_vm_release(l->psp, l->vm_fd);
	pr_info("sev: guest context (handle %u) torn down before LAUNCH_FINISH (%s)",
		l->info.handle, sev_release_note(l->psp));
	l->started = false;
	l->info.state = SEV_LAUNCH_UNINIT;
}

void sev_launch_close(struct sev_launch *l)
{
	if (!l)
		return;
	if (l->psp)
		launch_release(l);
	psp_close(l->psp);
	free(l->dh_cert);
	free(l->session);
	memzero_explicit(l, sizeof(*l));
	free(l);
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
	*out = l->measurement;
	return 0;
}

int sev_launch_last_fw_err(const struct sev_launch *l)
{
	return l ? l->last_fw_err : 0;
}
