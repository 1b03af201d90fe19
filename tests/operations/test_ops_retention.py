"""`make purge` and `make report` on a real SQLite tracker store filled by real conversations
(the restarted stack of conftest.py), run as the commands an operator runs."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time

import pytest
import sqlalchemy as sa

from channels.bounds import namespaced
from service import trackerdb
from service.stack import ROOT
from tests.operations.conftest import FIRST_HALF, OTHERS, Restarted

pytestmark = pytest.mark.e2e


def command(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *argv], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def senders_in(url: str) -> set[str]:
    with trackerdb.engine(url).connect() as conn:
        return {row[0] for row in conn.execute(sa.text("SELECT DISTINCT sender_id FROM events"))}


def test_report_counts_conversations_and_names_no_one(restarted: Restarted) -> None:
    result = command("service.report", "--days", "1", "--url", restarted.tracker)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Last 1 days: 3 conversations, 6 typed questions." in out
    reached = re.search(r"Reached a contact .*: (\d+) of 3 conversations", out)
    assert reached and int(reached.group(1)) >= 1, out  # ZEonline's contact was asked for
    for sender in (restarted.sender, *restarted.others):
        assert sender not in out


def test_report_groups_unanswered_questions_and_counts_contacts(restarted: Restarted) -> None:
    result = command("service.report", "--days", "1", "--url", restarted.tracker)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Last 1 days: 3 conversations" in out
    # the Raumfahrt question (asked twice, in two spellings) offers a contact; so does ZEonline
    assert "Reached a contact" in out and "2 of 3 conversations (67%)" in out
    nothing_found = out.split("Nothing found in the documents:")[1].split("\n\n")[0]
    assert f"   2  {OTHERS[0][0]}" in nothing_found, out
    assert FIRST_HALF[0].rstrip("?").casefold() == OTHERS[0][0]
    for sender in (restarted.sender, *restarted.others):
        assert sender not in out


def test_report_window_excludes_older_conversations(restarted: Restarted) -> None:
    in_three_days = time.time() + 3 * 86400  # the last day before then holds nothing
    assert list(trackerdb.turns(trackerdb.engine(restarted.tracker), 1, now=in_three_days)) == []
    assert len(list(trackerdb.turns(trackerdb.engine(restarted.tracker), 1))) == 6


def test_purge_deletes_only_conversations_older_than_the_retention(
    restarted: Restarted, tmp_path
) -> None:
    copy = tmp_path / "copy.db"
    shutil.copy(restarted.tracker.removeprefix("sqlite:///"), copy)
    url = f"sqlite:///{copy}"
    old = restarted.others[1]
    with trackerdb.engine(url).begin() as conn:  # the greeting conversation ended 40 days ago
        conn.execute(
            sa.text("UPDATE events SET timestamp = timestamp - 40 * 86400 WHERE sender_id = :s"),
            {"s": namespaced("rest", old)},
        )
    result = command("service.purge", "--days", "30", "--url", url)
    assert result.returncode == 0, result.stderr
    assert "Deleted 1 conversations" in result.stdout
    kept = {namespaced("rest", restarted.sender), namespaced("rest", restarted.others[0])}
    assert senders_in(url) == kept
    again = command("service.purge", "--days", "30", "--url", url)
    assert "Deleted 0 conversations (0 events)" in again.stdout


def test_purge_and_report_fail_clearly_without_a_store(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'none.db'}"
    for name in ("service.purge", "service.report"):
        result = command(name, "--url", url)
        assert result.returncode == 1
        assert "no events table yet" in result.stderr and "Traceback" not in result.stderr
