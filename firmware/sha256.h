/* SPDX-License-Identifier: GPL-2.0-only */
/* SHA-256 (FIPS 180-4) for the firmware: no tables in RAM, no SSE. */
#ifndef SEVM_FIRMWARE_SHA256_H
#define SEVM_FIRMWARE_SHA256_H

#include "firmware/fwtypes.h"

#define SHA256_DIGEST_SIZE	32
#define SHA256_BLOCK_SIZE	64

struct sha256_ctx {
	u32 state[8];
	u64 count;			/* bytes hashed so far */
	u8 buf[SHA256_BLOCK_SIZE];	/* partial block */
};

void sha256_init(struct sha256_ctx *ctx);
void sha256_update(struct sha256_ctx *ctx, const void *data, size_t len);
void sha256_final(struct sha256_ctx *ctx, u8 out[SHA256_DIGEST_SIZE]);
/* One-shot digest of [data, data + len). */
void sha256(const void *data, size_t len, u8 out[SHA256_DIGEST_SIZE]);

#endif /* SEVM_FIRMWARE_SHA256_H */
