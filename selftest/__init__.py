"""The kit's self-test: deliberately faulty variants of the mock, for the tests and the benchmarks (not shipped)."""
