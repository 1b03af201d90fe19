"""How the Matrix bridge renders the bot's answers and reads replies (no servers needed)."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest

from channels.markdown import linkify, to_html, to_plain, to_telegram_html
from channels.matrix_bridge import (
    BUTTON_HINT,
    Config,
    ConfigError,
    choose_button,
    message_content,
    render,
    sender_id,
    strip_reply_fallback,
)

BUTTONS = [
    {"title": "Ansprechpartner", "payload": '/ask_contact{"project":"owl-paderborn-zeonline"}'},
    {"title": "Laufzeit & Meilensteine", "payload": "/ask_period"},
]


def test_markdown_bold_lists_and_paragraphs() -> None:
    text = "**ZEonline** (Paderborn)\nKontakt:\n\n- Rainer Ahmann\n- *Mitte 2020*\n\n1. eins"
    assert to_html(text) == (
        "<p><strong>ZEonline</strong> (Paderborn)<br>Kontakt:</p>"
        "<ul><li>Rainer Ahmann</li><li><em>Mitte 2020</em></li></ul>"
        "<ol><li>eins</li></ol>"
    )


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


SAFE_TAGS = {"p", "br", "ul", "ol", "li", "strong", "em", "code", "a", "b", "i"}


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[klick](javascript:alert(1))",
        '[x](https://a.example/"onmouseover="alert(1))',
        "**<b onclick=x>fett</b>**",
        "<a href='javascript:alert(1)'>x</a>",
    ],
)
def test_markdown_escapes_everything_else(hostile: str) -> None:
    for rendered in (to_html(hostile), to_telegram_html(hostile)):
        parser = _Tags()
        parser.feed(rendered)
        for tag, attrs in parser.tags:
            assert tag in SAFE_TAGS, rendered
            for name, value in attrs:
                assert name == "href" and tag == "a", rendered
                assert (value or "").startswith(("https://", "http://", "mailto:")), rendered


def test_links_only_for_web_and_mail() -> None:
    assert to_html("[Seite](https://www.paderborn.de/)") == (
        '<p><a href="https://www.paderborn.de/">Seite</a></p>'
    )
    assert to_html("[Mail](mailto:r.ahmann@paderborn.de)") == (
        '<p><a href="mailto:r.ahmann@paderborn.de">Mail</a></p>'
    )
    assert "<a" not in to_html("[x](ftp://example.org)")


def test_emails_and_snake_case_are_not_italic() -> None:
    assert to_html("a_b_c und r.ahmann@paderborn.de") == (
        '<p>a_b_c und <a href="mailto:r.ahmann@paderborn.de">r.ahmann@paderborn.de</a></p>'
    )


def test_telegram_html_keeps_lines_and_uses_bullets() -> None:
    assert to_telegram_html("**Titel**\n- eins\n- zwei & drei") == (
        "<b>Titel</b>\n• eins\n• zwei &amp; drei"
    )


def test_plain_text_has_no_markers() -> None:
    assert to_plain("**ZEonline**: [Mail](mailto:a@b.de)\n- `x`") == "ZEonline: Mail (a@b.de)\n• x"


def test_buttons_become_a_numbered_list() -> None:
    content = message_content("Was möchten Sie wissen?", BUTTONS)
    assert content["msgtype"] == "m.text"
    assert content["body"].splitlines()[-3:] == [
        "1. Ansprechpartner",
        "2. Laufzeit & Meilensteine",
        BUTTON_HINT,
    ]
    assert (
        "<ol><li>Ansprechpartner</li><li>Laufzeit &amp; Meilensteine</li></ol>"
        in (content["formatted_body"])
    )


def test_render_keeps_the_last_buttons() -> None:
    contents, buttons = render(
        [{"recipient_id": "x", "text": "Eins"}, {"text": "Zwei", "buttons": BUTTONS}]
    )
    assert [c["body"].splitlines()[0] for c in contents] == ["Eins", "Zwei"]
    assert buttons == BUTTONS
    assert render([{"text": "Nur Text"}])[1] == []


@pytest.mark.parametrize(
    ("reply", "payload"),
    [
        ("1", BUTTONS[0]["payload"]),
        (" 2. ", "/ask_period"),
        ("2)", "/ask_period"),
        ("ansprechpartner", BUTTONS[0]["payload"]),
        ("Laufzeit & Meilensteine!", "/ask_period"),
        ("3", None),
        ("0", None),
        ("Wer ist Ansprechpartner für ZEonline?", None),
    ],
)
def test_a_reply_chooses_a_button(reply: str, payload: str | None) -> None:
    assert choose_button(reply, BUTTONS) == payload


def test_no_buttons_no_choice() -> None:
    assert choose_button("1", []) is None


def test_reply_fallback_is_removed() -> None:
    body = "> <@assistent:localhost> 1. Ansprechpartner\n> 2. Laufzeit\n\n1"
    assert strip_reply_fallback(body) == "1"
    assert strip_reply_fallback("normal") == "normal"


def test_sender_id_is_a_keyed_pseudonym_per_room_and_person() -> None:
    key = b"k" * 32
    erika = sender_id("!abc:localhost", "@erika:localhost", key)
    assert re.fullmatch(r"[0-9a-f]{32}", erika)  # what the Matrix channel accepts
    assert erika != sender_id("!abc:localhost", "@max:localhost", key)
    assert erika != sender_id("!other:localhost", "@erika:localhost", key)
    assert erika != sender_id("!abc:localhost", "@erika:localhost", b"another key")


def test_config_needs_homeserver_user_and_secret() -> None:
    with pytest.raises(ConfigError, match=r"MATRIX_HOMESERVER.*MATRIX_PASSWORD or"):
        Config.from_env({"MATRIX_USER": "@bot:example.org"})
    config = Config.from_env(
        {
            "MATRIX_HOMESERVER": "https://matrix.example.org/",
            "MATRIX_USER": "@bot:example.org",
            "MATRIX_ACCESS_TOKEN": "syt_x",
        }
    )
    assert config.homeserver == "https://matrix.example.org"
    assert config.rest_url == "http://localhost:5005/webhooks/matrix/webhook"
    with pytest.raises(ConfigError, match="RASA_TIMEOUT"):
        Config.from_env(
            {
                "MATRIX_HOMESERVER": "x",
                "MATRIX_USER": "u",
                "MATRIX_PASSWORD": "p",
                "RASA_TIMEOUT": "soon",
            }
        )


HANDOVER = {
    "title": "Nachricht an Rainer Ahmann schreiben",
    "payload": "mailto:r.ahmann@paderborn.de?subject=Frage%20zum%20Projekt&body=Wer%3F",
}


def test_bare_addresses_and_phone_numbers_become_links() -> None:
    text = "Kontakt: r.ahmann@paderborn.de – Tel. +49(5251)882371, 0221/22125070, 09/2019"
    assert linkify(text) == (
        "Kontakt: [r.ahmann@paderborn.de](mailto:r.ahmann@paderborn.de) – Tel. "
        "[+49(5251)882371](tel:+495251882371), [0221/22125070](tel:022122125070), 09/2019"
    )
    html_text = to_html(text)
    assert '<a href="mailto:r.ahmann@paderborn.de">r.ahmann@paderborn.de</a>' in html_text
    assert '<a href="tel:+495251882371">+49(5251)882371</a>' in html_text
    assert "09/2019" in html_text and 'href="tel:092019"' not in html_text
    # links, code and web addresses are left alone; plain text drops the link targets again
    kept = "[Mail](mailto:a@b.de) `x@y.de` https://example.org/a@b.de"
    assert linkify(kept) == kept
    assert to_plain(linkify(text)) == text


def test_telegram_leaves_bare_addresses_to_telegram() -> None:
    # Telegram links e-mail addresses and phone numbers itself (entities email/phone_number)
    assert to_telegram_html("r.ahmann@paderborn.de") == "r.ahmann@paderborn.de"
    assert to_telegram_html("[Mail](mailto:a@b.de?subject=x%20y)") == (
        '<a href="mailto:a@b.de?subject=x%20y">Mail</a>'
    )


def test_italic_markup_in_every_renderer() -> None:
    text = "_Quelle: Bericht – Seite 2_ und snake_case"
    assert to_html(text) == "<p><em>Quelle: Bericht – Seite 2</em> und snake_case</p>"
    assert to_telegram_html(text) == "<i>Quelle: Bericht – Seite 2</i> und snake_case"
    assert to_plain(text) == "Quelle: Bericht – Seite 2 und snake_case"


def test_a_mailto_button_is_a_link_not_a_numbered_reply() -> None:
    content = message_content("Ansprechpartner für **ZEonline**:", [HANDOVER, *BUTTONS])
    assert f'<a href="{html.escape(HANDOVER["payload"])}">' in content["formatted_body"]
    assert "Nachricht an Rainer Ahmann schreiben (r.ahmann@paderborn.de)" in content["body"]
    replies = ["1. Ansprechpartner", "2. Laufzeit & Meilensteine"]
    assert content["body"].splitlines()[-3:-1] == replies
    _, last_buttons = render([{"text": "x", "buttons": [HANDOVER, *BUTTONS]}])
    assert last_buttons == BUTTONS  # "1" answers the first reply button, never the mail link
    assert choose_button("1", last_buttons) == BUTTONS[0]["payload"]


# --- the markup as markdown-it-py parses it (cases beyond the ones above) ------------------


def test_a_line_that_is_not_indented_ends_a_list() -> None:
    """As in the widget: „Status …“ after the milestones is a paragraph of its own, not part of
    the last item (CommonMark's lazy continuation)."""
    text = "Meilensteine:\n- aktuell: Regeln\n- 2020: Umsetzung\nStatus: bewilligt"
    assert to_html(text) == (
        "<p>Meilensteine:</p><ul><li>aktuell: Regeln</li><li>2020: Umsetzung</li></ul>"
        "<p>Status: bewilligt</p>"
    )
    lines = "Meilensteine:\n• aktuell: Regeln\n• 2020: Umsetzung\nStatus: bewilligt"
    assert to_telegram_html(text) == lines
    assert to_plain(text) == lines
    # an indented line continues the item
    assert to_html("- eins\n  weiter") == "<ul><li>eins<br>weiter</li></ul>"


def test_nested_numbered_lists_and_headings() -> None:
    text = "# Projekte\n2. zwei\n3. drei\n\n- a\n  - b\n- c"
    assert to_html(text) == (
        '<p><strong>Projekte</strong></p><ol start="2"><li>zwei</li><li>drei</li></ol>'
        "<ul><li>a<ul><li>b</li></ul></li><li>c</li></ul>"
    )
    assert to_telegram_html(text) == "<b>Projekte</b>\n2. zwei\n3. drei\n\n• a\n  • b\n• c"
    assert to_plain(text) == "Projekte\n2. zwei\n3. drei\n\n• a\n  • b\n• c"


@pytest.mark.parametrize(
    "literal",
    [
        "    vier Leerzeichen",  # no code block
        "> kein Zitat",
        "Zeile\n---",  # no rule, no heading
        "&amp; &lt;b&gt;",  # entities stay as written
        "<https://example.org>",
    ],
)
def test_what_the_markup_does_not_know_stays_text(literal: str) -> None:
    assert to_plain(literal) == literal.strip()
    rendered = to_html(literal)
    assert not re.search(r"<(?!/?(p|br|a)\b)", rendered), rendered
    assert html.unescape(re.sub(r"<[^>]+>", "\n", rendered)).strip() == literal.strip()


def test_an_image_is_a_link_to_it() -> None:
    assert to_html("![Bild](https://example.org/x.png)") == (
        '<p>!<a href="https://example.org/x.png">Bild</a></p>'
    )


def test_paragraphs_and_blank_lines_are_kept_in_text_outputs() -> None:
    text = "**Titel**\nZeile\n\n\nNeuer Absatz"
    assert to_plain(text) == "Titel\nZeile\n\n\nNeuer Absatz"
    assert to_telegram_html(text) == "<b>Titel</b>\nZeile\n\n\nNeuer Absatz"
    assert to_html(text) == "<p><strong>Titel</strong><br>Zeile</p><p>Neuer Absatz</p>"


def test_telegram_gets_only_the_entities_it_knows() -> None:
    # Telegram's HTML knows &lt; &gt; &amp; &quot; only: a no-break space stays a character
    assert to_telegram_html('Tel.\u00a0+49 211 837-1234 <x> & "y"') == (
        'Tel.\u00a0+49 211 837-1234 &lt;x&gt; &amp; "y"'
    )


def test_links_in_bold_and_a_mailto_with_a_query() -> None:
    handover = "mailto:a@b.de?subject=Frage%20zum%20Projekt%20%E2%80%9EIVOD%E2%80%9C&body=Wer%3F"
    text = f"**[IVOD]({handover})** und [Seite](https://example.org/a_b_c)"
    assert to_html(text) == (
        f'<p><strong><a href="{html.escape(handover)}">IVOD</a></strong> und '
        '<a href="https://example.org/a_b_c">Seite</a></p>'
    )
    assert to_plain(text) == "IVOD (a@b.de) und Seite (https://example.org/a_b_c)"
