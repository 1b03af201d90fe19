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
