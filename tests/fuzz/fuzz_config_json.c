// SPDX-License-Identifier: GPL-2.0-only
/*
 * The JSON config file (vmm/config-json.c, --config FILE): any bytes as
 * a file body through config_load_json_text and every option's parser
 * behind it (config_set, devices), then config_validate and
 * config_finalize. Only 0, -EINVAL, -ENOMEM or -ENOSPC (more than 30
 * devices); config_free releases everything (LeakSanitizer).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vmm/config.h"
#include "lib/log.h"
#include "tests/fuzz/fuzz.h"

void __wrap_pr_log(enum log_level level, const char *fmt, ...) __printf(2, 3);
void __wrap_pr_log(enum log_level level, const char *fmt, ...)
{
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vm_config cfg;
	char *text = malloc(size + 1);
	int r;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	config_init(&cfg);
	r = config_load_json_text(&cfg, "fuzz.json", text, size);
	FUZZ_ASSERT(r == 0 || r == -EINVAL || r == -ENOMEM || r == -ENOSPC);
	if (!r) {
		r = config_validate(&cfg) ?: config_finalize(&cfg);
		FUZZ_ASSERT(r == 0 || r == -EINVAL || r == -ENOMEM);
	}
	config_free(&cfg);
	free(text);
	return 0;
}
