"""A tiny, safe Markdown → HTML converter for the messenger channels (standard library only).

The bot's answers are written once, in one small markup (docs/messengers.md, "Message
format"): **bold**, _italic_ (also *italic*), `code`, [links](https://…), bullet lists (`- `,
also `*`, `•`), numbered lists (`1.`), line breaks and paragraphs (blank line). Bare e-mail
addresses and phone numbers become `mailto:`/`tel:` links (`linkify`, the same rule as the web
widget's). Everything else is escaped: the output never contains HTML that was not produced
here, and links are only made for http(s), mailto and tel addresses.

- `to_html` renders the block structure (paragraphs, lists) for Matrix' `formatted_body`
  (the `org.matrix.custom.html` format).
- `to_telegram_html` renders only the inline elements Telegram's `parse_mode=HTML` supports
  (b, i, code, a) and keeps line breaks, because Telegram has no list or paragraph tags.
- `to_plain` removes the Markdown markers for plain-text fallbacks (Matrix' `body`) and
  terminals (`rasa shell`).
- `linkify` only adds the links, as Markdown, for clients that render Markdown themselves
  (rasa-webchat over socket.io).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

_PLACEHOLDER = "\x00{}\x00"
_PLACEHOLDER_RE = re.compile("\x00(\\d+)\x00")

_CODE_RE = re.compile(r"`([^`\n]+)`")
LINK_SCHEMES = ("https://", "http://", "mailto:", "tel:")
_LINK_RE = re.compile(r"\[([^\]\n]+)\]\(((?:https?://|mailto:|tel:)[^)\s]+)\)")
# The web widget's rules (widget/chat-widget.js, PHONE and INLINE): German and international
# numbers such as +49(5251)882371, 0221/22125070, +49 211 837-1234, (0211) 12345; dates
# (01.01.19, 09/2019) and years do not match: 7–15 digits, starting with "+" or "0".
_PHONE = (
    r"(?:\+\d{1,3}[ \u00a0]?(?:\(0\)[ \u00a0]?)?(?:\(\d{1,5}\)|\d{1,5})"
    r"|\(0\d{1,5}\)|0\d{2,5})"
    r"(?:(?:[ \u00a0]?[/-][ \u00a0]?|[ \u00a0])?\d{2,}){1,4}(?:-\d{1,5})?"
)
_EMAIL = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
_AUTOLINK_RE = re.compile(rf"(?P<email>(?<![\w.%+-]){_EMAIL})|(?P<phone>{_PHONE})")
_PROTECTED_RE = re.compile(r"`[^`\n]+`|\[[^\]\n]+\]\([^)\s]+\)|(?:https?://|www\.)[^\s<>\"]+")
_BOLD_RES = (
    re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*"),
    re.compile(r"(?<![\w_])__(?=\S)(.+?)(?<=\S)__(?![\w_])"),
)
_ITALIC_RES = (
    re.compile(r"(?<![*\w])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![*\w])"),
    re.compile(r"(?<![\w_])_(?=[^\s_])([^_\n]+?)(?<=[^\s_])_(?![\w_])"),
)
_BULLET_RE = re.compile(r"^\s{0,3}[-*•+]\s+(.*)$")
_NUMBERED_RE = re.compile(r"^\s{0,3}(\d{1,9})[.)]\s+(.*)$")
_HEADING_RE = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_CONTINUATION_RE = re.compile(r"^\s{2,}\S")


def is_link_payload(payload: str) -> bool:
    """A button whose payload is an address (the hand-over's mailto:) is a link, not a reply."""
    return payload.strip().lower().startswith(LINK_SCHEMES)


def tel_target(number: str) -> str:
    """`tel:` address of a printed number: "+49 (0) 209 169-0" -> "tel:+492091690"."""
    dial = re.sub(r"^(\+\d{1,3})[ \u00a0]?\(0\)", r"\1", number)
    return "tel:" + re.sub(r"[^\d+]", "", dial)


def _autolink(match: re.Match[str]) -> str:
    text = match.group(0)
    if match.group("email"):
        address = text.rstrip(".")
        return f"[{address}](mailto:{address}){text[len(address) :]}"
    before = match.string[match.start() - 1] if match.start() else ""
    digits = sum(c.isdigit() for c in text)
    if re.match(r"[\w.,/+-]", before) or not 7 <= digits <= 15:
        return text  # part of a date, an id or a longer number
    return f"[{text}]({tel_target(text)})"


def linkify(markdown: str) -> str:
    """Bare e-mail addresses and phone numbers as Markdown links (mailto:, tel:); existing
    links, code spans and web addresses stay as they are."""
    out: list[str] = []
    position = 0
    for protected in _PROTECTED_RE.finditer(markdown):
        out.append(_AUTOLINK_RE.sub(_autolink, markdown[position : protected.start()]))
        out.append(protected.group(0))
        position = protected.end()
    out.append(_AUTOLINK_RE.sub(_autolink, markdown[position:]))
    return "".join(out)


def _inline(
    text: str,
    *,
    bold: str,
    italic: str,
    code: str,
    link: Callable[[str, str], str],
) -> str:
    """Escape `text` and turn the inline Markdown markers into tags."""
    text = text.replace("\x00", "")
    kept: list[str] = []

    def keep(fragment: str) -> str:
        kept.append(fragment)
        return _PLACEHOLDER.format(len(kept) - 1)

    # Code spans first: nothing inside them is formatted.
    text = _CODE_RE.sub(lambda m: keep(f"<{code}>{html.escape(m.group(1))}</{code}>"), text)

    def make_link(match: re.Match[str]) -> str:
        label, url = match.group(1), match.group(2)
        return keep(link(html.escape(url, quote=True), _escape_and_format(label)))

    def _escape_and_format(fragment: str) -> str:
        fragment = html.escape(fragment, quote=False)
        for pattern in _BOLD_RES:
            fragment = pattern.sub(rf"<{bold}>\1</{bold}>", fragment)
        for pattern in _ITALIC_RES:
            fragment = pattern.sub(rf"<{italic}>\1</{italic}>", fragment)
        return fragment

    text = _LINK_RE.sub(make_link, text)
    text = _escape_and_format(text)
    return _PLACEHOLDER_RE.sub(lambda m: kept[int(m.group(1))], text)


def _html_inline(text: str, bold: str, italic: str) -> str:
    """Inline formatting as HTML; Matrix uses <strong>/<em>, Telegram's subset <b>/<i>."""
    return _inline(
        text,
        bold=bold,
        italic=italic,
        code="code",
        link=lambda url, label: f'<a href="{url}">{label}</a>',
    )


def _matrix_inline(text: str) -> str:
    return _html_inline(text, bold="strong", italic="em")


def _telegram_inline(text: str) -> str:
    return _html_inline(text, bold="b", italic="i")


def to_html(markdown: str) -> str:
    """Markdown → HTML with paragraphs and lists (Matrix `formatted_body`)."""
    out: list[str] = []
    paragraph: list[str] = []
    list_tag: str | None = None
    items: list[list[str]] = []
    list_start = 1

    def flush_paragraph() -> None:
        if paragraph:
            out.append("<p>" + "<br>".join(_matrix_inline(line) for line in paragraph) + "</p>")
            paragraph.clear()

    def flush_list() -> None:
        nonlocal list_tag
        if list_tag:
            start = f' start="{list_start}"' if list_tag == "ol" and list_start != 1 else ""
            body = "".join(
                "<li>" + "<br>".join(_matrix_inline(line) for line in item) + "</li>"
                for item in items
            )
            out.append(f"<{list_tag}{start}>{body}</{list_tag}>")
            items.clear()
            list_tag = None

    for raw in linkify(markdown).replace("\r\n", "\n").strip().split("\n"):
        line = raw.rstrip()
        bullet = _BULLET_RE.match(line)
        numbered = _NUMBERED_RE.match(line)
        heading = _HEADING_RE.match(line)
        if not line.strip():
            flush_paragraph()
            flush_list()
        elif bullet or numbered:
            tag = "ul" if bullet else "ol"
            flush_paragraph()
            if list_tag != tag:
                flush_list()
                list_tag = tag
                list_start = int(numbered.group(1)) if numbered else 1
            items.append([bullet.group(1) if bullet else numbered.group(2)])
        elif list_tag and items and _CONTINUATION_RE.match(line):
            items[-1].append(line.strip())
        elif heading:
            flush_paragraph()
            flush_list()
            out.append(f"<p><strong>{_matrix_inline(heading.group(1))}</strong></p>")
        else:
            flush_list()
            paragraph.append(line.strip())
    flush_paragraph()
    flush_list()
    return "".join(out)


def to_telegram_html(markdown: str) -> str:
    """Markdown → the HTML subset of Telegram's `parse_mode=HTML`; line breaks are kept and
    list markers become bullets, since Telegram has no block tags. Bare e-mail addresses and
    phone numbers stay text: Telegram detects them itself (entities `email`, `phone_number`)
    and links them in every client; written links such as the hand-over's stay links."""
    lines = []
    for raw in markdown.replace("\r\n", "\n").strip().split("\n"):
        line = raw.rstrip()
        bullet = _BULLET_RE.match(line)
        heading = _HEADING_RE.match(line)
        if bullet:
            lines.append("• " + _telegram_inline(bullet.group(1)))
        elif heading:
            lines.append(f"<b>{_telegram_inline(heading.group(1))}</b>")
        else:
            lines.append(_telegram_inline(line))
    return "\n".join(lines)


def _plain_link(match: re.Match[str]) -> str:
    """`label (address)`, or the label alone when it is the address (e-mail, phone)."""
    label, url = match.group(1), match.group(2)
    if url.startswith("tel:"):
        return label if tel_target(label) == url else f"{label} ({url.removeprefix('tel:')})"
    shown = url.removeprefix("mailto:").split("?", 1)[0] if url.startswith("mailto:") else url
    return label if shown == label else f"{label} ({shown})"


def to_plain(markdown: str) -> str:
    """Markdown → readable plain text: markers removed, links as `label (url)`."""
    lines = []
    for raw in markdown.replace("\r\n", "\n").strip().split("\n"):
        line = raw.rstrip()
        bullet = _BULLET_RE.match(line)
        heading = _HEADING_RE.match(line)
        if bullet:
            line = "• " + bullet.group(1)
        elif heading:
            line = heading.group(1)
        line = _LINK_RE.sub(_plain_link, line)
        line = _CODE_RE.sub(r"\1", line)
        for pattern in (*_BOLD_RES, *_ITALIC_RES):
            line = pattern.sub(r"\1", line)
        lines.append(line)
    return "\n".join(lines)
