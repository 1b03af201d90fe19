"""`make shell`: the staff terminal.

`make shell URL=https://bot.example-stadt.de` (`python -m service.shell --url …`) talks to the
running assistant through its REST channel and starts nothing: a question per line, the
answers as plain text, buttons numbered (type the number to choose one; it sends that
button's payload), an empty line or Ctrl-D ends. Each session is one new conversation.

Without a URL it starts the action server, then `rasa shell` in the foreground (for a
developer without a running system):

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

import argparse
import json
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from typing import Any, TextIO

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


REST_PATH = "/webhooks/rest/webhook"
REST_TIMEOUT = 30.0


def rest_endpoint(url: str) -> str:
    """The REST channel of a Rasa server's address (or the channel's address itself)."""
    url = url.rstrip("/")
    return url if url.endswith(REST_PATH) else url + REST_PATH


def post(endpoint: str, sender: str, message: str) -> list[dict[str, Any]]:
    body = json.dumps({"sender": sender, "message": message}).encode()
    request = urllib.request.Request(
        endpoint, data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=REST_TIMEOUT) as response:
        answer = json.loads(response.read())
    if not isinstance(answer, list):
        raise ValueError("the server's answer is not a list of messages")
    return [m for m in answer if isinstance(m, dict)]


def show(messages: list[dict[str, Any]], out: TextIO) -> list[dict[str, Any]]:
    """Print the bot's messages as the terminal shows them; return the reply buttons."""
    choices: list[dict[str, Any]] = []
    for message in messages:
        shown = plain_message(message)
        if shown.get("text"):
            out.write(shown["text"] + "\n")
        choices = [b for b in shown.get("buttons") or [] if b.get("payload")] or choices
    for number, choice in enumerate(choices, 1):
        out.write(f"  {number}. {choice.get('title') or choice['payload']}\n")
    out.write("\n")
    return choices


def rest_terminal(url: str, read: Callable[[str], str] = input, out: TextIO = sys.stdout) -> int:
    """Ask the running assistant at `url` (REST channel) until an empty line or end of input."""
    endpoint = rest_endpoint(url)
    sender = str(uuid.uuid4())  # the REST channel accepts only unguessable (UUID) ids
    out.write(f"{endpoint} (conversation {sender}); empty line or Ctrl-D ends.\n\n")
    choices: list[dict[str, Any]] = []
    while True:
        try:
            line = read("Frage> ").strip()
        except (EOFError, KeyboardInterrupt):
            out.write("\n")
            return 0
        if not line:
            return 0
        message = line
        if line.isdigit() and 1 <= int(line) <= len(choices):
            message = str(choices[int(line) - 1]["payload"])
        try:
            choices = show(post(endpoint, sender, message), out)
        except (OSError, ValueError) as exc:  # URLError, HTTPError, timeouts, bad JSON
            out.write(f"Keine Antwort von {endpoint}: {exc}\n\n")


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
    parser = argparse.ArgumentParser(prog="python -m service.shell", description=__doc__)
    parser.add_argument("--url", help="a running Rasa server (REST channel); starts nothing")
    options = parser.parse_args()
    sys.exit(rest_terminal(options.url) if options.url else main())
