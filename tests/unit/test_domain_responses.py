"""The small-talk replies Rasa renders itself (bot/domain.yml responses) are the action
server's texts (actions/texts.py), in both languages, with the same buttons; and the rules
send exactly those intents to them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from actions import formatting as fmt
from actions.texts import t

ROOT = Path(__file__).resolve().parents[2]
# response → (text key in actions/texts.py, with the example buttons, intent of its rule).
# Every other intent is a kind of question, answered by action_answer (bot_challenge too: its
# reply is the same catalogue text, actions/answers/talk.py).
RESPONSES = {
    "utter_greet": ("greet", True, "greet"),
    "utter_goodbye": ("goodbye", False, "goodbye"),
    "utter_thank": ("thank", False, "thank"),
    "utter_capabilities": ("capabilities", True, "bot_capabilities"),
}


def _yaml(path: str) -> dict:
    return yaml.safe_load((ROOT / path).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_response_equals_the_action_texts(name: str) -> None:
    key, buttons, _ = RESPONSES[name]
    variations = _yaml("bot/domain.yml")["responses"][name]
    english = [v for v in variations if v.get("condition")]
    german = [v for v in variations if not v.get("condition")]
    assert len(english) == 1 and len(german) == 1, variations
    assert english[0]["condition"] == [{"type": "slot", "name": "language", "value": "en"}]
    for variation, language in ((english[0], "en"), (german[0], "de")):
        assert variation["text"] == t(key, language)
        assert variation.get("buttons", []) == (fmt.start_buttons(language) if buttons else [])


def test_rules_send_small_talk_to_the_responses() -> None:
    rules = _yaml("bot/data/rules.yml")["rules"]
    mapped = {r["steps"][0]["intent"]: r["steps"][1]["action"] for r in rules}
    for name, (_, _, intent) in RESPONSES.items():
        assert mapped[intent] == name
    assert set(_yaml("bot/domain.yml")["responses"]) == set(RESPONSES)


def test_every_other_intent_goes_to_the_one_action() -> None:
    from understanding.kinds import KINDS

    rules = _yaml("bot/data/rules.yml")["rules"]
    mapped = {r["steps"][0]["intent"]: r["steps"][1]["action"] for r in rules}
    small_talk = {intent for _, _, intent in RESPONSES.values()}
    assert set(mapped) == set(KINDS)  # one rule per kind, nlu_fallback included
    assert {i for i, a in mapped.items() if a == "action_answer"} == set(KINDS) - small_talk
    assert _yaml("bot/domain.yml")["actions"] == ["action_answer"]


def test_the_action_s_small_talk_is_the_same_catalogue() -> None:
    """Should Rasa ever send a domain-response intent to the action, it says the same."""
    from actions.answers.talk import SIMPLE

    for key, _, intent in RESPONSES.values():
        assert SIMPLE[intent] == key


def test_the_language_policy_is_configured() -> None:
    policies = [p["name"] for p in _yaml("config.yml")["policies"]]
    assert "rasa_components.language.LanguagePolicy" in policies
