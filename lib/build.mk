# lib/: what every binary shares (sevm, sevm-owner, the tests): types,
# file and number helpers, logging.
lib-obj-y			+= lib/log.o lib/util.o
