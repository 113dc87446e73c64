"""The reliability campaigns behind docs/RELIABILITY.md (entry point: bench/bench_reliability.py)."""
