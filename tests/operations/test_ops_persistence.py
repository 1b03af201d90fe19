"""Conversations survive a restart of every process (SQL tracker store, real servers)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from channels.bounds import namespaced
from index.loader import load
from service import trackerdb
from tests.e2e.chat import text_of
from tests.operations.conftest import FIRST_HALF, SECOND_HALF, Restarted

pytestmark = pytest.mark.e2e


def test_context_survives_a_restart_of_every_process(restarted: Restarted) -> None:
    zeonline = load().project("owl-paderborn-zeonline")
    assert "ZEonline" in text_of(restarted.before[1])
    contact = text_of(restarted.after[0])  # "Und wer ist da der Ansprechpartner?"
    assert zeonline.contacts[0].email in contact
    period = text_of(restarted.after[1])  # "Wie lange läuft das?"
    assert zeonline.period is not None and zeonline.period.end is not None
    assert zeonline.period.end.printed in period


def test_the_store_holds_both_halves_and_the_project_indexes(restarted: Restarted) -> None:
    db = trackerdb.engine(restarted.tracker)
    with db.connect() as conn:
        users = conn.execute(
            sa.text("SELECT COUNT(*) FROM events WHERE sender_id = :s AND type_name = 'user'"),
            {"s": namespaced("rest", restarted.sender)},
        ).scalar_one()
        indexes = {ix["name"] for ix in sa.inspect(conn).get_indexes("events")}
    assert users == len(FIRST_HALF) + len(SECOND_HALF)
    assert set(trackerdb.INDEXES) <= indexes
    assert trackerdb.ensure_indexes(db) == [], "a second run creates nothing"
