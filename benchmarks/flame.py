"""Reading py-spy's raw (collapsed) stacks: which functions hold the most samples.

    python -m benchmarks.flame results/profile-rasa.txt [--top 25] [--match rasa/core]

Each line of the raw format is `frame;frame;…;frame count`, outermost frame first, a frame
being `function (path:line)`. A function's *inclusive* share counts every sample it is on the
stack (once per sample); *self* counts the samples where it is the innermost frame. Idle
samples (the event loop waiting in `select`/`epoll`) are reported separately, so the shares
are of the time the process was working.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

_FRAME = re.compile(r"^(?P<function>.*?) \((?P<path>[^()]*?)(?::\d+)?\)$")
IDLE = ("select (selectors.py)", "poll (selectors.py)", "_run_once", "wait (threading.py)")


def frame_name(frame: str) -> str:
    """`function (short/path.py)` without the line number and site-packages prefix."""
    m = _FRAME.match(frame.strip())
    if not m:
        return frame.strip()
    path = m["path"].split("site-packages/")[-1].split("lib/python3.11/")[-1]
    return f"{m['function']} ({path})"


def read(path: Path) -> list[tuple[list[str], int]]:
    stacks = []
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if stack and count.isdigit():
            stacks.append(([frame_name(f) for f in stack.split(";")], int(count)))
    return stacks


def summarise(path: Path, top: int = 25, match: str = "") -> str:
    stacks = read(path)
    idle = sum(n for frames, n in stacks if frames and frames[-1].startswith(IDLE))
    busy = [(frames, n) for frames, n in stacks if not (frames and frames[-1].startswith(IDLE))]
    working = sum(n for _, n in busy) or 1
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    for frames, n in busy:
        for name in set(frames):
            inclusive[name] += n
        own[frames[-1]] += n
    lines = [
        f"{path.name}: {working + idle} samples, {idle / max(1, working + idle):.0%} idle; "
        f"shares below are of the {working} working samples"
    ]
    lines.append("  inclusive:")
    shown = [(k, v) for k, v in inclusive.most_common() if match in k][:top]
    lines += [f"    {v / working:5.1%}  {k}" for k, v in shown]
    lines.append("  self:")
    lines += [f"    {v / working:5.1%}  {k}" for k, v in own.most_common(top // 2)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.flame", description=__doc__)
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--match", default="", help="only inclusive frames containing this")
    args = parser.parse_args(argv)
    for path in args.paths:
        print(summarise(path, args.top, args.match))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
