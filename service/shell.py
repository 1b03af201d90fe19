"""`make shell`: the staff terminal. Starts the action server, then `rasa shell` in the foreground.

`rasa shell` itself only starts the Rasa side; without the action server every custom action
would fail, so this wrapper starts it first and stops it when the shell ends. Two changes to
Rasa's own shell, made by running it through `python -m service.shell rasa-shell …`:

- its Rasa server listens on 127.0.0.1 only (`--interface`; Rasa's default is 0.0.0.0);
- answers are shown as plain text (channels.markdown.to_plain: no `**`/`_` markers, lists with
  bullets), and a link button such as the hand-over's "Nachricht an … schreiben" is printed
  as a line with its address instead of being offered as a reply that would send "mailto:…";
  the widget's timeline picture (custom payload) is left out, the text has its facts.
"""

from __future__ import annotations

import subprocess
import sys
from typing import Any

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

INTERFACE = "127.0.0.1"


def plain_message(message: dict[str, Any]) -> dict[str, Any]:
    """A bot message as the terminal shows it: plain text, link buttons as text lines."""
    from channels.markdown import is_link_payload, to_plain

    shown = dict(message)
    buttons = [b for b in message.get("buttons") or [] if isinstance(b, dict)]
    links = [b for b in buttons if is_link_payload(str(b.get("url") or b.get("payload") or ""))]
    text = str(message.get("text") or "")
    for link in links:
        target = str(link.get("url") or link.get("payload"))
        text = f"{text}\n[{link.get('title') or target}]({target})".strip()
    if text:
        shown["text"] = to_plain(text)
    custom = message.get("custom")
    if isinstance(custom, dict) and "timeline" in custom:
        del shown["custom"]  # the widget's picture; the answer's text has the same facts
    if "buttons" in message:
        choices = [b for b in buttons if b not in links]
        if choices:
            shown["buttons"] = choices
        else:
            del shown["buttons"]
    return shown


def run_rasa_shell(args: list[str]) -> int:
    """Rasa's CLI (`rasa shell …`) in this process, with plain-text output."""
    from rasa.__main__ import main as rasa_main
    from rasa.core.channels import console

    original = console._print_bot_output

    def print_plain(message: dict[str, Any], *rest: Any, **options: Any) -> Any:
        return original(plain_message(message), *rest, **options)

    console._print_bot_output = print_plain
    sys.argv = ["rasa", "shell", *args]
    rasa_main()
    return 0


def main() -> int:
    ports = Ports()
    try:
        model = latest_model()
        actions = next(s for s in services(ports, web=False) if s.name == "actions")
        print("Starting the action server …", flush=True)
        start(actions)
        wait_healthy(actions)
        argv = [
            str(VENV_BIN / "python"), "-m", "service.shell", "rasa-shell",
            "--model", str(model),
            "--endpoints", str(endpoints_file(ports)),
            "--interface", INTERFACE,
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
    if sys.argv[1:2] == ["rasa-shell"]:
        sys.exit(run_rasa_shell(sys.argv[2:]))
    sys.exit(main())
