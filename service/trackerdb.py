"""The project's own work on Rasa's SQL tracker store (SQLite or PostgreSQL).

Rasa 3.6 creates one table, `events` (sender_id, type_name, timestamp, intent_name,
action_name, data as JSON), indexes only `sender_id` and has no way to delete anything. This
module adds the indexes Rasa's own queries and the retention job need, deletes old
conversations and reads turns for the editors' report.

    python -m service.trackerdb indexes [--url URL]   # idempotent; `service.stack` runs it
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass

import sqlalchemy as sa

from service.stores import StoreUrlError, parse_sql, tracker_url

# Rasa loads a conversation with `WHERE sender_id = ? AND type_name = 'session_started'
# ORDER BY timestamp` and then its events by sender and timestamp; retention and the report
# select by timestamp.
INDEXES = {
    "ix_events_sender_type_time": ("sender_id", "type_name", "timestamp"),
    "ix_events_timestamp": ("timestamp",),
}

DAY = 86400.0


class NoTrackerStore(RuntimeError):
    """The tracker store has no `events` table yet (no Rasa server has used it)."""


def engine(url: str | None = None) -> sa.engine.Engine:
    store = parse_sql(url or tracker_url())
    if store.dialect == "sqlite":
        return sa.create_engine(store.url)
    return sa.create_engine(store.url, pool_size=1, max_overflow=2, pool_pre_ping=True)


def _events_table(conn: sa.engine.Connection) -> None:
    if not sa.inspect(conn).has_table("events"):
        raise NoTrackerStore("the tracker store has no events table yet: start Rasa once")


def ensure_indexes(db: sa.engine.Engine) -> list[str]:
    """Create the missing indexes; return the names created (empty when all existed)."""
    with db.begin() as conn:
        _events_table(conn)
        existing = {ix["name"] for ix in sa.inspect(conn).get_indexes("events")}
        created = [name for name in INDEXES if name not in existing]
        for name in created:
            columns = ", ".join(INDEXES[name])
            conn.execute(sa.text(f"CREATE INDEX IF NOT EXISTS {name} ON events ({columns})"))
    return created


def purge(db: sa.engine.Engine, days: float, now: float | None = None) -> tuple[int, int]:
    """Delete every conversation whose last event is older than `days` days.

    Returns (conversations, events) deleted. A conversation is all events of one sender, so
    a conversation still in use keeps its history however old its first turn is."""
    cutoff = (now if now is not None else time.time()) - days * DAY
    stale = sa.text(
        "SELECT sender_id FROM events GROUP BY sender_id HAVING MAX(timestamp) < :cutoff"
    )
    with db.begin() as conn:
        _events_table(conn)
        senders = [row[0] for row in conn.execute(stale, {"cutoff": cutoff})]
        deleted = 0
        for start in range(0, len(senders), 500):
            chunk = senders[start : start + 500]
            result = conn.execute(
                sa.text("DELETE FROM events WHERE sender_id IN :senders").bindparams(
                    sa.bindparam("senders", expanding=True)
                ),
                {"senders": chunk},
            )
            deleted += result.rowcount or 0
    return len(senders), deleted


@dataclass(frozen=True)
class Turn:
    """One user message and the bot's replies to it (no sender id kept)."""

    conversation: int  # a running number per sender within one read, not the sender id
    text: str
    intent: str | None
    confidence: float | None
    replies: tuple[str, ...]
    reply_kinds: tuple[str, ...] = ()  # the action's kind of each reply (answer, none, …)


def turns(db: sa.engine.Engine, days: float, now: float | None = None) -> Iterator[Turn]:
    """The user turns of the last `days` days, with the bot texts that followed each and
    their kinds (`reply_kind` in the bot event's metadata, set by the action server)."""
    since = (now if now is not None else time.time()) - days * DAY
    query = sa.text(
        "SELECT sender_id, type_name, data FROM events "
        "WHERE timestamp >= :since AND type_name IN ('user', 'bot') "
        "ORDER BY sender_id, timestamp, id"
    )
    numbers: dict[str, int] = {}
    current: dict | None = None
    replies: list[str] = []
    kinds: list[str] = []

    def finish() -> Iterator[Turn]:
        if current is not None:
            yield Turn(**current, replies=tuple(replies), reply_kinds=tuple(kinds))

    with db.connect() as conn:
        _events_table(conn)
        for sender, kind, data in conn.execute(query, {"since": since}):
            event = json.loads(data)
            number = numbers.setdefault(sender, len(numbers))
            if kind == "user":
                yield from finish()
                intent = (event.get("parse_data") or {}).get("intent") or {}
                current = {
                    "conversation": number,
                    "text": event.get("text") or "",
                    "intent": intent.get("name"),
                    "confidence": intent.get("confidence"),
                }
                replies, kinds = [], []
            elif current is not None and current["conversation"] == number:
                replies.append(event.get("text") or "")
                kind = (event.get("metadata") or {}).get("reply_kind")
                if isinstance(kind, str) and kind not in kinds:
                    kinds.append(kind)
        yield from finish()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m service.trackerdb", description=__doc__)
    parser.add_argument("command", choices=["indexes"])
    parser.add_argument("--url", help="SQL URL (default TRACKER_STORE_URL or run/tracker-5005.db)")
    args = parser.parse_args(argv)
    try:
        created = ensure_indexes(engine(args.url))
    except (StoreUrlError, NoTrackerStore, sa.exc.SQLAlchemyError) as exc:
        print(f"trackerdb: {exc}", file=sys.stderr)
        return 1
    print(f"indexes created: {', '.join(created) or 'none (all present)'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
