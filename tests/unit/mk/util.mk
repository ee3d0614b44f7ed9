unit-tests-y += test_util
test_util-objs := tests/unit/test_util.o vmm/util.o vmm/log.o
test_util-libs := -lcrypto
