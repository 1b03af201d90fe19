"""`make shell`: the staff terminal. Starts the action server, then `rasa shell` in the foreground.

`rasa shell` itself only starts the Rasa side; without the action server every custom action
would fail, so this wrapper starts it first and stops it when the shell ends.
"""

from __future__ import annotations

import subprocess
import sys

from service.stack import (
    ROOT,
    VENV_BIN,
    Ports,
    StackError,
    endpoints_file,
    latest_model,
    services,
    start,
    stop,
    wait_healthy,
)


def main() -> int:
    ports = Ports()
    try:
        model = latest_model()
        actions = next(s for s in services(ports, web=False) if s.name == "actions")
        print("Starting the action server …", flush=True)
        start(actions)
        wait_healthy(actions)
        argv = [
            str(VENV_BIN / "rasa"), "shell",
            "--model", str(model),
            "--endpoints", str(endpoints_file(ports)),
            "--port", str(ports.rasa + 1),  # rasa shell runs its own server; keep 5005 free
        ]  # fmt: skip
        return subprocess.call(argv, cwd=ROOT)
    except StackError as exc:
        print(f"Could not start: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        if "actions" in locals():
            stop(actions)


if __name__ == "__main__":
    sys.exit(main())
