"""Rasa's Redis lock store with a lock that cannot outlive a dead server by long.

Rasa 3.6's `RedisLockStore` keeps a queue of tickets per conversation, read, changed and
written back without atomicity (two writers can lose each other's tickets), each ticket valid
for 60 s (`TICKET_LOCK_LIFETIME`). When a Rasa server of the cluster is killed in the middle
of a turn, its ticket stays; the turn, retried by the balancer on the other server, waited
until it expired, or for ever when its own ticket had expired meanwhile: in the fault run of
issue 16 four turns hung until the client gave up after 60 s, and with a 10 s lifetime some
still failed with "Could not acquire lock".

This subclass keeps Rasa's class and settings (`lock_store: type:
service.locks.RedisLockStore`, url, port, db, password, key_prefix) and replaces only
`lock()`: one Redis key per conversation, set atomically if absent with a short expiry and
released only by its owner (redis-py's `Lock`: SET NX PX and a compare-and-delete script).
While the turn runs the owner renews the expiry every second, so a long turn keeps its lock;
a killed server stops renewing and its lock is gone after `LOCK_SECONDS` (3 s), so the
retried turn waits at most that long. Waiting turns poll every 50 ms; their order is not
guaranteed (the widget sends one message at a time; the balancer sends one conversation to
one server).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from rasa.core.lock_store import RedisLockStore as RasaRedisLockStore
from rasa.utils.endpoints import EndpointConfig
from redis.exceptions import LockError as RedisLockError

LOCK_SECONDS = 3.0  # how long a lock outlives the server that held it
RENEW_EVERY = 1.0
POLL_EVERY = 0.05


class RedisLockStore(RasaRedisLockStore):
    """Rasa's Redis lock store whose lock is an owned, renewed Redis key; see the module."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, **settings: Any) -> None:
        """Rasa builds a lock store named by its module with `endpoint_config` (the
        `lock_store:` section): its url is the host, the other keys are Rasa's settings."""
        if endpoint_config is not None:
            given = {k: v for k, v in endpoint_config.kwargs.items() if k != "type"}
            settings = {"host": endpoint_config.url or "localhost", **given, **settings}
        super().__init__(**settings)

    @contextlib.asynccontextmanager
    async def lock(self, conversation_id: str, *_: Any, **__: Any) -> AsyncIterator[None]:
        mutex = self.red.lock(
            f"{self.key_prefix}mutex:{conversation_id}", timeout=LOCK_SECONDS, blocking=False
        )
        while not mutex.acquire(blocking=False):
            await asyncio.sleep(POLL_EVERY)
        renewing = asyncio.ensure_future(_renew(mutex))
        try:
            yield None
        finally:
            renewing.cancel()
            with contextlib.suppress(RedisLockError):  # expired meanwhile: nothing to free
                mutex.release()


async def _renew(mutex: Any) -> None:
    """Reset the lock's expiry every RENEW_EVERY seconds while the turn runs."""
    while True:
        await asyncio.sleep(RENEW_EVERY)
        try:
            mutex.reacquire()
        except RedisLockError:  # lost (the event loop stood still for LOCK_SECONDS)
            return
