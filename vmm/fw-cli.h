/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The embedded firmware on sevm's side (lib/fw-embed.h holds the image):
 * `sevm firmware [--dump FILE]`, and the boot image sevm uses when the
 * configuration chose it (vm_config.firmware_embedded).
 */
#ifndef SEVM_FW_CLI_H
#define SEVM_FW_CLI_H

#include "vmm/boot.h"

struct json_object;

/*
 * A private copy of the embedded image as the firmware blob (path
 * FW_EMBEDDED_NAME), freed by boot_free_images. One error line on failure.
 */
int fw_cli_embedded_blob(struct blob *b) __must_check;
/*
 * {"path": "(embedded)", "size": N, "sha256": hex, "sevm-version": V}:
 * what `sevm firmware` prints. NULL without an image or memory.
 */
struct json_object *fw_cli_embedded_json(void);
/*
 * `sevm firmware [--dump FILE]`: argv[0] is "firmware". Exit codes: 0; 2
 * bad usage, an unwritable FILE, or no embedded image (CONFIG_FIRMWARE=n).
 */
int fw_cli_main(int argc, char **argv);

#endif /* SEVM_FW_CLI_H */
