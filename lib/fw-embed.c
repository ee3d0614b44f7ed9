// SPDX-License-Identifier: GPL-2.0-only
/*
 * Accessors of the firmware image embedded at build time (lib/fw-image.S).
 * See lib/fw-embed.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "lib/fw-embed.h"

#ifdef CONFIG_FIRMWARE
extern const u8 sevm_fw_image_start[];
extern const u8 sevm_fw_image_end[];

int fw_embedded(const u8 **data, size_t *size)
{
	*data = sevm_fw_image_start;
	*size = (size_t)(sevm_fw_image_end - sevm_fw_image_start);
	return *size ? 0 : -ENOENT;
}
#else
int fw_embedded(const u8 **data, size_t *size)
{
	*data = NULL;
	*size = 0;
	return -ENOENT;
}
#endif

int fw_embedded_sha256(u8 digest[32])
{
	unsigned int n = 0;
	const u8 *data;
	size_t size;
	int r;

	r = fw_embedded(&data, &size);
	if (r)
		return r;
	if (EVP_Digest(data, size, digest, &n, EVP_sha256(), NULL) != 1 ||
	    n != 32)
		return -EIO;
	return 0;
}

int fw_embedded_dup(u8 **out, size_t *out_size)
{
	const u8 *data;
	size_t size;
	int r;

	r = fw_embedded(&data, &size);
	if (r)
		return r;
	*out = malloc(size);
	if (!*out)
		return -ENOMEM;
	memcpy(*out, data, size);
	*out_size = size;
	return 0;
}

int fw_embedded_dump(const char *path)
{
	const u8 *data;
	size_t size;
	int r;

	r = fw_embedded(&data, &size);
	return r ?: write_file_output(path, data, size, 0644);
}
