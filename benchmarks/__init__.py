"""Benchmarks of the heavy paths (``make bench`` writes BENCHMARKS.md); not part of the package or the tests."""
