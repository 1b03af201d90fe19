"""Rasa's SQL tracker store: connections checked before use, and recent conversations kept.

**Pre-ping.** Rasa 3.6 creates its SQLAlchemy engine without `pool_pre_ping`. After
PostgreSQL restarts, the first query on each pooled connection fails, and Rasa's fail-safe
wrapper then answers that turn from an empty in-memory conversation: the context is gone for
that turn. This subclass pings every connection when it leaves the pool (SQLAlchemy's
documented "pessimistic" disconnect handling) so a dead one is replaced before Rasa uses it.

**Recent conversations.** Rasa loads the whole current session from the database on every
turn: every row through the ORM, `json.loads` and an event object per row, and counts the
session's rows again to know which events to write. At turn 150 of a conversation that was
70 % of the Rasa server's time (py-spy, docs/performance.md). Here the tracker Rasa saved is
kept in memory (the last `cached_conversations`, default 200) with the number and the highest
id of the sender's rows. The next `retrieve` asks the database only for those two numbers
(one indexed aggregate); if they are unchanged, nobody else has written (another Rasa server
of the cluster, a purge) and the kept tracker is handed over, and its save writes the events
after the ones it was handed over with; otherwise the session is loaded and saved as Rasa
does. The database stays the only truth: every event is written as before, and a server that
restarts or never saw the conversation loads it from there. A kept tracker is handed over
once (taken out of the memory): if a turn fails before saving, the next one loads from the
database. Only a tracker whose events are exactly the stored session is kept (not the turn
that starts a new session, whose tracker still holds the old session's events).

**SQLite** (the single node's default) is switched to write-ahead logging: a turn's commit
then writes the log once instead of journal and database (0.36 instead of 1.38 ms per commit
measured here, durability unchanged: `synchronous` stays FULL), and `make report` or `make
purge` can read while Rasa writes. Its connections are kept in a small pool instead of being
opened and closed for every query (SQLAlchemy 1.4's `NullPool` for SQLite files); the
pre-ping is for database servers only.

**Answered turns.** `answered(sender, message_id)` returns the bot's messages of the turn
whose user message carried `message_id`, if it is the sender's latest user message: a turn
the balancer retries on another Rasa server after the first one died (between storing the
turn and sending the answer) is answered from the store instead of being processed twice
(channels/rest.py).

endpoints: `tracker_store: {type: service.sqlstore.SQLTrackerStore, cached_conversations:
200, …}` (service/stores.py writes it; 0 keeps none); every other setting is Rasa's SQL
tracker store's.
"""

from __future__ import annotations

import itertools
import json
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore as RasaSQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_components import events as event_types

event_types.install()  # loading a session resolves every event's class by name

CACHED_CONVERSATIONS = 200


def ping(dbapi_connection: Any, record: Any, proxy: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("SELECT 1")
    except Exception as error:  # whatever the driver raises for a dead connection
        raise sa.exc.DisconnectionError() from error
    finally:
        cursor.close()


class SQLTrackerStore(RasaSQLTrackerStore):
    def __init__(
        self, *args: Any, cached_conversations: int = CACHED_CONVERSATIONS, **kwargs: Any
    ) -> None:
        self.cache_size = int(cached_conversations)
        self._kept: OrderedDict[str, Kept] = OrderedDict()  # saved, not handed over yet
        self._handed: dict[str, Kept] = {}  # handed over for the turn in progress
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite":
            self._keep_sqlite_connections()
            with self.engine.connect() as connection:  # a property of the file: set once
                connection.exec_driver_sql("PRAGMA journal_mode=WAL")
        else:
            sa.event.listen(self.engine.pool, "checkout", ping)

    def _keep_sqlite_connections(self) -> None:
        """SQLAlchemy 1.4 gives a SQLite file a `NullPool`: every query of every turn opened
        the file and closed it again. A small pool keeps them open (Rasa uses the store
        from its one event-loop thread; the pool hands a connection to one user at a time)."""
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(
            url,
            poolclass=sa.pool.QueuePool,
            pool_size=1,
            max_overflow=4,
            connect_args={"check_same_thread": False},
        )
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    @property
    def domain(self) -> Domain:
        return self._domain

    @domain.setter
    def domain(self, domain: Domain | None) -> None:
        """A new model's domain (its slots): trackers made with the old one are let go."""
        self._domain = domain or Domain.empty()
        self._kept.clear()

    def _stored(self, sender_id: str) -> tuple[int, int]:
        """(rows, highest id) of all the sender's events in the database: any other writer
        (a second Rasa server, a purge) changes one of them. One indexed aggregate."""
        query = sa.select(sa.func.count(self.SQLEvent.id), sa.func.max(self.SQLEvent.id)).where(
            self.SQLEvent.sender_id == sender_id
        )
        with self.engine.connect() as connection:
            rows, highest = connection.execute(query).one()
        return int(rows or 0), int(highest or 0)

    def _session_rows(self, sender_id: str) -> int:
        """Rows of the sender's current session (as Rasa's own query counts them)."""
        with self.session_scope() as session:
            return self._event_query(
                session, sender_id, fetch_events_from_all_sessions=False
            ).count()

    def answered(self, sender_id: str, message_id: str) -> list[dict[str, Any]] | None:
        """The bot's messages (as Rasa sends them) that answered the sender's latest user
        message if that message carried `message_id`; None if it did not (not stored, or
        another message came since). Two indexed queries."""
        events = self.SQLEvent
        latest = (
            sa.select(events.id, events.data)
            .where(events.sender_id == sender_id, events.type_name == "user")
            .order_by(events.timestamp.desc(), events.id.desc())
            .limit(1)
        )
        with self.engine.connect() as connection:
            row = connection.execute(latest).first()
            if row is None or json.loads(row.data).get("message_id") != message_id:
                return None
            after = (
                sa.select(events.data)
                .where(
                    events.sender_id == sender_id,
                    events.type_name == BotUttered.type_name,
                    events.id > row.id,
                )
                .order_by(events.id)
            )
            stored = [json.loads(data) for data in connection.execute(after).scalars()]
        return [Event.from_parameters(data).message() for data in stored]

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        kept = self._kept.pop(sender_id, None)
        if kept is not None and kept.stored == self._stored(sender_id):
            self._handed[sender_id] = kept
            return kept.tracker
        return await super().retrieve(sender_id)

    def _handed_over(self, tracker: DialogueStateTracker) -> Kept | None:
        """What `tracker` was handed over with from memory in this turn, if it was."""
        handed = self._handed.get(tracker.sender_id)
        return handed if handed is not None and handed.tracker is tracker else None

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator[Any]:
        """The events Rasa has to write: for a tracker handed over from memory, those after
        the ones it was handed over with (no count query); otherwise Rasa's count."""
        handed = self._handed_over(tracker)
        if handed is not None:
            return itertools.islice(tracker.events, handed.length, None)
        return super()._additional_events(session, tracker)

    async def save(self, tracker: DialogueStateTracker) -> None:
        sender = tracker.sender_id
        self._kept.pop(sender, None)
        handed = self._handed_over(tracker)
        try:
            await super().save(tracker)
        finally:
            self._handed.pop(sender, None)
        if self.cache_size <= 0:
            return
        if handed is not None:
            added = list(itertools.islice(tracker.events, handed.length, None))
            exact = not any(isinstance(e, SessionStarted) for e in added)
        else:  # loaded by Rasa: keep it only if it is exactly the stored session
            exact = self._session_rows(sender) == len(tracker.events)
        if not exact:  # e.g. a new session: the tracker still holds the old one's events
            return
        self._kept[sender] = Kept(self._stored(sender), len(tracker.events), tracker)
        while len(self._kept) > self.cache_size:
            self._kept.popitem(last=False)


@dataclass(frozen=True)
class Kept:
    """A saved tracker kept in memory, with what the database held right after saving it."""

    stored: tuple[int, int]  # (rows, highest id) of the sender's events
    length: int  # len(tracker.events) when it was saved
    tracker: DialogueStateTracker
