"""Rasa's SQL tracker store: connections checked before use, and recent conversations kept.

**Pre-ping.** Rasa 3.6 creates its SQLAlchemy engine without `pool_pre_ping`. After
PostgreSQL restarts, the first query on each pooled connection fails, and Rasa's fail-safe
wrapper then answers that turn from an empty in-memory conversation: the context is gone for
that turn. This subclass pings every connection when it leaves the pool (SQLAlchemy's
documented "pessimistic" disconnect handling) so a dead one is replaced before Rasa uses it.

**Recent conversations.** Rasa loads the whole current session from the database on every
turn: every row through the ORM, `json.loads` and an event object per row. At turn 150 of a
conversation that was 70 % of the Rasa server's time (py-spy, docs/performance.md). Here the
tracker Rasa saved is kept in memory (the last `cached_conversations`, default 200) with the
number and the highest id of the session's rows it consists of. The next `retrieve` asks the
database only for those two numbers; if they are unchanged, nobody else has written (another
Rasa server of the cluster, a purge) and the kept tracker is handed over, otherwise the
session is loaded as Rasa does. The database stays the only truth: every event is written as
before, and a server that restarts or never saw the conversation loads it from there.
A kept tracker is handed over once (taken out of the memory): if a turn fails before saving,
the next one loads from the database. Only a tracker whose events are exactly the stored
session is kept (not the turn that starts a new session, whose tracker still holds the old
session's events).

**SQLite** (the single node's default) is switched to write-ahead logging: a turn's commit
then writes the log once instead of journal and database (0.36 instead of 1.38 ms per commit
measured here, durability unchanged: `synchronous` stays FULL), and `make report` or `make
purge` can read while Rasa writes.

endpoints: `tracker_store: {type: service.sqlstore.SQLTrackerStore, cached_conversations:
200, …}` (service/stores.py writes it; 0 keeps none); every other setting is Rasa's SQL
tracker store's.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore as RasaSQLTrackerStore
from rasa.shared.core.domain import Domain
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
        super().__init__(*args, **kwargs)
        sa.event.listen(self.engine.pool, "checkout", ping)
        if self.engine.dialect.name == "sqlite":
            with self.engine.connect() as connection:  # a property of the file: set once
                connection.exec_driver_sql("PRAGMA journal_mode=WAL")
        self.cache_size = int(cached_conversations)
        # sender → ((rows, highest id) of the stored session, the tracker made of them)
        self._kept: OrderedDict[str, tuple[tuple[int, int], DialogueStateTracker]] = OrderedDict()

    @property
    def domain(self) -> Domain:
        return self._domain

    @domain.setter
    def domain(self, domain: Domain | None) -> None:
        """A new model's domain (its slots): trackers made with the old one are let go."""
        self._domain = domain or Domain.empty()
        if getattr(self, "_kept", None):
            self._kept.clear()

    def _stored(self, sender_id: str) -> tuple[int, int]:
        """(rows, highest id) of the sender's current session in the database."""
        with self.session_scope() as session:
            query = self._event_query(session, sender_id, fetch_events_from_all_sessions=False)
            rows, highest = (
                query.order_by(None)
                .with_entities(sa.func.count(self.SQLEvent.id), sa.func.max(self.SQLEvent.id))
                .one()
            )
        return int(rows or 0), int(highest or 0)

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        kept = self._kept.pop(sender_id, None)
        if kept is not None and kept[0] == self._stored(sender_id):
            return kept[1]
        return await super().retrieve(sender_id)

    async def save(self, tracker: DialogueStateTracker) -> None:
        self._kept.pop(tracker.sender_id, None)
        await super().save(tracker)
        if self.cache_size <= 0:
            return
        stored = self._stored(tracker.sender_id)
        if stored[0] != len(tracker.events):  # e.g. a new session: load it next time
            return
        self._kept[tracker.sender_id] = (stored, tracker)
        while len(self._kept) > self.cache_size:
            self._kept.popitem(last=False)
