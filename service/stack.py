"""Start and stop the running system: action server, Rasa server and the widget's web server.

Used by `make run` (`python -m service.stack up`), by the end-to-end tests (the `Stack` context
manager) and by the benchmarks. Standard library only, so that the second environment
(`.venv-channels`, Matrix bridge and browser tests) can import it too.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from channels.bounds import MAX_READ_BYTES
from channels.tokens import private_dir
from service.stores import POOL_ENV, endpoints_yaml, tracker_url

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
LOG_DIR = ROOT / "run"
MODEL_DIR = ROOT / "bot" / "models"

QUIET_ENV = {
    "RASA_TELEMETRY_ENABLED": "false",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "PYTHONUNBUFFERED": "1",
    "SANIC_REGISTER": "False",
}


class StackError(RuntimeError):
    """A service did not start; the message says which one and where its log is."""


@dataclass
class Service:
    name: str
    port: int
    argv: list[str]
    health_url: str
    env: dict[str, str] = field(default_factory=dict)
    probe: Callable[[], bool] | None = None  # readiness other than HTTP (databases)
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    ready_after: float | None = None

    @property
    def log_path(self) -> Path:
        return LOG_DIR / f"{self.name}-{self.port}.log"  # test stacks run beside `make run`


@dataclass
class Ports:
    rasa: int = int(os.environ.get("RASA_PORT", "5005"))
    actions: int = int(os.environ.get("ACTIONS_PORT", "5055"))
    web: int = int(os.environ.get("WEB_PORT", "8080"))


def cors_origins(ports: Ports) -> list[str]:
    """Origins allowed to call the Rasa server from a browser: CORS_ORIGINS (space separated)
    or, by default, the demo page of `make run`."""
    configured = os.environ.get("CORS_ORIGINS", "").split()
    return configured or [f"http://localhost:{ports.web}", f"http://127.0.0.1:{ports.web}"]


def default_credentials() -> Path:
    """credentials.telegram.yml (REST + Telegram) when TELEGRAM_TOKEN is set, else credentials.yml.

    Only `make run` uses this; test stacks name their credentials explicitly, so an exported
    TELEGRAM_TOKEN on a developer's machine does not change what the tests start."""
    telegram = bool(os.environ.get("TELEGRAM_TOKEN"))
    return ROOT / ("credentials.telegram.yml" if telegram else "credentials.yml")


def latest_model(model_dir: Path = MODEL_DIR) -> Path:
    models = sorted(model_dir.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        raise StackError(f"no trained model in {model_dir}: run `make train` first")
    return models[-1]


def endpoints_file(
    ports: Ports, *, tracker: str | None = None, lock: str | None = None, actions_url: str = ""
) -> Path:
    """endpoints.yml with this stack's action server (tests use other ports) and stores.

    The tracker store is `tracker` or TRACKER_STORE_URL or, by default, the SQLite file
    run/tracker-<Rasa port>.db; `lock` (or LOCK_STORE_URL) adds a Redis lock store. The file
    may hold a database password, so only its owner can read it."""
    private_dir(LOG_DIR)
    path = LOG_DIR / f"endpoints-{ports.rasa}.yml"
    template = (ROOT / "endpoints.yml").read_text(encoding="utf-8")
    template = template.replace(
        "http://localhost:5055", actions_url or f"http://127.0.0.1:{ports.actions}"
    )
    stores = endpoints_yaml(
        tracker or tracker_url(ports.rasa),
        lock or os.environ.get("LOCK_STORE_URL") or None,
    )
    path.touch(mode=0o600)
    path.chmod(0o600)
    path.write_text(template.rstrip("\n") + "\n" + stores, encoding="utf-8")
    return path


def actions_service(port: int, name: str = "actions") -> Service:
    # rasa_sdk binds SANIC_HOST (its default: every interface)
    return Service(
        name,
        port,
        [str(VENV_BIN / "python"), "-m", "actions"],
        f"http://127.0.0.1:{port}/health",
        env={
            "ACTIONS_PORT": str(port),
            "SANIC_HOST": os.environ.get("ACTIONS_INTERFACE", "127.0.0.1"),
        },
    )


def rasa_service(
    ports: Ports,
    *,
    name: str = "rasa",
    credentials: Path | None = None,
    tracker: str | None = None,
    lock: str | None = None,
    actions_url: str = "",
) -> Service:
    """A Rasa server on `ports.rasa`; `actions_url` overrides the action server of `ports`
    (the cluster's balancer), `lock` adds a Redis lock store."""
    endpoints = endpoints_file(ports, tracker=tracker, lock=lock, actions_url=actions_url)
    argv = [
        str(VENV_BIN / "rasa"), "run",
        "--model", str(latest_model()),
        "--endpoints", str(endpoints),
        "--credentials", str(credentials or ROOT / "credentials.yml"),
        "--port", str(ports.rasa),
        "--interface", os.environ.get("RASA_INTERFACE", "127.0.0.1"),
        "--cors", *cors_origins(ports),
    ]  # fmt: skip
    token = os.environ.get("RASA_AUTH_TOKEN")
    if token:  # the HTTP API is only ever enabled behind a token
        argv += ["--enable-api", "--auth-token", token]
    env = {key: os.environ.get(key, value) for key, value in POOL_ENV.items()}
    env["CORS_ORIGINS"] = " ".join(cors_origins(ports))  # socket.io's origin check
    # Sanic reads a request body up to this size before any check (default 100 MB); the
    # channels allow 64 kB (channels.bounds). Only the Rasa server: the action server's
    # requests come from Rasa and carry a whole turn.
    env["SANIC_REQUEST_MAX_SIZE"] = str(MAX_READ_BYTES)
    return Service(name, ports.rasa, argv, f"http://127.0.0.1:{ports.rasa}/", env=env)


def web_service(port: int, rasa_url: str) -> Service:
    return Service(
        "web",
        port,
        [str(VENV_BIN / "python"), "-m", "service.webserver", "--port", str(port)],
        f"http://127.0.0.1:{port}/",
        env={"RASA_URL": rasa_url},
    )


def services(
    ports: Ports,
    *,
    web: bool = True,
    credentials: Path | None = None,
    tracker: str | None = None,
) -> list[Service]:
    """The processes of the running system, in start order."""
    found = [
        actions_service(ports.actions),
        rasa_service(ports, credentials=credentials, tracker=tracker),
    ]
    if web:
        found.append(web_service(ports.web, f"http://localhost:{ports.rasa}"))
    return found


def ensure_indexes(tracker: str) -> None:
    """Add the indexes Rasa does not create to the tracker store (after Rasa created its table).

    Runs `python -m service.trackerdb indexes` in `.venv`, which has SQLAlchemy and the
    PostgreSQL driver; this module stays standard-library only."""
    result = subprocess.run(
        [str(VENV_BIN / "python"), "-m", "service.trackerdb", "indexes", "--url", tracker],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **QUIET_ENV},
    )
    if result.returncode != 0:
        raise StackError(f"tracker store indexes: {(result.stderr or result.stdout).strip()}")


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return 200 <= response.status < 300
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def _tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def private_log(path: Path) -> Any:
    """A log file only its owner can read (logs name senders and times)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.chmod(path, 0o600)  # an older log may have been world-readable
    return os.fdopen(descriptor, "wb")


def start(service: Service) -> None:
    private_dir(LOG_DIR)
    env = {**os.environ, **QUIET_ENV, **service.env}
    with private_log(service.log_path) as log:
        service.started_at = time.monotonic()
        service.process = subprocess.Popen(
            service.argv,
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: stopped as a whole
            umask=0o077,  # what it creates (the SQLite tracker store, keys) is owner-only
        )


def wait_healthy(service: Service, timeout: float = 180.0) -> float:
    """Block until the service answers its health URL; return seconds since its start."""
    deadline = time.monotonic() + timeout
    assert service.process is not None
    while time.monotonic() < deadline:
        if service.process.poll() is not None:
            raise StackError(
                f"{service.name} exited with code {service.process.returncode}; "
                f"log {service.log_path}:\n{_tail(service.log_path)}"
            )
        if service.probe() if service.probe else _healthy(service.health_url):
            service.ready_after = time.monotonic() - service.started_at
            return service.ready_after
        time.sleep(0.2)
    raise StackError(f"{service.name} not healthy after {timeout:.0f} s; log {service.log_path}")


def stop(service: Service, grace: float = 10.0) -> None:
    process = service.process
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass


@dataclass
class Stack:
    """The running system, for tests and benchmarks: `with Stack() as s: s.rest_url`."""

    ports: Ports = field(default_factory=Ports)
    web: bool = True
    credentials: Path | None = None
    tracker: str | None = None  # SQL URL; default TRACKER_STORE_URL or run/tracker-<port>.db
    running: list[Service] = field(default_factory=list)
    timeout: float = 180.0  # seconds each service may take to become healthy

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.rasa}"

    @property
    def tracker_url(self) -> str:
        return self.tracker or tracker_url(self.ports.rasa)

    @property
    def rest_url(self) -> str:
        return f"{self.rasa_url}/webhooks/rest/webhook"

    @property
    def matrix_url(self) -> str:
        """The Matrix bridge's channel (channels.rest.MatrixInput)."""
        return f"{self.rasa_url}/webhooks/matrix/webhook"

    @property
    def actions_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.actions}"

    @property
    def web_url(self) -> str:
        return f"http://localhost:{self.ports.web}"

    @property
    def sql_store(self) -> bool:
        """Whether the Rasa server keeps conversations in the SQL tracker store (it does
        unless a benchmark variant chose another)."""
        return True

    def planned(self) -> list[Service]:
        """The services to start (the benchmarks override this to vary their settings)."""
        return services(
            self.ports, web=self.web, credentials=self.credentials, tracker=self.tracker
        )

    def __enter__(self) -> Stack:
        try:
            for service in self.planned():
                start(service)
                self.running.append(service)
            # The action server and the web server start while Rasa loads its model.
            for service in self.running:
                wait_healthy(service, self.timeout)
            if self.sql_store:
                ensure_indexes(self.tracker_url)
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        for service in reversed(self.running):
            stop(service)
        self.running.clear()

    def startup_seconds(self) -> dict[str, float | None]:
        return {s.name: s.ready_after for s in self.running}


def new_sender() -> str:
    """A conversation id as the widget makes one: a random UUID (the REST channel accepts
    nothing else)."""
    return str(uuid.uuid4())


def send(
    rest_url: str, sender: str, text: str, timeout: float = 30.0, message_id: str | None = None
) -> list[dict]:
    """Send one message through Rasa's REST channel and return the bot's messages."""
    payload = {"sender": sender, "message": text}
    if message_id is not None:
        payload["message_id"] = message_id
    body = json.dumps(payload).encode()
    request = urllib.request.Request(
        rest_url, data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


@contextmanager
def _signals_stop() -> Iterator[None]:
    """Turn SIGTERM into KeyboardInterrupt so `kill` stops the stack as cleanly as Ctrl-C."""

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m service.stack", description=__doc__)
    parser.add_argument("command", choices=["up"], help="start every service and wait for Ctrl-C")
    parser.add_argument("--no-web", action="store_true", help="do not serve the widget demo page")
    args = parser.parse_args(argv)
    ports = Ports()
    with _signals_stop():
        try:
            print("Starting the action server, the Rasa server and the demo page …", flush=True)
            credentials = default_credentials()
            with Stack(ports=ports, web=not args.no_web, credentials=credentials) as stack:
                for service in stack.running:
                    print(f"  {service.name:8s} ready after {service.ready_after:5.1f} s  "
                          f"(log: {service.log_path.relative_to(ROOT)})")  # fmt: skip
                print(f"\nREST channel:  {stack.rest_url}")
                if credentials.name == "credentials.telegram.yml":
                    print(f"Telegram:      webhook {os.environ.get('TELEGRAM_WEBHOOK_URL', '?')}")
                if not args.no_web:
                    print(f"Demo page:     {stack.web_url}/")
                print("Press Ctrl-C to stop.", flush=True)
                while all(s.process and s.process.poll() is None for s in stack.running):
                    time.sleep(0.5)
                dead = [s.name for s in stack.running if s.process and s.process.poll() is not None]
                print(f"\n{', '.join(dead)} stopped unexpectedly; see run/*.log. Stopping.")
                return 1
        except StackError as exc:
            print(f"Could not start: {exc}", file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            print("\nStopped.")
            return 0


if __name__ == "__main__":
    sys.exit(main())
