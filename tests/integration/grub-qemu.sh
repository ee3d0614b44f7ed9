#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The same referee as grub.sh, under QEMU 7.2 q35: the reference device
# model, so a failure of grub.sh that passes here is sevm's (docs/referees.md).
SEVM_REFEREE=qemu exec bash "$(dirname "$0")/grub.sh"
