"""Custom Rasa graph components, loaded by `rasa train` and the Rasa server (config.yml).

Kept out of `actions/`: the action server imports every module of that package at start-up,
and these modules import Rasa itself.

Rasa imports this package while it reads a model's graph, before any component is loaded, and
the import makes two of Rasa's own steps cheaper without changing their results
(docs/performance.md):

- `action_results`: the action server's responses are validated with a schema validator built
  once, instead of re-checking the schema on every call;
- `action_calls`: with `tracker_events: turn` in endpoints.yml, a call to the action server
  carries the current turn's events instead of the whole session's (bounded per turn);
- `events`: an event's class is looked up by its type name once, not on every event.

(The NLU has no DIET model any more – the kind and facet classifiers are logistic regressions,
`rasa_components.classifiers` – so the earlier `fast_load` of DIET's weights is gone.)
"""

from rasa_components import action_calls, action_results, events

action_calls.install()
action_results.install()
events.install()
