"""The project's one markup, parsed by markdown-it-py and rendered for each messenger channel.

The bot's answers are written once, in a small subset of CommonMark (docs/messengers.md,
"Nachrichtenformat"): **bold**, _italic_ (also *italic*), `code`, [links](https://…), bullet
lists (`- `, also `*`, `•`), numbered lists (`1.`), line breaks and paragraphs (blank line),
`# headings`. markdown-it-py parses it (raw HTML, indented code, quotes, rules, images and
entities switched off: they are text); this module only walks the tokens. Links are made for
http(s), mailto and tel addresses only, and the HTML outputs pass nh3 (ammonia) with that
short list of tags, attributes and schemes, so nothing but what is rendered here gets through.

- `to_html`: paragraphs and lists for Matrix' `formatted_body` (`org.matrix.custom.html`);
  bare e-mail addresses and phone numbers become `mailto:`/`tel:` links.
- `to_telegram_html`: the inline tags of Telegram's `parse_mode=HTML` (b, i, code, a), one line
  per line and `• ` for list items, since Telegram has no block tags; bare addresses stay text
  (Telegram links them itself).
- `to_plain`: the same lines without markers, links as `label (address)`: Matrix' `body`,
  `rasa shell` and the REST terminal.
- `linkify`: Markdown in, Markdown out, with the bare addresses as links, for clients that
  render Markdown themselves (rasa-webchat over socket.io).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

LINK_SCHEMES = ("https://", "http://", "mailto:", "tel:")
# The web widget's rule (widget/chat-widget.js, PHONE and INLINE): German and international
# numbers such as +49(5251)882371, 0221/22125070, +49 211 837-1234, (0211) 12345; dates
# (01.01.19, 09/2019) and years do not match: 7–15 digits, starting with "+" or "0".
_PHONE = (
    r"(?:\+\d{1,3}[ \u00a0]?(?:\(0\)[ \u00a0]?)?(?:\(\d{1,5}\)|\d{1,5})"
    r"|\(0\d{1,5}\)|0\d{2,5})"
    r"(?:(?:[ \u00a0]?[/-][ \u00a0]?|[ \u00a0])?\d{2,}){1,4}(?:-\d{1,5})?"
)
_EMAIL = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
_AUTOLINK_RE = re.compile(rf"(?P<email>(?<![\w.%+-]){_EMAIL})|(?P<phone>{_PHONE})")
# What linkify leaves alone in Markdown source: code spans, written links, web addresses.
_PROTECTED_RE = re.compile(r"`[^`\n]+`|\[[^\]\n]+\]\([^)\s]+\)|(?:https?://|www\.)[^\s<>\"]+")

_OFF = ["code", "fence", "blockquote", "hr", "lheading", "reference", "html_block"]
_PARSER = MarkdownIt("commonmark", {"html": False, "breaks": True}).disable(
    [*_OFF, "html_inline", "entity", "escape", "image", "autolink"]
)
_PARSER.validateLink = lambda url: url.strip().lower().startswith(LINK_SCHEMES)

# The markup's two additions to CommonMark, as in the widget: "•" is a bullet, and a line that
# is neither indented nor a list item ends a list (CommonMark would continue the last item).
_BULLET_DOT_RE = re.compile(r"^(\s{0,3})•(?=\s)")
_LIST_ITEM_RE = re.compile(r"^\s{0,3}(?:[-*+]|\d{1,9}[.)])\s")


def is_link_payload(payload: str) -> bool:
    """A button whose payload is an address (the hand-over's mailto:) is a link, not a reply."""
    return payload.strip().lower().startswith(LINK_SCHEMES)


def tel_target(number: str) -> str:
    """`tel:` address of a printed number: "+49 (0) 209 169-0" -> "tel:+492091690"."""
    dial = re.sub(r"^(\+\d{1,3})[ \u00a0]?\(0\)", r"\1", number)
    return "tel:" + re.sub(r"[^\d+]", "", dial)


def autolinks(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, address) of each bare e-mail address and phone number in plain `text`."""
    for match in _AUTOLINK_RE.finditer(text):
        found = match.group(0)
        if match.group("email"):
            address = found.rstrip(".")
            yield match.start(), match.start() + len(address), f"mailto:{address}"
            continue
        before = text[match.start() - 1] if match.start() else ""
        if re.match(r"[\w.,/+-]", before) or not 7 <= sum(c.isdigit() for c in found) <= 15:
            continue  # part of a date, an id or a longer number
        yield match.start(), match.end(), tel_target(found)


def _linkify_text(text: str) -> str:
    out, position = [], 0
    for start, end, address in autolinks(text):
        out += [text[position:start], f"[{text[start:end]}]({address})"]
        position = end
    return "".join([*out, text[position:]])


def linkify(markdown: str) -> str:
    """Bare e-mail addresses and phone numbers as Markdown links (mailto:, tel:); existing
    links, code spans and web addresses stay as they are."""
    out, position = [], 0
    for protected in _PROTECTED_RE.finditer(markdown):
        out += [_linkify_text(markdown[position : protected.start()]), protected.group(0)]
        position = protected.end()
    return "".join([*out, _linkify_text(markdown[position:])])


def _parse(markdown: str) -> tuple[list[Token], set[int]]:
    """The block tokens of `markdown`, and the numbers of the blank lines this module added."""
    lines, added, in_list = [], set(), False
    for line in markdown.replace("\x00", "").replace("\r\n", "\n").strip().split("\n"):
        line = _BULLET_DOT_RE.sub(r"\1-", line.rstrip())
        item = bool(_LIST_ITEM_RE.match(line))
        if in_list and line.strip() and not item and not line.startswith("  "):
            added.add(len(lines))
            lines.append("")
        in_list = item or (in_list and line.strip() != "")
        lines.append(line)
    return _PARSER.parse("\n".join(lines)), added


# --- inline content -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Inline:
    """How one output writes the inline elements."""

    bold: str = ""  # tag name; empty: no tags (plain text)
    italic: str = ""
    code: str = ""
    newline: str = "\n"
    autolink: bool = False

    def text(self, text: str) -> str:
        return html.escape(text, quote=False) if self.bold else text

    def render(self, children: list[Token]) -> str:
        out: list[str] = []
        href: str | None = None  # inside a link: its address, and no autolinks
        label_start = 0
        for token in children:
            kind = token.type
            if kind == "text":
                out.append(self._text(token.content, inside_link=href is not None))
            elif kind in ("softbreak", "hardbreak"):
                out.append(self.newline)
            elif kind == "code_inline":
                out.append(self.tagged(self.code, self.text(token.content)))
            elif kind in ("strong_open", "strong_close", "em_open", "em_close"):
                tag = self.bold if kind.startswith("strong") else self.italic
                out.append(f"<{'/' if kind.endswith('close') else ''}{tag}>" if tag else "")
            elif kind == "link_open":
                href, label_start = str(token.attrs.get("href", "")), len(out)
                out.append(f'<a href="{html.escape(href)}">' if self.bold else "")
            elif kind == "link_close":
                label = "".join(out[label_start:])
                out[label_start:] = [f"{label}</a>" if self.bold else _plain_link(label, href)]
                href = None
        return "".join(out)

    def tagged(self, tag: str, content: str) -> str:
        return f"<{tag}>{content}</{tag}>" if tag else content

    def _text(self, text: str, inside_link: bool) -> str:
        if not self.autolink or inside_link:
            return self.text(text)
        out, position = [], 0
        for start, end, address in autolinks(text):
            label = self.text(text[start:end])
            out += [
                self.text(text[position:start]),
                f'<a href="{html.escape(address)}">{label}</a>',
            ]
            position = end
        return "".join([*out, self.text(text[position:])])


def _plain_link(label: str, url: str | None) -> str:
    """`label (address)`, or the label alone when it is the address (e-mail, phone)."""
    url = url or ""
    if url.startswith("tel:"):
        return label if tel_target(label) == url else f"{label} ({url.removeprefix('tel:')})"
    shown = url.removeprefix("mailto:").split("?", 1)[0] if url.startswith("mailto:") else url
    return label if shown == label else f"{label} ({shown})"


_MATRIX = _Inline(bold="strong", italic="em", code="code", newline="<br>", autolink=True)
_TELEGRAM = _Inline(bold="b", italic="i", code="code")
_PLAIN = _Inline()

# --- blocks -------------------------------------------------------------------------------


def to_html(markdown: str) -> str:
    """Markdown → HTML with paragraphs and lists (Matrix `formatted_body`)."""
    tokens, _ = _parse(markdown)
    out: list[str] = []
    for token in tokens:
        if token.type == "inline":
            out.append(_MATRIX.render(token.children or []))
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            start = token.attrs.get("start")
            out.append(f'<{token.tag} start="{start}">' if start else f"<{token.tag}>")
        elif token.tag in ("ul", "ol", "li") or (token.tag == "p" and not token.hidden):
            out.append(f"<{'/' if token.nesting < 0 else ''}{token.tag}>")
        elif token.type.startswith("heading_"):
            out.append("<p><strong>" if token.nesting > 0 else "</strong></p>")
    return _sanitise("".join(out))


def _lines(markdown: str, inline: _Inline) -> str:
    """One line per line of the source, lists as `• ` or `1. ` items, blank lines kept."""
    tokens, added = _parse(markdown)
    out: list[str] = []
    last_line = None  # the source line after the previous block
    markers: list[str] = []  # per open list: "•" or the ordered list's markup
    numbers: list[int] = []
    prefix = ""
    heading = False
    for token in tokens:
        if token.type.startswith("heading_"):
            heading = token.nesting > 0
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            markers.append("•" if token.type.startswith("bullet") else token.markup)
            numbers.append(int(token.attrs.get("start", 1)))
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            markers.pop()
            numbers.pop()
        elif token.type == "list_item_open":
            indent = "  " * (len(markers) - 1)
            if markers[-1] == "•":
                prefix = f"{indent}• "
            else:
                prefix = f"{indent}{token.info or numbers[-1]}{markers[-1]} "
                numbers[-1] += 1
        elif token.type == "inline" and token.map:
            first, end = token.map
            if last_line is not None:
                blank = sum(1 for n in range(last_line, first) if n not in added)
                out.append("\n" * (blank + 1))
            text = inline.render(token.children or [])
            text = inline.tagged(inline.bold, text) if heading else text
            out.append(prefix + text.replace("\n", "\n" + " " * len(prefix)))
            prefix, last_line = "", end
    return "".join(out)


def to_telegram_html(markdown: str) -> str:
    """Markdown → the HTML subset of Telegram's `parse_mode=HTML`; line breaks are kept and
    list markers become bullets, since Telegram has no block tags. Bare e-mail addresses and
    phone numbers stay text: Telegram detects them itself (entities `email`, `phone_number`)
    and links them in every client; written links such as the hand-over's stay links."""
    # Telegram knows only &lt; &gt; &amp; &quot; as named entities.
    return _sanitise(_lines(markdown, _TELEGRAM)).replace("&nbsp;", "\u00a0")


def to_plain(markdown: str) -> str:
    """Markdown → readable plain text: markers removed, links as `label (url)`."""
    return _lines(markdown, _PLAIN)


_TAGS = {"p", "br", "ul", "ol", "li", "strong", "em", "b", "i", "code", "a"}
_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}
_SCHEMES = {scheme.split(":")[0] for scheme in LINK_SCHEMES}


def _sanitise(rendered: str) -> str:
    """What the renderers wrote, through ammonia: only these tags, attributes and schemes."""
    return nh3.clean(
        rendered, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes=_SCHEMES, link_rel=None
    )
