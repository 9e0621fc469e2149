"""The shells on top: the ``timeline`` command line, the demo, terminal rendering and
the helpers that start Redis and workers for tests and benchmarks."""
