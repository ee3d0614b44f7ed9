# Unit test programs: one fragment per module group in tests/unit/mk/.
include $(sort $(wildcard tests/unit/mk/*.mk))
