"""A stand-in for Rasa's REST channel, for the widget's rendering tests.

It answers POST /webhooks/rest/webhook like Rasa does (a JSON array of messages) and the CORS
preflight. The answers "antwort", "thema", "english" and "zeitleiste" are the action server's real
formatter output (actions.formatting on knowledge/), so the tests check the markup the bot
really writes; the others are adversarial or edge cases the formatter never produces (HTML
injection, odd numbers, errors). The end-to-end tests use the real Rasa server.
"""

from __future__ import annotations

import datetime
import json
import time
from dataclasses import dataclass, field
from functools import cached_property
from http.server import BaseHTTPRequestHandler
from typing import Any

from actions import formatting as fmt
from index.domain import Knowledge, Project
from index.loader import load

FORMATTED = (
    "Die **Smartphone-Bürger-ID** ist ein Projekt der Stadt Gelsenkirchen.\n"
    "Zweite Zeile im selben Absatz.\n"
    "\n"
    "Ansprechpartner:\n"
    "- Manfred vom Sondern: manfred.vom.sondern@gelsenkirchen.de\n"
    "• Telefon: +49(5251)882371\n"
    "- Büro Köln: 0221/22125070\n"
    "\n"
    "1. Mehr unter https://www.gelsenkirchen.de/digital.\n"
    "2. Oder [das Portal](https://opendata.gelsenkirchen.de/)\n"
    "3. Laufzeit 01.01.19 – 31.12.21, Meilenstein 09/2019"
)

# phone numbers (linked) and numbers that are not phone numbers (text)
NUMBERS = (
    "Telefon (0211) 837-1234, mobil 0171 1234567, international +49 211 837-1234 "
    "oder +49 (0) 209 169-0.\n"
    "Keine Nummern: 45879 Gelsenkirchen, 2019, 15.11.18, 0,5 Mio. Euro, 09/2019, 12/2019, "
    "Vorlage 17/29, 2018-11-15."
)

INJECTION = (
    '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script> '
    "[klick mich](javascript:window.__xss=3) "
    '<a href="https://evil.example/">böser Link</a> '
    "[daten](data:text/html,hallo) &amp; **<b>fett</b>**"
)


@dataclass
class FakeRasa:
    """Canned answers by message; `requests` records what the widget sent."""

    url: str = ""
    site_url: str = ""  # the page's origin: images must come from there (CSP img-src 'self')
    requests: list[dict] = field(default_factory=list)
    origins: list[str] = field(default_factory=list)

    @cached_property
    def knowledge(self) -> Knowledge:
        return load()

    @cached_property
    def project(self) -> Project:
        """A real project whose contacts have e-mail addresses and phone numbers."""
        return next(
            p for p in self.knowledge.projects if any(c.email and c.phone for c in p.contacts)
        )

    @cached_property
    def dated(self) -> list[Project]:
        """Real projects with a period and dated milestones, for the timeline."""
        found = [
            p
            for p in self.knowledge.projects
            if p.period
            and p.period.start
            and any(fmt.milestone_position(m.when) for m in p.milestones)
        ]
        return found[:3]

    def real_answers(self) -> dict[str, list[dict]]:
        """What the action server sends, built by actions.formatting from knowledge/."""
        project, knowledge = self.project, self.knowledge
        question = "Wer ist Ansprechpartner?"
        contact_buttons = fmt.project_handover(project, knowledge, question, "de")
        return {
            "antwort": [
                {
                    "text": fmt.contact_answer(project, knowledge, "de"),
                    "buttons": contact_buttons + fmt.follow_up_buttons(project, "de"),
                }
            ],
            "thema": [{"text": fmt.topic_answer(knowledge.topics[0], "de")}],
            "zeitleiste": [  # as actions.base.send: the text with its buttons, then the picture
                {
                    "text": "\n\n".join(
                        fmt.period_answer(p, knowledge, "de", datetime.date.today())
                        for p in self.dated
                    ),
                    "buttons": fmt.follow_up_buttons(self.dated[0], "de"),
                },
                {"custom": fmt.timeline(self.dated, "de")},
            ],
            "english": [{"text": fmt.with_note(fmt.project_card(project, knowledge, "en"), "en")}],
        }

    def answer(self, message: str) -> tuple[int, Any]:
        real = self.real_answers().get(message)
        if real is not None:
            return 200, [{"recipient_id": "x", **m} for m in real]
        if message == "formatierung":
            return 200, [{"recipient_id": "x", "text": FORMATTED}]
        if message == "injektion":
            return 200, [
                {
                    "recipient_id": "x",
                    "text": INJECTION,
                    "buttons": [{"title": "<img src=x onerror=window.__xss=4>", "payload": "/x"}],
                }
            ]
        if message == "knöpfe":
            return 200, [
                {"recipient_id": "x", "text": "Wozu möchten Sie mehr wissen?"},
                {
                    "recipient_id": "x",
                    "text": "Bitte wählen Sie:",
                    "buttons": [
                        {"title": "Ansprechpartner", "payload": '/kontakt{"projekt":"buerger-id"}'},
                        {"title": "Laufzeit", "payload": "/laufzeit"},
                        {"title": "Zur Website", "url": "https://www.gelsenkirchen.de/"},
                    ],
                },
                {"recipient_id": "x", "custom": {"ignored": True}},
            ]
        if message == "nur knöpfe":
            return 200, [{"recipient_id": "x", "buttons": [{"title": "Ja", "payload": "/affirm"}]}]
        if message.startswith("/kontakt"):
            return 200, [{"recipient_id": "x", "text": "Kontakt: **Manfred vom Sondern**"}]
        if message == "/laufzeit":
            return 200, [{"recipient_id": "x", "text": "Laufzeit: 01.01.19 – 31.12.21"}]
        if message == "bild":
            return 200, [{"recipient_id": "x", "image": f"{self.site_url}/favicon.svg"}]
        if message == "nummern":
            return 200, [{"recipient_id": "x", "text": NUMBERS}]
        if message == "fehler":
            return 500, {"error": "internal"}
        if message == "kaputt":
            return 200, "<html>kein JSON</html>"
        if message == "langsam":
            time.sleep(1.5)
            return 200, [{"recipient_id": "x", "text": "Endlich da."}]
        if message == "lang":
            word = "Verwaltungsdigitalisierungsbeschleunigungsgesetz"
            return 200, [{"recipient_id": "x", "text": f"{word} https://example.org/{word * 3}"}]
        return 200, [{"recipient_id": "x", "text": f"Sie schrieben: {message}"}]


def fake_rasa_handler(fake: FakeRasa) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def cors(self) -> None:
            origin = self.headers.get("Origin")
            if origin:
                self.send_header("Access-Control-Allow-Origin", origin)
                self.send_header("Vary", "Origin")

        def do_OPTIONS(self) -> None:
            self.send_response(204)
            self.cors()
            self.send_header("Access-Control-Allow-Methods", "POST, OPTIONS")
            self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
            self.end_headers()

        def do_POST(self) -> None:
            if self.path != "/webhooks/rest/webhook":
                self.send_error(404)
                return
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            fake.requests.append(body)
            fake.origins.append(self.headers.get("Origin", ""))
            status, answer = fake.answer(body["message"])
            raw = answer.encode() if isinstance(answer, str) else json.dumps(answer).encode()
            self.send_response(status)
            self.cors()
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, *args: object) -> None:
            pass

    return Handler
