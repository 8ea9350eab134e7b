"""Benchmarks against raw SQLite baselines measured in the same run (``python -m benchmarks``)."""
