"""Test harness of the Matrix tests (.venv-channels): a real Synapse homeserver, the bridge as
a subprocess, and a citizen's Matrix client."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from nio import AsyncClient, JoinedMembersResponse, RoomCreateResponse, RoomSendResponse

from tests.support import port_free

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
SYNAPSE_PORTS = range(8448, 8468)
SHARED_SECRET = "modellregionen-test-registration-secret"
_HIGH = {"per_second": 10_000, "burst_count": 10_000}

HOMESERVER_YAML = """\
server_name: localhost
pid_file: {dir}/homeserver.pid
public_baseurl: http://127.0.0.1:{port}/
listeners:
  - port: {port}
    bind_addresses: ['127.0.0.1']
    type: http
    tls: false
    x_forwarded: false
    resources:
      - names: [client]
        compress: false
database:
  name: sqlite3
  args:
    database: {dir}/homeserver.db
log_config: {dir}/log.yaml
media_store_path: {dir}/media
signing_key_path: {dir}/localhost.signing.key
report_stats: false
trusted_key_servers: []
suppress_key_server_warning: true
url_preview_enabled: false
enable_registration: false
registration_shared_secret: {secret}
macaroon_secret_key: test-macaroon-secret-{port}
form_secret: test-form-secret-{port}
bcrypt_rounds: 4
presence:
  enabled: false
rc_message: {high}
rc_registration: {high}
rc_registration_token_validity: {high}
rc_login:
  address: {high}
  account: {high}
  failed_attempts: {high}
rc_joins:
  local: {high}
  remote: {high}
rc_joins_per_room: {high}
rc_invites:
  per_room: {high}
  per_user: {high}
  per_issuer: {high}
rc_admin_redaction: {high}
rc_3pid_validation: {high}
rc_room_creation: {high}
"""

LOG_YAML = """\
version: 1
formatters:
  precise:
    format: '%(asctime)s %(name)s %(levelname)s %(message)s'
handlers:
  file:
    class: logging.FileHandler
    filename: {dir}/homeserver.log
    formatter: precise
root:
  level: WARNING
  handlers: [file]
disable_existing_loggers: false
"""


def _stop_process(process: subprocess.Popen[bytes], grace: float = 15.0) -> int:
    """SIGTERM the process group, SIGKILL after `grace` seconds; return the exit code."""
    if process.poll() is None:
        with_group = True
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            with_group = False
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            if with_group:
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    return process.returncode


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


@dataclass
class User:
    user_id: str
    password: str
    access_token: str
    device_id: str


@dataclass
class Synapse:
    """A Synapse homeserver for the tests: SQLite, one client listener on 127.0.0.1, no
    federation, registration only with the shared secret, rate limits raised."""

    port: int
    directory: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def argv(self) -> list[str]:
        config = self.directory / "homeserver.yaml"
        return [PYTHON, "-m", "synapse.app.homeserver", "--config-path", str(config)]

    @classmethod
    def configure(cls, directory: Path) -> Synapse:
        """Write homeserver.yaml and the signing key into `directory`."""
        port = next((p for p in SYNAPSE_PORTS if port_free(p)), None)
        assert port is not None, f"no free port for Synapse in {SYNAPSE_PORTS}"
        high = "{" + ", ".join(f"{k}: {v}" for k, v in _HIGH.items()) + "}"
        (directory / "homeserver.yaml").write_text(
            HOMESERVER_YAML.format(dir=directory, port=port, secret=SHARED_SECRET, high=high)
        )
        (directory / "log.yaml").write_text(LOG_YAML.format(dir=directory))
        server = cls(port, directory)
        generated = subprocess.run(
            [*server.argv, "--generate-keys"], capture_output=True, text=True, timeout=120
        )
        assert generated.returncode == 0, generated.stderr[-2000:]
        return server

    def start(self, timeout: float = 120.0) -> None:
        assert port_free(self.port), f"port {self.port} is in use"
        with (self.directory / "stdout.log").open("ab") as log:
            self.process = subprocess.Popen(
                self.argv,
                cwd=self.directory,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise AssertionError(
                    f"Synapse exited with {self.process.returncode}:\n"
                    f"{tail(self.directory / 'stdout.log')}\n"
                    f"{tail(self.directory / 'homeserver.log')}"
                )
            try:
                if requests.get(f"{self.url}/_matrix/client/versions", timeout=2).ok:
                    return
            except requests.RequestException:
                pass
            assert time.monotonic() < deadline, f"Synapse did not start within {timeout:.0f} s"
            time.sleep(0.3)

    def stop(self) -> None:
        if self.process is not None:
            _stop_process(self.process)

    def register(self, localpart: str, password: str) -> User:
        """Register a user with the shared-secret admin API (as register_new_matrix_user)."""
        endpoint = f"{self.url}/_synapse/admin/v1/register"
        nonce = requests.get(endpoint, timeout=10).json()["nonce"]
        mac = hmac.new(SHARED_SECRET.encode(), digestmod=hashlib.sha1)
        mac.update(f"{nonce}\0{localpart}\0{password}\0notadmin".encode())
        response = requests.post(
            endpoint,
            json={
                "nonce": nonce,
                "username": localpart,
                "password": password,
                "admin": False,
                "mac": mac.hexdigest(),
            },
            timeout=30,
        )
        response.raise_for_status()
        body = response.json()
        return User(body["user_id"], password, body["access_token"], body["device_id"])


@dataclass
class BridgeProcess:
    process: subprocess.Popen[bytes]
    log_path: Path
    _stopped: int | None = field(default=None)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_for_log(self, text: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.log():
            if self.process.poll() is not None:
                raise AssertionError(
                    f"bridge exited with {self.process.returncode}:\n{tail(self.log_path)}"
                )
            if time.monotonic() > deadline:
                raise AssertionError(f"bridge log has no {text!r} after {timeout:.0f} s:\n"
                                     f"{tail(self.log_path)}")  # fmt: skip
            time.sleep(0.2)

    def stop(self, signum: int = signal.SIGTERM, timeout: float = 20.0) -> int:
        """Send `signum` and return the exit code (killed after `timeout` seconds)."""
        if self._stopped is not None:
            return self._stopped
        if self.process.poll() is None:
            self.process.send_signal(signum)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                _stop_process(self.process, grace=2)
                self._stopped = -999
                return self._stopped
        self._stopped = self.process.returncode
        return self._stopped


StartBridge = Callable[..., BridgeProcess]


ANSWER_TIMEOUT = 90.0
Content = dict[str, Any]


class Citizen:
    """A Matrix user in the test, with just what a person in a chat app does."""

    def __init__(self, synapse: Synapse, user: User) -> None:
        self.user = user
        self.client = AsyncClient(synapse.url, user.user_id)
        self.client.restore_login(user.user_id, user.device_id, user.access_token)

    async def __aenter__(self) -> Citizen:
        await self.client.sync(timeout=0, full_state=True)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.client.close()

    async def open_room_with(self, bot_id: str, encrypted: bool = False) -> str:
        initial_state = (
            [
                {
                    "type": "m.room.encryption",
                    "state_key": "",
                    "content": {"algorithm": "m.megolm.v1.aes-sha2"},
                }
            ]
            if encrypted
            else []
        )
        response = await self.client.room_create(
            name="Fragen an den Assistenten",
            invite=[bot_id],
            is_direct=True,
            initial_state=initial_state,
        )
        assert isinstance(response, RoomCreateResponse), response
        return response.room_id

    async def wait_member(self, room_id: str, user_id: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            members = await self.client.joined_members(room_id)
            if isinstance(members, JoinedMembersResponse) and any(
                m.user_id == user_id for m in members.members
            ):
                return
            await asyncio.sleep(0.3)
        raise AssertionError(f"{user_id} did not join {room_id} within {timeout:.0f} s")

    async def say(self, room_id: str, text: str) -> str:
        """Send a text message; its event id is what `read(after=…)` waits behind."""
        response = await self.client.room_send(
            room_id, "m.room.message", {"msgtype": "m.text", "body": text}
        )
        assert isinstance(response, RoomSendResponse), response
        return response.event_id

    async def read(
        self,
        room_id: str,
        sender: str,
        after: str,
        done: Callable[[list[Content]], bool],
        timeout: float = ANSWER_TIMEOUT,
        settle: float = 1.5,
    ) -> list[Content]:
        """Messages from `sender` in the room that follow the event `after` (the citizen's
        message), until `done(contents)`, then `settle` seconds more for the rest of a
        multi-message answer. Only events synced after `after` was sent are seen."""
        found: list[Content] = []
        after_mine = False
        deadline = time.monotonic() + timeout
        settled_at: float | None = None
        while time.monotonic() < deadline:
            if settled_at is not None and time.monotonic() >= settled_at:
                return found
            response = await self.client.sync(timeout=500)
            rooms = getattr(response, "rooms", None)
            info = rooms.join.get(room_id) if rooms else None
            for event in info.timeline.events if info else []:
                if event.event_id == after:
                    after_mine = True
                elif (
                    after_mine
                    and event.sender == sender
                    and event.source.get("type") == "m.room.message"
                ):
                    found.append(event.source["content"])
            if settled_at is None and done(found):
                settled_at = time.monotonic() + settle
        if settled_at is not None:
            return found
        raise AssertionError(f"no fitting answer within {timeout:.0f} s; got: {bodies(found)}")


def bodies(contents: list[Content]) -> str:
    return "\n---\n".join(c.get("body", "") for c in contents)


def has(*needles: str) -> Callable[[list[Content]], bool]:
    return lambda contents: all(n in bodies(contents) for n in needles)
