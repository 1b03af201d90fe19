"""The SQL tracker store of every stack (service.sqlstore), on SQLite files: the recent
conversations it keeps in memory never hide what is in the database."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.utils.common import all_subclasses
from sqlalchemy.pool import QueuePool

from service.sqlstore import SQLTrackerStore

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = Domain.load(str(ROOT / "bot" / "domain.yml"))


def run(coroutine):
    return asyncio.run(coroutine)


def store(path: Path, **kwargs) -> SQLTrackerStore:
    return SQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(path), **kwargs)


def turn(tracker: DialogueStateTracker, text: str) -> None:
    tracker.update(ActionExecuted("action_listen"))
    tracker.update(UserUttered(text, intent={"name": "topic", "confidence": 0.9}))
    tracker.update(ActionExecuted("action_answer"))
    tracker.update(BotUttered(f"Antwort auf {text}"))
    tracker.update(SlotSet("language", "de"))


def texts(tracker: DialogueStateTracker | None) -> list[str]:
    assert tracker is not None
    return [e.text for e in tracker.events if isinstance(e, UserUttered)]


def new_conversation(db: SQLTrackerStore, sender: str = "citizen") -> DialogueStateTracker:
    """As Rasa starts one: the session's first save still holds `action_session_start`,
    which the database's session does not count; from the second turn on it is kept."""
    tracker = run(db.get_or_create_tracker(sender, append_action_listen=False))
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    turn(tracker, "Frage 1")
    run(db.save(tracker))
    assert sender not in db._kept
    tracker = run(db.retrieve(sender))
    turn(tracker, "Frage 2")
    run(db.save(tracker))
    return tracker


def test_the_sqlite_file_uses_a_write_ahead_log(tmp_path: Path) -> None:
    path = tmp_path / "tracker.db"
    db = store(path)
    new_conversation(db)
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with db.engine.connect() as connection:  # Rasa's own connections: still FULL
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2
    assert isinstance(db.engine.pool, QueuePool)  # kept open, not reopened per query
    again = run(store(path).retrieve("citizen"))
    assert texts(again) == ["Frage 1", "Frage 2"]


def test_the_saved_conversation_is_handed_over_and_equals_the_database(tmp_path: Path) -> None:
    path = tmp_path / "tracker.db"
    db = store(path)
    saved = new_conversation(db)
    kept = run(db.retrieve("citizen"))
    assert kept is saved  # not loaded again
    loaded = run(store(path).retrieve("citizen"))  # a server that never saw it
    assert loaded is not None and loaded is not saved
    assert [e.as_dict() for e in loaded.events] == [e.as_dict() for e in kept.events]
    assert loaded.current_slot_values() == kept.current_slot_values()


def test_another_server_writing_is_seen(tmp_path: Path) -> None:
    path = tmp_path / "tracker.db"
    first, second = store(path), store(path)
    new_conversation(first)
    other = run(second.retrieve("citizen"))
    turn(other, "Frage 3 beim anderen Server")
    run(second.save(other))
    assert texts(run(first.retrieve("citizen"))) == [
        "Frage 1",
        "Frage 2",
        "Frage 3 beim anderen Server",
    ]


def test_a_turn_that_never_saved_leaves_nothing_behind(tmp_path: Path) -> None:
    db = store(tmp_path / "tracker.db")
    new_conversation(db)
    failed = run(db.retrieve("citizen"))
    turn(failed, "Frage, deren Antwort abstürzte")  # changed, then no save
    assert texts(run(db.retrieve("citizen"))) == ["Frage 1", "Frage 2"]


def test_a_purged_conversation_is_gone(tmp_path: Path) -> None:
    path = tmp_path / "tracker.db"
    db = store(path)
    new_conversation(db)
    with sqlite3.connect(path) as connection:
        connection.execute("DELETE FROM events WHERE sender_id = 'citizen'")
    assert run(db.retrieve("citizen")) is None


def test_a_new_session_is_loaded_as_rasa_loads_it(tmp_path: Path) -> None:
    path = tmp_path / "tracker.db"
    db = store(path)
    tracker = new_conversation(db)
    tracker = run(db.retrieve("citizen"))
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())  # the old session's events are still in this tracker
    turn(tracker, "Frage nach einer Stunde")
    run(db.save(tracker))
    again = run(db.retrieve("citizen"))
    assert again is not tracker
    assert (
        texts(again) == texts(run(store(path).retrieve("citizen"))) == ["Frage nach einer Stunde"]
    )
    turn(again, "Frage 2 der neuen Sitzung")
    run(db.save(again))
    assert texts(run(store(path).retrieve("citizen"))) == [
        "Frage nach einer Stunde",
        "Frage 2 der neuen Sitzung",
    ]


def test_only_the_most_recent_conversations_are_kept(tmp_path: Path) -> None:
    db = store(tmp_path / "tracker.db", cached_conversations=2)
    for sender in ("a", "b", "c"):
        new_conversation(db, sender)
    assert list(db._kept) == ["b", "c"]
    assert texts(run(db.retrieve("a"))) == ["Frage 1", "Frage 2"]  # from the database
    none = store(tmp_path / "other.db", cached_conversations=0)
    new_conversation(none)
    assert not none._kept


@pytest.mark.parametrize("name", sorted({cls.type_name for cls in all_subclasses(Event)}))
def test_event_classes_are_the_ones_rasa_finds(name: str) -> None:
    from rasa_components import events

    assert Event.resolve_by_type(name) is events._original(name)
    assert Event.resolve_by_type(name) is events._original(name)  # also when remembered
    assert Event.resolve_by_type is events.resolve_by_type


def test_unknown_event_names_still_fail_as_in_rasa() -> None:
    import rasa_components  # noqa: F401

    with pytest.raises(ValueError, match="Unknown event name 'nonsense'"):
        Event.resolve_by_type("nonsense")
    assert Event.resolve_by_type("nonsense", default=SlotSet) is SlotSet
    assert Event.resolve_by_type("topic") is None


def test_kept_turns_write_each_event_once(tmp_path: Path) -> None:
    path = tmp_path / "tracker.db"
    db = store(path)
    new_conversation(db)
    for i in range(3, 13):
        tracker = run(db.retrieve("citizen"))
        assert tracker is db._handed["citizen"].tracker  # from memory, not loaded
        turn(tracker, f"Frage {i}")
        run(db.save(tracker))
    kept = db._kept["citizen"].tracker
    loaded = run(store(path).retrieve("citizen"))
    assert [e.as_dict() for e in loaded.events] == [e.as_dict() for e in kept.events]
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT count(*) FROM events").fetchone()[0]
    assert rows == len(kept.events) + 1  # + the first session's action_session_start
