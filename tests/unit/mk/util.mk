unit-tests-y += test_util
test_util-objs := tests/unit/test_util.o lib/util.o lib/log.o
test_util-libs := -lcrypto
