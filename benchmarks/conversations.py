"""The scripted conversations of `make bench`: a realistic mix, not the cheap turns.

Six conversations of nine turns each, written for the benchmark from the README's example
questions and the titles in knowledge/ (not taken from tests/eval/). Together they hold topic
searches, region lists, follow-ups that use the context ("Wer ist da der Ansprechpartner?",
"das zweite"), programme background, questions nobody can answer here, English, and small
talk, in about the shares a citizen's conversation has.

`EXAMPLE_BOT` is a conversation for Rasa's example bot (`rasa init`), in its own domain, so
that it answers every turn the way it was built to; `NO_SEARCH` are replies that need no
knowledge.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Script:
    name: str
    turns: tuple[str, ...]


CONVERSATIONS: tuple[Script, ...] = (
    Script(
        "open-data",
        (
            "Hallo",
            "Welche Projekte gibt es zu Open Data?",
            "Wer ist da der Ansprechpartner?",
            "Wie lange läuft das?",
            "Welche Projekte gibt es in Soest?",
            "das zweite",
            "Ist das auf andere Kommunen übertragbar?",
            "Gibt es ein Projekt zur Raumfahrt?",
            "Danke",
        ),
    ),
    Script(
        "english",
        (
            "hi",
            "Which projects are about blockchain?",
            "Who is the contact person?",
            "How long does it run?",
            "What projects are there in Gelsenkirchen?",
            "the second one",
            "Where is that information from?",
            "Is there a project about space travel?",
            "thanks, bye",
        ),
    ),
    Script(
        "regions",
        (
            "Guten Tag",
            "Welche Projekte laufen 2021 in Soest?",
            "Erzähl mir mehr über den GovBot",
            "Wer ist dafür zuständig?",
            "Welche Projekte gibt es im Bergischen Städtedreieck?",
            "das erste",
            "Woher stammt das?",
            "Welche Projekte sind in Aachen geplant?",
            "Tschüss",
        ),
    ),
    Script(
        "programme",
        (
            "Was kannst du?",
            "Worum geht es bei den Digitalen Modellregionen?",
            "Wie viel Geld stellt das Land für das Programm bereit?",
            "Nach welchen Kriterien wurden die Modellregionen ausgewählt?",
            "Welche Projekte gibt es zu Mobilität und Verkehr?",
            "Wann endet das?",
            "Wie viele Einwohner hat Köln?",
            "Wie wird das Wetter morgen?",
            "Vielen Dank",
        ),
    ),
    Script(
        "contacts",
        (
            "Moin",
            "Wer ist der Ansprechpartner für die Smartphone-Bürger-ID?",
            "Gibt es Projekte zur Kita-Anmeldung?",
            "Wer ist da die Ansprechpartnerin?",
            "Wie ist die Laufzeit?",
            "Ist govchain übertragbar?",
            "Wo kann ich in Düsseldorf parken?",
            "Bist du ein Bot?",
            "danke",
        ),
    ),
    Script(
        "mixed",
        (
            "Hello",
            "What does the Smartphone-Bürger-ID do?",
            "Who is the contact for it?",
            "Which projects are running in Paderborn?",
            "the third one",
            "When does it end?",
            "What is the weather like in Berlin?",
            "Welche Projekte gibt es zu IT-Sicherheit?",
            "Thank you",
        ),
    ),
)

# Rasa's example bot (`rasa init`): greet, moods, affirm/deny, bot challenge, goodbye.
EXAMPLE_BOT = Script(
    "example-bot",
    (
        "hi",
        "I am sad",
        "yes",
        "are you a bot?",
        "hello there",
        "I am feeling very good",
        "no",
        "am I talking to a human?",
        "bye",
    ),
)

# Replies that need no knowledge: ours ("danke", "hi") against the example bot's "hi".
NO_SEARCH = ("danke", "hi")
EXAMPLE_NO_SEARCH = ("hi",)
