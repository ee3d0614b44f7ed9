unit-tests-y += test_qmp
test_qmp-objs := tests/unit/test_qmp.o vmm/qmp.o vmm/qmp-server.o vmm/qmp-stream.o vmm/qmp-socket.o vmm/loop.o \
		 lib/log.o lib/util.o
test_qmp-libs := -ljson-c -lcrypto

unit-tests-y += test_qmp_stream
test_qmp_stream-objs := tests/unit/test_qmp_stream.o vmm/qmp.o vmm/qmp-server.o \
			vmm/qmp-stream.o vmm/qmp-socket.o vmm/loop.o lib/log.o lib/util.o
test_qmp_stream-libs := -ljson-c -lcrypto
