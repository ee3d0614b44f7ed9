/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Input files checked before a byte of them is read: the boot images
 * (--firmware, --kernel, --initrd) must be regular files (a FIFO, a
 * device or a socket is refused, and open() never blocks on one) and fit
 * in guest RAM; a virtio-blk file= must be a regular file or a block
 * device. One error line names the option, the file and the reason.
 */
#ifndef SEVM_INPUT_CHECK_H
#define SEVM_INPUT_CHECK_H

#include "vmm/config.h"

/* 0, -EINVAL (not a regular file), -EFBIG (too large) or -errno. */
int input_check_files(const struct vm_config *cfg) __must_check;
/* One file: what names the option; limit 0 means any size. */
int input_check_file(const char *what, const char *path, u64 limit,
		     bool blockdev_ok) __must_check;

#endif /* SEVM_INPUT_CHECK_H */
