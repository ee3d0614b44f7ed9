// SPDX-License-Identifier: GPL-2.0-only
/*
 * SHA-256 (FIPS 180-4). The firmware's own implementation: it runs in the
 * guest before anything else exists, so it uses no library and no SIMD.
 * The unit test compares it with OpenSSL on many lengths.
 */
#include "firmware/sha256.h"

static const u32 sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static const u32 sha256_iv[8] = {
	0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

static inline u32 ror32(u32 x, unsigned int n)
{
	return (x >> n) | (x << (32 - n));
}

static inline u32 get_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static void sha256_block(u32 st[8], const u8 *p)
{
	u32 w[64], s[8], t1, t2;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = get_be32(p + 4 * i);
	for (; i < 64; i++)
		w[i] = w[i - 16] + w[i - 7] +
		       (ror32(w[i - 15], 7) ^ ror32(w[i - 15], 18) ^
			(w[i - 15] >> 3)) +
		       (ror32(w[i - 2], 17) ^ ror32(w[i - 2], 19) ^
			(w[i - 2] >> 10));
	for (i = 0; i < 8; i++)
		s[i] = st[i];
	for (i = 0; i < 64; i++) {
		t1 = s[7] + (ror32(s[4], 6) ^ ror32(s[4], 11) ^
			     ror32(s[4], 25)) +
		     ((s[4] & s[5]) ^ (~s[4] & s[6])) + sha256_k[i] + w[i];
		t2 = (ror32(s[0], 2) ^ ror32(s[0], 13) ^ ror32(s[0], 22)) +
		     ((s[0] & s[1]) ^ (s[0] & s[2]) ^ (s[1] & s[2]));
		s[7] = s[6];
		s[6] = s[5];
		s[5] = s[4];
		s[4] = s[3] + t1;
		s[3] = s[2];
		s[2] = s[1];
		s[1] = s[0];
		s[0] = t1 + t2;
	}
	for (i = 0; i < 8; i++)
		st[i] += s[i];
}

void sha256_init(struct sha256_ctx *ctx)
{
	fw_memcpy(ctx->state, sha256_iv, sizeof(ctx->state));
	ctx->count = 0;
}

void sha256_update(struct sha256_ctx *ctx, const void *data, size_t len)
{
	const u8 *p = data;
	size_t used = ctx->count % SHA256_BLOCK_SIZE, n;

	ctx->count += len;
	if (used) {
		n = SHA256_BLOCK_SIZE - used;
		if (n > len)
			n = len;
		fw_memcpy(ctx->buf + used, p, n);
		p += n;
		len -= n;
		if (used + n < SHA256_BLOCK_SIZE)
			return;
		sha256_block(ctx->state, ctx->buf);
	}
	for (; len >= SHA256_BLOCK_SIZE; len -= SHA256_BLOCK_SIZE) {
		sha256_block(ctx->state, p);
		p += SHA256_BLOCK_SIZE;
	}
	if (len)
		fw_memcpy(ctx->buf, p, len);
}

void sha256_final(struct sha256_ctx *ctx, u8 out[SHA256_DIGEST_SIZE])
{
	u64 bits = ctx->count * 8;
	size_t used = ctx->count % SHA256_BLOCK_SIZE;
	int i;

	ctx->buf[used++] = 0x80;
	if (used > SHA256_BLOCK_SIZE - 8) {
		fw_memset(ctx->buf + used, 0, SHA256_BLOCK_SIZE - used);
		sha256_block(ctx->state, ctx->buf);
		used = 0;
	}
	fw_memset(ctx->buf + used, 0, SHA256_BLOCK_SIZE - 8 - used);
	for (i = 0; i < 8; i++)
		ctx->buf[SHA256_BLOCK_SIZE - 1 - i] = (u8)(bits >> (8 * i));
	sha256_block(ctx->state, ctx->buf);
	for (i = 0; i < 8; i++) {
		out[4 * i] = (u8)(ctx->state[i] >> 24);
		out[4 * i + 1] = (u8)(ctx->state[i] >> 16);
		out[4 * i + 2] = (u8)(ctx->state[i] >> 8);
		out[4 * i + 3] = (u8)ctx->state[i];
	}
	fw_memset(ctx, 0, sizeof(*ctx));
}

void sha256(const void *data, size_t len, u8 out[SHA256_DIGEST_SIZE])
{
	struct sha256_ctx ctx;

	sha256_init(&ctx);
	sha256_update(&ctx, data, len);
	sha256_final(&ctx, out);
}
