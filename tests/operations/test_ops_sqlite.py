"""The single node's SQLite tracker store: write-ahead logging, and conversations kept."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from service.sqlstore import SQLTrackerStore


def test_the_sqlite_file_uses_a_write_ahead_log(tmp_path: Path) -> None:
    path = tmp_path / "tracker.db"
    store = SQLTrackerStore(dialect="sqlite", db=str(path))
    tracker = DialogueStateTracker("citizen", [])
    tracker.update(ActionExecuted("action_listen"))
    tracker.update(UserUttered("Gibt es Projekte zur Kita-Anmeldung?"))
    asyncio.run(store.save(tracker))
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with store.engine.connect() as connection:  # Rasa's own connections: still FULL
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2
    again = asyncio.run(SQLTrackerStore(dialect="sqlite", db=str(path)).retrieve("citizen"))
    assert again is not None
    assert again.latest_message.text == "Gibt es Projekte zur Kita-Anmeldung?"
