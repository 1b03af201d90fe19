"""`KnowledgeEvidence`: which printed names a message mentions, once per message.

A dense featurizer of the NLU pipeline (config.yml). For every message it reads the evidence
of `understanding.evidence` against `knowledge/` — the names of projects, programme topics,
regions and towns, persons and state actors (fuzzy), places outside the regions, a year, the
language the words show — and

- gives the classifiers one feature per *kind* of name (never an id: a knowledge update needs
  no retraining), so that „Wer ist Ansprechpartner für ZEonline?“ is a question about a project
  and „Wofür ist Frau Sommer zuständig?“ one about a person;
- adds the matches and the language to the parse result (`names`, `language`), which the
  action server and the language policy read instead of matching and detecting again.

The knowledge is loaded once per process, on the first message.
"""

from __future__ import annotations

import threading
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from rasa_components.featurizer import MessageFeaturizer

_LOCK = threading.Lock()
_NAMES: dict[str, Any] = {}


def knowledge_names() -> Any:
    """The name index of the knowledge (`index.loader.knowledge_root`), built once per process
    and folder."""
    from index.loader import knowledge_root

    root = str(knowledge_root())
    if root not in _NAMES:
        with _LOCK:
            if root not in _NAMES:
                from index.loader import load
                from index.names import name_index

                _NAMES[root] = name_index(load())
    return _NAMES[root]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class KnowledgeEvidence(MessageFeaturizer):
    """Name, year and language evidence of a message (see the module docstring)."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**DenseFeaturizer.get_default_config()}

    def add(self, messages: list[Message], output: bool) -> None:
        from understanding.evidence import read_evidence

        names = knowledge_names()
        for message in messages:
            text = message.get(TEXT)
            if not text:
                continue
            evidence = read_evidence(str(text), names)
            self.add_features_to_message(None, evidence.features()[None, :], TEXT, message)
            if output:
                for key, value in evidence.as_parse().items():
                    message.set(key, value, add_to_output=True)
