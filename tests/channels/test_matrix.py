"""The Matrix bridge against a real Synapse on 127.0.0.1 and the real Rasa stack.

A citizen (a matrix-nio client in the test) creates a room, invites the bot user, and talks to
it; the bridge runs as `python -m channels.matrix_bridge`, exactly as in production.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from channels.markdown import to_plain
from channels.matrix_bridge import BUTTON_HINT, ENCRYPTED, UNAVAILABLE
from service.stack import ROOT, Stack
from tests.channels.matrix_harness import (
    ANSWER_TIMEOUT,
    Citizen,
    StartBridge,
    Synapse,
    User,
    bodies,
    has,
)
from tests.support import ports_for, require_free_ports, require_index, require_model

pytestmark = pytest.mark.matrix

PORTS = ports_for(5205, 5255, 5285)


# --- fixtures --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    require_model()
    require_index()
    require_free_ports(PORTS.rasa, PORTS.actions, purpose="the Matrix test")
    with Stack(ports=PORTS, web=False) as running:
        yield running


@pytest.fixture
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        yield loop
    finally:
        loop.close()
        asyncio.set_event_loop(None)


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when this returns: nothing listens there


# --- tests -----------------------------------------------------------------------------------


def test_citizen_asks_the_bot_in_a_room(
    stack: Stack,
    synapse: Synapse,
    users: dict[str, User],
    start_bridge: StartBridge,
    loop: asyncio.AbstractEventLoop,
) -> None:
    bot = users["bot"]
    bridge = start_bridge(stack.matrix_url)

    async def scenario() -> None:
        async with Citizen(synapse, users["citizen"]) as citizen:
            room_id = await citizen.open_room_with(bot.user_id)
            await citizen.wait_member(room_id, bot.user_id)

            # 1. A contact question in German.
            said = await citizen.say(room_id, "Wer ist Ansprechpartner für ZEonline?")
            answer = await citizen.read(room_id, bot.user_id, said, has("r.ahmann@paderborn.de"))
            text = bodies(answer)
            assert "ZEonline" in text
            assert "Rainer Ahmann" in text
            for content in answer:
                assert content["msgtype"] == "m.text"
                assert content["format"] == "org.matrix.custom.html"
                assert "<script" not in content["formatted_body"]
            assert any("<strong>" in c["formatted_body"] for c in answer), answer
            # the hand-over is a mailto: link, not one of the numbered replies
            html_text = "".join(c["formatted_body"] for c in answer)
            mail_to = '<a href="mailto:r.ahmann@paderborn.de?subject=Frage%20zum%20Projekt'
            assert mail_to in html_text
            assert ">Nachricht an Rainer Ahmann schreiben</a>" in html_text
            replies = [line for line in text.splitlines() if line[:1].isdigit()]
            assert not [line for line in replies if "Nachricht an" in line], replies

            # 2. Follow-up about the same project, without naming it.
            said = await citizen.say(room_id, "Und wie lange läuft das Projekt?")
            answer = await citizen.read(room_id, bot.user_id, said, has("Dezember 2021"))
            assert "ZEonline" in bodies(answer)

            # 3. An English question is answered in English.
            said = await citizen.say(
                room_id, "Who is the contact person for the Smartphone-Bürger-ID?"
            )
            answer = await citizen.read(
                room_id, bot.user_id, said, has("manfred.vom.sondern@gelsenkirchen.de")
            )
            assert "Ansprechpartner" not in bodies(answer)

    loop.run_until_complete(asyncio.wait_for(scenario(), timeout=6 * ANSWER_TIMEOUT))
    assert "Traceback" not in bridge.log(), bridge.log()[-3000:]


def test_buttons_are_numbered_and_a_number_sends_the_payload(
    stack: Stack,
    synapse: Synapse,
    users: dict[str, User],
    start_bridge: StartBridge,
    loop: asyncio.AbstractEventLoop,
) -> None:
    bot = users["bot"]
    start_bridge(stack.matrix_url)

    async def scenario() -> None:
        async with Citizen(synapse, users["second"]) as citizen:
            room_id = await citizen.open_room_with(bot.user_id)
            await citizen.wait_member(room_id, bot.user_id)
            said = await citizen.say(room_id, "Was ist das Projekt Smartphone-Bürger-ID?")
            answer = await citizen.read(room_id, bot.user_id, said, has(BUTTON_HINT))
            with_buttons = next(c for c in answer if BUTTON_HINT in c["body"])
            lines = with_buttons["body"].splitlines()
            numbered = [line for line in lines if line[:1].isdigit() and ". " in line]
            assert numbered, with_buttons["body"]
            assert "<ol>" in with_buttons["formatted_body"]
            number, title = next(
                line.split(". ", 1) for line in numbered if "Ansprechpartner" in line
            )
            assert title.startswith("Ansprechpartner")

            # The reply "<number>" sends that button's payload: the contact answer comes.
            said = await citizen.say(room_id, number)
            answer = await citizen.read(
                room_id, bot.user_id, said, has("manfred.vom.sondern@gelsenkirchen.de")
            )
            assert "Smartphone-Bürger-ID" in bodies(answer)

    loop.run_until_complete(asyncio.wait_for(scenario(), timeout=4 * ANSWER_TIMEOUT))


def test_rasa_down_old_messages_and_a_clean_stop(
    synapse: Synapse,
    users: dict[str, User],
    start_bridge: StartBridge,
    loop: asyncio.AbstractEventLoop,
) -> None:
    """Without Rasa the bot apologises; after a restart it does not answer what was said while
    it was away; SIGTERM and SIGINT stop it with exit code 0."""
    bot = users["bot"]
    rest_url = f"http://127.0.0.1:{closed_port()}/webhooks/matrix/webhook"
    unavailable = to_plain(UNAVAILABLE).split("\n")[0]
    citizen = Citizen(synapse, users["citizen"])
    loop.run_until_complete(citizen.__aenter__())
    try:
        first = start_bridge(rest_url)

        async def before_restart() -> str:
            room_id = await citizen.open_room_with(bot.user_id)
            await citizen.wait_member(room_id, bot.user_id)
            said = await citizen.say(room_id, "Hallo, ist jemand da?")
            answer = await citizen.read(room_id, bot.user_id, said, has(unavailable), timeout=30)
            assert len(answer) == 1, bodies(answer)
            return room_id

        room_id = loop.run_until_complete(before_restart())

        started = time.monotonic()
        assert first.stop(signal.SIGTERM) == 0, first.log()[-3000:]
        assert time.monotonic() - started < 15
        assert "Matrix bridge stopped" in first.log()

        old = loop.run_until_complete(
            citizen.say(room_id, "Eine Nachricht, während der Bot weg ist")
        )
        second = start_bridge(rest_url)

        async def after_restart() -> None:
            await citizen.say(room_id, "Und jetzt?")
            answer = await citizen.read(
                room_id, bot.user_id, old, has(unavailable), timeout=30, settle=3.0
            )
            assert len(answer) == 1, f"the old message was answered too: {bodies(answer)}"

        loop.run_until_complete(after_restart())
        assert second.stop(signal.SIGINT) == 0, second.log()[-3000:]
    finally:
        loop.run_until_complete(citizen.__aexit__())


def test_encrypted_room_gets_an_explanation(
    synapse: Synapse,
    users: dict[str, User],
    start_bridge: StartBridge,
    loop: asyncio.AbstractEventLoop,
) -> None:
    bot = users["bot"]
    # This bridge logs in with an access token instead of the password.
    bridge = start_bridge(
        f"http://127.0.0.1:{closed_port()}/webhooks/matrix/webhook",
        MATRIX_ACCESS_TOKEN=bot.access_token,
    )
    assert f"Logged in as {bot.user_id} (device {bot.device_id})" in bridge.log()
    explanation = to_plain(ENCRYPTED).split("\n")[0]

    async def scenario() -> None:
        async with Citizen(synapse, users["second"]) as citizen:
            room_id = await citizen.open_room_with(bot.user_id, encrypted=True)
            await citizen.wait_member(room_id, bot.user_id)
            # What an E2EE client sends: an m.room.encrypted event the bot cannot decrypt.
            sent = await citizen.client.room_send(
                room_id,
                "m.room.encrypted",
                {
                    "algorithm": "m.megolm.v1.aes-sha2",
                    "ciphertext": "AwgAEnACgAkLmt6qF84IK++J7UDH2Za1YVchHyprqTqsg2yyOwAtHaZTwyNg",
                    "device_id": "CITIZENDEV",
                    "sender_key": "IlRMeOPX2e0MurIyfWEucYBRVOEEUMrOHqn/8mLqMjA",
                    "session_id": "X3lUlvLELLYxeTx4yOVu6UDpasGEVO0Jbu+QFnm0cKQ",
                },
            )
            said = sent.event_id  # type: ignore[union-attr]
            answer = await citizen.read(room_id, bot.user_id, said, has(explanation), timeout=30)
            assert len(answer) == 1

    loop.run_until_complete(asyncio.wait_for(scenario(), timeout=120))


def test_bridge_reconnects_after_a_homeserver_restart_and_leaves_empty_rooms(
    synapse: Synapse,
    users: dict[str, User],
    start_bridge: StartBridge,
    loop: asyncio.AbstractEventLoop,
) -> None:
    bot = users["bot"]
    bridge = start_bridge(f"http://127.0.0.1:{closed_port()}/webhooks/matrix/webhook")
    unavailable = to_plain(UNAVAILABLE).split("\n")[0]

    async def open_room() -> str:
        async with Citizen(synapse, users["second"]) as citizen:
            room_id = await citizen.open_room_with(bot.user_id)
            await citizen.wait_member(room_id, bot.user_id)
            return room_id

    room_id = loop.run_until_complete(open_room())

    synapse.stop()  # the bridge's long-poll sync breaks off
    time.sleep(2)
    synapse.start()

    async def after_restart() -> None:
        async with Citizen(synapse, users["second"]) as citizen:
            said = await citizen.say(room_id, "Sind Sie wieder da?")
            answer = await citizen.read(room_id, bot.user_id, said, has(unavailable), timeout=90)
            assert len(answer) == 1, bodies(answer)
            await citizen.client.room_leave(room_id)

    loop.run_until_complete(asyncio.wait_for(after_restart(), timeout=120))
    assert bridge.process.poll() is None, bridge.log()[-3000:]
    bridge.wait_for_log(f"Everyone left {room_id}", timeout=30)


def test_wrong_password_ends_with_a_clear_message(synapse: Synapse, users: dict[str, User]) -> None:
    env = {
        **os.environ,
        "MATRIX_HOMESERVER": synapse.url,
        "MATRIX_USER": users["bot"].user_id,
        "MATRIX_PASSWORD": "not-the-password",
        "RASA_REST_URL": "http://127.0.0.1:9/webhooks/matrix/webhook",
    }
    env.pop("MATRIX_ACCESS_TOKEN", None)
    done = subprocess.run(
        [sys.executable, "-m", "channels.matrix_bridge"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr[-2000:]
    assert f"login as {users['bot'].user_id} failed" in done.stderr
    assert "M_FORBIDDEN" in done.stderr
