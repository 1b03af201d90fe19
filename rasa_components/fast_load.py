"""Load a trained DIET model for prediction without tracing its training step.

`RasaModel.load` in Rasa 3.6 builds the model's variables by *fitting it on one example*
(`model.fit`), then overwrites them with the trained weights. Tracing that training step —
the loss, the entity CRF and their gradients — took about 80 % of the Rasa server's first
90 seconds under py-spy (docs/performance.md), although a server never trains.

Here, for prediction only (`finetune_mode` False and a prediction example given), the
trained weights are loaded first — TensorFlow checkpoints restore variables as they are
created — and the one prediction Rasa makes anyway ("to speed up inference") creates them.
`assert_existing_objects_matched()` then checks that every variable the prediction created
was restored from the checkpoint; if not, or on any error, the original `load` runs, so the
model is never served with weights that were not trained. Fine-tuning (`rasa train
--finetune`) always uses the original.

`install()` replaces `RasaModel.load`; `rasa_components` calls it on import.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.utils.tensorflow.constants import LEARNING_RATE, RUN_EAGERLY
from rasa.utils.tensorflow.models import RasaModel

logger = logging.getLogger(__name__)
_ORIGINAL = RasaModel.load.__func__  # type: ignore[attr-defined]
_INSTALLED = "_modellregionen_fast_load"


def _load(
    cls: type[RasaModel],
    model_file_name: str,
    model_data_example: Any,
    predict_data_example: Any = None,
    finetune_mode: bool = False,
    *args: Any,
    **kwargs: Any,
) -> RasaModel:
    if finetune_mode or predict_data_example is None:
        return _ORIGINAL(
            cls, model_file_name, model_data_example, predict_data_example, finetune_mode,
            *args, **kwargs,
        )  # fmt: skip
    try:
        import tensorflow as tf

        model = cls(*args, **kwargs)
        config = kwargs.get("config", {})
        model.compile(
            optimizer=tf.keras.optimizers.Adam(config.get(LEARNING_RATE, 0.001)),
            run_eagerly=config.get(RUN_EAGERLY),
        )
        status = model.load_weights(model_file_name)
        model.run_inference(predict_data_example)  # creates the variables: restored now
        status.assert_existing_objects_matched()
        status.expect_partial()  # optimizer slots and training-only variables stay unread
        logger.debug("Loaded %s for prediction without tracing its training step.", cls.__name__)
        return model
    except Exception as exc:  # never serve a half-restored model: fall back to Rasa's way
        logger.warning("Fast load of %s failed (%s); loading it the usual way.", cls.__name__, exc)
        return _ORIGINAL(
            cls, model_file_name, model_data_example, predict_data_example, finetune_mode,
            *args, **kwargs,
        )  # fmt: skip


def install() -> None:
    """Idempotent."""
    if not getattr(RasaModel, _INSTALLED, False):
        RasaModel.load = classmethod(_load)  # type: ignore[assignment,method-assign]
        setattr(RasaModel, _INSTALLED, True)
