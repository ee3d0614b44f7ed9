unit-tests-y += test_qmp
test_qmp-objs := tests/unit/test_qmp.o vmm/qmp.o vmm/qmp-server.o vmm/qmp-socket.o vmm/loop.o \
		 lib/log.o lib/util.o
test_qmp-libs := -ljson-c -lcrypto
