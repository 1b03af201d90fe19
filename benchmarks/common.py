"""What every benchmark shares: percentiles, process memory, the machine's load."""

from __future__ import annotations

import os
import statistics
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "results"


def percentile(values: list[float], q: float) -> float:
    """The `q`-th percentile (nearest rank); NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def p50_p95(values: list[float]) -> tuple[float, float]:
    if not values:
        return float("nan"), float("nan")
    return statistics.median(values), percentile(values, 95)


def rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB (from /proc)."""
    total_kb = 0
    for p in [pid, *descendants(pid)]:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
        except OSError:
            continue
    return total_kb / 1024


def descendants(pid: int) -> list[int]:
    found: list[int] = []
    todo = [pid]
    while todo:
        current = todo.pop()
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        found += [int(c) for c in children]
        todo += [int(c) for c in children]
    return found


def load_average() -> str:
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def _cpu_times() -> tuple[int, int, int]:
    """(total, busy incl. steal, steal) jiffies of all CPUs since boot, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    fields += [0] * (8 - len(fields))
    total = sum(fields)
    return total, total - fields[3] - fields[4], fields[7]


class CpuMeter:
    """Share of the machine's CPU time that was busy (any process) or stolen by the
    hypervisor since the meter was made: how loaded the shared machine was meanwhile."""

    def __init__(self) -> None:
        self._start = _cpu_times()

    def read(self) -> tuple[float, float]:
        """(busy share, steal share) since the start, each 0–1."""
        now = _cpu_times()
        total = (now[0] - self._start[0]) or 1
        return (now[1] - self._start[1]) / total, (now[2] - self._start[2]) / total


def machine_line() -> str:
    return f"{os.cpu_count()} CPUs, load average {load_average()} (1/5/15 min)"
