"""`MessageFeaturizer`: what this project's two message featurizers share
(`rasa_components.evidence.KnowledgeEvidence`, `rasa_components.embedding.QueryEmbedder`).

Both are dense featurizers that learn nothing: they add one feature vector to every message,
in training and at run time, and to a message being parsed also their results in the parse
result (`add(messages, output=True)`). A subclass says what it adds (`add`) and registers
itself with Rasa's recipe.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData


class MessageFeaturizer(DenseFeaturizer, GraphComponent):
    """An untrained dense featurizer whose results also go to the parse result."""

    def __init__(self, config: dict[str, Any], name: str) -> None:
        super().__init__(name, config)

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MessageFeaturizer:
        return cls(config, execution_context.node_name)

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        pass

    def add(self, messages: list[Message], output: bool) -> None:
        """Add the features to `messages`, and with `output` the results to the parse."""
        raise NotImplementedError

    def process(self, messages: list[Message]) -> list[Message]:
        self.add(messages, output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.add(training_data.training_examples, output=False)
        return training_data
