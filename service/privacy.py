"""`make privacy-text`: a paragraph for the privacy statement of a site that embeds the widget.

The retention period is the one `make purge` applies (`--days`, else RETENTION_DAYS, else 30),
so the text says what the system does. Words in [brackets] are for the operator to fill in;
the data protection officer checks the whole before it is published.

    python -m service.privacy [--days N] [--lang de|en] [--operator "Stadt …, Anschrift"]
"""

from __future__ import annotations

import argparse

from service.purge import default_days

TEXTS = {
    "de": """\
Chat-Assistent „Digitale Modellregionen NRW“

Auf dieser Seite können Sie einem automatischen Chat-Assistenten Fragen zu den Digitalen
Modellregionen NRW stellen. Betreiber des Assistenten ist {operator}. Wenn Sie den Chat
öffnen und eine Frage senden, werden verarbeitet: der Text Ihrer Nachrichten und die
Antworten, was der Assistent darin erkannt hat, die Zeitpunkte und eine zufällige Kennung
dieses Browsers. Die Kennung wird im lokalen Speicher Ihres Browsers abgelegt
(„localStorage“), der Gesprächsverlauf dieses Tabs im Sitzungsspeicher („sessionStorage“);
Cookies werden nicht gesetzt. IP-Adressen speichert der Assistent nicht, und es werden keine
Daten an Dritte übermittelt oder Inhalte von Dritten geladen. Zweck ist die Beantwortung Ihrer
Fragen und die Verbesserung der Antworten (ausgewertet werden nur Fragen, die der Assistent
nicht beantworten konnte, ohne Bezug zu einer Person). Rechtsgrundlage ist [Art. 6 Abs. 1
lit. e DSGVO in Verbindung mit …]. Ein Gespräch wird {days_de} nach seiner letzten Nachricht
automatisch gelöscht. Bitte geben Sie im Chat keine persönlichen Daten ein. Mit „Neues
Gespräch“ beginnen Sie ein neues Gespräch mit neuer Kennung; den Speicher Ihres Browsers
können Sie jederzeit löschen. Ihre Rechte auf Auskunft, Berichtigung, Löschung und Beschwerde
bei der Aufsichtsbehörde sowie die Kontaktdaten der oder des Datenschutzbeauftragten finden
Sie [oben in dieser Erklärung].
""",
    "en": """\
Chat assistant "Digitale Modellregionen NRW"

On this page you can ask an automatic chat assistant about the digital model regions of North
Rhine-Westphalia. The assistant is operated by {operator}. When you open the chat and send a
question, the following is processed: the text of your messages and the answers, what the
assistant recognised in them, the times and a random identifier of this browser. The
identifier is kept in your browser's local storage ("localStorage"), the conversation of this
tab in its session storage ("sessionStorage"); no cookies are set. The assistant does not store
IP addresses, and no data is passed to third parties nor any content loaded from them. The
purpose is to answer your questions and to improve the answers (only questions the assistant
could not answer are evaluated, without reference to a person). The legal basis is [Art. 6(1)(e)
GDPR in conjunction with …]. A conversation is deleted automatically {days_en} after its last
message. Please do not enter personal data in the chat. "New conversation" starts a new
conversation with a new identifier; you can clear your browser's storage at any time. Your
rights of access, rectification, erasure and complaint to the supervisory authority, and the
contact of the data protection officer, are given [above in this statement].
""",
}
OPERATOR = {"de": "[Name und Anschrift des Betreibers]", "en": "[name and address of the operator]"}


def period(days: float, language: str) -> str:
    """30 -> "30 Tage"/"30 days", 1 -> "einen Tag"/"one day", 0.5 -> "0,5 Tage"."""
    if days == 1:
        return "einen Tag" if language == "de" else "one day"
    number = f"{days:g}"
    return f"{number.replace('.', ',')} Tage" if language == "de" else f"{number} days"


def text(days: float, language: str = "de", operator: str = "") -> str:
    return TEXTS[language].format(
        operator=operator or OPERATOR[language],
        days_de=period(days, "de"),
        days_en=period(days, "en"),
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m service.privacy", description=__doc__)
    parser.add_argument("--days", type=float, default=default_days())
    parser.add_argument("--lang", choices=sorted(TEXTS), default="de")
    parser.add_argument("--operator", default="", help="name and address of the operator")
    args = parser.parse_args(argv)
    if args.days < 0:
        parser.error("--days must not be negative")
    print(text(args.days, args.lang, args.operator), end="")


if __name__ == "__main__":
    main()
