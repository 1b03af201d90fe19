"""Validate the action server's responses with a validator built once, not on every call.

Rasa 3.6 checks every response of the action server against its JSON schema with
`jsonschema.validate(result, schema)`, which first re-checks the *schema itself* against the
JSON-Schema meta-schema — on every call. Under the bench's load (py-spy, docs/performance.md)
that meta-schema check took about 57 % of the Rasa server's CPU time, more than the NLU. Here
the schema is checked once and one validator is reused: every response is still validated
against the same schema, and an invalid one still raises the same `ValidationError` with
Rasa's explanation appended.

`install()` replaces `RemoteAction._validate_action_result`; it runs when Rasa loads
`rasa_components` (config.yml names a component of it), before any action is called.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jsonschema import ValidationError  # noqa: F401  (raised, re-exported for tests)
from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

_INSTALLED = "_modellregionen_cached_validator"


@cache
def _validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)  # once, instead of on every response
    return cls(schema)


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    error = best_match(_validator().iter_errors(result))
    if error is not None:
        error.message += (
            f". Failed to validate Action server response from API, "
            f"make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


def install() -> None:
    """Idempotent."""
    if not getattr(RemoteAction, _INSTALLED, False):
        RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
        setattr(RemoteAction, _INSTALLED, True)
