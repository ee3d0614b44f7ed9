# Fuzz targets (libFuzzer via clang): see tests/fuzz/README.md.
FUZZ_BIN :=
