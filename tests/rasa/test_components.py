"""The project's own Rasa components (rasa_components/), in process with Rasa's classes."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest

ROOT = Path(__file__).resolve().parents[2]

VALID = {
    "events": [{"event": "slot", "timestamp": None, "name": "language", "value": "en"}],
    "responses": [{"text": "Hello", "buttons": [{"title": "x", "payload": "/greet"}]}],
}
INVALID = {"events": [{"event": "slot", "name": 3}], "responses": []}


def test_action_results_are_still_validated_against_rasas_schema() -> None:
    from rasa.core.actions.action import RemoteAction

    import rasa_components  # noqa: F401  (installs the cached validator)

    action = RemoteAction("action_x", None)
    schema = RemoteAction.action_response_format_spec()
    assert action._validate_action_result(VALID) is True
    jsonschema.validate(VALID, schema)  # Rasa's own check agrees
    with pytest.raises(jsonschema.ValidationError) as ours:
        action._validate_action_result(INVALID)
    with pytest.raises(jsonschema.ValidationError) as theirs:
        jsonschema.validate(INVALID, schema)
    assert ours.value.message.startswith(theirs.value.message)
    assert "Failed to validate Action server response" in ours.value.message


@pytest.mark.parametrize(
    ("slot", "text", "expected"),
    [
        ("de", "thanks", "en"),  # a clear English vote on the first message
        ("en", "danke", "de"),
        ("de", "hi", None),  # no clear vote: the slot stays
        ("en", "hi", None),
        ("en", "What can you do?", None),  # already English: no event
        ("de", "/greet", None),  # a button payload
    ],
)
def test_language_policy_sets_the_slot_only_on_a_clear_change(
    slot: str, text: str, expected: str | None
) -> None:
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from rasa_components.language import LanguagePolicy

    domain = Domain.load(str(ROOT / "bot" / "domain.yml"))
    policy = LanguagePolicy.create(
        LanguagePolicy.get_default_config(),
        LocalModelStorage(ROOT / "run" / "policy-test"),
        Resource("language"),
        ExecutionContext(GraphSchema({}), "test"),
    )
    tracker = DialogueStateTracker.from_events(
        "test",
        [
            ActionExecuted("action_listen"),
            SlotSet("language", slot),
            UserUttered(text, {"name": "greet", "confidence": 1.0}),
        ],
        slots=domain.slots,
    )
    prediction = policy.predict_action_probabilities(tracker, domain)
    assert max(prediction.probabilities) == 0.0  # never predicts an action
    assert prediction.events == ([SlotSet("language", expected)] if expected else [])


def _long_tracker(turns: int):
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    domain = Domain.load(str(ROOT / "bot" / "domain.yml"))
    tracker = DialogueStateTracker("someone", domain.slots)
    for i in range(turns):
        tracker.update(ActionExecuted("action_listen"))
        tracker.update(
            UserUttered(
                f"Frage {i}",
                intent={"name": "projects_by_topic", "confidence": 0.9},
                entities=[{"entity": "topic", "value": f"Thema {i}", "start": 0, "end": 5}],
            )
        )
        tracker.update(ActionExecuted("action_search_projects"))
        tracker.update(BotUttered(f"Antwort {i}"))
        tracker.update(SlotSet("language", "de"))
    tracker.update(ActionExecuted("action_listen"))
    tracker.update(UserUttered("Und die letzte Frage?", intent={"name": "project_contact"}))
    return domain, tracker


@pytest.mark.parametrize("mode", ["all", "turn"])
def test_action_calls_carry_the_turns_events_only_when_asked(mode: str) -> None:
    from rasa.core.actions.action import RemoteAction
    from rasa.utils.endpoints import EndpointConfig

    import rasa_components  # noqa: F401  (installs the call format)
    from rasa_components.action_calls import _original

    domain, tracker = _long_tracker(50)
    endpoint = EndpointConfig("http://localhost:5055/webhook", tracker_events=mode)
    action = RemoteAction("action_project_contact", endpoint)
    body = action._action_call_format(tracker, domain)
    rasas = _original(action, tracker, domain)
    sent, full = body["tracker"], rasas["tracker"]
    if mode == "all":
        assert body == rasas
        return
    # the same request apart from the events: slots, latest message, latest action, …
    assert {k: v for k, v in sent.items() if k != "events"} == {
        k: v for k, v in full.items() if k != "events"
    }
    assert body.keys() == rasas.keys()
    assert sent["events"] == full["events"][-1:]  # from the latest user message on
    assert sent["events"][0]["text"] == "Und die letzte Frage?"
    assert sent["latest_message"]["text"] == "Und die letzte Frage?"
    assert sent["slots"]["language"] == "de"


def test_action_calls_refuse_an_unknown_events_option() -> None:
    from rasa.core.actions.action import RemoteAction
    from rasa.utils.endpoints import EndpointConfig

    import rasa_components  # noqa: F401

    domain, tracker = _long_tracker(1)
    endpoint = EndpointConfig("http://localhost:5055/webhook", tracker_events="some")
    with pytest.raises(ValueError, match="tracker_events"):
        RemoteAction("action_project_contact", endpoint)._action_call_format(tracker, domain)


def test_the_turns_events_go_to_the_action_server_as_rasa_sdk_reads_them() -> None:
    from rasa.core.actions.action import RemoteAction
    from rasa.utils.endpoints import EndpointConfig
    from rasa_sdk import Tracker

    import rasa_components  # noqa: F401

    domain, tracker = _long_tracker(20)
    endpoint = EndpointConfig("http://localhost:5055/webhook", tracker_events="turn")
    body = RemoteAction("action_project_contact", endpoint)._action_call_format(tracker, domain)
    sdk = Tracker.from_dict(body["tracker"])
    assert sdk.latest_message["text"] == "Und die letzte Frage?"
    assert sdk.current_slot_values()["language"] == "de"
    assert sdk.latest_message["intent"]["name"] == "project_contact"
    assert [e["event"] for e in sdk.events] == ["user"]


@pytest.fixture(scope="module")
def rule_policies(tmp_path_factory: pytest.TempPathFactory):
    """RulePolicy and RecentRulePolicy trained in process on bot/data (rules and stories)."""
    from rasa.core.policies.rule_policy import RulePolicy
    from rasa.core.training import load_data
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.shared.core.domain import Domain

    from rasa_components.rules import RecentRulePolicy

    domain = Domain.load(str(ROOT / "bot" / "domain.yml"))
    trackers = load_data(str(ROOT / "bot" / "data"), domain, augmentation_factor=0)
    storage = LocalModelStorage(tmp_path_factory.mktemp("rule-policies"))
    policies = []
    for cls in (RulePolicy, RecentRulePolicy):
        policy = cls.create(
            {**cls.get_default_config(), "core_fallback_threshold": 0.3},
            storage,
            Resource(cls.__name__),
            ExecutionContext(GraphSchema({}), "test"),
        )
        policy.train(trackers, domain)
        policies.append(policy)
    return domain, policies


def test_recent_rule_policy_predicts_as_rule_policy_on_long_conversations(rule_policies) -> None:
    import random

    from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from rasa_components.rules import recent

    domain, (full, windowed) = rule_policies
    rules = {
        r["steps"][0]["intent"]: r["steps"][1]["action"]
        for r in __import__("yaml").safe_load((ROOT / "bot" / "data" / "rules.yml").read_text())[
            "rules"
        ]
    }
    assert windowed.longest_rule() >= 2
    rng = random.Random(7)
    tracker = DialogueStateTracker("long", domain.slots)
    tracker.update(ActionExecuted("action_session_start"))
    compared = 0
    for i in range(120):
        intent = rng.choice(sorted(rules))
        tracker.update(ActionExecuted("action_listen"))
        tracker.update(UserUttered(f"Nachricht {i}", intent={"name": intent, "confidence": 0.95}))
        for _ in range(2):  # after the message, then after the rule's action
            ours = windowed.predict_action_probabilities(tracker, domain)
            theirs = full.predict_action_probabilities(tracker, domain)
            assert ours.probabilities == theirs.probabilities, (i, intent)
            assert ours.events == theirs.events
            compared += 1
            action = domain.action_names_or_texts[
                int(max(range(len(ours.probabilities)), key=ours.probabilities.__getitem__))
            ]
            tracker.update(ActionExecuted(action))
            if action == "action_listen":
                break
            tracker.update(BotUttered(f"Antwort {i}"))
            tracker.update(SlotSet("language", rng.choice(["de", "en"])))
        assert tracker.latest_action_name == "action_listen"
    assert compared >= 200
    assert len(recent(tracker, windowed.longest_rule() + 1, domain).events) < 30  # bounded
