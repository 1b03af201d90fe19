"""The NLU's learned understanding: the kind of a question (`KindClassifier`, Rasa's intent)
and what else it asks (`FacetClassifier`, the parse result's `facets`).

Both read the same sentence features of the pipeline (config.yml): the character n-grams
(sparse), the sentence embedding and the name evidence (dense, scaled by `dense_weight`), and
learn from the NLU examples (`bot/data/nlu.yml`, the question bank's `train` writers via
`bot/data/generated/bank.yml`). The learning itself lives in `understanding.learning`; these
classes are its Rasa graph components: training, storage (plain arrays, `np.savez`) and
prediction. The facet classifier reads an example's facets from its metadata
(`metadata: {facets: [contact, period]}`).
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import scipy.sparse as sp
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.featurizers.featurizer import Featurizer
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, METADATA, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from understanding.evidence import FACET_SCORES, FACETS
from understanding.learning import Facets, Kinds, cross_validate_kinds

logger = logging.getLogger(__name__)
ARRAYS = "model.npz"


def sentence_features(messages: list[Message], dense_weight: float) -> sp.csr_matrix:
    """One row per message: its sparse sentence features as sublinear, length-normalised
    counts (log(1 + n), unit length: long letters and one-word questions weigh alike) and its
    dense sentence features, weighted."""
    rows = []
    for message in messages:
        sparse = message.get_sparse_features(TEXT)[1]
        dense = message.get_dense_features(TEXT)[1]
        parts = []
        if sparse is not None:
            counts = sp.csr_matrix(sparse.features, dtype=np.float64)
            counts.data = np.log1p(counts.data)
            norm = float(np.sqrt(counts.multiply(counts).sum()))
            parts.append(counts / norm if norm else counts)
        if dense is not None:
            parts.append(sp.csr_matrix(np.asarray(dense.features) * dense_weight))
        rows.append(sp.hstack(parts).tocsr())
    return sp.vstack(rows).tocsr()


class _Stored(GraphComponent):
    """Training data, storage and loading shared by both classifiers."""

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: Any = None,
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._storage = model_storage
        self._resource = resource
        self.model = model

    @classmethod
    def required_components(cls) -> list[type]:
        return [Featurizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"c": 16.0, "dense_weight": 2.0}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> _Stored:
        return cls(config, model_storage, resource)

    def features(self, messages: list[Message]) -> sp.csr_matrix:
        return sentence_features(messages, float(self.config["dense_weight"]))

    def persist(self, arrays: dict[str, np.ndarray]) -> None:
        with self._storage.write_to(self._resource) as directory:
            np.savez(directory / ARRAYS, **arrays)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> _Stored:
        try:
            with (
                model_storage.read_from(resource) as directory,
                np.load(directory / ARRAYS, allow_pickle=False) as stored,
            ):
                arrays = {key: stored[key] for key in stored.files}
        except (ValueError, FileNotFoundError, OSError):
            return cls(config, model_storage, resource)  # not trained (no examples)
        return cls(config, model_storage, resource, cls.model_type().from_arrays(arrays))

    @staticmethod
    def model_type() -> Any:
        raise NotImplementedError


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class KindClassifier(_Stored, IntentClassifier):
    """The kind of a question as Rasa's intent, with its ranking."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**_Stored.get_default_config(), "ranking_length": 10, "cross_validate": []}

    @staticmethod
    def model_type() -> Any:
        return Kinds

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get(INTENT) and m.get(TEXT)]
        if not examples:
            return self._resource
        x = self.features(examples)
        y = [str(m.get(INTENT)) for m in examples]
        if self.config["cross_validate"]:  # to choose `c`: figures per fold in the log
            for c, accuracy in cross_validate_kinds(x, y, self.config["cross_validate"]).items():
                logger.info(
                    "KindClassifier c=%s: accuracy per fold %s, mean %.3f",
                    c, [round(a, 3) for a in accuracy], float(np.mean(accuracy)),
                )  # fmt: skip
        self.model = Kinds.fit(x, y, float(self.config["c"]))
        self.persist(self.model.to_arrays())
        return self._resource

    def process(self, messages: list[Message]) -> list[Message]:
        if self.model is None or not messages:
            return messages
        for message in messages:
            if not has_words(message):  # no kind, as Rasa's classifiers: the fallback asks
                message.set(INTENT, {"name": None, "confidence": 0.0}, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [], add_to_output=True)
        readable = [m for m in messages if has_words(m)]
        if not readable:
            return messages
        probabilities = self.model.probabilities(self.features(readable))
        for message, row in zip(readable, probabilities, strict=True):
            order = np.argsort(-row)
            ranking = [{"name": self.model.classes[i], "confidence": float(row[i])} for i in order][
                : int(self.config["ranking_length"])
            ]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class FacetClassifier(_Stored):
    """What else a question asks: `facets` in the parse result, {facet: probability} of the
    facets asked, and `facet_scores`, every facet's probability."""

    @staticmethod
    def model_type() -> Any:
        return Facets

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get(TEXT)]
        if not examples:
            return self._resource
        y = [frozenset(_facets(m)) for m in examples]
        self.model = Facets.fit(self.features(examples), y, float(self.config["c"]))
        for k, fold in enumerate(self.model.report, 1):
            logger.info("FacetClassifier fold %d: out-of-fold F1 %s", k, fold)
        thresholds = dict(
            zip(self.model.labels, self.model.thresholds.round(2).tolist(), strict=True)
        )
        logger.info("FacetClassifier thresholds %s", thresholds)
        self.persist(self.model.to_arrays())
        return self._resource

    def process(self, messages: list[Message]) -> list[Message]:
        if self.model is None or not messages:
            return messages
        readable = [m for m in messages if has_words(m)]
        for message in messages:
            if not has_words(message):
                message.set(FACETS, {}, add_to_output=True)
                message.set(FACET_SCORES, {}, add_to_output=True)
        if readable:
            for message, (found, scores) in zip(
                readable, self.model.read(self.features(readable)), strict=True
            ):
                message.set(FACETS, found, add_to_output=True)
                message.set(FACET_SCORES, scores, add_to_output=True)
        return messages


def has_words(message: Message) -> bool:
    """Whether the message has words to classify: an empty or blank message has none of the
    word features the classifiers were trained with (the featurizers skip it)."""
    return bool(str(message.get(TEXT) or "").strip())


def _facets(message: Message) -> list[str]:
    metadata = message.get(METADATA) or {}
    example = metadata.get("example") if isinstance(metadata, dict) else None
    facets = example.get(FACETS) if isinstance(example, dict) else None
    return [str(f) for f in facets] if isinstance(facets, list) else []
