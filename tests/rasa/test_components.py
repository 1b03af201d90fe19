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


NO_LANGUAGE = object()  # a parse without the evidence component's `language`


@pytest.mark.parametrize(
    ("slot", "text", "parsed", "expected"),
    [
        ("de", "thanks", "en", "en"),  # a clear English vote on the first message
        ("en", "danke", "de", "de"),
        ("de", "Welche Projekte?", "en", "en"),  # the NLU's reading wins over the words
        ("de", "hi", None, None),  # no clear vote: the slot stays
        ("en", "hi", None, None),
        ("en", "What can you do?", "en", None),  # already English: no event
        ("de", "thanks", "fr", None),  # not a language of the assistant
        ("de", "thanks", NO_LANGUAGE, "en"),  # a model without the component: the same vote
        ("de", "/greet", NO_LANGUAGE, None),  # a button payload
    ],
)
def test_language_policy_reads_the_parse_s_language(
    slot: str, text: str, parsed: object, expected: str | None
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
    intent = {"name": "greet", "confidence": 1.0}
    parse = {"text": text, "intent": intent, "entities": []}
    if parsed is not NO_LANGUAGE:
        parse["language"] = parsed
    tracker = DialogueStateTracker.from_events(
        "test",
        [
            ActionExecuted("action_listen"),
            SlotSet("language", slot),
            UserUttered(text, intent, [], parse),
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
                intent={"name": "topic", "confidence": 0.9},
                entities=[],
            )
        )
        tracker.update(ActionExecuted("action_answer"))
        tracker.update(BotUttered(f"Antwort {i}"))
        tracker.update(SlotSet("language", "de"))
    tracker.update(ActionExecuted("action_listen"))
    tracker.update(UserUttered("Und die letzte Frage?", intent={"name": "project"}))
    return domain, tracker


@pytest.mark.parametrize("mode", ["all", "turn"])
def test_action_calls_carry_the_turns_events_only_when_asked(mode: str) -> None:
    from rasa.core.actions.action import RemoteAction
    from rasa.utils.endpoints import EndpointConfig

    import rasa_components  # noqa: F401  (installs the call format)
    from rasa_components.action_calls import _original

    domain, tracker = _long_tracker(50)
    endpoint = EndpointConfig("http://localhost:5055/webhook", tracker_events=mode)
    action = RemoteAction("action_answer", endpoint)
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
        RemoteAction("action_answer", endpoint)._action_call_format(tracker, domain)


def test_the_turns_events_go_to_the_action_server_as_rasa_sdk_reads_them() -> None:
    from rasa.core.actions.action import RemoteAction
    from rasa.utils.endpoints import EndpointConfig
    from rasa_sdk import Tracker

    import rasa_components  # noqa: F401

    domain, tracker = _long_tracker(20)
    endpoint = EndpointConfig("http://localhost:5055/webhook", tracker_events="turn")
    body = RemoteAction("action_answer", endpoint)._action_call_format(tracker, domain)
    sdk = Tracker.from_dict(body["tracker"])
    assert sdk.latest_message["text"] == "Und die letzte Frage?"
    assert sdk.current_slot_values()["language"] == "de"
    assert sdk.latest_message["intent"]["name"] == "project"
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


# --- the understanding's components: evidence, embedding, kinds and facets -------------------


def _context():
    from rasa.engine.graph import ExecutionContext, GraphSchema

    return ExecutionContext(GraphSchema({}), "test")


def _features(message, sparse, dense) -> None:
    """Sentence features as the pipeline's featurizers add them."""
    import numpy as np
    import scipy.sparse as sp
    from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
    from rasa.shared.nlu.training_data.features import Features

    message.add_features(
        Features(sp.coo_matrix(np.array([sparse], dtype=float)), FEATURE_TYPE_SENTENCE, TEXT, "s")
    )
    message.add_features(Features(np.array([dense], dtype=float), FEATURE_TYPE_SENTENCE, TEXT, "d"))


def _example(i: int, intent: str | None, facets: list[str]):
    """A message of `intent` whose features say so (dense: which kind; sparse: the facets)."""
    from rasa.shared.nlu.constants import INTENT, METADATA, TEXT
    from rasa.shared.nlu.training_data.message import Message

    data = {TEXT: f"Frage {i}"}
    if intent is not None:
        data[INTENT] = intent
        data[METADATA] = {"example": {"facets": facets}}
    message = Message(data=data)
    noise = (i % 7) / 70
    kind = [1.0 + noise, 0.0] if intent == "project" or (i % 2 == 0) else [0.0, 1.0 + noise]
    _features(message, ["contact" in facets, 1.0, noise], kind)
    return message


@pytest.fixture(scope="module")
def tiny_training():
    from rasa.shared.nlu.training_data.training_data import TrainingData

    examples = []
    for i in range(40):
        intent = "project" if i % 2 == 0 else "person"
        facets = (["contact"] if i % 4 in (0, 1) else []) + (["rare"] if i < 3 else [])
        examples.append(_example(i, intent, facets))
    return TrainingData(training_examples=examples)


@pytest.mark.parametrize("name", ["KindClassifier", "FacetClassifier"])
def test_classifiers_train_persist_and_load_plain_arrays(
    tmp_path, tiny_training, name: str
) -> None:
    import numpy as np
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource

    from rasa_components import classifiers

    cls = getattr(classifiers, name)
    storage, resource = LocalModelStorage(tmp_path), Resource(name)
    trained = cls.create(cls.get_default_config(), storage, resource, _context())
    assert trained.train(tiny_training) == resource
    with storage.read_from(resource) as directory:
        stored = np.load(directory / classifiers.ARRAYS, allow_pickle=False)  # nothing pickled
        assert set(stored.files) == set(trained.model.to_arrays())
    loaded = cls.load(cls.get_default_config(), storage, resource, _context())
    for key, value in trained.model.to_arrays().items():
        np.testing.assert_array_equal(loaded.model.to_arrays()[key], value)


def test_the_kind_classifier_gives_the_intent_and_its_ranking(tmp_path, tiny_training) -> None:
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource

    from rasa_components.classifiers import KindClassifier

    storage, resource = LocalModelStorage(tmp_path), Resource("kinds")
    KindClassifier.create({"c": 4.0}, storage, resource, _context()).train(tiny_training)
    model = KindClassifier.load({"c": 4.0}, storage, resource, _context())
    assert model.model.classes == ("person", "project")
    project, person = _example(100, None, []), _example(101, None, [])
    model.process([project, person])
    assert project.get("intent")["name"] == "project" and person.get("intent")["name"] == "person"
    ranking = project.get("intent_ranking")
    assert [r["name"] for r in ranking] == ["project", "person"]
    assert ranking[0]["confidence"] > 0.5
    assert sum(r["confidence"] for r in ranking) == pytest.approx(1.0)
    assert "intent" in project.as_dict(only_output_properties=True)


def test_the_facet_classifier_learns_only_facets_it_saw_often_enough(
    tmp_path, tiny_training
) -> None:
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource

    from rasa_components.classifiers import FacetClassifier
    from understanding.learning import FOLDS, MIN_POSITIVES

    storage, resource = LocalModelStorage(tmp_path), Resource("facets")
    trained = FacetClassifier.create({"c": 4.0}, storage, resource, _context())
    trained.train(tiny_training)
    assert trained.model.labels == ("contact",)  # "rare": fewer than MIN_POSITIVES examples
    assert MIN_POSITIVES > 3 and len(trained.model.report) == FOLDS
    loaded = FacetClassifier.load({"c": 4.0}, storage, resource, _context())
    asking, plain = _example(4, None, ["contact"]), _example(6, None, [])
    loaded.process([asking, plain])
    assert set(asking.get("facets")) == {"contact"} and 0 < asking.get("facets")["contact"] <= 1
    assert plain.get("facets") == {}
    assert "facets" in asking.as_dict(only_output_properties=True)


def test_an_untrained_classifier_leaves_messages_alone(tmp_path) -> None:
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource

    from rasa_components.classifiers import FacetClassifier, KindClassifier

    for cls in (KindClassifier, FacetClassifier):
        component = cls.load({}, LocalModelStorage(tmp_path), Resource("never"), _context())
        assert component.model is None
        message = _example(1, None, [])
        component.process([message])
        assert message.get("intent") is None and message.get("facets") is None


def test_knowledge_evidence_outputs_names_and_language() -> None:
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.shared.nlu.constants import TEXT
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

    from rasa_components.evidence import KnowledgeEvidence
    from understanding.evidence import FEATURES

    component = KnowledgeEvidence.create(
        KnowledgeEvidence.get_default_config(),
        LocalModelStorage(ROOT / "run" / "evidence-test"),
        Resource("evidence"),
        _context(),
    )
    message = Message(data={TEXT: "Wer ist Ansprechpartner für ZEonline?"})
    component.process([message])
    (name,) = [n for n in message.get("names") if n["kind"] == "project"]
    assert name["target"] == "owl-paderborn-zeonline" and not name["partial"]
    assert message.get("language") == "de"
    output = message.as_dict(only_output_properties=True)
    assert {"names", "language"} <= set(output)
    dense = message.get_dense_features(TEXT)[1]
    assert dense is not None and dense.features.shape == (1, len(FEATURES))
    training = Message(data={TEXT: "Who runs ZEonline?", "intent": "project"})
    component.process_training_data(TrainingData(training_examples=[training]))
    assert training.get("names") is None  # features for learning, no parse output
    assert training.get_dense_features(TEXT)[1] is not None


def test_query_embedder_outputs_a_decodable_embedding() -> None:
    import numpy as np
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.shared.nlu.constants import TEXT
    from rasa.shared.nlu.training_data.message import Message

    from rasa_components.embedding import QueryEmbedder
    from understanding.evidence import EMBEDDING, decode

    component = QueryEmbedder.create(
        QueryEmbedder.get_default_config(),
        LocalModelStorage(ROOT / "run" / "embedding-test"),
        Resource("embedding"),
        _context(),
    )
    text = "Gibt es Projekte zur Kita-Anmeldung?"
    message = Message(data={TEXT: text})
    component.process([message])
    expected = component.embedder.embed_queries([text])[0]
    vector = decode(message.get(EMBEDDING), len(expected))
    assert vector is not None
    np.testing.assert_allclose(vector, expected, atol=1e-6)
    dense = message.get_dense_features(TEXT)[1]
    assert dense is not None and dense.features.shape == (1, len(expected))
    assert EMBEDDING in message.as_dict(only_output_properties=True)


def test_the_pipeline_is_the_understanding_s() -> None:
    import yaml

    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    names = [c["name"] for c in config["pipeline"]]
    assert names.index("rasa_components.evidence.KnowledgeEvidence") < names.index(
        "rasa_components.classifiers.KindClassifier"
    )
    assert "rasa_components.embedding.QueryEmbedder" in names
    assert "rasa_components.classifiers.FacetClassifier" in names
    assert not any("DIET" in n or "Entity" in n for n in names)  # no entities any more


@pytest.mark.parametrize("text", ["", "   "])
def test_a_message_without_words_gets_no_kind_and_falls_back(
    tmp_path, tiny_training, text: str
) -> None:
    """An empty message has no features of the featurizers that read words: the classifiers
    give it no kind (as Rasa's own do), so the FallbackClassifier sends it to the action, which
    asks for a question, instead of the NLU failing on it."""
    import numpy as np
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
    from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
    from rasa.shared.nlu.training_data.features import Features
    from rasa.shared.nlu.training_data.message import Message

    from rasa_components.classifiers import FacetClassifier, KindClassifier

    storage = LocalModelStorage(tmp_path)
    kinds = KindClassifier.create({"c": 4.0}, storage, Resource("k"), _context())
    kinds.train(tiny_training)
    facets = FacetClassifier.create({"c": 4.0}, storage, Resource("f"), _context())
    facets.train(tiny_training)
    empty = Message(data={TEXT: text})
    if text:  # dense features of the whole text (embedding, evidence), no word n-grams
        empty.add_features(Features(np.array([[1.0, 0.0]]), FEATURE_TYPE_SENTENCE, TEXT, "d"))
    normal = _example(8, None, ["contact"])
    for component in (kinds, facets):  # every message of the batch is passed on
        assert [id(m) for m in component.process([empty, normal])] == [id(empty), id(normal)]
    assert empty.get("intent") == {"name": None, "confidence": 0.0}
    assert empty.get("intent_ranking") == [] and not empty.get("facets")
    assert normal.get("intent")["name"] == "project"  # the others of the batch are classified
    fallback = FallbackClassifier.create(
        {**FallbackClassifier.get_default_config(), "threshold": 0.25},
        storage,
        Resource("fallback"),
        _context(),
    )
    fallback.process([empty])
    assert empty.get("intent")["name"] == "nlu_fallback"
