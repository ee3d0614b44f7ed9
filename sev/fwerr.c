// SPDX-License-Identifier: GPL-2.0-only
/*
 * SEV firmware status codes: names and one-line descriptions.
 *
 * Names follow the newest include/uapi/linux/psp-sev.h (SEV_RET_ without
 * the prefix; 0x19..0x27 are the SNP codes with the explicit values of the
 * 2025 uapi fix). Descriptions for 0x00..0x18 are QEMU's sev_fw_errlist.
 * SEV_RET_NO_FW_CALL (-1) is the kernel's "the firmware was not called".
 */
#include "sev/sev.h"

struct fw_err {
	const char *name;
	const char *desc;
};

static const struct fw_err fw_errs[] = {
	[0x00] = { "SUCCESS", "Success" },
	[0x01] = { "INVALID_PLATFORM_STATE", "Platform state is invalid" },
	[0x02] = { "INVALID_GUEST_STATE", "Guest state is invalid" },
	[0x03] = { "INVALID_CONFIG", "Platform configuration is invalid" },
	[0x04] = { "INVALID_LEN", "Buffer too small" },
	[0x05] = { "ALREADY_OWNED", "Platform is already owned" },
	[0x06] = { "INVALID_CERTIFICATE", "Certificate is invalid" },
	[0x07] = { "POLICY_FAILURE", "Policy is not allowed" },
	[0x08] = { "INACTIVE", "Guest is not active" },
	[0x09] = { "INVALID_ADDRESS", "Invalid address" },
	[0x0a] = { "BAD_SIGNATURE", "Bad signature" },
	[0x0b] = { "BAD_MEASUREMENT", "Bad measurement" },
	[0x0c] = { "ASID_OWNED", "ASID is already owned" },
	[0x0d] = { "INVALID_ASID", "Invalid ASID" },
	[0x0e] = { "WBINVD_REQUIRED", "WBINVD is required" },
	[0x0f] = { "DFFLUSH_REQUIRED", "DF_FLUSH is required" },
	[0x10] = { "INVALID_GUEST", "Guest handle is invalid" },
	[0x11] = { "INVALID_COMMAND", "Invalid command" },
	[0x12] = { "ACTIVE", "Guest is active" },
	[0x13] = { "HWSEV_RET_PLATFORM", "Hardware error" },
	[0x14] = { "HWSEV_RET_UNSAFE", "Hardware unsafe" },
	[0x15] = { "UNSUPPORTED", "Feature not supported" },
	[0x16] = { "INVALID_PARAM", "Invalid parameter" },
	[0x17] = { "RESOURCE_LIMIT", "Required firmware resource depleted" },
	[0x18] = { "SECURE_DATA_INVALID",
		   "Part-specific integrity check failure" },
	[0x19] = { "INVALID_PAGE_SIZE", "Invalid page size" },
	[0x1a] = { "INVALID_PAGE_STATE", "Invalid page state" },
	[0x1b] = { "INVALID_MDATA_ENTRY", "Invalid metadata entry" },
	[0x1c] = { "INVALID_PAGE_OWNER", "Invalid page owner" },
	[0x1d] = { "AEAD_OFLOW", "AEAD invocation counter overflow" },
	/* 0x1e is not assigned */
	[0x1f] = { "EXIT_RING_BUFFER", "Ring buffer mode exited" },
	[0x20] = { "RMP_INIT_REQUIRED", "RMP must be initialised" },
	[0x21] = { "BAD_SVN", "Security version number too low" },
	[0x22] = { "BAD_VERSION", "Invalid firmware version" },
	[0x23] = { "SHUTDOWN_REQUIRED", "Shutdown is required" },
	[0x24] = { "UPDATE_FAILED", "Firmware update failed" },
	[0x25] = { "RESTORE_REQUIRED", "Restore is required" },
	[0x26] = { "RMP_INITIALIZATION_FAILED", "RMP initialisation failed" },
	[0x27] = { "INVALID_KEY", "Invalid key" },
};

_Static_assert(SEV_RET_SECURE_DATA_INVALID == 0x18, "sev_ret_code ABI");

static const struct fw_err *fw_err_lookup(int code)
{
	if (code < 0 || (size_t)code >= ARRAY_SIZE(fw_errs))
		return NULL;
	return fw_errs[code].name ? &fw_errs[code] : NULL;
}

const char *sev_fw_err_name(int code)
{
	const struct fw_err *e;

	if (code == SEV_RET_NO_FW_CALL)
		return "NO_FW_CALL";
	e = fw_err_lookup(code);
	return e ? e->name : "UNKNOWN";
}

const char *sev_fw_err_desc(int code)
{
	const struct fw_err *e;

	if (code == SEV_RET_NO_FW_CALL)
		return "Firmware was not called";
	e = fw_err_lookup(code);
	return e ? e->desc : "Unknown firmware error";
}
