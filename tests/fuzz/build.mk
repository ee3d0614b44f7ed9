# tests/fuzz objects
