// SPDX-License-Identifier: GPL-2.0-only
/* The kernel seam of the PSP tests (see psp-seam.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <cmocka.h>

#include "tests/unit/psp-seam.h"

/* --- open/close seam */

int open_sev_ret = SEV_FD;	/* fd, or -errno */
int open_kvm_ret = KVM_FD;
int open_calls, open_flags;
char open_path[64];
int closed[MAX_CALLS], nclosed;

int __wrap_open(const char *path, int flags, ...)
{
	int ret = 0;
	va_list ap;
	mode_t mode;

	if (!strcmp(path, "/dev/kvm"))
		ret = open_kvm_ret;
	else if (!strcmp(path, "/dev/sev") || !strncmp(path, "/fake/", 6))
		ret = open_sev_ret;
	else {
		mode = 0;
		if (flags & (O_CREAT | O_TMPFILE)) {
			va_start(ap, flags);
			mode = va_arg(ap, mode_t);
			va_end(ap);
		}
		return __real_open(path, flags, mode);
	}
	open_calls++;
	open_flags = flags;
	snprintf(open_path, sizeof(open_path), "%s", path);
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return ret;
}

int __wrap_close(int fd)
{
	if (fd < FAKE_FD_BASE)
		return __real_close(fd);
	assert_true(nclosed < MAX_CALLS);
	closed[nclosed++] = fd;
	return 0;
}

/* --- ioctl seam: record, then answer from a script */

struct answer {
	int ret;		/* < 0: fail with errno err */
	int err;
	u32 fw;			/* written to .error unless KEEP_FW */
	void (*fill)(void *data);
};

struct call calls[MAX_CALLS];
static struct answer answers[MAX_CALLS];
int ncalls, nanswers;

void answer(int ret, int err, u32 fw, void (*fill)(void *data))
{
	assert_true(nanswers < MAX_CALLS);
	answers[nanswers++] = (struct answer){ ret, err, fw, fill };
}

static size_t sev_data_size(u32 cmd)
{
	switch (cmd) {
	case SEV_PLATFORM_STATUS:
		return sizeof(struct sev_user_data_status);
	case SEV_PEK_CSR:
		return sizeof(struct sev_user_data_pek_csr);
	case SEV_PDH_CERT_EXPORT:
		return sizeof(struct sev_user_data_pdh_cert_export);
	case SEV_PEK_CERT_IMPORT:
		return sizeof(struct sev_user_data_pek_cert_import);
	case SEV_GET_ID2:
		return sizeof(struct sev_user_data_get_id2);
	}
	return 0;
}

static size_t kvm_data_size(u32 id)
{
	switch (id) {
	case KVM_SEV_LAUNCH_START:
		return sizeof(struct kvm_sev_launch_start);
	case KVM_SEV_LAUNCH_UPDATE_DATA:
		return sizeof(struct kvm_sev_launch_update_data);
	case KVM_SEV_LAUNCH_SECRET:
		return sizeof(struct kvm_sev_launch_secret);
	case KVM_SEV_LAUNCH_MEASURE:
		return sizeof(struct kvm_sev_launch_measure);
	case KVM_SEV_GUEST_STATUS:
		return sizeof(struct kvm_sev_guest_status);
	case KVM_SEV_GET_ATTESTATION_REPORT:
		return sizeof(struct kvm_sev_attestation_report);
	case SEVM_KVM_SEV_INIT2:
		return sizeof(struct sevm_kvm_sev_init);
	}
	return 0;
}

/* Record *arg and the struct it points to; return that struct. */
static void *record(struct call *c, void *arg)
{
	void *data = NULL;
	size_t n = 0, sz = _IOC_SIZE(c->req);

	if (c->req == SEV_ISSUE_CMD) {
		struct sev_issue_cmd *ic = arg;

		data = (void *)(uintptr_t)ic->data;
		n = sev_data_size(ic->cmd);
	} else if (c->req == KVM_MEMORY_ENCRYPT_OP) {
		struct kvm_sev_cmd *kc = arg;

		sz = sizeof(*kc);	/* _IOC_SIZE says 8: a known ABI quirk */
		data = (void *)(uintptr_t)kc->data;
		n = kvm_data_size(kc->id);
	} else if (c->req == KVM_GET_DEVICE_ATTR) {
		data = (void *)(uintptr_t)((struct kvm_device_attr *)arg)->addr;
		n = sizeof(u64);
	} else if (c->req == KVM_CHECK_EXTENSION) {
		return NULL;
	}
	memcpy(c->arg, arg, sz);
	if (data && n)
		memcpy(c->data, data, n);
	return data;
}

static void set_error(unsigned long req, void *arg, u32 fw)
{
	if (fw == KEEP_FW)
		return;
	if (req == SEV_ISSUE_CMD)
		((struct sev_issue_cmd *)arg)->error = fw;
	else if (req == KVM_MEMORY_ENCRYPT_OP)
		((struct kvm_sev_cmd *)arg)->error = fw;
}

int __wrap_ioctl(int fd, unsigned long req, ...)
{
	struct answer *a;
	struct call *c;
	void *arg, *data;
	va_list ap;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	assert_true(ncalls < nanswers);		/* an unscripted ioctl */
	c = &calls[ncalls];
	a = &answers[ncalls++];
	c->fd = fd;
	c->req = req;
	c->argval = (unsigned long)arg;
	data = record(c, arg);
	if (a->fill)
		a->fill(data);
	set_error(req, arg, a->fw);
	if (a->ret < 0) {
		errno = a->err;
		return -1;
	}
	return a->ret;
}

/* Accessors for recorded structs. */
struct kvm_sev_cmd call_cmd(int i)
{
	struct kvm_sev_cmd c;

	assert_int_equal(calls[i].req, KVM_MEMORY_ENCRYPT_OP);
	memcpy(&c, calls[i].arg, sizeof(c));
	return c;
}

struct sev_issue_cmd call_issue(int i)
{
	struct sev_issue_cmd c;

	assert_int_equal(calls[i].req, SEV_ISSUE_CMD);
	assert_int_equal(calls[i].fd, SEV_FD);
	memcpy(&c, calls[i].arg, sizeof(c));
	return c;
}

/* --- fixtures */

void seam_reset(void)
{
	ncalls = nanswers = 0;
	nclosed = open_calls = open_flags = 0;
	open_sev_ret = SEV_FD;
	open_kvm_ret = KVM_FD;
	memset(calls, 0, sizeof(calls));
}

int seam_setup(void **state)
{
	struct psp *psp;

	seam_reset();
	assert_int_equal(psp_open_kernel(&psp, NULL), 0);
	assert_non_null(psp);
	*state = psp;
	return 0;
}

int seam_teardown(void **state)
{
	psp_close(*state);
	/* Every scripted answer was used. */
	assert_int_equal(ncalls, nanswers);
	return 0;
}
