"""Secrets the channels share between processes of one checkout, in owner-only files, and the
pseudonyms made with them.

The Matrix bridge's token for the Rasa server's Matrix channel (`MATRIX_BRIDGE_TOKEN`, else
`run/matrix-bridge.token`), the keys of the sender pseudonyms of Matrix (`MATRIX_SENDER_KEY`,
else `run/matrix-sender.key`) and Telegram (`TELEGRAM_SENDER_KEY`, else
`run/telegram-sender.key`). A file is made at random on first use, mode 0600 in a 0700 folder.
Standard library only: the Rasa server (`.venv`) and the bridge (`.venv-channels`) both read it.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

RUN_DIR = Path(__file__).resolve().parent.parent / "run"


def private_dir(path: Path) -> Path:
    """`path` as a folder only its owner can enter (made if missing, tightened if not): 0700,
    or 0710 where it was given to another group on purpose (the cluster lets PostgreSQL,
    which runs as its own user, pass through to its data: service.cluster)."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o710 if path.stat().st_gid != os.getegid() else 0o700)
    return path


def kept_secret(variable: str, name: str, env: dict[str, str] | None = None) -> str:
    """The environment variable `variable` (of `env`, default the process's), else the
    content of run/`name`, made with a random value (0600, created exclusively) if missing."""
    configured = (os.environ if env is None else env).get(variable, "").strip()
    if configured:
        return configured
    path = private_dir(RUN_DIR) / name
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_hex(32))
    return path.read_text().strip()


def bridge_token() -> str:
    """The token the Matrix bridge sends to the Rasa server's Matrix channel."""
    return kept_secret("MATRIX_BRIDGE_TOKEN", "matrix-bridge.token")


def pseudonym(key: bytes, *parts: str) -> str:
    """A conversation id that names no account: a keyed SHA-256 of `parts` (the same person
    gets the same id as long as the key is kept; without the key it cannot be traced back)."""
    return hmac.new(key, "\n".join(parts).encode(), hashlib.sha256).hexdigest()[:32]
