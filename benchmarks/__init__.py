"""Benchmarks: scripts that measure and print figures, never assert them.

    python -m benchmarks.system   # `make bench`: the running system beside Rasa's example bot
    python -m benchmarks.index    # `make bench-index`: index build, query latency, memory
    python -m benchmarks.scale    # `make bench-scale`: the same at 1×, 10× and 100× knowledge

Results that are files (flame graphs, plots) go to results/, which is not committed.
"""
