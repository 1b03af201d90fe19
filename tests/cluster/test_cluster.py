"""Faults against the real cluster: shared store, killed servers, PostgreSQL restarted.

The tests share one cluster and run in this order; each one that breaks something brings it
back, except the last, which kills a Rasa server for good.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable

import pytest

from index.loader import load
from service.cluster import Cluster
from service.stack import send
from tests.cluster.conftest import Say, new_sender
from tests.e2e.chat import text_of

pytestmark = pytest.mark.cluster

KNOWLEDGE = load()
ZEONLINE = KNOWLEDGE.project("owl-paderborn-zeonline")
SOEST = [p for p in KNOWLEDGE.projects if p.region == "soest"]
UNAVAILABLE = "kann gerade nicht in den Unterlagen suchen"


def wait_for(check: Callable[[], bool], timeout: float = 30.0) -> None:
    """Poll `check` until it returns true (health checks need a few seconds)."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "the cluster did not settle in time"
        time.sleep(0.5)


def backend_state(cluster: Cluster, backend: str, server: str) -> str:
    """The status haproxy shows for one server ("UP", "DOWN", …), from its CSV stats."""
    url = f"http://127.0.0.1:{cluster.ports.stats}/;csv"
    with urllib.request.urlopen(url, timeout=5) as response:
        for line in response.read().decode().splitlines():
            fields = line.split(",")
            if fields[:2] == [backend, server]:
                return fields[17]
    raise AssertionError(f"{backend}/{server} not in haproxy's stats")


def test_turns_alternating_between_the_rasa_servers_keep_their_context(
    cluster: Cluster,
) -> None:
    sender = new_sender()
    first, second = cluster.rasa_rest_url(0), cluster.rasa_rest_url(1)
    assert "ZEonline" in text_of(send(first, sender, "Was macht das Projekt ZEonline?"))
    contact = text_of(send(second, sender, "Und wer ist da der Ansprechpartner?"))
    assert ZEONLINE.contacts[0].email in contact
    period = text_of(send(first, sender, "Wie lange läuft das?"))
    assert ZEONLINE.period is not None and ZEONLINE.period.end is not None
    assert ZEONLINE.period.end.printed in period


def test_one_action_server_killed_the_balancer_routes_around_it(
    cluster: Cluster, via_balancer: Say
) -> None:
    cluster.kill("actions1")
    try:
        for _ in range(4):  # round robin would hit the dead one at least once
            listing = text_of(via_balancer("Welche Projekte gibt es in der Modellregion Soest?"))
            assert sum(p.title in listing for p in SOEST) >= 2, listing
    finally:
        cluster.restart("actions1")


def test_both_action_servers_down_the_bot_says_so_and_recovers(
    cluster: Cluster, via_balancer: Say
) -> None:
    assert "ZEonline" in text_of(via_balancer("Was macht das Projekt ZEonline?"))
    cluster.kill("actions1")
    cluster.kill("actions2")
    try:
        assert UNAVAILABLE in text_of(via_balancer("Wie lange läuft das?"))
    finally:
        cluster.restart("actions1")
        cluster.restart("actions2")
    wait_for(lambda: backend_state(cluster, "actions", "actions1").startswith("UP"))
    contact = text_of(via_balancer("Und wer ist da der Ansprechpartner?"))
    assert ZEONLINE.contacts[0].email in contact, "the context from before the outage is kept"
    listing = text_of(via_balancer("Welche Projekte gibt es in der Modellregion Soest?"))
    assert sum(p.title in listing for p in SOEST) >= 2, listing


def test_postgresql_restarted_the_next_turns_work(cluster: Cluster, via_balancer: Say) -> None:
    assert "ZEonline" in text_of(via_balancer("Was macht das Projekt ZEonline?"))
    cluster.restart("postgres")
    assert ZEONLINE.contacts[0].email in text_of(
        via_balancer("Und wer ist da der Ansprechpartner?")
    )
    assert ZEONLINE.period is not None and ZEONLINE.period.end is not None
    assert ZEONLINE.period.end.printed in text_of(via_balancer("Wie lange läuft das?"))


def post(url: str, sender: str, message: object) -> tuple[int, str, list]:
    """(HTTP status, the Rasa server haproxy chose, the answer) of one REST request."""
    body = json.dumps({"sender": sender, "message": message}).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            served_by = response.headers.get("X-Served-By", "")
            return response.status, served_by, json.loads(response.read())
    except urllib.error.HTTPError as error:
        assert error.headers.get("Content-Type", "").startswith("application/json")
        return error.code, error.headers.get("X-Served-By", ""), []


def test_one_sender_flooding_is_limited_and_others_are_still_served(cluster: Cluster) -> None:
    flooder = new_sender()
    # 400s from the REST channel (a number is no message) cost Rasa nothing: a fast burst
    statuses = [post(cluster.rest_url, flooder, 0)[0] for _ in range(60)]
    assert 429 in statuses, statuses
    assert statuses[:20] == [400] * 20, "the first requests of a burst pass the balancer"
    assert "ZEonline" in text_of(send(cluster.rest_url, new_sender(), "Was macht ZEonline?"))


def test_a_rasa_server_killed_mid_conversation_the_other_continues_it(
    cluster: Cluster,
) -> None:
    sender = new_sender()
    turns = ["Was macht das Projekt ZEonline?", "Wie lange läuft das?"]
    served = [post(cluster.rest_url, sender, text) for text in turns]
    assert {s[0] for s in served} == {200}
    routed_to = {s[1] for s in served}
    assert len(routed_to) == 1 and routed_to <= {"rasa1", "rasa2"}, "one sender, one server"
    victim = routed_to.pop()
    cluster.kill(victim)
    status, survivor, answer = post(cluster.rest_url, sender, "Und wer ist da der Ansprechpartner?")
    assert status == 200 and survivor not in ("", victim)
    assert ZEONLINE.contacts[0].email in text_of(answer), "the context was not lost"
