"""The staff terminal: `make shell` (python -m service.shell: the action server, then
`rasa shell --model … --endpoints … --port …`) driven through a pseudo-terminal with pexpect.

Quirks of driving `rasa shell` (prompt_toolkit/questionary) this way:
- It needs a terminal: a pty with a size (pexpect's `dimensions`, wide so that answers are not
  wrapped) and a TERM prompt_toolkit knows ("xterm").
- Its output is full of ANSI escapes (colours, cursor movement), and the prompt line
  "Your input ->" is redrawn with every typed character, so seeing the prompt again says
  nothing about an answer. The test reads the screen output, strips the escapes and waits
  for a text of the answer (the e-mail address), never for the prompt alone.
- If the bot's last message has buttons, rasa shell does not show "Your input ->" but a
  questionary menu of the buttons plus "Type out your own message..."; arrow-up (the menu
  wraps around) and Enter choose that entry, then the free-text prompt follows.
- The first prompt appears when the model is loaded (over a minute on this machine).
"""

from __future__ import annotations

import os
import re
import socket
import sys
import time
from pathlib import Path

import pytest

from service.stack import ROOT
from tests.support import (
    port_free,
    port_offset,
    require_free_ports,
    require_index,
    require_model,
    require_module,
)

pexpect = require_module("pexpect", "it is pinned in requirements/lock.txt (`make install`)")

pytestmark = pytest.mark.e2e

ACTIONS_PORT = 5355 + port_offset()
SHELL_PORT = 5305 + port_offset()  # service.shell runs `rasa shell` on RASA_PORT + 1
PROMPT = "Your input ->"
FREE_TEXT = "Type out your own message..."
ARROW_UP = "\x1b[A"
START_TIMEOUT = 240
ANSWER_TIMEOUT = 60
ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-Z\\-_]|\r")


def clean(text: str) -> str:
    return ANSI.sub("", text)


@pytest.fixture
def shell() -> pexpect.spawn:
    require_model()
    require_index()
    require_free_ports(ACTIONS_PORT, SHELL_PORT, purpose="the shell test")
    env = {
        **os.environ,
        "RASA_PORT": str(SHELL_PORT - 1),
        "ACTIONS_PORT": str(ACTIONS_PORT),
        "TERM": "xterm",
        "COLUMNS": "250",
        "LINES": "50",
        "RASA_TELEMETRY_ENABLED": "false",
        "PYTHONUNBUFFERED": "1",
    }
    child = pexpect.spawn(
        sys.executable,
        ["-m", "service.shell"],  # what `make shell` runs
        cwd=str(ROOT),
        env=env,
        encoding="utf-8",
        codec_errors="replace",
        dimensions=(50, 250),
        timeout=ANSWER_TIMEOUT,
    )
    child.logfile_read = _Transcript()  # for failure messages
    try:
        yield child
    finally:
        if child.isalive():
            child.terminate(force=True)
        _waitport_free(ACTIONS_PORT)


class _Transcript:
    """Keeps what the terminal showed, for assertion messages."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, data: str) -> None:
        self.parts.append(data)

    def flush(self) -> None:
        pass

    def text(self, last: int = 4000) -> str:
        return clean("".join(self.parts))[-last:]


def listening_hosts(port: int) -> set[str]:
    """The local addresses a TCP port listens on (from /proc/net/tcp and tcp6)."""
    hosts = set()
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, _, hex_port = local.partition(":")
            if state == "0A" and int(hex_port, 16) == port and len(address) == width:
                raw = bytes.fromhex(address)
                if width == 8:
                    hosts.add(socket.inet_ntop(socket.AF_INET, raw[::-1]))
                else:
                    words = b"".join(raw[i : i + 4][::-1] for i in range(0, 16, 4))
                    hosts.add(socket.inet_ntop(socket.AF_INET6, words))
    return hosts


def _waitport_free(port: int, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not port_free(port) and time.monotonic() < deadline:
        time.sleep(0.2)


class Screen:
    """What the terminal showed so far, escape sequences removed; `wait` reads more until a
    text appears after a given position."""

    def __init__(self, child: pexpect.spawn) -> None:
        self.child = child
        self.raw = ""

    @property
    def text(self) -> str:
        return clean(self.raw)

    def wait(self, texts: str | tuple[str, ...], after: int, timeout: float) -> tuple[str, int]:
        """Wait until one of `texts` is shown at or after position `after` of `text`; return
        it and the position just behind it."""
        wanted = (texts,) if isinstance(texts, str) else texts
        deadline = time.monotonic() + timeout
        while True:
            shown = self.text
            hits = [(shown.find(t, after), t) for t in wanted if shown.find(t, after) >= 0]
            if hits:
                position, text = min(hits)
                return text, position + len(text)
            if time.monotonic() > deadline:
                pytest.fail(f"{wanted} not shown within {timeout:.0f} s:\n{shown[-4000:]}")
            try:
                self.raw += self.child.read_nonblocking(size=65536, timeout=0.5)
            except pexpect.TIMEOUT:
                continue
            except pexpect.EOF:
                pytest.fail(f"rasa shell ended while waiting for {wanted}:\n{shown[-4000:]}")


def test_staff_ask_in_the_terminal_and_stop(shell: pexpect.spawn) -> None:
    screen = Screen(shell)
    started = time.monotonic()
    _, end = screen.wait(PROMPT, 0, START_TIMEOUT)
    assert "Starting the action server" in screen.text
    ready_after = time.monotonic() - started

    # rasa shell's own server listens on the loopback interface only
    assert listening_hosts(SHELL_PORT) == {"127.0.0.1"}, listening_hosts(SHELL_PORT)

    asked_at = end
    shell.sendline("Wer ist Ansprechpartner für die Smartphone-Bürger-ID?")
    _, end = screen.wait("manfred.vom.sondern@gelsenkirchen.de", end, ANSWER_TIMEOUT)
    assert "Manfred vom Sondern" in screen.text
    # The next prompt: the free-text one, or a menu if the answer ended with buttons.
    shown, end = screen.wait((PROMPT, FREE_TEXT), end, 30)
    answer = screen.text[asked_at:end]
    assert "**" not in answer, f"markup shown raw: {answer}"  # plain text (channels.markdown)
    # the hand-over is a text line with the address, not a reply that would send "mailto:…"
    assert "Nachricht an Manfred vom Sondern schreiben (manfred.vom.sondern@" in answer, answer
    if shown == FREE_TEXT:
        shell.send(ARROW_UP)  # the menu wraps around to its last entry, FREE_TEXT
        shell.send("\r")
        _, end = screen.wait(PROMPT, end, 30)

    shell.sendline("/stop")
    try:
        shell.expect(pexpect.EOF, timeout=60)
    except pexpect.TIMEOUT:
        pytest.fail(f"rasa shell did not exit after /stop:\n{shell.logfile_read.text()}")
    shell.close()
    assert shell.exitstatus == 0, (shell.exitstatus, shell.signalstatus)
    # service.shell stops the action server it started.
    _waitport_free(ACTIONS_PORT)
    assert port_free(ACTIONS_PORT), "the action server is still running after /stop"
    print(f"rasa shell ready after {ready_after:.1f} s")


def test_staff_query_the_running_assistant_over_rest(stack) -> None:
    """`make shell URL=…` (python -m service.shell --url …): the REST channel of the running
    assistant, nothing started; plain text, buttons numbered and chosen by their number."""
    child = pexpect.spawn(
        sys.executable,
        ["-m", "service.shell", "--url", f"http://127.0.0.1:{stack.ports.rasa}"],
        cwd=str(ROOT),
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        encoding="utf-8",
        timeout=ANSWER_TIMEOUT,
    )
    try:
        child.expect_exact("Frage> ", timeout=30)
        child.sendline("Wer ist Ansprechpartner für die Smartphone-Bürger-ID?")
        child.expect_exact("Frage> ")
        answer = clean(child.before)
        assert "manfred.vom.sondern@gelsenkirchen.de" in answer, answer
        assert "**" not in answer, answer
        assert "Nachricht an Manfred vom Sondern schreiben (manfred.vom.sondern@" in answer
        menu = dict(re.findall(r"^ {2}(\d+)\. (.+)$", answer, re.MULTILINE))
        # the buttons name their project: "Laufzeit & Meilensteine: Smartphone-Bürger-ID"
        assert any(title.startswith("Laufzeit & Meilensteine") for title in menu.values()), answer
        # nothing was started: the terminal is one process without children
        children = Path(f"/proc/{child.pid}/task/{child.pid}/children").read_text().split()
        assert children == [], children

        number = next(n for n, title in menu.items() if title.startswith("Laufzeit & Meilensteine"))
        child.sendline(number)  # chooses the button: its payload is sent, not the digit
        child.expect_exact("Frage> ")
        period = clean(child.before)
        assert "Smartphone-Bürger-ID" in period and "2019" in period, period
        child.sendline("")
        child.expect(pexpect.EOF, timeout=10)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0
