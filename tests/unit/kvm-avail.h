/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * For unit tests that run tiny guests: is a usable KVM there? Not just a
 * file called /dev/kvm: it must open and answer KVM_GET_API_VERSION 12.
 * Tests call skip() when it is not, so `make check` reports them skipped
 * on machines without KVM.
 */
#ifndef SEVM_TESTS_KVM_AVAIL_H
#define SEVM_TESTS_KVM_AVAIL_H

#include <fcntl.h>
#include <linux/kvm.h>
#include <stdbool.h>
#include <sys/ioctl.h>
#include <unistd.h>

static inline bool test_have_kvm(void)
{
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	bool ok;

	if (fd < 0)
		return false;
	ok = ioctl(fd, KVM_GET_API_VERSION, 0) == KVM_API_VERSION;
	close(fd);
	return ok;
}

#endif /* SEVM_TESTS_KVM_AVAIL_H */
