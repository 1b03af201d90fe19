"""Cleaning user input: markup removed, length limited."""

from __future__ import annotations

from actions.inputs import MAX_LENGTH, clean, too_long


def test_plain_text_is_kept() -> None:
    assert clean("Welche Projekte gibt es in Soest?") == "Welche Projekte gibt es in Soest?"


def test_tags_and_scripts_are_removed() -> None:
    assert clean("<b>Projekte</b> in <i>Soest</i>") == "Projekte in Soest"
    assert clean("<script>alert('x')</script>Projekte in Soest") == "Projekte in Soest"
    assert clean('<img src=x onerror="alert(1)">') == ""
    assert clean("<style>p{}</style><iframe src='x'></iframe>") == ""


def test_escaped_markup_is_removed_too() -> None:
    assert clean("&lt;script&gt;alert(1)&lt;/script&gt;Hallo") == "Hallo"
    assert "<" not in clean("a &lt; b") and ">" not in clean("1 > 0")


def test_control_characters_and_whitespace() -> None:
    assert clean("Hallo\x00\u202e  Welt\n\n") == "Hallo Welt"


def test_button_payloads_survive() -> None:
    payload = '/project_contact{"project":"soest-govbot"}'
    assert clean(payload) == payload


def test_length_limit() -> None:
    assert not too_long("x" * MAX_LENGTH)
    assert too_long("x" * (MAX_LENGTH + 1))
