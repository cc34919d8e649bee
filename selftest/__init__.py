"""What the test suite and the benchmarks both need: real servers on free loopback ports, load generation,
external tools, and the kit's self-test (deliberately faulty variants of the mock). Neither ``tests`` nor
``bench`` imports the other; both import this package, which is not shipped in the wheel."""
