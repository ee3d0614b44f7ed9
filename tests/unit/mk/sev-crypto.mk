# SEV cryptography, certificates, hashes tables and sevm-owner.
unit-tests-y += test_crypto test_cert test_cert_synth test_hashes test_owner \
		test_owner_measure

sev-crypto-test-lib := tests/unit/vectors.o lib/log.o lib/util.o

test_crypto-objs := tests/unit/test_crypto.o sev/crypto.o sev/cert.o \
		    $(sev-crypto-test-lib)
test_crypto-libs := -lcrypto

test_cert-objs := tests/unit/test_cert.o sev/cert.o sev/crypto.o \
		  $(sev-crypto-test-lib)
test_cert-libs := -lcrypto

test_cert_synth-objs := tests/unit/test_cert_synth.o sev/cert.o sev/crypto.o \
			$(sev-crypto-test-lib)
test_cert_synth-libs := -lcrypto

test_hashes-objs := tests/unit/test_hashes.o sev/hashes.o sev/crypto.o \
		    $(sev-crypto-test-lib)
test_hashes-libs := -lcrypto

sev-owner-test-objs := owner/common.o owner/chain.o owner/session.o \
		       owner/measure.o owner/secret.o sev/crypto.o sev/cert.o \
		       sev/hashes.o tests/unit/owner-run.o $(sev-crypto-test-lib) \
		       lib/fw-embed.o $(filter lib/fw-image.o,$(lib-obj-y))

test_owner-objs := tests/unit/test_owner.o $(sev-owner-test-objs)
test_owner-libs := -lcrypto

test_owner_measure-objs := tests/unit/test_owner_measure.o \
			   $(sev-owner-test-objs)
test_owner_measure-libs := -lcrypto
