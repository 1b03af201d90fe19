"""Where conversations live: the tracker store and the lock store, from two URLs.

`TRACKER_STORE_URL` names the SQL database of the conversations (default: a SQLite file under
`run/`, so a single node needs nothing installed); `postgresql://user:password@host:5432/rasa`
switches to PostgreSQL. `LOCK_STORE_URL` (`redis://host:6379/1`) adds Rasa's Redis lock store,
which several Rasa servers sharing one tracker store need. `service.stack` turns both into the
`tracker_store:` and `lock_store:` sections of the endpoints file it passes to `rasa run`.

Standard library only (imported by `service.stack`, which `.venv-channels` uses too).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
RUN_DIR = ROOT / "run"

# Rasa 3.6 opens up to 50 + 100 connections per process by default; PostgreSQL allows 100 in
# all. Five plus ten per Rasa server lets several replicas and the project's commands share it.
POOL_ENV = {"SQL_POOL_SIZE": "5", "SQL_MAX_OVERFLOW": "10"}


class StoreUrlError(ValueError):
    """A tracker or lock store URL the project cannot use; the message says why."""


@dataclass(frozen=True)
class SqlStore:
    dialect: str  # "sqlite" or "postgresql"
    db: str  # file path for SQLite, database name for PostgreSQL
    host: str | None = None
    port: int | None = None
    username: str | None = None
    password: str | None = None

    @property
    def url(self) -> str:
        """The SQLAlchemy URL (for the project's own commands: indexes, purge, report)."""
        if self.dialect == "sqlite":
            return f"sqlite:///{self.db}"
        auth = ""
        if self.username:
            auth = self.username + (f":{self.password}" if self.password else "") + "@"
        port = f":{self.port}" if self.port else ""
        return f"postgresql://{auth}{self.host or 'localhost'}{port}/{self.db}"

    def endpoint_section(self) -> dict[str, object]:
        section: dict[str, object] = {
            "type": "service.sqlstore.SQLTrackerStore",  # Rasa's, with pre-ping
            "dialect": self.dialect,
            "db": self.db,
        }
        # Rasa passes the endpoint's `url` as the host
        for key, value in (("url", self.host), ("port", self.port)):
            if value is not None:
                section[key] = value
        for key in ("username", "password"):
            if getattr(self, key) is not None:
                section[key] = getattr(self, key)
        return section


@dataclass(frozen=True)
class RedisStore:
    host: str
    port: int = 6379
    db: int = 1
    password: str | None = None

    def endpoint_section(self) -> dict[str, object]:
        section: dict[str, object] = {
            "type": "service.locks.RedisLockStore",  # Rasa's, with an owned, renewed lock
            "url": self.host,
            "port": self.port,
            "db": self.db,
            "key_prefix": "modellregionen",
        }
        if self.password:
            section["password"] = self.password
        return section


def default_sqlite(name: str) -> str:
    return f"sqlite:///{RUN_DIR / name}"


def parse_sql(url: str) -> SqlStore:
    """`sqlite:///path` (relative paths are relative to the project) or
    `postgresql://user:password@host:port/database`."""
    parts = urlsplit(url)
    scheme = parts.scheme.split("+")[0]
    if scheme == "sqlite":
        path = url.split(":///", 1)[1] if ":///" in url else ""
        if not path:
            raise StoreUrlError(f"SQLite URL without a file: {url!r} (use sqlite:///run/x.db)")
        file = Path(path)
        return SqlStore("sqlite", str(file if file.is_absolute() else ROOT / file))
    if scheme in ("postgresql", "postgres"):
        db = parts.path.lstrip("/")
        if not db:
            raise StoreUrlError("PostgreSQL URL without a database name, e.g. …/rasa")
        return SqlStore(
            "postgresql",
            unquote(db),
            host=parts.hostname or "localhost",
            port=parts.port,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
        )
    raise StoreUrlError(f"tracker store URL must be sqlite:/// or postgresql://, got {scheme!r}")


def parse_redis(url: str) -> RedisStore:
    parts = urlsplit(url)
    if parts.scheme != "redis":
        raise StoreUrlError(f"lock store URL must be redis://host:port/db, got {url!r}")
    db = parts.path.lstrip("/")
    return RedisStore(
        parts.hostname or "localhost",
        parts.port or 6379,
        int(db) if db else 1,
        unquote(parts.password) if parts.password else None,
    )


def tracker_url(rasa_port: int | None = None) -> str:
    """TRACKER_STORE_URL, or the SQLite file run/tracker-<Rasa port>.db (RASA_PORT, 5005):
    each stack on one machine (`make run`, the test stacks) has a file of its own."""
    port = rasa_port or int(os.environ.get("RASA_PORT", "5005"))
    return os.environ.get("TRACKER_STORE_URL") or default_sqlite(f"tracker-{port}.db")


def endpoints_yaml(tracker: str, lock: str | None = None) -> str:
    """The `tracker_store:` (and `lock_store:`) sections of an endpoints file.

    Values are written as JSON scalars, which are valid YAML and need no quoting rules."""
    sections = {"tracker_store": parse_sql(tracker).endpoint_section()}
    if lock:
        sections["lock_store"] = parse_redis(lock).endpoint_section()
    lines = []
    for name, section in sections.items():
        lines.append(f"{name}:")
        lines += [f"  {key}: {json.dumps(value)}" for key, value in section.items()]
    return "\n".join(lines) + "\n"
