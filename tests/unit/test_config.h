/* SPDX-License-Identifier: GPL-2.0-only */
/* Shared by the test_config program's files (tests/unit/test_config*.c). */
#ifndef SEVM_TEST_CONFIG_H
#define SEVM_TEST_CONFIG_H

#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vmm/config.h"

extern struct vm_config cfg;
extern char errbuf[8192];

/* A path in the test's temporary directory (4 rotating buffers). */
const char *tmp_path(const char *name);
const char *write_json(const char *name, const char *text);
/* stderr into a file, then into errbuf. */
void capture_start(void);
const char *capture_stop(void);
int nlines(const char *s);
/* config_parse_args() on "sevm" + the NULL-terminated args. */
int parse_v(struct vm_config *c, const char *const *args);
/* A configuration with every value away from its default. */
void populate(void);

#define ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define PARSE(...) parse_v(&cfg, ARGS(__VA_ARGS__))

/* Run call, expect ret and exactly one stderr line containing msg. */
#define EXPECT_ERR(ret, msg, call) do {					\
	int r_;								\
	capture_start();						\
	r_ = (call);							\
	capture_stop();							\
	if (r_ != (ret) || !strstr(errbuf, (msg)) || nlines(errbuf) != 1) \
		print_message("case: %s\n  got %d, stderr: %s\n", #call, r_, \
			      errbuf);					\
	assert_int_equal(r_, (ret));					\
	assert_int_equal(strstr(errbuf, (msg)) != NULL, 1);		\
	assert_int_equal(nlines(errbuf), 1);				\
} while (0)

/* test_config_json.c */
void test_json_every_key(void **state);
void test_json_value_forms(void **state);
void test_json_bad(void **state);
void test_json_unreadable(void **state);
void test_override_order(void **state);
void test_validate(void **state);
void test_validate_direct(void **state);
void test_finalize(void **state);
void test_finalize_embedded(void **state);
void test_config_free(void **state);
/* The test's temporary directory itself. */
const char *tmpdir_path(void);

/* test_config_device.c */
void test_device_cli(void **state);
void test_device_bad(void **state);
void test_device_iommu(void **state);
void test_device_limit(void **state);
void test_device_files(void **state);
void test_device_json(void **state);
void test_device_net(void **state);
void test_device_net_bad(void **state);
void test_device_net_files(void **state);
void test_device_vsock(void **state);

#endif /* SEVM_TEST_CONFIG_H */
