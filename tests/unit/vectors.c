// SPDX-License-Identifier: GPL-2.0-only
/* Locating and checking the shared test vectors. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <openssl/evp.h>

#include "tests/unit/vectors.h"

/* SHA-256 of each file: sev-protocol.md 9.4; the rest from the copies
 * in /work/shared/test-vectors when these tests were written. */
static const struct {
	const char *rel, *sha256;
} pinned[] = {
	{ "amd-certs/naples/cek.cert",
	  "cbecc40f5b7d7e988fe7e4af20195cc540404eb685a2b49df0160781d04cf8f4" },
	{ "amd-certs/naples/oca.cert",
	  "dfa8331592774030cc38716ee0d436aba269d7c17c78e2a261f19e967377c34c" },
	{ "amd-certs/naples/pek.cert",
	  "31243368c2046fbf48e51a73075c33e69600cee1876919869f0383a94e8df558" },
	{ "amd-certs/naples/pdh.cert",
	  "34b11563c32bd17b4e2b4b8205301af64e7bd06a85e2a6ada789bc9d5dfd9932" },
	{ "amd-certs/rome/cek.cert",
	  "bfac4879e3855bf74b5e7841c46fbe02ee07808400ceb3eeccc9454d07e6eed5" },
	{ "amd-certs/rome/oca.cert",
	  "fb72952d5c8640f0c144d3e250f5791c8b21d384071b75823430aaba69d9ad46" },
	{ "amd-certs/rome/pek.cert",
	  "fd5eb12d0175c91bcb83142811124ceba4f3f530307a2471fcbd633e5aead794" },
	{ "amd-certs/rome/pdh.cert",
	  "62147c9375cb6cee32dbbf957d1b427e660c6dab2e6637c5f6c0e2c8f3345eed" },
	{ "amd-certs/naples/ark.cert",
	  "dedabca561e1dece8cc00b7bda864cf5f20b95017864408cfe18eaee0dce24b9" },
	{ "amd-certs/naples/ask.cert",
	  "c6f30cf923f526c3bcd5c8c221db51e0db65911782f046de17a6603131cdfd7f" },
	{ "amd-certs/rome/ark.cert",
	  "865977b268c16d5b27772b00aaefb4e737ba9499e818ed8e9f65b0cecefbc529" },
	{ "amd-certs/rome/ask.cert",
	  "7754a69407d25540fe3a695be6b02c58a53bffd12594f5c30793d6cb62875706" },
	{ "amd-certs/milan/ark.cert",
	  "1246469862b78a7a8625579b0378d1f8e975eb8b82a1623b579d7968a5969888" },
	{ "amd-certs/milan/ask.cert",
	  "c7c73765561c58003a3d09adb2c76993027dd3a1ec4e9be876024c035e015cec" },
	{ "amd-certs/genoa/ark.cert",
	  "8f4e3fd36589c23f1fe0c8338465bac7e2e066d97fc92f228bbee4fd356fb674" },
	{ "amd-certs/genoa/ask.cert",
	  "c30307e4f594fb6c51fd753ab758eb78ad4bb70d9e4d96690e51c0621901031d" },
	{ "amd-certs/turin/ark.cert",
	  "f6405e5096a6eee1eb7d5df75c49f9b9f7c8357a31c7fff150149d68588a7bf7" },
	{ "amd-certs/turin/ask.cert",
	  "2ee285477f0d5eb94a69029197f4cf58ca82d8e1b9a276da1ac45b0db3f4be56" },
	{ "amd-certs/naples/ark.cert.bad",
	  "8efddcaaf84990cf6354d93637be270220cf15797332b3d918c3b8cc77349f31" },
	{ "sevctl/OVMF.amdsev.fd_trimmed_"
	  "edk2-ovmf-20220126gitbb1bba3d77-4.el9",
	  "2f6fc6065f4abc131eb4fb2b5090a542636eae84a94c0db0fdd5f405cb372ff5" },
	{ "sevctl/measurement-initrd-fake",
	  "76fa1a19324945ce9b1ee17f211ca5b55cbb74d0368eecce53932a1fddc8e8cb" },
	{ "sevctl/measurement-tik1.bin",
	  "4d5c214dd494f9f1fe6cfd1f499deebeb52fc9cff095962f32f0581c83fcecf8" },
	{ "sevctl/measurement-vmlinuz-fake",
	  "af609b31eca2942fc46ed7209c7704771cfc2c91750ff4cb899be39b371b4e48" },
	{ "sevctl/secret-tek1.bin",
	  "3d66753e2eac6e141b27eff39848ed7bdb13c1e4ae2b64dd13111ca7a03a4720" },
	{ "sevctl/secret-tik1.bin",
	  "7fc87056b9cbdb1257399c0a8eaab46d30f3c804354515b7bc912e9e7c605ba7" },
	{ "sevctl/vmsa0.bin",
	  "f8b52f775502472e5797d2674d9de21f6abc05dc05e9bc49cbb7b6a13688d5e7" },
	{ "sevctl/vmsa1.bin",
	  "bcee5cb289f72882da17abd8dca5e8a7e9f8e2033e7ad96b4db0ab1a383a6487" },
};

static bool is_dir(const char *p)
{
	struct stat st;

	return !stat(p, &st) && S_ISDIR(st.st_mode);
}

const char *vectors_dir(void)
{
	static char dir[PATH_MAX];
	const char *env = getenv("SEVM_VECTORS"), *top = getenv("SEVM_TOP");
	static const char *const guesses[] = {
		"../shared/test-vectors", "../../shared/test-vectors",
		"../../../shared/test-vectors",
	};

	if (env && *env)
		return is_dir(env) ? env : NULL;
	if (top && *top) {
		snprintf(dir, sizeof(dir), "%s/../shared/test-vectors", top);
		return is_dir(dir) ? dir : NULL;
	}
	for (size_t i = 0; i < ARRAY_SIZE(guesses); i++)
		if (is_dir(guesses[i]))
			return guesses[i];
	return NULL;
}

const char *vector_path(const char *rel)
{
	static char paths[8][PATH_MAX];
	static unsigned int next;
	const char *dir = vectors_dir();
	char *p = paths[next++ % ARRAY_SIZE(paths)];

	snprintf(p, PATH_MAX, "%s/%s", dir ? dir : ".", rel);
	return p;
}

static const char *pinned_sha(const char *rel)
{
	for (size_t i = 0; i < ARRAY_SIZE(pinned); i++)
		if (!strcmp(pinned[i].rel, rel))
			return pinned[i].sha256;
	return NULL;
}

int vector_read(const char *rel, u8 **buf, size_t *len)
{
	const char *want = pinned_sha(rel);
	u8 md[32];
	char hex[65];
	void *p;
	int r;

	assert_non_null(want);	/* every vector used must be pinned */
	if (!vectors_dir())
		return -ENOENT;
	r = read_file(vector_path(rel), &p, len, 1 << 20);
	if (r)
		return r;
	assert_int_equal(EVP_Digest(p, *len, md, NULL, EVP_sha256(), NULL), 1);
	hex_encode(md, sizeof(md), hex);
	if (strcmp(hex, want)) {
		print_error("vector %s: SHA-256 %s, want %s\n", rel, hex, want);
		free(p);
		return -EBADMSG;
	}
	*buf = p;
	return 0;
}

void unhex(const char *hex, u8 *out, size_t len)
{
	assert_int_equal(hex_decode(hex, out, len), 0);
}
